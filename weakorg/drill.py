"""Drill-down without Streamlit: filters, their URL form, chart selections turned into filters, the trail.

A page's filters live in the URL (``st.query_params``) so that a link opens on exactly the
units, categories and criteria it names. Everything here is plain data, tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from weakorg.campaign import Campaign, default_campaign, normalize_text
from weakorg.consolidate import election_unknown
from weakorg.privacy import mask_text
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_LABEL,
    CITY_TOTAL,
    CRITERIA,
    CRITERIA_SHORT,
    FLAGS,
    STATUS_LABEL,
    STATUSES,
)

# Query parameter names (the URL is the one place a filter is written as text).
Q_UNIT, Q_CATEGORY, Q_CRITERION, Q_FLAG, Q_STATUS, Q_SEARCH, Q_ORG_UNIT, Q_ORG, Q_OPEN, Q_REVIEW = (
    "unit",
    "category",
    "criterion",
    "flag",
    "status",
    "q",
    "org_unit",
    "org",
    "open",  # 换届难点村: only the villages whose re-election is not done yet
    "review",  # 研判: the reading states listed (待研判, 低, 高, 已更正)
)
Q_PROGRESS = "progress_unit"  # 报送情况: the one unit whose progress is drawn (none: the units in view together)
Q_MORE = "more"  # 全市总览: what 更多内容 shows (none: nothing beyond the first screen)
QUERY_KEYS = (
    Q_UNIT,
    Q_CATEGORY,
    Q_CRITERION,
    Q_FLAG,
    Q_STATUS,
    Q_SEARCH,
    Q_ORG_UNIT,
    Q_ORG,
    Q_OPEN,
    Q_REVIEW,
    Q_PROGRESS,
    Q_MORE,
)
YES = "1"  # how a switch that is on is written in the URL
_TRUE = frozenset({"1", "true", "yes", "on", "是"})

# The pages a drill-down lands on (paths as st.navigation registers them).
PAGE_OVERVIEW = "pages/overview.py"
PAGE_UNITS = "pages/units.py"
PAGE_ORGS = "pages/orgs.py"
PAGE_VILLAGES = "pages/villages.py"

# Chart ids: the keys the pages give their charts, and what a click on each one filters.
CHART_BY_CATEGORY = "by_category"
CHART_BY_UNIT = "by_unit"
CHART_BY_CRITERION = "by_criterion"
CHART_UNIT_CRITERION = "unit_by_criterion"  # heatmap: a cell is (unit, criterion number)
CHART_UNIT_CATEGORY = "unit_by_category"  # heatmap of weak share: a cell is (unit, category)
CHART_TARGETS = {
    CHART_BY_CATEGORY: PAGE_ORGS,
    CHART_BY_UNIT: PAGE_UNITS,
    CHART_BY_CRITERION: PAGE_ORGS,
    CHART_UNIT_CRITERION: PAGE_ORGS,
    CHART_UNIT_CATEGORY: PAGE_ORGS,
}

CRITERIA_NUMBERS = tuple(CRITERIA)
CITY_LABEL = CITY_TOTAL
TRAIL_SEPARATOR = " › "


@dataclass(frozen=True)
class Filters:
    """What a page is narrowed to; empty means all. ``org`` is one organization: (unit, name).

    ``open_villages``: the 换届难点村 page lists only the villages whose re-election is not done yet;
    ``review_states``: the 研判 page lists only the organizations in these reading states (weakorg.review.STATES);
    ``progress_unit``: the 报送情况 page draws this one unit's progress ("": the units in view together);
    ``more``: what 全市总览 shows under 更多内容 (weakorg.overview.MORE_OPTIONS; "": nothing). A drill-down to
    the next level starts without it.
    """

    units: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    criteria: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    search: str = ""
    org: tuple[str, str] | None = None
    open_villages: bool = False
    review_states: tuple[str, ...] = ()
    progress_unit: str = ""
    more: str = ""

    def is_empty(self) -> bool:
        """Whether nothing is filtered."""
        return self == Filters()


def _values(params: Mapping, key: str) -> list[str]:
    """All values of a query parameter, whether the mapping holds a string or a list of them."""
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out.extend(part.strip() for part in str(item).split(",") if part.strip())
    return out


def _one(params: Mapping, key: str) -> str:
    """The last value of a single-valued query parameter, stripped; "" when absent."""
    raw = params.get(key)
    if raw is not None and not isinstance(raw, str):
        raw = list(raw)[-1] if list(raw) else None
    return str(raw).strip() if raw is not None else ""


def _ordered(values: Iterable, order: Iterable) -> tuple:
    """The values that are in ``order``, once each, in that order."""
    wanted = set(values)
    return tuple(v for v in order if v in wanted)


def _criterion(text: str) -> int | None:
    s = normalize_text(text)
    return int(s) if s.isdigit() and int(s) in CRITERIA else None


def parse_query(params: Mapping, campaign: Campaign | None = None, units: Iterable[str] | None = None) -> Filters:
    """Filters from URL query parameters, keeping only known units, categories, criteria, flags and statuses.

    Units may be written by any alias of the campaign; ``units`` (the units a user may see)
    narrows further. Unknown values are dropped, never raised on: a link must always open.
    """
    campaign = campaign or default_campaign()
    known_units = tuple(units) if units is not None else campaign.unit_names
    unit_values = [campaign.canonical_unit(u) or u for u in _values(params, Q_UNIT)]
    flag_by_label = {label: key for key, label in FLAGS.items()}
    flags = [flag_by_label.get(f, f) for f in _values(params, Q_FLAG)]
    org_unit = _one(params, Q_ORG_UNIT)
    org_unit = campaign.canonical_unit(org_unit) or org_unit
    org_name = _one(params, Q_ORG)
    org = (org_unit, org_name) if org_name and org_unit in known_units else None
    search = _one(params, Q_SEARCH)
    progress_unit = _one(params, Q_PROGRESS)
    progress_unit = campaign.canonical_unit(progress_unit) or progress_unit
    return Filters(
        units=_ordered(unit_values, known_units),
        categories=_ordered(_values(params, Q_CATEGORY), CATEGORIES),
        criteria=_ordered((_criterion(c) for c in _values(params, Q_CRITERION)), CRITERIA),
        flags=_ordered(flags, FLAGS),
        statuses=_ordered(_values(params, Q_STATUS), STATUSES),
        search=search,
        org=org,
        open_villages=_one(params, Q_OPEN).lower() in _TRUE,
        review_states=_ordered(_values(params, Q_REVIEW), _review_states()),
        progress_unit=progress_unit if progress_unit in known_units else "",
        more=more if (more := _one(params, Q_MORE)) in _more_options() else "",
    )


# What a link's filter is called when its value cannot be read (the values, text from a link, are never shown).
FILTER_NAMES = {Q_CATEGORY: CATEGORY_LABEL, Q_CRITERION: "符合标准", Q_FLAG: "重点整顿", Q_STATUS: STATUS_LABEL}
UNREAD_FILTERS = "链接中的筛选条件（{names}）有无法识别的值，已忽略；请在侧栏或页面上重新选择。"


def unread_filters(params: Mapping) -> str:
    """What a page says of a link whose category, criterion, flag or status values are none it knows ("" when all
    are read): a link still opens (``parse_query`` drops them), and its reader learns that part was dropped."""
    read = parse_query(params)
    kept = {
        Q_CATEGORY: len(read.categories),
        Q_CRITERION: len(read.criteria),
        Q_FLAG: len(read.flags),
        Q_STATUS: len(read.statuses),
    }
    names = [FILTER_NAMES[k] for k, n in kept.items() if len(set(_values(params, k)) - {""}) > n]
    return UNREAD_FILTERS.format(names="、".join(names)) if names else ""


def _more_options() -> tuple[str, ...]:
    from weakorg.overview import MORE_OPTIONS  # 全市总览's 更多内容; imported when a link is read

    return MORE_OPTIONS


def _review_states() -> tuple[str, ...]:
    from weakorg.review import STATES  # the 研判 page's states; imported when a link is read

    return STATES


def asked_units(params: Mapping, campaign: Campaign | None = None) -> list[str]:
    """The units a link names (``unit`` and ``org_unit``), canonical where the campaign knows them, unchecked."""
    campaign = campaign or default_campaign()
    named = [*_values(params, Q_UNIT), _one(params, Q_ORG_UNIT), _one(params, Q_PROGRESS)]
    return [campaign.canonical_unit(u) or u for u in named if u]


def to_query(filters: Filters) -> dict[str, list[str] | str]:
    """The URL query parameters of some filters (st.query_params.from_dict form); empty filters are left out."""
    out: dict[str, list[str] | str] = {}
    if filters.units:
        out[Q_UNIT] = list(filters.units)
    if filters.categories:
        out[Q_CATEGORY] = list(filters.categories)
    if filters.criteria:
        out[Q_CRITERION] = [str(c) for c in filters.criteria]
    if filters.flags:
        out[Q_FLAG] = list(filters.flags)
    if filters.statuses:
        out[Q_STATUS] = list(filters.statuses)
    if filters.search:
        out[Q_SEARCH] = filters.search
    if filters.org:
        out[Q_ORG_UNIT], out[Q_ORG] = filters.org
    if filters.open_villages:
        out[Q_OPEN] = YES
    if filters.review_states:
        out[Q_REVIEW] = list(filters.review_states)
    if filters.progress_unit:
        out[Q_PROGRESS] = filters.progress_unit
    if filters.more:
        out[Q_MORE] = filters.more
    return out


# --- chart selections -----------------------------------------------------------------------------


def _groups(event) -> list:
    """The groups of a chart's selection event (what st.echarts_chart returns): each a series and its items picked."""
    if not event:
        return []
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    return list((selection.get("selected") if isinstance(selection, Mapping) else None) or [])


