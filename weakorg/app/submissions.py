"""The stored submissions as the upload page lists them."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from weakorg.store import Store
from weakorg.vocab import CATEGORY_LABEL, FORM_ATTACHMENTS, UNIT_LABEL, local_time

SUBMISSION_HEADERS = {
    "id": "编号",
    "name": "文件名",
    "unit": UNIT_LABEL,
    "forms": "表格",
    "categories": CATEGORY_LABEL,
    "reported_on": "填表时间",
    "uploaded_at": "上传时间",
    "uploaded_by": "上传人",
    "errors": "上传时错误",  # found when it was saved: 报送情况's 未改正错误 is what stands now (after a reassignment)
    "warnings": "上传时警告",
}


def submissions_table(store: Store, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """The stored submissions in scope, newest first, with Chinese headers."""
    subs = store.submissions(set(scope) if scope is not None else None)
    forms = subs["forms"].fillna("").str.split(",")
    subs["forms"] = forms.map(lambda fs: "、".join(FORM_ATTACHMENTS.get(f, f) for f in fs if f))
    subs["categories"] = subs["categories"].fillna("").str.replace(",", "、")
    subs["uploaded_at"] = subs["uploaded_at"].map(local_time)  # stored in UTC, read in Beijing time
    out = subs.reindex(columns=list(SUBMISSION_HEADERS)).rename(columns=SUBMISSION_HEADERS)
    return out.iloc[::-1].reset_index(drop=True)
