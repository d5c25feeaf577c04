"""Values between the reader's frames and SQL rows: one conversion per column kind, the frames typed back on read."""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Sequence
from datetime import date, datetime
from itertools import repeat

import numpy as np
import pandas as pd
from sqlalchemy import Table as SQLTable
from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite

from weakorg.findings import FINDING_COLUMNS
from weakorg.store import schema
from weakorg.tables import EMPTY_COLUMNS, FRAME_COLUMNS, Table, no_empty_registers
from weakorg.vocab import F1, F2, F3

finding_values = operator.attrgetter(*FINDING_COLUMNS)  # a finding's values as a tuple, in FINDING_COLUMNS' order


_NAMED = r"%\((\w+)\)s"  # a parameter in pyformat


@functools.lru_cache(maxsize=64)
def _insert_sql(table: SQLTable, dialect, columns: tuple[str, ...], skip_existing: bool) -> tuple[str, list | None]:
    """The SQL inserting ``columns`` of ``table`` with positional parameters, and the position in ``columns`` of
    each parameter (None: in the order of ``columns``)."""
    stmt = insert(table)
    upsert = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect.name)
    if skip_existing and upsert is not None:  # another dialect: a plain insert
        stmt = upsert.insert(table).on_conflict_do_nothing()
    compiled = stmt.compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    sql, names = compiled.string, compiled.positiontup
    if not compiled.positional:  # pyformat (psycopg): %(name)s as %s, which takes the values as a tuple
        names = re.findall(_NAMED, sql)
        sql = re.sub(_NAMED, "%s", sql)
    if sorted(names or ()) != sorted(columns):
        raise ValueError(f"an insert of {table.name} binds {names}, not the columns given")
    order = [columns.index(name) for name in names]
    return sql, None if order == list(range(len(columns))) else order


