"""Find the tables of a sheet by their header text, never by fixed cell addresses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from weakorg.campaign import normalize_text
from weakorg.read.grid import Grid
from weakorg.tables import F2_FIELDS, F3_FIELDS
from weakorg.vocab import (
    CATEGORY_LABEL,
    COLUMN_SYNONYMS,
    CRITERIA,
    DATE_LABEL,
    F1,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_TITLES,
    PLACEHOLDER_TOKENS,
    UNIT_LABEL,
)

FORM_FIELDS = {F2: F2_FIELDS, F3: F3_FIELDS}
HEADER_WINDOW = 6  # how many rows above a table its header line may sit
MAX_HEADER_TEXT = 24  # a column header is short; longer texts are data

# ---------------------------------------------------------------------------
# Column headers of the registers
# ---------------------------------------------------------------------------
_HEADER_LOOKUP = {
    normalize_text(text): f for cols in (F2_COLUMNS, F2_EXTRA_COLUMNS, F3_COLUMNS) for f, text in cols.items()
}
_HEADER_LOOKUP |= {normalize_text(text): f for text, f in COLUMN_SYNONYMS.items()}
# Header words, tried in order when a header is not one of the known texts: (any of these words, field).
_HEADER_WORDS = (
    (("序号", "编号"), "seq"),
    (("措施",), "measures"),
    (("换届选举完成", "换届完成", "换届时间", "换届日期", "选举完成"), "election_done"),
    (("验收",), "accepted_on"),
    (("联系", "电话", "手机"), "phone"),
    (("姓名", "书记"), "secretary"),
    (("名称",), "name"),
    (("党员",), "members"),
    (("问题",), "problems"),
    (("标准",), "criteria_stated"),
    (("进展", "整顿情况", "状态"), "status"),
    (("类别",), "category"),
)
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


@lru_cache(maxsize=1 << 14)
def header_field(text: str) -> str | None:
    """The register field a column header names ("党员数（人）" -> members), or None (remembered per text)."""
    t = normalize_text(text)
    if not t or len(t) > MAX_HEADER_TEXT:
        return None
    for candidate in (t, _TRAILING_NOTE.sub("", t)):
        if candidate in _HEADER_LOOKUP:
            return _HEADER_LOOKUP[candidate]
    for words, f in _HEADER_WORDS:
        if any(w in t for w in words):
            return f
    return None


def register_header(grid: Grid, row: int) -> tuple[str, dict[str, int]] | None:
    """(form, field -> column) when the row is the column header of an F2 or F3 register."""
    found: dict[str, int] = {}
    name_text = ""
    for col in grid.columns_of(row):
        text = grid.text(row, col)
        f = header_field(text) if len(text) <= MAX_HEADER_TEXT else None  # (long data texts kept out of its cache)
        if f and f not in found:
            found[f] = col
            if f == "name":
                name_text = grid.text(row, col)
    others = {"members", "problems", "secretary", "phone", "measures", "election_done"} & set(found)
    if "name" not in found or len(others) < 2:
        return None
    is_f3 = "measures" in found or "election_done" in found or ("村" in name_text and "软弱涣散" not in name_text)
    form = F3 if is_f3 else F2
    return form, {f: c for f, c in found.items() if f in FORM_FIELDS[form]}


def _sub_header(grid: Grid, row: int, columns: dict[str, int]) -> dict[str, int] | None:
    """Fields named in a second header row under merged headers ("党组织书记" over "姓名 | 联系方式"), or None."""
    extra: dict[str, int] = {}
    for col, _ in grid.row_cells(row):
        origin = grid.origin.get((row, col))
        if origin and origin[0] < row:
            continue  # a header merged down from the row above
        f = header_field(grid.text(row, col))
        if f is None:
            return None
        extra[f] = col
    return extra or None


# ---------------------------------------------------------------------------
# F1 row labels
# ---------------------------------------------------------------------------
_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBERING = re.compile(
    r"^(?:\((\d{1,2}|[一二三四五六七八九十])\)|(\d{1,2}|[一二三四五六七八九十])[.、)．:]|(\d)(?=\D))"
)
_KIND_LABELS = {normalize_text(F1_ROWS[k]): k for k in ("party_committees", "general_branches", "branches")}
_CRITERIA_HINTS = {
    1: ("班子配备不齐", "书记长期缺职", "处于停滞"),
    2: ("不胜任", "不在状态"),
    3: ("不团结", "内耗"),
    4: ("不换届",),
    5: ("形同虚设", "不开展党组织活动"),
    6: ("服务意识", "满意率"),
}
# Words that name a criterion in a label: the start of its official text, and short forms.
_CRITERIA_WORDS = {n: (normalize_text(text)[:6], *_CRITERIA_HINTS[n]) for n, text in CRITERIA.items()}


def _numbering(text: str) -> tuple[int | None, str]:
    """(the leading number, the rest) of a label such as "(1)…", "1.…", "①…" (NFKC makes ① a 1)."""
    m = _NUMBERING.match(text)
    if not m:
        return None, text
    raw = next(g for g in m.groups() if g)
    n = int(raw) if raw.isdigit() else _CN_NUMBERS.get(raw)
    return n, text[m.end() :]


@lru_cache(maxsize=1 << 12)
def f1_row_key(text: str) -> str | None:
    """The F1 row key a label names ("（1）党组织班子配备不齐…的" -> c1, "其中：党委" -> party_committees), or None."""
    t = normalize_text(text)
    t = re.sub(r"^其中[:]?", "", t)
    n, rest = _numbering(t)
    rest = re.sub(r"^其中[:]?", "", rest)
    if not rest:
        return None
    bare = re.sub(r"(\(个\)|总数|数量|数|个)$", "", rest)
    if bare.startswith("所辖") and "基层党组织" in bare and "比例" not in bare:
        return "orgs_total"
    if bare in _KIND_LABELS:
        return _KIND_LABELS[bare]
    if bare.startswith("软弱涣散") and len(bare) <= 12 and "比例" not in bare:
        return "weak_total"
    for num, words in _CRITERIA_WORDS.items():
        if any(w in rest for w in words):
            return f"c{num}"
    if n is not None and 1 <= n <= len(CRITERIA) and len(rest) >= 4:
        return f"c{n}"
    return None


# ---------------------------------------------------------------------------
# The header line: 填报单位 / 党组织类别 / 填表时间
# ---------------------------------------------------------------------------
UNIT, CATEGORY, DATE = "unit", "category", "date"
_LABELS = (
    (UNIT, (UNIT_LABEL, "报送单位", "单位名称")),
    (CATEGORY, (CATEGORY_LABEL, "组织类别")),
    (DATE, (DATE_LABEL, "填报时间", "填表日期", "填报日期", "报送时间", "报送日期")),
    (None, ("填表人", "填报人", "审核人", "联系人", "联系电话", "负责人")),  # labels that end a value
)
_LABEL_KIND = {label: kind for kind, labels in _LABELS for label in labels}
_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s,;，；。]))("
    + "|".join(sorted(_LABEL_KIND, key=len, reverse=True))
    + r")\s*(?:\((?:盖章|公章)\))?\s*(?::|$)"
)


@dataclass
class HeaderValue:
    """One value of the header line, as written, and the cell it was read from."""

    raw: object
    row: int
    col: int


def header_fields(grid: Grid, row: int) -> dict[str, HeaderValue]:
    """The header-line values (unit, category, date) found in one row, in one cell or split over cells."""
    out: dict[str, HeaderValue] = {}
    cells = grid.row_cells(row)
    for i, (col, value) in enumerate(cells):
        if not isinstance(value, str):
            continue
        text = unicodedata.normalize("NFKC", value).strip()
        matches = list(_LABEL_RE.finditer(text))
        for j, m in enumerate(matches):
            kind = _LABEL_KIND[m.group(1)]
            end = matches[j + 1].start() if j + 1 < len(matches) else len(text)
            rest = text[m.end() : end].strip()
            if kind is None or kind in out:
                continue
            if rest:
                out[kind] = HeaderValue(rest, row, col)
                continue
            if j + 1 < len(matches):
                continue  # "填报单位：  党组织类别：农村": this label has no value
            nxt = next(((c, v) for c, v in cells[i + 1 :] if not _starts_with_label(v)), None)
            if nxt is not None and (i + 1 < len(cells) and cells[i + 1][0] == nxt[0]):
                out[kind] = HeaderValue(nxt[1], row, nxt[0])
            elif j + 1 == len(matches):  # the label left blank (a template not filled in): its cell, to point at
                out[kind] = HeaderValue(None, row, col)
    return out


def _starts_with_label(value: object) -> bool:
    return isinstance(value, str) and bool(_LABEL_RE.match(unicodedata.normalize("NFKC", value).strip()))


_LABEL_WORDS = re.compile("|".join(re.escape(label) for label in sorted(_LABEL_KIND, key=len, reverse=True)))


def find_header(grid: Grid, top: int, floor: int, labelled: frozenset[int] | None = None) -> dict[str, HeaderValue]:
    """The header line of a table starting at row ``top``: the nearest labels in the rows above, down to ``floor``."""
    labelled = sheet_index(grid).labelled if labelled is None else labelled
    out: dict[str, HeaderValue] = {}
    for row in range(top - 1, max(floor, top - HEADER_WINDOW) - 1, -1):
        if row not in labelled:
            continue
        for kind, hv in header_fields(grid, row).items():
            out.setdefault(kind, hv)
    return out


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
@dataclass
class Located:
    """A table found in a sheet: its form, where its header and rows are, and its header line."""

    form: str
    top: int  # the first row of the table (its column headers, or its first F1 label when headerless)
    first: int  # the first data row
    last: int  # the last row that belongs to the table
    columns: dict[str, int]  # F1: count/pct_orgs/pct_weak -> column; F2/F3: field -> column
    f1_rows: dict[str, int] = field(default_factory=dict)  # F1: row key -> sheet row
    label_col: int = 0
    header: dict[str, HeaderValue] = field(default_factory=dict)


def _f1_columns(grid: Grid, anchor: int, label_col: int) -> tuple[int, dict[str, int]]:
    """(the column-header row or the anchor, column of count/pct_orgs/pct_weak) of an F1 table."""
    for head in range(anchor - 1, max(0, anchor - 4), -1):
        texts = {
            c: "".join(grid.text(r, c) for r in range(head, anchor)) for c in range(label_col + 1, grid.n_cols + 1)
        }
        columns: dict[str, int] = {}
        for col, t in texts.items():
            if ("数量" in t or "个数" in t or t in ("数", "(个)")) and "count" not in columns:
                columns["count"] = col
            elif "比例" in t and "软弱涣散" in t and "pct_weak" not in columns:
                columns["pct_weak"] = col
            elif "比例" in t and "pct_orgs" not in columns:
                columns["pct_orgs"] = col
        if "count" in columns:
            return head, columns
    return anchor, {"count": label_col + 1, "pct_orgs": label_col + 2, "pct_weak": label_col + 3}


@dataclass
class SheetIndex:
    """What locating needs to know of every cell, found in one pass over the sheet: where tables may start."""

    anchors: list[tuple[int, int]]  # cells naming 所辖… (an F1 table's first label), not filled from a merged range
    name_rows: list[int]  # rows with a cell naming a register's name column: the only rows a register header can be
    labelled: frozenset[int]  # rows with a header-line label word: every row ``header_fields`` can find something in


def sheet_index(grid: Grid) -> SheetIndex:
    """The ``SheetIndex`` of a grid: each cell's text looked at once."""
    anchors, names, labelled = [], set(), set()
    roles_of = _text_roles.get
    for pos, text in grid.texts().items():
        if "所辖" in text and not grid.origin.get(pos):
            anchors.append(pos)
        roles = roles_of(text)
        if roles is None:
            roles = text_roles(text)
        if roles:
            if roles & NAME_HEADER:
                names.add(pos[0])
            if roles & LABEL_WORD:
                labelled.add(pos[0])
    return SheetIndex(sorted(anchors), sorted(names), frozenset(labelled))


