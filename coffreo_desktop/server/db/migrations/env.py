"""Alembic environment: runs on the connection handed over by db.migrate (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from coffreo_desktop.server.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through db.migrate
    raise RuntimeError("Run migrations with `coffreo-server migrate`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
