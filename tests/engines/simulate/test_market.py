"""The simulated market: determinism, valid identifiers, the book's shape, noise present."""

from __future__ import annotations

import re

import numpy as np
import phonenumbers
import pytest

from partnernet.engines.ids import bin_kz, inn, kpp, ogrn, unp_by
from partnernet.engines.simulate.market import simulate_market
from partnernet.engines.simulate.model import FIELDS, MarketConfig
from partnernet.engines.simulate.vendors import SPECIALISATIONS


def test_same_seed_same_market():
    config = MarketConfig(seed=5, n_companies=800, n_lists=12)
    a, b = simulate_market(config), simulate_market(config)
    assert a.companies == b.companies
    assert np.array_equal(a.membership, b.membership)
    assert [(r.source_name, r.row, r.company_id, r.fields) for r in a.source_rows] == [
        (r.source_name, r.row, r.company_id, r.fields) for r in b.source_rows
    ]


def test_different_seed_different_market():
    a = simulate_market(MarketConfig(seed=1, n_companies=500, n_lists=8))
    b = simulate_market(MarketConfig(seed=2, n_companies=500, n_lists=8))
    assert [c.name for c in a.companies] != [c.name for c in b.companies]


def test_identifiers_are_valid_and_unique(demo):
    seen: set[str] = set()
    for c in demo.companies:
        if c.country == "RU":
            assert inn.is_valid(c.inn) and ogrn.is_valid(c.ogrn), c
            assert len(c.inn) == (12 if c.legal_form == "ИП" else 10)
            assert c.legal_form == "ИП" or kpp.is_valid(c.kpp)
            assert all(kpp.is_valid(b.kpp) for b in c.branches)
        elif c.country == "KZ":
            assert bin_kz.is_valid(c.bin), c
        else:
            assert unp_by.is_valid(c.unp), c
        assert c.tax_id not in seen
        seen.add(c.tax_id)


def test_phones_are_valid_numbers(demo):
    for c in demo.companies[:1500]:
        for phone in c.phones:
            parsed = phonenumbers.parse(phone)
            assert phonenumbers.is_valid_number(parsed), (phone, c.hq.city)


def test_companies_have_the_attributes_selection_needs(demo):
    forms = {c.legal_form for c in demo.companies}
    assert {"ООО", "АО", "ИП", "ТОО"} <= forms
    assert {c.country for c in demo.companies} == {"RU", "KZ", "BY"}
    assert all(
        c.specialisations and set(c.specialisations) <= set(SPECIALISATIONS) for c in demo.companies
    )
    assert sum(1 for c in demo.companies if c.branches) > 50
    assert sum(1 for c in demo.companies if c.website is None) > 100
    assert sum(1 for c in demo.companies if c.former_name) > 20


def test_common_names_repeat_in_different_cities(demo):
    by_name: dict[str, set[str]] = {}
    for c in demo.companies:
        if c.legal_form != "ИП":
            by_name.setdefault(c.name, set()).add(c.hq.city_key)
    assert len(by_name.get("Альянс", ())) >= 3
    # ... but never twice in one city.
    pairs = [(c.name, c.hq.city_key) for c in demo.companies if c.legal_form != "ИП"]
    assert len(pairs) == len(set(pairs))


def test_demo_has_the_books_shape(demo):
    summary = demo.summary()
    print("demo shape:", {k: summary[k] for k in ("union", "core_10_plus", "list_sizes")})
    assert summary["lists"] == 42
    assert 2000 <= summary["union"] <= 3000
    assert summary["core_10_plus"] >= 150
    sizes = summary["list_sizes"]
    assert min(sizes) < 100 and max(sizes) > 400
    # Saturation: the second half of the lists adds far fewer new companies than the first.
    curve = summary["curve"]
    assert curve[-1] - curve[20] < curve[20] - 0
    assert 12_000 <= len(demo.source_rows) <= 18_000


def test_rows_know_their_company_and_match_incidence(demo):
    incidence = demo.incidence()
    for row in demo.source_rows:
        assert set(row.fields) == set(demo.lists[row.list_id].columns) <= set(FIELDS)
        if row.company_id is not None:
            assert row.list_id in incidence[row.company_id]
    for plist in demo.lists:
        rows = demo.rows_of(plist.id)
        assert [r.row for r in rows] == list(range(1, len(rows) + 1))
        listed = {r.company_id for r in rows if r.company_id is not None}
        assert listed == set(np.flatnonzero(demo.membership[:, plist.id]).tolist())


