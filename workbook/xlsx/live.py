"""Write computed cells and table rows into an OPEN workbook through xlwings.

When the board manager clicks a button the workbook is open in Excel, so the file on disk
cannot be patched (``workbook.xlsx.safe`` refuses while Excel's ``~$`` lock file exists, and Excel
would overwrite the file at the next save anyway). The buttons therefore compute from the
saved copy and write the answers here, into the live book.

``LiveWriter(book)`` takes the same ``{sheet: {ref: Formula | value}}`` mapping that
``workbook.commands.refresh.computed_cells`` gives ``workbook.xlsx.patch.Patch``:

* ``Formula(text, cached)`` -> ``range.formula = text``; Excel recalculates it, so the cached
  value is not needed live.
* any other value -> ``range.value`` (a ``date`` as a ``datetime``, text that Excel would turn
  into a formula, number or date keeps a leading apostrophe, so it stays text).

and appends rows to a table (``append_table_rows``) by writing below it and growing it with
``table.resize``, refusing, as ``Patch`` does, to write over anything below the table.
``diff_workbooks(before, after)`` + ``LiveWriter.replay`` bring into the open book what code
that patches files on disk did to a copy of its saved file.

It uses only this much of the xlwings object model, so a stand-in can be used where Excel
cannot run (tests on Linux):

    book.sheets[name], name in book.sheets, book.app.properties(...)  (optional)
    sheet.name, sheet.range(ref) / sheet.range((row, col), (row, col)), sheet.tables
    sheet.api.ProtectContents / .Protection / .Unprotect / .Protect   (Excel's COM names;
        Windows only: elsewhere a protected sheet is reported, not unprotected)
    range.value, range.formula, range.number_format, range.row, range.column, range.shape
    table.name, table.header_row_range, table.data_body_range, table.show_totals,
    table.resize(range)
"""
from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from tracker.errors import ScrError
from tracker.excel_dates import DATE_FORMAT
from workbook.xlsx.patch import ErrorValue, Formula
from workbook.xlsx.refs import col_letters, split_ref


# The sheet's protection flags, as Excel's Worksheet.Protect takes them (positional, after
# Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly) and its Protection object
# reports them.
PROTECTION_FLAGS = (
    "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
    "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
    "AllowSorting", "AllowFiltering", "AllowUsingPivotTables",
)

# Text Excel would not keep as typed when it is assigned to Range.Value: formulas (=, +, -, @),
# numbers, dates, times, percentages, booleans and error codes.
_NUMBER_LIKE = re.compile(r"^\s*[-+(]?[£$€]?\s*[\d.,]+(?:e[-+]?\d+)?[\d\s/.:,%)-]*(?:\s*[ap]\.?m\.?)?\s*$",
                          re.IGNORECASE)
