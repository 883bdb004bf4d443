"""Advance mails received by a real SMTP server on loopback (aiosmtpd): the worker's "Réponse à votre demande
d'acompte" with its "Je consulte la réponse !" link, and the 11:00 digest (F5.5): its time in Europe/Paris
across daylight-saving changes, its content (per agency and in all), its recipients (active staff with DA
on an agency with waiting requests, by agency or brand grant), once a day with two scheduler instances on
one database, and one catch-up run after a late start."""

from __future__ import annotations

import dataclasses
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import (
    AdvanceRequest,
    Agency,
    Employee,
    JobRun,
    OutboxMail,
    RightGrant,
    StaffUser,
)
from coffreo_desktop.server.jobs import JobRunner, KeyedJob, default_jobs
from coffreo_desktop.server.mail.sender import MailSender
from coffreo_desktop.server.services import advance_mails
from tests.server.recipient_helpers import activate, add_employee
from tests.server.test_advances_recipient import add_worker, ask
from tests.server.test_mail import Collector, smtp  # noqa: F401  (the aiosmtpd fixture)
from tests.support import ServerHarness

RECIPIENT_URL = "/api/v1/recipient/advances"
WORKER = "ines.moreau@example.fr"


def deliver(server: ServerHarness, port: int, ids: list[int]) -> None:
    settings = dataclasses.replace(server.settings, smtp_url=f"smtp://127.0.0.1:{port}")
    report = MailSender(server.ctx.db, settings, server.clock).flush(ids=ids)
    assert report.sent == len(ids)


def mails(server: ServerHarness, kind: str) -> list[OutboxMail]:
    with server.session() as s:
        return list(s.scalars(select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)))


# -- the answer mail ---------------------------------------------------------------------------------


def answer(
    server: ServerHarness, request_id: int, state: AdvanceState, granted: int | None, comment: str
) -> int:
    """What the agency's decision does to the row, then the answer mail queued in the same transaction."""
    with server.session() as s, s.begin():
        row = s.get(AdvanceRequest, request_id)
        assert row is not None
        row.state, row.granted_cents, row.decision_comment = state, granted, comment
        row.decided_at, row.version = server.clock(), row.version + 1
        s.flush()
        mail = advance_mails.queue_answered(s, server.settings, row, server.clock())
        assert mail is not None
        return mail.id


@pytest.mark.parametrize(
    ("amount", "state", "granted", "sentence"),
    [
        (
            "300",
            AdvanceState.ACCEPTED,
            30_000,
            "Alto Lyon Part-Dieu a accepté votre demande d'acompte : 300,00",
        ),
        (
            "300",
            AdvanceState.ACCEPTED,
            12_050,
            "Alto Lyon Part-Dieu a accepté partiellement votre demande d'acompte : 120,50\u00a0€ accordés "
            "sur 300,00\u00a0€ demandés.",
        ),
        (None, AdvanceState.ACCEPTED, 40_000, "a accepté votre demande d'acompte : 400,00\u00a0€ vous sont"),
        ("300", AdvanceState.REFUSED, None, "Alto Lyon Part-Dieu a refusé votre demande d'acompte (300,00"),
    ],
)
def test_the_worker_receives_the_answer_with_a_link_to_their_space(
    server: ServerHarness,
    smtp: tuple[Collector, int],  # noqa: F811
    amount: str | None,
    state: AdvanceState,
    granted: int | None,
    sentence: str,
) -> None:
    handler, port = smtp
    headers = add_worker(server, WORKER, "LYO")
    request = ask(server, headers, "LYO", amount).json()
    comment = "Versement par virement sous 48 heures <merci>."

    deliver(server, port, [answer(server, request["id"], state, granted, comment)])

    (message,) = handler.messages()
    assert message["To"] == WORKER
    assert message["Subject"] == "Réponse à votre demande d'acompte"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    link = f"{server.settings.links_base}/coffre/acomptes/{request['id']}"
    assert text.startswith("Bonjour Inès,")
    assert sentence in text
    assert f"Commentaire de l'agence : « {comment} »" in text
    assert f"Je consulte la réponse !\n{link}\n" in text
    assert re.search(rf'<a href="{re.escape(link)}"[^>]*>Je consulte la réponse !</a>', html)
    assert "&lt;merci&gt;" in html and "<merci>" not in html
    assert "Alto Intérim" in html  # the brand's name atop the mail (its logo when the operator uploaded one)


