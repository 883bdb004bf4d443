"""reminder slots per mailbox (issue 7, F6.2-3)

The 24-hour reminder rule keys on the lower-cased, stripped address per kind of target ("employee",
"client_user"), not on the row: a person with two Employee rows, or one address as user of two clients, is
reminded once per 24 hours. The existing slots move to their row's address (the latest last_sent_at per
address wins); a slot whose row is gone or has no address is dropped. Downgrade gives every row of an
address that address's slot back. Byte collation ("C") on PostgreSQL: reminders lock slots in sorted
address order, which must be Python's (services/reminders.py).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The kinds of target that have a slot, and the table holding each one's address.
SOURCES = {"employee": "employees", "client_user": "client_users"}
#: Rows per INSERT batch (executemany): bounded memory on a large slot table.
BATCH = 5000


def _mailbox(email: str | None) -> str:
    # services/reminders.py mailbox() at the time of writing, copied so this revision stays what it was.
    return (email or "").strip().lower()


def _addresses(conn: sa.Connection, kind: str) -> dict[int, str]:
    """Each row of this kind with an address: id -> mailbox."""
    table = sa.table(SOURCES[kind], sa.column("id"), sa.column("email"))
    rows = conn.execute(sa.select(table.c.id, table.c.email).where(table.c.email != ""))
    return {row_id: key for row_id, email in rows if (key := _mailbox(email))}


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def _insert(conn: sa.Connection, table: sa.TableClause, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start : start + BATCH])


def _slots_table(key: sa.Column[Any]) -> None:
    op.create_table(
        "reminder_slots",
        sa.Column("target_kind", sa.String(20), nullable=False),
        key,
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("target_kind", key.name, name="pk_reminder_slots"),
    )


def upgrade() -> None:
    conn = op.get_bind()
    old = sa.table(
        "reminder_slots", sa.column("target_kind"), sa.column("target_id"), sa.column("last_sent_at")
    )
    latest: dict[tuple[str, str], datetime | None] = {}
    for kind in SOURCES:
        address_of = _addresses(conn, kind)
        rows = conn.execute(sa.select(old.c.target_id, old.c.last_sent_at).where(old.c.target_kind == kind))
        for target_id, last in rows:
            if (address := address_of.get(target_id)) is not None:
                slot = (kind, address)
                latest[slot] = _later(latest.get(slot), last)
    op.drop_table("reminder_slots")
    key_type = sa.String(254).with_variant(sa.String(254, collation="C"), "postgresql")
    _slots_table(sa.Column("address", key_type, nullable=False))
    new = sa.table(
        "reminder_slots", sa.column("target_kind"), sa.column("address"), sa.column("last_sent_at")
    )
    _insert(conn, new, [{"target_kind": k, "address": a, "last_sent_at": t} for (k, a), t in latest.items()])


def downgrade() -> None:
    conn = op.get_bind()
    new = sa.table(
        "reminder_slots", sa.column("target_kind"), sa.column("address"), sa.column("last_sent_at")
    )
    slots = {
        (k, a): t for k, a, t in conn.execute(sa.select(new.c.target_kind, new.c.address, new.c.last_sent_at))
    }
    rows: list[dict[str, Any]] = []
    for kind in SOURCES:
        for target_id, address in _addresses(conn, kind).items():
            if (kind, address) in slots:
                rows.append(
                    {"target_kind": kind, "target_id": target_id, "last_sent_at": slots[kind, address]}
                )
    op.drop_table("reminder_slots")
    _slots_table(sa.Column("target_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False))
    old = sa.table(
        "reminder_slots", sa.column("target_kind"), sa.column("target_id"), sa.column("last_sent_at")
    )
    _insert(conn, old, rows)
