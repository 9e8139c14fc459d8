"""A fast reader of raw messages into the standard library's ``compat32`` message tree.

The engine reads hundreds of thousands of replies, and the email package's feed parser (a
line-at-a-time generator machine built for input that arrives in pieces) was a third of the
cost of a bounce. Our input is always whole, so this reader cuts it with ``str.find`` and a few
compiled patterns and fills the same ``email.message.Message`` objects the feed parser builds:
the same header list, the same payloads (``str`` bodies decoded as ASCII with
``surrogateescape``, lists of parts, one part per field block in ``message/delivery-status``),
the same defects. Everything the email package offers on a message (``get``, ``get_param``,
``get_payload(decode=True)``, ``as_bytes``…) therefore works unchanged, and the tests compare
the two readers' trees on generated and real messages.

Where the feed parser's rules are followed exactly: header lines and continuations, the
``From `` envelope line, a line that is neither a header nor blank ending the header block,
boundaries only as whole lines, the line break before a boundary belonging to the boundary,
repeated boundary lines, the preamble and epilogue, ``multipart/digest`` parts defaulting to
``message/rfc822``, the feed parser's quirks (an envelope line last among the headers goes
back to the body; with no opening delimiter the epilogue is empty), and the defects it records.
Where it differs, on purpose: nesting deeper than ``MAX_DEPTH`` is kept as text instead of
recursing (the feed parser recurses until Python's stack runs out).
"""

from __future__ import annotations

import re
from email import errors, utils
from email.message import Message
from email.policy import compat32
from typing import Any

MAX_DEPTH = 40

