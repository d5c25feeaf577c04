"""The criteria readings of 主要问题 texts, kept in the store so that a text is read once.

Reading a text costs about 0.4 ms (weakorg.criteria, rules and model); a county sends the same register round
after round, and a server that restarts (or a second server on the same database) would read every stored text again
for the checks and the 研判 page. The store keeps each reading under the digest of the rules that made it
(``consolidate.readings_digest``) and a hash of the text: new rules or a new model read everything afresh. A kept
reading is a cache, not a record: it changes no page (the store's version stays), and keeping it can never fail a save.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator

from sqlalchemy import delete, select

from weakorg import criteria
from weakorg.consolidate import readings_digest
from weakorg.criteria import Classification
from weakorg.logsafe import exception_line
from weakorg.store import schema
from weakorg.store.guarded import guarded as _guarded
from weakorg.store.rows import insert_tuples

log = logging.getLogger(__name__)

_PART = 500  # text hashes a statement: well under every driver's limit of parameters
_READING_ROW = ("read_by", "text_hash", "reading")


def text_key(text: str) -> str:
    """The hash a text's reading is kept under."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encode(reading: Classification) -> str:
    """A reading as kept: JSON of its fields (evidence as [key, phrases] pairs: its keys are numbers and words)."""
    return json.dumps(
        {
            "criteria": list(reading.criteria),
            "flags": list(reading.flags),
            "vacant": reading.vacant,
            "evidence": [[k, list(v)] for k, v in reading.evidence.items()],
            "truncated": reading.truncated,
            "confidence": reading.confidence,
            "doubt": reading.doubt,
            "denied": sorted(reading.denied, key=str),
        },
        ensure_ascii=False,
    )


def decode(kept: str) -> Classification:
    """A kept reading (``encode``) as the Classification it was."""
    d = json.loads(kept)
    return Classification(
        criteria=tuple(d["criteria"]),
        flags=tuple(d["flags"]),
        vacant=d["vacant"],
        evidence={k: list(v) for k, v in d["evidence"]},
        truncated=d["truncated"],
        confidence=d["confidence"],
        doubt=d["doubt"],
        denied=frozenset(d["denied"]),
    )


def _texts(texts: Iterable) -> list[str]:
    return list(dict.fromkeys(t for t in texts if isinstance(t, str) and t.strip()))


def _kept_rows(conn, hashes: Iterable[str], *columns) -> Iterator[tuple]:
    """(text hash, *columns) of each of these hashes the store keeps a reading of under the current rules."""
    r = schema.readings.c
    ordered = sorted(hashes)
    for i in range(0, len(ordered), _PART):
        part = ordered[i : i + _PART]
        yield from conn.execute(
            select(r.text_hash, *columns).where(r.read_by == readings_digest(), r.text_hash.in_(part))
        )


class KeptReadings:
    """Readings kept across processes (a mixin of ``Store``)."""

    @_guarded
    def kept_readings(self, texts: Iterable) -> dict[str, Classification]:
        """The kept reading of each of these texts that the current rules have read before (text -> reading)."""
        keys = {text_key(t): t for t in _texts(texts)}
        out: dict[str, Classification] = {}
        with self.engine.connect() as conn:
            for h, kept in _kept_rows(conn, keys, schema.readings.c.reading):
                try:
                    out[keys[h]] = decode(kept)
                except (ValueError, KeyError, TypeError):  # kept in another form: read it again
                    continue
        self._known_kept().update(out)
        return out

    def recall(self, texts: Iterable) -> int:
        """Give criteria the kept readings of the texts it has not read in this process; how many it got."""
        kept = self.kept_readings(t for t in _texts(texts) if criteria.remembered(t) is None)
        criteria.remember(kept)
        return len(kept)

    def keep(self, texts: Iterable) -> int:
        """Keep the readings criteria has of these texts and the store has not; how many. A fault is logged, not
        raised: the readings are kept another time."""
        known = self._known_kept()
        texts = [t for t in _texts(texts) if t not in known and criteria.remembered(t) is not None]
        if not texts:  # nothing new to keep: no write transaction (a page's rerun never takes the write lock)
            return 0
        try:
            with self.writer.begin() as conn:
                kept = self.keep_on(conn, texts)
        except Exception as exc:  # a cache: whatever went wrong, the caller's work stands
            log.warning("the readings of 主要问题 were not kept (%s)", exception_line(exc))
            return 0
        self._known_kept().update(kept)
        return len(kept)

    def keep_on(self, conn, texts: Iterable) -> list[str]:
        """Keep on an open transaction (a save's: the readings of the texts of the files it stores) the readings
        criteria has of these texts and the store has not; the texts kept, to be known once it commits."""
        known = self._known_kept()
        read = {t: c for t in _texts(texts) if t not in known and (c := criteria.remembered(t)) is not None}
        if not read:
            return []
        by = readings_digest()
        keys = {text_key(t): t for t in read}
        have = {h for (h,) in _kept_rows(conn, keys)}
        hashes = sorted(keys)  # one order for every writer: two that keep the same texts never deadlock
        rows = [(by, h, encode(read[keys[h]])) for h in hashes if h not in have]
        for i in range(0, len(rows), _PART):
            insert_tuples(conn, schema.readings, _READING_ROW, rows[i : i + _PART], skip_existing=True)
        return list(read)

    def prune_readings(self) -> int:
        """Drop the readings kept under rules other than the current ones (an app server's start); how many. A fault
        is logged, not raised."""
        r = schema.readings.c
        other = r.read_by != readings_digest()
        try:
            with self.engine.connect() as conn:  # most starts: nothing old, and no write lock taken
                if conn.execute(select(r.text_hash).where(other).limit(1)).first() is None:
                    return 0
            with self.writer.begin() as conn:
                dropped = conn.execute(delete(schema.readings).where(other)).rowcount
        except Exception as exc:  # a cache: the server starts all the same
            log.warning("old readings of 主要问题 were not dropped (%s)", exception_line(exc))
            return 0
        log.info("dropped %d readings of 主要问题 kept under earlier rules", dropped)
        return dropped

    def _known_kept(self) -> set[str]:
        """The texts this process knows the store keeps a reading of (so that a page asks again for none)."""
        return self.__dict__.setdefault("_kept_texts", set())
