"""python -m weakorg … --user NAME: its units only, its role's masking, an unknown or disabled name refused."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from weakorg import accounts, app, audit, cli
from weakorg.cli import scope as cli_scope
from weakorg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
COUNTIES = ["双峰县", "新化县"]
THIRD = "娄星区"
PASSWORD = "a long password"


def sample_paths(units) -> list[Path]:
    return [p for p in app.sample_files(SAMPLES) if p.name.startswith(tuple(units))]


@pytest.fixture
def store(database_url, monkeypatch):
    """The samples of three counties stored; a supervisor of two, a leader, an admin, a disabled supervisor."""
    monkeypatch.setenv("WEAKORG_DATABASE_URL", database_url)
    s = Store(database_url)
    paths = sample_paths([*COUNTIES, THIRD])
    app.store_readable(s, app.process_uploads([(p.name, p.read_bytes()) for p in paths], store=s))
    accounts.create(s, "dudao", PASSWORD, "督导组", units=",".join(COUNTIES))
    accounts.create(s, "lingdao", PASSWORD, "领导")
    accounts.create(s, "guanli", PASSWORD, "管理员")
    accounts.create(s, "tingyong", PASSWORD, "督导组", units="双峰县")
    accounts.set_disabled(s, "tingyong")
    yield s
    s.engine.dispose()


def full_phones(store) -> list[str]:
    pic = app.picture(store)
    phones = pd.concat([pic.weak_orgs["phone"], pic.villages["phone"]]).dropna().astype(str)
    found = [p for p in phones if sum(c.isdigit() for c in p) >= 7]
    assert len(found) > 5
    return found


def test_status_with_a_supervisor_lists_its_units_only(store, capsys):
    assert cli.main(["status", "--json"]) == cli.EXIT_OK
    assert len(json.loads(capsys.readouterr().out)) == 12  # without --user: the operator's view, every unit
    assert cli.main(["status", "--json", "--user", "dudao"]) == cli.EXIT_OK
    assert sorted(row["unit"] for row in json.loads(capsys.readouterr().out)) == sorted(COUNTIES)
    assert cli.main(["status", "--user", "dudao"]) == cli.EXIT_OK
    assert THIRD not in capsys.readouterr().out


def test_consolidate_with_a_supervisor_shows_and_writes_nothing_of_a_third_county(store, tmp_path, capsys):
    files = [str(p) for p in sample_paths([*COUNTIES, THIRD])]
    out = tmp_path / "city.xlsx"  # the city's return, with secretaries and contacts: not a 督导组's, as on the page
    assert cli.main(["consolidate", *files, "--json", "--user", "dudao", "-o", str(out)]) == cli.EXIT_USAGE
    assert "不能导出全市汇总表" in capsys.readouterr().err and not out.exists()
    assert audit.query(store, action=audit.EXPORT).empty
    assert cli.main(["consolidate", *files, "--json", "--user", "dudao"]) == cli.EXIT_OK
    text = capsys.readouterr().out
    data = json.loads(text)
    assert {r["unit"] for r in data["summary"]} == set(COUNTIES)
    assert {r["unit"] for r in data["weak_orgs"]} == set(COUNTIES)
    assert {f["unit"] for f in data["findings"]} <= set(COUNTIES)
    third = app.picture(store, units=[THIRD])
    for name in [THIRD, *third.weak_orgs["name"], *third.villages["name"]]:
        assert name not in text
    for phone in full_phones(store):
        assert phone not in text
    assert any("****" in (r["phone"] or "") for r in data["weak_orgs"])  # masked, not dropped
    expected = app.picture(store, units=COUNTIES)
    assert data["totals"]["city"]["weak_total"] == expected.city["weak_total"]


def test_consolidate_with_a_leader_shows_every_county_and_full_numbers(store, tmp_path, capsys):
    files = [str(p) for p in sample_paths([*COUNTIES, THIRD])]
    assert cli.main(["consolidate", *files, "--json", "--user", "lingdao"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert THIRD in {r["unit"] for r in data["summary"]}
    shown = {r["phone"] for r in data["weak_orgs"] + data["villages"]}
    assert set(full_phones(store)) <= shown
    out = tmp_path / "city.xlsx"  # but not the city's return: a 领导 may not export it, on the page or here
    assert cli.main(["consolidate", *files, "--user", "lingdao", "-o", str(out)]) == cli.EXIT_USAGE
    assert "（领导）不能导出全市汇总表" in capsys.readouterr().err and not out.exists()


def test_an_admin_may_not_reveal_so_its_numbers_are_masked(store, capsys):
    files = [str(p) for p in sample_paths([COUNTIES[0]])]
    assert cli.main(["consolidate", *files, "--json", "--user", "guanli"]) == cli.EXIT_OK
    text = capsys.readouterr().out
    assert not any(phone in text for phone in full_phones(store))


def test_check_with_a_supervisor_leaves_out_a_file_of_another_unit_and_checks_the_others(store, capsys):
    own = [str(p) for p in sample_paths([COUNTIES[0]])][:1]
    assert cli.main(["check", *own, "--user", "dudao"]) in (cli.EXIT_OK, cli.EXIT_PROBLEMS)
    text = capsys.readouterr().out
    assert not any(phone in text for phone in full_phones(store))
    other = [str(p) for p in sample_paths([THIRD])][:1]
    assert cli.main(["check", *own, *other, "--user", "dudao"]) == cli.EXIT_USAGE
    said = capsys.readouterr()
    assert cli_scope.OUTSIDE_FILE.format(name=Path(other[0]).name) in said.err
    assert (
        f"【{Path(own[0]).name}】" in said.out and f"【{Path(other[0]).name}】" not in said.out
    )  # one never stops all
    assert cli.main(["check", *other, "--user", "dudao"]) == cli.EXIT_USAGE and not capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "message"),
    [("nobody", cli_scope.UNKNOWN.format(name="nobody")), ("tingyong", cli_scope.DISABLED.format(name="tingyong"))],
)
def test_an_unknown_or_disabled_account_is_a_chinese_error_with_exit_2(store, capsys, name, message):
    for args in (["status", "--user", name], ["consolidate", str(sample_paths([THIRD])[0]), "--user", name]):
        assert cli.main(args) == cli.EXIT_USAGE
        captured = capsys.readouterr()
        assert captured.err.strip() == message and THIRD not in captured.out


def test_the_bulletin_for_a_supervisor_names_only_its_units(store, tmp_path, capsys):
    out = tmp_path / "通报.docx"
    assert cli.main(["bulletin", "-o", str(out), "--user", "dudao"]) == cli.EXIT_OK
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        written = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert all(unit in written for unit in COUNTIES) and THIRD not in written
    assert cli.main(["bulletin", "-o", str(out), "--user", "nobody"]) == cli.EXIT_USAGE
    out.unlink()
    assert cli.main(["bulletin", "-o", str(out), "--user", "dudao", "--unit", THIRD]) == cli.EXIT_USAGE
    assert f"{THIRD}不属于账号“dudao”可查看的填报单位" in capsys.readouterr().err and not out.exists()


def test_submissions_for_a_supervisor_list_its_units_only(store, capsys):
    assert cli.main(["submissions", "--json", "--user", "dudao"]) == cli.EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert listed and {r["unit"] for r in listed} == set(COUNTIES)
    assert cli.main(["submissions", "--json", "--user", "dudao", "--unit", THIRD]) == cli.EXIT_USAGE
    out = capsys.readouterr()  # a unit outside the scope: said, as bulletin and check say it, nothing of it listed
    assert out.out == "" and f"{THIRD}不属于账号“dudao”可查看的填报单位" in out.err
    assert cli.main(["submissions", "--json"]) == cli.EXIT_OK
    assert THIRD in {r["unit"] for r in json.loads(capsys.readouterr().out)}
