"""The scheduler: the outbox job sends pending mail; a keyed job runs once per key even with two runners
(two processes); a failed run is retried; the daily key follows Paris time; the thread starts and stops."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import JobRun, OutboxMail
from coffreo_desktop.server.jobs import JobRunner, KeyedJob, PeriodicJob, daily_at, default_jobs, start_jobs
from coffreo_desktop.server.mail import outbox
from tests.support import ServerHarness


def queue_one(server: ServerHarness) -> int:
    with server.session() as s, s.begin():
        return outbox.queue(
            s,
            kind="test",
            to="paul.durand@example.fr",
            subject="Votre relevé d'heures",
            text="Bonjour Paul,\n",
            now=server.clock(),
        ).id


def test_the_outbox_job_sends_pending_mail(empty_server: ServerHarness) -> None:
    mail_id = queue_one(empty_server)
    runner = JobRunner(empty_server.ctx, default_jobs(empty_server.ctx))

    assert "mail.outbox" in runner.run_due()

    with empty_server.ctx.db.reader() as s:
        assert s.get(OutboxMail, mail_id).sent_at == empty_server.clock()  # type: ignore[union-attr]
    assert len(list(empty_server.settings.outbox_dir.glob("*.eml"))) == 1
    assert runner.run_due() == []  # its interval is not over: the second pass does nothing


def digest_job(calls: list[str], *, fail: bool = False) -> KeyedJob:
    def send_digest(session: Session, ctx: AppContext, key: str, now: datetime) -> None:
        calls.append(key)
        outbox.queue(
            session,
            kind="digest",
            to="acomptes@demo.coffreo.fr",
            subject=f"Demandes à traiter {key}",
            text="3 demandes d'acompte attendent.\n",
            now=now,
        )
        time.sleep(0.2)  # widen the window in which the other runner tries the same key
        if fail:
            raise RuntimeError("SMTP en panne")

    return KeyedJob("advances.digest", daily_at(11), send_digest)


def digests(server: ServerHarness) -> int:
    with server.ctx.db.reader() as s:
        return s.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.kind == "digest")) or 0


def test_a_keyed_job_runs_once_even_with_two_runners(server: ServerHarness) -> None:
    server.clock.now = datetime(2026, 3, 16, 10, 5, tzinfo=UTC)  # 11:05 in Paris
    calls: list[str] = []
    # Two contexts, two engines: as two server processes sharing one database.
    contexts = [AppContext.build(server.settings) for _ in range(2)]
    for ctx in contexts:
        ctx.clock = server.clock
    runners = [JobRunner(ctx, [digest_job(calls)]) for ctx in contexts]
    start = threading.Barrier(2)
    ran: list[list[str]] = []

    def go(runner: JobRunner) -> None:
        start.wait()
        ran.append(runner.run_due())

    threads = [threading.Thread(target=go, args=(r,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for ctx in contexts:
        ctx.db.dispose()

    assert calls == ["2026-03-16"]
    assert sorted(ran) == [[], ["advances.digest"]]
    assert digests(server) == 1
    with server.ctx.db.reader() as s:
        run = s.scalars(select(JobRun)).one()
    assert (run.job, run.run_key) == ("advances.digest", "2026-03-16")
    assert run.finished_at is not None


def test_a_keyed_job_runs_again_only_for_a_new_key(server: ServerHarness) -> None:
    calls: list[str] = []
    job = digest_job(calls)
    server.clock.now = datetime(2026, 3, 16, 9, 59, tzinfo=UTC)  # 10:59 in Paris: not yet

    assert job.run(server.ctx, server.clock()) is False
    server.clock.advance(minutes=1)
    assert job.run(server.ctx, server.clock()) is True
    server.clock.advance(hours=5)
    assert job.run(server.ctx, server.clock()) is False
    server.clock.advance(days=1)
    assert job.run(server.ctx, server.clock()) is True

    assert calls == ["2026-03-16", "2026-03-17"]
    assert digests(server) == 2


def test_a_failed_keyed_run_leaves_no_trace_and_is_retried(server: ServerHarness, caplog: Any) -> None:
    server.clock.now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    calls: list[str] = []
    runner = JobRunner(server.ctx, [digest_job(calls, fail=True)])

    assert runner.run_due() == []
    assert "advances.digest failed" in caplog.text
    assert digests(server) == 0  # the mail queued by the failed run was rolled back with its JobRun row
    with server.ctx.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(JobRun)) == 0

    assert digest_job(calls).run(server.ctx, server.clock()) is True
    assert digests(server) == 1


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 3, 16, 9, 59, tzinfo=UTC), None),  # winter: Paris = UTC+1
        (datetime(2026, 3, 16, 10, 0, tzinfo=UTC), "2026-03-16"),
        (datetime(2026, 7, 1, 8, 59, tzinfo=UTC), None),  # summer: Paris = UTC+2
        (datetime(2026, 7, 1, 9, 0, tzinfo=UTC), "2026-07-01"),
        (datetime(2026, 7, 1, 22, 30, tzinfo=UTC), None),  # 00:30 on the 2nd in Paris: not yet due
        (datetime(2026, 7, 2, 21, 59, tzinfo=UTC), "2026-07-02"),  # 23:59 in Paris: still the 2nd
    ],
)
def test_daily_at_follows_paris_time(utc: datetime, expected: str | None) -> None:
    assert daily_at(11)(utc) == expected


def test_start_jobs_runs_in_a_thread_until_stopped(empty_server: ServerHarness) -> None:
    ticks: list[datetime] = []

    def boom(ctx: AppContext, now: datetime) -> None:
        raise RuntimeError("a failing job must not stop the others")

    before = set(threading.enumerate())  # other tests' servers may run their own job threads
    stop = start_jobs(
        empty_server.ctx,
        [PeriodicJob("boom", 0.01, boom), PeriodicJob("tick", 0.01, lambda ctx, now: ticks.append(now))],
        tick=0.02,
    )
    (runner_thread,) = [t for t in threading.enumerate() if t not in before and t.name == "coffreo-jobs"]
    try:
        deadline = time.monotonic() + 10
        while len(ticks) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop()
    count = len(ticks)
    time.sleep(0.1)

    assert count >= 3
    assert len(ticks) == count  # stopped means stopped
    assert not runner_thread.is_alive()


def test_start_jobs_default_flushes_the_outbox(empty_server: ServerHarness) -> None:
    mail_id = queue_one(empty_server)

    stop = start_jobs(empty_server.ctx, tick=0.05)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not list(empty_server.settings.outbox_dir.glob("*.eml")):
            time.sleep(0.05)
    finally:
        stop()

    with empty_server.ctx.db.reader() as s:
        assert s.get(OutboxMail, mail_id).sent_at is not None  # type: ignore[union-attr]