_MONTH_DATE = re.compile(r"^\s*(?:\d{1,2}[\s/.-]+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                         r"(?:[\s/.,-]+\d{1,4}){0,2}\s*$", re.IGNORECASE)
_WORDS = {"TRUE", "FALSE"}


def needs_text_prefix(text: str) -> bool:
    """Would Excel turn this text into something else (a formula, number, date, time,
    percentage, boolean or error) when it is assigned to Range.Value?"""
    return bool(text) and (text[0] in "=+-@'#" or bool(_NUMBER_LIKE.match(text)) or bool(_MONTH_DATE.match(text))
                           or text.strip().upper() in _WORDS)


def as_excel_value(value):
    """A Python value as Excel should receive it through ``Range.value``."""
    if isinstance(value, ErrorValue):
        return value.code  # Excel turns a typed error code into the error
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        if needs_text_prefix(value):
            return "'" + value  # Excel keeps the apostrophe as a text prefix, not in the cell
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise TypeError(f"cannot write a {type(value).__name__} into a cell")


def _grid(value, rows: int, cols: int) -> list[list]:
    """What ``range.value`` returned, as rows x cols (xlwings gives a scalar for one cell and a
    flat list for one row or one column)."""
    if rows == 1 and cols == 1:
        return [[value]]
    if rows == 1:
        return [list(value)]
    if cols == 1:
        return [[v] for v in value]
    return [list(r) for r in value]


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _norm(header) -> str:
    return " ".join(str(header or "").split()).casefold()


@contextmanager
def unprotected(sheet):
    """Lift a sheet's password-less protection while we write, and put it back exactly as it
    was (the same Allow... options) afterwards, even if writing fails.

    The case workbook's sheets are protected without a password so that formulas are not
    overwritten by accident; Excel refuses writes to their locked cells, from code as from
    the keyboard. A sheet protected WITH a password is reported, never guessed at.
    """
    api = getattr(sheet, "api", None)
    try:
        protected = bool(api.ProtectContents)
    except Exception:  # no COM object model (macOS, a stand-in without protection): leave it
        protected = False
    if not protected:
        yield
        return
    p = api.Protection
    flags = [bool(getattr(p, f)) for f in PROTECTION_FLAGS]
    drawing, scenarios = bool(api.ProtectDrawingObjects), bool(api.ProtectScenarios)
    try:
        api.Unprotect("")
    except Exception:
        raise ScrError("the sheet is protected with a password, so the tracker cannot update it.",
                       sheet=sheet.name,
                       fix="Review > Unprotect Sheet (type the password), click the button again, then "
                           "protect the sheet again.") from None
    try:
        yield
    finally:
        api.Protect("", drawing, True, scenarios, False, *flags)


class LiveWriter:
    """Apply computed cells and append table rows to an open xlwings ``Book``."""

    def __init__(self, book):
        self.book = book
        self.written = 0

    # ---- sheets ----
    def sheet(self, name: str):
        if name not in self.book.sheets:
            raise ScrError(f"the sheet '{name}' is missing.", fix="Rename the sheet back, or restore a backup.")
        return self.book.sheets[name]

    @contextmanager
    def quietly(self):
        """One recalculation at the end instead of one per cell written, and no flicker:
        manual calculation and no screen updating while writing, each put back as it was."""
        app = getattr(self.book, "app", None)
        ctx = app.properties(calculation="manual", screen_updating=False) if app is not None else nullcontext()
        with ctx:
            yield

    # ---- cells ----
    def set_cells(self, sheet_name: str, cells: Mapping[str, object]) -> int:
        sheet = self.sheet(sheet_name)
        with unprotected(sheet):
            for ref, value in cells.items():
                split_ref(ref)  # a clear error for a bad reference, before Excel sees it
                rng = sheet.range(ref)
                if isinstance(value, Formula):
                    rng.formula = value.text
                else:
                    rng.value = as_excel_value(value)
        self.written += len(cells)
        return len(cells)

    def apply(self, cells: Mapping[str, Mapping[str, object]]) -> int:
        """Write ``{sheet: {ref: Formula | value}}`` (what ``computed_cells`` returns)."""
        for name in cells:  # every sheet checked before anything is written
            self.sheet(name)
        n = 0
        with self.quietly():
            for name, values in cells.items():
                n += self.set_cells(name, values)
        return n

    def write_block(self, sheet, top_left: str, rows: list[list]) -> None:
        """Rows of values from ``top_left`` down, in one write."""
        if not rows:
            return
        width = max(len(r) for r in rows)
        data = [[as_excel_value(v) for v in list(r) + [None] * (width - len(r))] for r in rows]
        sheet.range(top_left).value = data

    # ---- tables ----
    def _table(self, sheet, table_name: str):
        for t in sheet.tables:
            if t.name.casefold() == table_name.casefold():
                return t
        names = ", ".join(t.name for t in sheet.tables) or "none"
        raise ScrError(f"there is no table called '{table_name}' on this sheet (tables: {names}).",
                       sheet=sheet.name, fix="Undo the change that renamed or removed it, or restore a backup.")

    def append_table_rows(self, sheet_name: str, table_name: str, rows: Iterable[Mapping[str, object]]) -> list[int]:
        """Write ``rows`` ({column header: value}) below the table and grow the table over them.

        Returns the sheet rows written. Headers are matched ignoring case and spacing; columns
        not given are left empty. An "empty" table (Excel keeps one blank data row) has that row
        filled first. Refuses (ScrError) when the table shows a Total Row or anything is in the
        cells the new rows need.
        """
        rows = list(rows)
        sheet = self.sheet(sheet_name)
        table = self._table(sheet, table_name)
        where = dict(sheet=sheet.name)
        if getattr(table, "show_totals", False):
            raise ScrError(f"table '{table_name}' has a Total Row, so rows cannot be added below it.", **where,
                           fix="Click in the table, untick Table Design > Total Row, and try again.")
        if not rows:
            return []
        header = table.header_row_range
        h_row, c1 = header.row, header.column
        width = header.shape[1]
        headers = [_norm(h) for h in _grid(header.value, 1, width)[0]]
        index = {h: i for i, h in enumerate(headers)}
        for values in rows:
            for key in values:
                if _norm(key) not in index:
                    known = ", ".join(str(h) for h in _grid(header.value, 1, width)[0])
                    raise ScrError(f"table '{table_name}' has no column '{key}' (columns: {known}).", **where)
        body = table.data_body_range
        if body is None:
            last, start = h_row, h_row + 1
        else:
            n_body = body.shape[0]
            last = body.row + n_body - 1
            start = last + 1
            if n_body == 1 and all(_blank(v) for v in _grid(body.value, 1, width)[0]):
                start = body.row  # Excel's "empty" table: fill its one blank row
        end = start + len(rows) - 1
        if end > last:
            below = sheet.range((max(start, last + 1), c1), (end, c1 + width - 1))
            n = end - max(start, last + 1) + 1
            for i, line in enumerate(_grid(below.value, n, width)):
                for j, v in enumerate(line):
                    if not _blank(v):
                        raise ScrError(f"table '{table_name}' cannot grow: the cell below it is not empty.", **where,
                                       row=max(start, last + 1) + i, column=col_letters(c1 + j),
                                       fix="Move what is below the table further down, and try again.")
        plain, formulas, dates = [], {}, set()
        for n, values in enumerate(rows):
            line = [None] * width
            for key, v in values.items():
                i = index[_norm(key)]
                if isinstance(v, Formula):
                    formulas[(start + n, c1 + i)] = v.text
                else:
                    line[i] = v
                    if isinstance(v, dt.date):
                        dates.add(i)
            plain.append(line)
        with unprotected(sheet), self.quietly():
            self.write_block(sheet, f"{col_letters(c1)}{start}", plain)
            for cell, text in formulas.items():
                sheet.range(cell).formula = text
            for i in dates:
                sheet.range((start, c1 + i), (end, c1 + i)).number_format = DATE_FORMAT
            if end > last:
                table.resize(sheet.range((h_row, c1), (end, c1 + width - 1)))
        self.written += len(rows)
        return list(range(start, end + 1))

    # ---- replaying a change made to a copy of the file ----
    def replay(self, changes: "Changes") -> int:
        """Write into the open book what was changed in a copy of its saved file (see
        ``diff_workbooks``): the changed cells, their number formats, and the tables grown."""
        for name in {*changes.cells, *changes.formats, *(t[0] for t in changes.tables)}:
            self.sheet(name)
        n = self.apply(changes.cells) if changes.cells else 0
        with self.quietly():
            for name, formats in changes.formats.items():
                sheet = self.sheet(name)
                with unprotected(sheet):
                    for ref, number_format in formats.items():
                        sheet.range(ref).number_format = number_format
            for name, table_name, ref in changes.tables:
                sheet = self.sheet(name)
                with unprotected(sheet):
                    self._table(sheet, table_name).resize(sheet.range(ref))
        return n


@dataclass
class Changes:
    """What differs between two versions of a workbook, as LiveWriter can write it."""
    cells: dict[str, dict[str, object]] = field(default_factory=dict)  # sheet -> ref -> Formula | value
    formats: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> ref -> number format
    tables: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, table, new ref)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.cells.values())


