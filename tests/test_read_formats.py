"""Files other tools write: each is read with the right values, and its malicious twin is still refused.

Every fixture is made here, part by part, the way LibreOffice, WPS, Excel (Strict), old Excel versions and
other libraries write them: a macro's DOCTYPE, a password-protected .ods, backslash member names, a workbook
found through _rels, Strict namespaces, BIFF2-5 record streams, a damaged compound file.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from datetime import date

import pytest
import xlrd
from messy import (
    F3_LINES,
    ODS_MIME,
    Book,
    F1Spec,
    Messy,
    RegisterSpec,
    counts_for,
    csv_bytes,
    excel_bytes,
    mismatches,
    ods_bytes,
    put_f1,
    put_register,
    xls_bytes,
)
from xlwt.CompoundDoc import XlsDoc

from weakorg.read import read_file
from weakorg.read.cells import DAY_FIRST, MONTH_FIRST
from weakorg.vocab import F3


def official_book(percent_style: int | None = 0) -> Book:
    """The three forms on their official sheets, as a county fills them."""
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(percent_style=percent_style))
    put_register(book, book.sheet("附件2"), RegisterSpec())
    put_register(book, book.sheet("附件3"), RegisterSpec(form=F3, lines=F3_LINES))
    return book


def rezip(data: bytes, change, extra: dict[str, bytes] | None = None) -> bytes:
    """The zip with each member passed through ``change(name, bytes) -> (name, bytes) | None`` and ``extra`` added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            kept = change(info.filename, src.read(info))
            if kept is not None:
                compress = zipfile.ZIP_STORED if kept[0] == "mimetype" else zipfile.ZIP_DEFLATED
                dst.writestr(kept[0], kept[1], compress_type=compress)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def with_doctype(body: bytes, doctype: bytes) -> bytes:
    """The XML with ``doctype`` after its declaration (or first when it has none)."""
    if body.startswith(b"<?xml"):
        return body.replace(b"?>", b"?>" + doctype, 1)
    return doctype + body


def read_right(book: Book, name: str, data: bytes) -> list[str]:
    """What was read differently from the book's truth (empty when every value and cell is right)."""
    return mismatches(Messy([(name, data)], book.expects, book.uncached))


def refused(data: bytes, name: str) -> str | None:
    """The reason code the reader refuses the file with (None when it reads it)."""
    fr = read_file(data, name=name)
    return None if fr.ok else fr.reason


# ---------------------------------------------------------------------------
# .ods with a Basic macro: LibreOffice writes a DOCTYPE (no entities) into the macro's parts
# ---------------------------------------------------------------------------
DTD_PUBLIC = '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN"'
BASIC_PARTS = {
    "Basic/script-lc.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:libraries PUBLIC {DTD_PUBLIC} "libraries.dtd">\n'
        '<library:libraries xmlns:library="http://openoffice.org/2000/library" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<library:library library:name="Standard" library:link="false"/></library:libraries>'
    ),
    "Basic/Standard/script-lb.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:library PUBLIC {DTD_PUBLIC} "library.dtd">\n'
        '<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
        'library:readonly="false" library:passwordprotected="false">'
        '<library:element library:name="Module1"/></library:library>'
    ),
    "Basic/Standard/Module1.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC {DTD_PUBLIC} "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        'script:language="StarBasic" script:moduleType="normal">REM  *****  BASIC  *****\n'
        "Sub Main\n  ThisComponent.Sheets(0).getCellByPosition(1, 4).setValue(999)\nEnd Sub\n</script:module>"
    ),
}


def ods_with_macro(book: Book, parts: dict[str, str] | None = None) -> bytes:
    """The .ods as LibreOffice saves it with a Basic module: the Basic parts, each starting with a DOCTYPE."""
    parts = BASIC_PARTS if parts is None else parts
    return rezip(ods_bytes(book), lambda n, b: (n, b), {k: v.encode() for k, v in parts.items()})


