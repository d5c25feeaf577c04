"""Register lines keep how the criteria rules read their problems (criteria, flags, which rules)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = {"criteria_read": sa.Text(), "flags_read": sa.Text(), "read_by": sa.String(length=16)}


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("f2")}
    for name, kind in COLUMNS.items():
        if name not in have:  # a database made by create_all already has them
            op.add_column("f2", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("f2") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
