"""Scheduled work of the backend: ``start_jobs(ctx)`` runs from the app lifespan; jobs: ``default_jobs``.

A later job is one line here, e.g. the advance digest (F5.5):
    KeyedJob("advances.digest", daily_at(11, tz=limits.ADVANCE_DIGEST_TZ), send_digest)
"""

from __future__ import annotations

from collections.abc import Callable

from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.jobs.runner import Job, JobRunner, KeyedJob, PeriodicJob, daily_at
from coffreo_desktop.server.mail.sender import MailSender

__all__ = ["Job", "JobRunner", "KeyedJob", "PeriodicJob", "daily_at", "default_jobs", "start_jobs"]

#: Seconds between two flushes of the outbox: an invitation leaves a few seconds after it was queued.
OUTBOX_EVERY = 5.0


def default_jobs(ctx: AppContext) -> list[Job]:
    sender = MailSender(ctx.db, ctx.settings, lambda: ctx.clock())  # tests may swap the clock later
    return [
        PeriodicJob("mail.outbox", OUTBOX_EVERY, lambda _ctx, _now: sender.flush()),
    ]


def start_jobs(ctx: AppContext, jobs: list[Job] | None = None, *, tick: float = 1.0) -> Callable[[], None]:
    """Start the scheduler thread; returns the function that stops it (and waits for the running job)."""
    runner = JobRunner(ctx, default_jobs(ctx) if jobs is None else jobs, tick=tick)
    runner.start()
    return runner.stop
