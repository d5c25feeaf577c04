"""账号与日志 (admins): make and change accounts, and read the audit log with filters and a download."""

from functools import partial

import streamlit as st

from pages import _common as common
from pages import _tables
from weakorg import accounts, admin, audit, downloads
from weakorg.accounts import AccountError
from weakorg.campaign import default_campaign
from weakorg.passwords import PASSWORD_RULE
from weakorg.text import md_text
from weakorg.vocab import MANAGE_ACCOUNTS, PICK, ROLE_DUTIES, ROLES, VIEW_AUDIT

common.through_router()

SET_ROLE, SET_UNITS, RESET_PASSWORD, DISABLE, ENABLE = "修改角色", "修改单位", "重设密码", "停用", "重新启用"
PASSWORDS_DIFFER = "两次输入的密码不一致，请重新输入。"
NOT_YOURSELF = "不能停用自己的账号或修改自己的角色：请另一位管理员操作，或在服务器上用命令行。"
ALL = "全部"

st.title("账号与日志")
store = common.get_store()
me = common.account()
units = list(default_campaign().unit_names)
manage = common.allowed(MANAGE_ACCOUNTS)  # not a demo's 体验 管理员: a real account would end the demo
if not manage:
    st.info(accounts.DEMO_NO_ACCOUNTS)

listed = accounts.list_accounts(store)
if manage:
    with st.expander("新建账号"), st.form("account_new", clear_on_submit=True):
        username = st.text_input("用户名", key="new_username")
        display = st.text_input("显示名（如姓名，可不填）", key="new_display")
        st.caption("；".join(f"{ROLES[r]}：{ROLE_DUTIES[r]}" for r in ROLES) + "。")
        role = st.selectbox(
            "角色", list(ROLES), format_func=ROLES.get, key="new_role", placeholder=PICK, index=None
        )  # no role chosen for the admin: the most powerful one is never the one a hurried click leaves
        picked = st.multiselect(
            "督导组可看的填报单位（仅督导组填写）", units, key="new_units", placeholder="督导组必填", select_all=False
        )
        first = st.text_input("密码", type="password", key="new_password", help=PASSWORD_RULE)
        second = st.text_input("再输入一次密码", type="password", key="new_password2")
        if st.form_submit_button("新建账号"):
            why = common.refused(MANAGE_ACCOUNTS)  # checked again as it is done: the form may be stale
            if why:
                st.error(why)
            elif first != second:
                st.error(PASSWORDS_DIFFER)
            else:
                try:
                    if role is None:
                        raise AccountError("请选择账号的角色。")
                    made = accounts.create(store, username, first, role, picked, display, by=me, origin=common.origin())
                    st.success(f"已新建账号 {md_text(made.username)}（{made.role_label}）。")
                except AccountError as exc:
                    st.error(md_text(exc.message))

    with st.expander("修改账号"):
        name = st.selectbox("账号", listed["username"].tolist(), key="change_account", placeholder=PICK)
        change = st.radio("操作", (SET_ROLE, SET_UNITS, RESET_PASSWORD, DISABLE, ENABLE), horizontal=True, key="change")
        if change == SET_ROLE:
            new_role = st.selectbox("新角色", list(ROLES), format_func=ROLES.get, key="change_role", placeholder=PICK)
        elif change == SET_UNITS:
            current = accounts.get(store, name) if name else None
            shown = sorted(current.units or ()) if current is not None and current.units is not None else []
            new_units = st.multiselect(
                "可看的填报单位（督导组）",
                units,
                default=shown,
                key=f"change_units_{name}",
                placeholder=PICK,
                select_all=False,
            )
        elif change == RESET_PASSWORD:
            new_first = st.text_input("新密码", type="password", key="change_password", help=PASSWORD_RULE)
            new_second = st.text_input("再输入一次新密码", type="password", key="change_password2")
        elif change == ENABLE:
            st.caption("重新启用同时解除因连续输错密码造成的锁定。")
        sure = change != DISABLE or st.checkbox("确认停用该账号（其全部登录随即结束）", key="change_sure")
        if st.button("确定", key="change_apply", disabled=not name or not sure):
            try:
                why = common.refused(MANAGE_ACCOUNTS)  # checked again as it is done: the form may be stale
                if why:
                    st.error(why)
                elif me is not None and name == me.username and change in (SET_ROLE, DISABLE):
                    st.error(NOT_YOURSELF)
                elif change == SET_ROLE:
                    accounts.set_role(store, name, new_role, by=me, origin=common.origin())
                    st.success(f"账号 {md_text(name)} 的角色已改为{ROLES[new_role]}。")
                elif change == SET_UNITS:
                    done = accounts.set_units(store, name, new_units, by=me, origin=common.origin())
                    st.success(f"账号 {md_text(name)} 可看的填报单位：{'、'.join(done) or '无'}。")
                elif change == RESET_PASSWORD and new_first != new_second:
                    st.error(PASSWORDS_DIFFER)
                elif change == RESET_PASSWORD:
                    accounts.reset_password(store, name, new_first, by=me, origin=common.origin())
                    st.success(f"账号 {md_text(name)} 的密码已重设，其全部登录已结束。")
                else:
                    accounts.set_disabled(store, name, change == DISABLE, by=me, origin=common.origin())
                    st.success(f"账号 {md_text(name)} 已{change}。")
            except AccountError as exc:
                st.error(md_text(exc.message))

st.header("账号")
_tables.table(admin.accounts_table(accounts.list_accounts(store)), "accounts")  # a demo has none

st.header(admin.AUDIT_TITLE)
cols = st.columns(4)
since = cols[0].date_input("起始日期", value=None, key="audit_since")
until = cols[1].date_input("截止日期", value=None, key="audit_until")
who = cols[2].selectbox(
    "账号", [None, *listed["username"]], format_func=lambda a: a or ALL, key="audit_account", placeholder=PICK
)
action = cols[3].selectbox(
    "操作",
    [None, *audit.ACTIONS],
    format_func=lambda a: audit.ACTIONS.get(a, ALL),
    key="audit_action",
    placeholder=PICK,
)
log = audit.query(store, since=since, until=until, account=who, action=action)
table = admin.audit_table(log).iloc[::-1].reset_index(drop=True)  # the newest first, as a log is read
st.caption(f"共 {len(table)} 条，最新的在前（时间为北京时间；日期按北京时间的自然日筛选）")
_tables.table(table, "audit_log")
row = st.container(horizontal=True)
for fmt in downloads.FORMATS:
    file_name = f"{admin.AUDIT_TITLE}.{fmt}"
    row.download_button(
        downloads.button_label(fmt, admin.AUDIT_TITLE),
        data=common.audited(
            partial(downloads.table_bytes, table, fmt, sheet=admin.AUDIT_TITLE), file_name, None, VIEW_AUDIT
        ),
        file_name=file_name,
        mime=downloads.FORMATS[fmt],
        key=f"audit_{fmt}",
        on_click="ignore",
    )
