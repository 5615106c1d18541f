"""The add-in oracle: a workbook's own formulas, evaluated as Excel evaluates them with the add-in.

For every formula cell that calls one of our worksheet functions (found in ``tracker.udfs``, not
listed here), the formula is parsed (tests/oracles/formula.py), each of our calls gets its
arguments from the workbook's SAVED values (references on any sheet, defined names, table
columns, literals, the native functions inside the arguments) and is called three ways:

* ``officejs`` and ``officejs-empty``: Excel 365 through xlwings' Office.js dispatcher
  (``xlwings.server.custom_functions_call``): every argument a 2-D matrix, dates as serial
  numbers, numbers as JSON gives them, a blank cell once as ``None`` and once as ``""``;
* ``classic``: Windows Excel through classic xlwings' own COM-server code path
  (tests/oracles/classic.py): dates as datetime, numbers as float, empty as None.

The cell's result under IFERROR semantics must equal the value saved in the cell (dates as
serials). When our call errors under Office.js, IFERROR hands over to the native twin: such a
cell is counted as "fell back" (the native oracle, tests/test_native_twins.py, checks those).
Classic Excel calls through the project's own VBA wrappers (macros/ScrFunctions.bas): when the
Python call raises, ``ScrFailed`` returns ``CVErr(xlErrValue)``, so IFERROR falls back there too
(xlwings' generated wrappers would put ``Err.Description`` in the cell as text instead).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
if sys.platform != "emscripten":
    # The test and benchmark host's speed-up (as tests/conftest.py): xlwings tries
    # `from pyodide.ffi import JsNull` for every cell it reads; outside Pyodide, fail at once.
    sys.modules.setdefault("pyodide", None)

import openpyxl  # noqa: E402
import xlwings  # noqa: E402
import xlwings.utils  # noqa: E402
from openpyxl.utils.datetime import to_excel  # noqa: E402
from xlwings.server import custom_functions_call  # noqa: E402

from tracker import udfs  # noqa: E402

if sys.platform != "emscripten":
    # The same host speed-up, one step further: xlwings' is_jsnull() still goes through the
    # import machinery for every cell (~70 us; a 700-day Holidays range is 50 ms a call).
    # Outside Pyodide it is always False, which is all this replacement says.
    xlwings.utils.is_jsnull = lambda value: False

from . import classic  # noqa: E402
from .formula import (XLError, Evaluator, FellBack, Ref, Unsupported, a1_ref, calls_in, functions_in,  # noqa: E402
                      parse, split_ref, _STRUCTURED)

FACES = ("officejs", "officejs-empty", "classic")


def our_functions(module=udfs) -> set[str]:
    """The worksheet functions the add-in provides: whatever tracker.udfs decorates."""
    return {n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}


OURS = our_functions()


# ---------------------------------------------------------------------------------- the book


@dataclass
class Cell:
    value: object  # the saved value; a date-formatted number as its serial
    is_date: bool = False
    formula: str | None = None


class Book:
    """What the oracle needs of a workbook: cells (saved values, formats, formulas), defined
    names and tables."""

    def __init__(self, cells: dict[str, dict[tuple[int, int], Cell]], names: dict[str, str],
                 tables: dict[str, tuple[str, str, list[str]]], label: str = ""):
        self.cells, self.label = cells, label
        self.shaped: dict = {}  # (face, Ref) -> the argument as that face passes it; a Book does not change
        self.names = {k.lower(): v for k, v in names.items()}
        self.tables = {k.lower(): v for k, v in tables.items()}

    @classmethod
    def from_xlsx(cls, path: Path | str, label: str | None = None) -> "Book":
        # read-only mode: several times faster; tables are read only if a formula names one
        formulas = openpyxl.load_workbook(path, read_only=True)
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        cells, names = {}, {}
        for ws in formulas.worksheets:
            sheet = cells[ws.title] = {}
            for frow, vrow in zip(ws.iter_rows(), values[ws.title].iter_rows()):
                for c, v in zip(frow, vrow):
                    if getattr(c, "value", None) is None and getattr(v, "value", None) is None:
                        continue
                    text = None
                    if c.data_type == "f":
                        text = c.value if isinstance(c.value, str) else getattr(c.value, "text", None)
                        if text is not None and not text.startswith("="):
                            text = "=" + text
                    sheet[(c.row, c.column)] = Cell(_excel_value(v.value), bool(v.is_date), text)
        for name, dn in formulas.defined_names.items():
            names[name] = dn.attr_text
        formulas.close()
        values.close()
        book = cls(cells, names, {}, label or Path(path).name)
        book.path = Path(path)
        return book

    def _load_tables(self):
        if getattr(self, "path", None) is None or self.tables:
            return
        wb = openpyxl.load_workbook(self.path)
        for ws in wb.worksheets:
            for t in ws.tables.values():
                self.tables[t.name.lower()] = (ws.title, t.ref, [col.name for col in t.tableColumns])

    def value(self, sheet: str, r: int, c: int):
        cell = self.cells.get(sheet, {}).get((r, c))
        return None if cell is None else cell.value

    def cell(self, sheet: str, r: int, c: int) -> Cell | None:
        return self.cells.get(sheet, {}).get((r, c))

    def resolve(self, text: str, sheet: str) -> Ref:
        target = self.names.get(text.lower())
        if target is not None:
            s, a1 = split_ref(target.lstrip("="), sheet)
            return a1_ref(s, a1)
        m = _STRUCTURED.match(text)
        if m:
            self._load_tables()
        if m and m.group(1).lower() in self.tables:
            s, ref, columns = self.tables[m.group(1).lower()]
            whole = a1_ref(s, ref)
            names = [c.lower() for c in columns]
            col = m.group(2).strip().lower()
            if col not in names:
                raise Unsupported(f"table column {text!r}")
            i = whole.c1 + names.index(col)
            return Ref(s, whole.r1 + 1, i, whole.r2, i)
        s, a1 = split_ref(text, sheet)
        if s not in self.cells:
            raise Unsupported(f"reference {text!r}: no sheet {s!r}")
        return a1_ref(s, a1)

    def formula_cells(self):
        for sheet, cells in self.cells.items():
            for (r, c), cell in sorted(cells.items()):
                if cell.formula:
                    yield sheet, r, c, cell


def _excel_value(v):
    if isinstance(v, (dt.datetime, dt.date)):
        return float(to_excel(v))
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str) and v.startswith("#") and v in classic.COM_ERRORS:
        return XLError(v)
    return v


# ---------------------------------------------------------------------------------- the faces


def _grid(book: Book, v) -> list[list[Cell]]:
    """An evaluated argument as a grid of Cells (a literal or an expression's result is one
    cell without a date format)."""
    if isinstance(v, Ref):
        return [[book.cell(v.sheet, r, c) or Cell(None) for r, c in line] for line in v.cells()]
    return [[Cell(v)]]


def _json_number(x):
    """A number as Excel's JavaScript sends it through JSON: 45000, not 45000.0."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def officejs_args(book: Book, args: list, blank) -> list:
    out = []
    for v in args:
        key = ("officejs", blank, v) if isinstance(v, Ref) else None
        if key in book.shaped:
            out.append(book.shaped[key])
            continue
        grid = []
        for line in _grid(book, v):
            row = []
            for cell in line:
                x = cell.value
                if x is None:
                    x = blank
                elif isinstance(x, XLError):
                    raise _ArgError(x)  # Excel does not call a custom function with an error argument
                elif isinstance(x, float):
                    x = _json_number(x)
                row.append(x)
            grid.append(row)
        out.append(grid)
        if key:
            book.shaped[key] = grid
    return out


