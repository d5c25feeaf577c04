"""研判: the current organizations' readings by doubt; an analyst corrects an organization's criteria and flags."""

import streamlit as st

from pages import _chrome, _filters, _tables
from pages import _common as common
from weakorg import app, review
from weakorg.privacy import DEMO_VIEWER
from weakorg.store.corrections import NOTE_MAX
from weakorg.text import md_text
from weakorg.vocab import CORRECT, CRITERIA, CRITERIA_SHORT, FLAGS, PICK, local_time

SAVED = "_review_saved"  # session state: (unit, name, what the page says) of the correction this session just saved
SAVES = "_review_saves"  # session state: how many this session saved (a new list after each: its tick is cleared)
TABLE_PICK = "_review_table_pick"  # session state: the row last ticked in the list (unit, name)
JUST_PICKED = "_review_just_picked"  # session state: a row was just ticked, so the form comes into view
FORM_ANCHOR = "review-form"
LIST_PX = 460  # the list's height: about eleven rows

common.through_router()

st.title(review.TITLE)
_filters.show_trail()
common.stop_if_nothing_stored()

picture = common.current_picture()
scope = common.scope()
listed = app.review_items(common.get_store(), picture, scope)
counts = review.state_counts(listed)
for column, state in zip(st.columns(len(counts)), review.STATES, strict=True):
    column.metric(state, counts[state])
st.caption(
    "待研判：主要问题写了问题，但规则没有读出任何一条标准；低：读出的依据相互矛盾或只读了开头；"
    f"{review.HIGH_NOTE}；已更正：分析员已更正或确认，在主要问题不变时一直有效，并计入明细、研判和导出。"
    f"{review.EVIDENCE_NOTE}"
)
st.dataframe(review.criterion_counts(picture.weak_orgs, listed), hide_index=True, placeholder="")
st.caption(review.COUNTS_NOTE)

if listed.empty:
    st.info("当前筛选条件下没有软弱涣散基层党组织。请在左侧调整填报单位或党组织类别。")
    st.stop()

states = st.multiselect(
    review.STATE_LABEL, review.STATES, key="review_states", placeholder="全部研判状态", select_all=False
)
_filters.write_url()  # the states are a filter: in the URL, so a link, Back and Forward keep them
listed = review.select(listed, states)
saved = st.session_state.get(SAVED)
if saved and not ((listed["unit"] == saved[0]) & (listed["name"] == saved[1])).any():
    st.session_state.pop(SAVED)  # its organization left the states in view (已更正 after 撤销更正): said here
    st.success(md_text(saved[2]))
    st.toast(review.SAVED_TOAST)
if listed.empty:
    st.info("没有处于所选研判状态的党组织。")
    st.stop()
may_correct = common.allowed(CORRECT)
if may_correct:
    st.caption(f"{_tables.PICK_ROW}，在下方更正该组织的判读；也可在下方直接选择党组织。")
shown = common.shown(review.table(listed))
event, first = _tables.table(
    shown,
    "review",
    on_select="rerun" if may_correct else "ignore",
    selection_mode="single-row",
    key=f"review_table_{st.session_state.get(_filters.DRILLS, 0)}_{st.session_state.get(SAVES, 0)}",
    # a work list of a fixed height, scrolled inside: its sideways scrollbar in view and the form right below it;
    # the state and the name stay in view while the texts scroll sideways
    height=LIST_PX,
    column_config={
        review.HEADERS["name"]: st.column_config.Column(pinned=True),
        review.HEADERS["problems"]: st.column_config.TextColumn(width="large"),
    },
)
if not may_correct:
    st.stop()

rows = {(r["unit"], r["name"]): r for r in listed.to_dict("records")}  # chosen by organization: the order moves
chosen = [first + r for r in event.selection.rows] if event else []
if chosen and chosen[0] < len(listed):
    from_table = (listed["unit"].iloc[chosen[0]], listed["name"].iloc[chosen[0]])
    if from_table != st.session_state.get(TABLE_PICK):  # a new row ticked: it becomes the one to correct
        st.session_state[TABLE_PICK] = st.session_state["review_org"] = from_table
        st.session_state[JUST_PICKED] = True
