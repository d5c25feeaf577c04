"""Findings as the pages list them: the table, the explanations of warnings, a picker's labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple

import pandas as pd

from weakorg.findings import SEVERITY_LABELS, WARNING, Finding, findings_to_frame, rule_name, rule_names
from weakorg.privacy import mask_text
from weakorg.store.schema import EXPLANATION_KEYS
from weakorg.vocab import NO_UNIT_LABEL, UNIT_LABEL, local_time

FINDING_HEADERS = {  # where a finding is before its long message: at 1024 px the message pushed them out of view
    "severity": "严重程度",
    "title": "规则",  # rules by their Chinese names: the codes are for machines (the CLI's export)
    "sheet": "工作表",
    "cell": "单元格",
    "message": "说明",
    "org": "党组织",
}


PLACE_HEADERS = {"unit": UNIT_LABEL, "file": "文件"}  # whose and which file, where findings of many files are listed


def findings_table(
    findings: Iterable[Finding], explanations: pd.DataFrame | None = None, files: bool = False
) -> pd.DataFrame:
    """Findings as the page shows them: severity, rule, message, sheet, cell, and with ``explanations`` (the
    store's) whether each warning is explained: "已说明：<reason>（<who>，<when>）" or "未说明"; with ``files``, the
    unit and file of each first (a list of many files' findings)."""
    findings = list(findings)
    frame = findings_to_frame(findings)
    frame["severity"] = frame["severity"].map(SEVERITY_LABELS).fillna(frame["severity"])
    frame["title"] = rule_names(frame["rule"])
    frame["unit"] = frame["unit"].fillna(NO_UNIT_LABEL)
    headers = (PLACE_HEADERS if files else {}) | FINDING_HEADERS
    if explanations is not None:
        frame["explanation"] = explanation_texts(findings, explanations)
        headers["explanation"] = EXPLAINED_HEADER
    frame = frame.reindex(columns=list(headers))
    return frame.astype(object).where(frame.notna(), "").rename(columns=headers)  # text only: blank, not None


def _place(f: Finding) -> str:
    """Where a finding is and what it is: unit · file · sheet!cell · rule."""
    where = "!".join(p for p in (f.sheet, f.cell) if p)
    return " · ".join(p for p in (f.unit or NO_UNIT_LABEL, f.file or "", where, rule_name(f.rule)) if p)


def located_line(f: Finding) -> str:
    """One finding as a line a person reads and passes on: unit · file · sheet!cell · rule：its whole message."""
    return f"{_place(f)}：{f.message}"


EXPLANATION_HEADER = "说明理由"  # what an analyst writes
EXPLAINED_HEADER = "说明情况"  # the column saying whether a warning is explained, and how
EXPLAINED, OPEN = "已说明", "未说明"


def explanation_rows(findings: Iterable[Finding], explanations: pd.DataFrame) -> list[dict | None]:
    """Each finding's standing explanation (reason, explained_by, explained_at; matched by unit, rule, file,
    sheet, cell and organization), or None."""
    keys = EXPLANATION_KEYS
    lookup = {tuple(r[k] for k in keys): r for r in explanations.to_dict("records")} if len(explanations) else {}
    return [lookup.get(tuple(getattr(f, k) for k in keys)) for f in findings]


def explanation_of(findings: Iterable[Finding], explanations: pd.DataFrame) -> list[str | None]:
    """Each finding's standing explanation's reason, or None."""
    return [row["reason"] if row else None for row in explanation_rows(findings, explanations)]


def explained_text(row: dict) -> str:
    """An explanation as a table cell says it: 已说明：<reason>（<who>，<when>）."""
    who = str(row.get("explained_by") or "").strip()
    at = row.get("explained_at")
    when = local_time(at)
    said = "，".join(p for p in (who, when) if p)
    return f"{EXPLAINED}：{mask_text(row['reason'])}" + (f"（{said}）" if said else "")  # its phones masked


def explanation_texts(findings: Iterable[Finding], explanations: pd.DataFrame) -> list[str]:
    """Per finding: "已说明：…" when explained, "未说明" for an open warning, "" for what cannot be explained."""
    findings = list(findings)
    rows = explanation_rows(findings, explanations)
    return [
        explained_text(row) if row else OPEN if f.severity == WARNING else ""
        for f, row in zip(findings, rows, strict=True)
    ]


def warning_counts(findings: Iterable[Finding], explanations: pd.DataFrame) -> tuple[int, int]:
    """How many of the (distinct) warnings are open and how many explained."""
    warnings = [f for f in dict.fromkeys(findings) if f.severity == WARNING]
    explained = sum(row is not None for row in explanation_rows(warnings, explanations))
    return len(warnings) - explained, explained


def warning_counts_text(findings: Iterable[Finding], explanations: pd.DataFrame) -> str:
    """The warnings in one line: 警告 5 条：未说明 3 条，已说明 2 条。 ("" when there is none)."""
    still, explained = warning_counts(findings, explanations)
    if not still + explained:
        return ""
    return f"警告 {still + explained} 条：{OPEN} {still} 条，{EXPLAINED} {explained} 条。"


def explainable(findings: Iterable[Finding], standing: set[str] | None = None) -> list[Finding]:
    """The findings an analyst may explain: warnings (an error is fixed by a corrected return, never explained); with
    ``standing`` (the names of the files that stand), only those of these files or of no one file (a replaced return's
    warning needs no explanation)."""
    return [
        f
        for f in dict.fromkeys(findings)
        if f.severity == WARNING and (standing is None or f.file is None or f.file in standing)
    ]


def finding_key(f: Finding) -> str:
    """A finding's identity as a picker keeps it: what it is, not where a list shows it."""
    return "|".join(map(str, astuple(f)))


def finding_label(f: Finding) -> str:
    """One line naming a finding in a picker: unit, where, rule and the start of its message."""
    text = f.message if len(f.message) <= 40 else f.message[:40] + "…"
    return " · ".join(p for p in (_place(f), text) if p)