def classic_args(book: Book, args: list) -> list:
    out = []
    for v in args:
        if isinstance(v, Ref) and ("classic", v) in book.shaped:
            out.append(book.shaped[("classic", v)])
        elif isinstance(v, Ref):  # a Range: the VBA wrapper passes it, xlwings reads Range.Value
            rows = []
            for line in _grid(book, v):
                row = []
                for cell in line:
                    x = cell.value
                    if isinstance(x, XLError):
                        x = classic.COM_ERRORS[x.code]
                    elif cell.is_date and isinstance(x, float):
                        x = classic.com_date(x)
                    row.append(x)
                rows.append(tuple(row))
            out.append(rows[0][0] if v.shape == (1, 1) else tuple(rows))
            book.shaped[("classic", v)] = out[-1]
        elif isinstance(v, XLError):
            raise _ArgError(v)
        else:  # an expression's result: a bare Variant (a date computed by IF is a Double)
            out.append(v)
    return out


class _ArgError(Exception):
    def __init__(self, error):
        self.error = error


def call_officejs(name: str, args: list):
    data = {"func_name": name, "args": args, "version": xlwings.__version__, "client": "Office.js",
            "runtime": "1.4", "culture_info_name": "en-GB", "date_format": "dd/mm/yyyy",
            "caller_address": "Sheet1!A1"}
    return _LOOP.run_until_complete(custom_functions_call(data, udfs))


