"""The consolidated picture a user may see, the filters' options, and the summary by unit."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from weakorg import campaign as campaigns  # default_campaign read when called: bench/run.py swaps it
from weakorg.campaign import Campaign
from weakorg.store import Store
from weakorg.vocab import CATEGORIES, CRITERIA, CRITERIA_SHORT, F1_ROWS, UNIT_LABEL

WEAK = F1_ROWS["weak_total"]
ORGS = F1_ROWS["orgs_total"]


def picture(
    store: Store,
    scope: Iterable[str] | None = None,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    campaign: Campaign | None = None,
):
    """The consolidated picture of the stored returns a user may see (scope), narrowed by the filters."""
    from weakorg.consolidate import PICTURE_COLUMNS, consolidate, filter_picture

    campaign = campaign or campaigns.default_campaign()
    units, categories = list(units or []), list(categories or [])
    seen = set(scope) if scope is not None else None
    if units:  # every figure is per unit: read only the units asked for (a county's page, not the country)
        seen = set(units) if seen is None else seen & set(units)
    pic = consolidate(store.returns(seen, columns=PICTURE_COLUMNS, findings=False), campaign, checks=False)
    pic.weak_orgs = store.corrected(pic.weak_orgs, seen)  # analysts' corrections of the reading stand (issue 15)
    pic.findings = store.current_findings(seen, campaign)  # each unit's checks, kept current by the store
    if seen is not None or categories:  # a scope narrows the units listed and expected too (no chart axis beyond it)
        pic = filter_picture(pic, units=seen, categories=categories or None)
    return pic


def review_items(store: Store, pic, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """The 研判 list of a picture (``review.items``), its texts read once: recalled from the store, kept in it."""
    from weakorg import review

    texts = pic.weak_orgs["problems"] if len(pic.weak_orgs) else []
    store.recall(texts)
    listed = review.items(pic.weak_orgs, store.standing_corrections(scope), store.latest_corrections(scope))
    store.keep(texts)
    return listed


def unit_options(store: Store, campaign: Campaign | None = None, scope: Iterable[str] | None = None) -> list[str]:
    """The units a filter offers: the campaign's, then any stored unit outside it; only those in scope."""
    campaign = campaign or campaigns.default_campaign()
    stored = store.submissions(set(scope) if scope is not None else None)["unit"].dropna().tolist()
    names = list(dict.fromkeys([*campaign.unit_names, *stored]))
    return [u for u in names if scope is None or u in set(scope)]


def category_options() -> list[str]:
    """The categories a filter offers, in the notice's order."""
    return list(CATEGORIES)


def is_blank(pic) -> bool:
    """Whether a picture has nothing to show (nothing stored, or the filters leave nothing)."""
    city = pic.city
    return not (city.get("units_reported") or (city.get("orgs_total") or 0) > 0 or len(pic.weak_orgs))


def unit_table(pic) -> pd.DataFrame:
    """The summary by unit as the page's table: counts, weak share and the six criteria, Chinese headers."""
    by_unit = pic.by_unit
    crit = {f"c{n}": CRITERIA_SHORT[n] for n in CRITERIA}
    columns = {"unit": UNIT_LABEL, "orgs_total": ORGS, "weak_total": WEAK, "weak_share": "占比（%）", **crit}
    out = by_unit.reindex(columns=list(columns)).rename(columns=columns)
    for key, label in columns.items():
        if key != "unit":
            values = pd.to_numeric(out[label], errors="coerce")
            out[label] = values.astype(float) if key == "weak_share" else values.round().astype("Int64")
    return out.reset_index(drop=True)
