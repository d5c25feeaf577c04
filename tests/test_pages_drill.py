"""The drill-down pages under AppTest: a link's filters applied, figures equal to the samples' picture, a card."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from builders import org
from readfiles import put_register, workbook, xlsx_bytes
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from tests.test_pages import (
    DASHBOARD,
    TIMEOUT,
    _NavigationPagesManager,
    bars,
    expected_metrics,
    figures,
    headline,
    more,
    shown_metrics,
    title,
)
from weakorg import app, charts, cli, counts, drill, overview, views
from weakorg.drill import Filters
from weakorg.export.forms import add_sheet, new_workbook, workbook_bytes, write_f1, write_f2
from weakorg.findings import rule_name
from weakorg.read import read_file
from weakorg.store import Store
from weakorg.text import md_text
from weakorg.vocab import CRITERIA_SHORT, F3, NOT_ELECTED

COUNTIES = ["双峰县", "新化县"]


@pytest.fixture(autouse=True)
def navigation_app(monkeypatch):
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")  # a demo: the first start loads the samples
    return Store(url)


def open_link(query: dict, page: str | None = None) -> AppTest:
    """The app as a browser opens a link: query parameters first, then the page."""
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.query_params.update(query)
    if page:  # the address names the page: its first run is that page's
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_with_a_filter_it_cannot_read_opens_and_says_so(store):
    at = open_link({"criterion": "9", "category": "外星"}, "pages/orgs.py")
    assert at.multiselect(key="filter_criteria").value == []
    assert [w.value for w in at.warning if "无法识别" in w.value] == [
        drill.UNREAD_FILTERS.format(names="党组织类别、符合标准")
    ]


def test_a_link_with_two_counties_opens_on_exactly_them(store):
    at = open_link({"unit": COUNTIES})
    assert at.sidebar.multiselect(key="filter_units").value == COUNTIES
    assert shown_metrics(at) == expected_metrics(app.picture(store, units=COUNTIES))
    assert more(at, overview.TABLES).dataframe[0].value["填报单位"].tolist() == COUNTIES
    assert at.query_params["unit"] == COUNTIES


def test_units_page_shows_the_counties_register_and_villages(store):
    at = open_link({"unit": COUNTIES, "category": "农村"}, "pages/units.py")
    assert at.title[0].value == "县市区"
    pic = app.picture(store, units=COUNTIES, categories=["农村"])
    assert shown_metrics(at) == expected_metrics(pic)
    categories, register, villages = (el.value for el in at.dataframe)
    assert categories["软弱涣散基层党组织"].tolist() == pic.by_category["weak_total"].astype(int).tolist()
    assert register["软弱涣散基层党组织名称"].tolist() == pic.weak_orgs["name"].tolist()
    assert set(register["填报单位"]) == set(COUNTIES) and set(register["党组织类别"]) == {"农村"}
    assert villages["村党组织名称"].tolist() == pic.villages["name"].tolist()
    tables = ("分类别汇总", "一览表", "换届难点村")  # each pair names its table: a screen reader hears which
    assert [b.label for b in at.get("download_button")] == [
        f"下载 {f}（{t}）" for t in tables for f in ("Excel", "CSV")
    ]
    assert [b.label for b in at.main.button] == ["全市 ›", "双峰县、新化县 ›"]  # then 农村, where the page is
    # its charts as one board, one under the other (by category, by criterion, by unit for two units): no ECharts
    drawn = figures(at)
    expected = [charts.weak_by_category(pic.by_category), charts.weak_by_criterion(pic.by_category)]
    expected.append(charts.weak_by_unit(pic.summary))
    assert [title(f) for f in drawn] == [title(c.option) for c in expected] and not at.get("echarts_chart")
    assert [bars(f) for f in drawn] == [bars(c.option) for c in expected]
    one = open_link({"unit": COUNTIES[:1]}, "pages/units.py")
    assert len(figures(one)) == 2  # one unit: no chart by unit
    # the changes since the previous round, as 全市总览 shows them for the same units
    before, day = overview.previous_picture(store.returns(), units=COUNTIES, categories=["农村"])
    assert [f.get("delta") for f in headline(at)] == [m.delta for m in overview.headline_change(pic, before)]
    assert any(d not in (None, overview.NO_CHANGE) for d in (f.get("delta") for f in headline(at)))
    assert any(overview.change_note(day) in c.value for c in at.caption)


def test_units_page_asks_for_units_when_none_is_chosen(store):
    at = open_link({}, "pages/units.py")
    assert "请在左侧" in at.info[0].value


def test_a_criterion_link_lists_the_organizations_meeting_it_and_a_row_opens_the_card(store):
    at = open_link({"unit": COUNTIES, "criterion": "1"}, "pages/orgs.py")
    assert at.title[0].value == "组织明细"
    assert at.multiselect(key="filter_criteria").value == [1]
    pic = app.picture(store, units=COUNTIES)
    expected = drill.filter_orgs(pic.weak_orgs, Filters(units=tuple(COUNTIES), criteria=(1,)))
    assert len(expected) > 0
    assert all(1 in cs for cs in expected["criteria"])
    table = at.dataframe[0].value
    assert table["软弱涣散基层党组织名称"].tolist() == expected["name"].tolist()
    assert f"共 {len(expected)} 个" in at.caption[0].value

    key = next(k for k in at.session_state if str(k).startswith("orgs_table_"))
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    unit, name = expected["unit"].iloc[0], expected["name"].iloc[0]
    assert at.header[0].value == md_text(name)
    assert at.query_params["org"] == name and at.query_params["org_unit"] == unit
    card = views.org_card(pic.weak_orgs, store.returns(), unit, name)
    history = at.dataframe[-1].value
    assert history["填表时间"].astype(str).tolist() == card.history["填表时间"].astype(str).tolist()
    assert len(history) == len(card.history) >= 1
    assert at.dataframe[-2].value["整顿进展"].tolist() == card.statuses["整顿进展"].tolist()
    assert "（1）" in at.markdown[-1].value or any("（1）" in m.value for m in at.markdown)
    trail = [b.label for b in at.main.button]
    assert trail[:3] == [f"{md_text(c)} ›" for c in ("全市", "双峰县、新化县", "（1）班子不齐/书记缺职")]


def test_the_trail_goes_back_up_to_the_city(store):
    at = open_link({"unit": ["双峰县"], "criterion": "1"})
    assert [b.label for b in at.main.button] == ["全市 ›", "双峰县 ›"]
    at.button(key="trail_1").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "县市区"
    assert at.sidebar.multiselect(key="filter_units").value == ["双峰县"]
    assert "criterion" not in at.query_params
    at.button(key="trail_0").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "全市总览"
    assert at.sidebar.multiselect(key="filter_units").value == []
    assert shown_metrics(at) == expected_metrics(app.picture(store))


def test_an_org_link_opens_its_card(store):
    app.load_samples_if_empty(store, demo=True)  # what a demo's first start does
    pic = app.picture(store)
    unit, name = pic.weak_orgs[["unit", "name"]].iloc[5]
    at = open_link({"org_unit": unit, "org": name}, "pages/orgs.py")
    assert at.header[0].value == md_text(name)
    assert at.metric[0].value == md_text(unit)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/units.py", "pages/villages.py", "pages/status.py"])
def test_an_organization_opened_stays_in_组织明细(store, page):
    """Another page closes the card: no trail naming the organization, no org in the address, the unit kept."""
    app.load_samples_if_empty(store, demo=True)
    pic = app.picture(store)
    unit, name = pic.weak_orgs[["unit", "name"]].iloc[5]
    at = open_link({"unit": unit, "org_unit": unit, "org": name}, "pages/orgs.py")
    assert at.header[0].value == md_text(name) and name in [b.label for b in at.main.button] + [
        m.value.strip("*") for m in at.main.markdown
    ]
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = [b.label for b in at.main.button] + [m.value for m in at.main.markdown]
    assert not [t for t in shown if name in t]
    assert "org" not in at.query_params and "org_unit" not in at.query_params
    assert at.query_params["unit"] in (unit, [unit])  # the unit chosen stays chosen
    at.switch_page("pages/orgs.py").run()  # back in 组织明细: the list, no card open
    assert not at.exception, at.exception and "org" not in at.query_params
    assert not [s for s in at.header if s.value == md_text(name)]


def test_villages_page_counts_a_re_election_date_it_cannot_read_as_neither(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "0")
    lines = [org("甲村党支部", election_done="3/5"), org("乙村党支部", election_done="未完成")]
    lines.append(org("丙村党支部", election_done=date(2014, 4, 2)))
    path = tmp_path / "娄星区.xlsx"
    path.write_bytes(xlsx_bytes(workbook(("附件3", lambda ws: put_register(ws, F3, lines)))))
    Store(url).add(read_file(path))
    at = open_link({}, "pages/villages.py")
    assert [m.value for m in at.metric] == ["3", "1", "1"]  # 甲村 is neither done nor not done
    assert any("另有 1 个村的换届选举完成时间无法识别" in c.value for c in at.caption)
    assert at.dataframe[0].value["换届情况"].tolist() == ["时间无法识别", "未完成", "已完成"]


def test_villages_page_counts_equal_the_picture(store):
    at = open_link({"unit": COUNTIES}, "pages/villages.py")
    assert at.title[0].value == "换届难点村"
    pic = app.picture(store, units=COUNTIES)
    total, elected = views.village_counts(pic.villages)
    assert [m.value for m in at.metric] == [f"{total:,}", f"{elected:,}", f"{total - elected:,}"]
    assert total == pic.city["villages"] and elected == pic.city["villages_elected"]
    assert at.dataframe[0].value["村党组织名称"].tolist() == pic.villages["name"].tolist()
    at.toggle(key="villages_open").set_value(True).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == total - elected
    assert at.query_params["open"] == "1" and at.query_params["unit"] == COUNTIES  # the switch is in the URL


def test_a_link_with_the_villages_switch_opens_on_the_villages_not_yet_re_elected(store):
    at = open_link({"unit": COUNTIES, "open": "1"}, "pages/villages.py")
    assert at.toggle(key="villages_open").value is True
    pic = app.picture(store, units=COUNTIES)
    total, elected = views.village_counts(pic.villages)
    assert total > elected > 0  # the samples hold villages of both kinds
    assert [m.value for m in at.metric] == [f"{total:,}", f"{elected:,}", f"{total - elected:,}"]
    table = at.dataframe[0].value
    assert table["村党组织名称"].tolist() == pic.villages.loc[pic.villages["election_done"].isna(), "name"].tolist()
    assert set(table[views.ELECTION_LABEL]) == {NOT_ELECTED}
    said = at.main.caption[-1].value
    assert said.startswith(f"列出 {total - elected:,} 个村。") and "此后仍未完成换届的村将列出已过天数" in said
    assert views.DAYS_LABEL not in table.columns  # as of 4月30日 no village is past the end: no empty column
    at.toggle(key="villages_open").set_value(False).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == total and "open" not in at.query_params


def test_a_supervisors_way_down_equals_consolidate_json(store, capsys):
    """Link to two counties -> criterion 1 -> one organization: every number as `consolidate --json` reports it."""
    cli.main(["consolidate", str(app.SAMPLE_DIR), "--json"])
    data = json.loads(capsys.readouterr().out)
    summary = [r for r in data["summary"] if r["unit"] in COUNTIES]
    listed = [o for o in data["weak_orgs"] if o["unit"] in COUNTIES]

    at = open_link({"unit": COUNTIES})
    shown = dict(shown_metrics(at))
    assert int(shown["软弱涣散数"].replace(",", "")) == sum(r["weak_total"] for r in summary)
    assert int(shown["党组织总数"].replace(",", "")) == sum(r["orgs_total"] for r in summary)
    by_unit = more(at, overview.TABLES).dataframe[0].value.set_index("填报单位")
    for unit in COUNTIES:
        rows = [r for r in summary if r["unit"] == unit]
        assert by_unit.loc[unit, "软弱涣散基层党组织"] == sum(r["weak_total"] for r in rows)
        assert by_unit.loc[unit, "班子不齐/书记缺职"] == sum(r["c1"] for r in rows)

    at.switch_page("pages/orgs.py").run()
    at.multiselect(key="filter_criteria").set_value([1]).run()
    assert not at.exception, at.exception
    meeting = [o for o in listed if 1 in o["criteria"]]
    table = at.dataframe[0].value
    assert table["软弱涣散基层党组织名称"].tolist() == [o["name"] for o in meeting]
    assert at.query_params["criterion"] == "1" and at.query_params["unit"] == COUNTIES

    key = next(k for k in at.session_state if str(k).startswith("orgs_table_"))
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    org = meeting[0]
    assert at.header[0].value == md_text(org["name"])
    shown = [org["unit"], org["category"], str(org["members"])]
    assert [m.value for m in at.metric][:3] == [md_text(v) for v in shown]
    assert at.metric[3].value.startswith(md_text(org["status"]))  # and the 验收日期 where the unit gave one
    assert at.dataframe[-1].value["整顿进展"].iloc[-1] == org["status"]


# --- text from a return or a link: shown as text, never Markdown -------------------------------------

EVIL = "http://evil.invalid"


def crafted_return(target: str) -> tuple[bytes, dict]:
    """A 双峰县 register whose name, secretary, phone and 主要问题 carry Markdown and HTML pointing at ``target``."""
    row = {
        "name": f'![x]({target}/name.png)白马村党支部<img src="{target}/tag.png">',
        "members": 25,
        "problems": f'支部书记长期外出务工，支部工作停滞。<img src="{target}/problem.png"> [详情]({target}/problem)',
        "secretary": f"[点我]({target}/secretary)",
        "phone": f"![电话]({target}/phone.png) {target}/bare",
        "category": "农村",
        "criteria_stated": "1",
        "status": "整顿中",
    }
    counts = {"orgs_total": 40, "branches": 40, "weak_total": 1, "c1": 1}  # the summary: the charts have a bar
    wb = new_workbook()
    write_f1(add_sheet(wb, "附件1"), "双峰县", "农村", date(2014, 4, 30), counts)
    write_f2(add_sheet(wb, "附件2"), "双峰县", date(2014, 4, 30), [row])
    return workbook_bytes(wb), row


def crafted_unit_return(target: str) -> tuple[bytes, str]:
    """A return from a unit the campaign does not know, named with HTML and Markdown pointing at ``target``."""
    unit = f'<a href="{target}/unit">某</a>县[点我]({target}/unit)'
    wb = new_workbook()
    write_f1(add_sheet(wb, "附件1"), unit, "农村", date(2014, 4, 30), {"orgs_total": 40, "branches": 40})
    return workbook_bytes(wb), unit


def test_a_unit_named_by_a_return_is_text_in_the_trail_and_the_caption(store):
    data, unit = crafted_unit_return(EVIL)
    assert app.store_readable(store, app.process_uploads([("某县.xlsx", data)], store=store))
    at = open_link({"unit": unit}, "pages/units.py")
    assert at.sidebar.multiselect(key="filter_units").value == [unit]  # a stored unit: the link may name it
    assert at.caption[0].value == md_text(unit)
    assert f"**{md_text(unit)}**" in [m.value for m in at.markdown]  # the trail's last step


def test_a_crafted_name_is_escaped_in_the_card_and_the_trail(store):
    data, row = crafted_return(EVIL)
    results = app.process_uploads([("双峰县-附件2.xlsx", data)], store=store)
    assert results[0].ok and app.store_readable(store, results)  # before the first run: the only return
    name = row["name"]
    at = open_link({"org_unit": "双峰县", "org": name}, "pages/orgs.py")
    card = views.org_card(app.picture(store).weak_orgs, store.returns(), "双峰县", name)
    assert (
        at.header[0].value
        == md_text(name)
        == "\\!\\[x\\]\\(http\\:\u2060\\/\\/evil.invalid\\/name.png\\)白马村党支部"
        + ('\\<img src="http\\:\u2060\\/\\/evil.invalid\\/tag.png"\\>')
    )
    assert [m.value for m in at.metric] == [value for _, value in views.card_facts(card)]
    assert at.metric[4].value == md_text(row["secretary"])
    bodies = [m.value for m in at.markdown]
    assert views.contact_markdown(card) in bodies and md_text(card.current["phone"]) in views.contact_markdown(card)
    problems = views.problems_markdown(card)
    assert problems in bodies and md_text(f'<img src="{EVIL}/problem.png"> [详情]({EVIL}/problem)') in problems
    assert [b.label for b in at.main.button][:2] == ["全市 ›", "双峰县 ›"] and f"**{md_text(name)}**" in bodies
    for shown in [*bodies, at.header[0].value, *(m.value for m in at.metric)]:
        assert EVIL not in shown and "](" not in shown and "<img" not in shown.replace("\\<img", "")


def test_a_link_naming_nobody_says_so_with_the_name_as_text(store):
    ghost = f"[点我]({EVIL}/ghost)<img src={EVIL}/ghost.png>"
    at = open_link({"org_unit": "双峰县", "org": ghost}, "pages/orgs.py")
    said = f"没有找到“{md_text(ghost)}”（双峰县）的报送记录：链接中的党组织名称或填报单位可能有误。"
    assert said in [w.value for w in at.warning]
    assert f"**{md_text(ghost)}**" in [m.value for m in at.markdown]  # the trail's last step


def rendered_texts(at: AppTest) -> list[str]:
    """Every text a page hands Streamlit to render as Markdown: bodies, alerts, metrics, button labels."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    texts = [el.value for kind in kinds for el in at.get(kind)]
    texts += [text for m in at.metric for text in (m.label, m.value)]
    return texts + [b.label for b in at.button]


