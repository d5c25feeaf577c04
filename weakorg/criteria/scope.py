"""What a clause of a 主要问题 text is said of, and whether it tells a current problem (weakorg.criteria).

Every criterion and flag is read through the same scope, from the sections of criteria.toml:

- who: a clause speaks of the actors it names ([actors]) and hands them on to the next clause that names none. A
  ``not_said_by`` list of a criterion or flag counts unless the phrase's subject is one of its actors: the last actor
  named before it that is no object ([objects]: 对书记, 向两委), else the subject handed on (两委成员对书记意见较大 is
  friction, not the people's discontent; 村会计与书记吵翻 is no divided leadership). People who only judge
  ([speakers]: 群众不认可, 群众反映) hand on the topic before them (群众不认可，号召力差: the secretary's authority).
- when: a clause said of the past ([past]: 曾, 以前, 一度), and the clauses after it in its sentence until one is back
  in the present, counts for flags only unless the sentence says it lasts; a clause that tells a step toward a fix
  ([planned]: 拟…, 已递交请示, 已制定计划) solves nothing; the clauses after a heading of measures (整改措施：) tell no
  problem; a sentence that opens on a resolution (经整顿，已选出新书记; 现已平息) answers the sentence before it, for
  the keys whose words it names ([resolved] about; all when it names none), unless it says something lasts, the
  resolution names a problem or achievement of its own ([resolved] own) or it opens a numbered item; when it names
  its keys, so is the run of sentences before that told them (a history: 2021年矛盾突出；2022年矛盾激化；2023年矛盾
  得到化解). A report found untrue (经核实不属实, 查无实据) is a resolution too; a correction ([resolved] corrects: 更正
  一下，刚才说错了) answers the line before even across lines; a decision not to list after speakers who disagree
  ([resolved] rejects: 会议采纳…意见，不列入) voids all said before; an interview's answer saying only no ([resolved]
  answer_no: 问：有人上访吗？答：没有) denies what its question named (a question and its answer are one sentence).
- what: [masks] blank the words that name something handled or a quality rather than a problem for the keys they
  list (化解矛盾 is no friction; 服务能力不足 is no short leadership) before those keys are read; a mask with ``deny``
  (严防拉票贿选, 容易引发群体性事件: prevention or a risk, no event) also denies its keys to the model.
- where: a clause said of another place ([elsewhere]: 邻村曾发生…), and the clauses after it in its sentence until
  one is back here (本村未发现) or in the present, counts for nothing here.
- fields (records.py): a form's field, a label and its answer ([fields]: 是否存在贿选：是; ①书记缺职：否),
  states what its label says answered so (``field_of``: 存在贿选; the keys of 书记缺职 denied; 班子配备不齐全 for
  班子配备是否齐全：否), read as any clause; a record's state ([record]: 已销号, 销号：是, 整改到位; 未销号,
  销号：否, 整改中) closes or keeps open the problems its record told before it (``record_state``), a problem told
  after a state opening the next record.
- dealt with anywhere: a resolution naming a flag's event ([resolved] events: 上访问题已妥善化解, 宗族干扰问题已经
  消除) cancels that flag wherever the text told that event before ([resolved] told), unless its sentence says
  something lasts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from weakorg.criteria.marks import ITEM, alone, marks_pattern, options_pattern

NOBODY = "nobody"  # the actor of a text that has named no one yet (a said_of list may name it)
GONE = "gone"  # after a clause saying whoever was spoken of is gone (a said_of list may name it)
CURRENT, PAST, PLANNED, ELSEWHERE = "current", "past", "planned", "elsewhere"  # a clause's status
CLOSED, OPEN = "closed", "open"  # a record's state (已销号, 整改到位; 未销号, 整改中)
MASK = "□"  # what a masked word becomes: no pattern reads it, the clause keeps its length


class Topic(NamedTuple):
    """Who a clause speaks of (``about``) and its subject (the first actor it names that is no object)."""

    about: frozenset
    subject: str


START = Topic(frozenset({NOBODY}), NOBODY)
AFTER_GONE = Topic(frozenset({GONE}), GONE)


@dataclass(frozen=True)
class Scope:
    """The compiled scope sections of a criteria file."""

    actors: re.Pattern | None = None  # one named group per actor
    secretary_is: tuple[re.Pattern, ...] = ()  # group 1: the title of a head who is also the secretary
    past: tuple[re.Pattern, ...] = ()  # a clause said of the past ...
    lasting: tuple[re.Pattern, ...] = ()  # ... unless its sentence says the problem lasts
    present: tuple[re.Pattern, ...] = ()  # a clause back in the present (现在, 目前, 但): the past does not carry on
    planned: tuple[re.Pattern, ...] = ()  # a clause telling a measure planned or under way
    measures: tuple[re.Pattern, ...] = ()  # a heading after which every clause tells measures
    speakers: tuple[re.Pattern, ...] = ()  # people judging: they do not take the topic
    objects: re.Pattern | None = None  # before an actor: the actor is an object (对书记意见较大), not a subject
    about: tuple[tuple[object, re.Pattern], ...] = ()  # (key, words): what a resolution opening a sentence answers
    events: tuple[tuple[object, re.Pattern], ...] = ()  # (key, words): a resolution naming the event, wherever told
    told: dict = field(default_factory=dict)  # key -> the words of its phrases that tell that event (default: events)
    elsewhere: re.Pattern | None = None  # a clause said of another place (邻村曾发生…) ...
    here: re.Pattern | None = None  # ... until one is back here (本村, 本单位)
    answer_no: tuple[re.Pattern, ...] = ()  # an answer saying only no (答：没有): the question's problems denied
    rejects: tuple[re.Pattern, ...] = ()  # a decision not to list the organization (不列入): nothing before counts
    corrects: tuple[re.Pattern, ...] = ()  # a correction (更正一下，刚才说错了): answers the line before, even an item
    findings: tuple[re.Pattern, ...] = ()  # a sentence opening on a finding (经核查：): it answers the sentence before
    reported: tuple[re.Pattern, ...] = ()  # a report told before a resolution in its sentence (网传…，经核查不属实)
    named: tuple[re.Pattern, ...] = ()  # a clause before a closing state naming its problem (…的问题，…整改到位)
    own: tuple[re.Pattern, ...] = ()  # a resolution naming a problem of its own (党费问题已整改): it refers to no other
    field: re.Pattern | None = None  # a clause that is a label and its answer: groups label, answer
    questions: tuple[tuple[str, str, str], ...] = ()  # (question word, its yes, its no): 是否 -> "" / 不
    question: re.Pattern | None = None  # any question word
    yes: frozenset = frozenset()  # the answers that say yes (是, 有)
    answer_ends: frozenset = frozenset()  # the last characters of the answers: a clause ending otherwise is no field
    answer_apart: re.Pattern | None = None  # an answer before its note in brackets or the next field (、): a comma
    asked: re.Pattern | None = None  # a question mark before a bare answer (是否存在贿选？否): the label's end
    bare: re.Pattern | None = None  # a bare answer in a cell of its own (书记缺职	否, a row copied from a sheet)
    item: re.Pattern | None = None  # a heading that opens an item of its own (扣3分：)
    turn: re.Pattern | None = None  # a speaker's name opening a turn of a chat log (【刘】, 【镇纪委】)
    options: re.Pattern | None = None  # a field's answers offered with marks (是□否■): groups ym, y, nm, n
    marked: re.Pattern | None = None  # a mark that marks (■, ☑, （√）)
    any_mark: re.Pattern | None = None  # any mark character or empty bracket: most texts have none, one search says so
    mark: re.Pattern | None = None  # a checklist's mark (■, □, √, （√）, （ ）): group 1 set when it marks its item
    closed: re.Pattern | None = None  # a record's problems closed (已销号, 整改到位)
    open: re.Pattern | None = None  # ... or kept open (未销号, 整改中)
    masks: tuple[tuple[frozenset, re.Pattern, bool], ...] = ()  # (keys, pattern, deny): words blanked for those keys
    any_mask: re.Pattern | None = None  # every mask as one pattern: most clauses have none, one search says so


def load_scope(data: dict, compile_one, compile_many) -> Scope:
    """The scope sections of a parsed criteria file (``compile_one``/``compile_many``: patterns, groups expanded)."""
    actors = data.get("actors", {})
    past = data.get("past", {})
    planned = data.get("planned", {})
    fields = data.get("fields", {})
    record = data.get("record", {})
    answers = "|".join(sorted((*fields.get("yes", []), *fields.get("no", [])), key=len, reverse=True))
    masks = []
    for entry in data.get("masks", []):
        keys = frozenset(int(k) if str(k).isdigit() else k for k in entry["keys"])
        masks.extend((keys, p, bool(entry.get("deny"))) for p in compile_many(entry["patterns"]))
    return Scope(
        actors=re.compile("|".join(f"(?P<{k}>{compile_one(p)})" for k, p in actors.items())) if actors else None,
        secretary_is=tuple(re.compile(compile_one(p)) for p in data.get("secretary_is", {}).get("patterns", [])),
        past=compile_many(past.get("patterns", [])),
        lasting=compile_many(past.get("lasting", [])),
        present=compile_many(past.get("present", [])),
        planned=compile_many(planned.get("patterns", [])),
        measures=compile_many(planned.get("headings", [])),
        speakers=compile_many(data.get("speakers", {}).get("patterns", [])),
        own=compile_many(data.get("resolved", {}).get("own", [])),
        reported=compile_many(data.get("resolved", {}).get("reported", [])),
        findings=compile_many(data.get("resolved", {}).get("findings", [])),
        named=compile_many(data.get("resolved", {}).get("named", [])),
        corrects=compile_many(data.get("resolved", {}).get("corrects", [])),
        rejects=compile_many(data.get("resolved", {}).get("rejects", [])),
        answer_no=compile_many(data.get("resolved", {}).get("answer_no", [])),
        about=tuple(
            (int(k) if k.isdigit() else k, re.compile(compile_one(p)))
            for k, p in data.get("resolved", {}).get("about", {}).items()
        ),
        events=tuple(
            (int(k) if k.isdigit() else k, re.compile(compile_one(p)))
            for k, p in data.get("resolved", {}).get("events", {}).items()
        ),
        told={
            int(k) if k.isdigit() else k: re.compile(compile_one(p))
            for k, p in data.get("resolved", {}).get("told", {}).items()
        },
        elsewhere=_one(compile_many(data.get("elsewhere", {}).get("patterns", []))),
        here=_one(compile_many(data.get("elsewhere", {}).get("here", []))),
        objects=re.compile(compile_one(data["objects"]["before"]) + "$") if "objects" in data else None,
        field=re.compile(f"(?P<label>{_LABEL})(?:{fields['ends']})(?P<answer>{answers})\\)?") if answers else None,
        questions=tuple(tuple(q) for q in fields.get("questions", [])),
        question=re.compile("|".join(q[0] for q in fields["questions"])) if fields.get("questions") else None,
        yes=frozenset(fields.get("yes", [])),
        answer_ends=frozenset(a[-1] for a in (*fields.get("yes", []), *fields.get("no", []))),
        asked=re.compile(f"\\?(?=(?:{answers})\\)?(?:$|[，,。；;\\n(]))") if answers else None,
        bare=re.compile(f"，(?<=[^:—(，,-]，)({answers})(?=$|[，,])") if answers else None,
        mark=marks_pattern(fields),
        options=options_pattern(fields),
        any_mark=re.compile(
            "[" + "".join(map(re.escape, [*fields.get("marked", []), *fields.get("unmarked", [])])) + "]|\\(\\)|\\[\\]"
        )
        if fields.get("marked")
        else None,
        marked=re.compile(f"[(\\[]?(?:{alone(fields['marked'])})[)\\]]?") if fields.get("marked") else None,
        turn=_one(compile_many(data.get("turns", {}).get("patterns", []))),
        item=_one(compile_many(data.get("items", {}).get("patterns", []))),
        answer_apart=re.compile(f"([:—(-])({answers})(\\)?)(?:、|(?=[(\\[]))") if answers else None,
        closed=_one(compile_many(record.get("closed", []))),
        open=_one(compile_many(record.get("open", []))),
        masks=tuple(masks),
        any_mask=re.compile("|".join(p.pattern for _, p, _ in masks)) if masks else None,
    )


_LABEL = "[^，:：—-]{2,30}?"  # a field's label: one clause, up to its end ([fields] ends)


def _one(patterns: tuple[re.Pattern, ...]) -> re.Pattern | None:
    """Patterns as one (None when there are none)."""
    return re.compile("|".join(p.pattern for p in patterns)) if patterns else None


def heads(text: str, scope: Scope) -> frozenset[str]:
    """The titles of the heads a text says are also the secretary (院长兼书记)."""
    return frozenset(m.group(1) for p in scope.secretary_is for m in p.finditer(text))


def speaks_of(clause: str, scope: Scope, before: Topic, titles: frozenset[str]) -> tuple[Topic, Topic]:
    """Whom a clause speaks of, and whom it hands on to the next: those it names (its subject the first of them),
    else those before. A head who is also the secretary (``titles``) is the secretary too; people who only judge
    (群众不认可) hand on the topic before them."""
    found = list(scope.actors.finditer(clause)) if scope.actors is not None else []
    if not found:
        return before, before
    named = frozenset(m.lastgroup for m in found)
    subjects = [m.lastgroup for m in found if not _object(clause, m.start(), scope)]
    subject = subjects[0] if subjects else before.subject
    if not subjects and before.subject in _SUBJECTS:  # 事都推给委员: still of whom the text spoke of
        named |= {before.subject}
    if titles and named & _HEADS and any(t in clause for t in titles):
        named |= {"secretary"}
        subject = "secretary" if subject in _HEADS else subject
    topic = Topic(named, subject)
    if named == {"people"} and any(p.search(clause) for p in scope.speakers):
        return topic, before
    return topic, topic


_HEADS = frozenset({"leaders", "head"})  # the actors a head who is also the secretary may be read as
_SUBJECTS = frozenset({"secretary"})  # a subject a clause naming only objects (推给委员) still speaks of


def subject_at(clause: str, at: int, scope: Scope, topic: Topic) -> str:
    """The subject of what a clause says at ``at``: the last actor named before it that is no object (两委成员对书记意见
    较大: the members), else the clause's subject."""
    if scope.actors is None:
        return topic.subject
    before = [m for m in scope.actors.finditer(clause, 0, at) if not _object(clause, m.start(), scope)]
    return before[-1].lastgroup if before else topic.subject


