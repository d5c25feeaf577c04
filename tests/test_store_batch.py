"""Storing a batch from its own frames (add_many), and each unit's current findings kept in the store."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from tests.test_store import _table_counts, f1_table, f2_table, f3_table, file_result
from tests.test_store_faults import _refuse_the_phone
from weakorg.campaign import default_campaign
from weakorg.checks import run_checks
from weakorg.store import Store, StoreError, schema, write
from weakorg.store.rows import Converted, _to_sql
from weakorg.tables import returns_from_files
from weakorg.vocab import FORMS


@pytest.fixture
def store(database_url) -> Store:
    store = Store(database_url)
    yield store
    store.engine.dispose()


def batch_files():
    """Two units, three files; a later round of 娄星区 drops an organization of its first register."""
    later = date(2014, 4, 1)
    return [
        file_result("娄星区-1.xlsx", tables=[f1_table(), f2_table(), f3_table()]),
        file_result("双峰县-1.xlsx", tables=[f1_table("双峰县"), f2_table("双峰县")], unit="双峰县"),
        file_result("娄星区-2.xlsx", tables=[f1_table(day=later), f2_table(names=("甲村党支部",), day=later)]),
    ]


def same(findings) -> Counter:
    return Counter(findings)


def test_a_batch_stores_the_same_rows_as_one_add_per_file(database_url, tmp_path):
    one_by_one = Store(f"sqlite:///{tmp_path / 'one.db'}")
    ids = [one_by_one.add(fr) for fr in batch_files()]
    batch = Store(database_url)
    heard = []
    stored = batch.add_many(returns_from_files(batch_files()), on_stored=heard.append)
    assert [s.id for s in stored] == ids and all(s.new and s.error is None for s in stored)
    assert [s.name for s in heard] == [fr.name for fr in batch_files()]
    for form in FORMS:
        pd.testing.assert_frame_equal(batch.returns().frame(form), one_by_one.returns().frame(form))
    assert batch.version() == 3
    batch.engine.dispose()


def test_a_failing_file_of_a_batch_stores_nothing_of_itself_and_does_not_stop_the_others(store):
    good, bad, again = batch_files()[0], batch_files()[1], batch_files()[0]
    bad.tables[1].rows["members"] = "十二"  # text in a number column
    stored = store.add_many(returns_from_files([good, bad, again]))
    assert stored[0].new and stored[0].id is not None
    assert isinstance(stored[1].error, ValueError) and "not a number" in str(stored[1].error)
    assert stored[1].id is None and store.submission_id(bad.sha256) is None
    assert (stored[2].id, stored[2].new) == (stored[0].id, False)  # the same content again: nothing new
    assert _table_counts(store)["submissions"] == 1 and store.version() == 1


def test_column_conversion_gives_exactly_the_values_and_errors_of_one_cell_at_a_time():
    frame = returns_from_files([batch_files()[0]]).f2
    n = len(frame)
    cases = {
        "members": [12, 3.0, np.float64(2), None, float("nan"), pd.NaT][:n],
        "accepted_on": [datetime(2014, 4, 1, 8), pd.Timestamp("2014-04-02"), date(2014, 4, 3), None][:n],
        "phone": [13907381234.0, ["a", "b"], "0738-8221234", None][:n],
        "row": [5.0, np.int64(6), 7, 8][:n],
    }
    for column, values in cases.items():
        f = frame.assign(**{column: pd.Series(values[:n] + [None] * (n - len(values[:n])), dtype=object)})
        converted = Converted(f, "F2")
        j = converted.columns.index(column)
        kind = schema.column_kind(column)
        expected = [_to_sql(kind, v) for v in f[column].astype(object).tolist()]
        assert converted.values[j].tolist() == expected and not converted.errors
    for column, value, message in (("members", "十二", "not a number"), ("accepted_on", "四月", "not a date")):
        f = frame.assign(**{column: pd.Series([value] * n, dtype=object)})
        _, _, error = Converted(f, "F2").file_rows(0)
        with pytest.raises(ValueError, match=message):
            _to_sql(schema.column_kind(column), value)
        assert isinstance(error, ValueError) and message in str(error) and value not in str(error)
    whole = frame.assign(row=pd.Series([5.5] * n, dtype=object))
    assert "not a whole number" in str(Converted(whole, "F2").file_rows(0)[2])


def test_current_findings_are_the_checks_over_every_stored_return(store):
    store.add_many(returns_from_files(batch_files()))
    expected = run_checks(store.returns(), default_campaign())
    assert same(store.current_findings()) == same(expected)
    assert any(f.rule == "ORG_DROPPED" for f in store.current_findings())  # the history of the unit was there
    scoped = store.current_findings({"双峰县"})
    assert same(scoped) == same(run_checks(store.returns({"双峰县"}), default_campaign()))
    assert {f.unit for f in scoped} == {"双峰县"}


def test_a_new_file_re_checks_only_the_units_it_touches(store):
    first, second, later = batch_files()
    store.add_many(returns_from_files([first, second]))
    c = schema.unit_checks.c
    with store.engine.connect() as conn:
        before = dict(conn.execute(select(c.owner, c.checked)).all())
    assert set(before) == {"娄星区", "双峰县"} and None not in before.values()
    store.add(later)  # stored, marked; checked when next read
    assert store.refresh_checks() == 1
    with store.engine.connect() as conn:
        after = dict(conn.execute(select(c.owner, c.checked)).all())
    assert after["双峰县"] == before["双峰县"] and after["娄星区"] == store.submission_id(later.sha256)
    assert same(store.current_findings()) == same(run_checks(store.returns(), default_campaign()))
    assert store.refresh_checks() == 0  # nothing out of date any more


def test_the_findings_each_upload_got_stay_as_they_were(store):
    first = batch_files()[0]
    check = run_checks(returns_from_files([first]), default_campaign())
    sid = store.add_many(returns_from_files([first]), [check])[0].id
    stored = store.findings(sid)
    store.add_many(returns_from_files(batch_files()[2:]))
    pd.testing.assert_frame_equal(store.findings(sid), stored)


def test_another_campaign_checks_the_units_again(store):
    store.add_many(returns_from_files(batch_files()))
    campaign = default_campaign()
    later = replace(campaign, deadline=date(2014, 3, 1))  # every return is late now
    assert not any(f.rule == "LATE_SUBMISSION" for f in store.current_findings(campaign=campaign))
    late = store.current_findings(campaign=later)
    assert {f.unit for f in late if f.rule == "LATE_SUBMISSION"} == {"娄星区", "双峰县"}
    assert same(late) == same(run_checks(store.returns(), later))


def test_rows_naming_no_known_unit_are_checked_with_their_own_file(store):
    table = f1_table()
    table.unit = None
    table.unit_raw = "火星区"
    odd = file_result("火星区.xlsx", tables=[table], unit=None)
    store.add_many(returns_from_files([odd, batch_files()[1]]))
    found = store.current_findings()
    assert same(found) == same(run_checks(store.returns(), default_campaign()))
    assert any(f.rule == "UNKNOWN_UNIT" and f.file == "火星区.xlsx" for f in found)
    assert not any(f.rule == "UNKNOWN_UNIT" for f in store.current_findings({"双峰县"}))


def _orphan(name: str, salt: str = "", weak: float = 5.0):
    table = f1_table(weak=weak)
    table.unit, table.unit_raw = None, name.split(".")[0]
    return file_result(name, tables=[table], unit=None, salt=salt)


@pytest.mark.parametrize("second_name", ["水星区.xlsx", "火星区.xlsx"])  # a name of its own, or the same name
def test_files_of_no_known_unit_checked_together_give_each_file_its_own_findings(store, second_name):
    files = [_orphan("火星区.xlsx"), _orphan(second_name, salt="2", weak=900.0), _orphan("金星区.csv")]
    ids = [s.id for s in store.add_many(returns_from_files(files))]
    assert same(store.current_findings()) == same(run_checks(store.returns(), default_campaign()))
    by_owner = store._check_owners([f"#{i}" for i in ids], default_campaign())
    for sid, fr in zip(ids, files, strict=True):
        alone = [f for f in run_checks(returns_from_files([fr]), default_campaign()) if f not in fr.findings]
        assert same(by_owner[f"#{sid}"]) == same(alone)  # exactly what the file gets checked alone
    assert any(f.rule == "WEAK_EXCEEDS_TOTAL" for f in by_owner[f"#{ids[1]}"])
    assert not any(f.rule == "WEAK_EXCEEDS_TOTAL" for f in by_owner[f"#{ids[0]}"])


def test_the_batch_own_checks_stand_when_it_holds_all_its_units_returns(store):
    campaign = default_campaign()
    first = returns_from_files(batch_files()[:2])
    store.add_many(first, checked=run_checks(first, campaign), campaign=campaign)
    c = schema.unit_checks.c
    with store.engine.connect() as conn:
        assert all(v is not None for v in conn.execute(select(c.checked)).scalars())
    assert store.refresh_checks(campaign) == 0  # nothing was left to check over the store
    assert same(store.current_findings()) == same(run_checks(store.returns(), campaign))
    later = returns_from_files(batch_files()[2:])  # 娄星区 has earlier returns: checked over the store
    store.add_many(later, checked=run_checks(later, campaign), campaign=campaign)
    found = store.current_findings()
    assert same(found) == same(run_checks(store.returns(), campaign))
    assert any(f.rule == "ORG_DROPPED" for f in found)


def test_returns_read_only_the_columns_asked_for(store):
    from weakorg.consolidate import PICTURE_COLUMNS, READING_COLUMNS

    store.add_many(returns_from_files(batch_files()))
    full, light = store.returns(), store.returns(columns=PICTURE_COLUMNS, findings=False)
    assert list(light.f2.columns) == [*full.f2.columns, *READING_COLUMNS]  # F2 lines keep their reading
    for form in FORMS:
        cols = [c for c in PICTURE_COLUMNS[form] if c not in READING_COLUMNS]
        assert list(light.frame(form).columns)[: len(full.frame(form).columns)] == list(full.frame(form).columns)
        pd.testing.assert_frame_equal(light.frame(form)[cols], full.frame(form)[cols])
    assert light.f2["phone_cell"].isna().all() and full.f2["phone_cell"].notna().any()
    assert [f.name for f in light.files] == [f.name for f in full.files]
    assert all(not f.findings for f in light.files) and any(f.findings for f in full.files)


def test_a_batch_with_every_round_of_a_unit_keeps_its_own_checks(store):
    campaign = default_campaign()
    whole = returns_from_files(batch_files())  # 娄星区 twice: the batch holds both its returns
    store.add_many(whole, checked=run_checks(whole, campaign), campaign=campaign)
    assert store.refresh_checks(campaign) == 0
    found = store.current_findings()
    assert same(found) == same(run_checks(store.returns(), campaign))
    assert any(f.rule == "ORG_DROPPED" for f in found)


def test_register_lines_keep_their_reading_and_the_picture_uses_it(store):
    from weakorg.consolidate import PICTURE_COLUMNS, consolidate, read_problems, readings_digest
    from weakorg.criteria import classify_many

    store.add_many(returns_from_files(batch_files()))
    light = store.returns(columns=PICTURE_COLUMNS, findings=False)
    assert set(light.f2["read_by"]) == {readings_digest()}
    read = classify_many(light.f2["problems"])
    assert light.f2["criteria_read"].tolist() == [",".join(map(str, c.criteria)) for c in read]
    kept = read_problems(light.f2)
    assert [(c.criteria, c.flags) for c in kept] == [(c.criteria, c.flags) for c in read]
    other = light.f2.assign(read_by="other rules", criteria_read="6")  # read under other rules: read again
    assert [c.criteria for c in read_problems(other)] == [c.criteria for c in read]
    stored = consolidate(light, checks=False).weak_orgs
    direct = consolidate(store.returns(), checks=False).weak_orgs
    pd.testing.assert_frame_equal(stored, direct)


# --- a batch in one transaction, a savepoint a file ----------------------------------------------

REFUSED_PHONE = "13800000000"


def _every_row(store: Store) -> dict[str, int]:
    tables = [schema.submissions, schema.findings, schema.audit_log, schema.unit_checks, *schema.frames.values()]
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def _commits(store: Store) -> list[int]:
    """A list that grows by one at every commit on the store's engine."""
    seen: list[int] = []
    event.listen(store.engine, "commit", lambda conn: seen.append(1))
    return seen


