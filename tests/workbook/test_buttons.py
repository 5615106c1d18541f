"""LiveWriter and the buttons (workbook/xlsx/live.py, workbook/buttons.py) on the FakeBook double (tests/fakebook.py)."""

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

from fakebook import FakeSheetApi, FakeTable, FakeSheet, FakeBook, table_rows, a1_ref


# ------------------------------------------------------------------------------ the tests

def test_formulas_are_written_as_formulas_and_values_as_values():
    book = FakeBook.blank("S")
    n = LiveWriter(book).apply({"S": {
        "A1": Formula("=IFERROR(SCR_DEADLINE(Day0),B2)", dt.date(2026, 1, 2)),
        "B2": dt.date(2026, 11, 27),
        "C3": "complete and signed off",
        "D4": 5,
        "E5": None,
    }})
    s = book.sheets["S"]
    assert n == 5
    assert s.formulas[(1, 1)] == "=IFERROR(SCR_DEADLINE(Day0),B2)"
    assert (1, 1) not in s.values  # the cached value is not written: Excel recalculates
    assert s.values[(2, 2)] == dt.datetime(2026, 11, 27) and type(s.values[(2, 2)]) is dt.datetime
    assert s.values[(3, 3)] == "complete and signed off"
    assert s.values[(4, 4)] == 5
    assert (5, 5) not in s.values
    assert [w[2] for w in book.log] == ["formula", "value", "value", "value", "value"]


def test_text_stays_text():
    """Text that Excel would turn into a formula, number, date or boolean keeps its text."""
    texts = ["=HYPERLINK(\"http://x\",\"click\")", "+44 1234", "-", "@SUM(A1)", "007", "1.1", "1/2",
             "TRUE", "1 Jan 2026", "#N/A", "3 days late", "GP Service"]
    book = FakeBook.blank("S")
    LiveWriter(book).apply({"S": {f"A{i}": t for i, t in enumerate(texts, 1)}})
    s = book.sheets["S"]
    assert [s.values.get((i, 1)) for i in range(1, len(texts) + 1)] == texts
    assert not s.formulas
    assert needs_text_prefix("007") and not needs_text_prefix("GP Service")
    assert as_excel_value(dt.date(2026, 1, 2)) == dt.datetime(2026, 1, 2)
    with pytest.raises(TypeError):
        as_excel_value(object())


def test_writes_happen_with_manual_calculation_then_put_back():
    book = FakeBook.blank("S")
    LiveWriter(book).apply({"S": {"A1": Formula("=1+1"), "A2": 3}})
    assert {w[4] for w in book.log} == {"manual"}
    assert book.app.calculation == "automatic" and book.app.screen_updating is True


def test_a_missing_sheet_is_reported_before_anything_is_written():
    book = FakeBook.blank("S")
    with pytest.raises(ScrError, match="'Nope' is missing"):
        LiveWriter(book).apply({"S": {"A1": 1}, "Nope": {"A1": 2}})
    assert book.log == []


def test_a_protected_sheet_is_unprotected_for_the_write_and_protected_again_as_it_was():
    book = FakeBook.blank("S")
    flags = {f: i % 2 == 0 for i, f in enumerate(PROTECTION_FLAGS)}
    book.sheets["S"].api = api = FakeSheetApi(True, "", flags)
    LiveWriter(book).apply({"S": {"A1": Formula("=Today"), "B1": "x"}})
    assert book.sheets["S"].formulas[(1, 1)] == "=Today"
    assert api.ProtectContents is True and api.password == ""
    assert {f: getattr(api.Protection, f) for f in PROTECTION_FLAGS} == flags
    assert len(api.protect_calls) == 1


def test_a_sheet_protected_with_a_password_is_reported_and_left_alone():
    book = FakeBook.blank("S")
    book.sheets["S"].api = api = FakeSheetApi(True, "secret")
    with pytest.raises(ScrError, match="protected with a password") as e:
        LiveWriter(book).apply({"S": {"A1": 1}})
    assert "Unprotect Sheet" in str(e.value)
    assert book.log == [] and api.ProtectContents is True and api.protect_calls == []


def test_protection_is_put_back_even_when_a_write_fails():
    book = FakeBook.blank("S")
    book.sheets["S"].api = api = FakeSheetApi(True, "")
    with pytest.raises(ValueError):
        LiveWriter(book).apply({"S": {"A1": 1, "not a ref": 2}})
    assert api.ProtectContents is True


def _log_book():
    """A sheet with an Excel-style "empty" table (header + one blank row) at A3:D4."""
    book = FakeBook.blank("Log")
    s = book.sheets["Log"]
    for i, h in enumerate(("When", "What", "Date of update", "Detail"), 1):
        s.values[(3, i)] = h
    s.tables.items.append(FakeTable(s, "LogTable", "A3:D4"))
    return book, s, s.tables["LogTable"]


