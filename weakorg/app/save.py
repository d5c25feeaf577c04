"""Saving the readable uploads: each under a savepoint of its own, and what became of each file."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from weakorg.app.uploads import Progress, UploadResult
from weakorg.campaign import Campaign
from weakorg.store import Store, StoreError
from weakorg.tables import returns_from_files

log = logging.getLogger(__name__)


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
    reinstated: list[tuple[int, str]] = field(default_factory=list)  # withdrawn files uploaded again: they stand again
    refused: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    def changed(self) -> bool:
        """Whether the save put anything in the figures: a file saved, or a withdrawn one uploaded again."""
        return bool(self.saved or self.reinstated)

    def summary(self) -> str:
        """The outcome in one sentence, as the page shows it."""
        parts = [f"新保存 {len(self.saved)} 个文件", f"此前已保存 {len(self.stored_before)} 个"]
        if self.reinstated:
            parts.insert(1, f"撤回后重新上传、恢复计入 {len(self.reinstated)} 个")
        parts.append(f"已拒收未保存 {len(self.refused)} 个")
        if self.failed:
            parts.append(f"保存失败 {len(self.failed)} 个")
        head = "保存失败" if self.failed and not self.saved else "部分保存" if self.failed else "保存完成"
        head = head if self.failed or self.changed() else "没有保存新文件"
        return f"{head}：" + "，".join(parts) + "。"


REINSTATED_NOTE = (
    "{files}此前已被撤回，本次上传的是同一文件（内容相同），已恢复计入各页统计；撤回记录仍保留在“已保存的报送”中。"
    "如该文件确不应计入，请管理员再次撤回。"
)


def reinstated_text(report: SaveReport) -> str:
    """What the page says of the withdrawn files a save brought back (""  when none): each named with its number."""
    if not report.reinstated:
        return ""
    return REINSTATED_NOTE.format(files="、".join(f"“{name}”（#{sid}）" for sid, name in report.reinstated))


NAMES_SHOWN = 5  # files a sentence names before it says how many more


def some_names(names: Sequence[str], limit: int = NAMES_SHOWN) -> str:
    """File names as a sentence lists them: all of a few, else the first ``limit`` and how many in all (a、b等35个)."""
    shown = "、".join(names[:limit])
    return shown if len(names) <= limit else f"{shown}等{len(names)}个"


def held_back_text(names: Sequence[str], force_label: str) -> str:
    """What the page says after a save of the files with errors it did not store."""
    return f"有错误未保存 {len(names)} 个：{some_names(names)}（如确需保存，请勾选“{force_label}”后再保存）。"


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
        elif s.reinstated:  # no new row: the withdrawn submission stands again, said apart
            report.reinstated.append((int(s.id), s.name))
            report.ids.append(int(s.id))
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
