from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.mailing import verp_address, verp_decode, verp_token

SECRET = b"k"


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["bounces", "unsubscribe"]))
def test_round_trip(delivery_id: int, local: str) -> None:
    token = verp_token(delivery_id, SECRET)
    assert token == token.lower() and token.replace("-", "").isalnum()
    assert verp_decode(verp_address(token, "news.example", local), SECRET) == delivery_id
    # Servers that upper-case or quote the address, and tokens inside headers, still decode.
    assert verp_decode(f"<{verp_address(token, 'news.example').upper()}>", SECRET) == delivery_id
    assert verp_decode(f"Message-ID: <{token}.c1@news.example>", SECRET) == delivery_id


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=9))
def test_tampering_is_rejected(delivery_id: int, position: int) -> None:
    token = verp_token(delivery_id, SECRET)
    prefix, mac = token.split("-")
    flipped = mac[:position] + ("a" if mac[position] != "a" else "b") + mac[position + 1 :]
    assert verp_decode(f"{prefix}-{flipped}", SECRET) is None
    assert verp_decode(token, b"another secret") is None


def test_other_ids_cannot_borrow_a_mac() -> None:
    token = verp_token(41, SECRET)
    other = verp_token(42, SECRET)
    assert verp_decode("d" + other[1:].split("-")[0] + "-" + token.split("-")[1], SECRET) is None
    assert verp_decode("", SECRET) is None and verp_decode(None, SECRET) is None


def test_module_doctests() -> None:
    import doctest

    from partnernet.engines.mailing import verp

    failures, tried = doctest.testmod(verp)
    assert tried > 0 and failures == 0
