"""The brief for a meeting: two A4 pages of PDF, drawn with matplotlib in a Chinese font of the system (embedded).

Page one: the title, the as-of date and the filters, the headline numbers, what changed since the
previous round, progress over time and the criteria met. Page two: each unit's rate of
rectification and the ranking of the units.
"""

from __future__ import annotations

import io
import re
import textwrap
from datetime import datetime

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages

from weakorg.asof import behind_text
from weakorg.documents import figures
from weakorg.documents.bulletin import change, done_count, headline, ranking_rows
from weakorg.documents.data import DocumentData
from weakorg.documents.words import as_of_text, filters_text
from weakorg.vocab import APP_TITLE, AS_OF_RULE, F1_ROWS, RANK_LABEL, UNIT_LABEL, VILLAGES_ELECTED, rounded

BRIEF_TITLE = "{place}整顿软弱涣散基层党组织工作简报"
RANKING_TITLE = f"各{UNIT_LABEL}{RANK_LABEL}"
A4 = (210, 297)
WRAP = 58  # characters of the 10 pt text to a line across the page
PDF_OPTIONS = {"pdf.fonttype": 42}  # TrueType/CID fonts embedded (subset), so the text can be searched and copied
# One weight only: each embedded font is subset on every call (about a second each for a CJK font).


def brief_title(data: DocumentData) -> str:
    """The brief's title: 全市整顿软弱涣散基层党组织工作简报 (the units named when filtered)."""
    return BRIEF_TITLE.format(place=data.subject)


def tiles(data: DocumentData) -> list[tuple[str, str]]:
    """The headline numbers as (label, value): units reported, weak organizations and their share, rectified,
    villages re-elected."""
    city = data.picture.city
    listed, done = len(data.picture.weak_orgs), done_count(data.picture)
    share = city.get("weak_share")
    villages, elected = int(city.get("villages") or 0), int(city.get("villages_elected") or 0)
    return [
        ("已报送单位", f"{int(city.get('units_reported') or 0)}/{len(data.status)}"),
        (F1_ROWS["weak_total"], f"{int(city.get('weak_total') or 0)}"),
        ("软弱涣散占比", "——" if share is None else f"{rounded(share, 2)}%"),
        ("已转化或已验收/一览表所列", f"{done}/{listed}"),  # of the 一览表's lines, whose count may differ from 附件1's
        (f"难点村{VILLAGES_ELECTED}", f"{elected}/{villages}"),
    ]


# What a line of the brief is never cut inside: a number with its unit or a whole date (2014年4月15日, 47.3%, 12个), a
# word in Latin letters; and the punctuation that may not open a line.
_ATOM = re.compile(r"\d[\d.,]*(?:年\d{1,2}月\d{1,2}日|年\d{1,2}月|[年月日%个])?|[A-Za-z]+|.", re.S)
_NO_LINE_START = set("，。；：、）》”！？")


def _wrap(text: str, width: int = WRAP) -> list[str]:
    """A text in lines of about ``width`` characters, never cutting a date or a number from its unit, and no line
    opening on a comma or a closing bracket."""
    lines: list[str] = []
    line = ""
    for atom in _ATOM.findall(text):
        if line and len(line) + len(atom) > width and atom not in _NO_LINE_START:
            lines.append(line)
            line = ""
        line += atom
    return [*lines, line] if line else lines


def _lines(texts: list[str]) -> list[str]:
    return [line for t in texts for line in _wrap(t)]


