"""The scheduler: one daemon thread per app that checks its jobs every second and runs those due.

Two shapes of job:
- ``PeriodicJob``: runs every N seconds in every process (the outbox flush); its action must be safe to
  run concurrently, which the outbox claim makes it.
- ``KeyedJob``: runs once per run key across all processes (the 11:00 digest of one day, the start of
  one campaign). Its action runs in the same transaction as the insert of the ``JobRun`` row whose
  unique (job, run_key) makes the run happen once: if the action fails, both roll back and the run is
  tried again later; if another process holds the key, this one skips.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import JobRun

log = logging.getLogger(__name__)

PeriodicAction = Callable[[AppContext, datetime], object]
#: (session in the JobRun transaction, context, run key, now); must not commit the session itself.
KeyedAction = Callable[[Session, AppContext, str, datetime], object]
DueKey = Callable[[datetime], str | None]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: float  # seconds between two runs in this process
    action: PeriodicAction
    retry_after: float = 30.0  # seconds to wait after an exception

    def run(self, ctx: AppContext, now: datetime) -> bool:
        self.action(ctx, now)
        return True


@dataclass(frozen=True)
class KeyedJob:
    name: str
    due_key: DueKey  # the key of the run due at ``now``, or None when nothing is due
    action: KeyedAction
    every: float = 30.0  # seconds between two checks of ``due_key`` in this process
    retry_after: float = 60.0

    def run(self, ctx: AppContext, now: datetime) -> bool:
        """True when this process ran the action now; False when nothing was due or it was done elsewhere."""
        key = self.due_key(now)
        if key is None:
            return False
        with ctx.db.writer() as session:
            if (
                session.scalar(select(JobRun.id).where(JobRun.job == self.name, JobRun.run_key == key))
                is not None
            ):
                return False
            try:
                with session.begin_nested():
                    run = JobRun(job=self.name, run_key=key, started_at=now)
                    session.add(run)
            except IntegrityError:  # PostgreSQL: another process inserted the same key and committed first
                session.rollback()
                return False
            self.action(session, ctx, key, now)
            run.finished_at = ctx.clock()
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return False
        log.info("job %s ran for %s", self.name, key)
        return True


Job = PeriodicJob | KeyedJob


def daily_at(hour: int, minute: int = 0, tz: str = "Europe/Paris") -> DueKey:
    """Due once a day from ``hour:minute`` local time on: the key is the local date (a late start runs)."""
    zone = ZoneInfo(tz)
    at = clock_time(hour, minute)

    def key(now: datetime) -> str | None:
        local = now.astimezone(zone)
        return local.date().isoformat() if local.time() >= at else None

    return key


class JobRunner:
    """Runs due jobs; ``run_due`` does one pass (tests call it directly), ``start`` loops it in a thread."""

    def __init__(
        self, ctx: AppContext, jobs: Iterable[Job], *, tick: float = 1.0, name: str = "coffreo-jobs"
    ) -> None:
        self.ctx = ctx
        self.jobs = list(jobs)
        self.tick = tick
        self.name = name
        self._next: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self, *, force: bool = False) -> list[str]:
        """Run every job whose next check time has come (all with ``force``); returns those that ran."""
        ran = []
        for job in self.jobs:
            if self._stop.is_set():
                break
            if not force and time.monotonic() < self._next.get(job.name, 0.0):
                continue
            try:
                did = job.run(self.ctx, self.ctx.clock())
            except Exception:
                # A failing job must not stop the others nor the loop; it is retried after a pause.
                log.exception("job %s failed", job.name)
                self._next[job.name] = time.monotonic() + job.retry_after
                continue
            self._next[job.name] = time.monotonic() + job.every
            if did:
                ran.append(job.name)
        return ran

    def _loop(self) -> None:
        while not self._stop.wait(self.tick):
            self.run_due()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to end and wait for the job in progress (a mail being sent) to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
