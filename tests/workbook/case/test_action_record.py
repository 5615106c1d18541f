"""The Action Plan's complete action record (seed 001 §3.6 section 5, §2.9): the new input columns
in a new case, an older case file without them (read as blank, brought in by `scr refresh` with
everything typed kept), and a refresh that will not cover what the board manager put beside the table."""
from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from tracker.demo import demo_case
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.read import read_case
from workbook.commands.refresh import refresh
from workbook.xlsx.patch import Patch

TODAY = dt.date(2026, 12, 2)
RECORD = [c.key for c in L.ACTION_RECORD_COLUMNS]


def _older_file(path, monkeypatch):
    """A case file as the layout before the action record made it: the same tables, without its columns."""
    new = L.ACTIONS_TABLE
    old = dataclasses.replace(new, columns=tuple(c for c in new.columns if c not in L.ACTION_RECORD_COLUMNS))
    with monkeypatch.context() as m:
        m.setattr(L, "ACTIONS_TABLE", old)
        m.setattr(L, "TABLES", tuple(old if t is new else t for t in L.TABLES))
        write_new(path, demo_case(TODAY), force=True)
    return path


def _headers(path) -> list[str]:
    ws = openpyxl.load_workbook(path)[L.ACTIONS]
    return [c.name for c in ws.tables["Actions"].tableColumns]


def _cell(path, key: str, row: int):
    ws = openpyxl.load_workbook(path)[L.ACTIONS]
    cols = {c.value: c.column for c in ws[L.ACTIONS_TABLE.header_row]}
    return ws.cell(row, cols[L.ACTIONS_TABLE.columns[L.ACTIONS_TABLE.col(key) - 1].header])


def test_a_new_case_has_the_record_as_unlocked_inputs_that_read_back(tmp_path):
    path = tmp_path / "case.xlsx"
    case = demo_case(TODAY)
    write_new(path, case)
    assert _headers(path)[-len(RECORD):] == [c.header for c in L.ACTION_RECORD_COLUMNS]
    first = L.ACTIONS_TABLE.first_row
    for key in RECORD:
        cell = _cell(path, key, first)
        assert not cell.protection.locked, key  # typed by the board manager on the protected sheet
        assert not str(cell.value or "").startswith("="), key
    assert _cell(path, "signed_copy", first).is_date
    back = read_case(path).actions
    for key in RECORD:
        assert back[0][key] == case.actions[0][key], key
    assert all(back[6][k] is None for k in RECORD)  # 4.1: nothing recorded yet


def test_an_older_file_reads_blank_and_refresh_adds_the_columns_keeping_what_was_typed(tmp_path, monkeypatch):
    path = _older_file(tmp_path / "older.xlsx", monkeypatch)
    assert "Intended outcome" not in _headers(path)
    before = read_case(path).actions
    assert all(a[k] is None for a in before for k in RECORD)

    done = refresh(path, today=TODAY)
    assert not done.warnings
    headers = _headers(path)
    assert headers[-len(RECORD) - 1:] == ["Themes", *(c.header for c in L.ACTION_RECORD_COLUMNS)]
    audit = openpyxl.load_workbook(path)[L.AUDIT]
    assert any(str(r[2].value).startswith("columns added to the Action Plan table") for r in audit.iter_rows())
    after = read_case(path).actions
    for a, b in zip(before, after):
        assert {k: v for k, v in a.items() if k not in RECORD} == {k: v for k, v in b.items() if k not in RECORD}
    row = L.ACTIONS_TABLE.first_row + 1
    assert not _cell(path, "outcomes", row).protection.locked
    assert _cell(path, "evidence_on", row).is_date

    # typed into the new columns as in Excel, then refreshed again: kept, and no second set of columns
    ws = openpyxl.load_workbook(path)[L.ACTIONS]
    cols = {c.value: c.column_letter for c in ws[L.ACTIONS_TABLE.header_row]}
    p = Patch(path)
    p.set_cells(L.ACTIONS, {f"{cols['Intended outcome']}{row}": "Staff know the pathway",
                            f"{cols['Evidence accepted on']}{row}": dt.date(2026, 11, 30)})
    p.save()
    refresh(path, today=TODAY)
    assert _headers(path) == headers
    again = read_case(path).actions[1]
    assert again["intended_outcome"] == "Staff know the pathway"
    assert again["evidence_on"] == dt.date(2026, 11, 30)


def test_refresh_never_covers_what_is_beside_the_table(tmp_path, monkeypatch):
    path = _older_file(tmp_path / "older.xlsx", monkeypatch)
    ws = openpyxl.load_workbook(path)[L.ACTIONS]
    beside = openpyxl.utils.get_column_letter(len(_headers(path)) + 1)
    p = Patch(path)
    p.set_cells(L.ACTIONS, {f"{beside}{L.ACTIONS_TABLE.first_row + 2}": "my own note"})
    p.save()
    done = refresh(path, today=TODAY)
    assert len(done.warnings) == 1
    text = str(done.warnings[0])
    assert f"{beside}{L.ACTIONS_TABLE.first_row + 2}" in text and "Intended outcome" in text and "Move" in text
    assert "Intended outcome" not in _headers(path)
    assert openpyxl.load_workbook(path)[L.ACTIONS][f"{beside}{L.ACTIONS_TABLE.first_row + 2}"].value == "my own note"
    assert ws.title == L.ACTIONS


@pytest.mark.usefixtures("libreoffice_required")
def test_the_added_columns_open_in_libreoffice(tmp_path, monkeypatch):
    from libreoffice import convert
    path = _older_file(tmp_path / "older.xlsx", monkeypatch)
    refresh(path, today=TODAY)
    out = convert(path, "xlsx", tmp_path / "lo")  # LibreOffice reads the table and writes it back
    ws = openpyxl.load_workbook(out)[L.ACTIONS]
    assert [c.value for c in ws[L.ACTIONS_TABLE.header_row]][-len(RECORD):] == \
        [c.header for c in L.ACTION_RECORD_COLUMNS]
