"""A small hand-made register: companies in million-plus cities with known niches and vendors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from partnernet.apps.register.models import (
    Authorisation,
    Company,
    CompanyLocation,
    CompanySector,
    CompanySpecialisation,
    Sector,
    Source,
    Specialisation,
    Vendor,
)
from partnernet.apps.selection.records import partner_records_cache_clear
from partnernet.apps.selection.services import partnership_set
from partnernet.engines import geo
from partnernet.engines.names.normalise import normalise_company_name


@dataclass
class Market:
    companies: dict[str, Company]


def make_company(name: str, city_key: str, *, inn: str = "") -> Company:
    city = geo.city_by_key(city_key)
    assert city is not None
    company = Company.objects.create(
        display_name=name,
        name_key=normalise_company_name(name),
        inn=inn,
        inn_valid=bool(inn),
        city_key=city.key,
        city_name=city.name_ru,
        region=city.region,
        federal_district=city.federal_district,
        country=city.country,
    )
    CompanyLocation.objects.create(
        company=company,
        is_headquarters=True,
        city_key=city.key,
        city_name=city.name_ru,
        region=city.region,
        federal_district=city.federal_district,
        country=city.country,
    )
    return company


def authorise(company: Company, vendor: Vendor, source: Source, rank: int) -> None:
    Authorisation.objects.create(
        company=company, vendor=vendor, source=source, level=f"L{rank}", level_rank=rank
    )
    company.vendor_count = company.authorisations.values("vendor").distinct().count()
    company.save(update_fields=["vendor_count"])


@pytest.fixture(autouse=True)
def fresh_records_cache() -> None:
    partner_records_cache_clear()


@pytest.fixture
def market(db) -> Market:
    """
    Moscow: Alpha (infosec, enterprise, 2 security vendors, recruited/authorised),
            Beta (infosec, smb, 1 security vendor), Gamma (networking only).
    Kazan:  Delta (infosec, enterprise + oil_gas, 3 vendors, offices in 4 cities).
    Omsk:   Epsilon (no specialisation known, willing partner, 6 deals).
    """
    spec = {s.key: s for s in Specialisation.objects.all()}
    sector = {s.key: s for s in Sector.objects.all()}
    vendors = {n: Vendor.objects.create(name=n, key=Vendor.make_key(n)) for n in "ABCN"}
    sources = {n: Source.objects.create(name=f"{n} list", vendor=v) for n, v in vendors.items()}
    msk, kzn, oms = "RU-MOW-moskva", "RU-TA-kazan", "RU-OMS-omsk"
    c = {
        "alpha": make_company("ООО «Альфа»", msk, inn="7707083893"),
        "beta": make_company("Бета", msk),
        "gamma": make_company("Гамма", msk),
        "delta": make_company("АО Дельта", kzn, inn="7736207543"),
        "epsilon": make_company("Эпсилон", oms),
    }
    for key, niches, sectors in [
        ("alpha", ["information_security"], ["enterprise"]),
        ("beta", ["information_security"], ["smb"]),
        ("gamma", ["networking"], []),
        ("delta", ["information_security"], ["enterprise", "oil_gas"]),
    ]:
        for niche in niches:
            # Security specialisations come from security vendors' lists (A and B).
            CompanySpecialisation.objects.create(
                company=c[key],
                specialisation=spec[niche],
                source=sources["N" if niche == "networking" else "A"],
            )
        for s in sectors:
            CompanySector.objects.create(company=c[key], sector=sector[s])
    authorise(c["alpha"], vendors["A"], sources["A"], 2)
    authorise(c["alpha"], vendors["B"], sources["B"], 1)
    authorise(c["beta"], vendors["A"], sources["A"], 0)
    authorise(c["gamma"], vendors["N"], sources["N"], 3)
    authorise(c["delta"], vendors["A"], sources["A"], 3)
    authorise(c["delta"], vendors["B"], sources["B"], 2)
    authorise(c["delta"], vendors["C"], sources["C"], 1)
    for city in ("RU-SVE-yekaterinburg", "RU-NVS-novosibirsk", "RU-SAM-samara"):
        place = geo.city_by_key(city)
        assert place is not None
        CompanyLocation.objects.create(
            company=c["delta"], city_key=city, city_name=place.name_ru, region=place.region
        )
    partnership_set(
        company=c["alpha"],
        stage="authorised",
        kinds=["integrator"],
        facts={"deals_12m": 2, "certified_people": 1},
        joined_on=date(2026, 1, 10),
    )
    partnership_set(
        company=c["epsilon"],
        stage="willing",
        facts={"deals_12m": 6, "certified_people": 3, "marketing_events_12m": 1},
        joined_on=date(2026, 3, 5),
    )
    return Market(companies=c)
