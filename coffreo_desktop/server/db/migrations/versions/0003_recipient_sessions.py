"""recipient sessions

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coffreo_desktop.server.db.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTCDateTime = coffreo_desktop.server.db.models.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "recipient_accounts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("activated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_accounts")),
        sa.UniqueConstraint("kind", "email", name=op.f("uq_recipient_accounts_kind_email")),
    )
    op.create_table(
        "recipient_sessions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("account_id", BigId, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["recipient_accounts.id"],
            name=op.f("fk_recipient_sessions_account_id_recipient_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_sessions")),
    )
    with op.batch_alter_table("recipient_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recipient_sessions_account_id"), ["account_id"], unique=False)

    op.create_table(
        "recipient_tokens",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["recipient_sessions.id"],
            name=op.f("fk_recipient_tokens_session_id_recipient_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_recipient_tokens_token_hash")),
    )
    with op.batch_alter_table("recipient_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_recipient_tokens_session_kind", ["session_id", "kind"], unique=False)

    op.create_table(
        "recipient_activations",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("employee_id", BigId, nullable=True),
        sa.Column("client_user_id", BigId, nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_user_id"],
            ["client_users.id"],
            name=op.f("fk_recipient_activations_client_user_id_client_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_recipient_activations_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_activations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_recipient_activations_token_hash")),
    )
    with op.batch_alter_table("recipient_activations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recipient_activations_client_user_id"), ["client_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recipient_activations_employee_id"), ["employee_id"], unique=False
        )

    # A recipient account finds its people by (lower-cased) email on every request.
    op.create_index("ix_employees_email_lower", "employees", [sa.text("lower(email)")], unique=False)
    op.create_index("ix_client_users_email_lower", "client_users", [sa.text("lower(email)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_client_users_email_lower", table_name="client_users")
    op.drop_index("ix_employees_email_lower", table_name="employees")
    with op.batch_alter_table("recipient_activations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipient_activations_employee_id"))
        batch_op.drop_index(batch_op.f("ix_recipient_activations_client_user_id"))
    op.drop_table("recipient_activations")
    with op.batch_alter_table("recipient_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_recipient_tokens_session_kind")
    op.drop_table("recipient_tokens")
    with op.batch_alter_table("recipient_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipient_sessions_account_id"))
    op.drop_table("recipient_sessions")
    op.drop_table("recipient_accounts")
