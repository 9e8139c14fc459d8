"""Learn each domain's address habit from known (name, address) pairs and guess missing addresses.

The model
---------
Every person's local part is assumed to come from one *pattern* (``{f}.{last}`` …) and one
transliteration *habit* (an iuliia scheme, optionally with «кс»→x and ё→yo). Per domain:

* patterns follow a categorical distribution with a Dirichlet prior centred on the register's
  (``π_d ~ Dir(α · g_pattern)``): companies do mix patterns, so each domain gets its own shares,
  fitted by EM (a known address that several patterns explain is shared among them);
* the habit is *one* habit per company, and its posterior is exact Bayes over the 48 habits:
  the register's habit frequencies times, for every known address, the chance of its spelling
  under that habit. A person may spell their name their own way (a passport spelling) with a
  small probability ε, drawn from the register's habits. So a domain that shows «ю» as ``yu``
  and never «й» keeps exactly the habits writing ``yu``, weighted as often as the register uses
  each — letter-by-letter evidence, without assuming letters are independent.

The register-wide distributions are the average of the domains' own (each domain counts once,
so one big customer does not decide for everyone) blended with a weak built-in seed for an
empty register; α and ε are chosen by leave-one-out likelihood over the register's domains
(empirical Bayes). A guess's probability is the posterior predictive mass of the address, times
the chance that the person follows the company habit at all (the domain's share of person
addresses that no pattern explains, shrunk to the register's share). Those probabilities can
be mapped through a monotone calibration fitted on held-out data (:class:`Calibration`).

Beyond patterns and habits, the register teaches: first-name aliases people go by
(``sasha.ivanov``), how often a name already known at a domain is the same person rather than
a namesake, and how each domain tells namesakes apart.

Rejections (a guessed address bounced as "no such user") are evidence too: that person's cell
lies outside the cells producing the rejected address, which lowers their weight in the domain.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any, NamedTuple

import numpy as np

from partnernet.engines.addresses.patterns import (
    DEFAULT_PATTERNS,
    Pattern,
    is_role_mailbox,
    split_digit_suffix,
)
from partnernet.engines.addresses.rules import (
    N_RULES,
    RULE_NAMES,
    RULE_OPTIONS,
    Choices,
    initial_choices,
    rule_spellings,
)
from partnernet.engines.addresses.translit_variants import (
    ALL_HABITS,
    N_HABITS,
    N_SCHEMES,
    SCHEME_KEYS,
    SCHEME_LABELS,
    initial_spellings,
    spellings,
)
from partnernet.engines.names.person import (
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    PersonName,
    parse_person_name,
)

# Weak seed of the global prior, used in proportion to how few domains the register holds.
# Rough shares of Russian corporate mail as the authors see it; a real register outweighs it.
_SEED_PATTERNS = {
    "{f}.{last}": 30.0,
    "{first}.{last}": 20.0,
    "{f}{last}": 8.0,
    "{last}": 8.0,
    "{first}_{last}": 4.0,
    "{last}.{f}": 3.0,
    "{first}": 3.0,
    "{f}_{last}": 3.0,
    "{first}{last}": 2.0,
    "{last}_{f}": 2.0,
    "{last}{f}": 2.0,
    "{f}-{last}": 1.0,
    "{first}-{last}": 1.0,
    "{last}.{first}": 1.0,
    "{f}{p}{last}": 1.0,
    "{f}.{p}.{last}": 1.0,
    "{last}{f}{p}": 1.0,
}
_SEED_SCHEMES = {
    "icao_doc_9303": 5.0,
    "mvd_310": 6.0,
    "gost_52535": 1.0,
    "mvd_782": 1.0,
    "bgn_pcgn": 2.0,
    "wikipedia": 3.0,
    "yandex_maps": 4.0,
    "yandex_money": 2.0,
    "mosmetro": 2.0,
    "telegram": 1.0,
    "gost_779_alt": 1.0,
    "scientific": 0.5,
}
_SEED_WEIGHT = 3.0  # in domains
_DEVIATE_GRID = (0.0, 0.003, 0.01, 0.02, 0.05, 0.1, 0.2)
_POOL_ROUNDS = 10  # EM rounds for the register-wide distributions (converged by then)
_MIN_DEVIATE = 1e-3  # keeps a domain whose addresses no single habit explains well-defined
_ALPHA_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
_EXCEPTION_SHRINK = 20.0  # pseudo-persons pulling a domain's exception rate to the register's
_PRUNE = 2e-3  # patterns below this per-domain probability are not rendered when guessing
# A name already known at the domain is the same person with this probability before the
# register shows how often two records of one name at one domain share an address (duplicate
# contacts) or not (namesakes); the evidence outweighs it after a few such pairs.
_SAME_PERSON_FULL = 0.9
_SAME_PERSON_SHORT = 0.5
_SAME_PERSON_WEIGHT = 4.0  # pseudo-pairs behind the starting judgement
# Initials of Russian patronymics (Александрович, Владимирович… lead); the register's own names
# refine it. Used only when a pattern needs a patronymic initial the record lacks.
_SEED_PATRONYMIC_INITIALS = {
    "А": 20.0,
    "В": 20.0,
    "С": 9.0,
    "Н": 7.0,
    "Ю": 6.0,
    "М": 6.0,
    "И": 6.0,
    "Е": 4.0,
    "Г": 4.0,
    "П": 3.0,
    "Б": 3.0,
    "Л": 3.0,
    "Д": 3.0,
    "О": 3.0,
    "Ф": 2.0,
    "К": 2.0,
    "Я": 1.0,
    "Э": 1.0,
    "Р": 1.0,
    "Т": 1.0,
}
_COMPLETIONS = 6  # alternatives tried for a missing first name or patronymic initial
_COLLISION_PATRONYMICS = 3  # patronymic initials tried for a namesake's variant when unknown
# First-name aliases (alex.ivanov for Александр, natasha.orlova for Наталья) are learned from the
# register's addresses no rule explains; an alias seen fewer times is noise, not a habit.
_ALIAS_MIN_SEEN = 2
_ALIAS_SHRINK = 10.0  # pseudo-people pulling one first name's alias rate to the register's
_ALIAS_OPTIONS = 3  # aliases of one first name offered at most
# Per-rule ("by ear") habits: a company whose admin chooses each contested letter on their own.
_BY_EAR_START = 0.2  # share of such companies before the register says otherwise
# Grids for the leave-one-out choice of the share of by-ear companies and of the share of people's
# own spellings that are letter by letter (julia) rather than a published scheme.
_BY_EAR_SEED_WEIGHT = 3.0  # in domains, behind the starting share and option frequencies
_BY_EAR_GRID = (
    0.0,
    0.003,
    0.01,
    0.02,
    0.03,
    0.05,
    0.075,
    0.1,
    0.15,
    0.2,
    0.25,
    0.3,
    0.35,
    0.4,
    0.5,
)
_OWN_BY_EAR_GRID = (0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.7)
_BY_EAR_FLOOR = 0.01  # below this a domain is guessed with whole schemes only (faster)
_BY_EAR_PATTERN = 0.05  # patterns rarer at the domain are rendered with whole schemes only
_BY_EAR_TOP = 3  # by-ear spellings of one word rendered besides the schemes' own


@dataclass(frozen=True, slots=True)
class KnownAddress:
    """One known address of one person at one domain."""

    domain: str
    full_name: str
    email: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One guessed address, best first."""

    email: str
    confidence: float
    rank: int
    pattern: str
    schemes: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class DomainSummary:
    """What the model has learned about one domain (for a company page)."""

    domain: str
    known: int  # person addresses explained by some pattern
    role_mailboxes: int
    unexplained: int
    rejected: int
    patterns: tuple[tuple[str, float, float], ...]  # (pattern, probability, known addresses)
    schemes: tuple[tuple[str, float], ...]  # (scheme, probability)
    ks_x: float
    yo: float


