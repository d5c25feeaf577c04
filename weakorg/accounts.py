"""Local accounts and roles: argon2 password hashes, who may do what, and the checks before an action.

Accounts live in the store's ``users`` table; signing in and its sessions are weakorg/sessions.py's. Account changes
are written to the audit log in the same transaction as the change; a new password or a disabled account ends the
account's sessions. No message says whether a username exists, and no password or hash reaches a message or the log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd
from argon2 import PasswordHasher
from sqlalchemy import false, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from weakorg import audit
from weakorg.passwords import check_password
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded
from weakorg.vocab import ADMIN, MANAGE_ACCOUNTS, PERMISSIONS, READ_ALL, ROLE_PERMISSIONS, ROLES, VIEW_AUDIT

if TYPE_CHECKING:
    from weakorg.campaign import Campaign
    from weakorg.store import Store

SCOPE_NEEDED = (
    "督导组账号须指定可查看的填报单位（至少一个）：在页面上选择，或在命令行指定"
    "（user add 用 --units 双峰县,新化县；user set-units 用户名 双峰县,新化县）。"
)
ROLE_SCOPE_NEEDED = (
    "改为督导组之前，请先为该账号指定可查看的填报单位（至少一个）：页面上用“修改单位”，"
    "或在命令行运行 python -m weakorg user set-units {name} 双峰县,新化县。"
)
USERNAME = re.compile(r"[\w.\-@]{1,64}")  # letters (Chinese too), digits, . - _ @
UNIT_SEPARATORS = re.compile(r"[,，、;；\s]+")

LAST_ADMIN = (
    "不能停用最后一个启用的管理员，也不能改变其角色：否则再没有人能管理账号。"
    "请先新建或启用另一个管理员账号，再修改此账号。"
)
SIGN_IN_AGAIN = "登录已失效或账号已停用，操作没有执行：请重新登录后再试。"
NOT_PERMITTED = "当前账号（{role}）无权{what}，操作没有执行：请换用有此权限的账号，或请管理员调整角色。"
NOT_YOUR_UNITS = "当前账号只能处理本账号负责的填报单位，{units} 不在其中，操作没有执行。"
FIRST_ADMIN_COMMAND = "python -m weakorg user add 用户名 --role 管理员"  # typed on the server, as it stands
DEMO_NO_ACCOUNTS = (
    f"演示模式下不能新建或修改账号：正式账号请在服务器上用 `{FIRST_ADMIN_COMMAND}` 建立（先建立第一个管理员）。"
)
SIGNED_IN_ONLY = frozenset({MANAGE_ACCOUNTS, VIEW_AUDIT})  # never without a real sign-in, not even in a demo
# What each permission lets one do, as a refusal names it (无权…).
PERMISSION_WORDS = {
    "read": "查看数据",
    "read_all": "查看全部填报单位",
    "download": "下载",
    "upload": "上传报送",
    "save": "保存报送",
    "explain": "说明警告",
    "correct": "改归填报单位",
    "confirm": "确认填表时间",
    "export": "导出",
    "reveal_phone": "查看完整电话",
    "withdraw": "撤回报送",
    "manage_accounts": "管理账号",
    "manage_campaign": "维护整顿工作配置",
    "view_audit": "查看操作日志",
}

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A request about accounts that cannot be done; ``message`` says in Chinese what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SignInRefused(AccountError):
    """A sign-in refused, or a token that no longer opens a session; ``message`` is shown as is."""


@dataclass(frozen=True)
class Account:
    """A signed-in person: who, their role, and the units they may see (None: all)."""

    username: str
    display_name: str
    role: str
    units: frozenset[str] | None
    demo: bool = False  # a one-click 体验 of a role in demo mode: no row in the store, never a real account

    @property
    def role_label(self) -> str:
        """The role's Chinese name."""
        return ROLES.get(self.role, self.role)

    @property
    def scope(self) -> tuple[str, ...] | None:
        """The units as the store's scoped reads take them (sorted), None for all."""
        return None if self.units is None else tuple(sorted(self.units))


