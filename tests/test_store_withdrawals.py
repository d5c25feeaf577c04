"""Withdrawing a submission: it stays in history, stops standing, the unit's previous return stands again."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.test_store import f1_table, f2_table, f3_table, file_result
from weakorg.campaign import default_campaign
from weakorg.checks import run_checks
from weakorg.consolidate import consolidate
from weakorg.store import Store
from weakorg.tables import returns_from_files


@pytest.fixture
def store(database_url) -> Store:
    """A store on an empty database, once on SQLite and once on PostgreSQL."""
    store = Store(database_url)
    yield store
    store.engine.dispose()


def first_return(unit="娄星区"):
    """A unit's first return: two F1 tables, a register of two, an F3."""
    tables = [f1_table(unit), f1_table(unit, "学校", 40.0, 2.0), f2_table(unit), f3_table(unit)]
    return file_result("第1次.xlsx", tables, unit=unit)


def second_return(unit="娄星区"):
    """A later return of the same unit with other figures (weak 9, three organizations), dated later."""
    day = date(2014, 4, 20)
    tables = [f1_table(unit, weak=9.0, day=day), f2_table(unit, ("甲村党支部", "乙村党支部", "丁村党支部"), day)]
    return file_result("第2次.xlsx", tables)


def frames(pic) -> dict[str, pd.DataFrame]:
    """The figures of a picture, comparable across stores (no file ids or names)."""
    out = {"summary": pic.summary, "weak_orgs": pic.weak_orgs, "villages": pic.villages}
    drop = ("file", "file_idx")
    return {k: v.drop(columns=[c for c in drop if c in v]).reset_index(drop=True) for k, v in out.items()}


def test_withdrawing_the_later_return_restores_the_picture_of_the_earlier_one_figure_for_figure(store, tmp_path):
    a = store.add(first_return())
    b = store.add(second_return())
    assert consolidate(store.returns(), checks=False).summary["weak_total"].sum() == 9.0 + 2.0
    before = store.version()

    store.withdraw(b, "上传错了文件，应为第1次报送的更正版。", by="分析员甲")

    alone = Store(f"sqlite:///{tmp_path / 'alone.db'}")
    alone.add(first_return())
    assert store.version() > before  # caches keyed on the version see it
    got, want = frames(consolidate(store.returns(), checks=False)), frames(consolidate(alone.returns(), checks=False))
    for key in want:
        pd.testing.assert_frame_equal(got[key], want[key], check_dtype=False)
    assert [fr.name for fr in store.returns().files] == ["第1次.xlsx"]
    assert set(store.returns().f2["file_idx"]) == {a}
    rows = store.row_counts("F2", ["unit"])
    assert rows["rows"].tolist() == [2]  # the withdrawn register's three rows no longer counted
    alone.engine.dispose()


def test_the_withdrawn_submission_stays_in_history_with_who_when_and_why(store):
    store.add(first_return())
    b = store.add(second_return())
    store.withdraw(b, "  填表时间有误 ", by="分析员甲")
    subs = store.submissions().set_index("id")
    assert len(subs) == 2
    assert bool(subs.loc[b, "withdrawn"]) and not bool(subs.drop(index=b)["withdrawn"].iloc[0])
    assert (subs.loc[b, "withdrawn_by"], subs.loc[b, "withdraw_reason"]) == ("分析员甲", "填表时间有误")
    assert subs.loc[b, "withdrawn_at"] is not None
    assert len(store.findings(b)) > 0  # what it was found at its upload is kept


def test_the_units_current_findings_are_checked_again_without_the_withdrawn_return(store):
    campaign = default_campaign()
    store.add(first_return())
    b = store.add(second_return())
    with_both = store.current_findings(campaign=campaign)
    store.withdraw(b, "撤回第2次", by="分析员甲")
    now = store.current_findings(campaign=campaign)
    alone = run_checks(returns_from_files([first_return()]), campaign)
    assert sorted(f.rule for f in now) == sorted(f.rule for f in alone)
    assert all(f.file != "第2次.xlsx" for f in now)
    assert any(f.file == "第2次.xlsx" for f in with_both)


