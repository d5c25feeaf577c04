"""A 填表时间 that cannot stand without an analyst's word: after today, long before the campaign began, or long after
its last report date (a year typed 2024 for 2014).

Such a return would otherwise outrank every genuine one (the latest 填表时间 stands), for ever. It is
found here, and the store holds it back (it does not stand) until an analyst confirms it
(``Store.confirm(submission_id, "date", ...)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from weakorg.campaign import Campaign
from weakorg.checks.register import form_name
from weakorg.checks.registry import Context, located, records, rule
from weakorg.checks.returns import header_rows
from weakorg.findings import Finding
from weakorg.vocab import DATE_LABEL, chinese_date

# How long before the campaign's first deadline a 填表时间 may still be genuine (a return of the year before), and how
# long after its last report date (a late follow-up).
EARLIEST_BEFORE_DEADLINE = timedelta(days=365)
LATEST_AFTER_LAST_ROUND = timedelta(days=365)


def earliest(campaign: Campaign) -> date:
    """The earliest 填表时间 that stands without an analyst's confirmation."""
    return campaign.deadline - EARLIEST_BEFORE_DEADLINE


def last_round(campaign: Campaign) -> date:
    """The campaign's last report date."""
    return max((*campaign.rounds, campaign.deadline, campaign.rectification_end))


def latest(campaign: Campaign, today: date) -> date:
    """The latest 填表时间 that stands without an analyst's confirmation: today, or a year after the last round."""
    return min(today, last_round(campaign) + LATEST_AFTER_LAST_ROUND)


def out_of_range(days: Iterable[date | None], campaign: Campaign, today: date) -> bool:
    """Whether a file's 填表时间 need an analyst's word: one after today or long after the campaign, or all long
    before it."""
    known = [d for d in days if d is not None]
    return bool(known) and (max(known) > latest(campaign, today) or max(known) < earliest(campaign))


@rule("DATE_OUT_OF_RANGE")
def date_out_of_range(ctx: Context) -> Iterator[Finding]:
    """A table dated after today, more than a year before the campaign's deadline or after its last report date (one
    finding per file and date)."""
    tables = header_rows(ctx)
    low, high = earliest(ctx.campaign).toordinal(), latest(ctx.campaign, ctx.today).toordinal()
    tables = tables[(tables["day"] >= 0) & ((tables["day"] > high) | (tables["day"] < low))]
    for r in records(tables.drop_duplicates(["file_idx", "day"])):
        when = chinese_date(r["reported_on"])
        if r["day"] > ctx.today.toordinal():
            why = f"{DATE_LABEL}{when}晚于今天（{chinese_date(ctx.today)}）"
        elif r["day"] > high:
            last = chinese_date(last_round(ctx.campaign))
            why = f"{DATE_LABEL}{when}晚于本次整顿最后一次报送日期{last}一年以上（年份是否写错？）"
        else:
            why = f"{DATE_LABEL}{when}早于本次整顿截止日期{chinese_date(ctx.campaign.deadline)}一年以上"
        msg = (
            f"{form_name(r['form'])}“{r['file']}”的{why}，请核对{r['date_cell'] or '表头'}；"
            f"经分析员确认后才作为有效报送，在此之前不计入汇总。"
        )
        yield located("DATE_OUT_OF_RANGE", msg, r, r["form"], r["date_cell"])
