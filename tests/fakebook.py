"""LiveWriter: computed cells and table rows written into an open workbook through xlwings.

THE ONE STAND-IN IN THESE TESTS. Excel cannot run on this Linux machine, and the buttons write
into a workbook that is open in Excel, so here (and only here, and in test_macros.py, which
uses the same class) a test double stands in for xlwings' Book/Sheet/Range/Table. It is
deliberately small -- exactly the part of the xlwings object model that workbook/live.py and
workbook/buttons.py use -- and behaves as Excel does where that matters:

* ``range.value = "=..."`` makes a formula and ``"'text"`` keeps ``text`` as text; text that
  looks like a number, date or boolean is converted (so a missing text prefix shows up);
* a write to a protected sheet fails, as a write to a locked cell does in Excel;
* reading a one-row or one-column range gives a flat list, one cell a scalar (xlwings' rule);
* a table's data body, header row and resize follow Excel's ListObject.

It does NOT calculate: formulas are checked by their text, which is what the buttons write.
Everything else (the case workbook, Reader, compute, computed_cells, the e-mails) is real.
``FakeBook.from_file`` loads a real saved workbook with openpyxl, as Excel would open it.
"""
from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.xlsx.live import PROTECTION_FLAGS, LiveWriter, as_excel_value, diff_workbooks, needs_text_prefix
from workbook.xlsx.patch import Formula, Patch


class ExcelRefused(Exception):
    """What Excel raises (a COM error) when asked to do something it will not."""


# ------------------------------------------------------------------------------ the double

def a1_ref(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


class FakeProtection:
    def __init__(self, flags: dict[str, bool]):
        for f in PROTECTION_FLAGS:
            setattr(self, f, flags.get(f, False))


class FakeSheetApi:
    """The few COM members of Excel's Worksheet that LiveWriter uses for protection."""

    def __init__(self, protected=False, password="", flags=None):
        self.ProtectContents = protected
        self.ProtectDrawingObjects = protected
        self.ProtectScenarios = protected
        self.password = password
        self.Protection = FakeProtection(flags or {})
        self.protect_calls = []

    def Unprotect(self, Password=""):
        if self.password and Password != self.password:
            raise ExcelRefused("The password you supplied is not correct.")
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = False
        self.Protection = FakeProtection({})

    def Protect(self, Password="", DrawingObjects=True, Contents=True, Scenarios=True, UserInterfaceOnly=False, *flags):
        self.protect_calls.append((Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly, flags))
        self.password = Password
        self.ProtectContents, self.ProtectDrawingObjects, self.ProtectScenarios = Contents, DrawingObjects, Scenarios
        self.Protection = FakeProtection(dict(zip(PROTECTION_FLAGS, flags)))


class FakeRange:
    def __init__(self, sheet, r1, c1, r2, c2):
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2

    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)
    shape = property(lambda self: (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1))
    address = property(lambda self: f"{a1_ref(self.r1, self.c1)}:{a1_ref(self.r2, self.c2)}")

    def _cells(self):
        return [[(r, c) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]

    @property
    def value(self):
        grid = [[self.sheet.values.get(rc) for rc in line] for line in self._cells()]
        rows, cols = self.shape
        if rows == 1 and cols == 1:
            return grid[0][0]
        if rows == 1:
            return grid[0]
        if cols == 1:
            return [line[0] for line in grid]
        return grid

    @value.setter
    def value(self, data):
        if isinstance(data, (list, tuple)):
            grid = [list(r) for r in data] if data and isinstance(data[0], (list, tuple)) else [list(data)]
            for i, line in enumerate(grid):  # xlwings writes from the top-left cell, as big as the data
                for j, v in enumerate(line):
                    self.sheet.put(self.r1 + i, self.c1 + j, v)
        else:
            for line in self._cells():
                for r, c in line:
                    self.sheet.put(r, c, data)

    @property
    def formula(self):
        assert self.shape == (1, 1)
        rc = (self.r1, self.c1)
        return self.sheet.formulas.get(rc, "" if self.sheet.values.get(rc) is None else str(self.sheet.values[rc]))

    @formula.setter
    def formula(self, text):
        assert self.shape == (1, 1), "the buttons set formulas one cell at a time"
        self.sheet.put_formula(self.r1, self.c1, text)

    @property
    def number_format(self):
        return self.sheet.formats.get((self.r1, self.c1), "General")

    @number_format.setter
    def number_format(self, fmt):
        for line in self._cells():
            for rc in line:
                self.sheet.formats[rc] = fmt


class FakeTable:
    def __init__(self, sheet, name, ref):
        self.sheet, self.name = sheet, name
        c1, r1, c2, r2 = range_boundaries(ref)
        self.bounds = [r1, c1, r2, c2]
        self.show_totals = False

    @property
    def range(self):
        return FakeRange(self.sheet, *self.bounds)

    @property
    def header_row_range(self):
        r1, c1, _r2, c2 = self.bounds
        return FakeRange(self.sheet, r1, c1, r1, c2)

    @property
    def data_body_range(self):
        r1, c1, r2, c2 = self.bounds
        return None if r2 == r1 else FakeRange(self.sheet, r1 + 1, c1, r2, c2)

    def resize(self, rng):
        r1, c1, _r2, c2 = self.bounds
        if (rng.r1, rng.c1, rng.c2) != (r1, c1, c2):
            raise ExcelRefused("The table's header row must stay where it is.")  # as ListObject.Resize
        self.bounds[2] = rng.r2
        self.sheet.book.log.append((self.sheet.name, self.name, "resize", rng.address, self.sheet.book.app.calculation))

    @property
    def ref(self):
        r1, c1, r2, c2 = self.bounds
        return f"{a1_ref(r1, c1)}:{a1_ref(r2, c2)}"


class FakeTables:
    def __init__(self):
        self.items = []

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, name):
        for t in self.items:
            if t.name.casefold() == name.casefold():
                return t
        raise KeyError(name)


