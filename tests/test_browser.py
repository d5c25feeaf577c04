"""The app in a real browser: `streamlit run` on a free port, Debian's Chromium driven by Playwright.

Opens the overview, uploads a return and sees its findings, clicks a category bar down to
the organizations, selects a row to open one organization's card, follows a link to two
counties; uploads a dozen returns at once and saves them; checks the uploader speaks Chinese;
screenshots of each page go to tests/artifacts/. Runs whenever /usr/bin/chromium
exists; with WEAKORG_REQUIRE_BROWSER=1 (CI) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import http.server
import itertools
import os
import re
import threading
import zipfile
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, urlparse

import pytest

from bench.pages import CHROMIUM, CHROMIUM_ARGS  # the same browser, started the same way as the bench
from pages import _chrome, _signin
from tests.test_pages_drill import crafted_return, crafted_unit_return
from weakorg import accounts, app, audit, counts, drill, overview, privacy, sessions, views
from weakorg.drill import Filters
from weakorg.read import pool
from weakorg.read.guard import ReadLimits
from weakorg.sample import write_samples
from weakorg.store import Store
from weakorg.text import unbroken

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
WAIT_MS = 120_000
UPLOAD = "涟源市-第3次-软弱涣散基层党组织报表-20140430.xlsx"  # its register has members written as "若干"
COUNTIES = ("双峰县", "新化县")
MANY = 12  # returns uploaded at once in the browser


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("WEAKORG_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by `streamlit run dashboard.py` on a temporary store; yields (base URL, store)."""
    yield from _serve(tmp_path_factory.mktemp("browser"))


@pytest.fixture
def fresh_server(tmp_path_factory):
    """A server whose very first request is the test's own (a link opened after a restart)."""
    yield from _serve(tmp_path_factory.mktemp("browser-fresh"))


def _serve(tmp, url: str | None = None):
    """Serve the app on ``url`` (default: a SQLite file in ``tmp``); yields (base URL, store)."""
    from bench.pages import serve  # the bench's server: `streamlit run dashboard.py`, headless, on a free port

    _require_browser()
    url = url or f"sqlite:///{tmp / 'weakorg.db'}"
    env = {**os.environ, "WEAKORG_DATABASE_URL": url, "WEAKORG_DEMO": "1"}  # a demo: the samples load
    env[pool.AT_START_ENV] = "1"  # a real server: the upload page starts the reader's pool, as `make run` does
    with serve(ROOT / "dashboard.py", env, tmp / "streamlit.log") as (base, pid):
        SERVER_PIDS[base] = pid
        yield base, Store(url)


SERVER_PIDS: dict[str, int] = {}  # base URL -> the server's process id


