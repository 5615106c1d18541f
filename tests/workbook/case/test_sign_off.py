"""`scr sign-off` (issue 13, finding 7): only the board manager records the Board's sign-off, with
who and when; the action turns Blue in the saved values and in the workbook's own formulas."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from libreoffice import require_soffice
from oracles.addin import check_file
from oracles.test_native_twins import XLSX_FILTER, lo_convert_many, markers_left, poison
from tracker.errors import ScrError
from tracker.rag import SIGNED_OFF
from workbook.case import layout as L
from workbook.case.read import defined_cell, read_case
from workbook.commands.demo import run_demo
from workbook.commands.sign_off import SOURCE, sign_off
from workbook.xlsx.patch import Patch
from shared import scr_process, sha

TODAY = dt.date(2026, 11, 27)
ROOT = Path(__file__).resolve().parents[3]
AWAITING = "2.1"  # the demo's action reported "complete - awaiting sign-off"



@pytest.fixture
def case(tmp_path):
    """The demo case with its as-at date fixed, so LibreOffice recalculates as at the same day."""
    path = run_demo(tmp_path / "case", TODAY).path
    sheet, ref = defined_cell(openpyxl.load_workbook(path), "Today")
    p = Patch(path)
    p.set_cells(sheet, {ref: TODAY})
    p.save(keep=0)
    return path


def action_row(path, aid):
    a = next(a for a in read_case(path).actions if str(a["action_id"]) == aid)
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[L.ACTIONS]
    cols = {c.value: c.column for c in ws[L.ACTIONS_TABLE.header_row]}
    return {h: ws.cell(a["_row"], col).value for h, col in cols.items()}


def table(path, sheet, t):
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    rows = list(ws[ws.tables[t.name].ref])
    head = [c.value for c in rows[0]]
    return [dict(zip(head, [c.value for c in r])) for r in rows[1:] if any(c.value for c in r)]


def formula_values(path):
    """Every formula cell's saved value, by sheet and cell."""
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in openpyxl.load_workbook(path).worksheets:
        for c in (c for row in ws.iter_rows() for c in row if c.data_type == "f"):
            v = values[ws.title][c.coordinate].value
            out[(ws.title, c.coordinate)] = v.date() if isinstance(v, dt.datetime) else (None if v == "" else v)
    return out


def test_sign_off_turns_the_action_blue_with_who_and_when_and_the_formulas_agree(case, tmp_path):
    assert action_row(case, AWAITING)["BRAG"] == "Green"
    digest = sha(case)
    done = sign_off(case, AWAITING, "Chair", dt.date(2026, 12, 2), "evidence seen at the Board", today=TODAY)
    assert done.was == "complete - awaiting sign-off" and not done.warnings and done.backup.is_file()
    row = action_row(case, AWAITING)
    assert row["Status"] == SIGNED_OFF and row["BRAG"] == "Blue"
    audit = table(case, L.AUDIT, L.AUDIT_TABLE)[-1]
    assert audit["Command"] == "sign-off" and audit["What"] == f"action {AWAITING} signed off by Chair"
    assert audit["Detail"].startswith("signed off on 02/12/2026 by Chair; was 'complete - awaiting sign-off'")
    assert "evidence seen at the Board" in audit["Detail"] and audit["File SHA-256"] == digest
    update = table(case, L.UPDATES, L.UPDATES_TABLE)[-1]
    assert update["Action ID"] == AWAITING and update["Status"] == SIGNED_OFF and update["Source"] == SOURCE
    assert update["Date of update"] == dt.datetime(2026, 12, 2)
    assert update["Evidence / progress"] == "Signed off by Chair: evidence seen at the Board"
    # the add-in's face: every SCR_* call evaluated from the cells gives what the file saved
    report = check_file(case, "after a sign-off")
    assert report.compared > 100 and not report.differences, report.text()
    # the native face: saved values poisoned, LibreOffice recalculates, and they come back the same
    require_soffice()
    saved = formula_values(case)
    assert poison(case) == len(saved)
    lo_convert_many([case], XLSX_FILTER, tmp_path / "lo", recalc=True)
    back = tmp_path / "lo" / case.name
    assert not markers_left(back)
    again = formula_values(back)
    assert [f"{k}: native={again.get(k)!r} saved={v!r}" for k, v in saved.items() if again.get(k) != v] == []
    assert action_row(back, AWAITING)["BRAG"] == "Blue"


def test_signing_off_an_action_not_reported_complete_warns(case):
    done = sign_off(case, "1.2", "Board", today=TODAY)
    assert done.was == "in progress" and "not reported complete" in done.warnings[0]
    assert action_row(case, "1.2")["BRAG"] == "Blue"


def test_an_action_already_signed_off_is_refused_and_nothing_changes(case):
    before = sha(case)
    with pytest.raises(ScrError) as e:
        sign_off(case, "1.1", "Chair", today=TODAY)  # the demo's 1.1 is signed off
    assert "already signed off" in str(e.value) and e.value.row
    assert sha(case) == before


def scr(*args):
    return scr_process(*args, timeout=120)


def test_cli_unknown_action_exits_1_with_the_nearest_id_and_changes_nothing(case):
    before = sha(case)
    r = scr("sign-off", str(case), "21", "--by", "Chair")
    assert r.returncode == 1, r.stderr
    assert "there is no action '21'" in r.stderr and "Did you mean '2.1'?" in r.stderr
    assert "Traceback" not in r.stderr and sha(case) == before


def test_cli_sign_off_and_a_name_for_who_is_warned(case):
    r = scr("sign-off", str(case), AWAITING, "--by", "Tara Smith", "--on", "02/12/2026")
    assert r.returncode == 0, r.stderr
    assert "--by looks like a person's name" in r.stderr
    assert f"Signed off action {AWAITING}" in r.stdout and "02/12/2026" in r.stdout
    assert scr("sign-off", str(case), "1.2", "--by", "Chair").stderr.count("person's name") == 0
