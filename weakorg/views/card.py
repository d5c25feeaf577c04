"""One organization's card: its facts, its reading, its history, its findings and corrections."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from weakorg.campaign import normalize_text
from weakorg.checks.returns import FROM_CORRECTION
from weakorg.consolidate import canonical_category, day_numbers, parse_criteria, replaced
from weakorg.criteria import MAX_TEXT, classify
from weakorg.findings import Finding
from weakorg.privacy import DEMO_VIEWER, mask_phone, mask_text
from weakorg.tables import Returns
from weakorg.text import md_text
from weakorg.views.tables import (
    CRITERIA_LABEL,
    FILE_LABEL,
    FLAGS_LABEL,
    STATUS_LABEL,
    blank_text,
    criteria_text,
    flags_text,
    whole_numbers,
    whole_text,
)
from weakorg.vocab import (
    CATEGORY_LABEL,
    CRITERIA,
    CRITERIA_SHORT,
    DATE_LABEL,
    F2_COLUMNS,
    FLAGS,
    REPLACED_LABEL,
    UNIT_LABEL,
    chinese_date,
    local_time,
)

CONTACT_LABEL = "联系方式"
SECRETARY_LABEL = "书记"
HISTORY_HEADERS = {
    "reported_on": DATE_LABEL,
    "file": FILE_LABEL,
    "category": CATEGORY_LABEL,
    "members": F2_COLUMNS["members"],
    "criteria": CRITERIA_LABEL,
    "status": STATUS_LABEL,
    "secretary": F2_COLUMNS["secretary"],
    "phone": F2_COLUMNS["phone"],
    "problems": F2_COLUMNS["problems"],
}
HISTORY_NOTE = "备注"  # the card's 历次报送: a row of a replaced return says so
REPLACED_NOTE = f"{REPLACED_LABEL}：同一填表时间以后上传的报送为准，不计入"


@dataclass
class OrgCard:
    """One weak organization: its current row, its rows across all returns and its status history."""

    unit: str
    name: str
    current: dict
    history: pd.DataFrame
    statuses: pd.DataFrame
    criteria: list[tuple[int, str]] = field(default_factory=list)
    read: list[tuple[int, str, list[str]]] = field(default_factory=list)  # criteria read in 主要问题, with phrases
    flags: list[tuple[str, list[str]]] = field(default_factory=list)  # flags read in 主要问题, with phrases
    segments: list[tuple[str, object]] = field(default_factory=list)  # 主要问题 cut at the matched phrases
    truncated: bool = False  # 主要问题 was longer than criteria.MAX_TEXT: only its beginning was read
    findings: list = field(default_factory=list)  # the findings that concern it (weakorg.findings.Finding)
    explanations: pd.DataFrame | None = None  # the store's standing explanations of warnings (its unit's)
    correction: dict | None = None  # an analyst's standing correction of its reading: criteria, flags, note, by, at
    corrections: pd.DataFrame | None = None  # every correction and withdrawal of its reading, newest first
    last_listed: date | None = None  # not in the standing picture: the 填表时间 of the last return that listed it


def last_listed_note(card: OrgCard) -> str:
    """For an organization no standing return lists: that it is not counted, and from which return the card speaks
    ("" for one the picture holds)."""
    if LAST_LISTED_KEY not in card.current:
        return ""
    day = card.last_listed
    when = chinese_date(day) if day else "此前"
    return f"该组织未列入最新一览表，不计入当前统计；以下为最近一次列入它的报送（填表时间{when}）所填情况。"


_CLAUSE_END = re.compile(r"[，。；：！？、,;:!?\n]")  # where a clause ends: its phrases' numbers are said there


def _tag(key) -> str:
    """A phrase's mark: its criterion's number on orange, a flag's word on violet."""
    if isinstance(key, int):
        return f":orange-background[（{key}）]"
    return f":violet-background[（{FLAGS_LABEL}）]"


WORD_TAIL = 2  # at most this many characters between a phrase's end and its clause's end are its word's rest


