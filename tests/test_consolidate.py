"""Consolidation: the latest return stands, totals by unit and category, filters, and the --json shape."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from builders import (
    LATER,
    ON_TIME,
    f1_table,
    f2_table,
    f3_table,
    file_result,
    five_weak_orgs,
    org,
    rejected,
    returns_of,
)

from weakorg.campaign import default_campaign
from weakorg.consolidate import (
    SUMMARY_COLUMNS,
    consolidate,
    filter_picture,
    latest,
    parse_criteria,
    picture_to_json,
)
from weakorg.vocab import F3

CAMPAIGN = default_campaign()


def picture(*files):
    return consolidate(returns_of(*files), CAMPAIGN)


def city_batch():
    """Two units in two rounds, a unit outside the campaign and a refused file."""
    louxing_1 = file_result(
        "louxing-1.xlsx",
        f1_table(),
        f1_table(
            category="学校",
            orgs_total=40,
            party_committees=0,
            general_branches=0,
            branches=40,
            weak_total=2,
            c1=1,
            c2=1,
            c3=0,
            c4=0,
            c5=0,
            c6=0,
        ),
        f2_table([*five_weak_orgs(), org("一中党支部", category="学校"), org("二中党支部", category="学校")]),
        f3_table([org("甲村党支部", election_done=date(2014, 4, 20)), org("乙村党支部")]),
    )
    louxing_2 = file_result(
        "louxing-2.xlsx",
        f1_table(reported_on=LATER, weak_total=4, c1=1),
        f2_table(
            [*five_weak_orgs()[:4], org("一中党支部", category="学校"), org("二中党支部", category="学校")],
            reported_on=LATER,
        ),
    )
    shuangfeng = file_result(
        "shuangfeng.xlsx",
        f1_table(
            unit="双峰县",
            category="非公有制经济组织",
            category_raw="非公企业",
            orgs_total=200,
            branches=190,
            weak_total=10,
            c1=4,
            c2=2,
            c3=2,
            c4=2,
            c5=2,
            c6=0,
        ),
        f2_table([org(f"双峰{i}号党支部", criteria_stated="1、5") for i in range(10)], unit="双峰县"),
    )
    stranger = file_result("stranger.xlsx", f1_table(unit=None, unit_raw="外市某区", orgs_total=999, branches=989))
    return [louxing_1, louxing_2, shuangfeng, stranger, rejected("scan.pdf")]


# --- latest ------------------------------------------------------------------------------------------


def test_latest_f1_the_later_round_wins():
    r = returns_of(
        file_result("a.xlsx", f1_table(orgs_total=100)),
        file_result("b.xlsx", f1_table(reported_on=LATER, orgs_total=101, branches=91)),
    )
    cur = latest(r.f1, ("unit", "category"))
    assert cur["file"].tolist() == ["b.xlsx"] and cur["orgs_total"].tolist() == [101]


def test_latest_on_the_same_date_the_later_upload_wins():
    r = returns_of(file_result("b.xlsx", f1_table(orgs_total=101, branches=91)), file_result("a.xlsx", f1_table()))
    assert latest(r.f1, ("unit", "category"))["file"].tolist() == ["a.xlsx"]


def test_latest_an_undated_return_sorts_lowest():
    r = returns_of(file_result("a.xlsx", f1_table()), file_result("b.xlsx", f1_table(reported_on=None)))
    assert latest(r.f1, ("unit", "category"))["file"].tolist() == ["a.xlsx"]


def test_latest_register_takes_all_rows_of_the_winning_file():
    first = file_result("a.xlsx", f2_table(five_weak_orgs()))
    second = file_result("b.xlsx", f2_table(five_weak_orgs()[:2], reported_on=LATER))
    other = file_result("c.xlsx", f2_table(["某党支部"], unit="双峰县"))
    cur = latest(returns_of(first, second, other).f2, ("unit",))
    assert sorted(cur["file"].value_counts().items()) == [("b.xlsx", 2), ("c.xlsx", 1)]


def test_a_register_sent_with_no_line_replaces_the_lines_its_unit_sent_before():
    """A later 附件3 with no village (the unit has none now) stands as a file of lines would: none is left."""
    first = file_result("a.xlsx", f2_table(five_weak_orgs()), f3_table(["甲村党支部", "乙村党支部"]))
    none_now = file_result("b.xlsx", f3_table([], reported_on=LATER))
    other = file_result("c.xlsx", f3_table(["丙村党支部"], unit="双峰县"))
    r = returns_of(first, none_now, other)
    assert r.empty[["file", "unit", "form"]].values.tolist() == [["b.xlsx", "娄星区", F3]]
    assert latest(r.f3, ("unit",), r.empty_of(F3))["file"].tolist() == ["c.xlsx"]
    pic = consolidate(r, CAMPAIGN)
    assert pic.villages["unit"].tolist() == ["双峰县"] and len(pic.weak_orgs) == 5  # its 一览表 untouched
    earlier = file_result("z.xlsx", f3_table([], reported_on=date(2014, 3, 1)))  # sent before: the lines stand
    assert len(consolidate(returns_of(earlier, first), CAMPAIGN).villages) == 2
    both = file_result("d.xlsx", f3_table([], reported_on=LATER), f3_table(["丁村党支部"], reported_on=LATER))
    assert returns_of(both).empty.empty  # a file with lines of that form sent no empty register


def test_latest_keeps_each_category_per_unit():
    r = returns_of(
        file_result("a.xlsx", f1_table(), f1_table(category="学校")), file_result("b.xlsx", f1_table(reported_on=LATER))
    )
    cur = latest(r.f1, ("unit", "category"))
    assert sorted(zip(cur["category"], cur["file"], strict=True)) == [("农村", "b.xlsx"), ("学校", "a.xlsx")]


# --- the picture -------------------------------------------------------------------------------------


def test_summary_has_the_latest_table_per_unit_and_category_in_campaign_order():
    pic = picture(*city_batch())
    s = pic.summary
    assert list(s.columns) == SUMMARY_COLUMNS
    assert list(zip(s["unit"], s["category"], s["weak_total"], strict=True)) == [
        ("娄星区", "农村", 4.0),
        ("娄星区", "学校", 2.0),
        ("双峰县", "非公有制经济组织", 10.0),
    ]


def test_unknown_units_and_categories_stay_out_of_the_totals():
    pic = picture(*city_batch())
    assert "外市某区" not in set(pic.summary["unit"])
    assert pic.city["orgs_total"] == 100 + 40 + 200
    assert pic.city["weak_total"] == 4 + 2 + 10
    assert any(f.rule == "UNKNOWN_UNIT" for f in pic.findings)


def test_without_checks_the_same_totals_and_no_findings():
    returns = returns_of(*city_batch())
    checked, bare = consolidate(returns, CAMPAIGN), consolidate(returns, CAMPAIGN, checks=False)
    assert checked.findings and bare.findings == []
    assert bare.city == checked.city
    assert bare.summary.equals(checked.summary)


def test_weak_orgs_from_the_latest_register_with_stated_criteria():
    pic = picture(*city_batch())
    w = pic.weak_orgs
    louxing = w[w["unit"] == "娄星区"]
    assert len(louxing) == 6 and set(louxing["reported_on"]) == {LATER}
    assert louxing["category"].tolist()[-2:] == ["学校", "学校"]
    shuangfeng = w[w["unit"] == "双峰县"]
    assert shuangfeng["criteria"].tolist() == [[1, 5]] * 10
    assert w["flags"].map(len).sum() == 0


def test_an_organization_listed_twice_counts_once_at_its_first_line():
    lines = five_weak_orgs()
    again = dict(lines[1], name=" 乙村党支部", status="已转化")  # the same organization, written again further down
    pic = picture(file_result("a.xlsx", f1_table(), f2_table([*lines[:3], again, *lines[3:]])))
    assert pic.weak_orgs["name"].tolist() == [line["name"] for line in lines]
    assert pic.weak_orgs["status"].isna().all()  # the first line's, not the second's
    assert pic.city["weak_orgs_listed"] == 5
    rules = {f.rule for f in pic.findings}
    assert "DUPLICATE_ORG" in rules and "LIST_COUNT_MISMATCH" not in rules  # one mistake, said once


def test_villages_and_city_counts():
    pic = picture(*city_batch())
    assert pic.villages["name"].tolist() == ["甲村党支部", "乙村党支部"]
    c = pic.city
    assert (c["units_reported"], c["units_expected"]) == (2, len(CAMPAIGN.units))
    assert (c["weak_orgs_listed"], c["villages"], c["villages_elected"]) == (16, 2, 1)
    assert c["weak_share"] == pytest.approx(16 / 340 * 100, abs=0.01)


def test_totals_by_category_and_by_unit():
    pic = picture(*city_batch())
    assert pic.by_category["category"].tolist() == ["农村", "学校", "非公有制经济组织"]
    assert pic.by_category["weak_total"].tolist() == [4, 2, 10]
    assert pic.by_category["weak_share"].tolist() == [4.0, 5.0, 5.0]
    assert pic.by_unit["unit"].tolist() == ["娄星区", "双峰县"]
    assert pic.by_unit["orgs_total"].tolist() == [140, 200]


def test_files_list_every_file_with_status_and_reason():
    pic = picture(*city_batch())
    assert [(f["path"], f["status"], f["reason"]) for f in pic.files][-1] == ("scan.pdf", "rejected", "NOT_SPREADSHEET")
    assert pic.files[0]["forms"] == ["F1", "F2", "F3"] and pic.files[0]["categories"] == ["农村", "学校"]


def test_an_empty_batch_gives_an_empty_picture():
    pic = picture()
    assert pic.summary.empty and pic.weak_orgs.empty and pic.villages.empty
    assert pic.city["orgs_total"] == 0 and pic.city["weak_share"] is None
    json.dumps(picture_to_json(pic))


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("1、5", [1, 5]),
        ("1,5", [1, 5]),
        ("（1）（5）", [1, 5]),
        ("①⑤", [1, 5]),
        ("５、１", [1, 5]),
        ("一、五", [1, 5]),
        (None, []),
        ("", []),
    ],
)
def test_parse_criteria(text, numbers):
    assert parse_criteria(text) == numbers


# --- filters -----------------------------------------------------------------------------------------


def test_filter_by_unit_recomputes_the_totals():
    pic = filter_picture(picture(*city_batch()), units=["双峰县"])
    assert set(pic.summary["unit"]) == {"双峰县"} and set(pic.weak_orgs["unit"]) == {"双峰县"}
    assert pic.villages.empty
    assert (pic.city["orgs_total"], pic.city["weak_total"], pic.city["units_expected"]) == (200, 10, 1)
    assert pic.by_unit["unit"].tolist() == ["双峰县"]
    assert all(f.unit == "双峰县" for f in pic.findings)
    assert [f["path"] for f in pic.files] == ["shuangfeng.xlsx"]


def test_filter_by_category():
    full = picture(*city_batch())
    pic = filter_picture(full, categories=["学校"])
    assert pic.summary["category"].tolist() == ["学校"]
    assert pic.weak_orgs["name"].tolist() == ["一中党支部", "二中党支部"]
    assert pic.villages.empty and pic.city["weak_total"] == 2
    # reporting is per unit, as 报送情况 counts it: a category filter does not make a unit unreported
    assert pic.city["units_reported"] == full.city["units_reported"] == 2
    assert filter_picture(full, units=["双峰县"], categories=["学校"]).city["units_reported"] == 1
    rural = filter_picture(full, categories=["农村"])
    assert len(rural.villages) == 2
    assert filter_picture(full).city == full.city


def test_a_category_filter_leaves_out_the_findings_of_a_table_of_no_category():
    from weakorg.findings import finding
    from weakorg.vocab import F1, F2

    full = picture(*city_batch())
    other = finding("UNKNOWN_CATEGORY", "党组织类别“其它”不是九类之一", file="a.xlsx", unit="双峰县", form=F1)
    whole = finding("LIST_COUNT_MISMATCH", "一览表列出5个", file="a.xlsx", unit="双峰县", form=F2)
    full = replace(full, findings=[other, whole])
    assert filter_picture(full, categories=["学校"]).findings == [whole]  # the unit's whole return: still its
    assert filter_picture(full, units=["双峰县"]).findings == [other, whole]  # no category filter: every one


# --- JSON --------------------------------------------------------------------------------------------


def _walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_json_has_every_key_of_the_design():
    data = picture_to_json(picture(*city_batch()))
    assert list(data) == ["files", "summary", "weak_orgs", "villages", "findings", "totals"]
    assert set(data["files"][0]) == {"path", "status", "reason", "unit", "forms", "categories"}
    assert set(data["summary"][0]) == set(SUMMARY_COLUMNS)
    assert set(data["weak_orgs"][0]) == {
        "unit",
        "name",
        "category",
        "members",
        "problems",
        "criteria",
        "flags",
        "secretary",
        "phone",
        "status",
    }
    assert set(data["villages"][0]) == {
        "unit",
        "name",
        "members",
        "problems",
        "measures",
        "election_done",
        "secretary",
        "phone",
    }
    assert set(data["findings"][0]) == {
        "severity",
        "rule",
        "message",
        "file",
        "sheet",
        "cell",
        "unit",
        "category",
        "org",
    }
    assert set(data["totals"]) == {"city", "by_category", "by_unit"}
    assert {"orgs_total", "weak_total", "c6", "weak_share", "units_reported"} <= set(data["totals"]["city"])


def test_json_values_are_plain_numbers_iso_dates_and_nulls():
    data = picture_to_json(picture(*city_batch()))
    text = json.dumps(data, ensure_ascii=False)
    assert "NaN" not in text and "外市某区" not in json.dumps(data["summary"], ensure_ascii=False)
    values = list(_walk(data))
    assert "" not in values
    assert not any(isinstance(v, float) and (math.isnan(v) or v.is_integer()) for v in values)
    row = data["summary"][0]
    assert isinstance(row["orgs_total"], int) and row["reported_on"] == LATER.isoformat()
    assert data["villages"][0]["election_done"] == "2014-04-20" and data["villages"][1]["election_done"] is None
    assert data["weak_orgs"][-1]["criteria"] == [1, 5] and isinstance(data["weak_orgs"][0]["members"], int)
    assert isinstance(data["totals"]["city"]["weak_share"], float)
    assert data["weak_orgs"][0]["status"] is None


def test_json_of_a_frame_read_back_with_timestamps():
    pic = picture(*city_batch())
    pic.summary["reported_on"] = pd.to_datetime(pic.summary["reported_on"])
    assert picture_to_json(pic)["summary"][0]["reported_on"] == LATER.isoformat()
    assert ON_TIME.isoformat() < LATER.isoformat()


def test_weak_orgs_criteria_read_from_the_problems_where_none_are_stated():
    lines = [
        org("甲村党支部", problems="书记长期外出务工，支部已6年未换届。上届选举中有人拉票。"),
        org("乙村党支部", problems="书记长期外出务工。", criteria_stated="2"),  # the stated criteria stand
        org("丙村党支部", problems="村集体经济薄弱。"),
    ]
    w = picture(file_result("a.xlsx", f2_table(lines))).weak_orgs
    assert w["criteria"].tolist() == [[1, 4], [2], []]
    assert w["flags"].tolist() == [["vote_buying"], [], []]


def test_weak_orgs_category_from_the_name_when_not_given():
    f1s = [f1_table(category=c) for c in ("农村", "学校", "非公有制经济组织")]
    names = ["甲村党支部", "某某中学党支部", "宏达机械有限公司党支部", "某某党支部"]
    lines = [org(n) for n in names] + [org("乙村党支部", category="社区")]
    w = picture(file_result("a.xlsx", *f1s, f2_table(lines))).weak_orgs
    assert w["category"].tolist() == ["农村", "学校", "非公有制经济组织", None, "街道社区"]


def test_a_weak_share_is_of_the_tables_whose_organizations_are_known():
    """冷水江市's 所辖 was an unsaved formula (no value): its weak ones count over no one else's organizations."""
    known = file_result("a.xlsx", f1_table(orgs_total=200, weak_total=10))
    unknown = file_result("b.xlsx", f1_table(unit="冷水江市", orgs_total=None, weak_total=5))
    pic = consolidate(returns_of(known, unknown), CAMPAIGN, checks=False)
    assert pic.city["orgs_total"] == 200 and pic.city["weak_total"] == 15  # the sums, as written
    assert pic.city["weak_share"] == 5.0  # 10 of 200, not 15 of 200
    shares = dict(zip(pic.by_unit["unit"], pic.by_unit["weak_share"], strict=True))
    assert shares["冷水江市"] is None or math.isnan(shares["冷水江市"])  # none to say


def test_a_weak_share_leaves_out_a_table_whose_weak_exceed_all_and_every_place_says_so():
    """涟源市 typed 1,224 weak of 100 (WEAK_EXCEEDS_TOTAL): no page, chart or document says 1224.4 % or 51 %."""
    from weakorg import charts, counts
    from weakorg.consolidate import share_of, shares_left_out

    fine = file_result("a.xlsx", f1_table(orgs_total=200, weak_total=10))
    wrong = file_result("b.xlsx", f1_table(unit="涟源市", orgs_total=100, weak_total=1224))
    pic = consolidate(returns_of(fine, wrong), CAMPAIGN, checks=False)
    assert pic.city["weak_total"] == 1234 and pic.city["weak_share"] == 5.0  # the sum as written; 10 of 200
    shares = dict(zip(pic.by_unit["unit"], pic.by_unit["weak_share"], strict=True))
    assert shares["涟源市"] is None or math.isnan(shares["涟源市"])
    assert all(s is None or math.isnan(s) or s <= 100 for s in pic.by_category["weak_share"])
    assert shares_left_out(pic.summary) == 1
    assert share_of(pd.Series([1224.0, 10.0]), pd.Series([100.0, 200.0])).fillna(-1).tolist() == [-1, 5.0]
    figure = next(f for f in counts.headline(pic) if f.key == "weak_share")
    assert figure.value == "5.00%" and "不含软弱涣散数多于所辖基层党组织数的附件1（1张" in figure.note
    heat = charts.weak_share_by_unit_category(pic.summary, pic.units).option
    shown = [c for row in heat["series"][0]["data"] for c in [row]]
    assert not any("1224" in json.dumps(c, ensure_ascii=False) for c in shown)
