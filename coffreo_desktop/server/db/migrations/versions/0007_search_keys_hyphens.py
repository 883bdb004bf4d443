"""employee search keys: hyphens and apostrophes read as spaces (issue 7, F6.2)

"Le-Gall" is now found by "le gall" and "O'Brien" by "o brien": the keys of every employee are computed
again with the rule of domain/search_text.py at the time of writing (copied here, so that this revision
stays what it was). Downgrade computes them back with the rule of 0006.

Revision ID: 0007
Revises: 0006
"""

import re
import unicodedata
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = {"search_last": "last_name", "search_first": "first_name", "search_matricule": "matricule"}
_LIGATURES_0006 = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": " ", "‘": " ", "ʼ": " ", "'": " ", "-": " "})
#: Rows per UPDATE batch (executemany): bounded memory on a large employee table.
BATCH = 5000


def _key_with(table: dict[int, str]) -> Callable[[str], str]:
    def key(text: str) -> str:
        folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(table))
        plain = "".join(c for c in folded if not unicodedata.combining(c))
        return re.sub(r"\s+", " ", plain).strip()[:80]

    return key


def _recompute(key: Callable[[str], str]) -> None:
    conn = op.get_bind()
    employees = sa.table("employees", sa.column("id"), *(sa.column(c) for c in (*KEYS, *KEYS.values())))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(employees.c.id, *(employees.c[c] for c in KEYS.values()))
            .where(employees.c.id > last)
            .order_by(employees.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        conn.execute(
            employees.update().where(employees.c.id == sa.bindparam("row_id")),
            [{"row_id": r[0], **{k: key(r[i + 1]) for i, k in enumerate(KEYS)}} for r in rows],
        )
        last = rows[-1][0]


def upgrade() -> None:
    _recompute(_key_with(_LIGATURES))


def downgrade() -> None:
    _recompute(_key_with(_LIGATURES_0006))
