"""Time as "as of": the returns as they stood at a date, and the city picture then.

A unit's state at a date D is its latest standing return filled (填表时间) on or before D (per
category for 附件1, per form otherwise); the city's state is the sum of its units'. A return filled
early but uploaded late never rewinds a unit: the latest 填表时间 stands, whatever the upload order.
Withdrawn returns, and returns held until their date is confirmed, are not in the store's returns
to begin with (``Store.returns``). Rounds are the campaign's report dates (its first deadline, the
end of the rectification, and any later ``rounds`` a campaign file names); "the previous round" of
a date is the latest of them before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.consolidate import Picture, consolidate, day_numbers, filter_picture
from weakorg.history import as_of as returns_as_of
from weakorg.tables import Returns

__all__ = ["picture_as_of", "previous_round", "returns_as_of", "round_dates", "status_as_of", "submissions_as_of"]


def round_dates(campaign: Campaign | None = None) -> tuple[date, ...]:
    """The campaign's report dates, earliest first: the first deadline, the end of rectification, any later rounds."""
    campaign = campaign or default_campaign()
    days = {campaign.deadline, campaign.rectification_end, *getattr(campaign, "rounds", ())}
    return tuple(sorted(days))


def previous_round(day: date, campaign: Campaign | None = None) -> date | None:
    """The latest report date of the campaign strictly before ``day``; None when ``day`` is on or before the first."""
    earlier = [d for d in round_dates(campaign) if d < day]
    return earlier[-1] if earlier else None


def picture_as_of(
    returns: Returns,
    day: date,
    campaign: Campaign | None = None,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    checks: bool = False,
) -> Picture:
    """The consolidated picture as it stood on ``day`` (each unit's latest return up to it), narrowed by the filters.

    A unit with no return by ``day`` is absent from every table and not counted as reported;
    ``checks`` runs the checks over the returns as they stood (the open errors then).
    """
    campaign = campaign or default_campaign()
    pic = consolidate(returns_as_of(returns, day), campaign, checks=checks)
    units, categories = list(units or []), list(categories or [])
    if units or categories:
        pic = filter_picture(pic, units=units or None, categories=categories or None)
    return pic


def submissions_as_of(subs: pd.DataFrame, day: date) -> pd.DataFrame:
    """The stored submissions (``Store.submissions``) filled on or before ``day`` (undated: earliest)."""
    if subs.empty:
        return subs
    return subs[day_numbers(subs["reported_on"]).to_numpy() <= day.toordinal()].reset_index(drop=True)


def status_as_of(subs: pd.DataFrame, returns: Returns, day: date, campaign: Campaign | None = None) -> pd.DataFrame:
    """报送情况 as it stood on ``day`` (weakorg.status.unit_status of what had been filled by then)."""
    from weakorg.status import unit_status

    return unit_status(submissions_as_of(subs, day), returns_as_of(returns, day), campaign or default_campaign())
