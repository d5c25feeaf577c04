"""The 通报: what it says, as a list of blocks (title, headings, paragraphs, the ranking table, a chart).

The blocks are plain text and tables computed from ``DocumentData``: the page previews their
text (``bulletin_text``), ``weakorg.documents.gongwen`` lays them out as a .docx in the format of
党政机关公文 (GB/T 9704-2012).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from weakorg import counts
from weakorg.asof import behind_round, behind_text, behind_units, round_label
from weakorg.consolidate import shares_left_out
from weakorg.documents.data import DocumentData, done_count
from weakorg.documents.words import as_of_text, filters_text
from weakorg.overview import RANKING_NOTE, ranking_table
from weakorg.status import FIRST_STATE_LABELS
from weakorg.vocab import (
    AS_OF_RULE,
    CATEGORIES,
    CRITERIA,
    DATE_LABEL,
    F1_ROWS,
    RANK_LABEL,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_ON_TIME,
    REPORT_STATE_LABELS,
    SHARE_LEFT_OUT,
    VILLAGES_ELECTED,
    WEAK_SHARE,
    chinese_date,
    rounded,
)

TITLE, PERIOD, HEADING1, HEADING2, PARAGRAPH, TABLE, CHART, SIGNATURE, DATE = (
    "title",
    "period",
    "heading1",
    "heading2",
    "paragraph",
    "table",
    "chart",
    "signature",
    "date",
)
BULLETIN = "通报"
TITLE_TEXT = "关于{place}整顿软弱涣散基层党组织工作进展情况的{kind}"
NONE_WORD = "无"
WEAK = F1_ROWS["weak_total"]
ORGS = F1_ROWS["orgs_total"]
HEADINGS = ("一、总体情况", "二、各单位进展排名", "三、报送情况", "四、软弱涣散的主要表现", "五、下一步工作要求")
ONE_UNIT_HEADING = "二、进展情况"  # a 通报 of one unit: its figures, no ranking of one
SUBHEADINGS = (
    f"（一）{REPORT_STATE_LABELS[REPORT_LATE]}报送的单位",
    f"（二）{REPORT_STATE_LABELS[REPORT_MISSING]}的单位",
)
CLOSING = (
    "请各填报单位对照排名查找差距：整顿转化率偏低的，要逐个党组织明确整顿措施和完成时限；有未改正错误的，"
    "请按问题清单逐项改正后重新报送；{missing}"
)
MISSING_AFTER_DEADLINE = "尚未报送的，请立即报送。"
MISSING_BEFORE_DEADLINE = "尚未报送的，请于{deadline}前按时报送。"
MISSING_ON_DEADLINE = "尚未报送的，请于今日（{deadline}）内报送。"  # a 通报 of the deadline's own day
NOTHING_REPORTED = "截至{day}，{place}尚无单位报送，暂无排查和整顿数据。"
NO_VILLAGES = "未报换届选举难点村。"
BY_UNIT = "（报送情况按填报单位统计，不分党组织类别）"  # a 通报 of some categories: who reported is not of them
PROGRESS_CHART = "progress"


@dataclass
class Block:
    """One piece of the 通报: its kind, its text, and for a table its rows (the first the header)."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def _n(value) -> int:
    return 0 if value is None or pd.isna(value) else round(float(value))


def _pct(part: float, whole: float, digits: int = 1) -> str:
    return f"{rounded(100.0 * part / whole, digits)}%" if whole else "——"


def _of(part: int, whole: int) -> str:
    """ "，占12.5%" of a whole there is; "" of none (no 占—— in an official text)."""
    return f"，占{_pct(part, whole)}" if whole else ""


def _reported(data: DocumentData) -> int:
    return _n(data.picture.city.get("units_reported"))


def title(data: DocumentData) -> str:
    """The 通报's title: 关于全市整顿软弱涣散基层党组织工作进展情况的通报 (the units and categories named when
    filtered: 关于全市学校整顿…)."""
    return TITLE_TEXT.format(place=data.subject, kind=BULLETIN)


def period(data: DocumentData) -> str:
    """The period covered: from the notice's date to the as-of date."""
    return f"（{chinese_date(data.campaign.issued_on)}至{chinese_date(data.day)}）"


def _left_out(data: DocumentData) -> str:
    """（不含…附件1（2张…））after the city's share, when a table's weak organizations exceed all."""
    n = shares_left_out(data.picture.summary)
    return f"（{SHARE_LEFT_OUT.format(n=n)}）" if n else ""


