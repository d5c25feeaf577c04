"""The dashboard under AppTest: each page opens without exception and shows the store's numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from weakorg import app
from weakorg.store import Store

TIMEOUT = 60
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    return url


@pytest.fixture
def no_samples(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")


def start() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_store_shows_how_to_begin(db_url, no_samples):
    at = start()
    assert at.title[0].value == "全市总览"
    assert "还没有任何报送" in at.info[0].value
    assert not at.metric
    assert [m.label for m in at.sidebar.multiselect] == ["填报单位", "党组织类别"]
    assert Store(db_url).is_empty()


def test_upload_page_offers_templates_and_lists_nothing_stored(db_url, no_samples):
    at = start()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "上传与校验"
    assert [b.label for b in at.get("download_button")] == ["下载空白模板"]
    assert at.dataframe[-1].value.empty
