"""One truth in one file (issue 12, "One truth"): what `scr` reads is what the workbook's own
formulas read, with the add-in and without it.

A date typed as text is text to Excel (ISNUMBER is FALSE), so the add-in and the native twin
refuse it; `scr` must not quietly read it as a date and save an answer the formulas cannot give.
Refresh turns unambiguous text dates into real dates; a two-digit year is refused; rows typed
below a table are named; `scr status` names a bad cell and still reports the rest.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from libreoffice import require_soffice
from oracles.addin import check_file
from oracles.test_native_twins import XLSX_FILTER, lo_convert_many, markers_left, poison
from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.read import defined_cell, locate, read_case
from workbook.commands.demo import run_demo
from workbook.commands.refresh import refresh
from workbook.commands.status import status
from workbook.xlsx.patch import Patch

TODAY = dt.date(2026, 11, 27)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo(tmp_path):
    """The demo case with its as-at date fixed (not =TODAY()), so LibreOffice recalculates as at it."""
    path = run_demo(tmp_path / "case", TODAY).path
    sheet, ref = defined_cell(openpyxl.load_workbook(path), "Today")
    _type(path, sheet, ref, TODAY)
    return path


def _where(path, table, key, milestone=None):
    wb = openpyxl.load_workbook(path)
    loc = locate(wb, table, path)
    ws = wb[loc.sheet]
    for r in loc.rows:
        if milestone is None or ws[f"{loc.cols['milestone']}{r}"].value == milestone:
            return loc.sheet, f"{loc.cols[key]}{r}", loc, ws
    raise AssertionError(milestone)


def _type(path, sheet, ref, value):
    p = Patch(path)
    p.set_cells(sheet, {ref: value})
    p.save(keep=0)


def _saved(path):
    """Every formula cell's saved value, by sheet and cell."""
    wb = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    out = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    v = wb[ws.title][c.coordinate].value
                    out[(ws.title, c.coordinate)] = v.date() if isinstance(v, dt.datetime) else (None if v == "" else v)
    return out


def test_a_text_date_becomes_a_real_date_on_refresh_and_all_three_faces_agree(demo, tmp_path):
    sheet, ref, *_ = _where(demo, L.TIMESCALE_TABLE, "actual", "action-plans-qa")
    _type(demo, sheet, ref, "20/11/2026")  # a Text-formatted cell, or a date pasted as text
    r = refresh(demo, today=TODAY)
    assert [str(t) for t in r.converted] == [f"{sheet}!{ref} '20/11/2026' -> 20/11/2026"]
    assert openpyxl.load_workbook(demo)[sheet][ref].value == dt.datetime(2026, 11, 20)  # a real date now
    assert read_case(demo).actuals["action-plans-qa"] == dt.date(2026, 11, 20)
    audit = " | ".join(str(c.value) for c in list(openpyxl.load_workbook(demo)[L.AUDIT].iter_rows())[-1])
    assert "1 date typed as text made real dates" in audit
    # with the add-in: every SCR_* call, evaluated from the cells, gives what the file saved
    report = check_file(demo, "after a text date")
    assert report.compared > 100 and not report.differences, report.text()
    # without it: the saved values poisoned, LibreOffice recalculates them, and they come back the same
    require_soffice()
    saved = _saved(demo)
    assert poison(demo) == len(saved)
    lo_convert_many([demo], XLSX_FILTER, tmp_path / "lo", recalc=True)
    back = tmp_path / "lo" / demo.name
    assert not markers_left(back)
    again = _saved(back)
    diffs = [f"{k}: native={again.get(k)!r} saved={v!r}" for k, v in saved.items() if again.get(k) != v]
    assert diffs == []
    assert r.cells > 100


