"""``python -m weakorg corrections``: analysts' standing corrections of the reading, listed or exported as labelled
data in the shape of tests/fixtures/criteria_*.toml (``[[case]]`` text, criteria, flags), to extend the labelled sets.

    python -m weakorg corrections [--json] [--export FILE.toml] [--db URL]

``consolidate FILE…`` uses the same corrections: those of the store ``--db`` names, else of the configured
database when there is one, stand over the reading of the files' registers (``corrected``); a file withdrawn there is
left out, and said (``as_stored``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pandas as pd

from weakorg import review
from weakorg.cli import records as cli_records
from weakorg.consolidate import Picture, json_value
from weakorg.export import sheets
from weakorg.privacy import DEMO_VIEWER
from weakorg.read import refuse
from weakorg.store.corrections import apply_corrections
from weakorg.views import CRITERIA_LABEL, FLAGS_LABEL, criteria_text, flags_text
from weakorg.vocab import F2_COLUMNS, UNIT_LABEL, local_time

COMMAND = "corrections"
HELP = "分析员对主要问题判读的更正：列出当前有效的更正，或导出为标注数据（TOML）以扩充标注集"
EXPORT_HELP = "把当前有效的更正写成标注数据（[[case]] text、criteria、flags）"
DB_HELP = "数据库地址（默认：已配置的数据库）"
CONSOLIDATE_DB_HELP = (
    "按该数据库中分析员对判读的更正计算各组织的符合标准，并略去其中已撤回的文件（默认：已配置的数据库，存在时）"
)
NONE = "数据库中还没有对判读的更正（在“研判”页面更正后再导出）。"
WRITTEN = "已导出 {n} 条更正为标注数据：{path}"
JSON_KEYS = ("unit", "name", "criteria", "flags", "note", "by", "at", "applies", "text")
APPLIES_LABEL = "是否适用"
APPLIES = {True: "适用", False: "未适用：该组织的主要问题已改变，按新文字判读"}


def add_parsers(sub) -> None:
    """Add the ``corrections`` command, and ``--db`` to ``consolidate`` (whose corrections stand)."""
    p = sub.add_parser(COMMAND, help=HELP)
    p.add_argument("--export", type=Path, metavar="FILE.toml", help=EXPORT_HELP)
    p.add_argument("--json", action="store_true", help="以JSON输出，每条更正一个对象")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    if "consolidate" in sub.choices:
        sub.choices["consolidate"].add_argument("--db", metavar="URL", help=CONSOLIDATE_DB_HELP)


def _store(db: str | None):
    """The store whose corrections count: the one ``db`` names, else the configured one; None when there is none."""
    from weakorg.store import Store, exists

    return Store(db) if exists(db) else None  # never a new database to read corrections from


def standing(db: str | None, applying: bool = False) -> pd.DataFrame:
    """The standing corrections of the store ``db`` names (else the configured one); empty when there is none. With
    ``applying``, whether each applies to a text a standing register holds now (``applies``): a county that sent a
    changed 主要问题 since is read afresh, and its correction no longer counts anywhere."""
    store = _store(db)
    if store is None:
        columns = ["unit", "name", "text_hash", "problems", "criteria", "flags", "note", "by", "at", "applies"]
        return pd.DataFrame(columns=columns)
    try:
        found = store.standing_corrections()
        if applying and len(found):
            from weakorg import app
            from weakorg.store.corrections import KEY, org_keys

            current = set(org_keys(app.picture(store).weak_orgs))
            found = found.assign(applies=[tuple(k) in current for k in found[list(KEY)].itertuples(index=False)])
        return found
    finally:
        store.engine.dispose()


WITHDRAWN_FILE = "【{name}】已在数据库中撤回（#{sid}），与页面一致，未计入汇总。"
ASSIGNED_FILE = "【{name}】已在数据库中改归{unit}（#{sid}），与页面一致，按{unit}汇总。"


def as_stored(args, files: list) -> list:
    """The files of a ``consolidate`` as the store ``--db`` names (else the configured one) has them: those withdrawn
    refused (reason WITHDRAWN: in no figure, still listed among the files), those assigned to another unit counted
    for it, each said on stderr; the command line consolidates as the pages do, corrections, withdrawals and
    reassignments alike."""
    store = _store(getattr(args, "db", None))
    if store is None:
        return files
    kept = []
    try:
        assigned = store.assignments()
        for fr in files:
            sid = store.submission_id(fr.sha256) if fr.ok and fr.sha256 else None
            if sid is not None and store.is_withdrawn(sid):  # in the JSON's files as refused, its reason said
                print(WITHDRAWN_FILE.format(name=fr.name, sid=sid), file=sys.stderr)
                kept.append(refuse(fr, "WITHDRAWN", f"#{sid}"))
                continue
            if sid in assigned:  # the unit an analyst gave it stands over the one its file names
                unit = assigned[sid][1]
                for table in fr.tables:
                    table.unit = unit
                print(ASSIGNED_FILE.format(name=fr.name, sid=sid, unit=unit), file=sys.stderr)
            kept.append(fr)
    finally:
        store.engine.dispose()
    return kept


def corrected(args, picture: Picture) -> Picture:
    """The picture with the standing corrections of ``--db`` (else the configured database) in its register."""
    found = standing(getattr(args, "db", None))
    return picture if found.empty else replace(picture, weak_orgs=apply_corrections(picture.weak_orgs, found))


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def labelled_toml(found: pd.DataFrame) -> str:
    """The corrections as labelled cases in the fixtures' shape: text, criteria, flags."""
    lines = [
        "# 主要问题 texts labelled by analysts on the 研判 page (python -m weakorg corrections --export).",
        "# criteria: the numbers of the six criteria the text states; flags: keys of vocab.FLAGS.",
    ]
    for r in found.to_dict("records"):
        flags = ", ".join(_toml_string(f) for f in r["flags"])
        lines += ["", "[[case]]", f"text = {_toml_string(r['problems'])}"]
        lines += [f"criteria = [{', '.join(map(str, r['criteria']))}]", f"flags = [{flags}]"]
    return "\n".join(lines) + "\n"


