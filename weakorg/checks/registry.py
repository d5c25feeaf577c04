"""The rule registry, the context every rule reads, and small helpers to word and locate findings."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from weakorg.campaign import Campaign
from weakorg.consolidate import canonical_category, latest_positions, standing_empty
from weakorg.criteria import HIGH, classify_many
from weakorg.findings import RULES, Finding, finding
from weakorg.privacy import mask_text
from weakorg.tables import Returns
from weakorg.vocab import F1, F2, F3

CORRECTED_EVIDENCE = "分析员研判"  # what a corrected reading quotes as its evidence

RuleFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class RegisteredRule:
    """A rule code of the catalogue and the function that checks it."""

    code: str
    check: RuleFn
    reads_problems: bool = False  # it reads 主要问题 into criteria (``Context.read``): run_checks runs it last


REGISTRY: list[RegisteredRule] = []


def rule(code: str, reads_problems: bool = False) -> Callable[[RuleFn], RuleFn]:
    """Register a check function under a rule code of ``findings.RULES`` (``reads_problems``: it calls
    ``Context.read`` or ``read_as_written``)."""
    if code not in RULES:
        raise KeyError(f"unknown rule code {code!r}: add it to findings.RULES first")

    def register(fn: RuleFn) -> RuleFn:
        REGISTRY.append(RegisteredRule(code, fn, reads_problems))
        return fn

    return register


KEYS = {F1: ("unit", "category"), F2: ("unit",), F3: ("unit",)}


@dataclass
class Context:
    """What a rule reads: the batch's frames, the campaign and today's date."""

    returns: Returns
    campaign: Campaign
    today: date = field(default_factory=date.today)  # a parameter, so that the checks are deterministic in tests
    corrections: pd.DataFrame | None = None  # analysts' standing corrections (Store.standing_corrections)
    _current: dict = field(default_factory=dict, repr=False)
    _read: dict = field(default_factory=dict, repr=False)  # form -> readings, corrections applied
    _read_as_written: dict = field(default_factory=dict, repr=False)  # form -> readings as the machine made them
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def f1(self) -> pd.DataFrame:
        return self.returns.f1

    @property
    def f2(self) -> pd.DataFrame:
        return self.returns.f2

    @property
    def f3(self) -> pd.DataFrame:
        return self.returns.f3

    def frame(self, form: str) -> pd.DataFrame:
        """All rows of a form in the batch."""
        return self.returns.frame(form)

    def read(self, form: str) -> pd.Series:
        """Each register line's 主要问题 read into criteria, flags and vacancy, an analyst's correction in place."""
        if form not in self._read:
            self._read[form] = self._corrected(form, self.read_as_written(form))
        return self._read[form]

    def read_as_written(self, form: str) -> pd.Series:
        """Each register line's 主要问题 as the machine reads it, no correction applied (once per distinct text)."""
        if form not in self._read_as_written:
            self._read_as_written[form] = classify_many(self.frame(form)["problems"])
        return self._read_as_written[form]

    def corrected_any(self) -> bool:
        """Whether an analyst's standing correction is in force in this batch's checks."""
        return self.corrections is not None and not self.corrections.empty

    def corrected_criteria(self, form: str) -> pd.Series:
        """Each register line's criteria as an analyst's standing correction sets them, None where none stands: they
        count over the line's 符合标准 cell too, as on every page (``store.corrections.apply_corrections``)."""
        found = self._corrections_found(form)
        return found.map(lambda r: None if r is None else list(r["criteria"])).astype(object)

    def _corrections_found(self, form: str) -> pd.Series:
        """The standing correction of each line of ``form`` (of its unit, name and text), None where none stands."""
        frame = self.frame(form)
        if form != F2 or self.corrections is None or self.corrections.empty or frame.empty:
            return pd.Series([None] * len(frame), index=frame.index, dtype=object)
        from weakorg.store.corrections import KEY, org_keys  # only when corrections are given: no import cycle

        def find() -> pd.Series:
            lookup = {tuple(r[k] for k in KEY): r for r in self.corrections.to_dict("records")}
            return org_keys(frame).map(lookup.get)

        return self.memo(f"corrections_{form}", find)

    def _corrected(self, form: str, read: pd.Series) -> pd.Series:
        """The readings with an analyst's standing correction (of the line's unit, name and text) in place."""
        found = self._corrections_found(form)
        hit = found.notna()
        if not hit.any():
            return read
        out = read.copy()
        out[hit] = [
            replace(
                c,
                criteria=tuple(r["criteria"]),
                flags=tuple(r["flags"]),
                confidence=HIGH,
                doubt="",
                evidence={k: [CORRECTED_EVIDENCE] for k in (*r["criteria"], *r["flags"])},
            )
            for c, r in zip(read[hit], found[hit], strict=True)
        ]
        return out

    def memo(self, key: str, make: Callable[[], object]) -> object:
        """``make()`` once per batch under ``key``: a frame several rules derive alike (not to be modified)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def current(self, form: str) -> pd.DataFrame:
        """The rows of the latest return per unit (per unit and category for F1); an unknown unit keyed by file."""
        if form not in self._current:
            frame = self.frame(form)
            units = frame["unit"].to_numpy()
            unknown = pd.isna(units)
            if unknown.any():
                units = np.where(unknown, np.array(["\0" + str(i) for i in frame["file_idx"]], dtype=object), units)
            self._current[form] = frame.iloc[latest_positions(frame, KEYS[form], self.empty_of(form), units)]
        return self._current[form]

    def empty_of(self, form: str) -> pd.DataFrame:
        """The registers of ``form`` sent with no line (``Returns.empty_of``), once per batch."""
        return self.memo(f"empty {form}", lambda: self.returns.empty_of(form))

    def emptied(self, form: str) -> pd.DataFrame:
        """The registers of ``form`` sent with no line that stand for a known unit (``Returns.empty``): the unit's
        latest register lists none, as ``current`` weighs it."""
        empty = self.empty_of(form)
        return self.memo(
            f"emptied {form}", lambda: standing_empty(self.frame(form), KEYS[form], empty[empty["unit"].notna()])
        )


def missing(value) -> bool:
    """Whether a frame value is absent (None, NaN, NaT or blank text)."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def num(value) -> str:
    """A count or percentage as a clerk writes it: 5, 5.2, or 空 when blank."""
    if missing(value):
        return "空"
    f = float(value)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def quote(value, row: dict | None = None) -> str:
    """A cell's value as a message may quote it: phone-like numbers masked and the line's secretary's name hidden
    (``privacy.mask_text``), whatever column it was typed in; 空 when blank. A finding never quotes personal data."""
    if missing(value):
        return "空"
    return mask_text(num(value) if isinstance(value, float) else str(value), names=((row or {}).get("secretary"),))


