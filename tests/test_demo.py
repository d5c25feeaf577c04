"""Demo or production: samples go only into a brand-new demo store, never into a store in use or a deployment's.

Through ``weakorg.demo`` and ``app.load_samples_if_empty`` on SQLite and PostgreSQL, and through the app's
first start (AppTest): the default file fills with samples, a database named by WEAKORG_DATABASE_URL or a
store with an account stays as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_pages import DASHBOARD, TIMEOUT, headline, navigation_app  # noqa: F401  (the fixture makes AppTest run the router)
from test_store import file_result

from weakorg import accounts, app, demo
from weakorg.store import Store

ROOT = Path(__file__).resolve().parent.parent
TWO = ("娄星区-第1次-附件2-一览表-20140310.xlsx", "娄星区-第1次-附件3-难点村-20140310.xlsx")


@pytest.fixture
def samples(tmp_path, monkeypatch) -> Path:
    """Two of the sample returns, as the app's sample directory (a demo's first start stays quick)."""
    folder = tmp_path / "samples"
    folder.mkdir()
    for name in TWO:
        shutil.copy(ROOT / "sample_data" / name, folder / name)
    monkeypatch.setattr(app, "SAMPLE_DIR", folder)
    return folder


@pytest.fixture
def environment(monkeypatch):
    """No database URL and no demo flag in the environment: what `make run` on a fresh checkout sees."""
    monkeypatch.delenv("WEAKORG_DATABASE_URL", raising=False)
    monkeypatch.delenv(demo.ENV_DEMO, raising=False)
    return monkeypatch


@pytest.fixture
def default_file(tmp_path, environment) -> Path:
    """The default SQLite file, moved to a temporary place."""
    path = tmp_path / "data" / "weakorg.db"
    environment.setattr("weakorg.store.engine.DEFAULT_PATH", path)
    return path


def add_account(store: Store, username: str = "admin", disabled: bool = False) -> None:
    """An account made as `python -m weakorg user add` makes it (optionally disabled after: an analyst, as the last
    enabled admin cannot be disabled)."""
    accounts.create(store, username, "a long enough passphrase", "分析员" if disabled else "管理员")
    if disabled:
        accounts.set_disabled(store, username)


# --- which databases may hold a demo --------------------------------------------------------------


def test_the_default_file_is_a_demo_database_and_another_is_not(default_file, tmp_path):
    assert demo.demo_database(f"sqlite:///{default_file}")
    assert not demo.demo_database(f"sqlite:///{tmp_path / 'other.db'}")
    assert not demo.demo_database("postgresql+psycopg://weakorg@db.example/weakorg")


def test_a_url_in_the_environment_is_production_even_at_the_default_path(default_file, environment):
    environment.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{default_file}")  # a deployment names its database
    assert not demo.demo_database(f"sqlite:///{default_file}")


@pytest.mark.parametrize(
    ("flag", "expected"), [("1", True), ("true", True), (" ON ", True), ("0", False), ("no", False), ("maybe", False)]
)
def test_weakorg_demo_says_it_for_any_database(default_file, environment, flag, expected):
    environment.setenv(demo.ENV_DEMO, flag)
    assert demo.demo_database("postgresql+psycopg://weakorg@db.example/weakorg") is expected
    assert demo.demo_database(f"sqlite:///{default_file}") is expected  # 0 turns even the default file off


def test_an_empty_flag_is_no_flag(default_file, environment):
    environment.setenv(demo.ENV_DEMO, "")
    assert demo.demo_database(f"sqlite:///{default_file}")


# --- samples into a store ----------------------------------------------------------------------------


def test_a_fresh_default_store_fills_with_the_samples_once(default_file, samples):
    store = Store()
    assert store.url == f"sqlite:///{default_file}"
    ids = app.load_samples_if_empty(store)
    assert len(ids) == len(TWO) and sorted(store.submissions()["name"]) == sorted(TWO)
    assert app.load_samples_if_empty(store) == []  # not brand new any more
    assert len(store.submissions()) == len(TWO)


def test_a_fresh_demo_store_on_either_database_fills(database_url, environment, samples):
    environment.setenv(demo.ENV_DEMO, "1")
    store = Store(database_url)
    assert len(app.load_samples_if_empty(store)) == len(TWO)
    assert sorted(store.submissions()["uploaded_by"].unique()) == ["示例数据"]


def test_a_database_named_by_the_environment_never_gets_samples(database_url, environment, samples):
    environment.setenv("WEAKORG_DATABASE_URL", database_url)
    store = Store()
    assert not demo.may_load_samples(store)
    assert app.load_samples_if_empty(store) == [] and store.is_empty()


@pytest.mark.parametrize("disabled", [False, True])
def test_a_store_with_an_account_never_gets_samples_even_in_a_demo(database_url, environment, samples, disabled):
    environment.setenv(demo.ENV_DEMO, "1")
    store = Store(database_url)
    add_account(store, disabled=disabled)
    assert accounts.has_accounts(store)
    assert app.load_samples_if_empty(store) == [] and store.is_empty()
    assert app.load_samples_if_empty(store, demo=True) == []  # not even when the caller asks


def test_a_store_that_held_a_submission_never_gets_samples(database_url, environment, samples):
    environment.setenv(demo.ENV_DEMO, "1")
    store = Store(database_url)
    store.add(file_result())
    assert not demo.may_load_samples(store)
    assert app.load_samples_if_empty(store) == [] and len(store.submissions()) == 1


def test_the_default_file_with_weakorg_demo_0_gets_no_samples(default_file, environment, samples):
    environment.setenv(demo.ENV_DEMO, "0")
    store = Store()
    assert app.load_samples_if_empty(store) == [] and store.is_empty()


def test_a_new_store_has_no_accounts(database_url):
    store = Store(database_url)
    assert not accounts.has_accounts(store)
    add_account(store, "analyst")
    assert accounts.has_accounts(store)


# --- the app's first start ---------------------------------------------------------------------------


def start() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def test_make_run_on_a_fresh_checkout_opens_full_of_samples(default_file, samples):
    at = start()
    figures = {f["label"]: f["value"] for f in headline(at)}  # the overview's figures, of the two samples
    assert figures["已报送单位"].startswith("1/") and int(figures["换届难点村"]) > 0 and not at.error
    assert sorted(Store().submissions()["name"]) == sorted(TWO)


def test_a_deployment_database_starts_empty_and_says_how_to_begin(tmp_path, environment, samples):
    url = f"sqlite:///{tmp_path / 'deployment.db'}"
    environment.setenv("WEAKORG_DATABASE_URL", url)
    at = start()
    assert "还没有任何报送" in at.info[0].value and not headline(at)
    assert Store(url).is_empty()


def test_a_demo_store_with_an_account_gets_no_samples_on_start(tmp_path, environment, samples):
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    environment.setenv("WEAKORG_DATABASE_URL", url)
    environment.setenv(demo.ENV_DEMO, "1")
    add_account(Store(url))
    start()
    assert Store(url).is_empty()


# --- a one-click 体验 as each role -------------------------------------------------------------------

THREE_UNITS = ("娄星区-第1次-附件1", "冷水江市-第1次-附件1", "双峰县-第1次")


@pytest.fixture
def demo_store(tmp_path, environment):
    """A demo database (WEAKORG_DEMO=1) loaded with returns of three units, the supervisor's two among them."""
    folder = tmp_path / "samples"
    folder.mkdir()
    for path in app.sample_files(ROOT / "sample_data"):
        if path.name.startswith(THREE_UNITS):
            shutil.copy(path, folder / path.name)
    environment.setattr(app, "SAMPLE_DIR", folder)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    environment.setenv("WEAKORG_DATABASE_URL", url)
    environment.setenv(demo.ENV_DEMO, "1")
    yield url


