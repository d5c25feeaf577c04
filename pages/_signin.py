"""Sign-in before any data: the form that replaces every page, the token kept in a cookie, sign-out, the demo banner.

The token (weakorg.accounts) is kept in this session's state and, for reloads, new tabs and
bookmarked links, in a cookie the browser sets itself (a same-origin script: Streamlit reads
request cookies but cannot set one). The cookie alone never signs anybody in: the server checks
its signature and its session (open, not expired, not idle) on every run, so after 退出登录 the
same cookie, replayed, is refused.
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from pages import _chrome
from weakorg import accounts, audit, demo, sessions
from weakorg.accounts import Account, AccountError, SignInRefused
from weakorg.store import StoreError
from weakorg.vocab import CONFIRM, CORRECT, EXPLAIN, MANAGE_ACCOUNTS, READ, ROLES, UPLOAD, VIEW_AUDIT, WITHDRAW

TOKEN = "_signin_token"  # session state: the token of this session's sign-in
ACCOUNT = "_signin_account"  # session state: the Account it resolved to on this run
SIGNED_OUT = "_signed_out"  # session state: the cookie this connection arrived with no longer counts
DEMO_ROLE = "_demo_role"  # session state: the role a demo visitor chose to try (a one-click 体验)
COOKIE = "weakorg_session"
DEMO_COOKIE = "weakorg_demo_role"  # a demo's 体验 kept by the browser, so that a reload keeps the role tried
DEMO_COOKIE_SECONDS = 365 * 24 * 3600
DEMO_COOKIE_HOLDS = "_demo_cookie"  # session state: the role the browser's demo cookie holds (read once a session)
TITLE = "登录"
USER_LABEL, PASSWORD_LABEL, SUBMIT_LABEL, SIGN_OUT_LABEL = "用户名", "密码", "登录", "退出登录"
DEMO_BANNER = (
    "演示模式：还没有建立任何账号，所有人无需登录即可查看和上传。正式使用前，请在服务器上用"
    f" `{accounts.FIRST_ADMIN_COMMAND}` 建立第一个管理员；此后须登录才能看到数据。"
)
DEMO_TRY = "体验不同角色看到的内容（不建立账号，演示模式不变）："
DEMO_AS = "以{role}体验"
DEMO_TRYING = "正在以{role}体验{units}。"
DEMO_END = "结束体验"
SAID_ROLE = "weakorg_say_role"  # the key of the role line: pages/_chrome.py says it when it changes
SIGNED_IN_AS = "已登录：{name}（{role}）"
CHANGE_PASSWORD, OLD_PASSWORD, NEW_PASSWORD, NEW_AGAIN = "修改密码", "原密码", "新密码", "再次输入新密码"
NOT_THE_SAME = "两次输入的新密码不一致，密码未修改。"
PASSWORD_CHANGED = "密码已修改，请用新密码重新登录。"  # every session of the account ended: this one too
CHANGED_NOTE = "_password_changed"  # session state: the sign-in form says the password was changed
# An address naming a page this user may not open (Streamlit opens the first page instead, in a generic dialog).
NOT_YOURS = "「{page}」不对{role}开放，已为您打开「{home}」。需要时请向管理员申请相应的角色。"
NOT_YOURS_DEMO = "「{page}」须以管理员账号登录后才能打开（演示模式还没有账号），已为您打开「{home}」。"
NOT_YOURS_SAID = "_not_yours_said"  # session state: the address already said so for (said once, not every rerun)
# A page (by its URL path) is listed for an account holding any of these permissions; the others need READ.
PAGE_PERMISSIONS = {
    "upload": (UPLOAD, WITHDRAW, CONFIRM, CORRECT, EXPLAIN),
    "review": (CORRECT,),
    "admin": (MANAGE_ACCOUNTS, VIEW_AUDIT),
}
SIGNED_IN_ONLY = accounts.SIGNED_IN_ONLY  # not even in demo mode: the first admin comes from the CLI


def origin() -> str | None:
    """Where the request comes from, when Streamlit says (for the audit log)."""
    try:
        address, headers = st.context.ip_address, dict(st.context.headers)
    except Exception:  # no client (AppTest) or a Streamlit without it
        return None
    return audit.request_origin(address if isinstance(address, str) else None, headers)


def account() -> Account | None:
    """The signed-in account of this run; None in demo mode (no account exists) or before sign-in."""
    return st.session_state.get(ACCOUNT)


def allowed(permission: str) -> bool:
    """Whether this run's user may do it: what the signed-in account's role grants; in demo mode all but accounts."""
    signed_in = account()
    if signed_in is None:
        return permission not in SIGNED_IN_ONLY
    if signed_in.demo and permission == MANAGE_ACCOUNTS:  # a demo visitor never makes a real account
        return False
    return accounts.can(signed_in, permission)


def session_token() -> str | None:
    """The token of this session's sign-in (None in a demo)."""
    return st.session_state.get(TOKEN)


