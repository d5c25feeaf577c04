"""全市总览 under AppTest: the figures it adds (progress, change since the last return, heatmaps, ranking)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from test_pages import _Headline, bars, figures, headline, more, navigation_app, start, title  # noqa: F401  (the fixture makes AppTest run the router)

from weakorg import app, asof, charts, overview
from weakorg.asof import progress_at_rounds
from weakorg.campaign import default_campaign
from weakorg.history import progress
from weakorg.status import unit_status
from weakorg.store import Store


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")  # a demo: the first start loads the samples
    return url


def figure(at, title_part: str) -> dict:
    """The one chart on the page whose title contains ``title_part``."""
    (option,) = [f for f in figures(at) if title_part in title(f)]
    return option


def grid(option: dict) -> list[list]:
    """A heatmap's cells, rows by columns (None where no cell is drawn)."""
    rows = [[None] * len(option["xAxis"]["data"]) for _ in option["yAxis"]["data"]]
    for item in option["series"][0]["data"]:
        j, i, v = item["value"]
        rows[i][j] = v
    return rows


def test_progress_over_time_is_the_city_history_and_follows_the_unit_filter(db_url):
    at = start()  # first start loads the sample returns
    store = Store(db_url)
    units = default_campaign().unit_names
    by_unit = progress(store.returns(), units)
    city = progress_at_rounds(by_unit)  # as of each round up to the latest 填表时间
    assert city["label"].tolist() == ["第1次报送（3月12日）", "第2次报送（4月15日）", "第3次报送（4月30日）"]
    assert not [f for f in figures(at) if "整顿进展" in title(f)]  # one click away: under 更多内容
    shown = figure(more(at, overview.PROGRESS), "整顿进展")
    assert shown["xAxis"]["data"] == city["label"].tolist()
    drawn = bars(shown)
    assert drawn["已验收"] == city["已验收"].tolist() and drawn["整顿中"] == city["整顿中"].tolist()
    (line,) = [s for s in shown["series"] if s["type"] == "line"]
    assert charts.values(line) == city["villages_elected"].tolist() and charts.values(line)[-1] > 0
    # its figures as a table under it too (a screen reader's way to a picture): a row per round, a column per series
    (figures_table,) = [d.value for d in at.dataframe]
    assert at.expander[-1].label == f"以表格查看：{title(shown)}"
    assert figures_table.iloc[:, 0].tolist() == city["label"].tolist()
    assert figures_table["已验收"].tolist() == city["已验收"].tolist()
    assert figures_table["难点村已完成换届"].tolist() == city["villages_elected"].tolist()

    at.sidebar.multiselect(key="filter_units").set_value(["新化县"]).run()
    assert not at.exception, at.exception
    one = progress_at_rounds(by_unit[by_unit["unit"] == "新化县"])  # its first return was late: not at round 1
    shown = figure(at, "整顿进展")
    assert shown["xAxis"]["data"] == one["label"].tolist() and shown["xAxis"]["data"][0] == "第2次报送（4月15日）"
    assert "新化县" in title(shown)
    assert bars(shown)["已验收"] == one["已验收"].tolist()
    store.engine.dispose()


