"""Recognise column headers of partner lists in Russian and English.

A header is lower-cased, ``ё`` folded to ``е`` and stripped of punctuation, then matched first
against exact synonyms and then against ordered keyword rules. The order matters: "Partner
level" is a level, not a name; "Адрес сайта" is a website, not an address; "Контактный телефон"
is a phone, not a contact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .errors import MappingError

# Canonical fields a row can carry. ``ignore`` drops a column on purpose.
FIELDS: tuple[str, ...] = (
    "name",
    "inn",
    "ogrn",
    "kpp",
    "bin",
    "unp",
    "legal_form",
    "city",
    "region",
    "federal_district",
    "country",
    "address",
    "website",
    "phone",
    "email",
    "level",
    "vendor",
    "specialisations",
    "sectors",
    "contact",
    "comment",
)
IGNORE = "ignore"

_EXACT: dict[str, str] = {
    # name
    "название": "name",
    "наименование": "name",
    "компания": "name",
    "организация": "name",
    "партнер": "name",
    "partner": "name",
    "company": "name",
    "name": "name",
    "организационно правовая форма": "legal_form",
    "опф": "legal_form",
    "legal form": "legal_form",
    "г": "city",
    "тел": "phone",
    "url": "website",
    "www": "website",
    "e mail": "email",
    "email": "email",
    "fd": "federal_district",
    "фо": "federal_district",
}

# (field, pattern) in priority order; first match wins.
_RULES: tuple[tuple[str, str], ...] = (
    ("inn", r"\b(инн|inn|tin|tax ?id|taxpayer|идентификационный номер налогоплательщика)\b"),
    ("ogrn", r"\b(огрн|огрнип|ogrn|ogrnip|psrn)\b"),
    ("kpp", r"\b(кпп|kpp)\b"),
    ("bin", r"\b(бин|bin|иин|iin)\b"),
    ("unp", r"\b(унп|unp)\b"),
    ("email", r"\b(e ?mail|эл почта|электронн\w* почт\w*|почта|емейл|имейл|мейл)\b"),
    ("website", r"\b(сайт\w*|веб|web ?site|web|url|www|домен|domain|интернет|homepage)\b"),
    ("phone", r"\b(телефон\w*|тел|phone\w*|tel|telephone|mobile|моб\w*|факс|fax)\b"),
    ("legal_form", r"\b(правов\w* форм\w*|legal form|опф)\b"),
    (
        "level",
        r"\b(статус\w*|уровень|уровня|level|tier|status|категори\w*|grade|ранг|"
        r"партнерство|partnership)\b",
    ),
    (
        "specialisations",
        r"\b(специализаци\w*|компетенци\w*|competenc\w*|speciali[sz]\w*|направлени\w*|"
        r"expertise|решени\w*|solutions?|продукт\w*|products?|технологи\w*)\b",
    ),
    (
        "sectors",
        r"\b(сектор\w*|отрасл\w*|industr\w*|vertical\w*|вертикал\w*|sectors?|сегмент\w*|"
        r"segments?|рынок|market)\b",
    ),
    ("vendor", r"\b(вендор\w*|vendors?|производител\w*|brand|бренд\w*|manufacturer)\b"),
    ("federal_district", r"\b(федеральн\w* округ\w*|federal district)\b"),
    ("address", r"\b(адрес\w*|address\w*|addr|местонахождени\w*)\b"),
    ("city", r"\b(город\w*|city|cities|town|населенн\w* пункт\w*|нас пункт|locality)\b"),
    ("region", r"\b(регион\w*|region\w*|област\w*|кра[йя]|субъект\w*|province|state)\b"),
    ("country", r"\b(стран\w*|country|countries)\b"),
    ("contact", r"\b(контактн\w* лиц\w*|контакт\w*|contact\w*|фио|person)\b"),
    ("comment", r"\b(комментари\w*|примечани\w*|comments?|notes?|описание|description)\b"),
    (
        "name",
        r"\b(название|наименовани\w*|компани\w*|организаци\w*|partner\w*|company|companies|"
        r"name|партнер\w*|фирм\w*|юр лицо|юридическое лицо|account|reseller|integrator|"
        r"интегратор\w*|реселлер\w*|дилер\w*|dealer)\b",
    ),
)
_COMPILED = tuple((field, re.compile(pattern)) for field, pattern in _RULES)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_header(text: object) -> str:
    """Lower case, ``ё``→``е``, punctuation to single spaces.

    >>> normalise_header("  Наименование  партнёра:* ")
    'наименование партнера'
    """
    value = str(text or "").replace("\ufeff", "").lower().replace("ё", "е")
    return _NON_WORD.sub(" ", value).strip()


def recognise_header(text: object) -> str | None:
    """Return the canonical field a column header names, or ``None``.

    >>> recognise_header("Наименование")
    'name'
    >>> recognise_header("Partner level")
    'level'
    >>> recognise_header("ИНН организации")
    'inn'
    >>> recognise_header("Адрес сайта")
    'website'
    >>> recognise_header("Количество сотрудников") is None
    True
    """
    key = normalise_header(text)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    for field, pattern in _COMPILED:
        if pattern.search(key):
            return field
    return None


def parse_mapping(items: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """Parse ``--map "Header=field"`` overrides into ``{normalised header: field}``.

    >>> parse_mapping(["Партнёр (юрлицо)=name", "Col 7 = ignore"])
    {'партнер юрлицо': 'name', 'col 7': 'ignore'}
    """
    if items is None:
        return {}
    pairs: list[tuple[str, str]] = []
    if isinstance(items, Mapping):
        pairs = [(str(k), str(v)) for k, v in items.items()]
    else:
        for item in items:
            if "=" not in item:
                raise MappingError(f"mapping {item!r} is not of the form 'Header=field'")
            header, _, field = item.rpartition("=")
            pairs.append((header, field))
    result: dict[str, str] = {}
    for header, field in pairs:
        field = field.strip().lower()
        if field in {"", "-", "none", "skip"}:
            field = IGNORE
        if field not in FIELDS and field != IGNORE:
            known = ", ".join(FIELDS)
            raise MappingError(f"unknown field {field!r} for header {header!r}; known: {known}")
        result[normalise_header(header)] = field
    return result


def map_headers(headers: list[str], overrides: Mapping[str, str] | None = None) -> list[str | None]:
    """Field for each header in order; overrides (from :func:`parse_mapping`) win."""
    overrides = overrides or {}
    fields: list[str | None] = []
    for header in headers:
        key = normalise_header(header)
        if key in overrides:
            field = overrides[key]
            fields.append(None if field == IGNORE else field)
        else:
            fields.append(recognise_header(header))
    return fields


def looks_like_header(cells: list[str], overrides: Mapping[str, str] | None = None) -> bool:
    """A row is a header when it names a company column and at least one other known column,
    or when at least half of its non-empty cells are known headers (two or more)."""
    non_empty = [c for c in cells if str(c or "").strip()]
    if not non_empty:
        return False
    fields = [f for f in map_headers([str(c) for c in non_empty], overrides) if f]
    if "name" in fields and len(fields) >= 2:
        return True
    return len(fields) >= 2 and len(fields) * 2 >= len(non_empty)
