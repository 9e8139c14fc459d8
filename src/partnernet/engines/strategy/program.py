"""Partner programme: levels with requirements and benefits, and evaluation of partners.

A programme has ordered :class:`Level` objects (e.g. Registered < Silver < Gold, named by the
user). Each level requires minimum yearly sales, certified sales managers, certified engineers
and marketing activities, and grants benefits (a discount, margin-tactic parameters, notes).

:func:`evaluate` takes a partner's facts — yearly sales, marketing activities and either counts
of certified people or the :class:`Certification` records themselves (only those valid on the
evaluation date count; a person counts once per role however many certificates they hold) — and
returns the highest level whose every requirement is met, what the partner lacks for the next
level, and whether its current level should be raised or lowered.

Certificates come from vendor web courses, training centres, or proctored exams at Pearson VUE
and Prometric (book §5.8).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

PROVIDERS = (
    "vendor_web_course",
    "vendor_classroom",
    "training_centre",
    "pearson_vue",
    "prometric",
    "other",
)
CERT_ROLES = ("sales", "engineer")

#: Requirement keys, their labels and how the partner's value is read.
REQUIREMENTS: dict[str, dict[str, str]] = {
    "yearly_sales": {"ru": "Продажи за год", "en": "Yearly sales"},
    "certified_sales": {
        "ru": "Сертифицированные менеджеры по продажам",
        "en": "Certified sales managers",
    },
    "certified_engineers": {"ru": "Сертифицированные инженеры", "en": "Certified engineers"},
    "marketing_activities": {"ru": "Маркетинговые активности", "en": "Marketing activities"},
}


class ProgramError(ValueError):
    """Malformed levels or partner facts."""


@dataclass(frozen=True)
class Requirements:
    yearly_sales: Decimal = Decimal(0)
    certified_sales: int = 0
    certified_engineers: int = 0
    marketing_activities: int = 0

    def as_dict(self) -> dict[str, Decimal | int]:
        return {
            "yearly_sales": self.yearly_sales,
            "certified_sales": self.certified_sales,
            "certified_engineers": self.certified_engineers,
            "marketing_activities": self.marketing_activities,
        }


@dataclass(frozen=True)
class Benefits:
    discount_pct: Decimal | None = None
    margin_parameters: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    rank: int  # higher = better
    requirements: Requirements = field(default_factory=Requirements)
    benefits: Benefits = field(default_factory=Benefits)


@dataclass(frozen=True)
class Certification:
    person: str
    role: str  # sales | engineer
    vendor: str = ""
    course: str = ""  # course or exam
    provider: str = "other"
    issued: date | None = None
    expires: date | None = None

    def valid_on(self, day: date) -> bool:
        if self.issued is not None and self.issued > day:
            return False
        return self.expires is None or self.expires >= day


@dataclass(frozen=True)
class PartnerFacts:
    id: str
    name: str = ""
    current_level: str | None = None
    yearly_sales: Decimal = Decimal(0)
    marketing_activities: int = 0
    certified_sales: int | None = None  # counts, when certifications are not listed
    certified_engineers: int | None = None
    certifications: tuple[Certification, ...] = ()

    def actual(self, on: date, vendor: str | None = None) -> dict[str, Decimal | int]:
        """The partner's value for each requirement on ``on`` (certificates of ``vendor`` only)."""
        counted = {"sales": set(), "engineer": set()}  # type: dict[str, set[str]]
        for cert in self.certifications:
            if cert.valid_on(on) and (not vendor or not cert.vendor or cert.vendor == vendor):
                counted[cert.role].add(cert.person)
        sales = len(counted["sales"]) if self.certifications else (self.certified_sales or 0)
        engineers = (
            len(counted["engineer"]) if self.certifications else (self.certified_engineers or 0)
        )
        return {
            "yearly_sales": self.yearly_sales,
            "certified_sales": sales,
            "certified_engineers": engineers,
            "marketing_activities": self.marketing_activities,
        }


@dataclass(frozen=True)
class Gap:
    requirement: str
    required: Decimal | int
    actual: Decimal | int

    @property
    def shortfall(self) -> Decimal | int:
        return self.required - self.actual

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "label": dict(REQUIREMENTS[self.requirement]),
            "required": self.required,
            "actual": self.actual,
            "shortfall": self.shortfall,
        }


