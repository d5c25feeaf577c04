"""Text from a return shown literally: Markdown escaped (weakorg.text.md_text), chart templates made literal.

What Streamlit's browser renders of these strings is checked in tests/test_browser.py; here, CommonMark's
own rule (a backslash before an ASCII punctuation character is that character) reads the escaped text back.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from tests.test_views import f2_rows, weak_orgs
from weakorg import charts, drill, views
from weakorg.text import LINK_BREAK, chart_text, md_text, unbroken

EVIL = "http://evil.invalid"
CRAFTED = [
    f"![x]({EVIL}/x.png)",
    f"[点我]({EVIL})",
    f'<img src="{EVIL}/i.png">白马村党支部',
    f"{EVIL}/bare www.evil.invalid a@evil.invalid",
    ":red[红] :material/home: :smile: $x^2$ **粗** _斜_ `码` ~~删~~ &amp; &#60;",
    "- 列表\n1. 编号\n+ 加号\n标题\n===\n# 井号\n> 引用\n| a | b |\n|---|---|",
]
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation may be backslash-escaped


def read_back(markdown: str) -> str:
    """The text a CommonMark reader shows of escaped text: each escape its character, less the link breaks."""
    return unbroken(_ESCAPE.sub(r"\1", markdown))


def unescaped(markdown: str, chars: str) -> list[str]:
    """The characters of ``chars`` that stand in ``markdown`` without a backslash before them."""
    plain = re.sub(r"\\.", "", markdown, flags=re.DOTALL)
    return [c for c in plain if c in chars]


def assert_literal(original: str, markdown: str) -> None:
    assert read_back(markdown) == original
    assert not unescaped(markdown, "\\`*_{}[]()#!|<>~$:/&")
    for line in markdown.split("\n"):
        assert not re.match(r"[ \t]*([-+=.]|\d+\.)", line), line  # no list, rule or underline begins
    shown = _ESCAPE.sub(r"\1", markdown)
    assert not re.search(r"(?i)://|www\.|\w@", shown)  # Streamlit autolinks these even when escaped


def test_crafted_names_are_escaped_to_their_literal_text():
    for text in CRAFTED:
        assert_literal(text, md_text(text))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_text_reads_back_as_itself(text):
    assert_literal(text.replace(LINK_BREAK, ""), md_text(text.replace(LINK_BREAK, "")))


def test_names_dates_and_phones_keep_their_dashes_and_dots():
    for text in ("娄星区-第1次-附件2-一览表-20140310.xlsx", "2014-03-10", "0738-8312345", "白马村党支部"):
        assert md_text(text) == text
    assert md_text(None) == ""


def test_chart_texts_are_never_an_echarts_template():
    assert chart_text("{b}村{a|x}") == "｛b｝村｛a|x｝"
    assert chart_text('<a href="x">点我</a>') == '<a href="x">点我</a>'  # drawn as text: ECharts reads no HTML
    assert chart_text("双峰县") == "双峰县" and chart_text(None) == ""


def test_a_crafted_unit_is_text_on_every_chart_and_still_opens_its_level():
    unit = f'<a href="{EVIL}">某县</a>{{b}}<img src="{EVIL}/x.png">'
    summary = pd.DataFrame(
        {"unit": [unit, "双峰县"], "category": ["农村", "{c}村"], "weak_total": [3, 2], "orgs_total": [10, 8]}
        | {f"c{n}": [1, 1] for n in range(1, 7)}
    )
    figures = [
        charts.weak_by_unit(summary),
        charts.weak_by_unit_criterion(summary),
        charts.weak_share_by_unit_category(summary),
        charts.progress_over_time(pd.DataFrame({"reported_on": []}), unit),
    ]
    for chart in figures:
        assert chart.option["tooltip"]["renderMode"] == "richText"  # tooltips drawn as text, not HTML
        shown = json.dumps(chart.option, ensure_ascii=False)
        assert "{b}" not in shown and "{c}" not in shown  # no template reads the return's text
    by_unit, heatmap = figures[0], figures[1]
    assert chart_text(unit) in by_unit.option["xAxis"]["data"] and chart_text(unit) in heatmap.option["yAxis"]["data"]
    assert "｛c｝村" in [s["name"] for s in by_unit.series]
    assert figures[3].title.startswith(chart_text(unit))
    # a click still hands the unit as stored to the drill-down
    at = by_unit.option["xAxis"]["data"].index(chart_text(unit))
    picked = {"selection": {"selected": [{"series_index": 0, "data_indices": [at]}]}}
    assert drill.selection_to_filters(drill.CHART_BY_UNIT, picked, by_unit.keys).units == (unit,)
    cell = {"selection": {"selected": [{"series_index": 0, "data_indices": [0]}]}}
    assert drill.selection_to_filters(drill.CHART_UNIT_CRITERION, cell, heatmap.keys).units == (unit,)


def test_the_card_s_markdown_carries_the_return_s_text_escaped():
    orgs, rows = weak_orgs(), f2_rows()
    name = f"![x]({EVIL}/x.png)白马村党支部"
    crafted = {"name": name, "phone": f"[点我]({EVIL})", "secretary": f"<img src={EVIL}/s.png>"}
    for key, value in crafted.items():
        orgs.loc[0, key] = value
        rows.loc[rows["name"].str.strip() == "白马村党支部", key] = value
    orgs.loc[0, "problems"] = f"支部书记常年在外经商<img src={EVIL}/p.png>，换届时有拉票贿选现象 {EVIL}"
    card = views.org_card(orgs, SimpleNamespace(f2=rows), "双峰县", name)
    assert card is not None
    contact = views.contact_markdown(card)
    assert contact.startswith("**联系方式：** ")
    assert_literal(crafted["phone"], contact.removeprefix("**联系方式：** "))
    problems = views.problems_markdown(card).removeprefix("**主要问题：** ")
    assert ":orange-background[" in problems and ":violet-background[" in problems  # our highlighting stays
    assert not unescaped(problems, "<>()!") and "\\<img" in problems
    assert "://" not in _ESCAPE.sub(r"\1", problems)
    facts = dict(views.card_facts(card))
    assert facts["书记"] == md_text(crafted["secretary"]) and read_back(facts["书记"]) == crafted["secretary"]
    assert read_back(views.read_markdown(card)).count("拉票贿选") >= 1
    trail = drill.trail(drill.Filters(org=("双峰县", name)))
    assert trail[-1].label == name  # the trail hands the name as it is; the page escapes it (md_text)
