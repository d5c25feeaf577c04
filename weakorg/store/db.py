"""The store of every submission: append-only, readable by scope; files are stored by ``write.py``.

SQLite (``data/weakorg.db``) is the embedded default; ``WEAKORG_DATABASE_URL`` names any
other SQLAlchemy URL (PostgreSQL for a multi-user deployment). Every read takes a scope
(a set of units, None for all) so that roles can restrict what a page, a download or a
cache sees.

What stands (withdrawals, held returns, files assigned to another unit) and the records that change it are
in ``record.py``; every read here that builds the current picture goes through it.

Each unit's current findings (the checks over its stored returns, kept up to date) and explanations are in
``checked.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import (
    case,
    func,
    or_,
    select,
)
from sqlalchemy.engine import make_url

from weakorg.findings import FINDING_COLUMNS
from weakorg.read.heap import in_batch_heap
from weakorg.store import schema
from weakorg.store.checked import CurrentFindings
from weakorg.store.corrections import ReadingCorrections
from weakorg.store.engine import WRITE, database_url, make_engine, migrate
from weakorg.store.guarded import guarded as _guarded
from weakorg.store.readings import KeptReadings
from weakorg.store.record import (
    Corrections,
    assigned_units,
    not_standing_ids,
    unit_of,
)
from weakorg.store.rows import empty_registers, stub_tables, typed_frame
from weakorg.store.write import Writing
from weakorg.tables import LISTED_ABOVE, FileResult, Returns
from weakorg.vocab import F1, F2, F3, FORMS

if TYPE_CHECKING:
    pass

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


def _submission_columns(unit) -> list:
    """The columns of ``SUBMISSION_COLUMNS``, the unit being the one the submission counts for."""
    s = schema.submissions
    return [unit.label("unit") if c == "unit" else s.c[c] for c in SUBMISSION_COLUMNS]


class Store(Writing, CurrentFindings, Corrections, ReadingCorrections, KeptReadings):
    """Every submission with its frames and findings, in one SQL database.

    Every public method raises ``weakorg.store.errors.StoreError`` on a database fault (a damaged
    file, a server down, a full disk, a newer schema): a Chinese message with what to do.
    """

    @_guarded
    @in_batch_heap
    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.writer = self.engine.execution_options(**WRITE)  # the same pool; its transactions write
        try:
            migrate(self.writer)
        except BaseException:
            self.engine.dispose()  # no connection left open on a database that cannot be used
            raise

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    # --- reading -------------------------------------------------------------------------------

    @_guarded
    def version(self) -> int:
        """A number that changes whenever the stored data changes: the key of every cache."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(schema.meta.c.version)).scalar_one())

    @_guarded
    def is_empty(self) -> bool:
        """Whether nothing has been stored yet."""
        with self.engine.connect() as conn:
            return conn.execute(select(schema.submissions.c.id).limit(1)).first() is None

    @_guarded
    def submission_id(self, sha256: str) -> int | None:
        """The id of the submission with this content hash, or None."""
        with self.engine.connect() as conn:
            sid = conn.execute(select(schema.submissions.c.id).where(schema.submissions.c.sha256 == sha256)).scalar()
        return None if sid is None else int(sid)

    @_guarded
    def content(self, submission_id: int) -> bytes | None:
        """The stored bytes of a submission, or None."""
        s = schema.submissions
        with self.engine.connect() as conn:
            return conn.execute(select(s.c.content).where(s.c.id == submission_id)).scalar()

    @_guarded
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
        with self.engine.connect() as conn:
            unit = unit_of(s.c.unit, s.c.id, assigned_units(conn))
            stmt = (
                select(*_submission_columns(unit), counts.c.errors, counts.c.warnings)
                .outerjoin(counts, counts.c.submission_id == s.c.id)
                .order_by(s.c.id)
            )
            if units is not None:
                stmt = stmt.where(unit.in_(sorted(units)))
            out = pd.read_sql(stmt, conn)
        out = out.reindex(columns=[*SUBMISSION_COLUMNS, "errors", "warnings"])
        for c in ("errors", "warnings"):
            out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype("int64")
        return self._with_withdrawals(out)

    @_guarded
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

    @_guarded
    def returns(
        self, units: set[str] | None = None, columns: dict[str, Sequence[str]] | None = None, findings: bool = True
    ) -> Returns:
        """The stored returns in scope as the reader's frames; ``file_idx`` is the submission id.

        Scope: submissions filed under a unit in ``units`` and frame rows of those units
        (None: everything). Later uploads have larger ids, so they win ties. ``columns``
        reads only those columns of a form (the others come back empty), for a reader that
        needs a few; without ``findings`` the files come without their reading findings.
        """
        s = schema.submissions
        scope = sorted(units) if units is not None else None
        standing = s.c.id.not_in(not_standing_ids())
        with self.engine.connect() as conn:
            unit = unit_of(s.c.unit, s.c.id, assigned_units(conn))
            sub_stmt = select(*_submission_columns(unit)).where(standing).order_by(s.c.id)
            if scope is not None:
                sub_stmt = sub_stmt.where(unit.in_(scope))
            subs = conn.execute(sub_stmt).mappings().all()
            frames = self._frames(conn, (lambda t, u: u.in_(scope)) if scope is not None else None, columns)
            empty = empty_registers(conn, subs)
        read_findings = self._read_findings(scope) if findings else {}
        files = [
            FileResult(
                name=r["name"],
                sha256=r["sha256"],
                size=int(r["size"]),
                status=r["status"],
                tables=stub_tables(dict(r)),
                findings=read_findings.get(r["id"], []),
            )
            for r in subs
        ]
        return Returns(files=files, f1=frames[F1], f2=frames[F2], f3=frames[F3], empty=empty)

    @_guarded
    def empty_registers(self, units: set[str] | None = None) -> pd.DataFrame:
        """The registers the standing submissions of the units in scope (None: all) sent with no line."""
        s = schema.submissions
        with self.engine.connect() as conn:
            unit = unit_of(s.c.unit, s.c.id, assigned_units(conn))
            stmt = select(*_submission_columns(unit)).where(s.c.id.not_in(not_standing_ids()))
            if units is not None:
                stmt = stmt.where(unit.in_(sorted(units)))
            return empty_registers(conn, conn.execute(stmt).mappings().all())

    @_guarded
    def row_counts(
        self, form: str, by: Sequence[str], units: set[str] | None = None, present: Sequence[str] = ()
    ) -> pd.DataFrame:
        """The number of a form's stored rows (``rows``) per distinct value of the columns ``by`` and per whether each
        ``present`` column holds a value, of the units in scope (None: all): a narrow read where counts suffice. A
        line listing an organization again in its file is not counted (``tables.listed_first``)."""
        t = schema.frames[form]
        with self.engine.connect() as conn:
            unit = unit_of(t.c.unit, t.c.file_idx, assigned_units(conn))
            keys = [unit.label(c) if c == "unit" else t.c[c] for c in by]
            keys += [t.c[c].is_not(None).label(c) for c in present]
            stmt = select(*keys, func.count().label("rows")).where(t.c.file_idx.not_in(not_standing_ids()))
            if LISTED_ABOVE in t.c:  # an organization a line above in its file lists counts once
                stmt = stmt.where(or_(t.c[LISTED_ABOVE].is_(None), t.c[LISTED_ABOVE] != 1))
            stmt = stmt.group_by(*keys)
            if units is not None:
                stmt = stmt.where(unit.in_(sorted(units)))
            out = pd.read_sql(stmt, conn)
        out = out.astype({c: bool for c in present} | {"rows": "int64"})
        for c in by:
            if out[c].dtype == object:
                out[c] = out[c].where(out[c].notna(), None)
        return out

    def _frames(self, conn, where: Callable | None = None, columns: dict[str, Sequence[str]] | None = None) -> dict:
        """Each form's standing rows (those ``where(table, unit)`` keeps), typed as the reader's frames; ``unit``
        is the unit each row counts for (the unit an analyst assigned its file to, else the file's own)."""
        frames = {}
        assigned = assigned_units(conn)
        for form in FORMS:
            t = schema.frames[form]
            unit = unit_of(t.c.unit, t.c.file_idx, assigned)
            names = schema.frame_columns(form)
            if columns is not None and form in columns:
                names = [c for c in schema.stored_columns(form) if c in set(columns[form]) | {"file_idx"}]
            cols = [unit.label(c) if c == "unit" else t.c[c] for c in names]
            stmt = select(*cols).where(t.c.file_idx.not_in(not_standing_ids())).order_by(t.c.id)
            if where is not None:
                stmt = stmt.where(where(t, unit))
            result = conn.execute(stmt)
            try:  # the driver's rows as they come (a Row a row, each value processed, cost a third more)
                rows = result.cursor.fetchall()
            finally:
                result.close()
            frames[form] = typed_frame(pd.DataFrame.from_records(rows, columns=names, coerce_float=True), form)
        return frames

    @_guarded
    def with_history(self, returns: Returns) -> Returns:
        """A batch together with the stored returns of its units, the batch last (as if uploaded now).

        The stored files come without their reading findings; one named like a file of the batch
        is told apart by its submission id, so that a finding names the file it is about; a file of the batch stored
        before (the same bytes) is not its own earlier copy.
        """
        units = {u for form in FORMS for u in returns.frame(form)["unit"].dropna()} | set(
            returns.empty["unit"].dropna()
        )
        stored = self.returns(units, findings=False)
        with self.engine.connect() as conn:
            offset = int(conn.execute(select(func.coalesce(func.max(schema.submissions.c.id), 0))).scalar_one()) + 1
        names = {fr.name for fr in returns.files}
        hashes = {fr.sha256 for fr in returns.files if fr.sha256}
        again = {sid for h in hashes if (sid := self.submission_id(h)) is not None}  # a file of the batch, stored
        frames = {}
        for form in FORMS:
            old, new = stored.frame(form), returns.frame(form)
            old = old[~old["file_idx"].isin(again)]  # itself: never its own earlier copy
            clash = old["file"].isin(names)
            if clash.any():
                old = old.assign(
                    file=old["file"].where(~clash, old["file"] + "（#" + old["file_idx"].astype(str) + "）")
                )
            new = new.assign(file_idx=new["file_idx"].astype("int64") + offset)
            with warnings.catch_warnings():  # all-empty columns on either side: pandas warns of a future dtype rule
                warnings.simplefilter("ignore", FutureWarning)
                frames[form] = pd.concat([old, new], ignore_index=True) if len(old) else new.reset_index(drop=True)
        empty = returns.empty.assign(file_idx=returns.empty["file_idx"].astype("int64") + offset)
        kept_empty = stored.empty[~stored.empty["file_idx"].isin(again)]
        empty = pd.concat([kept_empty, empty], ignore_index=True) if len(kept_empty) else empty
        files = [fr for fr in stored.files if fr.sha256 not in hashes]
        return Returns([*files, *returns.files], frames[F1], frames[F2], frames[F3], empty=empty, batch_from=offset)


def _chunks(items: Sequence, size: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
