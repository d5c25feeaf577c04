"""The campaign file (TOML): units, their aliases, deadline and the campaign's name."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path

CAMPAIGNS_DIR = Path(__file__).parent / "campaigns"
DEFAULT_CAMPAIGN = CAMPAIGNS_DIR / "loudi-2014.toml"

# Decorations around a unit's name in real returns: party prefix, organ suffix, seal note.
NEAR_UNIT = 0.6  # how alike a name must be to a unit's to be offered as what it meant (双锋县 and 双峰县: 0.67)
_UNIT_NOISE = re.compile(r"^中共|（盖章）|\(盖章\)|盖章|组织部$|委组织部$|党委组织部$")


_SPACES = re.compile(r"\s+")
SHORT_TEXT = 64  # texts up to this long are normalised once per process: names, labels, units (they recur)


def normalize_text(text: object) -> str:
    """Full-width to half-width, no whitespace at all: the form names are compared in."""
    if type(text) is str and len(text) <= SHORT_TEXT:
        return _normalize_short(text)
    return _normalize(text)


def _normalize(text: object) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text or "")))


_normalize_short = lru_cache(maxsize=1 << 16)(_normalize)


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


ADDRESSEES = "各填报单位"  # the 通报's 主送 when the campaign file names none


@dataclass(frozen=True)
class Campaign:
    name: str
    city: str
    issuer: str
    document: str
    issued_on: date
    deadline: date
    rectification_end: date
    units: tuple[Unit, ...]
    rounds: tuple[date, ...] = ()  # every report date (第1次, 第2次, …), earliest first; the file's ``rounds``
    addressees: str = ADDRESSEES  # whom the 通报 is addressed to (主送), the file's ``addressees``
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def year(self) -> int:
        return self.deadline.year

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units)

    def canonical_unit(self, text: object) -> str | None:
        """The canonical unit a loosely written name stands for, or None."""
        key = normalize_text(text)
        if not key:
            return None
        if key in self._lookup:
            return self._lookup[key]
        stripped = _UNIT_NOISE.sub("", key)
        stripped = _UNIT_NOISE.sub("", stripped)
        for candidate in (stripped, stripped + "区", stripped + "县", stripped + "市"):
            if candidate in self._lookup:
                return self._lookup[candidate]
        return None

    def nearest_unit(self, text: object) -> str | None:
        """The one unit a name of none is closest to, a character or so off (双锋县 for 双峰县), or None."""
        key = _UNIT_NOISE.sub("", _UNIT_NOISE.sub("", normalize_text(text)))
        if not key:
            return None
        score: dict[str, float] = {}
        for alias, unit in self._lookup.items():
            score[unit] = max(score.get(unit, 0.0), SequenceMatcher(None, key, alias).ratio())
        ranked = sorted(score.values(), reverse=True)
        best = max(score, key=score.__getitem__)
        return best if ranked[0] >= NEAR_UNIT and (len(ranked) == 1 or ranked[1] < ranked[0]) else None


def _build_lookup(units: tuple[Unit, ...]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for unit in units:
        for alias in (unit.name, *unit.aliases):
            lookup[normalize_text(alias)] = unit.name
    return lookup


CAMPAIGN_NOT_FOUND = "整顿工作配置文件不存在：{path}。请改正路径。"
CAMPAIGN_NOT_TOML = "整顿工作配置文件{path}不是有效的TOML格式（{where}），请改正后重试。"
CAMPAIGN_LACKS = "整顿工作配置文件{path}缺少“{key}”一项，请参照 weakorg/campaigns/loudi-2014.toml 补全。"
CAMPAIGN_WRONG = "整顿工作配置文件{path}的内容不完整或有误，请参照 weakorg/campaigns/loudi-2014.toml 改正。"


class CampaignInvalid(ValueError):
    """A campaign file that cannot be used: not there, not TOML, an item missing (``message`` says so in Chinese)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def load_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign described by a TOML file (the shipped default when none is given); CampaignInvalid when the file
    cannot be used."""
    path = path or DEFAULT_CAMPAIGN
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        return _campaign(raw)
    except FileNotFoundError:
        raise CampaignInvalid(CAMPAIGN_NOT_FOUND.format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        said = f"第{where.group(1)}行第{where.group(2)}列附近" if where else "无法解析"
        raise CampaignInvalid(CAMPAIGN_NOT_TOML.format(path=path, where=said)) from None
    except KeyError as exc:
        raise CampaignInvalid(CAMPAIGN_LACKS.format(path=path, key=exc.args[0])) from None
    except (TypeError, ValueError, AttributeError):
        raise CampaignInvalid(CAMPAIGN_WRONG.format(path=path)) from None


def _campaign(raw: dict) -> Campaign:
    units = tuple(Unit(u["name"], u.get("kind", ""), tuple(u.get("aliases", ()))) for u in raw["units"])
    return Campaign(
        name=raw["name"],
        city=raw["city"],
        issuer=raw["issuer"],
        document=raw["document"],
        issued_on=raw["issued_on"],
        deadline=raw["deadline"],
        rectification_end=raw["rectification_end"],
        units=units,
        rounds=tuple(sorted({raw["deadline"], *raw.get("rounds", ()), raw["rectification_end"]})),
        addressees=str(raw.get("addressees") or ADDRESSEES).strip().rstrip("：:") or ADDRESSEES,
        _lookup=_build_lookup(units),
    )


CAMPAIGN_ENV = "WEAKORG_CAMPAIGN"  # the campaign file the app and the CLI use by default (another year, city)
CAMPAIGN_MISSING = "环境变量 WEAKORG_CAMPAIGN 所指的整顿工作配置文件不存在：{path}。请改正路径，或删除该变量。"


class CampaignFileMissing(FileNotFoundError):
    """The campaign file WEAKORG_CAMPAIGN names is not there (``message`` says so in Chinese)."""

    def __init__(self, path: str) -> None:
        self.message = CAMPAIGN_MISSING.format(path=path)
        super().__init__(self.message)


@cache
def default_campaign() -> Campaign:
    """The campaign in force: the file ``WEAKORG_CAMPAIGN`` names, else the shipped default (Loudi, 2014); once."""
    named = os.environ.get(CAMPAIGN_ENV)
    if named and not Path(named).is_file():
        raise CampaignFileMissing(named)
    return load_campaign(named or DEFAULT_CAMPAIGN)
