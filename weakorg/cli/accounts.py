"""``python -m weakorg user …`` and ``python -m weakorg audit``: accounts and the audit log from the command line.

The first admin is made here (``user add NAME --role 管理员``). A password is read from stdin
(``--password-stdin``, one line) or asked twice without echo; it is never an argument (it would
stay in the shell's history and the process list). Changes are written to the audit log as made
by the command line.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC

from weakorg import accounts, admin, audit
from weakorg.accounts import AccountError
from weakorg.cli.documents import as_of_date  # a date argument, or a Chinese usage error
from weakorg.export import sheets
from weakorg.vocab import ROLES

ROLE_CHOICES = "、".join(f"{label}（{key}）" for key, label in ROLES.items())
AUDIT_COLUMNS = ("at", "account", "action", "outcome", "unit", "file", "detail", "origin")


def add_parsers(sub) -> None:
    """Declare the ``user`` and ``audit`` subcommands on the CLI's subparsers."""
    user = sub.add_parser("user", help="账号管理：新建、列出、改角色、改单位、重设密码、停用")
    user.add_argument("--db", metavar="URL", help="数据库地址（默认同 WEAKORG_DATABASE_URL）")
    acts = user.add_subparsers(dest="user_command", required=True, metavar="操作")
    p = acts.add_parser("add", help="新建账号（第一个管理员由此建立）")
    p.add_argument("name", metavar="NAME", help="用户名")
    p.add_argument("--role", required=True, help=f"角色：{ROLE_CHOICES}")
    p.add_argument("--units", default="", help="督导组可看的填报单位，逗号分隔，如 双峰县,新化县")
    p.add_argument("--display-name", default="", help="显示名（如姓名，默认同用户名）")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    p = acts.add_parser("list", help="列出账号")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p = acts.add_parser("set-role", help="修改角色")
    p.add_argument("name", metavar="NAME")
    p.add_argument("role", metavar="ROLE", help=f"角色：{ROLE_CHOICES}")
    p = acts.add_parser("set-units", help="修改督导组可看的填报单位")
    p.add_argument("name", metavar="NAME")
    p.add_argument("units", metavar="UNITS", help="逗号分隔，如 双峰县,新化县；空字符串表示没有")
    p = acts.add_parser("reset-password", help="重设密码（解除锁定，结束该账号的全部登录）")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    for name, text in (("disable", "停用账号（结束其全部登录）"), ("enable", "重新启用账号")):
        acts.add_parser(name, help=text).add_argument("name", metavar="NAME")

    p = sub.add_parser("audit", help="查看操作日志")
    p.add_argument("--db", metavar="URL", help="数据库地址（默认同 WEAKORG_DATABASE_URL）")
    p.add_argument("--since", type=as_of_date, metavar="YYYY-MM-DD", help="从这一天起（北京时间）")
    p.add_argument("--until", type=as_of_date, metavar="YYYY-MM-DD", help="到这一天止（含，北京时间）")
    p.add_argument("--account", help="只看这个账号")
    p.add_argument("--action", help=f"只看这种操作：{'、'.join(f'{v}（{k}）' for k, v in audit.ACTIONS.items())}")
    p.add_argument("--unit", help="只看这个填报单位")
    p.add_argument("--json", action="store_true", help="以JSON输出，每条一个对象")


NO_TERMINAL = (
    "这里没有可以输入密码的终端，账号没有改动：请加 --password-stdin，从标准输入读取密码"
    "（如 python -m weakorg user add 用户名 --role 分析员 --password-stdin < 密码文件）。"
)


def has_terminal() -> bool:
    """Whether a password can be typed here without echo (stdin is a terminal)."""
    return sys.stdin.isatty()


