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
from weakorg.vocab import AS_OF_LABEL, AS_OF_RULE, LATEST_LABEL, ROUND_NAME, chinese_date

__all__ = [
    "as_of_note",
    "behind_units",
    "picture_as_of",
    "picture_day",
    "points",
    "previous_round",
    "progress_at_rounds",
    "returns_as_of",
    "round_dates",
    "round_label",
    "status_as_of",
    "submissions_as_of",
]


def round_dates(campaign: Campaign | None = None) -> tuple[date, ...]:
    """The campaign's report dates, earliest first: the first deadline, the end of rectification, any later rounds."""
    campaign = campaign or default_campaign()
    return tuple(sorted({campaign.deadline, campaign.rectification_end, *campaign.rounds}))


def round_label(day: date, campaign: Campaign | None = None, short: bool = False) -> str:
    """How a page names a date: 第2次报送（2014年4月15日） for a round's date, else the date (short: 4月15日)."""
    text = f"{day.month}月{day.day}日" if short else chinese_date(day)
    rounds = round_dates(campaign)
    if day in rounds:
        return f"{ROUND_NAME.format(n=rounds.index(day) + 1)}（{text}）"
    return f"{LATEST_LABEL}（{text}）" if short else text


def as_of_note(day: date, campaign: Campaign | None = None) -> str:
    """What a page's figures are of: 数据截至第3次报送（2014年4月30日），各单位以该日及之前最近一次报送为准。"""
    return f"{AS_OF_LABEL}{round_label(day, campaign)}，{AS_OF_RULE}。"


def picture_day(pic: Picture) -> date | None:
    """The as-of date of a picture: the latest 填表时间 among its returns (None when nothing is dated)."""
    numbers = [day_numbers(f["reported_on"]).max() for f in (pic.summary, pic.weak_orgs, pic.villages) if len(f)]
    latest = max((int(n) for n in numbers if n is not None and n >= 0), default=None)
    return date.fromordinal(latest) if latest is not None else None


def points(latest: date | None, campaign: Campaign | None = None) -> list[date]:
    """The dates progress over time is shown at: every round up to ``latest``, then ``latest`` itself."""
    if latest is None:
        return []
    return sorted({*(d for d in round_dates(campaign) if d <= latest), latest})


def previous_round(day: date, campaign: Campaign | None = None) -> date | None:
    """The latest report date of the campaign strictly before ``day``; None when ``day`` is on or before the first."""
    earlier = [d for d in round_dates(campaign) if d < day]
    return earlier[-1] if earlier else None


def status_day(status: pd.DataFrame) -> date | None:
    """The latest 填表时间 of a reporting status frame (status.unit_status): the round the returns have reached."""
    latest = pd.to_datetime(status["last_reported_on"], errors="coerce").max()
    return None if pd.isna(latest) else latest.date()


def behind_round(status: pd.DataFrame, day: date, campaign: Campaign | None = None) -> tuple[date | None, pd.DataFrame]:
    """The round ``day`` falls in (the latest report date on or before it) and the rows of ``status`` (unit_status) of
    the units that sent something but nothing for that round: their figures are an earlier round's. A return is of
    the round whose date its 填表时间 is nearest (halfway, the later): a late or corrected 第1次 return dated a week
    after the deadline is not the 第2次 report a month later. (None, no rows) in the first round."""
    rounds = [d for d in round_dates(campaign) if d <= day]
    if len(rounds) < 2:
        return None, status.iloc[0:0]
    last = pd.to_datetime(status["last_reported_on"], errors="coerce")
    before, current = (pd.Timestamp(d) for d in rounds[-2:])
    nearer_before = (last - before) * 2 < (current - before)  # dated nearer the round before: of that round
    return rounds[-1], status[last.notna() & nearer_before.fillna(False).astype(bool)]


def behind_units(status: pd.DataFrame, day: date | None, campaign: Campaign | None = None):
    """The units of ``status`` behind the round ``day`` falls in (``behind_round``) and that round's number (1, 2,
    …; None in the first round or with no day): what a table says beside them (第3次未报)."""
    current, behind = behind_round(status, day, campaign) if day is not None else (None, status.iloc[0:0])
    if current is None:
        return frozenset(), None
    return frozenset(behind["unit"]), round_dates(campaign).index(current) + 1


def behind_text(status: pd.DataFrame, day: date, campaign: Campaign | None = None) -> str:
    """The sentence naming the units behind the round ``day`` falls in, with the date their figures are of; "" when
    none is: 第3次报送（2014年4月30日）尚未报送的有：万宝新区（最近一次为2014年4月15日），按其最近一次报送统计。"""
    current, behind = behind_round(status, day, campaign)
    if current is None or behind.empty:
        return ""
    named = "、".join(
        f"{u}（最近一次为{chinese_date(pd.Timestamp(d).date())}）"
        for u, d in behind[["unit", "last_reported_on"]].itertuples(index=False)
    )
    return f"{round_label(current, campaign)}尚未报送的有：{named}，按其最近一次报送统计。"


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


def progress_at_rounds(by_unit: pd.DataFrame, campaign: Campaign | None = None) -> pd.DataFrame:
    """The city (the units of ``by_unit``, weakorg.history.progress) as of each round up to its latest 填表时间 and
    as of that day, each point named (``label``: 第2次报送（4月15日）) with the units that had reported by then."""
    from weakorg.history import city_progress

    latest = max(by_unit["reported_on"]) if len(by_unit) else None
    out = city_progress(by_unit, points(latest, campaign))
    return out.assign(label=[round_label(d, campaign, short=True) for d in out["reported_on"]])


def submissions_as_of(subs: pd.DataFrame, day: date) -> pd.DataFrame:
    """The stored submissions (``Store.submissions``) filled on or before ``day`` (undated: earliest)."""
    if subs.empty:
        return subs
    return subs[day_numbers(subs["reported_on"]).to_numpy() <= day.toordinal()].reset_index(drop=True)


def status_as_of(subs: pd.DataFrame, returns: Returns, day: date, campaign: Campaign | None = None) -> pd.DataFrame:
    """报送情况 as it stood on ``day`` (weakorg.status.unit_status of what had been filled by then)."""
    from weakorg.status import unit_status

    return unit_status(submissions_as_of(subs, day), returns_as_of(returns, day), campaign or default_campaign())
