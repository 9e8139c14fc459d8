"""Pure helpers for sending mailings: VERP tokens, message rendering and building, pacing, and
reading bounce/complaint exports of external sending services.

Public API::

    verp_token(delivery_id, secret) -> str          # "d2n9-k3j2h4g5f6"
    verp_address(token, domain, local="bounces") -> str
    verp_decode(address_or_token, secret) -> int | None   # the delivery id, HMAC checked
    render_body(markdown_text, values) -> RenderedBody    # HTML + plain text
    build_message(...) -> EmailMessage
    RateLimiter(per_minute)
    read_esp_export(handle) -> Iterator[EspEvent]
"""

from .esp import EspEvent, EspExportError, read_esp_export
from .message import OutgoingMessage, build_message
from .ratelimit import RateLimiter
from .render import RenderedBody, personalise, render_body, render_template
from .verp import verp_address, verp_decode, verp_token

__all__ = [
    "EspEvent",
    "EspExportError",
    "OutgoingMessage",
    "RateLimiter",
    "RenderedBody",
    "build_message",
    "personalise",
    "read_esp_export",
    "render_body",
    "render_template",
    "verp_address",
    "verp_decode",
    "verp_token",
]
