"""Two commands on one case at the same moment never lose one (issue 13, finding 2).

Real processes, started together: two imports of different agencies' returns, and an import
against a refresh. Every applied return's rows and Audit line must survive. Without the case
lock (workbook.xlsx.locks.WriterLock, held by the case session from read to replace) one of two
writers could read the old file, and its replace would drop the other's work while both said
"applied". CI runs a few pairs; benchmarks/bench_concurrency.py runs a hundred.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from agency_return import fill, sheet_for
from tracker.demo import is_demo_entry
from workbook.case import layout as L
from workbook.commands.demo import run_demo
from workbook.commands.issue_updates import issue_updates

TODAY = dt.date(2026, 11, 27)
LATER = TODAY + dt.timedelta(days=10)
ROOT = Path(__file__).resolve().parents[3]
PAIRS = 4


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    base = tmp_path_factory.mktemp("one-writer")
    case = run_demo(base / "case", TODAY).path
    sheets = issue_updates(case, base / "out", today=TODAY)
    backs = {}
    for agency in ("Police", "Children's Social Care"):
        s = sheet_for(sheets, agency)
        backs[agency] = fill(s.path, base / f"{agency[:6]}-return.xlsx", {s.actions[0]: {
            "status": "in progress", "progress": f"Update from {agency}.", "date": dt.datetime(2026, 12, 1)}})
    return case, backs


def _start(*args):
    env = dict(os.environ, SCR_LOCK_WAIT="120")
    return subprocess.Popen([sys.executable, "-m", "tracker.cli", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _agencies_logged(case: Path) -> list[str]:
    ws = openpyxl.load_workbook(case)[L.UPDATES]
    t = ws.tables[L.UPDATES_TABLE.name]
    rows = list(ws[t.ref])
    head = [c.value for c in rows[0]]
    entries = [dict(zip(head, [c.value for c in r])) for r in rows[1:] if any(c.value for c in r)]
    # the returns' entries, not the demo's own log behind its Action Plan
    return sorted(str(e["Agency"]) for e in entries if not is_demo_entry(e["Source"]))


def _audit_commands(case: Path) -> list[str]:
    ws = openpyxl.load_workbook(case)[L.AUDIT]
    return [str(r[1].value) for r in ws.iter_rows(min_row=4) if r[1].value]


def _trials(prepared, tmp_path, commands):
    """PAIRS fresh copies of the case, each changed by ``commands(case)`` started together; the
    copy after each trial is yielded once every process has ended with exit status 0."""
    case0, backs = prepared
    for n in range(PAIRS):
        case = tmp_path / str(n) / case0.name
        case.parent.mkdir()
        shutil.copy2(case0, case)
        before = _audit_commands(case).count("refresh")
        procs = [_start(*args) for args in commands(case, backs)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0] * len(procs), outs
        yield n, case, before, outs


def test_two_imports_at_once_both_survive(prepared, tmp_path):
    at = LATER.strftime("%d/%m/%Y")
    for n, case, _, outs in _trials(prepared, tmp_path, lambda case, backs: [
            ("import", case, back, "--today", at) for back in backs.values()]):
        assert _agencies_logged(case) == ["Children's Social Care", "Police"], (n, outs)
        assert _audit_commands(case).count("import") >= 2, n


def test_an_import_and_a_refresh_at_once_both_survive(prepared, tmp_path):
    at = LATER.strftime("%d/%m/%Y")
    for n, case, before, outs in _trials(prepared, tmp_path, lambda case, backs: [
            ("import", case, backs["Police"], "--today", at), ("refresh", case, "--today", at)]):
        assert _agencies_logged(case) == ["Police"], (n, outs)
        assert _audit_commands(case).count("refresh") == before + 1, n
