"""Turn a located table into a Table: every value parsed, beside the cell it was read from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from weakorg.campaign import Campaign
from weakorg.findings import Finding, finding
from weakorg.privacy import mask_text
from weakorg.read.cells import (
    count_in_words,
    date_order,
    date_unreadable,
    is_blank,
    is_not_done,
    is_percent_format,
    normalized,
    parse_category,
    parse_count,
    parse_date,
    parse_name,
    parse_percent,
    parse_phone,
    parse_secretary,
    parse_status,
    parse_text,
    raw_text,
    year_last_readings,
)
from weakorg.read.grid import Grid
from weakorg.read.locate import CATEGORY, DATE, UNIT, HeaderValue, Located
from weakorg.tables import F2_ROW_COLUMNS, F3_ROW_COLUMNS, REGISTER_DATE_FIELDS, Records, Table, column_kind
from weakorg.vocab import (
    DATE_LABEL,
    F1,
    F1_COLUMNS,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3,
    F3_COLUMNS,
    chinese_date,
)

ROW_COLUMNS = {F2: F2_ROW_COLUMNS, F3: F3_ROW_COLUMNS}
COLUMN_TITLES = {**F2_COLUMNS, **F2_EXTRA_COLUMNS, **F3_COLUMNS}
DATE_FIELDS = REGISTER_DATE_FIELDS
FIELD_KINDS = {f: column_kind(f) for f in COLUMN_TITLES}  # each register field's kind, looked up once
CELL_KEYS = {c: f"{c}_cell" for c in F1_COLUMNS}  # one key string for every F1 row of every table
DATE_HINT = "请填写如“2014年4月25日”的日期；尚未完成的请填“未完成”。"


@dataclass
class Context:
    """What building a table needs beside the table: the file's name, the campaign, the findings so far."""

    file: str
    campaign: Campaign
    findings: list[Finding] = field(default_factory=list)
    date_order: str | None = None  # how the file writes year-last dates (cells.date_order), once a date shows it


def _where(ctx: Context, grid: Grid, cell: str | None) -> str:
    at = f"单元格{cell}" if cell else ""
    return f"文件《{ctx.file}》工作表“{grid.sheet}”{at}"


def _check_formula(ctx: Context, grid: Grid, row: int, col: int, what: str, table: Table) -> None:
    """A FORMULA_UNCACHED finding when the cell is a formula that was never calculated."""
    if (row, col) not in grid.uncached:
        return
    cell = grid.addr(row, col)
    msg = (
        f"{_where(ctx, grid, cell)}的{what}是公式，但文件中没有保存计算结果，数值未知。"
        "请在Excel或WPS中打开该文件，确认数值后保存，再重新上传。"
    )
    ctx.findings.append(
        finding(
            "FORMULA_UNCACHED", msg, file=ctx.file, sheet=grid.sheet, cell=cell, unit=table.unit,
            category=table.category, form=table.form,
        )
    )  # fmt: skip


def _number_finding(
    ctx: Context,
    grid: Grid,
    row: int,
    col: int,
    what: str,
    value: object,
    table: Table,
    read_as: float | None = None,
    org: str | None = None,
) -> None:
    """A summary cell that holds no number, or a count that is no whole number of 0 or more (NUMBER_INVALID: read as
    blank), or a count in Chinese numerals read as ``read_as`` (NUMBER_IN_WORDS: counted, and said; also a register's
    党员数, of ``org``)."""
    cell = grid.addr(row, col)
    written = mask_text(raw_text(value))
    if read_as is None and parse_count(value) is not None:  # a number, but no count: -2, 2.5
        code, msg = "NUMBER_INVALID", f"“{written}”不是有效的个数（应为0或正整数），未计入。请在{cell}填写实际个数。"
    elif read_as is None:
        code, msg = "NUMBER_INVALID", f"“{written}”不是数字，未计入。请在{cell}填写阿拉伯数字（没有的填0）。"
    else:
        code, msg = "NUMBER_IN_WORDS", f"“{written}”已按{read_as:g}计入，请核对；今后请在{cell}填写阿拉伯数字。"
    ctx.findings.append(
        finding(
            code, f"{_where(ctx, grid, cell)}的{what}{msg}", file=ctx.file, sheet=grid.sheet, cell=cell,
            unit=table.unit, category=table.category, form=table.form, org=org,
        )
    )  # fmt: skip


def _date_finding(
    ctx: Context, grid: Grid, cell: str, what: str, raw: object, table: Table, org=None, secretary=None
) -> None:
    readings = year_last_readings(raw)
    why = f"无法确定是{chinese_date(readings[0])}还是{chinese_date(readings[1])}" if readings else "无法识别为日期"
    written = mask_text(raw_text(raw), names=(secretary,))  # a cell quoted never shows a phone or the secretary
    msg = f"{_where(ctx, grid, cell)}的{what}“{written}”{why}。{DATE_HINT}"
    ctx.findings.append(
        finding(
            "DATE_INVALID", msg, file=ctx.file, sheet=grid.sheet, cell=cell, unit=table.unit,
            category=table.category, org=org, form=table.form,
        )
    )  # fmt: skip


