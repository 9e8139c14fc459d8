"""The literal prefilter skips a phrase regex only when it cannot match: same results."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.mailfeedback import dsn, reasons
from partnernet.engines.mailfeedback.prefilter import (
    LiteralScanner,
    folded_literals,
    may_match,
    possible,
    required_literals,
)


def test_required_literals_of_alternatives_optional_parts_and_wildcards() -> None:
    assert required_literals(r"(?:mailbox (?:is )?full)|(?:over ?quota)") == frozenset(
        {"mailbox ", "quota"}
    )
    # The longest run that every match contains, on either side of a wildcard.
    assert required_literals(r"access denied\b.*\b(?:ip|client|host)") == frozenset(
        {"access denied"}
    )
    # An alternative without a usable substring leaves the family without a prefilter.
    assert required_literals(r"(?:\bip\b)|(?:blacklist)") is None
    # Case-insensitive patterns are never prefiltered (the substrings would be wrong).
    assert required_literals(r"blacklist", re.I) is None


def test_may_match_is_false_only_without_any_required_substring() -> None:
    needs = required_literals(r"(?:disk quota)|(?:mailbox full)")
    assert not may_match(needs, "550 user unknown")
    assert may_match(needs, "552 sorry, mailbox full")
    assert may_match(None, "anything")


# All markers in one pattern: the leftmost wins, at one place the one listed first.
_ALL_MARKERS = re.compile(
    "|".join(f"(?P<m{k}>{rx.pattern})" for k, (_reason, rx) in enumerate(reasons.MARKERS))
)


def _plain_text_reason(text: str) -> str | None:
    low = reasons.join_reply_lines(text[:3000]).lower()
    marker = _ALL_MARKERS.search(low)
    if marker and marker.lastgroup:
        return reasons.MARKERS[int(marker.lastgroup[1:])][0]
    return next((r for r, rx in reasons.PHRASES if rx.search(low)), None)


_FRAGMENTS = sorted(
    {
        s
        for _reason, _rx, needs in reasons._FAMILIES + reasons._MARKER_CHECKS
        if needs is not None
        for s in needs
    }
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)),
        max_size=8,
    )
)
def test_prefiltered_text_reason_equals_running_every_regex(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert reasons.text_reason(text) == _plain_text_reason(text)


_GATED = [
    dsn._DELAY_BODY,
    dsn._SKIP_LINE,
    dsn._CONTACT_CUE,
    dsn._QUOTED_REPLY,
    dsn._ORIGINAL_MARKERS,
]
_GATED_FRAGMENTS = sorted(
    {s for rx in _GATED for s in (folded_literals(rx.pattern) or ())} | {"550 ", ": ", "\n"}
)


def test_case_insensitive_patterns_get_lowercase_literals() -> None:
    assert folded_literals(r"Please Contact|for (?:further|more) help") == frozenset(
        {"please contact", " help"}
    )
    # Lowercasing would turn \S into \s: such a pattern gets no prefilter.
    assert folded_literals(r"Sent\S+by") is None
    assert all(folded_literals(rx.pattern) for rx in _GATED)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_GATED_FRAGMENTS).map(lambda s: s.upper()),
            st.sampled_from(_GATED_FRAGMENTS),
            st.text(max_size=8),
        ),
        max_size=8,
    )
)
def test_a_case_insensitive_gate_never_hides_a_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    for rx in _GATED:
        if rx.search(text):
            assert may_match(folded_literals(rx.pattern), text.lower()), rx.pattern


def test_the_scanner_finds_overlapping_and_repeated_literals() -> None:
    scanner = LiteralScanner([frozenset({"mailbox", "box full"}), None, frozenset({"unknown"})])
    assert scanner.present("550 mailbox full; mailbox full") == {"mailbox", "box full"}
    assert scanner.present("") == set()
    assert LiteralScanner([None]).present("anything") == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=10))
def test_one_scan_answers_as_every_in_test(pieces: list[str]) -> None:
    text = "".join(pieces)
    present = reasons._LITERALS.present(text)
    for _reason, _rx, needs in reasons._FAMILIES + reasons._MARKER_CHECKS:
        assert possible(needs, present) == may_match(needs, text)
