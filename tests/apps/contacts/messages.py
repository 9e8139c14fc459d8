"""Realistic replies to a partner mailing, written for these tests (invented people, domains).

Each builder returns raw bytes as a mail server would deliver them to our bounce mailbox; the
tests parse them with the real mail feedback engine.
"""

from __future__ import annotations

from email.header import Header

NEWSLETTER = """From: Partnernet News <news@news.partnernet.example>
To: {to}
Subject: =?utf-8?B?0J/RgNC40LPQu9Cw0YjQtdC90LjQtSDQvdCwINCy0LXQsdC40L3QsNGA?=
Message-ID: <{delivery}.n@news.partnernet.example>
Date: Tue, 10 Nov 2026 10:00:00 +0300

Приглашаем на вебинар о новой линейке СХД.
"""


def _subject(text: str) -> str:
    return Header(text, "utf-8").encode()


def postfix_bounce(
    to: str,
    *,
    delivery: str = "d1",
    code: str = "550 5.1.1",
    text: str = "User unknown in virtual mailbox table",
    command: str = "RCPT TO",
    status: str | None = None,
    to_verp: str | None = None,
    original_headers: str | None = None,
    date: str = "Tue, 10 Nov 2026 10:01:07 +0300",
    message_id: str | None = None,
) -> bytes:
    """A Postfix DSN (RFC 3464) for one recipient ``to``.

    ``to_verp``: the VERP return path our delivery carried (the bounce is addressed, and
    delivered, to it); ``original_headers``: our headers the bounce quotes (by default those of
    a newsletter, for ``delivery``)."""
    domain = to.rpartition("@")[2]
    envelope = to_verp or f"bounce+{delivery}@news.partnernet.example"
    delivered = f"Delivered-To: {to_verp}\n" if to_verp else ""
    quoted = (
        original_headers
        if original_headers is not None
        else NEWSLETTER.format(to=to, delivery=delivery)
    )
    return f"""Return-Path: <>
{delivered}To: {envelope}
Date: {date}
From: MAILER-DAEMON@relay.partnernet.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
Message-ID: {message_id or f"<bounce-{delivery}-{to}@relay.partnernet.example>"}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"

--B0UND
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.partnernet.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{to}>: host mx.{domain}[10.0.0.5] said: {code} <{to}>: {text}
    (in reply to {command} command)

--B0UND
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.partnernet.example
Arrival-Date: {date}

Final-Recipient: rfc822; {to}
Original-Recipient: rfc822;{to}
Action: failed
Status: {status or code.split()[1]}
Remote-MTA: dns; mx.{domain}
Diagnostic-Code: smtp; {code} <{to}>: {text}

--B0UND
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{quoted}
--B0UND--
""".encode()


def exchange_ru_userunknown(to: str, *, delivery: str = "d2") -> bytes:
    """Exchange's Russian non-delivery report, text only."""
    domain = to.rpartition("@")[2]
    subject = _subject("Не доставлено: Приглашение на вебинар")
    return f"""Return-Path: <>
To: bounce+{delivery}@news.partnernet.example
Date: Wed, 11 Nov 2026 09:12:00 +0300
From: postmaster@{domain}
Subject: {subject}
Message-ID: <ndr-{delivery}@{domain}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Не удалось доставить сообщение следующим получателям или группам:

{to}
Указанный адрес электронной почты не найден. Проверьте адрес получателя и повторите попытку.

Диагностические сведения для администраторов:

Создающий сервер: EXCH01.{domain}

{to}
Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

Заголовки исходного сообщения:

{NEWSLETTER.format(to=to, delivery=delivery)}""".encode()


def hostunknown(to: str, *, delivery: str = "d3") -> bytes:
    return f"""Return-Path: <>
To: bounce+{delivery}@news.partnernet.example
Date: Wed, 11 Nov 2026 09:12:00 +0300
From: Mail Delivery System <MAILER-DAEMON@relay.partnernet.example>
Subject: Undelivered Mail Returned to Sender
Message-ID: <hu-{delivery}@relay.partnernet.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.partnernet.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{to}>: Host or domain name not found. Name service error for
    name={to.rpartition("@")[2]} type=MX: Host not found, try again

--- Original message ---
{NEWSLETTER.format(to=to, delivery=delivery)}""".encode()


def not_whitelisted(to: str, *, delivery: str = "d4") -> bytes:
    """A corporate gateway that accepts mail only from listed senders."""
    domain = to.rpartition("@")[2]
    subject = _subject("Сообщение не доставлено")
    return f"""Return-Path: <>
To: bounce+{delivery}@news.partnernet.example
Date: Thu, 12 Nov 2026 15:40:00 +0300
From: Mail Delivery Subsystem <postmaster@mail.{domain}>
Subject: {subject}
Message-ID: <nw-{delivery}@mail.{domain}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Ваше сообщение не может быть доставлено следующим получателям:

    <{to}>
    Причина: 550 5.7.1 Отправитель не входит в белый список.
    Sender address rejected: not whitelisted.

Заголовки исходного сообщения:

{NEWSLETTER.format(to=to, delivery=delivery)}""".encode()


def mailbox_full(to: str, *, delivery: str = "d5") -> bytes:
    return postfix_bounce(
        to, delivery=delivery, code="552 5.2.2", text="Mailbox full, quota exceeded"
    )


def autoreply(
    sender: str,
    name: str,
    body: str,
    *,
    subject: str = "Автоматический ответ: Приглашение на вебинар",
    msgid: str = "ar1",
    date: str = "Mon, 16 Nov 2026 11:00:00 +0300",
) -> bytes:
    sender_name = Header(name, "utf-8").encode()
    return f"""From: {sender_name} <{sender}>
Date: {date}
Subject: {_subject(subject)}
Auto-Submitted: auto-replied
X-Autoreply: yes
To: bounce+d9@news.partnernet.example
Message-ID: <{msgid}@{sender.rpartition("@")[2]}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
""".encode()


def arf_complaint(to: str, *, delivery: str = "d7") -> bytes:
    return f"""From: fbl@mail.example
To: fbl@news.partnernet.example
Subject: Abuse report
Date: Fri, 13 Nov 2026 12:00:00 +0300
Message-ID: <arf-{delivery}@mail.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain; charset=utf-8

This is an email abuse report for a message received from our users.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: MailFBL/2.1
Version: 1
Original-Rcpt-To: <{to}>
Reporting-MTA: dns; fbl.mail.example

--arf
Content-Type: text/rfc822-headers

{NEWSLETTER.format(to=to, delivery=delivery)}
--arf--
""".encode()


def exim_suspended(to: str, *, delivery: str = "d6") -> bytes:
    """Exim's text bounce for a disabled mailbox."""
    return f"""Return-Path: <>
To: bounce+{delivery}@news.partnernet.example
Date: Wed, 11 Nov 2026 09:12:00 +0300
From: Mail Delivery System <Mailer-Daemon@relay.partnernet.example>
Subject: Mail delivery failed: returning message to sender
Message-ID: <ex-{delivery}@relay.partnernet.example>
X-Failed-Recipients: {to}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {to}
    host mx.{to.rpartition("@")[2]} [10.0.0.7]
    SMTP error from remote mail server after RCPT TO:<{to}>:
    550 5.2.1 Mailbox disabled, account suspended

------ This is a copy of the message, including all the headers. ------

{NEWSLETTER.format(to=to, delivery=delivery)}""".encode()
