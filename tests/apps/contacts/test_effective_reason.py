"""A hard "User unknown" that the bounce vocabulary labels ``filtered`` still means the person
left: the contact rules read the diagnostic words, not only the label."""

from __future__ import annotations

import pytest

from partnernet.apps.contacts.feedback import effective_reason


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
    assert effective_reason("filtered", hard=True, diagnostic=diagnostic) == "userunknown"


def test_other_filtered_refusals_stay_filtered():
    assert effective_reason("filtered", hard=True, diagnostic="550 Content rejected") == "filtered"
    # A soft (temporary) refusal never says the person left.
    assert effective_reason("filtered", hard=False, diagnostic="User unknown") == "filtered"
    # Other labels pass through untouched.
    assert effective_reason("blocked", hard=True, diagnostic="User unknown") == "blocked"
