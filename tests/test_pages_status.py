"""The 报送情况 page under AppTest: the sample campaign's units, on-time and late told apart, progress drawn."""

from __future__ import annotations

import pandas as pd
from test_pages import bars, figures, navigation_app, start, title  # noqa: F401  (the fixture makes AppTest run the router)

from weakorg import app, charts, corrections
from weakorg.asof import progress_at_rounds
from weakorg.history import progress
from weakorg.status import TABLE_NOTE, status_table, unit_status
from weakorg.store import Store
from weakorg.text import md_text, unbroken


def test_the_sample_campaign_shows_on_time_and_late_units(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")
    at = start()  # a demo's first start loads the sample returns
    at.switch_page("pages/status.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "报送情况"

    store = Store(url)
    expected = status_table(unit_status(store.submissions(), store.returns()), {"万宝新区"}, 3)
    shown = at.dataframe[0].value
    pd.testing.assert_frame_equal(shown.astype(str), expected.astype(str), check_dtype=False)
    states = dict(zip(shown["填报单位"], shown["报送状态"], strict=True))
    assert states["新化县"] == "首次逾期" and shown["填报单位"].iloc[0] == "新化县"
    assert states["娄星区"] == states["双峰县"] == "首次按时"
    assert states["万宝新区"] == "首次按时，第3次未报"  # in the table too, as the ranking and the documents say it
    assert len(shown) == 12 and "从未报送" not in states.values()
    assert "后续报送次数" in shown.columns and any(c.value == TABLE_NOTE for c in at.caption)  # what it counts
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["应报送单位"], metrics["首次按时"], metrics["首次逾期"]) == ("12", "11", "1")
    assert (metrics["从未报送"], metrics["第3次未报"]) == ("0", "1")  # 万宝新区: a round behind, counted apart
    assert any("第3次未报：此前报送过、但第3次报送（2014年4月30日）尚未报送" in c.value for c in at.caption)
    # on time with its first returns, but nothing for the last round: said above the table, with its figures' date
    assert [w.value for w in at.warning if "尚未报送" in w.value] == [
        "第3次报送（2014年4月30日）尚未报送的有：万宝新区（最近一次为2014年4月15日），按其最近一次报送统计。"
    ]

    # 未改正错误, one by one: as many as the metric says, each unit's as many as its row says, each located
    (listed,) = [m.value for m in at.markdown if m.value.startswith("1. ")]
    lines = listed.split("\n")
    assert at.header[1].value == f"未改正错误（{len(lines)} 条）" and len(lines) == int(metrics["未改正错误"]) > 0
    units = [unbroken(line[3:]).split(" · ")[0] for line in lines]
    assert {u: units.count(u) for u in shown["填报单位"]} == dict(
        zip(shown["填报单位"], shown["未改正错误"], strict=True)
    )
    picture = app.picture(store)
    errors = [f for f in picture.findings if f.severity == "error" and f.unit in set(shown["填报单位"])]
    assert len(errors) == len(lines)
    for f in errors:  # every one said whole, where it is first: unit, file, sheet and cell, rule, message
        assert md_text(app.located_line(f)) in [line[3:] for line in lines]
        assert app.located_line(f).startswith(f"{f.unit} · {f.file} · {f.sheet}") and f.message in app.located_line(f)

    # a stored return of no unit of the campaign's is said, not left out silently
    outside = corrections.outside_note(corrections.submissions_record(store))
    assert outside.startswith("另有1份已保存的报送") and "娄底市交通运输局-第3次" in outside
    assert [i.value for i in at.info if i.value.startswith("另有")] == [md_text(outside)]
    # both downloadable: the table, and the errors as a list to send back
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f"下载 {f}（{t}）" for t in ("各填报单位报送情况", "未改正错误") for f in ("Excel", "CSV")]
    (figure,) = figures(at)
    city = progress_at_rounds(progress(store.returns(), tuple(expected["填报单位"])))  # as of the rounds
    drawn = bars(figure)
    assert drawn["已验收"] == city["已验收"].tolist() and drawn["整顿中"] == city["整顿中"].tolist()

    assert at.selectbox(key="status_progress_unit").label == "整顿进展图显示的填报单位"  # not the sidebar's name
    at.selectbox(key="status_progress_unit").set_value("新化县").run()
    assert not at.exception, at.exception
    (figure,) = figures(at)
    assert figure["xAxis"]["data"][0] == "第2次报送（4月15日）"  # 新化县 first reported late (3月14日): after round 1
    assert at.query_params["progress_unit"] == "新化县"  # the unit picked is in the URL
    at.selectbox(key="status_progress_unit").set_value("全市").run()
    assert not at.exception, at.exception
    assert "progress_unit" not in at.query_params
    store.engine.dispose()


