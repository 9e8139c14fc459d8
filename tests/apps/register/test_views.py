from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from partnernet.apps.register.job_services import import_job_create, import_job_run
from partnernet.apps.register.models import Company, ImportJob, JobStatus, Source

from .helpers import INN_A, VENDOR_LIST, write_csv


def test_pages_require_login(client, db) -> None:
    response = client.get(reverse("register:company_list"))
    assert response.status_code in (302, 403)


@pytest.mark.usefixtures("register")
class TestCompanyList:
    def test_list_search_and_count(self, admin_client) -> None:
        response = admin_client.get(reverse("register:company_list"), {"q": "ромашка"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Ромашка" in body
        assert "Альянс" not in body
        assert re.search(r'id="company-count">1<', body)
        # The shared filter sidebar: the form keeps its id, the reset link leads to the bare list.
        assert 'id="company-filters"' in body and 'querySelectorAll("#company-filters input' in body
        assert f'href="{reverse("register:company_list")}" class="btn' in body
        assert 'id="export-csv"' in body and 'id="export-xlsx"' in body

    def test_export_csv_is_exactly_the_filtered_sorted_view(self, admin_client) -> None:
        params = {"sources_max": 1, "sort": "-display_name"}
        response = admin_client.get(reverse("register:company_list"), {**params, "_export": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        expected = list(
            Company.objects.filter(source_count__lte=1)
            .order_by("-display_name")
            .values_list("display_name", flat=True)
        )
        assert [r[0] for r in rows[1:]] == expected
        assert len(rows[0]) == 9  # the table's columns

    def test_export_xlsx(self, admin_client) -> None:
        response = admin_client.get(
            reverse("register:company_list"), {"q": "ромашка", "_export": "xlsx"}
        )
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        values = list(workbook.active.iter_rows(values_only=True))
        assert len(values) == 2
        assert INN_A in values[1]

    def test_company_page(self, admin_client) -> None:
        company = Company.objects.get(inn=INN_A)
        response = admin_client.get(company.get_absolute_url())
        body = response.content.decode()
        assert response.status_code == 200
        for text in (
            "Romashka LLC",
            "Huawei",
            "Cisco",
            "Gold",
            INN_A,
            "Huawei RU",
            "Cisco locator",
        ):
            assert text in body, text
        assert 'id="history"' in body
        # The contacts side of the company (people, legal status, address patterns).
        assert 'id="contacts-panel"' in body
        assert f"/strategy/program/partners/{company.pk}/" in body
        assert f"/selection/partnership/{company.pk}/" in body

    def test_sources_pages(self, admin_client) -> None:
        response = admin_client.get(reverse("register:source_list"))
        assert "Huawei RU" in response.content.decode()
        source = Source.objects.get(name="Huawei RU")
        body = admin_client.get(source.get_absolute_url()).content.decode()
        assert 'data-count="errors">1<' in body
        assert "no company name" in body
        assert 'data-count="new">5<' in body


def test_import_upload_preview_fix_mapping_confirm(admin_client, db, tmp_path: Path) -> None:
    rows = [["ООО «Вектор»", "Екатеринбург", "Облака"], ["Альфа", "Москва", ""]]
    path = write_csv(tmp_path / "list.csv", rows, header=["Клиент", "Город", "Направления"])
    with open(path, "rb") as handle:
        response = admin_client.post(
            reverse("register:import_upload"),
            {"file": handle, "source_name": "Выставка 2026", "kind": "event_leads", "vendor": ""},
        )
    assert response.status_code == 302
    mapping_url = response["Location"]
    page = admin_client.get(mapping_url).content.decode()
    assert "cp1251" in page and "Клиент" in page and "ООО «Вектор»" in page
    # "Клиент" is not recognised: the user maps it to the company name and confirms.
    fields = {"column_0": "name", "column_1": "city", "column_2": "specialisations"}
    preview = admin_client.post(mapping_url, {**fields, "action": "preview"})
    assert preview.status_code == 200
    response = admin_client.post(mapping_url, {**fields, "action": "confirm"})
    # The import is a background task: the page follows it (htmx polls the status block).
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "register:import_job", args=[job.pk]
    )
    assert job.status == JobStatus.QUEUED and not Source.objects.exists()
    status = admin_client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="queued"' in status and 'hx-trigger="every 1s"' in status
    assert "<html" not in status  # the partial only
    assert Path(job.path).exists()  # kept for the worker
    import_job_run(job_id=job.pk)  # what the worker does
    assert not Path(job.path).parent.exists()  # the upload is consumed
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(response["Location"]).content.decode()
    source = Source.objects.get(name="Выставка 2026")
    assert 'data-status="done"' in page and "hx-trigger" not in page
    assert source.get_absolute_url() in page and "Imported 2 rows" in page
    assert import_job_run(job_id=job.pk)["skipped"]  # a second delivery does nothing
    assert source.kind == "event_leads"
    assert source.row_count == 2 and source.error_count == 0
    assert Company.objects.filter(city_name="Екатеринбург").count() == 1
    # The upload is consumed.
    assert admin_client.get(mapping_url).status_code == 404


def test_import_upload_rejects_unreadable_file(admin_client, db, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 nope")
    with open(path, "rb") as handle:
        response = admin_client.post(
            reverse("register:import_upload"), {"file": handle, "source_name": "X"}
        )
    assert response.status_code == 200
    assert "broken.xlsx" in response.content.decode()
    assert not Source.objects.exists()


def test_import_job_shows_file_errors_with_their_place(
    admin_client, db, tmp_path, settings
) -> None:
    path = write_csv(tmp_path / "l.csv", [["ООО Альфа", "", "Москва", "", "", "", ""]])
    job = import_job_create(path=path, source_name="L", file_name="l.csv", user=None)
    path.write_bytes("Компания;Город\nРомашка;Москва\n".encode("utf-16-le"))  # spoilt meanwhile
    assert import_job_run(job_id=job.pk)["error"]
    page = admin_client.get(reverse("register:import_job", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in page and "l.csv" in page
    assert not Source.objects.exists()
    assert path.exists()  # a file outside the uploads folder is never removed


def test_import_job_progress_is_read_back(db, tmp_path, settings) -> None:
    from partnernet.apps.register.job_services import _progress_writer, import_job_progress

    settings.MEDIA_ROOT = tmp_path / "media"

    job = import_job_create(path=tmp_path / "x.csv", source_name="X", file_name="x.csv")
    assert import_job_progress(job=job) == 0
    advance = _progress_writer(job)
    advance(2000)
    advance(10)  # within half a second: not written yet
    assert import_job_progress(job=job) == 2000


def test_reimport_through_ui_of_same_file_changes_nothing(
    admin_client, db, tmp_path, settings, django_capture_on_commit_callbacks
) -> None:
    # The whole path with the task run at once (the immediate backend) after the commit.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = write_csv(tmp_path / "l.csv", VENDOR_LIST)
    for _ in range(2):
        with open(path, "rb") as handle:
            response = admin_client.post(
                reverse("register:import_upload"), {"file": handle, "source_name": "L"}
            )
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                response["Location"],
                {
                    "action": "confirm",
                    **{
                        f"column_{i}": f
                        for i, f in enumerate(
                            ["name", "inn", "city", "website", "phone", "level", "specialisations"]
                        )
                    },
                },
            )
    assert Source.objects.get().row_count == 6
    assert Company.objects.count() == 5
    admin_client.cookies["django_language"] = "en"
    last = ImportJob.objects.order_by("-id").first()
    assert last is not None and last.status == JobStatus.DONE and last.report["unchanged"]
    page = admin_client.get(reverse("register:import_job", args=[last.pk])).content.decode()
    assert "nothing changed" in page


def test_invalid_inn_shows_the_validators_real_reason(admin_client, db) -> None:
    from partnernet.apps.register.services import company_update

    short = Company.objects.create(display_name="ООО Короткий", name_key="короткий")
    company_update(company=short, inn="770708389", reason="typed")  # nine digits
    bad_sum = Company.objects.create(display_name="ООО Контрольная", name_key="контрольная")
    company_update(company=bad_sum, inn="7707083894", reason="typed")  # last digit off
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(reverse("register:company_list")).content.decode()
    assert 'title="wrong number of digits">770708389' in page
    assert 'title="invalid checksum">7707083894' in page
    detail = admin_client.get(short.get_absolute_url()).content.decode()
    assert "wrong number of digits" in detail