st.header("更正判读", anchor=FORM_ANCHOR)
if st.session_state.pop(JUST_PICKED, False):  # the form is below the whole list: bring it into view
    _chrome.scroll_to(FORM_ANCHOR)
picked = st.selectbox(
    "选择党组织", list(rows), format_func=lambda k: review.label(rows[k]), key="review_org", placeholder=PICK
)
row = rows.get(picked) or next(iter(rows.values()))
problems = row["problems"] if isinstance(row["problems"], str) else ""
st.markdown(f"**主要问题**：{md_text(problems or '（空）')}")
st.markdown(f"**规则读出**：{md_text(row['read_text'])}；**依据**：{md_text(row['evidence'] or '无')}")
corrected = row["by"] is not None
if row["doubt"] and not corrected:  # once corrected, the analyst's word stands: the rules' doubt is settled
    st.markdown(f"**存疑原因**：{md_text(row['doubt'])}")
if corrected:
    st.markdown(md_text(f"已由{row['by'] or DEMO_VIEWER}于{local_time(row['at'])}更正：{row['note']}"))

counted, flagged = set(row["criteria"]), set(row["flags"])
# The ticks start from what counts now, for each organization, afresh after each save or withdrawal (its count in the
# keys): a withdrawn correction's ticks and note would otherwise stay, one click from being saved again.
key = f"{row['unit']}|{row['name']}|{st.session_state.get(SAVES, 0)}"
left, right = st.columns(2)
with left:
    st.markdown("**符合标准**")
    ticked = [n for n in CRITERIA if st.checkbox(f"（{n}）{CRITERIA_SHORT[n]}", n in counted, key=f"rc{n}|{key}")]
with right:
    st.markdown("**重点整顿**")
    marked = [k for k in FLAGS if st.checkbox(FLAGS[k], k in flagged, key=f"rf{k}|{key}")]
note = st.text_area(
    "更正说明（必填）",
    key=f"rn|{key}",
    max_chars=NOTE_MAX,
    placeholder="写明为何这样判定，如：书记已在岗，只是能力不足",
)
if not ticked:  # allowed (the analyst may judge it meets none), but never by a slip
    st.warning(review.NONE_TICKED)
buttons = st.container(horizontal=True)
save = buttons.button("保存更正", key="review_save", type="primary")
undo = corrected and buttons.button(review.WITHDRAW_LABEL, key="review_withdraw", help=review.WITHDRAW_HELP)
if save or undo:
    why = common.refused(CORRECT, [row["unit"]])
    if why:
        st.error(why)
    else:
        who, store = getattr(common.account(), "username", ""), common.get_store()
        try:
            if save:
                before, after = (row["criteria"], row["flags"]), (ticked, marked)
                same = review.unchanged(before, after)  # a confirmation: the audit log says so
                store.add_correction(row["unit"], row["name"], problems, *after, note, who, common.origin(), same)
                said = review.saved_note(row["name"], before, after)
            else:
                store.withdraw_correction(row["unit"], row["name"], problems, note, who, common.origin())
                said = review.withdrawn_note(row["name"])
        except ValueError as exc:
            st.error(str(exc))
        else:  # said under the button, where the analyst is; the same organization stays in the form
            st.session_state[SAVED] = (row["unit"], row["name"], said)
            st.session_state[SAVES] = st.session_state.get(SAVES, 0) + 1  # the list's tick would pick another row
            st.session_state.pop(TABLE_PICK, None)
            st.rerun()
saved = st.session_state.pop(SAVED, None)
if saved and saved[:2] == (row["unit"], row["name"]):
    st.success(md_text(saved[2]))  # names from a return: text, not Markdown
    st.toast(review.SAVED_TOAST)  # seen wherever the page is scrolled to
