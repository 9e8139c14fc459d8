from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from partnernet.engines import geo
from partnernet.engines.geo import loading as geo_data

DATA = Path(geo_data.__file__).parent / "data"

MILLION_PLUS_2021 = {
    "Москва",
    "Санкт-Петербург",
    "Новосибирск",
    "Екатеринбург",
    "Казань",
    "Нижний Новгород",
    "Челябинск",
    "Красноярск",
    "Самара",
    "Уфа",
    "Ростов-на-Дону",
    "Омск",
    "Краснодар",
    "Воронеж",
    "Пермь",
    "Волгоград",
}


def test_exactly_sixteen_million_plus_cities_from_the_2021_census() -> None:
    cities = geo.million_plus_cities()
    assert {c.name_ru for c in cities} == MILLION_PLUS_2021
    assert all(c.population >= 1_000_000 and c.country == "RU" for c in cities)
    assert [c.population for c in cities] == sorted((c.population for c in cities), reverse=True)
    assert cities[0].name_ru == "Москва" and cities[0].population > 13_000_000


def test_only_the_census_list_is_million_plus() -> None:
    flagged = {c.name_ru for c in geo.cities() if c.million_plus}
    assert flagged == MILLION_PLUS_2021


def test_every_hflabs_row_becomes_one_city_with_a_unique_key() -> None:
    with (DATA / "hflabs_city.csv").open(encoding="utf-8") as fh:
        hf_rows = sum(1 for _ in csv.DictReader(fh))
    cities = geo.cities()
    assert sum(1 for c in cities if c.country == "RU") == hf_rows
    keys = Counter(c.key for c in cities)
    assert keys.most_common(1)[0][1] == 1
    assert all(c.name_ru and c.name_en and c.region and c.region_iso for c in cities)


def test_city_without_city_column_gets_its_name_from_area_or_region() -> None:
    names = {c.name_ru for c in geo.cities()}
    assert {"Москва", "Санкт-Петербург", "Севастополь", "Одинцово", "Урус-Мартан"} <= names


def test_city_fields() -> None:
    moscow = geo.city_by_key("RU-MOW-moskva")
    assert moscow is not None
    assert (moscow.name_en, moscow.region_iso, moscow.federal_district) == (
        "Moscow",
        "RU-MOW",
        "Центральный",
    )
    assert 55 < moscow.lat < 56 and 37 < moscow.lon < 38
    assert moscow.million_plus


def test_kazakhstan_and_belarus_capitals_and_regional_centres() -> None:
    kz = {c.name_ru: c for c in geo.cities() if c.country == "KZ"}
    by = {c.name_ru: c for c in geo.cities() if c.country == "BY"}
    assert {"Астана", "Алматы", "Шымкент", "Караганда", "Актобе", "Павлодар"} <= set(kz)
    assert {"Минск", "Гомель", "Могилёв", "Витебск", "Гродно", "Брест"} <= set(by)
    assert all(
        c.federal_district == "" and not c.million_plus for c in [*kz.values(), *by.values()]
    )
    # every Kazakh and Belarusian region has a city
    regions_with_city = {c.region_iso for c in geo.cities()}
    for region in geo.regions():
        if region.country in ("KZ", "BY"):
            assert region.iso in regions_with_city, region


def test_regions_and_federal_districts() -> None:
    regions = geo.regions()
    assert sum(1 for r in regions if r.country == "RU") == 86
    assert len({r.iso for r in regions}) == len(regions)
    districts = geo.federal_districts()
    assert len(districts) == 8 and districts[0] == "Центральный"
    assert {r.federal_district for r in regions if r.country == "RU"} - {""} == set(districts)
    tatarstan = geo.resolve_region("RU-TA")
    assert tatarstan is not None and tatarstan.name == "Республика Татарстан"


@pytest.mark.parametrize("name", ["hflabs_city.README.md", "hflabs_region.README.md"])
def test_attribution_ships_with_the_data(name: str) -> None:
    assert "by-sa/4.0" in (DATA / name).read_text(encoding="utf-8")
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "HFLabs" in readme


def test_alias_table_points_at_existing_cities() -> None:
    index = {(c.name_ru, c.region_iso) for c in geo.cities()}
    for alias, name_ru, iso in geo_data.aliases():
        assert (name_ru, iso) in index, alias
