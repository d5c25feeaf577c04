"""Patterns compiled as few alternations the regular expression engine can scan fast (weakorg.criteria).

A set of patterns matches the same texts however its branches are grouped, so nothing here changes a reading:
only how fast a clause is scanned (``bench/criteria.py --speed``). Python's engine skips the positions of a
text where no branch can start only when every branch of an alternation starts with a plain character; so a
branch that starts with a group of words ("(?:位置|职位)空缺") is spread into one branch per word ("位置空缺",
"职位空缺"), and the branches that still start otherwise (a class, an anchor, a lookbehind, an optional
character) go into a second alternation.
"""

from __future__ import annotations

import re
from itertools import pairwise


def _structure(pattern: str):
    """Each character of a pattern that gives it structure, with its index and the group depth after it: the
    parentheses and ``|``, leaving out what is escaped or inside a character class."""
    depth, in_class, escaped = 0, False, False
    for i, ch in enumerate(pattern):
        if escaped or ch == "\\":
            escaped = not escaped
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth += {"(": 1, ")": -1}.get(ch, 0)
            yield i, ch, depth


def branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("a(?:b|c)|d" -> ["a(?:b|c)", "d"])."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[start + 1 : end] for start, end in pairwise(bounds)]


def starts_with_a_character(branch: str) -> bool:
    """A branch that starts with a plain character (书记…), not a group, class, anchor or optional character."""
    return bool(branch) and branch[0] not in "([\\^.$" and branch[1:2] not in ("?", "*", "+", "{")


def _group_end(pattern: str) -> int:
    """The index of the parenthesis closing the group a pattern starts with (-1 if none)."""
    return next((i for i, ch, depth in _structure(pattern) if ch == ")" and depth == 0), -1)


def spread(branch: str) -> list[str]:
    """A branch "(?:a|b)rest" as ["arest", "brest"] when every word of its leading group starts with a plain
    character (groups in the words spread too); any other branch as it is."""
    end = _group_end(branch) if branch.startswith("(?:") else -1
    rest = branch[end + 1 :]
    if end < 0 or rest[:1] in ("?", "*", "+", "{"):
        return [branch]
    words = [w for word in branches(branch[3:end]) for w in spread(word)]
    return [w + rest for w in words] if all(starts_with_a_character(w) for w in words) else [branch]


def alternations(patterns: list[str]) -> tuple[re.Pattern, ...]:
    """Patterns as at most two alternations: the branches that start with a plain character, and the others."""
    for p in patterns:
        re.compile(p)  # a bad pattern fails here, named on its own
    spread_out = [w for p in patterns for b in branches(p) for w in spread(b)]
    plain = [b for b in spread_out if starts_with_a_character(b)]
    other = [b for b in spread_out if not starts_with_a_character(b)]
    return tuple(re.compile("|".join(part)) for part in (plain, other) if part)
