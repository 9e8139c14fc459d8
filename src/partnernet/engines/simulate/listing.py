"""Which company is on which list: the listing-propensity scenarios.

``demo`` is the realistic market: a company's chance to be on a list grows with its activity
(heavy-tailed, larger companies far more active), with how many of the vendor's
specialisations it covers and with the vendor's favoured customer segment; it is capped by
the vendor's geographic reach and by the company working in the vendor's field at all, and
the company must exist at the list's snapshot date. Each list's scale is solved so that its
expected size matches the vendor's typical list size.

The other scenarios are the textbook heterogeneity models the coverage benchmark needs, with
the vendors kept only as labels. Their parameters are those of ``incidence.py`` (the coverage
engine's incidence-only simulator), so both simulators describe the same markets:

- ``uniform``: every company and list alike, p = 0.05 (model M0);
- ``moderate_beta``: company propensity p ~ Beta(2, 30), the same on every list (model Mh);
- ``moderate_logitnormal``: logit p = a_list + e_company, a_list ~ N(-3.3, 0.7^2),
  e_company ~ N(0, 1.5^2): heterogeneous companies and uneven list sizes (model Mth);
- ``strong``: like ``moderate_logitnormal`` for 40% of the companies, while the other 60%
  are almost never listed (p ~ Beta(1, 400)); no method sees them, which is the point.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import MarketConfig, TruthCompany
from .vendors import SPECIALISATIONS, VendorSpec

DEMO_REFERENCE_COMPANIES = 6000
# Calibration of the catalogue sizes to the book's shape: with it the 42 default lists hold
# ~14,000 companies-on-lists (~15,000 rows with branches, duplicates and garbage).
SIZE_CALIBRATION = 1.15
_BASE_P = 0.05  # mean inclusion probability of the statistical scenarios


def list_targets(
    config: MarketConfig, specs: Sequence[VendorSpec], rng: np.random.Generator
) -> np.ndarray:
    """Target list sizes (demo scenario): the catalogue size, scaled and jittered."""
    base = np.array([s.size for s in specs], dtype=float)
    scale = config.n_companies / DEMO_REFERENCE_COMPANIES * config.list_size_scale
    scale *= SIZE_CALIBRATION
    jitter = rng.lognormal(0.0, 0.15, size=len(specs))
    return np.maximum(5.0, base * scale * jitter)


class _Reach:
    """Per-company weights for a vendor's geographic reach (computed once per market)."""

    def __init__(self, companies: Sequence[TruthCompany]) -> None:
        self.country = np.array([c.country for c in companies])
        self.districts = [{o.federal_district for o in c.offices} for c in companies]
        self._cache: dict[str, np.ndarray] = {}

    def weights(self, reach: str) -> np.ndarray:
        if reach not in self._cache:
            self._cache[reach] = self._compute(reach)
        return self._cache[reach]

    def _compute(self, reach: str) -> np.ndarray:
        if reach == "cis":
            return np.ones(len(self.country))
        if reach in ("kz", "by"):
            return np.where(self.country == reach.upper(), 1.0, 0.01)
        if reach.startswith("region:"):
            wanted = set(reach.removeprefix("region:").split("|"))
            present = np.array([bool(d & wanted) for d in self.districts])
            return np.where(present, 1.0, 0.02)
        # 'ru': a Russian locator that also shows a few CIS partners.
        return np.where(self.country == "RU", 1.0, 0.12)


