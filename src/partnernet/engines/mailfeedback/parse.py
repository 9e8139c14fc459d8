"""``parse_message``: one raw message in, one ``FeedbackResult`` out, never an exception.

Order of decisions: an ARF complaint, then a bounce (a delivery-status report or an MTA's
notification), then an auto-reply, else "other". Bounces are decided before auto-replies because
many bounces carry ``Auto-Submitted: auto-replied`` too.
"""

from __future__ import annotations

import re
from email.message import Message

from . import autoreply as _autoreply
from .autoreply import AUTO_SUBJECT
from .dsn import (
    ADDR_RE,
    BounceParts,
    looks_like_bounce,
    original_message_id,
    recipients_from,
    split_parts,
)
from .esp import parse_ses
from .mime import header, parse_bytes
from .outcome import Feedback, FeedbackResult, Kind, RecipientResult


def _addresses(value: str) -> list[str]:
    return [a.lower().strip(".") for a in ADDR_RE.findall(value)]


def _feedback(msg: Message, parts: BounceParts) -> FeedbackResult | None:
    report = parts.feedback_report
    if report is None and "feedback-report" not in parts.report_type:
        return None
    report = report or {}
    ftype = (report.get("feedback-type") or "other").strip().lower() or "other"
    rcpt = report.get("original-rcpt-to") or report.get("removal-recipient") or ""
    found = _addresses(rcpt)
    if not found and parts.original is not None:
        found = _addresses(header(parts.original, "To"))
    if not found:
        found = _addresses(parts.notification)[:1]
    original = found[0] if found else None
    found = list(dict.fromkeys(found))
    fb = Feedback(
        type=ftype,
        original_recipient=original,
        reporting_mta=(report.get("reporting-mta") or None),
        user_agent=(report.get("user-agent") or None),
    )
    result = FeedbackResult(kind="feedback", feedback=fb)
    for address in found:
        result.recipients.append(
            RecipientResult(
                address=address,
                reason="feedback",
                status=None,
                hard=False,
                diagnostic=" ".join(parts.notification.split())[:500],
                action="complained",
            )
        )
    return result


_UNSUBSCRIBE_SUBJECT = re.compile(r"^\s*(?:unsubscribe|отписаться|отписка|отписать)\s*$", re.I)


def _other_feedback(
    msg: Message, parts: BounceParts, subject: str, from_addrs: list[str]
) -> FeedbackResult | None:
    """Complaints and unsubscribes that are not RFC 5965 reports."""
    # Microsoft's JMRP: the complained-about message attached with its original recipient.
    if parts.original is not None and parts.original.get("X-HmXmrOriginalRecipient"):
        rcpt = _addresses(header(parts.original, "X-HmXmrOriginalRecipient"))
        if rcpt:
            return FeedbackResult(
                kind="feedback",
                feedback=Feedback(type="abuse", original_recipient=rcpt[0]),
                recipients=[
                    RecipientResult(address=rcpt[0], reason="feedback", action="complained")
                ],
            )
    # A reply to our List-Unsubscribe mailto: (Apple Mail marks it; others say it in the subject).
    if from_addrs and (
        header(msg, "X-Apple-Unsubscribe").lower() == "true" or _UNSUBSCRIBE_SUBJECT.match(subject)
    ):
        return FeedbackResult(
            kind="feedback",
            feedback=Feedback(type="unsubscribe", original_recipient=from_addrs[0]),
            recipients=[
                RecipientResult(address=from_addrs[0], reason="feedback", action="unsubscribed")
            ],
        )
    if "amazonses.com" in header(msg, "Return-Path") or "notificationType" in parts.notification:
        return parse_ses(parts.notification)
    return None


def _return_path(msg: Message) -> str | None:
    for name in ("X-Original-To", "Delivered-To", "Envelope-To", "To"):
        found = _addresses(header(msg, name))
        if found:
            return found[0]
    return None


def parse_message(raw: bytes, *, source: str | None = None) -> FeedbackResult:
    """Classify one raw RFC 5322 message and extract what it says about our recipients.

    ``source`` names the message (a path, ``path:N``) in the error of a message that could
    not be read at all.
    """
    try:
        return _parse(raw)
    except Exception as exc:  # the promise: a result with an error, never a crash
        where = f" ({source})" if source else ""
        return FeedbackResult(
            kind="other", errors=[f"parse failed{where}: {type(exc).__name__}: {exc}"]
        )


def _is_report(msg: Message | None) -> bool:
    return msg is not None and msg.get_content_type() == "multipart/report"


def _parse(raw: bytes, depth: int = 0) -> FeedbackResult:
    if not isinstance(raw, bytes | bytearray):
        raise TypeError("parse_message needs bytes")
    msg, errors = parse_bytes(bytes(raw))
    subject = header(msg, "Subject")
    from_addrs = _addresses(header(msg, "From"))
    parts = split_parts(msg)

    result = _feedback(msg, parts) or _other_feedback(msg, parts, subject, from_addrs)
    bounce_like = result is None and looks_like_bounce(msg, parts)
    if bounce_like:
        own = set(_addresses(header(msg, "To"))) | set(from_addrs)
        recipients, delayed = recipients_from(msg, parts, own)
        if recipients:
            all_delivered = all(r.reason == "delivered" for r in recipients)
            kind: Kind = "other" if delayed or all_delivered else "bounce"
            result = FeedbackResult(kind=kind, recipients=recipients, delayed=delayed)
        elif depth < 3 and _is_report(parts.original):
            # A notification that only wraps another bounce (a relay forwarding the DSN it got).
            inner = _parse(parts.original.as_bytes(), depth + 1)  # type: ignore[union-attr]
            if inner.kind == "bounce" and inner.recipients:
                result = inner
    if result is None:
        auto = _autoreply.detect(msg, subject=subject, from_addrs=from_addrs)
        if auto is not None:
            result = FeedbackResult(kind="autoreply", autoreply=auto)
            result.original_message_id = _in_reply_to(msg)
    if result is None and bounce_like and not AUTO_SUBJECT.search(subject):
        result = FeedbackResult(kind="bounce", errors=["bounce without a recognisable recipient"])
    if result is None:
        result = FeedbackResult(kind="other")
    if result.kind in ("bounce", "feedback") or parts.original is not None:
        result.original_message_id = result.original_message_id or original_message_id(parts)
        if parts.original is not None:
            senders = _addresses(header(parts.original, "From"))
            result.original_from = senders[0] if senders else None
            result.original_to = _addresses(header(parts.original, "To"))
    result.subject = subject
    result.from_address = from_addrs[0] if from_addrs else None
    result.message_id = header(msg, "Message-ID") or None
    result.return_path = _return_path(msg)
    result.errors = errors + result.errors
    return result


def _in_reply_to(msg: Message) -> str | None:
    value = header(msg, "In-Reply-To") or header(msg, "References")
    found = re.findall(r"<[^<>\s]+>", value)
    return found[-1] if found else None
