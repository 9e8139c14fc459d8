"""Normalise one raw partner-list row into the canonical record the register stores.

Pure function of the row's mapped fields: identifiers are classified and checksum-validated
(an invalid number is kept, flagged and reported, never used for matching), the legal form is
split off the name, the city is resolved to a known city with its region, federal district and
country, websites become registered domains, phones E.164. The result is a JSON-able ``dict``
kept on the source row, so the register can always be rebuilt from source rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from partnernet.engines import ids
from partnernet.engines.contactinfo import domains as domain_tools
from partnernet.engines.contactinfo.phones import normalise_phone
from partnernet.engines.geo import resolve_city, resolve_region
from partnernet.engines.names.legal_forms import split_legal_form
from partnernet.engines.names.normalise import display_name, normalise_company_name
from partnernet.engines.names.translit import latin_key, script_of

from .vocabulary import level_rank, sector_keys, specialisation_keys

ID_FIELDS = ("inn", "ogrn", "kpp", "bin", "unp")
_ID_KIND_FIELD = {"ogrnip": "ogrn", "iin": "bin"}
_COUNTRIES = {
    "RU": r"росси|russia|\bрф\b|\bru\b|\brus\b",
    "KZ": r"казах|kazakh|\bkz\b|\bkaz\b|\bрк\b",
    "BY": r"беларус|белорус|belarus|\bby\b|\bblr\b|\bрб\b",
}
_COUNTRY_RE = {code: re.compile(pattern) for code, pattern in _COUNTRIES.items()}
_EMAIL_RE = re.compile(r"[\w.+\-]+@([\w\-]+(?:\.[\w\-]+)+)", re.UNICODE)
_LIST_SPLIT = re.compile(r"[;,\n]+|\s{2,}")
_PHONE_SPLIT = re.compile(r"[;\n]+|,(?!\s*(?:доб|ext|вн))")
MAX_NAME_LENGTH = 500


def row_content_hash(values: Mapping[str, str]) -> str:
    """Stable hash of a row's raw values (header order kept): equal rows hash equal."""
    payload = json.dumps(list(values.items()), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def country_code(text: str) -> str | None:
    """ISO country code from a country cell ("Россия", "Kazakhstan", "BY")."""
    folded = text.lower().replace("ё", "е")
    for code, pattern in _COUNTRY_RE.items():
        if pattern.search(folded):
            return code
    return None


def _identifiers(fields: Mapping[str, str], country: str | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for field in ID_FIELDS:
        text = fields.get(field, "").strip()
        if not text:
            continue
        matches = ids.find_identifiers(text, country=country)
        if not matches:
            match = ids.classify(text, country=country)
            matches = [match] if match is not None else []
        if not matches:
            digits = re.sub(r"\D", "", text)
            found.append(
                {"kind": field, "value": digits or text, "valid": False, "error": "InvalidFormat"}
            )
            continue
        for match in matches:
            kind: str = match.kind
            # A bare number in the INN column is read as an INN even if it could be another
            # kind, except a valid Kazakh BIN that fails as an INN: CIS lists put BINs under
            # "ИНН" (or "ИНН/БИН"), and a Russian row (country RU) is classified as INN anyway.
            kazakh = kind == "bin" and match.valid
            if (
                field == "inn"
                and kind not in {"inn", "kpp"}
                and not kazakh
                and len(match.compact) in (10, 12)
            ):
                kind, error = "inn", None
                try:
                    ids.inn.validate(match.compact)
                except ids.ValidationError as exc:  # the real reason: region 00 is not a checksum
                    error = type(exc).__name__
                valid = error is None
            else:
                valid, error = match.valid, match.error
            kind = _ID_KIND_FIELD.get(kind, kind)
            if (kind, match.compact) in seen:
                continue
            seen.add((kind, match.compact))
            found.append({"kind": kind, "value": match.compact, "valid": valid, "error": error})
    return found


@lru_cache(maxsize=20000)
def _resolve_city(text: str, country: str | None) -> dict[str, Any] | None:
    # Lists repeat the same few hundred city spellings: resolve each once per process.
    city = resolve_city(text, country=country)
    if city is None:
        return None
    return {
        "key": city.key,
        "name": city.name_ru,
        "name_en": city.name_en,
        "region": city.region,
        "region_iso": city.region_iso,
        "federal_district": city.federal_district,
        "country": city.country,
    }


def _city(fields: Mapping[str, str], country: str | None) -> dict[str, Any] | None:
    for field in ("city", "address", "region"):
        text = fields.get(field, "").strip()
        if not text:
            continue
        city = _resolve_city(text, country)
        if city is not None:
            return dict(city)
    return None


def _region(fields: Mapping[str, str], country: str | None) -> dict[str, Any] | None:
    text = fields.get("region", "").strip()
    if not text:
        return None
    region = resolve_region(text, country=country)
    if region is None:
        return None
    return {
        "name": region.name or text,
        "iso": region.iso or None,
        "federal_district": region.federal_district,
        "country": region.country or country,
    }


@lru_cache(maxsize=50000)
def _registered_domain(text: str) -> str | None:
    return domain_tools.registered_domain(text)


def _domains(fields: Mapping[str, str]) -> tuple[list[str], list[str]]:
    domains: list[str] = []
    emails: list[str] = []
    for part in _LIST_SPLIT.split(fields.get("website", "")):
        part = part.strip()
        if not part:
            continue
        domain = _registered_domain(part)
        if domain and domain not in domains and not domain_tools.is_public_mail_domain(domain):
            domains.append(domain)
    for match in _EMAIL_RE.finditer(fields.get("email", "")):
        address = match.group(0).lower()
        if address not in emails:
            emails.append(address)
        domain = _registered_domain(match.group(1))
        if domain and domain not in domains and not domain_tools.is_public_mail_domain(domain):
            domains.append(domain)
    return domains, emails


def _phones(fields: Mapping[str, str], country: str | None) -> tuple[list[str], list[str]]:
    phones: list[str] = []
    unreadable: list[str] = []
    region = country or "RU"
    for part in _PHONE_SPLIT.split(fields.get("phone", "")):
        part = part.strip()
        if not part:
            continue
        phone = normalise_phone(part, region=region)
        if phone:
            if phone not in phones:
                phones.append(phone)
        else:
            unreadable.append(part)
    return phones, unreadable


def canonical_row(fields: Mapping[str, str]) -> dict[str, Any]:
    """The canonical record of one row; ``error`` is set when the row cannot be imported.

    Keys: name, display_name, legal_form, name_key, latin_key, script, identifiers (list of
    kind/value/valid/error), inn/ogrn/kpp/bin/unp (valid values only), country, city (dict or
    None), city_raw, region, federal_district, address, domains, emails, phones, level,
    level_rank, vendor, specialisations, sectors (keys), *_unknown (unrecognised parts), contact,
    warnings (list of str), error (str or None).
    """
    warnings: list[str] = []
    record: dict[str, Any] = {"warnings": warnings, "error": None}
    name = " ".join(fields.get("name", "").split())
    if len(name) > MAX_NAME_LENGTH:
        warnings.append(f"name cut to {MAX_NAME_LENGTH} characters")
        name = name[:MAX_NAME_LENGTH]
    country = country_code(fields.get("country", "")) if fields.get("country") else None
    identifiers = _identifiers(fields, country)
    record["identifiers"] = identifiers
    for item in identifiers:
        if item["valid"]:
            record.setdefault(item["kind"], item["value"])
            if country is None and item["kind"] in {"bin", "unp"}:
                country = "KZ" if item["kind"] == "bin" else "BY"
        else:
            label = item["kind"].upper()
            reason = "bad checksum" if item["error"] == "InvalidChecksum" else "malformed"
            warnings.append(f"{label} {item['value']}: {reason}; kept, flagged, not used to link")
    parsed = split_legal_form(name) if name else None
    core = (parsed.core if parsed else "").strip()
    legal_form = (parsed.legal_form if parsed else None) or fields.get("legal_form") or None
    record.update(
        name=name,
        legal_form=legal_form,
        display_name=display_name(name) if name else "",
        name_key=normalise_company_name(name) if name else "",
        latin_key=latin_key(core or name) if name else "",
        script=script_of(core or name) if name else "",
    )
    if not name:
        record["error"] = "no company name"
    elif not record["name_key"]:
        only_form = bool(legal_form) and not core
        detail = "only a legal form" if only_form else "no letters or digits"
        record["error"] = f"no company name: the name cell reads {name!r} ({detail})"
    city = _city(fields, country)
    region = _region(fields, country) if city is None else None
    if city and country is None:
        country = city["country"]
    if region and country is None:
        country = region["country"]
    if fields.get("city") and city is None:
        warnings.append(f"city {fields['city']!r} not recognised")
    record.update(
        country=country,
        city=city,
        city_raw=fields.get("city", ""),
        region=(city or {}).get("region") or (region or {}).get("name"),
        federal_district=(city or {}).get("federal_district")
        or (region or {}).get("federal_district"),
        address=fields.get("address", ""),
    )
    domains, emails = _domains(fields)
    phones, unreadable = _phones(fields, country)
    for part in unreadable:
        warnings.append(f"phone {part!r} not recognised")
    level = fields.get("level", "").strip()
    specialisations, spec_unknown = specialisation_keys(fields.get("specialisations", ""))
    sectors, sector_unknown = sector_keys(fields.get("sectors", ""))
    record.update(
        domains=domains,
        emails=emails,
        phones=phones,
        level=level,
        level_rank=level_rank(level) if level else 0,
        vendor=fields.get("vendor", "").strip(),
        specialisations=specialisations,
        specialisations_unknown=spec_unknown,
        sectors=sectors,
        sectors_unknown=sector_unknown,
        contact=fields.get("contact", ""),
    )
    return record
