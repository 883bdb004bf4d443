"""F5.7: two staff members can never both process the same request. Two decisions sent at the same
moment from two threads, against the real backend (SQLite and PostgreSQL): exactly one wins (200), the
other is told who processed it (409 already_processed); the compare-and-bump alone refuses a decision on
a view read before a colleague's commit; the worker's real cancel route races a decision the same way."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest, AuditEvent, Employee, OutboxMail
from coffreo_desktop.server.errors import ProblemError
from coffreo_desktop.server.services import advances as service
from coffreo_desktop.server.services.audit import Actor
from tests.server.advance_helpers import (
    URL,
    add_request,
    cancel_as_worker,
    da_user,
    new_worker,
    request_row,
    worker_login,
)
from tests.support import ServerHarness

ROUNDS = 6


def race(
    server: ServerHarness, calls: list[tuple[dict[str, str], dict[str, Any]]], request_id: int
) -> list[Any]:
    """Send every decision at once (a barrier releases the threads together); the responses in order."""
    barrier = threading.Barrier(len(calls))
    responses: list[Any] = [None] * len(calls)

    def send(index: int, headers: dict[str, str], body: dict[str, Any]) -> None:
        barrier.wait()
        responses[index] = server.client.post(f"{URL}/{request_id}/decision", json=body, headers=headers)

    threads = [threading.Thread(target=send, args=(i, h, b)) for i, (h, b) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def counts(server: ServerHarness, request_id: int) -> tuple[int, int]:
    with server.ctx.db.reader() as s:
        audited = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.target_type == "advance_request", AuditEvent.target_id == str(request_id))
        )
        email = s.scalar(
            select(Employee.email)
            .join(AdvanceRequest, AdvanceRequest.employee_id == Employee.id)
            .where(AdvanceRequest.id == request_id)
        )
        mails = s.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.to_addr == email))
    return int(audited or 0), int(mails or 0)


def test_two_concurrent_decisions_exactly_one_wins(server: ServerHarness) -> None:
    claire = da_user(server, "claire@exemple.fr", "LYO")
    paul = da_user(server, "paul@exemple.fr", "LYO")
    for round_ in range(ROUNDS):
        worker, _ = new_worker(server, "LYO")
        request_id = add_request(server, worker, "LYO", amount_cents=10000)
        version = request_row(server, request_id).version
        _, mails_before = counts(server, request_id)
        accept = {"decision": "accept", "version": version, "comment": "ok"}
        refuse = {"decision": "refuse", "version": version, "comment": "Non"}
        calls = [(claire, accept), (paul, refuse)] if round_ % 2 else [(paul, refuse), (claire, accept)]
        responses = race(server, calls, request_id)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409], [r.text for r in responses]
        winner = next(r.json() for r in responses if r.status_code == 200)
        loser = next(r.json() for r in responses if r.status_code == 409)
        assert loser["code"] == "already_processed"
        assert loser["state"] == winner["state"]
        assert loser["decided_by_name"] == winner["decided_by_name"]
        assert loser["detail"].startswith(f"Demande déjà traitée par {winner['decided_by_name']} le ")
        row = request_row(server, request_id)
        assert row.state.value == winner["state"] and row.version == version + 1
        audited, mails_after = counts(server, request_id)
        assert audited == 1  # one decision, one audit event, one mail to the worker
        assert mails_after == mails_before + 1


def test_the_compare_and_bump_refuses_a_decision_on_a_view_read_before_a_colleagues_commit(
    server: ServerHarness,
) -> None:
    """The guard itself, not the early check: Claire's decision is applied to the request as she read it
    (version, state "Envoyée") after Paul's decision committed in between. Only the UPDATE … WHERE
    version AND state can refuse it, on SQLite as on PostgreSQL."""
    claire_id = server.make_user("claire@exemple.fr", {"LYO": (Right.ACOMPTES,)})
    paul = da_user(server, "paul@exemple.fr", "LYO")
    agencies = frozenset({server.agency_id("LYO")})
    for decision, comment in (("accept", "ok"), ("refuse", "Non")):
        worker, _ = new_worker(server, "LYO")
        request_id = add_request(server, worker, "LYO", amount_cents=10000)
        with server.ctx.db.reader() as s:
            stale = service.visible(s, agencies, request_id)  # what Claire's desktop read
        version = stale["version"]
        _, mails_before = counts(server, request_id)
        won = server.client.post(
            f"{URL}/{request_id}/decision",
            json={"decision": "refuse", "version": version, "comment": "Plafond atteint"},
            headers=paul,
        )
        assert won.status_code == 200, won.text
        with server.session() as s, s.begin(), pytest.raises(ProblemError) as lost:
            service.apply_decision(
                s,
                server.settings,
                Actor("staff", claire_id),
                agencies,
                stale,
                service.Decision(decision, None, comment, version),
                server.clock(),
            )
        assert lost.value.status == 409
        assert lost.value.code == "already_processed"
        assert lost.value.extra["state"] == "refused"
        assert lost.value.extra["decided_by_name"] == won.json()["decided_by_name"] == "Test Paul"
        assert lost.value.extra["decided_at"] == datetime.fromisoformat(won.json()["decided_at"]).isoformat()
        assert lost.value.detail.startswith("Demande déjà traitée par Test Paul le ")
        row = request_row(server, request_id)
        assert (row.state, row.version, row.decision_comment) == (
            AdvanceState.REFUSED,
            version + 1,
            "Plafond atteint",
        )
        audited, mails_after = counts(server, request_id)
        assert audited == 1  # Paul's decision only: one decision, one audit event, one mail
        assert mails_after == mails_before + 1


def test_a_stale_view_of_a_cancelled_request_is_refused_by_the_guard_naming_the_worker(
    server: ServerHarness,
) -> None:
    claire_id = server.make_user("claire@exemple.fr", {"VIL": (Right.ACOMPTES,)})
    agencies = frozenset({server.agency_id("VIL")})
    worker, _ = new_worker(server, "VIL")
    request_id = add_request(server, worker, "VIL")
    with server.ctx.db.reader() as s:
        stale = service.visible(s, agencies, request_id)
    assert cancel_as_worker(server, worker_login(server, worker), request_id).status_code == 200
    with server.session() as s, s.begin(), pytest.raises(ProblemError) as lost:
        service.apply_decision(
            s,
            server.settings,
            Actor("staff", claire_id),
            agencies,
            stale,
            service.Decision("accept", "50", "", stale["version"]),
            server.clock(),
        )
    assert (lost.value.status, lost.value.code) == (409, "already_processed")
    assert lost.value.detail.startswith("Demande annulée par le salarié le ")
    assert request_row(server, request_id).state is AdvanceState.CANCELLED
    assert counts(server, request_id)[0] == 1  # the cancellation's event only


def cancel_racing(
    server: ServerHarness,
    vault: dict[str, str],
    request_id: int,
    barrier: threading.Barrier,
    out: list[Any],
) -> None:
    """The worker's POST …/cancel, released with the decision by the barrier."""
    barrier.wait()
    out.append(cancel_as_worker(server, vault, request_id))


