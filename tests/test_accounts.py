"""Accounts, roles and sign-in (weakorg.accounts) on SQLite and PostgreSQL: hashes, tokens, lock, expiry."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from weakorg import accounts, audit, sessions
from weakorg.accounts import Account, AccountError, SignInRefused, can
from weakorg.store import Store, schema
from weakorg.vocab import ADMIN, ANALYST, LEADER, ROLE_PERMISSIONS, ROLES, SUPERVISOR

PASSWORD = "correct horse 9"


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.engine.dispose()


def test_roles_are_data_and_can_reads_them():
    assert set(ROLES) == set(ROLE_PERMISSIONS) == {ADMIN, ANALYST, SUPERVISOR, LEADER}
    admin = Account("a", "a", ADMIN, None)
    analyst = Account("b", "b", ANALYST, None)
    supervisor = Account("c", "c", SUPERVISOR, frozenset({"双峰县"}))
    leader = Account("d", "d", LEADER, None)
    assert can(admin, "manage_accounts") and not can(analyst, "manage_accounts")
    assert can(analyst, "save") and not can(supervisor, "save") and not can(leader, "save")
    assert can(admin, "withdraw") and not can(analyst, "withdraw")
    assert can(supervisor, "read") and not can(supervisor, "read_all")
    assert not can(None, "read")
    with pytest.raises(ValueError):
        can(admin, "no_such_permission")


def test_create_and_sign_in(store):
    assert not accounts.has_accounts(store)
    made = accounts.create(store, "zhang", PASSWORD, "分析员", display_name="张三")
    assert made == Account("zhang", "张三", ANALYST, None)
    assert accounts.has_accounts(store)
    with store.engine.connect() as conn:
        stored = conn.execute(select(schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    account, token = sessions.sign_in(store, "zhang", PASSWORD, origin="10.0.0.7")
    assert account == made
    assert sessions.resume(store, token) == made
    log = audit.query(store)
    assert list(log["action"]) == [audit.ACCOUNT_CHANGE, audit.SIGN_IN]
    assert log["origin"].iloc[1] == "10.0.0.7"
    assert not log.astype(str).apply(lambda c: c.str.contains(PASSWORD)).any().any()  # never a password


def test_a_supervisor_sees_its_units_and_unknown_units_are_refused(store):
    sup = accounts.create(store, "dudao", PASSWORD, "督导组", units="双峰县，新化县")
    assert sup.units == frozenset({"双峰县", "新化县"}) and sup.scope == ("双峰县", "新化县")
    with pytest.raises(AccountError) as refused:
        accounts.create(store, "other", PASSWORD, "督导组", units="双峰县,火星县")
    assert "火星县" in refused.value.message
    assert accounts.get(store, "other") is None
    assert accounts.set_units(store, "dudao", ["中共新化县委组织部"]) == ("新化县",)  # an alias: its canonical name
    assert accounts.get(store, "dudao").units == frozenset({"新化县"})
    for none in ("", [], " ，"):  # a 督导组 left with no unit would see nothing: refused, as at its making
        with pytest.raises(AccountError, match="至少一个"):
            accounts.set_units(store, "dudao", none)
    assert accounts.get(store, "dudao").units == frozenset({"新化县"})
    accounts.set_role(store, "dudao", "leader")
    assert accounts.get(store, "dudao").units is None  # a leader reads everything


def test_refusals_are_chinese_and_do_not_say_whether_the_user_exists(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    with pytest.raises(SignInRefused) as wrong:
        sessions.sign_in(store, "zhang", "wrong password")
    with pytest.raises(SignInRefused) as unknown:
        sessions.sign_in(store, "nobody", "wrong password")
    assert wrong.value.message == unknown.value.message == sessions.SIGN_IN_REFUSED
    assert "zhang" not in wrong.value.message
    failed = audit.query(store, action=audit.SIGN_IN_FAILED)
    assert list(failed["account"]) == ["zhang", ""]  # an unknown name is not logged (it may be a password)
    assert list(failed["outcome"]) == [audit.REFUSED, audit.REFUSED]
    with pytest.raises(AccountError, match="已被使用"):
        accounts.create(store, "zhang", PASSWORD, ANALYST)
    with pytest.raises(AccountError, match="角色"):
        accounts.create(store, "li", PASSWORD, "root")
    with pytest.raises(AccountError, match="至少"):
        accounts.create(store, "li", "short", ANALYST)


def test_five_failures_lock_the_account_for_fifteen_minutes(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    _, token = sessions.sign_in(store, "zhang", PASSWORD)
    start = accounts.utc_now()
    for i in range(sessions.MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused):
            sessions.sign_in(store, "zhang", f"wrong {i}", now=start)
    with pytest.raises(SignInRefused):  # the right password, while locked
        sessions.sign_in(store, "zhang", PASSWORD, now=start + sessions.LOCK_DURATION - timedelta(seconds=1))
    account, _ = sessions.sign_in(store, "zhang", PASSWORD, now=start + sessions.LOCK_DURATION + timedelta(seconds=1))
    assert account.username == "zhang"
    details = list(audit.query(store, action=audit.SIGN_IN_FAILED)["detail"])
    assert details[-2].endswith("账号已锁定") and details[-1] == sessions.LOCKED
    assert sessions.resume(store, token).username == "zhang"  # a lock stops new sign-ins only


def test_a_success_resets_the_failure_count(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    for _ in range(2):
        for i in range(sessions.MAX_FAILED_SIGN_INS - 1):
            with pytest.raises(SignInRefused):
                sessions.sign_in(store, "zhang", f"wrong {i}")
        sessions.sign_in(store, "zhang", PASSWORD)  # never locked: 4 failures, a success, 4 failures


def test_sign_out_ends_the_token_for_good(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    _, token = sessions.sign_in(store, "zhang", PASSWORD)
    _, other = sessions.sign_in(store, "zhang", PASSWORD)  # another browser
    sessions.sign_out(store, token)
    with pytest.raises(SignInRefused) as ended:
        sessions.resume(store, token)
    assert ended.value.message == sessions.SESSION_ENDED
    assert sessions.resume(store, other).username == "zhang"
    sessions.sign_out(store, token)  # twice: nothing more
    assert list(audit.query(store, action=audit.SIGN_OUT)["account"]) == ["zhang"]


def test_a_forged_or_altered_token_is_refused(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    _, token = sessions.sign_in(store, "zhang", PASSWORD)
    session_id, _, signature = token.partition(".")
    for bad in (None, "", session_id, f"{session_id}.x", f"{session_id}x.{signature}", "a.b.c"):
        with pytest.raises(SignInRefused):
            sessions.resume(store, bad)


def test_idle_and_lifetime_expiry(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    start = accounts.utc_now()
    _, token = sessions.sign_in(store, "zhang", PASSWORD, now=start)
    step = sessions.IDLE_LIMIT - timedelta(minutes=1)
    at = start
    while at + step - start <= sessions.SESSION_LIFETIME:  # kept busy: alive until its lifetime is over
        at += step
        assert sessions.resume(store, token, now=at).username == "zhang"
    with pytest.raises(SignInRefused) as expired:
        sessions.resume(store, token, now=start + sessions.SESSION_LIFETIME + timedelta(minutes=1))
    assert expired.value.message == sessions.SESSION_EXPIRED
    _, idle_token = sessions.sign_in(store, "zhang", PASSWORD, now=start)
    with pytest.raises(SignInRefused) as idle:
        sessions.resume(store, idle_token, now=start + sessions.IDLE_LIMIT + timedelta(seconds=1))
    assert idle.value.message == sessions.SESSION_IDLE
    with pytest.raises(SignInRefused):  # ended: coming back sooner does not revive it
        sessions.resume(store, idle_token, now=start + timedelta(minutes=1))


def test_a_new_password_or_disabling_ends_sessions(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    _, token = sessions.sign_in(store, "zhang", PASSWORD)
    accounts.reset_password(store, "zhang", "another password 2", by="admin")
    with pytest.raises(SignInRefused):
        sessions.resume(store, token)
    with pytest.raises(SignInRefused):
        sessions.sign_in(store, "zhang", PASSWORD)
    _, token = sessions.sign_in(store, "zhang", "another password 2")
    accounts.set_disabled(store, "zhang", by="admin")
    with pytest.raises(SignInRefused):
        sessions.resume(store, token)
    with pytest.raises(SignInRefused):
        sessions.sign_in(store, "zhang", "another password 2")
    accounts.set_disabled(store, "zhang", False, by="admin")
    sessions.sign_in(store, "zhang", "another password 2")
    changes = audit.query(store, action=audit.ACCOUNT_CHANGE)
    assert list(changes["account"]) == ["", "admin", "admin", "admin"]
    with pytest.raises(AccountError, match="没有用户名"):
        accounts.set_role(store, "nobody", ANALYST)


def test_list_accounts_never_shows_a_password(store):
    accounts.create(store, "zhang", PASSWORD, ANALYST, display_name="张三")
    accounts.create(store, "dudao", PASSWORD, SUPERVISOR, units="双峰县")
    frame = accounts.list_accounts(store)
    assert list(frame["username"]) == ["dudao", "zhang"]
    assert list(frame["role_label"]) == ["督导组", "分析员"]
    assert list(frame["units"]) == ["双峰县", ""]
    assert "password_hash" not in frame


def test_failures_at_the_same_moment_are_all_counted(store):
    """Five wrong passwords sent at once (several browsers, several processes) lock the account: none is lost."""
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    barrier = threading.Barrier(sessions.MAX_FAILED_SIGN_INS)

    def wrong(i: int) -> None:
        barrier.wait()
        with pytest.raises(SignInRefused):
            sessions.sign_in(store, "zhang", f"wrong {i}")

    threads = [threading.Thread(target=wrong, args=(i,)) for i in range(sessions.MAX_FAILED_SIGN_INS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with pytest.raises(SignInRefused):
        sessions.sign_in(store, "zhang", PASSWORD)
    details = audit.query(store, action=audit.SIGN_IN_FAILED)["detail"].tolist()
    assert sum(d.endswith("，账号已锁定") for d in details) == 1 and details[-1] == sessions.LOCKED


def test_the_last_enabled_admin_can_be_neither_disabled_nor_demoted(store):
    accounts.create(store, "admin", PASSWORD, ADMIN)
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    for change in (lambda: accounts.set_disabled(store, "admin"), lambda: accounts.set_role(store, "admin", LEADER)):
        with pytest.raises(AccountError, match="最后一个启用的管理员") as refused:
            change()
        assert "另一个管理员" in refused.value.message  # what to do instead
    assert accounts.get(store, "admin").role == ADMIN
    assert audit.query(store, action=audit.ACCOUNT_CHANGE)["detail"].str.contains("admin 的角色|停用").sum() == 0
    accounts.set_disabled(store, "zhang")  # any other account: as before
    accounts.create(store, "admin2", PASSWORD, ADMIN)
    accounts.set_disabled(store, "admin2")  # a disabled admin does not count as one who can manage
    with pytest.raises(AccountError, match="最后一个启用的管理员"):
        accounts.set_disabled(store, "admin")
    accounts.set_disabled(store, "admin2", False)
    accounts.set_role(store, "admin", LEADER)  # another enabled admin exists now
    with pytest.raises(AccountError, match="最后一个启用的管理员"):
        accounts.set_disabled(store, "admin2")
    assert accounts.get(store, "admin").role == LEADER


def test_authorize_reads_the_account_again_just_before_an_action(store):
    analyst = accounts.create(store, "zhang", PASSWORD, ANALYST)
    accounts.create(store, "admin", PASSWORD, ADMIN)
    accounts.authorize(store, analyst, "save", ["双峰县"])
    accounts.set_role(store, "zhang", LEADER)  # the form was drawn for an analyst
    with pytest.raises(AccountError, match=r"领导.*无权保存报送"):
        accounts.authorize(store, analyst, "save", ["双峰县"])
    accounts.set_disabled(store, "zhang")
    with pytest.raises(AccountError, match="请重新登录"):
        accounts.authorize(store, analyst, "read")
    with pytest.raises(AccountError, match="请重新登录"):  # nobody signed in, accounts exist
        accounts.authorize(store, None, "read")


def test_a_scoped_account_acts_only_on_its_own_units(store):
    accounts.create(store, "admin", PASSWORD, ADMIN)
    sup = accounts.create(store, "dudao", PASSWORD, SUPERVISOR, units="双峰县,新化县")
    accounts.authorize(store, sup, "download", ["双峰县", "新化县"])
    with pytest.raises(AccountError, match="娄星区 不在其中"):
        accounts.authorize(store, sup, "download", ["双峰县", "娄星区"])
    with pytest.raises(AccountError, match="单位未识别"):
        accounts.authorize(store, sup, "download", [None])
    with pytest.raises(AccountError, match=r"督导组.*无权撤回报送"):
        accounts.authorize(store, sup, "withdraw", ["双峰县"])


def test_in_a_demo_anyone_acts_but_nobody_makes_accounts(store):
    from weakorg import demo

    accounts.authorize(store, None, "save", ["双峰县"])
    visitor = demo.visitor(SUPERVISOR)
    assert visitor.demo and visitor.units is not None and len(visitor.units) == demo.SUPERVISED
    with pytest.raises(AccountError, match="无权保存报送"):
        accounts.authorize(store, visitor, "save")
    with pytest.raises(AccountError, match="演示模式下不能新建"):
        accounts.authorize(store, demo.visitor(ADMIN), "manage_accounts")
    accounts.authorize(store, demo.visitor(ADMIN), "withdraw")
    accounts.create(store, "admin", PASSWORD, ADMIN)  # the demo is over: a visitor's open form acts no more
    with pytest.raises(AccountError, match="请重新登录"):
        accounts.authorize(store, demo.visitor(ADMIN), "withdraw")
    assert accounts.list_accounts(store)["username"].tolist() == ["admin"]  # no visitor ever became an account


def test_the_command_line_refuses_to_disable_or_demote_the_last_admin(tmp_path, capsys):
    from weakorg import cli

    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    accounts.create(Store(url), "admin", PASSWORD, ADMIN)
    for argv in (["disable", "admin"], ["set-role", "admin", "领导"]):
        assert cli.main(["user", "--db", url, *argv]) == cli.EXIT_USAGE
        assert capsys.readouterr().err.strip() == accounts.LAST_ADMIN
    assert accounts.get(Store(url), "admin").role == ADMIN


def test_a_guessable_password_is_refused_with_the_rule(store):
    """weakorg.passwords: long enough is not enough; a run of keys, a repeated character or a common password is
    refused, with the rule said; nothing is stored."""
    from weakorg.passwords import PASSWORD_RULE

    weak_ones = ("12345678", "87654321", "password", "Password1", "aaaaaaaa", "abababab", "qwertyui", "admin123")
    for weak in (*weak_ones, "abcabcab", "lead1lead1", "Li-2024li-2024"):  # a chunk repeated, too
        with pytest.raises(AccountError) as refused:
            accounts.create(store, "li", weak, ANALYST)
        assert PASSWORD_RULE in refused.value.message, weak
    assert accounts.get(store, "li") is None
    accounts.create(store, "li", PASSWORD, ANALYST)
    with pytest.raises(AccountError, match="容易被猜到"):
        accounts.reset_password(store, "li", "11111111")
    with pytest.raises(AccountError, match="不能含有用户名"):
        accounts.create(store, "zhangsan", "ZhangSan2024", ANALYST)
    accounts.create(store, "zhangsan", "zs is 2024 now", ANALYST)  # its letters, not its name
    with pytest.raises(AccountError, match="不能含有用户名"):
        accounts.reset_password(store, "zhangsan", "new zhangsan pw")
    accounts.reset_password(store, "li", "xiao li in 2024")  # a name of two letters is in many a password


def test_a_supervisory_group_needs_its_units_and_a_name_differing_in_case_only_is_refused(store):
    """A 督导组 with no unit would see nothing: refused when made or when an account without units becomes one; a
    role that reads every unit keeps no list of units; Fenxi beside fenxi is refused (sign-in is case-sensitive)."""
    with pytest.raises(AccountError, match="至少一个"):
        accounts.create(store, "dudao", PASSWORD, "督导组")
    assert accounts.get(store, "dudao") is None
    analyst = accounts.create(store, "fenxi", PASSWORD, ANALYST, units="双峰县")
    assert analyst.units is None and accounts.list_accounts(store)["units"].tolist() == [""]
    with pytest.raises(AccountError, match="至少一个") as refused:
        accounts.set_role(store, "fenxi", SUPERVISOR)
    assert "user set-units fenxi" in refused.value.message  # what to do first
    assert accounts.get(store, "fenxi").role == ANALYST
    accounts.set_units(store, "fenxi", "双峰县")  # its units first, then the role
    accounts.set_role(store, "fenxi", SUPERVISOR)
    assert accounts.get(store, "fenxi").scope == ("双峰县",)
    accounts.set_role(store, "fenxi", ANALYST)
    with pytest.raises(AccountError, match="大小写") as refused:
        accounts.create(store, "FenXi", PASSWORD, ANALYST)
    assert "“fenxi”" in refused.value.message and "“FenXi”" in refused.value.message  # the one there and the one typed


def test_enabling_an_account_again_also_lifts_its_lock(store):
    """重新启用 on a locked account: it can sign in again at once (before, only a new password unlocked it)."""
    accounts.create(store, "zhang", PASSWORD, ANALYST)
    accounts.create(store, "boss", PASSWORD, ADMIN)
    for i in range(sessions.MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused):
            sessions.sign_in(store, "zhang", f"wrong {i}")
    with pytest.raises(SignInRefused):
        sessions.sign_in(store, "zhang", PASSWORD)
    accounts.set_disabled(store, "zhang", False, by="boss")
    account, _ = sessions.sign_in(store, "zhang", PASSWORD)
    assert account.username == "zhang"


def test_account_changes_are_logged_with_where_they_came_from(store):
    accounts.create(store, "boss", PASSWORD, ADMIN)
    accounts.create(store, "zhang", PASSWORD, ANALYST, by="boss", origin="10.0.0.7")
    accounts.set_role(store, "zhang", "领导", by="boss", origin="10.0.0.8")
    accounts.reset_password(store, "zhang", PASSWORD + "x", by="boss", origin="10.0.0.9")
    accounts.set_disabled(store, "zhang", by="boss", origin="10.0.0.10")
    accounts.set_disabled(store, "zhang", False, by="boss", origin="10.0.0.11")
    log = audit.query(store, action=audit.ACCOUNT_CHANGE, account="boss").sort_values("id")
    assert log["origin"].tolist() == ["10.0.0.7", "10.0.0.8", "10.0.0.9", "10.0.0.10", "10.0.0.11"]
