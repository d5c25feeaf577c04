"""The pages' pure helpers: uploads read, checked and stored; headline numbers; the tables shown."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.test_store import f1_table, f2_table, file_result
from weakorg import app, counts
from weakorg.findings import finding
from weakorg.store import Store
from weakorg.tables import FileResult, returns_from_files


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'weakorg.db'}")


def refused(name="简历.docx") -> FileResult:
    return FileResult(name, "cd" * 32, 9, status="rejected", reason="NOT_SPREADSHEET", message="该文件不是电子表格。")


def test_recognised_names_unit_categories_forms_and_rows():
    fr = file_result(tables=[f1_table(), f1_table(category="学校"), f2_table()])
    res = app.UploadResult(fr, [finding("SMALL_BRANCH", "党员少于3人", file=fr.name)])
    assert res.recognised() == {
        "文件": "娄星区.xlsx",
        "状态": "可读取",
        "填报单位": "娄星区",
        "党组织类别": "农村、学校",
        "表格": "附件1、附件2",
        "行数": 2,
        "错误": 0,
        "警告": 1,
    }
    summary = app.UploadResult(file_result(tables=[f1_table()])).recognised()
    assert summary["行数"] is None  # a 附件1 has no lines to count: blank, not 0


def test_recognised_refusal_gives_the_chinese_reason():
    res = app.UploadResult(refused())
    assert res.recognised() == {
        "文件": "简历.docx",
        "状态": "已拒收",
        "填报单位": "——",
        "党组织类别": "——",
        "表格": "——",
        "说明": "该文件不是电子表格。",
    }
    assert not res.ok


def test_batch_findings_go_to_their_file_or_to_the_files_of_their_unit():
    a = file_result("a.xlsx", unit="娄星区")
    b = file_result("b.xlsx", unit="双峰县")
    own = finding("SMALL_BRANCH", "党员少于3人", file="b.xlsx")
    cross = finding("LIST_COUNT_MISMATCH", "行数不符", unit="娄星区")
    nowhere = finding("UNKNOWN_UNIT", "未知单位", unit="火星区")
    got = app._attribute([a, b], [own, cross, nowhere])
    assert got[0] == [*a.findings, cross]
    assert got[1] == [*b.findings, own]


def test_save_uploads_stores_readable_files_with_their_findings(store):
    fr = file_result()
    check = finding("SMALL_BRANCH", "党员少于3人", file=fr.name, cell="C6")
    ids = app.save_uploads(store, [app.UploadResult(fr, [*fr.findings, check]), app.UploadResult(refused())], "甲")
    assert ids == store.submissions()["id"].tolist()
    found = store.findings(ids[0])
    assert found["rule"].tolist() == ["DATE_INVALID", "SMALL_BRANCH"]
    assert found["source"].tolist() == ["read", "check"]
    assert app.save_uploads(store, [app.UploadResult(fr, [check])]) == ids  # the same file again: nothing new


def test_save_uploads_stores_the_others_when_one_file_fails_then_says_why(store):
    bad = file_result("双峰县.xlsx", tables=[f2_table("双峰县")], unit="双峰县")
    bad.tables[0].rows["accepted_on"] = "四月底"  # text in a date column
    good = file_result()
    with pytest.raises(ValueError, match="not a date"):
        app.save_uploads(store, [app.UploadResult(bad), app.UploadResult(good)])
    assert store.submissions()["name"].tolist() == [good.name]
    assert {f.unit for f in app.picture(store).findings} <= {"娄星区"}  # the picture holds the stored file only


def test_no_samples_no_load(store, tmp_path):
    assert app.load_samples_if_empty(store, tmp_path / "missing", demo=True) == []
    assert store.is_empty()


def test_samples_not_loaded_into_a_store_that_has_data(store):
    store.add(file_result())
    assert app.load_samples_if_empty(store, demo=True) == []
    assert len(store.submissions()) == 1


def fake_picture(**city) -> SimpleNamespace:
    by_unit = pd.DataFrame(
        {"unit": ["娄星区", "双峰县"], "orgs_total": [200, 300], "weak_total": [12, 15], "weak_share": [6.0, 5.0]}
        | {f"c{n}": [n, n + 1] for n in range(1, 7)}
    )
    return SimpleNamespace(city=city, by_unit=by_unit, weak_orgs=pd.DataFrame())


def test_unit_table_has_chinese_headers_and_the_numbers():
    table = app.unit_table(fake_picture())
    assert list(table.columns[:4]) == ["填报单位", "所辖基层党组织", "软弱涣散基层党组织", "占比（%）"]
    assert list(table.columns[4:]) == [
        "班子不齐/书记缺职",
        "书记不胜任",
        "班子不团结",
        "长期不换届",
        "制度虚设/不开展活动",
        "服务差/满意率低",
    ]
    assert table["软弱涣散基层党组织"].tolist() == [12, 15]
    assert table["书记不胜任"].tolist() == [2, 3]


def test_findings_table_in_chinese():
    f = finding(
        "PHONE_INVALID", "联系方式“123”不是手机号或固定电话", file="a.xlsx", sheet="附件2", cell="F6", org="甲村"
    )
    table = app.findings_table([f])
    assert list(table.columns) == ["严重程度", "规则", "工作表", "单元格", "说明", "党组织"]  # no code; where first
    assert table.iloc[0].tolist() == [
        "警告",
        "联系方式既不是手机号也不是固定电话",
        "附件2",
        "F6",
        f.message,
        "甲村",
    ]
    assert app.findings_table([]).empty


def test_submissions_table_newest_first_in_chinese(store):
    first = store.add(file_result("a.xlsx"))
    second = store.add(file_result("b.xlsx", tables=[f2_table()]))
    table = app.submissions_table(store)
    assert table["编号"].tolist() == [second, first]
    assert table["表格"].tolist() == ["附件2", "附件1、附件2"]
    assert table["党组织类别"].tolist() == ["", "农村、学校"]
    assert table["上传时警告"].tolist() == [1, 1]  # as found at upload: what stands now is 报送情况's
    assert app.submissions_table(store, scope={"双峰县"}).empty


def test_unit_options_put_campaign_units_first(store):
    store.add(file_result("x.xlsx", unit="火星区"))
    options = app.unit_options(store)
    assert options[0] == "娄星区" and options[-1] == "火星区"
    assert app.unit_options(store, scope={"双峰县"}) == ["双峰县"]
    assert app.category_options()[0] == "农村"


def test_upload_table_has_one_row_per_file():
    table = app.upload_table([app.UploadResult(file_result()), app.UploadResult(refused())])
    assert table["文件"].tolist() == ["娄星区.xlsx", "简历.docx"]
    assert table["状态"].tolist() == ["可读取", "已拒收"]
    assert table["表格"].tolist()[0] == "附件1、附件2"
    assert table["说明"].tolist()[1] == "该文件不是电子表格。"


def test_picture_of_the_store_is_the_consolidated_latest_returns(store):
    from tests.test_store import f3_table

    store.add(file_result("a.xlsx", tables=[f1_table(), f1_table(category="学校", total=40.0, weak=2.0), f3_table()]))
    store.add(file_result("b.xlsx", unit="双峰县", tables=[f1_table("双峰县", total=300.0, weak=9.0)]))
    pic = app.picture(store)
    assert pic.city["orgs_total"] == 120 + 40 + 300 and pic.city["weak_total"] == 6 + 2 + 9
    assert pic.city["units_reported"] == 2 and pic.city["villages"] == 2 and pic.city["villages_elected"] == 1
    only = app.picture(store, units=["双峰县"])
    assert [m.value for m in counts.headline(only)][:4] == ["1/1", "300", "9", "3.00%"]
    schools = app.picture(store, categories=["学校"])
    assert schools.city["weak_total"] == 2 and schools.city["villages"] == 0
    scoped = app.picture(store, scope={"娄星区"})
    assert scoped.city["weak_total"] == 8 and [f["path"] for f in scoped.files] == ["a.xlsx"]
    table = app.unit_table(pic)
    assert table["软弱涣散基层党组织"].tolist() == [8, 9] and table["占比（%）"].tolist() == [5.0, 3.0]


def test_samples_through_the_store_give_the_same_picture_as_read_directly(store):
    from weakorg.consolidate import consolidate
    from weakorg.read import read_files
    from weakorg.sample import plan

    ids = app.load_samples_if_empty(store, demo=True)
    paths = app.sample_files()
    assert len(ids) == len(paths) > 0
    assert app.load_samples_if_empty(store, demo=True) == []  # not empty any more: nothing loaded twice

    stored = app.picture(store)
    direct = consolidate(returns_from_files(read_files(paths)))
    expected = plan().expected_totals()
    assert {k: stored.city[k] for k in expected["city"]} == expected["city"]
    assert stored.city == direct.city
    assert stored.city["villages"] == expected["f3_villages"]
    assert stored.city["villages_elected"] == expected["f3_elections_done"]
    assert len(stored.weak_orgs) == expected["f2_orgs"]
    pd.testing.assert_frame_equal(stored.summary, direct.summary)
    pd.testing.assert_frame_equal(stored.by_unit, direct.by_unit)
    assert sorted(f.rule for f in stored.findings) == sorted(f.rule for f in direct.findings)


@pytest.mark.parametrize(
    ("scope", "units", "categories"),
    [
        (None, ["娄星区"], None),
        (None, ["新化县", "双峰县", "无此县"], ["农村", "学校"]),
        ({"娄星区", "冷水江市"}, ["冷水江市", "双峰县"], None),
    ],
)
def test_a_picture_of_some_units_reads_only_them_and_equals_the_whole_filtered(store, scope, units, categories):
    from weakorg.consolidate import filter_picture

    app.load_samples_if_empty(store, demo=True)
    narrowed = app.picture(store, scope=scope, units=units, categories=categories)
    whole = filter_picture(app.picture(store, scope=scope), units=units, categories=categories)
    assert narrowed.city == whole.city and narrowed.units == whole.units
    for name in ("summary", "weak_orgs", "villages", "by_category", "by_unit"):
        pd.testing.assert_frame_equal(getattr(narrowed, name), getattr(whole, name), check_dtype=False)
    assert sorted(map(repr, narrowed.findings)) == sorted(map(repr, whole.findings))
    assert narrowed.files == whole.files


def test_process_uploads_reads_checks_and_refuses(store):
    paths = app.sample_files()[:2]
    uploads = [(p.name, p.read_bytes()) for p in paths] + [("说明.xlsx", b"%PDF-1.4 not a workbook")]
    results = app.process_uploads(uploads)
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].file.reason == "NOT_SPREADSHEET" and results[2].recognised()["状态"] == "已拒收"
    assert all(r.file.content == data for r, (_, data) in zip(results, uploads, strict=True) if r.ok)
    ids = app.save_uploads(store, results)
    assert len(ids) == 2
    stored = store.findings()
    for sid, r in zip(ids, results[:2], strict=True):
        assert sorted(store.findings(sid)["rule"]) == sorted(f.rule for f in r.findings)
    assert len(stored) == sum(len(r.findings) for r in results[:2])


def test_process_uploads_reports_progress_once_per_file_in_order():
    paths = app.sample_files()[:3]
    uploads = [(p.name, p.read_bytes()) for p in paths] + [("说明.xlsx", b"%PDF-1.4 not a workbook")]
    heard = []
    results = app.process_uploads(uploads, on_progress=lambda *args: heard.append(args))
    assert heard == [(k, 4, name) for k, (name, _) in enumerate(uploads, 1)]
    assert [r.name for r in results] == [name for name, _ in uploads]


def test_save_each_stores_file_by_file_and_reports_what_became_of_each(store):
    paths = app.sample_files()[:3]
    results = app.process_uploads([(p.name, p.read_bytes()) for p in paths] + [("说明.xlsx", b"%PDF-1.4 x")])
    broken = app.UploadResult(replace(results[1].file, name="坏文件.xlsx", sha256="", content=None))
    batch = [results[0], broken, results[3], results[2]]
    heard = []
    report = app.save_each(store, batch, "甲", on_progress=lambda *args: heard.append(args))
    assert heard == [(k, 3, r.name) for k, r in enumerate([results[0], broken, results[2]], 1)]  # readable files
    assert report.saved == [paths[0].name, paths[2].name] and report.stored_before == []
    assert report.refused == ["说明.xlsx"]
    assert [name for name, _ in report.failed] == ["坏文件.xlsx"]  # named, and the file after it still stored
    assert sorted(store.submissions()["name"]) == sorted(report.saved)
    assert report.ids == store.submissions()["id"].tolist()
    assert report.summary() == "部分保存：新保存 2 个文件，此前已保存 0 个，已拒收未保存 1 个，保存失败 1 个。"

    again = app.save_each(store, results)
    assert again.saved == [paths[1].name] and again.stored_before == [paths[0].name, paths[2].name]
    assert again.summary() == "保存完成：新保存 1 个文件，此前已保存 2 个，已拒收未保存 1 个。"
    same = app.save_each(store, results)  # nothing new: not said to be done
    assert not same.changed()
    assert same.summary() == "没有保存新文件：新保存 0 个文件，此前已保存 3 个，已拒收未保存 1 个。"


def test_save_each_says_so_when_nothing_could_be_saved(store):
    results = app.process_uploads([(p.name, p.read_bytes()) for p in app.sample_files()[:1]])
    broken = app.UploadResult(replace(results[0].file, name="坏文件.xlsx", sha256="", content=None))
    report = app.save_each(store, [broken])
    assert report.summary() == "保存失败：新保存 0 个文件，此前已保存 0 个，已拒收未保存 0 个，保存失败 1 个。"
    [(name, why)] = report.failed
    assert name == "坏文件.xlsx" and "未保存" in why and store.submissions().empty


def test_upload_table_filters_and_the_files_to_look_into():
    paths = [p for p in app.sample_files() if p.name.startswith(("涟源市-第3次", "双峰县-第1次"))]
    uploads = [(p.name, p.read_bytes()) for p in paths] + [("说明.xlsx", b"%PDF-1.4 x")]
    results = app.process_uploads(uploads)
    table = app.upload_table(results)
    assert app.select_uploads(table).equals(table)
    assert app.select_uploads(table, "已拒收")["文件"].tolist() == ["说明.xlsx"]
    with_errors = [r.name for r in results if r.ok and r.errors]
    assert app.select_uploads(table, "有错误")["文件"].tolist() == with_errors and with_errors
    assert app.select_uploads(table, search="涟源")["文件"].tolist() == [p.name for p in paths if "涟源" in p.name]
    assert app.select_uploads(table, "无问题", "说明").empty
    problems = app.problem_uploads(results)
    assert {r.name for r in problems} == {r.name for r in results if not r.ok or r.findings}
    assert [r.file.unit or "" for r in problems] == sorted(r.file.unit or "" for r in problems)
    assert app.upload_label(problems[0]) == "单位未识别 · 说明.xlsx：已拒收"
    ok = len([r for r in results if r.ok])
    assert app.upload_summary(results).startswith(f"共 {len(uploads)} 个文件：可读取 {ok} 个（有错误 ")
    assert app.upload_summary(results).endswith("已拒收 1 个。")


def test_sendback_gives_the_findings_list_and_the_annotated_copy():
    path = next(p for p in app.sample_files() if p.name.startswith("涟源市-第3次"))
    [result] = app.process_uploads([(path.name, path.read_bytes())])
    assert {"BREAKDOWN_SUM", "MEMBERS_INVALID"} <= {f.rule for f in result.findings}
    (l1, listed, n1), (l2, annotated, n2) = app.sendback(result)
    assert (l1, l2) == (app.SENDBACK_LIST, app.SENDBACK_ANNOTATED)
    assert n1 == f"{path.stem}-问题清单.xlsx" and n2 == f"{path.stem}-批注.xlsx"
    assert len(list(load_workbook(io.BytesIO(listed)).active.values)) == len(result.findings) + 1
    wb = load_workbook(io.BytesIO(annotated))
    breakdown = next(f for f in result.findings if f.rule == "BREAKDOWN_SUM")
    assert breakdown.message in wb[breakdown.sheet][breakdown.cell].comment.text


def test_a_csv_named_xlsx_sends_back_its_list_alone():
    path = next(p for p in app.sample_files() if p.name.startswith("娄星区-第3次-附件2"))
    rows = [
        ["" if v is None else str(v) for v in r] for r in load_workbook(path).worksheets[0].iter_rows(values_only=True)
    ]
    rows[4][2] = "若干"  # 党员数: an error to send back
    content = "\n".join(",".join(r) for r in rows).encode("utf-8-sig")
    [result] = app.process_uploads([(path.name, content)])  # a CSV named .xlsx: read by its content
    assert result.ok and result.findings
    [(label, listed, name)] = app.sendback(result)  # no annotated copy, and no crash
    assert label == app.SENDBACK_LIST and name == f"{path.stem}-问题清单.xlsx"
    assert "若干" in str(list(load_workbook(io.BytesIO(listed)).active.values))
    with zipfile.ZipFile(io.BytesIO(app.sendback_zip([result]))) as z:
        assert [n.rsplit("/", 1)[-1] for n in z.namelist()] == [name]


def test_every_problem_files_send_back_in_one_zip_a_folder_per_unit():
    paths = [p for p in app.sample_files() if "第3次" in p.name]
    uploads = [(p.name, p.read_bytes()) for p in paths] + [("说明.xlsx", b"%PDF-1.4")]
    uploads.append((paths[0].name, paths[0].read_bytes()))  # the same name twice: both kept
    problems = app.problem_uploads(app.process_uploads(uploads))
    with zipfile.ZipFile(io.BytesIO(app.sendback_zip(problems))) as z:
        names = z.namelist()
        expected = [f"{r.unit_text}/{name}" for r in problems for _, _, name in app.sendback(r)]
        assert len(names) == len(expected) == len(set(names)) and len(names) > 4
        assert {n.split("/")[0] for n in names} == {r.unit_text for r in problems}  # a folder per unit
        assert "单位未识别/说明-问题清单.xlsx" in names  # a refused file: why, as a list
        listed = next(n for n in names if n.endswith("-问题清单.xlsx") and not n.startswith("单位未识别"))
        assert load_workbook(io.BytesIO(z.read(listed))).active.max_row > 1


def test_nothing_to_send_back_for_a_clean_file():
    path = next(p for p in app.sample_files() if p.name.startswith("涟源市-第3次"))
    [result] = app.process_uploads([(path.name, path.read_bytes())])
    assert app.sendback(app.UploadResult(result.file, [])) == []


def test_a_unit_is_read_from_a_file_name_by_its_aliases():
    assert app.unit_in_name("娄星区-第1次-附件3-难点村-20140310.xlsx") == "娄星区"
    assert app.unit_in_name("中共双峰县委组织部 报表.xls") == "双峰县"
    assert app.unit_in_name("经开区党工委（盖章）.xlsx") == "娄底经济技术开发区"
    assert app.unit_in_name("ＬＸ娄底经济技术开发区.csv") == "娄底经济技术开发区"  # one unit, however many aliases
    assert app.unit_in_name("说明.xlsx") is None
    assert app.unit_in_name("娄星区与双峰县合报.xlsx") is None  # two units: none is guessed


def test_a_refused_file_counts_for_the_unit_its_name_shows_and_is_sent_back():
    path = next(p for p in app.sample_files() if p.name.startswith("涟源市-第3次"))
    uploads = [(path.name, path.read_bytes()), ("涟源市-附件2.xlsx", b"%PDF-1.4 a renamed pdf"), ("说明.xlsx", b"")]
    results = app.process_uploads(uploads)
    good, refused, nameless = results
    assert not refused.ok and not nameless.ok
    assert (refused.unit, nameless.unit) == ("涟源市", None)

    listed = app.upload_table(results).set_index("文件")
    assert listed.loc["涟源市-附件2.xlsx", "填报单位"] == "涟源市"
    assert listed.loc["涟源市-附件2.xlsx", "说明"] == refused.file.message and refused.file.message
    assert listed.loc["说明.xlsx", "填报单位"] == "——"
    assert app.upload_label(refused) == "涟源市 · 涟源市-附件2.xlsx：已拒收"
    assert app.upload_label(nameless) == "单位未识别 · 说明.xlsx：已拒收"
    assert [r.unit or "" for r in app.problem_uploads(results)] == ["", "涟源市", "涟源市"]

    table = app.unit_findings_table(results).set_index("填报单位")
    assert list(table.columns) == ["文件数", "错误", "警告", "提示", "拒收文件"]
    assert table.loc["涟源市", "文件数"] == 2 and table.loc["涟源市", "拒收文件"] == 1
    assert table.loc["涟源市", "错误"] == good.errors > 0
    assert table.loc["（未识别）"].tolist() == [1, 0, 0, 0, 1]

    [(label, data, name)] = app.sendback(refused)  # the reason, as a list like any other file's findings
    assert (label, name) == (app.SENDBACK_LIST, "涟源市-附件2-问题清单.xlsx")
    header, row = load_workbook(io.BytesIO(data)).active.values
    shown = dict(zip(header, row, strict=True))
    assert shown["填报单位"] == "涟源市" and shown["文件"] == "涟源市-附件2.xlsx"
    assert shown["说明"] == refused.file.message and shown["严重程度"] == "错误"
    assert len(app.sendback(nameless)) == 1


def test_findings_per_unit_each_once_and_filtered():
    paths = [p for p in app.sample_files() if "第3次" in p.name and p.name.startswith(("冷水江市", "涟源市"))]
    results = app.process_uploads([(p.name, p.read_bytes()) for p in paths])
    found = app.batch_findings(results)
    assert len(found) == len(set(found)) and set(found) == {f for r in results for f in r.findings}
    table = app.unit_findings_table(results)
    assert list(table.columns) == ["填报单位", "文件数", "错误", "警告", "提示", "拒收文件"]
    assert table["错误"].sum() + table["警告"].sum() + table["提示"].sum() == len(found)
    lianyuan = table.set_index("填报单位").loc["涟源市"]
    assert lianyuan["文件数"] == 1 and lianyuan["错误"] == sum(
        f.severity == "error" and f.unit == "涟源市" for f in found
    )
    errors = app.select_findings(found, ["error"])
    assert errors and {f.severity for f in errors} == {"error"}
    assert app.select_findings(found, None, ["BREAKDOWN_SUM"]) == [f for f in found if f.rule == "BREAKDOWN_SUM"]
    assert app.select_findings(found) == found


def test_explanations_beside_findings_and_only_warnings_explainable():
    warn = finding("SMALL_BRANCH", "只有2名党员。", file="a.xlsx", sheet="附件2", cell="C5", unit="娄星区")
    err = finding("MEMBERS_INVALID", "党员数缺失。", file="a.xlsx", sheet="附件2", cell="C6", unit="娄星区")
    assert app.explainable([err, warn, warn]) == [warn]
    about_unit = finding("ORG_DROPPED", "…", unit="娄星区")  # no one file
    assert app.explainable([warn, about_unit], standing={"b.xlsx"}) == [about_unit]  # a.xlsx was replaced
    explained = pd.DataFrame([{**{k: getattr(warn, k) for k in app.EXPLANATION_KEYS}, "reason": "新建支部。"}])
    table = app.findings_table([warn, err], explained)
    assert table[app.EXPLAINED_HEADER].tolist() == ["已说明：新建支部。", ""]  # an error: blank, never None
    assert app.EXPLAINED_HEADER not in app.findings_table([warn]).columns
    other = replace(warn, cell="C7")
    assert app.findings_table([other], explained)[app.EXPLAINED_HEADER].tolist() == ["未说明"]
    assert app.warning_counts([warn, other, err, warn], explained) == (1, 1)
    assert app.warning_counts_text([warn, other], explained) == "警告 2 条：未说明 1 条，已说明 1 条。"
    assert app.warning_counts_text([err], explained) == ""
    who = explained.assign(explained_by="zhang", explained_at=pd.Timestamp("2014-04-02 09:30"))  # UTC
    assert app.findings_table([warn], who)[app.EXPLAINED_HEADER].tolist() == [
        "已说明：新建支部。（zhang，2014-04-02 17:30）"
    ]
    assert app.finding_label(warn) == "娄星区 · a.xlsx · 附件2!C5 · 党支部党员少于3人 · 只有2名党员。"


def test_uploads_are_checked_with_the_stored_returns_of_their_units(store):
    paths = app.sample_files()
    first = [p for p in paths if p.name.startswith("娄星区-第1次")]
    later = [(p.name, p.read_bytes()) for p in paths if p.name.startswith("娄星区-第2次")]
    assert first and later
    alone = app.batch_findings(app.process_uploads(later))
    assert any(f.rule == "LATE_SUBMISSION" for f in alone)  # on its own, a later round looks like a late first return

    app.save_uploads(store, app.process_uploads([(p.name, p.read_bytes()) for p in first]))
    results = app.process_uploads(later, store=store)
    found = app.batch_findings(results)
    assert not any(f.rule == "LATE_SUBMISSION" for f in found)
    names = {name for name, _ in later}
    assert all(f.file in names or f.file is None for f in found)  # nothing about the stored files themselves


def test_save_preview_says_per_unit_what_the_batch_replaces_and_how_its_figures_change(store):
    from tests.test_store import f3_table
    from weakorg.preview import PREVIEW_HEADERS, save_preview

    first = store.add(file_result("第1次.xlsx", tables=[f1_table(weak=6.0), f2_table(), f3_table()]))
    later = date(2014, 4, 20)
    second = file_result("第2次.xlsx", tables=[f1_table(weak=9.0, day=later), f2_table(day=later)])
    other = file_result("双峰县.xlsx", tables=[f1_table("双峰县", weak=4.0)], unit="双峰县")
    bad = finding("MEMBERS_INVALID", "党员数“若干”不是数字。", file="双峰县.xlsx", unit="双峰县")
    results = [app.UploadResult(second), app.UploadResult(other, [bad]), app.UploadResult(refused())]

    table = save_preview(store, results).set_index(PREVIEW_HEADERS[0])
    assert list(table.index) == ["双峰县", "娄星区"]
    row = table.loc["娄星区"]
    assert row["本次文件"] == "第2次.xlsx" and row["替换的报送"] == f"#{first} 第1次.xlsx：附件1（农村）、附件2（农村）"
    assert row[PREVIEW_HEADERS[3]] == "6 → 9"  # 软弱涣散: the 农村 table of the later round stands
    assert row["难点村"] == "2 → 2"  # the 附件3 of the first return still stands (none sent now)
    assert row["有错误的文件"] == ""
    assert (table.loc["双峰县", PREVIEW_HEADERS[3]], table.loc["双峰县", "替换的报送"]) == ("—— → 4", "")
    assert table.loc["双峰县", "有错误的文件"] == "双峰县.xlsx"

    store.add(second)  # saved: the same bytes again replace nothing and change nothing
    again = save_preview(store, [app.UploadResult(second)]).set_index(PREVIEW_HEADERS[0]).loc["娄星区"]
    assert again["本次文件"] == "第2次.xlsx（此前已保存）" and again["替换的报送"] == ""
    assert again[PREVIEW_HEADERS[3]] == "9 → 9"
    # the same again beside a new file of another unit: saving changes nothing of 娄星区 (it said 9 → ——, 2 → 0)
    both = save_preview(store, [app.UploadResult(second), app.UploadResult(other)]).set_index(PREVIEW_HEADERS[0])
    assert tuple(both.loc["娄星区", [PREVIEW_HEADERS[3], "一览表所列数", "难点村"]]) == ("9 → 9", "2 → 2", "2 → 2")
    assert both.loc["娄星区", "替换的报送"] == "" and both.loc["双峰县", PREVIEW_HEADERS[3]] == "—— → 4"
    assert save_preview(store, [app.UploadResult(refused())]).empty

    future = date(2099, 1, 1)
    wrong = file_result("2099.xlsx", tables=[f1_table(weak=30.0, day=future), f2_table(day=future)])
    held = save_preview(store, [app.UploadResult(wrong)], today=date(2014, 5, 1)).iloc[0]
    assert held["本次文件"] == "2099.xlsx（填表时间待确认，确认前不生效）"
    assert (held[PREVIEW_HEADERS[3]], held["替换的报送"]) == ("9 → 9", "")  # it replaces nothing until confirmed


def test_save_preview_says_the_progress_a_correction_makes_and_that_a_withdrawn_file_would_stand_again(store):
    from weakorg.preview import REINSTATED, save_preview
    from weakorg.vocab import DONE_LABEL

    first = file_result("第2次.xlsx", tables=[f2_table()])
    sid = store.add(first)
    done = f2_table()
    done.rows.loc[0, "status"] = "已转化"  # the same date: a progress correction of one organization
    fixed = file_result("第2次（更正）.xlsx", tables=[done])
    row = save_preview(store, [app.UploadResult(fixed)]).iloc[0]
    assert (row[DONE_LABEL], row["一览表所列数"]) == ("0 → 1", "2 → 2")  # what the correction is for, said
    store.withdraw(sid, "上传错了")
    back = save_preview(store, [app.UploadResult(first)]).iloc[0]
    assert back["本次文件"] == f"第2次.xlsx{REINSTATED}" and back["一览表所列数"] == "0 → 2"


def test_a_correction_of_one_category_of_a_register_says_what_it_replaces_and_the_lines_it_leaves(store):
    """A later file of the same round replaces the register's lines of its categories only: said before saving, with
    the 一览表's lines now → after (a fresh analyst saw 44 lines fall to 23 with nothing said)."""
    from weakorg.preview import PREVIEW_HEADERS, save_preview

    rural, school = f2_table(names=("甲村党支部", "乙村党支部", "丙村党支部")), f2_table(names=("一中党支部",))
    school.rows["category"] = "学校"
    first = store.add(file_result("第1次.xlsx", tables=[f1_table(weak=4.0), rural, school]))
    fixed = file_result("第1次（更正）.xlsx", tables=[f2_table(names=("甲村党支部",))])  # 农村 only, the same date
    row = save_preview(store, [app.UploadResult(fixed)]).set_index(PREVIEW_HEADERS[0]).loc["娄星区"]
    assert row["替换的报送"] == f"#{first} 第1次.xlsx：附件2（农村）"  # not 学校: its line still stands
    assert row["一览表所列数"] == "4 → 2"
    assert row[PREVIEW_HEADERS[3]] == "4 → 4"  # 附件1 is not in the file


