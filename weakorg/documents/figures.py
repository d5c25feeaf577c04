"""The documents' charts, drawn here with matplotlib (no browser, nothing fetched) in a Chinese font of the system.

Every chart says its as-of date and the filters in force under its title. A machine with no
Chinese font gets ``FontMissing``, a Chinese message naming the package to install.
"""

from __future__ import annotations

import functools
import io
import math
import threading
from pathlib import Path

import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from weakorg.asof import points
from weakorg.documents.words import as_of_text, filters_text
from weakorg.vocab import CRITERIA_SHORT, STATUS_COLORS, STATUS_DONE, VILLAGES_ELECTED, rounded

# Chinese fonts looked for, best first (Debian's fonts-noto-cjk provides the first two).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "AR PL UMing CN",
)
FONT_PACKAGE = "fonts-noto-cjk"
FONT_MISSING = (
    f"缺少中文字体，无法生成图表、通报和简报。请系统管理员在服务器上安装中文字体（Debian/Ubuntu："
    f"apt-get install {FONT_PACKAGE}），然后重启应用。"
)
_CJK_FILE_HINTS = ("cjk", "wqy", "droidsansfallback", "sourcehan", "simhei", "msyh", "uming")

NO_PROGRESS = "尚无单位报送，暂无进展数据"
WEAK_LINE = "一览表所列软弱涣散基层党组织"  # the F2 lines counted, as the 通报 says 一览表列出N个
DONE_LINE = "已转化或已验收"
DONE_COLOR = STATUS_COLORS[STATUS_DONE[-1]]
WEAK_COLOR = "#E15759"
VILLAGE_COLOR = "#4E79A7"
PROGRESS_TITLE = "整顿进展"
UNITS_TITLE = "各单位整顿转化率（%）"
CRITERIA_TITLE = "软弱涣散基层党组织符合各条标准的个数（各单位附件1填报数）"
PNG_DPI = 200


class FontMissing(RuntimeError):
    """No Chinese font on this machine: ``message`` says (in Chinese) which package to install."""

    def __init__(self) -> None:
        super().__init__(FONT_MISSING)
        self.message = FONT_MISSING


def _families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


@functools.cache
def cjk_font() -> str:
    """The family name of a Chinese font on this machine (``FontMissing`` when there is none)."""
    found = _families()
    for family in CJK_FAMILIES:
        if family in found:
            return family
    # matplotlib's font list is cached: a font installed since is not in it yet
    for path in font_manager.findSystemFonts():
        if any(h in Path(path).name.lower() for h in _CJK_FILE_HINTS):
            font_manager.fontManager.addfont(path)
    found = _families()
    for family in CJK_FAMILIES:
        if family in found:
            return family
    raise FontMissing()


# matplotlib keeps state for the whole process (rcParams, which a PDF's font type is read from while it is written,
# and its font caches): two documents drawn at once by a server's sessions garbled each other (a brief in Type 3
# fonts, every glyph overprinted). One drawing at a time.
DRAWING = threading.RLock()


def new_figure(width_mm: float, height_mm: float) -> Figure:
    """A matplotlib figure of that size in the Chinese font (no pyplot: safe in a server's threads)."""
    fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4))
    fig.set_layout_engine("constrained")
    return fig


def font(size: float, weight: str = "normal") -> font_manager.FontProperties:
    """The Chinese font at a size (points)."""
    return font_manager.FontProperties(family=cjk_font(), size=size, weight=weight)


def _style(ax, title: str, note: str) -> None:
    ax.set_title(f"{title}\n{note}", fontproperties=font(10), loc="left")
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        label.set_fontproperties(font(8))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y" if ax.name == "rectilinear" else "both", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def chart_note(data) -> str:
    """The line under every chart's title: the as-of date and the filters in force."""
    return f"{as_of_text(data.day)}；{filters_text(data.units, data.categories)}"


def draw_progress(ax, data) -> None:
    """The units in view summed on each 填表时间: weak organizations, those turned around or accepted, villages
    re-elected."""
    rows = data.progress
    if rows.empty:  # nothing reported yet: said in the chart, no axes of 1970
        ax.set_axis_off()
        ax.text(0.5, 0.5, NO_PROGRESS, ha="center", va="center", fontproperties=font(10), transform=ax.transAxes)
        ax.set_title(f"{PROGRESS_TITLE}\n{chart_note(data)}", fontproperties=font(10), loc="left")
        return
    days = pd.to_datetime(rows["reported_on"])
    done = rows[list(STATUS_DONE)].sum(axis=1)
    for values, label, color in (
        (rows.get("weak_total", pd.Series(dtype=float)), WEAK_LINE, WEAK_COLOR),
        (done, DONE_LINE, DONE_COLOR),
        (rows.get("villages_elected", pd.Series(dtype=float)), f"难点村{VILLAGES_ELECTED}", VILLAGE_COLOR),
    ):
        ax.plot(days, values, marker="o", markersize=3, linewidth=1.6, label=label, color=color)
    ticks = sorted(set(days))
    rounds = [pd.Timestamp(d) for d in points(data.day, data.campaign) if pd.Timestamp(d) >= ticks[0]]
    # a tick on each round's date up to the as-of date, as the page's chart is by round (returns a day or two apart
    # printed their dates on top of each other); without a round in view, on each 填表时间 (at most eight)
    ax.set_xticks(rounds or ticks[:: max(1, math.ceil(len(ticks) / 8))])
    pad = pd.Timedelta(days=2)
    ax.set_xlim(ticks[0] - pad, max(ticks[-1], pd.Timestamp(data.day)) + pad)
    ax.xaxis.set_major_formatter(_month_day)
    ax.legend(prop=font(8), frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    _style(ax, PROGRESS_TITLE, chart_note(data))


def _month_day(value, _pos=None) -> str:
    from matplotlib.dates import num2date

    day = num2date(value)
    return f"{day.month}月{day.day}日"


def draw_units(ax, data) -> None:
    """One bar per unit: its share of listed weak organizations turned around or accepted, in ranking order."""
    ranking = data.ranking.iloc[::-1]
    values = ranking["progress"].fillna(0.0)
    bars = ax.barh(ranking["unit"], values, color=DONE_COLOR)
    for bar, value, listed in zip(bars, ranking["progress"], ranking["listed"], strict=True):
        text = "未报送" if listed == 0 and pd.isna(value) else rounded(value)
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontproperties=font(7))
    ax.set_xlim(0, 110)
    _style(ax, UNITS_TITLE, chart_note(data))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.grid(axis="y", visible=False)


def draw_criteria(ax, data) -> None:
    """One bar per criterion: how many weak organizations meet it (the F1 counts summed)."""
    city = data.picture.city
    labels = [f"（{n}）{CRITERIA_SHORT[n]}" for n in CRITERIA_SHORT]
    values = [float(city.get(f"c{n}") or 0) for n in CRITERIA_SHORT]
    bars = ax.barh(labels[::-1], values[::-1], color=WEAK_COLOR)
    for bar, value in zip(bars, values[::-1], strict=True):
        ax.text(
            bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value:.0f}", va="center", fontproperties=font(7)
        )
    _style(ax, CRITERIA_TITLE, chart_note(data))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.grid(axis="y", visible=False)


def png(draw, data, width_mm: float = 156, height_mm: float = 90) -> bytes:
    """One chart (``draw(ax, data)``) as PNG bytes of that size."""
    with DRAWING:
        fig = new_figure(width_mm, height_mm)
        draw(fig.add_subplot(), data)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=PNG_DPI)
    return buf.getvalue()