@pytest.mark.parametrize(
    "page",
    ["pages/overview.py", "pages/units.py", "pages/orgs.py", "pages/villages.py", "pages/status.py"],
)
def test_no_page_renders_a_crafted_name_as_markdown(store, page):
    data, row = crafted_return(EVIL)
    unit_data, unit = crafted_unit_return(EVIL)
    files = [("双峰县-附件2.xlsx", data), ("某县.xlsx", unit_data)]
    assert len(app.store_readable(store, app.process_uploads(files, store=store))) == 2
    at = open_link({"unit": ["双峰县", unit], "org_unit": "双峰县", "org": row["name"]}, page)
    texts = [t for t in rendered_texts(at) if "evil.invalid" in t]
    assert texts or page == "pages/status.py"  # the names are on the page (报送情况: in its table only) ...
    for text in texts:  # ... as text: no link, image or tag Markdown or HTML would make of them
        assert "://" not in text and "](" not in text and not re.search(r"(?<!\\)[<>]", text), text


def test_the_card_shows_the_organizations_findings_their_explanations_and_who_corrected_its_reading(store):
    app.load_samples_if_empty(store, demo=True)  # what a demo's first start does
    pic = app.picture(store)
    listed = {(u, n) for u, n in zip(pic.weak_orgs["unit"], pic.weak_orgs["name"], strict=True)}
    warning = next(f for f in pic.findings if f.severity == "warning" and (f.unit, f.org) in listed)
    unit, name = warning.unit, warning.org
    store.explain(warning, "情况属实，已电话核实[详情](http://evil.invalid)", by="zhang")
    problems = pic.weak_orgs.loc[(pic.weak_orgs["unit"] == unit) & (pic.weak_orgs["name"] == name), "problems"]
    store.add_correction(unit, name, problems.iloc[0], [2], [], "书记在岗，只是能力不足", by="li")

    at = open_link({"org_unit": unit, "org": name}, "pages/orgs.py")
    pic = app.picture(store)
    card = views.org_card(
        pic.weak_orgs,
        store.returns({unit}),
        unit,
        name,
        findings=pic.findings,
        explanations=store.explanations(),
        corrections=store.standing_corrections([unit]),
    )
    assert warning in card.findings and card.correction["by"] == "li"
    table = next(d.value for d in at.dataframe if "说明情况" in d.value.columns)
    assert table.equals(views.card_findings_table(card))
    row = table[table["说明"] == warning.message].iloc[0]
    assert row["说明情况"].startswith("已说明：情况属实，已电话核实[详情](http://evil.invalid)（zhang，")  # text
    assert views.findings_summary(card) in [c.value for c in at.main.caption]
    assert "已说明 1 条" in views.findings_summary(card)
    [reviewed] = [i.value for i in at.info if "已人工研判" in i.value]
    assert reviewed == views.correction_markdown(card) and reviewed.startswith("**已人工研判：** li，")
    assert at.metric[0].value == md_text(unit)


