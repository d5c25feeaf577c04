"""上传与校验 at scale under AppTest: a batch of many returns read once, listed as a table, saved file by file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from test_pages import navigation_app, start  # noqa: F401  (the fixture makes AppTest run the router)

from weakorg import app, corrections, preview
from weakorg.read.guard import ReadLimits
from weakorg.store import Store
from weakorg.text import md_text

ROOT = Path(__file__).resolve().parent.parent
MANY = 60  # of the sample returns: every layout of the notice, files with errors and warnings among them
REFUSED = ("说明.xlsx", b"%PDF-1.4 a renamed pdf")


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")  # start with an empty store
    return url


def test_the_upload_limit_is_the_readers_own():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # The server counts MiB (so does the browser on Windows; elsewhere it counts 10^6 bytes and refuses a little more).
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == ReadLimits().max_bytes


def uploads() -> list[tuple[str, bytes]]:
    paths = app.sample_files(ROOT / "sample_data")[:MANY]
    assert len(paths) == MANY
    return [(p.name, p.read_bytes()) for p in paths] + [REFUSED]


def test_many_files_are_read_once_listed_filtered_and_saved_file_by_file(db_url):
    files = uploads()
    expected = app.process_uploads(files)
    at = start()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    limit = f"每个文件不超过 {ReadLimits().max_bytes // (1024 * 1024)}MB"
    assert any(limit in c.value for c in at.caption)  # the uploader's own (English) limit line is hidden

    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files]).run()
    assert not at.exception, at.exception
    assert not at.get("progress")  # the bar is gone once the batch is read and checked
    assert any(c.value == app.upload_summary(expected) for c in at.caption)
    listed = at.dataframe[0].value
    assert listed["文件"].tolist() == [name for name, _ in files]
    assert listed["错误"].fillna(0).tolist() == [r.errors for r in expected]
    assert not at.expander  # no expander per file: one table, and one file's details at a time
    problems = app.problem_uploads(expected)
    picker = at.selectbox(key="upload_file")
    assert picker.options == [app.upload_label(r) for r in problems]
    assert len(problems) < len(files)
    kept = at.session_state["_upload_batch"]

    at.radio(key="upload_show").set_value("已拒收").run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["文件"].tolist() == [REFUSED[0]]
    assert at.session_state["_upload_batch"] is kept  # a widget changed: the batch was not read again
    refused_at = next(i for i, r in enumerate(problems) if not r.ok)
    assert at.selectbox(key="upload_file").options == [app.upload_label(problems[refused_at])]  # the picker follows
    at.radio(key="upload_show").set_value("有错误").run()
    assert at.dataframe[0].value["文件"].tolist() == [r.name for r in expected if r.ok and r.errors > 0]
    assert at.selectbox(key="upload_file").options == [app.upload_label(r) for r in problems if r.ok and r.errors]
    at.text_input(key="upload_search").input("涟源市").run()
    assert at.dataframe[0].value["文件"].tolist() == [
        r.name for r in expected if r.ok and r.errors > 0 and "涟源市" in r.name
    ]
    at.text_input(key="upload_search").input("没有这个文件").run()
    assert not at.exception, at.exception
    assert app.NO_PROBLEM_SHOWN in [i.value for i in at.info] and all(s.key != "upload_file" for s in at.selectbox)
    at.text_input(key="upload_search").input("").run()

    with_errors = next(i for i, r in enumerate(problems) if r.ok and r.errors)
    at.selectbox(key="upload_file").set_value(with_errors).run()
    assert not at.exception, at.exception
    shown = at.dataframe[2].value
    assert shown["说明"].tolist() == app.findings_table(problems[with_errors].findings)["说明"].tolist()
    order = list(at.dataframe[2].proto.column_order)  # where each is, before the long sentences (in view at 1024 px)
    assert order[:4] == ["严重程度", "工作表", "单元格", "说明"]
    labels = [b.label for b in at.get("download_button")][1:]
    assert labels == [app.SENDBACK_LIST, app.SENDBACK_ANNOTATED, app.SENDBACK_ALL]  # and every file's, zipped

    with_errors = [r.name for r in expected if r.ok and r.errors]
    assert at.checkbox(key="upload_force").value is False  # saving files with errors is an explicit choice
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    assert not at.get("progress")
    good = MANY - len(with_errors)
    assert f"新保存 {good} 个文件，此前已保存 0 个，已拒收未保存 1 个。" in at.success[-1].value
    assert any(f"有错误未保存 {len(with_errors)} 个" in i.value for i in at.info)
    store = Store(db_url)
    assert sorted(store.submissions()["name"]) == sorted(r.name for r in expected if r.ok and not r.errors)

    at.checkbox(key="upload_force").check().run()
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    assert f"新保存 {len(with_errors)} 个文件，此前已保存 {good} 个，已拒收未保存 1 个。" in at.success[-1].value
    assert sorted(store.submissions()["name"]) == sorted(name for name, _ in files[:MANY])
    assert not any("默认不保存" in w.value for w in at.warning)  # saved as ticked: no longer said to be held back
    assert any(f"有错误的文件 {len(with_errors)} 个" in i.value and "已按勾选保存" in i.value for i in at.info)

    at.button(key="upload_save").click().run()  # the same batch again: nothing new, and not said in green
    assert not at.exception, at.exception
    assert not any("新保存 0 个文件" in s.value for s in at.success)
    nothing = f"没有保存新文件：新保存 0 个文件，此前已保存 {MANY} 个，已拒收未保存 1 个。"
    assert any(nothing in i.value for i in at.info)
    assert preview.PREVIEW_TODO in [c.value for c in at.caption]  # nor is the batch said to be saved now
    assert len(store.submissions()) == MANY


def test_a_crafted_file_name_is_said_back_as_text(db_url):
    name = "[点我](http://evil.invalid)<img src=http://evil.invalid/x.png>.xlsx"
    refused = app.process_uploads([(name, REFUSED[1])])[0]
    assert name in refused.file.message  # the refusal names the file
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(name, REFUSED[1], "application/octet-stream")]).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [md_text(refused.file.message)]
    assert "](http" not in at.error[0].value and "\\<img" in at.error[0].value


def test_the_preview_shows_the_change_and_a_saved_return_is_withdrawn_with_a_reason(db_url):
    from tests.test_store import file_result

    names = ("娄星区-第1次-附件3-难点村-20140310.xlsx", "娄星区-第2次-附件3-难点村-20140415.xlsx")
    first, second = (ROOT / "sample_data" / name for name in names)
    villages = [len(app.process_uploads([(p.name, p.read_bytes())])[0].file.tables[0].rows) for p in (first, second)]
    store = Store(db_url)
    (kept,) = app.save_each(store, app.process_uploads([(first.name, first.read_bytes())])).ids
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(second.name, second.read_bytes(), "application/octet-stream")]).run()
    assert not at.exception, at.exception
    drawn = next(d for d in at.dataframe if "替换的报送" in d.value.columns)
    assert list(drawn.proto.column_order)[1:5] == preview.FIGURES  # the figures before the file lists
    shown = drawn.value.iloc[0]
    assert (shown["填报单位"], shown["难点村"]) == ("娄星区", f"{villages[0]} → {villages[1]}")
    assert shown["替换的报送"] == f"#{kept} {first.name}：附件3"
    assert any(c.value == preview.PREVIEW_TODO for c in at.caption)
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    new = int(store.submissions()["id"].max())
    at.run()  # after the save, the table it was made by, said in the past
    assert any(c.value == preview.PREVIEW_DONE for c in at.caption)
    assert not any(c.value == preview.PREVIEW_TODO for c in at.caption)
    drawn = next(d for d in at.dataframe if "替换的报送" in d.value.columns)
    assert drawn.value.iloc[0]["替换的报送"] == f"#{kept} {first.name}：附件3"

    assert at.button(key="withdraw_save").disabled  # not before the analyst says it is sure
    assert at.selectbox(key="withdraw_pick").value is None  # nothing picked: the newest is not withdrawn by default
    at.checkbox(key="withdraw_sure").check().run()
    at.button(key="withdraw_save").click().run()
    assert "请先选择要撤回的报送" in at.warning[-1].value and not store.is_withdrawn(new)
    at.selectbox(key="withdraw_pick").set_value(kept).run()
    assert at.checkbox(key="withdraw_sure").value is False  # a tick is given for the return it names
    assert f"确认撤回#{kept} {first.name}" in at.checkbox(key="withdraw_sure").label
    at.checkbox(key="withdraw_sure").check().run()
    at.button(key="withdraw_save").click().run()  # no reason: refused, nothing withdrawn
    assert "请先填写撤回原因" in at.warning[-1].value and not store.is_withdrawn(kept)
    other = store.add(file_result("双峰县.xlsx", unit="双峰县"))  # saved meanwhile in another tab: the newest now
    at.run()
    assert at.selectbox(key="withdraw_pick").value == kept  # picked by its id: a new save does not move the pick
    at.selectbox(key="withdraw_pick").set_value(new).run()
    assert at.checkbox(key="withdraw_sure").value is False  # the tick given for the other is taken back
    at.checkbox(key="withdraw_sure").check().run()
    at.text_area(key="withdraw_reason").input("上传错了，第2次报送应在4月20日之后").run()
    at.button(key="withdraw_save").click().run()
    assert not at.exception, at.exception
    assert f"已撤回 #{new}" in at.success[-1].value and store.is_withdrawn(new)
    record = next(d.value for d in at.dataframe if "撤回原因" in d.value.columns)
    assert record["状态"].tolist() == ["有效", "已撤回", "有效"]
    assert record["撤回原因"].tolist()[1] == "上传错了，第2次报送应在4月20日之后"
    assert not store.is_withdrawn(other) and not store.is_withdrawn(kept)
    assert len(store.returns().f3) == villages[0]  # the first return stands again
    # the form is cleared: no return is withdrawn by a second click with that reason
    assert at.text_area(key="withdraw_reason").value == "" and at.checkbox(key="withdraw_sure").value is False
    assert at.button(key="withdraw_save").disabled and at.selectbox(key="withdraw_pick").value is None
    at.run()
    assert at.selectbox(key="withdraw_pick").options == [label for _, label in corrections.withdrawable(store)]
    assert [o.split(" ")[0] for o in at.selectbox(key="withdraw_pick").options] == [f"#{other}", f"#{kept}"]

    # the withdrawn file uploaded again: it stands again, said so, and the record keeps its withdrawal
    at.file_uploader[0].set_value([(second.name, second.read_bytes(), "application/octet-stream")]).run()
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    assert "撤回后重新上传、恢复计入 1 个" in at.success[-1].value and not store.is_withdrawn(new)
    said = md_text(f"“{second.name}”（#{new}）此前已被撤回")
    assert any(said in w.value and "请管理员再次撤回" in w.value for w in at.warning)
    record = next(d.value for d in at.dataframe if "撤回原因" in d.value.columns).set_index("编号")
    assert record.loc[new, "状态"] == "有效" and record.loc[new, "撤回原因"] == "上传错了，第2次报送应在4月20日之后"
    assert "重新上传" in record.loc[new, "撤回后重新生效"]


def test_a_return_dated_in_the_future_is_held_until_an_analyst_confirms_its_date(db_url):
    from datetime import date

    from tests.test_store import f1_table, f2_table, file_result

    store = Store(db_url)
    future = date(2099, 1, 1)
    held = store.add(file_result("2099.xlsx", tables=[f1_table(weak=30.0, day=future), f2_table(day=future)]))
    at = start()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    record = next(d.value for d in at.dataframe if "撤回原因" in d.value.columns)
    assert record["状态"].tolist() == ["填表时间待确认"] and len(store.returns().f2) == 0
    assert at.selectbox(key="confirm_pick").options == [label for _, label in corrections.awaiting(store)]
    at.text_input(key="confirm_reason").input("经电话核实").run()
    at.button(key="confirm_save").click().run()  # nothing picked: nothing confirmed
    assert "请先选择要确认的报送" in at.warning[-1].value and len(store.returns().f2) == 0
    at.selectbox(key="confirm_pick").set_value(held).run()
    at.button(key="confirm_save").click().run()
    assert not at.exception, at.exception
    assert f"已确认 #{held} 的填表时间" in at.success[-1].value
    from weakorg import audit

    confirmed = audit.query(store, action=audit.CONFIRM)["detail"].tolist()
    assert confirmed == [f"#{held} 确认填表时间：经电话核实"]  # the note typed is the one kept (it was lost)
    assert at.session_state["confirm_reason"] == ""  # cleared: no other return is confirmed with this note
    record = next(d.value for d in at.dataframe if "撤回原因" in d.value.columns)
    assert record["状态"].tolist() == ["有效"] and len(store.returns().f2) == 2
    at.run()
    assert not at.get("selectbox") or all(s.key != "confirm_pick" for s in at.selectbox)
    assert any("没有待确认填表时间的报送" in i.value for i in at.info)


def test_a_file_of_another_units_villages_is_assigned_to_that_unit(db_url):
    from tests.test_store import f3_table, file_result

    store = Store(db_url)
    wrong = store.add(file_result("错报.xlsx", tables=[f3_table("娄星区")]))
    at = start()
    at.switch_page("pages/upload.py").run()
    assert at.selectbox(key="assign_pick").value is None  # nothing picked at first
    from weakorg.findings import rule_name

    assert any(f"“{rule_name('UNIT_MISMATCH')}”" in c.value for c in at.caption)  # the finding as listed
    at.selectbox(key="assign_pick").set_value(wrong).run()
    at.button(key="assign_save").click().run()  # no unit chosen: nothing assigned
    assert any("请先选择要改归的填报单位" in w.value for w in at.warning)
    assert store.row_counts("F3", ["unit"])["unit"].tolist() == ["娄星区"]
    at.selectbox(key="assign_unit").set_value("双峰县").run()
    at.text_input(key="assign_reason").input("村名均属双峰县").run()
    at.button(key="assign_save").click().run()
    assert not at.exception, at.exception
    assert f"已将 #{wrong} 改归双峰县" in at.success[-1].value
    assert at.session_state["assign_reason"] == ""  # cleared: no other return is assigned with this reason
    assert at.selectbox(key="assign_unit").value is None  # and the unit picked, in the run of the click
    assert "（双峰县，改归自娄星区" in at.selectbox(key="assign_pick").options[0]  # the list says it at once
    assert store.row_counts("F3", ["unit"])["unit"].tolist() == ["双峰县"]
    record = next(d.value for d in at.dataframe if "撤回原因" in d.value.columns)
    assert record["填报单位"].tolist() == ["双峰县"]
    assert record[corrections.ASSIGNED_HEADER].tolist() == ["娄星区"]  # the unit the file named, said beside it
    at.run()
    label = f"#{wrong} 错报.xlsx（双峰县，改归自娄星区，填表时间 2014-03-11）"
    assert at.selectbox(key="assign_pick").options == [label]


def test_an_admin_withdraws_an_analyst_confirms_and_assigns(db_url):
    from tests.test_store import file_result
    from weakorg import accounts, audit

    store = Store(db_url)
    store.add(file_result("娄星区.xlsx"))
    store.add(file_result("双峰县.xlsx", unit="双峰县"))
    accounts.create(store, "admin", "a long password", "管理员")
    accounts.create(store, "zhang", "a long password", "分析员")
    keys = {}
    for name in ("admin", "zhang"):
        at = start()
        at.text_input(key="signin_username").input(name)
        at.text_input(key="signin_password").input("a long password")
        at.button[0].click().run()
        at.switch_page("pages/upload.py").run()
        assert not at.exception, at.exception
        keys[name] = {w.key for w in (*at.button, *at.selectbox)}
        assert bool(at.file_uploader) == (name == "zhang")  # uploading is the analyst's
        if name == "admin":
            at.selectbox(key="withdraw_pick").set_value(int(store.submissions()["id"].max())).run()
            at.text_area(key="withdraw_reason").input("上传错了").run()
            at.checkbox(key="withdraw_sure").check().run()
            at.button(key="withdraw_save").click().run()
            assert not at.exception, at.exception
    assert "withdraw_save" in keys["admin"] and "assign_save" not in keys["admin"]
    assert "withdraw_save" not in keys["zhang"] and "assign_save" in keys["zhang"]
    assert store.submissions()["withdrawn"].tolist() == [False, True]  # the one picked
    log = audit.query(store, action=audit.WITHDRAW)
    assert log["account"].tolist() == ["admin"] and log["file"].tolist() == ["双峰县.xlsx"]


ACTIONS = ("upload_save", "explain_save", "withdraw_save", "confirm_save", "assign_save")


def signed_in_on_upload(name: str):
    at = start()
    at.text_input(key="signin_username").input(name)
    at.text_input(key="signin_password").input("a long password")
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_each_role_sees_only_its_own_actions_and_a_stale_form_does_not_act(db_url):
    from datetime import date

    from tests.test_store import f1_table, f2_table, file_result
    from weakorg import accounts

    store = Store(db_url)
    store.add(file_result("娄星区.xlsx"))
    future = date(2099, 1, 1)
    held = store.add(file_result("2099.xlsx", unit="双峰县", tables=[f1_table(day=future), f2_table(day=future)]))
    for name, role in (("admin", "管理员"), ("zhang", "分析员"), ("dudao", "督导组"), ("lingdao", "领导")):
        accounts.create(store, name, "a long password", role, units="双峰县" if role == "督导组" else ())
    shown = {}
    for name in ("admin", "zhang"):
        at = signed_in_on_upload(name)
        at.switch_page("pages/upload.py").run()
        assert not at.exception, at.exception
        shown[name] = {b.key for b in at.button} & set(ACTIONS), bool(at.file_uploader)
        says = [i.value for i in at.info] + [c.value for c in at.caption]
        if name == "admin":  # no upload box, and the page says whose it is
            assert any("上传、校验和保存报送由分析员操作" in t for t in says)
        else:  # the analyst is told who withdraws
            assert any("如需撤回已保存的报送，请联系管理员" in t for t in says)
    assert shown["admin"] == ({"withdraw_save"}, False)  # withdrawing only: no upload, explanation or correction
    assert shown["zhang"][0] >= {"confirm_save", "assign_save"} and "withdraw_save" not in shown["zhang"][0]
    assert shown["zhang"][1]  # the analyst uploads
    for name in ("dudao", "lingdao"):  # no upload page at all, so none of its actions
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            signed_in_on_upload(name).switch_page("pages/upload.py")

    at = signed_in_on_upload("zhang")
    at.switch_page("pages/upload.py").run()
    at.text_input(key="confirm_reason").input("经核实")
    accounts.set_role(store, "zhang", "领导", by="admin")  # meanwhile: the analyst is a leader now
    at.button(key="confirm_save").click().run()
    assert not at.exception, at.exception
    assert corrections.awaiting(store) and [i for i, _ in corrections.awaiting(store)] == [held]  # not confirmed
    assert not any(b.key == "confirm_save" for b in at.button)


def test_the_preview_shows_what_will_really_be_saved(db_url):
    from tests.test_store import f1_table, f2_table, file_result

    store = Store(db_url)
    store.add(file_result("娄星区-第1次.xlsx", tables=[f1_table(weak=28.0), f2_table()]))
    bad = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith("娄星区")]
    results = app.process_uploads([(p.name, p.read_bytes()) for p in bad], store=store)
    with_errors = [r for r in results if r.ok and r.errors]
    assert with_errors  # the sample returns of 娄星区 carry a file with errors
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "application/octet-stream") for p in bad]).run()
    assert not at.exception, at.exception

    def listed() -> str:
        return next(d.value for d in at.dataframe if "替换的报送" in d.value.columns).iloc[0]["本次文件"]

    for r in with_errors:  # not ticked: said not to be saved
        assert f"{r.name}（有错误，不保存）" in listed()
    at.checkbox(key="upload_force").check().run()
    assert not at.exception, at.exception
    assert "有错误，不保存" not in listed()
    from weakorg import preview

    expected = preview.save_preview(store, results, with_errors=False)
    assert all(f"{r.name}{preview.NOT_SAVED}" in expected.iloc[0]["本次文件"] for r in with_errors)


def test_an_explanation_on_the_page_leaves_one_audit_entry_naming_the_analyst(db_url):
    from weakorg import accounts, audit

    store = Store(db_url)
    paths = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith("双峰县")]
    app.store_readable(store, app.process_uploads([(p.name, p.read_bytes()) for p in paths], store=store))
    [warning] = app.explainable(app.picture(store).findings)
    accounts.create(store, "zhang", "a long password", "分析员")
    at = signed_in_on_upload("zhang")
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="explain_finding").set_value(app.finding_key(warning)).run()
    at.text_area(key="explain_reason").input("该号码为村委会座机，已核实。").run()
    at.button(key="explain_save").click().run()
    assert not at.exception, at.exception
    assert "说明已保存" in at.success[-1].value
    log = audit.query(store, action=audit.EXPLAIN)
    assert log[["account", "unit", "file"]].values.tolist() == [["zhang", warning.unit, warning.file]]
    assert log["detail"].iloc[0].endswith("：该号码为村委会座机，已核实。") and warning.rule in log["detail"].iloc[0]


def test_a_refused_file_is_listed_counted_and_sent_back_under_the_unit_its_name_shows(db_url):
    good = next(p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith("涟源市-第3次"))
    files = [(good.name, good.read_bytes()), ("涟源市-附件2.xlsx", REFUSED[1])]
    expected = app.process_uploads(files)
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files]).run()
    assert not at.exception, at.exception
    listed = at.dataframe[0].value.set_index("文件")
    assert listed.loc["涟源市-附件2.xlsx", "填报单位"] == "涟源市"
    assert listed.loc["涟源市-附件2.xlsx", "说明"] == expected[1].file.message
    by_unit = at.dataframe[1].value
    assert by_unit.equals(app.unit_findings_table(expected))
    assert by_unit.set_index("填报单位").loc["涟源市", ["文件数", "拒收文件"]].tolist() == [2, 1]
    problems = app.problem_uploads(expected)
    assert at.selectbox(key="upload_file").options == [app.upload_label(r) for r in problems]
    at.selectbox(key="upload_file").set_value(problems.index(next(r for r in problems if not r.ok))).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [md_text(expected[1].file.message)]
    assert [b.label for b in at.get("download_button")][1:] == [app.SENDBACK_LIST, app.SENDBACK_ALL]  # its reason


def test_an_explained_warning_says_so_when_its_file_is_sent_again(db_url):
    store = Store(db_url)
    paths = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith("双峰县")]
    uploads = [(p.name, p.read_bytes()) for p in paths]
    app.store_readable(store, app.process_uploads(uploads, store=store))
    [warning] = app.explainable(app.picture(store).findings)
    store.explain(warning, "该号码为村委会座机，已核实。", by="zhang")
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(n, d, "application/octet-stream") for n, d in uploads]).run()
    assert not at.exception, at.exception
    problems = app.problem_uploads(app.process_uploads(uploads, store=store))
    picked = next(i for i, r in enumerate(problems) if warning in r.findings)
    at.selectbox(key="upload_file").set_value(picked).run()
    assert not at.exception, at.exception
    table = at.dataframe[2].value
    row = table[table["说明"] == warning.message].iloc[0]
    assert row["说明情况"].startswith("已说明：该号码为村委会座机，已核实。（zhang，")
    counted = app.warning_counts_text(problems[picked].findings, store.explanations())
    assert "已说明 1 条" in counted and counted in [c.value for c in at.main.caption]
    explained = at.dataframe[-2].value  # the 说明警告 list of stored warnings
    assert explained["说明情况"].tolist() == [app.explained_text(store.explanations().iloc[0].to_dict())]
    assert (explained["填报单位"].tolist(), explained["文件"].tolist()) == ([warning.unit], [warning.file])
    order = list(at.dataframe[-2].proto.column_order)  # many files' warnings: whose and which, then where
    assert order[:5] == ["填报单位", "文件", "工作表", "单元格", "说明"]


def test_a_save_of_files_with_only_hints_says_nothing_of_warnings(db_url):
    path = ROOT / "sample_data" / "涟源市-第1次-软弱涣散基层党组织报表-20140311.xlsx"  # 提示 only (VILLAGE_NOT_LISTED)
    [result] = app.process_uploads([(path.name, path.read_bytes())])
    assert result.findings and (result.errors, result.warnings) == (0, 0)
    at = start()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")]).run()
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    said = at.success[-1].value
    assert "新保存 1 个文件" in said and "警告" not in said
