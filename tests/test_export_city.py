"""The city's return in the official layout: one 附件1 per category and one for all, the registers grouped by unit,
and read back by weakorg (as the return of a campaign whose unit is the city) the same totals."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pandas as pd
import pytest
from builders import GOOD_COUNTS, f1_table, f2_table, f3_table, file_result, five_weak_orgs, org, returns_of
from openpyxl import load_workbook
from readfiles import put_register, workbook, xlsx_bytes

from weakorg import app, cli, views
from weakorg.campaign import Unit, _build_lookup, default_campaign
from weakorg.consolidate import COUNT_COLUMNS, consolidate, filter_picture
from weakorg.documents.words import ALL_CATEGORIES, SOURCE_UNIT
from weakorg.drill import Filters, filter_villages
from weakorg.export.city import city_workbook
from weakorg.read import read_file
from weakorg.store import Store
from weakorg.tables import returns_from_files
from weakorg.vocab import F3

DAY = date(2014, 4, 28)


@pytest.fixture(scope="module")
def picture():
    """Two units: 娄星区 with 农村 and 学校 tables, 双峰县 with 农村; registers and difficult villages."""
    louxing = file_result(
        "娄星区.xlsx",
        f1_table(unit="娄星区", category="农村", reported_on=DAY),
        f1_table(
            unit="娄星区",
            category="学校",
            reported_on=DAY,
            orgs_total=40,
            branches=30,
            weak_total=0,
            c1=0,
            c2=0,
            c3=0,
            c4=0,
            c5=0,
            c6=0,
        ),
        f2_table(five_weak_orgs("娄星"), unit="娄星区", reported_on=DAY),
        f3_table([org("娄星甲村党支部", election_done=date(2014, 4, 20)), org("娄星乙村党支部")], reported_on=DAY),
    )
    shuangfeng = file_result(
        "双峰县.xlsx",
        f1_table(unit="双峰县", category="农村", reported_on=date(2014, 4, 15), orgs_total=300, branches=290),
        f2_table(five_weak_orgs("双峰"), unit="双峰县", reported_on=date(2014, 4, 15)),
    )
    return consolidate(returns_of(louxing, shuangfeng), default_campaign())


def read_back(data: bytes, aliases: tuple[str, ...] = ()):
    """The city's workbook read by weakorg as a return of a campaign whose only unit is the city (``aliases``: as
    the 填报单位 of a return for some units says it)."""
    campaign = default_campaign()
    units = (Unit(campaign.city, "市", aliases),)
    province = replace(campaign, units=units, _lookup=_build_lookup(units))
    fr = read_file(data, "城市汇总.xlsx", province)
    assert fr.ok, fr.message
    return fr, consolidate(returns_from_files([fr]), province)


def test_the_city_return_read_back_gives_the_same_totals(picture):
    fr, back = read_back(city_workbook(picture, as_of=DAY))
    assert fr.unit == "娄底市"
    assert [t.category for t in fr.tables if t.form == "F1"] == ["农村", "学校"]  # the total is not a tenth category
    assert not [f.rule for f in back.findings if f.rule in ("UNKNOWN_CATEGORY", "LIST_COUNT_MISMATCH")]
    for key in COUNT_COLUMNS:
        assert back.city[key] == picture.city[key], key
    assert back.city["weak_share"] == picture.city["weak_share"]
    mine = picture.by_category.set_index("category")[COUNT_COLUMNS]
    theirs = back.by_category.set_index("category")[COUNT_COLUMNS]
    assert mine.equals(theirs)
    assert list(back.weak_orgs["name"]) == list(picture.weak_orgs["name"])
    assert list(back.weak_orgs["criteria"]) == list(picture.weak_orgs["criteria"])
    assert list(back.weak_orgs["status"].fillna("")) == list(picture.weak_orgs["status"].fillna(""))
    assert back.city["villages"] == 2 and back.city["villages_elected"] == 1


def test_one_f1_sheet_per_category_then_all_with_percentages_recomputed(picture):
    wb = load_workbook(io.BytesIO(city_workbook(picture, as_of=DAY)))
    f1_sheets = ["附件1-农村", "附件1-学校", f"附件1-{ALL_CATEGORIES}"]
    assert wb.sheetnames == [*f1_sheets, "附件2-一览表", "附件3-难点村", "说明"]
    ws = wb[f"附件1-{ALL_CATEGORIES}"]
    assert "填报单位：娄底市" in ws["A3"].value and "2014年4月28日" in ws["A3"].value
    total = 100 + 40 + 300
    assert ws["B5"].value == total and ws["B9"].value == 5 + 5
    assert ws["C9"].value == round(100 * 10 / total, 2)  # the weak share, from the summed counts
    assert ws["D10"].value == round(100 * (2 + 2) / 10, 2)  # criterion 1 among the weak ones
    rural = wb["附件1-农村"]
    assert rural["B5"].value == 400 and rural["C9"].value == round(100 * 10 / 400, 2)
    notes = [next(c.value for c in w["A"] if str(c.value or "").startswith("注：")) for w in (rural, ws)]
    assert "每一张汇总表只填报一类" in notes[0]  # the official form's line, on a category's table
    assert "合计" in notes[1] and "只填报一类" not in notes[1]  # the total of every category says what it is


def test_the_registers_list_every_unit_grouped_in_campaign_order(picture):
    wb = load_workbook(io.BytesIO(city_workbook(picture, as_of=DAY)))
    ws = wb["附件2-一览表"]
    header = [c.value for c in ws[4]]
    assert header[-1] == SOURCE_UNIT
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[1].value]
    assert [r[0] for r in rows] == list(range(1, 11))
    assert [r[-1] for r in rows] == ["娄星区"] * 5 + ["双峰县"] * 5
    notes = {r[0].value: r[1].value for r in wb["说明"].iter_rows()}
    assert notes["数据截至"] == "2014年4月28日" and "全部单位" in notes["筛选条件"]


def test_a_village_not_re_elected_says_未完成_not_a_blank(picture):
    wb = load_workbook(io.BytesIO(city_workbook(picture, as_of=DAY)))
    ws = wb["附件3-难点村"]
    header = [c.value for c in ws[4]]
    done = header.index("换届选举完成时间")
    rows = {r[1].value: r[done].value for r in ws.iter_rows(min_row=5) if r[1].value}
    assert rows["娄星甲村党支部"] == datetime(2014, 4, 20) and rows["娄星乙村党支部"] == "未完成"


def test_a_re_election_date_that_cannot_be_read_is_kept_as_written_not_called_未完成(tmp_path):
    """Through the reader and the store: "3/5" is said (DATE_INVALID), and no page or file says the village is not
    re-elected; the city's return carries what the county wrote."""
    lines = [org("甲村党支部", election_done="3/5"), org("乙村党支部", election_done="未完成")]
    path = tmp_path / "娄星区.xlsx"
    path.write_bytes(xlsx_bytes(workbook(("附件3", lambda ws: put_register(ws, F3, lines, on=DAY)))))
    fr = read_file(path)
    assert [f.rule for f in fr.findings] == ["DATE_INVALID"]
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    store.add(fr)
    pic = app.picture(store, campaign=default_campaign())
    table = views.village_table(pic.villages, as_of=date(2014, 6, 1))
    assert table["换届情况"].tolist() == ["时间无法识别", "未完成"]
    assert table["换届选举完成时间"].tolist() == ["3/5", ""]
    assert pd.isna(table["整顿结束后天数"][0]) and table["整顿结束后天数"][1] > 0
    assert filter_villages(pic.villages, Filters(open_villages=True))["name"].tolist() == ["乙村党支部"]
    assert pic.city["villages_elected"] == 0
    ws = load_workbook(io.BytesIO(city_workbook(pic, as_of=DAY)))["附件3-难点村"]
    done = [c.value for c in ws[4]].index("换届选举完成时间")
    assert {r[1].value: r[done].value for r in ws.iter_rows(min_row=5) if r[1].value} == {
        "甲村党支部": "3/5",
        "乙村党支部": "未完成",
    }


