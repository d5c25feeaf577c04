"""What the reader hands on: located tables of one file, and the frames a batch of files makes.

Data flows one way: file -> located tables (this module's ``Table``) -> typed frames
(``Returns``: one frame per form, every value beside the cell it came from) -> findings ->
consolidated picture -> store -> pages and exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from weakorg.campaign import normalize_text
from weakorg.privacy import mask_text
from weakorg.vocab import F1, F1_COLUMNS, F1_ROWS, F2, F2_COLUMNS, F2_EXTRA_COLUMNS, F3, F3_COLUMNS

OK, REJECTED = "ok", "rejected"
# The most characters of a unit name as written that a file is filed under when it names no known unit: the store
# indexes it, and a PostgreSQL index entry holds at most 2704 bytes (a header cell may hold thousands of characters).
RAW_UNIT_MAX = 100

# Columns every frame row carries: which file, sheet and header it came from.
HEADER_COLUMNS = (
    "file_idx",  # order of the file in the batch (or the store's submission id): later wins ties
    "file",
    "sheet",
    "table_idx",  # order of the table within its file
    "unit",  # canonical unit, None when the name could not be mapped
    "unit_raw",
    "unit_cell",
    "category",  # canonical category (F1 only), None when unknown
    "category_raw",
    "category_cell",
    "reported_on",  # 填表时间 as datetime.date, None when missing or unreadable
    "date_raw",
    "date_cell",
)

# F1 frame: one row per F1 table, wide. For each row key k of F1_ROWS:
#   k (count, float, NaN when blank), k_cell ("B5"),
#   k_pct_orgs, k_pct_orgs_cell, k_pct_weak, k_pct_weak_cell (reported percentages, in points: 5.2)
F1_VALUE_COLUMNS = tuple(
    f"{key}{suffix}"
    for key in F1_ROWS
    for col in F1_COLUMNS
    for suffix in (("", "_cell") if col == "count" else (f"_{col}", f"_{col}_cell"))
)

# F2 and F3 frames: one row per listed organization. For each field f: f and f_cell,
# plus row (the sheet's 1-based row number), members_raw and phone_raw as written, and a date field as written
# when it could not be read as a date (election_done_raw: "3/5"), so that no page calls it not done.
F2_FIELDS = (*F2_COLUMNS, *F2_EXTRA_COLUMNS)
F3_FIELDS = tuple(F3_COLUMNS)
REGISTER_DATE_FIELDS = ("election_done", "accepted_on")


def _register_columns(fields: tuple[str, ...]) -> tuple[str, ...]:
    dates = (f"{f}_raw" for f in fields if f in REGISTER_DATE_FIELDS)
    return ("row", *(c for f in fields for c in (f, f"{f}_cell")), "members_raw", "phone_raw", *dates)


F2_ROW_COLUMNS = _register_columns(F2_FIELDS)
F3_ROW_COLUMNS = _register_columns(F3_FIELDS)

# The columns of an F1 table's rows (one row per F1 key): count, count_cell, pct_orgs, pct_orgs_cell, ...
F1_ROW_COLUMNS = tuple(c for col in F1_COLUMNS for c in (col, f"{col}_cell"))
ROW_COLUMNS = {F1: F1_ROW_COLUMNS, F2: F2_ROW_COLUMNS, F3: F3_ROW_COLUMNS}

# The kind of value each frame column holds, defined once: the reader parses a column's cells into its kind and the
# store gives the column the SQL type of that kind, so that whatever the reader hands on the store keeps.
DATE_COLUMNS = frozenset({"reported_on", *REGISTER_DATE_FIELDS})
INT_COLUMNS = frozenset({"file_idx", "table_idx", "row", "listed_above"})
FLOAT_COLUMNS = frozenset({*(c for c in F1_VALUE_COLUMNS if not c.endswith("_cell")), "members", "seq"})


def column_kind(name: str) -> str:
    """The kind of value a frame column holds: date, int, float or text (every other column)."""
    if name in DATE_COLUMNS:
        return "date"
    if name in INT_COLUMNS:
        return "int"
    if name in FLOAT_COLUMNS:
        return "float"
    return "text"


# A register line naming an organization a line above it in its file names (1; else 0, or absent in a line stored
# before it was kept): DUPLICATE_ORG's to send back, and the organization counted once (``listed_above``).
LISTED_ABOVE = "listed_above"

# Each column once: F2's own 党组织类别 column and the header's category are the same column.
FRAME_COLUMNS = {
    F1: (*HEADER_COLUMNS, *F1_VALUE_COLUMNS),
    F2: tuple(dict.fromkeys((*HEADER_COLUMNS, *F2_ROW_COLUMNS, LISTED_ABOVE))),
    F3: tuple(dict.fromkeys((*HEADER_COLUMNS, *F3_ROW_COLUMNS, LISTED_ABOVE))),
}


# A table's rows as the reader builds them, without a pandas frame per table:
#   F1: {row key: {column of F1_ROW_COLUMNS: value}}, keys in F1_ROWS order;
#   F2/F3: {column of F2_ROW_COLUMNS / F3_ROW_COLUMNS: [one value per register line]}.
Records = dict


@dataclass
class Table:
    """One table found in a file: its form, header line and rows, each value with its cell.

    ``rows`` for F1 is indexed by the keys of ``F1_ROWS`` found, with columns
    count, count_cell, pct_orgs, pct_orgs_cell, pct_weak, pct_weak_cell.
    ``rows`` for F2/F3 has the columns ``F2_ROW_COLUMNS`` / ``F3_ROW_COLUMNS`` (absent
    optional fields are None), one row per filled register line.

    ``rows`` may be given as a frame or as ``Records`` (what the reader gives); reading it always gives a
    frame, built on first use and kept (edits to it count). ``returns_from_files`` never needs that frame.
    """

    form: str
    sheet: str
    rows: pd.DataFrame
    unit: str | None = None
    unit_raw: str | None = None
    unit_cell: str | None = None
    category: str | None = None
    category_raw: str | None = None
    category_cell: str | None = None
    reported_on: date | None = None
    date_raw: str | None = None
    date_cell: str | None = None

    @property
    def size(self) -> int:
        """How many rows the table has (F1: row keys found; F2/F3: register lines), without building a frame."""
        frame = self.__dict__.get("_frame")
        if frame is not None:
            return len(frame)
        records = self.__dict__.get("_records") or {}
        if self.form == F1:
            return len(records)
        return len(next(iter(records.values()), ()))

    def values(self, column: str) -> list:
        """One column's values, in row order ([] when the table has no such column), without building the others."""
        frame = self.__dict__.get("_frame")
        if frame is not None:
            return frame[column].tolist() if column in frame.columns else []
        records = self.records()
        if self.form == F1:  # a row key's values by column
            return [row[column] for row in records.values() if column in row]
        return list(records.get(column, ()))

    def records(self) -> Records:
        """The rows as ``Records`` (from the frame when the table has one: it may have been edited)."""
        frame = self.__dict__.get("_frame")
        if frame is None:
            return self.__dict__.get("_records") or {}
        if self.form == F1:
            return frame.to_dict("index")
        return {c: frame[c].tolist() for c in frame.columns}


