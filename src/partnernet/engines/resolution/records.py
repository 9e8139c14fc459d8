"""What the resolver reads: one record per source row (or per register company)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CompanyRecord:
    """A company as one source row describes it. Raw values: the resolver normalises them.

    ``identifiers`` holds raw INN/OGRN/BIN/UNP strings of any kind (invalid ones are ignored
    for matching); ``company_id`` is set on register records in incremental linking.
    Callers that already normalised a row may pass ``valid_identifiers`` (kind -> compact
    value, checked) and ``city_key``/``region_key`` (resolved place keys) instead.
    """

    record_id: str
    name: str = ""
    identifiers: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    country: str = ""
    address: str = ""
    company_id: str | None = None
    valid_identifiers: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    city_key: str | None = None
    region_key: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


_ID_KEYS = ("inn", "ogrn", "ogrnip", "bin", "unp", "identifiers", "identifier", "tax_id")
_WEB_KEYS = ("website", "websites", "domain", "domains", "url", "site")
_MAIL_KEYS = ("email", "emails", "e_mail")
_PHONE_KEYS = ("phone", "phones", "telephone")


def _values(row: Mapping[str, Any], keys: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        value = row.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str | int):
            out.append(str(value))
        else:
            out.extend(str(v) for v in value if v not in (None, ""))
    return tuple(out)


def as_record(row: CompanyRecord | Mapping[str, Any]) -> CompanyRecord:
    """Accept a ``CompanyRecord`` or a plain mapping with the usual field names.

    >>> as_record({"id": 7, "name": "ООО Ромашка", "inn": "7707083893", "phone": "+7 495 1"})
    ... # doctest: +ELLIPSIS
    CompanyRecord(record_id='7', name='ООО Ромашка', identifiers=('7707083893',), ...)
    """
    if isinstance(row, CompanyRecord):
        return row
    record_id = row.get("record_id", row.get("id", row.get("unique_id")))
    if record_id is None:
        raise ValueError("a record needs a record_id (or id)")
    company = row.get("company_id")
    return CompanyRecord(
        record_id=str(record_id),
        name=str(row.get("name") or ""),
        identifiers=_values(row, _ID_KEYS),
        websites=_values(row, _WEB_KEYS),
        emails=_values(row, _MAIL_KEYS),
        phones=_values(row, _PHONE_KEYS),
        city=str(row.get("city") or ""),
        region=str(row.get("region") or ""),
        country=str(row.get("country") or ""),
        address=str(row.get("address") or ""),
        company_id=None if company is None else str(company),
    )
