from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.names.legal_forms import (
    LEGAL_FORMS,
    find_abbreviation,
    same_family,
    split_legal_form,
    strip_quotes,
)


@pytest.mark.parametrize(
    ("name", "core", "form"),
    [
        ("ООО «Ромашка»", "Ромашка", "ООО"),
        ("Ромашка, ООО", "Ромашка", "ООО"),
        ("Ромашка ООО", "Ромашка", "ООО"),
        ("ROMASHKA LLC", "ROMASHKA", "LLC"),
        ("Romashka, L.L.C.", "Romashka", "LLC"),
        ('Общество с ограниченной ответственностью "Ромашка"', "Ромашка", "ООО"),
        ("общество  с ОГРАНИЧЕННОЙ ответственностью Ромашка", "Ромашка", "ООО"),
        ("ИНФОСИСТЕМЫ ДЖЕТ, АО", "ИНФОСИСТЕМЫ ДЖЕТ", "АО"),
        ("АО «Инфосистемы Джет»", "Инфосистемы Джет", "АО"),
        ("Закрытое акционерное общество «Лютик»", "Лютик", "ЗАО"),
        ("Публичное акционерное общество «Сбербанк России»", "Сбербанк России", "ПАО"),
        ("Непубличное акционерное общество «Лютик»", "Лютик", "НАО"),
        ("ОАО „Лютик“", "Лютик", "ОАО"),
        ("«ООО «Ромашка»»", "Ромашка", "ООО"),
        ('ООО "ТД "Ромашка""', "ТД Ромашка", "ООО"),
        ("'Ромашка' ООО", "Ромашка", "ООО"),
        ("О.О.О. Ромашка", "Ромашка", "ООО"),
        ("OOO Romashka", "Romashka", "ООО"),
        ("ZAO Romashka", "Romashka", "ЗАО"),
        ("ИП Иванов Иван Иванович", "Иванов Иван Иванович", "ИП"),
        ("Индивидуальный предприниматель Иванов И.И.", "Иванов И.И", "ИП"),
        ('ТОО "Казахтелеком"', "Казахтелеком", "ТОО"),
        ("«Ромашка» ЖШС", "Ромашка", "ТОО"),
        ("«Ромашка» АҚ", "Ромашка", "АО"),
        ("ТАА «Рамонак»", "Рамонак", "ООО"),
        ("ЧУП «Белсофт»", "Белсофт", "ЧУП"),
        ("ОДО «Белсофт»", "Белсофт", "ОДО"),
        ("УП «Белсофт»", "Белсофт", "УП"),
        ("Jet Infosystems Ltd.", "Jet Infosystems", "LTD"),
        ("Softline Co., Ltd.", "Softline", "LTD"),
        ("Mobile TeleSystems PJSC", "Mobile TeleSystems", "PJSC"),
        ("JSC Aeroflot", "Aeroflot", "JSC"),
        ("Acme GmbH", "Acme", "GMBH"),
        ("ООО", "", "ООО"),
        ("  ООО  ", "", "ООО"),
        # English forms lead when the name is quoted (translated Russian word order)
        ("Ltd. «CloudVision»", "CloudVision", "LTD"),
        ("Ltd. Set-Telekom", "Set-Telekom", "LTD"),
        ("IE Akhmetov Boris Nikolaevich", "Akhmetov Boris Nikolaevich", "ИП"),
        ("Guseva Yu.P., IE", "Guseva Yu.P", "ИП"),
        ('LLP "Progress"', "Progress", "LLP"),
        # the Latin IP only next to a person's name
        ("IP Baranov M.M.", "Baranov M.M", "ИП"),
        ("Zakharova Yuliya Igorevna, IP", "Zakharova Yuliya Igorevna", "ИП"),
        (
            "Individual Entrepreneur Shinkarev Vladimir Nikolayevich",
            "Shinkarev Vladimir Nikolayevich",
            "ИП",
        ),
        # brackets
        ("Ромашка (ООО)", "Ромашка", "ООО"),
        ("(ООО Ромашка)", "Ромашка", "ООО"),
    ],
)
def test_split(name: str, core: str, form: str) -> None:
    parsed = split_legal_form(name)
    assert (parsed.core, parsed.legal_form) == (core, form)
    assert parsed.legal_form_full


@pytest.mark.parametrize(
    "name",
    [
        "Ромашка",
        "Группа АО Плюс",
        "AG Group",
        "Limited Edition",
        "Ltd Romashka",
        "IP Telecom",
        "O'Neil Group",
        "Ромашка-ООО",
        "Ромашка (Москва)",
        "Филиал-Сервис",
    ],
)
def test_names_without_an_edge_legal_form(name: str) -> None:
    parsed = split_legal_form(name)
    assert parsed.legal_form is None
    assert parsed.core == name


def test_apostrophes_inside_words_stay() -> None:
    assert strip_quotes("O'Neil «Ромашка»") == "O'Neil Ромашка"
    assert strip_quotes('"Ромашка"-Плюс') == "Ромашка-Плюс"


def test_latin_lookalikes_in_cyrillic_abbreviations() -> None:
    assert find_abbreviation("OOO") is not None  # all Latin
    form = find_abbreviation("ОOО")  # Cyrillic, Latin, Cyrillic
    assert form is not None and form.code == "ООО"


def test_families() -> None:
    assert same_family("ООО", "LLC")
    assert same_family("ТОО", "ООО")
    assert same_family("ЗАО", "CJSC")
    assert not same_family("ООО", "АО")
    assert not same_family(None, "ООО")
    assert split_legal_form("Acme LLC").family == "ООО"


def test_every_form_has_a_full_name_and_is_found_by_its_abbreviations() -> None:
    for form in LEGAL_FORMS:
        assert form.full
        for abbr in form.abbreviations:
            found = find_abbreviation(abbr)
            assert found is not None
        for phrase in form.phrases:
            assert split_legal_form(f"{phrase} «Ромашка»").legal_form == form.code


cores = st.text(
    alphabet=st.sampled_from("абвгдежзиклмнопрстуфхцчшщыэюяАБВГДЕЖЗКЛМН abcdefghijkMNOP-0123"),
    min_size=1,
    max_size=25,
)


@given(cores)
def test_never_crashes_and_core_never_has_quotes(core: str) -> None:
    parsed = split_legal_form(f"ООО «{core}»")
    assert "«" not in parsed.core and "»" not in parsed.core
    assert parsed.legal_form == "ООО"


@pytest.mark.parametrize(
    ("name", "core", "form", "branch"),
    [
        ("ООО «Ромашка», филиал в г. Казани", "Ромашка", "ООО", "филиал в г. Казани"),
        ("LLC «Romashka» (Kazan branch)", "Romashka", "LLC", "Kazan branch"),
        ("Филиал ООО «Ромашка» в г. Казани", "Ромашка", "ООО", "Филиал в г. Казани"),
        ("Представительство АО «Ромашка»", "Ромашка", "АО", "Представительство"),
        ("ООО «Отделение»", "Отделение", "ООО", None),
    ],
)
def test_branch_qualifiers_are_cut_off(name: str, core: str, form: str, branch: str | None) -> None:
    parsed = split_legal_form(name)
    assert (parsed.core, parsed.legal_form, parsed.branch) == (core, form, branch)
