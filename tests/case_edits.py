"""A case edited as a board manager edits it in Excel, and the real `scr` run on it in its own
process with a clean environment: the helpers of the tests of mistakes and refusals
(tests/workbook/case/test_case_mistakes.py, tests/cli/test_cli_edges.py,
tests/tracker/test_board_and_profile_files.py). Fictional names only."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from workbook.case import layout as L
from workbook.case.read import defined_cell
from workbook.commands.demo import run_demo

ROOT = Path(__file__).resolve().parents[1]


TODAY = dt.date(2026, 11, 27)


D = dt.date


ROTHERHAM = "rotherham-2009"


def scr(*args: str, cwd: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """The real `scr` in its own process, as a board manager runs it."""
    e = {k: v for k, v in os.environ.items() if k not in ("SCR_SETTINGS", "SCR_PROFILES_DIR", "SCR_DEBUG")}
    e["PYTHONPATH"] = str(ROOT)
    e.update(env or {})
    kw.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "tracker.cli", *map(str, args)], cwd=cwd, env=e, text=True,
                          timeout=300, **kw)


@pytest.fixture
def demo(tmp_path) -> Path:
    """The fictional demo case as at 27/11/2026: 8 actions; GP, Ambulance and ICB overdue returns."""
    return run_demo(tmp_path / "case", TODAY).path


def edit(path: Path, change) -> Path:
    """Change a case workbook the way a board manager would in Excel, and save it in place."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def named_cell(wb, name: str):
    sheet, ref = defined_cell(wb, name)
    return wb[sheet][ref]


def agency_row(ws, name: str) -> int:
    for r in range(L.AGENCIES_TABLE.first_row, ws.max_row + 1):
        if ws.cell(r, 1).value == name:
            return r
    raise AssertionError(name)


def agency_col(ws, header: str) -> int:
    for c in range(1, ws.max_column + 1):
        if ws.cell(L.AGENCIES_TABLE.header_row, c).value == header:
            return c
    raise AssertionError(header)


def no_crash(text: str) -> bool:
    return "unexpected problem" not in text and "Traceback" not in text and "Error:" in text


def timescale_row(wb, milestone: str) -> int:
    """The Timescale sheet row of ``milestone``."""
    from workbook.case.read import locate
    loc = locate(wb, L.TIMESCALE_TABLE, "case")
    ws = wb[loc.sheet]
    return next(r for r in loc.rows if ws[f"{loc.cols['milestone']}{r}"].value == milestone)


def fixed_case(path: Path, case, today: dt.date, timescale: dict[str, dict[str, object]]) -> Path:
    """A new case file as at ``today`` (a fixed date, so LibreOffice recalculates as at it), with
    Timescale cells typed: {milestone: {column key: value}}."""
    from workbook.case.create import write_new
    from workbook.case.read import locate
    from workbook.xlsx.patch import Patch
    write_new(path, case)
    wb = openpyxl.load_workbook(path)
    sheet, ref = defined_cell(wb, "Today")
    loc = locate(wb, L.TIMESCALE_TABLE, path)
    p = Patch(path)
    p.set_cells(sheet, {ref: today})
    p.set_cells(loc.sheet, {f"{loc.cols[k]}{timescale_row(wb, mid)}": v
                            for mid, cells in timescale.items() for k, v in cells.items()})
    p.save(keep=0)
    return path
