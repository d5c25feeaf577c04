"""Rules by their Chinese names: every rule code has one, and nothing a unit gets back or a user sees shows a code."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from tests.test_export_findings import unit_workbook
from tests.test_pages import DASHBOARD, ROOT, TIMEOUT, db_url, navigation_app, no_samples, run  # noqa: F401
from weakorg import app
from weakorg.checks import REGISTRY
from weakorg.export.findings import findings_workbook
from weakorg.findings import REJECT_NAMES, REJECT_REASONS, RULES, UNNAMED_RULE, rule_name
from weakorg.vocab import FINDING_LIST_HEADERS

CODES = (*RULES, *REJECT_REASONS)
CODE = re.compile(r"\b(?:" + "|".join(sorted(CODES, key=len, reverse=True)) + r")\b")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_rule_code_has_a_chinese_name():
    registered = {r.code for r in REGISTRY}
    assert registered <= set(RULES)  # a registered check's code is catalogued, so it is named
    assert set(REJECT_REASONS) <= set(REJECT_NAMES)  # a refused file's reason is named too
    for code in (*registered, *CODES, "REFUSED"):
        name = rule_name(code)
        assert CHINESE.search(name) and not re.search(r"[A-Za-z]{3,}", name), (code, name)
        assert name != UNNAMED_RULE, code
    assert rule_name("NO_SUCH_RULE") == UNNAMED_RULE  # an unknown code still shows no English


def _sheet_text(data: bytes) -> str:
    """Every value and cell comment of every sheet of a workbook, as one text."""
    wb = load_workbook(io.BytesIO(data))
    parts = [ws.title for ws in wb.worksheets]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                parts += [str(cell.value) if cell.value is not None else ""]
                parts += [cell.comment.text] if cell.comment is not None else []
    return "\n".join(parts)


def test_what_goes_back_to_a_unit_names_rules_in_chinese_and_shows_no_code():
    [result] = app.process_uploads([("娄星区.xlsx", unit_workbook())])
    sent = app.sendback(result)
    assert [label for label, _, _ in sent] == [app.SENDBACK_LIST, app.SENDBACK_ANNOTATED]
    listed = _sheet_text(sent[0][1])
    assert CODE.findall(listed) == [] and FINDING_LIST_HEADERS["rule"] not in listed
    assert rule_name("MEMBERS_INVALID") in listed and rule_name("PHONE_INVALID") in listed
    annotated = _sheet_text(sent[1][1])
    assert CODE.findall(annotated) == [] and rule_name("PHONE_INVALID") in annotated


def test_a_refused_file_goes_back_with_its_reason_named_not_coded():
    [result] = app.process_uploads([("说明.xlsx", b"%PDF-1.4 a renamed pdf")])
    [(_, data, _)] = app.sendback(result)
    text = _sheet_text(data)
    assert CODE.findall(text) == [] and rule_name(result.file.reason) in text


def test_the_cli_export_keeps_the_codes_for_machines():
    [result] = app.process_uploads([("娄星区.xlsx", unit_workbook())])
    text = _sheet_text(findings_workbook(result.findings))
    assert FINDING_LIST_HEADERS["rule"] in text and "MEMBERS_INVALID" in text


def test_the_upload_page_shows_no_rule_code(db_url, no_samples):  # noqa: F811
    path = next(p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith("涟源市-第3次"))
    at = run(AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT))
    at.switch_page("pages/upload.py")
    run(at)
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")])
    run(at)
    shown = [table.value.astype(str).to_csv() + ",".join(map(str, table.value.columns)) for table in at.dataframe]
    rules = at.multiselect(key="upload_rules")
    shown += [*rules.options, *(e.value for e in at.markdown), *(e.value for e in at.caption)]
    assert rule_name("MEMBERS_INVALID") in rules.options  # the filter lists the file's rules by name
    assert all(CHINESE.search(o) for o in rules.options)
    assert [c for text in shown for c in CODE.findall(str(text))] == []
