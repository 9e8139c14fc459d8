"""The fast reader must build the very tree the email package's feed parser builds."""

from __future__ import annotations

import email
from email.header import Header
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnernet.engines.mailfeedback.mimetree import (
    MAX_DEPTH,
    headers_from_text,
    message_from_bytes,
)


def tree(msg: Message) -> dict[str, Any]:
    """Everything the feed parser stores on a message, parts included."""
    payload = vars(msg)["_payload"]
    return {
        "headers": list(vars(msg)["_headers"]),
        "unixfrom": msg.get_unixfrom(),
        "default_type": msg.get_default_type(),
        "preamble": msg.preamble,
        "epilogue": msg.epilogue,
        "defects": [type(d).__name__ for d in msg.defects],
        "payload": [tree(p) for p in payload] if isinstance(payload, list) else payload,
    }


def stdlib_tree(raw: bytes) -> dict[str, Any]:
    return tree(email.message_from_bytes(raw, policy=compat32))


def assert_same_tree(raw: bytes) -> None:
    assert tree(message_from_bytes(raw)) == stdlib_tree(raw)


DSN = (
    b"From: MAILER-DAEMON@mx.firma.ru\n"
    b"To: news@vendor.ru\n"
    b"Subject: Undelivered Mail Returned to Sender\n"
    b"Content-Type: multipart/report; report-type=delivery-status;\n"
    b'\tboundary="B1"\n'
    b"\n"
    b"preamble\n"
    b"--B1\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"\n"
    b"<a.petrov@firma.ru>: host mx.firma.ru said: 550 5.1.1 User unknown\n"
    b"\n"
    b"--B1\n"
    b"Content-Type: message/delivery-status\n"
    b"\n"
    b"Reporting-MTA: dns; mx.firma.ru\n"
    b"\n"
    b"Final-Recipient: rfc822; a.petrov@firma.ru\n"
    b"Action: failed\n"
    b"Status: 5.1.1\n"
    b"\n"
    b"--B1\n"
    b"Content-Type: message/rfc822\n"
    b"\n"
    b"From: news@vendor.ru\n"
    b"To: a.petrov@firma.ru\n"
    b"Subject: Partner news\n"
    b"\n"
    b"Hello\n"
    b"--B1--\n"
    b"epilogue\n"
)


def test_a_delivery_report_reads_as_the_email_package_reads_it() -> None:
    msg = message_from_bytes(DSN)
    assert msg.get_content_type() == "multipart/report"
    assert msg.get_param("report-type") == "delivery-status"
    parts = msg.get_payload()
    assert [p.get_content_type() for p in parts] == [
        "text/plain",
        "message/delivery-status",
        "message/rfc822",
    ]
    blocks = parts[1].get_payload()
    assert [b.get("Final-Recipient") for b in blocks] == [None, "rfc822; a.petrov@firma.ru"]
    assert parts[2].get_payload(0)["Subject"] == "Partner news"
    assert parts[2].get_payload(0).get_payload() == "Hello"
    assert_same_tree(DSN)
    assert_same_tree(DSN.replace(b"\n", b"\r\n"))


def test_defects_come_in_the_feed_parsers_order() -> None:
    raw = b" cont\nX: y\nnot a header line\nbody\n"
    assert [type(d).__name__ for d in message_from_bytes(raw).defects] == [
        "MissingHeaderBodySeparatorDefect",
        "FirstHeaderLineIsContinuationDefect",
    ]
    assert_same_tree(raw)


def test_a_boundary_with_a_line_break_never_fills_a_line() -> None:
    raw = b'Content-Type: multipart/mixed; boundary="a\n b"\n\n--a\n b\n\nx\n--a\n b--\n'
    assert message_from_bytes(raw).get_payload() == stdlib_tree(raw)["payload"]
    assert_same_tree(raw)


def test_header_values_that_are_not_text_come_back_as_they_are() -> None:
    msg = message_from_bytes(b"Subject: hi\n\nbody\n")
    msg["X-Header"] = Header("hi")
    assert isinstance(msg.get("X-Header"), Header)


def test_the_header_table_follows_header_changes() -> None:
    msg = message_from_bytes(b"Content-Type: text/plain\n\nhi\n")
    assert msg.get_content_type() == "text/plain"
    msg.replace_header("Content-Type", "text/html")
    assert msg.get_content_type() == "text/html"
    del msg["Content-Type"]
    assert msg.get_content_type() == "text/plain"
    msg["Content-Type"] = "message/rfc822"
    assert msg.get_content_maintype() == "message"
    msg.add_header("X-Loop", "yes")
    assert msg.get("x-loop") == "yes"
    msg.set_type("multipart/mixed")
    msg.set_boundary("b2")
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["Content-Type"] == 'multipart/mixed; boundary="b2"'
    assert msg.get_param("boundary") == "b2"
    msg.set_param("report-type", "delivery-status")
    assert msg.get_params()[1:] == [("boundary", "b2"), ("report-type", "delivery-status")]
    assert "x-loop" in msg and "X-Other" not in msg


