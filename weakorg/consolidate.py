"""The city picture: the latest return of each unit stands; totals by unit, category and criterion."""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.criteria import Classification, classify_many
from weakorg.criteria_rules import RULES_PATH
from weakorg.findings import Finding
from weakorg.names import category_from_name
from weakorg.read.heap import in_batch_heap
from weakorg.tables import LISTED_ABOVE, Returns, listed_first
from weakorg.vocab import CATEGORIES, CATEGORY_ALIASES, F1, F1_COUNT_KEYS, F2, F3

SUMMARY_COLUMNS = [
    "unit",
    "category",
    "reported_on",
    "orgs_total",
    "party_committees",
    "general_branches",
    "branches",
    "weak_total",
    "c1",
    "c2",
    "c3",
    "c4",
    "c5",
    "c6",
]
COUNT_COLUMNS = list(F1_COUNT_KEYS)
WEAK_ORG_COLUMNS = [
    "unit",
    "name",
    "category",
    "members",
    "problems",
    "criteria",
    "flags",
    "secretary",
    "phone",
    "status",
    "accepted_on",
    "reported_on",
]
VILLAGE_COLUMNS = [
    "unit",
    "name",
    "members",
    "problems",
    "measures",
    "election_done",
    "secretary",
    "phone",
    "reported_on",
]
FILE_KEYS = ["path", "status", "reason", "unit", "forms", "categories"]
FINDING_KEYS = ["severity", "rule", "message", "file", "sheet", "cell", "unit", "category", "org"]
_KEYS = ["file_idx", "table_idx", "unit", "category", "reported_on"]
# What the store keeps of each register line's 主要问题 as the criteria rules read it, and under which rules.
READING_COLUMNS = ("criteria_read", "flags_read", "read_by")
# The frame columns consolidation reads (``Store.returns(columns=...)`` reads no others).
PICTURE_COLUMNS = {
    F1: [*_KEYS, *COUNT_COLUMNS],
    F2: [
        *_KEYS,
        "row",
        LISTED_ABOVE,
        *(c for c in WEAK_ORG_COLUMNS if c not in ("criteria", "flags")),
        "criteria_stated",
        *READING_COLUMNS,
    ],
    F3: [*_KEYS, "row", LISTED_ABOVE, *VILLAGE_COLUMNS, "election_done_raw"],
}
VILLAGE_CATEGORY = CATEGORIES[0]  # F3 lists villages: they count under 农村 when filtering by category


# --- the latest return stands ---------------------------------------------------------------------


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_numbers(dates: pd.Series) -> pd.Series:
    """Each 填表时间 as its proleptic ordinal (``date.toordinal``); a missing or unreadable date sorts lowest (-1).

    Each distinct value is converted once (a batch holds a few dates, repeated on every row of its tables)."""
    dates = pd.Series(dates)
    codes, distinct = pd.factorize(dates.to_numpy(dtype=object), use_na_sentinel=True)
    stamps = pd.to_datetime(pd.Series(distinct, dtype=object), errors="coerce")
    days = ((stamps - pd.Timestamp("1970-01-01")).dt.days + _EPOCH_ORDINAL).fillna(-1).astype(int).to_numpy()
    out = np.full(len(codes), -1, dtype=int)
    known = codes >= 0
    out[known] = days[codes[known]]
    return pd.Series(out, index=dates.index)


