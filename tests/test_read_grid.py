"""Grids: both .xlsx engines give the same grid; percent formats are found however they are written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from messy import Book, F1Spec, excel_bytes, put_f1, xlsx_bytes
from openpyxl import Workbook
from test_read_messy import VARIATIONS

from weakorg.read.cells import is_percent_format
from weakorg.read.xlsx import CALAMINE, OPENPYXL, xlsx_grids


def _book_of(variation: str) -> Book:
    """The Book a variation of test_read_messy builds."""
    import messy

    made: list[Book] = []
    original = messy.CONTAINERS["xlsx"]
    messy.CONTAINERS["xlsx"] = lambda book: made.append(book) or original(book)
    try:
        VARIATIONS[variation]("xlsx")
    finally:
        messy.CONTAINERS["xlsx"] = original
    return made[0]


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 9)
    return value.strip() if isinstance(value, str) else value


def _summary(data: bytes, engine: str):
    out = []
    for g in xlsx_grids(data, engine=engine):
        values = {pos: _plain(v) for pos, v in g.values.items()}
        percent = {pos for pos, fmt in g.formats.items() if is_percent_format(fmt)}
        out.append((g.sheet, values, percent, g.origin, g.uncached))
    return out


@pytest.mark.parametrize("save", [xlsx_bytes, excel_bytes], ids=["openpyxl-saved", "excel-saved"])
@pytest.mark.parametrize("variation", list(VARIATIONS))
def test_both_engines_give_the_same_grid(variation, save):
    data = save(_book_of(variation))
    assert _summary(data, CALAMINE) == _summary(data, OPENPYXL)


@pytest.mark.parametrize(
    ("fmt", "is_percent"),
    [("0%", True), ("0.00%", True), ("0.0%", True), ("#,##0.0%", True), ('0.0"%"', False), ("0.00", False)],
)
def test_percent_formats_however_written(fmt, is_percent):
    wb = Workbook()
    wb.active["B2"] = 0.052
    wb.active["B2"].number_format = fmt
    wb.active["B3"] = date(2014, 4, 25)
    for engine in (CALAMINE, OPENPYXL):
        (g,) = xlsx_grids(xlsx_bytes(_wrap(wb)), engine=engine)
        assert is_percent_format(g.number_format(2, 2)) == is_percent, (engine, fmt)
        assert g.value(2, 2) == pytest.approx(0.052)
        assert _plain(g.value(3, 2)) == date(2014, 4, 25)


def _wrap(wb: Workbook) -> Book:
    book = Book()
    book.wb = wb
    return book


def test_calamine_grid_of_a_real_return_has_percent_cells():
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(percent_style=3))
    (g,) = xlsx_grids(excel_bytes(book), engine=CALAMINE)
    assert g.number_format(6, 3) == "0.00%" and g.value(6, 3) == pytest.approx(0.0167)
