"""The rules file (criteria.toml) compiled: word groups expanded, patterns grouped into alternations, the scope
sections handed to weakorg/criteria/scope.py. weakorg.criteria reads texts with what this returns."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from weakorg.criteria import alternations as criteria_regex
from weakorg.criteria import scope as criteria_scope
from weakorg.criteria.scope import GONE, NOBODY, Scope
from weakorg.vocab import CRITERIA, FLAGS

RULES_PATH = Path(__file__).with_name("criteria.toml")
VACANT = "vacant"  # the evidence key of a vacant secretary post


@dataclass(frozen=True, eq=False)  # hashed by identity: weakorg/criteria/clause.py remembers what each reads
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
    scope: Scope = field(default_factory=Scope)  # whom a clause speaks of, whether it tells a problem now
    said_of: tuple[tuple[object, frozenset, re.Pattern], ...] = ()  # (key, actors, pattern)
    not_said_by: tuple[tuple[object, frozenset, re.Pattern], ...] = ()  # (key, subjects, pattern): unless said by
    rewrite: tuple[tuple[re.Pattern, str], ...] = ()  # (pattern, replacement) after the typos (不太满意 -> 不满意)
    across: tuple[tuple[object, re.Pattern], ...] = ()  # (key, pattern) matched across a sentence's clauses
    gone_not_weak: tuple[re.Pattern, ...] = ()  # criterion 2's phrases that a sentence reading 1 drops
    weak_not_gone: tuple[tuple[re.Pattern, ...], tuple[re.Pattern, ...]] = ((), ())  # (1's phrases, age or illness)
    party_meeting: tuple[re.Pattern, ...] = ()  # a party meeting named: a sentence reading 3 and none drops 5

    @cached_property
    def scans(self) -> tuple[tuple[object, re.Pattern], ...]:
        """(criterion, flag or VACANT, pattern) in the order they are tried."""
        keyed = [*self.criteria.items(), *self.flags.items(), (VACANT, self.vacancy)]
        return tuple((key, p) for key, patterns in keyed for p in patterns)


_GROUP = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")  # {name}; quantifiers such as {0,8} are left alone


def expand(pattern: str, groups: dict[str, list[str]]) -> str:
    """A pattern with every ``{name}`` replaced by its word group as one alternation (groups may name groups)."""

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in groups:
            raise ValueError(f"criteria file: pattern {pattern!r} names an unknown word group {{{name}}}")
        return "(?:" + "|".join(groups[name]) + ")"

    for _ in range(5):  # a group may use a group, a few levels deep
        pattern, n = _GROUP.subn(one, pattern)
        if not n:
            return pattern
    raise ValueError(f"criteria file: word groups nest too deep (or name themselves) in {pattern!r}")


def _compile(patterns: list[str], groups: dict[str, list[str]] | None = None) -> tuple[re.Pattern, ...]:
    """Patterns, word groups expanded, as at most two alternations: one scan of a clause instead of one per pattern
    (weakorg/criteria/alternations.py: grouped so the engine skips the positions where none can start)."""
    return criteria_regex.alternations([expand(p, groups or {}) for p in patterns])


def _said_of(sections: dict, actors: re.Pattern | None, groups: dict[str, list[str]], kind: str = "said_of") -> list:
    """(key, actors, pattern) of every ``said_of`` (or ``not_said_by``) list of the criteria and flags."""
    out = []
    for key, section in sections.items():
        for entry in section.get(kind, []):
            unknown = set(entry["actors"]) - set(actors.groupindex if actors else ()) - {NOBODY, GONE}
            if unknown:
                raise ValueError(f"criteria file: said_of names unknown actors {sorted(unknown)}")
            out.extend((key, frozenset(entry["actors"]), p) for p in _compile(entry["patterns"], groups))
    return out


def load_rules(path: str | Path | None = None, threshold: float | None = None) -> Rules:
    """The rules of a criteria file (the shipped criteria.toml by default); ``threshold`` overrides its setting."""
    data = tomllib.loads(Path(path or RULES_PATH).read_text(encoding="utf-8"))
    groups = {k: list(v) for k, v in data.get("groups", {}).items()}
    sections = {int(k): v for k, v in data["criteria"].items()} | dict(data["flags"])
    unknown = set(sections) - set(CRITERIA) - set(FLAGS)
    if unknown:
        raise ValueError(f"criteria file names unknown criteria or flags: {sorted(map(str, unknown))}")
    compiled = {k: _compile(v.get("patterns", []), groups) for k, v in sections.items()}
    scope = criteria_scope.load_scope(data, lambda p: expand(p, groups), lambda ps: _compile(ps, groups))
    sat = data["satisfaction"]
    return Rules(
        typos=dict(data.get("typos", {})),
        negated=_compile(data["negated"]["patterns"], groups),
        resolved=_compile(data["resolved"]["patterns"], groups),
        vacancy=_compile(data["vacancy"]["patterns"], groups),
        criteria={k: compiled[k] for k in sorted(k for k in compiled if k in CRITERIA)},
        flags={k: compiled[k] for k in FLAGS if k in compiled},
        figure=re.compile(expand(sat["figure"], groups)),
        not_low=tuple(sat["not_low"]),
        threshold=float(threshold if threshold is not None else data["settings"]["satisfaction_threshold"]),
        scope=scope,
        said_of=tuple(_said_of(sections, scope.actors, groups)),
        not_said_by=tuple(_said_of(sections, scope.actors, groups, "not_said_by")),
        rewrite=tuple((re.compile(expand(p, groups)), r) for p, r in data.get("rewrite", {}).get("rules", [])),
        across=tuple((k, p) for k, v in sections.items() for p in _compile(v.get("across", []), groups)),
        gone_not_weak=_compile(data.get("gone_not_weak", {}).get("patterns", []), groups),
        weak_not_gone=tuple(
            _compile(data.get("weak_not_gone", {}).get(k, []), groups) for k in ("patterns", "because")
        ),
        party_meeting=_compile(data.get("quarrel_not_meeting", {}).get("patterns", []), groups),
    )


@cache
def default_rules() -> Rules:
    """The shipped rules (read once)."""
    return load_rules()
