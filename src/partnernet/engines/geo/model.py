"""The geographic records: cities and regions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A first-level region: a Russian federal subject, a Kazakh oblast or city of
    republican significance, a Belarusian oblast or Minsk.

    ``name`` is the full Russian name ("Московская область", "Республика Татарстан",
    "Москва"); ``type`` its kind in Russian ("область", "республика", "край",
    "автономный округ", "автономная область", "город"); ``iso`` the ISO 3166-2 code
    (HFLabs' codes for Russia, so Crimea and Sevastopol keep theirs: UA-43, UA-40);
    ``federal_district`` the short Russian name of the federal district ("Центральный";
    '' outside Russia and for Baikonur); ``country`` RU, KZ or BY.
    """

    name: str
    type: str
    iso: str
    federal_district: str
    country: str
    name_en: str = ""
    short_name: str = ""


@dataclass(frozen=True)
class City:
    """A city. ``key`` is stable across releases: ``<region iso>-<transliterated name>``
    (``RU-MOW-moskva``). ``population`` is the 2021 census figure for the 16 million-plus
    cities, HFLabs' figure (mostly the 2010 census) for other Russian cities and a rounded
    recent estimate for Kazakhstan and Belarus."""

    key: str
    name_ru: str
    name_en: str
    region: str
    region_iso: str
    federal_district: str
    country: str
    population: int
    lat: float
    lon: float
    million_plus: bool
