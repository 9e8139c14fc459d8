"""The DaData adapter against recorded answers, and against a port where nothing listens."""

from __future__ import annotations

import json
import socket
import urllib.error
from datetime import date
from pathlib import Path

import pytest

from partnernet.engines.legalstatus import (
    CachedProvider,
    DaDataPartyClient,
    RegisterError,
    RegisterUnavailable,
    Status,
)

RECORDED = Path(__file__).resolve().parents[2] / "data" / "dadata"


def recorded(name: str, status: int = 200):
    calls = []

    def transport(url, body, headers, timeout):
        calls.append((url, json.loads(body), headers))
        return status, (RECORDED / name).read_bytes()

    transport.calls = calls  # type: ignore[attr-defined]
    return transport


def test_active_company_reports_head_office_and_sends_token():
    transport = recorded("active_with_branch.json")
    client = DaDataPartyClient("k3y", transport=transport)
    result = client.find_by_tax_id("7814000013")
    assert result.status is Status.ACTIVE and result.is_alive
    assert result.kpp == "781401001"  # the MAIN office, not the branch listed first
    assert result.registered == date(2003, 1, 1)
    url, body, headers = transport.calls[0]
    assert url.endswith("findById/party")
    assert body == {"query": "7814000013"}
    assert headers["Authorization"] == "Token k3y"


def test_liquidated_and_reorganising_and_not_found():
    liquidated = DaDataPartyClient("k", transport=recorded("liquidated.json")).find_by_tax_id("1")
    assert liquidated.status is Status.LIQUIDATED and not liquidated.is_alive
    assert liquidated.liquidated == date(2025, 1, 1)
    reorg = DaDataPartyClient("k", transport=recorded("reorganizing.json")).find_by_tax_id("2")
    assert reorg.status is Status.REORGANISING and reorg.is_alive
    missing = DaDataPartyClient("k", transport=recorded("not_found.json")).find_by_tax_id("3")
    assert missing.status is Status.NOT_FOUND


@pytest.mark.parametrize(
    ("http_status", "error"),
    [
        (401, RegisterError),
        (403, RegisterError),
        (429, RegisterUnavailable),
        (502, RegisterUnavailable),
        (400, RegisterError),
    ],
)
def test_http_errors_are_specific(http_status, error):
    client = DaDataPartyClient("k", transport=recorded("not_found.json", status=http_status))
    with pytest.raises(error) as info:
        client.find_by_tax_id("7814000013")
    assert str(http_status) in str(info.value)


def test_missing_key_is_a_clear_error():
    with pytest.raises(RegisterError, match="API key"):
        DaDataPartyClient("")


def test_unreachable_register_says_so():
    # A loopback port with no listener: the real urllib transport fails fast.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = DaDataPartyClient("k", endpoint=f"http://127.0.0.1:{port}/party", timeout=2)
    with pytest.raises(RegisterUnavailable, match="unreachable"):
        client.find_by_tax_id("7814000013")


def test_transport_url_error_maps_to_unavailable():
    def broken(*_):
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(RegisterUnavailable, match="Name or service not known"):
        DaDataPartyClient("k", transport=broken).find_by_tax_id("1")


def test_cache_answers_once_per_ttl_and_never_caches_unavailability():
    now = [0.0]
    transport = recorded("active_with_branch.json")
    cached = CachedProvider(
        DaDataPartyClient("k", transport=transport), ttl_seconds=60, clock=lambda: now[0]
    )
    cached.find_by_tax_id("7814000013")
    cached.find_by_tax_id("7814000013")
    assert len(transport.calls) == 1
    now[0] = 61
    cached.find_by_tax_id("7814000013")
    assert len(transport.calls) == 2

    def down(*_):
        raise OSError("network is unreachable")

    flaky = CachedProvider(DaDataPartyClient("k", transport=down), clock=lambda: now[0])
    for _ in range(2):
        with pytest.raises(RegisterUnavailable):
            flaky.find_by_tax_id("1")
