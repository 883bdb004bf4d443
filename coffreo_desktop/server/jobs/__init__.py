"""Scheduled work of the backend: ``start_jobs(ctx)`` runs from the app lifespan; jobs: ``default_jobs``.

A later job is one line here, e.g. the advance digest (F5.5):
    KeyedJob("advances.digest", daily_at(11, tz=limits.ADVANCE_DIGEST_TZ), send_digest)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.jobs.runner import Job, JobRunner, KeyedJob, PeriodicJob, daily_at
from coffreo_desktop.server.mail.sender import MailSender
from coffreo_desktop.server.services import auth

__all__ = ["Job", "JobRunner", "KeyedJob", "PeriodicJob", "daily_at", "default_jobs", "start_jobs"]

#: Seconds between two flushes of the outbox: an invitation leaves a few seconds after it was queued.
OUTBOX_EVERY = 5.0


def _prune_login_attempts(session: Session, _ctx: AppContext, _key: str, now: datetime) -> None:
    auth.prune_login_attempts(session, now=now)


def default_jobs(ctx: AppContext) -> list[Job]:
    sender = MailSender(ctx.db, ctx.settings, lambda: ctx.clock())  # tests may swap the clock later
    return [
        PeriodicJob("mail.outbox", OUTBOX_EVERY, lambda _ctx, _now: sender.flush()),
        KeyedJob("auth.prune_login_attempts", daily_at(4), _prune_login_attempts),
    ]


def start_jobs(ctx: AppContext, jobs: list[Job] | None = None, *, tick: float = 1.0) -> Callable[[], None]:
    """Start the scheduler thread; returns the function that stops it (and waits for the running job)."""
    runner = JobRunner(ctx, default_jobs(ctx) if jobs is None else jobs, tick=tick)
    runner.start()
    return runner.stop