def test_ods_with_a_basic_macro_is_read():
    book = official_book()
    assert read_right(book, "娄星区.ods", ods_with_macro(book)) == []


def test_entity_in_a_macro_part_is_refused():
    book = official_book()
    module = BASIC_PARTS["Basic/Standard/Module1.xml"].replace(
        '"module.dtd">', '"module.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    data = ods_with_macro(book, {**BASIC_PARTS, "Basic/Standard/Module1.xml": module})
    assert refused(data, "娄星区.ods") == "CORRUPT"


@pytest.mark.parametrize("part", ["content.xml", "styles.xml", "META-INF/manifest.xml"])
def test_doctype_in_a_part_a_reader_parses_is_still_refused(part):
    book = official_book()
    doctype = b'<!DOCTYPE office:document-content PUBLIC "-//x//EN" "http://example.invalid/x.dtd">'

    def add_doctype(name: str, body: bytes):
        return (name, with_doctype(body, doctype)) if name == part else (name, body)

    extra = {"styles.xml": b'<?xml version="1.0" encoding="UTF-8"?><office:document-styles/>'}
    data = rezip(ods_with_macro(book), add_doctype, extra if part == "styles.xml" else None)
    if part == "styles.xml":
        data = rezip(data, add_doctype)
    assert refused(data, "娄星区.ods") == "CORRUPT"


def test_doctype_in_an_xlsx_part_is_still_refused():
    book = official_book()
    doctype = b'<!DOCTYPE sst PUBLIC "-//x//EN" "x.dtd">'
    data = rezip(
        excel_bytes(book),
        lambda n, b: (n, with_doctype(b, doctype)) if n == "xl/sharedStrings.xml" else (n, b),
    )
    assert refused(data, "娄星区.xlsx") == "CORRUPT"


# ---------------------------------------------------------------------------
# A password-protected .ods: its parts are encrypted and its manifest says so
# ---------------------------------------------------------------------------
def encrypted_ods(book: Book) -> bytes:
    """The .ods as LibreOffice saves it with a password: content.xml encrypted, encryption data in the manifest."""
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#'
        'sha256-1k" manifest:checksum="c2hhMjU2">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="aXY="/>'
        '<manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" '
        'manifest:key-size="32"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        'manifest:iteration-count="100000" manifest:salt="c2FsdA=="/></manifest:encryption-data>'
    )

    def encrypt(name: str, body: bytes):
        if name == "content.xml":
            return name, os.urandom(len(body) // 3 + 16)  # ciphertext: no XML a parser could make sense of
        if name == "META-INF/manifest.xml":
            entry = '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            assert entry.encode() in body
            ciphered = entry.replace("/>", f' manifest:size="{len(body)}">{encryption}</manifest:file-entry>')
            return name, body.replace(entry.encode(), ciphered.encode())
        return name, body

    return rezip(ods_bytes(book), encrypt)


def test_password_protected_ods_is_refused_as_encrypted():
    fr = read_file(encrypted_ods(official_book()), name="娄星区.ods")
    assert (fr.ok, fr.reason) == (False, "ENCRYPTED")
    assert "密码" in fr.message


def test_ods_without_encryption_data_is_not_called_encrypted():
    data = rezip(ods_bytes(official_book()), lambda n, b: (n, b"\x00garbage" if n == "content.xml" else b))
    assert refused(data, "娄星区.ods") == "CORRUPT"


def test_ods_mimetype_is_what_libreoffice_writes():
    with zipfile.ZipFile(io.BytesIO(ods_bytes(official_book()))) as zf:
        assert zf.read("mimetype").decode() == ODS_MIME


# ---------------------------------------------------------------------------
# .xlsx written by other libraries: backslash names, the workbook found through _rels
# ---------------------------------------------------------------------------
def test_xlsx_with_backslash_member_names_is_read():
    book = official_book()
    data = rezip(excel_bytes(book), lambda n, b: (n.replace("/", "\\"), b))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "xl\\workbook.xml" in zf.namelist()
    assert read_right(book, "娄星区.xlsx", data) == []


def _move_workbook(data: bytes, to: str) -> bytes:
    """The .xlsx with its workbook part moved to ``to``, found through _rels/.rels and [Content_Types].xml."""
    folder = to.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    depth = "../" if folder != "xl" and folder else ""
    from_root = "xl/" if not folder else ""

    def move(name: str, body: bytes):
        if name == "xl/workbook.xml":
            return to, body
        if name == "xl/_rels/workbook.xml.rels":
            if folder != "xl":  # targets are relative to the workbook's folder
                body = re.sub(rb'Target="(?!/)', f'Target="{depth}{from_root}'.encode(), body)
            return f"{prefix}_rels/{to.rpartition('/')[2]}.rels", body
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return name, body.replace(b"/xl/workbook.xml", f"/{to}".encode()).replace(
                b'"xl/workbook.xml"', f'"{to}"'.encode()
            )
        return name, body

    return rezip(data, move)


@pytest.mark.parametrize("to", ["xl/workbook2.xml", "workbook.xml", "book/main.xml"])
def test_xlsx_workbook_found_through_rels(to):
    book = official_book()
    data = _move_workbook(excel_bytes(book), to)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "xl/workbook.xml" not in zf.namelist() and to in zf.namelist()
    assert read_right(book, "娄星区.xlsx", data) == []


def test_zip_without_a_workbook_relationship_is_still_not_a_workbook():
    data = rezip(excel_bytes(official_book()), lambda n, b: None if n == "xl/workbook.xml" else (n, b))
    assert refused(data, "娄星区.xlsx") in ("NOT_SPREADSHEET", "CORRUPT")


def test_entity_in_package_relationships_is_refused():
    lol = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    data = _move_workbook(excel_bytes(official_book()), "xl/workbook2.xml")
    data = rezip(data, lambda n, b: (n, with_doctype(b, lol)) if n == "_rels/.rels" else (n, b))
    assert refused(data, "娄星区.xlsx") == "CORRUPT"


# ---------------------------------------------------------------------------
# Old .xls: BIFF2-4 bare record streams, BIFF5 in a compound file, a BIFF8 file xlrd refuses
# ---------------------------------------------------------------------------
BIFF_BOF = {2: 0x0009, 3: 0x0209, 4: 0x0409, 5: 0x0809}
BIFF_VERSION = {2: 0x0002, 3: 0x0300, 4: 0x0400, 5: 0x0500}


def _record(opcode: int, body: bytes) -> bytes:
    return struct.pack("<HH", opcode, len(body)) + body


def _bof(version: int, kind: int) -> bytes:
    if version == 2:
        return _record(BIFF_BOF[2], struct.pack("<HH", BIFF_VERSION[2], kind))
    if version == 5:
        return _record(BIFF_BOF[5], struct.pack("<HHHH", BIFF_VERSION[5], kind, 0, 0))
    return _record(BIFF_BOF[version], struct.pack("<HHH", BIFF_VERSION[version], kind, 0))


def _cells(version: int, ws) -> bytes:
    """The sheet's values as BIFF LABEL and NUMBER records (texts in GBK, as a Chinese Excel 4.0 or 95 saved them)."""
    out = b""
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            r, c = cell.row - 1, cell.column - 1
            if isinstance(value, int | float) and not isinstance(value, bool):
                if version == 2:
                    out += _record(0x0003, struct.pack("<HH3sd", r, c, b"\0\0\0", value))
                else:
                    out += _record(0x0203, struct.pack("<HHHd", r, c, 0, value))
                continue
            text = str(value).encode("gbk")
            if version == 2:
                out += _record(0x0004, struct.pack("<HH3sB", r, c, b"\0\0\0", len(text)) + text)
            else:
                out += _record(0x0204, struct.pack("<HHHH", r, c, 0, len(text)) + text)
    return out


CODEPAGE_GBK = _record(0x0042, struct.pack("<H", 936))


def biff_sheet(version: int, ws) -> bytes:
    """One worksheet as an Excel 2.1, 3.0 or 4.0 file saves it: a bare BIFF stream, no compound file."""
    return _bof(version, 0x0010) + CODEPAGE_GBK + _cells(version, ws) + _record(0x000A, b"")


def biff5_workbook(book: Book) -> bytes:
    """The book as Excel 95 saves it: BIFF5 records in the "Book" stream of a compound file."""
    sheets = [_bof(5, 0x0010) + _cells(5, ws) + _record(0x000A, b"") for ws in book.wb.worksheets]
    names = [ws.title.encode("gbk") for ws in book.wb.worksheets]
    head = _bof(5, 0x0005) + CODEPAGE_GBK
    globals_size = len(head) + sum(4 + 7 + len(n) for n in names) + 4
    bound, at = b"", globals_size
    for name, sheet in zip(names, sheets, strict=True):
        bound += _record(0x0085, struct.pack("<IBBB", at, 0, 0, len(name)) + name)
        at += len(sheet)
    stream = head + bound + _record(0x000A, b"") + b"".join(sheets)
    buf = io.BytesIO()
    XlsDoc().save(buf, stream)  # xlwt's compound file writer names the stream "Workbook", as BIFF8 has it
    data = bytearray(buf.getvalue())
    at = data.index("Workbook\0".encode("utf-16-le"))
    data[at : at + 64] = "Book\0".encode("utf-16-le").ljust(64, b"\0")
    struct.pack_into("<H", data, at + 64, len("Book\0") * 2)
    return bytes(data)


def f1_book() -> Book:
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec())
    return book


