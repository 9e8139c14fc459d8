"""Input errors that a user interface can word in its own language.

Engines speak English (their messages go to logs, the CLI and the API). A user interface in
another language needs more than the English sentence: a stable ``code`` names the kind of
error and ``params`` carry the values the sentence quotes, so the app layer can say the same
thing in Russian without parsing English text.
"""

from __future__ import annotations

from typing import Any


class CodedError(ValueError):
    """A ``ValueError`` with a stable ``code`` and the ``params`` its message quotes.

    >>> error = CodedError("quota_not_positive", "quota 'city:0': must be positive", quota="city:0")
    >>> (str(error), error.code, error.params)
    ("quota 'city:0': must be positive", 'quota_not_positive', {'quota': 'city:0'})
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
