"""The scale benchmark: weakorg against what an analyst's script does today, and against the floor.

Run: .venv/bin/python -m weakorg bench --scale tiny|city|province|country [--seed 2014] [--render]

The read spreads a batch over a process pool as ``weakorg.read.read_files`` does anywhere
(``WEAKORG_WORKERS``; ``WEAKORG_WORKERS=1`` measures one process).

On the same corpus (``bench/corpus.py``) in the same run, each in a fresh forked process (so peak RSS is
that phase's, over an interpreter with the libraries already imported):

- baseline: ``pandas.read_excel(path, sheet_name=None, engine="openpyxl")`` over every workbook
  (``pandas.read_csv`` for a CSV), reading only;
- weakorg end to end: read, check (classify the problems), consolidate, store every file (a savepoint
  each, grouped commits) into a fresh SQLite database from the batch's frames, with the units' current findings,
  as the app does it: its store opened at start and its reader pool started while the files were chosen
  (``served``, before the clock), so a batch of ``POOL_FROM`` files or more is read, 主要问题 included, on every
  core; the same without the store; and the same again as a fresh process (the CLI) into a fresh database, which
  makes its schema and starts a pool only from ``START_FROM`` files;
- floor: unzip every member of every workbook and parse its XML with ``xml.etree.ElementTree.iterparse``
  (a CSV: decode and split it), no interpretation;
- the dashboard: every figure of 全市总览 and of one unit's page from that database, cold and cached
  (the picture memoised on ``store.version()``, as the pages' ``st.cache_data`` does), and optionally
  the 全市总览 page rendered through Streamlit's AppTest.

- calamine: every sheet of every workbook read by python-calamine into Python lists (a CSV decoded and split),
  what a native reader gives before anything is located or parsed;

It prints a table and, last, ``ratio: weakorg end-to-end is N.N× faster than the pandas/openpyxl read;
M.M× the floor; K.K× the calamine read``.
"""

from __future__ import annotations

import csv
import io
import os
import platform
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from xml.etree.ElementTree import iterparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from bench.corpus import build_corpus  # noqa: E402
from weakorg import app, asof, charts, counts, criteria, history, overview, review, views  # noqa: E402
from weakorg.campaign import Campaign, load_campaign  # noqa: E402
from weakorg.checks import run_checks  # noqa: E402
from weakorg.consolidate import consolidate  # noqa: E402
from weakorg.read import pool as read_pool  # noqa: E402
from weakorg.read import read_files  # noqa: E402
from weakorg.store import Store  # noqa: E402
from weakorg.tables import returns_from_files  # noqa: E402

_CTX = get_context("fork") if sys.platform == "linux" else get_context("spawn")


# --- the measured work ---------------------------------------------------------------------------


def baseline_read(paths: Sequence[Path]) -> int:
    """What an analyst's script does: every sheet of every file into pandas; the number of cells read."""
    cells = 0
    for p in paths:
        if p.suffix.lower() == ".csv":
            frames = {"csv": pd.read_csv(p, header=None, encoding="gbk", dtype=str)}
        else:
            frames = pd.read_excel(p, sheet_name=None, engine="openpyxl", header=None)
        cells += sum(f.size for f in frames.values())
    return cells


def calamine_read(paths: Sequence[Path]) -> int:
    """What a native reader gives by itself: every sheet's values into Python lists (python-calamine; a CSV decoded
    and split); the number of cells read."""
    cells = 0
    for p in paths:
        if p.suffix.lower() == ".csv":
            rows = list(csv.reader(io.StringIO(p.read_bytes().decode("gbk"))))
            cells += sum(map(len, rows))
            continue
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            cells += sum(map(len, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)))
        wb.close()
    return cells


def floor_parse(paths: Sequence[Path]) -> int:
    """The least any reader must do: unzip every member and parse its XML; the number of XML elements."""
    elements = 0
    for p in paths:
        if p.suffix.lower() == ".csv":
            elements += sum(1 for _ in csv.reader(io.StringIO(p.read_bytes().decode("gbk"))))
            continue
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    with z.open(name) as fh:
                        elements += sum(1 for _ in iterparse(fh))
    return elements


_CAMPAIGNS: dict[str, Campaign] = {}


def _campaign(path: str | Path) -> Campaign:
    key = str(path)
    if key not in _CAMPAIGNS:
        _CAMPAIGNS[key] = load_campaign(path)
    return _CAMPAIGNS[key]


_OPENED: dict[str, Store] = {}  # the store ``served`` opened in this process, as the app keeps its one


