"""The audit log: who did what, when, to what and from where; append-only.

``record`` is the only function that writes the ``audit_log`` table and it only inserts: no code
path updates or deletes an entry (tests/test_audit.py greps weakorg/ for one). Actions are named
once here. A password never reaches the log: no function here takes one, and text is kept to
what the caller names (an account's username, a unit, a file, a reason).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import insert, or_, select

from weakorg.privacy import mask_text
from weakorg.read.hygiene import strip_controls
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded
from weakorg.vocab import LOCAL_TZ

if TYPE_CHECKING:
    from weakorg.accounts import Account
    from weakorg.store import Store

# Actions, each with the words an admin reads.
SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
SAVE, WITHDRAW, CONFIRM, EXPLAIN, CORRECT = "save", "withdraw", "confirm", "explain", "correct"
REASSIGN = "reassign"  # a file assigned to another unit (改归)
REVEAL, DOWNLOAD, EXPORT, ACCOUNT_CHANGE = "reveal", "download", "export", "account_change"
ACTIONS = {
    SIGN_IN: "登录",
    SIGN_IN_FAILED: "登录失败",
    SIGN_OUT: "退出登录",
    SAVE: "保存报送",
    WITHDRAW: "撤回报送",
    CONFIRM: "确认报送",
    REASSIGN: "改归填报单位",
    EXPLAIN: "说明问题",
    CORRECT: "更正判读",
    REVEAL: "查看完整电话",
    DOWNLOAD: "下载",
    EXPORT: "导出",
    ACCOUNT_CHANGE: "账号变更",
}
OK, REFUSED = "ok", "refused"
OUTCOMES = {OK: "成功", REFUSED: "被拒绝"}
HELD_DETAIL = "填表时间超出范围，经确认后才生效"  # a save whose return is held for its date
REUPLOAD_DETAIL = "撤回后再次上传，重新生效"  # a save of the bytes of a withdrawn submission
CLI_ACCOUNT = "（命令行）"  # who acted when the command line made an account change
COLUMNS = ("id", "at", "account", "action", "outcome", "unit", "file", "sha256", "detail", "origin")


def _who(account: Account | str | None) -> str:
    name = account if isinstance(account, str) or account is None else account.username
    return strip_controls(name or "")[0][:64]


UNITS_JOIN = "、"  # an entry about several units names them all in its 单位, joined


def units_text(units) -> str | None:
    """The 单位 of an entry about these units (one, several joined by UNITS_JOIN, or None for none named)."""
    if units is None or isinstance(units, str):
        return units
    return UNITS_JOIN.join(sorted(dict.fromkeys(units))) or None


def _text(value: object) -> str | None:
    return None if value is None else strip_controls(str(value))[0]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def values(
    account: Account | str | None,
    action: str,
    outcome: str = OK,
    unit: str | None = None,
    file: str | None = None,
    sha256: str | None = None,
    detail: str | None = None,
    origin: str | None = None,
    at: datetime | None = None,
) -> dict:
    """The row ``record`` would append (for callers that append it inside their own transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome: {outcome!r}")
    return {
        "at": at or _now(),
        "account": _who(account),
        "action": action,
        "outcome": outcome,
        "unit": _text(unit),
        "file": _text(file),
        "sha256": sha256,
        "detail": _text(mask_text(detail)),  # a reason typed with a phone in it: never in the log in full
        "origin": _text(origin),
    }


LOCAL_ORIGIN = "127.0.0.1"  # the machine itself (Streamlit gives no peer address for a local connection)
_ADDRESS = re.compile(r"[0-9A-Fa-f:.]{2,45}")  # an IPv4 or IPv6 address, nothing else


def request_origin(peer: str | None, headers: Mapping[str, str] | None = None) -> str | None:
    """Where a request comes from: the peer's address; from the machine itself (no peer address: a local reverse
    proxy, as the README advises, or a browser on the server) the client the proxy names (the first address of
    X-Forwarded-For, or X-Real-IP), else the machine. A header that is not an address is ignored."""
    if peer:
        return peer
    named = {k.lower(): v for k, v in (headers or {}).items()}
    for said in ((named.get("x-forwarded-for") or "").split(",")[0], named.get("x-real-ip") or ""):
        if _ADDRESS.fullmatch(said.strip()):
            return said.strip()
    return LOCAL_ORIGIN


def append(conn, **row) -> None:
    """Append one entry on an open connection (its transaction commits it with the change it records)."""
    conn.execute(insert(schema.audit_log).values(**values(**row)))


@_guarded
def record(
    store: Store,
    account: Account | str | None,
    action: str,
    outcome: str = OK,
    unit: str | None = None,
    file: str | None = None,
    sha256: str | None = None,
    detail: str | None = None,
    origin: str | None = None,
) -> None:
    """Append one entry to the audit log (an unknown action or outcome is a ValueError)."""
    with store.writer.begin() as conn:
        append(conn, account=account, action=action, outcome=outcome, unit=unit, file=file, sha256=sha256,
               detail=detail, origin=origin)  # fmt: skip


def _start(day: date | datetime) -> datetime:
    """A moment as the store keeps it (naive UTC): a datetime as given, a date the start of that day in Beijing time
    (the day users read in the log)."""
    if isinstance(day, datetime):
        return day
    return datetime.combine(day, time()) - LOCAL_TZ.utcoffset(None)


@_guarded
def query(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    account: str | None = None,
    action: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """The entries that match every filter given, oldest first (``until`` a date includes that whole day)."""
    t = schema.audit_log
    stmt = select(*(t.c[c] for c in COLUMNS)).order_by(t.c.id)
    if since is not None:
        stmt = stmt.where(t.c.at >= _start(since))
    if isinstance(until, datetime):
        stmt = stmt.where(t.c.at <= until)
    elif until is not None:
        stmt = stmt.where(t.c.at < _start(until) + timedelta(days=1))
    if account is not None:
        stmt = stmt.where(t.c.account == account)
    if action is not None:
        stmt = stmt.where(t.c.action == action)
    if unit is not None:  # the unit alone, or among the units an entry names
        j = UNITS_JOIN
        stmt = stmt.where(
            or_(
                t.c.unit == unit,
                t.c.unit.startswith(unit + j, autoescape=True),
                t.c.unit.endswith(j + unit, autoescape=True),
                t.c.unit.contains(j + unit + j, autoescape=True),
            )
        )
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))
