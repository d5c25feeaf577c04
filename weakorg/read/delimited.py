"""A CSV file (UTF-8, UTF-16 or GBK; comma, tab or semicolon) as one Grid."""

from __future__ import annotations

import csv
import io

from weakorg.read.grid import Grid
from weakorg.read.guard import Budget, ReadLimits, Refused, utf16_without_bom


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 (with BOM, or without it: ``utf16_without_bom``),
    else GB18030 (which covers GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096] and (codec := utf16_without_bom(data)):
        return data[: len(data) - len(data) % 2].decode(codec, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Refused("NOT_SPREADSHEET", "这不是可识别编码的CSV文本") from exc


def csv_grid(data: bytes, sheet: str, limits: ReadLimits | None = None) -> Grid:
    """A CSV file as one Grid; numbers stay text (the cell parsers read them)."""
    limits = limits or ReadLimits()
    text = decode_text(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid = Grid(sheet=sheet)
    budget = Budget(limits)
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for r, record in enumerate(reader, start=1):
            if r > limits.max_rows:
                raise Refused("TOO_LARGE", f"超过{limits.max_rows}行")
            if len(record) > limits.max_cols:
                raise Refused("TOO_LARGE", f"第{r}行有{len(record)}列，超过{limits.max_cols}列")
            placed = chars = 0
            for c, value in enumerate(record, start=1):
                if value.strip():
                    grid.values[(r, c)] = value
                    grid.n_cols = max(grid.n_cols, c)
                    placed += 1
                    chars += len(value)
            budget.spend(sheet, placed, chars)
            grid.n_rows = r
    except csv.Error as exc:  # the only error a lenient reader raises: a field past csv.field_size_limit()
        raise Refused("TOO_LARGE", f"第{reader.line_num}行附近有一格超过{csv.field_size_limit()}个字符") from exc
    return grid
