"""The reader: official-layout returns give every value with its cell; files that are no return are refused."""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from messy import Book, F1Spec, xls_bytes
from messy import put_f1 as messy_f1
from openpyxl import Workbook
from readfiles import (
    CELLS,
    COUNTS,
    F2_ROWS,
    F3_ROWS,
    csv_bytes,
    put_f1,
    put_register,
    sheet_rows,
    workbook,
    xlsx_bytes,
)

from weakorg.read import ReadLimits, read_file, read_files
from weakorg.read.guard import OLE2_MAGIC
from weakorg.tables import F2_ROW_COLUMNS, F3_ROW_COLUMNS, returns_from_files
from weakorg.vocab import F1, F1_ROWS, F2, F2_COLUMNS, F3, F3_COLUMNS

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


def read(wb: Workbook, name: str = "娄星区.xlsx"):
    fr = read_file(xlsx_bytes(wb), name=name)
    assert fr.ok, fr.message
    return fr


# ---------------------------------------------------------------------------
# F1
# ---------------------------------------------------------------------------
def test_f1_official_layout_every_value_and_cell():
    fr = read(workbook(("附件1", put_f1)))
    (t,) = fr.tables
    assert (t.form, t.sheet) == (F1, "附件1")
    assert (t.unit, t.unit_raw, t.unit_cell) == ("娄星区", "娄星区", "A3")
    assert (t.category, t.category_raw, t.category_cell) == ("农村", "农村", "A3")
    assert (t.reported_on, t.date_raw, t.date_cell) == (date(2014, 3, 11), "2014年3月11日", "A3")
    assert list(t.rows.index) == list(F1_ROWS)
    for i, key in enumerate(F1_ROWS):
        row = 5 + i
        assert t.rows.at[key, "count"] == COUNTS[key]
        assert (t.rows.at[key, "count_cell"], t.rows.at[key, "pct_orgs_cell"], t.rows.at[key, "pct_weak_cell"]) == (
            f"B{row}",
            f"C{row}",
            f"D{row}",
        )
    assert math.isnan(t.rows.at["orgs_total", "pct_orgs"])  # "——"
    assert t.rows.at["weak_total", "pct_orgs"] == 5.0
    assert math.isnan(t.rows.at["weak_total", "pct_weak"])
    assert t.rows.at["c1", "pct_weak"] == 40.0
    assert t.rows.at["branches", "pct_orgs"] == 90.0
    assert fr.findings == []
    assert returns_from_files([fr]).f1.loc[0, "c1_pct_weak_cell"] == "D10"


def test_f1_numbers_as_written_by_hand():
    values = {"orgs_total": "１００个", "weak_total": "5", "c6": "——", "c1_pct_weak": "40%", "c2_pct_weak": "20％"}

    def sheet(ws):
        put_f1(ws, values=values)
        ws["C9"] = 0.05
        ws["C9"].number_format = "0.00%"

    (t,) = read(workbook(("附件1", sheet))).tables
    assert t.rows.at["orgs_total", "count"] == 100.0
    assert t.rows.at["weak_total", "count"] == 5.0
    assert math.isnan(t.rows.at["c6", "count"])
    assert t.rows.at["c1", "pct_weak"] == 40.0
    assert t.rows.at["c2", "pct_weak"] == 20.0
    assert t.rows.at["weak_total", "pct_orgs"] == pytest.approx(5.0)


def test_f1_counts_in_chinese_numerals_are_read_and_words_that_are_no_number_are_said():
    values = {"orgs_total": "一百个", "weak_total": "十五个", "c1": "约3个", "c1_pct_weak": "二成"}
    fr = read(workbook(("附件1", lambda ws: put_f1(ws, values=values))))
    (t,) = fr.tables
    assert t.rows.at["orgs_total", "count"] == 100.0
    assert t.rows.at["weak_total", "count"] == 15.0
    assert math.isnan(t.rows.at["c1", "count"]) and math.isnan(t.rows.at["c1", "pct_weak"])
    said = {f.cell: f for f in fr.findings if f.rule == "NUMBER_INVALID"}
    assert set(said) == {t.rows.at["c1", "count_cell"], t.rows.at["c1", "pct_weak_cell"]}  # each, to its cell
    f = said[t.rows.at["c1", "count_cell"]]
    assert "“约3个”不是数字" in f.message and f.cell in f.message and f.sheet == "附件1" and f.form == F1
    read_so = {f.cell: f.message for f in fr.findings if f.rule == "NUMBER_IN_WORDS"}  # read, and said: a trace
    assert set(read_so) == {t.rows.at["orgs_total", "count_cell"], t.rows.at["weak_total", "count_cell"]}
    assert "“十五个”已按15计入" in read_so[t.rows.at["weak_total", "count_cell"]]


