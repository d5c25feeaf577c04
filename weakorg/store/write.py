"""Storing files: a batch goes in groups, one transaction a group and a savepoint a file.

The files of a group go in chunks of ``CHUNK_FILES``, a statement a table under one savepoint; a chunk that
fails is rolled back to its savepoint and written again a file at a time, each under a savepoint of its own.
A file that fails (refused, a value of the wrong kind, a constraint, a fault) is rolled back to its
savepoint: nothing of it is stored, the group's other files are kept, and the batch goes on. A group
is committed once it holds ``GROUP_FILES`` files or has been open ``GROUP_SECONDS`` (other writers wait
for it meanwhile), and only then does ``on_stored`` hear of its files: a file said to be stored is
committed. A group whose transaction fails as a whole (its commit on a full disk, or a fault after
which SQLite rolls the whole transaction back) stores nothing; its files are then stored again, each
in a transaction of its own, so that a bad file still never stops the others.

Durability: a crash (of the app or the machine) in the middle of a batch loses the files of the group
not yet committed, never a file already said to be stored (SQLite: WAL, ``synchronous=FULL``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from weakorg.consolidate import readings
from weakorg.findings import FINDING_COLUMNS, Finding
from weakorg.logsafe import exception_line
from weakorg.read.heap import in_batch_heap
from weakorg.store import schema
from weakorg.store.errors import FAULTS, StoreError, store_error
from weakorg.store.guarded import guarded as _guarded
from weakorg.store.record import DATE, mark_stored
from weakorg.store.rows import Converted, finding_values, insert_tuples
from weakorg.tables import FileResult, Returns, returns_from_files
from weakorg.vocab import F2, F3, FORMS

if TYPE_CHECKING:
    from weakorg.campaign import Campaign

log = logging.getLogger(__name__)

GROUP_FILES = 200  # at most this many files a commit
GROUP_SECONDS = 1.0  # a group is committed once it has been open this long: other writers wait for it meanwhile
CHUNK_FILES = 50  # files of a group inserted together, a statement a table, under one savepoint


@dataclass
class Stored:
    """What became of one file of a batch: its submission id and whether it is new, or why it was not stored."""

    index: int
    name: str
    id: int | None
    new: bool
    error: Exception | None = None
    reinstated: bool = False  # a withdrawn submission's bytes uploaded again: it stands again (not a new row)


@dataclass
class _File:
    """A file of a batch ready to be written: everything its rows need but a connection."""

    fr: FileResult
    sha: str
    batch: dict[str, Converted]  # the batch's frames as SQL values: the file's rows are taken when it is written
    file_idx: int
    read: list[Finding]
    checked: list[Finding]
    held: str | None

    def texts(self) -> list:
        """The 主要问题 texts of the file's registers."""
        return [v for t in self.fr.tables if t.form in (F2, F3) for v in t.values("problems")]

    def rows(self) -> tuple[dict[str, np.ndarray], set[str | None]]:
        """The positions of each form's rows of the file in ``batch[form]`` and the units they name; ``ValueError``
        for a value of the wrong kind."""
        rows: dict[str, np.ndarray] = {}
        units: set[str | None] = set()
        for form in FORMS:
            rows[form], named, error = self.batch[form].file_rows(self.file_idx)
            if error is not None:
                raise error
            units |= named
        return rows, units


@dataclass
class _Done:
    """A file written in a group: its submission id, whether it is new, the owners it touched, or that it was
    found withdrawn (to stand again once the group is committed)."""

    sid: int
    new: bool
    owners: list[str]
    reinstate: bool = False  # found withdrawn: to stand again once the group is committed
    reinstated: bool = False  # stands again now


class _GroupLost(Exception):
    """The group's transaction cannot go on (SQLite rolled it back whole on a fault): nothing of it is stored."""


