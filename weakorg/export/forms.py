"""Writers that lay out the notice's three attachments (F1, F2, F3) in their official layout.

Every value goes through ``weakorg.export.sheets.put``: a text from a return is a string cell, never a formula.

Every sheet has the same top: a small attachment label ("附件1"), the big merged title, the
header line (填报单位 / 党组织类别 / 填表时间), then the column headers and the grid. The header
line is written either as ONE merged cell, the way the notice prints it (``header="line"``), or
with each label and its value in their own cells (``header="cells"``), which lets a drop-down
sit on the category cell; real returns use both.
"""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from weakorg.export.sheets import put
from weakorg.export.sheets import workbook_bytes as workbook_bytes  # saved as every workbook is (samples, templates)
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_LABEL,
    DATE_LABEL,
    F1,
    F1_COLUMNS,
    F1_NOTE,
    F1_PCT_ORGS_KEYS,
    F1_PCT_WEAK_KEYS,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_TITLES,
    NOT_APPLICABLE,
    REGISTER_BLANK_ROWS,
    STATUSES,
    UNIT_LABEL,
    chinese_date,
    percent_of,
)

LINE, CELLS = "line", "cells"
COLON = "："
NOTE_PREFIX = "注："
# Register rows that carry the drop-downs and number checks, beyond the rows written.
VALIDATED_ROWS = 200

# Column widths (Excel character units).
F1_WIDTHS = (50, 18, 24, 24)
F2_WIDTHS = {
    "seq": 6,
    "name": 34,
    "members": 8,
    "problems": 48,
    "secretary": 12,
    "phone": 16,
    "category": 16,
    "criteria_stated": 12,
    "status": 10,
    "accepted_on": 14,
}
F3_WIDTHS = {
    "seq": 6,
    "name": 30,
    "members": 8,
    "problems": 40,
    "measures": 40,
    "election_done": 16,
    "secretary": 12,
    "phone": 16,
}

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=_THIN)
FONT_LABEL = Font(name="黑体", size=12)
FONT_TITLE = Font(name="方正小标宋简体", size=18, bold=True)
FONT_HEAD = Font(name="黑体", size=11)
FONT_BODY = Font(name="宋体", size=11)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_NOWRAP = Alignment(horizontal="left", vertical="center")
RIGHT_NOWRAP = Alignment(horizontal="right", vertical="center")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
PCT_FORMAT = "0.00"
MORE_WIDTH = 20  # a column added at the far right (``more``)


def header_line(unit: str | None, reported_on: date | str | None, category: str | None = None, gap: int = 8) -> str:
    """The header line as the notice prints it, in one string."""
    parts = [f"{UNIT_LABEL}{COLON}{unit or ''}"]
    if category is not None:
        parts.append(f"{CATEGORY_LABEL}{COLON}{category}")
    parts.append(f"{DATE_LABEL}{COLON}{chinese_date(reported_on)}")
    return (" " * gap).join(parts)


def percent(part: float | None, whole: float | None) -> float | None:
    """part / whole in points, rounded half up to 2 decimals (``vocab.percent_of``); None when it cannot be computed."""
    if part is None or not whole:
        return None
    return percent_of(part, whole)


# ---------------------------------------------------------------------------
# Shared pieces of layout
# ---------------------------------------------------------------------------
def _title_rows(ws: Worksheet, form: str, top: int, width: int) -> None:
    last = get_column_letter(width)
    label = put(ws, top, 1, FORM_ATTACHMENTS[form])
    label.font = FONT_LABEL
    label.alignment = LEFT_NOWRAP
    title = put(ws, top + 1, 1, FORM_TITLES[form])
    title.font = FONT_TITLE
    title.alignment = CENTER
    ws.merge_cells(f"A{top + 1}:{last}{top + 1}")
    ws.row_dimensions[top + 1].height = 36


def _header_row(
    ws: Worksheet,
    row: int,
    width: int,
    style: str,
    pairs: list[tuple[str, str]],
    slots: tuple[int, ...],
) -> dict[str, str]:
    """Write the header line; return the cell of each value (label -> cell) in ``cells`` style."""
    ws.row_dimensions[row].height = 24
    if style == LINE:
        text = (" " * 8).join(f"{label}{COLON}{value}" for label, value in pairs)
        cell = put(ws, row, 1, text)
        cell.font = FONT_BODY
        cell.alignment = LEFT_NOWRAP
        ws.merge_cells(f"A{row}:{get_column_letter(width)}{row}")
        return {}
    if style != CELLS:
        raise ValueError(f"unknown header style {style!r}")
    where = {}
    for (label, value), col in zip(pairs, slots, strict=True):
        lab = put(ws, row, col, f"{label}{COLON}")
        lab.font = FONT_BODY
        lab.alignment = RIGHT_NOWRAP
        val = put(ws, row, col + 1, value or None)
        val.font = FONT_BODY
        val.alignment = LEFT_NOWRAP
        val.border = _UNDERLINE
        where[label] = val.coordinate
    return where