@dataclass(frozen=True, slots=True)
class Calibration:
    """A monotone map from model probability to observed frequency (piecewise linear knots)."""

    xs: tuple[float, ...] = (0.0, 1.0)
    ys: tuple[float, ...] = (0.0, 1.0)

    def __call__(self, p: float) -> float:
        i = bisect.bisect_right(self.xs, p)
        if i <= 0:
            return self.ys[0]
        if i >= len(self.xs):
            return self.ys[-1]
        x0, x1, y0, y1 = self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)

    @staticmethod
    def fit(pairs: Sequence[tuple[float, bool]], bins: int = 20) -> Calibration:
        """Isotonic regression (pool adjacent violators) of outcomes on probabilities."""
        if not pairs:
            return Calibration()
        ordered = sorted(pairs)
        # Equal-count blocks first, so the knots stay few and stable.
        size = max(1, len(ordered) // bins)
        blocks: list[list[float]] = []  # [sum_x, sum_y, n]
        for start in range(0, len(ordered), size):
            chunk = ordered[start : start + size]
            blocks.append(
                [sum(p for p, _ in chunk), float(sum(1 for _, ok in chunk if ok)), len(chunk)]
            )
        merged: list[list[float]] = []
        for block in blocks:
            merged.append(block)
            while (
                len(merged) > 1 and merged[-2][1] / merged[-2][2] >= merged[-1][1] / merged[-1][2]
            ):
                last = merged.pop()
                merged[-1] = [merged[-1][i] + last[i] for i in range(3)]
        xs = [b[0] / b[2] for b in merged]
        ys = [b[1] / b[2] for b in merged]
        # Beyond the outermost knots the map stays flat: no extrapolation towards certainty.
        return Calibration((0.0, *xs, 1.0), (min(ys[0], xs[0]), *ys, ys[-1]))

    def to_dict(self) -> dict[str, list[float]]:
        return {"xs": list(self.xs), "ys": list(self.ys)}


@dataclass(frozen=True, slots=True)
class _Observation:
    domain: str
    person: str  # PersonName.key
    name: PersonName
    local: str  # without a collision suffix
    cells: tuple[tuple[int, int], ...]  # (pattern index, habit mask)
    positive: bool = True
    suffix: str = ""  # the digits a collision added (a.tarasenko2 → "2")
    # Per cell: the per-rule choices its spelling shows (None: not spellable rule by rule).
    rules: tuple[Choices | None, ...] = ()


@dataclass
class _Params:
    pattern: np.ndarray  # (P,)
    scheme: np.ndarray  # (S,)
    ks: np.ndarray  # (2,)
    yo: np.ndarray  # (2,)
    counts_pattern: np.ndarray
    counts_scheme: np.ndarray
    known: int
    exception: float
    _habit: np.ndarray | None = None
    _mask_mass: dict[int, float] = field(default_factory=dict)
    _schemes: dict[int, list[str]] = field(default_factory=dict)
    _order: list[int] | None = None
    _weights: list[float] = field(default_factory=list)
    _above: int = 0
    _explained: dict[tuple[int, int], str] = field(default_factory=dict)
    # Per-rule habits: the chance the company types by ear, and its option shares per rule.
    by_ear: float = 0.0
    rules: list[np.ndarray] | None = None
    _word_rules: dict[str, tuple[dict[str, float], list[str], dict[str, float]]] = field(
        default_factory=dict
    )

    @property
    def habit(self) -> np.ndarray:
        if self._habit is None:
            self._habit = _habit_vector(self.scheme, self.ks, self.yo)
        return self._habit

    def active_patterns(self, at_least: int) -> list[int]:
        """Patterns worth rendering: all above the pruning floor, and never fewer than asked."""
        if self._order is None:
            self._order = [int(i) for i in np.argsort(-self.pattern, kind="stable")]
            self._weights = [float(w) for w in self.pattern]
            self._above = int((self.pattern >= _PRUNE).sum())
        return self._order[: max(self._above, at_least)]

    def mask_mass(self, mask: int) -> float:
        got = self._mask_mass.get(mask)
        if got is None:
            got = float(self.habit[_mask_bits(mask)].sum())
            self._mask_mass[mask] = got
        return got


_HABIT_SCHEME = np.arange(N_HABITS) // 4
_HABIT_KS = (np.arange(N_HABITS) >> 1) & 1
_HABIT_YO = np.arange(N_HABITS) & 1


def _habit_vector(scheme: np.ndarray, ks: np.ndarray, yo: np.ndarray) -> np.ndarray:
    return scheme[..., _HABIT_SCHEME] * ks[..., _HABIT_KS] * yo[..., _HABIT_YO]


@lru_cache(maxsize=4096)
def _mask_bits(mask: int) -> np.ndarray:
    return np.array([(mask >> h) & 1 for h in range(N_HABITS)], dtype=bool)


# One-hot maps from habit index to its scheme / ks_x / yo value: counts @ map = marginal counts.
_SCHEME_OF = np.eye(N_SCHEMES)[_HABIT_SCHEME]
_KS_X_HABITS = sum(1 << h for h in range(N_HABITS) if _HABIT_KS[h])
_KS_OF = np.eye(2)[_HABIT_KS]
_YO_OF = np.eye(2)[_HABIT_YO]


@dataclass
class _Prior:
    pattern: np.ndarray
    scheme: np.ndarray
    ks: np.ndarray
    yo: np.ndarray


@dataclass
class _Fit:
    pattern: np.ndarray  # (D, P) posterior means
    scheme: np.ndarray  # (D, S)
    ks: np.ndarray  # (D, 2)
    yo: np.ndarray  # (D, 2)
    counts_pattern: np.ndarray  # (D, P) expected counts from the data
    counts_scheme: np.ndarray  # (D, S)
    habit: np.ndarray  # (D, H) posterior over the domain's one habit


@dataclass
class _Design:
    domains: list[str]
    n_obs: np.ndarray  # persons per domain, rejected guesses included
    known: np.ndarray  # explained known addresses per domain
    row_obs: np.ndarray  # per row: the observation it belongs to
    row_dom: np.ndarray
    row_p: np.ndarray
    row_bits: np.ndarray  # (rows, N_HABITS) habits explaining the row
    obs_dom: np.ndarray
    negatives: list[tuple[int, Any]]
    row_rules: list[Choices | None] = field(default_factory=list)
    row_q: np.ndarray | None = None  # per row: chance a by-ear typist spells it so


def _short_key(name: PersonName) -> str:
    """Surname and first name (or its initial) only: «Шинкарев Борис» matches «… Петрович»."""
    first = name.first or name.first_initial or ""
    return f"{name.last}|{first}|*".lower().replace("ё", "е")


def _without_patronymic(key: str) -> str | None:
    """``{f}.{p}.{last}`` → ``{f}.{last}``: the plain pattern a patronymic variant comes from."""
    for sep in (".", "_", "-", ""):
        joined = "{f}" + sep + "{p}"
        if joined in key:
            return key.replace(joined, "{f}", 1)
    return None


def _log_sum_exp(x: np.ndarray) -> np.ndarray:
    """log Σ exp over each row (rows of -inf give -inf)."""
    top = np.max(x, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.asarray((top + np.log(np.exp(x - top).sum(axis=1, keepdims=True)))[:, 0])


@dataclass(frozen=True)
class _EarLoo:
    """Per known address with rule choices: its index, its likeliest cell (row), and
    ``terms(own, eps)`` → log evidence of its domain (whole with, whole without it, by ear
    with, by ear without it)."""

    obs: np.ndarray
    rows: np.ndarray
    terms: Callable[[float, float], tuple[np.ndarray, ...]]


def _sum_sorted(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Row sums of ``values`` grouped by a sorted ``index`` into ``n`` groups."""
    out = np.zeros((n, values.shape[1]))
    if len(index):
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        out[index[starts]] = np.add.reduceat(values, starts, axis=0)
    return out


def _pool(fit: _Fit, design: _Design, seed: _Prior) -> _Prior:
    """Register-wide distributions: each domain's own shares averaged, plus a weak seed."""
    has = design.known > 0
    total = _SEED_WEIGHT + float(has.sum())
    counts = fit.counts_pattern[has]
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-12)
    return _Prior(
        (_SEED_WEIGHT * seed.pattern + shares.sum(axis=0)) / total,
        (_SEED_WEIGHT * seed.scheme + fit.scheme[has].sum(axis=0)) / total,
        (_SEED_WEIGHT * seed.ks + fit.ks[has].sum(axis=0)) / total,
        (_SEED_WEIGHT * seed.yo + fit.yo[has].sum(axis=0)) / total,
    )


def _negative_counts(
    o: Any, pat: np.ndarray, habit: np.ndarray, c_p: np.ndarray, c_h: np.ndarray, eps: float
) -> None:
    """Expected counts of a person whose address is known *not* to be the rejected one.

    Either the person follows the domain's habit in some other cell (weight proportional to
    (1 - eps) · P(outside the rejected cells)), or they are an exception — or have left — and
    say nothing about the habit (proportional to eps); that share is counted at the current
    distribution, so rejecting an address the model was sure of cannot blow the counts up.
    """
    # Normalised copies: each rejection must add exactly one person's worth of counts, or
    # rounding compounds across EM iterations (three habit factors multiply).
    pat = pat / pat.sum()
    habit = habit / habit.sum()
    inside_p = np.zeros(len(pat))
    inside_h = np.zeros(N_HABITS)
    for p, mask in o.cells:
        bits = _mask_bits(mask)
        inside_p[p] += pat[p] * habit[bits].sum()
        inside_h += pat[p] * habit * bits
    outside = max(1.0 - float(inside_p.sum()), 0.0)
    denominator = eps + (1.0 - eps) * outside
    if denominator <= 0:
        return
    informative = (1.0 - eps) * outside / denominator
    if outside > 0:
        c_p += informative * np.clip(pat - inside_p, 0.0, None) / outside
        c_h += informative * np.clip(habit - inside_h, 0.0, None) / outside
    c_p += (1.0 - informative) * pat
    c_h += (1.0 - informative) * habit


@lru_cache(maxsize=100_000)
def _part_spellings(name: PersonName) -> dict[str, tuple[tuple[str, int], ...]]:
    parts: dict[str, tuple[tuple[str, int], ...]] = {}
    if name.first:
        parts["first"] = spellings(name.first)
    if name.first or name.first_initial:
        parts["f"] = initial_spellings(name.first or name.first_initial or "")
    if name.last:
        parts["last"] = spellings(name.last)
        parts["l"] = initial_spellings(name.last)
    if name.patronymic:
        parts["patr"] = spellings(name.patronymic)
    if name.patronymic or name.patronymic_initial:
        parts["p"] = initial_spellings(name.patronymic or name.patronymic_initial or "")
    return {k: v for k, v in parts.items() if v}


@lru_cache(maxsize=100_000)
def _spelling_lookup(name: PersonName) -> dict[tuple[str, str], int]:
    """(part, spelling) → habits spelling that part so."""
    return {
        (part, spelling): mask
        for part, options in _part_spellings(name).items()
        for spelling, mask in options
    }


@lru_cache(maxsize=100_000)
def _rule_lookup(name: PersonName) -> dict[tuple[str, str], Choices]:
    """(part, spelling) → the per-rule choices behind it.

    An initial shows the choice of its word's first letter where the letter tells the options
    apart (``y.ivanova`` for Юлия: ю as yu), and no choice otherwise.
    """
    out: dict[tuple[str, str], Choices] = {}
    for part, word in (("first", name.first), ("last", name.last), ("patr", name.patronymic)):
        if not word:
            continue
        options = rule_spellings(word)
        initial = {"first": "f", "last": "l", "patr": "p"}[part]
        shown = initial_choices(word)
        for spelling, choices in options.items():
            out[(part, spelling)] = choices
            out.setdefault((initial, spelling[0]), shown.get(spelling[0], ()))
    return out


@lru_cache(maxsize=1024)
def _layout(key: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]:
    """(distinct parts, which of them fills each slot, text before/between/after the slots)."""
    pattern = Pattern.of(key)
    needed = pattern.needed
    return needed, tuple(needed.index(part) for part in pattern.parts), pattern.literals


def _combine(pattern: Pattern, parts: Mapping[str, Sequence[tuple[str, int]]]) -> dict[str, int]:
    """Render a pattern over every combination of part spellings: local part → habit mask."""
    needed, slots, literals = _layout(pattern.key)
    options = []
    for part in needed:
        got = parts.get(part)
        if not got:
            return {}
        options.append(got)
    head, tail = literals[0], literals[1:]
    out: dict[str, int] = {}
    for combo in product(*options):
        mask = ALL_HABITS
        for _spelling, m in combo:
            mask &= m
        if mask:
            local = head + "".join(combo[i][0] + lit for i, lit in zip(slots, tail, strict=True))
            out[local] = out.get(local, 0) | mask
    return out


class _Rendering(NamedTuple):
    local: str
    mask: int
    weight: float = 1.0
    assumed: str = ""  # a part the record lacked and the guess assumes, in words


@lru_cache(maxsize=200_000)
def _render(name: PersonName, key: str) -> tuple[_Rendering, ...]:
    """Every local part one pattern gives for one name, with the habits giving it."""
    return tuple(
        _Rendering(local, mask)
        for local, mask in _combine(Pattern.of(key), _part_spellings(name)).items()
    )


def _choices_for(
    values: Mapping[str, str], by_rule: Mapping[tuple[str, str], Choices]
) -> Choices | None:
    """The per-rule choices behind an address's parts, or None when a part is not rule-spelt."""
    out: list[tuple[int, int]] = []
    for part, value in values.items():
        got = by_rule.get((part, value))
        if got is None:
            return None
        out.extend(got)
    return tuple(out)


def _choices_of(
    pattern: Pattern, local: str, by_rule: Mapping[tuple[str, str], Choices]
) -> Choices | None:
    for split in _splits(pattern, local):
        got = _choices_for(split, by_rule)
        if got is not None:
            return got
    return None


def _splits(pattern: Pattern, local: str) -> list[dict[str, str]]:
    """Every way two touching whole words of a pattern (``{first}{last}``) may split ``local``."""
    values = pattern.parse(local)
    if values is None:
        return []
    if not pattern.ambiguous or len(pattern.parts) != 2 or any(pattern.literals):
        return [values]
    a, b = pattern.parts
    return [{a: local[:k], b: local[k:]} for k in range(1, len(local))]


def _email_parts(email: str) -> tuple[str, str] | None:
    email = email.strip().lower().strip("<>")
    if email.count("@") != 1:
        return None
    local, domain = email.split("@")
    if not local or not domain:
        return None
    return local, domain


def normalise_domain(domain: str) -> str:
    domain = domain.strip().lower()
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    return domain.removeprefix("www.").rstrip(".")


class AddressModel:
    """Per-domain address habits learned from known addresses; guesses with confidence.

    >>> model = AddressModel.learn([
    ...     ("firma.ru", "Шинкарев Борис Петрович", "b.shinkarev@firma.ru"),
    ...     ("firma.ru", "Горскин Павел", "p.gorskin@firma.ru"),
    ...     ("firma.ru", "Цыганов Роман Ильич", "r.tsyganov@firma.ru"),
    ... ])
    >>> model.guess("firma.ru", "Андрей Тарасенко")[0].email
    'a.tarasenko@firma.ru'
    """

    def __init__(
        self,
        patterns: Sequence[str] = DEFAULT_PATTERNS,
        calibration: Calibration | None = None,
    ) -> None:
        self.patterns: tuple[str, ...] = tuple(Pattern.of(p).key for p in patterns)
        self._pattern_index = {p: i for i, p in enumerate(self.patterns)}
        self.calibration = calibration or Calibration()
        self._obs: dict[str, list[_Observation]] = defaultdict(list)
        self._occupied: dict[str, dict[str, str]] = defaultdict(dict)  # domain → local → person
        self._known_person: dict[tuple[str, str], str] = {}  # (domain, person) → email
        self._rejected: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._roles: dict[str, int] = defaultdict(int)
        self._unexplained: dict[str, int] = defaultdict(int)
        self._params: dict[str, _Params] = {}
        self._dirty: set[str] = set()
        self._first_names: dict[tuple[str, str | None], dict[str, float]] = defaultdict(
            lambda: defaultdict(float)
        )
        self._patronymic_initials: Counter[str] = Counter(_SEED_PATRONYMIC_INITIALS)
        self._patronymic_top: list[tuple[str, float]] | None = None
        self._completion_cache: dict[tuple[PersonName, str], tuple[_Rendering, ...]] = {}
        for names, gender in ((MALE_FIRST_NAMES, "m"), (FEMALE_FIRST_NAMES, "f")):
            for first in names:
                if "ё" not in first:
                    self._first_names[(first[0], gender)][first] += 0.2
        self.alpha_pattern = 1.0
        # Chance that one person ignores the company's pattern / habit and follows the
        # register's instead (their own passport spelling, a pattern from a former employer).
        self.deviate_pattern = 0.0
        self.deviate_habit = 0.0
        self.global_exception = 0.05
        # Share of companies typing names by ear (rule by rule), and the register's option
        # shares per rule among them; both learned in refit().
        self.by_ear_share = _BY_EAR_START
        # Of the people who spell their name their own way (not the company's), the share who
        # do it letter by letter (julia, dmitry) rather than by a published scheme.
        self.own_by_ear = _BY_EAR_START
        self._by_ear_scores: list[tuple[float, float, float]] = []
        self._rule_prior: list[np.ndarray] = _rule_seed()
        self._global: _Params | None = None
        self._n_learned_domains = 0
        self._collision_counts: dict[str, tuple[int, int]] = {}
        self._collision_patr_share = 0.5
        # first name → alias → people using it; people per first name; patterns aliases follow
        self._aliases: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self._first_name_people: Counter[str] = Counter()
        self._alias_patterns: dict[int, float] = defaultdict(float)
        # The same from unexplained addresses only; the above adds, at each refit, people whose
        # own first-name form (dmitry, julia) is spellable but not their company's (see
        # _learn_own_forms); candidates for that: (domain, name, pattern, first-name form).
        self._alias_base: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self._alias_pattern_base: dict[int, float] = defaultdict(float)
        self._own_form_candidates: list[tuple[str, PersonName, int, str]] = []
        self._alias_cache: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {}
        self._alias_share = 0.0
        self._alias_pattern_top: list[tuple[int, float]] | None = None
        # [same address, another address] for pairs of records of one name at one domain,
        # with the patronymic ("full") and by surname and first name only ("short").
        self._same_name_pairs: dict[str, list[int]] = {"full": [0, 0], "short": [0, 0]}

    # ---------------------------------------------------------------- learning
    @classmethod
    def learn(
        cls,
        records: Iterable[KnownAddress | tuple[str, str, str] | Mapping[str, str]],
        *,
        rejected: Iterable[KnownAddress | tuple[str, str, str] | Mapping[str, str]] = (),
        patterns: Sequence[str] = DEFAULT_PATTERNS,
        calibration: Calibration | None = None,
    ) -> AddressModel:
        """A model fitted to (domain, full_name, email) records; roles and strangers are skipped.

        ``rejected`` holds guessed addresses a mailing proved wrong (same record shape).
        """
        model = cls(patterns=patterns, calibration=calibration)
        for record in records:
            domain, full_name, email = _unpack(record)
            model._add(domain, full_name, email, positive=True)
        for record in rejected:
            domain, full_name, email = _unpack(record)
            model._add(domain, full_name, email, positive=False)
        model.refit()
        return model

    def add_known(self, domain: str, full_name: str, email: str) -> bool:
        """Add one known address; True when it taught the model a pattern (refit is lazy)."""
        return self._add(domain, full_name, email, positive=True)

    def record_outcome(self, domain: str, full_name: str, email: str, *, confirmed: bool) -> bool:
        """A mailing's verdict on a guessed address: confirmed adds it, rejected counts against."""
        return self._add(domain, full_name, email, positive=confirmed)

    def _add(self, domain: str, full_name: str, email: str, *, positive: bool) -> bool:
        parts = _email_parts(email)
        if parts is None:
            return False
        local, mail_domain = parts
        domain = normalise_domain(mail_domain or domain)
        if positive and is_role_mailbox(local):
            self._roles[domain] += 1
            return False
        name = parse_person_name(full_name)
        if name is None or not name.last:
            if positive:
                self._unexplained[domain] += 1
            return False
        if not positive:
            self._rejected[(domain, name.key)].add(local)
        elif name.script == "cyrillic":
            if name.first:
                self._first_names[(name.first[0], name.gender)][name.first] += 1
                self._completion_cache.clear()
            if name.patronymic_initial:
                self._patronymic_initials[name.patronymic_initial] += 1
                self._patronymic_top = None
                self._completion_cache.clear()
        base, digits = split_digit_suffix(local)
        cells = self._cells_with_rules(name, base) if base != local else []
        suffix = digits if cells else ""
        if not cells:
            base = local
            cells = self._cells_with_rules(name, local)
        if positive:
            self._count_same_name(domain, name, f"{local}@{domain}")
            self._occupied[domain][local] = name.key
            self._known_person[(domain, name.key)] = f"{local}@{domain}"
            self._known_person.setdefault((domain, _short_key(name)), f"{local}@{domain}")
        if positive and name.first:
            first_key = _first_key(name.first)
            alias = None if cells else self._alias_of(name, local)
            if cells:
                own = self._alias_of(name, base)
                if own:
                    self._own_form_candidates.append((domain, name, own[0], own[1]))
            if cells or alias:
                self._first_name_people[first_key] += 1
                self._alias_cache.clear()
                self._alias_pattern_top = None
            if alias:
                for aliases, patterns in (
                    (self._aliases, self._alias_patterns),
                    (self._alias_base, self._alias_pattern_base),
                ):
                    aliases[first_key][alias[1]] += 1
                    patterns[alias[0]] += 1
        if not cells:
            if positive:
                self._unexplained[domain] += 1
            return False
        self._obs[domain].append(
            _Observation(
                domain,
                name.key,
                name,
                base,
                tuple((p, mask) for p, mask, _ in cells),
                positive,
                suffix,
                tuple(rules for _, _, rules in cells),
            )
        )
        self._dirty.add(domain)
        return True

    def _count_same_name(self, domain: str, name: PersonName, email: str) -> None:
        """A second record of a known name: the same address (a duplicate) or not (a namesake)."""
        if name.patronymic:
            earlier = self._known_person.get((domain, name.key))
            if earlier:
                self._same_name_pairs["full"][0 if earlier == email else 1] += 1
        earlier = self._known_person.get((domain, _short_key(name)))
        if earlier:
            self._same_name_pairs["short"][0 if earlier == email else 1] += 1

    def _same_person(self, *, full: bool) -> float:
        """Chance that a record of a name known at the domain is the person already known."""
        same, other = self._same_name_pairs["full" if full else "short"]
        start = _SAME_PERSON_FULL if full else _SAME_PERSON_SHORT
        return (_SAME_PERSON_WEIGHT * start + same) / (_SAME_PERSON_WEIGHT + same + other)

    def _alias_of(self, name: PersonName, local: str) -> tuple[int, str] | None:
        """(pattern, alias) when ``local`` is a pattern with another word for the first name.

        ``sasha.ivanov`` for «Иванов Александр»: the surname (in some spelling) anchors the
        pattern, and the word in the first name's place is what this person goes by.
        """
        lookup = _spelling_lookup(name)
        for i, key in enumerate(self.patterns):
            pattern = Pattern.of(key)
            if pattern.ambiguous or "first" not in pattern.needs or "last" not in pattern.needs:
                continue
            if "f" in pattern.needs:
                continue
            values = pattern.parse(local)
            if values is None or not 2 <= len(values["first"]) <= 12:
                continue
            mask = ALL_HABITS
            for part, value in values.items():
                if part != "first":
                    mask &= lookup.get((part, value), 0)
            if mask:
                return i, values["first"]
        return None

    def _alias_options(self, first: str) -> tuple[float, tuple[tuple[str, float], ...]]:
        """(share of people with this first name who use an alias, ((alias, share), …))."""
        key = _first_key(first)
        got = self._alias_cache.get(key)
        if got is None:
            seen = self._aliases.get(key)
            options: tuple[tuple[str, float], ...] = ()
            rate = 0.0
            if seen:
                ranked = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[:_ALIAS_OPTIONS]
                kept = [(a, n) for a, n in ranked if n >= _ALIAS_MIN_SEEN]
                if kept:
                    people = sum(self._first_name_people.values())
                    register = sum(sum(c.values()) for c in self._aliases.values()) / max(people, 1)
                    used = sum(seen.values())
                    rate = (used + _ALIAS_SHRINK * register) / (
                        self._first_name_people[key] + _ALIAS_SHRINK
                    )
                    options = tuple((a, n / used) for a, n in kept)
            got = (rate, options)
            self._alias_cache[key] = got
        return got

    def _alias_share_of_exceptions(self) -> float:
        """Share of the register's unexplained addresses that are first-name aliases."""
        aliases = sum(self._alias_pattern_base.values())
        strange = sum(self._unexplained.values())
        return min(aliases / strange, 1.0) if strange else 0.0

    def _cells(self, name: PersonName, local: str) -> list[tuple[int, int]]:
        """The (pattern index, habit mask) cells that render ``local`` for this name.

        A cell with mask 0 is spelt by no whole scheme but rule by rule (``yulia``).
        """
        return [(p, mask) for p, mask, _rules in self._cells_with_rules(name, local)]

    def _cells_with_rules(
        self, name: PersonName, local: str
    ) -> list[tuple[int, int, Choices | None]]:
        """Cells with the per-rule choices their spelling shows (None when there are none)."""
        cells: list[tuple[int, int, Choices | None]] = []
        known = _part_spellings(name)
        lookup = _spelling_lookup(name)
        by_rule = _rule_lookup(name) if name.script == "cyrillic" else {}
        for i, key in enumerate(self.patterns):
            pattern = Pattern.of(key)
            if pattern.ambiguous:
                found = False
                for r in _render(name, key):
                    if r.local == local:
                        cells.append((i, r.mask, _choices_of(pattern, local, by_rule)))
                        found = True
                if not found and by_rule:
                    for split in _splits(pattern, local):
                        choices = _choices_for(split, by_rule)
                        if choices is not None:
                            cells.append((i, 0, choices))
                            break
                continue
            # One way to split: read the parts off the address and look their spellings up.
            values = pattern.parse(local)
            if values is None:
                continue
            mask = ALL_HABITS
            for part, value in values.items():
                mask &= lookup.get((part, value), 0)
                if not mask:
                    break
            choices = _choices_for(values, by_rule) if by_rule else None
            if mask or choices is not None:
                cells.append((i, mask, choices))
        if cells:
            return cells
        # A part the record lacks (patronymic, or a first name given as an initial) may still
        # be read off the address: "Смирнова Т.В." at tatyana@ shows the pattern {first}.
        for i, key in enumerate(self.patterns):
            pattern = Pattern.of(key)
            missing = [part for part in pattern.needs if part not in known]
            if not missing or not set(missing) <= {"p", "first"}:
                continue
            values = pattern.parse(local)
            if values is None:
                continue
            probe = dict(known)
            if "p" in missing:
                probe["p"] = ((values["p"], ALL_HABITS),)
            if "first" in missing:
                initial = dict(known.get("f", ()))
                mask = initial.get(values["first"][0], 0)
                if not mask:
                    continue
                probe["first"] = ((values["first"], mask),)
            mask = _combine(pattern, probe).get(local, 0)
            if mask:
                cells.append((i, mask, None))
        return cells

    def refit(self) -> None:
        """Fit every domain, the global prior and the concentrations (empirical Bayes)."""
        domains = [d for d, obs in self._obs.items() if obs]
        n_person = sum(sum(o.positive for o in self._obs[d]) for d in domains)
        n_strange = sum(self._unexplained.values())
        self.global_exception = (n_strange + 1.0) / (n_person + n_strange + 20.0)
        seed = _Prior(
            _seed(_SEED_PATTERNS, self.patterns),
            _seed(_SEED_SCHEMES, SCHEME_KEYS),
            np.array([0.8, 0.2]),
            np.array([0.7, 0.3]),
        )
        design = self._design(domains)
        self.by_ear_share = _BY_EAR_START
        self.own_by_ear = _BY_EAR_START
        self._rule_prior = _rule_seed()
        prior = seed
        for _round in range(_POOL_ROUNDS):
            fit = self._fit(design, prior)
            prior = _pool(fit, design, seed)
            if _round % 3 == 2:
                self._by_ear(design, fit, prior, learn=True)
                self._choose_by_ear(design, fit, prior)
        self._choose_alpha(design, prior)
        for _round in range(_POOL_ROUNDS // 2):
            fit = self._fit(design, prior)
            prior = _pool(fit, design, seed)
        self._by_ear(design, fit, prior, learn=True)
        self._choose_by_ear(design, fit, prior)
        fit = self._fit(design, prior)
        self._prior = prior
        self._learn_collision_style()
        self._alias_share = self._alias_share_of_exceptions()
        self._params = self._unpack_fit(design, fit, prior)
        self._learn_own_forms()
        self._n_learned_domains = int((design.known > 0).sum())
        self._global = self._make_params(prior.pattern, prior.scheme, prior.ks, prior.yo)
        self._global.exception = self.global_exception
        self._global.by_ear = self.by_ear_share
        self._global.rules = self._rule_prior
        self._dirty.clear()

    def _learn_own_forms(self) -> None:
        """First-name forms people use whatever their company's habit: ``dmitry.kozlov`` at a
        company writing ``kozlov@``, ``julia.orlova`` where everyone else is ``a.petrov``.

        Such an address is explained (wikipedia writes dmitry, by ear one writes julia), so it
        never reaches the aliases learned from unexplained addresses; but it follows a pattern
        no colleague uses, in a first-name form the company's habit would not give. Each counts
        for the form as a first-name alias with the chance that the company would *not* have
        written the name so; aliases seen at least twice are offered like the others (a share
        of the register's people of that first name times the pattern aliases come in).
        """
        self._aliases = defaultdict(lambda: defaultdict(float))
        for first, seen in self._alias_base.items():
            self._aliases[first].update(seen)
        self._alias_patterns = defaultdict(float, self._alias_pattern_base)
        for domain, name, p_idx, form in self._own_form_candidates:
            params = self._params.get(domain)
            # A colleague on the same pattern makes it the company's (second) pattern.
            if params is None or params.known < 3 or params.counts_pattern[p_idx] > 1.5:
                continue
            assert name.first
            mask = _spelling_lookup(name).get(("first", form), 0)
            company = params.mask_mass(mask) if mask else 0.0
            if params.by_ear > 0:
                probs, _top, _initials = self._word_by_ear(params, name.first)
                company = (1.0 - params.by_ear) * company + params.by_ear * probs.get(form, 0.0)
            weight = max(1.0 - company, 0.0)
            self._aliases[_first_key(name.first)][form] += weight
            self._alias_patterns[p_idx] += weight
        self._alias_cache.clear()
        self._alias_pattern_top = None

    def _learn_collision_style(self) -> None:
        """How namesakes are told apart: a digit (a.tarasenko2) or the patronymic (a.v.tarasenko).

        A digit-suffixed known address counts for digits; a known address whose pattern is a
        patronymic-initial variant of another pattern, whose plain form belongs to someone else
        at the domain, counts for patronymics.
        """
        self._collision_counts = {}
        for domain, obs in self._obs.items():
            occupied = self._occupied.get(domain, {})
            digit = patr = 0
            for o in obs:
                if not o.positive:
                    continue
                if o.suffix:
                    digit += 1
                    continue
                for p_idx, _mask in o.cells:
                    key = self.patterns[p_idx]
                    base_key = _without_patronymic(key)
                    if base_key is None:
                        continue
                    values = Pattern.of(key).parse(o.local)
                    if values is None:
                        continue
                    base = Pattern.of(base_key).render(values)
                    if occupied.get(base, o.person) != o.person:
                        patr += 1
                        break
            if digit or patr:
                self._collision_counts[domain] = (digit, patr)
        digits = sum(d for d, _ in self._collision_counts.values())
        patrs = sum(p for _, p in self._collision_counts.values())
        self._collision_patr_share = (1.0 + patrs) / (2.0 + digits + patrs)

    def _patronymic_collision_share(self, domain: str) -> float:
        digit, patr = self._collision_counts.get(domain, (0, 0))
        return (2.0 * self._collision_patr_share + patr) / (2.0 + digit + patr)

    def _design(self, domains: Sequence[str]) -> _Design:
        """All observations of the given domains as flat arrays (one row per explaining cell)."""
        row_obs: list[int] = []
        row_dom: list[int] = []
        row_p: list[int] = []
        row_masks: list[int] = []
        row_rules: list[Choices | None] = []
        obs_dom: list[int] = []
        negatives: list[tuple[int, _Observation]] = []
        n_obs = np.zeros(len(domains))
        known = np.zeros(len(domains), dtype=int)
        for d, domain in enumerate(domains):
            for o in self._obs.get(domain, []):
                n_obs[d] += 1
                if not o.positive:
                    negatives.append((d, o))
                    continue
                known[d] += 1
                j = len(obs_dom)
                obs_dom.append(d)
                for c, (p, mask) in enumerate(o.cells):
                    row_obs.append(j)
                    row_dom.append(d)
                    row_p.append(p)
                    row_masks.append(mask)
                    row_rules.append(o.rules[c] if c < len(o.rules) else None)
        bits = (
            np.stack([_mask_bits(m) for m in row_masks]).astype(float)
            if row_masks
            else np.zeros((0, N_HABITS))
        )
        return _Design(
            domains=list(domains),
            n_obs=n_obs,
            known=known,
            row_obs=np.array(row_obs, dtype=int),
            row_dom=np.array(row_dom, dtype=int),
            row_p=np.array(row_p, dtype=int),
            row_bits=bits,
            obs_dom=np.array(obs_dom, dtype=int),
            negatives=negatives,
            row_rules=row_rules,
        )

    def _habit_log_likelihood(
        self, design: _Design, pat: np.ndarray, g: np.ndarray, eps: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """log P(each known address | the company's habit h), (observations, habits).

        The person follows the company's habit with 1 - eps and spells their name their own
        way (drawn from the register's habits ``g``) with eps; the pattern is summed out.
        Also returns, per row, the chance that a deviating person spells the row's parts so.
        """
        g_rows = self._register_rows(design, g)
        n_obs = len(design.obs_dom)
        if not len(design.row_p):
            return np.zeros((n_obs, N_HABITS)), g_rows
        weight = pat[design.row_dom, design.row_p][:, None]
        lik = _sum_sorted(
            design.row_obs,
            weight * ((1.0 - eps) * design.row_bits + eps * g_rows[:, None]),
            n_obs,
        )
        return np.log(np.maximum(lik, 1e-300)), g_rows

    def _register_rows(self, design: _Design, g: np.ndarray) -> np.ndarray:
        """Per row: the chance that someone spells its parts so, across the register's habits
        (whole schemes with 1 - by-ear share, rule by rule with the by-ear share)."""
        if design.row_q is None:
            design.row_q = np.array(
                [self._q_product(c) for c in design.row_rules], dtype=float
            ).reshape(len(design.row_rules))
        own = self.own_by_ear
        return (1.0 - own) * (design.row_bits @ g) + own * design.row_q

    def _q_product(self, choices: Choices | None) -> float:
        if choices is None:
            return 0.0
        out = 1.0
        for r, k in choices:
            out *= float(self._rule_prior[r][k])
        return out

    def _habit_posterior(
        self, design: _Design, pat: np.ndarray, g: np.ndarray, eps: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each domain's posterior over its one habit: the register's habits times the evidence.

        Returns (posterior (D, H), per-observation log-likelihoods, per-row deviation chance).
        Exact Bayes over the 48 habits, so a domain that shows «ю» as ``yu`` but never «й»
        keeps exactly the habits writing ``yu``, in the register's proportions among them.
        """
        log_obs, g_rows = self._habit_log_likelihood(design, pat, g, eps)
        n_dom = len(design.domains)
        log_post = _sum_sorted(design.obs_dom, log_obs, n_dom) + np.log(np.maximum(g, 1e-300))
        for d, o in design.negatives:
            # A rejected guess: the person's cell lies outside the cells producing it.
            inside = np.zeros(N_HABITS)
            for p, mask in o.cells:
                bits = _mask_bits(mask)
                inside += pat[d, p] * ((1.0 - eps) * bits + eps * float(g[bits].sum()))
            exc = self.global_exception
            log_post[d] += np.log(np.maximum(exc + (1.0 - exc) * (1.0 - inside), 1e-300))
        log_post -= log_post.max(axis=1, keepdims=True)
        post = np.exp(log_post)
        post /= post.sum(axis=1, keepdims=True)
        return post, log_obs, g_rows

    def _fit(self, design: _Design, prior: _Prior, *, iterations: int = 40) -> _Fit:
        """Every domain at once: exact habit posteriors, EM for the pattern shares."""
        n_dom = len(design.domains)
        n_pat = len(self.patterns)
        g = _habit_vector(prior.scheme, prior.ks, prior.yo)
        eps = max(self.deviate_habit, _MIN_DEVIATE)
        pat = np.tile(prior.pattern, (n_dom, 1))
        post = np.tile(g, (n_dom, 1))
        a_p = self.alpha_pattern
        n = design.n_obs[:, None]
        c_p = np.zeros((n_dom, n_pat))
        for _ in range(iterations):
            post, _log_obs, g_rows = self._habit_posterior(design, pat, g, eps)
            habit = (1.0 - eps) * post + eps * g
            c_p = np.zeros((n_dom, n_pat))
            if len(design.row_p):
                h_rows = (1.0 - eps) * (design.row_bits * post[design.row_dom]).sum(
                    axis=1
                ) + eps * g_rows
                w = pat[design.row_dom, design.row_p] * h_rows
                norm = np.bincount(design.row_obs, weights=w, minlength=len(design.obs_dom))
                r = w / np.where(norm > 0, norm, 1.0)[design.row_obs]
                c_p = np.asarray(
                    np.bincount(
                        design.row_dom * n_pat + design.row_p, weights=r, minlength=n_dom * n_pat
                    ),
                    dtype=float,
                ).reshape(n_dom, n_pat)
            scratch = np.zeros(N_HABITS)
            for d, o in design.negatives:
                _negative_counts(o, pat[d], habit[d], c_p[d], scratch, self.global_exception)
            new_pat = (a_p * prior.pattern + c_p) / (a_p + n)
            new_pat /= new_pat.sum(axis=1, keepdims=True)
            delta = float(np.abs(new_pat - pat).max(initial=0))
            pat = new_pat
            if delta < 1e-6:
                break
        post, _log_obs, _g_rows = self._habit_posterior(design, pat, g, eps)
        known = design.known[:, None].astype(float)
        return _Fit(
            pat,
            post @ _SCHEME_OF,
            post @ _KS_OF,
            post @ _YO_OF,
            c_p,
            known * (post @ _SCHEME_OF),
            post,
        )

    def _unpack_fit(self, design: _Design, fit: _Fit, prior: _Prior) -> dict[str, _Params]:
        out = {}
        by_ear, rules = self._by_ear(design, fit, prior, learn=False)
        d_p = self.deviate_pattern
        eps = max(self.deviate_habit, _MIN_DEVIATE)
        by_ear = np.minimum(by_ear, self._robust_by_ear(design, fit, prior, eps))
        habit_g = _habit_vector(prior.scheme, prior.ks, prior.yo)
        for d, domain in enumerate(design.domains):
            params = self._make_params(
                (1.0 - d_p) * fit.pattern[d] + d_p * prior.pattern,
                fit.scheme[d],
                fit.ks[d],
                fit.yo[d],
            )
            # A new person follows the company's habit, or their own (the register's) with eps.
            params._habit = (1.0 - eps) * fit.habit[d] + eps * habit_g
            params.counts_pattern = fit.counts_pattern[d]
            params.counts_scheme = fit.counts_scheme[d]
            params.known = int(design.known[d])
            params.exception = self._exception(domain, int(design.known[d]))
            params.by_ear = float(by_ear[d])
            # The by-ear account's predictive: each letter as the company writes it, or (eps)
            # the person's own way from the register's by-ear shares.
            params.rules = [
                (1.0 - eps) * theta + eps * share
                for theta, share in zip(rules[d], self._rule_prior, strict=True)
            ]
            out[domain] = params
        return out

    def _best_rows(self, design: _Design, fit: _Fit) -> np.ndarray:
        """Per known address, its likeliest cell (row); -1 when it has none."""
        n_obs = len(design.obs_dom)
        best_row = np.full(n_obs, -1)
        if len(design.row_p):
            w = fit.pattern[design.row_dom, design.row_p]
            # Rows of one address are contiguous: the first maximum of each run.
            order = np.lexsort((-w, design.row_obs))
            first = np.r_[True, design.row_obs[order][1:] != design.row_obs[order][:-1]]
            best_row[design.row_obs[order][first]] = order[first]
        return best_row

    def _ear_loo(self, design: _Design, fit: _Fit, prior: _Prior) -> _EarLoo | None:
        """Leave-one-out evidence of the two accounts of ``_by_ear`` for every known address.

        Each address is read through its likeliest cell; ``terms(own, eps)`` gives, per address
        whose spelling has rule choices, the log evidence of its domain's whole-habit and
        by-ear accounts with and without the address (exact: the evidence factorises over the
        addresses for one habit and over the rules for the by-ear account).
        """
        n_obs = len(design.obs_dom)
        if not n_obs or not len(design.row_p):
            return None
        best_row = self._best_rows(design, fit)
        ruled = np.array(
            [row >= 0 and design.row_rules[row] is not None for row in best_row], dtype=bool
        )
        obs = np.flatnonzero(ruled)
        if not len(obs):
            return None
        rows = best_row[obs]
        dom = design.obs_dom[obs]
        n_dom = len(design.domains)
        g = _habit_vector(prior.scheme, prior.ks, prior.yo)
        log_g = np.log(np.maximum(g, 1e-300))
        width = max(len(o) for o in RULE_OPTIONS)
        log_q = np.full((N_RULES, width), -np.inf)
        q = np.zeros((N_RULES, width))
        for r in range(N_RULES):
            q[r, : len(RULE_OPTIONS[r])] = self._rule_prior[r]
            log_q[r, : len(RULE_OPTIONS[r])] = np.log(np.maximum(self._rule_prior[r], 1e-300))
        # Rule occurrences: (address, domain × rule group, option written).
        occ = [(i, r, k) for i, row in enumerate(rows) for r, k in design.row_rules[row] or ()]
        o_obs, o_rule, o_opt = (
            (np.array(c, dtype=int) for c in zip(*occ, strict=True))
            if occ
            else (
                np.zeros(0, dtype=int),
                np.zeros(0, dtype=int),
                np.zeros(0, dtype=int),
            )
        )
        n_groups = n_dom * N_RULES
        o_group = dom[o_obs] * N_RULES + o_rule
        pairs, inverse = np.unique(o_obs * n_groups + o_group, return_inverse=True)
        p_obs = pairs // n_groups
        p_group = pairs % n_groups
        p_rule = p_group % N_RULES
        used = np.zeros(n_groups, dtype=bool)
        used[o_group] = True
        same = (np.arange(width)[None, :] == o_opt[:, None]).astype(float)
        bits = design.row_bits[rows]
        row_q = np.array([self._q_product(design.row_rules[row]) for row in rows])
        g_bits = bits @ g

        def terms(own: float, eps: float) -> tuple[np.ndarray, ...]:
            # By ear: the company chose option k for a rule; a person writes the option seen
            # with (1 - eps)[k is it] + eps q (their own way, from the register's shares).
            o_log = np.log((1.0 - eps) * same + eps * q[o_rule, o_opt][:, None])
            s_group = np.zeros((n_groups, width))
            np.add.at(s_group, o_group, o_log)
            c_pair = np.zeros((len(pairs), width))
            np.add.at(c_pair, inverse, o_log)
            ev_group = _log_sum_exp(log_q[np.arange(n_groups) % N_RULES] + s_group)
            ev_group[~used] = 0.0
            ear_all = ev_group.reshape(n_dom, N_RULES).sum(axis=1)[dom]
            ev_without = _log_sum_exp(log_q[p_rule] + s_group[p_group] - c_pair)
            loss = np.bincount(p_obs, weights=ev_group[p_group] - ev_without, minlength=len(obs))
            # One whole habit: (1 - eps)[h spells it] + eps × the chance someone spells it so
            # their own way (a scheme, or letter by letter with ``own``).
            register = (1.0 - own) * g_bits + own * row_q
            log_obs = np.log(np.maximum((1.0 - eps) * bits + eps * register[:, None], 1e-300))
            log_dom = log_g + _sum_sorted(dom, log_obs, n_dom)
            whole_all = _log_sum_exp(log_dom)[dom]
            whole_rest = _log_sum_exp(log_dom[dom] - log_obs)
            return whole_all, whole_rest, ear_all, ear_all - loss

        return _EarLoo(obs, rows, terms)

    def _robust_by_ear(self, design: _Design, fit: _Fit, prior: _Prior, eps: float) -> np.ndarray:
        """Per domain: its by-ear chance with whichever one known address set aside lowers it most.

        One person's own spelling (a passport's ``sergey`` at a company writing ``iuliia``, a
        ``julia`` who goes by the Western form) makes a domain look as if it chose each letter on
        its own, and the per-rule account then copies that person's letters onto everyone. A
        company typing by ear shows it in more than one person: the account must hold with
        any one address left out.
        """
        out = np.ones(len(design.domains))
        loo = self._ear_loo(design, fit, prior)
        lam = self.by_ear_share
        if loo is None or not 0.0 < lam < 1.0:
            return out * lam
        _whole_all, whole_rest, _ear_all, ear_rest = loo.terms(self.own_by_ear, eps)
        logit = np.log(lam / (1.0 - lam)) + ear_rest - whole_rest
        rest = 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))
        np.minimum.at(out, design.obs_dom[loo.obs], rest)
        return out

    def _choose_by_ear(self, design: _Design, fit: _Fit, prior: _Prior) -> None:
        """The register's share of by-ear companies by leave-one-out likelihood.

        Each known address's spelling is predicted from the rest of its domain under the
        mixture of the two accounts of ``_by_ear`` weighted by the share: exactly, as the ratio
        of the domain's evidence with and without the address. (EM on the share converged
        slowly from its start, most domains' addresses saying nothing either way, and
        overestimated it.)
        """
        loo = self._ear_loo(design, fit, prior)
        if loo is None:
            return
        eps = max(self.deviate_habit, _MIN_DEVIATE)

        scores: list[tuple[float, float, float]] = []
        for own in _OWN_BY_EAR_GRID:
            whole_all, whole_rest, ear_all, ear_rest = loo.terms(own, eps)
            for lam in _BY_EAR_GRID:
                with np.errstate(divide="ignore"):
                    a, b = np.log(1.0 - lam), np.log(lam)
                mix_all = np.logaddexp(a + whole_all, b + ear_all)
                mix_rest = np.logaddexp(a + whole_rest, b + ear_rest)
                scores.append((float((mix_all - mix_rest).sum()), lam, own))
        self._by_ear_scores = scores
        _best, self.by_ear_share, self.own_by_ear = max(scores)

    def _by_ear(
        self, design: _Design, fit: _Fit, prior: _Prior, *, learn: bool, rounds: int = 5
    ) -> tuple[np.ndarray, list[list[np.ndarray]]]:
        """Each domain's chance of typing by ear and its option shares per rule.

        Two accounts of a domain's addresses compete (Bayesian model comparison): one whole
        habit for everyone (the exact posterior above), or each contested letter chosen on its
        own, every rule's option drawn from the register's by-ear shares. Each person follows
        the company with 1 - eps, or spells their name their own way. A domain whose addresses
        one scheme explains keeps a small by-ear chance (the whole account is sharper); one
        showing ``yulia`` next to ``tatyana`` moves to the by-ear account. With ``learn`` the
        register's option shares are refitted from the domains (EM); the share of by-ear
        companies is chosen by leave-one-out (``_choose_by_ear``).
        """
        n_dom = len(design.domains)
        g = _habit_vector(prior.scheme, prior.ks, prior.yo)
        eps = max(self.deviate_habit, _MIN_DEVIATE)
        n_obs = len(design.obs_dom)
        best_row = self._best_rows(design, fit)
        occurrences: list[dict[int, list[int]]] = [defaultdict(list) for _ in range(n_dom)]
        unruled: list[list[int]] = [[] for _ in range(n_dom)]  # rows no rule spells
        for j in range(n_obs):
            row = int(best_row[j])
            if row < 0:
                continue
            d = int(design.obs_dom[j])
            choices = design.row_rules[row] if design.row_rules else None
            if choices is None:
                # Not spellable rule by rule (a Latin-script record, a rare scheme's spelling):
                # it compares neither account.
                best_row[j] = -1
                continue
            for r, k in choices:
                occurrences[d][r].append(k)
        # Whole-habit evidence of the same cells: log Σ_h g(h) Π (1 - eps)[h] + eps G.
        rows = best_row[best_row >= 0]
        bits = design.row_bits[rows] if len(rows) else np.zeros((0, N_HABITS))
        by_ear = np.full(n_dom, self.by_ear_share)
        thetas: list[list[np.ndarray]] = [list(self._rule_prior) for _ in range(n_dom)]
        for _round in range(rounds if learn else 1):
            design.row_q = None
            register = self._register_rows(design, g)
            reg_best = register[rows] if len(rows) else np.zeros(0)
            lik = (1.0 - eps) * bits + eps * reg_best[:, None]
            log_w = _sum_sorted(
                design.obs_dom[best_row >= 0], np.log(np.maximum(lik, 1e-300)), n_dom
            ) + np.log(np.maximum(g, 1e-300))
            top = log_w.max(axis=1, keepdims=True)
            whole = (top + np.log(np.exp(log_w - top).sum(axis=1, keepdims=True)))[:, 0]
            lam = min(max(self.by_ear_share, 1e-6), 1 - 1e-6)
            sum_rules = [np.zeros(len(o)) for o in RULE_OPTIONS]
            weight_rules = np.zeros(N_RULES)
            for d in range(n_dom):
                if not occurrences[d] and not unruled[d]:
                    continue
                ear = 0.0
                theta = list(self._rule_prior)
                for r, seen in occurrences[d].items():
                    q = self._rule_prior[r]
                    log_v = np.log(np.maximum(q, 1e-300))
                    for k in seen:
                        hit = np.full(len(q), eps * float(q[k]))
                        hit[k] += 1.0 - eps
                        log_v = log_v + np.log(hit)
                    peak = float(log_v.max())
                    v = np.exp(log_v - peak)
                    ear += peak + float(np.log(v.sum()))
                    theta[r] = v / v.sum()
                thetas[d] = theta
                diff = np.log(lam) - np.log(1 - lam) + ear - whole[d]
                by_ear[d] = 1.0 / (1.0 + np.exp(-min(max(diff, -50.0), 50.0)))
                for r in occurrences[d]:
                    sum_rules[r] += by_ear[d] * theta[r]
                    weight_rules[r] += by_ear[d]
            if not learn:
                break
            seen_domains = [d for d in range(n_dom) if occurrences[d] or unruled[d]]
            seed = _rule_seed()
            self._rule_prior = [
                (_BY_EAR_SEED_WEIGHT * seed[r] + sum_rules[r])
                / (_BY_EAR_SEED_WEIGHT + weight_rules[r])
                for r in range(N_RULES)
            ]
            unseen = np.ones(n_dom, dtype=bool)
            unseen[seen_domains] = False
            by_ear[unseen] = self.by_ear_share
        design.row_q = None
        return by_ear, thetas

    def _exception(self, domain: str, known: int) -> float:
        strange = self._unexplained.get(domain, 0)
        return (_EXCEPTION_SHRINK * self.global_exception + strange) / (
            _EXCEPTION_SHRINK + known + strange
        )

    def _make_params(
        self, pat: np.ndarray, sch: np.ndarray, ks: np.ndarray, yo: np.ndarray
    ) -> _Params:
        return _Params(
            pattern=pat,
            scheme=sch,
            ks=ks,
            yo=yo,
            counts_pattern=np.zeros(len(self.patterns)),
            counts_scheme=np.zeros(N_SCHEMES),
            known=0,
            exception=self.global_exception,
        )

    def _choose_alpha(self, design: _Design, prior: _Prior) -> None:
        """Pattern concentration and deviation rates maximising the leave-one-out likelihood.

        Each known address is predicted from its domain's other addresses. For patterns, "the
        domain without this address" is the domain's expected counts minus the address's own
        share; for the habit it is exact: the posterior divided by the address's likelihood.
        Coordinate search over log grids.
        """
        if not len(design.row_p):
            return
        fit = self._fit(design, prior)
        n_obs = len(design.obs_dom)
        g = _habit_vector(prior.scheme, prior.ks, prior.yo)
        eps = max(self.deviate_habit, _MIN_DEVIATE)
        habit = (1.0 - eps) * fit.habit + eps * g
        h_rows = (design.row_bits * habit[design.row_dom]).sum(axis=1)
        w = fit.pattern[design.row_dom, design.row_p] * h_rows
        norm = np.bincount(design.row_obs, weights=w, minlength=n_obs)
        r = w / np.where(norm > 0, norm, 1.0)[design.row_obs]
        n_pat = len(self.patterns)
        own_p = np.bincount(
            design.row_obs * n_pat + design.row_p, weights=r, minlength=n_obs * n_pat
        ).reshape(n_obs, n_pat)
        dom = design.obs_dom
        rest_n = (design.n_obs[dom] - 1.0)[:, None]
        rest_p = fit.counts_pattern[dom] - own_p
        # Domains with a single address teach nothing about concentration.
        use = (design.n_obs[dom] >= 2)[design.row_obs]
        if not use.any():
            return
        log_g = np.log(np.maximum(g, 1e-300))
        rest_habit: dict[float, tuple[np.ndarray, ...]] = {}
        loo = self._ear_loo(design, fit, prior)
        lam = self.by_ear_share

        def habit_without_self(dev: float) -> tuple[np.ndarray, ...]:
            got = rest_habit.get(dev)
            if got is None:
                e = max(dev, _MIN_DEVIATE)
                log_obs, g_rows = self._habit_log_likelihood(design, fit.pattern, g, e)
                log_dom = _sum_sorted(design.obs_dom, log_obs, len(design.domains))
                log_rest = log_dom[dom] - log_obs + log_g
                log_rest -= log_rest.max(axis=1, keepdims=True)
                q = np.exp(log_rest)
                q /= q.sum(axis=1, keepdims=True)
                per_row = (1.0 - e) * (design.row_bits * q[design.row_obs]).sum(axis=1)
                # A company may type by ear: an address is predicted by the mixture of the two
                # accounts, each weighted by its posterior given the rest of the domain.
                ear_weight = np.zeros(n_obs)
                ear_pred = np.zeros(n_obs)
                if loo is not None and lam > 0:
                    _whole_all, whole_rest, ear_all, ear_rest = loo.terms(self.own_by_ear, e)
                    logit = np.log(lam / (1.0 - lam)) + ear_rest - whole_rest
                    ear_weight[loo.obs] = 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))
                    ear_pred[loo.obs] = np.exp(ear_all - ear_rest)
                got = (per_row, e * g_rows, ear_weight, ear_pred)
                rest_habit[dev] = got
            return got

        def loglik(a_p: float, d_p: float, d_h: float) -> float:
            pat = (a_p * prior.pattern + rest_p) / (a_p + rest_n)
            pat = (1.0 - d_p) * pat + d_p * prior.pattern
            follow, deviate, ear_weight, ear_pred = habit_without_self(d_h)
            val = pat[design.row_obs, design.row_p] * (follow + deviate)
            per_obs = np.bincount(design.row_obs[use], weights=val[use], minlength=n_obs)
            if loo is not None:
                # The by-ear account reads the address through its likeliest cell's pattern.
                ear_pred = ear_pred.copy()
                ear_pred[loo.obs] *= pat[loo.obs, design.row_p[loo.rows]]
            per_obs = (1.0 - ear_weight) * per_obs + ear_weight * ear_pred
            has = np.bincount(design.row_obs[use], minlength=n_obs) > 0
            return float(np.log(np.maximum(per_obs[has], 1e-12)).sum())

        best = [self.alpha_pattern, self.deviate_pattern, self.deviate_habit]
        grids = (_ALPHA_GRID, _DEVIATE_GRID, _DEVIATE_GRID)
        for _sweep in range(2):
            for k, grid in enumerate(grids):
                scores = []
                for value in grid:
                    trial = list(best)
                    trial[k] = value
                    scores.append((loglik(*trial), value))
                best[k] = max(scores)[1]
        self.alpha_pattern, self.deviate_pattern, self.deviate_habit = best

    def _domain_params(self, domain: str) -> _Params:
        if self._global is None:
            self.refit()
        if domain in self._dirty:
            # A new outcome refits its own domain against the register's prior; the prior and
            # the concentrations wait for the next full refit().
            design = self._design([domain])
            fit = self._fit(design, self._prior)
            self._params.update(self._unpack_fit(design, fit, self._prior))
            self._dirty.discard(domain)
        params = self._params.get(domain)
        if params is not None:
            return params
        assert self._global is not None
        if self._unexplained.get(domain):
            g = self._global
            params = self._make_params(g.pattern, g.scheme, g.ks, g.yo)
            params.exception = self._exception(domain, 0)
            return params
        return self._global

    # ---------------------------------------------------------------- guessing
    def _renderings(self, name: PersonName, key: str) -> tuple[_Rendering, ...]:
        """Local parts of one pattern for one name, completing a missing part if needed."""
        full = _render(name, key)
        if full:
            return full
        cached = self._completion_cache.get((name, key))
        if cached is not None:
            return cached
        pattern = Pattern.of(key)
        known = _part_spellings(name)
        missing = [part for part in pattern.needs if part not in known]
        out: list[_Rendering] = []
        if missing and set(missing) <= {"first", "p"}:
            options: list[list[tuple[str, str, float]]] = []  # per missing part: (part, value, w)
            if "first" in missing:
                if not name.first_initial or name.script != "cyrillic":
                    self._completion_cache[(name, key)] = ()
                    return ()
                counts = self._first_names_for(name.first_initial, name.gender)
                options.append([("first", v, w) for v, w in counts])
            if "p" in missing:
                options.append([("p", letter, w) for letter, w in self._top_patronymic_initials()])
            for choice in product(*options):
                parts = dict(known)
                weight = 1.0
                notes = []
                for part, value, w in choice:
                    weight *= w
                    if part == "first":
                        parts["first"] = spellings(value)
                        parts["f"] = initial_spellings(value)
                        notes.append(f"first name taken as {value}")
                    else:
                        parts["p"] = initial_spellings(value)
                        notes.append(f"patronymic initial taken as {value}.")
                for local, mask in _combine(pattern, parts).items():
                    out.append(_Rendering(local, mask, weight, ", ".join(notes)))
        result = tuple(out)
        self._completion_cache[(name, key)] = result
        return result

    def _word_by_ear(
        self, params: _Params, word: str
    ) -> tuple[dict[str, float], list[str], dict[str, float]]:
        """A word's by-ear spellings at this domain: (probabilities, likeliest, initials)."""
        got = params._word_rules.get(word)
        if got is None:
            rules = params.rules if params.rules is not None else self._rule_prior
            probs: dict[str, float] = {}
            initials: dict[str, float] = defaultdict(float)
            for spelling, choices in rule_spellings(word).items():
                p = 1.0
                for r, k in choices:
                    p *= float(rules[r][k])
                probs[spelling] = p
                initials[spelling[0]] += p
            top = heapq.nlargest(_BY_EAR_TOP, probs, key=probs.__getitem__)
            got = (probs, top, dict(initials))
            params._word_rules[word] = got
        return got

    def _by_ear_renderings(
        self, name: PersonName, key: str, params: _Params
    ) -> list[tuple[str, int, float, Choices]]:
        """(local part, whole-habit mask, by-ear probability, choices) for one pattern.

        The schemes' own spellings of every part, plus each word's likeliest by-ear spellings
        at this domain, combined over the pattern's parts.
        """
        needed, slots, literals = _layout(key)
        known = _part_spellings(name)
        words = {"first": name.first, "last": name.last, "patr": name.patronymic}
        options: list[list[tuple[str, int, float, Choices]]] = []
        for part in needed:
            full = part if part in words else {"f": "first", "l": "last", "p": "patr"}[part]
            word = words.get(full) or ""
            masks = dict(known.get(part, ()))
            if not word:
                # An initial the record gives without the word: schemes only.
                options.append([(sp, m, 0.0, ()) for sp, m in masks.items()])
                continue
            probs, top, initials = self._word_by_ear(params, word)
            entries: list[tuple[str, int, float, Choices]] = []
            if part in words:
                spelled = rule_spellings(word)
                for sp in dict.fromkeys([*masks, *top]):
                    entries.append((sp, masks.get(sp, 0), probs.get(sp, 0.0), spelled.get(sp, ())))
            else:
                letters = dict.fromkeys([*masks, *(sp[0] for sp in top)])
                for letter in letters:
                    entries.append((letter, masks.get(letter, 0), initials.get(letter, 0.0), ()))
            options.append(entries)
        head, tail = literals[0], literals[1:]
        out: dict[str, list[Any]] = {}
        for combo in product(*options):
            mask = ALL_HABITS
            p = 1.0
            for _sp, m, q, _c in combo:
                mask &= m
                p *= q
            if not mask and p <= 0:
                continue
            local = head + "".join(combo[i][0] + lit for i, lit in zip(slots, tail, strict=True))
            got = out.get(local)
            if got is None:
                out[local] = [mask, p, tuple(c for entry in combo for c in entry[3])]
            else:
                got[0] |= mask
                got[1] += p
        return [(local, v[0], v[1], v[2]) for local, v in out.items()]

    def _top_patronymic_initials(self) -> list[tuple[str, float]]:
        if self._patronymic_top is None:
            total = sum(self._patronymic_initials.values())
            self._patronymic_top = [
                (letter, count / total)
                for letter, count in self._patronymic_initials.most_common(_COMPLETIONS)
            ]
        return self._patronymic_top

    def _first_names_for(self, initial: str, gender: str | None) -> list[tuple[str, float]]:
        genders = (gender,) if gender else ("m", "f")
        merged: dict[str, float] = defaultdict(float)
        for g in genders:
            for value, count in self._first_names.get((initial, g), {}).items():
                merged[value] += count
        total = sum(merged.values())
        ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:_COMPLETIONS]
        return [(v, c / total) for v, c in ranked]

    def guess(self, domain: str, full_name: str | PersonName, *, top: int = 3) -> list[Candidate]:
        """Ranked candidate addresses for one person at one domain."""
        domain = normalise_domain(domain)
        name = full_name if isinstance(full_name, PersonName) else parse_person_name(full_name)
        if name is None or not name.last:
            return []
        # Someone of the same name already has an address here: most likely the same person
        # (a duplicate contact), possibly a namesake who got a collision variant.
        known = self._known_person.get((domain, name.key))
        same = self._same_person(full=bool(name.patronymic))
        if not known and not name.patronymic:
            known = self._known_person.get((domain, _short_key(name)))
        rejected = self._rejected.get((domain, name.key), set())
        if known and known.split("@")[0] in rejected:
            known = None
        params = self._domain_params(domain)
        mass: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int, int]] = {}
        assumed: dict[str, str] = {}
        masses = params._mask_mass
        by_ear = params.by_ear if name.script == "cyrillic" else 0.0
        ear_notes: dict[str, str] = {}
        for i in params.active_patterns(top + 2):
            weight = params._weights[i]
            if (
                by_ear >= _BY_EAR_FLOOR
                and weight >= _BY_EAR_PATTERN
                and _render(name, self.patterns[i])
            ):
                for local, mask, hyb, choices in self._by_ear_renderings(
                    name, self.patterns[i], params
                ):
                    h = masses.get(mask) if mask else 0.0
                    if h is None:
                        h = params.mask_mass(mask)
                    whole = weight * (1.0 - by_ear) * h
                    m = whole + weight * by_ear * hyb
                    if m <= 0:
                        continue
                    mass[local] += m
                    if local not in best or m > best[local][0]:
                        best[local] = (m, i, mask)
                        if whole < m / 2:
                            ear_notes[local] = _rule_words(choices)
                        else:
                            ear_notes.pop(local, None)
                continue
            for local, mask, r_weight, r_assumed in self._renderings(name, self.patterns[i]):
                h = masses.get(mask)
                if h is None:
                    h = params.mask_mass(mask)
                m = weight * r_weight * h
                mass[local] += m
                if local not in best or m > best[local][0]:
                    best[local] = (m, i, mask)
                    if r_assumed:
                        assumed[local] = r_assumed
        alias_notes: dict[str, str] = {}
        if name.first and self._aliases:
            self._add_alias_candidates(name, params, mass, best, alias_notes)
        occupied = self._occupied.get(domain, {})
        collided: dict[str, str] = {}
        taken = [loc for loc in mass if loc in occupied and (known or occupied[loc] != name.key)]
        for local in taken:
            total = mass.pop(local)
            for alt, share, note in self._collision_variants(domain, local, best[local][1], name):
                m = total * share
                mass[alt] += m
                collided[alt] = local
                if alt not in best or m > best[alt][0]:
                    best[alt] = (m, best[local][1], best[local][2])
                    notes = [n for n in (assumed.get(local), note) if n]
                    if notes:
                        assumed[alt] = ", ".join(notes)
                    if local in alias_notes:
                        alias_notes[alt] = alias_notes[local]
                    if local in ear_notes:
                        ear_notes[alt] = ear_notes[local]
        # Alias users are part of the exceptions; they now have candidates of their own.
        follow = 1.0 - params.exception * (1.0 - self._alias_share)
        total_rejected = sum(mass.pop(loc, 0.0) for loc in list(rejected)) * follow
        scale = follow / max(1.0 - total_rejected, 1e-9)
        ranked = heapq.nsmallest(top, mass.items(), key=lambda kv: (-kv[1], kv[0]))
        # (confidence, local part) — None stands for the known namesake's address, which takes
        # the rank its probability earns.
        rows: list[tuple[float, str | None]] = []
        if known:
            scale *= 1.0 - same
            rows.append((round(self.calibration(same), 4), None))
        rows += [(round(self.calibration(min(m * scale, 1.0)), 4), loc) for loc, m in ranked]
        rows.sort(key=lambda row: -row[0])
        out = []
        for rank, (confidence, slot) in enumerate(rows[:top], start=1):
            if slot is None:
                assert known
                out.append(
                    Candidate(
                        email=known,
                        confidence=confidence,
                        rank=rank,
                        pattern="",
                        schemes=(),
                        explanation=(
                            "the known address of a person with the same name at this domain"
                        ),
                    )
                )
                continue
            _, p_idx, mask = best[slot]
            out.append(
                Candidate(
                    email=f"{slot}@{domain}",
                    confidence=confidence,
                    rank=rank,
                    pattern=self.patterns[p_idx],
                    schemes=tuple(self._schemes_for(params, mask)),
                    explanation=self._explain(
                        domain,
                        params,
                        p_idx,
                        mask,
                        collided.get(slot),
                        assumed.get(slot),
                        alias_notes.get(slot),
                        ear_notes.get(slot),
                    ),
                )
            )
        return out

    def _add_alias_candidates(
        self,
        name: PersonName,
        params: _Params,
        mass: dict[str, float],
        best: dict[str, tuple[float, int, int]],
        notes: dict[str, str],
    ) -> None:
        """Candidates with the first name replaced by an alias people of that name use."""
        assert name.first
        rate, options = self._alias_options(name.first)
        if not options:
            return
        # The person follows the company's own spelling of their name with 1 - rate.
        for local in mass:
            mass[local] *= 1.0 - rate
        key = _first_key(name.first)
        used = sum(self._aliases[key].values())
        people = self._first_name_people[key]
        parts = dict(_part_spellings(name))
        for p_idx, p_share in self._alias_pattern_shares():
            pattern = Pattern.of(self.patterns[p_idx])
            for alias, share in options:
                parts["first"] = ((alias, ALL_HABITS),)
                for local, mask in _combine(pattern, parts).items():
                    m = rate * share * p_share * params.mask_mass(mask)
                    if m <= 0:
                        continue
                    mass[local] += m
                    if local not in best or m > best[local][0]:
                        best[local] = (m, p_idx, mask)
                        notes[local] = (
                            f"the first name written as {alias}, as {round(share * used)} of "
                            f"{people} people named {name.first} in the register do"
                        )

    def _alias_pattern_shares(self) -> list[tuple[int, float]]:
        """The two patterns aliases come in most often, with their shares."""
        if self._alias_pattern_top is None:
            total = sum(self._alias_patterns.values())
            self._alias_pattern_top = [
                (p_idx, seen / total)
                for p_idx, seen in sorted(self._alias_patterns.items(), key=lambda kv: -kv[1])[:2]
            ]
        return self._alias_pattern_top

    def guess_many(
        self, people: Iterable[tuple[str, str]], *, top: int = 3
    ) -> list[tuple[str, str, list[Candidate]]]:
        return [(d, n, self.guess(d, n, top=top)) for d, n in people]

    def _collision_variants(
        self, domain: str, local: str, p_idx: int, name: PersonName
    ) -> list[tuple[str, float, str]]:
        """Where a namesake holds the address: the patronymic-initial form and the next digit,
        weighted by how this domain (or the register) tells namesakes apart; with what the
        variant assumes that the record lacks, in words."""
        occupied = self._occupied.get(domain, {})
        digit_alt = next(
            (f"{local}{n}" for n in range(2, 100) if f"{local}{n}" not in occupied), local + "x"
        )
        pattern = Pattern.of(self.patterns[p_idx])
        values = pattern.parse(local) if "p" not in pattern.needs and "f" in pattern.needs else None
        if not values:
            return [(digit_alt, 1.0, "")]
        assumed = not name.patronymic_initial
        if name.patronymic_initial:
            letters = [(name.patronymic or name.patronymic_initial, 1.0)]
        else:
            # The record lacks the patronymic the namesake's variant would carry: the commonest
            # initials, each with its share (as for a pattern that needs one). The mass of the
            # initials not offered is dropped, so the variants weigh less than one in all.
            letters = self._top_patronymic_initials()[:_COLLISION_PATRONYMICS]
        share = self._patronymic_collision_share(domain)
        out = []
        for letter, weight in letters:
            p_letters = initial_spellings(letter)
            if not p_letters:
                continue
            alt = pattern.render({**values, "f": values["f"] + pattern.separator + p_letters[0][0]})
            if alt not in occupied:
                note = f"patronymic initial taken as {letter}." if assumed else ""
                out.append((alt, share * weight, note))
        if not out:
            return [(digit_alt, 1.0, "")]
        return [*out, (digit_alt, 1.0 - share, "")]

    def _schemes_for(self, params: _Params, mask: int) -> list[str]:
        """Schemes giving this spelling, the domain's most likely first."""
        got = params._schemes.get(mask)
        if got is None:
            weights = (params.habit * _mask_bits(mask)) @ _SCHEME_OF
            order = np.argsort(-weights, kind="stable")
            got = [SCHEME_KEYS[i] for i in order if weights[i] > 0]
            params._schemes[mask] = got
        return got

    def _explain(
        self,
        domain: str,
        params: _Params,
        p_idx: int,
        mask: int,
        collided_with: str | None,
        assumed: str | None = None,
        alias: str | None = None,
        by_ear: str | None = None,
    ) -> str:
        text = params._explained.get((p_idx, mask))
        if text is None:
            text = self._explain_cell(domain, params, p_idx, mask)
            params._explained[(p_idx, mask)] = text
        if by_ear:
            _head, _, tail = text.partition(", seen in ")
            if not tail:
                _head, _, tail = text.partition(", not seen")
                tail = "not seen" + tail if tail else ""
            else:
                tail = "seen in " + tail
            pattern_part = f"pattern {self.patterns[p_idx]}"
            text = f"{pattern_part}, {by_ear}" + (f", {tail}" if tail else "")
        if alias:
            text = f"pattern {self.patterns[p_idx]}, {self._habit_words(params, mask)}; {alias}"
        if assumed:
            text += f"; {assumed} (not in the record)"
        if collided_with:
            text += f"; {collided_with}@{domain} belongs to someone else"
        return text

    def _habit_words(self, params: _Params, mask: int) -> str:
        schemes = self._schemes_for(params, mask)
        if not schemes:
            return "spelt letter by letter, as no single transliteration does"
        if len(schemes) >= N_SCHEMES:
            return "spelt the same by every transliteration"
        habit = f"transliteration {SCHEME_LABELS[schemes[0]]}"
        if len(schemes) > 1:
            habit += f" (same spelling in {len(schemes) - 1} more)"
        if not mask & ~_KS_X_HABITS:
            habit += ", x for кс"
        return habit

    def _explain_cell(self, domain: str, params: _Params, p_idx: int, mask: int) -> str:
        pattern = self.patterns[p_idx]
        habit = self._habit_words(params, mask)
        if params.known:
            seen = float(params.counts_pattern[p_idx])
            evidence = f"seen in {seen:.0f} of {params.known} known addresses at {domain}"
            if seen < 0.5:
                evidence = (
                    f"not seen among the {params.known} known addresses at {domain}; "
                    "kept for people who do not follow the company's habit"
                )
        else:
            n_domains = self._n_learned_domains
            share = f"{params.pattern[p_idx]:.0%}"
            if n_domains:
                evidence = (
                    f"no known addresses at {domain}; {share} of people across {n_domains} "
                    "domains of the register use it"
                )
            else:
                evidence = (
                    f"no known addresses at {domain} nor anywhere in the register yet; "
                    f"a built-in starting share of {share}"
                )
        return f"pattern {pattern}, {habit}, {evidence}"

    # ---------------------------------------------------------------- reading
    def domains(self) -> list[str]:
        return sorted(set(self._obs) | set(self._roles) | set(self._unexplained))

    def summary(self, domain: str, *, top: int = 5) -> DomainSummary:
        """The domain's learned patterns and habits with their evidence, for a company page."""
        domain = normalise_domain(domain)
        params = self._domain_params(domain)
        order = np.argsort(-params.pattern)[:top]
        s_order = np.argsort(-params.scheme)[:top]
        return DomainSummary(
            domain=domain,
            known=params.known,
            role_mailboxes=self._roles.get(domain, 0),
            unexplained=self._unexplained.get(domain, 0),
            rejected=sum(1 for o in self._obs.get(domain, []) if not o.positive),
            patterns=tuple(
                (
                    self.patterns[i],
                    round(float(params.pattern[i]), 4),
                    round(float(params.counts_pattern[i]), 2),
                )
                for i in order
            ),
            schemes=tuple((SCHEME_KEYS[i], round(float(params.scheme[i]), 4)) for i in s_order),
            ks_x=round(float(params.ks[1]), 4),
            yo=round(float(params.yo[1]), 4),
        )