_LOOP = asyncio.new_event_loop()  # one loop for every call: asyncio.run would make one a call


def _officejs_value(result):
    """The top-left of the returned matrix, as the cell holds it (a date as its serial)."""
    grid = result if isinstance(result, list) else [[result]]
    if len(grid) != 1 or len(grid[0]) != 1:
        return Spill(len(grid), len(grid[0]) if grid else 0)
    v = grid[0][0]
    if isinstance(v, dict) and v.get("type") == "FormattedNumber":
        return v["basicValue"]
    return "" if v is None else v


def _classic_value(result):
    if isinstance(result, (list, tuple)):
        return Spill(1, len(result)) if result and not isinstance(result[0], (list, tuple)) else \
            Spill(len(result), len(result[0]) if result else 0)
    if isinstance(result, dt.datetime):
        return float(to_excel(result.replace(tzinfo=None)))
    return "" if result is None else result


@dataclass(frozen=True)
class Spill:
    rows: int
    cols: int


# ---------------------------------------------------------------------------------- checking


@dataclass
class CellCheck:
    book: str
    sheet: str
    coordinate: str
    formula: str
    saved: object
    args: list = field(default_factory=list)  # per call: (name, Office.js arguments)
    results: dict = field(default_factory=dict)  # face -> value | FellBack
    fell_back: bool = False

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.coordinate}"

    def describe(self) -> str:
        def show(v):
            return f"fell back ({v.error})" if isinstance(v, FellBack) else repr(v)
        calls = "; ".join(f"{n}({', '.join(_short(a) for a in args)})" for n, args in self.args)
        return (f"{self.book} {self.where}: {self.formula[:160]}\n    args: {calls[:600]}\n    "
                f"dispatcher: {show(self.results.get('officejs'))} / with \"\" blanks: "
                f"{show(self.results.get('officejs-empty'))}; classic: {show(self.results.get('classic'))}; "
                f"saved: {self.saved!r}")


def _short(grid) -> str:
    flat = [x for row in grid for x in row]
    if len(flat) == 1:
        return repr(flat[0])
    return f"[{len(grid)}x{len(grid[0])}: {', '.join(map(repr, flat[:4]))}{', ...' if len(flat) > 4 else ''}]"


@dataclass
class Report:
    checks: list[CellCheck] = field(default_factory=list)
    differences: list[CellCheck] = field(default_factory=list)
    fell_back: list[CellCheck] = field(default_factory=list)
    calls: list[tuple[str, list]] = field(default_factory=list)  # (name, Office.js args) of every call

    @property
    def compared(self) -> int:
        return len(self.checks) - len(self.fell_back)

    def add(self, other: "Report") -> "Report":
        for k in ("checks", "differences", "fell_back", "calls"):
            getattr(self, k).extend(getattr(other, k))
        return self

    def text(self, limit: int = 40) -> str:
        lines = [f"{len(self.checks)} cells calling our functions, {self.compared} compared, "
                 f"{len(self.differences)} differ, {len(self.fell_back)} fell back to the native twin"]
        lines += [d.describe() for d in self.differences[:limit]]
        return "\n".join(lines)


