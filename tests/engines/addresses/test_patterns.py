"""Local-part patterns: rendering and parsing round-trip; role mailboxes; collision suffixes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.addresses.patterns import (
    DEFAULT_PATTERNS,
    Pattern,
    is_role_mailbox,
    split_digit_suffix,
)

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=12)
LETTER = st.sampled_from(list("abcdefghijklmnopqrstuvwxyz"))


@st.composite
def name_values(draw: st.DrawFn) -> dict[str, str]:
    first, last, patr = draw(WORD), draw(WORD), draw(WORD)
    return {"first": first, "f": first[0], "last": last, "l": last[0], "patr": patr, "p": patr[0]}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DEFAULT_PATTERNS), name_values())
def test_render_parse_round_trip(key: str, values: dict[str, str]) -> None:
    pattern = Pattern.of(key)
    local = pattern.render(values)
    parsed = pattern.parse(local)
    assert parsed is not None
    # Patterns without separators may split differently, but must render back the same.
    assert pattern.render(parsed) == local
    if pattern.separator:
        assert parsed == {part: values[part] for part in pattern.needs}


def test_builtin_patterns_cover_the_issue_list() -> None:
    for key in (
        "{first}.{last}", "{f}.{last}", "{f}{last}", "{last}", "{last}.{f}", "{last}_{f}",
        "{first}", "{first}_{last}", "{last}{f}{p}", "{f}{p}{last}", "{f}.{p}.{last}",
        "{first}{last}", "{last}.{first}", "{f}-{last}",
    ):  # fmt: skip
        assert key in DEFAULT_PATTERNS
    assert len(set(DEFAULT_PATTERNS)) == len(DEFAULT_PATTERNS)


def test_custom_pattern() -> None:
    pattern = Pattern.of("{first}{l}-sales")
    assert pattern.render({"first": "ivan", "l": "p"}) == "ivanp-sales"
    assert pattern.parse("ivanp-sales") == {"first": "ivan", "l": "p"}
    assert pattern.parse("ivanp") is None


@pytest.mark.parametrize("bad", ["nothing", "{first}@{last}", "{first} {last}"])
def test_bad_patterns_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Pattern.of(bad)


def test_parse_rejects_inconsistent_repeats() -> None:
    assert Pattern.of("{f}.{f}").parse("a.b") is None
    assert Pattern.of("{f}.{f}").parse("a.a") == {"f": "a"}


@pytest.mark.parametrize(
    "local", ["info", "sales", "zakupki", "buh", "office", "support", "hr", "sales.msk",
              "zakupki2", "info-spb", "no-reply", "tender"],
)  # fmt: skip
def test_role_mailboxes(local: str) -> None:
    assert is_role_mailbox(local)


@pytest.mark.parametrize("local", ["a.tarasenko", "info.ivanov", "salov", "hrustalev", "olga"])
def test_people_are_not_roles(local: str) -> None:
    assert not is_role_mailbox(local)


@pytest.mark.parametrize(
    ("local", "base", "suffix"),
    [("a.tarasenko2", "a.tarasenko", "2"), ("ivanov_15", "ivanov", "15"),
     ("a.tarasenko", "a.tarasenko", ""), ("1c", "1c", "")],
)  # fmt: skip
def test_digit_suffix(local: str, base: str, suffix: str) -> None:
    assert split_digit_suffix(local) == (base, suffix)