NAME_HEADER, LABEL_WORD = 1, 2  # what a cell's text may be to ``sheet_index``, as bits
ROLES_TEXT, ROLES_LIMIT = 40, 1 << 15  # texts up to this long are remembered; the memo is emptied past this many
_text_roles: dict[str, int] = {}


def text_roles(text: str) -> int:
    """NAME_HEADER when a normalised text names a register's name column, | LABEL_WORD when it holds a label word."""
    roles = NAME_HEADER if len(text) <= MAX_HEADER_TEXT and header_field(text) == "name" else 0
    if _LABEL_WORDS.search(text):
        roles |= LABEL_WORD
    if len(text) <= ROLES_TEXT:
        if len(_text_roles) >= ROLES_LIMIT:
            _text_roles.clear()
        _text_roles[text] = roles
    return roles


def _f1_tables(grid: Grid, index: SheetIndex) -> list[Located]:
    out = []
    for row, col in index.anchors:
        if f1_row_key(grid.text(row, col)) != "orgs_total":
            continue
        rows: dict[str, int] = {}
        label_col = col
        r = row
        while r <= grid.n_rows:
            key = f1_row_key(grid.text(r, col))
            if key is None and grid.text(r, col + 1):  # labels over two columns: "其中" merged down | 党委
                key = f1_row_key(grid.text(r, col + 1))
                label_col = col + 1 if key else label_col
            if key is None or (key == "orgs_total" and r != row and not grid.origin.get((r, col))):
                break
            rows.setdefault(key, r)
            r += 1
        if len(rows) < 3:
            continue
        top, columns = _f1_columns(grid, row, label_col)
        out.append(Located(F1, top, row, r - 1, columns, f1_rows=rows, label_col=label_col))
    return out