def _demo_probabilities(
    config: MarketConfig,
    companies: Sequence[TruthCompany],
    specs: Sequence[VendorSpec],
    rng: np.random.Generator,
) -> np.ndarray:
    n, n_lists = len(companies), len(specs)
    activity = np.array([c.activity for c in companies])
    spec_index = {s: i for i, s in enumerate(SPECIALISATIONS)}
    has_spec = np.zeros((n, len(SPECIALISATIONS)))
    for row, company in enumerate(companies):
        for s in company.specialisations:
            has_spec[row, spec_index[s]] = 1.0
    focus = np.zeros((n_lists, len(SPECIALISATIONS)))
    for col, spec in enumerate(specs):
        for s in spec.focus:
            focus[col, spec_index[s]] = 1.0
    overlap = has_spec @ focus.T
    # Breadth of fit raises the readiness; no matching specialisation caps the chance instead:
    # however active, a company outside a vendor's field is on its list only now and then
    # (generalists, resellers).
    fit = np.where(overlap > 0, 1.0 + 0.3 * (overlap - 1.0), 1.0)
    in_field = np.where(overlap > 0, 1.0, 0.05)

    registered = np.array([c.registered_year for c in companies])
    liquidated = np.array([c.liquidated_year or 9999 for c in companies])
    sectors = [set(c.sectors) for c in companies]
    reach = _Reach(companies)
    readiness = np.empty((n, n_lists))  # how strongly the company seeks this authorisation
    cap = np.empty((n, n_lists))  # the most this list could ever show of the company
    for col, spec in enumerate(specs):
        w = activity * fit[:, col]
        if spec.segment:
            favoured = np.array([spec.segment in s for s in sectors])
            w = w * np.where(favoured, 2.0, 0.3)
        alive = (registered <= spec.as_of) & (liquidated > spec.as_of)
        readiness[:, col] = w
        cap[:, col] = np.where(alive, in_field[:, col] * reach.weights(spec.reach), 0.0)

    targets = list_targets(config, specs, rng)
    targets = np.minimum(targets, 0.9 * cap.sum(axis=0))
    # P(on list) = cap * (1 - exp(-lam * readiness)); solve lam per list (bisection on log lam)
    # so that the expected list size equals its target.
    lo, hi = np.full(n_lists, -30.0), np.full(n_lists, 30.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        expected = (cap * -np.expm1(-np.exp(mid)[None, :] * readiness)).sum(axis=0)
        too_big = expected > targets
        hi = np.where(too_big, mid, hi)
        lo = np.where(too_big, lo, mid)
    lam = np.exp((lo + hi) / 2)
    return cap * -np.expm1(-lam[None, :] * readiness)


def probabilities(
    config: MarketConfig,
    companies: Sequence[TruthCompany | None],
    specs: Sequence[VendorSpec],
    rng: np.random.Generator,
) -> np.ndarray:
    """The (companies x lists) matrix of inclusion probabilities for the config's scenario."""
    n, n_lists = len(companies), len(specs)
    scale = config.list_size_scale
    if config.scenario == "demo":
        return _demo_probabilities(config, [c for c in companies if c is not None], specs, rng)
    if config.scenario == "uniform":
        p = np.full((n, n_lists), _BASE_P)
    elif config.scenario == "moderate_beta":
        p = np.repeat(rng.beta(2.0, 30.0, size=n)[:, None], n_lists, axis=1)
    elif config.scenario in ("moderate_logitnormal", "strong"):
        alpha = rng.normal(-3.3, 0.7, size=n_lists)
        eps = rng.normal(0.0, 1.5, size=n)
        p = 1.0 / (1.0 + np.exp(-(alpha[None, :] + eps[:, None])))
        if config.scenario == "strong":
            quiet = rng.random(n) < 0.6
            p[quiet] = np.repeat(
                rng.beta(1.0, 400.0, size=int(quiet.sum()))[:, None], n_lists, axis=1
            )
    else:  # pragma: no cover - MarketConfig validates the scenario
        raise ValueError(config.scenario)
    return np.clip(p * scale, 0.0, 1.0)


def draw_incidence(
    config: MarketConfig,
    companies: Sequence[TruthCompany | None],
    specs: Sequence[VendorSpec],
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities as float32, boolean membership), both companies x lists.

    Only the demo scenario looks at the companies; the others need just their number.
    """
    p = probabilities(config, companies, specs, rng)
    return p.astype(np.float32), rng.random(p.shape) < p
