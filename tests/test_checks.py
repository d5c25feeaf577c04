"""Every rule: a return that triggers it (rule, sheet, cell and the numbers in the message) and a clean one."""

from __future__ import annotations

import dataclasses
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
from readfiles import F2_ROWS, put_register, workbook, xlsx_bytes

from weakorg import privacy
from weakorg.campaign import default_campaign
from weakorg.checks import REGISTRY, run_checks
from weakorg.findings import RULES, finding
from weakorg.read import read_file
from weakorg.tables import returns_from_files
from weakorg.vocab import F1, F2, F3

IMPLEMENTED = {
    "BREAKDOWN_SUM",
    "WEAK_EXCEEDS_TOTAL",
    "CRITERION_EXCEEDS_WEAK",
    "CRITERIA_UNDERCOUNT",
    "PERCENT_MISMATCH",
    "LIST_COUNT_MISMATCH",
    "MEMBERS_INVALID",
    "SMALL_BRANCH",
    "PHONE_INVALID",
    "DUPLICATE_ORG",
    "LATE_SUBMISSION",
    "UNKNOWN_UNIT",
    "UNKNOWN_CATEGORY",
    "DUPLICATE_SUBMISSION",
    "CRITERIA_LIST_MISMATCH",
    "ORG_DROPPED",
    "SECRETARY_MISSING",
    "NOT_VILLAGE",
    "CRITERIA_TEXT_MISMATCH",
    "CATEGORY_NOT_IN_SUMMARY",
    "VILLAGE_NOT_LISTED",
    "DATE_OUT_OF_RANGE",
    "UNIT_MISMATCH",
    "CRITERIA_INVALID",
    "STATUS_INVALID",
    "ORG_NAME_MISSING",
}


def found(*files, code=None):
    """Findings of a batch, only those of ``code`` when given."""
    out = run_checks(returns_of(*files), default_campaign())
    return [f for f in out if code is None or f.rule == code]


def flat(findings):
    return [(f.rule, f.sheet, f.cell) for f in findings]


def clean_unit(name="a.xlsx", reported_on=ON_TIME, **kw):
    """A consistent unit: one F1 table, an F2 of five weak organizations, an F3 of one village."""
    return file_result(
        name,
        f1_table(reported_on=reported_on, **kw),
        f2_table(five_weak_orgs(), reported_on=reported_on),
        f3_table([org("甲村党支部")], reported_on=reported_on),
    )


def test_registry_holds_each_rule_once_and_only_catalogued_codes():
    codes = [r.code for r in REGISTRY]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(RULES)
    assert set(codes) >= IMPLEMENTED


def test_the_rules_that_read_problems_run_last_and_the_findings_keep_the_registry_order(monkeypatch):
    """The rules that need no reading of 主要问题 run while the reader's pool may still be reading them
    (criteria.await_readings): only a rule marked ``reads_problems`` reads one, and those run last."""
    import weakorg.checks as checks
    from weakorg.checks.registry import Context

    ran, reading = [], []
    real = Context.read_as_written

    def spy(self, form):
        reading.append(ran[-1])
        return real(self, form)

    def logged(r):
        return dataclasses.replace(r, check=lambda ctx: ran.append(r) or r.check(ctx))

    monkeypatch.setattr(Context, "read_as_written", spy)
    monkeypatch.setattr(checks, "REGISTRY", [logged(r) for r in REGISTRY])
    odd = [org(f"{n}村党支部", criteria_stated="1", problems="书记长期外出务工，支部工作无人主持。") for n in "甲乙"]
    batch = returns_of(clean_unit(), file_result("b.xlsx", f2_table([*five_weak_orgs("丙"), *odd])))
    out = run_checks(batch, default_campaign())
    assert reading and all(r.reads_problems for r in reading)
    marked = [r.reads_problems for r in ran]
    assert marked == sorted(marked) and any(marked)  # every marked rule after every other
    ctx = Context(batch, default_campaign())
    assert out == [f for r in REGISTRY for f in r.check(ctx)]  # the order of the registry, as if run in it
    assert {f.rule for f in out} & {r.code for r in REGISTRY if r.reads_problems}


def test_a_consistent_return_has_no_findings():
    assert found(clean_unit()) == []


def test_reading_findings_are_carried():
    read = finding("DATE_INVALID", "填表时间“2014年”无法识别。", file="a.xlsx", sheet="附件1", cell="E3")
    fr = clean_unit()
    fr.findings.append(read)
    assert found(fr) == [read]


# --- F1 arithmetic ---------------------------------------------------------------------------------


def test_breakdown_sum():
    fs = found(file_result("a.xlsx", f1_table(orgs_total=590, party_committees=3, general_branches=5, branches=580)))
    sums = [f for f in fs if f.rule == "BREAKDOWN_SUM"]
    assert flat(sums) == [("BREAKDOWN_SUM", "附件1", "B5")]
    assert "党委(3)+党总支(5)+党支部(580)=588" in sums[0].message
    assert "590" in sums[0].message and "B5:B8" in sums[0].message
    assert (sums[0].file, sums[0].unit, sums[0].category, sums[0].form) == ("a.xlsx", "娄星区", "农村", F1)


