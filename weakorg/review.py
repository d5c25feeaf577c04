"""The 研判 page's computations: the current organizations' readings ordered by doubt, and what corrections did.

Each organization of the picture (its register line as it stands) is listed with its 主要问题, the criteria and
flags the rules read with their evidence, the reading's confidence and doubt (weakorg.criteria), what counts in
the figures (the register's 符合标准, else the reading, else an analyst's standing correction) and, once
corrected, who corrected it, when and why. 待研判 first, then 低, then the sure ones, the corrected last.
"""

from __future__ import annotations

import pandas as pd

from weakorg.criteria import HIGH, LOW, PENDING, classify_many
from weakorg.privacy import mask_text
from weakorg.store.corrections import KEY, org_keys
from weakorg.views import CRITERIA_LABEL, FLAGS_LABEL, criteria_text, flags_text, widest
from weakorg.vocab import CRITERIA, CRITERIA_SHORT, F2_COLUMNS, FLAGS, UNIT_LABEL, local_time

TITLE = "研判"
CORRECTED = "已更正"  # an organization whose reading an analyst has corrected (its standing correction applies)
STATES = (PENDING, LOW, HIGH, CORRECTED)  # the list's order: most doubtful first
SAVED_TOAST = "研判已保存，详见更正表单下方的说明。"  # short: Streamlit cuts a long toast with an English "view more"
LAPSED = "{by}于{at}对此前的主要问题作过研判更正，此后主要问题已改，该更正不再适用，请重新研判。"
NONE_COUNTED = "列为软弱涣散基层党组织，却未填也未读出任何一条标准（每个软弱涣散基层党组织至少符合一条），请研判。"
STATE_LABEL = "研判状态"
READ_LABEL = "规则读出的标准"
EVIDENCE_LABEL = "依据"
DOUBT_LABEL = "存疑原因"
COUNTED_LABEL = f"计入统计的{CRITERIA_LABEL}"
BY_LABEL, AT_LABEL, NOTE_LABEL = "更正人", "更正时间", "更正说明"
NONE_READ = "未读出"
SAVED_NOTE = (
    "已保存对“{name}”的更正：{change}。组织明细、研判和导出已按更正计算"
    "（按附件1统计的图表仍以各单位填报数为准，差异见“核对发现”）。"
)
CONFIRMED_NOTE = "已确认“{name}”的判读（{reading}），未作改动；主要问题不变时，这一确认一直有效。"
HIGH_NOTE = "高：规则读出的依据明确，无需复核"
HEADERS = {  # what counts beside what was read, first: a corrected row shows its correction without scrolling
    "state": STATE_LABEL,
    "name": F2_COLUMNS["name"],
    "counted": COUNTED_LABEL,  # in view at 1024 px beside the pinned name: what counts and what was read
    "read_text": READ_LABEL,
    "unit": UNIT_LABEL,
    "problems": F2_COLUMNS["problems"],
    "evidence": EVIDENCE_LABEL,
    "doubt": DOUBT_LABEL,
    "flags_counted": FLAGS_LABEL,
    "by": BY_LABEL,
    "at": AT_LABEL,
    "note": NOTE_LABEL,
}
COLUMNS = [
    "unit",
    "name",
    "category",
    "problems",
    "state",
    "confidence",
    "doubt",
    "read",
    "read_flags",
    "read_text",
    "evidence",
    "counted",
    "flags_counted",
    "criteria",
    "flags",
    "by",
    "at",
    "note",
]


def evidence_text(evidence: dict) -> str:
    """The phrases that met each criterion and flag, as one line: "标准1：长期住院；重点整顿·…：…" (a phrase
    inside a longer one of the same key said once)."""
    parts = [f"标准{n}：" + "、".join(widest(evidence[n])) for n in CRITERIA if evidence.get(n)]
    parts += [f"{FLAGS[k]}：" + "、".join(widest(evidence[k])) for k in FLAGS if evidence.get(k)]
    return "；".join(parts)