def insert_tuples(conn, table: SQLTable, columns: Sequence[str], rows: list, skip_existing: bool = False) -> None:
    """Insert rows given as value tuples (in the order of ``columns``) in one executemany, without a dict a row;
    ``skip_existing``: a row whose key is stored already is left out (ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    dialect = conn.dialect
    sql, order = _insert_sql(table, dialect, tuple(columns), skip_existing)
    processors = {
        j: p for j, c in enumerate(columns) if (p := table.c[c].type.dialect_impl(dialect).bind_processor(dialect))
    }
    if processors or order is not None:  # the values as SQLAlchemy would bind them (SQLite: dates as text)
        cols = list(zip(*rows, strict=True))
        for j, process in processors.items():
            cols[j] = list(map(process, cols[j]))
        rows = list(zip(*(cols[j] for j in order or range(len(cols))), strict=True))
    conn.exec_driver_sql(sql, rows)


def _missing(v) -> bool:
    """True for None, NaT and NaN."""
    if v is None or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _to_sql(kind: str, v):
    """One frame value as the SQL value of its column kind; raises ValueError on a value of the wrong kind.

    The error names the value's type, never the value (it may be a name or a phone number).
    """
    if isinstance(v, (list, tuple, set)):
        if kind != "text":
            raise ValueError(f"a list where a {kind} is expected")
        return ",".join(str(x) for x in v)
    if _missing(v):
        return None
    if kind == "float":
        if isinstance(v, (bool, str, bytes)):
            raise ValueError(f"not a number: a {type(v).__name__}")
        return float(v)
    if kind == "int":
        f = float(v)
        if not f.is_integer():
            raise ValueError("not a whole number")
        return int(f)
    if kind == "date":
        if isinstance(v, datetime):  # pd.Timestamp is a datetime
            return v.date()
        if isinstance(v, date):
            return v
        raise ValueError(f"not a date: a {type(v).__name__}")
    return v if isinstance(v, str) else str(v)


_NONE_TYPES = (type(None), type(pd.NaT), float, np.float64)  # missing when also NaN
_NUMBER_TYPES = (float, int, np.float64, np.float32, np.int64, np.int32, *_NONE_TYPES)
_NONE_SET, _NUMBER_SET = frozenset(_NONE_TYPES), frozenset(_NUMBER_TYPES)
_DATE, _DATETIME, _TEXT = frozenset((date,)), frozenset((datetime, pd.Timestamp)), frozenset((str,))
_TYPE_CODES = {t: i for i, t in enumerate(dict.fromkeys((*_NUMBER_TYPES, date, datetime, pd.Timestamp, str)), 1)}


def _column_values(s: pd.Series, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """A frame column as SQL values (an object array) and the positions left to ``_to_sql`` one by one.

    Vectorised for the usual values (numbers in number columns, dates in date columns, text);
    anything else (a list, text in a number column, a number in a text column) goes the slow
    way, so the values and the errors are exactly ``_to_sql``'s.
    """
    n = len(s)
    out = np.full(n, None, dtype=object)
    if pd.api.types.is_bool_dtype(s.dtype):
        return out, np.ones(n, dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(arr)
        if kind == "float":
            out[present] = arr[present]
            return out, np.zeros(n, dtype=bool)
        if kind == "int":
            whole = present & (np.mod(arr, 1, where=present, out=np.zeros(n)) == 0) & np.isfinite(arr)
            out[whole] = arr[whole].astype(np.int64)
            return out, present & ~whole
        return out, present  # a number in a date or text column: _to_sql decides
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        present = s.notna().to_numpy()
        if kind == "date":
            out[present] = s[present].dt.date.to_numpy()
            return out, np.zeros(n, dtype=bool)
        return out, present
    values = s.to_numpy(dtype=object)
    codes = np.fromiter(map(_TYPE_CODES.get, map(type, values), repeat(0)), dtype=np.int8, count=n)

    def of(types: frozenset) -> np.ndarray:  # a value's exact type (a subclass goes the slow way)
        member = np.zeros(len(_TYPE_CODES) + 1, dtype=bool)
        member[[_TYPE_CODES[t] for t in types]] = True
        return member[codes]

    missing = pd.isna(values) & of(_NONE_SET)
    if kind in ("float", "int"):
        number = of(_NUMBER_SET) & ~missing
        arr = np.zeros(n)
        arr[number] = values[number].astype(float)
        if kind == "int":
            number &= np.isfinite(arr) & (np.mod(arr, 1) == 0)
            out[number] = arr[number].astype(np.int64)
        else:
            out[number] = arr[number]
        return out, ~(number | missing)
    if kind == "date":
        is_date = of(_DATE)
        out[is_date] = values[is_date]
        is_datetime = of(_DATETIME)
        out[is_datetime] = [v.date() for v in values[is_datetime]]
        return out, ~(is_date | is_datetime | missing)
    is_text = of(_TEXT)
    out[is_text] = values[is_text]
    return out, ~(is_text | missing)


_NO_ROWS = np.zeros(0, dtype=np.intp)


class Converted:
    """A whole batch frame converted to SQL values a column at a time, with the rows of each file."""

    def __init__(self, frame: pd.DataFrame, form: str) -> None:
        self.columns = [c for c in schema.stored_columns(form) if c != "file_idx"]
        data = frame.reindex(columns=schema.stored_columns(form))
        self.values: list[np.ndarray] = []  # a column's SQL values (an object array)
        self.errors: list[tuple[int, int, Exception]] = []  # (row position, column position, error)
        for j, c in enumerate(self.columns):
            kind = schema.column_kind(c)
            out, slow = _column_values(data[c], kind)
            if slow.any():
                positions = np.flatnonzero(slow)
                for pos, v in zip(positions, data[c].iloc[positions].astype(object).tolist(), strict=True):
                    try:
                        out[pos] = _to_sql(kind, v)
                    except Exception as exc:  # kept for the file the row belongs to
                        self.errors.append((int(pos), j, exc))
            self.values.append(out)
        idx = pd.to_numeric(data["file_idx"], errors="coerce").to_numpy()
        self.rows_of = pd.Series(np.arange(len(idx))).groupby(idx).indices if len(idx) else {}
        units = data["unit"].to_numpy(dtype=object)
        self.units = [None if _missing(u) else u for u in units.tolist()]

    def file_rows(self, file_idx: int) -> tuple[np.ndarray, set[str | None], Exception | None]:
        """The positions of one file's rows, the units they name (None: a row naming none), its first error."""
        positions = self.rows_of.get(file_idx, _NO_ROWS)
        if len(positions) == 0:
            return _NO_ROWS, set(), None
        errors = []
        if self.errors:
            wanted = set(positions.tolist())
            errors = sorted((j, pos, exc) for pos, j, exc in self.errors if pos in wanted)
        units = self.units
        return positions, {units[p] for p in positions.tolist()}, (errors[0][2] if errors else None)

    def rows(self, positions: np.ndarray, ids: np.ndarray) -> list[tuple]:
        """The rows at these positions as value tuples: each its file's id, then its values in the order of
        ``columns``."""
        if len(positions) == 0:
            return []
        return list(zip(ids.tolist(), *(col[positions].tolist() for col in self.values), strict=True))


