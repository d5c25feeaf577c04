"""Faults of the database in Chinese: damaged, unreadable, unreachable, full, newer, refusing a value.

Each fault through the Store API (a typed StoreError), the command line (a Chinese message on stderr,
exit 3, no traceback) and the app (st.error, no exception); a failed save leaves the database as it
was; no name or phone of a return in any message or log line.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from builders import f2_table, file_result, org
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool
from streamlit.testing.v1 import AppTest
from test_browser import browser, page  # noqa: F401  (fixtures: Chromium, a page)
from test_pages import DASHBOARD, TIMEOUT, headline, navigation_app  # noqa: F401  (the fixture makes AppTest run the router)

from weakorg import app
from weakorg.store import Store, StoreError, StoreUnavailable, schema
from weakorg.store import errors as faults
from weakorg.tables import returns_from_files
from weakorg.vocab import F2

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
SECRETARY, PHONE = "欧阳秀英", "13973815527"  # made up, as a return would carry them
TABLES = ("submissions", "f1", "f2", "f3", "findings", "unit_checks", "current_findings")
TABLES += ("users", "sessions", "settings", "audit_log", "withdrawals", "confirmations")  # accounts and corrections
TABLES += ("reading_corrections",)  # analysts' corrections of the criteria reading
TABLES += ("readings",)  # the criteria readings of the texts stored


def a_return(name: str = "娄星区.xlsx", secretary: str = SECRETARY, phone: str = PHONE, content: bytes = b""):
    """A readable file of two weak organizations; its content (stored with it) makes the row grow the database."""
    lines = [org("甲村党支部", secretary=secretary, phone=phone), org("乙村党支部")]
    fr = file_result(name, f2_table(lines))
    fr.content = content or os.urandom(64 * 1024)  # incompressible: new pages however the database packs them
    fr.size = len(fr.content)
    return fr


def counts(url: str) -> dict[str, int]:
    """Rows in every table of the store, read with an engine of its own."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


def no_personal_data(*texts: str) -> None:
    for t in texts:
        assert SECRETARY not in t and PHONE not in t, t
        assert "INSERT INTO" not in t.upper()


def filled(url: str) -> Store:
    store = Store(url)
    store.add(a_return("双峰县.xlsx", secretary="李四", phone="13800000000"))
    return store


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


# --- the Store API -------------------------------------------------------------------------------


def test_a_garbage_file_is_a_damaged_database_left_as_it_was(tmp_path):
    path = tmp_path / "weakorg.db"
    path.write_bytes(b"this is not a database " * 100)
    with pytest.raises(StoreUnavailable) as caught:
        Store(f"sqlite:///{path}")
    err = caught.value
    assert err.kind == faults.CORRUPT and err.code == "DatabaseError/SQLITE_NOTADB"
    assert (
        str(err)
        == err.message
        == f"数据库文件已损坏，无法打开：{path}。请从备份恢复，或移走该文件后重新启动（将建立一个新的数据库）。"
    )
    assert path.read_bytes() == b"this is not a database " * 100


@pytest.mark.parametrize("where", ["given", "the default"])
def test_a_database_file_of_0_bytes_is_refused_not_taken_for_a_new_one(tmp_path, monkeypatch, where):
    path = tmp_path / "weakorg.db"
    path.touch()  # SQLite would open it as a new, empty database
    if where == "the default":
        monkeypatch.delenv("WEAKORG_DATABASE_URL", raising=False)
        monkeypatch.setattr("weakorg.store.engine.DEFAULT_PATH", path)
    with pytest.raises(StoreUnavailable) as caught:
        Store(f"sqlite:///{path}" if where == "given" else None)
    err = caught.value
    assert err.kind == faults.EMPTY_FILE and str(err) == err.message
    assert err.message.startswith(f"数据库文件是空的（0 字节）：{path}。") and "请从备份恢复该文件" in err.message
    assert "删除该文件后重新启动" in err.message
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["weakorg.db"]  # untouched
    path.unlink()  # what the message says to do when starting afresh
    assert Store(f"sqlite:///{path}").is_empty() and path.stat().st_size > 0