def _object(clause: str, at: int, scope: Scope) -> bool:
    """The actor named at ``at`` is an object (对书记, 向两委)."""
    return scope.objects is not None and bool(scope.objects.search(clause, 0, at))


def status(clause: str, sentence: str, scope: Scope, before: str = CURRENT) -> str:
    """CURRENT, PAST (曾, 以前, 原来 in a sentence that does not say the problem lasts; the clauses after it in the
    sentence too, until one is back in the present: 班子一度闹矛盾，互相拆台), PLANNED (拟, 已递交请示, 待批复后: a
    step toward a fix, which solves nothing) or ELSEWHERE (said of another place, 邻村曾发生…; the clauses after it in
    the sentence too, until one is back here or in the present: 本村未发现). ``before``: the status of the clause
    before in the sentence."""
    if any(p.search(clause) for p in scope.planned):
        return PLANNED
    if _elsewhere(clause, scope, before):
        return ELSEWHERE
    past = any(p.search(clause) for p in scope.past) or (
        before == PAST and not any(p.search(clause) for p in scope.present)
    )
    if past and not lasts(sentence, scope):
        return PAST
    return CURRENT


def _elsewhere(clause: str, scope: Scope, before: str) -> bool:
    """The clause speaks of another place: it names one, or the clause before did and this one is not back here or in
    the present."""
    if scope.elsewhere is None:
        return False
    names = scope.elsewhere.search(clause)
    carried_on = not names and before == ELSEWHERE and not any(p.search(clause) for p in scope.present)
    return bool(names or carried_on) and (scope.here is None or not scope.here.search(clause))


