"""The objects alive when a batch starts kept out of the garbage collector's full passes until it ends.

A full collection walks every object the process holds, and most of them are the libraries' (pandas, SQLAlchemy,
Streamlit: 150,000 objects and more): 60–140 ms a pass at any size of batch, and a batch of a few dozen files
allocates enough to set one off. ``gc.freeze`` moves the objects alive at the start out of the collector's reach;
what the batch allocates is collected as usual. A cycle among the objects frozen that becomes garbage meanwhile is
collected after the batch. Nested and concurrent batches share one freeze (the first in freezes, the last out
unfreezes); a process that froze objects itself (``gc.get_freeze_count()``) is left as it is.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

_lock = threading.Lock()
_depth = 0  # batches running now under this module's freeze

F = TypeVar("F", bound=Callable)


@contextmanager
def batch_heap() -> Iterator[None]:
    """Within it, the garbage collector's full passes leave out the objects alive when the first batch began."""
    global _depth
    with _lock:
        ours = _depth > 0 or (gc.isenabled() and gc.get_freeze_count() == 0)
        if ours:
            if _depth == 0:
                gc.freeze()
            _depth += 1
    try:
        yield
    finally:
        if ours:
            with _lock:
                _depth -= 1
                if _depth == 0:
                    gc.unfreeze()


def in_batch_heap(fn: F) -> F:
    """Run ``fn`` within ``batch_heap``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with batch_heap():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
