"""Loading the packaged data files into City and Region records (once, cached)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from partnernet.engines.geo.model import City, Region
from partnernet.engines.names.translit import to_latin

_COUNTRY_CODES = {"Россия": "RU", "Казахстан": "KZ", "Беларусь": "BY"}

# English names of regions whose name is not "<capital's English name> Oblast/Krai" and
# of republics (the usual English forms).
_REGION_EN = {
    "Московская": "Moscow Oblast",
    "Ленинградская": "Leningrad Oblast",
    "Свердловская": "Sverdlovsk Oblast",
    "Ростовская": "Rostov Oblast",
    "Новгородская": "Novgorod Oblast",
    "Адыгея": "Republic of Adygea",
    "Ингушетия": "Republic of Ingushetia",
    "Калмыкия": "Republic of Kalmykia",
    "Карелия": "Republic of Karelia",
    "Мордовия": "Republic of Mordovia",
    "Хакасия": "Republic of Khakassia",
    "Байконур": "Baikonur",
    "Амурская": "Amur Oblast",
    "Сахалинская": "Sakhalin Oblast",
    "Еврейская": "Jewish Autonomous Oblast",
    "Приморский": "Primorsky Krai",
    "Алтайский": "Altai Krai",
    "Забайкальский": "Zabaykalsky Krai",
    "Камчатский": "Kamchatka Krai",
    "Ханты-Мансийский Автономный округ - Югра": "Khanty-Mansi Autonomous Okrug – Yugra",
    "Ямало-Ненецкий": "Yamalo-Nenets Autonomous Okrug",
    "Ненецкий": "Nenets Autonomous Okrug",
    "Чукотский": "Chukotka Autonomous Okrug",
    "Кемеровская область - Кузбасс": "Kemerovo Oblast – Kuzbass",
    "Удмуртская": "Udmurt Republic",
    "Чеченская": "Chechen Republic",
    "Кабардино-Балкарская": "Kabardino-Balkarian Republic",
    "Карачаево-Черкесская": "Karachay-Cherkess Republic",
    "Чувашская Республика": "Chuvash Republic",
    "Саха /Якутия/": "Sakha (Yakutia) Republic",
    "Северная Осетия - Алания": "Republic of North Ossetia – Alania",
    "Марий Эл": "Mari El Republic",
    "Алтай": "Altai Republic",
    "Тыва": "Tuva Republic",
    "Бурятия": "Republic of Buryatia",
    "Крым": "Republic of Crimea",
}
_TYPE_FULL = {
    "обл": "область",
    "край": "край",
    "Респ": "республика",
    "АО": "автономный округ",
    "Аобл": "автономная область",
    "г": "город",
    "Чувашия": "республика",
}
_TYPE_EN = {
    "обл": "Oblast",
    "край": "Krai",
    "АО": "Autonomous Okrug",
    "Аобл": "Autonomous Oblast",
}


def _rows(name: str) -> Iterator[dict[str, str]]:
    path = resources.files("partnernet.engines.geo") / "data" / name
    text = path.read_text(encoding="utf-8")
    yield from csv.DictReader(io.StringIO(text, newline=""))


def slug(text: str) -> str:
    """Lower-case ASCII slug of a Russian name (iuliia wikipedia scheme)."""
    latin = to_latin(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")


def _region_full_name(row: dict[str, str]) -> str:
    name, kind = row["name"], row["type"]
    if kind == "обл":
        return name.replace(" - ", " — ") if "область" in name else f"{name} область"
    if kind == "край":
        return f"{name} край"
    if kind == "АО":
        if "округ" in name.lower():
            return name.replace("Автономный округ", "автономный округ").replace(" - ", " — ")
        return f"{name} автономный округ"
    if kind == "Аобл":
        return f"{name} автономная область"
    if kind == "Респ":
        if name == "Саха /Якутия/":
            return "Республика Саха (Якутия)"
        if name.endswith(("ская", "цкая")):
            return f"{name} Республика"
        return f"Республика {name}".replace(" - ", " — ")
    if kind == "Чувашия":
        return row["name_with_type"].replace(" - ", " — ")
    return name


@cache
def exonyms() -> dict[tuple[str, str], str]:
    return {(r["name_ru"], r["region_iso"]): r["name_en"] for r in _rows("exonyms.csv")}


def city_name_en(name_ru: str, region_iso: str) -> str:
    """Established English name, else the iuliia wikipedia transliteration."""
    return exonyms().get((name_ru, region_iso)) or to_latin(name_ru)


@cache
def load_regions() -> tuple[Region, ...]:
    hf = list(_rows("hflabs_region.csv"))
    # English name of the capital, to name "<capital> Oblast" the usual English way.
    capitals: dict[str, str] = {}
    for row in _rows("hflabs_city.csv"):
        if row["capital_marker"] == "2" and row["city"]:
            capitals[row["region"]] = row["city"]
    regions = []
    for row in hf:
        short, kind = row["name"], row["type"]
        if short in _REGION_EN:
            name_en = _REGION_EN[short]
        elif kind == "г":
            name_en = city_name_en(short, row["iso_code"])
        elif kind == "Респ":
            name_en = f"Republic of {to_latin(short)}"
        elif short in capitals:
            capital_en = city_name_en(capitals[short], row["iso_code"])
            name_en = f"{capital_en} {_TYPE_EN.get(kind, '')}".strip()
        else:
            name_en = f"{to_latin(short)} {_TYPE_EN.get(kind, '')}".strip()
        regions.append(
            Region(
                name=_region_full_name(row),
                type=_TYPE_FULL.get(kind, kind),
                iso=row["iso_code"],
                federal_district=row["federal_district"],
                country="RU",  # HFLabs lists Baikonur (KZ-BAY) under Russia too
                name_en=name_en,
                short_name=short,
            )
        )
    for row in _rows("cis_regions.csv"):
        regions.append(
            Region(
                name=row["name_ru"],
                type=row["type"],
                iso=row["iso"],
                federal_district="",
                country=row["country"],
                name_en=row["name_en"],
                short_name=row["name_ru"].replace(" область", ""),
            )
        )
    return tuple(regions)


@cache
def million_plus_2021() -> dict[tuple[str, str], int]:
    rows = _rows("million_plus_2021.csv")
    return {(r["name_ru"], r["region_iso"]): int(r["population_2021"]) for r in rows}


@cache
def load_cities() -> tuple[City, ...]:
    regions_by_short = {r.short_name: r for r in load_regions() if r.country == "RU"}
    regions_by_iso = {r.iso: r for r in load_regions()}
    million = million_plus_2021()
    cities: list[City] = []
    seen: set[str] = set()
    for row in _rows("hflabs_city.csv"):
        region = regions_by_short[row["region"]]
        # 14 rows have no city: Moscow, St Petersburg and Sevastopol are in `region`, some
        # towns in `area` or `settlement`.
        name = (
            row["city"]
            or row["settlement"]
            or (row["area"] if row["region_type"] != "г" else "")
            or row["region"]
        )
        population = million.get((name, region.iso)) or int(row["population"] or 0)
        key = f"{region.iso}-{slug(name)}"
        if key in seen:
            key = f"{key}-{row['kladr_id'][-6:]}"
        seen.add(key)
        cities.append(
            City(
                key=key,
                name_ru=name,
                name_en=city_name_en(name, region.iso),
                region=region.name,
                region_iso=region.iso,
                federal_district=region.federal_district,
                country=_COUNTRY_CODES.get(row["country"], "RU"),
                population=population,
                lat=float(row["geo_lat"]),
                lon=float(row["geo_lon"]),
                million_plus=(name, region.iso) in million,
            )
        )
    for row in _rows("cis_cities.csv"):
        region = regions_by_iso[row["region_iso"]]
        key = f"{region.iso}-{slug(row['name_ru'])}"
        cities.append(
            City(
                key=key,
                name_ru=row["name_ru"],
                name_en=row["name_en"],
                region=region.name,
                region_iso=region.iso,
                federal_district="",
                country=row["country"],
                population=int(row["population"]),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                million_plus=False,
            )
        )
    return tuple(cities)


@cache
def aliases() -> tuple[tuple[str, str, str], ...]:
    return tuple((r["alias"], r["name_ru"], r["region_iso"]) for r in _rows("aliases.csv"))
