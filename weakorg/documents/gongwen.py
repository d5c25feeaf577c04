"""The 通报's blocks as a .docx in the format of 党政机关公文 (GB/T 9704-2012), with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text area); a
grid of 22 lines of 28 characters; title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt) 仿宋_GB2312,
first-level headings 黑体, second-level 楷体_GB2312; page numbers 4号 (14 pt) 宋体 "— 1 —" at the
bottom, on the outside (right on odd pages, left on even ones). Every run names its font for East
Asian text too, and the font table gives each an alternative name (仿宋, 楷体, 宋体), so Word and
WPS substitute where the _GB2312 fonts are missing.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from weakorg.documents import figures
from weakorg.documents.bulletin import (
    CHART,
    DATE,
    HEADING1,
    HEADING2,
    PARAGRAPH,
    PERIOD,
    SIGNATURE,
    TABLE,
    TITLE,
    Block,
)

TITLE_FONT, BODY_FONT, HEADING1_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
HEADING2_FONT, PAGE_FONT = "楷体_GB2312", "宋体"
# What Word and WPS fall back to when a font is missing (the font table's altName).
ALT_NAMES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING2_FONT: "楷体"}
TITLE_SIZE, BODY_SIZE, PAGE_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(14), Pt(10.5)  # 2号, 3号, 4号, 五号
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
LINES, CHARS = 22, 28
LINE_PITCH = int(TEXT_HEIGHT_MM / 25.4 * 1440 / LINES)  # twips, rounded down so that 22 lines fit: 579
# 28 characters of 16 pt are 448 pt, the text area 442 pt wide: each character is drawn 0.25 pt closer
# (w:spacing, in twentieths of a point). A line grid only: LibreOffice spreads a character grid's text.
CHAR_TIGHTEN = -5
LINE = Pt(LINE_PITCH / 20)  # exactly one grid line
INDENT = Pt(32)  # two characters
PAGE_MARK = "— {} —"
TITLE_LINE, TITLE_BREAK = 18, "工作进展"  # characters of 2号 on a line (fewer, for the margins of a title)


def _fonts(run_or_style, name: str, size) -> None:
    """Name the font for Latin and East Asian text alike, with its size."""
    run_or_style.font.name = name
    run_or_style.font.size = size
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    """ "— n —" in 4号 宋体, one character in from the outside edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_SIZE
    else:
        fmt.left_indent = PAGE_SIZE
    before, after = PAGE_MARK.split("{}")
    _fonts(paragraph.add_run(before), PAGE_FONT, PAGE_SIZE)
    run = paragraph.add_run()
    _fonts(run, PAGE_FONT, PAGE_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    _fonts(paragraph.add_run(after), PAGE_FONT, PAGE_SIZE)


def _normal(doc) -> None:
    style = doc.styles["Normal"]
    _fonts(style, BODY_FONT, BODY_SIZE)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_TIGHTEN))
    style.element.get_or_add_rPr().append(spacing)


def _alt_names(doc) -> None:
    """Give the font table an entry per font with its alternative name, for Word and WPS to substitute."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="auto"/></w:font>'
        for name, alt in ALT_NAMES.items()
    )
    xml = re.sub(r"(</w:fonts>)", entries + r"\1", xml, count=1)
    part._blob = xml.encode("utf-8")


def _paragraph(doc, text: str, font: str, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=INDENT):
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.first_line_indent = indent
    _fonts(p.add_run(text), font, size)
    return p


def _off_grid(paragraph) -> None:
    """A paragraph that keeps its own height (a table cell, a picture) instead of snapping to the line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph.paragraph_format.element.get_or_add_pPr().append(snap)


CELL_CHAR_MM, CELL_MARGINS_MM, CELL_MIN_CHARS = 3.7, 4.0, 2  # a 五号 character; a cell's margins; a header's word


def _text_mm(text: str) -> float:
    """How wide a text runs at TABLE_SIZE (a Chinese character a full width, a digit or a Latin letter about half)."""
    return sum(CELL_CHAR_MM * (1 if ord(ch) > 0x2E7F else 0.55) for ch in text)


