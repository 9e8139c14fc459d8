"""How a partner list shows its companies: the distortions real locators have.

Every list gets a *style* (its habits: where it puts the legal form, which quotes, whether
it shouts in upper case, how it spells cities and phones, which columns it has, how often a
partner left a field empty). Rows then follow the style with row-level variation, because
locator entries are typed by hundreds of different partners. On top: typos, transliteration
on English-language pages, branch offices listed with the branch city, old names on lists
older than a rename, duplicates inside one list and garbage rows. ``hard`` noise turns every
rate up and adds homoglyphs, INNs that lost their leading zero in Excel, INNs with a typo,
INN/KPP pairs in one cell and absurdly long garbage. (Repeated header rows and title lines
are layout, not rows: ``writers`` adds them.)
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .model import FIELDS, Office, PartnerList, SourceRow, TruthCompany
from .names import latin
from .places import AREA_CODES, CITY_ALIASES, COUNTRY_NAMES, MOBILE_PREFIXES, NATIONAL_LENGTH
from .vendors import VendorSpec

LEGAL_FORM_WORDS = {
    "ООО": "Общество с ограниченной ответственностью",
    "АО": "Акционерное общество",
    "ПАО": "Публичное акционерное общество",
    "ЗАО": "Закрытое акционерное общество",
    "ОАО": "Открытое акционерное общество",
    "ИП": "Индивидуальный предприниматель",
    "ТОО": "Товарищество с ограниченной ответственностью",
    "ЧУП": "Частное унитарное предприятие",
    "УП": "Унитарное предприятие",
}
LEGAL_FORM_LATIN = {
    "ООО": ("LLC", "OOO", "Ltd.", "LLC"),
    "АО": ("JSC", "AO", "JSC"),
    "ПАО": ("PJSC", "PAO"),
    "ЗАО": ("CJSC", "ZAO", "JSC"),
    "ОАО": ("OJSC", "OAO"),
    "ИП": ("IE", "IP", "Individual Entrepreneur"),
    "ТОО": ("LLP", "TOO"),
    "ЧУП": ("PUE", "ChUP"),
    "УП": ("UE", "UP"),
}
QUOTES = (("«", "»"), ('"', '"'), ("„", "“"), ("'", "'"), ("", ""))

SPEC_LABELS = {
    "ru": {
        "hardware": ("Серверы и СХД", "Компьютерное оборудование", "Оборудование"),
        "virtualisation": ("Виртуализация",),
        "av": ("Аудио-видео", "Презентационное оборудование", "ВКС"),
        "iot": ("Интернет вещей", "IoT"),
        "networking": ("Сетевые решения", "Сетевое оборудование", "Сети"),
        "infosec": ("Информационная безопасность", "ИБ", "Защита информации"),
        "enterprise_solutions": ("Комплексные решения", "Корпоративные системы"),
        "storage": ("Системы хранения данных", "СХД", "Хранение данных"),
        "cloud": ("Облачные решения", "Облака", "Облачные сервисы"),
    },
    "en": {
        "hardware": ("Compute", "Hardware", "Servers"),
        "virtualisation": ("Virtualization", "Data Center Virtualization"),
        "av": ("Audio Visual", "Collaboration", "AV"),
        "iot": ("IoT", "Internet of Things"),
        "networking": ("Networking", "Routing & Switching", "Wireless"),
        "infosec": ("Security", "Cybersecurity", "Network Security"),
        "enterprise_solutions": ("Enterprise Solutions", "Business Applications"),
        "storage": ("Storage", "Data Protection"),
        "cloud": ("Cloud", "Cloud Services", "Hybrid Cloud"),
    },
}

HEADERS = {
    "ru": {
        "name": ("Название", "Наименование", "Компания", "Партнёр", "Наименование партнёра"),
        "inn": ("ИНН",),
        "country": ("Страна",),
        "region": ("Регион",),
        "city": ("Город",),
        "address": ("Адрес",),
        "website": ("Сайт", "Веб-сайт"),
        "phone": ("Телефон",),
        "email": ("E-mail", "Email"),
        "level": ("Статус", "Уровень", "Уровень партнёрства"),
        "specialisations": ("Специализация", "Компетенции", "Направления"),
    },
    "en": {
        "name": ("Partner", "Company", "Partner Name", "Company Name"),
        "inn": ("INN", "TIN"),
        "country": ("Country",),
        "region": ("Region",),
        "city": ("City",),
        "address": ("Address",),
        "website": ("Website", "URL", "Web"),
        "phone": ("Phone",),
        "email": ("E-mail", "Email"),
        "level": ("Level", "Tier", "Partner Level", "Status"),
        "specialisations": ("Competencies", "Specializations", "Competency"),
    },
}

# Schemes that stay within plain ASCII letters (pages written by people, not librarians).
_SCHEMES = (
    "wikipedia",
    "bgn_pcgn",
    "icao_doc_9303",
    "mvd_310",
    "yandex_money",
    "telegram",
    "yandex_maps",
)
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХаеорсх", "ABEKMHOPCTXaeopcx")
_KEYBOARD_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
# A key's right-hand neighbour on the Russian keyboard (the last key of a row: left-hand).
_KEY_NEIGHBOURS = {
    row[i]: row[i + 1] if i + 1 < len(row) else row[i - 1]
    for row in _KEYBOARD_ROWS
    for i in range(len(row))
}
_GARBAGE_NAMES = ("Итого", "—", "-", "тест", "Test partner", "н/д", "???", "ПАРТНЁР УДАЛЁН")


@dataclass(frozen=True, slots=True)
class ListStyle:
    """A list's habits (see module docstring). Rates are per row."""

    legal_form: str  # prefix | suffix | full | none
    quote: tuple[str, str]
    upper: float
    latin: float  # share of rows in Latin letters
    scheme: str  # iuliia scheme the page's Latin spellings follow
    city_style: str  # plain | g | g_tight | upper | en
    phone_style: int
    website_style: int
    spec_sep: str
    inn_fill: float
    missing: float  # base chance that an optional field is empty
    typo: float
    stale: float  # chance a renamed company still shows its old name on a newer list
    short: float  # chance a name is abbreviated
    branch_row: float  # chance a company with branches is listed at a branch
    all_offices: bool  # the list shows every office of a company as its own row
    duplicate: float
    garbage: float
    order: str  # name | city | level | none
    hard: bool


