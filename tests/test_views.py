"""The drill-down pages' tables and one organization's card, from frames built here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa

from weakorg import views
from weakorg.campaign import default_campaign
from weakorg.findings import Finding
from weakorg.vocab import CRITERIA_SHORT


def f2_rows() -> pd.DataFrame:
    """Three returns of 双峰县 naming one organization in three ways, and another unit's namesake."""
    rows = [
        (1, "双峰县", "白马村党支部", "2014-03-12", "农村", "未启动", "1、5", 30),
        (2, "双峰县", "白马村党支部 ", "2014-04-15", "村", "整顿中", "1", 31),
        (3, "双峰县", "白马村党支部", "2014-04-15", "农村", "整顿中", "①", 31),
        (4, "双峰县", "白马村党支部", "2014-04-28", "农村", "已转化", "1", 32),
        (5, "新化县", "白马村党支部", "2014-04-28", "农村", "已验收", "4", 9),
        (4, "双峰县", "青山村党支部", "2014-04-28", "农村", "整顿中", "2", 12),
    ]
    frame = pd.DataFrame(
        rows, columns=["file_idx", "unit", "name", "reported_on", "category", "status", "criteria_stated", "members"]
    )
    frame["reported_on"] = pd.to_datetime(frame["reported_on"]).dt.date
    frame["file"] = [f"第{i}次.xlsx" for i in frame["file_idx"]]
    frame["row"] = range(len(frame))
    frame["problems"] = "书记长期在外"
    frame["secretary"] = "张三"
    frame["phone"] = "13907381234"
    return frame


def weak_orgs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["双峰县", "双峰县"],
            "name": ["白马村党支部", "青山村党支部"],
            "category": ["农村", "农村"],
            "members": [32.0, 12.0],
            "problems": ["书记长期在外", "书记工作消极"],
            "criteria": [[1], [2]],
            "flags": [["vote_buying"], []],
            "secretary": ["张三", None],
            "phone": ["13907381234", None],
            "status": ["已转化", "整顿中"],
            "accepted_on": [date(2014, 4, 25), None],
            "reported_on": [date(2014, 4, 28)] * 2,
        }
    )


def test_org_table_has_one_row_per_organization_with_chinese_headers():
    table = views.org_table(weak_orgs())
    assert table.columns[:5].tolist() == ["填报单位", "软弱涣散基层党组织名称", "符合标准", "整顿进展", "主要问题"]
    assert table["符合标准"].tolist() == ["1", "2"]
    assert table["重点整顿"].tolist() == ["换届选举拉票贿选", ""]
    assert table["党员数"].tolist() == [32, 12]


