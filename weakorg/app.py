"""What the pages show, computed without Streamlit: uploads, the picture in scope, metrics and tables.

The pages only lay these out; every number and every table they show comes from here,
so it is tested without a browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from weakorg.campaign import Campaign, default_campaign, normalize_text
from weakorg.findings import (
    ERROR,
    REJECT_REASONS,
    SEVERITIES,
    SEVERITY_LABELS,
    WARNING,
    Finding,
    findings_to_frame,
    rule_name,
    rule_names,
)
from weakorg.store import Store, StoreError
from weakorg.store.schema import EXPLANATION_KEYS
from weakorg.tables import FileResult, Returns, returns_from_files
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_LABEL,
    CRITERIA,
    CRITERIA_SHORT,
    F1_ROWS,
    F2,
    F3,
    FINDING_LIST_SHEET,
    FORM_ATTACHMENTS,
    NOT_APPLICABLE,
    UNIT_LABEL,
)

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
log = logging.getLogger(__name__)

UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "csv", "ods", "et")  # .et is WPS: xlsx or xls bytes inside

WEAK = F1_ROWS["weak_total"]
ORGS = F1_ROWS["orgs_total"]
STATUS_OK, STATUS_REJECTED = "可读取", "已拒收"
SENDBACK_LIST, SENDBACK_ANNOTATED = "下载问题清单", "下载批注副本"


# --- uploads ------------------------------------------------------------------------------------


UNKNOWN_UNIT_TEXT = "单位未识别"


def unit_in_name(name: str, campaign: Campaign | None = None) -> str | None:
    """The campaign unit a file's name shows by any of its aliases (娄星区-第1次.xlsx, 经开区报表.xls), or None
    when it shows none, or more than one."""
    campaign = campaign or default_campaign()
    plain = normalize_text(Path(name or "").stem)
    found = {
        unit.name
        for unit in campaign.units
        for alias in (unit.name, *unit.aliases)
        if normalize_text(alias) and normalize_text(alias) in plain
    }
    return found.pop() if len(found) == 1 else None


@dataclass
class UploadResult:
    """One uploaded file: what reading recognised or why it was refused, and its findings.

    ``named_unit`` is the unit the file's name shows (``unit_in_name``): a file refused, or one whose contents
    name no unit, is listed, counted and sent back under it.
    """

    file: FileResult
    findings: list[Finding] = field(default_factory=list)
    named_unit: str | None = None

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def unit(self) -> str | None:
        """The unit the file's contents name, else the one its name shows; None when neither does."""
        return self.file.unit or self.named_unit

    @property
    def unit_text(self) -> str:
        return self.unit or UNKNOWN_UNIT_TEXT

    @property
    def ok(self) -> bool:
        return self.file.ok

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def recognised(self) -> dict[str, object]:
        """What was recognised in the file, in the words of the page (one row of the upload table)."""
        fr = self.file
        if not fr.ok:  # nothing read: the unit its name shows, the reason; the counts stay empty
            nothing = dict.fromkeys((CATEGORY_LABEL, "表格"), NOT_APPLICABLE)
            unit = self.unit or NOT_APPLICABLE
            return {"文件": fr.name, "状态": STATUS_REJECTED, UNIT_LABEL: unit, **nothing, "说明": self.refusal}
        return {
            "文件": fr.name,
            "状态": STATUS_OK,
            UNIT_LABEL: self.unit or "（未识别）",
            CATEGORY_LABEL: "、".join(fr.categories) or NOT_APPLICABLE,
            "表格": "、".join(FORM_ATTACHMENTS[f] for f in fr.forms),
            "行数": fr.row_count,
            "错误": self.errors,
            "警告": sum(f.severity == "warning" for f in self.findings),
        }

    @property
    def refusal(self) -> str:
        """Why the file was refused, in the words the clerk gets ("" for a file that was read)."""
        return "" if self.ok else self.file.message or REJECT_REASONS.get(self.file.reason or "", "") or ""

    def sent_back(self) -> list[Finding]:
        """What goes back to the unit about this file: its findings, or for a refused file why it was refused."""
        if self.ok:
            return list(self.findings)
        reason = self.file.reason or "REFUSED"
        return [Finding(rule=reason, severity=ERROR, message=self.refusal, file=self.name, unit=self.unit)]