def test_a_truncated_database_is_damaged(tmp_path):
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    store = filled(url)
    store.engine.dispose()  # the WAL checkpointed into the file
    data = sqlite_path(url).read_bytes()
    sqlite_path(url).write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError) as caught:
        Store(url).submissions()  # damaged pages are found on opening or on the first read that meets them
    assert caught.value.kind == faults.CORRUPT and "数据库文件已损坏" in caught.value.message


@pytest.mark.parametrize("where", ["a directory", "under a file"])
def test_a_path_that_cannot_be_a_database_file(tmp_path, where):
    if where == "a directory":
        path = tmp_path / "weakorg.db"
        path.mkdir()
    else:
        (tmp_path / "data").write_text("a file where the directory should be")
        path = tmp_path / "data" / "weakorg.db"
    with pytest.raises(StoreUnavailable) as caught:
        Store(f"sqlite:///{path}")
    assert caught.value.kind == faults.CANNOT_OPEN
    assert caught.value.message.startswith(f"无法打开数据库文件：{path}。") and "权限" in caught.value.message


def _lock(*paths: Path) -> None:
    """Make files and directories unwritable, for root too (immutable) when the file system allows."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", *map(str, paths)]).returncode:
            pytest.skip("running as root without chattr: no way to deny ourselves a write")
    else:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)


def _unlock(*paths: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=False)
    else:
        for p in paths:
            p.chmod(0o755 if p.is_dir() else 0o644)


@pytest.fixture
def locked(tmp_path):
    """A filled SQLite database in its own directory, and a function that takes write permission away."""
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite:///{folder / 'weakorg.db'}"
    filled(url).engine.dispose()
    taken: list[Path] = []

    def lock(*paths: Path) -> None:
        _lock(*paths)
        taken.extend(paths)

    yield url, folder, lock
    _unlock(*taken)


def test_no_permission_on_the_database_directory(locked):
    url, folder, lock = locked
    lock(folder / "weakorg.db", folder)  # not even its -wal and -shm can be made
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert caught.value.kind in (faults.CANNOT_OPEN, faults.READ_ONLY)
    assert str(folder / "weakorg.db") in caught.value.message and "权限" in caught.value.message


def test_a_read_only_database_is_read_but_a_save_is_refused_and_nothing_changes(locked):
    url, folder, lock = locked
    before = counts(url)
    lock(folder / "weakorg.db")
    store = Store(url)
    assert len(store.submissions()) == 1  # reading still works
    with pytest.raises(StoreError) as caught:
        store.add(a_return())
    store.engine.dispose()
    assert caught.value.kind == faults.READ_ONLY and "写权限" in caught.value.message
    assert counts(url) == before


def test_a_postgresql_server_that_is_down(tmp_path):
    url = f"postgresql+psycopg://weakorg:s3cret@/weakorg?host={tmp_path}&port=5432&sslpassword=k3y"  # nobody listens
    with pytest.raises(StoreUnavailable) as caught:
        Store(url)
    err = caught.value
    assert err.kind == faults.UNAVAILABLE and err.message.startswith(
        "无法连接数据库：postgresql+psycopg://weakorg:***@"
    )
    assert "s3cret" not in err.message and "k3y" not in err.message and "PostgreSQL 服务已启动" in err.message


def test_a_url_that_is_no_database_url_is_not_echoed():
    with pytest.raises(StoreUnavailable) as caught:
        Store("postgres-ish://user:s3cret@host/db")
    assert caught.value.kind == faults.BAD_URL and "s3cret" not in caught.value.message
    assert "WEAKORG_DATABASE_URL" in caught.value.message


def test_a_database_at_a_newer_schema_is_left_untouched(database_url):
    filled(database_url).engine.dispose()
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    before = counts(database_url)
    with pytest.raises(StoreUnavailable) as caught:
        Store(database_url)
    err = caught.value
    assert err.kind == faults.NEWER_SCHEMA
    from alembic.script import ScriptDirectory

    from weakorg.store.engine import MIGRATIONS

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert f"数据库由更新版本的 weakorg 建立（数据库结构版本 0999，本程序只认识到 {head}）" in err.message
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0999"
    engine.dispose()
    assert counts(database_url) == before


def _fill_the_disk(store: Store) -> None:
    """From now on the database cannot grow: SQLite's page limit (SQLITE_FULL); PostgreSQL raises disk_full."""
    if store.engine.dialect.name == "sqlite":
        store.engine.dispose()
        event.listen(store.engine, "connect", _no_new_pages)
    else:
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE FUNCTION disk_full() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(text("CREATE TRIGGER disk_full BEFORE INSERT ON f2 FOR EACH ROW EXECUTE FUNCTION disk_full()"))


