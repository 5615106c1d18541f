"""Mistakes in a case file and files that cannot be written: each gets a clear message naming the
file, sheet, row and what to fix, never a traceback, and nothing is half-applied or overwritten."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from workbook.case import layout as L

from shared import sha
from case_edits import demo, edit, named_cell, no_crash, scr  # noqa: F401 (demo: a fixture)


def _lock_folder(folder: Path):
    """Make a folder unwritable, also for root (chattr +i); give a function that undoes it."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
        pytest.skip("cannot make a folder read-only for root here")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_report_out_onto_the_case_itself_is_refused_and_the_case_kept(demo):
    before = sha(demo)
    run = scr("report", demo.name, "--out", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert sha(demo) == before, "the case workbook was overwritten by the report"
    assert openpyxl.load_workbook(demo).sheetnames[:2] == [L.FRONT, L.TIMESCALE]


def test_actual_date_typed_as_a_formula_is_not_silently_ignored(demo):
    # The first Timescale row (refer-standing-panel, due 08/05/2026) has no actual in the demo and
    # is overdue; an actual typed as a formula must count as done or be reported.
    def done_by_formula(wb):
        ws = wb[L.TIMESCALE]
        loc_col = L.TIMESCALE_TABLE.col("actual")
        ws.cell(L.TIMESCALE_TABLE.first_row, loc_col).value = "=DATE(2026,5,8)"
    edit(demo, done_by_formula)
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    first = openpyxl.load_workbook(demo)[L.TIMESCALE].cell(L.TIMESCALE_TABLE.first_row, 1).value
    if run.returncode == 0:
        overdue = run.stdout.split("Next milestones")[0]
        assert first not in overdue, f"{first} has an actual date (a formula) but is shown overdue"
    else:
        assert "formula" in run.stderr.lower() and f"row {L.TIMESCALE_TABLE.first_row}" in run.stderr


def test_report_refused_while_case_is_open_writes_nothing(demo):
    (demo.parent / f"~${demo.name}").write_bytes(b"")
    before = sorted(p.name for p in demo.parent.iterdir())
    run = scr("report", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1 and "open in Excel" in run.stderr
    assert sorted(p.name for p in demo.parent.iterdir()) == before


def test_refresh_respects_a_read_only_case(demo):
    before = sha(demo)
    demo.chmod(0o444)
    try:
        run = scr("refresh", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    finally:
        demo.chmod(0o644)
    assert run.returncode == 1
    assert "read-only" in run.stderr.lower()
    assert sha(demo) == before


@pytest.mark.parametrize("command", [
    ("refresh", "{case}", "--today", "27/11/2026"), ("report", "{case}", "--today", "27/11/2026"),
    ("issue-updates", "{case}", "--today", "27/11/2026"),
    ("new", "new.xlsx", "--name", "QA2", "--day0", "01/09/2026"),
], ids=["refresh", "report", "issue-updates", "new"])
def test_read_only_folder_gives_a_clear_message(demo, command):
    undo = _lock_folder(demo.parent)
    try:
        run = scr(*[c.format(case=demo.name) for c in command], cwd=demo.parent)
    finally:
        undo()
    assert run.returncode == 1
    assert no_crash(run.stderr), run.stderr
    assert "folder" in run.stderr.lower() or "permission" in run.stderr.lower()


@pytest.mark.parametrize("sheet,how", [(L.TIMESCALE, "delete"), (L.AGENCIES, "rename")])
def test_missing_sheet_is_named_with_a_fix(demo, sheet, how):
    def change(wb):
        if how == "delete":
            del wb[sheet]
        else:
            wb[sheet].title = sheet + " (old)"
    edit(demo, change)
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert no_crash(run.stderr), run.stderr
    assert f"'{sheet}'" in run.stderr and "Fix:" in run.stderr


def test_day0_formula_is_not_called_blank(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", "=DATE(2026,5,1)"))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    if run.returncode == 0:
        assert "Day 0 01/05/2026" in run.stdout
    else:
        assert "blank" not in run.stderr and "formula" in run.stderr.lower(), run.stderr


def test_day0_before_1900_is_refused_with_its_cell(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", -5))
    for command in ("status", "refresh"):
        run = scr(command, demo.name, "--today", "27/11/2026", cwd=demo.parent)
        assert run.returncode == 1, command
        assert f"sheet '{L.TIMESCALE}'" in run.stderr and "row 3" in run.stderr, (command, run.stderr)


def test_day0_at_the_end_of_excels_calendar_is_located(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", dt.datetime(9999, 12, 31)))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert no_crash(run.stderr), run.stderr
    assert f"sheet '{L.TIMESCALE}'" in run.stderr


def test_extra_timescale_row_error_names_sheet_and_row(demo):
    def add_row(wb):
        ws = wb[L.TIMESCALE]
        t = ws.tables[L.TIMESCALE_TABLE.name]
        last = int(re.search(r"(\d+)$", t.ref).group(1))
        ws.cell(last + 1, 1).value = "strategy-meeting"
        ws.cell(last + 1, L.TIMESCALE_TABLE.col("actual")).value = dt.datetime(2026, 11, 1)
        t.ref = re.sub(r"\d+$", str(last + 1), t.ref)
        add_row.row = last + 1
    edit(demo, add_row)
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert f"sheet '{L.TIMESCALE}'" in run.stderr and f"row {add_row.row}" in run.stderr, run.stderr


def test_profile_changed_in_settings_error_is_located(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Profile"), "value", "england-wt2023"))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert "sheet '" in run.stderr, run.stderr


def test_layout_version_from_the_future_is_refused(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "LayoutVersion"), "value", 99))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1 and "version" in run.stderr.lower()


def test_status_on_a_non_case_workbook_says_so(demo):
    run = scr("issue-updates", demo.name, "--agency", "Police", "--today", "27/11/2026", "--out", "sheets",
              cwd=demo.parent)
    assert run.returncode == 0, run.stderr
    sheet = next((demo.parent / "sheets").glob("*.xlsx"))
    run = scr("status", sheet, cwd=demo.parent)
    assert run.returncode == 1
    lines = [x for x in run.stderr.splitlines() if x.strip()]
    assert len(lines) <= 2 and "case workbook" in run.stderr, run.stderr