def corrections_command(args) -> int:
    """List the standing corrections (``--json``), or write them as labelled data (``--export``)."""
    found = standing(args.db, applying=not args.export)
    if args.export:
        args.export.write_text(labelled_toml(found), encoding="utf-8")
        print(WRITTEN.format(n=len(found), path=args.export))
        cli_records.record_exports(args, [args.export], "判读更正标注数据")
    if args.json:
        rows = found.rename(columns={"problems": "text"}).reindex(columns=list(JSON_KEYS))
        out = [{k: json_value(v) for k, v in zip(JSON_KEYS, r, strict=True)} for r in rows.itertuples(index=False)]
        for record, at in zip(out, rows["at"], strict=True):  # the moment with its zone, as audit --json gives it
            record["at"] = pd.Timestamp(at).to_pydatetime().replace(tzinfo=UTC).isoformat(timespec="seconds")
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif not args.export:
        print(sheets.csv_text(listing(found), sep="\t") if len(found) else NONE, end="" if len(found) else "\n")
    return 0


def listing(found: pd.DataFrame) -> pd.DataFrame:
    """The standing corrections as the command lists them: Chinese headers, criteria and flags as text."""
    return pd.DataFrame(
        {
            UNIT_LABEL: found["unit"],
            F2_COLUMNS["name"]: found["name"],
            CRITERIA_LABEL: found["criteria"].map(criteria_text),
            FLAGS_LABEL: found["flags"].map(flags_text),
            review.BY_LABEL: found["by_shown"].where(found["by_shown"].astype(bool), DEMO_VIEWER),  # as the card
            review.AT_LABEL: found["at"].map(local_time),
            review.NOTE_LABEL: found["note"],
            APPLIES_LABEL: found["applies"].map(APPLIES) if "applies" in found else APPLIES[True],
        }
    )
