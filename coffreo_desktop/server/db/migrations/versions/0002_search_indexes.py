"""search indexes: one partial index per sort of the documents search (issue 3, F2.4)

Each is (agency_id, sort key, id, filter columns) over live documents (deleted_at IS NULL): a page of one
agency is one range of it, in order, and the simple search's filters are checked in the index. They replace
ix_documents_agency_date, which the document_date one covers. The definitions are written out here, not
imported from the models, so that this revision stays what it was when the models change.

On PostgreSQL, extended statistics on the state columns too (no index, so not in the models): the planner
would otherwise take doc_type, signature_state and invoice_state as independent, while only invoices have
an invoice state and only contracts a signature state; it then underestimates a filter such as "factures
validées" fifteenfold and sorts thousands of rows where reading the sort's index in order takes 2 ms.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_KEYS = {
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
}
FILTER_COLUMNS = ("doc_type", "signature_state", "document_date", "invoice_state")
LIVE = "deleted_at IS NULL"
STATES_STATISTICS = "st_documents_search_states"


def upgrade() -> None:
    op.drop_index("ix_documents_agency_date", table_name="documents")
    for sort, key in SORT_KEYS.items():
        column = sa.text(key) if "(" in key else key
        op.create_index(
            f"ix_documents_search_{sort}",
            "documents",
            ["agency_id", column, "id", *(c for c in FILTER_COLUMNS if c != key)],
            unique=False,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE STATISTICS {STATES_STATISTICS} (dependencies, mcv) "
            "ON doc_type, signature_state, invoice_state FROM documents"
        )
        # Gathered now: autovacuum would analyze a large, quiet table only after many more changes.
        op.execute("ANALYZE documents")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP STATISTICS IF EXISTS {STATES_STATISTICS}")
    for sort in SORT_KEYS:
        op.drop_index(f"ix_documents_search_{sort}", table_name="documents")
    op.create_index(
        "ix_documents_agency_date", "documents", ["agency_id", "document_date", "id"], unique=False
    )