def _read(name: str, data: bytes, campaign: Campaign) -> FileResult:
    from weakorg.read import read_file  # the reader lands beside this module; imported when first used

    fr = read_file(data, name=name, campaign=campaign)
    if fr.content is None:
        fr.content = data
    if not fr.size:
        fr.size = len(data)
    return fr


def _attribute(files: Sequence[FileResult], found: Iterable[Finding]) -> list[list[Finding]]:
    """Each file's share of a batch's findings: by file name, else by unit (a cross-file finding)."""
    by_name: dict[str, list[int]] = {}
    by_unit: dict[str | None, list[int]] = {}
    for i, fr in enumerate(files):
        by_name.setdefault(fr.name, []).append(i)
        by_unit.setdefault(fr.unit, []).append(i)
    out: list[list[Finding]] = [list(fr.findings) for fr in files]
    for f in found:
        targets = by_name.get(f.file or "") or by_unit.get(f.unit) or []
        for i in targets:
            if f not in out[i]:
                out[i].append(f)
    return out


Progress = Callable[[int, int, str], object]  # (files done, files in all, the file just done)


def check_batch(files: Sequence[FileResult], campaign: Campaign, store: Store | None = None) -> list[Finding]:
    """The checks' findings about the readable files of a batch, checked together.

    With a store, each unit's stored returns are checked with the batch (the batch as its latest
    upload), so a later round is no late first return and a dropped organization is seen; only
    the findings about the batch's files and units are kept.
    """
    from weakorg.checks import run_checks

    readable = [fr for fr in files if fr.ok]
    if not readable:
        return []
    returns = returns_from_files(readable)
    if store is None or store.is_empty():
        return run_checks(returns, campaign)
    names = {fr.name for fr in readable}
    units = {u for frame in (returns.f1, returns.f2, returns.f3) for u in frame["unit"].dropna()}
    found = run_checks(store.with_history(returns), campaign)
    found = [f for f in found if f.file in names or (f.file is None and f.unit in units)]
    return found + registered_elsewhere(store, returns, campaign)


def registered_elsewhere(store: Store, returns: Returns, campaign: Campaign) -> list[Finding]:
    """UNIT_MISMATCH for the batch's files most of whose organizations another unit's standing registers list;
    DUPLICATE_ORG for each organization of the other files that another unit's standing register lists."""
    from weakorg.checks.registry import Context
    from weakorg.checks.units import listed_elsewhere, stored_elsewhere

    stored = pd.concat([store.row_counts(form, ["unit", "name"]) for form in (F2, F3)], ignore_index=True)
    ctx = Context(returns, campaign)
    mismatched = stored_elsewhere(ctx, stored)
    return mismatched + listed_elsewhere(ctx, stored, {f.file for f in mismatched})


def process_uploads(
    uploads: Sequence[tuple[str, bytes]],
    campaign: Campaign | None = None,
    on_progress: Progress | None = None,
    store: Store | None = None,
) -> list[UploadResult]:
    """Read every uploaded file (one bad file never stops the others) and check the readable ones together.

    ``on_progress(done, total, name)`` is called after each file is read, in upload order; after
    the last one (``done == total``) the checks of the whole batch run, with the stored returns of
    its units when a store is given (``check_batch``).
    """
    campaign = campaign or default_campaign()
    files = []
    for name, data in uploads:
        files.append(_read(name, data, campaign))
        if on_progress is not None:
            on_progress(len(files), len(uploads), name)
    found = check_batch(files, campaign, store)
    named = [unit_in_name(fr.name, campaign) for fr in files]
    return [UploadResult(fr, fs, u) for fr, fs, u in zip(files, _attribute(files, found), named, strict=True)]


def sendback(result: UploadResult) -> list[tuple[str, bytes, str]]:
    """(label, bytes, file name) to send back for an upload: its findings list, and its annotated copy if .xlsx."""
    from weakorg.export.findings import annotate_workbook, can_annotate, findings_workbook

    found = result.sent_back()  # a refused file: why it was refused, as a list like any other
    if not found:
        return []
    stem, _, ext = result.name.rpartition(".")
    stem = stem or result.name
    out = [(SENDBACK_LIST, findings_workbook(found, codes=False), f"{stem}-{FINDING_LIST_SHEET}.xlsx")]
    if result.ok and result.file.content and can_annotate(result.name):
        # a finding about another file of the unit goes on the added list sheet, not on a cell of this one
        own = [f if f.file == result.name else replace(f, cell=None) for f in result.findings]
        out.append((SENDBACK_ANNOTATED, annotate_workbook(result.file.content, own), f"{stem}-批注.{ext}"))
    return out


