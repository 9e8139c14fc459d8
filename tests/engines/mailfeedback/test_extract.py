"""Helpers of the contact extraction that the auto-reply tests reach only through whole texts."""

from __future__ import annotations

from partnernet.engines.mailfeedback.extract import _address_follows


def test_an_address_within_eight_words_follows_a_name() -> None:
    assert _address_follows(" <ivan.petrov@firma.ru>")
    assert _address_follows(", e-mail:ivan.petrov@firma.ru")
    assert _address_follows(" (sales manager, tel. 123) ivan@firma.ru")
    assert not _address_follows(" one two three four five six seven eight nine ivan@firma.ru")
    assert not _address_follows(" will be back on Monday")
