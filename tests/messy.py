"""Messy returns with their truth: each way a clerk fills the forms, written as a workbook beside the values it means.

A fixture is a ``Messy``: the files a unit sent (name, bytes) and, for every table in them, an
``Expect`` holding the true unit, category and date and every value with the cell it sits in.
``check_read`` reads the files and compares each value read with the truth.

Workbooks are built with openpyxl, then saved in the container a variation needs: .xlsx (with the
values Excel saves for formulas), .xlsm, .xls (through xlwt, a test-only dependency), or CSV in
a given encoding (cells as Excel displays them).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape

import xlwt
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from weakorg.read import read_files
from weakorg.vocab import (
    CATEGORY_LABEL,
    DATE_LABEL,
    F1,
    F1_COLUMNS,
    F1_PCT_ORGS_KEYS,
    F1_PCT_WEAK_KEYS,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_TITLES,
    UNIT_LABEL,
)

PCT_FORMAT = "0.00%"
NA_WRITINGS = ("——", "—", "-", "/", "无", None)


def addr(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


# ---------------------------------------------------------------------------
# The truth
# ---------------------------------------------------------------------------
@dataclass
class Expect:
    """What one table must read as: form, sheet, header line with cells, and every value with its cell."""

    form: str
    sheet: str
    unit: str | None
    category: str | None
    on: date | None
    header_cells: dict[str, str] = field(default_factory=dict)  # unit/category/date -> cell
    f1: dict[tuple[str, str], tuple[float | None, str]] = field(default_factory=dict)  # (key, column) -> value, cell
    rows: list[dict[str, tuple[object, str]]] = field(default_factory=list)  # register: field -> value, cell


@dataclass
class Messy:
    """The files of one variation and the tables they must read as, in order."""

    files: list[tuple[str, bytes]]
    expects: list[Expect]
    uncached: list[str] = field(default_factory=list)  # cells ("sheet!B5") that must give FORMULA_UNCACHED


@dataclass
class Book:
    """A workbook being built, with the values Excel would have saved for its formulas."""

    wb: Workbook = field(default_factory=Workbook)
    saved: dict[tuple[str, str], object] = field(default_factory=dict)  # (sheet, cell) -> saved formula value
    expects: list[Expect] = field(default_factory=list)
    uncached: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.wb.remove(self.wb.active)

    def sheet(self, title: str) -> Worksheet:
        return self.wb.create_sheet(title)


# ---------------------------------------------------------------------------
# How a clerk writes a value
# ---------------------------------------------------------------------------
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def count_writings(n: int) -> list[object]:
    """Ways a count is written: a number, text, with 个 or 人, full-width, with stray spaces."""
    return [
        n,
        float(n),
        str(n),
        f"{n}个",
        f"{n}人",
        str(n).translate(FULLWIDTH),
        f" {n} ",
        f"{n} 个".translate(FULLWIDTH),
    ]


def percent_writings(points: float) -> list[tuple[object, str]]:
    """(value, number format) of the four ways a percentage is written: 5.2, "5.2%", "5.2％", 0.052 as percent."""
    return [(points, "General"), (f"{points}%", "General"), (f"{points}％", "General"), (points / 100, PCT_FORMAT)]


def percents(counts: dict) -> dict[tuple[str, str], float]:
    """The true percentages of an F1 table, in points, keyed (row key, column)."""
    out = {}
    for key in F1_PCT_ORGS_KEYS:
        out[(key, "pct_orgs")] = round(100 * counts[key] / counts["orgs_total"], 2)
    for key in F1_PCT_WEAK_KEYS:
        out[(key, "pct_weak")] = round(100 * counts[key] / counts["weak_total"], 2) if counts["weak_total"] else 0.0
    return out


def counts_for(total: int, weak: int, seed: int) -> dict[str, int]:
    """Consistent F1 counts: kinds adding up to the total, criteria within the weak total."""
    committees, general = 1 + seed % 3, 3 + seed % 5
    crit = [min(weak, (seed + i) % (weak + 1)) for i in range(6)]
    return {
        "orgs_total": total,
        "party_committees": committees,
        "general_branches": general,
        "branches": total - committees - general,
        "weak_total": weak,
        **{f"c{i + 1}": c for i, c in enumerate(crit)},
    }


# ---------------------------------------------------------------------------
# Header lines
# ---------------------------------------------------------------------------
LINE, SPLIT, BESIDE, LINES = "line", "split", "beside", "lines"


def put_header(
    ws: Worksheet, row: int, left: int, pairs: list[tuple[str, str, object]], style: str, width: int
) -> dict[str, str]:
    """Write the 填报单位/党组织类别/填表时间 line; return the cell of each value (kind -> cell).

    ``pairs`` are (kind, label, value as written). Styles: ``line`` all in one merged cell; ``lines`` one
    cell with line breaks; ``split`` each "label：value" in its own cell; ``beside`` labels and values in
    separate cells.
    """
    if style in (LINE, LINES):
        sep = "\n" if style == LINES else "    "
        ws.cell(row, left, sep.join(f"{label}：{value}" for _, label, value in pairs))
        ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + width - 1)
        return {kind: addr(row, left) for kind, _, _ in pairs}
    cells = {}
    for i, (kind, label, value) in enumerate(pairs):
        if style == SPLIT:
            ws.cell(row, left + i, f"{label}：{value}")
            cells[kind] = addr(row, left + i)
        else:
            ws.cell(row, left + 2 * i, f"{label}：")
            ws.cell(row, left + 2 * i + 1, value)
            cells[kind] = addr(row, left + 2 * i + 1)
    return cells


def put_title(ws: Worksheet, form: str, row: int, left: int, width: int) -> int:
    ws.cell(row, left, FORM_ATTACHMENTS[form])
    ws.cell(row + 1, left, FORM_TITLES[form])
    ws.merge_cells(start_row=row + 1, start_column=left, end_row=row + 1, end_column=left + width - 1)
    return row + 2


# ---------------------------------------------------------------------------
# F1
# ---------------------------------------------------------------------------
@dataclass
class F1Spec:
    """How one F1 table is written: its truth and the clerk's habits."""

    unit_written: str = "娄星区"
    unit: str | None = "娄星区"
    category_written: str = "农村"
    category: str | None = "农村"
    date_written: object = "2014年3月11日"
    on: date | None = date(2014, 3, 11)
    counts: dict = field(default_factory=lambda: counts_for(120, 6, 1))
    header: str = LINE
    title: bool = True
    note: bool = True
    count_style: int | None = 0  # index into count_writings; None cycles through all of them
    percent_style: int | None = 0  # index into percent_writings; None cycles
    na_style: int | None = 0  # index into NA_WRITINGS; None cycles
    formulas: str = ""  # "saved": totals as formulas Excel calculated; "uncached": never calculated
    merged_labels: bool = False  # "其中" merged down beside the three kinds