def _to_word_end(segments: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The pieces with a phrase that stops short of its clause's end by a character or two (一直未补|选，) taking them:
    the highlight covers the word, never half of it."""
    out = list(segments)
    for i in range(len(out) - 1):
        (phrase, key), (rest, after) = out[i], out[i + 1]
        end = _CLAUSE_END.search(rest)
        tail = rest[: end.start()] if end else rest
        if key is not None and after is None and 0 < len(tail) <= WORD_TAIL:
            out[i], out[i + 1] = (phrase + tail, key), (rest[len(tail) :], None)
    return [(text, key) for text, key in out if text]


def segments_markdown(segments: list[tuple[str, object]]) -> str:
    """Highlighted pieces as Streamlit markdown: a criterion's phrase on orange, a flag's on violet, and the numbers
    (or the flag's word) at the end of the phrase's clause, never inside a word (三会一课长期不落实（5）, not
    三会一课长期不（5）落实: a phrase may end mid-word), the highlight to the word's end (``_to_word_end``).

    Every piece is text from a return, escaped (weakorg.text.md_text): only our highlighting is Markdown.
    """
    parts: list[str] = []
    pending: list = []  # the marks of the phrases of the clause read so far
    for text, key in _to_word_end(segments):
        if key is not None:
            colour = "orange" if isinstance(key, int) else "violet"
            parts.append(f":{colour}-background[{md_text(text)}]")
            pending += [key] if key not in pending else []
            continue
        end = _CLAUSE_END.search(text) if pending else None
        if end is None:
            parts.append(md_text(text))
            continue
        parts.append(md_text(text[: end.start()]) + "".join(map(_tag, pending)) + md_text(text[end.start() :]))
        pending = []
    return "".join(parts) + "".join(map(_tag, pending))


MISSING = "——"


ACCEPTED_ON = "（{day}验收）"  # after 整顿进展, when the unit gave the 验收日期 (after 已验收: the day alone)


def status_text(status, accepted_on=None) -> str:
    """整顿进展 as a card says it: 已验收（2014年4月25日）, 已转化（2014年4月25日验收） when the unit gave the date,
    —— for none."""
    day = chinese_date(accepted_on) if isinstance(accepted_on, date) else ""
    if not day:
        return status or MISSING
    return (status or MISSING) + (f"（{day}）" if "验收" in (status or "") else ACCEPTED_ON.format(day=day))


def card_facts(card: OrgCard) -> list[tuple[str, str]]:
    """The card's headline facts (label, value) as metrics show them, every value from a return escaped."""
    current = card.current
    return [
        (UNIT_LABEL, md_text(card.unit)),
        (CATEGORY_LABEL, md_text(current.get("category") or MISSING)),
        (F2_COLUMNS["members"], whole_text(current.get("members"))),
        (STATUS_LABEL, md_text(status_text(current.get("status"), current.get("accepted_on")))),
        (SECRETARY_LABEL, md_text(mask_text(current.get("secretary")) or MISSING)),  # 颜军（手机139****3333）, 空缺
    ]


def contact_markdown(card: OrgCard, revealed: bool = False) -> str:
    """The card's 联系方式 line: our label in bold, the phone number from the return as text, masked unless revealed."""
    phone = card.current.get("phone")
    shown = phone if revealed else mask_phone(phone)
    return f"**{CONTACT_LABEL}：** {md_text(shown or MISSING)}"


def problems_markdown(card: OrgCard) -> str:
    """The card's 主要问题 line: the text with the phrases that meet a criterion or flag highlighted."""
    return f"**{F2_COLUMNS['problems']}：** " + (segments_markdown(card.segments) or MISSING)


def stated_markdown(card: OrgCard) -> str:
    """The criteria the return states (counted), one list item each; "无" when none."""
    return "\n".join(f"- （{n}）{text}" for n, text in card.criteria) or "无"


TRUNCATED_NOTE = f"主要问题超过{MAX_TEXT}字，只研判了前{MAX_TEXT}字，其后的内容请人工阅读"


def read_markdown(card: OrgCard) -> str:
    """The criteria and flags read in 主要问题, each with the phrases (escaped) that meet it; "未读出" when none."""
    lines = [f"- （{n}）{text}：{'、'.join(md_text(p) for p in phrases)}" for n, text, phrases in card.read]
    lines += [f"- {FLAGS[f]}（{FLAGS_LABEL}）：{'、'.join(md_text(p) for p in phrases)}" for f, phrases in card.flags]
    if card.truncated:
        lines.append(f"- {TRUNCATED_NOTE}")
    return "\n".join(lines) or "未读出"


def highlight_segments(text, evidence: dict) -> list[tuple[str, object]]:
    """A text cut into pieces; each piece that is a matched phrase carries its criterion number or flag key."""
    if not isinstance(text, str) or not text:
        return []
    spans: list[tuple[int, int, object]] = []
    for key, phrases in evidence.items():
        for phrase in phrases:
            start = text.find(phrase) if phrase else -1
            while start >= 0:
                spans.append((start, start + len(phrase), key))
                start = text.find(phrase, start + len(phrase))
    out: list[tuple[str, object]] = []
    pos = 0
    for start, end, key in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < pos:
            continue  # overlaps a longer or earlier phrase
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], key))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def org_history(returns: Returns, unit: str, name: str) -> pd.DataFrame:
    """The F2 rows of one organization over every return: the same normalised name within its unit, oldest first;
    a row of a return a later upload of its round replaced says so (``HISTORY_NOTE``)."""
    f2 = returns.f2
    key = normalize_text(name)
    ours = f2[f2["unit"] == unit]
    rows = ours[ours["name"].map(normalize_text) == key]
    gone = replaced(ours, ["unit"]).loc[rows.index]
    rows = rows.assign(_day=day_numbers(rows["reported_on"])).sort_values(["_day", "file_idx", "row"], kind="stable")
    out = rows.reindex(columns=list(HISTORY_HEADERS)).copy()
    out["category"] = rows["category"].map(canonical_category).fillna(rows["category"])
    out["criteria"] = rows["criteria_stated"].map(parse_criteria).map(criteria_text)
    out["members"] = whole_numbers(out["members"])
    out[HISTORY_NOTE] = gone.loc[rows.index].map({True: REPLACED_NOTE, False: None})
    return out.rename(columns=HISTORY_HEADERS).reset_index(drop=True)


