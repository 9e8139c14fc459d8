"""No exception escapes the parser, whatever the bytes."""

from __future__ import annotations

from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnernet.engines.mailfeedback import FeedbackResult, parse_message, to_json

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ok(raw: bytes) -> FeedbackResult:
    result = parse_message(raw)
    assert result.kind in ("bounce", "autoreply", "feedback", "other")
    # The catch-all in parse_message is a last resort: no input should need it.
    assert not [e for e in result.errors if e.startswith("parse failed")], result.errors
    to_json(result)
    return result


def test_undecodable_base64_body() -> None:
    _ok(b"Content-Transfer-Encoding: base64\n\n\x80")


@FAST
@given(st.binary(max_size=4000))
def test_arbitrary_bytes(raw: bytes) -> None:
    _ok(raw)


HEADERS = st.sampled_from(
    [
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n',
        b"Content-Type: multipart/mixed; boundary=\n",
        b"Content-Type: text/plain; charset=koi8-r\n",
        b"Content-Type: text/plain; charset=utf-8\n",
        b"Content-Type: text/plain; charset=x-unknown-charset\n",
        b"Content-Transfer-Encoding: base64\n",
        b"Content-Transfer-Encoding: quoted-printable\n",
        b"Subject: =?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGC?=\n",
        b"Subject: =?koi8-r?Q?=E1=D7=D4=CF?= broken =?utf-8?B?###?=\n",
        b"Auto-Submitted: auto-replied\n",
        b"From: MAILER-DAEMON@x.example\n",
        b"Subject: Undelivered Mail Returned to Sender\n",
    ]
)
BODIES = st.sampled_from(
    [
        b"--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.example\n"
        b"Action: failed\nStatus: 5.1.1\n\n--b\n",
        b"--b\nContent-Type: message/rfc822\n\n",
        "Я в отпуске до 15.01.2027, обращайтесь к Андрею Тарасенко".encode("cp1251"),
        "Я в отпуске до 15.01.2027".encode("koi8-r"),
        b"<a@b.example>: 550 5.1.1 User unknown\n",
        b"\xff\xfe\x00garbage\r\r\n",
    ]
)


@FAST
@given(st.lists(HEADERS, max_size=6), st.lists(BODIES, max_size=6), st.binary(max_size=300))
def test_broken_mime_and_mislabelled_charsets(
    headers: list[bytes], bodies: list[bytes], noise: bytes
) -> None:
    _ok(b"".join(headers) + b"\n" + b"\n".join(bodies) + noise)


def test_huge_message_gets_a_result() -> None:
    raw = b"Subject: x\nContent-Type: text/plain\n\n" + b"A" * (6 * 1024 * 1024)
    result = _ok(raw)
    assert any("truncated" in e for e in result.errors)


def _bounce(inner_to: str, inner: MIMEMultipart | MIMEText) -> MIMEMultipart:
    outer = MIMEMultipart("report", report_type="delivery-status")
    outer["From"] = "MAILER-DAEMON@relay.example"
    outer["Subject"] = "Undelivered Mail Returned to Sender"
    outer.attach(MIMEText(f"<{inner_to}>: 550 5.1.1 User unknown (in reply to RCPT TO command)"))
    outer.attach(MIMEMessage(inner))
    return outer


def test_bounce_of_a_bounce_and_deep_nesting() -> None:
    original = MIMEText("hello")
    original["To"] = "first@partner.example"
    message: MIMEMultipart | MIMEText = original
    for depth in range(30):
        message = _bounce(f"level{depth}@partner.example", message)
    result = _ok(message.as_bytes())
    assert result.kind == "bounce"
    assert [r.address for r in result.recipients] == ["level29@partner.example"]