def carried(state: str, clause: str) -> str:
    """The status a clause hands on to the next of its sentence: the past or another place, unless the clause closes an
    aside (…，且当时有人拉票）, whose past ends with it."""
    return state if state in (PAST, ELSEWHERE) and not _CLOSES.search(clause) else CURRENT


_CLOSES = re.compile(r"[)）]")


def lasts(sentence: str, scope: Scope) -> bool:
    """The sentence says a problem lasts (至今, 仍, 一直)."""
    return any(p.search(sentence) for p in scope.lasting)


def refers_back(clause: str, sentence: str, scope: Scope) -> bool:
    """A sentence opening on a resolution (``clause``) speaks of the sentence before: unless it says something lasts
    (仍有3户未息访), the resolution names a problem of its own (去年反映的党费问题已整改) or answers a report told
    before it in its sentence (另网传…，经核查不属实)."""
    told = sentence[: sentence.find(clause)]
    return (
        not lasts(sentence, scope)
        and not any(p.search(clause) for p in scope.own)
        and not any(p.search(told) for p in scope.reported)
    )


def answered(sentence: str, before: dict, scope: Scope) -> dict:
    """What is left of the sentence before (``before``: key -> phrases) once a sentence opening on a resolution answers
    it: the keys whose words the sentence names go ([resolved] about), every key when it names none."""
    keys = {k for k, p in scope.about if p.search(sentence)}
    if not keys:
        return {}
    if 1 in keys:
        keys.add("vacant")
    return {k: v for k, v in before.items() if k not in keys}


