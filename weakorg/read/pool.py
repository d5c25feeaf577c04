"""Reading a large batch on every core: a process pool started once per process, lazily, and reused.

``weakorg.read.read_files`` spreads a batch of at least ``POOL_FROM`` files over a started pool in
contiguous chunks (the results come back pickled, in the order of the sources); smaller batches stay in
the calling process. Starting the pool costs about 0.35 s (a fork server importing the reader,
then the workers), so a batch starts it only from ``START_FROM`` files, where it pays for itself in that
batch; a long-running process (the app) can start it beforehand with ``get_pool(workers())``.

The number of workers is the environment variable ``WEAKORG_WORKERS`` (default: the cores this process
may run on; ``1`` = never a pool). The workers are started with "forkserver" (or "spawn" where there is
no fork server), never by forking the caller: Streamlit's server runs threads, and a forked copy of a
threaded process can deadlock. If the pool cannot start (a restricted environment, no /dev/shm) or
breaks, the files are read in the calling process: a batch never fails because of the pool.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import multiprocessing.util
import os
import sys
import threading
import types
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from weakorg.logsafe import exception_line

log = logging.getLogger(__name__)

WORKERS_ENV = "WEAKORG_WORKERS"
AT_START_ENV = "WEAKORG_POOL_AT_START"  # "0": the app does not start the pool before its first large batch
POOL_FROM = 8  # a started pool of 2 reads 8 files 1.5x faster than one process, 4 files 1.1x (bench/pool.py)
START_FROM = 300  # a fresh pool (0.33 s to start) then reading: 1.1x at 353 files, 1.4x at 706 (bench/pool.py)
CHUNKS_PER_WORKER = 4  # smaller chunks even out files of different sizes; each costs a round trip
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
# Imported once in the fork server, so each worker starts with pandas loaded and the criteria rules compiled
PRELOAD = ["weakorg.read", "weakorg.read.warm"]

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_key: tuple[int, int] | None = None  # (pid that started it, workers): a forked child must not use it
_unavailable = False  # the pool could not start in this process: do not try again on every batch
_in_worker = False  # this process is a worker of the pool: it never starts a pool of its own
_starter: threading.Thread | None = None  # the thread start_in_background started, while it starts the pool


def workers() -> int:
    """How many processes read a large batch: ``WEAKORG_WORKERS`` if set, else the usable cores (1 in a worker)."""
    if _in_worker:
        return 1
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            log.warning("%s=%r is not a number of workers; using the cores", WORKERS_ENV, raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _mark_worker() -> None:
    global _in_worker
    _in_worker = True


def _pid(_: object) -> int:
    return os.getpid()


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Hide the caller's main module while workers start: each would run it again (under Streamlit, the page)."""
    main, stub = sys.modules.get("__main__"), types.ModuleType("__main__")
    sys.modules["__main__"] = stub
    try:
        yield
    finally:
        if sys.modules.get("__main__") is stub and main is not None:  # Streamlit may have set its own meanwhile
            sys.modules["__main__"] = main


def get_pool(n: int) -> ProcessPoolExecutor | None:
    """The process's pool of ``n`` workers, started on first use (every worker up); None when it cannot start."""
    global _pool, _pool_key, _unavailable
    with _lock:
        key = (os.getpid(), n)
        if _pool is not None and _pool_key == key:
            return _pool
        if _pool is not None and _pool_key[0] == os.getpid():
            _pool.shutdown(wait=False, cancel_futures=True)  # another size was asked for
        _pool = _pool_key = None  # (a pool inherited through fork belongs to the parent: left alone)
        if _unavailable:
            return None
        pool = None
        try:
            ctx = multiprocessing.get_context(START_METHOD)
            if START_METHOD == "forkserver":
                ctx.set_forkserver_preload(PRELOAD)
            pool = ProcessPoolExecutor(n, mp_context=ctx, initializer=_mark_worker)
            with _main_hidden():
                list(pool.map(_pid, range(n)))  # every worker starts now: fail here, not in the middle of a batch
        except Exception as exc:  # no semaphores, no fork server, a sandbox: read in this process
            log.warning("no process pool (%s); reading in one process", exception_line(exc))
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            _unavailable = True
            return None
        _pool, _pool_key = pool, key
        # A process that is itself a multiprocessing child exits without atexit, joining its children first:
        # stop the workers before that join, or it waits for them forever.
        multiprocessing.util.Finalize(None, shutdown_pool, exitpriority=10)
        return pool