def headline(data: DocumentData) -> list[str]:
    """The headline numbers as sentences: units reported, organizations, weak ones, rectified, villages re-elected."""
    city, status = data.picture.city, data.status
    states = status["state"].value_counts()
    listed, done = len(data.picture.weak_orgs), done_count(data.picture)
    share = city.get("weak_share")
    villages, elected = _n(city.get("villages")), _n(city.get("villages_elected"))
    current, behind = behind_round(status, data.day, data.campaign) if data.day else (None, status.iloc[0:0])
    round_ = round_label(current, data.campaign) if current else ""
    if len(status) == 1:  # one unit: said of it, not as 应报送单位1个、从未报送0个
        state = status["state"].iloc[0]
        said = {s: f"已报送（{FIRST_STATE_LABELS[s]}）" for s in (REPORT_ON_TIME, REPORT_LATE)}.get(state, "尚未报送")
        first = (
            f"截至{chinese_date(data.day)}，{data.place}{said}" + (f"，{round_}尚未报送" if len(behind) else "") + "。"
        )
    else:
        counted = [  # the same words as 报送情况's tiles: 首次按时, 首次逾期, 从未报送; none of a kind is left out
            f"{FIRST_STATE_LABELS[s]}{n}个" for s in (REPORT_ON_TIME, REPORT_LATE) if (n := int(states.get(s, 0)))
        ]
        missing = int(states.get(REPORT_MISSING, 0))
        every = len(behind) == _reported(data)
        also = f"，{'均' if every else f'另有{len(behind)}个单位'}{round_}尚未报送" if len(behind) else ""
        first = (
            f"截至{chinese_date(data.day)}，{data.place}应报送单位{len(status)}个{BY_UNIT if data.categories else ''}，"
            f"已报送{_reported(data)}个"
            + (f"（{'、'.join(counted)}）" if counted else "")
            + (f"，{FIRST_STATE_LABELS[REPORT_MISSING]}{missing}个" if missing else "")
            + f"{also}。"
        )
    if not _reported(data):
        return [first, NOTHING_REPORTED.format(day=chinese_date(data.day), place=data.place)]
    second = (
        f"{'各单位' if len(status) > 1 else ''}共有{ORGS}{_n(city.get('orgs_total'))}个，"
        f"排查确定{WEAK}{_n(city.get('weak_total'))}个"
        f"{'' if share is None or pd.isna(share) else f'，占{rounded(share, 2)}%{_left_out(data)}'}；"
        f"一览表列出{listed}个，其中已转化{int((data.picture.weak_orgs['status'] == '已转化').sum())}个、"
        f"已验收{int((data.picture.weak_orgs['status'] == '已验收').sum())}个，合计{done}个{_of(done, listed)}。"
    )
    third = (
        f"换届选举难点村{villages}个，{VILLAGES_ELECTED}{elected}个{_of(elected, villages)}。"
        if villages
        else NO_VILLAGES
    )
    return [first, second + third]


def change(data: DocumentData) -> str:
    """The change since the previous round's as-of date, in one sentence."""
    before = data.previous
    if before is None or data.previous_day is None:
        return "本次为首次通报，暂无上一轮数据可供比较。"
    now = data.picture

    def move(label: str, a: int, b: int) -> str:
        if a == b == 0:  # 难点村0个，没有变化: nothing to say
            return ""
        return f"{label}{b}个，没有变化" if a == b else f"{label}由{a}个变为{b}个（{b - a:+d}个）"

    parts = [
        move("已报送单位", _n(before.city.get("units_reported")), _n(now.city.get("units_reported")))
        if len(data.status) > 1  # one unit's 通报 says whether it reported, not a count of one
        else "",
        move(WEAK, _n(before.city.get("weak_total")), _n(now.city.get("weak_total"))),
        move("已转化或已验收的", done_count(before), done_count(now)),
        move("难点村", _n(before.city.get("villages")), _n(now.city.get("villages"))),
        move(
            f"难点村中{VILLAGES_ELECTED}的",
            _n(before.city.get("villages_elected")),
            _n(now.city.get("villages_elected")),
        ),
    ]
    return f"与上一轮（{chinese_date(data.previous_day)}）相比，" + "；".join(p for p in parts if p) + "。"


