"""The guard: XML tricks, zip bombs and sheets declaring a million rows are refused before any reader expands them."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import openpyxl.xml
import pytest
from messy import Book, F1Spec, csv_bytes, put_f1, shared_strings, xls_bytes, xlsx_bytes

import weakorg.read
from bench import hostile
from weakorg.read import ReadLimits, _entities_refused, guard, package, read_file
from weakorg.read import xls as xls_module
from weakorg.read import xlsx as xlsx_module

LOL = (
    b'<!DOCTYPE sst [<!ENTITY lol "lollollollollollollollollollol">'
    + b"".join(
        b'<!ENTITY lol%d "' % i + (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10 + b'">' for i in range(1, 10)
    )
    + b"]>"
)
XXE = b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _book() -> Book:
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec())
    return book


def _replace(data: bytes, part: str, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, new if info.filename == part else src.read(info.filename))
        if part not in src.namelist():
            dst.writestr(part, new)
    return out.getvalue()


def _sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


@pytest.fixture
def no_reader(monkeypatch):
    """Fail the test if a workbook reader is reached: the guard must refuse the file first."""

    def refuse(*args, **kwargs):
        raise AssertionError("a reader saw a file the guard should have refused")

    monkeypatch.setattr(xlsx_module, "load_workbook", refuse)
    monkeypatch.setattr(xlsx_module, "_calamine_grids", refuse)
    monkeypatch.setattr(xls_module, "_xls_open", refuse)
    monkeypatch.setattr(xls_module, "_calamine_grids", refuse)


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


def test_shared_strings_as_excel_writes_them_are_read():
    fr = read_file(shared_strings(xlsx_bytes(_book())), name="a.xlsx")
    assert fr.ok and fr.tables[0].unit == "娄星区"


@pytest.mark.parametrize(("doctype", "first"), [(LOL, b"&lol9;"), (XXE, b"&xxe;")])
def test_entity_tricks_in_shared_strings_are_refused_unexpanded(doctype, first, no_reader):
    data = shared_strings(xlsx_bytes(_book()), doctype=doctype, first=first)
    fr = read_file(data, name="a.xlsx")
    assert (fr.status, fr.reason, fr.tables) == ("rejected", "CORRUPT", [])
    assert "XML实体" in fr.message


@pytest.mark.parametrize("doctype", [LOL, XXE])
def test_entity_tricks_in_a_sheet_are_refused(doctype, no_reader):
    data = xlsx_bytes(_book())
    sheet = _sheet_xml(data).replace(b"<worksheet", doctype.replace(b"sst", b"worksheet") + b"<worksheet", 1)
    sheet = sheet.replace(b"<t>", b"<t>&lol9;" if doctype == LOL else b"<t>&xxe;", 1)
    fr = read_file(_replace(data, "xl/worksheets/sheet1.xml", sheet), name="a.xlsx")
    assert (fr.status, fr.reason, fr.tables) == ("rejected", "CORRUPT", [])


def test_entity_trick_anywhere_in_a_part_is_refused_by_the_guard(no_reader):
    padding = b"<!--" + b" " * 3_000_000 + b"-->"  # past the first chunk the guard unpacks
    data = shared_strings(xlsx_bytes(_book()), doctype=padding + LOL, first=b"&lol9;")
    fr = read_file(data, name="a.xlsx", limits=ReadLimits(max_ratio=10_000))
    assert (fr.status, fr.reason, fr.tables) == ("rejected", "CORRUPT", [])
    assert "XML实体" in fr.message


@pytest.mark.parametrize("doctype", [LOL, XXE])
def test_openpyxl_refuses_entities_if_one_ever_got_past_the_guard(doctype):
    data = shared_strings(xlsx_bytes(_book()), doctype=doctype, first=b"&lol9;" if doctype == LOL else b"&xxe;")
    with pytest.raises(Exception) as caught:
        xlsx_module._openpyxl_grids(data, ReadLimits())
    assert _entities_refused(caught.value)


def test_entity_trick_in_the_workbook_part_is_refused(no_reader):
    data = xlsx_bytes(_book())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        workbook = zf.read("xl/workbook.xml")
    workbook = XXE.replace(b"sst", b"workbook") + workbook.replace(b'name="', b'name="&xxe;', 1)
    fr = read_file(_replace(data, "xl/workbook.xml", workbook), name="a.xlsx")
    assert (fr.status, fr.reason) == ("rejected", "CORRUPT")
    assert "XML实体" in fr.message


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:D1048576", "A1:XFD10", "XFD1048576"])
def test_a_sheet_declaring_a_huge_range_is_refused_before_any_reader(ref, no_reader):
    data = xlsx_bytes(_book())
    # (openpyxl writes <dimension ref="A1:D17" /> or, through lxml, without the space)
    sheet, n = re.subn(rb'<dimension ref="A1:D17"\s*/>', f'<dimension ref="{ref}" />'.encode(), _sheet_xml(data))
    assert n == 1
    fr = read_file(_replace(data, "xl/worksheets/sheet1.xml", sheet), name="a.xlsx")
    assert (fr.status, fr.reason) == ("rejected", "TOO_LARGE")
    assert "行" in fr.message and "附件1" in fr.message


def test_zip_bomb_refused_by_its_compression_ratio(no_reader):
    data = xlsx_bytes(_book())
    sheet = _sheet_xml(data).replace(b"</worksheet>", b" " * 30_000_000 + b"</worksheet>")
    bomb = _replace(data, "xl/worksheets/sheet1.xml", sheet)
    assert len(bomb) < 200_000
    fr = read_file(bomb, name="a.xlsx")
    assert (fr.status, fr.reason) == ("rejected", "TOO_LARGE")
    assert "压缩比" in fr.message


@pytest.mark.parametrize(
    ("limits", "word"),
    [
        (ReadLimits(max_bytes=2000), "文件大小"),
        (ReadLimits(max_unpacked=4000), "解压后"),
        (ReadLimits(max_ratio=1.5, min_ratio_bytes=0), "压缩比"),
        (ReadLimits(max_rows=10), "行"),
        (ReadLimits(max_cols=3), "列"),
    ],
)
def test_every_limit_is_configurable(limits, word, no_reader):
    fr = read_file(xlsx_bytes(_book()), name="a.xlsx", limits=limits)
    assert (fr.status, fr.reason) == ("rejected", "TOO_LARGE")
    assert word in fr.message


@pytest.mark.parametrize("make", [xls_bytes, lambda b: csv_bytes(b, "gbk")], ids=["xls", "csv"])
def test_row_and_column_limits_hold_for_xls_and_csv(make):
    book = _book()
    assert read_file(make(book), name="a").ok
    for limits in (ReadLimits(max_rows=10), ReadLimits(max_cols=3)):
        assert read_file(make(book), name="a", limits=limits).reason == "TOO_LARGE"


def _ods(content: str, mime: str = "application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", mime)
        zf.writestr("content.xml", content)
    return buf.getvalue()


ODS_HEAD = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
)
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def test_open_document_text_is_not_a_spreadsheet(no_reader):
    fr = read_file(_ods("<x/>", mime="application/vnd.oasis.opendocument.text"), name="a.ods")
    assert (fr.status, fr.reason) == ("rejected", "NOT_SPREADSHEET")


def test_ods_with_an_entity_trick_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(weakorg.read, "ods_grids", lambda *a, **k: pytest.fail("the reader saw it"))
    fr = read_file(_ods(LOL.decode() + ODS_HEAD + ODS_TAIL), name="a.ods")
    assert (fr.status, fr.reason) == ("rejected", "CORRUPT")
    assert "XML实体" in fr.message


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>', "EMPTY"),
        ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" '
         'office:value="1"/></table:table-row>', "TOO_LARGE"),
        ('<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
         "<text:p>x</text:p></table:table-cell></table:table-row>", "TOO_LARGE"),
    ],
    ids=["empty-repeated-rows", "a-value-repeated-down", "a-value-repeated-across"],
)  # fmt: skip
def test_ods_repeats_cost_nothing_when_empty_and_are_bounded_when_not(row, reason):
    content = ODS_HEAD + f'<table:table table:name="Sheet1">{row}</table:table>' + ODS_TAIL
    fr = read_file(_ods(content), name="a.ods")
    assert (fr.status, fr.reason) == ("rejected", reason)


# --- the zip itself: entries counted before they are listed, members inflated to their real end -----------------


def test_a_zip_of_too_many_entries_is_refused_before_they_are_listed(no_reader):
    fr = read_file(hostile.zip_empty_entries(12_000), name="a.xlsx")
    assert (fr.status, fr.reason) == ("rejected", "TOO_LARGE")
    assert "压缩包中有12006个文件，超过1万个" in fr.message


def test_an_end_record_understating_its_entries_does_not_hide_them(no_reader):
    data = bytearray(hostile.zip_empty_entries(2_000))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 5, 5)  # "5 entries"
    fr = read_file(bytes(data), name="a.xlsx", limits=ReadLimits(max_members=1_000))
    assert (fr.reason, "压缩包中有2006个文件" in fr.message) == ("TOO_LARGE", True)


def test_a_member_hiding_more_than_it_declares_is_refused_by_what_it_really_inflates(monkeypatch):
    monkeypatch.setattr(weakorg.read, "ods_grids", lambda *a, **k: pytest.fail("the reader saw it"))
    data = hostile.zip_lying_size(real=3 * 2**20, declared=1_000)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo("content.xml").file_size == 1_000  # what zipfile (and the old guard) believed
    fr = read_file(data, name="a.ods", limits=ReadLimits(max_unpacked=2 * 2**20))
    assert (fr.reason, "解压后超过2MB" in fr.message) == ("TOO_LARGE", True)
    fr = read_file(data, name="a.ods")  # within the budget, but not what it says it is
    assert (fr.reason, "文件内容校验失败（content.xml）" in fr.message) == ("CORRUPT", True)


def test_a_lying_member_past_the_default_budget_stops_at_it(monkeypatch):
    monkeypatch.setattr(weakorg.read, "ods_grids", lambda *a, **k: pytest.fail("the reader saw it"))
    fr = read_file(hostile.zip_lying_size(), name="a.ods")
    assert (fr.reason, "解压后超过200MB" in fr.message) == ("TOO_LARGE", True)


def test_a_member_declaring_more_than_it_holds_is_corrupt(no_reader):
    data = bytearray(xlsx_bytes(_book()))
    central = data.find(b"PK\x01\x02")
    (declared,) = struct.unpack_from("<I", data, central + 24)
    struct.pack_into("<I", data, central + 24, declared + 10)
    fr = read_file(bytes(data), name="a.xlsx")
    assert fr.reason == "CORRUPT"


def test_bytes_unpacked_count_across_members():
    members = {f"xl/media/image{i}.png": hostile.padding(600_000, seed=i) for i in range(4)}
    base = hostile.xlsx_parts(b'<row r="1"><c r="A1"><v>1</v></c></row>')
    fr = read_file(hostile.zip_of(base | members), name="a.xlsx", limits=ReadLimits(max_unpacked=2_000_000))
    assert (fr.reason, "解压后" in fr.message) == ("TOO_LARGE", True)
    assert read_file(hostile.zip_of(base | members), name="a.xlsx").reason == "NO_FORM"


# --- one inflate: the guard hands the parts it inflated and checked on to the reader -----------------------------


def _zip_opens(monkeypatch) -> list[str]:
    """The members zipfile inflates from now on, by name."""
    opened: list[str] = []
    real = zipfile.ZipFile.open

    def counting(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting)
    return opened


def _grids_of(data: bytes) -> list[tuple]:
    return [(g.sheet, g.values, g.formats, g.uncached) for g in xlsx_module.xlsx_grids(data)]


def test_the_reader_scans_the_xml_the_guard_inflated_without_inflating_it_again(monkeypatch):
    data = xlsx_bytes(_book())
    alone = _grids_of(data)  # nothing handed on: the reader inflates the parts itself
    opened = _zip_opens(monkeypatch)
    assert weakorg.read.sniff(data) == "xlsx"
    guard_opened = len(opened)
    assert _grids_of(data) == alone
    assert opened[guard_opened:] == []  # workbook, relationships, styles, shared strings, sheets: all from the guard
    assert package.take(data) is None  # taken once


def test_parts_past_the_room_kept_and_other_bytes_are_read_from_the_zip(monkeypatch):
    data = xlsx_bytes(_book())
    alone = _grids_of(data)
    monkeypatch.setattr(guard, "KEEP_BYTES", 600)  # room for the small parts only
    opened = _zip_opens(monkeypatch)
    weakorg.read.sniff(data)
    guard_opened = len(opened)
    assert _grids_of(data) == alone
    assert "xl/worksheets/sheet1.xml" in opened[guard_opened:]  # too big to keep: inflated again, the same
    weakorg.read.sniff(data)
    copy = bytes(bytearray(data))  # equal bytes, another object: nothing of the guard's is taken for it
    assert package.take(copy) is None
    assert _grids_of(copy) == alone


def test_a_file_the_guard_refuses_hands_nothing_on():
    refused = _replace(xlsx_bytes(_book()), "xl/sharedStrings.xml", LOL + b"<sst/>")
    with pytest.raises(weakorg.read.Refused):
        weakorg.read.sniff(refused)
    assert package.take(refused) is None
