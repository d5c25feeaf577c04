"""Checks across a batch of returns: who filed, what, when, how often, and whether F1 and F2 agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import numpy as np
import pandas as pd

from weakorg.campaign import normalize_text
from weakorg.checks.register import form_name, line_columns, org_label
from weakorg.checks.registry import (
    CORRECTED_EVIDENCE,
    Context,
    at_cell,
    flagged,
    located,
    missing,
    num,
    quote,
    records,
    records_where,
    rule,
)
from weakorg.consolidate import canonical_category, day_numbers, org_categories, stated_or_read
from weakorg.findings import Finding
from weakorg.names import looks_like_firm
from weakorg.read.cells import parse_category
from weakorg.tables import HEADER_COLUMNS, LISTED_ABOVE, listed_first
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_ALIASES,
    CATEGORY_LABEL,
    DATE_LABEL,
    F1,
    F1_CRITERIA_KEYS,
    F1_ROWS,
    F2,
    F2_EXTRA_COLUMNS,
    F3,
    FIRM_CATEGORIES,
    FORMS,
    NA_TOKENS,
    UNIT_LABEL,
    chinese_date,
)

WEAK = F1_ROWS["weak_total"]


def header_rows(ctx: Context) -> pd.DataFrame:
    """One row per table of the batch (all three forms): its file, sheet and header line, with its form."""
    return ctx.memo("header_rows", lambda: _header_rows(ctx))


def _header_rows(ctx: Context) -> pd.DataFrame:
    columns = list(dict.fromkeys(HEADER_COLUMNS))
    firsts = {}  # form -> the frame and its first row of each table
    for form in FORMS:
        frame = ctx.frame(form)
        if len(frame):
            firsts[form] = frame, None if form == F1 else ~frame.duplicated(["file_idx", "table_idx"]).to_numpy()
    if _alike([frame for frame, _ in firsts.values()], columns):  # the columns joined as arrays, one frame built
        data = {c: np.concatenate([_taken(f[c], at) for f, at in firsts.values()]) for c in columns}
        sizes = [len(f) if at is None else int(at.sum()) for f, at in firsts.values()]
        out = pd.DataFrame({**data, "form": np.repeat(np.array(list(firsts), dtype=object), sizes)})
        return out.assign(day=day_numbers(out["reported_on"]))
    parts = []
    for form in FORMS:
        tables = ctx.frame(form).reindex(columns=columns)  # narrow before deduplicating
        tables = tables if form == F1 else tables.drop_duplicates(["file_idx", "table_idx"])
        parts.append(tables.assign(form=form))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    return out.assign(day=day_numbers(out["reported_on"]))


def _taken(values: pd.Series, at: np.ndarray | None) -> np.ndarray:
    """A column's values at the rows ``at`` marks (all when None)."""
    values = values.to_numpy()
    return values if at is None else values[at]


def _alike(frames: list[pd.DataFrame], columns: list[str]) -> bool:
    """Whether the frames all have the columns, each of one plain numpy dtype in all: then joining their arrays
    gives what ``pd.concat`` gives."""
    if not frames:
        return False
    for c in columns:
        if any(c not in f.columns for f in frames):
            return False
        dtypes = {f[c].dtype for f in frames}
        if len(dtypes) != 1 or not isinstance(next(iter(dtypes)), np.dtype):
            return False
    return True


def _at(cell) -> str:
    return f"（见{cell}）" if not missing(cell) else ""


@rule("UNKNOWN_UNIT")
def unknown_unit(ctx: Context) -> Iterator[Finding]:
    """Every table names a filing unit of the campaign (one finding per file)."""
    tables = header_rows(ctx)
    example = "、".join(ctx.campaign.unit_names[:3])
    empty = ctx.returns.empty  # a register with no line is in no frame, but its header names a unit all the same
    if tables["unit"].notna().all() and empty["unit"].notna().all():  # every table names a unit of the campaign
        return
    unknown = pd.concat([tables[tables["unit"].isna()], empty[empty["unit"].isna()]], ignore_index=True)
    named = pd.concat([tables[["file_idx", "unit"]], empty[["file_idx", "unit"]]]).dropna()
    for r in records(unknown.drop_duplicates("file_idx")):
        raw = r.get("unit_raw")
        said = f"表头未填写{UNIT_LABEL}" if missing(raw) else f"{UNIT_LABEL}“{quote(raw)}”不在本次整顿的填报单位名单中"
        others = named.loc[named["file_idx"] == r["file_idx"], "unit"].unique()  # the units its other tables name
        near = None if missing(raw) else ctx.campaign.nearest_unit(raw)
        if len(others) == 1:
            fix = f"本文件其他表格填的是{others[0]}，如属{others[0]}请改正表头"
        elif near is not None:
            fix = f"是否应为“{near}”？请改为名单中的规范名称"
        else:
            fix = f"请改为名单中的规范名称（如{example}）"
        msg = f"{said}{_at(r['unit_cell'])}，改正前该表不计入任何单位；{fix}。"
        yield located("UNKNOWN_UNIT", msg, r, r["form"], r["unit_cell"])


