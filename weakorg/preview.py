"""Before saving a batch: per unit, what it replaces and how the unit's figures change (computed, not drawn).

``save_preview`` compares what stands now in the store with what would stand once the batch is
saved (``Store.with_history``: the batch last, as if uploaded now), by the same rule that
consolidation uses (``consolidate.latest``), so the page can say 软弱涣散 28 → 29 before anything
is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.checks.dates import out_of_range
from weakorg.consolidate import consolidate, latest
from weakorg.tables import Returns, returns_from_files
from weakorg.vocab import (
    DONE_LABEL,
    F1,
    F1_ROWS,
    F2,
    F3,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    FORMS,
    LISTED_LABEL,
    NO_UNIT_LABEL,
    NOT_APPLICABLE,
    STATUS_DONE,
    UNIT_LABEL,
)

if TYPE_CHECKING:
    from weakorg.app import UploadResult
    from weakorg.store import Store

VILLAGES_LABEL = FORM_SHORT[F3]
# What the save preview's table says, before the save and after it (the table it was saved by).
PREVIEW_TODO = "保存后各单位以最新报送为准：下表列出本批文件将替换哪些已保存的报送，以及各单位数字的变化。"
PREVIEW_DONE = "本批文件已保存，各单位以最新报送为准：下表列出保存时替换了哪些报送，以及各单位数字的变化。"
PREVIEW_HEADERS = [
    UNIT_LABEL,
    "本次文件",
    "替换的报送",
    F1_ROWS["weak_total"],
    LISTED_LABEL,
    DONE_LABEL,  # a progress correction's point: 已转化 or 已验收 now → after
    VILLAGES_LABEL,
    "有错误的文件",
]
FIGURES = PREVIEW_HEADERS[3:7]  # now → after, each
ARROW = " → "
ALREADY_STORED = "（此前已保存）"
REINSTATED = "（此前已撤回，保存后重新生效）"
AWAITING = "（填表时间待确认，确认前不生效）"
NOT_SAVED = "（有错误，不保存）"
# The keys under which one return stands over another (per category for 附件1, per form otherwise).
_STANDING_KEYS = {F1: ["unit", "category"], F2: ["unit"], F3: ["unit"]}


def standing_parts(returns: Returns, unit: str) -> set[tuple[int, str, str]]:
    """The unit's returns standing in ``returns`` (the latest per key, by ``consolidate.latest``): (``file_idx``, form,
    category or ""), a register by category too, since a later file of the same round replaces only its categories."""
    out: set[tuple[int, str, str]] = set()
    for form in FORMS:
        frame, empty = returns.frame(form), returns.empty_of(form)
        frame, empty = frame[frame["unit"] == unit], empty[empty["unit"] == unit]
        if not len(frame):
            continue
        standing = latest(frame, _STANDING_KEYS[form], empty)
        categories = standing["category"] if "category" in standing else pd.Series("", index=standing.index)
        for idx, category in zip(standing["file_idx"], categories.fillna(""), strict=True):
            out.add((int(idx), form, str(category)))
    return out


def _replaced(now: Returns, after: Returns, unit: str, names: dict[int, str]) -> str:
    """What of the unit's standing returns the batch replaces: “#3 第1次.xlsx：附件1（农村、学校）、附件2（农村）”."""
    gone: dict[int, dict[str, list[str]]] = {}
    for sid, form, category in sorted(standing_parts(now, unit) - standing_parts(after, unit)):
        gone.setdefault(sid, {}).setdefault(form, []).append(category)
    return "；".join(
        f"{names.get(sid, f'#{sid}')}：" + "、".join(_part(form, cats) for form, cats in forms.items())
        for sid, forms in gone.items()
    )


def _part(form: str, categories: list[str]) -> str:
    """附件2（农村、学校）, or 附件2 when its lines name no category."""
    named = [c for c in categories if c]
    return FORM_ATTACHMENTS[form] + (f"（{'、'.join(named)}）" if named else "")


def _stored(store: Store, sha256: str | None) -> bool | None:
    """Whether the same bytes are stored and withdrawn (saving them again makes them stand again): True when
    withdrawn, False when standing, None when not stored."""
    sid = store.submission_id(sha256) if sha256 else None
    return None if sid is None else store.is_withdrawn(sid)


