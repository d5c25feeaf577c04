"""The files ``python -m weakorg`` writes: the consolidated return (plain and official layout), the findings list and
the annotated copies of the returns."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from weakorg.campaign import Campaign
from weakorg.consolidate import Picture
from weakorg.findings import ERROR, INFO, SEVERITY_LABELS, WARNING, Finding
from weakorg.tables import FileResult
from weakorg.vocab import (
    CATEGORY_LABEL,
    DATE_LABEL,
    F1,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    TOTAL_LABEL,
    UNIT_LABEL,
)


def counts_line(findings: Sequence[Finding]) -> str:
    """Errors, warnings and notes counted, in one Chinese line."""
    n = {s: sum(f.severity == s for f in findings) for s in (ERROR, WARNING, INFO)}
    return "，".join(f"{SEVERITY_LABELS[s]}{n[s]}条" for s in (ERROR, WARNING, INFO))


SUMMARY_HEADERS = {"unit": UNIT_LABEL, "category": CATEGORY_LABEL, "reported_on": DATE_LABEL, **F1_ROWS}
WEAK_ORG_HEADERS = {
    "unit": UNIT_LABEL,
    **{k: v for k, v in F2_COLUMNS.items() if k != "seq"},
    "category": F2_EXTRA_COLUMNS["category"],
    "criteria": F2_EXTRA_COLUMNS["criteria_stated"],
    "status": F2_EXTRA_COLUMNS["status"],
    "accepted_on": F2_EXTRA_COLUMNS["accepted_on"],
    "reported_on": DATE_LABEL,
}
VILLAGE_HEADERS = {"unit": UNIT_LABEL, **{k: v for k, v in F3_COLUMNS.items() if k != "seq"}, "reported_on": DATE_LABEL}


def _sheet(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    out = frame.reindex(columns=list(headers)).copy()
    if "criteria" in out:
        out["criteria"] = out["criteria"].map(lambda ns: "、".join(map(str, ns)) if isinstance(ns, list) else None)
    return out.rename(columns=headers)


WRONG_SUFFIX = "输出文件须以 .{suffix} 结尾（写出的是 .{suffix} 文件）：{path}。请改正文件名后重试，没有写出任何文件。"


def wrong_suffix(path: Path | None, suffix: str) -> str | None:
    """Why an output file not named ``.suffix`` is refused (a .docx named x.txt opens as nothing), or None."""
    if path is None or path.suffix.lower() == f".{suffix}":
        return None
    return WRONG_SUFFIX.format(suffix=suffix, path=path)


def write_city_return(picture: Picture, path: str | Path) -> Path:
    """Write the consolidated return as .xlsx: the summary by unit and category (with the city total), F2 and F3."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = _sheet(picture.summary, SUMMARY_HEADERS)
    total = {UNIT_LABEL: TOTAL_LABEL, **{F1_ROWS[k]: picture.city.get(k) for k in F1_ROWS}}
    summary = pd.concat([summary, pd.DataFrame([total])], ignore_index=True)
    from weakorg.export.sheets import xlsx_bytes

    sheets = {
        f"{FORM_ATTACHMENTS[F1]}{FORM_SHORT[F1]}": summary,
        f"{FORM_ATTACHMENTS[F2]}{FORM_SHORT[F2]}": _sheet(picture.weak_orgs, WEAK_ORG_HEADERS),
        f"{FORM_ATTACHMENTS[F3]}{FORM_SHORT[F3]}": _sheet(picture.villages, VILLAGE_HEADERS),
    }
    path.write_bytes(xlsx_bytes(sheets))  # every text a string cell, never a formula
    return path


def write_official(picture: Picture, path: str | Path, campaign: Campaign, units=None) -> Path:
    """Write the city's return in the official layout (weakorg/export/city.py); ``units``: only those (--user)."""
    from weakorg.export.city import city_workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(city_workbook(picture, campaign, units=units))
    return path


def write_findings_list(findings: Sequence[Finding], path: Path) -> Path:
    """Write the findings as an .xlsx list (the one sent back to units)."""
    from weakorg.export.findings import findings_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(findings_workbook(findings))
    return path


NOT_ANNOTATED = "未生成批注副本"


def write_annotated(
    files: Sequence[FileResult], paths: Sequence[Path], findings: Sequence[Finding], out_dir: Path
) -> tuple[list[str], list[Path]]:
    """Write each readable .xlsx/.xlsm with its findings marked on the cells into ``out_dir``; one line per file, and
    the copies written."""
    from weakorg.export.findings import annotate_workbook, can_annotate

    out_dir.mkdir(parents=True, exist_ok=True)
    lines, written = [], []
    for fr, path in zip(files, paths, strict=True):
        own = [f for f in findings if f.file == fr.name]
        if not fr.ok:
            continue
        content = path.read_bytes()
        try:
            annotated = annotate_workbook(content, own) if can_annotate(path.name, content) else None
        except ValueError:  # a workbook openpyxl cannot open
            annotated = None
        if annotated is None:
            lines.append(f"{NOT_ANNOTATED}：{fr.name}（只能批注.xlsx或.xlsm工作簿，请用问题清单）")
            continue
        target = out_dir / path.name
        target.write_bytes(annotated)
        written.append(target)
        lines.append(f"批注副本已写入：{target}（{counts_line(own)}）")
    return lines, written