# A header line: a name of printable characters without ":" followed by ":"; an envelope line;
# a continuation (leading blank).
_HEADER_LINE = re.compile(r"From |[\041-\071\073-\176]*:|[\t ]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
# The common case, read in one go: lines that are all "Name: value" or continuations, ended by
# "\n" or "\r\n", up to the first blank line. Anything else takes the line-by-line path.
_BLANK_LINE = re.compile(r"\n\r?\n")
_FIRST_FIELD = re.compile(r"[\041-\071\073-\176]+:")
_LINE_NOT_A_FIELD = re.compile(r"\n(?![ \t]|[\041-\071\073-\176]+:|\Z)")
# In such a block: a name, the value's first line without leading blanks, its continuations.
_NAME_VALUE = re.compile(r"^([\041-\071\073-\176]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)", re.M)


class ParsedMessage(Message):
    """A compat32 ``Message`` that looks its headers up in a table and reads its content type
    and the type's parameters once: the engine asks a parsed reply for the same few headers
    dozens of times, and the email package scans and lowercases every header name on each call.
    Every way of changing the headers drops what was read (after the change: the email package
    reads headers while changing them)."""

    _first_by_name: dict[str, tuple[str, str]] | None = None
    _ctype_cache: str | None = None
    _ctype_param_table: dict[str, Any] | None = None

    def _headers_changed(self) -> None:
        self._first_by_name = None
        self._ctype_cache = None
        self._ctype_param_table = None

    def _by_name(self) -> dict[str, tuple[str, str]]:
        table = self._first_by_name
        if table is None:
            table = {}
            for key, value in vars(self)["_headers"]:
                table.setdefault(key.lower(), (key, value))
            self._first_by_name = table
        return table

    def get(self, name: str, failobj: Any = None) -> Any:
        table = self._first_by_name
        found = (table if table is not None else self._by_name()).get(name.lower())
        if found is None:
            return failobj
        if type(found[1]) is str and found[1].isascii():
            return found[1]  # what compat32's header_fetch_parse returns for plain text
        return self.policy.header_fetch_parse(*found)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._by_name()

    def get_param(
        self, param: str, failobj: Any = None, header: str = "content-type", unquote: bool = True
    ) -> Any:
        # Content-Type's parameters by name from a table (the email package scans the list and
        # lowercases every name on each call); the first of a repeated name wins, as there.
        if header.lower() != "content-type" or not unquote:
            return super().get_param(param, failobj, header, unquote)
        table = self._ctype_param_table
        if table is None:
            table = {}
            if "content-type" in self:
                for name, value in self._get_params_preserve(None, header):  # type: ignore[attr-defined]
                    table.setdefault(name.lower(), value)
            self._ctype_param_table = table
        if param.lower() not in table:
            return failobj
        value = table[param.lower()]
        if isinstance(value, tuple):
            return (value[0], value[1], utils.unquote(value[2]))
        return utils.unquote(value)

    __getitem__ = get

    def get_content_type(self) -> str:
        ctype = self._ctype_cache
        if ctype is None:
            ctype = self._ctype_cache = super().get_content_type()
        return ctype

    def __setitem__(self, name: str, val: Any) -> None:
        super().__setitem__(name, val)
        self._headers_changed()

    def __delitem__(self, name: str) -> None:
        super().__delitem__(name)
        self._headers_changed()

    def set_default_type(self, ctype: str) -> None:
        super().set_default_type(ctype)
        self._headers_changed()

    def set_raw(self, name: str, value: str) -> None:
        super().set_raw(name, value)
        self._headers_changed()

    def replace_header(self, _name: str, _value: Any) -> None:
        super().replace_header(_name, _value)
        self._headers_changed()

    def add_header(self, _name: str, _value: str, **_params: Any) -> None:
        super().add_header(_name, _value, **_params)
        self._headers_changed()

    def set_boundary(self, boundary: str) -> None:
        super().set_boundary(boundary)
        self._headers_changed()


def message_from_bytes(raw: bytes) -> Message:
    """What ``email.message_from_bytes(raw, policy=compat32)`` returns, built faster."""
    text = raw.decode("ascii", "surrogateescape")
    msg = _build(text, "text/plain", 0)
    if msg.get_content_maintype() == "multipart" and not msg.is_multipart():
        msg.defects.append(errors.MultipartInvariantViolationDefect())
    return msg


def headers_from_text(text: str) -> Message:
    """What ``HeaderParser(policy=compat32).parsestr(text)`` returns: the header block read,
    the rest kept as the payload (a header block quoted in a bounce, a text/rfc822-headers
    part)."""
    msg = ParsedMessage(policy=compat32)
    msg.set_payload(_read_headers(msg, text))
    return msg


def _strip_eol(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\n", "\r")):
        return text[:-1]
    return text


def _read_headers(msg: Message, text: str) -> str:
    """Add the header lines at the start of ``text`` to ``msg``; return the body after them."""
    blank = _BLANK_LINE.search(text)
    head_end = blank.start() + 1 if blank else len(text)
    head = text[:head_end]
    if (
        _FIRST_FIELD.match(head)
        and head.count("\r") == head.count("\r\n")
        and not _LINE_NOT_A_FIELD.search(head)
    ):
        _add_plain_headers(msg, head)
        if blank is None:
            return ""
        return text[blank.end() :]
    return _read_headers_by_line(msg, text)


def _add_plain_headers(msg: Message, head: str) -> None:
    # What set_raw appends to, filled without a call per header line.
    headers: list[tuple[str, str]] = vars(msg)["_headers"]
    headers.extend((name, value.rstrip("\r\n")) for name, value in _NAME_VALUE.findall(head))


def _read_headers_by_line(msg: Message, text: str) -> str:
    # The feed parser first collects the header lines (noting a missing separator), then reads
    # them (noting bad lines): its defects come in that order.
    line_defects: list[errors.MessageDefect] = []
    body = _header_lines(msg, text, line_defects)
    msg.defects.extend(line_defects)
    return body


def _header_lines(msg: Message, text: str, line_defects: list[errors.MessageDefect]) -> str:
    pos = 0
    end = len(text)
    name = ""
    lines: list[str] = []
    lineno = 0
    while pos < end:
        m = _LINE.match(text, pos)
        assert m is not None  # the pattern matches the empty string
        line = m.group()
        if not line:
            break
        if not _HEADER_LINE.match(line):
            if line[0] in "\r\n":
                pos = m.end()  # the separator belongs to neither part
            else:
                msg.defects.append(errors.MissingHeaderBodySeparatorDefect())
            break
        pos = m.end()
        lineno += 1
        if line[0] in " \t":
            if name:
                lines.append(line)
            else:
                line_defects.append(errors.FirstHeaderLineIsContinuationDefect(line))
            continue
        if name:
            msg.set_raw(*compat32.header_source_parse(lines))
            name, lines = "", []
        if line.startswith("From "):
            if lineno == 1:
                msg.set_unixfrom(_strip_eol(line))
                continue
            following = _LINE.match(text, pos).group()  # type: ignore[union-attr]
            if not following or not _HEADER_LINE.match(following):
                # An envelope line last in the header block: the feed parser hands it back to
                # the body, in front of what follows the header block.
                if following and following[0] in "\r\n":
                    return line + text[pos + len(following) :]
                if following:
                    msg.defects.append(errors.MissingHeaderBodySeparatorDefect())
                return line + text[pos:]
            line_defects.append(errors.MisplacedEnvelopeHeaderDefect(line))
            continue
        colon = line.find(":")
        if colon == 0:
            line_defects.append(errors.InvalidHeaderDefect("Missing header name."))
            continue
        name = line[:colon]
        lines = [line]
    if name:
        msg.set_raw(*compat32.header_source_parse(lines))
    return text[pos:]


def _build(text: str, default_type: str, depth: int) -> Message:
    msg = ParsedMessage(policy=compat32)
    if default_type != "text/plain":
        msg.set_default_type(default_type)
    body = _read_headers(msg, text)
    ctype = msg.get_content_type()
    maintype = ctype.partition("/")[0]
    if depth >= MAX_DEPTH:
        msg.set_payload(body)
        return msg
    if ctype == "message/delivery-status":
        _read_field_blocks(msg, body, depth)
    elif maintype == "message":
        msg.attach(_build(body, "text/plain", depth + 1))
    elif maintype == "multipart":
        _read_multipart(msg, body, ctype, depth)
    else:
        msg.set_payload(body)
    return msg


def _read_field_blocks(msg: Message, body: str, depth: int) -> None:
    """message/delivery-status: each block of fields up to a blank line is read as a message
    of its own (an empty report still gets one empty block, as from the feed parser)."""
    pos, end = 0, len(body)
    lone_cr = body.count("\r") != body.count("\r\n")
    while True:
        stop = _blank_line_by_line(body, pos) if lone_cr else _blank_line(body, pos)
        msg.attach(_build(body[pos:stop], "text/plain", depth + 1))
        if stop >= end:
            break
        pos = stop + (2 if body.startswith("\r\n", stop) else 1)
        if pos >= end:
            break


def _blank_line(body: str, pos: int) -> int:
    """Where the first blank line at or after ``pos`` starts (``len(body)`` if none), for text
    whose lines end in "\n" or "\r\n"."""
    if body.startswith(("\n", "\r\n"), pos):
        return pos
    found = [at + 1 for at in (body.find("\n\n", pos), body.find("\n\r\n", pos)) if at >= 0]
    return min(found) if found else len(body)


def _blank_line_by_line(body: str, pos: int) -> int:
    """The same for text with lone "\r" line ends."""
    end = len(body)
    while pos < end:
        line = _LINE.match(body, pos).group()  # type: ignore[union-attr]
        if line[0] in "\r\n":
            break
        pos += len(line)
    return pos


def _read_multipart(msg: Message, body: str, ctype: str, depth: int) -> None:
    boundary = msg.get_boundary()
    if boundary is None:
        msg.defects.append(errors.NoBoundaryInMultipartDefect())
        msg.set_payload(body)
        return
    cte = str(msg.get("content-transfer-encoding", "8bit")).lower()
    if cte not in ("7bit", "8bit", "binary"):
        msg.defects.append(errors.InvalidMultipartContentTransferEncodingDefect())
    # A boundary holding a line break (a folded quoted parameter) never fills a whole line.
    marks = [] if "\n" in boundary or "\r" in boundary else _delimiters(body, "--" + boundary)
    if not marks or marks[0][2]:
        # No opening delimiter: everything before a closing one (or all) is the payload.
        msg.defects.append(errors.StartBoundaryNotFoundDefect())
        cut = marks[0] if marks else None
        msg.set_payload(body[: cut[0]] if cut else body)
        msg.epilogue = ""  # the feed parser reads the rest but keeps none of it
        return
    first = marks[0]
    if first[0]:
        msg.preamble = _strip_eol(body[: first[0]])
    child_type = "message/rfc822" if ctype == "multipart/digest" else "text/plain"
    i, count = 0, len(marks)
    while i < count:
        # Delimiter lines straight after an opening one are skipped, closing ones included.
        while i + 1 < count and marks[i + 1][0] == marks[i][1]:
            i += 1
        start = marks[i][1]
        stop = marks[i + 1][0] if i + 1 < count else len(body)
        child = _build(body[start:stop], child_type, depth + 1)
        _drop_line_break_before_boundary(child)
        msg.attach(child)
        i += 1
        if i < count and marks[i][2]:
            msg.epilogue = body[marks[i][1] :]
            return
    msg.defects.append(errors.CloseBoundaryNotFoundDefect())


def _delimiters(body: str, delimiter: str) -> list[tuple[int, int, bool]]:
    """(start, end, closing) of every delimiter line: the delimiter at the start of a line,
    "--" after it for the closing one, blanks, then the line's end."""
    marks = []
    size = len(body)
    at = body.find(delimiter)
    while at >= 0:
        if at == 0 or body[at - 1] in "\r\n":
            end = at + len(delimiter)
            closing = body.startswith("--", end)
            if closing:
                end += 2
            while end < size and body[end] in " \t":
                end += 1
            if end == size or body[end] in "\r\n":
                end += 2 if body.startswith("\r\n", end) else (1 if end < size else 0)
                marks.append((at, end, closing))
        at = body.find(delimiter, at + 1)
    return marks


def _last_built(part: Message) -> Message:
    """The part the feed parser created last while reading ``part``: the one whose trailing
    line break it gives to the next delimiter."""
    payload = vars(part).get("_payload")
    if part.get_content_maintype() == "multipart" or not isinstance(payload, list) or not payload:
        return part
    return _last_built(payload[-1])


def _drop_line_break_before_boundary(part: Message) -> None:
    """RFC 2046: the line break before a delimiter belongs to the delimiter."""
    part = _last_built(part)
    if part.get_content_maintype() == "multipart":
        epilogue = part.epilogue
        if epilogue == "":
            part.epilogue = None
        elif epilogue is not None:
            part.epilogue = _strip_eol(epilogue)
        return
    payload = vars(part).get("_payload")  # as stored: get_payload() may re-decode it
    if isinstance(payload, str):
        part.set_payload(_strip_eol(payload))