def status_history(history: pd.DataFrame) -> pd.DataFrame:
    """When the stated status changed: the first return that states each new status (a replaced one states none)."""
    counted = (
        history[history[HISTORY_NOTE].isna() | (history[HISTORY_NOTE] == "")] if HISTORY_NOTE in history else history
    )
    stated = counted[[DATE_LABEL, STATUS_LABEL]].dropna(subset=[STATUS_LABEL])
    changed = stated[STATUS_LABEL].ne(stated[STATUS_LABEL].shift())
    return stated[changed].reset_index(drop=True)


_CRITERION_IN_MESSAGE = re.compile(r"第（(\d)）条标准")  # how CRITERIA_LIST_MISMATCH names its criterion
UNIT_FINDINGS_NAMING = ("DUPLICATE_ORG",)  # found in another unit's register, naming this organization
CRITERIA_COUNT_RULE = "CRITERIA_LIST_MISMATCH"  # a unit's count for a criterion: concerns the organizations meeting it


def widest(phrases) -> list[str]:
    """The phrases, in order, but any that another one contains (长期在外 in 书记长期在外): evidence said once."""
    unique = list(dict.fromkeys(phrases))
    return [p for p in unique if not any(p != q and p in q for q in unique)]


def org_findings(findings: Iterable[Finding], unit: str, name: str, criteria: Iterable[int] = ()) -> list[Finding]:
    """The findings that concern one organization: those located at its row in its unit's current returns (they
    name it), another unit's DUPLICATE_ORG naming it, and its unit's CRITERIA_LIST_MISMATCH for a criterion it
    meets (unless an analyst's correction made that gap)."""
    key, met = normalize_text(name), set(criteria or ())
    out = []
    for f in dict.fromkeys(findings):
        if f.org and normalize_text(f.org) == key and (f.unit == unit or f.rule in UNIT_FINDINGS_NAMING):
            out.append(f)
        elif f.rule == CRITERIA_COUNT_RULE and f.unit == unit and FROM_CORRECTION not in (f.message or ""):
            # (a gap an analyst's correction made is the analyst's to confirm, on the findings' page: no
            # organization's problem, and the card of the one corrected says the correction itself)
            said = _CRITERION_IN_MESSAGE.search(f.message or "")
            if said and int(said.group(1)) in met:
                out.append(f)
    return out