def test_the_filters_in_force_apply_and_are_said(picture):
    narrowed = filter_picture(picture, units=["双峰县"])
    data = city_workbook(narrowed, as_of=DAY, units=["双峰县"])
    _, back = read_back(data, aliases=("娄底市（双峰县）",))
    assert back.city["weak_total"] == 5 and back.city["orgs_total"] == 300
    book = load_workbook(io.BytesIO(data))
    notes = {r[0].value: r[1].value for r in book["说明"].iter_rows()}
    assert "双峰县" in notes["筛选条件"]
    filler = [
        c.value for ws in book.worksheets[:-1] for row in ws.iter_rows() for c in row if "填报单位：" in str(c.value)
    ]
    assert filler and all("娄底市（双峰县）" in v for v in filler), filler  # never the whole city's over one unit


def test_consolidate_writes_the_official_layout_by_default(tmp_path):
    samples = tmp_path / "samples"
    assert cli.main(["sample", "-o", str(samples)]) == 0
    out = tmp_path / "city.xlsx"
    files = [str(p) for p in sorted(samples.iterdir()) if p.name.startswith(("娄星区", "双峰县"))]
    assert cli.main(["consolidate", *files, "-o", str(out)]) == 0
    _, back = read_back(out.read_bytes())
    expected = consolidate(returns_from_files(cli.read_paths([type(out)(f) for f in files], default_campaign())))
    assert back.city["weak_total"] == expected.city["weak_total"] > 0
    assert back.city["orgs_total"] == expected.city["orgs_total"]
    assert len(back.weak_orgs) == len(expected.weak_orgs)