def test_a_stored_return_of_the_same_date_is_said_replaced_on_the_file_uploaded_not_on_the_same_file_again(store):
    from weakorg.campaign import default_campaign

    first = file_result("第2次.xlsx", tables=[f2_table(names=("甲村党支部", "乙村党支部"))])
    store.add(first)
    fixed = file_result("第2次（更正）.xlsx", tables=[f2_table(names=("甲村党支部",))])  # the same unit, form and date
    found = [f for f in app.check_batch([fixed], default_campaign(), store) if f.rule == "DUPLICATE_SUBMISSION"]
    assert [(f.file, f.unit, f.form) for f in found] == [("第2次（更正）.xlsx", "娄星区", "F2")]  # said to this upload
    assert "已保存过" in found[0].message and "“第2次.xlsx”不再计入" in found[0].message
    again = [f for f in app.check_batch([first], default_campaign(), store) if f.rule == "DUPLICATE_SUBMISSION"]
    assert again == []  # the very file stored before is not its own duplicate
    store.add(fixed)  # stored: 第2次.xlsx no longer counts; a third copy replaces 第2次（更正） alone
    third = file_result("第2次（再更正）.xlsx", tables=[f2_table(names=("乙村党支部",))])
    found = [f for f in app.check_batch([third], default_campaign(), store) if f.rule == "DUPLICATE_SUBMISSION"]
    assert len(found) == 1 and "“第2次（更正）.xlsx”不再计入" in found[0].message


