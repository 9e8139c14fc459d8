"""The exception tree of the identifier validators.

Our exceptions also subclass python-stdnum's classes of the same name, so callers that
catch ``stdnum.exceptions.ValidationError`` (or plain ``ValueError``) catch ours too.
"""

from __future__ import annotations

from stdnum import exceptions as _stdnum


class ValidationError(_stdnum.ValidationError):
    """Base of every identifier validation failure."""

    message = "The number is invalid."


class InvalidFormat(ValidationError, _stdnum.InvalidFormat):
    """Characters that are not allowed, or required parts missing."""

    message = "The number has an invalid format."


class InvalidLength(InvalidFormat, _stdnum.InvalidLength):
    """The number has the wrong number of characters."""

    message = "The number has an invalid length."


class InvalidChecksum(ValidationError, _stdnum.InvalidChecksum):
    """The check digit(s) do not match."""

    message = "The number's checksum or check digit is invalid."


class InvalidComponent(ValidationError, _stdnum.InvalidComponent):
    """A part of the number (region, type, date) cannot exist."""

    message = "One of the parts of the number is invalid."


__all__ = [
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ValidationError",
]
