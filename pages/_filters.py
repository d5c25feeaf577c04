"""The filters in force: the sidebar's and each page's widgets, kept in the session and written to the URL, so a
link, a drill-down, Back and Forward all show the same view."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from weakorg import drill, scoped
from weakorg.drill import Filters
from weakorg.text import md_text

FILTER_UNITS = "filter_units"
FILTER_CATEGORIES = "filter_categories"
FILTER_CRITERIA = "filter_criteria"
FILTER_FLAGS = "filter_flags"
FILTER_STATUSES = "filter_statuses"
FILTER_SEARCH = "filter_search"
FILTER_ORG = "filter_org"
FILTER_OPEN_VILLAGES = "villages_open"  # the 换届难点村 page's switch: only villages not yet re-elected
FILTER_REVIEW_STATES = "review_states"  # the 研判 page's reading states
FILTER_PROGRESS_UNIT = "status_progress_unit"  # the 报送情况 page's unit whose progress is drawn
FILTER_MORE = "overview_more"  # what 全市总览 shows under 更多内容
_URL_SEEN = "_url_filters"  # the filters this session last wrote to (or read from) the URL
_DRILL_TO = "_drill_to"  # filters a drill-down or trail button asked for, applied before the widgets
DRILLS = "_drills"  # how many drill-downs so far: part of table keys, so a new level starts unselected
_SEEN = "_chart_clicks"  # per chart, the selection last acted on (a chart keeps it after the click)


def filters() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sidebar filters (units, categories) as set in the router; empty means all."""
    units = tuple(sorted(st.session_state.get(FILTER_UNITS) or ()))
    categories = tuple(sorted(st.session_state.get(FILTER_CATEGORIES) or ()))
    return units, categories


def current_filters() -> Filters:
    """Every filter in force (sidebar and page widgets, the organization opened) as one value."""
    state = st.session_state
    units, categories = filters()
    return Filters(
        units=units,
        categories=categories,
        criteria=tuple(sorted(state.get(FILTER_CRITERIA) or ())),
        flags=tuple(state.get(FILTER_FLAGS) or ()),
        statuses=tuple(state.get(FILTER_STATUSES) or ()),
        search=(state.get(FILTER_SEARCH) or "").strip(),
        org=tuple(state[FILTER_ORG]) if state.get(FILTER_ORG) else None,
        open_villages=bool(state.get(FILTER_OPEN_VILLAGES)),
        review_states=tuple(state.get(FILTER_REVIEW_STATES) or ()),
        progress_unit=progress_unit(),
        more=state.get(FILTER_MORE) or "",
    )


def progress_unit() -> str:
    """The one unit 报送情况 draws the progress of, "" for the units in view together."""
    picked = st.session_state.get(FILTER_PROGRESS_UNIT)
    from pages import _common  # _common imports this module

    return picked if picked in set(_common.campaign().unit_names) else ""


def _apply(f: Filters) -> None:
    state = st.session_state
    state[FILTER_UNITS], state[FILTER_CATEGORIES] = list(f.units), list(f.categories)
    state[FILTER_CRITERIA], state[FILTER_FLAGS], state[FILTER_STATUSES] = (
        list(f.criteria),
        list(f.flags),
        list(f.statuses),
    )
    state[FILTER_SEARCH], state[FILTER_ORG] = f.search, f.org
    state[FILTER_OPEN_VILLAGES] = f.open_villages
    state[FILTER_REVIEW_STATES] = list(f.review_states)
    state[FILTER_MORE] = f.more or None
    if f.progress_unit:
        state[FILTER_PROGRESS_UNIT] = f.progress_unit
    else:
        state.pop(FILTER_PROGRESS_UNIT, None)  # the picker starts on the units in view together


def history_navigation() -> bool:
    """Whether this run comes from the browser's Back or Forward button (the URL is then the one to restore)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


# A drill-down to another page (st.switch_page with query parameters) leaves two entries in the browser's
# history: the page left, already showing the new filters in its address, then the new page. The first one is
# no step anyone saw: Back and Forward step over it (a line of JavaScript), so each press is one step.
_EXITS = "_drill_exits"  # {(path of the page left, the new filters' query): True}, the latest first out
_STEP = "_shown_path"  # the browser path of the page this session showed last
_MAX_EXITS = 64
_STEP_OVER = "<script>window.history.{way}();</script>"


def _browser_path() -> str:
    """The path of the address the browser shows (st.context.url), "/" when unknown."""
    from urllib.parse import urlparse

    try:
        url = st.context.url
    except Exception:  # no browser context (a bare run): nothing to compare
        url = None
    return urlparse(url or "").path or "/"


def _query_key(query) -> tuple:
    """A query as one comparable value: each parameter with its values, in order."""
    items = query.items() if hasattr(query, "items") else query
    return tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else (v,)) for k, v in items))


def _step_over_exit(params: dict) -> None:
    """On Back or Forward onto a drill-down's left-behind entry: go on one more step the same way."""
    state = st.session_state
    here, last = _browser_path(), state.get(_STEP)
    state[_STEP] = here
    if (here, _query_key(params)) in state.get(_EXITS, {}):
        way = "forward" if last == here else "back"  # came from the page left (Forward) or the new one (Back)
        st.html(_STEP_OVER.format(way=way), unsafe_allow_javascript=True)