def batch_findings(results: Iterable[UploadResult]) -> list[Finding]:
    """The findings of a batch of uploads, each once (a finding about a unit is attributed to each of its files)."""
    return list(dict.fromkeys(f for r in results for f in r.findings))


def select_findings(
    findings: Iterable[Finding], severities: Iterable[str] | None = None, rules: Iterable[str] | None = None
) -> list[Finding]:
    """The findings of the given severities (codes: error, warning, info) and rule codes; None keeps all."""
    sev = None if severities is None else set(severities)
    codes = None if rules is None else set(rules)
    return [f for f in findings if (sev is None or f.severity in sev) and (codes is None or f.rule in codes)]


REFUSED_COUNT = "拒收文件"


def unit_findings_table(results: Iterable[UploadResult]) -> pd.DataFrame:
    """Per unit of the uploads: its files, those refused, and its errors, warnings and notes (each finding once).

    A file refused, or whose contents name no unit, counts for the unit its name shows (``unit_in_name``).
    """
    results = list(results)
    frame = findings_to_frame(batch_findings(results))
    unknown = "（未识别）"
    unit_of_file = {r.name: r.unit or unknown for r in results}
    files = pd.Series(list(unit_of_file.values()), dtype=object).value_counts()
    refused = pd.Series([r.unit or unknown for r in results if not r.ok], dtype=object).value_counts()
    frame["unit"] = frame["unit"].fillna(frame["file"].map(unit_of_file)).fillna(unknown)
    counts = frame.groupby(["unit", "severity"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    units = list(dict.fromkeys([*files.index, *counts.index]))
    out = pd.DataFrame({"unit": units})
    out["files"] = out["unit"].map(files).fillna(0).astype(int)
    for sev in SEVERITIES:
        col = counts[sev] if sev in counts.columns else pd.Series(dtype=int)
        out[sev] = out["unit"].map(col).fillna(0).astype(int)
    out["refused"] = out["unit"].map(refused).fillna(0).astype(int)
    order = [ERROR, "refused", WARNING, "unit"]
    out = out.sort_values(order, ascending=[False, False, False, True], kind="stable")
    headers = {"unit": UNIT_LABEL, "files": "文件数", "refused": REFUSED_COUNT, **SEVERITY_LABELS}
    return out.rename(columns=headers).reset_index(drop=True)


def upload_table(results: Iterable[UploadResult]) -> pd.DataFrame:
    """One row per uploaded file: what was recognised, or why it was refused."""
    columns = ["文件", "状态", UNIT_LABEL, CATEGORY_LABEL, "表格", "行数", "错误", "警告", "说明"]
    return pd.DataFrame([r.recognised() for r in results], columns=columns).fillna({"说明": ""})


UPLOAD_SHOW = ("全部", "有错误", "有警告", "已拒收", "无问题")  # what the upload table's filter offers


def select_uploads(table: pd.DataFrame, show: str = "全部", search: str = "") -> pd.DataFrame:
    """The upload table's rows to show: one of UPLOAD_SHOW, and a file or unit name containing ``search``."""
    errors, warnings = table["错误"].fillna(0), table["警告"].fillna(0)
    refused = table["状态"] == STATUS_REJECTED
    keep = {
        "有错误": errors > 0,
        "有警告": warnings > 0,
        "已拒收": refused,
        "无问题": ~refused & (errors == 0) & (warnings == 0),
    }.get(show, pd.Series(True, index=table.index))
    search = search.strip()
    if search:
        names = table["文件"].fillna("") + " " + table[UNIT_LABEL].fillna("")
        keep = keep & names.str.contains(search, regex=False)
    return table[keep].reset_index(drop=True)


def upload_summary(results: Sequence[UploadResult]) -> str:
    """A batch in one sentence: how many files, readable (with errors, with warnings, clean) and refused."""
    ok = [r for r in results if r.ok]
    errors = sum(r.errors > 0 for r in ok)
    warned = sum(r.errors == 0 and any(f.severity == WARNING for f in r.findings) for r in ok)
    return (
        f"共 {len(results)} 个文件：可读取 {len(ok)} 个（有错误 {errors} 个，仅有警告 {warned} 个，"
        f"其余 {len(ok) - errors - warned} 个），{STATUS_REJECTED} {len(results) - len(ok)} 个。"
    )


def problem_uploads(results: Iterable[UploadResult]) -> list[UploadResult]:
    """The uploads to look into (refused, or with findings), grouped by unit, then in upload order."""
    return sorted((r for r in results if not r.ok or r.findings), key=lambda r: r.unit or "")


def upload_label(result: UploadResult) -> str:
    """One line naming an upload in a picker: unit, file, status, and its errors and warnings."""
    head = f"{result.unit_text} · {result.name}：{result.recognised()['状态']}"
    if not result.ok:
        return head
    warnings = sum(f.severity == WARNING for f in result.findings)
    return f"{head}（错误 {result.errors}，警告 {warnings}）"


def store_readable(
    store: Store,
    results: Iterable[UploadResult],
    uploaded_by: str = "",
    on_stored=None,
    campaign: Campaign | None = None,
    origin: str | None = None,
) -> list:
    """Store the readable uploads with their findings, a savepoint each, in grouped commits (``Store.add_many``);
    what became of each (``weakorg.store.db.Stored``, ``index`` counting the readable ones only)."""
    readable = [r for r in results if r.ok]
    if not readable:
        return []
    batch = returns_from_files([r.file for r in readable])
    return store.add_many(batch, [r.findings for r in readable], uploaded_by, on_stored, campaign, origin=origin)


@dataclass
class SaveReport:
    """What saving a batch file by file did: stored now, stored before (same content), refused, failed and why."""

    saved: list[str] = field(default_factory=list)
    stored_before: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """The outcome in one sentence, as the page shows it."""
        parts = [f"新保存 {len(self.saved)} 个文件", f"此前已保存 {len(self.stored_before)} 个"]
        parts.append(f"已拒收未保存 {len(self.refused)} 个")
        if self.failed:
            parts.append(f"保存失败 {len(self.failed)} 个")
        head = "保存失败" if self.failed and not self.saved else "部分保存" if self.failed else "保存完成"
        return f"{head}：" + "，".join(parts) + "。"


def _failure(error: Exception) -> str:
    """Why a file was not stored, as the page says it: a database fault's Chinese message (no SQL, no values)."""
    if isinstance(error, StoreError):
        return error.message
    unexpected = f"保存时出现意外错误（{type(error).__name__}），该文件未保存，数据库未改动。"
    return unexpected + "请把文件名告诉管理员，由其查看服务器日志。"


def save_each(
    store: Store,
    results: Sequence[UploadResult],
    uploaded_by: str = "",
    on_progress: Progress | None = None,
    campaign: Campaign | None = None,
    origin: str | None = None,
) -> SaveReport:
    """Store each readable upload under a savepoint of its own, in grouped commits (``Store.add_many``); what
    became of each file.

    A file that fails is reported by name and the others go on. ``on_progress(done, total, name)``
    is called for each readable file, in upload order, once its group is committed; after the last one
    the stored units' checks are brought up to date.
    """
    readable = [r for r in results if r.ok]
    report = SaveReport(refused=[r.name for r in results if not r.ok])

    def heard(s) -> None:
        if s.error is not None:
            # a StoreError's repr is its kind and code; another error's text may quote a value (a name, a phone)
            log.error("could not store %s: %r", s.name, s.error if isinstance(s.error, StoreError) else type(s.error))
            report.failed.append((s.name, _failure(s.error)))
        else:
            (report.saved if s.new else report.stored_before).append(s.name)
            report.ids.append(int(s.id))
        if on_progress is not None:
            on_progress(s.index + 1, len(readable), s.name)

    store_readable(store, results, uploaded_by, heard, campaign, origin)
    return report


def save_uploads(
    store: Store,
    results: Iterable[UploadResult],
    uploaded_by: str = "",
    on_stored=None,
    campaign: Campaign | None = None,
) -> list[int]:
    """Store every readable file with its findings, a savepoint each (refused files are skipped);
    their submission ids. A file the database refuses does not stop the others; the first such error is
    raised once the rest are stored. ``on_stored`` hears of each file (``weakorg.store.db.Stored``)."""
    stored = store_readable(store, results, uploaded_by, on_stored, campaign)
    failed = [s.error for s in stored if s.error is not None]
    if failed:
        raise failed[0]
    return [int(s.id) for s in stored]


def sample_files(directory: Path | None = None) -> list[Path]:
    """The sample returns shipped in the repository (or in ``directory``), in name order."""
    directory = Path(directory) if directory is not None else SAMPLE_DIR
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in UPLOAD_TYPES)


def load_samples_if_empty(
    store: Store, directory: Path | None = None, campaign: Campaign | None = None, demo: bool | None = None
) -> list[int]:
    """On a demo's first start load every sample return; the ids stored, none unless ``weakorg.demo`` allows it.

    Only a brand-new store (no submission ever, no account) of a demo database gets them: the default
    SQLite file or ``WEAKORG_DEMO=1``, or ``demo=True`` from the caller; a production store never does.
    """
    from weakorg.demo import may_load_samples

    if not may_load_samples(store, demo):
        return []
    paths = sample_files(directory)
    if not paths:
        return []
    results = process_uploads([(p.name, p.read_bytes()) for p in paths], campaign)
    return save_uploads(store, results, uploaded_by="示例数据", campaign=campaign)


# --- the picture in scope -------------------------------------------------------------------------


def picture(
    store: Store,
    scope: Iterable[str] | None = None,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    campaign: Campaign | None = None,
):
    """The consolidated picture of the stored returns a user may see (scope), narrowed by the filters."""
    from weakorg.consolidate import PICTURE_COLUMNS, consolidate, filter_picture

    campaign = campaign or default_campaign()
    units, categories = list(units or []), list(categories or [])
    seen = set(scope) if scope is not None else None
    if units:  # every figure is per unit: read only the units asked for (a county's page, not the country)
        seen = set(units) if seen is None else seen & set(units)
    pic = consolidate(store.returns(seen, columns=PICTURE_COLUMNS, findings=False), campaign, checks=False)
    pic.weak_orgs = store.corrected(pic.weak_orgs, seen)  # analysts' corrections of the reading stand (issue 15)
    pic.findings = store.current_findings(seen, campaign)  # each unit's checks, kept current by the store
    if seen is not None or categories:  # a scope narrows the units listed and expected too (no chart axis beyond it)
        pic = filter_picture(pic, units=seen, categories=categories or None)
    return pic


def unit_options(store: Store, campaign: Campaign | None = None, scope: Iterable[str] | None = None) -> list[str]:
    """The units a filter offers: the campaign's, then any stored unit outside it; only those in scope."""
    campaign = campaign or default_campaign()
    stored = store.submissions(set(scope) if scope is not None else None)["unit"].dropna().tolist()
    names = list(dict.fromkeys([*campaign.unit_names, *stored]))
    return [u for u in names if scope is None or u in set(scope)]


def category_options() -> list[str]:
    """The categories a filter offers, in the notice's order."""
    return list(CATEGORIES)


def is_blank(pic) -> bool:
    """Whether a picture has nothing to show (nothing stored, or the filters leave nothing)."""
    city = pic.city
    return not (city.get("units_reported") or (city.get("orgs_total") or 0) > 0 or len(pic.weak_orgs))


def unit_table(pic) -> pd.DataFrame:
    """The summary by unit as the page's table: counts, weak share and the six criteria, Chinese headers."""
    by_unit = pic.by_unit
    crit = {f"c{n}": CRITERIA_SHORT[n] for n in CRITERIA}
    columns = {"unit": UNIT_LABEL, "orgs_total": ORGS, "weak_total": WEAK, "weak_share": "占比（%）", **crit}
    out = by_unit.reindex(columns=list(columns)).rename(columns=columns)
    for key, label in columns.items():
        if key != "unit":
            values = pd.to_numeric(out[label], errors="coerce")
            out[label] = values.astype(float) if key == "weak_share" else values.round().astype("Int64")
    return out.reset_index(drop=True)


# --- tables of the upload page ----------------------------------------------------------------------

FINDING_HEADERS = {
    "severity": "严重程度",
    "title": "规则",  # rules by their Chinese names: the codes are for machines (the CLI's export)
    "message": "说明",
    "sheet": "工作表",
    "cell": "单元格",
    "org": "党组织",
}


def findings_table(findings: Iterable[Finding], explanations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Findings as the page shows them: severity, rule, message, sheet, cell, and with ``explanations`` (the
    store's) whether each warning is explained: "已说明：<reason>（<who>，<when>）" or "未说明"."""
    findings = list(findings)
    frame = findings_to_frame(findings)
    frame["severity"] = frame["severity"].map(SEVERITY_LABELS).fillna(frame["severity"])
    frame["title"] = rule_names(frame["rule"])
    headers = dict(FINDING_HEADERS)
    if explanations is not None:
        frame["explanation"] = explanation_texts(findings, explanations)
        headers["explanation"] = EXPLAINED_HEADER
    frame = frame.reindex(columns=list(headers))
    return frame.astype(object).where(frame.notna(), "").rename(columns=headers)  # text only: blank, not None


EXPLANATION_HEADER = "说明理由"  # what an analyst writes
EXPLAINED_HEADER = "说明情况"  # the column saying whether a warning is explained, and how
EXPLAINED, OPEN = "已说明", "未说明"


def explanation_rows(findings: Iterable[Finding], explanations: pd.DataFrame) -> list[dict | None]:
    """Each finding's standing explanation (reason, explained_by, explained_at; matched by unit, rule, file,
    sheet, cell and organization), or None."""
    keys = EXPLANATION_KEYS
    lookup = {tuple(r[k] for k in keys): r for r in explanations.to_dict("records")} if len(explanations) else {}
    return [lookup.get(tuple(getattr(f, k) for k in keys)) for f in findings]


def explanation_of(findings: Iterable[Finding], explanations: pd.DataFrame) -> list[str | None]:
    """Each finding's standing explanation's reason, or None."""
    return [row["reason"] if row else None for row in explanation_rows(findings, explanations)]


def explained_text(row: dict) -> str:
    """An explanation as a table cell says it: 已说明：<reason>（<who>，<when>）."""
    who = str(row.get("explained_by") or "").strip()
    at = row.get("explained_at")
    when = "" if at is None or pd.isna(at) else f"{pd.Timestamp(at):%Y-%m-%d %H:%M}"
    said = "，".join(p for p in (who, when) if p)
    return f"{EXPLAINED}：{row['reason']}" + (f"（{said}）" if said else "")


def explanation_texts(findings: Iterable[Finding], explanations: pd.DataFrame) -> list[str]:
    """Per finding: "已说明：…" when explained, "未说明" for an open warning, "" for what cannot be explained."""
    findings = list(findings)
    rows = explanation_rows(findings, explanations)
    return [
        explained_text(row) if row else OPEN if f.severity == WARNING else ""
        for f, row in zip(findings, rows, strict=True)
    ]


def warning_counts(findings: Iterable[Finding], explanations: pd.DataFrame) -> tuple[int, int]:
    """How many of the (distinct) warnings are open and how many explained."""
    warnings = [f for f in dict.fromkeys(findings) if f.severity == WARNING]
    explained = sum(row is not None for row in explanation_rows(warnings, explanations))
    return len(warnings) - explained, explained


def warning_counts_text(findings: Iterable[Finding], explanations: pd.DataFrame) -> str:
    """The warnings in one line: 警告 5 条：未说明 3 条，已说明 2 条。 ("" when there is none)."""
    still, explained = warning_counts(findings, explanations)
    if not still + explained:
        return ""
    return f"警告 {still + explained} 条：{OPEN} {still} 条，{EXPLAINED} {explained} 条。"


def explainable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings an analyst may explain: warnings (an error is fixed by a corrected return, never explained)."""
    return [f for f in dict.fromkeys(findings) if f.severity == WARNING]


def finding_label(f: Finding) -> str:
    """One line naming a finding in a picker: unit, where, rule and the start of its message."""
    where = "!".join(p for p in (f.sheet, f.cell) if p)
    text = f.message if len(f.message) <= 40 else f.message[:40] + "…"
    return " · ".join(p for p in (f.unit or UNKNOWN_UNIT_TEXT, f.file or "", where, rule_name(f.rule), text) if p)


SUBMISSION_HEADERS = {
    "id": "编号",
    "name": "文件名",
    "unit": UNIT_LABEL,
    "forms": "表格",
    "categories": CATEGORY_LABEL,
    "reported_on": "填表时间",
    "uploaded_at": "上传时间",
    "uploaded_by": "上传人",
    "errors": "错误",
    "warnings": "警告",
}


def submissions_table(store: Store, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """The stored submissions in scope, newest first, with Chinese headers."""
    subs = store.submissions(set(scope) if scope is not None else None)
    forms = subs["forms"].fillna("").str.split(",")
    subs["forms"] = forms.map(lambda fs: "、".join(FORM_ATTACHMENTS.get(f, f) for f in fs if f))
    subs["categories"] = subs["categories"].fillna("").str.replace(",", "、")
    out = subs.reindex(columns=list(SUBMISSION_HEADERS)).rename(columns=SUBMISSION_HEADERS)
    return out.iloc[::-1].reset_index(drop=True)
