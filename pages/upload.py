"""上传与校验: upload returns, see what was recognised and found, store them; blank templates."""

import streamlit as st

from pages import _common as common
from weakorg import app
from weakorg.findings import RULES, SEVERITY_LABELS
from weakorg.vocab import FINDING_LIST_HEADERS

common.through_router()

st.title("上传与校验")
st.download_button(
    "下载空白模板", common.templates(), file_name="软弱涣散基层党组织整顿-空白模板.zip", mime="application/zip"
)

uploaded = st.file_uploader(
    "上传各单位报送的报表（可一次选择多个文件）", type=list(app.UPLOAD_TYPES), accept_multiple_files=True
)
if uploaded:
    results = common.processed(tuple((f.name, f.getvalue()) for f in uploaded))
    st.subheader("识别结果")
    st.dataframe(app.upload_table(results), hide_index=True)
    found, severities, rules = app.batch_findings(results), [], []
    if found:
        st.subheader("各单位问题合计")
        st.dataframe(app.unit_findings_table(results), hide_index=True)
        left, right = st.columns(2)
        severities = left.multiselect(
            FINDING_LIST_HEADERS["severity"],
            list(SEVERITY_LABELS),
            format_func=SEVERITY_LABELS.get,
            key="upload_severities",
        )
        rules = right.multiselect(
            FINDING_LIST_HEADERS["title"],
            sorted({f.rule for f in found}),
            format_func=lambda c: f"{c} {RULES[c].title}",
            key="upload_rules",
        )
    for result in sorted(results, key=lambda r: r.file.unit or ""):  # grouped by unit, then upload order
        label = f"{result.file.unit or '单位未识别'} · {result.name}：{result.recognised()['状态']}"
        with st.expander(label, expanded=not result.ok or result.errors > 0):
            if not result.ok:
                st.error(result.file.message or result.file.reason or "")
            elif result.findings:
                shown = app.select_findings(result.findings, severities or None, rules or None)
                st.dataframe(app.findings_table(shown), hide_index=True)
                for col, (label, data, name) in zip(st.columns(2), app.sendback(result), strict=False):
                    col.download_button(label, data, file_name=name, key=f"sendback-{label}-{result.name}")
            else:
                st.success("未发现问题。")
    readable = sum(r.ok for r in results)
    if st.button("保存到数据库", type="primary", disabled=not readable):
        ids = app.save_uploads(common.get_store(), results)
        st.success(f"已保存 {len(ids)} 个文件（有问题的文件也已保存，校验结果一并留存）。")

st.subheader("说明警告")
st.caption(
    "已保存报送中的警告，可写明理由标为已说明，理由随警告保存并显示；错误不能说明，只能由填报单位改正后重新报送。"
)
warnings = app.explainable(common.current_picture().findings)
if not warnings:
    st.info("已保存的报送中没有警告。")
else:
    picked = st.selectbox(
        "警告", range(len(warnings)), format_func=lambda i: app.finding_label(warnings[i]), key="explain_finding"
    )
    reason = st.text_area(app.EXPLANATION_HEADER, key="explain_reason")
    if st.button("保存说明", key="explain_save"):
        if reason.strip():
            common.get_store().explain(warnings[picked], reason)
            st.success("说明已保存。")
        else:
            st.warning("请先填写说明理由。")
    scope = common.scope()
    explained = common.get_store().explanations(set(scope) if scope is not None else None)
    st.dataframe(app.findings_table(warnings, explained), hide_index=True)

st.subheader("已保存的报送")
st.dataframe(app.submissions_table(common.get_store(), common.scope()), hide_index=True)