def test_broken_structure_keeps_the_feed_parsers_defects() -> None:
    no_close = b'Content-Type: multipart/mixed; boundary="x"\n\n--x\n\nbody\n'
    no_start = b'Content-Type: multipart/mixed; boundary="x"\n\nbody only\n'
    no_boundary = b"Content-Type: multipart/mixed\n\nbody\n"
    assert [type(d).__name__ for d in message_from_bytes(no_close).defects] == [
        "CloseBoundaryNotFoundDefect"
    ]
    assert "StartBoundaryNotFoundDefect" in [
        type(d).__name__ for d in message_from_bytes(no_start).defects
    ]
    assert message_from_bytes(no_boundary).get_payload() == "body\n"
    for raw in (no_close, no_start, no_boundary):
        assert_same_tree(raw)


def test_nesting_deeper_than_the_limit_is_kept_as_text() -> None:
    raw = b"Content-Type: message/rfc822\n\n" * (MAX_DEPTH + 5) + b"Subject: deep\n\nx\n"
    msg = message_from_bytes(raw)
    depth = 0
    while isinstance(msg.get_payload(), list):
        msg = msg.get_payload(0)
        depth += 1
    assert depth == MAX_DEPTH
    assert isinstance(msg.get_payload(), str)


# --- generated messages --------------------------------------------------------------------

NAMES = st.sampled_from(
    ["From", "To", "Subject", "X-Mailer", "Received", "Content-Transfer-Encoding", "Status"]
)
WORDS = st.text(
    alphabet=st.sampled_from([*"abc xyz:;=-\t\"'@<>.", "\u0436", "\udcd0"]),
    max_size=12,
)
EOLS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def header_lines(draw: st.DrawFn) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(" " + draw(WORDS))  # continuation (or a first-line one)
        elif kind == 1:
            lines.append("From " + draw(WORDS))  # envelope line, anywhere
        elif kind == 2:
            lines.append(draw(WORDS))  # maybe not a header at all
        else:
            lines.append(f"{draw(NAMES)}:{draw(WORDS)}")
    return lines


@st.composite
def entities(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A message as lines: headers, maybe a content type, a body that may hold parts."""
    lines = draw(header_lines())
    kinds = ["text/plain", "message/delivery-status"]
    if depth < 3:
        kinds += ["multipart/mixed", "multipart/digest", "message/rfc822"]
    ctype = draw(st.sampled_from([*kinds, None]))
    boundary = draw(st.sampled_from(["b", "b1", "=_x y", ""]))
    if ctype is not None:
        lines.append(f'Content-Type: {ctype}; boundary="{boundary}"')
    if draw(st.booleans()):
        lines.append("")
    if ctype and ctype.startswith("multipart/"):
        if draw(st.booleans()):
            lines.append(draw(WORDS))  # preamble
        for _ in range(draw(st.integers(0, 3))):
            lines.append("--" + boundary + draw(st.sampled_from(["", "  ", "--", "x"])))
            lines.extend(draw(entities(depth + 1)))
        if draw(st.booleans()):
            lines.append("--" + boundary + "--")
            lines.append(draw(WORDS))  # epilogue
    elif ctype == "message/rfc822":
        lines.extend(draw(entities(depth + 1)))
    else:
        for _ in range(draw(st.integers(0, 4))):
            lines.append(draw(st.sampled_from(["", "Status: 5.1.1", "Action: failed"])))
            lines.append(draw(WORDS))
    return lines


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    lines = draw(entities())
    eol = draw(EOLS)
    text = "".join(line + (draw(EOLS) if draw(st.integers(0, 9)) == 0 else eol) for line in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text.encode("utf-8", "surrogateescape")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_generated_messages_read_the_same(raw: bytes) -> None:
    assert_same_tree(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_read_the_same(raw: bytes) -> None:
    assert_same_tree(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_header_blocks_read_as_the_header_parser_reads_them(raw: bytes) -> None:
    text = raw.decode("utf-8", "surrogateescape")
    try:
        theirs = HeaderParser(policy=compat32).parsestr(text)
    except UnicodeError:
        # The header parser itself fails on a Content-Type mixing real non-ASCII letters with
        # undecodable bytes; ours reads the block.
        assert headers_from_text(text).keys()
        return
    assert tree(headers_from_text(text)) == tree(theirs)


PARAMS = st.lists(
    st.sampled_from(
        [
            "charset=utf-8",
            'charset="KOI8-R"',
            "Charset=windows-1251",
            "boundary=b1",
            'BOUNDARY="b 2"',
            "report-type=delivery-status",
            "name*=utf-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.txt",
            "charset*=us-ascii'en'utf-8",
            "bare",
            "charset=",
            'x="a;b"',
        ]
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["text/plain", "multipart/report", "TEXT/HTML", "message/rfc822", ""]), PARAMS
)
def test_content_type_parameters_read_as_the_email_package_reads_them(
    ctype: str, params: list[str]
) -> None:
    raw = f"Content-Type: {'; '.join([ctype, *params])}\n\nbody\n".encode()
    ours, theirs = message_from_bytes(raw), email.message_from_bytes(raw, policy=compat32)
    for name in ("charset", "boundary", "report-type", "name", "bare", "x", "missing"):
        assert ours.get_param(name) == theirs.get_param(name)
        assert ours.get_param(name, unquote=False) == theirs.get_param(name, unquote=False)
    assert ours.get_params() == theirs.get_params()
    assert ours.get_content_charset() == theirs.get_content_charset()
    assert ours.get_boundary() == theirs.get_boundary()
    assert ours.get_content_type() == theirs.get_content_type()
