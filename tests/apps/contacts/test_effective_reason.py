"""A permanent "User unknown" that the bounce vocabulary labels ``filtered`` still means the
person left: the contact rules read the diagnostic words and the code, not only the label."""

from __future__ import annotations

import pytest

from partnernet.apps.contacts.feedback import effective_reason, is_permanent
from partnernet.engines.mailfeedback import RecipientResult


@pytest.mark.parametrize(
    "diagnostic",
    [
        "550 5.1.1 <a.ivanov@x.ru>: User unknown",
        "550 No such user here",
        "Mailbox does not exist",
        "550 5.7.1 Нет такого пользователя",
    ],
)
def test_mailbox_gone_words_turn_filtered_into_userunknown(diagnostic):
    assert effective_reason("filtered", permanent=True, diagnostic=diagnostic) == "userunknown"


def test_other_filtered_refusals_stay_filtered():
    refused = effective_reason("filtered", permanent=True, diagnostic="550 Content rejected")
    assert refused == "filtered"
    # A soft (temporary) refusal never says the person left.
    assert effective_reason("filtered", permanent=False, diagnostic="User unknown") == "filtered"
    # au/KDDI's empty-slot "550 : User unknown" is the recipient's reception filter.
    kddi = "host lsean.ezweb.ne.jp said: 550 : User unknown (in reply to end of DATA command)"
    assert effective_reason("filtered", permanent=True, diagnostic=kddi) == "filtered"
    # Other labels pass through untouched.
    assert effective_reason("blocked", permanent=True, diagnostic="User unknown") == "blocked"


@pytest.mark.parametrize(
    ("status", "reply", "hard", "permanent"),
    [
        ("5.0.0", None, False, True),  # "550 User unknown" after DATA: filtered, not hard
        (None, "550", False, True),
        ("4.2.2", "452", False, False),
        (None, None, True, True),
        (None, None, False, False),
    ],
)
def test_permanent_reads_the_code_as_well_as_the_hard_flag(status, reply, hard, permanent):
    recipient = RecipientResult(
        address="a@x.ru", reason="filtered", status=status, hard=hard, reply_code=reply
    )
    assert is_permanent(recipient) is permanent
