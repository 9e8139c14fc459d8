from __future__ import annotations

import pytest

from partnernet.apps.register.filtersets import CompanyFilterSet
from partnernet.apps.register.models import Company, Source, Vendor
from partnernet.apps.register.selectors import company_list

from .helpers import INN_A


def names(params: dict) -> set[str]:
    filterset = CompanyFilterSet(params, queryset=company_list())
    assert filterset.is_valid(), filterset.errors
    return {c.display_name for c in filterset.qs}


def ids(params: dict) -> set[int]:
    filterset = CompanyFilterSet(params, queryset=company_list())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("id", flat=True))


@pytest.mark.usefixtures("register")
class TestCompanyFilterSet:
    def test_search_any_name_variant_in_either_script_and_case(self) -> None:
        romashka = Company.objects.get(inn=INN_A)
        assert ids({"q": "ромашка"}) == {romashka.pk}
        assert ids({"q": "РОМАШКА"}) == {romashka.pk}
        assert ids({"q": "Romashka LLC"}) == {romashka.pk}
        # A Cyrillic query finds the company by its Latin key.
        assert romashka.pk in ids({"q": "romashka"})

    def test_search_by_inn_and_domain(self) -> None:
        romashka = Company.objects.get(inn=INN_A)
        assert ids({"q": INN_A}) == {romashka.pk}
        assert ids({"q": "jet.su"}) == set(
            Company.objects.filter(domains__domain="jet.su").values_list("id", flat=True)
        )
        assert ids({"q": "ничего такого нет"}) == set()

    def test_vendor_and_level(self) -> None:
        cisco = Vendor.objects.get(name="Cisco")
        huawei = Vendor.objects.get(name="Huawei")
        both = ids({"vendor": [cisco.pk]}) & ids({"vendor": [huawei.pk]})
        assert both == {Company.objects.get(inn=INN_A).pk}
        assert len(ids({"vendor": [cisco.pk]})) == 3
        gold = ids({"vendor": [huawei.pk], "level_rank_min": 4})
        assert Company.objects.get(inn=INN_A).pk in gold
        assert all(
            c.authorisations.filter(vendor=huawei, level_rank__gte=4).exists()
            for c in Company.objects.filter(id__in=gold)
        )
        assert ids({"level": "premier"}) == set(
            Company.objects.filter(display_name__contains="Kazakh").values_list("id", flat=True)
        )

    def test_city_spellings_region_district_country(self) -> None:
        spb = ids({"city": "СПб"})
        assert spb and spb == ids({"city": "Saint Petersburg"}) == ids({"city": "Санкт-Петербург"})
        ekb = ids({"city": "Екатеринбург"})
        assert ekb == ids({"city": "Yekaterinburg"}) and len(ekb) == 1
        assert ids({"region": "Свердловская обл."}) == ekb
        ural = ids({"federal_district": "Уральский"})
        assert ekb <= ural
        kz = names({"country": "KZ"})
        assert kz == {c.display_name for c in Company.objects.filter(country="KZ")} != set()

    def test_specialisation_sector_sources(self) -> None:
        networking = ids({"specialisation": ["networking"]})
        assert Company.objects.get(inn=INN_A).pk in networking
        assert ids({"sources_min": 2}) == {Company.objects.get(inn=INN_A).pk}
        assert ids({"sources_max": 1}) == set(
            Company.objects.filter(source_count=1).values_list("id", flat=True)
        )
        cisco = Source.objects.get(name="Cisco locator")
        assert len(ids({"source": cisco.pk})) == 3
        assert ids({"sector": ["retail"]}) == set()
