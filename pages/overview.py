"""全市总览: the leader's first screen (the headline figures and their change, what changed since the previous round,
the charts by category, criterion and unit drawn as one), then, drawn only when asked for under 更多内容: progress
over time, the heatmaps, the summary by unit and the ranking of units."""

import streamlit as st

from pages import _charts, _filters, _tables
from pages import _common as common
from weakorg import app, asof, charts, counts, drill, overview
from weakorg.vocab import RANK_LABEL, STATUS_LABEL, UNIT_LABEL

common.through_router()

st.title("全市总览")
_filters.show_trail()

common.stop_if_nothing_stored("，或下载空白模板分发填报")

picture = common.current_picture()
previous = common.previous_picture()
before, before_day = previous if previous else (None, None)
figures = overview.headline_change(picture, before, common.behind_in_view())  # 第3次未报 said under 已报送单位
st.html(overview.headline_html(figures))  # one element, not thirty
st.info(overview.change_sentence(picture, before, before_day))  # what a leader reads first
common.show_as_of(picture, overview.change_note(before_day))
common.show_gaps(picture)

if app.is_blank(picture):
    st.info("当前筛选条件下没有数据。请在左侧调整填报单位或党组织类别。")
    st.stop()

st.caption(
    "点击图中的柱形，进入下一层：类别和标准进入组织明细，单位进入县市区；点击柱中某一类别的色块，同时按该类别筛选。"
    "键盘：用Tab键进入图中，方向键选择柱形，回车键进入。"
)
shown = common.overview_figures()
# Which kinds (each category's share labels its bar), why, then where: one under the other, each the page's width,
# so that at 1024 px beside the sidebar no title, legend or label is cut.
# Drawn as one chart of three grids (one element, one canvas: each chart drawn costs a new tab time).
_charts.board(shown[overview.BOARD], overview.BOARD)
if note := charts.unit_bars_note(picture.summary):
    st.caption(note)

more = st.segmented_control(
    overview.MORE_CHARTS, overview.MORE_OPTIONS, default=None, key=_filters.FILTER_MORE
)  # the rest drawn only when asked for: every element drawn costs a new tab time
if more == overview.HEATMAPS:
    st.caption(
        "点击热力图中的格子，进入该单位符合该标准（或该类别）的组织明细；"
        f"也可在图下的“{_charts.AS_TABLE.rstrip('：')}”中选择单位和列，用键盘进入。"
    )
    _charts.heatmap(shown[drill.CHART_UNIT_CRITERION], drill.CHART_UNIT_CRITERION)
    _charts.heatmap(shown[drill.CHART_UNIT_CATEGORY], drill.CHART_UNIT_CATEGORY)
elif more == overview.PROGRESS:
    st.header(STATUS_LABEL)
    by_unit, whole = common.progress_in_view()
    rows = asof.progress_at_rounds(by_unit)
    _charts.plain_chart(charts.progress_over_time(rows, whole), "progress")
    if note := counts.progress_note(rows, picture):  # the last point counts the 一览表, the headline 附件1
        st.caption(note)
    if fewer := counts.progress_units_note(rows):  # a point before a unit's first return counts fewer units
        st.caption(fewer)
elif more == overview.TABLES:
    st.header("各填报单位汇总")
    units = app.unit_table(picture)
    _tables.table(units, "overview_units")
    _tables.download_buttons(units, "各填报单位汇总", "overview_units")

    st.header(f"各{UNIT_LABEL}{RANK_LABEL}")
    st.caption(overview.RANKING_NOTE)
    ranked = overview.ranking_table(common.ranking(), *common.behind_in_view())
    progress = overview.RANKING_HEADERS["progress"]  # one decimal, as the 通报 and the tiles say it
    _tables.table(ranked, "overview_ranking", column_config={progress: st.column_config.NumberColumn(format="%.1f")})
    _tables.download_buttons(ranked, f"各{UNIT_LABEL}{RANK_LABEL}", "overview_ranking")
