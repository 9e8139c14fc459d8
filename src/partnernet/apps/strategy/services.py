"""Writes: strategies and their choices, targets, custom tactics, saved deal calculations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnernet.apps.register.models import Company, Vendor
from partnernet.engines.pricing.chain import ChainResult
from partnernet.engines.strategy.catalogue import ROLES, CatalogueError, merge, text
from partnernet.engines.strategy.examples import examples

from . import selectors
from .models import (
    Certification,
    DealCalculation,
    Dimension,
    PartnerStanding,
    ProgramLevel,
    Strategy,
    StrategyChoice,
    Tactic,
    Target,
)


def strategy_create(
    *,
    title: str,
    role: str,
    goal_metric: str = "",
    goal_target: Decimal | None = None,
    goal_unit: str = "%",
    goal_horizon_years: Decimal | None = None,
    goal_baseline: Decimal | None = None,
    goal_description: str = "",
    summary: str = "",
    user: Any = None,
) -> Strategy:
    if role not in ROLES:
        raise ValidationError(_("Unknown role."))
    return Strategy.objects.create(
        title=title,
        role=role,
        goal_metric=goal_metric,
        goal_target=goal_target,
        goal_unit=goal_unit,
        goal_horizon_years=goal_horizon_years,
        goal_baseline=goal_baseline,
        goal_description=goal_description,
        summary=summary,
        created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )


def strategy_update(*, strategy: Strategy, **fields: Any) -> Strategy:
    allowed = {
        "title",
        "role",
        "goal_metric",
        "goal_target",
        "goal_unit",
        "goal_horizon_years",
        "goal_baseline",
        "goal_description",
        "summary",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}")
    if "role" in fields and fields["role"] not in ROLES:
        raise ValidationError(_("Unknown role."))
    for name, value in fields.items():
        setattr(strategy, name, value)
    strategy.save()
    return strategy


def strategy_choice_set(
    *,
    strategy: Strategy,
    dimension: str,
    tactics: Iterable[str] = (),
    vendor_decides: bool = False,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    note: str = "",
) -> StrategyChoice | None:
    """Record the decision for one dimension; an empty decision without a note removes it.

    Unknown tactics are stored as given: the composer's checks report them, so a strategy
    survives a tactic being removed from a user catalogue.
    """
    tactics = [t for t in dict.fromkeys(tactics) if t]
    if not tactics and not vendor_decides and not note.strip():
        StrategyChoice.objects.filter(strategy=strategy, dimension=dimension).delete()
        return None
    choice, _created = StrategyChoice.objects.update_or_create(
        strategy=strategy,
        dimension=dimension,
        defaults={
            "tactics": tactics,
            "vendor_decides": vendor_decides,
            "parameters": {k: dict(v) for k, v in (parameters or {}).items() if k in tactics},
            "note": note.strip(),
        },
    )
    strategy.save(update_fields=["updated"])
    return choice


@transaction.atomic
def strategy_copy_example(*, key: str, lang: str = "ru", user: Any = None) -> Strategy:
    """A new stored strategy made from one of the book's worked examples."""
    example = examples()[key]
    goal = example.goal
    strategy = strategy_create(
        title=text(example.title, lang),
        role=example.role,
        goal_metric=goal.metric if goal else "",
        goal_target=goal.target if goal else None,
        goal_unit=goal.unit if goal else "%",
        goal_horizon_years=goal.horizon_years if goal else None,
        goal_baseline=goal.baseline if goal else None,
        goal_description=text(goal.description, lang) if goal else "",
        summary=text(example.summary, lang),
        user=user,
    )
    strategy.copied_from = key
    strategy.save(update_fields=["copied_from"])
    for choice in example.choices:
        strategy_choice_set(
            strategy=strategy,
            dimension=choice.dimension,
            tactics=choice.tactics,
            vendor_decides=choice.vendor_decides,
            parameters=choice.parameters,
            note=text(choice.note, lang),
        )
    return strategy


def strategy_delete(*, strategy: Strategy) -> None:
    strategy.delete()