def told_before(sentence: str, read: list[dict], items: list[bool], scope: Scope) -> list[int]:
    """The sentences a sentence opening on a resolution answers (indices into ``read``, the keys each read): the one
    before, and, when the resolution names its keys ([resolved] about), the run of sentences before that told one of
    the same keys (2021年矛盾突出；2022年矛盾激化；2023年矛盾得到化解), not beyond a numbered item's start."""
    keys = {k for k, p in scope.about if p.search(sentence)}
    out = [len(read) - 1]
    if not keys:
        return out
    if 1 in keys:
        keys.add("vacant")
    i = len(read) - 1
    while i > 0 and not items[i] and keys & set(read[i]) and keys & set(read[i - 1]):
        i -= 1
        out.append(i)
    return out


def dealt_with(clause: str, sentence: str, scope: Scope, told_here: dict) -> dict:
    """Key -> its event words, for the events a resolution (``clause``) names ([resolved] events: 上访问题已妥善化解,
    宗族干扰问题已经消除) or its sentence told before it (``told_here``, key -> phrases: 有人送烟酒拉票，已处理完毕; the
    event words of those phrases), unless the sentence says something lasts (仍有3户未息访)."""
    if not scope.events or lasts(sentence, scope):
        return {}
    out = {k: p for k, p in scope.events if p.search(clause)}
    for k, p in scope.events:  # told in the sentence: the same event is the one its words name (涉黑, not 宗教)
        words = {m.group(0) for x in told_here.get(k, ()) for m in p.finditer(x)}
        if k not in out and words:
            out[k] = re.compile("|".join(map(re.escape, sorted(words))))
    return out