EVIDENCE_NOTE = (
    "依据：规则在主要问题中读到的词句；“模型判断（成立可能性N%）”是以已标注的主要问题训练的模型对该条的估计，"
    "与规则一致时作为旁证，不一致时该条判读为“低”。"
)
COUNTS_NOTE = (
    f"{COUNTED_LABEL}：填报单位在一览表“符合标准（1-6）”中填写的，以填写为准；未填写的，按主要问题判读；"
    "分析员更正的，按更正。因此即使没有任何更正，两列也可能不同。"
)
NONE_TICKED = "未勾选任何一条标准：保存后，该组织不计入任何一条标准的统计（仍列入软弱涣散名单）。"
WITHDRAW_LABEL = "撤销更正"
WITHDRAW_HELP = "撤销本组织现行的研判更正，恢复按主要问题自动判读；更正记录保留，可在组织明细的研判记录中查看。"


def withdrawn_note(name: str) -> str:
    """What the page says once a correction is withdrawn."""
    return f"已撤销“{name}”的研判更正，恢复按主要问题自动判读，明细、研判和导出随之更新。"


def unchanged(before: tuple, after: tuple) -> bool:
    """Whether a correction's (criteria, flags) ``after`` count what counted ``before``: a confirmation."""
    (was, was_flags), (now, now_flags) = ((sorted(map(int, c)), sorted(f)) for c, f in (before, after))
    return (was, was_flags) == (now, now_flags)


def saved_note(name: str, before: tuple, after: tuple) -> str:
    """What the page says once a correction is saved: ``before`` and ``after`` are (criteria, flags) as counted;
    the same: the reading was confirmed; else what changed (计入统计的标准由1改为1、5)."""
    (was, was_flags), (now, now_flags) = ((sorted(map(int, c)), sorted(f)) for c, f in (before, after))
    if unchanged(before, after):
        reading = f"{CRITERIA_LABEL}：{criteria_text(now) or '无'}" + (
            f"；{FLAGS_LABEL}：{flags_text(now_flags)}" if now_flags else ""
        )
        return CONFIRMED_NOTE.format(name=name, reading=reading)
    changes = []
    if was != now:  # 由第（1）条改为第（1）（6）条: numbers said as the notice says them
        changes.append(f"计入统计的{CRITERIA_LABEL}由{_numbered(was)}改为{_numbered(now)}")
    if was_flags != now_flags:
        changes.append(f"{FLAGS_LABEL}由{flags_text(was_flags) or '无'}改为{flags_text(now_flags) or '无'}")
    return SAVED_NOTE.format(name=name, change="，".join(changes))


def _numbered(criteria) -> str:
    """Criteria as a sentence says them: 第（1）（6）条, or 无."""
    return f"第{''.join(f'（{n}）' for n in criteria)}条" if criteria else "无"


