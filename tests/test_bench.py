"""The scale benchmark at its smallest scale: the corpus reads cleanly and ``bench`` prints its ratio line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import build_corpus, campaign_toml, unit_data, unit_files, unit_names
from weakorg.campaign import load_campaign
from weakorg.checks import run_checks
from weakorg.read import read_files
from weakorg.tables import returns_from_files

ROOT = Path(__file__).resolve().parent.parent
RATIO = re.compile(
    r"^ratio: weakorg end-to-end is \d+\.\d× faster than the pandas/openpyxl read; \d+\.\d× the floor; "
    r"\d+\.\d× the calamine read$"
)


def test_a_unit_is_drawn_from_the_seed_and_its_index_alone():
    assert unit_files(unit_data(7, 3, "某某县0004")) == unit_files(unit_data(7, 3, "某某县0004"))
    assert unit_data(7, 3, "某某县0004").f2 != unit_data(8, 3, "某某县0004").f2


def test_units_have_the_sizes_of_real_returns():
    for i, unit in enumerate(unit_names(40)):
        u = unit_data(2014, i, unit)
        assert 4 <= len(u.f1) <= 7
        assert 10 <= len(u.f2) <= 60
        assert 0 <= len(u.f3) <= 15
        assert sum(c["weak_total"] for c in u.f1.values()) == len(u.f2)


def test_the_corpus_reads_and_checks_without_errors(tmp_path):
    corpus = build_corpus("6", seed=11, cache=tmp_path, processes=1)
    again = build_corpus("6", seed=11, cache=tmp_path)
    assert again.files == corpus.files
    assert again.seconds_to_write == corpus.seconds_to_write  # reused, not written again
    campaign = load_campaign(corpus.campaign_path)
    assert campaign.unit_names == tuple(unit_names(6))
    files = read_files([str(p) for p in corpus.files], campaign=campaign)
    assert all(fr.ok for fr in files), [(fr.name, fr.message) for fr in files if not fr.ok]
    assert {fr.unit for fr in files} == set(campaign.unit_names)
    found = run_checks(returns_from_files(files), campaign)
    assert [f for f in found if f.severity == "error"] == []


def test_the_campaign_file_names_every_unit(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(campaign_toml(unit_names(3)), encoding="utf-8")
    assert load_campaign(path).unit_names == ("某某县0001", "某某市0002", "某某区0003")


def test_bench_prints_its_table_and_ends_with_the_ratio_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "weakorg", "bench", "--scale", "tiny", "--cache", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert RATIO.match(lines[-1]), lines[-1]
    assert any(line.startswith("基线") for line in lines)
    assert any(line.startswith("下限") for line in lines)
    assert any(line.startswith("calamine") for line in lines)
    assert any("数据库大小" in line for line in lines)
    assert any("全市总览" in line for line in lines)


PAGES_RATIO = re.compile(r"^ratio: 全市总览 settles in \d+\.\d× the empty page's time$")


@pytest.mark.browser
def test_pages_bench_ends_with_the_ratio_line(tmp_path):
    """bench/pages.py on the smallest corpus, 全市总览 only, once: its table, then the ratio line last."""
    if not Path("/usr/bin/chromium").exists():
        message = "/usr/bin/chromium is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("WEAKORG_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    command = [sys.executable, "bench/pages.py", "--scale", "tiny", "--repeat", "1", "--pages", "全市总览"]
    run = subprocess.run([*command, "--cache", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert PAGES_RATIO.match(lines[-1]), lines[-1]
    assert any(line.startswith("| 空白页") for line in lines)
    assert any(line.startswith("| 全市总览 |") for line in lines)