def _first_page(data: DocumentData):
    fig = figures.new_figure(*A4)
    fig.set_layout_engine(None)
    fig.text(0.5, 0.955, brief_title(data), ha="center", fontproperties=figures.font(18))
    note = f"{as_of_text(data.day)}（{AS_OF_RULE}）；{filters_text(data.units, data.categories)}"
    fig.text(0.5, 0.93, note, ha="center", fontproperties=figures.font(8.5), color="#555555")
    for i, (label, value) in enumerate(tiles(data)):
        x = 0.1 + i * 0.2
        fig.text(x, 0.885, value, ha="center", fontproperties=figures.font(16))
        fig.text(x, 0.865, label, ha="center", fontproperties=figures.font(8), color="#555555")
    y = 0.835
    behind = behind_text(data.status, data.day, data.campaign) if data.day else ""  # a unit a round behind
    for line in _lines([*headline(data), *([behind] if behind else []), change(data)]):
        fig.text(0.07, y, line, fontproperties=figures.font(10))
        y -= 0.018
    figures.draw_progress(fig.add_axes((0.09, 0.45, 0.85, y - 0.5)), data)
    figures.draw_criteria(fig.add_axes((0.28, 0.05, 0.66, 0.26)), data)
    return fig


RANKING_AXES = (0.05, 0.04, 0.9, 0.5)  # where the ranking table stands on its page (figure fractions)
RANKING_WIDTHS = [0.07, 0.25, 0.09, 0.11, 0.11, 0.12, 0.12, 0.11]  # its columns (fractions of the table's width)
CELL_PT, LINE_MM, ROW, HEADER_ROW = 8, 3.6, 0.04, 0.07  # its font, a line's height, a row's (fraction of the axes)


def _wrapped(text: str, width: float) -> str:
    """A cell's text in lines that fit a column ``width`` (a fraction of the table's) at CELL_PT: a long state
    (首次按时，第3次未报) wraps within its cell, never over the next."""
    chars = max(2, int(width * RANKING_AXES[2] * A4[0] / (CELL_PT * 25.4 / 72)) - 1)
    if len(text) <= chars:
        return text
    parts = [p for p in re.split(r"(?<=，)", text) if p]  # at a comma first (首次按时，/第3次未报), then as _wrap cuts
    return "\n".join(line for part in parts for line in _wrap(part, chars))


def _second_page(data: DocumentData):
    fig = figures.new_figure(*A4)
    fig.set_layout_engine(None)
    figures.draw_units(fig.add_axes((0.27, 0.6, 0.66, 0.33)), data)
    ax = fig.add_axes(RANKING_AXES)
    ax.axis("off")
    ax.set_title(RANKING_TITLE, fontproperties=figures.font(11), loc="left")
    rows = ranking_rows(data)
    header = ["\n".join(textwrap.wrap(h, 5)) for h in rows[0]]
    widths = [RANKING_WIDTHS[c] if c < len(RANKING_WIDTHS) else 0.1 for c in range(len(rows[0]))]
    body = [[_wrapped(text, widths[c]) for c, text in enumerate(row)] for row in rows[1:]]
    table = ax.table(cellText=body, colLabels=header, loc="upper center", cellLoc="center")
    table.auto_set_font_size(False)
    line = LINE_MM / (RANKING_AXES[3] * A4[1])  # one more line of a cell, as a fraction of the axes
    heights = [HEADER_ROW] + [ROW + line * (max(t.count("\n") for t in row)) for row in body]
    for (r, c), cell in table.get_celld().items():
        cell.set_text_props(fontproperties=figures.font(CELL_PT))
        cell.set_width(widths[c])
        cell.set_height(heights[r])
        cell.set_edgecolor("#999999")
    return fig


def brief_pdf(data: DocumentData) -> bytes:
    """The brief as PDF bytes (two A4 pages), its Chinese font embedded."""
    buf = io.BytesIO()
    stamp = datetime.combine(data.day, datetime.min.time())
    metadata = {
        "Title": brief_title(data),
        "Subject": as_of_text(data.day),
        "Creator": APP_TITLE,  # never matplotlib's name and address in 文件属性
        "Producer": APP_TITLE,
        "CreationDate": stamp,
    }
    with figures.DRAWING, rc_context(PDF_OPTIONS), PdfPages(buf, metadata=metadata) as pdf:
        for page in (_first_page(data), _second_page(data)):
            pdf.savefig(page)
    return buf.getvalue()