def test_headline_changes_heatmaps_and_ranking_equal_the_pure_computations(db_url):
    at = start()
    store = Store(db_url)
    pic = app.picture(store)
    before, day = overview.previous_picture(store.returns())
    assert day == date(2014, 4, 15)  # the round before the latest 填表时间 (4月30日)
    status = unit_status(store.submissions(), store.returns(findings=False))
    behind = asof.behind_units(status, asof.status_day(status), default_campaign())
    assert behind == (frozenset({"万宝新区"}), 3)  # the samples' third round: one unit has not sent it
    expected = overview.headline_change(pic, before, behind)
    assert expected[0].note == "第3次未报1个"  # under 已报送单位 12/12: not read as every unit on the latest round
    shown = [(f["label"], f["value"], f.get("delta"), f.get("note"), f["help"]) for f in headline(at)]
    assert shown == [(m.label, m.value, m.delta, m.note, m.help) for m in expected] and not at.metric
    assert len(shown) == 8 and [f["label"] for f in headline(at)][4:6] == ["已转化/已验收", "整顿转化率"]
    assert {m.key: m.delta for m in expected}["villages_elected"] not in (None, overview.NO_CHANGE)  # elections held
    said = asof.as_of_note(date(2014, 4, 30)) + overview.change_note(day)  # of what date, and changed since when
    assert said in [c.value for c in at.caption]
    assert overview.change_sentence(pic, before, day) in [i.value for i in at.info]

    assert not [f for f in figures(at) if "符合六条标准" in title(f) and "各填报单位" in title(f)]
    assert not at.dataframe
    more(at, overview.HEATMAPS)  # the heatmaps, drawn when asked for
    assert not [f for f in figures(at) if "整顿进展" in title(f)]
    crit = figure(at, "各填报单位软弱涣散基层党组织符合六条标准")
    assert crit["series"][0]["type"] == "heatmap"
    assert grid(crit) == grid(charts.weak_by_unit_criterion(pic.summary, pic.units).option)
    # each heatmap's cells as a table too (a keyboard's and a screen reader's way to them), its figures the map's
    tables = [d.value for d in at.dataframe]
    assert [e.label for e in at.expander if e.label.startswith("以表格查看")] == [
        f"以表格查看：{title(crit)}",
        f"以表格查看：{title(figure(at, '各填报单位分党组织类别'))}",
    ]
    assert tables[0]["填报单位"].tolist() == crit["yAxis"]["data"]
    assert tables[0].iloc[:, 1:].astype(int).to_numpy().tolist() == grid(crit)
    assert sum(map(sum, grid(crit))) == sum(pic.city[f"c{n}"] for n in range(1, 7))
    by_unit = pic.summary.groupby("unit")[[f"c{n}" for n in range(1, 7)]].sum()
    assert grid(crit)[0] == by_unit.loc[crit["yAxis"]["data"][0]].tolist()

    share = figure(at, "各填报单位分党组织类别")
    weak_share = pic.summary.assign(s=pic.summary["weak_total"] / pic.summary["orgs_total"] * 100)
    row = share["yAxis"]["data"].index("新化县")
    for col, category in enumerate(share["xAxis"]["data"]):
        got = grid(share)[row][col]
        want = weak_share[(weak_share["unit"] == "新化县") & (weak_share["category"] == category)]["s"]
        assert (got is None and want.empty) or got == pytest.approx(want.iloc[0], abs=0.01)

    status = unit_status(store.submissions(), store.returns())
    ranking = overview.ranking_table(overview.unit_ranking(pic, status), {"万宝新区"}, 3)  # a round behind
    more(at, overview.TABLES)  # the summary by unit and the ranking, drawn when asked for
    assert len(figures(at)) == 3  # the heatmaps gone again: the three charts of the first screen
    shown = at.dataframe[-1].value
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), ranking, check_dtype=False)
    columns = json.loads(at.dataframe[-1].proto.columns)
    formats = {k: v.get("type_config", {}).get("format") for k, v in columns.items()}
    assert formats[overview.RANKING_HEADERS["progress"]] == "%.1f"  # 92.7, as the 通报 prints it (not 92.70)
    assert formats[overview.RANKING_HEADERS["weak_share"]] == "%.2f"
    assert shown["排名"].iloc[0] == 1 and len(shown) == 12
    assert shown.set_index("填报单位").loc["万宝新区", "报送状态"] == "首次按时，第3次未报"  # as 报送情况 says it
    assert [b.label for b in at.get("download_button")][-2:] == [
        "下载 Excel（各填报单位排名）",
        "下载 CSV（各填报单位排名）",
    ]

    at.sidebar.multiselect(key="filter_units").set_value(["双峰县", "新化县"]).run()
    assert not at.exception, at.exception
    two = app.picture(store, units=["双峰县", "新化县"])
    before, day = overview.previous_picture(store.returns(), units=["双峰县", "新化县"])
    assert day == date(2014, 4, 15)  # the round before 新化县's 4月30日 return (双峰县 sent its third on 4月28日)
    assert [f.get("delta") for f in headline(at)] == [m.delta for m in overview.headline_change(two, before)]
    assert (
        at.dataframe[-1].value["填报单位"].tolist()
        == overview.unit_ranking(two, unit_status(store.submissions(), store.returns()))["unit"].tolist()
    )
    more(at, overview.HEATMAPS)
    assert figure(at, "各填报单位软弱涣散基层党组织符合六条标准")["yAxis"]["data"] == ["双峰县", "新化县"]
    store.engine.dispose()


def test_the_headline_block_escapes_its_texts_and_colours_each_change_by_whether_it_is_good_news():
    def change(key: str, delta: str | None, direction: str, label: str = "软弱涣散数") -> overview.Change:
        return overview.Change(key, label, "3", 3, '说明"<x>', "附件1 & 一览表", delta=delta, delta_color=direction)

    figures = [
        change("a", "-2", "inverse", "<b>软弱</b>"),  # fewer weak organizations: good news
        change("b", "+2", "inverse"),
        change("c", "+1", "normal"),
        change("d", "-1", "normal"),
        change("e", "+4", "off"),
        change("f", overview.NO_CHANGE, "normal"),
        change("g", None, "normal"),
    ]
    block = overview.headline_html(figures)
    assert "<b>" not in block and "&lt;b&gt;软弱&lt;/b&gt;" in block
    parser = _Headline()
    parser.feed(block)
    read = parser.figures
    assert [(f["label"], f["value"], f["note"], f["help"]) for f in read][:1] == [
        ("<b>软弱</b>", "3", "附件1 & 一览表", '说明"<x>')
    ]
    assert [f.get("delta") for f in read] == ["-2", "+2", "+1", "-1", "+4", overview.NO_CHANGE, None]
    kinds = [{c for c in f["classes"] if c.startswith("wo-") and c not in _Headline.FIELDS} for f in read]
    assert kinds == [
        {"wo-down", "wo-good"},
        {"wo-up", "wo-bad"},
        {"wo-up", "wo-good"},
        {"wo-down", "wo-bad"},
        {"wo-up", "wo-neutral"},
        {"wo-neutral"},  # 持平: no arrow
        set(),  # no previous round: no change drawn
    ]


def test_a_unit_a_round_behind_is_compared_with_the_round_before_the_citys_as_the_bulletin_does(db_url):
    """万宝新区 sent nothing for 第3次 (4月30日): its overview compares with 第2次 (4月15日), as its 通报 does, not with
    第1次 (the round before its own last return), which showed progress that never happened."""
    from weakorg.documents.bulletin import bulletin_blocks, bulletin_text
    from weakorg.documents.data import from_store

    at = start()
    at.sidebar.multiselect(key="filter_units").set_value(["万宝新区"]).run()
    assert not at.exception, at.exception
    store = Store(db_url)
    try:
        (sentence,) = [i.value for i in at.info if i.value.startswith("与上一轮")]
        assert "第2次报送（2014年4月15日）" in sentence
        text = bulletin_text(bulletin_blocks(from_store(store, None, None, ["万宝新区"], [], default_campaign())))
    finally:
        store.engine.dispose()
    done = sentence.split("已转化或已验收的")[1].split("；")[0]
    assert f"已转化或已验收的{done}" in text  # the same change in both
