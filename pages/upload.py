"""上传与校验: upload returns, see what was recognised and found, store them; blank templates."""

import streamlit as st

from pages import _common as common
from pages import _tables
from weakorg import app, corrections, preview
from weakorg.findings import SEVERITY_LABELS, rule_name
from weakorg.read import pool as reader_pool
from weakorg.read.guard import ReadLimits
from weakorg.text import md_text
from weakorg.vocab import (
    ADMIN,
    ANALYST,
    CATEGORY_LABEL,
    CONFIRM,
    CORRECT,
    EXPLAIN,
    FINDING_LIST_HEADERS,
    PICK,
    ROLES,
    SAVE,
    UNIT_LABEL,
    UPLOAD,
    WITHDRAW,
)

common.through_router()

MAX_MB = ReadLimits().max_bytes // (1024 * 1024)  # server.maxUploadSize agrees (tests/test_pages_upload.py)
TYPES = "、".join(app.UPLOAD_TYPES)
# what each file came to (状态, 错误, 警告) right after its name: in view at 1024 px beside a long file name
EXPLAIN_PICK = "请先在“警告”中选择要说明的警告（所选警告的报送若已撤回或被替换，它已不在列表中）。"
UPLOAD_COLUMNS = ["文件", "状态", "错误", "警告", UNIT_LABEL, "表格", "行数", CATEGORY_LABEL, "说明"]
FINDING_TEXTS = (app.FINDING_HEADERS["message"], app.EXPLAINED_HEADER)  # sentences: wide, wrapped
FINDING_RULE = (app.FINDING_HEADERS["title"],)
FINDING_PLACE = (app.FINDING_HEADERS["sheet"], app.FINDING_HEADERS["cell"])  # where, before the sentences
SAVED_PLACE = (app.PLACE_HEADERS["file"], *FINDING_PLACE)  # after 填报单位, in the saved warnings of many files
_SAVED = "_upload_saved"  # (batch digest, SaveReport, files held back, ticked) of the last save in this session
_PREVIEW = "_upload_preview"  # (batch digest, store version, ticked, the save preview) of this session
FORCE_LABEL = "仍然保存有错误的文件"


def _findings(table, name: str, lead: tuple[str, ...] = FINDING_PLACE) -> None:
    """A findings table: where each is first (sheet, cell), then its sentences wide and wrapped, then its rule."""
    _tables.text_table(table, name, FINDING_TEXTS, FINDING_RULE, lead)


# A form's click (撤回, 确认填表时间无误) is kept by its callback as what it asks for, and done by the run it causes,
# once the router has checked the user and before the form is drawn; done, the form is cleared, so that the next
# submission, now first in the list, is never acted on by a second click with the same reason and tick.
_ASKED = "_asked_{}"  # session state: (submission id, text) of the form's click


def _ask(form: str) -> None:
    """A form's button clicked: what it asks for (its pick, its text and its unit), for the run it causes."""
    state = st.session_state
    state[_ASKED.format(form)] = tuple(state.get(f"{form}_{field}") for field in ("pick", "reason", "unit"))


def _untick(form: str) -> None:
    """Another return picked in a form: its 我已核对 tick, given for the one picked before, is taken back."""
    st.session_state[f"{form}_sure"] = False


def _asked(form: str, pick: str, act, done: str, need_text: str = "", need_unit: str = "") -> tuple[str, str] | None:
    """Do what a form's click asked for (``act(submission id, text, unit)``, under ``permission`` of the form's
    PERMITS for the submission's units and the unit picked): (kind of message, message), None without a click.
    ``pick``: what to ask for without a pick; ``need_text``, ``need_unit``: what to ask for without text or without
    a unit, when the form requires them; ``done``: what to say, with {sid} and {unit}."""
    state = st.session_state
    asked = state.pop(_ASKED.format(form), None)
    if asked is None:
        return None
    sid, text, unit = asked
    if sid is None:
        return "warning", pick
    if need_unit and unit is None:
        return "warning", need_unit
    if need_text and not (text or "").strip():
        return "warning", need_text
    units = [*corrections.units_of(common.get_store(), sid), *([unit] if unit else [])]
    why = common.refused(PERMITS[form], units)
    try:
        if why:
            raise ValueError(why)
        act(sid, text or "", unit)
    except ValueError as exc:  # our own Chinese message (done meanwhile, or gone)
        return "error", md_text(str(exc))
    state[f"{form}_reason"], state[f"{form}_sure"] = "", False
    state.pop(f"{form}_pick", None)
    if f"{form}_unit" in state:  # the unit picked (改归为) back to none, in the browser too
        state[f"{form}_unit"] = None
    return "success", done.format(sid=sid, unit=unit)