def category_choices() -> str:
    """The nine categories as a message offers them, each with the short names the reader maps to it (in brackets)
    beside it: 农村（村）、街道社区（社区、街道、城市社区）… (a category + 党组织 needs no mention)."""
    short: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for alias, category in CATEGORY_ALIASES.items():
        if not alias.startswith(category):
            short[category].append(alias)
    return "、".join(c + (f"（{'、'.join(a)}）" if a else "") for c, a in short.items())


def _category_unknown(value) -> bool:
    """Whether an F2 line's 党组织类别 says something the reader maps to none of the nine."""
    return not missing(value) and normalize_text(value) not in NA_TOKENS and parse_category(value) is None


@rule("UNKNOWN_CATEGORY")
def unknown_category(ctx: Context) -> Iterator[Finding]:
    """Every F1 table names one of the nine categories, and so does every F2 line that fills its 党组织类别."""
    allowed = category_choices()
    for r in records_where(ctx.f1, ctx.f1["category"].isna()):
        raw = r.get("category_raw")
        if missing(raw):
            msg = (
                f"汇总表未填写{CATEGORY_LABEL}{_at(r['category_cell'])}；每张汇总表只填一类，"
                f"请填写以下九类之一（括号内为可用的简称）：{allowed}。"
            )
        else:
            msg = (
                f"{CATEGORY_LABEL}“{quote(raw)}”不是九类之一{_at(r['category_cell'])}，"
                f"请改为以下九类之一（括号内为可用的简称）：{allowed}。"
            )
        yield located("UNKNOWN_CATEGORY", msg + _left_out(r), r, F1, r["category_cell"])
    f2 = ctx.f2
    for r in records_where(f2, flagged(f2["category"], _category_unknown)):
        cell = r.get("category_cell")
        msg = (
            f"{org_label(r)}的{CATEGORY_LABEL}“{quote(r['category'], r)}”不是九类之一。请核对{at_cell(r, cell)}，"
            f"改为以下九类之一（括号内为可用的简称）：{allowed}；不填的按党组织名称推断。"
        )
        yield located("UNKNOWN_CATEGORY", msg, r, F2, cell, org=_org_name(r))


def _left_out(r: dict) -> str:
    """What a 附件1 table of no known category takes out of the sums (it is in no category's, nor in the total)."""
    orgs, weak = r.get("orgs_total"), r.get("weak_total")
    if missing(orgs) and missing(weak):
        return ""
    said = "、".join(
        f"{F1_ROWS[k]}{num(v)}个" for k, v in (("orgs_total", orgs), ("weak_total", weak)) if not missing(v)
    )
    return f"改正前，该表（{said}）不计入任何类别及合计。"


@rule("LATE_SUBMISSION")
def late_submission(ctx: Context) -> Iterator[Finding]:
    """The first return of a unit's form (per category for F1) is dated no later than the deadline."""
    deadline = ctx.campaign.deadline
    tables = header_rows(ctx)
    known = tables["unit"].notna() & ((tables["form"] != F1) | tables["category"].notna())
    tables = tables[known & (tables["day"] >= 0)]  # an unknown category has its own finding
    tables = tables.assign(cat=tables["category"].where(tables["form"] == F1, "").fillna(""))
    first = tables.sort_values(["day", "file_idx", "table_idx"]).drop_duplicates(["unit", "form", "cat"])
    for r in records_where(first, first["day"] > deadline.toordinal()):
        what = f"{form_name(r['form'])}" + (f"（{r['cat']}）" if r["cat"] else "")
        msg = (
            f"{r['unit']}首次报送的{what}{DATE_LABEL}为{chinese_date(r['reported_on'])}，"
            f"晚于截止日期{chinese_date(deadline)}。请按时报送；如{DATE_LABEL}填错，请改正{r['date_cell'] or '表头'}。"
        )
        yield located("LATE_SUBMISSION", msg, r, r["form"], r["date_cell"])


