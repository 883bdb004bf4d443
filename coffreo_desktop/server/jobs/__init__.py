"""Scheduled work of the backend: ``start_jobs(ctx)`` runs from the app lifespan; jobs: ``default_jobs``.

A later job is one line in ``default_jobs``: the outbox flush, the nightly prunes and campaign triggers, and
the 11:00 Europe/Paris digest of salary advances (F5.5, ``advances.digest``: once a day across processes,
caught up once after a late start).

Server-side exports (``export_jobs``) run in a thread of their own: one may take minutes, and mail must
keep leaving meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from coffreo_desktop.domain import limits
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.jobs.runner import Job, JobRunner, KeyedJob, PeriodicJob, daily_at
from coffreo_desktop.server.mail.sender import MailSender
from coffreo_desktop.server.services import advance_digest, auth, campaign_triggers, export_runner

__all__ = [
    "Job",
    "JobRunner",
    "KeyedJob",
    "PeriodicJob",
    "daily_at",
    "default_jobs",
    "export_jobs",
    "start_jobs",
]

#: Seconds between two flushes of the outbox: an invitation leaves a few seconds after it was queued.
OUTBOX_EVERY = 5.0
#: Seconds between two looks at the export queue (each look runs every export waiting, one at a time).
EXPORTS_EVERY = 5.0
#: Seconds between two purges of expired export files.
EXPORTS_PURGE_EVERY = 3600.0


def _prune_login_attempts(session: Session, _ctx: AppContext, _key: str, now: datetime) -> None:
    auth.prune_login_attempts(session, now=now)


def default_jobs(ctx: AppContext) -> list[Job]:
    sender = MailSender(ctx.db, ctx.settings, lambda: ctx.clock())  # tests may swap the clock later
    return [
        PeriodicJob("mail.outbox", OUTBOX_EVERY, lambda _ctx, _now: sender.flush()),
        KeyedJob("auth.prune_login_attempts", daily_at(4), _prune_login_attempts),
        # Just after midnight in Paris: yesterday's planned ends close ("Archivée") before the day's deposits.
        KeyedJob("campaigns.daily", daily_at(0, 5), campaign_triggers.daily_job),
        KeyedJob(
            "advances.digest",
            daily_at(limits.ADVANCE_DIGEST_HOUR, tz=limits.ADVANCE_DIGEST_TZ),
            advance_digest.send_digest,
        ),
    ]


def export_jobs(ctx: AppContext, stopping: Callable[[], bool] = lambda: False) -> list[Job]:
    """The export queue (``stopping`` true makes a running export stop and go back to the queue)."""
    return [
        PeriodicJob(
            "exports.run", EXPORTS_EVERY, lambda c, _now: export_runner.run_pending(c, stopping=stopping)
        ),
        PeriodicJob("exports.purge", EXPORTS_PURGE_EVERY, export_runner.purge_expired),
    ]


def start_jobs(ctx: AppContext, jobs: list[Job] | None = None, *, tick: float = 1.0) -> Callable[[], None]:
    """Start the scheduler thread(s); returns the function that stops them (and waits for the running job).

    With ``jobs`` given only those run, in one thread; by default the regular jobs run in one thread and
    the exports in another."""
    runners = [JobRunner(ctx, default_jobs(ctx) if jobs is None else jobs, tick=tick)]
    stopping = threading.Event()
    if jobs is None:
        runners.append(JobRunner(ctx, export_jobs(ctx, stopping.is_set), tick=tick, name="coffreo-exports"))
    for runner in runners:
        runner.start()

    def stop() -> None:
        stopping.set()
        for runner in runners:
            runner.stop()

    return stop
