from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy

from partnernet.engines.mailing import build_message


def test_headers_and_alternative_parts() -> None:
    out = build_message(
        subject="Приглашение на вебинар",
        html="<p>Привет</p>",
        text="Привет\n",
        from_address="news@p.example",
        from_name="Новости партнёров",
        to_address="a.ivanova@x.example",
        to_name="Иванова Анна",
        message_id="<dq-abc.c1@p.example>",
        envelope_from="bounces+dq-abc@p.example",
        unsubscribe_mailto="mailto:unsubscribe+dq-abc@p.example?subject=unsubscribe",
        unsubscribe_url="https://p.example/unsubscribe/dq-abc/",
        date=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        campaign_ref="c1",
    )
    raw = out.message.as_bytes(policy=policy.SMTP)
    assert b"\r\n" in raw and max(len(line) for line in raw.split(b"\r\n")) <= 998
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Приглашение на вебинар"
    assert parsed["From"].addresses[0].display_name == "Новости партнёров"
    assert parsed["List-Unsubscribe"] == (
        "<mailto:unsubscribe+dq-abc@p.example?subject=unsubscribe>, "
        "<https://p.example/unsubscribe/dq-abc/>"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Precedence"] is None and parsed["Auto-Submitted"] is None
    assert parsed.get_body(("plain",)).get_content().strip() == "Привет"
    assert "<p>Привет</p>" in parsed.get_body(("html",)).get_content()
    assert out.envelope_from == "bounces+dq-abc@p.example"
