"""Chinese wherever a user looks: every page, as each of the three users a demo lets one try, in Chromium at 1024×768.

The browser test opens each page the role may open, opens every multiselect's and selectbox's list, hovers
the first chart's toolbar button by button and downloads its PNG, and gathers what a user can see or hear:
visible text and text a style hides with ``font-size: 0`` (a screen reader still reads it), ``::before`` and
``::after`` content (but not one whose alternative text is empty: ``content: "…" / ""``), and the title,
aria-label, placeholder and alt of every element drawn (Streamlit's own screen-reader labels included:
dashboard.py rewrites them in Chinese). No run of three or more Latin letters
may remain but the few words listed below. An AppTest check beside it:
every table of every page shows a missing value as a blank, not "None".
"""

from __future__ import annotations

import contextlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from pages import _signin
from tests.test_browser import (  # noqa: F401  (fixtures: Chromium, the demo app)
    ARTIFACTS,
    SCROLL_TO_POINT,
    WAIT_MS,
    browser,
    fresh_server,
    server,
    show_more,
    signin_server,
    small_tab,
)
from tests.test_pages import DASHBOARD, TIMEOUT, db_url, navigation_app, run  # noqa: F401  (fixtures)
from weakorg import overview
from weakorg.vocab import ADMIN, ANALYST, LEADER, ROLE_PERMISSIONS, ROLES, SUPERVISOR

USERS = (ANALYST, SUPERVISOR, LEADER, ADMIN)  # 分析员, 督导组, 领导: the people the app is for; 管理员: its keeper
UPLOAD_PAGE = "上传与校验"  # the sidebar's page that only some roles have
LATIN = re.compile(r"[A-Za-z]{3,}")
# Words users know as they are: the file formats the app offers or reads.
ALLOWED = frozenset({"Excel", "CSV", "PNG", "PDF", "Word", "WPS", "xlsx", "xlsm", "xls", "csv", "ods", "docx"})
ALLOWED |= {"XLSX", "XLSM", "XLS", "ODS"}  # as the uploader lists the formats it takes
ALLOWED |= {"Shift", "Tab"}  # keys as the keyboard prints them (Shift+空格, Tab键)
FILE_NAME = re.compile(r"[^\s“”\"'《》（）()，。：；、]+\.(?:xlsx|xlsm|xls|csv|ods|et|docx|pdf|zip|png)\b", re.I)
URL = re.compile(r"https?://\S+")
COMMAND = re.search(r"`([^`]+)`", _signin.DEMO_BANNER).group(1)  # the demo banner's command, typed as it stands
GATHER = """() => {
  const out = [document.title];
  const drawn = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    }
    return true;
  };
  const seen = el => {
    if (!drawn(el)) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && parseFloat(getComputedStyle(el).fontSize) > 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement, t = n.data.trim();
    if (!t || !el || el.closest('script, style, noscript')) continue;
    if (el.closest('[data-testid=stIconMaterial]')) {  // an icon's English name: heard unless hidden from readers
      if (!el.closest('[aria-hidden=true]')) out.push(t);
      continue;
    }
    // heard if not seen: the skip link, a live region (a list's "13 options available."), words a style hides
    // (font-size: 0) to draw others over them (the uploader's): a screen reader reads them as written
    const hidden = drawn(el) && parseFloat(getComputedStyle(el).fontSize) === 0 && !el.closest('[aria-hidden=true]');
    if (seen(el) || hidden || el.closest('[data-testid=stSkipToContent], [aria-live]')) out.push(t);
  }
  const names = ['title', 'aria-label', 'placeholder', 'alt', 'data-title'];
  for (const el of document.querySelectorAll(names.map(a => `[${a}]`).join(','))) {
    if (!drawn(el)) continue;
    for (const a of names) { const v = el.getAttribute(a); if (v) out.push(v); }
  }
  for (const el of document.querySelectorAll('body *')) {
    for (const p of ['::before', '::after']) {
      const c = getComputedStyle(el, p).content;
      if (c && c.startsWith('"') && c.length > 2 && drawn(el)) out.push(c.slice(1, -1));
    }
  }
  return out;
}"""


def english(texts: list[str]) -> set[str]:
    """The runs of Latin letters in ``texts`` that are not allowed (file names, addresses, the command aside)."""
    found = set()
    for text in texts:
        rest = URL.sub(" ", FILE_NAME.sub(" ", text.replace(COMMAND, " ")))
        found.update(f"{run!r} in {text[:80]!r}" for run in LATIN.findall(rest) if run not in ALLOWED)
    return found


