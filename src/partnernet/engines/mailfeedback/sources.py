"""Where messages come from: single files, Maildir directories, mbox files.

Each message is yielded with a display id (the file path, or ``path:N`` for the N-th message of
an mbox, counted from 1) and its raw bytes. Everything is streamed: a 100,000-message Maildir or
a multi-gigabyte mbox is never held in memory at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

_MBOX_START = b"From "


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def is_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError:
        return False
    return head == _MBOX_START


def _iter_dir_files(path: Path) -> Iterator[Path]:
    """Files under a directory in a stable order, scanned lazily (os.scandir per level)."""
    stack = [path]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        dirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                dirs.append(Path(entry.path))
            elif entry.is_file():
                yield Path(entry.path)
        stack.extend(reversed(dirs))


def iter_mbox(path: Path) -> Iterator[tuple[str, bytes]]:
    """Split an mbox on ``From `` lines (mboxrd: ``>From `` un-quoted), streaming."""
    n = 0
    buf: list[bytes] = []
    with path.open("rb") as fh:
        for line in fh:
            if line.startswith(_MBOX_START) and (not buf or buf[-1].strip() == b""):
                if buf:
                    n += 1
                    yield f"{path}:{n}", _finish(buf)
                buf = []
                continue
            if line.startswith(b">") and line.lstrip(b">").startswith(_MBOX_START):
                line = line[1:]
            buf.append(line)
    if buf:
        n += 1
        yield f"{path}:{n}", _finish(buf)


def _finish(lines: list[bytes]) -> bytes:
    # The blank line before the next "From " separator belongs to the mbox, not the message.
    if lines and lines[-1].strip() == b"":
        lines = lines[:-1]
    return b"".join(lines)


def iter_messages(path: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """Messages in a file, a Maildir (cur/ and new/), an mbox, or a directory of .eml files."""
    p = Path(path)
    if p.is_dir():
        if is_maildir(p):
            subdirs = [p / "new", p / "cur"]
            for sub in subdirs:
                for f in _iter_dir_files(sub):
                    yield from _read_file(f)
            return
        for f in _iter_dir_files(p):
            if is_mbox(f):
                yield from iter_mbox(f)
            else:
                yield from _read_file(f)
        return
    if is_mbox(p):
        yield from iter_mbox(p)
        return
    yield from _read_file(p)


def _read_file(f: Path) -> Iterator[tuple[str, bytes]]:
    try:
        data = f.read_bytes()
    except OSError:
        return
    yield str(f), data


def iter_many(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        yield from iter_messages(path)
