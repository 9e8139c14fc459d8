from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.apps.register.services import source_import
from partnernet.engines.resolution.deterministic import DeterministicLinker

from .helpers import VENDOR_LIST, write_csv


@pytest.fixture
def register(db, tmp_path: Path) -> dict[str, object]:
    """Two imported lists: a cp1251 vendor list (Huawei) and an English one (Cisco)."""
    first = source_import(
        linker=DeterministicLinker(),
        path=write_csv(tmp_path / "huawei.csv", VENDOR_LIST),
        source_name="Huawei RU",
        vendor="Huawei",
    )
    english = [
        ["Romashka LLC", "7707083893", "Moscow", "romashka.ru", "", "Gold Partner", "Networking"],
        ["Vector Systems", "", "Yekaterinburg", "vector-it.ru", "", "Select", "Cloud"],
        ["Kazakh Tech", "", "Almaty", "kaztech.kz", "", "Premier", ""],
    ]
    second = source_import(
        linker=DeterministicLinker(),
        path=write_csv(
            tmp_path / "cisco.csv",
            english,
            header=["Partner", "INN", "City", "Website", "Phone", "Level", "Competencies"],
            encoding="utf-8",
        ),
        source_name="Cisco locator",
        vendor="Cisco",
    )
    return {"huawei": first, "cisco": second}
