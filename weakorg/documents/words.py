"""The phrases every document shares (the city's return, the 通报, the brief), defined once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from weakorg.vocab import CATEGORY_LABEL, UNIT_LABEL, chinese_date

ALL_UNITS = "全部单位"
ALL_CATEGORIES = "全部类别"
AS_OF_LABEL = "数据截至"
FILTERS_LABEL = "筛选条件"
SOURCE_UNIT = "所属单位"  # the column of the city's registers naming the unit each line came from
NOTES_SHEET = "说明"


def filters_text(units: Iterable[str] | None = None, categories: Iterable[str] | None = None) -> str:
    """The filters in force in words: 填报单位：双峰县、新化县；党组织类别：全部类别."""
    units, categories = list(units or []), list(categories or [])
    return f"{UNIT_LABEL}：{'、'.join(units) or ALL_UNITS}；{CATEGORY_LABEL}：{'、'.join(categories) or ALL_CATEGORIES}"


def as_of_text(day: date) -> str:
    """The as-of date in words: 数据截至2014年4月30日."""
    return f"{AS_OF_LABEL}{chinese_date(day)}"