def test_a_link_with_review_states_opens_the_review_page_on_them(store):
    from weakorg import review

    app.load_samples_if_empty(store, demo=True)  # what a demo's first start does
    pic = app.picture(store, units=COUNTIES)
    listed = review.items(pic.weak_orgs, store.standing_corrections(COUNTIES))
    counts = review.state_counts(listed)
    state = next(s for s in review.STATES if 0 < counts[s] < len(listed))  # a state that narrows the list
    at = open_link({"unit": COUNTIES, "review": state}, "pages/review.py")
    assert at.multiselect(key="review_states").value == [state]
    assert [m.value for m in at.metric] == [str(n) for n in counts.values()]
    shown = at.dataframe[1].value
    assert shown["软弱涣散基层党组织名称"].tolist() == review.select(listed, [state])["name"].tolist()
    assert set(shown[review.STATE_LABEL]) == {state}
    other = next(s for s in review.STATES if s != state)
    at.multiselect(key="review_states").set_value([state, other]).run()
    assert not at.exception, at.exception
    assert at.query_params["review"] == [state, other]
    assert at.query_params["unit"] == COUNTIES


def test_a_list_whose_count_differs_from_附件1_shows_the_findings_that_say_why(store):
    open_link({})  # the first start loads the samples
    pic = app.picture(store)
    off = counts.weak_by(pic, "unit")
    off = off[off[counts.REPORTED] != off[counts.LISTED]]
    assert len(off) > 0  # the samples have a unit whose 一览表 lists another number than its 附件1
    unit = off["unit"].iloc[0]
    at = open_link({"unit": unit}, "pages/orgs.py")
    shown = app.picture(store, units=[unit])
    found = counts.list_explaining(shown)
    assert found and f"原因见下方“{counts.FINDINGS_BELOW}”" in at.caption[0].value
    (box,) = [e for e in at.expander if e.label.startswith(counts.FINDINGS_BELOW)]
    assert box.label == f"{counts.FINDINGS_BELOW}（{len(found)}条）：说明差异的原因"
    assert [c.value for c in box.caption] == [md_text(line) for line in counts.finding_lines(found)]
    assert all(
        f"{f.unit}｜" in c.value and rule_name(f.rule) in c.value for f, c in zip(found, box.caption, strict=True)
    )


