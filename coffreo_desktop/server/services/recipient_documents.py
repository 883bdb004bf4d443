"""The recipient side's documents (F7.1, F2.7): a worker's vault, a client user's company space, the first
download recorded per recipient, and invoice validation.

A worker sees what was delivered to any of their Employee rows (every employer). A client user sees their
companies' documents (the company's own delivery rows, which carry the invoice control), of the types
their rights allow today (delivery.may_receive). Anything else answers 404: existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, literal, or_, select, tuple_, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.server.db.models import Agency, Brand, ClientUser, Delivery, Document, RecipientAccount
from coffreo_desktop.server.db.models.recipients import CLIENT_USER
from coffreo_desktop.server.errors import Conflict, Forbidden, NotFound
from coffreo_desktop.server.services import audit, document_changes, search_cursor
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.delivery import may_receive
from coffreo_desktop.server.services.recipient_auth import client_users_of, employees_of

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
NOT_FOUND = "Document introuvable."
NOT_AN_INVOICE = "Seule une facture peut être validée ; ce document n'en est pas une."
NO_INVOICE_RIGHT = (
    "Votre accès ne comprend pas les factures de cette entreprise : "
    "demandez ce droit à l'administrateur de votre espace."
)
CLIENT_USERS_ONLY = "La validation des factures est réservée aux utilisateurs des entreprises clientes."
_SORT = "delivered_at"
_ORDER = "desc"


@dataclass(frozen=True)
class RecipientDocument:
    """One line of a vault or company space. Dates of the recipient's own delivery (the company's for a
    client user: the invoice control of F2.7 belongs to the company)."""

    id: int
    doc_type: DocumentType
    title: str
    file_name: str
    size: int
    pages: int
    document_date: date
    brand_name: str
    agency_name: str
    client_name: str | None
    signature_state: SignatureState
    signed_at: datetime | None
    invoice_state: InvoiceState | None
    delivered_at: datetime
    first_opened_at: datetime | None
    first_downloaded_at: datetime | None
    validated_at: datetime | None
    can_validate: bool


@dataclass(frozen=True)
class RecipientPage:
    items: list[RecipientDocument]
    next_cursor: str | None
    total: int


@dataclass(frozen=True)
class Found:
    """A document delivered to the caller: the delivery rows a download is recorded on (the recipient's
    own, and the company's for a client user) and, for a client user, the ClientUser row it reached."""

    document: Document
    delivery_ids: tuple[int, ...]
    client_user: ClientUser | None


@dataclass(frozen=True)
class _Scope:
    """Which delivery rows an account sees, and the ClientUser row behind each client company."""

    where: ColumnElement[bool]
    users_by_client: dict[int, ClientUser]


def _allowed_types(user: ClientUser) -> list[DocumentType]:
    return [t for t in DocumentType if may_receive(user, t)]


def _scope(session: Session, account: RecipientAccount, *, rights_apply: bool = True) -> _Scope:
    if account.kind != CLIENT_USER:
        ids = [e.id for e in employees_of(session, account)]
        return _Scope(Delivery.employee_id.in_(ids) if ids else false(), {})
    users = {u.client_id: u for u in client_users_of(session, account)}
    clauses = [
        and_(
            Delivery.client_id == client_id,
            Delivery.client_user_id.is_(None),  # the company's row: one line per document
            *([Document.doc_type.in_(_allowed_types(user))] if rights_apply else []),
        )
        for client_id, user in users.items()
    ]
    return _Scope(or_(*clauses) if clauses else false(), users)


def _account(session: Session, account_id: int) -> RecipientAccount:
    account = session.get(RecipientAccount, account_id)
    if account is None:  # the rule authenticated it within this very request
        raise NotFound(NOT_FOUND, code="document_not_found")
    return account


def _view(row: Any, scope: _Scope) -> RecipientDocument:
    delivery, doc, agency_name, brand_name = row
    user = scope.users_by_client.get(delivery.client_id) if delivery.client_id is not None else None
    is_invoice = doc.doc_type is DocumentType.INVOICE
    return RecipientDocument(
        id=doc.id,
        doc_type=doc.doc_type,
        title=doc.title,
        file_name=doc.file_name,
        size=doc.size,
        pages=doc.pages,
        document_date=doc.document_date,
        brand_name=brand_name,
        agency_name=agency_name,
        client_name=doc.client_name,
        signature_state=doc.signature_state,
        signed_at=doc.signed_at,
        invoice_state=doc.invoice_state if user is not None and is_invoice else None,
        delivered_at=delivery.delivered_at,
        first_opened_at=delivery.first_opened_at,
        first_downloaded_at=delivery.first_downloaded_at,
        validated_at=delivery.validated_at,
        can_validate=user is not None
        and is_invoice
        and user.can_invoices
        and doc.invoice_state is not InvoiceState.VALIDATED,
    )


def _select(where: list[ColumnElement[bool]]) -> Any:
    return (
        select(Delivery, Document, Agency.name, Brand.name)
        .join(Document, Document.id == Delivery.document_id)
        .join(Agency, Agency.id == Document.agency_id)
        .join(Brand, Brand.id == Agency.brand_id)
        .where(*where)
        # A validation or a download in this transaction changed rows already loaded: read them again.
        .execution_options(populate_existing=True)
    )


def list_documents(
    session: Session, account_id: int, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> RecipientPage:
    """The caller's documents, newest delivered first, keyset-paginated on (delivered_at, delivery id)."""
    account = _account(session, account_id)
    scope = _scope(session, account)
    where = [scope.where, Document.deleted_at.is_(None)]
    # The cursor continues this account's list only (and says nothing a stranger could use).
    digest = search_cursor.filters_digest(["recipient", account.id])
    total = (
        session.scalar(
            select(func.count())
            .select_from(Delivery)
            .join(Document, Document.id == Delivery.document_id)
            .where(*where)
        )
        or 0
    )
    page_where = list(where)
    if cursor:
        after = search_cursor.decode(cursor, "datetime", _SORT, _ORDER, digest)
        bound = tuple_(literal(after.key, type_=Delivery.delivered_at.type), after.id)
        page_where.append(tuple_(Delivery.delivered_at, Delivery.id) < bound)
    rows = session.execute(
        _select(page_where).order_by(Delivery.delivered_at.desc(), Delivery.id.desc()).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1][0]
        next_cursor = search_cursor.encode(
            search_cursor.Cursor(_SORT, _ORDER, digest, last.delivered_at, last.id)
        )
    return RecipientPage([_view(row, scope) for row in rows], next_cursor, total)


def describe(session: Session, account_id: int, document_id: int) -> RecipientDocument:
    account = _account(session, account_id)
    scope = _scope(session, account)
    row = session.execute(
        _select([scope.where, Document.id == document_id, Document.deleted_at.is_(None)])
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND, code="document_not_found")
    return _view(row, scope)


def find(session: Session, account_id: int, document_id: int, *, rights_apply: bool = True) -> Found:
    """The document if it was delivered to the caller (and, for a client user, their rights allow its type
    unless ``rights_apply`` is false); 404 otherwise, deleted documents included."""
    account = _account(session, account_id)
    scope = _scope(session, account, rights_apply=rights_apply)
    row = session.execute(
        select(Delivery, Document)
        .join(Document, Document.id == Delivery.document_id)
        .where(scope.where, Document.id == document_id, Document.deleted_at.is_(None))
        .order_by(Delivery.id)
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND, code="document_not_found")
    delivery, doc = row
    if delivery.client_id is None:  # a worker's delivery
        return Found(doc, (delivery.id,), None)
    user = scope.users_by_client[delivery.client_id]
    # The user's own row, when the document reached them by name (users added later have none).
    own = session.scalar(
        select(Delivery.id).where(Delivery.document_id == doc.id, Delivery.client_user_id == user.id)
    )
    return Found(doc, (delivery.id,) if own is None else (delivery.id, own), user)


def record_download(session: Session, found: Found, *, now: datetime) -> None:
    """The first opening and download of each delivery row, once (later downloads change nothing); a client
    user's first download of an invoice makes it "téléchargée" for the agency (F2.7), unless validated."""
    for column in (Delivery.first_opened_at, Delivery.first_downloaded_at):
        # Conditional updates: of two simultaneous downloads, only the first one's time is kept.
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(found.delivery_ids), column.is_(None))
            .values({column.key: now})
            .execution_options(synchronize_session=False)
        )
    doc, user = found.document, found.client_user
    if user is None or doc.doc_type is not DocumentType.INVOICE:
        return
    document_changes.touch(session, [doc.id])  # a bulk UPDATE: the change feed is told explicitly
    changed = session.execute(
        update(Document)
        .where(
            Document.id == doc.id,
            or_(Document.invoice_state.is_(None), Document.invoice_state == InvoiceState.NOT_DOWNLOADED),
        )
        .values(invoice_state=InvoiceState.DOWNLOADED, changed_at=now)  # the desktop's change feed sees it
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount == 1:  # type: ignore[attr-defined]
        audit.record(
            session,
            Actor(CLIENT_USER, user.id),
            "invoice.downloaded",
            "document",
            doc.id,
            agency_id=doc.agency_id,
            details={"invoice_number": doc.invoice_number, "client_id": user.client_id},
        )


def validate_invoice(
    session: Session, account_id: int, document_id: int, *, now: datetime
) -> RecipientDocument:
    """A client user with the invoice right validates an invoice of their company (F2.7); audited once.

    Validating an invoice already validated (by them or a colleague) changes nothing and answers its state.
    """
    if _account(session, account_id).kind != CLIENT_USER:
        raise Forbidden(CLIENT_USERS_ONLY, code="client_users_only")
    # Rights are checked below, to answer 403 rather than 404 to a user whose invoice right was withdrawn.
    found = find(session, account_id, document_id, rights_apply=False)
    doc, user = found.document, found.client_user
    assert user is not None
    if doc.doc_type is not DocumentType.INVOICE:
        raise Conflict(NOT_AN_INVOICE, code="not_an_invoice")
    if not user.can_invoices:
        raise Forbidden(NO_INVOICE_RIGHT, code="no_invoice_right")
    document_changes.touch(session, [doc.id])  # a bulk UPDATE: the change feed is told explicitly
    changed = session.execute(
        update(Document)
        .where(
            Document.id == doc.id,
            or_(Document.invoice_state.is_(None), Document.invoice_state != InvoiceState.VALIDATED),
        )
        .values(invoice_state=InvoiceState.VALIDATED, changed_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount == 1:  # type: ignore[attr-defined]
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(found.delivery_ids), Delivery.validated_at.is_(None))
            .values(validated_at=now)
            .execution_options(synchronize_session=False)
        )
        audit.record(
            session,
            Actor(CLIENT_USER, user.id),
            "invoice.validated",
            "document",
            doc.id,
            agency_id=doc.agency_id,
            details={"invoice_number": doc.invoice_number, "client_id": user.client_id},
        )
    return describe(session, account_id, document_id)
