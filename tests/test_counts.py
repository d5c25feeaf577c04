"""The one source of every count a page shows: the headline, weak organizations per unit, category and criterion,
with both forms' counts where 附件1 and the 一览表 disagree."""

from __future__ import annotations

import pandas as pd
from builders import f1_table, f2_table, f3_table, file_result, five_weak_orgs, org, returns_of

from weakorg import counts
from weakorg.consolidate import consolidate


def _picture():
    """娄星区 agrees with itself; 双峰县 states 5 weak organizations in 附件1 and lists 4 (a LIST_COUNT_MISMATCH)."""
    statuses = ["已转化", "已验收", "整顿中", None, None]
    done = [{**line, "status": s} for line, s in zip(five_weak_orgs(), statuses, strict=True)]
    return consolidate(
        returns_of(
            file_result("a.xlsx", f1_table(), f2_table(done), f3_table([org("甲村党支部", election_done=None)])),
            file_result("b.xlsx", f1_table(unit="双峰县"), f2_table(five_weak_orgs("双峰")[:4], "双峰县")),
        )
    )


def test_the_headline_has_rectified_and_re_elected_with_their_shares_and_both_counts_where_they_differ():
    pic = _picture()
    shown = {f.key: f for f in counts.headline(pic)}
    assert list(shown) == [
        "units_reported",
        "orgs_total",
        "weak_total",
        "weak_share",
        "done",
        "done_share",
        "villages",
        "villages_elected",
    ]
    assert shown["weak_total"].value == "10" and shown["weak_total"].note == "附件1填报10个 · 一览表列出9个"
    assert shown["done"].value == "2" and shown["done_share"].value == "22.2%"  # 2 of the 9 listed
    assert shown["done_share"].note == "按一览表所列9个计"  # beside 附件1's 10, the base is said
    assert shown["villages"].value == "1" and shown["villages_elected"].note == "换届完成率 0.0%"
    assert shown["units_reported"].value == f"2/{len(pic.units)}"


def test_the_headline_of_nothing_says_not_applicable_for_shares():
    pic = consolidate(returns_of())
    values = {f.key: f.value for f in counts.headline(pic)}
    assert values["weak_share"] == "——" and values["done_share"] == "——" and values["weak_total"] == "0"
    assert all(f.note is None for f in counts.headline(pic) if f.key in ("weak_total", "done_share"))


def test_weak_counts_per_unit_category_and_criterion_carry_both_forms():
    pic = _picture()
    by_unit = counts.weak_by(pic, "unit").set_index("unit")
    assert by_unit.loc["娄星区"].tolist() == [5, 5] and by_unit.loc["双峰县"].tolist() == [5, 4]
    assert counts.weak_by(pic, "category").set_index("category").loc["农村"].tolist() == [10, 9]
    crit = counts.weak_by_criterion(pic).set_index("criterion")
    assert crit[counts.REPORTED].sum() == pic.city["c1"] + sum(pic.city[f"c{n}"] for n in range(2, 7))
    listed = sum(len(c) for c in pic.weak_orgs["criteria"])
    assert crit[counts.LISTED].sum() == listed
    cells = counts.weak_by_unit_criterion(pic)
    assert cells.groupby("criterion")[counts.LISTED].sum().tolist() == crit[counts.LISTED].tolist()
    assert counts.gaps(pic) == ["双峰县：附件1填报5个 · 一览表列出4个"]
    assert [f.rule for f in counts.explaining(pic) if f.unit == "双峰县"].count("LIST_COUNT_MISMATCH") == 1


def test_the_list_a_chart_opens_says_both_counts_when_附件1_states_another():
    pic = _picture()
    assert counts.list_caption(pic, 9).startswith("共 9 个软弱涣散基层党组织（一览表所列）；附件1填报10个")
    assert counts.list_caption(pic, 9, narrowed=True) == "共 9 个软弱涣散基层党组织（一览表所列）。"
    reported_c4 = int(pic.summary["c4"].sum())
    assert (
        counts.list_caption(pic, reported_c4, criteria=(4,)) == f"共 {reported_c4} 个软弱涣散基层党组织（一览表所列）。"
    )
    assert counts.list_caption(pic, 3, criteria=(1, 2)) == "共 3 个软弱涣散基层党组织（一览表所列）。"  # no F1 figure