def can(account: Account | None, permission: str) -> bool:
    """Whether the account's role grants the permission (nobody signed in: no)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission: {permission!r}")
    return account is not None and permission in ROLE_PERMISSIONS.get(account.role, frozenset())


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- roles, units, names -------------------------------------------------------------------------


def parse_role(text: str) -> str:
    """A role's key from its key or its Chinese name (分析员 or analyst)."""
    text = (text or "").strip()
    if text in ROLES:
        return text
    for key, label in ROLES.items():
        if text == label:
            return key
    raise AccountError(f"没有“{text}”这个角色：请写 {'、'.join(ROLES.values())} 之一。")


def parse_units(units: str | Iterable[str], campaign: Campaign | None = None) -> tuple[str, ...]:
    """Canonical unit names from a list or a text (双峰县,新化县); names the campaign does not know are refused."""
    from weakorg.campaign import default_campaign

    campaign = campaign or default_campaign()
    names = UNIT_SEPARATORS.split(units) if isinstance(units, str) else list(units)
    names = [n.strip() for n in names if n and n.strip()]
    found = {n: campaign.canonical_unit(n) for n in names}
    unknown = [n for n, c in found.items() if c is None]
    if unknown:
        raise AccountError(
            f"整顿工作配置中没有这些填报单位：{'、'.join(unknown)}。请写填报单位的规范名称，如"
            f"{'、'.join(campaign.unit_names[:2])}。"
        )
    return tuple(sorted(set(found.values())))


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise AccountError("用户名须为 1 至 64 个字母、汉字、数字或 . _ - @，不含空格。")
    return username


def scoped_role(role: str) -> bool:
    """Whether a role sees only the units given to it (a 督导组; a role this code does not know too)."""
    return READ_ALL not in ROLE_PERMISSIONS.get(role, frozenset())


def _account(row) -> Account:
    units = frozenset(u for u in row.units.split(",") if u)
    reads_all = not scoped_role(row.role)
    return Account(row.username, row.display_name, row.role, None if reads_all else units)


def _no_such(username: str) -> AccountError:
    return AccountError(f"没有用户名为“{username}”的账号：用 python -m weakorg user list 查看已有账号。")


# --- managing accounts -----------------------------------------------------------------------------


@_guarded
def has_accounts(store: Store) -> bool:
    """Whether any account exists (none: the app runs as a demo, without sign-in)."""
    with store.engine.connect() as conn:
        return conn.execute(select(schema.users.c.id).limit(1)).first() is not None


