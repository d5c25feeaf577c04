"""Explanations of warnings: why an analyst accepts a finding, kept beside it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEYS = ("unit", "rule", "file", "sheet", "cell", "org")


def upgrade() -> None:
    if "explanations" in sa.inspect(op.get_bind()).get_table_names():
        return  # a database made by create_all before migrations already has it
    op.create_table(
        "explanations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *(sa.Column(name, sa.Text(), nullable=name != "rule") for name in KEYS),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("explained_by", sa.Text(), nullable=False),
        sa.Column("explained_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_explanations_unit", "explanations", ["unit"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_explanations_unit", table_name="explanations")
    op.drop_table("explanations")
