"""Checks of the registers (F2 weak organizations, F3 villages): one line at a time, and duplicates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import numpy as np
import pandas as pd

from weakorg.campaign import normalize_text
from weakorg.checks.registry import (
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
from weakorg.consolidate import parse_criteria
from weakorg.consolidate.lines import shared
from weakorg.criteria import MODEL_EVIDENCE
from weakorg.findings import CRITERIA_RANGE, Finding
from weakorg.names import is_village
from weakorg.vocab import (
    CRITERIA_SHORT,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    KINDS,
    NA_TOKENS,
    SECRETARY_VACANT_WORDS,
    STATUS_LABEL,
    STATUSES,
)

REGISTERS = (F2, F3)
BRANCH = KINDS[2]  # 党支部
SMALL_BRANCH_MEMBERS = 3
MAX_MEMBERS = 100_000  # more than any basic-level organization has: a slip of the keyboard, or another figure
MEMBERS = F3_COLUMNS["members"]  # 党员数
SECRETARY = F2_COLUMNS["secretary"]  # 党组织书记姓名
PHONE = F2_COLUMNS["phone"]  # 党组织书记联系方式
PROBLEMS = F2_COLUMNS["problems"]  # 主要问题
NAMES = {F2: F2_COLUMNS["name"], F3: F3_COLUMNS["name"]}  # 软弱涣散基层党组织名称, 村党组织名称
STATED = F2_EXTRA_COLUMNS["criteria_stated"]  # 符合标准（1-6）
MOBILE = r"1[3-9]\d{9}"
LANDLINE = r"0\d{2,3}-?\d{7,8}(?:(?:-|转|#|ext\.?)\d{1,6})?"
PHONE_RE = re.compile(rf"^(?:{MOBILE}|{LANDLINE})$", re.IGNORECASE)


# What a finding about a register line reads of it (where it is, whose, which organization): the columns a rule
# narrows a wide frame to before filtering, sorting or grouping it.
LINE_COLUMNS = ("file_idx", "table_idx", "row", "file", "sheet", "unit", "category", "name", "name_cell")


def line_columns(frame: pd.DataFrame, *more: str) -> pd.DataFrame:
    """``frame`` narrowed to ``LINE_COLUMNS`` and ``more`` (those it has)."""
    return frame[[c for c in (*LINE_COLUMNS, *more) if c in frame.columns]]


def form_name(form: str) -> str:
    """How a message names a form: 附件2一览表."""
    return f"{FORM_ATTACHMENTS[form]}{FORM_SHORT[form]}"


def org_label(r: dict) -> str:
    """How a message names a register line: its organization, else its row."""
    return f"“{r['name']}”" if not missing(r.get("name")) else f"第{num(r.get('row'))}行"


def _org(r: dict) -> str | None:
    return None if missing(r.get("name")) else str(r["name"])


@rule("ORG_NAME_MISSING")
def org_name_missing(ctx: Context) -> Iterator[Finding]:
    """Every register line that says something names its organization (the reader skips lines that say nothing)."""
    for form in REGISTERS:
        frame = ctx.frame(form)
        for r in records_where(frame, frame["name"].map(missing)):
            cell = r.get("name_cell")
            msg = (
                f"{form_name(form)}第{num(r.get('row'))}行填了内容，但未填“{NAMES[form]}”，该行无法对应到党组织。"
                f"请在{cell or '该行'}填写党组织全称。"
            )
            yield located("ORG_NAME_MISSING", msg, r, form, cell)


@rule("MEMBERS_INVALID")
def members_invalid(ctx: Context) -> Iterator[Finding]:
    """党员数 is given, a whole number, at least 1 and fewer than MAX_MEMBERS."""
    for form in REGISTERS:
        frame = ctx.frame(form)
        members = pd.to_numeric(frame["members"], errors="coerce").astype(float)
        bad = members.isna() | (members % 1 != 0) | (members < 1) | (members >= MAX_MEMBERS)
        for r, m in zip(records_where(frame, bad), members[bad], strict=True):
            who, cell, raw = org_label(r), r.get("members_cell"), r.get("members_raw")
            if pd.isna(m) and missing(raw):
                msg = f"{who}未填{MEMBERS}，请在{cell}填写党员人数（整数）。"
            elif pd.isna(m):
                msg = f"{who}的{MEMBERS}“{quote(raw, r)}”不是数字，请在{cell}填写党员人数（整数）。"
            elif m % 1:
                msg = f"{who}的{MEMBERS}“{quote(raw if not missing(raw) else m, r)}”不是整数，请在{cell}填写整数。"
            elif m >= MAX_MEMBERS:
                written = quote(raw if not missing(raw) else m, r)
                msg = f"{who}的{MEMBERS}为{written}，远超一个基层党组织的党员人数，请核对{cell}。"
            else:
                written = quote(raw if not missing(raw) else m, r)
                msg = f"{who}的{MEMBERS}为{written}，党组织至少应有1名党员，请核对{cell}。"
            yield located("MEMBERS_INVALID", msg, r, form, cell, org=_org(r))


@rule("SMALL_BRANCH")
def small_branch(ctx: Context) -> Iterator[Finding]:
    """A 党支部 has at least three members (fewer than 1 is MEMBERS_INVALID's)."""
    for form in REGISTERS:
        frame = ctx.frame(form)
        members = pd.to_numeric(frame["members"], errors="coerce").astype(float)
        few = (members >= 1) & (members < SMALL_BRANCH_MEMBERS) & (members % 1 == 0)
        bad = few.copy()
        if few.any():  # the names of those lines only: normalising every name cost most of the rule
            bad[few] = frame.loc[few, "name"].map(normalize_text).str.endswith(BRANCH).to_numpy()
        for r in records_where(frame, bad):
            msg = (
                f"{org_label(r)}只有{num(r['members'])}名党员，{BRANCH}应有{SMALL_BRANCH_MEMBERS}名以上党员，"
                f"请核对{r.get('members_cell')}的{MEMBERS}，或说明组织设置情况。"
            )
            yield located("SMALL_BRANCH", msg, r, form, r.get("members_cell"), org=_org(r))


def normalize_phone(value) -> str:
    """A contact as comparable text: half-width, no spaces, no trailing .0 of a number typed as a float."""
    if missing(value):
        return ""
    s = normalize_text(value)  # no whitespace left: a trailing .0 ends the text
    return s[:-2] if s.endswith(".0") else s


_COUNTRY = re.compile(r"^\+?86[-\s]?(?=1[3-9])")  # +86 before a mobile
_AREA_IN_BRACKETS = re.compile(r"^\((0\d{2,3})\)")  # (0738)8221234
_GROUPS = re.compile(r"(?<=\d)[-.\s](?=\d)")  # 139-0738-3333, 139.0738.3333: digits grouped as clerks write them
_DIGIT = re.compile(r"\d")
_PLAIN_MOBILE = re.compile(MOBILE)
_SEVERAL = re.compile(r"[/、，,；;]|或")  # two numbers in one cell: 139…/0738-…


def _one_number_ok(text: str) -> bool:
    """One contact as a clerk writes it: a mobile (+86, grouped by dashes, dots or spaces) or a landline with its area
    code ((0738)8221234 too)."""
    text = _AREA_IN_BRACKETS.sub(r"\1-", _COUNTRY.sub("", text.strip()))
    return bool(PHONE_RE.match(text) or re.fullmatch(MOBILE, _GROUPS.sub("", text)))


def _contact_ok(text: str) -> bool:
    """Every number written in a contact cell is one (``_one_number_ok``)."""
    if _PLAIN_MOBILE.fullmatch(text):  # the common case, that every test below passes
        return True
    parts = [p for p in _SEVERAL.split(text) if p.strip()]
    return bool(parts) and all(_one_number_ok(p) for p in parts)


def phone_ok(series: pd.Series) -> pd.Series:
    """Whether each contact is a mainland mobile or a landline with area code (or several, each one); blanks and
    words count as fine. Each distinct text is looked at once."""
    codes, distinct = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=False)
    texts = [normalize_phone(v) for v in distinct]
    ok = [not _DIGIT.search(t) or t in NA_TOKENS or _contact_ok(t) for t in texts]
    return pd.Series(np.array(ok, dtype=bool)[codes], index=series.index, name=series.name)