def fork_servers(pid: int) -> list[int]:
    """The reader pool's fork servers a process started (its children running multiprocessing's forkserver)."""
    out = []
    for proc in Path("/proc").iterdir():
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid and b"forkserver" in (proc / "cmdline").read_bytes():
                out.append(int(proc.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


@pytest.fixture
def small_tab(browser):
    """A tab at 1024×768, the narrowest screen the app is for, downloads accepted."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)  # let charts and grids finish drawing before the picture
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


HEADLINE = f'[data-testid="stMetric"], .{overview.FIGURE_CLASS}'  # a page's st.metric figures, or 全市总览's block


def metrics(page) -> list[tuple[str, str]]:
    """The headline's labels and values as the browser shows them."""
    page.locator(HEADLINE).first.wait_for()
    shown = []
    for text in page.locator(HEADLINE).all_inner_texts():
        label, *rest = [line.strip() for line in text.splitlines() if line.strip()]
        shown.append((label, rest[0] if rest else ""))
    return shown


def grid_cells(page, index: int = 0) -> list[str]:
    """The text of a table's rendered cells (the grid's accessible cells)."""
    grid = page.get_by_test_id("stDataFrame").nth(index)
    grid.wait_for()
    cells: list[str] = []
    for _ in range(100):  # a rerun may draw the grid again between the wait and the read: read once it holds cells
        grid.locator("[role=gridcell]").first.wait_for(state="attached")
        cells = grid.locator("[role=gridcell]").all_inner_texts()
        if cells:
            break
        page.wait_for_timeout(100)
    return cells


def show_more(page, option: str) -> None:
    """全市总览's 更多内容: choose one (the progress, the heatmaps, the tables: drawn only when asked for)."""
    page.get_by_test_id("stMain").get_by_test_id("stButtonGroup").get_by_text(option, exact=True).click()


CHART = '[data-testid="stEChartsChart"]'


SCROLL_TO_POINT = """(canvas, y) => {
  let box = canvas.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight && ['auto', 'scroll'].includes(getComputedStyle(box).overflowY)))
    box = box.parentElement;
  (box || document.scrollingElement).scrollBy(0, canvas.getBoundingClientRect().top + y - window.innerHeight / 2);
}"""


# The bottom segment of bar ``index`` in a board's chart number ``panel`` (charts.HEIGHT px each, one under the other):
# its series, or null while the board is not drawn.
BOARD_BAR = """([panel, index, height, gap]) => {
  const svg = document.querySelector('.weakorg-board svg.chart');
  if (!svg) return null;
  const top = svg.getBoundingClientRect().top, low = panel * (height + gap), high = low + height;
  const mine = [...svg.querySelectorAll(`.bars rect[data-index="${index}"]`)].filter(r => {
    const y = r.getBoundingClientRect().top - top;
    return y >= low && y < high;
  });
  mine.sort((a, b) => b.getBoundingClientRect().bottom - a.getBoundingClientRect().bottom);
  return mine.length ? mine[0].dataset.series : null;
}"""


def click_bar(page, chart: int, index: int, count: int, panel: int | None = None) -> None:
    """Click the bar ``index`` of ``count`` on the page's chart number ``chart``, just above its axis: every bar
    chart has the same plot area (weakorg.charts.GRID), so a bar's place follows from its index. With ``panel``:
    the bar (its bottom segment) of the chart number ``panel`` of the page's board (pages/_board.js, SVG)."""
    from weakorg.charts import BOARD_GAP, GRID, HEIGHT

    if panel is not None:
        series = page.wait_for_function(BOARD_BAR, arg=[panel, index, HEIGHT, BOARD_GAP]).json_value()
        page.locator(f'.weakorg-board .bars rect[data-series="{series}"][data-index="{index}"]').click()
        return
    canvas = page.locator(CHART).nth(chart).locator("canvas").first
    canvas.wait_for()
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # drawn
    box = canvas.bounding_box()
    y = box["height"] - GRID["bottom"] - 2
    canvas.evaluate(SCROLL_TO_POINT, y)  # a click lands only on what is on screen: a board is taller than it
    page.wait_for_timeout(300)
    box = canvas.bounding_box()
    width = box["width"] - GRID["left"] - GRID["right"]
    page.mouse.click(box["x"] + GRID["left"] + (index + 0.5) * width / count, box["y"] + y)


def assert_uploader_in_chinese(page) -> None:
    """Streamlit's English dropzone words are hidden and ours drawn in their place (CSS in pages/upload.py)."""
    max_mb = ReadLimits().max_bytes // (1024 * 1024)
    page.get_by_text(f"支持的文件类型：{'、'.join(app.UPLOAD_TYPES)}；每个文件不超过 {max_mb}MB").wait_for()
    dropzone = page.get_by_test_id("stFileUploaderDropzone")
    instructions = "[data-testid=stFileUploaderDropzoneInstructions] span"
    page.wait_for_function(  # the page's style sheet may land a moment after the uploader
        f"() => {{ const e = document.querySelector('{instructions}');"
        " return e !== null && getComputedStyle(e).fontSize === '0px'; }"
    )
    styles = dropzone.evaluate(
        """zone => {
            const button = zone.querySelector("button p");
            const limit = zone.querySelector("[data-testid=stFileUploaderDropzoneInstructions] span");
            const size = el => getComputedStyle(el).fontSize, after = el => getComputedStyle(el, "::after").content;
            return [size(button), after(button), size(limit), after(limit)];
        }"""
    )
    assert styles[0] == styles[2] == "0px"  # "Upload" and "50MB per file • XLSX…" are not shown
    assert styles[1] == '"选择文件" / ""'  # drawn, with no text of its own for a screen reader: it hears the words
    assert f"每个文件不超过 {max_mb}MB" in styles[3] and "xlsx" in styles[3]
    words = "[data-testid=stFileUploaderDropzoneInstructions]"
    heard = f"zone => [zone.querySelector('button p').textContent, zone.querySelector('{words}').textContent]"
    page.wait_for_function(f"zone => ({heard})(zone)[0] === '选择文件'", arg=dropzone.element_handle())
    button, limit = dropzone.evaluate(heard)  # the words themselves, rewritten in Chinese (pages/_chrome.py)
    assert button == "选择文件" and f"每个文件不超过 {max_mb}MB" in limit and "per file" not in limit


def test_the_overview_board_draws_every_bar_with_its_figures_and_saves_itself_as_a_png(server, small_tab):
    """全市总览's board, drawn as SVG without ECharts (pages/_board.js): a bar for every figure above zero, each
    stacked bar's total and each category's share said, every tooltip its option's, and its PNG, named after the
    board and the filters, a picture of the board at twice its size; a bar's tooltip in a box by the pointer; a
    legend item hides its series and shows it again."""
    import struct

    from weakorg import charts

    base, store = server
    page = small_tab
    page.goto(base)
    page.locator(".weakorg-board svg .bars rect").first.wait_for()
    board = overview.figures(app.picture(store))[overview.BOARD]
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('.weakorg-board .bars rect')].map(r =>
             [+r.dataset.series, +r.dataset.index, r.tip])"""
    )
    expected = [
        [s, i, item["tooltip"]["formatter"]]
        for s, series in enumerate(board.option["series"])
        for i, item in enumerate(series["data"])
        if charts.values(series)[i] > 0
    ]
    assert sorted(drawn) == sorted(expected) and len(drawn) > 20
    said = page.locator(".weakorg-board svg.chart").text_content()
    labels = [
        i["label"]["formatter"] for s in board.option["series"] for i in s["data"] if i.get("label", {}).get("show")
    ]
    assert labels and all(label in said for label in labels)  # the shares and the stacks' totals
    assert all(t["text"] in said for t in board.option["title"])
    first = board.option["series"][0]["data"][0]["tooltip"]["formatter"]
    page.locator('.weakorg-board .bars rect[data-series="0"][data-index="0"]').hover()
    assert page.locator(".weakorg-board .tip").inner_text() == first  # the bar's lines, in a box by the pointer
    legends = page.locator(".weakorg-board .legend")
    name = legends.first.get_attribute("data-name")
    named = [i for i, series in enumerate(board.option["series"]) if series["name"] == name]
    bars = page.locator(".weakorg-board .bars rect")
    selector = ", ".join(f'.weakorg-board .bars rect[data-series="{i}"]' for i in named)
    before = bars.count()
    assert page.locator(selector).count() > 0
    legends.first.click()  # a legend item hides its series in every chart of the board, and shows it again
    assert page.locator(selector).count() == 0 and bars.count() < before
    page.locator(".weakorg-board .legend").first.click()
    assert page.locator(selector).count() > 0 and bars.count() == before
    size = page.locator(".weakorg-board svg.chart").bounding_box()
    with page.expect_download() as download:
        page.locator(".weakorg-board button.save").click()
    assert download.value.suggested_filename == f"{overview.BOARD_TITLE}-全市.png"
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    margin = 16  # pages/_board.js: MARGIN
    assert struct.unpack(">II", png[16:24]) == (
        (round(size["width"]) + 2 * margin) * 2,
        (round(size["height"]) + 2 * margin) * 2,
    )
    # the keyboard does what the pointer does: one Tab stop for the legend and one for each chart's bars (a legend
    # repeated for the eye is not one), the arrow keys within, Enter or Space acts on the item
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.weakorg-board [tabindex="0"]')].map(e => [
             e.closest('[role=group]').getAttribute('aria-label'), e.getAttribute('role'), e.getAttribute('aria-label')
           ])"""
    )
    titles = [t["text"] for t in board.option["title"]]
    assert len(stops) == 1 + len(titles) and stops[0][0].startswith("图例")
    assert all(s[0].startswith(f"{t}（用方向键") for s, t in zip(stops[1:], titles, strict=True))
    assert all(s[1] == "button" and s[2] for s in stops)
    assert page.evaluate(
        """() => [...document.querySelectorAll('.weakorg-board .bars rect, .weakorg-board .legend[tabindex]')]
             .every(e => e.getAttribute('role') === 'button' && e.getAttribute('aria-label'))"""
    )
    assert page.locator('.weakorg-board [aria-hidden="true"] .legend').count() > 0  # drawn twice, said once
    legends.first.focus()
    page.keyboard.press("ArrowRight")  # the next category, now the legend's Tab stop
    second = page.evaluate("() => document.activeElement.dataset.name")
    assert second == board.option["legend"][0]["data"][1]
    assert page.locator(".weakorg-board .legend[tabindex='0']").get_attribute("data-name") == second
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    assert page.locator(selector).count() == 0
    assert page.evaluate("() => document.activeElement.dataset.name") == name  # the focus stays on the item
    assert page.locator(".weakorg-board .legend").first.get_attribute("aria-pressed") == "false"
    page.keyboard.press(" ")
    assert page.locator(selector).count() > 0
    bar = page.locator('.weakorg-board .bars rect[data-series="0"][data-index="0"]')
    bar.focus()
    assert page.locator(".weakorg-board .tip").inner_text() == first  # its tooltip, as the pointer shows it
    page.keyboard.press("End")
    page.keyboard.press("Home")
    assert page.evaluate("() => document.activeElement.dataset.index") == "0"
    # in a stacked chart, the arrows go segment by segment through one bar before the next (as the eye reads)
    third = page.locator(".weakorg-board .bars .keys").nth(2).locator("[tabindex='0']")
    third.focus()
    first_bar = page.evaluate("() => document.activeElement.dataset.index")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.index") == first_bar  # the same unit's next category
    # a bar the keyboard moves to is not left under the page's top bar: the page scrolls to show it whole
    under = """el => { let box = el.parentElement;
        while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY)))
          box = box.parentElement;
        (box || document.scrollingElement).scrollTop += el.getBoundingClientRect().top - 10; }"""
    bar.focus()
    bar.evaluate(under)  # the page scrolled to put the first bar under the top bar, then the arrows go to it again
    assert bar.evaluate("el => el.getBoundingClientRect().top") < 20
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    header = page.get_by_test_id("stHeader").bounding_box()
    assert bar.evaluate("el => el === document.activeElement && el.getBoundingClientRect().top") >= header["height"]
    bar.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.wait_for_url("**/orgs?category=*")
    # the bar gone with the page it was on, the keyboard's focus is on the new page's heading, not dropped to <body>
    page.wait_for_function("() => document.activeElement?.tagName === 'H1'")
    assert page.evaluate("() => document.activeElement.textContent") == "组织明细"
    page.keyboard.press("Tab")  # the next Tab goes on from there: not back to 跳到正文
    assert page.evaluate("() => document.activeElement.closest('[data-testid=stMain]') !== null")


