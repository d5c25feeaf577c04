"""A sheet as a grid of values with cell addresses: merged cells resolved, formulas without a saved value marked."""

from __future__ import annotations

import csv
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache

import xlrd
from defusedxml import ElementTree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from weakorg.logsafe import exception_line
from weakorg.read.cells import is_percent_format, normalized
from weakorg.read.guard import Budget, ReadLimits, Refused, amount, column_number
from weakorg.read.package import local, part_of, read_part, sheet_parts, styles_part, with_slashes

try:
    from python_calamine import CalamineWorkbook, SheetTypeEnum
except ImportError:  # openpyxl reads everything, only slower
    CalamineWorkbook = SheetTypeEnum = None

log = logging.getLogger(__name__)

Pos = tuple[int, int]  # (row, column), both 1-based

_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


@dataclass
class Grid:
    """The non-empty cells of one sheet, with their number formats, merged ranges filled down, and uncached formulas."""

    sheet: str
    values: dict[Pos, object] = field(default_factory=dict)
    formats: dict[Pos, str] = field(default_factory=dict)
    origin: dict[Pos, Pos] = field(default_factory=dict)  # a cell filled from a merged range -> the range's first cell
    uncached: set[Pos] = field(default_factory=set)  # formula cells with no saved value
    cleaned: dict[Pos, str] = field(default_factory=dict)  # cells whose control characters were removed -> those
    sheet_cleaned: str = ""  # control characters removed from the sheet's name (weakorg.read.hygiene)
    n_rows: int = 0
    n_cols: int = 0
    _texts: dict[Pos, str] = field(default_factory=dict, repr=False)
    _columns: dict[int, list[int]] = field(default_factory=dict, repr=False)  # row -> its non-empty columns
    _indexed: int = field(default=-1, repr=False)  # how many cells _columns was built from

    def value(self, row: int, col: int) -> object:
        """The value of a cell (None when empty)."""
        return self.values.get((row, col))

    def text(self, row: int, col: int) -> str:
        """The cell's value as normalised text (NFKC, no whitespace); "" when empty."""
        pos = (row, col)
        if pos not in self._texts:
            v = self.values.get(pos)
            self._texts[pos] = "" if v is None else normalized(v)
        return self._texts[pos]

    def addr(self, row: int, col: int) -> str:
        """The address where a cell's value is written ("B5"); a merged cell gives its range's first cell."""
        return _address(*self.origin.get((row, col), (row, col)))

    def number_format(self, row: int, col: int) -> str:
        """The number format of a cell ("" when general or unknown)."""
        return self.formats.get((row, col), "")

    def columns_of(self, row: int) -> list[int]:
        """The columns of a row's non-empty cells, left to right (an index built once the grid is complete)."""
        if self._indexed != len(self.values):
            self._columns = {}
            for r, c in sorted(self.values):
                self._columns.setdefault(r, []).append(c)
            self._indexed = len(self.values)
        return self._columns.get(row, [])

    def row_cells(self, row: int) -> list[tuple[int, object]]:
        """(column, value) of the non-empty cells of a row, left to right."""
        return [(c, self.values[(row, c)]) for c in self.columns_of(row)]

    def is_blank_row(self, row: int) -> bool:
        """True when the row has no text at all."""
        return not any(self.text(row, c) for c in self.columns_of(row))

    @property
    def is_empty(self) -> bool:
        return not any(self.text(r, c) for r, c in self.values)


@lru_cache(maxsize=1 << 16)
def _address(row: int, col: int) -> str:
    """ "B5" for (5, 2): one string per address for every table read (each table keeps an address per value)."""
    return f"{get_column_letter(col)}{row}"


