"""The true population of partner companies.

Every company gets a legal form that fits its country and size, a name, valid national
identifiers, a web site (or none, or a page on shared free hosting), a head office in a city
drawn with the IT-market bias of ``places``, branch offices for the larger ones, product
specialisations, customer sectors, and an activity level with a heavy right tail: a few
companies are on almost every list, most are on none.

The population does not depend on the noise setting: ``hard`` noise changes how lists show
the companies, never which companies exist or who is listed.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable
from typing import Any

from partnernet.engines.ids import bin_kz, inn, kpp, ogrn, unp_by

from .model import SIZES, MarketConfig, Office, TruthCompany
from .names import NAME_TAILS, GeneratedName, company_name, latin, person_name
from .places import (
    AREA_CODES,
    COUNTRY_CODES,
    MOBILE_PREFIXES,
    NATIONAL_LENGTH,
    Gazetteer,
    Place,
)
from .vendors import SPECIALISATIONS

# Probability of each specialisation for a company of each size (larger = broader).
_SPEC_BASE = {
    "hardware": 0.5,
    "networking": 0.45,
    "infosec": 0.35,
    "virtualisation": 0.3,
    "storage": 0.25,
    "cloud": 0.25,
    "enterprise_solutions": 0.25,
    "av": 0.15,
    "iot": 0.1,
}
_SIZE_BREADTH = {"micro": 0.55, "small": 0.8, "medium": 1.2, "large": 1.7}
# Activity = size factor x log-normal spread. Tuned so that 42 lists of the demo market reach
# ~2,500 companies with ~450 on 10+ lists (the book's shape), that core being mostly medium
# and large integrators with a minority of very active small ones.
ACTIVITY_SIGMA = 2.6
_SIZE_ACTIVITY = {"micro": 0.03, "small": 1.0, "medium": 15.0, "large": 100.0}

_LEGAL_FORMS = {
    ("RU", "micro"): (("ИП", 0.45), ("ООО", 0.55)),
    ("RU", "small"): (("ООО", 0.94), ("ЗАО", 0.03), ("АО", 0.03)),
    ("RU", "medium"): (("ООО", 0.8), ("АО", 0.13), ("ЗАО", 0.07)),
    ("RU", "large"): (("ООО", 0.5), ("АО", 0.35), ("ПАО", 0.08), ("ЗАО", 0.07)),
    ("KZ", "micro"): (("ИП", 0.3), ("ТОО", 0.7)),
    ("KZ", "small"): (("ТОО", 0.97), ("АО", 0.03)),
    ("KZ", "medium"): (("ТОО", 0.9), ("АО", 0.1)),
    ("KZ", "large"): (("ТОО", 0.7), ("АО", 0.3)),
    ("BY", "micro"): (("ИП", 0.3), ("ЧУП", 0.4), ("ООО", 0.3)),
    ("BY", "small"): (("ООО", 0.6), ("ЧУП", 0.3), ("УП", 0.1)),
    ("BY", "medium"): (("ООО", 0.7), ("УП", 0.15), ("ЗАО", 0.1), ("ОАО", 0.05)),
    ("BY", "large"): (("ООО", 0.5), ("ОАО", 0.2), ("ЗАО", 0.2), ("УП", 0.1)),
}

# Regions where oil and gas, or medicine-heavy public sector, shape the IT demand.
_OIL_REGIONS = (
    "Тюмен",
    "Ханты",
    "Ямало",
    "Татарстан",
    "Башкорт",
    "Оренбург",
    "Самар",
    "Томск",
    "Коми",
    "Сахалин",
    "Атырау",
    "Мангист",
)

_STREETS = (
    "ул. Ленина",
    "ул. Советская",
    "пр-т Мира",
    "ул. Гагарина",
    "ул. Пушкина",
    "ул. Кирова",
    "ул. Профсоюзная",
    "ул. Мира",
    "ул. Садовая",
    "ул. Центральная",
    "ул. Заводская",
    "ул. Октябрьская",
    "пр-т Ленина",
    "ул. Молодёжная",
    "ул. Победы",
    "ул. Строителей",
    "ш. Энтузиастов",
    "ул. Комсомольская",
    "ул. Лесная",
    "Ленинградский пр-т",
    "ул. Революционная",
    "ул. Набережная",
    "ул. Первомайская",
)
_BUSINESS_CENTRES = (
    "Омега",
    "Сити Плаза",
    "Атриум",
    "Меридиан",
    "Гранд",
    "Северный",
    "Технопарк",
    "Форум",
    "Президент",
    "Галерея",
)

_FREE_HOSTS = ("narod.ru", "ucoz.ru", "tilda.ws", "wixsite.com", "nethouse.ru", "ru.gg")
_FREE_MAIL = ("mail.ru", "yandex.ru", "bk.ru", "list.ru", "inbox.ru", "gmail.com", "ya.ru")
_EMAIL_BOXES = ("info", "info", "sales", "office", "mail", "zakaz", "partner", "secretary")
_TLDS = {
    "RU": ((".ru", 0.8), (".com", 0.1), (".su", 0.03), (".net", 0.03), (".pro", 0.04)),
    "KZ": ((".kz", 0.85), (".com", 0.15)),
    "BY": ((".by", 0.85), (".com", 0.15)),
}

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random() * sum(w for _, w in pairs)
    for value, weight in pairs:
        roll -= weight
        if roll <= 0:
            return value
    return pairs[-1][0]


def _size(rng: random.Random) -> tuple[str, int]:
    employees = max(1, int(rng.lognormvariate(math.log(22), 1.25)))
    if employees <= 15:
        return "micro", employees
    if employees <= 100:
        return "small", employees
    if employees <= 250:
        return "medium", employees
    return "large", employees


def phone_number(rng: random.Random, place: Place, mobile: bool = False) -> str:
    """An E.164 number: the city's area code when we know it, else a mobile number."""
    country = place.country
    codes = AREA_CODES.get(place.name_ru)
    prefix = rng.choice(MOBILE_PREFIXES[country]) if mobile or not codes else rng.choice(codes)
    rest = NATIONAL_LENGTH[country] - len(prefix)
    local = f"{rng.randint(2, 9)}{rng.randrange(10 ** (rest - 1)):0{rest - 1}d}"
    if country == "KZ" and not mobile and codes:
        local = "3" + local[1:]  # Kazakh fixed lines: subscriber numbers start with 2 or 3
    return f"+{COUNTRY_CODES[country]}{prefix}{local}"


