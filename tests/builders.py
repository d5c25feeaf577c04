"""Build reader output (Table, FileResult, Returns) directly in code, per the tables.py contract."""

from __future__ import annotations

from datetime import date

import pandas as pd

from weakorg.tables import F2_ROW_COLUMNS, F3_ROW_COLUMNS, FileResult, Returns, Table, returns_from_files
from weakorg.vocab import F1, F1_COLUMNS, F1_PCT_ORGS_KEYS, F1_PCT_WEAK_KEYS, F1_ROWS, F2, F3, F3_COLUMNS

UNIT = "娄星区"
ON_TIME = date(2014, 3, 11)
LATER = date(2014, 4, 20)

# A consistent F1 table: 2+8+90 = 100 organizations, 5 weak, criteria 2+1+1+1+1+0 = 6 >= 5.
GOOD_COUNTS = {
    "orgs_total": 100,
    "party_committees": 2,
    "general_branches": 8,
    "branches": 90,
    "weak_total": 5,
    "c1": 2,
    "c2": 1,
    "c3": 1,
    "c4": 1,
    "c5": 1,
    "c6": 0,
}
F1_TOP = 5  # the row of 所辖基层党组织 on the official sheet; counts in B, percentages in C and D
F1_LETTERS = {"count": "B", "pct_orgs": "C", "pct_weak": "D"}

# Register columns as laid out by the templates (F2 with its optional columns at the right).
F2_LETTERS = dict(zip(["seq", "name", "members", "problems", "secretary", "phone"], "ABCDEF", strict=True)) | {
    "category": "G",
    "criteria_stated": "H",
    "status": "I",
    "accepted_on": "J",
}
F3_LETTERS = dict(zip(F3_COLUMNS, "ABCDEFGH", strict=True))
REGISTER_TOP = 5


def percents(counts: dict) -> dict[str, float]:
    """The correct percentages of an F1 table (in points, one decimal), keyed like ``c1_pct_weak``."""
    out = {}
    for key in F1_PCT_ORGS_KEYS:
        if counts.get(key) is not None and counts.get("orgs_total"):
            out[f"{key}_pct_orgs"] = round(counts[key] / counts["orgs_total"] * 100, 1)
    for key in F1_PCT_WEAK_KEYS:
        if counts.get(key) is not None and counts.get("weak_total"):
            out[f"{key}_pct_weak"] = round(counts[key] / counts["weak_total"] * 100, 1)
    return out


def f1_table(
    unit: str | None = UNIT,
    category: str | None = "农村",
    reported_on: date | None = ON_TIME,
    sheet: str = "附件1",
    top: int = F1_TOP,
    unit_raw: str | None = None,
    category_raw: str | None = None,
    pcts: dict | None = None,
    **counts,
) -> Table:
    """One F1 table; counts default to GOOD_COUNTS (override any, None for blank), percentages correct unless given."""
    values = {**GOOD_COUNTS, **counts}
    pct = {**percents(values), **(pcts or {})}
    records = {}
    for i, key in enumerate(F1_ROWS):
        row = top + i
        rec = {"count": values.get(key), "count_cell": f"B{row}"}
        for col in list(F1_COLUMNS)[1:]:
            rec[col] = pct.get(f"{key}_{col}")
            rec[f"{col}_cell"] = f"{F1_LETTERS[col]}{row}"
        records[key] = rec
    rows = pd.DataFrame.from_dict(records, orient="index").astype(
        {"count": float, "pct_orgs": float, "pct_weak": float}
    )
    return Table(
        F1,
        sheet,
        rows,
        unit=unit,
        unit_raw=unit_raw if unit_raw is not None else unit,
        unit_cell="A3",
        category=category,
        category_raw=category_raw if category_raw is not None else category,
        category_cell="C3",
        reported_on=reported_on,
        date_raw=reported_on.isoformat() if reported_on else None,
        date_cell="E3",
    )


def org(name: str, members=25, **fields) -> dict:
    """One register line (F2 or F3) as a dict of fields; members_raw and phone_raw default to the values as text."""
    out = {"name": name, "members": members, "secretary": "张三", "phone": "13907381234", **fields}
    out.setdefault("members_raw", None if members is None else str(members))
    out.setdefault("phone_raw", out.get("phone"))
    return out


def _register_rows(lines: list[dict | str], letters: dict[str, str], columns: tuple[str, ...]) -> pd.DataFrame:
    records = []
    for i, line in enumerate(lines):
        data = org(line) if isinstance(line, str) else line
        row = REGISTER_TOP + i
        rec = {c: None for c in columns}
        rec["row"] = row
        rec["seq"], rec["seq_cell"] = float(i + 1), f"A{row}"
        for field, letter in letters.items():
            if field in data:
                rec[field] = data[field]
            rec[f"{field}_cell"] = f"{letter}{row}"
        rec["members_raw"], rec["phone_raw"] = data.get("members_raw"), data.get("phone_raw")
        records.append(rec)
    rows = pd.DataFrame(records, columns=list(columns))
    rows["members"] = pd.to_numeric(rows["members"], errors="coerce").astype(float)
    return rows


def f2_table(
    lines: list[dict | str],
    unit: str | None = UNIT,
    reported_on: date | None = ON_TIME,
    sheet: str = "附件2",
    unit_raw: str | None = None,
    category: str | None = None,
) -> Table:
    """One F2 register: lines are org(...) dicts or bare names."""
    return Table(
        F2,
        sheet,
        _register_rows(lines, F2_LETTERS, F2_ROW_COLUMNS),
        unit=unit,
        unit_raw=unit_raw if unit_raw is not None else unit,
        unit_cell="B3",
        category=category,
        reported_on=reported_on,
        date_raw=reported_on.isoformat() if reported_on else None,
        date_cell="E3",
    )


def f3_table(
    lines: list[dict | str],
    unit: str | None = UNIT,
    reported_on: date | None = ON_TIME,
    sheet: str = "附件3",
    unit_raw: str | None = None,
) -> Table:
    """One F3 register of villages: lines are org(...) dicts or bare names."""
    return Table(
        F3,
        sheet,
        _register_rows(lines, F3_LETTERS, F3_ROW_COLUMNS),
        unit=unit,
        unit_raw=unit_raw if unit_raw is not None else unit,
        unit_cell="B3",
        reported_on=reported_on,
        date_raw=reported_on.isoformat() if reported_on else None,
        date_cell="G3",
    )


def file_result(name: str, *tables: Table, findings: list | None = None) -> FileResult:
    """A readable file holding the given tables."""
    return FileResult(name, sha256=name, size=1, tables=list(tables), findings=list(findings or []))


def rejected(name: str, reason: str = "NOT_SPREADSHEET", message: str = "该文件不是电子表格。") -> FileResult:
    """A file the reader refused."""
    return FileResult(name, sha256=name, status="rejected", reason=reason, message=message)


def returns_of(*files: FileResult) -> Returns:
    """The frames of a batch of files, as the reader would hand them on."""
    return returns_from_files(list(files))


def five_weak_orgs(prefix: str = "") -> list[dict]:
    """Five valid register lines matching GOOD_COUNTS: weak total 5, their problems meet c1..c6 = 2, 1, 1, 1, 1, 0."""
    problems = (
        "书记长期外出务工，班子不齐",
        "支委缺额1人，班子不团结",
        "书记工作不在状态",
        "支部已6年未换届",
        "三会一课长期不落实",
    )
    return [org(f"{prefix}{n}村党支部", problems=p) for n, p in zip("甲乙丙丁戊", problems, strict=True)]
