"""A small SMTP client that tells *where* a send failed, which resumable sending needs.

``smtplib.SMTP.sendmail`` hides the difference between "refused before the message was handed
over" (safe to try again) and "the connection broke after the message was handed over" (the
server may have accepted it: trying again may send it twice). :meth:`SmtpClient.send` runs MAIL,
RCPT and DATA itself and raises :class:`SmtpSendError` with ``uncertain=True`` only in the
second case.
"""

from __future__ import annotations

import re
import smtplib
import ssl as ssl_module
from dataclasses import dataclass

_EOL = re.compile(rb"\r\n|\r(?!\n)|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")


class SmtpSendError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        permanent: bool = False,
        uncertain: bool = False,
        connection: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = permanent  # 5xx: do not try again
        self.uncertain = uncertain  # the message may have been accepted
        self.connection = connection  # the server could not be reached or dropped us


@dataclass
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    ssl: bool = False
    timeout: float = 60.0
    local_hostname: str | None = None


def _dot_stuff(data: bytes) -> bytes:
    data = _EOL.sub(b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return _LEADING_DOT.sub(b"..", data) + b".\r\n"


class SmtpClient:
    """One reusable connection; reconnects after the server closed it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host,
                    s.port,
                    timeout=s.timeout,
                    local_hostname=s.local_hostname,
                    context=ssl_module.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(
                    s.host, s.port, timeout=s.timeout, local_hostname=s.local_hostname
                )
            smtp.ehlo_or_helo_if_needed()
            if s.starttls and not s.ssl:
                smtp.starttls(context=ssl_module.create_default_context())
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password)
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpSendError(
                f"cannot connect to {s.host}:{s.port}: {exc}", connection=True
            ) from exc
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def send(self, envelope_from: str, recipient: str, data: bytes) -> str:
        """Hand one message over; returns the server's answer to the final dot."""
        if self._smtp is None:
            self._smtp = self._connect()
        smtp = self._smtp
        try:
            code, reply = smtp.mail(envelope_from)
            if code != 250:
                self._rset()
                raise SmtpSendError(
                    f"MAIL FROM: {code} {reply.decode(errors='replace')}",
                    code=code,
                    permanent=code >= 500,
                )
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._rset()
                raise SmtpSendError(
                    f"RCPT TO: {code} {reply.decode(errors='replace')}",
                    code=code,
                    permanent=code >= 500,
                )
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                self._rset()
                raise SmtpSendError(
                    f"DATA: {code} {reply.decode(errors='replace')}",
                    code=code,
                    permanent=code >= 500,
                )
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            raise SmtpSendError(f"connection lost: {exc}", connection=True) from exc
        except OSError as exc:
            self._drop()
            raise SmtpSendError(f"connection error: {exc}", connection=True) from exc
        # From here on the server may accept the message at any moment.
        try:
            smtp.send(_dot_stuff(data))
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise SmtpSendError(
                f"connection lost after the message was handed over: {exc}",
                uncertain=True,
                connection=True,
            ) from exc
        text = reply.decode(errors="replace")
        if code != 250:
            raise SmtpSendError(f"end of data: {code} {text}", code=code, permanent=code >= 500)
        return f"{code} {text}"

    def _rset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
