"""通报与简报: the 通报 (.docx), the meeting brief (PDF) and the city's return in the official layout, as of a date,
for the units and categories in the sidebar; the 通报's text previewed as plain text."""

import streamlit as st

from pages import _common as common
from weakorg.documents import data as documents
from weakorg.documents.brief import brief_pdf
from weakorg.documents.bulletin import bulletin_blocks, bulletin_text
from weakorg.documents.figures import FontMissing
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
from weakorg.vocab import EXPORT, chinese_date

common.through_router()


@st.cache_data(show_spinner=False, max_entries=8)
def _days(url: str, version: int, scope: tuple[str, ...] | None) -> list:
    returns = common.store_for(url).returns(set(scope) if scope is not None else None, findings=False)
    return documents.day_options(returns, common.campaign())


@st.cache_data(show_spinner="正在汇总……", max_entries=16)
def _data(url: str, version: int, scope, units: tuple, categories: tuple, day):
    store = common.store_for(url)
    return documents.from_store(store, day, scope, units, categories, common.campaign())


@st.cache_data(show_spinner="正在生成文件……", max_entries=16)
def _files(url: str, version: int, scope, units: tuple, categories: tuple, day) -> dict[str, bytes]:
    data = _data(url, version, scope, units, categories, day)
    return {
        BULLETIN_TITLE: bulletin_bytes(data),
        BRIEF_TITLE: brief_pdf(data),
        CITY_RETURN_TITLE: city_workbook(data.picture, data.campaign, day, units, categories),
    }


st.title("通报与简报")
if common.get_store().is_empty():
    st.info("数据库中还没有任何报送。请到“上传与校验”页面上传各填报单位的报表后，再生成通报和简报。")
    st.stop()

url = database_url()
version = common.store_for(url).version()
scope = common.scope()
units, categories = common.filters()
day = st.selectbox(AS_OF_LABEL, _days(url, version, scope), format_func=chinese_date, key="documents_day")
data = _data(url, version, scope, units, categories, day)
st.caption(f"{as_of_text(day)}（各单位以该日前最近一次报送为准）；{filters_text(units, categories)}。")

try:
    files = _files(url, version, scope, units, categories, day)
except FontMissing as exc:
    st.error(exc.message)
    st.stop()

f = common.current_filters()
one_unit = f.units[0] if len(f.units) == 1 else None
row = st.container(horizontal=True)
name = document_name(BULLETIN_TITLE, day, f)
row.download_button(
    "下载通报（Word）",
    files[BULLETIN_TITLE],
    file_name=name,
    mime=DOCUMENT_MIMES[DOCUMENT_SUFFIXES[BULLETIN_TITLE]],
    key="documents_bulletin",
    on_click=common.record_download,
    args=(name, one_unit),
)
name = document_name(BRIEF_TITLE, day, f)
row.download_button(
    "下载会议简报（PDF）",
    files[BRIEF_TITLE],
    file_name=name,
    mime=DOCUMENT_MIMES[DOCUMENT_SUFFIXES[BRIEF_TITLE]],
    key="documents_brief",
    on_click=common.record_download,
    args=(name, one_unit),
)
if common.allowed(EXPORT):  # the registers carry secretaries' names and phones: analysts only
    name = document_name(CITY_RETURN_TITLE, day, f)
    row.download_button(
        "下载全市汇总表（附件1-3正式格式）",
        files[CITY_RETURN_TITLE],
        file_name=name,
        mime=DOCUMENT_MIMES[DOCUMENT_SUFFIXES[CITY_RETURN_TITLE]],
        key="documents_city",
        on_click=common.record_download,
        args=(name, one_unit),
    )

st.subheader("通报预览")
st.text(bulletin_text(bulletin_blocks(data)))  # plain text: nothing from a return is read as Markdown
