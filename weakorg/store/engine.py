"""Where the store is and how it is opened: the URL in force, engines (SQLite pragmas), schema migrations."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import (
    Engine,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from weakorg.store import schema
from weakorg.store.errors import EMPTY_FILE, NEWER_SCHEMA, NOT_THERE, location, make_error

ENV_URL = "WEAKORG_DATABASE_URL"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "weakorg.db"


def database_url(url: str | None = None) -> str:
    """The database URL in force: the argument, else the environment, else the SQLite default."""
    return url or os.environ.get(ENV_URL) or f"sqlite:///{DEFAULT_PATH}"


def exists(url: str | None = None) -> bool:
    """Whether the database at ``url`` (the one in force) is there to open without making it: a SQLite path that is
    there (a file; a folder in its place is the opening's fault to say), or any server's database."""
    parsed = make_url(database_url(url))
    return parsed.get_backend_name() != "sqlite" or bool(parsed.database and Path(parsed.database).exists())


def existing(url: str | None = None):
    """The store at ``url`` (the one in force) for a command that only reads or changes what is there: a SQLite file
    that is not there is a StoreError (NOT_THERE), never a new database made for nothing."""
    from weakorg.store.db import Store

    url = database_url(url)
    if not exists(url):
        raise make_error(NOT_THERE, location(url))
    return Store(url)


WRITE = {"weakorg_write": True}  # execution option of connections that write: SQLite begins them IMMEDIATE


def _sqlite_connect(dbapi_conn, _record) -> None:
    """Pragmas of every SQLite connection; the driver's own transaction handling is switched off."""
    dbapi_conn.isolation_level = None  # pysqlite would begin lazily and deferred: we emit BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn) -> None:
    """Writers take the write lock at BEGIN (no lost update, no deadlock on upgrade); readers get a snapshot."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("weakorg_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout, synchronous=FULL, BEGIN IMMEDIATE for writes.

    A SQLite file of 0 bytes is refused (``EMPTY_FILE``): a database emptied by a failed copy or restore
    must not quietly become a new one (a new file has its header written as it is first opened).

    Its errors never carry the bound values (``hide_parameters``): a refused row's names and phones
    stay out of every message.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    memory = parsed.database in (None, "", ":memory:")
    if not memory:
        path = Path(parsed.database)
        if path.is_file() and path.stat().st_size == 0:  # SQLite would take it for a new database: refused
            raise make_error(EMPTY_FILE, location(url), EMPTY_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"check_same_thread": False},
        **({"poolclass": StaticPool} if memory else {}),
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x7765616B  # PostgreSQL advisory lock that lets one process at a time migrate


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic ``upgrade head``) and seed the version row.

    One transaction, one process at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
    lock). A database made before migrations existed (same tables, no alembic_version) is
    stamped as the initial revision first. A database at the newest revision runs no migration
    (the migration scripts are read once per process).
    """
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    script = _scripts()
    config = Config()  # its own: it carries this connection to env.py
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = conn
        current = MigrationContext.configure(conn).get_current_heads()
        _refuse_unknown_revision(current, script, engine)
        if tuple(current) != (script.get_current_head(),):
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" not in tables and schema.submissions.name in tables:
                _run(config, script, "0001", lambda rev, _: script._stamp_revs(("0001",), rev))
            _run(config, script, "head", lambda rev, _: script._upgrade_revs("head", rev))
        if conn.execute(select(schema.meta.c.id)).first() is None:
            conn.execute(insert(schema.meta).values(id=1, version=0))


_SCRIPTS: list = []  # the ScriptDirectory, read once per process
_SCRIPTS_LOCK = threading.Lock()


def _scripts():
    """The migration scripts, read once per process (each opening of a store used to read and compile them again)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    with _SCRIPTS_LOCK:
        if not _SCRIPTS:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            script = ScriptDirectory.from_config(config)
            script.get_current_head()  # every revision read now, under the lock
            _SCRIPTS.append(script)
        return _SCRIPTS[0]


def _run(config, script, destination: str, fn) -> None:
    """Run ``env.py`` with ``fn`` choosing the revisions (what ``alembic.command.upgrade`` and ``stamp`` do), on the
    connection in ``config.attributes``."""
    from alembic.runtime.environment import EnvironmentContext

    with EnvironmentContext(config, script, fn=fn, as_sql=False, destination_rev=destination):
        script.run_env()


def _refuse_unknown_revision(current, script, engine: Engine) -> None:
    """A database at a schema revision this code does not know (a newer weakorg's) is left untouched: StoreError."""
    known = {r.revision for r in script.walk_revisions()}
    unknown = [r for r in current if r not in known]
    if unknown:
        raise make_error(
            NEWER_SCHEMA,
            location(engine.url),
            NEWER_SCHEMA,
            revision="、".join(unknown),
            head=script.get_current_head(),
        )