def test_a_decision_racing_the_workers_cancellation_never_both_win(server: ServerHarness) -> None:
    """The worker's real cancel route against the staff's real decision route, released together:
    whatever the order, exactly one wins and the other answers 409."""
    headers = da_user(server, "course@exemple.fr", "VIL")
    for _ in range(ROUNDS):
        worker, _ = new_worker(server, "VIL")
        vault = worker_login(server, worker)
        request_id = add_request(server, worker, "VIL")
        version = request_row(server, request_id).version
        barrier = threading.Barrier(2)
        cancelled: list[Any] = []
        thread = threading.Thread(target=cancel_racing, args=(server, vault, request_id, barrier, cancelled))
        thread.start()
        barrier.wait()
        response = server.client.post(
            f"{URL}/{request_id}/decision",
            json={"decision": "accept", "version": version, "comment": ""},
            headers=headers,
        )
        thread.join(timeout=60)
        (cancel_response,) = cancelled
        row = request_row(server, request_id)
        assert sorted([response.status_code, cancel_response.status_code]) == [200, 409]
        if cancel_response.status_code == 200:
            assert response.json()["code"] == "already_processed"
            assert response.json()["detail"].startswith("Demande annulée par le salarié le ")
            assert row.state is AdvanceState.CANCELLED
        else:
            assert cancel_response.json()["code"] == "already_answered"
            assert row.state is AdvanceState.ACCEPTED
        assert row.version == version + 1
        assert counts(server, request_id)[0] == 1  # one audit event: the winner's
