from __future__ import annotations

from partnernet.engines.mailfeedback import parse_message, to_json

POSTFIX = b"""From: MAILER-DAEMON@relay.example (Mail Delivery System)
To: bounce+d77@news.example
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: text/plain

<a.ivanov@partner.example>: host mx.partner.example[192.0.2.1] said: 550 5.1.1
    <a.ivanov@partner.example>: Recipient address rejected: User unknown (in reply
    to RCPT TO command)

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; a.ivanov@partner.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.partner.example
Diagnostic-Code: smtp; 550 5.1.1 <a.ivanov@partner.example>: Recipient address
    rejected: User unknown

--XX
Content-Type: text/rfc822-headers

From: news@news.example
To: a.ivanov@partner.example
Message-ID: <d77@news.example>

--XX--
"""


def test_postfix_dsn_is_a_hard_userunknown_tied_to_the_delivery() -> None:
    result = parse_message(POSTFIX)
    assert result.kind == "bounce"
    [r] = result.recipients
    assert (r.address, r.reason, r.status, r.hard) == (
        "a.ivanov@partner.example",
        "userunknown",
        "5.1.1",
        True,
    )
    assert r.remote_mta == "mx.partner.example"
    assert r.command == "RCPT"
    assert result.original_message_id == "<d77@news.example>"
    assert result.return_path == "bounce+d77@news.example"
    assert to_json(result)["recipients"][0]["reason"] == "userunknown"


def test_delay_warning_is_not_a_failure() -> None:
    raw = POSTFIX.replace(b"Action: failed", b"Action: delayed").replace(
        b"Status: 5.1.1", b"Status: 4.4.1"
    )
    result = parse_message(raw)
    assert result.kind == "other"
    assert result.delayed
    assert all(r.action == "delayed" and not r.hard for r in result.recipients)


def test_user_unknown_after_data_is_a_filter() -> None:
    raw = (
        POSTFIX.replace(b"Status: 5.1.1", b"Status: 5.0.0")
        .replace(b"5.1.1", b"")
        .replace(b"RCPT TO command", b"end of DATA command")
    )
    raw = raw.replace(
        b"Recipient address\n    rejected: User unknown",
        b"User unknown\n    (in reply to end of DATA command)",
    )
    [r] = parse_message(raw).recipients
    assert r.reason == "filtered"
    assert not r.hard


def test_a_russian_notice_names_the_smtp_stage_too() -> None:
    # "No such user" with 5.7.1 is a content filter after DATA, a missing mailbox at RCPT TO
    raw = (
        "From: MAILER-DAEMON@relay.example\nTo: bounce+d77@news.example\n"
        "Subject: Недоставленное сообщение\nContent-Type: text/plain; charset=utf-8\n\n"
        "Сообщение не удалось доставить.\n\n"
        "<a.tsoy@partner.example>: сервер получателя mx.partner.example[192.0.2.1] ответил на "
        "команду {stage}:\n    550 5.7.1 No such user\n"
    )
    rcpt = parse_message(raw.format(stage="RCPT TO").encode()).recipients
    data = parse_message(raw.format(stage="DATA").encode()).recipients
    assert [(r.address, r.reason) for r in rcpt] == [("a.tsoy@partner.example", "userunknown")]
    assert [r.reason for r in data] == ["filtered"]


def test_exim_text_only_bounce_uses_the_smtp_transcript() -> None:
    raw = b"""From: Mail Delivery System <Mailer-Daemon@relay.example>
To: news@news.example
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  sales@closed.example
    SMTP error from remote mail server after RCPT TO:<sales@closed.example>:
    host mx.closed.example [192.0.2.9]: 552 5.2.2 Mailbox full

------ This is a copy of the message, including all the headers. ------

To: sales@closed.example
From: news@news.example
"""
    [r] = parse_message(raw).recipients
    assert (r.address, r.reason, r.status, r.hard) == (
        "sales@closed.example",
        "mailboxfull",
        "5.2.2",
        False,
    )


