"""What the words of one clause of a 主要问题 text say, whatever the text around them (weakorg.criteria): the phrases
each pattern of the rules matches in it and what weakorg/criteria/scope.py reads in it alone, read once per distinct
clause; and whom it speaks of and its status, once per distinct clause in its context.

Texts share clauses (a city's 434 distinct texts have about 300 distinct clauses among their 2,000), so what a
rules object (hashed by identity) reads in a clause is remembered; how the clauses of a text bear on each other is
judged afresh by weakorg.criteria for every text read.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from weakorg.criteria import records as criteria_records
from weakorg.criteria import scope as criteria_scope
from weakorg.criteria.rules import Rules

MEMO = 50_000  # distinct clauses (or clauses in a context) remembered, each function: the least recently used go
# A topic naming no one: criteria_scope.subject_at gives its subject, None, when no actor is named before a phrase.
_NO_TOPIC = criteria_scope.Topic(frozenset(), None)


class Words(NamedTuple):
    """The phrases of a clause, before whom it speaks of is known."""

    feared: frozenset  # the keys it names only as prevented or feared (criteria_scope.masked)
    scans: tuple  # (key, phrases) of each of the rules' ``scans`` that matches, in their order
    said_of: tuple  # (key, actors, phrases) of each of the rules' ``said_of`` that matches, in their order
    not_said_by: tuple  # (key, actors, ((phrase, the actor named before it or None), ...)) of each ``not_said_by``
    # that matches, in their order
    negated: bool  # it denies its phrases (无…问题, 未发现…)
    resolved: bool  # it says a problem is solved (已解决) or a report untrue
    form: criteria_records.Field | None  # the form's field it is (criteria_records.field_of)
    standing: str | None  # the record state it states (criteria_records.record_state)
    corrects: bool  # it corrects the line before (criteria_scope.corrects)
    heading: bool  # it is a heading of measures (criteria_scope.heading)
    rejects: bool  # it decides not to list the organization (criteria_scope.rejects)
    answers_no: bool  # it answers only no (criteria_scope.answers_no)


@lru_cache(maxsize=MEMO)
def words(clause: str, rules: Rules) -> Words:
    """What a clause says whatever its context."""
    return read(clause, rules)


@lru_cache(maxsize=MEMO)
def speaks_of(clause: str, rules: Rules, before: criteria_scope.Topic, titles: frozenset) -> tuple:
    """criteria_scope.speaks_of."""
    return criteria_scope.speaks_of(clause, rules.scope, before, titles)


@lru_cache(maxsize=MEMO)
def status(clause: str, sentence: str, rules: Rules, before: str) -> str:
    """criteria_scope.status."""
    return criteria_scope.status(clause, sentence, rules.scope, before)


@lru_cache(maxsize=MEMO)
def across(joined: str, rules: Rules) -> tuple:
    """(key, phrases) of each of the rules' ``across`` patterns that matches a sentence's counting clauses read together
    (``joined``), in their order."""
    return tuple((key, tuple(m.group(0) for m in p.finditer(joined))) for key, p in rules.across if p.search(joined))


def forget() -> None:
    """Forget the clauses read (benchmarks)."""
    for memo in (words, speaks_of, status, across):
        memo.cache_clear()


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
    for key, actors, p in rules.said_of:
        text = masked.get(key, clause)
        if p.search(text):
            said_of.append((key, actors, tuple(m.group(0) for m in p.finditer(text))))
    not_said_by = []
    for key, actors, p in rules.not_said_by:
        text = masked.get(key, clause)
        if p.search(text):
            at = criteria_scope.subject_at
            found = tuple((m.group(0), at(text, m.start(), scope, _NO_TOPIC)) for m in p.finditer(text))
            not_said_by.append((key, actors, found))
    return Words(
        frozenset(feared),
        tuple(scans),
        tuple(said_of),
        tuple(not_said_by),
        negated=any(p.search(clause) for p in rules.negated),
        resolved=any(p.search(clause) for p in rules.resolved),
        form=criteria_records.field_of(clause, scope),
        standing=criteria_records.record_state(clause, scope),
        corrects=criteria_scope.corrects(clause, scope),
        heading=criteria_scope.heading(clause, scope),
        rejects=criteria_scope.rejects(clause, scope),
        answers_no=criteria_scope.answers_no(clause, scope),
    )
