"""An old .xls workbook (BIFF) as Grids: xlrd, and python-calamine where xlrd cannot read a BIFF8 file."""

from __future__ import annotations

import io
import logging

import xlrd

from weakorg.read.grid import Grid, _clean, fill_merged, spend_grid
from weakorg.read.guard import Budget, ReadLimits, Refused
from weakorg.read.xlsx import _calamine_grids  # calamine reads BIFF8 as it reads .xlsx

try:
    from python_calamine import CalamineWorkbook
except ImportError:  # xlrd reads .xls alone
    CalamineWorkbook = None

log = logging.getLogger(__name__)


def _xls_open(data: bytes) -> xlrd.book.Book:
    try:
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Refused("ENCRYPTED") from exc
        raise Refused("CORRUPT", "旧版Excel（.xls）文件无法打开") from exc


def xls_grids(data: bytes, limits: ReadLimits | None = None) -> list[Grid]:
    """Every worksheet of an old .xls workbook as a Grid, like ``xlsx_grids`` gives them.

    xlrd reads BIFF2-8 with number formats; a file it refuses as damaged (a compound file some tools write
    with sectors shared between streams) is read by python-calamine: values and merged ranges, no formats.
    """
    limits = limits or ReadLimits()
    try:
        return _xlrd_grids(data, limits)
    except Refused as exc:
        if exc.reason != "CORRUPT":
            raise
        failure = exc
    except Exception as exc:  # xlrd raises many kinds of errors on a file it cannot read
        failure = Refused("CORRUPT", "旧版Excel（.xls）文件无法打开")
        failure.__cause__ = exc
    grids = _calamine_xls_grids(data, limits)
    if grids is None:
        raise failure
    return grids


_BIFF8_STREAM = "Workbook".encode("utf-16-le")  # the stream name in a compound file's directory


def _calamine_xls_grids(data: bytes, limits: ReadLimits) -> list[Grid] | None:
    """The worksheets of an .xls through python-calamine (no number formats); None when it cannot read it either.

    Only a BIFF8 workbook (its "Workbook" stream): calamine reads the texts of an Excel 95 "Book" as gibberish.
    """
    if CalamineWorkbook is None or _BIFF8_STREAM not in data:
        return None
    try:
        return _calamine_grids(data, limits, {}, Budget(limits))
    except Refused:
        raise
    except BaseException as exc:  # a Rust panic is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return None


def _xlrd_grids(data: bytes, limits: ReadLimits) -> list[Grid]:
    """The worksheets of an .xls through xlrd (values, number formats, merged ranges)."""
    budget = Budget(limits)
    book = _xls_open(data)
    grids = []
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            if ws.nrows > limits.max_rows or ws.ncols > limits.max_cols:
                raise Refused("TOO_LARGE", f"工作表“{ws.name}”有{ws.nrows}行、{ws.ncols}列")
            grid = Grid(sheet=ws.name, n_rows=ws.nrows, n_cols=ws.ncols)
            for r in range(ws.nrows):
                # rows as long as written (ragged): a far cell pads no other row; blank cells (a formatted
                # area is written as blanks) are passed over without making a cell of each
                for c, kind in enumerate(ws.row_types(r)):
                    if kind in _XLS_NOTHING:
                        continue
                    value, fmt = _xls_value(book, ws.cell(r, c))
                    if value is None:
                        continue
                    grid.values[(r + 1, c + 1)] = value
                    if fmt and isinstance(value, float) and fmt != "General":
                        grid.formats[(r + 1, c + 1)] = fmt
            spend_grid(budget, grid)
            for rlo, rhi, clo, chi in ws.merged_cells:
                budget.merge(ws.name, (rhi - rlo) * (chi - clo), rhi, chi)
            fill_merged(grid, [(rlo + 1, clo + 1, rhi) for rlo, rhi, clo, _ in ws.merged_cells], budget)
            grids.append(grid)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return grids


_XLS_NOTHING = frozenset((xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR))


def _xls_value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> tuple[object, str]:
    """A cell's value as openpyxl would give it (dates as datetime), and its number format."""
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None, ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value), ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return _clean(cell.value), ""
    xf = book.xf_list[cell.xf_index] if cell.xf_index < len(book.xf_list) else None  # old files may have none
    fmt = book.format_map.get(xf.format_key) if xf else None
    fmt = fmt.format_str if fmt else ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _clean(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)), fmt
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value, fmt
    return cell.value, fmt