def test_the_card_gathers_the_rows_of_one_organization_across_returns():
    card = views.org_card(weak_orgs(), SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部")
    assert card.name == "白马村党支部" and card.current["status"] == "已转化"
    assert card.history["填表时间"].astype(str).tolist() == ["2014-03-12", "2014-04-15", "2014-04-15", "2014-04-28"]
    assert card.history["文件"].tolist() == ["第1次.xlsx", "第2次.xlsx", "第3次.xlsx", "第4次.xlsx"]
    assert card.history["党组织类别"].tolist() == ["农村"] * 4
    assert card.history["符合标准"].tolist() == ["1、5", "1", "1", "1"]
    assert card.statuses["整顿进展"].tolist() == ["未启动", "整顿中", "已转化"]
    assert card.statuses["填表时间"].astype(str).tolist() == ["2014-03-12", "2014-04-15", "2014-04-28"]
    assert card.criteria == [(1, "党组织班子配备不齐、书记长期缺职、工作处于停滞状态")]
    assert dict(views.card_facts(card))["整顿进展"] == "已转化（2014年4月25日验收）"  # the unit's 验收日期 with it
    assert views.status_text("已验收", date(2014, 4, 25)) == "已验收（2014年4月25日）"
    assert views.status_text("整顿中") == "整顿中" and views.status_text(None) == views.MISSING


def test_a_return_replaced_the_same_day_is_marked_on_the_card_and_changes_no_status():
    """双峰县 sent its 4月15日 register, then a corrected one of the same date: the first said 已转化 by mistake."""
    rows = f2_rows()
    rows = rows[rows["unit"] == "双峰县"].copy()
    rows.loc[rows["file_idx"] == 2, ["category", "status"]] = ["农村", "已转化"]  # replaced by file 3, uploaded after
    rows.loc[rows["file_idx"] == 4, "status"] = "整顿中"
    card = views.org_card(weak_orgs(), SimpleNamespace(f2=rows), "双峰县", "白马村党支部")
    assert card.history["文件"].tolist() == ["第1次.xlsx", "第2次.xlsx", "第3次.xlsx", "第4次.xlsx"]
    assert card.history[views.HISTORY_NOTE].tolist() == ["", views.REPLACED_NOTE, "", ""]
    assert card.statuses["整顿进展"].tolist() == ["未启动", "整顿中"]  # never 已转化 and back
    assert card.statuses["填表时间"].astype(str).tolist() == ["2014-03-12", "2014-04-15"]


def test_an_organization_the_latest_register_dropped_is_shown_as_last_listed_and_said_not_counted():
    rows = f2_rows()
    rows = rows[(rows["unit"] == "双峰县") & (rows["file_idx"] < 4)]  # 青山村 is listed in no return
    dropped = views.org_card(weak_orgs().iloc[1:], SimpleNamespace(f2=rows), "双峰县", "白马村党支部")  # not standing
    facts = dict(views.card_facts(dropped))
    assert (facts["党组织类别"], facts["党员数"], facts["整顿进展"]) == ("农村", "31", "整顿中")  # its last return's
    assert facts[views.SECRETARY_LABEL] == "张三"  # as written there, not 空缺
    assert dropped.criteria == []  # nothing of it is counted
    note = views.last_listed_note(dropped)
    assert "未列入最新一览表" in note and "2014年4月15日" in note
    standing = views.org_card(weak_orgs(), SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部")
    assert views.last_listed_note(standing) == ""


def test_no_card_for_an_organization_nobody_reported():
    assert views.org_card(weak_orgs(), SimpleNamespace(f2=f2_rows()), "娄星区", "白马村党支部") is None


def test_village_table_counts_days_since_rectification_ended_for_villages_not_re_elected():
    villages = pd.DataFrame(
        {
            "unit": ["双峰县", "双峰县"],
            "name": ["白马村党支部", "青山村党支部"],
            "members": [30.0, 12.0],
            "problems": ["派性", "贿选"],
            "measures": ["包村", "蹲点"],
            "election_done": [date(2014, 4, 20), None],
            "secretary": ["张三", None],
            "phone": [None, None],
            "reported_on": [date(2014, 4, 28)] * 2,
        }
    )
    end = default_campaign().rectification_end
    table = views.village_table(villages, as_of=date(2014, 5, 10))
    assert table["换届情况"].tolist() == ["已完成", "未完成"]
    assert table["整顿结束后天数"].tolist()[1] == (date(2014, 5, 10) - end).days == 10
    assert pd.isna(table["整顿结束后天数"].tolist()[0])
    assert views.village_counts(villages) == (2, 1)
    assert table["换届选举完成时间"].tolist() == ["2014-04-20", ""]
    pa.Table.from_pandas(table)  # one type per column: what st.dataframe needs to show it unaltered
    # before the end of the rectification no village has days to count: no empty column, on a page or in a download
    assert "整顿结束后天数" not in views.village_table(villages, as_of=date(2014, 4, 28)).columns


def test_category_table_has_whole_counts_and_the_share():
    by_category = pd.DataFrame(
        {
            "category": ["农村", "学校"],
            "orgs_total": [100.0, 20.0],
            "weak_total": [8.0, 1.0],
            "weak_share": [8.0, 5.0],
            **{f"c{n}": [float(n), 0.0] for n in range(1, 7)},
        }
    )
    table = views.category_table(by_category)
    assert table.columns[:4].tolist() == ["党组织类别", "所辖基层党组织", "软弱涣散基层党组织", "占比（%）"]
    assert table["软弱涣散基层党组织"].tolist() == [8, 1] and table["占比（%）"].tolist() == [8.0, 5.0]
    assert table["长期不换届"].tolist() == [4, 0]
    assert views.whole_text(12.0) == "12" and views.whole_text(None) == "——"


def test_matched_phrases_are_cut_out_of_the_problems_and_highlighted():
    text = "支部书记常年在外经商，村务无人主持。村内宗族势力较强*"
    evidence = {1: ["书记常年在外经商", "无人主持", "不在原文里"], "interference": ["宗族"]}
    segments = views.highlight_segments(text, evidence)
    assert "".join(piece for piece, _ in segments) == text
    assert [(p, k) for p, k in segments if k is not None] == [
        ("书记常年在外经商", 1),
        ("无人主持", 1),
        ("宗族", "interference"),
    ]
    md = views.segments_markdown(segments)
    assert md.startswith("支部:orange-background[书记常年在外经商]:orange-background[（1）]，村务")
    assert ":violet-background[宗族]势力较强\\*:violet-background[（重点整顿）]" in md  # said at the clause's end
    crossed = views.segments_markdown(
        views.highlight_segments("三会一课长期不落实，宗族势力强", {5: ["三会一课长期不"]})
    )
    assert crossed.startswith(":orange-background[三会一课长期不落实]:orange-background[（5）]，")  # never mid-word
    # the highlight covers a word a phrase stops short of by a character or two, not more
    tail = views.segments_markdown(
        views.highlight_segments("两委一直未补选，班子长期不团结内耗严重", {1: ["一直未补"], 3: ["长期不团"]})
    )
    assert ":orange-background[一直未补选]:orange-background[（1）]，" in tail
    assert ":orange-background[长期不团]结内耗严重:orange-background[（3）]" in tail
    assert views.highlight_segments(None, evidence) == []


def test_the_card_reads_the_criteria_and_flags_in_the_problems_with_their_phrases():
    orgs = weak_orgs()
    orgs.loc[0, "problems"] = "支部书记常年在外经商，三会一课长期不开，换届时有拉票贿选现象"
    card = views.org_card(orgs, SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部")
    read = {n: phrases for n, _, phrases in card.read}
    assert 1 in read and 5 in read and all(read.values())
    assert [f for f, _ in card.flags] == ["vote_buying"]
    assert any(k == 1 for _, k in card.segments) and any(k == "vote_buying" for _, k in card.segments)


def test_the_card_says_when_only_the_beginning_of_a_long_text_was_read():
    orgs = weak_orgs()
    orgs.loc[0, "problems"] = "支部书记常年在外经商。" + "情况说明。" * 1000 + "三会一课长期不开。"
    card = views.org_card(orgs, SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部")
    assert card.truncated and [n for n, _, _ in card.read] == [1]  # criterion 5 stands past the part read
    assert views.read_markdown(card).endswith(views.TRUNCATED_NOTE)
    orgs.loc[0, "problems"] = "支部书记常年在外经商。"
    short = views.org_card(orgs, SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部")
    assert not short.truncated and views.TRUNCATED_NOTE not in views.read_markdown(short)


def card_findings() -> list:
    from weakorg.findings import finding

    where = {"file": "第4次.xlsx", "sheet": "附件2", "unit": "双峰县"}
    return [
        finding("SMALL_BRANCH", "白马村党支部只有2名党员。", cell="C5", org="白马村党支部", **where),
        finding("PHONE_INVALID", "联系方式无法识别。", cell="F5", org=" 白马村党支部", **where),
        finding("MEMBERS_INVALID", "党员数缺失。", cell="C6", org="青山村党支部", **where),  # another organization
        finding("SMALL_BRANCH", "只有2名党员。", cell="C9", org="白马村党支部", **{**where, "unit": "新化县"}),
        finding(
            "DUPLICATE_ORG", "同时列在新化县和双峰县。", cell="B9", org="白马村党支部", **{**where, "unit": "新化县"}
        ),
        finding("CRITERIA_LIST_MISMATCH", "附件1中符合第（1）条标准的合计3个，一览表中有1个。", **where),
        finding("CRITERIA_LIST_MISMATCH", "附件1中符合第（4）条标准的合计2个，一览表中有0个。", **where),
    ]


def test_the_card_lists_the_findings_that_concern_the_organization_and_their_explanations():
    from weakorg.findings import RULES
    from weakorg.store.schema import EXPLANATION_KEYS

    found = card_findings()
    phone = found[1]
    explained = pd.DataFrame(
        [
            {
                **{k: getattr(phone, k) for k in EXPLANATION_KEYS},
                "reason": "村委会座机，已核实。",
                "explained_by": "zhang",
                "explained_at": pd.Timestamp("2014-04-02 09:30"),  # stored in UTC: 17:30 in Beijing
            }
        ]
    )
    card = views.org_card(
        weak_orgs(), SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部", findings=found, explanations=explained
    )
    # its row's findings (names written loosely included), another unit's duplicate naming it, its criterion 1 count
    assert card.findings == [found[0], found[1], found[4], found[5]]
    table = views.card_findings_table(card)
    assert table.columns.tolist() == ["严重程度", "规则", "文件", "单元格", "说明", "说明情况"]
    assert table["规则"].tolist() == [RULES[f.rule].title for f in card.findings]  # in Chinese, no code
    assert table["单元格"].tolist() == ["附件2!C5", "附件2!F5", "附件2!B9", "附件2"]
    assert table["说明情况"].tolist() == [
        "未说明",
        "已说明：村委会座机，已核实。（zhang，2014-04-02 17:30）",
        "",
        "未说明",
    ]
    assert views.findings_summary(card) == "共 4 条：错误 1 条，警告 3 条（未说明 2 条，已说明 1 条）。"
    note = Finding("VILLAGE_NOT_LISTED", "info", "……", unit="双峰县", org="白马村党支部")
    noted = replace(card, findings=[*card.findings, note, note])  # a note, listed twice: counted once
    assert views.findings_summary(noted) == "共 5 条：错误 1 条，警告 3 条（未说明 2 条，已说明 1 条），提示 1 条。"
    nothing = views.org_card(weak_orgs(), SimpleNamespace(f2=f2_rows()), "双峰县", "青山村党支部")
    assert nothing.findings == [] and views.findings_summary(nothing) == views.NO_FINDINGS
    assert views.correction_markdown(nothing) == ""


def test_the_card_says_who_corrected_the_reading_and_when():
    from weakorg.store.corrections import text_hash

    corrections = pd.DataFrame(
        [
            {
                "unit": "双峰县",
                "name": "白马村党支部",
                "text_hash": text_hash("书记长期在外"),
                "criteria": [1, 5],
                "flags": ["vote_buying"],
                "note": "支部会也没开[详情](http://x.invalid)",
                "by": "li_analyst",
                "at": pd.Timestamp("2014-04-03 10:15"),  # UTC: 18:15 in Beijing
            },
            {  # made on an earlier text: no longer stands
                "unit": "双峰县",
                "name": "青山村党支部",
                "text_hash": text_hash("旧的主要问题"),
                "criteria": [3],
                "flags": [],
                "note": "旧",
                "by": "wang",
                "at": pd.Timestamp("2014-03-20 08:00"),
            },
        ]
    )
    returns = SimpleNamespace(f2=f2_rows())
    card = views.org_card(weak_orgs(), returns, "双峰县", "白马村党支部", corrections=corrections)
    said = views.correction_markdown(card)
    assert said.startswith("**已人工研判：** li\\_analyst，2014-04-03 18:15。")
    assert f"计入统计的标准：（1）{CRITERIA_SHORT[1]}、（5）{CRITERIA_SHORT[5]}；" in said
    assert "重点整顿：换届选举拉票贿选" in said and "](http" not in said  # the note is data: escaped
    other = views.org_card(weak_orgs(), returns, "双峰县", "青山村党支部", corrections=corrections)
    assert other.correction is None and views.correction_markdown(other) == ""