def served(paths: Sequence[Path], campaign_path: Path, db_url: str | None) -> None:
    """What the app has ready by the time an upload's files are chosen: its store opened (the schema made) at start
    and kept open (``pages/_common.get_store``), and the reader's pool started by the upload page
    (``pool.start_in_background``), every worker used once; nothing of the corpus remembered after (the workers
    remember none)."""
    if db_url:
        _OPENED[db_url] = Store(db_url)
    if (n := read_pool.workers()) > 1 and read_pool.get_pool(n) is not None:
        read_files([str(p) for p in paths[: read_pool.POOL_FROM]], campaign=_campaign(campaign_path))
        criteria.forget()


def end_to_end(
    paths: Sequence[Path], campaign_path: Path, db_url: str | None, recall_from: str | None = None
) -> dict[str, float]:
    """Read, check, consolidate and (with ``db_url``) store every file, as an upload does; seconds per step.
    ``recall_from``: a store whose kept readings of the texts are recalled (``Store.recall``), not read again."""
    campaign = _campaign(campaign_path)
    steps: dict[str, float] = {}
    clock = _Clock(steps)
    recall = (_OPENED.get(recall_from) or Store(recall_from)).recall if recall_from else None
    files = read_files([str(p) for p in paths], campaign=campaign, recall=recall)  # a pool from START_FROM files
    clock.lap("read")
    readable = [fr for fr in files if fr.ok]
    returns = returns_from_files(readable)
    found = run_checks(returns, campaign)
    clock.lap("check")
    consolidate(returns, campaign, findings=found)  # the checks just run, as an upload has them
    clock.lap("consolidate")
    if db_url:
        store = _OPENED.get(db_url) or Store(db_url)  # the app's, when served; else opened as the CLI opens it
        own = [fs for fr, fs in zip(files, app._attribute(files, found), strict=True) if fr.ok]
        store.add_many(returns, own, uploaded_by="bench", campaign=campaign, checked=found)  # grouped commits
        clock.lap("store")
    steps["refused"] = sum(not fr.ok for fr in files)
    return steps


class _Clock:
    """Wall seconds of each step into ``steps[name]``, and this process's CPU seconds into ``steps["cpu_" + name]``."""

    def __init__(self, steps: dict[str, float]) -> None:
        self.steps, self.wall, self.cpu = steps, time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        """The step ``name`` ends now."""
        wall, cpu = time.perf_counter(), time.process_time()
        self.steps[name], self.steps[f"cpu_{name}"] = wall - self.wall, cpu - self.cpu
        self.wall, self.cpu = wall, cpu


def overview_figures(store: Store, campaign: Campaign, cached: tuple | None = None) -> tuple:
    """Every figure of 全市总览 (from what ``cached`` holds, as a rerun of the page does); what the page caches."""
    pic, by_unit = cached if cached is not None else (None, None)
    pic = pic if pic is not None else app.picture(store, campaign=campaign)
    if by_unit is None:
        by_unit = history.stored_progress(store, campaign.unit_names)
    counts.headline(pic)
    if not app.is_blank(pic):
        overview.figures(pic)  # the page caches them with the picture
        charts.progress_over_time(asof.progress_at_rounds(by_unit, campaign), "全市")
    app.unit_table(pic)
    return pic, by_unit


def unit_figures(store: Store, campaign: Campaign, unit: str, cached: tuple | None = None) -> tuple:
    """Every figure and table of one unit's page (县市区); what the page caches."""
    pic = cached[0] if cached is not None else app.picture(store, units=[unit], campaign=campaign)
    counts.headline(pic)
    charts.weak_by_category(pic.by_category)
    charts.weak_by_criterion(pic.by_category)
    charts.weak_by_unit(pic.summary)
    views.category_table(pic.by_category)
    views.org_table(pic.weak_orgs)
    views.village_table(pic.villages, campaign=campaign)
    return (pic,)


def dashboard(db_url: str, campaign_path: Path, unit: str) -> dict[str, float]:
    """Seconds for the overview and one unit's page: cold, then cached on ``store.version()``."""
    campaign = _campaign(campaign_path)
    store = Store(db_url)
    memo: dict[tuple, object] = {}
    out: dict[str, float] = {}
    for page, figures in (("overview", overview_figures), ("unit", unit_figures)):
        args = (unit,) if page == "unit" else ()
        for run in ("cold", "cached"):
            t = time.perf_counter()
            key = (page, store.version())
            memo[key] = figures(store, campaign, *args, cached=memo.get(key))
            out[f"{page}_{run}"] = time.perf_counter() - t
    pic = memo[("overview", store.version())][0]
    for run, recall in (("review_read", False), ("review_kept", True)):  # the 研判 list after a restart
        criteria.forget()
        t = time.perf_counter()
        if recall:  # as the page has it: the texts' readings the store keeps
            app.review_items(store, pic)
        else:  # every text read again (as before the store kept readings)
            review.items(pic.weak_orgs, store.standing_corrections())
        out[run] = time.perf_counter() - t
    return out


