"""Small partner-list files for register tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

HEADER = ["Наименование", "ИНН", "Город", "Сайт", "Телефон", "Статус", "Специализация"]
# Valid INNs (checksums verified by the identifier engine's tests).
INN_A = "7707083893"
INN_B = "7736207543"
INN_C = "5402113155"
BAD_INN = "7707083894"  # last digit off: checksum fails


def write_csv(
    path: Path, rows: list[list[str]], *, header: list[str] | None = None, encoding: str = "cp1251"
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


VENDOR_LIST = [
    [
        "ООО «Ромашка»",
        INN_A,
        "г. Москва",
        "https://www.romashka.ru/",
        "+7 (495) 123-45-67",
        "Gold",
        "Сетевое оборудование; ИБ",
    ],
    ['АО "Джет"', "", "Санкт-Петербург", "jet.su", "8 812 600-00-00", "Silver", "СХД"],
    ["Альянс", "", "Омск", "", "", "Registered", ""],
    ["Альянс", "", "Тула", "alliance.tilda.ws", "", "Registered", ""],
    ["", INN_C, "Казань", "", "", "Gold", ""],
    ["ООО Бета", BAD_INN, "Новосибирск", "beta-nsk.ru", "", "Silver", "Облака"],
]


# A small market for the resolution-at-import tests: a list with contacts and a bare name.
RESOLUTION_HEADER = ["Название", "ИНН", "Город", "Сайт", "Телефон"]
RESOLUTION_FIRST = [
    ["ООО «Инфосистемы Джет»", "", "Москва", "jet.su", "+7 495 411-76-01"],
    ["Альянс", "", "Омск", "", "+7 3812 00-11-22"],
    ["ООО «Квазар Технологии»", "", "Казань", "", ""],
]


def import_rows(tmp_path: Path, name: str, rows: list[list[str]]) -> Any:
    """Import ``rows`` (under ``RESOLUTION_HEADER``) as the list ``name``."""
    from partnernet.apps.register.services import source_import

    path = write_csv(tmp_path / f"{name}.csv", rows, header=RESOLUTION_HEADER, encoding="utf-8")
    return source_import(path=path, source_name=name)