@pytest.mark.parametrize("version", [2, 3, 4])
def test_excel_2_to_4_xls_is_read(version):
    book = f1_book()
    data = biff_sheet(version, book.wb.worksheets[0])
    for expect in book.expects:
        expect.sheet = "Sheet 1"  # a BIFF2-4 file is one sheet with no name; xlrd names it so
    assert read_right(book, "娄星区.xls", data) == []


def test_excel_95_xls_is_read():
    book = official_book()
    assert read_right(book, "娄星区.xls", biff5_workbook(book)) == []


def test_bare_biff_stream_that_is_not_a_workbook_is_refused():
    data = _bof(2, 0x0010) + b"\xff" * 40
    assert refused(data, "娄星区.xls") in ("CORRUPT", "NOT_SPREADSHEET")
    assert refused(b"\x09\x00\x04\x00garbage" + b"\0" * 40, "x.xls") == "NOT_SPREADSHEET"


def damaged_compound_xls(book: Book) -> bytes:
    """The .xls (BIFF8, xlwt) with its root entry pointing its mini stream at the workbook's first sector.

    Some tools write such files; xlrd refuses them ("Workbook corruption: seen[0] == 4"), Excel opens them.
    """
    return shared_sector(xls_bytes(book))


def shared_sector(compound: bytes) -> bytes:
    """The compound file with its root entry's mini stream starting on the first stream's sector."""
    data = bytearray(compound)
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    root = 512 + struct.unpack_from("<i", data, 48)[0] * sector  # the directory's first entry is the root
    assert data[root : root + 8] == "Root".encode("utf-16-le")
    struct.pack_into("<iI", data, root + 116, 0, 512)
    return bytes(data)