def test_the_words_a_user_sees_are_checked():
    fine = ["下载 Excel", "下载 CSV", "娄星区-第3次-附件2-一览表-20140429.xlsx", COMMAND, "说明：已报送单位"]
    assert english([*fine, "https://example.org/a", "（时间为北京时间）"]) == set()
    assert english(["（时间为协调世界时 UTC）"]) != set()  # every time is said in Beijing time
    assert english(["PHONE_INVALID"]) != set() and english(["下载本图（Download plot as a PNG）"]) != set()
    assert len(english(["Select all", "Choose an option"])) == 4
    assert english(["Help for 已报送单位"]) != set()  # Streamlit's screen-reader label, rewritten by dashboard.py


def _try_as(page, role: str) -> None:
    """Click the demo's one-click 体验 of ``role`` until the sidebar says it is on (a click in a run may be lost)."""
    label = _signin.DEMO_AS.format(role=ROLES[role])
    for _ in range(10):
        page.get_by_role("button", name=label).click()
        try:
            page.get_by_text(f"正在以{ROLES[role]}体验").wait_for(timeout=10_000)
            return
        except Exception:  # the click landed while the first run was still drawing: once more
            continue
    pytest.fail(f"the demo did not switch to {ROLES[role]}")


def _pages_for(page, role: str) -> list[str]:
    """The sidebar's pages once ``role`` is in force: the switch's banner may show before its run redraws the
    sidebar, whose links are the last role's until then (a 领导 was given 上传与校验 to click)."""
    uploads = bool(ROLE_PERMISSIONS[role] & set(_signin.PAGE_PERMISSIONS["upload"]))
    links = page.get_by_test_id("stSidebarNavLink")
    upload = links.filter(has_text=UPLOAD_PAGE).first
    upload.wait_for(state="visible" if uploads else "detached")
    _idle(page)
    return [n.strip() for n in links.all_inner_texts()]


def _shows(locator, ms: int = 3_000) -> bool:
    try:
        locator.wait_for(timeout=ms)
    except Exception:
        return False
    return True


def _idle(page, ms: int = 30_000) -> None:
    """Wait until no script run is under way (a rerun redraws the widgets and closes an open list)."""
    with contextlib.suppress(Exception):  # still running: the tries below go on regardless
        page.wait_for_function(IDLE, timeout=ms)


NO_LIST = "() => !document.querySelector('[role=listbox]')"
STATE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
IDLE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


def _open_list(page, box) -> bool:
    """Open one multiselect's or selectbox's list; whether it shows.

    Opened from the keyboard: a click may be taken as focus only, or land while the last list is still closing and
    leave this one shut, where ArrowDown on a focused field opens its list and never closes an open one, so it is
    pressed again until the list shows (a loaded machine may take a key before the field is ready for it). A rerun may
    close a list: up to eight tries, each after the last list has gone and no script runs, the later ones after a
    click on the field should the keys never open it, the last ones after the field has let go of its focus (CI saw a
    field keep it and never open)."""
    listed = page.locator("[role=listbox]").locator("visible=true").first
    field = box.locator("input")
    for attempt in range(8):
        if attempt and listed.is_visible():
            return True
        if attempt >= 5:  # a field that keeps focus but never opens its list: let it go, then try afresh
            page.keyboard.press("Escape")
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            page.wait_for_timeout(1_000)
        _idle(page)
        with contextlib.suppress(Exception):  # a list still closing: the try goes on regardless
            page.wait_for_function(NO_LIST, timeout=10_000)
        field.scroll_into_view_if_needed()
        if attempt >= 2:  # the field, then the control around it (its arrow opens the list too)
            (field if attempt % 2 == 0 else box.locator("[data-baseweb=select]").first).click()
        field.focus()
        for _ in range(5):
            page.keyboard.press("ArrowDown")
            if _shows(listed, 2_000):
                break
        if listed.is_visible():
            return True
    return listed.is_visible()


def _away_and_back(page) -> None:
    """Go to another page of the sidebar and back, in the same session (a reload would start a new one): the page
    is drawn afresh."""
    page.keyboard.press("Escape")
    title = page.get_by_test_id("stMain").get_by_role("heading").first.inner_text()
    nav = page.get_by_test_id("stSidebar")
    nav.get_by_test_id("stSidebarNavLink").filter(has_not_text=title).first.click()
    page.wait_for_function(HEADING_IS_NOT, arg=title, timeout=60_000)
    nav.get_by_role("link", name=title, exact=True).click()
    page.get_by_test_id("stMain").get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    _idle(page)


