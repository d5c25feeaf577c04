"""Tables as downloads: .xlsx and .csv (UTF-8 with BOM, so Excel opens the Chinese right), filters in the name."""

from __future__ import annotations

import re

import pandas as pd

from weakorg.accounts import AccountError
from weakorg.drill import Filters, criterion_label
from weakorg.export.sheets import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from weakorg.vocab import CITY_TOTAL, FLAGS, rounded

FORMATS = {"xlsx": XLSX_MIME, "csv": CSV_MIME}
FORMAT_NAMES = {"xlsx": "Excel", "csv": "CSV"}
NOT_MADE = "文件没有生成，未下载：{why}"  # shown under a download button whose file was refused or failed at the click
MAKE_FAILED = "生成文件时出错。请刷新页面后重试；仍不成功请联系管理员。"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
MAX_PART = 40


def _part(text: str) -> str:
    s = _UNSAFE.sub("_", text).strip("_")
    return s if len(s) <= MAX_PART else s[: MAX_PART - 1] + "等"


def refusal(error: BaseException) -> str:
    """What a user reads under a download button whose file was not made: the refusal's own words (an AccountError,
    or one it caused: the sign-in ended, the account disabled, a role or units changed), else that it failed."""
    cause = error if isinstance(error, AccountError) else error.__cause__
    return NOT_MADE.format(why=str(cause) if isinstance(cause, AccountError) else MAKE_FAILED)


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
    parts = [title, *(filter_parts(filters) or [CITY_TOTAL])]
    return "-".join(_part(p) for p in parts)


def file_name(title: str, filters: Filters, fmt: str) -> str:
    """The download's file name: the table's title, then the filters in force (全市 when none), then the format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt}")
    return f"{file_stem(title, filters)}.{fmt}"


SAVE_IMAGE = "下载本图（PNG 图片）"  # the title of a chart's own PNG button (ECharts' toolbox, drawn in the browser)


def chart_option(chart, filters: Filters) -> dict:
    """A chart's ECharts option (weakorg.charts.Chart) with its PNG button named in Chinese, the file after the
    chart and the filters in force; the chart itself is left as it is (it may be cached)."""
    option = dict(chart.option)
    save = {"title": SAVE_IMAGE, "name": file_stem(chart.title or "图表", filters), "type": "png", "pixelRatio": 2}
    option["toolbox"] = {**option.get("toolbox", {}), "feature": {"saveAsImage": save}}
    return option


def table_bytes(frame: pd.DataFrame, fmt: str, sheet: str = "Sheet1") -> bytes:
    """A table as file bytes: an .xlsx workbook with one sheet, or CSV in UTF-8 with a BOM; no text a formula. In the
    CSV a fractional column (our tables' are shares) has two decimals, rounded half up, as the page shows it: 3.90."""
    if fmt == "csv":
        shares = frame.select_dtypes("float").columns  # rounded half up first: %.2f alone rounds the binary float
        half_up = {c: frame[c].map(lambda v: float(rounded(v, 2)), na_action="ignore") for c in shares}
        return csv_bytes(frame.assign(**half_up), float_format="%.2f")
    if fmt == "xlsx":
        return xlsx_bytes({_part(sheet)[:31] or "Sheet1": frame})
    raise ValueError(f"unknown format: {fmt}")


def button_label(fmt: str, title: str) -> str:
    """A table's download button: its format and the table's name (several tables on a page, each its own pair)."""
    return f"下载 {FORMAT_NAMES[fmt]}（{title}）"
