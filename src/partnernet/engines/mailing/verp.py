"""VERP tokens: one per delivery, carried in the envelope sender so a bounce names its delivery.

A token is ``d<delivery id in base 36>-<10 characters of an HMAC-SHA256 in base 32>``, lower
case letters and digits only, because some mail servers lower-case local parts and a few drop
characters other than letters, digits, ``-`` and ``.``. The HMAC stops anyone from forging a
bounce (or an unsubscribe) for a delivery they never received. The same token names the
delivery's unsubscribe link and ``unsubscribe+<token>@`` mailto address.

>>> token = verp_token(1042, b"secret")
>>> token.startswith("dsy-")
True
>>> verp_decode(verp_address(token, "news.example"), b"secret")
1042
>>> verp_decode("bounces+dsy-aaaaaaaaaa@news.example", b"secret") is None
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
MAC_LENGTH = 10
_TOKEN = re.compile(r"d([0-9a-z]{1,13})-([a-z2-7]{" + str(MAC_LENGTH) + "})")


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("delivery ids are not negative")
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = _DIGITS[rest] + out
        if number == 0:
            return out


def _mac(id36: str, secret: bytes) -> str:
    digest = hmac.new(secret, b"verp:" + id36.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:MAC_LENGTH]


def verp_token(delivery_id: int, secret: bytes) -> str:
    """The token of one delivery."""
    id36 = _base36(delivery_id)
    return f"d{id36}-{_mac(id36, secret)}"


def verp_address(token: str, domain: str, local: str = "bounces") -> str:
    """``bounces+<token>@domain``: the envelope sender (Return-Path) of one delivery."""
    return f"{local}+{token}@{domain}"


def verp_decode(value: str | None, secret: bytes) -> int | None:
    """The delivery id in a token or in any address that carries one (``x+<token>@domain``,
    also inside angle brackets or a header); None when there is none or its HMAC is wrong."""
    if not value:
        return None
    for match in _TOKEN.finditer(value.lower()):
        id36, mac = match.group(1), match.group(2)
        if hmac.compare_digest(mac, _mac(id36, secret)):
            return int(id36, 36)
    return None
