"""Every read a page or the CLI makes for a viewer, with the viewer's scope applied first.

A scope is the set of units an account may see (a 督导组's counties), None for all. Each function
here narrows the store's reads to the scope before anything is consolidated, counted or ranked,
so that nothing of a unit outside it can reach a figure, a chart axis, a table or a file; the
pages cache these results under keys that hold the scope (pages/_common.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from weakorg import app, asof, history, overview, status, views
from weakorg.campaign import Campaign, default_campaign
from weakorg.store import Store

OUTSIDE_SCOPE = "链接中的{what}不在本账号可查看的填报单位范围内，未予显示。本页只显示本账号负责的填报单位。"
OUTSIDE_UNITS = "填报单位"
OUTSIDE_ORG = "党组织"
SCOPE_PLACEHOLDER = "本账号的全部单位"  # the unit filter's words when nothing is picked, for an account with a scope


def scope_note(scope: Iterable[str] | None) -> str | None:
    """What a page says under its title to an account that sees only some units (None: it sees them all)."""
    if scope is None:
        return None
    units = sorted(scope)
    if not units:
        return "本账号没有可查看的填报单位，请联系管理员分配。"
    return f"本账号只能查看{len(units)}个填报单位：{'、'.join(units)}。本页的数字和“全市”合计都只含这些单位。"


def in_scope(scope: Iterable[str] | None, units: Iterable[str] | None = None) -> set[str] | None:
    """The units to read: the filter's units within the scope (None: no limit at all)."""
    seen = set(scope) if scope is not None else None
    wanted = set(units or ())
    if wanted:
        return wanted if seen is None else seen & wanted
    return seen


def picture(
    store: Store,
    scope: Iterable[str] | None = None,
    units: Iterable[str] = (),
    categories: Iterable[str] = (),
    campaign: Campaign | None = None,
):
    """The picture of the units in scope (narrowed by the filters): no unit outside it, not even by name."""
    return app.picture(store, scope, units, categories, campaign)


def previous_picture(
    store: Store, scope: Iterable[str] | None = None, units: Iterable[str] = (), categories: Iterable[str] = ()
):
    """The picture as it stood on the previous 填表时间 of the units in scope, and that date; or None."""
    from weakorg.consolidate import PICTURE_COLUMNS

    seen = in_scope(scope, units)
    returns = store.returns(seen, columns=PICTURE_COLUMNS, findings=False)
    wanted = sorted(seen) if seen is not None else list(units or ())
    if seen is not None and not wanted:
        return None
    as_of = asof.status_day(unit_status(store, scope))  # every unit in scope's, whatever the filter
    return overview.previous_picture(returns, wanted, categories, latest=as_of)


def unit_status(store: Store, scope: Iterable[str] | None = None, campaign: Campaign | None = None) -> pd.DataFrame:
    """The reporting status (weakorg.status.unit_status) of the campaign's units in scope only."""
    seen = set(scope) if scope is not None else None
    campaign = campaign or default_campaign()
    returns = store.returns(seen, columns=status.STANDING_COLUMNS, findings=False)  # which returns stand
    found = store.current_findings(seen, campaign)  # the errors 报送情况 lists: the counts agree with the list
    out = status.unit_status(store.submissions(seen), returns, campaign, findings=found)
    return out if seen is None else out[out["unit"].isin(seen)].reset_index(drop=True)


def ranking(store: Store, scope: Iterable[str] | None = None, units: Iterable[str] = (), categories=()):
    """The units in scope (and in the filter) ranked (weakorg.overview.unit_ranking)."""
    return overview.unit_ranking(picture(store, scope, units, categories), unit_status(store, scope))


def progress(store: Store, scope: Iterable[str] | None = None, campaign: Campaign | None = None) -> pd.DataFrame:
    """Progress over time per unit of the campaign in scope (weakorg.history.stored_progress)."""
    names = (campaign or default_campaign()).unit_names
    return history.stored_progress(store, tuple(u for u in names if scope is None or u in set(scope)))


def unit_options(store: Store, scope: Iterable[str] | None = None) -> list[str]:
    """The units a filter offers this viewer: the campaign's and any stored one, in scope."""
    return app.unit_options(store, scope=scope)


def org_card(store: Store, scope: Iterable[str] | None, unit: str, name: str):
    """One organization's card (weakorg.views.OrgCard), or None when it is unknown or its unit is out of scope:
    its rows across returns, the findings that concern it with the explanations of its warnings, and an
    analyst's standing correction of its reading; all read within the scope."""
    if scope is not None and unit not in set(scope):
        return None
    pic = picture(store, scope)
    seen = set(scope) if scope is not None else None
    return views.org_card(
        pic.weak_orgs,
        store.returns({unit}),
        unit,
        name,
        findings=pic.findings,
        explanations=store.explanations(seen),
        corrections=store.standing_corrections([unit]),
        history_of_corrections=store.correction_history(unit, name),
    )


def submissions(store: Store, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """The stored submissions in scope as the upload page lists them (weakorg.app.submissions_table)."""
    return app.submissions_table(store, scope)


def outside(asked: Iterable[str], allowed: Iterable[str]) -> bool:
    """Whether a link asked for any unit this viewer may not see (the note says so, never which one)."""
    names = set(allowed)
    return any(u not in names for u in asked if u)
