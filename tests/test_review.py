"""The reading's confidence and doubt (weakorg.criteria), and the 研判 list (weakorg.review)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd

from weakorg import app, criteria, review
from weakorg.campaign import default_campaign
from weakorg.consolidate import parse_criteria
from weakorg.criteria import HIGH, LOW, MAX_TEXT, PENDING, classify
from weakorg.privacy import DEMO_VIEWER
from weakorg.store import Store
from weakorg.tables import returns_from_files

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def test_a_text_naming_a_problem_but_matching_nothing_is_pending_with_the_word_named():
    got = classify("村集体经济薄弱，党员发展难，后继乏人")
    assert got.criteria == () and got.flags == ()
    assert got.confidence == PENDING
    assert "“弱”" in got.doubt and "人工研判" in got.doubt


def test_a_clear_reading_is_sure_and_a_denied_problem_is_no_doubt():
    sure = classify("支部书记长期在外务工，三会一课不开展")
    assert sure.criteria == (1, 5) and sure.confidence == HIGH and sure.doubt == ""
    denied = classify("支部按时开展活动，未发现其他问题")
    assert denied.criteria == () and denied.confidence == HIGH
    assert classify("").confidence == HIGH


def test_a_problem_and_its_resolution_in_one_sentence_is_low_and_names_the_phrase():
    got = classify("支委会缺员问题已于3月补选到位")
    assert got.criteria == () and got.confidence == LOW
    assert "缺员" in got.doubt and "已解决" in got.doubt


def test_criteria_1_and_2_from_one_clause_is_low_and_quotes_the_clause():
    got = classify("书记长期在外经商不在状态")
    assert got.criteria == (1, 2) and got.confidence == LOW
    assert "标准1" in got.doubt and "标准2" in got.doubt and "书记长期在外经商不在状态" in got.doubt
    apart = classify("书记长期在外经商。副书记主持工作，不在状态", model=False)  # the rules' own confidence
    assert apart.criteria == (1,) and apart.confidence == HIGH  # from two sentences: no conflict in one clause
    assert "同一分句" not in classify("书记长期在外经商。副书记主持工作，不在状态").doubt  # whatever the model says


def test_a_truncated_text_is_low():
    got = classify("书记长期在外务工。" + "村里情况一般。" * (MAX_TEXT // 7 + 10))
    assert got.truncated and got.criteria == (1,)
    assert got.confidence == LOW and str(MAX_TEXT) in got.doubt


def test_confidence_never_changes_what_is_read_and_pending_is_only_for_nothing_read():
    for path in sorted(FIXTURES.glob("criteria_*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            got = classify(case["text"])
            assert got.confidence in criteria.CONFIDENCE
            assert (got.confidence == HIGH) == (got.doubt == "")
            if got.confidence == PENDING:
                assert not got.criteria and not got.flags


# --- a correction in every figure and export (weakorg/review.py, the store's picture, the CLI) ------------------------


def stored_sample(tmp_path, unit="双峰县"):
    """A store holding one unit's sample returns (all its rounds); its URL and the files."""
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    store = Store(url)
    paths = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith(unit)]
    app.store_readable(store, app.process_uploads([(p.name, p.read_bytes()) for p in paths], store=store))
    return store, url, paths


def corrected_to(criteria_now: list[int]) -> list[int]:
    """Criteria that differ from the ones an organization counts now: 4 added or, if it has 4, taken away."""
    return sorted(set(criteria_now) ^ {4})


def test_a_correction_changes_the_org_table_the_review_counts_the_city_export_and_consolidate_json(
    tmp_path, monkeypatch, capsys
):
    from weakorg import cli, drill, views
    from weakorg.documents.data import from_store
    from weakorg.export.city import city_workbook
    from weakorg.read import read_file

    store, url, paths = stored_sample(tmp_path)
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    before = app.picture(store)
    org = before.weak_orgs.iloc[0]
    want = corrected_to(list(org["criteria"]))
    four = drill.Filters(criteria=(4,))
    listed_before = len(views.org_table(drill.filter_orgs(before.weak_orgs, four)))
    counts_before = review.criterion_counts(
        before.weak_orgs, review.items(before.weak_orgs, store.standing_corrections())
    )

    store.add_correction(org["unit"], org["name"], org["problems"], want, [], "复核原文后更正", by="fenxi")

    after = app.picture(store)
    row = after.weak_orgs[after.weak_orgs["name"] == org["name"]].iloc[0]
    assert list(row["criteria"]) == want
    step = 1 if 4 in want else -1
    # 组织明细 filtered by criterion 4
    assert len(views.org_table(drill.filter_orgs(after.weak_orgs, four))) == listed_before + step
    # the 研判 page's counts of what counts
    listed = review.items(after.weak_orgs, store.standing_corrections())
    counts_after = review.criterion_counts(after.weak_orgs, listed)
    assert counts_after[review.COUNTED_LABEL].iloc[3] == counts_before[review.COUNTED_LABEL].iloc[3] + step
    assert counts_after[review.READ_LABEL].tolist() == counts_before[review.READ_LABEL].tolist()  # the reading stays
    assert review.state_counts(listed)[review.CORRECTED] == 1
    # the city's return in the official layout, read back: from the store's picture and from the documents page's
    for pic in (after, from_store(store).picture):
        back = read_file(city_workbook(pic, default_campaign()), name="全市.xlsx")
        f2 = returns_from_files([back]).f2
        stated = f2.loc[f2["name"] == org["name"], "criteria_stated"].iloc[0]
        assert parse_criteria(stated) == want
    # consolidate --json of the unit's files, with the store's corrections
    assert cli.main(["consolidate", *map(str, paths), "--json", "--db", url]) == 0
    out = json.loads(capsys.readouterr().out)
    got = [o for o in out["weak_orgs"] if o["unit"] == org["unit"] and o["name"] == org["name"]]
    assert [o["criteria"] for o in got] == [want]


