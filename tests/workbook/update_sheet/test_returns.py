"""Good returns are read into validated updates (workbook.update_sheet.read); the seeds' own action record
layout is matched to the case's actions; the issuer's real sheet (workbook.update_sheet.write) reads back."""
from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pytest

import bad_returns as B
from tracker.rag import AWAITING_SIGN_OFF, IN_PROGRESS, NOT_STARTED
from workbook.update_sheet import layout as AL
from tracker.updates import KIND_ACTION_RECORD, KIND_ISSUED, Returned, ReturnedRow
from workbook.update_sheet.read import Problem, ReturnRejected, read_return


@pytest.fixture
def case():
    return B.make_case()


def test_good_return_gives_its_rows(case, tmp_path):
    path = B.good(tmp_path)
    got = read_return(path, case, today=B.TODAY)
    assert isinstance(got, Returned)
    assert got.kind == KIND_ISSUED
    assert got.path == path
    assert got.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (got.agency, got.issue_id, got.template_version, got.issued) == ("Police", "2026-09-01-police-1",
                                                                            AL.TEMPLATE_VERSION, B.ISSUED)
    assert got.rows == [
        ReturnedRow("1.1", IN_PROGRESS, "Pathway draft written and shared with partners.", "Draft pathway v0.3",
                    dt.date(2026, 9, 20), None, "", B.R1),
        # 1.2 was left blank: no update for it, and that is fine
        ReturnedRow("2.1", AWAITING_SIGN_OFF, "Audit of 40 notifications done.", "Audit report, September 2026",
                    dt.date(2026, 9, 25), None, "", B.R3),
    ]


@pytest.mark.parametrize("typed,canonical", [
    ("Completed", AWAITING_SIGN_OFF), ("done", AWAITING_SIGN_OFF), ("Complete - awaiting signoff", AWAITING_SIGN_OFF),
    ("On-going", IN_PROGRESS), ("IN PROGRESS", IN_PROGRESS), ("not yet started", NOT_STARTED),
    ("Complete and signed off", AWAITING_SIGN_OFF), (None, None),
])
def test_status_words_are_tolerant_and_canonical(case, tmp_path, typed, canonical):
    """An agency's "signed off" is read as awaiting sign-off, and flagged: only the Board signs off."""
    updates = {"1.1": dict(status=typed, progress="Work continues.", date="1/10/2026")}
    got = read_return(B.good(tmp_path, updates=updates), case, today=B.TODAY)
    assert [(r.action_id, r.status, r.date) for r in got.rows] == [("1.1", canonical, dt.date(2026, 10, 1))]
    assert got.rows[0].claimed_sign_off == (typed == "Complete and signed off")


def test_revised_target_with_reason_and_every_date_form(case, tmp_path):
    updates = {
        "1.1": dict(status="in progress", progress="Delayed.", date=dt.datetime(2026, 10, 5),
                    revised_target=dt.datetime(2027, 6, 30), revision_reason="Trainer unavailable until spring"),
        "1.2": dict(status="in progress", progress="Booked.", date="2026-09-30", revised_target="31.03.27",
                    revision_reason="Venue"),
        "2.1": dict(progress="No change since last update", date=46290),  # an Excel serial: 25/09/2026
    }
    got = read_return(B.good(tmp_path, updates=updates), case, today=B.TODAY)
    assert [(r.action_id, r.date, r.revised_target, r.revision_reason, r.status) for r in got.rows] == [
        ("1.1", dt.date(2026, 10, 5), dt.date(2027, 6, 30), "Trainer unavailable until spring", IN_PROGRESS),
        ("1.2", dt.date(2026, 9, 30), dt.date(2027, 3, 31), "Venue", IN_PROGRESS),
        ("2.1", dt.date(2026, 9, 25), None, "", None),
    ]


