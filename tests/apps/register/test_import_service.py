from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.register import services
from partnernet.apps.register.models import (
    Authorisation,
    Company,
    CompanyDomain,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
    CompanySpecialisation,
    Source,
    SourceKind,
    SourceRow,
    Vendor,
)
from partnernet.apps.register.services import source_import, source_preview
from partnernet.engines.resolution.deterministic import DeterministicLinker
from partnernet.engines.sources import (
    BrokenSpreadsheetError,
    NoTableError,
    UnknownEncodingError,
)

from .helpers import BAD_INN, HEADER, INN_A, INN_B, VENDOR_LIST, write_csv

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Source,
            SourceRow,
            Company,
            CompanyName,
            CompanyDomain,
            CompanyLocation,
            CompanyIdentifier,
            Authorisation,
            Vendor,
            ChangeLogEntry,
        )
    }


def test_cp1251_vendor_list_imports_with_facts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "huawei.csv", VENDOR_LIST)
    report = source_import(path=path, source_name="Huawei RU", vendor="Huawei")
    assert (report.format, report.encoding, report.delimiter) == ("csv", "cp1251", ";")
    assert report.rows == 6
    assert report.errors == 1
    assert report.problems[0].row == 5
    assert "no company name" in report.problems[0].message
    assert "huawei.csv" in report.problems[0].message
    assert report.new_companies == 5

    source = Source.objects.get(name="Huawei RU")
    assert source.kind == SourceKind.VENDOR_LOCATOR
    assert source.vendor.name == "Huawei"
    assert (source.row_count, source.new_company_count, source.error_count) == (6, 5, 1)

    romashka = Company.objects.get(inn=INN_A)
    assert romashka.inn_valid
    assert romashka.legal_form == "ООО"
    assert romashka.city_name == "Москва"
    assert romashka.federal_district == "Центральный"
    assert romashka.country == "RU"
    assert list(romashka.domains.values_list("domain", flat=True)) == ["romashka.ru"]
    assert list(romashka.phones.values_list("number", flat=True)) == ["+74951234567"]
    specialisations = set(
        CompanySpecialisation.objects.filter(company=romashka).values_list(
            "specialisation__key", flat=True
        )
    )
    assert specialisations == {"networking", "information_security"}
    authorisation = Authorisation.objects.get(company=romashka)
    assert (authorisation.vendor.name, authorisation.level, authorisation.level_rank) == (
        "Huawei",
        "Gold",
        4,
    )
    assert authorisation.source == source
    assert "ромашка" in romashka.search_text and INN_A in romashka.search_text
    assert romashka.source_count == 1
    # Every fact records its source.
    assert CompanyName.objects.get(company=romashka).source == source

    # Two "Альянс" in different cities are two companies.
    assert Company.objects.filter(name_key=romashka.name_key).count() == 1
    assert CompanyName.objects.filter(name="Альянс").values("company").distinct().count() == 2


def test_bad_inn_is_kept_flagged_reported_and_never_linked(tmp_path: Path) -> None:
    report = source_import(path=write_csv(tmp_path / "a.csv", VENDOR_LIST), source_name="A")
    warning = next(w for w in report.warning_list if BAD_INN in w.message)
    assert warning.row == 6
    assert "checksum" in warning.message
    beta = Company.objects.get(inn=BAD_INN)
    assert not beta.inn_valid
    assert CompanyIdentifier.objects.get(value=BAD_INN).valid is False
    # Another company with the same invalid INN but another name and city stays separate.
    other = write_csv(tmp_path / "b.csv", [["ООО Гамма", BAD_INN, "Пермь", "", "", "", ""]])
    second = source_import(path=other, source_name="B")
    assert second.new_companies == 1
    assert Company.objects.filter(inn=BAD_INN).count() == 2


def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", VENDOR_LIST)
    source_import(path=path, source_name="L", vendor="Huawei")
    before = counts()
    report = source_import(path=path, source_name="L", vendor="Huawei")
    assert report.unchanged
    assert counts() == before
    # A copy of the same file under another name is the same content too.
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    assert source_import(path=copy, source_name="L").unchanged
    assert counts() == before


