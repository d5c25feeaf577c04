"""Analysts' corrections of how an organization's 主要问题 reads (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 05:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "reading_corrections" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # a database made by create_all already has it
    op.create_table(
        "reading_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("criteria", sa.String(length=32), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reading_corrections_unit", "reading_corrections", ["unit"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reading_corrections_unit", table_name="reading_corrections")
    op.drop_table("reading_corrections")
