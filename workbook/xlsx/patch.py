"""Surgical edits of an existing .xlsx/.xlsm that keep everything else as the user left it.

openpyxl rewrites a whole workbook and drops what it does not model (form-control buttons,
slicers, images, x14 extensions, ...). Here we edit only the XML parts that must change (one
worksheet, a table, perhaps styles.xml) with lxml, which keeps namespace prefixes,
``mc:Ignorable`` and unknown elements, and copy every other zip member unchanged: same names,
same order, same bytes once unpacked (they are recompressed, with their original method).

    p = Patch("Case.xlsx")
    p.set_cells("Plan", {"C5": dt.date(2026, 11, 27), "D5": Formula("=SCR_DEADLINE(C5)", cached=d)})
    p.append_table_rows("Actions", "tblActions", [{"Action": "Review policy", "Owner": "LA"}])
    p.save()                      # atomic, refuses while the file is open, keeps a backup

Decisions (see the brief's questions):

* Strings are written as inline strings, so sharedStrings.xml never changes; a replaced shared
  string simply stays unused in the table (harmless).
* ``calcChain.xml`` lists the formula cells. When a formula cell is created or removed it is
  deleted (with its content type and relationship), which Excel accepts silently and rebuilds;
  left stale, Excel would report the file as damaged. Rewriting a formula in a cell that
  already had one keeps the chain.
* We do NOT set ``fullCalcOnLoad``: the cached values we write are the answers, and must be what
  LibreOffice, Excel without our add-in, phones and openpyxl show. A forced recalculation on
  load would turn every SCR_ function into #NAME? wherever the add-in is missing.
  A formula written without a cached value gets ``ca="1"`` (the spec's "calculate this cell at
  the next calculation") and no ``<v>``; LibreOffice computes such cells on load.
* A table with only a header and one empty row (how Excel stores an "empty" table) gets that
  row filled first, rather than keeping a blank first row forever. Columns holding a
  calculated-column formula do not make a row count as filled.
* Appending refuses (ScrError) when the rows below the table hold anything, belong to another
  table, or the table shows a Total Row; we never overwrite what a user typed.
"""
from __future__ import annotations

import bisect
import copy
import datetime as dt
import hashlib
import io
import math
import numbers
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from lxml import etree
from openpyxl.formula.translate import Translator

from tracker.errors import ScrError
from tracker.excel_dates import to_serial
from workbook.xlsx.refs import bounds, col_letters, range_ref, split_ref
from workbook.xlsx.safe import KEEP_BACKUPS, atomic_write, ensure_not_open

__all__ = ["Patch", "Formula", "ErrorValue", "ERROR_CODES"]

XM_NS = "http://schemas.microsoft.com/office/excel/2006/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STD_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MAX_TEXT = 32767  # Excel's limit for one cell
ERROR_CODES = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)
# Built-in number formats that show dates or times (ECMA-376 18.8.30, plus East Asian ones).
_BUILTIN_DATE_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, strip_cdata=False)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_x[0-9A-Fa-f]{4}_")


@dataclass(frozen=True)
class Formula:
    """A formula (``"=..."``) with the value to show until something recalculates it."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error as a cached result, e.g. ``ErrorValue("#N/A")``."""

    code: str

    def __post_init__(self):
        if self.code not in ERROR_CODES:
            raise ValueError(f"not an Excel error value: {self.code!r}")


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _xml_text(s: str) -> str:
    # XML 1.0 cannot hold control characters; Excel stores them as _xHHHH_, and a literal
    # "_xHHHH_" in the text must then be escaped itself so it is not decoded.
    s = _ESCAPE_LIKE.sub(lambda m: "_x005F" + m.group(0), s)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", s)


