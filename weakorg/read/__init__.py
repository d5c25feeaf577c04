"""The reader: turn a file into located tables (a FileResult), or refuse it with a reason code.

Two steps, as the data flows: ``guard`` looks at the bytes before any reader does and refuses them
(not a spreadsheet, empty, corrupt, encrypted, too large, XML entity tricks); one module per format makes
each sheet a ``grid.Grid`` of values with cell addresses (``xlsx`` through python-calamine or openpyxl, ``xls``
through xlrd, ``ods`` from its XML, ``delimited`` for CSV in UTF-8 or GBK; WPS's .et is whichever of these its
bytes are; ``package`` finds an .xlsx's parts),
counting what each file expands to against one read budget (``ReadLimits``: cells, characters, merged
area, bytes inflated, 主要问题 text) before the memory is spent;
``hygiene`` removes the control characters no text may keep (a finding for each cell of a table);
``locate`` finds the tables by their header text; ``forms`` parses the cells of each table into a
``weakorg.tables.Table``. ``pool`` spreads a large batch over every core (``WEAKORG_WORKERS``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from defusedxml import DefusedXmlException

from weakorg import criteria
from weakorg.campaign import Campaign, default_campaign
from weakorg.criteria import MAX_TEXT
from weakorg.findings import REJECT_REASONS
from weakorg.logsafe import exception_line
from weakorg.read.delimited import csv_grid
from weakorg.read.forms import Context, build_tables
from weakorg.read.grid import Grid
from weakorg.read.guard import (
    CSV,
    ODS,
    XLS,
    XLSX,
    XML_ENTITIES,
    ReadLimits,
    Refused,
    amount,
    file_bytes,
    sniff,
    too_big,
)
from weakorg.read.heap import in_batch_heap
from weakorg.read.hygiene import control_findings, scrub_grids, strip_controls
from weakorg.read.locate import locate
from weakorg.read.ods import ods_grids
from weakorg.read.pool import map_chunks, submit
from weakorg.read.xls import xls_grids
from weakorg.read.xlsx import xlsx_grids
from weakorg.tables import REJECTED, FileResult, Table
from weakorg.vocab import F1, F2, F2_COLUMNS, F3, TOTAL_CATEGORY_WORDS

__all__ = ["ReadLimits", "read_file", "read_files"]

log = logging.getLogger(__name__)
UNNAMED = "未命名文件"


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")  # names that promise a workbook, not text


def refuse(fr: FileResult, reason: str, detail: str = "") -> FileResult:
    """The file refused for ``reason`` (a key of findings.REJECT_REASONS): no tables, no findings, a message."""
    fr.status = REJECTED
    fr.reason = reason
    detail = f"（{detail}）" if detail else ""
    fr.message = f"文件《{fr.name}》{detail}：{REJECT_REASONS[reason]}"
    fr.tables = []
    fr.findings = []
    return fr


def _entities_refused(exc: BaseException | None) -> bool:
    """True when defusedxml refused XML entities somewhere down the chain (openpyxl wraps its errors)."""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _grids(data: bytes, kind: str, name: str, limits: ReadLimits) -> list[Grid]:
    if kind == XLSX:
        try:
            return xlsx_grids(data, limits)
        except Refused:
            raise
        except Exception as exc:  # openpyxl raises many kinds of errors on damaged workbooks
            detail = XML_ENTITIES if _entities_refused(exc) else "工作簿无法打开"
            raise Refused("CORRUPT", detail) from exc
    if kind == ODS:
        try:
            return ods_grids(data, limits)
        except Refused:
            raise
        except Exception as exc:  # a damaged content.xml
            detail = XML_ENTITIES if _entities_refused(exc) else "OpenDocument表格无法打开"
            raise Refused("CORRUPT", detail) from exc
    if kind == CSV:
        return [csv_grid(data, Path(name).stem or "CSV", limits)]
    if kind == XLS:
        try:
            return xls_grids(data, limits)
        except Refused:
            raise
        except Exception as exc:  # xlrd raises many kinds of errors on damaged workbooks
            raise Refused("CORRUPT", "旧版Excel（.xls）文件无法打开") from exc
    raise Refused("NOT_SPREADSHEET")


def _read(fr: FileResult, data: bytes, campaign: Campaign, limits: ReadLimits) -> FileResult:
    fr.name = strip_controls(fr.name)[0]  # a name is stored and shown like a cell's text
    try:
        kind = sniff(data, limits)
        grids = scrub_grids(_grids(data, kind, fr.name, limits))
    except Refused as refused:
        return refuse(fr, refused.reason, refused.detail)
    if all(g.is_empty for g in grids):
        return refuse(fr, "EMPTY", "所有工作表都是空白的")
    ctx = Context(file=fr.name, campaign=campaign)
    for grid in grids:
        tables = build_tables(ctx, grid, locate(grid))
        ctx.findings.extend(control_findings(fr.name, grid, tables))
        fr.tables.extend(tables)
    if not fr.tables:
        if kind == CSV and Path(fr.name).suffix.lower() in WORKBOOK_SUFFIXES:  # a text file renamed, not a workbook
            return refuse(fr, "NOT_SPREADSHEET", f"扩展名是{Path(fr.name).suffix}，内容却是纯文本")
        return refuse(fr, "NO_FORM")
    fr.tables = continued(without_totals(fr.tables))
    text = problem_text(fr.tables)
    if text > limits.max_problem_text:
        problems = F2_COLUMNS["problems"]
        return refuse(fr, "TOO_LARGE", f"{problems}共{text}个字，超过{amount(limits.max_problem_text)}个字")
    fr.findings = ctx.findings
    return fr


def is_total(table: Table) -> bool:
    """Whether a 附件1 table is the total of every category (党组织类别 全部类别, 合计…), not one of the nine."""
    raw = "".join((table.category_raw or "").split())
    summed = raw in TOTAL_CATEGORY_WORDS or (len(raw) > 2 and raw.endswith("合计"))  # 农村、学校合计: a total too
    return table.form == F1 and table.category is None and summed


def without_totals(tables: list[Table]) -> list[Table]:
    """The tables of a file without its all-categories 附件1 table when it also holds the category tables it sums
    (counted once, by category); a lone total table stays, to be told it names no category."""
    if not any(is_total(t) for t in tables) or not any(t.form == F1 and t.category for t in tables):
        return tables
    return [t for t in tables if not is_total(t)]


def continued(tables: list[Table]) -> list[Table]:
    """A register continued on another sheet with its column headers but no header line (一览表(续)): it takes the
    填报单位 and 填表时间 the file's other tables of its form agree on, as a reader of the file does; a table whose
    header line names a unit, even an unknown one, keeps its own."""
    for form in (F2, F3):
        ours = [t for t in tables if t.form == form]
        units = {t.unit for t in ours if t.unit}
        days = {t.reported_on for t in ours if t.reported_on}
        for t in ours:
            if t.unit_raw is None and len(units) == 1:
                t.unit = next(iter(units))
                if t.date_raw is None and len(days) == 1:
                    t.reported_on = next(iter(days))
    return tables


def problem_text(tables: Sequence[Table]) -> int:
    """The characters of the registers' 主要问题 texts the criteria reading would read (each up to MAX_TEXT)."""
    return sum(
        min(len(v), MAX_TEXT)
        for t in tables
        if t.form in (F2, F3)
        for v in t.records().get("problems", ())
        if isinstance(v, str)
    )


