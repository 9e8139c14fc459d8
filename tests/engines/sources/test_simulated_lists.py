"""Every file the market simulator writes reads back with the simulator's own row numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.engines.sources import open_source
from partnernet.engines.sources.headers import recognise_header

simulate = pytest.importorskip("partnernet.engines.simulate.writers")
from partnernet.engines.simulate.market import simulate_market  # noqa: E402
from partnernet.engines.simulate.model import MarketConfig  # noqa: E402


@pytest.fixture(scope="module")
def market(tmp_path_factory):
    directory = tmp_path_factory.mktemp("market")
    market = simulate_market(MarketConfig(seed=5, n_companies=400, n_lists=12))
    files = simulate.write_market(market, directory, formats=list(simulate.FORMATS))
    return market, files


def test_every_format_reads_back_row_for_row(market) -> None:
    market, files = market
    assert {f.format for f in files} == set(simulate.FORMATS)
    for list_id, written in enumerate(files):
        reader = open_source(Path(written.path))
        rows = list(reader)
        truth = market.rows_of(list_id)
        assert [r.number for r in rows] == [t.row for t in truth], written.path.name
        for read, expected in zip(rows, truth, strict=True):
            assert read.fields.get("name", "") == expected.fields.get("name", "").strip()


def test_simulator_headers_are_recognised(market) -> None:
    market, files = market
    for list_id, _ in enumerate(files):
        columns = market.lists[list_id].columns
        for field, header in zip(columns, market.headers_of(list_id), strict=True):
            assert recognise_header(header) == field, header
