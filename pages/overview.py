"""全市总览: headline numbers, charts by category, unit and criterion, the summary by unit."""

import streamlit as st

from pages import _common as common
from weakorg import app, charts

st.title("全市总览")

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

left, right = st.columns(2)
left.plotly_chart(charts.weak_by_category(picture.by_category), key="by_category")
right.plotly_chart(charts.weak_share_by_category(picture.by_category), key="share_by_category")
st.plotly_chart(charts.weak_by_unit(picture.summary), key="by_unit")
st.plotly_chart(charts.weak_by_criterion(picture.by_category), key="by_criterion")

st.subheader("各填报单位汇总")
st.dataframe(app.unit_table(picture), hide_index=True)