def latest(frame: pd.DataFrame, keys: Iterable[str], empty: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of the latest return per key: the latest 填表时间 (missing lowest), then the latest upload.

    Within a key's latest round, the latest upload (largest ``file_idx``) stands per category,
    so for F1 (keys unit, category) one table stands per unit and category, and for F2/F3
    (key unit) all rows of the winning file stand — a register split over files by category
    in the same round stands whole, a file sent twice counts once. ``empty`` (``Returns.empty_of``): registers sent
    with no line, which stand as a file of lines would (and leave no row: a 附件3 with no village replaces the
    villages its unit listed before).
    """
    return frame.iloc[_standing(frame, list(keys), empty)[0]].copy()


def replaced(frame: pd.DataFrame, keys: Iterable[str]) -> pd.Series:
    """Rows of a return a later upload of its round replaced (the same keys, 填表时间 and category): in no round's
    picture, however old (``latest`` keeps the latest upload of the latest round)."""
    keys = list(keys)
    if frame.empty:
        return pd.Series(False, index=frame.index, dtype=bool)
    sub = keys if "category" in keys or "category" not in frame.columns else [*keys, "category"]
    day = day_numbers(frame["reported_on"])
    last = frame["file_idx"].groupby([*(frame[k] for k in sub), day], dropna=False).transform("max")
    return frame["file_idx"] != last


CURRENT_KEYS = {F1: ("unit", "category"), F2: ("unit",), F3: ("unit",)}  # what one return stands over another by
# A finding about a return no longer standing that is still true: a unit's first return came late.
PAST_RULES = ("LATE_SUBMISSION",)


def current_submissions(returns: Returns) -> set[int]:
    """The ids (``file_idx``) of the submissions whose returns stand now (the latest per unit, category and form)."""
    ids: set[int] = set()
    for form, keys in CURRENT_KEYS.items():
        frame, empty = returns.frame(form), returns.empty_of(form)
        if len(frame):
            ids |= {int(i) for i in latest(frame, keys, empty)["file_idx"].unique()}
        if len(empty):  # a register sent with no line stands too (its unit has none now)
            ids |= {int(i) for i in standing_empty(frame, keys, empty)["file_idx"].unique()}
    return ids


def told_apart(returns: Returns) -> Returns:
    """Returns whose files share a name (a corrected file sent under the old name) told apart: each but the latest
    upload named “name（#id）”, so that a finding names the one submission it is about (``of_standing``)."""
    frames = [f for f in (returns.f1, returns.f2, returns.f3, returns.empty) if len(f)]
    if not frames:
        return returns
    named = pd.concat([f[["file_idx", "file"]] for f in frames]).drop_duplicates("file_idx")
    shared = named[named.duplicated("file", keep=False)]
    if shared.empty:
        return returns
    latest = shared.groupby("file")["file_idx"].transform("max")
    earlier = shared[shared["file_idx"] != latest]
    renamed = {int(i): f"{n}（#{int(i)}）" for i, n in zip(earlier["file_idx"], earlier["file"], strict=True)}

    def rename(frame: pd.DataFrame) -> pd.DataFrame:
        if not len(frame):
            return frame
        new = frame["file_idx"].map(lambda i: renamed.get(int(i)))
        return frame.assign(file=new.where(new.notna(), frame["file"]))

    return replace(
        returns, f1=rename(returns.f1), f2=rename(returns.f2), f3=rename(returns.f3), empty=rename(returns.empty)
    )


def of_standing(returns: Returns, found: list[Finding]) -> list[Finding]:
    """The findings still open: none about a return a later one replaced (a corrected 附件1 leaves no BREAKDOWN_SUM
    of the old one open), but PAST_RULES' and those of no file; a file of no unit stands on its own. By file name:
    the store tells apart files that share one (``Store._check_owners``)."""
    standing = current_submissions(returns)
    frames = [returns.f1, returns.f2, returns.f3, returns.empty]
    named = (
        pd.concat([f[["file_idx", "file", "unit"]] for f in frames if len(f)]) if any(len(f) for f in frames) else None
    )
    if named is None:
        return found
    stands = named["file_idx"].astype(int).isin(standing) | named["unit"].isna()
    gone = set(named.loc[~stands, "file"]) - set(named.loc[stands, "file"])
    return [f for f in found if f.file not in gone or f.rule in PAST_RULES] if gone else found


def standing_empty(frame: pd.DataFrame, keys: Iterable[str], empty: pd.DataFrame) -> pd.DataFrame:
    """The registers sent with no line (rows of ``empty``) that stand by the rule of ``latest``."""
    return empty.iloc[_standing(frame, list(keys), empty)[1]]


def _standing(frame: pd.DataFrame, keys: list[str], empty: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The positions of ``frame``'s rows and of ``empty``'s that stand (``latest``)."""
    marks = empty if empty is not None and len(empty) else None
    if frame.empty and marks is None:
        return np.arange(0), np.arange(0)
    sub = keys if "category" in keys or "category" not in frame.columns else [*keys, "category"]
    parts = [frame] if marks is None else [frame, marks]
    both = pd.concat([p.reindex(columns=[*sub, "file_idx"]) for p in parts], ignore_index=True)
    n = len(frame)
    day = day_numbers(pd.concat([p["reported_on"] for p in parts], ignore_index=True))
    round_ = day.groupby([both[k] for k in keys], dropna=False).transform("max")
    cur = both[day == round_]
    last = cur["file_idx"].groupby([cur[k] for k in sub], dropna=False).transform("max")
    kept = cur.index[(cur["file_idx"] == last).to_numpy()].to_numpy()
    return kept[kept < n], kept[kept >= n] - n


# --- the picture ----------------------------------------------------------------------------------


@dataclass
class Picture:
    """The consolidated city picture: files, the latest returns, findings and totals."""

    files: list[dict]
    summary: pd.DataFrame
    weak_orgs: pd.DataFrame
    villages: pd.DataFrame
    findings: list[Finding]
    city: dict
    by_category: pd.DataFrame
    by_unit: pd.DataFrame
    units: tuple[str, ...] = field(default_factory=tuple)  # the units expected (the campaign's, in order)


_CIRCLED = str.maketrans("一二三四五六", "123456")


def parse_criteria(text) -> list[int]:
    """The criteria numbers a 符合标准 cell states: "1、5", "（1）（5）", "①⑤", "一、五" -> [1, 5]."""
    if not isinstance(text, str):
        return []
    s = unicodedata.normalize("NFKC", text).translate(_CIRCLED)
    return sorted({int(d) for d in re.findall(r"[1-6]", s)})


def _parsed(texts: pd.Series) -> dict:
    """``parse_criteria`` of each distinct text once (a register repeats a few ways of stating them)."""
    return {t: parse_criteria(t) for t in texts.dropna().unique() if isinstance(t, str)}


def _shared(keys: pd.Series, make) -> pd.Series:
    """``make(key)`` for each distinct key once, the same object on every row of that key (a list a distinct key)."""
    codes, distinct = pd.factorize(keys.to_numpy(dtype=object), use_na_sentinel=False)
    made = np.empty(len(distinct), dtype=object)
    made[:] = [make(k) for k in distinct]
    return pd.Series(made[codes], index=keys.index, dtype=object)


def _per_distinct(columns: list[pd.Series], make) -> pd.Series:
    """``make(i)`` once for each distinct combination of the columns' values (``i``: the position of its first row),
    the same object on every row of that combination; the columns share an index."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, distinct = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=False)
        code = code * max(len(distinct), 1) + codes
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    made = np.empty(len(first), dtype=object)
    made[:] = [make(int(i)) for i in first]
    return pd.Series(made[inverse.reshape(-1)], index=columns[0].index, dtype=object)


def stated_or_read(stated: pd.Series, read: pd.Series) -> pd.Series:
    """Each line's criteria: those its 符合标准 cell states, else those its 主要问题 text states (a list each)."""
    lookup = _parsed(stated)
    criteria = read.map(lambda c: c.criteria)

    def make(i: int) -> list[int]:
        text = stated.iat[i]
        return list(lookup.get(text, []) if isinstance(text, str) else []) or list(criteria.iat[i])

    return _per_distinct([stated, criteria], make)


def org_categories(f2: pd.DataFrame, f1: pd.DataFrame) -> pd.Series:
    """Each F2 line's category: its 党组织类别 cell, else what its name suggests among the unit's F1 categories."""
    given = _shared(f2["category"], canonical_category)
    guess = given.isna()
    if not guess.any():
        return given
    pairs = f1.loc[f1["unit"].isin(f2["unit"][guess]), ["unit", "category"]].dropna().drop_duplicates()
    allowed = pairs.groupby("unit")["category"].agg(frozenset).to_dict()
    inferred = [
        category_from_name(n, allowed.get(u, ())) for n, u in zip(f2["name"][guess], f2["unit"][guess], strict=True)
    ]
    return given.where(~guess, pd.Series(inferred, index=given.index[guess], dtype=object))


def canonical_category(value) -> str | None:
    """The canonical category of a loosely written one, or None."""
    if not isinstance(value, str):
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if s in CATEGORIES:
        return s
    return CATEGORY_ALIASES.get(s)


def _order(frame: pd.DataFrame, units: tuple[str, ...], by_category: bool = True) -> pd.DataFrame:
    """Rows in campaign unit order, then category order."""
    unit_rank = frame["unit"].map({u: i for i, u in enumerate(units)})
    cols = {"_u": unit_rank}
    if by_category and "category" in frame.columns:
        cols["_c"] = frame["category"].map({c: i for i, c in enumerate(CATEGORIES)}).fillna(len(CATEGORIES))
    out = frame.assign(**cols).sort_values(list(cols), kind="stable")
    return out.drop(columns=list(cols)).reset_index(drop=True)


def _summary(returns: Returns, units: tuple[str, ...]) -> pd.DataFrame:
    f1 = latest(returns.f1, ("unit", "category"))
    f1 = f1[f1["unit"].isin(units) & f1["category"].isin(CATEGORIES)]
    f1 = f1.sort_values(["file_idx", "table_idx"]).drop_duplicates(["unit", "category"], keep="last")
    out = f1.reindex(columns=SUMMARY_COLUMNS)
    out[COUNT_COLUMNS] = out[COUNT_COLUMNS].apply(pd.to_numeric, errors="coerce").astype(float)
    return _order(out, units)


@functools.cache
def readings_digest() -> str:
    """Which rules read the problem texts: a digest of criteria.py and the shipped criteria.toml."""
    h = hashlib.sha256()
    for path in (Path(RULES_PATH).with_name("criteria.py"), Path(RULES_PATH)):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def readings(problems: pd.Series) -> pd.DataFrame:
    """Each 主要问题 as the store keeps its reading (``READING_COLUMNS``): criteria and flags as text."""
    read = classify_many(problems)
    return pd.DataFrame(
        {
            "criteria_read": [",".join(map(str, c.criteria)) for c in read],
            "flags_read": [",".join(c.flags) for c in read],
            "read_by": readings_digest(),
        },
        index=problems.index,
    )


def read_problems(f2: pd.DataFrame) -> pd.Series:
    """Each line's 主要问题 read into criteria and flags: as stored under the current rules, else read now."""
    if f2.empty:
        return pd.Series(dtype=object)
    kept = f2["read_by"] == readings_digest() if "read_by" in f2.columns else pd.Series(False, index=f2.index)
    out = pd.Series(None, index=f2.index, dtype=object)
    if kept.any():
        texts = f2.loc[kept, ["criteria_read", "flags_read"]]
        columns = [texts["criteria_read"], texts["flags_read"]]
        out[kept] = _per_distinct(columns, lambda i: _classification(*texts.iloc[i]))
    if (~kept).any():
        out[~kept] = classify_many(f2["problems"][~kept])
    return out


def _classification(criteria_text, flags_text) -> Classification:
    numbers = tuple(int(n) for n in (criteria_text or "").split(",") if n)
    return Classification(criteria=numbers, flags=tuple(f for f in (flags_text or "").split(",") if f))


def _weak_orgs(returns: Returns, units: tuple[str, ...]) -> pd.DataFrame:
    f2 = latest(returns.f2, ("unit",), returns.empty_of(F2))
    f2 = listed_first(f2[f2["unit"].isin(units)]).sort_values(["file_idx", "table_idx", "row"], kind="stable")
    out = f2.reindex(columns=WEAK_ORG_COLUMNS)
    out["category"] = org_categories(f2, latest(returns.f1, ("unit", "category"))) if len(f2) else out["category"]
    stated = f2["criteria_stated"] if len(f2) else pd.Series(dtype=object)
    read = read_problems(f2)
    out["criteria"] = stated_or_read(stated, read)
    out["flags"] = _shared(read.map(lambda c: c.flags), list) if len(read) else []
    out["members"] = pd.to_numeric(out["members"], errors="coerce").astype(float)
    return _order(out, units, by_category=False)


def _villages(returns: Returns, units: tuple[str, ...]) -> pd.DataFrame:
    f3 = latest(returns.f3, ("unit",), returns.empty_of(F3))
    f3 = listed_first(f3[f3["unit"].isin(units)]).sort_values(["file_idx", "table_idx", "row"], kind="stable")
    out = f3.reindex(columns=[*VILLAGE_COLUMNS, "election_done_raw"])  # a date as written when it cannot be read
    out["members"] = pd.to_numeric(out["members"], errors="coerce").astype(float)
    return _order(out, units, by_category=False)


def election_unknown(villages: pd.DataFrame) -> pd.Series:
    """Villages whose 换届选举完成时间 was written but cannot be read ("3/5"): not done, nor said not done."""
    raw = villages.get("election_done_raw", pd.Series(None, index=villages.index, dtype=object))
    return villages["election_done"].isna() & raw.notna()


def _share(weak, total) -> float | None:
    if total is None or pd.isna(total) or not total or weak is None or pd.isna(weak):
        return None
    return round(float(weak) / float(total) * 100, 2)


def _grouped(summary: pd.DataFrame, key: str, order: Iterable[str]) -> pd.DataFrame:
    """Counts summed by unit or by category, with the weak share, in the given order (only keys present)."""
    sums = summary.groupby(key, sort=False)[COUNT_COLUMNS].sum(min_count=1)
    present = [k for k in order if k in sums.index]
    out = sums.reindex(present).reset_index()
    known = _of_known_totals(summary).groupby(key, sort=False)[["weak_total", "orgs_total"]].sum(min_count=1)
    known = known.reindex(present)
    out["weak_share"] = [_share(w, t) for w, t in zip(known["weak_total"], known["orgs_total"], strict=True)]
    return out.reindex(columns=[key, *COUNT_COLUMNS, "weak_share"])


def _of_known_totals(summary: pd.DataFrame) -> pd.DataFrame:
    """The 附件1 tables whose 所辖基层党组织 is known: a share of weak organizations is of them only (a total left as an
    unsaved formula would otherwise count its weak ones over the others' organizations)."""
    return summary[pd.to_numeric(summary["orgs_total"], errors="coerce").notna()]


def _city(summary, weak_orgs, villages, units: tuple[str, ...]) -> dict:
    city: dict = {k: float(summary[k].sum()) for k in COUNT_COLUMNS}
    known = _of_known_totals(summary)
    city["weak_share"] = _share(known["weak_total"].sum(min_count=1), known["orgs_total"].sum(min_count=1))
    reported = set(summary["unit"]) | set(weak_orgs["unit"]) | set(villages["unit"])
    city["units_reported"] = len(reported & set(units))
    city["units_expected"] = len(units)
    city["weak_orgs_listed"] = len(weak_orgs)
    city["villages"] = len(villages)
    city["villages_elected"] = int(villages["election_done"].notna().sum())
    return city


def _with_totals(pic: Picture) -> Picture:
    pic.city = _city(pic.summary, pic.weak_orgs, pic.villages, pic.units)
    pic.by_category = _grouped(pic.summary, "category", CATEGORIES)
    pic.by_unit = _grouped(pic.summary, "unit", pic.units)
    return pic


def file_entries(returns: Returns) -> list[dict]:
    """One entry per file of the batch: path, status, refusal reason, unit, forms and categories."""
    return [
        {
            "path": fr.name,
            "status": fr.status,
            "reason": fr.reason,
            "unit": fr.unit,
            "forms": fr.forms,
            "categories": fr.categories,
        }
        for fr in returns.files
    ]


@in_batch_heap
def consolidate(
    returns: Returns, campaign: Campaign | None = None, checks: bool = True, findings: list[Finding] | None = None
) -> Picture:
    """The city picture of a batch (or of the store): the latest returns, their findings and totals.

    ``findings``: the batch's findings when the caller has already run the checks (they are not run again)."""

    campaign = campaign or default_campaign()
    units = campaign.unit_names
    pic = Picture(
        files=file_entries(returns),
        summary=_summary(returns, units),
        weak_orgs=_weak_orgs(returns, units),
        villages=_villages(returns, units),
        findings=_open_findings(returns, campaign, checks, findings),
        city={},
        by_category=pd.DataFrame(),
        by_unit=pd.DataFrame(),
        units=units,
    )
    return _with_totals(pic)


def _open_findings(returns: Returns, campaign: Campaign, checks: bool, findings: list[Finding] | None) -> list:
    """The picture's findings: those given, else the checks' (files sharing a name told apart), still open."""
    from weakorg.checks import run_checks

    if findings is not None:
        return of_standing(returns, findings)
    if not checks:
        return []
    apart = told_apart(returns)
    return of_standing(apart, run_checks(apart, campaign))


def filter_picture(
    picture: Picture, units: Iterable[str] | None = None, categories: Iterable[str] | None = None
) -> Picture:
    """The same picture restricted to some units and categories (None: all), totals recomputed."""
    keep_units = tuple(picture.units) if units is None else tuple(u for u in picture.units if u in set(units))
    unit_set = set(units) if units is not None else None
    cat_set = set(categories) if categories is not None else None

    def by_unit(frame: pd.DataFrame) -> pd.Series:
        return frame["unit"].isin(unit_set) if unit_set is not None else pd.Series(True, index=frame.index)

    def by_cat(frame: pd.DataFrame) -> pd.Series:
        return frame["category"].isin(cat_set) if cat_set is not None else pd.Series(True, index=frame.index)

    summary = picture.summary[by_unit(picture.summary) & by_cat(picture.summary)].reset_index(drop=True)
    weak_orgs = picture.weak_orgs[by_unit(picture.weak_orgs) & by_cat(picture.weak_orgs)].reset_index(drop=True)
    villages = picture.villages[by_unit(picture.villages)]
    if cat_set is not None and VILLAGE_CATEGORY not in cat_set:
        villages = villages.iloc[0:0]
    findings = [
        f
        for f in picture.findings
        if (unit_set is None or f.unit in unit_set) and (cat_set is None or f.category is None or f.category in cat_set)
    ]
    files = [f for f in picture.files if unit_set is None or f["unit"] in unit_set]
    pic = replace(
        picture,
        files=files,
        summary=summary,
        weak_orgs=weak_orgs,
        villages=villages.reset_index(drop=True),
        findings=findings,
        units=keep_units,
    )
    pic = _with_totals(pic)
    # Reporting is per unit, not per category: a unit that reported has, whatever the category filter.
    frames = (picture.summary, picture.weak_orgs, picture.villages)
    reported = set().union(*(set(f.loc[by_unit(f), "unit"]) for f in frames))
    pic.city["units_reported"] = len(reported & set(keep_units))
    return pic


# --- JSON -----------------------------------------------------------------------------------------


def json_value(value):
    """A frame value as JSON: whole numbers as ints, dates ISO, absent (None, NaN, "") as null."""
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return value
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() else value
    return value


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    data = frame.reindex(columns=columns).astype(object)
    return [{c: json_value(v) for c, v in zip(columns, values, strict=True)} for values in data.itertuples(index=False)]


def picture_to_json(picture: Picture) -> dict:
    """The picture in the --json shape of DESIGN.md: files, summary, weak_orgs, villages, findings, totals."""
    count_keys = [*COUNT_COLUMNS, "weak_share"]
    return {
        "files": [{k: json_value(f.get(k)) for k in FILE_KEYS} for f in picture.files],
        "summary": _rows(picture.summary, SUMMARY_COLUMNS),
        "weak_orgs": _rows(picture.weak_orgs, [c for c in WEAK_ORG_COLUMNS if c not in ("accepted_on", "reported_on")]),
        "villages": _rows(picture.villages, VILLAGE_COLUMNS[:-1]),
        "findings": [{k: json_value(getattr(f, k)) for k in FINDING_KEYS} for f in picture.findings],
        "totals": {
            "city": {k: json_value(v) for k, v in picture.city.items()},
            "by_category": _rows(picture.by_category, ["category", *count_keys]),
            "by_unit": _rows(picture.by_unit, ["unit", *count_keys]),
        },
    }
