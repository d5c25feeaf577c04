"""The blank official forms weakorg hands out: three files, a zip of them, or one workbook."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from weakorg.export.forms import CELLS, FORM_WRITERS, add_sheet, new_workbook, workbook_bytes
from weakorg.vocab import FORM_ATTACHMENTS, FORM_SHORT, FORM_TITLES, FORMS

# Fixed times inside the files, so the same templates are the same bytes.
TEMPLATE_STAMP = datetime(2014, 3, 7, 9, 0, 0)


def template_name(form: str) -> str:
    """The file name of a form's blank template, e.g. 附件1-软弱涣散基层党组织情况汇总表.xlsx."""
    return f"{FORM_ATTACHMENTS[form]}-{FORM_TITLES[form]}.xlsx"


def template_bytes(form: str) -> bytes:
    """One blank form as an .xlsx file of one sheet."""
    wb = new_workbook()
    FORM_WRITERS[form](add_sheet(wb, FORM_ATTACHMENTS[form]), header=CELLS)
    return workbook_bytes(wb, TEMPLATE_STAMP)


def write_templates(out_dir: str | Path) -> list[Path]:
    """Write the three blank forms as .xlsx files into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for form in FORMS:
        path = out / template_name(form)
        path.write_bytes(template_bytes(form))
        paths.append(path)
    return paths


def templates_zip() -> bytes:
    """The three blank forms in one zip archive."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for form in FORMS:
            info = zipfile.ZipInfo(template_name(form), date_time=TEMPLATE_STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, template_bytes(form))
    return buf.getvalue()


def template_workbook() -> bytes:
    """One workbook holding the three blank forms as sheets (附件1-汇总表, 附件2-一览表, 附件3-难点村)."""
    wb = new_workbook()
    for form in FORMS:
        FORM_WRITERS[form](add_sheet(wb, f"{FORM_ATTACHMENTS[form]}-{FORM_SHORT[form]}"), header=CELLS)
    return workbook_bytes(wb, TEMPLATE_STAMP)