def test_f1_counts_below_zero_or_with_a_fraction_are_said_and_not_counted():
    values = {"party_committees": -2, "general_branches": 2.5, "branches": "-3", "weak_total": 5}
    fr = read(workbook(("附件1", lambda ws: put_f1(ws, values=values))))
    (t,) = fr.tables
    for key in ("party_committees", "general_branches", "branches"):
        assert math.isnan(t.rows.at[key, "count"]), key
    assert t.rows.at["weak_total", "count"] == 5.0
    said = {f.cell: f.message for f in fr.findings if f.rule == "NUMBER_INVALID"}
    assert set(said) == {t.rows.at[k, "count_cell"] for k in ("party_committees", "general_branches", "branches")}
    assert "“-2”不是有效的个数（应为0或正整数），未计入" in said[t.rows.at["party_committees", "count_cell"]]
    assert "“2.5”不是有效的个数" in said[t.rows.at["general_branches", "count_cell"]]


def test_a_text_file_named_as_a_workbook_is_said_to_be_no_spreadsheet():
    fr = read_file("这是一份说明，不是报表。\n请查收。".encode(), name="娄星区-附件1.xlsx")
    assert (fr.status, fr.reason) == ("rejected", "NOT_SPREADSHEET")
    assert "扩展名是.xlsx，内容却是纯文本" in fr.message
    assert read_file("这是一份说明。\n".encode(), name="说明.csv").reason == "NO_FORM"  # a .csv may well be text


def test_header_line_split_over_cells():
    def sheet(ws):
        put_f1(ws, unit="中共双峰县委组织部", category="社区", on=datetime(2014, 3, 12), header=CELLS)

    (t,) = read(workbook(("汇总表", sheet))).tables
    assert (t.unit, t.unit_raw, t.unit_cell) == ("双峰县", "中共双峰县委组织部", "B3")
    assert (t.category, t.category_raw, t.category_cell) == ("街道社区", "社区", "D3")
    assert (t.reported_on, t.date_raw, t.date_cell) == (date(2014, 3, 12), "2014-03-12", "F3")


def test_header_line_label_and_value_in_one_cell_each():
    def sheet(ws):
        put_f1(ws, header=CELLS)
        ws["A3"], ws["B3"] = "填报单位:经开区", None
        ws["C3"], ws["D3"] = "党组织类别：其它", None
        ws["E3"], ws["F3"] = "填表时间：四月中旬", None

    fr = read(workbook(("汇总表", sheet)))
    (t,) = fr.tables
    assert (t.unit, t.unit_cell) == ("娄底经济技术开发区", "A3")
    assert (t.category, t.category_raw, t.category_cell) == (None, "其它", "C3")
    assert (t.reported_on, t.date_raw, t.date_cell) == (None, "四月中旬", "E3")
    (f,) = fr.findings
    assert (f.rule, f.file, f.sheet, f.cell, f.unit) == (
        "DATE_INVALID",
        "娄星区.xlsx",
        "汇总表",
        "E3",
        "娄底经济技术开发区",
    )
    assert "四月中旬" in f.message and "E3" in f.message


def test_unknown_unit_is_kept_raw():
    (t,) = read(workbook(("附件1", lambda ws: put_f1(ws, unit="娄底市交通运输局")))).tables
    assert (t.unit, t.unit_raw) == (None, "娄底市交通运输局")


