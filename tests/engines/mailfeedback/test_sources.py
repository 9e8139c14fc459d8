from __future__ import annotations

from pathlib import Path

from partnernet.engines.mailfeedback import iter_messages

MSG = b"From: a@b.example\nSubject: %d\n\nbody From here\n"


def test_single_file(tmp_path: Path) -> None:
    f = tmp_path / "one.eml"
    f.write_bytes(MSG % 1)
    assert list(iter_messages(f)) == [(str(f), MSG % 1)]


def test_maildir_reads_new_and_cur(tmp_path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (tmp_path / sub).mkdir()
    (tmp_path / "new" / "1.x").write_bytes(MSG % 1)
    (tmp_path / "cur" / "2.x:2,S").write_bytes(MSG % 2)
    (tmp_path / "tmp" / "3.x").write_bytes(MSG % 3)  # being delivered: not ours yet
    got = [raw for _name, raw in iter_messages(tmp_path)]
    assert got == [MSG % 1, MSG % 2]


def test_mbox_numbers_messages_and_unquotes_from(tmp_path: Path) -> None:
    f = tmp_path / "box"
    f.write_bytes(
        b"From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n"
        + (MSG % 1)
        + b">From the quoted line\n\n"
        + b"From MAILER-DAEMON Mon Nov 23 10:00:01 2026\n"
        + (MSG % 2)
    )
    got = list(iter_messages(f))
    assert [name for name, _ in got] == [f"{f}:1", f"{f}:2"]
    assert got[0][1] == (MSG % 1) + b"From the quoted line\n"
    assert got[1][1] == MSG % 2
