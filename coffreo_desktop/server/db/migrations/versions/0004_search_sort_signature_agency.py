"""search indexes for the sorts by signature state and by agency (issue 3, F2.4)

Like those of 0002, partial indexes over live documents holding the filter columns:
- signature_state: (agency_id, the state's rank in French label order, id, filters): "Non signé",
  "Sans signature", "Signé", the rank written as one letter by nested replace();
- agency: (agency_id, id, filters): the sort by agency name reads each agency's documents in id order, agency
  after agency, the agencies ranked by name for each request.
The definitions are written out here, not imported from the models, so that this revision stays what it was
when the models change.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE_KEY = (
    "replace(replace(replace(signature_state, 'unsigned', 'a'), 'not_required', 'b'), 'signed', 'c')"
)
FILTER_COLUMNS = ("doc_type", "signature_state", "document_date", "invoice_state")
LIVE = "deleted_at IS NULL"


def upgrade() -> None:
    for name, keys in (
        ("ix_documents_search_signature_state", [sa.text(SIGNATURE_KEY)]),
        ("ix_documents_search_agency", []),
    ):
        op.create_index(
            name,
            "documents",
            ["agency_id", *keys, "id", *FILTER_COLUMNS],
            unique=False,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )


def downgrade() -> None:
    op.drop_index("ix_documents_search_agency", table_name="documents")
    op.drop_index("ix_documents_search_signature_state", table_name="documents")