@rule("PHONE_INVALID")
def phone_invalid(ctx: Context) -> Iterator[Finding]:
    """A secretary's contact is a mainland mobile (11 digits) or a landline with its area code.

    The message never quotes the number (personal data): it says how many digits it has and where it is.
    """
    for form in REGISTERS:
        frame = ctx.frame(form)
        bad = ~phone_ok(frame["phone"].where(frame["phone"].notna(), frame["phone_raw"]))
        for r in records_where(frame, bad):
            raw = r.get("phone_raw") if not missing(r.get("phone_raw")) else r.get("phone")
            digits = sum(c.isdigit() for c in normalize_phone(raw))
            what = "但不是手机号（手机号以13至19开头）" if digits == 11 else "既不是11位手机号"
            msg = (
                f"{org_label(r)}的{PHONE}有{digits}位数字，{what}，也不是带区号的固定电话"
                "（区号加7至8位号码，如区号0738加7位号码）。"
                f"请核对{at_cell(r, r.get('phone_cell'))}，改为书记的手机号或固定电话。"
            )
            yield located("PHONE_INVALID", msg, r, form, r.get("phone_cell"), org=_org(r))


def _ref(r: dict, same_file: bool) -> str:
    at = f"{r['sheet']}!{r['name_cell']}" if not missing(r.get("name_cell")) else f"{r['sheet']}第{num(r['row'])}行"
    return at if same_file else f"{r['file']}的{at}"