_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$", re.IGNORECASE)


class FakeSheet:
    def __init__(self, book, name):
        self.book, self.name = book, name
        self.values, self.formulas, self.formats = {}, {}, {}
        self.tables = FakeTables()
        self.api = FakeSheetApi()

    def range(self, a, b=None):
        if isinstance(a, tuple):
            r1, c1 = a
            r2, c2 = b if b is not None else a
        else:
            c1, r1, c2, r2 = range_boundaries(a)
        return FakeRange(self, r1, c1, r2, c2)

    def __getitem__(self, ref):
        return self.range(ref)

    def _check_writable(self, r, c):
        if self.api.ProtectContents:
            raise ExcelRefused(f"The cell {a1_ref(r, c)} on '{self.name}' is on a protected sheet.")

    def put(self, r, c, v):
        self._check_writable(r, c)
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            raise TypeError("the buttons write dates as datetime")
        if v is not None and not isinstance(v, (str, bool, int, float, dt.datetime)):
            raise TypeError(f"Excel cannot take a {type(v).__name__}")
        kind = "value"
        if isinstance(v, str):  # as Excel parses what is assigned to Range.Value
            if v.startswith("'"):
                v = v[1:]
            elif v.startswith("="):
                return self.put_formula(r, c, v)
            elif _NUMBER.match(v):
                v = float(v)
            elif v.upper() in ("TRUE", "FALSE"):
                v = v.upper() == "TRUE"
        self.formulas.pop((r, c), None)
        if v is None or v == "":
            self.values.pop((r, c), None)
        else:
            self.values[(r, c)] = v
        self.book.log.append((self.name, a1_ref(r, c), kind, v, self.book.app.calculation))

    def put_formula(self, r, c, text):
        self._check_writable(r, c)
        assert isinstance(text, str) and text.startswith("="), text
        self.formulas[(r, c)] = text
        self.values.pop((r, c), None)  # the double does not calculate
        self.book.log.append((self.name, a1_ref(r, c), "formula", text, self.book.app.calculation))

    def clear(self):
        self._check_writable(1, 1)
        self.values.clear()
        self.formulas.clear()
        self.formats.clear()

    def activate(self):
        self.book.active = self

    def text(self, ref):
        """The formula if there is one, else the value (for assertions)."""
        c1, r1, _c2, _r2 = range_boundaries(ref)
        return self.formulas.get((r1, c1), self.values.get((r1, c1)))


