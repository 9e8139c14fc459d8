from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.sources.errors import MappingError
from partnernet.engines.sources.headers import (
    FIELDS,
    looks_like_header,
    map_headers,
    normalise_header,
    parse_mapping,
    recognise_header,
)

KNOWN = {
    "Название": "name",
    "Наименование": "name",
    "Компания": "name",
    "Partner": "name",
    "Company": "name",
    "Наименование организации": "name",
    "Partner name": "name",
    "ИНН": "inn",
    "INN": "inn",
    "TIN": "inn",
    "ИНН/КПП": "inn",
    "ОГРН": "ogrn",
    "КПП": "kpp",
    "БИН": "bin",
    "BIN": "bin",
    "УНП": "unp",
    "UNP": "unp",
    "Город": "city",
    "City": "city",
    "Регион": "region",
    "Region": "region",
    "Федеральный округ": "federal_district",
    "Страна": "country",
    "Сайт": "website",
    "Website": "website",
    "URL": "website",
    "Адрес сайта": "website",
    "Телефон": "phone",
    "Phone": "phone",
    "Контактный телефон": "phone",
    "Статус": "level",
    "Уровень": "level",
    "Level": "level",
    "Tier": "level",
    "Partner level": "level",
    "Уровень партнёрства": "level",
    "Специализация": "specialisations",
    "Competencies": "specialisations",
    "E-mail": "email",
    "Email": "email",
    "Эл. почта": "email",
    "Адрес": "address",
    "Address": "address",
    "Юридический адрес": "address",
    "Вендор": "vendor",
    "Vendor": "vendor",
    "Сектор": "sectors",
    "Отрасль": "sectors",
    "Industry": "sectors",
    "Контактное лицо": "contact",
}


@pytest.mark.parametrize(("header", "field"), sorted(KNOWN.items()))
def test_known_headers(header: str, field: str) -> None:
    assert recognise_header(header) == field


def test_unknown_headers() -> None:
    assert recognise_header("Количество сотрудников") is None
    assert recognise_header("") is None
    assert recognise_header(None) is None


decoration = st.tuples(
    st.sampled_from(["", " ", "  ", "\ufeff"]),
    st.sampled_from(["", ":", " *", "*", " ", "."]),
    st.booleans(),
)


@given(st.sampled_from(sorted(KNOWN.items())), decoration)
def test_recognition_ignores_case_spacing_punctuation_and_yo(item, deco) -> None:
    header, field = item
    prefix, suffix, upper = deco
    text = prefix + (header.upper() if upper else header) + suffix
    text = text.replace("е", "ё") if "партн" in text.lower() else text
    assert recognise_header(text) == field


@given(st.text(max_size=40))
def test_normalise_header_is_idempotent_and_total(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert "ё" not in once
    assert once == once.lower()


def test_mapping_overrides_win_and_ignore_drops() -> None:
    overrides = parse_mapping(["Клиент=name", "Наименование=ignore"])
    assert map_headers(["Наименование", "Клиент", "Город"], overrides) == [None, "name", "city"]


def test_mapping_rejects_unknown_field_and_bad_syntax() -> None:
    with pytest.raises(MappingError):
        parse_mapping(["Клиент=nonsense"])
    with pytest.raises(MappingError):
        parse_mapping(["no equals sign"])
    assert set(parse_mapping({"A": "name"}).values()) <= set(FIELDS)


def test_header_detection() -> None:
    assert looks_like_header(["Компания", "Город", "Сайт"])
    assert not looks_like_header(["ООО Ромашка", "Москва", "romashka.ru"])
    assert not looks_like_header(["Список партнёров на 01.01.2026"])
