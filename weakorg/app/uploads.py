"""Uploaded files read and checked together: what each holds, its findings, what goes back to its unit."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from weakorg import campaign as campaigns  # default_campaign read when called: bench/run.py swaps it
from weakorg.campaign import Campaign, normalize_text
from weakorg.findings import ERROR, REJECT_REASONS, Finding
from weakorg.store import Store
from weakorg.tables import FileResult, Returns, returns_from_files
from weakorg.vocab import (
    CATEGORY_LABEL,
    F1,
    F2,
    F3,
    FINDING_LIST_SHEET,
    FORM_ATTACHMENTS,
    NO_UNIT_LABEL,
    NOT_APPLICABLE,
    UNIT_LABEL,
)

UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "csv", "ods", "et")  # .et is WPS: xlsx or xls bytes inside

STATUS_OK, STATUS_REJECTED = "可读取", "已拒收"
SENDBACK_LIST, SENDBACK_ANNOTATED = "下载问题清单", "下载批注副本"


def unit_in_name(name: str, campaign: Campaign | None = None) -> str | None:
    """The campaign unit a file's name shows by any of its aliases (娄星区-第1次.xlsx, 经开区报表.xls), or None
    when it shows none, or more than one."""
    campaign = campaign or campaigns.default_campaign()
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
        return self.unit or NO_UNIT_LABEL

    @property
    def ok(self) -> bool:
        return self.file.ok

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

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
            "行数": fr.row_count if any(t.form != F1 for t in fr.tables) else None,  # a register's lines: none in 附件1
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
    history = store.with_history(returns)
    store.recall(t for frame in (history.f2, history.f3) for t in frame["problems"])  # read before: not again
    fixed = store.standing_corrections(sorted(units))  # an analyst's reading stands here too, as on the pages
    found = run_checks(history, campaign, corrections=fixed)
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

    ``on_progress(done, total, name)`` is called as files are read, in upload order (a file at a time, or a chunk
    at a time when the reader's pool reads them); after the last one (``done == total``) the checks of the whole
    batch run, with the stored returns of
    its units when a store is given (``check_batch``).
    """
    from weakorg.read import read_files  # the reader lands beside this module; imported when first used

    campaign = campaign or campaigns.default_campaign()
    recall = store.recall if store is not None else None  # texts read before (kept by the store) are not read again
    files = read_files(uploads, campaign=campaign, on_progress=on_progress, recall=recall)  # a pool: every core
    for fr, (_, data) in zip(files, uploads, strict=True):
        fr.size = fr.size or len(data)
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
    if result.ok and result.file.content and can_annotate(result.name, result.file.content):  # not a CSV renamed
        # a finding about another file of the unit goes on the added list sheet, not on a cell of this one
        own = [f if f.file == result.name else replace(f, cell=None) for f in result.findings]
        with contextlib.suppress(ValueError):  # a workbook openpyxl cannot open: the list alone goes back
            out.append((SENDBACK_ANNOTATED, annotate_workbook(result.file.content, own), f"{stem}-批注.{ext}"))
    return out


SENDBACK_ALL = "下载全部问题文件的清单和批注副本（zip，按单位分文件夹）"
SENDBACK_ALL_NAME = "问题清单和批注副本.zip"
_NOT_IN_PATH = str.maketrans({c: "_" for c in '/\\:*?"<>|'})  # characters no folder name may hold


def sendback_zip(results: Iterable[UploadResult]) -> bytes:
    """Every upload's send-back files (``sendback``: its findings list and annotated copy) in one zip, a folder per
    unit, for an analyst to send each county its own."""
    buf = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for result in results:
            folder = result.unit_text.translate(_NOT_IN_PATH)[:60]
            for _, data, name in sendback(result):
                path, n = f"{folder}/{name.translate(_NOT_IN_PATH)}", 1
                while path in used:  # the same file name twice in a batch
                    n += 1
                    stem, dot, ext = name.translate(_NOT_IN_PATH).rpartition(".")
                    path = f"{folder}/{stem}（{n}）{dot}{ext}"
                used.add(path)
                z.writestr(path, data)
    return buf.getvalue()


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
