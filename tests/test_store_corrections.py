"""Analysts' corrections of the reading (weakorg/store/corrections.py): append-only, the latest stands, only while
the text is unchanged, one audit entry each, in every figure of the store's picture. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.test_store import _register_rows, f1_table, file_result
from weakorg import app, audit
from weakorg.criteria import classify
from weakorg.store import Store, schema
from weakorg.store.corrections import NOTE_MISSING, text_hash
from weakorg.tables import F2_ROW_COLUMNS, Table
from weakorg.vocab import F2

UNIT = "双峰县"
SICK = "支部书记长期生病住院，支部工作无人主持"  # read as criterion 1
LAZY = "书记忙于自家生意，工作不在状态"  # read as criterion 2


def register(problems: dict[str, str], day=date(2014, 3, 11), unit=UNIT) -> Table:
    """A bare official F2 register (no 符合标准 column): one line per name, with its 主要问题."""
    values = [{"name": n, "members": 10.0 + i, "problems": p} for i, (n, p) in enumerate(problems.items())]
    return Table(F2, "附件2", _register_rows(F2_ROW_COLUMNS, values), unit=unit, unit_raw=unit, reported_on=day)


def a_return(problems: dict[str, str], name="第1次.xlsx", day=date(2014, 3, 11)):
    """A unit's return: one F1 table and the register."""
    return file_result(name, [f1_table(UNIT, day=day), register(problems, day)], unit=UNIT)


@pytest.fixture
def store(database_url) -> Store:
    """A store on an empty database, once on SQLite and once on PostgreSQL."""
    store = Store(database_url)
    yield store
    store.engine.dispose()


def criteria_of(store: Store, name: str) -> list[int]:
    orgs = app.picture(store).weak_orgs
    return list(orgs.loc[orgs["name"] == name, "criteria"].iloc[0])


def test_a_correction_stands_in_the_picture_and_leaves_one_audit_entry(store):
    store.add(a_return({"甲村党支部": SICK, "乙村党支部": LAZY}))
    assert criteria_of(store, "甲村党支部") == list(classify(SICK).criteria) == [1]
    before = store.version()

    store.add_correction(UNIT, "甲村 党支部", SICK, [2, 5], ["petitions"], "书记已出院在岗，只是不在状态", by="fenxi1")

    assert store.version() > before  # every cached figure moves
    assert criteria_of(store, "甲村党支部") == [2, 5]
    orgs = app.picture(store).weak_orgs
    assert list(orgs.loc[orgs["name"] == "甲村党支部", "flags"].iloc[0]) == ["petitions"]
    assert criteria_of(store, "乙村党支部") == [2]  # the other organization keeps its reading
    entries = audit.query(store, action=audit.CORRECT)
    assert len(entries) == 1
    entry = entries.iloc[0]
    assert (entry["account"], entry["unit"]) == ("fenxi1", UNIT)
    assert "甲村党支部" in entry["detail"] and "书记已出院在岗" in entry["detail"]
    standing = store.standing_corrections()
    assert standing[["unit", "name", "by"]].values.tolist() == [[UNIT, "甲村党支部", "fenxi1"]]
    assert standing["text_hash"].iloc[0] == text_hash(SICK)


def test_the_latest_correction_stands_and_both_are_kept(store):
    store.add(a_return({"甲村党支部": SICK}))
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "第一次研判", by="a")
    store.add_correction(UNIT, "甲村党支部", SICK, [1, 5], [], "复核后改回", by="b")
    assert criteria_of(store, "甲村党支部") == [1, 5]
    standing = store.standing_corrections()
    assert standing[["criteria", "note", "by"]].values.tolist() == [[[1, 5], "复核后改回", "b"]]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.reading_corrections)).scalar_one() == 2
    assert len(audit.query(store, action=audit.CORRECT)) == 2


