"""Contacts from CSV/XLSX (and the other formats the register's readers take).

Columns are recognised by their headers in Russian or English: ФИО / Full name, or Фамилия /
Имя / Отчество; Должность / Position; E-mail; Телефон / Phone; Компания / Company; ИНН; Источник /
Source; Правовое основание / Legal basis. People are linked to companies of the register by INN,
then by the registered domain of their e-mail (never a public mail service), then by company
name. A person already known (same address, or same name at the same company) is updated and
confirmed instead of duplicated. Companies are not created here: unlinked people are reported.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnernet.apps.register.models import Company, CompanyDomain
from partnernet.engines.contactinfo.domains import is_public_mail_domain
from partnernet.engines.names.normalise import normalise_company_name
from partnernet.engines.sources import normalise_header, open_source

from .changes import ChangeSet
from .models import EmailAddress, LegalBasis, Person
from .services import (
    email_add,
    email_domain,
    is_email,
    name_parts,
    normalise_email,
    person_create,
    phone_add,
    phone_kind,
    suppression_is_blocked,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "фио",
        "ф и о",
        "full name",
        "контакт",
        "контактное лицо",
        "contact",
        "contact person",
        "contact name",
        "сотрудник",
        "person",
    ),
    "surname": ("фамилия", "surname", "last name", "family name"),
    "first_name": ("имя", "first name", "given name"),
    "patronymic": ("отчество", "patronymic", "middle name"),
    "position": ("должность", "position", "job title", "title"),
    "email": (
        "e mail",
        "email",
        "почта",
        "эл почта",
        "электронная почта",
        "адрес электронной почты",
        "mail",
    ),
    "phone": ("телефон", "phone", "тел", "мобильный", "mobile", "мобильный телефон"),
    "company": (
        "компания",
        "company",
        "организация",
        "organisation",
        "organization",
        "партнер",
        "наименование",
    ),
    "inn": ("инн", "inn", "tax id"),
    "source": ("источник", "source"),
    "legal_basis": (
        "правовое основание",
        "основание",
        "основание обработки",
        "legal basis",
        "basis",
    ),
}
_LOOKUP = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
# Tell the register's reader that these headers are known, so a contacts file is recognised
# as having a header row (the values are read here, by header text).
_READER_HINTS = {
    alias: "contact"
    for field in ("full_name", "surname", "first_name", "patronymic", "position")
    for alias in ALIASES[field]
} | {alias: "comment" for field in ("source", "legal_basis") for alias in ALIASES[field]}

_SPLIT = re.compile(r"[;,\s]+")
_PHONE_SPLIT = re.compile(r"[;,]|\s{2,}|\n")


def column_field(header: str) -> str | None:
    """The contacts field a column header names, or None.

    >>> column_field("Ф.И.О."), column_field("E-mail"), column_field("Должность сотрудника")
    ('full_name', 'email', 'position')
    """
    key = normalise_header(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    key_nodots = key.replace(" ", "")
    for alias, field in _LOOKUP.items():
        if alias.replace(" ", "") == key_nodots:
            return field
    for alias, field in sorted(_LOOKUP.items(), key=lambda kv: -len(kv[0])):
        if len(alias) > 3 and key.startswith(alias + " "):
            return field
    return None


def legal_basis_of(text: str, default: str) -> str:
    value = (text or "").lower()
    if "соглас" in value or "consent" in value:
        return LegalBasis.CONSENT
    if "договор" in value or "contract" in value:
        return LegalBasis.CONTRACT
    if "общедоступ" in value or "public" in value or "открыт" in value:
        return LegalBasis.PUBLIC_SOURCE
    if "интерес" in value or "legitimate" in value:
        return LegalBasis.LEGITIMATE_INTEREST
    return default


class CompanyLinker:
    """Find the register's company for a contact: INN, then e-mail domain, then name."""

    def __init__(self) -> None:
        # Companies found, by domain and by name key: a file repeats them row after row.
        self._by_domain: dict[str, Company | None] = {}
        self._by_name: dict[str, Company | None] = {}

    def by_inn(self, inn: str) -> Company | None:
        digits = re.sub(r"\D", "", inn or "")
        if len(digits) not in (10, 12):
            return None
        return Company.objects.filter(inn=digits, merged_into__isnull=True).first()

    def by_domain(self, domain: str) -> Company | None:
        if not domain or is_public_mail_domain(domain):
            return None
        if domain not in self._by_domain:
            row = (
                CompanyDomain.objects.filter(domain=domain, company__merged_into__isnull=True)
                .values_list("company_id", flat=True)
                .first()
            )
            if row is None:
                row = (
                    Person.objects.filter(emails__domain=domain, company__isnull=False)
                    .values_list("company_id", flat=True)
                    .first()
                )
            self._by_domain[domain] = Company.objects.get(pk=row) if row else None
        return self._by_domain[domain]

    def by_name(self, name: str) -> Company | None:
        key = normalise_company_name(name or "")
        if not key:
            return None
        if key not in self._by_name:
            pks = list(
                Company.objects.filter(name_key=key, merged_into__isnull=True).values_list(
                    "pk", flat=True
                )[:2]
            )
            # Two companies of the same name (in different cities): don't guess.
            self._by_name[key] = Company.objects.get(pk=pks[0]) if len(pks) == 1 else None
        return self._by_name[key]

    def link(self, *, inn: str, emails: list[str], company_name: str) -> tuple[Company | None, str]:
        company = self.by_inn(inn)
        if company:
            return company, "inn"
        for address in emails:
            company = self.by_domain(email_domain(address))
            if company:
                return company, "domain"
        company = self.by_name(company_name)
        if company:
            return company, "name"
        return None, ""