def _column_headers(ws: Worksheet, row: int, texts: list[str]) -> None:
    for col, text in enumerate(texts, start=1):
        cell = put(ws, row, col, text)
        cell.font = FONT_HEAD
        cell.alignment = CENTER
        cell.border = BORDER
    ws.row_dimensions[row].height = 36


def _body_cell(ws: Worksheet, row: int, col: int, value, align: Alignment = CENTER):
    cell = put(ws, row, col, value)
    cell.font = FONT_BODY
    cell.alignment = align
    cell.border = BORDER
    return cell


def _set_widths(ws: Worksheet, widths: list[int] | tuple[int, ...]) -> None:
    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w


def _print_setup(ws: Worksheet, title_row: int | None = None) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_row:
        ws.print_title_rows = f"{title_row}:{title_row}"


def _list_validation(ws: Worksheet, items: tuple[str, ...], ref: str, prompt_title: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(items) + '"', allow_blank=True)
    dv.promptTitle = prompt_title
    dv.errorTitle = prompt_title
    dv.error = "请从下拉列表中选择。"
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)
    return dv


def _whole_validation(ws: Worksheet, ref: str, minimum: int) -> DataValidation:
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(minimum), allow_blank=True)
    dv.errorTitle = "数字有误"
    dv.error = f"请填写不小于{minimum}的整数。"
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)
    return dv


# ---------------------------------------------------------------------------
# F1: the summary table, one per category
# ---------------------------------------------------------------------------
def f1_percents(counts: dict) -> dict[str, float | None]:
    """The percentage cells of an F1 table computed from its counts, keyed like ``c1_pct_weak``."""
    total, weak = counts.get("orgs_total"), counts.get("weak_total")
    out: dict[str, float | None] = {}
    for key in F1_PCT_ORGS_KEYS:
        out[f"{key}_pct_orgs"] = percent(counts.get(key), total)
    for key in F1_PCT_WEAK_KEYS:
        out[f"{key}_pct_weak"] = percent(counts.get(key), weak)
    return out


def write_f1(
    ws: Worksheet,
    unit: str | None = None,
    category: str | None = None,
    reported_on: date | str | None = None,
    counts: dict | None = None,
    percents: dict | None = None,
    header: str = LINE,
    top: int = 1,
    note: str = F1_NOTE,
) -> int:
    """Lay out one F1 summary table from row ``top``; return the first free row below it.

    ``counts`` is keyed by the keys of ``F1_ROWS``; percentages are computed from them unless
    ``percents`` (keyed like ``weak_total_pct_orgs``) gives a cell's value as written. ``note``: the line under it
    (the official form's, by default).
    """
    width = 1 + len(F1_COLUMNS)
    _set_widths(ws, F1_WIDTHS)
    _title_rows(ws, F1, top, width)
    pairs = [(UNIT_LABEL, unit or ""), (CATEGORY_LABEL, category or ""), (DATE_LABEL, chinese_date(reported_on))]
    where = _header_row(ws, top + 2, width, header, pairs, slots=(1, 3, 5))
    if CATEGORY_LABEL in where:
        _list_validation(ws, CATEGORIES, where[CATEGORY_LABEL], CATEGORY_LABEL)
    head = top + 3
    _column_headers(ws, head, [None, *F1_COLUMNS.values()])

    counts = counts or {}
    values = f1_percents(counts) if counts else {}
    values.update(percents or {})
    first = head + 1
    for i, (key, label) in enumerate(F1_ROWS.items()):
        row = first + i
        _body_cell(ws, row, 1, label, LEFT)
        _body_cell(ws, row, 2, counts.get(key)).number_format = "0"
        for col, (pct_col, keys) in enumerate((("pct_orgs", F1_PCT_ORGS_KEYS), ("pct_weak", F1_PCT_WEAK_KEYS)), 3):
            if key in keys:
                _body_cell(ws, row, col, values.get(f"{key}_{pct_col}")).number_format = PCT_FORMAT
            else:
                _body_cell(ws, row, col, NOT_APPLICABLE)
        ws.row_dimensions[row].height = 30
    last = first + len(F1_ROWS) - 1
    _whole_validation(ws, f"B{first}:B{last}", 0)

    said = put(ws, last + 1, 1, NOTE_PREFIX + note)
    said.font = FONT_BODY
    said.alignment = LEFT
    ws.merge_cells(f"A{last + 1}:{get_column_letter(width)}{last + 1}")
    ws.row_dimensions[last + 1].height = 30
    _print_setup(ws)
    return last + 3


