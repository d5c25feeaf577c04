"""The command line: ``python -m weakorg template | sample | check | consolidate | load | status | bench``,
and ``user`` and ``audit`` (weakorg/cli/accounts.py).

Exit codes: 0 done; 1 a file refused, an error found or a file not stored; 2 a usage error (also an
account request that cannot be done: a taken username, an unknown role or unit); 3 the
database cannot be used or refused to save (its fault in Chinese on stderr); 4 an unexpected
error (a Chinese line; ``--debug`` or ``WEAKORG_DEBUG=1`` shows the traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import glob
import json
import logging
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from weakorg.accounts import AccountError
from weakorg.campaign import Campaign, CampaignFileMissing, CampaignInvalid, default_campaign, load_campaign
from weakorg.cli import accounts as cli_accounts
from weakorg.cli import corrections as cli_corrections
from weakorg.cli import documents as cli_documents
from weakorg.cli import records as cli_records
from weakorg.cli import scope as cli_scope
from weakorg.cli.argwords import in_chinese
from weakorg.cli.outputs import (
    write_annotated,
    write_city_return,
    write_findings_list,
    write_official,
    wrong_suffix,
)
from weakorg.cli.report import counts_line, format_findings, format_picture
from weakorg.consolidate import consolidate, picture_to_json
from weakorg.findings import ERROR, Finding
from weakorg.store.errors import StoreError
from weakorg.tables import FileResult, returns_from_files
from weakorg.vocab import FORM_ATTACHMENTS, NO_UNIT_LABEL

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_STORE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
DEBUG_FLAG, DEBUG_ENV = "--debug", "WEAKORG_DEBUG"  # show tracebacks and log lines (a flag anywhere, or the env)
NOTHING_READABLE = "没有可读取的报表，未生成汇总。请按上面各文件的说明改正后再汇总。"
EXIT_CODES_HELP = (
    "退出码：0 完成；1 有文件被拒收、发现错误或有文件未保存；2 命令用法错误（含无法办理的账号操作）；"
    "3 数据库无法使用或保存失败；4 程序内部出错；130 被中断。"
)
INTERNAL_ERROR = "程序内部出错（{name}），操作没有完成。运行时加 --debug 查看详情，并把详情告知系统管理员。"
INTERNAL_ERROR_DEBUG = "程序内部出错（{name}），操作没有完成。请把以上详情告知系统管理员。"  # --debug: shown above
# A path the command cannot write (or read): which, why, and what to do; never Python's English words.
PATH_FAILED = "无法写入或读取“{path}”：{why}。请检查路径和权限后重试。"
PATH_REASONS = {
    errno.ENOENT: "所在的文件夹不存在",
    errno.EEXIST: "已有同名的文件（此处应为文件夹）",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一项是文件，不是文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在磁盘只读",
    errno.ENOSPC: "磁盘空间已满",
}
INTERRUPTED = "已中断：正在进行的操作没有完成，已保存的报送不受影响。"
SAME_FAULT = "（同上）"


# --- arguments -----------------------------------------------------------------------------------


def expand_paths(args: Sequence[str]) -> tuple[list[Path], list[str]]:
    """Files named by the arguments (a directory stands for its files, a glob for its matches); and the unmatched."""
    files: list[Path] = []
    missing: list[str] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith((".", "~$")))
        elif p.is_file():
            found = [p]
        elif glob.has_magic(arg):
            found = sorted(Path(f) for f in glob.glob(arg, recursive=True) if Path(f).is_file())
        else:
            found = []
        if not found:
            missing.append(arg)
        files.extend(f for f in found if f not in files)
    return files, missing


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m weakorg``."""
    parser = argparse.ArgumentParser(
        prog="python -m weakorg", description="软弱涣散基层党组织报表：模板、示例、检查与汇总。", epilog=EXIT_CODES_HELP
    )
    parser.add_argument(DEBUG_FLAG, action="store_true", help="出错时显示详细的调用栈与日志（供系统管理员排查）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("template", help="生成附件1、2、3空白模板")
    p.add_argument("-o", "--out", required=True, type=Path, help="输出目录")

    p = sub.add_parser("sample", help="生成示例报表")
    p.add_argument("-o", "--out", required=True, type=Path, help="输出目录")
    p.add_argument("--seed", type=int, default=2014, help="随机种子（默认2014）")

    for name, text in (("check", "检查报表，列出问题"), ("consolidate", "汇总报表")):
        p = sub.add_parser(name, help=text)
        p.add_argument("files", nargs="+", metavar="FILE", help="报表文件、目录或通配符")
        p.add_argument("--campaign", type=Path, help="整顿工作配置文件（TOML），默认2014年娄底市")
        if name == "check":
            p.add_argument(
                "--db", metavar="URL", help="与数据库中同一单位已保存的报表一并检查（如首次报送日期、删去的党组织）"
            )
            p.add_argument("--findings-xlsx", type=Path, metavar="OUT.xlsx", help="把问题清单写入.xlsx（可发回各单位）")
            p.add_argument(
                "--annotate", type=Path, metavar="DIR", help="在DIR中写出各文件的批注副本：问题单元格标色并附说明"
            )
        if name == "consolidate":
            p.add_argument("-o", "--out", type=Path, help="写出汇总表（.xlsx）")
            p.add_argument(
                "--layout",
                choices=("official", "tables"),
                default="official",
                help="official：按附件1、2、3正式格式（默认）；tables：平铺表格",
            )
            p.add_argument("--json", action="store_true", help="以JSON输出汇总结果")

    p = sub.add_parser("load", help="检查报表并保存到数据库（每个文件单独保存）")
    p.add_argument("files", nargs="+", metavar="FILE", help="报表文件、目录或通配符")
    p.add_argument("--campaign", type=Path, help="整顿工作配置文件（TOML），默认2014年娄底市")
    p.add_argument("--by", default="", help="上传人（记入每条报送记录）")

    cli_records.add_parsers(sub)  # withdraw, confirm, reassign, submissions

    p = sub.add_parser("status", help="各填报单位报送情况（按时、逾期、未报送）")
    p.add_argument("--campaign", type=Path, help="整顿工作配置文件（TOML），默认2014年娄底市")
    p.add_argument("--json", action="store_true", help="以JSON输出，每个单位一个对象")

    cli_accounts.add_parsers(sub)
    cli_corrections.add_parsers(sub)  # corrections; --db on consolidate
    cli_documents.add_parsers(sub)
    cli_scope.add_user_options(sub)  # --user NAME on check, consolidate, status

    p = sub.add_parser("bench", help="性能基准：与pandas/openpyxl读取及解压解析下限在同一批文件上对比")
    p.add_argument("--scale", default="city", help="语料规模：tiny、city、province、country，或单位个数（默认city）")
    p.add_argument("--seed", type=int, default=2014, help="随机种子（默认2014）")
    p.add_argument("--cache", type=Path, help="语料缓存目录（默认 ~/.cache/weakorg-bench）")
    p.add_argument("--render", action="store_true", help="另测全市总览经AppTest渲染的用时")
    return parser


# --- reading -------------------------------------------------------------------------------------


def _campaign(path: Path | None) -> Campaign:
    return load_campaign(path) if path else default_campaign()


def read_paths(paths: Sequence[Path], campaign: Campaign) -> list[FileResult]:
    """Read every file (the reader refuses what is not a return; one bad file never stops the others)."""
    from weakorg.read import read_files

    results = read_files([str(p) for p in paths], campaign=campaign)
    for path, fr in zip(paths, results, strict=True):
        fr.name = fr.name or path.name
    shared = Counter(fr.name for fr in results)
    for path, fr in zip(paths, results, strict=True):
        if shared[fr.name] > 1:  # one name in two folders (x/list.xlsx, y/list.xlsx): told apart by the path given
            said = str(path)
            fr.findings = [dataclasses.replace(f, file=said) if f.file == fr.name else f for f in fr.findings]
            fr.name = said
    return results


# --- check ---------------------------------------------------------------------------------------


def exit_code(files: Sequence[FileResult], findings: Sequence[Finding]) -> int:
    """1 when any file was refused or any error was found, else 0."""
    return EXIT_PROBLEMS if any(not fr.ok for fr in files) or any(f.severity == ERROR for f in findings) else EXIT_OK


# --- main ----------------------------------------------------------------------------------------


def _run_template(args) -> int:
    from weakorg.export.templates import write_templates

    paths = write_templates(args.out)
    for path in paths:
        print(path)
    cli_records.record_exports(args, paths, "空白模板")
    return EXIT_OK


def _run_sample(args) -> int:
    from weakorg.sample import write_samples

    for path in write_samples(args.out, seed=args.seed):
        print(path)
    return EXIT_OK


def _given_paths(args) -> tuple[list[Path], list[str]]:
    """The files the arguments name (patterns expanded) and the arguments naming none, each said on stderr."""
    paths, missing = expand_paths(args.files)
    for arg in missing:
        print(f"找不到文件：{arg}", file=sys.stderr)
    if not paths:
        print("没有可读取的文件。", file=sys.stderr)
    return paths, missing


def _read_args(args) -> tuple[list[FileResult], Campaign, list[str]] | None:
    """The files read, the campaign, and the arguments that named no file (said on stderr: the exit is then 1)."""
    paths, missing = _given_paths(args)
    if not paths:
        return None
    campaign = _campaign(args.campaign)
    return read_paths(paths, campaign), campaign, missing


def _run_check(args) -> int:
    from weakorg.checks import run_checks

    read = _read_args(args)
    if read is None:
        return EXIT_USAGE
    files, campaign, missing = read
    files, outside = cli_scope.within_scope(args, files)  # --user: only files of the account's units are checked
    if not files:
        return EXIT_USAGE
    findings = (
        run_checks(returns_from_files(files), campaign)
        if not args.db
        else _checks_with_history(files, args.db, campaign)
    )
    findings = cli_scope.fit_findings(args, findings)  # --user: its units only, numbers masked by role
    print(format_findings(files, findings))
    if args.findings_xlsx:
        print(f"问题清单已写入：{write_findings_list(findings, args.findings_xlsx)}")
        cli_records.record_exports(args, [args.findings_xlsx], "问题清单")
    if args.annotate:
        paths, _ = expand_paths(args.files)
        lines, written = write_annotated(files, paths, findings, args.annotate)
        for line in lines:
            print(line)
        cli_records.record_exports(args, written, "批注副本")
    code = max(exit_code(files, findings), EXIT_PROBLEMS if missing else EXIT_OK)  # a path naming nothing: 1, as load
    return EXIT_USAGE if outside else code  # a file the account may not check: 2, once the others are checked


def _checks_with_history(files: Sequence[FileResult], url: str, campaign: Campaign) -> list[Finding]:
    """The findings of the files checked together with the stored returns of their units (those about the files)."""
    from weakorg.app import check_batch
    from weakorg.store import existing

    store = existing(url)  # a mistyped --db: said, never a new empty database to check against
    try:
        return check_batch(files, campaign, store)
    finally:
        store.engine.dispose()


def _run_consolidate(args) -> int:
    read = _read_args(args)
    if read is None:
        return EXIT_USAGE
    files, campaign, missing = read
    if said := wrong_suffix(args.out, "xlsx"):
        print(said, file=sys.stderr)
        return EXIT_USAGE
    refused = [fr for fr in files if not fr.ok]
    for fr in refused:  # said as check says it, on stderr: the output stays the consolidation
        print(f"【{fr.name}】已拒收（{fr.reason}）：{fr.message or ''}", file=sys.stderr)
    if len(refused) == len(files):
        print(NOTHING_READABLE, file=sys.stderr)
        return EXIT_PROBLEMS
    if args.out and (refused_export := cli_scope.no_export(args)):  # the city's return: a role that may export
        print(refused_export, file=sys.stderr)
        return EXIT_USAGE
    files = cli_corrections.as_stored(args, files)  # as the pages: withdrawn counts nowhere, reassigned for its unit
    picture = cli_corrections.corrected(args, consolidate(returns_from_files(files), campaign))  # analysts' word
    picture = cli_scope.fit_picture(args, picture)  # --user: scope, masks
    if args.json:
        print(json.dumps(picture_to_json(picture), ensure_ascii=False, indent=2))
    else:
        print(format_picture(picture))
    if args.out:
        path = (
            write_city_return(picture, args.out)
            if args.layout == "tables"
            else write_official(picture, args.out, campaign, cli_scope.scope(args))
        )
        print(f"汇总表已写入：{path}", file=sys.stderr if args.json else sys.stdout)
        cli_records.record_exports(args, [path], "汇总表")
    return EXIT_PROBLEMS if refused or missing else EXIT_OK  # 1: a file refused or not found (the others consolidated)


def _run_load(args) -> int:
    """Read and check the files together (as the upload page does), then store each readable one on its own."""
    from weakorg.app import process_uploads, store_readable
    from weakorg.read.guard import file_bytes
    from weakorg.store import Store

    paths, missing = _given_paths(args)
    if not paths:
        return EXIT_USAGE
    store = Store()
    campaign = _campaign(args.campaign)
    # with history; a file is never read past the size limit (a 3 GB file is refused from its first 20 MB)
    results = process_uploads([(p.name, file_bytes(p)) for p in paths], campaign, store=store)
    refused = 0
    for r in results:
        if not r.ok:
            refused += 1
            print(f"已拒收：{r.name}（{r.file.reason}）{r.file.message or ''}")
    readable = [r for r in results if r.ok]
    counts = {"stored": 0, "known": 0, "failed": 0, "back": 0}
    faults: list[StoreError] = []  # the database's faults, each said once (a full disk fails every file after)

    def report(s) -> None:
        r = readable[s.index]
        if isinstance(s.error, StoreError):  # nothing of this file is stored; the database is as it was
            counts["failed"] += 1
            known = any(f.message == s.error.message for f in faults)
            print(f"未保存：{r.name}：{SAME_FAULT if known else s.error.message}")
            faults.append(s.error)
        elif s.error is not None:  # a value the database refuses: nothing of this file is stored
            counts["failed"] += 1
            print(f"未保存：{r.name}（{type(s.error).__name__}）{s.error}")
        elif s.reinstated:  # an earlier withdrawal undone: said, as the upload page says it
            counts["back"] += 1
            print(f"已恢复 #{s.id}：{r.name}（此前已被撤回，同一文件重新上传后恢复计入；撤回记录仍保留）")
        elif not s.new:
            counts["known"] += 1
            print(f"已存在 #{s.id}：{r.name}（内容相同的文件此前已保存）")
        else:
            counts["stored"] += 1
            forms = "、".join(FORM_ATTACHMENTS[f] for f in r.file.forms)
            print(f"已保存 #{s.id}：{r.name}（{r.file.unit or NO_UNIT_LABEL}；{forms}；{counts_line(r.findings)}）")

    store_readable(store, results, args.by, report, campaign)
    failed = f"，保存失败{counts['failed']}个" if counts["failed"] else ""
    back = f"，撤回后重新上传、恢复计入{counts['back']}个" if counts["back"] else ""
    wrong = sum(any(f.severity == ERROR for f in r.findings) for r in readable)  # stored with what is to be fixed
    errors = f"；有错误的文件{wrong}个，请按问题清单转告填报单位改正" if wrong else ""
    print(
        f"共{len(results)}个文件：新保存{counts['stored']}个{back}，此前已保存{counts['known']}个，拒收{refused}个{failed}"
        f"{errors}。"
    )
    refused += counts["failed"]
    if faults:
        for message in dict.fromkeys(f.message for f in faults):
            print(message, file=sys.stderr)
        return EXIT_STORE
    return EXIT_PROBLEMS if refused or missing or wrong else EXIT_OK  # 1 as check says it: refused, failed or errors


def _run_status(args) -> int:
    from weakorg.asof import behind_units, status_day
    from weakorg.status import status_table, status_to_json
    from weakorg.store import existing

    store = existing()
    campaign = _campaign(args.campaign)
    status = cli_scope.unit_status(args, store, campaign)  # --user: its units only, read so
    if args.json:
        print(json.dumps(status_to_json(status), ensure_ascii=False, indent=2))
    else:
        behind = behind_units(status, status_day(status), campaign)  # the round the returns reached
        with pd.option_context("display.unicode.east_asian_width", True):  # Chinese is two columns wide
            print(status_table(status, *behind).to_string(index=False))  # 首次按时，第3次未报, as the page says
    return EXIT_OK


def _run_bench(args) -> int:
    """The scale benchmark (bench/run.py, beside the package in the repository)."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from bench.run import run_bench

    run_bench(args.scale, args.seed, args.cache, args.render)
    return EXIT_OK


COMMANDS = {
    "template": _run_template,
    "sample": _run_sample,
    "check": _run_check,
    "consolidate": _run_consolidate,
    "load": _run_load,
    **cli_records.COMMANDS,
    "status": _run_status,
    "user": cli_accounts.user_command,
    cli_corrections.COMMAND: cli_corrections.corrections_command,
    "audit": cli_accounts.audit_command,
    "bulletin": cli_documents.document_command,
    "brief": cli_documents.document_command,
    "city-return": cli_documents.document_command,
    "bench": _run_bench,
}


def _quiet_logs(debug: bool) -> None:
    """Log lines (English, for whoever runs a server) stay off the terminal unless debugging."""
    logger = logging.getLogger("weakorg")
    if debug:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        logger.setLevel(logging.INFO)
    elif not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())  # else Python's last-resort handler prints warnings on stderr


def _subparser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The parser of ``command`` (``parser`` itself when there is none)."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if command in getattr(action, "choices", {}):
            return action.choices[command]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m weakorg`` with the given arguments; the exit code (see the module's docstring).

    A database fault or an unexpected error prints one Chinese message on stderr, never a traceback,
    unless ``--debug`` (anywhere in the arguments) or ``WEAKORG_DEBUG=1``.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in argv or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    with in_chinese():  # argparse's usage, errors and --help in Chinese
        parser = build_parser()
        args, extra = parser.parse_known_args([a for a in argv if a != DEBUG_FLAG])
        if extra:  # said with the command's own usage (check …), not the top level's (exit 2)
            _subparser(parser, args.command).error(f"无法识别的参数：{' '.join(extra)}")
    _quiet_logs(debug)
    try:
        return COMMANDS[args.command](args)
    except StoreError as exc:
        if debug:
            traceback.print_exception(exc.original or exc)
        print(exc.message, file=sys.stderr)
        return EXIT_STORE
    except (AccountError, CampaignFileMissing, CampaignInvalid) as exc:  # a taken username…; a campaign file unusable
        print(exc.message, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into a command that stopped reading: __main__ ends quietly
        raise
    except OSError as exc:  # an output path that cannot be written: -o, --annotate, --findings-xlsx
        if debug:
            traceback.print_exc()
        why = PATH_REASONS.get(exc.errno, f"系统错误代码{exc.errno}")
        print(PATH_FAILED.format(path=exc.filename or "", why=why), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print((INTERNAL_ERROR_DEBUG if debug else INTERNAL_ERROR).format(name=type(exc).__name__), file=sys.stderr)
        return EXIT_INTERNAL