def test_stacked_f1_tables_in_one_sheet():
    def sheet(ws):
        top = put_f1(ws, category="农村")
        top = put_f1(ws, top=top, category="学校", counts={**COUNTS, "orgs_total": 50, "branches": 40})
        put_f1(ws, top=top, category="机关", title=False)

    tables = read(workbook(("附件1", sheet))).tables
    assert [t.category for t in tables] == ["农村", "学校", "机关"]
    assert [t.category_cell for t in tables] == ["A3", "A20", "A35"]
    assert tables[1].rows.at["orgs_total", "count"] == 50.0
    assert tables[1].rows.at["orgs_total", "count_cell"] == "B22"
    assert tables[2].rows.at["c6", "count_cell"] == "B47"
    assert all(len(t.rows) == len(F1_ROWS) for t in tables)


def test_f1_without_title_row_and_with_numbering_variants():
    def sheet(ws):
        put_f1(ws, title=False)
        ws["A3"] = "一、所辖基层党组织"
        ws["A4"] = "其中：党委"
        ws["A8"] = "1.党组织班子配备不齐、书记长期缺职、工作处于停滞状态"
        ws["A9"] = "⑵党组织书记不胜任现职"

    (t,) = read(workbook(("Sheet1", sheet))).tables
    assert t.unit_cell == "A1"
    assert list(t.rows.index) == list(F1_ROWS)
    assert t.rows.at["c1", "count_cell"] == "B8"
    assert t.rows.at["c2", "count"] == 1.0


def test_extra_empty_first_column():
    def sheet(ws):
        put_f1(ws)
        ws.insert_cols(1)

    (t,) = read(workbook(("附件1", sheet))).tables
    assert t.rows.at["orgs_total", "count_cell"] == "C5"
    assert t.rows.at["orgs_total", "count"] == 100.0


# ---------------------------------------------------------------------------
# F2 and F3
# ---------------------------------------------------------------------------
def test_three_forms_in_one_workbook():
    wb = workbook(
        ("附件1", put_f1),
        ("附件2", lambda ws: put_register(ws, F2, F2_ROWS, extra=True)),
        ("附件3", lambda ws: put_register(ws, F3, F3_ROWS)),
    )
    fr = read(wb)
    assert [t.form for t in fr.tables] == [F1, F2, F3]
    f2, f3 = fr.tables[1].rows, fr.tables[2].rows
    assert list(f2.columns) == list(F2_ROW_COLUMNS)
    assert list(f3.columns) == list(F3_ROW_COLUMNS)
    assert fr.tables[1].unit == "娄星区" and fr.tables[1].category is None

    assert len(f2) == 2
    first, second = f2.iloc[0].to_dict(), f2.iloc[1].to_dict()
    assert first["row"] == 5
    assert (first["seq"], first["seq_cell"]) == (1.0, "A5")
    assert (first["name"], first["name_cell"]) == ("杉山镇杉山村党支部", "B5")
    assert (first["members"], first["members_raw"], first["members_cell"]) == (35.0, "35", "C5")
    assert first["problems"].startswith("支部书记常年在外经商")
    assert (first["secretary"], first["secretary_cell"]) == ("王建国", "E5")
    assert (first["phone"], first["phone_raw"], first["phone_cell"]) == ("13907381234", "13907381234", "F5")
    assert (first["category"], first["criteria_stated"], first["status"]) == ("农村", "1、5", "整顿中")
    assert (first["status_cell"], first["accepted_on"]) == ("I5", None)
    assert (second["members"], second["members_raw"]) == (12.0, "12人")
    assert (second["secretary"], second["phone"], second["phone_raw"]) == ("空缺", None, None)  # the vacancy as written
    assert (second["category"], second["status"], second["accepted_on"]) == ("街道社区", "已验收", date(2014, 4, 25))
    assert second["accepted_on_cell"] == "J6"

    assert len(f3) == 2
    assert f3.iloc[0]["election_done"] == date(2014, 4, 25)
    assert f3.iloc[0]["election_done_cell"] == "F5"
    assert f3.iloc[0]["phone"] == "0738-8221234"
    assert f3.iloc[0]["measures"] == "县级领导联点，先整顿后换届。"
    assert f3.iloc[1]["election_done"] is None
    assert fr.findings == []


