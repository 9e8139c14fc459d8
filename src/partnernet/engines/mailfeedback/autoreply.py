"""Auto-replies (placeholder; filled in below)."""
from __future__ import annotations
from email.message import Message
from .outcome import AutoReply

def detect(msg: Message, *, subject: str, from_addrs: list[str]) -> AutoReply | None:
    return None