def _dates(col: pd.Series) -> pd.Series:
    """Dates as the driver gives them (SQLite: ISO text; others: dates) as ``datetime.date``, NULL as None."""
    lookup = {v: date.fromisoformat(v) if isinstance(v, str) else v for v in col.dropna().unique()}
    out = col.map(lookup).astype(object)
    return out.where(out.notna(), None)


def typed_frame(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    """A frame read back from SQL with the in-memory dtypes: floats, whole numbers, dates and text.

    Built from its columns at once, so that columns of one dtype share a block (a frame assembled a
    column at a time has a block per column, and every row-wise read of it is many times slower).
    """
    data = frame.reindex(columns=schema.frame_columns(form))
    out = {}
    for c in data.columns:
        kind, col = schema.column_kind(c), data[c]
        if kind == "float":
            out[c] = pd.to_numeric(col, errors="coerce").astype(float)
        elif kind == "int":
            out[c] = col.astype("int64") if col.notna().all() else col.astype("Int64")
        elif kind == "date":
            out[c] = _dates(col)
        elif col.dtype == object and not col.isna().any():
            out[c] = col  # text as SQL gave it
        else:
            out[c] = col.astype(object).where(col.notna(), None)
    extra = [c for c in schema.STORED_EXTRA.get(form, []) if c in frame.columns]
    for c in extra:
        out[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return pd.DataFrame(out, index=data.index).reindex(columns=[*FRAME_COLUMNS[form], *extra])


_EMPTY = pd.DataFrame()  # the rows of every stub table (building a frame per table cost 0.3 ms)


def stub_tables(row: dict) -> list[Table]:
    """Light tables (no rows) that let a rebuilt FileResult tell its unit, forms, categories and 填表时间."""
    forms = [f for f in (row["forms"] or "").split(",") if f]
    categories = [c for c in (row["categories"] or "").split(",") if c]
    empty = _EMPTY
    out: list[Table] = []
    for form in forms:
        for category in categories if form == F1 and categories else [None]:
            out.append(
                Table(
                    form, "", empty, unit=row["unit"], unit_raw=row["unit"], category=category,
                    reported_on=row.get("reported_on"),  # the submission's 填表时间: whose picture, as of when
                )
            )  # fmt: skip
    return out


def empty_registers(conn, subs: Sequence) -> pd.DataFrame:
    """The registers the submissions ``subs`` sent with no line (``Returns.empty``): a form a submission names
    (``forms``) of which no row is stored under its id, whatever unit the rows name."""
    marks = []
    for form in (F2, F3):
        sent = [r for r in subs if form in (r["forms"] or "").split(",")]
        if not sent:
            continue
        t = schema.frames[form]
        with_lines = {int(i) for (i,) in conn.execute(select(t.c.file_idx).distinct())}  # no list of ids: any size
        marks += [
            {"file_idx": int(r["id"]), "file": r["name"], "unit": r["unit"], "form": form, "category": None,
             "reported_on": r["reported_on"]}
            for r in sent
            if int(r["id"]) not in with_lines
        ]  # fmt: skip
    return pd.DataFrame(marks, columns=list(EMPTY_COLUMNS)) if marks else no_empty_registers()