def selection_signature(event) -> tuple:
    """What a chart's selection event picked, as (series, items) pairs in a fixed order: () when nothing."""
    picked = [
        (g["series_index"], tuple(i for i in g.get("data_indices") or [] if isinstance(i, int)))
        for g in _groups(event)
        if isinstance(g, Mapping) and isinstance(g.get("series_index"), int)
    ]
    return tuple(sorted(p for p in picked if p[1]))


def _picked(event, keys) -> list:
    """The keys of the items picked in a chart's selection event (what st.echarts_chart returns), in click order.

    The event names each picked item by its series and its index in it (``selection.selected``); ``keys`` are the
    chart's own (weakorg.charts.Chart.keys): per series, the key each item opens, None for one that opens nothing.
    """
    out = []
    for group in _groups(event):
        if not isinstance(group, Mapping):
            continue
        series = group.get("series_index")
        if not isinstance(series, int) or not 0 <= series < len(keys):
            continue
        for index in group.get("data_indices") or []:
            if isinstance(index, int) and 0 <= index < len(keys[series]) and keys[series][index] is not None:
                out.append(keys[series][index])
    return out


def selection_to_filters(chart_id: str, event, keys, base: Filters | None = None) -> Filters | None:
    """The filters a click on a chart leads to, on top of ``base``; None when nothing is picked.

    ``keys`` are the chart's (weakorg.charts.Chart.keys): a bar's key is its category (by_category); a segment of
    a stacked bar carries two, its bar's and its category's (by_unit: unit and category; by_criterion: criterion
    number and category), as does a heatmap cell (unit_by_criterion: unit and criterion number;
    unit_by_category: unit and category): each becomes both filters, as a click on a stacked bar filters by its
    axis and its legend in the best dashboards (a category not of the notice's nine filters nothing). Deeper
    filters of ``base`` (the organization, search) are dropped: the next level starts afresh.
    """
    base = base or Filters()
    picked_keys = _picked(event, keys)
    if chart_id in (CHART_UNIT_CRITERION, CHART_UNIT_CATEGORY):
        return _cell_filters(chart_id, [k for k in picked_keys if isinstance(k, tuple) and len(k) == 2], base)
    if chart_id not in CHART_TARGETS:
        raise ValueError(f"unknown chart: {chart_id}")
    if not picked_keys:
        return None
    start = replace(base, org=None, search="", more="")
    if chart_id == CHART_BY_CATEGORY:
        picked = _ordered(picked_keys, CATEGORIES)
        return replace(start, categories=picked) if picked else None
    segments = [k for k in picked_keys if isinstance(k, tuple) and len(k) == 2]
    if not segments:
        return None
    categories = _ordered((c for _, c in segments), CATEGORIES)
    if categories:
        start = replace(start, categories=categories)
    if chart_id == CHART_BY_UNIT:
        return replace(start, units=tuple(dict.fromkeys(str(u) for u, _ in segments)))
    picked = _ordered((int(k) for k, _ in segments if str(k).isdigit()), CRITERIA)
    return replace(start, criteria=picked) if picked else None


