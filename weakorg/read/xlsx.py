"""An .xlsx/.xlsm workbook as Grids: calamine or openpyxl for values, our own scan of the sheet XML for the rest."""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

from defusedxml import ElementTree
from openpyxl import load_workbook

from weakorg.logsafe import exception_line
from weakorg.read.cells import is_percent_format
from weakorg.read.grid import Grid, Pos, _clean, fill_merged, spend_grid
from weakorg.read.guard import Budget, ReadLimits, Refused, amount, column_number
from weakorg.read.package import local, part_of, read_part, sheet_parts, styles_part, take, with_slashes

try:
    from python_calamine import CalamineWorkbook, SheetTypeEnum
except ImportError:  # openpyxl reads everything, only slower
    CalamineWorkbook = SheetTypeEnum = None

log = logging.getLogger(__name__)

_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a cell's formula (not <formula1> of a data validation)
# The same elements written without a namespace prefix, and a prefixed one (x:c, x:f): a pattern that starts with a
# literal "<c" is searched several times faster than one starting with "<" and an optional prefix. Where no element of
# that name carries a prefix, the plain pattern finds exactly what the general one does.
_PLAIN_FORMULA = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA = re.compile(rb":f[\s>/]")


def _uncached_formulas(xml: bytes) -> set[Pos]:
    """Formula cells of a worksheet's XML that carry no saved value."""
    if not (_FORMULA if _PREFIXED_FORMULA.search(xml) else _PLAIN_FORMULA).search(xml):
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


OPENPYXL, CALAMINE = "openpyxl", "calamine"
# The .xlsx reader: python-calamine reads values many times faster (bench/readers.py); openpyxl when it is missing
# or fails. Number formats (only percent matters) and unsaved formulas come from our own scan of the sheet XML.
XLSX_ENGINE = CALAMINE if CalamineWorkbook is not None else OPENPYXL

_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_REFS = re.compile(rb"<(?:\w+:)?c r=\"([A-Z]{1,3})(\d{1,7})\"")
_PLAIN_CELL_START = re.compile(rb"<c[\s>/]")  # as above, where no cell carries a prefix (see _PLAIN_FORMULA)
_PLAIN_CELL_REFS = re.compile(rb"<c r=\"([A-Z]{1,3})(\d{1,7})\"")
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_ANY_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})(\d{1,7})\"")
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d{1,7})\"")
_MERGE = re.compile(  # as loosely as any engine reads a merged range: $A$1, lower case, either quote
    rb"<(?:\w+:)?mergeCell\b[^>]*?\sref\s*=\s*[\"']\$?([A-Za-z]{1,4})\$?(\d{1,10}):\$?([A-Za-z]{1,4})\$?(\d{1,10})[\"']"
)
_SHARED_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\st=\"s\"[^>]*>\s*<(?:\w+:)?v>\s*(\d{1,9})\s*<")
_SST_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
# A value written with spaces around it, "<v> 3" or "3 </v>" (<x:v> too), searched for fast: the first only where
# "v>" and a space occur (a literal to look for first), the second, \s</(?:\w+:)?v>, as ">v/<" and a space in the
# XML read backwards (again a literal first, where the forward pattern is tried at every byte).
_SPACE_AFTER_V = re.compile(rb"v>\s")
_PADDED_OPEN = re.compile(rb"<(?:\w+:)?v>\s")
_PADDED_CLOSE_REVERSED = re.compile(rb">v(?::\w+)?/<\s")


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
    plain = not _PREFIXED_CELL.search(xml)  # no <x:c>: the plain patterns find the same cells, faster
    scan.cells = len((_PLAIN_CELL_START if plain else _CELL_START).findall(xml))
    refs = (_PLAIN_CELL_REFS if plain else _CELL_REFS).findall(xml)
    scan.all_refs = len(refs) == scan.cells
    if refs:
        letters, numbers = (set(part) for part in zip(*refs, strict=True))  # a few distinct rows and columns
        scan.rows = max(map(int, numbers))
        scan.cols = column_number(max(letters, key=lambda c: (len(c), c)).decode())
    scan.shared = xml.count(b't="s"')
    at = xml.find(b"mergeCell")
    if at >= 0:
        scan.merged = [
            (int(r1), column_number(c1.decode().upper()), int(r2), column_number(c2.decode().upper()))
            for c1, r1, c2, r2 in _MERGE.findall(xml, max(0, at - 16))
        ]
    if percent:
        styled = b"|".join(str(i).encode() for i in percent)
        prefix = rb"<c" if plain else rb"<(?:\w+:)?c"
        pattern = re.compile(prefix + rb" r=\"([A-Z]+)(\d+)\"[^>]*?\ss=\"(" + styled + rb")\"")
        for col, row, style in pattern.findall(xml):
            scan.percent[(int(row), column_number(col.decode()))] = percent[int(style)]
    scan.uncached = _uncached_formulas(xml)
    scan.padded = _padded(xml)
    return scan


def _padded(xml: bytes) -> bool:
    """Whether a worksheet's XML writes a value with spaces around it (<v> 3 </v>), which calamine misreads."""
    if _SPACE_AFTER_V.search(xml) and _PADDED_OPEN.search(xml):
        return True
    return _PADDED_CLOSE_REVERSED.search(xml[::-1]) is not None


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
    before an engine reads it. The XML comes from the guard's inflating when it checked these very bytes
    (``package.take``), else from the zip.
    """
    limits = limits or ReadLimits()
    engine = engine or XLSX_ENGINE
    budget = Budget(limits)
    scans: dict[str, SheetScan] = {}
    seen: dict = {}
    zf = take(data) or zipfile.ZipFile(io.BytesIO(data))  # the guard's, its XML parts inflated once: not again
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
            xml = read_part(zf, path)
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
            values = grid.values
            chars = 0
            for r, row in enumerate(rows, start=1):
                for c, raw in enumerate(row, start=1):
                    if raw.__class__ is str:  # most cells: kept unless empty (calamine's "") or only spaces
                        if raw.strip():
                            values[(r, c)] = raw
                            chars += len(raw)
                    elif raw.__class__ is float:
                        values[(r, c)] = raw
                    else:
                        value = _clean(raw)
                        if value is None or value == "":
                            continue
                        values[(r, c)] = value
                        chars += len(value) if isinstance(value, str) else 0
            for pos, fmt in percent.items():  # a percent style on a number (our scan: calamine has no formats)
                if isinstance(values.get(pos), int | float):
                    grid.formats[pos] = fmt
            budget.spend(grid.sheet, len(values), chars)  # ``spend_grid``, its characters counted above
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