def test_without_the_conversion_the_add_in_disagrees(demo, monkeypatch):
    """The oracle can fail: if refresh computed from the text date but left it text, the add-in
    (which refuses text in a date cell) would disagree with the saved value."""
    from workbook.case import session
    sheet, ref, *_ = _where(demo, L.TIMESCALE_TABLE, "actual", "action-plans-qa")
    _type(demo, sheet, ref, "20/11/2026")
    real = session.CaseSession.recompute

    def leave_text(self):
        assert self.case  # read first, then forget the text dates: nothing converted
        self.reader.text_dates.clear()
        return real(self)

    monkeypatch.setattr(session.CaseSession, "recompute", leave_text)
    refresh(demo, today=TODAY)
    assert openpyxl.load_workbook(demo)[sheet][ref].value == "20/11/2026"
    assert check_file(demo, "text left").differences


def test_a_two_digit_year_typed_as_text_is_refused_and_named(demo):
    sheet, ref, *_ = _where(demo, L.TIMESCALE_TABLE, "actual", "action-plans-qa")
    _type(demo, sheet, ref, "20/11/26")
    before = demo.read_bytes()
    with pytest.raises(ScrError) as e:
        refresh(demo, today=TODAY)
    text = str(e.value)
    assert f"row {ref[1:]}" in text and "two-digit year" in text and "dd/mm/yyyy" in text
    assert demo.read_bytes() == before  # nothing half-applied


def test_status_names_the_bad_cell_and_still_reports_the_rest(demo):
    sheet, ref, *_ = _where(demo, L.TIMESCALE_TABLE, "actual", "action-plans-qa")
    _type(demo, sheet, ref, "sometime in May")
    data = status(demo, TODAY)
    assert len(data["problems"]) == 1 and f"row {ref[1:]}" in data["problems"][0]
    assert "'sometime in May' is not a date" in data["problems"][0]
    assert data["milestones"] and data["returns"] and data["actions"]["total"] > 0
    out = subprocess.run([sys.executable, "-m", "tracker.cli", "status", str(demo), "--today", "27/11/2026"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1  # the figures are shown, and a script still sees the case needs fixing
    assert "Cells to fix (1;" in out.stdout and "Overdue milestones" in out.stdout
    assert f"row {ref[1:]}" in out.stderr


def test_rows_typed_below_the_action_plan_are_named(demo):
    _s, _r, loc, ws = _where(demo, L.ACTIONS_TABLE, "action_id")
    below = loc.last_row + 1
    p = Patch(demo)
    p.set_cells(loc.sheet, {f"{loc.cols['action_id']}{below + i}": f"X{i}" for i in range(3)}
                | {f"{loc.cols['action']}{below + i}": "Brief staff" for i in range(3)})
    p.save(keep=0)
    r = refresh(demo, today=TODAY)
    assert [w.row for w in r.warnings] == [below]
    text = str(r.warnings[0])
    assert f"rows {below}-{below + 2} are typed below the table '{L.ACTIONS_TABLE.name}'" in text
    assert "drag the table's bottom-right corner" in text
    assert any(f"rows {below}-{below + 2}" in p for p in status(demo, TODAY)["problems"])


def test_a_clean_case_has_no_problems_and_no_text_dates(demo):
    data = status(demo, TODAY)
    assert data["problems"] == [] and data["text_dates"] == []
    assert refresh(demo, today=TODAY).converted == []


def test_the_demos_updates_log_tells_the_story_its_action_plan_shows(tmp_path):
    """The demo's Updates sheet was empty while its Action Plan showed updates (issue 12): now every
    action with a last update has that update as its latest entry in the log, same date and status,
    and the log is oldest first."""
    from workbook.case.logs import updates_log
    from workbook.case.read import Reader
    path = run_demo(tmp_path / "d", TODAY).path
    reader = Reader(path)
    log, case = updates_log(reader), reader.read()
    assert [u["date"] for u in log] == sorted(u["date"] for u in log)
    updated = [a for a in case.actions if a.get("last_update")]
    assert len(updated) == 7 and len(log) > len(updated)  # an earlier round as well as the latest
    for a in updated:
        latest = [u for u in log if u["action_id"] == a["action_id"]][-1]
        assert (latest["date"], latest["status"]) == (a["last_update"], a["status"]), a["action_id"]
        assert latest["agency"] == a["agency"]
    assert {str(u["action_id"]) for u in log} == {a["action_id"] for a in updated}