def test_a_batch_is_one_commit_and_a_file_the_database_refuses_in_its_middle_stores_nothing_of_itself(store):
    first, middle, last = batch_files()
    middle.tables[1].rows["phone"] = REFUSED_PHONE  # its F1 rows go in first, then the register is refused
    _refuse_the_phone(store, REFUSED_PHONE)
    alone = Store(store.url)  # what the two good files make when stored without the bad one
    commits, heard = _commits(store), []
    stored = store.add_many(returns_from_files([first, middle, last]), on_stored=heard.append, check=False)
    assert len(commits) == 1  # one transaction for the batch
    assert [s.name for s in heard] == [first.name, middle.name, last.name]
    assert stored[0].new and stored[2].new and stored[2].id > stored[0].id
    assert isinstance(stored[1].error, StoreError) and stored[1].error.kind == "REFUSED" and stored[1].id is None
    assert store.submission_id(middle.sha256) is None
    counts = _every_row(store)
    assert counts["submissions"] == 2 and store.version() == 2
    returns = store.returns()
    assert set(returns.f1["file"]) | set(returns.f2["file"]) == {first.name, last.name}
    assert set(store.findings()["submission_id"]) == {stored[0].id, stored[2].id}
    with store.engine.connect() as conn:
        files = conn.execute(select(schema.audit_log.c.file)).scalars().all()
    assert sorted(files) == sorted([first.name, last.name])
    expected = returns_from_files([first, last], first_idx=stored[0].id)
    for form in FORMS:  # the kept files whole, as if the bad one had never been in the batch
        got = returns.frame(form).drop(columns="file_idx").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected.frame(form).drop(columns="file_idx").reset_index(drop=True))
    alone.engine.dispose()


