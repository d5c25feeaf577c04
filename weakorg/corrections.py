"""Correcting the record, as the pages offer it: which stored submissions may be withdrawn, and how they are named.

The records themselves (a withdrawal, a confirmation) are the store's (``Store.withdraw``); this module only
says what a page lists and in which words, so it is tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from weakorg.campaign import default_campaign
from weakorg.store import Store
from weakorg.store.record import DATE, UNIT
from weakorg.vocab import NO_UNIT_LABEL, REPLACED_LABEL, local_time

DATE_KIND = DATE  # the kind of confirmation that lets a held return stand
UNIT_KIND = UNIT  # the kind of confirmation that assigns a file to another unit

WITHDRAWN_LABEL, STANDING_LABEL, AWAITING_LABEL = "已撤回", "有效", "填表时间待确认"
OUTSIDE_LABEL = "未计入：填报单位不在名单中"  # its unit is none of the campaign's: no page counts it
# A submission's state: its key (python -m weakorg submissions --json) and the word the record shows.
STATE_LABELS = {
    "standing": STANDING_LABEL,
    "replaced": REPLACED_LABEL,
    "outside": OUTSIDE_LABEL,
    "withdrawn": WITHDRAWN_LABEL,
    "held": AWAITING_LABEL,
}
STATE_HEADER = "状态"
WITHDRAWN_HEADERS = {"withdrawn_by": "撤回人", "withdrawn_at": "撤回时间", "withdraw_reason": "撤回原因"}
REINSTATED_HEADER = "撤回后重新生效"  # a withdrawn file uploaded again: when and by whom (the withdrawal stays said)
REINSTATED = "{at} 由{by}重新上传"
ASSIGNED_FROM = "，改归自{unit}"  # a file an analyst assigned to another unit: the unit it named
ASSIGNED_HEADER = "原报单位"  # the record's column: the unit the file named, when it counts for another


def withdrawable(store: Store, scope: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """The stored submissions in scope that stand (not withdrawn), newest first: (id, a label naming it)."""
    subs = store.submissions(set(scope) if scope is not None else None)
    subs, assigned = subs[~subs["withdrawn"].astype(bool)].iloc[::-1], store.assignments()
    return [(int(r.id), _label(r, assigned)) for r in subs.itertuples()]


def awaiting(store: Store, scope: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """The stored submissions in scope held back until an analyst confirms their 填表时间, newest first."""
    subs = store.submissions(set(scope) if scope is not None else None)
    subs = subs[subs["awaiting"].astype(bool) & ~subs["withdrawn"].astype(bool)].iloc[::-1]
    assigned = store.assignments()
    return [(int(r.id), _label(r, assigned)) for r in subs.itertuples()]


def standing_ids(store: Store, scope: Iterable[str] | None = None) -> set[int]:
    """The submissions of which some table stands in the current picture (the latest per unit, form and category)."""
    from weakorg import status

    seen = set(scope) if scope is not None else None
    return status.current_submissions(store.returns(seen, columns=status.STANDING_COLUMNS, findings=False))


def standing_names(record: pd.DataFrame) -> set[str]:
    """The file names of the submissions that stand (有效) in a ``submissions_record``."""
    from weakorg.app import SUBMISSION_HEADERS

    return set(record.loc[record[STATE_HEADER] == STANDING_LABEL, SUBMISSION_HEADERS["name"]])


def units_of(store: Store, submission_id: int) -> list[str | None]:
    """The units an action on a submission touches: the one its file names and, if assigned, the one it counts for."""
    s = store.submissions()
    row = s[s["id"] == int(submission_id)]
    now = row["unit"].iloc[0] if len(row) else None
    named = store.assignments().get(int(submission_id), (now, now))[0]
    return list(dict.fromkeys([named, now]))


def _label(r, assigned: dict[int, tuple[str | None, str]]) -> str:
    unit = r.unit or NO_UNIT_LABEL
    if int(r.id) in assigned:
        unit += ASSIGNED_FROM.format(unit=assigned[int(r.id)][0] or NO_UNIT_LABEL)
    return f"#{int(r.id)} {r.name}（{unit}，填表时间 {r.reported_on or '——'}）"


def states(subs: pd.DataFrame, current: set[int], units: Iterable[str] = ()) -> list[str]:
    """Each submission's state key (``STATE_LABELS``): withdrawn, held for its date, of a unit none of ``units``
    (the campaign's: outside, no page counts it), standing (some table of it is among ``current``, ``standing_ids``)
    or replaced; without ``units``, none is outside."""
    known = set(units)
    return [
        "withdrawn" if w else "held" if h else "outside" if known and u not in known else "standing"
        if int(i) in current else "replaced"
        for w, h, i, u in zip(
            subs["withdrawn"].astype(bool), subs["awaiting"].astype(bool), subs["id"], subs["unit"], strict=True
        )
    ]  # fmt: skip


OUTSIDE_NOTE = (
    "另有{n}份已保存的报送，其填报单位不在本次整顿名单中，未计入以上统计：{files}。"
    "如属名单中的单位，分析员可在“上传与校验”页将其改归。"
)


def outside_note(record: pd.DataFrame) -> str:
    """The stored submissions no page counts, their unit none of the campaign's (``OUTSIDE_LABEL``), said in one
    sentence naming each file and the unit it gave; "" when there are none. ``record``: ``submissions_record``."""
    from weakorg.app import SUBMISSION_HEADERS

    outside = record[record[STATE_HEADER] == OUTSIDE_LABEL]
    if outside.empty:
        return ""
    name, unit = SUBMISSION_HEADERS["name"], SUBMISSION_HEADERS["unit"]
    files = "；".join(f"{r[name]}（{r[unit] or NO_UNIT_LABEL}）" for r in outside.to_dict("records"))
    return OUTSIDE_NOTE.format(n=len(outside), files=files)


def submissions_record(store: Store, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """``app.submissions_table`` (newest first) with whether each stands (状态) and who withdrew it, when and why."""
    from weakorg.app import submissions_table

    table = submissions_table(store, scope)
    subs = store.submissions(set(scope) if scope is not None else None).iloc[::-1].reset_index(drop=True)
    withdrawn = subs["withdrawn"].astype(bool)
    units = default_campaign().unit_names
    table.insert(1, STATE_HEADER, [STATE_LABELS[k] for k in states(subs, standing_ids(store, scope), units)])
    assigned = store.assignments()
    table[ASSIGNED_HEADER] = [assigned[int(i)][0] if int(i) in assigned else None for i in subs["id"]]
    again = subs["reinstated_at"].notna()  # withdrawn once, uploaded again: its withdrawal still said, and the return
    for col, header in WITHDRAWN_HEADERS.items():
        values = subs[col].map(local_time) if col == "withdrawn_at" else subs[col]  # stored in UTC, read in Beijing
        table[header] = values.where(withdrawn | again, None)
    table[REINSTATED_HEADER] = [
        REINSTATED.format(at=local_time(at), by=by or "（未署名）") if back else None
        for at, by, back in zip(subs["reinstated_at"], subs["reinstated_by"], again, strict=True)
    ]
    return table
