"""The dashboard under AppTest: each page opens without exception and shows the store's numbers."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from weakorg import app, charts, corrections, counts, overview
from weakorg.findings import rule_name
from weakorg.store import Store
from weakorg.vocab import CATEGORY_COLORS

TIMEOUT = 60
ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")


class _NavigationPagesManager(PagesManager):
    """A pages manager that, like a running server after its first run, knows the app uses st.navigation.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run; with a ``pages/``
    folder beside the entry point that makes each rerun take the legacy multipage path and
    run the page file alone, without the router (its sidebar filters vanish). A server sets
    the flag to False for good at the first ``st.navigation`` call.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


class _KeptFiles(MediaFileManager):
    """Streamlit's media file manager, kept after a run so that a test can fetch a download as the browser does."""

    last: _KeptFiles | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _KeptFiles.last = self


@pytest.fixture(autouse=True)
def navigation_app(monkeypatch):
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)
    monkeypatch.setattr(app_test_module, "MediaFileManager", _KeptFiles)


def fetched(button):
    """The file a download button gives when clicked, fetched as the browser fetches it (``.content``, ``.filename``):
    a deferred one's data is made (checked and audited) now; MediaFileStorageError when it is refused."""
    files = _KeptFiles.last
    url = files.execute_deferred(button.proto.deferred_file_id) if button.proto.deferred_file_id else button.proto.url
    return files._storage.get_file(url.rsplit("/", 1)[-1])


def fetch(button) -> bytes:
    """The bytes a download button gives when clicked (``fetched``)."""
    return fetched(button).content


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")  # a demo: the first start loads the samples (unless no_samples)
    return url


@pytest.fixture
def no_samples(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")


def run(at: AppTest) -> AppTest:
    """Run the app once more and assert it raised nothing."""
    at.run()
    assert not at.exception, at.exception
    return at


def start() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_store_shows_how_to_begin(db_url, no_samples):
    at = start()
    assert at.title[0].value == "全市总览"
    assert "还没有任何报送" in at.info[0].value
    assert not at.metric and not headline(at)
    assert [m.label for m in at.sidebar.multiselect] == ["填报单位", "党组织类别"]
    assert Store(db_url).is_empty()


def test_upload_page_offers_templates_and_lists_nothing_stored(db_url, no_samples):
    at = start()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "上传与校验"
    assert [b.label for b in at.get("download_button")] == ["下载空白模板"]
    assert not at.dataframe and "（暂无记录）" in [c.value for c in at.caption]  # nothing stored: said in Chinese


def more(at: AppTest, option: str) -> AppTest:
    """全市总览 with one of its 更多内容 chosen (drawn only when asked for): the progress, the heatmaps, the tables."""
    at.button_group(key="overview_more").set_value(option)
    return run(at)


class _Headline(HTMLParser):
    """The figures of 全市总览's headline block (weakorg.overview.headline_html), read back from its HTML: each
    figure's label, value, change, note and explanation (its hover title), as text."""

    FIELDS: ClassVar[dict[str, str]] = {
        "wo-label": "label",
        "wo-value": "value",
        "wo-delta": "delta",
        "wo-note": "note",
    }

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self.field: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if overview.FIGURE_CLASS in classes:
            self.figures.append({"help": attrs.get("title"), "classes": []})
        for c in classes:
            if c in self.FIELDS:
                self.field = self.FIELDS[c]
                self.figures[-1]["classes"] += classes

    def handle_endtag(self, tag) -> None:
        self.field = None

    def handle_data(self, data) -> None:
        if self.field:
            self.figures[-1][self.field] = self.figures[-1].get(self.field, "") + data


def headline(at: AppTest) -> list[dict]:
    """The headline figures as 全市总览 and 县市区 draw them (one st.html block), [] when the page draws none."""
    blocks = [h.value for h in at.html if overview.HEADLINE_CLASS in h.value]
    assert len(blocks) <= 1
    if not blocks:
        return []
    parser = _Headline()
    parser.feed(blocks[0])
    return parser.figures


def shown_metrics(at: AppTest) -> list[tuple[str, str]]:
    """The headline's labels and values: 全市总览's block, or another page's st.metric figures."""
    figures = headline(at)
    if figures:
        return [(f["label"], f["value"]) for f in figures]
    return [(m.label, m.value) for m in at.metric]


def expected_metrics(pic) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in counts.headline(pic)]


