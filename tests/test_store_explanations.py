"""Explaining a warning: stored beside it, the latest reason stands, an error cannot be explained."""

from __future__ import annotations

import pytest

from weakorg.findings import finding
from weakorg.store import Store

WARNING = finding(
    "SMALL_BRANCH", "只有2名党员。", file="a.xlsx", sheet="附件2", cell="C5", unit="娄星区", org="甲村党支部"
)
ERROR = finding("MEMBERS_INVALID", "党员数“若干”不是数字。", file="a.xlsx", sheet="附件2", cell="C6", unit="娄星区")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'weakorg.db'}")


def test_a_warning_is_explained_and_the_latest_reason_stands(store):
    before = store.version()
    store.explain(WARNING, "该支部为新建支部，正在发展党员。", by="分析员甲")
    store.explain(WARNING, "  新建支部，已有2名入党积极分子。 ", by="分析员乙")
    out = store.explanations()
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["rule"], row["cell"], row["org"], row["unit"]) == ("SMALL_BRANCH", "C5", "甲村党支部", "娄星区")
    assert (row["reason"], row["explained_by"]) == ("新建支部，已有2名入党积极分子。", "分析员乙")
    assert store.version() == before + 2  # caches keyed on the version see the change


def test_an_error_cannot_be_explained_nor_a_warning_without_a_reason(store):
    with pytest.raises(ValueError, match="cannot be explained"):
        store.explain(ERROR, "情况特殊")
    with pytest.raises(ValueError, match="reason"):
        store.explain(WARNING, "  ")
    assert store.explanations().empty


def test_explanations_follow_the_scope(store):
    store.explain(WARNING, "新建支部。")
    assert len(store.explanations({"娄星区"})) == 1
    assert store.explanations({"双峰县"}).empty


def test_a_reason_typed_with_control_characters_is_stored_without_them(database_url):
    store = Store(database_url)  # PostgreSQL refuses a NUL in text: it must never reach the database
    store.explain(WARNING, "新建\x00支部\x0b。", by="分析员\x00甲")
    row = store.explanations().iloc[0]
    assert (row["reason"], row["explained_by"]) == ("新建支部。", "分析员甲")
    with pytest.raises(ValueError, match="reason"):
        store.explain(WARNING, "\x00\x01 ")
