"""Hostile files: small files made to make the reader spend gigabytes or minutes, each read in a fresh process.

Run: .venv/bin/python bench/hostile.py [--keep DIR]

Every case is generated here (nothing is fetched), written to a temporary directory (``--keep``: to DIR,
kept), and read through ``weakorg.read.read_file`` in its own fresh Python process; a file that reads is
also checked as the upload page checks it (its 主要问题 read against the six criteria). Peak memory is the
child's VmHWM (the interpreter and the libraries included: see the sample return's line), time is the read
and check alone. Files whose compression would trip the guard's ratio check carry an incompressible padding
member, so the budget counted while expanding is what refuses them. Each child runs under a 4 GB address
space limit and a timeout, so a case that is not bounded fails here instead of taking the machine.

Prints a table: case, bytes, outcome (ok or the refusal code), seconds, peak MB; last the line
``ratio: worst hostile case N.N× the time of reading the sample return; peak M MB``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

SAMPLE = ROOT / "sample_data" / "娄星区-第1次-附件2-一览表-20140310.xlsx"
CHILD_MEMORY = 4 * 2**30  # bytes of address space a child may take before it fails
CHILD_TIMEOUT = 300  # seconds

# ---------------------------------------------------------------------------
# Containers, written byte by byte where a case must lie
# ---------------------------------------------------------------------------


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, stored bytes, crc, declared size, method) entries, exactly as given (sizes may lie)."""
    local, central = bytearray(), bytearray()
    for name, stored, crc, declared, method in entries:
        encoded = name.encode()
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, len(stored), declared,
            len(encoded), 0, 0, 0, 0, 0, len(local),
        ) + encoded  # fmt: skip
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(stored), declared, len(encoded), 0
        )
        local += encoded + stored
    count = len(entries)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), len(central), len(local), 0
    )
    return bytes(local + central + end)


def deflated(data: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc, size) of ``data``."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def zip_of(members: dict[str, bytes]) -> bytes:
    """An honest deflated zip of the members."""
    entries = []
    for name, data in members.items():
        stored, crc, size = deflated(data)
        entries.append((name, stored, crc, size, 8))
    return raw_zip(entries)


def padding(n: int, seed: int = 12) -> bytes:
    """``n`` incompressible bytes (an image a workbook might carry), to keep a case under the ratio limit."""
    return random.Random(seed).randbytes(n)


_CT = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    b'Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def xlsx_parts(sheet_data: bytes, after: bytes = b"", sst: list[bytes] = (), pad: int = 0) -> dict[str, bytes]:
    """The parts of a one-sheet .xlsx: ``sheet_data`` inside <sheetData>, ``after`` after it, the <si> items."""
    members = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": _SHEET_HEAD
        + b"<sheetData>"
        + sheet_data
        + b"</sheetData>"
        + after
        + b"</worksheet>",
        "xl/sharedStrings.xml": b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + b"".join(sst) + b"</sst>",
    }
    if pad:
        members["xl/media/image1.png"] = padding(pad)
    return members


