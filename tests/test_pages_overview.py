"""全市总览 under AppTest: the figures it adds (progress, change since the last return, heatmaps, ranking)."""

from __future__ import annotations

import json

import pytest
from test_pages import navigation_app, start  # noqa: F401  (the fixture makes AppTest run the router)

from weakorg.campaign import default_campaign
from weakorg.history import city_progress, progress
from weakorg.store import Store


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    return url


def figure(at, title_part: str) -> dict:
    """The one chart on the page whose title contains ``title_part``."""
    found = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    (fig,) = [f for f in found if title_part in f["layout"]["title"]["text"]]
    return fig


def test_progress_over_time_is_the_city_history_and_follows_the_unit_filter(db_url):
    at = start()  # first start loads the sample returns
    store = Store(db_url)
    units = default_campaign().unit_names
    by_unit = progress(store.returns(), units)
    city = city_progress(by_unit)
    shown = figure(at, "整顿进展")
    bars = {t["name"]: t["y"] for t in shown["data"] if t["type"] == "bar"}
    assert bars["已验收"] == city["已验收"].tolist() and bars["整顿中"] == city["整顿中"].tolist()
    (line,) = [t for t in shown["data"] if t["type"] == "scatter"]
    assert line["y"] == city["villages_elected"].tolist() and line["y"][-1] > 0

    at.sidebar.multiselect(key="filter_units").set_value(["新化县"]).run()
    assert not at.exception, at.exception
    one = city_progress(by_unit[by_unit["unit"] == "新化县"])  # on every day of the campaign since its first
    shown = figure(at, "整顿进展")
    assert shown["data"][0]["x"] == [str(d) for d in one["reported_on"]] and shown["data"][0]["x"][0] == "2014-03-14"
    assert "新化县" in shown["layout"]["title"]["text"]
    assert {t["name"]: t["y"] for t in shown["data"] if t["type"] == "bar"}["已验收"] == one["已验收"].tolist()
    store.engine.dispose()
