"""The store as the first path left it: submissions, F1/F2/F3 frames, findings, meta

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 04:39:45.382806
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("forms", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index("ix_submissions_unit", ["unit"], unique=False)

    op.create_table(
        "f1",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_idx", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("table_idx", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("unit_raw", sa.Text(), nullable=True),
        sa.Column("unit_cell", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("category_raw", sa.Text(), nullable=True),
        sa.Column("category_cell", sa.Text(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("date_raw", sa.Text(), nullable=True),
        sa.Column("date_cell", sa.Text(), nullable=True),
        sa.Column("orgs_total", sa.Float(), nullable=True),
        sa.Column("orgs_total_cell", sa.Text(), nullable=True),
        sa.Column("orgs_total_pct_orgs", sa.Float(), nullable=True),
        sa.Column("orgs_total_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("orgs_total_pct_weak", sa.Float(), nullable=True),
        sa.Column("orgs_total_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("party_committees", sa.Float(), nullable=True),
        sa.Column("party_committees_cell", sa.Text(), nullable=True),
        sa.Column("party_committees_pct_orgs", sa.Float(), nullable=True),
        sa.Column("party_committees_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("party_committees_pct_weak", sa.Float(), nullable=True),
        sa.Column("party_committees_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("general_branches", sa.Float(), nullable=True),
        sa.Column("general_branches_cell", sa.Text(), nullable=True),
        sa.Column("general_branches_pct_orgs", sa.Float(), nullable=True),
        sa.Column("general_branches_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("general_branches_pct_weak", sa.Float(), nullable=True),
        sa.Column("general_branches_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("branches", sa.Float(), nullable=True),
        sa.Column("branches_cell", sa.Text(), nullable=True),
        sa.Column("branches_pct_orgs", sa.Float(), nullable=True),
        sa.Column("branches_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("branches_pct_weak", sa.Float(), nullable=True),
        sa.Column("branches_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("weak_total", sa.Float(), nullable=True),
        sa.Column("weak_total_cell", sa.Text(), nullable=True),
        sa.Column("weak_total_pct_orgs", sa.Float(), nullable=True),
        sa.Column("weak_total_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("weak_total_pct_weak", sa.Float(), nullable=True),
        sa.Column("weak_total_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("c1", sa.Float(), nullable=True),
        sa.Column("c1_cell", sa.Text(), nullable=True),
        sa.Column("c1_pct_orgs", sa.Float(), nullable=True),
        sa.Column("c1_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("c1_pct_weak", sa.Float(), nullable=True),
        sa.Column("c1_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("c2", sa.Float(), nullable=True),
        sa.Column("c2_cell", sa.Text(), nullable=True),
        sa.Column("c2_pct_orgs", sa.Float(), nullable=True),
        sa.Column("c2_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("c2_pct_weak", sa.Float(), nullable=True),
        sa.Column("c2_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("c3", sa.Float(), nullable=True),
        sa.Column("c3_cell", sa.Text(), nullable=True),
        sa.Column("c3_pct_orgs", sa.Float(), nullable=True),
        sa.Column("c3_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("c3_pct_weak", sa.Float(), nullable=True),
        sa.Column("c3_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("c4", sa.Float(), nullable=True),
        sa.Column("c4_cell", sa.Text(), nullable=True),
        sa.Column("c4_pct_orgs", sa.Float(), nullable=True),
        sa.Column("c4_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("c4_pct_weak", sa.Float(), nullable=True),
        sa.Column("c4_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("c5", sa.Float(), nullable=True),
        sa.Column("c5_cell", sa.Text(), nullable=True),
        sa.Column("c5_pct_orgs", sa.Float(), nullable=True),
        sa.Column("c5_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("c5_pct_weak", sa.Float(), nullable=True),
        sa.Column("c5_pct_weak_cell", sa.Text(), nullable=True),
        sa.Column("c6", sa.Float(), nullable=True),
        sa.Column("c6_cell", sa.Text(), nullable=True),
        sa.Column("c6_pct_orgs", sa.Float(), nullable=True),
        sa.Column("c6_pct_orgs_cell", sa.Text(), nullable=True),
        sa.Column("c6_pct_weak", sa.Float(), nullable=True),
        sa.Column("c6_pct_weak_cell", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["file_idx"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("f1", schema=None) as batch_op:
        batch_op.create_index("ix_f1_file_idx", ["file_idx"], unique=False)
        batch_op.create_index("ix_f1_unit", ["unit"], unique=False)

    op.create_table(
        "f2",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_idx", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("table_idx", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("unit_raw", sa.Text(), nullable=True),
        sa.Column("unit_cell", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("category_raw", sa.Text(), nullable=True),
        sa.Column("category_cell", sa.Text(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("date_raw", sa.Text(), nullable=True),
        sa.Column("date_cell", sa.Text(), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Float(), nullable=True),
        sa.Column("seq_cell", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_cell", sa.Text(), nullable=True),
        sa.Column("members", sa.Float(), nullable=True),
        sa.Column("members_cell", sa.Text(), nullable=True),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.Column("problems_cell", sa.Text(), nullable=True),
        sa.Column("secretary", sa.Text(), nullable=True),
        sa.Column("secretary_cell", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("phone_cell", sa.Text(), nullable=True),
        sa.Column("criteria_stated", sa.Text(), nullable=True),
        sa.Column("criteria_stated_cell", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("status_cell", sa.Text(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("accepted_on_cell", sa.Text(), nullable=True),
        sa.Column("members_raw", sa.Text(), nullable=True),
        sa.Column("phone_raw", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["file_idx"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("f2", schema=None) as batch_op:
        batch_op.create_index("ix_f2_file_idx", ["file_idx"], unique=False)
        batch_op.create_index("ix_f2_unit", ["unit"], unique=False)

    op.create_table(
        "f3",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_idx", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("table_idx", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("unit_raw", sa.Text(), nullable=True),
        sa.Column("unit_cell", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("category_raw", sa.Text(), nullable=True),
        sa.Column("category_cell", sa.Text(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("date_raw", sa.Text(), nullable=True),
        sa.Column("date_cell", sa.Text(), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Float(), nullable=True),
        sa.Column("seq_cell", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_cell", sa.Text(), nullable=True),
        sa.Column("members", sa.Float(), nullable=True),
        sa.Column("members_cell", sa.Text(), nullable=True),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.Column("problems_cell", sa.Text(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("measures_cell", sa.Text(), nullable=True),
        sa.Column("election_done", sa.Date(), nullable=True),
        sa.Column("election_done_cell", sa.Text(), nullable=True),
        sa.Column("secretary", sa.Text(), nullable=True),
        sa.Column("secretary_cell", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("phone_cell", sa.Text(), nullable=True),
        sa.Column("members_raw", sa.Text(), nullable=True),
        sa.Column("phone_raw", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["file_idx"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("f3", schema=None) as batch_op:
        batch_op.create_index("ix_f3_file_idx", ["file_idx"], unique=False)
        batch_op.create_index("ix_f3_unit", ["unit"], unique=False)

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sheet", sa.Text(), nullable=True),
        sa.Column("cell", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("org", sa.Text(), nullable=True),
        sa.Column("form", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_submission_id", ["submission_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_submission_id")

    op.drop_table("findings")
    with op.batch_alter_table("f3", schema=None) as batch_op:
        batch_op.drop_index("ix_f3_unit")
        batch_op.drop_index("ix_f3_file_idx")

    op.drop_table("f3")
    with op.batch_alter_table("f2", schema=None) as batch_op:
        batch_op.drop_index("ix_f2_unit")
        batch_op.drop_index("ix_f2_file_idx")

    op.drop_table("f2")
    with op.batch_alter_table("f1", schema=None) as batch_op:
        batch_op.drop_index("ix_f1_unit")
        batch_op.drop_index("ix_f1_file_idx")

    op.drop_table("f1")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_unit")

    op.drop_table("submissions")
    op.drop_table("meta")
