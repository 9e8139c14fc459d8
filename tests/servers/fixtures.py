"""Pytest fixtures that start REAL mail servers on 127.0.0.1 (a pytest plugin).

* ``smtp_server`` — an aiosmtpd server on a random port that records every message it accepts
  (envelope sender, recipients, bytes, arrival time) and can be told to refuse or to drop the
  connection for chosen recipients.
* ``dovecot`` — a Dovecot IMAP server (Debian ``dovecot-imapd``) started from a config file in a
  temp directory, once per session; ``imap_account`` gives each test its own fresh mailbox user.
  Skipped when ``dovecot`` is not installed, unless the ``CI`` environment variable is set: then
  a missing Dovecot fails the run.

Use from a test package's ``conftest.py``: ``pytest_plugins = ["tests.servers.fixtures"]`` is
only allowed at the root, so import the fixtures instead:
``from tests.servers.fixtures import dovecot, imap_account, smtp_server  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# --- SMTP ------------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    at: float


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    # address -> SMTP reply given to RCPT TO (e.g. "450 4.2.0 try later", "550 5.1.1 no such")
    refuse: dict[str, str] = field(default_factory=dict)
    # addresses whose DATA is accepted and then the connection is dropped without a reply
    drop_after_data: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for m in self.messages for r in m.rcpt_tos]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        reply = self.server.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            data=bytes(envelope.original_content or envelope.content),
            at=time.monotonic(),
        )
        with self.server.lock:
            self.server.messages.append(received)
        if any(r.lower() in self.server.drop_after_data for r in envelope.rcpt_tos):
            # Accepted, but the client never hears so: the "uncertain" case.
            session.transport.close() if hasattr(session, "transport") else None
            server.transport.close()
            return "250 OK"
        return "250 OK queued"


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    """An aiosmtpd server on 127.0.0.1 and a free port, in a thread (tests and the bench)."""
    from aiosmtpd.controller import Controller

    port = free_port()
    state = SmtpServer(host="127.0.0.1", port=port)
    controller = Controller(_Handler(state), hostname="127.0.0.1", port=port, ready_timeout=10.0)
    controller.start()
    try:
        yield state
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


# --- Dovecot ---------------------------------------------------------------------------------

DOVECOT_CONF = """\
base_dir = {base}/run
state_dir = {base}/state
instance_name = partnernet-test-{tag}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
mail_location = maildir:~/Maildir
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


@dataclass
class Dovecot:
    host: str
    port: int
    base: Path

    def add_user(self, user: str, password: str) -> None:
        users = self.base / "users"
        with users.open("a") as handle:
            handle.write(f"{user}:{{PLAIN}}{password}\n")
        home = self.base / "home" / user
        home.mkdir(parents=True, exist_ok=True)
        shutil.chown(home, "nobody", "nogroup")


@dataclass
class ImapAccount:
    host: str
    port: int
    user: str
    password: str

    def client(self) -> Any:
        from imapclient import IMAPClient
        from imapclient.exceptions import LoginError

        # A user appended to the passwd-file a moment ago can be refused while Dovecot's auth
        # process is still (re)reading the file; a short retry keeps the fixture honest.
        for attempt in range(5):
            client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
            try:
                client.login(self.user, self.password)
                return client
            except LoginError:
                client.shutdown()
                if attempt == 4:
                    raise
                time.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    def append(self, messages: list[bytes], folder: str = "INBOX") -> None:
        client = self.client()
        try:
            for raw in messages:
                client.append(folder, raw)
        finally:
            client.logout()

    def count(self, folder: str) -> int:
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"])
        finally:
            client.logout()


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None


@contextmanager
def running_dovecot(binary: str) -> Iterator[Dovecot]:
    """Start Dovecot from a config in a fresh temp directory; stop it and remove the directory
    afterwards (the ``dovecot`` fixture and bench/intake_bench.py use it)."""
    # Not pytest's tmp_path: its parents are mode 0700 and Dovecot's auth process (user
    # "dovecot") must reach the passwd-file.
    base = Path(tempfile.mkdtemp(prefix="partnernet-dovecot-"))
    base.chmod(0o755)
    for sub in ("run", "state", "home"):
        (base / sub).mkdir()
    (base / "home").chmod(0o755)
    (base / "users").write_text("")
    port = free_port()
    conf = base / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(base=base, port=port, tag=uuid.uuid4().hex[:8]))
    # The daemon keeps inherited pipes open: send its output to a file, never to a pipe.
    with (base / "start.log").open("w") as out:
        started = subprocess.run(
            [binary, "-c", str(conf)], stdout=out, stderr=out, stdin=subprocess.DEVNULL, timeout=30
        )
    if started.returncode != 0:
        log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
        raise RuntimeError(f"dovecot did not start: {(base / 'start.log').read_text()}\n{log}")
    try:
        _wait_port(port)
        yield Dovecot(host="127.0.0.1", port=port, base=base)
    finally:
        subprocess.run(
            [binary, "-c", str(conf), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            timeout=30,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed (CI needs dovecot-imapd)")
        pytest.skip("dovecot is not installed")
    with running_dovecot(binary) as server:
        yield server


def new_account(server: Dovecot) -> ImapAccount:
    user = "u" + uuid.uuid4().hex[:10]
    password = uuid.uuid4().hex
    server.add_user(user, password)
    return ImapAccount(host=server.host, port=server.port, user=user, password=password)


@pytest.fixture
def imap_account(dovecot: Dovecot) -> ImapAccount:
    return new_account(dovecot)
