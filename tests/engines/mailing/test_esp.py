from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.mailing import EspExportError, read_esp_export


def test_sendgrid_style_comma_csv() -> None:
    data = (
        b"email,event,reason,status,timestamp,smtp-id\n"
        b"a@x.example,bounce,550 5.1.1 The email account does not exist,5.1.1,1700000000,<m1@x>\n"
        b"b@x.example,delivered,,,1700000001,<m2@x>\n"
        b"c@x.example,spamreport,,,1700000002,<m3@x>\n"
        b"d@x.example,group_unsubscribe,,,1700000003,<m4@x>\n"
        b"e@x.example,dropped,Bounced Address,,1700000004,<m5@x>\n"
    )
    events = list(read_esp_export(data))
    assert [(e.address, e.event) for e in events] == [
        ("a@x.example", "bounce"),
        ("c@x.example", "complaint"),
        ("d@x.example", "unsubscribe"),
        ("e@x.example", "bounce"),
    ]
    first = events[0].result.recipients[0]
    assert first.reason == "userunknown" and first.hard and first.status == "5.1.1"
    assert events[0].message_id == "<m1@x>" and events[0].row == 1
    assert events[1].result.kind == "feedback" and events[1].result.feedback.type == "abuse"
    assert events[2].result.feedback.type == "unsubscribe"


def test_unisender_codes_cp1251_semicolon() -> None:
    data = (
        "Адрес;Статус\n"
        "a@x.example;err_user_unknown\n"
        "b@x.example;err_mailbox_full\n"
        "c@x.example;err_domain_inactive\n"
        "d@x.example;ok_delivered\n"
    ).encode("cp1251")
    events = list(read_esp_export(data))
    assert [
        (e.address, e.result.recipients[0].reason, e.result.recipients[0].hard) for e in events
    ] == [
        ("a@x.example", "userunknown", True),
        ("b@x.example", "mailboxfull", False),
        ("c@x.example", "hostunknown", True),
    ]


def test_hard_bounce_without_words_decides_nothing() -> None:
    events = list(read_esp_export(b"email,type\na@x.example,hard_bounce\n"))
    recipient = events[0].result.recipients[0]
    assert recipient.reason == "undefined" and not recipient.hard


def test_soft_severity_is_never_hard() -> None:
    data = b"email,event,severity,reason\na@x.example,failed,temporary,550 5.1.1 user unknown\n"
    assert not next(iter(read_esp_export(data))).result.recipients[0].hard


def test_no_address_column() -> None:
    with pytest.raises(EspExportError):
        list(read_esp_export(b"name,event\nx,bounce\n"))


@given(st.binary(max_size=2000))
def test_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        for event in read_esp_export(data):
            assert "@" in event.address
    except EspExportError:
        pass