def _same(got, saved) -> bool:
    if isinstance(got, (FellBack, Spill)):
        return False
    if saved is None:
        saved = ""
    if isinstance(got, bool) or isinstance(saved, bool):
        return type(got) is type(saved) and got == saved
    if isinstance(got, (int, float)) and isinstance(saved, (int, float)):
        return abs(got - saved) < 1e-9
    return got == saved


def evaluate_cell(book: Book, sheet: str, tree, face: str, calls: list | None = None):
    """The cell's value under one face: a value, or FellBack when IFERROR handed over."""
    def ours(name, args, node):
        try:
            if face == "classic":
                try:
                    return _classic_value(classic.call(name, classic_args(book, args)))
                except _ArgError as e:
                    return e.error
                except Exception as e:  # noqa: BLE001 - macros/ScrFunctions.bas: ScrFailed -> CVErr(xlErrValue)
                    return XLError(f"#VALUE! ({type(e).__name__}: {e})")
            shaped = officejs_args(book, args, None if face == "officejs" else "")
            if calls is not None:
                calls.append((name, shaped))
            try:
                return _officejs_value(call_officejs(name, shaped))
            except Exception as e:  # noqa: BLE001 - Office.js turns a raised error into #VALUE!
                return XLError(f"#VALUE! ({type(e).__name__}: {e})")
        except _ArgError as e:
            return e.error

    ev = Evaluator(book, sheet, ours, OURS)
    try:
        v = ev.eval(tree)
        return ev.scalar(v) if isinstance(v, Ref) else v
    except FellBack as f:
        return f


_CALLS_OURS = re.compile(r"(?<![\w.])(?:%s)\(" % "|".join(sorted(OURS)), re.IGNORECASE)


def iferror_head(formula: str) -> str | None:
    """The first argument of a formula that is ``=IFERROR(first, native)``, else None. The native
    half (a long formula) is never evaluated by this oracle: tokenising it would cost most of
    the time, so it is cut off here by a scan that respects quoted text and sheet names."""
    if not formula.upper().startswith("=IFERROR("):
        return None
    depth, i, quote = 1, len("=IFERROR("), None
    while i < len(formula):
        ch = formula[i]
        if quote:
            if ch == quote:
                if i + 1 < len(formula) and formula[i + 1] == quote:
                    i += 1  # a doubled quote inside the text
                else:
                    quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == "," and depth == 1:
            return formula[len("=IFERROR("):i]
        i += 1
    return None


def cell_tree(formula: str):
    head = iferror_head(formula)
    if head is None:
        return parse(formula)
    return ("call", "IFERROR", [parse("=" + head), ("native twin",)])


def check_book(book: Book) -> Report:
    report = Report()
    for sheet, r, c, cell in book.formula_cells():
        if not _CALLS_OURS.search(cell.formula):
            continue
        tree = cell_tree(cell.formula)
        if not (functions_in(tree) & OURS):
            continue
        check = CellCheck(book.label, sheet, openpyxl.utils.get_column_letter(c) + str(r), cell.formula, cell.value)
        calls: list = []
        for face in FACES:
            check.results[face] = evaluate_cell(book, sheet, tree, face, calls if face == "officejs" else None)
        check.args = calls
        report.calls += calls
        report.checks.append(check)
        if all(isinstance(v, FellBack) for v in check.results.values()):
            check.fell_back = True
            report.fell_back.append(check)
        elif not all(_same(v, cell.value) for v in check.results.values()):
            report.differences.append(check)
    return report


def check_file(path: Path | str, label: str | None = None) -> Report:
    return check_book(Book.from_xlsx(path, label))


__all__ = ["Book", "Cell", "CellCheck", "FACES", "FellBack", "OURS", "Report", "Spill", "call_officejs",
           "check_book", "check_file", "evaluate_cell", "officejs_args", "our_functions", "calls_in"]