def standing_correction(corrections: pd.DataFrame | None, unit: str, name: str, problems) -> dict | None:
    """The analyst's correction standing over this organization's reading (its unit, name and 主要问题), or None."""
    from weakorg.store.corrections import text_hash

    if corrections is None or corrections.empty:
        return None
    key = (unit, normalize_text(name), text_hash(problems))
    hit = corrections[
        (corrections["unit"] == key[0]) & (corrections["name"] == key[1]) & (corrections["text_hash"] == key[2])
    ]
    return hit.iloc[-1].to_dict() if len(hit) else None


FINDINGS_TITLE = "校验发现的问题"
NO_FINDINGS = "未发现问题。"
REVIEWED = "已人工研判"
CARD_FINDING_HEADERS = {
    "severity": "严重程度",
    "title": "规则",
    "file": FILE_LABEL,
    "where": "单元格",
    "message": "说明",
}


def card_findings_table(card: OrgCard) -> pd.DataFrame:
    """The card's findings: severity, rule (its Chinese title), file, sheet!cell, message, and whether each
    warning is explained (说明情况: 已说明：reason（who, when）, or 未说明). Text only, shown as data."""
    from weakorg import app
    from weakorg.findings import RULES, SEVERITY_LABELS

    found = card.findings
    explanations = card.explanations if card.explanations is not None else pd.DataFrame()
    out = pd.DataFrame(
        {
            "severity": [SEVERITY_LABELS.get(f.severity, f.severity) for f in found],
            "title": [RULES[f.rule].title if f.rule in RULES else f.rule for f in found],
            "file": [f.file or "" for f in found],
            "where": ["!".join(p for p in (f.sheet, f.cell) if p) for f in found],
            "message": [f.message for f in found],
        },
        columns=list(CARD_FINDING_HEADERS),
    ).rename(columns=CARD_FINDING_HEADERS)
    out[app.EXPLAINED_HEADER] = app.explanation_texts(found, explanations)
    return out.astype(object)


def findings_summary(card: OrgCard) -> str:
    """The card's findings in one line, its parts adding up to the whole: 共 4 条：错误 1 条，警告 2 条（未说明 1 条，
    已说明 1 条），提示 1 条。 (提示 only when there is one)."""
    from weakorg import app
    from weakorg.findings import ERROR, INFO, SEVERITY_LABELS, WARNING

    found = list(dict.fromkeys(card.findings))  # each once, as the warnings are counted
    if not found:
        return NO_FINDINGS
    count = {s: sum(f.severity == s for f in found) for s in (ERROR, WARNING, INFO)}
    explanations = card.explanations if card.explanations is not None else pd.DataFrame()
    still, explained = app.warning_counts(found, explanations)
    said = SEVERITY_LABELS
    line = f"共 {len(found)} 条：{said[ERROR]} {count[ERROR]} 条，{said[WARNING]} {count[WARNING]} 条"
    if count[WARNING]:
        line += f"（{app.OPEN} {still} 条，{app.EXPLAINED} {explained} 条）"
    if count[INFO]:
        line += f"，{said[INFO]} {count[INFO]} 条"
    return line + "。"


def correction_markdown(card: OrgCard) -> str:
    """Who corrected the organization's reading, when, to what and why ("" when nobody did); names and the note
    are data, escaped."""
    c = card.correction
    if not c:
        return ""
    said = "、".join(f"（{n}）{CRITERIA_SHORT[n]}" for n in c.get("criteria") or () if n in CRITERIA_SHORT)
    flags = flags_text(c.get("flags"))
    who = md_text(c.get("by") or "") or DEMO_VIEWER  # no account: a demo's correction
    line = f"**{REVIEWED}：** {who}，{local_time(c.get('at')) or MISSING}。计入统计的标准：{said or '无'}"
    if flags:
        line += f"；{FLAGS_LABEL}：{flags}"
    return line + f"。说明：{md_text(mask_text(c.get('note') or ''))}"  # an analyst's note: its phones masked


