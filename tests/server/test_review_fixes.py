"""Concurrency and hardening of the backend: a refresh token redeemed once even when raced, login throttling
that parallel requests cannot beat, per-address counting across successes, invitation tokens kept out of the
outbox after sending, the audit chain's first writers, the grant constraints, pruning, hidden parameters."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any, TypeVar

import pytest
from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.exc import IntegrityError

from coffreo_desktop.domain import limits
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import (
    Agency,
    AuditHead,
    AuthSession,
    Invitation,
    LoginAttempt,
    OutboxMail,
    RightGrant,
)
from coffreo_desktop.server.jobs import JobRunner, default_jobs
from coffreo_desktop.server.mail.sender import MailSender
from coffreo_desktop.server.services import audit, auth, staff
from coffreo_desktop.server.services.audit import Actor
from tests.support import PASSWORD, ServerHarness

T = TypeVar("T")
TOKEN, REFRESH = "/api/v1/auth/token", "/api/v1/auth/refresh"


def login(server: ServerHarness, email: str, password: str = PASSWORD) -> Any:
    return server.client.post(TOKEN, json={"email": email, "password": password})


def in_parallel(count: int, call: Callable[[int], T]) -> list[T]:
    """``call(0..count-1)`` from ``count`` threads released together."""
    start = threading.Barrier(count)

    def run(index: int) -> T:
        start.wait(timeout=30)
        return call(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@contextmanager
def meet_before(server: ServerHarness, statement_prefix: str, parties: int) -> Iterator[None]:
    """Hold each thread at its first statement starting with ``statement_prefix`` until ``parties`` are there.

    Forces the interleaving a race needs (everyone has read, nobody has written yet) on PostgreSQL.
    """
    barrier, seen = threading.Barrier(parties), threading.local()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(statement_prefix) and not getattr(seen, "met", False):
            seen.met = True
            barrier.wait(timeout=20)

    event.listen(server.ctx.db.engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(server.ctx.db.engine, "before_cursor_execute", before)


# -- 1. refresh tokens ---------------------------------------------------------------------------------


def test_a_refresh_token_raced_by_two_requests_gives_one_pair_and_ends_the_session(
    server: ServerHarness,
) -> None:
    user_id = server.make_user("claire@exemple.fr")
    tokens = login(server, "claire@exemple.fr").json()

    def redeem(_: int) -> Any:
        return server.client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})

    if server.ctx.db.is_sqlite:
        # BEGIN IMMEDIATE already runs the two requests one after the other: no interleaving to force.
        results = in_parallel(2, redeem)
    else:
        with meet_before(server, "UPDATE auth_tokens SET used_at", parties=2):
            results = in_parallel(2, redeem)

    assert sorted(r.status_code for r in results) == [200, 401], [r.text for r in results]
    loser = next(r for r in results if r.status_code == 401)
    assert loser.json()["code"] == "invalid_refresh_token"
    winner = next(r for r in results if r.status_code == 200).json()
    # The second redemption is a reuse: the whole session ends, the winner's fresh pair with it.
    headers = {"Authorization": f"Bearer {winner['access_token']}"}
    assert server.client.get("/api/v1/me", headers=headers).status_code == 401
    with server.ctx.db.reader() as s:
        revoked = s.scalars(select(AuthSession.revoked_at).where(AuthSession.user_id == user_id)).one()
    assert revoked is not None


# -- 2, 3. login throttling ----------------------------------------------------------------------------


def test_parallel_wrong_passwords_cannot_beat_the_login_throttle(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")

    results = in_parallel(20, lambda _: login(server, "claire@exemple.fr", "mauvais"))

    codes = Counter(r.status_code for r in results)
    assert codes[401] <= limits.LOGIN_FAILURES_BEFORE_THROTTLE, codes
    assert codes[401] + codes[429] == 20, codes
    with server.ctx.db.reader() as s:
        checked = s.scalar(select(func.count()).where(LoginAttempt.email == "claire@exemple.fr"))
    assert checked == codes[401]  # only the passwords actually checked are recorded


def test_a_valid_login_does_not_reset_the_failures_counted_per_address(
    server: ServerHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "ADDRESS_FAILURES_BEFORE_THROTTLE", 6)
    server.make_user("complice@exemple.fr")
    # Password spraying with one valid account of its own: each success used to wipe the address count.
    for index in range(6):
        assert login(server, "complice@exemple.fr").status_code == 200
        assert login(server, f"cible{index}@exemple.fr", "Printemps2026").status_code == 401

    sprayed = login(server, "autre-cible@exemple.fr", "Printemps2026")
    assert sprayed.status_code == 429 and sprayed.json()["code"] == "login_throttled"
    server.clock.advance(minutes=16)  # the window is over: the address may try again
    assert login(server, "complice@exemple.fr").status_code == 200


def test_a_valid_login_still_resets_the_failures_counted_per_email(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")
    for _ in range(limits.LOGIN_FAILURES_BEFORE_THROTTLE - 1):
        assert login(server, "claire@exemple.fr", "mauvais").status_code == 401
    assert login(server, "claire@exemple.fr").status_code == 200
    for _ in range(limits.LOGIN_FAILURES_BEFORE_THROTTLE - 1):
        assert login(server, "claire@exemple.fr", "mauvais").status_code == 401
    assert login(server, "claire@exemple.fr").status_code == 200


# -- 5b. invitation tokens in the outbox ---------------------------------------------------------------


def test_a_sent_invitation_keeps_no_usable_token_in_the_outbox(server: ServerHarness) -> None:
    with server.session() as s, s.begin():
        invited = staff.invite_staff(
            s,
            actor=Actor.system(),
            email="camille.petit@exemple.fr",
            first_name="Camille",
            last_name="Petit",
            grants={server.agency_id("PAR11"): [Right.DIFFUSION]},
            settings=server.settings,
            now=server.clock(),
        )
        token, mail_id = invited.token, invited.mail_id
    with server.ctx.db.reader() as s:
        queued = s.get(OutboxMail, mail_id)
        assert queued is not None and token in queued.body_text  # needed until it leaves

    report = MailSender(server.ctx.db, server.settings, server.clock).flush(ids=[mail_id], force=True)

    assert report.sent == 1
    with server.ctx.db.reader() as s:
        sent = s.get(OutboxMail, mail_id)
        assert sent is not None and sent.sent_at is not None
        for body in (sent.body_text, sent.body_html):
            assert token not in body and "[lien retiré après envoi]" in body
    # The link lives on in the recipient's mailbox only (here, the .eml written by the sender).
    (eml,) = server.settings.outbox_dir.glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    text_part = message.get_body(("plain",))
    assert text_part is not None and token in text_part.get_content()


def test_other_mails_keep_their_body_once_sent(server: ServerHarness) -> None:
    body = {
        "email": "jeanne@exemple.fr",
        "subject": "Question",
        "message": "Mon code inv_abcdefghijklmnopqrstuvwx",
    }
    assert server.client.post("/api/v1/support/messages", json=body).status_code == 202
    assert MailSender(server.ctx.db, server.settings, server.clock).flush(force=True).sent >= 1
    with server.ctx.db.reader() as s:
        mail = s.scalars(select(OutboxMail).where(OutboxMail.kind == "support")).one()
    assert mail.sent_at is not None and "inv_abcdefghijklmnopqrstuvwx" in mail.body_text


# -- 6. the audit chain's first writers ----------------------------------------------------------------


def append_in_parallel(server: ServerHarness, count: int) -> list[int]:
    def append(index: int) -> int:
        with server.session() as s, s.begin():
            return audit.record(s, Actor.system(), "test.appended", "test", index).id

    return in_parallel(count, append)


def test_the_migration_seeds_the_audit_head(empty_server: ServerHarness) -> None:
    with empty_server.ctx.db.reader() as s:
        head = s.get(AuditHead, 1)
    assert head is not None and (head.last_id, head.last_hash) == (0, audit.GENESIS)


def test_first_audit_events_written_at_once_on_an_empty_database_form_one_chain(
    empty_server: ServerHarness,
) -> None:
    ids = append_in_parallel(empty_server, 8)

    assert sorted(ids) == list(range(1, 9))
    with empty_server.ctx.db.reader() as s:
        result = audit.verify(s)
    assert result.ok and result.checked == 8


def test_a_missing_audit_head_is_recreated_once_by_concurrent_writers(empty_server: ServerHarness) -> None:
    with empty_server.session() as s, s.begin():
        s.execute(delete(AuditHead))

    ids = append_in_parallel(empty_server, 8)

    assert sorted(ids) == list(range(1, 9))
    with empty_server.ctx.db.reader() as s:
        assert audit.verify(s).ok


# -- 7. constraints, indexes, pruning ------------------------------------------------------------------


def test_a_duplicate_grant_is_refused_by_the_database(server: ServerHarness) -> None:
    agency = server.agency_id("PAR11")
    with server.ctx.db.reader() as s:
        brand = s.scalars(select(Agency.brand_id).where(Agency.id == agency)).one()
    user = server.make_user(
        "claire@exemple.fr", {"PAR11": (Right.ADMIN,)}, brand_rights={brand: (Right.DIFFUSION,)}
    )

    def grant(right: Right, **target: int) -> None:
        with server.session() as s, s.begin():
            s.add(RightGrant(user_id=user, right=right, created_at=server.clock(), **target))

    with pytest.raises(IntegrityError):
        grant(right=Right.ADMIN, agency_id=agency)
    with pytest.raises(IntegrityError):
        grant(right=Right.DIFFUSION, brand_id=brand)
    grant(right=Right.DIFFUSION, agency_id=agency)  # another right, or the same on another target: fine
    grant(right=Right.ADMIN, brand_id=brand)


def test_lookups_by_recipient_and_by_address_have_indexes(server: ServerHarness) -> None:
    inspector = inspect(server.ctx.db.engine)

    def indexed(table: str) -> set[tuple[str, ...]]:
        return {tuple(i["column_names"]) for i in inspector.get_indexes(table)}  # type: ignore[arg-type]

    assert {("employee_id",), ("client_id",), ("client_user_id",)} <= indexed("deliveries")
    assert ("client_address", "at") in indexed("login_attempts")


def test_login_attempts_older_than_30_days_are_pruned_by_a_daily_job(server: ServerHarness) -> None:
    now = server.clock()
    with server.session() as s, s.begin():
        s.add_all(
            LoginAttempt(
                email=f"{age}@exemple.fr", client_address="203.0.113.9", at=now - timedelta(days=age)
            )
            for age in (45, 31, 29, 1)
        )

    ran = JobRunner(server.ctx, default_jobs(server.ctx)).run_due()

    assert "auth.prune_login_attempts" in ran
    with server.ctx.db.reader() as s:
        left = set(s.scalars(select(LoginAttempt.email).where(LoginAttempt.client_address == "203.0.113.9")))
    assert left == {"29@exemple.fr", "1@exemple.fr"}


# -- 8. no parameters in database errors ---------------------------------------------------------------


def test_database_errors_do_not_repeat_the_values_sent(server: ServerHarness) -> None:
    secret = "inv_ce-jeton-ne-doit-pas-apparaitre"
    with pytest.raises(IntegrityError) as info, server.session() as s, s.begin():
        s.add(
            Invitation(
                user_id=987654321,  # no such user: a foreign key error
                token_hash=secret,
                created_at=server.clock(),
                expires_at=server.clock(),
            )
        )
    assert secret not in str(info.value)
    assert "parameters hidden" in str(info.value)
