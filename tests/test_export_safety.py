"""Every export is safe to open: a return whose every text field is a formula-looking payload is read, checked
and stored, then every .xlsx and .csv the app and the command line produce is scanned.

.xlsx: unzipped, no formula element in any sheet, the payloads there as string cells. .csv: no cell starts
with = + - @ tab or CR. A guard fails when a page offers a download, the CLI writes a file, or weakorg writes
a spreadsheet by a way this scan does not cover.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.builders import GOOD_COUNTS
from weakorg import admin, app, audit, cli, downloads, drill, overview, status, views
from weakorg.campaign import default_campaign
from weakorg.drill import Filters
from weakorg.export.city import city_workbook
from weakorg.export.findings import findings_frame
from weakorg.export.forms import add_sheet, header_line, new_workbook, workbook_bytes, write_f1, write_f2, write_f3
from weakorg.export.sheets import looks_like_formula
from weakorg.export.templates import templates_zip
from weakorg.store import Store
from weakorg.vocab import F2, F2_COLUMNS, FORM_ATTACHMENTS, FORM_TITLES

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ('=HYPERLINK("http://x.invalid","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1")
# The payloads as read (the reader strips the tab and the CR in front of the =).
READ = tuple(p.lstrip("\t\r") for p in PAYLOADS)
VILLAGES = ("白马", "青山", "石门", "桃林", "杉山", "荷叶")
COUNTS = {**GOOD_COUNTS, "weak_total": 6}  # six villages below, each listed
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


# --- the hostile return ---------------------------------------------------------------------------


def _f2_rows() -> list[dict]:
    rows = []
    for i, (p, village) in enumerate(zip(PAYLOADS, VILLAGES, strict=True)):
        rows.append(
            {
                "name": f"{p}{village}村党支部",
                "members": p if i == 1 else 20 + i,
                "problems": f"{p}书记长期外出务工，支部工作停滞",
                "secretary": p,
                "phone": p,
                "category": p if i % 2 else "农村",
                "criteria_stated": p if i == 2 else "1",
                "status": p if i == 3 else "整顿中",
                "accepted_on": p if i == 4 else None,
            }
        )
    return rows


def _f3_rows() -> list[dict]:
    return [
        {
            "name": f"{p}{village}村",
            "members": 30,
            "problems": f"{p}换届选举拉票",
            "measures": p,
            "election_done": p,
            "secretary": p,
            "phone": p,
        }
        for p, village in zip(PAYLOADS, VILLAGES, strict=True)
    ]


def hostile_returns(folder: Path) -> list[Path]:
    """Three returns with a payload in every text field: names, problems, measures, secretary, phone, category,
    dates as text, sheet names, a file name, (in the second) the unit in the header; the third a CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = new_workbook()
    write_f1(add_sheet(wb, "=附件1"), "双峰县", "农村", date(2014, 3, 11), COUNTS)
    write_f1(add_sheet(wb, "+附件1"), "双峰县", PAYLOADS[3], PAYLOADS[2], COUNTS)
    write_f2(add_sheet(wb, "@附件2"), "双峰县", date(2014, 3, 11), _f2_rows())
    write_f3(add_sheet(wb, "-附件3"), "双峰县", date(2014, 3, 11), _f3_rows())
    first = folder / "=1+1-双峰县.xlsx"
    first.write_bytes(workbook_bytes(wb))
    wb = new_workbook()
    write_f2(add_sheet(wb, "附件2"), PAYLOADS[0], PAYLOADS[1], _f2_rows())
    second = folder / "新化县-附件2.xlsx"
    second.write_bytes(workbook_bytes(wb))
    third = folder / "涟源市-附件2.csv"  # as a CSV export of a sheet: the tab and the CR kept raw in the file
    head = [FORM_ATTACHMENTS[F2], FORM_TITLES[F2], header_line("涟源市", date(2014, 3, 11))]
    lines = [*head, ",".join(F2_COLUMNS.values())]
    for i, (p, village) in enumerate(zip(PAYLOADS, VILLAGES, strict=True), start=1):
        cells = [str(i), f"{p}{village}村党支部", "20", f"{p}书记长期外出务工", p, p]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    third.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return [first, second, third]


# --- scanning -------------------------------------------------------------------------------------


def xlsx_texts(data: bytes, where: str) -> list[str]:
    """Assert no sheet of an .xlsx holds a formula, and every text cell is a string cell; the texts of its cells."""
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets, f"{where}: no sheet"
        for name in sheets:
            root = ElementTree.fromstring(z.read(name))
            for c in root.iter(f"{_NS}c"):
                ref = f"{where} {name} {c.get('r')}"
                assert c.find(f"{_NS}f") is None, f"{ref}: a formula"
                kind = c.get("t")
                assert kind not in ("str", "e"), f"{ref}: a formula result or an error cell"
                if kind == "inlineStr":
                    texts.append("".join(t.text or "" for t in c.iter(f"{_NS}t")))
                elif kind == "s":
                    texts.append(shared[int(c.find(f"{_NS}v").text)])
    return texts


