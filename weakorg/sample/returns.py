"""What the sample holds: weak organizations, the returns they are written into, and the whole plan."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date

from weakorg.campaign import default_campaign
from weakorg.export.forms import LINE
from weakorg.sample.units import ACCEPTED, CORRECTION, FORMS, NOT_DONE, ROUNDS, UnitSpec
from weakorg.vocab import CATEGORIES, CATEGORY_ALIASES, F1_COUNT_KEYS, F1_CRITERIA_KEYS


@dataclass
class WeakOrg:
    """A weak organization of a unit as the sample has it, with its status in every round."""

    unit: str
    name: str
    category: str
    members: int
    problems: str
    criteria: tuple[int, ...]
    flags: tuple[str, ...]
    secretary: str | None
    phone: str | None
    statuses: dict[int, str]
    accepted_on: date | None = None
    found_round: int = 1


@dataclass
class UnitReturn:
    """What one unit sent in one round: F1 tables, F2 and F3 rows as written, and how it laid them out."""

    unit: str  # canonical unit (the unknown unit's own name for the planted stranger)
    round: int
    reported_on: date
    header_unit: str  # the unit as written in the header line
    f1: dict[str, dict[str, int]]  # category as written -> counts as written
    f1_percents: dict[str, dict[str, float]]  # category -> percentage cells written off the computed value
    f2: list[dict] | None  # rows keyed by F2 fields; None when the form was not sent
    f3: list[dict] | None
    layout: str = FORMS
    header: str = LINE
    f2_extra: bool = True  # F2 with weakorg's optional columns at the right
    note: str = ""  # CORRECTION for a re-sent register


@dataclass
class SamplePlan:
    """Everything the sample returns hold, round by round, and the mistakes planted in them."""

    seed: int
    returns: list[UnitReturn]  # in upload order: by round, unit; a correction after its original
    orgs: dict[str, list[WeakOrg]]  # unit -> its weak organizations
    planted: list[tuple[str, str]]  # (rule code, unit) of each deliberate mistake
    side_effects: list[tuple[str, str]]  # (rule code, unit) the planted mistakes trigger as well

    @property
    def rounds(self) -> dict[int, dict[str, UnitReturn]]:
        """Round -> unit -> the unit's return of that round (corrections left aside: see ``corrections``)."""
        out: dict[int, dict[str, UnitReturn]] = {r: {} for r in ROUNDS}
        for ret in self.returns:
            if ret.note != CORRECTION:
                out[ret.round][ret.unit] = ret
        return out

    @property
    def corrections(self) -> list[UnitReturn]:
        """Registers re-sent with the same date (their later upload stands)."""
        return [ret for ret in self.returns if ret.note == CORRECTION]

    def to_json(self) -> str:
        """The whole plan as JSON (dates as ISO text): what determinism is checked on."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str)

    def expected_totals(self) -> dict:
        """The consolidated figures of the current picture: latest return per unit, category and form."""
        units = set(default_campaign().unit_names)
        f1: dict[tuple[str, str], dict] = {}
        f2: dict[str, list[dict]] = {}
        f3: dict[str, list[dict]] = {}
        for ret in self.returns:
            if ret.unit not in units:
                continue
            for written, counts in ret.f1.items():
                category = canonical_category(written)
                if category:
                    f1[(ret.unit, category)] = counts
            if ret.f2 is not None:
                f2[ret.unit] = ret.f2
            if ret.f3 is not None:
                f3[ret.unit] = ret.f3

        def add(into: dict, counts: dict) -> None:
            for key in F1_COUNT_KEYS:
                into[key] = into.get(key, 0) + counts[key]

        city: dict = {}
        by_category: dict[str, dict] = {}
        by_unit: dict[str, dict] = {}
        for (unit, category), counts in f1.items():
            add(city, counts)
            add(by_category.setdefault(category, {}), counts)
            add(by_unit.setdefault(unit, {}), counts)
        f2_rows = [r for unit in f2 for r in f2[unit] if r.get("name")]
        f2_first = {u: list({r["name"]: r for r in reversed(rows) if r.get("name")}.values()) for u, rows in f2.items()}
        f3_rows = [r for unit in f3 for r in f3[unit] if r.get("name")]
        return {
            "city": city,
            "by_category": {c: by_category[c] for c in CATEGORIES if c in by_category},
            "by_unit": {u: by_unit[u] for u in default_campaign().unit_names if u in by_unit},
            "f2_rows": len(f2_rows),
            "f2_orgs": sum(map(len, f2_first.values())),  # an organization listed twice counts once
            "f2_orgs_by_unit": {u: len(rows) for u, rows in f2_first.items()},
            "statuses": dict(Counter(r.get("status") for rows in f2_first.values() for r in rows)),
            "f3_villages": len(f3_rows),
            "f3_elections_done": sum(1 for r in f3_rows if isinstance(r.get("election_done"), date)),
        }


def canonical_category(text: str) -> str | None:
    """The canonical category a written one stands for, or None."""
    if text in CATEGORIES:
        return text
    return CATEGORY_ALIASES.get(text)


def _f1_counts(total: tuple[int, int, int], weak: list[WeakOrg]) -> dict[str, int]:
    pc, gb, br = total
    counts = {"orgs_total": pc + gb + br, "party_committees": pc, "general_branches": gb, "branches": br}
    counts["weak_total"] = len(weak)
    for n, key in enumerate(F1_CRITERIA_KEYS, 1):
        counts[key] = sum(1 for o in weak if n in o.criteria)
    return counts


def _f2_row(org: WeakOrg, rnd: int) -> dict:
    status = org.statuses[rnd]
    return {
        "name": org.name,
        "members": org.members,
        "problems": org.problems,
        "secretary": org.secretary,
        "phone": org.phone,
        "category": org.category,
        "criteria_stated": "、".join(str(c) for c in org.criteria) or None,
        "status": status,
        "accepted_on": org.accepted_on if status == ACCEPTED else None,
    }


def _unit_return(
    spec: UnitSpec,
    rnd: int,
    reported_on: date,
    sizes: dict[str, tuple[int, int, int]],
    orgs: list[WeakOrg],
    villages: list[dict],
) -> UnitReturn:
    present = [o for o in orgs if o.found_round <= rnd]
    f1 = {
        spec.written.get(cat, cat): _f1_counts(kinds, [o for o in present if o.category == cat])
        for cat, kinds in sizes.items()
    }
    f2 = [_f2_row(o, rnd) for o in present]
    f3 = None
    if spec.sends_f3:
        f3 = [
            {**{k: v for k, v in v_.items() if k != "done"}, "election_done": v_["done"][rnd] or NOT_DONE}
            for v_ in villages
        ]
    return UnitReturn(
        unit=spec.name,
        round=rnd,
        reported_on=reported_on,
        header_unit=spec.header_unit or spec.name,
        f1=f1,
        f1_percents={},
        f2=f2,
        f3=f3,
        layout=spec.layout,
        header=spec.header,
        f2_extra=not (spec.name == "双峰县" and rnd == 1),  # 双峰县 first sends the bare official register
    )
