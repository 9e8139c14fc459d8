from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "mail"


@pytest.fixture(scope="session")
def corpus() -> dict[str, dict]:
    return json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def raw(name: str) -> bytes:
    return (DATA / name).read_bytes()