def panels(option: dict) -> list[dict]:
    """A board's charts (weakorg.charts.Board: several charts in one option, one grid each) as options of their
    own, each with its title, grid, axes and series; a chart alone: itself."""
    if not isinstance(option.get("title"), list):
        return [option]
    out = []
    for i, heading in enumerate(option["title"]):
        own = [s for s in option["series"] if s["xAxisIndex"] == i == s["yAxisIndex"]]
        grid, x, y = option["grid"][i], option["xAxis"][i], option["yAxis"][i]
        assert x["gridIndex"] == y["gridIndex"] == i
        out.append({**option, "title": heading, "grid": grid, "xAxis": x, "yAxis": y, "series": own})
    return out


def boards(at: AppTest) -> list[dict]:
    """The options of the page's boards (pages/_board.py: drawn as SVG by our script), as sent to the browser."""
    return [json.loads(el.proto.json)["option"] for el in at.get("bidi_component")]


def figures(at: AppTest) -> list[dict]:
    """The options of the page's charts, as Streamlit sends them to the browser: a board's charts, then each chart
    ECharts draws."""
    shown = [*boards(at), *(json.loads(el.proto.spec) for el in at.get("echarts_chart"))]
    return [panel for option in shown for panel in panels(option)]


def title(option: dict) -> str:
    return option["title"]["text"]


def bars(option: dict) -> dict[str, list]:
    """Each series' numbers by its name."""
    return {s["name"]: charts.values(s) for s in option["series"]}


def charts_of(pic) -> tuple:
    """The first screen's three charts of a picture, each alone: by category, by criterion, by unit."""
    return (
        charts.weak_by_category(pic.by_category),
        charts.weak_by_criterion(pic.by_category),
        charts.weak_by_unit(pic.summary),
    )


def test_first_start_loads_the_samples_and_shows_their_picture(db_url):
    at = start()
    store = Store(db_url)
    assert len(store.submissions()) > 0
    pic = app.picture(store)
    assert shown_metrics(at) == expected_metrics(pic)
    assert int(shown_metrics(at)[2][1].replace(",", "")) == int(pic.city["weak_total"]) > 0
    by_category, by_criterion, by_unit, *_ = figures(at)
    expected = charts.weak_by_category(pic.by_category)
    assert bars(by_category) == bars(expected.option) and by_category["series"][0]["data"] == expected.series[0]["data"]
    assert sum(sum(v) for v in bars(by_unit).values()) == pic.city["weak_total"]
    assert {s["name"]: s["itemStyle"]["color"] for s in by_unit["series"]} == {
        s["name"]: CATEGORY_COLORS[s["name"]] for s in by_unit["series"]
    }
    stacked = [sum(v[i] for v in bars(by_criterion).values()) for i in range(6)]
    assert stacked == [pic.city[f"c{n}"] for n in range(1, 7)]
    assert len(boards(at)) == 1 and not at.get("echarts_chart")  # the three charts drawn as one, without ECharts
    assert [title(f) for f in figures(at)] == [title(c.option) for c in (expected, *charts_of(pic)[1:])]
    assert by_category["toolbox"]["feature"]["saveAsImage"]["name"] == "软弱涣散基层党组织类别、标准与单位分布-全市"
    assert not at.dataframe  # the leader's first screen: the headline, the sentence, the charts
    more(at, overview.TABLES)
    assert at.dataframe[0].value["填报单位"].tolist() == pic.by_unit["unit"].tolist()


def test_every_page_of_figures_says_what_date_they_are_of(db_url):
    from weakorg.asof import as_of_note, picture_day

    at = start()
    store = Store(db_url)
    said = as_of_note(picture_day(app.picture(store)))  # the latest 填表时间 of every unit, whatever the filter
    assert said.startswith("数据截至第3次报送（2014年4月30日）")  # as the 通报 of the same units says
    behind = "第3次报送（2014年4月30日）尚未报送的有：万宝新区（最近一次为2014年4月15日）"  # the samples' unit behind
    for units, pages in (
        ([], ("overview", "orgs", "villages", "status")),
        (["娄星区"], ("units", "overview")),  # its last return is of 4月29日: the round's, not behind
        (["万宝新区"], ("units", "orgs", "status")),
    ):
        at.sidebar.multiselect(key="filter_units").set_value(units).run()
        for page in pages:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, at.exception
            shown = [c.value for c in at.caption] + [w.value for w in at.warning]
            assert any(c.startswith(said) for c in shown), (page, [c[:40] for c in shown])
            assert any(c.startswith(behind) for c in shown) == (units != ["娄星区"]), (page, units)