def test_a_partial_acceptance_through_the_agency_decision_mails_the_worker_who_then_cannot_cancel(
    server: ServerHarness,
    smtp: tuple[Collector, int],  # noqa: F811
) -> None:
    handler, port = smtp
    worker = add_worker(server, WORKER, "LYO")
    request = ask(server, worker, "LYO", "300", comment="Réparation de ma voiture").json()
    server.make_user("acomptes.lyon@exemple.fr", {"LYO": (Right.ACOMPTES,)})
    staff = server.login("acomptes.lyon@exemple.fr")

    decided = server.client.post(
        f"/api/v1/advances/{request['id']}/decision",
        headers=staff,
        json={"decision": "accept", "amount": "120,50", "comment": "Plafond de la période", "version": 1},
    )

    assert decided.status_code == 200, decided.text
    (mail,) = mails(server, advance_mails.MAIL_ANSWERED)
    deliver(server, port, [mail.id])
    (message,) = handler.messages()
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert message["To"] == WORKER
    assert (
        "a accepté partiellement votre demande d'acompte : 120,50\u00a0€ accordés sur 300,00\u00a0€" in text
    )
    assert "Commentaire de l'agence : « Plafond de la période »" in text
    assert f"{server.settings.links_base}/coffre/acomptes/{request['id']}" in text
    (listed,) = server.client.get(RECIPIENT_URL, headers=worker).json()["items"]
    assert (listed["state"], listed["granted_cents"], listed["decision_comment"]) == (
        "accepted",
        12_050,
        "Plafond de la période",
    )
    cancel = server.client.post(f"{RECIPIENT_URL}/{request['id']}/cancel", headers=worker)
    assert (cancel.status_code, cancel.json()["code"]) == (409, "already_answered")


def test_a_worker_without_vault_access_gets_a_link_that_activates_it(
    server: ServerHarness,
    smtp: tuple[Collector, int],  # noqa: F811
) -> None:
    handler, port = smtp
    worker = add_employee(server, "W900", "sans.compte@example.fr", agency_code="LYO")
    with server.session() as s, s.begin():
        row = AdvanceRequest(employee_id=worker, agency_id=server.agency_id("LYO"), created_at=server.clock())
        s.add(row)
        s.flush()
        request_id = row.id

    mail_id = answer(server, request_id, AdvanceState.REFUSED, None, "Aucune heure déclarée")
    deliver(server, port, [mail_id])

    (message,) = handler.messages()
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    token = re.search(r"/coffre/activation/(act_[A-Za-z0-9_-]+)", text)
    assert token is not None and "Je consulte la réponse !" in text
    assert "activez votre coffre-fort numérique" in text
    assert activate(server, token.group(1)).status_code == 204  # the link really opens the vault
    kept = [m for m in mails(server, "vault_invitation") if m.id == mail_id]
    assert kept and token.group(1) not in kept[0].body_text  # the stored copy lost its one-time token


def test_no_answer_mail_for_a_worker_without_email(server: ServerHarness) -> None:
    headers = add_worker(server, WORKER, "LYO")
    request = ask(server, headers, "LYO", "100").json()
    with server.session() as s, s.begin():
        s.execute(update(Employee).where(Employee.email == WORKER).values(email=""))
        row = s.get(AdvanceRequest, request["id"])
        assert advance_mails.queue_answered(s, server.settings, row, server.clock()) is None  # type: ignore[arg-type]


# -- the digest --------------------------------------------------------------------------------------

PENDING = {"PAR11": 3, "LYO": 2, "NAN": 1}  # waiting requests per agency; GRE has only answered ones


def digest_job(ctx: AppContext) -> KeyedJob:
    (job,) = [j for j in default_jobs(ctx) if j.name == "advances.digest"]
    assert isinstance(job, KeyedJob)
    return job


