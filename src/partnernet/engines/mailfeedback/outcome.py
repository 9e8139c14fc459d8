"""The result types of the mail feedback engine and their JSON shape.

Plain dataclasses so the contacts app (and anyone using the engine as a library) can store and
re-read them without the engine. ``PARSER_VERSION`` travels with every result: when the parser
improves, stored messages whose results carry an older version can be parsed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .reasons import category

# Bump the minor part when the classification of existing messages may change.
PARSER_VERSION = "1.5"

Kind = Literal["bounce", "autoreply", "feedback", "other"]
AutoReplyType = Literal["vacation", "left", "moved", "other"]


@dataclass(slots=True)
class RecipientResult:
    """One failed (or delayed) recipient of a bounce, with a reason in sisimai's vocabulary."""

    address: str
    reason: str
    status: str | None = None
    hard: bool = False
    diagnostic: str = ""
    remote_mta: str | None = None
    action: str | None = None  # DSN action: failed, delayed, delivered, relayed, expanded
    reply_code: str | None = None  # the SMTP reply code (550, 452, ...) when one was given
    command: str | None = None  # the SMTP command that failed (RCPT, DATA, MAIL, ...)


@dataclass(slots=True)
class ExtractedContact:
    """A person named in an auto-reply: the replacement or a stand-in."""

    name: str | None = None
    email: str | None = None
    phones: list[str] = field(default_factory=list)  # E.164
    position: str | None = None
    role: Literal["replacement", "standin", "sender"] = "standin"


@dataclass(slots=True)
class AutoReply:
    type: AutoReplyType
    sender: str | None = None  # the address that auto-replied (the contact we wrote to)
    until: date | None = None  # back on this date (the first working day, when given)
    contacts: list[ExtractedContact] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # the sender's own numbers, E.164
    new_address: str | None = None  # for "moved": the sender's new address, if given
    subject: str = ""


@dataclass(slots=True)
class Feedback:
    """An ARF report (RFC 5965): a recipient complained about our message."""

    type: str  # abuse, fraud, virus, not-spam, other, ...
    original_recipient: str | None = None
    reporting_mta: str | None = None
    user_agent: str | None = None


@dataclass(slots=True)
class FeedbackResult:
    kind: Kind
    recipients: list[RecipientResult] = field(default_factory=list)
    autoreply: AutoReply | None = None
    feedback: Feedback | None = None
    # Ties the reply to one of our deliveries: the Message-ID of our original message, the
    # envelope return path it came back to (VERP) and the original From/To when quoted.
    original_message_id: str | None = None
    return_path: str | None = None
    original_from: str | None = None
    original_to: list[str] = field(default_factory=list)
    message_id: str | None = None
    subject: str = ""
    from_address: str | None = None
    delayed: bool = False  # a delivery-delay warning: not a failure
    parser_version: str = PARSER_VERSION
    errors: list[str] = field(default_factory=list)


def _recipient_json(r: RecipientResult) -> dict[str, Any]:
    return {
        "address": r.address,
        "reason": r.reason,
        "category": category(r.reason),
        "status": r.status,
        "hard": r.hard,
        "diagnostic": r.diagnostic,
        "remote_mta": r.remote_mta,
        "action": r.action,
    }


def _contact_json(c: ExtractedContact) -> dict[str, Any]:
    return {
        "name": c.name,
        "email": c.email,
        "phones": list(c.phones),
        "position": c.position,
        "role": c.role,
    }


def to_json(result: FeedbackResult, *, message: str | None = None) -> dict[str, Any]:
    """The CLI's JSON shape of one result (stable: the contacts app stores it)."""
    auto = result.autoreply
    data: dict[str, Any] = {
        "message": message,
        "kind": result.kind,
        "recipients": [_recipient_json(r) for r in result.recipients],
        "autoreply": None
        if auto is None
        else {
            "type": auto.type,
            "from": auto.sender,
            "until": auto.until.isoformat() if auto.until else None,
            "contacts": [_contact_json(c) for c in auto.contacts],
            "phones": list(auto.phones),
            "new_address": auto.new_address,
        },
        "feedback": None
        if result.feedback is None
        else {
            "type": result.feedback.type,
            "original_recipient": result.feedback.original_recipient,
        },
        "delayed": result.delayed,
        "original_message_id": result.original_message_id,
        "return_path": result.return_path,
        "original_to": list(result.original_to),
        "parser_version": result.parser_version,
        "errors": list(result.errors),
    }
    return data
