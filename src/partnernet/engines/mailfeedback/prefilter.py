"""Literal prefilters for the phrase regexes: a family's regex is run only when the text holds
one of the substrings that every match of it must contain.

Python's ``re`` tries every alternative at every position of the text; a family of forty
phrases costs far more than forty ``in`` tests. The substrings are read from the compiled
pattern's parse tree, so the prefilter can never skip a regex that would match: a result with
the prefilter is the result without it, only cheaper.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

import ahocorasick

_p: Any
_c: Any
try:  # the parser behind ``re`` (Python ≥ 3.11); without it no prefilter, same results
    _p = importlib.import_module("re._parser")
    _c = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - other interpreters
    _p = _c = None

# Shorter substrings are in almost every text and would only cost time.
_MIN_LEN = 3


def _required(items: Any) -> frozenset[str] | None:
    """Substrings of which every match of the sequence ``items`` contains one, or None."""
    assert _c is not None
    options: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= _MIN_LEN:
            options.append(frozenset(["".join(run)]))
        run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()  # anything else ends a run of literal characters
        inner: frozenset[str] | None = None
        if op is _c.BRANCH:
            parts = [_required(branch) for branch in av[1]]
            if parts and all(parts):
                inner = frozenset().union(*parts)  # type: ignore[arg-type]
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if not add_flags and not del_flags:  # a flag group may change case rules
                inner = _required(sub)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _required(av[2])
        if inner:
            options.append(inner)
    flush()
    if not options:
        return None
    # The most selective requirement: the longest shortest substring, then the fewest.
    return max(options, key=lambda o: (min(len(x) for x in o), -len(o)))


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Substrings of which every match of ``pattern`` contains at least one; None when no
    such set can be read (a case-insensitive pattern, an unknown construct, another
    interpreter) — then the caller always runs the regex.

    >>> sorted(required_literals(r"(?:mailbox (?:is )?full)|(?:over ?quota)"))
    ['mailbox ', 'quota']
    >>> required_literals(r"\\bip\\b") is None
    True
    """
    if _p is None or flags:
        return None
    try:
        return _required(_p.parse(pattern).data)
    except Exception:  # an internal API: any surprise means "no prefilter"
        return None


def may_match(needed: frozenset[str] | None, text: str) -> bool:
    """False only when the regex behind ``needed`` cannot match ``text``."""
    return needed is None or any(s in text for s in needed)


def folded_literals(pattern: str) -> frozenset[str] | None:
    """The literals of a case-insensitive pattern, read from its lowercased text, for testing
    against lowercased text: ``may_match(folded_literals(rx.pattern), text.lower())`` is False
    only when ``rx`` (with ``re.I``) cannot match ``text`` — except for the few letters on
    whose lower case ``str.lower()`` and ``re.I`` disagree (Turkish İ and ı, the long s ſ,
    the Kelvin sign): "ORİGİNAL MESSAGE" matches ``re.I`` but lowers to "ori̇gi̇nal". Replies
    to a Russian-market mailing do not write English keywords that way.

    Only for patterns without upper-case escapes (``\\S``, ``\\A``…), which lowercasing would
    change; such a pattern gets no prefilter (None).

    >>> sorted(folded_literals(r"Please Contact|for (?:further|more) help"))
    [' help', 'please contact']
    """
    if _has_upper_escape(pattern):
        return None
    return required_literals(pattern.lower())


def _has_upper_escape(pattern: str) -> bool:
    at = pattern.find("\\")
    while at >= 0:
        if pattern[at + 1 : at + 2].isupper():
            return True
        at = pattern.find("\\", at + 2)
    return False


class LiteralScanner:
    """The literals of many prefilters, found in a text in one pass (an Aho–Corasick
    automaton) instead of one ``in`` test per literal: ``possible(needs, present)`` then says
    what ``may_match(needs, text)`` says."""

    def __init__(self, literal_sets: Iterable[frozenset[str] | None]) -> None:
        self._automaton = ahocorasick.Automaton()
        for needs in literal_sets:
            for literal in needs or ():
                self._automaton.add_word(literal, literal)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def present(self, text: str) -> set[str]:
        if self._empty:
            return set()
        return {literal for _end, literal in self._automaton.iter(text)}


def possible(needed: frozenset[str] | None, present: set[str]) -> bool:
    """False only when none of the literals a regex needs is in the text (``present`` from
    :meth:`LiteralScanner.present`)."""
    return needed is None or not needed.isdisjoint(present)
