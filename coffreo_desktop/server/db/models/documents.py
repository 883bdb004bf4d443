"""Documents, their deliveries to recipients, and the signature evidence (F2, F3, F7.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, TextClause, text
from sqlalchemy.orm import Mapped, mapped_column

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, Protection, SignatureState
from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk, str200
from coffreo_desktop.server.db.models.org import enum_column

#: Signature states sort in the order of their French labels, as the list shows them: "Non signé",
#: "Sans signature", "Signé" (their stored values would give "Sans signature", "Signé", "Non signé"). Each
#: state becomes the letter of its rank; "unsigned" is replaced first, since it contains "signed".
SIGNATURE_SORT_LETTERS = (("unsigned", "a"), ("not_required", "b"), ("signed", "c"))


def _replaced(column: str, replacements: tuple[tuple[str, str], ...]) -> str:
    # Nested replace() rather than a CASE: PostgreSQL states a CASE index over several lines, which Alembic's
    # comparison of index expressions misreads as a change.
    for old, new in replacements:
        column = f"replace({column}, '{old}', '{new}')"
    return column


#: The key of every sort the documents search offers (F2.4), as SQL over the documents table. Nullable
#: text sorts as '' so that NULL orders the same on SQLite and PostgreSQL and a keyset bound is never NULL;
#: the search builds the very same expressions, which is what lets both planners match these indexes.
SEARCH_SORT_KEYS: dict[str, str] = {
    "document_date": "document_date",
    "doc_type": "doc_type",
    "title": "title",
    "last_name": "coalesce(employee_last_name, '')",
    "first_name": "coalesce(employee_first_name, '')",
    "matricule": "coalesce(matricule, '')",
    "client_name": "coalesce(client_name, '')",
    "contract_number": "coalesce(contract_number, '')",
    "invoice_number": "coalesce(invoice_number, '')",
    "size": "size",
    "created_at": "created_at",
    "invoice_state": "coalesce(invoice_state, '')",
    "signature_state": _replaced("signature_state", SIGNATURE_SORT_LETTERS),  # migration 0004
}
#: The sort by agency (its name, then its id) has no key over documents: the search reads each agency's
#: documents in id order from an (agency_id, id, filter columns) index, agency after agency (migration 0004).
AGENCY_SORT = "agency"
#: The columns of the simple search's filters (type, signed or not, period, invoice state), carried by every
#: search index so that a filter is checked in the index, without reading the table row (F2.2, F2.7).
SEARCH_FILTER_COLUMNS = ("doc_type", "signature_state", "document_date", "invoice_state")
#: Only live documents are ever searched: the indexes leave deleted ones out (the search's own condition).
LIVE = "deleted_at IS NULL"


def search_index_name(sort: str) -> str:
    return f"ix_documents_search_{sort}"


def _search_index(sort: str, key: str | None) -> Index:
    """(agency, sort key, id, filter columns) over live documents: one agency's page is a range of it. No key:
    (agency, id, filter columns), for the sort by agency."""
    keys: list[str | TextClause] = [] if key is None else [key if key.isidentifier() else text(key)]
    filters = [c for c in SEARCH_FILTER_COLUMNS if c != key]
    live = text(LIVE)
    return Index(
        search_index_name(sort), "agency_id", *keys, "id", *filters, sqlite_where=live, postgresql_where=live
    )


class Document(Base):
    """A delivered document. Search fields are denormalised here so that every offered sort has an index."""

    __tablename__ = "documents"
    __table_args__ = (
        # Keyset pagination of the search: one index per sort (see SEARCH_SORT_KEYS, migrations 0002, 0004).
        *(_search_index(sort, key) for sort, key in SEARCH_SORT_KEYS.items()),
        _search_index(AGENCY_SORT, None),
        Index("ix_documents_agency_type_date", "agency_id", "doc_type", "document_date", "id"),
        Index("ix_documents_employee", "employee_id", "document_date"),
        Index("ix_documents_client", "client_id", "document_date"),
        Index("ix_documents_changed", "changed_at", "id"),
    )
    id: Mapped[intpk]
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id"))
    doc_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType))
    title: Mapped[str200]
    file_name: Mapped[str] = mapped_column(String(255))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    pages: Mapped[int]
    employee_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("employees.id"), default=None)
    client_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("client_companies.id"), default=None)
    # The date users search and sort on: the pay period's end, the contract's start, the invoice date.
    document_date: Mapped[date]
    period_start: Mapped[date | None] = mapped_column(default=None)
    period_end: Mapped[date | None] = mapped_column(default=None)
    contract_number: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    invoice_number: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    # Denormalised names for search and sort without joins ("nom", "prénom", "client").
    employee_last_name: Mapped[str | None] = mapped_column(String(80), default=None)
    employee_first_name: Mapped[str | None] = mapped_column(String(80), default=None)
    matricule: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    client_name: Mapped[str | None] = mapped_column(String(200), default=None)
    protection: Mapped[Protection] = mapped_column(enum_column(Protection), default=Protection.SIMPLE)
    signature_state: Mapped[SignatureState] = mapped_column(
        enum_column(SignatureState), default=SignatureState.NOT_REQUIRED
    )
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    invoice_state: Mapped[InvoiceState | None] = mapped_column(enum_column(InvoiceState), default=None)
    is_cadre: Mapped[bool | None] = mapped_column(default=None)
    origin: Mapped[str] = mapped_column(String(20), default="deposit")  # deposit | diffusion | campaign
    campaign_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("campaigns.id"), default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None, unique=True)
    created_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("staff_users.id"), default=None)
    created_at: Mapped[created_at]
    changed_at: Mapped[created_at]  # bumped on every change: feeds incremental synchronisation
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class Delivery(Base):
    """A document delivered to one recipient's vault; first download and validation for invoice control."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_document", "document_id"),
        # A recipient's vault lists its deliveries; deleting a person or a client checks them too.
        Index("ix_deliveries_employee", "employee_id"),
        Index("ix_deliveries_client", "client_id"),
        Index("ix_deliveries_client_user", "client_user_id"),
    )
    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(BigId, ForeignKey("documents.id", ondelete="CASCADE"))
    employee_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("employees.id"), default=None)
    client_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("client_users.id"), default=None)
    client_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("client_companies.id"), default=None)
    delivered_at: Mapped[created_at]
    first_opened_at: Mapped[datetime | None] = mapped_column(default=None)
    first_downloaded_at: Mapped[datetime | None] = mapped_column(default=None)
    validated_at: Mapped[datetime | None] = mapped_column(default=None)


class SigningCode(Base):
    """A one-time code sent by mail to a signer; only its hash is kept."""

    __tablename__ = "signing_codes"
    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    signer_kind: Mapped[str] = mapped_column(String(20))  # employee | client_user
    signer_id: Mapped[int] = mapped_column(BigId)
    code_hash: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)


class SignatureEvidence(Base):
    """The evidence record of one signature: who, when, the code, the hashes before and after, the address."""

    __tablename__ = "signature_evidence"
    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    signer_kind: Mapped[str] = mapped_column(String(20))
    signer_id: Mapped[int] = mapped_column(BigId)
    signer_name: Mapped[str200]
    signer_email: Mapped[str] = mapped_column(String(254))
    sha256_before: Mapped[str] = mapped_column(String(64))
    sha256_after: Mapped[str] = mapped_column(String(64))
    code_sent_at: Mapped[datetime]
    code_verified_at: Mapped[datetime]
    signed_at: Mapped[datetime]
    client_address: Mapped[str] = mapped_column(String(64), default="")
