"""What every page shares: the store, first-start samples, the sidebar filters and the cached picture."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import NoReturn

import pandas as pd
import streamlit as st

from pages import _deferred, _filters, _route
from weakorg import app, asof, overview, privacy, scoped
from weakorg.campaign import CampaignFileMissing, CampaignInvalid, default_campaign
from weakorg.store import Store, StoreError, database_url
from weakorg.text import md_text
from weakorg.vocab import (
    ANALYST,
    APP_TITLE,
    CATEGORY_LABEL,
    CITY_TOTAL,
    DOWNLOAD,
    ROLES,
    SAVE,
    STATUS_LABEL,
    UNIT_LABEL,
    local_time,
)

log = logging.getLogger(__name__)
_deferred.install()  # a download refused at the click says why, in Chinese (``audited``)


def through_router() -> None:
    """Make sure this page runs inside dashboard.py's router, even when a link reached it first (pages/_route.py)."""
    _route.leave_legacy_mode()


def store_fault(exc: StoreError | CampaignFileMissing | CampaignInvalid, pages: list) -> NoReturn:
    """Say in Chinese what is wrong with the database (or the campaign file) and what to do, and stop the page (no
    traceback).

    The router's pages are declared, hidden: a run that never declares them makes Streamlit list
    the files of pages/ by their English names.
    """
    st.navigation(pages, position="hidden")
    st.error(exc.message)
    st.stop()


UNEXPECTED = (
    "页面出现意外错误（出错时间 {time}，北京时间）。请刷新页面后重试；仍然出错，请把出错时间和所在页面告知系统管理员"
    "（详细信息已按时间记入服务器日志）。"
)


def unexpected_fault(exc: Exception, pages: list) -> None:
    """Say in Chinese that something unexpected failed and when (the server's log finds it by the time, with its
    type and traceback); nothing of the error itself is shown. The caller re-raises it.

    Streamlit then logs the details on the server and shows the user a notice without them
    (``client.showErrorDetails = "none"``); tests still see the exception.
    """
    st.navigation(pages, position="hidden")
    when = local_time(datetime.now(UTC).replace(tzinfo=None), seconds=True)  # the audit log's clock
    log.error("unexpected fault at %s Beijing time (%s); the traceback follows", when, type(exc).__name__)
    st.error(UNEXPECTED.format(time=when))


@st.cache_resource(show_spinner=False)
def store_for(url: str) -> Store:
    """One store (one engine and connection pool) per database URL and process; readings kept under earlier rules
    are dropped as it opens (a new version's server reads its texts afresh)."""
    store = Store(url)
    store.prune_readings()
    return store


def get_store() -> Store:
    """The store of the configured database."""
    return store_for(database_url())


@st.cache_resource(show_spinner="正在打开数据库……")  # samples only in a brand-new demo: not said to all
def seed(url: str) -> list[int]:
    """Load the sample returns into a brand-new demo store (``weakorg.demo`` decides), once per process."""
    return app.load_samples_if_empty(store_for(url))


def campaign():
    """The campaign in force."""
    return default_campaign()


def as_of(picture) -> date | None:
    """The as-of date of what a page shows: the latest 填表时间 in its picture (durations are counted to it)."""
    return asof.picture_day(picture)


def show_as_of(picture, then: str = "") -> None:
    """Say what date the page's figures are of, with ``then`` after, and the units in view a round behind: the as-of
    model in the same words on every page and in the 通报 (the latest 填表时间 of every unit this viewer may see,
    whatever the filter; a unit in view that has not sent that round said so, its figures an earlier round's)."""
    every, latest = _reported_in_scope()
    day = as_of(picture) if latest is None else latest
    if said := f"{asof.as_of_note(day, campaign()) if day is not None else ''}{then}":
        st.caption(said)
    units = _filters.filters()[0]
    in_view = every[every["unit"].isin(units)] if units else every
    if day is not None and (behind := asof.behind_text(in_view, day, campaign())):
        st.caption(md_text(behind))  # unit names: text, not Markdown


def window_title(page: str) -> str:
    """The browser tab's title: the page's name first (a screen reader says it on every page change), then the app's."""
    return f"{page} - {APP_TITLE}"