def test_sidebar_filters_change_the_numbers(db_url):
    at = start()
    store = Store(db_url)
    whole = expected_metrics(app.picture(store))
    by_unit = app.picture(store).by_unit
    unit = by_unit.sort_values("weak_total")["unit"].iloc[-1]

    at.sidebar.multiselect(key="filter_units").set_value([unit]).run()
    assert not at.exception, at.exception
    one_unit = expected_metrics(app.picture(store, units=[unit]))
    assert shown_metrics(at) == one_unit != whole

    at.sidebar.multiselect(key="filter_categories").set_value(["农村"]).run()
    assert not at.exception, at.exception
    assert shown_metrics(at) == expected_metrics(app.picture(store, units=[unit], categories=["农村"])) != one_unit


def test_uploads_are_recognised_checked_and_saved(db_url, no_samples):
    paths = app.sample_files(ROOT / "sample_data")[:3]
    at = start()
    at.switch_page("pages/upload.py").run()
    files = [(p.name, p.read_bytes(), "application/octet-stream") for p in paths]
    at.file_uploader[0].set_value([*files, ("说明.xlsx", b"%PDF-1.4 a renamed pdf", "application/octet-stream")]).run()
    assert not at.exception, at.exception
    recognised = at.dataframe[0].value
    assert recognised["文件"].tolist() == [*(p.name for p in paths), "说明.xlsx"]
    assert recognised["状态"].tolist() == ["可读取"] * 3 + ["已拒收"]

    at.button[0].click().run()
    assert not at.exception, at.exception
    store = Store(db_url)
    assert sorted(store.submissions()["name"]) == sorted(p.name for p in paths)
    assert "新保存 3 个文件，此前已保存 0 个，已拒收未保存 1 个" in at.success[-1].value
    assert sorted(at.dataframe[-1].value["文件名"]) == sorted(p.name for p in paths)

    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    assert shown_metrics(at) == expected_metrics(app.picture(store))


def test_an_upload_with_findings_offers_them_back(db_url, no_samples):
    path = next(p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith("涟源市-第3次"))
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")]).run()
    assert not at.exception, at.exception
    results = app.process_uploads([(path.name, path.read_bytes())])
    [result] = results
    assert at.dataframe[1].value.equals(app.unit_findings_table(results))
    errors = sum(f.severity == "error" for f in result.findings)
    assert at.dataframe[1].value.iloc[0].tolist()[:3] == ["涟源市", 1, errors] and errors >= 2
    assert at.dataframe[2].value["说明"].tolist() == app.findings_table(result.findings)["说明"].tolist()
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == ["下载空白模板", app.SENDBACK_LIST, app.SENDBACK_ANNOTATED]

    at.multiselect(key="upload_severities").set_value(["error"]).run()
    assert not at.exception, at.exception
    assert set(at.dataframe[2].value["严重程度"]) == {"错误"}
    assert at.dataframe[2].value["说明"].tolist() == [
        f.message for f in app.select_findings(result.findings, ["error"])
    ]
    at.multiselect(key="upload_rules").set_value(["MEMBERS_INVALID"]).run()
    assert at.dataframe[2].value["规则"].tolist() == [rule_name("MEMBERS_INVALID")] * len(
        app.select_findings(result.findings, ["error"], ["MEMBERS_INVALID"])
    )