def csv_texts(data: bytes, where: str) -> list[str]:
    """Assert no cell of a CSV (UTF-8 with BOM) starts like a formula, numbers aside; its cells."""
    assert data.startswith(b"\xef\xbb\xbf"), f"{where}: no BOM"
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    for cell in cells:
        assert not looks_like_formula(cell) or _NUMBER.match(cell), f"{where}: cell {cell!r} starts like a formula"
    return cells


def carries_payload(texts: list[str]) -> bool:
    """Whether some text starts with a payload as read: the export really carried the hostile text."""
    return any(t.startswith(READ) for t in texts)


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


# --- every export ---------------------------------------------------------------------------------

# The tables the pages offer as downloads (pages/*.py: _tables.download_buttons(frame, title, key)), by key.
PAGE_TABLES = {
    "orgs": lambda pic, store: views.org_table(drill.filter_orgs(pic.weak_orgs, Filters())),
    "org_history": lambda pic, store: _first_card(pic, store).history,
    "overview_units": lambda pic, store: app.unit_table(pic),
    "overview_ranking": lambda pic, store: overview.ranking_table(overview.unit_ranking(pic, _timeliness(store))),
    "units_categories": lambda pic, store: views.category_table(pic.by_category),
    "units_register": lambda pic, store: views.org_table(pic.weak_orgs),
    "units_villages": lambda pic, store: views.village_table(pic.villages, as_of=date(2014, 5, 10)),
    "villages": lambda pic, store: views.village_table(pic.villages, as_of=date(2014, 5, 10)),
    "status_units": lambda pic, store: status.status_table(status.unit_status(store.submissions(), store.returns())),
    "status_errors": lambda pic, store: findings_frame(status.open_errors(pic.findings, pic.units), codes=False),
}
# The other download buttons of the pages (st.download_button), per page file.
PAGE_BUTTONS = {
    "pages/_tables.py": ["the tables above"],
    "pages/admin.py": ["audit log"],
    "pages/documents.py": ["bulletin (.docx), brief (.pdf) and city return, one call in a loop"],
    "pages/upload.py": ["templates", "sendback", "sendback zip"],
}
# The CLI's options that name a file or folder to write.
CLI_OUTPUTS = {
    ("template", "--out"),
    ("sample", "--out"),
    ("consolidate", "--out"),
    ("check", "--findings-xlsx"),
    ("check", "--annotate"),
    ("bulletin", "--out"),  # .docx and .pdf, not spreadsheets: no cell to hold a formula (tests/test_documents.py)
    ("brief", "--out"),
    ("city-return", "--out"),
    ("corrections", "--export"),  # TOML labelled data, not a spreadsheet: each text a quoted string (test_review.py)
}
CLI_INPUTS = {"--campaign", "--cache"}  # options that name files weakorg reads (--cache: the bench's own corpus)


def _first_card(pic, store):
    first = pic.weak_orgs.iloc[0]
    return views.org_card(pic.weak_orgs, store.returns(), first["unit"], first["name"])


def _timeliness(store):
    return status.unit_status(store.submissions(), store.returns(), default_campaign())


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, bytes]:
    """Every file the CLI and the app produce from the hostile returns, by a name saying which export it is."""
    tmp = tmp_path_factory.mktemp("safety")
    files = hostile_returns(tmp / "in")
    names = [str(p) for p in files]
    out: dict[str, bytes] = {}
    mp = pytest.MonkeyPatch()
    url = f"sqlite:///{tmp / 'weakorg.db'}"
    mp.setenv("WEAKORG_DATABASE_URL", url)
    try:
        assert cli.main(["load", *names, "--by", "=cmd|' /C calc'!A0"]) == cli.EXIT_PROBLEMS  # stored, errors and all
        cli.main(["check", *names, "--findings-xlsx", str(tmp / "f.xlsx"), "--annotate", str(tmp / "ann")])
        cli.main(["consolidate", *names, "-o", str(tmp / "city.xlsx")])
        cli.main(["city-return", "-o", str(tmp / "city-return.xlsx")])  # the stored returns' (as 通报与简报's)
        cli.main(["template", "-o", str(tmp / "templates")])
        cli.main(["sample", "-o", str(tmp / "samples")])
    finally:
        mp.undo()
    out["cli check --findings-xlsx"] = (tmp / "f.xlsx").read_bytes()
    for p in sorted((tmp / "ann").iterdir()):
        out[f"cli check --annotate {p.name}"] = p.read_bytes()
    out["cli consolidate -o"] = (tmp / "city.xlsx").read_bytes()
    out["cli city-return -o"] = (tmp / "city-return.xlsx").read_bytes()
    for folder in ("templates", "samples"):
        for p in sorted((tmp / folder).iterdir()):
            out[f"cli {folder} {p.name}"] = p.read_bytes()

    store = Store(url)
    try:
        assert len(store.submissions()) == len(files)
        pic = app.picture(store)
        for key, table in PAGE_TABLES.items():
            frame = table(pic, store)
            for fmt in downloads.FORMATS:
                out[f"page {key}.{fmt}"] = downloads.table_bytes(frame, fmt, sheet=key)
        out["page city return"] = city_workbook(pic)  # the .docx and .pdf beside it hold no spreadsheet cell
        for name, data in _unzip(templates_zip()).items():
            out[f"page templates {name}"] = data
        log = admin.audit_table(audit.query(store))  # the load above was made --by a formula
        for fmt in downloads.FORMATS:
            out[f"page audit.{fmt}"] = downloads.table_bytes(log, fmt, sheet=admin.AUDIT_TITLE)
        results = app.process_uploads([(p.name, p.read_bytes()) for p in files], store=store)
        for r in results:
            for label, data, name in app.sendback(r):
                out[f"page sendback {label} {name}"] = data
        for name, data in _unzip(app.sendback_zip(app.problem_uploads(results))).items():  # every file's at once
            out[f"page sendback zip {name}"] = data
    finally:
        store.engine.dispose()
    return out


