"""Where things are inside a workbook package, however the tool that wrote it named them.

An .xlsx is found through its relationships (``_rels/.rels`` -> the workbook -> its sheets and styles), in
the transitional or the Strict namespaces, with member names written with ``/`` or ``\\``; an .ods says in
its manifest whether it is encrypted; an old BIFF2-4 .xls is a bare record stream, not a compound file.
"""

from __future__ import annotations

import io
import posixpath
import struct
import threading
import weakref
import zipfile

from defusedxml import ElementTree

ODS_PARSED = frozenset({"content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml"})
_HEAD = 1 << 20  # how much of a small part (relationships, manifest) is read
_STANDARD_WORKBOOK = "xl/workbook.xml"
# BIFF BOF record opcodes that start a bare (non-OLE) BIFF2, 3, 4 and 5 stream, and the substream types they name.
_BIFF_BOF = {0x0009, 0x0209, 0x0409, 0x0809}
_BIFF_TYPES = {0x0005, 0x0010, 0x0020, 0x0040, 0x0100}


def local(tag: str) -> str:
    """An XML tag or attribute name without its namespace: "{...main}sheet" -> "sheet"."""
    return tag.rpartition("}")[2]


# What has been worked out about an open zip (its names, its parts' relationships), kept while it is open.
_KNOWN: weakref.WeakKeyDictionary[zipfile.ZipFile, dict] = weakref.WeakKeyDictionary()


def _known(zf: zipfile.ZipFile) -> dict:
    if zf not in _KNOWN:
        _KNOWN[zf] = {}
    return _KNOWN[zf]


def names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each member's name with ``/`` separators -> its name in the zip (some tools write ``xl\\workbook.xml``)."""
    known = _known(zf)
    if "names" not in known:
        known["names"] = {n.replace("\\", "/"): n for n in zf.namelist()}
    return known["names"]


def read_part(zf: zipfile.ZipFile, path: str, limit: int = -1) -> bytes:
    """The bytes of a part by its ``/`` path (at most ``limit`` bytes if given); KeyError if there is none.

    A part the guard inflated and kept (``keep_parts``) comes from memory, not inflated again.
    """
    kept = _known(zf).get("parts", {}).get(path)
    if kept is not None:
        return kept if limit < 0 else kept[:limit]
    name = path if path in zf.NameToInfo else names(zf).get(path)
    if name is None:
        raise KeyError(path)
    with zf.open(name) as fh:
        return fh.read(limit)


def keep_parts(zf: zipfile.ZipFile, parts: dict[str, bytes]) -> None:
    """The inflated bytes of parts of ``zf`` (by ``/`` path), checked whole (size, CRC) by the guard: ``read_part``
    gives them from memory while ``zf`` is open."""
    _known(zf)["parts"] = parts


# The guard's open package of the file it last passed, in this thread, for the reader that comes next (one inflate).
_HANDED = threading.local()


def hand_on(data: bytes, zf: zipfile.ZipFile) -> None:
    """Keep the guard's open package of ``data`` (with the parts it inflated) for the next ``take`` in this thread."""
    _HANDED.package = (data, zf)


def take(data: bytes) -> zipfile.ZipFile | None:
    """The package handed on for exactly these bytes (the same object) in this thread, or None; taken once."""
    held = getattr(_HANDED, "package", None)
    _HANDED.package = None
    return held[1] if held is not None and held[0] is data else None


def _rels_path(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part path) of the relationships of ``part`` ("" for the package); {} when it has none."""
    known = _known(zf)
    if ("rels", part) not in known:
        known["rels", part] = _relationships(zf, part)
    return known["rels", part]


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    try:
        xml = read_part(zf, _rels_path(part), _HEAD)
    except KeyError:
        return {}
    folder = posixpath.dirname(part)
    out = {}
    for rel in ElementTree.fromstring(xml).iter():
        if local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "").replace("\\", "/")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return out


def workbook_part(zf: zipfile.ZipFile) -> str | None:
    """The path of the workbook part: xl/workbook.xml, or wherever the package's officeDocument relationship says."""
    members = names(zf)
    if _STANDARD_WORKBOOK in members:
        return _STANDARD_WORKBOOK
    if "_rels/.rels" not in members:
        return None
    for kind, path in relationships(zf, "").values():
        if kind.endswith("/officeDocument") and path in members:
            return path
    return None


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, in workbook order; KeyError when there is no workbook part.
    Read once per package (the guard, then the reader, ask)."""
    known = _known(zf)
    if "sheets" not in known:
        known["sheets"] = _sheet_parts(zf)
    return list(known["sheets"])


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    workbook = workbook_part(zf)
    if workbook is None:
        raise KeyError(_STANDARD_WORKBOOK)
    root = ElementTree.fromstring(read_part(zf, workbook))
    rels = relationships(zf, workbook)
    out = []
    for sheet in root.iter():
        if local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.startswith("{") and local(k) == "id"), "")
        out.append((sheet.get("name", ""), rels.get(rid, ("", ""))[1]))
    return out


def styles_part(zf: zipfile.ZipFile) -> str | None:
    """The path of the workbook's styles part (usually xl/styles.xml), or None."""
    return part_of(zf, "/styles") or ("xl/styles.xml" if "xl/styles.xml" in names(zf) else None)


def with_slashes(data: bytes) -> bytes:
    """The .xlsx with every member name written with ``/`` (readers look parts up by exact name); unchanged if so."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        if not any("\\" in n for n in src.namelist()):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename.replace("\\", "/"), src.read(info))
    return out.getvalue()


def ods_encrypted(zf: zipfile.ZipFile) -> bool:
    """True when an .ods is password-protected: its manifest lists encryption data for its parts."""
    try:
        return b"encryption-data" in read_part(zf, "META-INF/manifest.xml", _HEAD)
    except KeyError:
        return False


def dtd_matters(is_ods: bool, name: str) -> bool:
    """True when a DOCTYPE in this member must refuse the file: any .xlsx part, an .ods part a reader parses.

    LibreOffice writes a DOCTYPE (without entities) into the Basic and Dialogs parts of an .ods with a macro;
    no reader parses those. An ENTITY declaration is refused in every part whatever this says.
    """
    return not is_ods or name.replace("\\", "/") in ODS_PARSED or "/" not in name.replace("\\", "/")


def is_biff_stream(data: bytes) -> bool:
    """True when the bytes are a bare BIFF record stream (Excel 2.x-4.0 .xls, not inside a compound file)."""
    if len(data) < 8:
        return False
    opcode, length, _version, kind = struct.unpack_from("<HHHH", data)
    return opcode in _BIFF_BOF and 4 <= length <= 20 and kind in _BIFF_TYPES


def part_of(zf: zipfile.ZipFile, kind: str) -> str | None:
    """The path of the workbook's part related to it as ``kind`` (a relationship type's end, "/sharedStrings")."""
    workbook = workbook_part(zf)
    if workbook is None:
        return None
    return next((path for rel, path in relationships(zf, workbook).values() if rel.endswith(kind)), None)