def test_xls_xlrd_refuses_is_read_by_calamine():
    book = official_book()
    data = damaged_compound_xls(book)
    with pytest.raises(xlrd.compdoc.CompDocError):
        xlrd.open_workbook(file_contents=data, logfile=io.StringIO())
    assert read_right(book, "娄星区.xls", data) == []


def test_excel_95_xls_xlrd_refuses_is_corrupt_not_gibberish():
    data = shared_sector(biff5_workbook(official_book()))
    with pytest.raises(xlrd.compdoc.CompDocError):
        xlrd.open_workbook(file_contents=data, logfile=io.StringIO())
    assert refused(data, "娄星区.xls") == "CORRUPT"  # calamine would read its GBK texts as gibberish


def test_xls_neither_reader_can_open_is_corrupt():
    data = bytearray(xls_bytes(official_book()))
    data[512:4096] = b"\xab" * (4096 - 512)  # the workbook stream's records overwritten
    assert refused(bytes(data), "娄星区.xls") == "CORRUPT"


# ---------------------------------------------------------------------------
# Strict OOXML: the same parts in other namespaces
# ---------------------------------------------------------------------------
STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def strict_xlsx(data: bytes) -> bytes:
    """The .xlsx as Excel saves it as "Strict Open XML Spreadsheet": Strict namespaces and relationship types."""

    def to_strict(name: str, body: bytes):
        for transitional, strict in STRICT.items():
            body = body.replace(transitional, strict)
        if name == "xl/workbook.xml":
            body = body.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        return name, body

    return rezip(data, to_strict)