def put_f1(book: Book, ws: Worksheet, spec: F1Spec, top: int = 1, left: int = 1) -> int:
    """Write one F1 table as ``spec`` says from (``top``, ``left``); record its truth; return the next free row."""
    row = put_title(ws, F1, top, left, 4) if spec.title else top
    pairs = [
        ("unit", UNIT_LABEL, spec.unit_written),
        ("category", CATEGORY_LABEL, spec.category_written),
        ("date", DATE_LABEL, spec.date_written),
    ]
    header_cells = put_header(ws, row, left, pairs, spec.header, 4)
    expect = Expect(F1, ws.title, spec.unit, spec.category, spec.on, header_cells)
    row += 1
    lab = left
    if spec.merged_labels:
        ws.cell(row, lab, "项目")
        ws.merge_cells(start_row=row, start_column=lab, end_row=row, end_column=lab + 1)
        lab = left + 1
    for i, text in enumerate(F1_COLUMNS.values()):
        ws.cell(row, lab + 1 + i, text)
    pct = percents(spec.counts)
    first = row + 1
    for i, (key, label) in enumerate(F1_ROWS.items()):
        row += 1
        if spec.merged_labels:
            if key == "party_committees":
                ws.cell(row, left, "其中")
                ws.merge_cells(start_row=row, start_column=left, end_row=row + 2, end_column=left)
            elif key not in ("general_branches", "branches"):
                ws.cell(row, left, label)
                ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + 1)
            if key in ("party_committees", "general_branches", "branches"):
                ws.cell(row, lab, label)
        else:
            ws.cell(row, lab, label)
        n = spec.counts[key]
        cc = lab + 1
        writings = count_writings(n)
        written = writings[i % len(writings)] if spec.count_style is None else writings[spec.count_style]
        if spec.formulas and key in ("orgs_total", "weak_total") and spec.count_style == 0:
            if key == "orgs_total":
                kinds = ",".join(addr(first + j, cc) for j in (1, 2, 3))
                written = f"=SUM({kinds})"
            else:
                written = f"={n}+0"
            if spec.formulas == "saved":
                book.saved[(ws.title, addr(row, cc))] = n
            else:
                book.uncached.append(f"{ws.title}!{addr(row, cc)}")
        ws.cell(row, cc, written)
        truth = None if spec.formulas == "uncached" and isinstance(written, str) and written.startswith("=") else n
        expect.f1[(key, "count")] = (truth, addr(row, cc))
        for j, col in enumerate(("pct_orgs", "pct_weak")):
            c = cc + 1 + j
            if (key, col) in pct:
                options = percent_writings(pct[(key, col)])
                value, fmt = options[(i + j) % 4] if spec.percent_style is None else options[spec.percent_style]
                cell = ws.cell(row, c, value)
                cell.number_format = fmt
                expect.f1[(key, col)] = (pct[(key, col)], addr(row, c))
            else:
                na = NA_WRITINGS[(i + j) % len(NA_WRITINGS)] if spec.na_style is None else NA_WRITINGS[spec.na_style]
                ws.cell(row, c, na)
                expect.f1[(key, col)] = (None, addr(row, c))
    row += 1
    if spec.note:
        ws.cell(row, left, "注：各填报单位分类别填报数据，每一张汇总表只填报一类软弱涣散党组织的情况。")
        ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + 3)
        ws.cell(row + 1, left, "填表人：张三        联系电话：0738-8888888")
        row += 2
    book.expects.append(expect)
    return row + 1