def test_two_documents_downloaded_one_right_after_the_other_both_arrive_and_are_audited(server, small_tab):
    """A click on a document's button reran the page and replaced the other buttons' files: a second click at once
    found none ("Deferred file … not found"), silently. Now the click reruns nothing."""
    base, store = server
    page = small_tab
    before = len(audit.query(store, action=audit.DOWNLOAD))
    page.goto(f"{base}/documents")
    page.get_by_role("heading", name="通报与简报").first.wait_for()
    bulletin, brief = (page.get_by_role("button", name=n) for n in ("下载通报（Word）", "下载会议简报（PDF）"))
    brief.wait_for()
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    bulletin.click()
    brief.click()  # at once, before anything could redraw
    for _ in range(600):
        if len(downloads) == 2:
            break
        page.wait_for_timeout(200)
    names = sorted(d.suggested_filename for d in downloads)
    assert sorted(n.rsplit(".", 1)[-1] for n in names) == ["docx", "pdf"]
    assert all(d.failure() is None for d in downloads)
    entries = audit.query(store, action=audit.DOWNLOAD)[before:]
    assert sorted(entries["file"]) == names  # each audited once, as it was made


def test_overview_upload_drill_down_and_card(server, page):
    base, store = server
    page.goto(base)
    page.get_by_role("heading", name="全市总览").first.wait_for()
    pic = app.picture(store)
    assert metrics(page) == [(m.label, m.value) for m in counts.headline(pic)]
    shot(page, "1-overview")

    # Upload one return and see its findings (not saved: the picture stays the samples').
    page.get_by_role("link", name="上传与校验").click()
    page.get_by_role("heading", name="上传与校验").first.wait_for()
    assert_uploader_in_chinese(page)
    page.locator("input[type=file]").set_input_files(str(app.SAMPLE_DIR / UPLOAD))
    page.get_by_text("识别结果").wait_for()
    page.get_by_text("共 1 个文件：可读取 1 个").wait_for()
    page.get_by_text(app.PROBLEM_FILES_LABEL.format(n=1)).wait_for()  # picked at once: its findings are shown below
    page.get_by_test_id("stDataFrame").nth(2).wait_for()  # the three tables drawn: results, per unit, findings
    page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached")  # and the run done: none redrawn
    for _ in range(100):  # the tables are drawn in turn: read the per-unit one once it is in its place
        if grid_cells(page, 1)[:1] == ["涟源市"]:
            break
        page.wait_for_timeout(100)
    assert grid_cells(page, 1)[0] == "涟源市"  # errors, warnings and notes per unit
    (result,) = app.process_uploads([(UPLOAD, (app.SAMPLE_DIR / UPLOAD).read_bytes())])
    bad = next(f for f in result.findings if f.rule == "MEMBERS_INVALID")
    cells = grid_cells(page, 2)  # the cells drawn: where each finding is, in view before its sentence
    assert bad.sheet in cells and bad.cell in cells and bad.message in cells
    shot(page, "2-upload")

    # Click the 农村 bar of the by-category chart: the organizations of that category.
    page.get_by_role("link", name="全市总览").click()
    page.get_by_role("heading", name="全市总览").first.wait_for()
    shown = pic.by_category.loc[(pic.by_category["orgs_total"] > 0) | (pic.by_category["weak_total"] > 0)]
    first_category = shown["category"].iloc[0]
    click_bar(page, 0, 0, len(shown), panel=0)  # the board's first chart
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.wait_for_url(f"**/orgs?category={quote(first_category)}")
    expected = drill.filter_orgs(pic.weak_orgs, Filters(categories=(first_category,)))
    page.get_by_text(f"共 {len(expected)} 个软弱涣散基层党组织").wait_for()
    assert expected["name"].iloc[0] in grid_cells(page)
    shot(page, "3-orgs-by-category")

    # A table is one Tab stop (the grid's own Tab went cell by cell): Tab leaves it, Shift+Tab comes back to it; its
    # scroller and the main area are no Tab stops (nothing to name them by).
    canvas = "[data-testid=stDataFrame] canvas[data-testid=data-grid-canvas]"
    stops = "() => [...document.querySelectorAll('[data-testid=stMain], .dvn-scroller')].map(e => e.tabIndex)"
    page.wait_for_function(f"() => ({stops})().every(i => i === -1)")  # the page's script has marked them
    page.locator(canvas).first.focus()
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.activeElement?.textContent === '下载 Excel（组织明细）'", timeout=10_000)
    page.keyboard.press("Shift+Tab")
    page.wait_for_function(f"() => document.activeElement?.matches('{canvas}')", timeout=10_000)
    page.evaluate("() => document.querySelector('[data-testid=stDataFrame]').scrollIntoView({block: 'start'})")

    # Select the first row: the organization's card with its history across returns.
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first row's selection box, under the header
    unit, name = expected["unit"].iloc[0], expected["name"].iloc[0]
    page.get_by_role("heading", name=name).first.wait_for()
    in_view = "() => { const r = document.getElementById('org-card')?.getBoundingClientRect(); "
    in_view += "return !!r && r.top >= 0 && r.top < window.innerHeight; }"
    page.wait_for_function(in_view)  # the card, below the whole list, brought into view
    page.wait_for_function("() => document.activeElement?.id === 'org-card'")  # and the focus on its name
    levels = page.evaluate("() => [...document.querySelectorAll('main :is(h1,h2,h3,h4)')].map(h => +h.tagName[1])")
    assert levels[:2] == [1, 2] and 3 in levels and all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no jump
    card = views.org_card(pic.weak_orgs, store.returns(), unit, name)
    page.get_by_text("历次报送", exact=True).wait_for()
    # its phone revealed by keyboard: the button gone, the focus on the card's name, the number just under it
    page.get_by_label(privacy.REASON_LABEL).focus()
    page.keyboard.type("电话核实整顿进展")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == privacy.REVEAL_LABEL
    page.keyboard.press("Enter")
    page.get_by_role("button", name=privacy.REVEAL_LABEL).wait_for(state="detached")
    page.wait_for_function("() => document.activeElement?.id === 'org-card'")  # not 组织明细's h1, at the top
    assert "org=" in page.url and "org_unit=" in page.url
    shot(page, "4-org-card")
    assert len(card.history) >= 1

    # Back up the trail to the city.
    page.get_by_role("button", name="全市 ›").click()
    page.get_by_role("heading", name="全市总览").first.wait_for()
    page.wait_for_url(base + "/")


