"""Sign-in under AppTest: nothing of the data before it, the overview after it, the lock, sign-out, the demo banner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from pages import _signin
from tests.test_pages import (  # noqa: F401  (navigation_app: the fixture makes AppTest run the router)
    DASHBOARD,
    ROOT,
    TIMEOUT,
    expected_metrics,
    fetch,
    headline,
    more,
    navigation_app,
    run,
    shown_metrics,
)
from weakorg import accounts, app, audit, overview, sessions
from weakorg.store import Store

PASSWORD = "a long password"
STORED = ("双峰县", "新化县", "娄星区")


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store with the sample returns of three units and two accounts (an analyst, a supervisor of 双峰县)."""
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")
    s = Store(url)
    paths = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith(STORED)]
    app.store_readable(s, app.process_uploads([(p.name, p.read_bytes()) for p in paths], store=s))
    accounts.create(s, "zhang", PASSWORD, "分析员", display_name="张三")
    accounts.create(s, "dudao", PASSWORD, "督导组", units="双峰县")
    accounts.create(s, "admin", PASSWORD, "管理员")
    yield s
    s.engine.dispose()


def start(token: str | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    if token is not None:
        at.session_state[_signin.TOKEN] = token
    return run(at)


def assert_signin_form(at: AppTest) -> None:
    """The form and nothing of the data: no metric, table, chart or sidebar filter."""
    assert [t.value for t in at.title] == [_signin.TITLE]
    assert [t.label for t in at.text_input] == [_signin.USER_LABEL, _signin.PASSWORD_LABEL]
    assert not at.metric and not headline(at) and not at.dataframe and not at.get("echarts_chart")
    assert not at.sidebar.multiselect


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button[0].click()
    return run(at)


def test_nothing_of_the_data_is_shown_before_sign_in(store):
    at = start()
    assert_signin_form(at)
    at.switch_page("pages/units.py")
    assert_signin_form(run(at))
    at.switch_page("pages/upload.py")
    assert_signin_form(run(at))


def test_the_right_password_opens_the_overview(store):
    at = sign_in(start(), "zhang", PASSWORD)
    assert at.title[0].value == "全市总览"
    assert shown_metrics(at) == expected_metrics(app.picture(store))
    assert at.sidebar.caption[0].value == "已登录：张三（分析员）"
    assert [b.label for b in at.sidebar.button] == [_signin.SIGN_OUT_LABEL, _signin.CHANGE_PASSWORD]
    assert list(audit.query(store, action=audit.SIGN_IN)["account"]) == ["zhang"]


def test_a_supervisor_sees_only_its_units(store):
    at = sign_in(start(), "dudao", PASSWORD)
    assert shown_metrics(at) == expected_metrics(app.picture(store, scope={"双峰县"}))
    assert shown_metrics(at) != expected_metrics(app.picture(store))
    assert at.sidebar.multiselect(key="filter_units").options == ["双峰县"]


def test_a_wrong_password_five_times_locks(store):
    at = start()
    for _ in range(sessions.MAX_FAILED_SIGN_INS):
        sign_in(at, "zhang", "wrong password")
        assert at.error[0].value == sessions.SIGN_IN_REFUSED
        assert_signin_form(at)
    sign_in(at, "zhang", PASSWORD)  # the right one, while locked
    assert at.error[0].value == sessions.SIGN_IN_REFUSED
    assert_signin_form(at)
    assert len(audit.query(store, action=audit.SIGN_IN_FAILED)) == sessions.MAX_FAILED_SIGN_INS + 1
    assert audit.query(store, action=audit.SIGN_IN).empty


def test_sign_out_ends_the_session_and_the_old_token_is_refused(store):
    at = sign_in(start(), "zhang", PASSWORD)
    token = at.session_state[_signin.TOKEN]
    assert shown_metrics(start(token)) == expected_metrics(app.picture(store))  # a new tab with the token
    at.sidebar.button(key="sign_out").click()
    assert_signin_form(run(at))
    assert not at.info  # signed out on purpose: no note
    replayed = start(token)
    assert_signin_form(replayed)
    assert replayed.info[0].value == sessions.SESSION_ENDED
    assert list(audit.query(store, action=audit.SIGN_OUT)["account"]) == ["zhang"]


def test_demo_mode_has_a_banner_on_every_page(tmp_path, monkeypatch):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{tmp_path / 'weakorg.db'}")
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")
    at = start()
    assert at.title[0].value == "全市总览"
    assert at.warning[0].value == _signin.DEMO_BANNER and "--role 管理员" in _signin.DEMO_BANNER
    for page in ("pages/units.py", "pages/orgs.py", "pages/upload.py"):
        at.switch_page(page)
        assert run(at).warning[0].value == _signin.DEMO_BANNER
    assert "signin_password" not in [t.key for t in at.text_input]
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # accounts come from the CLI first
        at.switch_page("pages/admin.py")


def test_a_supervisor_has_no_upload_page(store):
    at = sign_in(start(), "dudao", PASSWORD)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not among its pages
        at.switch_page("pages/upload.py")
    analyst = sign_in(start(), "zhang", PASSWORD)
    analyst.switch_page("pages/upload.py")
    assert run(analyst).title[0].value == "上传与校验"


def test_only_an_admin_has_the_accounts_page(store):
    for name in ("zhang", "dudao"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            sign_in(start(), name, PASSWORD).switch_page("pages/admin.py")


def test_an_admin_makes_and_changes_accounts_and_reads_the_log(store):
    at = sign_in(start(), "admin", PASSWORD)
    at.switch_page("pages/admin.py")
    run(at)
    assert at.title[0].value == "账号与日志"
    assert at.dataframe[0].value["用户名"].tolist() == ["admin", "dudao", "zhang"]
    log = at.dataframe[1].value
    assert log["操作"].tolist()[:4] == ["登录"] + ["账号变更"] * 3  # the newest first
    assert log["账号"].tolist()[0] == "admin"

    at.text_input(key="new_username").input("li")
    at.selectbox(key="new_role").set_value("supervisor")
    at.multiselect(key="new_units").set_value(["新化县", "冷水江市"])
    at.text_input(key="new_password").input(PASSWORD)
    at.text_input(key="new_password2").input(PASSWORD)
    at.button[0].click()
    run(at)
    assert at.success[0].value == "已新建账号 li（督导组）。"
    assert accounts.get(store, "li").units == frozenset({"新化县", "冷水江市"})
    assert at.dataframe[0].value["用户名"].tolist() == ["admin", "dudao", "li", "zhang"]

    at.selectbox(key="change_account").set_value("zhang")
    at.radio(key="change").set_value("修改角色")
    run(at)
    at.selectbox(key="change_role").set_value("leader")
    at.button(key="change_apply").click()
    run(at)
    assert at.success[0].value == "账号 zhang 的角色已改为领导。"
    assert accounts.get(store, "zhang").role == "leader"

    at.selectbox(key="change_account").set_value("admin")
    at.radio(key="change").set_value("停用")
    run(at)
    at.checkbox(key="change_sure").check()
    run(at)
    at.button(key="change_apply").click()
    run(at)
    assert at.error[0].value.startswith("不能停用自己的账号") and accounts.get(store, "admin") is not None
    details = audit.query(store, action=audit.ACCOUNT_CHANGE, account="admin")["detail"].tolist()
    assert details == ["新建账号 li（督导组），单位：冷水江市、新化县", "账号 zhang 的角色改为领导"]
    at.selectbox(key="audit_action").set_value("account_change")
    at.selectbox(key="audit_account").set_value("admin")
    run(at)
    assert at.dataframe[1].value["说明"].tolist() == details[::-1]  # the newest first


def test_each_download_leaves_one_audit_entry(store):
    at = more(sign_in(start(), "zhang", PASSWORD), overview.TABLES)  # the overview's tables, drawn when asked for
    assert audit.query(store, action=audit.DOWNLOAD).empty  # drawn: no file has left yet
    fetch(at.download_button(key="overview_units_xlsx"))  # as the browser's click asks for it
    at.sidebar.multiselect(key="filter_units").set_value(["新化县"])
    run(at)
    fetch(at.download_button(key="overview_units_csv"))
    log = audit.query(store, action=audit.DOWNLOAD)
    assert log["account"].tolist() == ["zhang", "zhang"]
    assert log["file"].tolist()[0].endswith(".xlsx") and log["file"].tolist()[1].endswith(".csv")
    assert log["unit"].tolist() == [None, "新化县"] and "新化县" in log["file"].iloc[1]

    admin_at = sign_in(start(), "admin", PASSWORD)
    admin_at.switch_page("pages/admin.py")
    fetch(run(admin_at).download_button(key="audit_csv"))
    assert audit.query(store, action=audit.DOWNLOAD)["account"].tolist() == ["zhang", "zhang", "admin"]


def test_a_page_drawn_before_its_account_was_disabled_or_narrowed_gives_no_file(store):
    from streamlit.runtime.media_file_storage import MediaFileStorageError

    at = more(sign_in(start(), "zhang", PASSWORD), overview.TABLES)  # an analyst with the page open in a tab
    button = at.download_button(key="overview_units_xlsx")
    accounts.set_disabled(store, "zhang", True)  # an admin disables it in another tab
    with pytest.raises(MediaFileStorageError, match="请重新登录"):
        fetch(button)
    assert audit.query(store, action=audit.DOWNLOAD).empty  # nothing made, nothing delivered

    at = more(sign_in(start(), "dudao", PASSWORD), overview.TABLES)
    button = at.download_button(key="overview_units_csv")
    accounts.set_units(store, "dudao", "娄星区")  # its counties given to another group
    with pytest.raises(MediaFileStorageError, match="双峰县 不在其中"):
        fetch(button)
    assert audit.query(store, action=audit.DOWNLOAD).empty


def test_a_tab_whose_sign_in_ended_or_whose_role_changed_gets_no_file(store):
    from streamlit.runtime.media_file_storage import MediaFileStorageError

    def city_return_button():
        at = sign_in(start(), "zhang", PASSWORD)
        at.switch_page("pages/documents.py")
        return run(at).download_button(key="documents_xlsx")  # the city's return: for roles that may export

    button = city_return_button()
    accounts.set_role(store, "zhang", "领导")  # a 领导 may download, but not export
    with pytest.raises(MediaFileStorageError, match="领导"):
        fetch(button)
    accounts.set_role(store, "zhang", "分析员")
    button = city_return_button()
    accounts.reset_password(store, "zhang", "another long one")  # its sign-ins end
    with pytest.raises(MediaFileStorageError, match="登录已失效"):
        fetch(button)
    at = more(sign_in(start(), "zhang", "another long one"), overview.TABLES)
    button = at.download_button(key="overview_units_csv")  # every unit's
    accounts.set_units(store, "zhang", "双峰县")
    accounts.set_role(store, "zhang", "督导组")  # now sees 双峰县 only
    with pytest.raises(MediaFileStorageError, match="不在其中"):
        fetch(button)
    assert audit.query(store, action=audit.DOWNLOAD).empty


def _browser_asks(button):
    """What the server answers when the browser asks for a deferred download's file, as Streamlit's handler does."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    from tests.test_pages import _KeptFiles

    request = BackendOperationRequest(request_id="r1")
    request.deferred_file.file_id = button.proto.deferred_file_id
    return asyncio.run(DeferredFileHandler(lambda: _KeptFiles.last).handle(request, "session"))


def test_a_download_refused_at_the_click_says_why_in_chinese_under_its_button(store, caplog):
    at = more(sign_in(start(), "zhang", PASSWORD), overview.TABLES)
    button = at.download_button(key="overview_units_xlsx")
    assert _browser_asks(button).deferred_file.url  # while allowed, the file's address
    accounts.set_disabled(store, "zhang", True)
    answer = _browser_asks(button)
    assert not answer.deferred_file.url
    assert answer.error_msg.startswith("文件没有生成，未下载：") and "请重新登录" in answer.error_msg
    assert "Failed" not in answer.error_msg  # Streamlit's own English words, which the browser would show
    assert "登录已失效" not in caplog.text and "SignInRefused at" in caplog.text  # logged, without its words
    assert audit.query(store, action=audit.DOWNLOAD)["account"].tolist() == ["zhang"]  # the allowed one only


def test_an_idle_sign_in_sends_back_to_the_form_with_a_note(store):
    then = accounts.utc_now() - sessions.IDLE_LIMIT - timedelta(minutes=1)
    _, token = sessions.sign_in(store, "zhang", PASSWORD, now=then)
    at = start(token)
    assert_signin_form(at)
    assert at.info[0].value == sessions.SESSION_IDLE
    assert sign_in(at, "zhang", PASSWORD).title[0].value == "全市总览"


def test_an_empty_store_says_who_uploads_the_returns(tmp_path, monkeypatch):
    """The admin, who may not upload, is not sent to a page where they cannot: the analysts upload the returns."""
    from pages import _common as common

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")
    s = Store(url)
    accounts.create(s, "zhang", PASSWORD, "分析员")
    accounts.create(s, "admin", PASSWORD, "管理员")
    for name, said in (("admin", common.ANALYSTS_UPLOAD), ("zhang", common.UPLOAD_THEM)):
        at = sign_in(start(), name, PASSWORD)
        for page in ("pages/overview.py", "pages/units.py", "pages/documents.py"):
            at.switch_page(page)
            run(at)
            assert not at.exception, at.exception
            (note,) = [i.value for i in at.info if i.value.startswith(common.NOTHING_STORED)]
            assert note.startswith(common.NOTHING_STORED + said.split("{")[0]), (name, page, note)
    s.engine.dispose()


def _change_password(at: AppTest, old: str, new: str, again: str | None = None) -> AppTest:
    at.sidebar.text_input(key="password_old").input(old)
    at.sidebar.text_input(key="password_new").input(new)
    at.sidebar.text_input(key="password_again").input(new if again is None else again)
    next(b for b in at.sidebar.button if b.label == _signin.CHANGE_PASSWORD).click()
    return run(at)


def test_a_user_changes_their_own_password_and_signs_in_again_with_it(store):
    at = sign_in(start(), "zhang", PASSWORD)
    token, new = at.session_state[_signin.TOKEN], "another long phrase"
    assert [e.value for e in _change_password(at, "not my password", new).sidebar.error] == [
        accounts.WRONG_OLD_PASSWORD
    ]
    assert [e.value for e in _change_password(at, PASSWORD, new, "another long phrasf").sidebar.error] == [
        _signin.NOT_THE_SAME
    ]
    assert _change_password(at, PASSWORD, "short").sidebar.error  # the policy's words
    assert sessions.sign_in(store, "zhang", PASSWORD)  # nothing changed so far
    at = _change_password(at, PASSWORD, new)
    assert_signin_form(at)
    assert at.info[0].value == _signin.PASSWORD_CHANGED
    assert_signin_form(start(token))  # every sign-in of the account ended
    with pytest.raises(accounts.SignInRefused):
        sessions.sign_in(store, "zhang", PASSWORD)
    assert shown_metrics(sign_in(at, "zhang", new)) == expected_metrics(app.picture(store))
    changes = audit.query(store, action=audit.ACCOUNT_CHANGE)
    assert (
        changes["detail"].tolist()[-1] == "账号 zhang 修改了自己的密码" and changes["account"].tolist()[-1] == "zhang"
    )