def board_selection(event, parts, keys, base: Filters | None = None) -> tuple[str, Filters] | None:
    """Which chart of a board (weakorg.charts.Board: several charts in one ECharts option) a click picked in, and the
    filters it leads to, exactly as the same click on that chart alone (``selection_to_filters``); None when
    nothing is picked. ``parts`` are the board's (chart id, first series, how many), ``keys`` its keys per series."""
    groups = [g for g in _groups(event) if isinstance(g, Mapping) and isinstance(g.get("series_index"), int)]
    for chart_id, first, count in parts:
        mine = [
            {**g, "series_index": g["series_index"] - first}
            for g in groups
            if first <= g["series_index"] < first + count
        ]
        if not mine:
            continue
        picked = selection_to_filters(chart_id, {"selection": {"selected": mine}}, keys[first : first + count], base)
        if picked is not None:
            return chart_id, picked
    return None


def cell_event(cells, opens: dict[tuple[int, str], int]) -> dict | None:
    """The selection event of a heatmap's cell picked in its table (``charts.heatmap_cells``: ``opens``), the shape
    st.echarts_chart returns for a click on that cell; None when the cell picked opens nothing."""
    index = next((opens[key] for r, c in cells or () if (key := (int(r), str(c))) in opens), None)
    return None if index is None else {"selection": {"selected": [{"series_index": 0, "data_indices": [index]}]}}