def sync_from_url(units: list[str]) -> None:
    """Before the widgets: take a drill-down's filters, or the URL's when it names filters this session has not seen.

    Back and Forward restore the filters of the step they return to, from its URL, even an URL with no
    filter at all (the city): the session's filters, the page's widgets included, never override it then.
    Any other run with no filter in the URL (a page opened from the menu) keeps the session's filters.
    """
    state = st.session_state
    if _DRILL_TO in state:
        _apply(state.pop(_DRILL_TO))
        state[_STEP] = _browser_path()
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = drill.parse_query(params, units=units)
    from pages import _common  # _common imports this module

    if _common.scope() is not None and scoped.outside(drill.asked_units(params), units):
        what = scoped.OUTSIDE_ORG if st.query_params.get(drill.Q_ORG) else scoped.OUTSIDE_UNITS
        st.warning(scoped.OUTSIDE_SCOPE.format(what=what))  # never which unit: the link's names are not shown
    if unread := drill.unread_filters(params):  # 外星 for a category: dropped, and said (never the value itself)
        st.warning(unread)
    if history_navigation():
        _step_over_exit(params)
        _apply(wanted)
        state[_URL_SEEN] = wanted
        state[DRILLS] = state.get(DRILLS, 0) + 1  # a table starts unselected: a row left selected would reopen a card
        return
    state[_STEP] = _browser_path()
    if not wanted.is_empty() and wanted != state.get(_URL_SEEN):
        _apply(wanted)
        state[_URL_SEEN] = wanted


ORG_PAGE = Path(drill.PAGE_ORGS).stem  # the page whose card an organization opened (org_unit + org) shows


def keep_to(path: str) -> None:
    """Close the organization opened in 组织明细 when another page runs: no other page shows it, and its trail and
    address would name an organization whose figures the page does not show."""
    if path != ORG_PAGE and st.session_state.get(FILTER_ORG):
        st.session_state[FILTER_ORG] = None


def write_url() -> None:
    """Write the filters in force to the URL, so the page can be bookmarked or sent as a link."""
    f = current_filters()
    query = drill.to_query(f)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if {k: v if isinstance(v, list) else [v] for k, v in query.items()} != current:
        st.query_params.from_dict(query)
    st.session_state[_URL_SEEN] = f


def drill_to(page: str, f: Filters) -> None:
    """Open a page with these filters (in the URL too); the widgets take them at the start of the next run."""
    state = st.session_state
    state[_DRILL_TO] = f
    state[DRILLS] = state.get(DRILLS, 0) + 1
    query = drill.to_query(f)
    shown = {k: st.query_params.get_all(k) for k in st.query_params}
    if not _on_page(page) and _query_key(query) != _query_key(shown):
        # the page left keeps an entry with the new filters: Back and Forward step over it (with the same filters
        # as before, that entry is the step the user saw: it stays)
        exits = state.setdefault(_EXITS, {})
        exits[(_browser_path(), _query_key(query))] = True
        for old in list(exits)[:-_MAX_EXITS]:
            del exits[old]
    st.switch_page(page, query_params=query)


def follow_click(key: str, event, page: str, picked: Filters | None) -> None:
    """Open ``page`` with ``picked`` when the chart ``key``'s selection is a new click. The selection a chart keeps
    after the click that opened this view is not one; a click that leads where the user already is does nothing."""
    seen = st.session_state.setdefault(_SEEN, {})
    clicked = drill.selection_signature(event)
    if not clicked:  # nothing selected (a chart drawn afresh): the next click is new whatever it picks
        seen.pop(key, None)
        return
    if picked is None or seen.get(key) == clicked:
        return
    seen[key] = clicked
    if picked != current_filters() or not _on_page(page):
        drill_to(page, picked)


def _on_page(page: str) -> bool:
    """Whether ``page`` (a path under the app, e.g. pages/orgs.py) is the page running now."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    manager = ctx.pages_manager
    running = manager.get_pages().get(manager.current_page_script_hash, {}).get("script_path")
    return running is not None and Path(running).resolve() == (Path(manager.main_script_parent) / page).resolve()


def open_org(org: tuple[str, str] | None) -> None:
    """Open (or close) one organization's card on the current page and put it in the URL."""
    st.session_state[FILTER_ORG] = org
    write_url()


def show_trail() -> None:
    """Which units this account sees (when not all), then the way from the city down to the current filters, each
    step a button that goes back up."""
    from pages import _common  # _common imports this module

    if note := scoped.scope_note(_common.scope()):
        st.caption(md_text(note))  # unit names from the account: text, not Markdown
    crumbs = drill.trail(current_filters())
    if len(crumbs) < 2:
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    for i, crumb in enumerate(crumbs):
        label = md_text(crumb.label)  # a unit or an organization's name, from a return or a link: text, not Markdown
        if i == len(crumbs) - 1:
            row.markdown(f"**{label}**", width="content")
        elif row.button(f"{label} ›", key=f"trail_{i}", help="返回这一层", type="tertiary"):
            drill_to(crumb.page, crumb.filters)
