"""Free text -> the six criteria and the four key-rectification flags, by the rules in criteria.toml.

A 主要问题 text is cut into sentences (at 。；！？, line breaks and numbering such as 1. ① （一）
一是) and each sentence into clauses (at commas and colons). A clause's phrases count unless
the clause denies them (无…问题, 未发现…); a clause saying a problem is solved (已解决,
已于去年解决, 现已配齐) cancels the phrases of its sentence found so far. What remains is the
classification: criteria, flags, whether the secretary post is said to be vacant, and the
phrases that matched as evidence.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pandas as pd

from weakorg.vocab import CRITERIA, FLAGS

RULES_PATH = Path(__file__).with_name("criteria.toml")
VACANT = "vacant"  # the evidence key of a vacant secretary post

# Numbering that starts an item: 1. 1、 (1) （一） ① 一、 一是. Turned into a sentence break.
_CIRCLED = re.compile(r"[①-⑳]")
_NUMBERING = re.compile(
    r"(?:^|(?<=[。；;，,：:\s]))(?:\d{1,2}[.、)](?!\d)|\((?:[一二三四五六七八九十]|\d{1,2})\)|[一二三四五六七八九十][、.]|[一二三四五六七八九十]是)"
)
_SENTENCE = re.compile(r"[。；;！!？?\n\r]+")
_CLAUSE = re.compile(r"[，,：:]+")


@dataclass(frozen=True)
class Classification:
    """What a text states: criteria (1-6), flags (keys of vocab.FLAGS), a vacant post, and the matched phrases."""

    criteria: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()
    vacant: bool = False
    evidence: dict = field(default_factory=dict)  # criterion number or flag key (or "vacant") -> [phrases]


@dataclass(frozen=True)
class Rules:
    """The compiled rules of a criteria file."""

    typos: dict[str, str]
    negated: tuple[re.Pattern, ...]
    resolved: tuple[re.Pattern, ...]
    vacancy: tuple[re.Pattern, ...]
    criteria: dict[int, tuple[re.Pattern, ...]]
    flags: dict[str, tuple[re.Pattern, ...]]
    figure: re.Pattern
    not_low: tuple[str, ...]
    threshold: float

    @cached_property
    def scans(self) -> tuple[tuple[object, re.Pattern], ...]:
        """(criterion, flag or VACANT, pattern) in the order they are tried."""
        keyed = [*self.criteria.items(), *self.flags.items(), (VACANT, self.vacancy)]
        return tuple((key, p) for key, patterns in keyed for p in patterns)


def _compile(patterns: list[str]) -> tuple[re.Pattern, ...]:
    """A list of patterns as one alternation (one scan of a clause instead of one per pattern)."""
    for p in patterns:
        re.compile(p)  # a bad pattern fails here, named on its own
    return (re.compile("|".join(f"(?:{p})" for p in patterns)),) if patterns else ()


def load_rules(path: str | Path | None = None, threshold: float | None = None) -> Rules:
    """The rules of a criteria file (the shipped criteria.toml by default); ``threshold`` overrides its setting."""
    data = tomllib.loads(Path(path or RULES_PATH).read_text(encoding="utf-8"))
    criteria = {int(k): _compile(v["patterns"]) for k, v in data["criteria"].items()}
    flags = {k: _compile(v["patterns"]) for k, v in data["flags"].items()}
    unknown = (set(criteria) - set(CRITERIA)) | (set(flags) - set(FLAGS))
    if unknown:
        raise ValueError(f"criteria file names unknown criteria or flags: {sorted(map(str, unknown))}")
    sat = data["satisfaction"]
    return Rules(
        typos=dict(data.get("typos", {})),
        negated=_compile(data["negated"]["patterns"]),
        resolved=_compile(data["resolved"]["patterns"]),
        vacancy=_compile(data["vacancy"]["patterns"]),
        criteria=dict(sorted(criteria.items())),
        flags={k: flags[k] for k in FLAGS if k in flags},
        figure=re.compile(sat["figure"]),
        not_low=tuple(sat["not_low"]),
        threshold=float(threshold if threshold is not None else data["settings"]["satisfaction_threshold"]),
    )


@cache
def default_rules() -> Rules:
    """The shipped rules (read once)."""
    return load_rules()


def normalize(text: str, rules: Rules) -> str:
    """Half-width digits and punctuation, typos corrected, numbering turned into sentence breaks."""
    s = _CIRCLED.sub("。", text)
    s = unicodedata.normalize("NFKC", s).replace("％", "%")
    for wrong, right in rules.typos.items():
        s = s.replace(wrong, right)
    s = re.sub(r"[ \t\u3000\"'“”‘’「」『』《》]+", "", s)
    return _NUMBERING.sub("。", s)


def _clause_hits(clause: str, rules: Rules) -> dict:
    """Key -> phrases matched in one clause (not yet judged for resolution)."""
    hits: dict = {}
    for key, p in rules.scans:
        if p.search(clause):  # most scans miss: search first, collect the phrases only on a hit
            hits.setdefault(key, []).extend(m.group(0) for m in p.finditer(clause))
    return hits


def _with_figures(sentence: str, pending: dict, rules: Rules) -> dict:
    """Criterion 6 added for a satisfaction figure below the threshold, not said to be rising or acceptable."""
    if any(w in sentence for w in rules.not_low) or any(p.search(sentence) for p in rules.resolved):
        return pending
    low = [m.group(0) for m in rules.figure.finditer(sentence) if float(m.group(1)) < rules.threshold]
    return {**pending, 6: [*pending.get(6, []), *low]} if low else pending


def classify(text, rules: Rules | None = None) -> Classification:
    """The criteria, flags and vacancy a 主要问题 text states, with the phrases that matched."""
    if not isinstance(text, str) or not text.strip():
        return Classification()
    rules = rules or default_rules()
    found: dict = {}
    for sentence in _SENTENCE.split(normalize(text, rules)):
        pending: dict = {}
        for clause in _CLAUSE.split(sentence):
            if not clause or any(p.search(clause) for p in rules.negated):
                continue
            for key, phrases in _clause_hits(clause, rules).items():
                pending.setdefault(key, []).extend(phrases)
            if any(p.search(clause) for p in rules.resolved):
                pending = {}
        pending = _with_figures(sentence, pending, rules)
        for key, phrases in pending.items():
            found.setdefault(key, []).extend(phrases)
    evidence = {k: list(dict.fromkeys(v)) for k, v in found.items()}
    return Classification(
        criteria=tuple(n for n in rules.criteria if n in evidence),
        flags=tuple(k for k in rules.flags if k in evidence),
        vacant=VACANT in evidence,
        evidence=evidence,
    )


@lru_cache(maxsize=200_000)
def _read_once(text: str | None) -> Classification:
    """A text read by the shipped rules, remembered: consolidation and the checks read the same registers."""
    return classify(text)


def classify_many(texts: pd.Series, rules: Rules | None = None) -> pd.Series:
    """``classify`` over a frame column, once per distinct text; a Series of Classification on the same index."""
    read = _read_once if rules is None else (lambda t: classify(t, rules))
    keys = [t if isinstance(t, str) else None for t in texts]
    distinct = {t: read(t) for t in dict.fromkeys(keys)}
    return pd.Series([distinct[t] for t in keys], index=texts.index, dtype=object)
