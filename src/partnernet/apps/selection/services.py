"""Writes of selection: partnerships and their stages, funnel rules, quotas, target customers
and their suppliers, shortlists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnernet.apps.register.models import Company, CompanyIdentifier, CompanyName
from partnernet.engines import geo
from partnernet.engines.names.normalise import normalise_company_name
from partnernet.engines.selection.phased import RuleError, StageRule
from partnernet.engines.selection.regional import QuotaError, parse_quota
from partnernet.engines.sources import open_source
from partnernet.engines.sources.headers import normalise_header

from .models import (
    Approach,
    CustomerSize,
    FunnelStageDefinition,
    PartnerKind,
    Partnership,
    Quota,
    Shortlist,
    ShortlistEntry,
    StageHistory,
    SupplyRelation,
    TargetCustomer,
)
from .selectors import SelectionError, criteria_from_parameters

FACTS = ("deals_12m", "certified_people", "marketing_events_12m")

# Partnerships ----------------------------------------------------------------------------------


def _stage(key: str | None) -> FunnelStageDefinition:
    stages = FunnelStageDefinition.objects.order_by("order", "key")
    stage = stages.filter(key=key).first() if key else stages.first()
    if stage is None:
        raise SelectionError("unknown_stage", f"unknown funnel stage {key!r}", stage=key)
    return stage


def partnership_set(
    *,
    company: Company,
    stage: str | None = None,
    kinds: Sequence[str] | None = None,
    joined_on: date | None = None,
    facts: dict[str, int] | None = None,
    notes: str | None = None,
    user: Any = None,
    rule: str = "",
    moved_on: date | None = None,
) -> Partnership:
    """Create or update our partnership with a company; a stage change goes to its history."""
    unknown = [k for k in kinds or () if k not in PartnerKind.values]
    if unknown:
        raise SelectionError(
            "unknown_kind",
            f"unknown partner kind(s) {unknown}; known: {PartnerKind.values}",
            kinds=", ".join(unknown),
            known=", ".join(PartnerKind.values),
        )
    with transaction.atomic():
        partnership = Partnership.objects.select_related("stage").filter(company=company).first()
        target = _stage(stage) if stage or partnership is None else partnership.stage
        if partnership is None:
            partnership = Partnership(company=company, stage=target)
            if joined_on:
                partnership.joined_on = joined_on
            previous = None
        else:
            previous = partnership.stage
            partnership.stage = target
            if joined_on:
                partnership.joined_on = joined_on
        if kinds is not None:
            partnership.kinds = list(kinds)
        for name, value in (facts or {}).items():
            if name not in FACTS:
                known = ", ".join(FACTS)
                raise SelectionError(
                    "unknown_fact", f"unknown fact {name!r}; known: {known}", fact=name, known=known
                )
            setattr(partnership, name, max(0, int(value)))
        if notes is not None:
            partnership.notes = notes
        partnership.save()
        if previous is None or previous.pk != target.pk:
            StageHistory.objects.create(
                company=company,
                from_stage=previous,
                to_stage=target,
                moved_on=moved_on
                or (partnership.joined_on if previous is None else timezone.localdate()),
                rule=rule,
                user=user if getattr(user, "is_authenticated", False) else None,
            )
    return partnership


def stage_moves_apply(
    *, moves: Iterable[tuple[int, str]], user: Any = None, moved_on: date | None = None
) -> int:
    """Apply the moves the user accepted: ``(company id, stage key)``; returns how many moved."""
    definitions = {d.key: d for d in FunnelStageDefinition.objects.all()}
    moved = 0
    with transaction.atomic():
        for company_id, key in moves:
            stage = definitions.get(key)
            if stage is None:
                raise SelectionError("unknown_stage", f"unknown funnel stage {key!r}", stage=key)
            partnership = Partnership.objects.select_related("company", "stage").get(
                company_id=company_id
            )
            if partnership.stage_id == stage.pk:
                continue
            partnership_set(
                company=partnership.company,
                stage=key,
                user=user,
                rule="; ".join(stage.rule_lines()) or "rules",
                moved_on=moved_on,
            )
            moved += 1
    return moved


def funnel_stage_update(
    *,
    stage: FunnelStageDefinition,
    rules: str,
    name: str | None = None,
    name_en: str | None = None,
    counts_as_recruited: bool | None = None,
) -> FunnelStageDefinition:
    """Change a stage's rules (one ``METRIC OP NUMBER`` per line); invalid rules are refused."""
    lines = [line.strip() for line in rules.replace(";", "\n").splitlines() if line.strip()]
    try:
        parsed = [StageRule.parse(line) for line in lines]
    except RuleError as exc:
        raise SelectionError.wrap(exc) from exc
    stage.rules = "\n".join(rule.describe().replace(" ", "") for rule in parsed)
    if name is not None:
        stage.name = name
    if name_en is not None:
        stage.name_en = name_en
    if counts_as_recruited is not None:
        stage.counts_as_recruited = counts_as_recruited
    stage.save()
    return stage


