"""Mail feedback engine: bounces, auto-replies and complaints read like a postmaster would.

Public API (stable; the contacts app and the CLI use only these names)::

    parse_message(raw: bytes, *, source: str | None = None) -> FeedbackResult
    to_json(result: FeedbackResult, *, message: str | None = None) -> dict
    iter_messages(path) -> Iterator[tuple[str, bytes]]   # file, Maildir, mbox, directory
    parse_many(messages, *, jobs=1) -> Iterator[tuple[str, FeedbackResult]]   # in processes
    category(reason) -> str   # address | domain | sender | content | temporary | none
    PARSER_VERSION
"""

from .outcome import (
    PARSER_VERSION,
    AutoReply,
    ExtractedContact,
    Feedback,
    FeedbackResult,
    RecipientResult,
    to_json,
)
from .parallel import default_jobs, parse_many
from .parse import parse_message
from .reasons import category
from .sources import iter_many, iter_messages

__all__ = [
    "PARSER_VERSION",
    "AutoReply",
    "ExtractedContact",
    "Feedback",
    "FeedbackResult",
    "RecipientResult",
    "category",
    "default_jobs",
    "iter_many",
    "iter_messages",
    "parse_many",
    "parse_message",
    "to_json",
]
