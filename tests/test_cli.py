"""python -m weakorg: arguments, file expansion, the check report, exit codes, --json and the .xlsx return."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import f1_table, f2_table, f3_table, file_result, five_weak_orgs, org, rejected
from openpyxl import load_workbook
from sqlalchemy import func, select

from weakorg import accounts, audit, cli, sessions
from weakorg.cli import accounts as cli_accounts
from weakorg.findings import finding
from weakorg.sample import plan
from weakorg.store import Store, schema

ROOT = Path(__file__).resolve().parent.parent


def batch():
    good = file_result("good.xlsx", f1_table(), f2_table(five_weak_orgs()), f3_table([org("甲村党支部")]))
    bad = file_result(
        "bad.xlsx", f1_table(unit="双峰县", orgs_total=590, party_committees=3, general_branches=5, branches=580)
    )
    return [good, bad, rejected("scan.pdf")]


@pytest.fixture
def fake_reader(monkeypatch):
    """Make the CLI read builder-made results instead of real files (one per path, in order)."""
    made = {}

    def read_paths(paths, campaign):
        return [made[p.name] for p in paths]

    monkeypatch.setattr(cli, "read_paths", read_paths)
    return made


def touch(tmp_path: Path, results) -> list[str]:
    paths = []
    for fr in results:
        (tmp_path / fr.name).write_bytes(b"x")
        paths.append(str(tmp_path / fr.name))
    return paths


def test_parser_knows_the_four_commands():
    p = cli.build_parser()
    assert p.parse_args(["template", "-o", "out"]).out == Path("out")
    assert p.parse_args(["sample", "-o", "out", "--seed", "7"]).seed == 7
    assert p.parse_args(["sample", "-o", "out"]).seed == 2014
    args = p.parse_args(["consolidate", "a.xlsx", "b.xlsx", "-o", "city.xlsx", "--json"])
    assert (args.files, args.out, args.json) == (["a.xlsx", "b.xlsx"], Path("city.xlsx"), True)
    with pytest.raises(SystemExit):
        p.parse_args(["check"])


def test_expand_paths_takes_files_directories_and_globs(tmp_path):
    (tmp_path / "d").mkdir()
    for name in ("d/a.xlsx", "d/b.csv", "d/~$a.xlsx", "c.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    files, missing = cli.expand_paths([str(tmp_path / "d"), str(tmp_path / "*.xlsx"), str(tmp_path / "none.xlsx")])
    assert [f.name for f in files] == ["a.xlsx", "b.csv", "c.xlsx"]
    assert missing == [str(tmp_path / "none.xlsx")]


def test_check_report_groups_findings_by_file_and_lists_refusals():
    files = batch()
    found = [
        finding(
            "BREAKDOWN_SUM",
            "党委(3)+党总支(5)+党支部(580)=588，与所辖基层党组织数590不符。",
            file="bad.xlsx",
            sheet="附件1",
            cell="B5",
        ),
        finding("LATE_SUBMISSION", "首次报送晚于截止日期。", file=None, unit="双峰县"),
    ]
    text = cli.format_findings(files, found)
    lines = text.splitlines()
    assert lines[0].startswith("【good.xlsx】娄星区") and lines[1] == "  未发现问题。"
    assert "[错误] BREAKDOWN_SUM 附件1!B5：党委(3)" in text
    assert "【scan.pdf】已拒收（NOT_SPREADSHEET）" in text
    assert lines[-1] == "共3个文件：可读取2个，拒收1个；错误1条，警告1条，提示0条。"
    assert cli.exit_code(files, found) == 1
    assert cli.exit_code(files[:1], []) == 0
    assert cli.exit_code(files[:1], found[1:]) == 0


def test_check_command_prints_and_exits_1_on_errors(tmp_path, fake_reader, capsys):
    results = batch()
    fake_reader.update({fr.name: fr for fr in results})
    code = cli.main(["check", *touch(tmp_path, results)])
    out = capsys.readouterr().out
    assert code == 1
    assert "BREAKDOWN_SUM 附件1!B5" in out and "588" in out and "590" in out


def test_check_command_exits_0_on_a_clean_batch(tmp_path, fake_reader, capsys):
    results = batch()[:1]
    fake_reader.update({fr.name: fr for fr in results})
    assert cli.main(["check", str(tmp_path / "*.xlsx"), *touch(tmp_path, results)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_check_command_with_no_file_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path / "nothing-*.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_an_unknown_option_is_said_with_the_commands_own_usage(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["check", "--bogus", "a.xlsx"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.startswith("用法：python -m weakorg check")
    assert "无法识别的参数：--bogus" in err


def test_consolidate_json(tmp_path, fake_reader, capsys):
    results = batch()
    fake_reader.update({fr.name: fr for fr in results})
    assert cli.main(["consolidate", "--json", *touch(tmp_path, results)]) == cli.EXIT_PROBLEMS  # scan.pdf refused
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["files", "summary", "weak_orgs", "villages", "findings", "totals"]
    assert [f["status"] for f in data["files"]] == ["ok", "ok", "rejected"]
    assert data["totals"]["city"]["orgs_total"] == 100 + 590
    assert {f["rule"] for f in data["findings"]} >= {"BREAKDOWN_SUM"}


def test_consolidate_writes_the_city_return(tmp_path, fake_reader, capsys):
    results = batch()
    fake_reader.update({fr.name: fr for fr in results})
    out = tmp_path / "out" / "city.xlsx"
    assert cli.main(["consolidate", *touch(tmp_path, results), "-o", str(out), "--layout", "tables"]) == 1  # scan.pdf
    printed = capsys.readouterr().out
    assert "已报送单位2/" in printed and str(out) in printed
    wb = load_workbook(out)
    assert wb.sheetnames == ["附件1汇总表", "附件2一览表", "附件3难点村"]
    rows = list(wb["附件1汇总表"].iter_rows(values_only=True))
    assert rows[0][:4] == ("填报单位", "党组织类别", "填表时间", "所辖基层党组织")
    assert [r[0] for r in rows[1:]] == ["娄星区", "双峰县", "合计"]
    assert rows[-1][3] == 690
    f2 = list(wb["附件2一览表"].iter_rows(values_only=True))
    assert f2[0][:2] == ("填报单位", "软弱涣散基层党组织名称") and len(f2) == 1 + 5
    assert len(list(wb["附件3难点村"].iter_rows(values_only=True))) == 2


def test_template_command_writes_the_three_forms(tmp_path, capsys):
    assert cli.main(["template", "-o", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.xlsx"))) == 3
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_python_dash_m_runs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "weakorg", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "consolidate" in done.stdout


def _has_reader() -> bool:
    try:
        from weakorg.read import read_files  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_reader(), reason="the reader has not landed yet")
def test_check_and_consolidate_real_sample_files(tmp_path, capsys):
    assert cli.main(["sample", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    code = cli.main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1 and out.splitlines()[-1].startswith("共")
    for rule_code, unit in plan(2014).planted:
        assert f"] {rule_code} " in out and unit in out
    assert cli.main(["consolidate", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["city"]["units_reported"] > 0


@pytest.mark.skipif(not _has_reader(), reason="the reader has not landed yet")
def test_check_writes_the_findings_list_and_annotated_copies(tmp_path, capsys):
    samples, listed, annotated = tmp_path / "in", tmp_path / "findings.xlsx", tmp_path / "annotated"
    assert cli.main(["sample", "-o", str(samples)]) == 0
    args = ["check", str(samples), "--findings-xlsx", str(listed), "--annotate", str(annotated)]
    assert cli.main(args) == 1
    out = capsys.readouterr().out
    assert f"问题清单已写入：{listed}" in out and "批注副本已写入" in out
    rows = list(load_workbook(listed).active.values)
    header, rows = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    assert len(rows) == sum(
        int(n) for n in re.findall(r"(\d+)条", next(line for line in out.splitlines() if line.startswith("共")))
    )  # one row per finding
    assert {r[col["规则代码"]] for r in rows} >= {code for code, _ in plan(2014).planted}
    assert sorted(p.name for p in annotated.iterdir()) == sorted(p.name for p in samples.iterdir())
    located = [r for r in rows if r[col["工作表"]] and r[col["单元格"]]]
    assert located
    books = {}
    for r in located:
        name = r[col["文件"]]
        wb = books.setdefault(name, load_workbook(annotated / name))
        comment = wb[r[col["工作表"]]][r[col["单元格"]]].comment
        assert comment is not None and r[col["说明"]] in comment.text


def test_check_annotates_every_workbook_past_a_csv_named_xlsx(tmp_path, capsys):
    samples, annotated = tmp_path / "in", tmp_path / "annotated"
    assert cli.main(["sample", "-o", str(samples)]) == 0
    register = next(p for p in sorted(samples.iterdir()) if p.name.startswith("娄星区-第3次-附件2"))
    rows = load_workbook(register).worksheets[0].iter_rows(values_only=True)
    renamed = samples / f"0-{register.name}"  # first in the batch: a CSV named .xlsx
    renamed.write_text("\n".join(",".join("" if v is None else str(v) for v in r) for r in rows), encoding="utf-8")
    register.unlink()
    assert cli.main(["check", str(samples), "--annotate", str(annotated)]) == 1
    out = capsys.readouterr().out
    assert f"未生成批注副本：{renamed.name}" in out
    books = sorted(p.name for p in samples.iterdir() if p.suffix == ".xlsx" and p != renamed)
    assert sorted(p.name for p in annotated.iterdir()) == books


# --- faults: one Chinese message on stderr, an exit code that tells them apart, a traceback only on request ----


def test_help_lists_the_exit_codes_and_debug():
    text = cli.build_parser().format_help()
    assert "".join(cli.EXIT_CODES_HELP.split()) in "".join(text.split())  # argparse wraps the epilog
    assert "--debug" in text
    assert (cli.EXIT_STORE, cli.EXIT_INTERNAL) == (3, 4)


def test_an_unexpected_error_is_one_chinese_line_and_exit_4(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)

    def bug(*args, **kwargs):
        raise ZeroDivisionError("a bug of ours")

    monkeypatch.setattr(cli, "consolidate", bug)
    sample = str(ROOT / "sample_data" / "娄星区-第1次-附件2-一览表-20140310.xlsx")
    args = ["consolidate", sample]
    assert cli.main(args) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err == cli.INTERNAL_ERROR.format(name="ZeroDivisionError") + "\n" and "Traceback" not in err

    assert cli.main([*args, "--debug"]) == cli.EXIT_INTERNAL  # the flag anywhere: the traceback, then the line
    err = capsys.readouterr().err
    said = cli.INTERNAL_ERROR_DEBUG.format(name="ZeroDivisionError")  # not "run with --debug" once it is
    assert err.startswith("Traceback") and err.endswith(said + "\n")

    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    assert cli.main(args) == cli.EXIT_INTERNAL and capsys.readouterr().err.startswith("Traceback")


def test_check_with_a_damaged_database_exits_3_with_its_message(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    db = tmp_path / "weakorg.db"
    db.write_bytes(b"not a database" * 64)
    sample = str(ROOT / "sample_data" / "娄星区-第1次-附件2-一览表-20140310.xlsx")
    assert cli.main(["check", sample, "--db", f"sqlite:///{db}"]) == cli.EXIT_STORE
    out = capsys.readouterr()
    expected = f"数据库文件已损坏，无法打开：{db}。请从备份恢复，或移走该文件后重新启动（将建立一个新的数据库）。\n"
    assert out.err == expected and out.out == ""


# --- accounts and the audit log: python -m weakorg user … and audit ------------------------------------


def _user(db: str, monkeypatch, *args: str, password: str | None = None) -> int:
    if password is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return cli.main(["user", "--db", db, *args])


def test_the_first_admin_is_made_from_the_command_line(tmp_path):
    db = f"sqlite:///{tmp_path / 'weakorg.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "weakorg", "user", "--db", db, "add", "admin", "--role", "管理员", "--password-stdin"],
        input="a long password\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "已新建账号 admin（管理员）。\n"
    store = Store(db)
    account, _ = sessions.sign_in(store, "admin", "a long password")
    assert account.role == "admin"


def test_user_commands_manage_accounts_and_are_audited(tmp_path, capsys, monkeypatch):
    db = f"sqlite:///{tmp_path / 'weakorg.db'}"
    args = [
        "add",
        "dudao",
        "--role",
        "督导组",
        "--units",
        "双峰县,新化县",
        "--display-name",
        "督导一组",
        "--password-stdin",
    ]
    assert _user(db, monkeypatch, *args, password="password one") == cli.EXIT_OK
    assert capsys.readouterr().out == "已新建账号 dudao（督导组，单位：双峰县、新化县）。\n"
    assert _user(db, monkeypatch, "add", "li", "--role", "analyst", "--password-stdin", password="password two") == 0
    capsys.readouterr()
    assert _user(db, monkeypatch, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["role_label"], a["units"], a["state"]) for a in listed] == [
        ("dudao", "督导组", ["双峰县", "新化县"], "正常"),
        ("li", "分析员", [], "正常"),
    ]
    assert "password" not in json.dumps(listed)
    assert _user(db, monkeypatch, "set-units", "dudao", "新化县") == 0
    assert _user(db, monkeypatch, "set-role", "li", "领导") == 0
    assert _user(db, monkeypatch, "reset-password", "li", "--password-stdin", password="password three") == 0
    assert _user(db, monkeypatch, "disable", "dudao") == 0
    assert _user(db, monkeypatch, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3:] == [
        "用户名\t显示名\t角色\t单位\t状态",
        "dudao\t督导一组\t督导组\t新化县\t已停用",
        "li\tli\t领导\t—\t正常",
    ]
    assert _user(db, monkeypatch, "set-units", "li", "双峰县") == 0  # kept for a later 督导组, read by no page now
    said = capsys.readouterr().out
    assert said == "账号 li 可看的填报单位：双峰县（领导可查看全部单位；改为督导组后按此限定）。\n"
    assert _user(db, monkeypatch, "list") == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "li\tli\t领导\t双峰县（领导可查看全部单位；改为督导组后按此限定）\t正常"
    )
    assert _user(db, monkeypatch, "set-units", "li", "") == 0
    capsys.readouterr()
    store = Store(db)
    with pytest.raises(accounts.SignInRefused):
        sessions.sign_in(store, "li", "password two")
    assert sessions.sign_in(store, "li", "password three")[0].role == "leader"

    assert cli.main(["audit", "--db", db, "--action", "账号变更", "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert [e["account"] for e in log] == [audit.CLI_ACCOUNT] * 8
    assert [e["detail"] for e in log][2:] == [
        "账号 dudao 的单位改为：新化县",
        "账号 li 的角色改为领导",
        "重设账号 li 的密码",
        "停用账号 dudao",
        "账号 li 的单位改为：双峰县",
        "账号 li 的单位改为：无",
    ]
    assert "password" not in json.dumps(log)
    assert cli.main(["audit", "--db", db, "--account", "li"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("时间（北京时间）\t账号") and out[-1] == "共 2 条。"
    with pytest.raises(SystemExit):  # a date that is none: said in Chinese, as the documents' --as-of says it
        cli.main(["audit", "--db", db, "--since", "2026-13-05"])
    assert "日期应写作" in capsys.readouterr().err
    assert "\tli\t登录失败\t被拒绝\t\t\t密码错误（连续第 1 次）\t" in out[1] and "\tli\t登录\t成功\t" in out[2]


def test_account_requests_that_cannot_be_done_exit_2_in_chinese(tmp_path, capsys, monkeypatch):
    db = f"sqlite:///{tmp_path / 'weakorg.db'}"
    assert _user(db, monkeypatch, "add", "x", "--role", "root", "--password-stdin", password="password one") == 2
    assert "没有“root”这个角色" in capsys.readouterr().err
    args = ["add", "x", "--role", "督导组", "--units", "火星县", "--password-stdin"]
    assert _user(db, monkeypatch, *args, password="password one") == 2
    assert "火星县" in capsys.readouterr().err
    assert _user(db, monkeypatch, "add", "x", "--role", "分析员", "--password-stdin", password="short") == 2
    assert "至少 8 个字符" in capsys.readouterr().err
    assert _user(db, monkeypatch, "disable", "nobody") == 2
    assert "没有用户名为“nobody”的账号" in capsys.readouterr().err
    answers = iter(["password one", "password 1"])
    monkeypatch.setattr(cli_accounts.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(cli_accounts, "has_terminal", lambda: True)
    assert _user(db, monkeypatch, "add", "x", "--role", "分析员") == 2
    assert "两次输入的密码不一致" in capsys.readouterr().err
    assert cli.main(["audit", "--db", db, "--action", "nothing"]) == 2
    capsys.readouterr()
    assert cli.main(["audit", "--db", db, "--unit", "火星县"]) == 2  # a unit no campaign nor log entry names
    assert "整顿工作配置中没有名为“火星县”的填报单位" in capsys.readouterr().err
    assert cli.main(["audit", "--db", db, "--unit", "双峰"]) == 0  # its short name: the unit's entries (none yet)
    assert capsys.readouterr().out.splitlines()[-1] == "共 0 条。"
    assert Store(db).engine.connect().execute(select(func.count()).select_from(schema.users)).scalar() == 0


def test_consolidating_only_refused_files_says_so_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "城关镇.xlsx"
    bad.write_text("这不是电子表格", encoding="utf-8")
    out = tmp_path / "city.xlsx"
    assert cli.main(["consolidate", str(bad), "-o", str(out)]) == cli.EXIT_PROBLEMS
    said = capsys.readouterr()
    assert "【城关镇.xlsx】已拒收（" in said.err and cli.NOTHING_READABLE in said.err
    assert not out.exists() and "已报送单位" not in said.out


@pytest.mark.parametrize(
    "argv",
    [["consolidate"], ["bulletin"], ["bulletin", "-o", "x.docx", "--as-of", "4月30日"], ["nosuch"], ["status", "--x"]],
)
def test_argparse_speaks_chinese(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == cli.EXIT_USAGE and "用法：" in err and "错误：" in err
    assert not re.search(r"\b(usage|error|required|arguments?|invalid|unrecognized)\b", err)


def test_help_headings_are_chinese(capsys):
    with pytest.raises(SystemExit):
        cli.main(["brief", "--help"])
    out = capsys.readouterr().out
    assert "用法：" in out and "显示本帮助并退出" in out and "show this help" not in out and "options" not in out
    import argparse

    assert argparse._("usage: ") == "usage: "  # argparse's own words are back outside the command line


def test_files_of_one_name_in_two_folders_each_keep_their_own_findings(tmp_path, capsys):
    samples = ROOT / "sample_data"
    (tmp_path / "x").mkdir(), (tmp_path / "y").mkdir()
    (tmp_path / "x" / "list.xlsx").write_bytes((samples / "娄星区-第3次-附件2-一览表-20140429.xlsx").read_bytes())
    (tmp_path / "y" / "list.xlsx").write_bytes((samples / "娄星区-第2次-附件2-一览表-20140415.xlsx").read_bytes())
    assert cli.main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    x, y = (str(tmp_path / d / "list.xlsx") for d in "xy")
    assert f"【{x}】娄星区；附件2一览表；错误1条" in out and f"【{y}】娄星区；附件2一览表；错误0条" in out
    assert out.index("DUPLICATE_ORG") < out.index(f"【{y}】")  # the error under the file that has it


@pytest.mark.parametrize("command", ["check", "consolidate"])
def test_a_path_naming_no_file_beside_others_is_said_and_exits_1(tmp_path, capsys, command):
    good = next((ROOT / "sample_data").glob("双峰县-第1次*"))
    assert (
        cli.main([command, str(tmp_path / "nope.xlsx"), str(good)]) == cli.EXIT_PROBLEMS
    )  # as load: a cron job sees it
    said = capsys.readouterr()
    assert f"找不到文件：{tmp_path / 'nope.xlsx'}" in said.err and "双峰县" in said.out


def test_an_output_path_that_cannot_be_written_is_said_in_chinese_not_as_an_internal_error(tmp_path, capsys):
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"")
    assert cli.main(["template", "-o", str(taken)]) == cli.EXIT_USAGE  # -o wants a folder: a file holds the name
    assert f"无法写入或读取“{taken}”：已有同名的文件（此处应为文件夹）" in capsys.readouterr().err
    sample = next((ROOT / "sample_data").glob("双峰县-第1次*"))
    nowhere = taken / "list.xlsx"  # a folder that is a file
    assert cli.main(["check", str(sample), "--findings-xlsx", str(nowhere)]) == cli.EXIT_USAGE
    said = capsys.readouterr().err
    assert f"“{taken}”：已有同名的文件" in said and "程序内部出错" not in said


def test_user_add_without_a_terminal_asks_for_password_stdin(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # cron: no terminal, nothing on stdin
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert cli.main(["user", "--db", db, "add", "x6", "--role", "分析员"]) == cli.EXIT_USAGE
    said = capsys.readouterr().err
    assert "--password-stdin" in said and "程序内部出错" not in said and "Warning" not in said


@pytest.mark.parametrize("after", [0.3])  # within the imports, which take a second or two; later is main's
def test_ctrl_c_while_the_command_starts_ends_quietly(tmp_path, after):
    """SIGINT at any moment of the start (its imports take a second or two): no traceback, exit 130."""
    import os
    import signal
    import time

    env = {**os.environ, "WEAKORG_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    proc = subprocess.Popen(  # as a terminal starts it: SIGINT not ignored (a background job's children ignore it)
        [sys.executable, "-m", "weakorg", "load", str(ROOT / "sample_data")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    time.sleep(after)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert proc.returncode in (130, -signal.SIGINT)  # handled; or before Python listened


@pytest.mark.parametrize(
    ("command", "suffix"), [("consolidate", "xlsx"), ("city-return", "xlsx"), ("bulletin", "docx")]
)
def test_an_output_file_named_with_another_suffix_is_refused_and_nothing_written(tmp_path, capsys, command, suffix):
    sample = next((ROOT / "sample_data").glob("双峰县-第1次*"))
    args = [command, str(sample)] if command == "consolidate" else [command]
    assert cli.main([*args, "-o", str(tmp_path / "x.txt")]) == cli.EXIT_USAGE
    assert f"输出文件须以 .{suffix} 结尾" in capsys.readouterr().err and not list(tmp_path.iterdir())
