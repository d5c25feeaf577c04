"""The store of every submission: append-only, one transaction per file, readable by scope.

SQLite (``data/weakorg.db``) is the embedded default; ``WEAKORG_DATABASE_URL`` names any
other SQLAlchemy URL (PostgreSQL for a multi-user deployment). Every read takes a scope
(a set of units, None for all) so that roles can restrict what a page, a download or a
cache sees.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Engine,
    case,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from weakorg.findings import ERROR, FINDING_COLUMNS, Finding
from weakorg.store import schema
from weakorg.tables import FRAME_COLUMNS, FileResult, Returns, Table, returns_from_files
from weakorg.vocab import F1, F2, F3, FORMS

ENV_URL = "WEAKORG_DATABASE_URL"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "weakorg.db"

SUBMISSION_COLUMNS = (
    "id",
    "name",
    "size",
    "uploaded_at",
    "uploaded_by",
    "unit",
    "forms",
    "categories",
    "reported_on",
    "status",
    "sha256",
)


def database_url(url: str | None = None) -> str:
    """The database URL in force: the argument, else the environment, else the SQLite default."""
    return url or os.environ.get(ENV_URL) or f"sqlite:///{DEFAULT_PATH}"


WRITE = {"weakorg_write": True}  # execution option of connections that write: SQLite begins them IMMEDIATE


def _sqlite_connect(dbapi_conn, _record) -> None:
    """Pragmas of every SQLite connection; the driver's own transaction handling is switched off."""
    dbapi_conn.isolation_level = None  # pysqlite would begin lazily and deferred: we emit BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn) -> None:
    """Writers take the write lock at BEGIN (no lost update, no deadlock on upgrade); readers get a snapshot."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("weakorg_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout, synchronous=FULL, BEGIN IMMEDIATE for writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    memory = parsed.database in (None, "", ":memory:")
    if not memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        **({"poolclass": StaticPool} if memory else {}),
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


# --- values between frames and SQL ------------------------------------------------------------


def _missing(v) -> bool:
    if v is None or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _to_sql(kind: str, v):
    """One frame value as the SQL value of its column kind; raises ValueError on a value of the wrong kind."""
    if isinstance(v, (list, tuple, set)):
        if kind != "text":
            raise ValueError(f"a list where a {kind} is expected: {v!r}")
        return ",".join(str(x) for x in v)
    if _missing(v):
        return None
    if kind == "float":
        if isinstance(v, (bool, str, bytes)):
            raise ValueError(f"not a number: {v!r}")
        return float(v)
    if kind == "int":
        f = float(v)
        if not f.is_integer():
            raise ValueError(f"not a whole number: {v!r}")
        return int(f)
    if kind == "date":
        if isinstance(v, datetime):  # pd.Timestamp is a datetime
            return v.date()
        if isinstance(v, date):
            return v
        raise ValueError(f"not a date: {v!r}")
    return v if isinstance(v, str) else str(v)


def _records(frame: pd.DataFrame, form: str) -> list[dict]:
    """The frame's rows as SQL-ready dicts, one converted value per column."""
    cols = schema.frame_columns(form)
    data = frame.reindex(columns=cols).astype(object)
    converted = {c: [_to_sql(schema.column_kind(c), v) for v in data[c].tolist()] for c in cols}
    return [dict(zip(cols, values, strict=True)) for values in zip(*converted.values(), strict=True)]


def _typed(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    """A frame read back from SQL with the in-memory dtypes: floats, whole numbers, dates and text."""
    out = frame.reindex(columns=schema.frame_columns(form))
    for c in out.columns:
        kind = schema.column_kind(c)
        if kind == "float":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
        elif kind == "int":
            out[c] = out[c].astype("int64") if out[c].notna().all() else out[c].astype("Int64")
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out.reindex(columns=list(FRAME_COLUMNS[form]))


def _stub_tables(row: dict) -> list[Table]:
    """Light tables (no rows) that let a rebuilt FileResult tell its unit, forms and categories."""
    forms = [f for f in (row["forms"] or "").split(",") if f]
    categories = [c for c in (row["categories"] or "").split(",") if c]
    empty = pd.DataFrame()
    out: list[Table] = []
    for form in forms:
        for category in categories if form == F1 and categories else [None]:
            out.append(Table(form, "", empty, unit=row["unit"], unit_raw=row["unit"], category=category))
    return out


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x7765616B  # PostgreSQL advisory lock that lets one process at a time migrate


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic ``upgrade head``) and seed the version row.

    One transaction, one process at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
    lock). A database made before migrations existed (same tables, no alembic_version) is
    stamped as the initial revision first.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables and schema.submissions.name in tables:
            command.stamp(config, "0001")
        command.upgrade(config, "head")
        if conn.execute(select(schema.meta.c.id)).first() is None:
            conn.execute(insert(schema.meta).values(id=1, version=0))


