"""The process pool of the reader: the same results as one process, in order, whatever breaks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.corpus import build_corpus
from weakorg import criteria, read
from weakorg.campaign import load_campaign
from weakorg.read import pool, read_files
from weakorg.tables import returns_from_files
from weakorg.vocab import F1, F2, F3


@pytest.fixture
def fresh_pool(monkeypatch):
    """Two workers in a pool started for the test (as a batch of START_FROM files would) and stopped after it."""
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    pool.shutdown_pool()
    pool.get_pool(2)
    yield
    pool.shutdown_pool()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    corpus = build_corpus("city", seed=7, cache=tmp_path_factory.mktemp("corpus"), processes=1)
    return [str(p) for p in corpus.files], load_campaign(corpus.campaign_path)


def _summary(files):
    """Each file's outcome and findings, comparable."""
    return (
        [(f.name, f.status, f.reason, f.message, f.sha256, f.content, f.unit, f.forms, f.row_count) for f in files],
        [[(x.rule, x.message, x.cell) for x in f.findings] for f in files],
    )


def test_a_large_batch_reads_the_same_over_the_pool_as_in_one_process(city, fresh_pool, monkeypatch):
    paths, campaign = city
    assert len(paths) >= pool.POOL_FROM
    pooled = read_files(paths, campaign=campaign)
    assert pool.get_pool(2) is not None  # the batch really went over the pool
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    alone = read_files(paths, campaign=campaign)
    assert [f.name for f in pooled] == [os.path.basename(p) for p in paths]
    assert _summary(pooled) == _summary(alone)
    frames, expected = returns_from_files(pooled), returns_from_files(alone)
    for form in (F1, F2, F3):
        pd.testing.assert_frame_equal(frames.frame(form), expected.frame(form))


def test_the_pool_reads_the_problem_texts_once_and_this_process_keeps_their_readings(city, fresh_pool, monkeypatch):
    paths, campaign = city
    criteria.forget()
    sent: list = []
    real = read.submit
    monkeypatch.setattr(read, "submit", lambda fn, texts: sent.append(texts) or real(fn, texts))
    pooled = read_files(paths, campaign=campaign)
    texts = pd.concat([returns_from_files(pooled).frame(form)["problems"] for form in (F2, F3)]).dropna().unique()
    assert len(texts) > 20
    assert sorted(t for piece in sent for t in piece) == sorted(texts)  # each text sent once
    kept = {t: criteria.remembered(t) for t in texts}  # awaited from the pool, as the checks would
    assert None not in kept.values()  # read on the pool: the checks find them read
    criteria.forget()
    fresh = criteria.classify_many(pd.Series(texts, dtype=object))
    assert [kept[t] for t in texts] == fresh.tolist()  # exactly what this process reads
    sent.clear()
    read_files(paths, campaign=campaign)
    assert not sent  # remembered: not read again


def test_texts_the_store_has_read_before_are_recalled_not_sent(city, fresh_pool, monkeypatch, tmp_path):
    from weakorg.store import Store

    paths, campaign = city
    criteria.forget()
    first = read_files(paths, campaign=campaign)
    texts = pd.concat([returns_from_files(first).frame(form)["problems"] for form in (F2, F3)]).dropna().unique()
    readings = [criteria.remembered(t) for t in texts]
    store = Store(f"sqlite:///{tmp_path / 'kept.db'}")
    assert store.keep(texts) == len(texts)
    criteria.forget()  # a new process on the same store
    sent: list = []
    real = read.submit
    monkeypatch.setattr(read, "submit", lambda fn, texts: sent.append(texts) or real(fn, texts))
    read_files(paths, campaign=campaign, recall=store.recall)
    assert not sent  # every text recalled: the pool reads only the files
    assert [criteria.remembered(t) for t in texts] == readings
    criteria.forget()
    monkeypatch.setenv(pool.WORKERS_ENV, "1")  # in one process the same
    read_files(paths, campaign=campaign, recall=store.recall)
    assert [criteria.remembered(t) for t in texts] == readings
    store.engine.dispose()


def test_progress_follows_the_files_in_order_over_the_pool_and_in_one_process(city, fresh_pool, monkeypatch):
    paths, campaign = city
    for workers in ("2", "1"):
        monkeypatch.setenv(pool.WORKERS_ENV, workers)
        seen = []
        files = read_files(paths, campaign=campaign, on_progress=lambda *a: seen.append(a))  # noqa: B023
        assert [done for done, _, _ in seen] == list(range(1, len(paths) + 1))
        assert {total for _, total, _ in seen} == {len(paths)}
        assert [name for _, _, name in seen] == [f.name for f in files]


def test_the_pool_starts_in_the_background_unless_told_not_to(monkeypatch):
    pool.shutdown_pool()
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    monkeypatch.setenv(pool.AT_START_ENV, "0")
    assert pool.start_in_background() is None and not pool.started(2)
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    monkeypatch.setenv(pool.AT_START_ENV, "1")
    assert pool.start_in_background() is None and not pool.started(1)  # one worker: never a pool
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    try:
        thread = pool.start_in_background()
        thread.join(60)
        assert pool.started(2)
        assert pool.start_in_background() is None  # running: not started again
        # the fork server compiled the criteria rules before forking: a worker has them without compiling
        assert pool.get_pool(2).submit(_rules_compiled).result()
    finally:
        pool.shutdown_pool()


def _rules_compiled() -> bool:
    return criteria.default_rules.cache_info().currsize == 1


