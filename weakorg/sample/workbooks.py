"""The plan laid out as .xlsx files, in each unit's file layout."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from weakorg.export.forms import add_sheet, new_workbook, workbook_bytes, write_f1, write_f2, write_f3
from weakorg.sample.draw import plan
from weakorg.sample.returns import UnitReturn
from weakorg.sample.units import CORRECTION, PER_CATEGORY, UNIT_SPECS, WORKBOOK, UnitSpec
from weakorg.vocab import FORM_ATTACHMENTS, FORM_SHORT


def _f1_sheet_name(spec: UnitSpec | None, category: str) -> str:
    if spec and spec.sheet_style == 1:
        return f"{FORM_SHORT['F1']}（{category}）"
    return f"{FORM_ATTACHMENTS['F1']}-{category}"


def _write_f1_tables(wb, ret: UnitReturn, spec: UnitSpec | None, categories: list[str]) -> None:
    if spec and spec.stack_f1:
        ws = add_sheet(wb, FORM_ATTACHMENTS["F1"])
        top = 1
        for cat in categories:
            top = write_f1(ws, ret.header_unit, cat, ret.reported_on, ret.f1[cat], ret.f1_percents.get(cat),
                           header=ret.header, top=top)  # fmt: skip
        return
    for cat in categories:
        ws = add_sheet(wb, _f1_sheet_name(spec, cat))
        write_f1(ws, ret.header_unit, cat, ret.reported_on, ret.f1[cat], ret.f1_percents.get(cat), header=ret.header)


def _write_f2(wb, ret: UnitReturn, sheet: str) -> None:
    write_f2(add_sheet(wb, sheet), ret.header_unit, ret.reported_on, ret.f2, header=ret.header, extra=ret.f2_extra)


def _write_f3(wb, ret: UnitReturn, sheet: str) -> None:
    write_f3(add_sheet(wb, sheet), ret.header_unit, ret.reported_on, ret.f3, header=ret.header)


def _files_of(ret: UnitReturn) -> dict[str, object]:
    """File name -> workbook for one return, in the unit's layout."""
    spec = UNIT_SPECS.get(ret.unit)
    d = ret.reported_on.strftime("%Y%m%d")
    stem = f"{ret.unit}-第{ret.round}次"
    a1, a2, a3 = FORM_ATTACHMENTS["F1"], FORM_ATTACHMENTS["F2"], FORM_ATTACHMENTS["F3"]
    s1, s2, s3 = FORM_SHORT["F1"], FORM_SHORT["F2"], FORM_SHORT["F3"]
    files: dict[str, object] = {}
    if ret.note == CORRECTION:
        wb = new_workbook()
        _write_f2(wb, ret, a2)
        return {f"{stem}-{a2}-{s2}-{d}（{CORRECTION}）.xlsx": wb}
    categories = list(ret.f1)
    if ret.layout == WORKBOOK:
        wb = new_workbook()
        _write_f1_tables(wb, ret, spec, categories)
        style = spec.sheet_style if spec else 0
        if ret.f2 is not None:
            _write_f2(wb, ret, s2 if style else a2)
        if ret.f3 is not None:
            _write_f3(wb, ret, s3 if style else a3)
        return {f"{stem}-软弱涣散基层党组织报表-{d}.xlsx": wb}
    if ret.layout == PER_CATEGORY:
        for cat in categories:
            wb = new_workbook()
            _write_f1_tables(wb, ret, spec, [cat])
            files[f"{stem}-{a1}-{s1}-{cat}-{d}.xlsx"] = wb
    else:
        wb = new_workbook()
        _write_f1_tables(wb, ret, spec, categories)
        files[f"{stem}-{a1}-{s1}-{d}.xlsx"] = wb
    if ret.f2 is not None:
        wb = new_workbook()
        _write_f2(wb, ret, a2)
        files[f"{stem}-{a2}-{s2}-{d}.xlsx"] = wb
    if ret.f3 is not None:
        wb = new_workbook()
        _write_f3(wb, ret, a3)
        files[f"{stem}-{a3}-{s3}-{d}.xlsx"] = wb
    return files


def write_samples(out_dir: str | Path, seed: int = 2014) -> list[Path]:
    """Write the sample returns of ``plan(seed)`` as .xlsx files into ``out_dir`` (flat); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ret in plan(seed).returns:
        stamp = datetime(ret.reported_on.year, ret.reported_on.month, ret.reported_on.day, 17, 30)
        for name, wb in _files_of(ret).items():
            path = out / name
            path.write_bytes(workbook_bytes(wb, stamp))
            paths.append(path)
    return sorted(paths)
