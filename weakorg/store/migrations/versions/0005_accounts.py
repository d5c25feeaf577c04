"""Accounts, sign-in sessions, settings, the audit log, withdrawals and confirmations (issue 13)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("users", "sessions", "settings", "audit_log", "withdrawals", "confirmations")


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if "users" not in have:  # a database made by create_all already has them all
        op.create_table(
            "users",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("username", sa.String(length=64), nullable=False),
            sa.Column("display_name", sa.Text(), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("units", sa.Text(), nullable=False),
            sa.Column("password_hash", sa.Text(), nullable=False),
            sa.Column("disabled", sa.Boolean(), nullable=False),
            sa.Column("failed_attempts", sa.Integer(), nullable=False),
            sa.Column("locked_until", sa.DateTime(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("password_changed_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("username"),
        )
    if "sessions" not in have:
        op.create_table(
            "sessions",
            sa.Column("id", sa.String(length=64), nullable=False),
            sa.Column("username", sa.String(length=64), nullable=False),
            sa.Column("issued_at", sa.DateTime(), nullable=False),
            sa.Column("last_seen", sa.DateTime(), nullable=False),
            sa.Column("ended_at", sa.DateTime(), nullable=True),
            sa.Column("origin", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_sessions_username", "sessions", ["username"], unique=False)
    if "settings" not in have:
        op.create_table(
            "settings",
            sa.Column("key", sa.String(length=64), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    if "audit_log" not in have:
        op.create_table(
            "audit_log",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("account", sa.String(length=64), nullable=False),
            sa.Column("action", sa.String(length=32), nullable=False),
            sa.Column("outcome", sa.String(length=16), nullable=False),
            sa.Column("unit", sa.Text(), nullable=True),
            sa.Column("file", sa.Text(), nullable=True),
            sa.Column("sha256", sa.String(length=64), nullable=True),
            sa.Column("detail", sa.Text(), nullable=True),
            sa.Column("origin", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)
        op.create_index("ix_audit_log_account", "audit_log", ["account"], unique=False)
    for name in ("withdrawals", "confirmations"):
        if name in have:
            continue
        extra = (
            [sa.Column("reason", sa.Text(), nullable=False)]
            if name == "withdrawals"
            else [
                sa.Column("kind", sa.String(length=16), nullable=False),
                sa.Column("value", sa.Text(), nullable=True),
                sa.Column("reason", sa.Text(), nullable=False),
            ]
        )
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("submission_id", sa.Integer(), nullable=False),
            *extra,
            sa.Column("by", sa.String(length=64), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(f"ix_{name}_submission_id", name, ["submission_id"], unique=False)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
