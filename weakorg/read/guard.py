"""Open a file safely or refuse it: sniff what it really is and check its size before any parser sees it."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import DefusedXmlException, ElementTree

from weakorg.read.package import (
    dtd_matters,
    hand_on,
    is_biff_stream,
    keep_parts,
    ods_encrypted,
    read_part,
    sheet_parts,
    workbook_part,
)
from weakorg.read.package import names as part_names

XLSX, CSV, XLS, ODS = "xlsx", "csv", "xls", "ods"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*\d*)(?::([A-Z]+)(\d+))?\"")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
XML_ENTITIES = "工作簿中含有不允许的XML实体"
# The XML parts the guard inflates are kept for the reader up to this many bytes a file (past it, the reader
# inflates them again): a workbook's XML is well under 1 MB; the budget allows 200 MB.
KEEP_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """The read budget: how big a file may be, and may grow while it is expanded, before it is refused as TOO_LARGE.

    Sizes a file declares are checked first; what it really expands to (bytes inflated, cells placed by
    repeats, spans and merged ranges, characters) is counted while it is expanded, before the memory is spent.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_unpacked: int = 200 * 1024 * 1024  # bytes really inflated from every member of a zip, counted as inflated
    max_ratio: float = 100.0
    min_ratio_bytes: int = 1024 * 1024  # the ratio is checked only past this many unpacked bytes
    max_rows: int = 20000
    max_cols: int = 200
    max_cells: int = 500_000  # non-empty cells of a whole file once repeats and merged ranges are expanded
    max_chars: int = 10_000_000  # characters of its texts, every copy a repeat or merged range makes counted
    max_merged: int = 500_000  # cells covered by merged ranges (or ODS spans), all ranges of a file together
    max_members: int = 10_000  # entries of a zip (a workbook has tens; an image per row a few hundred)
    max_sheets: int = 1_000
    # Characters of all 主要问题 texts of a file as the criteria reading reads them (each up to criteria.MAX_TEXT):
    # it costs about 8 µs a character, so this bounds a file's checks to a few seconds (300 lines of 300 = 90,000).
    max_problem_text: int = 500_000


def amount(n: int) -> str:
    """A count as a message says it: 500000 -> "50万", 12345 -> "12345"."""
    return f"{n // 10000}万" if n >= 10000 and n % 10000 == 0 else str(n)