def _row_values(values: dict[str, str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for header, value in values.items():
        field = column_field(header)
        text = str(value or "").strip()
        if field and text and field not in data:
            data[field] = text
    return data


def contacts_import(
    *,
    path: str | Path,
    source: str,
    legal_basis: str = LegalBasis.LEGITIMATE_INTEREST,
    user: Any = None,
) -> dict[str, Any]:
    """Import a contacts file; returns counts and per-row problems."""
    reader = open_source(path, mapping=_READER_HINTS)
    batch = f"contacts-import:{uuid.uuid4().hex[:12]}"
    cs = ChangeSet(reason=f"contacts import from {source}", user=user, batch=batch)
    linker = CompanyLinker()
    counts: Counter[str] = Counter()
    problems: list[dict[str, Any]] = []
    now = timezone.now()
    with transaction.atomic():
        for row in reader:
            counts["rows"] += 1
            data = _row_values(row.values)
            emails = [normalise_email(a) for a in _SPLIT.split(data.get("email", "")) if a.strip()]
            bad = [a for a in emails if not is_email(a)]
            emails = [a for a in emails if is_email(a)]
            phones = [p.strip() for p in _PHONE_SPLIT.split(data.get("phone", "")) if p.strip()]
            full_name = data.get("full_name") or " ".join(
                data[k] for k in ("surname", "first_name", "patronymic") if data.get(k)
            )
            if bad:
                problems.append({"row": row.location, "problem": f"not an address: {bad[0]}"})
            if not full_name and not emails:
                counts["skipped"] += 1
                problems.append({"row": row.location, "problem": "no name and no e-mail"})
                continue
            company, method = linker.link(
                inn=data.get("inn", ""), emails=emails, company_name=data.get("company", "")
            )
            counts[f"linked_by_{method}" if method else "unlinked"] += 1
            row_source = data.get("source") or source
            basis = legal_basis_of(data.get("legal_basis", ""), legal_basis)
            if any(suppression_is_blocked(a) for a in emails):
                counts["suppressed_addresses"] += 1
            person = _existing(company, emails, full_name, data)
            if person is None:
                person_create(
                    full_name=full_name,
                    surname=data.get("surname", ""),
                    first_name=data.get("first_name", ""),
                    patronymic=data.get("patronymic", ""),
                    company=company,
                    position=data.get("position", ""),
                    emails=emails,
                    phones=phones,
                    legal_basis=basis,
                    source=row_source,
                    changes=cs,
                )
                counts["created"] += 1
                continue
            counts["updated"] += 1
            values: dict[str, Any] = {"last_confirmed": now}
            if company and not person.company_id:
                values["company_id"] = company.pk
            if data.get("position") and data["position"] != person.position:
                values["position"] = data["position"][:300]
            cs.update(person, values, f"{person} confirmed by {row_source}")
            for address in emails:
                email_add(person=person, address=address, source=row_source, changes=cs)
            EmailAddress.objects.filter(person=person, address__in=emails).update(
                last_confirmed=now
            )
            for number in phones:
                phone_add(
                    person=person,
                    number=number,
                    kind=phone_kind(number),
                    source=row_source,
                    changes=cs,
                )
    return {
        "source": source,
        "batch": cs.batch,
        "rows": counts["rows"],
        "created": counts["created"],
        "updated": counts["updated"],
        "skipped": counts["skipped"],
        "linked": {k[10:]: v for k, v in counts.items() if k.startswith("linked_by_")},
        "unlinked": counts["unlinked"],
        "suppressed_addresses": counts["suppressed_addresses"],
        "problems": problems[:200],
        "notices": [n.message for n in reader.notices][:50],
    }


def _existing(
    company: Company | None, emails: list[str], full_name: str, data: dict[str, str]
) -> Person | None:
    if emails:
        person = Person.objects.filter(emails__address__in=emails).first()
        if person is not None:
            return person
    if company is not None:
        if data.get("surname"):
            key = "|".join(
                (data.get(k) or "").lower().replace("ё", "е")
                for k in ("surname", "first_name", "patronymic")
            )
        else:
            key = name_parts(full_name)["name_key"]
        if key:
            return Person.objects.filter(company=company, name_key=key).first()
    return None