# ---------------------------------------------------------------------------
# Registers (F2, F3)
# ---------------------------------------------------------------------------
# Each register line: field -> (as the clerk wrote it, what it means).
F2_LINES = [
    {
        "name": ("杉山镇杉山村党支部", "杉山镇杉山村党支部"),
        "members": (35, 35.0),
        "problems": ("支部书记常年在外经商，支部工作基本停滞。", "支部书记常年在外经商，支部工作基本停滞。"),
        "secretary": ("王建国", "王建国"),
        "phone": (13907381234.0, "13907381234"),
    },
    {
        "name": (" 乐坪街道春园社区党支部 ", "乐坪街道春园社区党支部"),
        "members": ("12人", 12.0),
        "problems": ("书记职位空缺，由街道干部临时代管。", "书记职位空缺，由街道干部临时代管。"),
        "secretary": ("空缺", "空缺"),
        "phone": ("——", None),
    },
    {
        "name": ("蛇形山镇大塘村党支部", "蛇形山镇大塘村党支部"),
        "members": ("２８", 28.0),
        "problems": ("三会一课不正常。", "三会一课不正常。"),
        "secretary": ("暂缺", "暂缺"),
        "phone": (None, None),
    },
    {
        "name": ("万宝镇新塘村党总支", "万宝镇新塘村党总支"),
        "members": (" 41 人", 41.0),
        "problems": ("两委不团结。", "两委不团结。"),
        "secretary": ("刘 明", "刘明"),
        "phone": ("139 0738 5678", "13907385678"),
    },
    {
        "name": ("石井镇石井村党支部", "石井镇石井村党支部"),
        "members": (19.0, 19.0),
        "problems": ("长期不换届。", "长期不换届。"),
        "secretary": (None, None),
        "phone": ("0738-8221234", "0738-8221234"),
    },
]
F2_EXTRA_LINES = [
    {"category": ("农村", "农村"), "status": ("整顿中", "整顿中"), "accepted_on": (None, None)},
    {"category": ("社区", "街道社区"), "status": ("已验收", "已验收"), "accepted_on": ("2014.4.25", date(2014, 4, 25))},
    {"category": ("农村", "农村"), "status": ("已转化", "已转化"), "accepted_on": ("4月20日", date(2014, 4, 20))},
    {"category": ("农村", "农村"), "status": ("未启动", "未启动"), "accepted_on": (None, None)},
    {"category": ("农村", "农村"), "status": (None, None), "accepted_on": (None, None)},
]
# F3 lines: every way a date of re-election is written.
F3_DATES = [
    (datetime(2014, 4, 25), date(2014, 4, 25)),
    ("2014.4.25", date(2014, 4, 25)),
    ("2014-04-28", date(2014, 4, 28)),
    ("2014年4月25日", date(2014, 4, 25)),
    ("2014年4月底", date(2014, 4, 30)),
    ("4月20日", date(2014, 4, 20)),
    ("未完成", None),
    ("2014/4/26", date(2014, 4, 26)),
]
F3_LINES = [
    {
        "name": (f"茶园镇{v}村党支部", f"茶园镇{v}村党支部"),
        "members": (m, float(n)),
        "problems": ("宗族派性严重，换届选举难以组织。", "宗族派性严重，换届选举难以组织。"),
        "measures": ("县级领导联点，先整顿后换届。", "县级领导联点，先整顿后换届。"),
        "election_done": d,
        "secretary": (s, s),
        "phone": ph,
    }
    for v, (m, n), d, s, ph in zip(
        ["石桥", "黄冲", "白溪", "枫林", "竹山", "桃花", "杨家", "龙潭"],
        [(48, 48), ("30人", 30), ("２２", 22), (" 17 ", 17), (25.0, 25), ("9个", 9), ("33", 33), (40, 40)],
        F3_DATES,
        ["李志强", "周敏", "陈刚", "赵云", "孙立", "吴涛", "郑华", "冯军"],
        [
            (13907381234.0, "13907381234"),
            ("13907381235", "13907381235"),
            ("0738 - 8221234", "0738-8221234"),
            (15873800001.0, "15873800001"),
            ("158-7380-0002", "158-7380-0002"),
            ("(0738)8221235", "(0738)8221235"),
            (18907380003, "18907380003"),
            ("13607380004.0", "13607380004"),
        ],
        strict=True,
    )
]