def told(before: dict, events: dict, scope: Scope) -> dict:
    """What of a sentence read before (key -> phrases) tells an event a later resolution deals with: a key one of whose
    phrases names that event ([resolved] told, else its events: not 治安混乱 for 上访问题已化解, not 村务公开不及时 for
    白条问题已整改)."""
    out = {}
    for k, v in before.items():
        if k in events and any(scope.told.get(k, events[k]).search(x) for x in v):
            out[k] = v
    return out


def finding(sentence: str, scope: Scope) -> bool:
    """The sentence opens on a finding (经核查：…): a resolution in it answers the sentence before, even after a problem
    the finding names itself (经核查：双方有不同看法，属正常工作分歧，反映问题不属实)."""
    return any(p.search(sentence) for p in scope.findings)


def corrects(clause: str, scope: Scope) -> bool:
    """The clause corrects what was said before (更正一下，刚才说错了): a resolution of the sentence before, even when
    it opens a new line or item."""
    return any(p.search(clause) for p in scope.corrects)


def rejects(clause: str, scope: Scope) -> bool:
    """The clause decides, after speakers who disagree, not to list the organization (会议采纳纪检组长意见，不列入):
    nothing said before it counts."""
    return any(p.search(clause) for p in scope.rejects)


def answers_no(clause: str, scope: Scope) -> bool:
    """The clause is an answer saying only no (问：有人上访吗？答：没有): the problems its question named are denied."""
    return any(p.search(clause) for p in scope.answer_no)