def flagged(series: pd.Series, test: Callable[[object], bool]) -> pd.Series:
    """``test`` of each value of a column as a boolean mask, called once per distinct value (a register repeats a
    few ways of writing a status or a category); blanks are never flagged."""
    return series.isin([v for v in series.dropna().unique() if test(v)])


def at_cell(row: dict, cell) -> str:
    """Where a register line's cell is, as a message names it: 文件《a.xlsx》工作表“附件2”单元格H7."""
    return f"文件《{row.get('file')}》工作表“{row.get('sheet')}”单元格{cell}"


def located(rule_code: str, message: str, row: dict, form: str, cell: str | None = None, **extra) -> Finding:
    """A finding located at a frame row: its file, sheet, unit and category, and the given cell."""
    where = {
        "file": row.get("file"),
        "sheet": row.get("sheet"),
        "unit": row.get("unit"),
        "category": canonical_category(row.get("category")),  # an F2 line's category as written
        "form": form,
        "cell": cell,
        **extra,
    }
    return finding(rule_code, message, **{k: (None if missing(v) else v) for k, v in where.items()})


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a (small, already filtered) frame as dicts (none without the cost of converting a wide frame)."""
    return frame.to_dict("records") if len(frame) else []


def records_where(frame: pd.DataFrame, mask) -> list[dict]:
    """The rows of ``frame`` where ``mask`` holds, as dicts (``records``): none, without filtering, when none holds."""
    return records(frame[mask]) if np.any(mask) else []


def cell_range(first, last) -> str:
    """A range such as B5:B8, or the one cell known."""
    if missing(first):
        return "" if missing(last) else str(last)
    return str(first) if missing(last) or first == last else f"{first}:{last}"
