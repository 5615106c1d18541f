"""The action-plan loop end to end, on real files: issue update sheets, fill them in as an agency
would (openpyxl, also through the encrypted path), import, and check the case and the report."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys

import openpyxl
import pytest

from tracker.errors import ScrError
from workbook.update_sheet import layout as AL
from workbook.case import layout as L
from workbook.commands.demo import run_demo
from workbook.case.read import read_case
from workbook.commands.report import build_report
from workbook.commands.import_returns import import_returns
from workbook.commands.issue_updates import issue_updates

from agency_return import fill, sheet_for
from shared import sha, updates_rows

TODAY = dt.date(2026, 11, 27)
LATER = TODAY + dt.timedelta(days=10)



@pytest.fixture
def case(tmp_path):
    return run_demo(tmp_path / "case", TODAY).path




def test_issue_fill_import_report(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    police = sheet_for(sheets, "Police")
    assert police.actions  # Police has open actions in the demo
    aid = police.actions[0]
    back = fill(police.path, tmp_path / "police-return.xlsx", {aid: {
        "status": "complete - awaiting sign-off", "progress": "All three teams briefed.",
        "evidence": "Attendance lists", "date": dt.datetime(2026, 11, 30)}})
    before = read_case(case)
    result = import_returns(case, [back], today=LATER)
    assert result.exit_code == 0 and [f.state for f in result.files] == ["applied"]
    after = read_case(case)
    action = next(a for a in after.actions if str(a["action_id"]) == aid)
    assert action["status"] == "complete - awaiting sign-off"
    assert action["last_update"] == dt.date(2026, 11, 30)
    assert "All three teams briefed." in action["progress"] and "Attendance lists" in action["progress"]
    log = updates_rows(case)
    assert len(log) == 1 and str(log[0]["Action ID"]) == aid and log[0]["Agency"] == "Police"
    assert log[0]["File SHA-256"] == sha(back)
    # the agency tracker logs the update as received, the Audit has the file's hash
    ag = next(a for a in after.agencies if a["agency"] == "Police")
    assert ag["update_1_requested"] == TODAY and ag["update_1_received"] == LATER
    wb = openpyxl.load_workbook(case, data_only=True)
    audit = [[c.value for c in r] for r in wb[L.AUDIT].iter_rows(min_row=4)]
    assert any(r[1] == "import" and sha(back) in str(r[3]) for r in audit)
    # BRAG recomputed: awaiting sign-off is Green
    ws = wb[L.ACTIONS]
    cols = {c.value: c.column for c in ws[L.ACTIONS_TABLE.header_row]}
    rag = ws.cell(action["_row"], cols["BRAG"]).value
    assert rag == "Green"
    # the original is archived beside the case
    archived = list((case.parent / "returns").iterdir())
    assert len(archived) == 1 and sha(archived[0]) == sha(back)
    assert len(before.actions) == len(after.actions)
    # the Board report sees the change
    rep = build_report(case, tmp_path / "report.xlsx", today=LATER)
    assert rep.changes == len(updates_rows(case, with_demo=True)) == 12  # the demo's 11 entries and the return's
    rwb = openpyxl.load_workbook(rep.path)
    assert rwb["Summary"]._charts, "the report has a native chart"
    changes = [[c.value for c in r] for r in rwb["Changes"].iter_rows(min_row=3)]
    assert any(str(r[2]) == aid for r in changes)


def test_same_file_twice_changes_nothing(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    back = fill(s.path, tmp_path / "r.xlsx", {s.actions[0]: {"status": "in progress", "progress": "x",
                                                               "date": dt.datetime(2026, 11, 28)}})
    assert import_returns(case, [back], today=LATER).exit_code == 0
    frozen = sha(case)
    again = import_returns(case, [back], today=LATER)
    assert [f.state for f in again.files] == ["already imported"]
    assert sha(case) == frozen


def test_later_return_supersedes_and_both_stay_in_history(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    aid = s.actions[0]
    first = fill(s.path, tmp_path / "r1.xlsx", {aid: {"status": "in progress", "progress": "first",
                                                       "date": dt.datetime(2026, 11, 28)}})
    second = fill(s.path, tmp_path / "r2.xlsx", {aid: {"status": "complete - awaiting sign-off", "progress": "second",
                                                        "date": dt.datetime(2026, 12, 2)}})
    assert import_returns(case, [second, first], today=LATER).exit_code == 0
    action = next(a for a in read_case(case).actions if str(a["action_id"]) == aid)
    assert action["status"] == "complete - awaiting sign-off" and action["progress"] == "second"
    texts = [r["Evidence / progress"] for r in updates_rows(case)]
    assert sorted(texts) == ["first", "second"]


def test_encrypted_round_trip(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", password="Case-Pass-1", today=TODAY)
    s = sheet_for(sheets, "Police")
    assert s.encrypted and s.path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    back = fill(s.path, tmp_path / "enc.xlsx", {s.actions[0]: {"status": "in progress", "progress": "ok",
                                                                "date": dt.datetime(2026, 11, 29)}}, password="Case-Pass-1")
    frozen = sha(case)
    wrong = import_returns(case, [back], "not-the-password", today=LATER)
    assert wrong.exit_code == 1 and sha(case) == frozen
    assert "password" in " ".join(str(p) for p in wrong.files[0].problems).lower()
    right = import_returns(case, [back], "Case-Pass-1", today=LATER)
    assert right.exit_code == 0 and right.files[0].state == "applied"


def test_one_bad_file_rejected_the_good_one_applied(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    good = fill(s.path, tmp_path / "good.xlsx", {s.actions[0]: {"status": "in progress", "progress": "fine",
                                                                 "date": dt.datetime(2026, 11, 29)}})
    bad = fill(s.path, tmp_path / "bad.xlsx", {s.actions[0]: {"status": "in progress", "progress": "later",
                                                               "date": "31/02/2026"}})
    result = import_returns(case, [bad, good], today=LATER)
    assert result.exit_code == 1
    assert [f.state for f in result.files] == ["rejected", "applied"]
    text = " ".join(str(p) for p in result.files[0].problems)
    assert "31/02/2026" in text and "Date of update" in text
    assert [r["Evidence / progress"] for r in updates_rows(case)] == ["fine"]


def test_all_rejected_leaves_the_case_byte_identical(case, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"this is not a workbook")
    frozen = sha(case)
    result = import_returns(case, [junk], today=LATER)
    assert result.exit_code == 1 and sha(case) == frozen
    assert not (case.parent / "returns").exists()


def test_import_refuses_while_the_case_is_open(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    back = fill(s.path, tmp_path / "r.xlsx", {s.actions[0]: {"status": "in progress", "progress": "x",
                                                              "date": dt.datetime(2026, 11, 28)}})
    lock = case.with_name("~$" + case.name)
    lock.write_bytes(b"owner")
    frozen = sha(case)
    with pytest.raises(ScrError, match="(?i)open"):
        import_returns(case, [back], today=LATER)
    assert sha(case) == frozen


def test_cli_import_exit_codes(case, tmp_path):
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    good = fill(s.path, tmp_path / "good.xlsx", {s.actions[0]: {"status": "in progress", "progress": "x",
                                                                 "date": dt.datetime(2026, 11, 28)}})
    junk = tmp_path / "junk.csv"
    junk.write_text("Action ID,Status\n1.2,done\n")
    run = lambda *a: subprocess.run([sys.executable, "-m", "tracker.cli", *a], capture_output=True, text=True)  # noqa: E731
    r = run("import", str(case), str(junk), str(good), "--today", "07/12/2026")
    assert r.returncode == 1, r.stderr
    assert "REJECTED" in r.stdout and "applied" in r.stdout and "Traceback" not in r.stdout + r.stderr
    r = run("import", str(case))
    assert r.returncode == 2


def test_killed_import_leaves_old_or_new_case(case, tmp_path):
    """A process killed at any point while importing leaves the whole old case or the whole new one."""
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    back = fill(s.path, tmp_path / "r.xlsx", {s.actions[0]: {"status": "in progress", "progress": "x",
                                                              "date": dt.datetime(2026, 11, 28)}})
    old = sha(case)
    seen = set()
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2, 1.6):
        work = tmp_path / f"k{delay}"
        work.mkdir()
        c = work / case.name
        shutil.copy2(case, c)
        p = subprocess.Popen([sys.executable, "-m", "tracker.cli", "import", str(c), str(back), "--today", "07/12/2026"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
        digest = sha(c)
        if digest != old:  # then it must be the complete new file
            assert read_case(c).actions and updates_rows(c)
        seen.add(digest == old)
        openpyxl.load_workbook(c)  # never a broken file


def test_many_long_actions_fit_one_sheet(tmp_path):
    """The signed record of 60 long actions is longer than one Excel cell: it continues across cells."""
    from workbook.case.create import write_new
    from tracker.case import CaseData
    long = "Review and re-issue the multi-agency procedure, with training and audit. " * 6
    actions = [{"action_id": f"{i // 10 + 1}.{i % 10 + 1}", "rec_no": str(i // 10 + 1), "recommendation": long,
                "agency": "Police", "action": f"{i}: {long}", "responsible": "Service manager",
                "target": dt.date(2027, 6, 30), "agreed": dt.date(2026, 9, 1), "status": "in progress"}
               for i in range(60)]
    case = tmp_path / "big.xlsx"
    write_new(case, CaseData("BIG-01", "rotherham-2009", dt.date(2026, 1, 5), today=TODAY,
                             agencies=[{"agency": "Police", "involvement": "involved"}], actions=actions))
    s = issue_updates(case, tmp_path / "out", today=TODAY)[0]
    assert len(s.actions) == 60
    rec = openpyxl.load_workbook(s.path)[AL.RECORD]
    row = next(r for r in rec.iter_rows() if r[0].value == "locked_cells")
    assert len([c for c in row[1:] if c.value]) >= 2  # it really did continue
    back = fill(s.path, tmp_path / "r.xlsx", {"6.10": {"status": "in progress", "progress": "x",
                                                       "date": dt.datetime(2026, 11, 28)}})
    assert import_returns(case, [back], today=LATER).files[0].state == "applied"


def test_import_with_today_computes_and_audits_as_at_that_date(case, tmp_path):
    """`scr import --today` reaches the case session: the statuses written after the import, the
    Settings 'As at' face and the Audit row are as at that date, not the computer's."""
    from tracker.case import compute
    far = dt.date(2027, 9, 1)  # every open action is past its target by then, whatever the real date
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    police = sheet_for(sheets, "Police")
    back = fill(police.path, tmp_path / "r.xlsx", {police.actions[0]: {
        "status": "in progress", "progress": "Training booked.", "date": dt.datetime(2026, 11, 30)}})
    assert import_returns(case, [back], today=far).exit_code == 0
    wb = openpyxl.load_workbook(case, data_only=True)
    settings_ref = L.settings_cell("Today").split("!")[1].replace("$", "")
    assert wb[L.SETTINGS][settings_ref].value == dt.datetime(2027, 9, 1)
    audit = [[c.value for c in r] for r in wb[L.AUDIT].iter_rows(min_row=4)]
    row = next(r for r in audit if r[1] == "import")
    assert "as at 01/09/2027" in str(row[3])
    # every saved BRAG is the one computed as at that date
    expected = read_case(case)
    expected.today = far
    words = [a.word for a in compute(expected).actions]
    ws = wb[L.ACTIONS]
    cols = {c.value: c.column for c in ws[L.ACTIONS_TABLE.header_row]}
    saved = [ws.cell(a["_row"], cols["BRAG"]).value for a in expected.actions]
    assert saved == words and "Red" in saved
