"""A seeded corpus of returns for the scale benchmark: a city, a province, the whole country.

Run: .venv/bin/python bench/corpus.py --scale city|province|country [--seed 2014]

Every unit is synthetic ("某某县0001"); ``campaign.toml`` beside the files names them all, so
``weakorg.campaign.load_campaign`` reads the corpus's campaign. Each unit sends one return of the
three forms (F1: 4-7 category tables, F2: 10-60 rows, F3: 0-15 rows) in one of the layouts the
reader supports: per-form workbooks, one workbook with every form, F1 stacked in one sheet, F2 as
a GBK CSV, one workbook per F1 category. Names, problems and phones come from ``weakorg.sample``;
the sheets are laid out by ``weakorg.export.forms``. Written once to
``~/.cache/weakorg-bench/<scale>-<seed>`` (a process per core) and reused while its manifest is there.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from weakorg import sample  # noqa: E402
from weakorg.export.forms import (  # noqa: E402
    add_sheet,
    header_line,
    new_workbook,
    workbook_bytes,
    write_f1,
    write_f2,
    write_f3,
)
from weakorg.vocab import (  # noqa: E402
    CATEGORIES,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    FORM_TITLES,
    chinese_date,
)

SCALES = {"tiny": 3, "city": 12, "province": 120, "country": 2900}
CACHE = Path(os.environ.get("WEAKORG_BENCH_CACHE", Path.home() / ".cache" / "weakorg-bench"))
MANIFEST = "corpus.json"
CAMPAIGN_FILE = "campaign.toml"
VERSION = 1  # bump when the corpus's content changes, so stale caches are not reused

# Layouts and how often units use them.
FORMS, WORKBOOK, STACKED, CSV_F2, PER_CATEGORY = "forms", "workbook", "stacked", "csv_f2", "per_category"
LAYOUT_WEIGHTS = {FORMS: 30, WORKBOOK: 20, STACKED: 20, CSV_F2: 20, PER_CATEGORY: 10}
_KINDS = ("县", "市", "区")
_TOWN_CHARS = "东西南北中上下新老大小长青石金银龙凤桃李杨柳松竹梅兰田禾山水"
DEADLINE = date(2014, 3, 12)
STAMP = datetime(2014, 3, 12, 17, 30)


def unit_names(n: int) -> list[str]:
    """The synthetic filing units of a corpus of ``n`` units."""
    return [f"某某{_KINDS[i % 3]}{i + 1:04d}" for i in range(n)]


def campaign_toml(units: list[str]) -> str:
    """A campaign file (TOML) whose units are the corpus's."""
    head = (
        'name = "软弱涣散基层党组织整顿（基准测试）"\ncity = "基准测试"\nissuer = "中共某某省委组织部"\n'
        'document = "某组通〔2014〕1号"\nissued_on = 2014-03-07\ndeadline = 2014-03-12\n'
        "rectification_end = 2014-04-30\n"
    )
    body = "".join(f'\n[[units]]\nname = "{u}"\nkind = "县市区"\naliases = []\n' for u in units)
    return head + body


@dataclass
class UnitData:
    """What one unit sends: F1 counts per category, F2 and F3 rows, how it lays them out."""

    unit: str
    header_unit: str
    reported_on: date
    f1: dict[str, dict[str, int]]
    f2: list[dict]
    f3: list[dict]
    layout: str


