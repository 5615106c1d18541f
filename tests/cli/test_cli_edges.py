"""`scr` at the edges a board manager (or a hostile tester) reaches: look-alike agency names, line breaks
in an e-mail cell, a closed pipe, odd case names, missing files and folders, warnings kept out of sight."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from workbook.case import layout as L
from workbook.case.read import read_case
from shared import sha
from case_edits import agency_col, agency_row, demo, edit, named_cell, no_crash, scr  # noqa: F401 (demo: a fixture)


def test_chase_writes_one_email_per_agency_even_when_names_look_alike(demo):
    def rename(wb):
        ws = wb[L.AGENCIES]
        ws.cell(agency_row(ws, "GP Service"), 1).value = "Ambulance Service (GP)"
        ws.cell(agency_row(ws, "Ambulance Service"), 1).value = "Ambulance Service: GP"
    edit(demo, rename)
    out = demo.parent / "emails"
    run = scr("chase", demo.name, "--today", "27/11/2026", "--out", out, cwd=demo.parent)
    assert run.returncode == 0, run.stderr
    assert "3 e-mails" in run.stdout
    emails = sorted(out.glob("*.eml"))
    assert len(emails) == 3, [e.name for e in emails]
    subjects = {re.search(r"^Subject: (.*)$", e.read_text(), re.M).group(1) for e in emails}
    assert any(s.endswith("Ambulance Service (GP)") for s in subjects)
    assert any(s.endswith("Ambulance Service: GP") for s in subjects)


def test_no_python_warning_reaches_the_board_manager(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", 99999999))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert "Warning" not in run.stderr and "site-packages" not in run.stderr, run.stderr


def _agency_names(path: Path) -> list[str]:
    return [str(a["agency"]) for a in read_case(path).agencies]


def test_new_refuses_or_merges_duplicate_agencies(tmp_path):
    run = scr("new", "c.xlsx", "--name", "QA6", "--day0", "01/09/2026", "--agencies", "Police, police", cwd=tmp_path)
    if run.returncode == 0:
        names = [n.casefold() for n in _agency_names(tmp_path / "c.xlsx")]
        assert len(names) == len(set(names)), names
    else:
        assert run.returncode in (1, 2) and "Police" in run.stderr and not (tmp_path / "c.xlsx").exists()


def test_new_agencies_separated_by_semicolons_are_not_one_agency(tmp_path):
    run = scr("new", "c.xlsx", "--name", "QA7", "--day0", "01/09/2026", "--agencies", "Police; GP Service; Education",
              cwd=tmp_path)
    if run.returncode == 0:
        assert not any(";" in n for n in _agency_names(tmp_path / "c.xlsx"))
    else:
        assert "comma" in run.stderr.lower()


def test_new_with_an_explicitly_empty_agency_list_is_refused(tmp_path):
    run = scr("new", "c.xlsx", "--name", "QA8", "--day0", "01/09/2026", "--agencies", "", cwd=tmp_path)
    assert run.returncode != 0 and "agenc" in run.stderr.lower()


def test_chase_with_a_line_break_in_an_email_cell(demo):
    def two_lines(wb):
        ws = wb[L.AGENCIES]
        ws.cell(agency_row(ws, "GP Service"), agency_col(ws, "Contact email")).value = \
            "practice@gp.example.org\nmanager@gp.example.org"
    edit(demo, two_lines)
    run = scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent)
    if run.returncode == 0:
        assert len(list((demo.parent / "emails").glob("*.eml"))) == 3
    else:
        assert no_crash(run.stderr) and f"sheet '{L.AGENCIES}'" in run.stderr, run.stderr


def test_chase_with_closed_stdout_still_writes_the_emails_or_fails(demo):
    r, w = os.pipe()
    os.close(r)
    try:
        run = scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent, stdout=w,
                  stderr=subprocess.PIPE, capture_output=False)
    finally:
        os.close(w)
    written = len(list((demo.parent / "emails").glob("*.eml"))) if (demo.parent / "emails").exists() else 0
    assert run.returncode != 0 or written == 3


def test_chase_folder_holds_no_stale_emails(demo):
    assert scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent).returncode == 0

    def ambulance_returns(wb):
        ws = wb[L.AGENCIES]
        r = agency_row(ws, "Ambulance Service")
        for header in ("Management report received", "Signed copy received", "Action plan received"):
            ws.cell(r, agency_col(ws, header)).value = dt.datetime(2026, 11, 26)
    edit(demo, ambulance_returns)
    run = scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent)
    assert run.returncode == 0 and "2 e-mails" in run.stdout, run.stdout
    emails = [e.read_text() for e in (demo.parent / "emails").glob("*.eml")]
    assert not any("Ambulance" in e for e in emails)


def test_report_with_a_slash_in_the_case_name(tmp_path):
    assert scr("new", "c.xlsx", "--name", "AB/2026", "--day0", "01/09/2026", cwd=tmp_path).returncode == 0
    run = scr("report", "c.xlsx", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert list(tmp_path.glob("*progress report*.xlsx"))


def test_report_into_a_missing_folder_is_a_clear_message(demo):
    run = scr("report", demo.name, "--out", "nodir/r.xlsx", "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode in (1, 2)
    assert no_crash(run.stderr) and "nodir" in run.stderr, run.stderr


def test_import_of_a_missing_file_is_a_usage_error(demo):
    before = sha(demo)
    run = scr("import", demo.name, "no-such-return.xlsx", "--today", "28/11/2026", cwd=demo.parent)
    assert run.returncode == 2
    assert "agency" not in (run.stdout + run.stderr).lower()
    assert sha(demo) == before


def test_new_with_a_very_long_case_name(tmp_path):
    run = scr("new", "c.xlsx", "--name", "A" * 300, "--day0", "01/09/2026", cwd=tmp_path)
    assert "Warning" not in run.stderr, run.stderr
    if run.returncode != 0:
        assert "name" in run.stderr.lower()


def test_help_into_a_closed_pipe_exits_0(tmp_path):
    r, w = os.pipe()
    os.close(r)
    try:
        run = scr("--help", cwd=tmp_path, stdout=w, stderr=subprocess.PIPE, capture_output=False)
    finally:
        os.close(w)
    assert run.returncode == 0 and not run.stderr