def _cell_content(cell):
    if cell is None or cell.value is None:
        return None
    if cell.data_type == "f":
        return Formula(str(getattr(cell.value, "text", cell.value)))
    return cell.value


def diff_workbooks(before: Path, after: Path) -> Changes:
    """The cells, number formats and table sizes that differ from ``before`` to ``after``.

    Used to bring into the open workbook what a function that patches files on disk did to a
    copy of the saved workbook. Formulas are compared by their text (their cached values
    are Excel's business once live). Refuses (ScrError) if sheets or tables were added or
    removed: that cannot be replayed cell by cell.
    """
    import openpyxl

    a = openpyxl.load_workbook(before, data_only=False, keep_links=False)
    b = openpyxl.load_workbook(after, data_only=False, keep_links=False)
    if a.sheetnames != b.sheetnames:
        raise ScrError("the change added, removed or renamed sheets, which cannot be copied into the open "
                       "workbook.", file=after)
    out = Changes()
    for name in b.sheetnames:
        wa, wb_ = a[name], b[name]
        ta = {t.name: t.ref for t in wa.tables.values()}
        tb = {t.name: t.ref for t in wb_.tables.values()}
        if set(ta) != set(tb):
            raise ScrError("the change added or removed a table, which cannot be copied into the open workbook.",
                           file=after, sheet=name)
        coords = {c.coordinate for row in wa.iter_rows() for c in row if c.value is not None}
        coords |= {c.coordinate for row in wb_.iter_rows() for c in row if c.value is not None}
        for ref in sorted(coords, key=lambda r: split_ref(r)[::-1]):
            ca, cb = wa[ref], wb_[ref]
            old, new = _cell_content(ca), _cell_content(cb)
            if old != new or type(old) is not type(new):
                out.cells.setdefault(name, {})[ref] = new
                if cb.number_format != ca.number_format:
                    out.formats.setdefault(name, {})[ref] = cb.number_format
        for t, ref in tb.items():
            if ref != ta[t]:
                out.tables.append((name, t, ref))
    return out