@_guarded
def get(store: Store, username: str) -> Account | None:
    """The account of that username, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
    return None if row is None else _account(row)


@_guarded
def list_accounts(store: Store) -> pd.DataFrame:
    """Every account (never its password): username, display name, role, units, disabled, locked until, created."""
    u = schema.users
    cols = (u.c.username, u.c.display_name, u.c.role, u.c.units, u.c.disabled, u.c.locked_until, u.c.created_at)
    with store.engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(u.c.username)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=[c.name for c in cols])
    frame.insert(3, "role_label", frame["role"].map(ROLES))
    return frame


@_guarded
def create(
    store: Store,
    username: str,
    password: str,
    role: str,
    units: str | Iterable[str] = (),
    display_name: str = "",
    by: Account | str | None = None,
    campaign: Campaign | None = None,
    origin: str | None = None,
) -> Account:
    """Make a new account; a taken username, an unknown role or unit, or a short password is an AccountError.
    ``by`` and ``origin`` (where the request came from) go to the audit log with the change, as for every change."""
    username, role = _check_username(username), parse_role(role)
    password, unit_names = check_password(password, username), parse_units(units, campaign)
    scoped = scoped_role(role)
    if scoped and not unit_names:  # it would see nothing at all: said now, not on its first sign-in
        raise AccountError(SCOPE_NEEDED)
    unit_names = unit_names if scoped else ()  # a role that reads every unit keeps no list that would mislead
    if (other := _taken_in_another_case(store, username)) is not None:
        raise AccountError(f"已有用户名“{other}”，与“{username}”仅大小写不同，容易混淆，请换一个。")
    now = utc_now()
    row = {
        "username": username,
        "display_name": (display_name or "").strip() or username,
        "role": role,
        "units": ",".join(unit_names),
        "password_hash": _hasher.hash(password),
        "disabled": False,
        "failed_attempts": 0,
        "created_at": now,
        "password_changed_at": now,
    }
    detail = f"新建账号 {username}（{ROLES[role]}）" + (f"，单位：{'、'.join(unit_names)}" if unit_names else "")
    try:
        with store.writer.begin() as conn:
            conn.execute(insert(schema.users).values(**row))
            audit.append(conn, account=by, action=audit.ACCOUNT_CHANGE, detail=detail, at=now, origin=origin)
    except IntegrityError:
        raise AccountError(f"用户名“{username}”已被使用，请换一个。") from None
    return get(store, username)


def _taken_in_another_case(store: Store, username: str) -> str | None:
    """The username of an account that differs from this one in letter case only (fenxi1 beside Fenxi1), or None."""
    u = schema.users
    with store.engine.connect() as conn:
        names = conn.execute(select(u.c.username).where(func.lower(u.c.username) == username.lower())).scalars()
        return next((n for n in names if n != username), None)


def _change(
    store: Store,
    username: str,
    values: dict,
    detail: str,
    by,
    end_sessions: bool = False,
    keep_admin: bool = False,
    origin: str | None = None,
) -> None:
    now = utc_now()
    with store.writer.begin() as conn:
        if keep_admin:
            _keep_an_admin(conn, username)
        done = conn.execute(update(schema.users).where(schema.users.c.username == username).values(**values))
        if done.rowcount == 0:
            raise _no_such(username)
        if end_sessions:
            _end_all(conn, username, now)
        audit.append(conn, account=by, action=audit.ACCOUNT_CHANGE, detail=detail, at=now, origin=origin)


def _keep_an_admin(conn, username: str) -> None:
    """In a change that takes an account's admin role or disables it: refused when it is the last enabled admin."""
    u = schema.users
    enabled = select(u.c.username).where(u.c.role == ADMIN, u.c.disabled == false()).with_for_update()
    if list(conn.execute(enabled).scalars()) == [username]:
        raise AccountError(LAST_ADMIN)


def _end_all(conn, username: str, now: datetime) -> None:
    s = schema.sessions
    conn.execute(update(s).where(s.c.username == username, s.c.ended_at.is_(None)).values(ended_at=now))


@_guarded
def set_role(
    store: Store, username: str, role: str, by: Account | str | None = None, origin: str | None = None
) -> None:
    """Give the account another role (its open sessions take it at their next run)."""
    role = parse_role(role)
    with store.engine.connect() as conn:  # the units set for it (a role that reads everything keeps them unread)
        stored = conn.execute(select(schema.users.c.units).where(schema.users.c.username == username)).scalar()
    if stored is not None and scoped_role(role) and not stored.strip(","):
        raise AccountError(ROLE_SCOPE_NEEDED.format(name=username))  # a 督导组 with no unit would see nothing
    detail = f"账号 {username} 的角色改为{ROLES[role]}"
    _change(store, username, {"role": role}, detail, by, keep_admin=role != ADMIN, origin=origin)


@_guarded
def set_units(
    store: Store,
    username: str,
    units: str | Iterable[str],
    by: Account | str | None = None,
    campaign: Campaign | None = None,
    origin: str | None = None,
) -> tuple[str, ...]:
    """Set the units a scoped account (督导组) may see; the canonical names set. None for a 督导组 is refused: it would
    see nothing (SCOPE_NEEDED), as it is never made without."""
    names = parse_units(units, campaign)
    current = get(store, username)
    if not names and current is not None and scoped_role(current.role):
        raise AccountError(SCOPE_NEEDED)
    detail = f"账号 {username} 的单位改为：{'、'.join(names) or '无'}"
    _change(store, username, {"units": ",".join(names)}, detail, by, origin=origin)
    return names