def _no_new_pages(dbapi_conn, _record) -> None:
    dbapi_conn.execute("PRAGMA max_page_count = 1")  # clamped to the pages it has: none more


def _free_the_disk(store: Store) -> None:
    if store.engine.dialect.name == "sqlite":
        event.remove(store.engine, "connect", _no_new_pages)
        store.engine.dispose()
    else:
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER disk_full ON f2"))


def test_a_full_disk_mid_save_leaves_the_database_as_it_was(database_url):
    store = filled(database_url)
    before = counts(database_url)
    _fill_the_disk(store)
    fr = a_return()
    with pytest.raises(StoreError) as caught:
        store.add(fr)
    err = caught.value
    assert err.kind == faults.FULL and err.message.startswith("磁盘空间已满，数据库无法写入：")
    assert "数据库保持原样" in err.message
    assert counts(database_url) == before and store.submission_id(fr.sha256) is None
    _free_the_disk(store)
    assert store.add(fr) > 0  # the same file once there is room: stored whole
    assert counts(database_url)["submissions"] == before["submissions"] + 1
    store.engine.dispose()


def _refuse_the_phone(store: Store, phone: str = PHONE) -> None:
    """The database refuses a register line with this phone; PostgreSQL tells the whole row in its DETAIL."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse BEFORE INSERT ON f2 WHEN NEW.phone = '{phone}' "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(text(f"ALTER TABLE f2 ADD CONSTRAINT refuse CHECK (phone <> '{phone}')"))


def test_a_refused_value_says_nothing_of_the_row(database_url, caplog):
    store = filled(database_url)
    _refuse_the_phone(store)
    before = counts(database_url)
    fr = a_return()
    caplog.set_level("DEBUG")
    with pytest.raises(StoreError) as caught:
        store.add(fr)
    err = caught.value
    assert err.kind == faults.REFUSED and "该文件没有保存，数据库保持原样" in err.message
    no_personal_data(err.message, str(err), repr(err), caplog.text)
    assert "REFUSED" in caplog.text  # logged: its kind and sanitized code only
    assert counts(database_url) == before
    (stored,) = store.add_many(returns_from_files([fr]), [()])  # the batch path (the page, load) says the same
    assert isinstance(stored.error, StoreError) and stored.error.message == err.message
    no_personal_data(caplog.text)
    store.engine.dispose()


# --- the command line ----------------------------------------------------------------------------


def weakorg(*args: str, url: str, limit: int | None = None) -> subprocess.CompletedProcess:
    """``python -m weakorg ARGS`` on the database at ``url`` (optionally with files limited to ``limit`` bytes)."""

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if k != "WEAKORG_DEBUG"} | {"WEAKORG_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "weakorg", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=small_files if limit else None,
    )


def _damaged(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "weakorg.db"
    path.write_bytes(b"\0garbage" * 512)
    return f"sqlite:///{path}", f"数据库文件已损坏，无法打开：{path}。"


def _empty(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "weakorg.db"
    path.touch()
    return f"sqlite:///{path}", f"数据库文件是空的（0 字节）：{path}。"


def _newer(tmp_path: Path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    filled(url).engine.dispose()
    with sqlite3.connect(sqlite_path(url)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    return url, "数据库由更新版本的 weakorg 建立"


def _down(tmp_path: Path) -> tuple[str, str]:
    return f"postgresql+psycopg://weakorg@/weakorg?host={tmp_path}&port=5432", "无法连接数据库："


def _directory(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "weakorg.db").mkdir()
    return f"sqlite:///{tmp_path / 'weakorg.db'}", "无法打开数据库文件："


@pytest.mark.parametrize("fault", [_damaged, _empty, _newer, _down, _directory])
@pytest.mark.parametrize("command", ["status", "load"])
def test_the_command_line_says_the_fault_in_chinese_and_exits_3(tmp_path, fault, command):
    url, said = fault(tmp_path)
    args = ["load", str(SAMPLES / "娄星区-第1次-附件2-一览表-20140310.xlsx")] if command == "load" else ["status"]
    done = weakorg(*args, url=url)
    assert done.returncode == 3, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1  # one line: no log lines, no SQL
    debug = weakorg(*args, "--debug", url=url)
    assert debug.returncode == 3 and "Traceback" in debug.stderr and said in debug.stderr


def test_load_on_a_disk_that_fills_stores_whole_files_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    Store(url).engine.dispose()
    size = sqlite_path(url).stat().st_size
    done = weakorg("load", str(SAMPLES), url=url, limit=size + 64 * 1024)  # room for a few files, not all
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    fault = done.stderr.strip()
    assert fault in (faults.make_error(k, str(sqlite_path(url))).message for k in (faults.IO, faults.FULL))
    saved = done.stdout.count("已保存 #")
    assert 0 < saved < len(list(SAMPLES.iterdir())) and "保存失败" in done.stdout
    with sqlite3.connect(sqlite_path(url)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM submissions").fetchone() == (saved,)
        stored = {r[0] for r in conn.execute("SELECT DISTINCT file_idx FROM f1 UNION SELECT DISTINCT file_idx FROM f2")}
        ids = {r[0] for r in conn.execute("SELECT id FROM submissions")}
        assert stored <= ids  # no rows of a file that was not stored


def _sample_people(path: Path) -> tuple[str, str]:
    """A secretary and a phone of a sample register, as the reader reads them."""
    (result,) = app.process_uploads([(path.name, path.read_bytes())])
    frame = next(t.rows for t in result.file.tables if t.form == F2)
    line = frame.dropna(subset=["secretary", "phone"]).iloc[0]
    return str(line["secretary"]), str(line["phone"])


def test_load_of_a_refused_value_prints_no_name_or_phone(database_url, tmp_path):
    path = SAMPLES / "娄星区-第1次-附件2-一览表-20140310.xlsx"
    secretary, phone = _sample_people(path)
    store = Store(database_url)
    _refuse_the_phone(store, phone)
    store.engine.dispose()
    done = weakorg("load", str(path), url=database_url)
    assert done.returncode == 3 and "数据库拒绝保存该文件中的数据" in done.stderr
    for said in (done.stdout, done.stderr):
        assert secretary not in said and phone not in said and "Traceback" not in said
    assert counts(database_url)["submissions"] == 0


# --- the app -------------------------------------------------------------------------------------


@pytest.fixture
def no_samples(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")


@pytest.mark.parametrize("fault", [_damaged, _empty, _newer, _down, _directory])
def test_the_app_says_the_fault_in_chinese_and_stops(tmp_path, monkeypatch, no_samples, fault):
    url, said = fault(tmp_path)
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] and said in at.error[0].value
    assert len(at.error) == 1 and not at.dataframe


@pytest.mark.parametrize(
    ("text", "said"), [("this is [not toml\n", "不是有效的TOML格式"), (None, "所指的整顿工作配置文件不存在")]
)
def test_the_app_on_a_campaign_file_it_cannot_use_says_so_in_chinese(tmp_path, monkeypatch, no_samples, text, said):
    from weakorg import campaign

    path = tmp_path / "campaign.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{tmp_path / 'weakorg.db'}")
    monkeypatch.setenv(campaign.CAMPAIGN_ENV, str(path))
    campaign.default_campaign.cache_clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
        at.run()
        assert not at.exception, at.exception
        assert len(at.error) == 1 and said in at.error[0].value and not at.dataframe
    finally:
        monkeypatch.delenv(campaign.CAMPAIGN_ENV)
        campaign.default_campaign.cache_clear()


def test_a_demo_on_a_database_file_of_0_bytes_says_so_and_loads_no_samples(tmp_path, monkeypatch):
    url, said = _empty(tmp_path)
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")  # a demo database: were the file taken for a new one, samples would fill it
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [faults.make_error(faults.EMPTY_FILE, str(sqlite_path(url))).message]
    assert said in at.error[0].value and not at.metric and not headline(at) and not at.dataframe
    assert sqlite_path(url).stat().st_size == 0


def test_the_upload_page_on_a_full_disk_saves_nothing_and_says_so(tmp_path, monkeypatch, no_samples, caplog):
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    files = [SAMPLES / "娄星区-第1次-附件2-一览表-20140310.xlsx", SAMPLES / "娄星区-第1次-附件3-难点村-20140310.xlsx"]
    secretary, phone = _sample_people(files[0])
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "application/octet-stream") for p in files]).run()
    assert not at.exception, at.exception
    before = counts(url)
    event.listen(Pool, "checkout", _full_on_checkout)
    try:
        at.button(key="upload_save").click().run()
    finally:
        event.remove(Pool, "checkout", _full_on_checkout)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("保存失败：" + "、".join(p.name for p in files)), errors
    assert "磁盘空间已满" in errors[0] and "数据库保持原样" in errors[0], errors
    assert counts(url) == before
    assert secretary not in caplog.text and phone not in caplog.text, (secretary, phone)


def _full_on_checkout(dbapi_conn, _record, _proxy) -> None:
    if isinstance(dbapi_conn, sqlite3.Connection):
        dbapi_conn.execute("PRAGMA max_page_count = 1")


def test_the_counted_tables_are_every_table_of_the_store():
    assert set(TABLES) | {"meta", "explanations"} == set(schema.metadata.tables)


# --- the app in a real browser -------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("fault", [_damaged, _empty])
def test_a_damaged_database_in_the_browser_then_repaired(tmp_path, browser, page, fault):  # noqa: F811
    from bench.pages import serve  # `streamlit run dashboard.py`, headless, on a free port

    url, said = fault(tmp_path)
    env = {**os.environ, "WEAKORG_DATABASE_URL": url, "WEAKORG_DEMO": "1"}  # a demo: a new store gets the samples
    with serve(ROOT / "dashboard.py", env, tmp_path / "streamlit.log") as (base, _pid):
        page.goto(f"{base}/upload")  # a link is the server's first page
        page.get_by_test_id("stAlertContentError").wait_for()
        assert said in page.get_by_test_id("stAlertContentError").inner_text()
        assert page.get_by_test_id("stException").count() == 0
        assert page.get_by_test_id("stSidebarNav").count() == 0  # no English file names of pages/
        sqlite_path(url).unlink()  # what the message says to do: move the file away, start again
        page.goto(f"{base}/")
        page.locator(".wo-figure").first.wait_for()  # the samples loaded into a new store: 全市总览's headline
        assert page.get_by_test_id("stAlertContentError").count() == 0
    assert said.encode() not in (tmp_path / "streamlit.log").read_bytes()  # the server log: kind and code only


# --- log lines -----------------------------------------------------------------------------------

LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


def test_no_log_line_carries_the_text_of_an_exception():
    """In weakorg/, a log call inside ``except ... as exc`` never passes ``exc`` itself, nor logs a traceback."""
    import ast

    offenders = []
    for path in sorted((ROOT / "weakorg").rglob("*.py")):
        for handler in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(handler, ast.ExceptHandler):
                continue
            for node in ast.walk(handler):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in LOG_METHODS or not isinstance(node.func.value, ast.Name):
                    continue
                if node.func.value.id not in ("log", "logger", "logging"):
                    continue
                raw = [a for a in node.args if isinstance(a, ast.Name) and a.id == handler.name]
                if raw or node.func.attr == "exception" or any(k.arg == "exc_info" for k in node.keywords):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_an_exception_in_a_log_line_is_its_class_and_place_only():
    from weakorg.logsafe import exception_line

    try:
        float(f"{SECRETARY}{PHONE}")
    except ValueError as exc:
        line = exception_line(exc)
    assert line.startswith("ValueError at test_store_faults.py:") and SECRETARY not in line and PHONE not in line


@pytest.mark.parametrize(
    "command", [["status"], ["submissions"], ["audit"], ["user", "list"], ["withdraw", "1", "--reason", "x"]]
)
def test_a_command_that_reads_a_database_that_is_not_there_says_so_and_makes_none(tmp_path, command):
    url = f"sqlite:///{tmp_path / 'typo' / 'weakorg.db'}"
    done = weakorg(*command, url=url)
    assert done.returncode == 3 and "没有这个数据库文件" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "typo").exists()  # neither the file nor its folder made for nothing
