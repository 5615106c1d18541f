"""The zip package of a workbook being patched: its parts, relationships, sheets, and saving.

Every member not edited is copied unchanged (same name, order, bytes, compression method);
edited parts keep their original XML declaration.
"""
from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from tracker.errors import ScrError
from workbook.xlsx.crypto import decrypt_bytes, encrypt_bytes
from workbook.xlsx.locks import ensure_not_open
from workbook.xlsx.safe import KEEP_BACKUPS, atomic_write
from workbook.xlsx.sheet import Worksheet
from workbook.xlsx.values import CT_NS, PARSER, PKG_REL_NS, STD_DECL, local_name


class Package:
    """An .xlsx/.xlsm read into memory; parts are parsed when first asked for and written by :meth:`save`."""

    def __init__(self, path: str | Path, raw: bytes | None = None, *, disk: bytes | None = None,
                 password: str | None = None):
        """``raw``: the file's bytes as already read (by workbook.case.read.Reader), so it is read once.
        For a workbook encrypted at rest, ``raw`` is the plain workbook, ``disk`` the encrypted bytes
        as read and ``password`` what encrypts it again at save; no plain copy is written."""
        self.path = Path(path)
        try:
            self._raw = self.path.read_bytes() if raw is None else raw
        except FileNotFoundError:
            raise ScrError("the workbook does not exist", file=self.path) from None
        self._disk = self._raw if disk is None else disk
        self.password = password
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(self._raw))
        except zipfile.BadZipFile:
            raise ScrError(
                "this is not an .xlsx/.xlsm workbook, or it is password-protected",
                file=self.path,
                fix="save it from Excel as an Excel Workbook (.xlsx) or Excel Macro-Enabled "
                "Workbook (.xlsm) without a password to open, and try again.",
            ) from None
        self._names = set(self._zip.namelist())
        self._parts: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()
        self._deleted: set[str] = set()
        self._sheets: dict[str, Worksheet] = {}
        self._styles_cache: dict[tuple[int, str], int] = {}
        self._formulas_changed = False
        self.workbook_part = self._workbook_part()
        wb = self._part(self.workbook_part)
        self._ns = etree.QName(wb).namespace
        rels = self._rels(self.workbook_part)
        self._sheet_parts: dict[str, str] = {}
        r_ns = wb.nsmap.get("r") or "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        for s in wb.iter(f"{{{self._ns}}}sheet"):
            rid = s.get(f"{{{r_ns}}}id") or next(
                (v for k, v in s.attrib.items() if etree.QName(k).localname == "id"), None
            )
            if rid in rels:
                self._sheet_parts[s.get("name")] = rels[rid][1]
        pr = wb.find(f"{{{self._ns}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")

    # ----- parts and relationships

    def _part(self, name: str):
        if name not in self._parts:
            if name not in self._names or name in self._deleted:
                raise ScrError(f"the workbook has no part {name}", file=self.path)
            self._parts[name] = etree.fromstring(self._zip.read(name), PARSER)
        return self._parts[name]

    def _touch(self, name: str) -> None:
        self._dirty.add(name)

    def _rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """``{rId: (type's last word, target part name)}`` of one part's internal relationships."""
        name = self._rels_name(part)
        if name not in self._names or name in self._deleted:
            return {}
        out = {}
        folder = posixpath.dirname(part)
        for rel in self._part(name).iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            out[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(target))
        return out

    def _workbook_part(self) -> str:
        for _, (kind, target) in self._rels("").items():
            if kind == "officeDocument":
                return target
        return "xl/workbook.xml"

    def _serialize(self, name: str) -> bytes:
        original = self._zip.read(name) if name in self._names else b""
        m = re.match(rb"\s*(<\?xml[^>]*\?>\s*)", original)
        decl = m.group(1) if m and re.search(rb"encoding=.(utf-8|UTF-8).", m.group(1)) else STD_DECL
        tree = self._parts[name].getroottree()
        return decl + etree.tostring(tree, encoding="UTF-8", xml_declaration=False)

    # ----- sheets

    def sheet_names(self) -> list[str]:
        return list(self._sheet_parts)

    def _sheet(self, name: str) -> Worksheet:
        if name not in self._sheet_parts:
            match = [n for n in self._sheet_parts if n.casefold() == name.casefold()]
            if not match:
                raise ScrError(
                    f"there is no sheet called '{name}' (sheets: {', '.join(self._sheet_parts)})",
                    file=self.path, fix="check the sheet's name (tab) and try again.",
                )
            name = match[0]
        if name not in self._sheets:
            part = self._sheet_parts[name]
            root = self._part(part)
            if local_name(root) != "worksheet":
                raise ScrError("this is a chart sheet, not a worksheet", file=self.path, sheet=name)
            self._sheets[name] = Worksheet(name, part, root)
        return self._sheets[name]

    # ----- saving

    def _drop_calc_chain(self) -> None:
        rels_name = self._rels_name(self.workbook_part)
        for rid, (kind, target) in self._rels(self.workbook_part).items():
            if kind != "calcChain":
                continue
            rels = self._part(rels_name)
            for rel in list(rels):
                if rel.get("Id") == rid:
                    rels.remove(rel)
            self._touch(rels_name)
            self._deleted.add(target)
            ct = self._part("[Content_Types].xml")
            for o in list(ct.iter(f"{{{CT_NS}}}Override")):
                if o.get("PartName") == "/" + target:
                    ct.remove(o)
            self._touch("[Content_Types].xml")

    def save(self, path: str | Path | None = None, *, keep: int = KEEP_BACKUPS) -> Path | None:
        """Write the workbook (to its own path by default) atomically; return the backup made."""
        target = Path(path) if path is not None else self.path
        ensure_not_open(target)  # the most useful message first, if it is open
        if self._formulas_changed:
            self._drop_calc_chain()
        own = target.exists() and target.resolve() == self.path.resolve()
        if own:
            if hashlib.sha256(target.read_bytes()).digest() != hashlib.sha256(self._disk).digest():
                raise ScrError(
                    "the workbook was changed by someone else while we were working on it, "
                    "so it was not changed", file=target, fix="run the command again.",
                )

        def fill(out: zipfile.ZipFile) -> None:
            for info in self._zip.infolist():
                name = info.filename
                if name in self._deleted:
                    continue
                data = self._serialize(name) if name in self._dirty else self._zip.read(info)
                zi = zipfile.ZipInfo(name, info.date_time)
                zi.compress_type = info.compress_type
                zi.external_attr = info.external_attr
                zi.create_system = info.create_system
                out.writestr(zi, data)

        def write(tmp: Path) -> None:
            if self.password is None:
                with zipfile.ZipFile(tmp, "w") as out:
                    fill(out)
                return
            buf = io.BytesIO()  # encrypted in memory: the plain workbook never reaches the disk
            with zipfile.ZipFile(buf, "w") as out:
                fill(out)
            tmp.write_bytes(encrypt_bytes(buf.getvalue(), self.password, file=target))

        backup = atomic_write(target, write, keep=keep)
        if own:  # what is on disk is now ours: a second save() must not look like a clash
            self._disk = target.read_bytes()
            self._raw = self._disk if self.password is None else decrypt_bytes(self._disk, self.password, file=target)
            self._zip = zipfile.ZipFile(io.BytesIO(self._raw))
            self._names = set(self._zip.namelist())
            self._deleted.clear()
        return backup
