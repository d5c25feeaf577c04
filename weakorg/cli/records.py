"""``python -m weakorg withdraw | confirm | reassign | submissions``: the record corrected from the command line,
and the command line's exports written to the audit log.

Each correction is the store's own record (``Store.withdraw``, ``Store.confirm``), with its one audit entry,
made by ``--by`` (else ``audit.CLI_ACCOUNT``). Exit codes are the CLI's: 0 done; 2 a request that cannot be
done (an unknown submission, nothing to confirm, an unknown unit, no reason), said in Chinese on stderr; 3 a
database fault.

A file the command line writes (``template -o``, ``check --findings-xlsx`` and ``--annotate``,
``consolidate -o``) leaves one ``audit.EXPORT`` entry naming it, in the deployment's store: the one ``--db``
or ``WEAKORG_DATABASE_URL`` names, or the default file once it holds an account. A demo without accounts,
or no store yet, records nothing, and no store is ever created for a log line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from weakorg import accounts, audit, corrections
from weakorg.campaign import default_campaign
from weakorg.cli import scope as cli_scope
from weakorg.export import sheets
from weakorg.vocab import CONFIRM, ROLE_PERMISSIONS, ROLES, WITHDRAW

EXIT_OK, EXIT_USAGE = 0, 2
JSON_COLUMNS = ("id", "name", "unit", "reported_on", "uploaded_at", "uploaded_by", "errors", "warnings")
NO_SUBMISSIONS = "没有已保存的报送。用 python -m weakorg load 文件… 保存报送。"


def add_parsers(sub) -> None:
    """Declare ``withdraw``, ``confirm``, ``reassign`` and ``submissions`` on the CLI's subparsers."""
    db = {"metavar": "URL", "help": "数据库地址（默认同 WEAKORG_DATABASE_URL）"}
    number = {"type": int, "metavar": "SUBMISSION_ID", "help": "报送编号（见 python -m weakorg submissions）"}
    p = sub.add_parser("withdraw", help="撤回一次已保存的报送（须写明原因；记录保留，该单位上一次报送重新生效）")
    p.add_argument("submission_id", **number)
    p.add_argument("--reason", required=True, help="撤回原因（必填）")
    p.add_argument("--by", default="", help="撤回人（记入撤回记录和操作日志）")
    p.add_argument("--db", **db)
    p = sub.add_parser("confirm", help="确认暂不生效报送的填表时间无误（确认后即生效）")
    p.add_argument("submission_id", **number)
    p.add_argument("--reason", required=True, help="核实情况（必填，如：经电话核实）")
    p.add_argument("--by", default="", help="确认人（记入确认记录和操作日志）")
    p.add_argument("--db", **db)
    p = sub.add_parser("reassign", help="把一次报送改归另一填报单位（文件中的党组织实属该单位时）")
    p.add_argument("submission_id", **number)
    p.add_argument("unit", metavar="UNIT", help="改归的填报单位（规范名称，如 双峰县）")
    p.add_argument("--reason", required=True, help="改归原因（必填）")
    p.add_argument("--by", default="", help="改归人（记入记录和操作日志）")
    p.add_argument("--db", **db)
    p = sub.add_parser("submissions", help="列出已保存的报送及其状态（有效、已撤回、填表时间待确认）")
    p.add_argument("--unit", help="只列这个填报单位的报送（规范名称）")
    p.add_argument("--json", action="store_true", help="以JSON输出，每次报送一个对象")
    p.add_argument("--db", **db)


def _who(args) -> str:
    return getattr(args, "by", "") or getattr(args, "user", "") or audit.CLI_ACCOUNT


def canonical(unit: str) -> str:
    """The campaign's canonical name of a unit given by that name; a ValueError in Chinese for any other text."""
    campaign = default_campaign()
    if unit in campaign.unit_names:
        return unit
    known = campaign.canonical_unit(unit)
    hint = f"您是否指“{known}”？" if known else f"如{'、'.join(campaign.unit_names[:3])}。"
    raise ValueError(f"整顿工作配置中没有名为“{unit}”的填报单位，请写填报单位的规范名称：{hint}")


NOT_AN_ACTOR = (
    "“{by}”不是可以{what}的账号：--by 须写本系统中一个启用的、有此权限的账号的用户名（{roles}），操作没有执行。"
)


def _actor_refused(store, args, permission: str, what: str) -> str | None:
    """Why ``--by`` cannot stand for this action (once accounts exist it names an enabled account that may do it),
    else None: the audit log never says that a 督导组, or nobody, did what it cannot."""
    by = (getattr(args, "by", "") or "").strip()
    if not by or not accounts.has_accounts(store):
        return None  # the CLI itself, or a demo without accounts
    account = accounts.enabled(store, by)
    if account is not None and accounts.can(account, permission):
        return None
    roles = "、".join(ROLES[r] for r, held in ROLE_PERMISSIONS.items() if permission in held)
    return NOT_AN_ACTOR.format(by=by, what=what, roles=roles)


def _act(args, done: str, act, permission: str = WITHDRAW, what: str = "撤回报送") -> int:
    from weakorg.store import existing

    store = existing(args.db)
    if refused := _actor_refused(store, args, permission, what):
        print(refused, file=sys.stderr)
        return EXIT_USAGE
    try:
        act(store)
    except ValueError as exc:  # our own Chinese message, naming the submission by its id only
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    print(done)
    return EXIT_OK