def test_a_link_opens_on_two_counties_and_a_criterion(fresh_server, page):
    base, store = fresh_server
    page.goto(f"{base}/units?unit={quote(COUNTIES[0])}&unit={quote(COUNTIES[1])}")
    page.get_by_role("heading", name="县市区").first.wait_for()
    pic = app.picture(store, units=COUNTIES)
    assert metrics(page) == [(m.label, m.value) for m in counts.headline(pic)]
    assert pic.weak_orgs["name"].iloc[0] in grid_cells(page, 1)  # the counties' register
    shot(page, "5-units")
    # the units chosen can be cleared at once, the button naming the list it clears (not only 全部清除)
    clear = page.get_by_test_id("stSidebar").get_by_role("button", name="全部清除：填报单位")
    assert clear.count() == 1
    # and its box says what is chosen in it, to a screen reader on the box (the tags before it are not heard there)
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="填报单位")
    chosen = f"已选：{COUNTIES[0]}、{COUNTIES[1]}"
    page.wait_for_function(
        "([el, said]) => el.getAttribute('aria-description') === said", arg=[box.element_handle(), chosen]
    )

    page.goto(f"{base}/orgs?unit={quote(COUNTIES[0])}&unit={quote(COUNTIES[1])}&criterion=1")
    page.get_by_role("heading", name="组织明细").first.wait_for()
    expected = drill.filter_orgs(pic.weak_orgs, Filters(units=COUNTIES, criteria=(1,)))
    page.get_by_text(f"共 {len(expected)} 个软弱涣散基层党组织").wait_for()
    shot(page, "6-orgs-criterion")
    # a search typed and applied by keyboard: its count line is said to a screen reader (a live region of ours)
    word = expected["name"].iloc[0][-4:]
    found = drill.filter_orgs(pic.weak_orgs, Filters(units=COUNTIES, criteria=(1,), search=word))
    page.get_by_label("按名称或主要问题搜索").focus()
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.getElementById('weakorg-said')?.textContent.startsWith(`共 ${n} 个`)", arg=len(found)
    )

    page.goto(f"{base}/villages?unit={quote(COUNTIES[0])}")
    page.get_by_role("heading", name="换届难点村").first.wait_for()
    total, elected = views.village_counts(app.picture(store, units=[COUNTIES[0]]).villages)
    assert [v for _, v in metrics(page)] == [f"{total:,}", f"{elected:,}", f"{total - elected:,}"]
    shot(page, "7-villages")


def test_many_returns_uploaded_at_once_are_read_checked_and_saved(server, page, tmp_path):
    base, store = server
    paths = write_samples(tmp_path / "returns", seed=7)[:MANY]  # another draw: none of them stored yet
    files = [{"name": p.name, "mimeType": "application/octet-stream", "buffer": p.read_bytes()} for p in paths]
    files.append({"name": "说明.xlsx", "mimeType": "application/octet-stream", "buffer": b"%PDF-1.4 a renamed pdf"})
    page.goto(f"{base}/upload")
    page.get_by_role("heading", name="上传与校验").first.wait_for()
    stored_before = len(store.submissions())  # the samples, loaded on the server's first run
    # checked as the page checks them: with the stored returns of their units
    expected = app.process_uploads([(f["name"], f["buffer"]) for f in files], store=store)
    assert_uploader_in_chinese(page)
    shot(page, "8-uploader")
    page.locator("input[type=file]").set_input_files(files)
    page.get_by_text(app.upload_summary(expected)).wait_for()  # the progress has ended: every file read and checked
    assert page.get_by_test_id("stProgress").count() == 0
    assert fork_servers(SERVER_PIDS[base])  # the upload page started the reader's pool: the batch read on every core
    assert page.get_by_test_id("stExpander").count() == 0  # one table, not an expander per file
    assert grid_cells(page)[0] == paths[0].name
    page.get_by_text(app.PROBLEM_FILES_LABEL.format(n=len(app.problem_uploads(expected)))).wait_for()
    shot(page, "9-upload-many")
    with page.expect_download() as sent:  # every problem file's list and annotated copy, made on the click
        page.get_by_role("button", name=app.SENDBACK_ALL).click()
    with zipfile.ZipFile(sent.value.path()) as z:
        problems = app.problem_uploads(expected)
        assert sorted(z.namelist()) == sorted(
            f"{r.unit_text}/{name}" for r in problems for _, _, name in app.sendback(r)
        )

    if any(r.ok and r.errors for r in expected):  # files with errors are saved only when that is chosen
        page.get_by_text("仍然保存有错误的文件").click()
    page.get_by_role("button", name="保存到数据库").click()
    page.get_by_text(f"保存完成：新保存 {MANY} 个文件，此前已保存 0 个，已拒收未保存 1 个。").wait_for()
    assert page.get_by_test_id("stProgress").count() == 0
    assert len(store.submissions()) == stored_before + MANY
    shot(page, "10-upload-saved")

    # A file over the reader's limit is refused by the browser before it is sent, in Chinese.
    too_big = {"name": "过大.xlsx", "mimeType": "application/zip", "buffer": b"\0" * (ReadLimits().max_bytes + 1)}
    page.locator("input[type=file]").set_input_files([too_big])
    page.get_by_test_id("stFileChip").filter(has_text="过大.xlsx").hover()
    tip = page.get_by_test_id("stTooltipErrorContent")
    tip.wait_for()
    assert tip.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Streamlit's "File must be 20.0MB or smaller."
    assert "文件超过" in tip.evaluate("e => getComputedStyle(e, '::after').content")
    assert len(store.submissions()) == stored_before + MANY