PERMITS = {"withdraw": WITHDRAW, "confirm": CONFIRM, "assign": CORRECT}


def _withdraw_asked() -> tuple[str, str] | None:
    """The withdrawal a click asked for (``_asked``)."""

    def act(sid: int, reason: str, _unit) -> None:
        common.get_store().withdraw(sid, reason, by=signed_in(), origin=common.origin())

    done = "已撤回 #{sid}。该单位此前的报送重新生效，校验结果已更新。"
    return _asked("withdraw", "请先选择要撤回的报送。", act, done, need_text="请先填写撤回原因。")


def _confirm_asked() -> tuple[str, str] | None:
    """The confirmation of a held return's date a click asked for (``_asked``)."""

    def act(sid: int, note: str, _unit) -> None:
        common.get_store().confirm(sid, corrections.DATE_KIND, signed_in(), note, origin=common.origin())

    return _asked("confirm", "请先选择要确认的报送。", act, "已确认 #{sid} 的填表时间，该报送现已生效。")


def _assign_asked() -> tuple[str, str] | None:
    """The assignment of a submission to another unit a click asked for (``_asked``)."""

    def act(sid: int, note: str, unit: str) -> None:
        common.get_store().confirm(sid, corrections.UNIT_KIND, signed_in(), note, unit, origin=common.origin())

    done = "已将 #{sid} 改归{unit}，此后按{unit}统计，两个单位的校验结果已更新。"
    return _asked("assign", "请先选择要改归的报送。", act, done, need_unit="请先选择要改归的填报单位。")


def _saved_as_ticked(digest: str, force: bool) -> bool:
    """Whether this session saved this batch, with 仍然保存有错误的文件 as it is ticked now."""
    saved = st.session_state.get(_SAVED)
    return saved is not None and saved[0] == digest and saved[3] == force


def signed_in() -> str:
    """The account that acts (for the records it leaves): the router's signed-in account once there is one, else ""."""
    account = getattr(common, "account", None)
    who = account() if account is not None else None
    return str(getattr(who, "username", who) or "")


def explanations():
    """The standing explanations of warnings in this viewer's scope (weakorg.store: analysts explain warnings)."""
    scope = common.scope()
    return common.get_store().explanations(set(scope) if scope is not None else None)


