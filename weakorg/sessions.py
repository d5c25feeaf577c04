"""Signing in: signed expiring tokens for the sessions of weakorg/accounts.py's accounts, a lock after failures.

A sign-in is a ``sessions`` row named by a token the browser keeps (``<session id>.<HMAC-SHA256 of it>``, signed
with a random key made once and kept in ``settings``). ``resume`` accepts a token only while its session is open,
younger than ``SESSION_LIFETIME`` and used within ``IDLE_LIMIT``; ``sign_out``, a new password or a disabled account
end sessions for good. Every sign-in, also a failed one, is written to the audit log in the same transaction. No
message says whether a username exists, and no password, hash or token reaches a message or the log.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from weakorg import audit
from weakorg.accounts import Account, SignInRefused, _account, _hasher, utc_now
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded

if TYPE_CHECKING:
    from weakorg.store import Store

MAX_FAILED_SIGN_INS = 5  # failed tries in a row before the account is locked
LOCK_DURATION = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)  # a sign-in never lasts longer, however active
IDLE_LIMIT = timedelta(minutes=30)  # a sign-in not used for this long has ended
LAST_SEEN_STEP = timedelta(minutes=1)  # last_seen is written at most this often (not on every rerun)
TOKEN_KEY = "token_key"  # the settings row holding the key that signs tokens

SIGN_IN_REFUSED = (
    f"用户名或密码不正确，或账号已停用、已暂时锁定（连续输错 {MAX_FAILED_SIGN_INS} 次锁定 "
    f"{int(LOCK_DURATION.total_seconds() // 60)} 分钟）。请核对后重试；仍无法登录请联系管理员。"
)
SESSION_IDLE = f"超过 {int(IDLE_LIMIT.total_seconds() // 60)} 分钟没有操作，登录已失效，请重新登录。"
SESSION_EXPIRED = f"登录已超过 {int(SESSION_LIFETIME.total_seconds() // 3600)} 小时，请重新登录。"
SESSION_ENDED = "登录已失效（已退出登录、密码已更改或账号已停用），请重新登录。"
# Why a sign-in failed, for the audit log (never shown to the person signing in).
WRONG_PASSWORD, LOCKED, DISABLED, UNKNOWN_USER = "密码错误", "账号已锁定", "账号已停用", "用户名不存在"


# --- signing in ----------------------------------------------------------------------------------


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))  # verified against when the username is unknown: the same time spent


def _token_key(store: Store) -> bytes:
    """The key that signs tokens: made once per database, kept in ``settings``."""
    s = schema.settings
    with store.engine.connect() as conn:
        key = conn.execute(select(s.c.value).where(s.c.key == TOKEN_KEY)).scalar()
    if key is None:
        try:
            with store.writer.begin() as conn:
                conn.execute(insert(s).values(key=TOKEN_KEY, value=secrets.token_hex(32)))
        except IntegrityError:
            pass  # another process made it first
        with store.engine.connect() as conn:
            key = conn.execute(select(s.c.value).where(s.c.key == TOKEN_KEY)).scalar_one()
    return bytes.fromhex(key)


def _signature(key: bytes, session_id: str) -> str:
    digest = hmac.new(key, session_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _session_id(store: Store, token: str | None) -> str | None:
    """The session a token names, if its signature is right."""
    if not isinstance(token, str):
        return None
    session_id, dot, signature = token.partition(".")
    if not dot or not session_id or len(session_id) > 64:
        return None
    return session_id if hmac.compare_digest(signature, _signature(_token_key(store), session_id)) else None


@_guarded
def sign_in(
    store: Store, username: str, password: str, origin: str | None = None, now: datetime | None = None
) -> tuple[Account, str]:
    """The account and a new token when the password is right and the account enabled and unlocked.

    Anything else is SignInRefused with one message that does not say whether the username exists.
    Every try is written to the audit log; ``MAX_FAILED_SIGN_INS`` failures in a row lock the
    account for ``LOCK_DURATION``.
    """
    now = now or utc_now()
    username = (username or "").strip()
    u = schema.users
    with store.writer.begin() as conn:
        row = conn.execute(select(u).where(u.c.username == username).with_for_update()).first()
        try:
            _hasher.verify(row.password_hash if row is not None else _dummy_hash(), password or "")
            right = row is not None
        except (VerificationError, InvalidHashError):
            right = False
        locked = row is not None and row.locked_until is not None and row.locked_until > now
        if row is None or not right or locked or row.disabled:
            reason = UNKNOWN_USER if row is None else DISABLED if row.disabled else LOCKED if locked else WRONG_PASSWORD
            if reason == WRONG_PASSWORD:
                failed = row.failed_attempts + 1
                lock = failed >= MAX_FAILED_SIGN_INS
                values = {"failed_attempts": 0, "locked_until": now + LOCK_DURATION} if lock else {}
                conn.execute(update(u).where(u.c.id == row.id).values(**(values or {"failed_attempts": failed})))
                reason += "，账号已锁定" if lock else f"（连续第 {failed} 次）"
            who = None if row is None else row.username  # an unknown name may be a password typed in the wrong box
            audit.append(
                conn, account=who, action=audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail=reason, origin=origin
            )
            failure = True
        else:
            values = {"failed_attempts": 0, "locked_until": None}
            if _hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = _hasher.hash(password)
            conn.execute(update(u).where(u.c.id == row.id).values(**values))
            session_id = secrets.token_urlsafe(32)
            conn.execute(
                insert(schema.sessions).values(
                    id=session_id, username=row.username, issued_at=now, last_seen=now, origin=origin
                )
            )
            audit.append(conn, account=row.username, action=audit.SIGN_IN, origin=origin, at=now)
            failure = False
    if failure:
        raise SignInRefused(SIGN_IN_REFUSED)
    return _account(row), f"{session_id}.{_signature(_token_key(store), session_id)}"


@_guarded
def resume(store: Store, token: str | None, now: datetime | None = None) -> Account:
    """The account a token signs in, while its session is open, not expired and not idle; else SignInRefused."""
    now = now or utc_now()
    session_id = _session_id(store, token)
    if session_id is None:
        raise SignInRefused(SESSION_ENDED)
    s, u = schema.sessions, schema.users
    with store.engine.connect() as conn:
        session = conn.execute(select(s).where(s.c.id == session_id)).first()
        user = None if session is None else conn.execute(select(u).where(u.c.username == session.username)).first()
    if session is None or session.ended_at is not None:
        raise SignInRefused(SESSION_ENDED)
    expired = now - session.issued_at > SESSION_LIFETIME
    idle = now - session.last_seen > IDLE_LIMIT
    if expired or idle or now - session.last_seen >= LAST_SEEN_STEP:
        with store.writer.begin() as conn:
            values = {"ended_at": now} if expired or idle else {"last_seen": now}
            conn.execute(update(s).where(s.c.id == session_id, s.c.ended_at.is_(None)).values(**values))
    if expired or idle:  # said first: the note a person who walked away needs
        raise SignInRefused(SESSION_EXPIRED if expired else SESSION_IDLE)
    if user is None or user.disabled or user.password_changed_at > session.issued_at:
        raise SignInRefused(SESSION_ENDED)
    return _account(user)


@_guarded
def sign_out(store: Store, token: str | None, origin: str | None = None, now: datetime | None = None) -> None:
    """End the session the token names, for good (the same token never signs in again)."""
    now = now or utc_now()
    session_id = _session_id(store, token)
    if session_id is None:
        return
    s = schema.sessions
    with store.writer.begin() as conn:
        session = conn.execute(select(s).where(s.c.id == session_id)).first()
        if session is None or session.ended_at is not None:
            return
        conn.execute(update(s).where(s.c.id == session_id).values(ended_at=now))
        audit.append(conn, account=session.username, action=audit.SIGN_OUT, origin=origin, at=now)