def test_a_warning_explained_says_so_under_the_figures_as_on_the_card(store):
    open_link({})  # the first start loads the samples
    shown = app.picture(store, units=["新化县"])
    (gap,) = [f for f in counts.list_explaining(shown, (5,)) if "第（5）条" in f.message]  # the samples' 新化县 gap
    at = open_link({"unit": "新化县", "criterion": "5"}, "pages/orgs.py")
    (box,) = [e for e in at.expander if e.label.startswith(counts.FINDINGS_BELOW)]
    assert any(c.value.endswith("（未说明）") and "第（5）条" in c.value for c in box.caption)
    store.explain(gap, "县里已核实，第5条为15个", by="fenxi1")
    at = open_link({"unit": "新化县", "criterion": "5"}, "pages/orgs.py")
    assert not at.exception, at.exception
    (box,) = [e for e in at.expander if e.label.startswith(counts.FINDINGS_BELOW)]
    said = [c.value for c in box.caption if "第（5）条" in c.value]
    assert len(said) == 1 and "（已说明：县里已核实，第5条为15个（fenxi1，" in said[0]


def test_a_share_column_shows_every_figure_with_two_decimals(store):
    at = open_link({"unit": "娄星区"}, "pages/units.py")
    by_category = at.dataframe[0]
    share = next(c for c in by_category.value.columns if c.startswith("占比"))
    config = json.loads(by_category.proto.columns)
    assert config[share]["type_config"] == {"type": "number", "format": "%.2f"}  # 5.00 beside 4.69, never 5


