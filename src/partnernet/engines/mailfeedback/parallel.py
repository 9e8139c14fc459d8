"""Parse a stream of messages in several processes, in order, with memory bounded.

A Maildir of 100,000 replies is CPU work (about a millisecond a message); on a machine with
several cores the parse divides between processes. The stream is read a window at a time, so
at most ``window`` raw messages are in flight however long the stream is (``Pool.imap`` alone
would read the whole input ahead of the workers).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from itertools import islice

from .outcome import FeedbackResult
from .parse import parse_message

Message = tuple[str, bytes]


def default_jobs() -> int:
    """The processes to use when the caller does not say: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _parse(message: Message) -> tuple[str, FeedbackResult]:
    name, raw = message
    return name, parse_message(raw, source=name)


def parse_many(
    messages: Iterable[Message], *, jobs: int = 1, window: int = 1000
) -> Iterator[tuple[str, FeedbackResult]]:
    """``(name, result)`` for each ``(name, raw)`` message, in the order given.

    ``jobs`` > 1 parses in that many worker processes (forked, so nothing is re-imported);
    ``jobs`` = 1 parses here. Results are the same either way.
    """
    if jobs <= 1:
        for message in messages:
            yield _parse(message)
        return
    iterator = iter(messages)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        while chunk := list(islice(iterator, window)):
            chunksize = max(1, len(chunk) // (jobs * 4))
            yield from pool.imap(_parse, chunk, chunksize=chunksize)