HEADING_IS_NOT = """title => {
  const h = document.querySelector('[data-testid=stMain] h1');
  return !!h && h.innerText.trim() !== title;
}"""


def _open_lists(page) -> list[str]:
    """Open each multiselect's and selectbox's list in turn (sidebar and page); what shows while each is open. A list
    that stays shut through every try is tried again once on the page drawn afresh, after going to another page and
    back in the same session (CI saw a field take focus and its list never mount, on pages and widgets that open
    every other time): only a list that stays shut twice fails."""
    texts = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for widget in ("stMultiSelect", "stSelectbox"):
        for i in range(page.get_by_test_id(widget).count()):
            box = page.get_by_test_id(widget).nth(i)
            if not box.is_visible():
                continue
            if not _open_list(page, box):
                page.screenshot(path=str(ARTIFACTS / "lang-list-not-opened.png"))
                _away_and_back(page)
                box = page.get_by_test_id(widget).nth(i)
                if not _open_list(page, box):
                    state = page.evaluate(STATE)
                    pytest.fail(f"{widget} {i} ({box.inner_text()}) did not open at {page.url} (script {state})")
            texts += page.evaluate(GATHER)
            page.keyboard.press("Escape")
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    box.locator("input").click()
    page.keyboard.type("无此单位")  # no option has it: the list says so
    page.locator("[role=listbox][data-empty=true]").first.wait_for(timeout=5_000)
    texts += page.evaluate(GATHER)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.press("Escape")
    if _shows(page.locator("[role=listbox]").first, 500):  # the first Escape may only leave the typing
        page.keyboard.press("Escape")
    page.locator("[role=listbox]").first.wait_for(state="hidden")
    return texts


def _typing(page) -> list[str]:
    """Type into the page's first text box and text area (not applied): the hint under each while it is typed in."""
    texts = []
    for widget in ("stTextInput", "stTextArea"):
        box = page.get_by_test_id("stMain").get_by_test_id(widget).first
        if not box.count() or not box.is_visible() or box.locator("input, textarea").first.is_disabled():
            continue
        field = box.locator("input, textarea").first
        field.click()
        page.keyboard.type("一")
        if _shows(box.get_by_test_id("InputInstructions"), 2_000):  # a narrow box shows no hint at all
            texts += page.evaluate(GATHER)
        page.keyboard.press("Backspace")  # back to what it held: leaving it applies nothing new
        field.blur()
    return texts


def _chart_toolbar(page) -> list[str]:
    """Hover the first chart's one button (its PNG, drawn by ECharts at the top right), then download the PNG:
    what shows on the way, in the page's text."""
    canvas = page.locator('[data-testid="stEChartsChart"] canvas').first
    canvas.wait_for()
    canvas.scroll_into_view_if_needed()
    canvas.evaluate(SCROLL_TO_POINT, 27)  # the button on screen: a board of charts is taller than the screen
    page.wait_for_timeout(300)
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] - 32, box["y"] + 27  # the button's centre (Streamlit's theme places it)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    texts = page.evaluate(GATHER)
    with page.expect_download() as download:
        page.mouse.click(x, y)
    name = download.value.suggested_filename
    assert name.endswith(".png") and re.search(r"[\u4e00-\u9fff]", name), name  # named in Chinese
    texts += page.evaluate(GATHER)
    return texts


def _board_save(page) -> list[str]:
    """Hover 全市总览's board's PNG button (pages/_board.js), then save the PNG: what shows on the way."""
    button = page.locator(".weakorg-board button.save")
    button.hover()
    page.wait_for_timeout(300)
    texts = page.evaluate(GATHER)
    with page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    assert name.endswith(".png") and re.search(r"[\u4e00-\u9fff]", name), name  # named in Chinese
    return texts + page.evaluate(GATHER)


