from __future__ import annotations

import doctest
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines import geo
from partnernet.engines.geo import resolve as geo_resolve
from partnernet.engines.geo import resolve_city, resolve_region


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("г. Москва", "RU-MOW-moskva"),
        ("Москва", "RU-MOW-moskva"),
        ("Moscow", "RU-MOW-moskva"),
        ("MOSCOW", "RU-MOW-moskva"),
        ("Москва г.", "RU-MOW-moskva"),
        ("город Москва", "RU-MOW-moskva"),
        ("СПб", "RU-SPE-sankt-peterburg"),
        ("С.-Петербург", "RU-SPE-sankt-peterburg"),
        ("Санкт-Петербург", "RU-SPE-sankt-peterburg"),
        ("St. Petersburg", "RU-SPE-sankt-peterburg"),
        ("Saint Petersburg", "RU-SPE-sankt-peterburg"),
        ("Saint-Petersburg", "RU-SPE-sankt-peterburg"),
        ("Екатеринбург", "RU-SVE-yekaterinburg"),
        ("Yekaterinburg", "RU-SVE-yekaterinburg"),
        ("Ekaterinburg", "RU-SVE-yekaterinburg"),
        ("Нижний Новгород", "RU-NIZ-nizhny-novgorod"),
        ("N. Novgorod", "RU-NIZ-nizhny-novgorod"),
        ("Н. Новгород", "RU-NIZ-nizhny-novgorod"),
        ("Nizhny Novgorod", "RU-NIZ-nizhny-novgorod"),
        ("Nizhniy Novgorod", "RU-NIZ-nizhny-novgorod"),
        ("Ростов-на-Дону", "RU-ROS-rostov-na-donu"),
        ("Rostov-on-Don", "RU-ROS-rostov-na-donu"),
        ("Алматы", "KZ-75-almaty"),
        ("Almaty", "KZ-75-almaty"),
        ("Алма-Ата", "KZ-75-almaty"),
        ("Нур-Султан", "KZ-71-astana"),
        ("Минск", "BY-HM-minsk"),
        ("Minsk", "BY-HM-minsk"),
        ("г Казань", "RU-TA-kazan"),
        ("Kazan'", "RU-TA-kazan"),
        ("Орел", "RU-ORL-orel"),
        ("Oryol", "RU-ORL-orel"),
    ],
)
def test_spellings_resolve_to_one_city(text: str, key: str) -> None:
    city = resolve_city(text)
    assert city is not None, text
    assert city.key == key


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("123056, г. Москва, ул. Тверская, д. 1", "Москва"),
        ("Россия, 420111, Республика Татарстан, г. Казань, ул. Баумана, д. 5", "Казань"),
        ("630099, Новосибирск, ул. Ленина, 5, офис 12", "Новосибирск"),
        ("Московская обл., г.о. Химки, ул. Ленинградская, 1", "Химки"),
        ("г.Москва ул.Тверская д.1", "Москва"),
        ("125009, Moscow, Tverskaya str. 7", "Москва"),
        ("050000, Республика Казахстан, г. Алматы, пр. Абая 10", "Алматы"),
    ],
)
def test_city_from_a_postal_address(address: str, name: str) -> None:
    city = resolve_city(address)
    assert city is not None and city.name_ru == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Voronej", "Воронеж"),  # ж written as j
        ("Nijnii Novgorod", "Нижний Новгород"),
        ("Lipeck", "Липецк"),  # ц written as c
        ("Cherepovec", "Череповец"),
        ("Mejdurechensk", "Междуреченск"),
        ("Ростов н/Д", "Ростов-на-Дону"),
        ("Наб. Челны", "Набережные Челны"),
        ("Комсомольск н/А", "Комсомольск-на-Амуре"),
        ("Arkhangel'sk", "Архангельск"),
        ("Brat·sk", "Братск"),  # BGN/PCGN middle dot
    ],
)
def test_loose_transliterations_and_abbreviations(text: str, name: str) -> None:
    city = resolve_city(text)
    assert city is not None and city.name_ru == name


def test_ambiguous_names_prefer_the_most_populous_unless_a_region_is_given() -> None:
    kirovs = [c for c in geo.cities() if c.name_ru == "Киров"]
    assert len(kirovs) > 1
    assert resolve_city("Киров") == max(kirovs, key=lambda c: c.population)
    in_kaluga = resolve_city("Киров", region="Калужская обл.")
    assert in_kaluga is not None and in_kaluga.region_iso == "RU-KLU"
    in_address = resolve_city("Калужская обл., г. Киров")
    assert in_address == in_kaluga


def test_an_alias_for_a_big_city_competes_on_population() -> None:
    assert resolve_city("Ростов").name_ru == "Ростов-на-Дону"  # type: ignore[union-attr]
    yaroslavl = resolve_city("Ростов", region="Ярославская область")
    assert yaroslavl is not None and yaroslavl.name_ru == "Ростов"


def test_country_restricts_candidates() -> None:
    assert resolve_city("Минск", country="RU") is None
    assert resolve_city("Минск", country="by").country == "BY"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["", "   ", "Piter", "Россия", "ул. Московская, 5", "ООО Ромашка", "12345"]
)
def test_not_a_city(text: str) -> None:
    assert resolve_city(text) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Московская обл.", "RU-MOS"),
        ("Moscow Oblast", "RU-MOS"),
        ("Москва", "RU-MOW"),
        ("ХМАО", "RU-KHM"),
        ("RU-MOS", "RU-MOS"),
        ("Республика Татарстан", "RU-TA"),
        ("Татарстан", "RU-TA"),
        ("Sverdlovskaya oblast", "RU-SVE"),
        ("Sverdlovsk Oblast", "RU-SVE"),
        ("Краснодарский край", "RU-KDA"),
        ("Чувашия", "RU-CU"),
        ("Алматинская обл", "KZ-19"),
        ("Минская область", "BY-MI"),
        ("Минск", "BY-HM"),
        ("Respublika Tatarstan", "RU-TA"),
        ("Udmurtskaya Respublika", "RU-UD"),
        ("Permskiy kray", "RU-PER"),
        ("Moskovskaya oblast'", "RU-MOS"),
        ("Khanty-Mansiyskiy avtonomnyy okrug", "RU-KHM"),
        ("Respublika Sakha (Yakutiya)", "RU-SA"),
    ],
)
def test_resolve_region(text: str, iso: str) -> None:
    region = resolve_region(text)
    assert region is not None and region.iso == iso


def test_resolve_region_with_country() -> None:
    assert resolve_region("Минская область", country="RU") is None
    assert resolve_region("", country="RU") is None


CITY_NAMES = [c.name_ru for c in geo.cities() if c.country == "RU"][::7]


@given(
    st.sampled_from(CITY_NAMES),
    st.sampled_from(["", "г. ", "г ", "г.", "город ", "гор. "]),
    st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
    st.sampled_from(["", " ", "  г.", ","]),
)
def test_resolution_is_invariant_under_case_and_city_markers(
    name: str, prefix: str, case: Callable[[str], str], suffix: str
) -> None:
    plain = resolve_city(name)
    assert plain is not None
    assert resolve_city(case(prefix + name) + suffix) == plain


@given(st.sampled_from([c for c in geo.cities() if c.population > 100_000]))
def test_english_name_resolves_back(city: geo.City) -> None:
    found = resolve_city(city.name_en, country=city.country)
    assert found is not None
    assert found.name_ru == city.name_ru


@given(st.text(max_size=60))
def test_never_crashes(text: str) -> None:
    resolve_city(text)
    resolve_region(text)


def test_doctests() -> None:
    for module in (geo, geo_resolve):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
