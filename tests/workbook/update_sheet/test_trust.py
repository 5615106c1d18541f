"""Trust in returns (issue 13, findings 5-9): only a signed sheet that was issued for this case is
verified; anything else is applied only when the board manager accepts it, and then marked
UNVERIFIED; an agency cannot sign off; a stale return cannot undo a later state; a resend that
adds something is applied; the signing key is not in the case file."""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.keys import key_path
from workbook.case.read import read_case
from workbook.commands.demo import run_demo
from workbook.commands.import_returns import import_returns, outcome_text
from workbook.commands.issue_updates import issue_updates
from workbook.commands.refresh import refresh

from agency_return import fill, sheet_for
from shared import sha, updates_rows

TODAY = dt.date(2026, 11, 27)
LATER = TODAY + dt.timedelta(days=10)



def every_part(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


@pytest.fixture
def case(tmp_path):
    return run_demo(tmp_path / "case", TODAY).path


def settings_key_cell(path: Path):
    wb = openpyxl.load_workbook(path)
    sheet, ref = next(iter(wb.defined_names["CaseKey"].destinations))
    return wb[sheet][ref.replace("$", "")].value


# ---- finding 9: the key is not in the case file ------------------------------------------------

def test_a_new_case_keeps_its_key_in_a_private_key_file_not_in_the_workbook(tmp_path):
    from workbook.case.create import write_new
    from tracker.case import CaseData
    path = tmp_path / "New.xlsx"
    made = CaseData("NEW-01", "rotherham-2009", dt.date(2026, 9, 1), agencies=[{"agency": "Police"}])
    write_new(path, made)
    kf = key_path(made.case_id)
    assert kf.parent == Path(os.environ["SCR_KEYS_DIR"])
    assert kf.read_text().strip() == made.case_key and len(made.case_key) >= 32
    assert stat.S_IMODE(kf.stat().st_mode) == 0o600
    assert made.case_key.encode() not in every_part(path)
    assert settings_key_cell(path) in (None, "")
    assert read_case(path).case_key == made.case_key


def old_style(case: Path) -> str:
    """The case as an older tracker left it: the key typed on the Settings sheet as a shared string
    (as XlsxWriter and Excel store text), and no key file."""
    c = read_case(case)
    wb = openpyxl.load_workbook(case)
    sheet, ref = next(iter(wb.defined_names["CaseKey"].destinations))
    ref = ref.replace("$", "")
    index = wb.sheetnames.index(sheet) + 1
    with zipfile.ZipFile(case) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert f"xl/worksheets/sheet{index}.xml" in parts and "xl/sharedStrings.xml" in parts
    sst = parts["xl/sharedStrings.xml"].decode()
    n = sst.count("<si>")
    parts["xl/sharedStrings.xml"] = sst.replace("</sst>", f"<si><t>{c.case_key}</t></si></sst>").encode()
    ws = parts[f"xl/worksheets/sheet{index}.xml"].decode()
    cell = re.search(rf'<c r="{ref}"( [^>]*?)?(/>|>.*?</c>)', ws)
    style = re.search(r's="\d+"', cell.group(0))
    parts[f"xl/worksheets/sheet{index}.xml"] = ws.replace(
        cell.group(0), f'<c r="{ref}" {style.group(0) if style else ""} t="s"><v>{n}</v></c>').encode()
    with zipfile.ZipFile(case, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    key_path(c.case_id).unlink()
    assert read_case(case).case_key == c.case_key  # still readable as it was
    assert settings_key_cell(case) == c.case_key
    return c.case_key


def test_an_old_case_key_moves_off_settings_on_the_next_change(case):
    key = old_style(case)
    refresh(case, today=TODAY)
    c = read_case(case)
    assert key_path(c.case_id).read_text().strip() == key and c.case_key == key
    assert stat.S_IMODE(key_path(c.case_id).stat().st_mode) == 0o600
    assert settings_key_cell(case) in (None, "")
    assert key.encode() not in every_part(case)  # not even as an unused shared string
    audit = [r[2].value for r in openpyxl.load_workbook(case)[L.AUDIT].iter_rows(min_row=4)]
    assert "signing key moved off the Settings sheet" in audit


def test_a_case_copied_without_its_key_says_how_to_copy_it(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SCR_KEYS_DIR", str(tmp_path / "other-machine"))
    frozen = sha(case)
    name = key_path(read_case(case).case_id).name
    with pytest.raises(ScrError) as e:
        issue_updates(case, tmp_path / "out", today=TODAY)
    assert name in str(e.value) and "Copy the key file" in str(e.value)
    with pytest.raises(ScrError) as e:
        import_returns(case, [case], today=LATER)
    assert name in str(e.value) and "Copy the key file" in str(e.value)
    assert sha(case) == frozen and not (tmp_path / "out").exists()


# ---- helpers for the returns -------------------------------------------------------------------

def action(case: Path, aid: str) -> dict:
    return next(a for a in read_case(case).actions if str(a["action_id"]) == aid)


def brag(case: Path, aid: str) -> str:
    wb = openpyxl.load_workbook(case, data_only=True)
    ws = wb[L.ACTIONS]
    cols = {c.value: c.column for c in ws[L.ACTIONS_TABLE.header_row]}
    return ws.cell(action(case, aid)["_row"], cols["BRAG"]).value


def brag_at(case: Path, aid: str, day: dt.date) -> str:
    """The action's BRAG as at ``day`` (the file's own is as at the real today)."""
    from tracker.rag import rag
    a = action(case, aid)
    return rag(a["status"], a["revised_target"] or a["target"], a["last_update"], day, started=a["agreed"])




def police(case: Path) -> dict:
    return next(a for a in read_case(case).agencies if a["agency"] == "Police")


def typed_record(folder: Path, rows: list[tuple], agency="Police", case_line=None, name="typed.xlsx") -> Path:
    """An agency's own action record on the seeds' layout (no hidden record, no signature)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A2"] = "Serious Case Review Action Record"
    if case_line:
        ws["A3"] = f"Case: {case_line}"
    ws["A4"], ws["B4"] = "Agency:", agency
    for j, h in enumerate(("Action", "Status", "Evidence/Progress", "Date of Update"), 1):
        ws.cell(6, j, h)
    for i, row in enumerate(rows):
        for j, v in enumerate(row, 1):
            ws.cell(7 + i, j, v)
    wb.save(folder / name)
    return folder / name


def without_record(src: Path, out: Path) -> Path:
    wb = openpyxl.load_workbook(src)
    del wb["_scr"]
    wb.save(out)
    return out


def resigned(src: Path, out: Path, key: str, **changes) -> Path:
    """An issued sheet with its record changed and signed again with the key (a key leaked from a
    backup of the case is all this needs)."""
    from workbook.update_sheet import record
    wb = openpyxl.load_workbook(src)
    rs = wb["_scr"]
    rec = record.verified(record.read_raw(rs), key)
    assert rec is not None
    rec.update(changes)
    rec["signature"] = record.sign(rec, key)
    for row in rs.iter_rows():
        k = row[0].value
        if k in changes or k == "signature":
            row[1].value = rec[k]
    if "agency" in changes:
        wb["Updates"]["B3"] = changes["agency"]
    wb.save(out)
    return out


# ---- finding 5: unsigned returns ----------------------------------------------------------------

def test_a_typed_action_record_is_refused_until_accepted_then_marked_unverified_and_still_chased(case, tmp_path):
    issue_updates(case, tmp_path / "out", today=TODAY)
    typed = typed_record(tmp_path, [("Brief all staff on the revised pathway", "complete - signed off",
                                     "All teams briefed.", "30/11/2026")])
    frozen = sha(case)
    refused = import_returns(case, [typed], today=LATER)
    assert refused.exit_code == 1 and [f.state for f in refused.files] == ["unverified"]
    said = str(refused.files[0].problems[0])
    assert "UNVERIFIED" in said and "action record" in said and "--accept-unverified" in said
    assert sha(case) == frozen and not (case.parent / "returns").exists()

    taken = import_returns(case, [typed], today=LATER, accept_unverified=True)
    assert taken.exit_code == 0 and [f.state for f in taken.files] == ["applied"]
    a = action(case, "1.2")
    assert a["status"] == "complete - awaiting sign-off" and a["progress"].startswith("UNVERIFIED")
    assert brag(case, "1.2") == "Green"
    log = updates_rows(case)
    assert len(log) == 1 and log[0]["Source"].startswith("UNVERIFIED")
    assert police(case)["update_1_received"] is None  # still chased for a signed sheet
    audit = " ".join(str(r[2].value) for r in openpyxl.load_workbook(case)[L.AUDIT].iter_rows(min_row=4))
    assert "UNVERIFIED, accepted by the board manager" in audit
    # the chase says why Police is still asked, and only to Police
    from workbook.commands.chase import chase
    sent = chase(case, tmp_path / "eml", today=TODAY + dt.timedelta(days=90))
    bodies = {f.name: f.read_text() for f in sent.files}
    assert "we could not verify" in bodies["chase-Police.eml"]
    assert [n for n, b in bodies.items() if "could not verify" in b] == ["chase-Police.eml"]


def test_an_issued_sheet_with_its_record_deleted_is_unverified_and_another_cases_is_refused(case, tmp_path):
    import dataclasses

    from tracker.demo import demo_case
    from workbook.case.create import write_new
    police_sheet = sheet_for(issue_updates(case, tmp_path / "out", today=TODAY), "Police")
    filled = fill(police_sheet.path, tmp_path / "f.xlsx", {"1.2": {"status": "in progress", "progress": "x",
                                                                  "date": dt.datetime(2026, 11, 30)}})
    bare = without_record(filled, tmp_path / "bare.xlsx")
    got = import_returns(case, [bare], today=LATER)
    assert [f.state for f in got.files] == ["unverified"]
    assert "hidden record was removed" in str(got.files[0].problems[0])

    other = tmp_path / "other" / "Other.xlsx"
    other.parent.mkdir()
    write_new(other, dataclasses.replace(demo_case(TODAY), case_name="OTHER-02"))
    theirs = sheet_for(issue_updates(other, tmp_path / "out2", today=TODAY), "Police")
    theirs = without_record(fill(theirs.path, tmp_path / "t.xlsx", {"1.2": {
        "status": "in progress", "progress": "x", "date": dt.datetime(2026, 11, 30)}}), tmp_path / "theirs.xlsx")
    frozen = sha(case)
    got = import_returns(case, [theirs], today=LATER, accept_unverified=True)
    assert [f.state for f in got.files] == ["rejected"] and sha(case) == frozen
    assert "OTHER-02" in str(got.files[0].problems[0])


# ---- finding 9: a key from a backup cannot make a verified return --------------------------------

def test_a_signed_sheet_with_an_issue_id_never_issued_is_unverified(case, tmp_path):
    key = read_case(case).case_key
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    s = sheet_for(sheets, "Police")
    filled = fill(s.path, tmp_path / "f.xlsx", {"1.2": {"status": "in progress", "progress": "x",
                                                       "date": dt.datetime(2026, 11, 30)}})
    forged = resigned(filled, tmp_path / "forged.xlsx", key, issue_id="0badc0ffee00")
    other_agency = resigned(filled, tmp_path / "other.xlsx", key, agency="Education")
    frozen = sha(case)
    got = import_returns(case, [forged, other_agency], today=LATER)
    assert [f.state for f in got.files] == ["unverified", "unverified"] and sha(case) == frozen
    assert "0badc0ffee00 was never issued" in str(got.files[0].problems[0])
    assert f"issued to Police, not Education" in str(got.files[1].problems[0])
    genuine = import_returns(case, [filled], today=LATER)
    assert [f.state for f in genuine.files] == ["applied"] and not genuine.files[0].unverified
    assert not updates_rows(case)[0]["Source"].startswith("UNVERIFIED")
    assert police(case)["update_1_received"] == LATER


# ---- finding 6: a stale return cannot undo a later state ------------------------------------------

def board_signs_off(case: Path, aid: str) -> None:
    """The board manager signs the action off in the Action Plan's Status drop-down."""
    from workbook.case.read import Reader, locate
    from workbook.xlsx.patch import Patch
    col = locate(Reader(case).wb, L.ACTIONS_TABLE, case).cols["status"]
    p = Patch(case)
    p.set_cells(L.ACTIONS, {f"{col}{action(case, aid)['_row']}": "complete - signed off"})
    p.save()


def test_an_old_copy_returned_after_sign_off_changes_nothing_but_is_recorded_with_a_warning(case, tmp_path):
    s = sheet_for(issue_updates(case, tmp_path / "out", today=TODAY), "Police")
    first = fill(s.path, tmp_path / "a.xlsx", {"1.2": {"status": "complete - awaiting sign-off", "progress": "done",
                                                      "date": dt.datetime(2026, 11, 28)}})
    old_copy = fill(s.path, tmp_path / "b.xlsx", {"1.2": {"status": "in progress", "progress": "two teams",
                                                         "date": dt.datetime(2026, 12, 1)}})
    assert import_returns(case, [first], today=LATER).exit_code == 0
    board_signs_off(case, "1.2")
    refresh(case, today=LATER)
    assert brag(case, "1.2") == "Blue"
    got = import_returns(case, [old_copy], today=LATER)
    assert [f.state for f in got.files] == ["applied"]
    assert action(case, "1.2")["status"] == "complete - signed off" and brag(case, "1.2") == "Blue"
    assert any("action 1.2" in w and "signed the action off" in w for w in got.files[0].warnings)
    assert [r["Evidence / progress"] for r in updates_rows(case)] == ["done", "two teams"]


def test_a_return_on_an_older_issue_cannot_undo_one_on_a_later_issue(case, tmp_path):
    old = sheet_for(issue_updates(case, tmp_path / "out1", today=TODAY), "Police")
    new = sheet_for(issue_updates(case, tmp_path / "out2", today=TODAY + dt.timedelta(days=1)), "Police")
    newer = fill(new.path, tmp_path / "new.xlsx", {"1.2": {"status": "complete - awaiting sign-off",
                                                          "progress": "all briefed", "date": dt.datetime(2026, 11, 30)}})
    stale = fill(old.path, tmp_path / "old.xlsx", {"1.2": {"status": "in progress", "progress": "one team left",
                                                          "date": dt.datetime(2026, 12, 2)}})
    assert import_returns(case, [newer], today=LATER).exit_code == 0
    got = import_returns(case, [stale], today=LATER)
    assert [f.state for f in got.files] == ["applied"]
    a = action(case, "1.2")
    assert a["status"] == "complete - awaiting sign-off" and a["progress"] == "all briefed"
    assert any("action 1.2" in w and "older update sheet" in w for w in got.files[0].warnings)


def test_a_superseded_sheet_is_applied_with_a_warning_naming_the_newer_issue(case, tmp_path):
    old = sheet_for(issue_updates(case, tmp_path / "out1", today=TODAY), "Police")
    sheet_for(issue_updates(case, tmp_path / "out2", today=TODAY + dt.timedelta(days=1)), "Police")
    back = fill(old.path, tmp_path / "old.xlsx", {"1.2": {"status": "in progress", "progress": "one team left",
                                                         "date": dt.datetime(2026, 12, 2)}})
    got = import_returns(case, [back], today=LATER)
    assert [f.state for f in got.files] == ["applied"] and action(case, "1.2")["progress"] == "one team left"
    said = [w for w in got.files[0].warnings if "older update sheet: a newer one was issued to Police" in w]
    assert len(said) == 1 and "import that one when it comes back" in said[0]
    assert "older update sheet" in outcome_text(got)
    # the newest sheet returned says nothing of the kind
    newest = sheet_for(issue_updates(case, tmp_path / "out3", today=LATER), "Police")
    again = fill(newest.path, tmp_path / "newest.xlsx", {"1.2": {"progress": "last team booked",
                                                                 "date": dt.datetime(2026, 12, 4)}})
    assert not [w for w in import_returns(case, [again], today=LATER).files[0].warnings if "newer one" in w]


# ---- finding 7: an agency cannot sign off ---------------------------------------------------------

def test_an_agency_saying_signed_off_is_recorded_as_awaiting_sign_off_with_a_note(case, tmp_path):
    s = sheet_for(issue_updates(case, tmp_path / "out", today=TODAY), "Police")
    back = fill(s.path, tmp_path / "r.xlsx", {"1.2": {"status": "complete - signed off", "progress": "done",
                                                     "date": dt.datetime(2026, 11, 30)}})
    got = import_returns(case, [back], today=LATER)
    assert [f.state for f in got.files] == ["applied"]
    assert action(case, "1.2")["status"] == "complete - awaiting sign-off" and brag(case, "1.2") == "Green"
    row = updates_rows(case)[0]
    assert row["Status"] == "complete - awaiting sign-off" and "only the Board signs off" in row["Source"]
    assert any("action 1.2" in w and "only the Board signs off" in w for w in got.files[0].warnings)


# ---- finding 8: a resend that adds a revised target date is applied ------------------------------

def test_a_resend_adding_a_revised_target_date_is_a_new_entry(case, tmp_path):
    at = TODAY + dt.timedelta(days=30)  # 1.2's target (two weeks after TODAY) has passed
    s = sheet_for(issue_updates(case, tmp_path / "out", today=TODAY), "Police")
    update = {"status": "in progress", "progress": "two of three teams", "date": dt.datetime(2026, 12, 1)}
    first = fill(s.path, tmp_path / "r1.xlsx", {"1.2": update})
    resend = fill(s.path, tmp_path / "r2.xlsx", {"1.2": {**update, "revised_target": dt.datetime(2027, 3, 31),
                                                         "revision_reason": "Trainer ill"}})
    assert import_returns(case, [first], today=at).exit_code == 0
    assert brag_at(case, "1.2", at) == "Red"
    got = import_returns(case, [resend], today=at)
    assert [f.state for f in got.files] == ["applied"]
    a = action(case, "1.2")
    assert a["revised_target"] == dt.date(2027, 3, 31) and a["revision_reason"] == "Trainer ill"
    assert brag_at(case, "1.2", at) == "Green"
    assert len(updates_rows(case)) == 2
    again = import_returns(case, [resend], today=at)
    assert [f.state for f in again.files] == ["already imported"]


def test_a_chronology_given_to_import_is_for_the_board_manager_to_merge_not_the_agency_to_fix(tmp_path):
    """A chronology among the returns is the board manager's mix-up: told to her (with the command
    that takes it), no e-mail drafted to the agency, nothing applied."""
    from chronology_forms import POLICE_ROWS, rotherham
    from workbook.commands.demo import run_demo

    case = run_demo(tmp_path / "case", TODAY).path
    chron = rotherham(tmp_path / "Police chronology.xlsx", POLICE_ROWS)
    before = sha(case)
    result = import_returns(case, [chron], today=TODAY)
    [f] = result.files
    assert f.state == "rejected" and f.draft is None
    text = outcome_text(result)
    assert "For you to put right" in text and "merge-chronologies" in text and "agency chronology" in text
    assert sha(case) == before
