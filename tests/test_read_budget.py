"""The read budget: files that expand (repeats, spans, merged ranges, unaddressed cells, copied strings, long texts)
are refused as TOO_LARGE with the figure before the memory is spent, or read correctly within it; nothing of a
refused file is stored; legitimate returns still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import hostile
from weakorg import cli
from weakorg.app import process_uploads, save_uploads
from weakorg.criteria import MAX_TEXT, classify, default_rules, normalize
from weakorg.read import ReadLimits, read_file, read_files
from weakorg.read import xlsx as xlsx_module
from weakorg.read.ods import ods_grids
from weakorg.store import Store
from weakorg.vocab import F2

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"


def _refused(data: bytes, name: str, limits: ReadLimits | None = None) -> str:
    """The message of a file that must be refused as TOO_LARGE."""
    fr = read_file(data, name=name, limits=limits)
    assert (fr.status, fr.reason, fr.tables) == ("rejected", "TOO_LARGE", []), fr.message
    return fr.message


@pytest.fixture
def no_engine(monkeypatch):
    """Fail the test if an .xlsx engine is reached: the scan must refuse the workbook first."""

    def refuse(*args, **kwargs):
        raise AssertionError("an engine read a workbook the scan should have refused")

    monkeypatch.setattr(xlsx_module, "load_workbook", refuse)
    monkeypatch.setattr(xlsx_module, "_calamine_grids", refuse)


# --- OpenDocument: repeats and spans counted before they are expanded -----------------------------------------


def test_ods_repeated_rows_of_repeated_cells_are_refused_with_the_figure():
    message = _refused(hostile.ods_row_repeat(), "a.ods")
    assert "工作表“Sheet1”展开后超过50万个单元格" in message


def test_ods_cells_repeated_across_rows_written_one_by_one_count_together():
    message = _refused(hostile.ods_column_repeat(rows=300, cols=100), "a.ods", ReadLimits(max_cells=20_000))
    assert "展开后超过2万个单元格" in message
    assert read_file(hostile.ods_column_repeat(rows=100, cols=100), name="a.ods").reason == "NO_FORM"  # 10,000: read


def test_ods_a_span_past_the_last_row_is_refused():
    message = _refused(hostile.ods_rows_spanned(cols=1, span=1_000_000), "a.ods")
    assert "合并单元格延伸到第1000000行" in message


def test_ods_spans_within_the_rows_are_refused_by_their_area():
    message = _refused(hostile.ods_rows_spanned(cols=200, span=19_999), "a.ods")
    assert "合并单元格共超过50万个单元格" in message


def test_ods_a_space_count_inside_a_text_is_refused_before_the_spaces_are_made():
    message = _refused(hostile.ods_text_spaces(100_000_000), "a.ods")
    assert "展开后超过1000万个字符" in message


def test_ods_spaces_within_the_budget_are_read_as_spaces():
    fr = read_file(hostile.ods_text_spaces(5), name="a.ods")
    assert fr.reason == "NO_FORM"  # read, no form in it
    grid = ods_grids(hostile.ods_text_spaces(5))[0]
    assert grid.values[(1, 1)] == "a     b"


def test_ods_a_cell_of_countless_elements_is_refused_before_its_row_ends():
    spans = "<text:span>x</text:span>" * 30_000
    cell = f'<table:table-cell office:value-type="string"><text:p>{spans}</text:p></table:table-cell>'
    message = _refused(hostile.ods(f"<table:table-row>{cell}</table:table-row>"), "a.ods")
    assert "工作表“Sheet1”第1行的XML元素超过2万个" in message


def test_ods_elements_outside_the_rows_count_too():
    styles = "<table:table-column/>" * 5_000
    assert "XML元素超过4000个" in _refused(hostile.ods(styles), "a.ods", ReadLimits(max_cells=1_000))


def test_ods_with_a_huge_number_of_row_elements_is_refused():
    rows = "<table:table-row><table:table-cell/></table:table-row>" * 3_000
    message = _refused(hostile.ods(rows), "a.ods", ReadLimits(max_rows=2_000))
    assert "超过2000行" in message


# --- .xlsx: the scan bounds what an engine may produce ----------------------------------------------------------


def test_xlsx_a_merged_range_reaching_far_rows_is_refused_before_any_engine(no_engine):
    message = _refused(hostile.xlsx_far_merge(1_000_000), "a.xlsx")
    assert "合并单元格延伸到第1000000行" in message


@pytest.mark.parametrize("ref", [b'ref="$A$1:$A$1000000"', b"ref='a1:a1000000'", b'ref = "A1:A99999999"'])
def test_xlsx_a_far_merged_range_however_written_is_refused(ref, no_engine):
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>merged</t></is></c></row>'
    message = _refused(hostile.xlsx(cell, b"<mergeCells><mergeCell " + ref + b"/></mergeCells>"), "a.xlsx")
    assert "合并单元格延伸到第" in message


def test_xlsx_many_merged_ranges_within_the_rows_are_refused_by_their_area(no_engine):
    merges = b"".join(b'<mergeCell ref="A%d:GR%d"/>' % (r, r + 999) for r in range(1, 20_000, 1000))
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    message = _refused(hostile.xlsx(cell, b"<mergeCells>" + merges + b"</mergeCells>"), "a.xlsx")
    assert "合并单元格共超过50万个单元格" in message


def test_xlsx_cells_without_addresses_are_counted(no_engine):
    message = _refused(hostile.xlsx_unaddressed(rows=400, cols=150), "a.xlsx", ReadLimits(max_cells=50_000))
    assert "有超过5万个单元格" in message


def test_xlsx_a_row_of_cells_without_addresses_is_bounded_by_the_columns(no_engine):
    message = _refused(hostile.xlsx_unaddressed(rows=3, cols=300), "a.xlsx")
    assert "300列" in message


def test_xlsx_cells_without_addresses_after_addressed_ones_are_placed_after_them(no_engine):
    row = b'<row r="7"><c r="GQ7"><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>'
    message = _refused(hostile.xlsx(row), "a.xlsx")
    assert "有7行、201列" in message  # GQ is column 199: the two unaddressed cells land at 200 and 201


def test_xlsx_cells_without_addresses_within_the_budget_are_read():
    grids = xlsx_module.xlsx_grids(hostile.xlsx_unaddressed(rows=5, cols=4))
    assert grids[0].n_rows == 5 and len(grids[0].values) == 20


def test_xlsx_a_shared_string_copied_into_many_cells_is_refused(no_engine):
    message = _refused(hostile.sst_huge(rows=1_000, cols=20, length=30_000), "a.xlsx")
    assert "展开后超过1000万个字符" in message


def test_xlsx_a_long_shared_string_named_once_beside_many_short_ones_reads():
    cells = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>1</v></c></row>' % (r, r) for r in range(1, 20_001))
    cells = cells.replace(b"<v>1</v>", b"<v>0</v>", 1)
    sst = [b"<si><t>" + ("长" * 30_000).encode() + b"</t></si>", b"<si><t>x</t></si>"]
    grid = xlsx_module.xlsx_grids(hostile.xlsx(cells, sst=sst))[0]
    assert len(grid.values) == 20_000 and len(grid.values[(1, 1)]) == 30_000 and grid.values[(2, 1)] == "x"


def test_xlsx_a_deeply_nested_shared_string_is_bounded():
    assert read_file(hostile.sst_deep(100_000), name="a.xlsx").reason == "NO_FORM"


# --- .xls and CSV ---------------------------------------------------------------------------------------------


def test_xls_a_cell_at_the_far_corner_is_refused_without_padding_every_row():
    message = _refused(hostile.xls_far_corner(), "a.xls")
    assert "65536行" in message


def test_csv_a_field_past_the_csv_limit_is_refused_with_its_line():
    message = _refused(hostile.csv_huge_field(300_000), "a.csv")
    assert "第2行附近有一格超过131072个字符" in message


def test_csv_cells_count_against_the_budget():
    data = ("\n".join(",".join("x" * 5 for _ in range(50)) for _ in range(100))).encode()
    assert "展开后超过1000个单元格" in _refused(data, "a.csv", ReadLimits(max_cells=1000))


# --- one long 主要问题: read, its criteria from a bounded prefix --------------------------------------------------


def test_a_100000_character_problem_text_reads_and_its_reading_says_it_was_cut():
    fr = read_file(hostile.f2_register(10, 100_000, "csv"), name="long.csv")
    assert fr.ok, fr.message
    (table,) = [t for t in fr.tables if t.form == F2]
    text = table.rows["problems"].iloc[0]
    assert len(text) == 100_000  # the reader keeps the whole text
    read = classify(text)
    assert read.truncated and set(read.criteria) >= {1, 5, 6}
    assert not classify(text[:MAX_TEXT]).truncated
    assert classify(text[:MAX_TEXT]).criteria == read.criteria


def test_the_criteria_reading_of_a_long_text_reads_only_its_beginning():
    late = "群众满意。" * (MAX_TEXT // 5) + "支部书记长期外出务工，支部工作停滞。"
    assert classify(late).criteria == () and classify(late).truncated
    assert 1 in classify(late[-30:]).criteria


# --- nothing of a refused file is stored -------------------------------------------------------------------------

HOSTILE = [c for c in hostile.CASES if c.expect == "TOO_LARGE" and c.filename.endswith((".ods", ".xlsx"))]


@pytest.mark.parametrize("case", HOSTILE[:4], ids=[c.filename for c in HOSTILE[:4]])
def test_a_refused_file_is_not_stored_by_the_upload_path(case, database_url):
    store = Store(database_url)
    results = process_uploads([(case.filename, case.make())], None)
    assert [(r.ok, r.file.reason) for r in results] == [(False, "TOO_LARGE")]
    assert save_uploads(store, results, uploaded_by="分析员") == []
    assert store.is_empty() and len(store.submissions()) == 0
    store.engine.dispose()


def test_load_stores_the_good_files_and_nothing_of_the_hostile_ones(database_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    good = sorted(SAMPLES.glob("娄星区-第1次-附件2*"))
    bad = []
    for case in (hostile.CASES[0], hostile.CASES[4]):
        path = tmp_path / case.filename
        path.write_bytes(case.make())
        bad.append(path)
    assert cli.main(["load", *map(str, good + bad)]) == cli.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert all(f"已拒收：{p.name}（TOO_LARGE）" in out for p in bad)
    store = Store(database_url)
    assert sorted(store.submissions()["name"]) == [p.name for p in good]
    store.engine.dispose()


# --- the size of a file on disk --------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_from_its_size(tmp_path):
    big = tmp_path / "大.xlsx"
    with big.open("wb") as fh:
        fh.truncate(3 * 2**30)  # sparse: 3 GB that take no disk
    fr = read_file(big)
    assert (fr.reason, fr.size) == ("TOO_LARGE", 3 * 2**30)
    assert "文件大小3072.0MB，超过20MB" in fr.message


def test_check_refuses_a_huge_file_from_its_size(tmp_path, capsys):
    big = tmp_path / "大.csv"
    with big.open("wb") as fh:
        fh.truncate(3 * 2**30)
    assert cli.main(["check", str(big)]) == cli.EXIT_PROBLEMS
    assert "TOO_LARGE" in capsys.readouterr().out


# --- legitimate returns still read --------------------------------------------------------------------------------


def test_every_sample_return_reads_within_the_budget():
    files = read_files(sorted(SAMPLES.iterdir()))
    assert files and all(fr.ok for fr in files), [fr.message for fr in files if not fr.ok]


def test_a_register_of_300_lines_reads_whole():
    fr = read_file(hostile.f2_register(300), name="一览表.xlsx")
    assert fr.ok, fr.message
    assert sum(len(t.rows) for t in fr.tables if t.form == F2) == 300


def test_a_run_of_digits_is_read_only_up_to_the_bounded_prefix():
    read = classify("1" * 100_000)  # the shape that took the unbounded reading minutes
    assert (read.criteria, read.truncated) == ((), True)


def test_load_refuses_a_huge_file_without_reading_it_whole(database_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    big = tmp_path / "大.xlsx"
    with big.open("wb") as fh:
        fh.truncate(3 * 2**30)
    assert cli.main(["load", str(big)]) == cli.EXIT_PROBLEMS
    assert "已拒收：大.xlsx（TOO_LARGE）" in capsys.readouterr().out
    store = Store(database_url)
    assert store.is_empty()
    store.engine.dispose()


def test_a_numeral_run_is_cut_where_no_count_year_or_percentage_reaches():
    rules = default_rules()
    assert normalize("电话13907381234，书记外出12年未归", rules) == "电话13907381,书记外出12年未归"
    assert 1 in classify("书记外出" + "1" * 1_500 + "年未归，支部工作停滞").criteria  # still read past the run


def test_a_register_whose_problem_texts_add_up_past_the_budget_is_refused():
    message = _refused(hostile.many_long_texts(300, 2_000), "a.csv")
    assert "主要问题共600000个字，超过50万个字" in message
    fr = read_file(hostile.many_long_texts(300, 1_000), name="a.csv")  # 300,000 characters: read
    assert fr.ok, fr.message


def test_an_ods_of_too_many_tables_is_refused():
    table = '<table:table table:name="T"><table:table-row><table:table-cell/></table:table-row></table:table>'
    empty = b'<table:table table:name="Sheet1"></table:table>'
    content = hostile.ods_content("").replace(empty, table.encode() * 1_001)
    data = hostile.zip_of({"mimetype": hostile.ODS_MIME, "content.xml": content})
    assert "工作表超过1000张" in _refused(data, "a.ods")