def withdraw_command(args) -> int:
    """Withdraw one stored submission with a reason; a refusal (no reason, unknown, already withdrawn) is exit 2."""
    sid = args.submission_id
    done = f"已撤回 #{sid}：该报送仍保留在已保存的报送中，不再生效；该单位此前的报送重新生效。"
    return _act(args, done, lambda store: store.withdraw(sid, args.reason, by=_who(args)))


def confirm_command(args) -> int:
    """Confirm a held submission's 填表时间 so that it stands; nothing to confirm is exit 2."""
    sid = args.submission_id
    done = f"已确认 #{sid} 的填表时间，该报送现已生效，其单位的校验结果已更新。"
    if not args.reason.strip():
        print("确认填表时间须写明核实情况（--reason），如：经电话核实。", file=sys.stderr)
        return EXIT_USAGE
    confirm = lambda store: store.confirm(sid, corrections.DATE_KIND, _who(args), args.reason)  # noqa: E731
    return _act(args, done, confirm, CONFIRM, "确认填表时间")


def reassign_command(args) -> int:
    """Assign a stored submission to another unit (by its canonical name); an unknown unit is exit 2."""
    sid = args.submission_id
    if not args.reason.strip():
        print("改归须写明原因（--reason），如：村名均属双峰县。", file=sys.stderr)
        return EXIT_USAGE

    def act(store) -> None:
        unit = canonical(args.unit.strip())
        store.confirm(sid, corrections.UNIT_KIND, _who(args), args.reason, unit)

    done = f"已将 #{sid} 改归{args.unit.strip()}：此后按该单位统计，两个单位的校验结果已更新。"
    return _act(args, done, act, CONFIRM, "改归报送")


def submissions_command(args) -> int:
    """List the stored submissions (of one unit) with their state, newest first; an unknown unit is exit 2."""
    from weakorg.store import existing

    try:
        scope = None if args.unit is None else [canonical(args.unit.strip())]
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    allowed = cli_scope.scope(args)  # --user: that account's units only
    if allowed is not None and scope is not None and scope[0] not in allowed:  # said, never an empty list
        said = cli_scope.OUTSIDE_SCOPE.format(names=scope[0], user=args.user, what="", scope="、".join(allowed))
        print(said, file=sys.stderr)
        return EXIT_USAGE
    if allowed is not None:
        scope = [u for u in (scope or allowed) if u in allowed]
    store = existing(args.db)
    if args.json:
        print(json.dumps(submission_records(store, scope), ensure_ascii=False, indent=2))
        return EXIT_OK
    table = corrections.submissions_record(store, scope)
    if table.empty:
        print(NO_SUBMISSIONS)
        return EXIT_OK
    print(sheets.csv_text(table.astype(object).where(table.notna(), ""), sep="\t"), end="")
    print(f"共 {len(table)} 次报送。")
    return EXIT_OK


def submission_records(store, scope: Iterable[str] | None = None) -> list[dict]:
    """The submissions in scope, newest first, as JSON objects: id, name, unit, state, and who withdrew one and why."""
    subs = store.submissions(set(scope) if scope is not None else None).iloc[::-1]
    units = default_campaign().unit_names
    assigned, keys = store.assignments(), corrections.states(subs, corrections.standing_ids(store, scope), units)
    out = []
    for row, state in zip(subs.to_dict("records"), keys, strict=True):  # corrections.STATE_LABELS names each
        record = {c: _plain(row[c]) for c in JSON_COLUMNS}
        record["state"] = state
        record["assigned_from"] = assigned[row["id"]][0] if row["id"] in assigned else None
        withdrawn = state == "withdrawn"  # every record has the same keys: null where nothing was withdrawn
        record["withdrawn_by"] = row["withdrawn_by"] if withdrawn else None
        record["withdraw_reason"] = row["withdraw_reason"] if withdrawn else None
        record["reinstated_at"] = _plain(row["reinstated_at"])  # NaT → null
        record["reinstated_by"] = row["reinstated_by"]  # withdrawn once and uploaded again: it stands again
        out.append(record)
    return out


def _plain(value):
    if value is pd.NaT:
        return None
    if isinstance(value, datetime):  # the store keeps moments in UTC, naive: said so (+00:00), as audit --json does
        return value.replace(tzinfo=UTC).isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return None if value is None or value != value else value  # NaN, NaT → null


COMMANDS = {
    "withdraw": withdraw_command,
    "confirm": confirm_command,
    "reassign": reassign_command,
    "submissions": submissions_command,
}


# --- exports audited -------------------------------------------------------------------------------


def _export_store(db: str | None):
    """The deployment's store an export is recorded in, or None (a demo without accounts, or no store yet)."""
    from weakorg import demo
    from weakorg.accounts import has_accounts
    from weakorg.store import Store, database_url, exists

    url = database_url(db)
    if not exists(url):
        return None  # never a new store for a log line
    store = Store(url)
    if not db and demo.demo_database(url) and not has_accounts(store):
        store.engine.dispose()
        return None
    return store


def record_exports(args, paths: Iterable[Path | str], what: str) -> None:
    """One ``audit.EXPORT`` entry per file a command wrote (its name; ``what`` it is), by ``--by`` or the CLI; its
    units those of the ``--user`` account that narrowed it (blank: every unit)."""
    paths = [Path(p) for p in paths]
    store = _export_store(getattr(args, "db", None)) if paths else None
    if store is None:
        return
    unit = audit.units_text(cli_scope.scope(args))
    try:
        for path in paths:
            audit.record(store, _who(args), audit.EXPORT, unit=unit, file=path.name, detail=f"{what}：{path}")
    finally:
        store.engine.dispose()
