"""Applying replies in batches gives exactly what applying them one by one gives.

A realistic mixed set (bounces that confirm each other, a company whose every address ends up
bouncing, repeated rejections, repeated vacation replies, replacements named in auto-replies,
complaints twice for one address, a guessed address, a message seen twice) is applied one by one
with ``feedback_apply`` and in batches with ``feedback_apply_many``; the resulting contact base,
proposals, tasks, suppression list, change items and change log must be identical.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.contacts.feedback import FeedbackInput, feedback_apply, feedback_apply_many
from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentEvent,
    FeedbackApplication,
    Person,
    PersonPhone,
    Proposal,
    Suppression,
    Task,
    TaskKind,
)
from partnernet.apps.contacts.services import person_create
from partnernet.apps.register.models import Company, CompanyDomain
from partnernet.engines.mailfeedback import parse_message

from . import messages as m
from .test_feedback import LEFT_BODY, VACATION_BODY

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)

ORION_LEFT = (
    "Анна Лебедева в компании больше не работает.\n"
    "Ваши вопросы теперь ведёт Олег Ким: o.kim@orion-sys.example.\n"
)


@pytest.fixture
def base(vega):
    company, people = vega
    orion = Company.objects.create(
        display_name="АО «Орион Системс»",
        name_key="орион системс",
        primary_domain="orion-sys.example",
    )
    CompanyDomain.objects.create(company=orion, domain="orion-sys.example")
    people["lebedeva"] = person_create(
        full_name="Лебедева Анна Сергеевна",
        company=orion,
        emails=["a.lebedeva@orion-sys.example"],
        source="test",
    )
    people["kim"] = person_create(
        full_name="Ким Олег", company=orion, emails=["o.kim@orion-sys.example"], source="test"
    )
    kotov = person_create(full_name="Котов Олег", company=orion, source="test")
    EmailAddress.objects.create(
        person=kotov,
        address="o.kotov@orion-sys.example",
        domain="orion-sys.example",
        status=EmailStatus.GUESSED,
        confidence=0.8,
        use_for_mailing=True,
    )
    return company, orion, people


def mixed_replies() -> list[FeedbackInput]:
    raws: list[tuple[str, bytes, str | None]] = [
        ("m01", m.postfix_bounce("p.gorskin@vega-it.example", delivery="a1"), None),
        ("m02", m.exchange_ru_userunknown("p.gorskin@vega-it.example", delivery="a2"), None),
        ("m03", m.not_whitelisted("b.shinkarev@vega-it.example", delivery="a3"), None),
        ("m04", m.not_whitelisted("r.tsyganov@vega-it.example", delivery="a4"), None),
        ("m05", m.autoreply("b.shinkarev@vega-it.example", "Борис Шинкарев", VACATION_BODY), None),
        (
            "m06",
            m.autoreply(
                "b.shinkarev@vega-it.example", "Борис Шинкарев", VACATION_BODY, msgid="ar2"
            ),
            None,
        ),
        ("m07", m.mailbox_full("r.tsyganov@vega-it.example", delivery="a7"), None),
        ("m08", m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT_BODY), None),
        ("m09", m.postfix_bounce("b.shinkarev@vega-it.example", delivery="a9"), None),
        # The bounce quotes an alias; VERP names the delivery: the last live address of Vega.
        (
            "m10",
            m.postfix_bounce("roman@mx-internal.example", delivery="b0"),
            "r.tsyganov@vega-it.example",
        ),
        ("m11", m.arf_complaint("o.kim@orion-sys.example", delivery="b1"), None),
        ("m12", m.arf_complaint("o.kim@orion-sys.example", delivery="b2"), None),
        ("m13", m.autoreply("a.lebedeva@orion-sys.example", "Анна Лебедева", ORION_LEFT), None),
        ("m14", m.postfix_bounce("o.kotov@orion-sys.example", delivery="b4"), None),
        ("m15", m.hostunknown("info@orion-sys.example", delivery="b5"), None),
        ("m01", m.postfix_bounce("p.gorskin@vega-it.example", delivery="a1"), None),
        ("m16", m.exim_suspended("a.lebedeva@orion-sys.example", delivery="b6"), None),
        ("m17", m.postfix_bounce("nobody@elsewhere.example", delivery="b7"), None),
        ("m18", m.not_whitelisted("someone@orion-sys.example", delivery="b8"), None),
    ]
    return [
        FeedbackInput(
            result=parse_message(raw),
            message_ref=ref,
            delivery_address=address,
            received_at=START + dt.timedelta(minutes=n),
        )
        for n, (ref, raw, address) in enumerate(raws)
    ]


# --- comparing two outcomes -------------------------------------------------------------------

MODELS: list[type[models.Model]] = [
    Company,
    Person,
    EmailAddress,
    PersonPhone,
    EmploymentEvent,
    Proposal,
    Task,
    Suppression,
    FeedbackApplication,
    ChangeLogEntry,
]
PERSON_KEYS = {"successor_id", "stand_in_id", "successor_of", "stand_in_for", "stand_ins"}


class _Rollback(Exception):
    pass


class Normaliser:
    """Rows as comparable values: ids of rows made by the run become their rank, times of the
    run itself become "<now>" (the database gives new ids, and the clock moves, per run)."""

    def __init__(self, baseline: dict[type[models.Model], int], started: dt.datetime) -> None:
        self.baseline = baseline
        self.started = started
        self.ranks: dict[type[models.Model], dict[int, int]] = {}
        for model, top in baseline.items():
            new = model.objects.filter(pk__gt=top).order_by("pk").values_list("pk", flat=True)
            self.ranks[model] = {pk: n for n, pk in enumerate(new)}

    def id(self, model: type[models.Model] | None, value: Any) -> Any:
        if model is None or value is None:
            return value
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return value
        if model in self.ranks and pk > self.baseline[model]:
            return f"new {model._meta.model_name} {self.ranks[model][pk]}"
        return pk

    def time(self, value: Any) -> Any:
        moment = value
        if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(moment, dt.datetime) and moment >= self.started:
            return "<now>"
        return value

    def fields(
        self, model: type[models.Model], data: dict[str, Any], *, pairs: bool = False
    ) -> dict[str, Any]:
        """A row's values; ``pairs``: a log entry's ``{field: [old, new]}``."""
        out: dict[str, Any] = {}
        for key, value in data.items():
            field = _field(model, key)
            if pairs and isinstance(value, list) and len(value) == 2:
                out[key] = [self.value(model, key, v) for v in value]
            elif key == "id" or (field is not None and field.primary_key):
                out[key] = self.id(model, value)
            elif field is not None and field.many_to_one:
                out[key] = self.id(field.related_model, value)
            else:
                out[key] = self.value(model, key, value)
        return out

    def value(self, model: type[models.Model], key: str, value: Any) -> Any:
        field = _field(model, key)
        if field is not None and field.many_to_one:
            return self.id(field.related_model, value)
        if key in PERSON_KEYS:
            return self.id(Person, value)
        if key in {"changes", "result"} and isinstance(value, list):
            return [self.item(i) for i in value]
        if key == "channels" and isinstance(value, dict):
            people = [{**p, "id": self.id(Person, p["id"])} for p in value.get("people", [])]
            return {**value, "people": people}
        if isinstance(value, dict):
            return {k: self.value(model, k, v) for k, v in value.items()}
        return self.time(value)

    def item(self, item: dict[str, Any]) -> dict[str, Any]:
        model = apps.get_model(item["object_type"])
        out = dict(item)
        out["object_id"] = self.id(model, item["object_id"])
        for side in ("before", "after"):
            if isinstance(item.get(side), dict):
                out[side] = self.fields(model, item[side])
        if "target" in item:
            out["target"] = self.id(Person, item["target"])
        return out

    def log(self, row: dict[str, Any]) -> dict[str, Any]:
        model = apps.get_model(row["object_type"])
        changes = row["changes"]
        if "after" in changes or "before" in changes:
            changes = {k: self.fields(model, v) for k, v in changes.items()}
        else:
            changes = self.fields(model, changes, pairs=True)
        # Accepting a proposal logs "proposal 12 accepted" in batch "proposal:12".
        for key in ("batch", "reason"):
            row[key] = re.sub(
                r"proposal([: ])(\d+)",
                lambda found: f"proposal{found[1]}{self.id(Proposal, found[2])}",
                row[key],
            )
        return {
            **{k: self.time(v) for k, v in row.items() if k not in {"id", "changes"}},
            "object_id": self.id(model, row["object_id"]),
            "changes": changes,
        }


def _field(model: type[models.Model], name: str) -> Any:
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def state(norm: Normaliser) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for model in MODELS:
        rows = list(model.objects.order_by("pk").values())
        if model is ChangeLogEntry:
            result["log"] = [norm.log(r) for r in rows]
            continue
        result[model._meta.model_name] = [norm.fields(model, r) for r in rows]
    result["stand_ins"] = sorted(
        (str(norm.id(Person, a)), str(norm.id(Person, b)))
        for a, b in Person.stand_ins.through.objects.values_list("from_person_id", "to_person_id")
    )
    return result


def outcome(run) -> dict[str, Any]:
    """Apply with ``run``, read the resulting state, roll everything back."""
    baseline = {
        m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in MODELS
    }
    started = timezone.now()
    captured: dict[str, Any] = {}
    try:
        with transaction.atomic():
            returned = run()
            norm = Normaliser(baseline, started)
            captured = state(norm)
            captured["returned"] = [[norm.item(i) for i in changes] for changes in returned]
            raise _Rollback
    except _Rollback:
        pass
    return captured


def one_by_one(items: list[FeedbackInput], mode: str):
    def run():
        return [
            feedback_apply(
                result=i.result,
                message_ref=i.message_ref,
                delivery_address=i.delivery_address,
                received_at=i.received_at,
                mode=mode,
            )
            for i in items
        ]

    return run


def batched(items: list[FeedbackInput], mode: str, size: int):
    def run():
        out: list[Any] = []
        for start in range(0, len(items), size):
            out += feedback_apply_many(items=items[start : start + size], mode=mode)
        return out

    return run


def assert_same(expected: dict[str, Any], got: dict[str, Any]) -> None:
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key


@pytest.mark.parametrize("left_after", [1, 2])
@pytest.mark.parametrize("mode", ["propose", "apply"])
def test_batches_give_the_same_result_as_one_by_one(base, mode, left_after):
    items = mixed_replies()
    with override_settings(PARTNERNET_LEFT_AFTER_BOUNCES=left_after):
        expected = outcome(one_by_one(items, mode))
        # The scenario exercises what batching could get wrong.
        tasks = {t["kind"] for t in expected["task"]}
        assert {TaskKind.COMPANY_CHECK, TaskKind.ASK_WHITELIST} <= tasks
        assert len(expected["suppression"]) == 1
        assert expected["returned"][15] == []  # m01 seen twice
        assert len(expected["log"]) > 30
        for size in (len(items), 4, 1):
            assert_same(expected, outcome(batched(items, mode, size)))


def test_second_confirmation_inside_one_batch(base):
    """With two bounces required, the second bounce of the same batch marks the address."""
    items = mixed_replies()[:2]
    with override_settings(PARTNERNET_LEFT_AFTER_BOUNCES=2):
        feedback_apply_many(items=items)
    email = EmailAddress.objects.get(address="p.gorskin@vega-it.example")
    assert email.bounce_count == 2 and email.status == EmailStatus.BOUNCED
    assert Proposal.objects.filter(kind="mark_left").count() == 1


def test_company_check_opens_when_the_last_address_bounces_in_the_same_batch(base):
    vega, _orion, _people = base
    items = [i for i in mixed_replies() if i.message_ref in {"m01", "m09", "m10"}]
    feedback_apply_many(items=items[:3])
    task = Task.objects.get(kind=TaskKind.COMPANY_CHECK)
    assert task.company == vega
    assert sorted(task.payload["bounced_addresses"]) == [
        "b.shinkarev@vega-it.example",
        "p.gorskin@vega-it.example",
        "r.tsyganov@vega-it.example",
    ]
    assert task.payload["messages"] == ["m10"]


def test_a_batch_applied_again_changes_nothing(base):
    items = mixed_replies()
    feedback_apply_many(items=items)
    counts = {m: m.objects.count() for m in MODELS}
    again = feedback_apply_many(items=items)
    assert again == [[] for _ in items]
    assert {m: m.objects.count() for m in MODELS} == counts


def test_a_failing_message_rolls_back_its_batch(base, monkeypatch):
    from partnernet.apps.contacts import feedback

    items = mixed_replies()[:4]
    original = feedback._apply_bounce

    def broken_bounce(run, delivery_address):
        if run.ref == "m03":
            raise RuntimeError("broken")
        return original(run, delivery_address)

    monkeypatch.setattr(feedback, "_apply_bounce", broken_bounce)
    with pytest.raises(RuntimeError):
        feedback_apply_many(items=items)
    assert not FeedbackApplication.objects.exists()
    assert not ChangeLogEntry.objects.filter(batch__startswith="m0").exists()
    assert EmailAddress.objects.get(address="p.gorskin@vega-it.example").bounce_count == 0
