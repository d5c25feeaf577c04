"""The reading's confidence and doubt (weakorg.criteria), and the 研判 list (weakorg.review)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from weakorg import criteria
from weakorg.criteria import HIGH, LOW, MAX_TEXT, PENDING, classify

FIXTURES = Path(__file__).parent / "fixtures"


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
