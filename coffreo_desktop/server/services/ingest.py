"""The payroll/ERP deposit (F7.3, minimal part): one PDF and its metadata, checked, recorded, delivered,
stored by SHA-256. Every check runs before anything is written, so a refusal leaves no row and no blob."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import (
    CONTRACT_TYPES,
    DEPOSIT_TYPES,
    DocumentType,
    InvoiceState,
    Protection,
    RecipientKind,
    SignatureState,
)
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Agency, ClientCompany, Document, Employee, EmployeeAgency
from coffreo_desktop.server.errors import Conflict, Forbidden, Invalid, TooLarge
from coffreo_desktop.server.pdf.validate import PdfRefusal, PdfReport, check_pdf
from coffreo_desktop.server.services import audit, campaign_triggers
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.delivery import deliver
from coffreo_desktop.server.storage.blobs import BlobStore

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@dataclass(frozen=True)
class DepositInput:
    """The metadata of a deposit, already typed by the API layer."""

    agency: str
    doc_type: DocumentType
    matricule: str | None = None
    client: str | None = None
    title: str | None = None
    document_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    contract_number: str | None = None
    invoice_number: str | None = None
    must_sign: bool = False
    is_cadre: bool | None = None


@dataclass(frozen=True)
class DepositResult:
    document_id: int
    sha256: str
    pages: int
    size: int
    warnings: tuple[str, ...]
    replayed: bool = False


def _missing(field: str, what: str, doc_type: DocumentType) -> Invalid:
    return Invalid(
        f"{what} est obligatoire pour le type « {doc_type.label} ».", code="missing_field", field=field
    )


def _checked_fields(data: DepositInput) -> DepositInput:
    """The rules between fields, per type; returns the input with the document date resolved."""
    t = data.doc_type
    if t not in DEPOSIT_TYPES:
        raise Invalid(
            f"Le type « {t.label} » ne peut pas être déposé par la paie/ERP.",
            code="invalid_type",
            field="type",
        )
    if t.recipient is RecipientKind.EMPLOYEE and not data.matricule:
        raise _missing("matricule", "Le matricule du salarié", t)
    if t.recipient is RecipientKind.CLIENT and not data.client:
        raise _missing("client", "Le code du client", t)
    if t is DocumentType.INVOICE and not data.invoice_number:
        raise _missing("invoice_number", "Le numéro de facture", t)
    if t in CONTRACT_TYPES and not data.contract_number:
        raise _missing("contract_number", "Le numéro de contrat", t)
    if data.must_sign and t not in CONTRACT_TYPES:
        raise Invalid(
            f"Un document de type « {t.label} » ne se signe pas : seuls les contrats peuvent être à signer.",
            code="signature_not_allowed",
            field="must_sign",
        )
    document_date = data.document_date
    if t is DocumentType.PAYSLIP:
        if data.period_start is None or data.period_end is None:
            raise _missing(
                "period_start" if data.period_start is None else "period_end",
                "La période de paie (period_start et period_end)",
                t,
            )
        if data.period_start > data.period_end:
            raise Invalid(
                "La période de paie commence après sa fin : vérifiez period_start et period_end.",
                code="invalid_period",
                field="period_start",
            )
        document_date = document_date or data.period_end  # payslips are searched by the end of their period
    elif (data.period_start is None) != (data.period_end is None):
        raise Invalid(
            "Une période se donne avec son début et sa fin (period_start et period_end).",
            code="invalid_period",
            field="period_start",
        )
    if document_date is None:
        raise _missing("document_date", "La date du document (document_date)", t)
    return replace(data, document_date=document_date)


def default_title(data: DepositInput) -> str:
    """ "Bulletin de paie — mars 2026", "Contrat de mission n° CM-1042", "Facture n° F-2026-118"..."""
    label = data.doc_type.label
    start, end = data.period_start, data.period_end
    if data.doc_type is DocumentType.PAYSLIP and start and end:
        whole_month = (
            start.day == 1
            and (start.year, start.month) == (end.year, end.month)
            and end.day == calendar.monthrange(end.year, end.month)[1]
        )
        if whole_month:
            return f"{label} — {MONTHS[start.month - 1]} {start.year}"
        return f"{label} du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    number = data.invoice_number if data.doc_type is DocumentType.INVOICE else data.contract_number
    if number and (data.doc_type is DocumentType.INVOICE or data.doc_type in CONTRACT_TYPES):
        return f"{label} n° {number}"
    assert data.document_date is not None
    return f"{label} du {data.document_date:%d/%m/%Y}"


def checked_pdf(path: Path, *, file_name: str, title: str, allow_embedded_files: bool = False) -> PdfReport:
    """check_pdf, its refusal turned into the API's problem (413 too large, 422 otherwise).
    Shared by deposits and Diffusion libre: the server is the authority on what a PDF may be."""
    try:
        return check_pdf(path, file_name=file_name, title=title, allow_embedded_files=allow_embedded_files)
    except PdfRefusal as refusal:
        if refusal.code == "too_large":
            raise TooLarge(refusal.detail, code="too_large") from refusal
        raise Invalid(refusal.detail, code=refusal.code) from refusal


def insert_once(session: Session, document: Document) -> bool:
    """Add and flush ``document``; False (nothing added) when a concurrent request with the same
    idempotency key won the race (PostgreSQL's unique index), so that the caller answers as a replay."""
    try:
        with session.begin_nested():
            session.add(document)
            session.flush()
    except IntegrityError:
        if document.idempotency_key is None:
            raise
        return False
    return True


def _agency(session: Session, code: str, brand_id: int) -> Agency:
    agency = session.scalars(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise Invalid(
            f"Agence inconnue : « {code} ». Vérifiez le code de l'agence.",
            code="unknown_agency",
            field="agency",
        )
    if agency.brand_id != brand_id:
        raise Forbidden(
            f"L'agence « {code} » n'appartient pas à la marque de cette clé d'intégration.",
            code="agency_out_of_scope",
        )
    return agency


def _employee(session: Session, agency: Agency, matricule: str) -> Employee:
    employee = session.scalars(
        select(Employee).where(Employee.brand_id == agency.brand_id, Employee.matricule == matricule)
    ).first()
    if employee is None:
        raise Invalid(
            f"Matricule inconnu : « {matricule} ». Créez le salarié avant de lui déposer un document.",
            code="unknown_matricule",
            field="matricule",
        )
    linked = session.scalar(
        select(EmployeeAgency.id).where(
            EmployeeAgency.employee_id == employee.id, EmployeeAgency.agency_id == agency.id
        )
    )
    if linked is None:
        raise Invalid(
            f"Le salarié de matricule « {matricule} » n'est pas rattaché à l'agence « {agency.code} ».",
            code="employee_not_in_agency",
            field="matricule",
        )
    return employee


def _client(session: Session, agency: Agency, code: str) -> ClientCompany:
    client = session.scalars(
        select(ClientCompany).where(ClientCompany.brand_id == agency.brand_id, ClientCompany.code == code)
    ).first()
    if client is None:
        raise Invalid(
            f"Client inconnu : « {code} ». Vérifiez le code du client.", code="unknown_client", field="client"
        )
    return client


def _replay(session: Session, key: str, sha256: str, warnings: tuple[str, ...]) -> DepositResult | None:
    first = session.scalars(select(Document).where(Document.idempotency_key == key)).first()
    if first is None:
        return None
    if first.blob_sha256 != sha256:
        raise Conflict(
            "Cette clé d'idempotence a déjà servi pour un autre fichier : utilisez une nouvelle clé "
            "pour chaque document déposé.",
            code="idempotency_key_reused",
        )
    return DepositResult(first.id, first.blob_sha256, first.pages, first.size, warnings, replayed=True)


def deposit(
    session: Session,
    blobs: BlobStore,
    settings: ServerSettings,
    *,
    key_id: int,
    brand_id: int,
    data: DepositInput,
    path: Path,
    file_name: str,
    idempotency_key: str | None,
    now: datetime,
) -> DepositResult:
    """Deposit the PDF waiting at ``path`` for the integration key ``key_id`` of brand ``brand_id``.

    ``path`` is moved into the blob store on success. A replay of ``idempotency_key`` with the same file
    returns the first result (``replayed=True``); with another file it is refused (409).
    """
    data = _checked_fields(data)
    title = data.title or default_title(data)
    # The payroll/ERP system is trusted with attachments: a Factur-X invoice is a PDF/A-3 carrying its XML.
    # JavaScript and launch actions stay refused; a person's drop (Diffusion libre) refuses attachments too.
    report = checked_pdf(path, file_name=file_name, title=title, allow_embedded_files=True)
    # The key is namespaced by integration key: two ERPs may well pick the same keys.
    key = f"{key_id}:{idempotency_key}" if idempotency_key else None
    if key and (replayed := _replay(session, key, report.sha256, report.warnings)):
        return replayed

    agency = _agency(session, data.agency, brand_id)
    employee = _employee(session, agency, data.matricule) if data.matricule else None
    client = _client(session, agency, data.client) if data.client else None
    if employee is not None and data.is_cadre is not None:
        employee.is_cadre = data.is_cadre  # the payroll system is the source of this status
    assert data.document_date is not None
    document = Document(
        agency_id=agency.id,
        doc_type=data.doc_type,
        title=title,
        file_name=file_name,
        blob_sha256=report.sha256,
        size=report.size,
        pages=report.pages,
        employee_id=employee.id if employee else None,
        client_id=client.id if client else None,
        document_date=data.document_date,
        period_start=data.period_start,
        period_end=data.period_end,
        contract_number=data.contract_number,
        invoice_number=data.invoice_number,
        employee_last_name=employee.last_name if employee else None,
        employee_first_name=employee.first_name if employee else None,
        matricule=employee.matricule if employee else None,
        client_name=client.name if client else None,
        protection=Protection.TO_SIGN if data.must_sign else Protection.SIMPLE,
        signature_state=SignatureState.UNSIGNED if data.must_sign else SignatureState.NOT_REQUIRED,
        invoice_state=InvoiceState.NOT_DOWNLOADED if data.doc_type is DocumentType.INVOICE else None,
        is_cadre=data.is_cadre if data.is_cadre is not None else (employee.is_cadre if employee else None),
        origin="deposit",
        idempotency_key=key,
        created_at=now,
        changed_at=now,
    )
    if not insert_once(session, document):
        # A concurrent deposit with the same key won the race (PostgreSQL): answer as its replay.
        assert key is not None
        if replayed := _replay(session, key, report.sha256, report.warnings):
            return replayed
        raise Conflict("Dépôt concurrent avec la même clé d'idempotence.", code="idempotency_conflict")
    # Diffusion pilotée: the running campaigns this document triggers travel with it, in this transaction,
    # and its "nouveau document" mail announces them.
    companions = (
        campaign_triggers.on_document_delivered(session, blobs, document, employee, now, settings=settings)
        if employee is not None
        else []
    )
    delivered = deliver(session, document, settings=settings, now=now, companions=companions)
    # Every check has passed: store the blob now, before the audit event. On PostgreSQL recording the
    # event locks the chain's head until the commit, and hashing and syncing 5 MB must not hold that lock
    # (every write of every area waits on it). The blob may outlive a failed commit, harmlessly
    # (content-addressed, possibly shared with another document).
    blobs.put_file(path, sha256=report.sha256, move=True)
    audit.record(
        session,
        Actor("integration", key_id),
        "document.deposited",
        "document",
        document.id,
        agency_id=agency.id,
        details={
            "type": data.doc_type.value,
            "sha256": report.sha256,
            "size": report.size,
            "pages": report.pages,
            "employee_id": document.employee_id,
            "client_id": document.client_id,
            "deliveries": len(delivered.deliveries),
            "mails": len(delivered.mails),
            "campaign_documents": [d.id for d in companions],
        },
    )
    return DepositResult(
        document.id, report.sha256, report.pages, report.size, (*report.warnings, *delivered.warnings)
    )
