"""The seeded draws of one plan: people, phones, organization names, problem texts, criteria, statuses."""

from __future__ import annotations

import random

from weakorg.sample.names import (
    _ASSOCIATIONS,
    _BUREAUS,
    _CITY_HEALTH,
    _CITY_SCHOOLS,
    _COMMUNITIES,
    _FIRM_BRANDS,
    _FIRM_TRADES,
    _GIVEN,
    _INSTITUTIONS,
    _MOBILE_PREFIXES,
    _NUMERALS,
    _OTHER_ORGS,
    _SOES,
    _SURNAMES,
    _VILLAGE_A,
    _VILLAGE_B,
)
from weakorg.sample.problems import (
    _COMPOSITES,
    _CRITERION_WEIGHTS,
    _FILLERS,
    _FLAG_SENTENCES,
    _HEADS,
    _SENTENCES,
    _SOLVED,
)
from weakorg.sample.units import COMMUNITY, ROUNDS, VILLAGE, UnitSpec
from weakorg.vocab import STATUSES


class _Builder:
    """Draws one plan from a seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names: set[str] = set()

    # -- small draws -------------------------------------------------------
    def person(self) -> str:
        return self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)

    def phone(self, area: str) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return f"0738-{area}{rng.randint(0, 999999):06d}"
        number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"
        if rng.random() < 0.05:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        return number

    def _unique(self, make) -> str:
        for _ in range(500):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def org_name(self, spec: UnitSpec, category: str, kind: str) -> str:
        """A realistic, unique name of an organization of ``category`` in the unit."""
        rng, p = self.rng, spec.prefix
        city = p == "娄底市"

        def make() -> str:
            if category == "农村":
                village = rng.choice(_VILLAGE_A) + rng.choice(_VILLAGE_B)
                return f"{p}{rng.choice(spec.towns)}{village}村党支部"
            if category == "街道社区":
                return f"{p}{rng.choice(spec.streets)}{rng.choice(_COMMUNITIES)}社区党支部"
            if category == "学校":
                if city:
                    return "娄底市" + rng.choice(_CITY_SCHOOLS).format(n=rng.choice(_NUMERALS))
                town = rng.choice(spec.towns).removesuffix("镇").removesuffix("乡")
                return rng.choice(
                    (f"{p}{town}中学党支部", f"{p}{town}中心学校党支部", f"{p}第{rng.choice(_NUMERALS)}中学党支部",
                     f"{p}{rng.choice(spec.towns)}中心小学党支部", f"{p}职业中专学校党支部", f"{p}实验小学党支部")
                )  # fmt: skip
            if category == "医疗卫生单位":
                if city:
                    return "娄底市" + rng.choice(_CITY_HEALTH).format(n=rng.choice(_NUMERALS[:4]))
                town = rng.choice(spec.towns)
                return rng.choice(
                    (f"{p}{town}卫生院党支部", f"{p}{town}中心卫生院党支部", f"{p}中医医院党支部",
                     f"{p}妇幼保健院党支部", f"{p}疾病预防控制中心党支部", f"{p}人民医院后勤党支部")
                )  # fmt: skip
            if category == "机关":
                return f"{p}{rng.choice(_BUREAUS)}机关党支部"
            if category == "其他事业单位":
                return f"{p}{rng.choice(_INSTITUTIONS)}党支部"
            if category == "国有企业":
                return f"{p}{rng.choice(_SOES)}党支部"
            if category == "非公有制经济组织":
                where = "湖南" if city and rng.random() < 0.5 else p
                return f"{where}{rng.choice(_FIRM_BRANDS)}{rng.choice(_FIRM_TRADES)}有限公司党支部"
            if category == "社会组织":
                return f"{p}{rng.choice(_ASSOCIATIONS)}党支部"
            return "娄底" + rng.choice(_OTHER_ORGS)

        name = self._unique(make)
        if kind == "党总支":
            self.names.discard(name)
            name = self._unique(lambda: name.removesuffix("党支部") + "党总支")
        return name

    def problems(self, sector: str, category: str, criteria: tuple[int, ...]) -> tuple[str, tuple[str, ...], bool]:
        """A 主要问题 text stating exactly ``criteria``; its flags; whether it says the post is vacant."""
        rng = self.rng
        params = {
            "n": rng.randint(1, 3), "k": rng.randint(4, 7), "k2": rng.randint(1, 3), "m": rng.randint(6, 20),
            "y": rng.randint(2005, 2009), "y2": rng.randint(2011, 2013), "pct": rng.randint(32, 58),
            "inc": rng.randint(1, 3), "old": rng.randint(45, 70), "head": _HEADS.get(category, ""),
        }  # fmt: skip
        pieces: list[tuple[str, bool]] = []
        composite = _COMPOSITES.get((sector, criteria))
        if composite and rng.random() < 0.5:
            pieces.append(rng.choice(composite))
        else:
            for c in rng.sample(list(criteria), len(criteria)):
                pieces.append(rng.choice(_SENTENCES[sector][c]))
        flags: tuple[str, ...] = ()
        flag_pool = _FLAG_SENTENCES.get(sector, {})
        if flag_pool and len(pieces) < 3 and rng.random() < (0.25 if sector == VILLAGE else 0.1):
            flag = rng.choice(list(flag_pool))
            flags = (flag,)
            pieces.append((flag_pool[flag], False))
        if len(pieces) < 3 and rng.random() < 0.35:
            solved = [t for t, c in _SOLVED if c not in criteria] if sector in (VILLAGE, COMMUNITY) else []
            pool = list(_FILLERS[sector]) + solved
            pieces.append((rng.choice(pool), False))
        vacant = any(v for _, v in pieces)
        sentences = [t.format(**params) for t, _ in pieces]
        if rng.random() < 0.03:
            sentences = [s.replace("三会一课", "三会一颗") for s in sentences]
        return _join(sentences, rng), flags, vacant

    def criteria(self) -> tuple[int, ...]:
        rng = self.rng
        k = rng.choices((1, 2, 3), weights=(35, 50, 15))[0]
        while True:
            picked: list[int] = []
            while len(picked) < k:
                c = rng.choices(list(_CRITERION_WEIGHTS), weights=list(_CRITERION_WEIGHTS.values()))[0]
                if c not in picked:
                    picked.append(c)
            if not {1, 2} <= set(picked):
                return tuple(sorted(picked))

    def statuses(self, found_round: int) -> tuple[dict[int, str], bool]:
        """Status per round from the round the organization was found; whether it ends accepted."""
        rng = self.rng
        out: dict[int, str] = {}
        current = 0
        for r in ROUNDS:
            if r < found_round:
                continue
            if r == found_round:
                target = 0 if (r == 1 and rng.random() < 0.4) else 1
            elif r == 2:
                target = 2 if rng.random() < 0.2 else 1
            else:
                x = rng.random()
                target = 1 if x < 0.1 else (2 if x < 0.45 else 3)
            current = max(current, target)
            out[r] = STATUSES[current]
        return out, current == 3


def _join(sentences: list[str], rng: random.Random) -> str:
    """Sentences joined the way clerks number them (or do not)."""
    if len(sentences) < 2:
        return "".join(sentences)
    style = rng.random()
    if style < 0.6:
        return "".join(sentences)
    if style < 0.8:
        return "".join(f"{i}.{s}" for i, s in enumerate(sentences, 1))
    marks = "一二三"
    return "；".join(f"{marks[i]}是{s.rstrip('。')}" for i, s in enumerate(sentences)) + "。"
