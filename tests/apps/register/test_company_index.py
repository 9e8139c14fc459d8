"""The deterministic linking index read from the register's facts (``company_index_build``,
which reads with raw SQL and files keys table by table): the same index as ``CompanyIndex.add``
builds from the facts read through the ORM."""

from __future__ import annotations

import pytest

from partnernet.apps.register.models import (
    Company,
    CompanyDomain,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
)
from partnernet.apps.register.services import LINK_ID_KINDS, company_index_build
from partnernet.engines.resolution.deterministic import CompanyIndex

pytestmark = pytest.mark.django_db


def _company(name: str, *, names=(), cities=(), ids=(), domains=(), merged_into=None) -> Company:
    company = Company.objects.create(display_name=name, name_key=name.lower())
    for key in names:
        CompanyName.objects.create(company=company, name=key.upper(), name_key=key)
    for city in cities:
        CompanyLocation.objects.create(company=company, city_key=city)
    for kind, value, valid in ids:
        CompanyIdentifier.objects.create(company=company, kind=kind, value=value, valid=valid)
    for domain in domains:
        CompanyDomain.objects.create(company=company, domain=domain)
    if merged_into is not None:
        company.merged_into = merged_into
        company.save(update_fields=["merged_into"])
    return company


def _expected(*, exclude_merged: bool) -> CompanyIndex:
    """The index ``CompanyIndex.add`` builds from the facts read one by one through the ORM
    (each company: its first valid identifier of each kind, every name with every city)."""
    index = CompanyIndex()
    companies = Company.objects.all()
    if exclude_merged:
        companies = companies.filter(merged_into__isnull=True)
    for company in companies:
        identifiers: dict[str, str] = {}
        for fact in CompanyIdentifier.objects.filter(
            company=company, valid=True, kind__in=LINK_ID_KINDS
        ).order_by("id"):
            identifiers.setdefault(fact.kind, fact.value)
        names = CompanyName.objects.filter(company=company).values_list("name_key", flat=True)
        cities = CompanyLocation.objects.filter(company=company).values_list("city_key", flat=True)
        index.add(
            company.id,
            identifiers=identifiers,
            name_cities=[(n, c) for n in names for c in cities],
            domains=CompanyDomain.objects.filter(company=company).values_list("domain", flat=True),
        )
    return index


@pytest.mark.parametrize("exclude_merged", [True, False])
def test_index_holds_the_keys_the_facts_state(exclude_merged: bool) -> None:
    jet = _company(
        "Инфосистемы Джет",
        names=["инфосистемы джет", "jet infosystems"],
        cities=["moskva", "sankt-peterburg"],
        ids=[("inn", "7729058675", True), ("kpp", "772901001", True)],
        domains=["jet.su", "jet.ru"],
    )
    # Namesakes in two cities; one has an invalid INN (never a linking key) and no domain.
    _company("Альянс", names=["альянс"], cities=["omsk"], ids=[("inn", "1234567890", False)])
    _company("Альянс", names=["альянс"], cities=["tula", ""], domains=["alliance-tula.ru"])
    # No city: no (name, city) key, still a company of the index.
    _company("Квазар", names=["квазар"], ids=[("ogrn", "1027700132195", True)])
    # A company with no facts at all (e.g. typed by hand) is still in the index.
    _company("Пустая")
    # Merged into Jet: its keys are left out unless merged companies are asked for.
    merged = _company(
        "Jet Infosystems",
        names=["jet infosystems"],
        cities=["moskva"],
        ids=[("inn", "7729058675", True)],
        domains=["jet.su"],
        merged_into=jet,
    )

    index = company_index_build(exclude_merged=exclude_merged)
    expected = _expected(exclude_merged=exclude_merged)

    assert len(index) == len(expected) == Company.objects.count() - exclude_merged
    # Every table of the index (whatever tables ``add`` files keys in), key for key.
    assert vars(index).keys() == vars(expected).keys()
    for table, keys in vars(expected).items():
        assert dict(getattr(index, table)) == dict(keys), table
    assert index.by_name_city[("jet infosystems", "moskva")] == (
        {jet.id} if exclude_merged else {jet.id, merged.id}
    )