def _figures(returns: Returns, campaign: Campaign) -> tuple[dict, ...]:
    """Each unit's weak organizations (the standing 附件1 tables' total), its standing 一览表's lines, those of them
    已转化 or 已验收, and its 难点村: in ``FIGURES``' order."""
    pic = consolidate(returns, campaign, checks=False)
    weak = pic.summary.groupby("unit")["weak_total"].sum(min_count=1).dropna().to_dict()
    orgs = pic.weak_orgs
    listed = orgs.groupby("unit").size().to_dict()
    done = orgs[orgs["status"].isin(STATUS_DONE)].groupby("unit").size().to_dict() if len(orgs) else {}
    villages = pic.villages.groupby("unit").size().to_dict()
    return weak, listed, done, villages


def _number(value) -> str:
    """A count as the preview writes it: a whole number without decimals, none as ——."""
    if value is None or pd.isna(value):
        return NOT_APPLICABLE
    return str(int(value)) if float(value).is_integer() else f"{float(value):g}"


def _change(now: dict, after: dict, unit: str | None, absent=None) -> str:
    """A unit's figure now → after saving (``absent`` where it has none), —— for files of no unit."""
    return _number(now.get(unit, absent)) + ARROW + _number(after.get(unit, absent)) if unit else NOT_APPLICABLE


def _note(name: str, known: set[str], held: set[str], kept_out: set[str], back: set[str] = frozenset()) -> str:
    if name in kept_out:
        return NOT_SAVED
    return ALREADY_STORED if name in known else AWAITING if name in held else REINSTATED if name in back else ""


def save_preview(
    store: Store,
    results: Sequence[UploadResult],
    campaign: Campaign | None = None,
    today: date | None = None,
    with_errors: bool = True,
) -> pd.DataFrame:
    """One row per unit of the batch's readable files: the files, the stored returns they replace, 软弱涣散 and
    难点村 now → after saving, and the files that carry errors (columns ``PREVIEW_HEADERS``). A file dated after
    ``today`` or long before the campaign changes nothing until an analyst confirms its date; without
    ``with_errors`` (仍然保存有错误的文件 not ticked) a file with errors is not saved and changes nothing either."""
    campaign = campaign or default_campaign()
    today = today or date.today()
    readable = [r for r in results if r.ok]
    if not readable:
        return pd.DataFrame(columns=PREVIEW_HEADERS)
    units = sorted({r.file.unit for r in readable if r.file.unit})
    stored = {r.name: _stored(store, r.file.sha256) for r in readable}
    known = {name for name, withdrawn in stored.items() if withdrawn is False}  # saving them again stores nothing
    back = {name for name, withdrawn in stored.items() if withdrawn}  # saving them again reinstates them
    held = {r.name for r in readable if out_of_range((t.reported_on for t in r.file.tables), campaign, today)}
    kept_out = set() if with_errors else {r.name for r in readable if r.errors}
    new = [r.file for r in readable if r.name not in known | held | kept_out]  # a held file stands once confirmed
    now = store.returns(set(units), findings=False)
    after = store.with_history(returns_from_files(new)) if new else now
    before, later = _figures(now, campaign), _figures(after, campaign)
    subs = store.submissions(set(units))
    names = {int(i): f"#{int(i)} {n}" for i, n in zip(subs["id"], subs["name"], strict=True)}
    changed = {f.unit for f in new}  # ``after`` holds the stored returns of these units only: the others stay as now
    rows = []
    for unit in [*units, None]:
        files = [r for r in readable if r.file.unit == unit]
        if not files:
            continue
        moves = unit in changed
        rows.append(
            [
                unit or NO_UNIT_LABEL,
                "、".join(r.name + _note(r.name, known, held, kept_out, back) for r in files),
                _replaced(now, after, unit, names) if unit and moves else "",
                *(
                    _change(b, a if moves else b, unit, None if i == 0 else 0)  # no 附件1: ——; no line: 0
                    for i, (b, a) in enumerate(zip(before, later, strict=True))
                ),
                "、".join(r.name for r in files if r.errors),
            ]
        )
    return pd.DataFrame(rows, columns=PREVIEW_HEADERS)
