"""An OpenDocument spreadsheet (.ods) as Grids, from its content.xml: repeats and spans counted before expanded."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from defusedxml import ElementTree

from weakorg.read.grid import Grid, Pos, _clean, fill_merged
from weakorg.read.guard import Budget, ReadLimits, Refused, amount

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODS_PERCENT = "0.00%"  # the number format given to an OpenDocument percentage cell


_ROW_ELEMENTS = 20_000  # XML elements one ODS row may hold (a row of 200 cells of rich text holds a few thousand)


def _ods_text(cell, room: int) -> str:
    """The text of an OpenDocument cell: its paragraphs on separate lines, <text:s> as spaces.

    ``room``: the characters the budget has left; a text (or a repeat count inside it) past it is refused
    before it is made.
    """
    made = 0

    def add(out: list[str], piece: str) -> None:
        nonlocal made
        made += len(piece)
        if made > room:
            raise Refused("TOO_LARGE", "")
        out.append(piece)

    def walk(node, out: list[str]) -> None:
        if node.tag == f"{_ODS_TEXT}s":
            n = int(node.get(f"{_ODS_TEXT}c", 1))
            if made + n > room:
                raise Refused("TOO_LARGE", "")
            add(out, " " * n)
        elif node.tag == f"{_ODS_TEXT}line-break":
            add(out, "\n")
        elif node.tag == f"{_ODS_TEXT}tab":
            add(out, "\t")
        else:
            add(out, node.text or "")
            for child in node:
                walk(child, out)
                add(out, child.tail or "")

    paragraphs = []
    for p in cell.findall(f"{_ODS_TEXT}p"):
        parts: list[str] = []
        walk(p, parts)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _ods_value(cell, room: int = 1 << 62) -> tuple[object, str, bool]:
    """(value, number format, formula without a saved value) of an OpenDocument cell; ``room`` as in _ods_text."""
    kind = cell.get(f"{_ODS_OFFICE}value-type")
    formula = cell.get(f"{_ODS_TABLE}formula") is not None
    if kind in ("float", "currency", "percentage"):
        raw = cell.get(f"{_ODS_OFFICE}value")
        if raw is None:
            return None, "", formula
        number = float(raw)
        return (int(number) if number.is_integer() else number), ODS_PERCENT if kind == "percentage" else "", False
    if kind == "date":
        raw = cell.get(f"{_ODS_OFFICE}date-value", "")
        try:
            return datetime.fromisoformat(raw), "", False
        except ValueError:
            return _clean(raw), "", False
    if kind == "boolean":
        return cell.get(f"{_ODS_OFFICE}boolean-value") == "true", "", False
    if kind is None and formula:
        return None, "", True
    return _clean(_ods_text(cell, room)), "", False


def ods_grids(data: bytes, limits: ReadLimits | None = None) -> list[Grid]:
    """Every table of an OpenDocument spreadsheet (.ods) as a Grid; repeated empty rows and columns cost nothing.

    Repeats and spans are counted against the read budget before they are expanded, and each row is
    dropped from the parsed tree once read, so memory follows what the file really holds.
    """
    limits = limits or ReadLimits()
    budget = Budget(limits)
    grids: list[Grid] = []
    merges: list[tuple[int, int, int]] = []
    grid = Grid(sheet="")
    row = rows_written = 0
    stack: list = []
    elements = in_row = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            if event == "start":
                stack.append(el)
                if el.tag == f"{_ODS_TABLE}table":
                    grid, row, rows_written, merges = Grid(sheet=el.get(f"{_ODS_TABLE}name", "")), 0, 0, []
                    budget.sheet(grid.sheet)
                elif el.tag == f"{_ODS_TABLE}table-row":
                    in_row = 0
                continue
            stack.pop()
            elements += 1
            in_row += 1
            if in_row > _ROW_ELEMENTS:
                raise Refused("TOO_LARGE", f"工作表“{grid.sheet}”第{row + 1}行的XML元素超过{amount(_ROW_ELEMENTS)}个")
            if elements > 4 * limits.max_cells:
                raise Refused("TOO_LARGE", f"表格内容的XML元素超过{amount(4 * limits.max_cells)}个")
            if el.tag == f"{_ODS_TABLE}table-row":
                repeat = int(el.get(f"{_ODS_TABLE}number-rows-repeated", 1))
                rows_written += 1
                if rows_written > limits.max_rows:
                    raise Refused("TOO_LARGE", f"工作表“{grid.sheet}”超过{limits.max_rows}行")
                try:
                    cells = _ods_row(el, row + 1, limits, grid, merges, budget)
                except Refused as refused:
                    if refused.detail:
                        raise
                    raise Refused(
                        "TOO_LARGE", f"工作表“{grid.sheet}”展开后超过{amount(limits.max_chars)}个字符"
                    ) from refused
                if cells:
                    if row + repeat > limits.max_rows:
                        raise Refused("TOO_LARGE", f"工作表“{grid.sheet}”超过{limits.max_rows}行")
                    chars = sum(len(v) for v in cells.values() if isinstance(v, str))
                    budget.spend(grid.sheet, len(cells) * (repeat - 1), chars * (repeat - 1))
                    for extra in range(1, repeat):  # a row written once for several identical rows
                        for (_, c), v in cells.items():
                            grid.values[(row + 1 + extra, c)] = v
                    grid.n_rows = row + repeat
                row += repeat
                el.clear()
                if stack:
                    stack[-1].remove(el)  # read: nothing of it stays in the tree
            elif el.tag == f"{_ODS_TABLE}table":
                fill_merged(grid, merges, budget)
                grids.append(grid)
                el.clear()
    return grids


def _ods_row(
    el, row: int, limits: ReadLimits, grid: Grid, merges: list[tuple[int, int, int]], budget: Budget
) -> dict[Pos, object]:
    """Put the cells of one OpenDocument row into the grid, counted against the budget; the values put, by position."""
    out: dict[Pos, object] = {}
    col = 0
    for cell in el:
        if cell.tag not in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
            continue
        repeat = int(cell.get(f"{_ODS_TABLE}number-columns-repeated", 1))
        if cell.tag.endswith("}table-cell"):
            value, fmt, uncached = _ods_value(cell, limits.max_chars - budget.chars)
        else:
            value, fmt, uncached = None, "", False
        if value is not None or uncached:
            if col + repeat > limits.max_cols:
                raise Refused("TOO_LARGE", f"工作表“{grid.sheet}”超过{limits.max_cols}列")
            budget.spend(grid.sheet, repeat, repeat * len(value) if isinstance(value, str) else 0)
            for k in range(1, repeat + 1):
                pos = (row, col + k)
                if uncached:
                    grid.uncached.add(pos)
                    continue
                out[pos] = grid.values[pos] = value
                if fmt:
                    grid.formats[pos] = fmt
            grid.n_cols = max(grid.n_cols, col + repeat)
            spanned = int(cell.get(f"{_ODS_TABLE}number-rows-spanned", 1))
            if spanned > 1:
                across = int(cell.get(f"{_ODS_TABLE}number-columns-spanned", 1))
                budget.merge(grid.sheet, spanned * across, row + spanned - 1, col + across)
                merges.append((row, col + 1, row + spanned - 1))
        col += repeat
    return out