def correction_lines(card: OrgCard) -> list[str]:
    """The organization's record of corrections, newest first, one plain line each (when, who, what, why): shown
    when there is more to it than the standing correction the card already says."""
    from weakorg.store.corrections import WITHDRAWN_SAID, text_hash

    rows = card.corrections
    if rows is None or rows.empty or (len(rows) == 1 and card.correction and not rows["withdrawn"].iloc[0]):
        return []
    now = text_hash(card.current.get("problems"))
    out = []
    for r in rows.to_dict("records"):
        said = "、".join(f"（{n}）{CRITERIA_SHORT[n]}" for n in r["criteria"] if n in CRITERIA_SHORT) or "无"
        what = WITHDRAWN_SAID if r["withdrawn"] else f"计入统计的标准：{said}"
        if not r["withdrawn"] and (flags := flags_text(r["flags"])):
            what += f"；{FLAGS_LABEL}：{flags}"
        earlier = "" if r["text_hash"] == now else "（针对此前报送的主要问题）"
        who = r["by_shown"] or DEMO_VIEWER
        out.append(f"{local_time(r['at']) or MISSING} {who}：{what}{earlier}。说明：{mask_text(r['note'])}")
    return out


def org_card(
    weak_orgs: pd.DataFrame,
    returns: Returns,
    unit: str,
    name: str,
    findings: Iterable[Finding] = (),
    explanations: pd.DataFrame | None = None,
    corrections: pd.DataFrame | None = None,
    history_of_corrections: pd.DataFrame | None = None,
) -> OrgCard | None:
    """The card of one organization (by unit and name) from the current picture and the stored returns; with the
    picture's findings, the store's explanations and standing corrections, what concerns it of those (and its own
    record of corrections, ``Store.correction_history``)."""
    key = normalize_text(name)
    match = weak_orgs[(weak_orgs["unit"] == unit) & (weak_orgs["name"].map(normalize_text) == key)]
    history = org_history(returns, unit, name)
    if match.empty and history.empty:
        return None
    current = match.iloc[-1].to_dict() if len(match) else _last_listed(returns, unit, name)
    criteria = list(current.get("criteria") or [])
    problems = current.get("problems")
    if not isinstance(problems, str) and len(history):
        problems = history[F2_COLUMNS["problems"]].iloc[-1]
    read = classify(problems if isinstance(problems, str) else "")
    return OrgCard(
        unit=unit,
        name=current.get("name") or name,
        current=current,
        history=blank_text(history),
        statuses=status_history(history),
        criteria=[(n, CRITERIA[n]) for n in criteria if n in CRITERIA],
        read=[(n, CRITERIA[n], widest(read.evidence.get(n, []))) for n in read.criteria],
        flags=[(f, widest(read.evidence.get(f, []))) for f in read.flags],
        segments=highlight_segments(  # a number in the text masked as the phone is (the same length: same places)
            mask_text(problems), {k: v for k, v in read.evidence.items() if k != "vacant"}
        ),
        truncated=read.truncated,
        findings=org_findings(findings, unit, current.get("name") or name, criteria),
        explanations=explanations,
        correction=standing_correction(corrections, unit, current.get("name") or name, problems),
        corrections=history_of_corrections,
        last_listed=current.get(LAST_LISTED_KEY),
    )


LAST_LISTED_KEY = "_last_listed"  # in a card's ``current``: the 填表时间 of the last return that listed it


def _last_listed(returns: Returns, unit: str, name: str) -> dict:
    """An organization the standing picture does not hold, as the last return that listed it (and was not replaced
    the same day) said it: its category, members, status, secretary and contact; {} when none did."""
    f2 = returns.f2
    ours = f2[f2["unit"] == unit]
    rows = ours[(ours["name"].map(normalize_text) == normalize_text(name)) & ~replaced(ours, ["unit"])]
    if rows.empty:
        return {}
    rows = rows.assign(_day=day_numbers(rows["reported_on"])).sort_values(["_day", "file_idx", "row"], kind="stable")
    last = rows.iloc[-1].to_dict()
    category = canonical_category(last.get("category")) or last.get("category")
    when = last.get("reported_on")
    return {**last, "category": category, "criteria": [], LAST_LISTED_KEY: when if isinstance(when, date) else None}
