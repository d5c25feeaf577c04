"""Back and Forward in a real browser: each step of a drill-down comes back with its page and its filters.

City → county (a segment of the by-unit chart: the county and that segment's category) → category (a bar of
the county's by-category chart); then the browser's Back twice and Forward once. At each step the page, the
sidebar's chips and the figures shown are those of that step's URL. The server, browser and helpers are
tests/test_browser.py's.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.test_browser import browser, click_bar, grid_cells, metrics, page, server, shot  # noqa: F401  (fixtures)
from weakorg import app, charts, drill
from weakorg.drill import Filters

pytestmark = pytest.mark.browser


def url_filters(url: str) -> Filters:
    """The filters an address names (as the app reads them)."""
    return drill.parse_query(parse_qs(urlparse(url).query))


def chips(tab, index: int) -> list[str]:
    """The values a sidebar multiselect shows as chips (0: units, 1: categories)."""
    box = tab.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").nth(index)
    tags = box.locator(".react-aria-ComboBox [data-tag]")  # the combobox drawn (a <template> holds a copy)
    return tags.evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")  # at once: a rerun may redraw


def wait_for_chips(tab, units: list[str], categories: list[str]) -> None:
    """Wait until the sidebar's chips are these (a rerun may still be drawing), then check them."""
    for _ in range(100):
        if chips(tab, 0) == units and chips(tab, 1) == categories:
            break
        tab.wait_for_timeout(200)
    assert (chips(tab, 0), chips(tab, 1)) == (units, categories)


# The run is over and nothing stale is left: going Back, the page left may show beside the page come to for a moment.
DRAWN = """() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'
  && !document.querySelector('[data-testid=stElementContainer][data-stale=true]')
  && document.querySelectorAll('[data-testid=stMain] h1').length === 1"""


def weak_shown(tab) -> str:
    """The weak organizations' count shown (软弱涣散基层党组织数, or however the headline calls it)."""
    tab.wait_for_function(DRAWN)
    (value,) = [v for label, v in metrics(tab) if label.startswith("软弱涣散") and label.endswith("数")]
    return value


def click_first_bar(tab, chart: int, count: int, panel: int | None = None) -> None:
    click_bar(tab, chart, 0, count, panel)


def assert_city(tab, base: str, store) -> None:
    tab.get_by_role("heading", name="全市总览").first.wait_for()
    tab.wait_for_url(base + "/")
    wait_for_chips(tab, [], [])
    assert weak_shown(tab) == f"{int(app.picture(store).city['weak_total']):,}"


def assert_county(tab, store, step: Filters) -> None:
    """The county's page with the filters of the segment clicked (its unit and its category)."""
    tab.get_by_role("heading", name="县市区").first.wait_for()
    wait_for_chips(tab, list(step.units), list(step.categories))
    assert urlparse(tab.url).path == "/units" and url_filters(tab.url) == step
    shown = app.picture(store, units=list(step.units), categories=list(step.categories))
    assert weak_shown(tab) == f"{int(shown.city['weak_total']):,}"


def test_back_and_forward_restore_the_page_and_the_filters_of_each_step(server, page):  # noqa: F811  (imported fixtures)
    base, store = server
    page.goto(base)
    assert_city(page, base, store)

    units_drawn = len(charts.weak_by_unit(app.picture(store).summary).option["xAxis"]["data"])
    click_first_bar(page, 0, units_drawn, panel=2)  # the board's by-unit chart (after by category, by criterion)
    page.get_by_role("heading", name="县市区").first.wait_for()
    page.wait_for_url("**/units?unit=*")
    county = url_filters(page.url)  # a segment of the unit's bar: the unit and that segment's category
    (unit,) = county.units
    assert len(county.categories) == 1
    assert_county(page, store, county)

    in_view = app.picture(store, units=[unit], categories=list(county.categories))
    categories_drawn = len(charts.weak_by_category(in_view.by_category).keys[0])
    click_first_bar(page, 0, categories_drawn, panel=0)  # the county's board, by category: one category of it
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.wait_for_url("**/orgs?*category=*")
    step = url_filters(page.url)
    assert step.units == (unit,) and len(step.categories) == 1
    wait_for_chips(page, [unit], list(step.categories))
    orgs = drill.filter_orgs(app.picture(store, units=[unit]).weak_orgs, step)
    page.get_by_text(f"共 {len(orgs)} 个软弱涣散基层党组织").wait_for()
    if len(orgs):
        assert orgs["name"].iloc[0] in grid_cells(page)
    shot(page, "history-1-category")

    page.go_back()  # to the county: its page, its one unit and the category of the segment clicked
    assert_county(page, store, county)
    shot(page, "history-2-back-county")

    page.go_back()  # to the city: no filter at all, though the session had one a moment ago
    assert_city(page, base, store)
    shot(page, "history-3-back-city")

    page.go_forward()  # the county again
    assert_county(page, store, county)
    shot(page, "history-4-forward-county")


def test_back_from_an_organizations_card_closes_it_and_forward_opens_it_again(server, page):  # noqa: F811
    base, store = server
    unit = "双峰县"
    pic = app.picture(store, units=[unit])
    category = pic.weak_orgs["category"].iloc[0]
    step = Filters(units=(unit,), categories=(category,))
    orgs = drill.filter_orgs(pic.weak_orgs, step)
    page.goto(f"{base}/orgs?unit={unit}&category={category}")
    page.get_by_text(f"共 {len(orgs)} 个软弱涣散基层党组织").wait_for()
    grid = page.get_by_test_id("stDataFrame").first
    grid.locator("[role=gridcell]").first.wait_for(state="attached")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first row's selection box, under the header
    name = orgs["name"].iloc[0]
    page.get_by_role("heading", name=name).first.wait_for()
    page.wait_for_url("**org=*")
    assert url_filters(page.url) == Filters(units=(unit,), categories=(category,), org=(unit, name))

    page.go_back()  # the list again, the card closed, the same filters
    page.wait_for_url(lambda url: "org=" not in url)
    page.get_by_text(f"共 {len(orgs)} 个软弱涣散基层党组织").wait_for()
    wait_for_chips(page, [unit], [category])
    page.wait_for_timeout(1500)  # a selection left in the table would open the card again: it must not
    assert page.get_by_role("heading", name=name).count() == 0 and url_filters(page.url) == step

    page.go_forward()  # the card again
    page.get_by_role("heading", name=name).first.wait_for()
    wait_for_chips(page, [unit], [category])
    assert url_filters(page.url).org == (unit, name)