def test_a_withdrawal_needs_a_reason_an_existing_submission_and_happens_once(store):
    b = store.add(first_return())
    with pytest.raises(ValueError, match="原因"):
        store.withdraw(b, "  ")
    with pytest.raises(ValueError, match="#999"):
        store.withdraw(999, "错了")
    store.withdraw(b, "错了", by="甲")
    with pytest.raises(ValueError, match="已经撤回"):
        store.withdraw(b, "再撤一次", by="乙")
    assert store.submissions()["withdrawn"].tolist() == [True]
    assert len(store.returns().f1) == 0


def test_the_same_bytes_uploaded_again_after_a_withdrawal_stand_again(store):
    fr = first_return()
    a = store.add(fr)
    store.withdraw(a, "误撤前的撤回", by="甲")
    assert len(store.returns().f2) == 0
    version = store.version()
    (again,) = store.add_many(returns_from_files([fr]), uploaded_by="乙")
    assert (again.id, again.new, again.reinstated) == (a, True, True)  # the same submission, standing again
    assert store.version() > version
    assert len(store.returns().f2) == 2
    subs = store.submissions()
    assert subs["withdrawn"].tolist() == [False]
    # the record keeps the withdrawal and says who brought the file back, and when
    assert (subs["withdrawn_by"].iloc[0], subs["withdraw_reason"].iloc[0]) == ("甲", "误撤前的撤回")
    assert subs["reinstated_by"].iloc[0] == "乙" and pd.notna(subs["reinstated_at"].iloc[0])
    (same,) = store.add_many(returns_from_files([fr]))
    assert not same.new and not same.reinstated  # standing: the same bytes again store nothing
    store.withdraw(a, "再次撤回", by="甲")  # and it can be withdrawn again
    assert store.is_withdrawn(a)
    subs = store.submissions()
    assert subs["withdraw_reason"].iloc[0] == "再次撤回" and pd.isna(subs["reinstated_by"].iloc[0])


def dated(day: date, name="未来.xlsx"):
    """A return of 娄星区 filled on ``day`` (weak 9, three organizations)."""
    tables = [f1_table(weak=9.0, day=day), f2_table(names=("甲村党支部", "乙村党支部", "丁村党支部"), day=day)]
    return file_result(name, tables)


@pytest.mark.parametrize(
    ("day", "today"),
    [
        (date(2099, 1, 1), date(2014, 5, 1)),  # after today
        (date(2012, 1, 1), date(2014, 5, 1)),  # long before the campaign
        (date(2024, 4, 28), date(2026, 12, 6)),  # long after it: 2024 typed for 2014
    ],
)
def test_a_return_dated_after_today_or_long_before_stands_only_once_an_analyst_confirms_it(store, day, today):
    a = store.add(first_return(), today=today)
    b = store.add(dated(day), today=today)
    subs = store.submissions().set_index("id")
    assert bool(subs.loc[b, "awaiting"]) and not bool(subs.loc[a, "awaiting"])
    assert set(store.returns().f2["file_idx"]) == {a}  # held back: the genuine return stands
    assert consolidate(store.returns(), checks=False).summary["weak_total"].sum() == 6.0 + 2.0
    before = store.version()

    store.confirm(b, "date", by="分析员甲", reason="经电话核实，填表时间确为此日")
    assert store.version() > before
    assert not bool(store.submissions().set_index("id").loc[b, "awaiting"])
    assert b in set(store.returns().f2["file_idx"])
    with pytest.raises(ValueError, match="无需确认"):
        store.confirm(b, "date", by="分析员乙")  # once is enough
    with pytest.raises(ValueError, match="无需确认"):
        store.confirm(a, "date", by="分析员乙")  # a return dated within the campaign needs no word


def test_today_is_a_parameter_a_return_of_today_stands(store):
    b = store.add(dated(date(2014, 5, 1)), today=date(2014, 5, 1))
    assert not store.submissions()["awaiting"].any() and set(store.returns().f2["file_idx"]) == {b}


