"""What an organization's name tells: its category, and whether it is a village organization."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from weakorg.vocab import CATEGORY_BY_NAME, FIRM_CATEGORIES, VILLAGE_CATEGORY_BY_NAME, VILLAGE_NAME

_RULES = tuple((re.compile(pattern), category) for pattern, category in CATEGORY_BY_NAME)
_VILLAGE = re.compile(VILLAGE_NAME)


def _plain(name) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)) if isinstance(name, str) else ""


def category_from_name(name, allowed: Iterable[str] | None = None) -> str | None:
    """The category a name suggests (…村 农村, …社区 街道社区, …学校 学校…); a firm is whichever kind ``allowed`` holds.

    A firm's name (…公司, …厂) is 国有企业 or 非公有制经济组织: the one among ``allowed`` (the unit's
    F1 categories) when exactly one is, else None. None too when the name suggests nothing.
    """
    plain = _plain(name)
    for pattern, category in _RULES:
        if pattern.search(plain):
            if category == FIRM_CATEGORIES:
                kinds = [c for c in FIRM_CATEGORIES if c in set(allowed or ())]
                return kinds[0] if len(kinds) == 1 else None
            return category
    return None


def looks_like_firm(name) -> bool:
    """Whether a name is a firm's (…公司, …厂), state-owned or not."""
    plain = _plain(name)
    return next((c for p, c in _RULES if p.search(plain)), None) == FIRM_CATEGORIES


def is_village(name) -> bool:
    """Whether a name is a village organization's (…村党支部, …村党总支, …村)."""
    plain = _plain(name)
    return bool(_VILLAGE.search(plain)) and category_from_name(plain) == VILLAGE_CATEGORY_BY_NAME