def test_breakdown_sum_counts_a_blank_kind_as_zero():
    fs = found(file_result("a.xlsx", f1_table(orgs_total=98, party_committees=None)), code="BREAKDOWN_SUM")
    assert fs == []


def test_weak_exceeds_total():
    t = f1_table(orgs_total=4, party_committees=0, general_branches=0, branches=4, weak_total=5)
    fs = found(file_result("a.xlsx", t), code="WEAK_EXCEEDS_TOTAL")
    assert flat(fs) == [("WEAK_EXCEEDS_TOTAL", "附件1", "B9")]
    assert "5" in fs[0].message and "4" in fs[0].message
    assert found(clean_unit(), code="WEAK_EXCEEDS_TOTAL") == []


def test_criterion_exceeds_weak():
    fs = found(file_result("a.xlsx", f1_table(c4=7)), code="CRITERION_EXCEEDS_WEAK")
    assert flat(fs) == [("CRITERION_EXCEEDS_WEAK", "附件1", "B13")]
    assert "（4）" in fs[0].message and "7" in fs[0].message


def test_criteria_undercount():
    fs = found(file_result("a.xlsx", f1_table(c1=1, c2=0, c3=0, c4=1, c5=1, c6=0)), code="CRITERIA_UNDERCOUNT")
    assert flat(fs) == [("CRITERIA_UNDERCOUNT", "附件1", "B9")]
    assert "合计3个" in fs[0].message and "B10:B15" in fs[0].message


def test_percent_mismatch_names_the_cell_and_both_numbers():
    fs = found(file_result("a.xlsx", f1_table(pcts={"weak_total_pct_orgs": 6.0})), code="PERCENT_MISMATCH")
    assert flat(fs) == [("PERCENT_MISMATCH", "附件1", "C9")]
    assert "6" in fs[0].message and "5.0" in fs[0].message


def test_percent_mismatch_against_the_weak_total():
    fs = found(file_result("a.xlsx", f1_table(pcts={"c1_pct_weak": 20.0})), code="PERCENT_MISMATCH")
    assert flat(fs) == [("PERCENT_MISMATCH", "附件1", "D10")]


@pytest.mark.parametrize("written", [5.0, 5.04, 4.95, 0.05])
def test_percent_within_a_tenth_or_written_as_a_fraction_is_fine(written):
    fs = found(file_result("a.xlsx", f1_table(pcts={"weak_total_pct_orgs": written})), code="PERCENT_MISMATCH")
    assert fs == []


# --- registers -------------------------------------------------------------------------------------


def test_members_invalid_missing_fractional_and_zero():
    lines = [
        org("甲村党支部", members=None, members_raw=None),
        org("乙村党支部", members=12.5, members_raw="12.5"),
        org("丙村党支部", members=0, members_raw="0"),
        org("丁村党支部", members=None, members_raw="若干"),
        org("戊村党支部", members=30),
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="MEMBERS_INVALID")
    assert flat(fs) == [("MEMBERS_INVALID", "附件2", f"C{r}") for r in (5, 6, 7, 8)]
    assert [f.org for f in fs] == ["甲村党支部", "乙村党支部", "丙村党支部", "丁村党支部"]
    assert "12.5" in fs[1].message and "若干" in fs[3].message
    assert {f.form for f in fs} == {F2}


def test_members_invalid_far_beyond_any_organization():
    lines = [
        org("甲村党支部", members=1e15, members_raw="1000000000000000"),
        org("乙镇党委", members=99_999, members_raw="99999"),  # a large 党委, read as written
        org("丙村党支部", members=350_000, members_raw="350000"),
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="MEMBERS_INVALID")
    assert flat(fs) == [("MEMBERS_INVALID", "附件2", "C5"), ("MEMBERS_INVALID", "附件2", "C7")]
    assert all("远超" in f.message for f in fs) and "C5" in fs[0].message
    assert "党员数为350000，" in fs[1].message  # as written (a run of digits as long as a phone's is masked)


def test_members_invalid_never_quotes_a_phone_or_the_secretary_typed_in_the_cell():
    lines = [
        org("甲村党支部", members=None, members_raw="张三"),
        org("乙村党支部", members=None, members_raw="电话13907381234"),
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="MEMBERS_INVALID")
    assert flat(fs) == [("MEMBERS_INVALID", "附件2", "C5"), ("MEMBERS_INVALID", "附件2", "C6")]
    assert "张三" not in fs[0].message and f"“{privacy.NAME_MASK}”不是数字" in fs[0].message
    assert "13907381234" not in fs[1].message and "139****1234" in fs[1].message


def test_members_invalid_in_the_village_register():
    fs = found(file_result("a.xlsx", f3_table([org("甲村党支部", members=None, members_raw="")])))
    assert flat([f for f in fs if f.rule == "MEMBERS_INVALID"]) == [("MEMBERS_INVALID", "附件3", "C5")]
    assert fs[0].form == F3


def test_small_branch():
    lines = [org("甲村党支部", members=2), org("乙村党总支", members=2), org("丙村党支部", members=3)]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="SMALL_BRANCH")
    assert flat(fs) == [("SMALL_BRANCH", "附件2", "C5")]
    assert fs[0].org == "甲村党支部" and "2名" in fs[0].message


