"""组织明细: every weak organization of the current picture, filtered; a row opens the organization's card."""

import streamlit as st

from pages import _chrome, _filters, _tables
from pages import _common as common
from weakorg import app, counts, drill, privacy, views
from weakorg.text import md_text
from weakorg.vocab import FLAGS, REVEAL_PHONE, STATUSES

REVEALED = "_revealed_org"  # session state: the organization (unit, name) whose phone this session revealed last
NOT_FOUND = "没有找到“{name}”（{unit}）的报送记录：链接中的党组织名称或填报单位可能有误。"
JUST_OPENED = "_org_just_opened"  # session state: a row was just picked, so the card below the list comes into view
CARD_ANCHOR = "org-card"

common.through_router()

st.title("组织明细")
_filters.show_trail()

common.stop_if_nothing_stored()

# two filters a row: at 1024 px beside the sidebar, four in a row cut a chosen criterion's chip to "(." and the
# search's placeholder
search, criteria = st.columns(2)
flags, statuses = st.columns(2)
search.text_input("按名称或主要问题搜索", key=_filters.FILTER_SEARCH, placeholder="输入党组织名称或主要问题中的字词")
criteria.multiselect(
    "符合标准",
    list(drill.CRITERIA_NUMBERS),
    key=_filters.FILTER_CRITERIA,
    format_func=drill.criterion_label,
    placeholder="全部标准",
    select_all=False,  # Streamlit's "Select all" speaks English, and one stray click takes all six
)
flags.multiselect(
    "重点整顿", list(FLAGS), key=_filters.FILTER_FLAGS, format_func=FLAGS.get, placeholder="全部", select_all=False
)
statuses.multiselect("整顿进展", list(STATUSES), key=_filters.FILTER_STATUSES, placeholder="全部进展", select_all=False)
_filters.write_url()

filters = _filters.current_filters()
card = common.org_card(*filters.org) if filters.org else None
if filters.org and card is None:  # a link naming no organization of the unit: said first, not under the whole list
    st.warning(NOT_FOUND.format(name=md_text(filters.org[1]), unit=md_text(filters.org[0])))  # the URL's text
picture = common.current_picture()
orgs = drill.filter_orgs(picture.weak_orgs, filters)
table = common.shown(views.org_table(orgs))
narrowed = bool(filters.search or filters.flags or filters.statuses)  # then 附件1 has no number to compare with
listed = counts.list_caption(picture, len(table), filters.criteria, narrowed)
st.caption(f"{listed}{_tables.PICK_ROW}，查看该组织的详细情况。" if len(table) else listed)
common.show_as_of(picture)
if counts.list_reported(picture, len(table), filters.criteria, narrowed) is not None:  # why, here, not elsewhere
    common.show_explaining(counts.list_explaining(picture, filters.criteria))
event, first = _tables.table(  # every row, a page of 200 at a time: a selection counts from the page's first
    table,
    "orgs",
    on_select="rerun",
    selection_mode="single-row",
    key=f"orgs_table_{st.session_state.get(_filters.DRILLS, 0)}",
)
_tables.download_buttons(table, "组织明细", "orgs")

rows = [first + r for r in event.selection.rows] if event else []
if rows and rows[0] < len(orgs):
    picked = (orgs["unit"].iloc[rows[0]], orgs["name"].iloc[rows[0]])
    if picked != filters.org:
        _filters.open_org(picked)
        st.session_state[JUST_OPENED] = True
        st.rerun()

if card is not None:
    st.divider()
    st.header(md_text(privacy.mask_text(card.name)), anchor=CARD_ANCHOR)  # a number written in a name too
    if st.session_state.pop(JUST_OPENED, False):  # picked in the list, maybe far up: the card comes into view
        _chrome.scroll_to(CARD_ANCHOR)
    if dropped := views.last_listed_note(card):  # no standing return lists it: said before its facts
        st.warning(dropped)
    facts = st.container(horizontal=True, gap="large")  # each as wide as its value, wrapping: never cut at 1024 px
    for label, value in views.card_facts(card):
        facts.metric(label, value, width="content")
    revealed = st.session_state.get(REVEALED) == filters.org
    st.markdown(views.contact_markdown(card, revealed=revealed))
    if not revealed and card.current.get("phone") and common.allowed(REVEAL_PHONE):
        hint = privacy.REASON_HINT
        reason = st.text_input(privacy.REASON_LABEL, key="reveal_reason", max_chars=200, placeholder=hint)
        if st.button(privacy.REVEAL_LABEL, key="reveal_phone"):
            if common.reveal_phone(card.unit, card.name, reason):  # one audit entry per click that reveals
                st.session_state[REVEALED] = filters.org
                st.rerun()
            st.error(privacy.REASON_MISSING)
    st.markdown(views.problems_markdown(card))
    stated, read = st.columns(2)
    with stated:
        st.subheader("计入统计的符合标准")
        st.markdown(views.stated_markdown(card))
    with read:
        st.subheader("从主要问题中读出的标准")
        st.markdown(views.read_markdown(card))
    if reviewed := views.correction_markdown(card):  # who corrected the reading, when, why (names escaped)
        st.info(reviewed)
    if lines := views.correction_lines(card):  # every correction and withdrawal, newest first
        with st.expander(f"研判记录（{len(lines)}条）"):
            for line in lines:  # names and notes are data: text, not Markdown
                st.caption(md_text(line))
    st.subheader(views.FINDINGS_TITLE)
    st.caption(views.findings_summary(card))
    if card.findings:  # a table: the explanations are data, shown as text
        wide = (views.CARD_FINDING_HEADERS["message"], app.EXPLAINED_HEADER)  # sentences: wide, wrapped
        _tables.text_table(
            views.card_findings_table(card), "org_findings", wide, (views.CARD_FINDING_HEADERS["title"],)
        )
    st.subheader("整顿进展变化")
    _tables.table(card.statuses, "org_statuses")  # （暂无记录） when none, never Streamlit's "empty"
    st.subheader("历次报送")
    history = common.shown(card.history)
    _tables.table(history, "org_history")
    _tables.download_buttons(history, "历次报送", "org_history", of_org=True)
