"""What a group of records says that another group can contradict: web domains and phones.

A pair's score already counts a different domain or phone between *its two records*. Clustering
merges groups, though, and the records that link two groups are often the ones that say least
(a row with a name and a city only). These sets let clustering see what the groups as wholes
say: two groups that each list web domains, none in common, or that each list a number in the
same city, none in common, are two companies (see ``ClusterPolicy``).

Only numbers that belong to a place count: a toll-free or shared-cost line is the same for
every office of a company and says nothing about which office a row is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType

# Numbers tied to a subscriber in one place (a mobile is registered in a region too, and on
# partner lists it is an office's or an owner's number).
_PLACE_NUMBER_TYPES = frozenset(
    {
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


@lru_cache(maxsize=200_000)
def is_place_number(e164: str) -> bool:
    """Whether an E.164 number belongs to one place (not toll-free, premium, shared-cost…).

    >>> is_place_number("+74952223344"), is_place_number("+78001002030")
    (True, False)
    """
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in _PLACE_NUMBER_TYPES


def group_evidence(
    rows: Iterable[Mapping[str, Any]], ids: Iterable[str] | None = None
) -> tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]]:
    """``(domains, phones)`` of feature rows by ``unique_id``: the registered web domains, and
    the place numbers by city key (rows without a city give no phones here).

    ``ids``: only these rows (the representatives clustering sees).
    """
    wanted = set(ids) if ids is not None else None
    domains: dict[str, list[str]] = {}
    phones: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        rid = row["unique_id"]
        if wanted is not None and rid not in wanted:
            continue
        if row.get("domains"):
            domains[rid] = list(row["domains"])
        city = row.get("city")
        if city and row.get("phones"):
            numbers = [p for p in row["phones"] if is_place_number(p)]
            if numbers:
                phones[rid] = {city: numbers}
    return domains, phones
