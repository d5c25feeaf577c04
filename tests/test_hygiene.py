"""Text hygiene at the edge: control characters leave at read time with a finding; what check accepts, load stores."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from messy import (
    BESIDE,
    CONTAINERS,
    F2_LINES,
    F3_LINES,
    Book,
    F1Spec,
    RegisterSpec,
    csv_bytes,
    f2_lines_with_extra,
    put_f1,
    put_register,
)
from openpyxl import load_workbook
from test_read_messy import VARIATIONS

from weakorg.app import UploadResult, picture, process_uploads, sample_files, store_readable
from weakorg.cli import write_city_return
from weakorg.export.findings import findings_workbook
from weakorg.read import read_file
from weakorg.read.grid import Grid
from weakorg.read.hygiene import CONTROL_CHARS, scrub_grid, strip_controls
from weakorg.store import Store
from weakorg.store.rows import Converted
from weakorg.store.schema import column_kind
from weakorg.tables import returns_from_files
from weakorg.vocab import F1, F2, F3, FORMS

RULE = "CONTROL_CHARS_REMOVED"
# Characters openpyxl cannot write into an .xlsx: written as Excel escapes it (_x0001_), which readers unescape.
_XLSX_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _xlsx_text(text: str) -> str:
    return _XLSX_UNWRITABLE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _return(form: str, inject: dict[str, object] | None = None) -> tuple[Book, dict[str, str]]:
    """A return of one form (header values beside their labels; F2 with the template's optional columns) and the
    cell of each of its values ("unit", "date", "category", F1 "orgs_total", "orgs_total_pct_orgs"... or register
    "seq", "name"... of the first line); ``inject`` overwrites some."""
    book = Book()
    ws = book.sheet(form)
    if form == F1:
        put_f1(book, ws, F1Spec(header=BESIDE))
    else:
        lines, extra = (f2_lines_with_extra(), True) if form == F2 else ([dict(line) for line in F3_LINES], False)
        put_register(book, ws, RegisterSpec(form=form, lines=lines, header=BESIDE, extra=extra))
    (expect,) = book.expects
    cells = dict(expect.header_cells)
    if form == F1:
        cells |= {key if col == "count" else f"{key}_{col}": cell for (key, col), (_, cell) in expect.f1.items()}
    else:
        cells |= {f: cell for f, (_, cell) in expect.rows[0].items()}
    for where, value in (inject or {}).items():
        ws[cells[where]] = value
    return book, cells


def _placeholder(text: str) -> str:
    """The text with each character below U+0100 that openpyxl refuses stood for by one of the Private Use Area."""
    return _XLSX_UNWRITABLE.sub(lambda m: chr(0xE000 + ord(m.group())), text)


def _file(form: str, inject: dict[str, str], container: str) -> tuple[bytes, dict[str, str]]:
    """A return with control characters in some cells: "xlsx" (written as Excel escapes them), "ods", "xls" or "csv"
    (UTF-8), each text written with placeholders, then replaced in the bytes by itself (the same length in .xls)."""
    if container in ("xlsx", "ods"):
        book, cells = _return(form, {k: _xlsx_text(v) for k, v in inject.items()})
        return CONTAINERS[container](book), cells
    book, cells = _return(form, {k: _placeholder(v) for k, v in inject.items()})
    codec = "utf-16-le" if container == "xls" else "utf-8"
    data = CONTAINERS["xls"](book) if container == "xls" else csv_bytes(book, "utf-8-sig")
    for text in inject.values():
        data = data.replace(_placeholder(text).encode(codec), text.encode(codec))
    return data, cells


def _csv_with(form: str, where: str, text: str) -> bytes:
    """A CSV return with ``text`` in one cell, written as is (a lone surrogate as the bytes UTF-8 would give it)."""
    book, cells = _return(form)
    ws = book.wb.worksheets[0]
    marker = "\ue000MARK\ue000"
    ws[cells[where]] = marker
    data = csv_bytes(book, "utf-8-sig").decode("utf-8-sig")
    quoted = '"' + text.replace('"', '""') + '"'
    return ("\ufeff" + data.replace(marker, quoted)).encode("utf-8", "surrogatepass")


def _load(store: Store, uploads: list[tuple[str, bytes]]) -> list[UploadResult]:
    """Read and check the uploads together, store the readable ones; fail on any file the store refused."""
    results = process_uploads(uploads)
    stored = store_readable(store, results)
    failed = [(s.name, repr(s.error)) for s in stored if s.error is not None]
    assert failed == []
    assert len(stored) == sum(r.ok for r in results)
    return results


def _stored_texts(store: Store) -> list[str]:
    """Every text the store holds of its returns: frame values, file names, findings."""
    returns = store.returns()
    texts = [v for form in FORMS for col in returns.frame(form).columns for v in returns.frame(form)[col]]
    texts += list(store.submissions()["name"])
    findings = store.findings()
    texts += [v for col in findings.columns for v in findings[col]]
    return [t for t in texts if isinstance(t, str)]


# --- removed at read time, with a finding -----------------------------------------------------


def test_strip_controls_keeps_tabs_and_line_breaks():
    assert strip_controls("甲\t乙\r\n丙") == ("甲\t乙\r\n丙", "")
    assert strip_controls("甲\x00乙\x1f\x7f\x85丙\ufffe\ud800") == ("甲乙丙", "\x00\x1f\x7f\x85\ufffe\ud800")


def test_invisible_format_characters_and_bidi_controls_go_too_and_a_name_reads_as_it_looks():
    assert strip_controls("洋溪镇\u200b大桥村\ufeff党支部") == ("洋溪镇大桥村党支部", "\u200b\ufeff")
    assert strip_controls("甲村\u202e部支党") == ("甲村部支党", "\u202e")  # never shown reversed
    assert strip_controls("乙村党支部😀") == ("乙村党支部😀", "")  # an emoji is text, if odd


def test_a_name_with_a_zero_width_space_is_read_clean_with_a_finding():
    data, cells = _file(F2, {"name": "洋溪镇\u200b大桥村党支部"}, "xlsx")
    fr = read_file(data, name="新化县.xlsx")
    assert fr.tables[0].rows.iloc[0]["name"] == "洋溪镇大桥村党支部"  # searched, matched and checked as it looks
    (f,) = [f for f in fr.findings if f.rule == RULE]
    assert f.cell == cells["name"] and "U+200B" in f.message


def test_scrub_grid_empties_a_cell_of_control_characters_only_and_cleans_the_sheet_name():
    grid = Grid(sheet="附件\x012", values={(1, 1): "\x00\x01", (1, 2): "甲\x0b乙", (1, 3): 12.0, (2, 1): "丙"})
    scrub_grid(grid)
    assert grid.values == {(1, 2): "甲乙", (1, 3): 12.0, (2, 1): "丙"}
    assert grid.cleaned == {(1, 1): "\x00\x01", (1, 2): "\x0b"}
    assert (grid.sheet, grid.sheet_cleaned) == ("附件2", "\x01")


# What each container can carry: a CSV with a NUL is no text file (refused: NOT_SPREADSHEET), the XML of an
# .ods holds no C0 control at all, but DEL and the C1 controls.
BAD = {"xlsx": ("\x0b", "\x00"), "xls": ("\x0b", "\x00"), "csv": ("\x0b", "\x1f"), "ods": ("\x7f", "\x85")}


@pytest.mark.parametrize("container", list(BAD))
def test_a_control_character_is_removed_with_a_finding_at_its_cell_naming_no_person(container):
    in_name, bad = BAD[container]
    inject = {"name": f"某某村{in_name}党支部", "secretary": f"王{bad}五", "phone": f"139{bad}07381234"}
    data, cells = _file(F2, inject, container)
    fr = read_file(data, name=f"娄星区.{container}")
    assert fr.ok, fr.message
    line = fr.tables[0].rows.iloc[0]
    assert (line["name"], line["secretary"], line["phone"]) == ("某某村党支部", "王五", "13907381234")
    found = [f for f in fr.findings if f.rule == RULE]
    assert sorted(f.cell for f in found) == sorted(cells[k] for k in ("name", "secretary", "phone"))
    assert {(f.severity, f.unit, f.form, f.org) for f in found} == {("warning", "娄星区", F2, "某某村党支部")}
    for f in found:
        assert f.cell in f.message and "控制字符" in f.message and "已删除" in f.message
        assert "王" not in f.message and "五" not in f.message and "13907381234" not in f.message
    by_cell = {f.cell: f.message for f in found}
    assert f"U+{ord(in_name):04X}" in by_cell[cells["name"]] and "1个" in by_cell[cells["name"]]


def test_a_merged_cell_gives_one_finding_at_its_first_cell_and_every_line_it_covers_is_clean():
    book = Book()
    lines = [dict(line) for line in F2_LINES]
    lines[0]["problems"] = (_xlsx_text("支部\x0c长期不开会"), None)
    put_register(book, book.sheet(F2), RegisterSpec(lines=lines, header=BESIDE, merge_down={"problems": (0, 2)}))
    fr = read_file(CONTAINERS["xlsx"](book), name="娄星区.xlsx")
    rows = fr.tables[0].rows
    assert list(rows["problems"][:3]) == ["支部长期不开会"] * 3
    (f,) = [f for f in fr.findings if f.rule == RULE]
    assert f.cell == book.expects[0].rows[0]["problems"][1] == rows["problems_cell"][2]


def test_a_sheet_name_with_a_control_character_is_cleaned_with_a_finding():
    book, _ = _return(F3)
    book.wb.worksheets[0].title = "难点村表"
    data = CONTAINERS["xls"](book).replace("难点村表".encode("utf-16-le"), "难\x01村表".encode("utf-16-le"))
    fr = read_file(data, name="娄星区.xls")
    assert fr.ok, fr.message
    assert fr.tables[0].sheet == "难村表"
    (f,) = [f for f in fr.findings if f.rule == RULE]
    assert f.cell is None and "工作表“难村表”的名称" in f.message and "U+0001" in f.message


def test_a_file_name_with_control_characters_is_read_under_the_clean_name():
    book, _ = _return(F3)
    fr = read_file(CONTAINERS["xlsx"](book), name="娄星区\x00\x1b.xlsx")
    assert fr.ok and fr.name == "娄星区.xlsx"
    assert {t.sheet for t in fr.tables} == {F3}


def test_a_clean_return_gives_no_such_finding():
    for form in FORMS:
        book, _ = _return(form)
        fr = read_file(CONTAINERS["xlsx"](book), name="a.xlsx")
        assert fr.ok and not [f for f in fr.findings if f.rule == RULE]


# --- what check accepts, load stores ------------------------------------------------------------

ODD = {
    "seq written as text": ("seq", "1a"),
    "seq in Chinese numerals": ("seq", "一"),
    "seq as a date": ("seq", datetime(2014, 3, 1)),
    "members huge": ("members", "9" * 400),
    "members the largest double": ("members", 1.7e308),
    "members negative": ("members", -3),
    "members a fraction": ("members", 2.5),
    "members a date": ("members", datetime(2014, 3, 1)),
    "members an emoji": ("members", "😀"),
    "name an emoji": ("name", "😀村党支部"),
    "name very long": ("name", "村" * 20_000),
    "secretary a NUL": ("secretary", "_x0000_"),
    "phone a number too large": ("phone", 1e300),
    "unit very long": ("unit", "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(4000))),
    "date far away": ("date", "9999年12月31日"),
    "date in year one": ("date", "0001年1月1日"),
}


@pytest.mark.parametrize("odd", list(ODD))
def test_what_check_accepts_load_stores(odd, database_url):
    where, value = ODD[odd]
    book, _ = _return(F2, {where: value})
    store = Store(database_url)
    (result,) = _load(store, [("娄星区-一览表.xlsx", CONTAINERS["xlsx"](book))])
    assert result.ok
    subs = store.submissions()
    assert bool(subs["awaiting"].iloc[0]) == (where == "date")  # such a date stands only once an analyst confirms it
    if where == "date":
        store.confirm(int(subs["id"].iloc[0]), "date", by="分析员")
    stored = store.returns().f2
    assert len(stored) == len(F2_LINES)
    assert not any(CONTROL_CHARS.search(t) for t in _stored_texts(store))


def test_a_failed_save_leaves_the_database_as_it_was(database_url):
    """A value the store cannot take (a text where a number goes, as only hand-built frames have) stores nothing."""
    book, _ = _return(F2)
    store = Store(database_url)
    results = process_uploads([("a.xlsx", CONTAINERS["xlsx"](book))])
    rows = results[0].file.tables[0].rows
    rows["members"] = rows["members"].astype(object)
    rows.loc[0, "members"] = "二十"
    version = store.version()
    (stored,) = store_readable(store, results)
    assert stored.error is not None
    assert store.is_empty() and store.version() == version and store.findings().empty


def test_every_messy_fixture_and_sample_return_loads(database_url):
    uploads = []
    for name, variation in VARIATIONS.items():
        for container in ("xlsx", "xls", "ods"):
            uploads += [(f"{name}-{container}-{n}", data) for n, data in variation(container).files]
    for form in FORMS:
        uploads.append((f"{form}.csv", csv_bytes(_return(form)[0])))
    uploads += [(p.name, p.read_bytes()) for p in sample_files()]
    store = Store(database_url)
    results = _load(store, uploads)
    assert all(r.ok for r in results), [r.name for r in results if not r.ok]
    assert len(store.submissions()) == len({r.file.sha256 for r in results})


def test_the_reader_gives_every_column_the_kind_the_store_keeps():
    """By construction: each register and summary value is of its store column's kind (or missing)."""
    files = []
    for odd in ODD.values():
        book, _ = _return(F2, {odd[0]: odd[1]})
        files.append(read_file(CONTAINERS["xlsx"](book), name="a.xlsx"))
    for form in (F1, F3):
        files.append(read_file(CONTAINERS["xlsx"](_return(form)[0]), name="b.xlsx"))
    returns = returns_from_files(files)
    for form in FORMS:
        converted = Converted(returns.frame(form), form)
        wrong = [(converted.columns[j], column_kind(converted.columns[j]), str(e)) for _, j, e in converted.errors]
        assert wrong == []


# --- any text in any cell -------------------------------------------------------------------------


@pytest.fixture
def store(database_url):
    """A store on an empty database, kept across the examples of a property test."""
    out = Store(database_url)
    yield out
    out.engine.dispose()


TARGETS = {
    F1: ("unit", "category", "date", "orgs_total", "branches_pct_orgs", "weak_total", "c1", "c1_pct_weak"),
    F2: (
        "unit",
        "date",
        "seq",
        "name",
        "members",
        "problems",
        "secretary",
        "phone",
        "category",
        "status",
        "accepted_on",
    ),
    F3: ("unit", "date", "seq", "name", "members", "problems", "measures", "election_done", "secretary", "phone"),
}
SPOTS = [(form, where) for form, spots in TARGETS.items() for where in spots]
# Any character, and often one no text may keep (st.characters leaves out lone surrogates: they come from here).
CHARACTERS = st.one_of(st.characters(), st.sampled_from("\x00\x01\x08\x0b\x1f\x7f\x85\x9f\ufffe\uffff\ud800\udfff"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_text_in_any_cell_loads_clean_and_exports(store, tmp_path, data):
    form, where = data.draw(st.sampled_from(SPOTS), label="cell")
    text = data.draw(st.text(alphabet=CHARACTERS, max_size=60), label="text")
    container = data.draw(st.sampled_from(["xlsx", "csv"]), label="container")
    if container == "xlsx":
        book, _ = _return(form, {where: _xlsx_text(text)})
        upload = (f"娄星区-{form}.xlsx", CONTAINERS["xlsx"](book))
    else:
        upload = (f"娄星区-{form}.csv", _csv_with(form, where, text))
    (result,) = _load(store, [upload])
    if not result.ok:
        return  # refused by the reader: check says so, and load stores nothing
    assert not any(CONTROL_CHARS.search(t) for t in _stored_texts(store))
    pic = picture(store)
    workbook = write_city_return(pic, tmp_path / "city.xlsx")
    load_workbook(workbook).close()
    load_workbook(io.BytesIO(findings_workbook(pic.findings))).close()
