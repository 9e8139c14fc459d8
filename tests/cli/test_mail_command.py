from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).resolve().parents[1] / "data" / "mail"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("mail", *args, stdout=out)
    return out.getvalue()


def test_parse_files_as_json() -> None:
    out = json.loads(
        _run(
            "parse",
            str(DATA / "ru_vacation_until.eml"),
            str(DATA / "yandex_mailboxfull.eml"),
            "--json",
        )
    )
    assert [item["kind"] for item in out] == ["autoreply", "bounce"]
    auto = out[0]["autoreply"]
    assert auto["until"] == "2027-01-15"
    assert auto["contacts"][0]["name"] == "Андрей Тарасенко"
    rcpt = out[1]["recipients"][0]
    assert (rcpt["address"], rcpt["reason"], rcpt["hard"]) == (
        "g.sidorov@yandex.example",
        "mailboxfull",
        False,
    )
    assert out[1]["message"].endswith("yandex_mailboxfull.eml")


def test_parse_mbox_numbers_messages(tmp_path: Path) -> None:
    box = tmp_path / "replies.mbox"
    parts = []
    for name in ("mailru_userunknown.eml", "ru_moved.eml"):
        parts.append(
            b"From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n" + (DATA / name).read_bytes() + b"\n"
        )
    box.write_bytes(b"".join(parts))
    out = json.loads(_run("parse", str(box), "--json"))
    assert [item["message"] for item in out] == [f"{box}:1", f"{box}:2"]
    assert [item["kind"] for item in out] == ["bounce", "autoreply"]


def test_kind_filter_and_human_output(tmp_path: Path) -> None:
    out = json.loads(_run("parse", str(DATA), "--kind", "feedback", "--json"))
    assert [item["kind"] for item in out] == ["feedback"]
    text = _run("parse", str(DATA / "exchange_ru_userunknown.eml"))
    assert "userunknown" in text


def test_jobs_change_speed_not_results() -> None:
    one = json.loads(_run("parse", str(DATA), "--jobs", "1", "--json"))
    two = json.loads(_run("parse", str(DATA), "--jobs", "2", "--json"))
    assert len(one) >= 40
    assert two == one


def test_missing_path_is_a_clear_error() -> None:
    with pytest.raises(CommandError):
        _run("parse", "/nonexistent/file.eml")


def test_help_is_present() -> None:
    from partnernet.cli.management.commands.mail import Command

    assert Command.help
