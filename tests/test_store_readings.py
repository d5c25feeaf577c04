"""Readings kept in the store: a 主要问题 text read once, recalled exactly by the next process, never failing a save."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event, func, insert, select, text

from tests.test_store import file_result
from weakorg import criteria
from weakorg.app import process_uploads, save_uploads
from weakorg.consolidate import readings_digest
from weakorg.criteria import Classification
from weakorg.store import Store, schema
from weakorg.store.readings import decode, encode, text_key
from weakorg.tables import returns_from_files
from weakorg.vocab import F2

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _labelled_texts(n: int = 300) -> list[str]:
    """Texts of the labelled sets: every kind of reading (vacancies, flags, doubts, the model's additions)."""
    texts: list[str] = []
    for path in sorted(FIXTURES.glob("criteria_*.toml")):
        texts += [case["text"] for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]]
    return list(dict.fromkeys(texts))[:n]


@pytest.fixture
def store(database_url):
    criteria.forget()
    store = Store(database_url)
    yield store
    store.engine.dispose()
    criteria.forget()


def _kept_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.readings)).scalar_one()


def test_a_reading_kept_is_the_reading_it_was():
    texts = _labelled_texts()
    read = [*criteria.classify_many(pd.Series(texts)), *map(criteria.read_rules, texts)]  # the rules' keep ``denied``
    kinds = {
        "vacant": any(c.vacant for c in read),
        "flags": any(c.flags for c in read),
        "doubt": any(c.doubt for c in read),
        "denied": any(c.denied for c in read),
        "numbers and words as keys": any(1 in c.evidence and "vacant" in c.evidence for c in read),
    }
    assert all(kinds.values()), kinds  # the texts cover what a reading can hold
    assert [decode(encode(c)) for c in read] == read


def test_the_next_process_recalls_what_this_one_read_and_reads_nothing_again(store, database_url):
    texts = _labelled_texts()
    first = criteria.classify_many(pd.Series(texts)).tolist()
    assert store.keep(texts) == len(texts)
    began: list = []
    event.listen(store.writer.engine, "begin", lambda conn: began.append(1))
    assert store.keep(texts) == 0 and not began  # kept once; asked again, not even a transaction
    criteria.forget()  # a new process: nothing read yet
    later = Store(database_url)
    assert later.recall(texts) == len(texts)
    assert [criteria.remembered(t) for t in texts] == first
    assert later.recall(texts) == 0  # remembered now: the store is not asked again
    assert later.version() == store.version() == 0  # a cache: no page's figures changed
    later.engine.dispose()


def test_readings_made_under_other_rules_or_kept_in_another_form_are_read_again(store):
    old, damaged = "书记长期外出务工，三会一课不落实", "班子不团结，内耗严重"
    with store.writer.begin() as conn:
        conn.execute(
            insert(schema.readings),
            [
                {"read_by": "0123456789abcdef", "text_hash": text_key(old), "reading": encode(Classification((6,)))},
                {"read_by": readings_digest(), "text_hash": text_key(damaged), "reading": "{not json"},
            ],
        )
    assert store.kept_readings([old, damaged]) == {}
    assert store.recall([old, damaged]) == 0
    assert criteria.classify_many(pd.Series([old, damaged])).map(lambda c: c.criteria).tolist() == [(1, 5), (3,)]


def test_readings_made_under_other_rules_are_dropped_and_the_current_ones_kept(store):
    texts = _labelled_texts(20)
    criteria.classify_many(pd.Series(texts))
    store.keep(texts)
    with store.writer.begin() as conn:
        conn.execute(
            insert(schema.readings),
            [
                {"read_by": "0123456789abcdef", "text_hash": text_key(t), "reading": encode(Classification())}
                for t in texts
            ],
        )
    assert _kept_rows(store) == 2 * len(texts)
    assert store.prune_readings() == len(texts)
    assert _kept_rows(store) == len(texts)
    began: list = []
    event.listen(store.writer.engine, "begin", lambda conn: began.append(1))
    assert store.prune_readings() == 0 and not began  # nothing old: no write transaction
    criteria.forget()
    assert store.recall(texts) == len(texts)  # the current readings stand


def test_a_save_keeps_the_readings_of_its_texts(store):
    fr = file_result()
    returns = returns_from_files([fr])
    (stored,) = store.add_many(returns)
    assert stored.new
    texts = returns.frame(F2)["problems"].dropna().unique().tolist()
    assert texts and set(store.kept_readings(texts)) == set(texts)
    assert store.version() == 1  # the save, and nothing for the readings


def test_a_save_whose_readings_cannot_be_kept_is_stored_all_the_same(store, caplog):
    with store.writer.begin() as conn:
        conn.execute(text("DROP TABLE readings"))
    with caplog.at_level(logging.WARNING, logger="weakorg.store.readings"):
        (stored,) = store.add_many(returns_from_files([file_result()]))
    assert stored.new and stored.error is None
    assert len(store.submissions()) == 1
    assert "主要问题" in caplog.text and "书记" not in caplog.text  # said, and no text of a return in the log


def test_an_upload_after_a_restart_takes_the_kept_readings_of_the_units_stored_texts(store, database_url):
    first = sorted(SAMPLE.glob("冷水江市-第1次-*.xlsx"))
    uploads = [(p.name, p.read_bytes()) for p in first]
    results = process_uploads(uploads, store=store)
    save_uploads(store, results)
    stored = store.returns({"冷水江市"}).frame(F2)["problems"].dropna().unique().tolist()
    assert len(stored) > 5 and _kept_rows(store) >= len(stored)
    # what the store keeps is what the next process takes, not a reading of its own: mark one text's kept reading
    marked = stored[0]
    with store.writer.begin() as conn:
        conn.execute(
            schema.readings.update()
            .where(schema.readings.c.text_hash == text_key(marked))
            .values(reading=encode(Classification((6,), evidence={6: ["标记"]})))
        )
    criteria.forget()  # the server restarts
    later = Store(database_url)
    second = sorted(SAMPLE.glob("冷水江市-第2次-*.xlsx"))
    process_uploads([(p.name, p.read_bytes()) for p in second], store=later)
    assert criteria.remembered(marked).criteria == (6,)  # recalled from the store, not read again
    later.engine.dispose()


def test_two_processes_keeping_the_same_texts_at_once_both_succeed(store, database_url, caplog):
    """Two servers keep the readings of the same texts at the same moment (the 研判 page in each): no error, no
    deadlock, each text kept once."""
    import threading

    texts = _labelled_texts(200)
    criteria.classify_many(pd.Series(texts))
    other = Store(database_url)
    done, errors = [], []

    def keep(s: Store) -> None:
        try:
            done.append(s.keep(texts))
        except Exception as exc:  # keep logs its faults: anything here is a bug
            errors.append(exc)

    threads = [threading.Thread(target=keep, args=(s,)) for s in (store, other)]
    with caplog.at_level(logging.WARNING, logger="weakorg.store.readings"):
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    other.engine.dispose()
    assert errors == [] and len(done) == 2 and "not kept" not in caplog.text  # neither failed, even quietly
    assert _kept_rows(store) == len(texts)
    assert set(store.kept_readings(texts)) == set(texts)
