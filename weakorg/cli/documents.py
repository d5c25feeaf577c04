"""``python -m weakorg bulletin | brief | city-return``: the 通报 (.docx), the meeting brief (PDF) and the city's return
in the official layout (.xlsx) of the stored returns, as of a date (default: the latest 填表时间 stored), for all units
or those named: what 通报与简报 offers, the same files."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from weakorg.campaign import load_campaign
from weakorg.cli import records as cli_records
from weakorg.cli import scope as cli_scope
from weakorg.cli.outputs import wrong_suffix

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EMPTY_STORE = "数据库中还没有任何报送，无法生成文件。请先用 python -m weakorg load 保存各单位的报表。"
BAD_DATE = "日期应写作“年-月-日”，如 2014-04-30。"
UNKNOWN_CATEGORIES = "没有这些党组织类别：{names}。类别为：{known}。"
DATE_OUTSIDE = "--as-of 的日期须在{start}（整顿工作部署）至今天（{today}）之间，{day}不在其中。"
WRITTEN = {"bulletin": "通报已写入：{path}", "brief": "简报已写入：{path}", "city-return": "全市汇总表已写入：{path}"}
EXPORTED = {"bulletin": "通报", "brief": "会议简报", "city-return": "全市汇总表"}  # what the audit log calls it


def as_of_date(text: str) -> date:
    """An --as-of argument as a date (YYYY-MM-DD); a Chinese usage error otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(BAD_DATE) from None


def add_parsers(sub) -> None:
    """Add the ``bulletin``, ``brief`` and ``city-return`` commands to ``python -m weakorg``."""
    for name, text, suffix in (
        ("bulletin", "生成通报（.docx，党政机关公文格式）：各单位进展排名、逾期和未报送单位、主要问题、进展图", "docx"),
        ("brief", "生成会议简报（PDF，一至两页）：主要数字、图表和排名", "pdf"),
        (
            "city-return",
            "生成全市汇总表（附件1-3正式格式，.xlsx）：数据库中各单位截至该日的有效报送，与页面一致",
            "xlsx",
        ),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("-o", "--out", required=True, type=Path, help=f"输出文件（.{suffix}）")
        p.set_defaults(suffix=suffix)
        p.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD", help="数据截至日期（默认：最近的填表时间）")
        p.add_argument("--unit", action="append", default=[], help="只含这些填报单位（可重复）")
        p.add_argument("--category", action="append", default=[], help="只含这些党组织类别（可重复）")
        p.add_argument("--campaign", type=Path, help="整顿工作配置文件（TOML），默认2014年娄底市")


def document_bytes(kind: str, data, categories=()) -> bytes:
    """The 通报 (``bulletin``), the brief (``brief``) or the city's return (``city-return``, of ``categories``, all
    when none) of the documents' data, as file bytes."""
    if kind == "city-return":
        from weakorg.export.city import city_workbook

        return city_workbook(data.picture, data.campaign, data.day, data.units, categories or None, data.explanations)
    if kind == "bulletin":
        from weakorg.documents.gongwen import bulletin_bytes

        return bulletin_bytes(data)
    from weakorg.documents.brief import brief_pdf

    return brief_pdf(data)


def document_command(args) -> int:
    """Write the 通报 or the brief of the stored returns to ``--out``."""
    from weakorg.campaign import default_campaign
    from weakorg.documents.data import from_store, nothing_filtered
    from weakorg.documents.figures import FontMissing  # matplotlib loads only for the documents' commands
    from weakorg.store import Store, exists

    if said := wrong_suffix(args.out, args.suffix):
        print(said, file=sys.stderr)
        return EXIT_USAGE
    if not exists():  # never a new database file for a document of nothing
        print(EMPTY_STORE, file=sys.stderr)
        return EXIT_PROBLEMS
    store = Store()
    try:
        if store.is_empty():
            print(EMPTY_STORE, file=sys.stderr)
            return EXIT_PROBLEMS
        campaign = load_campaign(args.campaign) if args.campaign else default_campaign()
        asked = _asked(args, campaign)
        if isinstance(asked, str):  # a name or a date the documents cannot be of: said, nothing written
            print(asked, file=sys.stderr)
            return EXIT_USAGE
        units, categories = asked
        if args.command == "city-return" and (refused := cli_scope.no_export(args)):
            print(refused, file=sys.stderr)
            return EXIT_USAGE
        scope = cli_scope.scope(args)  # --user: that account's units only
        if scope is not None and (outside := [u for u in units if u not in scope]):  # said, never silently dropped
            said = cli_scope.OUTSIDE_SCOPE.format(
                names="、".join(outside), user=args.user, what="，未生成文件", scope="、".join(scope)
            )
            print(said, file=sys.stderr)
            return EXIT_USAGE
        data = from_store(store, args.as_of, scope, units=units, categories=categories, campaign=campaign)
        if args.command == "city-return" and (nothing := nothing_filtered(data)):  # not a return of zeros
            print(nothing, file=sys.stderr)
            return EXIT_PROBLEMS
        try:
            content = document_bytes(args.command, data, categories)
        except FontMissing as exc:
            print(exc.message, file=sys.stderr)
            return EXIT_PROBLEMS
    finally:
        store.engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(WRITTEN[args.command].format(path=args.out))
    cli_records.record_exports(args, [args.out], EXPORTED[args.command])
    return EXIT_OK


def _asked(args, campaign) -> tuple[list[str], list[str]] | str:
    """The units and categories asked for, canonical (a unit by any of its names); or why they, or --as-of, cannot be:
    a name the campaign does not know, a date before the campaign or after today."""
    from weakorg.accounts import AccountError, parse_units
    from weakorg.consolidate import canonical_category
    from weakorg.vocab import CATEGORIES, chinese_date

    try:
        units = list(parse_units(args.unit, campaign))  # the names an account's units are given by, said alike
    except AccountError as exc:
        return exc.message
    categories = {name: canonical_category(name) for name in args.category}
    if unknown := [n for n, c in categories.items() if c is None]:
        return UNKNOWN_CATEGORIES.format(names="、".join(unknown), known="、".join(CATEGORIES))
    today = date.today()
    if args.as_of is not None and not campaign.issued_on <= args.as_of <= today:
        return DATE_OUTSIDE.format(start=chinese_date(campaign.issued_on), today=chinese_date(today), day=args.as_of)
    return units, list(dict.fromkeys(categories.values()))
