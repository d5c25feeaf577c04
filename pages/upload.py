"""上传与校验: upload returns, see what was recognised and found, store them; blank templates."""

import streamlit as st

from pages import _common as common
from weakorg import app
from weakorg.findings import RULES, SEVERITY_LABELS
from weakorg.read.guard import ReadLimits
from weakorg.text import md_text
from weakorg.vocab import CATEGORY_LABEL, FINDING_LIST_HEADERS, UNIT_LABEL

common.through_router()

MAX_MB = ReadLimits().max_bytes // (1024 * 1024)  # server.maxUploadSize agrees (tests/test_pages_upload.py)
TYPES = "、".join(app.UPLOAD_TYPES)
UPLOAD_COLUMNS = ["文件", UNIT_LABEL, "表格", "状态", "错误", "警告", "行数", CATEGORY_LABEL, "说明"]
_SAVED = "_upload_saved"  # (batch digest, SaveReport) of the last save in this session

# Streamlit's dropzone speaks English ("Upload", "20MB per file • XLSX…", "Drag and drop files here", a
# refused file's "File must be 20.0MB or smaller."): our own words drawn over them.
UPLOADER_CSS = f"""<style>
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p::after {{
  content: "选择文件"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "可将文件拖到此处 · 每个文件不超过 {MAX_MB}MB · {TYPES}"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzone"] > input + div > span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] > input + div > span::after {{
  content: "松开鼠标即可上传"; font-size: 0.875rem;
}}
[data-testid="stTooltipErrorContent"] {{ font-size: 0; }}
[data-testid="stTooltipErrorContent"]::after {{
  content: "未上传：文件超过 {MAX_MB}MB，或不是支持的类型"; font-size: 0.875rem;
}}
</style>"""

st.title("上传与校验")
st.download_button(
    "下载空白模板", common.templates(), file_name="软弱涣散基层党组织整顿-空白模板.zip", mime="application/zip"
)

st.html(UPLOADER_CSS)
uploaded = st.file_uploader(
    "上传各单位报送的报表（可一次选择多个文件）",
    type=list(app.UPLOAD_TYPES),
    accept_multiple_files=True,
    max_upload_size=MAX_MB,
)
st.caption(f"支持的文件类型：{TYPES}；每个文件不超过 {MAX_MB}MB。可一次选择或拖入多个文件，例如一个市的全部报表。")
if uploaded:
    batch = tuple((f.name, f.getvalue()) for f in uploaded)
    results = common.processed(batch)
    st.subheader("识别结果")
    st.caption(app.upload_summary(results))
    left, right = st.columns([2, 1])
    show = left.radio("显示", app.UPLOAD_SHOW, horizontal=True, key="upload_show")
    search = right.text_input("按文件名或单位查找", key="upload_search")
    table = app.select_uploads(app.upload_table(results), show, search)
    st.dataframe(table, hide_index=True, column_order=UPLOAD_COLUMNS)

    found, severities, rules = app.batch_findings(results), [], []
    if found:
        st.subheader("各单位问题合计")
        st.dataframe(app.unit_findings_table(results), hide_index=True)
    problems = app.problem_uploads(results)  # grouped by unit, then upload order
    if problems:
        st.subheader("问题详情")
        picked = st.selectbox(
            f"有问题的文件（共 {len(problems)} 个）",
            range(len(problems)),
            format_func=lambda i: app.upload_label(problems[i]),
            key="upload_file",
        )
        result = problems[picked if picked is not None and picked < len(problems) else 0]
        if found:
            left, right = st.columns(2)
            severities = left.multiselect(
                FINDING_LIST_HEADERS["severity"],
                list(SEVERITY_LABELS),
                format_func=SEVERITY_LABELS.get,
                placeholder="全部",
                key="upload_severities",
            )
            rules = right.multiselect(
                FINDING_LIST_HEADERS["title"],
                sorted({f.rule for f in found}),
                format_func=lambda c: f"{c} {RULES[c].title}",
                placeholder="全部",
                key="upload_rules",
            )
        if not result.ok:
            st.error(md_text(result.file.message or result.file.reason or ""))  # may quote the file's name
        else:
            shown = app.select_findings(result.findings, severities or None, rules or None)
            st.dataframe(app.findings_table(shown), hide_index=True)
            for col, (label, data, name) in zip(st.columns(2), app.sendback(result), strict=False):
                col.download_button(label, data, file_name=name, key=f"sendback-{label}-{result.name}")
    else:
        st.success("所有文件均未发现问题。")

    digest = common.batch_digest(batch)
    readable = sum(r.ok for r in results)
    if st.button("保存到数据库", type="primary", disabled=not readable, key="upload_save"):
        bar = st.progress(0.0, text=f"正在保存 0/{readable}")

        def saving(done: int, total: int, name: str) -> None:
            text = f"已保存 {total}/{total}，正在更新校验结果……"
            if done < total:
                text = f"正在保存 {done}/{total}：{md_text(name)}"
            bar.progress(done / total, text=text)

        report = app.save_each(common.get_store(), results, on_progress=saving)
        bar.empty()
        st.session_state[_SAVED] = (digest, report)
    saved = st.session_state.get(_SAVED)
    if saved is not None and saved[0] == digest:
        report = saved[1]
        with_findings = {r.name for r in results if r.ok and r.findings}
        note = "有问题的文件也已保存，校验结果一并留存。" if with_findings & set(report.saved) else ""
        (st.warning if report.failed else st.success)(report.summary() + note)
        failed: dict[str, list[str]] = {}  # a full disk fails every file after: each reason said once
        for name, why in report.failed:
            failed.setdefault(why, []).append(name)
        for why, names in failed.items():
            st.error(md_text(f"保存失败：{'、'.join(names)}（{why}）"))  # file names: text, not Markdown

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
