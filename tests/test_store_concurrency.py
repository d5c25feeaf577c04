"""The store under several processes at once, and under a process killed in the middle of a store."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import types

import pytest
from sqlalchemy import func, select

from tests import store_workers as w
from weakorg.consolidate import latest
from weakorg.store import Store, schema

WORKERS, ROUNDS = 6, 5
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter per process: no inherited connections


@pytest.fixture(autouse=True)
def plain_main(monkeypatch):
    """A spawned process runs the parent's __main__ again: after an AppTest that is a page (Streamlit installs it)."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


def counts(store: Store) -> dict[str, int]:
    tables = [schema.submissions, schema.findings, *schema.frames.values()]
    with store.engine.connect() as conn:
        out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}
    return out | {"version": store.version()}


def test_concurrent_stores_keep_every_submission_exactly_once(database_url):
    store = Store(database_url)
    start, results = SPAWN.Barrier(WORKERS), SPAWN.Queue()
    procs = [
        SPAWN.Process(target=w.store_concurrently, args=(database_url, i, ROUNDS, start, results))
        for i in range(WORKERS)
    ]
    for p in procs:
        p.start()
    ids = [ids for _, ids in sorted(results.get(timeout=600) for _ in procs)]
    for p in procs:
        p.join()
    assert [p.exitcode for p in procs] == [0] * WORKERS

    files = {fr.sha256: fr for i in range(WORKERS) for fr in w.worker_files(i, ROUNDS)}
    subs = store.submissions()
    assert len(files) == WORKERS * ROUNDS * 2 + 1  # the common file counts once
    assert sorted(subs["sha256"]) == sorted(files)  # every submission there, none twice
    assert len({sid for worker in ids for sid in worker}) == len(files)
    assert store.version() == len(files)  # one bump per stored file, none lost
    common = store.submission_id(next(sha for sha, fr in files.items() if fr.name == "同一文件.xlsx"))
    assert all(worker[2] == common for worker in ids)  # every worker was given the one stored copy

    returns = store.returns()
    expected_rows = sum(len(t.rows) for fr in files.values() for t in fr.tables if t.form == "F2")
    assert len(returns.f2) == expected_rows
    assert len(returns.f1) == sum(t.form == "F1" for fr in files.values() for t in fr.tables)
    current = latest(returns.f2, ["unit"])
    shared = current[current["unit"] == w.SHARED_UNIT]
    last_day = w.shared_day(WORKERS - 1, ROUNDS - 1)
    assert shared["name"].tolist() == [f"进程{WORKERS - 1}第{ROUNDS - 1}次"]
    assert shared["reported_on"].tolist() == [last_day]
    store.engine.dispose()


def test_a_process_killed_while_storing_leaves_the_database_as_before(database_url, tmp_path):
    store = Store(database_url)
    store.add(w.large_return(3))  # something already there
    before = counts(store)
    ready = tmp_path / "ready"
    child = SPAWN.Process(target=w.store_until_paused, args=(database_url, 5000, str(ready)))
    child.start()
    while not ready.exists():
        assert child.is_alive(), "the storing process ended before it reached its transaction's end"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert child.exitcode == -signal.SIGKILL

    assert counts(store) == before
    assert store.submission_id(w.large_return(5000).sha256) is None
    sid = store.add(w.large_return(20))  # the killed writer's lock is gone
    assert counts(store)["version"] == before["version"] + 1
    assert (store.returns().f2["file_idx"] == sid).sum() == 20
    store.engine.dispose()