@rule("DUPLICATE_SUBMISSION")
def duplicate_submission(ctx: Context) -> Iterator[Finding]:
    """The same unit, category and form sent twice with the same date: the later upload stands."""
    for form in FORMS:
        frame = ctx.frame(form)
        known = frame["unit"].notna()
        if not known.any():
            continue
        unit, day, cat = frame["unit"][known], day_numbers(frame["reported_on"][known]), frame["category"][known]
        if not _in_two_files(zip(unit, cat.fillna(""), day, strict=True), frame["file_idx"][known]):
            continue  # no return sent twice: the wide frame is not copied
        frame = frame[known]
        keyed = frame.assign(day=day, cat=cat.fillna(""))
        keys = ["unit", "cat", "day"]
        keyed = keyed.assign(standing=keyed.groupby(keys)["file_idx"].transform("max"))
        pair = ["file_idx", "standing", "cat"] if form == F1 else ["file_idx", "standing"]
        gone = keyed[keyed["file_idx"] != keyed["standing"]].drop_duplicates(pair)
        names = frame.drop_duplicates("file_idx").set_index("file_idx")["file"]
        by_file = ["file_idx", "cat"] if form == F1 else ["file_idx"]
        rows_of = keyed.drop_duplicates(by_file).set_index(by_file)  # a file's first row (of a category, for F1)
        batch = ctx.returns.batch_from  # checked with stored returns: where this upload's files start
        if batch is not None:  # of the stored copies, only the one that stands now is replaced by this upload
            stored = keyed[keyed["file_idx"] < batch].groupby(keys)["file_idx"].max().rename("last_stored")
            gone = gone.join(stored, on=keys)
            gone = gone[
                ~((gone["file_idx"] < batch) & (gone["standing"] >= batch) & (gone["file_idx"] != gone["last_stored"]))
            ]
        for r in records(gone):
            what = form_name(form) + (f"（{r['cat']}）" if r["cat"] and form == F1 else "")
            when = chinese_date(r["reported_on"]) if r["day"] >= 0 else "均未填写"
            standing = names[r["standing"]]
            msg = (
                f"{r['unit']}的{what}在“{r['file']}”和“{standing}”中重复报送，{DATE_LABEL}相同（{when}），"
                f"以后上传的“{standing}”为准。"
            )
            if batch is not None and r["file_idx"] < batch <= r["standing"]:  # a stored return this upload replaces:
                msg = (  # said of the file uploaded (the stored one is no file of the batch)
                    f"{r['unit']}已保存过{DATE_LABEL}相同（{when}）的{what}“{r['file']}”，"
                    f"保存后以本次上传的“{standing}”为准，“{r['file']}”不再计入。如并非更正，请核对{DATE_LABEL}。"
                )
                key = (r["standing"], r["cat"]) if form == F1 else r["standing"]
                r = {**rows_of.loc[key].to_dict(), "file_idx": r["standing"], "cat": r["cat"]}
            yield located(
                "DUPLICATE_SUBMISSION",
                msg,
                r,
                form,
                r["date_cell"],
                category=(r["cat"] or None) if form == F1 else None,
            )


def _in_two_files(keys, files) -> bool:
    """Whether a key is found in the rows of two files."""
    first: dict = {}
    return any(first.setdefault(k, f) != f for k, f in zip(keys, files, strict=True))