# --- a crafted return and a crafted link: shown as text, nothing fetched ---------------------------


class _Canary(http.server.BaseHTTPRequestHandler):
    """A tiny local server a crafted name points at: it records every request it gets."""

    seen: ClassVar[list[str]] = []

    def do_GET(self):
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def canary():
    """(the base URL of a local server that records requests, the paths it was asked for)."""
    seen: list[str] = []
    handler = type("Canary", (_Canary,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def addresses(page) -> list[str]:
    """Every absolute address the page's elements name: src, href (HTML or SVG), srcset, poster, data, action."""
    return page.evaluate(
        """() => {
            const names = ["src", "srcset", "href", "xlink:href", "poster", "data", "action", "formaction"];
            const out = [];
            for (const el of document.querySelectorAll("*")) {
                for (const a of el.attributes) {
                    if (names.includes(a.name) && /^[a-z][a-z0-9+.-]*:/i.test(a.value)) out.push(a.value);
                }
            }
            return out;
        }"""
    )


def outside(urls: list[str], target: str) -> list[str]:
    """The addresses that name the canary or any host but this machine (data: and blob: are the page's own)."""
    mine = {"127.0.0.1", "localhost"}
    return [
        u
        for u in urls
        if target in u or (urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in mine)
    ]


def test_a_crafted_name_and_link_are_shown_as_text_and_nothing_is_fetched(fresh_server, page, canary):
    base, store = fresh_server
    target, fetched = canary
    data, row = crafted_return(target)
    unit_data, unit = crafted_unit_return(target)  # a unit the campaign does not know, named with HTML and Markdown
    results = app.process_uploads([("双峰县-附件2.xlsx", data), ("某县.xlsx", unit_data)], store=store)
    assert len(app.store_readable(store, results)) == 2  # stored before the app's first run: no samples
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # the card, opened by a link naming the organization
    page.goto(f"{base}/orgs?org_unit={quote('双峰县')}&org={quote(row['name'])}")
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.get_by_text("历次报送", exact=True).wait_for()
    page.get_by_test_id("stMetric").nth(4).wait_for()  # the card's facts, 书记 last
    page.wait_for_timeout(800)
    main = page.get_by_test_id("stMain")
    shown = unbroken(main.inner_text())
    for key in ("name", "secretary"):
        assert row[key] in shown, key
    for piece in (f"![电话]({target}/phone.png)", f"{target}/bare", f'<img src="{target}/problem.png">'):
        assert piece in shown, piece
    assert f"[详情]({target}/problem)" in shown
    page.get_by_role("button", name="双峰县 ›").wait_for()  # buttons are drawn by a script loaded on demand
    trail = unbroken(main.get_by_test_id("stHorizontalBlock").first.inner_text())
    assert [line for line in trail.splitlines() if line.strip()] == ["全市 ›", "双峰县 ›", row["name"]]
    shot(page, "11-crafted-card")
    assert outside(addresses(page), target) == []

    # a link naming an organization nobody reported: its name said back as text
    ghost = f"[点我]({target}/ghost)<img src={target}/ghost.png>"
    page.goto(f"{base}/orgs?org_unit={quote('双峰县')}&org={quote(ghost)}")
    page.get_by_text("的报送记录").wait_for()
    assert f"没有找到“{ghost}”（双峰县）的报送记录" in unbroken(main.inner_text())
    assert outside(addresses(page), target) == []

    # a link naming that unit: its name in the trail and the caption, as text
    page.goto(f"{base}/units?unit={quote(unit)}")
    page.get_by_role("heading", name="县市区").first.wait_for()
    main.get_by_test_id("stCaptionContainer").first.wait_for()  # (the sidebar holds the demo's own caption)
    assert unbroken(main.get_by_test_id("stCaptionContainer").first.inner_text()) == unit
    page.get_by_role("button", name="全市 ›").wait_for()
    trail = unbroken(main.get_by_test_id("stHorizontalBlock").first.inner_text())
    assert [line for line in trail.splitlines() if line.strip()] == ["全市 ›", unit]
    assert outside(addresses(page), target) == []

    for path in ("", f"/units?unit={quote('双峰县')}", "/upload", "/status"):
        page.goto(base + path)
        page.get_by_test_id("stMain").get_by_role("heading").first.wait_for()
        if path == "":  # the board: our own SVG, drawn without asking anyone for anything
            page.locator(".weakorg-board svg.chart .bars rect").first.wait_for()
        if path == "/status":
            page.locator(CHART).locator("canvas").first.wait_for()  # ECharts, the same
        page.wait_for_timeout(1500)  # charts and tables drawn
        assert outside(addresses(page), target) == []
    assert fetched == []
    assert requests and outside(requests, target) == []


# --- sign-in: survives a reload and a new tab; sign-out really ends it -----------------------------------

SIGNIN_PASSWORD = "a long password"


@pytest.fixture
def signin_server(tmp_path_factory, database_url):
    """A server whose store has an account before the first request: sign-in is required (SQLite, PostgreSQL)."""
    for base, store in _serve(tmp_path_factory.mktemp("browser-signin"), database_url):
        accounts.create(store, "zhang", SIGNIN_PASSWORD, "分析员", display_name="张三")
        sample = app.SAMPLE_DIR / UPLOAD
        app.store_readable(store, app.process_uploads([(sample.name, sample.read_bytes())], store=store))
        yield base, store


def _session_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == _signin.COOKIE), None)