# Quotas ----------------------------------------------------------------------------------------


def quota_create(*, spec: str, label: str = "", criteria: dict[str, Any] | None = None) -> Quota:
    try:
        parse_quota(spec)
    except QuotaError as exc:
        raise SelectionError.wrap(exc) from exc
    criteria = criteria or {}
    criteria_from_parameters(criteria)  # unknown niches or sectors fail here, not at run time
    return Quota.objects.create(spec=spec.strip(), label=label, criteria=criteria)


# Target customers and suppliers ----------------------------------------------------------------

CUSTOMER_COLUMNS = {
    "name": {"name", "customer", "наименование", "название", "заказчик", "компания", "клиент"},
    "inn": {"inn", "инн", "customer inn", "инн заказчика"},
    "sector": {"sector", "отрасль", "сектор", "вертикаль", "industry"},
    "size": {"size", "размер", "масштаб", "category", "категория"},
}
SUPPLIER_COLUMNS = {
    "customer": {"customer", "заказчик", "клиент", "customer name"},
    "customer_inn": {"customer inn", "инн заказчика"},
    "name": {"supplier", "supplier name", "поставщик", "партнер", "partner", "интегратор"},
    "inn": {"supplier inn", "инн поставщика", "inn", "инн"},
    "city": {"city", "город", "supplier city", "город поставщика"},
    "source": {"source", "источник"},
}
SIZE_WORDS = {
    "large": CustomerSize.LARGE,
    "крупный": CustomerSize.LARGE,
    "l": CustomerSize.LARGE,
    "enterprise": CustomerSize.LARGE,
    "mid": CustomerSize.MID,
    "medium": CustomerSize.MID,
    "middle": CustomerSize.MID,
    "средний": CustomerSize.MID,
    "m": CustomerSize.MID,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    linked: int = 0
    linked_by: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unlinked: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "linked": self.linked,
            "linked_by": dict(self.linked_by),
            "unlinked": self.unlinked,
            "errors": self.errors,
        }


def _rows(path: Path, columns: dict[str, set[str]]) -> Iterable[tuple[int, dict[str, str]]]:
    """Rows of a CSV/XLSX/HTML/JSON file as ``{our column: value}`` (header words above)."""
    # The register's reader finds the header row by the partner-list fields it knows; tell it
    # that our name columns are names and the rest comments so it accepts these files too.
    mapping = {}
    for column, words in columns.items():
        for word in words:
            mapping[word] = "name" if column == "name" else "comment"
    reader = open_source(path, mapping=mapping)
    lookup = {word: column for column, words in columns.items() for word in words}
    for raw in reader:
        row: dict[str, str] = {}
        for header, value in raw.values.items():
            found = lookup.get(normalise_header(header))
            if found is not None and found not in row:
                row[found] = str(value or "").strip()
        yield raw.number, row


class CompanyMatcher:
    """Find a register company by INN, else by normalised name (narrowed by city if given)."""

    def __init__(self) -> None:
        live = Company.objects.filter(merged_into__isnull=True)
        self.by_inn: dict[str, int] = {}
        for company_id, inn in live.exclude(inn="").values_list("id", "inn"):
            self.by_inn.setdefault(inn, company_id)
        for company_id, value in CompanyIdentifier.objects.filter(
            kind="inn", company__merged_into__isnull=True
        ).values_list("company_id", "value"):
            self.by_inn.setdefault(value, company_id)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for company_id, key in live.values_list("id", "name_key"):
            self.by_name[key].add(company_id)
        for company_id, key in CompanyName.objects.filter(
            company__merged_into__isnull=True
        ).values_list("company_id", "name_key"):
            self.by_name[key].add(company_id)
        self.city_of = dict(live.exclude(city_key="").values_list("id", "city_key"))

    def match(self, *, name: str = "", inn: str = "", city: str = "") -> tuple[int | None, str]:
        inn = "".join(ch for ch in inn if ch.isdigit())
        if inn and inn in self.by_inn:
            return self.by_inn[inn], "inn"
        key = normalise_company_name(name) if name else ""
        found = self.by_name.get(key, set()) if key else set()
        if len(found) > 1 and city:
            place = geo.resolve_city(city)
            if place is not None:
                found = {c for c in found if self.city_of.get(c) == place.key}
        if len(found) == 1:
            return next(iter(found)), "name_city" if city else "name"
        return None, ""


