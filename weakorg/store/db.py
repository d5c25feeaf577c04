"""The store of every submission: append-only, readable by scope; files are stored by ``write.py``.

SQLite (``data/weakorg.db``) is the embedded default; ``WEAKORG_DATABASE_URL`` names any
other SQLAlchemy URL (PostgreSQL for a multi-user deployment). Every read takes a scope
(a set of units, None for all) so that roles can restrict what a page, a download or a
cache sees.

What stands (withdrawals, held returns, files assigned to another unit) and the records that change it are
in ``record.py``; every read here that builds the current picture goes through it.

Beside the submissions (append-only, the findings each got at its upload kept as they were) the
store keeps each unit's current findings: the checks run over that unit's stored returns only,
brought up to date when files of the unit are stored (``add_many``) or when first read after
(``current_findings``), so that the overview never runs the checks over every stored return.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url

from weakorg.findings import ERROR, FINDING_COLUMNS, Finding
from weakorg.read.heap import in_batch_heap
from weakorg.read.hygiene import strip_controls
from weakorg.store import schema
from weakorg.store.corrections import ReadingCorrections
from weakorg.store.engine import WRITE, database_url, make_engine, migrate
from weakorg.store.guarded import guarded as _guarded
from weakorg.store.record import (
    Corrections,
    assigned_units,
    not_standing_ids,
    unit_of,
)
from weakorg.store.rows import empty_registers, stub_tables, typed_frame
from weakorg.store.write import Writing
from weakorg.tables import FileResult, Returns
from weakorg.vocab import F1, F2, F3, FORMS

if TYPE_CHECKING:
    from weakorg.campaign import Campaign

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


class Store(Writing, Corrections, ReadingCorrections):
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

    def _keep_batch_findings(
        self, files: Sequence[FileResult], owners: dict[str, int], batch: set[int], checked: Sequence[Finding], campaign
    ) -> None:
        """When the batch holds all the stored returns of its units, its own checks are their current findings."""
        from weakorg.campaign import default_campaign

        units = sorted(o for o in owners if not o.startswith("#"))
        with self.engine.connect() as conn:
            assigned = assigned_units(conn)
            for form in FORMS:
                t = schema.frames[form]
                for part in _chunks(units):
                    stmt = select(t.c.file_idx).where(unit_of(t.c.unit, t.c.file_idx, assigned).in_(part)).distinct()
                    if any(sid not in batch for sid in conn.execute(stmt).scalars()):
                        return  # a unit has earlier returns: checked over the store instead
        read = Counter(f for fr in files for f in fr.findings)
        found: dict[str, list[Finding]] = {u: [] for u in units}
        for f in checked:
            if read[f] > 0:
                read[f] -= 1  # a reading finding: served from each submission's own findings
            elif f.unit in found:
                found[f.unit].append(f)
            elif f.unit is not None:
                return  # a finding of a unit this batch did not store: do not guess
        self._write_current(found, {u: owners[u] for u in units}, checks_fingerprint(campaign or default_campaign()))

    # --- current findings ----------------------------------------------------------------------

    @_guarded
    def refresh_checks(self, campaign: Campaign | None = None, units: set[str] | None = None) -> int:
        """Run the checks again for the units (in scope) whose current findings are out of date; how many.

        Out of date: a file was stored for the unit since, or they were found under another
        campaign or other rules. Each unit's checks read only that unit's stored returns; a unit
        stored again meanwhile keeps its mark and is checked on the next call.
        """
        from weakorg.campaign import default_campaign

        campaign = campaign or default_campaign()
        mark = checks_fingerprint(campaign)
        c = schema.unit_checks.c
        stmt = select(c.owner, c.stored).where(
            or_(c.checked.is_(None), c.checked != c.stored, c.fingerprint.is_(None), c.fingerprint != mark)
        )
        with self.engine.connect() as conn:
            stale = dict(conn.execute(stmt).all())
        if units is not None:
            stale = {o: v for o, v in stale.items() if o in units}
        if not stale:
            return 0
        found = self._confirmed_dates_kept(self._check_owners(sorted(stale), campaign))
        return self._write_current(found, stale, mark)

    def _write_current(self, found: dict[str, list[Finding]], stale: dict[str, int], mark: str) -> int:
        """Make ``found`` the current findings of each owner still at the submission ``stale`` names; how many."""
        c = schema.unit_checks.c
        with self.writer.begin() as conn:
            locked = dict(
                conn.execute(
                    select(c.owner, c.stored).where(c.owner.in_(sorted(stale))).order_by(c.owner).with_for_update()
                ).all()
            )
            keep = [o for o in sorted(stale) if locked.get(o) == stale[o]]
            for part in _chunks(keep):
                conn.execute(delete(schema.current_findings).where(schema.current_findings.c.owner.in_(part)))
            rows = [{"owner": o, **f.to_dict()} for o in keep for f in found[o]]
            if rows:
                conn.execute(insert(schema.current_findings), rows)
            if keep:
                conn.execute(
                    update(schema.unit_checks)
                    .where(and_(c.owner == bindparam("o"), c.stored == bindparam("v")))
                    .values(checked=bindparam("v"), fingerprint=mark),
                    [{"o": o, "v": stale[o]} for o in keep],
                )
        return len(keep)

    def _check_owners(self, owners: list[str], campaign: Campaign) -> dict[str, list[Finding]]:
        """The checks' findings for each owner, over its stored returns only (every rule looks at one unit)."""
        from weakorg.checks import run_checks

        out: dict[str, list[Finding]] = {o: [] for o in owners}
        units = [o for o in owners if not o.startswith("#")]
        if units:
            with self.engine.connect() as conn:
                frames = self._frames(conn, lambda t, unit: unit.in_(units))
            fixed = self.standing_corrections(units)  # an analyst's reading stands in the checks too
            found = run_checks(Returns([], frames[F1], frames[F2], frames[F3]), campaign, corrections=fixed)
            if all(f.unit in out for f in found):
                for f in found:
                    out[f.unit].append(f)
            else:  # a finding that names no unit of its rows: check the units one at a time
                for unit in units:
                    part = {form: frame[frame["unit"] == unit] for form, frame in frames.items()}
                    out[unit] = run_checks(Returns([], part[F1], part[F2], part[F3]), campaign, corrections=fixed)
        orphans = [o for o in owners if o.startswith("#")]
        if orphans:
            out.update(self._check_orphans(orphans, campaign))
        return out

    def _check_orphans(self, owners: list[str], campaign: Campaign) -> dict[str, list[Finding]]:
        """The checks' findings for files of no known unit ("#<submission id>"), each over its own rows.

        One run over all of them (the checks key rows of no unit by their file), its findings given
        back by file name; one run per file only when two of them share a name.
        """
        from weakorg.checks import run_checks

        sids = {int(o[1:]): o for o in owners}
        with self.engine.connect() as conn:
            frames = self._frames(conn, lambda t, unit: and_(unit.is_(None), t.c.file_idx.in_(sorted(sids))))
        pairs = pd.concat([f[["file", "file_idx"]] for f in frames.values()]).drop_duplicates()
        by_name = dict(zip(pairs["file"], pairs["file_idx"], strict=True))
        out: dict[str, list[Finding]] = {o: [] for o in owners}
        if len(by_name) == len(pairs):
            found = run_checks(Returns([], frames[F1], frames[F2], frames[F3]), campaign)
            if all(f.file in by_name for f in found):
                for f in found:
                    out[sids[int(by_name[f.file])]].append(f)
                return out
        for sid, owner in sids.items():
            part = {form: frame[frame["file_idx"] == sid] for form, frame in frames.items()}
            out[owner] = run_checks(Returns([], part[F1], part[F2], part[F3]), campaign)
        return out

    @_guarded
    def current_findings(self, units: set[str] | None = None, campaign: Campaign | None = None) -> list[Finding]:
        """The findings standing now for the units in scope: each file's reading findings, then the checks'
        over each unit's stored returns (brought up to date first)."""
        from weakorg.checks import REGISTRY

        self.refresh_checks(campaign, units)
        scope = sorted(units) if units is not None else None
        read = [f for fs in self._read_findings(scope).values() for f in fs]
        cf = schema.current_findings
        stmt = select(*(cf.c[c] for c in FINDING_COLUMNS)).order_by(cf.c.id)
        if scope is not None:
            stmt = stmt.where(cf.c.owner.in_(scope))
        with self.engine.connect() as conn:
            checked = [Finding(**row) for row in conn.execute(stmt).mappings()]
        rank = {r.code: i for i, r in enumerate(REGISTRY)}
        return read + sorted(checked, key=lambda f: rank.get(f.rule, len(rank)))

    @_guarded
    def explain(self, finding: Finding, reason: str, by: str = "", origin: str | None = None) -> None:
        """Store why a warning (or note) is accepted; an error cannot be explained (``ValueError``), only fixed.
        One audit entry (who, the unit, the file, the rule and the reason) is written in the same transaction."""
        from weakorg import audit  # it reads the store's schema: imported when first used

        if finding.severity == ERROR:
            raise ValueError(f"an error cannot be explained, only fixed by a corrected return: {finding.rule}")
        reason = strip_controls(reason or "")[0].strip()  # typed by an analyst: no NUL (PostgreSQL refuses it)
        if not reason:
            raise ValueError("an explanation needs a reason")
        keys = {k: getattr(finding, k) for k in schema.EXPLANATION_KEYS}
        with self.writer.begin() as conn:
            conn.execute(
                insert(schema.explanations).values(
                    **keys,
                    reason=reason,
                    explained_by=strip_controls(by or "")[0],
                    explained_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            conn.execute(update(schema.meta).values(version=schema.meta.c.version + 1))
            where = "!".join(p for p in (finding.sheet, finding.cell) if p)
            detail = f"{finding.rule}{(' ' + where) if where else ''}：{reason}"
            audit.append(
                conn,
                account=by or None,
                action=audit.EXPLAIN,
                unit=finding.unit,
                file=finding.file,
                detail=detail,
                origin=origin,
            )

    @_guarded
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
        ``present`` column holds a value, of the units in scope (None: all): a narrow read where counts suffice."""
        t = schema.frames[form]
        with self.engine.connect() as conn:
            unit = unit_of(t.c.unit, t.c.file_idx, assigned_units(conn))
            keys = [unit.label(c) if c == "unit" else t.c[c] for c in by]
            keys += [t.c[c].is_not(None).label(c) for c in present]
            stmt = select(*keys, func.count().label("rows")).where(t.c.file_idx.not_in(not_standing_ids()))
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
        is told apart by its submission id, so that a finding names the file it is about.
        """
        units = {u for form in FORMS for u in returns.frame(form)["unit"].dropna()} | set(
            returns.empty["unit"].dropna()
        )
        stored = self.returns(units, findings=False)
        with self.engine.connect() as conn:
            offset = int(conn.execute(select(func.coalesce(func.max(schema.submissions.c.id), 0))).scalar_one()) + 1
        names = {fr.name for fr in returns.files}
        frames = {}
        for form in FORMS:
            old, new = stored.frame(form), returns.frame(form)
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
        empty = pd.concat([stored.empty, empty], ignore_index=True) if len(stored.empty) else empty
        return Returns([*stored.files, *returns.files], frames[F1], frames[F2], frames[F3], empty=empty)

    def _read_findings(self, scope: list[str] | None) -> dict[int, list[Finding]]:
        s, f = schema.submissions, schema.findings
        stmt = select(f.c.submission_id, *(f.c[c] for c in FINDING_COLUMNS)).where(
            f.c.source == "read", f.c.submission_id.not_in(not_standing_ids())
        )
        out: dict[int, list[Finding]] = {}
        with self.engine.connect() as conn:
            if scope is not None:
                unit = unit_of(s.c.unit, s.c.id, assigned_units(conn))
                stmt = stmt.where(f.c.submission_id.in_(select(s.c.id).where(unit.in_(scope))))
            for row in conn.execute(stmt.order_by(f.c.id)).mappings():
                out.setdefault(row["submission_id"], []).append(Finding(**{c: row[c] for c in FINDING_COLUMNS}))
        return out


def _chunks(items: Sequence, size: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_RULE_SOURCES = ("checks", "criteria.py", "criteria.toml", "consolidate.py", "findings.py", "names.py", "vocab.py")


@functools.cache
def _rules_digest() -> str:
    """A digest of the code and data the checks run on: new rules make every current finding out of date."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for name in _RULE_SOURCES:
        p = root / name
        for f in sorted(p.glob("*.py")) if p.is_dir() else [p]:
            if f.is_file():
                h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def checks_fingerprint(campaign: Campaign) -> str:
    """What current findings were found under: the campaign (units, deadline) and the rules' digest."""
    return hashlib.sha256((_rules_digest() + repr(campaign)).encode()).hexdigest()
