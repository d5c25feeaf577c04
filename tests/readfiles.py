"""Fixture builders: small returns laid out the way the notice prints them, written with openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import date

from builders import GOOD_COUNTS
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from weakorg.vocab import (
    CATEGORY_LABEL,
    DATE_LABEL,
    F1,
    F1_COLUMNS,
    F1_PCT_ORGS_KEYS,
    F1_PCT_WEAK_KEYS,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_TITLES,
    NOT_APPLICABLE,
    UNIT_LABEL,
)

LINE, CELLS = "line", "cells"
COUNTS = GOOD_COUNTS  # the consistent F1 table the checks' tests use too
F2_ROWS = [
    {
        "name": "杉山镇杉山村党支部",
        "members": 35,
        "problems": "支部书记常年在外经商，支部工作基本停滞。",
        "secretary": "王建国",
        "phone": 13907381234.0,
        "category": "农村",
        "criteria_stated": "1、5",
        "status": "整顿中",
        "accepted_on": None,
    },
    {
        "name": "乐坪街道春园社区党支部",
        "members": "12人",
        "problems": "书记职位空缺，由街道干部临时代管。",
        "secretary": "空缺",
        "phone": None,
        "category": "社区",
        "criteria_stated": "1",
        "status": "已验收",
        "accepted_on": date(2014, 4, 25),
    },
]
F3_ROWS = [
    {
        "name": "茶园镇石桥村党支部",
        "members": 48,
        "problems": "宗族派性严重，换届选举难以组织。",
        "measures": "县级领导联点，先整顿后换届。",
        "election_done": "2014.4.25",
        "secretary": "李志强",
        "phone": "0738-8221234",
    },
    {
        "name": "茶园镇黄冲村党支部",
        "members": 30,
        "problems": "书记长期空缺。",
        "measures": "选派第一书记驻村。",
        "election_done": "未完成",
        "secretary": None,
        "phone": None,
    },
]


def percents(counts: dict) -> dict[str, float]:
    """The percentages of an F1 table in points, keyed like ``c1_pct_weak``."""
    out = {}
    for key in F1_PCT_ORGS_KEYS:
        out[f"{key}_pct_orgs"] = round(100 * counts[key] / counts["orgs_total"], 2)
    for key in F1_PCT_WEAK_KEYS:
        out[f"{key}_pct_weak"] = round(100 * counts[key] / counts["weak_total"], 2)
    return out


def put_header(ws: Worksheet, row: int, pairs: list[tuple[str, object]], style: str, width: int) -> None:
    """The header line: one merged cell (``line``), or each label in its own cell with the value beside it."""
    if style == LINE:
        ws.cell(row, 1, "    ".join(f"{label}：{value}" for label, value in pairs))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        return
    for i, (label, value) in enumerate(pairs):
        ws.cell(row, 1 + 2 * i, f"{label}：")
        ws.cell(row, 2 + 2 * i, value)


def put_title(ws: Worksheet, form: str, top: int, width: int) -> None:
    ws.cell(top, 1, FORM_ATTACHMENTS[form])
    ws.cell(top + 1, 1, FORM_TITLES[form])
    ws.merge_cells(start_row=top + 1, start_column=1, end_row=top + 1, end_column=width)


def put_f1(
    ws: Worksheet,
    top: int = 1,
    unit: str = "娄星区",
    category: str = "农村",
    on: object = "2014年3月11日",
    counts: dict | None = None,
    values: dict | None = None,
    header: str = LINE,
    title: bool = True,
) -> int:
    """One F1 table from row ``top`` (title, header line, column headers, 11 rows, note); return the next free row.

    ``values`` overrides any cell, keyed like ``weak_total`` (count) or ``c1_pct_weak``.
    """
    row = top
    if title:
        put_title(ws, F1, row, 4)
        row += 2
    put_header(ws, row, [(UNIT_LABEL, unit), (CATEGORY_LABEL, category), (DATE_LABEL, on)], header, 4)
    row += 1
    for col, text in enumerate(F1_COLUMNS.values(), start=2):
        ws.cell(row, col, text)
    counts = counts or COUNTS
    cells = {**counts, **percents(counts), **(values or {})}
    for key, label in F1_ROWS.items():
        row += 1
        ws.cell(row, 1, label)
        ws.cell(row, 2, cells.get(key))
        for col, (pct, keys) in enumerate((("pct_orgs", F1_PCT_ORGS_KEYS), ("pct_weak", F1_PCT_WEAK_KEYS)), start=3):
            ws.cell(row, col, cells.get(f"{key}_{pct}") if key in keys else NOT_APPLICABLE)
    row += 1
    ws.cell(row, 1, "注：各填报单位分类别填报数据，每一张汇总表只填报一类软弱涣散党组织的情况。")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    return row + 2


def put_register(
    ws: Worksheet,
    form: str,
    rows: list[dict],
    top: int = 1,
    unit: str = "娄星区",
    on: object = "2014年3月11日",
    header: str = LINE,
    extra: bool = False,
    blank_rows: int = 10,
    title: bool = True,
    headers: dict[str, str] | None = None,
) -> int:
    """An F2 or F3 register from row ``top``, padded with numbered empty rows; return the next free row.

    ``headers`` overrides column header texts by field (e.g. a synonym).
    """
    columns = {**(F2_COLUMNS if form == F2 else F3_COLUMNS), **(F2_EXTRA_COLUMNS if extra else {})}
    columns |= {f: t for f, t in (headers or {}).items() if f in columns}
    row = top
    if title:
        put_title(ws, form, row, len(columns))
        row += 2
    put_header(ws, row, [(UNIT_LABEL, unit), (DATE_LABEL, on)], header, len(columns))
    row += 1
    for col, text in enumerate(columns.values(), start=1):
        ws.cell(row, col, text)
    for i in range(max(len(rows), blank_rows)):
        row += 1
        data = rows[i] if i < len(rows) else {}
        ws.cell(row, 1, i + 1)
        for col, f in enumerate(columns, start=1):
            if f != "seq" and data.get(f) is not None:
                ws.cell(row, col, data[f])
    return row + 2


def workbook(*sheets: tuple[str, object]) -> Workbook:
    """A workbook with one sheet per (title, writer) pair; the writer fills the sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, writer in sheets:
        writer(wb.create_sheet(title))
    return wb


def xlsx_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes of a workbook."""
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    """A CSV file of the given rows in the given encoding."""
    buf = io.StringIO()
    csv.writer(buf).writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue().encode(encoding)


def sheet_rows(wb: Workbook, title: str) -> list[list[object]]:
    """The values of a sheet as a list of rows (for writing the same layout as CSV)."""
    ws = wb[title]
    return [list(r) for r in ws.iter_rows(values_only=True)]