def xlsx(sheet_data: bytes, after: bytes = b"", sst: list[bytes] = (), pad: int = 0) -> bytes:
    """A one-sheet .xlsx (see ``xlsx_parts``)."""
    return zip_of(xlsx_parts(sheet_data, after, sst, pad))


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_content(rows: str) -> bytes:
    """The content.xml of an .ods with one table of ``rows``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body><office:spreadsheet>'
        f'<table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body>'
        "</office:document-content>"
    ).encode()


def ods(rows: str) -> bytes:
    """An .ods with one table of ``rows``."""
    return zip_of({"mimetype": ODS_MIME, "content.xml": ods_content(rows)})


def _text_cell(text: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{attrs}><text:p>{text}</text:p></table:table-cell>'


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------


def ods_row_repeat(rows: int = 19_999, cols: int = 200) -> bytes:
    """A row of ``cols`` repeated text cells, itself repeated ``rows`` times: a few hundred bytes, millions of cells."""
    cell = _text_cell("x", f' table:number-columns-repeated="{cols}"')
    return ods(f'<table:table-row table:number-rows-repeated="{rows}">{cell}</table:table-row>')


def ods_column_repeat(rows: int = 5_000, cols: int = 199) -> bytes:
    """``rows`` rows written one by one, each a text cell repeated across ``cols`` columns."""
    cell = _text_cell("y", f' table:number-columns-repeated="{cols}"')
    row = f"<table:table-row>{cell}</table:table-row>"
    return ods(row * rows)


def ods_rows_spanned(cols: int = 200, span: int = 19_999) -> bytes:
    """One row of ``cols`` text cells, each spanning ``span`` rows (a merged range per column)."""
    cells = "".join(_text_cell("z", f' table:number-rows-spanned="{span}"') for _ in range(cols))
    return ods(f"<table:table-row>{cells}</table:table-row>")


def ods_text_spaces(count: int = 100_000_000) -> bytes:
    """A cell whose text holds one <text:s> standing for ``count`` spaces."""
    cell = (
        f'<table:table-cell office:value-type="string"><text:p>a<text:s text:c="{count}"/>b</text:p></table:table-cell>'
    )
    return ods(f"<table:table-row>{cell}</table:table-row>")


def xlsx_far_merge(last_row: int = 1_000_000) -> bytes:
    """One text cell, merged down to row ``last_row``."""
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>merged</t></is></c></row>'
    return xlsx(cell, b'<mergeCells count="1"><mergeCell ref="A1:A%d"/></mergeCells>' % last_row)


def xlsx_unaddressed(rows: int = 4_000, cols: int = 150) -> bytes:
    """Rows and cells that name no address (placed one after the other by the engines): ``rows`` × ``cols`` numbers."""
    rng = random.Random(3)
    row = b"<row>" + b"".join(b"<c><v>%d</v></c>" % rng.randrange(10**6) for _ in range(cols)) + b"</row>"
    return xlsx(row * rows, pad=len(row) * rows // 60)


def zip_lying_size(real: int = 300 * 2**20, declared: int = 1_000) -> bytes:
    """An .ods whose content.xml declares ``declared`` bytes (and their CRC) and inflates to ``real``."""
    head = ods_content("")[:200]
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [packer.compress(head)]
    chunk = b" " * 2**20
    for _ in range((real - len(head)) // len(chunk)):
        parts.append(packer.compress(chunk))
    parts.append(packer.flush())
    crc = zlib.crc32((head + chunk)[:declared])
    return raw_zip(
        [
            ("mimetype", ODS_MIME, zlib.crc32(ODS_MIME), len(ODS_MIME), 0),
            ("content.xml", b"".join(parts), crc, declared, 8),
        ]
    )


def zip_empty_entries(n: int = 200_000) -> bytes:
    """A valid one-sheet .xlsx plus ``n`` empty entries."""
    parts = xlsx_parts(b'<row r="1"><c r="A1"><v>1</v></c></row>')
    entries = [(name, *deflated(data), 8) for name, data in parts.items()]
    return raw_zip(entries + [(f"e/{i}", b"", 0, 0, 0) for i in range(n)])


def f2_register(lines: int = 10, long_text: int = 0, container: str = "xlsx") -> bytes:
    """A valid F2 return (the test suite's register) of ``lines`` lines; the first 主要问题 ``long_text`` characters.

    The long text is written into the saved bytes (.xlsx or CSV), past the 32,767 characters Excel (and openpyxl)
    allow a cell.
    """
    from messy import Book, RegisterSpec, csv_bytes, f2_lines_with_extra, put_register, xlsx_bytes

    base = f2_lines_with_extra()
    rows = []
    for i in range(lines):
        line = dict(base[i % len(base)])
        line["name"] = (f"第{i + 1}党支部", f"第{i + 1}党支部")
        rows.append(line)
    mark = "LONG-TEXT-HERE"
    if long_text:
        rows[0]["problems"] = (mark, mark)
    book = Book()
    put_register(book, book.sheet("附件2"), RegisterSpec(lines=rows, extra=True, blank_rows=0))
    data = csv_bytes(book) if container == "csv" else xlsx_bytes(book)
    if not long_text:
        return data
    # Sentences, then a run of digits: the shape that cost the criteria reading minutes (a figure searched for
    # at every position of a run) before it read a bounded prefix.
    sentences = "支部书记常年在外经商，支部工作基本停滞，三会一课长期不开，群众意见很大。" * 3
    text = sentences + "1" * (long_text - len(sentences))
    if container == "csv":
        return data.replace(mark.encode(), text.encode("utf-8"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zip_of({name: zf.read(name).replace(mark.encode(), text.encode()) for name in zf.namelist()})


def many_long_texts(lines: int = 3_000, chars: int = 2_000) -> bytes:
    """An F2 as a GBK CSV of ``lines`` lines, each 主要问题 ``chars`` characters of distinct labelled texts."""
    import csv
    import tomllib

    cases = tomllib.loads((ROOT / "tests" / "fixtures" / "criteria_labelled.toml").read_text(encoding="utf-8"))
    texts = [case["text"] for case in cases["case"]]
    rng = random.Random(5)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["填报单位：娄星区委组织部", "", "", "填表时间：2014年3月11日"])
    writer.writerow(["序号", "软弱涣散基层党组织名称", "党员数", "主要问题", "党组织书记姓名", "党组织书记联系方式"])
    for i in range(lines):
        text = ""
        while len(text) < chars:
            text += rng.choice(texts)
        writer.writerow([i + 1, f"第{i + 1}村党支部", 30, text[:chars], "", ""])
    return out.getvalue().encode("gb18030")


def csv_huge_field(chars: int = 3_000_000) -> bytes:
    """A CSV whose second line holds one quoted field of ``chars`` characters."""
    return ('序号,名称\n1,"' + "长" * chars + '"\n').encode("utf-8")


def sst_huge(rows: int = 1_000, cols: int = 20, length: int = 30_000) -> bytes:
    """One shared string of ``length`` characters named by ``rows`` × ``cols`` cells."""
    cells = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (bytes([65 + c]), r) for c in range(cols))
        + b"</row>"
        for r in range(1, rows + 1)
    )
    sst = [b"<si><t>" + ("长" * length).encode() + b"</t></si>"]
    return xlsx(cells, sst=sst, pad=len(cells) // 60)


def sst_deep(depth: int = 100_000) -> bytes:
    """A shared string nested ``depth`` elements deep, named by one cell."""
    item = b"<si>" + b"<r>" * depth + b"<t>deep</t>" + b"</r>" * depth + b"</si>"
    cell = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return xlsx(cell, sst=[item], pad=len(item) // 60)


def xls_far_corner(row: int = 65_535, col: int = 255) -> bytes:
    """An old .xls with a cell at A1 and one at (``row``, ``col``): every row padded to the widest, if read so."""
    import xlwt  # a test-only dependency, as the suite's fixtures use it

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, "x")
    sheet.write(row, col, "y")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def xls_blank_area(rows: int = 5_000, cols: int = 200) -> bytes:
    """An old .xls whose ``rows`` × ``cols`` area is formatted (written as blank cells), one text in A1."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    shaded = xlwt.easyxf("pattern: pattern solid;")
    sheet.write(0, 0, "x")
    for r in range(1, rows):
        for c in range(cols):
            sheet.write(r, c, None, shaded)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class Case:
    """A hostile (or legitimate) file: its name, how it is made, the outcome it must have (ok or a refusal code)."""

    name: str
    filename: str
    make: Callable[[], bytes]
    expect: str


CASES = (
    Case("ods row repeat", "row-repeat.ods", ods_row_repeat, "TOO_LARGE"),
    Case("ods column repeat", "column-repeat.ods", ods_column_repeat, "TOO_LARGE"),
    Case("ods rows-spanned", "rows-spanned.ods", ods_rows_spanned, "TOO_LARGE"),
    Case("ods text:s repeat count", "text-s.ods", ods_text_spaces, "TOO_LARGE"),
    Case("xlsx far merged range", "far-merge.xlsx", xlsx_far_merge, "TOO_LARGE"),
    Case("xlsx cells without addresses", "unaddressed.xlsx", xlsx_unaddressed, "TOO_LARGE"),
    Case("zip member lying about its size", "lying.ods", zip_lying_size, "TOO_LARGE"),
    Case("200,000 empty zip entries", "entries.xlsx", zip_empty_entries, "TOO_LARGE"),
    Case("100,000-char 主要问题 in an F2", "long-problems.csv", lambda: f2_register(10, 100_000, "csv"), "ok"),
    Case("3,000 lines of 2,000-char 主要问题", "long-texts.csv", many_long_texts, "TOO_LARGE"),
    Case("csv with a huge field", "huge-field.csv", csv_huge_field, "TOO_LARGE"),
    Case("shared string copied 20,000×", "sst-huge.xlsx", sst_huge, "TOO_LARGE"),
    Case("shared string 100,000 deep", "sst-deep.xlsx", sst_deep, "NO_FORM"),
    Case("xls with a cell at the far corner", "far-corner.xls", xls_far_corner, "TOO_LARGE"),
    Case("xls with 1,000,000 formatted blanks", "blank-area.xls", xls_blank_area, "NO_FORM"),
    Case("F2 register of 300 lines", "register-300.xlsx", lambda: f2_register(300), "ok"),
)

# ---------------------------------------------------------------------------
# Reading each in a fresh process
# ---------------------------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str) -> None:
    """Read (and, when readable, check) one file; print its outcome, seconds and peak memory as JSON."""
    from weakorg.app import check_batch
    from weakorg.campaign import default_campaign
    from weakorg.read import read_file

    campaign = default_campaign()
    start = time.perf_counter()
    fr = read_file(path, campaign=campaign)
    if fr.ok:
        check_batch([fr], campaign)
    seconds = time.perf_counter() - start
    outcome = "ok" if fr.ok else fr.reason
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": _peak_mb(), "message": fr.message or ""}))


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def measure(path: Path) -> dict:
    """The outcome, seconds and peak MB of reading ``path`` in a fresh process (a failed child: its error)."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "TIMEOUT", "seconds": float(CHILD_TIMEOUT), "peak_mb": float("nan"), "message": ""}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"outcome": f"FAILED({done.returncode})", "seconds": float("nan"), "peak_mb": float("nan"),
                "message": done.stderr.strip()[-300:]}  # fmt: skip
    return json.loads(lines[-1])


def run(directory: Path, out=print) -> list[tuple[Case | None, int, dict]]:
    """Write every case to ``directory``, read each in a fresh process, print the table and the ratio line."""
    results: list[tuple[Case | None, int, dict]] = []
    baseline = measure(SAMPLE)
    results.append((None, SAMPLE.stat().st_size, baseline))
    for case in CASES:
        path = directory / case.filename
        path.write_bytes(case.make())
        results.append((case, path.stat().st_size, measure(path)))
    out(f"{'case':34}{'bytes':>12}  {'outcome':12}{'expected':12}{'seconds':>9}{'peak MB':>9}")
    for case, size, r in results:
        name = case.name if case else f"sample return ({SAMPLE.name[:12]}…)"
        expect = case.expect if case else "ok"
        flag = "" if r["outcome"] == expect else "  ← unexpected"
        out(f"{name:34}{size:>12,}  {r['outcome']:12}{expect:12}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}{flag}")
    hostile = [r for case, _, r in results if case is not None]
    worst = max(r["seconds"] for r in hostile)
    peak = max(r["peak_mb"] for r in hostile)
    times = worst / baseline["seconds"]
    out(f"ratio: worst hostile case {times:.1f}× the time of reading the sample return; peak {peak:.0f} MB")
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the hostile-file benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = run(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="weakorg-hostile-") as tmp:
            results = run(Path(tmp))
    return 0 if all(r["outcome"] == (c.expect if c else "ok") for c, _, r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
