from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partnernet.apps.register.models import Company, Source
from tests.apps.register.helpers import VENDOR_LIST, write_csv

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_import_json_report(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "huawei.csv", VENDOR_LIST)
    data = json.loads(run(str(path), "--source", "Huawei RU", "--vendor", "Huawei", "--json"))
    assert data["rows"] == 6 and data["errors"] == 1 and data["new_companies"] == 5
    assert data["problems"][0]["row"] == 5
    assert Source.objects.get().kind == "vendor_locator"
    again = json.loads(run(str(path), "--source", "Huawei RU", "--json"))
    assert again["unchanged"] is True


def test_import_human_output_names_rows(tmp_path: Path) -> None:
    text = run(str(write_csv(tmp_path / "l.csv", VENDOR_LIST)), "--source", "L")
    assert "row 5" in text and "no company name" in text
    assert "7707083894" in text  # the bad-checksum warning


def test_map_and_kind(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["Вектор", "Пермь"]], header=["Клиент", "Город"])
    run(str(path), "--source", "L", "--kind", "customer_supplier_list", "--map", "Клиент=name")
    assert Company.objects.get().city_name == "Пермь"
    assert Source.objects.get().kind == "customer_supplier_list"


def test_errors_are_command_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.csv"), "--source", "X")
    bad = tmp_path / "page.html"
    bad.write_text("<html><body>nothing</body></html>")
    with pytest.raises(CommandError, match=r"page\.html"):
        run(str(bad), "--source", "X")
    with pytest.raises(CommandError, match="unknown field"):
        run(str(write_csv(tmp_path / "l.csv", VENDOR_LIST)), "--source", "X", "--map", "A=zzz")
    assert not Source.objects.exists()


def test_linker_choice(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", VENDOR_LIST)
    data = json.loads(run(str(first), "--source", "A", "--json"))
    assert data["linker"] == "deterministic"  # an empty register: nothing to compare with
    rows = [["Romashka LLC", "", "Moscow", "romashka.ru", "", "", ""]]
    second = write_csv(tmp_path / "b.csv", rows, encoding="utf-8")
    data = json.loads(run(str(second), "--source", "B", "--json"))
    assert data["linker"] == "splink" and data["linked"] == 1
    third = write_csv(tmp_path / "c.csv", rows, encoding="utf-8")
    text = run(str(third), "--source", "C", "--linker", "deterministic")
    assert "deterministic" in text and Source.objects.get(name="C").linker == "deterministic"