def _clean(value: object) -> object:
    """A cell value as the parsers want it: None for whitespace-only text, a bare time of day as text."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, time):
        return value.isoformat()
    return value


def _uncached_formulas(xml: bytes) -> set[Pos]:
    """Formula cells of a worksheet's XML that carry no saved value."""
    if b"<f" not in xml:
        return set()
    out: set[Pos] = set()
    for m in _FORMULA_CELL.finditer(xml):
        inner = m.group(3) or b""
        if b"<f" not in inner or _HAS_VALUE.search(inner):
            continue
        ref = _REF.search(m.group(1))
        if ref:
            out.add((int(ref.group(2)), column_number(ref.group(1).decode())))
    return out


def spend_grid(budget: Budget, grid: Grid) -> None:
    """Count a sheet's placed cells and the characters of its texts against the file's budget."""
    budget.spend(grid.sheet, len(grid.values), sum(len(v) for v in grid.values.values() if isinstance(v, str)))


def fill_merged(grid: Grid, ranges: list[tuple[int, int, int]], budget: Budget | None = None) -> None:
    """Fill each vertically merged range (first row, column, last row) down its first column with its value.

    With a budget, the cells and characters the filling makes are counted first, and refused if over.
    """
    if budget is not None:
        cells = chars = 0
        for min_row, min_col, max_row in ranges:
            top = grid.values.get((min_row, min_col))
            if top is not None and max_row > min_row:
                cells += max_row - min_row
                chars += (max_row - min_row) * len(top) if isinstance(top, str) else 0
        budget.spend(grid.sheet, cells, chars)
    for min_row, min_col, max_row in ranges:
        top = (min_row, min_col)
        if max_row == min_row or top not in grid.values:
            continue
        for r in range(min_row + 1, max_row + 1):
            grid.values[(r, min_col)] = grid.values[top]
            grid.origin[(r, min_col)] = top
            if top in grid.formats:
                grid.formats[(r, min_col)] = grid.formats[top]


OPENPYXL, CALAMINE = "openpyxl", "calamine"
# The .xlsx reader: python-calamine reads values many times faster (bench/readers.py); openpyxl when it is missing
# or fails. Number formats (only percent matters) and unsaved formulas come from our own scan of the sheet XML.
XLSX_ENGINE = CALAMINE if CalamineWorkbook is not None else OPENPYXL

_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_REFS = re.compile(rb"<(?:\w+:)?c r=\"([A-Z]{1,3})(\d{1,7})\"")
_ANY_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})(\d{1,7})\"")
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d{1,7})\"")
_MERGE = re.compile(  # as loosely as any engine reads a merged range: $A$1, lower case, either quote
    rb"<(?:\w+:)?mergeCell\b[^>]*?\sref\s*=\s*[\"']\$?([A-Za-z]{1,4})\$?(\d{1,10}):\$?([A-Za-z]{1,4})\$?(\d{1,10})[\"']"
)
_SHARED_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\st=\"s\"[^>]*>\s*<(?:\w+:)?v>\s*(\d{1,9})\s*<")
_SST_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
_PADDED_VALUE = (re.compile(rb"\s</(?:\w+:)?v>"), re.compile(rb"<(?:\w+:)?v>\s"))  # two: 3x faster than one


@dataclass
class SheetScan:
    """What the XML of a worksheet tells beside its values: where it reaches, percent cells, unsaved formulas."""

    rows: int = 0
    cols: int = 0
    all_refs: bool = True  # every cell names its address (r="B5"): positions from the XML are exact
    cells: int = 0  # <c> elements: at most this many cells for any engine to place
    shared: int = 0  # cells whose value is a shared string (t="s")
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, col, last row, col)
    percent: dict[Pos, str] = field(default_factory=dict)
    uncached: set[Pos] = field(default_factory=set)
    padded: bool = False  # a value written with spaces around it (<v> 3 </v>), which calamine misreads


def percent_styles(zf: zipfile.ZipFile) -> dict[int, str] | None:
    """Cell style index -> number format, for the styles that show a number as a percentage; None if unreadable."""
    path = styles_part(zf)
    if path is None:
        return {}
    try:
        xml = read_part(zf, path)
    except KeyError:
        return {}
    return _percent_styles(xml)