class FakeSheets:
    def __init__(self, book):
        self.book, self.items = book, []

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __contains__(self, name):
        return any(s.name.casefold() == str(name).casefold() for s in self.items)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.items[key]
        for s in self.items:
            if s.name.casefold() == key.casefold():
                return s
        raise KeyError(key)

    def add(self, name=None, before=None, after=None):
        if name in self:
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        s = FakeSheet(self.book, name or f"Sheet{len(self.items) + 1}")
        if after is not None:
            self.items.insert(self.items.index(after) + 1, s)
        elif before is not None:
            self.items.insert(self.items.index(before), s)
        else:
            self.items.insert(0, s)
        self.book.active = s
        return s


class FakeApp:
    def __init__(self):
        self.alerts = []
        self.calculation = "automatic"
        self.screen_updating = True
        self.status_bar = False

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title, mode))
        return "ok"

    @contextmanager
    def properties(self, **kwargs):  # xlwings' App.properties
        before = {k: getattr(self, k) for k in kwargs}
        for k, v in kwargs.items():
            setattr(self, k, v)
        try:
            yield self
        finally:
            for k, v in before.items():
                setattr(self, k, v)


class FakeBook:
    def __init__(self, fullname="Book1"):
        self.fullname = str(fullname)
        self.app = FakeApp()
        self.sheets = FakeSheets(self)
        self.saves = 0
        self.log = []  # (sheet, ref, kind, value, calculation mode) for every write
        self.active = None

    def save(self, path=None, password=None):
        assert path is None and password is None, "the buttons save in place"
        self.saves += 1

    def writes(self, kind=None):
        return [w for w in self.log if kind is None or w[2] == kind]

    @classmethod
    def blank(cls, *names, fullname="Book1"):
        b = cls(fullname)
        for n in names:
            b.sheets.items.append(FakeSheet(b, n))
        return b

    @classmethod
    def from_file(cls, path):
        """The saved workbook as Excel would show it after opening: values, formulas, tables
        and sheet protection (with the Allow... options it was saved with)."""
        b = cls(Path(path).resolve())
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            s = FakeSheet(b, ws.title)
            b.sheets.items.append(s)
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if v is None:
                        continue
                    if isinstance(v, str) and v.startswith("="):
                        s.formulas[(cell.row, cell.column)] = v
                    else:
                        s.values[(cell.row, cell.column)] = v if isinstance(v, (str, bool, int, float, dt.datetime)) else str(v)
            for name, ref in ws.tables.items():
                s.tables.items.append(FakeTable(s, name, ref))
            p = ws.protection
            if p.sheet:
                flags = {"AllowFormattingCells": not p.formatCells, "AllowFormattingColumns": not p.formatColumns,
                         "AllowFormattingRows": not p.formatRows, "AllowInsertingColumns": not p.insertColumns,
                         "AllowInsertingRows": not p.insertRows, "AllowInsertingHyperlinks": not p.insertHyperlinks,
                         "AllowDeletingColumns": not p.deleteColumns, "AllowDeletingRows": not p.deleteRows,
                         "AllowSorting": not p.sort, "AllowFiltering": not p.autoFilter,
                         "AllowUsingPivotTables": not p.pivotTables}
                s.api = FakeSheetApi(True, "", flags)
        return b


def table_rows(sheet, table):
    """A FakeTable's data rows as {header: value} (for assertions)."""
    hdr = table.header_row_range.value
    body = table.data_body_range
    if body is None:
        return []
    out = []
    for r in range(body.r1, body.r2 + 1):
        out.append({h: sheet.formulas.get((r, body.c1 + i), sheet.values.get((r, body.c1 + i)))
                    for i, h in enumerate(hdr)})
    return out
