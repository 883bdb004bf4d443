"""F5.7: two staff members can never both process the same request. Two decisions sent at the same
moment from two threads, against the real backend (SQLite and PostgreSQL): exactly one wins (200), the
other is told who processed it (409 already_processed); the worker's cancellation races the same way."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select, update

from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest, AuditEvent, Employee, OutboxMail
from tests.server.advance_helpers import URL, add_request, da_user, new_worker, request_row
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


def cancel_racing(
    server: ServerHarness, request_id: int, version: int, barrier: threading.Barrier, out: list[int]
) -> None:
    """What the worker's cancellation writes (engineer R's API): the same compare-and-bump."""
    barrier.wait()
    with server.session() as s, s.begin():
        result = s.execute(
            update(AdvanceRequest)
            .where(
                AdvanceRequest.id == request_id,
                AdvanceRequest.version == version,
                AdvanceRequest.state == AdvanceState.SENT,
            )
            .values(
                state=AdvanceState.CANCELLED, cancelled_at=server.clock(), version=AdvanceRequest.version + 1
            )
        )
        out.append(result.rowcount)


def test_a_decision_racing_the_workers_cancellation_never_both_win(server: ServerHarness) -> None:
    """The worker's cancel does the same compare-and-bump; whatever the order, one state is final."""
    headers = da_user(server, "course@exemple.fr", "VIL")
    for _ in range(ROUNDS):
        worker, _ = new_worker(server, "VIL")
        request_id = add_request(server, worker, "VIL")
        version = request_row(server, request_id).version
        barrier = threading.Barrier(2)
        cancelled: list[int] = []

        thread = threading.Thread(
            target=cancel_racing, args=(server, request_id, version, barrier, cancelled)
        )
        thread.start()
        barrier.wait()
        response = server.client.post(
            f"{URL}/{request_id}/decision",
            json={"decision": "accept", "version": version, "comment": ""},
            headers=headers,
        )
        thread.join(timeout=60)
        row = request_row(server, request_id)
        if cancelled == [1]:
            assert response.status_code == 409, response.text
            assert response.json()["detail"].startswith("Demande annulée par le salarié le ")
            assert row.state is AdvanceState.CANCELLED
        else:
            assert cancelled == [0]
            assert response.status_code == 200, response.text
            assert row.state is AdvanceState.ACCEPTED
        assert row.version == version + 1
