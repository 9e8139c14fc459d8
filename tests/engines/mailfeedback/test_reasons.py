"""Reason rules: precedence between status codes, SMTP stage and the server's words."""

from __future__ import annotations

import pytest

from partnernet.engines.mailfeedback.reasons import classify


def test_google_groups_notice_in_any_language_is_a_refused_post() -> None:
    # Only the help-centre link is fixed; the text is localised.
    text = (
        "Здравствуйте! Группа, в которую вы писали (partners-news), возможно, не существует. "
        "Справка: https://groups.google.com/support/"
    )
    assert classify(status=None, diagnostic=text) == "rejected"


@pytest.mark.parametrize(
    ("code", "reason"),
    [("CXBL", "blocked"), ("CDRBL", "blocked"), ("IPBL0001", "blocked"), ("CXSNDR", "rejected")],
)
def test_cox_aup_codes_outrank_the_mail_from_stage(code: str, reason: str) -> None:
    diag = f"550 5.1.0 <news@sender.example> sender rejected. See error codes. AUP#{code}"
    assert classify(status="5.1.0", diagnostic=diag, command="MAIL") == reason


def test_generic_address_status_does_not_make_a_sender_refusal_userunknown() -> None:
    diag = "550 5.1.0 <bounce@sender.example> sender rejected, connection limit AUP#In-1340"
    assert classify(status="5.1.0", diagnostic=diag) == "toomanyconn"
    # Without words the X.1.0 code still says "something about the address".
    assert classify(status="5.1.0", diagnostic="") == "userunknown"


def test_relay_without_authentication_is_a_security_setting() -> None:
    diag = (
        "550-Please turn on SMTP Authentication in your mail client. 550 mx.partner.example "
        "is not permitted to relay through this server without authentication."
    )
    assert classify(status="5.0.0", diagnostic=diag) == "securityerror"
    assert classify(status="5.7.1", diagnostic="554 5.7.1 Relay access denied") == "norelaying"


def test_nested_status_of_the_remote_server_wins_over_the_relays_generic_one() -> None:
    diag = "5.1.0 - Unknown address error 550-'5.2.2 <a@partner.example>... Mailbox Full'"
    assert classify(status="5.1.0", diagnostic=diag) == "mailboxfull"


def test_content_subject_code_keeps_its_meaning_next_to_generic_words() -> None:
    diag = "552 5.6.0 Headers too large (3 max) >>> DATA 554 5.0.0 Service unavailable"
    assert classify(status="5.6.0", diagnostic=diag, command="DATA") != "systemerror"