def _pick_columns(spec: VendorSpec, rng: random.Random, hard: bool) -> tuple[str, ...]:
    wanted = {"name"}
    chances = {
        "city": 0.95,
        "website": 0.75,
        "phone": 0.6,
        "email": 0.35,
        "address": 0.3,
        "region": 0.2,
        "specialisations": 0.35,
    }
    for column, chance in chances.items():
        if rng.random() < chance:
            wanted.add(column)
    if spec.levels and rng.random() < 0.85:
        wanted.add("level")
    if spec.reach in ("cis", "kz", "by") and rng.random() < 0.5:
        wanted.add("country")
    # Draw both numbers always, so that default and hard noise give lists the same habits.
    inn_roll, hard_roll = rng.random(), rng.random()
    if inn_roll < spec.inn_column or (hard and spec.language == "ru" and hard_roll < 0.1):
        wanted.add("inn")
    return tuple(f for f in FIELDS if f in wanted)


def plan_list(
    spec: VendorSpec, list_id: int, target_size: int, rng: random.Random, hard: bool
) -> tuple[PartnerList, ListStyle, tuple[str, ...]]:
    """The published list's identity, its style and its column headers."""
    columns = _pick_columns(spec, rng, hard)
    language = spec.language
    headers = tuple(rng.choice(HEADERS[language][c]) for c in columns)
    if spec.reach == "kz" and "inn" in columns:
        headers = tuple("БИН" if c == "inn" else h for c, h in zip(columns, headers, strict=True))
    if spec.reach == "by" and "inn" in columns:
        headers = tuple("УНП" if c == "inn" else h for c, h in zip(columns, headers, strict=True))
    k = 1.8 if hard else 1.0
    english = language == "en"
    style = ListStyle(
        legal_form=rng.choices(("prefix", "suffix", "full", "none"), (0.55, 0.15, 0.05, 0.25))[0],
        quote=rng.choices(QUOTES, (0.45, 0.35, 0.03, 0.02, 0.15))[0],
        upper=min(0.95, (0.9 if rng.random() < 0.08 else 0.03) * (1.5 if hard else 1.0)),
        latin=(0.85 if english else 0.04) * (1.0 if english else k),
        scheme=rng.choice(_SCHEMES),
        city_style=(
            "en"
            if english and rng.random() < 0.85
            else rng.choices(("plain", "g", "g_tight", "upper"), (0.6, 0.25, 0.1, 0.05))[0]
        ),
        phone_style=rng.randrange(7),
        website_style=rng.randrange(5),
        spec_sep=rng.choice((", ", "; ", " / ", "\n" if not english else ", ")),
        inn_fill=rng.uniform(0.3, 0.9),
        missing=min(0.5, rng.uniform(0.03, 0.15) * k),
        typo=min(0.3, 0.03 * k * (1.5 if hard else 1.0)),
        stale=0.2 * k,
        short=0.05 * k * (1.5 if hard else 1.0),
        branch_row=min(0.8, 0.25 * k),
        all_offices=rng.random() < (0.15 * k),
        duplicate=0.01 * k * (1.5 if hard else 1.0),
        garbage=0.004 * k * (2.5 if hard else 1.0),
        order=rng.choices(("name", "city", "level", "none"), (0.45, 0.2, 0.15, 0.2))[0],
        hard=hard,
    )
    partner_list = PartnerList(
        id=list_id,
        source_name=spec.slug,
        vendor=spec.vendor,
        kind=spec.kind,
        language=language,
        focus=spec.focus,
        levels=spec.levels,
        reach=spec.reach,
        as_of=spec.as_of,
        format=spec.format,
        columns=columns,
        target_size=target_size,
    )
    return partner_list, style, headers