@st.cache_data(show_spinner=False, max_entries=64)
def _gaps(url: str, version: int, scope: tuple[str, ...] | None, units: tuple, categories: tuple):
    from weakorg import counts

    pic = _picture(url, version, scope, units, categories)
    return counts.gaps(pic) + counts.criterion_gaps(pic), counts.corrected_note(pic)  # by unit, then by criterion


def show_gaps(picture) -> None:
    """Where 附件1 and the 一览表 disagree in view (``picture``: the current one, ``current_picture``): both counts per
    unit and per criterion, whether analysts' corrections count in the 一览表's, and the findings that say why; the
    lines cached as the picture is (every rerun of 全市总览 and 县市区 shows them)."""
    from weakorg import counts

    url = database_url()
    lines, note = _gaps(url, store_for(url).version(), scope(), *_filters.filters())
    if lines:
        said = "；".join(md_text(x) for x in lines)
        st.warning(f"附件1与一览表的数字不一致，图表按附件1统计，明细按一览表列出：{said}")
    if note:
        st.caption(note)
    if lines:
        show_explaining(counts.explaining(picture))


def show_explaining(found: list) -> None:
    """The findings that explain a gap between the forms, folded under one line, each warning with how it stands
    (已说明：… as an analyst explained it, 未说明)."""
    from weakorg.counts import FINDINGS_BELOW, finding_lines

    if found:
        seen = scope()
        said = app.explanation_texts(found, get_store().explanations(set(seen) if seen is not None else None))
        with st.expander(f"{FINDINGS_BELOW}（{len(found)}条）：说明差异的原因"):
            for line in finding_lines(found, said):  # a finding's message quotes the return: text, not Markdown
                st.caption(md_text(line))


def account():
    """The signed-in weakorg.accounts.Account; None in demo mode (no account exists yet)."""
    from pages import _signin

    return _signin.account()


def allowed(permission: str) -> bool:
    """Whether this run's user may do it (weakorg.vocab permission names); anyone in demo mode but account changes."""
    from pages import _signin

    return _signin.allowed(permission)


def refused(permission: str, units=()) -> str | None:
    """Just before an action, on the server: None when this run's user may still do it (on ``units``), else why not."""
    from pages import _signin

    return _signin.refused(get_store(), permission, units)


def origin() -> str | None:
    """Where this run's request comes from, when Streamlit says (for the audit log)."""
    from pages import _signin

    return _signin.origin()


NOTHING_STORED = "数据库中还没有任何报送。"
UPLOAD_THEM = "请到“上传与校验”页面上传各填报单位的报表{then}。"
ANALYSTS_UPLOAD = "各填报单位的报表由{analyst}在“上传与校验”页面上传{then}。"


def stop_if_nothing_stored(then: str = "") -> None:
    """On an empty store: say so, and who uploads the returns where (this user, or the analysts), then stop the page.
    ``then``: what follows once they are uploaded (，再生成通报和简报)."""
    if not get_store().is_empty():
        return
    how = UPLOAD_THEM if allowed(SAVE) else ANALYSTS_UPLOAD
    st.info(NOTHING_STORED + how.format(then=then, analyst=ROLES[ANALYST]))
    st.stop()


def scope() -> tuple[str, ...] | None:
    """The units the signed-in account may see (a 督导组's own units); None for everything."""
    signed_in = account()
    return None if signed_in is None else signed_in.scope


# Every cached read takes the viewer's scope as an argument (so it is part of the cache key: st.cache_data is
# shared by every session) and hands it to weakorg.scoped, which narrows the store's reads before computing.


@st.cache_data(show_spinner=False, max_entries=64)
def _picture(url: str, version: int, scope: tuple[str, ...] | None, units: tuple, categories: tuple):
    return scoped.picture(store_for(url), scope, units, categories)


@st.cache_data(show_spinner=False, max_entries=16)
def _submissions_record(url: str, version: int, scope: tuple[str, ...] | None):
    from weakorg import corrections

    return corrections.submissions_record(store_for(url), scope)


def submissions_record():
    """The stored submissions in scope with their state (有效, 已被替换, 已撤回…), cached on the store's version."""
    url = database_url()
    return _submissions_record(url, store_for(url).version(), scope())