def render_overview(db_url: str, campaign_path: Path) -> float:
    """Seconds to render 全市总览 through AppTest on the benchmark's database and campaign."""
    from streamlit.testing.v1 import AppTest

    import weakorg.campaign

    campaign = _campaign(campaign_path)
    os.environ["WEAKORG_DATABASE_URL"] = db_url
    # The pages know one campaign, the shipped default: give them the corpus's.
    weakorg.campaign.default_campaign = lambda: campaign
    import pages._common

    pages._common.default_campaign = lambda: campaign
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=600)
    t = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"全市总览渲染出错：{at.exception[0].message}")
    return seconds


# --- running each phase in its own process -------------------------------------------------------


@dataclass
class Phase:
    """What one phase gave, and what it took: wall seconds, CPU seconds (its own and its children's), peak RSS."""

    result: object
    seconds: float
    cpu: float
    rss: int


def _cpu() -> float:
    own, pool = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + pool.ru_utime + pool.ru_stime


def _phase(fn: Callable, args: tuple, setup: Callable | None = None) -> Phase:
    if setup is not None:  # before the clock
        setup()
    cpu, start = _cpu(), time.perf_counter()
    result = fn(*args)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    return Phase(result, seconds, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def in_child(fn: Callable, *args, log: Callable | None = None, setup: Callable | None = None) -> Phase:
    """Run ``fn(*args)`` in a fresh forked process, after ``setup()`` there if given; what it gave and took (its peak
    RSS is that process's)."""
    with ProcessPoolExecutor(1, mp_context=_CTX) as ex:
        phase = ex.submit(_phase, fn, args, setup).result()
    if log:
        log(f"  {fn.__name__}：{phase.seconds:.2f}秒（CPU {phase.cpu:.2f}秒），峰值内存{_mb(phase.rss)}")
    return phase


# --- the report ----------------------------------------------------------------------------------


def machine() -> str:
    """The machine the figures were taken on: cores, CPU model, RAM, Python."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = float("nan")
    return f"{os.cpu_count()}核 {model}，内存{ram:.0f} GB，Python {platform.python_version()}"


def ratio_line(baseline: float, end_to_end: float, floor: float, calamine: float) -> str:
    """The benchmark's last line: how many times faster than the baseline, how many times the floor and the calamine
    read (its start kept as it was before the calamine figure, for the scripts that read it)."""
    faster, of_floor, of_calamine = baseline / end_to_end, end_to_end / floor, end_to_end / calamine
    return (
        f"ratio: weakorg end-to-end is {faster:.1f}× faster than the pandas/openpyxl read; {of_floor:.1f}× the floor; "
        f"{of_calamine:.1f}× the calamine read"
    )


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def warm_up(paths: Sequence[Path], campaign_path: Path) -> None:
    """Run every phase once on a few files in this process, so no measured phase pays for imports or first use."""
    few = list(paths[:4])
    baseline_read(few)
    calamine_read(few)
    floor_parse(few)
    with tempfile.TemporaryDirectory(prefix="weakorg-bench-warm-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'warm.db'}"
        end_to_end(few, campaign_path, url)
        dashboard(url, campaign_path, "")


def run_bench(
    scale: str,
    seed: int = 2014,
    cache: Path | None = None,
    render: bool = False,
    out=print,
) -> dict[str, float]:
    """Measure every phase on the corpus of ``scale``, print the table and the ratio line; the figures."""
    corpus = build_corpus(scale, seed, cache, log=out)
    paths, campaign_path = corpus.files, corpus.campaign_path
    for p in paths:  # every phase finds the files in the page cache
        p.read_bytes()
    warm_up(paths, campaign_path)
    n_xlsx = sum(p.suffix == ".xlsx" for p in paths)
    out(f"机器：{machine()}；开始时负载{os.getloadavg()[0]:.2f}")
    out(
        f"语料：{corpus.directory}（{len(corpus.units)}个单位，{len(paths)}个文件：{n_xlsx}个xlsx，"
        f"{len(paths) - n_xlsx}个csv；{_mb(corpus.bytes)}；写入用时{corpus.seconds_to_write:.1f}秒）"
    )
    figures: dict[str, float] = {"files": len(paths), "units": len(corpus.units)}
    rows: list[tuple[str, Phase, str]] = []

    base = in_child(baseline_read, paths, log=out)
    rows.append(("基线：pandas.read_excel（openpyxl）只读取", base, ""))
    floor = in_child(floor_parse, paths, log=out)
    rows.append(("下限：解压并解析每个XML（ElementTree.iterparse）", floor, ""))
    native = in_child(calamine_read, paths, log=out)
    rows.append(("calamine：每个工作表的值读入Python列表", native, ""))
    with tempfile.TemporaryDirectory(prefix="weakorg-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        ready = partial(served, paths, campaign_path, url)  # the app's store and reader pool, before the clock
        e2e = in_child(end_to_end, paths, campaign_path, url, log=out, setup=ready)
        rows.append(("weakorg端到端：读取、检查、汇总、入库（SQLite）", e2e, _steps(e2e.result)))
        db_size = sum(f.stat().st_size for f in Path(tmp).iterdir() if f.name.startswith("bench.db"))
        ready = partial(served, paths, campaign_path, None)
        no_store = in_child(end_to_end, paths, campaign_path, None, log=out, setup=ready)
        rows.append(("weakorg端到端（不入库）", no_store, _steps(no_store.result)))
        url = f"sqlite:///{Path(tmp) / 'fresh.db'}"
        fresh = in_child(end_to_end, paths, campaign_path, url, log=out)  # as the CLI: a pool from START_FROM files
        rows.append(("weakorg端到端（新进程，进程池未预先启动）", fresh, _steps(fresh.result)))
        ready = partial(served, paths, campaign_path, url)  # the store the row above filled keeps the texts' readings
        kept = in_child(end_to_end, paths, campaign_path, None, url, log=out, setup=ready)
        rows.append(("weakorg端到端（不入库；主要问题的判读已存于库中，如重启后）", kept, _steps(kept.result)))
        dash = in_child(dashboard, url, campaign_path, corpus.units[0], log=out)
        render_s = None
        if render:
            try:
                render_s = in_child(render_overview, url, campaign_path, log=out).seconds
            except Exception as exc:  # the page failing must not lose the figures measured so far
                out(f"全市总览经AppTest渲染失败：{exc}")

    width = max(len(r[0]) for r in rows) + 2
    out("")
    out(f"{'阶段'.ljust(width)}{'用时(秒)':>10}{'CPU(秒)':>10}{'文件/秒':>10}{'峰值内存':>12}  明细")
    for name, ph, detail in rows:
        out(
            f"{name.ljust(width)}{ph.seconds:>10.2f}{ph.cpu:>10.2f}{len(paths) / ph.seconds:>10.1f}"
            f"{_mb(ph.rss):>12}  {detail}"
        )
    d = dash.result
    out(f"数据库大小：{_mb(db_size)}（{db_size:,}字节）；拒收文件：{int(e2e.result['refused'])}个")
    out(
        f"全市总览：首次{d['overview_cold']:.3f}秒，缓存后{d['overview_cached']:.3f}秒；"
        f"单位页（{corpus.units[0]}）：首次{d['unit_cold']:.3f}秒，缓存后{d['unit_cached']:.3f}秒；"
        f"峰值内存{_mb(dash.rss)}"
    )
    out(f"研判列表（重启后首次）：判读已存于库中{d['review_kept']:.3f}秒，逐条重读{d['review_read']:.3f}秒")
    if render_s is not None:
        out(f"全市总览经AppTest渲染：{render_s:.2f}秒")
    if read_pool.workers() > 1 and len(paths) >= read_pool.POOL_FROM:  # the workers' CPU is not this process's
        out("按CPU时间：读取用了进程池，其工作进程的CPU未计入上表，不作比较")
    else:
        out(
            f"按CPU时间：端到端是基线的{base.cpu / e2e.cpu:.2f}倍速度，是下限的{e2e.cpu / floor.cpu:.1f}倍用时，"
            f"是calamine读取的{e2e.cpu / native.cpu:.1f}倍用时"
        )
    figures.update(
        baseline=base.seconds,
        floor=floor.seconds,
        calamine=native.seconds,
        calamine_cpu=native.cpu,
        end_to_end=e2e.seconds,
        end_to_end_no_store=no_store.seconds,
        baseline_cpu=base.cpu,
        floor_cpu=floor.cpu,
        end_to_end_cpu=e2e.cpu,
        end_to_end_no_store_cpu=no_store.cpu,
        end_to_end_fresh=fresh.seconds,
        end_to_end_kept=kept.seconds,
        peak_rss=e2e.rss,
        db_size=db_size,
        **{f"step_{k}": v for k, v in e2e.result.items()},
        **d,
    )
    if render_s is not None:
        figures["render_overview"] = render_s
    out(ratio_line(base.seconds, e2e.seconds, floor.seconds, native.seconds))
    return figures


def _steps(steps: dict[str, float]) -> str:
    """Each step's wall seconds, with its CPU seconds in this process: read 0.11s（CPU 0.10）."""
    return "，".join(
        f"{k} {v:.2f}s（CPU {steps[f'cpu_{k}']:.2f}）" if f"cpu_{k}" in steps else f"{k} {v:.2f}s"
        for k, v in steps.items()
        if k != "refused" and not k.startswith("cpu_")
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line (the arguments of ``python -m weakorg bench``)."""
    from weakorg.cli import main as cli_main

    return cli_main(["bench", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