@dataclass(frozen=True)
class Evaluation:
    partner_id: str
    partner_name: str
    current_level: str | None
    qualifying_level: str | None  # None: not even the lowest level's requirements are met
    next_level: str | None
    gaps_to_next: tuple[Gap, ...]
    gaps_to_current: tuple[Gap, ...]  # what the partner lacks to keep its current level
    movement: str  # promote | demote | keep | enter | leave
    actual: Mapping[str, Decimal | int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "partner_id": self.partner_id,
            "partner_name": self.partner_name,
            "current_level": self.current_level,
            "qualifying_level": self.qualifying_level,
            "next_level": self.next_level,
            "gaps_to_next": [g.to_dict() for g in self.gaps_to_next],
            "gaps_to_current": [g.to_dict() for g in self.gaps_to_current],
            "movement": self.movement,
            "actual": dict(self.actual),
        }


def ordered(levels: Iterable[Level]) -> list[Level]:
    """Levels by rank, lowest first; rank ties and duplicate keys are errors."""
    result = sorted(levels, key=lambda level: level.rank)
    if len({lv.key for lv in result}) != len(result):
        raise ProgramError("duplicate level keys")
    if len({lv.rank for lv in result}) != len(result):
        raise ProgramError("two levels share a rank")
    return result


def gaps(level: Level, actual: Mapping[str, Decimal | int]) -> tuple[Gap, ...]:
    return tuple(
        Gap(name, required, actual[name])
        for name, required in level.requirements.as_dict().items()
        if actual[name] < required
    )


def evaluate(
    partner: PartnerFacts,
    levels: Sequence[Level],
    *,
    on: date | None = None,
    vendor: str | None = None,
) -> Evaluation:
    """The level ``partner`` qualifies for, what it lacks, and the move from its current level.

    Levels are cumulative: a partner qualifies for the highest level whose requirements are all
    met. ``movement`` is ``promote``/``demote`` relative to the current level, ``enter`` for a
    partner without a level that qualifies for one, ``leave`` for a partner with a level that
    qualifies for none, else ``keep``.
    """
    levels = ordered(levels)
    by_key = {lv.key: lv for lv in levels}
    if partner.current_level is not None and partner.current_level not in by_key:
        raise ProgramError(f"partner {partner.id}: unknown current level {partner.current_level!r}")
    actual = partner.actual(on or date.today(), vendor)
    qualifying = None
    for level in levels:
        if not gaps(level, actual):
            qualifying = level
    higher = [lv for lv in levels if qualifying is None or lv.rank > qualifying.rank]
    next_level = higher[0] if higher else None
    current = by_key.get(partner.current_level) if partner.current_level else None
    if current is None:
        movement = "enter" if qualifying else "keep"
    elif qualifying is None:
        movement = "leave"
    elif qualifying.rank > current.rank:
        movement = "promote"
    elif qualifying.rank < current.rank:
        movement = "demote"
    else:
        movement = "keep"
    return Evaluation(
        partner_id=partner.id,
        partner_name=partner.name,
        current_level=partner.current_level,
        qualifying_level=qualifying.key if qualifying else None,
        next_level=next_level.key if next_level else None,
        gaps_to_next=gaps(next_level, actual) if next_level else (),
        gaps_to_current=gaps(current, actual) if current else (),
        movement=movement,
        actual=actual,
    )


def report(
    partners: Iterable[PartnerFacts],
    levels: Sequence[Level],
    *,
    on: date | None = None,
    vendor: str | None = None,
) -> dict[str, Any]:
    """Every partner's evaluation and the lists of partners due for promotion or demotion."""
    evaluations = [evaluate(p, levels, on=on, vendor=vendor) for p in partners]
    by_move: dict[str, list[str]] = {m: [] for m in ("promote", "demote", "enter", "leave", "keep")}
    for ev in evaluations:
        by_move[ev.movement].append(ev.partner_id)
    return {
        "as_of": (on or date.today()).isoformat(),
        "levels": [lv.key for lv in ordered(levels)],
        "partners": [ev.to_dict() for ev in evaluations],
        "due_for_promotion": by_move["promote"] + by_move["enter"],
        "due_for_demotion": by_move["demote"] + by_move["leave"],
        "counts": {m: len(ids) for m, ids in by_move.items()},
    }


