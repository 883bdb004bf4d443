"""Server-side exports of documents (F2.8, for very large ones): the request, the caller's jobs, and the
download by the emailed link. The job that writes the file is ``export_runner``.

The file lives under ``DATA/exports/<id>.zip`` (or ``.csv``), not in the blob store: it is temporary (removed
7 days after the mail), may be huge, and is never shared between documents. Only the link token's SHA-256
is kept, in the job's ``params`` with the counts, so the schema stays as it is; ``blob_sha256`` holds the
file's SHA-256 while the file exists.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import ExportJob
from coffreo_desktop.server.errors import Conflict, Forbidden, Gone, NotFound
from coffreo_desktop.server.security import token_hash
from coffreo_desktop.server.services import audit, document_search
from coffreo_desktop.server.services.audit import Actor

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: How long the emailed link works; the file is removed after.
LINK_TTL = timedelta(days=7)
#: Unfinished jobs a user may have at once: a large export costs the server minutes of work.
MAX_ACTIVE = 3
RECENT = 50
NOT_FOUND = "Export introuvable."
BAD_LINK = "Lien de téléchargement invalide ou export introuvable."
EXPIRED = (
    "Ce lien de téléchargement a expiré (il était valable 7 jours) : relancez l'export depuis "
    "Coffreo Desktop."
)
TOO_MANY = (
    f"Vous avez déjà {MAX_ACTIVE} exports en attente ou en cours : attendez qu'ils se terminent avant "
    "d'en demander un autre."
)
OUT_OF_SCOPE = "L'établissement {agency} ne fait pas partie de ceux auxquels vous avez accès."


@dataclass(frozen=True)
class ExportFilters:
    """The search filters of an export, with the same meaning as GET /documents."""

    types: tuple[DocumentType, ...] = ()
    signed: document_search.Signed | None = None
    period: Period = Period.ALL
    criterion: str | None = None
    value: str | None = None
    invoice_state: InvoiceState | None = None
    sort: str = "document_date"
    order: document_search.Order = document_search.Order.DESC

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportFilters:
        return cls(
            types=tuple(DocumentType(t) for t in data.get("types", ())),
            signed=document_search.Signed(data["signed"]) if data.get("signed") else None,
            period=Period(data.get("period", Period.ALL)),
            criterion=data.get("criterion"),
            value=data.get("value"),
            invoice_state=InvoiceState(data["invoice_state"]) if data.get("invoice_state") else None,
            sort=data.get("sort", "document_date"),
            order=document_search.Order(data.get("order", document_search.Order.DESC)),
        )

    def query(
        self, agency_ids: frozenset[int], cursor: str | None, limit: int
    ) -> document_search.SearchQuery:
        return document_search.SearchQuery(
            types=self.types,
            signed=self.signed,
            period=self.period,
            criterion=self.criterion,
            value=self.value,
            invoice_state=self.invoice_state,
            sort=self.sort,
            order=self.order,
            limit=limit,
            cursor=cursor,
            agency_ids=agency_ids,
        )


@dataclass(frozen=True)
class ExportView:
    id: int
    state: str
    created_at: datetime
    finished_at: datetime | None
    agency_ids: list[int]
    include_pdfs: bool
    filters: dict[str, Any]
    rows: int  # rows written so far, then in the file
    total: int | None  # rows the search found when the job started
    pdfs: int
    size: int  # bytes of the file
    error: str | None  # French, when failed
    expires_at: datetime | None  # when the download link stops working
    skipped_pdfs: list[int] = field(default_factory=list)


def folder(settings: ServerSettings) -> Path:
    return settings.data_dir / "exports"


def file_path(settings: ServerSettings, job: ExportJob) -> Path:
    suffix = "zip" if job.params.get("include_pdfs") else "csv"
    return folder(settings) / f"{job.id}.{suffix}"


def download_name(job: ExportJob) -> str:
    suffix = "zip" if job.params.get("include_pdfs") else "csv"
    return f"export-documents-{job.id}.{suffix}"


def expires_at(job: ExportJob) -> datetime | None:
    return job.finished_at + LINK_TTL if job.state == DONE and job.finished_at is not None else None


def view(job: ExportJob) -> ExportView:
    params = job.params
    return ExportView(
        id=job.id,
        state=job.state,
        created_at=job.created_at,
        finished_at=job.finished_at,
        agency_ids=list(params.get("agency_ids", [])),
        include_pdfs=bool(params.get("include_pdfs")),
        filters=dict(params.get("filters", {})),
        rows=int(params.get("rows", 0)),
        total=params.get("total"),
        pdfs=int(params.get("pdfs", 0)),
        size=int(params.get("size", 0)),
        # While running, ``error`` holds the worker's claim (export_runner): never shown.
        error=job.error if job.state == FAILED else None,
        expires_at=expires_at(job),
        skipped_pdfs=list(params.get("skipped", [])),
    )


def create(
    session: Session,
    *,
    actor: Actor,
    visible: frozenset[int],
    agency_ids: list[int],
    filters: ExportFilters,
    include_pdfs: bool,
    today: date,
    now: datetime,
) -> ExportView:
    """Queue an export of ``agency_ids`` (each visible to the caller; none: all they may see), audited."""
    assert actor.id is not None
    for agency in agency_ids:
        if agency not in visible:
            raise Forbidden(OUT_OF_SCOPE.format(agency=agency))
    if filters.criterion is not None and filters.criterion not in document_search.CRITERIA:
        raise document_search.unknown_criterion(filters.criterion)
    active = session.scalar(
        select(func.count())
        .select_from(ExportJob)
        .where(ExportJob.user_id == actor.id, ExportJob.state.in_((QUEUED, RUNNING)))
    )
    if (active or 0) >= MAX_ACTIVE:
        raise Conflict(TOO_MANY, code="too_many_exports")
    params = {
        "agency_ids": sorted(set(agency_ids)),
        "filters": filters.to_json(),
        "include_pdfs": include_pdfs,
        # The period counts from the day of the request, as the search the user saw did.
        "today": today.isoformat(),
    }
    job = ExportJob(user_id=actor.id, params=params, state=QUEUED, created_at=now)
    session.add(job)
    session.flush()
    audit.record(session, actor, "export.requested", "export_job", job.id, details=params)
    return view(job)


def own_job(session: Session, user_id: int | None, job_id: int) -> ExportJob:
    job = session.get(ExportJob, job_id)
    if job is None or job.user_id != user_id:  # someone else's job does not exist for the caller
        raise NotFound(NOT_FOUND, code="export_not_found")
    return job


def recent(session: Session, user_id: int | None) -> list[ExportView]:
    jobs = session.scalars(
        select(ExportJob).where(ExportJob.user_id == user_id).order_by(ExportJob.id.desc()).limit(RECENT)
    )
    return [view(job) for job in jobs]


def file_for_link(
    session: Session, settings: ServerSettings, job_id: int, token: str, now: datetime
) -> ExportJob:
    """The finished job whose link token this is, with its file on disk; 404 for a wrong token, 410 once
    expired. The token is checked first: without it nothing is revealed, not even that the link expired."""
    job = session.get(ExportJob, job_id)
    expected = job.params.get("token_sha256") if job is not None else None
    if job is None or not expected or not hmac.compare_digest(expected, token_hash(token)):
        raise NotFound(BAD_LINK, code="export_link_invalid")
    limit = expires_at(job)
    if limit is None or now >= limit or job.blob_sha256 is None or not file_path(settings, job).is_file():
        raise Gone(EXPIRED, code="export_link_expired")
    return job
