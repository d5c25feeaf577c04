"""The official-layout writers: titles, header line, row labels, "——" cells, validations, print setup."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from weakorg.export.forms import (
    CELLS,
    f1_percents,
    header_line,
    new_workbook,
    workbook_bytes,
    write_f1,
    write_f2,
    write_f3,
)
from weakorg.vocab import (
    CATEGORIES,
    F1_COLUMNS,
    F1_NOTE,
    F1_PCT_ORGS_KEYS,
    F1_PCT_WEAK_KEYS,
    F1_ROWS,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3_COLUMNS,
    FORM_TITLES,
    NOT_APPLICABLE,
    REGISTER_BLANK_ROWS,
    STATUSES,
    chinese_date,
)

COUNTS = {
    "orgs_total": 300,
    "party_committees": 2,
    "general_branches": 20,
    "branches": 278,
    "weak_total": 15,
    "c1": 5,
    "c2": 3,
    "c3": 2,
    "c4": 1,
    "c5": 6,
    "c6": 4,
}


def _reopen(wb) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(wb)))


def _validations(ws) -> dict[str, object]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def _f1_sheet(**kwargs):
    wb = new_workbook()
    write_f1(wb.create_sheet("附件1"), **kwargs)
    return _reopen(wb)["附件1"]


def test_f1_layout_title_header_line_and_rows():
    ws = _f1_sheet(unit="娄星区", category="农村", reported_on=date(2014, 3, 11), counts=COUNTS)
    assert ws["A1"].value == "附件1"
    assert ws["A2"].value == FORM_TITLES["F1"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:D2", "A3:D3", "A16:D16"} <= merged
    assert ws["A3"].value == "填报单位：娄星区        党组织类别：农村        填表时间：2014年3月11日"
    assert [ws.cell(4, c).value for c in range(2, 5)] == list(F1_COLUMNS.values())
    assert [ws.cell(r, 1).value for r in range(5, 16)] == list(F1_ROWS.values())
    assert [ws.cell(r, 2).value for r in range(5, 16)] == [COUNTS[k] for k in F1_ROWS]
    assert F1_NOTE in ws["A16"].value


def test_f1_not_applicable_grid_and_percentages():
    ws = _f1_sheet(unit="娄星区", category="农村", reported_on=date(2014, 3, 11), counts=COUNTS)
    for i, key in enumerate(F1_ROWS):
        r = 5 + i
        pct_orgs, pct_weak = ws.cell(r, 3).value, ws.cell(r, 4).value
        assert (pct_orgs == NOT_APPLICABLE) == (key not in F1_PCT_ORGS_KEYS)
        assert (pct_weak == NOT_APPLICABLE) == (key not in F1_PCT_WEAK_KEYS)
    assert ws["C9"].value == 5.0  # weak 15 of 300
    assert ws["C6"].value == 0.67  # 党委 2 of 300
    assert ws["D14"].value == 40.0  # c5: 6 of 15 weak


def test_f1_percentages_are_rounded_half_up_as_a_reviewer_recomputes_them():
    counts = {k: 0.0 for k in F1_ROWS} | {"orgs_total": 32.0, "branches": 29.0, "party_committees": 3.0}
    counts |= {"weak_total": 1.0, "c1": 1.0}
    ws = _f1_sheet(unit="娄底经济技术开发区", category="农村", reported_on=date(2014, 4, 30), counts=counts)
    assert ws["C9"].value == 3.13  # 1 of 32 is 3.125 %: 3.13, never the float's half-to-even 3.12
    assert ws["C8"].value == 90.63 and ws["C6"].value == 9.38  # 29 and 3 of 32: one rule for every cell


def test_f1_percent_override_plants_a_mistake():
    ws = _f1_sheet(counts=COUNTS, percents={"weak_total_pct_orgs": 6.5})
    assert ws["C9"].value == 6.5
    assert ws["C10"].value == 1.67


def test_f1_blank_has_empty_counts_but_the_grid():
    ws = _f1_sheet()
    assert all(ws.cell(r, 2).value is None for r in range(5, 16))
    assert ws["C5"].value == NOT_APPLICABLE
    assert ws["C6"].value is None


def test_f1_validations_and_print_setup():
    ws = _f1_sheet(header=CELLS, unit="娄星区", category="农村")
    dvs = _validations(ws)
    assert dvs["B5:B15"].type == "whole"
    assert dvs["B5:B15"].formula1 == "0"
    category = dvs["D3"]
    assert category.type == "list"
    assert category.formula1 == '"' + ",".join(CATEGORIES) + '"'
    assert ws["A3"].value == "填报单位："
    assert ws["B3"].value == "娄星区"
    assert ws["C3"].value == "党组织类别："
    assert ws["D3"].value == "农村"
    assert ws["E3"].value == "填表时间："
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1


def test_f1_tables_stack_in_one_sheet():
    wb = new_workbook()
    ws = wb.create_sheet("汇总表")
    nxt = write_f1(ws, unit="娄星区", category="农村", counts=COUNTS)
    write_f1(ws, unit="娄星区", category="学校", counts=COUNTS, top=nxt)
    ws = _reopen(wb)["汇总表"]
    assert ws.cell(nxt + 1, 1).value == FORM_TITLES["F1"]
    assert "学校" in ws.cell(nxt + 2, 1).value
    assert ws.cell(nxt + 4, 1).value == F1_ROWS["orgs_total"]


def test_f2_blank_has_ten_numbered_rows_and_extra_columns():
    wb = new_workbook()
    write_f2(wb.create_sheet("附件2"), unit="娄星区", reported_on="2014年3月11日")
    ws = _reopen(wb)["附件2"]
    assert ws["A2"].value == FORM_TITLES["F2"]
    assert ws["A3"].value == "填报单位：娄星区        填表时间：2014年3月11日"
    headers = [ws.cell(4, c).value for c in range(1, 11)]
    assert headers == [*F2_COLUMNS.values(), *F2_EXTRA_COLUMNS.values()]
    assert [ws.cell(r, 1).value for r in range(5, 5 + REGISTER_BLANK_ROWS)] == list(range(1, 11))
    assert ws.cell(5 + REGISTER_BLANK_ROWS, 1).value is None
    assert ws.cell(5, 1).border.left.style == "thin"
    dvs = _validations(ws)
    assert dvs["G5:G204"].formula1 == '"' + ",".join(CATEGORIES) + '"'
    assert dvs["I5:I204"].formula1 == '"' + ",".join(STATUSES) + '"'
    assert dvs["C5:C204"].type == "whole"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape"


def test_f2_rows_written_and_bare_layout():
    rows = [
        {"name": "双峰县青树坪镇新塘村党支部", "members": 35, "problems": "三会一课长期不落实。", "secretary": "王建国",
         "phone": "13907381234", "category": "农村", "criteria_stated": "5", "status": "已验收",
         "accepted_on": date(2014, 4, 25)},
    ]  # fmt: skip
    wb = new_workbook()
    write_f2(wb.create_sheet("a"), rows=rows)
    write_f2(wb.create_sheet("b"), rows=rows, extra=False, min_rows=0)
    wb = _reopen(wb)
    ws = wb["a"]
    assert [ws.cell(5, c).value for c in range(1, 10)] == [
        1, "双峰县青树坪镇新塘村党支部", 35, "三会一课长期不落实。", "王建国", "13907381234", "农村", "5", "已验收",
    ]  # fmt: skip
    assert ws["J5"].value.date() == date(2014, 4, 25)
    assert ws["A6"].value == 2 and ws["B6"].value is None
    bare = wb["b"]
    assert bare.max_column == len(F2_COLUMNS)
    assert bare.max_row == 5


def test_f3_layout():
    rows = [
        {
            "name": "新化县琅塘镇白溪村党支部",
            "members": 40,
            "problems": "宗族派性严重。",
            "measures": "派驻第一书记。",
            "election_done": "未完成",
            "secretary": "李明",
            "phone": "0738-3321234",
        }
    ]
    wb = new_workbook()
    write_f3(wb.create_sheet("附件3"), unit="新化县", reported_on=date(2014, 3, 12), rows=rows)
    ws = _reopen(wb)["附件3"]
    assert ws["A1"].value == "附件3"
    assert ws["A2"].value == FORM_TITLES["F3"]
    assert [ws.cell(4, c).value for c in range(1, 9)] == list(F3_COLUMNS.values())
    assert ws["F5"].value == "未完成"
    assert ws["H5"].value == "0738-3321234"


def test_helpers():
    assert chinese_date(date(2014, 3, 1)) == "2014年3月1日"
    assert header_line("经开区", date(2014, 4, 15), gap=1) == "填报单位：经开区 填表时间：2014年4月15日"
    pct = f1_percents(COUNTS)
    assert pct["c1_pct_weak"] == 33.33
    assert "orgs_total_pct_orgs" not in pct
    assert f1_percents({"orgs_total": 0, "weak_total": 0, "c1": 0})["c1_pct_weak"] is None


def test_workbook_bytes_with_stamp_are_deterministic():
    from datetime import datetime

    def build():
        wb = new_workbook()
        write_f2(wb.create_sheet("附件2"), unit="娄星区")
        return workbook_bytes(wb, datetime(2014, 3, 11, 9))

    assert build() == build()


@pytest.mark.parametrize("style", ["nonsense"])
def test_unknown_header_style_is_refused(style):
    with pytest.raises(ValueError):
        write_f1(new_workbook().create_sheet("x"), header=style)


@pytest.mark.parametrize("header", [CELLS, "line"])
def test_text_from_a_return_is_written_as_text_never_a_formula(header):
    payload = '=HYPERLINK("http://x.invalid","点我")'
    rows = [{"name": payload, "members": "+1+1", "problems": "@SUM(A1)", "measures": "-2+3", "election_done": "=1+1",
             "secretary": "#N/A", "phone": "+8613907381234"}]  # fmt: skip
    wb = new_workbook()
    write_f1(wb.create_sheet("附件1"), unit=payload, category="=农村", reported_on="-2+3", counts=COUNTS, header=header)
    write_f3(wb.create_sheet("附件3"), unit=payload, reported_on="@2014", rows=rows, header=header)
    wb = _reopen(wb)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    texts = {c.value for c in cells}
    assert {payload, "+1+1", "@SUM(A1)", "-2+3", "=1+1", "#N/A", "+8613907381234"} <= texts
    if header == CELLS:
        assert {payload, "=农村"} <= texts
    else:
        assert any(t.startswith("填报单位：=HYPERLINK") for t in texts)
    assert wb["附件1"]["B5"].value == COUNTS["orgs_total"]  # numbers stay numbers