@rule("LIST_COUNT_MISMATCH")
def list_count_mismatch(ctx: Context) -> Iterator[Finding]:
    """A unit lists in F2 as many organizations as its F1 tables count weak ones (latest returns of both)."""
    f1, f2 = line_columns(ctx.current(F1), "weak_total", "reported_on"), ctx.current(F2)
    f1, f2 = f1[f1["unit"].notna()], line_columns(f2[f2["unit"].notna()], "reported_on", LISTED_ABOVE)
    emptied = ctx.emptied(F2)  # a 一览表 sent with no line
    if f1.empty or (f2.empty and emptied.empty):
        return
    weak = f1.assign(w=pd.to_numeric(f1["weak_total"], errors="coerce"))
    totals = weak.groupby("unit")["w"].sum(min_count=1)
    listed = listed_first(f2).groupby("unit").size()  # a line listing an organization again is DUPLICATE_ORG's
    listed = listed.reindex(listed.index.union(emptied["unit"].unique()), fill_value=0)  # it lists none
    both = totals.dropna().index.intersection(listed.index)
    bad = both[listed[both] != totals[both]]
    for unit in bad:
        parts = weak[weak["unit"] == unit]
        detail = "、".join(
            f"{c or '类别未识别'}{'未填' if missing(w) else f'{num(w)}个'}"
            for c, w in zip(parts["category"], parts["w"], strict=True)
        )
        rows = f2[f2["unit"] == unit]
        if rows.empty:  # its 一览表 was sent with no line
            rows = emptied[emptied["unit"] == unit].assign(sheet=None)
        first = records(rows.head(1))[0] | {"category": None}
        files = "、".join(f"“{f}”" for f in dict.fromkeys(rows["file"]))
        summaries = "、".join(f"“{f}”" for f in dict.fromkeys(parts["file"]))
        msg = (
            f"{unit}的{form_name(F2)}{files}列出{listed[unit]}个党组织，而{form_name(F1)}{summaries}中{WEAK}合计"
            f"{num(totals[unit])}个（{detail}），两者应一致。请补全一览表，或核对汇总表的填写。"
        )
        yield located("LIST_COUNT_MISMATCH", msg + _dates_apart(rows, parts), first, F2)


def _dates_apart(listed: pd.DataFrame, summaries: pd.DataFrame) -> str:
    """When a unit's latest 一览表 and 附件1 bear different 填表时间 (one round's register, another's summary), said:
    each form's latest stands, and they are compared as such."""
    days = [sorted({d for d in frame["reported_on"] if isinstance(d, date)}) for frame in (listed, summaries)]
    if not all(days) or days[0] == days[1]:
        return ""
    said = ["、".join(chinese_date(d) for d in ds) for ds in days]
    return f"（两者{DATE_LABEL}不同：{form_name(F2)}为{said[0]}，{form_name(F1)}为{said[1]}；各以最近一次报送比较。）"


@rule("CRITERIA_LIST_MISMATCH", reads_problems=True)
def criteria_list_mismatch(ctx: Context) -> Iterator[Finding]:
    """A unit's F1 count for each criterion equals its F2 organizations meeting that criterion.

    An organization meets the criteria its 符合标准 cell states, else those its 主要问题 text
    describes. Only units whose latest register says something on every line (a stated criterion
    or a problem text) are compared.
    """
    f1, f2 = ctx.current(F1), ctx.current(F2)
    f1, f2 = f1[f1["unit"].notna()], f2[f2["unit"].notna()]
    if f1.empty or f2.empty:
        return
    met = stated_or_read(f2["criteria_stated"], ctx.read(F2).loc[f2.index])
    if ctx.corrected_any():
        fixed = ctx.corrected_criteria(F2).loc[f2.index]  # an analyst's word stands over the 符合标准 cell too
        met = met.where(fixed.isna(), fixed)
    says = [bool(m) or not missing(p) for m, p in zip(met, f2["problems"], strict=True)]
    silent = {u for u, said in zip(f2["unit"], says, strict=True) if not said}  # a line that says nothing
    kept = ~f2["unit"].isin(silent) & ~pd.DataFrame({"u": f2["unit"], "k": f2["name"].map(normalize_text)}).duplicated()
    f2, met = f2[kept.to_numpy()], met[kept.to_numpy()]
    counted = f1[f1["unit"].isin(f2["unit"])].groupby("unit")[list(F1_CRITERIA_KEYS)].sum(min_count=1).stack()
    in_list = _per_criterion(f2["unit"], met, counted.index)
    as_written = in_list  # what the list says before an analyst's correction: the county's own reading
    if ctx.corrected_any():
        written = stated_or_read(f2["criteria_stated"], ctx.read_as_written(F2).loc[f2.index])
        as_written = _per_criterion(f2["unit"], written, counted.index)
    stated_column = F2_EXTRA_COLUMNS["criteria_stated"]
    for (unit, key), total in counted[counted != in_list].items():
        first = records(f2[f2["unit"] == unit].head(1))[0] | {"unit": unit, "category": None}
        listed, before = in_list[(unit, key)], as_written[(unit, key)]
        msg = (
            f"{unit}的{form_name(F1)}中符合第（{key[1:]}）条标准的合计{num(total)}个，"
            f"而{form_name(F2)}中符合该标准的党组织（按“{stated_column}”，未填的按主要问题）"
            f"有{listed}个，"
        )
        if before == total:  # the county's return agrees with itself: the analyst's correction made the gap
            msg += f"{FROM_CORRECTION}（更正前为{before}个，与{form_name(F1)}一致），请分析员确认，{unit}无需修改。"
        elif before != listed:
            msg += f"其中含{CORRECTED_EVIDENCE}的更正（更正前为{before}个），两者应一致，请核对。"
        else:
            msg += "两者应一致，请核对。"
        yield located("CRITERIA_LIST_MISMATCH", msg, first, F2)


