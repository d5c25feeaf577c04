"""What stands in the store, and the records that change it: withdrawals and analysts' confirmations (append-only).

A submission stands unless it is withdrawn (a ``withdrawals`` row, not followed by the same bytes
uploaded again) or held (``submissions.held``: a 填表时间 after the day it was stored or long before the
campaign) and not confirmed (a ``confirmations`` row of that kind). An analyst may also assign a file to
another unit (a ``confirmations`` row of kind "unit"): every read then counts it for that unit. Every
read that builds the current picture goes through ``not_standing_ids`` and ``unit_of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import case, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from weakorg.privacy import mask_text
from weakorg.read.hygiene import strip_controls
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded
from weakorg.vocab import FORMS

REUPLOAD = "reupload"  # confirmations.kind: the bytes of a withdrawn submission uploaded again (it stands again)


def withdrawn_ids():
    """A SELECT of the ids of the submissions withdrawn now: more withdrawals than uploads again since."""
    w, c = schema.withdrawals, schema.confirmations
    done = select(w.c.submission_id.label("sid"), func.count().label("n")).group_by(w.c.submission_id).subquery()
    again = (
        select(c.c.submission_id.label("sid"), func.count().label("n"))
        .where(c.c.kind == REUPLOAD)
        .group_by(c.c.submission_id)
        .subquery()
    )
    return select(done.c.sid).outerjoin(again, again.c.sid == done.c.sid).where(done.c.n > func.coalesce(again.c.n, 0))


DATE = "date"  # submissions.held and confirmations.kind: a 填表时间 after today or long before the campaign
DATE_OUT_OF_RANGE = "DATE_OUT_OF_RANGE"  # the rule a date confirmation answers
UNIT = "unit"  # confirmations.kind: the file counts for the unit in ``value``
CONFIRMATION_KINDS = (DATE, UNIT)


def assigned_units(conn) -> dict[int, str]:
    """The unit an analyst assigned each reassigned submission to (the latest word): few, read whole."""
    c = schema.confirmations
    rows = conn.execute(select(c.c.submission_id, c.c.value).where(c.c.kind == UNIT).order_by(c.c.id)).all()
    return {int(sid): value for sid, value in rows}


def unit_of(unit, submission_id, assigned: dict[int, str]):
    """The SQL expression of the unit a row counts for: the assigned unit of its submission, else its own."""
    if not assigned:
        return unit
    return case({sid: value for sid, value in assigned.items()}, value=submission_id, else_=unit)


def awaiting_ids():
    """A SELECT of the ids of the submissions held back and not confirmed yet."""
    s, c = schema.submissions, schema.confirmations
    confirmed = select(c.c.id).where(c.c.submission_id == s.c.id, c.c.kind == s.c.held).exists()
    return select(s.c.id).where(s.c.held.is_not(None), ~confirmed)


def not_standing_ids():
    """A SELECT of the ids of the submissions that do not stand now: withdrawn, or held and not confirmed."""
    return withdrawn_ids().union(awaiting_ids())


def account_name(by: str) -> str:
    """An account name as a record keeps it: no control characters, at most 64 characters."""
    return strip_controls(by or "")[0].strip()[:64]


def mark_stored(conn, marks: dict[str, int]) -> None:
    """In the transaction that stores files: each owner's current findings are out of date from its submission on."""
    rows = [{"owner": o, "stored": sid} for o, sid in marks.items()]
    ins = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = ins(schema.unit_checks)
    conn.execute(stmt.on_conflict_do_update(index_elements=["owner"], set_={"stored": stmt.excluded.stored}), rows)


