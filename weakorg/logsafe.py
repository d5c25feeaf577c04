"""Exceptions in log lines without their text: a message may quote a cell (a secretary's name, a phone)."""

from __future__ import annotations

import traceback


def exception_line(exc: BaseException) -> str:
    """The exception's class and where it was raised (file:line of each frame), never its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames[-6:]))
    return f"{type(exc).__name__}" + (f" at {where}" if where else "")