def test_strict_ooxml_percent_formats_are_seen():
    book = official_book(percent_style=3)  # every percentage a fraction in a 0.00% cell
    data = strict_xlsx(excel_bytes(book))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"purl.oclc.org/ooxml/spreadsheetml/main" in zf.read("xl/styles.xml")
    assert read_right(book, "娄星区.xlsx", data) == []


def test_strict_ooxml_uncached_formulas_are_found():
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(formulas="uncached"))
    assert book.uncached
    assert read_right(book, "娄星区.xlsx", strict_xlsx(excel_bytes(book))) == []


# ---------------------------------------------------------------------------
# Shared strings written with spaces around their index
# ---------------------------------------------------------------------------
def padded_indexes(data: bytes) -> bytes:
    """The .xlsx with every shared-string index written " 3 " (as some generators write it)."""

    def pad(name: str, body: bytes):
        if name.startswith("xl/worksheets/"):
            body, n = re.subn(rb'( t="s"[^>]*>)<v>(\d+)</v>', rb"\1<v> \2 </v>", body)
            assert n
        return name, body

    return rezip(data, pad)


def test_shared_strings_with_spaces_around_the_index_read_the_right_text():
    book = official_book(percent_style=3)
    assert read_right(book, "娄星区.xlsx", padded_indexes(excel_bytes(book))) == []


def test_percent_formats_kept_with_backslash_names():
    book = official_book(percent_style=3)
    data = rezip(excel_bytes(book), lambda n, b: (n.replace("/", "\\"), b))
    assert read_right(book, "娄星区.xlsx", data) == []


# ---------------------------------------------------------------------------
# CSV exported on an English system: dates written month/day/year (or day/month/year)
# ---------------------------------------------------------------------------
def year_last(d: date, order: str) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}" if order == MONTH_FIRST else f"{d.day:02d}/{d.month:02d}/{d.year}"


def year_last_book(order: str, days: list[date]) -> Book:
    """An F3 register whose report date and election dates are written year last, in ``order``."""
    on = date(2014, 3, 11)
    lines = [dict(line) for line in F3_LINES[: len(days)]]
    for line, day in zip(lines, days, strict=True):
        line["election_done"] = (year_last(day, order), day)
    book = Book()
    spec = RegisterSpec(form=F3, lines=lines, date_written=year_last(on, order), on=on)
    put_register(book, book.sheet("附件3"), spec)
    return book


@pytest.mark.parametrize("order", [MONTH_FIRST, DAY_FIRST])
def test_csv_year_last_dates_read_in_the_files_order(order):
    # 2014-04-25 shows the order (25 > 12); 03/11, 04/05 and 04/08 are read in it
    book = year_last_book(order, [date(2014, 4, 25), date(2014, 4, 5), date(2014, 4, 8)])
    assert read_right(book, "附件3.csv", csv_bytes(book)) == []