def _cell_of(grid: Grid, hv: HeaderValue | None) -> str | None:
    return grid.addr(hv.row, hv.col) if hv else None


def header_table(ctx: Context, grid: Grid, located: Located, rows: Records) -> Table:
    """A Table with its header line read: unit mapped to the campaign, category to the nine, date parsed."""
    head = located.header
    unit, category, date = head.get(UNIT), head.get(CATEGORY), head.get(DATE)
    unit_raw = raw_text(unit.raw) if unit else None
    category_raw = raw_text(category.raw) if category else None
    table = Table(
        form=located.form,
        sheet=grid.sheet,
        rows=rows,
        unit=ctx.campaign.canonical_unit(unit_raw) if unit_raw else None,
        unit_raw=unit_raw,
        unit_cell=_cell_of(grid, unit),
        category=parse_category(category_raw),
        category_raw=category_raw,
        category_cell=_cell_of(grid, category),
        reported_on=parse_date(date.raw, ctx.campaign.year, ctx.date_order) if date else None,
        date_raw=raw_text(date.raw) if date else None,
        date_cell=_cell_of(grid, date),
    )
    if date and date_unreadable(date.raw, ctx.campaign.year, ctx.date_order):
        _date_finding(ctx, grid, table.date_cell, DATE_LABEL, date.raw, table)
    return table


def _f1_what(key: str, col_key: str) -> str:
    """What an F1 cell holds, for a message: “所辖基层党组织总数”的数量."""
    return f"“{F1_ROWS[key]}”的{F1_COLUMNS[col_key]}"


def f1_table(ctx: Context, grid: Grid, located: Located) -> Table:
    """An F1 summary table: rows indexed by F1 keys, counts and percentages (in points) with their cells."""
    records: Records = {}
    table = header_table(ctx, grid, located, records)
    bare: set[tuple[str, str]] = set()  # percentages written as plain numbers (no % sign, no percent format)
    for key in F1_ROWS:
        row = located.f1_rows.get(key)
        if row is None:
            continue
        rec: dict = {}
        for col_key in F1_COLUMNS:
            col = located.columns.get(col_key)
            if not col:  # a column the table lacks: nothing read, nothing to say
                rec[col_key], rec[CELL_KEYS[col_key]] = float("nan"), None
                continue
            value = grid.values.get((row, col))
            if col_key == "count":
                parsed = parse_count(value)
                if parsed is not None and (parsed < 0 or not parsed.is_integer()):  # no count: said, not counted
                    parsed = None
            else:
                fmt = grid.formats.get((row, col), "")
                parsed = parse_percent(value, fmt)
                if parsed is not None and not is_percent_format(fmt) and "%" not in normalized(value):
                    bare.add((key, col_key))
            rec[col_key] = float("nan") if parsed is None else float(parsed)
            rec[CELL_KEYS[col_key]] = grid.addr(row, col)
            uncached = (row, col) in grid.uncached
            if parsed is None and not uncached and not is_blank(value):
                _number_finding(ctx, grid, row, col, _f1_what(key, col_key), value, table)
            elif col_key == "count" and count_in_words(value):  # read, and said so: a trace of the reading
                _number_finding(ctx, grid, row, col, _f1_what(key, col_key), value, table, read_as=parsed)
            if uncached:
                _check_formula(ctx, grid, row, col, _f1_what(key, col_key), table)
        records[key] = rec
    _fractions_to_points(records, bare)
    return table


FRACTION_TOLERANCE = 0.1  # points: how near a fraction x 100 must come to count / total x 100 (PERCENT_MISMATCH's)
PCT_DENOMINATORS = {"pct_orgs": "orgs_total", "pct_weak": "weak_total"}


def _fractions_to_points(records: Records, bare: set[tuple[str, str]]) -> None:
    """Percentages a table wrote as bare fractions (0.05 for 5 %, a percent format lost) put in points.

    Only when every percentage of the table is a plain number of at most 1, each one whose counts are known
    equals count / total (not count / total x 100), and at least one agrees only so; one slip among points
    is left for PERCENT_MISMATCH to report.
    """
    filled = [(key, col) for key, rec in records.items() for col in PCT_DENOMINATORS if not math.isnan(rec[col])]
    if not filled or any(pos not in bare or records[pos[0]][pos[1]] > 1 for pos in filled):
        return
    only_as_fraction = False
    for key, col in filled:
        value, count = records[key][col], records[key]["count"]
        whole = records.get(PCT_DENOMINATORS[col], {}).get("count", math.nan)
        if math.isnan(count) or math.isnan(whole) or whole <= 0:
            continue
        share = count / whole * 100
        if abs(value * 100 - share) > FRACTION_TOLERANCE:
            return
        only_as_fraction |= abs(value - share) > FRACTION_TOLERANCE
    if only_as_fraction:
        for key, col in filled:
            records[key][col] = round(records[key][col] * 100, 10)


