"""A channel manager imports a Russian Excel CSV (cp1251, `;`) through the UI and finds the
company in the register: upload, preview of detected columns, fix one column, confirm."""

from __future__ import annotations

from pathlib import Path

CSV = (
    "Наименование партнёра;ИНН;Город;Сайт;Статус у вендора 2025\r\n"
    "ООО «Северные Сети»;7814000013;г. Санкт-Петербург;www.sev-seti.ru;Золотой партнёр\r\n"
    'АО "Интегра";6670000011;Екатеринбург;integra-ural.ru;Серебряный\r\n'
)


def test_upload_cp1251_csv_fix_mapping_and_find_company(
    page, live_server, tmp_path: Path, settings
):
    # The import is a background task; here it runs at once, inside the confirming request
    # (the immediate backend), and the job page shows its outcome.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    upload = tmp_path / "partners-cp1251.csv"
    upload.write_bytes(CSV.encode("cp1251"))

    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.fill("input[name=source_name]", "Vendor X locator 2025")
    page.fill("input[name=vendor]", "Vendor X")
    page.click("#import-upload button[type=submit]")

    # The preview names what it detected and recognised the Russian headers.
    page.wait_for_selector("#import-mapping")
    detected = page.inner_text("#detected")
    assert "CSV" in detected and "1251" in detected
    headers = page.locator("#import-mapping thead th").all_inner_texts()
    assert "Наименование партнёра" in headers and "Статус у вендора 2025" in headers
    name_select = page.locator("#import-mapping select").nth(headers.index("Наименование партнёра"))
    assert name_select.input_value() == "name"

    # The vendor-specific status column is not a standard header: map it to "level" by hand.
    level_select = page.locator("#import-mapping select").nth(
        headers.index("Статус у вендора 2025")
    )
    level_select.select_option("level")
    page.click("#confirm-import")
    page.wait_for_selector("#import-job[data-status=done]")
    assert "Imported 2 rows" in page.inner_text("#import-summary")
    page.click("text=Open the source")
    page.wait_for_selector("text=Vendor X locator 2025")

    page.goto(f"{live_server.url}/companies/?q=северные")
    table = page.inner_text("table")
    assert "Северные Сети" in table
    assert "Интегра" not in table
    page.click("text=Северные Сети")
    detail = page.content()
    assert "7814000013" in detail
    assert "Золотой партнёр" in detail