def test_a_register_finding_carries_the_line_s_canonical_category():
    fs = found(file_result("a.xlsx", f2_table([org("某社区党支部", members=2, category="社区")])))
    assert [(f.rule, f.category) for f in fs] == [("SMALL_BRANCH", "街道社区")]


@pytest.mark.parametrize("phone", ["13907381234", "139 0738 1234", "13907381234.0", "0738-8221234", "07388221234", ""])
def test_valid_or_blank_phones_pass(phone):
    fs = found(file_result("a.xlsx", f2_table([org("甲村党支部", phone=phone or None)])), code="PHONE_INVALID")
    assert fs == []


def test_phone_invalid():
    lines = [org("甲村党支部", phone="1390738123"), org("乙村党支部", phone="8351234"), org("丙村党支部", phone="空缺")]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="PHONE_INVALID")
    assert flat(fs) == [("PHONE_INVALID", "附件2", "F5"), ("PHONE_INVALID", "附件2", "F6")]
    # what to fix and where, never the number (personal data), masked or not
    assert "有10位数字" in fs[0].message and "文件《a.xlsx》工作表“附件2”单元格F5" in fs[0].message
    assert "1390738123" not in fs[0].message and "8351234" not in fs[1].message and "有7位数字" in fs[1].message
    assert "0738" in fs[0].message  # the example of a landline stays


def test_duplicate_org_in_one_file():
    lines = [org("甲村党支部"), org("乙村党支部"), org("甲村 党支部")]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="DUPLICATE_ORG")
    assert flat(fs) == [("DUPLICATE_ORG", "附件2", "B7")]
    assert "B5" in fs[0].message


def test_duplicate_org_across_files_of_the_same_round():
    a = file_result("a.xlsx", f2_table([org("甲村党支部", category="农村")]))
    b = file_result("b.xlsx", f2_table([org("甲村党支部", category="学校")]))
    fs = found(a, b, code="DUPLICATE_ORG")
    assert [(f.file, f.cell) for f in fs] == [("b.xlsx", "B5")]
    assert "a.xlsx" in fs[0].message


def test_one_organization_listed_by_two_units_is_a_duplicate_naming_both():
    a = file_result("娄星区.xlsx", f2_table([org("杉山镇联合村党支部"), org("实验小学党支部")], unit="娄星区"))
    b = file_result("双峰县.xlsx", f2_table([org("杉山镇联合村党支部"), org("实验小学党支部")], unit="双峰县"))
    fs = found(a, b, code="DUPLICATE_ORG")  # a generic name (实验小学) may be two schools: not flagged
    assert sorted((f.unit, f.file, f.cell, f.org) for f in fs) == [
        ("双峰县", "双峰县.xlsx", "B5", "杉山镇联合村党支部"),
        ("娄星区", "娄星区.xlsx", "B5", "杉山镇联合村党支部"),
    ]
    for f in fs:
        assert "娄星区" in f.message and "双峰县" in f.message and "附件2!B5" in f.message


def test_an_organization_carrying_its_unit_name_listed_by_another_unit_is_a_duplicate():
    a = file_result("a.xlsx", f2_table([org("新化县实验小学党支部")], unit="新化县"))
    b = file_result("b.xlsx", f2_table([org("新化县实验小学党支部")], unit="涟源市"))
    assert {f.unit for f in found(a, b, code="DUPLICATE_ORG")} == {"新化县", "涟源市"}


def test_the_same_org_in_successive_rounds_is_history_not_a_duplicate():
    a = file_result("a.xlsx", f2_table([org("甲村党支部")], reported_on=ON_TIME))
    b = file_result("b.xlsx", f2_table([org("甲村党支部", status="整顿中")], reported_on=LATER))
    assert found(a, b, code="DUPLICATE_ORG") == []


def test_a_resent_copy_is_not_a_duplicate_org():
    a = file_result("a.xlsx", f2_table(five_weak_orgs()))
    b = file_result("b.xlsx", f2_table(five_weak_orgs()))
    fs = found(a, b)
    assert "DUPLICATE_ORG" not in {f.rule for f in fs}
    assert [f.rule for f in fs] == ["DUPLICATE_SUBMISSION"]


# --- across returns --------------------------------------------------------------------------------


def test_list_count_mismatch():
    fr = file_result("a.xlsx", f1_table(), f1_table(category="学校", weak_total=1, c1=1, c2=0, c3=0, c4=0, c5=0))
    fr.tables.append(f2_table(five_weak_orgs()))
    fs = found(fr, code="LIST_COUNT_MISMATCH")
    assert [(f.rule, f.sheet, f.unit, f.form) for f in fs] == [("LIST_COUNT_MISMATCH", "附件2", "娄星区", F2)]
    assert "5个党组织" in fs[0].message and "合计6个" in fs[0].message and "学校1个" in fs[0].message


def test_list_count_mismatch_says_a_count_left_blank_and_names_both_files():
    summary = file_result("汇总.xlsx", f1_table(), f1_table(category="学校", weak_total=None))
    (f,) = found(summary, file_result("一览.xlsx", f2_table(five_weak_orgs()[:4])), code="LIST_COUNT_MISMATCH")
    assert "学校未填" in f.message and "空个" not in f.message
    assert "“一览.xlsx”" in f.message and "“汇总.xlsx”" in f.message  # the county sees which files to compare
    assert "填表时间不同" not in f.message  # the same round


