"""Downloads: file names carry the filters; CSV opens in Excel (BOM); xlsx round-trips."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from weakorg import downloads
from weakorg.drill import Filters


def test_file_name_carries_the_filters():
    f = Filters(units=("双峰县", "新化县"), categories=("农村",), criteria=(1,), statuses=("整顿中",))
    expected = "组织明细-双峰县、新化县-农村-（1）班子不齐_书记缺职-整顿中.xlsx"
    assert downloads.file_name("组织明细", f, "xlsx") == expected
    assert downloads.file_name("换届难点村", Filters(), "csv") == "换届难点村-全市.csv"
    assert downloads.file_name("组织明细", Filters(org=("双峰县", "白马村党支部"), search="白 马"), "csv") == (
        "组织明细-含白_马-白马村党支部.csv"
    )
    with pytest.raises(ValueError):
        downloads.file_name("x", Filters(), "pdf")


def test_a_long_filter_is_cut_short():
    f = Filters(units=tuple(f"单位{i}" for i in range(30)))
    name = downloads.file_name("组织明细", f, "csv")
    assert len(name) < 60 and name.endswith("等.csv")


def frame() -> pd.DataFrame:
    return pd.DataFrame({"填报单位": ["双峰县", "新化县"], "党员数": [12, 30], "主要问题": ["书记缺职", None]})


def test_csv_is_utf8_with_bom():
    data = downloads.table_bytes(frame(), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["填报单位"].tolist() == ["双峰县", "新化县"] and back["党员数"].tolist() == [12, 30]
    shares = pd.DataFrame({"填报单位": ["双峰县", "新化县", "万宝新区"], "占比（%）": [3.9, 3.125, None]})
    text = downloads.table_bytes(shares, "csv").decode("utf-8-sig").splitlines()
    assert text[1:] == ["双峰县,3.90", "新化县,3.13", "万宝新区,"]  # two decimals, half up, as the page shows them


def test_xlsx_round_trips():
    data = downloads.table_bytes(frame(), "xlsx", sheet="组织明细")
    back = pd.read_excel(io.BytesIO(data), sheet_name="组织明细")
    assert back["填报单位"].tolist() == ["双峰县", "新化县"] and back["党员数"].tolist() == [12, 30]
    with pytest.raises(ValueError):
        downloads.table_bytes(frame(), "pdf")


def test_chart_png_is_named_by_the_chart_and_the_filters_in_chinese():
    from weakorg import charts

    chart = charts.weak_by_category(pd.DataFrame({"category": ["农村"], "orgs_total": [10], "weak_total": [1]}))
    option = downloads.chart_option(chart, Filters(units=("双峰县",)))
    assert option["toolbox"]["feature"] == {
        "saveAsImage": {
            "title": "下载本图（PNG 图片）",
            "name": "各类别软弱涣散基层党组织数量及占该类别党组织的比例-双峰县",
            "type": "png",
            "pixelRatio": 2,
        }
    }  # the only button: drawn in the browser, named in Chinese
    assert "feature" not in chart.option["toolbox"]
    assert option["series"] is chart.option["series"]  # the (cached) chart itself is left as it was


def test_xlsx_keeps_the_look_and_writes_text_as_text():
    when = pd.Timestamp("2014-03-11 09:30")
    table = pd.DataFrame(
        {
            "名称": ["=1+1村党支部", "白马村\x01党支部", "长" * 40000],
            "党员数": [-2, 3, None],
            "填表时间": [date(2014, 3, 11), None, date(2014, 4, 1)],
            "保存时间": [when, when, pd.NaT],
            "标准": [[1, 2], "#N/A", None],
            "比例": [Decimal("12.5"), float("nan"), float("inf")],
        }
    )
    ws = openpyxl.load_workbook(io.BytesIO(downloads.table_bytes(table, "xlsx", sheet="组织明细/全市"))).active
    assert ws.title == "组织明细_全市"
    head = ws["A1"]
    assert head.font.b and head.border.left.style == "thin" and head.alignment.horizontal == "center"
    assert [c.value for c in ws[1]] == list(table.columns)
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].quotePrefix) == ("=1+1村党支部", "s", True)
    assert ws["A3"].value == "白马村党支部" and len(ws["A4"].value) == 32767 and ws["A4"].value.endswith("…")
    assert (ws["B2"].value, ws["B3"].value, ws["B4"].value) == (-2, 3, None)
    assert ws["C2"].value == datetime(2014, 3, 11) and ws["C2"].number_format == "YYYY-MM-DD"
    assert ws["D2"].value == when.to_pydatetime() and ws["D2"].number_format == "YYYY-MM-DD HH:MM:SS"
    assert ws["E2"].value == "[1, 2]" and (ws["E3"].value, ws["E3"].data_type) == ("#N/A", "s")
    assert (ws["F2"].value, ws["F3"].value, ws["F4"].value) == (12.5, None, "inf")


def test_csv_escapes_formula_starts_in_headers_and_cells():
    table = pd.DataFrame({"=名称": ["+1+1", "\t=1+1", "@SUM(A1)", "白马村"], "党员数": [-2.5, 3, 4, 5]})
    text = downloads.table_bytes(table, "csv").decode("utf-8-sig")
    assert text.splitlines()[:2] == [
        "'=名称,党员数",
        "'+1+1,-2.50",
    ]  # a number stays a number (two decimals, as every fractional column)
    back = pd.read_csv(io.StringIO(text))
    assert back["'=名称"].tolist() == ["'+1+1", "'\t=1+1", "'@SUM(A1)", "白马村"]


def test_refusal_says_the_account_error_or_that_making_the_file_failed():
    from streamlit.runtime.media_file_storage import MediaFileStorageError

    from weakorg.accounts import SIGN_IN_AGAIN, AccountError

    wrapped = MediaFileStorageError("Callable execution failed")
    wrapped.__cause__ = AccountError(SIGN_IN_AGAIN)
    assert downloads.refusal(wrapped) == downloads.NOT_MADE.format(why=SIGN_IN_AGAIN)
    assert downloads.refusal(AccountError(SIGN_IN_AGAIN)) == downloads.NOT_MADE.format(why=SIGN_IN_AGAIN)
    failed = MediaFileStorageError("Callable execution failed: 王秀英 13907381234")
    failed.__cause__ = ValueError("王秀英 13907381234")
    assert downloads.refusal(failed) == downloads.NOT_MADE.format(why=downloads.MAKE_FAILED)  # never the message


def test_a_download_button_names_its_format_and_its_table():
    from weakorg.downloads import FORMATS, button_label

    assert [button_label(f, "一览表") for f in FORMATS] == ["下载 Excel（一览表）", "下载 CSV（一览表）"]