def test_addresses_in_the_quoted_original_are_not_recipients() -> None:
    raw = b"""From: MAILER-DAEMON@relay.example
Subject: Returned mail: see transcript for details
To: news@news.example

   ----- The following addresses had permanent fatal errors -----
<k.orlov@partner.example>
    (reason: 550 5.1.1 <k.orlov@partner.example>... User unknown)

   ----- Original message follows -----
From: news@news.example
To: k.orlov@partner.example, other@partner.example
"""
    result = parse_message(raw)
    assert [r.address for r in result.recipients] == ["k.orlov@partner.example"]


def test_categories_tell_the_contacts_app_what_to_do() -> None:
    from partnernet.engines.mailfeedback.reasons import category

    assert category("userunknown") == "address"
    assert category("hostunknown") == "domain"
    assert category("blocked") == "sender"
    assert category("mailboxfull") == "temporary"
    assert to_json(parse_message(POSTFIX))["recipients"][0]["category"] == "address"


def test_amazon_ses_notification_through_sns() -> None:
    doc = (
        '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":'
        '[{"emailAddress":"gone@partner.example","action":"failed","status":"5.1.1",'
        '"diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"messageId":"x"}}'
    )
    sns = '{"Type":"Notification","Message":"' + doc.replace('"', '\\"') + '"}'
    raw = (
        "From: no-reply@sns.amazonaws.example\nTo: ops@news.example\n"
        "Return-Path: <x@us-west-2.amazonses.com>\nSubject: AWS Notification Message\n\n" + sns
    ).encode()
    result = parse_message(raw)
    assert result.kind == "bounce"
    [r] = result.recipients
    assert (r.address, r.reason, r.status, r.hard) == (
        "gone@partner.example",
        "userunknown",
        "5.1.1",
        True,
    )


def test_quoted_local_part_is_kept_whole() -> None:
    raw = POSTFIX.replace(b"a.ivanov@partner.example", b'"a..ivanov"@partner.example')
    got = parse_message(raw)
    assert [r.address for r in got.recipients] == ['"a..ivanov"@partner.example']
    assert got.recipients[0].reason == "userunknown"


EXIM_DISPLAY_NAME = b"""From: Mail Delivery System <Mailer-Daemon@relay.example>
To: news@news.example
Subject: Mail delivery failed: returning message to sender
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent contained one or more recipient addresses that were incorrectly
constructed:

  v.smirnov@partner.example <o.lebedeva@partner.example>: malformed address: LONG_TAIL

This address has been ignored.
""".replace(b"LONG_TAIL", b"<o.lebedeva@partner.example> may not follow v.smirnov@partner.example")


def test_unquoted_display_name_that_looks_like_an_address_is_not_the_recipient() -> None:
    got = parse_message(EXIM_DISPLAY_NAME)
    assert [(r.address, r.reason) for r in got.recipients] == [
        ("o.lebedeva@partner.example", "syntaxerror")
    ]


ONE_AND_ONE = b"""From: Mail Delivery System <mailer-daemon@relay.example>
To: news@news.example
Subject: Mail delivery failed

Your message could not be delivered to the following recipient:

m.orlova@partner.example

For the following reason:

Mail size limit exceeded. For explanation visit the provider's help pages.

--- The header of the original message is following. ---
"""


def test_reason_in_the_paragraph_after_a_colon_lead() -> None:
    got = parse_message(ONE_AND_ONE)
    assert [(r.address, r.reason) for r in got.recipients] == [
        ("m.orlova@partner.example", "mesgtoobig")
    ]


def test_remote_reply_naming_a_postmaster_site_is_still_the_explanation() -> None:
    raw = (
        b"From: MAILER-DAEMON@relay.example\nTo: news@news.example\n"
        b"Subject: Delayed Mail (still being retried)\n\n"
        b"A message is delayed for more than 4 hours for the following list of recipients:\n\n"
        b"k.popov@partner.example: 421 4.7.0 Messages from 192.0.2.25 temporarily deferred "
        b"due to unexpected volume or user complaints; see https://postmaster.partner.example\n\n"
        b"Please note that this is only a temporary failure report.\n"
    )
    got = parse_message(raw)
    assert got.delayed
    assert [(r.address, r.reason) for r in got.recipients] == [
        ("k.popov@partner.example", "badreputation")
    ]


