"""Resolving free-text city and region spellings to records.

Lookups are dictionary hits on normalised keys, cached per input string, so a partner list
of 100,000 rows resolves in a fraction of a second.

Normalisation (:func:`norm`): case-fold, ``ё``→``е``, apostrophes dropped ("Kazan'"),
every other punctuation mark and digit becomes a space, spaces collapse. Markers of a
settlement type ("г.", "г", "город", "гор.", "пгт", "city", "g.") are removed at either
end ("г. Москва", "Москва г."). A city is then looked up by

1. its normalised Russian name, English name, iuliia transliteration or an alias from
   ``data/aliases.csv`` (СПб, Екб, Алма-Ата, Нур-Султан, Rostov…), then
2. the transliteration-insensitive key of the same (``names.translit.latin_key``), which
   takes Yekaterinburg / Ekaterinburg, Nizhny / Nizhniy, Kazan' / Kazan.

Several towns share a name (Железногорск, Киров, Заречный…): the most populous wins
unless a region is given, and an alias for a large city (Ростов → Rostov-on-Don) competes
with the small town of the same name on population too. A ``country`` restricts the
candidates; a ``region`` is preferred but not required (if the named city is not in that
region, the most populous candidate is still returned).

Postal addresses ("123456, г. Москва, ул. Тверская, д. 1") are split on commas; a part
marked "г."/"город" is tried first, then the other parts in order, skipping postal codes,
country names and parts that start like a street, building or office; a part naming a
region ("Свердловская обл.") becomes the region hint.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache

from partnernet.engines.geo.loading import aliases, load_cities, load_regions
from partnernet.engines.geo.model import City, Region
from partnernet.engines.names.translit import latin_key, to_latin

_NON_WORD = re.compile(r"[\W\d_]+")
_CITY_MARKERS = frozenset(
    {"г", "гор", "город", "пгт", "рп", "city", "g", "gorod", "town", "of", "ст", "станица"}
)
_REGION_WORDS = frozenset(
    {
        "обл",
        "область",
        "край",
        "кр",
        "респ",
        "республика",
        "автономный",
        "автономная",
        "округ",
        "ао",
        "аобл",
        "region",
        "oblast",
        "obl",
        "krai",
        "kray",
        "republic",
        "rep",
        "of",
        "the",
        "autonomous",
        "okrug",
        "district",
        # transliterated Russian type words ("Respublika Tatarstan", "Permskiy kray")
        "respublika",
        "resp",
        "avtonomnyy",
        "avtonomnyi",
        "avtonomniy",
        "avtonomnii",
        "avtonomnij",
        "avtonomnaya",
        "avtonomnaia",
        "ao",
        "g",
        "г",
        "город",
        "city",
    }
)
_COUNTRIES = {
    "россия": "RU",
    "рф": "RU",
    "российская федерация": "RU",
    "russia": "RU",
    "russian federation": "RU",
    "ru": "RU",
    "казахстан": "KZ",
    "республика казахстан": "KZ",
    "рк": "KZ",
    "kazakhstan": "KZ",
    "kz": "KZ",
    "беларусь": "BY",
    "белоруссия": "BY",
    "республика беларусь": "BY",
    "рб": "BY",
    "belarus": "BY",
    "by": "BY",
}
_STREET = re.compile(
    r"^(?:ул|улица|пр|пр-т|просп|проспект|пер|переулок|д|дом|стр|строение|корп|корпус|к|"
    r"оф|офис|пом|помещение|кв|ш|шоссе|наб|набережная|пл|площадь|б-р|бульвар|туп|проезд|"
    r"мкр|микрорайон|р-н|район|эт|этаж|лит|литера|вл|владение|а/я|"
    r"street|st|str|ave|avenue|road|rd|office|floor|building|bldg|suite|apt|lane|square)"
    r"(?:\.|\s|$)",
    re.IGNORECASE,
)
_MARKED = re.compile(
    r"(?:^|\s)(?:город\s+|гор\.\s*|гор\s+|г\.\s?о\.\s*|го\s+|г\.\s*|г\s+)(?=[^\W\d_])",
    re.IGNORECASE,
)
_FEDERAL_DISTRICTS = (
    "Центральный",
    "Северо-Западный",
    "Южный",
    "Северо-Кавказский",
    "Приволжский",
    "Уральский",
    "Сибирский",
    "Дальневосточный",
)
_REGION_ALIASES = {
    "мо": "RU-MOS",
    "подмосковье": "RU-MOS",
    "ло": "RU-LEN",
    "хмао": "RU-KHM",
    "югра": "RU-KHM",
    "янао": "RU-YAN",
    "нао": "RU-NEN",
    "кчр": "RU-KC",
    "кбр": "RU-KB",
    "рт": "RU-TA",
    "татария": "RU-TA",
    "башкирия": "RU-BA",
    "якутия": "RU-SA",
    "саха": "RU-SA",
    "чувашия": "RU-CU",
    "удмуртия": "RU-UD",
    "чечня": "RU-CE",
    "осетия": "RU-SE",
    "северная осетия": "RU-SE",
    "алания": "RU-SE",
    "кузбасс": "RU-KEM",
    "кемеровская": "RU-KEM",
    "ханты мансийский": "RU-KHM",
    "спб": "RU-SPE",
    "мск": "RU-MOW",
    "крым": "UA-43",
    "восточно казахстанская": "KZ-63",
    "вко": "KZ-63",
    "зко": "KZ-27",
    "ско": "KZ-59",
    "юко": "KZ-61",
    "южно казахстанская": "KZ-61",
}


_NORM_TABLE = str.maketrans({"ё": "е", **{ch: None for ch in "'ʼ’‘`´ʹ·"}})


def norm(text: str) -> str:
    """Case-folded, ``ё``→``е``, punctuation and digits to spaces, spaces collapsed."""
    text = text.casefold().translate(_NORM_TABLE)
    if text.replace(" ", "").isalpha():  # the common case: nothing for the regex to do
        return " ".join(text.split())
    return " ".join(_NON_WORD.sub(" ", text).split())


def _strip_words(key: str, words: frozenset[str]) -> str:
    parts = key.split()
    while parts and parts[0] in words:
        parts.pop(0)
    while parts and parts[-1] in words:
        parts.pop()
    return " ".join(parts)


# --- regions ---------------------------------------------------------------------------


@cache
def _region_index() -> tuple[dict[str, Region], dict[str, Region], dict[str, Region]]:
    """(exact names, names without type words, latin keys without type words)."""
    exact: dict[str, Region] = {}
    stripped: dict[str, Region] = {}
    latin: dict[str, Region] = {}
    by_iso = {r.iso: r for r in load_regions()}
    # City-regions first: "Москва"/"Moscow" is the city region, not Moscow Oblast.
    ordered = sorted(
        load_regions(), key=lambda r: r.type not in ("город", "город республиканского значения")
    )
    for region in ordered:
        names = {region.name, region.short_name, region.name_en, region.iso}
        names |= {region.name.replace("область", "обл")}
        for name in filter(None, names):
            key = norm(name)
            exact.setdefault(key, region)
            bare = _strip_words(key, _REGION_WORDS)
            if bare:
                stripped.setdefault(bare, region)
                latin.setdefault(latin_key(bare), region)
        latin.setdefault(latin_key(to_latin(region.short_name)), region)
    for alias, iso in _REGION_ALIASES.items():
        exact.setdefault(alias, by_iso[iso])
        stripped.setdefault(alias, by_iso[iso])
        if len(alias) > 4:  # not the abbreviations: "мо" must not match "mo"
            latin.setdefault(latin_key(alias), by_iso[iso])
    return exact, stripped, latin


@lru_cache(maxsize=65536)
def resolve_region(text: str, country: str | None = None) -> Region | None:
    """The region named by ``text`` ("Московская обл.", "Moscow Oblast", "ХМАО", "RU-MOS",
    "Татарстан", "Республика Татарстан", "Sverdlovskaya oblast"), or None."""
    if not text:
        return None
    exact, stripped, latin = _region_index()
    key = norm(text)
    found = exact.get(key)
    if found is None:
        bare = _strip_words(key, _REGION_WORDS)
        if bare:
            found = stripped.get(bare) or latin.get(latin_key(bare))
    if found is not None and country and found.country != country.upper():
        return None
    return found


def regions() -> list[Region]:
    """Every region: 86 Russian (HFLabs, incl. Crimea, Sevastopol, Baikonur), 20 Kazakh,
    7 Belarusian."""
    return list(load_regions())


def federal_districts() -> list[str]:
    """The eight federal districts of Russia (short Russian names, the official order)."""
    return list(_FEDERAL_DISTRICTS)


# --- cities ----------------------------------------------------------------------------


@cache
def _city_index() -> tuple[dict[str, tuple[City, ...]], dict[str, tuple[City, ...]]]:
    by_name: dict[str, set[City]] = defaultdict(set)
    by_latin: dict[str, set[City]] = defaultdict(set)

    def add(name: str, city: City) -> None:
        key = _strip_words(norm(name), _CITY_MARKERS)
        if key:
            by_name[key].add(city)
            by_latin[latin_key(key)].add(city)

    all_cities = load_cities()
    by_ru = {(c.name_ru, c.region_iso): c for c in all_cities}
    for city in all_cities:
        add(city.name_ru, city)
        add(city.name_en, city)
        add(to_latin(city.name_ru), city)
    for alias, name_ru, iso in aliases():
        add(alias, by_ru[(name_ru, iso)])

    def freeze(index: dict[str, set[City]]) -> dict[str, tuple[City, ...]]:
        return {k: tuple(sorted(v, key=lambda c: -c.population)) for k, v in index.items()}

    return freeze(by_name), freeze(by_latin)


# Latin letters that loose transliterations use for other Russian sounds: "j" for ж
# (Voronej, Nijnii Novgorod) and "c" for ц (Lipeck, Novokuzneck). Tried only on a miss.
_LATIN_READINGS = (("j", "zh"), ("c", "ts"))


def _candidates(text: str) -> tuple[City, ...]:
    key = _strip_words(norm(text), _CITY_MARKERS)
    if not key:
        return ()
    by_name, by_latin = _city_index()
    found = by_name.get(key) or by_latin.get(latin_key(key))
    if found or not key.isascii():
        return found or ()
    for letter, reading in _LATIN_READINGS:
        if letter in key:
            found = by_latin.get(latin_key(key.replace(letter, reading)))
            if found:
                return found
    if "j" in key and "c" in key:
        both = key.replace("j", "zh").replace("c", "ts")
        return by_latin.get(latin_key(both)) or ()
    return ()


def _choose(candidates: Iterable[City], country: str | None, region: Region | None) -> City | None:
    pool = [c for c in candidates if not country or c.country == country]
    if not pool:
        return None
    if region is not None:
        local = [c for c in pool if c.region_iso == region.iso]
        if local:
            pool = local
    return max(pool, key=lambda c: c.population)


def _address_parts(text: str) -> tuple[list[str], list[str], str | None, Region | None]:
    """Split an address into (marked city parts, other parts, country, region)."""
    marked: list[str] = []
    others: list[str] = []
    country: str | None = None
    region: Region | None = None
    for raw in re.split(r"[,;\n]+", text):
        part = raw.strip()
        key = norm(part)
        if not key:
            continue
        if key in _COUNTRIES:
            country = country or _COUNTRIES[key]
            continue
        # "г. Москва ул. Тверская" without commas: the words after the marker.
        match = _MARKED.search(part)
        if match:
            rest = part[match.end() :]
            words = rest.split()
            for n in range(min(4, len(words)), 0, -1):
                marked.append(" ".join(words[:n]))
            continue
        if _STREET.match(part):
            continue
        if set(key.split()) & {
            "обл",
            "область",
            "край",
            "респ",
            "республика",
            "ао",
            "oblast",
            "region",
            "krai",
            "republic",
        }:
            region = region or resolve_region(part)
            continue
        others.append(part)
    return marked, others, country, region


@lru_cache(maxsize=262144)
def resolve_city(text: str, country: str | None = None, region: str | None = None) -> City | None:
    """The city named by ``text`` — a name in any usual spelling or a postal address.

    >>> resolve_city("г. Москва").key
    'RU-MOW-moskva'
    >>> resolve_city("St. Petersburg").name_ru
    'Санкт-Петербург'
    >>> resolve_city("123056, г. Москва, ул. Тверская, д. 1").name_en
    'Moscow'
    >>> resolve_city("Kazan'").name_ru
    'Казань'
    >>> resolve_city("Алма-Ата").country
    'KZ'
    >>> resolve_city("Минск", country="RU") is None
    True
    """
    if not text or not text.strip():
        return None
    country = country.upper() if country else None
    region_hint = resolve_region(region) if region else None
    found = _choose(_candidates(text), country, region_hint)
    if found is not None:
        return found
    marked, others, addr_country, addr_region = _address_parts(text)
    country = country or addr_country
    region_hint = region_hint or addr_region
    for part in (*marked, *others):
        found = _choose(_candidates(part), country, region_hint)
        if found is not None:
            return found
    return None


def cities() -> list[City]:
    """Every city: 1,117 Russian (HFLabs) plus the large cities of Kazakhstan and Belarus."""
    return list(load_cities())


@cache
def _by_key() -> dict[str, City]:
    return {c.key: c for c in load_cities()}


def city_by_key(key: str) -> City | None:
    """The city with this stable key, e.g. ``RU-MOW-moskva``."""
    return _by_key().get(key)


def million_plus_cities() -> list[City]:
    """The 16 Russian cities of over a million people (2021 census), largest first."""
    return sorted((c for c in load_cities() if c.million_plus), key=lambda c: -c.population)