def target_create(
    *,
    strategy: Strategy,
    metric: str,
    target_value: Decimal,
    baseline: Decimal | None = None,
    vendor: Vendor | None = None,
    min_level_rank: int = 0,
    level: Any = None,
    stage: Any = None,
    include_later_stages: bool = True,
    quota: Any = None,
    direction: str = "",
    due: Any = None,
    dimension: str = "",
    note: str = "",
) -> Target:
    """A tracked target; ``stage`` and ``quota`` are partner selection's funnel stage and
    stored quota, ``direction`` "at_least"/"at_most" (empty: the metric's natural one)."""
    target = Target(
        strategy=strategy,
        metric=metric,
        target_value=target_value,
        baseline=baseline,
        vendor=vendor,
        min_level_rank=min_level_rank,
        level=level,
        stage=stage,
        include_later_stages=include_later_stages,
        quota=quota,
        direction=direction,
        due=due,
        dimension=dimension,
        note=note,
    )
    target.full_clean()
    target.save()
    return target


def target_delete(*, target: Target) -> None:
    target.delete()


def tactic_create(
    *,
    dimension: str,
    key: str,
    name_ru: str,
    name_en: str = "",
    description_ru: str = "",
    description_en: str = "",
    when_to_use_ru: str = "",
    when_to_use_en: str = "",
    roles: Iterable[str] = (),
) -> Tactic:
    """Add a user's tactic; refuses keys that clash with the catalogue."""
    tactic = Tactic(
        dimension=dimension,
        key=key,
        name_ru=name_ru,
        name_en=name_en,
        description_ru=description_ru,
        description_en=description_en,
        when_to_use_ru=when_to_use_ru,
        when_to_use_en=when_to_use_en,
        roles=list(roles),
    )
    tactic.full_clean()
    catalogue = selectors.catalogue()
    if not catalogue.has_dimension(dimension):
        raise ValidationError(_("There is no dimension “%(key)s”.") % {"key": dimension})
    if key in catalogue.dimension(dimension).tactic_keys():
        raise ValidationError(_("The dimension already has a tactic “%(key)s”.") % {"key": key})
    try:
        merge(
            catalogue,
            {
                "dimensions": [
                    {
                        "key": dimension,
                        "tactics": [
                            {
                                "key": key,
                                "name": {"ru": name_ru, "en": name_en or name_ru},
                                "description": {"ru": description_ru or name_ru},
                                "roles": list(roles) or None,
                            }
                        ],
                    }
                ]
            },
        )
    except CatalogueError as exc:
        raise ValidationError(str(exc)) from exc
    tactic.save()
    return tactic


def dimension_create(
    *,
    key: str,
    name_ru: str,
    name_en: str = "",
    description_ru: str = "",
    description_en: str = "",
    roles: Iterable[str] = ROLES,
) -> Dimension:
    dimension = Dimension(
        key=key,
        name_ru=name_ru,
        name_en=name_en,
        description_ru=description_ru,
        description_en=description_en,
        roles=list(roles),
    )
    dimension.full_clean()
    if selectors.catalogue().has_dimension(key):
        raise ValidationError(_("A dimension “%(key)s” exists already.") % {"key": key})
    if set(roles) - set(ROLES):
        raise ValidationError(_("Unknown role."))
    dimension.save()
    return dimension


