"""A sheet as a grid of values with cell addresses: merged cells resolved, formulas without a saved value marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from openpyxl.utils import get_column_letter

from weakorg.read.cells import normalized
from weakorg.read.guard import Budget

Pos = tuple[int, int]  # (row, column), both 1-based


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

    def texts(self) -> dict[Pos, str]:
        """Every non-empty cell's ``text``, made in one pass (kept: do not modify)."""
        if len(self._texts) != len(self.values) or self._texts.keys() != self.values.keys():
            done = self._texts
            self._texts = {pos: done[pos] if pos in done else normalized(v) for pos, v in self.values.items()}
        return self._texts

    def addr(self, row: int, col: int) -> str:
        """The address where a cell's value is written ("B5"); a merged cell gives its range's first cell."""
        pos = (row, col)
        pos = self.origin.get(pos, pos)
        text = _addresses.get(pos)
        return text if text is not None else _address(pos)

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


ADDRESS_LIMIT = 1 << 16  # the memo of addresses is emptied when it grows past this many
_addresses: dict[Pos, str] = {}  # one string per address for every table read (each table keeps an address per value)


def _address(pos: Pos) -> str:
    """ "B5" for (5, 2), remembered in ``_addresses``."""
    if len(_addresses) >= ADDRESS_LIMIT:
        _addresses.clear()
    text = _addresses[pos] = f"{get_column_letter(pos[1])}{pos[0]}"
    return text


def _clean(value: object) -> object:
    """A cell value as the parsers want it: None for whitespace-only text, a bare time of day as text."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, time):
        return value.isoformat()
    return value


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
