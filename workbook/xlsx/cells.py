"""Writing values into cells of a workbook being patched, and the date styles they need."""
from __future__ import annotations

import copy
import datetime as dt
import numbers
import re
from typing import Mapping

from lxml import etree

from tracker.errors import ScrError
from tracker.excel_dates import DATE_FORMAT, to_serial
from workbook.xlsx.refs import col_letters, split_ref
from workbook.xlsx.sheet import Worksheet
from workbook.xlsx.values import (
    DATETIME_FORMAT, ERROR_CODES, MAX_TEXT, XML_SPACE, ErrorValue, Formula,
    is_date_format, local_name, number_text, xml_text,
)


class CellWriter:
    """Mixin of :class:`workbook.xlsx.patch.Patch`: cells and the styles a date needs."""

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

    def forget_text(self, text: str) -> int:
        """Blank every shared string that is exactly ``text``: a cleared cell's shared string stays
        in sharedStrings.xml, unused but readable in every copy of the file, which is no place for
        a secret once typed into a cell. The entries stay (blank), so no other cell's index moves."""
        part = next((t for kind, t in self._rels(self._workbook_part()).values() if kind == "sharedStrings"), None)
        if not text or part is None:
            return 0
        n = 0
        for si in self._part(part):
            if local_name(si) == "si" and "".join(si.itertext()) == text:
                for child in list(si):
                    si.remove(child)
                etree.SubElement(si, f"{{{self._ns}}}t")
                n += 1
        if n:
            self._touch(part)
        return n

    def _write(self, sheet: Worksheet, c, col: int, r: int, value) -> None:
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
            if local_name(child) in ("f", "v", "is"):
                c.remove(child)
        # t = type of the old value; cm/vm point at dynamic-array and rich-value metadata
        # that described the old content.
        for a in ("t", "cm", "vm"):
            c.attrib.pop(a, None)
        is_formula = isinstance(value, Formula)
        if is_formula:
            text = value.text.strip()
            f = etree.Element(q("f"))
            f.text = xml_text(text[1:] if text.startswith("=") else text)
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
        ext = [x for x in c if local_name(x) == "extLst"]
        (ext[0].addprevious(el) if ext else c.append(el))

    def _put_value(self, sheet: Worksheet, c, value, *, in_formula: bool) -> None:
        q = sheet.q
        v = etree.Element(q("v"))
        if isinstance(value, bool):
            c.set("t", "b")
            v.text = "1" if value else "0"
        elif isinstance(value, ErrorValue) or (hasattr(value, "code") and value.code in ERROR_CODES):
            c.set("t", "e")
            v.text = value.code
        elif isinstance(value, (dt.date, dt.datetime)):
            v.text = number_text(self._serial(value))
            timed = isinstance(value, dt.datetime) and value.time() != dt.time()
            fmt = DATETIME_FORMAT if timed else DATE_FORMAT
            c.set("s", str(self._date_style(int(c.get("s", "0")), fmt)))
        elif isinstance(value, numbers.Real):
            v.text = number_text(value)
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
                v.text = xml_text(value)
            else:
                c.set("t", "inlineStr")
                is_ = etree.Element(q("is"))
                t = etree.SubElement(is_, q("t"))
                t.text = xml_text(value)
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
        if base is not None and is_date_format(int(base.get("numFmtId", "0")), codes):
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
