"""Each unit's current findings: the checks over its stored returns, kept up to date, and explanations of findings.

Beside the submissions (append-only, the findings each got at its upload kept as they were) the store keeps each
unit's current findings: the checks run over that unit's stored returns only, brought up to date when files of the
unit are stored (``add_many``) or when first read after (``current_findings``), so that the overview never runs the
checks over every stored return. A mixin of ``Store`` (weakorg/store/db.py).
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import and_, bindparam, delete, insert, or_, select, update

from weakorg.findings import ERROR, FINDING_COLUMNS, Finding
from weakorg.read.hygiene import strip_controls
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded
from weakorg.store.record import assigned_units, not_standing_ids, unit_of
from weakorg.store.rows import finding_values, insert_tuples
from weakorg.tables import FileResult, Returns
from weakorg.vocab import F1, F2, F3, FORMS

if TYPE_CHECKING:
    from weakorg.campaign import Campaign


class CurrentFindings:
    """The current findings of each unit, and the explanations of findings (a mixin of ``Store``)."""

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
        if any(f.rule == "DUPLICATE_SUBMISSION" for f in checked):
            return  # a file of the batch replaces another: checked over the store, where only what stands is kept
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
            rows = [(o, *finding_values(f)) for o in keep for f in found[o]]
            insert_tuples(conn, schema.current_findings, ["owner", *FINDING_COLUMNS], rows)
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
        from weakorg.consolidate import of_standing, told_apart

        out: dict[str, list[Finding]] = {o: [] for o in owners}
        units = [o for o in owners if not o.startswith("#")]
        if units:
            with self.engine.connect() as conn:
                frames = self._frames(conn, lambda t, unit: unit.in_(units))
            returns = told_apart(
                Returns([], frames[F1], frames[F2], frames[F3], empty=self.empty_registers(set(units)))
            )
            fixed = self.standing_corrections(units)  # an analyst's reading stands in the checks too
            texts = [t for form in (F2, F3) for t in returns.frame(form)["problems"]]
            self.recall(texts)  # read before, by this process or another: not read again
            found = of_standing(returns, run_checks(returns, campaign, corrections=fixed))
            self.keep(texts)
            if all(f.unit in out for f in found):
                for f in found:
                    out[f.unit].append(f)
            else:  # a finding that names no unit of its rows: check the units one at a time
                for unit in units:
                    part = {form: returns.frame(form)[returns.frame(form)["unit"] == unit] for form in FORMS}
                    emptied = returns.empty[returns.empty["unit"] == unit]
                    one = Returns([], part[F1], part[F2], part[F3], empty=emptied)
                    out[unit] = of_standing(one, run_checks(one, campaign, corrections=fixed))
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
        """The findings standing now for the units in scope: the reading findings of each file that stands (a
        replaced one's are no longer open), then the checks' over each unit's stored returns (brought up to date
        first, and kept for the returns that stand)."""
        from weakorg.checks import REGISTRY
        from weakorg.consolidate import current_submissions
        from weakorg.status import STANDING_COLUMNS

        self.refresh_checks(campaign, units)
        scope = sorted(units) if units is not None else None
        by_file = self._read_findings(scope)
        if by_file:  # a file of no unit stands on its own (no other can replace it)
            stored = self.returns(units, columns=STANDING_COLUMNS, findings=False)
            standing = current_submissions(stored)
            of_units = {int(i) for form in FORMS for i in stored.frame(form).dropna(subset=["unit"])["file_idx"]}
            by_file = {sid: fs for sid, fs in by_file.items() if sid in standing or sid not in of_units}
        read = [f for fs in by_file.values() for f in fs]
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


_RULE_SOURCES = ("checks", "criteria", "criteria/criteria.toml", "consolidate", "findings.py", "names.py", "vocab.py")


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
