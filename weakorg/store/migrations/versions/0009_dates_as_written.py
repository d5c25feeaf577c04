"""A register's date written so that it cannot be read (换届选举完成时间 "3/5"), kept as written; a line listing an
organization again in its file, marked so that it is counted once

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = [
    ("f2", "accepted_on_raw", sa.Text),
    ("f3", "election_done_raw", sa.Text),
    ("f2", "listed_above", sa.Integer),
    ("f3", "listed_above", sa.Integer),
]


def upgrade() -> None:
    inspect = sa.inspect(op.get_bind())
    for table, column, kind in COLUMNS:
        if column not in {c["name"] for c in inspect.get_columns(table)}:  # a database made by create_all has it
            op.add_column(table, sa.Column(column, kind(), nullable=True))


def downgrade() -> None:
    for table, column, _ in COLUMNS:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35+ and PostgreSQL
