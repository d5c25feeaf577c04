"""The picture in the --json shape of DESIGN.md."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from weakorg.consolidate.columns import (
    COUNT_COLUMNS,
    FILE_KEYS,
    FINDING_KEYS,
    SUMMARY_COLUMNS,
    VILLAGE_COLUMNS,
    WEAK_ORG_COLUMNS,
)
from weakorg.consolidate.picture import Picture


def json_value(value):
    """A frame value as JSON: whole numbers as ints, dates ISO, absent (None, NaN, "") as null."""
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return value
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() else value
    return value


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    data = frame.reindex(columns=columns).astype(object)
    return [{c: json_value(v) for c, v in zip(columns, values, strict=True)} for values in data.itertuples(index=False)]


def picture_to_json(picture: Picture) -> dict:
    """The picture in the --json shape of DESIGN.md: files, summary, weak_orgs, villages, findings, totals."""
    count_keys = [*COUNT_COLUMNS, "weak_share"]
    return {
        "files": [{k: json_value(f.get(k)) for k in FILE_KEYS} for f in picture.files],
        "summary": _rows(picture.summary, SUMMARY_COLUMNS),
        "weak_orgs": _rows(picture.weak_orgs, [c for c in WEAK_ORG_COLUMNS if c not in ("accepted_on", "reported_on")]),
        "villages": _rows(picture.villages, VILLAGE_COLUMNS[:-1]),
        "findings": [{k: json_value(getattr(f, k)) for k in FINDING_KEYS} for f in picture.findings],
        "totals": {
            "city": {k: json_value(v) for k, v in picture.city.items()},
            "by_category": _rows(picture.by_category, ["category", *count_keys]),
            "by_unit": _rows(picture.by_unit, ["unit", *count_keys]),
        },
    }
