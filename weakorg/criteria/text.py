"""How a 主要问题 text is made uniform before it is read (weakorg.criteria), and the figures it states.

Full-width characters made half-width, 百分之四十五 written 45%, typos fixed and the rules file's rewrites made,
spaces read as note breaks (or dropped where they part words), long numeral runs cut, numbering (1. ① （一） 一是)
and slashes between notes turned into an item break; the model reads the same text.
"""

from __future__ import annotations

import re
import unicodedata

from weakorg.criteria.marks import ITEM

# Numbering that starts an item: 1. 1、 (1) （一） ① 一、 一是. Turned into an item break (ITEM).
_CIRCLED = re.compile(r"[①-⑳]")
_NUMBERING = re.compile(
    r"(?:^|(?<=[。；;，,：:\s]))(?:\d{1,2}[.、)](?!\d)|\((?:[一二三四五六七八九十]|\d{1,2})\)|[一二三四五六七八九十][、.]|[一二三四五六七八九十]是)"
)
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
# A slash between words lists notes (书记长期在外/支部无人主持/换届已完成), one problem each; not 是/否 or a date.
_SLASH = re.compile(r"(?<=[\u4e00-\u9fff]{2})/(?=[\u4e00-\u9fff]{2})")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Text typed with a space between words (站 所 支部  书记 长期 病休, a cell pasted from a word-split source): at least
# this many spaces between Chinese characters, and its pieces between spaces mostly words.
WORD_SPACED_JOINTS = 3
WORD, WORD_SHARE = 3, 0.8  # a word: at most 3 characters; a form's spaced answers (书记缺职 否) are not enough
# A run of numerals longer than any count, year or percentage the rules read: cut to its first NUMERAL_RUN
# characters, so the patterns that read a number ([\d一二…]+年) do not search a long run at every position.
NUMERAL_RUN = 8
_NUMERALS = re.compile(r"[\d一二两三四五六七八九十多半]{" + str(NUMERAL_RUN + 1) + ",}")
_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_PERCENT_WORDS = re.compile(r"百分之([零一二两三四五六七八九十]{1,3})(?:点([零一二三四五六七八九]{1,2}))?")


def _percent_in_digits(m: re.Match) -> str:
    """百分之四十五点五 -> 45.5%."""
    tens, _, units = m.group(1).rpartition("十")
    whole = (_DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0)) if "十" in m.group(1) else _DIGITS[units]
    decimals = "".join(str(_DIGITS[c]) for c in m.group(2) or "")
    return f"{whole}.{decimals}%" if decimals else f"{whole}%"


def normalize(text: str, rules) -> str:
    """Half-width digits and punctuation, 百分之四十五 as 45%, typos fixed and rewrites made (``rules``: the compiled
    rules, weakorg.criteria.rules.Rules), numeral runs cut, numbering as item breaks."""
    s = _CIRCLED.sub(ITEM, text)
    s = unicodedata.normalize("NFKC", s).replace("％", "%")
    s = _PERCENT_WORDS.sub(_percent_in_digits, s)
    for wrong, right in rules.typos.items():
        s = s.replace(wrong, right)
    for pattern, replacement in rules.rewrite:
        s = pattern.sub(replacement, s)
    # a space between two Chinese characters parts two notes ("无活动 无书记"), unless it parts the words of one
    s = _SPACED.sub("" if _word_spaced(s) else "，", s)
    s = re.sub(r"[ \t\u3000\"'“”‘’「」『』《》]+", "", s)
    s = _NUMERALS.sub(lambda m: m.group(0)[:NUMERAL_RUN], s)
    s = _SLASH.sub(ITEM, s)
    return _NUMBERING.sub(ITEM, s)


def _word_spaced(s: str) -> bool:
    """Whether the spaces of a text part its words rather than its notes: most of its pieces between spaces (WORD_SHARE)
    are words (WORD characters at most), with WORD_SPACED_JOINTS spaces or more between Chinese characters."""
    if len(_SPACED.findall(s)) < WORD_SPACED_JOINTS:
        return False
    pieces = [n for piece in re.split(r"[ \t\u3000]+", s) if (n := len("".join(_HAN_RUN.findall(piece))))]
    return sum(n <= WORD for n in pieces) >= WORD_SHARE * len(pieces)


_TENTHS = {c: 10.0 * n for n, c in enumerate("一二三四五六七八九", 1)} | {"两": 20.0}


def percent(m: re.Match) -> float:
    """The percentage a satisfaction figure states: its digits (group 1), tenths such as 四成 (group 2), or a score
    out of 100 such as 55分 (group 3, when the pattern has it)."""
    digits = m.group(1) if m.group(1) is not None else m.group(3) if m.re.groups >= 3 else None
    return float(digits) if digits is not None else _TENTHS.get(m.group(2), 100.0)