def test_a_correction_carries_over_while_the_text_is_unchanged_and_lapses_when_it_changes(store):
    store.add(a_return({"甲村党支部": SICK, "乙村党支部": LAZY}))
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "在岗但不胜任", by="a")
    store.add_correction(UNIT, "乙村党支部", LAZY, [], [], "经核实已调整", by="a")
    # the next round: 甲村's text is the same (spacing aside), 乙村's text changed
    later = {"甲村党支部": SICK.replace("，", "， "), "乙村党支部": LAZY + "，三会一课不开展"}
    store.add(a_return(later, "第2次.xlsx", date(2014, 4, 20)))
    assert criteria_of(store, "甲村党支部") == [2]  # carried over
    assert criteria_of(store, "乙村党支部") == [2, 5]  # read again: the old correction does not apply


def test_a_correction_needs_a_note_and_known_criteria(store):
    store.add(a_return({"甲村党支部": SICK}))
    with pytest.raises(ValueError, match=re.escape(NOTE_MISSING)):
        store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "  ", by="a")
    with pytest.raises(ValueError, match="1至6"):
        store.add_correction(UNIT, "甲村党支部", SICK, [7], [], "说明", by="a")
    with pytest.raises(ValueError, match="四种"):
        store.add_correction(UNIT, "甲村党支部", SICK, [1], ["bribery"], "说明", by="a")
    assert store.standing_corrections().empty and audit.query(store, action=audit.CORRECT).empty


def test_standing_corrections_take_a_scope(store):
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "说明", by="a")
    store.add_correction("新化县", "丙村党支部", LAZY, [3], [], "说明", by="a")
    assert store.standing_corrections({"新化县"})["unit"].tolist() == ["新化县"]
    assert len(store.standing_corrections()) == 2


def test_no_code_updates_or_deletes_a_correction():
    """Append-only: nothing in weakorg/ builds an update() or delete() of reading_corrections."""
    table = "reading_corrections"
    pattern = re.compile(rf"(update|delete)\(\s*(schema\.)?{table}|{table}\s*\.\s*(update|delete)\(")
    root = Path(__file__).resolve().parents[1] / "weakorg"
    hits = [p for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert hits == []
    assert pattern.search("conn.execute(update(schema.reading_corrections))")


def test_a_correction_stands_in_the_checks_of_its_unit(store):
    """CRITERIA_LIST_MISMATCH compares 附件1's count per criterion with the register's readings: the corrected one."""
    store.add(a_return({"甲村党支部": SICK, "乙村党支部": LAZY}))  # 附件1 states c1 = 1, c2 = 2 (tests.test_store)

    def mismatched() -> set[int]:
        found = [f for f in store.current_findings({UNIT}) if f.rule == "CRITERIA_LIST_MISMATCH"]
        return {int(n) for f in found for n in re.findall(r"第（(\d)）条", f.message)}

    assert 1 not in mismatched() and 2 in mismatched()  # read: one c1 (甲), one c2 (乙)
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "书记在岗，只是不在状态", by="fenxi1")
    assert 1 in mismatched() and 2 not in mismatched()  # corrected: no c1, two c2

    # the upload's check of a later copy with the same texts (and check --db): the correction stands there too
    from weakorg.app import check_batch
    from weakorg.campaign import default_campaign

    again = a_return({"甲村党支部": SICK, "乙村党支部": LAZY}, name="第1次（补充）.xlsx")
    found = [f.message for f in check_batch([again], default_campaign(), store) if f.rule == "CRITERIA_LIST_MISMATCH"]
    assert {int(n) for m in found for n in re.findall(r"第（(\d)）条", m)} == mismatched()  # as the pages have it


def test_a_gap_the_correction_made_is_said_to_be_the_analysts_not_the_countys(store):
    """The county's 附件1 agreed with its own text (c1 = 1); the analyst read 甲 as c2: the finding says so."""
    store.add(a_return({"甲村党支部": SICK, "乙村党支部": LAZY}))
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "书记在岗，只是不在状态", by="fenxi1")
    found = {
        int(re.search(r"第（(\d)）条", f.message)[1]): f.message
        for f in store.current_findings({UNIT})
        if f.rule == "CRITERIA_LIST_MISMATCH"
    }
    assert "差异来自分析员研判（更正前为1个" in found[1] and f"{UNIT}无需修改" in found[1]
    assert "请核对" not in found[1]