@pytest.mark.browser
@pytest.mark.parametrize("role", USERS)
def test_every_page_speaks_chinese_to_each_user(server, small_tab, role):  # noqa: F811
    base, _ = server
    page = small_tab
    page.goto(base)
    page.get_by_test_id("stMain").get_by_role("heading").first.wait_for()
    page.wait_for_timeout(2000)
    _try_as(page, role)
    names = _pages_for(page, role)
    links = page.get_by_test_id("stSidebarNavLink")
    assert len(names) >= 5
    heard: dict[str, set[str]] = {}
    for name in names:
        links.filter(has_text=name).first.click()
        page.get_by_test_id("stMain").get_by_role("heading", name=name).first.wait_for()
        page.wait_for_timeout(2500)  # tables, charts and the page's style drawn
        texts = page.evaluate(GATHER)
        texts += _open_lists(page)
        texts += _typing(page)
        if page.locator('[data-testid="stEChartsChart"]').count():
            texts += _chart_toolbar(page)
        if page.locator(".weakorg-board").count():
            texts += _board_save(page)
        if name == "全市总览":  # what it draws when asked for: the progress, the heatmaps, the tables
            for option in overview.MORE_OPTIONS:
                show_more(page, option)
                page.wait_for_timeout(2500)
                texts += page.evaluate(GATHER)
        found = english(texts)
        if found:
            heard[name] = found
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"lang-{role}-{name}.png"))
    assert heard == {}


@pytest.mark.browser
def test_the_sign_in_form_speaks_chinese_its_password_button_too(signin_server, small_tab):  # noqa: F811
    base, _ = signin_server
    page = small_tab
    page.goto(base)
    page.get_by_role("heading", name=_signin.TITLE).first.wait_for()
    page.get_by_label(_signin.PASSWORD_LABEL, exact=True).fill("x")  # its eye button drawn
    page.wait_for_timeout(1500)
    texts = page.evaluate(GATHER)
    assert "显示密码" in texts  # the eye button's label, as a screen reader says it
    assert page.evaluate("document.documentElement.lang") == "zh-CN"  # read with a Chinese voice
    assert english(texts) == set()


# --- tables: a missing value is a blank ------------------------------------------------------------------

PAGES = (
    "pages/overview.py",
    "pages/units.py",
    "pages/orgs.py",
    "pages/villages.py",
    "pages/status.py",
    "pages/documents.py",
    "pages/upload.py",
    "pages/review.py",
)


@pytest.mark.parametrize("path", PAGES)
def test_every_table_shows_a_missing_value_as_a_blank(db_url, path):  # noqa: F811
    at = run(AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT))  # a demo: the sample returns load
    at.switch_page(path)
    run(at)
    for table in at.dataframe:
        if table.value.isna().any().any():  # Streamlit would draw "None" unless told otherwise
            assert table.proto.placeholder == "", f"{path}: a table shows missing values as None"


# --- a fresh server's first page, and an address that names no page -----------------------------------------

SIDEBAR_LINKS = (
    """() => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')].map(a => a.innerText.trim())"""
)


@pytest.mark.browser
def test_a_fresh_servers_first_page_never_lists_file_names(fresh_server, browser):  # noqa: F811
    """Streamlit starts a server with a pages/ folder in its legacy mode, whose sidebar lists the folder's files
    (dashboard, common, filters…): the router leaves it before anything else, so no English name ever shows."""
    base, _ = fresh_server
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(base, wait_until="commit")
        shown: list[list[str]] = []
        for _ in range(600):  # every 50 ms until the page's heading shows: each sidebar the user could see
            links = page.evaluate(SIDEBAR_LINKS)
            if links and links not in shown:
                shown.append(links)
            if page.get_by_test_id("stMain").get_by_role("heading", name="全市总览").count():
                break
            page.wait_for_timeout(50)
        shown.append(page.evaluate(SIDEBAR_LINKS))
        assert shown[-1][:2] == ["全市总览", "县市区"]
        assert not [names for names in shown if english(names)], shown
    finally:
        context.close()


@pytest.mark.browser
def test_an_address_that_names_no_page_is_said_in_chinese(server, browser):  # noqa: F811
    base, _ = server
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(base)  # the server past its first request (which opens the first page for any address)
        page.get_by_test_id("stMain").get_by_role("heading", name="全市总览").first.wait_for()
        page.goto(f"{base}/admin")  # 账号与日志: no page for anyone in a demo (no account exists)
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        # Streamlit draws its dialog as the run starts; the app's script says it in Chinese once the run has drawn the
        # sidebar (on a loaded machine, a moment later): wait for that, then look at the whole page.
        dialog.get_by_text("找不到该页面").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        said = dialog.inner_text()
        assert "找不到该页面" in said and "已为您打开首页" in said
        assert english(page.evaluate(GATHER)) == set()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lang-no-such-page.png"))
    finally:
        context.close()