class Store:
    """Every submission with its frames and findings, in one SQL database."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.writer = self.engine.execution_options(**WRITE)  # the same pool; its transactions write
        migrate(self.writer)

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    # --- writing -------------------------------------------------------------------------------

    def add(self, file_result: FileResult, findings: Iterable[Finding] = (), uploaded_by: str = "") -> int:
        """Store a read file, its frames and findings in one transaction; the submission id.

        The same content (sha256) again stores nothing and returns the existing id.
        A refused file is never stored: ``ValueError``. So is a value of the wrong kind
        in a frame column; any failure leaves the database exactly as before.
        """
        fr = file_result
        if not fr.ok:
            raise ValueError(f"refused file is not stored: {fr.name} ({fr.reason})")
        sha = fr.sha256 or (hashlib.sha256(fr.content).hexdigest() if fr.content is not None else "")
        if not sha:
            raise ValueError(f"{fr.name}: neither sha256 nor content given")
        existing = self.submission_id(sha)
        if existing is not None:
            return existing
        dates = [t.reported_on for t in fr.tables if t.reported_on is not None]
        read = list(dict.fromkeys(fr.findings))
        seen = set(read)
        checked = [f for f in dict.fromkeys(findings) if f not in seen]
        try:
            with self.writer.begin() as conn:
                sid = conn.execute(
                    insert(schema.submissions).values(
                        sha256=sha,
                        name=fr.name,
                        size=int(fr.size or (len(fr.content) if fr.content is not None else 0)),
                        uploaded_at=datetime.now(UTC).replace(tzinfo=None),
                        uploaded_by=uploaded_by or "",
                        unit=fr.unit,
                        forms=",".join(fr.forms),
                        categories=",".join(fr.categories),
                        reported_on=max(dates) if dates else None,
                        status=fr.status,
                        content=fr.content,
                    )
                ).inserted_primary_key[0]
                rets = returns_from_files([fr], first_idx=sid)
                for form in FORMS:
                    records = _records(rets.frame(form), form)
                    if records:
                        conn.execute(insert(schema.frames[form]), records)
                rows = [{"submission_id": sid, "source": "read", **f.to_dict()} for f in read]
                rows += [{"submission_id": sid, "source": "check", **f.to_dict()} for f in checked]
                if rows:
                    conn.execute(insert(schema.findings), rows)
                conn.execute(update(schema.meta).values(version=schema.meta.c.version + 1))
        except IntegrityError:
            existing = self.submission_id(sha)  # the same file stored by another process meanwhile
            if existing is not None:
                return existing
            raise
        return int(sid)

    def explain(self, finding: Finding, reason: str, by: str = "") -> None:
        """Store why a warning (or note) is accepted; an error cannot be explained (``ValueError``), only fixed."""
        if finding.severity == ERROR:
            raise ValueError(f"an error cannot be explained, only fixed by a corrected return: {finding.rule}")
        if not reason or not reason.strip():
            raise ValueError("an explanation needs a reason")
        keys = {k: getattr(finding, k) for k in schema.EXPLANATION_KEYS}
        with self.writer.begin() as conn:
            conn.execute(
                insert(schema.explanations).values(
                    **keys,
                    reason=reason.strip(),
                    explained_by=by or "",
                    explained_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            conn.execute(update(schema.meta).values(version=schema.meta.c.version + 1))

    def explanations(self, units: set[str] | None = None) -> pd.DataFrame:
        """The standing explanation of each explained finding (the latest), of the units in scope."""
        e = schema.explanations
        stmt = select(*(e.c[c] for c in (*schema.EXPLANATION_KEYS, "reason", "explained_by", "explained_at")))
        if units is not None:
            stmt = stmt.where(e.c.unit.in_(sorted(units)))
        with self.engine.connect() as conn:
            out = pd.read_sql(stmt.order_by(e.c.id), conn)
        out = out.drop_duplicates(list(schema.EXPLANATION_KEYS), keep="last").reset_index(drop=True)
        return out.astype(object).where(out.notna(), None)

    # --- reading -------------------------------------------------------------------------------

    def version(self) -> int:
        """A number that changes whenever the stored data changes: the key of every cache."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(schema.meta.c.version)).scalar_one())

    def is_empty(self) -> bool:
        """Whether nothing has been stored yet."""
        with self.engine.connect() as conn:
            return conn.execute(select(schema.submissions.c.id).limit(1)).first() is None

    def submission_id(self, sha256: str) -> int | None:
        """The id of the submission with this content hash, or None."""
        with self.engine.connect() as conn:
            sid = conn.execute(select(schema.submissions.c.id).where(schema.submissions.c.sha256 == sha256)).scalar()
        return None if sid is None else int(sid)

    def content(self, submission_id: int) -> bytes | None:
        """The stored bytes of a submission, or None."""
        s = schema.submissions
        with self.engine.connect() as conn:
            return conn.execute(select(s.c.content).where(s.c.id == submission_id)).scalar()

    def submissions(self, units: set[str] | None = None) -> pd.DataFrame:
        """The stored submissions in upload order, with counts of their errors and warnings."""
        s, f = schema.submissions, schema.findings
        counts = (
            select(
                f.c.submission_id,
                func.sum(case((f.c.severity == "error", 1), else_=0)).label("errors"),
                func.sum(case((f.c.severity == "warning", 1), else_=0)).label("warnings"),
            )
            .group_by(f.c.submission_id)
            .subquery()
        )
        stmt = (
            select(*(s.c[c] for c in SUBMISSION_COLUMNS), counts.c.errors, counts.c.warnings)
            .outerjoin(counts, counts.c.submission_id == s.c.id)
            .order_by(s.c.id)
        )
        if units is not None:
            stmt = stmt.where(s.c.unit.in_(sorted(units)))
        with self.engine.connect() as conn:
            out = pd.read_sql(stmt, conn)
        out = out.reindex(columns=[*SUBMISSION_COLUMNS, "errors", "warnings"])
        for c in ("errors", "warnings"):
            out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype("int64")
        return out

    def findings(self, submission_id: int | None = None, units: set[str] | None = None) -> pd.DataFrame:
        """Stored findings (of one submission, or of the submissions in scope), with their source."""
        s, f = schema.submissions, schema.findings
        stmt = select(f.c.submission_id, *(f.c[c] for c in FINDING_COLUMNS), f.c.source).order_by(f.c.id)
        if submission_id is not None:
            stmt = stmt.where(f.c.submission_id == submission_id)
        if units is not None:
            stmt = stmt.where(f.c.submission_id.in_(select(s.c.id).where(s.c.unit.in_(sorted(units)))))
        with self.engine.connect() as conn:
            out = pd.read_sql(stmt, conn)
        return out.astype(object).where(out.notna(), None).astype({"submission_id": "int64"})

    def returns(self, units: set[str] | None = None) -> Returns:
        """The stored returns in scope as the reader's frames; ``file_idx`` is the submission id.

        Scope: submissions filed under a unit in ``units`` and frame rows of those units
        (None: everything). Later uploads have larger ids, so they win ties.
        """
        s = schema.submissions
        scope = sorted(units) if units is not None else None
        sub_stmt = select(*(s.c[c] for c in SUBMISSION_COLUMNS)).order_by(s.c.id)
        if scope is not None:
            sub_stmt = sub_stmt.where(s.c.unit.in_(scope))
        with self.engine.connect() as conn:
            subs = conn.execute(sub_stmt).mappings().all()
            frames = {}
            for form in FORMS:
                t = schema.frames[form]
                stmt = select(*(t.c[c] for c in schema.frame_columns(form))).order_by(t.c.id)
                if scope is not None:
                    stmt = stmt.where(t.c.unit.in_(scope))
                frames[form] = _typed(pd.read_sql(stmt, conn), form)
        read_findings = self._read_findings(scope)
        files = [
            FileResult(
                name=r["name"],
                sha256=r["sha256"],
                size=int(r["size"]),
                status=r["status"],
                tables=_stub_tables(dict(r)),
                findings=read_findings.get(r["id"], []),
            )
            for r in subs
        ]
        return Returns(files=files, f1=frames[F1], f2=frames[F2], f3=frames[F3])

    def _read_findings(self, scope: list[str] | None) -> dict[int, list[Finding]]:
        s, f = schema.submissions, schema.findings
        stmt = select(f.c.submission_id, *(f.c[c] for c in FINDING_COLUMNS)).where(f.c.source == "read")
        if scope is not None:
            stmt = stmt.where(f.c.submission_id.in_(select(s.c.id).where(s.c.unit.in_(scope))))
        out: dict[int, list[Finding]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(stmt.order_by(f.c.id)).mappings():
                out.setdefault(row["submission_id"], []).append(Finding(**{c: row[c] for c in FINDING_COLUMNS}))
        return out
