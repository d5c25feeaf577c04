"""No finding quotes personal data: a return with a bad phone and a secretary's name (also typed where a finding
quotes a cell: 主要问题, 党员数, 整顿进展, 验收日期) is read and checked, and neither the name nor a number is in
any finding's message, the findings list, the annotated workbook's comments, the CLI's output, the store's
findings or a log line."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import openpyxl
import pytest

from weakorg import privacy
from weakorg.app import process_uploads
from weakorg.campaign import default_campaign
from weakorg.checks import run_checks
from weakorg.cli import main
from weakorg.export.findings import annotate_workbook, findings_workbook
from weakorg.read import read_files
from weakorg.store import Store
from weakorg.tables import returns_from_files

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "双峰县-第3次-软弱涣散基层党组织报表-20140428.xlsx"
SHEET = "一览表"
SECRETARY = "杨勇"  # E7 of the sample, the line whose phone (F7) has ten digits
BAD_PHONE = "1581628409"
OTHER_PHONE = "13907381234"
PERSONAL = (SECRETARY, BAD_PHONE, OTHER_PHONE)
PLANTED = {
    "D7": f"书记{SECRETARY}长期外出务工（电话{OTHER_PHONE}），党员活动室长期锁门，支部活动基本没有开展。",
    "C7": SECRETARY,  # 党员数: a name where a number belongs
    "I7": f"{SECRETARY}说差不多了",  # 整顿进展
    "J7": f"{SECRETARY}{OTHER_PHONE}",  # 验收日期
}
# The rules whose messages would quote a cell of the line, and the cell each is at.
EXPECTED = {
    ("PHONE_INVALID", "F7"),
    ("CRITERIA_TEXT_MISMATCH", "H7"),
    ("MEMBERS_INVALID", "C7"),
    ("STATUS_INVALID", "I7"),
    ("DATE_INVALID", "J7"),
}


@pytest.fixture
def planted(tmp_path) -> Path:
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[SHEET]
    assert (ws["E7"].value, ws["F7"].value) == (SECRETARY, BAD_PHONE)
    for cell, value in PLANTED.items():
        ws[cell] = value
    path = tmp_path / SAMPLE.name
    wb.save(path)
    return path


def _clean(text: str, where: str) -> None:
    for value in PERSONAL:
        assert value not in text, f"{where} quotes {value!r}: {text}"


def _texts_of(content: bytes, comments_only: bool) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    out = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    out.append(cell.comment.text)
                if not comments_only and cell.value is not None:
                    out.append(str(cell.value))
    return out


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_findings_say_where_but_quote_no_name_and_no_number(planted, logs):
    findings = run_checks(returns_from_files(read_files([str(planted)])), default_campaign())
    line = [f for f in findings if f.sheet == SHEET and f.cell and f.cell.endswith("7")]
    assert {(f.rule, f.cell) for f in line} >= EXPECTED
    for f in findings:
        _clean(f.message, f"{f.rule} {f.cell}")
    phone = next(f for f in line if f.rule == "PHONE_INVALID")
    assert f"工作表“{SHEET}”单元格F7" in phone.message and "有10位数字" in phone.message
    status = next(f for f in line if f.rule == "STATUS_INVALID")
    assert f"“{privacy.NAME_MASK}说差不多了”" in status.message  # the cell's words, the name hidden
    dated = next(f for f in line if f.rule == "DATE_INVALID")
    assert privacy.mask_phone(OTHER_PHONE) in dated.message  # masked as the card masks it
    for record in logs.records:
        _clean(record.getMessage(), "a log line")


def test_the_exports_and_what_goes_back_to_the_county_quote_none(planted, logs):
    content = planted.read_bytes()
    [result] = process_uploads([(planted.name, content)])  # the upload page's findings
    assert {(f.rule, f.cell) for f in result.findings} >= EXPECTED
    for f in result.findings:
        _clean(f.message, f"upload: {f.rule}")
    for text in _texts_of(findings_workbook(result.findings), comments_only=False):
        _clean(text, "the findings list")
    for text in _texts_of(annotate_workbook(content, result.findings), comments_only=True):
        _clean(text, "a comment of the annotated workbook")  # the county's own cells keep their values
    for record in logs.records:
        _clean(record.getMessage(), "a log line")


def test_the_cli_prints_and_writes_none(planted, tmp_path, capsys, logs):
    listed, annotated = tmp_path / "findings.xlsx", tmp_path / "annotated"
    assert main(["check", str(planted), "--findings-xlsx", str(listed), "--annotate", str(annotated)]) == 1
    out, err = capsys.readouterr()
    assert "PHONE_INVALID" in out and "STATUS_INVALID" in out
    _clean(out + err, "python -m weakorg check")
    for text in _texts_of(listed.read_bytes(), comments_only=False):
        _clean(text, "--findings-xlsx")
    for text in _texts_of((annotated / planted.name).read_bytes(), comments_only=True):
        _clean(text, "--annotate")
    main(["consolidate", str(planted), "--json"])
    picture = json.loads(capsys.readouterr().out)
    assert picture["findings"]
    for f in picture["findings"]:
        _clean(f["message"], "consolidate --json")
    for record in logs.records:
        _clean(record.getMessage(), "a log line")


def test_the_stored_findings_quote_none(planted, tmp_path, logs):
    store = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    try:
        [fr] = read_files([str(planted)])
        store.add(fr, fr.findings)
        stored = store.current_findings()  # what the organization's card and the pages show
    finally:
        store.engine.dispose()
    assert {(f.rule, f.cell) for f in stored} >= EXPECTED
    for f in stored:
        _clean(f.message, f"stored: {f.rule}")
    for record in logs.records:
        _clean(record.getMessage(), "a log line")