def test_sign_in_survives_a_reload_and_sign_out_ends_it(signin_server, page):
    base, store = signin_server
    page.goto(f"{base}/units")
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    assert page.locator(HEADLINE).count() == 0 and page.get_by_test_id("stDataFrame").count() == 0
    page.get_by_label(_signin.USER_LABEL).fill("zhang")
    page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill(SIGNIN_PASSWORD)
    page.get_by_role("button", name=_signin.SUBMIT_LABEL).click()
    page.get_by_role("heading", name="县市区").first.wait_for()  # the page the link named
    page.wait_for_function(f"() => document.cookie.includes('{_signin.COOKIE}=')")
    token = _session_cookie(page.context)
    assert token and sessions.resume(store, token).username == "zhang"
    shot(page, "12-signed-in")

    page.goto(base)
    page.get_by_role("heading", name="全市总览").first.wait_for()
    show_more(page, overview.TABLES)
    page.get_by_role("button", name="下载 CSV").first.wait_for()
    with page.expect_download() as download:  # a download still downloads, and is audited
        page.get_by_role("button", name="下载 CSV").first.click()
    name = download.value.suggested_filename
    assert name.endswith(".csv")
    for _ in range(300):  # the click's rerun records it
        if not audit.query(store, action=audit.DOWNLOAD).empty:
            break
        page.wait_for_timeout(200)
    assert audit.query(store, action=audit.DOWNLOAD)["file"].tolist() == [name]
    page.goto(f"{base}/units")

    page.reload()
    page.get_by_role("heading", name="县市区").first.wait_for()  # still signed in
    other = page.context.new_page()  # a new tab, a bookmarked link
    other.goto(f"{base}/status")
    other.get_by_role("heading", name="报送情况", exact=True).first.wait_for()  # not its 各填报单位报送情况
    other.close()

    page.get_by_role("button", name=_signin.SIGN_OUT_LABEL).click()
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    page.wait_for_function(f"() => !document.cookie.includes('{_signin.COOKIE}=')")
    page.reload()
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()  # the form again
    assert page.locator(HEADLINE).count() == 0

    # the old cookie, replayed, is refused
    page.context.add_cookies([{"name": _signin.COOKIE, "value": token, "url": base}])
    page.goto(f"{base}/units")
    page.get_by_text(sessions.SESSION_ENDED).wait_for()
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    assert page.get_by_role("heading", name="县市区").count() == 0
    shot(page, "13-signed-out")


# --- scope: a supervisor's edited link to a third county shows nothing of it -----------------------------

SCOPE_THIRD = "娄星区"


@pytest.fixture
def scope_server(tmp_path_factory, database_url):
    """A server whose store holds three counties' samples and a supervisor of two of them (sign-in required)."""
    for base, store in _serve(tmp_path_factory.mktemp("browser-scope"), database_url):
        accounts.create(store, "dudao", SIGNIN_PASSWORD, "督导组", units=",".join(COUNTIES))
        paths = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith((*COUNTIES, SCOPE_THIRD))]
        app.store_readable(store, app.process_uploads([(p.name, p.read_bytes()) for p in paths], store=store))
        yield base, store


def test_a_supervisor_who_edits_the_link_to_a_third_county_sees_nothing_of_it(scope_server, page):
    from weakorg import scoped

    base, store = scope_server
    third = app.picture(store, units=[SCOPE_THIRD])
    forbidden = [SCOPE_THIRD, *third.weak_orgs["name"], *third.villages["name"]]
    note = scoped.OUTSIDE_SCOPE.format(what=scoped.OUTSIDE_UNITS)

    sign_in_as(page, f"{base}/units?unit={quote(SCOPE_THIRD)}", "dudao")
    page.get_by_role("heading", name="县市区").first.wait_for()
    page.get_by_text(note).wait_for()
    text = unbroken(page.locator("body").inner_text())
    assert not [name for name in forbidden if name in text]
    shot(page, "14-scope-units")

    page.goto(f"{base}/?unit={quote(SCOPE_THIRD)}")  # the overview, signed in by the cookie
    page.get_by_role("heading", name="全市总览").first.wait_for()
    page.get_by_text(note).wait_for()
    expected = [(m.label, m.value) for m in counts.headline(app.picture(store, units=list(COUNTIES)))]
    assert metrics(page) == expected
    show_more(page, overview.TABLES)
    cells = grid_cells(page)  # the summary by unit: drawn on a canvas, its cells read from the grid's own
    assert set(COUNTIES) <= set(cells) and SCOPE_THIRD not in cells
    text = unbroken(page.locator("body").inner_text())
    assert not [name for name in forbidden if name in text]
    page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()  # the unit filter's options
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert set(COUNTIES) <= set(options) and not (set(app.unit_options(store)) - set(COUNTIES)) & set(options)
    shot(page, "15-scope-overview")


def test_a_supervisor_who_opens_the_upload_address_is_told_the_page_is_not_theirs(scope_server, page):
    base, _ = scope_server
    page.goto(f"{base}/upload")  # a link an analyst sent: the page is not a 督导组's
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    page.get_by_label(_signin.USER_LABEL).fill("dudao")
    page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill(SIGNIN_PASSWORD)
    page.get_by_role("button", name=_signin.SUBMIT_LABEL).click()
    page.get_by_role("heading", name="全市总览").first.wait_for()
    said = _signin.NOT_YOURS.format(page="上传与校验", role="督导组", home="全市总览")
    page.get_by_text(said).wait_for()
    assert page.get_by_role("link", name="上传与校验").count() == 0
    page.get_by_role("link", name="县市区").click()
    page.get_by_role("heading", name="县市区").first.wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_text(said).count() == 0  # said once, not on every page after


@pytest.mark.parametrize("ended_by", ["tab-b", "set-units"])
def test_a_supervisors_download_refused_at_the_click_says_why_under_its_button(scope_server, small_tab, ended_by):
    """Tab A shows /units; then another tab presses 退出登录, or an admin's ``user set-units`` takes a unit away. A
    click on 下载 CSV in tab A makes no file and says why under the button, in Chinese (pages/_deferred.py).
    Streamlit's DownloadButton shows the words for 5 seconds, then clears them; the page keeps them in a note at the
    foot of the window until it is clicked (pages/_chrome.py)."""
    from weakorg.downloads import NOT_MADE

    base, store = scope_server
    page = small_tab
    sign_in_as(page, f"{base}/units", "dudao")
    page.get_by_role("heading", name="县市区").first.wait_for()
    page.wait_for_function(f"() => document.cookie.includes('{_signin.COOKIE}=')")
    button = page.get_by_role("button", name="下载 CSV").first
    button.wait_for()
    before = len(audit.query(store, action=audit.DOWNLOAD))
    if ended_by == "tab-b":  # the same browser's other tab signs out
        other = page.context.new_page()
        other.goto(f"{base}/units")
        other.get_by_role("heading", name="县市区").first.wait_for()
        other.get_by_role("button", name=_signin.SIGN_OUT_LABEL).click()
        other.get_by_role("heading", name=_signin.TITLE).first.wait_for()
        page.bring_to_front()
        why = sessions.SESSION_ENDED
    else:  # `python -m weakorg user set-units dudao 新化县`: still signed in, no longer given 双峰县
        accounts.set_units(store, "dudao", COUNTIES[1], by="admin")
        why = accounts.NOT_YOUR_UNITS.format(units=COUNTIES[0])
    made = []
    page.on("download", lambda d: made.append(d))
    button.click()
    said = page.get_by_test_id("stDownloadButtonError").filter(has_text=NOT_MADE.format(why=why))
    said.wait_for(timeout=4_000)  # under the button (it is gone 5 seconds after the answer)
    shot(page, f"16-download-refused-{ended_by}")
    page.wait_for_timeout(6_000)  # Streamlit has cleared its line by now
    note = page.locator("#weakorg-refused")
    assert said.count() == 0 and note.is_visible() and note.inner_text().startswith(NOT_MADE.format(why=why))
    shot(page, f"16-download-refused-{ended_by}-kept")
    note.click()
    assert note.count() == 0  # closed when read
    assert not made and len(audit.query(store, action=audit.DOWNLOAD)) == before


