"""Network defaults: where `make run` listens, what a user sees of an error, what Streamlit sends out.

``.streamlit/config.toml`` as Streamlit reads it from the repository (the directory `make run` starts in),
and the command `make run` runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"


def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_users_never_see_error_details_and_no_usage_statistics_are_sent():
    c = config()
    assert c["client"]["showErrorDetails"] == "none"  # no traceback, type or message in the browser
    assert c["client"]["showErrorLinks"] is False  # nor English "Ask Google" links
    assert c["browser"]["gatherUsageStats"] is False


def test_the_server_listens_on_this_machine_only_and_keeps_its_protections():
    server = config()["server"]
    assert server["address"] == "127.0.0.1"
    assert server.get("enableCORS", True) is True and server.get("enableXsrfProtection", True) is True
    assert server["headless"] is True
    assert server["fileWatcherType"] == "none"  # an update is a restart: no module reloaded under a running session


def test_streamlit_reads_the_settings_as_written():
    """Streamlit, started in the repository as `make run` starts it, takes the file's values (no typo ignored)."""
    script = textwrap.dedent(
        """
        from streamlit import config
        for key in ("client.showErrorDetails", "client.showErrorLinks", "browser.gatherUsageStats", "server.address",
                    "server.enableCORS", "server.enableXsrfProtection", "server.fileWatcherType"):
            print(key, config.get_option(key))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert dict(line.split(" ", 1) for line in done.stdout.splitlines()) == {
        "client.showErrorDetails": "none",
        "client.showErrorLinks": "False",
        "browser.gatherUsageStats": "False",
        "server.address": "127.0.0.1",
        "server.enableCORS": "True",
        "server.enableXsrfProtection": "True",
        "server.fileWatcherType": "none",
    }


def test_an_error_in_a_page_shows_the_user_no_text_of_it():
    """What the browser gets of an exception no page caught: a generic message, none of the exception's text."""
    script = textwrap.dedent(
        """
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_string("raise ValueError('欧阳秀英 13973815527')")
        at.run()
        (shown,) = at.exception
        print(repr((shown.message, shown.stack_trace, shown.value)))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    shown = done.stdout
    assert "redacted" in shown and "13973815527" not in shown and "欧阳秀英" not in shown
    assert "ValueError" not in shown and "Traceback" not in shown


def test_an_unexpected_error_is_said_in_chinese_by_its_time_only(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from test_pages import DASHBOARD, TIMEOUT

    from pages import _common as common
    from weakorg import app

    def broken():
        raise RuntimeError("欧阳秀英 13973815527")  # a bug whose message quotes a return

    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{tmp_path / 'weakorg.db'}")
    monkeypatch.setattr(app, "category_options", broken)
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    (said,) = [e.value for e in at.error]
    head, tail = common.UNEXPECTED.split("{time}")
    assert said.startswith(head) and said.endswith(tail)
    when = said[len(head) : -len(tail)]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", when)  # when, to find it in the log
    beijing = datetime.now(UTC) + timedelta(hours=8)  # the audit log's clock, whatever the server's zone
    assert abs(datetime.strptime(when, "%Y-%m-%d %H:%M:%S") - beijing.replace(tzinfo=None)) < timedelta(minutes=2)
    assert "RuntimeError" not in said and not re.search("[A-Za-z]", said)  # no English, not even the error's type
    assert "请刷新页面后重试" in at.error[0].value and "13973815527" not in at.error[0].value
    assert len(at.exception) == 1  # re-raised: Streamlit logs it on the server, and tests still see it


def make_run(*args: str) -> str:
    """The command `make run ARGS` would run (make -n: printed, not run)."""
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    done = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    (line,) = [ln for ln in done.stdout.splitlines() if "streamlit run dashboard.py" in ln]
    return line


def test_make_run_listens_on_this_machine_unless_told_an_address():
    assert "--server.address 127.0.0.1 --server.port 8501" in make_run()
    assert "--server.address 0.0.0.0 --server.port 8080" in make_run("ADDRESS=0.0.0.0", "PORT=8080")
