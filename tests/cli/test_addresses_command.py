"""``partnernet addresses guess|patterns`` over CSV files (UTF-8 and Excel's cp1251 with ;)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

KNOWN = [
    ("domain", "full_name", "email"),
    ("firma.ru", "Шинкарев Борис Петрович", "b.shinkarev@firma.ru"),
    ("firma.ru", "Горскин Павел", "p.gorskin@firma.ru"),
    ("firma.ru", "Цыганов Роман Ильич", "r.tsyganov@firma.ru"),
    ("firma.ru", "Отдел закупок", "zakupki@firma.ru"),
    ("jet.su", "Хабарова Юлия", "iuliia.khabarova@jet.su"),
    ("jet.su", "Цой Андрей", "andrei.tsoi@jet.su"),
]
NAMES = [
    ("domain", "full_name"),
    ("firma.ru", "Андрей Тарасенко"),
    ("jet.su", "Щукин Евгений Викторович"),
]


def write(path: Path, rows: list[tuple[str, ...]], *, delimiter: str = ",",
          encoding: str = "utf-8") -> Path:  # fmt: skip
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("addresses", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "known.csv", KNOWN), write(tmp_path / "names.csv", NAMES)


def test_guess_csv(files: tuple[Path, Path]) -> None:
    known, names = files
    text = run("guess", "--known", str(known), "--names", str(names), "--top", "2")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "domain", "full_name", "rank", "email", "confidence", "pattern", "explanation",
    ]  # fmt: skip
    assert len(rows) == 4
    first = rows[0]
    assert (first["domain"], first["rank"], first["email"]) == (
        "firma.ru",
        "1",
        "a.tarasenko@firma.ru",
    )
    assert float(first["confidence"]) > 0.8
    jet = [r for r in rows if r["domain"] == "jet.su"]
    assert jet[0]["email"] == "evgenii.shchukin@jet.su"


def test_guess_json_two_ways(files: tuple[Path, Path]) -> None:
    known, names = files
    args = ("guess", "--known", str(known), "--names", str(names), "--top", "1")
    by_format = json.loads(run(*args, "--format", "json"))
    by_flag = json.loads(run(*args, "--json"))
    assert by_format == by_flag
    assert [row["email"] for row in by_flag] == [
        "a.tarasenko@firma.ru",
        "evgenii.shchukin@jet.su",
    ]
    assert "pattern {f}.{last}" in by_flag[0]["explanation"]


def test_excel_cp1251_semicolon_files(tmp_path: Path) -> None:
    known = write(tmp_path / "k.csv", KNOWN, delimiter=";", encoding="cp1251")
    names = write(tmp_path / "n.csv", NAMES, delimiter=";", encoding="cp1251")
    data = json.loads(run("guess", "--known", str(known), "--names", str(names), "--json"))
    assert data[0]["full_name"] == "Андрей Тарасенко"
    assert data[0]["email"] == "a.tarasenko@firma.ru"


def test_headerless_files_use_the_documented_order(tmp_path: Path) -> None:
    known = write(tmp_path / "k.csv", KNOWN[1:])
    names = write(tmp_path / "n.csv", NAMES[1:2])
    data = json.loads(run("guess", "--known", str(known), "--names", str(names), "--json"))
    assert data[0]["email"] == "a.tarasenko@firma.ru"


def test_patterns(files: tuple[Path, Path]) -> None:
    known, _ = files
    data = json.loads(run("patterns", "--known", str(known), "--json"))
    by_domain = {item["domain"]: item for item in data}
    assert by_domain["firma.ru"]["patterns"][0]["pattern"] == "{f}.{last}"
    assert by_domain["firma.ru"]["role_mailboxes"] == 1
    assert by_domain["jet.su"]["schemes"][0]["scheme"] in {
        "icao_doc_9303", "gost_52535", "telegram", "yandex_money",
    }  # fmt: skip
    table = run("patterns", "--known", str(known))
    assert "firma.ru" in table


def test_table_output(files: tuple[Path, Path]) -> None:
    known, names = files
    text = run("guess", "--known", str(known), "--names", str(names), "--format", "table")
    assert "a.tarasenko" in text
    assert "%" in text  # confidence shown as a percentage


def test_missing_file_and_bad_columns(tmp_path: Path, files: tuple[Path, Path]) -> None:
    known, names = files
    with pytest.raises(CommandError):
        run("guess", "--known", str(tmp_path / "nope.csv"), "--names", str(names))
    bad = write(tmp_path / "bad.csv", [("domain", "email"), ("firma.ru", "a@firma.ru")])
    with pytest.raises(CommandError):
        run("guess", "--known", str(bad), "--names", str(names))
    with pytest.raises(CommandError):
        run("guess", "--known", str(known), "--names", str(names), "--top", "0")


def test_every_option_has_help() -> None:
    from partnernet.cli.management.commands.addresses import Command

    parser = Command().create_parser("partnernet", "addresses")
    sub = next(a for a in parser._actions if a.dest == "action")
    for name, subparser in sub.choices.items():  # type: ignore[attr-defined]
        for action in subparser._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest}"