def _cell_filters(chart_id: str, cells: list[tuple | None], base: Filters) -> Filters | None:
    """Filters from heatmap cells: their units, and their criteria or categories (the cells picked, joined)."""
    units = tuple(dict.fromkeys(str(u) for u, _ in cells))
    if chart_id == CHART_UNIT_CRITERION:
        picked = _ordered((int(k) for _, k in cells if str(k).isdigit()), CRITERIA)
        field = "criteria"
    else:
        picked = _ordered((k for _, k in cells), CATEGORIES)
        field = "categories"
    if not units or not picked:
        return None
    return replace(base, org=None, search="", more="", units=units, **{field: picked})


def target_page(chart_id: str) -> str:
    """The page a click on a chart opens."""
    return CHART_TARGETS[chart_id]


# --- the trail ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crumb:
    """One step of the trail: its label, the page it opens and the filters it opens with."""

    label: str
    page: str
    filters: Filters


def criterion_label(n: int) -> str:
    """A criterion as a filter shows it: （1）班子不齐/书记缺职."""
    return f"（{n}）{CRITERIA_SHORT[n]}"


def trail(filters: Filters) -> list[Crumb]:
    """The way from the city down to the current filters (全市 › units › categories › criteria › org)."""
    crumbs = [Crumb(CITY_LABEL, PAGE_OVERVIEW, Filters())]
    units = filters.org[:1] if filters.org and not filters.units else filters.units
    level = Filters(units=units)
    if units:
        crumbs.append(Crumb("、".join(units), PAGE_UNITS, level))
    if filters.categories:
        level = replace(level, categories=filters.categories)
        crumbs.append(Crumb("、".join(filters.categories), PAGE_ORGS, level))
    if filters.criteria:
        level = replace(level, criteria=filters.criteria)
        crumbs.append(Crumb("、".join(criterion_label(c) for c in filters.criteria), PAGE_ORGS, level))
    if filters.org:
        crumbs.append(Crumb(filters.org[1], PAGE_ORGS, replace(filters, search="")))
    return crumbs


def trail_text(filters: Filters) -> str:
    """The trail as one line of text."""
    return TRAIL_SEPARATOR.join(c.label for c in trail(filters))


# --- organizations narrowed by the page's filters -------------------------------------------------


def filter_orgs(weak_orgs: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The weak organizations of a picture that pass the filters (units, categories, criteria, flags, status, name)."""
    keep = pd.Series(True, index=weak_orgs.index)
    if filters.units:
        keep &= weak_orgs["unit"].isin(filters.units)
    if filters.categories:
        keep &= weak_orgs["category"].isin(filters.categories)
    if filters.criteria:
        wanted = set(filters.criteria)
        keep &= weak_orgs["criteria"].map(lambda cs: bool(wanted & set(cs or ())))
    if filters.flags:
        wanted_flags = set(filters.flags) | {FLAGS[f] for f in filters.flags}  # keys or labels
        keep &= weak_orgs["flags"].map(lambda fs: bool(wanted_flags & set(fs or ())))
    if filters.statuses:
        keep &= weak_orgs["status"].isin(filters.statuses)
    if filters.search:  # in the name or in 主要问题 as every page shows it (a phone masked: not searchable)
        needle = normalize_text(filters.search)
        texts = weak_orgs.get("problems", pd.Series("", index=weak_orgs.index)).map(mask_text)
        in_name = weak_orgs["name"].fillna("").map(normalize_text).str.contains(needle, regex=False)
        keep &= in_name | texts.fillna("").map(normalize_text).str.contains(needle, regex=False)
    return weak_orgs[keep].reset_index(drop=True)


def filter_villages(villages: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The difficult villages of a picture that pass the filters: all, or only those not yet re-elected."""
    if filters.open_villages:
        villages = villages[villages["election_done"].isna() & ~election_unknown(villages)]
    return villages.reset_index(drop=True)
