"""报送情况: units that sent nothing first, late against the deadline, resubmissions and open errors."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from builders import f1_table, f2_table, f3_table, file_result, five_weak_orgs, org

from weakorg.app import load_samples_if_empty
from weakorg.campaign import default_campaign
from weakorg.documents.bulletin import late_and_missing
from weakorg.findings import finding
from weakorg.status import STANDING_COLUMNS, status_table, status_to_json, unit_status
from weakorg.store import Store

ON_TIME, LATE, LATER = date(2014, 3, 11), date(2014, 3, 14), date(2014, 4, 15)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'weakorg.db'}")


def status_of(store: Store):
    status = unit_status(store.submissions(), store.returns())
    return status.set_index("unit")


def test_units_that_sent_nothing_come_first_then_late_then_on_time(store):
    store.add(file_result("娄星区.xlsx", f1_table(), f2_table(five_weak_orgs())))
    store.add(file_result("新化县.xlsx", f1_table("新化县", reported_on=LATE)))
    status = unit_status(store.submissions(), store.returns())
    assert status["state"].tolist()[:10] == ["missing"] * 10
    assert status["unit"].tolist()[-2:] == ["新化县", "娄星区"]
    assert status["state"].tolist()[-2:] == ["late", "on_time"]
    table = status_table(status)
    assert table["报送状态"].tolist()[-3:] == ["从未报送", "首次逾期", "首次按时"]
    assert table.iloc[-1]["已报表格"] == "附件1、附件2" and table.iloc[0]["首次填表时间"] == "——"


def test_a_category_first_sent_after_the_deadline_makes_the_unit_late(store):
    store.add(file_result("a.xlsx", f1_table(reported_on=ON_TIME)))
    store.add(file_result("b.xlsx", f1_table(reported_on=LATER), f1_table(category="学校", reported_on=LATER)))
    row = status_of(store).loc["娄星区"]
    assert (row["state"], row["on_time"]) == ("late", False)
    assert row["categories"] == ["农村", "学校"]
    assert (row["first_reported_on"], row["last_reported_on"]) == (ON_TIME, LATER)
    assert (row["late_parts"], row["late_reported_on"]) == (["附件1（学校）"], LATER)  # only that came late


def test_a_unit_whose_附件3_alone_came_late_is_named_with_that_form_and_its_date(store):
    store.add(file_result("a.xlsx", f1_table(reported_on=ON_TIME), f2_table(five_weak_orgs(), reported_on=ON_TIME)))
    store.add(file_result("b.xlsx", f3_table([org("甲村党支部")], reported_on=LATER)))
    store.add(file_result("新化县.xlsx", f1_table("新化县", reported_on=LATER)))  # all of it late
    status = unit_status(store.submissions(), store.returns())
    table = status_table(status).set_index("填报单位")
    assert table.loc["娄星区", "报送状态"] == "首次逾期（附件3）" and table.loc["新化县", "报送状态"] == "首次逾期"
    data = SimpleNamespace(status=status, campaign=default_campaign(), day=None, categories=())
    first, _ = late_and_missing(data)
    day = f"{LATER.year}年{LATER.month}月{LATER.day}日"
    assert f"娄星区（附件3首次填表时间{day}）" in first and f"新化县（首次填表时间{day}）" in first


def test_later_rounds_and_corrected_copies_are_resubmissions(store):
    store.add(file_result("1.xlsx", f1_table(reported_on=ON_TIME)))
    store.add(file_result("2.xlsx", f1_table(reported_on=LATER)))
    store.add(file_result("2更正.xlsx", f1_table(reported_on=LATER, orgs_total=100)))
    store.add(file_result("3.xlsx", f1_table(reported_on=date(2014, 4, 30))))
    row = status_of(store).loc["娄星区"]
    assert (row["submissions"], row["resubmissions"], row["state"]) == (4, 3, "on_time")


def test_open_errors_are_those_of_the_returns_that_stand_now(store):
    error = finding("BREAKDOWN_SUM", "党委、党总支、党支部之和不等于所辖基层党组织数", file="1.xlsx")
    store.add(file_result("1.xlsx", f1_table(reported_on=ON_TIME)), [error])
    assert status_of(store).loc["娄星区", "open_errors"] == 1
    store.add(file_result("2.xlsx", f1_table(reported_on=LATER)))  # the corrected return stands
    assert status_of(store).loc["娄星区", "open_errors"] == 0


def test_json_is_one_object_per_unit_with_null_for_nothing(store):
    store.add(file_result("新化县.xlsx", f1_table("新化县", reported_on=LATE)))
    rows = status_to_json(unit_status(store.submissions(), store.returns()))
    assert len(rows) == 12 and rows[0]["on_time"] is None and rows[0]["first_reported_on"] is None
    assert rows[-1] == {
        "unit": "新化县",
        "state": "late",
        "forms": ["F1"],
        "categories": ["农村"],
        "first_reported_on": "2014-03-14",
        "last_reported_on": "2014-03-14",
        "on_time": False,
        "late_parts": [],  # all it sent came late
        "late_reported_on": "2014-03-14",
        "submissions": 1,
        "resubmissions": 0,
        "open_errors": 0,
    }


def test_the_standing_columns_are_enough_to_tell_each_units_status(store):
    load_samples_if_empty(store, demo=True)
    narrow = store.returns(columns=STANDING_COLUMNS, findings=False)
    whole = unit_status(store.submissions(), store.returns())
    assert len(whole) == 12 and whole["open_errors"].sum() > 0  # some returns that stand have errors
    pd.testing.assert_frame_equal(unit_status(store.submissions(), narrow), whole)


def test_a_withdrawn_or_held_return_is_not_counted_as_sent(store):
    store.add(file_result("a.xlsx", f1_table(reported_on=ON_TIME)))
    late = store.add(file_result("b.xlsx", f1_table(category="学校", reported_on=LATE)))
    store.add(file_result("c.xlsx", f1_table(reported_on=date(2099, 1, 1))), today=date(2014, 5, 1))
    assert status_of(store).loc["娄星区", "state"] == "late"
    store.withdraw(late, "学校类别报错单位", by="分析员甲")
    row = status_of(store).loc["娄星区"]
    assert (row["state"], row["submissions"], row["last_reported_on"]) == ("on_time", 1, ON_TIME)


def test_the_open_errors_counted_are_the_errors_standing_now_as_the_page_lists_them(store):
    """A check that finds an error after the upload (here: a unit's 附件1 and a register from another file) is
    counted as 报送情况 lists it: the store's current findings, not only the errors each file got when uploaded."""
    from weakorg import scoped
    from weakorg.findings import ERROR

    store.add(file_result("娄星区附件1.xlsx", f1_table()))  # 5 weak organizations
    store.add(file_result("娄星区附件2.xlsx", f2_table(five_weak_orgs()[:3])))  # 3 listed against 5
    errors = [f for f in store.current_findings() if f.severity == ERROR and f.unit == "娄星区"]
    assert errors and status_of(store).loc["娄星区", "open_errors"] == 0  # each file was clean when uploaded
    counted = scoped.unit_status(store).set_index("unit").loc["娄星区", "open_errors"]
    assert counted == len(errors)
