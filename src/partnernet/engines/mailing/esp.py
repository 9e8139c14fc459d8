"""Bounce, complaint and unsubscribe exports of external sending services (CSV).

Users who send through Unisender, SendPulse, Mailgun, SendGrid, Amazon SES and the like get the
feedback as an export instead of as mail. Each row becomes an ordinary
:class:`~partnernet.engines.mailfeedback.FeedbackResult`, so the same rules apply to it as to a
bounce that came back by mail. The accepted columns are documented in ``docs/mailing.md``.

Columns are matched by name, case-insensitively, in English or Russian; the delimiter
(``,``, ``;``, tab) and the encoding (UTF-8, with or without BOM, or cp1251) are detected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from partnernet.engines.mailfeedback import Feedback, FeedbackResult, RecipientResult
from partnernet.engines.mailfeedback.reasons import HARD_REASONS, classify

COLUMNS: dict[str, tuple[str, ...]] = {
    "address": (
        "email",
        "e-mail",
        "address",
        "email_address",
        "recipient",
        "to",
        "адрес",
        "email адрес",
        "электронная почта",
        "почта",
    ),
    "event": ("event", "event_type", "type", "status", "result", "событие", "статус", "тип"),
    "bounce_type": ("bounce_type", "severity", "bounce type", "тип ошибки"),
    "reason": (
        "reason",
        "bounce_reason",
        "error",
        "diagnostic",
        "diagnostic_code",
        "smtp_response",
        "response",
        "description",
        "причина",
        "ошибка",
        "описание",
    ),
    "code": ("status_code", "code", "smtp_code", "enhanced_status", "код"),
    "timestamp": (
        "timestamp",
        "date",
        "time",
        "created_at",
        "event_time",
        "datetime",
        "дата",
        "время",
    ),
    "message_id": ("message_id", "message-id", "smtp-id", "smtp_id", "msg_id"),
}

# Event values (lower-case) → what they are. Vendor status codes included (Unisender's err_*).
BOUNCE_WORDS = {
    "bounce",
    "bounced",
    "hard_bounce",
    "soft_bounce",
    "hardbounce",
    "softbounce",
    "dropped",
    "failed",
    "undeliverable",
    "blocked",
    "недоставлено",
    "ошибка",
    "hard",
    "soft",
    "permanent",
    "transient",
    "temporary",
}
COMPLAINT_WORDS = {
    "complaint",
    "complained",
    "spam",
    "spamreport",
    "spam_report",
    "abuse",
    "fbl",
    "жалоба",
    "спам",
}
UNSUBSCRIBE_WORDS = {
    "unsubscribe",
    "unsubscribed",
    "group_unsubscribe",
    "optout",
    "opt-out",
    "отписка",
    "отписался",
    "err_unsubscribed",
}
VENDOR_REASONS = {
    "err_user_unknown": ("userunknown", True),
    "err_user_inactive": ("suspend", False),
    "err_mailbox_discarded": ("userunknown", True),
    "err_mailbox_full": ("mailboxfull", False),
    "err_no_dns": ("hostunknown", True),
    "err_domain_inactive": ("hostunknown", True),
    "err_destination_misconfigured": ("hostunknown", True),
    "err_spam_rejected": ("spamdetected", False),
    "err_too_large": ("mesgtoobig", False),
    "err_lost": ("undefined", False),
    "err_internal": ("systemerror", False),
    "err_will_retry": ("expired", False),
}
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")


class EspExportError(ValueError):
    """The file is not a feedback export we can read (no address column, not CSV)."""


@dataclass(slots=True)
class EspEvent:
    row: int  # 1-based data row number (header not counted)
    event: str  # bounce | complaint | unsubscribe
    address: str
    result: FeedbackResult
    timestamp: str = ""
    message_id: str = ""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _column_map(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower().replace("\ufeff", "") for h in header]
    found: dict[str, int] = {}
    for role, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names and names.index(alias) not in found.values():
                found[role] = names.index(alias)
                break
    return found


def _event_kind(event: str, bounce_type: str) -> str | None:
    value = event.strip().lower()
    if value in UNSUBSCRIBE_WORDS:
        return "unsubscribe"
    if value in COMPLAINT_WORDS:
        return "complaint"
    if value in BOUNCE_WORDS or value in VENDOR_REASONS or value.startswith("err_"):
        return "bounce"
    if not value and bounce_type:
        return "bounce"
    return None


def _bounce(
    address: str, event: str, bounce_type: str, reason_text: str, code: str
) -> FeedbackResult:
    value = event.strip().lower()
    status_match = _STATUS.search(code) or _STATUS.search(reason_text)
    status = ".".join(status_match.groups()) if status_match else None
    if value in VENDOR_REASONS:
        reason, hard = VENDOR_REASONS[value]
    elif reason_text or status:
        reason = classify(status=status, diagnostic=reason_text, command="RCPT")
        hard = reason in HARD_REASONS
    else:
        # "hard bounce" with no words: the service gave up on the address, but we cannot tell
        # whether the mailbox is gone; the contacts rules record it without deciding anything.
        reason, hard = "undefined", False
    severity = (bounce_type or value).lower()
    if severity in ("soft", "soft_bounce", "softbounce", "transient", "temporary"):
        hard = False
    return FeedbackResult(
        kind="bounce",
        recipients=[
            RecipientResult(
                address=address,
                reason=reason,
                status=status,
                hard=hard,
                diagnostic=reason_text[:1000],
                action="failed",
            )
        ],
        original_to=[address],
    )


def read_esp_export(data: bytes | str) -> Iterator[EspEvent]:
    """Events of an export; rows that are not bounces, complaints or unsubscribes (deliveries,
    opens, clicks) are skipped. Raises :class:`EspExportError` when no address column exists."""
    text = _decode(data) if isinstance(data, bytes) else data
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    text = text.replace("\x00", "")
    try:
        yield from _events(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise EspExportError(f"not a readable CSV file: {exc}") from exc


def _events(reader: Iterator[list[str]]) -> Iterator[EspEvent]:
    header = next(reader, None)
    if not header:
        raise EspExportError("the file is empty")
    columns = _column_map(header)
    if "address" not in columns:
        raise EspExportError("no address column: expected one of " + ", ".join(COLUMNS["address"]))

    def cell(row: list[str], role: str) -> str:
        index = columns.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(reader, start=1):
        if not any(c.strip() for c in row):
            continue
        match = _EMAIL.search(cell(row, "address"))
        if not match:
            continue
        address = match.group(0).lower()
        event = cell(row, "event")
        bounce_type = cell(row, "bounce_type")
        kind = _event_kind(event, bounce_type) if "event" in columns else "bounce"
        if kind is None:
            continue
        if kind == "bounce":
            result = _bounce(address, event, bounce_type, cell(row, "reason"), cell(row, "code"))
        else:
            result = FeedbackResult(
                kind="feedback",
                recipients=[RecipientResult(address=address, reason="feedback")],
                feedback=Feedback(
                    type="abuse" if kind == "complaint" else "unsubscribe",
                    original_recipient=address,
                ),
                original_to=[address],
            )
        message_id = cell(row, "message_id")
        result.original_message_id = message_id or None
        yield EspEvent(
            row=number,
            event=kind,
            address=address,
            result=result,
            timestamp=cell(row, "timestamp"),
            message_id=message_id,
        )
