"""Files other tools write: each is read with the right values, and its malicious twin is still refused.

Every fixture is made here, part by part, the way LibreOffice, WPS, Excel (Strict), old Excel versions and
other libraries write them: a macro's DOCTYPE, a password-protected .ods, backslash member names, a workbook
found through _rels, Strict namespaces, BIFF2-5 record streams, a damaged compound file.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from messy import (
    F3_LINES,
    ODS_MIME,
    Book,
    F1Spec,
    Messy,
    RegisterSpec,
    excel_bytes,
    mismatches,
    ods_bytes,
    put_f1,
    put_register,
)

from weakorg.read import read_file
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
