"""People, suppression, erasure, guessed addresses, legal status and freshness."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.contacts.guesses import (
    address_model_build,
    company_address_patterns,
    person_guess_addresses,
)
from partnernet.apps.contacts.legal import (
    companies_flagged,
    company_legal_status,
    legal_status_check,
    legal_status_provider,
)
from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    Person,
    Suppression,
    Task,
    TaskKind,
)
from partnernet.apps.contacts.selectors import freshness_report
from partnernet.apps.contacts.services import (
    _person_objects,
    audience_filter,
    email_mark_sent,
    feedback_apply,
    guess_accept,
    guess_confirm_delivered,
    guess_confirm_due,
    person_create,
    person_erase,
    person_export,
    suppression_add,
    suppression_is_blocked,
)
from partnernet.engines.legalstatus import DaDataPartyClient, RegisterError, RegisterUnavailable
from partnernet.engines.mailfeedback import parse_message

from . import messages as m

pytestmark = pytest.mark.django_db
DADATA = Path(__file__).resolve().parents[2] / "data" / "dadata"


def test_person_create_reads_name_parts_in_either_order(vega):
    company, _ = vega
    a = person_create(full_name="Тарасенко Андрей Викторович", company=company)
    b = person_create(full_name="Андрей Тарасенко", company=company)
    assert (a.surname, a.first_name, a.patronymic) == ("Тарасенко", "Андрей", "Викторович")
    assert (b.surname, b.first_name) == ("Тарасенко", "Андрей")


def test_phones_are_stored_as_e164_with_kind(vega):
    _, people = vega
    person = person_create(
        full_name="Котова Елена", phones=["8 (916) 123-45-67", "+7 495 700 10 30"]
    )
    kinds = dict(person.phones.values_list("number", "kind"))
    assert kinds == {"+79161234567": "mobile", "+74957001030": "work"}
    assert people["tsyganov"].phones.get().number == "+74957001021"


def test_domain_suppression_blocks_every_address_of_the_domain(vega):
    suppression_add(value="vega-it.example", reason="manual", source="test")
    assert suppression_is_blocked("anyone@vega-it.example")
    assert suppression_is_blocked("anyone@mail.vega-it.example")
    assert not suppression_is_blocked("anyone@other.example")
    assert not audience_filter(EmailAddress.objects.all()).exists()
    assert not audience_filter(Person.objects.all()).exists()


def test_left_people_and_untried_guesses_are_not_in_the_audience(vega):
    company, people = vega
    people["gorskin"].status = EmploymentStatus.LEFT
    people["gorskin"].save()
    kotov = person_create(full_name="Котов Олег", company=company)
    guess = EmailAddress.objects.create(
        person=kotov,
        address="o.kotov@vega-it.example",
        status=EmailStatus.GUESSED,
        use_for_mailing=False,
        confidence=0.8,
    )
    addresses = set(audience_filter(EmailAddress.objects.all()).values_list("address", flat=True))
    assert addresses == {"b.shinkarev@vega-it.example", "r.tsyganov@vega-it.example"}
    guess_accept(email=guess)
    addresses = set(audience_filter(EmailAddress.objects.all()).values_list("address", flat=True))
    assert "o.kotov@vega-it.example" in addresses


def test_export_holds_everything_about_one_person(vega):
    _, people = vega
    data = person_export(people["tsyganov"])
    assert data["person"]["full_name"] == "Цыганов Роман"
    assert [e["address"] for e in data["emails"]] == ["r.tsyganov@vega-it.example"]
    assert [p["number"] for p in data["phones"]] == ["+74957001021"]
    assert {e["object_type"] for e in data["change_log"]} >= {"contacts.person"}
    json.dumps(data)  # JSON-able as it is


def test_erasure_removes_the_data_and_keeps_only_a_hash_on_the_suppression_list(vega):
    _, people = vega
    person = people["tsyganov"]
    pk = person.pk
    # The log entries that were about this person and its facts, by type and id (ids of other
    # tables may equal the person's id, so the type matters).
    about = Q()
    for object_type, ids in _person_objects(person):
        about |= Q(object_type=object_type, object_id__in=ids)
    summary = person_erase(person=person, reason="request of 2026-11-20")
    assert summary["addresses_suppressed"] == 1
    assert not Person.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(address="r.tsyganov@vega-it.example").exists()
    entry = Suppression.objects.get()
    assert entry.value == "" and entry.reason == "erased"
    # Never mailed again, even when a list brings the address back.
    assert suppression_is_blocked("r.tsyganov@vega-it.example")
    back = person_create(full_name="Цыганов Роман", emails=["r.tsyganov@vega-it.example"])
    assert not audience_filter(EmailAddress.objects.filter(person=back)).exists()
    # The change log remembers that an erasure happened, not the data.
    dump = json.dumps(
        list(ChangeLogEntry.objects.filter(about).values("object_type", "object_repr", "changes")),
        ensure_ascii=False,
    )
    assert "Цыганов" not in dump and "r.tsyganov" not in dump and "+74957001021" not in dump
    assert ChangeLogEntry.objects.filter(
        object_type="contacts.person", object_id=str(pk), changes__erased=True, action="delete"
    ).exists()


def test_guesses_follow_the_company_pattern_and_wait_for_the_user(vega):
    company, _ = vega
    tarasenko = person_create(full_name="Тарасенко Андрей Викторович", company=company)
    guesses = person_guess_addresses(person=tarasenko, top=3)
    assert guesses[0].address == "a.tarasenko@vega-it.example"
    assert guesses[0].status == EmailStatus.GUESSED
    assert 0.5 < guesses[0].confidence <= 1
    assert guesses[0].guess_explanation
    assert not any(g.use_for_mailing for g in guesses)
    # Guessing again adds nothing new.
    assert {g.pk for g in person_guess_addresses(person=tarasenko, top=3)} <= {
        g.pk for g in guesses
    }


def test_a_delivered_guess_is_confirmed_and_teaches_the_model(vega):
    company, _ = vega
    tarasenko = person_create(full_name="Тарасенко Андрей", company=company)
    best = person_guess_addresses(person=tarasenko, top=2)[0]
    guess_accept(email=best)
    sent = timezone.now() - dt.timedelta(days=10)
    email_mark_sent(address=best.address, sent_at=sent)
    with override_settings(PARTNERNET_GUESS_CONFIRM_DAYS=7):
        assert guess_confirm_due() == 1
    best.refresh_from_db()
    assert best.status == EmailStatus.VALID and best.confidence == 1.0
    others = tarasenko.emails.exclude(pk=best.pk)
    assert not others.filter(use_for_mailing=True).exists()
    summary = company_address_patterns(company)[0]
    assert summary.domain == "vega-it.example" and summary.known == 4


def test_a_bounced_guess_is_a_rejection_for_the_model(vega):
    company, _ = vega
    lapteva = person_create(full_name="Лаптева Ирина", company=company)
    best = person_guess_addresses(person=lapteva, top=2)[0]
    guess_accept(email=best)
    feedback_apply(result=parse_message(m.postfix_bounce(best.address)), message_ref="g1")
    best.refresh_from_db()
    assert best.status == EmailStatus.BOUNCED
    summary = address_model_build().summary("vega-it.example")
    assert summary.rejected == 1 and summary.known == 3
    # The next guess for her skips the rejected address.
    again = person_guess_addresses(person=lapteva, top=3)
    assert best.address not in {g.address for g in again}


def test_guess_confirmed_by_delivery_call(vega):
    company, _ = vega
    person = person_create(full_name="Тарасенко Андрей", company=company)
    best = person_guess_addresses(person=person, top=1)[0]
    changes = guess_confirm_delivered(address=best.address, message_ref="delivery-7")
    assert changes and EmailAddress.objects.get(pk=best.pk).status == EmailStatus.VALID


def _transport(name: str):
    body = (DADATA / name).read_bytes()

    def send(url, data, headers, timeout):
        assert headers["Authorization"] == "Token test-key"
        return 200, body

    return send


def test_legal_status_is_stored_and_attached_to_the_company_check(vega):
    company, _ = vega
    feedback_apply(
        result=parse_message(m.hostunknown("b.shinkarev@vega-it.example")), message_ref="h1"
    )
    assert list(companies_flagged()) == [company]
    client = DaDataPartyClient("test-key", transport=_transport("liquidated.json"))
    check = legal_status_check(company=company, provider=client)
    assert check.status == "liquidated" and check.tax_id == "7707083893"
    assert company_legal_status(company) == check
    task = Task.objects.get(kind=TaskKind.COMPANY_CHECK)
    assert task.payload["legal_status"]["status"] == "liquidated"


def test_legal_status_unreachable_stores_nothing(vega):
    company, _ = vega

    def down(url, data, headers, timeout):
        raise OSError("Network is unreachable")

    with pytest.raises(RegisterUnavailable):
        legal_status_check(company=company, provider=DaDataPartyClient("k", transport=down))
    assert company_legal_status(company) is None


def test_legal_status_needs_a_key(monkeypatch):
    monkeypatch.delenv("PARTNERNET_DADATA_API_KEY", raising=False)
    with pytest.raises(RegisterError, match="PARTNERNET_DADATA_API_KEY"):
        legal_status_provider()


def test_freshness_measures_decay_from_departures(vega):
    company, people = vega
    start = timezone.now() - dt.timedelta(days=730)
    for i in range(7):
        person_create(full_name=f"Сотрудник{i} Иван", company=company, first_seen=start)
    Person.objects.update(first_seen=start, last_confirmed=timezone.now())
    gone = Person.objects.get(pk=people["gorskin"].pk)
    gone.status = EmploymentStatus.LEFT
    gone.left_on = (timezone.now() - dt.timedelta(days=365)).date()
    gone.save()
    report = freshness_report()
    estimate = report["estimate"]
    assert estimate.contacts == 10 and estimate.departures == 1
    # One departure in about 19 person-years: about 5% a year.
    assert 0.03 < estimate.yearly_decay < 0.08
    assert report["by_age"][0]["left"] == 1
    assert gone not in [p for p, _ in report["stalest_people"]]


def test_website_probe_against_a_real_local_server(vega):
    import http.server
    import socket
    import threading

    from partnernet.apps.contacts.legal import company_website_check, website_probe

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        live = website_probe(f"127.0.0.1:{port}", timeout=5)
        # https fails (plain server), http answers: an error page still means someone runs it.
        assert live["reachable"] and live["status"] == 404
        assert live["url"] == f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free_port = sock.getsockname()[1]
    dead = website_probe(f"127.0.0.1:{free_port}", timeout=2)
    assert not dead["reachable"] and dead["error"]

    company, _ = vega
    feedback_apply(
        result=parse_message(m.hostunknown("b.shinkarev@vega-it.example")), message_ref="h1"
    )
    company.primary_domain = f"127.0.0.1:{free_port}"
    company.save()
    company_website_check(company=company)
    task = Task.objects.get(kind=TaskKind.COMPANY_CHECK)
    assert task.payload["website_check"]["reachable"] is False


def test_audience_filter_scales_to_a_long_suppression_list(vega):
    """More entries than SQLite takes as query parameters (32,766): no list in the query."""
    from django.db import connection

    from partnernet.apps.contacts.models import address_hash

    now = timezone.now()
    rows = [(f"user{i}@bulk.example", f"{i:064x}", now) for i in range(33_000)]
    rows.append(("r.tsyganov@vega-it.example", address_hash("r.tsyganov@vega-it.example"), now))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO contacts_suppression (is_domain, value, value_hash, reason, source,"
            " message_ref, created_at) VALUES (false, %s, %s, 'unsubscribed', '', '', %s)",
            rows,
        )
    addresses = set(audience_filter(EmailAddress.objects.all()).values_list("address", flat=True))
    assert addresses == {"b.shinkarev@vega-it.example", "p.gorskin@vega-it.example"}
