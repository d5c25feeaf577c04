"""What the words of one clause of a 主要问题 text say, whatever the text around them (weakorg.criteria): the phrases
each pattern of the rules matches in it, read once per distinct clause.

Texts share clauses (a city's 434 distinct texts have about 300 distinct clauses among their 2,000), so what the
shipped rules read in a clause is remembered; whom the text speaks of, the clause's status and the rest of the
reading are judged afresh by weakorg.criteria for every clause read.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from weakorg import criteria_scope
from weakorg.criteria_rules import Rules, default_rules

MEMO = 50_000  # distinct clauses whose words the shipped rules' reading remembers (forgotten least recently used)
# A topic naming no one: criteria_scope.subject_at gives its subject, None, when no actor is named before a phrase.
_NO_TOPIC = criteria_scope.Topic(frozenset(), None)


class Words(NamedTuple):
    """The phrases of a clause, before whom it speaks of is known."""

    feared: frozenset  # the keys it names only as prevented or feared (criteria_scope.masked)
    scans: tuple  # (key, phrases) of each of the rules' ``scans`` that matches, in their order
    said_of: tuple  # for each of the rules' ``said_of``: its phrases (() when it does not match)
    not_said_by: tuple  # for each of the rules' ``not_said_by``: (phrase, the actor named before it or None)


def words(clause: str, rules: Rules) -> Words:
    """What the rules' patterns match in a clause (remembered for the shipped rules)."""
    return _shipped(clause) if rules is default_rules() else read(clause, rules)


@lru_cache(maxsize=MEMO)
def _shipped(clause: str) -> Words:
    return read(clause, default_rules())


def forget() -> None:
    """Forget the clauses read (benchmarks; after the shipped rules change)."""
    _shipped.cache_clear()


def read(clause: str, rules: Rules) -> Words:
    """What the rules' patterns match in a clause, each pattern reading the clause with the words masked for its key."""
    scope = rules.scope
    masked, feared = criteria_scope.masked(clause, scope) if scope.masks else ({}, set())
    scans = []
    for key, p in rules.scans:
        text = masked.get(key, clause)
        if p.search(text):  # most scans miss: search first, collect the phrases only on a hit
            scans.append((key, tuple(m.group(0) for m in p.finditer(text))))
    said_of = []
    for key, _, p in rules.said_of:
        text = masked.get(key, clause)
        said_of.append(tuple(m.group(0) for m in p.finditer(text)) if p.search(text) else ())
    not_said_by = []
    for key, _, p in rules.not_said_by:
        text = masked.get(key, clause)
        at = criteria_scope.subject_at
        found = p.finditer(text) if p.search(text) else ()
        not_said_by.append(tuple((m.group(0), at(text, m.start(), scope, _NO_TOPIC)) for m in found))
    return Words(frozenset(feared), tuple(scans), tuple(said_of), tuple(not_said_by))
