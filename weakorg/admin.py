"""What the admin page (账号与日志) shows: the accounts and the audit log as tables with Chinese headers."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from weakorg import accounts, audit
from weakorg.vocab import LOCAL_TIME_LABEL, ROLES, local_time

STATE_DISABLED, STATE_LOCKED, STATE_ACTIVE = "已停用", "已锁定", "正常"
ACCOUNT_HEADERS = {
    "username": "用户名",
    "display_name": "显示名",
    "role_label": "角色",
    "units": "单位",
    "state": "状态",
}
AUDIT_HEADERS = {
    "at": f"时间（{LOCAL_TIME_LABEL}）",
    "account": "账号",
    "action": "操作",
    "outcome": "结果",
    "detail": "说明",  # what was done, before the columns most entries leave blank: in view at 1024 px
    "unit": "单位",
    "file": "文件",
    "sha256": "SHA-256",
    "origin": "来源",
}
AUDIT_TITLE = "操作日志"
NOBODY = "—"  # no account (a failed sign-in under an unknown name) or no unit
# Units kept on an account whose role reads every unit: they scope it only once it is made a 督导组.
UNITS_UNREAD = "（{role}可查看全部单位；改为督导组后按此限定）"


def state(disabled: bool, locked_until: datetime | None) -> str:
    """An account's state as a person reads it: 已停用, 已锁定 (until its lock ends) or 正常."""
    if disabled:
        return STATE_DISABLED
    if locked_until is not None and not pd.isna(locked_until) and locked_until > accounts.utc_now():
        return STATE_LOCKED
    return STATE_ACTIVE


def accounts_records(frame: pd.DataFrame) -> list[dict]:
    """``accounts.list_accounts`` as plain records: units a list, the state in words; never a password."""
    return [
        {
            "username": r["username"],
            "display_name": r["display_name"],
            "role": r["role"],
            "role_label": r["role_label"],
            "units": [u for u in r["units"].split(",") if u],
            "state": state(r["disabled"], r["locked_until"]),
        }
        for r in frame.to_dict("records")
    ]


def units_unread(units, role: str) -> str:
    """What follows an account's units when its role reads every unit (they wait for a 督导组 role), else ""."""
    return UNITS_UNREAD.format(role=ROLES[role]) if units and not accounts.scoped_role(role) else ""


def accounts_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The accounts as the admin page lists them, with Chinese headers."""
    rows = accounts_records(frame)
    for r in rows:
        r["units"] = ("、".join(r["units"]) or NOBODY) + units_unread(r["units"], r["role"])
    return pd.DataFrame(rows, columns=list(ACCOUNT_HEADERS)).rename(columns=ACCOUNT_HEADERS)


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """Audit log entries (``audit.query``) with their times in Beijing time (to the second), their actions and outcomes
    in words and Chinese headers."""
    out = log.reindex(columns=list(AUDIT_HEADERS)).copy()
    out["at"] = [local_time(at, seconds=True) for at in out["at"]]
    out["action"] = out["action"].map(lambda a: audit.ACTIONS.get(a, a))
    out["outcome"] = out["outcome"].map(lambda o: audit.OUTCOMES.get(o, o))
    out["account"] = out["account"].map(lambda a: a or NOBODY)
    return out.rename(columns=AUDIT_HEADERS)