def _prepare(fr: FileResult, findings: Iterable[Finding], batch: dict, file_idx: int, held: str | None) -> _File:
    """A file as the group will write it, before any database work; ``ValueError`` for a refused file."""
    if not fr.ok:
        raise ValueError(f"refused file is not stored: {fr.name} ({fr.reason})")
    sha = fr.sha256 or (hashlib.sha256(fr.content).hexdigest() if fr.content is not None else "")
    if not sha:
        raise ValueError(f"{fr.name}: neither sha256 nor content given")
    read = list(dict.fromkeys(fr.findings))
    seen = set(read)
    checked = [f for f in dict.fromkeys(findings) if f not in seen]
    return _File(fr, sha, batch, file_idx, read, checked, held)


def _cause(exc: Exception) -> Exception:
    """The file's own error behind a lost group."""
    return exc.__cause__ if isinstance(exc, _GroupLost) and isinstance(exc.__cause__, Exception) else exc


def _in_transaction(conn) -> bool:
    """Whether the connection's transaction is still open (SQLite ends it by itself on some faults)."""
    if conn.dialect.name != "sqlite":
        return True
    return bool(conn.connection.dbapi_connection.in_transaction)


class Writing:
    """The Store's methods that store files: ``add`` one, ``add_many`` a batch."""

    @_guarded
    def add(
        self,
        file_result: FileResult,
        findings: Iterable[Finding] = (),
        uploaded_by: str = "",
        today: date | None = None,
        origin: str | None = None,
    ) -> int:
        """Store a read file, its frames and findings in one transaction; the submission id.

        The same content (sha256) again stores nothing and returns the existing id.
        A refused file is never stored: ``ValueError``. So is a value of the wrong kind
        in a frame column; any failure leaves the database exactly as before. The units'
        current findings are brought up to date when next read (``current_findings``).
        """
        files = returns_from_files([file_result])
        (stored,) = self.add_many(files, [findings], uploaded_by, check=False, today=today, origin=origin)
        if stored.error is not None:
            raise stored.error
        return int(stored.id)

    @_guarded
    @in_batch_heap
    def add_many(
        self,
        returns: Returns,
        findings: Sequence[Iterable[Finding]] | None = None,
        uploaded_by: str = "",
        on_stored: Callable[[Stored], None] | None = None,
        campaign: Campaign | None = None,
        check: bool = True,
        checked: Sequence[Finding] | None = None,
        today: date | None = None,
        origin: str | None = None,
    ) -> list[Stored]:
        """Store every file of a batch from the batch's frames, in groups (a transaction a group, a savepoint a
        file); what became of each.

        ``returns`` is ``returns_from_files(files)`` (each row's ``file_idx`` is its file's position in ``files``);
        ``findings[i]`` are file i's. A file that fails (refused, a value of the wrong kind, a
        constraint) leaves the database as it was and does not stop the others; the same content
        again stores nothing. ``on_stored`` hears of each file, in order, once its group is committed.
        Then (``check``) the checks run again over the stored returns of the units the new files touch,
        under ``campaign``, and become those units' current findings; ``checked``, the findings of
        ``run_checks(returns, campaign)``, stand instead when the batch holds all their returns.
        A file dated after ``today`` (default: the system's date) or long before the campaign is stored
        held (``held`` = "date"): it stands only once an analyst confirms it (``confirm``).
        Each file stored (or uploaded again after its withdrawal) leaves one audit entry beside it:
        ``uploaded_by``, its unit, name and sha256, and ``origin`` (where the request came from).
        """
        from weakorg.campaign import default_campaign
        from weakorg.checks.dates import out_of_range

        today = today or date.today()
        held_under = campaign or default_campaign()
        files = returns.files
        findings = list(findings) if findings is not None else [()] * len(files)
        frames = {form: returns.frame(form) for form in FORMS}
        if len(frames[F2]):  # the problems as the rules read them (the batch's checks read them already)
            frames[F2] = pd.concat([frames[F2], readings(frames[F2]["problems"])], axis=1)
        batch = {form: Converted(frames[form], form) for form in FORMS}
        ready: list[_File | Exception] = []
        for i, fr in enumerate(files):
            try:
                held = DATE if out_of_range((t.reported_on for t in fr.tables), held_under, today) else None
                ready.append(_prepare(fr, findings[i], batch, i, held))
            except Exception as exc:  # this file is not stored; the others go on
                ready.append(exc)
        out: list[Stored] = []
        owners: dict[str, int] = {}  # each owner the new files touch: its latest submission of them
        for i, outcome in self._write_all(ready, uploaded_by, origin):
            if isinstance(outcome, _Done):
                owners |= dict.fromkeys(outcome.owners, outcome.sid)
                stored = Stored(i, files[i].name, outcome.sid, outcome.new, reinstated=outcome.reinstated)
            else:
                error = store_error(outcome, self.url) if isinstance(outcome, FAULTS) else outcome  # no SQL, no values
                stored = Stored(i, files[i].name, None, False, error)
            out.append(stored)
            if on_stored is not None:
                on_stored(stored)
        if check and any(s.new for s in out):
            any_held = any(isinstance(r, _File) and r.held is not None for r in ready)  # held: does not stand
            try:
                if checked is not None and all(s.new for s in out) and not any_held:  # the batch's checks = the store's
                    self._keep_batch_findings(files, owners, {int(s.id) for s in out}, checked, campaign)
                self.refresh_checks(campaign)
            except (StoreError, *FAULTS) as exc:  # the files are stored; their units are checked when next read
                store_error(exc, self.url)  # logged as its kind and code
        return out

    def _write_all(self, ready: list, uploaded_by: str, origin: str | None) -> Iterable[tuple[int, object]]:
        """Write the prepared files in groups; yield (index, ``_Done`` or the exception) in order, each group's once
        it is committed. A group lost whole is written again a file a transaction."""
        start = 0
        while start < len(ready):
            if isinstance(ready[start], Exception):  # refused before any database work: no transaction for it
                yield start, ready[start]
                start += 1
                continue
            taken: list[int] = []
            try:
                done = self._write_group(ready, start, uploaded_by, origin, taken)
            except Exception as lost:  # nothing of the group is stored: its files again, each in its own transaction
                taken = taken or [start]
                done = {}
                for i in taken:
                    if isinstance(ready[i], Exception) or len(taken) == 1:
                        done[i] = ready[i] if isinstance(ready[i], Exception) else _cause(lost)
                        continue
                    try:
                        done |= self._write_group(ready, i, uploaded_by, origin, [], limit=1)
                    except Exception as exc:
                        done[i] = _cause(exc)
            for i in sorted(done):
                outcome = done[i]
                if isinstance(outcome, _Done) and outcome.reinstate:  # its own transaction, the group committed
                    try:
                        owners = self._reinstate(outcome.sid, uploaded_by, origin)
                        outcome = _Done(outcome.sid, True, owners, reinstated=True)
                    except Exception as exc:
                        outcome = exc
                yield i, outcome
            start = taken[-1] + 1

    def _write_group(
        self, ready: list, start: int, uploaded_by: str, origin: str | None, taken: list[int], limit: int | None = None
    ) -> dict[int, object]:
        """Write files from ``start`` in one transaction, ``CHUNK_FILES`` at a time under a savepoint (a statement a
        table), until ``limit`` files or ``GROUP_SECONDS``; commit; each file's ``_Done`` or exception. A chunk that
        fails is written again a file at a time, each under its own savepoint, so that only the failing files are
        not stored. ``taken`` lists the files tried, for a caller whose group fails whole (then nothing of it is
        stored). The criteria readings of the new files' texts are kept in the same transaction, under a savepoint of
        their own (``keep_on``): a reading that cannot be kept loses nothing else."""
        out: dict[int, object] = {}
        limit = limit or GROUP_FILES
        began = time.monotonic()
        with self.writer.begin() as conn:
            if conn.dialect.name == "postgresql":  # writers one at a time, each taking meta first (no deadlock)
                conn.execute(select(schema.meta.c.id).with_for_update())
            i = start
            while i < len(ready) and len(taken) < limit:
                if taken and time.monotonic() - began >= GROUP_SECONDS:
                    break
                chunk = list(range(i, min(len(ready), i + CHUNK_FILES, i + limit - len(taken))))
                taken.extend(chunk)
                files = {j: ready[j] for j in chunk if isinstance(ready[j], _File)}
                out |= {j: ready[j] for j in chunk if j not in files}
                together = self._savepoint(conn, self._write_files, files, uploaded_by, origin) if len(files) > 1 else 0
                if isinstance(together, dict):
                    out |= together
                else:  # one file, or a chunk that failed: a savepoint a file
                    for j, f in files.items():
                        done = self._savepoint(conn, self._write_file, f, uploaded_by, origin)
                        out[j] = self._stored_meanwhile(conn, f, done) if isinstance(done, Exception) else done
                i = chunk[-1] + 1
            texts = [t for j, done in out.items() if isinstance(done, _Done) and done.new for t in ready[j].texts()]
            kept = self._savepoint(conn, self.keep_on, texts) if texts else []  # their readings, for the next process
        if isinstance(kept, Exception):  # a cache: the files are stored all the same
            log.warning("the readings of 主要问题 were not kept (%s)", exception_line(kept))
        else:
            self._known_kept().update(kept)
        return out

    def _savepoint(self, conn, write: Callable, *args) -> object:
        """``write(conn, *args)`` under a savepoint: what it gave, or its exception with nothing of it kept.
        ``_GroupLost`` when the transaction cannot go on."""
        savepoint = conn.begin_nested()
        try:
            done = write(conn, *args)
            savepoint.commit()
            return done
        except Exception as exc:  # back to the savepoint: nothing of it, what came before kept
            try:
                savepoint.rollback()
            except Exception:
                raise _GroupLost() from exc
            if not _in_transaction(conn):
                raise _GroupLost() from exc
            return exc

    def _existing(self, conn, sha: str) -> int | None:
        """The id of the submission with this content hash as the connection sees it (its own group's too), or None."""
        s = schema.submissions
        sid = conn.execute(select(s.c.id).where(s.c.sha256 == sha)).scalar()
        return None if sid is None else int(sid)

    def _stored_meanwhile(self, conn, f: _File, exc: Exception) -> object:
        """A file whose insert broke a constraint: the same bytes stored by another writer meanwhile (their id), or
        the error."""
        if isinstance(exc, IntegrityError):
            existing = self._existing(conn, f.sha)
            if existing is not None:
                return _Done(int(existing), False, [])
        return exc

    def _write_file(self, conn, f: _File, uploaded_by: str, origin: str | None) -> _Done:
        """One file in the group's transaction (under its savepoint): its submission, rows, findings, audit entry;
        a value of the wrong kind raised, so that its savepoint is rolled back."""
        done = self._write_files(conn, {0: f}, uploaded_by, origin)[0]
        if isinstance(done, Exception):
            raise done
        return done

    def _write_files(self, conn, files: dict[int, _File], uploaded_by: str, origin: str | None) -> dict[int, object]:
        """Files in the group's transaction (under one savepoint), a statement a table; each file's ``_Done``, or the
        exception of a file refused before any database work (a value of the wrong kind). The outcome of each is
        that of writing them one after the other."""
        s = schema.submissions
        shas = sorted({f.sha for f in files.values()})
        existing = {sha: int(sid) for sha, sid in conn.execute(select(s.c.sha256, s.c.id).where(s.c.sha256.in_(shas)))}
        withdrawn = self._withdrawn_set(conn, sorted(set(existing.values()))) if existing else set()
        out: dict[int, object] = {}
        new: dict[int, tuple] = {}  # index -> (file, rows, units) of the files to insert
        first: dict[str, int] = {}  # the index of the file of each content inserted
        for i, f in files.items():
            if f.sha in existing:  # stored before
                out[i] = _Done(existing[f.sha], False, [], reinstate=existing[f.sha] in withdrawn)
            elif f.sha not in first:
                try:
                    rows, units = f.rows()
                except ValueError as exc:  # a value of the wrong kind: nothing written of this file
                    out[i] = exc
                    continue
                first[f.sha] = i
                new[i] = (f, rows, units)
        if new:
            values = [_submission(f, uploaded_by) for f, _, _ in new.values()]
            ids = _insert_submissions(conn, values)
            written = [(f, sid, rows, units) for (f, rows, units), sid in zip(new.values(), ids, strict=True)]
            out |= dict(zip(new, self._insert_rows(conn, written, uploaded_by, origin), strict=True))
        for i, f in files.items():
            if i not in out:  # the same content earlier in this batch
                out[i] = _Done(out[first[f.sha]].sid, False, [])
        return out

    def _insert_rows(self, conn, written: list[tuple], uploaded_by: str, origin: str | None) -> list[_Done]:
        """Everything but the submission of files whose submissions are inserted ((file, id, rows, units) each):
        their rows, findings and audit entries, the version and the units' marks, a statement each."""
        from weakorg import audit  # it reads the store's schema: imported when first used

        for form in FORMS:  # the files (of one add_many) share the batch's converted frames: their rows taken at once
            batch = written[0][0].batch[form]
            positions = np.concatenate([rows[form] for _, _, rows, _ in written])
            ids = np.repeat([sid for _, sid, _, _ in written], [len(rows[form]) for _, _, rows, _ in written])
            insert_tuples(conn, schema.frames[form], ["file_idx", *batch.columns], batch.rows(positions, ids))
        found = [
            (sid, *finding_values(x), source)
            for f, sid, _, _ in written
            for source, kept in (("read", f.read), ("check", f.checked))
            for x in kept
        ]
        insert_tuples(conn, schema.findings, ["submission_id", *FINDING_COLUMNS, "source"], found)
        entries = [
            audit.values(
                account=uploaded_by or None,
                origin=origin,
                action=audit.SAVE,
                unit=f.fr.unit,
                file=f.fr.name,
                sha256=f.sha,
                detail=audit.HELD_DETAIL if f.held else None,
            )
            for f, _, _, _ in written
        ]
        conn.execute(insert(schema.audit_log), entries)
        done = [_Done(sid, True, sorted({f"#{sid}" if u is None else u for u in us})) for _, sid, _, us in written]
        # meta before unit_checks, in this order in every transaction that writes both (no deadlock)
        conn.execute(update(schema.meta).values(version=schema.meta.c.version + len(written)))
        marks = {o: d.sid for d in done for o in d.owners}  # each owner's latest submission
        if marks:
            mark_stored(conn, marks)
        return done


def _submission(f: _File, uploaded_by: str) -> dict:
    """The submissions row of a file."""
    fr = f.fr
    dates = [t.reported_on for t in fr.tables if t.reported_on is not None]
    return {
        "sha256": f.sha,
        "name": fr.name,
        "size": int(fr.size or (len(fr.content) if fr.content is not None else 0)),
        "uploaded_at": datetime.now(UTC).replace(tzinfo=None),
        "uploaded_by": uploaded_by or "",
        "unit": fr.unit,
        "forms": ",".join(fr.forms),
        "categories": ",".join(fr.categories),
        "reported_on": max(dates) if dates else None,
        "status": fr.status,
        "content": fr.content,
        "held": f.held,
    }


def _insert_submissions(conn, values: list[dict]) -> list[int]:
    """Insert submissions rows (each of its own content) in one statement; their ids in order, found by their
    content hash (unique) in a second: a driver that returns ids in order does it one row a statement (SQLite)."""
    s = schema.submissions
    conn.execute(insert(s), values)
    shas = [v["sha256"] for v in values]
    ids = dict(conn.execute(select(s.c.sha256, s.c.id).where(s.c.sha256.in_(shas))).all())
    return [int(ids[sha]) for sha in shas]