def test_noise_is_present(demo):
    rows = [r for r in demo.source_rows if r.company_id is not None]
    names = [r.fields["name"] for r in rows]
    latin = sum(1 for n in names if re.search("[A-Za-z]", n) and not re.search("[А-Яа-яЁё]", n))
    upper = sum(1 for n in names if n.isupper())
    with_inn_column = [r for r in rows if "inn" in r.fields]
    without_inn = sum(1 for r in rows if not r.fields.get("inn"))
    assert latin > 0.1 * len(rows)
    assert upper > 0.02 * len(rows)
    assert without_inn > 0.5 * len(rows)
    assert 0 < sum(1 for r in with_inn_column if r.fields["inn"]) < len(with_inn_column)
    tags = {t for r in demo.source_rows for t in r.noise}
    assert {
        "typo",
        "old_name",
        "duplicate",
        "garbage",
        "form_prefix",
        "form_suffix",
        "form_full",
        "form_none",
    } <= tags
    assert any(r.office == "branch" for r in rows)
    cities = {r.fields.get("city") for r in rows}
    assert cities & {"СПб", "С.-Петербург", "St. Petersburg", "Saint Petersburg"}
    assert cities & {"г. Москва", "Moscow"}


def test_doctests():
    import doctest

    import partnernet.engines.simulate as package

    assert doctest.testmod(package).failed == 0


def _strip_extension(phone: str) -> str:
    return re.split(r"\s*\(?\s*(?:доб\.|ext\.|вн\.)", phone)[0]


def test_published_phones_parse_back_to_the_office_number(demo):
    checked = 0
    for row in demo.source_rows[:6000]:
        phone = row.fields.get("phone")
        if row.company_id is None or not phone:
            continue
        company = demo.companies[row.company_id]
        parsed = phonenumbers.parse(_strip_extension(phone), company.country)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        assert e164 in company.phones, (phone, company.phones)
        checked += 1
    assert checked > 1000


def test_published_city_spellings_are_real_spellings(demo):
    from partnernet.engines import geo

    total = wrong = 0
    for row in demo.source_rows:
        city = row.fields.get("city")
        if row.company_id is None or not city:
            continue
        total += 1
        found = geo.resolve_city(city)
        offices = {o.city_key for o in demo.companies[row.company_id].offices}
        wrong += found is None or found.key not in offices
    # The rest are towns whose name several towns share (Мирный, Гурьевск): ambiguous
    # without a region, as on real lists.
    assert wrong < 0.02 * total


def test_more_lists_than_the_catalogue_and_tiny_markets():
    market = simulate_market(MarketConfig(seed=2, n_companies=600, n_lists=60))
    assert len(market.lists) == 60
    assert len({p.source_name for p in market.lists}) == 60
    assert all(sum(market.membership[:, p.id]) >= 1 for p in market.lists)
    tiny = simulate_market(MarketConfig(seed=2, n_companies=30, n_lists=5))
    assert len(tiny.companies) == 30 and len(tiny.source_rows) >= 5


def test_bad_config_is_refused():
    with pytest.raises(ValueError):
        MarketConfig(scenario="lognormal")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        MarketConfig(noise="extreme")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        MarketConfig(n_companies=0)


def test_every_site_belongs_to_one_company(demo):
    domains = [c.domain for c in demo.companies if c.domain]
    assert len(domains) == len(set(domains))
    hosted = [d for d in domains if d.endswith((".narod.ru", ".tilda.ws", ".ucoz.ru"))]
    assert hosted  # some sites live on shared free hosting
    emails = [c.email for c in demo.companies]
    assert len(emails) == len(set(emails))


_FINGERPRINT = """
import hashlib
from partnernet.engines.simulate import MarketConfig, simulate_market
m = simulate_market(MarketConfig(seed=3, n_companies=500, n_lists=6, noise="hard"))
rows = [(r.source_name, r.row, r.company_id, sorted(r.fields.items())) for r in m.source_rows]
print(hashlib.sha256(repr((m.companies, rows)).encode()).hexdigest())
"""


def test_same_market_in_another_process():
    """Reproducible across processes: nothing depends on string hashing or set order."""
    import os
    import subprocess
    import sys

    digests = {
        subprocess.run(
            [sys.executable, "-c", _FINGERPRINT],
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in (1, 2)
    }
    assert len(digests) == 1 and len(digests.pop()) == 64


def test_the_core_is_mostly_established_integrators(demo):
    lists_per_company = demo.membership.sum(axis=1)
    core = [demo.companies[i] for i in np.flatnonzero(lists_per_company >= 10)]
    established = sum(c.size in ("medium", "large") for c in core)
    assert established > 0.5 * len(core)
    assert sum(c.size == "micro" for c in core) < 0.05 * len(core)
    # Reach caps activity: a Moscow company without regional offices is (almost) never on a
    # Siberian distributor's list, however active it is.
    siberian = next(p for p in demo.lists if p.reach.startswith("region:Сибирский"))
    outsiders = [
        c
        for c in demo.companies
        if demo.membership[c.id, siberian.id]
        and not any(o.federal_district in siberian.reach for o in c.offices)
    ]
    assert len(outsiders) < 0.1 * demo.membership[:, siberian.id].sum()