def _stated_return(criteria_stated: str):
    """A unit's return whose register states its criteria (符合标准) for 甲, whose text reads as criterion 1."""
    line = {"name": "甲村党支部", "members": 10.0, "problems": SICK, "criteria_stated": criteria_stated}
    day = date(2014, 3, 11)
    stated = Table(F2, "附件2", _register_rows(F2_ROW_COLUMNS, [line]), unit=UNIT, unit_raw=UNIT, reported_on=day)
    return file_result("第1次.xlsx", [f1_table(UNIT, day=day), stated], unit=UNIT)


def text_mismatches(store: Store) -> list[str]:
    return [f.message for f in store.current_findings({UNIT}) if f.rule == "CRITERIA_TEXT_MISMATCH"]


def test_a_criterion_only_the_analyst_adds_is_not_held_against_the_countys_cell(store):
    """CRITERIA_TEXT_MISMATCH holds the clerk's 符合标准 against the clerk's text: an analyst's 6 is not its gap."""
    store.add(_stated_return("1"))
    assert text_mismatches(store) == []
    store.add_correction(UNIT, "甲村党支部", SICK, [1, 6], [], "群众对其意见很大", by="fenxi1")
    assert criteria_of(store, "甲村党支部") == [1, 6]  # it counts
    assert text_mismatches(store) == []  # and the county is not asked to change its cell for it


def test_a_criterion_the_analyst_takes_away_is_no_longer_asked_of_the_county(store):
    """The cell says 2, the text reads as 1: a warning; the analyst settles on 2 alone and the warning goes."""
    store.add(_stated_return("2"))
    assert [m for m in text_mismatches(store) if "还符合第（1）条标准" in m]
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "书记在岗，只是不在状态", by="fenxi1")
    assert text_mismatches(store) == []


def test_a_correction_counts_over_the_countys_criteria_cell_in_the_checks_as_on_the_pages(store):
    """甲's 符合标准 cell says 1; the analyst settles on 1 and 2: the pages count it under 2, and so does the check
    of 附件1's count for 2 (it said 有0个 while 组织明细 listed one)."""
    store.add(_stated_return("1"))  # 附件1 states c2 = 2

    def gap_of_two() -> str:
        (found,) = [
            f.message
            for f in store.current_findings({UNIT})
            if f.rule == "CRITERIA_LIST_MISMATCH" and "第（2）条" in f.message
        ]
        return found

    assert "有0个" in gap_of_two()
    store.add_correction(UNIT, "甲村党支部", SICK, [1, 2], [], "书记长期生病，也无力履职", by="fenxi1")
    assert criteria_of(store, "甲村党支部") == [1, 2]
    assert "有1个" in gap_of_two() and "更正前为0个" in gap_of_two()


def test_a_note_longer_than_the_limit_is_refused_and_nothing_is_stored(store):
    from weakorg.store.corrections import NOTE_MAX

    store.add(a_return({"甲村党支部": SICK}))
    with pytest.raises(ValueError, match=f"不能超过{NOTE_MAX}字"):
        store.add_correction(UNIT, "甲村党支部", SICK, [1], [], "说" * (NOTE_MAX + 1), by="fenxi1")
    assert store.standing_corrections().empty
    store.add_correction(UNIT, "甲村党支部", SICK, [1], [], "说" * NOTE_MAX, by="fenxi1")  # the limit itself is fine
    assert len(store.standing_corrections()) == 1