def test_date_window_edges(case, tmp_path):
    """Today is fine, tomorrow is not; one update cycle (3 months by EDATE) before issue is fine,
    the day before is not."""
    earliest = dt.date(2026, 6, 1)  # EDATE(01/09/2026, -3)
    ok = {"1.1": dict(progress="a", date=B.TODAY), "2.1": dict(progress="b", date=earliest)}
    assert len(read_return(B.good(tmp_path, "ok.xlsx", updates=ok), case, today=B.TODAY).rows) == 2
    bad = {"1.1": dict(progress="a", date=B.TODAY + dt.timedelta(days=1)),
           "2.1": dict(progress="b", date=earliest - dt.timedelta(days=1))}
    with pytest.raises(ReturnRejected) as e:
        read_return(B.good(tmp_path, "bad.xlsx", updates=bad), case, today=B.TODAY)
    assert [(p.row, p.column) for p in e.value.problems] == [(B.R1, "K"), (B.R3, "K")]


def test_ordinary_text_starting_with_a_dash_is_not_an_injection(case, tmp_path):
    updates = {"1.1": dict(progress="- pathway drafted\n- shared with partners", evidence="+ 3 audits (see minutes)",
                           date="20/09/2026")}
    got = read_return(B.good(tmp_path, updates=updates), case, today=B.TODAY)
    assert got.rows[0].progress == "- pathway drafted\n- shared with partners"


def test_encrypted_good_return_with_the_right_password(case, tmp_path):
    path = B.encrypt(B.good(tmp_path, "plain.xlsx"), tmp_path / "encrypted.xlsx", B.PASSWORD)
    assert path.read_bytes()[:4] == bytes.fromhex("D0CF11E0")
    got = read_return(path, case, password=B.PASSWORD, today=B.TODAY)
    assert [r.action_id for r in got.rows] == ["1.1", "2.1"]
    assert got.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # of the file as received


def test_record_signed_over_parsed_lists_is_accepted(case, tmp_path):
    got = read_return(B.good(tmp_path, sign_parsed_json=True), case, today=B.TODAY)
    assert len(got.rows) == 2


def test_unhidden_record_sheet_still_verifies(case, tmp_path):
    def unhide(ws, wb):
        wb[AL.RECORD].sheet_state = "visible"
    assert len(read_return(B.edited(tmp_path, unhide), case, today=B.TODAY).rows) == 2


def test_reading_writes_nothing(case, tmp_path):
    path = B.good(tmp_path)
    data, mtime = path.read_bytes(), path.stat().st_mtime_ns
    read_return(path, case, today=B.TODAY)
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_problem_reads_like_scr_error():
    p = Problem("x.xlsx", "Updates", 9, "K", "the date 'next week' is not a date.", "Enter the date as dd/mm/yyyy.",
                "Date of update")
    assert str(p) == ("x.xlsx, sheet 'Updates', row 9, column K (Date of update): the date 'next week' is not a "
                      "date. Fix: Enter the date as dd/mm/yyyy.")
    assert Problem("x.xlsx", None, None, None, "the file is empty.").__str__() == "x.xlsx: the file is empty."
    e = ReturnRejected([p, p])
    assert e.file == "x.xlsx" and "2 problems" in str(e) and str(e).count("next week") == 2


def test_rejection_is_an_scr_error(case, tmp_path):
    from tracker.errors import ScrError
    with pytest.raises(ScrError):
        read_return(tmp_path / "nothing.xlsx", case)


# ---- the seeds' action record layout ------------------------------------------------------

HEALTH_ROWS = [
    # exact action text
    ("Strengthen health visiting follow-up", "Introduce a missed-appointment protocol", "Named Nurse", "01/02/2027",
     "Protocol drafted and out for consultation", "15/09/2026"),
    # the same action text as 4.2: the recommendation picks 4.1
    ("Quality-assure case recording", "Audit case files quarterly", "Named Doctor", "01/04/2027",
     "First quarterly audit done", "20/09/2026"),
    # a repeated Evidence/Progress entry for the action above (seed p.56)
    (None, None, None, None, "Second audit booked", "30/09/2026"),
    # an action id at the start of the text
    (None, "4.2 - audit the files for missed appointments", None, None, "Started", dt.datetime(2026, 10, 1)),
    # an action with no update yet: skipped
    ("Learn from missed appointments", None, None, None, None, None),
]


