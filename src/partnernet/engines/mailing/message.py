"""One outgoing message of a campaign, built with the standard library's ``email`` package.

Headers that matter for deliverability and for the feedback loop:

* the envelope sender (Return-Path) is the delivery's VERP address — it is not a header here,
  the SMTP client passes it as ``MAIL FROM``;
* ``Message-ID`` carries the delivery token, so a bounce that quotes only our headers still maps
  to its delivery;
* ``List-Unsubscribe`` with a mailto and an https URL, and ``List-Unsubscribe-Post:
  List-Unsubscribe=One-Click`` (RFC 8058), which mailbox providers require of bulk senders;
* ``Precedence: bulk`` and ``Auto-Submitted`` are *not* set: they make some servers drop
  auto-replies, and the auto-replies are exactly what keeps the base fresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr


@dataclass(slots=True)
class OutgoingMessage:
    message: EmailMessage
    envelope_from: str
    recipient: str

    def as_bytes(self) -> bytes:
        return self.message.as_bytes()


def _address_header(address: str, name: str = "") -> str:
    local, _, domain = address.rpartition("@")
    try:
        return str(Address(display_name=name, username=local, domain=domain))
    except (ValueError, IndexError):  # an unusual address the registry refuses: keep it raw
        return formataddr((name, address))


def build_message(
    *,
    subject: str,
    html: str,
    text: str,
    from_address: str,
    from_name: str = "",
    to_address: str,
    to_name: str = "",
    reply_to: str = "",
    message_id: str,
    envelope_from: str,
    unsubscribe_mailto: str,
    unsubscribe_url: str,
    date: datetime,
    campaign_ref: str = "",
) -> OutgoingMessage:
    message = EmailMessage()
    message["From"] = _address_header(from_address, from_name)
    message["To"] = _address_header(to_address, to_name)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["List-Unsubscribe"] = f"<{unsubscribe_mailto}>, <{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if campaign_ref:
        # Lets a recipient's filters (and Gmail's Postmaster Tools) group the campaign.
        message["Feedback-ID"] = f"{campaign_ref}:partnernet"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return OutgoingMessage(message=message, envelope_from=envelope_from, recipient=to_address)
