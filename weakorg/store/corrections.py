"""Analysts' corrections of the reading: an organization's criteria and flags as an analyst says (append-only).

A correction names the organization (its unit and normalized name) and the text it was made on (a hash of
the normalized 主要问题), and says which criteria (1-6) and flags (keys of vocab.FLAGS) the text meets, with a
note, who and when. The latest correction of a key stands. It stands over what the register states or the
rules read for that organization while the unit's register says the same text: a later return that changes
主要问题 gets a new hash, and the old correction no longer applies (an unchanged text carries it over).
Every page, download and export reads the picture through ``Store.corrected`` (weakorg/app/consolidated.py ``picture``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import insert, select, update

from weakorg.campaign import normalize_text
from weakorg.read.hygiene import strip_controls
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded
from weakorg.store.record import account_name
from weakorg.vocab import CORRECTED_COLUMN, CRITERIA, CRITERIA_SHORT, FLAGS, UNCORRECTED_COLUMN

KEY = ("unit", "name", "text_hash")  # what a correction is known by
COLUMNS = ("unit", "name", "text_hash", "problems", "criteria", "flags", "note", "by", "at")
NOTE_MISSING = "更正判读须填写说明：请写明为何这样判定（如：书记已在岗，只是能力不足，应为标准2）。"
UNKNOWN_CRITERIA = "符合标准只能是1至6条中的几条，请重新勾选。"
UNKNOWN_FLAGS = "重点整顿情形只能从列出的四种中勾选，请重新勾选。"
NO_ORG = "更正判读须指明填报单位和党组织名称，请在列表中选中一个党组织再保存。"
NOTE_MAX = 500  # characters: a reason, not a report (the card and the list show it whole)
NOTE_TOO_LONG = f"更正说明不能超过{NOTE_MAX}字，请精简后再保存（当前{{n}}字）。"
WITHDRAWN = "-"  # the criteria of a record that withdraws the correction before it: the reading stands again
WITHDRAWN_SAID = "撤销更正，恢复按主要问题自动判读"
CONFIRMED_SAID = "确认判读（未作改动）："  # an audit entry's detail: a correction that counts what counted already
WITHDRAW_NOTE_MISSING = "撤销更正须填写说明：请写明为何撤销（如：经与填报单位核实，原判读无误）。"


def text_hash(problems) -> str:
    """The hash of a 主要问题 text as corrections know it: full-width to half-width, no whitespace."""
    text = problems if isinstance(problems, str) else ""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def _numbers(text: str) -> list[int]:
    return [int(n) for n in (text or "").split(",") if n]


def _keys(text: str) -> list[str]:
    return [k for k in (text or "").split(",") if k]


def detail(name: str, criteria: Iterable[int], flags: Iterable[str], note: str) -> str:
    """What the audit log says of a correction: the organization, the criteria and flags, the note."""
    said = "、".join(CRITERIA_SHORT[n] for n in criteria) or "不符合任何一条标准"
    marked = "、".join(FLAGS[f] for f in flags)
    return f"{name}：{said}" + (f"；重点整顿：{marked}" if marked else "") + f"；说明：{note}"


class ReadingCorrections:
    """The Store's methods for analysts' corrections of the reading (a mixin of weakorg.store.db.Store)."""

    @_guarded
    def add_correction(
        self,
        unit: str,
        name: str,
        problems,
        criteria: Iterable[int],
        flags: Iterable[str],
        note: str,
        by: str = "",
        origin: str | None = None,
        confirms: bool = False,
    ) -> None:
        """Store an analyst's correction of an organization's reading (``ValueError`` in Chinese when the note is
        missing or a criterion or flag is unknown), with one audit entry in the same transaction; ``confirms``: it
        counts what counted already (the analyst confirms the reading), and the entry says so (CONFIRMED_SAID)."""
        note = strip_controls(note or "")[0].strip()
        unit, shown = (strip_controls(v or "")[0].strip() for v in (unit, name))
        if not unit or not shown:
            raise ValueError(NO_ORG)
        if not note:
            raise ValueError(NOTE_MISSING)
        if len(note) > NOTE_MAX:
            raise ValueError(NOTE_TOO_LONG.format(n=len(note)))
        numbers = sorted({int(n) for n in criteria})
        if any(n not in CRITERIA for n in numbers):
            raise ValueError(UNKNOWN_CRITERIA)
        keys = [k for k in FLAGS if k in set(flags)]
        if len(keys) != len(set(flags)):
            raise ValueError(UNKNOWN_FLAGS)
        said = (CONFIRMED_SAID if confirms else "") + detail(normalize_text(shown), numbers, keys, note)
        self._append_correction(
            unit, shown, problems, ",".join(map(str, numbers)), ",".join(keys), note, by, origin, said
        )

    @_guarded
    def withdraw_correction(
        self, unit: str, name: str, problems, note: str = "", by: str = "", origin: str | None = None
    ) -> None:
        """Withdraw the standing correction of an organization's reading: a record of its own (nothing is deleted),
        after which the register and the rules' reading count again; one audit entry in the same transaction."""
        note = strip_controls(note or "")[0].strip()
        unit, shown = (strip_controls(v or "")[0].strip() for v in (unit, name))
        if not unit or not shown:
            raise ValueError(NO_ORG)
        if not note:  # undoing a colleague's word takes a reason, as making it does
            raise ValueError(WITHDRAW_NOTE_MISSING)
        if len(note) > NOTE_MAX:
            raise ValueError(NOTE_TOO_LONG.format(n=len(note)))
        said = f"{normalize_text(shown)}：{WITHDRAWN_SAID}；说明：{note}"
        self._append_correction(unit, shown, problems, WITHDRAWN, "", note, by, origin, said)

    def _append_correction(self, unit, shown, problems, criteria, flags, note, by, origin, said) -> None:
        from weakorg import audit  # it reads the store's schema: imported when first used

        text = strip_controls(problems if isinstance(problems, str) else "")[0]
        row = {
            "unit": unit,
            "name": normalize_text(shown),
            "text_hash": text_hash(text),
            "problems": text,
            "criteria": criteria,
            "flags": flags,
            "note": note,
            "by": account_name(by),
            "at": datetime.now(UTC).replace(tzinfo=None),
        }
        with self.writer.begin() as conn:
            conn.execute(insert(schema.reading_corrections).values(**row))
            conn.execute(update(schema.meta).values(version=schema.meta.c.version + 1))  # every cache moves
            stale = schema.unit_checks.c.owner == unit  # its checks run again, the corrected reading in place
            conn.execute(update(schema.unit_checks).where(stale).values(checked=None))
            audit.append(conn, account=by or None, action=audit.CORRECT, unit=unit, detail=said, origin=origin)

    def _records(self, units: Iterable[str] | None) -> pd.DataFrame:
        """Every correction and withdrawal of the units' organizations (None: all), oldest first."""
        t = schema.reading_corrections
        stmt = select(*(t.c[c] for c in COLUMNS)).order_by(t.c.id)
        if units is not None:
            stmt = stmt.where(t.c.unit.in_(sorted(set(units))))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))

    @_guarded
    def standing_corrections(self, units: Iterable[str] | None = None) -> pd.DataFrame:
        """The standing correction of each (unit, name, text hash): the latest; criteria and flags as lists."""
        out = self._records(units).drop_duplicates(list(KEY), keep="last")
        out = out[out["criteria"] != WITHDRAWN].reset_index(drop=True)  # a withdrawn one no longer stands
        out["criteria"] = out["criteria"].map(_numbers)
        out["flags"] = out["flags"].map(_keys)
        out["by_shown"] = self._shown_by(out["by"])
        return out

    @_guarded
    def latest_corrections(self, units: Iterable[str] | None = None) -> pd.DataFrame:
        """The latest correction of each organization (unit, name), on whatever text it was made, unless withdrawn:
        one made on a text the unit has since changed no longer stands (``standing_corrections``) but is told."""
        out = self._records(units).drop_duplicates(["unit", "name"], keep="last")
        out = out[out["criteria"] != WITHDRAWN].reset_index(drop=True)
        out["by_shown"] = self._shown_by(out["by"])
        return out

    @_guarded
    def correction_history(self, unit: str, name: str) -> pd.DataFrame:
        """Every correction of one organization's reading (on any of its texts) and every withdrawal, newest first:
        criteria and flags as lists, ``withdrawn`` True for a withdrawal."""
        t = schema.reading_corrections
        key = (t.c.unit == unit) & (t.c.name == normalize_text(name))
        with self.engine.connect() as conn:
            rows = conn.execute(select(*(t.c[c] for c in COLUMNS)).where(key).order_by(t.c.id.desc())).all()
        out = pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))
        out["withdrawn"] = out["criteria"] == WITHDRAWN
        out["criteria"] = [[] if w else _numbers(c) for c, w in zip(out["criteria"], out["withdrawn"], strict=True)]
        out["flags"] = out["flags"].map(_keys)
        out["by_shown"] = self._shown_by(out["by"])
        return out

    def _shown_by(self, by: pd.Series) -> pd.Series:
        """Who made each record as users know them: the account's display name with its username (张三（zhangsan）),
        the username alone when they are the same or the account is gone."""
        u = schema.users
        names = sorted({b for b in by if b})
        if not names:
            return by.astype(object)
        with self.engine.connect() as conn:
            shown = dict(conn.execute(select(u.c.username, u.c.display_name).where(u.c.username.in_(names))).all())
        return by.map(lambda b: f"{shown[b]}（{b}）" if b and shown.get(b) and shown[b] != b else b).astype(object)

    def corrected(self, weak_orgs: pd.DataFrame, units: Iterable[str] | None = None) -> pd.DataFrame:
        """The register lines with the standing corrections of their unit, name and text in place of their
        criteria and flags (the same frame when none applies)."""
        return apply_corrections(weak_orgs, self.standing_corrections(units))