def _register_tables(grid: Grid, index: SheetIndex) -> list[Located]:
    out = []
    for row in index.name_rows:
        found = register_header(grid, row)
        if not found:
            continue
        if out and out[-1].top == row - 1 and out[-1].form == found[0]:
            continue  # a header merged down over two rows
        form, columns = found
        first = row + 1
        sub = _sub_header(grid, first, columns) if first <= grid.n_rows else None
        if sub:
            columns = {**columns, **{f: c for f, c in sub.items() if f in FORM_FIELDS[form]}}
            first += 1
        out.append(Located(form, row, first, grid.n_rows, columns))
    return out


_END_MARK = re.compile(r"^(注[:\d1-9]|注意|说明:|备注:|填表人|填报人|审核人|制表人|联系人|单位负责人)")
_TOTAL_MARKS = ("合计", "总计", "小计", "共计")
_TOTAL_LINE = re.compile(rf"^(?:{'|'.join(_TOTAL_MARKS)})(?![\u4e00-\u9fff])")  # the word alone or before a figure
_PLACEHOLDERS = frozenset(normalize_text(t) for t in PLACEHOLDER_TOKENS)
_PLACEHOLDER_PUNCT = re.compile(r"[。.，,；;！!]+$")
_TITLE_TEXTS = {normalize_text(t) for t in FORM_TITLES.values()} | set(FORM_ATTACHMENTS.values())
_TITLE_IN = re.compile("|".join(re.escape(t) for t in sorted(_TITLE_TEXTS, key=len, reverse=True) if len(t) > 3))