def test_a_batch_commits_in_groups_of_at_most_group_files(store, monkeypatch):
    monkeypatch.setattr(write, "GROUP_FILES", 2)
    commits = _commits(store)
    files = [
        file_result(f"{u}.xlsx", tables=[f1_table(u)], unit=u)
        for u in ("娄星区", "双峰县", "涟源市", "新化县", "冷水江市")
    ]
    stored = store.add_many(returns_from_files(files), check=False)
    assert len(commits) == 3 and all(s.new for s in stored) and store.version() == 5


def test_a_group_lost_at_its_commit_is_stored_again_file_by_file(store):
    files = batch_files()
    commits, failed = _commits(store), []

    def full_disk_once(conn) -> None:
        if not failed:
            failed.append(1)
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))

    event.listen(store.engine, "commit", full_disk_once)
    heard = []
    stored = store.add_many(returns_from_files(files), on_stored=heard.append, check=False)
    assert failed and all(s.new and s.error is None for s in stored) and store.version() == 3
    assert len(commits) == 1 + 3  # the lost group, then a commit a file
    assert [s.name for s in heard] == [fr.name for fr in files]  # each heard of once, after its commit
    assert _every_row(store)["submissions"] == 3 and _every_row(store)["audit_log"] == 3


def test_a_fault_that_ends_sqlites_transaction_mid_group_loses_only_the_bad_file(tmp_path):
    """SQLite rolls a whole transaction back on some faults (a full disk, an I/O error): the savepoint is gone with
    it; the group's files are stored again one a transaction, and only the bad file fails."""
    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    first, middle, last = batch_files()
    middle.tables[1].rows["phone"] = REFUSED_PHONE

    def disk_full_at_the_bad_row(conn, cursor, statement, params, context, executemany) -> None:
        rows = params if executemany else [params]
        if statement.startswith("INSERT INTO f2") and any(REFUSED_PHONE in map(str, r) for r in rows):
            conn.connection.dbapi_connection.rollback()  # what SQLite does by itself on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(store.engine, "before_cursor_execute", disk_full_at_the_bad_row)
    stored = store.add_many(returns_from_files([first, middle, last]), check=False)
    assert stored[0].new and stored[2].new
    assert isinstance(stored[1].error, StoreError) and "disk is full" in str(stored[1].error.original)  # its own
    assert _every_row(store)["submissions"] == 2 and store.version() == 2
    assert store.submission_id(middle.sha256) is None
    store.engine.dispose()


