"""The mailing app's settings, read from Django settings (all optional; docs/mailing.md)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def verp_secret() -> bytes:
    """The HMAC key of VERP tokens: its own setting, else derived from SECRET_KEY."""
    own = _get("PARTNERNET_VERP_SECRET", "")
    if own:
        return str(own).encode()
    return hashlib.sha256(b"partnernet-verp:" + str(settings.SECRET_KEY).encode()).digest()


def bounce_domain(from_address: str) -> str:
    """Domain of the VERP return path: a domain whose MX delivers to the bounce mailbox."""
    return str(_get("PARTNERNET_BOUNCE_DOMAIN", "") or from_address.rpartition("@")[2])


def bounce_local_part() -> str:
    return str(_get("PARTNERNET_BOUNCE_LOCAL_PART", "bounces"))


def public_url() -> str:
    """Base URL of this installation as recipients reach it (for the unsubscribe link)."""
    return str(_get("PARTNERNET_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")


def default_rate_per_minute() -> int:
    return int(_get("PARTNERNET_MAIL_RATE_PER_MINUTE", 60))


def max_attempts() -> int:
    """SMTP attempts per delivery on temporary (4xx) errors before it is marked failed."""
    return max(1, int(_get("PARTNERNET_MAIL_MAX_ATTEMPTS", 3)))


def lock_seconds() -> int:
    """How long a sending run's lock on a campaign lasts without a heartbeat."""
    return int(_get("PARTNERNET_MAIL_LOCK_SECONDS", 120))


def smtp_options() -> dict[str, Any]:
    return {
        "host": _get("EMAIL_HOST", "127.0.0.1"),
        "port": int(_get("EMAIL_PORT", 25)),
        "user": _get("EMAIL_HOST_USER", ""),
        "password": _get("EMAIL_HOST_PASSWORD", ""),
        "starttls": bool(_get("EMAIL_USE_TLS", False)),
        "ssl": bool(_get("EMAIL_USE_SSL", False)),
        "timeout": float(_get("EMAIL_TIMEOUT", None) or 60),
    }


def feedback_mode() -> str:
    """ "propose" (default: people changes go to the review queue) or "apply"."""
    return str(_get("PARTNERNET_FEEDBACK_MODE", "propose"))


def imap_options() -> dict[str, Any]:
    """The bounce mailbox (PARTNERNET_IMAP_* settings or environment)."""
    import os

    def pick(name: str, default: Any = "") -> Any:
        return _get(f"PARTNERNET_IMAP_{name}", os.environ.get(f"PARTNERNET_IMAP_{name}", default))

    return {
        "host": pick("HOST"),
        "port": int(pick("PORT", 993)),
        "user": pick("USER"),
        "password": pick("PASSWORD"),
        "ssl": str(pick("SSL", "1")) not in ("0", "false", "False", ""),
        "folder": pick("FOLDER", "INBOX"),
        "processed_folder": pick("PROCESSED_FOLDER", "partnernet-processed"),
        "poll_seconds": int(pick("POLL_SECONDS", 0) or 0),
    }
