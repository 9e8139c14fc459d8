"""Bounces: find the failed recipients of a delivery-failure message and what the MTA said.

Two sources, in order of trust:

1. RFC 3464 delivery-status parts (``message/delivery-status``): one block per recipient with
   Final-Recipient, Action, Status, Diagnostic-Code, Remote-MTA.
2. The human-readable notification that every MTA family writes in its own shape — Postfix
   ``<addr>: host said: …``, Exim's indented address and ``SMTP error from remote mail server
   after RCPT TO``, Sendmail's ``----- The following addresses had permanent fatal errors -----``
   and session transcript, qmail's ``<addr>:`` paragraphs, Exchange's "Delivery has failed to these
   recipients" and ``#550 5.1.1 RESOLVER…##``, and their Russian versions (Yandex, Mail.ru,
   Exchange in Russian). Rather than one parser per product we read the common structure: an
   address on its own line or at a line start, followed by the paragraph that explains it.

The classification of what was said into a reason lives in ``reasons.py``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from email.message import Message

from .mime import decode_bytes, header, header_text, part_bytes, part_text, raw_bytes, walk
from .mimetree import headers_from_text
from .outcome import RecipientResult
from .prefilter import folded_literals, may_match, required_literals
from .reasons import LOCAL_AGENT_LINE, classify, is_hard, text_reason

# A dot-atom local part, or a quoted one (RFC 5321: "john..doe"@example.com).
_ADDR = (
    r"(?:\"[^\"\\\r\n<>@]{1,64}\"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+)"
    r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
ADDR_RE = re.compile(_ADDR)
_STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
_REPLY_RE = re.compile(r"(?<![\d.#-])([245][0-5]\d)(?:[ -]|$)(?!\d)")
_ANY_REPLY = re.compile(r"(?<![\d.#-])[245][0-5]\d(?:[ -]|$)")
# Matched against the lowercased text (a case-sensitive pattern runs faster than re.I and
# gives the prefilter its literals; see prefilter.folded_literals for the few letters whose
# lower case differs from re.I's).
_COMMAND_RE = re.compile(
    r"(?:after|in reply to|most progress was|>>>|in response to|did not like our|has rejected|"
    r"error (?:in|after|during)|while (?:sending|talking)|"
    # Russian notices of Postfix-based services: «ответил на команду RCPT TO»
    r"на команду|в ответ на(?: команду)?|после команды)\s*"
    r"(rcpt to|mail from|data|end of data|helo|ehlo|starttls|auth|initial connection|connect|"
    r"rcpt|mail|bdat|message)"
)
_COMMAND_NEEDS = required_literals(_COMMAND_RE.pattern)

# Local parts that are never the failed recipient: they sign the bounce.
_SYSTEM_LOCALS = {
    "mailer-daemon",
    "postmaster",
    "mailerdaemon",
    "mail-daemon",
    "maildaemon",
    "bounce",
    "bounces",
    "noreply",
    "no-reply",
    "abuse",
    "root",
}

# Lines that end the notification and start the copy of the original message.
_ORIGINAL_MARKERS = re.compile(
    r"^\s*(?:-{2,}\s*)?(?:"
    r"this is a copy of the message|original message follows|"
    r"below this line is a copy of the message|"
    r"original message headers|original message|returned message|"
    r"start of returned message|message header follows|unsent message below|"
    r"the headers? of the original|headers of the message|"
    r"content-type: message/rfc822|"
    r"заголовки исходного сообщения|исходное сообщение|копия (?:вашего |исходного )?сообщения|"
    r"ниже (?:находится|приведена) копия|оригинальное сообщение"
    r")",
    re.I,
)
_HEADERISH = re.compile(
    r"^(?:Received|Return-Path|Message-Id|In-Reply-To|References|X-[\w-]+|From|To|Cc|Date|"
    r"Subject|Reply-To|Sender|Content-[\w-]+|MIME-Version|Delivered-To|DKIM-Signature|"
    r"Authentication-Results|List-[\w-]+|Envelope-To|Arrival-Date|Reporting-MTA|"
    r"Received-From-MTA|Thread-\w+)\s*:",
    re.I,
)

BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|has failed|failed|"
    r"notification|problem|report)|returned mail|mail delivery (?:failed|failure|system|"
    r"subsystem|error)|failure notice|could not send message|non[- ]?delivery|nondeliverable|"
    r"mail system error|returned to sender|delivery status|permanent error|rejected:|"
    r"message not delivered|message delivery failure|mail failure|"
    r"warning: message .* delayed|delayed mail|delivery delay|error sending your (?:mail|message)|"
    r"could not send mail|mail failed|returning (?:message )?to sender|delivery errors?|"
    r"недостав|не доставлен|не удалось доставить|ошибка доставки|невозможно доставить|"
    r"сообщение не (?:может быть )?доставлено|возвращ[её]нное сообщение|"
    r"отчет о доставке|уведомление о (?:состоянии|недоставке)|"
    r"доставка задерживается|задержка доставки",
    re.I,
)
_BOUNCE_FROM = re.compile(
    r"mailer-daemon|postmaster|mail delivery (?:subsystem|system)|mail administrator|"
    r"microsoft outlook|mail ?delivery|mailerdaemon|mdaemon|bounce|post_master|"
    r"почтов(?:ая|ый) (?:система|сервер)|служба доставки|система доставки",
    re.I,
)
BOUNCE_BODY = re.compile(
    r"could not be delivered|couldn'?t be delivered|delivery has failed|"
    r"following address(?:es|\(es\))? (?:had permanent|failed)|"
    r"permanent fatal errors|this is a permanent error|wasn'?t able to deliver|"
    r"was not delivered|undeliverable|delivery to the following recipients? failed|"
    r"did not reach the following recipient|trouble delivering|returned permanent errors?|"
    r"had delivery errors|failed addresses follow|no valid recipients|"
    r"requested action not taken|invalid (?:user|recipient) address|"
    r"\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b|"
    r"message could not be delivered|unable to deliver|delivery failed|"
    r"не может быть доставлено|не удалось доставить|не было доставлено|не доставлено|"
    r"недоставлен|доставка не удалась|не может быть отправлено|доставка невозможна",
    re.I,
)
_DELAY_BODY = re.compile(
    r"delay(?:ed)? (?:warning|mail|notification)|has been delayed|not yet been delivered|"
    r"will (?:continue|keep) (?:trying|to try)|still trying|no action is required on your part|"
    r"delivery attempts will continue|will retry|"
    r"(?:message|mail) is delayed|only a temporary failure|do not need to re-?send|"  # OpenSMTPD
    r"доставка задерживается|будут продолжены|продолжит попытки",
    re.I,
)
_DELAY_BODY_NEEDS = folded_literals(_DELAY_BODY.pattern)


def _says_delayed(low: str, text: str) -> bool:
    """``low`` is ``text`` lowercased: the literal prefilter reads it, the pattern ``text``."""
    return may_match(_DELAY_BODY_NEEDS, low) and _DELAY_BODY.search(text) is not None


# Reasons that say nothing about a delayed delivery: report those as "expired" (sisimai's word).
_VAGUE = {"undefined", "onhold", "systemerror", "delivered"}


@dataclass
class BounceParts:
    """The structural pieces of a (possible) bounce."""

    notification: str = ""
    dsn_message: dict[str, str] = field(default_factory=dict)
    dsn_recipients: list[dict[str, str]] = field(default_factory=list)
    original: Message | None = None
    original_text: str = ""
    report_type: str = ""
    feedback_report: dict[str, str] | None = None


# --- structure -----------------------------------------------------------------------------


def _parse_fields(text: str) -> list[dict[str, str]]:
    """Blocks of ``Name: value`` fields separated by blank lines (continuations folded)."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = ""
    for line in text.replace("\r", "").split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
                current, last = {}, ""
            continue
        if line[0] in " \t" and last:
            current[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if sep and name and " " not in name.strip():
            last = name.strip().lower()
            if last in current and last not in ("final-recipient", "original-recipient"):
                current[last] += " " + value.strip()
            elif last in current:
                # A second recipient without a blank line between blocks.
                blocks.append(current)
                current = {last: value.strip()}
            else:
                current[last] = value.strip()
        elif last:
            current[last] += " " + line.strip()
    if current:
        blocks.append(current)
    return blocks


def _field_text(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    if "=?" not in text:
        return header_text(text)
    return " ".join(text.split())


def _part_raw_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):
        # compat32 parses message/delivery-status into one Message per field block
        chunks = []
        for sub in payload:
            if isinstance(sub, Message):
                inner = sub.get_payload()
                # DSN fields are not RFC 5322 headers: an encoded word in Final-Recipient
                # is part of the address the server refused (RFC 2047 forbids it there).
                fields = "\n".join(f"{k}: {_field_text(v)}" for k, v in sub.items())
                chunks.append(fields + "\n" + (inner if isinstance(inner, str) else ""))
        return "\n\n".join(chunks)
    return part_text(part)


_DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")
_HEADERS_TYPES = ("text/rfc822-headers", "message/rfc822-headers", "text/rfc822-header")


def split_parts(msg: Message) -> BounceParts:
    out = BounceParts()
    try:
        out.report_type = (msg.get_param("report-type") or "").__str__().lower()
    except Exception:
        out.report_type = ""
    texts: list[str] = []
    html: list[str] = []
    for part in walk(msg):
        ctype = part.get_content_type()
        if part is not msg and ctype in ("message/rfc822", "message/global"):
            if out.original is None:
                inner = part.get_payload()
                if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                    out.original = inner[0]
            continue
        if ctype in _DSN_TYPES:
            blocks = _parse_fields(_part_raw_text(part))
            if blocks:
                first = blocks[0]
                if "final-recipient" in first or "original-recipient" in first:
                    out.dsn_recipients.extend(blocks)
                else:
                    out.dsn_message.update(first)
                    out.dsn_recipients.extend(blocks[1:])
            continue
        if ctype == "message/feedback-report":
            blocks = _parse_fields(_part_raw_text(part))
            merged: dict[str, str] = {}
            for b in blocks:
                merged.update(b)
            out.feedback_report = merged
            continue
        if ctype in _HEADERS_TYPES:
            if out.original is None:
                text = part_text(part) if not part.is_multipart() else ""
                with contextlib.suppress(Exception):
                    out.original = headers_from_text(text)
            continue
        if part.is_multipart():
            continue
        if ctype.startswith("multipart/") and isinstance(part.get_payload(), str):
            # A multipart whose boundary was lost (bad header folding): its body is text.
            texts.append(part_text(part))
            continue
        if ctype == "text/plain" or ctype == "text/html" or ctype.startswith("text/"):
            disp = (part.get("Content-Disposition") or "").lower()
            if "attachment" in disp and texts:
                continue
            (html if ctype == "text/html" else texts).append(part_text(part))
    body = "\n".join(texts) if texts else "\n".join(html)
    if not body.strip() and not out.dsn_recipients:
        # Broken MIME (no boundary, odd top-level type): read the raw body as text.
        payload = msg.get_payload()
        if isinstance(payload, str):
            body = decode_bytes(raw_bytes(payload))
            body = body.replace("\r\n", "\n").replace("\r", "\n")
    body = _unquote_forwarded(body)
    low = body.lower()  # for the literal checks below and in _cut_original
    if not out.dsn_recipients and "final-recipient:" in low and _INLINE_DSN_FIELD.search(body):
        # DSN fields written inline in the text (a multipart/report without boundaries).
        for block in _parse_fields(_dsn_region(body)):
            if "final-recipient" in block or "original-recipient" in block:
                out.dsn_recipients.append(block)
            elif "reporting-mta" in block:
                out.dsn_message.update(block)
    notification, original_text = _cut_original(body, low)
    out.notification = notification
    out.original_text = original_text
    if out.original is None and original_text:
        out.original = _headers_from_text(original_text)
    return out


_QUOTE_PREFIX = re.compile(r"^> ?", re.M)


def _unquote_forwarded(body: str) -> str:
    """A notification forwarded inline ("Begin forwarded message:" and every line quoted with
    "> ") is read without the quote marks, as its MTA wrote it."""
    if not body.startswith(">") and "\n>" not in body:
        return body  # no line is quoted
    lines = [ln for ln in body.split("\n") if ln.strip()]
    if len(lines) < 6:
        return body
    quoted = sum(ln.startswith(">") for ln in lines)
    if quoted * 3 < len(lines) * 2:
        return body
    return _QUOTE_PREFIX.sub("", body)


def _dsn_region(body: str) -> str:
    """Only the lines that look like DSN fields (and their continuations)."""
    keep: list[str] = []
    inside = False
    for line in body.split("\n"):
        if re.match(
            r"^(?:Final-Recipient|Original-Recipient|Action|Status|Diagnostic-Code|"
            r"Remote-MTA|Reporting-MTA|Last-Attempt-Date|Will-Retry-Until|"
            r"X-Actual-Recipient|Received-From-MTA|Arrival-Date)\s*:",
            line,
            re.I,
        ):
            keep.append(line)
            inside = True
        elif inside and line[:1] in (" ", "\t") and line.strip():
            keep.append(line)
        else:
            if keep and keep[-1] != "":
                keep.append("")
            inside = False
    return "\n".join(keep)


# The same markers, found in the whole text at once: a line's blanks may not run on into the
# next line, as they could not when each line was matched on its own.
_ORIGINAL_MARKER_LINE = re.compile(
    _ORIGINAL_MARKERS.pattern.replace(r"\s", r"[^\S\n]"), re.I | re.M
)
_ORIGINAL_MARKER_NEEDS = folded_literals(_ORIGINAL_MARKERS.pattern)
_HEADER_BLOCK_START = re.compile(r"^(?:Return-Path|Received): ", re.I | re.M)
_ANY_FIELD_LINE = re.compile(r"^\S+: ", re.M)


def _cut_original(body: str, low: str) -> tuple[str, str]:
    """Split a plain-text bounce into the notification and the quoted original message
    (``low`` is ``body`` lowercased)."""
    second_line = body.find("\n") + 1
    if second_line and may_match(_ORIGINAL_MARKER_NEEDS, low):
        marker = _ORIGINAL_MARKER_LINE.search(body, second_line)
        if marker:
            end = body.find("\n", marker.start())
            return body[: marker.start() - 1], body[end + 1 :] if end >= 0 else ""
    # A bare header block (Return-Path/Received lines) also starts the original.
    fourth_line = _line_start(body, 3)
    if fourth_line < 0:
        return body, ""
    for start in _HEADER_BLOCK_START.finditer(body, fourth_line):
        at = start.start()
        following = "\n".join(body[at:].split("\n", 6)[:6])
        if _HEADERISH.search(following) and _ANY_FIELD_LINE.search(following):
            return body[: at - 1], body[at:]
    return body, ""


def _line_start(text: str, n: int) -> int:
    """Where line ``n`` (from 0) starts, or -1 when the text has fewer lines."""
    at = 0
    for _ in range(n):
        at = text.find("\n", at) + 1
        if not at:
            return -1
    return at


def _headers_from_text(text: str) -> Message | None:
    lines = text.lstrip("\n").split("\n")
    start = 0
    for i, line in enumerate(lines[:40]):
        if _HEADERISH.match(line):
            start = i
            break
    else:
        return None
    try:
        return headers_from_text("\n".join(lines[start : start + 200]))
    except Exception:
        return None


# --- detection -----------------------------------------------------------------------------


# A mailing-list manager that refuses a post (fml, Mailman) writes its own notice: the list
# address in angle brackets and why (not a member, a loop of the same Message-ID).
_LIST_MANAGER_HEADERS = ("X-MLServer", "X-ML-Name", "X-Mailman-Version")
_LIST_REFUSAL = re.compile(
    r"not a member of (?:this|the) (?:mailing )?list|"
    r"(?:not (?:allowed|permitted) to post|post by non-?member) to|"
    r"duplicated message-id in <",
    re.I,
)


def _list_refusal(msg: Message, parts: BounceParts) -> bool:
    if not any(msg.get(h) for h in _LIST_MANAGER_HEADERS):
        return False
    return bool(_LIST_REFUSAL.search(parts.notification[:3000]))


def _list_refusal_recipient(parts: BounceParts) -> RecipientResult | None:
    """The list that refused the post, named in angle brackets in the refusal sentence."""
    text = parts.notification[:3000]
    m = _LIST_REFUSAL.search(text)
    if not m:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n\n", m.end())
    sentence = " ".join(text[start : end if end > 0 else len(text)].split())
    found = re.search(r"<(" + _ADDR + r")>", sentence)
    if not found:
        return None
    reason = classify(status=None, diagnostic=sentence)
    return RecipientResult(
        address=_clean_addr(found.group(1)),
        reason=reason,
        status=None,
        hard=is_hard(reason, None),
        diagnostic=_diag_clean(sentence),
        action="failed",
    )


def looks_like_bounce(msg: Message, parts: BounceParts) -> bool:
    if parts.dsn_recipients:
        return True
    if "delivery-status" in parts.report_type:
        return True
    subject = header(msg, "Subject")
    sender = header(msg, "From")
    if msg.get("X-Failed-Recipients"):
        return True
    subj_hit = bool(BOUNCE_SUBJECT.search(subject))
    from_hit = bool(_BOUNCE_FROM.search(sender))
    null_path = header(msg, "Return-Path").strip() in ("<>", "")
    if subj_hit and (from_hit or null_path):
        return True
    # The body is the costly check: only when the headers leave it open.
    if not BOUNCE_BODY.search(parts.notification[:6000]):
        return _list_refusal(msg, parts)
    if subj_hit or from_hit or null_path or parts.original is not None:
        return True
    return header(msg, "Auto-Submitted").lower().startswith("auto-generated")


# --- recipients from the notification text -------------------------------------------------


@dataclass
class TextHit:
    address: str
    diagnostic: str
    order: int


_QUOTED_LOCAL = re.compile(r'"[^"]+"@')


def _clean_addr(addr: str) -> str:
    addr = addr.strip().strip("<>'()[],;:.")
    if not _QUOTED_LOCAL.match(addr):
        addr = addr.strip('"')
    addr = addr.lower()
    if addr.startswith("mailto:"):
        addr = addr[7:]
    return addr


def _is_system(addr: str) -> bool:
    local = addr.split("@", 1)[0]
    return local in _SYSTEM_LOCALS or local.startswith(("mailer-daemon", "postmaster"))


_ADDRESS_LINE = re.compile(
    r"^\s{0,6}(?P<pre>[\"']?[^<>@\n]{0,60}[\"']?\s*)?"
    r"(?:<|\(|\[|mailto:)?(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-])(?P<a>" + _ADDR + r")(?:>|\)|\])?"
    r"(?P<rest>\s*(?:\(expanded from[^)]*\))?\s*[:.,;]?.*)$"
)
_SKIP_LINE = re.compile(
    r"please contact|send (?:mail|e-?mail) to|postmaster|"
    r"^\s*\(\s*(?:ultimately )?generated from|for (?:further|more) (?:assistance|"
    r"information)|reporting-mta|x-postfix|arrival-date|received-from-mta|^\s*from:|^\s*to:|"
    r"^\s*sender:|envelope-from|^\s*reply-to|message-id|your message (?:to|was sent)|"
    r"обратитесь|свяжитесь",
    re.I,
)
_SKIP_LINE_NEEDS = folded_literals(_SKIP_LINE.pattern)


_CONTACT_CUE = re.compile(
    r"please contact|contact (?:your|the|our) (?:postmaster|administrator|support|helpdesk)|"
    r"for (?:further|more) (?:assistance|information)|обратитесь|свяжитесь",
    re.I,
)
_CONTACT_CUE_NEEDS = folded_literals(_CONTACT_CUE.pattern)


_SENDER_CUE = re.compile(r"(?:sent|generated) by\s*:?\s*$", re.I)
_RULE_LINE = re.compile(r"^\s*[-=*_]{4,}")
_CODE_OR_ERROR = re.compile(r"\d{3}|error", re.I)
_INLINE_DSN_FIELD = re.compile(r"^Final-Recipient:", re.I | re.M)


def _after_sender_cue(lines: list[str], i: int) -> bool:
    """An address under "A message sent by" (Exim) names our sender, not a recipient."""
    for k in range(i - 1, max(-1, i - 3), -1):
        if lines[k].strip():
            return _SENDER_CUE.search(lines[k]) is not None
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


_ANGLE_NEXT = re.compile(r"<(" + _ADDR + r")>")


def scan_text(notification: str, exclude: set[str]) -> list[TextHit]:
    """Addresses that start a line of the notification, each with the paragraph after it."""
    hits: dict[str, TextHit] = {}
    lines = notification.split("\n")
    n = len(lines)
    # An address offered for help ("please contact <support@…>") is no recipient, wherever it
    # is repeated (in a second language, say).
    helpers = {
        _clean_addr(a)
        for line in lines
        if "@" in line and may_match(_CONTACT_CUE_NEEDS, line.lower())
        for cue in _CONTACT_CUE.finditer(line)
        for a in ADDR_RE.findall(line[cue.end() : cue.end() + 60])
    }
    if helpers:
        exclude = exclude | helpers
    i = 0
    order = 0
    while i < n:
        line = lines[i]
        m = _ADDRESS_LINE.match(line) if "@" in line else None
        # Cues are read near the address: a remote reply after it may name a postmaster site.
        near = line[: m.end("a") + 40] if m else ""
        if (
            m is None
            or (may_match(_SKIP_LINE_NEEDS, near.lower()) and _SKIP_LINE.search(near))
            or len(line) > 400
            or _after_sender_cue(lines, i)
        ):
            i += 1
            continue
        addr = _clean_addr(m.group("a"))
        rest = m.group("rest").strip(" :;,.")
        angle = _ANGLE_NEXT.match(rest)
        if angle and "<" not in line[: m.start("a")]:
            # "a@x <b@y>: …" — an unquoted display name that looks like an address; the
            # angle-bracketed one is the address (RFC 5322 name-addr).
            addr = _clean_addr(angle.group(1))
            rest = rest[angle.end() :].strip(" :;,.")
        if addr in exclude or _is_system(addr):
            i += 1
            continue
        pre = (m.group("pre") or "").strip()
        if pre and (re.search(r"\b[245]\d\d\b", pre) or (":" in pre and len(pre.split()) >= 3)):
            rest = (pre + " " + rest).strip()  # "Remote host said: 550 5.1.1 <addr>: …"
        diag = [rest] if rest else []
        summary = bool(_SUMMARY_LINE.match(line))
        j = i + 1
        while j < n and j < i + 14:
            nxt = lines[j]
            if not nxt.strip():
                # Exchange puts one blank line between the address and its explanation.
                if not diag and j + 1 < n and lines[j + 1].strip() and "@" not in lines[j + 1]:
                    j += 1
                    continue
                break
            m2 = _ADDRESS_LINE.match(nxt) if "@" in nxt else None
            if m2 and _clean_addr(m2.group("a")) != addr and _indent(nxt) <= _indent(line):
                break  # the next recipient at the same depth
            same = m2 is not None and _clean_addr(m2.group("a")) == addr
            if (
                m2
                and not same
                and not nxt.startswith((" ", "\t"))
                and not re.match(r"\s*[(#\d]", nxt)
            ):
                break  # a new address line; the same address repeated is the explanation
            if m2 and not diag and nxt[:1] in " \t" and not _CODE_OR_ERROR.search(nxt):
                break
            if _RULE_LINE.match(nxt):
                break
            if summary and _SUMMARY_LINE.match(nxt):
                break  # Sendmail's summary lines: one reply per line, each its own recipient
            diag.append(nxt.strip())
            j += 1
        if diag and diag[-1].endswith(":") and j + 1 < n and not lines[j].strip():
            # "For the following reason:" and a blank line: the reason is the next paragraph.
            k = j + 1
            while k < n and k < j + 6 and lines[k].strip() and "@" not in lines[k]:
                diag.append(lines[k].strip())
                k += 1
            j = k
        text = " ".join(d for d in diag if d)
        hit = hits.get(addr)
        if hit is None:
            hits[addr] = TextHit(addr, text, order)
            order += 1
        elif text and text not in hit.diagnostic:
            hit.diagnostic = (hit.diagnostic + " " + text).strip()
        i = max(j, i + 1)
    if not hits:
        _sentence_addresses(notification, exclude, hits)
    _attach_transcript(notification, hits)
    if len(hits) > 1:
        _attach_block_reply(notification, hits)
    return sorted(hits.values(), key=lambda h: h.order)


_SENTENCE_ADDR = re.compile(
    r"(?:deliver(?:ing|ed|y)?|send(?:ing)?|sent|failed|rejected|recipient|address|to|для|адресату|"
    r"получател[юья]|адрес)[^\n@]{0,60}?<?(?<![\w.+-])(" + _ADDR + r")>?",
    re.I,
)


def _sentence_addresses(text: str, exclude: set[str], hits: dict[str, TextHit]) -> None:
    """Addresses inside sentences ("There was an error delivering your mail to <addr>.")."""
    paragraphs = re.split(r"\n\s*\n", text)
    for k, para in enumerate(paragraphs):
        if "@" not in para:
            continue  # every match holds an address
        for m in _SENTENCE_ADDR.finditer(para):
            addr = _clean_addr(m.group(1))
            if addr in exclude or _is_system(addr) or addr in hits:
                continue
            following = " ".join(paragraphs[k + 1 : k + 3]) if k + 1 < len(paragraphs) else ""
            line_start = para.rfind("\n", 0, m.start()) + 1
            rest = para[line_start : m.start()] + " " + para[m.end() :]
            hits[addr] = TextHit(addr, " ".join((rest + " " + following).split())[:1000], len(hits))


_TRANSCRIPT_LINE = re.compile(r"^\s*(?:<<<\s*)?([245]\d\d)[ -]\s*(.+)$", re.M)


# Notices that quote the remote server's reply inside a sentence (Gmail's "Technical details
# of temporary failure: … The error that the other server returned was: 450 4.2.2 …").
_QUOTED_REPLY = re.compile(
    r"(?:error that the other server returned was|response from the remote server was|"
    r"the remote server (?:replied|responded))\s*:?\s*([245]\d\d\b[^\n]{0,400})",
    re.I,
)
_QUOTED_REPLY_NEEDS = folded_literals(_QUOTED_REPLY.pattern)


_SUMMARY_LINE = re.compile(r"^\s*[245]\d\d[ -]")
_TALKING_TO = re.compile(r"^[. ]*while talking to ([^\s:]+)\.?:[ \t]*$", re.I | re.M)
_HOST_LINE = re.compile(r"^\s*[245]\d\d (\S+?)\.? \(\w+\)\.\.\.")
_BLOCK_EXCHANGE = re.compile(r"^>>> ?([^\n]*)\n<<< ?([^\n]*)$", re.M)


def _attach_block_reply(text: str, hits: dict[str, TextHit]) -> None:
    """Old Sendmail (V5/V8) transcripts: "While talking to host:", the command and the remote
    reply, then one summary line per recipient of that host ("554 <addr>... Remote protocol
    error"). The reply of the block is the cause for those recipients, unless the command was
    another recipient's RCPT TO."""
    talks = list(_TALKING_TO.finditer(text))
    for k, talk in enumerate(talks):
        host = talk.group(1).lower().rstrip(".")
        block = text[talk.start() : talks[k + 1].start() if k + 1 < len(talks) else len(text)]
        exchange = _BLOCK_EXCHANGE.search(block)
        if not exchange:
            continue
        command, reply = exchange.group(1).strip(), exchange.group(2).strip()
        if command.upper().startswith("RCPT"):
            continue  # tied to its own recipient by _attach_transcript
        for line in block[exchange.end() :].split("\n"):
            other_host = _HOST_LINE.match(line)
            if other_host and other_host.group(1).lower() != host:
                break  # "550 other.example (smtp)... ": the next host's lines
            if not _SUMMARY_LINE.match(line):
                continue
            for a in ADDR_RE.findall(line):
                hit = hits.get(_clean_addr(a))
                if hit is not None and reply not in hit.diagnostic:
                    hit.diagnostic = f"{hit.diagnostic} >>> {command} <<< {reply}".strip()


def _line_before(text: str, at: int) -> str:
    """The last non-empty line before position ``at`` (the start of a line), stripped."""
    end = at
    while end > 0 and text[end - 1] == "\n":
        end -= 1
    return text[text.rfind("\n", 0, end) + 1 : end].strip()


def _attach_transcript(text: str, hits: dict[str, TextHit]) -> None:
    """Sendmail-style session transcripts: ``<<< 550 5.1.1 <addr>... User unknown``."""
    if not hits:
        return
    quoted = _QUOTED_REPLY.finditer(text) if may_match(_QUOTED_REPLY_NEEDS, text.lower()) else ()
    for m in quoted:
        reply = m.group(1).strip()
        found = [a for a in (_clean_addr(x) for x in ADDR_RE.findall(reply)) if a in hits]
        for a in found or (list(hits) if len(hits) == 1 else []):
            if reply not in hits[a].diagnostic:
                hits[a].diagnostic = (hits[a].diagnostic + " " + reply).strip()
    for m in _TRANSCRIPT_LINE.finditer(text):
        line = m.group(0).strip()
        found = [_clean_addr(a) for a in ADDR_RE.findall(line)]
        # The command the reply answers (">>> RCPT To:<addr>") is on the line before.
        before = _line_before(text, m.start())
        # Or a local delivery agent's own words ("mail.local: unknown user: x"), which the
        # Sendmail summary line after them maps to an exit-status text ("Service unavailable").
        sent = before if before.startswith(">>>") or LOCAL_AGENT_LINE.match(before) else ""
        for a in ADDR_RE.findall(sent):
            if _clean_addr(a) in hits and _clean_addr(a) not in found:
                found.append(_clean_addr(a))
        targets = [a for a in found if a in hits] or (list(hits) if len(hits) == 1 else [])
        for a in targets:
            hit = hits[a]
            if sent and sent not in hit.diagnostic:
                hit.diagnostic = (hit.diagnostic + " " + sent).strip()
            if line.lstrip("< ") not in hit.diagnostic:
                hit.diagnostic = (hit.diagnostic + " " + line).strip()


# --- assembling recipients -----------------------------------------------------------------


def _field_value(value: str) -> tuple[str, str]:
    """``rfc822; addr`` → ("rfc822", "addr"); ``smtp; 550 …`` → ("smtp", "550 …")."""
    kind, sep, rest = value.partition(";")
    if sep and len(kind) < 20 and " " not in kind.strip():
        return kind.strip().lower(), rest.strip()
    return "", value.strip()


def _status_of(text: str) -> str | None:
    best = None
    for m in _STATUS_RE.finditer(text):
        code = ".".join(m.groups())
        if best is None or (best.endswith(".0.0") and not code.endswith(".0.0")):
            best = code
    return best


def _reply_of(text: str) -> str | None:
    m = _REPLY_RE.search(text)
    return m.group(1) if m else None


_RCPT_HINT = re.compile(
    r"does not like recipient|\[rcpt_to\]|smtp:rcpt|rcpt to:?<|"
    r"in reply to rcpt|recipient address rejected|"
    # RFC 5321's standard text of a refused RCPT TO
    r"requested action not taken: mailbox unavailable"
)
_RCPT_HINT_NEEDS = required_literals(_RCPT_HINT.pattern)


# Sendmail's transcript: a reply right after "... while talking to host:" with no ">>>"
# command sent before it answered the connection itself (the greeting).
_GREETING_REPLY = re.compile(r"while talking to [^\n]+:[ \t]*\n[ \t]*<<<")


def _command_of(text: str) -> str | None:
    low = text.lower()
    m = _COMMAND_RE.search(low) if may_match(_COMMAND_NEEDS, low) else None
    if not m and may_match(_RCPT_HINT_NEEDS, low) and _RCPT_HINT.search(low):
        return "RCPT"
    if not m and ">>>" not in text and _GREETING_REPLY.search(text):
        return "CONN"
    if not m:
        return None
    word = m.group(1).upper()
    if word.startswith("RCPT") or word == "ADDRESS":
        return "RCPT"
    if word.startswith("MAIL"):
        return "MAIL"
    if word in ("END OF DATA", "DATA", "BDAT", "MESSAGE"):
        return "DATA"
    if word in ("HELO", "EHLO"):
        return "HELO"
    if word in ("CONNECT", "INITIAL CONNECTION"):
        return "CONN"
    return word


def _diag_clean(text: str) -> str:
    return " ".join(text.split())[:2000]


def recipients_from(
    msg: Message, parts: BounceParts, own_addresses: set[str]
) -> tuple[list[RecipientResult], bool]:
    """Failed recipients with reasons; second value: the message is only a delay warning."""
    if not parts.dsn_recipients and _list_refusal(msg, parts):
        refused = _list_refusal_recipient(parts)
        if refused is not None:
            return [refused], False
    exclude = set(own_addresses)
    text_hits = {h.address: h for h in scan_text(parts.notification, exclude)}
    remote_default = _field_value(parts.dsn_message.get("reporting-mta", ""))[1] or None
    results: list[RecipientResult] = []
    seen: set[str] = set()
    delayed_only = True
    whole = parts.notification
    whole_low = whole.lower()

    for block in parts.dsn_recipients:
        raw = block.get("final-recipient") or block.get("original-recipient") or ""
        addr = _clean_addr(_field_value(raw)[1])
        if " " in addr or "|" in addr:
            # "|/usr/bin/filter user@example.com …": a pipe or a program, the address inside
            inside = ADDR_RE.findall(addr)
            addr = _clean_addr(inside[0]) if inside else ""
        if "@" not in addr:
            addr = _clean_addr(_field_value(block.get("original-recipient", ""))[1])
        if "@" not in addr:
            found = ADDR_RE.findall(raw)
            addr = _clean_addr(found[0]) if found else ""
        if addr.startswith("@") and len(parts.dsn_recipients) == 1 and len(text_hits) == 1:
            addr = next(iter(text_hits))  # "Final-Recipient: rfc822; @mx.example.org"
        if not addr or "@" not in addr or addr.startswith("@"):
            continue
        action = (block.get("action") or "").strip().lower().split()[0:1]
        act = action[0] if action else ""
        diag_type, diag = _field_value(block.get("diagnostic-code", ""))
        status = (block.get("status") or "").strip().split(" ")[0] or None
        if status and not _STATUS_RE.fullmatch(status):
            status = _status_of(status)
        dsn_diag = diag
        hit = text_hits.get(addr)
        text_diag = hit.diagnostic if hit else ""
        longer = bool(text_diag) and len(text_diag) > len(diag)
        if not diag or (longer and diag.lower() in text_diag.lower()):
            diag = text_diag
        combined = diag if not text_diag or text_diag in diag else diag + " " + text_diag
        if not status or (status.endswith(".0.0") and _status_of(dsn_diag) != status):
            # A generic X.0.0 says little, unless the server's own reply carries the same code
            # (the summary lines of the notifying MTA map replies to codes of their own).
            status = _status_of(diag) or _status_of(text_diag) or status
        if act in ("delivered", "relayed", "expanded"):
            reason = "delivered"
            delayed_only = False
        elif act == "delayed" or (
            not act and status and status.startswith("4") and _says_delayed(whole_low, whole)
        ):
            if addr in seen:
                continue
            seen.add(addr)
            why = classify(
                status=status,
                diagnostic=combined,
                command=_command_of(combined),
                diag_type=diag_type,
            )
            generic = (status or "").endswith(".0") and diag_type not in ("x-unix", "x-local")
            if generic and text_reason(combined) is None:
                why = "expired"  # still queued; a generic X.Y.0 code names no cause
            results.append(
                RecipientResult(
                    address=addr,
                    reason=why if why not in _VAGUE else "expired",
                    status=status,
                    hard=False,
                    diagnostic=_diag_clean(diag),
                    remote_mta=_field_value(block.get("remote-mta", ""))[1] or remote_default,
                    action="delayed",
                    reply_code=_reply_of(diag),
                    command=_command_of(combined),
                )
            )
            continue
        else:
            delayed_only = False
            reason = ""
        if addr in seen:
            continue
        seen.add(addr)
        command = _command_of(combined) or _command_of(block.get("x-smtp-command", ""))
        if command is None and len(parts.dsn_recipients) == 1:
            command = _command_of(whole)
        if not reason:
            reason = classify(
                status=status,
                diagnostic=combined,
                command=command,
                diag_type=diag_type,
                context=whole,
            )
        results.append(
            RecipientResult(
                address=addr,
                reason=reason,
                status=status,
                hard=is_hard(reason, status),
                diagnostic=_diag_clean(diag),
                remote_mta=_field_value(block.get("remote-mta", ""))[1] or remote_default,
                action=act or "failed",
                reply_code=_reply_of(combined),
                command=command,
            )
        )

    if not results:
        hits = list(text_hits.values())
        if not hits:
            failed = header(msg, "X-Failed-Recipients")
            hits = [TextHit(_clean_addr(a), "", k) for k, a in enumerate(ADDR_RE.findall(failed))]
        guessed = ""  # a recipient the notification never names (taken from the original)
        wrapped_report = (
            parts.original is not None and parts.original.get_content_type() == "multipart/report"
        )
        if not hits:
            # An address listed with the server's reply is a failed recipient even when it is
            # also the address the bounce came to (someone who wrote to themselves): stronger
            # than a guess from the quoted original.
            hits = [
                h
                for h in scan_text(parts.notification, set())
                if _ANY_REPLY.search(h.diagnostic) and not _is_system(h.address)
            ]
        if not hits and parts.original is not None and not wrapped_report:
            to = header(parts.original, "To")
            found = [_clean_addr(a) for a in ADDR_RE.findall(to)]
            found = [a for a in found if a not in exclude]
            if len(found) == 1:
                hits = [TextHit(found[0], "", 0)]
                guessed = found[0]
        if not hits and not wrapped_report:
            # A bounce of a message the sender sent to itself names its own address.
            hits = scan_text(parts.notification, set())
        delay = _says_delayed(whole_low, whole) and not re.search(
            r"permanent|fatal|giving up|gave up|could not be delivered|has failed", whole, re.I
        )
        for h in hits:
            if h.address in seen:
                continue
            seen.add(h.address)
            diag = h.diagnostic or _fallback_diag(whole)
            if h.address == guessed and not _TRANSCRIPT_LINE.search(whole):
                diag = ""  # the notification says nothing about this recipient
            status = _status_of(diag)
            command = _command_of(diag) or (_command_of(whole) if len(hits) == 1 else None)
            if delay and (not status or status.startswith("4")):
                # Why it is delayed, when the quoted reply says (mailbox full, no PTR …).
                why = classify(status=status, diagnostic=diag, command=command) if diag else ""
                results.append(
                    RecipientResult(
                        address=h.address,
                        reason=why if why and why not in _VAGUE else "expired",
                        status=status,
                        hard=False,
                        diagnostic=_diag_clean(diag),
                        action="delayed",
                        reply_code=_reply_of(diag),
                        command=command,
                    )
                )
                continue
            delayed_only = False
            reason = classify(
                status=status, diagnostic=diag, command=command, diag_type="", context=whole
            )
            relayed = (
                _relayed_report(parts, h.address) if reason in ("onhold", "undefined") else None
            )
            if relayed is not None:
                diag = relayed.diagnostic
                status = _status_of(diag)
                command = _command_of(diag)
                reason = classify(status=status, diagnostic=diag, command=command)
            if not status:
                status = _default_status(reason, diag)
            results.append(
                RecipientResult(
                    address=h.address,
                    reason=reason,
                    status=status,
                    hard=is_hard(reason, status),
                    diagnostic=_diag_clean(diag),
                    remote_mta=remote_default,
                    action="failed",
                    reply_code=_reply_of(diag),
                    command=command,
                )
            )
    if not results:
        delayed_only = False
    return results, delayed_only


def _relayed_report(parts: BounceParts, address: str) -> TextHit | None:
    """A gateway that relays a downstream server's failure report (Trend Micro InterScan's
    "Unable to deliver message to <addr>") attaches that report where the original message
    would be. When the gateway's own words name no cause, the report's reply to the same
    recipient does. Read only in that case: the attachment is otherwise our own message."""
    if parts.original is None:
        return None
    for part in walk(parts.original):
        if part.is_multipart() or part.get_content_type() != "text/plain":
            continue
        text = part_text(part)
        if address not in text.lower() or not BOUNCE_BODY.search(text):
            continue
        for hit in scan_text(text, set()):
            if hit.address == address and _ANY_REPLY.search(hit.diagnostic):
                return hit
    return None


def _fallback_diag(text: str) -> str:
    """When the address stands alone, the explanation is the first SMTP reply in the text."""
    for m in _TRANSCRIPT_LINE.finditer(text):
        return m.group(0).strip()
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return " ".join(lines[:12])


def _default_status(reason: str, diag: str) -> str | None:
    reply = _reply_of(diag)
    if reply:
        return f"{reply[0]}.0.0"
    return None


def original_message_id(parts: BounceParts) -> str | None:
    if parts.original is not None:
        mid = header(parts.original, "Message-ID")
        if mid:
            return mid.strip()
    m = re.search(r"^Message-Id:\s*(<[^>\s]+>)", parts.original_text, re.I | re.M)
    return m.group(1) if m else None


__all__ = [
    "ADDR_RE",
    "BounceParts",
    "looks_like_bounce",
    "original_message_id",
    "part_bytes",
    "recipients_from",
    "split_parts",
]