def target_customers_import(*, path: str | Path) -> ImportResult:
    """Add or update target customers from a file with columns name, INN, sector, size.

    A customer already known (same INN, else same normalised name) is updated, not doubled.
    An unreadable size is taken as large (the usual target of a specialised product) and
    reported.
    """
    result = ImportResult()
    matcher = CompanyMatcher()
    existing_inn = dict(TargetCustomer.objects.exclude(inn="").values_list("inn", "id"))
    existing_name = dict(TargetCustomer.objects.values_list("name_key", "id"))
    with transaction.atomic():
        for number, row in _rows(Path(path), CUSTOMER_COLUMNS):
            name = row.get("name", "")
            if not name:
                result.errors.append(f"row {number}: no customer name")
                continue
            inn = "".join(ch for ch in row.get("inn", "") if ch.isdigit())
            size_text = row.get("size", "").strip().lower()
            size = SIZE_WORDS.get(size_text)
            if size is None:
                size = CustomerSize.LARGE
                if size_text:
                    result.errors.append(f"row {number}: size {size_text!r} read as large")
            key = normalise_company_name(name)
            company_id, method = matcher.match(name=name, inn=inn)
            values = {
                "name": name,
                "name_key": key,
                "inn": inn,
                "sector": row.get("sector", ""),
                "size": size,
                "company_id": company_id,
            }
            pk = existing_inn.get(inn) if inn else None
            pk = pk or existing_name.get(key)
            if pk:
                TargetCustomer.objects.filter(pk=pk).update(**values)
                result.updated += 1
            else:
                customer = TargetCustomer.objects.create(**values)
                existing_name[key] = customer.pk
                if inn:
                    existing_inn[inn] = customer.pk
                result.created += 1
            if company_id:
                result.linked += 1
                result.linked_by[method] += 1
    return result


def supply_relations_import(*, path: str | Path, source: str = "") -> ImportResult:
    """Add known suppliers of target customers (columns customer, supplier, supplier INN, city,
    source); suppliers are linked to register companies by INN, else by name (and city)."""
    result = ImportResult()
    matcher = CompanyMatcher()
    customers_by_inn = dict(TargetCustomer.objects.exclude(inn="").values_list("inn", "id"))
    customers_by_name = dict(TargetCustomer.objects.values_list("name_key", "id"))
    known: set[tuple[int, int | None, str]] = set(
        SupplyRelation.objects.values_list("customer_id", "company_id", "supplier_name")
    )
    known_pairs = {(c, p) for c, p, _n in known if p}
    with transaction.atomic():
        for number, row in _rows(Path(path), SUPPLIER_COLUMNS):
            customer_inn = "".join(ch for ch in row.get("customer_inn", "") if ch.isdigit())
            customer_id = customers_by_inn.get(customer_inn) if customer_inn else None
            customer_id = customer_id or customers_by_name.get(
                normalise_company_name(row.get("customer", ""))
            )
            if customer_id is None:
                result.errors.append(
                    f"row {number}: customer {row.get('customer', '')!r} is not a target customer"
                )
                continue
            name, inn = row.get("name", ""), row.get("inn", "")
            if not name and not inn:
                result.errors.append(f"row {number}: no supplier name or INN")
                continue
            company_id, method = matcher.match(name=name, inn=inn, city=row.get("city", ""))
            if (customer_id, company_id, name) in known or (customer_id, company_id) in known_pairs:
                result.updated += 1
                continue
            SupplyRelation.objects.create(
                customer_id=customer_id,
                company_id=company_id,
                supplier_name=name,
                supplier_inn="".join(ch for ch in inn if ch.isdigit()),
                link_method=method,
                source=row.get("source", "") or source,
            )
            known.add((customer_id, company_id, name))
            if company_id:
                known_pairs.add((customer_id, company_id))
            result.created += 1
            if company_id:
                result.linked += 1
                result.linked_by[method] += 1
            else:
                result.unlinked += 1
    return result


# Shortlists ------------------------------------------------------------------------------------


def shortlist_save(
    *,
    name: str,
    approach: str,
    parameters: dict[str, Any],
    entries: Sequence[dict[str, Any]],
    user: Any = None,
) -> Shortlist:
    """Store a selection's ranked companies under ``name`` (a re-run of a name replaces it)."""
    if approach not in Approach.values:
        raise SelectionError(
            "unknown_approach", f"unknown approach {approach!r}", approach=approach
        )
    if not name.strip():
        raise SelectionError("shortlist_name", "a shortlist needs a name")
    with transaction.atomic():
        shortlist, _created = Shortlist.objects.update_or_create(
            name=name.strip(),
            defaults={
                "approach": approach,
                "parameters": parameters,
                "created_at": timezone.now(),
                "created_by": user if getattr(user, "is_authenticated", False) else None,
            },
        )
        shortlist.entries.all().delete()
        seen: set[int] = set()
        rows: list[ShortlistEntry] = []
        for entry in entries:
            company_id = entry.get("company_id")
            if not company_id or company_id in seen:
                continue
            seen.add(company_id)
            rows.append(
                ShortlistEntry(
                    shortlist=shortlist,
                    company_id=company_id,
                    rank=len(rows) + 1,
                    score=float(entry.get("score") or 0.0),
                    territory=str(entry.get("territory") or "")[:200],
                    reasons=list(entry.get("reasons") or []),
                    warnings=list(entry.get("warnings") or []),
                )
            )
        ShortlistEntry.objects.bulk_create(rows, batch_size=2000)
    return shortlist