def test_a_gap_the_correction_made_is_on_the_findings_page_but_on_no_organizations_card(store):
    from weakorg import scoped

    store.add(a_return({"甲村党支部": SICK, "乙村党支部": LAZY}))  # 附件1 counts no organization under criterion 6
    store.add_correction(UNIT, "甲村党支部", SICK, [1, 6], [], "群众对其意见很大", by="fenxi1")
    made = [f for f in store.current_findings({UNIT}) if "差异来自分析员研判" in f.message]
    assert [re.search(r"第（(\d)）条", f.message)[1] for f in made] == ["6"]  # the analyst confirms it there
    card = scoped.org_card(store, None, UNIT, "甲村党支部")  # it meets 6 now, and its card says the correction
    assert card.correction and not [f for f in card.findings if "差异来自分析员研判" in f.message]


def test_a_withdrawn_correction_no_longer_stands_and_every_record_is_kept(store):
    """An analyst withdraws a correction: the rules' reading counts again; nothing is deleted, the organization's
    record of corrections says each one and the withdrawal, newest first, and the audit log has one entry each."""
    from weakorg.store.corrections import WITHDRAWN_SAID

    store.add(a_return({"甲村党支部": SICK}))
    store.add_correction(UNIT, "甲村党支部", SICK, [5], [], "第一次研判", by="a")
    store.add_correction(UNIT, "甲村党支部", SICK, [2], ["petitions"], "复核后改为2", by="b")
    assert criteria_of(store, "甲村党支部") == [2]
    before = store.version()

    with pytest.raises(ValueError, match="撤销更正须填写说明"):  # a colleague's word is undone for a reason
        store.withdraw_correction(UNIT, "甲村 党支部", SICK, "", by="b")
    assert store.version() == before and criteria_of(store, "甲村党支部") == [2]
    store.withdraw_correction(UNIT, "甲村 党支部", SICK, "经核实原判读无误", by="b")

    assert store.version() > before
    assert criteria_of(store, "甲村党支部") == list(classify(SICK).criteria) == [1]  # the reading again
    assert store.standing_corrections().empty
    history = store.correction_history(UNIT, "甲村党支部")
    assert history[["criteria", "flags", "withdrawn", "note", "by"]].values.tolist() == [
        [[], [], True, "经核实原判读无误", "b"],
        [[2], ["petitions"], False, "复核后改为2", "b"],
        [[5], [], False, "第一次研判", "a"],
    ]
    entries = audit.query(store, action=audit.CORRECT)
    assert len(entries) == 3 and any(WITHDRAWN_SAID in d for d in entries["detail"])
    store.add_correction(UNIT, "甲村党支部", SICK, [1, 5], [], "再次研判", by="a")  # a later correction stands again
    assert criteria_of(store, "甲村党支部") == [1, 5]


def test_who_corrected_is_said_as_users_know_them(store):
    from weakorg import accounts, review, views

    accounts.create(store, "zhangsan", "a long password", "分析员", display_name="张三")
    store.add(a_return({"甲村党支部": SICK}))
    store.add_correction(UNIT, "甲村党支部", SICK, [5], [], "第一次研判", by="zhangsan")
    store.add_correction(UNIT, "甲村党支部", SICK, [2], [], "复核", by="gone")  # an account no longer there
    assert store.standing_corrections()["by_shown"].tolist() == ["gone"]
    assert store.correction_history(UNIT, "甲村党支部")["by_shown"].tolist() == ["gone", "张三（zhangsan）"]
    store.add_correction(UNIT, "甲村党支部", SICK, [5], [], "再次研判", by="zhangsan")
    listed = review.items(store.corrected(app.picture(store).weak_orgs), store.standing_corrections())
    assert listed.loc[listed["name"] == "甲村党支部", "by"].tolist() == ["张三（zhangsan）"]
    card = views.org_card(
        store.corrected(app.picture(store).weak_orgs),
        store.returns(),
        UNIT,
        "甲村党支部",
        history_of_corrections=store.correction_history(UNIT, "甲村党支部"),
    )
    assert any(" 张三（zhangsan）：" in line for line in views.correction_lines(card))
