from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnernet.engines.sources import (
    BrokenJsonError,
    BrokenSpreadsheetError,
    NoTableError,
    UnknownEncodingError,
    UnsupportedFormatError,
    open_source,
    sniff_delimiter,
)
from partnernet.engines.sources.readers import _iter_json_array, detect_format

HEADER = ["Наименование", "ИНН", "Город", "Сайт", "Статус"]
ROWS = [
    ["ООО «Ромашка»", "7707083893", "г. Москва", "romashka.ru", "Gold"],
    ['АО "Джет, Инфосистемы"', "", "Санкт-Петербург", "jet.su", "Silver"],
    ["ИП Иванов И.И.", "", "Омск", "", ""],
]


def write_csv(path: Path, rows, *, delimiter=";", encoding="cp1251") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, *ROWS], delimiter=delimiter, encoding=encoding)
    reader = open_source(path)
    rows = list(reader)
    assert reader.delimiter == delimiter
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].fields == {
        "name": "ООО «Ромашка»",
        "inn": "7707083893",
        "city": "г. Москва",
        "website": "romashka.ru",
        "level": "Gold",
    }
    assert rows[1].fields["name"] == 'АО "Джет, Инфосистемы"'
    assert rows[2].values["Сайт"] == ""
    assert "website" not in rows[2].fields


def test_title_line_and_repeated_header_are_skipped_and_reported(tmp_path: Path) -> None:
    rows = [["Партнёры на 01.06.2026"], HEADER, ROWS[0], HEADER, ROWS[1], [], ROWS[2]]
    reader = open_source(write_csv(tmp_path / "list.csv", rows))
    read = list(reader)
    assert [r.number for r in read] == [1, 2, 3]
    assert [r.fields["name"] for r in read][1] == 'АО "Джет, Инфосистемы"'
    messages = [(n.location, n.message) for n in reader.notices]
    assert ("line 1", "line above the header skipped") in messages
    assert ("line 4", "repeated header row skipped") in messages
    assert read[2].location == "line 7"


def test_mapping_override_and_unrecognised_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["Клиент", "Нас. пункт"], ["Ромашка", "Тула"]])
    assert next(iter(open_source(path))).fields == {"city": "Тула"}
    row = next(iter(open_source(path, mapping=["Клиент=name"])))
    assert row.fields == {"name": "Ромашка", "city": "Тула"}


def test_columns_with_the_same_field_are_joined(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "l.csv", [["Компания", "Телефон", "Телефон"], ["А", "+7 1", "+7 2"]]
    )
    row = next(iter(open_source(path)))
    assert row.fields["phone"] == "+7 1; +7 2"
    assert list(row.values) == ["Компания", "Телефон", "Телефон (2)"]


def test_unknown_encoding_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "weird.csv"
    path.write_bytes("Компания;Город\nА;Б\n".encode("utf-16-le"))
    with pytest.raises(UnknownEncodingError, match=r"weird\.csv"):
        open_source(path)


cell = st.text(
    alphabet=st.sampled_from(
        'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИКЛМНОПРСТУФХЭЮЯabcxyzABCXYZ0123456789 .,;-"«»№()'
    ),
    max_size=20,
).map(str.strip)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=15),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["cp1251", "utf-8", "utf-8-sig"]),
)
def test_csv_round_trip(tmp_path: Path, rows, delimiter: str, encoding: str) -> None:
    header = ["Компания", "Город", "Сайт", "Телефон"]
    rows = [r for r in rows if any(r) and [c.lower() for c in r] != [h.lower() for h in header]]
    path = write_csv(tmp_path / "rt.csv", [header, *rows], delimiter=delimiter, encoding=encoding)
    read = list(open_source(path))
    assert [list(r.values.values()) for r in read] == rows
    assert [r.number for r in read] == list(range(1, len(rows) + 1))


def test_sniffer_prefers_consistent_delimiter() -> None:
    text = 'Компания;Город\n"Ромашка, филиал";Москва\n"Джет, АО";Омск\n'
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"


# XLSX ----------------------------------------------------------------------------------------


def test_xlsx_numbers_and_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Партнёры"
    sheet.append(["Отчёт"])
    sheet.append(["Partner", "Level", "INN", "Phone"])
    sheet.append(["Croc", "Gold", 7707083893, 74951234567])
    sheet.append([None, None, None, None])
    sheet.append(["Jet", "Silver", None, None])
    notes = workbook.create_sheet("Примечания")
    notes.append(["просто заметки без таблицы"])
    more = workbook.create_sheet("Филиалы")
    more.append(["Company", "City"])
    more.append(["Croc", "Kazan"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    reader = open_source(path)
    rows = list(reader)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].fields["inn"] == "7707083893"
    assert rows[0].fields["phone"] == "74951234567"
    assert rows[0].location == "sheet «Партнёры», row 3"
    assert rows[2].fields == {"name": "Croc", "city": "Kazan"}


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 truncated", b"not a zip at all", b""], ids=["zip", "text", "empty"]
)
def test_broken_xlsx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(BrokenSpreadsheetError, match=r"broken\.xlsx"):
        list(open_source(path))


def test_xls_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError, match="XLSX"):
        open_source(path)


# HTML ----------------------------------------------------------------------------------------