@dataclass
class RegisterSpec:
    """How one F2 or F3 register is written."""

    form: str = F2
    lines: list[dict] = field(default_factory=lambda: [dict(line) for line in F2_LINES])
    unit_written: str = "娄星区"
    unit: str | None = "娄星区"
    date_written: object = "2014年3月11日"
    on: date | None = date(2014, 3, 11)
    header: str = LINE
    title: bool = True
    extra: bool = False  # the optional columns of weakorg's template (F2)
    blank_rows: int = 10  # the official sheet's numbered rows, unused ones left blank
    headers: dict[str, str] = field(default_factory=dict)  # column header texts as the clerk wrote them
    note: bool = True
    merge_down: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> lines (from, to) in one cell
    unit_label: str = UNIT_LABEL


def put_register(book: Book, ws: Worksheet, spec: RegisterSpec, top: int = 1, left: int = 1) -> int:
    """Write one register as ``spec`` says; record its truth; return the next free row."""
    columns = dict(F2_COLUMNS if spec.form == F2 else F3_COLUMNS)
    if spec.extra:
        columns |= F2_EXTRA_COLUMNS
    columns |= {f: t for f, t in spec.headers.items() if f in columns}
    row = put_title(ws, spec.form, top, left, len(columns)) if spec.title else top
    pairs = [("unit", spec.unit_label, spec.unit_written), ("date", DATE_LABEL, spec.date_written)]
    cells = put_header(ws, row, left, pairs, spec.header, len(columns))
    expect = Expect(spec.form, ws.title, spec.unit, None, spec.on, cells)
    row += 1
    for i, text in enumerate(columns.values()):
        ws.cell(row, left + i, text)
    first = row + 1
    for i in range(max(len(spec.lines), spec.blank_rows)):
        row += 1
        ws.cell(row, left, i + 1)
        if i >= len(spec.lines):
            continue
        line = spec.lines[i]
        truth = {"seq": (float(i + 1), addr(row, left))}
        for j, f in enumerate(columns):
            if f == "seq":
                continue
            written, meant = line.get(f, (None, None))
            start, end = spec.merge_down.get(f, (i, i))
            if start < i <= end:  # inside a merged cell: the value is the merged cell's
                truth[f] = (expect.rows[start][f][0], addr(first + start, left + j))
                continue
            ws.cell(row, left + j, written)
            truth[f] = (meant, addr(row, left + j))
        expect.rows.append(truth)
    for f, (start, end) in spec.merge_down.items():
        col = left + list(columns).index(f)
        ws.merge_cells(start_row=first + start, start_column=col, end_row=first + end, end_column=col)
    if spec.note:
        ws.cell(row + 1, left, "注：此表由各县市区委组织部汇总填报。")
        row += 1
    book.expects.append(expect)
    return row + 2