def test_a_file_assigned_to_another_unit_counts_for_that_unit_in_every_read(store):
    campaign = default_campaign()
    mine = store.add(first_return("双峰县"))
    wrong = store.add(file_result("错报.xlsx", [f3_table("娄星区")]))  # 双峰县's villages under 娄星区's header
    assert store.row_counts("F3", ["unit"]).set_index("unit")["rows"].to_dict() == {"双峰县": 2, "娄星区": 2}
    store.current_findings(campaign=campaign)
    before = store.version()

    store.confirm(wrong, "unit", by="分析员甲", value="双峰县", reason="村名均属双峰县")
    assert store.version() > before
    assert store.row_counts("F3", ["unit"])["unit"].tolist() == ["双峰县"]
    assert set(store.returns({"双峰县"}).f3["file_idx"]) == {mine, wrong}
    assert store.returns({"娄星区"}).f3.empty and store.submissions({"娄星区"}).empty
    assert store.submissions({"双峰县"})["id"].tolist() == [mine, wrong]
    assert consolidate(store.returns(), campaign, checks=False).villages["unit"].tolist() == ["双峰县", "双峰县"]
    now = store.current_findings(campaign=campaign)
    assert any(f.rule == "DUPLICATE_SUBMISSION" and f.unit == "双峰县" for f in now)  # checked with 双峰县's returns
    assert [f.rule for f in now if f.unit == "娄星区"] == ["DATE_INVALID"]  # only what reading 错报.xlsx found
    with pytest.raises(ValueError, match="已计入双峰县"):
        store.confirm(wrong, "unit", by="分析员乙", value="双峰县")


def test_two_analysts_saving_and_withdrawing_for_one_unit_at_once_leave_a_consistent_store(store, database_url):
    import threading

    campaign = default_campaign()
    a = store.add(first_return())
    b = store.add(second_return())
    other = Store(database_url)  # a second process's store on the same database
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def withdraw() -> None:
        start.wait()
        try:
            store.withdraw(b, "第2次报送有误", by="分析员甲")
        except Exception as exc:  # reported below
            errors.append(exc)

    def save() -> None:
        start.wait()
        try:
            third = file_result("第3次.xlsx", [f3_table(day=date(2014, 4, 25))])
            other.add_many(returns_from_files([third]), uploaded_by="分析员乙", campaign=campaign)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=withdraw), threading.Thread(target=save)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.engine.dispose()
    assert errors == []
    subs = store.submissions()
    assert subs["name"].tolist() == ["第1次.xlsx", "第2次.xlsx", "第3次.xlsx"]
    assert subs["withdrawn"].tolist() == [False, True, False]
    assert set(store.returns().f1["file_idx"]) == {a} and b not in set(store.returns().f2["file_idx"])
    now = store.current_findings(campaign=campaign)
    expected = run_checks(store.returns(), campaign)
    assert sorted(map(repr, now)) == sorted(map(repr, expected))


def test_each_withdrawal_and_confirmation_leaves_exactly_one_audit_entry(store):
    from weakorg import audit

    a = store.add(first_return())
    b = store.add(dated(date(2099, 1, 1)), today=date(2014, 5, 1))
    store.withdraw(a, "上传错了", by="admin1", origin="10.0.0.8")
    store.confirm(b, "date", by="analyst1", reason="已核实")
    with pytest.raises(ValueError):
        store.withdraw(a, "再撤一次", by="admin1")  # refused: nothing recorded
    log = audit.query(store)
    rows = log[log["action"].isin([audit.WITHDRAW, audit.CONFIRM])].sort_values("id")
    assert rows["action"].tolist() == [audit.WITHDRAW, audit.CONFIRM]
    assert rows["account"].tolist() == ["admin1", "analyst1"]
    assert rows["file"].tolist() == ["第1次.xlsx", "未来.xlsx"] and rows["unit"].tolist() == ["娄星区", "娄星区"]
    assert rows["origin"].tolist()[0] == "10.0.0.8" and "上传错了" in rows["detail"].tolist()[0]