@st.cache_data(show_spinner=False, max_entries=64)
def _org_card(url: str, version: int, scope: tuple[str, ...] | None, unit: str, name: str):
    return scoped.org_card(store_for(url), scope, unit, name)


def org_card(unit: str, name: str):
    """One organization's card (its current row, its rows across returns) in scope, cached on the store's version."""
    url = database_url()
    return _org_card(url, store_for(url).version(), scope(), unit, name)


@st.cache_resource(show_spinner=False, max_entries=32)
def _overview_figures(url: str, version: int, scope: tuple[str, ...] | None, units: tuple, categories: tuple):
    # Built once per store version, scope and filters, and shared: Streamlit serializes a figure to draw it and
    # never changes it (st.cache_resource, not cache_data: a figure is not copied on every rerun).
    return overview.figures(_picture(url, version, scope, units, categories))


def overview_figures() -> dict:
    """全市总览's charts (weakorg.overview.figures) for this user's scope and filters, cached on the store's version."""
    url = database_url()
    return _overview_figures(url, store_for(url).version(), scope(), *_filters.filters())


def current_picture():
    """The consolidated picture for this user's scope and filters, cached on the store's version."""
    url = database_url()
    return _picture(url, store_for(url).version(), scope(), *_filters.filters())


def unit_picture():
    """The consolidated picture of the units in view, every category (报送情况 is by unit), cached as the other."""
    url = database_url()
    return _picture(url, store_for(url).version(), scope(), _filters.filters()[0], ())


@st.cache_data(show_spinner=False, max_entries=64)
def _previous_picture(url: str, version: int, scope: tuple[str, ...] | None, units: tuple, categories: tuple):
    return scoped.previous_picture(store_for(url), scope, units, categories)


def previous_picture():
    """The picture as it stood on the previous 填表时间 (and that date), or None; same scope, filters and cache key."""
    url = database_url()
    return _previous_picture(url, store_for(url).version(), scope(), *_filters.filters())


@st.cache_data(show_spinner=False, max_entries=64)
def _ranking(url: str, version: int, scope: tuple[str, ...] | None, units: tuple, categories: tuple) -> pd.DataFrame:
    picture = _picture(url, version, scope, units, categories)  # both cached, both read in scope (scoped.ranking)
    return overview.unit_ranking(picture, unit_status(url, version, scope))


def ranking() -> pd.DataFrame:
    """The units in view ranked (weakorg.overview.unit_ranking), cached on the store's version, scope and filters."""
    url = database_url()
    return _ranking(url, store_for(url).version(), scope(), *_filters.filters())


@st.cache_data(show_spinner=False, max_entries=16)
def progress(url: str, version: int, scope: tuple[str, ...] | None) -> pd.DataFrame:
    """Progress over time per unit in scope (weakorg.history.stored_progress), cached on the store's version."""
    return scoped.progress(store_for(url), scope)


def progress_in_view() -> tuple[pd.DataFrame, str]:
    """Each unit's progress over time for the units in view, and what they are together (全市, or the units named);
    says so when a category filter is in force, since progress is counted by unit only."""
    url = database_url()
    chosen, categories = _filters.filters()
    by_unit = progress(url, store_for(url).version(), scope())
    if chosen:
        by_unit = by_unit[by_unit["unit"].isin(chosen)]
    if categories:
        st.caption(f"{STATUS_LABEL}按{UNIT_LABEL}统计，未按{CATEGORY_LABEL}筛选。")
    return by_unit, whole_name()  # the sum of the units in view, named as what it is


@st.cache_data(show_spinner=False, max_entries=16)
def unit_status(url: str, version: int, scope: tuple[str, ...] | None) -> pd.DataFrame:
    """The reporting status of every unit of the campaign in scope, cached on the store's version."""
    return scoped.unit_status(store_for(url), scope)


def behind_in_view() -> tuple[frozenset[str], int | None]:
    """The units in scope behind the round the returns have reached, and its number (``asof.behind_units``): what
    报送情况 and the documents say beside them (第3次未报)."""
    every, latest = _reported_in_scope()
    return asof.behind_units(every, latest, campaign())


def _reported_in_scope() -> tuple[pd.DataFrame, date | None]:
    """The reporting status of every unit in scope and the latest 填表时间 among them (the round returns reached)."""
    url = database_url()
    every = unit_status(url, store_for(url).version(), scope())
    return every, asof.status_day(every)


