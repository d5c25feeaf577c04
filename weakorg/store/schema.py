"""The store's tables (SQLAlchemy Core) and the SQL type of every frame column (of its kind: ``tables.column_kind``).

Portable SQL only: the same schema runs on SQLite (the embedded default) and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from weakorg.consolidate import READING_COLUMNS
from weakorg.findings import FINDING_COLUMNS
from weakorg.tables import FRAME_COLUMNS, column_kind
from weakorg.vocab import F1, F2, F3, FORMS

metadata = MetaData()

# Columns a located table always has: a row without them is refused by the database.
REQUIRED_COLUMNS = frozenset({"file_idx", "table_idx", "sheet"})


_SQL_TYPES = {"date": Date, "int": Integer, "float": Float, "text": Text}

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("uploaded_by", Text, nullable=False, default=""),
    Column("unit", Text),
    Column("forms", Text, nullable=False),  # "F1,F2"
    Column("categories", Text, nullable=False),  # "农村,学校" (F1 categories, in file order)
    Column("reported_on", Date),  # the latest 填表时间 of the file's tables
    Column("status", String(16), nullable=False),
    Column("content", LargeBinary),
    # Why the submission does not stand until an analyst confirms it (a confirmations row of that kind):
    # "date" when a 填表时间 is after the day it was stored or long before the campaign; NULL: it stands.
    Column("held", String(16)),
    Index("ix_submissions_unit", "unit"),
)


def frame_columns(form: str) -> list[str]:
    """The distinct columns of a form's frame (F2 names ``category`` both in its header and its rows)."""
    return list(FRAME_COLUMNS[form])


# F2 lines also keep how the criteria rules read their 主要问题 (text; ``read_by`` names the rules).
STORED_EXTRA = {F2: list(READING_COLUMNS)}


def stored_columns(form: str) -> list[str]:
    """The columns the store keeps of a form's rows: the frame's, and for F2 the reading of its problems."""
    return [*frame_columns(form), *STORED_EXTRA.get(form, [])]


def _frame_table(form: str) -> Table:
    cols = [Column("id", Integer, primary_key=True, autoincrement=True)]
    for name in stored_columns(form):
        if name == "file_idx":
            cols.append(Column(name, Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False))
        else:
            kind = String(16) if name == "read_by" else _SQL_TYPES[column_kind(name)]
            cols.append(Column(name, kind, nullable=name not in REQUIRED_COLUMNS))
    return Table(
        form.lower(),
        metadata,
        *cols,
        Index(f"ix_{form.lower()}_file_idx", "file_idx"),
        Index(f"ix_{form.lower()}_unit", "unit"),
    )


frames = {form: _frame_table(form) for form in FORMS}
f1, f2, f3 = frames[F1], frames[F2], frames[F3]

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    *(Column(name, Text, nullable=name not in ("rule", "severity", "message")) for name in FINDING_COLUMNS),
    Column("source", String(8), nullable=False),  # "read" (found while reading) or "check" (run_checks)
    Index("ix_findings_submission_id", "submission_id"),
)

# Why an analyst accepts a warning (an error cannot be explained, only fixed by a corrected return).
# Append-only: a finding is known by EXPLANATION_KEYS; its latest explanation stands.
EXPLANATION_KEYS = ("unit", "rule", "file", "sheet", "cell", "org")
explanations = Table(
    "explanations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *(Column(name, Text, nullable=name != "rule") for name in EXPLANATION_KEYS),
    Column("reason", Text, nullable=False),
    Column("explained_by", Text, nullable=False, default=""),
    Column("explained_at", DateTime, nullable=False),
    Index("ix_explanations_unit", "unit"),
)

# One row: a counter bumped in the same transaction as every change, the caches' key.
meta = Table(
    "meta",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)

# The current findings of every unit: the checks run over the unit's stored returns, kept up to date
# when files are stored (the findings each submission got at its upload stay in ``findings``).
# An owner is a unit, or "#<submission id>" for the rows of a file that name no known unit.
unit_checks = Table(
    "unit_checks",
    metadata,
    Column("owner", Text, primary_key=True),
    Column("stored", Integer, nullable=False),  # the id of the owner's latest stored submission
    Column("checked", Integer),  # the ``stored`` its current findings reflect; NULL: not checked yet
    Column("fingerprint", String(64)),  # of the campaign and the rules they were checked under
)
current_findings = Table(
    "current_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", Text, nullable=False),
    *(Column(name, Text, nullable=name not in ("rule", "severity", "message")) for name in FINDING_COLUMNS),
    Index("ix_current_findings_owner", "owner"),
)


# --- accounts, sessions, the audit log and corrections of the record (issue 13) ---------------------------

# Local accounts. ``role`` is a key of vocab.ROLES; ``units`` the canonical units a scoped role may see
# ("双峰县,新化县"; "" = none); the password only as an argon2 hash.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", Text, nullable=False, default=""),
    Column("role", String(16), nullable=False),
    Column("units", Text, nullable=False, default=""),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("password_changed_at", DateTime, nullable=False),
)

# A sign-in: the token a browser keeps names its id; signing out or expiry ends it (``ended_at``).
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("issued_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("origin", Text),
    Index("ix_sessions_username", "username"),
)

# Server-side settings the deployment makes once (the key that signs sign-in tokens).
settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Append-only: who did what, when, to what, from where. No code path updates or deletes a row.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("account", String(64), nullable=False),  # "" when nobody is signed in (a failed sign-in names the try)
    Column("action", String(32), nullable=False),
    Column("outcome", String(16), nullable=False, default="ok"),  # ok / refused
    Column("unit", Text),
    Column("file", Text),
    Column("sha256", String(64)),
    Column("detail", Text),
    Column("origin", Text),  # where the request came from, when Streamlit says
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_account", "account"),
)

# Append-only: a submission withdrawn with a reason stops standing; the unit's previous return stands again.
withdrawals = Table(
    "withdrawals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_withdrawals_submission_id", "submission_id"),
)

# Append-only: an analyst's word on a submission: that a return dated in the future or long before the
# campaign stands (kind "date"), or which unit a file belongs to (kind "unit", value the canonical unit).
confirmations = Table(
    "confirmations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", Text),
    Column("reason", Text, nullable=False, default=""),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_confirmations_submission_id", "submission_id"),
)

# Append-only: an analyst's word on how an organization's 主要问题 reads (issue 15). Known by the unit, the
# organization's normalized name and a hash of its normalized text; the latest word on a key stands, and only
# while the unit's register says the same text (weakorg/store/corrections.py).
reading_corrections = Table(
    "reading_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("problems", Text, nullable=False),  # the text the correction was made on (exported as labelled data)
    Column("criteria", String(32), nullable=False),  # "1,5"; "" = none
    Column("flags", Text, nullable=False),  # keys of vocab.FLAGS, "vote_buying,petitions"; "" = none
    Column("note", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_reading_corrections_unit", "unit"),
)

# What the criteria rules and model read in a 主要问题 text (weakorg/store/readings.py): kept so that a text is read
# once, not again after a restart or by another server. Known by the digest of the rules that read it
# (consolidate.readings_digest) and a hash of the text; never changed, and no record: the text's reading again.
readings = Table(
    "readings",
    metadata,
    Column("read_by", String(16), primary_key=True),
    Column("text_hash", String(64), primary_key=True),
    Column("reading", Text, nullable=False),  # the Classification as JSON
)