class Budget:
    """What one file has expanded to so far, against its ReadLimits; the first step over refuses it as TOO_LARGE."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.cells = 0
        self.chars = 0
        self.merged = 0
        self.sheets = 0

    def sheet(self, name: str) -> None:
        """Count one more sheet."""
        self.sheets += 1
        if self.sheets > self.limits.max_sheets:
            raise Refused("TOO_LARGE", f"工作表超过{amount(self.limits.max_sheets)}张")

    def spend(self, sheet: str, cells: int, chars: int = 0) -> None:
        """Count cells and characters about to be placed in ``sheet``; refuse before placing them if over."""
        self.cells += cells
        self.chars += chars
        if self.cells > self.limits.max_cells:
            raise Refused("TOO_LARGE", f"工作表“{sheet}”展开后超过{amount(self.limits.max_cells)}个单元格")
        if self.chars > self.limits.max_chars:
            raise Refused("TOO_LARGE", f"工作表“{sheet}”展开后超过{amount(self.limits.max_chars)}个字符")

    def merge(self, sheet: str, area: int, last_row: int = 0, last_col: int = 0) -> None:
        """Count the cells of merged ranges (or spans) of ``sheet``; refuse one reaching past the rows or columns."""
        if last_row > self.limits.max_rows or last_col > self.limits.max_cols:
            raise Refused(
                "TOO_LARGE",
                f"工作表“{sheet}”的合并单元格延伸到第{last_row}行、第{last_col}列，"
                f"超过{self.limits.max_rows}行或{self.limits.max_cols}列的上限",
            )
        self.merged += area
        if self.merged > self.limits.max_merged:
            raise Refused("TOO_LARGE", f"工作表“{sheet}”的合并单元格共超过{amount(self.limits.max_merged)}个单元格")


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


_END_RECORD = b"PK\x05\x06"


def _count_members(data: bytes, limits: ReadLimits) -> None:
    """Refuse a zip with more entries than the budget, from its end record, before any list of them is built.

    The entries are counted in the central directory itself (its signatures), so a count the end record
    understates is no way around the limit.
    """
    end = data.rfind(_END_RECORD, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # no end record: zipfile refuses it as damaged
    entries, size = struct.unpack_from("<HI", data, end + 10)
    found = data.count(b"PK\x01\x02", max(0, end - size) if size <= end else 0, end)
    most = max(found, entries if entries != 0xFFFF else 0)
    if most > limits.max_members:
        raise Refused("TOO_LARGE", f"压缩包中有{most}个文件，超过{amount(limits.max_members)}个")


def _check_zip(data: bytes, limits: ReadLimits) -> str:
    """The kind of a zip that is a workbook (xlsx or ods); refuse one that is not, is damaged, or unpacks too big."""
    _count_members(data, limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused("CORRUPT", "压缩结构损坏（文件可能没有传完整）") from exc
    try:
        kind = _check_package(data, zf, limits)
    except BaseException:
        zf.close()
        raise
    if kind == XLSX:
        hand_on(data, zf)  # the reader takes it with the parts inflated here (same process, same thread)
    else:
        zf.close()
    return kind


def _check_package(data: bytes, zf: zipfile.ZipFile, limits: ReadLimits) -> str:
    """``_check_zip`` on the open zip: its kind, the XML parts it inflated kept on ``zf`` (``keep_parts``)."""
    names = set(part_names(zf))
    is_ods = "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]
    if is_ods and ods_encrypted(zf):  # before content.xml: wholly encrypted, it holds only encrypted-package
        raise Refused("ENCRYPTED")
    if is_ods and "content.xml" not in names:
        raise Refused("CORRUPT", "工作簿内容缺失")
    if not is_ods and _workbook_part(zf) is None:
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
        raise Refused("TOO_LARGE", f"解压后{unpacked // (1024 * 1024)}MB，超过{limits.max_unpacked // (1024 * 1024)}MB")
    if packed and unpacked / packed > limits.max_ratio and unpacked > limits.min_ratio_bytes:
        raise Refused("TOO_LARGE", f"压缩比{unpacked / packed:.0f}倍，超过{limits.max_ratio:.0f}倍")
    inflated, kept, room = 0, {}, KEEP_BYTES
    for info in infos:
        chunks: list[bytes] | None = [] if room > 0 and info.filename.endswith((".xml", ".rels")) else None
        size = _check_member(
            data, info, limits, limits.max_unpacked - inflated, dtd_matters(is_ods, info.filename), chunks, room
        )
        inflated += size
        name = info.filename.replace("\\", "/")
        if chunks is not None and sum(map(len, chunks)) == size:  # whole, and within room
            kept[name] = b"".join(chunks)
            room -= size
        else:
            kept.pop(name, None)  # a name twice: the reader must get the last, as zipfile gives it
    keep_parts(zf, kept)
    if packed and inflated / packed > limits.max_ratio and inflated > limits.min_ratio_bytes:
        raise Refused("TOO_LARGE", f"压缩比{inflated / packed:.0f}倍，超过{limits.max_ratio:.0f}倍")
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
        rows, cols = dimension(read_part(zf, path, 4096))
        if rows > limits.max_rows or cols > limits.max_cols:
            raise Refused(
                "TOO_LARGE",
                f"工作表“{sheet}”有{rows}行、{cols}列，超过{limits.max_rows}行或{limits.max_cols}列的上限",
            )
    return XLSX


def _workbook_part(zf: zipfile.ZipFile) -> str | None:
    """The workbook part of an .xlsx (found through its relationships), None when it has none: a Word document or a
    presentation renamed .xlsx has a main part too, which is no workbook."""
    try:
        part = workbook_part(zf)
        return None if part is not None and part.startswith(("word/", "ppt/")) else part
    except DefusedXmlException as exc:
        raise Refused("CORRUPT", XML_ENTITIES) from exc
    except (ElementTree.ParseError, ValueError):
        return None


_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_LOCAL_HEADER = b"PK\x03\x04"
_CHUNK = 1 << 20


def _member_bytes(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The stored (compressed) bytes of a member, found through its local header."""
    start = info.header_offset
    if data[start : start + 4] != _LOCAL_HEADER:
        raise Refused("CORRUPT", f"文件内容校验失败（{info.filename}）")
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_len + extra_len
    raw = memoryview(data)[begin : begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise Refused("CORRUPT", "文件不完整（可能没有传完整）")
    return raw


def _inflate(raw: memoryview, info: zipfile.ZipInfo, budget: int, limits: ReadLimits):
    """The member's bytes in chunks of at most 1 MB, inflated by us: a running count stops at ``budget``.

    zipfile stops where the declared size says (a member may hide more behind a small declared size that
    another reader inflates whole); here the data's own end decides, and the count refuses past the budget.
    """
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) > budget:
            raise _over_budget(limits)
        for i in range(0, len(raw), _CHUNK):
            yield bytes(raw[i : i + _CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise Refused("CORRUPT", "文件内容无法解压")
    inflater = zlib.decompressobj(-15)
    pending: bytes | memoryview = raw
    total = 0
    while not inflater.eof:
        chunk = inflater.decompress(pending, _CHUNK)
        pending = inflater.unconsumed_tail
        if not chunk:
            if not pending:
                break  # the input ended before the deflate stream did
            continue
        total += len(chunk)
        if total > budget:
            raise _over_budget(limits)
        yield chunk


def _over_budget(limits: ReadLimits) -> Refused:
    mb = limits.max_unpacked / (1024 * 1024)
    return Refused("TOO_LARGE", f"解压后超过{mb:g}MB")


def _check_member(
    data: bytes,
    info: zipfile.ZipInfo,
    limits: ReadLimits,
    budget: int,
    dtd: bool = True,
    keep: list[bytes] | None = None,
    room: int = 0,
) -> int:
    """Inflate a member to its end, within ``budget`` bytes; check its CRC and real size; refuse a DTD in XML.

    Excel never writes a DTD, and entity tricks (billion laughs, external entities) need one, so no reader
    ever sees them; defusedxml inside openpyxl stays the second line. Returns the bytes really inflated.
    ``dtd=False`` for a part no reader parses (an .ods macro's): a DOCTYPE passes there, an ENTITY never does.
    ``keep`` collects the inflated chunks for the reader while they add up to at most ``room`` bytes (past it,
    it is emptied and no more is kept: the reader inflates that part again).
    """
    if info.flag_bits & 0x1:
        raise Refused("CORRUPT", "文件内容无法解压")
    is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
    marks = _DTD_MARKS if dtd else _DTD_MARKS[1:]
    tail = b""
    crc = 0
    size = 0
    try:
        for chunk in _inflate(_member_bytes(data, info), info, budget, limits):
            if is_xml and any(m in chunk or m in tail + chunk[:16] for m in marks):
                raise Refused("CORRUPT", XML_ENTITIES)
            tail = chunk[-16:]
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            if keep is not None:
                if size > room:
                    keep.clear()
                    keep = None
                else:
                    keep.append(chunk)
    except zlib.error as exc:
        raise Refused("CORRUPT", "文件内容无法解压") from exc
    if crc != info.CRC or size != info.file_size:
        raise Refused("CORRUPT", f"文件内容校验失败（{info.filename}）")
    return size


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


def too_big(size: int, limits: ReadLimits) -> Refused:
    """The refusal of a file of ``size`` bytes, over ``limits.max_bytes``.

    A size of exactly one byte past the limit is what ``file_bytes`` reads of any larger file: no figure then.
    """
    most = f"{limits.max_bytes // (1024 * 1024)}MB"
    if size == limits.max_bytes + 1:
        return Refused("TOO_LARGE", f"文件大小超过{most}")
    return Refused("TOO_LARGE", f"文件大小{size / (1024 * 1024):.1f}MB，超过{most}")


def file_bytes(path, limits: ReadLimits | None = None) -> bytes:
    """The bytes of a file, never more than one past ``limits.max_bytes`` (enough for ``sniff`` to refuse it)."""
    limits = limits or ReadLimits()
    with open(path, "rb") as fh:
        return fh.read(limits.max_bytes + 1)


def sniff(data: bytes, limits: ReadLimits | None = None) -> str:
    """What kind of spreadsheet the bytes are (xlsx, ods, csv, xls), or raise Refused with the reason."""
    limits = limits or ReadLimits()
    if not data or not data.strip():
        raise Refused("EMPTY")
    if len(data) > limits.max_bytes:
        raise too_big(len(data), limits)
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
    if is_biff_stream(data):
        return XLS  # an Excel 2.x-4.0 file: its records, not in a compound file
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16_without_bom(data):
        raise Refused("NOT_SPREADSHEET", "这不是Excel工作簿，也不是CSV文本")
    return CSV


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def utf16_without_bom(data: bytes) -> str | None:
    """The codec of a text saved as UTF-16 without its byte-order mark (some tools save CSV so), else None: its
    ASCII characters (commas, digits, line breaks) have their zero byte on one side, and the text it decodes to holds
    no control character."""
    sample = data[: 4096 - 4096 % 2] if len(data) >= 4096 else data[: len(data) - len(data) % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)  # (一 is 00 4E in UTF-16LE: a zero on the other side)
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    if codec is None:
        return None
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec if not _CONTROL.search(text) and ("," in text or "\t" in text) else None
