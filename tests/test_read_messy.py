"""The reader on returns filled every way clerks fill them: each value read is compared with the truth."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from messy import (
    BESIDE,
    CONTAINERS,
    F2_LINES,
    F3_LINES,
    LINE,
    LINES,
    SPLIT,
    Book,
    F1Spec,
    Messy,
    RegisterSpec,
    counts_for,
    csv_bytes,
    f2_lines_with_extra,
    mismatches,
    put_f1,
    put_register,
    xlsx_bytes,
)

from weakorg.read import read_file
from weakorg.read import xlsx as xlsx_module
from weakorg.vocab import F2, F3


def _one(book: Book, name: str, container: str) -> Messy:
    suffix = "xlsx" if container == "excel" else container
    return Messy([(f"{name}.{suffix}", CONTAINERS[container](book))], book.expects, book.uncached)


def official(container: str) -> Messy:
    """The three forms on the official sheets, title rows and notes included, one sheet each."""
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec())
    put_register(book, book.sheet("附件2"), RegisterSpec())
    put_register(book, book.sheet("附件3"), RegisterSpec(form=F3, lines=F3_LINES))
    return _one(book, "娄星区", container)


def hand_written_numbers(container: str) -> Messy:
    """Counts as text with 个/人, full-width, stray spaces; percentages the four ways; every not-applicable mark."""
    book = Book()
    spec = F1Spec(counts=counts_for(1234, 37, 4), count_style=None, percent_style=None, na_style=None)
    put_f1(book, book.sheet("Sheet1"), spec)
    return _one(book, "娄星区-汇总表", container)


@pytest.mark.parametrize("style", [0, 1, 2, 3])
def test_each_percent_writing_in_every_cell(style):
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(counts=counts_for(87, 9, 2), percent_style=style))
    assert mismatches(_one(book, "a", "xlsx")) == []


def header_lines(container: str) -> Messy:
    """The header line in one cell, with line breaks, split over cells, values beside labels; loose unit names."""
    book = Book()
    ws = book.sheet("附件1-农村")
    row = put_f1(book, ws, F1Spec(header=LINE, unit_written="中共双峰县委组织部", unit="双峰县"))
    row = put_f1(
        book,
        ws,
        F1Spec(header=LINES, unit_written="双峰县委组织部（盖章）", unit="双峰县", category_written="社区",
               category="街道社区", date_written="2014.3.12", on=date(2014, 3, 12)),
        top=row,
    )  # fmt: skip
    row = put_f1(
        book,
        ws,
        F1Spec(header=SPLIT, unit_written="双峰", unit="双峰县", category_written="国企", category="国有企业",
               date_written="2014-03-12", on=date(2014, 3, 12)),
        top=row,
    )  # fmt: skip
    put_f1(
        book,
        ws,
        F1Spec(header=BESIDE, unit_written="双峰县", unit="双峰县", category_written="非公企业",
               category="非公有制经济组织", date_written=datetime(2014, 3, 12), on=date(2014, 3, 12)),
        top=row,
    )  # fmt: skip
    return _one(book, "双峰县", container)


def stacked_without_titles(container: str) -> Messy:
    """Several F1 tables stacked in one sheet with no title rows and no notes, right under each other."""
    book = Book()
    ws = book.sheet("Sheet1")
    row = 1
    for i, category in enumerate(("农村", "学校", "机关")):
        spec = F1Spec(category_written=category, category=category, counts=counts_for(50 + i * 7, 3 + i, i),
                      title=False, note=False, unit_written="经开区", unit="娄底经济技术开发区")  # fmt: skip
        row = put_f1(book, ws, spec, top=row) - 1
    return _one(book, "经开区", container)


def extra_first_column_and_merged_labels(container: str) -> Messy:
    """Everything one column to the right; the F1 labels merged (其中 over the three kinds)."""
    book = Book()
    put_f1(book, book.sheet("汇总"), F1Spec(merged_labels=True), left=2)
    put_register(book, book.sheet("一览表"), RegisterSpec(lines=f2_lines_with_extra(), extra=True), left=2)
    put_register(book, book.sheet("难点村"), RegisterSpec(form=F3, lines=F3_LINES, header=BESIDE), left=2)
    return _one(book, "娄星区", container)


def saved_formulas(container: str) -> Messy:
    """Totals as formulas whose values Excel saved."""
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(formulas="saved"))
    return _one(book, "娄星区", container)


def spread_over_sheets(container: str) -> Messy:
    """One F1 table per sheet, sheets named anything, registers with synonym headers and few blank rows."""
    book = Book()
    for i, (sheet, category) in enumerate((("附件1-农村", "农村"), ("卫生", "卫生"), ("Sheet3", "学校"))):
        canonical = {"卫生": "医疗卫生单位"}.get(category, category)
        put_f1(book, book.sheet(sheet), F1Spec(category_written=category, category=canonical,
                                               counts=counts_for(30 + i, 2 + i, i + 3)))  # fmt: skip
    headers = {"members": "党员人数", "seq": "编号", "phone": "联系\n电话"}
    put_register(book, book.sheet("名单"), RegisterSpec(headers=headers, blank_rows=0, note=False))
    return _one(book, "娄星区", container)


def forms_in_one_sheet(container: str) -> Messy:
    """The three forms one under another in one sheet, a category merged down over three lines of F2."""
    book = Book()
    ws = book.sheet("软弱涣散基层党组织报表")
    row = put_f1(book, ws, F1Spec(unit_written="涟源市委组织部", unit="涟源市"))
    f2 = RegisterSpec(lines=f2_lines_with_extra(), extra=True, unit_written="涟源", unit="涟源市", header=SPLIT,
                      merge_down={"category": (2, 4)}, blank_rows=6)  # fmt: skip
    row = put_register(book, ws, f2, top=row)
    put_register(book, ws, RegisterSpec(form=F3, lines=F3_LINES, unit_written="涟源市", unit="涟源市"), top=row)
    return _one(book, "涟源市", container)


def header_dates_and_stamps(container: str) -> Messy:
    """填报单位（盖章）, month-end and yearless dates in the header line; column headers with spaces and breaks."""
    book = Book()
    label = "填报单位（盖章）"
    put_register(book, book.sheet("附件2"), RegisterSpec(unit_label=label, unit_written="冷水江市委组织部（盖章）",
                 unit="冷水江市", date_written="2014年4月底", on=date(2014, 4, 30)))  # fmt: skip
    headers = {"members": "党员数（人）", "name": "村党组织 名称", "election_done": "换届选举\n完成时间",
               "phone": "书记联系电话"}  # fmt: skip
    put_register(book, book.sheet("附件3"), RegisterSpec(form=F3, lines=F3_LINES, unit_label=label, header=BESIDE,
                 unit_written="冷水江", unit="冷水江市", date_written="4月20日", on=date(2014, 4, 20),
                 headers=headers))  # fmt: skip
    return _one(book, "冷水江市", container)


VARIATIONS = {
    "forms_in_one_sheet": forms_in_one_sheet,
    "header_dates_and_stamps": header_dates_and_stamps,
    "official": official,
    "hand_written_numbers": hand_written_numbers,
    "header_lines": header_lines,
    "stacked_without_titles": stacked_without_titles,
    "extra_first_column_and_merged_labels": extra_first_column_and_merged_labels,
    "saved_formulas": saved_formulas,
    "spread_over_sheets": spread_over_sheets,
}


@pytest.fixture(params=[xlsx_module.CALAMINE, xlsx_module.OPENPYXL])
def engine(request, monkeypatch):
    """Each .xlsx reader in turn, and only that one: the other fails the test if it is reached."""
    monkeypatch.setenv("WEAKORG_WORKERS", "1")  # the patched reader is this process's: no pool worker reads

    def unused(*args, **kwargs):
        raise AssertionError("the other .xlsx reader was used")

    monkeypatch.setattr(xlsx_module, "XLSX_ENGINE", request.param)
    other = "_openpyxl_grids" if request.param == xlsx_module.CALAMINE else "_calamine_grids"
    monkeypatch.setattr(xlsx_module, other, unused)
    return request.param


@pytest.mark.parametrize("container", ["xlsx", "excel", "xlsm"])
@pytest.mark.parametrize("variation", list(VARIATIONS))
def test_every_value_read_as_meant(variation, container, engine):
    messy = VARIATIONS[variation](container)
    assert messy.expects
    assert mismatches(messy) == []


@pytest.mark.parametrize("container", ["xls", "ods"])
@pytest.mark.parametrize("variation", list(VARIATIONS))
def test_every_value_read_as_meant_from_xls_and_ods(variation, container):
    messy = VARIATIONS[variation](container)
    assert mismatches(messy) == []


def test_ods_fixture_is_what_another_reader_reads_too():
    from python_calamine import CalamineWorkbook

    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(percent_style=3))
    put_register(book, book.sheet("附件2"), RegisterSpec())
    wb = CalamineWorkbook.from_filelike(io.BytesIO(CONTAINERS["ods"](book)))
    assert wb.sheet_names == ["附件1", "附件2"]
    rows = wb.get_sheet_by_name("附件1").to_python()
    assert rows[4][:2] == ["所辖基层党组织", 120.0]
    assert rows[5][2] == pytest.approx(0.0167)  # a percentage cell holds the fraction
    assert mismatches(Messy([("a.ods", CONTAINERS["ods"](book))], book.expects)) == []


def test_uncached_formulas_in_ods_are_findings():
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(formulas="uncached"))
    messy = _one(book, "娄星区", "ods")
    assert len(messy.uncached) == 2
    assert mismatches(messy) == []


def test_calamine_failing_leaves_the_file_to_openpyxl(monkeypatch):
    def panic(*args, **kwargs):
        raise BaseException("a Rust panic")  # what pyo3 raises when calamine panics

    monkeypatch.setenv("WEAKORG_WORKERS", "1")  # the patched reader is this process's: no pool worker reads
    monkeypatch.setattr(xlsx_module, "XLSX_ENGINE", xlsx_module.CALAMINE)
    monkeypatch.setattr(xlsx_module, "_calamine_grids", panic)
    assert mismatches(official("excel")) == []


def test_tables_spread_over_files():
    files, expects = [], []
    for category in ("农村", "学校"):
        book = Book()
        put_f1(book, book.sheet("Sheet1"), F1Spec(category_written=category, category=category))
        files.append((f"新化县-附件1-{category}.xlsx", xlsx_bytes(book)))
        expects += book.expects
    book = Book()
    put_register(book, book.sheet("Sheet1"), RegisterSpec())
    files.append(("新化县-附件2.xls", CONTAINERS["xls"](book)))
    expects += book.expects
    assert mismatches(Messy(files, expects)) == []


def test_uncached_formulas_are_findings_never_zero():
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(formulas="uncached"))
    messy = _one(book, "娄星区", "xlsx")
    assert len(messy.uncached) == 2
    assert mismatches(messy) == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("form", ["F1", "F2", "F3"])
def test_csv_in_every_encoding(form, encoding):
    book = Book()
    ws = book.sheet(f"娄星区-{form}")  # a CSV's only sheet is named after the file
    if form == "F1":
        put_f1(book, ws, F1Spec(counts=counts_for(321, 12, 5), count_style=None, percent_style=None,
                                na_style=None, header=BESIDE))  # fmt: skip
    elif form == "F2":
        put_register(book, ws, RegisterSpec(lines=f2_lines_with_extra(), extra=True, header=SPLIT))
    else:
        put_register(book, ws, RegisterSpec(form=F3, lines=F3_LINES))
    name = f"娄星区-{form}.csv"
    messy = Messy([(name, csv_bytes(book, encoding))], book.expects)
    if form == "F1":
        assert messy.expects[0].header_cells == {"unit": "B3", "category": "D3", "date": "F3"}
    assert mismatches(messy) == []


def test_wps_et_is_routed_by_its_bytes():
    for container in ("xlsx", "xls"):
        messy = official(container)
        ((_, data),) = messy.files
        messy.files = [("娄星区.et", data)]
        assert mismatches(messy) == []


def test_macros_are_never_run():
    messy = official("xlsm")
    fr = read_file(messy.files[0][1], name="a.xlsm")
    assert fr.ok and fr.tables[0].rows.at["orgs_total", "count"] == 120


def test_f2_lines_cover_the_listed_writings():
    members = [line["members"][0] for line in F2_LINES]
    phones = [line["phone"][0] for line in F2_LINES + F3_LINES]
    secretaries = {line["secretary"][0] for line in F2_LINES}
    assert {"12人", "２８"} <= set(members) and 13907381234.0 in phones and "0738-8221234" in phones
    assert {None, "空缺", "暂缺"} <= secretaries
    assert F2 == "F2"
