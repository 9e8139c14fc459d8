"""Hypothesis helpers shared by the identifier tests."""

from __future__ import annotations

import random

from hypothesis import strategies as st

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def rng(seed: int) -> random.Random:
    return random.Random(seed)


def replace_digit(number: str, position: int, delta: int) -> str:
    """Change the digit at ``position`` by ``delta`` (1-9) modulo 10."""
    digit = (int(number[position]) + delta) % 10
    return number[:position] + str(digit) + number[position + 1 :]