def _is_end_row(grid: Grid, row: int, labelled: frozenset[int]) -> bool:
    """True when a row ends a register: a note, a signature line, another table's title or header line
    (``labelled``: the rows that may hold a header line, ``SheetIndex.labelled``)."""
    cols = grid.columns_of(row)
    if not cols:
        return False
    first = grid.text(row, cols[0])
    if _END_MARK.match(first) or first in _TITLE_TEXTS or _TITLE_IN.search(first):
        return True
    return row in labelled and bool(header_fields(grid, row))


def register_rows(
    grid: Grid, table: Located, limit: int, blank_run: int = 3, labelled: frozenset[int] | None = None
) -> list[int]:
    """The sheet rows of a register's filled lines, from its first data row until the table ends (or ``limit``)."""
    labelled = sheet_index(grid).labelled if labelled is None else labelled
    out: list[int] = []
    blanks = 0
    table.last = table.first - 1
    for row in range(table.first, limit + 1):
        texts = {f: grid.text(row, c) for f, c in table.columns.items()}
        if grid.is_blank_row(row):
            blanks += 1
            if blanks >= blank_run:
                break
            continue
        blanks = 0
        if _is_end_row(grid, row, labelled):
            break
        table.last = row
        filled = [t for f, t in texts.items() if t and f != "seq"]
        if all(_PLACEHOLDER_PUNCT.sub("", t) in _PLACEHOLDERS for t in filled):
            continue  # the official empty numbered rows, and a line that only says 无 (nothing to list)
        if _TOTAL_LINE.match(texts.get("seq") or "") or _TOTAL_LINE.match(texts.get("name") or ""):
            continue  # a total line (合计, 合计：55个, 共计 55): no organization
        out.append(row)
    return out


def locate(grid: Grid) -> list[tuple[Located, list[int]]]:
    """Every table of a sheet, top to bottom, with its header line and (for F2/F3) the rows of its filled lines."""
    index = sheet_index(grid)
    tables = sorted(_f1_tables(grid, index) + _register_tables(grid, index), key=lambda t: t.top)
    out: list[tuple[Located, list[int]]] = []
    floor = 1
    labelled = index.labelled
    for i, table in enumerate(tables):
        limit = tables[i + 1].top - 1 if i + 1 < len(tables) else grid.n_rows
        rows = register_rows(grid, table, limit, labelled=labelled) if table.form != F1 else []
        table.header = find_header(grid, table.top, floor, labelled)
        floor = table.last + 1
        out.append((table, rows))
    return out
