from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from partnernet.apps.register.models import Company, SourceRow
from partnernet.apps.register.services import source_import
from tests.apps.register.helpers import INN_A, VENDOR_LIST, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path: Path) -> None:
    source_import(path=write_csv(tmp_path / "a.csv", VENDOR_LIST), source_name="A", vendor="Huawei")
    rows = [["Romashka LLC", INN_A, "Moscow", "", "", "", ""]]
    source_import(path=write_csv(tmp_path / "b.csv", rows, encoding="utf-8"), source_name="B")


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("imported")
def test_matches_csv_one_line_per_source_row() -> None:
    rows = list(csv.reader(io.StringIO(export("matches", "--format", "csv"))))
    assert rows[0] == ["source", "row", "company_id"]
    assert len(rows) - 1 == SourceRow.objects.count() == 7
    romashka = Company.objects.get(inn=INN_A)
    assert ["A", "1", str(romashka.pk)] in rows and ["B", "1", str(romashka.pk)] in rows
    assert ["A", "5", ""] in rows  # the row without a name links to nothing


@pytest.mark.usefixtures("imported")
def test_matches_follow_merges() -> None:
    romashka = Company.objects.get(inn=INN_A)
    other = Company.objects.exclude(pk=romashka.pk).first()
    other.merged_into = romashka
    other.save()
    rows = list(csv.reader(io.StringIO(export("matches"))))
    merged_rows = SourceRow.objects.filter(company=other).values_list("row_number", flat=True)
    for number in merged_rows:
        assert ["A", str(number), str(romashka.pk)] in rows


@pytest.mark.usefixtures("imported")
def test_companies_json_and_xlsx(tmp_path: Path) -> None:
    data = json.loads(export("companies", "--format", "json"))
    assert len(data) == Company.objects.count()
    romashka = next(item for item in data if item["inn"] == INN_A)
    assert romashka["sources"] == 2 and romashka["domains"] == "romashka.ru"
    target = tmp_path / "companies.xlsx"
    summary = json.loads(export("companies", "--format", "xlsx", "-o", str(target), "--json"))
    assert summary["rows"] == len(data)
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row == len(data) + 1


def test_xlsx_needs_output(db) -> None:
    with pytest.raises(CommandError, match="-o"):
        export("companies", "--format", "xlsx")
