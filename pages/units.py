"""县市区: one or several units (a supervisory group's counties): headline, categories, F2 register, F3 villages."""

from dataclasses import replace

import streamlit as st

from pages import _charts, _filters, _tables
from pages import _common as common
from weakorg import app, charts, counts, drill, overview, views
from weakorg.text import md_text

common.through_router()
UNITS_BOARD = "units_charts"

st.title("县市区")
_filters.show_trail()

common.stop_if_nothing_stored()

units = common.named_filters().units  # none chosen: an account that sees only some units sees them all here
if not units:
    st.info("请在左侧“填报单位”中选择一个或几个单位（例如督导组负责的县市区），或在全市总览中点击某个单位的柱形。")
    st.stop()

picture = common.current_picture()  # in the account's scope: its units when none is chosen
st.caption(md_text("、".join(units)))  # units may be named as a return wrote them
previous = common.previous_picture()  # the same units and categories as they stood a round before
before, before_day = previous if previous else (None, None)
figures = overview.headline_change(picture, before, common.behind_in_view())
st.html(overview.headline_html(figures))  # as 全市总览 draws it, changes too
common.show_as_of(picture, overview.change_note(before_day))
common.show_gaps(picture)

if app.is_blank(picture):
    st.info("所选单位在当前筛选条件下没有数据。")
    st.stop()

# by category and by criterion (and by unit for several units), one under the other, the page's width each, drawn
# as one board as 全市总览 draws its own (pages/_board.py): no title or label cut at 1024 px, no chart library loaded
_charts.board(overview.unit_board(picture, several=len(units) > 1), UNITS_BOARD)
if len(units) > 1 and (note := charts.unit_bars_note(picture.summary)):
    st.caption(note)

st.header("分类别汇总")
categories = views.category_table(picture.by_category)
_tables.table(categories, "units_categories")
_tables.download_buttons(categories, "分类别汇总", "units_categories")

st.header("软弱涣散基层党组织一览表")
register = common.shown(views.org_table(picture.weak_orgs))
listed = counts.list_caption(picture, len(register), below=False)  # the gap's findings: under the headline
st.caption(f"{listed}{_tables.PICK_ROW}，在组织明细中查看该组织的详细情况。" if len(register) else listed)
event, first = _tables.table(  # a row opens the organization's card, as in 组织明细
    register,
    "units_register",
    on_select="rerun",
    selection_mode="single-row",
    key=f"units_register_table_{st.session_state.get(_filters.DRILLS, 0)}",
)
_tables.download_buttons(register, "一览表", "units_register")
rows = [first + r for r in event.selection.rows] if event else []
if rows and rows[0] < len(picture.weak_orgs):
    org = (picture.weak_orgs["unit"].iloc[rows[0]], picture.weak_orgs["name"].iloc[rows[0]])
    _filters.drill_to(drill.PAGE_ORGS, replace(_filters.current_filters(), org=org, search="", more=""))

st.header("换届选举难点村")
villages = common.shown(views.village_table(picture.villages, as_of=common.as_of(picture)))
_tables.table(villages, "units_villages")
_tables.download_buttons(villages, "换届难点村", "units_villages")
