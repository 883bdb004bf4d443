"""Diffusion libre (PRODUCT.md F3.5-F3.8): one PDF sent by a staff user to one employee of the issuer
agency, delivered as is ("simple"), sealed ("protégé") or certified for the recipient's signature
("à signer"). Same shape as the payroll deposit (services/ingest.py), whose checks it shares."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import PROTECTION_RIGHTS, DocumentType, Protection, SignatureState
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import AuditEvent, Document, Employee, EmployeeAgency
from coffreo_desktop.server.errors import Conflict, Forbidden, Invalid, NotFound
from coffreo_desktop.server.pdf import seal
from coffreo_desktop.server.pdf.certificates import entity_of
from coffreo_desktop.server.pdf.entity_keys import seal_keys
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.delivery import deliver
from coffreo_desktop.server.services.ingest import checked_pdf, insert_once
from coffreo_desktop.server.services.recipient_signing import EMPLOYEE_FIELD
from coffreo_desktop.server.storage.blobs import BlobStore

#: The right each kind of document needs on the issuer agency (F3.1).
RIGHT_OF: dict[Protection, Right] = PROTECTION_RIGHTS
LABEL_OF = {
    Protection.SIMPLE: "Document simple",
    Protection.PROTECTED: "Document protégé",
    Protection.TO_SIGN: "Document à signer",
}
AUDIT_ACTION = "document.diffused"
MAX_TITLE = 200


@dataclass(frozen=True)
class DiffusionInput:
    agency_id: int
    employee_id: int
    protection: Protection
    title: str


@dataclass(frozen=True)
class DiffusionResult:
    document: Document
    warnings: tuple[str, ...]
    replayed: bool = False


def signer_field(employee_id: int) -> str:
    """The name of the recipient's empty signature field in a "document à signer": the one the recipient
    signing flow looks for (one worker signs a diffused document)."""
    return EMPLOYEE_FIELD


def check_right(rights: RightSet, agency_id: int, protection: Protection) -> None:
    right = RIGHT_OF[protection]
    if not rights.has(right, agency_id):
        raise Forbidden(
            f"Le droit « {right.value} » sur cet établissement est nécessaire pour envoyer un "
            f"« {LABEL_OF[protection]} ».",
            code="missing_right",
        )


def _title(raw: str) -> str:
    title = " ".join(raw.split())
    if not title:
        raise Invalid("Le titre du document est obligatoire.", code="missing_field", field="title")
    if len(title) > MAX_TITLE:
        raise Invalid(
            f"Le titre compte au plus {MAX_TITLE} caractères.", code="title_too_long", field="title"
        )
    return title


def _employee(session: Session, agency_id: int, employee_id: int) -> Employee:
    linked = session.scalar(
        select(EmployeeAgency.id).where(
            EmployeeAgency.employee_id == employee_id, EmployeeAgency.agency_id == agency_id
        )
    )
    employee = session.get(Employee, employee_id) if linked is not None else None
    if employee is None:
        raise NotFound("Destinataire inconnu dans cet établissement.", code="unknown_recipient")
    return employee


def _digest(data: DiffusionInput, sha256: str) -> str:
    """What a replay must repeat: the file, the recipient, the type and the title."""
    content = f"{sha256}|{data.agency_id}|{data.employee_id}|{data.protection.value}|{data.title}"
    return hashlib.sha256(content.encode()).hexdigest()


def _replay(session: Session, key: str, digest: str, warnings: tuple[str, ...]) -> DiffusionResult | None:
    # The stored blob of a sealed document is not the uploaded file: the request's digest, kept in the
    # audit event of the first sending, is what a replay is compared with.
    first = session.scalars(select(Document).where(Document.idempotency_key == key)).first()
    if first is None:
        return None
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AUDIT_ACTION,
            AuditEvent.target_type == "document",
            AuditEvent.target_id == str(first.id),
        )
    ).first()
    if event is None or event.details.get("request_digest") != digest:
        raise Conflict(
            "Cette clé d'idempotence a déjà servi pour un autre envoi : chaque document envoyé "
            "prend sa propre clé.",
            code="idempotency_key_reused",
        )
    return DiffusionResult(first, warnings, replayed=True)


def diffuse(
    session: Session,
    blobs: BlobStore,
    settings: ServerSettings,
    *,
    user_id: int,
    rights: RightSet,
    data: DiffusionInput,
    path: Path,
    file_name: str,
    idempotency_key: str,
    now: datetime,
) -> DiffusionResult:
    """Send the PDF waiting at ``path``; every check runs before anything is written. A replay of
    ``idempotency_key`` with the same request returns the first document (``replayed=True``)."""
    check_right(rights, data.agency_id, data.protection)
    data = DiffusionInput(data.agency_id, data.employee_id, data.protection, _title(data.title))
    report = checked_pdf(path, file_name=file_name, title=data.title)
    key = f"dl:{user_id}:{idempotency_key}"  # namespaced by user: two desktops may pick the same keys
    digest = _digest(data, report.sha256)
    if replayed := _replay(session, key, digest, report.warnings):
        return replayed
    employee = _employee(session, data.agency_id, data.employee_id)
    content, sha256, signature = path.read_bytes(), report.sha256, SignatureState.NOT_REQUIRED
    if data.protection is not Protection.SIMPLE:
        entity = entity_of(session, data.agency_id)
        # Sealing takes tens of milliseconds of CPU: end the read transaction first, so that no
        # database lock is held meanwhile (on SQLite the session holds the write lock).
        session.commit()
        keys = seal_keys(settings)
        if data.protection is Protection.PROTECTED:
            content = seal.seal_protected(content, entity, keys)
        else:
            name = f"{employee.first_name} {employee.last_name}".strip()
            slot = seal.SignerSlot(signer_field(employee.id), name)
            content = seal.certify_for_signing(content, entity, [slot], keys)
            signature = SignatureState.UNSIGNED
        sha256 = hashlib.sha256(content).hexdigest()
    document = Document(
        agency_id=data.agency_id,
        doc_type=DocumentType.DIFFUSED,
        title=data.title,
        file_name=file_name,
        blob_sha256=sha256,
        size=len(content),
        pages=report.pages,
        employee_id=employee.id,
        document_date=now.astimezone(ZoneInfo(DISPLAY_TZ)).date(),
        employee_last_name=employee.last_name,
        employee_first_name=employee.first_name,
        matricule=employee.matricule,
        protection=data.protection,
        signature_state=signature,
        origin="diffusion",
        idempotency_key=key,
        created_by=user_id,
        created_at=now,
        changed_at=now,
    )
    if not insert_once(session, document):
        if replayed := _replay(session, key, digest, report.warnings):
            return replayed
        raise Conflict("Envoi concurrent avec la même clé d'idempotence.", code="idempotency_conflict")
    delivered = deliver(session, document, settings=settings, now=now)
    # The blob before the audit event: the event locks the chain's head until the commit (see ingest).
    if data.protection is Protection.SIMPLE:
        blobs.put_file(path, sha256=sha256, move=True)
    else:
        blobs.put_bytes(content)
    audit.record(
        session,
        Actor("staff", user_id),
        AUDIT_ACTION,
        "document",
        document.id,
        agency_id=data.agency_id,
        details={
            "protection": data.protection.value,
            "employee_id": employee.id,
            "sha256": sha256,
            "source_sha256": report.sha256,
            "request_digest": digest,
            "size": document.size,
            "pages": report.pages,
            "mails": [mail.kind for mail in delivered.mails],
        },
    )
    return DiffusionResult(document, (*report.warnings, *delivered.warnings))