def test_list_count_mismatch_says_when_the_two_forms_are_of_different_dates():
    summary = file_result("汇总-0415.xlsx", f1_table(reported_on=date(2014, 4, 15)))
    register = file_result("一览-0319.xlsx", f2_table(five_weak_orgs()[:4], reported_on=date(2014, 3, 19)))
    (f,) = found(summary, register, code="LIST_COUNT_MISMATCH")
    assert "（两者填表时间不同：" in f.message and "为2014年3月19日，" in f.message
    assert f.message.endswith("为2014年4月15日；各以最近一次报送比较。）")


def test_list_count_mismatch_of_a_register_sent_with_no_line():
    summary = file_result("汇总.xlsx", f1_table(reported_on=LATER))
    first = file_result("一览.xlsx", f2_table(five_weak_orgs()))
    (f,) = found(summary, first, file_result("空.xlsx", f2_table([], reported_on=LATER)), code="LIST_COUNT_MISMATCH")
    assert "“空.xlsx”列出0个党组织" in f.message and f.file == "空.xlsx"  # not the five of the earlier 一览表
    assert found(summary, first, code="LIST_COUNT_MISMATCH") == []


def test_list_count_compares_the_latest_returns():
    first = file_result("a.xlsx", f1_table(), f2_table(five_weak_orgs()))
    later_f1 = file_result("b.xlsx", f1_table(reported_on=LATER, weak_total=4, c1=1))
    later_f2 = file_result("c.xlsx", f2_table(five_weak_orgs()[:4], reported_on=LATER))
    assert found(first, later_f1, later_f2, code="LIST_COUNT_MISMATCH") == []
    assert len(found(first, later_f1, code="LIST_COUNT_MISMATCH")) == 1


def _stating(criteria: list[str]) -> list[dict]:
    return [org(f"{n}村党支部", criteria_stated=c) for n, c in zip("甲乙丙丁戊", criteria, strict=True)]


def test_criteria_list_mismatch():
    # F1: c1..c6 = 2,1,1,1,1,0; the register states criterion 1 only once and criterion 6 once.
    lines = _stating(["1", "2", "3、6", "4", "5"])
    fs = found(file_result("a.xlsx", f1_table(), f2_table(lines)), code="CRITERIA_LIST_MISMATCH")
    assert [(f.sheet, f.form, f.unit) for f in fs] == [("附件2", F2, "娄星区")] * 2
    assert "第（1）条标准的合计2个" in fs[0].message and "有1个" in fs[0].message
    assert "第（6）条标准的合计0个" in fs[1].message and "有1个" in fs[1].message


def test_criteria_list_agrees_or_is_not_stated():
    agree = file_result("a.xlsx", f1_table(), f2_table(_stating(["1", "1、2", "3", "4", "5"])))
    assert found(agree, code="CRITERIA_LIST_MISMATCH") == []
    partly = file_result("a.xlsx", f1_table(), f2_table(_stating(["1", "", "", "", ""])))
    assert found(partly, code="CRITERIA_LIST_MISMATCH") == []


def test_criteria_list_mismatch_reads_the_problems_where_nothing_is_stated():
    lines = five_weak_orgs()
    lines[2] = {**lines[2], "problems": "书记长期在外经商"}  # 1 instead of 2
    fs = found(file_result("a.xlsx", f1_table(), f2_table(lines)), code="CRITERIA_LIST_MISMATCH")
    assert ["（1）条标准的合计2个" in f.message and "有3个" in f.message for f in fs] == [True, False]
    assert "（2）条标准的合计1个" in fs[1].message and "有0个" in fs[1].message
    blank = [{**line, "problems": None} for line in five_weak_orgs()]
    assert found(file_result("a.xlsx", f1_table(), f2_table(blank)), code="CRITERIA_LIST_MISMATCH") == []


def test_criteria_text_mismatch():
    lines = [
        org("甲村党支部", problems="书记长期外出务工，支部已6年未换届。", criteria_stated="1"),
        org("乙村党支部", problems="书记长期外出务工。", criteria_stated="1"),  # agrees
        org("丙村党支部", problems="村集体经济薄弱。", criteria_stated="5"),  # the text names none: no judgement
        org("丁村党支部", problems="三会一课不落实。"),  # nothing stated
        org("戊村党支部", problems="书记长期外出务工。", criteria_stated="1、5"),  # 5 not recognised: no judgement
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="CRITERIA_TEXT_MISMATCH")
    assert flat(fs) == [("CRITERIA_TEXT_MISMATCH", "附件2", "H5")]
    assert "填为第（1）条标准" in fs[0].message and "还符合第（4）条标准" in fs[0].message and "未换届" in fs[0].message
    assert fs[0].org == "甲村党支部" and "D5" in fs[0].message


