"""Realistic replies to one of our deliveries, written for these tests (invented people and
domains). Each builder takes what the real reply would carry: the VERP address the bounce was
sent to, our original headers it quotes, the address that auto-replied."""

from __future__ import annotations

from email.header import Header

from tests.apps.contacts import messages as contact_messages


def _subject(text: str) -> str:
    return Header(text, "utf-8").encode()


def postfix_bounce(
    *,
    to_verp: str,
    recipient: str,
    original_headers: str,
    code: str = "550 5.1.1",
    text: str = "User unknown in virtual mailbox table",
    status: str = "5.1.1",
) -> bytes:
    """A Postfix DSN to our VERP return path, quoting our headers (the contacts tests' builder)."""
    return contact_messages.postfix_bounce(
        recipient,
        to_verp=to_verp,
        original_headers=original_headers,
        code=code,
        text=text,
        status=status,
        date="Thu, 26 Nov 2026 10:01:07 +0300",
        message_id="<20261126070107.4F1A2C0@relay.partnernet.example>",
    )


def exchange_ru_blocked(*, to_verp: str, recipient: str) -> bytes:
    """Exchange refusing our server: «отправитель не в белом списке»."""
    return f"""Return-Path: <>
To: {to_verp}
From: postmaster@orion-sys.example
Subject: =?utf-8?B?0J3QtSDQtNC+0YHRgtCw0LLQu9C10L3Qvg==?=
Date: Thu, 26 Nov 2026 10:03:00 +0300
Message-ID: <ndr-77@orion-sys.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="X1"

--X1
Content-Type: text/plain; charset=utf-8

Не удалось доставить сообщение следующим получателям:

{recipient}
Сервер получателя отклонил сообщение: отправитель не находится в белом списке.

--X1
Content-Type: message/delivery-status

Reporting-MTA: dns;mail.orion-sys.example

Final-Recipient: rfc822;{recipient}
Action: failed
Status: 5.7.1
Diagnostic-Code: smtp;550 5.7.1 Sender is not whitelisted, message rejected

--X1--
""".encode()


def vacation_ru(*, sender: str, sender_name: str, to: str, original_message_id: str) -> bytes:
    body = (
        "Добрый день!\n\n"
        "Я нахожусь в отпуске до 15.01.2027 включительно.\n"
        "По срочным вопросам обращайтесь к Андрею Тарасенко, менеджеру по работе с партнёрами,\n"
        "a.tarasenko@vega-it.example, тел. +7 (495) 700-10-25.\n\n"
        "С уважением,\n"
        f"{sender_name}\n"
        "моб. +7 916 234-56-78\n"
    )
    return (
        f"From: {Header(sender_name, 'utf-8').encode()} <{sender}>\n"
        f"To: {to}\n"
        f"Subject: {_subject('Автоматический ответ: Приглашение на вебинар')}\n"
        "Date: Thu, 26 Nov 2026 10:05:00 +0300\n"
        f"Message-ID: <auto-{sender}>\n"
        f"In-Reply-To: {original_message_id}\n"
        "Auto-Submitted: auto-replied\n"
        "X-Autoreply: yes\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n" + body
    ).encode()


def left_ru(*, sender: str, to: str, original_message_id: str) -> bytes:
    body = (
        "Здравствуйте!\n\n"
        "Я больше не работаю в компании «Орион Системс».\n"
        "Вместо меня с партнёрами работает Екатерина Соколова, e.sokolova@orion-sys.example,\n"
        "тел. +7 (843) 555-12-34.\n\n"
        "Это письмо отправлено автоматически.\n"
    )
    return (
        f"From: <{sender}>\n"
        f"To: {to}\n"
        f"Subject: {_subject('Автоответ: Приглашение на вебинар')}\n"
        "Date: Thu, 26 Nov 2026 10:06:00 +0300\n"
        f"Message-ID: <left-{sender}>\n"
        f"In-Reply-To: {original_message_id}\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n" + body
    ).encode()


def arf_complaint(*, to_verp: str, recipient: str, original_headers: str) -> bytes:
    return f"""From: feedback-loop@mail-provider.example
To: {to_verp}
Subject: Complaint about message
Date: Thu, 26 Nov 2026 11:00:00 +0000
Message-ID: <arf-1@mail-provider.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

--ARF
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP 10.0.0.1.

--ARF
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ProviderFBL/1.0
Version: 1
Original-Rcpt-To: <{recipient}>
Arrival-Date: Thu, 26 Nov 2026 10:00:00 +0000

--ARF
Content-Type: text/rfc822-headers

{original_headers}
--ARF--
""".encode()