def test_a_file_listing_another_units_stored_organizations_is_flagged_before_saving(store):
    from weakorg.campaign import default_campaign

    store.add(file_result("双峰县.xlsx", tables=[f2_table("双峰县", ("甲村党支部", "丙村党支部"))], unit="双峰县"))
    wrong = file_result("娄星区-附件2.xlsx", tables=[f2_table("娄星区", ("甲村党支部", "丙村党支部"))])
    found = [f for f in app.check_batch([wrong], default_campaign(), store) if f.rule == "UNIT_MISMATCH"]
    assert [(f.file, f.unit, f.org) for f in found] == [("娄星区-附件2.xlsx", "娄星区", "甲村党支部")]
    assert "表头的填报单位为娄星区，但其中2个党组织已由双峰县报送过" in found[0].message
    right = file_result("娄星区-附件2-正确.xlsx", tables=[f2_table("娄星区", ("戊村党支部", "丙村党支部"))])
    assert [f for f in app.check_batch([right], default_campaign(), store) if f.rule == "UNIT_MISMATCH"] == []


def test_an_organization_another_unit_already_lists_is_a_duplicate_before_saving(store):
    from weakorg.campaign import default_campaign

    stored = ("杉山镇甲村党支部", "杉山镇丙村党支部", "丁村党支部")
    store.add(file_result("双峰县.xlsx", tables=[f2_table("双峰县", stored)], unit="双峰县"))
    mine = ("杉山镇甲村党支部", "戊村党支部", "己村党支部", "丁村党支部")  # one told by its town, one generic
    batch = file_result("娄星区-附件2.xlsx", tables=[f2_table("娄星区", mine)])
    found = [f for f in app.check_batch([batch], default_campaign(), store) if f.rule == "DUPLICATE_ORG"]
    assert [(f.file, f.unit, f.org) for f in found] == [("娄星区-附件2.xlsx", "娄星区", "杉山镇甲村党支部")]
    assert "已列在双峰县报送的附件2一览表中" in found[0].message
    wrong = file_result("娄星区-错.xlsx", tables=[f2_table("娄星区", stored[:2])], salt="all of them")
    found = app.check_batch([wrong], default_campaign(), store)  # a file all of whose organizations are another's
    assert {f.rule for f in found if f.org in stored} & {"UNIT_MISMATCH", "DUPLICATE_ORG"} == {"UNIT_MISMATCH"}


