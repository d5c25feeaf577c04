"""Submissions held back until an analyst confirms them (a 填表时间 after today or long before the campaign)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("submissions")}
    if "held" not in have:  # a database made by create_all already has it
        op.add_column("submissions", sa.Column("held", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # Not batch mode: recreating submissions on SQLite would drop it, and foreign keys cascade the drop.
    op.execute("ALTER TABLE submissions DROP COLUMN held")  # SQLite 3.35+ and PostgreSQL
