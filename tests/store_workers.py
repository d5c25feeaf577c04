"""What the processes of the concurrency and kill tests run (importable, so a spawned process finds them)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event

from tests.test_store import f1_table, f2_table, file_result
from weakorg.store import Store

SHARED_UNIT = "双峰县"  # every process resubmits this unit's register
OWN_UNITS = ("娄星区", "冷水江市", "涟源市", "新化县", "万宝新区", "市直机关工委", "市两新工委", "市国资委党委")
FIRST_DAY = date(2014, 3, 1)


def shared_day(worker: int, k: int) -> date:
    """The 填表时间 of the k-th resubmission of the shared unit by a worker: all distinct."""
    return FIRST_DAY + timedelta(days=worker * 10 + k)


def worker_files(worker: int, rounds: int):
    """The files one worker stores: its own unit's returns, resubmissions of the shared unit, one common file."""
    unit = OWN_UNITS[worker]
    for k in range(rounds):
        day = FIRST_DAY + timedelta(days=k)
        own = [f1_table(unit, day=day), f2_table(unit, names=(f"{unit}甲{k}", f"{unit}乙{k}"), day=day)]
        yield file_result(f"{unit}-{k}.xlsx", tables=own, unit=unit)
        names = (f"进程{worker}第{k}次",)
        shared = [f2_table(SHARED_UNIT, names=names, day=shared_day(worker, k))]
        yield file_result(f"{SHARED_UNIT}-{worker}-{k}.xlsx", tables=shared, unit=SHARED_UNIT)
        yield file_result("同一文件.xlsx", tables=[f1_table(SHARED_UNIT)], unit=SHARED_UNIT, salt="same bytes")


def store_concurrently(url: str, worker: int, rounds: int, start, results) -> None:
    """Wait for the other workers, then store this worker's files one by one; put (worker, ids) on results."""
    store = Store(url)
    start.wait()
    ids = [store.add(fr, uploaded_by=f"进程{worker}") for fr in worker_files(worker, rounds)]
    store.engine.dispose()
    results.put((worker, ids))


def large_return(rows: int):
    """A return with a large register: one F1 table and an F2 of ``rows`` organizations."""
    names = tuple(f"大村{i}党支部" for i in range(rows))
    tables = [f1_table("新化县", weak=float(rows), total=float(rows * 3)), f2_table("新化县", names=names)]
    return file_result("新化县-大表.xlsx", tables=tables, unit="新化县", salt=str(rows))


def store_until_paused(url: str, rows: int, ready: str) -> None:
    """Store a large return but stop inside its transaction, just before the version bump; never returns."""
    store = Store(url)

    def pause(conn, cursor, statement, params, context, executemany) -> None:
        if statement.lstrip().upper().startswith("UPDATE META"):
            Path(ready).write_text("in the transaction")
            while True:
                time.sleep(1)

    event.listen(store.engine, "before_cursor_execute", pause)
    store.add(large_return(rows))