def test_a_file_whose_contents_name_no_unit_counts_for_the_unit_its_name_shows():
    from weakorg.export.forms import add_sheet, new_workbook, workbook_bytes, write_f2

    wb = new_workbook()
    line = {"name": "白马村党支部", "members": 25, "problems": "书记长期外出", "secretary": "张三"}
    write_f2(add_sheet(wb, "附件2"), "", date(2014, 3, 10), [line])  # the header's 填报单位 left blank
    [result] = app.process_uploads([("双峰县-附件2.xlsx", workbook_bytes(wb))])
    assert result.ok and result.file.unit is None and result.unit == "双峰县"
    assert [f.rule for f in result.findings] == ["UNKNOWN_UNIT"]  # the clerk still fills it in
    assert app.upload_table([result])["填报单位"].tolist() == ["双峰县"]
    assert app.unit_findings_table([result]).iloc[0].tolist() == ["双峰县", 1, 1, 0, 0, 0]
    assert app.upload_label(result) == "双峰县 · 双峰县-附件2.xlsx：可读取（错误 1，警告 0）"
    assert [label for label, _, _ in app.sendback(result)] == [app.SENDBACK_LIST, app.SENDBACK_ANNOTATED]


def test_a_sentence_names_a_few_files_and_counts_the_rest():
    """A batch of a city's returns held back for errors: five named, then how many (the list ran off the screen)."""
    names = [f"县{i:02d}.xlsx" for i in range(35)]
    assert app.some_names(names) == "县00.xlsx、县01.xlsx、县02.xlsx、县03.xlsx、县04.xlsx等35个"
    assert app.some_names(names[:2]) == "县00.xlsx、县01.xlsx"
    said = app.held_back_text(names, "仍然保存")
    assert said.startswith("有错误未保存 35 个：县00.xlsx") and "等35个" in said and "县34" not in said