def test_the_notes_say_where_the_forms_disagree_and_that_analysts_corrections_count_in_the_register(picture):
    """说明: each gap between 附件1's counts and the 附件2 register (by unit, by criterion) on a row of its own, and,
    when analysts' corrections stand, that 附件2 counts them while 附件1 is the units' own."""
    import pandas as pd

    from weakorg import counts
    from weakorg.export.city import CORRECTED_ROW, GAPS_ROW
    from weakorg.store.corrections import apply_corrections, text_hash

    first = picture.weak_orgs.iloc[0]
    fix = pd.DataFrame(
        [
            {
                "unit": first["unit"],
                "name": first["name"],
                "text_hash": text_hash(first["problems"]),
                "criteria": [1, 2, 3, 4, 5, 6],
                "flags": [],
            }
        ]
    )
    corrected = replace(picture, weak_orgs=apply_corrections(picture.weak_orgs, fix))
    rows = [
        (r[0].value, r[1].value)
        for r in load_workbook(io.BytesIO(city_workbook(corrected, as_of=DAY)))["说明"].iter_rows()
    ]
    gaps = counts.gaps(corrected) + counts.criterion_gaps(corrected)
    assert gaps and [t for label, t in rows if label == GAPS_ROW] == gaps  # six criteria now count it: some differ
    assert [t for label, t in rows if label == CORRECTED_ROW] == [counts.corrected_note(corrected)]
    plain = [label for label, _ in load_workbook(io.BytesIO(city_workbook(picture, as_of=DAY)))["说明"].iter_rows()]
    assert CORRECTED_ROW not in [c.value for c in plain]


def test_the_register_carries_each_lines_status_and_acceptance_date():
    lines = five_weak_orgs("娄星")
    lines[0] |= {"status": "已验收", "accepted_on": date(2014, 4, 25)}
    louxing = file_result("娄星区.xlsx", f1_table(unit="娄星区", reported_on=DAY), f2_table(lines, reported_on=DAY))
    wb = load_workbook(io.BytesIO(city_workbook(consolidate(returns_of(louxing), default_campaign()), as_of=DAY)))
    ws = wb["附件2-一览表"]
    header = [c.value for c in ws[4]]
    first = {h: c.value for h, c in zip(header, ws[5], strict=True)}
    assert (first["整顿进展"], first["验收日期"]) == ("已验收", datetime(2014, 4, 25))  # a unit's date, not left out
    assert ws.cell(6, header.index("验收日期") + 1).value is None


def _with_a_gap(picture):
    """The picture with 娄星区's 附件1 counting one weak organization more than its 一览表 lists."""
    summary = picture.summary.copy()
    first = summary.index[summary["unit"] == "娄星区"][0]
    summary.loc[first, "weak_total"] += 1
    return replace(picture, summary=summary)


def test_the_notes_explain_no_gap_the_file_does_not_show(picture):
    from weakorg.export.city import WHY_ROW
    from weakorg.findings import WARNING, Finding

    elsewhere = Finding(
        "CRITERIA_LIST_MISMATCH", WARNING, "第（5）条……请核对。", unit="娄星区"
    )  # of a category not shown
    wb = load_workbook(io.BytesIO(city_workbook(replace(picture, findings=[elsewhere]), as_of=DAY)))
    assert not [r for r in wb["说明"].iter_rows() if r[0].value == WHY_ROW]


