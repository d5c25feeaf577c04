"""The learned second opinion on the criteria reading: the shipped weights, how they combine with the rules."""

from __future__ import annotations

import builtins
import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench import criteria_train  # as a package: bench/ on sys.path would hide pages/ behind bench/pages.py
from weakorg import criteria
from weakorg.criteria import HIGH, LOW, MODEL_EVIDENCE, PENDING, classify, classify_many, read_rules
from weakorg.criteria import model as criteria_model

PACKAGE = Path(criteria.__file__).resolve().parent


def test_the_shipped_model_is_in_the_package_small_and_names_every_criterion_and_flag():
    assert criteria_model.MODEL_PATH.resolve().parent == PACKAGE
    assert criteria_model.MODEL_PATH.stat().st_size < 2_000_000
    model = criteria_model.load_model()
    assert model.weights.shape == (len(model.vocabulary), len(criteria_model.KEYS))
    assert 0.5 <= model.hi <= 1.01 and 0.0 <= model.lo < 0.5


def test_the_shipped_weights_are_what_the_training_script_fits_on_the_fixtures():
    shipped = criteria_model.load_model()
    data = criteria_train.fitted_sets()
    texts = [t for cases in data.values() for t in criteria_train.prepared(cases)]
    labels = np.array([criteria_train.truth(c) for cases in data.values() for c in cases])
    fitted = criteria_train.fit(texts, labels, shipped.hi, shipped.lo)
    assert fitted.vocabulary == shipped.vocabulary
    probe = texts[::7]
    got = criteria_model.probabilities(probe, shipped)
    assert np.abs(got - criteria_model.probabilities(probe, fitted)).max() < 0.02  # weights stored as float16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("支部书记长期在外务工，三会一课不开展", (1, 5)),
        ("书记与村主任矛盾很深，互相拆台", (3,)),
        ("支部已8年没有换届", (4,)),
        ("群众对支部意见很大，办事推诿", (6,)),
    ],
)
def test_clear_texts_read_right_with_the_models_vote_as_evidence(text, expected):
    got = classify(text)
    assert got.criteria == expected
    for n in expected:
        assert any(e.startswith("模型判断") for e in got.evidence[n])


def test_no_file_outside_the_package_is_read_at_run_time(monkeypatch):
    opened = []
    real = builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: opened.append(f) or real(f, *a, **k))
    criteria_model.default_model.cache_clear()
    criteria.default_rules.cache_clear()
    criteria.forget()
    classify_many(pd.Series(["书记长期在外务工", "三会一课不开展"]))
    files = [Path(f).resolve() for f in opened if isinstance(f, str | Path)]
    assert files and all(f.is_relative_to(PACKAGE) for f in files)


MODEL = criteria_model.Model(
    vocabulary=("a",),
    idf=np.ones(1),
    weights=np.zeros((1, 10), np.float32),
    bias=np.zeros(10, np.float32),
    hi=0.7,
    lo=0.05,
)


def _p(**keys) -> np.ndarray:
    """Probabilities in criteria_model.KEYS order: 0.2 unless given (k1=0.9 for criterion 1)."""
    return np.array([keys.get(f"k{k}" if isinstance(k, int) else k, 0.2) for k in criteria_model.KEYS])


def test_the_rules_and_the_model_agreeing_is_sure_and_both_are_evidence():
    reading = read_rules("三会一课不开展")
    got = criteria._with_model(reading, _p(k5=0.9), MODEL, "三会一课不开展")
    assert got.criteria == (5,) and got.confidence == reading.confidence
    assert got.evidence[5][-1] == MODEL_EVIDENCE.format(p=0.9)


def test_the_model_alone_above_hi_adds_a_key_and_the_reading_is_low():
    got = criteria._with_model(read_rules("三会一课不开展"), _p(k5=0.9, k1=0.8), MODEL, "三会一课不开展")
    assert got.criteria == (1, 5) and got.confidence == LOW
    assert got.evidence[1][0].startswith("模型判断") and "标准1" in got.doubt