def pages_of(at: AppTest) -> set[str]:
    """The pages this run may open, tried one by one (a page not offered cannot be switched to)."""
    out = set()
    for page in ("overview", "units", "upload", "admin"):
        try:
            at.switch_page(f"pages/{page}.py")
        except ValueError:
            continue
        out.add(page)
    at.switch_page("pages/overview.py").run()
    return out


def as_role(at: AppTest, role: str) -> AppTest:
    at.sidebar.button(key=f"demo_as_{role}").click().run()
    assert not at.exception, at.exception
    return at


def test_a_demo_offers_each_role_in_one_click_and_makes_no_account(demo_store):
    from tests.test_pages import expected_metrics, shown_metrics
    from weakorg.vocab import ADMIN, ANALYST, LEADER, SUPERVISOR

    at = start()
    store = Store(demo_store)
    units = sorted({u for u in store.submissions()["unit"]})
    assert len(units) == 3
    assert [b.key for b in at.sidebar.button] == [f"demo_as_{r}" for r in demo.VISITOR_ROLES]
    assert pages_of(at) == {"overview", "units", "upload"}  # nobody chosen: all but the accounts page

    as_role(at, SUPERVISOR)
    two = sorted(demo.visitor(SUPERVISOR).units)
    assert sorted(at.sidebar.multiselect(key="filter_units").options) == two and set(two) < set(units)
    assert shown_metrics(at) == expected_metrics(app.picture(store, scope=set(two)))
    assert shown_metrics(at) != expected_metrics(app.picture(store))
    assert pages_of(at) == {"overview", "units"}
    assert "以督导组体验" not in [b.label for b in at.sidebar.button]

    as_role(at, LEADER)
    assert set(units) < set(at.sidebar.multiselect(key="filter_units").options)  # every unit of the campaign
    assert shown_metrics(at) == expected_metrics(app.picture(store))
    assert pages_of(at) == {"overview", "units"}

    as_role(at, ANALYST)
    assert pages_of(at) == {"overview", "units", "upload"}
    at.switch_page("pages/upload.py").run()
    assert at.file_uploader and any(b.key == "assign_save" for b in at.button)
    assert not any(b.key == "withdraw_save" for b in at.button)

    as_role(at, ADMIN)
    assert pages_of(at) == {"overview", "units", "upload", "admin"}
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert at.info[0].value == accounts.DEMO_NO_ACCOUNTS and not at.text_input  # no account made from a demo
    at.switch_page("pages/upload.py").run()
    assert not at.file_uploader and any(b.key == "withdraw_save" for b in at.button)
    at.selectbox(key="withdraw_pick").set_value(int(store.submissions()["id"].max())).run()
    at.text_area(key="withdraw_reason").input("演示撤回").run()
    at.checkbox(key="withdraw_sure").check().run()
    at.button(key="withdraw_save").click().run()
    assert not at.exception, at.exception
    assert store.submissions()["withdrawn"].sum() == 1  # the demo admin acts as an admin
    assert not accounts.has_accounts(store)  # and demo mode stays on
    at.sidebar.button(key="demo_end").click().run()
    assert pages_of(at) == {"overview", "units", "upload"}
    store.engine.dispose()


def test_a_one_click_role_is_impossible_outside_a_demo(tmp_path, environment, samples):
    from pages import _signin

    url = f"sqlite:///{tmp_path / 'deployment.db'}"
    environment.setenv("WEAKORG_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.session_state[_signin.DEMO_ROLE] = "admin"  # even if a session asked for it
    at.run()
    assert not at.exception, at.exception
    assert not [b for b in at.sidebar.button if b.key.startswith("demo_as_")]
    assert pages_of(at) == {"overview", "units", "upload"}  # not a demo admin: no accounts page
    add_account(Store(url))
    at.run()
    assert [t.label for t in at.text_input] == [_signin.USER_LABEL, _signin.PASSWORD_LABEL]  # sign in, no visitor
    assert _signin.DEMO_ROLE not in at.session_state
