"""Runs queued exports (F2.8): claims one, writes its CSV or ZIP from the search, mails the link.

Claiming is an UPDATE that only one process can win (``WHERE state = 'queued'``, then the rowcount), so
several server processes share the queue safely. While a job runs its ``error`` column holds the claim
("running <time> <owner>", as the outbox does with ``last_error``), refreshed every
:data:`HEARTBEAT`; a claim left stale by a process that died is taken over after :data:`STALE`. The file
is written to a temporary name and renamed only when complete; a failure leaves ``failed``, a French
error and no file. The caller's rights are read again when the job runs: a right removed meanwhile
narrows the export.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.rights import RightSet
from coffreo_desktop.server.api.rules import load_rights
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import Agency, Brand, ExportJob, StaffUser
from coffreo_desktop.server.errors import ProblemError
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.security import new_token, token_hash
from coffreo_desktop.server.services import audit, exports
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.export_writer import ExportWriter, Interrupted, Written, file_sha256

log = logging.getLogger(__name__)

#: Seconds (real time) between two refreshes of a running job's claim.
HEARTBEAT = 30.0
#: A claim not refreshed for this long belongs to a process that died: the job may be taken again.
STALE_MINUTES = 10
RUNNING_MARK = "running "
MAIL_KIND = "export_ready"
DISK_FULL = (
    "Espace disque insuffisant sur le serveur : l'export a échoué et le fichier partiel a été supprimé."
)
NO_SCOPE = "Vous n'avez plus accès à aucun des établissements demandés : l'export a été annulé."
INACTIVE = "Votre compte est désactivé : l'export a été annulé."
UNEXPECTED = "L'export a échoué à cause d'une erreur du serveur : relancez-le ou contactez le support."
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})

Opener = Callable[[Path], IO[bytes]]


class ExportFailed(Exception):
    """The job cannot complete; ``str()`` is the French error the user sees."""


class _Released(Exception):
    """The job stopped without failing (server stopping, claim taken over): it is not marked failed."""


@dataclass
class _Claim:
    job_id: int
    user_id: int
    params: dict[str, Any]
    mark: str


def _owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _mark(now: datetime, owner: str) -> str:
    return f"{RUNNING_MARK}{now.isoformat(timespec='seconds')} {owner}"


def _stale(mark: str, now: datetime) -> bool:
    stamp = mark.removeprefix(RUNNING_MARK).split(" ", 1)[0]
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return True
    return (now - at).total_seconds() >= STALE_MINUTES * 60


def claim_next(ctx: AppContext, owner: str) -> _Claim | None:
    """Take the oldest queued job (or one whose worker died); None when there is nothing to do."""
    now = ctx.clock()
    with ctx.db.writer() as session, session.begin():
        queued = session.execute(
            select(ExportJob.id, ExportJob.state, ExportJob.error)
            .where(ExportJob.state == exports.QUEUED)
            .order_by(ExportJob.id)
            .limit(10)
        ).all()
        running = session.execute(
            select(ExportJob.id, ExportJob.state, ExportJob.error).where(ExportJob.state == exports.RUNNING)
        ).all()
        for job_id, state, seen in [*queued, *(r for r in running if _stale(r.error, now))]:
            mark = _mark(now, owner)
            result = session.execute(
                update(ExportJob)
                .where(ExportJob.id == job_id, ExportJob.state == state, ExportJob.error == seen)
                .values(state=exports.RUNNING, error=mark)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                job = session.get(ExportJob, job_id)
                assert job is not None
                return _Claim(job_id, job.user_id, dict(job.params), mark)
    return None


def _refresh(ctx: AppContext, claim: _Claim, values: dict[str, Any]) -> None:
    """Write progress and a fresh claim; _Released if another worker took the job meanwhile."""
    mark = _mark(ctx.clock(), claim.mark.rsplit(" ", 1)[1])
    with ctx.db.writer() as session, session.begin():
        result = session.execute(
            update(ExportJob)
            .where(ExportJob.id == claim.job_id, ExportJob.error == claim.mark)
            .values(error=mark, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise _Released()
    claim.mark = mark


def _scope(session: Session, claim: _Claim) -> tuple[frozenset[int], RightSet]:
    user = session.get(StaffUser, claim.user_id)
    if user is None or not user.active:
        raise ExportFailed(INACTIVE)
    rights = load_rights(session, claim.user_id)
    visible = rights.visible_agencies()
    asked = frozenset(claim.params.get("agency_ids") or ())
    agencies = (asked & visible) if asked else visible
    if not agencies:
        raise ExportFailed(NO_SCOPE)
    return agencies, rights


def run_next(
    ctx: AppContext, *, stopping: Callable[[], bool] = lambda: False, opener: Opener | None = None
) -> int | None:
    """Claim and run one export; returns its id, or None when none was waiting."""
    claim = claim_next(ctx, _owner())
    if claim is None:
        return None
    temp: Path | None = None
    try:
        with ctx.db.reader() as session:
            agencies, rights = _scope(session, claim)
        target_dir = exports.folder(ctx.settings)
        target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{claim.job_id}.", suffix=".part", dir=target_dir)
        os.close(fd)
        temp = Path(name)
        written = _write(ctx, claim, temp, agencies, rights, stopping, opener)
        _finish(ctx, claim, temp, written)
        temp = None  # renamed into place
    except (_Released, Interrupted):
        _release(ctx, claim)  # a no-op when another worker took the claim over
    except ExportFailed as failure:
        _fail(ctx, claim, str(failure))
    except ProblemError as problem:  # a filter the search refuses (e.g. a criterion removed since)
        _fail(ctx, claim, problem.detail)
    except OSError as exc:
        log.warning("export %s : erreur d'écriture (errno %s)", claim.job_id, exc.errno)
        _fail(ctx, claim, DISK_FULL if exc.errno in _DISK_FULL_ERRNOS else UNEXPECTED)
    except Exception:
        log.exception("export %s failed", claim.job_id)
        _fail(ctx, claim, UNEXPECTED)
    finally:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return claim.job_id


def run_pending(ctx: AppContext, *, stopping: Callable[[], bool] = lambda: False) -> list[int]:
    """Run queued exports one after the other until none is left (or the server stops)."""
    ran = []
    while not stopping():
        job_id = run_next(ctx, stopping=stopping)
        if job_id is None:
            break
        ran.append(job_id)
    return ran


def _write(
    ctx: AppContext,
    claim: _Claim,
    temp: Path,
    agencies: frozenset[int],
    rights: RightSet,
    stopping: Callable[[], bool],
    opener: Opener | None,
) -> Written:
    filters = exports.ExportFilters.from_json(claim.params.get("filters", {}))
    today = date.fromisoformat(claim.params["today"])
    stamp = ctx.clock().astimezone(ZoneInfo(DISPLAY_TZ))
    writer = ExportWriter(temp, ctx.blobs, bool(claim.params.get("include_pdfs")), stamp, opener)

    def progress(rows: int, total: int | None) -> None:
        _refresh(ctx, claim, {"params": {**claim.params, "rows": rows, "total": total}})

    try:
        return writer.write_all(
            ctx.db.reader,
            lambda cursor, limit: filters.query(agencies, cursor, limit),
            today,
            rights,
            stopping=stopping,
            progress=progress,
            every=HEARTBEAT,
        )
    except BaseException:
        writer.abandon()
        raise


def _summary(written: Written) -> str:
    rows = f"{written.rows} document{'s' if written.rows > 1 else ''}"
    pdfs = f", {written.pdfs} fichier{'s' if written.pdfs > 1 else ''} PDF" if written.pdfs else ""
    return f"{rows}{pdfs}, {french_size(written.size)}"


def french_size(size: int) -> str:
    value, unit = float(size), "octets"
    for next_unit in ("Ko", "Mo", "Go"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    text = f"{value:.0f}" if unit == "octets" else f"{value:.1f}".replace(".", ",")
    return f"{text} {unit}"


def _brand(session: Session, agency_ids: frozenset[int]) -> templates.MailBrand:
    brands = set(session.scalars(select(Agency.brand_id).where(Agency.id.in_(agency_ids))))
    brand = session.get(Brand, brands.pop()) if len(brands) == 1 else None
    return templates.MailBrand(brand.name, brand.logo_svg) if brand else templates.MailBrand()


def _finish(ctx: AppContext, claim: _Claim, temp: Path, written: Written) -> None:
    """Mark the job done, move the file into place and queue the mail, all or nothing."""
    sha256 = file_sha256(temp)
    now = ctx.clock()
    token = new_token("exp_")
    params = {
        **claim.params,
        "rows": written.rows,
        "total": written.total,
        "pdfs": written.pdfs,
        "size": written.size,
        "skipped": written.skipped,
        "token_sha256": token_hash(token),
    }
    with ctx.db.writer() as session, session.begin():
        result = session.execute(
            update(ExportJob)
            .where(ExportJob.id == claim.job_id, ExportJob.error == claim.mark)
            .values(state=exports.DONE, error="", finished_at=now, blob_sha256=sha256, params=params)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise _Released()
        job = session.get(ExportJob, claim.job_id)
        user = session.get(StaffUser, claim.user_id)
        assert job is not None and user is not None
        os.replace(temp, exports.file_path(ctx.settings, job))
        agencies = (
            frozenset(claim.params.get("agency_ids") or ())
            or load_rights(session, claim.user_id).visible_agencies()
        )
        limit = now + exports.LINK_TTL
        mail = templates.export_ready(
            ctx.settings,
            first_name=user.first_name,
            link=templates.export_link(ctx.settings, claim.job_id, token),
            summary=_summary(written),
            validity=exports.LINK_TTL,
            expires=f"jusqu'au {limit.astimezone(ZoneInfo(DISPLAY_TZ)).strftime('%d/%m/%Y à %H:%M')}",
            brand=_brand(session, agencies),
        )
        outbox.queue(
            session,
            kind=MAIL_KIND,
            to=user.email,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            now=now,
        )
        audit.record(
            session,
            Actor.system(),
            "export.completed",
            "export_job",
            claim.job_id,
            details={"rows": written.rows, "pdfs": written.pdfs, "size": written.size, "sha256": sha256},
        )


def _fail(ctx: AppContext, claim: _Claim, error: str) -> None:
    with ctx.db.writer() as session, session.begin():
        session.execute(
            update(ExportJob)
            .where(ExportJob.id == claim.job_id, ExportJob.error == claim.mark)
            .values(state=exports.FAILED, error=error[:500], finished_at=ctx.clock())
            .execution_options(synchronize_session=False)
        )


def _release(ctx: AppContext, claim: _Claim) -> None:
    """Put the job back in the queue (if it is still ours): the next start runs it from the beginning."""
    with ctx.db.writer() as session, session.begin():
        session.execute(
            update(ExportJob)
            .where(ExportJob.id == claim.job_id, ExportJob.error == claim.mark)
            .values(state=exports.QUEUED, error="")
            .execution_options(synchronize_session=False)
        )


def purge_expired(ctx: AppContext, now: datetime) -> int:
    """Remove the files whose link has expired (their job keeps its counts), and leftovers of dead workers."""
    removed = 0
    with ctx.db.writer() as session, session.begin():
        jobs = session.scalars(
            select(ExportJob).where(
                ExportJob.state == exports.DONE,
                ExportJob.blob_sha256.is_not(None),
                ExportJob.finished_at <= now - exports.LINK_TTL,
            )
        ).all()
        for job in jobs:
            with contextlib.suppress(FileNotFoundError):
                exports.file_path(ctx.settings, job).unlink()
            job.blob_sha256 = None
            removed += 1
    running = {f".{job_id}." for job_id in _running_ids(ctx)}
    for part in exports.folder(ctx.settings).glob(".*.part"):
        if not any(part.name.startswith(prefix) for prefix in running):
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
    return removed


def _running_ids(ctx: AppContext) -> list[int]:
    with ctx.db.reader() as session:
        return list(session.scalars(select(ExportJob.id).where(ExportJob.state == exports.RUNNING)))