def test_action_record_rows_match_one_action_each(case, tmp_path):
    path = B.action_record(tmp_path, HEALTH_ROWS)
    got = read_return(path, case, today=B.TODAY)
    assert got.kind == KIND_ACTION_RECORD
    assert (got.agency, got.issue_id, got.template_version, got.issued) == ("Health", None, None, None)
    assert [(r.action_id, r.progress, r.date, r.sheet_row) for r in got.rows] == [
        ("3.1", "Protocol drafted and out for consultation", dt.date(2026, 9, 15), 8),
        ("4.1", "First quarterly audit done", dt.date(2026, 9, 20), 9),
        ("4.1", "Second audit booked", dt.date(2026, 9, 30), 10),
        ("4.2", "Started", dt.date(2026, 10, 1), 11),
    ]


def test_action_record_headers_are_found_loosely(case, tmp_path):
    headers = ("RECOMMENDATION", "action", "Responsible  individual", "Target Date", "Evidence / progress",
               "Date of update", "Status")
    rows = [("Strengthen health visiting follow-up", "introduce a missed appointment protocol.", None, None,
             "Drafted", "15/09/2026", "ongoing")]
    got = read_return(B.action_record(tmp_path, rows, headers=headers, agency="  health ", agency_in_one_cell=True),
                      case, today=B.TODAY)
    assert [(r.action_id, r.status) for r in got.rows] == [("3.1", IN_PROGRESS)]
    assert got.agency == "Health"


def test_action_record_ambiguous_and_unmatched_rows_are_rejected(case, tmp_path):
    rows = [
        (None, "Audit case files quarterly", None, None, "Done", "01/10/2026"),
        ("Quality-assure", "Buy a new car", None, None, "Bought", "01/10/2026"),
        (None, "1.1 Review the multi-agency referral pathway", None, None, "Police's action", "01/10/2026"),
    ]
    with pytest.raises(ReturnRejected) as e:
        read_return(B.action_record(tmp_path, rows), case, today=B.TODAY)
    msgs = [(p.row, p.column, p.header, p.message) for p in e.value.problems]
    assert msgs[0][:3] == (8, "B", "Action") and "matches actions 4.1 and 4.2" in msgs[0][3]
    assert msgs[1][:3] == (9, "B", "Action") and "no action of Health matches 'Buy a new car'" in msgs[1][3]
    assert msgs[2][:3] == (10, "B", "Action") and "no action of Health matches" in msgs[2][3]
    assert len(msgs) == 3


def test_action_record_cell_problems_name_the_sheet_header(case, tmp_path):
    rows = [("Strengthen health visiting follow-up", "Introduce a missed-appointment protocol", None, None,
             "=HYPERLINK(\"http://x\")", "31/02/2026"),
            ("Quality-assure case recording", "Audit case files quarterly", None, None, "Done", None)]
    with pytest.raises(ReturnRejected) as e:
        read_return(B.action_record(tmp_path, rows), case, today=B.TODAY)
    got = sorted((p.row, p.column, p.header) for p in e.value.problems)
    assert got == [(8, "E", "Evidence/Progress 1."), (8, "F", "Date of Update:"), (9, "F", "Date of Update:")]


@pytest.mark.parametrize("agency,words", [(None, "does not say which agency"),
                                          ("Fire Service", "'Fire Service' is not an agency of this case")])
def test_action_record_needs_a_known_agency(case, tmp_path, agency, words):
    with pytest.raises(ReturnRejected) as e:
        read_return(B.action_record(tmp_path, HEALTH_ROWS, agency=agency), case, today=B.TODAY)
    assert words in str(e.value)


def test_issued_sheet_without_its_record_reads_as_an_unverified_action_record(case, tmp_path):
    def drop(ws, wb):
        del wb[AL.RECORD]
    got = read_return(B.edited(tmp_path, drop), case, today=B.TODAY)
    assert got.kind == KIND_ACTION_RECORD and got.issue_id is None
    assert [(r.action_id, r.status) for r in got.rows] == [("1.1", IN_PROGRESS), ("2.1", AWAITING_SIGN_OFF)]


# ---- the issuer's own sheet, and a round trip through another spreadsheet program ----------

def _issuer():
    """The issuer's functions: writing the sheet, choosing the actions, encrypting."""
    from types import SimpleNamespace

    from tracker.updates import open_actions
    from workbook.update_sheet.write import build_update_sheet
    from workbook.xlsx.crypto import encrypt
    return SimpleNamespace(build_update_sheet=build_update_sheet, open_actions=open_actions, encrypt=encrypt)


