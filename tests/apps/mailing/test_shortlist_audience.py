"""A selection shortlist used as a mailing audience picks the people of its companies."""

from __future__ import annotations

import pytest

from partnernet.apps.contacts.models import Person
from partnernet.apps.mailing.selectors import audience_people
from partnernet.apps.register.models import Company
from partnernet.apps.selection.models import Shortlist, ShortlistEntry


@pytest.mark.django_db
def test_shortlist_audience_by_id_and_name():
    inside = Company.objects.create(display_name="Вектор", name_key="вектор")
    outside = Company.objects.create(display_name="Альфа", name_key="альфа")
    anna = Person.objects.create(company=inside, full_name="Анна Петрова")
    Person.objects.create(company=outside, full_name="Олег Сидоров")
    shortlist = Shortlist.objects.create(name="ИБ в Сибири", approach="specialisation")
    ShortlistEntry.objects.create(shortlist=shortlist, company=inside, rank=1, score=1.0)

    assert list(audience_people({"shortlist": shortlist.pk})) == [anna]
    assert list(audience_people({"shortlist": "ИБ в Сибири"})) == [anna]
    assert list(audience_people({"shortlist": "no such list"})) == []
