"""The pages' charts: a chart whose bars open the next level, a heatmap with its cells as a table, the board of
several charts drawn as one, and a chart with nothing to open."""

from __future__ import annotations

import streamlit as st

from pages import _common as common
from pages import _filters, _tables
from weakorg import charts, downloads, drill
from weakorg.vocab import CATEGORY_LABEL, PICK, UNIT_LABEL

AS_TABLE = "以表格查看："  # the expander under a chart or a heatmap (with a unit and a column to open), its title after
HEATMAP_UNIT = f"热力图中的{UNIT_LABEL}"  # not the sidebar's 填报单位: a screen reader hears the two apart
HEATMAP_COLUMN = {
    drill.CHART_UNIT_CRITERION: "热力图中的标准",
    drill.CHART_UNIT_CATEGORY: f"热力图中的{CATEGORY_LABEL}",
}
HEATMAP_OPEN = "查看组织明细"
HEATMAP_NOTHING = "所选单位在该列没有软弱涣散基层党组织，没有可查看的明细。"


def chart(figure, chart_id: str) -> None:
    """A chart (weakorg.charts.Chart) whose bars open the next level: a click becomes filters (drill.py)."""
    now = _filters.current_filters()
    option = downloads.chart_option(figure, common.named_filters())
    event = st.echarts_chart(option, key=chart_id, on_select="rerun", height=figure.height, alt=figure.title or None)
    picked = drill.selection_to_filters(chart_id, event, figure.keys, now)
    _filters.follow_click(chart_id, event, drill.target_page(chart_id), picked)


def heatmap(figure, chart_id: str) -> None:
    """A heatmap (``chart``), and under it its cells as a table with a unit and a column to pick: the keyboard's
    and a screen reader's way to what a click on the map's cell opens (the map is a picture)."""
    chart(figure, chart_id)
    cells, opens = charts.heatmap_cells(figure)
    if cells.empty:
        return
    with st.expander(f"{AS_TABLE}{figure.title}"):
        _tables.table(cells, f"{chart_id}_cells")
        row = st.container(horizontal=True, vertical_alignment="bottom")
        units, columns = range(len(cells)), list(cells.columns[1:])
        label = cells[UNIT_LABEL].iat.__getitem__
        unit = row.selectbox(HEATMAP_UNIT, units, format_func=label, key=f"{chart_id}_unit", placeholder=PICK)
        column = row.selectbox(HEATMAP_COLUMN[chart_id], columns, key=f"{chart_id}_column", placeholder=PICK)
        if row.button(HEATMAP_OPEN, key=f"{chart_id}_open"):
            picked = drill.cell_event([(unit, column)], opens)
            if picked is None:
                st.info(HEATMAP_NOTHING)
            else:
                filters = drill.selection_to_filters(chart_id, picked, figure.keys, _filters.current_filters())
                _filters.drill_to(drill.target_page(chart_id), filters)


def board(figure, key: str) -> None:
    """Several charts drawn as one (weakorg.charts.Board, as SVG: pages/_board.py): a click on a bar of any of them
    opens what it opens in the chart alone (drill.board_selection); one PNG of them all, named after the board and
    the filters in force."""
    from pages import _board

    now = _filters.current_filters()
    event = _board.draw(downloads.chart_option(figure, common.named_filters()), figure.height, figure.title, key)
    hit = drill.board_selection(event, figure.parts, figure.keys, now)
    page, picked = (drill.target_page(hit[0]), hit[1]) if hit else ("", None)
    _filters.follow_click(key, event, page, picked)


def plain_chart(figure, key: str) -> None:
    """A chart with nothing to drill into, its PNG named after the chart and the filters in force."""
    option = downloads.chart_option(figure, common.named_filters())
    st.echarts_chart(option, key=key, height=figure.height, alt=figure.title or None)  # a screen reader says its title
    if figure.series:  # and its figures, as a table
        with st.expander(f"{AS_TABLE}{figure.title}"):
            _tables.table(charts.chart_table(figure), f"{key}_figures")
