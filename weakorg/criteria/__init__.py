"""Free text -> the six criteria and the four key-rectification flags, by the rules in criteria.toml.

A 主要问题 text is cut into sentences (at 。；！？, line breaks and numbering such as 1. ① （一）
一是) and each sentence into clauses (at commas and colons). A clause's phrases count unless
the clause denies them (无…问题, 未发现…); a clause saying a problem is solved (已解决,
已于去年解决, 现已配齐) cancels the phrases of its sentence found so far. What remains is the
classification: criteria, flags, whether the secretary post is said to be vacant, and the
phrases that matched as evidence.

Patterns may name word groups of the rules file as ``{name}`` (expanded when the rules are
loaded). Some phrases count only when said of someone (``said_of``), or unless said by someone (``not_said_by``):
whom a clause speaks of, its subject, and whether it tells a current problem here (said of the past or of another
place, a step toward a fix, a resolution that refers to the sentence before or names an event told earlier, a heading
of measures) are read the same way for every criterion and flag by weakorg/criteria/scope.py, from the scope sections
of the rules file ([actors], [speakers], [past], [planned], [elsewhere], [resolved] about, events and told, [[masks]],
[secretary_is]); so are a form's fields (是否存在贿选：是, 书记缺职：否: [fields]) and a 台账 record's state (已销号,
销号：否: [record]). A said_of list naming ``nobody`` also counts in a text that has named no one yet
("能力不足，难以服众" is said of the secretary). ``across`` patterns read the counting clauses of a sentence
together, for a context named in one clause and the act in another ("上届选举，有候选人送烟送酒").
The text is made uniform first (weakorg/criteria/text.py: half-width, typos, rewrites, numbering as item breaks).

Each reading also says how sure it is (``confidence``: one of CONFIDENCE) and why not (``doubt``, in
Chinese): a text that names problems (PROBLEM_WORDS) but matches nothing is 待研判, never silently
"no criterion"; a reading whose evidence conflicts (a phrase cancelled by its resolution in the same
sentence, criteria 1 and 2 from one clause) or that read only the beginning of a long text is 低.
The confidence never changes which criteria are read.

A learned second opinion (weakorg/criteria/model.py, weights shipped in the package) then reads the text too:
a key counts when the rules read it and the model gives it at least LO (that key's: a model doubts some keys more
than others), or the model alone gives it at least HI in a text the rules read something in (ALONE in a text they
read nothing in but that names a problem: 待研判), unless the text denies it, says it is dealt with or past
(未发现宗族势力干扰, 已选出新书记: the model cannot read either), or says its phrases only of someone they do not
count for and never speaks of anyone they do (村干部能力不足: 2 is the secretary's); HI, LO and ALONE chosen
leaving a labelled set out: bench/criteria_train.py.
Its vote is evidence of the reading (MODEL_EVIDENCE), and where it disagrees with the rules the reading is 低.
Readings with rules of one's own (``rules=``) or ``model=False`` are the rules' alone.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from weakorg.criteria import clause as criteria_clause
from weakorg.criteria import marks as criteria_marks
from weakorg.criteria import model as criteria_model
from weakorg.criteria import records as criteria_records
from weakorg.criteria import scope as criteria_scope
from weakorg.criteria import text as criteria_text
from weakorg.criteria.rules import VACANT, Rules, default_rules
from weakorg.criteria.text import normalize
from weakorg.logsafe import exception_line
from weakorg.vocab import CRITERIA, FLAGS

log = logging.getLogger(__name__)

# How much of a text is read: a 主要问题 cell runs to a few hundred characters; a longer text is read up to here
# (its Classification says ``truncated``), so one pasted document cannot hold up a batch.
MAX_TEXT = 2000

# Clauses: cut at commas and colons, but not at a colon before a short value ("书记：空", "活动：无").
_CLAUSE = re.compile(r"[，,]+|[：:]+(?![^，,：:]{1,3}(?:$|[，,]))")

# How sure a reading is: the words users see, defined once.
HIGH, LOW, PENDING = "高", "低", "待研判"
CONFIDENCE = (PENDING, LOW, HIGH)  # most doubtful first: the 研判 page lists readings in this order
# Words that say a text names a problem: such a text matching nothing is 待研判 (an analyst reads it).
PROBLEM_WORDS = ("问题", "不", "没", "差", "难", "弱", "低", "缺", "未", "涣散", "滞后", "矛盾", "严重", "意见")
_PROBLEM = re.compile("|".join(PROBLEM_WORDS))
DOUBT_UNREAD = "写有“{word}”等问题字词，但未读出任何一条标准或重点整顿情形，请人工研判"
DOUBT_CANCELLED = "同一句中既写了问题又写了已解决或经查不实（“{phrase}”），请核对问题是否仍然存在"
DOUBT_ONE_OR_TWO = "同一分句既读出标准1（书记缺职）又读出标准2（书记不胜任）（“{clause}”），请核对书记是否在岗"
DOUBT_TRUNCATED = f"主要问题超过{MAX_TEXT}字，只读了前{MAX_TEXT}字，其后的内容请人工阅读"
# The shipped model file's SHA-256 (first 16 hex digits), written by bench/criteria_train.py train: the digests that
# say which rules read the stored texts (consolidate.readings_digest, the store's rules digest) hash this module, so a
# new model is a new digest and stored readings are read again (tests/test_criteria_model.py checks it matches).
MODEL_DIGEST = "06edf13ca41e1c86"
# The SHA-256 (first 16 hex digits) of the modules beside this one that change a reading (SCOPE_SOURCES): the stored
# readings' digests hash this module, so a change there must change this line (tests/test_criteria.py checks it).
SCOPE_SOURCES = (
    "rules.py",
    "scope.py",
    "marks.py",
    "text.py",
    "alternations.py",
    "clause.py",
    "records.py",
)
SCOPE_DIGEST = "fb025d81408fe4a0"
# The model's vote, as evidence of a key, and where it disagrees with the rules.
# (p: the model's probability that the key holds, said as 成立可能性93%)
MODEL_EVIDENCE = "模型判断（成立可能性{p:.0%}）"
MODEL_EVIDENCE_ALONE = "模型判断（成立可能性{p:.0%}；依据：{grams}）"
DOUBT_MODEL_ADDED = "规则未读出{key}，模型判断成立（成立可能性{p:.0%}），已计入，请核对"
DOUBT_MODEL_DROPPED = "规则读出{key}（“{phrase}”），模型判断不成立（成立可能性{p:.0%}），未计入，请核对"
DOUBT_MODEL_LEANS = "模型倾向于{key}{verdict}（成立可能性{p:.0%}），与读出结果不同，请核对"


@dataclass(frozen=True)
class Classification:
    """What a text states: criteria (1-6), flags (keys of vocab.FLAGS), a vacant post, and the matched phrases."""

    criteria: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()
    vacant: bool = False
    evidence: dict = field(default_factory=dict)  # criterion number or flag key (or "vacant") -> [phrases]
    truncated: bool = False  # the text was longer than MAX_TEXT characters: only its beginning was read
    confidence: str = HIGH  # one of CONFIDENCE
    doubt: str = ""  # why the reading is not sure (Chinese, for the 研判 page); "" when it is
    denied: frozenset = frozenset()  # keys whose phrases were only denied, dealt with or past: the model adds none


def _clause_hits(
    clause: str,
    rules: Rules,
    topic: criteria_scope.Topic = criteria_scope.START,
    feared: set | None = None,
    others: list | None = None,
    spoken: set = frozenset(),
) -> dict:
    """Key -> phrases matched in one clause (not yet judged for resolution); ``topic``: whom it speaks of. ``feared``:
    given a set, the keys the clause names only as prevented or feared (严防拉票贿选) are added to it. ``others``:
    given a list, (key, actors) of the ``said_of`` phrases the clause says of someone they do not count for
    (村干部能力不足: not the secretary's 2) are added to it, unless the text has spoken of one of them (``spoken``)."""
    words = criteria_clause.words(clause, rules)
    if words.feared and feared is not None:
        feared |= words.feared
    hits: dict = {}
    for key, phrases in words.scans:
        hits.setdefault(key, []).extend(phrases)
    for key, actors, phrases in words.said_of:
        if topic.about & actors:
            hits.setdefault(key, []).extend(phrases)
        elif others is not None and not actors & spoken:  # of others, and nothing to deny the model
            others.append((key, actors))
    for key, actors, found in words.not_said_by:
        said = [phrase for phrase, by in found if (topic.subject if by is None else by) not in actors]
        if said:
            hits.setdefault(key, []).extend(said)
    return hits


def _with_figures(sentence: str, pending: dict, rules: Rules) -> dict:
    """Criterion 6 added for a satisfaction figure below the threshold, not said to be rising or acceptable."""
    low = [m.group(0) for m in rules.figure.finditer(sentence) if criteria_text.percent(m) < rules.threshold]
    if not low or any(w in sentence for w in rules.not_low) or any(p.search(sentence) for p in rules.resolved):
        return pending
    return {**pending, 6: [*pending.get(6, []), *low]}


def _across(clauses: list[str], pending: dict, rules: Rules) -> dict:
    """Phrases of the ``across`` patterns found in the clauses that count, read together as one text."""
    if not rules.across or not clauses:
        return pending
    for key, phrases in criteria_clause.across("，".join(clauses), rules):
        pending = {**pending, key: [*pending.get(key, []), *phrases]}
    return pending


def classify(text, rules: Rules | None = None, model: criteria_model.Model | bool | None = None) -> Classification:
    """The criteria, flags and vacancy a 主要问题 text states (its first MAX_TEXT characters), with the evidence.

    ``model``: None, the shipped model with the shipped rules and none with rules of one's own; False, none.
    """
    reading = read_rules(text, rules)
    use = _model(rules, model)
    if use is None or not isinstance(text, str) or not text.strip():
        return reading
    prepared = model_text(text)
    return _with_model(reading, criteria_model.probabilities([prepared], use)[0], use, prepared)


@lru_cache(maxsize=1024)  # the rules' reading normalizes a text just before the model reads it: once
def model_text(text: str) -> str:
    """A text as the model reads it: its first MAX_TEXT characters normalized as the shipped rules normalize."""
    return normalize(text[:MAX_TEXT], default_rules())


def _model(rules: Rules | None, model: criteria_model.Model | bool | None) -> criteria_model.Model | None:
    """The model a reading uses (see ``classify``)."""
    if model is None:
        return criteria_model.default_model() if rules is None else None
    return None if model is False else criteria_model.default_model() if model is True else model


def read_rules(text, rules: Rules | None = None) -> Classification:
    """The reading of the rules alone."""
    if not isinstance(text, str) or not text.strip():
        return Classification()
    rules = rules or default_rules()
    scope = rules.scope
    truncated = len(text) > MAX_TEXT
    text = text[:MAX_TEXT]
    opened_item: list[bool] = []  # whether each sentence opened a numbered item
    read: list[dict] = []  # what each sentence adds (a sentence opening on a resolution may cancel the one before)
    doubts: list[str] = []  # why the reading is not sure (it never changes what is read)
    named = None  # the first problem word (PROBLEM_WORDS) of a clause not denied
    denied: set = set()  # keys named in denied, solved or past clauses (未发现宗族势力干扰, 已选出新书记, 以前闹得挺僵)
    topic = criteria_scope.START  # whom the text speaks of so far
    measures = False  # after a heading of measures (整改措施：) nothing is a problem
    record = criteria_records.Record(scope)  # the record of a 台账 (问题…整改情况…是否销号) read so far
    others: list = []  # (key, actors) of said_of phrases said of others (村干部能力不足: 2 is the secretary's)
    spoken: set = set()  # every actor the text speaks of
    normalized = model_text(text) if rules is default_rules() else normalize(text, rules)
    titles = criteria_scope.heads(normalized, scope)
    for item, sentence in criteria_scope.sentences(
        criteria_scope.asked_and_answered(
            criteria_marks.checklist(criteria_marks.turns(normalized, scope), scope), scope
        )
    ):
        pending: dict = {}
        kept: list[str] = []  # the clauses of the sentence that count so far
        opened = False  # a phrase of the sentence read before any resolution
        carry = criteria_scope.CURRENT  # the status the clause before hands on (the past carries on)
        finding = criteria_scope.finding(sentence, scope)  # 经核查：…不属实: answers the sentence before
        for clause in _CLAUSE.split(criteria_scope.answers_apart(sentence, scope)):
            if not clause:
                continue
            words = criteria_clause.words(clause, rules)
            about, topic = criteria_clause.speaks_of(clause, rules, topic, titles)
            spoken |= about.about
            state = criteria_scope.PLANNED if measures else criteria_clause.status(clause, sentence, rules, carry)
            correcting = words.corrects  # 更正一下，刚才说错了: the line before is void
            feared: set = set()  # 严防拉票贿选: named only as prevented or feared, no event the model may add
            form = words.form  # 是否存在贿选：是, 书记缺职：否: what its answer states
            if form is None:
                statement, negated = clause, words.negated
                hits = _clause_hits(clause, rules, about, feared, others, spoken)
                standing = words.standing
            else:
                hits, negated, statement = _field_hits(form, rules, about, feared, denied)
                standing = criteria_records.field_state(form, scope)
            if measures and form is not None and standing is not None:  # 整改措施：…；是否销号：是: a field of the
                state = criteria_clause.status(clause, sentence, rules, carry)  # record's state, no measure (unless
                measures = state == criteria_scope.PLANNED  # planned: 拟销号：是); the measures end
            resolved = state != criteria_scope.PLANNED and (
                correcting
                or standing == criteria_scope.CLOSED
                or (standing != criteria_scope.OPEN and criteria_clause.words(statement, rules).resolved)
            )
            denied.update(k for k in feared if k not in hits)
            if hits and not negated and state == criteria_scope.CURRENT:
                record.problem(len(read))  # told after a record's state: the next record
            if standing == criteria_scope.OPEN:  # 未销号, 销号：否: what the record's states closed is current again
                record.reopen(read)
            elif resolved and standing == criteria_scope.CLOSED and (gone := record.close(read, clause, sentence)):
                denied.update(gone - {VACANT})  # 已销号, 是否销号：是: what the record told before is closed ...
                named = None  # ... and none of it is left unread
            opens = finding or not (opened or (item and not correcting) or (hits and not negated))  # opens on it
            carry = criteria_scope.carried(state, clause)
            if state == criteria_scope.ELSEWHERE:  # 邻村曾发生…: nothing said of another place counts here
                denied.update(k for k in hits if k != VACANT)
                continue
            if read and resolved and opens and criteria_scope.refers_back(clause, sentence, scope):
                # 经整顿，已选出新书记: the sentence before is dealt with, as far as the resolution says; in a history
                # (2021年矛盾突出；2022年矛盾激化；2023年矛盾得到化解) so are the sentences before it that told the same
                for i in criteria_scope.told_before(sentence, read, opened_item, scope):
                    left = criteria_scope.answered(sentence, read[i], scope)
                    _cancelled({k: v for k, v in read[i].items() if k not in left}, doubts, denied)
                    read[i] = left
            if read and resolved and (events := criteria_scope.dealt_with(clause, sentence, scope, pending)):
                # 上访问题已妥善化解, 有人送烟酒拉票，已处理完毕: the event it names or its sentence told is dealt with
                # wherever the text told it before
                for i, before in enumerate(read):
                    if gone := criteria_scope.told(before, events, scope):
                        _cancelled(gone, doubts, denied)
                        read[i] = {k: v for k, v in before.items() if k not in gone}
            if not item and words.rejects:  # 四是…不再列入: only its item
                # 会议采纳纪检组长意见，不列入: what the speakers said before is not the reading
                for before in (*read, pending):
                    _cancelled(before, doubts, denied)
                read, pending, kept = [{} for _ in read], {}, []
            if pending and words.answers_no:  # 问：有人上访吗？答：没有
                _cancelled(pending, doubts, denied)
                pending, kept = {}, []
            if negated:
                denied.update(hits)
                if resolved:  # "经调查不存在此问题": the report before is void
                    _cancelled(pending, doubts, denied)
                    pending, kept = {}, []
                continue
            if measures or words.heading:
                measures = True  # 整改措施：… tells what will be done, no problem (nor one the model may add)
                denied.update(k for k in hits if k != VACANT)
                continue
            if form is None or form.yes or hits:  # a field answered no reading nothing names no problem (其他：无)
                named = named or _PROBLEM.search(clause)
            if hits and state == criteria_scope.PAST:
                denied.update(k for k in hits if k not in rules.flags)
                hits = {k: v for k, v in hits.items() if k in rules.flags}  # said of the past: flags only
            opened = opened or bool(hits)
            kept.append(clause)
            for key, phrases in hits.items():
                pending.setdefault(key, []).extend(phrases)
            if 1 in hits and 2 in hits:
                doubts.append(DOUBT_ONE_OR_TWO.format(clause=clause[:30]))
            if 1 in hits or VACANT in hits:  # whoever was spoken of is gone: "书记空缺，作风拖拉" is not about him
                topic = criteria_scope.AFTER_GONE
            if resolved:  # a record's closing state (…（已销号）) is no conflict: no doubt
                _cancelled(pending, [] if standing == criteria_scope.CLOSED else doubts, denied)
                pending, kept = {}, []
        read.append(_sentence_end(sentence, pending, kept, rules))
        opened_item.append(item)
    # said only of others, in a text that never speaks of anyone they count for (村干部能力不足, but not when the text
    # names the secretary too): no key the model may add either, unless the text reads it elsewhere
    denied.update(key for key, actors in others if not actors & spoken)
    found: dict = {}
    for pending in read:
        for key, phrases in pending.items():
            found.setdefault(key, []).extend(phrases)
    if VACANT in found:  # a vacant post is criterion 1
        found[1] = [*found.get(1, []), *found[VACANT]]
    evidence = {k: list(dict.fromkeys(v)) for k, v in found.items()}
    criteria = tuple(n for n in rules.criteria if n in evidence)
    flags = tuple(k for k in rules.flags if k in evidence)
    confidence, doubt = _confidence(named.group(0) if named else "", bool(criteria or flags), doubts, truncated)
    return Classification(
        criteria=criteria,
        flags=flags,
        vacant=VACANT in evidence,
        evidence=evidence,
        truncated=truncated,
        confidence=confidence,
        doubt=doubt,
        denied=frozenset(denied - set(evidence)),
    )


def _field_hits(form: criteria_records.Field, rules: Rules, topic, feared: set, denied: set) -> tuple[dict, bool, str]:
    """Key -> phrases a form's field states, whether it denies them, and the statement read (criteria_records.field_of).
    Answered yes: what its label states (是否存在贿选 -> 存在贿选), and what a no would have stated is denied (书记
    是否胜任：是: not 2). Answered no: the keys its label names are denied (书记缺职：否); when it names none, what it
    states answered no is read, its evidence the field as written (班子配备是否齐全：否 -> 班子配备不齐全: 1), or the
    field as written when its label has no question word (三会一课：无: 5)."""
    said = _clause_hits(form.said, rules, topic, feared if form.yes else None)  # feared only where stated
    if form.yes:
        if form.opposite:
            denied.update(k for k in _clause_hits(form.opposite, rules, topic) if k not in said and k != VACANT)
        return said, any(p.search(form.said) for p in rules.negated), form.said
    if said:  # denied: a vacant post denied is criterion 1 denied (书记缺职：否)
        return ({1: said[VACANT]} | said if VACANT in said else said), True, form.said
    statement = form.opposite or form.text
    hits = _clause_hits(statement, rules, topic, feared)
    if form.opposite:
        hits = {k: [form.text] for k in hits}
    return hits, any(p.search(statement) for p in rules.negated), statement


def _sentence_end(sentence: str, pending: dict, kept: list[str], rules: Rules) -> dict:
    """A sentence's phrases once it is read: its ``across`` patterns and figures added, 2 dropped for 1 when only
    the illness or age that took the secretary away says it, 5 dropped for 3 when no party meeting is named."""
    pending = _across(kept, pending, rules)
    pending = _with_figures(sentence, pending, rules)
    if 1 in pending and 2 in pending and _only(pending[2], rules.gone_not_weak):  # gone for long → 1, not 2
        del pending[2]
    unable, because = rules.weak_not_gone
    if (
        1 in pending
        and VACANT not in pending
        and _only(pending[1], unable)
        and any(p.search(sentence) for p in because)
    ):
        pending = {k: v for k, v in pending.items() if k != 1} | {2: [*pending.get(2, []), *pending[1]]}  # too old: 2
    meeting = rules.party_meeting  # searched only in a sentence reading both 3 and 5
    if 3 in pending and 5 in pending and meeting and not any(p.search(sentence) for p in meeting):
        del pending[5]  # 吵得会都开不成: 3, not 5, unless a party meeting is named
    return pending


def _only(phrases: list[str], patterns: tuple[re.Pattern, ...]) -> bool:
    """Every phrase matches one of the patterns (none when there are no patterns)."""
    return bool(patterns) and all(any(p.search(x) for p in patterns) for x in phrases)


def _cancelled(pending: dict, doubts: list[str], denied: set) -> None:
    """A resolution (or a report found untrue) cancels phrases of its sentence: the reading notes the conflict, and
    the keys it cancels are denied to the model."""
    denied.update(k for k in pending if k != VACANT)
    phrases = [p for key, ps in pending.items() if key != VACANT for p in ps]
    if phrases:
        doubts.append(DOUBT_CANCELLED.format(phrase=phrases[0]))


def _confidence(named: str, read: bool, doubts: list[str], truncated: bool) -> tuple[str, str]:
    """How sure a reading is (one of CONFIDENCE) and why not: 待研判 when a clause not denied names a problem
    (``named``: its word) but nothing is read."""
    if truncated:
        doubts = [*doubts, DOUBT_TRUNCATED]
    if not read and not doubts and named:
        return PENDING, DOUBT_UNREAD.format(word=named)
    if doubts:
        return LOW, "；".join(dict.fromkeys(doubts))
    return HIGH, ""


def _key_name(key) -> str:
    """A criterion or flag as users read it: 标准1, or the flag's name."""
    return f"标准{key}" if key in CRITERIA else FLAGS[key]


# The labelled texts the model learned from are at most about 240 characters: over a longer text its probabilities
# are spread across more than it ever saw together (one clause among pages of others), so there it may add a key or
# voice a doubt but not drop what the rules read.
MODEL_VETO_CHARS = 400


def _with_model(reading: Classification, p, model: criteria_model.Model, text: str) -> Classification:
    """A rules reading combined with the model's probabilities ``p`` (criteria_model.KEYS order) for the text."""
    evidence = {k: list(v) for k, v in reading.evidence.items()}
    doubts: list[str] = []
    some = bool(reading.criteria or reading.flags)  # the rules read something: the model adds at HI, else at ALONE
    may_add = some or reading.confidence == PENDING  # from nothing, only where the text names a problem (群众满意: no)
    may_drop = len(text) <= MODEL_VETO_CHARS
    for j, (key, prob) in enumerate(zip(criteria_model.KEYS, p.tolist(), strict=True)):
        ruled = key in reading.criteria or key in reading.flags
        if ruled and (prob >= model.lo_of(j) or not may_drop):
            evidence[key].append(MODEL_EVIDENCE.format(p=prob))
            if prob < 0.5:
                doubts.append(DOUBT_MODEL_LEANS.format(key=_key_name(key), verdict="不成立", p=prob))
        elif ruled:
            doubts.append(DOUBT_MODEL_DROPPED.format(key=_key_name(key), phrase=evidence.pop(key)[0], p=prob))
            if key == 1:
                evidence.pop(VACANT, None)
        elif may_add and prob >= (model.hi if some else model.alone) and key not in reading.denied:  # not denied
            grams = "、".join(criteria_model.carried(text, key, model)) or "—"
            evidence[key] = [MODEL_EVIDENCE_ALONE.format(p=prob, grams=grams)]
            doubts.append(DOUBT_MODEL_ADDED.format(key=_key_name(key), p=prob))
        elif prob >= 0.5:
            doubts.append(DOUBT_MODEL_LEANS.format(key=_key_name(key), verdict="成立", p=prob))
    criteria = tuple(n for n in CRITERIA if n in evidence)
    flags = tuple(k for k in FLAGS if k in evidence)
    if not doubts:
        return Classification(
            criteria, flags, reading.vacant, evidence, reading.truncated, reading.confidence, reading.doubt
        )
    unread = reading.confidence == PENDING and bool(criteria or flags)  # the model read what the rules did not
    doubt = "；".join(d for d in (None if unread else reading.doubt, *doubts) if d)  # so "未读出" no longer holds
    confidence = PENDING if reading.confidence == PENDING and not (criteria or flags) else LOW
    return Classification(criteria, flags, VACANT in evidence, evidence, reading.truncated, confidence, doubt)


# Readings remembered by classify_many (the shipped rules and model): consolidation and the checks read the same
# registers. Forgotten all at once when full.
REMEMBER = 200_000
_remembered: dict = {}
# Readings another process is making (futures of read_ahead, from the reader's pool): remembered once a reading is
# needed, so that what needs none (the reading of the files, most checks) goes on meanwhile.
_awaited: list = []
_awaited_lock = threading.Lock()


def forget() -> None:
    """Forget the readings classify_many remembers, those awaited and the clauses read (after the rules or the model
    change; benchmarks)."""
    with _awaited_lock:
        for future in _awaited:
            future.cancel()
        _awaited.clear()
    _remembered.clear()
    criteria_clause.forget()


def await_readings(futures: Iterable) -> None:
    """Futures of ``read_ahead`` made elsewhere (the reader's pool): remembered when a reading is next needed."""
    with _awaited_lock:
        _awaited.extend(futures)


def _arrived(wait: bool = True) -> None:
    """Remember the awaited readings (``wait=False``: only those done); a future that failed is forgotten, its texts
    read here when needed."""
    with _awaited_lock:
        taken = [f for f in _awaited if wait or f.done()]
        _awaited[:] = [f for f in _awaited if not (wait or f.done())]
    for future in taken:
        try:
            remember(future.result())
        except Exception as exc:  # a broken pool: the texts are read where they are needed
            log.warning("the process pool did not read 主要问题 texts (%s)", exception_line(exc))


def read_ahead(texts: Iterable) -> dict:
    """The shipped reading of each distinct text (text -> Classification), read afresh and not remembered here: the
    reader's pool reads a batch's texts and hands them to the process that remembers them (``remember``)."""
    keys = list(dict.fromkeys(t for t in texts if isinstance(t, str)))
    return dict(zip(keys, _read_batch(keys), strict=True))


def remembered(text: str, wait: bool = True) -> Classification | None:
    """The shipped reading ``classify_many`` has of this text already, or None; ``wait``: once the awaited readings
    are in (else only those done)."""
    if _awaited:
        _arrived(wait)
    return _remembered.get(text)


def remember(readings: dict) -> None:
    """Readings of the shipped rules and model made in another process (``read_ahead``), kept as if read here."""
    if len(_remembered) + len(readings) > REMEMBER:
        _remembered.clear()
        criteria_clause.forget()
    _remembered.update(readings)


def _read_batch(texts: list) -> list[Classification]:
    """The texts read by the shipped rules and model: the model over all of them at once."""
    model = criteria_model.default_model()
    readings, todo, prepared = [], [], []
    for i, t in enumerate(texts):
        readings.append(read_rules(t))
        if model is not None and isinstance(t, str) and t.strip():
            todo.append(i)
            prepared.append(model_text(t))  # normalized by the rules just before: remembered
    if not todo:
        return readings
    probs = criteria_model.probabilities(prepared, model)
    for i, text, p in zip(todo, prepared, probs, strict=True):
        readings[i] = _with_model(readings[i], p, model, text)
    return readings


def classify_many(texts: pd.Series, rules: Rules | None = None) -> pd.Series:
    """``classify`` over a frame column, once per distinct text; a Series of Classification on the same index."""
    keys = [t if isinstance(t, str) else None for t in texts]
    if rules is not None:
        distinct = {t: classify(t, rules) for t in dict.fromkeys(keys)}
    else:
        if _awaited:
            _arrived()
        new = [t for t in dict.fromkeys(keys) if t not in _remembered]
        if len(_remembered) + len(new) > REMEMBER:
            forget()
        _remembered.update(zip(new, _read_batch(new), strict=True))
        distinct = _remembered
    return pd.Series([distinct[t] for t in keys], index=texts.index, dtype=object)