FROM_CORRECTION = f"差异来自{CORRECTED_EVIDENCE}"  # a count gap an analyst's correction made, not the county


def _per_criterion(units: pd.Series, criteria: pd.Series, index: pd.MultiIndex) -> pd.Series:
    """How many lines of each unit meet each criterion (keys c1…c6), on ``index``, 0 where none does."""
    met = Counter((u, f"c{n}") for u, numbers in zip(units, criteria, strict=True) for n in numbers)
    return pd.Series([met[k] for k in index], index=index, dtype="int64")


@rule("CATEGORY_NOT_IN_SUMMARY")
def category_not_in_summary(ctx: Context) -> Iterator[Finding]:
    """Each F2 organization's category (its 党组织类别 cell, else its name's) has an F1 table of the unit."""
    f1, f2 = ctx.current(F1), ctx.current(F2)
    f1, f2 = f1[f1["unit"].notna() & f1["category"].notna()], f2[f2["unit"].notna()]
    if f1.empty or f2.empty:
        return
    tables: dict[str, dict] = {}  # unit -> its F1 categories, in order
    for unit, category in zip(f1["unit"], f1["category"], strict=True):
        tables.setdefault(unit, {})[category] = None
    f2 = f2[f2["unit"].isin(list(tables))]
    category = org_categories(f2, f1)
    unnamed = category.isna()  # no category given or inferred: a firm's name needs a firm's F1 table
    firm = [bool(looks_like_firm(n)) if u else False for n, u in zip(f2["name"], unnamed, strict=True)]
    firm = pd.Series(firm, index=f2.index, dtype=bool)
    has_firm = f2["unit"].isin({u for u, cats in tables.items() if any(c in FIRM_CATEGORIES for c in cats)})
    foreign = [isinstance(c, str) and c not in tables[u] for c, u in zip(category, f2["unit"], strict=True)]
    outside = pd.Series(foreign, index=f2.index, dtype=bool)
    bad = outside | (firm & ~has_firm)
    if not bad.any():
        return
    given = f2["category"].map(canonical_category).notna()
    for r, cat, own in zip(records_where(f2, bad), category[bad], given[bad], strict=True):
        what = cat if isinstance(cat, str) else "或".join(FIRM_CATEGORIES)
        source = "按其党组织类别栏" if own else "按其名称推断"
        cell = r.get("category_cell") if own else r.get("name_cell")
        msg = (
            f"{org_label(r)}属于“{what}”（{source}），但{r['unit']}的{form_name(F1)}中没有这一类"
            f"（现有：{'、'.join(tables[r['unit']])}）。请核对{cell}，或补报该类别的{form_name(F1)}。"
        )
        yield located("CATEGORY_NOT_IN_SUMMARY", msg, r | {"category": None}, F2, cell, org=_org_name(r))


@rule("VILLAGE_NOT_LISTED")
def village_not_listed(ctx: Context) -> Iterator[Finding]:
    """A village whose re-election is hard (F3) is usually weak as well: say when the unit's F2 does not list it."""
    f2, f3 = line_columns(ctx.current(F2)), line_columns(ctx.current(F3))
    f2, f3 = f2[f2["unit"].notna()], f3[f3["unit"].notna() & f3["name"].map(lambda v: not missing(v))]
    if f2.empty or f3.empty:
        return
    listed = set(zip(f2["unit"], f2["name"].map(normalize_text), strict=True))
    f3 = f3[f3["unit"].isin(set(f2["unit"]))]
    keys = zip(f3["unit"], f3["name"].map(normalize_text), strict=True)
    for r in records_where(f3, [k not in listed for k in keys]):
        msg = (
            f"难点村“{r['name']}”不在{r['unit']}的{form_name(F2)}中。软弱涣散村应先整顿后换届；"
            f"如该村也属软弱涣散，请补入一览表，否则无需处理。"
        )
        yield located("VILLAGE_NOT_LISTED", msg, r, F3, r.get("name_cell"), org=_org_name(r))


def _org_name(r: dict) -> str | None:
    return None if missing(r.get("name")) else str(r["name"])
