"""reminder slots and employee search keys (issue 7, F6.2)

reminder_slots: one row per reminded recipient, locked while a reminder is decided, so that the 24-hour
rule holds across restarts and concurrent server processes. employees.search_*: accent- and case-free keys
of the names and matricule (domain/search_text.py at the time of writing, copied here so that this
revision stays what it was), with one index each for the prefix search of "Mes salariés"; byte collation
("C") on PostgreSQL so that prefix ranges use the index whatever the locale.

Revision ID: 0006
Revises: 0005
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = {"search_last": "last_name", "search_first": "first_name", "search_matricule": "matricule"}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'"})


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()[:80]


def upgrade() -> None:
    key_type = sa.String(80).with_variant(sa.String(80, collation="C"), "postgresql")
    op.create_table(
        "reminder_slots",
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("target_kind", "target_id", name="pk_reminder_slots"),
    )
    # Plain ALTER TABLE, not batch: rebuilding the table on SQLite would drop its expression indexes.
    for column in KEYS:
        op.add_column("employees", sa.Column(column, key_type, nullable=False, server_default=""))
    conn = op.get_bind()
    employees = sa.table("employees", sa.column("id"), *(sa.column(c) for c in (*KEYS, *KEYS.values())))
    rows = conn.execute(sa.select(employees.c.id, *(employees.c[c] for c in KEYS.values()))).all()
    if rows:
        conn.execute(
            employees.update().where(employees.c.id == sa.bindparam("row_id")),
            [{"row_id": r[0], **{k: _key(r[i + 1]) for i, k in enumerate(KEYS)}} for r in rows],
        )
    op.create_index("ix_employees_search_name", "employees", ["search_last", "search_first", "id"])
    op.create_index("ix_employees_search_first", "employees", ["search_first"])
    op.create_index("ix_employees_search_matricule", "employees", ["search_matricule"])


def downgrade() -> None:
    for name in ("ix_employees_search_name", "ix_employees_search_first", "ix_employees_search_matricule"):
        op.drop_index(name, table_name="employees")
    for column in KEYS:
        op.drop_column("employees", column)
    op.drop_table("reminder_slots")
