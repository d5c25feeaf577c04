"""Open a file safely or refuse it: sniff what it really is and check its size before any parser sees it."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import DefusedXmlException, ElementTree

XLSX, CSV, XLS, ODS = "xlsx", "csv", "xls", "ods"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*\d*)(?::([A-Z]+)(\d+))?\"")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
XML_ENTITIES = "工作簿中含有不允许的XML实体"


@dataclass(frozen=True)
class ReadLimits:
    """How big a file may be before it is refused as TOO_LARGE."""

    max_bytes: int = 20 * 1024 * 1024
    max_unpacked: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    min_ratio_bytes: int = 1024 * 1024  # the ratio is checked only past this many unpacked bytes
    max_rows: int = 20000
    max_cols: int = 200


class Refused(Exception):
    """A file that cannot be read as a return: a reason code of findings.REJECT_REASONS and a specific message."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def column_number(letters: str) -> int:
    """A column's number from its letters: A -> 1, AA -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path inside the zip) of every worksheet, in workbook order."""
    root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    out = []
    for sheet in root.iter(f"{NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((sheet.get("name", ""), path))
    return out


def _check_zip(data: bytes, limits: ReadLimits) -> str:
    """The kind of a zip that is a workbook (xlsx or ods); refuse one that is not, is damaged, or unpacks too big."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused("CORRUPT", "压缩结构损坏（文件可能没有传完整）") from exc
    with zf:
        names = set(zf.namelist())
        is_ods = "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]
        if is_ods and "content.xml" not in names:
            raise Refused("CORRUPT", "工作簿内容缺失")
        if "xl/workbook.xml" not in names and not is_ods:
            if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
                raise Refused("NOT_SPREADSHEET", "这是OpenDocument文档，不是表格")
            if "word/document.xml" in names:
                raise Refused("NOT_SPREADSHEET", "这是一个Word文档（.docx）")
            if any(n.startswith("ppt/") for n in names):
                raise Refused("NOT_SPREADSHEET", "这是一个PowerPoint演示文稿")
            if "[Content_Types].xml" in names and not names - {"[Content_Types].xml", "_rels/.rels"}:
                raise Refused("CORRUPT", "工作簿内容缺失")
            raise Refused("NOT_SPREADSHEET", "这是一个压缩包，不是Excel工作簿")
        infos = zf.infolist()
        unpacked = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if unpacked > limits.max_unpacked:
            raise Refused(
                "TOO_LARGE", f"解压后{unpacked // (1024 * 1024)}MB，超过{limits.max_unpacked // (1024 * 1024)}MB"
            )
        if packed and unpacked / packed > limits.max_ratio and unpacked > limits.min_ratio_bytes:
            raise Refused("TOO_LARGE", f"压缩比{unpacked / packed:.0f}倍，超过{limits.max_ratio:.0f}倍")
        for info in infos:
            _check_member(zf, info)
        if is_ods:
            return ODS  # its extent is bounded while it is read: repeated rows and columns are not materialised
        try:
            parts = sheet_parts(zf)
        except DefusedXmlException as exc:
            raise Refused("CORRUPT", XML_ENTITIES) from exc
        except (KeyError, ElementTree.ParseError, ValueError) as exc:
            raise Refused("CORRUPT", "工作簿目录无法读取") from exc
        for sheet, path in parts:
            if path not in names:
                continue
            with zf.open(path) as fh:
                head = fh.read(4096)
            rows, cols = dimension(head)
            if rows > limits.max_rows or cols > limits.max_cols:
                raise Refused(
                    "TOO_LARGE",
                    f"工作表“{sheet}”有{rows}行、{cols}列，超过{limits.max_rows}行或{limits.max_cols}列的上限",
                )
    return XLSX


_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")


def _check_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Unpack a member to its end (its CRC is checked there); refuse an XML part that declares a DTD anywhere.

    Excel never writes a DTD, and entity tricks (billion laughs, external entities) need one, so no reader
    ever sees them; defusedxml inside openpyxl stays the second line.
    """
    is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                if is_xml and any(m in chunk or m in tail + chunk[:16] for m in _DTD_MARKS):
                    raise Refused("CORRUPT", XML_ENTITIES)
                tail = chunk[-16:]
    except zipfile.BadZipFile as exc:
        raise Refused("CORRUPT", f"文件内容校验失败（{info.filename}）") from exc
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise Refused("CORRUPT", "文件内容无法解压") from exc


def dimension(head: bytes) -> tuple[int, int]:
    """(rows, columns) a worksheet declares in its <dimension ref>, from the first bytes of its XML; (0, 0) if none."""
    m = _DIMENSION.search(head)
    if not m:
        return 0, 0
    if m.group(2):
        return int(m.group(3)), column_number(m.group(2).decode())
    single = _CELL_REF.fullmatch(m.group(1).decode())
    return (int(single.group(2)), column_number(single.group(1))) if single else (0, 0)


def _ole_kind(data: bytes) -> str:
    """What an OLE2 compound file holds: an encrypted Office file, an old .xls, or something else."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise Refused("ENCRYPTED")
    if "WordDocument".encode("utf-16-le") in data:
        raise Refused("NOT_SPREADSHEET", "这是一个旧版Word文档（.doc）")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return XLS
    if "PowerPoint Document".encode("utf-16-le") in data:
        raise Refused("NOT_SPREADSHEET", "这是一个旧版PowerPoint演示文稿（.ppt）")
    if len(data) % 512:  # a compound file is whole 512-byte sectors; its directory sits at the end
        raise Refused("CORRUPT", "文件不完整（可能没有传完整）")
    raise Refused("NOT_SPREADSHEET", "这不是Excel工作簿")


def sniff(data: bytes, limits: ReadLimits | None = None) -> str:
    """What kind of spreadsheet the bytes are (xlsx, ods, csv, xls), or raise Refused with the reason."""
    limits = limits or ReadLimits()
    if not data or not data.strip():
        raise Refused("EMPTY")
    if len(data) > limits.max_bytes:
        raise Refused(
            "TOO_LARGE", f"文件大小{len(data) / (1024 * 1024):.1f}MB，超过{limits.max_bytes // (1024 * 1024)}MB"
        )
    if data.startswith(ZIP_MAGIC):
        return _check_zip(data, limits)
    if data.startswith(OLE2_MAGIC):
        return _ole_kind(data)
    if data.startswith(b"%PDF"):
        raise Refused("NOT_SPREADSHEET", "这是一个PDF文件")
    if data.startswith(_IMAGE_MAGIC):
        raise Refused("NOT_SPREADSHEET", "这是一张图片")
    if data.startswith(b"{\\rtf"):
        raise Refused("NOT_SPREADSHEET", "这是一个RTF文档")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        raise Refused("NOT_SPREADSHEET", "这是网页（HTML）文件，只是扩展名像Excel")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise Refused("NOT_SPREADSHEET", "这是Excel 2003 XML格式的文件")
    if data.startswith(b"PK"):
        raise Refused("CORRUPT", "压缩结构损坏（文件可能没有传完整）")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused("NOT_SPREADSHEET", "这不是Excel工作簿，也不是CSV文本")
    return CSV
