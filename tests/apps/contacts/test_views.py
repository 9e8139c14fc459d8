"""Web pages and the REST API of the contacts app."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnernet.apps.contacts.models import (
    EmailAddress,
    EmploymentStatus,
    Person,
    Proposal,
    ProposalStatus,
    Suppression,
    Task,
)
from partnernet.apps.contacts.services import feedback_apply
from partnernet.engines.mailfeedback import parse_message

from . import messages as m

pytestmark = pytest.mark.django_db

LEFT = (
    "Павел Горскин больше не работает в компании.\n"
    "По всем вопросам обращайтесь к Ольге Смирновой, менеджеру по работе с партнёрами:\n"
    "o.smirnova@vega-it.example, +7 (495) 700-10-25.\n"
)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("manager")  # no password: no slow hashing


@pytest.fixture
def web(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_pages_need_login(client, vega):
    response = client.get("/contacts/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_person_list_filters_and_exports_what_is_shown(web, vega):
    _, people = vega
    people["gorskin"].status = EmploymentStatus.LEFT
    people["gorskin"].save()
    page = web.get("/contacts/", {"status": "active"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Шинкарев Борис Петрович" in text and "Горскин" not in text
    assert 'id="person-filters"' in text and 'href="/contacts/" class="btn' in text
    assert 'id="export-csv"' in text and 'id="export-xlsx"' in text
    export = web.get("/contacts/", {"status": "active", "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + two active people
    assert {r[0] for r in rows[1:]} == {"Шинкарев Борис Петрович", "Цыганов Роман"}
    csv = web.get("/contacts/", {"q": "цыганов", "_export": "csv"}).content.decode("utf-8-sig")
    assert "r.tsyganov@vega-it.example" in csv and "shinkarev" not in csv


def test_person_page_shows_history_successor_and_stand_ins(web, vega):
    _, people = vega
    feedback_apply(
        result=parse_message(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT)),
        message_ref="msg-l",
        mode="apply",
    )
    page = web.get(f"/contacts/{people['gorskin'].pk}/").content.decode()
    assert "Ольга Смирнова" in page  # successor
    assert "msg-l" in page  # history names the message


def test_review_queue_bulk_accept(web, vega):
    feedback_apply(
        result=parse_message(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT)),
        message_ref="msg-l",
    )
    page = web.get("/contacts/proposals/").content.decode()
    assert "Ольга Смирнова" in page
    ids = list(Proposal.objects.values_list("pk", flat=True))
    response = web.post("/contacts/proposals/", {"action": "accept", "ids": ids})
    assert response.status_code == 302
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.ACCEPTED}
    assert Person.objects.filter(full_name="Ольга Смирнова").exists()


def test_review_queue_reject_one(web, vega):
    feedback_apply(
        result=parse_message(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT)),
        message_ref="msg-l",
    )
    first = Proposal.objects.order_by("id").first()
    web.post("/contacts/proposals/", {"action": "reject", "ids": [first.pk]})
    first.refresh_from_db()
    assert first.status == ProposalStatus.REJECTED
    assert Proposal.objects.filter(status=ProposalStatus.PENDING).count() == 1


def test_tasks_suppression_and_freshness_pages(web, vega):
    feedback_apply(
        result=parse_message(m.hostunknown("b.shinkarev@vega-it.example")), message_ref="h"
    )
    task = Task.objects.get()
    assert task.title in web.get("/contacts/tasks/").content.decode()
    web.post(f"/contacts/tasks/{task.pk}/close/", {"status": "done", "resolution": "закрылась"})
    task.refresh_from_db()
    assert task.status == "done" and task.closed_by == "manager"

    web.post("/contacts/suppression/", {"value": "spam-trap.example", "reason": "manual"})
    assert Suppression.objects.get().is_domain
    assert "spam-trap.example" in web.get("/contacts/suppression/").content.decode()

    page = web.get("/contacts/freshness/")
    assert page.status_code == 200 and "decay-chart" in page.content.decode()


def test_freshness_page_shows_the_engines_verdict_translated(web, vega):
    _, people = vega
    start = timezone.now() - dt.timedelta(days=730)
    Person.objects.update(first_seen=start, last_confirmed=timezone.now())
    gone = Person.objects.get(pk=people["gorskin"].pk)
    gone.status = EmploymentStatus.LEFT
    gone.left_on = (timezone.now() - dt.timedelta(days=365)).date()
    gone.save()
    # One departure in a few person-years: far faster than the book's 5-10% a year.
    web.cookies["django_language"] = "ru"  # the language switch's cookie
    with translation.override("ru"):
        ru = web.get("/contacts/freshness/").content.decode()
    assert "быстрее, чем 5–10% в год по книге" in ru
    web.cookies["django_language"] = "en"
    with translation.override("en"):
        en = web.get("/contacts/freshness/").content.decode()
    assert escape("faster than the book's 5-10% a year") in en


def test_company_panel_shows_people_patterns_and_legal_status(web, vega):
    company, _ = vega
    page = web.get(f"/contacts/company/{company.pk}/").content.decode()
    assert "Цыганов Роман" in page
    assert "{f}.{last}" in page  # the learned pattern
    # No key configured: a clear message, no crash.
    response = web.post(f"/contacts/company/{company.pk}/legal-status/", follow=True)
    assert "PARTNERNET_DADATA_API_KEY" in response.content.decode()


def test_guess_then_try_from_the_person_page(web, vega):
    company, _ = vega
    web.post(
        "/contacts/add/",
        {
            "full_name": "Тарасенко Андрей",
            "company": company.pk,
            "legal_basis": "legitimate_interest",
            "source": "звонок",
        },
    )
    person = Person.objects.get(surname="Тарасенко")
    web.post(f"/contacts/{person.pk}/guess/")
    best = person.emails.order_by("-confidence").first()
    assert best.address == "a.tarasenko@vega-it.example" and not best.use_for_mailing
    web.post(f"/contacts/addresses/{best.pk}/accept/")
    assert EmailAddress.objects.get(pk=best.pk).use_for_mailing


def test_api_people_proposals_tasks_suppression(api, vega):
    company, people = vega
    listing = api.get("/api/contacts/people/", {"company": company.pk}).json()
    assert listing["count"] == 3
    created = api.post(
        "/api/contacts/people/",
        {
            "full_name": "Котова Елена",
            "company": company.pk,
            "emails": ["e.kotova@vega-it.example"],
            "source": "api",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["surname"] == "Котова"

    feedback_apply(
        result=parse_message(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT)),
        message_ref="msg-l",
    )
    pending = api.get("/api/contacts/proposals/", {"status": "pending"}).json()
    assert pending["count"] == 2
    ids = [p["id"] for p in pending["results"]]
    assert api.post("/api/contacts/proposals/accept/", {"ids": ids}, format="json").json() == {
        "accepted": 2
    }
    assert Person.objects.get(pk=people["gorskin"].pk).successor.full_name == "Ольга Смирнова"

    check = api.post(
        "/api/contacts/suppression/check/", {"address": "x@vega-it.example"}, format="json"
    ).json()
    assert check["blocked"] is False
    api.post(
        "/api/contacts/suppression/",
        {"value": "x@vega-it.example", "reason": "unsubscribed"},
        format="json",
    )
    check = api.post(
        "/api/contacts/suppression/check/", {"address": "X@vega-it.example"}, format="json"
    ).json()
    assert check["blocked"] is True

    feedback_apply(
        result=parse_message(m.hostunknown("b.shinkarev@vega-it.example")), message_ref="h"
    )
    task = api.get("/api/contacts/tasks/", {"status": "open", "kind": "company_check"}).json()
    assert task["count"] == 1
    closed = api.post(
        f"/api/contacts/tasks/{task['results'][0]['id']}/close/",
        {"status": "dismissed"},
        format="json",
    ).json()
    assert closed["status"] == "dismissed"

    exported = api.get(f"/api/contacts/people/{people['tsyganov'].pk}/export/").json()
    assert exported["emails"][0]["address"] == "r.tsyganov@vega-it.example"


def test_openapi_schema_has_contacts_endpoints(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/contacts/proposals/accept/" in schema["paths"]
    assert "/api/contacts/suppression/check/" in schema["paths"]


def test_pages_are_in_russian_by_default_and_english_on_request(web, vega):
    page = web.get("/contacts/proposals/").content.decode()
    assert "Предлагаемые изменения контактов" in page
    web.cookies["django_language"] = "en"  # what the language switch sets
    english = web.get("/contacts/proposals/").content.decode()
    assert "Proposed contact changes" in english


def test_company_panel_template_tag_renders_in_any_page(rf, vega):
    from django.template import Context, Template

    company, _ = vega
    html = Template("{% load contacts_panel %}{% contacts_company_panel company %}").render(
        Context({"company": company, "csrf_token": "t"})
    )
    assert 'id="contacts-panel"' in html and "Шинкарев Борис Петрович" in html