def _password(from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not has_terminal():  # cron, a pipe, ssh without a terminal: getpass would echo it, or find nothing
        raise AccountError(NO_TERMINAL)
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise AccountError("两次输入的密码不一致，账号没有改动，请重新运行。")
    return first


def run_user(args, store) -> int:
    """Run one ``user`` subcommand; 0 done (an AccountError is the caller's usage error)."""
    by = audit.CLI_ACCOUNT
    command, name = args.user_command, getattr(args, "name", None)
    if command == "add":
        account = accounts.create(
            store, name, _password(args.password_stdin), args.role, args.units, args.display_name, by=by
        )
        units = f"，单位：{'、'.join(sorted(account.units))}" if account.units else ""
        print(f"已新建账号 {account.username}（{account.role_label}{units}）。")
    elif command == "list":
        _print_accounts(accounts.list_accounts(store), args.json)
    elif command == "set-role":
        accounts.set_role(store, name, args.role, by=by)
        print(f"账号 {name} 的角色已改为{ROLES[accounts.parse_role(args.role)]}。")
    elif command == "set-units":
        units = accounts.set_units(store, name, args.units, by=by)
        unread = admin.units_unread(units, accounts.get(store, name).role)
        print(f"账号 {name} 可看的填报单位：{'、'.join(units) or '无'}{unread}。")
    elif command == "reset-password":
        accounts.reset_password(store, name, _password(args.password_stdin), by=by)
        print(f"账号 {name} 的密码已重设，其全部登录已结束。")
    else:
        accounts.set_disabled(store, name, command == "disable", by=by)
        print(f"账号 {name} 已{'停用，其全部登录已结束' if command == 'disable' else '重新启用'}。")
    return 0


def _print_accounts(frame, as_json: bool) -> None:
    if as_json:
        print(json.dumps(admin.accounts_records(frame), ensure_ascii=False, indent=2))
    elif frame.empty:
        print("还没有账号。用 python -m weakorg user add 用户名 --role 管理员 建立第一个管理员。")
    else:
        print(sheets.csv_text(admin.accounts_table(frame), sep="\t"), end="")


def _action(text: str | None) -> str | None:
    if text is None or text in audit.ACTIONS:
        return text
    for key, label in audit.ACTIONS.items():
        if text == label:
            return key
    raise AccountError(f"没有“{text}”这种操作：请写 {'、'.join(audit.ACTIONS.values())} 之一（或其英文代码）。")


def _unit(text: str | None) -> tuple[str | None, str | None]:
    """The unit an audit query names, by its canonical name when the campaign knows it (双峰 -> 双峰县), and why
    not when it does not (the log may still name a unit outside the campaign: a file of an unknown unit)."""
    from weakorg.campaign import default_campaign
    from weakorg.cli.records import canonical

    if text is None:
        return None, None
    if known := default_campaign().canonical_unit(text.strip()):
        return known, None
    try:
        return canonical(text.strip()), None
    except ValueError as exc:
        return text.strip(), str(exc)


def run_audit(args, store) -> int:
    """Print the audit log entries that match the filters; 0 (2 for a unit neither the campaign nor the log knows)."""
    unit, unknown = _unit(args.unit)
    log = audit.query(
        store, since=args.since, until=args.until, account=args.account, action=_action(args.action), unit=unit
    )
    if unknown and log.empty:
        raise AccountError(unknown)
    rows = log.astype(object).where(log.notna(), None).to_dict("records")
    if args.json:
        for r in rows:
            r["at"] = r["at"].replace(tzinfo=UTC).isoformat(timespec="seconds")  # the moment, its zone said
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    table = admin.audit_table(log)[[admin.AUDIT_HEADERS[c] for c in AUDIT_COLUMNS]]
    print(sheets.csv_text(table.fillna(""), sep="\t"), end="")
    print(f"共 {len(rows)} 条。")
    return 0


def user_command(args) -> int:
    """``python -m weakorg user …`` on the store of ``--db`` (else the configured one)."""
    from weakorg.store import Store, existing

    return run_user(args, Store(args.db) if args.user_command == "add" else existing(args.db))  # the first admin


def audit_command(args) -> int:
    """``python -m weakorg audit`` on the store of ``--db`` (else the configured one)."""
    from weakorg.store import existing

    return run_audit(args, existing(args.db))
