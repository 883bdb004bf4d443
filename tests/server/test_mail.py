"""The outbox sender: .eml files, delivery to a real SMTP server on loopback, failures and retries, and no
mail sent twice by two senders at once. Also the French templates."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import OutboxMail
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.mail.sender import MailSender, parse_smtp_url
from tests.support import ServerHarness

FRENCH_SUBJECT = "Bienvenue sur Coffreo — votre accès à « Alto Intérim » est prêt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Collector:
    """An aiosmtpd handler keeping every envelope received."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=default_policy) for e in self.envelopes]  # type: ignore[misc]


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def queue_mails(server: ServerHarness, count: int, subject: str = FRENCH_SUBJECT) -> list[int]:
    with server.session() as s, s.begin():
        return [
            outbox.queue(
                s,
                kind="test",
                to=f"lea.martin{i}@example.fr",
                subject=subject,
                text=f"Bonjour Léa,\nVotre bulletin n° {i} est disponible.\n",
                html=f"<p>Bonjour Léa,</p><p>Votre bulletin n° {i} est disponible.</p>",
                now=server.clock(),
            ).id
            for i in range(count)
        ]


def mail(server: ServerHarness, mail_id: int) -> OutboxMail:
    with server.ctx.db.reader() as s:
        row = s.get(OutboxMail, mail_id)
        assert row is not None
        return row


def sender(server: ServerHarness, smtp_url: str | None = None, **kwargs: Any) -> MailSender:
    settings = dataclasses.replace(server.settings, smtp_url=smtp_url)
    return MailSender(server.ctx.db, settings, server.clock, **kwargs)


def test_pending_mail_is_written_as_parseable_eml_files_with_a_french_subject(
    empty_server: ServerHarness,
) -> None:
    ids = queue_mails(empty_server, 2)

    report = sender(empty_server).flush()

    assert report.sent == 2
    files = sorted(empty_server.settings.outbox_dir.glob("*.eml"))
    assert [f.name for f in files] == [f"20260316T093000Z-{i:08d}.eml" for i in ids]  # <created>-<id>.eml
    raw = files[0].read_bytes()
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n", 1)[0]  # RFC 2047: the header itself stays ASCII
    parsed = message_from_bytes(raw, policy=default_policy)
    assert parsed["Subject"] == FRENCH_SUBJECT
    assert parsed["To"] == "lea.martin0@example.fr"
    assert parsed["From"] == empty_server.settings.mail_from
    assert parsed["Message-ID"] and parsed["Date"]
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert plain is not None and "Votre bulletin n° 0 est disponible." in plain.get_content()
    assert html is not None and "<p>Bonjour Léa,</p>" in html.get_content()
    assert not list(empty_server.settings.outbox_dir.glob(".tmp-*"))
    assert all(mail(empty_server, i).sent_at == empty_server.clock() for i in ids)
    assert sender(empty_server).flush().sent == 0  # nothing is sent twice


def test_smtp_delivery_reaches_a_real_smtp_server(
    empty_server: ServerHarness, smtp: tuple[Collector, int]
) -> None:
    handler, port = smtp
    ids = queue_mails(empty_server, 3)

    report = sender(empty_server, f"smtp://127.0.0.1:{port}").flush()

    assert report.sent == 3
    assert sorted(e.rcpt_tos[0] for e in handler.envelopes) == [f"lea.martin{i}@example.fr" for i in range(3)]
    assert {e.mail_from for e in handler.envelopes} == {"ne-pas-repondre@coffreo.fr"}
    first = handler.messages()[0]
    assert first["Subject"] == FRENCH_SUBJECT
    assert "Bonjour Léa" in first.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert all(mail(empty_server, i).sent_at is not None for i in ids)
    assert not empty_server.settings.outbox_dir.exists()


def test_failing_smtp_leaves_the_mail_pending_then_it_is_retried_after_its_delay(
    empty_server: ServerHarness, smtp: tuple[Collector, int]
) -> None:
    handler, port = smtp
    (mail_id,) = queue_mails(empty_server, 1)
    closed = sender(empty_server, f"smtp://127.0.0.1:{free_port()}")

    report = closed.flush()

    row = mail(empty_server, mail_id)
    assert report.sent == 0 and report.transport_error
    assert row.sent_at is None
    assert row.attempts == 1
    assert "ConnectionRefused" in row.last_error
    assert outbox.error_text(row).startswith("ConnectionRefusedError")
    assert closed.flush(force=True).sent == 0  # too early: the retry delay is not over
    assert mail(empty_server, mail_id).attempts == 1

    empty_server.clock.advance(minutes=1, seconds=1)
    assert sender(empty_server, f"smtp://127.0.0.1:{port}").flush().sent == 1
    row = mail(empty_server, mail_id)
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert len(handler.envelopes) == 1


def test_a_mail_is_given_up_after_five_attempts(empty_server: ServerHarness) -> None:
    (mail_id,) = queue_mails(empty_server, 1)
    closed = sender(empty_server, f"smtp://127.0.0.1:{free_port()}")
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        closed.flush(force=True)
        empty_server.clock.advance(hours=3)

    row = mail(empty_server, mail_id)
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert row.sent_at is None


