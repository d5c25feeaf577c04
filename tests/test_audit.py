"""The audit log (weakorg.audit) on SQLite and PostgreSQL: one entry per record, filters, append-only."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from weakorg import admin, audit
from weakorg.accounts import Account
from weakorg.store import Store
from weakorg.vocab import ANALYST

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.engine.dispose()


def test_each_record_is_one_entry_with_who_what_and_where(store):
    zhang = Account("zhang", "张三", ANALYST, None)
    audit.record(store, zhang, audit.SAVE, unit="双峰县", file="双峰县.xlsx", sha256="ab" * 32, origin="10.0.0.7")
    audit.record(store, "li", audit.DOWNLOAD, file="组织明细.xlsx")
    audit.record(store, None, audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail="a\x00b")  # PostgreSQL refuses NUL
    log = audit.query(store)
    assert len(log) == 3
    first = log.iloc[0]
    assert (first["account"], first["action"], first["outcome"], first["unit"]) == ("zhang", "save", "ok", "双峰县")
    assert (first["file"], first["sha256"], first["origin"]) == ("双峰县.xlsx", "ab" * 32, "10.0.0.7")
    assert list(log["account"]) == ["zhang", "li", ""]
    assert log.iloc[2]["detail"] == "ab"
    assert log["at"].notna().all()


def test_unknown_actions_are_refused(store):
    with pytest.raises(ValueError):
        audit.record(store, "zhang", "delete_everything")
    with pytest.raises(ValueError):
        audit.record(store, "zhang", audit.SAVE, outcome="maybe")
    assert audit.query(store).empty


def test_query_filters(store):
    audit.record(store, "zhang", audit.SAVE, unit="双峰县")
    audit.record(store, "zhang", audit.EXPORT)
    audit.record(store, "li", audit.SAVE, unit="新化县")
    assert len(audit.query(store, account="zhang")) == 2
    assert list(audit.query(store, action=audit.SAVE)["account"]) == ["zhang", "li"]
    assert list(audit.query(store, unit="新化县")["account"]) == ["li"]
    assert len(audit.query(store, account="zhang", action=audit.SAVE)) == 1
    at = audit.query(store)["at"].iloc[0]
    today = (at + timedelta(hours=8)).date()  # the day users read in the log: Beijing time's
    assert len(audit.query(store, since=today, until=today)) == 3  # a date: the whole day
    assert audit.query(store, since=today + timedelta(days=1)).empty
    assert audit.query(store, until=date(2000, 1, 1)).empty
    assert list(audit.query(store, account="nobody").columns) == list(audit.COLUMNS)


def test_no_code_updates_or_deletes_the_audit_log():
    """Append-only: nothing in weakorg/ builds an update() or delete() of audit_log, nor SQL that does."""
    pattern = re.compile(
        r"(update|delete)\(\s*(schema\.)?audit_log|audit_log\s*\.\s*(update|delete)\(|(UPDATE|DELETE\s+FROM)\s+audit_log",
        re.IGNORECASE,
    )
    offenders = [
        str(p.relative_to(ROOT)) for p in (ROOT / "weakorg").rglob("*.py") if pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []
    assert pattern.search("conn.execute(update(schema.audit_log).values(x=1))")  # the pattern does find one
    assert pattern.search('conn.exec_driver_sql("DELETE FROM audit_log")')


def test_a_date_filter_is_a_day_in_beijing_time_and_the_log_says_its_times_so():
    """The store keeps UTC; a user reads the log, and picks its days, in Beijing time (UTC+8)."""
    assert audit._start(date(2026, 12, 5)) == datetime(2026, 12, 4, 16, 0)  # 00:00 in Beijing
    assert audit._start(datetime(2026, 12, 5, 3, 0)) == datetime(2026, 12, 5, 3, 0)  # a moment: as given
    log = pd.DataFrame({"at": [datetime(2026, 12, 4, 16, 30, 5)], "account": ["zhang"], "action": [audit.SAVE]})
    shown = admin.audit_table(log)
    assert shown.columns[0] == "时间（北京时间）" and shown.iloc[0, 0] == "2026-12-05 00:30:05"


def test_a_requests_origin_is_its_peer_or_behind_a_local_proxy_the_client_it_names():
    """audit.request_origin: Streamlit gives no peer address for a local connection, which is what a reverse proxy on
    the same machine (the README's advice) makes of every request: the client is then the one the proxy names; a
    header that is not an address is ignored, and a browser on the server itself is the machine."""
    assert audit.request_origin("10.2.3.4", {"X-Forwarded-For": "1.1.1.1"}) == "10.2.3.4"
    assert audit.request_origin(None, {"X-Forwarded-For": "10.8.0.7, 127.0.0.1"}) == "10.8.0.7"
    assert audit.request_origin(None, {"x-real-ip": "fe80::1"}) == "fe80::1"
    assert audit.request_origin(None, {"X-Forwarded-For": "<script>", "Host": "x"}) == audit.LOCAL_ORIGIN
    assert audit.request_origin(None, {}) == audit.LOCAL_ORIGIN


def test_an_entry_about_several_units_names_them_all_and_is_found_by_each(store):
    audit.record(store, "dudao", audit.DOWNLOAD, unit=audit.units_text(("新化县", "双峰县")), file="组织明细.xlsx")
    audit.record(store, "li", audit.DOWNLOAD, unit="新化县双峰", file="x.xlsx")  # a name that merely contains one
    assert audit.query(store)["unit"].tolist() == ["双峰县、新化县", "新化县双峰"]
    assert audit.query(store, unit="新化县")["account"].tolist() == ["dudao"]
    assert audit.query(store, unit="双峰县")["account"].tolist() == ["dudao"]
    assert audit.query(store, unit="双峰")["account"].tolist() == []
    assert audit.units_text(()) is None and audit.units_text(None) is None and audit.units_text("娄星区") == "娄星区"
