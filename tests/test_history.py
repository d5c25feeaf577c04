"""Progress over time: each unit stands with its latest register on each day; the city is their sum."""

from __future__ import annotations

from datetime import date

import pandas as pd
from builders import f2_table, f3_table, file_result, org, returns_of

from weakorg.app import SAMPLE_DIR, process_uploads, sample_files, save_uploads
from weakorg.campaign import default_campaign
from weakorg.consolidate import consolidate
from weakorg.history import (
    MEASURES,
    as_of,
    city_progress,
    previous_returns,
    progress,
    report_dates,
    stored_progress,
)
from weakorg.store import Store
from weakorg.tables import returns_from_files

D1, D2, D3 = date(2014, 3, 10), date(2014, 4, 15), date(2014, 4, 30)


def register(unit: str, day: date, **statuses) -> object:
    lines = [org(name, status=status) for name, status in statuses.items()]
    return f2_table(lines, unit=unit, reported_on=day)


def rows(frame, unit: str) -> list[list]:
    part = frame[frame["unit"] == unit]
    return [[r["reported_on"], *(r[m] for m in MEASURES)] for r in part.to_dict("records")]


def test_each_unit_carries_its_last_register_and_the_city_sums_them():
    first = file_result("a1.xlsx", register("娄星区", D1, 甲村="未启动", 乙村=None))
    later = file_result("a2.xlsx", register("娄星区", D3, 甲村="已转化", 乙村="整顿中"))
    other = file_result("b1.xlsx", register("双峰县", D2, 丙村="已验收"))
    by_unit = progress(returns_of(first, later, other))
    #                       未启动 整顿中 已转化 已验收 weak villages elected
    assert rows(by_unit, "娄星区") == [
        [D1, 2, 0, 0, 0, 2, 0, 0],
        [D2, 2, 0, 0, 0, 2, 0, 0],
        [D3, 0, 1, 1, 0, 2, 0, 0],
    ]
    assert rows(by_unit, "双峰县") == [[D2, 0, 0, 0, 1, 1, 0, 0], [D3, 0, 0, 0, 1, 1, 0, 0]]
    assert rows(city_progress(by_unit), "全市") == [
        [D1, 2, 0, 0, 0, 2, 0, 0],
        [D2, 2, 0, 0, 1, 3, 0, 0],
        [D3, 0, 1, 1, 1, 3, 0, 0],
    ]


def test_villages_re_elected_and_a_correction_of_the_same_day_standing():
    villages = file_result("v1.xlsx", f3_table([org("甲村党支部"), org("乙村党支部")], reported_on=D1))
    done = f3_table([org("甲村党支部", election_done=D2), org("乙村党支部")], reported_on=D2)
    wrong = file_result("v2.xlsx", register("娄星区", D2, 甲村="整顿中"))
    corrected = file_result("v2更正.xlsx", register("娄星区", D2, 甲村="已转化"), done)
    by_unit = progress(returns_of(villages, wrong, corrected))
    assert rows(by_unit, "娄星区") == [[D1, 0, 0, 0, 0, 0, 2, 0], [D2, 0, 0, 1, 0, 1, 2, 1]]


def test_units_limit_the_progress_and_nothing_gives_an_empty_frame():
    other = file_result("b1.xlsx", register("双峰县", D2, 丙村="已验收"))
    assert set(progress(returns_of(other), ("娄星区",))["unit"]) == set()
    assert city_progress(progress(returns_of())).empty


def test_the_sample_campaign_ends_where_the_current_picture_stands():
    campaign = default_campaign()
    results = process_uploads([(p.name, p.read_bytes()) for p in sample_files(SAMPLE_DIR)], campaign)
    returns = returns_from_files([r.file for r in results if r.ok])
    city = city_progress(progress(returns, campaign.unit_names))
    picture = consolidate(returns, campaign)
    last = city.iloc[-1]
    assert last["weak_total"] == len(picture.weak_orgs)
    assert last["villages"] == picture.city["villages"]
    assert last["villages_elected"] == picture.city["villages_elected"]
    assert city["reported_on"].is_monotonic_increasing and city["已验收"].iloc[0] == 0 < last["已验收"]


def test_progress_read_as_counts_from_the_store_is_the_progress_of_the_stored_returns(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    assert stored_progress(store).empty
    campaign = default_campaign()
    save_uploads(store, process_uploads([(p.name, p.read_bytes()) for p in sample_files(SAMPLE_DIR)], campaign))
    villages = f3_table([org("甲村党支部", election_done=D2), org("乙村党支部")], reported_on=D2)
    store.add(file_result("v1.xlsx", register("娄星区", D2, 甲村="整顿中", 乙村=None), villages))
    store.add(file_result("v2.xlsx", register("娄星区", D2, 甲村="已转化")))
    for units in (campaign.unit_names, None, ("娄星区",), ("无此单位",)):
        expected = progress(store.returns(), units)
        pd.testing.assert_frame_equal(stored_progress(store, units), expected)
    assert len(expected.columns) == len(MEASURES) + 2 and len(progress(store.returns(), ("娄星区",))) > 1


def test_report_dates_are_every_form_s_dates_of_the_units_given():
    first = file_result("a1.xlsx", register("娄星区", D1, 甲村="未启动"))
    villages = file_result("a2.xlsx", f3_table([org("甲村党支部")], reported_on=D2))  # F3 only, on D2
    other = file_result("b1.xlsx", register("双峰县", D3, 丙村="已验收"))
    undated = file_result("c1.xlsx", register("新化县", None, 丁村="整顿中"))
    returns = returns_of(first, villages, other, undated)
    assert report_dates(returns) == [D1, D2, D3]
    assert report_dates(returns, ["娄星区"]) == [D1, D2]
    assert report_dates(returns, ["新化县"]) == [] and report_dates(returns_of()) == []


def test_the_previous_return_is_the_picture_as_it_stood_before_the_latest_date():
    first = file_result("a1.xlsx", register("娄星区", D1, 甲村="未启动", 乙村="未启动"))
    later = file_result("a2.xlsx", register("娄星区", D3, 甲村="已转化"))
    other = file_result("b1.xlsx", register("双峰县", D2, 丙村="已验收"))
    returns = returns_of(first, later, other)
    earlier, day = previous_returns(returns)
    assert day == D2
    assert sorted(earlier.f2["name"]) == ["丙村", "乙村", "甲村"] and set(earlier.f2["reported_on"]) == {D1, D2}
    assert as_of(returns, D3).f2.equals(returns.f2) and as_of(returns, D1).f2["name"].tolist() == ["甲村", "乙村"]
    # for 双峰县 alone there is one date only: nothing to compare with
    assert previous_returns(returns, ["双峰县"]) is None
    assert previous_returns(returns, ["娄星区"])[1] == D1
    assert previous_returns(returns_of()) is None
