"""Tables as downloads: .xlsx and .csv (UTF-8 with BOM, so Excel opens the Chinese right), filters in the name."""

from __future__ import annotations

import re

import pandas as pd

from weakorg.drill import Filters, criterion_label
from weakorg.export.sheets import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from weakorg.vocab import FLAGS

FORMATS = {"xlsx": XLSX_MIME, "csv": CSV_MIME}
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
MAX_PART = 40


def _part(text: str) -> str:
    s = _UNSAFE.sub("_", text).strip("_")
    return s if len(s) <= MAX_PART else s[: MAX_PART - 1] + "等"


def filter_parts(filters: Filters) -> list[str]:
    """The filters as short name parts: units, categories, criteria, flags, statuses, search, organization."""
    parts = ["、".join(filters.units), "、".join(filters.categories)]
    parts.append("、".join(criterion_label(c) for c in filters.criteria))
    parts.append("、".join(FLAGS.get(f, f) for f in filters.flags))
    parts.append("、".join(filters.statuses))
    parts.append(f"含{filters.search}" if filters.search else "")
    parts.append(filters.org[1] if filters.org else "")
    return [p for p in parts if p]


def file_stem(title: str, filters: Filters) -> str:
    """A file name without its extension: the title, then the filters in force (全市 when none)."""
    parts = [title, *(filter_parts(filters) or ["全市"])]
    return "-".join(_part(p) for p in parts)


def file_name(title: str, filters: Filters, fmt: str) -> str:
    """The download's file name: the table's title, then the filters in force (全市 when none), then the format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt}")
    return f"{file_stem(title, filters)}.{fmt}"


# Plotly's own words in Chinese, handed to each chart with its config (plotly's ``locales`` option: nothing is
# fetched, nothing registered globally). The Python plotly package ships no locale files and Streamlit bundles its
# own plotly.js, whose English words (keys below) differ from plotly.js's zh-CN locale (``Download plot as a PNG``,
# ``Preparing image …``): tests/test_downloads.py checks every key still occurs in Streamlit's bundle.
PLOTLY_LOCALE = "zh-CN"
PLOTLY_ZH_CN = {
    "dictionary": {
        "Download plot as a PNG": "下载本图（PNG 图片）",
        "Download plot": "下载本图",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候……",
        "Image download succeeded": "图片已下载",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败，请重试。",
        "Reset axes": "还原坐标轴",
        "Autoscale": "自动缩放",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Pan": "平移",
        "Box Select": "框选",
        "Lasso Select": "套索选择",
        "Reset": "还原",
        "Double-click to zoom back out": "双击还原",
        "Double-click on legend to isolate one trace": "双击图例可只显示该项",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
    },
}
# The chart toolbar holds what users need: the PNG, and back to the whole chart after a zoom. Naming the buttons
# replaces Streamlit's own additions too (its "Fullscreen" button, whose title plotly cannot translate).
MODEBAR_BUTTONS = [["toImage", "resetScale2d"]]


def chart_config(title: str, filters: Filters) -> dict:
    """Plotly's config: its PNG button (drawn in the browser, no server-side renderer) named by the chart and the
    filters, a Chinese toolbar with only the PNG and reset buttons, no plotly logo, no English tips."""
    return {
        "displaylogo": False,
        "locale": PLOTLY_LOCALE,
        "locales": {PLOTLY_LOCALE: PLOTLY_ZH_CN},
        "modeBarButtons": MODEBAR_BUTTONS,
        "showTips": False,
        "toImageButtonOptions": {"format": "png", "filename": file_stem(title, filters), "scale": 2},
    }


def table_bytes(frame: pd.DataFrame, fmt: str, sheet: str = "Sheet1") -> bytes:
    """A table as file bytes: an .xlsx workbook with one sheet, or CSV in UTF-8 with a BOM; no text a formula."""
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "xlsx":
        return xlsx_bytes({_part(sheet)[:31] or "Sheet1": frame})
    raise ValueError(f"unknown format: {fmt}")