def test_csv_year_last_dates_nothing_disambiguates_are_reported():
    book = year_last_book(MONTH_FIRST, [date(2014, 4, 5), date(2014, 4, 8)])
    fr = read_file(csv_bytes(book), name="娄星区-附件3.csv")
    assert fr.ok
    (table,) = fr.tables
    assert table.reported_on is None and table.rows["election_done"].isna().all()
    invalid = sorted(f.cell for f in fr.findings if f.rule == "DATE_INVALID")
    assert invalid == sorted([table.date_cell, *table.rows["election_done_cell"]])
    messages = {f.cell: f.message for f in fr.findings if f.rule == "DATE_INVALID"}
    assert all("2014年4月25日" in m for m in messages.values())  # the hint: how to write it
    assert "“03/11/2014”无法确定是2014年3月11日还是2014年11月3日" in messages[table.date_cell]


# ---------------------------------------------------------------------------
# Percentages saved as fractions with no number format (0.052 for 5.2 %)
# ---------------------------------------------------------------------------
def as_fractions(book: Book, text: bool = False) -> Book:
    """Every filled percentage of the book's F1 tables written as a bare fraction, no percent format."""
    for expect in book.expects:
        ws = book.wb[expect.sheet]
        for (_key, col), (points, cell) in expect.f1.items():
            if col != "count" and points is not None:
                ws[cell] = str(points / 100) if text else points / 100
                ws[cell].number_format = "General"
    return book


@pytest.mark.parametrize("container", ["xlsx", "csv", "ods"])
def test_percent_fractions_without_a_format_are_read_as_points(container):
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(counts=counts_for(120, 6, 1)))
    as_fractions(book, text=container == "csv")
    save = {"xlsx": excel_bytes, "csv": csv_bytes, "ods": ods_bytes}[container]
    name = "附件1.csv" if container == "csv" else f"娄星区.{container}"
    assert read_right(book, name, save(book)) == []
    fr = read_file(save(book), name=f"娄星区.{container}")
    assert fr.tables[0].rows.at["weak_total", "pct_orgs"] == pytest.approx(5.0)


def test_xls_fraction_percents_read_by_calamine_come_out_in_points():
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(percent_style=3))  # 0.00% cells: calamine gives no formats
    assert read_right(book, "娄星区.xls", damaged_compound_xls(book)) == []


def test_small_percentages_in_points_stay_points():
    # 4 of 1234 organizations is 0.32 %: written 0.32, it is no fraction (0.32 x 100 = 32 is not the share)
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(counts=counts_for(1234, 4, 2)))
    pct = book.expects[0].f1[("weak_total", "pct_orgs")][0]
    assert pct < 1
    assert read_right(book, "娄星区.xlsx", excel_bytes(book)) == []


def test_one_fraction_among_points_is_not_rescaled():
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec(counts=counts_for(120, 6, 1)))
    expect = book.expects[0]
    points, cell = expect.f1[("weak_total", "pct_orgs")]
    book.wb["附件1"][cell] = points / 100  # the clerk's slip: the PERCENT_MISMATCH check's business, not the reader's
    expect.f1[("weak_total", "pct_orgs")] = (points / 100, cell)
    assert read_right(book, "娄星区.xlsx", excel_bytes(book)) == []


def test_wholly_encrypted_ods_is_refused_as_encrypted():
    # LibreOffice 7.5+ may encrypt the whole package: one encrypted-package member, no content.xml
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="encrypted-package" manifest:media-type="">'
        "<manifest:encryption-data><manifest:algorithm "
        'manifest:algorithm-name="http://www.w3.org/2009/xmlenc11#aes256-gcm"/></manifest:encryption-data>'
        "</manifest:file-entry></manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", ODS_MIME)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("encrypted-package", os.urandom(2048))
    assert refused(out.getvalue(), "娄星区.ods") == "ENCRYPTED"