def unit_data(seed: int, index: int, unit: str) -> UnitData:
    """The return of the ``index``-th unit, drawn from ``seed`` and the index alone (deterministic)."""
    b = sample._Builder(0)
    b.rng = rng = random.Random(f"{seed}:{index}")
    towns = tuple({rng.choice(_TOWN_CHARS) + rng.choice(_TOWN_CHARS) + rng.choice("镇乡"): None for _ in range(10)})
    spec = sample.UnitSpec(unit, unit, {}, towns=towns, streets=tuple(t[:2] + "街道" for t in towns[:4]))
    categories = ["农村", *rng.sample([c for c in CATEGORIES if c != "农村"], rng.randint(3, 6))]
    n_weak = rng.randint(10, 60)
    # The weak organizations spread over the categories, villages the most.
    weights = [6 if c == "农村" else 1 for c in categories]
    per_cat = dict.fromkeys(categories, 0)
    for c in rng.choices(categories, weights=weights, k=n_weak):
        per_cat[c] += 1
    f1: dict[str, dict[str, int]] = {}
    f2: list[dict] = []
    for category in categories:
        weak: list[sample.WeakOrg] = []
        total = max(per_cat[category] * rng.randint(15, 30), rng.randint(8, 40))
        kinds = sample._kinds(rng, category, total)
        sector = sample._sector(category)
        for _ in range(per_cat[category]):
            criteria = b.criteria()
            text, flags, vacant = b.problems(sector, category, criteria)
            statuses, _ = b.statuses(1)
            lo, hi = (15, 80) if sector == sample.VILLAGE else (3, 40)
            weak.append(
                sample.WeakOrg(
                    unit=unit,
                    name=b.org_name(spec, category, "党支部"),
                    category=category,
                    members=rng.randint(lo, hi),
                    problems=text,
                    criteria=criteria,
                    flags=flags,
                    secretary=(None if rng.random() < 0.5 else "空缺") if vacant else b.person(),
                    phone=None if vacant else b.phone("8"),
                    statuses=statuses,
                )
            )
        f1[category] = sample._f1_counts(kinds, weak)
        f2.extend(sample._f2_row(o, 1) for o in weak)
    f3 = []
    weak_villages = [r for r in f2 if r["category"] == "农村"]
    for _ in range(rng.randint(0, 15)):
        problems = rng.sample(sample._F3_PROBLEMS, rng.randint(1, 2))
        vacant = sample._F3_VACANT in problems
        done = rng.random() < 0.3
        # About half the hard villages are weak ones of the register (rectified first, re-elected after).
        known = weak_villages.pop(rng.randrange(len(weak_villages))) if weak_villages and rng.random() < 0.5 else None
        f3.append(
            {
                "name": known["name"] if known else b.org_name(spec, "农村", "党支部"),
                "members": known["members"] if known else rng.randint(15, 80),
                "problems": "".join(problems),
                "measures": "".join(rng.sample(sample._F3_MEASURES, rng.randint(1, 2))),
                "secretary": None if vacant else b.person(),
                "phone": None if vacant else b.phone("8"),
                "election_done": date(2014, 3, rng.randint(1, 10)) if done else sample.NOT_DONE,
            }
        )
    layout = rng.choices(list(LAYOUT_WEIGHTS), weights=list(LAYOUT_WEIGHTS.values()))[0]
    header_unit = f"中共{unit}委组织部" if rng.random() < 0.3 else unit
    reported_on = date(2014, 3, rng.randint(8, 12)) if rng.random() < 0.95 else date(2014, 3, 14)
    return UnitData(unit, header_unit, reported_on, f1, f2, f3, layout)


# --- laying out ----------------------------------------------------------------------------------


def _f1_sheets(wb, u: UnitData, categories: list[str], stacked: bool) -> None:
    if stacked:
        ws, top = add_sheet(wb, FORM_ATTACHMENTS["F1"]), 1
        for cat in categories:
            top = write_f1(ws, u.header_unit, cat, u.reported_on, u.f1[cat], top=top)
        return
    for cat in categories:
        write_f1(add_sheet(wb, f"{FORM_ATTACHMENTS['F1']}-{cat}"), u.header_unit, cat, u.reported_on, u.f1[cat])


def _f2_sheet(wb, u: UnitData) -> None:
    write_f2(add_sheet(wb, FORM_ATTACHMENTS["F2"]), u.header_unit, u.reported_on, u.f2)


def _f3_sheet(wb, u: UnitData) -> None:
    write_f3(add_sheet(wb, FORM_ATTACHMENTS["F3"]), u.header_unit, u.reported_on, u.f3)


def f2_csv(u: UnitData) -> bytes:
    """The F2 register as a clerk saves it from Excel as CSV: title rows, header line, GBK."""
    columns = {**F2_COLUMNS, **F2_EXTRA_COLUMNS}
    width = len(columns)
    lines = [
        [FORM_ATTACHMENTS[F2]],
        [FORM_TITLES[F2]],
        [header_line(u.header_unit, u.reported_on, gap=4)],
        list(columns.values()),
    ]
    for i, row in enumerate(u.f2, 1):
        values = {**row, "seq": i}
        lines.append(
            ["" if values.get(k) is None else chinese_date(v) if isinstance(v := values.get(k), date) else v
             for k in columns]
        )  # fmt: skip
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in lines:
        writer.writerow([*line, *[""] * (width - len(line))])
    return buf.getvalue().encode("gbk", errors="replace")


