"""python -m weakorg load and status: the sample returns stored, refusals reported, the status as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from weakorg import cli
from weakorg.cli import report
from weakorg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"


def test_load_stores_each_file_once_and_status_tells_late_from_on_time(database_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    files = sorted(SAMPLES.glob("娄星区-第1次*")) + sorted(SAMPLES.glob("新化县-第1次-附件2*"))
    bogus = tmp_path / "说明.xlsx"
    bogus.write_bytes(b"%PDF-1.4 not a spreadsheet")

    assert cli.main(["load", *map(str, files), str(bogus), "--by", "分析员甲"]) == cli.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert out.count("已保存 #") == len(files) == 4 and "已拒收：说明.xlsx（NOT_SPREADSHEET）" in out
    assert "共5个文件：新保存4个，此前已保存0个，拒收1个。" in out
    store = Store(database_url)
    subs = store.submissions()
    assert sorted(subs["name"]) == sorted(p.name for p in files) and set(subs["uploaded_by"]) == {"分析员甲"}

    assert cli.main(["load", *map(str, files)]) == cli.EXIT_OK  # the same bytes again: stored once
    assert "此前已保存4个" in capsys.readouterr().out
    assert len(store.submissions()) == 4 and store.version() == 4

    assert cli.main(["status", "--json"]) == cli.EXIT_OK
    status = {row["unit"]: row for row in json.loads(capsys.readouterr().out)}
    assert len(status) == 12
    assert (status["新化县"]["state"], status["新化县"]["forms"]) == ("late", ["F2"])
    assert (status["娄星区"]["state"], status["娄星区"]["forms"]) == ("on_time", ["F1", "F2", "F3"])
    assert status["娄星区"]["first_reported_on"] == "2014-03-10" and status["双峰县"]["state"] == "missing"

    assert cli.main(["status"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert "报送状态" in lines[0] and "从未报送" in lines[1] and "首次按时" in lines[-1] and "首次逾期" in lines[-2]
    store.engine.dispose()


def test_load_exits_1_when_a_file_stored_has_errors_and_says_so(database_url, monkeypatch, capsys):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    wrong = sorted(SAMPLES.glob("涟源市-第3次*"))  # the sample with a breakdown that does not add up
    assert wrong and cli.main(["load", *map(str, wrong)]) == cli.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert f"新保存{len(wrong)}个" in out and "有错误的文件1个，请按问题清单转告填报单位改正" in out


def test_check_with_the_database_sees_the_units_earlier_returns(database_url, monkeypatch, capsys):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    first = sorted(SAMPLES.glob("娄星区-第1次*"))
    later = sorted(SAMPLES.glob("娄星区-第2次-附件2*"))
    assert cli.main(["load", *map(str, first)]) == cli.EXIT_OK
    capsys.readouterr()

    cli.main(["check", *map(str, later)])
    alone = capsys.readouterr().out
    assert "LATE_SUBMISSION" in alone  # on its own, a later round looks like a late first return
    cli.main(["check", *map(str, later), "--db", database_url])
    with_history = capsys.readouterr().out
    assert "LATE_SUBMISSION" not in with_history and f"【{later[0].name}】娄星区" in with_history
    assert report.OTHER_FINDINGS not in with_history  # nothing is reported about the stored files themselves


def test_withdraw_takes_a_return_out_of_the_picture_and_refuses_a_second_time(database_url, monkeypatch, capsys):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    files = sorted(SAMPLES.glob("娄星区-第1次-附件2*"))
    assert cli.main(["load", *map(str, files)]) == cli.EXIT_OK
    capsys.readouterr()
    store = Store(database_url)
    sid = int(store.submissions()["id"].iloc[0])
    assert len(store.returns().f2) > 0

    assert cli.main(["withdraw", str(sid), "--reason", "上传错了文件", "--by", "分析员甲"]) == cli.EXIT_OK
    assert f"已撤回 #{sid}" in capsys.readouterr().out
    assert len(store.returns().f2) == 0
    row = store.submissions().iloc[0]
    assert bool(row["withdrawn"]) and (row["withdrawn_by"], row["withdraw_reason"]) == ("分析员甲", "上传错了文件")

    both = [*files, *sorted(SAMPLES.glob("娄星区-第1次-附件1*"))]  # consolidated as the pages have them
    assert cli.main(["consolidate", *map(str, both), "--json"]) == cli.EXIT_OK
    out = capsys.readouterr()
    assert f"【{files[0].name}】已在数据库中撤回（#{sid}）" in out.err
    assert json.loads(out.out)["weak_orgs"] == []  # the withdrawn register is in no figure

    assert cli.main(["withdraw", str(sid), "--reason", "再撤一次"]) == cli.EXIT_USAGE
    assert "已经撤回" in capsys.readouterr().err
    assert cli.main(["withdraw", "99999", "--reason", "错了"]) == cli.EXIT_USAGE
    assert "#99999" in capsys.readouterr().err
    assert cli.main(["withdraw", str(sid), "--reason", "  "]) == cli.EXIT_USAGE
    assert "原因" in capsys.readouterr().err
    # the same file loaded again: it stands again, said so, not counted as new nor as known
    assert cli.main(["load", *map(str, files)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert f"已恢复 #{sid}：{files[0].name}（此前已被撤回" in out
    assert "新保存0个，撤回后重新上传、恢复计入1个，此前已保存0个" in out
    assert not store.is_withdrawn(sid) and len(store.returns().f2) > 0
    store.engine.dispose()


def test_consolidate_counts_a_file_for_the_unit_it_was_assigned_to_in_the_store(database_url, monkeypatch, capsys):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    wrong = next(SAMPLES.glob("娄底市交通运输局*"))  # a unit outside the campaign: its villages are 双峰县's
    assert cli.main(["load", str(wrong)]) in (cli.EXIT_OK, cli.EXIT_PROBLEMS)  # stored, its UNKNOWN_UNIT with it
    capsys.readouterr()
    sid = int(Store(database_url).submissions()["id"].iloc[0])
    assert cli.main(["reassign", str(sid), "双峰县", "--reason", "村名均属双峰县"]) == cli.EXIT_OK
    capsys.readouterr()
    assert cli.main(["consolidate", str(wrong), "--json"]) == cli.EXIT_OK
    out = capsys.readouterr()
    assert f"【{wrong.name}】已在数据库中改归双峰县（#{sid}）" in out.err
    data = json.loads(out.out)
    assert {f["unit"] for f in data["files"]} == {"双峰县"} and {o["unit"] for o in data["weak_orgs"]} <= {"双峰县"}
    assert "UNKNOWN_UNIT" not in {f["rule"] for f in data["findings"]}  # as 报送情况 and the city's return have it