def start_in_background() -> threading.Thread | None:
    """Start this process's pool in a thread, so a server's first batch of ``POOL_FROM`` files finds it running
    (``WEAKORG_POOL_AT_START=0``, or one worker: none started); the thread, or None."""
    global _starter
    n = workers()
    if n < 2 or os.environ.get(AT_START_ENV, "").strip() == "0" or started(n) or _unavailable:
        return None
    if _starter is not None and _starter.is_alive():  # a rerun of the page while it starts: one start is enough
        return None
    _starter = threading.Thread(target=get_pool, args=(n,), name="weakorg-pool-start", daemon=True)
    _starter.start()
    return _starter


def submit(fn: Callable, *args) -> Future | None:
    """``fn(*args)`` on this process's running pool (one is never started for it); None when none runs or it broke."""
    n = workers()
    if not started(n) or _pool is None:
        return None
    try:
        return _pool.submit(fn, *args)
    except RuntimeError:  # broken or shut down meanwhile
        return None


def started(n: int) -> bool:
    """True when this process has a pool of ``n`` workers running."""
    return _pool is not None and _pool_key == (os.getpid(), n)


def discard_pool(pool: ProcessPoolExecutor) -> None:
    """Forget a pool that broke (a worker died): the next large batch starts a new one."""
    global _pool, _pool_key
    with _lock:
        if _pool is pool:
            _pool = _pool_key = None
    pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def shutdown_pool() -> None:
    """Stop the pool's workers (at exit, or when a test wants a fresh start)."""
    global _pool, _pool_key, _unavailable
    with _lock:
        pool, key = _pool, _pool_key
        _pool = _pool_key = None
        _unavailable = False
    if pool is not None and key[0] == os.getpid():
        pool.shutdown(wait=True, cancel_futures=True)


def chunks(items: Sequence, n_workers: int) -> list[Sequence]:
    """Contiguous slices of ``items``, about ``CHUNKS_PER_WORKER`` per worker."""
    size = max(1, -(-len(items) // (n_workers * CHUNKS_PER_WORKER)))
    return [items[i : i + size] for i in range(0, len(items), size)]


def map_chunks(
    fn: Callable[[Sequence], list],
    items: Sequence,
    fallback: Callable[[Sequence], list],
    on_chunk: Callable[[list], None] | None = None,
) -> list | None:
    """``fn`` over contiguous chunks of ``items`` on the pool, results in order; None when no pool is used.

    ``on_chunk(results)`` is called with each chunk's results as they come, in order (a progress bar).
    A chunk the pool could not do (a worker died, a result would not pickle) is done by ``fallback`` in this
    process; a pool whose worker died is discarded, and the next large batch starts a new one.
    """
    n = workers()
    if n < 2 or len(items) < (POOL_FROM if started(n) else START_FROM):
        return None
    pool = get_pool(n)
    if pool is None:
        return None
    parts = chunks(items, n)
    futures: list[Future | None] = []
    for part in parts:
        try:
            futures.append(pool.submit(fn, part))
        except RuntimeError:  # the pool broke or was shut down meanwhile
            futures.append(None)
    out: list = []
    broken = False
    for part, future in zip(parts, futures, strict=True):
        try:
            if future is None:
                raise BrokenProcessPool("not submitted")
            done = future.result()
        except Exception as exc:  # this process does the chunk
            if not broken:
                why = exception_line(exc)
                log.warning("the process pool failed on %d items (%s); reading them in this process", len(part), why)
            broken = broken or isinstance(exc, BrokenProcessPool)
            done = fallback(part)
        out.extend(done)
        if on_chunk is not None:
            on_chunk(done)
    if broken:
        discard_pool(pool)
    return out