def test_bare_official_register_has_no_optional_columns():
    fr = read(workbook(("附件2", lambda ws: put_register(ws, F2, F2_ROWS))))
    rows = fr.tables[0].rows
    assert rows["category"].isna().all() and rows["category_cell"].isna().all()
    assert rows["status_cell"].isna().all()
    assert list(rows["name"]) == [r["name"] for r in F2_ROWS]


def test_register_synonyms_line_breaks_and_criteria_header():
    headers = {
        "seq": "编号",
        "name": "软弱涣散基层\n党组织名称",
        "members": "党员数（人）",
        "phone": "联系电话",
        "criteria_stated": "符合标准",
    }
    fr = read(workbook(("一览表", lambda ws: put_register(ws, F2, F2_ROWS, extra=True, headers=headers))))
    rows = fr.tables[0].rows
    assert list(rows["members"]) == [35.0, 12.0]
    assert list(rows["phone_cell"]) == ["F5", "F6"]
    assert list(rows["criteria_stated"]) == ["1、5", "1"]


def test_register_ends_at_note_and_skips_empty_numbered_rows():
    def sheet(ws):
        nxt = put_register(ws, F2, F2_ROWS, blank_rows=10)
        ws.cell(nxt, 1, "注：本表由县市区委组织部汇总填报。")
        ws.cell(nxt + 1, 2, "某某村党支部")  # below the note: not part of the table

    rows = read(workbook(("附件2", sheet))).tables[0].rows
    assert list(rows["row"]) == [5, 6]


@pytest.mark.parametrize("says", ["无", "没有", "暂无", "/", "——", "无。", "本单位无"])
def test_a_register_line_that_only_says_nothing_to_list_is_no_organization(says):
    """附件3 of a unit with no difficult village: one line 1 | 无 (other cells blank or 无) reads as no rows."""
    lines = [{"name": says}, {"name": says, "members": "无", "problems": "无"}]
    fr = read(workbook(("附件3", lambda ws: put_register(ws, F3, lines))))
    (table,) = fr.tables
    assert table.form == F3 and table.rows.empty and fr.findings == []


@pytest.mark.parametrize("total", ["合计", "合计：55个", "合计 2个", "共计2个", "小计（农村）"])
def test_a_total_line_under_a_register_is_no_organization(total):
    """A clerk's 合计 line at the foot of the 一览表 (a fresh analyst's 合计：55个 was read as a 56th organization)."""
    lines = [*F2_ROWS, {"name": total, "members": "40"}]
    rows = read(workbook(("附件2", lambda ws: put_register(ws, F2, lines)))).tables[0].rows
    assert list(rows["name"]) == [r["name"] for r in F2_ROWS]


def test_a_line_with_something_beside_a_placeholder_stays_a_line():
    lines = [{"name": "无", "problems": "支部书记长期在外务工"}]  # a name missing, a problem stated: a real line
    rows = read(workbook(("附件2", lambda ws: put_register(ws, F2, lines)))).tables[0].rows
    assert len(rows) == 1 and rows.iloc[0]["problems"] == "支部书记长期在外务工"


def test_f3_unreadable_date_is_a_finding():
    bad = [{**F3_ROWS[0], "election_done": "四月下旬"}]
    fr = read(workbook(("附件3", lambda ws: put_register(ws, F3, bad))))
    (f,) = fr.findings
    assert (f.rule, f.severity, f.sheet, f.cell, f.unit, f.org) == (
        "DATE_INVALID",
        "warning",
        "附件3",
        "F5",
        "娄星区",
        "茶园镇石桥村党支部",
    )
    assert fr.tables[0].rows.iloc[0]["election_done"] is None


@pytest.mark.parametrize("form", [F2, F3])
def test_register_members_in_chinese_numerals_are_read_and_said(form):
    first = (F2_ROWS if form == F2 else F3_ROWS)[0]
    lines = [{**first, "members": "三十五人"}, {**first, "name": "某某村党支部", "members": "28"}]
    fr = read(workbook(("一览表", lambda ws: put_register(ws, form, lines))))
    rows = fr.tables[0].rows
    assert list(rows["members"]) == [35.0, 28.0]
    said = [f for f in fr.findings if f.rule == "NUMBER_IN_WORDS"]  # read, and said, as 附件1's counts are
    assert [(f.cell, f.org, f.form, f.severity) for f in said] == [("C5", first["name"], form, "info")]
    assert "“三十五人”已按35计入" in said[0].message and "党员数" in said[0].message and "C5" in said[0].message


