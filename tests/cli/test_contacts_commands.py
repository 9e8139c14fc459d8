"""``partnernet contacts …`` and ``partnernet legal-status check`` through call_command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from partnernet.apps.contacts.models import LegalStatusCheck, Person, Suppression
from partnernet.apps.contacts.services import feedback_apply, person_create
from partnernet.apps.register.models import Company, CompanyDomain
from partnernet.engines.mailfeedback import parse_message
from tests.apps.contacts import messages as m

pytestmark = pytest.mark.django_db

CSV = (
    "ФИО;Должность;E-mail;Телефон;Компания\n"
    "Тарасенко Андрей Викторович;менеджер;a.tarasenko@vega-it.example;+7 495 700-10-22;Вега\n"
    "Лаптева Ирина;инженер;i.lapteva@vega-it.example;;Вега\n"
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def vega(db):
    company = Company.objects.create(
        display_name="ООО «Вега ИТ»", name_key="вега ит", inn="7707083893", inn_valid=True
    )
    CompanyDomain.objects.create(company=company, domain="vega-it.example")
    return company


def test_import_export_erase_round_trip(tmp_path: Path, vega):
    path = tmp_path / "contacts.csv"
    path.write_bytes(CSV.encode("cp1251"))
    report = json.loads(run("contacts", "import", str(path), "--source", "выставка", "--json"))
    assert report["created"] == 2 and report["linked"] == {"domain": 2}

    rows = json.loads(run("contacts", "export", "--format", "json"))
    assert {r["full_name"] for r in rows} == {"Тарасенко Андрей Викторович", "Лаптева Ирина"}
    assert rows[0]["company"] == "ООО «Вега ИТ»"
    xlsx = tmp_path / "out.xlsx"
    run("contacts", "export", "--format", "xlsx", "-o", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert sheet.max_row == 3 and sheet.cell(1, 2).value == "full_name"

    result = json.loads(run("contacts", "erase", "I.Lapteva@vega-it.example", "--json"))
    assert result["erased"][0]["addresses_suppressed"] == 1
    assert not Person.objects.filter(surname="Лаптева").exists()
    assert Suppression.objects.get().value == ""
    with pytest.raises(CommandError, match="No contact"):
        run("contacts", "erase", "nobody@vega-it.example")


def test_freshness_json(vega):
    person_create(full_name="Котов Олег", company=vega, emails=["o.kotov@vega-it.example"])
    data = json.loads(run("contacts", "freshness", "--json"))
    assert data["contacts"] == 1 and data["departures"] == 0
    assert data["book_range"] == [0.05, 0.1]
    assert data["stalest_people"][0]["name"] == "Котов Олег"


def test_tasks_command_opens_due_reverify_tasks(vega):
    import datetime as dt

    from django.utils import timezone

    from partnernet.apps.contacts.models import Task

    person = person_create(full_name="Котов Олег", company=vega, emails=["o.kotov@vega-it.example"])
    old = timezone.now() - dt.timedelta(days=400)
    Person.objects.filter(pk=person.pk).update(first_seen=old, last_confirmed=old)
    data = json.loads(run("contacts", "tasks", "--months", "12", "--json"))
    assert data == {"reverify": 1, "verify_guess": 0, "verify_guess_closed": 0}
    assert Task.objects.get().person == person
    assert json.loads(run("contacts", "tasks", "--json"))["reverify"] == 0


def test_guess_command_stores_guesses(vega):
    for name, address in [
        ("Шинкарев Борис", "b.shinkarev@vega-it.example"),
        ("Горскин Павел", "p.gorskin@vega-it.example"),
        ("Цыганов Роман", "r.tsyganov@vega-it.example"),
    ]:
        person_create(full_name=name, company=vega, emails=[address])
    person_create(full_name="Тарасенко Андрей", company=vega)
    rows = json.loads(run("contacts", "guess", "--top", "1", "--json"))
    assert [r["email"] for r in rows] == ["a.tarasenko@vega-it.example"]


def test_legal_status_needs_a_key(vega, monkeypatch):
    monkeypatch.delenv("PARTNERNET_DADATA_API_KEY", raising=False)
    with pytest.raises(CommandError, match="PARTNERNET_DADATA_API_KEY"):
        run("legal-status", "check", "--all-flagged")


def test_legal_status_unreachable_is_a_clear_error(vega, monkeypatch):
    monkeypatch.setenv("PARTNERNET_DADATA_API_KEY", "key")
    import partnernet.engines.legalstatus.dadata as dadata

    def down(url, body, headers, timeout):
        raise OSError("Network is unreachable")

    original = dadata.DaDataPartyClient.__init__

    def init(self, api_key, **kwargs):
        kwargs["transport"] = down
        original(self, api_key, **kwargs)

    monkeypatch.setattr(dadata.DaDataPartyClient, "__init__", init)
    with pytest.raises(CommandError, match="unreachable"):
        run("legal-status", "check", "--company", str(vega.pk))
    assert not LegalStatusCheck.objects.exists()


def test_legal_status_checks_flagged_companies(vega, monkeypatch):
    monkeypatch.setenv("PARTNERNET_DADATA_API_KEY", "key")
    person_create(full_name="Котов Олег", company=vega, emails=["o.kotov@vega-it.example"])
    feedback_apply(result=parse_message(m.hostunknown("o.kotov@vega-it.example")), message_ref="h1")
    import partnernet.engines.legalstatus.dadata as dadata

    answer = Path(__file__).resolve().parents[1] / "data" / "dadata" / "liquidated.json"
    original = dadata.DaDataPartyClient.__init__

    def init(self, api_key, **kwargs):
        kwargs["transport"] = lambda url, body, headers, timeout: (200, answer.read_bytes())
        original(self, api_key, **kwargs)

    monkeypatch.setattr(dadata.DaDataPartyClient, "__init__", init)
    rows = json.loads(run("legal-status", "check", "--all-flagged", "--json"))
    assert [(r["company"], r["status"]) for r in rows] == [(vega.pk, "liquidated")]


@pytest.mark.parametrize("name", ["contacts", "legal_status", "legal-status"])
def test_every_option_has_help(name: str) -> None:
    import argparse

    from django.core.management import load_command_class

    command = load_command_class("partnernet.cli", name)
    assert len(command.help) > 40
    parser = command.create_parser("partnernet", name)
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    parsers = [parser, *(p for a in subparsers for p in a.choices.values())]
    for each in parsers:
        for action in each._actions:
            if action.dest not in ("help", "version") and action.option_strings:
                assert action.help, f"{name} {action.option_strings} lacks help"
