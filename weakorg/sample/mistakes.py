"""The deliberate mistakes planted in the latest returns, and the findings they trigger besides."""

from __future__ import annotations

from datetime import date

from weakorg.export.forms import f1_percents
from weakorg.sample.builder import _Builder
from weakorg.sample.returns import UnitReturn, WeakOrg, _unit_return
from weakorg.sample.units import (
    CORRECTION,
    FORMS,
    IN_PROGRESS,
    INSTITUTION,
    TURNED,
    UNKNOWN_CATEGORY,
    UNKNOWN_UNIT,
    WORKBOOK,
    UnitSpec,
)
from weakorg.vocab import F1_CRITERIA_KEYS


def _plant(returns: list[UnitReturn], dropped: WeakOrg, b: _Builder) -> tuple[list, list]:
    """Plant the deliberate mistakes in the latest returns; return (planted, side effects)."""
    latest = {ret.unit: ret for ret in returns}
    planted: list[tuple[str, str]] = [("CRITERIA_UNDERCOUNT", "市两新工委"), ("LATE_SUBMISSION", "新化县")]
    side: list[tuple[str, str]] = []

    ret = latest["娄星区"]
    computed = f1_percents(ret.f1["农村"])["weak_total_pct_orgs"]
    ret.f1_percents["农村"] = {"weak_total_pct_orgs": round(computed + 1.5, 2)}
    planted.append(("PERCENT_MISMATCH", "娄星区"))
    twice = dict(ret.f2[len(ret.f2) // 2])
    ret.f2.append(twice)
    planted.append(("DUPLICATE_ORG", "娄星区"))  # counted once: the 一览表 still agrees with the 附件1

    ret = latest["涟源市"]
    ret.f1["学校"]["branches"] -= 2
    planted.append(("BREAKDOWN_SUM", "涟源市"))
    ret.f2[3]["members"] = "若干"
    ret.f2[-2]["members"] = None
    planted.append(("MEMBERS_INVALID", "涟源市"))

    ret = latest["冷水江市"]
    ret.f1["医疗卫生单位"]["c6"] = ret.f1["医疗卫生单位"]["weak_total"] + 1
    planted.append(("CRITERION_EXCEEDS_WEAK", "冷水江市"))
    side.append(("CRITERIA_LIST_MISMATCH", "冷水江市"))
    corrected = [dict(r) for r in ret.f2]
    fix = next((r for r in corrected if r["status"] == IN_PROGRESS), corrected[0])
    fix["status"] = TURNED
    returns.append(
        UnitReturn(
            unit=ret.unit, round=ret.round, reported_on=ret.reported_on, header_unit=ret.header_unit, f1={},
            f1_percents={}, f2=corrected, f3=None, layout=FORMS, header=ret.header, note=CORRECTION,
        )
    )  # fmt: skip
    planted.append(("DUPLICATE_SUBMISSION", "冷水江市"))

    ret = latest["双峰县"]
    row = next(r for r in ret.f2 if r["phone"] and not r["phone"].startswith("0738"))
    row["phone"] = row["phone"].replace(" ", "")[:10]
    planted.append(("PHONE_INVALID", "双峰县"))

    ret = latest["新化县"]
    ret.f2 = [r for r in ret.f2 if r["name"] != dropped.name]
    planted.append(("LIST_COUNT_MISMATCH", "新化县"))
    side.append(("CRITERIA_LIST_MISMATCH", "新化县"))

    ret = latest["市直机关工委"]
    ret.f1[UNKNOWN_CATEGORY] = {
        "orgs_total": 16, "party_committees": 0, "general_branches": 1, "branches": 15, "weak_total": 0,
        **dict.fromkeys(F1_CRITERIA_KEYS, 0),
    }  # fmt: skip
    planted.append(("UNKNOWN_CATEGORY", "市直机关工委"))

    # A unit that is not in the campaign sends a return too.
    spec = UnitSpec(UNKNOWN_UNIT, "娄底市", {"机关": (20, 20)}, layout=WORKBOOK)
    criteria = (5, 6)
    text, flags, _ = b.problems(INSTITUTION, "机关", criteria)
    org = WeakOrg(
        unit=UNKNOWN_UNIT, name="娄底市公路运输管理处党支部", category="机关", members=12, problems=text,
        criteria=criteria, flags=flags, secretary=b.person(), phone=b.phone("8"), statuses={3: IN_PROGRESS},
    )  # fmt: skip
    returns.append(_unit_return(spec, 3, date(2014, 4, 29), {"机关": (1, 2, 17)}, [org], []))
    planted.append(("UNKNOWN_UNIT", UNKNOWN_UNIT))
    returns.sort(key=lambda r: r.round)  # stable: the correction stays after its original
    return planted, side