# --- text distortions ----------------------------------------------------------------------


def typo(text: str, rng: random.Random, hard: bool = False) -> str:
    """One keyboard slip: swap, drop, double, neighbour key, ё/е, or (hard) a Latin homoglyph."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    kind = rng.randrange(6 if hard else 5)
    if kind == 0:  # swap with the next letter; the last letter has none to swap with
        if i + 1 < len(text) and text[i + 1].isalpha():
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    if kind == 3:
        low = text[i].lower()
        if low in _KEY_NEIGHBOURS:
            repl = _KEY_NEIGHBOURS[low]
            return text[:i] + (repl.upper() if text[i].isupper() else repl) + text[i + 1 :]
        return text
    if kind == 4:
        return text.replace("ё", "е").replace("Ё", "Е") if "ё" in text.lower() else text
    return text.translate(_HOMOGLYPHS)


# Words a list may drop from a name without anyone noticing (Russian and English).
_GENERIC_WORDS = frozenset(
    (
        "плюс", "групп", "group", "сервис", "service", "системс", "systems", "трейд", "trade",
        "инжиниринг", "engineering", "центр", "centre", "софт", "soft", "телеком", "telecom",
        "интеграция", "integration", "м",
    )
)  # fmt: skip


def short_name(name: str) -> str:
    """How a list abbreviates a name: a descriptive phrase reduced to its initials
    ("Сибирские сетевые решения" -> "ССР"), or generic words dropped ("Альянс-Телеком" ->
    "Альянс"); names with nothing to drop stay as they are."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) >= 3 and all(w[:1].isalpha() and w[:1].islower() for w in words[1:]):
        return "".join(w[0].upper() for w in words)
    kept = [w for w in words if w.casefold() not in _GENERIC_WORDS]
    shorter = " ".join(kept)
    if kept and len(kept) < len(words) and len(shorter) >= 4:
        return shorter
    return name


def _quoted(name: str, quote: tuple[str, str]) -> str:
    return f"{quote[0]}{name}{quote[1]}"