def test_the_review_list_reads_each_text_once_across_restarts(store):
    from weakorg import criteria, review
    from weakorg.store import schema
    from weakorg.store.readings import encode, text_key

    assert app.load_samples_if_empty(store, demo=True)
    pic = app.picture(store)
    criteria.forget()  # a restart: what the store kept is all there is
    listed = app.review_items(store, pic)
    assert listed.equals(review.items(pic.weak_orgs, store.standing_corrections()))  # the list as it always was
    texts = pic.weak_orgs["problems"].dropna().unique()
    assert set(store.kept_readings(texts)) == set(texts)  # each text kept
    marked = texts[0]  # a kept reading is what the next process shows: mark one
    with store.writer.begin() as conn:
        conn.execute(
            schema.readings.update()
            .where(schema.readings.c.text_hash == text_key(marked))
            .values(reading=encode(criteria.Classification(confidence=criteria.PENDING, doubt="标记")))
        )
    criteria.forget()
    again = app.review_items(store, pic)
    assert again.loc[again["problems"] == marked, "doubt"].tolist()[0] == "标记"
    criteria.forget()


def test_a_phone_written_as_the_unit_is_masked_wherever_the_file_is_listed(tmp_path):
    from weakorg.export.forms import add_sheet, new_workbook, workbook_bytes, write_f2

    wb = new_workbook()
    line = {"name": "白马村党支部", "members": 25, "problems": "书记长期外出", "secretary": "张三"}
    write_f2(add_sheet(wb, "附件2"), "王秀英13912345678", date(2014, 3, 10), [line])
    [result] = app.process_uploads([("附件2.xlsx", workbook_bytes(wb))])
    assert result.file.unit == result.unit == "王秀英139****5678"
    listed = [
        *app.upload_table([result])["填报单位"],
        app.upload_label(result),
        *(f.message for f in result.findings),
        *zipfile.ZipFile(io.BytesIO(app.sendback_zip([result]))).namelist(),
    ]
    assert not [text for text in listed if "13912345678" in text], listed
