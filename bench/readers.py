"""How fast openpyxl and python-calamine read our returns, and whether calamine reads them right.

Run: .venv/bin/python bench/readers.py [--repeat 3] [--lines 5000]

Corpora: every .xlsx of sample_data/, one generated big register (an F2 of ``--lines`` lines), and the
test suite's messy returns (percent formats, dates, merged cells) saved as Excel saves them.
Timings are the best of ``--repeat`` runs. "grid" is the reader's step that turns a workbook into grids
(values, percent formats, merged cells, unsaved formulas) with either engine; "read_file" is the whole
reader (guard, grid, locate, parse); "calamine alone" loads every sheet's values and merged ranges, the
most calamine gives by itself (it has no number formats, which the reader takes from its own XML scan).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import messy as messy_module  # noqa: E402
from messy import Book, RegisterSpec, excel_bytes, f2_lines_with_extra, put_register, xlsx_bytes  # noqa: E402
from test_read_messy import VARIATIONS  # noqa: E402

from weakorg.read import read_file  # noqa: E402
from weakorg.read import xlsx as xlsx_module  # noqa: E402
from weakorg.read.xlsx import CALAMINE, OPENPYXL, xlsx_grids  # noqa: E402

try:
    from python_calamine import CalamineWorkbook
except ImportError:  # the benchmark still reports openpyxl
    CalamineWorkbook = None


def calamine_sheets(data: bytes) -> list[tuple[str, list[list[object]], list]]:
    """(name, rows of values, merged ranges) of every sheet, as calamine reads them."""
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        out.append((name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges))
    wb.close()
    return out


def best(fn, corpus: list[bytes], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for data in corpus:
            fn(data)
        times.append(time.perf_counter() - start)
    return min(times)


def _same(a: object, b: object) -> bool:
    if isinstance(a, datetime) and isinstance(b, date):
        return a.date() == (b.date() if isinstance(b, datetime) else b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
    return a == b


def differences(corpus: list[bytes]) -> dict[str, int]:
    """Cells where calamine's value differs from openpyxl's, by kind; and percent cells calamine cannot tell."""
    out = {"cells": 0, "differ": 0, "percent_format_lost": 0}
    for data in corpus:
        grids = {g.sheet: g for g in xlsx_grids(data)}
        for name, rows, _ in calamine_sheets(data):
            grid = grids[name]
            for (r, c), value in grid.values.items():
                if grid.origin.get((r, c)):
                    continue  # merged filler, ours
                out["cells"] += 1
                got = rows[r - 1][c - 1] if r - 1 < len(rows) and c - 1 < len(rows[r - 1]) else None
                if not _same(value, got):
                    out["differ"] += 1
                if "%" in grid.number_format(r, c):
                    out["percent_format_lost"] += 1
    return out


def big_register(lines: int) -> bytes:
    book = Book()
    base = f2_lines_with_extra()
    rows = []
    for i in range(lines):
        line = dict(base[i % len(base)])
        line["name"] = (f"第{i}党支部", f"第{i}党支部")
        rows.append(line)
    put_register(book, book.sheet("附件2"), RegisterSpec(lines=rows, extra=True, blank_rows=0))
    return xlsx_bytes(book)


def _book_of(make) -> Book:
    """The Book a test variation builds (its .xlsx container re-made as Excel saves it)."""
    made: list[Book] = []
    original = messy_module.CONTAINERS["xlsx"]
    messy_module.CONTAINERS["xlsx"] = lambda book: made.append(book) or original(book)
    try:
        make("xlsx")
    finally:
        messy_module.CONTAINERS["xlsx"] = original
    return made[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args()
    corpora = {
        f"sample_data ({len(list((ROOT / 'sample_data').glob('*.xlsx')))} files)": [
            p.read_bytes() for p in sorted((ROOT / "sample_data").glob("*.xlsx"))
        ],
        f"one F2 of {args.lines} lines": [big_register(args.lines)],
        f"messy returns ({len(VARIATIONS)} files as Excel saves them)": [
            excel_bytes(_book_of(make)) for make in VARIATIONS.values()
        ],
    }
    for label, corpus in corpora.items():
        size = sum(map(len, corpus)) / 1024
        print(f"{label}, {size:.0f} KB")
        if CalamineWorkbook is None:
            print("  calamine        not installed")
            continue
        raw = best(calamine_sheets, corpus, args.repeat)
        print(f"  calamine alone                  {raw:8.3f} s")
        grid, whole = {}, {}
        for engine in (OPENPYXL, CALAMINE):
            grid[engine] = best(lambda d, e=engine: xlsx_grids(d, engine=e), corpus, args.repeat)
            xlsx_module.XLSX_ENGINE = engine
            whole[engine] = best(lambda d: read_file(d, name="bench.xlsx"), corpus, args.repeat)
            print(f"  {engine:9} grid {grid[engine]:8.3f} s   read_file {whole[engine]:8.3f} s")
        print(
            f"  openpyxl/calamine: grid {grid[OPENPYXL] / grid[CALAMINE]:.1f}x, "
            f"read_file {whole[OPENPYXL] / whole[CALAMINE]:.1f}x"
        )
        print(f"  calamine alone vs openpyxl values: {differences(corpus)}")


if __name__ == "__main__":
    main()
