"""Phased approach: a funnel from "everyone willing" to a closed club of active sellers.

Stage 1 takes every partner who wants to work with us; stage 2 authorises those who actually
work; stage 3 is a small VIP club of those who actively sell. The user writes the rules for each
stage as simple conditions on a partner's facts (deals in the last 12 months, certified people,
marketing events…); a partner sits in the highest stage whose rules it meets, and the report
says what it lacks for the next one.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from partnernet.engines.errors import CodedError
from partnernet.engines.selection.records import PartnerRecord

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


METRIC = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class RuleError(CodedError):
    """A stage rule that cannot be read."""


@dataclass(frozen=True)
class StageRule:
    metric: str
    op: str
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", float(self.value))
        if self.op not in OPERATORS:
            known = ", ".join(OPERATORS)
            raise RuleError(
                "unknown_operator",
                f"unknown operator {self.op!r} (use {known})",
                op=self.op,
                known=known,
            )

    @classmethod
    def parse(cls, text: str) -> StageRule:
        """``deals_12m>=3`` → StageRule('deals_12m', '>=', 3.0).

        >>> StageRule.parse("certified_people >= 2")
        StageRule(metric='certified_people', op='>=', value=2.0)
        """
        for op in sorted(OPERATORS, key=len, reverse=True):
            if op in text:
                metric, _, value = text.partition(op)
                if not METRIC.fullmatch(metric.strip()):
                    raise RuleError(
                        "rule_metric",
                        f"rule {text!r}: {metric.strip()!r} is not a metric name",
                        rule=text,
                        metric=metric.strip(),
                    )
                try:
                    return cls(metric.strip(), op, float(value.strip()))
                except ValueError as exc:
                    raise RuleError(
                        "rule_number",
                        f"rule {text!r}: {value.strip()!r} is not a number",
                        rule=text,
                        value=value.strip(),
                    ) from exc
        raise RuleError(
            "rule_syntax", f"rule {text!r}: expected METRIC OP NUMBER, e.g. deals_12m>=3", rule=text
        )

    def holds(self, facts: dict[str, float]) -> bool:
        return OPERATORS[self.op](float(facts.get(self.metric, 0.0)), self.value)

    def describe(self) -> str:
        value = int(self.value) if self.value.is_integer() else self.value
        return f"{self.metric} {self.op} {value}"


@dataclass(frozen=True)
class FunnelStage:
    key: str
    name: str
    rules: tuple[StageRule, ...] = ()


@dataclass
class StageAssignment:
    id: int | str
    name: str
    stage: str
    next_stage: str | None
    lacking: list[str] = field(default_factory=list)


DEFAULT_FUNNEL = (
    FunnelStage("willing", "Everyone willing"),
    FunnelStage(
        "authorised",
        "Authorised",
        (StageRule("deals_12m", ">=", 1), StageRule("certified_people", ">=", 1)),
    ),
    FunnelStage(
        "vip",
        "VIP club",
        (
            StageRule("deals_12m", ">=", 5),
            StageRule("certified_people", ">=", 2),
            StageRule("marketing_events_12m", ">=", 1),
        ),
    ),
)


def assign_stages(
    partners: Iterable[PartnerRecord], stages: Sequence[FunnelStage] = DEFAULT_FUNNEL
) -> list[StageAssignment]:
    """Put each partner in the highest stage whose rules (and all earlier stages') it meets."""
    if not stages:
        raise RuleError("funnel_empty", "a funnel needs at least one stage")
    result = []
    for record in partners:
        reached = 0
        for index, stage in enumerate(stages):
            if all(rule.holds(record.facts) for rule in stage.rules):
                reached = index
            else:
                break
        next_stage = stages[reached + 1] if reached + 1 < len(stages) else None
        lacking = (
            [rule.describe() for rule in next_stage.rules if not rule.holds(record.facts)]
            if next_stage
            else []
        )
        result.append(
            StageAssignment(
                id=record.id,
                name=record.name,
                stage=stages[reached].key,
                next_stage=next_stage.key if next_stage else None,
                lacking=lacking,
            )
        )
    return result


def funnel_counts(
    assignments: Iterable[StageAssignment], stages: Sequence[FunnelStage] = DEFAULT_FUNNEL
) -> dict[str, int]:
    counts = Counter(a.stage for a in assignments)
    return {stage.key: counts.get(stage.key, 0) for stage in stages}


@dataclass
class StageMove:
    """A change the rules propose for one partner: ``direction`` is "promote" or "demote"."""

    id: int | str
    name: str
    from_stage: str
    to_stage: str
    direction: str
    lacking: list[str] = field(default_factory=list)


def propose_moves(
    partners: Iterable[PartnerRecord],
    current: Mapping[Any, str],
    stages: Sequence[FunnelStage] = DEFAULT_FUNNEL,
) -> list[StageMove]:
    """Compare where the rules put each partner with where it stands; list the differences.

    Nothing moves by itself: the user reviews the list and applies the moves they agree with.
    ``lacking`` says what the partner misses for the stage above the proposed one.
    """
    order = {stage.key: index for index, stage in enumerate(stages)}
    moves = []
    for assignment in assign_stages(partners, stages):
        now = current.get(assignment.id, "")
        if now == assignment.stage:
            continue
        up = order.get(assignment.stage, 0) > order.get(now, -1)
        moves.append(
            StageMove(
                id=assignment.id,
                name=assignment.name,
                from_stage=now,
                to_stage=assignment.stage,
                direction="promote" if up else "demote",
                lacking=assignment.lacking,
            )
        )
    moves.sort(key=lambda m: (m.direction != "promote", str(m.name)))
    return moves


def stage_counts_over_time(
    history: Iterable[tuple[int | str, date, str]], dates: Sequence[date]
) -> list[dict[str, int]]:
    """Partners per stage on each of ``dates`` from a history of (partner, date, new stage).

    A partner counts in the stage of its latest move on or before the date; partners with no
    move yet are not counted.
    """
    by_partner: dict[int | str, list[tuple[date, str]]] = {}
    for partner, day, new_stage in history:
        by_partner.setdefault(partner, []).append((day, new_stage))
    for moves in by_partner.values():
        moves.sort(key=lambda item: item[0])
    result = []
    for day in dates:
        counts: Counter[str] = Counter()
        for moves in by_partner.values():
            stage: str | None = None
            for moved_on, to_stage in moves:
                if moved_on > day:
                    break
                stage = to_stage
            if stage is not None:
                counts[stage] += 1
        result.append(dict(counts))
    return result