def test_bytes_and_bad_files_in_a_pooled_batch_keep_their_place(city, fresh_pool):
    paths, campaign = city
    sources = [*paths[:6], ("坏.xlsx", b"%PDF-1.4"), paths[6], "/nonexistent/不存在.xlsx"]
    sources += [("好.xlsx", Path(paths[0]).read_bytes()), *paths[7:12]]
    results = read_files(sources, campaign=campaign)
    assert len(results) == len(sources)
    assert [r.name for r in results[6:10]] == ["坏.xlsx", os.path.basename(paths[6]), "不存在.xlsx", "好.xlsx"]
    assert [r.status for r in results[6:10]] == ["rejected", "ok", "rejected", "ok"]
    assert results[6].content == b"%PDF-1.4" and results[9].content == sources[9][1]
    assert all(r.ok for r in results[:6] + results[10:])


def test_workers_never_start_a_pool_of_their_own(fresh_pool):
    assert pool.workers() == 2
    assert pool.get_pool(2).submit(pool.workers).result() == 1


def test_one_worker_means_no_pool(city, monkeypatch):
    paths, campaign = city
    pool.shutdown_pool()
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    assert all(fr.ok for fr in read_files(paths, campaign=campaign))
    assert pool._pool is None


def test_a_small_batch_does_not_start_the_pool_a_large_one_does(city, monkeypatch):
    paths, campaign = city
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    pool.shutdown_pool()
    assert pool.POOL_FROM <= len(paths) < pool.START_FROM
    read_files(paths, campaign=campaign)
    assert pool._pool is None  # starting it would cost more than it saves on this batch
    monkeypatch.setattr(pool, "START_FROM", len(paths))
    read_files(paths, campaign=campaign)
    assert pool.started(2)
    pool.shutdown_pool()


def test_a_pool_that_cannot_start_leaves_the_batch_to_this_process(city, monkeypatch):
    paths, campaign = city
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    pool.shutdown_pool()
    monkeypatch.setattr(pool, "START_FROM", 1)
    monkeypatch.setattr(pool, "START_METHOD", "no-such-start-method")  # as a sandbox without processes would
    results = read_files(paths, campaign=campaign)
    assert pool.get_pool(2) is None
    assert all(fr.ok for fr in results) and len(results) == len(paths)
    pool.shutdown_pool()


def _die_in_a_worker(part):
    if pool._in_worker:
        os._exit(3)  # a worker killed mid-batch (out of memory, a crash in a native reader)
    return [x * 10 for x in part]


def test_a_worker_dying_leaves_its_chunks_to_this_process_and_the_next_batch_a_new_pool(fresh_pool):
    first = pool.get_pool(2)
    items = list(range(pool.POOL_FROM * 3))
    assert pool.map_chunks(_die_in_a_worker, items, fallback=lambda part: [x * 10 for x in part]) == [
        x * 10 for x in items
    ]
    second = pool.get_pool(2)
    assert second is not None and second is not first
    assert second.submit(pool.workers).result() == 1


def test_the_number_of_workers_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(pool.WORKERS_ENV, "3")
    assert pool.workers() == 3
    monkeypatch.setenv(pool.WORKERS_ENV, "0")
    assert pool.workers() == 1
    monkeypatch.setenv(pool.WORKERS_ENV, "many")
    assert pool.workers() >= 1
    monkeypatch.delenv(pool.WORKERS_ENV)
    assert pool.workers() == len(os.sched_getaffinity(0))


_CHILD = """
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from weakorg.campaign import load_campaign
from weakorg.read import pool, read_files


def job(campaign_path, paths):
    pool.START_FROM = 1  # this batch starts the pool in the child
    files = read_files(paths, campaign=load_campaign(campaign_path))
    return len(files), pool._pool is not None


if __name__ == "__main__":
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as ex:  # as the scale benchmark runs each phase
        print(*ex.submit(job, sys.argv[1], sys.argv[2:]).result())
"""


def test_a_multiprocessing_child_that_used_the_pool_still_exits(city, tmp_path):
    """A multiprocessing child joins its own children when it ends: the pool's workers are stopped first."""
    paths, _ = city
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    env = {**os.environ, pool.WORKERS_ENV: "2", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, str(script), str(Path(paths[0]).parent / "campaign.toml"), *paths],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert done.stdout.split() == [str(len(paths)), "True"]


def test_a_process_running_the_apps_script_as_its_main_routes_nothing(tmp_path):
    """multiprocessing runs the main script of a process it starts as __mp_main__: Streamlit's would be the router,
    whose run opens (and in a demo fills) the store; there it only imports."""
    root = Path(__file__).resolve().parent.parent
    db = tmp_path / "weakorg.db"
    env = {**os.environ, "WEAKORG_DATABASE_URL": f"sqlite:///{db}", "WEAKORG_DEMO": "1", "PYTHONPATH": str(root)}

    def run_as(name: str) -> int:
        code = f"import runpy, sys; runpy.run_path(sys.argv[1], run_name={name!r})"
        command = [sys.executable, "-c", code, str(root / "dashboard.py")]
        return subprocess.run(command, env=env, cwd=root, timeout=120, capture_output=True).returncode

    assert run_as("__mp_main__") == 0
    assert not db.exists()  # no store opened, no samples loaded
    run_as("__main__")  # the same check can fail: as Streamlit's main (here without Streamlit) the router opens it
    assert db.exists()