@pytest.fixture
def digest_world(server: ServerHarness) -> dict[str, int]:
    """The demo's requests and DA grants replaced by known ones; returns staff ids by email."""
    now = server.clock()
    with server.session() as s, s.begin():
        s.execute(delete(RightGrant).where(RightGrant.right == Right.ACOMPTES))
        s.execute(delete(AdvanceRequest))
        workers = list(s.scalars(select(Employee.id).order_by(Employee.id).limit(10)))
        codes = [c for c, n in PENDING.items() for _ in range(n)]
        for worker, code in zip(workers, codes, strict=False):
            s.add(
                AdvanceRequest(
                    employee_id=worker, agency_id=server.agency_id(code), amount_cents=5_000, created_at=now
                )
            )
        s.add(
            AdvanceRequest(
                employee_id=workers[-1],
                agency_id=server.agency_id("GRE"),
                state=AdvanceState.REFUSED,
                created_at=now,
            )
        )
        brand = s.scalars(select(Agency.brand_id).where(Agency.code == "LYO")).one()
    users = {
        "lyon@exemple.fr": server.make_user("lyon@exemple.fr", {"LYO": (Right.ACOMPTES,)}),
        "marque@exemple.fr": server.make_user("marque@exemple.fr", brand_rights={brand: (Right.ACOMPTES,)}),
        "double@exemple.fr": server.make_user(
            "double@exemple.fr",
            {"NAN": (Right.ACOMPTES, Right.ADMIN)},
            brand_rights={brand: (Right.ACOMPTES,)},
        ),
        "grenoble@exemple.fr": server.make_user("grenoble@exemple.fr", {"GRE": (Right.ACOMPTES,)}),
        "parti@exemple.fr": server.make_user("parti@exemple.fr", {"LYO": (Right.ACOMPTES,)}),
        "diffusion@exemple.fr": server.make_user(
            "diffusion@exemple.fr", {"LYO": (Right.DIFFUSION, Right.ADMIN)}
        ),
    }
    with server.session() as s, s.begin():
        s.execute(update(StaffUser).where(StaffUser.email == "parti@exemple.fr").values(active=False))
    return users


def at_paris(day: str, hhmm: str, utc_offset: int) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC) - timedelta(
        hours=utc_offset
    )


def digests(server: ServerHarness) -> dict[str, OutboxMail]:
    found = mails(server, advance_mails.MAIL_DIGEST)
    assert len({m.to_addr for m in found}) == len(found), "a user received two digests"
    return {m.to_addr: m for m in found}


