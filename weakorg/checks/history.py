"""Checks across a unit's returns over time: what an earlier register listed and the latest one dropped."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from weakorg.campaign import normalize_text
from weakorg.checks.register import form_name
from weakorg.checks.registry import Context, located, missing, quote, records, rule
from weakorg.consolidate import day_numbers
from weakorg.findings import Finding
from weakorg.vocab import DATE_LABEL, F2, F2_EXTRA_COLUMNS, STATUS_DONE, chinese_date

STATUS = F2_EXTRA_COLUMNS["status"]


@rule("ORG_DROPPED")
def org_dropped(ctx: Context) -> Iterator[Finding]:
    """An organization of an earlier register is in the unit's latest one, unless it had reached 已转化 or 已验收."""
    f2 = ctx.f2[ctx.f2["unit"].notna() & ctx.f2["name"].notna()]
    current = ctx.current(F2)
    current = current[current["unit"].notna()]
    emptied = ctx.emptied(F2)  # a latest 一览表 with no line
    emptied = emptied[~emptied["unit"].isin(current["unit"])]
    emptied = emptied.assign(_day=day_numbers(emptied["reported_on"]), sheet=None, row=0)
    if f2.empty or (current.empty and emptied.empty):
        return
    days = day_numbers(f2["reported_on"])
    dated = set(zip(f2["unit"], days, strict=True)) | set(zip(emptied["unit"], emptied["_day"], strict=True))
    if len(dated) == f2["unit"].nunique():  # every unit's registers of one date
        return
    f2 = f2.assign(_key=f2["name"].map(normalize_text), _day=days)
    latest = f2.loc[f2.index.intersection(current.index)]
    latest_day = pd.concat([latest.groupby("unit")["_day"].max(), emptied.groupby("unit")["_day"].max()])
    earlier = f2[f2["_day"] < f2["unit"].map(latest_day)]  # registers of earlier 填表时间 (a unit with a latest one)
    last_seen = earlier.sort_values(["_day", "file_idx", "row"]).drop_duplicates(["unit", "_key"], keep="last")
    kept = last_seen.merge(latest[["unit", "_key"]].drop_duplicates(), on=["unit", "_key"], how="left", indicator=True)
    dropped = kept[(kept["_merge"] == "left_only") & ~kept["status"].isin(STATUS_DONE)]
    heads = pd.concat([latest.sort_values(["file_idx", "row"]), emptied]).drop_duplicates("unit").set_index("unit")
    for r in records(dropped):
        head = heads.loc[r["unit"]].to_dict() | {"unit": r["unit"], "category": r.get("category")}
        status = "未填写" if missing(r["status"]) else quote(r["status"], r)
        msg = (
            f"{r['unit']}{DATE_LABEL}为{chinese_date(r['reported_on'])}的{form_name(F2)}“{r['file']}”中列有“{r['name']}”"
            f"（{STATUS}：{status}），而最新的{form_name(F2)}“{head['file']}”（{chinese_date(head['reported_on'])}）中没有该组织。"
            f"未转化、未验收的组织不应从一览表中删去；如已转化或验收，请保留该行并在“{STATUS}”中注明。"
        )
        yield located("ORG_DROPPED", msg, head, F2, org=r["name"])
