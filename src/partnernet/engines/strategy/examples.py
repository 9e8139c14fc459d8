"""The book's two worked strategies (§5.14) as ready-made, copyable strategies."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from partnernet.engines.strategy.compose import Strategy, strategy_from_dict

EXAMPLES_PATH = Path(__file__).with_name("examples.yaml")


@lru_cache(maxsize=1)
def examples() -> dict[str, Strategy]:
    """Example strategies by key, in file order."""
    with open(EXAMPLES_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {raw["key"]: strategy_from_dict(raw) for raw in data.get("examples") or ()}


def example(key: str) -> Strategy:
    try:
        return examples()[key]
    except KeyError:
        known = ", ".join(examples())
        raise KeyError(f"no example {key!r}; known: {known}") from None