def _widths(rows: list[list[str]]) -> list[float]:
    """Column widths (mm) filling the text area: each column as wide as its longest value needs (a value breaks only
    after a comma: 首次按时，/第3次未报), at least two characters, the width left over shared out evenly; narrower
    all alike when they need more than the text area."""
    needs = [
        max(
            CELL_MIN_CHARS * CELL_CHAR_MM,
            *(_text_mm(part) for row in rows[1:] for part in re.split(r"(?<=，)", row[c]) if part),
        )
        + CELL_MARGINS_MM
        for c in range(len(rows[0]))
    ]
    spare = TEXT_WIDTH_MM - sum(needs)
    if spare < 0:
        return [n * TEXT_WIDTH_MM / sum(needs) for n in needs]
    return [n + spare / len(needs) for n in needs]


def _table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(rows)
    for c, width in enumerate(widths):
        table.columns[c].width = Mm(width)
    header = OxmlElement("w:tblHeader")  # the header row again on every page the table runs over
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for r, values in enumerate(rows):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never split over two pages
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt = p.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _off_grid(p)
            _fonts(p.add_run(value), HEADING1_FONT if r == 0 else BODY_FONT, TABLE_SIZE)


def _chart(doc, png: bytes) -> None:
    doc.add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))
    p = doc.paragraphs[-1]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would crop the picture
    _off_grid(p)


def _title_lines(text: str) -> tuple[str, str]:
    """A long title in two lines broken where the sense breaks (before 工作进展), as 公文 titles are set."""
    at = text.find(TITLE_BREAK)
    return (text[:at], text[at:]) if len(text) > TITLE_LINE and at > 0 else (text, "")


def bulletin_docx(blocks: list[Block], charts: dict[str, bytes], stamp: datetime | None = None) -> bytes:
    """The 通报 as .docx bytes: the blocks laid out in the 公文 format, charts (PNG by name) placed where named."""
    doc = Document()
    _page(doc)
    _normal(doc)
    _alt_names(doc)
    core = doc.core_properties
    core.author = core.last_modified_by = ""
    core.comments = ""  # python-docx writes "generated by python-docx" there: English in 文件属性
    if stamp is not None:
        core.created = core.modified = stamp
    for block in blocks:
        if block.kind == TITLE:
            first, rest = _title_lines(block.text)
            p = _paragraph(doc, first, TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, Pt(0))
            if rest:
                p.runs[0].add_break()
                _fonts(p.add_run(rest), TITLE_FONT, TITLE_SIZE)
            p.paragraph_format.line_spacing = Pt(36)
            p.paragraph_format.keep_with_next = True
            core.title = block.text
        elif block.kind == PERIOD:
            _paragraph(doc, block.text, HEADING2_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=Pt(0))
            doc.add_paragraph()
        elif block.kind == HEADING1:
            _paragraph(doc, block.text, HEADING1_FONT).paragraph_format.keep_with_next = True
        elif block.kind == HEADING2:
            _paragraph(doc, block.text, HEADING2_FONT).paragraph_format.keep_with_next = True
        elif block.kind == PARAGRAPH:
            _paragraph(doc, block.text, BODY_FONT, indent=Pt(0) if block.text.endswith("：") else INDENT)
        elif block.kind == TABLE:
            _table(doc, block.rows)
        elif block.kind == CHART:
            _chart(doc, charts[block.text])
        elif block.kind == SIGNATURE:  # the signature and the date on one page (GB/T 9704)
            doc.add_paragraph().paragraph_format.keep_with_next = True
            p = _paragraph(doc, block.text, BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0))
            p.paragraph_format.right_indent = Pt(64)
            p.paragraph_format.keep_with_next = True
        elif block.kind == DATE:
            p = _paragraph(doc, block.text, BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0))
            p.paragraph_format.right_indent = Pt(64)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bulletin_bytes(data) -> bytes:
    """The 通报 of the documents' data as .docx bytes, with its progress chart."""
    from weakorg.documents.bulletin import PROGRESS_CHART, bulletin_blocks

    charts = {PROGRESS_CHART: figures.png(figures.draw_progress, data)}
    stamp = datetime.combine(data.day, datetime.min.time())
    return bulletin_docx(bulletin_blocks(data), charts, stamp)