def test_a_list_whose_count_differs_names_the_findings_shown_under_it_and_a_duplicate_is_one():
    pic = _picture()
    found = counts.list_explaining(pic)
    assert [(f.unit, f.rule) for f in found] == [("双峰县", "LIST_COUNT_MISMATCH")]
    assert counts.list_caption(pic, 9).endswith(f"原因见下方“{counts.FINDINGS_BELOW}”。")
    pic.findings = [f for f in pic.findings if f.rule not in counts.COUNT_RULES]  # nothing says why
    assert counts.list_caption(pic, 9).endswith("请核对该单位的附件1与一览表。")
    assert counts.list_explaining(pic) == []
    twice = consolidate(
        returns_of(file_result("a.xlsx", f1_table(), f2_table([*five_weak_orgs(), five_weak_orgs()[0]]))),
    )
    assert {f.rule for f in counts.list_explaining(twice)} >= {"DUPLICATE_ORG"}


def test_the_progress_chart_says_both_counts_when_its_last_point_counts_the_list_and_附件1_states_another():
    pic = _picture()  # 附件1: 10 weak organizations; the 一览表: 9
    last = {"已转化": 2, "已验收": 1, "整顿中": 6}  # the 9 listed, by status, as of the last round
    rows = pd.DataFrame([{"已转化": 0, "已验收": 0, "整顿中": 9}, last])
    note = counts.progress_note(rows, pic)
    assert note is not None and "最近一轮共9个" in note and "为10个" in note and "不一致" in note
    earlier = pd.DataFrame([{"已转化": 0, "已验收": 0, "整顿中": 7}])  # another time than the picture's: no note
    assert counts.progress_note(earlier, pic) is None
    assert counts.progress_note(rows.iloc[:0], pic) is None
    agreeing = consolidate(returns_of(file_result("a.xlsx", f1_table(), f2_table(five_weak_orgs()))))
    assert counts.progress_note(pd.DataFrame([{"整顿中": 5}]), agreeing) is None  # both forms say 5


def test_a_criterion_whose_counts_differ_says_both_and_corrections_in_view_are_said():
    """counts.criterion_gaps: one line per criterion where 附件1's count and the 一览表's organizations meeting it
    disagree; counts.corrected_note: when analysts' corrections stand in view, that the 一览表's figures use them and
    附件1's do not."""
    from weakorg.store.corrections import apply_corrections, text_hash
    from weakorg.vocab import CRITERIA_SHORT

    pic = _picture()
    crit = counts.weak_by_criterion(pic).set_index("criterion")
    off = crit[crit[counts.REPORTED] != crit[counts.LISTED]]
    expected = [
        f"第（{n}）条 {CRITERIA_SHORT[n]}：附件1填报{r}个 · 一览表列出{c}个"
        for n, (r, c) in off[[counts.REPORTED, counts.LISTED]].iterrows()
    ]
    assert counts.criterion_gaps(pic) == expected and expected  # the fixture's 双峰县 lists one fewer
    assert counts.corrected_note(pic) is None

    first = pic.weak_orgs.iloc[0]
    before = crit.loc[6, counts.LISTED]
    fix = pd.DataFrame(
        [
            {
                "unit": first["unit"],
                "name": first["name"],
                "text_hash": text_hash(first["problems"]),
                "criteria": [*first["criteria"], 6],
                "flags": [],
            }
        ]
    )
    pic.weak_orgs = apply_corrections(pic.weak_orgs, fix)
    assert counts.weak_by_criterion(pic).set_index("criterion").loc[6, counts.LISTED] == before + (
        6 not in first["criteria"]
    )
    assert counts.corrected_note(pic).startswith("一览表中有1个党组织的判读经分析员研判更正或确认")  # both count


def test_a_gaps_findings_are_of_the_units_whose_forms_disagree_in_the_picture_shown(tmp_path):
    """冷水江市's criterion-6 gap is in its 医疗卫生单位 table: a 农村 picture, where it agrees, lists none of it."""
    from weakorg import app
    from weakorg.app import load_samples_if_empty
    from weakorg.store import Store

    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    assert load_samples_if_empty(store, demo=True)
    whole, rural = app.picture(store), app.picture(store, categories=["农村"])
    assert ("冷水江市", "CRITERIA_LIST_MISMATCH") in {(f.unit, f.rule) for f in counts.explaining(whole)}
    shown = {(f.unit, f.rule) for f in counts.explaining(rural)}
    assert ("冷水江市", "CRITERIA_LIST_MISMATCH") not in shown
    assert ("新化县", "LIST_COUNT_MISMATCH") in shown  # its 农村 counts disagree: still said
    store.engine.dispose()


def test_a_finding_of_no_known_unit_is_listed_as_the_pages_say_it():
    """The city's return's 说明 lists findings as the pages do: one of no known unit says 单位未识别, never None."""
    from weakorg.findings import finding
    from weakorg.vocab import NO_UNIT_LABEL

    lost = finding("UNKNOWN_UNIT", "填报单位不在名单中", unit=None, sheet="一览表", cell="A3")
    (line,) = counts.finding_lines([lost])
    assert line.startswith(f"{NO_UNIT_LABEL}｜一览表!A3｜") and "None" not in line
