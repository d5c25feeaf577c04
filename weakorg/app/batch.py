"""A batch of uploads as the upload page lists it: per file and per unit, filtered, summed up, picked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from weakorg.app.uploads import STATUS_REJECTED, UploadResult, batch_findings
from weakorg.findings import ERROR, INFO, SEVERITIES, SEVERITY_LABELS, WARNING, findings_to_frame
from weakorg.vocab import CATEGORY_LABEL, UNIT_LABEL

REFUSED_COUNT = "拒收文件"


def unit_findings_table(results: Iterable[UploadResult]) -> pd.DataFrame:
    """Per unit of the uploads: its files, those refused, and its errors, warnings and notes (each finding once).

    A file refused, or whose contents name no unit, counts for the unit its name shows (``unit_in_name``).
    """
    results = list(results)
    frame = findings_to_frame(batch_findings(results))
    unknown = "（未识别）"
    unit_of_file = {r.name: r.unit or unknown for r in results}
    files = pd.Series(list(unit_of_file.values()), dtype=object).value_counts()
    refused = pd.Series([r.unit or unknown for r in results if not r.ok], dtype=object).value_counts()
    frame["unit"] = frame["unit"].fillna(frame["file"].map(unit_of_file)).fillna(unknown)
    counts = frame.groupby(["unit", "severity"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    units = list(dict.fromkeys([*files.index, *counts.index]))
    out = pd.DataFrame({"unit": units})
    out["files"] = out["unit"].map(files).fillna(0).astype(int)
    for sev in SEVERITIES:
        col = counts[sev] if sev in counts.columns else pd.Series(dtype=int)
        out[sev] = out["unit"].map(col).fillna(0).astype(int)
    out["refused"] = out["unit"].map(refused).fillna(0).astype(int)
    order = [ERROR, "refused", WARNING, "unit"]
    out = out.sort_values(order, ascending=[False, False, False, True], kind="stable")
    headers = {"unit": UNIT_LABEL, "files": "文件数", "refused": REFUSED_COUNT, **SEVERITY_LABELS}
    return out.rename(columns=headers).reset_index(drop=True)


def upload_table(results: Iterable[UploadResult]) -> pd.DataFrame:
    """One row per uploaded file: what was recognised, or why it was refused."""
    columns = ["文件", "状态", UNIT_LABEL, CATEGORY_LABEL, "表格", "行数", "错误", "警告", "说明"]
    return pd.DataFrame([r.recognised() for r in results], columns=columns).fillna({"说明": ""})


UPLOAD_SHOW = ("全部", "有错误", "有警告", "已拒收", "无问题")  # what the upload table's filter offers


def select_uploads(table: pd.DataFrame, show: str = "全部", search: str = "") -> pd.DataFrame:
    """The upload table's rows to show: one of UPLOAD_SHOW, and a file or unit name containing ``search``."""
    errors, warnings = table["错误"].fillna(0), table["警告"].fillna(0)
    refused = table["状态"] == STATUS_REJECTED
    keep = {
        "有错误": errors > 0,
        "有警告": warnings > 0,
        "已拒收": refused,
        "无问题": ~refused & (errors == 0) & (warnings == 0),
    }.get(show, pd.Series(True, index=table.index))
    search = search.strip()
    if search:
        names = table["文件"].fillna("") + " " + table[UNIT_LABEL].fillna("")
        keep = keep & names.str.contains(search, regex=False)
    return table[keep].reset_index(drop=True)


PROBLEM_FILES_LABEL = "有错误、警告或提示的文件及拒收的文件（共 {n} 个）"  # the picker of files to look into
NO_PROBLEM_SHOWN = "按当前的“显示”和查找条件，上表中没有需要查看的文件。"


def upload_summary(results: Sequence[UploadResult]) -> str:
    """A batch in one sentence: how many files, readable (with errors, warnings at most, hints only, nothing)
    and refused; the parts add up to the whole."""
    ok = [r for r in results if r.ok]
    errors = sum(r.errors > 0 for r in ok)
    warned = sum(r.errors == 0 and any(f.severity == WARNING for f in r.findings) for r in ok)
    hinted = sum(bool(r.findings) and all(f.severity == INFO for f in r.findings) for r in ok)
    return (
        f"共 {len(results)} 个文件：可读取 {len(ok)} 个（有错误 {errors} 个，仅有警告 {warned} 个，"
        f"仅有提示 {hinted} 个，没有问题 {len(ok) - errors - warned - hinted} 个），"
        f"{STATUS_REJECTED} {len(results) - len(ok)} 个。"
    )


def problem_uploads(results: Iterable[UploadResult]) -> list[UploadResult]:
    """The uploads to look into (refused, or with findings), grouped by unit, then in upload order."""
    return sorted((r for r in results if not r.ok or r.findings), key=lambda r: r.unit or "")


def upload_label(result: UploadResult) -> str:
    """One line naming an upload in a picker: unit, file, status, and its errors and warnings."""
    head = f"{result.unit_text} · {result.name}：{result.recognised()['状态']}"
    if not result.ok:
        return head
    warnings = sum(f.severity == WARNING for f in result.findings)
    hints = sum(f.severity == INFO for f in result.findings)
    return f"{head}（错误 {result.errors}，警告 {warnings}" + (f"，提示 {hints}）" if hints else "）")
