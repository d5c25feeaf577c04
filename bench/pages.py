"""Speed in the real browser: every page of the app in Chromium, against an empty Streamlit page.

Run: .venv/bin/python bench/pages.py [--scale city|province|tiny|country] [--repeat 3] [--pages 全市总览 ...]

A bench corpus (``bench/corpus.py``) is loaded into a fresh SQLite store in a temporary directory by the scale
benchmark's own load (``bench.run.end_to_end``: read, check, store each file). The app is served from it by
``streamlit run dashboard.py`` (``WEAKORG_DATABASE_URL``; headless, a free port, no usage statistics), its campaign
the corpus's (``WEAKORG_CAMPAIGN``). Beside it, the floor: an empty app whose pages are each one ``st.title``
(空白页, 另一空白页), served the same way, with a third page of one ``st.title`` and one small ECharts bar chart
(单图页): the floor of any page that draws a chart, which loads Streamlit's ECharts chunk (about 1.2 MB of
JavaScript) in a new tab. (The app drew its charts with plotly until 4 Dec 2026: its chunk is 4.7 MB.)

Debian's Chromium (``/usr/bin/chromium``, driven by Playwright; no browser is downloaded) opens them at
1440×900. Every page the sidebar lists is measured two ways:

- cold (新标签页): a new tab opens the page's URL; seconds from the tab's navigation start;
- warm (侧栏点击): in a tab where the page has been shown once, another page is open and the page is
  clicked in the sidebar navigation; seconds from the click.

The server's caches are warm for both: before any figure is taken one tab opens the app and clicks
through every page measured once (its times are the 启动后首次 column: the first visit after the server started,
what the first user of the day waits; not part of the medians).

**Settled** (one definition for every figure): the first moment from which, for ``QUIET_MS`` without a
break, all of this holds: the app is connected to its server (``stApp`` ``data-test-connection-state`` is
``CONNECTED``) and no script run is under way (``data-test-script-state`` is ``notRunning``; no running
icon in ``stStatusWidget``); no element is stale (``stElementContainer[data-stale=true]``) nor a skeleton
(``stSkeleton``); the page's title is visible as the main area's ``h1``; every chart (ECharts) has drawn its
canvas, 全市总览's board (``pages/_board.js``) its SVG, and every dataframe its canvas. The time taken is that
first moment (the quiet period proves it, it is not counted), read from the page's own clock
(``performance.now()``), polled every ``POLL_MS``.

Each figure is the median of ``--repeat`` runs (a repeat opens every page cold, then clicks every page). Beside
the seconds, the CPU seconds spent from the opening (or the click) to settled, read from ``/proc``: by the app's
server process, and by the browser (Chromium's processes and Playwright's driver). The machine these figures are
taken on is often shared, and CPU seconds move less with its load than wall seconds do.

It prints a table and, last, ``ratio: 全市总览 settles in N.N× the empty page's time`` (the cold new tab of
全市总览 over the empty page's cold new tab).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import SCALES, build_corpus  # noqa: E402
from bench.run import end_to_end, in_child, machine  # noqa: E402
from weakorg.campaign import CAMPAIGN_ENV  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
OVERVIEW = "全市总览"
EMPTY_TITLE, EMPTY_OTHER, ONE_CHART = "空白页", "另一空白页", "单图页"
QUIET_MS = 300  # how long the page must stay settled to count as settled
POLL_MS = 25
STARTUP_SECONDS = 300
WAIT_MS = 600_000  # a province's first picture may take minutes on a loaded machine

# The first moment the page is settled and has stayed so for QUIET_MS (see the module's docstring).
SETTLED_JS = """
([title, quiet]) => {
  const now = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const visible = el => el.offsetParent !== null || el.getClientRects().length > 0;
  const ok = app !== null
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stMain"] h1')]
         .some(h => h.innerText.trim() === title && visible(h))
    && [...document.querySelectorAll('[data-testid="stEChartsChart"]')]
         .every(c => c.getAttribute('aria-busy') !== 'true' && c.querySelector('canvas'))
    && [...document.querySelectorAll('[data-testid="stBidiComponent"]')].every(c => c.querySelector('svg'))
    && [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(d => d.querySelector('canvas'));
  if (!ok) { window.__settledAt = null; return false; }
  if (window.__settledAt == null) window.__settledAt = now;
  return now - window.__settledAt >= quiet ? window.__settledAt : false;
}
"""
# When the last click landed, on the page's clock (installed in every tab before its first script).
CLICK_CLOCK_JS = "document.addEventListener('click', () => { window.__clickedAt = performance.now(); }, true);"

EMPTY_APP = f'''import streamlit as st

st.set_page_config(page_title="{EMPTY_TITLE}", layout="wide")
one = st.Page("one.py", title="{EMPTY_TITLE}", default=True)
st.navigation([one, st.Page("two.py", title="{EMPTY_OTHER}"), st.Page("three.py", title="{ONE_CHART}")]).run()
'''
ONE_CHART_PAGE = f'''import streamlit as st

st.title("{ONE_CHART}")
x = {{"type": "category", "data": ["甲", "乙"]}}
st.echarts_chart({{"xAxis": x, "yAxis": {{"type": "value"}}, "series": [{{"type": "bar", "data": [1, 2]}}]}})
'''

# --- the servers ---------------------------------------------------------------------------------

SERVERS: set[int] = set()  # the pids of the streamlit servers this run started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(script: Path, env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run script`` from the repository (its .streamlit/config.toml), headless on a free port; its URL
    and its pid."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    command += ["--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        SERVERS.add(proc.pid)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as r:
                        if r.read() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit 未能启动：{log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
            yield base, proc.pid
        finally:
            SERVERS.discard(proc.pid)
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def app_env(db_url: str, campaign_path: Path) -> dict[str, str]:
    """The app server's environment: the bench store, the corpus's campaign, no demo samples."""
    env = {k: v for k, v in os.environ.items() if k not in ("WEAKORG_DEMO", "WEAKORG_DATABASE_URL")}
    return {**env, "WEAKORG_DATABASE_URL": db_url, CAMPAIGN_ENV: str(campaign_path)}


def empty_app(tmp: Path) -> Path:
    """The floor: a router, two pages of one st.title each, and a page of a title and one small chart."""
    folder = tmp / "empty"
    folder.mkdir()
    (folder / "one.py").write_text(f'import streamlit as st\n\nst.title("{EMPTY_TITLE}")\n', encoding="utf-8")
    (folder / "two.py").write_text(f'import streamlit as st\n\nst.title("{EMPTY_OTHER}")\n', encoding="utf-8")
    (folder / "three.py").write_text(ONE_CHART_PAGE, encoding="utf-8")
    (folder / "app.py").write_text(EMPTY_APP, encoding="utf-8")
    return folder / "app.py"


# --- CPU seconds, from /proc ---------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent's pid, CPU seconds so far, user and system) of every process /proc shows; {} off Linux."""
    out: dict[int, tuple[int, float]] = {}
    if not Path("/proc/self/stat").exists():
        return out
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # from the 3rd field on: state, ppid, …, utime (14th), stime
        out[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
    return out


def _tree(procs: dict[int, tuple[int, float]], root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in procs.items():
        children.setdefault(parent, []).append(pid)
    out, todo = set(), [root]
    while todo:
        pid = todo.pop()
        out.add(pid)
        todo.extend(children.get(pid, ()))
    return out


def cpu_split(
    before: dict[int, tuple[int, float]], after: dict[int, tuple[int, float]], server: int
) -> tuple[float, float]:
    """CPU seconds spent between two snapshots by ``server``'s process tree, and by the browser: every other
    process this one started (Chromium's processes and Playwright's driver; the other servers left out)."""
    ours = _tree(after, os.getpid()) - {os.getpid()}
    servers = {pid for root in SERVERS for pid in _tree(after, root)}
    mine = _tree(after, server)

    def spent(pids: set[int]) -> float:
        return sum(after[p][1] - before.get(p, (0, 0.0))[1] for p in pids if p in after)

    return spent(mine), spent(ours - servers)


# --- the browser ---------------------------------------------------------------------------------


def settled(page, title: str) -> float:
    """Wait until the page titled ``title`` is settled (module docstring); that moment, in ms on the page's clock."""
    handle = page.wait_for_function(SETTLED_JS, arg=[title, QUIET_MS], polling=POLL_MS, timeout=WAIT_MS)
    if page.locator('[data-testid="stException"]').count():  # a page that failed settles too: not a figure
        raise RuntimeError(f"页面“{title}”出错：{page.locator('[data-testid=stException]').first.inner_text()[:500]}")
    return float(handle.json_value())


@dataclass
class Site:
    """One served app in the browser: its pages (title → URL) and a tab kept open for sidebar clicks."""

    name: str
    base: str
    context: object
    server: int = 0  # the pid of the streamlit server
    tab: object = None
    pages: dict[str, str] = field(default_factory=dict)
    current: str = ""
    first: dict[str, float] = field(default_factory=dict)  # seconds, the first visit after the server started
    cold: dict[str, list[float]] = field(default_factory=dict)
    warm: dict[str, list[float]] = field(default_factory=dict)
    cold_cpu: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # (server, browser) CPU seconds
    warm_cpu: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def new_tab(self):
        tab = self.context.new_page()
        tab.set_default_timeout(WAIT_MS)
        tab.add_init_script(CLICK_CLOCK_JS)
        return tab

    def open(self, default_title: str) -> None:
        """The first tab on the app's URL: its time, and the pages its sidebar lists."""
        self.tab = self.new_tab()
        self.first[default_title] = self._load(self.tab, self.base, default_title)
        self.current = default_title
        links = self.tab.locator('[data-testid="stSidebarNav"] a')
        for i in range(links.count()):
            link = links.nth(i)
            self.pages[link.inner_text().strip()] = link.get_attribute("href") or self.base

    @staticmethod
    def _load(tab, url: str, title: str) -> float:
        tab.goto(url, wait_until="commit")
        return settled(tab, title) / 1000

    def click(self, title: str) -> float:
        """Click ``title`` in the sidebar of the kept tab; seconds from the click to settled."""
        tab = self.tab
        tab.evaluate("() => { window.__settledAt = null; window.__clickedAt = null; }")
        tab.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
        at = settled(tab, title)
        clicked = tab.evaluate("() => window.__clickedAt")
        self.current = title
        return (at - clicked) / 1000

    def visit_all(self, titles: Sequence[str]) -> None:
        """Show every page once in the kept tab (the server computes and caches what each needs)."""
        for title in titles:
            if title != self.current:
                seconds = self.click(title)
                self.first.setdefault(title, seconds)

    def measure(self, titles: Sequence[str]) -> None:
        """One repeat: each page cold in a new tab, then each clicked in the sidebar after another page."""
        for title in titles:
            tab = self.new_tab()
            before = _processes()
            self.cold.setdefault(title, []).append(self._load(tab, self.pages[title], title))
            self.cold_cpu.setdefault(title, []).append(cpu_split(before, _processes(), self.server))
            tab.close()
        for title in titles:
            if self.current == title:
                self.click(next(t for t in self.pages if t != title))
            before = _processes()
            self.warm.setdefault(title, []).append(self.click(title))
            self.warm_cpu.setdefault(title, []).append(cpu_split(before, _processes(), self.server))


# --- the run -------------------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _cell(seconds: float) -> str:
    return "—" if seconds != seconds else f"{seconds:.2f}"


def ratio_line(overview_cold: float, empty_cold: float) -> str:
    """The last line: the cold new tab of 全市总览 over the empty page's."""
    return f"ratio: {OVERVIEW} settles in {overview_cold / empty_cold:.1f}× the empty page's time"


def run(scale: str, repeat: int, only: Sequence[str], seed: int, cache: Path | None, out=print) -> dict:
    """Build the store, serve both apps, measure; print the table and the ratio line last; the medians."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(
            f"缺少浏览器 {CHROMIUM}：请安装 Debian 的 chromium（apt-get install chromium fonts-noto-cjk）"
        )
    corpus = build_corpus(scale, seed, cache, log=out)
    out(f"机器：{machine()}；开始时负载{os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="weakorg-bench-pages-") as name, ExitStack() as stack:
        tmp = Path(name)
        url = f"sqlite:///{tmp / 'bench.db'}"
        load = in_child(end_to_end, corpus.files, corpus.campaign_path, url)
        out(
            f"语料：{corpus.directory}（{len(corpus.units)}个单位，{len(corpus.files)}个文件），"
            f"入库用时{load.seconds:.1f}秒"
        )
        app_base, app_pid = stack.enter_context(
            serve(ROOT / "dashboard.py", app_env(url, corpus.campaign_path), tmp / "app.log")
        )
        empty_base, empty_pid = stack.enter_context(serve(empty_app(tmp), dict(os.environ), tmp / "empty.log"))
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(browser.close)

        def site(name: str, base: str, pid: int) -> Site:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            stack.callback(context.close)
            return Site(name, base, context, pid)

        empty, app = site("empty", empty_base, empty_pid), site("app", app_base, app_pid)
        empty.open(EMPTY_TITLE)
        app.open(OVERVIEW)
        titles = [t for t in app.pages if not only or t in only]
        missing = [t for t in only if t not in app.pages]
        if missing or not titles:
            raise RuntimeError(f"侧栏中没有这些页面：{'、'.join(missing) or '（未选中任何页面）'}")
        empty.visit_all([EMPTY_OTHER, ONE_CHART, EMPTY_TITLE])
        app.visit_all(titles)
        for _ in range(repeat):
            empty.measure([EMPTY_TITLE, ONE_CHART])
            app.measure(titles)

    rows = [(f"{EMPTY_TITLE}（下限）", empty, EMPTY_TITLE), (f"{ONE_CHART}（一张小图）", empty, ONE_CHART)]
    rows += [(t, app, t) for t in titles]
    out(f"结束时负载{os.getloadavg()[0]:.2f}；每格为{repeat}次的中位数（秒），判定“已稳定”的条件见 bench/pages.py")
    out("CPU：服务器为 streamlit 进程，浏览器为 Chromium 各进程与 Playwright 驱动，从打开（点击）到稳定所用的 CPU 秒数")
    out("")
    out("| 页面 | 新标签页（冷） | 侧栏点击（热） | 启动后首次 | CPU 冷：服务器/浏览器 | CPU 热：服务器/浏览器 |")
    out("| --- | ---: | ---: | ---: | ---: | ---: |")
    medians: dict[str, dict[str, float]] = {}
    for label, s, title in rows:
        cold, warm = _median(s.cold.get(title, [])), _median(s.warm.get(title, []))
        cc, wc = s.cold_cpu.get(title, []), s.warm_cpu.get(title, [])
        medians[title] = {
            "cold": cold,
            "warm": warm,
            "first": s.first.get(title, float("nan")),
            "cold_server_cpu": _median([c[0] for c in cc]),
            "cold_browser_cpu": _median([c[1] for c in cc]),
            "warm_server_cpu": _median([c[0] for c in wc]),
            "warm_browser_cpu": _median([c[1] for c in wc]),
        }
        m = medians[title]
        out(
            f"| {label} | {_cell(cold)} | {_cell(warm)} | {_cell(m['first'])} "
            f"| {_cell(m['cold_server_cpu'])} / {_cell(m['cold_browser_cpu'])} "
            f"| {_cell(m['warm_server_cpu'])} / {_cell(m['warm_browser_cpu'])} |"
        )
    out(ratio_line(medians[OVERVIEW]["cold"], medians[EMPTY_TITLE]["cold"]))
    return medians


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在 Chromium 中测量每个页面的加载用时（与空白页比较）")
    parser.add_argument("--scale", default="city", help="、".join(SCALES) + " 或单位个数（默认 city）")
    parser.add_argument("--repeat", type=int, default=3, help="重复次数，取中位数（默认 3）")
    parser.add_argument("--pages", nargs="+", default=[], metavar="页面", help="只测这些页面（默认侧栏中的全部页面）")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--cache", type=Path, default=None, help="语料缓存目录（默认 ~/.cache/weakorg-bench）")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat 至少为 1")
    pages = list(args.pages)
    if OVERVIEW not in pages and pages:
        pages.insert(0, OVERVIEW)  # the ratio line needs it
    run(args.scale, args.repeat, pages, args.seed, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