def test_corrections_export_as_labelled_data_in_the_fixtures_shape(tmp_path, capsys):
    from weakorg import cli
    from weakorg.store.corrections import text_hash

    store, url, _ = stored_sample(tmp_path)
    orgs = app.picture(store).weak_orgs
    tricky = 'say "x" \\ then\tnext'
    store.add_correction(orgs["unit"].iloc[0], orgs["name"].iloc[0], orgs["problems"].iloc[0], [2, 5], [], "说明", "a")
    store.add_correction("双峰县", "某村党支部", tricky, [], ["petitions"], "说明", "a")
    out = tmp_path / "labelled.toml"
    assert cli.main(["corrections", "--export", str(out), "--db", url]) == 0
    cases = tomllib.loads(out.read_text(encoding="utf-8"))["case"]
    assert cases == [
        {"text": orgs["problems"].iloc[0], "criteria": [2, 5], "flags": []},
        {"text": tricky, "criteria": [], "flags": ["petitions"]},
    ]
    assert all(
        set(c) == {"text", "criteria", "flags"}
        for c in tomllib.loads((FIXTURES / "criteria_labelled.toml").read_text(encoding="utf-8"))["case"]
    )
    capsys.readouterr()
    assert cli.main(["corrections", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["criteria"], r["flags"], r["by"]) for r in listed][1] == (
        "某村党支部",
        [],
        ["petitions"],
        "a",
    )
    assert text_hash(listed[1]["text"]) == text_hash(tricky)
    assert [r["applies"] for r in listed] == [True, False]  # 某村 is in no register: its correction counts nowhere
    stored = store.standing_corrections()["at"].iloc[1]  # the moment itself, its zone said (UTC, as audit --json)
    assert listed[1]["at"] == pd.Timestamp(stored).tz_localize("UTC").isoformat(timespec="seconds")
    store.add_correction("双峰县", "另一村党支部", "书记长期在外", [1], [], "演示中更正", "")  # a demo: no account
    capsys.readouterr()
    assert cli.main(["corrections", "--db", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    by = lines[0].split("\t").index(review.BY_LABEL)
    assert [line.split("\t")[by] for line in lines[1:]] == ["a", "a", DEMO_VIEWER]  # as the card and 研判 say it
    applies = lines[0].split("\t").index("是否适用")
    assert [line.split("\t")[applies].split("：")[0] for line in lines[1:]] == ["适用", "未适用", "未适用"]


def test_saving_what_already_counts_is_a_confirmation_and_a_change_says_what_changed():
    same = review.saved_note("甲村党支部", ([1, 5], ["petitions"]), ([5, 1], ["petitions"]))
    assert same.startswith("已确认“甲村党支部”的判读（符合标准：1、5；重点整顿：社会治安问题和信访矛盾纠纷集中）")
    changed = review.saved_note("甲村党支部", ([1], []), ([1, 6], ["vote_buying"]))
    said = (
        "已保存对“甲村党支部”的更正：计入统计的符合标准由第（1）条改为第（1）（6）条，"
        "重点整顿由无改为换届选举拉票贿选。"
    )
    assert changed.startswith(said)
    assert "按附件1统计的图表仍以各单位填报数为准" in changed  # what a correction does not change, said


def test_evidence_says_a_phrase_inside_a_longer_one_once():
    evidence = {1: ["书记长期在外", "长期在外", "支部工作没人管"], 5: ["没有上过党课", "没有上过党课"]}
    said = review.evidence_text(evidence)
    assert said == "标准1：书记长期在外、支部工作没人管；标准5：没有上过党课"


def test_a_correction_made_on_a_text_since_changed_is_said_on_its_row_and_no_longer_counts(tmp_path):
    store, _, _ = stored_sample(tmp_path)
    pic = app.picture(store)
    sure = app.review_items(store, pic)
    org = sure[sure["state"] == HIGH].iloc[0]
    counted = list(org["criteria"])
    # an analyst corrected the text the unit sent before; the unit has since sent the one in the picture
    store.add_correction(org["unit"], org["name"], "书记长期外出务工", corrected_to(counted), [], "核实后更正", by="")

    listed = app.review_items(store, app.picture(store))
    row = listed[(listed["unit"] == org["unit"]) & (listed["name"] == org["name"])].iloc[0]
    assert row["state"] == LOW  # a reason to look again, not a correction that still stands
    assert "主要问题已改，该更正不再适用" in row["doubt"]
    assert list(row["criteria"]) == counted  # the old correction counts nowhere
    others = listed[listed["name"] != org["name"]]
    assert not others["doubt"].str.contains("不再适用").any()

    # corrected again on the text as it stands: that correction stands and nothing lapsed is said
    store.add_correction(org["unit"], org["name"], org["problems"], counted, [], "按现行文字确认", by="")
    row = app.review_items(store, app.picture(store)).set_index("name").loc[org["name"]]
    assert row["state"] == review.CORRECTED
    assert "不再适用" not in row["doubt"]
