"""Database faults as one exception with a Chinese message: what happened, where, and what to do.

Every fault of the store (a damaged, emptied or unreadable SQLite file, a PostgreSQL server that is down,
a full disk, a schema newer than this code, a value the database refuses) comes out of
``weakorg.store.Store`` as a ``StoreError``. Its message and its ``repr`` carry no SQL, no bound
values and no text of the driver's error (PostgreSQL puts the refused row, names and phones
included, in its DETAIL): only a kind code, the database's location and a sanitized code (the
driver's error class and its SQLSTATE or SQLite error name). The original exception is kept
on ``original`` for ``--debug``; it is never shown or logged otherwise.
"""

from __future__ import annotations

import errno
import logging
import sqlite3

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

log = logging.getLogger(__name__)

ENV_HINT = "环境变量 WEAKORG_DATABASE_URL"

# The kinds of fault, each with what to tell the user ({where}: the database; {code}: the sanitized code).
CORRUPT = "CORRUPT"
EMPTY_FILE = "EMPTY_FILE"
NOT_THERE = "NOT_THERE"
CANNOT_OPEN = "CANNOT_OPEN"
UNAVAILABLE = "UNAVAILABLE"
LOGIN = "LOGIN"
BAD_URL = "BAD_URL"
NEWER_SCHEMA = "NEWER_SCHEMA"
SCHEMA = "SCHEMA"
READ_ONLY = "READ_ONLY"
FULL = "FULL"
IO = "IO"
BUSY = "BUSY"
REFUSED = "REFUSED"
FAILED = "FAILED"

_UNCHANGED = "未完成的保存不会留下任何内容，数据库保持原样。"
MESSAGES = {
    NOT_THERE: (
        "没有这个数据库文件：{where}。查看、撤回等操作不会新建数据库：请检查 --db 或"
        f"{ENV_HINT} 是否写对（新数据库由 load 保存第一批报表、或 user add 建立第一个账号时建立）。"
    ),
    CORRUPT: "数据库文件已损坏，无法打开：{where}。请从备份恢复，或移走该文件后重新启动（将建立一个新的数据库）。",
    EMPTY_FILE: (
        "数据库文件是空的（0 字节）：{where}。它可能在复制、恢复或磁盘出错时被清空；"
        "为免把空文件当作新数据库而丢失原有数据，weakorg 不会打开它。"
        "请从备份恢复该文件；如确实要从头开始，请删除该文件后重新启动。"
    ),
    CANNOT_OPEN: (
        "无法打开数据库文件：{where}。该路径可能是一个目录、所在目录无法创建，或运行 weakorg 的用户没有读写权限。"
        f"请检查该路径及其权限，或用{ENV_HINT} 指定另一个数据库。"
    ),
    UNAVAILABLE: (
        "无法连接数据库：{where}。请确认 PostgreSQL 服务已启动，地址、端口、用户名、密码和数据库名都正确，然后重试；"
        "仍无法连接请联系系统管理员。"
    ),
    LOGIN: f"数据库拒绝连接（用户名、密码或数据库名不对，或没有访问权限）：{{where}}。请检查{ENV_HINT}。",
    BAD_URL: (
        f"数据库地址无法识别，或缺少对应的数据库驱动。请检查{ENV_HINT}"
        "（例如 sqlite:///data/weakorg.db 或 postgresql+psycopg://用户@主机/weakorg）。"
    ),
    NEWER_SCHEMA: (
        "数据库由更新版本的 weakorg 建立（数据库结构版本 {revision}，本程序只认识到 {head}）：{where}。"
        "请升级 weakorg 后再打开；不要用本版本改写它。"
    ),
    SCHEMA: (
        "数据库的结构与本程序不符（缺少表，或结构版本记录无法识别）：{where}。"
        f"请确认{ENV_HINT} 指向 weakorg 的数据库，必要时从备份恢复。"
    ),
    READ_ONLY: (
        "数据库只读，无法保存：{where}。请给运行 weakorg 的用户该数据库（SQLite：文件及其所在目录）的写权限后重试。"
        + _UNCHANGED
    ),
    FULL: "磁盘空间已满，数据库无法写入：{where}。" + _UNCHANGED + "请清理磁盘空间（或请管理员扩容）后重新保存。",
    IO: (
        "读写数据库文件时出错（磁盘可能已满、出现故障或超出文件大小限制）：{where}。"
        + _UNCHANGED
        + "请检查磁盘后重试。"
    ),
    BUSY: "数据库正忙（另一个程序正在写入）：{where}。" + _UNCHANGED + "请稍后重试。",
    REFUSED: (
        "数据库拒绝保存该文件中的数据（错误代码 {code}），该文件没有保存，数据库保持原样。"
        "请把该文件和错误代码告知系统管理员。"
    ),
    FAILED: (
        "数据库出错（错误代码 {code}），操作没有完成，数据库保持原样：{where}。"
        "请稍后重试；仍然出错请把错误代码告知系统管理员。"
    ),
}
# Faults after which the store cannot be used at all (as opposed to one operation that failed).
UNUSABLE = frozenset({NOT_THERE, CORRUPT, EMPTY_FILE, CANNOT_OPEN, UNAVAILABLE, LOGIN, BAD_URL, NEWER_SCHEMA, SCHEMA})


