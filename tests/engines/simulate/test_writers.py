"""Written lists read back with plain tools (csv, openpyxl, BeautifulSoup, json) equal the rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from partnernet.engines.simulate.market import Market, simulate_market
from partnernet.engines.simulate.model import MarketConfig
from partnernet.engines.simulate.writers import FORMATS, ListFile, write_market


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def read_back(item: ListFile) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a written list, using only the standard readers."""
    if item.format in ("csv_cp1251", "csv_utf8_bom", "tsv"):
        assert item.encoding and item.delimiter
        with item.path.open(encoding=item.encoding, newline="") as handle:
            records = list(csv.reader(handle, delimiter=item.delimiter))
        return records[0], records[1:]
    if item.format == "xlsx":
        sheet = openpyxl.load_workbook(item.path, read_only=True).worksheets[0]
        records = [[_plain(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        return records[0], records[1:]
    if item.format == "html":
        soup = BeautifulSoup(item.path.read_text(encoding="utf-8"), "lxml")
        tables = soup.find_all("table", class_="partners")
        header = [th.get_text() for th in tables[0].find_all("th")]
        rows = [
            [td.get_text("\n") for td in tr.find_all("td")]
            for table in tables
            for tr in table.find("tbody").find_all("tr")
        ]
        return header, rows
    objects = json.loads(item.path.read_text(encoding="utf-8"))
    header = list(dict.fromkeys(key for obj in objects for key in obj))
    return header, [[_plain(obj.get(h)) for h in header] for obj in objects]


def expected(market: Market, list_id: int, encoding: str | None) -> list[list[str]]:
    plist = market.lists[list_id]
    rows = [[r.fields[c] for c in plist.columns] for r in market.rows_of(list_id)]
    if encoding == "cp1251":  # Excel's cp1251 cannot hold every character: '?' instead
        rows = [[v.encode("cp1251", "replace").decode("cp1251") for v in row] for row in rows]
    return rows


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Market, list[ListFile], Path]:
    market = simulate_market(MarketConfig(seed=3, n_companies=1500, n_lists=12))
    directory = tmp_path_factory.mktemp("market")
    files = write_market(market, directory, formats=FORMATS)
    return market, files, directory


def test_every_format_round_trips(written):
    market, files, _ = written
    assert {f.format for f in files} == set(FORMATS)
    for list_id, item in enumerate(files):
        header, rows = read_back(item)
        plist = market.lists[list_id]
        assert item.rows == len(market.rows_of(list_id)) == len(rows), item.path.name
        if item.format == "json":
            # Keys with only empty values may be omitted from every object: compare by header.
            by_header = dict(zip(market.headers_of(list_id), plist.columns, strict=True))
            want = [
                {by_header[h]: r.fields[by_header[h]] for h in header}
                for r in market.rows_of(list_id)
            ]
            got = [dict(zip((by_header[h] for h in header), row, strict=True)) for row in rows]
            assert got == want, item.path.name
            continue
        assert header == list(market.headers_of(list_id)), item.path.name
        assert rows == expected(market, list_id, item.encoding), item.path.name


def test_cp1251_file_is_really_cp1251(written):
    _, files, _ = written
    item = next(f for f in files if f.format == "csv_cp1251")
    raw = item.path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("cp1251").splitlines()[0].count(";") >= 1


def test_utf8_bom_and_html_navigation(written):
    _, files, _ = written
    bom = next(f for f in files if f.format == "csv_utf8_bom")
    assert bom.path.read_bytes().startswith(b"\xef\xbb\xbf")
    page = next(f for f in files if f.format == "html").path.read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert len(soup.find_all("table")) >= 3  # navigation and footer tables around the data


def test_truth_and_manifest(written):
    market, files, directory = written
    with (directory / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))
    assert len(truth) == len(market.source_rows)
    expected_truth = market.truth()
    for line in truth:
        key = (line["source_name"], int(line["row"]))
        want = expected_truth[key]
        assert line["company_id"] == ("" if want is None else str(want))
    per_source: dict[str, list[int]] = {}
    for line in truth:
        per_source.setdefault(line["source_name"], []).append(int(line["row"]))
    for rows in per_source.values():
        assert rows == list(range(1, len(rows) + 1))

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in manifest["lists"]] == [f.path.name for f in files]
    assert all((directory / entry["file"]).exists() for entry in manifest["lists"])
    assert manifest["config"]["seed"] == 3
    with (directory / "companies.csv").open(encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == len(market.companies)


def test_hard_layout_quirks_are_not_rows(tmp_path):
    market = simulate_market(MarketConfig(seed=4, n_companies=1200, n_lists=10, noise="hard"))
    files = write_market(market, tmp_path, formats="csv_utf8_bom")
    repeated = 0
    for list_id, item in enumerate(files):
        header, rows = read_back(item)
        data = [row for row in rows if row != header]
        repeated += len(rows) - len(data)
        assert data == expected(market, list_id, item.encoding)
    assert repeated > 0  # some files carry a second header row mid-file
    xlsx = write_market(market, tmp_path / "x", formats="xlsx")
    titled = 0
    for list_id, item in enumerate(xlsx):
        sheet = openpyxl.load_workbook(item.path, read_only=True).worksheets[0]
        records = [[_plain(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        start = records.index(list(market.headers_of(list_id)))
        titled += start > 0
        data = [row for row in records[start + 1 :] if row != records[start]]
        assert data == expected(market, list_id, None)
    assert titled > 0


def test_formats_argument(tmp_path):
    market = simulate_market(MarketConfig(seed=3, n_companies=300, n_lists=3))
    assert {f.format for f in write_market(market, tmp_path / "a", formats="json")} == {"json"}
    mixed = write_market(market, tmp_path / "b")
    assert [f.format for f in mixed] == [p.format for p in market.lists]
    with pytest.raises(ValueError):
        write_market(market, tmp_path / "c", formats="pdf")
