"""Blocking rules: which record pairs are compared at all.

Every rule is an equality on a key computed by ``features``; a pair is compared when any rule
holds. Keys that would create huge blocks are cut off in ``features`` (a name shared by
hundreds of records is a common name, and those records are still compared within their city),
so the number of compared pairs grows about linearly with the number of records.
"""

from __future__ import annotations

from typing import Any

from splink import block_on


def blocking_rules() -> list[Any]:
    """Rules used to generate candidate pairs (Splink ``BlockingRuleCreator`` objects)."""
    return [
        block_on("tax_id"),
        block_on("ogrn"),
        block_on("domains", arrays_to_explode=["domains"]),
        block_on("phones", arrays_to_explode=["phones"]),
        block_on("name_block"),
        block_on("name_key", "city"),
        block_on("rare_tokens", arrays_to_explode=["rare_tokens"]),
        block_on("name_prefix", "city"),
        block_on("sound_block"),
    ]


def training_rules() -> list[Any]:
    """Plain (non-exploding) rules for EM training; each leaves some comparisons unblocked."""
    return [block_on("name_block"), block_on("city", "name_prefix")]
