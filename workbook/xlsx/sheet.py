"""One parsed worksheet of a workbook being patched, with an index of its rows and cells."""
from __future__ import annotations

import bisect
import re

from lxml import etree
from openpyxl.formula.translate import Translator

from tracker.errors import ScrError
from workbook.xlsx.refs import bounds, col_letters, range_ref, split_ref



class Worksheet:
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
                new = self._new_cell(row, col, r)
                c.addprevious(new)
                self._widen_spans(row, col)
                return new
        if not create:
            return None
        new = self._new_cell(row, col, r)
        others = row.findall(self.q("c"))
        if others:
            others[-1].addnext(new)  # after the last cell, before any row extLst
        else:
            row.insert(0, new)
        self._widen_spans(row, col)
        return new

    def _new_cell(self, row, col: int, r: int):
        """A cell that was absent, with the style it was shown in: the row's own format if it has
        one, else its column's (as Excel shows and fills an absent cell). Without this a value
        written into a row the board manager typed would lose the column's lock, font and fill."""
        new = etree.Element(self.q("c"), r=f"{col_letters(col)}{r}")
        style = row.get("s") if row.get("customFormat") in ("1", "true") else self.column_style(col)
        if style and style != "0":
            new.set("s", style)
        return new

    def column_style(self, col: int) -> str | None:
        cols = self.root.find(self.q("cols"))
        if cols is None:
            return None
        for c in cols.iterfind(self.q("col")):
            if int(c.get("min", 0)) <= col <= int(c.get("max", 0)):
                return c.get("style")
        return None

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