def _unescape(s: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def _norm(header: str) -> str:
    return " ".join(_unescape(header).split()).casefold()


# --------------------------------------------------------------------------- one worksheet


class _Sheet:
    """A parsed worksheet with an index of its rows (rows and cells get explicit ``r``)."""

    def __init__(self, name: str, part: str, root):
        self.name, self.part, self.root = name, part, root
        self.ns = etree.QName(root).namespace
        self.data = root.find(self.q("sheetData"))
        if self.data is None:
            raise ScrError("the sheet has no cell data part", sheet=name)
        self.rows: dict[int, etree._Element] = {}
        prev = 0
        for row in self.data.iterfind(self.q("row")):
            # r is optional in the file format (then it is the previous row + 1); make it
            # explicit so that our sorted inserts are unambiguous.
            r = int(row.get("r") or prev + 1)
            row.set("r", str(r))
            self.rows[r] = row
            last = None  # the previous cell's reference, parsed only when a cell lacks r
            for c in row.iterfind(self.q("c")):
                if not c.get("r"):
                    col = split_ref(last)[0] + 1 if last else 1
                    c.set("r", f"{col_letters(col)}{r}")
                last = c.get("r")
            prev = r
        self.order = sorted(self.rows)
        self._arrays = None

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def row(self, r: int, create: bool = True):
        row = self.rows.get(r)
        if row is None and create:
            row = etree.Element(self.q("row"), r=str(r))
            i = bisect.bisect_right(self.order, r)
            if i < len(self.order):
                self.rows[self.order[i]].addprevious(row)
            else:
                self.data.append(row)
            self.rows[r] = row
            self.order.insert(i, r)
        return row

    def cell(self, col: int, r: int, create: bool = True):
        row = self.row(r, create)
        if row is None:
            return None
        for c in row.iterfind(self.q("c")):
            n = split_ref(c.get("r"))[0]
            if n == col:
                return c
            if n > col:
                if not create:
                    return None
                new = etree.Element(self.q("c"), r=f"{col_letters(col)}{r}")
                c.addprevious(new)
                self._widen_spans(row, col)
                return new
        if not create:
            return None
        new = etree.Element(self.q("c"), r=f"{col_letters(col)}{r}")
        others = row.findall(self.q("c"))
        if others:
            others[-1].addnext(new)  # after the last cell, before any row extLst
        else:
            row.insert(0, new)
        self._widen_spans(row, col)
        return new

    @staticmethod
    def _widen_spans(row, col: int) -> None:
        # spans is an optional hint "first:last" of the row's columns; keep it true.
        if row.get("spans"):
            nums = [int(n) for n in re.findall(r"\d+", row.get("spans"))] + [col]
            row.set("spans", f"{min(nums)}:{max(nums)}")

    def grow_dimension(self, c1: int, r1: int, c2: int, r2: int) -> None:
        dim = self.root.find(self.q("dimension"))
        if dim is None:
            return
        try:
            d = bounds(dim.get("ref", "A1"))
        except ValueError:
            d = (c1, r1, c2, r2)
        dim.set("ref", range_ref(min(d[0], c1), min(d[1], r1), max(d[2], c2), max(d[3], r2)))

    def formula_text(self, c) -> str | None:
        """The formula of cell ``c`` (a shared formula's follower translated from its master)."""
        f = c.find(self.q("f"))
        if f is None:
            return None
        if f.get("t") == "shared" and not (f.text or "").strip():
            master = self._shared_master(f.get("si"))
            if master is None:
                return None
            mref, text = master
            return Translator("=" + text, origin=mref).translate_formula(c.get("r"))[1:]
        return f.text or ""

    def _shared_master(self, si):
        for c in self.data.iter(self.q("c")):
            f = c.find(self.q("f"))
            if f is not None and f.get("t") == "shared" and f.get("si") == si and f.get("ref"):
                return c.get("r"), f.text or ""
        return None

    def unshare(self, master_cell) -> None:
        """Give every follower of the shared formula mastered here its own formula text."""
        f = master_cell.find(self.q("f"))
        si, text, origin = f.get("si"), f.text or "", master_cell.get("r")
        c1, r1, c2, r2 = bounds(f.get("ref"))
        for r in range(r1, r2 + 1):
            row = self.rows.get(r)
            if row is None:
                continue
            for c in row.iterfind(self.q("c")):
                g = c.find(self.q("f"))
                if c is master_cell or g is None or g.get("t") != "shared" or g.get("si") != si:
                    continue
                for a in ("t", "si", "ref"):
                    g.attrib.pop(a, None)
                g.text = Translator("=" + text, origin=origin).translate_formula(c.get("r"))[1:]

    def in_array(self, col: int, r: int, cell) -> bool:
        """True when (col, r) lies in a multi-cell array formula it is not the master of."""
        if self._arrays is None:
            self._arrays = []
            for f in self.data.iter(self.q("f")):
                if f.get("t") == "array" and f.get("ref") and ":" in f.get("ref"):
                    self._arrays.append((f.getparent(), bounds(f.get("ref"))))
        return any(
            m is not cell and a[0] <= col <= a[2] and a[1] <= r <= a[3] for m, a in self._arrays
        )


# --------------------------------------------------------------------------- the patch


class Patch:
    """An .xlsx/.xlsm read into memory, edited part by part, written back with :meth:`save`."""

    def __init__(self, path: str | Path, raw: bytes | None = None):
        """``raw``: the file's bytes as already read (by workbook.case.read.Reader), so it is read once."""
        self.path = Path(path)
        try:
            self._raw = self.path.read_bytes() if raw is None else raw
        except FileNotFoundError:
            raise ScrError("the workbook does not exist", file=self.path) from None
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
        self._sheets: dict[str, _Sheet] = {}
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
            self._parts[name] = etree.fromstring(self._zip.read(name), _PARSER)
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

    def _sheet(self, name: str) -> _Sheet:
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
            if _local(root) != "worksheet":
                raise ScrError("this is a chart sheet, not a worksheet", file=self.path, sheet=name)
            self._sheets[name] = _Sheet(name, part, root)
        return self._sheets[name]

    # ----- cells

    def set_cells(self, sheet_name: str, cells: Mapping[str, object]) -> None:
        """Write values into cells (created in order if missing), keeping each cell's style.

        Values: None (clear), int/float, str, bool, date/datetime, :class:`Formula`,
        :class:`ErrorValue`.
        """
        sheet = self._sheet(sheet_name)
        touched = []
        for ref, value in cells.items():
            try:
                col, r = split_ref(ref)
            except ValueError:
                raise ScrError(f"'{ref}' is not a cell reference", file=self.path, sheet=sheet.name) from None
            c = sheet.cell(col, r, create=value is not None)
            if c is None:
                continue  # clearing a cell that does not exist: nothing to do
            self._write(sheet, c, col, r, value)
            touched.append((col, r))
        if touched:
            sheet.grow_dimension(
                min(c for c, _ in touched), min(r for _, r in touched),
                max(c for c, _ in touched), max(r for _, r in touched),
            )
        self._touch(sheet.part)

    def _write(self, sheet: _Sheet, c, col: int, r: int, value) -> None:
        q = sheet.q
        if sheet.in_array(col, r, c):
            raise ScrError(
                "the cell is part of an array formula and cannot be changed on its own",
                file=self.path, sheet=sheet.name, row=r, column=col_letters(col),
                fix="remove the array formula (select its range, delete) and try again.",
            )
        f = c.find(q("f"))
        had_formula = f is not None
        if had_formula and f.get("t") == "shared" and f.get("ref"):
            sheet.unshare(c)  # its followers would otherwise lose their formula
        for child in list(c):
            if _local(child) in ("f", "v", "is"):
                c.remove(child)
        # t = type of the old value; cm/vm point at dynamic-array and rich-value metadata
        # that described the old content.
        for a in ("t", "cm", "vm"):
            c.attrib.pop(a, None)
        is_formula = isinstance(value, Formula)
        if is_formula:
            text = value.text.strip()
            f = etree.Element(q("f"))
            f.text = _xml_text(text[1:] if text.startswith("=") else text)
            self._put(c, f)
            if value.cached is None:
                f.set("ca", "1")
            else:
                self._put_value(sheet, c, value.cached, in_formula=True)
        elif value is not None:
            self._put_value(sheet, c, value, in_formula=False)
        if had_formula != is_formula:
            self._formulas_changed = True

    @staticmethod
    def _put(c, el) -> None:
        ext = [x for x in c if _local(x) == "extLst"]
        (ext[0].addprevious(el) if ext else c.append(el))

    def _put_value(self, sheet: _Sheet, c, value, *, in_formula: bool) -> None:
        q = sheet.q
        v = etree.Element(q("v"))
        if isinstance(value, bool):
            c.set("t", "b")
            v.text = "1" if value else "0"
        elif isinstance(value, ErrorValue) or (hasattr(value, "code") and value.code in ERROR_CODES):
            c.set("t", "e")
            v.text = value.code
        elif isinstance(value, (dt.date, dt.datetime)):
            v.text = _number(self._serial(value))
            timed = isinstance(value, dt.datetime) and value.time() != dt.time()
            fmt = DATETIME_FORMAT if timed else DATE_FORMAT
            c.set("s", str(self._date_style(int(c.get("s", "0")), fmt)))
        elif isinstance(value, numbers.Real):
            v.text = _number(value)
        elif isinstance(value, str):
            if len(value) > MAX_TEXT:
                col, r = split_ref(c.get("r"))
                raise ScrError(
                    f"the text is {len(value)} characters long; Excel holds at most {MAX_TEXT} in a cell",
                    file=self.path, sheet=sheet.name, row=r, column=col_letters(col),
                    fix="shorten the text.",
                )
            if in_formula:
                c.set("t", "str")
                v.text = _xml_text(value)
            else:
                c.set("t", "inlineStr")
                is_ = etree.Element(q("is"))
                t = etree.SubElement(is_, q("t"))
                t.text = _xml_text(value)
                if re.search(r"^\s|\s$|\s\s|[\t\n\r]", value):
                    t.set(XML_SPACE, "preserve")
                self._put(c, is_)
                return
        else:
            raise TypeError(f"cannot write a {type(value).__name__} into a cell: {value!r}")
        self._put(c, v)

    def _serial(self, d: dt.date) -> float:
        serial = to_serial(d)
        if isinstance(d, dt.datetime):
            t = d.time()
            serial += (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400
        return serial - 1462 if self.date1904 else serial

    # ----- styles: a date must show as a date

    def _styles_part(self) -> str:
        for kind, target in self._rels(self.workbook_part).values():
            if kind == "styles":
                return target
        raise ScrError("the workbook has no styles part", file=self.path)

    def _date_style(self, s: int, fmt: str) -> int:
        """Style index showing a date: ``s`` itself if it already does, else a copy of ``s``
        with ``fmt`` as its number format (so fonts, fills and borders stay)."""
        key = (s, fmt)
        if key in self._styles_cache:
            return self._styles_cache[key]
        name = self._styles_part()
        root = self._part(name)
        ns = etree.QName(root).namespace
        xfs_el = root.find(f"{{{ns}}}cellXfs")
        xfs = xfs_el.findall(f"{{{ns}}}xf") if xfs_el is not None else []
        numfmts = root.find(f"{{{ns}}}numFmts")
        codes = {}
        if numfmts is not None:
            codes = {
                int(n.get("numFmtId")): n.get("formatCode", "") for n in numfmts.iterfind(f"{{{ns}}}numFmt")
            }
        base = xfs[s] if s < len(xfs) else None
        if base is not None and _is_date_format(int(base.get("numFmtId", "0")), codes):
            self._styles_cache[key] = s
            return s
        fmt_id = next((i for i, code in codes.items() if code == fmt), None)
        if fmt_id is None:
            if numfmts is None:
                numfmts = etree.Element(f"{{{ns}}}numFmts")
                root.insert(0, numfmts)  # numFmts must be the first child of styleSheet
            fmt_id = max([163, *codes]) + 1
            etree.SubElement(numfmts, f"{{{ns}}}numFmt", numFmtId=str(fmt_id), formatCode=fmt)
            numfmts.set("count", str(len(numfmts)))
        if xfs_el is None:
            raise ScrError("the workbook's styles have no cell formats", file=self.path)
        new = copy.deepcopy(base) if base is not None else etree.Element(
            f"{{{ns}}}xf", numFmtId="0", fontId="0", fillId="0", borderId="0", xfId="0"
        )
        new.set("numFmtId", str(fmt_id))
        new.set("applyNumberFormat", "1")
        blob = etree.tostring(new)
        index = next((i for i, x in enumerate(xfs) if etree.tostring(x) == blob), None)
        if index is None:  # reuse an identical format from an earlier run, else add one
            xfs_el.append(new)
            xfs_el.set("count", str(len(xfs) + 1))
            index = len(xfs)
        self._touch(name)
        self._styles_cache[key] = index
        return index

    # ----- tables

    def _tables(self, sheet: _Sheet):
        for kind, target in self._rels(sheet.part).values():
            if kind == "table":
                yield target, self._part(target)

    def append_table_rows(
        self, sheet_name: str, table_name: str, rows: list[Mapping[str, object]]
    ) -> list[int]:
        """Write ``rows`` ({column header: value}) below the table and grow the table over them.

        Returns the sheet row numbers written. Missing columns are left empty, except
        calculated columns, which get the column's formula (no cached value).
        """
        sheet = self._sheet(sheet_name)
        where = dict(file=self.path, sheet=sheet.name)
        tables = list(self._tables(sheet))
        found = [(p, t) for p, t in tables if table_name.casefold() in
                 (t.get("displayName", "").casefold(), t.get("name", "").casefold())]
        if not found:
            names = ", ".join(t.get("displayName", "?") for _, t in tables) or "none"
            raise ScrError(
                f"there is no table called '{table_name}' on this sheet (tables: {names})", **where
            )
        tpart, table = found[0]
        tq = lambda tag: f"{{{etree.QName(table).namespace}}}{tag}"  # noqa: E731
        if int(table.get("totalsRowCount", "0")):
            raise ScrError(
                f"table '{table_name}' has a Total Row, so rows cannot be added below it", **where,
                fix="click in the table, untick Table Design > Total Row, and try again.",
            )
        if not rows:
            return []
        c1, r1, c2, r2 = bounds(table.get("ref"))
        first = r1 + int(table.get("headerRowCount", "1"))
        columns = list(table.iter(tq("tableColumn")))
        index = {_norm(tc.get("name", "")): i for i, tc in enumerate(columns)}
        for values in rows:
            for key in values:
                if _norm(key) not in index:
                    known = ", ".join(_unescape(tc.get("name", "")) for tc in columns)
                    raise ScrError(f"table '{table_name}' has no column '{key}' (columns: {known})", **where)
        calculated = {i for i, tc in enumerate(columns) if tc.find(tq("calculatedColumnFormula")) is not None}

        template = r2 if r2 >= first else None
        start = r2 + 1
        if r2 == first and self._blank_row(sheet, r2, c1, calculated):
            start = r2  # Excel's "empty" table: header + one blank row; fill that row
        end = start + len(rows) - 1
        self._check_free(sheet, tables, tpart, c1, c2, max(start, r2 + 1), end, table_name)

        # Each calculated column's formula and the cell it is written for, found once.
        sources = {
            i: self._column_formula(sheet, columns[i], tq, c1 + i, template, first) for i in calculated
        }
        for n, values in enumerate(rows):
            r = start + n
            given = {index[_norm(k)]: v for k, v in values.items()}
            if r != template and template is not None:
                self._copy_row_format(sheet, template, r)
            for i in range(len(columns)):
                col = c1 + i
                if i in given:
                    value = given[i]
                elif i in calculated:
                    text, origin = sources[i]
                    here = f"{col_letters(col)}{r}"
                    value = Formula(Translator("=" + text, origin=origin).translate_formula(here))
                else:
                    value = None
                c = sheet.cell(col, r)
                if template is not None and r != template:
                    tc = sheet.cell(col, template, create=False)
                    if tc is not None and tc.get("s"):
                        c.set("s", tc.get("s"))
                self._write(sheet, c, col, r, value)

        new_r2 = max(r2, end)
        table.set("ref", range_ref(c1, r1, c2, new_r2))
        for el in (table.find(tq("autoFilter")), table.find(f"{tq('autoFilter')}/{tq('sortState')}")):
            if el is not None and el.get("ref"):
                a = bounds(el.get("ref"))
                el.set("ref", range_ref(a[0], a[1], a[2], max(a[3], new_r2)))
        if new_r2 > r2:
            self._extend_validation(sheet, c1, c2, first, r2, new_r2)
        sheet.grow_dimension(c1, start, c2, end)
        self._touch(tpart)
        self._touch(sheet.part)
        return list(range(start, end + 1))

    def _blank_row(self, sheet: _Sheet, r: int, c1: int, calculated: set[int]) -> bool:
        row = sheet.row(r, create=False)
        if row is None:
            return True
        for c in row.iterfind(sheet.q("c")):
            col = split_ref(c.get("r"))[0]
            if col - c1 in calculated:
                continue
            if any(_local(x) in ("v", "f", "is") for x in c):
                return False
        return True

    def _check_free(self, sheet, tables, tpart, c1, c2, r_from, r_to, table_name) -> None:
        # Excel would refuse to grow a table over other data; we must not overwrite it either.
        for part, other in tables:
            if part == tpart:
                continue
            o = bounds(other.get("ref"))
            if o[0] <= c2 and c1 <= o[2] and o[1] <= r_to and r_from <= o[3]:
                raise ScrError(
                    f"table '{table_name}' cannot grow: table '{other.get('displayName')}' is below it",
                    file=self.path, sheet=sheet.name, row=o[1],
                    fix="move the other table further down (or to another sheet) and try again.",
                )
        for r in range(r_from, r_to + 1):
            for col in range(c1, c2 + 1):
                c = sheet.cell(col, r, create=False)
                if c is not None and any(_local(x) in ("v", "f", "is") for x in c):
                    raise ScrError(
                        f"table '{table_name}' cannot grow: the cell below it is not empty",
                        file=self.path, sheet=sheet.name, row=r, column=col_letters(col),
                        fix="move what is below the table further down, and try again.",
                    )

    def _copy_row_format(self, sheet: _Sheet, src: int, dst: int) -> None:
        a, b = sheet.row(src, create=False), sheet.row(dst)
        if a is None:
            return
        for attr in ("s", "customFormat", "ht", "customHeight"):
            if a.get(attr) is not None and b.get(attr) is None:
                b.set(attr, a.get(attr))

    def _column_formula(self, sheet, tc, tq, col, template, first) -> tuple[str, str]:
        """(formula, cell it is written for) of a calculated column: the last row's own formula
        (the user may have changed it since), else the table's stored one (for the first row)."""
        if template is not None:
            cell = sheet.cell(col, template, create=False)
            text = sheet.formula_text(cell) if cell is not None else None
            if text:
                return text, f"{col_letters(col)}{template}"
        return tc.find(tq("calculatedColumnFormula")).text or "", f"{col_letters(col)}{first}"

    def _extend_validation(self, sheet: _Sheet, c1, c2, first, old_last, new_last) -> None:
        """Grow data validation and conditional formatting that cover whole table columns,
        as Excel does when a table grows (so new rows get the user's drop-downs and colours)."""

        def grow(sqref: str) -> str:
            out = []
            for part in sqref.split():
                try:
                    a = bounds(part)
                except ValueError:
                    out.append(part)
                    continue
                if a[1] <= first and a[3] == old_last and a[0] <= c2 and c1 <= a[2]:
                    a = (a[0], a[1], a[2], new_last)
                out.append(range_ref(*a))
            return " ".join(out)

        q = sheet.q
        for el in [*sheet.root.iter(q("dataValidation")), *sheet.root.iter(q("conditionalFormatting"))]:
            if el.get("sqref"):
                el.set("sqref", grow(el.get("sqref")))
        for el in sheet.root.iter(f"{{{XM_NS}}}sqref"):
            if _local(el.getparent()) in ("dataValidation", "conditionalFormatting") and el.text:
                el.text = grow(el.text)

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
            if hashlib.sha256(target.read_bytes()).digest() != hashlib.sha256(self._raw).digest():
                raise ScrError(
                    "the workbook was changed by someone else while we were working on it, "
                    "so it was not changed", file=target, fix="run the command again.",
                )

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w") as out:
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

        backup = atomic_write(target, write, keep=keep)
        if own:  # what is on disk is now ours: a second save() must not look like a clash
            self._raw = target.read_bytes()
            self._zip = zipfile.ZipFile(io.BytesIO(self._raw))
            self._names = set(self._zip.namelist())
            self._deleted.clear()
        return backup


def _number(x) -> str:
    if isinstance(x, numbers.Integral):
        return str(int(x))
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"Excel cannot store {x} in a cell")
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _is_date_format(fmt_id: int, codes: dict[int, str]) -> bool:
    if fmt_id in _BUILTIN_DATE_IDS:
        return True
    code = codes.get(fmt_id, "")
    # Drop quoted text, escapes, [colours/conditions/locales], padding, then look for d m y h s.
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code)
    return code.lower() != "general" and bool(re.search(r"[dmyhs]", code, re.I))