# Streamlit's dropzone speaks English ("Upload", "20MB per file • XLSX…", "Drag and drop files here", a
# refused file's "File must be 20.0MB or smaller."): our own words drawn over them, said by none (the empty
# alternative after "/"): a screen reader reads the words themselves, which pages/_chrome.py rewrites in Chinese.
DROP_TEXT = f"可将文件拖到此处 · 每个文件不超过 {MAX_MB}MB · {TYPES}"
UPLOADER_CSS = f"""<style>
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p::after {{
  content: "选择文件"; content: "选择文件" / ""; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] {{ min-width: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; white-space: normal; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{DROP_TEXT}"; content: "{DROP_TEXT}" / ""; font-size: 0.875rem; line-height: 1.4;
}}
[data-testid="stFileUploaderDropzone"] > input + div > span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] > input + div > span::after {{
  content: "松开鼠标即可上传"; content: "松开鼠标即可上传" / ""; font-size: 0.875rem;
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

uploaded = None
if not common.allowed(UPLOAD):  # a 管理员 comes here to withdraw: said, not left to guess from a missing box
    st.info(f"上传、校验和保存报送由{ROLES[ANALYST]}操作；本页可查看已保存的报送。")
if common.allowed(UPLOAD):  # 分析员 (a 管理员 comes here to withdraw)
    reader_pool.start_in_background()  # while files are chosen: a batch of a city's returns reads on every core
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
    st.header("识别结果")
    st.caption(app.upload_summary(results))
    left, right = st.columns([2, 1])
    show = left.radio("显示", app.UPLOAD_SHOW, horizontal=True, key="upload_show")
    search = right.text_input("按文件名或单位查找", key="upload_search")
    table = app.select_uploads(app.upload_table(results), show, search)
    named = {UPLOAD_COLUMNS[0]: st.column_config.TextColumn(width="medium", pinned=True)}  # the name stays in view
    st.dataframe(table, hide_index=True, placeholder="", column_order=UPLOAD_COLUMNS, column_config=named)

    found, severities, rules = app.batch_findings(results), [], []
    explained = explanations()  # a warning explained before (the same file sent again) says so
    if found or not all(r.ok for r in results):  # a refused file counts for the unit its name shows
        st.subheader("各单位问题合计")
        st.dataframe(app.unit_findings_table(results), hide_index=True, placeholder="")
    problems = app.problem_uploads(results)  # grouped by unit, then upload order
    listed = set(table["文件"])  # the files the table shows (显示, 查找): the picker offers those
    offered = [i for i, r in enumerate(problems) if r.name in listed]  # by place in the batch's: a pick stays put
    if problems:
        st.subheader("问题详情")
    if problems and not offered:
        st.info(app.NO_PROBLEM_SHOWN)
    elif problems:
        if st.session_state.get("upload_file") not in offered:  # filtered out: the first file shown, said to the
            st.session_state["upload_file"] = offered[0]  # browser too (a state dropped left it the old file's name)
        picked = st.selectbox(
            app.PROBLEM_FILES_LABEL.format(n=len(offered)),
            offered,
            format_func=lambda i: app.upload_label(problems[i]),
            key="upload_file",
            placeholder=PICK,
        )
        result = problems[picked if picked is not None else offered[0]]
        if found:
            left, right = st.columns(2)
            severities = left.multiselect(
                FINDING_LIST_HEADERS["severity"],
                list(SEVERITY_LABELS),
                format_func=SEVERITY_LABELS.get,
                placeholder="全部",
                select_all=False,
                key="upload_severities",
            )
            rules = right.multiselect(
                FINDING_LIST_HEADERS["title"],
                sorted({f.rule for f in found}),
                format_func=rule_name,  # by its Chinese name: a code is for machines
                placeholder="全部",
                select_all=False,
                key="upload_rules",
            )
        if not result.ok:
            st.error(md_text(result.refusal))  # may quote the file's name
        else:
            shown = app.select_findings(result.findings, severities or None, rules or None)
            if counted := app.warning_counts_text(result.findings, explained):
                st.caption(counted)
            _findings(app.findings_table(shown, explained), "upload_findings")
        for col, (label, data, name) in zip(st.columns(2), app.sendback(result), strict=False):
            sent = common.audited(lambda data=data: data, name, (result.unit_text,), UPLOAD)  # a county's, audited
            col.download_button(label, sent, file_name=name, key=f"sendback-{label}-{result.name}", on_click="ignore")
        if len(problems) > 1:  # a county each: every file's list and annotated copy at once, made on the click
            st.download_button(
                app.SENDBACK_ALL,
                common.audited(
                    lambda: app.sendback_zip(problems),
                    app.SENDBACK_ALL_NAME,
                    tuple(dict.fromkeys(r.unit_text for r in problems)),
                    UPLOAD,
                ),
                file_name=app.SENDBACK_ALL_NAME,
                mime="application/zip",
                on_click="ignore",
                key="sendback-all",
            )
    else:
        st.success("所有文件均未发现问题。")

    digest = common.batch_digest(batch)
    readable = sum(r.ok for r in results)
    st.header("保存前确认")
    with_errors = [r.name for r in results if r.ok and r.errors]
    force = False
    held = st.empty()  # said once the click is known: held back by default, or saved as ticked
    if with_errors:
        force = st.checkbox(FORCE_LABEL, value=False, key="upload_force")
    store = common.get_store()
    done = _saved_as_ticked(digest, force)  # then the table it was saved by
    kept = st.session_state.get(_PREVIEW)
    if not done and (kept is None or kept[:3] != (digest, store.version(), force)):  # what will be saved, ticked or not
        table = preview.save_preview(store, results, common.campaign(), with_errors=force)
        kept = (digest, store.version(), force, table)
        st.session_state[_PREVIEW] = kept
    caption = st.empty()  # said once the click is known: what will be replaced, or what was
    # lists of file names: wrapped in their rows, the unit first, so that at 1024 px what gets replaced is read whole
    figures = tuple(preview.FIGURES)  # now → after, in view at 1024 px before the lists of files
    _tables.text_table(kept[3], "upload_preview", preview.PREVIEW_HEADERS[1:3], lead=figures)
    clicked = common.allowed(SAVE) and st.button(
        "保存到数据库", type="primary", disabled=not readable, key="upload_save"
    )
    chosen = results if force else [r for r in results if not (r.ok and r.errors)]
    why = common.refused(SAVE, [r.file.unit for r in chosen if r.ok]) if clicked else None
    if why:  # the form was drawn for someone who may no longer save (or not these units)
        st.error(why)
    elif clicked:
        bar = st.progress(0.0, text=f"正在保存 0/{readable}")

        def saving(done: int, total: int, name: str) -> None:
            text = f"已保存 {total}/{total}，正在更新校验结果……"
            if done < total:
                text = f"正在保存 {done}/{total}：{md_text(name)}"
            bar.progress(done / total, text=text)

        report = app.save_each(common.get_store(), chosen, signed_in(), on_progress=saving, origin=common.origin())
        bar.empty()
        st.session_state[_SAVED] = (digest, report, [] if force else with_errors, force)
        st.session_state[_PREVIEW] = (*kept[:2], force, kept[3])  # the table this save was made by, kept as it was
    saved_now = _saved_as_ticked(digest, force) and st.session_state[_SAVED][1].changed()
    caption.caption(preview.PREVIEW_DONE if saved_now else preview.PREVIEW_TODO)
    if with_errors:
        forced = _saved_as_ticked(digest, True)
        said = f"有错误的文件 {len(with_errors)} 个：{app.some_names(with_errors)}。"
        said += "已按勾选保存。" if forced else "默认不保存，请先改正。"
        (held.info if forced else held.warning)(md_text(said))
    saved = st.session_state.get(_SAVED)
    if saved is not None and saved[0] == digest:
        report = saved[1]
        stored = set(report.saved)
        warned = {r.name for r in results if r.ok and r.warnings} & stored  # a 提示 alone is nothing to explain
        # what was saved with its findings, never read as the files held back above
        note = (
            "有错误的文件已按勾选保存，校验结果一并留存。"
            if set(with_errors) & stored
            else "有警告的文件也已保存，警告一并留存，可在下方说明。"
            if warned
            else ""
        )
        said = st.warning if report.failed else st.success if report.changed() else st.info  # nothing saved: no green
        said(report.summary() + note)  # the outcome first, then the rest
        if back := app.reinstated_text(report):  # an admin's withdrawal undone by this upload: said, never silently
            st.warning(md_text(back))
        if saved[2]:
            st.info(md_text(app.held_back_text(saved[2], FORCE_LABEL)))
        failed: dict[str, list[str]] = {}  # a full disk fails every file after: each reason said once
        for name, why in report.failed:
            failed.setdefault(why, []).append(name)
        for why, names in failed.items():
            st.error(md_text(f"保存失败：{'、'.join(names)}（{why}）"))  # file names: text, not Markdown

if common.allowed(EXPLAIN):  # 分析员
    st.header("说明警告")
    st.caption(
        "已保存报送中的警告，可写明理由标为已说明，理由随警告保存并显示；错误不能说明，只能由填报单位改正后重新报送。"
    )
    standing_files = corrections.standing_names(common.submissions_record())  # cached on the store's version
    warnings = app.explainable(common.current_picture().findings, standing_files)  # not a replaced return's
    if not warnings:
        st.info("已保存的报送中没有警告。")
    else:
        # picked by what it is, not where it is listed: a withdrawal in another tab shifts the list, and a warning
        # gone from it leaves nothing picked (never another warning with this reason)
        by_key = {app.finding_key(w): w for w in warnings}
        picked = st.selectbox(
            "警告",
            list(by_key),
            index=None,
            format_func=lambda k: app.finding_label(by_key[k]),
            key="explain_finding",
            placeholder=PICK,
        )
        reason = st.text_area(app.EXPLANATION_HEADER, key="explain_reason")
        if st.button("保存说明", key="explain_save"):
            warning = by_key.get(picked)
            why = common.refused(EXPLAIN, [warning.unit]) if warning else None
            if warning is None:
                st.warning(EXPLAIN_PICK)
            elif why:
                st.error(why)
            elif reason.strip():
                common.get_store().explain(warning, reason, by=signed_in(), origin=common.origin())
                st.success("说明已保存。")
            else:
                st.warning("请先填写说明理由。")
        explained = explanations()
        st.caption(app.warning_counts_text(warnings, explained))
        # many files' warnings: whose and which file first (three 附件1 B9 warnings told apart)
        _findings(app.findings_table(warnings, explained, files=True), "saved_warnings", SAVED_PLACE)

st.header("已保存的报送")
record = st.container()  # drawn last, so that a withdrawal made below shows in it at once

said = _withdraw_asked() if common.allowed(WITHDRAW) else None  # before the list and the form are drawn
standing = corrections.withdrawable(common.get_store(), common.scope())  # newest first
if common.allowed(WITHDRAW):  # 管理员
    st.header("撤回报送")
    st.caption("撤回的报送仍保留在上表中，不再生效，该单位此前的报送重新生效；须写明撤回原因。")
    if not standing:
        st.info("没有可撤回的报送。")
    else:
        labels = dict(standing)  # picked by id: a pick follows its submission, not a place in the list
        pick = st.selectbox(  # none at first: a form left as it opened never withdraws the newest return
            "报送", list(labels), index=None, format_func=labels.get, key="withdraw_pick", placeholder=PICK,
            on_change=_untick, args=("withdraw",),
        )  # fmt: skip
        st.text_area("撤回原因（必填）", key="withdraw_reason")
        sure = st.checkbox(  # one click never withdraws, and a tick is for the return it names
            f"我已核对，确认撤回{labels[pick]}" if pick in labels else "我已核对，确认撤回所选报送", key="withdraw_sure"
        )
        st.button("撤回", key="withdraw_save", disabled=not sure, on_click=_ask, args=("withdraw",))
    if said:
        getattr(st, said[0])(said[1])

elif standing:  # an analyst sees the record but may not withdraw: who may
    st.caption(f"如需撤回已保存的报送，请联系{ROLES[ADMIN]}（写明报送编号和原因）。")

if common.allowed(CONFIRM):  # 分析员
    st.header("确认填表时间")
    st.caption(
        "填表时间晚于今天、远早于整顿开始或远晚于整顿结束的报送暂不生效；核实日期无误后，由分析员确认，确认后即作为有效报送。"
    )
    said = _confirm_asked()  # before the list and the form are drawn
    held = corrections.awaiting(common.get_store(), common.scope())
    if not held:
        st.info("没有待确认填表时间的报送。")
    else:
        labels = dict(held)  # picked by id, as the withdrawal is
        st.selectbox(
            "待确认的报送", list(labels), index=None, format_func=labels.get, key="confirm_pick", placeholder=PICK
        )
        st.text_input("核实情况（可选）", key="confirm_reason")
        st.button("确认填表时间无误", key="confirm_save", on_click=_ask, args=("confirm",))
    if said:
        getattr(st, said[0])(said[1])

if common.allowed(CORRECT):  # 分析员
    st.header("改归填报单位")
    st.caption(
        f"文件中的党组织实属另一单位时（校验发现“{rule_name('UNIT_MISMATCH')}”），可将该报送改归正确的填报单位。"
    )
    said = _assign_asked()  # before the list and the form are drawn
    if said:  # the list as the click changed it (a file's unit)
        standing = corrections.withdrawable(common.get_store(), common.scope())
    if not standing:
        st.info("没有可改归的报送。")
    else:
        labels = dict(standing)  # picked by id, as the withdrawal is
        st.selectbox("报送", list(labels), index=None, format_func=labels.get, key="assign_pick", placeholder=PICK)
        units = list(common.campaign().unit_names)
        st.selectbox("改归为", units, index=None, placeholder="请选择填报单位", key="assign_unit")
        st.text_input("改归原因（可选）", key="assign_reason")
        st.button("改归", key="assign_save", on_click=_ask, args=("assign",))
    if said:
        getattr(st, said[0])(said[1])

saved_record = common.submissions_record()
if saved_record.empty:  # Streamlit would draw an empty table with the English word "empty"
    record.caption(_tables.NO_ROWS)
else:
    record.dataframe(saved_record, hide_index=True, placeholder="")
