"""What ``python -m weakorg`` prints about a batch: its findings by file, and the city picture in a few lines."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from weakorg.cli.outputs import counts_line
from weakorg.consolidate import Picture
from weakorg.findings import SEVERITY_LABELS, Finding
from weakorg.tables import FileResult
from weakorg.vocab import F1_ROWS, FORM_ATTACHMENTS, FORM_SHORT, NO_UNIT_LABEL, rounded

OTHER_FINDINGS = "（不属于单个文件的问题）"
__all__ = ["OTHER_FINDINGS", "counts_line", "format_findings", "format_picture"]


def _place(f: Finding) -> str:
    if f.sheet and f.cell:
        return f"{f.sheet}!{f.cell}"
    return f.sheet or f.cell or ""


def format_findings(files: Sequence[FileResult], findings: Sequence[Finding]) -> str:
    """The findings of a batch grouped by file, in Chinese, with the refused files and why."""
    names = [fr.name for fr in files]
    by_file: dict[str, list[Finding]] = {name: [] for name in names}
    for f in findings:
        by_file.setdefault(f.file if f.file in by_file else OTHER_FINDINGS, []).append(f)
    lines: list[str] = []
    for fr in files:
        if not fr.ok:
            lines.append(f"【{fr.name}】已拒收（{fr.reason}）：{fr.message or ''}")
            continue
        forms = "、".join(f"{FORM_ATTACHMENTS[f]}{FORM_SHORT[f]}" for f in fr.forms) or "无"
        own = by_file.get(fr.name, [])
        lines.append(f"【{fr.name}】{fr.unit or NO_UNIT_LABEL}；{forms}；{counts_line(own)}")
        lines.extend(_finding_line(f) for f in own)
        if not own:
            lines.append("  未发现问题。")
    other = by_file.get(OTHER_FINDINGS, [])
    if other:
        lines.append(f"【{OTHER_FINDINGS}】{counts_line(other)}")
        lines.extend(_finding_line(f) for f in other)
    refused = sum(not fr.ok for fr in files)
    lines.append(f"共{len(files)}个文件：可读取{len(files) - refused}个，拒收{refused}个；{counts_line(findings)}。")
    return "\n".join(lines)


def _finding_line(f: Finding) -> str:
    place = _place(f)
    return (
        f"  [{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.rule}"
        + (f" {place}" if place else "")
        + f"：{f.message}"
    )


def format_picture(picture: Picture) -> str:
    """A few lines on the city picture: units reported, organizations, weak ones, by unit."""
    c = picture.city
    share = "——" if c.get("weak_share") is None else f"{rounded(c['weak_share'])}%"
    lines = [
        f"已报送单位{c['units_reported']}/{c['units_expected']}个；{F1_ROWS['orgs_total']}{int(c['orgs_total'])}个，"
        f"{F1_ROWS['weak_total']}{int(c['weak_total'])}个（{share}）；一览表列出{c['weak_orgs_listed']}个，"
        f"难点村{c['villages']}个（已完成换届{c['villages_elected']}个）。"
    ]
    for r in picture.by_unit.to_dict("records"):
        unit_share = "——" if pd.isna(r["weak_share"]) else f"{rounded(r['weak_share'])}%"
        lines.append(f"  {r['unit']}：{int(r['orgs_total'] or 0)}个中{int(r['weak_total'] or 0)}个（{unit_share}）")
    return "\n".join(lines)
