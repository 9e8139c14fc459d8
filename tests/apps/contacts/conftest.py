from __future__ import annotations

import pytest

from partnernet.apps.contacts.services import person_create
from partnernet.apps.register.models import Company, CompanyDomain, CompanyPhone


@pytest.fixture
def vega(db):
    """A partner with a known pattern of addresses: first initial, dot, surname."""
    company = Company.objects.create(
        display_name="ООО «Вега ИТ»",
        name_key="вега ит",
        inn="7707083893",
        inn_valid=True,
        primary_domain="vega-it.example",
    )
    CompanyDomain.objects.create(company=company, domain="vega-it.example")
    CompanyPhone.objects.create(company=company, number="+74957001020")
    people = {
        "shinkarev": person_create(
            full_name="Шинкарев Борис Петрович",
            company=company,
            position="директор",
            emails=["b.shinkarev@vega-it.example"],
            source="test",
        ),
        "gorskin": person_create(
            full_name="Горскин Павел",
            company=company,
            emails=["p.gorskin@vega-it.example"],
            source="test",
        ),
        "tsyganov": person_create(
            full_name="Цыганов Роман",
            company=company,
            emails=["r.tsyganov@vega-it.example"],
            phones=["+7 (495) 700-10-21"],
            source="test",
        ),
    }
    return company, people
