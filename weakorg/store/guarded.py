"""Store methods whose database faults come out as StoreError (a Chinese message; no SQL, no values)."""

from __future__ import annotations

import functools

from weakorg.store.errors import FAULTS, store_error


def guarded(method):
    """A Store method whose database faults come out as StoreError (a Chinese message; no SQL, no values)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except BrokenPipeError:  # our own output closed (| head), not the database
            raise
        except FAULTS as exc:
            raise store_error(exc, self.url) from None  # the original (SQL, a row's values) stays out of tracebacks

    return wrapper
