"""The overview's own figures: the headline's change since the previous return, and the ranking of units."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from builders import f1_table, f2_table, f3_table, file_result, five_weak_orgs, org, returns_of

from weakorg import app, counts, overview
from weakorg.consolidate import consolidate
from weakorg.status import unit_status
from weakorg.store import Store

MARCH, APRIL = date(2014, 3, 11), date(2014, 4, 20)
MID_TERM = date(2014, 4, 15)  # the campaign's round before APRIL (loudi-2014.toml ``rounds``)


def with_statuses(statuses: list[str | None], prefix: str = "") -> list[dict]:
    return [{**line, "status": s} for line, s in zip(five_weak_orgs(prefix), statuses, strict=True)]


def test_headline_change_compares_with_the_picture_as_of_the_previous_round():
    first = file_result(
        "a1.xlsx",
        f1_table(reported_on=MARCH),
        f2_table(five_weak_orgs(), reported_on=MARCH),
        f3_table([org("甲村党支部"), org("乙村党支部")], reported_on=MARCH),
    )
    later = file_result(
        "a2.xlsx",
        f1_table(reported_on=APRIL, orgs_total=100, weak_total=4, branches=90),
        f2_table(five_weak_orgs()[:4], reported_on=APRIL),
        f3_table([org("甲村党支部", election_done=APRIL), org("乙村党支部")], reported_on=APRIL),
    )
    returns = returns_of(first, later)
    now = consolidate(returns)
    before, day = overview.previous_picture(returns)
    assert day == MID_TERM and before.city["weak_total"] == 5 and now.city["weak_total"] == 4  # March stood then
    shown = overview.headline_change(now, before)
    assert [(m.label, m.value) for m in shown] == [(m.label, m.value) for m in counts.headline(now)]
    deltas = {m.key: (m.delta, m.delta_color) for m in shown}
    assert deltas["units_reported"] == (overview.NO_CHANGE, "normal")
    assert deltas["weak_total"] == ("-1", "inverse")  # fewer weak organizations: good news, in green
    assert deltas["weak_share"] == ("-1.0 个百分点", "inverse")  # 5.0% -> 4.0%
    assert deltas["villages_elected"] == ("+1", "normal") and deltas["villages"] == (overview.NO_CHANGE, "inverse")
    assert all(m.delta is None for m in overview.headline_change(now))
    sentence = overview.change_sentence(now, before, day)
    assert sentence.startswith("与上一轮第2次报送（2014年4月15日）相比：软弱涣散基层党组织减少1个（5→4）")
    assert "难点村已完成换届的增加1个（0→1）" in sentence and "已报送单位1个，没有变化" in sentence
    assert f"；难点村{now.city['villages']}个，没有变化；" in sentence  # said beside its re-elected ones


def test_the_previous_picture_follows_the_filters_and_needs_an_earlier_round():
    a = file_result("a.xlsx", f1_table(reported_on=MARCH), f1_table(category="学校", reported_on=MARCH, weak_total=2))
    a2 = file_result("a2.xlsx", f1_table(reported_on=APRIL, weak_total=3))
    b = file_result("b.xlsx", f1_table(unit="双峰县", reported_on=APRIL, weak_total=1))
    returns = returns_of(a, a2, b)
    before, day = overview.previous_picture(returns, units=["娄星区"], categories=["农村"])
    assert day == MID_TERM and before.city["weak_total"] == 5 and before.units == ("娄星区",)
    alone, _ = overview.previous_picture(returns, units=["双峰县"])  # its first return came after the round
    assert alone.city["units_reported"] == 0 and alone.city["weak_total"] == 0
    whole, _ = overview.previous_picture(returns)
    assert whole.city["weak_total"] == 7 and whole.city["units_reported"] == 1  # 双峰县 had not reported yet
    early = returns_of(file_result("e.xlsx", f1_table(reported_on=MARCH)))
    assert overview.previous_picture(early) is None  # nothing before the first round to compare with


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    yield store
    store.engine.dispose()


def test_units_rank_by_progress_then_errors_then_timeliness_then_weak_share(store):
    late = date(2014, 3, 14)
    done3 = ["已转化", "已验收", "已转化", "整顿中", None]
    files = [
        file_result("娄星区.xlsx", f1_table(), f2_table(with_statuses(done3))),
        file_result(
            "双峰县.xlsx", f1_table(unit="双峰县", reported_on=late), f2_table(with_statuses(done3), "双峰县", late)
        ),
        file_result(  # every organization turned around, but the breakdown does not add up: an open error
            "新化县.xlsx", f1_table(unit="新化县", orgs_total=99), f2_table(with_statuses(["已验收"] * 5), "新化县")
        ),
        file_result("冷水江市.xlsx", f1_table(unit="冷水江市", orgs_total=50, branches=40)),  # no register sent
    ]
    for fr in files:
        store.add(fr)
    pic = app.picture(store)
    ranking = overview.unit_ranking(pic, unit_status(store.submissions(), store.returns()))
    assert list(ranking.columns) == overview.RANKING_COLUMNS
    top = ranking.head(4).set_index("unit")
    assert list(top.index) == ["新化县", "娄星区", "双峰县", "冷水江市"]
    assert top["rank"].tolist() == [1, 2, 3, 4]
    assert top["progress"].tolist()[:3] == [100.0, 60.0, 60.0] and pd.isna(top.at["冷水江市", "progress"])
    assert top["listed"].tolist() == [5, 5, 5, 0] and top["done"].tolist() == [5, 3, 3, 0]
    assert top["state"].tolist() == ["on_time", "on_time", "late", "on_time"]
    assert top["weak_share"].tolist() == [pytest.approx(5 / 99 * 100, abs=0.01), 5.0, 5.0, 10.0]
    errors = pd.Series([f.unit for f in pic.findings if f.severity == "error"]).value_counts()
    assert top.at["新化县", "open_errors"] == errors["新化县"] >= 1
    assert top.loc[["娄星区", "双峰县", "冷水江市"], "open_errors"].tolist() == [0, 0, 0]
    rest = ranking.iloc[4:]  # units that sent nothing share the last rank
    assert set(rest["state"]) == {"missing"} and set(rest["rank"]) == {5} and len(ranking) == len(pic.units)

    table = overview.ranking_table(ranking)
    assert list(table.columns)[:6] == [
        "排名",
        "填报单位",
        "整顿转化率（%）",
        "未改正错误",
        "报送状态",
        "软弱涣散占比（%）",
    ]
    assert table["报送状态"].tolist()[:4] == ["首次按时", "首次按时", "首次逾期", "首次按时"]
    assert table["整顿转化率（%）"].tolist()[:3] == [100.0, 60.0, 60.0]


def test_the_ranking_follows_the_unit_filter(store):
    store.add(file_result("娄星区.xlsx", f1_table(), f2_table(five_weak_orgs())))
    pic = app.picture(store, units=["娄星区", "双峰县"])
    ranking = overview.unit_ranking(pic, unit_status(store.submissions(), store.returns()))
    assert ranking["unit"].tolist() == ["娄星区", "双峰县"] and ranking["progress"].tolist()[0] == 0.0