def _first_key(first: str) -> str:
    return first.lower().replace("ё", "е")


def _rule_words(choices: Choices) -> str:
    """«spelt letter by letter as the company does: ю as yu, -ия as ia»."""
    seen = dict.fromkeys(
        (RULE_NAMES[r], ("i" if RULE_NAMES[r] == "-ия" else "") + RULE_OPTIONS[r][k])
        for r, k in choices
    )
    if not seen:
        return "spelt letter by letter as the company does"
    rules = ", ".join(f"{rule} as {option}" for rule, option in seen)
    return f"spelt letter by letter as the company does ({rules})"


def _rule_seed() -> list[np.ndarray]:
    """Starting option shares per rule: the options are listed most usual first."""
    out = []
    for options in RULE_OPTIONS:
        v = np.array([0.5**k for k in range(len(options))])
        out.append(v / v.sum())
    return out


def _seed(weights: Mapping[str, float], keys: Sequence[str]) -> np.ndarray:
    vec = np.array([weights.get(k, 0.3) for k in keys], dtype=float)
    return vec / vec.sum()


def _unpack(
    record: KnownAddress | tuple[str, str, str] | Mapping[str, str],
) -> tuple[str, str, str]:
    if isinstance(record, KnownAddress):
        return record.domain, record.full_name, record.email
    if isinstance(record, Mapping):
        return record.get("domain", ""), record.get("full_name", ""), record.get("email", "")
    domain, full_name, email = record
    return domain, full_name, email


__all__ = [
    "AddressModel",
    "Calibration",
    "Candidate",
    "DomainSummary",
    "KnownAddress",
    "normalise_domain",
]