RFC5321_TEXT = b"""From: postmaster@relay.example
To: news@sender.example
Subject: Delivery Status Notification (Failure)
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

Delivery to the following recipient failed permanently:

     o.lebedeva@partner.example

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; o.lebedeva@partner.example
Action: failed
Status: 5.5.0
Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable (#12:34)

--B1--
"""


def test_rfc5321_mailbox_unavailable_text_is_the_rcpt_stage() -> None:
    [r] = parse_message(RFC5321_TEXT).recipients
    assert (r.address, r.reason, r.command) == ("o.lebedeva@partner.example", "userunknown", "RCPT")


SELF_SENT = b"""From: Mail Delivery System <mailer-daemon@relay.example>
To: k.orlov@partner.example
Subject: Mail delivery failed: returning message to sender

A message that you sent could not be delivered to one or more of
its recipients. This is a permanent error. The following address(es)
failed:

k.orlov@partner.example:
SMTP error from remote server for TEXT command, host: mx.partner.example reason:
550 5.7.1 Message content rejected

--- The header of the original message is following. ---

From: <k.orlov@partner.example>
To: colleague@other.example
Subject: notes
"""


def test_an_address_listed_with_the_servers_reply_beats_the_quoted_to_header() -> None:
    # Someone who wrote to themselves: the failed address is also the one the bounce came to.
    result = parse_message(SELF_SENT)
    assert [r.address for r in result.recipients] == ["k.orlov@partner.example"]


NOT_A_MEMBER = b"""From: partners-admin@list.example
To: news@sender.example
Subject: You news@sender.example are not member (partners ML)
X-MLServer: fml [fml 4.0.3 release]

You are not a member of this mailing list <partners@list.example>.

If you know the general guide of this list, please send mail with
the mail body "guide" to partners-ctl@list.example.
"""


def test_a_list_managers_refusal_names_the_list_and_is_rejected() -> None:
    result = parse_message(NOT_A_MEMBER)
    assert result.kind == "bounce"
    [r] = result.recipients
    assert (r.address, r.reason) == ("partners@list.example", "rejected")
    # The same words without a list manager's headers are someone's ordinary mail.
    plain = NOT_A_MEMBER.replace(b"X-MLServer: fml [fml 4.0.3 release]\n", b"")
    assert parse_message(plain).kind != "bounce"


def test_rejected_address_wording_does_not_name_the_smtp_stage() -> None:
    # Messaging Server says "has rejected address" for a refusal at any stage.
    raw = RFC5321_TEXT.replace(
        b"Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable (#12:34)",
        b"Diagnostic-Code: smtp; Remote SMTP server has rejected address 550 5.7.1 User Unknown",
    ).replace(b"Status: 5.5.0", b"Status: 5.7.1")
    [r] = parse_message(raw).recipients
    assert (r.reason, r.command) == ("filtered", None)


SENDMAIL_GREETING = b"""From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>
To: news@sender.example
Subject: Returned mail: see transcript for details

   ----- The following addresses had permanent fatal errors -----
<r.gusev@partner.example>
    (reason: 554 Your host is not welcome here (XB))

   ----- Transcript of session follows -----
... while talking to mx.partner.example.:
<<< 554 Your host is not welcome here (XB)
554 5.0.0 Service unavailable
"""


def test_a_reply_before_any_command_in_a_sendmail_transcript_answers_the_connection() -> None:
    [r] = parse_message(SENDMAIL_GREETING).recipients
    assert (r.address, r.command, r.reason) == ("r.gusev@partner.example", "CONN", "blocked")
    # With a command sent before it, the same reply answers that command.
    with_rcpt = SENDMAIL_GREETING.replace(
        b"mx.partner.example.:\n<<<", b"mx.partner.example.:\n>>> DATA\n<<<"
    )
    assert parse_message(with_rcpt).recipients[0].command == "DATA"