def f2_lines_with_extra() -> list[dict]:
    return [{**a, **b} for a, b in zip(F2_LINES, F2_EXTRA_LINES, strict=True)]


# ---------------------------------------------------------------------------
# Containers
# ---------------------------------------------------------------------------
def _patch_saved(data: bytes, book: Book) -> bytes:
    """The .xlsx with each formula's saved value written in, as Excel does on save."""
    if not book.saved:
        return data
    parts = {ws.title: f"xl/worksheets/sheet{i}.xml" for i, ws in enumerate(book.wb.worksheets, start=1)}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            xml = src.read(info.filename)
            for (sheet, cell), value in book.saved.items():
                if parts[sheet] == info.filename:
                    pattern = re.compile(
                        rb"(<c r=\"" + cell.encode() + rb"\"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)"
                    )  # lxml writes <v></v>
                    xml, n = pattern.subn(rb"\1<v>" + str(value).encode() + b"</v>", xml)
                    assert n == 1, (sheet, cell)
            dst.writestr(info, xml)
    return out.getvalue()


def xlsx_bytes(book: Book) -> bytes:
    """The .xlsx bytes of a book, formulas carrying the values Excel saved (uncached ones left without)."""
    buf = io.BytesIO()
    book.wb.save(buf)
    return _patch_saved(buf.getvalue(), book)


_INLINE = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', re.S)
SST_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_strings(data: bytes, doctype: bytes = b"", first: bytes = b"") -> bytes:
    """The workbook with its texts in a shared-strings part, as Excel saves them (openpyxl writes them inline).

    ``doctype`` goes before the part's root and ``first`` before the first string's text: room for XML tricks.
    """
    strings: list[bytes] = []

    def to_shared(m: re.Match) -> bytes:
        strings.append(m.group(3))
        return b'<c r="' + m.group(1) + b'"' + m.group(2) + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            xml = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                xml = _INLINE.sub(to_shared, xml)
            elif info.filename == "[Content_Types].xml":
                override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SST_CONTENT_TYPE + b'"/>'
                xml = xml.replace(b"</Types>", override + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = b'<Relationship Id="rIdSst" Type="' + SST_REL + b'" Target="sharedStrings.xml"/>'
                xml = xml.replace(b"</Relationships>", rel + b"</Relationships>")
            dst.writestr(info, xml)
        items = b"".join(b"<si><t>" + (first if i == 0 else b"") + t + b"</t></si>" for i, t in enumerate(strings))
        sst = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            + doctype
            + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
            + str(len(strings)).encode()
            + b'">'
            + items
            + b"</sst>"
        )
        dst.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def excel_bytes(book: Book) -> bytes:
    """The .xlsx as Excel saves it: saved formula values and shared strings."""
    return shared_strings(xlsx_bytes(book))


VBA_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# A macro that would write into the sheet if anything ran it.
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Sub Workbook_Open(): Range("B5").Value = 999: End Sub' * 4


