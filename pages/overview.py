"""全市总览: headline numbers, charts by category, unit and criterion, the summary by unit."""

import streamlit as st

from pages import _common as common
from weakorg import app, charts, drill

st.title("全市总览")
common.show_trail()

if common.get_store().is_empty():
    st.info("数据库中还没有任何报送。请到“上传与校验”页面上传各填报单位的报表，或下载空白模板分发填报。")
    st.stop()

picture = common.current_picture()
metrics = app.headline(picture)
for column, metric in zip(st.columns(len(metrics)), metrics, strict=True):
    column.metric(metric.label, metric.value, help=metric.help)

if app.is_blank(picture):
    st.info("当前筛选条件下没有数据。请在左侧调整填报单位或党组织类别。")
    st.stop()

st.caption("点击图中的柱形，进入下一层：类别和标准进入组织明细，单位进入县市区。")
left, right = st.columns(2)
with left:
    common.chart(charts.weak_by_category(picture.by_category), drill.CHART_BY_CATEGORY)
with right:
    common.chart(charts.weak_share_by_category(picture.by_category), drill.CHART_SHARE_BY_CATEGORY)
common.chart(charts.weak_by_unit(picture.summary), drill.CHART_BY_UNIT)
common.chart(charts.weak_by_criterion(picture.by_category), drill.CHART_BY_CRITERION)

st.subheader("各填报单位汇总")
units = app.unit_table(picture)
st.dataframe(units, hide_index=True)
common.download_buttons(units, "各填报单位汇总", "overview_units")
