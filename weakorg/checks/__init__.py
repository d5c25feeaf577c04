"""The checks: one small function per rule code, all in one registry, run together by ``run_checks``.

A rule lives in the module of its scope: ``summary`` (F1 arithmetic and percentages),
``register`` (F2/F3 lines and duplicates), ``returns`` (who filed what, when, how often;
F1 against F2), ``history`` (a unit's registers over time), ``dates`` (a 填表时间 that cannot
stand without an analyst's word), ``units`` (organizations of another unit than the header's). Each is registered with
``@rule("CODE")`` and yields ``Finding`` records.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.checks import dates, history, register, returns, summary, units
from weakorg.checks.registry import REGISTRY, Context, RegisteredRule, rule
from weakorg.findings import Finding
from weakorg.read.heap import in_batch_heap
from weakorg.tables import Returns

__all__ = [
    "REGISTRY",
    "Context",
    "RegisteredRule",
    "dates",
    "history",
    "register",
    "returns",
    "rule",
    "run_checks",
    "summary",
    "units",
]


@in_batch_heap
def run_checks(
    returns: Returns,
    campaign: Campaign | None = None,
    codes: set[str] | None = None,
    today: date | None = None,
    corrections: pd.DataFrame | None = None,
) -> list[Finding]:
    """Every finding of a batch: the reader's for each file, then every registered rule's (or those in ``codes``);
    ``today`` (default: the system's date) is what a 填表时间 may not be after; ``corrections`` (the store's
    standing ones) stand in place of the machine's reading of the lines they correct."""
    found: list[Finding] = [f for fr in returns.files for f in fr.findings]
    ctx = Context(returns, campaign or default_campaign(), today or date.today(), corrections=corrections)
    chosen = [r for r in REGISTRY if codes is None or r.code in codes]
    # The rules that read 主要问题 run last, so the readings the reader's pool is making arrive meanwhile
    # (criteria.await_readings); the findings keep the registry's order.
    order = sorted(range(len(chosen)), key=lambda i: chosen[i].reads_problems)
    by_rule = {i: list(chosen[i].check(ctx)) for i in order}
    return found + [f for i in range(len(chosen)) for f in by_rule[i]]