def test_criteria_text_mismatch_quotes_the_words_of_the_criterion_not_the_person():
    text = "书记张三长期外出务工，与村主任李四不和，电话13907381234。"
    fs = found(file_result("a.xlsx", f2_table([org("甲村党支部", problems=text, criteria_stated="5")])))
    (f,) = [f for f in fs if f.rule == "CRITERIA_TEXT_MISMATCH"]
    assert "张三" not in f.message and "李四" not in f.message and "13907381234" not in f.message
    assert "还符合第（1）（3）条标准" in f.message and "外出务工" in f.message


def test_criteria_invalid():
    lines = [
        org("甲村党支部", criteria_stated="7"),  # no criterion 7
        org("乙村党支部", criteria_stated="1、7"),  # 1 would be counted, 7 dropped without a word
        org("丙村党支部", criteria_stated="10"),  # read as 1
        org("丁村党支部", criteria_stated="见主要问题"),  # no number at all
        org("戊村党支部", criteria_stated="1、5"),
        org("己村党支部", criteria_stated="（1）（5）"),
        org("庚村党支部", criteria_stated="①⑤"),
        org("辛村党支部", criteria_stated="一、五"),
        org("壬村党支部", criteria_stated="——"),  # not stated: the text is read
        org("癸村党支部"),
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="CRITERIA_INVALID")
    assert flat(fs) == [("CRITERIA_INVALID", "附件2", f"H{r}") for r in (5, 6, 7, 8)]
    assert {f.severity for f in fs} == {RULES["CRITERIA_INVALID"].severity} == {"error"}
    assert fs[0].org == "甲村党支部" and fs[0].form == F2
    assert "“符合标准（1-6）”填为“7”" in fs[0].message and "只能填第1至6条标准的编号" in fs[0].message
    assert "文件《a.xlsx》工作表“附件2”单元格H5" in fs[0].message and "（6）服务差/满意率低" in fs[0].message
    assert found(clean_unit(), code="CRITERIA_INVALID") == []


def test_status_invalid():
    lines = [
        org("甲村党支部", status="差不多了"),
        org("乙村党支部", status="已转化"),
        org("丙村党支部", status=" 整顿中 "),
        org("丁村党支部", status="/"),
        org("戊村党支部", status="张三在抓"),  # a name typed in the cell is not quoted
        org("己村党支部"),
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="STATUS_INVALID")
    assert flat(fs) == [("STATUS_INVALID", "附件2", "I5"), ("STATUS_INVALID", "附件2", "I9")]
    assert fs[0].severity == "error" and fs[0].org == "甲村党支部"
    assert "“整顿进展”填为“差不多了”" in fs[0].message and "未启动、整顿中、已转化、已验收" in fs[0].message
    assert "单元格I5" in fs[0].message and "张三" not in fs[1].message
    assert found(clean_unit(), code="STATUS_INVALID") == []


def test_secretary_missing():
    lines = [
        org("甲村党支部", secretary=None, problems="三会一课不落实。"),
        org("乙村党支部", secretary=None, problems="书记职位空缺半年，人选未落实。"),  # the text says vacant
        org("丙村党支部", secretary="空缺", problems="三会一课不落实。"),  # the cell says vacant
        org("丁村党支部", secretary="无", problems="三会一课不落实。"),
    ]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="SECRETARY_MISSING")
    assert flat(fs) == [("SECRETARY_MISSING", "附件2", "E5"), ("SECRETARY_MISSING", "附件2", "E8")]
    assert "空缺" in fs[0].message and "D5" in fs[0].message
    f3 = found(file_result("a.xlsx", f3_table([org("甲村党支部", secretary=None, problems="宗族干扰")])))
    assert flat([f for f in f3 if f.rule == "SECRETARY_MISSING"]) == [("SECRETARY_MISSING", "附件3", "G5")]
    assert found(clean_unit(), code="SECRETARY_MISSING") == []


def test_a_secretary_cell_saying_vacant_is_read_as_said(tmp_path):
    """Through the reader: a clerk who writes 空缺 in the cell, as the warning asks, is not warned again."""
    lines = [
        dict(F2_ROWS[0], name="甲村党支部", secretary="空缺", problems="三会一课不落实。"),
        dict(F2_ROWS[0], name="乙村党支部", secretary=None, problems="三会一课不落实。"),
    ]
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes(workbook(("附件2", lambda ws: put_register(ws, F2, lines)))))
    fs = [
        f
        for f in run_checks(returns_from_files([read_file(path)]), default_campaign())
        if f.rule == "SECRETARY_MISSING"
    ]
    assert [(f.org, f.cell) for f in fs] == [("乙村党支部", "E6")]


def test_not_village():
    lines = [org("甲村党支部"), org("新村社区党支部"), org("农村信用社党支部"), org("乙村")]
    fs = found(file_result("a.xlsx", f3_table(lines)), code="NOT_VILLAGE")
    assert flat(fs) == [("NOT_VILLAGE", "附件3", "B6"), ("NOT_VILLAGE", "附件3", "B7")]
    assert fs[0].org == "新村社区党支部" and fs[0].form == F3
    assert found(clean_unit(), code="NOT_VILLAGE") == []


