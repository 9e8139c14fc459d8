"""A channel strategy (goal + one choice per dimension) and the checks that warn about it.

A :class:`Strategy` has a title, the company's role (vendor, distributor or partner), a
measurable :class:`Goal` and :class:`Choice` objects: for each dimension one tactic, a
deliberate combination of several, or "decided by the vendor", each with a note.

:func:`check` returns :class:`Finding` objects. Every rule is listed in :data:`RULES` with its
severity and where it comes from (the book's section, or our own reasoning); docs/strategy.md
repeats the table for people. Severities: ``error`` — the strategy contradicts itself or the
catalogue; ``warning`` — probably a mistake, worth a look; ``info`` — a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from partnernet.engines.strategy.catalogue import ROLES, Catalogue, Text, default_catalogue, text

#: Goal metrics partnernet knows how to name (a strategy may use others; they get a warning-free
#: generic label).
GOAL_METRICS: dict[str, Text] = {
    "market_share": {"ru": "Доля рынка", "en": "Market share"},
    "margin_growth": {"ru": "Рост объёма маржи", "en": "Margin growth"},
    "revenue_growth": {"ru": "Рост выручки", "en": "Revenue growth"},
    "revenue": {"ru": "Выручка", "en": "Revenue"},
    "partner_count": {"ru": "Число партнёров", "en": "Number of partners"},
    "active_partner_count": {"ru": "Число активных партнёров", "en": "Number of active partners"},
    "certified_partner_share": {
        "ru": "Доля партнёров с сертифицированными сотрудниками",
        "en": "Share of partners with certified staff",
    },
}


@dataclass(frozen=True)
class Goal:
    """A measurable goal: reach ``target`` (in ``unit``) of ``metric`` within ``horizon_years``."""

    metric: str
    target: Decimal | None
    horizon_years: Decimal | None
    unit: str = "%"
    baseline: Decimal | None = None
    description: Text = field(default_factory=dict)

    def is_measurable(self) -> bool:
        return bool(self.metric) and self.target is not None and bool(self.horizon_years)

    def label(self, lang: str = "ru") -> str:
        return text(GOAL_METRICS.get(self.metric), lang) or self.metric


@dataclass(frozen=True)
class Choice:
    """The decision for one dimension.

    ``tactics`` holds one key, or several for a deliberate combination. ``vendor_decides``
    records that the vendor sets this dimension (distributors and partners only); tactics given
    alongside it are what the company proposes to the vendor. ``parameters`` maps a tactic key
    to that tactic's parameter values.
    """

    dimension: str
    tactics: tuple[str, ...] = ()
    vendor_decides: bool = False
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    note: Text = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not self.tactics and not self.vendor_decides


@dataclass(frozen=True)
class Strategy:
    title: Text
    role: str
    goal: Goal | None
    choices: tuple[Choice, ...]
    summary: Text = field(default_factory=dict)
    key: str | None = None

    def choice(self, dimension: str) -> Choice | None:
        return next((c for c in self.choices if c.dimension == dimension), None)

    def chosen(self, dimension: str) -> set[str]:
        choice = self.choice(dimension)
        return set(choice.tactics) if choice else set()


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: Text
    dimension: str | None = None
    tactics: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        rule = RULES[self.rule]
        return {
            "rule": self.rule,
            "severity": self.severity,
            "dimension": self.dimension,
            "tactics": list(self.tactics),
            "message": dict(self.message),
            "source": rule.source,
        }


@dataclass(frozen=True)
class Rule:
    key: str
    severity: str
    summary: str
    source: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.key: r for r in rules}


RULES: dict[str, Rule] = _rules(
    Rule(
        "unknown_role",
        "error",
        "The role is not vendor, distributor or partner.",
        "Catalogue roles (book §5.10, §5.12 name them).",
    ),
    Rule(
        "goal_missing",
        "warning",
        "The strategy has no goal.",
        "Book §5.14: each worked strategy starts from a strategic goal.",
    ),
    Rule(
        "goal_not_measurable",
        "warning",
        "The goal lacks a metric, a target or a horizon.",
        "Book §5.14 goals are measurable (15% share in 3 years; +30% margin in 1 year).",
    ),
    Rule(
        "unknown_dimension",
        "error",
        "A choice names a dimension the catalogue lacks.",
        "Catalogue.",
    ),
    Rule("unknown_tactic", "error", "A choice names a tactic the dimension lacks.", "Catalogue."),
    Rule(
        "duplicate_choice",
        "error",
        "Two choices for one dimension.",
        "Ours: one decision per dimension keeps the document unambiguous.",
    ),
    Rule(
        "dimension_not_for_role",
        "warning",
        "A choice in a dimension that companies of this role do not decide on.",
        "Book §5.10 (partner-team tactics: vendors and distributors), §5.12 (work with vendors: "
        "distributors and partners); other dimensions: catalogue roles.",
    ),
    Rule(
        "tactic_not_for_role",
        "warning",
        "A tactic that companies of this role cannot apply.",
        "Catalogue roles per tactic (e.g. an inflated price list is the vendor's tool, §5.6).",
    ),
    Rule(
        "dimension_empty",
        "warning",
        "A dimension of this role has no decision.",
        "Book §5.14: a strategy is a set of tactics, one per dimension; ours to flag gaps.",
    ),
    Rule(
        "vendor_decides_for_vendor",
        "error",
        "A vendor leaves a dimension to 'the vendor'.",
        "Book §5.14, second example: 'decided by the vendors' is a distributor's answer.",
    ),
    Rule(
        "exclusive_conflict",
        "error",
        "Two tactics that exclude each other in one dimension.",
        "Catalogue 'exclusive' groups: alternatives of one organisational question "
        "(§5.10, §5.11, §5.12 tactics 2–5, §5.13) or logical opposites (fixed vs floating "
        "margin, §5.6; ours for §5.1–§5.5).",
    ),
    Rule(
        "combination_redundant",
        "info",
        "A combined tactic is chosen together with one of its parts.",
        "Book §5.7 tactic 3 and §5.9 tactic 3 combine the others; ours for §5.5.",
    ),
    Rule(
        "combination_suggested",
        "info",
        "All parts of a combined tactic are chosen separately; the combined tactic says it.",
        "Book §5.7 tactic 3, §5.9 tactic 3.",
    ),
    Rule("bad_parameter", "error", "A parameter is unknown or has a wrong value.", "Catalogue."),
    Rule(
        "channel_without_distributor",
        "error",
        "Sales only through distributors, yet no distributor.",
        "Ours: §5.1 and §5.2 choices must describe the same route to market.",
    ),
    Rule(
        "direct_sales_with_channel_tactics",
        "warning",
        "Direct sales only, yet tactics for distributors or partners are chosen.",
        "Ours: channel tactics (§5.2, §5.3, §5.6) have no one to apply to without a channel.",
    ),
    Rule(
        "public_list_with_inflated_price",
        "warning",
        "A public price list together with an inflated price list.",
        "Ours, from §5.6 tactic 4: the inflated list works as a reference the partner discounts "
        "from; published to customers it makes them expect the discount.",
    ),
    Rule(
        "competence_club_without_training",
        "warning",
        "A limited club of competent partners with no training tactic.",
        "Book §5.14 first example pairs the club with training; §5.8: without training good "
        "partner sales should not be expected.",
    ),
    Rule(
        "small_team_for_wide_channel",
        "warning",
        "'All by themselves' with an unlimited circle of partners.",
        "Ours, from §5.10: 'all by themselves' suits very small companies, which cannot serve an "
        "unlimited partner circle.",
    ),
    Rule(
        "status_margin_without_status_discount",
        "warning",
        "Floating margin by partner status, yet the discount policy does not use statuses.",
        "Book §5.6: status-based margin is set by the partner programme's levels; ours to check "
        "the discount policy agrees.",
    ),
    Rule(
        "presale_led_with_competitive_presale",
        "warning",
        "Managers who rely on presale, yet presale is rationed competitively.",
        "Ours, from §5.11 tactic 3 (presale joins at once) and §5.13 tactic 2 (managers compete "
        "for technical resources).",
    ),
)


def _finding(
    rule: str, message: Text, dimension: str | None = None, tactics: Iterable[str] = ()
) -> Finding:
    return Finding(rule, RULES[rule].severity, message, dimension, tuple(tactics))


def _names(catalogue: Catalogue, dimension: str, keys: Iterable[str], lang: str) -> str:
    dim = catalogue.dimension(dimension)
    return ", ".join(f"«{text(dim.tactic(k).name, lang)}»" for k in keys)


# --- per-choice rules ----------------------------------------------------------------------------


def _check_goal(strategy: Strategy) -> list[Finding]:
    if strategy.goal is None:
        return [
            _finding(
                "goal_missing",
                {"ru": "Не задана цель стратегии.", "en": "The strategy has no goal."},
            )
        ]
    if not strategy.goal.is_measurable():
        return [
            _finding(
                "goal_not_measurable",
                {
                    "ru": "Цель должна иметь показатель, целевое значение и срок.",
                    "en": "The goal needs a metric, a target value and a horizon.",
                },
            )
        ]
    return []


def _check_choice(strategy: Strategy, choice: Choice, catalogue: Catalogue) -> list[Finding]:
    findings: list[Finding] = []
    role = strategy.role
    if not catalogue.has_dimension(choice.dimension):
        return [
            _finding(
                "unknown_dimension",
                {
                    "ru": f"Неизвестное направление «{choice.dimension}».",
                    "en": f"Unknown dimension '{choice.dimension}'.",
                },
                choice.dimension,
            )
        ]
    dim = catalogue.dimension(choice.dimension)
    dim_ru, dim_en = text(dim.name, "ru"), text(dim.name, "en")
    unknown = [k for k in choice.tactics if k not in dim.tactic_keys()]
    for key in unknown:
        findings.append(
            _finding(
                "unknown_tactic",
                {
                    "ru": f"В направлении «{dim_ru}» нет тактики «{key}».",
                    "en": f"Dimension '{dim_en}' has no tactic '{key}'.",
                },
                dim.key,
                [key],
            )
        )
    known = [k for k in choice.tactics if k not in unknown]

    if role in ROLES and not dim.applies_to(role) and not choice.is_empty():
        findings.append(
            _finding(
                "dimension_not_for_role",
                {
                    "ru": f"Направление «{dim_ru}» не относится к роли «{ROLE_NAMES[role]['ru']}».",
                    "en": f"Dimension '{dim_en}' does not apply to a {role}.",
                },
                dim.key,
            )
        )
    elif role in ROLES:
        for key in known:
            if not dim.tactic(key).applies_to(role):
                findings.append(
                    _finding(
                        "tactic_not_for_role",
                        {
                            "ru": (
                                f"Тактика {_names(catalogue, dim.key, [key], 'ru')} не "
                                f"применяется в роли «{ROLE_NAMES[role]['ru']}»."
                            ),
                            "en": (
                                f"Tactic {_names(catalogue, dim.key, [key], 'en')} does not apply "
                                f"to a {role}."
                            ),
                        },
                        dim.key,
                        [key],
                    )
                )
    if choice.vendor_decides and role == "vendor":
        findings.append(
            _finding(
                "vendor_decides_for_vendor",
                {
                    "ru": f"Вендор не может оставить направление «{dim_ru}» на решение вендора.",
                    "en": f"A vendor cannot leave '{dim_en}' to the vendor.",
                },
                dim.key,
            )
        )

    chosen = set(known)
    for group in dim.exclusive:
        clash = [k for k in group if k in chosen]
        if len(clash) > 1:
            findings.append(
                _finding(
                    "exclusive_conflict",
                    {
                        "ru": (
                            f"Тактики {_names(catalogue, dim.key, clash, 'ru')} исключают друг "
                            "друга."
                        ),
                        "en": (
                            f"Tactics {_names(catalogue, dim.key, clash, 'en')} exclude each other."
                        ),
                    },
                    dim.key,
                    clash,
                )
            )
    for tactic in dim.tactics:
        if not tactic.combines:
            continue
        parts = [k for k in tactic.combines if k in chosen]
        if tactic.key in chosen and parts:
            findings.append(
                _finding(
                    "combination_redundant",
                    {
                        "ru": (
                            f"{_names(catalogue, dim.key, [tactic.key], 'ru')} уже включает "
                            f"{_names(catalogue, dim.key, parts, 'ru')}."
                        ),
                        "en": (
                            f"{_names(catalogue, dim.key, [tactic.key], 'en')} already includes "
                            f"{_names(catalogue, dim.key, parts, 'en')}."
                        ),
                    },
                    dim.key,
                    [tactic.key, *parts],
                )
            )
        elif tactic.key not in chosen and len(parts) == len(tactic.combines):
            findings.append(
                _finding(
                    "combination_suggested",
                    {
                        "ru": (
                            "Выбраны все части тактики "
                            f"{_names(catalogue, dim.key, [tactic.key], 'ru')}: выберите её."
                        ),
                        "en": (
                            f"All parts of {_names(catalogue, dim.key, [tactic.key], 'en')} are "
                            "chosen: choose it instead."
                        ),
                    },
                    dim.key,
                    parts,
                )
            )
    findings.extend(_check_parameters(choice, dim.key, catalogue, known))
    return findings


def _check_parameters(
    choice: Choice, dimension: str, catalogue: Catalogue, known: list[str]
) -> list[Finding]:
    findings: list[Finding] = []
    for tactic_key, values in choice.parameters.items():
        if tactic_key not in known:
            findings.append(
                _finding(
                    "bad_parameter",
                    {
                        "ru": f"Параметры заданы для невыбранной тактики «{tactic_key}».",
                        "en": f"Parameters given for tactic '{tactic_key}', which is not chosen.",
                    },
                    dimension,
                    [tactic_key],
                )
            )
            continue
        spec = catalogue.tactic(dimension, tactic_key).parameters
        for name, value in values.items():
            error = f"unknown parameter {name}" if name not in spec else spec[name].check(value)
            if error:
                findings.append(
                    _finding(
                        "bad_parameter",
                        {
                            "ru": f"Параметр тактики «{tactic_key}»: {error}.",
                            "en": f"Parameter of '{tactic_key}': {error}.",
                        },
                        dimension,
                        [tactic_key],
                    )
                )
    return findings


# --- cross-dimension rules -----------------------------------------------------------------------

CrossCheck = Callable[[Strategy], list[Finding]]


def _channel_without_distributor(s: Strategy) -> list[Finding]:
    if "distributors_only" in s.chosen("sales_channels") and "no_distributor" in s.chosen(
        "distribution"
    ):
        return [
            _finding(
                "channel_without_distributor",
                {
                    "ru": "Продажи только через дистрибьюторов, но дистрибьютора нет.",
                    "en": "Sales only through distributors, but no distributor is chosen.",
                },
                "distribution",
                ["no_distributor"],
            )
        ]
    return []


def _direct_sales_with_channel(s: Strategy) -> list[Finding]:
    if "direct_only" not in s.chosen("sales_channels"):
        return []
    channel_dims = [d for d in ("distribution", "work_with_partners", "margin") if s.chosen(d)]
    if not channel_dims:
        return []
    return [
        _finding(
            "direct_sales_with_channel_tactics",
            {
                "ru": (
                    "Выбраны только прямые продажи, но заданы тактики для дистрибьюторов или "
                    "партнёров."
                ),
                "en": "Direct sales only, yet tactics for distributors or partners are chosen.",
            },
            "sales_channels",
            ["direct_only"],
        )
    ]


def _public_list_with_inflated_price(s: Strategy) -> list[Finding]:
    if "open_list" in s.chosen("price_list") and "inflated_price_list" in s.chosen("margin"):
        return [
            _finding(
                "public_list_with_inflated_price",
                {
                    "ru": (
                        "Открытый прайс-лист плохо сочетается с завышенным прайсом: заказчик "
                        "увидит его и будет ждать той же скидки."
                    ),
                    "en": (
                        "A public price list works against an inflated one: customers see it and "
                        "expect the same discount."
                    ),
                },
                "price_list",
                ["open_list"],
            )
        ]
    return []


def _club_without_training(s: Strategy) -> list[Finding]:
    if "limited_club" not in s.chosen("work_with_partners"):
        return []
    choice = s.choice("training")
    if choice and choice.tactics:
        return []
    return [
        _finding(
            "competence_club_without_training",
            {
                "ru": (
                    "Клуб компетентных партнёров требует обучения, а тактика обучения не выбрана."
                ),
                "en": (
                    "A club of competent partners needs training, but no training tactic is chosen."
                ),
            },
            "training",
        )
    ]


def _small_team_for_wide_channel(s: Strategy) -> list[Finding]:
    if "all_by_themselves" in s.chosen("partner_team") and "unlimited_circle" in s.chosen(
        "work_with_partners"
    ):
        return [
            _finding(
                "small_team_for_wide_channel",
                {
                    "ru": (
                        "Менеджеры, делающие «всё сами», вряд ли справятся с неограниченным "
                        "кругом партнёров."
                    ),
                    "en": (
                        "Managers doing 'all by themselves' will hardly serve an unlimited "
                        "circle of partners."
                    ),
                },
                "partner_team",
                ["all_by_themselves"],
            )
        ]
    return []


def _status_margin_without_status_discount(s: Strategy) -> list[Finding]:
    if "floating_by_status" not in s.chosen("margin"):
        return []
    discounts = s.chosen("discount_policy")
    if not discounts or discounts & {"by_status", "combined"}:
        return []
    return [
        _finding(
            "status_margin_without_status_discount",
            {
                "ru": (
                    "Маржинальность зависит от статуса партнёра, а политика скидок статусы не "
                    "учитывает."
                ),
                "en": (
                    "Margin floats with partner status, but the discount policy ignores statuses."
                ),
            },
            "discount_policy",
            sorted(discounts),
        )
    ]


def _presale_led_with_competitive(s: Strategy) -> list[Finding]:
    if "presale_led" in s.chosen("product_lines") and "competitive" in s.chosen(
        "sales_and_technical"
    ):
        return [
            _finding(
                "presale_led_with_competitive_presale",
                {
                    "ru": (
                        "Продавцы опираются на пресейл, но ресурсы пресейла распределяются по "
                        "конкурсу."
                    ),
                    "en": (
                        "Salespeople rely on presale, yet presale time is rationed competitively."
                    ),
                },
                "sales_and_technical",
                ["competitive"],
            )
        ]
    return []


CROSS_CHECKS: tuple[CrossCheck, ...] = (
    _channel_without_distributor,
    _direct_sales_with_channel,
    _public_list_with_inflated_price,
    _club_without_training,
    _small_team_for_wide_channel,
    _status_margin_without_status_discount,
    _presale_led_with_competitive,
)

ROLE_NAMES: dict[str, dict[str, str]] = {
    "vendor": {"ru": "вендор", "en": "vendor"},
    "distributor": {"ru": "дистрибьютор", "en": "distributor"},
    "partner": {"ru": "партнёр", "en": "partner"},
}


def check(strategy: Strategy, catalogue: Catalogue | None = None) -> list[Finding]:
    """Every finding for ``strategy`` against ``catalogue`` (the shipped one by default)."""
    catalogue = catalogue or default_catalogue()
    if strategy.role not in ROLES:
        return [
            _finding(
                "unknown_role",
                {
                    "ru": f"Неизвестная роль «{strategy.role}».",
                    "en": f"Unknown role '{strategy.role}'.",
                },
            )
        ]
    findings = _check_goal(strategy)
    seen: set[str] = set()
    for choice in strategy.choices:
        if choice.dimension in seen:
            findings.append(
                _finding(
                    "duplicate_choice",
                    {
                        "ru": f"Направление «{choice.dimension}» выбрано дважды.",
                        "en": f"Dimension '{choice.dimension}' is chosen twice.",
                    },
                    choice.dimension,
                )
            )
        seen.add(choice.dimension)
        findings.extend(_check_choice(strategy, choice, catalogue))
    for dim in catalogue.for_role(strategy.role):
        made = strategy.choice(dim.key)
        if made is None or made.is_empty():
            findings.append(
                _finding(
                    "dimension_empty",
                    {
                        "ru": f"Не выбрана тактика в направлении «{text(dim.name, 'ru')}».",
                        "en": f"No tactic chosen for '{text(dim.name, 'en')}'.",
                    },
                    dim.key,
                )
            )
    for cross in CROSS_CHECKS:
        findings.extend(cross(strategy))
    return findings


# --- plain-data conversion -----------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def _text_of(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"ru": value, "en": value}
    return {str(k): str(v) for k, v in value.items()}


def strategy_from_dict(data: Mapping[str, Any]) -> Strategy:
    """Build a strategy from YAML/JSON data (the format of examples.yaml)."""
    goal_raw = data.get("goal")
    goal = None
    if goal_raw:
        goal = Goal(
            metric=str(goal_raw.get("metric") or ""),
            target=_decimal(goal_raw.get("target")),
            horizon_years=_decimal(goal_raw.get("horizon_years")),
            unit=str(goal_raw.get("unit", "%")),
            baseline=_decimal(goal_raw.get("baseline")),
            description=_text_of(goal_raw.get("description")),
        )
    choices = []
    for raw in data.get("choices") or ():
        tactics = raw.get("tactics") or ([raw["tactic"]] if raw.get("tactic") else [])
        choices.append(
            Choice(
                dimension=str(raw["dimension"]),
                tactics=tuple(str(t) for t in tactics),
                vendor_decides=bool(raw.get("vendor_decides", False)),
                parameters={str(k): dict(v) for k, v in (raw.get("parameters") or {}).items()},
                note=_text_of(raw.get("note")),
            )
        )
    return Strategy(
        key=data.get("key"),
        title=_text_of(data.get("title")),
        role=str(data.get("role", "")),
        goal=goal,
        choices=tuple(choices),
        summary=_text_of(data.get("summary")),
    )


def strategy_to_dict(strategy: Strategy) -> dict[str, Any]:
    goal = strategy.goal
    return {
        "key": strategy.key,
        "title": _text_of(strategy.title),
        "role": strategy.role,
        "goal": None
        if goal is None
        else {
            "metric": goal.metric,
            "target": goal.target,
            "unit": goal.unit,
            "horizon_years": goal.horizon_years,
            "baseline": goal.baseline,
            "description": _text_of(goal.description),
        },
        "choices": [
            {
                "dimension": c.dimension,
                "tactics": list(c.tactics),
                "vendor_decides": c.vendor_decides,
                "parameters": {k: dict(v) for k, v in c.parameters.items()},
                "note": _text_of(c.note),
            }
            for c in strategy.choices
        ],
        "summary": _text_of(strategy.summary),
    }
