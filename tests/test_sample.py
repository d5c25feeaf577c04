"""The sample returns: the plan's invariants, its planted mistakes, and the files written from it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import openpyxl
import pytest

from weakorg.campaign import default_campaign
from weakorg.sample import CORRECTION, NOT_DONE, UNKNOWN_CATEGORY, UNKNOWN_UNIT, canonical_category, plan, write_samples
from weakorg.vocab import (
    CATEGORIES,
    F1_COUNT_KEYS,
    F1_CRITERIA_KEYS,
    F1_KIND_KEYS,
    F1_ROWS,
    F2_COLUMNS,
    FORM_TITLES,
    STATUS_DONE,
    STATUSES,
)

CAMPAIGN = default_campaign()


@pytest.fixture(scope="module")
def p():
    return plan()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    return out, write_samples(out)


def _canonical_returns(p):
    return [r for r in p.returns if r.unit in CAMPAIGN.unit_names and r.note != CORRECTION]


def _is_planted(p, rule, unit):
    return (rule, unit) in p.planted


def _latest_round(p, unit):
    return max(r.round for r in p.returns if r.unit == unit)


def test_every_unit_files_in_the_first_round_and_city_bodies_for_their_systems(p):
    assert set(p.rounds[1]) == set(CAMPAIGN.unit_names)
    city = p.rounds[1]
    assert {canonical_category(c) for c in city["市直机关工委"].f1} == {"机关", "其他事业单位"}
    assert {canonical_category(c) for c in city["市两新工委"].f1} == {"非公有制经济组织", "社会组织"}
    assert set(city["市国资委党委"].f1) == {"国有企业"}
    assert set(city["市教育局党委"].f1) == {"学校"}
    assert set(city["市卫生计生委党委"].f1) == {"医疗卫生单位"}
    for county in ("娄星区", "冷水江市", "涟源市", "双峰县", "新化县"):
        cats = {canonical_category(c) for c in city[county].f1}
        assert {"农村", "街道社区", "学校", "医疗卫生单位", "机关"} <= cats
        assert 300 <= city[county].f1["农村"]["orgs_total"] <= 800


def test_header_names_map_to_the_unit_and_some_are_loose(p):
    for ret in p.returns:
        expected = ret.unit if ret.unit in CAMPAIGN.unit_names else None
        assert CAMPAIGN.canonical_unit(ret.header_unit) == expected
    loose = {r.header_unit for r in p.returns if r.header_unit != r.unit}
    assert {"中共双峰县委组织部", "经开区", "冷水江市委组织部（盖章）"} <= loose


def test_kinds_add_up_except_the_planted_breakdown(p):
    off = []
    for ret in p.returns:
        for cat, counts in ret.f1.items():
            if sum(counts[k] for k in F1_KIND_KEYS) != counts["orgs_total"]:
                off.append((ret.unit, ret.round, cat))
            assert counts["branches"] > counts["general_branches"] + counts["party_committees"]
    assert off == [("涟源市", 3, "学校")]
    assert _is_planted(p, "BREAKDOWN_SUM", "涟源市")


def test_weak_share_is_3_to_8_percent(p):
    for ret in _canonical_returns(p):
        for cat, counts in ret.f1.items():
            if canonical_category(cat) is None:
                continue
            share = counts["weak_total"] / counts["orgs_total"]
            assert 0.03 <= share <= 0.08, (ret.unit, cat, share)
            assert counts["weak_total"] <= counts["orgs_total"]


def _criteria_of(row):
    return {int(c) for c in re.findall(r"\d", row.get("criteria_stated") or "")}


def _mismatches(ret):
    """(category, key) where the F1 count differs from the F2 rows of the category."""
    rows = [r for r in ret.f2 if r.get("name")]
    out = []
    for cat, counts in ret.f1.items():
        mine = [r for r in rows if r["category"] == canonical_category(cat)]
        if counts["weak_total"] != len(mine):
            out.append((cat, "weak_total"))
        for n, key in enumerate(F1_CRITERIA_KEYS, 1):
            if counts[key] != sum(1 for r in mine if n in _criteria_of(r)):
                out.append((cat, key))
    return out


def test_f1_criteria_match_the_register_except_planted(p):
    found = {}
    for ret in _canonical_returns(p):
        bad = _mismatches(ret)
        if bad:
            found[(ret.unit, ret.round)] = bad
    assert set(found) == {("冷水江市", 3), ("新化县", 3), ("娄星区", 3)}
    assert found[("冷水江市", 3)] == [("医疗卫生单位", "c6")]
    assert ("农村", "weak_total") in found[("新化县", 3)]
    assert any(key == "weak_total" for _, key in found[("娄星区", 3)])  # the organization listed twice
    for unit, rule in (("冷水江市", "CRITERION_EXCEEDS_WEAK"), ("新化县", "LIST_COUNT_MISMATCH")):
        assert _is_planted(p, rule, unit)


def test_register_length_equals_weak_total_except_planted(p):
    off = set()
    for ret in _canonical_returns(p):
        weak = sum(c["weak_total"] for cat, c in ret.f1.items() if canonical_category(cat))
        if weak != len(ret.f2):
            off.add(ret.unit)
    assert off == {"新化县", "娄星区"}


def test_criteria_undercount_is_planted_in_one_table(p):
    under = [
        (ret.unit, ret.round, cat)
        for ret in _canonical_returns(p)
        for cat, c in ret.f1.items()
        if sum(c[k] for k in F1_CRITERIA_KEYS) < c["weak_total"]
    ]
    assert {u for u, _, _ in under} == {"市两新工委"}
    assert _is_planted(p, "CRITERIA_UNDERCOUNT", "市两新工委")


def test_status_progresses_monotonically(p):
    history: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for rnd, units in p.rounds.items():
        for unit, ret in units.items():
            for row in ret.f2:
                history.setdefault((unit, row["name"]), []).append((rnd, row["status"]))
    for statuses in history.values():
        order = [STATUSES.index(s) for _, s in sorted(statuses)]
        assert order == sorted(order)
    first = Counter(r["status"] for ret in p.rounds[1].values() for r in ret.f2)
    assert set(first) <= {"未启动", "整顿中"} and len(first) == 2
    second = Counter(r["status"] for ret in p.rounds[2].values() for r in ret.f2)
    assert second["整顿中"] > second["已转化"] > 0
    third = Counter(r["status"] for ret in p.rounds[3].values() for r in ret.f2)
    done = sum(third[s] for s in STATUS_DONE)
    assert done > 0.7 * sum(third.values()) and third["整顿中"] > 0


def test_accepted_on_only_for_accepted(p):
    for ret in p.returns:
        for row in ret.f2 or []:
            assert (row["accepted_on"] is not None) == (row["status"] == "已验收")


def test_vacant_secretaries_are_said_so(p):
    for ret in p.returns:
        for row in ret.f2 or []:
            if row["secretary"] in (None, "空缺"):
                assert any(w in row["problems"] for w in ("空缺", "未配备")), row["problems"]
                assert row["phone"] is None


def test_register_values_look_real(p):
    mobile = re.compile(r"^1[3-9]\d{9}$")
    landline = re.compile(r"^0738-\d{7}$")
    bad_phones, bad_members = [], []
    for ret in _canonical_returns(p):
        for row in ret.f2:
            phone = (row["phone"] or "").replace(" ", "")
            if phone and not (mobile.match(phone) or landline.match(phone)):
                bad_phones.append((ret.unit, ret.round))
            m = row["members"]
            lo, hi = (15, 80) if row["category"] == "农村" else (3, 40)
            if not (isinstance(m, int) and lo <= m <= hi):
                bad_members.append((ret.unit, ret.round, m))
            assert row["name"].startswith(("娄底", "湖南", ret.unit))
            assert row["name"].endswith(("党支部", "党总支"))
            assert 1 <= len(re.findall(r"。", row["problems"])) <= 3
    assert bad_phones == [("双峰县", 3)]
    assert sorted(str(m) for *_, m in bad_members) == ["None", "若干"]
    assert {u for u, *_ in bad_members} == {"涟源市"}


def test_problem_texts_vary(p):
    texts = [r["problems"] for ret in p.rounds[1].values() for r in ret.f2]
    assert len(set(texts)) > 0.6 * len(texts)
    assert any("上访" in t for t in texts) and any("拉票" in t for t in texts)


def test_dates_of_the_rounds(p):
    deadline = CAMPAIGN.deadline
    late = {u for u, r in p.rounds[1].items() if r.reported_on > deadline}
    assert late == {"新化县"}
    assert all(date(2014, 3, 10) <= r.reported_on <= date(2014, 3, 14) for r in p.rounds[1].values())
    assert all(r.reported_on == date(2014, 4, 15) for r in p.rounds[2].values())
    assert all(date(2014, 4, 28) <= r.reported_on <= date(2014, 4, 30) for r in p.rounds[3].values())


def test_difficult_villages_get_elected_over_time(p):
    for unit in ("娄星区", "冷水江市", "涟源市", "双峰县", "新化县"):
        rows = {r: p.rounds[r][unit].f3 for r in (1, 2, 3)}
        assert 2 <= len(rows[1]) <= 8
        assert all(v["election_done"] == NOT_DONE for v in rows[1])
        for before, after in zip(rows[2], rows[3], strict=True):
            if isinstance(before["election_done"], date):
                assert after["election_done"] == before["election_done"]
    done3 = [v for ret in p.rounds[3].values() for v in ret.f3 or [] if isinstance(v["election_done"], date)]
    all3 = [v for ret in p.rounds[3].values() for v in ret.f3 or []]
    assert len(done3) > len(all3) / 2


def test_planted_mistakes(p):
    rules = {rule for rule, _ in p.planted}
    assert rules >= {
        "BREAKDOWN_SUM", "CRITERION_EXCEEDS_WEAK", "CRITERIA_UNDERCOUNT", "PERCENT_MISMATCH", "LIST_COUNT_MISMATCH",
        "MEMBERS_INVALID", "PHONE_INVALID", "DUPLICATE_ORG", "LATE_SUBMISSION", "DUPLICATE_SUBMISSION",
        "UNKNOWN_CATEGORY", "UNKNOWN_UNIT",
    }  # fmt: skip
    lx = p.rounds[3]["娄星区"]
    names = [r["name"] for r in lx.f2]
    assert len(names) - len(set(names)) == 1
    assert lx.f1_percents["农村"]["weak_total_pct_orgs"] != round(
        100 * lx.f1["农村"]["weak_total"] / lx.f1["农村"]["orgs_total"], 2
    )
    assert UNKNOWN_CATEGORY in p.rounds[3]["市直机关工委"].f1
    assert UNKNOWN_UNIT in p.rounds[3]
    (corr,) = p.corrections
    original = p.rounds[3][corr.unit]
    assert (corr.unit, corr.reported_on) == ("冷水江市", original.reported_on)
    assert [r["name"] for r in corr.f2] == [r["name"] for r in original.f2]
    assert corr.f2 != original.f2


def test_expected_totals_are_consistent(p):
    t = p.expected_totals()
    city = t["city"]
    for key in F1_COUNT_KEYS:
        assert city[key] == sum(c[key] for c in t["by_category"].values()) == sum(c[key] for c in t["by_unit"].values())
    assert set(t["by_unit"]) == set(CAMPAIGN.unit_names)
    assert set(t["by_category"]) <= set(CATEGORIES)
    # 万宝新区 sent nothing in round 3: its round-2 figures stand.
    assert t["by_unit"]["万宝新区"]["weak_total"] == sum(c["weak_total"] for c in p.rounds[2]["万宝新区"].f1.values())
    # The planted BREAKDOWN_SUM shows in the totals as written.
    assert city["orgs_total"] - sum(city[k] for k in F1_KIND_KEYS) == 2
    standing = {u: r.f2 for u, r in p.rounds[3].items()} | {c.unit: c.f2 for c in p.corrections}
    standing.setdefault("万宝新区", p.rounds[2]["万宝新区"].f2)
    standing.pop(UNKNOWN_UNIT)
    assert t["f2_rows"] == sum(len(rows) for rows in standing.values())
    assert t["f2_orgs"] == t["f2_rows"] - 1  # the duplicate
    assert sum(t["statuses"].values()) == t["f2_orgs"]
    assert 0 < t["f3_elections_done"] < t["f3_villages"]


def test_plan_is_deterministic():
    assert plan(2014).to_json() == plan(2014).to_json()
    assert plan(2014).to_json() != plan(7).to_json()


# ---------------------------------------------------------------------------
# The written files
# ---------------------------------------------------------------------------
def _f1_tables(path):
    """(header text, counts tuple) of every F1 table in a file."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in range(1, ws.max_row + 1):
            if ws.cell(row, 1).value == F1_ROWS["orgs_total"]:
                header = " ".join(str(ws.cell(row - 2, c).value or "") for c in range(1, 7))
                counts = tuple(ws.cell(row + i, 2).value for i in range(len(F1_ROWS)))
                out.append((header, counts))
    return out