def test_what_更多内容_shows_is_in_the_link_and_a_link_opens_it(store):
    at = open_link({"more": overview.HEATMAPS})
    assert at.button_group(key="overview_more").value == overview.HEATMAPS
    assert len(at.get("bidi_component")) == 1 and len(at.get("echarts_chart")) == 2  # the board, the two heatmaps
    more(at, overview.PROGRESS)
    assert at.query_params[drill.Q_MORE] in (overview.PROGRESS, [overview.PROGRESS]) and not at.exception
    assert drill.parse_query({drill.Q_MORE: "任意"}).more == ""  # an unknown choice opens nothing more
    at = open_link({})
    assert at.button_group(key="overview_more").value is None and drill.Q_MORE not in at.query_params


def test_a_heatmaps_cell_opens_from_its_table_by_keyboard_as_a_click_on_the_map_would(store):
    at = open_link({"more": overview.HEATMAPS})
    cells, _ = charts.heatmap_cells(charts.weak_by_unit_criterion(app.picture(store).summary, app.picture(store).units))
    row = cells["填报单位"].tolist().index("新化县")
    at.selectbox(key=f"{drill.CHART_UNIT_CRITERION}_unit").set_value(row)
    at.selectbox(key=f"{drill.CHART_UNIT_CRITERION}_column").set_value(CRITERIA_SHORT[4])
    at.button(key=f"{drill.CHART_UNIT_CRITERION}_open").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "组织明细"
    assert at.multiselect(key="filter_units").value == ["新化县"] and at.multiselect(key="filter_criteria").value == [4]
    # a cell of no organization opens nothing, and says so
    at = open_link({"more": overview.HEATMAPS})
    zero = next((r, c) for r in range(len(cells)) for c in cells.columns[1:] if cells.at[r, c] == "0")
    at.selectbox(key=f"{drill.CHART_UNIT_CRITERION}_unit").set_value(zero[0])
    at.selectbox(key=f"{drill.CHART_UNIT_CRITERION}_column").set_value(zero[1])
    at.button(key=f"{drill.CHART_UNIT_CRITERION}_open").click().run()
    assert not at.exception and at.title[0].value == "全市总览"
    assert "没有可查看的明细" in " ".join(i.value for i in at.info)