# --- the record corrected in the browser, by role; the lock (slice Q) ----------------------------------


@pytest.fixture
def records_server(tmp_path_factory, database_url):
    """A store with accounts (an admin, an analyst) and two rounds of one unit's return, before the first request."""
    from datetime import date

    from tests.test_store import f1_table, file_result

    for base, store in _serve(tmp_path_factory.mktemp("browser-records"), database_url):
        accounts.create(store, "admin", SIGNIN_PASSWORD, "管理员")
        accounts.create(store, "zhang", SIGNIN_PASSWORD, "分析员", display_name="张三")
        store.add(file_result("娄星区-第1次.xlsx"))  # 6 weak organizations of 120 in 农村
        previous = [(m.label, m.value) for m in counts.headline(app.picture(store))]
        later = date(2014, 4, 15)
        second = [f1_table(weak=9.0, day=later), f1_table("娄星区", "学校", 40.0, 2.0, day=later)]
        store.add(file_result("娄星区-第2次.xlsx", tables=second))  # 9 now
        yield base, store, previous


def sign_in_as(page, address: str, username: str, password: str = SIGNIN_PASSWORD) -> None:
    """Open ``address`` (a page, a link with filters) and sign in on the form it shows."""
    page.goto(address)
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    page.get_by_label(_signin.USER_LABEL).fill(username)
    page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill(password)
    page.get_by_role("button", name=_signin.SUBMIT_LABEL).click()


def test_the_sign_in_forms_hint_is_chinese_for_a_screen_reader_too(records_server, page):
    base, _, _ = records_server
    page.goto(base)
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    page.get_by_label(_signin.USER_LABEL).fill("adm")
    hint = page.get_by_test_id("InputInstructions").first
    hint.wait_for()
    page.wait_for_function(
        "el => !/[A-Za-z]/.test(el.textContent)", arg=hint.element_handle(), timeout=10_000
    )  # Streamlit writes "Press Enter to submit form"; the page's script rewrites it as it is drawn
    assert _chrome.HINT_TEXTS["Press Enter to submit form"] in hint.text_content()


def open_upload_page(page, base: str) -> None:
    page.get_by_role("link", name="上传与校验").click()
    page.get_by_role("heading", name="上传与校验").first.wait_for()
    page.get_by_role("heading", name="已保存的报送").first.wait_for()


def choose(page, label: str, starting: str) -> None:
    """Open the selectbox labelled ``label`` (exactly) and choose its option that starts with ``starting``; a rerun
    that redraws the page closes an open list, so the list is opened again until the choice is made (three tries)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    picker = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    option = page.get_by_role("option").filter(has_text=re.compile(f"^{re.escape(starting)}"))
    for attempt in range(3):
        page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached")
        picker.evaluate("e => e.scrollIntoView({block: 'start'})")  # the list opens below it, inside the window
        picker.get_by_role("combobox").click()
        try:
            option.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if option.count():  # the list opened past the window's edge: its option pressed as a keyboard user does
                option.first.focus()
                page.keyboard.press("Enter")
                break
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    page.get_by_role("option").first.wait_for(state="detached")  # the list closed on the choice
    page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached")


def test_an_admin_withdraws_and_the_overview_returns_to_the_previous_return(records_server, page):
    base, store, previous = records_server
    sign_in_as(page, base, "admin")
    page.get_by_role("heading", name="全市总览").first.wait_for()
    assert metrics(page) == [(m.label, m.value) for m in counts.headline(app.picture(store))] != previous
    open_upload_page(page, base)
    assert page.get_by_test_id("stFileUploader").count() == 0  # an admin withdraws; uploading is the analyst's
    newest = int(store.submissions()["id"].max())
    choose(page, "报送", f"#{newest} ")  # nothing is picked at first
    page.get_by_label("撤回原因（必填）").fill("第2次报送上传错了")
    page.get_by_label("撤回原因（必填）").press("Tab")
    assert page.get_by_role("button", name="撤回", exact=True).is_disabled()  # not before it is ticked
    page.get_by_test_id("stCheckbox").filter(has_text=f"确认撤回#{newest} ").click()  # the tick names it
    page.get_by_role("button", name="撤回", exact=True).click()
    page.get_by_text(f"已撤回 #{newest}").wait_for()
    assert store.is_withdrawn(newest)
    shot(page, "q1-withdrawn")
    page.get_by_role("link", name="全市总览").click()
    page.get_by_role("heading", name="全市总览").first.wait_for()
    page.wait_for_timeout(500)
    assert metrics(page) == previous  # exactly the picture before the second round
    assert audit.query(store, action=audit.WITHDRAW)["account"].tolist() == ["admin"]


def test_an_analyst_confirms_a_held_return_and_assigns_a_file_to_another_unit(records_server, page):
    from datetime import date

    from tests.test_store import f1_table, f2_table, f3_table, file_result

    base, store, _ = records_server
    future = date(2099, 1, 1)
    tables = [f1_table("新化县", day=future), f2_table("新化县", day=future)]
    held = store.add(file_result("2099.xlsx", unit="新化县", tables=tables))
    wrong = store.add(file_result("错报.xlsx", tables=[f3_table("娄星区")]))
    sign_in_as(page, base, "zhang")
    page.get_by_role("heading", name="全市总览").first.wait_for()
    open_upload_page(page, base)
    assert page.get_by_role("button", name="撤回", exact=True).count() == 0  # withdrawing is the admin's

    choose(page, "待确认的报送", f"#{held} ")
    page.get_by_role("button", name="确认填表时间无误").click()
    page.get_by_text(f"已确认 #{held} 的填表时间").wait_for()
    assert held not in store.submissions().query("awaiting")["id"].tolist()
    assert len(store.returns().f2.query("unit == '新化县'")) == 2

    page.reload()  # a fresh run, finished, before the picker is opened (a rerun redraws it and closes it)
    page.get_by_role("heading", name="改归填报单位").first.wait_for()
    choose(page, "报送", f"#{wrong} ")
    choose(page, "改归为", "双峰县")
    page.get_by_role("button", name="改归", exact=True).click()
    page.get_by_text(f"已将 #{wrong} 改归双峰县").wait_for()
    shot(page, "q2-confirmed-assigned")
    assert set(store.returns().f3.query("unit == '双峰县'")["name"]) == {"甲村党支部", "丙村党支部"}
    assert audit.query(store, action=audit.CONFIRM)["account"].tolist() == ["zhang"]  # the date
    assert audit.query(store, action=audit.REASSIGN)["detail"].tolist() == [f"#{wrong} 改归双峰县"]  # its own action


def test_five_wrong_passwords_lock_the_account(records_server, page):
    base, store, _ = records_server
    page.goto(base)
    for i in range(sessions.MAX_FAILED_SIGN_INS):
        page.get_by_label(_signin.USER_LABEL).fill("zhang")
        page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill(f"wrong password {i}")
        page.get_by_role("button", name=_signin.SUBMIT_LABEL).click()
        page.get_by_text(sessions.SIGN_IN_REFUSED).wait_for()
        for _ in range(100):  # the rerun's write lands
            if len(audit.query(store, action=audit.SIGN_IN_FAILED)) == i + 1:
                break
            page.wait_for_timeout(100)
    page.get_by_label(_signin.USER_LABEL).fill("zhang")
    page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill(SIGNIN_PASSWORD)
    page.get_by_role("button", name=_signin.SUBMIT_LABEL).click()
    for _ in range(100):  # the sixth try's rerun lands (the refusal shown is the same as before)
        if len(audit.query(store, action=audit.SIGN_IN_FAILED)) > sessions.MAX_FAILED_SIGN_INS:
            break
        page.wait_for_timeout(100)
    page.get_by_text(sessions.SIGN_IN_REFUSED).wait_for()
    assert page.get_by_role("heading", name="全市总览").count() == 0  # the right password, while locked
    details = audit.query(store, action=audit.SIGN_IN_FAILED)["detail"].tolist()
    assert len(details) == sessions.MAX_FAILED_SIGN_INS + 1 and details[-1] == sessions.LOCKED
    # where they came from: this machine (Streamlit names no peer for a local connection, as behind a local proxy)
    assert set(audit.query(store, action=audit.SIGN_IN_FAILED)["origin"]) == {audit.LOCAL_ORIGIN}
    shot(page, "q3-locked")


# --- the 研判 page: an analyst corrects a reading and the figures follow (slice T) ------------------------------


@pytest.fixture
def review_server(tmp_path_factory):
    """A store with an analyst and one unit's register holding a text that names problems but reads nothing."""
    from tests.test_store_corrections import LAZY, SICK, a_return

    for base, store in _serve(tmp_path_factory.mktemp("browser-review")):
        accounts.create(store, "fenxi", SIGNIN_PASSWORD, "分析员")
        store.add(a_return({"甲村党支部": SICK, "乙村党支部": "村集体经济薄弱，党员发展难", "丙村党支部": LAZY}))
        yield base, store


