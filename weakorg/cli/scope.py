"""``--user NAME`` on the CLI's reading commands (check, consolidate, status, …): that account's view.

Without ``--user`` the command line sees everything, as the server operator it is. With it, the
account's scope (a 督导组's units) narrows what is printed and written, and a role that may not
reveal phone numbers (weakorg.privacy.may_reveal) gets them masked, in findings' messages too.
An unknown or disabled account is an AccountError: its Chinese message, exit 2 (cli.py's codes).
"""

from __future__ import annotations

import sys
from dataclasses import replace

import pandas as pd

from weakorg import accounts, privacy
from weakorg.accounts import Account, AccountError
from weakorg.findings import Finding
from weakorg.vocab import EXPORT

USER_OPTION = "--user"
USER_HELP = "以该账号的身份查看：只含其可看的填报单位，不能查看完整电话的角色电话号码部分隐藏"
COMMANDS = ("check", "consolidate", "status", "submissions", "bulletin", "brief", "city-return")
UNKNOWN = "没有用户名为“{name}”的账号：--user 须是已建立的账号（用 python -m weakorg user list 查看）。"
DISABLED = "账号“{name}”已停用，不能以其身份查看数据；如需启用，请管理员运行 python -m weakorg user enable {name}。"
OUTSIDE_FILE = "未检查：{name} 不属于本账号可查看的填报单位。以 --user 检查时，只能检查本账号负责单位的报表。"
OUTSIDE_SCOPE = "{names}不属于账号“{user}”可查看的填报单位{what}。该账号可查看：{scope}。"  # 未生成文件, or nothing
NO_EXPORT = "账号“{user}”的角色（{role}）不能导出全市汇总表（含书记姓名和联系方式）；未生成文件。"
_RESOLVED = "_viewer"  # the account found for --user, kept on the parsed arguments


def add_user_options(sub) -> None:
    """Add ``--user NAME`` to the reading commands of the CLI's subparsers."""
    for name in COMMANDS:
        if name in sub.choices:
            sub.choices[name].add_argument(USER_OPTION, metavar="NAME", dest="user", help=USER_HELP)


def _store(args):
    from weakorg.store import existing

    return existing(getattr(args, "db", None) or None)  # an account is looked up in a store that is there


def viewer(args) -> Account | None:
    """The account named by ``--user`` (None without it); an unknown or disabled one is an AccountError."""
    name = (getattr(args, "user", None) or "").strip()
    if not name:
        return None
    if hasattr(args, _RESOLVED):
        return getattr(args, _RESOLVED)
    store = _store(args)
    try:
        found = accounts.get(store, name)
        if found is None:
            raise AccountError(UNKNOWN.format(name=name))
        listed = accounts.list_accounts(store)
        if bool(listed.loc[listed["username"] == name, "disabled"].any()):
            raise AccountError(DISABLED.format(name=name))
    finally:
        store.engine.dispose()
    setattr(args, _RESOLVED, found)
    return found


def no_export(args) -> str:
    """Why the ``--user`` account may not have the city's return, whichever command writes it ("" when it may, or
    without ``--user``): it lists secretaries and phones, for roles that may export (as on 通报与简报)."""
    account = viewer(args)
    if account is None or accounts.can(account, EXPORT):
        return ""
    return NO_EXPORT.format(user=args.user, role=account.role_label)


def scope(args) -> tuple[str, ...] | None:
    """The units the ``--user`` account may see (None: all, also without ``--user``)."""
    account = viewer(args)
    return None if account is None else account.scope


def within_scope(args, files: list) -> tuple[list, int]:
    """The files the ``--user`` account may check (a readable file of a unit outside its scope is said on stderr and
    left out: the others are checked), and how many were left out."""
    account = viewer(args)
    if account is None or account.scope is None:
        return files, 0
    outside = [fr for fr in files if fr.ok and fr.unit not in account.scope]
    for fr in outside:
        print(OUTSIDE_FILE.format(name=fr.name), file=sys.stderr)
    return [fr for fr in files if fr not in outside], len(outside)


def _masks(account: Account | None) -> bool:
    return account is not None and not privacy.may_reveal(account)


def _finding(f: Finding, mask: bool) -> Finding:
    return replace(f, message=privacy.mask_text(f.message)) if mask else f


def fit_findings(args, findings: list[Finding]) -> list[Finding]:
    """The findings the ``--user`` account may see: those of its units (and of no unit), numbers masked by role."""
    account = viewer(args)
    if account is None:
        return findings
    scope = account.scope
    kept = [f for f in findings if scope is None or f.unit is None or f.unit in scope]
    return [_finding(f, _masks(account)) for f in kept]


def fit_picture(args, picture):
    """The consolidated picture as the ``--user`` account may have it: its units only, phones masked by role."""
    from weakorg.consolidate import filter_picture

    account = viewer(args)
    if account is None:
        return picture
    if account.scope is not None:
        picture = filter_picture(picture, units=account.scope)  # its files, figures and findings too
    if _masks(account):
        picture = replace(
            picture,
            weak_orgs=privacy.masked(picture.weak_orgs),
            villages=privacy.masked(picture.villages),
            findings=[_finding(f, True) for f in picture.findings],
        )
    return picture


def unit_status(args, store, campaign) -> pd.DataFrame:
    """The reporting status (weakorg.status.unit_status) of the ``--user`` account's units, read in its scope."""
    from weakorg import scoped

    account = viewer(args)
    return scoped.unit_status(store, None if account is None else account.scope, campaign)