def test_the_model_alone_above_alone_reads_a_text_the_rules_read_nothing_in_but_no_denied_key():
    alone = replace(MODEL, alone=0.8)
    text = "党员们都说支部就是个摆设，没什么用"  # the rules read nothing here, but it names a problem (没): 待研判
    assert not read_rules(text).criteria and read_rules(text).confidence == PENDING
    got = criteria._with_model(read_rules(text), _p(k5=0.85), alone, text)
    assert got.criteria == (5,) and got.confidence == LOW
    assert "未读出任何一条标准" not in got.doubt and "标准5" in got.doubt  # the doubt no longer says nothing was read
    assert criteria._with_model(read_rules(text), _p(k5=0.75), alone, text).criteria == ()  # below ALONE
    assert criteria._with_model(read_rules(text), _p(k5=0.85), MODEL, text).criteria == ()  # ALONE above 1: never
    denied = "未发现宗族势力干扰"
    assert criteria._with_model(read_rules(denied), _p(interference=0.95), alone, denied).flags == ()
    content = "群众满意"  # names no problem: however sure the model, it adds nothing (it once read 6 here)
    assert read_rules(content).confidence == HIGH
    assert criteria._with_model(read_rules(content), _p(k6=0.99), alone, content).criteria == ()
    assert criteria.classify(content).criteria == () and criteria.classify("群众满意。" * 400).criteria == ()


def test_the_model_below_lo_drops_a_rules_key_and_says_so():
    reading = read_rules("书记长期在外务工，三会一课不开展")
    assert reading.criteria == (1, 5)
    got = criteria._with_model(reading, _p(k1=0.01, k5=0.9), MODEL, "")
    assert got.criteria == (5,) and got.confidence == LOW and not got.vacant
    assert "标准1" in got.doubt and 1 not in got.evidence


def test_each_key_has_its_own_lo():
    """LO is chosen per key (bench/criteria_train.py): a probability that drops one key the rules read keeps another."""
    reading = read_rules("书记长期在外务工，三会一课不开展")
    lo_keys = (0.3, 0.05, 0.05, 0.05, 0.05, 0.02, 0.1, 0.1, 0.1, 0.1)
    per_key = replace(MODEL, lo_keys=lo_keys)
    assert per_key.lo_of(0) == 0.3 and MODEL.lo_of(0) == MODEL.lo
    got = criteria._with_model(reading, _p(k1=0.2, k5=0.2), per_key, "")
    assert got.criteria == (5,) and "标准1" in got.doubt
    assert criteria._with_model(reading, _p(k1=0.2, k5=0.2), MODEL, "").criteria == (1, 5)


def test_a_key_said_only_of_others_is_denied_to_the_model_too():
    """村干部能力不足: 2 is the secretary's, and the text never speaks of him; the model may not add 2 either."""
    assert 2 in read_rules("村干部能力不足。").denied
    text = "村干部能力不足，书记年纪大了。"  # the secretary is spoken of: the model may judge 2 for him
    assert 2 not in read_rules(text).denied
    got = criteria._with_model(read_rules("村干部能力不足。"), _p(k2=0.99), MODEL, "村干部能力不足。")
    assert got.criteria == ()


def test_a_model_leaning_the_other_way_makes_the_reading_low_without_changing_it():
    got = criteria._with_model(read_rules("三会一课不开展"), _p(k5=0.3, k6=0.6), MODEL, "")
    assert got.criteria == (5,) and got.confidence == LOW


def test_rules_of_ones_own_or_model_false_read_by_the_rules_alone():
    text = "支部书记长期在外务工，三会一课不开展"
    assert classify(text, model=False) == read_rules(text)
    assert classify(text, criteria.default_rules()) == read_rules(text)


def test_criteria_py_carries_the_shipped_models_digest():
    """Stored readings are refreshed when weakorg.criteria changes: a new model must change it (criteria_train does)."""
    assert hashlib.sha256(criteria_model.MODEL_PATH.read_bytes()).hexdigest()[:16] == criteria.MODEL_DIGEST
