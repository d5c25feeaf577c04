"""换届难点村: the difficult villages, their problems and measures, re-election done or not."""

import streamlit as st

from pages import _common as common
from pages import _filters, _tables
from weakorg import drill, views
from weakorg.vocab import ELECTION_UNREADABLE, chinese_date

common.through_router()

st.title("换届难点村")
_filters.show_trail()

common.stop_if_nothing_stored()

picture = common.current_picture()
total, elected = views.village_counts(picture.villages)
unknown = views.elections_unreadable(picture.villages)
common.show_as_of(picture)
end = common.campaign().rectification_end
first, second, third = st.columns(3)
first.metric("换届难点村数", f"{total:,}")
second.metric("已完成换届", f"{elected:,}")
third.metric(
    "未完成换届",
    f"{total - elected - unknown:,}",
    help=f"尚未填写换届选举完成时间的难点村；整顿于{chinese_date(end)}结束，此后仍未完成的村列出整顿结束后的天数。",
)
if unknown:
    st.caption(
        f"另有 {unknown:,} 个村的换届选举完成时间无法识别（表中“{ELECTION_UNREADABLE}”），"
        "未计入已完成或未完成，请核对其报表。"
    )

st.toggle("只看未完成换届的村", key=_filters.FILTER_OPEN_VILLAGES)
_filters.write_url()  # the switch is a filter: in the URL, so Back, Forward and a link keep it
villages = drill.filter_villages(picture.villages, _filters.current_filters())
as_of = common.as_of(picture)
table = common.shown(views.village_table(villages, as_of=as_of))
if views.DAYS_LABEL not in table.columns:  # no village is past the end yet: said instead of an empty column
    st.caption(f"列出 {len(table):,} 个村。整顿期至{chinese_date(end)}结束，此后仍未完成换届的村将列出已过天数。")
else:
    st.caption(f"列出 {len(table):,} 个村。")
_tables.table(table, "villages")
_tables.download_buttons(table, "换届难点村", "villages")
