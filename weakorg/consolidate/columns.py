"""The frames' columns consolidation builds and reads, defined once."""

from __future__ import annotations

from weakorg.tables import LISTED_ABOVE
from weakorg.vocab import CATEGORIES, F1, F1_COUNT_KEYS, F2, F3

SUMMARY_COLUMNS = [
    "unit",
    "category",
    "reported_on",
    "orgs_total",
    "party_committees",
    "general_branches",
    "branches",
    "weak_total",
    "c1",
    "c2",
    "c3",
    "c4",
    "c5",
    "c6",
]
COUNT_COLUMNS = list(F1_COUNT_KEYS)
WEAK_ORG_COLUMNS = [
    "unit",
    "name",
    "category",
    "members",
    "problems",
    "criteria",
    "flags",
    "secretary",
    "phone",
    "status",
    "accepted_on",
    "reported_on",
]
VILLAGE_COLUMNS = [
    "unit",
    "name",
    "members",
    "problems",
    "measures",
    "election_done",
    "secretary",
    "phone",
    "reported_on",
]
FILE_KEYS = ["path", "status", "reason", "unit", "forms", "categories"]
FINDING_KEYS = ["severity", "rule", "message", "file", "sheet", "cell", "unit", "category", "org"]
_KEYS = ["file_idx", "table_idx", "unit", "category", "reported_on"]
# What the store keeps of each register line's 主要问题 as the criteria rules read it, and under which rules.
READING_COLUMNS = ("criteria_read", "flags_read", "read_by")
# The frame columns consolidation reads (``Store.returns(columns=...)`` reads no others).
PICTURE_COLUMNS = {
    F1: [*_KEYS, *COUNT_COLUMNS],
    F2: [
        *_KEYS,
        "row",
        LISTED_ABOVE,
        *(c for c in WEAK_ORG_COLUMNS if c not in ("criteria", "flags")),
        "criteria_stated",
        *READING_COLUMNS,
    ],
    F3: [*_KEYS, "row", LISTED_ABOVE, *VILLAGE_COLUMNS, "election_done_raw"],
}
VILLAGE_CATEGORY = CATEGORIES[0]  # F3 lists villages: they count under 农村 when filtering by category