def test_a_countys_register_says_its_count_and_a_row_opens_the_card(store):
    open_link({})  # the first start loads the samples
    off = counts.weak_by(app.picture(store), "unit")
    unit = off[off[counts.REPORTED] != off[counts.LISTED]]["unit"].iloc[0]
    at = open_link({"unit": unit}, "pages/units.py")
    pic = app.picture(store, units=[unit])
    caption = next(c.value for c in at.caption if c.value.startswith("共 "))
    assert caption.startswith(f"共 {len(pic.weak_orgs)} 个") and f"原因见上方“{counts.FINDINGS_BELOW}”" in caption
    assert any(e.label.startswith(counts.FINDINGS_BELOW) for e in at.expander)  # above: under the headline
    key = next(k for k in at.session_state if str(k).startswith("units_register_table_"))
    at.session_state[key] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    name = pic.weak_orgs["name"].iloc[1]
    assert at.title[0].value == "组织明细" and at.header[0].value == md_text(name)
    assert at.query_params["org"] in (name, [name]) and at.multiselect(key="filter_units").value == [unit]


def test_组织明细_finds_a_phrase_of_主要问题_typed_in_its_search(store):
    at = open_link({"unit": COUNTIES}, "pages/orgs.py")
    pic = app.picture(store, units=COUNTIES)
    phrase = "宗族"
    expected = pic.weak_orgs[pic.weak_orgs["problems"].fillna("").str.contains(phrase)]
    assert len(expected) > 0 and not expected["name"].str.contains(phrase).any()  # found by the text, not the name
    at.text_input(key="filter_search").set_value(phrase).run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["软弱涣散基层党组织名称"].tolist() == expected["name"].tolist()
    assert f"共 {len(expected)} 个" in at.caption[0].value