def _inserts(store: Store) -> Counter:
    """How many INSERT statements the store's engine sends to each table (an executemany counts once)."""
    seen: Counter = Counter()

    def count(conn, cursor, statement, params, context, executemany) -> None:
        if statement.startswith("INSERT INTO "):
            seen[statement.split()[2]] += 1

    event.listen(store.engine, "before_cursor_execute", count)
    return seen


def test_a_batch_inserts_each_table_in_one_statement_per_chunk(store):
    files = [file_result(f"{u}.xlsx", unit=u) for u in ("娄星区", "双峰县", "涟源市", "新化县", "冷水江市")]
    inserts = _inserts(store)
    stored = store.add_many(returns_from_files(files), check=False)
    assert all(s.new and s.error is None for s in stored) and store.version() == 5
    assert [s.id for s in stored] == sorted(s.id for s in stored)
    assert all(inserts[t] == 1 for t in ("submissions", "f1", "f2", "findings", "audit_log", "unit_checks")), inserts
    assert _every_row(store) | {"version": store.version()} == {
        "submissions": 5,
        "findings": 5,
        "audit_log": 5,
        "unit_checks": 5,
        "f1": 10,
        "f2": 10,
        "f3": 0,
        "version": 5,
    }


def test_a_chunk_holds_the_same_content_twice_a_stored_file_and_a_value_of_the_wrong_kind(store):
    before = file_result("新化县.xlsx", unit="新化县")
    (kept,) = store.add_many(returns_from_files([before]), check=False)
    bad = file_result("双峰县.xlsx", unit="双峰县")
    bad.tables[2].rows["members"] = "十二"  # text in a number column: refused before any database work
    files = [file_result(), bad, file_result(), file_result("新化县.xlsx", unit="新化县"), file_result("涟源市.xlsx")]
    inserts = _inserts(store)
    stored = store.add_many(returns_from_files(files), check=False)
    assert stored[0].new and stored[4].new and stored[4].id > stored[0].id
    assert isinstance(stored[1].error, ValueError) and stored[1].id is None
    assert (stored[2].id, stored[2].new) == (stored[0].id, False)  # the same content earlier in the batch
    assert (stored[3].id, stored[3].new) == (kept.id, False)  # stored before
    assert inserts["submissions"] == 1 and store.version() == 3
    assert _every_row(store)["submissions"] == 3 and _every_row(store)["audit_log"] == 3


def test_a_chunk_the_database_refuses_is_stored_again_a_file_a_savepoint(store):
    first, middle, last = batch_files()
    middle.tables[1].rows["phone"] = REFUSED_PHONE
    _refuse_the_phone(store, REFUSED_PHONE)
    inserts = _inserts(store)
    stored = store.add_many(returns_from_files([first, middle, last]), check=False)
    assert stored[0].new and stored[2].new and stored[1].error is not None
    assert inserts["submissions"] == 1 + 3  # the chunk, then a file at a time
    assert _every_row(store)["submissions"] == 2 and store.version() == 2


def test_a_store_at_the_newest_schema_opens_without_running_a_migration(database_url):
    Store(database_url).engine.dispose()
    store = Store.__new__(Store)
    seen: list[str] = []
    from weakorg.store import engine as store_engine

    eng = store_engine.make_engine(database_url)
    event.listen(eng, "before_cursor_execute", lambda *args: seen.append(args[2]))
    store_engine.migrate(eng.execution_options(**store_engine.WRITE))
    assert not [s for s in seen if s.lstrip().upper().startswith(("CREATE", "ALTER", "UPDATE ALEMBIC"))]
    eng.dispose()
    del store
