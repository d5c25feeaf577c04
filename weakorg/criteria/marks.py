"""Checklists and chat logs in a 主要问题 text, read as the form fields and sentences weakorg.criteria.scope reads:
a checklist's marks (■/□, ☑/☐, √/×, （√）/（ ）, ●/○) answer their items yes or no, a field's answers offered with
marks (是□否☑) give the marked one, and a chat log's turns (【刘】…【王】…) are sentences that answer each other."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weakorg.criteria.scope import Scope

ITEM = "\n"  # numbering (1. ① 一是) becomes this break: a numbered item is a problem of its own


def marks_pattern(fields: dict) -> re.Pattern | None:
    """A checklist's marks as one pattern: group 1 a mark that marks its item (■, √, （√）), group 2 one that does not
    (□, ×, （ ）: an empty bracket)."""
    marked, unmarked = fields.get("marked", []), fields.get("unmarked", [])
    if not marked:
        return None
    one, other = alone(marked), alone(unmarked)
    return re.compile(f"[(\\[]?({one})[)\\]]?|[(\\[]?({other})[)\\]]?|(\\(\\)|\\[\\])")


def options_pattern(fields: dict) -> re.Pattern | None:
    """A field's yes and no offered each with a mark, after (是□否■) or before (☑是☐否) it."""
    marks = [*fields.get("marked", []), *fields.get("unmarked", [])]
    if not marks:
        return None
    mark = "[(\\[]?[" + "".join(map(re.escape, marks)) + "][)\\]]?|\\(\\)|\\[\\]"
    yes, no = "是|有|存在", "否|无|不存在|没有"
    after = f"(?P<y>{yes})(?P<ym>{mark})(?P<n>{no})(?P<nm>{mark})"
    before = f"(?P<ym2>{mark})(?P<y2>{yes})(?P<nm2>{mark})(?P<n2>{no})"
    return re.compile(f"{after}|{before}")


def _chosen(m: re.Match, marked: re.Pattern) -> str:
    """The answer a field's marked options give (是□否■ -> :否), "" when neither or both are marked."""
    ym, nm = m.group("ym") or m.group("ym2"), m.group("nm") or m.group("nm2")
    yes, no = bool(marked.fullmatch(ym)), bool(marked.fullmatch(nm))
    if yes == no:
        return ""
    answer = (m.group("y") or m.group("y2")) if yes else (m.group("n") or m.group("n2"))
    return answer if m.string[m.start() - 1 : m.start()] == ":" else ":" + answer


def alone(marks: list[str]) -> str:
    """Marks as alternatives, each standing alone: not in a run of its own kind (××镇, a name left out) nor after a
    numeral (二○一五年)."""
    return "|".join(
        f"{re.escape(m)}(?<![{re.escape(m)}一二三四五六七八九十〇○]{re.escape(m)})(?!{re.escape(m)})" for m in marks
    )


def turns(text: str, scope: Scope) -> str:
    """A chat log's turns (【刘】…【王】…) as sentences: a later turn confirms, denies or corrects the one before as a
    sentence answers the one before it; a heading of [items] (扣3分：) opens an item, as numbering does."""
    if scope.item is not None:
        text = scope.item.sub(lambda m: ITEM + m.group(0), text)
    return scope.turn.sub("。", text) if scope.turn is not None and "【" in text else text


_ITEM_START = frozenset(":，。；\n")  # before a checklist's first mark: the marks open their items (■书记空缺)


def checklist(text: str, scope: Scope) -> str:
    """A text with a checklist's marks (■书记空缺 □两委不和; 不换届（√）服务差（ ）; ☑, ✔, ●, ×) as fields, an item
    each: a marked item answered yes (书记空缺:是), an unmarked one no (两委不和:否), so field_of reads them; a field's
    answers offered with marks (是否存在贿选：是□否☑) give the marked one (是否存在贿选:否). Marks open
    their items when the first stands at the start of one, else they close them; a note after an item's label
    (■未按期换届（上次2015年）, ■班子不团结，总经理与书记各搞一套) stays in its item."""
    if scope.mark is None or scope.any_mark is None or not scope.any_mark.search(text):
        return text
    if scope.options is not None and scope.marked is not None:
        text = scope.options.sub(lambda m: _chosen(m, scope.marked), text)
    marks = list(scope.mark.finditer(text))
    if len(marks) < 2:
        return text
    first = marks[0]
    opens = first.group(0)[0] != "(" and (first.start() == 0 or text[first.start() - 1] in _ITEM_START)
    out, at = [], 0
    for m, after in zip(marks, [*marks[1:], None], strict=True):
        answer = ":是" if m.group(1) else ":否"
        if opens:
            end = after.start() if after is not None else len(text)
            item = text[m.end() : end]
            label = _ITEM_LABEL.match(item)
            if label is None:  # 均□: a mark with no item
                continue
            out.append(text[at : m.start()] + ITEM + label.group(0) + answer + item[label.end() :])
            at = end
        else:
            label = _ITEM_LABEL_BEFORE.search(text, at, m.start())
            if label is None:
                continue
            note = _NOTE.match(text, m.end())  # 书记履职■（兼任车间主任，精力不够）: the note is the item's
            end = note.end() if note else m.end()
            out.append(text[at : label.start()] + label.group(0) + answer + text[m.end() : end] + ITEM)
            at = end
    return "".join(out) + text[at:] if out else text


_ITEM_LABEL = re.compile(r"[^，,。；;\n(:]{2,30}")  # an item's label after its mark, up to a note or the next clause
_NOTE = re.compile(r"\([^()]{1,60}\)")  # a note in brackets right after an item's mark
_ITEM_LABEL_BEFORE = re.compile(r"[^，,。；;\n():]{2,30}$")  # an item's label before its mark