def test_one_category_gets_no_total_sheet_and_a_filter_of_several_names_them(picture):
    one = filter_picture(picture, categories=["学校"])
    assert load_workbook(io.BytesIO(city_workbook(one, as_of=DAY, categories=["学校"]))).sheetnames == [
        "附件1-学校", "附件2-一览表", "附件3-难点村", "说明",
    ]  # fmt: skip
    both = load_workbook(io.BytesIO(city_workbook(picture, as_of=DAY, categories=["农村", "学校"])))
    assert "附件1-合计" in both.sheetnames and "附件1-全部类别" not in both.sheetnames
    assert "党组织类别：农村、学校合计" in str(both["附件1-合计"]["A3"].value)
    fr, back = read_back(city_workbook(picture, as_of=DAY, categories=["农村", "学校"]))  # read as a total, once
    assert not [f for f in fr.findings if f.rule == "UNKNOWN_CATEGORY"]
    assert back.city["weak_total"] == picture.city["weak_total"]


def test_the_notes_give_what_the_checks_found_that_explains_a_gap(picture):
    from weakorg.export.city import WHY_ROW
    from weakorg.findings import ERROR, Finding

    said = "“娄星甲村党支部”在本单位附件2一览表中重复填报"
    twice = Finding("DUPLICATE_ORG", ERROR, said, unit="娄星区", org="娄星甲村党支部")
    other = Finding("PHONE_INVALID", ERROR, "联系方式不像电话号码", unit="娄星区")  # explains no gap: not listed
    wb = load_workbook(io.BytesIO(city_workbook(replace(_with_a_gap(picture), findings=[twice, other]), as_of=DAY)))
    why = [r[1].value for r in wb["说明"].iter_rows() if r[0].value == WHY_ROW]
    assert why == ["娄星区｜同一党组织重复填报：“娄星甲村党支部”在本单位附件2一览表中重复填报"]


def test_the_notes_say_which_warnings_analysts_explained(picture):
    import pandas as pd

    from weakorg.export.city import WHY_ROW
    from weakorg.findings import WARNING, Finding

    gap = Finding("CRITERIA_LIST_MISMATCH", WARNING, "第（5）条……两者应一致，请核对。", unit="娄星区", file="a.xlsx")
    other = replace(gap, message="第（6）条……两者应一致，请核对。", cell="B9")
    explained = pd.DataFrame(
        [{"unit": "娄星区", "rule": gap.rule, "file": "a.xlsx", "sheet": None, "cell": None, "org": None,
          "reason": "县里已核实", "explained_by": "fenxi1", "explained_at": None}]
    )  # fmt: skip
    wb = load_workbook(
        io.BytesIO(
            city_workbook(replace(_with_a_gap(picture), findings=[gap, other]), as_of=DAY, explanations=explained)
        )
    )
    why = [r[1].value for r in wb["说明"].iter_rows() if r[0].value == WHY_ROW]
    assert why[0].endswith("请核对。（已说明：县里已核实（fenxi1））") and why[1].endswith("请核对。（未说明）")


def test_the_notes_give_the_units_summary_errors_the_city_sums_carry(picture):
    from weakorg.export.city import FINDINGS_ROW, SUMMARY_ERRORS_ROW
    from weakorg.findings import ERROR, Finding

    said = "党委(3)+党总支(10)+党支部(285)=298，与所辖基层党组织数300不符"
    breakdown = Finding("BREAKDOWN_SUM", ERROR, said, unit="双峰县", sheet="附件1", cell="B5")
    other = Finding("PHONE_INVALID", ERROR, "联系方式不像电话号码", unit="娄星区")  # no 附件1 error: not listed
    wb = load_workbook(io.BytesIO(city_workbook(replace(picture, findings=[breakdown, other]), as_of=DAY)))
    rows = [r[1].value for r in wb["说明"].iter_rows() if r[0].value == SUMMARY_ERRORS_ROW]
    assert rows == [f"双峰县｜附件1!B5｜党委、党总支、党支部之和不等于所辖基层党组织数：{said}"]  # which table, said
    labels = [r[0].value for r in wb["说明"].iter_rows()]  # the clerk's words introduced for the province's reader
    assert labels.index(FINDINGS_ROW) == labels.index(SUMMARY_ERRORS_ROW) - 1
    clean = load_workbook(io.BytesIO(city_workbook(replace(picture, findings=[]), as_of=DAY)))
    assert FINDINGS_ROW not in [r[0].value for r in clean["说明"].iter_rows()]


