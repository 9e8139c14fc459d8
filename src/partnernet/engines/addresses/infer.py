"""Learn each domain's address habit from known (name, address) pairs and guess missing addresses.

The model
---------
Every person's local part is assumed to come from one *pattern* (``{f}.{last}`` …) and one
transliteration *habit* (an iuliia scheme, optionally with «кс»→x and ё→yo). Per domain the
pattern and the habit's three factors (scheme, ks_x, yo) each follow a categorical distribution
with a Dirichlet prior centred on the register-wide distribution (the *global prior*):

    π_d ~ Dir(α_pattern · g_pattern),   σ_d ~ Dir(α_scheme · g_scheme),   κ_d, υ_d likewise.

A known address usually fits several cells at once (``a.tarasenko`` is written the same by every
scheme), so its evidence is spread over all cells that explain it in proportion to their current
probability — an EM / mean-field fit whose fixed point is the posterior mean. Only informative
letters move a domain's habit: «Цой» at ``v.tsoi`` votes for ICAO/yandex_money/telegram-like
spellings of ц and й, ``a.tarasenko`` votes for none.

The global prior is the average of the domains' own distributions (each domain counts once, so
one big customer does not decide for everyone) blended with a weak built-in seed for an empty
register; the concentrations α are chosen by leave-one-out likelihood over the register's
domains (empirical Bayes). A guess's probability is the posterior predictive mass of the
address, times the chance that the person follows the company habit at all (the domain's share
of person addresses that no pattern explains, shrunk to the register's share). Those
probabilities can be mapped through a monotone calibration fitted on held-out data
(:class:`Calibration`).

Rejections (a guessed address bounced as "no such user") are evidence too: that person's cell
lies outside the cells producing the rejected address, which lowers their weight in the domain.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

import numpy as np

from partnernet.engines.addresses.patterns import (
    DEFAULT_PATTERNS,
    Pattern,
    is_role_mailbox,
    split_digit_suffix,
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
_ALPHA_GRID = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
_TWEAK_ALPHA = 2.0
_EXCEPTION_SHRINK = 20.0  # pseudo-persons pulling a domain's exception rate to the register's
_PRUNE = 1e-3  # patterns below this per-domain probability are not rendered when guessing
_KNOWN_PERSON_CONFIDENCE = 0.9
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
_COMPLETIONS = 4  # alternatives tried for a missing first name or patronymic initial


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
        # Blocks of equal-width quantiles first, so the knots stay few and stable.
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
        return Calibration((0.0, *xs, 1.0), (0.0, *ys, max(ys[-1], 1.0 if xs[-1] < 1 else ys[-1])))

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

    @property
    def habit(self) -> np.ndarray:
        if self._habit is None:
            self._habit = _habit_vector(self.scheme, self.ks, self.yo)
        return self._habit

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


def _combine(pattern: Pattern, parts: Mapping[str, Sequence[tuple[str, int]]]) -> dict[str, int]:
    """Render a pattern over every combination of part spellings: local part → habit mask."""
    needed = sorted(pattern.needs)
    out: dict[str, int] = {}
    if any(part not in parts for part in needed):
        return out
    for combo in product(*(parts[part] for part in needed)):
        mask = ALL_HABITS
        for _, m in combo:
            mask &= m
        if not mask:
            continue
        local = pattern.render({part: s for part, (s, _) in zip(needed, combo, strict=True)})
        out[local] = out.get(local, 0) | mask
    return out


@lru_cache(maxsize=200_000)
def _render(name: PersonName, key: str) -> tuple[tuple[str, int], ...]:
    """Every local part one pattern gives for one name, with the habits giving it."""
    return tuple(_combine(Pattern.of(key), _part_spellings(name)).items())


@dataclass(frozen=True, slots=True)
class _Rendering:
    local: str
    mask: int
    weight: float = 1.0
    assumed: str = ""  # a part the record lacked and the guess assumes, in words


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
        self._completion_cache: dict[tuple[PersonName, str], tuple[_Rendering, ...]] = {}
        for names, gender in ((MALE_FIRST_NAMES, "m"), (FEMALE_FIRST_NAMES, "f")):
            for first in names:
                if "ё" not in first:
                    self._first_names[(first[0], gender)][first] += 0.2
        self.alpha_pattern = 2.0
        self.alpha_scheme = 2.0
        self.global_exception = 0.05
        self._global: _Params | None = None

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
        base, _suffix = split_digit_suffix(local)
        cells = self.explain(name, base) or (self.explain(name, local) if base != local else [])
        if positive:
            self._occupied[domain][local] = name.key
            self._known_person[(domain, name.key)] = f"{local}@{domain}"
        if not cells:
            if positive:
                self._unexplained[domain] += 1
            return False
        self._obs[domain].append(
            _Observation(domain, name.key, name, base, tuple(cells), positive=positive)
        )
        self._dirty.add(domain)
        return True

    def explain(self, name: PersonName, local: str) -> list[tuple[int, int]]:
        """The (pattern index, habit mask) cells that render ``local`` for this name."""
        cells: list[tuple[int, int]] = []
        for i, key in enumerate(self.patterns):
            for rendered, mask in _render(name, key):
                if rendered == local:
                    cells.append((i, mask))
        if cells:
            return cells
        # A part the record lacks (patronymic, or a first name given as an initial) may still
        # be read off the address: "Смирнова Т.В." at tatyana@ shows the pattern {first}.
        known = _part_spellings(name)
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
                cells.append((i, mask))
        return cells

    def refit(self) -> None:
        """Fit every domain, the global prior and the concentrations (empirical Bayes)."""
        domains = [d for d, obs in self._obs.items() if obs]
        n_person = sum(sum(o.positive for o in self._obs[d]) for d in domains)
        n_strange = sum(self._unexplained.values())
        self.global_exception = (n_strange + 1.0) / (n_person + n_strange + 20.0)
        seed_p = _seed(_SEED_PATTERNS, self.patterns)
        seed_s = _seed(_SEED_SCHEMES, SCHEME_KEYS)
        g_p, g_s = seed_p, seed_s
        g_k = np.array([0.8, 0.2])
        g_y = np.array([0.7, 0.3])
        fits: dict[str, _Params] = {}
        for _round in range(4):
            fits = {d: self._fit_domain(d, g_p, g_s, g_k, g_y) for d in domains}
            g_p, g_s, g_k, g_y = self._pool(fits, seed_p, seed_s)
        self.alpha_pattern, self.alpha_scheme = self._choose_alpha(fits, g_p, g_s, g_k, g_y)
        self._prior = (g_p, g_s, g_k, g_y)
        self._params = {d: self._fit_domain(d, g_p, g_s, g_k, g_y) for d in domains}
        self._global = self._params_from(
            g_p, g_s, g_k, g_y, known=0, exception=self.global_exception
        )
        self._dirty.clear()

    def _pool(
        self, fits: Mapping[str, _Params], seed_p: np.ndarray, seed_s: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Register-wide distributions: each domain's own shares, averaged, plus a weak seed."""
        acc_p = _SEED_WEIGHT * seed_p
        acc_s = _SEED_WEIGHT * seed_s
        acc_k = _SEED_WEIGHT * np.array([0.8, 0.2])
        acc_y = _SEED_WEIGHT * np.array([0.7, 0.3])
        total = _SEED_WEIGHT
        for params in fits.values():
            if params.known <= 0:
                continue
            acc_p = acc_p + params.counts_pattern / params.counts_pattern.sum()
            acc_s = acc_s + params.scheme
            acc_k = acc_k + params.ks
            acc_y = acc_y + params.yo
            total += 1.0
        return acc_p / total, acc_s / total, acc_k / total, acc_y / total

    def _fit_domain(
        self,
        domain: str,
        g_p: np.ndarray,
        g_s: np.ndarray,
        g_k: np.ndarray,
        g_y: np.ndarray,
        *,
        iterations: int = 30,
    ) -> _Params:
        obs = self._obs.get(domain, [])
        a_p, a_s, a_t = self.alpha_pattern, self.alpha_scheme, _TWEAK_ALPHA
        pat, sch, ks, yo = g_p.copy(), g_s.copy(), g_k.copy(), g_y.copy()
        n = len(obs)
        known = sum(o.positive for o in obs)
        if n == 0:
            return self._params_from(
                pat, sch, ks, yo, known=0, exception=self._exception(domain, 0)
            )
        rows_obs, rows_p, rows_m = [], [], []
        for j, o in enumerate(obs):
            if not o.positive:
                continue
            for p, mask in o.cells:
                rows_obs.append(j)
                rows_p.append(p)
                rows_m.append(_mask_bits(mask))
        r_obs = np.array(rows_obs, dtype=int)
        r_p = np.array(rows_p, dtype=int)
        r_m = np.array(rows_m, dtype=float).reshape(-1, N_HABITS)
        negatives = [o for o in obs if not o.positive]
        c_p = np.zeros(len(self.patterns))
        c_h = np.zeros(N_HABITS)
        for _ in range(iterations):
            habit = _habit_vector(sch, ks, yo)
            c_p = np.zeros(len(self.patterns))
            c_h = np.zeros(N_HABITS)
            if len(r_p):
                hm = r_m @ habit
                w = pat[r_p] * hm
                norm = np.bincount(r_obs, weights=w, minlength=n)
                r = w / np.where(norm[r_obs] > 0, norm[r_obs], 1.0)
                c_p += np.bincount(r_p, weights=r, minlength=len(self.patterns))
                c_h += ((r / np.where(hm > 0, hm, 1.0))[:, None] * r_m * habit).sum(axis=0)
            for o in negatives:
                self._negative_counts(o, pat, habit, c_p, c_h)
            new_pat = (a_p * g_p + c_p) / (a_p + n)
            new_sch = (a_s * g_s + np.bincount(_HABIT_SCHEME, c_h, N_SCHEMES)) / (a_s + n)
            new_ks = (a_t * g_k + np.bincount(_HABIT_KS, c_h, 2)) / (a_t + n)
            new_yo = (a_t * g_y + np.bincount(_HABIT_YO, c_h, 2)) / (a_t + n)
            delta = float(np.abs(new_pat - pat).max() + np.abs(new_sch - sch).max())
            pat, sch, ks, yo = new_pat, new_sch, new_ks, new_yo
            if delta < 1e-5:
                break
        params = self._params_from(
            pat, sch, ks, yo, known=known, exception=self._exception(domain, known)
        )
        params.counts_pattern = c_p
        params.counts_scheme = np.bincount(_HABIT_SCHEME, c_h, N_SCHEMES)
        return params

    def _negative_counts(
        self,
        o: _Observation,
        pat: np.ndarray,
        habit: np.ndarray,
        c_p: np.ndarray,
        c_h: np.ndarray,
    ) -> None:
        """Expected counts of a person known to sit outside the cells of a rejected address."""
        inside_p = np.zeros(len(self.patterns))
        inside_h = np.zeros(N_HABITS)
        for p, mask in o.cells:
            bits = _mask_bits(mask)
            inside_p[p] += pat[p] * habit[bits].sum()
            inside_h += pat[p] * habit * bits
        outside = 1.0 - inside_p.sum()
        if outside <= 1e-9:
            return
        c_p += (pat - inside_p) / outside
        c_h += (habit - inside_h) / outside

    def _exception(self, domain: str, known: int) -> float:
        strange = self._unexplained.get(domain, 0)
        return (_EXCEPTION_SHRINK * self.global_exception + strange) / (
            _EXCEPTION_SHRINK + known + strange
        )

    def _params_from(
        self,
        pat: np.ndarray,
        sch: np.ndarray,
        ks: np.ndarray,
        yo: np.ndarray,
        *,
        known: int,
        exception: float,
    ) -> _Params:
        return _Params(
            pattern=pat,
            scheme=sch,
            ks=ks,
            yo=yo,
            counts_pattern=np.zeros(len(self.patterns)),
            counts_scheme=np.zeros(N_SCHEMES),
            known=known,
            exception=exception,
        )

    def _choose_alpha(
        self,
        fits: Mapping[str, _Params],
        g_p: np.ndarray,
        g_s: np.ndarray,
        g_k: np.ndarray,
        g_y: np.ndarray,
    ) -> tuple[float, float]:
        """Concentrations maximising the leave-one-out likelihood of every known address."""
        # Per observation: its own responsibilities over patterns and schemes, and the domain's
        # totals, so that "this domain without this address" is a subtraction.
        p_rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]] = []
        for domain, params in fits.items():
            obs = [o for o in self._obs[domain] if o.positive]
            n = len(self._obs[domain])
            if n < 2:
                continue
            habit = params.habit
            for o in obs:
                cell_p = np.array([p for p, _ in o.cells])
                bits = np.array([_mask_bits(m) for _, m in o.cells], dtype=float)
                w = params.pattern[cell_p] * (bits @ habit)
                if w.sum() <= 0:
                    continue
                r = w / w.sum()
                own_p = np.bincount(cell_p, weights=r, minlength=len(self.patterns))
                hm = bits @ habit
                own_h = ((r / np.where(hm > 0, hm, 1))[:, None] * bits * habit).sum(axis=0)
                p_rows.append(
                    (
                        params.counts_pattern - own_p,
                        params.counts_scheme - np.bincount(_HABIT_SCHEME, own_h, N_SCHEMES),
                        cell_p,
                        bits,
                        float(n - 1),
                    )
                )
        if not p_rows:
            return self.alpha_pattern, self.alpha_scheme
        best = (-math.inf, self.alpha_pattern, self.alpha_scheme)
        for a_p in _ALPHA_GRID:
            for a_s in _ALPHA_GRID:
                total = 0.0
                for rest_p, rest_s, cell_p, bits, n_rest in p_rows:
                    pat = (a_p * g_p + rest_p) / (a_p + n_rest)
                    sch = (a_s * g_s + rest_s) / (a_s + n_rest)
                    habit = _habit_vector(sch, g_k, g_y)
                    total += math.log(max(float((pat[cell_p] * (bits @ habit)).sum()), 1e-12))
                if total > best[0]:
                    best = (total, a_p, a_s)
        return best[1], best[2]

    def _domain_params(self, domain: str) -> _Params:
        if self._global is None:
            self.refit()
        if domain in self._dirty:
            g_p, g_s, g_k, g_y = self._prior
            self._params[domain] = self._fit_domain(domain, g_p, g_s, g_k, g_y)
            self._dirty.discard(domain)
        params = self._params.get(domain)
        if params is not None:
            return params
        assert self._global is not None
        if self._unexplained.get(domain):
            g = self._global
            return self._params_from(
                g.pattern, g.scheme, g.ks, g.yo, known=0, exception=self._exception(domain, 0)
            )
        return self._global

    # ---------------------------------------------------------------- guessing
    def _renderings(self, name: PersonName, key: str) -> tuple[_Rendering, ...]:
        """Local parts of one pattern for one name, completing a missing part if needed."""
        full = _render(name, key)
        if full:
            return tuple(_Rendering(local, mask) for local, mask in full)
        cached = self._completion_cache.get((name, key))
        if cached is not None:
            return cached
        pattern = Pattern.of(key)
        known = _part_spellings(name)
        missing = [part for part in pattern.needs if part not in known]
        out: list[_Rendering] = []
        if missing and set(missing) <= {"first", "p"} and name.script == "cyrillic":
            options: list[list[tuple[str, str, float]]] = []  # per missing part: (part, value, w)
            if "first" in missing:
                if not name.first_initial:
                    self._completion_cache[(name, key)] = ()
                    return ()
                counts = self._first_names_for(name.first_initial, name.gender)
                options.append([("first", v, w) for v, w in counts])
            if "p" in missing:
                total = sum(self._patronymic_initials.values())
                options.append(
                    [
                        ("p", letter, count / total)
                        for letter, count in self._patronymic_initials.most_common(_COMPLETIONS)
                    ]
                )
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
        known = self._known_person.get((domain, name.key))
        if known:
            return [
                Candidate(
                    email=known,
                    confidence=_KNOWN_PERSON_CONFIDENCE,
                    rank=1,
                    pattern="",
                    schemes=(),
                    explanation="already known for this person",
                )
            ]
        params = self._domain_params(domain)
        mass: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int, int]] = {}
        assumed: dict[str, str] = {}
        for i in np.flatnonzero(params.pattern >= _PRUNE):
            weight = float(params.pattern[i])
            for r in self._renderings(name, self.patterns[i]):
                m = weight * r.weight * params.mask_mass(r.mask)
                mass[r.local] += m
                if m > best.get(r.local, (0.0, 0, 0))[0]:
                    best[r.local] = (m, int(i), r.mask)
                    if r.assumed:
                        assumed[r.local] = r.assumed
        occupied = self._occupied.get(domain, {})
        collided: dict[str, str] = {}
        for local in [loc for loc in mass if loc in occupied and occupied[loc] != name.key]:
            m = mass.pop(local)
            alt = self._collision_variant(local, best[local][1], name, occupied)
            mass[alt] += m
            collided[alt] = local
            if m > best.get(alt, (0.0, 0, 0))[0]:
                best[alt] = (m, best[local][1], best[local][2])
                if local in assumed:
                    assumed[alt] = assumed[local]
        rejected = self._rejected.get((domain, name.key), set())
        follow = 1.0 - params.exception
        total_rejected = sum(mass.pop(loc, 0.0) for loc in list(rejected)) * follow
        scale = follow / max(1.0 - total_rejected, 1e-9)
        ranked = sorted(mass.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        out = []
        for rank, (local, m) in enumerate(ranked, start=1):
            _, p_idx, mask = best[local]
            schemes = self._schemes_for(params, mask)
            out.append(
                Candidate(
                    email=f"{local}@{domain}",
                    confidence=round(self.calibration(min(m * scale, 1.0)), 4),
                    rank=rank,
                    pattern=self.patterns[p_idx],
                    schemes=tuple(schemes),
                    explanation=self._explain(
                        domain, params, p_idx, mask, collided.get(local), assumed.get(local)
                    ),
                )
            )
        return out

    def guess_many(
        self, people: Iterable[tuple[str, str]], *, top: int = 3
    ) -> list[tuple[str, str, list[Candidate]]]:
        return [(d, n, self.guess(d, n, top=top)) for d, n in people]

    def _collision_variant(
        self, local: str, p_idx: int, name: PersonName, occupied: Mapping[str, str]
    ) -> str:
        """Where a namesake's address is taken: patronymic initial inserted, or a digit."""
        pattern = Pattern.of(self.patterns[p_idx])
        if name.patronymic_initial and "p" not in pattern.needs and "f" in pattern.needs:
            values = pattern.parse(local)
            p_letters = initial_spellings(name.patronymic or name.patronymic_initial)
            if values and p_letters:
                sep = pattern.separator
                values = dict(values)
                values["f"] = values["f"] + sep + p_letters[0][0]
                alt = pattern.render(values)
                if alt not in occupied:
                    return alt
        for digit in range(2, 10):
            alt = f"{local}{digit}"
            if alt not in occupied:
                return alt
        return f"{local}10"

    def _schemes_for(self, params: _Params, mask: int) -> list[str]:
        weights: dict[str, float] = defaultdict(float)
        habit = params.habit
        for h in range(N_HABITS):
            if mask >> h & 1:
                weights[SCHEME_KEYS[h // 4]] += float(habit[h])
        return [k for k, _ in sorted(weights.items(), key=lambda kv: -kv[1])]

    def _explain(
        self,
        domain: str,
        params: _Params,
        p_idx: int,
        mask: int,
        collided_with: str | None,
        assumed: str | None = None,
    ) -> str:
        pattern = self.patterns[p_idx]
        schemes = self._schemes_for(params, mask)
        if len(schemes) >= N_SCHEMES:
            habit = "spelt the same by every transliteration"
        else:
            habit = f"transliteration {SCHEME_LABELS[schemes[0]]}"
            if len(schemes) > 1:
                habit += f" (same spelling in {len(schemes) - 1} more)"
            ks_bits = {(h >> 1) & 1 for h in range(N_HABITS) if mask >> h & 1}
            if ks_bits == {1}:
                habit += ", x for кс"
        if params.known:
            seen = float(params.counts_pattern[p_idx])
            evidence = f"seen in {seen:.0f} of {params.known} known addresses at {domain}"
            if 0 < seen < 0.5:
                evidence = f"fits {seen:.1f} of {params.known} known addresses at {domain}"
        else:
            n_domains = sum(1 for p in self._params.values() if p.known)
            evidence = (
                f"no known addresses at {domain}; {params.pattern[p_idx]:.0%} of people "
                f"across {n_domains} domains of the register use it"
            )
        text = f"pattern {pattern}, {habit}, {evidence}"
        if assumed:
            text += f"; {assumed} (not in the record)"
        if collided_with:
            text += f"; {collided_with}@{domain} belongs to someone else"
        return text

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
