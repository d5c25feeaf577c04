"""Current findings per unit: the checks over each unit's stored returns, kept up to date at every store

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FINDING_COLUMNS = ("rule", "severity", "message", "file", "sheet", "cell", "unit", "category", "org", "form")
FRAMES = ("f1", "f2", "f3")


def upgrade() -> None:
    if "unit_checks" in sa.inspect(op.get_bind()).get_table_names():
        return  # a database made by create_all before migrations already has them
    op.create_table(
        "unit_checks",
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("owner"),
    )
    op.create_table(
        "current_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=name not in ("rule", "severity", "message")) for name in FINDING_COLUMNS),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_current_findings_owner", "current_findings", ["owner"], unique=False)
    # Every owner of stored rows is marked unchecked: its current findings are computed when first read.
    bind = op.get_bind()
    owners: dict[str, int] = {}
    for name in FRAMES:
        named = bind.execute(sa.text(f"SELECT unit, MAX(file_idx) FROM {name} WHERE unit IS NOT NULL GROUP BY unit"))
        unnamed = bind.execute(sa.text(f"SELECT DISTINCT file_idx, file_idx FROM {name} WHERE unit IS NULL"))
        for owner, last in [*named.all(), *((f"#{i}", j) for i, j in unnamed.all())]:
            owners[owner] = max(owners.get(owner, 0), int(last))
    if owners:
        table = sa.table("unit_checks", sa.column("owner", sa.Text), sa.column("stored", sa.Integer))
        op.bulk_insert(table, [{"owner": o, "stored": s} for o, s in sorted(owners.items())])


def downgrade() -> None:
    op.drop_index("ix_current_findings_owner", table_name="current_findings")
    op.drop_table("current_findings")
    op.drop_table("unit_checks")