@st.cache_data(show_spinner=False, max_entries=16)
def unit_options(url: str, version: int, scope: tuple[str, ...] | None) -> list[str]:
    """The units the sidebar filter offers (those in scope)."""
    return scoped.unit_options(store_for(url), scope)


def reveal_phone(unit: str, name: str, reason: str) -> bool:
    """Record this viewer's reveal of one organization's phone (weakorg.privacy.reveal); False without a reason."""
    return privacy.reveal(get_store(), account(), unit, name, reason, origin())


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as a page shows it: phone numbers masked, whoever looks (weakorg.privacy)."""
    return privacy.fit_table(frame, account())


_UPLOADS = "_upload_batch"  # (digest, results) of the batch this session last uploaded


def batch_digest(uploads: tuple[tuple[str, bytes], ...]) -> str:
    """A digest of a batch of uploads (names and bytes): the same files give the same digest."""
    h = hashlib.sha256()
    for name, data in uploads:
        h.update(name.encode() + b"\0" + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def processed(uploads: tuple[tuple[str, bytes], ...]) -> list[app.UploadResult]:
    """The uploaded files read and checked with a progress bar, once per batch: a rerun reuses the session's results."""
    digest = batch_digest(uploads)
    kept = st.session_state.get(_UPLOADS)
    if kept is not None and kept[0] == digest:
        return kept[1]
    names, total = [name for name, _ in uploads], len(uploads)

    def reading(k: int) -> str:
        return f"正在读取 第 {k}/{total} 个文件：{md_text(names[k - 1])}"  # a file name: text, not Markdown

    bar = st.progress(0.0, text=reading(1))

    def step(done: int, _total: int, _name: str) -> None:
        bar.progress(done / total, text=reading(done + 1) if done < total else f"已读取 {total} 个文件，正在校验……")

    results = app.process_uploads(list(uploads), on_progress=step, store=get_store())  # checked with their history
    bar.empty()
    st.session_state[_UPLOADS] = (digest, results)
    return results


@st.cache_data(show_spinner=False)
def templates() -> bytes:
    """The three blank official templates as one zip."""
    from weakorg.export.templates import templates_zip

    return templates_zip()


def named_filters():
    """The filters in force as a file's name says them: with no unit chosen, an account that sees only some units
    names them (a 督导组's download is not 全市's)."""
    f, seen = _filters.current_filters(), scope()
    return replace(f, units=tuple(seen)) if seen is not None and not f.units else f


def whole_name() -> str:
    """What the units in view are together: the units chosen, else 全市, or the units an account sees."""
    return "、".join(named_filters().units) or CITY_TOTAL


def audited(make, file_name: str, units: tuple[str, ...] | None = None, permission: str = DOWNLOAD):
    """A download button's data made on the click (``make()``'s bytes), only for an account that may still have it,
    and the download written to the audit log as it is made.

    Nothing reaches the browser before the click, and at the click the sign-in and the account are read again: the
    sign-in ended since the page was drawn (退出登录, a new password), the account disabled, given a role without
    ``permission``, or no longer given one of ``units`` (None: every unit), the download fails, nothing is made, and
    the button says why (``_deferred``).
    The button takes ``on_click="ignore"``: no rerun replaces the other buttons' files.
    """
    from pages import _signin
    from weakorg import accounts, audit, sessions

    store, who, where, unit = get_store(), account(), origin(), audit.units_text(units)
    seen = scope()  # what the file covers: the units asked, else the viewer's own, else every unit
    covered = tuple(units or (seen if seen is not None else campaign().unit_names))
    token = _signin.session_token()

    def data() -> bytes:  # run by Streamlit on its own thread: everything it needs is taken above
        if who is not None and not who.demo:  # an AccountError (SignInRefused too) is said under the button
            sessions.resume(store, token)  # the sign-in still open
        accounts.authorize(store, who, permission, covered)
        made = make()
        audit.record(store, who, audit.DOWNLOAD, unit=unit, file=file_name, origin=where)
        return made

    return data


def units_in_view() -> tuple[str, ...] | None:
    """The units whose figures the page shows: the filter's, else the viewer's own (a 督导组), else None (all)."""
    return named_filters().units or None