def org_keys(weak_orgs: pd.DataFrame) -> pd.Series:
    """Each register line's key as corrections know it: (unit, normalized name, text hash)."""
    return pd.Series(
        [
            (u, normalize_text(n), text_hash(p))
            for u, n, p in zip(weak_orgs["unit"], weak_orgs["name"], weak_orgs["problems"], strict=True)
        ],
        index=weak_orgs.index,
        dtype=object,
    )


def apply_corrections(weak_orgs: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """``weak_orgs`` (consolidate's register lines) with each standing correction's criteria and flags in place."""
    if corrections.empty or weak_orgs.empty:
        return weak_orgs
    lookup = {tuple(r[k] for k in KEY): (r["criteria"], r["flags"]) for r in corrections.to_dict("records")}
    found = org_keys(weak_orgs).map(lookup.get)
    hit = found.notna()
    if not hit.any():
        return weak_orgs
    out = weak_orgs.copy()
    out[UNCORRECTED_COLUMN] = out["criteria"].where(hit, None)  # what the register or reading said: gaps tell apart
    out.loc[hit, "criteria"] = pd.Series([list(c) for c, _ in found[hit]], index=found[hit].index, dtype=object)
    out.loc[hit, "flags"] = pd.Series([list(f) for _, f in found[hit]], index=found[hit].index, dtype=object)
    out[CORRECTED_COLUMN] = hit  # which lines an analyst's word stands on (the lists and the gaps say so)
    return out