@pytest.mark.parametrize("form", [F2, F3])
def test_a_register_continued_on_a_sheet_without_its_header_line_takes_the_files_unit_and_date(form):
    rows = F2_ROWS if form == F2 else F3_ROWS

    def more(ws):  # 一览表(续): the column headers and the lines, no title and no 填报单位/填表时间 line
        columns = F2_COLUMNS if form == F2 else F3_COLUMNS
        for col, text in enumerate(columns.values(), start=1):
            ws.cell(1, col, text)
        for col, f in enumerate(columns, start=1):
            ws.cell(2, col, 1 if f == "seq" else rows[0].get(f))
        ws.cell(2, 2, "某某村党支部")

    fr = read(workbook(("一览表", lambda ws: put_register(ws, form, rows[:1])), ("一览表(续)", more)))
    assert [(t.sheet, t.unit, t.reported_on) for t in fr.tables] == [
        ("一览表", "娄星区", date(2014, 3, 11)),
        ("一览表(续)", "娄星区", date(2014, 3, 11)),
    ]
    returns = returns_from_files([fr])
    assert returns.frame(form)["unit"].tolist() == ["娄星区", "娄星区"]  # every line counted for its unit


def test_two_registers_stacked_in_one_sheet():
    def sheet(ws):
        top = put_register(ws, F2, F2_ROWS[:1], blank_rows=1)
        put_register(ws, F3, F3_ROWS, top=top + 1, blank_rows=2)

    tables = read(workbook(("Sheet1", sheet))).tables
    assert [(t.form, len(t.rows)) for t in tables] == [(F2, 1), (F3, 2)]
    assert tables[1].unit_cell == "A10"


def test_formula_without_saved_value():
    def sheet(ws):
        put_f1(ws)
        ws["B5"] = "=B6+B7+B8"

    fr = read(workbook(("附件1", sheet)))
    assert math.isnan(fr.tables[0].rows.at["orgs_total", "count"])
    (f,) = fr.findings
    assert (f.rule, f.cell, f.sheet, f.form) == ("FORMULA_UNCACHED", "B5", "附件1", F1)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_csv_in_every_encoding(encoding):
    wb = workbook(("附件2", lambda ws: put_register(ws, F2, F2_ROWS, blank_rows=3)))
    fr = read_file(csv_bytes(sheet_rows(wb, "附件2"), encoding), name="娄星区附件2.csv")
    assert fr.ok, fr.message
    (t,) = fr.tables
    assert (t.form, t.sheet, t.unit) == (F2, "娄星区附件2", "娄星区")
    assert list(t.rows["name"]) == [r["name"] for r in F2_ROWS]
    assert list(t.rows["members"]) == [35.0, 12.0]
    assert t.rows.iloc[0]["phone"] == "13907381234"
    assert t.rows.iloc[0]["name_cell"] == "B5"


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------
def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _good() -> bytes:
    return xlsx_bytes(workbook(("附件1", put_f1)))


def _bad_crc() -> bytes:
    data = bytearray(_zip({"xl/workbook.xml": b"<workbook/>" * 50}))
    data[60] ^= 0xFF  # inside the stored member's compressed data
    return bytes(data)


def _blank_workbook() -> bytes:
    wb = Workbook()
    wb.active["C3"] = "   "
    return xlsx_bytes(wb)


def _no_form() -> bytes:
    wb = Workbook()
    for row in (["姓名", "年龄"], ["张三", 30]):
        wb.active.append(row)
    return xlsx_bytes(wb)


def _xls() -> bytes:
    book = Book()
    messy_f1(book, book.sheet("附件1"), F1Spec())
    return xls_bytes(book)


def _encrypted_xls() -> bytes:
    """An .xls whose workbook stream carries a FILEPASS record (what Excel writes for a password to open)."""
    data = _xls()
    codepage = b"\x42\x00\x02\x00\xb0\x04"  # CODEPAGE record, UTF-16: same length as FILEPASS needs here
    i = data.index(codepage)
    return data[:i] + b"\x2f\x00" + data[i + 2 :]


