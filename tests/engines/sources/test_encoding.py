from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.sources.encoding import detect_encoding, detect_file_encoding
from partnernet.engines.sources.errors import UnknownEncodingError

RUSSIAN_WORDS = [
    "Наименование",
    "партнёра",
    "Город",
    "Москва",
    "общество",
    "с ограниченной ответственностью",
    "Информационные системы",
    "Сетевое оборудование",
    "Екатеринбург",
    "Новосибирск",
    "золотой партнёр",
]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Наименование;ИНН;Город\nООО «Ромашка»;7707083893;Москва\n", "cp1251", "cp1251"),
        ("Наименование;ИНН;Город\nООО «Ромашка»;7707083893;Москва\n", "utf-8", "utf-8"),
        ("Наименование;ИНН;Город\nООО Ромашка;7707083893;Москва\n", "koi8_r", "koi8_r"),
        ("Наименование;Город\nООО Ромашка;Москва\n", "cp866", "cp866"),
        ("Company,City\nJet,Moscow\n", "ascii", "utf-8"),
    ],
)
def test_detects_common_encodings(text: str, encoding: str, expected: str) -> None:
    assert detect_encoding(text.encode(encoding)) == expected


def test_byte_order_marks() -> None:
    assert detect_encoding(codecs.BOM_UTF8 + "Имя".encode()) == "utf-8-sig"
    assert detect_encoding("Имя".encode("utf-16")) == "utf-16"


def test_utf16_without_bom_is_refused_naming_the_file(tmp_path) -> None:
    path = tmp_path / "partners.csv"
    path.write_bytes("Компания,Город\nДжет,Москва\n".encode("utf-16-le"))
    with pytest.raises(UnknownEncodingError) as error:
        detect_file_encoding(path)
    assert "partners.csv" in str(error.value)


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(UnknownEncodingError):
        detect_encoding(os.urandom(4096) + b"\x00")


def test_truncated_sample_in_the_middle_of_a_character_is_still_utf8() -> None:
    data = ("Компания;Город\n" * 100).encode()
    # Cut inside a two-byte Cyrillic letter, as a fixed-size sample of a large file does.
    cut = data[: len(data) - 1]
    assert detect_encoding(cut, truncated=True) == "utf-8"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(RUSSIAN_WORDS), min_size=4, max_size=30))
def test_russian_text_in_cp1251_and_utf8_is_recognised(words: list[str]) -> None:
    text = ";".join(words) + "\n"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(text.encode("cp1251")) == "cp1251"


@pytest.mark.parametrize("codepage", ["cp1251", "koi8_r"])
def test_upper_case_abbreviations_do_not_flip_the_code_page(codepage: str) -> None:
    # "ППФ" in cp1251 reads "оот" in KOI8-R: likelier letters, but the header's title-case
    # words turn into "лПНРБОЙС" there; found by the CSV round-trip property test.
    text = "Компания;Город;Сайт;Телефон\n;ППФ;ППФ;ППФ\nПАО;ООО;АО;ЗАО\n"
    assert detect_encoding(text.encode(codepage)) == codepage


@pytest.mark.parametrize("codepage", ["cp1251", "koi8_r"])
@pytest.mark.parametrize(
    "text",
    [
        "Модель;Мощность;Цена\nИБП APC SRT 1кВА;1 кВА;50000\nИБП APC SRT 3кВА;3 кВА;90000\n",
        "ИБП;КВА\nSRT1000;1 кВА\nSRT3000;3 кВА\n",
        "КОМПАНИЯ;НАПРЯЖЕНИЕ\nООО ЭНЕРГО;10 кВ\nАО СЕТИ;35 кВ\n",
    ],
)
def test_units_shaped_like_flipped_words_do_not_decide(text: str, codepage: str) -> None:
    # "кВА" has the shape the wrong code page gives a title-case word; only longer words count.
    assert detect_encoding(text.encode(codepage)) == codepage
