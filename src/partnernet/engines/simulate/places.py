"""Where simulated companies sit, and how lists spell those places.

Cities come from ``partnernet.engines.geo``. IT partners are far more concentrated than
people: Moscow alone hosts a third or more of Russian integrators, capitals and million-plus
cities are over-represented and small towns barely have any. ``city_weight`` encodes that
bias; the factors are our judgement, documented in docs/simulator.md.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from functools import cache

from partnernet.engines import geo

# Telephone area codes of the cities most partners sit in. Elsewhere a partner publishes a
# mobile number, which is also what small companies in big cities often do.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "Москва": ("495", "499"),
    "Санкт-Петербург": ("812",),
    "Новосибирск": ("383",),
    "Екатеринбург": ("343",),
    "Казань": ("843",),
    "Нижний Новгород": ("831",),
    "Челябинск": ("351",),
    "Красноярск": ("391",),
    "Самара": ("846",),
    "Уфа": ("347",),
    "Ростов-на-Дону": ("863",),
    "Омск": ("3812",),
    "Краснодар": ("861",),
    "Воронеж": ("473",),
    "Пермь": ("342",),
    "Волгоград": ("8442",),
    "Тюмень": ("3452",),
    "Иркутск": ("3952",),
    "Томск": ("3822",),
    "Хабаровск": ("4212",),
    "Владивосток": ("423",),
    "Ярославль": ("4852",),
    "Тула": ("4872",),
    "Калининград": ("4012",),
    "Барнаул": ("3852",),
    "Саратов": ("8452",),
    "Ижевск": ("3412",),
    "Оренбург": ("3532",),
    "Кемерово": ("3842",),
    "Рязань": ("4912",),
    "Пенза": ("8412",),
    "Сочи": ("862",),
    "Белгород": ("4722",),
    "Сургут": ("3462",),
    "Алматы": ("727",),
    "Астана": ("7172",),
    "Шымкент": ("7252",),
    "Караганда": ("7212",),
    "Минск": ("17",),
    "Гомель": ("232",),
    "Брест": ("162",),
    "Гродно": ("152",),
    "Витебск": ("212",),
    "Могилёв": ("222",),
}
MOBILE_PREFIXES: dict[str, tuple[str, ...]] = {
    "RU": (
        "903",
        "905",
        "909",
        "910",
        "912",
        "915",
        "916",
        "917",
        "919",
        "921",
        "925",
        "926",
        "929",
        "951",
        "952",
        "961",
        "977",
        "985",
        "999",
    ),
    "KZ": ("701", "702", "705", "707", "747", "771", "775", "777", "778"),
    "BY": ("29", "33", "44"),
}
COUNTRY_CODES = {"RU": "7", "KZ": "7", "BY": "375"}
NATIONAL_LENGTH = {"RU": 10, "KZ": 10, "BY": 9}

# How lists abbreviate or respell the largest cities (besides "г. X", upper case, Latin).
CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "Москва": ("Москва", "г. Москва", "МСК", "Moscow", "Moskva"),
    "Санкт-Петербург": (
        "СПб",
        "С.-Петербург",
        "С-Петербург",
        "Санкт Петербург",
        "Спб",
        "St. Petersburg",
        "Saint Petersburg",
        "St Petersburg",
        "Sankt-Peterburg",
    ),
    "Нижний Новгород": (
        "Н. Новгород",
        "Н.Новгород",
        "Nizhny Novgorod",
        "N. Novgorod",
        "Nizhniy Novgorod",
    ),
    "Екатеринбург": ("Екатеринбург", "Ekaterinburg", "Yekaterinburg"),
    "Ростов-на-Дону": ("Ростов-на-Дону", "Ростов н/Д", "Ростов-на-дону", "Rostov-on-Don"),
    "Алматы": ("Алма-Ата", "Almaty", "Alma-Ata"),
    "Астана": ("Нур-Султан", "Astana", "Nur-Sultan"),
    "Минск": ("Минск", "Minsk", "г.Минск"),
    "Набережные Челны": ("Наб. Челны", "Naberezhnye Chelny"),
    "Комсомольск-на-Амуре": ("Комсомольск-на-Амуре", "Комсомольск н/А"),
}

COUNTRY_NAMES = {
    "RU": ("Россия", "Russia", "РФ", "Russian Federation"),
    "KZ": ("Казахстан", "Kazakhstan", "Республика Казахстан"),
    "BY": ("Беларусь", "Belarus", "Республика Беларусь"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """A city as the simulator uses it (a thin copy of ``geo.City``)."""

    key: str
    name_ru: str
    name_en: str
    region: str
    federal_district: str  # for KZ/BY: the country code, used to pick regional words
    country: str
    population: int
    million_plus: bool


# Extra weight of the IT capitals on top of their population.
_HUB_FACTOR = {"Москва": 3.5, "Санкт-Петербург": 2.0, "Минск": 3.0, "Алматы": 3.0, "Астана": 2.0}


def city_weight(place: Place) -> float:
    """Share of IT partners relative to population (see module docstring)."""
    if place.name_ru in _HUB_FACTOR:
        return place.population * _HUB_FACTOR[place.name_ru]
    if place.million_plus:
        return place.population * 1.4
    if place.population >= 300_000:
        return place.population * 0.9
    if place.population >= 100_000:
        return place.population * 0.5
    return place.population * 0.12


class Gazetteer:
    """Cities per country with cumulative weights for fast weighted sampling."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.by_key = {p.key: p for p in places}
        self._by_country: dict[str, tuple[list[Place], list[float]]] = {}
        for country in sorted({p.country for p in places}):
            members = sorted((p for p in places if p.country == country), key=lambda p: p.key)
            weights = [city_weight(p) for p in members]
            self._by_country[country] = (members, list(itertools.accumulate(weights)))

    def countries(self) -> list[str]:
        return list(self._by_country)

    def sample(self, rng: random.Random, country: str) -> Place:
        members, cum = self._by_country[country]
        return members[bisect.bisect_right(cum, rng.random() * cum[-1])]

    def sample_branch(self, rng: random.Random, country: str, exclude: set[str]) -> Place:
        """A city for a branch office: another city of the same country."""
        for _ in range(20):
            place = self.sample(rng, country)
            if place.key not in exclude:
                return place
        return place


@cache
def gazetteer() -> Gazetteer:
    places = []
    for city in geo.cities():
        country = city.country
        district = city.federal_district or country
        places.append(
            Place(
                key=city.key,
                name_ru=city.name_ru,
                name_en=city.name_en or city.name_ru,
                region=city.region,
                federal_district=district if country == "RU" else country,
                country=country,
                population=int(city.population or 1000),
                million_plus=city.million_plus,
            )
        )
    return Gazetteer(places)