def test_appending_rows_fills_the_empty_row_then_extends_the_table():
    book, s, t = _log_book()
    w = LiveWriter(book)
    assert w.append_table_rows("Log", "logtable", [{"When": "27/11/2026 10:00:00", "what": "first"}]) == [4]
    assert t.ref == "A3:D4"
    rows = w.append_table_rows("Log", "LogTable", [
        {" date  of UPDATE ": dt.date(2026, 11, 28), "What": "second"},
        {"What": "third", "Detail": Formula("=B6&\"!\"")},
    ])
    assert rows == [5, 6]
    assert t.ref == "A3:D6"
    assert table_rows(s, t) == [
        {"When": "27/11/2026 10:00:00", "What": "first", "Date of update": None, "Detail": None},
        {"When": None, "What": "second", "Date of update": dt.datetime(2026, 11, 28), "Detail": None},
        {"When": None, "What": "third", "Date of update": None, "Detail": "=B6&\"!\""},
    ]
    assert s.formats[(5, 3)] == "dd/mm/yyyy"
    assert ("Log", "LogTable", "resize", "A3:D6", "manual") in book.log


def test_appending_refuses_to_write_over_what_is_below_the_table():
    book, s, t = _log_book()
    s.values[(4, 1)] = "a row"
    s.values[(6, 4)] = "someone's note"
    with pytest.raises(ScrError, match="cell below it is not empty") as e:
        LiveWriter(book).append_table_rows("Log", "LogTable", [{"What": "x"}, {"What": "y"}])
    assert e.value.row == 6 and e.value.column == "D"
    assert t.ref == "A3:D4" and s.values[(6, 4)] == "someone's note"


def test_appending_names_an_unknown_column_table_or_total_row():
    book, s, t = _log_book()
    w = LiveWriter(book)
    with pytest.raises(ScrError, match="no column 'Who'"):
        w.append_table_rows("Log", "LogTable", [{"Who": "x"}])
    with pytest.raises(ScrError, match="no table called 'Audit'.*LogTable"):
        w.append_table_rows("Log", "Audit", [{"What": "x"}])
    t.show_totals = True
    with pytest.raises(ScrError, match="Total Row"):
        w.append_table_rows("Log", "LogTable", [{"What": "x"}])
    assert book.log == []


def test_appending_to_the_real_audit_table_of_a_case_workbook(tmp_path):
    from workbook.commands.demo import run_demo
    demo = run_demo(tmp_path, dt.date(2026, 11, 27))
    book = FakeBook.from_file(demo.path)
    audit = book.sheets[L.AUDIT]
    t = audit.tables[L.AUDIT_TABLE.name]
    before = table_rows(audit, t)
    rows = LiveWriter(book).append_table_rows(L.AUDIT, L.AUDIT_TABLE.name, [
        {"When": "27/11/2026 10:00:00", "Command": "button: refresh", "What": "w", "Detail": "d",
         "File SHA-256": "ab" * 32, "Tracker version": "0.1.0"}])
    after = table_rows(audit, t)
    assert len(after) == len(before) + 1 and rows == [t.bounds[2]]
    assert after[-1]["Command"] == "button: refresh" and after[-1]["Tracker version"] == "0.1.0"
    assert after[:-1] == before


def test_a_change_made_to_a_copy_on_disk_is_replayed_into_the_open_book(tmp_path):
    import shutil
    from workbook.commands.demo import run_demo
    demo = run_demo(tmp_path, dt.date(2026, 11, 27)).path
    copy = tmp_path / "copy.xlsx"
    shutil.copy2(demo, copy)
    p = Patch(copy)
    p.set_cells(L.ACTIONS, {"I5": "in progress", "N5": Formula("=1+1", 2), "P5": None})
    p.append_table_rows(L.UPDATES, L.UPDATES_TABLE.name, [
        {"Date of update": dt.date(2026, 11, 20), "Agency": "=not a formula", "Action ID": "1.1"},
        {"Agency": "Police", "Action ID": "2"}])
    p.save(keep=0)
    changes = diff_workbooks(demo, copy)
    assert changes.cells[L.ACTIONS]["I5"] == "in progress" and changes.cells[L.ACTIONS]["N5"] == Formula("=1+1")
    assert set(changes.cells) == {L.ACTIONS, L.UPDATES}
    assert changes.tables == [(L.UPDATES, L.UPDATES_TABLE.name, "A3:J16")]  # the demo's 11 entries and these 2
    book = FakeBook.from_file(demo)
    LiveWriter(book).replay(changes)
    want = openpyxl.load_workbook(copy)
    for ws in want.worksheets:
        s = book.sheets[ws.title]
        held = {**s.values, **s.formulas}
        assert held == {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                        if c.value not in (None, "")}, ws.title
        assert {t.name: t.ref for t in s.tables} == {t.name: t.ref for t in ws.tables.values()}
    upd = book.sheets[L.UPDATES]
    assert upd.formats[(15, 1)] == "dd/mm/yyyy" and not upd.formulas  # the first row added, below the demo's 11
    assert book.sheets[L.ACTIONS].api.ProtectContents is True


def test_a_change_that_adds_a_sheet_cannot_be_replayed(tmp_path):
    from workbook.commands.demo import run_demo
    demo = run_demo(tmp_path, dt.date(2026, 11, 27)).path
    wb = openpyxl.load_workbook(demo)
    wb.create_sheet("Extra")
    other = tmp_path / "other.xlsx"
    wb.save(other)
    with pytest.raises(ScrError, match="added, removed or renamed sheets"):
        diff_workbooks(demo, other)