def _records_frame(form: str, records: Records) -> pd.DataFrame:
    """The frame of a table's records, with the dtypes the reader always gave (F1 values as floats)."""
    if form == F1:
        frame = pd.DataFrame.from_dict(records, orient="index", columns=list(F1_ROW_COLUMNS))
        return frame.astype({c: float for c in F1_COLUMNS})
    columns = list(ROW_COLUMNS.get(form, records))
    if not records:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(records, columns=columns)


def _get_rows(self: Table) -> pd.DataFrame:
    frame = self.__dict__.get("_frame")
    if frame is None:
        frame = self.__dict__["_frame"] = _records_frame(self.form, self.__dict__.get("_records") or {})
        self.__dict__["_records"] = None  # the frame is the truth from now on
    return frame


def _set_rows(self: Table, rows: pd.DataFrame | Records) -> None:
    if isinstance(rows, pd.DataFrame):
        self.__dict__["_frame"], self.__dict__["_records"] = rows, None
    else:
        self.__dict__["_frame"], self.__dict__["_records"] = None, rows


# Set after the dataclass is made, so that its __init__ goes through the setter.
Table.rows = property(_get_rows, _set_rows, doc="The table's rows as a frame (built from its records on first use).")


@dataclass
class FileResult:
    """What reading one file gave: its tables and reading findings, or why it was refused."""

    name: str
    sha256: str = ""
    size: int = 0
    status: str = OK
    reason: str | None = None  # a key of findings.REJECT_REASONS when refused
    message: str | None = None  # the Chinese message of the refusal
    tables: list[Table] = field(default_factory=list)
    findings: list = field(default_factory=list)  # list[Finding] found while reading
    content: bytes | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def unit(self) -> str | None:
        """The canonical unit of the file (the first one its tables name), else the raw name (its first characters,
        any phone number in it masked: it is listed, logged and audited as the file's unit)."""
        for t in self.tables:
            if t.unit:
                return t.unit
        for t in self.tables:
            if t.unit_raw:
                return mask_text(t.unit_raw[:RAW_UNIT_MAX])
        return None

    @property
    def forms(self) -> list[str]:
        return sorted({t.form for t in self.tables})

    @property
    def categories(self) -> list[str]:
        named = (t.category or t.category_raw for t in self.tables if t.form == F1)
        return list(dict.fromkeys(c for c in named if c))

    @property
    def row_count(self) -> int:
        return sum(t.size for t in self.tables if t.form != F1)