def test_a_link_opens_the_progress_of_the_unit_it_names(tmp_path, monkeypatch):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{tmp_path / 'weakorg.db'}")
    monkeypatch.setenv("WEAKORG_DEMO", "1")
    at = start()
    at.query_params.update({"progress_unit": "新化"})  # an alias of 新化县
    at.switch_page("pages/status.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="status_progress_unit").value == "新化县"
    (figure,) = figures(at)
    assert title(figure).startswith("新化县") and figure["xAxis"]["data"][0] == "第2次报送（4月15日）"


def test_the_progress_chart_names_the_units_in_view_and_says_the_category_filter_is_not_applied(tmp_path, monkeypatch):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{tmp_path / 'weakorg.db'}")
    monkeypatch.setenv("WEAKORG_DEMO", "1")
    at = start()
    at.sidebar.multiselect(key="filter_units").set_value(["双峰县", "新化县"]).run()
    at.sidebar.multiselect(key="filter_categories").set_value(["学校"]).run()
    at.switch_page("pages/status.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="status_progress_unit").options == ["双峰县、新化县", "新化县", "双峰县"]
    (figure,) = figures(at)
    assert title(figure).startswith("双峰县、新化县")  # not 全市
    assert "整顿进展按填报单位统计，未按党组织类别筛选。" in [c.value for c in at.caption]


def test_the_progress_chart_says_both_counts_where_the_list_and_附件1_disagree(tmp_path, monkeypatch):
    """新化县 lists 51 and states 52 in 附件1 (its LIST_COUNT_MISMATCH): the chart's last point (the 一览表) and the
    headline (附件1) differ by one for 新化县 and 冷水江市, and for the city, and the chart says both. (娄星区 lists one
    organization twice: counted once, it agrees.)"""
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")
    at = start()
    at.sidebar.multiselect(key="filter_units").set_value(["新化县", "冷水江市"]).run()
    at.switch_page("pages/status.py").run()
    assert not at.exception, at.exception
    pic = app.picture(Store(url), units=["新化县", "冷水江市"])
    listed, reported = len(pic.weak_orgs), int(pic.summary["weak_total"].sum())
    assert listed != reported
    (figure,) = figures(at)
    stacked = [charts.values(s)[-1] for s in figure["series"] if s["type"] == "bar"]  # by status (the line: villages)
    assert sum(stacked) == listed  # the last point counts the 一览表
    assert f"最近一轮共{listed}个；附件1填报的软弱涣散基层党组织数为{reported}个" in " ".join(
        c.value for c in at.caption
    )
    at = start()  # the city: 新化县's one fewer
    at.switch_page("pages/status.py").run()
    assert not at.exception, at.exception
    assert [c.value for c in at.caption if "最近一轮共240个；附件1填报的软弱涣散基层党组织数为241个" in c.value]
    # 新化县's first returns came after 3月12日: that point counts 11 units, said so under the chart
    assert "各点只计当时已报送的单位：第1次报送（3月12日）11个（最近一点12个）。" in [c.value for c in at.caption]
    at.sidebar.multiselect(key="filter_units").set_value(["娄星区"]).run()  # its twice-listed organization: once
    assert not at.exception, at.exception
    assert not [c.value for c in at.caption if "最近一轮共" in c.value]