PAGE = """<html><head><meta charset="windows-1251"><title>Партнёры</title></head><body>
<table class="layout"><tr><td>Меню</td><td>Поиск</td></tr></table>
<h2>Москва</h2>
<table><thead><tr><th>Компания</th><th>Статус</th><th>Сайт</th></tr></thead>
<tbody><tr><td>ООО «Ромашка»</td><td>Gold</td><td><a href="http://romashka.ru">romashka.ru</a></td></tr>
<tr><td>АО Джет<br>(головной офис)</td><td>Silver</td><td></td></tr></tbody></table>
<h2>Омск</h2>
<table><tr><td>Компания</td><td>Статус</td></tr><tr><td>Альянс</td><td>Registered</td></tr>
<tr><td>Компания</td><td>Статус</td></tr><tr><td>Бета</td><td></td></tr></table>
</body></html>"""


def test_html_tables_numbered_in_document_order(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("cp1251"))
    reader = open_source(path)
    rows = list(reader)
    assert [(r.number, r.fields["name"]) for r in rows] == [
        (1, "ООО «Ромашка»"),
        (2, "АО Джет (головной офис)"),
        (3, "Альянс"),
        (4, "Бета"),
    ]
    assert rows[0].fields["website"] == "romashka.ru"
    assert rows[2].location == "table 3, row 2"
    assert [n.message for n in reader.notices] == ["repeated header row skipped"]


def test_html_without_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><p>Страница партнёров временно недоступна</p></body></html>")
    with pytest.raises(NoTableError, match=r"empty\.html"):
        list(open_source(path))


def test_html_with_only_layout_tables(tmp_path: Path) -> None:
    path = tmp_path / "layout.htm"
    path.write_text("<html><body><table><tr><td>a</td><td>b</td></tr></table></body></html>")
    with pytest.raises(NoTableError):
        list(open_source(path))


def test_html_menu_table_adds_no_columns_to_the_preview(tmp_path: Path) -> None:
    # A saved page's menu: one row of links that reads like headings (Партнёры, Контакты).
    menu = (
        '<table class="nav"><tr><td><a href="/">Главная</a></td>'
        '<td><a href="/partners">Партнёры</a></td><td><a href="/contacts">Контакты</a></td>'
        "</tr></table>"
    )
    path = tmp_path / "saved.html"
    path.write_text(f"<html><body>{menu}{PAGE.split('<body>')[1]}", encoding="utf-8")
    reader = open_source(path)
    names = [r.fields["name"] for r in reader]
    assert names == ["ООО «Ромашка»", "АО Джет (головной офис)", "Альянс", "Бета"]
    assert [name for name, _field in reader.columns()] == ["Компания", "Статус", "Сайт"]


def test_columns_of_a_file_with_no_rows_yet_are_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text("Компания;Город\n", encoding="utf-8")
    reader = open_source(path)
    assert list(reader) == []
    assert reader.columns() == [("Компания", "name"), ("Город", "city")]


# JSON ----------------------------------------------------------------------------------------


def test_json_array_of_objects(tmp_path: Path) -> None:
    items = [
        {"Company": "Jet", "City": "Moscow", "Competencies": ["Networking", "Security"]},
        {"Company": "Croc", "INN": 7707083893, "extra": {"a": 1}},
        "not an object",
        {"Company": None},
    ]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    reader = open_source(path)
    rows = list(reader)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].fields["specialisations"] == "Networking; Security"
    assert rows[1].fields["inn"] == "7707083893"
    assert [n.message for n in reader.notices] == ["not a JSON object, skipped"]


def test_json_wrapped_in_an_object(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"total": 1, "partners": [{"name": "Jet"}]}))
    assert [r.fields for r in open_source(path)] == [{"name": "Jet"}]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=st.lists(
        st.dictionaries(
            st.sampled_from(["name", "city", "inn"]),
            st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False)),
        ),
        max_size=30,
    ),
    chunk=st.integers(min_value=1, max_value=64),
    indent=st.sampled_from([None, 1]),
)
def test_json_streaming_matches_json_loads(tmp_path: Path, items, chunk: int, indent) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=indent), encoding="utf-8")
    assert list(_iter_json_array(path, "utf-8", chunk_size=chunk)) == items


@pytest.mark.parametrize("text", ['[{"a": 1}, {"b": ', '"just a string"', '{"a": 1}'])
def test_broken_json(tmp_path: Path, text: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(BrokenJsonError, match=r"b\.json"):
        list(open_source(path))


def test_format_sniffing_without_extension(tmp_path: Path) -> None:
    for name, content, expected in [
        ("a", b"PK\x03\x04", "xlsx"),
        ("b", b"  <html><table>", "html"),
        ("c", b'[{"a": 1}]', "json"),
        ("d", "Компания;Город".encode("cp1251"), "csv"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        assert detect_format(path) == expected


# Streaming -----------------------------------------------------------------------------------


def test_large_csv_streams_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    line = "ООО «Компания номер {0}»;77{0:08d};Москва;site{0}.ru;+7 495 000-00-00;Gold\r\n"
    with open(path, "w", encoding="cp1251", newline="") as handle:
        handle.write("Наименование;ИНН;Город;Сайт;Телефон;Статус\r\n")
        for i in range(60_000):
            handle.write(line.format(i))
    size = path.stat().st_size
    assert size > 4_000_000
    tracemalloc.start()
    count = 0
    for row in open_source(path):
        count += 1
        assert row.number == count
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 60_000
    # Memory stays bounded by the detection sample, whatever the file size.
    assert peak < 3_000_000 < size


def test_large_json_streams_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[")
        for i in range(40_000):
            handle.write(("," if i else "") + json.dumps({"Компания": f"Фирма {i}", "ИНН": i}))
        handle.write("]")
    size = path.stat().st_size
    tracemalloc.start()
    count = sum(1 for _ in open_source(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 40_000
    assert peak < size / 4
