"""A file whose organizations belong to another unit than the one its header names.

Two signs: the organizations' names carry another unit's name (双峰县甲镇乙村党支部 in a return of
娄星区: ``unit_mismatch``, a registered rule), or they are the organizations another unit already
reported (``stored_elsewhere``, given the store's standing registers). An analyst can then assign
the stored file to the right unit (``Store.confirm(submission_id, "unit", value=...)``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from weakorg.campaign import Campaign, normalize_text
from weakorg.checks.register import form_name, line_columns, org_label, telling_names
from weakorg.checks.registry import Context, located, records, rule
from weakorg.findings import Finding
from weakorg.vocab import F2, F3, UNIT_LABEL

MIN_MATCHED = 2  # organizations of another unit a file must name before it is said to be that unit's
MIN_NAME_LENGTH = 3  # a unit's name or alias shorter than this (万宝) is too common a word to tell a unit


def _registers(ctx_frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The named register lines (F2 and F3) of known units: file, form, unit, name and where (``line_columns``)."""
    parts = []
    for form in (F2, F3):
        frame = ctx_frames[form]
        frame = line_columns(frame[frame["unit"].notna() & frame["name"].notna()])
        parts.append(frame.assign(form=form, _key=frame["name"].map(normalize_text)))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["unit", "name", "form", "_key"])


def _words(campaign: Campaign) -> list[tuple[str, str]]:
    """(word, unit): each unit's name and aliases long enough to tell it, longest first."""
    pairs = {(normalize_text(w), u.name) for u in campaign.units for w in (u.name, *u.aliases)}
    return sorted((p for p in pairs if len(p[0]) >= MIN_NAME_LENGTH), key=lambda p: (-len(p[0]), p))


def _message(r: dict, other: str, count: int, said: str) -> str:
    """The finding's words: the file, both units, how many organizations and what is said of them."""
    return (
        f"{form_name(r['form'])}“{r['file']}”表头的{UNIT_LABEL}为{r['unit']}，但其中{count}个党组织{said}"
        f"（如“{r['name']}”）。请核对：如该文件实为{other}的报表，请由分析员将其改归{other}；"
        f"如{UNIT_LABEL}无误，请改正党组织名称。"
    )


@rule("UNIT_MISMATCH")
def unit_mismatch(ctx: Context) -> Iterator[Finding]:
    """Organizations of a file whose names carry another unit's name (one finding per file, form and unit)."""
    lines = _registers({F2: ctx.f2, F3: ctx.f3})
    words = _words(ctx.campaign)
    if lines.empty or not words:
        return

    owners: dict[str, list[str]] = {}
    for w, u in words:
        owners.setdefault(w, []).append(u)
    lengths = sorted({len(w) for w in owners}, reverse=True)

    def named(key: str, unit: str) -> str | None:
        """The unit of the longest name or alias in ``key`` that is not ``unit``'s (leftmost first among equals):
        each piece of the name of a length some word has, looked up, rather than every word searched for."""
        for n in lengths:
            for i in range(len(key) - n + 1):
                for u in owners.get(key[i : i + n], ()):
                    if u != unit:
                        return u
        return None

    lines = lines.assign(_other=[named(k, u) for k, u in zip(lines["_key"], lines["unit"], strict=True)])
    hits = lines[lines["_other"].notna()]
    for (_, _, other), group in hits.groupby(["file_idx", "form", "_other"], sort=False):
        first = records(group.sort_values("row").head(1))[0]
        msg = _message(first, other, len(group), f"的名称带有{other}")
        yield located("UNIT_MISMATCH", msg, first, first["form"], first.get("name_cell"), org=first["name"])


def stored_elsewhere(ctx: Context, stored: pd.DataFrame) -> list[Finding]:
    """Files of the batch most of whose organizations (at least ``MIN_MATCHED``) another unit already reported.

    ``stored``: the standing register lines of the store (columns ``unit`` and ``name``). One finding per
    file and form, naming the unit the file's header names and the unit that reported them.
    """
    lines = _registers({F2: ctx.f2, F3: ctx.f3})
    if lines.empty or stored.empty:
        return []
    known = stored[stored["unit"].notna() & stored["name"].notna()]
    owners = known.assign(_key=known["name"].map(normalize_text)).drop_duplicates(["unit", "_key"])
    out = []
    for (_, _), group in lines.groupby(["file_idx", "form"], sort=False):
        unit = group["unit"].iloc[0]
        keys = set(group["_key"])
        theirs = owners[owners["_key"].isin(keys)]
        own = int((theirs["unit"] == unit).sum())
        counts = theirs[theirs["unit"] != unit]["unit"].value_counts()
        if counts.empty:
            continue
        other, count = str(counts.index[0]), int(counts.iloc[0])
        if count >= MIN_MATCHED and count * 2 > len(keys) and count > own:
            matched = set(theirs[theirs["unit"] == other]["_key"])
            first = records(group[group["_key"].isin(matched)].sort_values("row").head(1))[0]
            msg = _message(first, other, count, f"已由{other}报送过")
            out.append(located("UNIT_MISMATCH", msg, first, first["form"], first.get("name_cell"), org=first["name"]))
    return out


def listed_elsewhere(ctx: Context, stored: pd.DataFrame, skip_files: set[str] = frozenset()) -> list[Finding]:
    """DUPLICATE_ORG for each line of the batch naming an organization another unit's standing register lists.

    Only names that tell one organization (``telling_names``) and units the batch does not hold (its own
    units are checked against the batch by the registered rule); files in ``skip_files`` (already said to
    be another unit's: UNIT_MISMATCH) are left out.
    """
    lines = _registers({F2: ctx.f2, F3: ctx.f3})
    lines = lines[~lines["file"].isin(skip_files)] if len(lines) else lines
    known = stored[stored["unit"].notna() & stored["name"].notna() & ~stored["unit"].isin(set(lines["unit"]))]
    if lines.empty or known.empty:
        return []
    owners = known.assign(_key=known["name"].map(normalize_text)).drop_duplicates(["unit", "_key"])
    owners = owners[telling_names(owners["_key"], ctx.campaign)]
    hits = lines.merge(owners[["_key", "unit"]].rename(columns={"unit": "_other"}), on="_key")
    out = []
    for r in records(hits):
        msg = (
            f"{org_label(r)}已列在{r['_other']}报送的{form_name(r['form'])}中，本文件（{r['unit']}）又列出，"
            f"同一党组织只应由一个单位填报。请两单位核实其归属，由不属于的一方删除该行。"
        )
        out.append(located("DUPLICATE_ORG", msg, r, r["form"], r.get("name_cell"), org=r["name"]))
    return out