# A register sent with no line (附件3 with no village: the unit has none now) is no row of a frame, yet it replaces the
# lines its unit sent before: one row each here, as ``consolidate.latest`` weighs it against the frame's rows.
EMPTY_COLUMNS = ("file_idx", "file", "sheet", "unit", "unit_raw", "unit_cell", "form", "category", "reported_on")


def no_empty_registers() -> pd.DataFrame:
    """The ``Returns.empty`` of returns with no register sent empty."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EMPTY_COLUMNS})


@dataclass
class Returns:
    """A batch of read files as one frame per form (columns: ``FRAME_COLUMNS``), and the registers sent with no line
    (``empty``: columns ``EMPTY_COLUMNS``, one row per file and form)."""

    files: list[FileResult]
    f1: pd.DataFrame
    f2: pd.DataFrame
    f3: pd.DataFrame
    empty: pd.DataFrame = field(default_factory=no_empty_registers)
    batch_from: int | None = None  # with stored returns (``Store.with_history``): the first file_idx of the batch

    def frame(self, form: str) -> pd.DataFrame:
        return {F1: self.f1, F2: self.f2, F3: self.f3}[form]

    def empty_of(self, form: str) -> pd.DataFrame:
        """The registers of ``form`` sent with no line."""
        if not len(self.empty):  # none sent (the usual batch): what the filter gives, without its cost
            return self.empty.copy()
        return self.empty[self.empty["form"] == form]


def _header_values(table: Table, file_idx: int, file: str, table_idx: int) -> dict:
    return {
        "file_idx": file_idx,
        "file": file,
        "sheet": table.sheet,
        "table_idx": table_idx,
        "unit": table.unit,
        "unit_raw": table.unit_raw,
        "unit_cell": table.unit_cell,
        "category": table.category,
        "category_raw": table.category_raw,
        "category_cell": table.category_cell,
        "reported_on": table.reported_on,
        "date_raw": table.date_raw,
        "date_cell": table.date_cell,
    }


# (row key, column, its name in the F1 frame) for every value of the wide F1 frame.
_F1_WIDE = tuple(
    (key, col, key if col == "count" else f"{key}_{col}", f"{col}_cell") for key in F1_ROWS for col in F1_COLUMNS
)
_NAN = float("nan")


def _f1_wide(records: Records) -> dict:
    out: dict = {}
    for key, col, name, cell in _F1_WIDE:
        rec = records.get(key)
        out[name] = rec.get(col, _NAN) if rec is not None else _NAN
        out[f"{name}_cell"] = rec.get(cell) if rec is not None else None
    return out


@cache
def _empty_frame(form: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(FRAME_COLUMNS[form]))


def empty_frame(form: str) -> pd.DataFrame:
    """An empty frame of a form with all its columns (a copy of one made once: building it costs 80 times more)."""
    return _empty_frame(form).copy()


def _register_frame(form: str, heads: list[dict], parts: list[Records], counts: list[int]) -> pd.DataFrame:
    """One F2/F3 frame from every table's records: each column gathered once, the header values repeated."""
    columns = FRAME_COLUMNS[form]
    data: dict[str, object] = {}
    for c in columns:
        if c in HEADER_COLUMNS and c not in ROW_COLUMNS[form]:
            continue
        values: list = []
        for records, n in zip(parts, counts, strict=True):
            values.extend(records.get(c) or [None] * n)
        data[c] = values
    repeats = np.asarray(counts)
    for k in HEADER_COLUMNS:
        head = np.repeat(pd.Series([h[k] for h in heads]).to_numpy(), repeats)  # the dtype a Series infers
        if k in data:
            # A register row's own value (F2's 党组织类别 column) wins over the table header's.
            own = pd.Series(data[k])
            data[k] = own.where(own.notna(), pd.Series(head, dtype=object)).to_numpy()
        else:
            data[k] = head
    key = pd.Series(data["name"], dtype=object).map(normalize_text, na_action="ignore").fillna("").to_numpy()
    data[LISTED_ABOVE] = (_repeated([data["file_idx"], data["unit"], key]) & (key != "")).astype(int)
    return pd.DataFrame({c: data[c] for c in columns})  # (LISTED_ABOVE is among them)