def _fill(path, out, cells):
    wb = openpyxl.load_workbook(path)
    for ref, v in cells.items():
        wb[AL.UPDATES][ref] = v
    wb.save(out)
    return out


FILL = {"H8": "In progress", "I8": "Draft pathway written.", "K8": dt.datetime(2026, 9, 20),
        "H10": "Completed", "I10": "Audit done.", "J10": "Audit report", "K10": "25/09/2026",
        "L9": "31/03/2027", "M9": "Trainer unavailable", "I9": "Training postponed", "K9": "01/10/2026"}


def test_issuer_sheet_filled_in_reads_back(case, tmp_path):
    S = _issuer()
    issued = tmp_path / "issued.xlsx"
    record = S.build_update_sheet(issued, case, "Police", S.open_actions(case, "Police"), issued=B.ISSUED,
                                  return_by=B.RETURN_BY, issue_id="abc123def456")
    got = read_return(_fill(issued, tmp_path / "filled.xlsx", FILL), case, today=B.TODAY)
    assert got.kind == KIND_ISSUED and got.issue_id == record["issue_id"] and got.agency == "Police"
    assert [(r.action_id, r.status, r.date, r.revised_target) for r in got.rows] == [
        ("1.1", IN_PROGRESS, dt.date(2026, 9, 20), None),
        ("1.2", None, dt.date(2026, 10, 1), dt.date(2027, 3, 31)),
        ("2.1", AWAITING_SIGN_OFF, dt.date(2026, 9, 25), None),
    ]
    # and the issuer's sheet refuses a changed locked cell like ours does
    with pytest.raises(ReturnRejected) as e:
        read_return(_fill(issued, tmp_path / "tampered.xlsx", {**FILL, "F8": dt.datetime(2027, 4, 1)}), case,
                    today=B.TODAY)
    assert "'Target date' was changed from 01/03/2027 to 01/04/2027" in str(e.value)


def test_issuer_sheet_encrypted_by_the_issuer(case, tmp_path):
    S = _issuer()
    issued = tmp_path / "issued.xlsx"
    S.build_update_sheet(issued, case, "Police", S.open_actions(case, "Police"), issued=B.ISSUED,
                         return_by=B.RETURN_BY, issue_id="abc123def456")
    filled = _fill(issued, tmp_path / "filled.xlsx", FILL)
    S.encrypt(filled, B.PASSWORD)
    assert len(read_return(filled, case, password=B.PASSWORD, today=B.TODAY).rows) == 3


def test_saved_again_by_libreoffice_still_reads(case, tmp_path):
    """An agency that opens and saves the sheet in another program (LibreOffice here) keeps a
    valid return: the record, locked cells and dates survive the round trip."""
    from libreoffice import convert, soffice_available
    if not soffice_available():
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "lo"
    out.mkdir()
    saved = convert(B.good(tmp_path), "xlsx", out)
    got = read_return(saved, case, today=B.TODAY)
    assert [(r.action_id, r.status, r.date) for r in got.rows] == [
        ("1.1", IN_PROGRESS, dt.date(2026, 9, 20)), ("2.1", AWAITING_SIGN_OFF, dt.date(2026, 9, 25))]


def test_action_record_with_an_agency_column(case, tmp_path):
    headers = ("Agency", "Action", "Evidence/Progress", "Date of Update")
    one = [("Health", "Introduce a missed-appointment protocol", "Drafted", "15/09/2026"),
           (None, None, "Consulted on", "20/09/2026")]
    got = read_return(B.action_record(tmp_path, one, agency=None, headers=headers, name="one.xlsx"), case,
                      today=B.TODAY)
    assert got.agency == "Health" and [r.action_id for r in got.rows] == ["3.1", "3.1"]
    two = one + [("Police", "Review the multi-agency referral pathway", "Reviewed", "20/09/2026")]
    with pytest.raises(ReturnRejected) as e:
        read_return(B.action_record(tmp_path, two, agency=None, headers=headers, name="two.xlsx"), case,
                    today=B.TODAY)
    assert "more than one agency (Health, Police)" in str(e.value)