def ranking_rows(data: DocumentData) -> list[list[str]]:
    """The ranking as the 通报's table: a header row, then one row per unit, best first."""
    # a unit that has not sent the current round ranks on an earlier one's figures: said beside it, as on the pages
    table = ranking_table(data.ranking, *behind_units(data.status, data.day, data.campaign))
    out = [list(table.columns)]
    for rec in table.to_dict("records"):
        row = []
        for col, value in rec.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                row.append("——")
            elif isinstance(value, float):
                row.append(rounded(value, 2 if col.startswith(WEAK_SHARE) else 1))
            else:
                row.append(str(value))
        out.append(row)
    return out


def late_and_missing(data: DocumentData) -> tuple[str, str]:
    """The units that reported late (with their first 填表时间) and those that sent nothing, named."""
    status = data.status
    late = status[status["state"] == REPORT_LATE]
    missing = status[status["state"] == REPORT_MISSING]
    late_text = "、".join(
        f"{r['unit']}（{'、'.join(r.get('late_parts') or [])}首次{DATE_LABEL}"
        f"{chinese_date(r.get('late_reported_on') or r['first_reported_on'])}）"
        for r in late.to_dict("records")
    )  # 娄星区（附件3首次填表时间2014年4月15日）: its 附件1 and 附件2 came on time
    deadline = chinese_date(data.campaign.deadline)
    first = f"首次报送截止日期为{deadline}{BY_UNIT if data.categories else ''}。" + (
        f"逾期报送的有：{late_text}。" if late_text else "没有逾期报送的单位。"
    )
    behind = behind_text(data.status, data.day, data.campaign) if data.day else ""
    due = data.day is not None and data.day <= data.campaign.deadline  # not late yet: still (仍) only once it is past
    second = (
        f"截至{chinese_date(data.day)}{'尚' if due else '仍'}未报送的有：{'、'.join(missing['unit'])}。"
        if len(missing)
        else ""
        if behind
        else "所有单位均已报送。"
    ) + behind
    return first, second


# A return whose 附件1 counts more organizations under a criterion than weak ones (an error its unit has yet to correct,
# CRITERION_EXCEEDS_WEAK): no share above 100% goes out in an official document.
OVER_COUNTED = "（部分单位填报的符合该条标准的个数多于其软弱涣散基层党组织数，未计算占比，请相关单位核实更正）"


def _count_share(count: int, weak: int) -> str:
    """3个，占15.0%; the count alone when it exceeds the weak organizations it is a share of."""
    return f"{count}个" if count > weak else f"{count}个，占{_pct(count, weak)}"


def dominant_criteria(data: DocumentData) -> list[str]:
    """Per category with weak organizations, the criteria that dominate (the most met, and the next, with every one
    met as often as the next: a tie is named whole, never cut at two), in sentences."""
    out = []
    by_category = data.picture.by_category.set_index("category") if len(data.picture.by_category) else None
    for category in CATEGORIES:
        if by_category is None or category not in by_category.index:
            continue
        row = by_category.loc[category]
        weak = _n(row["weak_total"])
        if not weak:
            continue
        counts = sorted(((_n(row[f"c{n}"]), -n) for n in CRITERIA), reverse=True)
        least = counts[1][0] if len(counts) > 1 else counts[0][0]  # the next one's count, and every one tied with it
        top = [(count, -neg) for count, neg in counts if count and count >= least]
        if not top:
            out.append(f"{category}：{WEAK}{weak}个，未填报符合各条标准的个数。")
            continue
        named = [f"第（{n}）条“{CRITERIA[n]}”（{_count_share(count, weak)}）" for count, n in top]  # the notice's words
        said = "和".join(["、".join(named[:-1]), named[-1]] if len(named) > 1 else named)
        over = OVER_COUNTED if top[0][0] > weak else ""
        out.append(f"{category}：{WEAK}{weak}个，以{said}为主{over}。")
    if not _reported(data):
        return [NOTHING_REPORTED.format(day=chinese_date(data.day), place=data.place)]
    return [*out, criteria_source(data)] if out else [f"{NONE_WORD}{WEAK}。"]