# ---------------------------------------------------------------------------
# F2 and F3: the registers
# ---------------------------------------------------------------------------
def _register(
    ws: Worksheet,
    form: str,
    columns: dict[str, str],
    widths: dict[str, int],
    unit: str | None,
    reported_on: date | str | None,
    rows: list[dict] | None,
    header: str,
    min_rows: int,
) -> dict[str, int]:
    """Lay out a register; return the sheet column number of each field."""
    fields = list(columns)
    col_of = {f: i for i, f in enumerate(fields, start=1)}
    width = len(fields)
    _set_widths(ws, [widths.get(f, MORE_WIDTH) for f in fields])
    _title_rows(ws, form, 1, width)
    # In ``cells`` style the labels sit over the name and the secretary columns (wide enough).
    slots = (col_of["name"], col_of["secretary"])
    _header_row(ws, 3, width, header, [(UNIT_LABEL, unit or ""), (DATE_LABEL, chinese_date(reported_on))], slots)
    _column_headers(ws, 4, list(columns.values()))

    rows = rows or []
    for i in range(max(len(rows), min_rows)):
        r = 5 + i
        data = rows[i] if i < len(rows) else {"seq": i + 1}
        for field, col in col_of.items():
            value = data.get(field)
            if field == "seq" and value is None and i < len(rows):
                value = i + 1
            align = LEFT if field in ("name", "problems", "measures") else CENTER
            cell = _body_cell(ws, r, col, value, align)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
    _whole_validation(
        ws, f"{get_column_letter(col_of['members'])}5:{get_column_letter(col_of['members'])}{4 + VALIDATED_ROWS}", 1
    )
    _print_setup(ws, title_row=4)
    ws.freeze_panes = "A5"
    return col_of


def write_f2(
    ws: Worksheet,
    unit: str | None = None,
    reported_on: date | str | None = None,
    rows: list[dict] | None = None,
    header: str = LINE,
    extra: bool = True,
    min_rows: int = REGISTER_BLANK_ROWS,
    more: dict[str, str] | None = None,
) -> None:
    """Lay out the F2 register of weak organizations, with weakorg's optional columns when ``extra``.

    ``rows`` are keyed by the fields of ``F2_COLUMNS`` and ``F2_EXTRA_COLUMNS``; rows short of
    ``min_rows`` are padded with numbered blank lines as on the official sheet. ``more`` adds
    columns at the far right (field -> header), e.g. the unit each line came from in the city's return.
    """
    columns = {**F2_COLUMNS, **(F2_EXTRA_COLUMNS if extra else {}), **(more or {})}
    col_of = _register(ws, F2, columns, F2_WIDTHS, unit, reported_on, rows, header, min_rows)
    if extra:
        end = 4 + VALIDATED_ROWS
        cat, status = get_column_letter(col_of["category"]), get_column_letter(col_of["status"])
        _list_validation(ws, CATEGORIES, f"{cat}5:{cat}{end}", CATEGORY_LABEL)
        _list_validation(ws, STATUSES, f"{status}5:{status}{end}", F2_EXTRA_COLUMNS["status"])


def write_f3(
    ws: Worksheet,
    unit: str | None = None,
    reported_on: date | str | None = None,
    rows: list[dict] | None = None,
    header: str = LINE,
    min_rows: int = REGISTER_BLANK_ROWS,
    more: dict[str, str] | None = None,
) -> None:
    """Lay out the F3 register of villages whose re-election is hard.

    ``rows`` are keyed by the fields of ``F3_COLUMNS``; ``election_done`` is a date or a text such as "未完成".
    ``more`` adds columns at the far right (field -> header).
    """
    _register(ws, F3, {**F3_COLUMNS, **(more or {})}, F3_WIDTHS, unit, reported_on, rows, header, min_rows)


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------
def new_workbook() -> Workbook:
    """An empty workbook with no sheets, ready for ``add_sheet``."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_sheet(wb: Workbook, title: str) -> Worksheet:
    """A new sheet with the given title at the end of the workbook."""
    return wb.create_sheet(title=title)


FORM_WRITERS = {F1: write_f1, F2: write_f2, F3: write_f3}
