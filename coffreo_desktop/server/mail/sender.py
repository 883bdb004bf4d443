"""The outbox sender: builds MIME messages and delivers them by SMTP, or as .eml files in the outbox folder.

Each mail is claimed in its own short transaction (see outbox.claim) and delivered outside any
transaction, so a slow SMTP server never holds a database lock and two senders never send one mail twice.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.engine import Database
from coffreo_desktop.server.mail import outbox
from coffreo_desktop.server.mail.outbox import ClaimedMail

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 30.0
#: After a transport failure (server down), wait this long before the next flush tries again.
TRANSPORT_PAUSE = 60.0


class TransportError(Exception):
    """The transport itself failed (connection, authentication): stop the batch, the next would fail too."""


def build_message(mail: ClaimedMail, settings: ServerSettings) -> EmailMessage:
    """A standard MIME message: UTF-8 headers encoded per RFC 2047, text and optional HTML alternative."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_addr
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "coffreo.local"
    # Stable across retries, so a recipient's server can drop a duplicate after a crash mid-delivery.
    message["Message-ID"] = f"<outbox.{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a notification
    message.set_content(mail.body_text, cte="quoted-printable")
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html", cte="quoted-printable")
    return message


def eml_name(mail: ClaimedMail) -> str:
    return f"{mail.created_at:%Y%m%dT%H%M%SZ}-{mail.id:08d}.eml"


class Transport(Protocol):
    def send(self, mail: ClaimedMail, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class EmlTransport:
    """One .eml file per mail in the outbox folder, written atomically (temporary file, fsync, rename).

    The name depends only on the mail, so delivering a mail again after a crash rewrites the same file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mail: ClaimedMail, message: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
        except OSError as exc:
            raise TransportError(f"outbox folder {self.folder}: {exc}") from exc
        try:
            with os.fdopen(fd, "wb") as handle:  # mkstemp: readable by the owner only (links carry tokens)
                handle.write(message.as_bytes(policy=SMTP))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.folder / eml_name(mail))
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise TransportError(f"writing {eml_name(mail)}: {exc}") from exc

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: bool  # smtps://: TLS from the first byte; smtp://: STARTTLS when the server offers it
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://user:password@host:port or smtps://...; raises ValueError with a French message."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(
            f"Adresse SMTP invalide : « {url} ». Forme attendue : smtp://utilisateur:mot-de-passe@hôte:port "
            "ou smtps://… pour TLS."
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ValueError(f"Port SMTP invalide dans « {url} ».") from None
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return SmtpTarget(parts.hostname, port, parts.scheme == "smtps", user, password)


class SmtpTransport:
    """One SMTP connection per flush, opened at the first mail; any connection-level error ends the batch."""

    def __init__(self, target: SmtpTarget, envelope_from: str, timeout: float = SMTP_TIMEOUT) -> None:
        self.target = target
        self.envelope_from = envelope_from
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        t = self.target
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if t.tls:
            smtp = smtplib.SMTP_SSL(t.host, t.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(t.host, t.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if not t.tls and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if t.username:
                smtp.login(t.username, t.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, mail: ClaimedMail, message: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message, from_addr=self.envelope_from, to_addrs=[mail.to_addr])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused):
            raise  # this mail is refused; the connection is still good for the next ones
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TransportError(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


@dataclass(frozen=True)
class FlushReport:
    sent: int = 0
    failed: int = 0
    transport_error: str = ""


class MailSender:
    """Delivers the outbox. One instance per process (it remembers a transport outage to pause after it)."""

    def __init__(
        self,
        db: Database,
        settings: ServerSettings,
        clock: Callable[[], datetime],
        *,
        batch: int = 50,
        transport_factory: Callable[[], Transport] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.batch = batch
        self.transport_factory = transport_factory or self._default_transport
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def _default_transport(self) -> Transport:
        if self.settings.smtp_url:
            envelope_from = parseaddr(self.settings.mail_from)[1]
            return SmtpTransport(parse_smtp_url(self.settings.smtp_url), envelope_from)
        return EmlTransport(self.settings.outbox_dir)

    def flush(self, *, ids: Iterable[int] | None = None, force: bool = False) -> FlushReport:
        """Deliver what is due now (optionally only ``ids``). ``force`` ignores the pause after an outage."""
        if not force and time.monotonic() < self._paused_until:
            return FlushReport()
        with self.db.reader() as session:
            candidates = outbox.due(session, self.clock(), limit=self.batch, ids=ids)
        if not candidates:
            return FlushReport()
        owner = f"{self.owner}:{threading.get_ident()}"
        sent = failed = 0
        transport = self.transport_factory()
        try:
            for candidate in candidates:
                with self.db.writer() as session, session.begin():
                    mail = outbox.claim(session, candidate, now=self.clock(), owner=owner)
                if mail is None:
                    continue  # another sender took it
                try:
                    transport.send(mail, build_message(mail, self.settings))
                except TransportError as exc:
                    self._record_failure(mail, str(exc))
                    with self._lock:
                        self._paused_until = time.monotonic() + TRANSPORT_PAUSE
                    log.warning("mail transport failed, pausing: %s", exc)
                    return FlushReport(sent, failed + 1, str(exc))
                except Exception as exc:  # this mail only (refused recipient, bad content)
                    self._record_failure(mail, f"{type(exc).__name__}: {exc}")
                    failed += 1
                    continue
                with self.db.writer() as session, session.begin():
                    outbox.mark_sent(session, mail.id, now=self.clock())
                sent += 1
        finally:
            transport.close()
        return FlushReport(sent, failed)

    def _record_failure(self, mail: ClaimedMail, error: str) -> None:
        with self.db.writer() as session, session.begin():
            outbox.mark_failed(session, mail.id, error, now=self.clock())
        if mail.attempts >= outbox.MAX_ATTEMPTS:
            log.error("mail %s abandoned after %s attempts: %s", mail.id, mail.attempts, error)
