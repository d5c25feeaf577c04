"""Everything a document says, gathered once as of a date: the picture, the previous round's, timeliness, the ranking,
progress over time. The 通报, the brief and the page's preview all read this one object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from weakorg.asof import picture_as_of, previous_round, returns_as_of, round_dates, status_as_of
from weakorg.campaign import Campaign, default_campaign
from weakorg.consolidate import Picture, filter_picture
from weakorg.counts import done_count  # noqa: F401  (the documents count it as the pages do)
from weakorg.history import city_progress, progress, report_dates
from weakorg.overview import unit_ranking
from weakorg.tables import Returns
from weakorg.vocab import CITY_TOTAL


@dataclass
class DocumentData:
    """What the documents say, as of ``day``, for the units and categories in view."""

    day: date
    campaign: Campaign
    units: tuple[str, ...]  # the unit filter in force (empty: all the units in view)
    categories: tuple[str, ...]  # the category filter in force (empty: all)
    picture: Picture  # as of ``day``, narrowed, with the findings then
    status: pd.DataFrame  # weakorg.status.unit_status as of ``day``, the units in view only
    ranking: pd.DataFrame  # weakorg.overview.unit_ranking
    progress: pd.DataFrame  # the units in view summed per 填表时间 up to ``day`` (weakorg.history.city_progress)
    previous: Picture | None = None  # as of the previous round, narrowed alike
    previous_day: date | None = None
    explanations: pd.DataFrame | None = None  # the store's explanations of warnings (Store.explanations), if read

    @property
    def place(self) -> str:
        """Whom the document is about: 全市, or the units filtered."""
        return "、".join(self.units) if self.units else CITY_TOTAL

    @property
    def subject(self) -> str:
        """Whom and what a document's title is about: ``place``, then the categories filtered (全市学校)."""
        return self.place + "、".join(self.categories)


def default_day(returns: Returns, campaign: Campaign | None = None) -> date:
    """The as-of date when none is given: the latest 填表时间 stored (the end of rectification when none)."""
    days = report_dates(returns)
    return days[-1] if days else (campaign or default_campaign()).rectification_end


def day_options(returns: Returns, campaign: Campaign | None = None) -> list[date]:
    """The dates a document may be as of, latest first: every 填表时间 stored and the campaign's rounds up to the
    latest of them."""
    days = report_dates(returns)
    if not days:
        return [default_day(returns, campaign)]
    rounds = [d for d in round_dates(campaign) if d <= days[-1]]
    return sorted({*days, *rounds}, reverse=True)


def gather(
    returns: Returns,
    subs: pd.DataFrame,
    day: date,
    campaign: Campaign | None = None,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    findings: list | None = None,
    scope: Iterable[str] | None = None,
) -> DocumentData:
    """The documents' data from the returns (and submissions) in scope, as of ``day``, narrowed by the filters.

    ``scope`` (None: all) is the units the reader may see: the others are not named, not even as missing.

    ``findings`` are the open findings when ``day`` is on or after the latest 填表时间 (the store's
    current ones, as the overview shows them); otherwise the checks run over the returns as they stood.
    """
    campaign = campaign or default_campaign()
    units, categories = tuple(units or ()), tuple(categories or ())
    if scope is not None:  # a unit outside the reader's scope is never named, whatever the filter asks
        units = tuple(u for u in units if u in set(scope))
    current = findings is not None and day >= default_day(returns, campaign)
    pic = picture_as_of(returns, day, campaign, checks=not current)
    if current:
        pic.findings = list(findings)
    view = units or (tuple(u for u in pic.units if u in set(scope)) if scope is not None else None)
    units = view or ()  # a supervisor's document is about its units, and says so
    if view is not None or categories:
        pic = filter_picture(pic, units=view, categories=categories or None)
    status = status_as_of(subs, returns, day, campaign)
    status = status[status["unit"].isin(pic.units)].reset_index(drop=True)
    before_day = previous_round(day, campaign)
    before = None
    if before_day is not None:
        before = picture_as_of(returns, before_day, campaign, units=pic.units, categories=categories or None)
    by_unit = progress(returns_as_of(returns, day), tuple(pic.units))
    return DocumentData(
        day=day,
        campaign=campaign,
        units=units,
        categories=categories,
        picture=pic,
        status=status,
        ranking=unit_ranking(_ranked(pic, categories), status),
        progress=city_progress(by_unit[by_unit["unit"].isin(pic.units)]),
        previous=before,
        previous_day=before_day,
    )


def _ranked(pic, categories: tuple[str, ...]):
    """The picture whose units the documents rank: with a category filter, those that report that category (a unit
    with none of it is no last place of it)."""
    if not categories:
        return pic
    present = set(pic.summary["unit"]) | set(pic.weak_orgs["unit"])
    return replace(pic, units=tuple(u for u in pic.units if u in present))


def from_store(
    store,
    day: date | None = None,
    scope: Iterable[str] | None = None,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    campaign: Campaign | None = None,
) -> DocumentData:
    """The documents' data from the store: the returns a user may see (``scope``), as of ``day`` (default: the latest
    填表时间), narrowed by the filters."""
    campaign = campaign or default_campaign()
    seen = set(scope) if scope is not None else None
    returns = store.returns(seen, findings=False)
    day = day or default_day(returns, campaign)
    current = store.current_findings(seen, campaign)
    subs = store.submissions(seen)
    data = gather(returns, subs, day, campaign, units, categories, findings=current, scope=scope)
    data.picture.weak_orgs = store.corrected(data.picture.weak_orgs, seen)  # analysts' corrections stand (issue 15)
    data.explanations = store.explanations(seen)  # which warnings analysts explained (the city's return says so)
    return data


NOTHING_FILTERED = "按所选条件（{filters}）没有任何单位报送过报表，未生成全市汇总表；请核对填报单位和党组织类别。"


def nothing_filtered(data: DocumentData) -> str:
    """Why no city's return is made of ``data`` ("" when one is): filters that match no 附件1 table, no register line
    and no village, whose return of zeros would read as 双峰县 has no 国有企业 organization at all."""
    from weakorg.documents.words import filters_text

    pic = data.picture
    if not (data.units or data.categories) or not (pic.summary.empty and pic.weak_orgs.empty and pic.villages.empty):
        return ""
    return NOTHING_FILTERED.format(filters=filters_text(data.units, data.categories))
