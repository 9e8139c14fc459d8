"""DaData "find party by INN/OGRN" (suggestions API ``findById/party``).

Request: ``POST {endpoint}`` with ``Authorization: Token <key>`` and ``{"query": "<INN>"}``.
The answer lists ``suggestions``; each has ``data.state.status`` in ACTIVE, LIQUIDATING,
LIQUIDATED, BANKRUPT, REORGANIZING and dates as Unix milliseconds. A company with branches comes
back once per branch; the head office (``branch_type == "MAIN"``) is the one we report.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from partnernet.engines.legalstatus.base import (
    LegalStatus,
    RegisterError,
    RegisterUnavailable,
    Status,
)

DEFAULT_ENDPOINT = "https://suggestions.dadata.ru/suggestions/api/4_1/rs/findById/party"

_STATUS = {
    "ACTIVE": Status.ACTIVE,
    "LIQUIDATING": Status.LIQUIDATING,
    "LIQUIDATED": Status.LIQUIDATED,
    "BANKRUPT": Status.BANKRUPT,
    "REORGANIZING": Status.REORGANISING,
}

# (url, body, headers, timeout) -> (http status, body bytes); swapped for recorded answers in tests.
Transport = Callable[[str, bytes, dict[str, str], float], tuple[int, bytes]]


def _millis_to_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC).date()


def parse_party_response(tax_id: str, payload: dict[str, Any]) -> LegalStatus:
    """Turn a ``findById/party`` answer into a :class:`LegalStatus`."""
    suggestions = payload.get("suggestions")
    if not isinstance(suggestions, list):
        raise RegisterError("DaData answer has no 'suggestions' list")
    if not suggestions:
        return LegalStatus(tax_id=tax_id, status=Status.NOT_FOUND, provider="dadata")
    main = next(
        (s for s in suggestions if (s.get("data") or {}).get("branch_type") == "MAIN"),
        suggestions[0],
    )
    data = main.get("data") or {}
    state = data.get("state") or {}
    return LegalStatus(
        tax_id=tax_id,
        status=_STATUS.get(str(state.get("status", "")).upper(), Status.UNKNOWN),
        name=str(main.get("value", "")),
        ogrn=str(data.get("ogrn") or ""),
        kpp=str(data.get("kpp") or ""),
        registered=_millis_to_date(state.get("registration_date")),
        liquidated=_millis_to_date(state.get("liquidation_date")),
        actual_on=_millis_to_date(state.get("actuality_date")),
        provider="dadata",
        raw=main,
    )


def urllib_transport(
    url: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class DaDataPartyClient:
    name = "dadata"

    def __init__(
        self,
        api_key: str,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        timeout: float = 10.0,
        transport: Transport = urllib_transport,
    ) -> None:
        if not api_key:
            raise RegisterError("DaData needs an API key (set PARTNERNET_DADATA_API_KEY)")
        self.api_key = api_key
        self.endpoint = endpoint
        self.timeout = timeout
        self.transport = transport

    def find_by_tax_id(self, tax_id: str) -> LegalStatus:
        body = json.dumps({"query": tax_id}).encode()
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Token {self.api_key}",
        }
        try:
            status, content = self.transport(self.endpoint, body, headers, self.timeout)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RegisterUnavailable(
                f"DaData is unreachable ({reason}); the company check stays open"
            ) from exc
        if status in (401, 403):
            raise RegisterError(f"DaData refused the API key (HTTP {status})")
        if status == 429:
            raise RegisterUnavailable("DaData rate limit reached (HTTP 429); try later")
        if status >= 500:
            raise RegisterUnavailable(f"DaData server error (HTTP {status}); try later")
        if status != 200:
            raise RegisterError(f"DaData answered HTTP {status}")
        try:
            payload = json.loads(content)
        except ValueError as exc:
            raise RegisterError("DaData answer is not JSON") from exc
        return parse_party_response(tax_id, payload)