def test_an_analyst_corrects_a_reading_on_the_review_page_and_the_counts_change(review_server, page):
    from weakorg import review
    from weakorg.criteria import PENDING

    base, store = review_server
    page.goto(base)
    page.get_by_label(_signin.USER_LABEL).fill("fenxi")
    page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill(SIGNIN_PASSWORD)
    page.get_by_role("button", name=_signin.SUBMIT_LABEL).click()
    page.get_by_role("heading", name="全市总览").first.wait_for()
    page.goto(f"{base}/orgs?criterion=5")
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.get_by_text("共 0 个软弱涣散基层党组织").wait_for()

    page.get_by_role("link", name=review.TITLE).click()
    page.get_by_role("heading", name=review.TITLE).first.wait_for()
    assert dict(metrics(page))[PENDING] == "1" and dict(metrics(page))[review.CORRECTED] == "0"
    page.get_by_test_id("stMarkdown").filter(has_text="主要问题：村集体经济薄弱").wait_for()  # the most doubtful first
    page.get_by_test_id("stCheckbox").filter(has_text="（5）").click()
    page.get_by_label("更正说明（必填）").fill("三会一课常年不开，应计标准5")
    page.get_by_label("更正说明（必填）").press("Tab")
    page.get_by_role("button", name="保存更正").click()
    page.get_by_test_id("stAlertContentSuccess").filter(
        has_text=review.saved_note("乙村党支部", ([], []), ([5], []))
    ).wait_for()
    page.get_by_test_id("stToastText").filter(has_text=review.SAVED_TOAST).wait_for()  # wherever it scrolled; whole
    page.get_by_test_id("stMarkdown").filter(has_text="主要问题：村集体经济薄弱").wait_for()  # the same one in the form
    page.wait_for_timeout(500)
    assert dict(metrics(page))[PENDING] == "0" and dict(metrics(page))[review.CORRECTED] == "1"
    shot(page, "t1-review-corrected")
    assert store.standing_corrections()[["name", "by"]].values.tolist() == [["乙村党支部", "fenxi"]]

    page.goto(f"{base}/orgs?criterion=5")  # signed in by the cookie
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.get_by_text("共 1 个软弱涣散基层党组织").wait_for()
    assert audit.query(store, action=audit.CORRECT)["account"].tolist() == ["fenxi"]

    # A row ticked in the list is the organization the form corrects.
    page.get_by_role("link", name=review.TITLE).click()
    page.get_by_role("heading", name=review.TITLE).first.wait_for()
    page.get_by_test_id("stMarkdown").filter(has_text="主要问题：").first.wait_for()
    listed = review.items(app.picture(store).weak_orgs, store.standing_corrections())
    grid = page.get_by_test_id("stDataFrame").nth(1)  # the list (the counts by criterion come first)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18 + 35 * 2)  # the third row's selection box
    third = listed.iloc[2]
    page.get_by_test_id("stMarkdown").filter(has_text=f"主要问题：{third['problems'][:12]}").wait_for()
    picker = page.get_by_test_id("stSelectbox").first.evaluate(
        "e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')"
    )
    assert third["name"] in picker, picker
    shot(page, "t2-review-row-picked")

    # The corrected one withdrawn: its reading counts again, everywhere.
    assert third["name"] == "乙村党支部"  # 已更正 comes last
    page.get_by_label("更正说明（必填）").fill("")  # a withdrawal needs its reason too
    page.get_by_label("更正说明（必填）").press("Tab")
    page.get_by_role("button", name=review.WITHDRAW_LABEL).click()
    page.get_by_test_id("stAlert").filter(has_text="撤销更正须填写说明").wait_for()
    assert len(store.standing_corrections()) == 1
    page.get_by_label("更正说明（必填）").fill("经与填报单位核实，原判读无误")
    page.get_by_label("更正说明（必填）").press("Tab")
    page.get_by_role("button", name=review.WITHDRAW_LABEL).click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text=review.withdrawn_note("乙村党支部")).wait_for()
    assert store.standing_corrections().empty
    page.goto(f"{base}/orgs?criterion=5")
    page.get_by_role("heading", name="组织明细").first.wait_for()
    page.get_by_text("共 0 个软弱涣散基层党组织").wait_for()