# --- loading from YAML / JSON / CSV --------------------------------------------------------------


def _dec(value: Any, where: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ProgramError(f"{where}: not a number: {value!r}") from exc


def _int(value: Any, where: str) -> int:
    number = _dec(value, where)
    if number != number.to_integral() or number < 0:
        raise ProgramError(f"{where}: expected a whole number, got {value!r}")
    return int(number)


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def level_from_dict(data: Mapping[str, Any]) -> Level:
    key = str(data.get("key") or "").strip()
    if not key:
        raise ProgramError("a level without a key")
    req = data.get("requirements") or data  # flat CSV rows carry requirements at top level
    ben = data.get("benefits") or data
    discount = ben.get("discount_pct")
    return Level(
        key=key,
        name=str(data.get("name") or key),
        rank=_int(data.get("rank"), f"level {key} rank"),
        requirements=Requirements(
            yearly_sales=_dec(req.get("yearly_sales"), f"level {key} yearly_sales"),
            certified_sales=_int(req.get("certified_sales"), f"level {key} certified_sales"),
            certified_engineers=_int(
                req.get("certified_engineers"), f"level {key} certified_engineers"
            ),
            marketing_activities=_int(
                req.get("marketing_activities"), f"level {key} marketing_activities"
            ),
        ),
        benefits=Benefits(
            discount_pct=None
            if discount in (None, "")
            else _dec(discount, f"level {key} discount_pct"),
            margin_parameters=dict(ben.get("margin_parameters") or {})
            if isinstance(ben.get("margin_parameters"), Mapping)
            else {},
            notes=str(ben.get("notes") or ""),
        ),
    )


def certification_from_dict(data: Mapping[str, Any]) -> Certification:
    role = str(data.get("role") or "")
    if role not in CERT_ROLES:
        raise ProgramError(f"certification role must be one of {CERT_ROLES}, got {role!r}")
    provider = str(data.get("provider") or "other")
    if provider not in PROVIDERS:
        raise ProgramError(f"certification provider must be one of {PROVIDERS}, got {provider!r}")
    return Certification(
        person=str(data.get("person") or ""),
        role=role,
        vendor=str(data.get("vendor") or ""),
        course=str(data.get("course") or ""),
        provider=provider,
        issued=_date(data.get("issued")),
        expires=_date(data.get("expires")),
    )


def partner_from_dict(data: Mapping[str, Any]) -> PartnerFacts:
    pid = str(data.get("id") or "").strip()
    if not pid:
        raise ProgramError("a partner without an id")

    def optional_int(name: str) -> int | None:
        value = data.get(name)
        return None if value in (None, "") else _int(value, f"partner {pid} {name}")

    return PartnerFacts(
        id=pid,
        name=str(data.get("name") or ""),
        current_level=(str(data["current_level"]).strip() or None)
        if data.get("current_level")
        else None,
        yearly_sales=_dec(data.get("yearly_sales"), f"partner {pid} yearly_sales"),
        marketing_activities=_int(
            data.get("marketing_activities"), f"partner {pid} marketing_activities"
        ),
        certified_sales=optional_int("certified_sales"),
        certified_engineers=optional_int("certified_engineers"),
        certifications=tuple(certification_from_dict(c) for c in data.get("certifications") or ()),
    )


def read_records(path: str | Path, key: str) -> list[dict[str, Any]]:
    """Rows from a YAML/JSON file (a list, or a mapping with ``key``) or a CSV (``,`` or ``;``)."""
    path = Path(path)
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        content = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("cp1251")
        dialect = csv.Sniffer().sniff(
            content.splitlines()[0] if content else ",", delimiters=",;\t"
        )
        return [dict(row) for row in csv.DictReader(io.StringIO(content), dialect=dialect)]
    data = json.loads(raw) if suffix == ".json" else yaml.safe_load(raw)
    if isinstance(data, Mapping):
        data = data.get(key) or []
    if not isinstance(data, list):
        raise ProgramError(f"{path.name}: expected a list of {key}")
    return [dict(row) for row in data]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def load_levels(path: str | Path) -> list[Level]:
    return ordered(level_from_dict(row) for row in read_records(path, "levels"))


def load_partners(path: str | Path) -> list[PartnerFacts]:
    return [partner_from_dict(row) for row in read_records(path, "partners")]
