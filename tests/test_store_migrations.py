"""Migrations: a fresh database is migrated to head on start, and its schema is the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, insert, inspect, select

from tests.test_store import file_result
from weakorg.store import Store, schema
from weakorg.store.engine import MIGRATIONS


def head() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_a_fresh_database_is_migrated_to_the_models_schema(database_url):
    store = Store(database_url)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head()
        assert compare_metadata(context, schema.metadata) == []
    assert store.version() == 0 and store.is_empty()
    store.add(file_result())
    again = Store(database_url)  # a second start migrates nothing and keeps the data
    assert len(again.submissions()) == 1 and again.version() == 1
    store.engine.dispose()
    again.engine.dispose()


def test_a_database_made_before_migrations_is_adopted_with_its_data(database_url):
    engine = create_engine(database_url)
    schema.metadata.create_all(engine)  # what Store() did before migrations
    with engine.begin() as conn:
        conn.execute(insert(schema.meta).values(id=1, version=4))
    engine.dispose()
    store = Store(database_url)
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head()
        assert conn.execute(select(schema.meta.c.version)).scalar_one() == 4
    assert "alembic_version" in inspect(store.engine).get_table_names()
    store.engine.dispose()


def test_a_database_at_0002_gets_current_findings_for_the_units_it_holds(database_url):
    from alembic import command
    from alembic.config import Config

    from weakorg.campaign import default_campaign
    from weakorg.checks import run_checks
    from weakorg.tables import returns_from_files

    store = Store(database_url)
    store.add_many(returns_from_files([file_result(), file_result("双峰县.xlsx", unit="双峰县")]))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    assert "unit_checks" not in inspect(store.engine).get_table_names()
    store.engine.dispose()

    again = Store(database_url)  # migrated to head: every unit with stored rows is marked unchecked
    with again.engine.connect() as conn:
        marks = dict(conn.execute(select(schema.unit_checks.c.owner, schema.unit_checks.c.checked)).all())
    assert marks == {"娄星区": None, "双峰县": None}
    expected = run_checks(again.returns(), default_campaign())
    assert sorted(map(repr, again.current_findings())) == sorted(map(repr, expected))
    again.engine.dispose()
