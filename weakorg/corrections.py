"""Correcting the record, as the pages offer it: which stored submissions may be withdrawn, and how they are named.

The records themselves (a withdrawal, a confirmation) are the store's (``Store.withdraw``); this module only
says what a page lists and in which words, so it is tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from weakorg.store import Store
from weakorg.store.record import DATE, UNIT

DATE_KIND = DATE  # the kind of confirmation that lets a held return stand
UNIT_KIND = UNIT  # the kind of confirmation that assigns a file to another unit

WITHDRAWN_LABEL, STANDING_LABEL, AWAITING_LABEL = "已撤回", "有效", "填表时间待确认"
STATE_HEADER = "状态"
WITHDRAWN_HEADERS = {"withdrawn_by": "撤回人", "withdrawn_at": "撤回时间", "withdraw_reason": "撤回原因"}
NO_UNIT = "单位未识别"


def withdrawable(store: Store, scope: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """The stored submissions in scope that stand (not withdrawn), newest first: (id, a label naming it)."""
    subs = store.submissions(set(scope) if scope is not None else None)
    subs = subs[~subs["withdrawn"].astype(bool)].iloc[::-1]
    return [(int(r.id), _label(r)) for r in subs.itertuples()]


def awaiting(store: Store, scope: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """The stored submissions in scope held back until an analyst confirms their 填表时间, newest first."""
    subs = store.submissions(set(scope) if scope is not None else None)
    subs = subs[subs["awaiting"].astype(bool) & ~subs["withdrawn"].astype(bool)].iloc[::-1]
    return [(int(r.id), _label(r)) for r in subs.itertuples()]


def _label(r) -> str:
    return f"#{int(r.id)} {r.name}（{r.unit or NO_UNIT}，填表时间 {r.reported_on or '——'}）"


def submissions_record(store: Store, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """``app.submissions_table`` (newest first) with whether each stands (状态) and who withdrew it, when and why."""
    from weakorg.app import submissions_table

    table = submissions_table(store, scope)
    subs = store.submissions(set(scope) if scope is not None else None).iloc[::-1].reset_index(drop=True)
    withdrawn = subs["withdrawn"].astype(bool)
    held = subs["awaiting"].astype(bool)
    pairs = zip(withdrawn, held, strict=True)
    states = [WITHDRAWN_LABEL if w else AWAITING_LABEL if h else STANDING_LABEL for w, h in pairs]
    table.insert(1, STATE_HEADER, states)
    for col, header in WITHDRAWN_HEADERS.items():
        table[header] = subs[col].where(withdrawn, None)
    return table
