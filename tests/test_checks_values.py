"""A sample return with values its register columns do not allow (符合标准 7, 整顿进展 差不多了, 党组织类别 合作社):
read by the real reader, each is found, located to its cell and said in Chinese with what is allowed — in the
checks, on upload and by ``python -m weakorg check``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from weakorg.app import process_uploads
from weakorg.campaign import default_campaign
from weakorg.checks import run_checks
from weakorg.cli import main
from weakorg.read import read_files
from weakorg.tables import returns_from_files
from weakorg.vocab import CATEGORIES, CRITERIA_SHORT, STATUSES

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "冷水江市-第1次-附件2-一览表-20140311.xlsx"
SHEET = "附件2"
PLANTED = {"H7": "7", "I8": "差不多了", "G9": "合作社"}  # 符合标准, 整顿进展, 党组织类别
EXPECTED = {"H7": "CRITERIA_INVALID", "I8": "STATUS_INVALID", "G9": "UNKNOWN_CATEGORY"}


@pytest.fixture
def planted(tmp_path) -> Path:
    """A copy of the sample register with the three values the reviewer typed."""
    wb = openpyxl.load_workbook(SAMPLE)
    for cell, value in PLANTED.items():
        wb[SHEET][cell] = value
    path = tmp_path / SAMPLE.name
    wb.save(path)
    return path


def _about_planted(findings):
    return {f.cell: f for f in findings if f.sheet == SHEET and f.cell in PLANTED}


def test_the_sample_itself_has_none_of_these_findings():
    found = run_checks(returns_from_files(read_files([str(SAMPLE)])), default_campaign())
    assert [f for f in found if f.rule in EXPECTED.values()] == []


def test_the_reader_keeps_each_value_as_written(planted):
    f2 = returns_from_files(read_files([str(planted)])).f2.set_index("row")
    assert (f2.loc[7, "criteria_stated"], f2.loc[8, "status"], f2.loc[9, "category"]) == ("7", "差不多了", "合作社")


def test_each_planted_value_is_a_finding_at_its_cell(planted):
    found = _about_planted(run_checks(returns_from_files(read_files([str(planted)])), default_campaign()))
    assert {cell: f.rule for cell, f in found.items()} == EXPECTED
    assert {f.severity for f in found.values()} == {"error"}  # like UNKNOWN_CATEGORY and MEMBERS_INVALID
    assert all(f.file == planted.name and f.form == "F2" and f.org for f in found.values())
    criteria, status, category = found["H7"], found["I8"], found["G9"]
    assert "“7”" in criteria.message and all(f"（{n}）{t}" in criteria.message for n, t in CRITERIA_SHORT.items())
    assert "“差不多了”" in status.message and "、".join(STATUSES) in status.message
    assert "“合作社”" in category.message and all(c in category.message for c in CATEGORIES)
    assert "街道社区（社区、街道、城市社区）" in category.message  # the short names the reader maps
    for cell, f in found.items():
        assert f"文件《{planted.name}》工作表“{SHEET}”单元格{cell}" in f.message


def test_upload_shows_them(planted):
    [result] = process_uploads([(planted.name, planted.read_bytes())])
    assert {cell: f.rule for cell, f in _about_planted(result.findings).items()} == EXPECTED


def test_python_m_weakorg_check_says_them_and_fails(planted, capsys):
    assert main(["check", str(planted)]) == 1
    out = capsys.readouterr().out
    for cell, code in EXPECTED.items():
        assert f"{code} {SHEET}!{cell}：" in out
