"""`scr log`: the board manager's own Audit rows (what was shared, with whom, when)."""
from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import openpyxl
import pytest

from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.commands.log import log_entry
from workbook.commands.demo import run_demo


@pytest.fixture
def case(tmp_path):
    return run_demo(tmp_path, dt.date(2026, 11, 27)).path


def audit(path):
    ws = openpyxl.load_workbook(path)[L.AUDIT]
    return [[c.value for c in r] for r in ws.iter_rows(min_row=L.AUDIT_TABLE.first_row) if any(c.value for c in r)]


def test_log_appends_what_and_with_whom_with_the_files_hash(case):
    before = audit(case)
    digest = hashlib.sha256(case.read_bytes()).hexdigest()
    log_entry(case, "Overview report and executive summary sent", "Ofsted", "by secure e-mail")
    after = audit(case)
    assert after[:-1] == before
    when, command, what, detail, sha, _version = after[-1]
    assert command == "log" and what == "Overview report and executive summary sent (shared with Ofsted)"
    assert detail == "by secure e-mail" and sha == digest
    assert dt.datetime.strptime(when, "%d/%m/%Y %H:%M:%S")


def test_log_refuses_while_open_and_a_blank_entry(case):
    digest = hashlib.sha256(case.read_bytes()).hexdigest()
    with pytest.raises(ScrError, match="say what was done"):
        log_entry(case, "   ")
    (case.parent / ("~$" + case.name)).write_bytes(b"x")
    with pytest.raises(ScrError, match="(?i)open"):
        log_entry(case, "Report sent", "Board")
    assert hashlib.sha256(case.read_bytes()).hexdigest() == digest


def test_cli_log(case):
    run = subprocess.run([sys.executable, "-m", "tracker.cli", "log", str(case), "--what", "Action plan sent",
                          "--to", "CSPR Panel"], capture_output=True, text=True)
    assert run.returncode == 0 and "Action plan sent (shared with CSPR Panel)" in run.stdout
    assert audit(case)[-1][2] == "Action plan sent (shared with CSPR Panel)"


def test_chair_permission_is_recorded_with_what_was_shared_and_its_absence_warned(case):
    from click.testing import CliRunner
    from tracker.cli import main
    r = CliRunner().invoke(main, ["log", str(case), "--what", "Overview report sent", "--to", "Ofsted",
                                  "--chair-permission", "30/11/2026"], catch_exceptions=False)
    assert r.exit_code == 0 and "Warning" not in r.output, r.output
    assert audit(case)[-1][2] == "Overview report sent (shared with Ofsted; Chair's permission given 30/11/2026)"
    r = CliRunner().invoke(main, ["log", str(case), "--what", "Chronology sent", "--to", "Police"],
                           catch_exceptions=False)
    assert r.exit_code == 0 and "without the Chair's permission" in r.output
    assert audit(case)[-1][2] == "Chronology sent (shared with Police)"
    r = CliRunner().invoke(main, ["log", str(case), "--what", "x", "--chair-permission", "31/02/2026"])
    assert r.exit_code == 2 and "Traceback" not in r.output