def render_name(
    company: TruthCompany,
    as_of: int,
    style: ListStyle,
    rng: random.Random,
    branch_city: str | None,
    english: bool,
) -> tuple[str, list[str]]:
    tags: list[str] = []
    name, form = company.name_on(as_of)
    current = (name, form) == (company.name, company.legal_form)
    # Partner entries go stale: a list updated after the rename may still show the old name.
    if company.former and current and rng.random() < style.stale:
        name, form = company.former
    if (name, form) != (company.name, company.legal_form):
        tags.append("old_name")
    person = form == "ИП"
    if person and company.brand and rng.random() < 0.6:
        name, form = company.brand, ""  # listed under the trade name
        tags.append("brand")
    elif person and rng.random() < 0.4:
        surname, first, patronymic = name.split(" ")
        name = f"{surname} {first[0]}.{patronymic[0]}."
    if rng.random() < style.short:
        shorter = short_name(name)
        if shorter != name:
            name = shorter
            tags.append("short_name")
    use_latin = rng.random() < style.latin
    if use_latin:
        tags.append("latin")
        official = company.name_en if name in (company.name, company.brand) else None
        name = official if official and rng.random() < 0.8 else latin(name, style.scheme)
    elif company.name_en and not english and rng.random() < 0.06:
        name = company.name_en  # the partner typed its Latin brand into a Russian form
        tags.append("latin")
        use_latin = True

    placement = style.legal_form
    if rng.random() < 0.25:
        placement = rng.choices(("prefix", "suffix", "full", "none"), (0.4, 0.25, 0.1, 0.25))[0]
    quote = style.quote if rng.random() < 0.85 else rng.choice(QUOTES)
    if person and placement != "none":
        quote = ("", "")  # nobody quotes a person's name
    if not form:
        placement = "none"
    if use_latin and form:
        latin_form = rng.choice(LEGAL_FORM_LATIN.get(form, (form,)))
        if placement == "prefix":
            text = f"{latin_form} {_quoted(name, quote)}"
        elif placement in ("suffix", "full"):
            text = f"{name}, {latin_form}" if rng.random() < 0.5 else f"{name} {latin_form}"
        else:
            text = name
    elif placement == "prefix":
        text = f"{form} {_quoted(name, quote)}"
    elif placement == "suffix":
        text = f"{_quoted(name, quote)}, {form}" if rng.random() < 0.7 else f"{name} {form}"
    elif placement == "full":
        text = f"{LEGAL_FORM_WORDS.get(form, form)} {_quoted(name, quote)}"
    else:
        text = _quoted(name, quote) if rng.random() < 0.3 else name
    tags.append(f"form_{placement}")

    if branch_city and rng.random() < 0.3:
        text = f"{text} ({branch_city} branch)" if english else f"{text}, филиал в г. {branch_city}"
        tags.append("branch_label")
    if rng.random() < style.typo:
        text = typo(text, rng, style.hard)
        tags.append("typo")
    if rng.random() < style.upper:
        text = text.upper()
        tags.append("upper")
    if style.hard and rng.random() < 0.05:
        text = f"  {text.replace(' ', '  ', 1)} "
        tags.append("spaces")
    return text, tags


def render_city(city: str, city_en: str, style: ListStyle, rng: random.Random) -> str:
    aliases = CITY_ALIASES.get(city)
    if aliases and rng.random() < 0.3:
        ascii_wanted = style.city_style == "en"
        fitting = [a for a in aliases if a.isascii() == ascii_wanted] or list(aliases)
        return rng.choice(fitting)
    if style.city_style == "en":
        return city_en if rng.random() < 0.6 else latin(city, style.scheme)
    if style.city_style == "g":
        return f"г. {city}"
    if style.city_style == "g_tight":
        return f"г.{city}"
    if style.city_style == "upper":
        return city.upper()
    return city


def _split_phone(e164: str, country: str, city: str) -> tuple[str, str, str]:
    """(country code, area or mobile code, subscriber number) of an E.164 number we made."""
    cc = "375" if country == "BY" else "7"
    national = e164[1 + len(cc) :]
    for code in (*AREA_CODES.get(city, ()), *MOBILE_PREFIXES[country]):
        if national.startswith(code) and len(national) == NATIONAL_LENGTH[country]:
            return cc, code, national[len(code) :]
    return cc, national[:3], national[3:]


def _group(digits: str) -> str:
    """Subscriber digits the Russian way: 123-45-67, 12-34-56, 2-34-56."""
    if len(digits) <= 4:
        return digits
    head, tail = digits[:-4], digits[-4:]
    return f"{head}-{tail[:2]}-{tail[2:]}"


def render_phone(e164: str, country: str, city: str, style: ListStyle, rng: random.Random) -> str:
    cc, code, local = _split_phone(e164, country, city)
    fmt = style.phone_style if rng.random() < 0.8 else rng.randrange(7)
    trunk = "8"
    if cc == "375":
        code = "0" + code  # Belarus dials 8 0XX inside the country
    if fmt == 0:
        text = f"+{cc} ({code.lstrip('0')}) {_group(local)}"
    elif fmt == 1:
        text = f"{trunk} ({code}) {_group(local)}"
    elif fmt == 2:
        text = f"+{cc} {code.lstrip('0')} {local[:-4]} {local[-4:-2]} {local[-2:]}"
    elif fmt == 3:
        text = f"{trunk}{code}{local}"
    elif fmt == 4:
        text = e164
    elif fmt == 5:
        text = f"({code}) {_group(local)}"
    else:
        text = f"+{cc}-{code.lstrip('0')}-{_group(local)}"
    if rng.random() < 0.08:
        text += rng.choice((" доб. ", " (доб. ", " ext. ", " вн. ")) + str(rng.randint(100, 999))
        if "(доб." in text:
            text += ")"
    return text


