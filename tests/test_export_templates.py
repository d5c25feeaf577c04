"""The blank templates: three files, a zip of them and one workbook, all in the official layout."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from weakorg.export.templates import template_name, template_workbook, templates_zip, write_templates
from weakorg.vocab import F1_ROWS, FORM_TITLES, FORMS


def test_write_templates_writes_three_named_files(tmp_path):
    paths = write_templates(tmp_path / "out")
    assert [p.name for p in paths] == [
        "附件1-软弱涣散基层党组织情况汇总表.xlsx",
        "附件2-软弱涣散基层党组织简要情况一览表.xlsx",
        "附件3-党组织换届选举难点村简要情况一览表.xlsx",
    ]
    for form, path in zip(FORMS, paths, strict=True):
        ws = openpyxl.load_workbook(path).active
        assert ws["A2"].value == FORM_TITLES[form]
        assert ws.page_setup.orientation == "landscape"
    f1 = openpyxl.load_workbook(paths[0]).active
    assert [f1.cell(r, 1).value for r in range(5, 16)] == list(F1_ROWS.values())
    assert any(dv.type == "list" and str(dv.sqref) == "D3" for dv in f1.data_validations.dataValidation)


def test_templates_zip_holds_the_three_files():
    with zipfile.ZipFile(io.BytesIO(templates_zip())) as zf:
        assert zf.namelist() == [template_name(f) for f in FORMS]
        for name in zf.namelist():
            openpyxl.load_workbook(io.BytesIO(zf.read(name)))


def test_template_workbook_has_three_sheets_and_is_stable():
    data = template_workbook()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["附件1-汇总表", "附件2-一览表", "附件3-难点村"]
    assert [wb[s]["A2"].value for s in wb.sheetnames] == [FORM_TITLES[f] for f in FORMS]
    assert template_workbook() == data


def test_a_blank_template_checked_points_at_the_cell_of_each_header_label_left_empty(tmp_path):
    from weakorg.checks import run_checks
    from weakorg.read import read_file
    from weakorg.tables import returns_from_files

    for path in write_templates(tmp_path / "out"):
        found = run_checks(returns_from_files([read_file(path)]))
        (unit,) = [f for f in found if f.rule == "UNKNOWN_UNIT"]
        label = openpyxl.load_workbook(path).active[unit.cell].value
        assert unit.cell and "填报单位" in label, (path.name, unit.cell)  # the label to write after, named
        assert f"（见{unit.cell}）" in unit.message