# The parser of each text field that has its own; parse_text for the others.
_TEXT_PARSERS = {"phone": parse_phone, "secretary": parse_secretary, "name": parse_name, "status": parse_status}


def _parser(f: str, year: int, order: str | None):
    """The function that parses a cell of register field ``f`` into its column's kind (``tables.column_kind``, which
    the store keeps): what check reads, load stores. A number column (党员数, 序号) holds a number or nothing: "1a" is
    no 序号, left blank. Chosen once a column, so that each cell costs one call."""
    kind = FIELD_KINDS[f]
    if kind == "float":
        return parse_count
    if kind == "date":
        return lambda value: parse_date(value, year, order)
    if f == "category":
        return lambda value: parse_category(value) or parse_text(value)
    return _TEXT_PARSERS.get(f, parse_text)


def register_table(ctx: Context, grid: Grid, located: Located, sheet_rows: list[int]) -> Table:
    """An F2 or F3 register: one row per filled line, each field with its cell, members and phone also as written.

    Built a column at a time (each field's parser chosen once); findings in the order of the sheet's rows.
    """
    columns = ROW_COLUMNS[located.form]
    records: Records = {c: [] for c in columns}
    table = header_table(ctx, grid, located, records)
    fields = [c for c in columns if f"{c}_cell" in columns]
    values, year, order = grid.values, ctx.campaign.year, ctx.date_order
    blank = [None] * len(sheet_rows)
    records["row"] = list(sheet_rows)
    for f in fields:
        col = located.columns.get(f)
        if not col:
            records[f], records[f"{f}_cell"] = list(blank), list(blank)
            continue
        parse = _parser(f, year, order)
        records[f] = [parse(values.get((row, col))) for row in sheet_rows]
        records[f"{f}_cell"] = [grid.addr(row, col) for row in sheet_rows]
    for f in ("members", "phone"):
        col = located.columns.get(f)
        records[f"{f}_raw"] = [raw_text(values.get((row, col))) for row in sheet_rows] if col else list(blank)
    for f in DATE_FIELDS:  # filled below where a date cell cannot be read
        if f"{f}_raw" in records:
            records[f"{f}_raw"] = list(blank)
    dates = [(f, located.columns[f]) for f in DATE_FIELDS if located.columns.get(f)]
    uncached = [(f, located.columns[f]) for f in fields if located.columns.get(f)] if grid.uncached else []
    members = located.columns.get("members")
    in_words = {i for i, raw in enumerate(records["members_raw"]) if count_in_words(raw)} if members else set()
    if not dates and not uncached and not in_words:
        return table
    for i, row in enumerate(sheet_rows):  # findings row by row, as a reader reads the sheet
        for f, col in uncached:
            _check_formula(ctx, grid, row, col, COLUMN_TITLES[f], table)
        if i in in_words:  # 三十五 read as 35, and said so, as the summary's counts are
            org = records["name"][i]
            what = f"“{org}”的{COLUMN_TITLES['members']}"
            _number_finding(
                ctx, grid, row, members, what, values.get((row, members)), table, records["members"][i], org
            )
        for f, col in dates:
            value = values.get((row, col))
            if records[f][i] is None and not is_blank(value) and not is_not_done(value):  # ``date_unreadable``
                records[f"{f}_raw"][i] = raw_text(value)
                org, cell = records["name"][i], records[f"{f}_cell"][i]
                what = f"“{org}”的{COLUMN_TITLES[f]}"
                _date_finding(ctx, grid, cell, what, value, table, org, records["secretary"][i])
    return table


def _date_order(grid: Grid, found: list[tuple[Located, list[int]]]) -> str | None:
    """How the dates of a sheet's tables put day and month (``cells.date_order``); None when none shows it."""
    values: list[object] = []
    for located, rows in found:
        date = located.header.get(DATE)
        if date:
            values.append(date.raw)
        for f in DATE_FIELDS:
            col = located.columns.get(f)
            if col:
                values.extend(grid.value(row, col) for row in rows)
    return date_order(values)


def build_tables(ctx: Context, grid: Grid, found: list[tuple[Located, list[int]]]) -> list[Table]:
    """Tables of one sheet from what ``locate`` found."""
    out = []
    ctx.date_order = _date_order(grid, found) or ctx.date_order
    for located, rows in found:
        if located.form == F1:
            out.append(f1_table(ctx, grid, located))
        else:
            out.append(register_table(ctx, grid, located, rows))
    return out
