"""The criteria readings of 主要问题 texts, kept so that a text is read once (issue 17)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "readings" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # a database made by create_all already has it
    op.create_table(
        "readings",
        sa.Column("read_by", sa.String(length=16), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("reading", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("read_by", "text_hash"),
    )


def downgrade() -> None:
    op.drop_table("readings")