def xlsm_bytes(book: Book) -> bytes:
    """A macro-enabled workbook (.xlsm): the .xlsx with the macro content type and a VBA project part."""
    data = xlsx_bytes(book)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            xml = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                xml = xml.replace(XLSX_CONTENT_TYPE, VBA_CONTENT_TYPE)
                xml = xml.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                xml = xml.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            dst.writestr(info, xml)
        dst.writestr("xl/vbaProject.bin", VBA_PROJECT)
    return out.getvalue()


def _xlwt_style(fmt: str, cache: dict) -> xlwt.XFStyle:
    if fmt not in cache:
        cache[fmt] = xlwt.easyxf(num_format_str=fmt)
    return cache[fmt]


def xls_bytes(book: Book) -> bytes:
    """The same book as an old .xls (BIFF8, written by xlwt): values, number formats, merged ranges, saved formulas."""
    out = xlwt.Workbook(encoding="utf-8")
    styles: dict = {}
    for ws in book.wb.worksheets:
        sheet = out.add_sheet(ws.title, cell_overwrite_ok=True)
        for rng in ws.merged_cells.ranges:
            sheet.merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1)
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if isinstance(value, str) and value.startswith("="):
                    value = book.saved.get((ws.title, cell.coordinate))
                    if value is None:
                        continue
                fmt = cell.number_format
                if isinstance(value, datetime | date):
                    fmt = "yyyy-mm-dd"
                sheet.write(cell.row - 1, cell.column - 1, value, _xlwt_style(fmt, styles))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"'
)
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_cell(value: object, fmt: str, formula: str | None, uncached: bool) -> str:
    """One <table:table-cell> as LibreOffice writes it: typed value, shown text, formula with its saved value."""
    f = f' table:formula="of:{escape(formula, {chr(34): "&quot;"})}"' if formula else ""
    if uncached:
        return f"<table:table-cell{f}/>"
    if isinstance(value, bool):
        attrs = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
        shown = str(value).upper()
    elif isinstance(value, int | float):
        attrs = f'office:value-type="{"percentage" if "%" in fmt else "float"}" office:value="{value!r}"'
        shown = str(value)
    elif isinstance(value, datetime | date):
        iso = value.isoformat() if isinstance(value, datetime) else f"{value.isoformat()}T00:00:00"
        attrs, shown = f'office:value-type="date" office:date-value="{iso}"', iso[:10]
    else:
        paragraphs = "".join(f"<text:p>{_ods_spaces(escape(line))}</text:p>" for line in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'
    return f"<table:table-cell{f} {attrs}><text:p>{shown}</text:p></table:table-cell>"


def _ods_spaces(text: str) -> str:
    """Runs of spaces as OpenDocument writes them (a space, then <text:s text:c="n"/> for the rest)."""
    return re.sub(r"  +", lambda m: f' <text:s text:c="{len(m.group(0)) - 1}"/>', text)


def ods_bytes(book: Book) -> bytes:
    """The book as an OpenDocument spreadsheet (.ods), the way LibreOffice saves it: spans, repeats, saved values."""
    tables = []
    for ws in book.wb.worksheets:
        anchors = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        covered = {
            (row, col)
            for r in ws.merged_cells.ranges
            for row in range(r.min_row, r.max_row + 1)
            for col in range(r.min_col, r.max_col + 1)
            if (row, col) != (r.min_row, r.min_col)
        }
        rows = []
        for r in range(1, ws.max_row + 1):
            cells = []
            for c in range(1, ws.max_column + 1):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                cell = ws.cell(r, c)
                value, formula = cell.value, None
                if _is_formula(value):
                    formula, value = value[1:], book.saved.get((ws.title, cell.coordinate))
                if value is None and formula is None:
                    cells.append("<table:table-cell/>")
                    continue
                xml = _ods_cell(value, cell.number_format, formula, value is None)
                if (r, c) in anchors:
                    rng = anchors[(r, c)]
                    spans = (
                        f' table:number-rows-spanned="{rng.max_row - rng.min_row + 1}"'
                        f' table:number-columns-spanned="{rng.max_col - rng.min_col + 1}"'
                    )
                    xml = xml.replace("<table:table-cell", "<table:table-cell" + spans, 1)
                cells.append(xml)
            cells.append('<table:table-cell table:number-columns-repeated="1000"/>')  # as LibreOffice pads a row
            rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        rows.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>')
        tables.append(f'<table:table table:name="{escape(ws.title)}">{"".join(rows)}</table:table>')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body>'
        f"<office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def _shown(value: object, fmt: str) -> str:
    """A cell as Excel shows it, which is what "save as CSV" writes."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, float) and "%" in fmt:
        return f"{value * 100:.2f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_bytes(book: Book, encoding: str = "utf-8-sig") -> bytes:
    """The book's only sheet as Excel saves it as CSV, in the given encoding."""
    (ws,) = book.wb.worksheets
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in ws.iter_rows():
        writer.writerow(
            [
                _shown(
                    book.saved.get((ws.title, c.coordinate), c.value) if _is_formula(c.value) else c.value,
                    c.number_format,
                )
                for c in row
            ]
        )
    return buf.getvalue().encode(encoding)


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


CONTAINERS: dict[str, Callable[[Book], bytes]] = {
    "xlsx": xlsx_bytes,
    "excel": excel_bytes,
    "xlsm": xlsm_bytes,
    "xls": xls_bytes,
    "ods": ods_bytes,
}


# ---------------------------------------------------------------------------
# Comparing what was read with the truth
# ---------------------------------------------------------------------------
def _same(read: object, truth: object) -> bool:
    if truth is None:
        return read is None or (isinstance(read, float) and math.isnan(read))
    if isinstance(truth, float):
        return isinstance(read, int | float) and math.isclose(read, truth, abs_tol=1e-9)
    return read == truth


def mismatches(messy: Messy, year: int = 2014) -> list[str]:
    """Every value read differently from the truth, as "where: read != truth" lines (empty when all are right)."""
    results = read_files(messy.files)
    out = [f"{fr.name}: refused {fr.reason} {fr.message}" for fr in results if not fr.ok]
    tables = [t for fr in results for t in fr.tables]
    if len(tables) != len(messy.expects):
        out.append(f"{len(tables)} tables read, {len(messy.expects)} written")
    for t, e in zip(tables, messy.expects, strict=False):
        where = f"{e.sheet}/{e.form}"
        got = (t.form, t.sheet, t.unit, t.category, t.reported_on)
        want = (e.form, e.sheet, e.unit, e.category, e.on)
        if got != want:
            out.append(f"{where} header: {got} != {want}")
        cells = {"unit": t.unit_cell, "category": t.category_cell, "date": t.date_cell}
        for kind, cell in e.header_cells.items():
            if cells[kind] != cell:
                out.append(f"{where} {kind} cell: {cells[kind]} != {cell}")
        if e.form == F1:
            for (key, col), (value, cell) in e.f1.items():
                read_value = t.rows.at[key, col] if key in t.rows.index else "missing"
                read_cell = t.rows.at[key, f"{col}_cell"] if key in t.rows.index else "missing"
                if not _same(read_value, value) or read_cell != cell:
                    out.append(f"{where} {key}.{col}: {read_value!r}@{read_cell} != {value!r}@{cell}")
            continue
        if len(t.rows) != len(e.rows):
            out.append(f"{where}: {len(t.rows)} rows read, {len(e.rows)} written")
        for i, (rec, truth) in enumerate(zip(t.rows.to_dict("records"), e.rows, strict=False)):
            for f, (value, cell) in truth.items():
                if not _same(rec.get(f, "missing"), value) or rec.get(f"{f}_cell") != cell:
                    got = f"{rec.get(f)!r}@{rec.get(f + '_cell')}"
                    out.append(f"{where} line {i + 1} {f}: {got} != {value!r}@{cell}")
    uncached = sorted(f"{f.sheet}!{f.cell}" for fr in results for f in fr.findings if f.rule == "FORMULA_UNCACHED")
    if uncached != sorted(messy.uncached):
        out.append(f"FORMULA_UNCACHED at {uncached} != {sorted(messy.uncached)}")
    return out