def render_website(website: str, domain: str, style: ListStyle, rng: random.Random) -> str:
    fmt = style.website_style if rng.random() < 0.8 else rng.randrange(5)
    if fmt == 0:
        text = website
    elif fmt == 1:
        text = domain
    elif fmt == 2:
        text = f"www.{domain}"
    elif fmt == 3:
        text = f"http://{domain}/"
    else:
        text = f"https://www.{domain}"
    if style.hard and rng.random() < 0.05:
        text = text.upper()
    return text


def render_inn(tax_id: str, company: TruthCompany, style: ListStyle, rng: random.Random) -> str:
    text = tax_id
    if style.hard:
        roll = rng.random()
        if roll < 0.04 and text.startswith("0"):
            text = text.lstrip("0")  # Excel ate the leading zero
        elif roll < 0.06:
            i = rng.randrange(len(text))
            text = text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]  # a typo
        elif roll < 0.1 and company.kpp:
            text = f"{text}/{company.kpp}"
    return text


class RowRenderer:
    """Renders the rows of one list."""

    def __init__(self, plist: PartnerList, style: ListStyle, rng: random.Random) -> None:
        self.plist = plist
        self.style = style
        self.rng = rng
        self.english = plist.language == "en"

    def level_for(self, rank: float) -> str:
        """``rank`` in [0, 1): the company's activity rank on this list, 0 = most active."""
        levels = self.plist.levels
        if not levels:
            return ""
        # Top 5% get the highest level, next 20% the next one, the rest share the lower ones.
        cut = (0.05, 0.25, 0.55, 1.01)
        from_top = next(i for i, c in enumerate(cut) if rank < c)
        index = max(0, len(levels) - 1 - from_top)
        label = levels[index]
        if self.style.hard and self.rng.random() < 0.1:
            label = label.upper()
        return label

    def _in_reach(self, office: Office) -> bool:
        reach = self.plist.reach
        if reach.startswith("region:"):
            return office.federal_district in reach.removeprefix("region:").split("|")
        if reach in ("kz", "by"):
            return office.country == reach.upper()
        return True

    def _hq_outside_reach(self, company: TruthCompany) -> bool:
        return not self._in_reach(company.hq)

    def company_rows(
        self, company: TruthCompany, level: str
    ) -> list[tuple[dict[str, str], str, tuple[str, ...]]]:
        rng, style = self.rng, self.style
        offices: list[tuple[int, str]]
        if company.branches and style.all_offices:
            chosen = [0, *range(1, 1 + min(3, len(company.branches)))]
            offices = [(i, "hq" if i == 0 else "branch") for i in chosen]
        elif company.branches and self._hq_outside_reach(company):
            # A regional list shows the office in its region.
            inside = [i for i, o in enumerate(company.offices) if self._in_reach(o)]
            offices = [(rng.choice(inside), "branch")] if inside else [(0, "hq")]
        elif company.branches and rng.random() < style.branch_row:
            offices = [(rng.randint(1, len(company.branches)), "branch")]
        else:
            offices = [(0, "hq")]
        return [self.render(company, i, kind, level) for i, kind in offices]

    def render(
        self, company: TruthCompany, office_index: int, office_kind: str, level: str
    ) -> tuple[dict[str, str], str, tuple[str, ...]]:
        rng, style, plist = self.rng, self.style, self.plist
        office = company.offices[office_index]
        city_label = office.city_en if self.english else office.city
        name, tags = render_name(
            company,
            plist.as_of,
            style,
            rng,
            city_label if office_kind == "branch" else None,
            self.english,
        )
        fields: dict[str, str] = {}
        missing = style.missing
        website, domain, email = company.website, company.domain, company.email
        if "old_name" in tags and company.former_domain:
            website, domain = company.former_website, company.former_domain
            email = company.former_email or email
        for column in plist.columns:
            value = ""
            if column == "name":
                value = name
            elif column == "inn":
                tax_id = company.tax_id
                if tax_id and rng.random() < style.inn_fill:
                    value = render_inn(tax_id, company, style, rng)
            elif column == "city":
                if rng.random() >= missing * 0.4:
                    value = render_city(office.city, office.city_en, style, rng)
            elif column == "region":
                if rng.random() >= missing and office.region:
                    value = latin(office.region, style.scheme) if self.english else office.region
            elif column == "country":
                names = COUNTRY_NAMES[office.country]
                value = names[1] if self.english else names[0]
                if rng.random() < 0.1:
                    value = rng.choice([n for n in names if n.isascii() == self.english])
            elif column == "address":
                if rng.random() >= missing * 2:
                    value = latin(office.address, style.scheme) if self.english else office.address
                    if rng.random() < 0.3:
                        value = f"г. {office.city}, {value}" if not self.english else value
            elif column == "website":
                if website and domain and rng.random() >= missing:
                    value = render_website(website, domain, style, rng)
            elif column == "phone":
                if rng.random() >= missing * 1.5:
                    value = render_phone(office.phone, office.country, office.city, style, rng)
            elif column == "email":
                if rng.random() >= missing * 2:
                    value = email
            elif column == "level":
                value = level
            elif column == "specialisations":
                codes = [s for s in company.specialisations if s in plist.focus]
                if codes and rng.random() >= missing:
                    labels = SPEC_LABELS[plist.language]
                    value = style.spec_sep.join(rng.choice(labels[c]) for c in codes)
            fields[column] = value
        return fields, office_kind, tuple(tags)

    def garbage(self) -> tuple[dict[str, str], str, tuple[str, ...]]:
        rng, columns = self.rng, self.plist.columns
        fields = dict.fromkeys(columns, "")
        roll = rng.random()
        if roll < 0.4:
            fields["name"] = rng.choice(_GARBAGE_NAMES)
            if fields["name"] == "Итого":
                fields["name"] = f"Итого: {rng.randint(20, 900)}"
        elif roll < 0.7 and "phone" in columns:
            fields["phone"] = f"+7 ({rng.randint(300, 999)}) {rng.randint(100, 999)}-00-00"
        elif roll < 0.85:
            fields["name"] = rng.choice(("ООО", "ИП", "АО", "LLC"))  # a name that is only a form
        else:
            fields["name"] = "x" * rng.randint(300, 600) if self.style.hard else "."
        return fields, "none", ("garbage",)