def refused(store, permission: str, units=()) -> str | None:
    """Just before an action: None when this run's user may still do it (read again from the store), else why not."""
    try:
        accounts.authorize(store, account(), permission, units)
    except AccountError as exc:
        return exc.message
    return None


def permitted(pages: list) -> list:
    """The pages this run's user may open (all in demo mode): a 督导组 or 领导 has no upload page."""
    return [p for p in pages if any(allowed(need) for need in PAGE_PERMISSIONS.get(p.url_path, (READ,)))]


def say_if_not_yours(pages: list, shown: list) -> None:
    """When the address names a page of the app this user may not open, say which and why, once a session."""
    try:
        path = urlparse(st.context.url or "").path
    except Exception:  # no client (AppTest) or a Streamlit without it
        return
    name = path.rstrip("/").rsplit("/", 1)[-1]
    open_paths = {p.url_path for p in shown}
    asked = [p for p in pages if p.url_path and p.url_path == name and p.url_path not in open_paths]
    if not asked or st.session_state.get(NOT_YOURS_SAID) == path:
        return
    st.session_state[NOT_YOURS_SAID] = path
    signed_in, home = account(), shown[0].title
    if signed_in is None:
        st.warning(NOT_YOURS_DEMO.format(page=asked[0].title, home=home))
    else:
        st.warning(NOT_YOURS.format(page=asked[0].title, role=signed_in.role_label, home=home))


def _cookie(token: str, seconds: int, name: str = COOKIE) -> None:
    """Set (or, with 0 seconds, clear) the cookie from the browser: same origin, this site only."""
    script = (
        f"<script>document.cookie = '{name}={token}; path=/; max-age={seconds}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )
    st.html(script, unsafe_allow_javascript=True, width="content")


def gate(store, pages: list) -> Account | None:
    """The signed-in account, or the sign-in form in place of every page (the run stops there).

    With no account in the store (a fresh install, the demo of ``make run``) nobody signs in: a
    banner says so and None is returned.
    """
    state = st.session_state
    if not accounts.has_accounts(store):
        return _demo(store)
    state.pop(DEMO_ROLE, None)  # an account exists: a 体验 chosen before ends here
    token = state.get(TOKEN)
    if token is None and not state.get(SIGNED_OUT):
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) else None
    note = None
    if token:
        try:
            signed_in = sessions.resume(store, token)
        except SignInRefused as exc:
            note = exc.message
            state[SIGNED_OUT] = True
        else:
            state[TOKEN], state[ACCOUNT] = token, signed_in
            _sidebar(store, signed_in, token)
            return signed_in
    state.pop(TOKEN, None)
    state.pop(ACCOUNT, None)
    _form(store, pages, note)
    return None  # not reached: _form stops the run