def heading(clause: str, scope: Scope) -> bool:
    """A heading after which the text tells measures (整改措施：)."""
    return any(p.search(clause) for p in scope.measures)


def masked(clause: str, scope: Scope) -> tuple[dict, set]:
    """Key -> the clause with the words masked for that key (only the keys some mask changes), and the keys the clause
    names only as prevented, campaigned against or feared (the masks with ``deny``: 严防拉票贿选, 容易引发群体性事件),
    which the model may not add either."""
    out: dict = {}
    feared: set = set()
    if scope.any_mask is None or not scope.any_mask.search(clause):
        return out, feared
    for keys, p, deny in scope.masks:
        if p.search(clause):
            if deny:
                feared |= keys
            for key in keys:
                out[key] = p.sub(lambda m: MASK * len(m.group(0)), out.get(key, clause))
    return out, feared


def asked_and_answered(text: str, scope: Scope) -> str:
    """A text with a question mark before a bare answer made a label's end (是否存在贿选？否 -> 是否存在贿选:否): the
    question and its answer are one field, not two sentences."""
    return scope.asked.sub(":", text) if scope.asked is not None and "?" in text else text


def answers_apart(sentence: str, scope: Scope) -> str:
    """A sentence with a comma between a field's answer and its note in brackets (是否按期换届：否（上届2017年选举）)
    or the next field (书记缺职（否）、班子不团结（是）): the field is a clause of its own; and a bare answer in a cell
    of its own after its label's (书记缺职，否: a row copied from a sheet, its tab a comma once normalized) is that
    label's answer."""
    if scope.bare is not None and "，" in sentence:
        sentence = scope.bare.sub(r":\1", sentence)
    if scope.answer_apart is None or ("(" not in sentence and "[" not in sentence and "、" not in sentence):
        return sentence
    return scope.answer_apart.sub(r"\1\2\3，", sentence)


def sentences(text: str) -> list[tuple[bool, str]]:
    """(opens a numbered item, sentence) of a normalized text, cut at ``breaks``."""
    out, item = [], True
    for part in _BREAKS.split(text):
        if not part:
            continue
        if _BREAK.fullmatch(part):
            item = ITEM in part
        else:
            out.append((item, part))
            item = False
    return out


_BREAK = re.compile(r"[。；;！!？?\n\r]+")
_BREAKS = re.compile(r"([。；;！!？?\n\r]+)")
