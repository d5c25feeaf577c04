from datetime import date

import pandas as pd

from weakorg.tables import FRAME_COLUMNS, FileResult, Table, listed_first, returns_from_files
from weakorg.vocab import F1, F2, F3


def _f1_table(category="农村", orgs_total=100.0):
    rows = pd.DataFrame(
        {
            "count": [orgs_total, 5.0],
            "count_cell": ["B5", "B9"],
            "pct_orgs": [None, 5.0],
            "pct_orgs_cell": [None, "C9"],
        },
        index=["orgs_total", "weak_total"],
    )
    return Table(
        F1, "附件1-农村", rows, unit="娄星区", unit_raw="娄星区", category=category, reported_on=date(2014, 3, 11)
    )


def _f2_table(names):
    rows = pd.DataFrame(
        {"row": range(5, 5 + len(names)), "name": names, "name_cell": [f"B{5 + i}" for i in range(len(names))]}
    )
    return Table(F2, "附件2", rows, unit="娄星区", unit_raw="中共娄星区委组织部", reported_on=date(2014, 3, 11))


def test_frames_stack_tables_of_every_file_in_order():
    a = FileResult("a.xlsx", tables=[_f1_table(), _f2_table(["甲村党支部", "乙村党支部"])])
    b = FileResult("b.xlsx", tables=[_f1_table("学校", 40.0), _f2_table(["丙小学党支部"])])
    refused = FileResult("c.docx", status="rejected", reason="NOT_SPREADSHEET")
    r = returns_from_files([a, refused, b], first_idx=10)

    assert list(r.f1.columns) == list(FRAME_COLUMNS[F1])
    assert list(r.f2.columns) == list(FRAME_COLUMNS[F2])
    assert list(r.f3.columns) == list(FRAME_COLUMNS[F3])
    assert r.f1["file_idx"].tolist() == [10, 12]
    assert r.f1["orgs_total"].tolist() == [100.0, 40.0]
    assert r.f1["weak_total_pct_orgs_cell"].tolist() == ["C9", "C9"]
    assert r.f1["c1"].isna().all()
    assert r.f2["name"].tolist() == ["甲村党支部", "乙村党支部", "丙小学党支部"]
    assert r.f2["file"].tolist() == ["a.xlsx", "a.xlsx", "b.xlsx"]
    assert r.f2["unit_raw"].unique().tolist() == ["中共娄星区委组织部"]
    assert r.f3.empty


def test_file_result_describes_what_was_recognised():
    fr = FileResult("a.xlsx", tables=[_f1_table(), _f1_table("学校"), _f2_table(["甲村党支部"])])
    assert fr.unit == "娄星区"
    assert fr.forms == [F1, F2]
    assert fr.categories == ["农村", "学校"]
    assert fr.row_count == 1


def _records_of(table: Table) -> Table:
    """The same table with its rows given as records, as the reader gives them."""
    frame = table.rows
    records = frame.to_dict("index") if table.form == F1 else {c: frame[c].tolist() for c in frame.columns}
    return Table(table.form, table.sheet, records, unit=table.unit, unit_raw=table.unit_raw,
                 category=table.category, reported_on=table.reported_on)  # fmt: skip


def test_tables_given_as_records_stack_like_tables_given_as_frames():
    tables = [_f1_table(), _f2_table(["甲村党支部", "乙村党支部"]), _f1_table("学校", 40.0)]
    tables.append(_f2_table(["丙小学党支部"]))
    as_frames = returns_from_files([FileResult("a.xlsx", tables=tables)])
    as_records = returns_from_files([FileResult("a.xlsx", tables=[_records_of(t) for t in tables])])
    for form in (F1, F2, F3):
        pd.testing.assert_frame_equal(as_records.frame(form), as_frames.frame(form))


def test_records_become_a_frame_when_read_and_edits_to_it_count():
    table = _records_of(_f2_table(["甲村党支部", "乙村党支部"]))
    assert table.size == 2
    assert table.rows["name"].tolist() == ["甲村党支部", "乙村党支部"]
    table.rows.loc[1, "name"] = "丁村党支部"
    f2 = returns_from_files([FileResult("a.xlsx", tables=[table])]).f2
    assert f2["name"].tolist() == ["甲村党支部", "丁村党支部"]


def test_a_table_with_an_empty_frame_gives_no_register_rows_and_blank_f1_values():
    empty = pd.DataFrame()
    r = returns_from_files([FileResult("a.xlsx", tables=[Table(F1, "", empty, unit="娄星区"), Table(F2, "", empty)])])
    assert r.f1["unit"].tolist() == ["娄星区"] and r.f1["orgs_total"].isna().all()
    assert r.f2.empty and list(r.f2.columns) == list(FRAME_COLUMNS[F2])


def test_one_columns_values_come_the_same_from_the_records_or_the_frame():
    from tests.test_store import f1_table, f2_table

    table = f2_table()
    before = table.values("problems")
    assert before == table.records()["problems"] and len(before) > 1
    assert len(table.rows) == len(before)  # the frame built: the values now come from it
    assert table.values("problems") == before and table.values("no such column") == []
    assert f1_table().values("count") == [row["count"] for row in f1_table().records().values()]


def test_a_line_listing_an_organization_again_in_its_file_is_marked_and_left_out_of_counts():
    from builders import f2_table, file_result, org

    lines = [org("甲村党支部"), org("乙村党支部"), org("甲村 党支部"), org(None), org(None)]
    other = file_result("b.xlsx", f2_table([org("甲村党支部")]))  # another file listing it: its own line
    returns = returns_from_files([file_result("a.xlsx", f2_table(lines)), other])
    assert returns.f2["listed_above"].tolist() == [0, 0, 1, 0, 0, 0]
    assert listed_first(returns.f2)["name"].tolist() == ["甲村党支部", "乙村党支部", None, None, "甲村党支部"]