@lru_cache(maxsize=64)
def _percent_styles(xml: bytes) -> dict[int, str] | None:
    """``percent_styles`` of one styles.xml, remembered: workbooks made from one template share it (do not modify).

    Elements are matched by local name: transitional and Strict OOXML name the same elements in two namespaces.
    """
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, ValueError):
        return None
    codes = dict(_BUILTIN_PERCENT)
    xfs = None
    for el in root.iter():
        name = local(el.tag)
        if name == "numFmt" and is_percent_format(el.get("formatCode", "")):
            codes[int(el.get("numFmtId", -1))] = el.get("formatCode", "")
        elif name == "cellXfs":
            xfs = el
    if xfs is None:
        return {}
    out = {}
    for i, xf in enumerate(x for x in xfs if local(x.tag) == "xf"):
        fmt_id = int(xf.get("numFmtId", 0))
        if fmt_id in codes:
            out[i] = codes[fmt_id]
    return out


def scan_sheet(xml: bytes, percent: dict[int, str]) -> SheetScan:
    """Scan a worksheet's XML: its extent, which cells have a percent style, which formulas have no saved value."""
    scan = SheetScan()
    scan.cells = len(_CELL_START.findall(xml))
    refs = _CELL_REFS.findall(xml)
    scan.all_refs = len(refs) == scan.cells
    if refs:
        scan.rows = max(int(r) for _, r in refs)
        scan.cols = column_number(max((c for c, _ in refs), key=lambda c: (len(c), c)).decode())
    scan.shared = xml.count(b't="s"')
    at = xml.find(b"mergeCell")
    if at >= 0:
        scan.merged = [
            (int(r1), column_number(c1.decode().upper()), int(r2), column_number(c2.decode().upper()))
            for c1, r1, c2, r2 in _MERGE.findall(xml, max(0, at - 16))
        ]
    if percent:
        styled = b"|".join(str(i).encode() for i in percent)
        pattern = re.compile(rb"<(?:\w+:)?c r=\"([A-Z]+)(\d+)\"[^>]*?\ss=\"(" + styled + rb")\"")
        for col, row, style in pattern.findall(xml):
            scan.percent[(int(row), column_number(col.decode()))] = percent[int(style)]
    scan.uncached = _uncached_formulas(xml)
    scan.padded = any(p.search(xml) for p in _PADDED_VALUE)
    return scan


def unaddressed_extent(xml: bytes, limits: ReadLimits) -> tuple[int, int]:
    """(rows, columns) a sheet whose rows or cells do not all name their address can reach, at most.

    A row or cell without an address comes right after the one before it (as openpyxl places it), so the
    extent is bounded by the last address named plus the unaddressed ones after it, row by row.
    """
    starts = [m.start() for m in _ROW_START.finditer(xml)]
    if len(starts) > limits.max_rows:
        return len(starts), 0
    rows = cols = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(xml)
        head = _ROW_REF.match(xml, start)
        rows = int(head.group(1)) if head else rows + 1
        refs = _ANY_CELL_REF.findall(xml, start, end)
        n_cells = len(_CELL_START.findall(xml, start + 4, end))
        last = max((column_number(c.decode()) for c, _ in refs), default=0)
        cols = max(cols, last + n_cells - len(refs))
    return rows, cols


def shared_string_sizes(zf: zipfile.ZipFile) -> list[int]:
    """The length in bytes of each item of the shared strings table (a bound on its characters); [] if none."""
    try:
        xml = read_part(zf, part_of(zf, "/sharedStrings") or "xl/sharedStrings.xml")
    except KeyError:
        return []
    starts = [m.start() for m in _SST_ITEM.finditer(xml)]
    return [b - a for a, b in zip(starts, [*starts[1:], len(xml)][: len(starts)], strict=True)]