def _register_rows(path):
    wb = openpyxl.load_workbook(path)
    n = 0
    for ws in wb.worksheets:
        if ws["A2"].value == FORM_TITLES["F2"]:
            assert [ws.cell(4, c).value for c in range(1, 7)] == list(F2_COLUMNS.values())
            n += sum(1 for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value)
    return n


def test_files_are_written_flat_small_and_named_by_unit_and_round(written, p):
    out, paths = written
    assert paths == sorted(paths)
    assert all(path.parent == out and path.suffix == ".xlsx" for path in paths)
    assert sum(path.stat().st_size for path in paths) < 2_000_000
    for path in paths:
        assert re.match(r"^(.+?)-第([123])次-", path.name), path.name
    names = [path.name for path in paths]
    assert any(n.startswith("娄星区-第1次-附件1-汇总表-") for n in names)
    assert any(n.endswith(f"（{CORRECTION}）.xlsx") for n in names)
    assert sum(n.startswith("新化县-第1次-附件1") for n in names) == len(p.rounds[1]["新化县"].f1)
    assert any(n.startswith(UNKNOWN_UNIT) for n in names)


def test_written_f1_tables_hold_the_planned_counts(written, p):
    _, paths = written
    for ret in p.returns:
        if ret.note == CORRECTION:
            continue
        prefix = f"{ret.unit}-第{ret.round}次-"
        tables = [t for path in paths if path.name.startswith(prefix) for t in _f1_tables(path)]
        assert sorted(c for _, c in tables) == sorted(tuple(c[k] for k in F1_ROWS) for c in ret.f1.values())
        for header, _ in tables:
            assert ret.header_unit in header


