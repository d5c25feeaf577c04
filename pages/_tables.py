"""The pages' tables: every row shown (a page at a time beyond TABLE_PAGE_ROWS), a table of sentences, and each
table's two download buttons."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from pages import _common as common
from weakorg import downloads

# How to pick a row of a table that opens something: with the mouse, and with the keyboard (the arrows to the row,
# then Shift+Space selects it).
PICK_ROW = "点击表格左侧选中一行（键盘：方向键移到该行，按 Shift+空格）"

TABLE_PAGE_ROWS = 200  # a table shows every row up to this, with no scrolling inside it; beyond, a page at a time


def _page_of(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, int]:
    """The rows to show: all up to TABLE_PAGE_ROWS, else the page a picker asks for; and the first one's position."""
    pages = -(-len(frame) // TABLE_PAGE_ROWS)
    if pages <= 1:
        return frame, 0
    label = f"页码（共 {pages} 页，每页 {TABLE_PAGE_ROWS} 行）"
    number = st.number_input(label, min_value=1, max_value=pages, value=1, step=1, key=f"{name}_page")
    offset = (int(number) - 1) * TABLE_PAGE_ROWS
    return frame.iloc[offset : offset + TABLE_PAGE_ROWS], offset


SHARE_FORMAT = "%.2f"
NO_ROWS = "（暂无记录）"


def table(frame: pd.DataFrame, name: str, **kwargs):
    """A table showing all its rows (a page of TABLE_PAGE_ROWS at a time beyond that, with a page picker); what
    st.dataframe returns, and the position of the first row shown (selections are counted from it)."""
    rows, offset = _page_of(frame, name)
    if rows.empty:  # Streamlit draws an empty table with the English word "empty": say it in Chinese instead
        st.caption(NO_ROWS)
        return None, offset
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "")  # a blank cell stays blank, never "None"
    # a share's every figure with two decimals (5.00 beside 4.69, never 5): our tables' fractional columns are shares
    shares = {c: st.column_config.NumberColumn(format=SHARE_FORMAT) for c in rows.select_dtypes("float").columns}
    config = shares | (kwargs.get("column_config") or {})
    if kwargs["hide_index"] and len(rows.columns):  # the row's name stays in view while a wide table scrolls sideways
        first = rows.columns[0]
        own = config.get(first)
        config[first] = ({"label": own} if isinstance(own, str) else dict(own or {})) | {"pinned": True}
    kwargs["column_config"] = config
    kwargs.setdefault("height", "content")  # every row shown, no scrolling inside, unless the page says otherwise
    return st.dataframe(rows, **kwargs), offset


WRAP_ROW_PX = 84  # a row taller than 4rem lets Streamlit's table wrap its text: about three lines a row


def text_table(
    frame: pd.DataFrame, name: str, wide: tuple[str, ...], medium: tuple[str, ...] = (), lead: tuple[str, ...] = ()
) -> None:
    """A table of sentences (findings and their explanations) showing all its rows as ``table`` does (a page at a
    time beyond TABLE_PAGE_ROWS): its first column, the short columns ``lead`` (where a finding is: in view at
    1024 px), then the columns ``wide`` drawn wide, ``medium`` ones narrower, then the rest; each cell's text
    wrapped in its row instead of cut."""
    frame, _ = _page_of(frame, name)
    if frame.empty:
        st.caption(NO_ROWS)
        return
    wide, medium = [c for c in wide if c in frame.columns], [c for c in medium if c in frame.columns]
    order = [*frame.columns[:1], *(c for c in lead if c in frame.columns), *wide, *medium]
    order += [c for c in frame.columns if c not in order]
    config = {c: st.column_config.TextColumn(width="large") for c in wide}
    config |= {c: st.column_config.TextColumn(width="medium") for c in medium}
    st.dataframe(
        frame,
        hide_index=True,
        placeholder="",
        height="content",
        row_height=WRAP_ROW_PX,
        column_config=config,
        column_order=order,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _table_bytes(frame, fmt: str, title: str) -> bytes:
    return downloads.table_bytes(frame, fmt, sheet=title)


def download_buttons(frame, title: str, key: str, of_org: bool = False) -> None:
    """Two download buttons for a table (.xlsx, .csv), the filters in force in the file name (the organization open
    only for a table of it, ``of_org``: the list beside its card is not its); each download audited."""
    f = common.named_filters() if of_org else replace(common.named_filters(), org=None)
    row = st.container(horizontal=True)
    shown = common.shown(frame)  # as shown: masked
    for fmt in downloads.FORMATS:
        name = downloads.file_name(title, f, fmt)
        row.download_button(
            downloads.button_label(fmt, title),
            data=common.audited(partial(_table_bytes, shown, fmt, title), name, common.units_in_view()),
            file_name=name,
            mime=downloads.FORMATS[fmt],
            key=f"{key}_{fmt}",
            on_click="ignore",
        )