def items(weak_orgs: pd.DataFrame, corrections: pd.DataFrame, latest: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per organization of the picture (``COLUMNS``), ordered by doubt (``STATES``), then as listed.

    ``weak_orgs`` is the store's picture (corrections already in its criteria and flags);
    ``corrections`` the standing ones (``Store.standing_corrections``), for who corrected, when and why;
    ``latest`` each organization's latest (``Store.latest_corrections``): one made on a text since changed no
    longer stands, and the row says so (at least 低: an analyst's word on the old text is a reason to look again).
    """
    if weak_orgs.empty:
        return pd.DataFrame(columns=COLUMNS)
    read = classify_many(weak_orgs["problems"])
    out = weak_orgs.reindex(columns=["unit", "name", "category", "problems"]).copy()
    out["confidence"] = [c.confidence for c in read]
    out["doubt"] = [c.doubt for c in read]
    out["read"] = [list(c.criteria) for c in read]
    out["read_flags"] = [list(c.flags) for c in read]
    out["read_text"] = [criteria_text(c.criteria) or NONE_READ for c in read]
    out["evidence"] = [
        evidence_text({k: v for k, v in c.evidence.items() if k in CRITERIA or k in FLAGS}) for c in read
    ]
    out["counted"] = [criteria_text(c) for c in weak_orgs["criteria"]]
    out["flags_counted"] = [flags_text(f) for f in weak_orgs["flags"]]
    out["criteria"] = [list(c or ()) for c in weak_orgs["criteria"]]  # what counts now, as numbers and keys
    out["flags"] = [list(f or ()) for f in weak_orgs["flags"]]
    lookup = {tuple(r[k] for k in KEY): r for r in corrections.to_dict("records")} if len(corrections) else {}
    keys = org_keys(weak_orgs)
    found = [lookup.get(k) for k in keys]
    out["by"] = [c["by_shown"] if c else None for c in found]  # who, as users know them
    out["at"] = [c["at"] if c else None for c in found]
    out["note"] = [mask_text(c["note"]) if c else None for c in found]  # an analyst's note: its phones masked
    # A weak organization meets one criterion at least: none counted (none stated, none read) is for an analyst to
    # judge, however sure the rules are that the text names none.
    none = [not c for c in out["criteria"]]
    out["doubt"] = [
        (f"{d}；{NONE_COUNTED}" if d else NONE_COUNTED) if n and not c else d
        for n, c, d in zip(none, found, out["doubt"], strict=True)
    ]
    lapsed = _lapsed(keys, found, latest)
    out["doubt"] = [f"{said}；{d}" if said and d else said or d for said, d in zip(lapsed, out["doubt"], strict=True)]
    out["state"] = [
        CORRECTED if c else PENDING if n else LOW if said and conf == HIGH else conf
        for c, n, said, conf in zip(found, none, lapsed, out["confidence"], strict=True)
    ]
    rank = out["state"].map({s: i for i, s in enumerate(STATES)})
    out = out.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")
    return out.reindex(columns=COLUMNS).reset_index(drop=True)


def _lapsed(keys: pd.Series, found: list, latest: pd.DataFrame | None) -> list[str]:
    """For each line (``keys``: ``org_keys``) with no standing correction (``found``): ``LAPSED`` when its
    organization's latest correction was made on another text (the unit has changed 主要问题 since), else ""."""
    if latest is None or latest.empty:
        return [""] * len(keys)
    last = {(r["unit"], r["name"]): r for r in latest.to_dict("records")}
    out = []
    for key, standing in zip(keys, found, strict=True):
        r = None if standing else last.get(key[:2])
        lapsed = r is not None and r["text_hash"] != key[2]
        out.append(LAPSED.format(by=r["by_shown"] or "分析员", at=local_time(r["at"])) if lapsed else "")
    return out


def table(listed: pd.DataFrame) -> pd.DataFrame:
    """The list as the page shows it: Chinese headers, text only (blank, not None)."""
    out = listed.reindex(columns=list(HEADERS)).copy()
    out["at"] = out["at"].map(local_time)
    return out.astype(object).where(out.notna(), "").rename(columns=HEADERS)


def select(listed: pd.DataFrame, states) -> pd.DataFrame:
    """The listed organizations in the chosen states (none chosen: all)."""
    return listed[listed["state"].isin(list(states))].reset_index(drop=True) if states else listed


def state_counts(listed: pd.DataFrame) -> dict[str, int]:
    """How many organizations are in each state (``STATES``), zeros included."""
    counts = listed["state"].value_counts() if len(listed) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in STATES}


def criterion_counts(weak_orgs: pd.DataFrame, listed: pd.DataFrame) -> pd.DataFrame:
    """Per criterion: how many organizations the rules read as meeting it, and how many count (after corrections)."""
    read = [n for ns in listed["read"] for n in ns] if len(listed) else []
    counted = [n for ns in weak_orgs["criteria"] for n in (ns or ())] if len(weak_orgs) else []
    return pd.DataFrame(
        {
            CRITERIA_LABEL: [f"（{n}）{CRITERIA_SHORT[n]}" for n in CRITERIA],
            READ_LABEL: [read.count(n) for n in CRITERIA],
            COUNTED_LABEL: [counted.count(n) for n in CRITERIA],
        }
    )


def label(row: dict) -> str:
    """One line naming a listed organization in a picker: its unit and name (its state is in the list above)."""
    return f"{row['unit']} · {row['name']}"
