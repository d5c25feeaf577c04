"""The phrases every document shares (the city's return, the 通报, the brief), defined once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from weakorg.vocab import ALL_CATEGORIES, AS_OF_LABEL, CATEGORY_LABEL, UNIT_LABEL, chinese_date

ALL_UNITS = "全部单位"
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


BULLETIN_TITLE, BRIEF_TITLE, CITY_RETURN_TITLE = "通报", "简报", "全市汇总表"
DOCUMENT_SUFFIXES = {BULLETIN_TITLE: "docx", BRIEF_TITLE: "pdf", CITY_RETURN_TITLE: "xlsx"}
DOCUMENT_MIMES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def document_name(title: str, day: date, filters) -> str:
    """A document's file name: its title and as-of date, then the filters in force (全市 when none), e.g.
    通报-2014-04-30-双峰县.docx."""
    from weakorg.downloads import file_stem

    return f"{file_stem(f'{title}-{day.isoformat()}', filters)}.{DOCUMENT_SUFFIXES[title]}"