def _check_sheet(
    name: str, xml: bytes, scan: SheetScan, sizes: list[int], limits: ReadLimits, budget: Budget, seen: dict
) -> None:
    """Refuse a workbook whose sheet would expand past the budget, from its XML and scan, before any engine reads it.

    ``seen`` carries the cells and characters of the sheets checked before (the budget is the file's).
    """
    seen["cells"] = seen.get("cells", 0) + scan.cells
    if seen["cells"] > limits.max_cells:
        raise Refused("TOO_LARGE", f"工作表“{name}”有超过{amount(limits.max_cells)}个单元格")
    if not scan.all_refs:
        rows, cols = unaddressed_extent(xml, limits)
        scan.rows, scan.cols = max(rows, scan.rows), max(cols, scan.cols)
    if scan.rows > limits.max_rows or scan.cols > limits.max_cols:
        raise Refused("TOO_LARGE", f"工作表“{name}”有{scan.rows}行、{scan.cols}列")
    if scan.merged:
        area = sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in scan.merged)
        budget.merge(name, area, max(r[2] for r in scan.merged), max(r[3] for r in scan.merged))
    # Every cell naming a shared string gets its own copy of the text: bound what they add up to, and count
    # them one by one only when the bound (the longest string for every such cell) is over.
    chars = seen.get("chars", 0) + scan.shared * max(sizes, default=0)
    if chars > limits.max_chars:
        chars = seen.get("chars", 0)
        for index in _SHARED_CELL.findall(xml):
            chars += sizes[int(index)] if int(index) < len(sizes) else 0
        if chars > limits.max_chars:
            raise Refused("TOO_LARGE", f"工作表“{name}”展开后超过{amount(limits.max_chars)}个字符")
    seen["chars"] = chars


def xlsx_grids(data: bytes, limits: ReadLimits | None = None, engine: str | None = None) -> list[Grid]:
    """Every worksheet of an .xlsx/.xlsm workbook as a Grid (saved values of formulas, merged ranges filled down).

    Each sheet's XML is scanned once, and the workbook refused if it would expand past the read budget,
    before an engine reads it.
    """
    limits = limits or ReadLimits()
    engine = engine or XLSX_ENGINE
    budget = Budget(limits)
    scans: dict[str, SheetScan] = {}
    seen: dict = {}
    zf = zipfile.ZipFile(io.BytesIO(data))
    if any("\\" in n for n in zf.namelist()):  # engines look parts up by exact name: give them "/" names
        zf.close()
        data = with_slashes(data)
        zf = zipfile.ZipFile(io.BytesIO(data))
    with zf:
        percent = percent_styles(zf)
        names = set(zf.namelist())
        sizes = shared_string_sizes(zf)
        for name, path in sheet_parts(zf):
            if path not in names:
                scans[name] = SheetScan()
                continue
            xml = zf.read(path)
            scans[name] = scan_sheet(xml, percent or {})
            _check_sheet(name, xml, scans[name], sizes, limits, budget, seen)
    exact = percent is not None and all(scan.all_refs and not scan.padded for scan in scans.values())
    grids = None
    if engine == CALAMINE and CalamineWorkbook is not None and exact:
        try:
            grids = _calamine_grids(data, limits, scans, budget)
        except Refused:
            raise
        except BaseException as exc:  # a Rust panic is a BaseException; openpyxl gets its turn
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            log.warning("calamine could not read the workbook (%s); reading it with openpyxl", exception_line(exc))
    if grids is None:
        grids = _openpyxl_grids(data, limits, Budget(limits))
    for grid in grids:
        grid.uncached = scans.get(grid.sheet, SheetScan()).uncached
    return grids