def test_category_not_in_summary():
    lines = [
        *five_weak_orgs()[:3],
        org("某某中学党支部"),  # inferred 学校: no 学校 table
        org("丁村党支部", category="机关"),  # stated 机关: no 机关 table
        org("宏达机械有限公司党支部"),  # a firm, and the unit has no firm table
    ]
    fr = file_result("a.xlsx", f1_table(weak_total=6, c6=1), f2_table(lines))
    fs = found(fr, code="CATEGORY_NOT_IN_SUMMARY")
    assert flat(fs) == [
        ("CATEGORY_NOT_IN_SUMMARY", "附件2", "B8"),
        ("CATEGORY_NOT_IN_SUMMARY", "附件2", "G9"),
        ("CATEGORY_NOT_IN_SUMMARY", "附件2", "B10"),
    ]
    assert "“学校”（按其名称推断）" in fs[0].message and "现有：农村" in fs[0].message
    assert "“机关”（按其党组织类别栏）" in fs[1].message
    assert "国有企业或非公有制经济组织" in fs[2].message


def test_category_not_in_summary_a_firm_is_the_kind_the_unit_files():
    fr = file_result(
        "a.xlsx",
        f1_table(category="非公有制经济组织", weak_total=1, c1=1, c2=0, c3=0, c4=0, c5=0),
        f2_table([org("宏达机械有限公司党支部", problems="书记长期外出经商。")]),
    )
    assert found(fr) == []
    assert found(clean_unit(), code="CATEGORY_NOT_IN_SUMMARY") == []


def test_village_not_listed():
    fr = file_result("a.xlsx", f2_table(five_weak_orgs()), f3_table([org("甲村党支部"), org("庚村党支部")]))
    fs = found(fr, code="VILLAGE_NOT_LISTED")
    assert flat(fs) == [("VILLAGE_NOT_LISTED", "附件3", "B6")]
    assert fs[0].severity == "info" and "庚村党支部" in fs[0].message
    assert found(clean_unit(), code="VILLAGE_NOT_LISTED") == []


def test_late_submission_only_for_the_first_return():
    late = file_result("a.xlsx", f1_table(reported_on=date(2014, 3, 15)), f2_table(five_weak_orgs()))
    fs = found(late, code="LATE_SUBMISSION")
    assert flat(fs) == [("LATE_SUBMISSION", "附件1", "E3")]
    assert "2014年3月15日" in fs[0].message and "2014年3月12日" in fs[0].message
    update = file_result("b.xlsx", f1_table(reported_on=LATER), f2_table(five_weak_orgs(), reported_on=LATER))
    assert found(clean_unit(), update, code="LATE_SUBMISSION") == []


def test_late_submission_per_category():
    fr = file_result("a.xlsx", f1_table(), f1_table(category="学校", reported_on=date(2014, 3, 13), sheet="学校"))
    assert flat(found(fr, code="LATE_SUBMISSION")) == [("LATE_SUBMISSION", "学校", "E3")]


def test_date_out_of_range_after_today_or_long_before_the_campaign():
    future = file_result("a.xlsx", f1_table(reported_on=date(2099, 1, 1)), f2_table(five_weak_orgs()))
    fs = [f for f in run_checks(returns_of(future), default_campaign(), today=date(2014, 5, 1))]
    fs = [f for f in fs if f.rule == "DATE_OUT_OF_RANGE"]
    assert flat(fs) == [("DATE_OUT_OF_RANGE", "附件1", "E3")] and fs[0].severity == "warning"
    assert "填表时间2099年1月1日晚于今天（2014年5月1日）" in fs[0].message and "经分析员确认后" in fs[0].message
    old = file_result("b.xlsx", f1_table(reported_on=date(2013, 3, 11)), f2_table(five_weak_orgs()))
    fs = [f for f in run_checks(returns_of(old), default_campaign(), today=date(2014, 5, 1))]
    assert [f.cell for f in fs if f.rule == "DATE_OUT_OF_RANGE"] == ["E3"]
    assert "早于本次整顿截止日期2014年3月12日一年以上" in next(f.message for f in fs if f.rule == "DATE_OUT_OF_RANGE")
    typo = file_result("c.xlsx", f1_table(reported_on=date(2024, 4, 28)), f2_table(five_weak_orgs()))
    fs = [f for f in run_checks(returns_of(typo), default_campaign(), today=date(2026, 12, 6))]
    (f,) = [f for f in fs if f.rule == "DATE_OUT_OF_RANGE"]
    assert f.cell == "E3" and "晚于本次整顿最后一次报送日期2014年4月30日一年以上（年份是否写错？）" in f.message


def test_date_out_of_range_not_for_a_date_within_the_campaign_nor_today_itself():
    edge = file_result("a.xlsx", f1_table(reported_on=date(2013, 3, 12)), f2_table(five_weak_orgs()))
    today = file_result("b.xlsx", f1_table(reported_on=date(2014, 5, 1)), f2_table(five_weak_orgs()))
    fs = run_checks(returns_of(edge, today), default_campaign(), today=date(2014, 5, 1))
    assert [f for f in fs if f.rule == "DATE_OUT_OF_RANGE"] == []
    follow_up = file_result("c.xlsx", f1_table(reported_on=date(2015, 4, 30)), f2_table(five_weak_orgs()))
    fs = run_checks(returns_of(follow_up), default_campaign(), today=date(2026, 12, 6))  # a year after the last round
    assert [f for f in fs if f.rule == "DATE_OUT_OF_RANGE"] == []