@rule("DUPLICATE_ORG")
def duplicate_org(ctx: Context) -> Iterator[Finding]:
    """The same organization (by normalized name) is listed once in a unit's current register."""
    for form in REGISTERS:
        cur = line_columns(ctx.current(form))
        if cur.empty:
            continue
        owner = cur["unit"].where(cur["unit"].notna(), "\0" + cur["file_idx"].astype(str))
        key = cur["name"].map(normalize_text)
        if not _listed_twice(owner, key, cur["unit"]):
            continue
        cur = cur.assign(_owner=owner, _key=key)[key != ""]
        cur = cur.sort_values(["file_idx", "table_idx", "row"], kind="stable")
        if len(set(zip(cur["_owner"], cur["_key"], strict=True))) == len(cur):  # no organization twice in a register
            yield from _listed_by_two_units(cur, form, ctx)
            continue
        groups = cur.groupby(["_owner", "_key"], sort=False)
        cur = cur.assign(
            _first_file=groups["file"].transform("first"),
            _first_sheet=groups["sheet"].transform("first"),
            _first_cell=groups["name_cell"].transform("first"),
            _first_row=groups["row"].transform("first"),
        )
        for r in records(cur[groups.cumcount() > 0]):
            f = {
                "file": r["_first_file"],
                "sheet": r["_first_sheet"],
                "name_cell": r["_first_cell"],
                "row": r["_first_row"],
            }
            msg = (
                f"{org_label(r)}在本单位{form_name(form)}中重复填报（首次出现在{_ref(f, f['file'] == r['file'])}），"
                f"同一党组织只应填报一次，请删除重复的一行。"
            )
            yield located("DUPLICATE_ORG", msg, r, form, r.get("name_cell"), org=_org(r))
        yield from _listed_by_two_units(cur, form, ctx)


def _listed_twice(owner: pd.Series, key: pd.Series, unit: pd.Series) -> bool:
    """Whether a named organization is listed twice in one register (``owner``) or by two units: else no
    DUPLICATE_ORG is to be found, and the lines need no sorting."""
    named = key != ""
    pairs = list(zip(owner[named], key[named], strict=True))
    if len(set(pairs)) < len(pairs):
        return True
    units: dict[str, object] = {}
    for k, u in zip(key[named & unit.notna()], unit[named & unit.notna()], strict=True):
        if units.setdefault(k, u) != u:
            return True
    return False


_TOWN_MARK = re.compile(r"(?:镇|乡|街道|办事处).+")  # a town's name before the organization's own


def telling_names(keys: pd.Series, campaign) -> pd.Series:
    """Whether each normalized name tells one organization in the city: it carries a unit's or a town's name."""
    words = [w for u in campaign.units for w in (u.name, *u.aliases) if len(w) >= 3]
    pattern = "|".join(re.escape(normalize_text(w)) for w in sorted(words, key=len, reverse=True))
    named = keys.str.contains(pattern, regex=True) if pattern else pd.Series(False, index=keys.index)
    return named | keys.str.contains(_TOWN_MARK)


