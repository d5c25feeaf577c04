"""The record from the command line (withdraw, confirm, reassign, submissions) and every audited action's one entry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_store import f1_table, f2_table, f3_table, file_result

from weakorg import accounts, audit, cli
from weakorg.cli import records as cli_records
from weakorg.findings import finding
from weakorg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
FUTURE = date(2099, 1, 1)


@pytest.fixture
def store(database_url, monkeypatch):
    """The configured store (WEAKORG_DATABASE_URL): a standing return of 娄星区, one held for its date, a wrong one."""
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    s = Store(database_url)
    s.add(file_result("娄星区.xlsx"))
    held = [f1_table("双峰县", day=FUTURE), f2_table("双峰县", day=FUTURE)]
    s.add(file_result("2099.xlsx", unit="双峰县", tables=held))
    s.add(file_result("错报.xlsx", tables=[f3_table("娄星区")]))
    yield s
    s.engine.dispose()


def ids(store: Store) -> dict[str, int]:
    subs = store.submissions()
    return dict(zip(subs["name"], subs["id"].astype(int), strict=True))


def listed(capsys, *args: str) -> list[dict]:
    assert cli.main(["submissions", "--json", *args]) == cli.EXIT_OK
    return json.loads(capsys.readouterr().out)


def test_submissions_list_their_state_newest_first(store, capsys):
    rows = listed(capsys)
    assert [(r["name"], r["unit"], r["state"]) for r in rows] == [
        ("错报.xlsx", "娄星区", "standing"),
        ("2099.xlsx", "双峰县", "held"),
        ("娄星区.xlsx", "娄星区", "standing"),
    ]
    assert [r["name"] for r in listed(capsys, "--unit", "双峰县")] == ["2099.xlsx"]
    assert cli.main(["submissions"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[0].split("\t")[:3] == ["编号", "状态", "文件名"] and out.endswith("共 3 次报送。\n")
    assert "填表时间待确认" in out


def test_confirm_lets_a_held_return_stand_once(store, capsys):
    sid = ids(store)["2099.xlsx"]
    assert cli.main(["confirm", str(sid), "--reason", "经电话核实", "--by", "分析员甲"]) == cli.EXIT_OK
    assert f"已确认 #{sid}" in capsys.readouterr().out
    assert next(r for r in listed(capsys) if r["id"] == sid)["state"] == "standing"
    assert len(store.returns().f2[lambda f: f["unit"] == "双峰县"]) == 2
    assert cli.main(["confirm", str(sid), "--reason", "再确认"]) == cli.EXIT_USAGE  # nothing left to confirm
    assert "无需确认" in capsys.readouterr().err
    assert cli.main(["confirm", str(ids(store)["娄星区.xlsx"]), "--reason", "x"]) == cli.EXIT_USAGE
    assert cli.main(["confirm", "99999", "--reason", "x"]) == cli.EXIT_USAGE
    assert "#99999" in capsys.readouterr().err


def test_reassign_counts_a_file_for_another_unit_named_canonically(store, capsys):
    sid = ids(store)["错报.xlsx"]
    assert cli.main(["reassign", str(sid), "冷水江", "--reason", "村名属冷水江市"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "没有名为“冷水江”的填报单位" in err and "冷水江市" in err  # the canonical name suggested
    assert cli.main(["reassign", str(sid), "火星县", "--reason", "x"]) == cli.EXIT_USAGE
    assert "火星县" in capsys.readouterr().err
    assert cli.main(["reassign", str(sid), "娄星区", "--reason", "x"]) == cli.EXIT_USAGE  # already counted there
    assert cli.main(["reassign", str(sid), "冷水江市", "--reason", "村名属冷水江市"]) == cli.EXIT_OK
    assert f"已将 #{sid} 改归冷水江市" in capsys.readouterr().out
    row = next(r for r in listed(capsys) if r["id"] == sid)
    assert (row["unit"], row["assigned_from"]) == ("冷水江市", "娄星区")
    assert set(store.returns().f3["unit"]) == {"冷水江市"}
    assert cli.main(["submissions", "--unit", "火星县"]) == cli.EXIT_USAGE
    capsys.readouterr()
    # the reassignment and a later withdrawal are found under either unit whose figures they changed
    assert cli.main(["withdraw", str(sid), "--reason", "不应计入"]) == cli.EXIT_OK
    for unit in ("冷水江市", "娄星区"):
        log = audit.query(store, unit=unit)
        assert {"reassign", "withdraw"} <= set(log["action"]), unit
    moved = audit.query(store, action=audit.REASSIGN).iloc[-1]
    assert moved["unit"] == audit.units_text(["娄星区", "冷水江市"])


def test_withdraw_moved_to_its_module_still_withdraws(store, capsys):
    sid = ids(store)["娄星区.xlsx"]
    assert cli.main(["withdraw", str(sid), "--reason", "上传错了文件"]) == cli.EXIT_OK
    assert f"已撤回 #{sid}" in capsys.readouterr().out
    assert next(r for r in listed(capsys) if r["id"] == sid)["state"] == "withdrawn"
    assert next(r for r in listed(capsys) if r["id"] == sid)["withdraw_reason"] == "上传错了文件"
    rows = listed(capsys)
    assert len({tuple(r) for r in rows}) == 1  # every record the same keys, null where nothing was withdrawn
    assert all(r["uploaded_at"].endswith("+00:00") for r in rows) and all(len(r["reported_on"]) == 10 for r in rows)
    assert cli.main(["withdraw", str(sid), "--reason", "再撤"]) == cli.EXIT_USAGE


def test_each_audited_action_leaves_exactly_one_record(store, tmp_path, capsys):
    found = ids(store)
    before = len(audit.query(store))
    done = []

    def one(action: str, *argv: str, files=1) -> None:
        assert cli.main(list(argv)) in (cli.EXIT_OK, cli.EXIT_PROBLEMS)
        capsys.readouterr()
        done.extend([action] * files)
        log = audit.query(store)
        assert log["action"].tolist()[before:] == done

    one(audit.WITHDRAW, "withdraw", str(found["娄星区.xlsx"]), "--reason", "错了", "--by", "甲")
    one(audit.CONFIRM, "confirm", str(found["2099.xlsx"]), "--reason", "经核实")
    one(audit.REASSIGN, "reassign", str(found["错报.xlsx"]), "双峰县", "--reason", "村名属双峰县")
    warning = finding("SMALL_BRANCH", "只有2名党员。", file="2099.xlsx", sheet="附件2", cell="C5", unit="双峰县")
    store.explain(warning, "新建支部", by="乙", origin="10.0.0.9")
    done.append(audit.EXPLAIN)
    assert audit.query(store)["action"].tolist()[before:] == done
    one(audit.EXPORT, "template", "-o", str(tmp_path / "t"), files=3)
    two = sorted(SAMPLES.glob("娄星区-第1次-附件[23]*"))
    one(audit.EXPORT, "check", *map(str, two), "--findings-xlsx", str(tmp_path / "f.xlsx"))
    one(audit.EXPORT, "check", *map(str, two), "--annotate", str(tmp_path / "a"), files=2)
    one(audit.EXPORT, "consolidate", *map(str, two), "-o", str(tmp_path / "city.xlsx"))
    one(audit.EXPORT, "bulletin", "-o", str(tmp_path / "通报.docx"), "--as-of", "2014-04-30")
    one(audit.EXPORT, "corrections", "--export", str(tmp_path / "labelled.toml"))
    log = audit.query(store).iloc[before:]
    assert log["account"].tolist()[:4] == ["甲", audit.CLI_ACCOUNT, audit.CLI_ACCOUNT, "乙"]
    explained = log[log["action"] == audit.EXPLAIN].iloc[0]
    assert (explained["unit"], explained["file"], explained["origin"]) == ("双峰县", "2099.xlsx", "10.0.0.9")
    assert explained["detail"] == "SMALL_BRANCH 附件2!C5：新建支部"
    exports = log[log["action"] == audit.EXPORT]
    written = ["f.xlsx", two[0].name, two[1].name, "city.xlsx", "通报.docx", "labelled.toml"]
    assert exports["file"].tolist()[3:] == written
    assert set(exports["account"]) == {audit.CLI_ACCOUNT}


def test_a_demo_or_a_missing_store_records_no_export_and_none_is_created(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "none.db"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{missing}")
    assert cli.main(["template", "-o", str(tmp_path / "t")]) == cli.EXIT_OK
    assert not missing.exists()  # no store made for a log line
    demo_file = tmp_path / "demo.db"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{demo_file}")
    monkeypatch.setenv("WEAKORG_DEMO", "1")
    demo = Store(f"sqlite:///{demo_file}")
    assert cli.main(["template", "-o", str(tmp_path / "t")]) == cli.EXIT_OK
    assert audit.query(demo, action=audit.EXPORT).empty  # a demo without accounts: nobody to answer for it
    accounts.create(demo, "admin", "a long password", "管理员")
    assert cli.main(["template", "-o", str(tmp_path / "t")]) == cli.EXIT_OK
    assert len(audit.query(demo, action=audit.EXPORT)) == 3  # once an account exists, it is a deployment
    demo.engine.dispose()


def test_the_canonical_name_is_required():
    assert cli_records.canonical("双峰县") == "双峰县"
    with pytest.raises(ValueError, match="双峰县"):
        cli_records.canonical("中共双峰县委组织部")


def test_by_must_name_an_account_that_may_do_it_once_accounts_exist(store, capsys):
    from weakorg import accounts, audit

    sid = ids(store)["娄星区.xlsx"]
    assert cli.main(["withdraw", str(sid), "--reason", "试", "--by", "张三"]) == cli.EXIT_OK  # no account yet: a name
    assert cli.main(["confirm", str(ids(store)["2099.xlsx"]), "--reason", "经电话核实", "--by", "dudao"]) == 0
    capsys.readouterr()
    accounts.create(store, "dudao", "a long password", "督导组", units="娄星区")
    accounts.create(store, "admin", "a long password", "管理员")
    other = ids(store)["错报.xlsx"]
    before = len(audit.query(store))
    for by in ("dudao", "nobody"):  # a 督导组 may not withdraw; nobody is no account
        assert cli.main(["withdraw", str(other), "--reason", "试", "--by", by]) == cli.EXIT_USAGE
        said = capsys.readouterr().err
        assert f"“{by}”不是可以撤回报送的账号" in said and "管理员" in said
    assert not store.is_withdrawn(other) and len(audit.query(store)) == before  # nothing done, nothing logged
    assert cli.main(["withdraw", str(other), "--reason", "试", "--by", "admin"]) == cli.EXIT_OK
    assert audit.query(store, action=audit.WITHDRAW)["account"].tolist()[-1] == "admin"