def test_unit_mismatch_when_names_carry_another_units_name():
    villages = [org("双峰县甲镇乙村党支部"), org("双峰县甲镇丙村党支部"), org("丁村党支部")]
    fr = file_result("a.xlsx", f1_table(), f2_table(five_weak_orgs()), f3_table(villages))
    fs = found(fr, code="UNIT_MISMATCH")
    assert len(fs) == 1 and (fs[0].severity, fs[0].org, fs[0].form) == ("warning", "双峰县甲镇乙村党支部", "F3")
    assert "表头的填报单位为娄星区，但其中2个党组织的名称带有双峰县" in fs[0].message
    assert "13907381234" not in fs[0].message and "张三" not in fs[0].message
    own = file_result("b.xlsx", f1_table(), f2_table(five_weak_orgs()), f3_table([org("娄星区甲镇乙村党支部")]))
    assert found(own, code="UNIT_MISMATCH") == []


def test_unit_mismatch_when_another_unit_reported_the_same_organizations():
    from weakorg.checks.registry import Context
    from weakorg.checks.units import stored_elsewhere

    villages = [org("甲村党支部"), org("乙村党支部"), org("丙村党支部")]
    fr = file_result("a.xlsx", f3_table(villages))
    ctx = Context(returns_of(fr), default_campaign())
    stored = pd.DataFrame(
        {"unit": ["双峰县"] * 3 + ["娄星区"], "name": ["甲村党支部", "乙村党支部", "戊村", "丙村党支部"]}
    )
    fs = stored_elsewhere(ctx, stored)
    assert [(f.rule, f.unit, f.org) for f in fs] == [("UNIT_MISMATCH", "娄星区", "甲村党支部")]
    assert "其中2个党组织已由双峰县报送过" in fs[0].message
    assert stored_elsewhere(ctx, stored[stored["name"] != "乙村党支部"]) == []  # one alone proves nothing


def test_unknown_unit_once_per_file():
    fr = file_result(
        "a.xlsx",
        f1_table(unit=None, unit_raw="某某县委组织部"),
        f2_table(five_weak_orgs(), unit=None, unit_raw="某某县"),
    )
    fs = found(fr, code="UNKNOWN_UNIT")
    assert flat(fs) == [("UNKNOWN_UNIT", "附件1", "A3")]
    assert "某某县委组织部" in fs[0].message
    assert found(clean_unit(), code="UNKNOWN_UNIT") == []


def test_unknown_unit_of_a_register_with_no_line():
    fs = found(file_result("难点村.xlsx", f3_table([], unit=None, unit_raw="某某县")), code="UNKNOWN_UNIT")
    assert flat(fs) == [("UNKNOWN_UNIT", "附件3", "B3")]
    assert "某某县" in fs[0].message and fs[0].file == "难点村.xlsx" and fs[0].form == F3
    assert found(file_result("难点村.xlsx", f3_table([])), code="UNKNOWN_UNIT") == []


def test_org_name_missing_on_a_line_that_says_something():
    lines = [org("甲村党支部"), org(None, problems="书记长期外出"), org("丙村党支部")]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="ORG_NAME_MISSING")
    assert flat(fs) == [("ORG_NAME_MISSING", "附件2", "B6")]
    assert "第6行" in fs[0].message and "B6" in fs[0].message
    assert found(clean_unit(), code="ORG_NAME_MISSING") == []


def test_unknown_category():
    fs = found(file_result("a.xlsx", f1_table(category=None, category_raw="其他")), code="UNKNOWN_CATEGORY")
    assert flat(fs) == [("UNKNOWN_CATEGORY", "附件1", "C3")]
    assert "“其他”" in fs[0].message
    # what the table takes out of the city's sums until it is corrected, said (f1_table: 100 organizations, 5 weak)
    assert fs[0].message.endswith("改正前，该表（所辖基层党组织100个、软弱涣散基层党组织5个）不计入任何类别及合计。")


def test_unknown_category_of_a_register_line():
    lines = [
        org("甲村党支部", category="合作社"),
        org("乙村党支部", category="村"),  # an alias the reader maps
        org("丙社区党支部", category="社区党组织"),
        org("丁村党支部", category="无"),
        org("戊村党支部"),
    ]
    fs = found(file_result("a.xlsx", f1_table(), f2_table(lines)), code="UNKNOWN_CATEGORY")
    assert flat(fs) == [("UNKNOWN_CATEGORY", "附件2", "G5")]
    (f,) = fs
    assert (f.severity, f.org, f.form, f.category) == ("error", "甲村党支部", F2, None)
    assert "党组织类别“合作社”不是九类之一" in f.message and "单元格G5" in f.message
    assert "农村（村）" in f.message and "非公有制经济组织（非公企业" in f.message and "社会组织" in f.message


def test_duplicate_submission_names_the_standing_upload():
    a, b = clean_unit("a.xlsx"), clean_unit("b.xlsx")
    fs = found(a, b)
    assert {f.rule for f in fs} == {"DUPLICATE_SUBMISSION"}
    assert sorted((f.form, f.file, f.category) for f in fs) == [
        (F1, "a.xlsx", "农村"),
        (F2, "a.xlsx", None),
        (F3, "a.xlsx", None),
    ]
    assert all("以后上传的“b.xlsx”为准" in f.message and f.severity == "info" for f in fs)


