"""A 主要问题 text's form fields and 台账 records (weakorg.criteria): a field (是否存在贿选：是) read as the statement
its label makes, and a record's state (已销号; 未销号) closing or keeping open the problems told before it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from weakorg.criteria.scope import CLOSED, OPEN, Scope, lasts


class Field(NamedTuple):
    """A form's field read as a statement: what its label says (``said``: 存在贿选 for 是否存在贿选, 书记缺职 for
    itself), what it says answered no when it has a question word (``opposite``: 班子配备不齐全 for 班子配备是否齐全;
    "" without one), the answer (``yes``) and the field as written (``text``: the evidence of what ``opposite``
    reads)."""

    said: str
    opposite: str
    yes: bool
    text: str


def field_of(clause: str, scope: Scope) -> Field | None:
    """The clause as a form's field (a label and its answer: 是否存在贿选：是, 书记缺职：否, 班子配备是否齐全——否),
    else None. A label's question word (是否, 有无) gives way to its yes or its no (是否存在贿选 -> 存在贿选, 班子配备
    是否齐全 -> 班子配备不齐全)."""
    if scope.field is None or clause.rstrip(")")[-1:] not in scope.answer_ends:
        return None
    m = scope.field.fullmatch(clause)
    if m is None:
        return None
    label, yes = m.group("label"), m.group("answer") in scope.yes
    q = scope.question.search(label) if scope.question is not None else None
    if q is None:
        return Field(label, "", yes, clause)
    word = q.group(0)
    _, said, opposite = next(x for x in scope.questions if x[0] == word)
    before, after = label[: q.start()], label[q.end() :]
    return Field(before + said + after, before + opposite + after, yes, clause)


def record_state(statement: str, scope: Scope) -> str | None:
    """CLOSED when a statement says its record's problems are closed (已销号, 整改到位), OPEN when it says they are not
    (未销号, 整改中), else None."""
    if scope.open is not None and scope.open.search(statement):
        return OPEN
    if scope.closed is not None and scope.closed.search(statement):
        return CLOSED
    return None


def field_state(f: Field, scope: Scope) -> str | None:
    """A field's record state: what its label states answered yes, the opposite answered no (销号：否, 是否销号：否:
    OPEN)."""
    state = record_state(f.said, scope)
    if f.yes:
        return state
    if state is not None:
        return OPEN if state == CLOSED else CLOSED
    return record_state(f.opposite, scope) if f.opposite else None


@dataclass
class Record:
    """A record of a 台账 (问题…整改情况…是否销号) as a text is read: it runs from its first problem (``start``, an
    index into the sentences read) to its states; what a closing state took away is given back by an opening one, and
    a problem told after a state opens the next record (问题①…（已销号）；②…（整改中，未销号）)."""

    scope: Scope
    start: int = 0
    closed: list = field(default_factory=list)  # (sentence index, key -> phrases) a closing state took away
    stated: bool = False  # a state was told: the next problem opens the next record

    def problem(self, at: int) -> None:
        """A problem is told in sentence ``at``: after a state, the next record starts there."""
        if self.stated:
            self.start, self.closed, self.stated = at, [], False

    def close(self, read: list[dict], clause: str, sentence: str) -> set:
        """A closing state (``clause``: 已销号, 是否销号：是) closes the problems the record told in the sentences
        before (``read``, emptied), unless it or a clause before it in its sentence names a problem of its own
        ([resolved] own, named) or its sentence says something lasts. The keys it closed."""
        self.stated = True
        told = sentence[: sentence.find(clause)]
        if (
            lasts(sentence, self.scope)
            or any(p.search(clause) for p in self.scope.own)
            or any(p.search(told) for p in self.scope.named)
        ):
            return set()
        gone = [(i, read[i]) for i in range(self.start, len(read)) if read[i]]
        for i, _ in gone:
            read[i] = {}
        self.closed.extend(gone)
        return {k for _, phrases in gone for k in phrases}

    def reopen(self, read: list[dict]) -> None:
        """An opening state (未销号, 销号：否): what the record's states closed is read again."""
        for i, phrases in self.closed:
            read[i] = {k: [*read[i].get(k, []), *v] for k, v in phrases.items()} | {
                k: v for k, v in read[i].items() if k not in phrases
            }
        self.closed, self.stated = [], True