class Corrections:
    """The Store's methods that correct the record: withdraw, confirm, and what a submission's state is."""

    @_guarded
    def withdraw(self, submission_id: int, reason: str, by: str = "", origin: str | None = None) -> None:
        """Withdraw a stored submission with a reason: it stays in history and stops standing (``ValueError`` in
        Chinese when it is unknown, already withdrawn, or no reason is given); its units are checked again. One
        audit entry (who, the file, from ``origin``) is written in the same transaction."""
        reason = strip_controls(reason or "")[0].strip()
        if not reason:
            raise ValueError("撤回报送须填写原因，请写明为何撤回（如：上传错了文件、填表时间有误）。")
        sid = int(submission_id)
        with self.writer.begin() as conn:
            self._lock_submission(conn, sid)
            if sid in self._withdrawn_set(conn, [sid]):
                raise ValueError(f"报送 #{sid} 已经撤回，无需再次撤回；如要恢复，请重新上传同一文件。")
            conn.execute(
                insert(schema.withdrawals).values(
                    submission_id=sid, reason=reason, by=account_name(by), at=datetime.now(UTC).replace(tzinfo=None)
                )
            )
            self._touch_owners(conn, sid)
            _audit(conn, sid, by, WITHDRAWAL, f"#{sid} 撤回：{reason}", origin)

    @_guarded
    def confirm(
        self,
        submission_id: int,
        kind: str,
        by: str = "",
        reason: str = "",
        value: str | None = None,
        origin: str | None = None,
    ) -> None:
        """An analyst's word on a submission, a record of its own: kind "date" lets a return dated after today or long
        before the campaign stand; kind "unit" makes the file count for the unit ``value`` in every read (the latest
        such word stands). ``ValueError`` in Chinese when there is nothing of that kind to confirm. One audit entry
        is written in the same transaction."""
        sid = int(submission_id)
        if kind not in CONFIRMATION_KINDS:
            raise ValueError(f"unknown confirmation kind: {kind!r}")
        s, c = schema.submissions, schema.confirmations
        value = strip_controls(value or "")[0].strip() or None
        with self.writer.begin() as conn:
            self._lock_submission(conn, sid)
            if kind == UNIT:
                before = assigned_units(conn).get(sid) or conn.execute(select(s.c.unit).where(s.c.id == sid)).scalar()
                if value is None or value == before:
                    raise ValueError(f"报送 #{sid} 已计入{value or '该单位'}，请选择要改归的另一填报单位。")
            else:
                held = conn.execute(select(s.c.held).where(s.c.id == sid)).scalar()
                done = conn.execute(select(c.c.id).where(c.c.submission_id == sid, c.c.kind == kind).limit(1)).first()
                if held != kind or done is not None:
                    raise ValueError(f"报送 #{sid} 的填表时间无需确认（已确认过，或日期在整顿期间内）。")
            conn.execute(
                insert(c).values(
                    submission_id=sid,
                    kind=kind,
                    value=value,
                    reason=strip_controls(reason or "")[0].strip(),
                    by=account_name(by),
                    at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            self._touch_owners(conn, sid, [value] if kind == UNIT and value else [])
            what = f"改归{value}" if kind == UNIT else "确认填表时间"
            also = [before] if kind == UNIT else []  # the unit it counted for until now: its figures change too
            _audit(conn, sid, by, kind, f"#{sid} {what}" + (f"：{reason}" if reason else ""), origin, also)

    def _reinstate(self, sid: int, by: str, origin: str | None = None) -> list[str]:
        """The bytes of a withdrawn submission uploaded again: a ``reupload`` record makes it stand again."""
        with self.writer.begin() as conn:
            self._lock_submission(conn, sid)
            if sid not in self._withdrawn_set(conn, [sid]):
                return []  # reinstated by another process meanwhile
            conn.execute(
                insert(schema.confirmations).values(
                    submission_id=sid,
                    kind=REUPLOAD,
                    value=None,
                    reason="",
                    by=account_name(by),
                    at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            _audit(conn, sid, by, REUPLOAD, "", origin)
            return self._touch_owners(conn, sid)

    @_guarded
    def assignments(self) -> dict[int, tuple[str | None, str]]:
        """Each submission assigned to another unit: id → (the unit its file named, the unit it counts for)."""
        s = schema.submissions
        with self.engine.connect() as conn:
            assigned = assigned_units(conn)
            if not assigned:
                return {}
            named = dict(conn.execute(select(s.c.id, s.c.unit).where(s.c.id.in_(sorted(assigned)))).all())
        return {sid: (named.get(sid), unit) for sid, unit in assigned.items()}

    @_guarded
    def is_withdrawn(self, submission_id: int) -> bool:
        """Whether a submission is withdrawn now (and not uploaded again since)."""
        with self.engine.connect() as conn:
            return int(submission_id) in self._withdrawn_set(conn, [int(submission_id)])

    def _lock_submission(self, conn, sid: int) -> None:
        """In a write transaction: the submission's row locked (PostgreSQL), or ``ValueError`` when there is none."""
        s = schema.submissions
        if conn.execute(select(s.c.id).where(s.c.id == sid).with_for_update()).first() is None:
            raise ValueError(f"没有编号为 #{sid} 的报送，请在“已保存的报送”中核对编号。")

    def _withdrawn_set(self, conn, ids: Sequence[int] | None = None) -> set[int]:
        """The ids (of ``ids``, or all) withdrawn now."""
        stmt = withdrawn_ids()
        out = set(conn.execute(stmt).scalars())
        return out if ids is None else out & set(ids)

    def _touch_owners(self, conn, sid: int, also: Iterable[str] = ()) -> list[str]:
        """In a transaction that changes what stands: its units are checked again, the caches' key moves."""
        owners = set(also)
        assigned = assigned_units(conn)
        for form in FORMS:
            t = schema.frames[form]
            unit = unit_of(t.c.unit, t.c.file_idx, assigned)
            for name in conn.execute(select(t.c.unit, unit).where(t.c.file_idx == sid).distinct()).all():
                owners |= {u if u is not None else f"#{sid}" for u in name}
        conn.execute(update(schema.meta).values(version=schema.meta.c.version + 1))  # before unit_checks, as add
        version = int(conn.execute(select(schema.meta.c.version)).scalar_one())
        if owners:
            mark_stored(conn, dict.fromkeys(sorted(owners), -version))  # a token never used before: findings stale
        return sorted(owners)

    def _confirmed_dates_kept(self, found: dict[str, list]) -> dict[str, list]:
        """Current findings without DATE_OUT_OF_RANGE for the files whose date an analyst confirmed (it stands)."""
        s, c = schema.submissions, schema.confirmations
        stmt = select(s.c.name).join(c, c.c.submission_id == s.c.id).where(c.c.kind == DATE)
        with self.engine.connect() as conn:
            names = set(conn.execute(stmt).scalars())
        if not names:
            return found
        return {o: [f for f in fs if not (f.rule == DATE_OUT_OF_RANGE and f.file in names)] for o, fs in found.items()}

    def _with_withdrawals(self, subs: pd.DataFrame) -> pd.DataFrame:
        """``subs`` with whether each is withdrawn now and, if it ever was, by whom, when and why (its latest
        withdrawal), and, when uploaded again since, when and by whom (``reinstated_at``, ``reinstated_by``)."""
        w, c = schema.withdrawals, schema.confirmations
        with self.engine.connect() as conn:
            withdrawn = self._withdrawn_set(conn)
            rows = conn.execute(select(w.c.submission_id, w.c.by, w.c.at, w.c.reason).order_by(w.c.id)).all()
            again = conn.execute(
                select(c.c.submission_id, c.c.by, c.c.at).where(c.c.kind == REUPLOAD).order_by(c.c.id)
            ).all()
            awaiting = set(conn.execute(awaiting_ids()).scalars())
        latest = {r[0]: r for r in rows}  # withdrawals are few: read them all; the latest of each
        back = {r[0]: r for r in again if r[0] in latest and r[0] not in withdrawn}  # uploaded again, standing since
        subs = subs.copy()
        subs["awaiting"] = subs["id"].isin(awaiting)  # held until an analyst confirms it (its date)
        subs["withdrawn"] = subs["id"].isin(withdrawn)
        for i, col in ((1, "withdrawn_by"), (2, "withdrawn_at"), (3, "withdraw_reason")):
            subs[col] = [latest[sid][i] if sid in latest else None for sid in subs["id"]]
        subs["withdraw_reason"] = subs["withdraw_reason"].map(mask_text)  # typed with a phone in it: never shown whole
        subs["reinstated_by"] = [back[sid][1] if sid in back else None for sid in subs["id"]]
        subs["reinstated_at"] = [back[sid][2] if sid in back else None for sid in subs["id"]]
        return subs


WITHDRAWAL = "withdrawal"  # what ``_audit`` is told of a withdrawal (a confirmation: its kind)


def _audit(
    conn, sid: int, by: str, what: str, detail: str, origin: str | None, also: Iterable[str | None] = ()
) -> None:
    """In the transaction of a correction: its one audit entry, naming the submission's file and sha256 and every unit
    whose figures it changes: the unit its file names, the one it counts for (assigned to another), and ``also``."""
    from weakorg import audit  # it reads the store's schema: imported when first used

    action = {WITHDRAWAL: audit.WITHDRAW, REUPLOAD: audit.SAVE, UNIT: audit.REASSIGN}.get(what, audit.CONFIRM)
    detail = audit.REUPLOAD_DETAIL if what == REUPLOAD else detail
    s = schema.submissions
    unit, name, sha = conn.execute(select(s.c.unit, s.c.name, s.c.sha256).where(s.c.id == sid)).one()
    units = [u for u in (unit, assigned_units(conn).get(sid), *also) if u]
    named = audit.units_text(units) if len(set(units)) > 1 else unit
    audit.append(conn, account=by, action=action, unit=named, file=name, sha256=sha, detail=detail, origin=origin)