# Exports that carry text from the returns (the others are blank forms, samples, or figures only).
CARRY = (
    "cli check --findings-xlsx",
    "cli check --annotate",
    "cli consolidate -o",
    "page city return",
    "page orgs",
    "page org_history",
    "page units_register",
    "page units_villages",
    "page villages",
    "page status_errors",
    "page sendback",
)


def test_every_export_is_free_of_formulas_and_keeps_the_payload_as_text(exports):
    assert len(exports) > 30
    for where, data in exports.items():
        texts = csv_texts(data, where) if where.endswith(".csv") else xlsx_texts(data, where)
        if where.startswith(CARRY) and not where.endswith(".csv"):
            assert carries_payload(texts), f"{where}: the hostile texts did not reach this export"
        if where.startswith(CARRY) and where.endswith(".csv"):
            assert any(t.startswith("'") and t[1:].startswith(READ) for t in texts), where


def test_the_scan_sees_what_the_returns_sent(exports):
    """The payloads reach the tables as the returns wrote them: names, problems, secretary, phone, measures."""
    register = exports["page orgs.xlsx"]
    texts = xlsx_texts(register, "orgs")
    assert {f"{p}{v}村党支部" for p, v in zip(READ, VILLAGES, strict=True)} <= set(texts)
    assert {"双峰县", "涟源市"} <= set(texts)  # from the workbook and from the CSV
    assert "=cmd|' /C calc'!A0" in xlsx_texts(exports["page audit.xlsx"], "audit")  # who saved, in the audit log
    villages = xlsx_texts(exports["cli consolidate -o"], "consolidate")
    assert '=HYPERLINK("http://x.invalid","点我")' in villages and "@SUM(A1)换届选举拉票" in villages


def test_a_csv_payload_gets_a_leading_quote_and_numbers_stay_numbers():
    import pandas as pd

    frame = pd.DataFrame({"名称": ["=1+1", "-2+3", "白马村"], "党员数": [-2, 3, 4]})
    rows = list(csv.reader(io.StringIO(downloads.table_bytes(frame, "csv").decode("utf-8-sig"))))
    assert rows == [["名称", "党员数"], ["'=1+1", "-2"], ["'-2+3", "3"], ["白马村", "4"]]


# --- the guard ------------------------------------------------------------------------------------


def test_every_download_of_the_pages_is_scanned():
    found: dict[str, list[str]] = {}
    keys: set[str] = set()
    for path in sorted((ROOT / "pages").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        calls = re.findall(r"(?<!def )\bdownload_buttons\(", source)
        named = re.findall(r"(?<!def )\bdownload_buttons\([^\n]*?,\s*\"([^\"]+)\"(?:,\s*of_org=\w+)?\)", source)
        assert len(named) == len(calls), f"{path.name}: a table download whose key this guard cannot read"
        keys |= set(named)
        n = len(re.findall(r"\bdownload_button\(", source))
        if n:
            found[f"pages/{path.name}"] = n
    assert keys == set(PAGE_TABLES), "a page offers a table download the scan does not produce"
    assert found == {p: len(b) for p, b in PAGE_BUTTONS.items()}, "a page has a download button the scan misses"


def test_every_file_the_cli_writes_is_scanned():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    written = set()
    for command, p in sub.choices.items():
        for action in p._actions:
            long = max(action.option_strings, key=len, default="")
            if action.type is Path and long not in CLI_INPUTS:
                written.add((command, long))
    assert written == CLI_OUTPUTS


def test_weakorg_writes_spreadsheets_only_through_the_one_writer():
    writer = ROOT / "weakorg" / "export" / "sheets.py"
    ways = re.compile(r"\.to_excel\(|\.to_csv\(|ExcelWriter|csv\.writer|xlsxwriter|\bwb\.save\(|\.save\(buf")
    offenders = []
    for path in [*(ROOT / "weakorg").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]:
        if path != writer and ways.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
