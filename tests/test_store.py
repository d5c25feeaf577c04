"""The store: round trip of every column, idempotent adds, all-or-nothing, persistence, scope."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import event, func, select

from weakorg.findings import FINDING_COLUMNS, finding
from weakorg.store import Store, schema
from weakorg.store.errors import StoreError
from weakorg.tables import F2_ROW_COLUMNS, F3_ROW_COLUMNS, FileResult, Table, returns_from_files
from weakorg.vocab import F1, F1_ROWS, F2, F3, FORMS


def f1_table(unit="娄星区", category="农村", total=120.0, weak=6.0, day=date(2014, 3, 11)) -> Table:
    """An F1 table with every row filled: counts, percentages and their cells."""
    counts = {"orgs_total": total, "party_committees": 10.0, "general_branches": 20.0, "branches": total - 30.0}
    counts |= {"weak_total": weak, **{f"c{n}": float(n % 3) for n in range(1, 7)}}
    keys = list(F1_ROWS)
    rows = pd.DataFrame(
        {
            "count": [counts[k] for k in keys],
            "count_cell": [f"B{5 + i}" for i in range(len(keys))],
            "pct_orgs": [None if k == "orgs_total" else round(100 * counts[k] / total, 2) for k in keys],
            "pct_orgs_cell": [None if k == "orgs_total" else f"C{5 + i}" for i, k in enumerate(keys)],
            "pct_weak": [round(100 * counts[k] / weak, 2) if k.startswith("c") else None for k in keys],
            "pct_weak_cell": [f"D{5 + i}" if k.startswith("c") else None for i, k in enumerate(keys)],
        },
        index=keys,
    )
    return Table(
        F1,
        f"附件1-{category}",
        rows,
        unit=unit,
        unit_raw=f"中共{unit}委组织部",
        unit_cell="A3",
        category=category,
        category_raw=category,
        category_cell="C3",
        reported_on=day,
        date_raw=f"{day:%Y年%m月%d日}",
        date_cell="E3",
    )


def _register_rows(columns: tuple[str, ...], values: list[dict]) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(values):
        row = {c: None for c in columns} | {"row": 5 + i, "seq": float(i + 1), "seq_cell": f"A{5 + i}"}
        for k, val in v.items():
            row[k] = val
            row[f"{k}_cell"] = f"X{5 + i}"
        row["members_raw"] = f"{v.get('members', '')}人"
        row["phone_raw"] = v.get("phone")
        rows.append(row)
    return pd.DataFrame(rows, columns=list(columns))


def f2_table(unit="娄星区", names=("甲村党支部", "乙村党支部"), day=date(2014, 3, 11)) -> Table:
    """An F2 register with the optional columns too, one row per name."""
    values = [
        {
            "name": name,
            "members": 12.0 + i,
            "problems": "书记长期外出务工，三会一课不落实",
            "secretary": None if i else "张三",
            "phone": "13907381234",
            "category": "农村",
            "criteria_stated": "1,5",
            "status": "整顿中",
            "accepted_on": date(2014, 4, 28) if i else None,
        }
        for i, name in enumerate(names)
    ]
    return Table(F2, "附件2", _register_rows(F2_ROW_COLUMNS, values), unit=unit, unit_raw=unit, reported_on=day)


def f3_table(unit="娄星区", day=date(2014, 3, 11)) -> Table:
    """An F3 register: one village re-elected, one not yet."""
    values = [
        {"name": "甲村党支部", "members": 30.0, "problems": "宗族干扰", "measures": "选派第一书记",
         "election_done": date(2014, 4, 20), "secretary": "李四", "phone": "0738-8221234"},
        {"name": "丙村党支部", "members": 25.0, "problems": "拉票贿选", "measures": "重新选举",
         "election_done": None, "secretary": "王五", "phone": None},
    ]  # fmt: skip
    return Table(F3, "附件3", _register_rows(F3_ROW_COLUMNS, values), unit=unit, unit_raw=unit, reported_on=day)


def file_result(name="娄星区.xlsx", tables=None, unit="娄星区", salt="") -> FileResult:
    """A read file whose bytes (and so its hash) depend on name and salt."""
    content = f"{name}{salt}".encode()
    tables = tables if tables is not None else [f1_table(unit), f1_table(unit, "学校", 40.0, 2.0), f2_table(unit)]
    fr = FileResult(name, hashlib.sha256(content).hexdigest(), len(content), tables=tables, content=content)
    fr.findings = [finding("DATE_INVALID", "日期无法识别", file=name, sheet="附件2", cell="E3", unit=unit)]
    return fr


@pytest.fixture
def store(database_url) -> Store:
    """A store on an empty database, once on SQLite and once on PostgreSQL."""
    store = Store(database_url)
    yield store
    store.engine.dispose()


def _table_counts(store: Store) -> dict[str, int]:
    tables = [schema.submissions, schema.findings, *schema.frames.values()]
    with store.engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}
    return counts | {"version": store.version()}


def test_round_trip_of_every_column(store):
    fr = file_result(tables=[f1_table(), f1_table(category="学校", total=40.0, weak=2.0), f2_table(), f3_table()])
    sid = store.add(fr)
    expected = returns_from_files([fr], first_idx=sid)
    got = store.returns()
    for form in FORMS:
        pd.testing.assert_frame_equal(got.frame(form), expected.frame(form))
    assert got.f1["reported_on"].tolist() == [date(2014, 3, 11)] * 2
    assert got.f1["orgs_total"].dtype == float and got.f1["c1_pct_weak"].tolist() == [round(100 / 6, 2), 50.0]
    assert got.f1["orgs_total_pct_orgs"].isna().all()
    assert got.f2["accepted_on"].tolist() == [None, date(2014, 4, 28)]
    assert got.f2["criteria_stated"].tolist() == ["1,5", "1,5"]
    assert got.f2["secretary"].tolist() == ["张三", None]
    assert got.f2["row"].tolist() == [5, 6] and got.f2["file_idx"].tolist() == [sid, sid]
    assert got.f3["election_done"].tolist() == [date(2014, 4, 20), None]
    assert got.f3["phone"].tolist() == ["0738-8221234", None]


def test_rebuilt_files_tell_unit_forms_categories_and_reading_findings(store):
    fr = file_result(tables=[f1_table(), f1_table(category="学校"), f2_table(), f3_table()])
    check = finding("SMALL_BRANCH", "党员少于3人", file=fr.name, sheet="附件2", cell="C6", org="乙村党支部")
    sid = store.add(fr, [check], uploaded_by="分析员甲")
    (back,) = store.returns().files
    assert (back.name, back.sha256, back.size, back.status) == (fr.name, fr.sha256, fr.size, "ok")
    assert (back.unit, back.forms, back.categories) == ("娄星区", [F1, F2, F3], ["农村", "学校"])
    assert back.findings == fr.findings
    subs = store.submissions()
    assert subs[["id", "unit", "forms", "categories", "uploaded_by", "errors", "warnings"]].values.tolist() == [
        [sid, "娄星区", "F1,F2,F3", "农村,学校", "分析员甲", 0, 2]
    ]
    assert subs["reported_on"].tolist() == [date(2014, 3, 11)]
    found = store.findings(sid)
    assert list(found.columns) == ["submission_id", *FINDING_COLUMNS, "source"]
    assert found[["rule", "source", "cell"]].values.tolist() == [
        ["DATE_INVALID", "read", "E3"],
        ["SMALL_BRANCH", "check", "C6"],
    ]
    assert store.content(sid) == fr.content


def test_the_same_bytes_again_store_nothing(store):
    first = store.add(file_result())
    before = _table_counts(store)
    assert store.add(file_result()) == first
    assert _table_counts(store) == before


def test_version_changes_with_every_new_submission(store):
    assert store.is_empty() and store.version() == 0
    store.add(file_result())
    v1 = store.version()
    store.add(file_result(salt="v2"))
    assert not store.is_empty() and 0 < v1 < store.version()


def test_refused_file_is_not_stored(store):
    refused = FileResult("简历.docx", "ab" * 32, 10, status="rejected", reason="NOT_SPREADSHEET")
    with pytest.raises(ValueError, match="refused"):
        store.add(refused)
    assert store.is_empty()


@pytest.mark.parametrize("breaker", ["no sheet", "text in a number", "text in a date"])
def test_a_failing_add_leaves_the_database_as_before(store, breaker):
    store.add(file_result())
    before = _table_counts(store)
    bad = f2_table(names=("丁村党支部",))
    if breaker == "no sheet":
        bad.sheet = None  # NOT NULL in the database, found only after F1 rows went in
    elif breaker == "text in a number":
        bad.rows["members"] = "十二"
    else:
        bad.rows["accepted_on"] = "2014年4月底"
    fr = file_result("双峰县.xlsx", tables=[f1_table("双峰县"), bad], unit="双峰县")
    with pytest.raises((ValueError, StoreError)):  # the database's refusal, in Chinese
        store.add(fr)
    assert _table_counts(store) == before
    assert store.submission_id(fr.sha256) is None


def test_data_survives_a_new_store_on_the_same_database(database_url):
    sid = Store(database_url).add(file_result())
    again = Store(database_url)
    assert again.submissions()["id"].tolist() == [sid]
    assert len(again.returns().f2) == 2 and again.version() == 1


def test_scope_restricts_every_read(store):
    a = store.add(file_result("娄星区.xlsx", unit="娄星区"))
    b = store.add(file_result("双峰县.xlsx", unit="双峰县"))
    scoped = store.returns({"双峰县"})
    assert [f.name for f in scoped.files] == ["双峰县.xlsx"]
    assert set(scoped.f1["unit"]) == {"双峰县"} and len(scoped.f1) == 2
    assert set(scoped.f2["file_idx"]) == {b}
    assert store.submissions({"双峰县"})["id"].tolist() == [b]
    assert set(store.findings(units={"娄星区"})["submission_id"]) == {a}
    nothing = store.returns(set())
    assert nothing.files == [] and nothing.f1.empty and nothing.f2.empty
    assert len(store.returns().files) == 2


def test_later_upload_has_larger_file_idx(store):
    store.add(file_result("first.xlsx"))
    store.add(file_result("second.xlsx"))
    f1 = store.returns().f1
    assert f1.groupby("file")["file_idx"].first().to_dict()["second.xlsx"] > f1["file_idx"].min()


def test_url_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "sub" / "env.db"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{path}")
    Store().add(file_result())
    assert path.exists() and not Store().is_empty()


def test_in_memory_store_works():
    store = Store("sqlite://")
    store.add(file_result())
    assert len(store.returns().f1) == 2


def test_a_race_on_the_same_file_returns_the_winners_id(store, monkeypatch):
    fr = file_result()
    winner = store.add(fr)
    before = _table_counts(store)
    calls = iter([None, winner])  # the pre-check misses the other process's insert; the unique key catches it
    monkeypatch.setattr(store, "_existing", lambda conn, sha: next(calls))
    assert store.add(fr) == winner
    assert _table_counts(store) == before


def test_schema_compiles_for_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    ddl = "\n".join(str(CreateTable(t).compile(dialect=postgresql.dialect())) for t in schema.metadata.sorted_tables)
    assert "BYTEA" in ddl and "DATE" in ddl and "FLOAT" in ddl
    assert "AUTOINCREMENT" not in ddl.upper()


def test_sqlite_runs_in_wal_with_full_sync_a_busy_timeout_and_immediate_writes(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    with store.engine.connect() as conn:
        pragmas = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "synchronous", "busy_timeout")
        }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 30000}
    store.add(file_result())
    assert "BEGIN IMMEDIATE" in seen and seen.count("BEGIN IMMEDIATE") == 1