FORWARDED = b"""From: a.petrov@sender.example
To: news@sender.example
Subject: Fwd: Returned mail: see transcript for details

Begin forwarded message:

> From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>
> Subject: Returned mail: see transcript for details
>
>    ----- The following addresses had permanent fatal errors -----
> <i.zueva@partner.example>
>     (reason: 550 5.1.1 <i.zueva@partner.example>... User unknown)
>
> Final-Recipient: RFC822; i.zueva@partner.example
> Action: failed
> Status: 5.1.1
> Diagnostic-Code: SMTP; 550 5.1.1 <i.zueva@partner.example>... User unknown
> Return-Path: <a.petrov@sender.example>
> Subject: price list
> X-Virus-Scanned: ClamAV
> X-Virus-Status: Clean
"""


def test_a_bounce_forwarded_with_quote_marks_is_read_as_its_mta_wrote_it() -> None:
    [r] = parse_message(FORWARDED).recipients
    assert (r.address, r.reason, r.status) == ("i.zueva@partner.example", "userunknown", "5.1.1")


SUMMARY_CODE = b"""From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>
To: news@sender.example
Subject: Returned mail: see transcript for details
Content-Type: multipart/report; report-type=delivery-status; boundary="S1"

--S1

   ----- Transcript of session follows -----
... while talking to mx.partner.example.:
>>> DATA
<<< 550 5.0.0 <v.kim@partner.example>... User unknown
550 5.1.1 <v.kim@partner.example>... User unknown

--S1
Content-Type: message/delivery-status

Final-Recipient: RFC822; v.kim@partner.example
Action: failed
Status: 5.0.0
Diagnostic-Code: SMTP; 550 5.0.0 <v.kim@partner.example>... User unknown

--S1--
"""


def test_the_remote_servers_own_generic_code_is_not_refined_by_the_mtas_summary() -> None:
    # The remote said 5.0.0 after DATA; the 5.1.1 is the notifying MTA's own mapping.
    [r] = parse_message(SUMMARY_CODE).recipients
    assert (r.status, r.command, r.reason) == ("5.0.0", "DATA", "filtered")


ENCODED_LOCAL_PART = RFC5321_TEXT.replace(
    b"Final-Recipient: rfc822; o.lebedeva@partner.example",
    b"Final-Recipient: rfc822; =?utf-8?B?0L7Qu9GP?=@partner.example",
).replace(b"     o.lebedeva@partner.example\n", b"")


def test_an_encoded_word_in_final_recipient_is_the_literal_address_that_was_refused() -> None:
    # RFC 2047 forbids encoded words in an addr-spec: the server refused this literal string.
    [r] = parse_message(ENCODED_LOCAL_PART).recipients
    assert r.address == "=?utf-8?b?0l7qu9gp?=@partner.example"


OLD_SENDMAIL = b"""From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>
To: news@sender.example
Subject: Returned mail: Unable to deliver mail

   ----- Transcript of session follows -----
While talking to mx.alpha.example:
>>> MAIL From:<news@sender.example>
<<< 550 Our policy refuses mail from your network
554 <p.sokolov@alpha.example>... Remote protocol error
550 beta.example (smtp)... 550 Host unknown
554 <m.titova@beta.example>... 550 Host unknown (Authoritative answer from name server)

   ----- Unsent message follows -----
From: news@sender.example
To: p.sokolov@alpha.example
"""


def test_old_sendmail_summary_lines_take_their_hosts_reply_not_the_next_line() -> None:
    got = {r.address: r for r in parse_message(OLD_SENDMAIL).recipients}
    assert got["m.titova@beta.example"].reason == "hostunknown"
    sokolov = got["p.sokolov@alpha.example"]
    assert "Host unknown" not in sokolov.diagnostic
    assert "Our policy refuses mail from your network" in sokolov.diagnostic
    assert sokolov.command == "MAIL"