def unit_files(u: UnitData) -> dict[str, bytes]:
    """File name -> bytes of one unit's return, in its layout."""
    d = u.reported_on.strftime("%Y%m%d")
    stem = f"{u.unit}-{d}"
    a1, a2, a3 = FORM_ATTACHMENTS["F1"], FORM_ATTACHMENTS["F2"], FORM_ATTACHMENTS["F3"]
    s1, s2, s3 = FORM_SHORT["F1"], FORM_SHORT["F2"], FORM_SHORT["F3"]
    categories = list(u.f1)
    books: dict[str, object] = {}
    out: dict[str, bytes] = {}
    if u.layout == WORKBOOK:
        wb = new_workbook()
        _f1_sheets(wb, u, categories, stacked=False)
        _f2_sheet(wb, u)
        _f3_sheet(wb, u)
        books[f"{stem}-软弱涣散基层党组织报表.xlsx"] = wb
    else:
        if u.layout == PER_CATEGORY:
            for cat in categories:
                wb = new_workbook()
                _f1_sheets(wb, u, [cat], stacked=False)
                books[f"{stem}-{a1}-{s1}-{cat}.xlsx"] = wb
        else:
            wb = new_workbook()
            _f1_sheets(wb, u, categories, stacked=u.layout == STACKED)
            books[f"{stem}-{a1}-{s1}.xlsx"] = wb
        if u.layout == CSV_F2:
            out[f"{stem}-{a2}-{s2}.csv"] = f2_csv(u)
        else:
            wb = new_workbook()
            _f2_sheet(wb, u)
            books[f"{stem}-{a2}-{s2}.xlsx"] = wb
        wb = new_workbook()
        _f3_sheet(wb, u)
        books[f"{stem}-{a3}-{s3}.xlsx"] = wb
    for name, wb in books.items():
        out[name] = workbook_bytes(wb, STAMP)
    return out


def _write_unit(job: tuple[int, int, str, str]) -> list[tuple[str, int]]:
    seed, index, unit, out_dir = job
    written = []
    for name, data in unit_files(unit_data(seed, index, unit)).items():
        (Path(out_dir) / name).write_bytes(data)
        written.append((name, len(data)))
    return written


# --- the corpus ----------------------------------------------------------------------------------


@dataclass
class Corpus:
    """A written corpus: its directory, files, units and campaign file."""

    scale: str
    seed: int
    directory: Path
    files: list[Path]
    units: list[str]
    seconds_to_write: float

    @property
    def campaign_path(self) -> Path:
        return self.directory / CAMPAIGN_FILE

    @property
    def bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)


def corpus_dir(scale: str, seed: int, cache: Path | None = None) -> Path:
    """Where the corpus of ``scale`` and ``seed`` lives."""
    return Path(cache or CACHE) / f"{scale}-{seed}"


def build_corpus(
    scale: str, seed: int = 2014, cache: Path | None = None, processes: int | None = None, log=None
) -> Corpus:
    """The corpus of ``scale`` (a name in SCALES or a number of units), written once and reused."""
    n = SCALES[scale] if scale in SCALES else int(scale)
    directory = corpus_dir(scale, seed, cache)
    manifest = directory / MANIFEST
    units = unit_names(n)
    if manifest.is_file():
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if meta.get("version") == VERSION and meta.get("units") == n:
            files = [directory / name for name in meta["files"]]
            if all(p.is_file() for p in files):
                return Corpus(scale, seed, directory, files, units, meta["seconds_to_write"])
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        if old.is_file():
            old.unlink()
    start = time.perf_counter()
    jobs = [(seed, i, unit, str(directory)) for i, unit in enumerate(units)]
    processes = processes or (os.cpu_count() or 1)
    if processes > 1 and n > 12:
        with get_context("fork" if sys.platform == "linux" else "spawn").Pool(processes) as pool:
            written = [w for ws in pool.imap(_write_unit, jobs, chunksize=8) for w in ws]
    else:
        written = [w for job in jobs for w in _write_unit(job)]
    (directory / CAMPAIGN_FILE).write_text(campaign_toml(units), encoding="utf-8")
    seconds = time.perf_counter() - start
    names = sorted(name for name, _ in written)
    meta = {"version": VERSION, "scale": scale, "seed": seed, "units": n, "files": names, "seconds_to_write": seconds}
    manifest.write_text(json.dumps(meta, ensure_ascii=False, indent=0), encoding="utf-8")
    if log:
        log(f"写入基准语料 {directory}：{n}个单位，{len(names)}个文件，用时{seconds:.1f}秒")
    return Corpus(scale, seed, directory, [directory / name for name in names], units, seconds)


def main(argv: list[str] | None = None) -> int:
    """Write (or find) a corpus and print where it is."""
    parser = argparse.ArgumentParser(description="生成基准测试语料（写入缓存目录，已存在则复用）")
    parser.add_argument("--scale", default="city", help="tiny、city、province、country 或单位个数")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--processes", type=int, default=None)
    args = parser.parse_args(argv)
    c = build_corpus(args.scale, args.seed, processes=args.processes, log=print)
    size = c.bytes / 1e6
    print(
        f"{c.directory}：{len(c.units)}个单位，{len(c.files)}个文件，{size:.1f} MB，写入用时{c.seconds_to_write:.1f}秒"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