def test_new_version_of_a_list_keeps_adds_and_retires_rows(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "v1.csv", VENDOR_LIST[:3])
    source_import(path=first, source_name="L", vendor="Huawei")
    rows_before = {r.content_hash: r.pk for r in SourceRow.objects.all()}
    second = write_csv(
        tmp_path / "v2.csv",
        [VENDOR_LIST[2], VENDOR_LIST[0], ["ООО Новая", INN_B, "Самара", "", "", "", ""]],
    )
    report = source_import(path=second, source_name="L")
    assert (report.unchanged_rows, report.new_rows, report.removed_rows) == (2, 1, 1)
    current = SourceRow.objects.filter(is_current=True).order_by("row_number")
    assert [r.canonical["name"] for r in current] == ["Альянс", "ООО «Ромашка»", "ООО Новая"]
    # Unchanged rows keep their identity (and their links); their row numbers follow the file.
    assert current[0].pk == rows_before[current[0].content_hash]
    retired = SourceRow.objects.get(is_current=False)
    assert retired.canonical["name"] == 'АО "Джет"'
    assert Source.objects.get(name="L").row_count == 3


def test_linking_across_sources(tmp_path: Path) -> None:
    """The deterministic rules (the baseline; the model linker has its own tests)."""
    source_import(path=write_csv(tmp_path / "a.csv", VENDOR_LIST), source_name="A", vendor="Huawei")
    rows = [
        ["Romashka LLC", INN_A, "Moscow", "", "", "Partner", ""],  # same INN
        ["ОАО Альянс", "", "г. Омск", "", "", "", ""],  # same name, same city
        ["Jet Infosystems", "", "", "http://jet.su", "", "", ""],  # same domain
        ["Альянс", "", "Тула", "", "", "", ""],  # same name+city (the Tula one)
        ["Другая Альянс", "", "", "alliance.tilda.ws", "", "", ""],  # hosting domain: no link
    ]
    report = source_import(
        path=write_csv(
            tmp_path / "b.csv",
            rows,
            header=["Company", "INN", "City", "Website", "Phone", "Level", "Competencies"],
            encoding="utf-8",
        ),
        source_name="B",
        vendor="Cisco",
        linker=DeterministicLinker(),
    )
    assert report.linked == 4
    assert report.new_companies == 1
    linked = {
        r.row_number: (r.link_method, r.company_id)
        for r in SourceRow.objects.filter(source__name="B")
    }
    romashka = Company.objects.get(inn=INN_A)
    assert linked[1] == ("inn", romashka.pk)
    assert linked[2][0] == "name_city"
    assert linked[3][0] == "domain"
    assert linked[5][0] == "new"
    romashka.refresh_from_db()
    assert romashka.source_count == 2
    assert romashka.vendors_text == "Cisco, Huawei"
    assert set(romashka.names.values_list("name", flat=True)) == {"ООО «Ромашка»", "Romashka LLC"}
    assert "romashka llc" in romashka.search_text


def test_unknown_encoding_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes(("Компания;Город\n" + "Ромашка;Москва\n").encode("utf-16-le"))
    with pytest.raises(UnknownEncodingError, match=r"utf16\.csv"):
        source_import(path=path, source_name="X")
    assert counts()["Source"] == 0


def test_broken_xlsx_and_html_without_table_write_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(BrokenSpreadsheetError):
        source_import(path=broken, source_name="X")
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Нет таблицы</p></body></html>", encoding="utf-8")
    with pytest.raises(NoTableError):
        source_import(path=page, source_name="Y")
    assert counts() == {name: 0 for name in counts()} | {"Vendor": 0}