def test_the_current_findings_leave_out_a_held_return_and_its_date_once_confirmed(store):
    campaign, today = default_campaign(), date(2014, 5, 1)
    batch = returns_from_files([dated(date(2099, 1, 1))])
    checked = run_checks(batch, campaign, today=today)
    assert "DATE_OUT_OF_RANGE" in {f.rule for f in checked}
    (held,) = store.add_many(batch, [checked], campaign=campaign, checked=checked, today=today)
    assert [f for f in store.current_findings(campaign=campaign) if f.rule != "DATE_INVALID"] == []  # it does not stand
    store.confirm(held.id, "date", by="分析员甲")
    now = store.current_findings(campaign=campaign)
    assert now and "DATE_OUT_OF_RANGE" not in {f.rule for f in now}  # checked, its date confirmed
    assert len(store.findings(held.id).query("rule == 'DATE_OUT_OF_RANGE'")) == 1  # its upload's findings kept


def test_each_save_leaves_exactly_one_audit_entry_and_a_file_stored_before_none(store):
    from weakorg import audit

    fr = first_return()
    a = store.add(fr, uploaded_by="analyst1", origin="10.0.0.9")
    store.add(fr, uploaded_by="analyst2")  # the same bytes: nothing stored, nothing recorded
    b = store.add(dated(date(2099, 1, 1)), uploaded_by="analyst1", today=date(2014, 5, 1))
    refused = file_result("坏.xlsx", [f1_table()])
    refused.status = "CORRUPT"
    with pytest.raises(ValueError):
        store.add(refused)  # refused: nothing recorded
    store.withdraw(a, "上传错了", by="admin1")
    store.add(fr, uploaded_by="analyst2")  # the withdrawn bytes again: they stand again, one entry
    saves = audit.query(store, action=audit.SAVE).sort_values("id")
    assert saves["account"].tolist() == ["analyst1", "analyst1", "analyst2"]
    assert saves["file"].tolist() == ["第1次.xlsx", "未来.xlsx", "第1次.xlsx"]
    assert saves["sha256"].tolist() == [fr.sha256, store.submissions().set_index("id").at[b, "sha256"], fr.sha256]
    assert saves["origin"].tolist()[0] == "10.0.0.9" and saves["unit"].tolist() == ["娄星区"] * 3
    assert saves["detail"].tolist()[1:] == [audit.HELD_DETAIL, audit.REUPLOAD_DETAIL]


def test_the_upload_pages_record_says_the_withdrawal_in_beijing_time_as_it_says_the_upload(store):
    """weakorg.corrections.submissions_record: 撤回时间 in Beijing time, the format of 上传时间 (it was UTC: a
    withdrawal read as eight hours before its upload)."""
    from weakorg import corrections
    from weakorg.vocab import local_time

    store.add(first_return())
    b = store.add(second_return())
    store.withdraw(b, "填表时间有误", by="分析员甲")
    stored = store.submissions().set_index("id").loc[b, "withdrawn_at"]
    record = corrections.submissions_record(store).set_index("编号")
    said = record.loc[b, corrections.WITHDRAWN_HEADERS["withdrawn_at"]]
    assert said == local_time(stored) and said >= record.loc[b, "上传时间"]
    assert record.drop(index=b)[corrections.WITHDRAWN_HEADERS["withdrawn_at"]].isna().all()


def test_a_return_every_table_of_which_a_later_one_replaced_is_said_to_be_replaced(store):
    """The record's 状态: 已被替换 for a submission none of whose tables stands any longer (the same unit sent the
    same forms again later), 有效 for one of which some table still stands."""
    from weakorg import corrections

    first = store.add(first_return())
    again = store.add(file_result("第1次（重报）.xlsx", first_return().tables, unit="娄星区"))  # sent again: it stands
    later = store.add(second_return())  # 附件1 农村 and the register replaced; 学校 and 附件3 of `again` stand
    states = corrections.submissions_record(store).set_index("编号")[corrections.STATE_HEADER]
    assert states[first] == corrections.REPLACED_LABEL
    assert states[again] == states[later] == corrections.STANDING_LABEL
    assert corrections.standing_ids(store) == {again, later}