def criteria_source(data: DocumentData) -> str:
    """Whose figures the criteria are (the units' 附件1), and where the 一览表 (with analysts' corrections) differs."""
    off = counts.criteria_apart(data.picture)
    said = "以上符合各条标准的个数为各单位附件1汇总表的填报数"
    if off.empty:
        return said + "，与一览表所列一致。"
    rows = off[["criterion", counts.LISTED, counts.REPORTED, counts.UNCORRECTED]].itertuples(index=False)
    ask, ours = [], []  # gaps the units' forms make (for them to check); those an analyst's correction made
    for n, listed, reported, uncorrected in rows:
        gap = f"第（{n}）条一览表列出{_n(listed)}个、附件1填报{_n(reported)}个"
        (ours if uncorrected == reported else ask).append(gap)
    parts = [f"{'、'.join(ask)}，请相关单位核对"] if ask else []
    parts += [f"{'、'.join(ours)}，系分析员研判更正所致"] if ours else []
    return f"{said}；一览表所列与之不一致的有：{'；'.join(parts)}。"


def closing(data: DocumentData) -> str:
    """What the units are asked to do; those that have not reported, by the deadline or at once when it is past."""
    deadline = data.campaign.deadline
    if data.day and data.day < deadline:
        missing = MISSING_BEFORE_DEADLINE.format(deadline=chinese_date(deadline))
    elif data.day == deadline:
        missing = MISSING_ON_DEADLINE.format(deadline=chinese_date(deadline))
    else:
        missing = MISSING_AFTER_DEADLINE
    return CLOSING.format(missing=missing)


def bulletin_blocks(data: DocumentData) -> list[Block]:
    """The 通报 as blocks, in reading order."""
    late, missing = late_and_missing(data)
    filters = f"；{filters_text(data.units, data.categories)}" if data.units or data.categories else ""
    scope = f"本通报{as_of_text(data.day)}（{AS_OF_RULE}）{filters}。"
    blocks = [
        Block(TITLE, title(data)),
        Block(PERIOD, period(data)),
        Block(PARAGRAPH, f"{data.campaign.addressees}："),  # 主送: the campaign file's
        Block(
            PARAGRAPH,
            f"按照{data.campaign.document}要求，现将{data.place}整顿软弱涣散基层党组织工作进展情况通报如下。{scope}",
        ),
        Block(HEADING1, HEADINGS[0]),
        *(Block(PARAGRAPH, s) for s in headline(data)),
        Block(PARAGRAPH, change(data)),
        Block(CHART, PROGRESS_CHART),
        *_ranking_blocks(data),
        Block(HEADING1, HEADINGS[2]),
        Block(HEADING2, SUBHEADINGS[0]),
        Block(PARAGRAPH, late),
        Block(HEADING2, SUBHEADINGS[1]),
        Block(PARAGRAPH, missing),
        Block(HEADING1, HEADINGS[3]),
        *(Block(PARAGRAPH, s) for s in dominant_criteria(data)),
        Block(HEADING1, HEADINGS[4]),
        Block(PARAGRAPH, closing(data)),
        Block(SIGNATURE, data.campaign.issuer),
        Block(DATE, chinese_date(data.day)),
    ]
    return blocks


def _ranking_blocks(data: DocumentData) -> list[Block]:
    """Part 二: the units ranked, how, and the table; of one unit, its row without a rank (nothing to rank it
    against)."""
    rows = ranking_rows(data)
    if len(rows) != 2:
        return [Block(HEADING1, HEADINGS[1]), Block(PARAGRAPH, RANKING_NOTE), Block(TABLE, rows=rows)]
    keep = [i for i, h in enumerate(rows[0]) if h != RANK_LABEL]
    return [Block(HEADING1, ONE_UNIT_HEADING), Block(TABLE, rows=[[row[i] for i in keep] for row in rows])]


CHART_PLACEHOLDER = "［图：整顿进展］"


def _line(block: Block) -> str:
    return CHART_PLACEHOLDER if block.kind == CHART else block.text


def bulletin_text(blocks: list[Block]) -> str:
    """The 通报 as plain text: tables as tab-separated lines, the chart named."""
    lines = []
    for b in blocks:
        if b.kind == TABLE:
            lines.extend("\t".join(row) for row in b.rows)
        else:
            lines.append(_line(b))
    return "\n".join(lines)


def preview_parts(blocks: list[Block]) -> list[str | pd.DataFrame]:
    """The 通报 as the page previews it: runs of plain text, and each table as a frame (its first row the header)."""
    parts: list[str | pd.DataFrame] = []
    lines: list[str] = []
    for b in blocks:
        if b.kind != TABLE:
            lines.append(_line(b))
            continue
        if lines:
            parts.append("\n".join(lines))
            lines = []
        parts.append(pd.DataFrame(b.rows[1:], columns=b.rows[0]))
    if lines:
        parts.append("\n".join(lines))
    return parts
