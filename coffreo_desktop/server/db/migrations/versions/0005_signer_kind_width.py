"""signer kinds fit "client_user"

signing_codes.signer_kind and signature_evidence.signer_kind were String(10), one character short of
"client_user" (PostgreSQL refused the insert; SQLite does not enforce lengths).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("signing_codes", "signature_evidence")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("signer_kind", type_=sa.String(20), existing_type=sa.String(10))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("signer_kind", type_=sa.String(10), existing_type=sa.String(20))
