"""Findings sent back to a unit: a list as .xlsx, and the unit's own workbook with each offending cell marked.

In the annotated copy each cell a finding names is filled (red for errors, yellow for warnings,
blue for information) and carries the findings' messages as a cell comment; findings that name
no cell of the workbook are listed on an extra sheet, so nothing is lost on the way back. What weakorg
writes holds no formula: a formula of the unit's becomes the value it last showed (none if never
calculated), its text said in the cell's comment; a text that looks like one stays text (quote prefix).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from weakorg.export.sheets import clean_text, looks_like_formula, set_cell, workbook_bytes, write_frame
from weakorg.findings import INFO, SEVERITIES, SEVERITY_LABELS, Finding, findings_to_frame, rule_name, rule_names
from weakorg.vocab import (
    ANNOTATION_AUTHOR,
    FINDING_LIST_HEADERS,
    FINDING_LIST_SHEET,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    NO_UNIT_LABEL,
    SEVERITY_FILLS,
)

WIDTHS = {"unit": 16, "form": 14, "file": 36, "sheet": 14, "cell": 8, "org": 30, "rule": 24, "title": 30}
MESSAGE_WIDTH = 90
ANNOTATABLE = (".xlsx", ".xlsm")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # error first
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)")
FORMULA_NOTE = "此处原为公式“{formula}”，批注副本只保留其计算结果（原文件不变）"
# A formula saved without its result (written by a program, never recalculated): the copy keeps its text, as text
UNCACHED_NOTE = "此处原为公式“{formula}”，原文件未保存其计算结果，批注副本以文字保留该公式：请填入实际数字"


def findings_frame(findings: Iterable[Finding], codes: bool = True) -> pd.DataFrame:
    """Findings as a list: Chinese headers, errors first, then by file, sheet and cell; the rule codes (for
    machines) only with ``codes``: what goes back to a unit names each rule in Chinese alone."""
    frame = findings_to_frame(list(findings))
    frame = frame.assign(_rank=frame["severity"].map(_RANK).fillna(len(_RANK)))
    frame = frame.sort_values(["_rank", "unit", "file", "sheet"], kind="stable", na_position="last")
    frame["unit"] = frame["unit"].fillna(NO_UNIT_LABEL)  # said as the pages say it, not left blank
    frame["title"] = rule_names(frame["rule"])
    frame["form"] = frame["form"].map(lambda f: f"{FORM_ATTACHMENTS[f]}{FORM_SHORT[f]}" if f in FORM_SHORT else f)
    frame["severity"] = frame["severity"].map(SEVERITY_LABELS).fillna(frame["severity"])
    headers = {k: v for k, v in FINDING_LIST_HEADERS.items() if codes or k != "rule"}
    out = frame.reindex(columns=list(headers)).rename(columns=headers)
    return out.astype(object).where(out.notna(), None).reset_index(drop=True)


def _write_list(ws, findings: list[Finding], codes: bool) -> None:
    frame = findings_frame(findings, codes)
    headers = [k for k in FINDING_LIST_HEADERS if codes or k != "rule"]
    write_frame(ws, frame, header_style=False)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    severity_col = headers.index("severity") + 1
    fills = {SEVERITY_LABELS[s]: PatternFill("solid", fgColor=c) for s, c in SEVERITY_FILLS.items()}
    for row, severity in enumerate(frame.iloc[:, severity_col - 1], start=2):
        fill = fills.get(severity)
        if fill:
            ws.cell(row, severity_col).fill = fill
    for i, key in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(key, MESSAGE_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def findings_workbook(findings: Iterable[Finding], codes: bool = True) -> bytes:
    """The findings as an .xlsx list (填报单位, 表格, 文件, 工作表, 单元格, 党组织, 规则代码, 规则, 严重程度, 说明);
    without the 规则代码 column (``codes=False``) for a list sent back to a unit."""
    wb = Workbook()
    _write_list(wb.active, list(findings), codes)
    wb.active.title = FINDING_LIST_SHEET
    return workbook_bytes(wb)


def _anchor(ws, cell: str) -> str | None:
    """The cell a finding's reference points at: the first cell of a range, the top-left of a merged area."""
    m = _CELL.match(cell.strip())
    if not m:
        return None
    try:
        coordinate_from_string(f"{m.group(1)}{m.group(2)}")
    except ValueError:
        return None
    ref = f"{m.group(1).upper()}{m.group(2)}"
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return merged.start_cell.coordinate
    return ref


def _comment_text(found: list[Finding]) -> str:
    return "\n".join(f"【{SEVERITY_LABELS.get(f.severity, f.severity)}·{rule_name(f.rule)}】{f.message}" for f in found)


def annotate_workbook(content: bytes, findings: Iterable[Finding]) -> bytes:
    """The unit's own .xlsx with each offending cell filled by severity and the messages as its comment.

    Findings whose sheet or cell the workbook does not have are listed on an added sheet
    (问题清单). Raises ValueError for content openpyxl cannot open (.xls, .csv).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            macros = any(n.lower().endswith("vbaproject.bin") for n in z.namelist())
        wb = load_workbook(io.BytesIO(content), keep_vba=macros)
        shown = load_workbook(io.BytesIO(content), data_only=True)  # the values its formulas last showed
    except Exception as exc:  # not an .xlsx/.xlsm: there is nothing to annotate
        raise ValueError(f"cannot annotate this workbook: {exc}") from exc
    _values_not_formulas(wb, shown)
    at: dict[tuple[str, str], list[Finding]] = {}
    elsewhere: list[Finding] = []
    for f in findings:
        ref = _anchor(wb[f.sheet], f.cell) if f.sheet in wb.sheetnames and f.cell else None
        if ref is None:
            elsewhere.append(f)
        else:
            at.setdefault((f.sheet, ref), []).append(f)
    for (sheet, ref), found in at.items():
        found.sort(key=lambda f: _RANK.get(f.severity, len(_RANK)))
        cell = wb[sheet][ref]
        cell.fill = PatternFill("solid", fgColor=SEVERITY_FILLS.get(found[0].severity, SEVERITY_FILLS[INFO]))
        text = clean_text(_comment_text(found))
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n{text}"
        comment = Comment(text, ANNOTATION_AUTHOR)
        comment.width, comment.height = 360, 60 + 40 * len(found)
        cell.comment = comment
    if elsewhere:
        name = FINDING_LIST_SHEET
        while name in wb.sheetnames:
            name += "_"
        _write_list(wb.create_sheet(name), elsewhere, codes=False)  # sent back: rules by name
    return workbook_bytes(wb)


def _values_not_formulas(wb, shown) -> None:
    """Every formula of the workbook replaced by the value it last showed, its text in the cell's comment; every
    text that looks like a formula given a quote prefix (Excel never reads it as one)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formula = getattr(cell.value, "text", None) or str(cell.value)  # an ArrayFormula has .text
                    value = shown[ws.title][cell.coordinate].value
                    note = FORMULA_NOTE if value is not None else UNCACHED_NOTE
                    set_cell(cell, value if value is not None else formula)  # its text (quoted: never run), not blank
                    cell.comment = Comment(clean_text(note.format(formula=formula)), ANNOTATION_AUTHOR)
                elif cell.data_type == "s" and isinstance(cell.value, str) and looks_like_formula(cell.value):
                    cell.quotePrefix = True


def can_annotate(name: str, content: bytes | None = None) -> bool:
    """Whether a file can be annotated: an .xlsx or .xlsm name and (when given) content that is such a workbook, not
    a CSV or an .xls renamed; others get the findings list only."""
    if not name.lower().endswith(ANNOTATABLE):
        return False
    if content is None:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