def _too_many_rows() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "序号"
    wb.active["A30000"] = 1
    return xlsx_bytes(wb)


def _real_docx() -> bytes:
    """A Word document as Word writes it: its package's main part (officeDocument) is word/document.xml."""
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("空.xlsx", lambda: b"", "EMPTY"),
        ("报告.xlsx", _real_docx, "NOT_SPREADSHEET"),  # was CORRUPT: its main part was taken for a workbook
        ("空白.xlsx", _blank_workbook, "EMPTY"),
        ("通知.xlsx", lambda: _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}), "NOT_SPREADSHEET"),
        ("扫描件.xlsx", lambda: b"%PDF-1.4\n%...", "NOT_SPREADSHEET"),
        ("照片.xlsx", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "NOT_SPREADSHEET"),
        ("照片2.xlsx", lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64, "NOT_SPREADSHEET"),
        ("截断.xlsx", lambda: _good()[:2000], "CORRUPT"),
        ("校验.xlsx", _bad_crc, "CORRUPT"),
        ("加密.xlsx", lambda: OLE2_MAGIC + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le"), "ENCRYPTED"),
        ("旧版.xls", lambda: OLE2_MAGIC + b"\x00" * 100 + "Workbook".encode("utf-16-le"), "CORRUPT"),
        ("截断.xls", lambda: _xls()[:3000], "CORRUPT"),
        ("加密.xls", _encrypted_xls, "ENCRYPTED"),
        ("旧版Word.doc", lambda: OLE2_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le"), "NOT_SPREADSHEET"),
        ("网页.xls", lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "NOT_SPREADSHEET"),
        ("其他.xlsx", _no_form, "NO_FORM"),
        ("说明.csv", lambda: "这是一段说明文字，没有表格。\n".encode(), "NO_FORM"),
        ("大表.xlsx", _too_many_rows, "TOO_LARGE"),
    ],
)
def test_refusals(name, make, reason):
    data = make()
    fr = read_file(data, name=name)
    assert (fr.status, fr.reason) == ("rejected", reason)
    assert fr.tables == []
    assert name in fr.message
    assert fr.sha256 == hashlib.sha256(data).hexdigest() and fr.size == len(data)


def test_damaged_old_xls_message_says_what_to_do():
    fr = read_file(_xls()[:3000], name="旧版.xls")
    assert "另存为.xlsx" in fr.message


def test_size_limits_are_configurable():
    fr = read_file(_good(), name="a.xlsx", limits=ReadLimits(max_bytes=1000))
    assert fr.reason == "TOO_LARGE"
    fr = read_file(_good(), name="a.xlsx", limits=ReadLimits(max_cols=3))
    assert fr.reason == "TOO_LARGE"
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b" " * 3_000_000})
    assert read_file(bomb, name="bomb.xlsx").reason == "TOO_LARGE"


def test_read_files_one_bad_file_never_stops_the_others(tmp_path):
    good = tmp_path / "娄星区-附件1.xlsx"
    good.write_bytes(_good())
    results = read_files([good, ("坏.xlsx", b"%PDF-1.4"), tmp_path / "不存在.xlsx", _good()])
    assert [r.status for r in results] == ["ok", "rejected", "rejected", "ok"]
    assert results[0].name == "娄星区-附件1.xlsx"
    assert results[0].content == good.read_bytes()
    assert results[3].name == "未命名文件"


# ---------------------------------------------------------------------------
# The sample returns
# ---------------------------------------------------------------------------
@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason="no sample_data/ yet")
def test_every_sample_file_is_read():
    paths = sorted(SAMPLE_DIR.glob("*.xlsx"))
    assert paths
    for fr in read_files(paths):
        assert fr.ok, (fr.name, fr.message)
        assert fr.tables, fr.name
        assert all(t.unit_raw and t.reported_on for t in fr.tables), fr.name
        assert not [f for f in fr.findings if f.rule != "FORMULA_UNCACHED"], fr.name