HELP_ADDRESS = b"""From: MAILER-DAEMON@relay.example (Mail Delivery System)
To: news@sender.example
Subject: Undelivered Mail Returned to Sender

This is the mail system at host relay.example.

For further assistance, please contact <support@relay.example>

Esli problema ne reshena, pishite: <support@relay.example>

<e.volkova@partner.example>: host mx.partner.example[192.0.2.9] said: 550
    5.1.1 <e.volkova@partner.example>: Recipient address rejected: User unknown
    (in reply to RCPT TO command)
"""


def test_an_address_offered_for_help_is_no_recipient_where_it_is_repeated() -> None:
    result = parse_message(HELP_ADDRESS)
    assert [r.address for r in result.recipients] == ["e.volkova@partner.example"]


# A security gateway's own notice names no cause; the downstream server's report it relays is
# attached where our message would be. (Invented gateway, people and domains.)
_GATEWAY_NOTICE = """From: gateway@filter.alfa-soft.example
To: news@news.example
Subject: Delivery failure
Content-Type: multipart/mixed; boundary="GW"

--GW
Content-Type: text/plain

*** Message from the mail security gateway ***

The following mail could not be delivered.
Reason: Unable to deliver message to <p.sidorov@alfa-soft.example>.

--GW
Content-Type: message/rfc822

From: MAILER-DAEMON@mx.alfa-soft.example
To: news@news.example
Subject: Returned mail: see transcript for details
Content-Type: text/plain

----- The following addresses had permanent fatal errors -----
<p.sidorov@alfa-soft.example>

----- Transcript of session follows -----
... while talking to store.alfa-soft.example.:
>>> RCPT To:<p.sidorov@alfa-soft.example>
<<< {reply}

--GW--
"""


def test_a_gateway_notice_without_cause_takes_the_relayed_reports_reply() -> None:
    raw = _GATEWAY_NOTICE.format(reply="550 5.1.1 <p.sidorov@alfa-soft.example>... No such user")
    [r] = parse_message(raw.encode()).recipients
    assert (r.address, r.reason, r.status, r.command) == (
        "p.sidorov@alfa-soft.example",
        "userunknown",
        "5.1.1",
        "RCPT",
    )
    full = _GATEWAY_NOTICE.format(reply="452 4.2.2 <p.sidorov@alfa-soft.example>... Mailbox full")
    assert parse_message(full.encode()).recipients[0].reason == "mailboxfull"


def test_an_attached_message_without_a_reply_for_the_recipient_changes_nothing() -> None:
    # Our own newsletter attached (it names the recipient but carries no server reply).
    raw = _GATEWAY_NOTICE.replace(
        "----- Transcript of session follows -----", "Dear p.sidorov@alfa-soft.example,"
    ).format(reply="our autumn offer")
    [r] = parse_message(raw.encode()).recipients
    assert r.address == "p.sidorov@alfa-soft.example"
    assert r.reason == "onhold"


_LOCAL_AGENT_BOUNCE = """From: MAILER-DAEMON@mx.gamma-distrib.example
To: news@news.example
Subject: Returned mail: see transcript for details
Content-Type: text/plain

The original message was received at Mon, 2 Nov 2026 10:00:00 +0300

   ----- The following addresses had permanent fatal errors -----
<v.orlov@gamma-distrib.example>

   ----- Transcript of session follows -----
{agent_line}
554 <v.orlov@gamma-distrib.example>... Service unavailable
"""


def test_the_local_delivery_agents_words_before_sendmails_summary_name_the_cause() -> None:
    raw = _LOCAL_AGENT_BOUNCE.format(agent_line="mail.local: unknown user: v.orlov")
    [r] = parse_message(raw.encode()).recipients
    assert r.address == "v.orlov@gamma-distrib.example"
    assert "mail.local: unknown user" in r.diagnostic
    # The store's own verdict, though Sendmail mapped it to a 554 summary line.
    assert r.reason == "userunknown"
    full = _LOCAL_AGENT_BOUNCE.format(agent_line="maildrop: maildir over quota.")
    assert parse_message(full.encode()).recipients[0].reason == "mailboxfull"
    # Without the agent's line the summary alone is a system error.
    bare = _LOCAL_AGENT_BOUNCE.format(agent_line="")
    assert parse_message(bare.encode()).recipients[0].reason == "systemerror"
