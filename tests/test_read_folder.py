"""A folder mixing good returns and files that are none: each bad one refused, the rest read and stored."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from messy import (
    F3_LINES,
    Book,
    F1Spec,
    RegisterSpec,
    counts_for,
    csv_bytes,
    put_f1,
    put_register,
    shared_strings,
    xls_bytes,
    xlsx_bytes,
)
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from weakorg import cli
from weakorg.app import process_uploads, save_uploads
from weakorg.read import read_file
from weakorg.read.guard import OLE2_MAGIC
from weakorg.store import Store
from weakorg.vocab import F3


def _good_xlsx() -> bytes:
    book = Book()
    put_f1(book, book.sheet("附件1"), F1Spec())
    put_register(book, book.sheet("附件2"), RegisterSpec())
    return xlsx_bytes(book)


def _good_xls() -> bytes:
    book = Book()
    spec = F1Spec(unit_written="中共双峰县委组织部", unit="双峰县", counts=counts_for(300, 11, 2))
    put_f1(book, book.sheet("Sheet1"), spec)
    return xls_bytes(book)


def _good_csv() -> bytes:
    book = Book()
    put_register(book, book.sheet("难点村"), RegisterSpec(form=F3, lines=F3_LINES, unit_written="经开区"))
    return csv_bytes(book, "gbk")


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _encrypted() -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_good_xlsx())).encrypt("1234", out)  # what Excel writes for a password to open
    return out.getvalue()


def _no_form() -> bytes:
    wb = Workbook()
    wb.active.title = "通讯录"
    for row in (["姓名", "单位", "电话"], ["张三", "娄星区委组织部", "0738-8221234"]):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _huge_sheet() -> bytes:
    """A return whose sheet declares every row and column Excel has (A1:XFD1048576)."""
    data = _good_xlsx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            xml = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
            dst.writestr(info, xml)
    return out.getvalue()


def _bad_crc() -> bytes:
    """A return with one byte of a stored sheet flipped: the zip opens, the checksum fails."""
    data = _good_xlsx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename), compress_type=zipfile.ZIP_STORED)
    raw = bytearray(out.getvalue())
    i = raw.index(b"<sheetData>")
    raw[i + 1] ^= 0x20  # <sheetData> -> <SheetData>: still XML, but not what the CRC was taken of
    return bytes(raw)


ENTITY_BOMB = b'<!DOCTYPE sst [<!ENTITY b0 "xxxxxxxxxx"><!ENTITY b1 "&b0;&b0;&b0;&b0;&b0;&b0;&b0;&b0;&b0;&b0;">'
ENTITY_BOMB += b'<!ENTITY b2 "&b1;&b1;&b1;&b1;&b1;&b1;&b1;&b1;&b1;&b1;"><!ENTITY b3 "&b2;&b2;&b2;&b2;&b2;&b2;">]>'


def _zip_bomb() -> bytes:
    """A return whose sheet unpacks to 50 MB of blanks from a few dozen KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_good_xlsx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            xml = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = xml.replace(b"</worksheet>", b" " * 50_000_000 + b"</worksheet>")
            dst.writestr(info, xml)
    return out.getvalue()


GOOD = {
    "娄星区-附件1附件2.xlsx": _good_xlsx,
    "双峰县-附件1.xls": _good_xls,
    "经开区-难点村.csv": _good_csv,
}
BAD = {
    "通知.xlsx": (_docx, "NOT_SPREADSHEET"),
    "扫描件.xlsx": (lambda: b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "NOT_SPREADSHEET"),
    "空文件.xlsx": (lambda: b"", "EMPTY"),
    "没传完.xlsx": (lambda: _good_xlsx()[:1500], "CORRUPT"),
    "加密.xlsx": (_encrypted, "ENCRYPTED"),
    "通讯录.xlsx": (_no_form, "NO_FORM"),
    "整张表.xlsx": (_huge_sheet, "TOO_LARGE"),
    "校验错.xlsx": (_bad_crc, "CORRUPT"),
    "实体炸弹.xlsx": (lambda: shared_strings(_good_xlsx(), doctype=ENTITY_BOMB, first=b"&b3;"), "CORRUPT"),
    "压缩炸弹.xlsx": (_zip_bomb, "TOO_LARGE"),
    "旧版Word.xls": (lambda: OLE2_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le"), "NOT_SPREADSHEET"),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, make in GOOD.items():
        (tmp_path / name).write_bytes(make())
    for name, (make, _) in BAD.items():
        (tmp_path / name).write_bytes(make())
    return tmp_path


def test_each_bad_file_refused_with_its_reason(folder):
    for name, (_, reason) in BAD.items():
        fr = read_file(folder / name)
        assert (fr.status, fr.reason, fr.tables) == ("rejected", reason, []), name
    for name in GOOD:
        assert read_file(folder / name).ok, name


def test_check_over_a_mixed_folder(folder, capsys):
    code = cli.main(["check", str(folder)])
    out = capsys.readouterr().out
    assert code == 1
    for name, (_, reason) in BAD.items():
        (line,) = [x for x in out.splitlines() if x.startswith(f"【{name}】")]
        assert f"已拒收（{reason}）" in line and "请" in line  # says what to do
    for name in GOOD:
        (line,) = [x for x in out.splitlines() if x.startswith(f"【{name}】")]
        assert "已拒收" not in line
    assert out.splitlines()[-1].startswith(f"共{len(GOOD) + len(BAD)}个文件：可读取{len(GOOD)}个，拒收{len(BAD)}个")


def test_consolidate_over_a_mixed_folder_takes_the_good_ones(folder, capsys):
    assert cli.main(["consolidate", str(folder), "--json"]) == 1  # the good ones consolidated, the others refused
    said = capsys.readouterr()
    assert all(f"【{name}】已拒收（" in said.err for name in BAD)  # each refusal said, as check says it
    data = json.loads(said.out)
    status = {Path(f["path"]).name: (f["status"], f["reason"]) for f in data["files"]}
    assert status == {
        **{name: ("ok", None) for name in GOOD},
        **{name: ("rejected", reason) for name, (_, reason) in BAD.items()},
    }
    assert {(r["unit"], r["category"], r["orgs_total"]) for r in data["summary"]} == {
        ("娄星区", "农村", 120),
        ("双峰县", "农村", 300),
    }
    assert len(data["weak_orgs"]) == 5
    assert {v["unit"] for v in data["villages"]} == {"娄底经济技术开发区"}
    assert len(data["villages"]) == len(F3_LINES)


def test_nothing_of_a_refused_file_is_stored(folder, tmp_path):
    uploads = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    results = process_uploads(uploads)
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    ids = save_uploads(store, results)
    assert len(ids) == len(GOOD)
    assert sorted(store.submissions()["name"]) == sorted(GOOD)
    for r in results:
        if not r.ok:
            with pytest.raises(ValueError):
                store.add(r.file)
    assert len(store.submissions()) == len(GOOD)