def _listed_by_two_units(cur: pd.DataFrame, form: str, ctx: Context) -> Iterator[Finding]:
    """A named organization listed in the current registers of two units: one finding per line, naming both."""
    known = cur[cur["unit"].notna()]
    units: dict[str, set] = {}
    for k, u in zip(known["_key"], known["unit"], strict=True):
        units.setdefault(k, set()).add(u)
    if all(len(us) < 2 for us in units.values()):  # no name in two units' registers
        return
    known = known[known.groupby("_key")["unit"].transform("nunique") > 1]
    known = known[telling_names(known["_key"], ctx.campaign)]
    for _, group in known.groupby("_key", sort=False):
        lines = records(group.drop_duplicates("unit"))
        for r in lines:
            others = "、".join(f"{o['unit']}（{_ref(o, False)}）" for o in lines if o["unit"] != r["unit"])
            msg = (
                f"{org_label(r)}同时列在{r['unit']}和{others}的{form_name(form)}中，同一党组织只应由一个单位填报。"
                f"请两单位核实其归属，由不属于的一方删除该行。"
            )
            yield located("DUPLICATE_ORG", msg, r, form, r.get("name_cell"), org=_org(r))


def criteria_label(numbers) -> str:
    """Criteria as a message names them: 第（1）（4）条标准."""
    return "第" + "".join(f"（{n}）" for n in numbers) + "条标准"


def _text(r: dict) -> str:
    return "" if missing(r.get("problems")) else str(r["problems"])


@rule("SECRETARY_MISSING", reads_problems=True)
def secretary_missing(ctx: Context) -> Iterator[Finding]:
    """A register line names its secretary, unless the line says the post is vacant (then criterion 1 holds)."""
    for form in REGISTERS:
        frame = ctx.frame(form)
        written = frame["secretary"].map(lambda v: "" if missing(v) else normalize_text(v))
        vacant = written.isin(SECRETARY_VACANT_WORDS) | ctx.read(form).map(lambda c: c.vacant).astype(bool)
        named = frame["name"].map(lambda v: not missing(v))
        bad = written.isin(NA_TOKENS) & ~vacant & named
        for r in records_where(frame, bad):
            cell = r.get("secretary_cell")
            msg = (
                f"{org_label(r)}未填{SECRETARY}，{PROBLEMS}中也未说明书记空缺。请在{cell}填写书记姓名；"
                f"如书记空缺，请在{cell}填“空缺”，并在{PROBLEMS}（{r.get('problems_cell')}）中写明。"
            )
            yield located("SECRETARY_MISSING", msg, r, form, cell, org=_org(r))


@rule("NOT_VILLAGE")
def not_village(ctx: Context) -> Iterator[Finding]:
    """Every line of the F3 register is a village organization (…村党支部)."""
    frame = ctx.frame(F3)
    named = frame["name"].map(lambda v: not missing(v))
    bad = named & ~frame["name"].map(is_village).astype(bool)
    for r in records_where(frame, bad):
        msg = (
            f"{org_label(r)}不是村级党组织，{form_name(F3)}只填换届选举难点村，请核对{r.get('name_cell')}；"
            f"社区、机关、学校等党组织如属软弱涣散，请填入{form_name(F2)}。"
        )
        yield located("NOT_VILLAGE", msg, r, F3, r.get("name_cell"), org=_org(r))


def _phrase(reading, n: int) -> str | None:
    """The shortest phrase of a reading's evidence for criterion ``n`` that is not the model's vote (None: none):
    the words that meet the criterion, not the clause around them that may name a person (书记王某长期外出务工)."""
    model = MODEL_EVIDENCE.split("（")[0]
    return min((e for e in reading.evidence.get(n, ()) if not e.startswith(model)), key=len, default=None)