def _demo(store) -> Account | None:
    """Demo mode: the banner and, on a demo database, a one-click 体验 as each role; the visitor's Account or None."""
    state = st.session_state
    st.warning(DEMO_BANNER, icon="⚠️")
    if DEMO_COOKIE_HOLDS not in state:  # a new session (a reload): the role the browser kept, if one of the demo's
        kept = st.context.cookies.get(DEMO_COOKIE)
        state[DEMO_COOKIE_HOLDS] = kept if kept in demo.VISITOR_ROLES else None
        if state[DEMO_COOKIE_HOLDS] is not None:
            state.setdefault(DEMO_ROLE, state[DEMO_COOKIE_HOLDS])
    role = state.get(DEMO_ROLE) if demo.demo_database(store.url) else None
    if role != state[DEMO_COOKIE_HOLDS]:  # chosen or ended: the browser keeps it for the next reload (a year)
        _cookie(role or "", DEMO_COOKIE_SECONDS if role else 0, DEMO_COOKIE)
        state[DEMO_COOKIE_HOLDS] = role
    visitor = demo.visitor(role) if role in ROLES else None
    if visitor is None:
        state.pop(ACCOUNT, None)
    else:
        state[ACCOUNT] = visitor
    if not demo.demo_database(store.url):
        return None
    with st.sidebar:  # beside the pages' own widgets, not among them
        with st.container(key=SAID_ROLE):  # said to a screen reader when the role changes (pages/_chrome.py)
            if visitor is None:
                st.caption(DEMO_TRY)
            else:
                units = f"（只看{'、'.join(sorted(visitor.units))}）" if visitor.units is not None else ""
                st.caption(DEMO_TRYING.format(role=visitor.role_label, units=units))
        row = st.container(horizontal=True)
        for key in demo.VISITOR_ROLES:
            if key != role and row.button(DEMO_AS.format(role=ROLES[key]), key=f"demo_as_{key}"):
                state[DEMO_ROLE] = key
                st.rerun()
        if visitor is not None and row.button(DEMO_END, key="demo_end"):
            state.pop(DEMO_ROLE, None)
            st.rerun()
    return visitor


def _sidebar(store, signed_in: Account, token: str) -> None:
    from weakorg.text import md_text

    with st.sidebar:
        _cookie(token, int(sessions.SESSION_LIFETIME.total_seconds()))
        st.caption(SIGNED_IN_AS.format(name=md_text(signed_in.display_name), role=signed_in.role_label))
        if st.button(SIGN_OUT_LABEL, key="sign_out"):
            sessions.sign_out(store, token, origin=origin())
            _signed_out()
        with st.expander(CHANGE_PASSWORD), st.form("change_password", clear_on_submit=True, border=False):
            old = st.text_input(OLD_PASSWORD, type="password", key="password_old")
            new = st.text_input(NEW_PASSWORD, type="password", key="password_new")
            again = st.text_input(NEW_AGAIN, type="password", key="password_again")
            submitted = st.form_submit_button(CHANGE_PASSWORD)
        if submitted:
            if new != again:
                st.error(NOT_THE_SAME)
                return
            try:
                accounts.change_own_password(store, signed_in.username, old, new, origin=origin())
            except (AccountError, StoreError) as exc:
                st.error(exc.message)
            else:
                st.session_state[CHANGED_NOTE] = True
                _signed_out()


def _signed_out() -> None:
    """This session signed out (its sign-in ended): the sign-in form from the next run on."""
    st.session_state.pop(TOKEN, None)
    st.session_state.pop(ACCOUNT, None)
    st.session_state[SIGNED_OUT] = True
    st.rerun()


def _form(store, pages: list, note: str | None) -> None:
    """The sign-in form in place of every page; the run stops after it."""
    st.navigation(pages, position="hidden")  # declared, hidden: the URL's page opens once signed in
    if st.session_state.get(SIGNED_OUT):
        _cookie("", 0)
    st.title(TITLE)
    if st.session_state.pop(CHANGED_NOTE, None):
        note = PASSWORD_CHANGED
    if note:
        st.info(note)
    with st.form("signin", width=480):
        username = st.text_input(USER_LABEL, key="signin_username")
        password = st.text_input(PASSWORD_LABEL, type="password", key="signin_password")
        submitted = st.form_submit_button(SUBMIT_LABEL, type="primary")
    if submitted:
        try:
            signed_in, token = sessions.sign_in(store, username, password, origin=origin())
        except (SignInRefused, StoreError) as exc:  # the navigation is declared already: said here, not by the router
            st.error(exc.message)
        else:
            st.session_state[TOKEN], st.session_state[ACCOUNT] = token, signed_in
            st.session_state.pop(SIGNED_OUT, None)
            st.rerun()
    _chrome.show_script()  # Streamlit's English hints and labels in Chinese for screen readers here too (last: no room)
    st.stop()