def test_two_senders_never_send_the_same_mail_twice(
    server: ServerHarness, smtp: tuple[Collector, int]
) -> None:
    handler, port = smtp
    ids = queue_mails(server, 40)
    senders = [sender(server, f"smtp://127.0.0.1:{port}", batch=100) for _ in range(2)]
    start = threading.Barrier(2)
    reports: list[Any] = []

    def run(s: MailSender) -> None:
        start.wait()
        reports.append(s.flush())

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    message_ids = [m["Message-ID"] for m in handler.messages()]
    assert len(message_ids) == 40
    assert len(set(message_ids)) == 40
    assert sum(r.sent for r in reports) == 40
    with server.ctx.db.reader() as s:
        attempts = s.scalars(select(OutboxMail.attempts).where(OutboxMail.id.in_(ids))).all()
    assert set(attempts) == {1}


def test_a_claim_succeeds_once_and_an_in_flight_mail_is_not_due(empty_server: ServerHarness) -> None:
    (mail_id,) = queue_mails(empty_server, 1)
    now = empty_server.clock()
    with empty_server.ctx.db.reader() as s:
        (seen,) = outbox.due(s, now)

    with empty_server.session() as s, s.begin():
        first = outbox.claim(s, seen, now=now, owner="sender-a")
    with empty_server.session() as s, s.begin():
        second = outbox.claim(s, seen, now=now, owner="sender-b")

    assert first is not None and first.id == mail_id and first.attempts == 1
    assert second is None
    with empty_server.ctx.db.reader() as s:
        assert outbox.due(s, now + timedelta(minutes=5)) == []
        # A sender that died mid-delivery: after the stale delay the mail is taken again.
        assert [c.id for c in outbox.due(s, now + outbox.STALE_CLAIM)] == [mail_id]


def test_smtp_urls_are_parsed_and_bad_ones_refused_in_french() -> None:
    target = parse_smtp_url("smtps://postmaster%40alto.fr:p%C3%A2ss@smtp.alto.fr")
    assert (target.host, target.port, target.tls, target.username, target.password) == (
        "smtp.alto.fr",
        465,
        True,
        "postmaster@alto.fr",
        "pâss",
    )
    assert parse_smtp_url("smtp://mail.local").port == 25
    with pytest.raises(ValueError, match="Adresse SMTP invalide"):
        parse_smtp_url("http://mail.local")


def test_invitation_template_is_french_with_the_link_the_token_and_the_brand_logo(
    empty_server: ServerHarness,
) -> None:
    logo = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    rendered = templates.invitation(
        empty_server.settings,
        email="lea@example.fr",
        first_name="Léa <b>",
        token="inv_abc",
        brand=templates.MailBrand("Alto Intérim", logo),
        inviter="Claire Moreau",
    )

    link = f"{empty_server.settings.links_base}/invitation/inv_abc"
    assert rendered.subject == "Bienvenue sur Coffreo — Alto Intérim"
    assert link in rendered.text and "inv_abc" in rendered.text
    assert "Bonjour Léa <b>," in rendered.text
    assert "Claire Moreau vous a ouvert un accès à Coffreo pour Alto Intérim" in rendered.text
    assert "valables 7 jours" in rendered.text
    assert f'href="{link}"' in rendered.html
    assert "Léa &lt;b&gt;" in rendered.html and "Léa <b>" not in rendered.html
    assert 'src="data:image/svg+xml;base64,' in rendered.html


def test_a_template_without_logo_shows_the_brand_name() -> None:
    rendered = templates.invitation(
        ServerSettings(data_dir=Path("/nonexistent")), email="a@b.fr", first_name="Ana", token="inv_x"
    )
    assert rendered.subject == "Bienvenue sur Coffreo"
    assert "data:image" not in rendered.html and ">Coffreo</span>" in rendered.html
    assert "Votre administrateur vous a ouvert un accès à Coffreo," in rendered.text


@pytest.mark.parametrize(
    ("kind", "token"),
    [
        ("vault_invitation", "act_" + "a1B2" * 8),
        ("client_invitation", "act_" + "c3D4" * 8),
        ("export_ready", "exp_" + "e5F6" * 8),
    ],
)
def test_a_sent_mail_with_a_one_time_link_keeps_no_token(
    empty_server: ServerHarness, kind: str, token: str
) -> None:
    with empty_server.session() as s, s.begin():
        mail_id = outbox.queue(
            s,
            kind=kind,
            to="lea.martin@example.fr",
            subject=FRENCH_SUBJECT,
            text=f"Votre lien : https://coffreo.example/x/{token}\n",
            html=f'<a href="https://coffreo.example/x/{token}">Ouvrir</a>',
            now=empty_server.clock(),
        ).id
    assert sender(empty_server).flush(force=True).sent == 1
    kept = mail(empty_server, mail_id)
    assert kept.sent_at is not None
    assert token not in kept.body_text and token not in kept.body_html
    assert outbox.TOKEN_REMOVED in kept.body_text
