"""The objects alive when a batch starts are kept out of the collector's full passes until it ends."""

from __future__ import annotations

import gc
import threading

from weakorg.read import heap


def test_a_batch_freezes_the_heap_once_and_unfreezes_it_at_the_end():
    assert gc.get_freeze_count() == 0
    with heap.batch_heap():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with heap.batch_heap():  # a batch within a batch (the store's checks): the same freeze
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0


def test_what_a_batch_allocates_is_still_collected():
    with heap.batch_heap():
        a, b = [], []
        a.append(b), b.append(a)
        del a, b
        assert gc.collect() >= 2


def test_an_error_in_the_batch_unfreezes_the_heap():
    try:
        with heap.batch_heap():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_is_left_as_it_is():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with heap.batch_heap():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen  # not unfrozen by the batch
    finally:
        gc.unfreeze()


def test_concurrent_batches_share_one_freeze():
    inside, release = threading.Barrier(3), threading.Event()

    def batch():
        with heap.batch_heap():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=batch) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert gc.get_freeze_count() > 0
    release.set()
    for t in threads:
        t.join()
    assert gc.get_freeze_count() == 0


def test_the_pipeline_entry_points_run_in_the_batch_heap():
    from weakorg.checks import run_checks
    from weakorg.consolidate import consolidate
    from weakorg.read import read_files
    from weakorg.store import Store

    for fn in (read_files, run_checks, consolidate, Store.__init__, Store.add_many):
        assert _wraps_batch_heap(fn), fn


def _wraps_batch_heap(fn) -> bool:
    """Whether ``fn`` or a function it wraps is ``in_batch_heap``'s wrapper."""
    while fn is not None:
        if getattr(fn, "__code__", None) is heap.in_batch_heap(lambda: None).__code__:
            return True
        fn = getattr(fn, "__wrapped__", None)
    return False
