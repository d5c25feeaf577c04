"""As of a date: each unit's latest return filled by then stands; an early return uploaded late never rewinds."""

from __future__ import annotations

from datetime import date

from builders import f1_table, f2_table, file_result, org, returns_of

from weakorg.asof import (
    picture_as_of,
    points,
    previous_round,
    round_dates,
    round_label,
    status_as_of,
    submissions_as_of,
)
from weakorg.campaign import default_campaign
from weakorg.store import Store
from weakorg.vocab import REPORT_LATE, REPORT_MISSING, REPORT_ON_TIME

D1, D2, D3 = date(2014, 3, 11), date(2014, 4, 15), date(2014, 4, 28)


def unit_return(name: str, unit: str, day: date, weak: int, done: int = 0) -> object:
    """A unit's return of one day: an F1 table with ``weak`` weak organizations, a register listing them."""
    lines = [org(f"{unit}{i}号村党支部", status="已转化" if i < done else "整顿中") for i in range(weak)]
    counts = {"weak_total": weak, "c1": weak, "c2": 0, "c3": 0, "c4": 0, "c5": 0, "c6": 0}
    return file_result(
        name, f1_table(unit=unit, reported_on=day, **counts), f2_table(lines, unit=unit, reported_on=day)
    )


def test_an_early_return_uploaded_late_never_rewinds_the_unit():
    later = unit_return("a2.xlsx", "娄星区", D2, weak=4, done=3)
    early = unit_return("a1.xlsx", "娄星区", D1, weak=6)  # uploaded after the later one
    returns = returns_of(later, early)
    now = picture_as_of(returns, D3)
    assert now.city["weak_total"] == 4 and len(now.weak_orgs) == 4
    assert (now.weak_orgs["status"] == "已转化").sum() == 3
    then = picture_as_of(returns, D1)
    assert then.city["weak_total"] == 6 and set(then.weak_orgs["status"]) == {"整顿中"}


def test_a_unit_with_no_return_by_the_date_is_absent_and_the_city_sums_the_others():
    returns = returns_of(
        unit_return("a1.xlsx", "娄星区", D1, weak=5),
        unit_return("b1.xlsx", "双峰县", D2, weak=3),
    )
    early = picture_as_of(returns, D1)
    assert list(early.by_unit["unit"]) == ["娄星区"]
    assert early.city["units_reported"] == 1 and early.city["weak_total"] == 5
    assert "双峰县" not in set(early.weak_orgs["unit"])
    both = picture_as_of(returns, D3)
    assert both.city["units_reported"] == 2 and both.city["weak_total"] == 5 + 3
    assert picture_as_of(returns, date(2014, 3, 1)).city["units_reported"] == 0


def test_the_filters_narrow_the_picture_as_of_a_date():
    returns = returns_of(
        unit_return("a1.xlsx", "娄星区", D1, weak=5),
        unit_return("b1.xlsx", "双峰县", D1, weak=3),
    )
    pic = picture_as_of(returns, D3, units=["双峰县"])
    assert pic.units == ("双峰县",) and pic.city["weak_total"] == 3


def test_rounds_come_from_the_campaign_and_the_previous_round_is_the_latest_before():
    campaign = default_campaign()  # the file names a mid-term round between the deadline and the end
    assert round_dates(campaign) == (campaign.deadline, date(2014, 4, 15), campaign.rectification_end)
    assert previous_round(date(2014, 4, 30), campaign) == date(2014, 4, 15)
    assert previous_round(date(2014, 4, 15), campaign) == date(2014, 3, 12)
    assert previous_round(date(2014, 5, 31), campaign) == date(2014, 4, 30)
    assert previous_round(date(2014, 3, 12), campaign) is None


