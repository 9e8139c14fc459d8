"""The hand-written Russian/English corpus: every message gets its expected result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partnernet.engines.mailfeedback import PARSER_VERSION, parse_message, to_json

DATA = Path(__file__).resolve().parents[2] / "data" / "mail"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_message_matches_expectation(name: str) -> None:
    want = EXPECTED[name]
    result = parse_message((DATA / name).read_bytes(), source=name)
    assert result.kind == want["kind"]
    assert result.parser_version == PARSER_VERSION
    if want["kind"] == "bounce":
        got = {r.address: r.reason for r in result.recipients}
        assert got == {r["address"]: r["reason"] for r in want["recipients"]}
    auto = want.get("autoreply")
    if auto is not None:
        a = result.autoreply
        assert a is not None
        assert a.type == auto["type"]
        assert (a.until.isoformat() if a.until else None) == auto["until"]
        assert [(c.name, c.email, c.phones) for c in a.contacts] == [
            (c["name"], c["email"], c["phones"]) for c in auto["contacts"]
        ]
        assert a.phones == auto["phones"]
        if "new_address" in auto:
            assert a.new_address == auto["new_address"]
    json.dumps(to_json(result, message=name), ensure_ascii=False)