@_guarded
def reset_password(
    store: Store, username: str, password: str, by: Account | str | None = None, origin: str | None = None
) -> None:
    """Set a new password, unlock the account and end its sessions."""
    values = {
        "password_hash": _hasher.hash(check_password(password, username)),
        "password_changed_at": utc_now(),
        "failed_attempts": 0,
        "locked_until": None,
    }
    _change(store, username, values, f"重设账号 {username} 的密码", by, end_sessions=True, origin=origin)


WRONG_OLD_PASSWORD = "原密码不正确，密码未修改。"
SAME_PASSWORD = "新密码与原密码相同，密码未修改。"


@_guarded
def change_own_password(store: Store, username: str, old: str, new: str, origin: str | None = None) -> None:
    """A signed-in user's own new password, given the one it replaces; every session of the account ends (it signs
    in again with the new one). A wrong old password or a weak new one is an AccountError and changes nothing."""
    from argon2.exceptions import InvalidHashError, VerificationError

    u = schema.users
    with store.engine.connect() as conn:
        stored = conn.execute(select(u.c.password_hash).where(u.c.username == username)).scalar()
    if stored is None:
        raise _no_such(username)
    try:
        _hasher.verify(stored, old or "")
    except (VerificationError, InvalidHashError):
        raise AccountError(WRONG_OLD_PASSWORD) from None
    if new == old:
        raise AccountError(SAME_PASSWORD)
    values = {"password_hash": _hasher.hash(check_password(new, username)), "password_changed_at": utc_now()}
    _change(store, username, values, f"账号 {username} 修改了自己的密码", username, end_sessions=True, origin=origin)


@_guarded
def set_disabled(
    store: Store, username: str, disabled: bool = True, by: Account | str | None = None, origin: str | None = None
) -> None:
    """Disable an account (it cannot sign in, its sessions end) or enable it again; never the last enabled admin."""
    detail = f"{'停用' if disabled else '启用'}账号 {username}"
    values = {"disabled": disabled} | ({} if disabled else {"failed_attempts": 0, "locked_until": None})  # unlocked too
    _change(store, username, values, detail, by, end_sessions=disabled, keep_admin=disabled, origin=origin)


# --- acting ----------------------------------------------------------------------------------------


@_guarded
def authorize(store: Store, account: Account | None, permission: str, units: Iterable[str | None] = ()) -> None:
    """Just before an action, on the server: an AccountError in Chinese unless whoever acts may still do it.

    With accounts in the store the account is read again (a form drawn before a change of role, a
    disabled account or an ended demo must not act) and a scoped account acts only on its own ``units``.
    With none (a demo) anybody may act, as the role of a one-click 体验 when one is chosen, but nobody
    makes accounts there.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission: {permission!r}")
    if not has_accounts(store):
        if account is not None and not account.demo:
            raise AccountError(SIGN_IN_AGAIN)
        if permission == MANAGE_ACCOUNTS or (account is None and permission in SIGNED_IN_ONLY):
            raise AccountError(DEMO_NO_ACCOUNTS)
        actor = account
    else:
        actor = None if account is None or account.demo else enabled(store, account.username)
        if actor is None:
            raise AccountError(SIGN_IN_AGAIN)
    if actor is None:
        return
    if not can(actor, permission):
        what = PERMISSION_WORDS.get(permission, permission)
        raise AccountError(NOT_PERMITTED.format(role=actor.role_label, what=what))
    units = list(units)
    foreign = sorted({u for u in units if u} - set(actor.units)) if actor.units is not None else []
    if foreign or (actor.units is not None and any(not u for u in units)):
        raise AccountError(NOT_YOUR_UNITS.format(units="、".join(foreign) or "单位未识别的文件"))


def enabled(store: Store, username: str) -> Account | None:
    """The account as the store has it now, None when it is gone or disabled."""
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
    return None if row is None or row.disabled else _account(row)