@rule("CRITERIA_TEXT_MISMATCH", reads_problems=True)
def criteria_text_mismatch(ctx: Context) -> Iterator[Finding]:
    """A line that states its criteria (符合标准) states every criterion its 主要问题 describe.

    Only that direction is checked: a phrase the rules recognise is nearly always right, while a
    criterion stated but worded in a way the rules do not know is common (docs/benchmarks.md). The clerk's cell is
    held against the clerk's text: a criterion only an analyst's correction adds is the analyst's judgement, and one
    the correction takes away is no longer said to be met.
    """
    frame = ctx.frame(F2)
    stated = shared(frame["criteria_stated"], parse_criteria)  # once per distinct cell
    written, counted = ctx.read_as_written(F2), ctx.read(F2)
    extra = pd.Series(  # a criterion the model alone adds is no phrase to quote: not held against the clerk
        [
            [n for n in w.criteria if n not in s and n in c.criteria and _phrase(w, n)]
            for s, w, c in zip(stated, written, counted, strict=True)
        ],
        index=frame.index,
    )
    bad = stated.map(bool) & extra.map(bool)
    for r, s, c, more in zip(records_where(frame, bad), stated[bad], written[bad], extra[bad], strict=True):
        why = "；".join(f"“{quote(_phrase(c, n), r)}”" for n in more)
        cell = r.get("criteria_stated_cell")
        msg = (
            f"{org_label(r)}的“{STATED}”填为{criteria_label(s)}，而{PROBLEMS}所述情况还符合{criteria_label(more)}"
            f"（{why}）。请核对{cell}；如不符合，请在{PROBLEMS}（{r.get('problems_cell')}）中写清情况。"
        )
        yield located("CRITERIA_TEXT_MISMATCH", msg, r, F2, cell, org=_org(r))


def _filled(value) -> bool:
    """Whether an optional register cell says something (not blank, not a 无 or ——)."""
    return not missing(value) and normalize_text(value) not in NA_TOKENS


_NOT_A_CRITERION = re.compile(r"[07-9七八九十零〇]")  # a number no criterion has (after NFKC: ⑦ is 7)
CRITERIA_CHOICES = "、".join(f"（{n}）{CRITERIA_SHORT[n]}" for n in CRITERIA_SHORT)


def criteria_valid(value) -> bool:
    """Whether a 符合标准 cell states criteria as ``parse_criteria`` reads them, and nothing it would drop:
    at least one of 1–6 and no other number ("1、5", "（1）（5）", "①⑤", "一、五"; not "7", "1、7", "10")."""
    text = value if isinstance(value, str) else num(value)
    return bool(parse_criteria(text)) and not _NOT_A_CRITERION.search(unicodedata.normalize("NFKC", text))


@rule("CRITERIA_INVALID")
def criteria_invalid(ctx: Context) -> Iterator[Finding]:
    """A filled 符合标准 cell of F2 holds criterion numbers 1–6 only (else the line's criteria, counted in every
    figure by criterion, would silently be those read from 主要问题, or a part of what was written)."""
    frame = ctx.frame(F2)
    bad = flagged(frame["criteria_stated"], lambda v: _filled(v) and not criteria_valid(v))
    for r in records_where(frame, bad):
        cell = r.get("criteria_stated_cell")
        msg = (
            f"{org_label(r)}的“{STATED}”填为“{quote(r['criteria_stated'], r)}”，只能填第{CRITERIA_RANGE}条标准的编号。"
            f"请核对{at_cell(r, cell)}，填写该党组织符合的标准编号（可填多条，如“1、3”）：{CRITERIA_CHOICES}；"
            f"不填的按{PROBLEMS}研判。"
        )
        yield located("CRITERIA_INVALID", msg, r, F2, cell, org=_org(r))


_STATUS_KEYS = frozenset(normalize_text(s) for s in STATUSES)


@rule("STATUS_INVALID")
def status_invalid(ctx: Context) -> Iterator[Finding]:
    """A filled 整顿进展 cell of F2 is one of the statuses (else progress figures and ORG_DROPPED cannot count it)."""
    frame = ctx.frame(F2)
    bad = flagged(frame["status"], lambda v: _filled(v) and normalize_text(v) not in _STATUS_KEYS)
    for r in records_where(frame, bad):
        cell = r.get("status_cell")
        msg = (
            f"{org_label(r)}的“{STATUS_LABEL}”填为“{quote(r['status'], r)}”，不是规定的整顿进展。"
            f"请核对{at_cell(r, cell)}，改为以下之一：{'、'.join(STATUSES)}。"
        )
        yield located("STATUS_INVALID", msg, r, F2, cell, org=_org(r))