def test_the_digest_goes_to_active_da_staff_with_the_count_per_agency(
    server: ServerHarness,
    digest_world: dict[str, int],
    smtp: tuple[Collector, int],  # noqa: F811
) -> None:
    handler, port = smtp
    server.clock.now = at_paris("2026-03-16", "11:00", 1)
    runner = JobRunner(server.ctx, [digest_job(server.ctx)])

    assert runner.run_due() == ["advances.digest"]

    sent = digests(server)
    # Not "grenoble" (nothing waits at GRE), not "parti" (inactive), not "diffusion" (no DA).
    assert set(sent) == {"lyon@exemple.fr", "marque@exemple.fr", "double@exemple.fr"}
    assert sent["lyon@exemple.fr"].subject == "2 demandes d'acompte à traiter"
    assert "- Alto Lyon Part-Dieu : 2 demandes" in sent["lyon@exemple.fr"].body_text
    assert "Nanterre" not in sent["lyon@exemple.fr"].body_text
    brand_text = sent["marque@exemple.fr"].body_text
    assert sent["marque@exemple.fr"].subject == "6 demandes d'acompte à traiter"
    assert "6 demandes d'acompte attendent votre traitement :\n" in brand_text
    lines = [line for line in brand_text.splitlines() if line.startswith("- ")]
    assert lines == [
        "- Alto Lyon Part-Dieu : 2 demandes",
        "- Alto Nanterre : 1 demande",
        "- Alto Paris 11e : 3 demandes",
    ]
    assert sent["double@exemple.fr"].body_text == brand_text  # one mail, its agencies once
    assert "<li>Alto Paris 11e : <strong>3 demandes</strong></li>" in sent["marque@exemple.fr"].body_html
    assert "Alto Intérim" in sent["marque@exemple.fr"].body_html

    deliver(server, port, [m.id for m in sent.values()])
    received = {m["To"]: m for m in handler.messages()}
    assert set(received) == set(sent)
    body = received["marque@exemple.fr"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "- Alto Paris 11e : 3 demandes" in body


def test_nobody_gets_a_digest_when_nothing_waits(server: ServerHarness, digest_world: dict[str, int]) -> None:
    with server.session() as s, s.begin():
        s.execute(update(AdvanceRequest).values(state=AdvanceState.CANCELLED))
    server.clock.now = at_paris("2026-03-16", "11:00", 1)

    assert JobRunner(server.ctx, [digest_job(server.ctx)]).run_due() == ["advances.digest"]

    assert digests(server) == {}


@pytest.mark.parametrize(
    ("day", "utc_offset"),
    [
        ("2026-03-28", 1),  # the last winter day: 11:00 in Paris is 10:00 UTC
        ("2026-03-29", 2),  # summer time from 02:00 that night: 11:00 in Paris is 09:00 UTC
        ("2026-10-24", 2),
        ("2026-10-25", 1),  # back to winter time at 03:00 that night: 10:00 UTC
    ],
)
def test_the_digest_runs_at_eleven_in_paris_across_daylight_saving_changes(
    server: ServerHarness, digest_world: dict[str, int], day: str, utc_offset: int
) -> None:
    runner = JobRunner(server.ctx, [digest_job(server.ctx)])
    eleven = at_paris(day, "11:00", utc_offset)
    assert eleven.hour == 11 - utc_offset

    server.clock.now = eleven - timedelta(seconds=1)
    assert runner.run_due(force=True) == []
    server.clock.now = eleven
    assert runner.run_due(force=True) == ["advances.digest"]
    server.clock.now = eleven + timedelta(hours=3)
    assert runner.run_due(force=True) == []

    assert len(digests(server)) == 3
    with server.session() as s:
        keys = s.scalars(select(JobRun.run_key).where(JobRun.job == "advances.digest")).all()
    assert keys == [day]


def test_two_schedulers_on_one_database_send_the_digest_once_a_day(
    server: ServerHarness, digest_world: dict[str, int]
) -> None:
    other = AppContext.build(server.settings)  # a second server process on the same database
    other.clock = server.clock
    runners = [JobRunner(server.ctx, [digest_job(server.ctx)]), JobRunner(other, [digest_job(other)])]
    try:
        for day, offset in [("2026-03-16", 1), ("2026-03-17", 1)]:
            server.clock.now = at_paris(day, "11:00", offset)
            barrier = Barrier(2)

            def run(runner: JobRunner, barrier: Barrier = barrier) -> list[str]:
                barrier.wait()
                return runner.run_due(force=True)

            with ThreadPoolExecutor(2) as pool:
                ran = list(pool.map(run, runners))
            assert sorted(ran) == [[], ["advances.digest"]]
            server.clock.advance(minutes=30)
            assert [r.run_due(force=True) for r in runners] == [[], []]
    finally:
        other.db.dispose()

    found = mails(server, advance_mails.MAIL_DIGEST)
    assert sorted(m.to_addr for m in found) == sorted(
        ["lyon@exemple.fr", "marque@exemple.fr", "double@exemple.fr"] * 2
    )


def test_a_late_start_catches_up_once_then_keeps_the_eleven_oclock_rhythm(
    server: ServerHarness, digest_world: dict[str, int]
) -> None:
    runner = JobRunner(server.ctx, [digest_job(server.ctx)])

    server.clock.now = at_paris("2026-03-16", "15:00", 1)  # the server was down at 11:00
    assert runner.run_due(force=True) == ["advances.digest"]
    server.clock.now = at_paris("2026-03-16", "15:01", 1)
    assert runner.run_due(force=True) == []
    server.clock.now = at_paris("2026-03-16", "23:59", 1)
    assert runner.run_due(force=True) == []
    assert len(digests(server)) == 3

    server.clock.now = at_paris("2026-03-17", "10:59", 1)
    assert runner.run_due(force=True) == []
    server.clock.now = at_paris("2026-03-17", "11:00", 1)
    assert runner.run_due(force=True) == ["advances.digest"]
    assert len(mails(server, advance_mails.MAIL_DIGEST)) == 6


def test_a_failed_digest_queues_nothing_and_is_tried_again(
    server: ServerHarness, digest_world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    server.clock.now = at_paris("2026-03-16", "11:00", 1)
    job = digest_job(server.ctx)

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("gabarit illisible")

    monkeypatch.setattr(advance_mails.templates, "render", broken)
    assert JobRunner(server.ctx, [job]).run_due() == []
    assert digests(server) == {}

    monkeypatch.undo()
    assert JobRunner(server.ctx, [job]).run_due() == ["advances.digest"]
    assert len(digests(server)) == 3