def test_a_return_of_a_unit_outside_the_campaign_is_said_to_count_nowhere_not_to_be_replaced(store):
    """An analyst may save a return whose unit is none of the campaign's (its UNKNOWN_UNIT error overridden): no page
    counts it, and the record says so instead of 已被替换 (replaced by nothing)."""
    from weakorg import corrections

    known = store.add(first_return())
    table = f1_table("某某县")
    table.unit = None  # as the reader leaves a unit it cannot find in the campaign (its text kept in unit_raw)
    outside = store.add(file_result("某某县.xlsx", [table]))
    assert store.submissions().set_index("id").at[outside, "unit"] == "中共某某县委组织部"  # the raw text
    states = corrections.submissions_record(store).set_index("编号")[corrections.STATE_HEADER]
    assert states[outside] == corrections.OUTSIDE_LABEL
    assert states[known] == corrections.STANDING_LABEL


def test_a_stored_register_with_no_line_replaces_the_villages_until_it_is_withdrawn(store):
    """A later 附件3 sent with no village: the store keeps no row of it, yet the unit has no village now; the record
    says it stands (not 已被替换); withdrawn, the villages of the earlier return stand again."""
    from weakorg import app, corrections, history, preview
    from weakorg.tables import F3_ROW_COLUMNS, Table
    from weakorg.vocab import F3

    store.add(first_return())
    assert len(app.picture(store).villages) == 2
    rows = pd.DataFrame(columns=list(F3_ROW_COLUMNS))
    none = Table(F3, "附件3", rows, unit="娄星区", unit_raw="娄星区", reported_on=date(2014, 4, 20))
    sent = file_result("第2次-附件3.xlsx", [none])
    said = preview.save_preview(store, [app.UploadResult(sent)]).set_index(preview.PREVIEW_HEADERS[0])
    assert said.loc["娄星区", preview.VILLAGES_LABEL] == "2 → 0" and "附件3" in said.loc["娄星区", "替换的报送"]
    empty = store.add(sent)
    assert app.picture(store).villages.empty
    assert store.returns().empty[["file_idx", "unit", "form"]].values.tolist() == [[empty, "娄星区", F3]]
    states = corrections.submissions_record(store).set_index("编号")[corrections.STATE_HEADER]
    assert states[empty] == corrections.STANDING_LABEL
    over_time = history.stored_progress(store).set_index("reported_on")["villages"]  # the progress chart agrees
    assert over_time.to_dict() == {date(2014, 3, 11): 2, date(2014, 4, 20): 0}
    assert history.progress(store.returns()).equals(history.stored_progress(store))
    store.withdraw(empty, "误报", by="分析员甲")
    assert len(app.picture(store).villages) == 2


@pytest.mark.parametrize("day", [date(2014, 3, 11), date(2014, 3, 20)], ids=["same date", "a later date"])
def test_an_error_of_a_return_a_corrected_one_replaced_is_no_longer_open(store, day):
    """A county sends its 附件1 with 党委+党总支+党支部 ≠ 所辖 (BREAKDOWN_SUM), then the corrected one (same name, as
    clerks keep it): the error is not among the unit's open ones, nor the picture's; its first return's lateness
    (LATE_SUBMISSION, of a return no longer standing) still is."""
    from weakorg import status

    wrong = f1_table(day=date(2014, 3, 15))
    wrong.rows.loc["branches", "count"] = 1.0  # 10 + 20 + 1 ≠ 120
    store.add(file_result("娄星区汇总表.xlsx", tables=[wrong]))
    rules = {f.rule for f in store.current_findings({"娄星区"})}
    assert {"BREAKDOWN_SUM", "LATE_SUBMISSION"} <= rules
    later = max(day, date(2014, 3, 15))
    store.add(file_result("娄星区汇总表.xlsx", tables=[f1_table(day=later)], salt="corrected"))
    found = store.current_findings({"娄星区"})
    assert "BREAKDOWN_SUM" not in {f.rule for f in found}
    assert any(f.rule == "LATE_SUBMISSION" for f in found)  # the first return came late: still true
    campaign = default_campaign()
    table = status.unit_status(store.submissions(), store.returns(), campaign, found)
    assert int(table.loc[table["unit"] == "娄星区", "open_errors"].iloc[0]) == 0
    direct = consolidate(store.returns(), campaign)  # the same from the returns, without the store's checks
    assert "BREAKDOWN_SUM" not in {f.rule for f in direct.findings}
