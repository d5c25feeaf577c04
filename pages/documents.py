"""通报与简报: the 通报 (.docx), the meeting brief (PDF) and the city's return in the official layout, as of a date,
for the units and categories in the sidebar; the 通报's text previewed as plain text."""

from dataclasses import replace
from functools import partial

import streamlit as st

from pages import _common as common
from pages import _filters
from weakorg.documents import data as documents
from weakorg.documents.brief import brief_pdf
from weakorg.documents.bulletin import bulletin_blocks, preview_parts
from weakorg.documents.figures import FontMissing, cjk_font
from weakorg.documents.gongwen import bulletin_bytes
from weakorg.documents.words import (
    AS_OF_LABEL,
    BRIEF_TITLE,
    BULLETIN_TITLE,
    CITY_RETURN_TITLE,
    DOCUMENT_MIMES,
    DOCUMENT_SUFFIXES,
    as_of_text,
    document_name,
    filters_text,
)
from weakorg.export.city import city_workbook
from weakorg.store import database_url
from weakorg.vocab import AS_OF_RULE, DOWNLOAD, EXPORT, PICK, chinese_date

common.through_router()


@st.cache_data(show_spinner=False, max_entries=8)
def _days(url: str, version: int, scope: tuple[str, ...] | None) -> list:
    returns = common.store_for(url).returns(set(scope) if scope is not None else None, findings=False)
    return documents.day_options(returns, common.campaign())


@st.cache_data(show_spinner="正在汇总……", max_entries=16)
def _data(url: str, version: int, scope, units: tuple, categories: tuple, day):
    store = common.store_for(url)
    return documents.from_store(store, day, scope, units, categories, common.campaign())


@st.cache_data(show_spinner=False, max_entries=16)
def _file(url: str, version: int, scope, units: tuple, categories: tuple, day, title: str) -> bytes:
    """One document's bytes, made when its button is clicked (Streamlit runs this on its own thread)."""
    data = _data(url, version, scope, units, categories, day)
    if title == BULLETIN_TITLE:
        return bulletin_bytes(data)
    if title == BRIEF_TITLE:
        return brief_pdf(data)
    return city_workbook(
        data.picture, data.campaign, day, data.units, categories, data.explanations
    )  # a 督导组's: its own units


st.title("通报与简报")
_filters.show_trail()
common.stop_if_nothing_stored("后，再生成通报和简报")

CITY_RETURN_BY_ANALYSTS = "全市汇总表（附件1-3正式格式）含各组织书记姓名和联系电话，由分析员导出上报。"

url = database_url()
version = common.store_for(url).version()
scope = common.scope()
units, categories = _filters.filters()
day = st.selectbox(
    AS_OF_LABEL, _days(url, version, scope), format_func=chinese_date, key="documents_day", placeholder=PICK
)
data = _data(url, version, scope, units, categories, day)
st.caption(f"{as_of_text(day)}（{AS_OF_RULE}）；{filters_text(data.units, categories)}。")

try:
    cjk_font()  # the documents' charts need a Chinese font: say so now, not after a click
except FontMissing as exc:
    st.error(exc.message)
    st.stop()

f = replace(common.named_filters(), units=data.units)  # the units the documents are about (a 督导组's: its own)
row = st.container(horizontal=True)
offered = [(BULLETIN_TITLE, "下载通报（Word）"), (BRIEF_TITLE, "下载会议简报（PDF）")]
nothing = documents.nothing_filtered(data)
if common.allowed(EXPORT) and not nothing:  # the registers carry secretaries' names and phones: analysts only
    offered.append((CITY_RETURN_TITLE, "下载全市汇总表（附件1-3正式格式）"))
for title, label in offered:
    name = document_name(title, day, f)
    make = partial(_file, url, version, scope, units, categories, day, title)  # made on click, cached
    row.download_button(
        label,
        common.audited(make, name, common.units_in_view(), EXPORT if title == CITY_RETURN_TITLE else DOWNLOAD),
        file_name=name,
        mime=DOCUMENT_MIMES[DOCUMENT_SUFFIXES[title]],
        key=f"documents_{DOCUMENT_SUFFIXES[title]}",
        on_click="ignore",  # a rerun would replace the other buttons' files: a second click at once found none
    )

if nothing and common.allowed(EXPORT):
    st.info(nothing)  # no return of zeros offered: said why
elif not common.allowed(EXPORT):  # not offered: said why, not left to be missed
    st.caption(CITY_RETURN_BY_ANALYSTS)

st.header("通报预览")
for part in preview_parts(bulletin_blocks(data)):
    if isinstance(part, str):
        st.text(part)  # plain text: nothing from a return is read as Markdown
    else:
        st.dataframe(part, hide_index=True, placeholder="")
