"""The one writer behind every .xlsx and .csv weakorg produces: a text is never a formula.

Text from a return may start with = + - @ (or a tab or a carriage return before them); a
spreadsheet that opens it must show it, never run it. In .xlsx every text is written as a
string cell (inline string, no formula element), marked with Excel's quote prefix when it
starts like a formula, so that editing the cell keeps it text. In .csv such a text gets a
leading ' (OWASP's advice against CSV injection). Numbers, dates and booleans stay what they
are; characters XML cannot carry are dropped; a text is cut to Excel's limit of a cell.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from weakorg.vocab import APP_TITLE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
MAX_CELL_CHARS = 32767  # Excel's limit; a longer text makes Excel "repair" the file
CUT_MARK = "…"
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:MM:SS"
CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read the Chinese right
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

# The header row of a table, as pandas' to_excel drew it (the look the downloads always had).
_THIN = Side(style="thin")
HEADER_FONT = Font(bold=True)
HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="top")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula (it starts with = + - @ tab or CR)."""
    return text.startswith(FORMULA_STARTS)


def clean_text(text: str) -> str:
    """A text as a cell can hold it: no character XML forbids, at most Excel's 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(CUT_MARK)] + CUT_MARK
    return text


def plain_value(value):
    """A value as a cell takes it: None for missing, Python numbers, naive dates, and text for anything else."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | Decimal):
        f = float(value)
        if math.isnan(f):
            return None
        return f if math.isfinite(f) else ("inf" if f > 0 else "-inf")
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
        return None if value is pd.NaT else value.to_pydatetime()
    if isinstance(value, datetime | time):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, date | timedelta | str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # a list or another container: its text
        pass
    return str(value)


def set_cell(cell: Cell, value) -> Cell:
    """Give a cell a value: a text is always a string cell (never a formula or an error), others stay as they are."""
    value = plain_value(value)
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"
        if looks_like_formula(text):
            cell.quotePrefix = True
        return cell
    cell.value = value
    return cell


def put(ws: Worksheet, row: int, col: int, value) -> Cell:
    """Write one value at (row, col) of a sheet, text as text; the cell."""
    return set_cell(ws.cell(row, col), value)


def write_frame(ws: Worksheet, frame: pd.DataFrame, header_style: bool = True) -> None:
    """A table on a sheet from A1: its column names as a bold bordered header row, then its rows (as pandas drew it)."""
    for col, name in enumerate(frame.columns, start=1):
        cell = put(ws, 1, col, name)
        if header_style:
            cell.font, cell.border, cell.alignment = HEADER_FONT, HEADER_BORDER, HEADER_ALIGNMENT
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value)
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT


def sheet_title(text: str, fallback: str = "Sheet1") -> str:
    """A name Excel accepts for a sheet: none of : \\ / ? * [ ], not quoted, at most 31 characters."""
    name = re.sub(r"[:\\/?*\[\]]", "_", clean_text(text)).strip("'")[:31]
    return name or fallback


_STAMP_RE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def workbook_bytes(wb: Workbook, stamp: datetime | None = None) -> bytes:
    """The .xlsx bytes of a workbook; with ``stamp`` every time inside is fixed, so equal content gives equal bytes."""
    wb.properties.creator = wb.properties.lastModifiedBy = APP_TITLE  # never "openpyxl" in 文件属性
    buf = io.BytesIO()
    wb.save(buf)
    if stamp is None:
        return buf.getvalue()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP_RE.sub(lambda m: m.group(1) + iso + m.group(3), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


def frames_workbook(sheets: Mapping[str, pd.DataFrame]) -> Workbook:
    """A workbook with one sheet per table (name -> table), each written by ``write_frame``."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        write_frame(wb.create_sheet(sheet_title(name)), frame)
    if not wb.sheetnames:
        wb.create_sheet("Sheet1")
    return wb


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as the bytes of one .xlsx workbook, one sheet each (name -> table)."""
    return workbook_bytes(frames_workbook(sheets))


def csv_cell(value):
    """A value as a CSV cell: a text that could be taken for a formula gets a leading ' ; others unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return CSV_ESCAPE + value
    return value


def csv_text(frame: pd.DataFrame, sep: str = ",", float_format: str | None = None) -> str:
    """A table as delimited text (CSV, or TSV with ``sep="\\t"``), no text able to start a formula; numbers as
    numbers (``float_format``: how fractional ones are written, as ``DataFrame.to_csv`` takes it)."""
    out = frame.copy()
    out.columns = [csv_cell(str(c)) for c in frame.columns]
    for i, dtype in enumerate(out.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            out.isetitem(i, out.iloc[:, i].astype(object).map(csv_cell))
    return out.to_csv(index=False, sep=sep, quoting=csv.QUOTE_MINIMAL, float_format=float_format)


def csv_bytes(frame: pd.DataFrame, float_format: str | None = None) -> bytes:
    """A table as CSV in UTF-8 with a BOM, no text able to start a formula."""
    return csv_text(frame, float_format=float_format).encode(CSV_ENCODING)
