"""Notifications that e-mail service providers send instead of DSNs.

Amazon SES (through SNS) posts a JSON document per event: ``notificationType`` Bounce,
Complaint or Delivery with the recipients inside. SNS folds long lines (sometimes with a ``!``),
so fields are read with patterns rather than a strict JSON parser.
"""

from __future__ import annotations

import json
import re

from .outcome import Feedback, FeedbackResult, RecipientResult
from .reasons import classify, is_hard

_TYPE = re.compile(r'"notificationType"\s*:\s*"(Bounce|Complaint|Delivery)"')
_RECIPIENT_BLOCK = re.compile(r'"(bouncedRecipients|complainedRecipients)"\s*:\s*\[(.*?)\]', re.S)
_DELIVERY = re.compile(r'"delivery"\s*:\s*\{.*?"recipients"\s*:\s*\[(.*?)\]', re.S)
_OBJECT = re.compile(r"\{(.*?)\}", re.S)


def _field(obj: str, name: str) -> str | None:
    m = re.search(r'"' + re.escape(name) + r'"\s*:\s*"((?:[^"\\]|\\.)*)"', obj)
    if not m:
        return None
    try:
        return str(json.loads('"' + m.group(1) + '"'))
    except ValueError:
        return m.group(1)


def parse_ses(text: str) -> FeedbackResult | None:
    text = re.sub(r"!?\n ", "", text)  # SNS line folding
    if '\\"notificationType' in text:
        text = text.replace('\\"', '"')  # the SES document as a string inside the SNS one
    m = _TYPE.search(text)
    if not m:
        return None
    kind = m.group(1)
    if kind == "Delivery":
        d = _DELIVERY.search(text)
        addrs = re.findall(r'"([^"@\s]+@[^"\s]+)"', d.group(1)) if d else []
        return FeedbackResult(
            kind="other",
            recipients=[
                RecipientResult(
                    address=a.lower(), reason="delivered", status="2.0.0", action="delivered"
                )
                for a in addrs
            ],
        )
    block = _RECIPIENT_BLOCK.search(text)
    objects = _OBJECT.findall(block.group(2)) if block else []
    if kind == "Complaint":
        ftype = _field(text, "complaintFeedbackType") or "abuse"
        addrs = [a.lower() for o in objects if (a := _field(o, "emailAddress"))]
        result = FeedbackResult(
            kind="feedback",
            feedback=Feedback(type=ftype, original_recipient=addrs[0] if addrs else None),
        )
        result.recipients = [
            RecipientResult(address=a, reason="feedback", action="complained") for a in addrs
        ]
        return result
    bounce_type = (_field(text, "bounceType") or "").lower()
    recipients = []
    for o in objects:
        addr = _field(o, "emailAddress")
        if not addr:
            continue
        status = _field(o, "status")
        diag = (_field(o, "diagnosticCode") or "").partition(";")[2].strip() or (
            _field(o, "diagnosticCode") or ""
        )
        reason = classify(status=status, diagnostic=diag, command=None)
        if reason in ("undefined", "onhold") and bounce_type == "transient":
            reason = "expired"
        recipients.append(
            RecipientResult(
                address=addr.lower(),
                reason=reason,
                status=status,
                hard=is_hard(reason, status),
                diagnostic=diag,
                action=_field(o, "action") or "failed",
            )
        )
    return FeedbackResult(kind="bounce", recipients=recipients) if recipients else None
