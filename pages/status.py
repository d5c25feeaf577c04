"""报送情况: which units have reported, on time or late, how often, with open errors; progress over time."""

import streamlit as st

from pages import _charts, _filters, _tables
from pages import _common as common
from weakorg import app, asof, charts, corrections, counts, status
from weakorg.campaign import default_campaign
from weakorg.export.findings import findings_frame
from weakorg.store import database_url
from weakorg.text import md_text
from weakorg.vocab import (
    DATE_LABEL,
    PICK,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_ON_TIME,
    STATUS_LABEL,
    UNIT_LABEL,
    chinese_date,
)

common.through_router()

PROGRESS_OF = f"整顿进展图显示的{UNIT_LABEL}"  # the chart's own picker: a name apart from the sidebar's 填报单位


st.title("报送情况")
_filters.show_trail()
campaign = default_campaign()
url = database_url()
version = common.store_for(url).version()
chosen, _ = _filters.filters()

every = common.unit_status(url, version, common.scope())
table = every[every["unit"].isin(chosen)].reset_index(drop=True) if chosen else every
st.caption(f"{campaign.name}：首次报送截止日期为{chinese_date(campaign.deadline)}（以{DATE_LABEL}为准）。")

latest = asof.status_day(every)  # the round the returns have reached
behind_units, n_round = asof.behind_units(table, latest, campaign)
current = asof.round_dates(campaign)[n_round - 1] if n_round else None
behind_tile = status.BEHIND_LABEL.format(n=n_round) if current else None

states = table["state"].value_counts()
metrics = [  # 按时 and 逾期 are of the first returns, 未报送 of none at all: said under the tiles
    ("应报送单位", len(table)),
    *((status.FIRST_STATE_LABELS[s], int(states.get(s, 0))) for s in (REPORT_ON_TIME, REPORT_LATE, REPORT_MISSING)),
    *([(behind_tile, len(behind_units))] if behind_tile else []),
    ("未改正错误", int(table["open_errors"].sum())),
]
for column, (label, value) in zip(st.columns(len(metrics)), metrics, strict=True):
    column.metric(label, value)  # no help icon: six tiles at 1024 px would cut their labels
behind_note = status.BEHIND_NOTE.format(n=n_round, round=asof.round_label(current, campaign)) if current else ""
st.caption(status.TILES_NOTE + behind_note)

if latest is not None:
    st.caption(asof.as_of_note(latest, campaign))
if current is not None and (behind := asof.behind_text(table, latest, campaign)):
    st.warning(md_text(behind))  # a unit can be on time for the first returns and a round behind

st.header("各填报单位报送情况")
st.caption(status.TABLE_NOTE)
units_table = status.status_table(table, behind_units, n_round)  # 首次按时，第3次未报
_tables.table(units_table, "status_units")
_tables.download_buttons(units_table, "各填报单位报送情况", "status_units")
if outside := corrections.outside_note(common.submissions_record()):  # stored, yet no unit of the campaign's
    st.info(md_text(outside))  # file names: text, not Markdown

in_view = common.unit_picture()  # the units in view, every category: what 报送情况 counts
errors = status.open_errors(in_view.findings, list(table["unit"]))
if errors:  # what 未改正错误 counts, one by one: where each is, so that it can be sent back
    st.header(f"未改正错误（{len(errors)} 条）")
    st.caption(status.OPEN_ERRORS_NOTE)
    # a list, not a table: each whole sentence, where it is first, at any width (a table's cells cut them at 1024 px)
    st.markdown("\n".join(f"1. {md_text(app.located_line(f))}" for f in errors))
    _tables.download_buttons(findings_frame(errors, codes=False), "未改正错误", "status_errors")  # to send back

st.header(STATUS_LABEL)
by_unit, whole = common.progress_in_view()
options = [whole, *(u for u in table["unit"] if u in set(by_unit["unit"]) and u != whole)]
if st.session_state.get(_filters.FILTER_PROGRESS_UNIT) not in options:  # a unit no longer in view
    st.session_state.pop(_filters.FILTER_PROGRESS_UNIT, None)
shown = st.selectbox(PROGRESS_OF, options, key=_filters.FILTER_PROGRESS_UNIT, placeholder=PICK)
_filters.write_url()  # the unit picked is a filter: in the URL, so a link, Back and Forward keep it
rows = asof.progress_at_rounds(by_unit if shown == whole else by_unit[by_unit["unit"] == shown])  # as of rounds
_charts.plain_chart(charts.progress_over_time(rows, shown), "progress")  # its PNG named after the chart and filters
if shown == whole and (note := counts.progress_note(rows, in_view)):  # the 一览表 and 附件1 disagree
    st.caption(note)
if shown == whole and (fewer := counts.progress_units_note(rows)):  # a point before a unit's first return
    st.caption(fewer)