def render_list(
    plist: PartnerList,
    style: ListStyle,
    members: list[TruthCompany],
    rng: random.Random,
) -> list[SourceRow]:
    """All rows of one list, in file order, numbered from 1."""
    renderer = RowRenderer(plist, style, rng)
    by_activity = sorted(members, key=lambda c: -c.activity)
    rank = {c.id: i / max(1, len(members)) for i, c in enumerate(by_activity)}
    drafts: list[tuple[int | None, dict[str, str], str, tuple[str, ...], int]] = []
    for company in members:
        level = renderer.level_for(rank[company.id])
        level_rank = plist.levels.index(level) if level in plist.levels else 0
        for fields, office, tags in renderer.company_rows(company, level):
            drafts.append((company.id, fields, office, tags, level_rank))
            if rng.random() < style.duplicate:
                again, office2, tags2 = renderer.render(company, 0, "hq", level)
                if rng.random() < 0.5:
                    again = dict(fields)
                drafts.append((company.id, again, office2, (*tags2, "duplicate"), level_rank))
    n_garbage = sum(1 for _ in range(len(drafts)) if rng.random() < style.garbage)
    garbage = [(None, *renderer.garbage(), 0) for _ in range(n_garbage)]

    def key_name(d: tuple) -> str:  # type: ignore[type-arg]
        return d[1].get("name", "").strip(" «»\"'„“").casefold()

    if style.order == "name":
        drafts.sort(key=key_name)
    elif style.order == "city":
        drafts.sort(key=lambda d: (d[1].get("city", "").casefold(), key_name(d)))
    elif style.order == "level":
        drafts.sort(key=lambda d: (-d[4], key_name(d)))
    else:
        rng.shuffle(drafts)
    for item in garbage:  # garbage lands anywhere, "Итого" at the end
        position = (
            len(drafts)
            if item[1].get("name", "").startswith("Итого")
            else rng.randint(0, len(drafts))
        )
        drafts.insert(position, item)
    return [
        SourceRow(
            list_id=plist.id,
            source_name=plist.source_name,
            row=number,
            company_id=cid,
            fields=fields,
            office=office,
            noise=tags,
        )
        for number, (cid, fields, office, tags, _level) in enumerate(drafts, start=1)
    ]