def street_address(rng: random.Random) -> str:
    parts = [rng.choice(_STREETS), f"д. {rng.randint(1, 150)}"]
    if rng.random() < 0.3:
        parts.append(f"стр. {rng.randint(1, 9)}")
    if rng.random() < 0.15:
        parts.append(f"БЦ «{rng.choice(_BUSINESS_CENTRES)}»")
    if rng.random() < 0.7:
        parts.append(f"оф. {rng.randint(1, 950)}")
    return ", ".join(parts)


def _slug(text: str) -> str:
    return _SLUG_JUNK.sub("-", text.lower()).strip("-")


class _Registry:
    """Keeps identifiers, domains and (name, city) pairs unique across the population."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.domains: set[str] = set()
        self.name_city: set[tuple[str, str]] = set()

    def unique_id(self, make: Callable[..., str], *args: Any, **kwargs: Any) -> str:
        while True:
            value = make(*args, **kwargs)
            if value not in self.ids:
                self.ids.add(value)
                return value


def _domain(rng: random.Random, reg: _Registry, base: str, place: Place) -> str:
    slug = _slug(base).replace("-", "" if rng.random() < 0.5 else "-") or "it"
    tld = _weighted(rng, _TLDS[place.country])
    city = _slug(place.name_en)
    attempt = 0
    while True:
        # The plain name first, then with the city, then numbered (numbers widen with need).
        if attempt == 0:
            candidate = f"{slug}-{city}" if rng.random() < 0.15 else slug
        elif attempt == 1:
            candidate = f"{slug}-{city}"
        elif attempt < 10:
            candidate = f"{slug}{rng.randint(1, 99)}"
        else:
            candidate = f"{slug}-{city}{rng.randint(1, 10 * attempt)}"
        domain = candidate + tld
        if domain not in reg.domains:
            reg.domains.add(domain)
            return domain
        attempt += 1


def _sectors(rng: random.Random, size: str, place: Place) -> tuple[str, ...]:
    segments = []
    if size in ("medium", "large") or rng.random() < 0.25:
        segments.append("enterprise")
    if size in ("micro", "small") or rng.random() < 0.4:
        segments.append("smb")
    if rng.random() < (0.45 if size != "micro" else 0.15):
        segments.append("public")
    weights = {
        "oil_gas": 0.06,
        "medicine": 0.12,
        "retail": 0.15,
        "finance": 0.12,
        "manufacturing": 0.15,
        "education": 0.12,
        "telecom": 0.06,
        "transport": 0.06,
        "energy": 0.06,
    }
    if any(marker in place.region for marker in _OIL_REGIONS):
        weights["oil_gas"] = 0.45
        weights["energy"] = 0.2
    breadth = _SIZE_BREADTH[size]
    verticals = [v for v, w in weights.items() if rng.random() < min(0.9, w * breadth)]
    return (*segments, *verticals)


def _specialisations(rng: random.Random, size: str) -> tuple[str, ...]:
    breadth = _SIZE_BREADTH[size]
    chosen = [s for s in SPECIALISATIONS if rng.random() < min(0.95, _SPEC_BASE[s] * breadth)]
    if not chosen:
        chosen = [rng.choices(SPECIALISATIONS, weights=[_SPEC_BASE[s] for s in SPECIALISATIONS])[0]]
    return tuple(chosen)


def _office(rng: random.Random, place: Place, phone: str, kpp_value: str | None) -> Office:
    return Office(
        city_key=place.key,
        city=place.name_ru,
        city_en=place.name_en,
        region=place.region,
        federal_district=place.federal_district,
        country=place.country,
        address=street_address(rng),
        phone=phone,
        kpp=kpp_value,
    )


_INN_REGION = {"Москва": "77", "Санкт-Петербург": "78"}


def generate_population(
    config: MarketConfig, gaz: Gazetteer, rng: random.Random
) -> list[TruthCompany]:
    countries = [c for c, _ in config.country_mix if c in gaz.countries()]
    weights = [w for c, w in config.country_mix if c in gaz.countries()]
    country_cum = list(itertools.accumulate(weights))
    reg = _Registry()
    companies: list[TruthCompany] = []
    for cid in range(config.n_companies):
        country = rng.choices(countries, cum_weights=country_cum)[0]
        size, employees = _size(rng)
        legal_form = _weighted(rng, _LEGAL_FORMS[(country, size)])
        place = gaz.sample(rng, country)
        person = legal_form == "ИП"

        brand: str | None = None
        if person:
            pname = person_name(rng)
            name, name_en, style = pname.full, None, "person"
            if rng.random() < 0.5:
                trade = company_name(rng, district=place.federal_district, city=place.name_ru)
                brand, name_en = trade.name, trade.name_en
        else:
            for _ in range(30):
                generated = company_name(rng, district=place.federal_district, city=place.name_ru)
                # Same name in different cities is fine (and wanted); in one city, not.
                if (generated.name, place.key) not in reg.name_city:
                    break
            while (generated.name, place.key) in reg.name_city:  # a crowded city: "Альянс-М"
                tail, tail_en = rng.choice(NAME_TAILS)
                english = generated.name_en + tail_en if generated.name_en else None
                generated = GeneratedName(generated.name + tail, english, generated.style)
            reg.name_city.add((generated.name, place.key))
            name, name_en, style = generated.name, generated.name_en, generated.style

        registered = min(2024, int(2025 - rng.expovariate(1 / 11)))
        registered = max(1991, registered)
        liquidated = None
        if rng.random() < 0.06:
            liquidated = rng.randint(max(registered + 1, 2018), 2025)

        # Renames: a new brand, or the 2014 civil-code reform turning ЗАО into АО.
        former_name = former_form = None
        renamed_year = None
        if not person and registered < 2016:
            if legal_form == "АО" and rng.random() < 0.35:
                former_form, renamed_year = "ЗАО", rng.randint(2015, 2021)
                former_name = name
            elif rng.random() < 0.07:
                former_name = company_name(
                    rng, district=place.federal_district, city=place.name_ru
                ).name
                former_form = legal_form
                renamed_year = rng.randint(2016, 2023)

        # Identifiers.
        inn_v = ogrn_v = kpp_v = bin_v = unp_v = None
        if country == "RU":
            region = _INN_REGION.get(place.name_ru)
            kind = "person" if person else "company"
            inn_v = reg.unique_id(inn.generate, rng, kind=kind, region=region)
            ogrn_v = reg.unique_id(
                ogrn.generate, rng, kind=kind, region=region, year=max(2002, registered)
            )
            if not person:
                kpp_v = kpp.generate(rng, inn=inn_v)
        elif country == "KZ":
            bin_v = reg.unique_id(bin_kz.generate, rng, kind="iin" if person else "bin")
        else:
            unp_v = reg.unique_id(unp_by.generate, rng, kind="person" if person else "company")

        # Web presence.
        website = domain = None
        web_base = name_en or brand or (name if not person else None)
        roll = rng.random()
        no_site = {"micro": 0.35, "small": 0.1, "medium": 0.03, "large": 0.0}[size]
        if web_base is not None and roll >= no_site:
            base = web_base if web_base.isascii() else latin(web_base, "yandex_maps")
            if roll < no_site + (0.12 if size == "micro" else 0.04):
                # A site on free hosting: its own subdomain of a shared host.
                host = rng.choice(_FREE_HOSTS)
                slug = _slug(base) or "site"
                domain = f"{slug}.{host}"
                while domain in reg.domains:
                    domain = f"{slug}{rng.randint(1, 9999)}.{host}"
                reg.domains.add(domain)
            else:
                domain = _domain(rng, reg, base, place)
            scheme = "https://" if rng.random() < 0.7 else "http://"
            www = "www." if rng.random() < 0.4 else ""
            website = f"{scheme}{www}{domain}"
        if domain and not domain.endswith(_FREE_HOSTS):
            email = f"{rng.choice(_EMAIL_BOXES)}@{domain}"
        else:
            local = _slug(latin(brand or name, "yandex_maps")).replace("-", "")[:20]
            email = f"{local or 'it'}{rng.randint(1, 999)}@{rng.choice(_FREE_MAIL)}"
            while email in reg.ids:  # a mailbox belongs to one company
                email = f"{local or 'it'}{rng.randint(1, 99999)}@{rng.choice(_FREE_MAIL)}"
            reg.ids.add(email)

        # A new brand usually came with a new site; lists with the old name show the old one.
        former_website = former_domain = former_email = None
        if former_name and former_name != name and website and rng.random() < 0.6:
            former_domain = _domain(rng, reg, latin(former_name, "yandex_maps"), place)
            former_website = f"{website.split(domain)[0]}{former_domain}"
            former_email = f"{email.split('@')[0]}@{former_domain}"

        # Offices.
        mobile = person or rng.random() < 0.2
        hq = _office(rng, place, phone_number(rng, place, mobile=mobile), kpp_v)
        n_branches = 0
        branch_rate = {"micro": 0.0, "small": 0.04, "medium": 0.25, "large": 0.65}[size]
        if rng.random() < branch_rate:
            n_branches = 1 + min(9, int(rng.expovariate(1 / (3.0 if size == "large" else 1.0))))
        branches = []
        used = {place.key}
        for _ in range(n_branches):
            bplace = gaz.sample_branch(rng, country, used)
            used.add(bplace.key)
            bkpp = kpp.generate(rng, reason="43") if country == "RU" else None
            branches.append(_office(rng, bplace, phone_number(rng, bplace), bkpp))

        breadth = _SIZE_ACTIVITY[size]
        activity = breadth * rng.lognormvariate(0.0, ACTIVITY_SIGMA)
        companies.append(
            TruthCompany(
                id=cid,
                country=country,
                legal_form=legal_form,
                name=name,
                name_en=name_en,
                brand=brand,
                former_name=former_name,
                former_legal_form=former_form,
                renamed_year=renamed_year,
                registered_year=registered,
                liquidated_year=liquidated,
                inn=inn_v,
                ogrn=ogrn_v,
                kpp=kpp_v,
                bin=bin_v,
                unp=unp_v,
                website=website,
                domain=domain,
                email=email,
                hq=hq,
                branches=tuple(branches),
                specialisations=_specialisations(rng, size),
                sectors=_sectors(rng, size, place),
                size=size,
                employees=employees,
                activity=activity,
                name_style=style,
                former_website=former_website,
                former_domain=former_domain,
                former_email=former_email,
            )
        )
    assert all(c.size in SIZES for c in companies)
    return companies
