"""Shared fixtures: an empty database on each engine the store supports (SQLite, and PostgreSQL when given)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from weakorg.read import pool

# A test process is no server: a reader pool started by one upload page's test would read the batches of every later
# test, which patch the reader in this process only. The browser tests' server is a real one and starts it.
os.environ.setdefault(pool.AT_START_ENV, "0")

POSTGRES_ENV = "WEAKORG_TEST_POSTGRES_URL"  # a database on a PostgreSQL server the tests may create databases on
REQUIRE_ENV = "WEAKORG_REQUIRE_POSTGRES"  # set (CI): no PostgreSQL is a failure, not a skip


def _fresh_postgres_database(admin_url: str):
    """Create an empty database on the server; its URL and a function that drops it."""
    name = f"weakorg_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The URL of an empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'weakorg.db'}"
        return
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but {POSTGRES_ENV} is not: the PostgreSQL tests must run")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (.ci/run starts one)")
    url, drop = _fresh_postgres_database(admin_url)
    yield url
    drop()
