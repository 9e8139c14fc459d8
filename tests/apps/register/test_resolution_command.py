"""``partnernet resolve``: help text, JSON report, dry run changes nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from partnernet.apps.register.models import Company
from partnernet.apps.register.models_resolution import CompanyMerge
from partnernet.apps.register.services import source_import
from partnernet.engines.resolution.deterministic import DeterministicLinker

from .helpers import write_csv


def test_resolve_reports_and_dry_run_changes_nothing(db, tmp_path: Path) -> None:
    header = ["Название", "Город", "Сайт", "Телефон"]
    rows = {
        # Different scripts, no shared domain: the deterministic linker keeps two companies.
        "a": ["ООО «Квазар Системс»", "Тверь", "kvazar.ru", "+7 4822 11-22-33"],
        "b": ["Kvazar Systems", "Tver", "", "84822112233"],
    }
    for name, row in rows.items():
        source_import(
            linker=DeterministicLinker(),
            path=write_csv(tmp_path / f"{name}.csv", [row], header=header, encoding="utf-8"),
            source_name=name,
        )
    live = Company.objects.filter(merged_into__isnull=True).count()
    assert live == 2
    out = StringIO()
    call_command("resolve", "--dry-run", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["rows"] == 2 and report["applied"] is False
    assert Company.objects.filter(merged_into__isnull=True).count() == live
    assert not CompanyMerge.objects.exists()
    out = StringIO()
    call_command("resolve", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["merged"] == live - 1 == 1
    assert Company.objects.filter(merged_into__isnull=True).count() == 1


def test_resolve_has_help() -> None:
    from partnernet.cli.management.commands.resolve import Command

    assert "review" in Command.help
