"""The three users' paths at 1024×768 in a real browser: every page of a leader, a supervisory group and an
analyst, and one organization's card, with no text cut off and nothing off the side of the screen.

The server, browser and fixtures are tests/test_browser.py's. Cut text is found by the text's own extent
(a Range over its text nodes) against every clipping box around it, so a label truncated by an ancestor's
``overflow: hidden`` counts; a canary element cut on purpose proves the detector sees what it looks for.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.test_browser import HEADLINE, WAIT_MS, browser, server, shot, show_more  # noqa: F401  (fixtures)
from weakorg import app, drill, overview
from weakorg.drill import Filters

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1024, 768
ROLES = ("以领导体验", "以督导组体验", "以分析员体验")  # the demo's one-click roles (pages/_signin.py)

CUT_TEXT = """() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const skip = 'svg, canvas, [data-testid="stDataFrame"], [data-testid="stEChartsChart"], pre, code, '
    + '[data-testid="stIconMaterial"]';
  const clips = (s) => ['hidden', 'clip', 'auto', 'scroll'].includes(s.overflowX);
  for (const el of main.querySelectorAll('*')) {
    if (el.closest(skip)) continue;
    const texts = Array.from(el.childNodes).filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!texts.length) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const range = document.createRange();
    range.setStartBefore(texts[0]);
    range.setEndAfter(texts[texts.length - 1]);
    const r = range.getBoundingClientRect();
    if (!r.width) continue;
    const what = el.textContent.trim().slice(0, 40);
    if (r.right > window.innerWidth + 1) { out.push('off-screen: ' + what); continue; }
    for (let a = el; a && a !== main; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (!clips(s)) continue;
      const box = a.getBoundingClientRect();
      const ellipsis = s.textOverflow === 'ellipsis' && a.scrollWidth > a.clientWidth + 1;
      if (r.right > box.right + 1 || r.left < box.left - 1 || ellipsis) { out.push('cut: ' + what); break; }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('page scrolls sideways');
  return out;
}"""

CANARY = """() => {
  const d = document.createElement('div');
  d.id = 'cut-canary';
  d.style.cssText = 'width:60px;overflow:hidden;white-space:nowrap';
  d.innerHTML = '<span>一段放不下的很长很长的标签文字</span>';
  document.querySelector('[data-testid="stMain"]').appendChild(d);
}"""


def settle(page) -> None:
    """Wait until the script run is over (Streamlit's running indicator gone for a moment) and charts are drawn."""
    quiet = 0
    for _ in range(WAIT_MS // 100):
        running = page.get_by_test_id("stStatusWidget").count() and page.get_by_test_id("stStatusWidget").is_visible()
        quiet = 0 if running else quiet + 1
        if quiet >= 10:
            break
        page.wait_for_timeout(100)


@pytest.fixture
def small(browser):  # noqa: F811  (the imported fixture)
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def test_the_detector_sees_cut_text(server, small):  # noqa: F811
    base, _ = server
    small.goto(base)
    small.locator(HEADLINE).first.wait_for()
    small.evaluate(CANARY)
    assert small.evaluate(CUT_TEXT) == ["cut: 一段放不下的很长很长的标签文字"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_each_user_fits_1024_px_with_no_cut_text(server, small, role):  # noqa: F811
    base, _ = server
    small.goto(base)
    small.locator(HEADLINE).first.wait_for()
    small.get_by_role("button", name=role).click()
    small.get_by_text(re.compile(f"^正在{role}")).wait_for()  # a supervisor's names its units
    nav = small.get_by_test_id("stSidebarNav")
    upload = nav.get_by_role("link", name="上传与校验")  # the banner may show before the run redraws the sidebar
    upload.wait_for(state="visible" if role == "以分析员体验" else "detached")
    links = nav.get_by_role("link").all_inner_texts()
    assert "全市总览" in links and ("上传与校验" in links) == (role == "以分析员体验")
    problems = {}
    for name in links:
        nav.get_by_text(name, exact=True).click()
        small.get_by_role("heading", name=name).first.wait_for()
        settle(small)
        found = small.evaluate(CUT_TEXT)
        if found:
            problems[name] = found
            shot(small, f"cut-{role}-{name}")
        if name != "全市总览":
            continue
        for option in overview.MORE_OPTIONS:  # what the overview draws when asked for fits as well
            show_more(small, option)
            settle(small)
            found = small.evaluate(CUT_TEXT)
            if found:
                problems[f"{name}·{option}"] = found
                shot(small, f"cut-{role}-{name}-{option}")
    assert problems == {}


def test_an_organizations_card_fits_1024_px(server, small):  # noqa: F811
    base, store = server
    small.goto(base)
    small.locator(HEADLINE).first.wait_for()  # the first start has loaded the samples
    org = app.picture(store).weak_orgs.iloc[0]
    query = drill.to_query(Filters(units=(org["unit"],), org=(org["unit"], org["name"])))
    small.goto(f"{base}/orgs?{urlencode(query, doseq=True)}")
    small.get_by_role("heading", name=org["name"]).first.wait_for()
    settle(small)
    found = small.evaluate(CUT_TEXT)
    if found:
        shot(small, "cut-card")
    assert found == []


def test_a_demo_role_tried_is_kept_over_a_reload_until_ended(server, small):  # noqa: F811
    base, _ = server
    small.goto(base)
    small.locator(HEADLINE).first.wait_for()
    sidebar = small.get_by_test_id("stSidebar")  # the role line; the live region says it too (#weakorg-said)
    small.get_by_role("button", name="以领导体验").focus()  # by keyboard: the role now tried is said
    small.keyboard.press("Enter")
    sidebar.get_by_text(re.compile("^正在以领导体验")).wait_for()
    small.wait_for_function("() => document.getElementById('weakorg-said')?.textContent.startsWith('正在以领导体验')")
    settle(small)  # the run that sets the browser's cookie is over
    small.reload()
    small.locator(HEADLINE).first.wait_for()
    sidebar.get_by_text(re.compile("^正在以领导体验")).wait_for()  # the role tried, kept over the reload
    small.get_by_role("button", name="结束体验").click()
    sidebar.get_by_text("体验不同角色看到的内容", exact=False).wait_for()
    settle(small)
    small.reload()
    small.locator(HEADLINE).first.wait_for()
    sidebar.get_by_text("体验不同角色看到的内容", exact=False).wait_for()
    assert sidebar.get_by_text(re.compile("^正在以")).count() == 0  # ended: a reload does not bring it back