def test_a_round_is_named_by_its_number_and_progress_is_shown_at_the_rounds_up_to_the_latest_day():
    assert round_label(date(2014, 4, 15)) == "第2次报送（2014年4月15日）"
    assert round_label(date(2014, 4, 15), short=True) == "第2次报送（4月15日）"
    assert round_label(date(2014, 4, 20)) == "2014年4月20日"
    assert points(date(2014, 4, 20)) == [date(2014, 3, 12), date(2014, 4, 15), date(2014, 4, 20)]
    assert points(date(2014, 4, 30)) == [date(2014, 3, 12), date(2014, 4, 15), date(2014, 4, 30)]
    assert points(date(2014, 3, 10)) == [date(2014, 3, 10)]
    assert points(None) == []


def test_stored_returns_as_of_a_date_leave_out_a_withdrawn_one_and_time_the_units(database_url):
    store = Store(database_url)  # SQLite, and PostgreSQL when a test server is set
    try:
        first = store.add(unit_return("a1.xlsx", "娄星区", D1, weak=5))
        second = store.add(unit_return("a2.xlsx", "娄星区", D2, weak=2))
        store.add(unit_return("b1.xlsx", "双峰县", D2, weak=3))
        store.withdraw(second, "上传错了文件")
        returns, subs = store.returns(), store.submissions()
        pic = picture_as_of(returns, D3)
        assert pic.by_unit.set_index("unit")["weak_total"].to_dict() == {"娄星区": 5, "双峰县": 3}
        assert list(submissions_as_of(subs, D1)["id"]) == [first]
        status = status_as_of(subs, returns, D1).set_index("unit")["state"]
        assert status["娄星区"] == REPORT_ON_TIME and status["双峰县"] == REPORT_MISSING
        assert status_as_of(subs, returns, D3).set_index("unit")["state"]["双峰县"] == REPORT_LATE
    finally:
        store.engine.dispose()


def test_units_behind_the_round_a_day_falls_in_are_named_with_the_date_their_figures_are_of():
    import pandas as pd

    from weakorg.asof import behind_round, behind_text

    status = pd.DataFrame(
        {"unit": ["娄星区", "双峰县", "新化县"], "last_reported_on": [date(2014, 4, 30), date(2014, 4, 15), None]}
    )
    assert behind_round(status, date(2014, 4, 30))[0] == date(2014, 4, 30)
    assert behind_round(status, date(2014, 4, 30))[1]["unit"].tolist() == ["双峰县"]  # nothing since 4月15日
    said = behind_text(status, date(2014, 4, 30))
    assert said.startswith("第3次报送（2014年4月30日）尚未报送的有：双峰县（最近一次为2014年4月15日）")
    assert behind_round(status, date(2014, 4, 20))[1].empty  # in round 2, 4月15日 is this round's
    assert behind_text(status, date(2014, 3, 12)) == ""  # the first round: late or missing, said elsewhere
    # a late or corrected 第1次 return a week after the deadline is not the 第2次 report: its unit is behind round 2
    later = pd.DataFrame(
        {
            "unit": ["万宝新区", "双峰县", "娄星区", "新化县"],
            "last_reported_on": [date(2014, 3, 18), date(2014, 3, 19), date(2014, 4, 15), date(2014, 3, 29)],
        }
    )
    assert behind_round(later, date(2014, 4, 15))[1]["unit"].tolist() == ["万宝新区", "双峰县"]  # 3月29日: halfway
    assert behind_round(later, date(2014, 4, 20))[1]["unit"].tolist() == ["万宝新区", "双峰县"]
    assert behind_round(later, date(2014, 4, 30))[1]["unit"].tolist() == ["万宝新区", "双峰县", "娄星区", "新化县"]


def test_the_day_a_status_frame_has_reached_is_its_latest_return_and_none_before_any():
    import pandas as pd

    from weakorg.asof import behind_units, status_day

    status = pd.DataFrame(
        {"unit": ["娄星区", "双峰县", "新化县"], "last_reported_on": [date(2014, 4, 30), date(2014, 4, 15), None]}
    )
    assert status_day(status) == date(2014, 4, 30)
    assert behind_units(status, status_day(status)) == (frozenset({"双峰县"}), 3)
    nothing = status.assign(last_reported_on=None)
    assert status_day(nothing) is None
    assert behind_units(nothing, status_day(nothing)) == (frozenset(), None)