def test_the_notes_give_every_open_error_behind_a_figure_a_table_of_no_category_and_the_registers(picture):
    from weakorg.export.city import REGISTER_ERRORS_ROW, SUMMARY_ERRORS_ROW
    from weakorg.findings import ERROR, Finding

    nowhere = Finding("UNKNOWN_CATEGORY", ERROR, "党组织类别“其它”不是九类之一", unit="娄星区", form="F1")  # in no sum
    members = Finding("MEMBERS_INVALID", ERROR, "“甲村党支部”的党员数“若干”不是数字", unit="双峰县", form="F2")
    line = Finding("UNKNOWN_CATEGORY", ERROR, "“乙村党支部”的党组织类别不是九类之一", unit="双峰县", form="F2")
    wb = load_workbook(io.BytesIO(city_workbook(replace(picture, findings=[nowhere, members, line]), as_of=DAY)))
    notes = [(r[0].value, r[1].value) for r in wb["说明"].iter_rows()]
    assert [t for label, t in notes if label == SUMMARY_ERRORS_ROW] == [
        "娄星区｜党组织类别不是九类之一：党组织类别“其它”不是九类之一"
    ]
    said = [t for label, t in notes if label == REGISTER_ERRORS_ROW]
    assert len(said) == 2 and said[0].startswith("双峰县｜党员数") and "乙村党支部" in said[1]


def test_a_share_whose_part_exceeds_its_whole_is_left_blank_and_said():
    over = file_result(
        "冷水江市.xlsx",
        f1_table(unit="冷水江市", category="医疗卫生单位", reported_on=DAY, c6=GOOD_COUNTS["weak_total"] + 1),
    )
    pic = consolidate(returns_of(over), default_campaign())
    wb = load_workbook(io.BytesIO(city_workbook(pic, as_of=DAY)))
    rows = {r[0].value: r for r in wb["附件1-医疗卫生单位"].iter_rows(min_row=5) if r[0].value}
    sixth = next(v for k, v in rows.items() if k.startswith("（6）"))
    fifth = next(v for k, v in rows.items() if k.startswith("（5）"))
    assert sixth[3].value is None and fifth[3].value is not None  # never 120 % of the weak ones
    notes = [r[1].value for r in wb["说明"].iter_rows() if r[0].value == "未计算的占比"]
    assert len(notes) == 1 and notes[0].startswith("附件1-医疗卫生单位：“（6）") and "其占比未计算" in notes[0]


def test_a_text_longer_than_a_cell_holds_is_cut_and_said():
    long = "书记长期外出，" * 6000  # 42,000 characters
    lines = [org("甲村党支部", problems=long), *five_weak_orgs()[1:]]
    pic = consolidate(returns_of(file_result("a.xlsx", f1_table(), f2_table(lines))), default_campaign())
    wb = load_workbook(io.BytesIO(city_workbook(pic, as_of=DAY)))
    cells = [c.value for row in wb["附件2-一览表"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(len(v) == 32767 and v.endswith("…") for v in cells)
    notes = [r[1].value for r in wb["说明"].iter_rows() if r[0].value == "截断的文字"]
    assert notes == [
        "附件2：娄星区“甲村党支部”的“主要问题”共42,000字，超过Excel单元格上限32,767字，"
        "表中只载其前部（以“…”标明），全文见系统中该组织的详情。"
    ]


def test_the_notes_say_whose_figures_these_are_units_not_reported_a_round_behind_or_outside_the_campaign(tmp_path):
    from weakorg.app import load_samples_if_empty
    from weakorg.documents.data import from_store

    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    assert load_samples_if_empty(store, demo=True)

    def notes(day: date) -> list[str]:
        data = from_store(store, day)
        book = load_workbook(io.BytesIO(city_workbook(data.picture, data.campaign, data.day)))
        return [r[1].value for r in book["说明"].iter_rows() if r[0].value == "报送情况"]

    first = notes(date(2014, 3, 12))  # 新化县's first returns are dated 3月14日
    assert first[0] == "截至2014年3月12日，应报送单位12个，已报送11个；尚未报送的有：新化县，其数字未计入本表。"
    assert not any("不在本次整顿名单中" in line for line in first)  # the outside unit's file is dated 4月29日
    last = notes(date(2014, 4, 30))
    assert last[0] == "截至2014年4月30日，应报送单位12个，已报送12个。"
    assert any("“娄底市交通运输局”不在本次整顿名单中，其数字未计入本表" in line for line in last)
    assert last[-1].startswith("第3次报送（2014年4月30日）尚未报送的有：万宝新区（最近一次为2014年4月15日）")
    store.engine.dispose()
