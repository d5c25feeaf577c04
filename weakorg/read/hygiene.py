"""Text hygiene at the edge: characters no text of a return may keep, removed from every grid as it is read.

Control characters (C0 but tab, line feed and carriage return; DEL and C1), lone surrogates and the
non-characters U+FFFE/U+FFFF cannot be written to an .xlsx, are refused by PostgreSQL (NUL) or by any
UTF-8 encoder (a lone surrogate), and never mean anything in a return. They are removed once, here, so
that everything downstream (checks, store, pages, exports) only ever sees clean text; ``Grid.cleaned``
keeps what was removed where, and ``control_findings`` reports it (``CONTROL_CHARS_REMOVED``), cell by cell.
"""

from __future__ import annotations

import re

from weakorg.findings import Finding, finding
from weakorg.read.grid import Grid
from weakorg.tables import F1, Table

# Also the invisible format characters a pasted name carries (zero-width spaces and joiners, a BOM inside the text)
# and the bidirectional controls, which can make a name read otherwise than it is written: 洋溪镇\u200b大桥村 is
# 洋溪镇大桥村 to every reader, and must be to search, matching and the checks.
CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def strip_controls(text: str) -> tuple[str, str]:
    """The text without control characters, and the characters removed (in order; "" when none)."""
    if CONTROL_CHARS.search(text) is None:
        return text, ""
    return CONTROL_CHARS.sub("", text), "".join(CONTROL_CHARS.findall(text))


def char_codes(removed: str, most: int = 3) -> str:
    """The distinct characters removed as code points, for a message: "U+0001、U+0000" (at most ``most``, then 等)."""
    codes = [f"U+{ord(ch):04X}" for ch in dict.fromkeys(removed)]
    return "、".join(codes[:most]) + ("等" if len(codes) > most else "")


def scrub_grid(grid: Grid) -> Grid:
    """Remove control characters from every text of the grid and its sheet name, noting each cell in ``grid.cleaned``.

    One compiled search per text (the usual grid has none to remove); a text left empty becomes an empty cell.
    """
    search = CONTROL_CHARS.search
    texts = [v for v in grid.values.values() if isinstance(v, str)]
    if search("".join(texts)) is None:  # the usual grid: its texts searched at once (no character spans two)
        dirty = []
    else:
        dirty = [pos for pos, v in grid.values.items() if isinstance(v, str) and search(v) is not None]
    for pos in dirty:
        text, removed = strip_controls(grid.values[pos])
        grid.cleaned[pos] = removed
        if text.strip():
            grid.values[pos] = text
        else:
            del grid.values[pos]
            grid.formats.pop(pos, None)
    if dirty:
        grid._texts.clear()  # normalised texts made before (none in the reader's order, but keep Grid honest)
        grid._indexed = -1
    grid.sheet, grid.sheet_cleaned = strip_controls(grid.sheet)
    return grid


def scrub_grids(grids: list[Grid]) -> list[Grid]:
    """``scrub_grid`` of every grid of a file."""
    return [scrub_grid(g) for g in grids]


def _cell_owners(tables: list[Table]) -> dict[str | None, tuple[Table, str | None]]:
    """Each cell a sheet's tables read -> (its table, the organization of its register line)."""
    out: dict[str | None, tuple[Table, str | None]] = {}
    for table in tables:
        for cell in (table.unit_cell, table.category_cell, table.date_cell):
            out.setdefault(cell, (table, None))
        records = table.records()
        if table.form == F1:
            for rec in records.values():
                for key, cell in rec.items():
                    if key.endswith("_cell"):
                        out.setdefault(cell, (table, None))
            continue
        names = records.get("name") or []
        for column, cells in records.items():
            if column.endswith("_cell"):
                for i, cell in enumerate(cells):
                    out.setdefault(cell, (table, names[i] if i < len(names) else None))
    return out


def control_findings(file: str, grid: Grid, tables: list[Table]) -> list[Finding]:
    """A CONTROL_CHARS_REMOVED finding for each cell of a sheet with tables (and its name) that lost control characters.

    It says where and how many, and which code points; never the cell's text (it may be a name or a phone number).
    """
    if not tables or not (grid.cleaned or grid.sheet_cleaned):
        return []
    owners = _cell_owners(tables)
    spots: dict[str | None, str] = {None: grid.sheet_cleaned} if grid.sheet_cleaned else {}
    for pos in sorted(grid.cleaned):
        spots.setdefault(grid.addr(*pos), grid.cleaned[pos])  # a merged range once, at its first cell
    out = []
    for cell, removed in spots.items():
        table, org = owners.get(cell, (tables[0], None))
        where = f"单元格{cell}" if cell else "的名称"
        msg = (
            f"文件《{file}》工作表“{grid.sheet}”{where}含有{len(removed)}个不可见的控制字符（{char_codes(removed)}），"
            "读取时已删除。请在原表中核对并改正后重新上传。"
        )
        out.append(
            finding(
                "CONTROL_CHARS_REMOVED", msg, file=file, sheet=grid.sheet, cell=cell, unit=table.unit,
                category=table.category, org=org, form=table.form,
            )
        )  # fmt: skip
    return out