def _with_cached_value(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with one piece of a sheet's XML replaced (as if Excel had saved the formula's value); an empty
    value is matched however openpyxl wrote it (``<v />``, or ``<v></v>`` when it writes through lxml)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            xml = src.read(info.filename).replace(b"<v></v>", b"<v />")
            assert info.filename != "xl/worksheets/sheet1.xml" or old in xml, "the piece to replace is not there"
            dst.writestr(info.filename, xml.replace(old, new))
    return out.getvalue()


def test_formula_with_saved_value_is_read_without_finding():
    def sheet(ws):
        put_f1(ws)
        ws["B5"] = "=B6+B7+B8"

    data = _with_cached_value(
        xlsx_bytes(workbook(("附件1", sheet))), b"<f>B6+B7+B8</f><v />", b"<f>B6+B7+B8</f><v>100</v>"
    )
    fr = read_file(data, name="a.xlsx")
    assert fr.tables[0].rows.at["orgs_total", "count"] == 100.0
    assert fr.findings == []


def test_two_row_register_header_and_merged_cells():
    def sheet(ws):
        put_register(ws, F2, F2_ROWS, extra=True, blank_rows=2)
        ws.insert_rows(5)
        for col in "ABCDGHIJ":  # every header but the secretary's spans two rows
            ws.merge_cells(f"{col}4:{col}5")
        ws["E4"], ws["F4"] = "党组织书记", None
        ws.merge_cells("E4:F4")
        ws["E5"], ws["F5"] = "姓名", "联系方式"
        ws["G7"] = None
        ws.merge_cells("G6:G7")  # one category for both rows

    rows = read(workbook(("附件2", sheet))).tables[0].rows
    assert list(rows["row"]) == [6, 7]
    assert list(rows["secretary_cell"]) == ["E6", "E7"]
    assert list(rows["phone"]) == ["13907381234", None]
    assert list(rows["category"]) == ["农村", "农村"]
    assert list(rows["category_cell"]) == ["G6", "G6"]


@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason="no sample_data/ yet")
def test_sample_files_add_up_to_the_planned_totals():
    from weakorg.consolidate import consolidate
    from weakorg.sample import plan

    paths = sorted(SAMPLE_DIR.glob("*.xlsx"), key=lambda p: (p.name.split("第")[1][:1], p.name))
    pic = consolidate(returns_from_files(read_files(paths)))
    expected = plan().expected_totals()
    assert {k: pic.city[k] for k in expected["city"]} == expected["city"]
    assert len(pic.weak_orgs) == expected["f2_orgs"]
    assert pic.weak_orgs["status"].value_counts().to_dict() == expected["statuses"]
    assert len(pic.villages) == expected["f3_villages"]
    assert pic.villages["election_done"].notna().sum() == expected["f3_elections_done"]


@pytest.mark.parametrize(
    ("line", "unit", "category", "on"),
    [
        (
            "填报单位（盖章）：冷水江市委组织部    党组织类别：农村    填表时间：2014年4月底",
            "冷水江市",
            "农村",
            date(2014, 4, 30),
        ),
        ("填报单位:娄星区 党组织类别:国企 填表日期:2014.3.11", "娄星区", "国有企业", date(2014, 3, 11)),
        ("填报单位：  党组织类别：学校  填表时间：3月12日", None, "学校", date(2014, 3, 12)),
        (
            "填报单位：万宝新区\n党组织类别：非公\n填表时间：2014 年 3 月 11 日",
            "万宝新区",
            "非公有制经济组织",
            date(2014, 3, 11),
        ),
    ],
)
def test_header_line_variants_in_one_cell(line, unit, category, on):
    def sheet(ws):
        put_f1(ws)
        ws["A3"] = line

    (t,) = read(workbook(("附件1", sheet))).tables
    assert (t.unit, t.category, t.reported_on) == (unit, category, on)
    assert t.unit_raw is None if unit is None else t.unit_cell == "A3"


def test_an_all_categories_table_is_dropped_beside_its_category_tables_and_kept_alone():
    from dataclasses import replace

    from builders import f1_table

    from weakorg.read import is_total, without_totals

    rural, total = f1_table(category="农村"), replace(f1_table(category=None), category_raw="合 计")
    assert is_total(total) and not is_total(rural)
    assert without_totals([rural, total]) == [rural]  # counted once, by category
    assert without_totals([total]) == [total]  # alone: kept, to be told it names no category