def test_written_registers_hold_the_planned_rows(written, p):
    _, paths = written
    for ret in p.returns:
        if ret.note == CORRECTION or ret.f2 is None:
            continue
        prefix = f"{ret.unit}-第{ret.round}次-"
        files = [path for path in paths if path.name.startswith(prefix) and CORRECTION not in path.name]
        assert sum(_register_rows(path) for path in files) == len(ret.f2)


def test_layouts_vary(written):
    _, paths = written
    by_name = {path.name: path for path in paths}
    stacked = next(path for n, path in by_name.items() if n.startswith("娄星区-第3次-附件1"))
    assert len(openpyxl.load_workbook(stacked).sheetnames) == 1
    assert len(_f1_tables(stacked)) == 6
    book = next(path for n, path in by_name.items() if n.startswith("双峰县-第3次"))
    sheets = openpyxl.load_workbook(book).sheetnames
    assert "汇总表（农村）" in sheets and "一览表" in sheets and "难点村" in sheets
    cells = next(path for n, path in by_name.items() if n.startswith("涟源市-第1次"))
    ws = openpyxl.load_workbook(cells)["附件1-农村"]
    assert (ws["A3"].value, ws["B3"].value) == ("填报单位：", "涟源市")


def test_writing_is_deterministic(written, tmp_path):
    _, paths = written
    again = write_samples(tmp_path)
    assert [p.name for p in again] == [p.name for p in paths]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, paths, strict=True))