class StoreError(Exception):
    """A database fault: ``kind`` (a code above), ``message`` (Chinese, no personal data), ``code`` (sanitized)."""

    def __init__(self, kind: str, place: str = "", code: str = "", original: BaseException | None = None, **extra):
        self.kind, self.where, self.code, self.original = kind, place, code, original
        self.message = MESSAGES[kind].format(where=place or "（未知）", code=code or kind, **extra)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind}, {self.code or '-'})"


class StoreUnavailable(StoreError):
    """A fault after which the database cannot be used at all: it cannot be opened, reached or understood."""


def make_error(kind: str, place: str = "", code: str = "", original: BaseException | None = None, **extra):
    """A StoreError of this kind (StoreUnavailable when the store cannot be used at all)."""
    cls = StoreUnavailable if kind in UNUSABLE else StoreError
    return cls(kind, place, code, original, **extra)


def location(url: str | URL) -> str:
    """The database as the user names it: a SQLite file's path, else the URL with its password hidden."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except (ArgumentError, ValueError):
        return ENV_HINT  # never echo a URL we cannot parse: it may hold a password
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    secrets = [k for k in parsed.query if "password" in k.lower()]  # libpq takes ?password= too
    return parsed.difference_update_query(secrets).render_as_string(hide_password=True)


def _psycopg_error() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:  # SQLite only: no PostgreSQL driver installed
        return ()
    return (psycopg.Error,)


# What Store methods translate; anything else (a ValueError of a refused file, a bug) passes through.
FAULTS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error, OSError, *_psycopg_error())


def _alembic_error() -> type[BaseException]:
    from alembic.util.exc import CommandError

    return CommandError


_SQLITE_KINDS = (  # by the start of SQLite's error name (extended names start like their primary one)
    ("SQLITE_CORRUPT", CORRUPT),
    ("SQLITE_NOTADB", CORRUPT),
    ("SQLITE_CANTOPEN", CANNOT_OPEN),
    ("SQLITE_PERM", CANNOT_OPEN),
    ("SQLITE_AUTH", CANNOT_OPEN),
    ("SQLITE_READONLY", READ_ONLY),
    ("SQLITE_FULL", FULL),
    ("SQLITE_IOERR", IO),
    ("SQLITE_BUSY", BUSY),
    ("SQLITE_LOCKED", BUSY),
    ("SQLITE_CONSTRAINT", REFUSED),
    ("SQLITE_MISMATCH", REFUSED),
    ("SQLITE_TOOBIG", REFUSED),
    ("SQLITE_RANGE", REFUSED),
)

_SQLSTATE_KINDS = (  # by the start of PostgreSQL's SQLSTATE, most specific first
    ("53100", FULL),
    ("53300", UNAVAILABLE),
    ("57P0", UNAVAILABLE),
    ("08", UNAVAILABLE),
    ("28", LOGIN),
    ("3D000", LOGIN),
    ("42501", READ_ONLY),
    ("25006", READ_ONLY),
    ("40", BUSY),
    ("55P03", BUSY),
    ("42P01", SCHEMA),
    ("42703", SCHEMA),
    ("22", REFUSED),
    ("23", REFUSED),
    ("XX001", CORRUPT),
    ("XX002", CORRUPT),
)


def _classify(exc: BaseException) -> tuple[str, str]:
    """The kind of a fault and its sanitized code (the error class, its SQLSTATE or SQLite error name)."""
    if isinstance(exc, NoSuchModuleError | ArgumentError):
        return BAD_URL, type(exc).__name__
    if isinstance(exc, _alembic_error()):
        return SCHEMA, type(exc).__name__
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    name = type(orig).__name__
    if isinstance(orig, sqlite3.Error):
        state = getattr(orig, "sqlite_errorname", None) or ""
        code = f"{name}/{state}" if state else name
        for prefix, kind in _SQLITE_KINDS:
            if state.startswith(prefix):
                return kind, code
        if isinstance(orig, sqlite3.IntegrityError | sqlite3.DataError):
            return REFUSED, code
        return FAILED, code
    state = getattr(orig, "sqlstate", None)
    if state is not None or type(orig).__module__.startswith("psycopg"):
        code = f"{name}/{state}" if state else name
        for prefix, kind in _SQLSTATE_KINDS:
            if state and state.startswith(prefix):
                return kind, code
        if state is None and name == "OperationalError":  # no SQLSTATE: the connection itself failed
            return UNAVAILABLE, code
        if name in ("DataError", "IntegrityError"):  # refused by the driver before it reached the server
            return REFUSED, code
        return FAILED, code
    if isinstance(orig, OSError):
        code = f"{name}/{errno.errorcode.get(orig.errno, orig.errno)}" if orig.errno else name
        if orig.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return FULL, code
        if orig.errno == errno.EROFS:
            return READ_ONLY, code
        if isinstance(orig, PermissionError | IsADirectoryError | NotADirectoryError | FileExistsError):
            return CANNOT_OPEN, code
        if isinstance(orig, FileNotFoundError):
            return CANNOT_OPEN, code
        return IO, code
    return FAILED, name


def store_error(exc: BaseException, url: str | URL) -> StoreError:
    """The StoreError for a fault of the database at ``url``; logged as its kind and sanitized code only."""
    if isinstance(exc, StoreError):
        return exc
    kind, code = _classify(exc)
    place = location(url) if kind != BAD_URL else ENV_HINT
    log.warning("database fault %s (%s) at %s", kind, code, place)
    return make_error(kind, place, code, original=exc)
