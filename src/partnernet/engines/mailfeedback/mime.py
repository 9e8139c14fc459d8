"""Tolerant reading of raw messages: MIME structure, charsets, headers.

Replies to Russian mailings arrive in every encoding at once: KOI8-R from old servers,
windows-1251 labelled as UTF-8, 8-bit headers without RFC 2047, broken boundaries. Nothing here
raises on bad input; what cannot be decoded is replaced and noted.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from email.header import decode_header
from email.message import Message

from .mimetree import message_from_bytes

# Messages larger than this are cut before parsing: the notification part of a bounce or an
# auto-reply is always near the top, and a 50 MB attachment must not stall the intake.
MAX_BYTES = 4 * 1024 * 1024
MAX_PARTS = 200
MAX_TEXT = 256 * 1024

_CYR_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_CHARSET_ALIASES = {
    "win-1251": "cp1251",
    "windows-1251": "cp1251",
    "x-cp1251": "cp1251",
    "cp-1251": "cp1251",
    "koi8r": "koi8-r",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "default": "",
    "us-ascii": "ascii",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-2022-jp": "iso2022_jp_ext",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "euc-jp": "euc_jisx0213",
}


def normalise_charset(name: str | None) -> str:
    """A Python codec name for a declared charset, or '' when unknown."""
    if not name:
        return ""
    name = str(name).strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _cyrillic_score(text: str) -> int:
    """Lowercase Cyrillic letters minus uppercase ones: right decodings of Russian prose are
    mostly lowercase, KOI8-R read as cp1251 (and vice versa) comes out mostly uppercase."""
    score = 0
    for ch in text:
        if ch in _CYR_LOWER:
            score += 1
        elif "А" <= ch <= "Я":
            score -= 1
    return score


def raw_bytes(text: str) -> bytes:
    """The bytes behind a str that the email package decoded as ASCII with surrogateescape
    (characters it could not map come back as UTF-8)."""
    try:
        return text.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")


def guess_8bit(data: bytes) -> str:
    """Decode bytes that are not UTF-8: windows-1251 or KOI8-R, whichever reads as Russian."""
    a = data.decode("cp1251", "replace")
    b = data.decode("koi8-r", "replace")
    return b if _cyrillic_score(b) > _cyrillic_score(a) else a


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a body or header byte string, trusting the declared charset only when it fits."""
    if not data:
        return ""
    charset = normalise_charset(declared)
    if charset in ("cp1251", "koi8-r"):
        # Both decode any byte string; pick the one that reads as Russian.
        return guess_8bit(data)
    if charset and charset != "ascii":
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError, ValueError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if max(data) < 0x80:
        return data.decode("ascii", "replace")
    return guess_8bit(data)


def parse_bytes(raw: bytes) -> tuple[Message, list[str]]:
    errors: list[str] = []
    if len(raw) > MAX_BYTES:
        raw = raw[:MAX_BYTES]
        errors.append(f"truncated: message larger than {MAX_BYTES} bytes")
    # CR-only line ends (old Mac mail) defeat the header parser.
    if b"\r" in raw[:2000] and b"\n" not in raw[:2000]:
        raw = raw.replace(b"\r", b"\n")
    msg = message_from_bytes(raw)
    if msg.defects:
        errors.extend(type(d).__name__ for d in msg.defects[:5])
    return msg, errors


_SURROGATE = re.compile("[\udc80-\udcff]")
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?")


def header_text(value: object) -> str:
    """A header value as text: RFC 2047 words decoded, raw 8-bit bytes guessed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        # email.header.Header from compat32 for undecodable input
        value = str(value)
    elif value.isascii() and "=?" not in value:
        return " ".join(value.split())  # the common case: nothing to decode
    if _SURROGATE.search(value):
        value = decode_bytes(raw_bytes(value))
    if not _ENCODED_WORD.search(value):
        return " ".join(value.split())
    try:
        out = []
        for chunk, cs in decode_header(value):
            if isinstance(chunk, bytes):
                out.append(decode_bytes(chunk, cs))
            else:
                out.append(chunk)
        return " ".join("".join(out).split())
    except Exception:  # malformed encoded words: keep the raw header
        return " ".join(value.split())


def header(msg: Message, name: str) -> str:
    try:
        return header_text(msg.get(name))
    except Exception:
        return ""


def part_bytes(part: Message) -> bytes:
    """The decoded (base64/QP) payload of a non-multipart part."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw_bytes(raw)
    return b""


def part_text(part: Message) -> str:
    data = part_bytes(part)[:MAX_TEXT]
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(data, charset)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BREAK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d|p|div|tr|li)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]{0,2000}>")
# Table cells end with a visible bar, so a row reads "name | phone | address", not one word run.
_CELL_END = re.compile(r"<\s*/t[dh]\s*>", re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_ENTITIES = {
    "nbsp": " ",
    "lt": "<",
    "gt": ">",
    "amp": "&",
    "quot": '"',
    "apos": "'",
    "laquo": "«",
    "raquo": "»",
    "mdash": "—",
    "ndash": "–",
}


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1:2].lower() == "x" else int(name[1:])
            return chr(code) if 0 < code < 0x110000 else " "
        except ValueError:
            return " "
    return _ENTITIES.get(name.lower(), m.group(0))


def html_to_text(html: str) -> str:
    """Good-enough HTML to text for reply bodies (fast; no DOM)."""
    html = _TAG.sub(" ", html)
    html = re.sub(r"<blockquote\b", "\n<blockquote", html, flags=re.I)
    html = _BREAK.sub("\n", html)
    html = _CELL_END.sub(" | ", html)
    html = _ANY_TAG.sub("", html)
    html = _ENTITY.sub(_entity, html)
    return re.sub(r"[ \t\xa0]+", " ", html)


def walk(msg: Message, *, into_attached: bool = False) -> Iterator[Message]:
    """Parts depth-first; attached messages (message/rfc822) are not entered by default."""
    stack = [msg]
    seen = 0
    while stack and seen < MAX_PARTS:
        part = stack.pop(0)
        seen += 1
        yield part
        ctype = part.get_content_type()
        if part.is_multipart():
            if ctype == "message/rfc822" and not into_attached and part is not msg:
                continue
            payload = part.get_payload()
            if isinstance(payload, list):
                stack[0:0] = [p for p in payload if isinstance(p, Message)]
