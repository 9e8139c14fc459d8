"""Local-part patterns of corporate addresses: ``{f}.{last}``, ``{first}_{last}``, ``{last}{f}{p}``…

A pattern is a template over six name parts — ``first``, ``last``, ``patr`` (patronymic) and their
initials ``f``, ``l``, ``p`` — joined by literal separators. The built-in list covers what Russian
companies use; any other template in the same notation can be passed to the model.

>>> Pattern.of("{f}.{last}").render({"f": "a", "last": "tarasenko"})
'a.tarasenko'
>>> Pattern.of("{f}.{last}").parse("a.tarasenko")
{'f': 'a', 'last': 'tarasenko'}
>>> is_role_mailbox("zakupki"), is_role_mailbox("info.msk"), is_role_mailbox("a.tarasenko")
(True, True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

PART_NAMES = ("first", "f", "last", "l", "patr", "p")
_FULL = {"first", "last", "patr"}
_TOKEN = re.compile(r"\{(first|f|last|l|patr|p)\}")
SEPARATORS = (".", "_", "-", "")


@dataclass(frozen=True, slots=True)
class Pattern:
    key: str
    parts: tuple[str, ...]
    literals: tuple[str, ...]  # len(parts) + 1: text before, between and after the parts
    needed: tuple[str, ...]  # the distinct parts, sorted
    ambiguous: bool  # two whole words touch (``{first}{last}``): a local part may split many ways
    _regex: re.Pattern[str] = field(compare=False, repr=False, hash=False)

    @staticmethod
    @cache
    def of(key: str) -> Pattern:
        parts = tuple(_TOKEN.findall(key))
        if not parts:
            raise ValueError(f"pattern {key!r} names no part of a name")
        literals = tuple(_TOKEN.split(key)[::2])
        if any(re.search(r"[^a-z0-9._\-]", lit) for lit in literals):
            raise ValueError(f"pattern {key!r} holds characters an address cannot")
        regex = "".join(
            re.escape(lit) + (f"(?P<{part}{i}>" + ("[a-z]+" if part in _FULL else "[a-z]") + ")")
            for i, (lit, part) in enumerate(zip(literals, parts, strict=False))
        )
        regex += re.escape(literals[-1])
        ambiguous = False
        previous_full = False
        for part, lit in zip(parts, literals[:-1], strict=True):
            if lit:
                previous_full = False
            if part in _FULL:
                ambiguous = ambiguous or previous_full
                previous_full = True
        return Pattern(
            key, parts, literals, tuple(sorted(set(parts))), ambiguous, re.compile(f"^{regex}$")
        )

    @property
    def needs(self) -> frozenset[str]:
        return frozenset(self.parts)

    @property
    def separator(self) -> str:
        inner = {lit for lit in self.literals[1:-1]}
        return inner.pop() if len(inner) == 1 else ""

    def render(self, values: dict[str, str]) -> str:
        out = [self.literals[0]]
        for part, lit in zip(self.parts, self.literals[1:], strict=True):
            out.append(values[part])
            out.append(lit)
        return "".join(out)

    def parse(self, local: str) -> dict[str, str] | None:
        """The name parts a local part was rendered from (one split when several fit)."""
        match = self._regex.match(local)
        if not match:
            return None
        values: dict[str, str] = {}
        for i, part in enumerate(self.parts):
            got = match.group(f"{part}{i}")
            if values.setdefault(part, got) != got:
                return None
        return values

    def describe(self) -> str:
        return self.key


_SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("f", "last"),
    ("first", "last"),
    ("last",),
    ("last", "f"),
    ("last", "first"),
    ("first",),
    ("f", "p", "last"),
    ("last", "f", "p"),
    ("first", "l"),
    ("first", "p", "last"),
    ("f", "l"),
)


def _builtin_keys() -> tuple[str, ...]:
    keys: list[str] = []
    for seq in _SEQUENCES:
        seps = SEPARATORS if len(seq) > 1 else ("",)
        for sep in seps:
            key = sep.join("{" + part + "}" for part in seq)
            if key not in keys:
                keys.append(key)
    return tuple(keys)


#: The patterns a model considers unless told otherwise.
DEFAULT_PATTERNS: tuple[str, ...] = _builtin_keys()


def _words(text: str) -> list[str]:
    return text.split()


#: Shared mailboxes of departments and roles, never a person's pattern.
ROLE_MAILBOXES = frozenset(
    _words(
        """
        info sales sale zakupki zakupka zakup buh buhgalter buhgalteriya bux accounting
        accountant office support help helpdesk hr kadry kadr personal job jobs career careers
        vacancy resume admin administrator root postmaster hostmaster webmaster abuse noreply
        no-reply donotreply mail email post pochta secretary sekretar reception priemnaya ceo
        director gendir dir marketing pr press media partner partners partnership dealer dealers
        diler distr opt order orders zakaz zakazy shop store tender tenders tendery contact
        contacts feedback service servis tech techsupport tehpodderzhka podderzhka it security
        billing finance finansy invoice invoices docs doc edo legal law yurist jurist info-
        center hello team manager managers office-manager logistics logistika sklad delivery
        dostavka client clients corp company general common mailbox notify notifications news
        newsletter subscribe market commerce commercial kommerc import export purchasing
        procurement supply snab snabzhenie ekb msk spb nsk moscow
        """
    )
)
_ROLE_SPLIT = re.compile(r"[._\-+]")


def is_role_mailbox(local: str) -> bool:
    """A department or role address (info@, sales.msk@, zakupki2@), not one person's."""
    local = local.lower()
    if local in ROLE_MAILBOXES:
        return True
    tokens = [re.sub(r"\d+$", "", t) for t in _ROLE_SPLIT.split(local) if t]
    tokens = [t for t in tokens if t]
    if not tokens or tokens[0] not in ROLE_MAILBOXES:
        return False
    return all(t in ROLE_MAILBOXES or len(t) <= 3 for t in tokens[1:])


def split_digit_suffix(local: str) -> tuple[str, str]:
    """``a.tarasenko2`` → (``a.tarasenko``, ``2``): the usual way admins resolve a collision."""
    match = re.match(r"^(.*?[a-z])[._\-]?(\d{1,4})$", local)
    if not match:
        return local, ""
    return match.group(1), match.group(2)


__all__ = [
    "DEFAULT_PATTERNS",
    "PART_NAMES",
    "ROLE_MAILBOXES",
    "SEPARATORS",
    "Pattern",
    "is_role_mailbox",
    "split_digit_suffix",
]