def listed_above(frame: pd.DataFrame) -> pd.Series:
    """Whether each register line names an organization (by normalized name) a line above it in its file names."""
    key = frame["name"].map(normalize_text, na_action="ignore").fillna("")
    above = _repeated([frame["file_idx"].to_numpy(), frame["unit"].to_numpy(), key.to_numpy()])
    return pd.Series(above, index=frame.index) & (key != "")


def _repeated(columns: list) -> np.ndarray:
    """Whether each row's values (all missing values alike) are those of a row above it: ``DataFrame.duplicated``
    on the columns' arrays, without building the frame."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for values in columns:
        codes, distinct = pd.factorize(np.asarray(values, dtype=object))  # a missing value: -1, one like any other
        code = pd.factorize(code * (len(distinct) + 1) + codes + 1)[0]  # each combination numbered from 0
    seen = np.zeros(len(code), dtype=bool)
    seen[np.unique(code, return_index=True)[1]] = True
    return ~seen


def listed_first(frame: pd.DataFrame) -> pd.DataFrame:
    """A register's lines without those listing an organization again (``LISTED_ABOVE``): each counted once."""
    if LISTED_ABOVE not in frame.columns:
        return frame
    again = frame[LISTED_ABOVE].eq(1).fillna(False).to_numpy(dtype=bool)  # absent: a line stored before 0009
    return frame[~again]


def returns_from_files(files: list[FileResult], first_idx: int = 0) -> Returns:
    """Stack the tables of read files into one frame per form (refused files contribute nothing)."""
    f1_records: list[dict] = []
    parts: dict[str, tuple[list, list, list]] = {F2: ([], [], []), F3: ([], [], [])}
    empty: list[dict] = []
    for i, fr in enumerate(files, start=first_idx):
        if not fr.ok:
            continue
        nothing: dict[str, dict] = {}  # form -> the header of a register of it with no line, unless another has lines
        for t_idx, table in enumerate(fr.tables):
            head = _header_values(table, i, fr.name, t_idx)
            if table.form == F1:
                f1_records.append({**head, **_f1_wide(table.records())})
            elif table.size:
                heads, records, counts = parts[table.form]
                heads.append(head)
                records.append(table.records())
                counts.append(table.size)
                nothing[table.form] = {}
            else:
                nothing.setdefault(table.form, head | {"form": table.form})
        empty += [head for head in nothing.values() if head]
    f1 = pd.DataFrame(f1_records, columns=list(FRAME_COLUMNS[F1]))
    frames = {form: _register_frame(form, *p) if p[0] else empty_frame(form) for form, p in parts.items()}
    marks = pd.DataFrame(empty, columns=list(EMPTY_COLUMNS)) if empty else no_empty_registers()
    return Returns(files=list(files), f1=f1, f2=frames[F2], f3=frames[F3], empty=marks)
