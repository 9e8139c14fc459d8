"""The deterministic linking index read from the register's facts (``company_index_build``,
which reads with raw SQL): the same keys as a plain reading of the facts through the ORM."""

from __future__ import annotations

from collections import defaultdict

import pytest

from partnernet.apps.register.models import (
    Company,
    CompanyDomain,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
)
from partnernet.apps.register.services import LINK_ID_KINDS, company_index_build

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


def _expected(*, exclude_merged: bool) -> dict[str, dict]:
    """The keys as the facts state them, read one by one through the ORM."""
    live = Company.objects.all()
    if exclude_merged:
        live = live.filter(merged_into__isnull=True)
    live_ids = set(live.values_list("id", flat=True))
    by_identifier: dict = defaultdict(set)
    identifiers_of: dict = {c: {} for c in live_ids}
    for fact in CompanyIdentifier.objects.filter(valid=True, kind__in=LINK_ID_KINDS):
        if fact.company_id in live_ids:
            by_identifier[(fact.kind, fact.value)].add(fact.company_id)
            identifiers_of[fact.company_id].setdefault(fact.kind, fact.value)
    by_name_city: dict = defaultdict(set)
    for name in CompanyName.objects.filter(company_id__in=live_ids):
        for location in CompanyLocation.objects.filter(company_id=name.company_id):
            if name.name_key and location.city_key:
                by_name_city[(name.name_key, location.city_key)].add(name.company_id)
    by_domain: dict = defaultdict(set)
    domains_of: dict = defaultdict(set)
    for fact in CompanyDomain.objects.filter(company_id__in=live_ids):
        by_domain[fact.domain].add(fact.company_id)
        domains_of[fact.company_id].add(fact.domain)
    return {
        "by_identifier": dict(by_identifier),
        "by_name_city": dict(by_name_city),
        "by_domain": dict(by_domain),
        "identifiers_of": identifiers_of,
        "domains_of": dict(domains_of),
    }


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

    assert len(index) == len(expected["identifiers_of"])
    for table, keys in expected.items():
        assert dict(getattr(index, table)) == keys, table
    assert index.by_name_city[("jet infosystems", "moskva")] == (
        {jet.id} if exclude_merged else {jet.id, merged.id}
    )