def _calamine_grids(data: bytes, limits: ReadLimits, scans: dict[str, SheetScan], budget: Budget) -> list[Grid]:
    """The worksheets as Grids through python-calamine: its values, our scan's percent formats."""
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            last_row, last_col = sheet.end or (-1, -1)  # refused before to_python pads every row to the widest
            if last_row >= limits.max_rows or last_col >= limits.max_cols:
                raise Refused("TOO_LARGE", f"工作表“{meta.name}”有{last_row + 1}行、{last_col + 1}列")
            rows = sheet.to_python(skip_empty_area=False)
            n_cols = max((len(r) for r in rows), default=0)
            if len(rows) > limits.max_rows or n_cols > limits.max_cols:
                raise Refused("TOO_LARGE", f"工作表“{meta.name}”有{len(rows)}行、{n_cols}列")
            grid = Grid(sheet=meta.name, n_rows=len(rows), n_cols=n_cols)
            percent = scans.get(meta.name, SheetScan()).percent
            for r, row in enumerate(rows, start=1):
                for c, raw in enumerate(row, start=1):
                    value = _clean(raw)
                    if value is None or value == "":
                        continue
                    grid.values[(r, c)] = value
                    if (r, c) in percent and isinstance(value, int | float):
                        grid.formats[(r, c)] = percent[(r, c)]
            spend_grid(budget, grid)
            ranges = sheet.merged_cell_ranges or []
            fill_merged(grid, [(top + 1, left + 1, bottom + 1) for (top, left), (bottom, _) in ranges], budget)
            grids.append(grid)
    finally:
        wb.close()
    return grids


def _openpyxl_grids(data: bytes, limits: ReadLimits, budget: Budget | None = None) -> list[Grid]:
    """The worksheets as Grids through openpyxl (values, number formats, merged ranges)."""
    budget = budget or Budget(limits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops (data validation, slicers)
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    grids = []
    try:
        for ws in wb.worksheets:
            if ws.max_row > limits.max_rows or ws.max_column > limits.max_cols:
                raise Refused("TOO_LARGE", f"工作表“{ws.title}”有{ws.max_row}行、{ws.max_column}列")
            grid = Grid(sheet=ws.title, n_rows=ws.max_row, n_cols=ws.max_column)
            for row in ws.iter_rows():
                for cell in row:
                    value = _clean(cell.value)
                    if value is None:
                        continue
                    pos = (cell.row, cell.column)
                    grid.values[pos] = value
                    if isinstance(value, int | float) and cell.number_format != "General":
                        grid.formats[pos] = cell.number_format
            spend_grid(budget, grid)
            fill_merged(grid, [(r.min_row, r.min_col, r.max_row) for r in ws.merged_cells.ranges], budget)
            grids.append(grid)
    finally:
        wb.close()
    return grids


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


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (which covers GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Refused("NOT_SPREADSHEET", "这不是可识别编码的CSV文本") from exc


def csv_grid(data: bytes, sheet: str, limits: ReadLimits | None = None) -> Grid:
    """A CSV file as one Grid; numbers stay text (the cell parsers read them)."""
    limits = limits or ReadLimits()
    text = decode_text(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid = Grid(sheet=sheet)
    budget = Budget(limits)
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for r, record in enumerate(reader, start=1):
            if r > limits.max_rows:
                raise Refused("TOO_LARGE", f"超过{limits.max_rows}行")
            if len(record) > limits.max_cols:
                raise Refused("TOO_LARGE", f"第{r}行有{len(record)}列，超过{limits.max_cols}列")
            placed = chars = 0
            for c, value in enumerate(record, start=1):
                if value.strip():
                    grid.values[(r, c)] = value
                    grid.n_cols = max(grid.n_cols, c)
                    placed += 1
                    chars += len(value)
            budget.spend(sheet, placed, chars)
            grid.n_rows = r
    except csv.Error as exc:  # the only error a lenient reader raises: a field past csv.field_size_limit()
        raise Refused("TOO_LARGE", f"第{reader.line_num}行附近有一格超过{csv.field_size_limit()}个字符") from exc
    return grid