def test_a_later_date_is_an_update_not_a_duplicate_submission():
    assert found(clean_unit("a.xlsx"), clean_unit("b.xlsx", reported_on=LATER), code="DUPLICATE_SUBMISSION") == []


def test_refused_files_bring_no_rule_findings():
    assert found(rejected("x.docx")) == []


def test_every_registered_rule_has_a_test():
    names = [n for n in globals() if n.startswith("test_")]
    untested = [r.code for r in REGISTRY if not any(n.startswith(f"test_{r.code.lower()}") for n in names)]
    assert untested == []


def test_org_dropped_from_the_latest_register_without_turning_around():
    first = [org("甲村党支部", status="整顿中"), org("乙村党支部", status="已转化"), org("丙村党支部")]
    later = [org("甲村党支部 ", status="已转化")]  # the same organization, written with a stray space
    before = file_result("a.xlsx", f2_table(first, reported_on=ON_TIME))
    now = file_result("b.xlsx", f2_table(later, reported_on=LATER))
    (f,) = found(before, now, code="ORG_DROPPED")
    assert (f.org, f.file, f.sheet, f.unit, f.form) == ("丙村党支部", "b.xlsx", "附件2", "娄星区", F2)
    assert "“a.xlsx”中列有“丙村党支部”（整顿进展：未填写）" in f.message and "2014年4月20日" in f.message
    assert found(before, code="ORG_DROPPED") == []  # one register: nothing to compare
    same_day = file_result("a更正.xlsx", f2_table(later, reported_on=ON_TIME))
    assert found(before, same_day, code="ORG_DROPPED") == []  # a same-day correction is not a later register
    emptied = file_result("c.xlsx", f2_table([], reported_on=LATER))  # a later 一览表 with no line at all
    said = found(before, emptied, code="ORG_DROPPED")
    assert [(f.org, f.file) for f in said] == [("甲村党支部", "c.xlsx"), ("丙村党支部", "c.xlsx")]  # not 已转化 乙


def test_percent_mismatch_says_the_share_rounded_half_up_as_a_clerk_rounds():
    from weakorg.vocab import rounded

    assert (rounded(6.25), rounded(5 / 80 * 100), rounded(3.125, 2), rounded(4.9), rounded(0, 2)) == (
        "6.3", "6.3", "3.13", "4.9", "0.00",
    )  # fmt: skip
    fs = found(file_result("a.xlsx", f1_table(pcts={"c1_pct_weak": 20.0})), code="PERCENT_MISMATCH")
    assert "计算应为" in fs[0].message and "应为40.0" in fs[0].message


@pytest.mark.parametrize(
    "written",
    ["139-0738-3333", "(0738)8221234", "（0738）8221234", "+86 13907383333", "139 0738 3333",
     "13907383333/0738-8221234", "0738-8221234转801"],
)  # fmt: skip
def test_a_phone_written_as_clerks_write_it_is_fine(written):
    fs = found(
        file_result("a.xlsx", f2_table([org("甲村党支部", phone=written, phone_raw=written)])), code="PHONE_INVALID"
    )
    assert fs == []


def test_a_phone_of_eleven_digits_that_is_no_mobile_says_so_without_contradicting_itself():
    lines = [org("甲村党支部", phone="12345678901", phone_raw="12345678901"), org("乙村党支部", phone="8221234")]
    fs = found(file_result("a.xlsx", f2_table(lines)), code="PHONE_INVALID")
    assert "有11位数字，但不是手机号（手机号以13至19开头）" in fs[0].message
    assert "有7位数字，既不是11位手机号" in fs[1].message


def test_an_unknown_unit_says_the_table_counts_for_none_and_what_it_likely_meant():
    """A header's unit mistyped (双锋县): the 一览表 counts for no unit until corrected, and the finding says so,
    naming the unit the file's other tables give, else the unit the name is a character off."""
    typo = file_result(
        "双峰县.xlsx", f1_table(unit="双峰县"), f2_table(five_weak_orgs(), unit=None, unit_raw="中共双锋县委组织部")
    )
    (f,) = found(typo, code="UNKNOWN_UNIT")
    assert f.sheet == "附件2" and "改正前该表不计入任何单位" in f.message
    assert "本文件其他表格填的是双峰县" in f.message
    (alone,) = found(
        file_result("b.xlsx", f2_table(five_weak_orgs(), unit=None, unit_raw="涟原市")), code="UNKNOWN_UNIT"
    )
    assert "是否应为“涟源市”" in alone.message
    (none,) = found(
        file_result("c.xlsx", f2_table(five_weak_orgs(), unit=None, unit_raw="某某县")), code="UNKNOWN_UNIT"
    )
    assert "是否应为" not in none.message and "如娄星区" in none.message


def test_the_campaign_offers_the_one_unit_a_name_is_a_character_off():
    campaign = default_campaign()
    assert campaign.nearest_unit("中共双锋县委组织部") == "双峰县"
    assert campaign.nearest_unit("涟原市") == "涟源市"
    assert campaign.nearest_unit("某某县") is None and campaign.nearest_unit("") is None