def test_failure_midway_leaves_nothing_half_written(tmp_path: Path, monkeypatch) -> None:
    rows = [[f"ООО Компания {i}", "", "Москва", "", "", "", ""] for i in range(30)]
    path = write_csv(tmp_path / "l.csv", rows)
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    calls = {"n": 0}
    original = services._FactWriter.flush

    def failing_flush(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(self)

    monkeypatch.setattr(services._FactWriter, "flush", failing_flush)
    with pytest.raises(RuntimeError):
        source_import(path=path, source_name="L")
    assert counts() == {name: 0 for name in counts()}
    # After the failure the cached linking index is not reused with ghost companies.
    monkeypatch.setattr(services._FactWriter, "flush", original)
    report = source_import(path=path, source_name="L")
    assert report.new_companies == 30
    assert Company.objects.count() == 30


def test_batches_link_rows_across_batch_boundaries(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    rows = (
        [["ООО Дельта", "", "Москва", "", "", "", ""]]
        + [[f"Фирма {i}", "", "Тверь", "", "", "", ""] for i in range(5)]
        + [["Дельта", "", "г. Москва", "", "", "", ""]]
    )
    report = source_import(path=write_csv(tmp_path / "l.csv", rows), source_name="L")
    assert report.new_companies == 6
    assert report.link_methods == {"new": 6, "name_city": 1}


def test_duplicate_header_row_is_skipped_and_reported(tmp_path: Path) -> None:
    rows = [VENDOR_LIST[0], HEADER, VENDOR_LIST[1]]
    report = source_import(path=write_csv(tmp_path / "l.csv", rows), source_name="L")
    assert report.rows == 2
    assert [n.message for n in report.notices] == ["repeated header row skipped"]
    assert Source.objects.get().notices == [
        {"location": "line 3", "message": "repeated header row skipped"}
    ]
    assert list(SourceRow.objects.values_list("row_number", flat=True).order_by("row_number")) == [
        1,
        2,
    ]


def test_xlsx_with_mapping_override(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Клиент", "Нас. пункт", "Примечание"])
    sheet.append(["ООО Вектор", "Екатеринбург", "крупный"])
    path = tmp_path / "l.xlsx"
    workbook.save(path)
    preview = source_preview(path=path)
    assert dict(preview["columns"]) == {
        "Клиент": None,
        "Нас. пункт": "city",
        "Примечание": "comment",
    }
    report = source_import(path=path, source_name="L", mapping=["Клиент=name"])
    assert report.errors == 0
    company = Company.objects.get()
    assert "Вектор" in company.display_name
    assert company.city_name == "Екатеринбург"
    assert Source.objects.get().mapping == {"клиент": "name"}


def test_import_is_audited(tmp_path: Path) -> None:
    source_import(path=write_csv(tmp_path / "a.csv", VENDOR_LIST), source_name="A", user="tester")
    entry = ChangeLogEntry.objects.get(action="import")
    assert entry.object_type == "register.source"
    assert entry.changes["rows"] == 6
    assert entry.user_name == "tester"
    created = ChangeLogEntry.objects.filter(action="create", object_type="register.company")
    assert created.count() == Company.objects.count()
    assert (
        len({e.batch for e in ChangeLogEntry.objects.exclude(object_type="register.vendor")}) == 1
    )
    # A later list adding an INN to a known company is logged as an update with the diff.
    rows = [["АО Джет", INN_B, "Санкт-Петербург", "", "", "", ""]]
    source_import(path=write_csv(tmp_path / "b.csv", rows), source_name="B")
    update = ChangeLogEntry.objects.get(action="update", object_type="register.company")
    assert update.changes["inn"] == ["", INN_B]


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown source kind"):
        source_import(path=write_csv(tmp_path / "a.csv", VENDOR_LIST), source_name="A", kind="x")


def test_progress_is_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(services, "BATCH_SIZE", 4)
    steps: list[int] = []
    source_import(
        path=write_csv(tmp_path / "a.csv", VENDOR_LIST), source_name="A", progress=steps.append
    )
    assert steps == [4, 2]


def test_company_update_is_audited() -> None:
    company = Company.objects.create(display_name="ООО Тест", name_key="тест")
    services.company_update(company=company, inn=INN_A, reason="from the contract", user="anna")
    company.refresh_from_db()
    assert company.inn == INN_A and company.inn_valid
    entry = ChangeLogEntry.objects.get(object_id=str(company.pk))
    assert entry.changes == {"inn": ["", INN_A]}
    assert entry.reason == "from the contract"
    assert CompanyIdentifier.objects.get(company=company, kind="inn").valid
    with pytest.raises(ValueError):
        services.company_update(company=company, search_text="x")


def test_identifiers_typed_by_hand_are_stored_compact_with_the_real_error() -> None:
    company = Company.objects.create(display_name="ООО Тест", name_key="тест")
    spaced = f"ИНН {INN_A[:4]} {INN_A[4:7]} {INN_A[7:]}"
    services.company_update(company=company, inn=spaced, kpp="77360100", reason="typed")
    company.refresh_from_db()
    assert company.inn == INN_A and company.inn_valid
    assert company.kpp == "77360100" and not company.kpp_valid
    facts = {i.kind: i for i in CompanyIdentifier.objects.filter(company=company)}
    assert facts["inn"].value == INN_A and facts["inn"].valid and facts["inn"].error == ""
    assert not facts["kpp"].valid and facts["kpp"].error == "InvalidLength"


def test_inn_entered_by_hand_links_later_rows(tmp_path: Path) -> None:
    company = Company.objects.create(display_name="ООО Тест", name_key="тест")
    services.company_update(company=company, inn=INN_A, reason="from the contract")
    rows = [["Совсем другое имя", INN_A, "Омск", "", "", "", ""]]
    report = source_import(path=write_csv(tmp_path / "l.csv", rows), source_name="L")
    assert report.linked == 1
    assert SourceRow.objects.get().company == company
