"""Web pages for editing one person, merging duplicates and the due tasks, and their API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    Person,
    PersonChange,
    PersonPhone,
    Task,
    TaskKind,
)
from partnernet.apps.contacts.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("manager")


@pytest.fixture
def web(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# --- web --------------------------------------------------------------------------------------


def test_person_page_has_the_edit_forms(web, vega):
    _company, people = vega
    page = web.get(f"/contacts/{people['tsyganov'].pk}/").content.decode()
    for marker in ('id="email-add"', 'id="phone-add"', 'id="status-edit"', 'id="person-edit"'):
        assert marker in page
    email = EmailAddress.objects.get(person=people["tsyganov"])
    assert f'hx-get="/contacts/emails/{email.pk}/edit/"' in page
    phone = PersonPhone.objects.get(person=people["tsyganov"])
    assert f'hx-get="/contacts/phones/{phone.pk}/edit/"' in page


def test_add_address_with_a_bad_value_shows_why_and_keeps_the_form_open(web, vega):
    _company, people = vega
    pk = people["gorskin"].pk
    response = web.post(f"/contacts/{pk}/emails/add/", {"address": "pavel@vega", "status": "valid"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "has no dot" in page and 'id="email-add" open' in page
    assert 'aria-invalid="true"' in page and 'value="pavel@vega"' in page

    response = web.post(
        f"/contacts/{pk}/emails/add/",
        {"address": "Pavel@Vega-IT.example", "status": "valid", "reason": "визитка"},
    )
    assert response.status_code == 302
    email = EmailAddress.objects.get(person_id=pk, address="pavel@vega-it.example")
    assert email.status == EmailStatus.VALID
    change = PersonChange.objects.get(person_id=pk)
    assert change.reason == "визитка" and change.created_by == "manager"


def test_edit_mark_and_remove_an_address_then_undo(web, vega):
    _company, people = vega
    email = EmailAddress.objects.get(address="p.gorskin@vega-it.example")
    # htmx swaps one table row for the form; without htmx it is a page of its own.
    row = web.get(f"/contacts/emails/{email.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith("<tr") and "<html" not in row
    assert "<html" in web.get(f"/contacts/emails/{email.pk}/edit/").content.decode()

    bad = web.post(
        f"/contacts/emails/{email.pk}/edit/", {"address": "p gorskin@x.ru", "status": "valid"}
    )
    assert bad.status_code == 400 and "spaces" in bad.content.decode()
    web.post(
        f"/contacts/emails/{email.pk}/edit/",
        {
            "address": "pavel.gorskin@vega-it.example",
            "status": "unverified",
            "use_for_mailing": "on",
        },
    )
    email.refresh_from_db()
    assert email.address == "pavel.gorskin@vega-it.example"

    web.post(f"/contacts/emails/{email.pk}/mark/", {"status": "bounced"})
    email.refresh_from_db()
    assert email.status == EmailStatus.BOUNCED

    web.post(f"/contacts/emails/{email.pk}/remove/")
    assert not EmailAddress.objects.filter(pk=email.pk).exists()
    removal = PersonChange.objects.filter(person=people["gorskin"]).first()
    response = web.post(f"/contacts/changes/{removal.pk}/undo/", follow=True)
    assert "Undone." in response.content.decode()
    assert EmailAddress.objects.get(pk=email.pk).status == EmailStatus.BOUNCED


def test_phone_add_explains_a_bad_number_and_normalises_a_good_one(web, vega):
    _company, people = vega
    pk = people["gorskin"].pk
    response = web.post(f"/contacts/{pk}/phones/add/", {"number": "700-10-25"})
    assert response.status_code == 400 and "area code" in response.content.decode()
    web.post(f"/contacts/{pk}/phones/add/", {"number": "8 (916) 700-10-25", "kind": ""})
    phone = PersonPhone.objects.get(person_id=pk)
    assert phone.number == "+79167001025" and phone.kind == "mobile"
    web.post(f"/contacts/phones/{phone.pk}/edit/", {"number": phone.number, "kind": "work"})
    phone.refresh_from_db()
    assert phone.kind == "work"
    web.post(f"/contacts/phones/{phone.pk}/remove/")
    assert not PersonPhone.objects.filter(person_id=pk).exists()


def test_status_form_on_leave_needs_a_date(web, vega):
    _company, people = vega
    pk = people["gorskin"].pk
    response = web.post(f"/contacts/{pk}/status/", {"status": "on_leave"})
    assert response.status_code == 400 and "date the leave ends" in response.content.decode()
    until = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    web.post(f"/contacts/{pk}/status/", {"status": "on_leave", "until": until})
    assert Person.objects.get(pk=pk).status == EmploymentStatus.ON_LEAVE
    successor = people["tsyganov"].pk
    web.post(f"/contacts/{pk}/status/", {"status": "left", "successor": successor})
    person = Person.objects.get(pk=pk)
    assert person.status == EmploymentStatus.LEFT and person.successor_id == successor


def test_person_edit_form_saves_name_parts(web, vega):
    _company, people = vega
    person = people["gorskin"]
    response = web.post(
        f"/contacts/{person.pk}/edit/",
        {
            "full_name": "Горскин Павел Андреевич",
            "surname": "Горскин",
            "first_name": "Павел",
            "patronymic": "Андреевич",
            "position": "CIO",
            "legal_basis": "consent",
            "source": "test",
            "notes": "",
            "reason": "уточнил",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.patronymic == "Андреевич" and person.legal_basis == "consent"


def test_duplicates_offered_and_merged_with_the_chosen_survivor(web, vega):
    company, people = vega
    twin = person_create(
        full_name="Шинкарев Борис", company=company, emails=["boris@vega-it.example"]
    )
    first = people["shinkarev"]
    page = web.get(f"/contacts/{first.pk}/").content.decode()
    assert 'id="duplicates"' in page and f"?with={twin.pk}" in page
    compare = web.get(f"/contacts/{first.pk}/merge/", {"with": twin.pk}).content.decode()
    assert 'id="merge-compare"' in compare and "boris@vega-it.example" in compare

    # The user keeps the second record (the one from the auto-reply).
    response = web.post(
        f"/contacts/{first.pk}/merge/", {"with": twin.pk, "survivor": twin.pk, "reason": "дубль"}
    )
    assert response.status_code == 302 and response["Location"] == f"/contacts/{twin.pk}/"
    first.refresh_from_db()
    assert first.merged_into_id == twin.pk
    assert set(twin.emails.values_list("address", flat=True)) == {
        "boris@vega-it.example",
        "b.shinkarev@vega-it.example",
    }
    hidden = web.get(f"/contacts/{first.pk}/").content.decode()
    assert 'id="merged-banner"' in hidden and 'id="unmerge"' in hidden
    assert "Шинкарев Борис Петрович" not in web.get("/contacts/").content.decode()

    merge = PersonChange.objects.get(kind="merge")
    response = web.post(f"/contacts/changes/{merge.pk}/undo/")
    assert response["Location"] == f"/contacts/{first.pk}/"
    first.refresh_from_db()
    assert first.merged_into_id is None
    assert list(first.emails.values_list("address", flat=True)) == ["b.shinkarev@vega-it.example"]


def test_due_tasks_from_the_tasks_page(web, vega):
    _company, people = vega
    old = timezone.now() - dt.timedelta(days=500)
    Person.objects.filter(pk=people["gorskin"].pk).update(first_seen=old, last_confirmed=old)
    assert 'id="due-tasks"' in web.get("/contacts/tasks/").content.decode()
    assert 'id="due-tasks"' in web.get("/contacts/freshness/").content.decode()
    response = web.post("/contacts/tasks/due/", {"months": 12, "days": 30}, follow=True)
    assert "1 re-verify tasks" in response.content.decode()
    assert Task.objects.get().kind == TaskKind.REVERIFY


# --- API --------------------------------------------------------------------------------------


def test_api_edit_person_status_and_channels(api, vega):
    _company, people = vega
    pk = people["gorskin"].pk
    response = api.patch(f"/api/contacts/people/{pk}/", {"position": "CTO"}, format="json")
    assert response.status_code == 200 and response.json()["person"]["position"] == "CTO"
    change_id = response.json()["change"]["id"]

    response = api.post(f"/api/contacts/people/{pk}/status/", {"status": "on_leave"}, format="json")
    assert response.status_code == 400 and "until" in response.json()

    response = api.post(
        f"/api/contacts/people/{pk}/emails/", {"address": "pavel@vega"}, format="json"
    )
    # The API answers in the default language, Russian.
    assert response.status_code == 400 and "нет точки" in response.json()["address"][0]
    response = api.post(
        f"/api/contacts/people/{pk}/emails/",
        {"address": "pavel@vega-it.example", "status": "valid"},
        format="json",
    )
    assert response.status_code == 201
    email_id = response.json()["email"]["id"]
    response = api.patch(f"/api/contacts/emails/{email_id}/", {"status": "bounced"}, format="json")
    assert response.json()["email"]["status"] == "bounced"
    assert api.delete(f"/api/contacts/emails/{email_id}/").status_code == 200

    response = api.post(f"/api/contacts/people/{pk}/phones/", {"number": "12"}, format="json")
    assert response.status_code == 400 and response.json()["number"]
    response = api.post(
        f"/api/contacts/people/{pk}/phones/", {"number": "+7 916 700 10 25"}, format="json"
    )
    phone_id = response.json()["phone"]["id"]
    assert response.json()["phone"]["number"] == "+79167001025"
    response = api.patch(f"/api/contacts/phones/{phone_id}/", {"kind": "work"}, format="json")
    assert response.json()["phone"]["kind"] == "work"

    changes = api.get("/api/contacts/changes/", {"person": pk}).json()
    rows = changes["results"] if isinstance(changes, dict) else changes
    # position, address added, marked, removed, phone added, its kind changed
    assert len(rows) == 6 and rows[-1]["id"] == change_id
    undo = api.post(f"/api/contacts/changes/{change_id}/undo/").json()
    assert undo == {"undone": 1, "kept": []}
    assert Person.objects.get(pk=pk).position == ""
    assert api.post(f"/api/contacts/changes/{change_id}/undo/").status_code == 400


def test_api_duplicates_merge_and_due_tasks(api, vega):
    company, people = vega
    twin = person_create(full_name="Горскин Павел Ильич", company=company)
    pk = people["gorskin"].pk
    found = api.get(f"/api/contacts/people/{pk}/duplicates/").json()
    assert [d["person"]["id"] for d in found] == [twin.pk]
    response = api.post(f"/api/contacts/people/{pk}/merge/", {"absorbed": twin.pk}, format="json")
    assert response.status_code == 200 and response.json()["other_person"] == twin.pk
    assert Person.objects.get(pk=twin.pk).merged_into_id == pk
    again = api.post(f"/api/contacts/people/{pk}/merge/", {"absorbed": twin.pk}, format="json")
    assert again.status_code == 400
    listed = api.get("/api/contacts/people/").json()
    ids = [p["id"] for p in (listed["results"] if isinstance(listed, dict) else listed)]
    assert twin.pk not in ids

    due = api.post("/api/contacts/tasks/create-due/", {"months": 1}, format="json").json()
    assert due == {"reverify": 0, "verify_guess": 0, "verify_guess_closed": 0}