def deal_calculation_save(
    *,
    result: ChainResult,
    inputs: Mapping[str, Any],
    title: str = "",
    company: Company | None = None,
) -> DealCalculation:
    partner = result.party("partner")
    return DealCalculation.objects.create(
        title=title,
        company=company,
        tactic=result.tactic,
        inputs=dict(inputs),
        result=_jsonable(result.to_dict()),
        customer_price=result.customer_price,
        partner_margin_pct=partner.margin_pct if partner else None,
        below_floor=any(
            w.code == "below_partner_floor"
            or (w.code == "negative_margin" and w.party == "partner")
            for w in result.warnings
        ),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@transaction.atomic
def strategy_import(*, data: Mapping[str, Any], lang: str = "ru", user: Any = None) -> Strategy:
    """Store a strategy given as plain data (the engine's format, e.g. an edited export)."""
    from partnernet.engines.strategy.compose import strategy_from_dict

    engine = strategy_from_dict(data)
    goal = engine.goal
    strategy = strategy_create(
        title=text(engine.title, lang) or "—",
        role=engine.role,
        goal_metric=goal.metric if goal else "",
        goal_target=goal.target if goal else None,
        goal_unit=goal.unit if goal else "%",
        goal_horizon_years=goal.horizon_years if goal else None,
        goal_baseline=goal.baseline if goal else None,
        goal_description=text(goal.description, lang) if goal else "",
        summary=text(engine.summary, lang),
        user=user,
    )
    for choice in engine.choices:
        strategy_choice_set(
            strategy=strategy,
            dimension=choice.dimension,
            tactics=choice.tactics,
            vendor_decides=choice.vendor_decides,
            parameters=choice.parameters,
            note=text(choice.note, lang),
        )
    return strategy


def _company_for(ref: str) -> Company | None:
    return selectors.company_by_ref(ref)


@transaction.atomic
def program_load(*, levels: Iterable[Any], partners: Iterable[Any]) -> dict[str, Any]:
    """Store programme levels and partners' facts read by the engine's loaders.

    Levels are upserted by key. A partner's ``id`` is a register company's INN or id; its
    standing is upserted, its certifications replace the ones stored for that company. Partners
    that match no company are reported, not created.
    """
    from partnernet.engines.strategy.program import Level, PartnerFacts

    stored_levels = {}
    for level in levels:
        assert isinstance(level, Level)
        stored_levels[level.key], _created = ProgramLevel.objects.update_or_create(
            key=level.key,
            defaults={
                "name": level.name,
                "rank": level.rank,
                "min_yearly_sales": level.requirements.yearly_sales,
                "min_certified_sales": level.requirements.certified_sales,
                "min_certified_engineers": level.requirements.certified_engineers,
                "min_marketing_activities": level.requirements.marketing_activities,
                "discount_pct": level.benefits.discount_pct,
                "benefits": level.benefits.notes,
            },
        )
    unmatched: list[str] = []
    loaded = certifications = 0
    vendors = {v.name: v for v in Vendor.objects.all()}
    for partner in partners:
        assert isinstance(partner, PartnerFacts)
        company = _company_for(partner.id)
        if company is None:
            unmatched.append(partner.id)
            continue
        level = None
        if partner.current_level:
            level = (
                stored_levels.get(partner.current_level)
                or ProgramLevel.objects.filter(key=partner.current_level).first()
            )
            if level is None:
                raise ValidationError(
                    _("Unknown programme level “%(key)s”.") % {"key": partner.current_level}
                )
        PartnerStanding.objects.update_or_create(
            company=company,
            defaults={
                "level": level,
                "yearly_sales": partner.yearly_sales,
                "marketing_activities": partner.marketing_activities,
            },
        )
        loaded += 1
        if partner.certifications:
            Certification.objects.filter(company=company).delete()
            for cert in partner.certifications:
                Certification.objects.create(
                    company=company,
                    person=cert.person,
                    role=cert.role,
                    vendor=vendors.get(cert.vendor) if cert.vendor else None,
                    course=cert.course,
                    provider=cert.provider,
                    issued=cert.issued,
                    expires=cert.expires,
                )
                certifications += 1
    return {
        "levels": len(stored_levels),
        "partners": loaded,
        "certifications": certifications,
        "unmatched": unmatched,
    }


# Partner programme: levels, certifications, standings ------------------------------------------


def program_level_save(
    *,
    level: ProgramLevel | None = None,
    key: str,
    name: str,
    rank: int,
    min_yearly_sales: Decimal = Decimal(0),
    min_certified_sales: int = 0,
    min_certified_engineers: int = 0,
    min_marketing_activities: int = 0,
    discount_pct: Decimal | None = None,
    margin_parameters: Mapping[str, Any] | None = None,
    benefits: str = "",
) -> ProgramLevel:
    """Create a level, or update ``level``; key and rank stay unique (a clear error if not).

    Errors name the field they concern (``ValidationError`` with a field mapping), so the web
    form and the API show them next to the value.
    """
    if discount_pct is not None and not Decimal(0) <= discount_pct < Decimal(100):
        raise ValidationError({"discount_pct": _("A discount is a percentage from 0 up to 100.")})
    parameters = _margin_parameters(margin_parameters or {})
    level = level or ProgramLevel()
    level.key = key
    level.name = name
    level.rank = rank
    level.min_yearly_sales = min_yearly_sales
    level.min_certified_sales = min_certified_sales
    level.min_certified_engineers = min_certified_engineers
    level.min_marketing_activities = min_marketing_activities
    level.discount_pct = discount_pct
    level.margin_parameters = parameters
    level.benefits = benefits
    level.full_clean()
    level.save()
    return level


MARGIN_PARAMETER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _margin_parameters(parameters: Mapping[str, Any]) -> dict[str, str]:
    """Margin-tactic parameters as ``{name: decimal string}``; names are lower-case words."""
    result: dict[str, str] = {}
    for name, value in parameters.items():
        if not MARGIN_PARAMETER_NAME.match(str(name)):
            raise ValidationError(
                {
                    "margin_parameters": _(
                        "“%(name)s” is not a parameter name: lower-case Latin letters, digits "
                        "and underscores."
                    )
                    % {"name": name}
                }
            )
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite() or isinstance(value, bool):
            raise ValidationError(
                {"margin_parameters": _("“%(name)s” needs a number.") % {"name": name}}
            )
        result[str(name)] = str(number)
    return result


def program_level_delete(*, level: ProgramLevel) -> None:
    """Partners at the level keep their standing without a level (the evaluation re-places
    them)."""
    level.delete()


# What ``certification_save`` takes besides the company (the form's and the API's fields).
CERTIFICATION_FIELDS = (
    "person",
    "contact",
    "role",
    "vendor",
    "course",
    "provider",
    "certificate_number",
    "issued",
    "expires",
)


def certification_save(
    *,
    certification: Certification | None = None,
    company: Company,
    person: str = "",
    role: str,
    contact: Any = None,
    vendor: Vendor | None = None,
    course: str = "",
    provider: str = "other",
    certificate_number: str = "",
    issued: Any = None,
    expires: Any = None,
) -> Certification:
    """Create or update a certification of one person of a partner.

    ``contact`` is the person in the contact base (contacts app), which must work (or have
    worked) at the same company; without a written name the contact's name is used.
    """
    if contact is not None and contact.company_id not in (None, company.pk):
        raise ValidationError({"contact": _("The contact belongs to another company.")})
    name = person.strip() or (contact.full_name if contact is not None else "")
    if not name:
        raise ValidationError({"person": _("Name the certified person or choose a contact.")})
    if issued and expires and expires < issued:
        raise ValidationError({"expires": _("A certificate cannot expire before it was issued.")})
    cert = certification or Certification()
    cert.company = company
    cert.person = name
    cert.role = role
    cert.contact = contact
    cert.vendor = vendor
    cert.course = course.strip()
    cert.provider = provider
    cert.certificate_number = certificate_number.strip()
    cert.issued = issued
    cert.expires = expires
    cert.full_clean()
    cert.save()
    return cert


def certification_delete(*, certification: Certification) -> None:
    certification.delete()


def partner_standing_set(
    *,
    company: Company,
    level: ProgramLevel | None = None,
    yearly_sales: Decimal = Decimal(0),
    marketing_activities: int = 0,
) -> PartnerStanding:
    """Put a partner in the programme, or update its level and the facts it is judged by."""
    while company.merged_into_id:  # type: ignore[attr-defined]
        company = company.merged_into  # type: ignore[assignment]
    standing, _created = PartnerStanding.objects.update_or_create(
        company=company,
        defaults={
            "level": level,
            "yearly_sales": yearly_sales,
            "marketing_activities": marketing_activities,
        },
    )
    return standing


def partner_standing_remove(*, company: Company) -> None:
    PartnerStanding.objects.filter(company=company).delete()