def test_a_stored_warning_is_explained_and_shown_beside_it(db_url):
    at = start()  # the sample returns are loaded on first start
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    store = Store(db_url)
    every = app.explainable(app.picture(store).findings)
    warnings = app.explainable(
        app.picture(store).findings, corrections.standing_names(corrections.submissions_record(store))
    )
    assert warnings and {f.severity for f in warnings} == {"warning"}
    assert len(warnings) < len(every)  # a replaced return's warnings are not offered for explanation
    table = at.dataframe[-2].value  # the warnings, above the stored submissions
    assert table["说明"].tolist() == [f.message for f in warnings] and (table["说明情况"] == "未说明").all()

    at.text_area(key="explain_reason").input("该支部为新建支部，情况属实。")
    at.button(key="explain_save").click().run()  # nothing picked: nothing saved, and said
    assert [w.value for w in at.warning][-1].startswith("请先在“警告”中选择") and store.explanations().empty
    at.selectbox(key="explain_finding").set_value(app.finding_key(warnings[1]))
    at.button(key="explain_save").click().run()
    assert not at.exception, at.exception
    assert "说明已保存" in at.success[-1].value
    [saved] = store.explanations().to_dict("records")
    assert saved["reason"] == "该支部为新建支部，情况属实。" and saved["rule"] == warnings[1].rule
    shown = at.dataframe[-2].value["说明情况"].tolist()
    assert shown[1].startswith(f"已说明：{saved['reason']}") and sum(r != "未说明" for r in shown) == 1


def test_a_warning_picked_is_explained_even_when_the_list_shifts_under_it(db_url):
    at = start()
    at.switch_page("pages/upload.py").run()
    store = Store(db_url)
    warnings = app.explainable(
        app.picture(store).findings, corrections.standing_names(corrections.submissions_record(store))
    )
    subs = store.submissions()
    first = subs[subs["name"] == warnings[0].file]["id"].iloc[-1]
    target = next(w for w in warnings if w.file != warnings[0].file)  # listed after the first file's warnings
    at.selectbox(key="explain_finding").set_value(app.finding_key(target))
    at.text_area(key="explain_reason").input("经核实属实。")
    store.withdraw(int(first), "报错了", by="另一位管理员")  # in another tab: the first file's warnings leave the list
    at.button(key="explain_save").click().run()
    assert not at.exception, at.exception
    [saved] = store.explanations().to_dict("records")
    assert (saved["file"], saved["rule"], saved["cell"]) == (target.file, target.rule, target.cell)


def test_a_table_keeps_its_first_column_in_view_when_scrolled_sideways():
    """pages/_tables.table: the first column (the unit or organization a row is about) is pinned, keeping what the
    page set for it (here its label), so a wide table at 1024 px scrolled sideways still says whose figures they
    are; a share still shows two decimals."""
    import json

    def page() -> None:
        import pandas as pd

        from pages import _tables

        frame = pd.DataFrame({"填报单位": ["甲县", "乙县"], "占比": [0.5, 0.25], "合计": [1, 2]})
        _tables.table(frame, "wide", column_config={"填报单位": "单位"})

    at = AppTest.from_function(page).run()
    assert not at.exception, at.exception
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["填报单位"] == {"label": "单位", "pinned": True}
    assert config["占比"]["type_config"]["format"] == "%.2f" and "pinned" not in config["占比"]
    assert at.dataframe[0].value["填报单位"].tolist() == ["甲县", "乙县"]


def test_an_empty_table_says_so_in_chinese():
    """pages/_tables.table: Streamlit would draw an empty table with the English word "empty"; the page says
    （暂无记录） instead, and a selection reads as none."""

    def page() -> None:
        import pandas as pd
        import streamlit as st

        from pages import _tables

        event, offset = _tables.table(pd.DataFrame({"村名": []}), "none", on_select="rerun")
        st.caption(f"selected {event.selection.rows if event else []} from {offset}")

    at = AppTest.from_function(page).run()
    assert not at.exception, at.exception
    assert not at.dataframe
    assert [c.value for c in at.caption] == ["（暂无记录）", "selected [] from 0"]


def test_a_long_table_shows_every_row_a_page_at_a_time():
    """pages/_tables.table: no scrolling inside a table; past TABLE_PAGE_ROWS rows a page picker, in Chinese."""

    def page() -> None:
        import pandas as pd
        import streamlit as st

        from pages import _tables

        frame = pd.DataFrame({"序号": range(1, 451)})
        _, offset = _tables.table(frame, "long")
        st.caption(f"offset {offset}")

    at = AppTest.from_function(page).run()
    assert not at.exception, at.exception
    (picker,) = at.number_input
    assert picker.label == "页码（共 3 页，每页 200 行）" and picker.value == 1
    assert at.dataframe[0].value["序号"].tolist() == list(range(1, 201))
    picker.set_value(3).run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["序号"].tolist() == list(range(401, 451)) and at.caption[0].value == "offset 400"