def read_file(
    source: str | Path | bytes,
    name: str | None = None,
    campaign: Campaign | None = None,
    limits: ReadLimits | None = None,
) -> FileResult:
    """Read one return (a path or its bytes) into located tables, or refuse it; never raises for bad input.

    A path is refused as TOO_LARGE from its size before a byte of it is read, and never read past the limit.
    """
    campaign = campaign or default_campaign()
    limits = limits or ReadLimits()
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = name or UNNAMED
    else:
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                refused = too_big(size, limits)
                return refuse(FileResult(name=name, size=size), refused.reason, refused.detail)
            data = file_bytes(path, limits)  # a file that grew since (or a pipe) stops one byte past the limit
        except OSError:
            return refuse(FileResult(name=name), "CORRUPT", "无法读取该文件")
    fr = FileResult(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), content=data)
    try:
        return _read(fr, data, campaign, limits)
    except Exception as exc:  # a file no rule foresaw must not stop the batch
        log.error("unexpected error reading %s: %s", name, exception_line(exc))  # not its text: it may quote a cell
        return refuse(fr, "CORRUPT", "读取时出错")


Source = str | Path | bytes | tuple[str, bytes]


def _read_sources(
    sources: Sequence[Source],
    campaign: Campaign,
    limits: ReadLimits | None,
    keep_bytes: bool = True,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Read each source in this process; ``keep_bytes=False`` leaves out the content of sources given as bytes;
    ``on_file`` is called with each result as it is read."""
    out = []
    for source in sources:
        if isinstance(source, tuple):
            fr = read_file(source[1], name=source[0], campaign=campaign, limits=limits)
        else:
            fr = read_file(source, campaign=campaign, limits=limits)
        if not keep_bytes and isinstance(source, tuple | bytes):
            fr.content = None  # the caller has these bytes: no need to send them back
        out.append(fr)
        if on_file is not None:
            on_file(fr)
    return out


READ_AHEAD_PIECE = 200  # texts sent to a worker at a time (about 0.1 s of reading): the workers share them evenly


class _ReadAhead:
    """A pooled batch's 主要问题 texts read into criteria on the pool too: each chunk's texts new to the batch (and not
    remembered already) sent as the chunk comes back, each text once; criteria awaits the readings (``await_readings``)
    and remembers them when one is first needed, so the checks that need none run meanwhile. A reading the pool cannot
    make is made where it is needed, as always. ``recall(texts)``, given, first gives criteria the readings kept of
    them (``Store.recall``): those are not sent."""

    def __init__(self, recall: Callable[[list[str]], object] | None = None) -> None:
        self.seen: set = set()
        self.futures: list = []
        self.recall = recall

    def new_texts(self, chunk: Sequence[FileResult]) -> list[str]:
        """The texts of a chunk of read files that no chunk before had, after ``recall``, not remembered."""
        problems = (v for fr in chunk for t in fr.tables if t.form in (F2, F3) for v in t.values("problems"))
        texts = list(dict.fromkeys(v for v in problems if isinstance(v, str) and v not in self.seen))
        self.seen.update(texts)
        if self.recall is not None and texts:
            try:
                self.recall(texts)
            except Exception as exc:  # the store cannot say: the texts are read, as without one
                log.warning("the kept readings of 主要问题 were not recalled (%s)", exception_line(exc))
        return [v for v in texts if criteria.remembered(v, wait=False) is None]

    def send(self, chunk: Sequence[FileResult]) -> None:
        """Send the texts of a chunk of read files that no chunk before had to the pool."""
        texts = self.new_texts(chunk)
        for i in range(0, len(texts), READ_AHEAD_PIECE):
            if (future := submit(criteria.read_ahead, texts[i : i + READ_AHEAD_PIECE])) is not None:
                self.futures.append(future)


def _portable(source: object) -> Source:
    """A source as it can be pickled to a worker: bytes-like as bytes, a path as text."""
    if isinstance(source, tuple):
        return (source[0], bytes(source[1]))
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    return str(source) if isinstance(source, Path) else source


@in_batch_heap
def read_files(
    sources: Iterable[str | Path | bytes | tuple[str, bytes]],
    campaign: Campaign | None = None,
    limits: ReadLimits | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    recall: Callable[[list[str]], object] | None = None,
) -> list[FileResult]:
    """Read many returns (paths, bytes, or (name, bytes) pairs) in order; one bad file never stops the others.

    A large batch is read on every core by the process pool of ``weakorg.read.pool`` (``WEAKORG_WORKERS``
    workers; ``1`` = always in this process), its 主要问题 texts read into criteria there too; a small one, or any
    when the pool cannot start, in this process. ``on_progress(done, total, name)`` follows the files in order as
    they are read (the name of the last one done), a pooled batch a chunk at a time. ``recall(texts)`` gives criteria
    the readings kept of the batch's texts (``Store.recall``), so that none is read again.
    """
    campaign = campaign or default_campaign()
    items = [_portable(s) for s in sources]
    done: list[FileResult] = []

    def one(fr: FileResult) -> None:
        done.append(fr)
        if on_progress is not None:
            on_progress(len(done), len(items), fr.name)

    ahead = _ReadAhead(recall)

    def chunk_done(chunk: list[FileResult]) -> None:
        ahead.send(chunk)
        for fr in chunk:
            one(fr)

    pooled = map_chunks(
        partial(_read_sources, campaign=campaign, limits=limits, keep_bytes=False),
        items,
        fallback=partial(_read_sources, campaign=campaign, limits=limits),
        on_chunk=chunk_done,
    )
    if pooled is None:
        files = _read_sources(items, campaign, limits, on_file=one)
        if recall is not None:
            ahead.new_texts(files)  # recalled: the checks read only the others
        return files
    criteria.await_readings(ahead.futures)  # the checks that need them wait for them; the others need not
    for source, fr in zip(items, pooled, strict=True):
        if isinstance(source, tuple | bytes) and fr.content is None:
            fr.content = source[1] if isinstance(source, tuple) else source
    return pooled
