"""The plan drawn from a seed: every unit's weak organizations, hard villages and returns, round by round."""

from __future__ import annotations

import random
from datetime import date, timedelta

from weakorg.sample.builder import _Builder
from weakorg.sample.mistakes import _plant
from weakorg.sample.problems import _F3_MEASURES, _F3_PROBLEMS, _F3_VACANT
from weakorg.sample.returns import SamplePlan, UnitReturn, WeakOrg, _unit_return
from weakorg.sample.units import ROUNDS, TURNED, UNIT_SPECS, UNITS, VILLAGE, UnitSpec, _sector


def _kinds(rng: random.Random, category: str, total: int) -> tuple[int, int, int]:
    committees = {
        "农村": (0, 2), "街道社区": (1, 4), "学校": (1, 4), "医疗卫生单位": (1, 3), "机关": (3, 10),
        "国有企业": (4, 8), "其他事业单位": (1, 4), "非公有制经济组织": (0, 2), "社会组织": (0, 1),
    }.get(category, (0, 1))  # fmt: skip
    pc = rng.randint(*committees)
    gb = round(total * rng.uniform(0.03, 0.12))
    return pc, gb, total - pc - gb


def _weak_count(rng: random.Random, total: int) -> int:
    """How many of ``total`` organizations are weak: 3-8 % of them (biased low), at least 1."""
    lo = max(1, -(-3 * total // 100))
    hi = max(lo, 8 * total // 100)
    return rng.randint(lo, max(lo, min(hi, round(0.055 * total))))


def _day(start: date, end: date, rng: random.Random) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def plan(seed: int = 2014) -> SamplePlan:
    """The sample returns of the default campaign, drawn deterministically from ``seed``."""
    b = _Builder(seed)
    rng = b.rng
    orgs: dict[str, list[WeakOrg]] = {}
    sizes: dict[str, dict[str, tuple[int, int, int]]] = {}
    villages: dict[str, list[dict]] = {}
    dates: dict[str, dict[int, date]] = {}

    for spec in UNITS:
        unit = spec.name
        sizes[unit], orgs[unit] = {}, []
        for category, (lo, hi) in spec.sizes.items():
            total = rng.randint(lo, hi)
            sizes[unit][category] = _kinds(rng, category, total)
            n_weak = 2 if (unit, category) == ("市两新工委", "社会组织") else _weak_count(rng, total)
            sector = _sector(category)
            for i in range(n_weak):
                kind = "党总支" if sizes[unit][category][1] and rng.random() < 0.08 else "党支部"
                criteria = b.criteria()
                if (unit, category) == ("市两新工委", "社会组织"):
                    criteria = ((5,), ())[i]  # planted: one weak organization meeting none of the six
                if criteria:
                    text, flags, vacant = b.problems(sector, category, criteria)
                else:
                    text, flags, vacant = (
                        "会员单位分散，党员多为兼职，党建资料台账不全，近三年未发展新党员。",
                        (),
                        False,
                    )
                lo_m, hi_m = (15, 80) if sector == VILLAGE else (3, 40)
                if kind == "党总支":
                    lo_m = max(lo_m, 50 if sector == VILLAGE else 20)
                secretary = (None if rng.random() < 0.5 else "空缺") if vacant else b.person()
                statuses, accepted = b.statuses(1)
                orgs[unit].append(
                    WeakOrg(
                        unit=unit,
                        name=b.org_name(spec, category, kind),
                        category=category,
                        members=rng.randint(lo_m, max(lo_m, hi_m)),
                        problems=text,
                        criteria=criteria,
                        flags=flags,
                        secretary=secretary,
                        phone=None if vacant else b.phone(spec.area),
                        statuses=statuses,
                        accepted_on=_day(date(2014, 4, 21), date(2014, 4, 27), rng) if accepted else None,
                    )
                )
        # the first round's dates; the later ones are common
        dates[unit] = {
            1: date(2014, 3, 14) if unit == "新化县" else _day(date(2014, 3, 10), date(2014, 3, 12), rng),
            2: date(2014, 4, 15),
            3: _day(date(2014, 4, 28), date(2014, 4, 30), rng),
        }
        villages[unit] = _villages(b, spec, orgs[unit])

    # 新化县 finds one more weak village in April.
    spec = UNIT_SPECS["新化县"]
    statuses, accepted = b.statuses(2)
    criteria = (1, 5)
    text, flags, vacant = b.problems(VILLAGE, "农村", criteria)
    orgs["新化县"].append(
        WeakOrg(
            unit="新化县", name=b.org_name(spec, "农村", "党支部"), category="农村", members=rng.randint(20, 60),
            problems=text, criteria=criteria, flags=flags, secretary=None if vacant else b.person(),
            phone=None if vacant else b.phone(spec.area), statuses=statuses,
            accepted_on=date(2014, 4, 27) if accepted else None, found_round=2,
        )
    )  # fmt: skip
    # The one 新化县 leaves out of its last register had turned around by April.
    dropped = next(o for o in orgs["新化县"] if o.category == "农村" and o.found_round == 1)
    dropped.statuses[2] = dropped.statuses[3] = TURNED
    dropped.accepted_on = None

    returns: list[UnitReturn] = []
    for rnd in ROUNDS:
        for spec in UNITS:
            if rnd in spec.skips:
                continue
            returns.append(_unit_return(spec, rnd, dates[spec.name][rnd], sizes[spec.name], orgs[spec.name],
                                        villages[spec.name]))  # fmt: skip

    planted, side_effects = _plant(returns, dropped, b)
    return SamplePlan(seed=seed, returns=returns, orgs=orgs, planted=planted, side_effects=side_effects)


def _villages(b: _Builder, spec: UnitSpec, weak: list[WeakOrg]) -> list[dict]:
    """The unit's villages whose re-election is hard, with their election date per round."""
    if not spec.f3_villages[1]:
        return []
    rng = b.rng
    n = rng.randint(*spec.f3_villages)
    weak_villages = [o for o in weak if o.category == "农村"]
    out = []
    for _ in range(n):
        known = weak_villages.pop(rng.randrange(len(weak_villages))) if weak_villages and rng.random() < 0.5 else None
        done2 = rng.random() < 0.3
        done3 = done2 or rng.random() < 0.75
        date2 = _day(date(2014, 3, 28), date(2014, 4, 12), rng) if done2 else None
        date3 = date2 or (_day(date(2014, 4, 16), date(2014, 4, 27), rng) if done3 else None)
        problems = rng.sample(_F3_PROBLEMS, rng.randint(1, 2))
        measures = rng.sample(_F3_MEASURES, rng.randint(1, 2))
        if known and known.secretary in (None, "空缺") and _F3_VACANT not in problems:
            problems = [_F3_VACANT, *problems[:1]]
        vacant = _F3_VACANT in problems
        out.append(
            {
                "name": known.name if known else b.org_name(spec, "农村", "党支部"),
                "members": known.members if known else rng.randint(15, 80),
                "problems": "".join(problems),
                "measures": "".join(measures),
                "secretary": None if vacant else (known.secretary if known else b.person()),
                "phone": None if vacant else (known.phone if known else b.phone(spec.area)),
                "done": {1: None, 2: date2, 3: date3},
            }
        )
    return out
