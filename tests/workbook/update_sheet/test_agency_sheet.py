"""Update sheets issued to agencies (workbook.update_sheet.write), on real files: the sheets as
openpyxl, msoffcrypto and LibreOffice see them, and what issuing records in the case workbook."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from libreoffice import convert, pdf_pages, pdf_to_pngs, require_soffice
from tracker.errors import ScrError
from tracker.excel_dates import to_serial
from workbook.update_sheet import layout as A
from workbook.update_sheet import record
from workbook.case import layout as L
from tracker.text import safe_name
from tracker.updates import open_actions
from workbook.commands.issue_updates import IssuedSheet, issue_updates
from workbook.update_sheet.write import build_update_sheet, locked_values
from workbook.xlsx.crypto import encrypt
from workbook.case.create import write_new
from tracker.demo import demo_case
from workbook.case.read import read_case
from workbook.xlsx.safe import backups_of
from workbook.xlsx.patch import Patch

TODAY = dt.date(2026, 11, 27)
SIGNED_OFF_ONLY = "Health: Hospital Trust"  # its one action (2.2) is signed off below
HEADER = A.HEADER_ROW
FIRST = A.HEADER_ROW + 1


def make_case(folder: Path, name: str = "Case file.xlsx") -> Path:
    """The demo case with a few things a real plan has: a signed-off-only agency, a status
    nobody can read, a revised target, a number typed as a recommendation number."""
    case = demo_case(TODAY, fixed_today=True)
    by_id = {a["action_id"]: a for a in case.actions}
    by_id["2.2"]["status"] = "Signed off"  # an alias of "complete - signed off"
    by_id["3.1"]["status"] = "Started"  # an alias of "in progress"
    by_id["1.2"]["revised_target"] = TODAY + dt.timedelta(days=60)
    by_id["1.2"]["revision_reason"] = "Staff shortages"
    by_id["4.2"]["rec_no"] = 4  # a number, as Excel stores "4" typed into a General cell
    by_id["4.2"]["recommendation"] = "Supervision of complex cases:\nline two & more"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    write_new(path, case)
    return path


def sheet_files(case_path: Path) -> list[Path]:
    root = case_path.parent / "update-sheets"
    return sorted(root.rglob("*.xlsx")) if root.exists() else []


def read_record(wb) -> dict:
    """The record as the importer reads it: a long text continues in the cells to its right."""
    ws = wb[A.RECORD]
    out = {}
    for r in ws.iter_rows(values_only=True):
        if r[0] is None:
            continue
        v = r[1]
        if isinstance(v, str):
            v = "".join(x for x in r[1:] if isinstance(x, str))
        out[r[0]] = v
    return out


def cell_plain(v):
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return v


def expected_rows(case, agency: str) -> list[list]:
    return [[cell_plain(dt.datetime.combine(v, dt.time())) if isinstance(v, dt.date) else v for v in locked_values(a)]
            for a in open_actions(case, agency)]


def audit_rows(case_path: Path) -> list[dict]:
    wb = openpyxl.load_workbook(case_path)
    ws = wb[L.AUDIT]
    table = ws.tables[L.AUDIT_TABLE.name]
    rows = list(ws[table.ref])
    heads = [c.value for c in rows[0]]
    return [dict(zip(heads, (c.value for c in r))) for r in rows[1:] if any(c.value for c in r)]


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    folder = tmp_path_factory.mktemp("issued")
    path = make_case(folder)
    before = read_case(path)
    sheets = issue_updates(path, today=TODAY)
    return path, before, sheets


# --------------------------------------------------------------------------- choosing actions


def test_open_actions_in_plan_order_matched_loosely(tmp_path):
    case = read_case(make_case(tmp_path))
    police = open_actions(case, "  POLICE ")
    assert [a["action_id"] for a in police] == ["1.2", "4.2"]
    assert open_actions(case, SIGNED_OFF_ONLY) == []
    assert [a["action_id"] for a in open_actions(case, "education")] == ["3.1"]
    assert [a["action_id"] for a in open_actions(case, "Children's  Social Care")] == ["4.1"]  # 1.1 signed off
    assert open_actions(case, "Nobody") == []


def test_safe_name():
    assert safe_name("Health: Integrated Care Board") == "Health Integrated Care Board"
    assert safe_name('a/b\\c*?"<>|d.') == "a b c d"
    assert safe_name("DEMO-01 (fictional)") == "DEMO-01 (fictional)"
    assert safe_name("...", blank="agency") == "agency"


# --------------------------------------------------------------------------- the sheets


def test_one_sheet_per_agency_with_open_actions(issued):
    path, before, sheets = issued
    agencies = [s.agency for s in sheets]
    assert SIGNED_OFF_ONLY not in agencies
    with_open = [a["agency"] for a in before.agencies if open_actions(before, a["agency"])]
    assert agencies == with_open  # in Agencies-sheet order
    assert sorted(s.path for s in sheets) == sheet_files(path)
    for s in sheets:
        assert isinstance(s, IssuedSheet)
        assert s.path.parent == path.parent / "update-sheets" / TODAY.isoformat()
        assert s.path.name.startswith("DEMO-01 (fictional)-") and s.path.name.endswith(f"-update-{TODAY}.xlsx")
        # 27/11 + 28 days is Christmas Day; closures 29-31/12, New Year, a weekend: Monday 04/01/2027
        assert s.return_by == dt.date(2027, 1, 4)
        assert s.actions == [a["action_id"] for a in open_actions(before, s.agency)]
        assert len(s.issue_id) == 12 and not s.encrypted
    assert len({s.issue_id for s in sheets}) == len(sheets)


def test_sheet_layout_locking_and_validation(issued):
    path, before, sheets = issued
    for s in sheets:
        wb = openpyxl.load_workbook(s.path)
        assert wb.sheetnames == [A.INSTRUCTIONS, A.UPDATES, A.RECORD]
        assert wb.worksheets[0].title == A.INSTRUCTIONS and wb.active.title == A.INSTRUCTIONS
        assert wb[A.INSTRUCTIONS].sheet_state == "visible" and wb[A.UPDATES].sheet_state == "visible"
        ws = wb[A.UPDATES]
        # the cells above the table
        head = {key: (ws[f"A{row}"].value, ws[f"B{row}"].value) for key, _label, row in A.HEAD}
        assert {k: v[0] for k, v in head.items()} == {key: label for key, label, _ in A.HEAD}
        assert head["case"][1] == before.case_name and head["agency"][1] == s.agency
        assert head["issued"][1].date() == TODAY and head["return_by"][1].date() == s.return_by
        # the table
        table = ws.tables[A.TABLE_NAME]
        n = len(s.actions)
        last = get_column_letter(len(A.COLUMNS))
        assert table.ref == f"A{HEADER}:{last}{HEADER + n}"
        assert [ws.cell(HEADER, i + 1).value for i in range(len(A.COLUMNS))] == [c.header for c in A.COLUMNS]
        got = [[cell_plain(ws.cell(r, A.COLUMNS.index(c) + 1).value) for c in A.COLUMNS if c.locked]
               for r in range(FIRST, FIRST + n)]
        assert got == expected_rows(before, s.agency)
        assert ws.cell(FIRST + n, 1).value is None  # nothing below the table
        for r in range(FIRST, FIRST + n):
            for j, c in enumerate(A.COLUMNS, 1):
                cell = ws.cell(r, j)
                assert cell.protection.locked is c.locked, (r, c.key)
                assert cell.alignment.wrap_text
                assert cell.fill.fgColor.rgb.endswith("E7E6E6" if c.locked else "FFF2CC")
                if not c.locked:
                    assert cell.value is None
                if c.kind == "date":
                    assert cell.number_format == "dd/mm/yyyy"
            assert ws.row_dimensions[r].height >= 4 * 12.75  # room to type
        # protection: on, no password, formatting and resizing allowed, no sorting
        p = ws.protection
        assert p.sheet and not p.password
        assert p.formatCells is False and p.formatColumns is False and p.formatRows is False
        assert p.sort is not False and p.insertRows is not False and p.deleteRows is not False
        assert wb[A.INSTRUCTIONS].protection.sheet
        # validation
        dvs = ws.data_validations.dataValidation
        by_col = {}
        for dv in dvs:
            for rng in str(dv.sqref).split():
                by_col[rng] = dv
        for j, c in enumerate(A.COLUMNS, 1):
            rng = f"{get_column_letter(j)}{FIRST}:{get_column_letter(j)}{FIRST + n - 1}" if n > 1 else \
                f"{get_column_letter(j)}{FIRST}"
            if c.locked:
                assert rng not in by_col
                continue
            dv = by_col[rng]
            assert dv.showErrorMessage and dv.error and dv.errorStyle in (None, "stop")
            if c.kind == "status":
                assert dv.type == "list"
                assert dv.formula1 == '"' + ",".join(A.STATUS_CHOICES) + '"'
            elif c.kind == "date":
                assert dv.type == "date" and dv.operator in (None, "between")  # between is the default
                assert (int(dv.formula1), int(dv.formula2)) == (to_serial(dt.date(2000, 1, 1)),
                                                                to_serial(dt.date(2099, 12, 31)))
                assert "dd/mm/yyyy" in dv.error
            else:
                assert dv.type == "textLength" and dv.operator == "lessThanOrEqual"
                assert int(dv.formula1) == c.max_len
        # view and print
        assert ws.freeze_panes == f"B{FIRST}"
        assert ws.page_setup.orientation == "landscape"
        # the page rule (workbook.xlsx.pages): too wide to fit at a readable size, so 85 % across pages
        assert ws.page_setup.scale == 85 and not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows.replace("$", "") == f"{HEADER}:{HEADER}"
        assert wb.properties.title and before.case_name in wb.properties.title and s.agency in wb.properties.title


def test_instructions_say_what_an_agency_needs(issued):
    _path, before, sheets = issued
    s = sheets[0]
    wb = openpyxl.load_workbook(s.path)
    text = "\n".join(str(c.value) for row in wb[A.INSTRUCTIONS].iter_rows() for c in row if c.value)
    for needed in (*A.STATUS_CHOICES, "Blue", "Green", "dd/mm/yyyy", "Encrypt with Password",
                   s.return_by.strftime("%d/%m/%Y"), "No change since last update", "grey", "pale yellow",
                   "delete", "formulas", s.issue_id, s.agency, before.case_name, "designated senior manager"):
        assert needed in text, needed
    for c in A.COLUMNS:
        if not c.locked:
            assert c.header in text


def test_record_is_very_hidden_and_signed(issued):
    _path, before, sheets = issued
    for s in sheets:
        wb = openpyxl.load_workbook(s.path)
        ws = wb[A.RECORD]
        assert ws.sheet_state == "veryHidden"
        assert [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)] == list(A.RECORD_KEYS)
        rec = read_record(wb)
        assert rec["format"] == A.FORMAT and rec["template_version"] == A.TEMPLATE_VERSION
        assert rec["case_id"] == before.case_id and rec["case_name"] == before.case_name
        assert rec["agency"] == s.agency and rec["issue_id"] == s.issue_id
        assert rec["issued"] == TODAY.isoformat() and rec["return_by"] == s.return_by.isoformat()
        assert json.loads(rec["action_ids"]) == s.actions
        assert json.loads(rec["locked_cells"]) == expected_rows(before, s.agency)
        assert record.signature_ok(rec, before.case_key)
        assert not record.signature_ok(rec, "another case's key")
        # one locked value changed in the record: the signature no longer fits
        rows = json.loads(rec["locked_cells"])
        rows[0][A.LOCKED_KEYS.index("action")] = (rows[0][A.LOCKED_KEYS.index("action")] or "") + "."
        assert not record.signature_ok({**rec, "locked_cells": json.dumps(rows, ensure_ascii=False, separators=(",", ":"))},
                                  before.case_key)
        assert not record.signature_ok({**rec, "return_by": "2099-12-31"}, before.case_key)


def test_locked_values_details(issued):
    _path, before, sheets = issued
    police = next(s for s in sheets if s.agency == "Police")
    rows = json.loads(read_record(openpyxl.load_workbook(police.path))["locked_cells"])
    k = A.LOCKED_KEYS.index
    assert rows[0][k("action_id")] == "1.2"
    assert rows[0][k("target")] == (TODAY + dt.timedelta(days=60)).isoformat()  # the revised target is in force
    assert rows[0][k("current_status")] == "in progress"
    assert rows[1][k("rec_no")] == 4
    assert rows[1][k("recommendation")] == "Supervision of complex cases:\nline two & more"
    education = next(s for s in sheets if s.agency == "Education")
    rows = json.loads(read_record(openpyxl.load_workbook(education.path))["locked_cells"])
    assert rows[0][k("current_status")] == "in progress"  # "Started", in the tracker's own words


def test_odd_values_read_back_as_recorded(tmp_path):
    """Whatever a case cell held, the record's locked values equal what a reader gets back
    from the sheet's cells (the importer compares the two)."""
    case = read_case(make_case(tmp_path))
    actions = [
        {"action_id": 1.5, "rec_no": 3.0, "recommendation": "line one\r\nline two\rthree", "agency": "Police",
         "action": "pasted\x0bfrom Word\x07", "responsible": True, "target": dt.datetime(2027, 1, 31, 0, 0),
         "status": "Done", "_row": 5},
        {"action_id": "X-1", "rec_no": None, "recommendation": "", "agency": "Police", "action": "  spaced  ",
         "responsible": None, "target": None, "revised_target": dt.date(2027, 6, 30), "status": None, "_row": 6},
    ]
    sheet = tmp_path / "odd.xlsx"
    rec = build_update_sheet(sheet, case, "Police", actions, issued=TODAY, return_by=TODAY + dt.timedelta(days=28),
                             issue_id="0123456789ab")
    wb = openpyxl.load_workbook(sheet)
    ws = wb[A.UPDATES]
    got = [[cell_plain(ws.cell(r, A.COLUMNS.index(c) + 1).value) for c in A.COLUMNS if c.locked]
           for r in (FIRST, FIRST + 1)]
    assert json.loads(rec["locked_cells"]) == got == [
        [1.5, 3, "line one\nline two\nthree", "pasted from Word ", "TRUE", "2027-01-31",
         "complete - awaiting sign-off"],
        ["X-1", None, None, "  spaced  ", None, "2027-06-30", None]]
    assert read_record(wb) == rec and record.signature_ok(read_record(wb), case.case_key)
    assert json.loads(rec["action_ids"]) == [1.5, "X-1"]
    with pytest.raises(ScrError):
        build_update_sheet(tmp_path / "none.xlsx", case, "Police", [], issued=TODAY, return_by=TODAY, issue_id="x")
    assert not (tmp_path / "none.xlsx").exists()
    # a record longer than one cell holds continues across cells, and still verifies
    long = [{"action_id": f"{i}", "agency": "Police", "action": "x" * 1000, "status": "in progress"} for i in range(40)]
    rec = build_update_sheet(tmp_path / "long.xlsx", case, "Police", long, issued=TODAY, return_by=TODAY, issue_id="x")
    back = read_record(openpyxl.load_workbook(tmp_path / "long.xlsx"))
    assert len(rec["locked_cells"]) > A.RECORD_CHUNK and back == rec and record.signature_ok(back, case.case_key)


# --------------------------------------------------------------------------- the case afterwards


def test_case_records_the_issue(issued):
    path, before, sheets = issued
    audit = [r for r in audit_rows(path) if r["Command"] == "issue-updates"]
    assert len(audit) == len(sheets)
    for row, s in zip(audit, sheets):
        assert row["What"] == f"update sheet issued to {s.agency}"
        n = len(s.actions)
        assert row["Detail"] == f"{n} action{'s' if n != 1 else ''}; return by {s.return_by:%d/%m/%Y}; issue {s.issue_id}"
        assert row["File SHA-256"] == hashlib.sha256(s.path.read_bytes()).hexdigest()
    after = read_case(path)
    issued_to = {s.agency for s in sheets}
    for a in after.agencies:
        if a["agency"] in issued_to:
            assert a["update_1_requested"] == TODAY and a["update_2_requested"] is None
        else:
            assert a["update_1_requested"] is None
    assert backups_of(path)
    # the computed cells were brought up to date in the same save
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[L.AGENCIES]
    cols = {c.key: get_column_letter(L.AGENCIES_TABLE.col(c.key)) for c in L.AGENCIES_TABLE.columns}
    for a in after.agencies:
        due = ws[f"{cols['update_1_due']}{a['_row']}"].value
        status = ws[f"{cols['update_1_status']}{a['_row']}"].value
        if a["agency"] in issued_to:
            assert due.date() == dt.date(2027, 1, 4)  # 25/12 (27/11 + 28) moved past the closures and New Year
            assert status.startswith("requested") or status.startswith("due"), status
    # nothing else in the case was touched: actions as they were
    assert [{k: v for k, v in x.items()} for x in after.actions] == before.actions


def test_issuing_again_fills_update_2_then_the_slots_show_the_latest_two(tmp_path):
    path = make_case(tmp_path)
    issue_updates(path, today=TODAY, agency="Police")
    later = TODAY + dt.timedelta(days=91)
    second = issue_updates(path, today=later, agency="police")
    assert [s.agency for s in second] == ["Police"]
    police = next(a for a in read_case(path).agencies if a["agency"] == "Police")
    assert police["update_1_requested"] == TODAY and police["update_2_requested"] == later
    # the second one came back; a third request moves it to slot 1 with its received date, and is slot 2
    cols = {c.key: get_column_letter(L.AGENCIES_TABLE.col(c.key)) for c in L.AGENCIES_TABLE.columns}
    p = Patch(path)
    p.set_cells(L.AGENCIES, {f"{cols['update_2_received']}{police['_row']}": later + dt.timedelta(days=10)})
    p.save()
    third_day = later + dt.timedelta(days=91)
    third = issue_updates(path, today=third_day, agency="Police")
    police = next(a for a in read_case(path).agencies if a["agency"] == "Police")
    assert police["update_1_requested"] == later and police["update_1_received"] == later + dt.timedelta(days=10)
    assert police["update_2_requested"] == third_day and police["update_2_received"] is None
    detail = [r for r in audit_rows(path) if r["Command"] == "issue-updates"][-1]["Detail"]
    assert third[0].issue_id in detail and f"{later:%d/%m/%Y}" in detail and f"{TODAY:%d/%m/%Y}" in detail
    assert "round 1" in detail and "kept in Update rounds" in detail
    assert len([r for r in audit_rows(path) if r["Command"] == "issue-updates"]) == 3
    # three runs, three files, none overwritten
    assert len(sheet_files(path)) == 3


def test_unknown_agency_lists_the_agencies_with_actions(tmp_path):
    path = make_case(tmp_path)
    raw = path.read_bytes()
    with pytest.raises(ScrError) as e:
        issue_updates(path, today=TODAY, agency="Fire Service")
    msg = str(e.value)
    assert "Fire Service" in msg and "Police" in msg and "Education" in msg and SIGNED_OFF_ONLY not in msg
    with pytest.raises(ScrError) as e:
        issue_updates(path, today=TODAY, agency=SIGNED_OFF_ONLY.upper())
    assert "signed off" in str(e.value)
    assert path.read_bytes() == raw and sheet_files(path) == []
    assert not (path.parent / "update-sheets").exists()


def test_open_case_is_refused_and_nothing_is_left(tmp_path):
    path = make_case(tmp_path)
    raw = path.read_bytes()
    lock = path.with_name("~$" + path.name)
    lock.write_bytes(b"someone")
    with pytest.raises(ScrError) as e:
        issue_updates(path, today=TODAY)
    assert "open in Excel" in str(e.value)
    assert path.read_bytes() == raw and sheet_files(path) == []
    assert not (path.parent / "update-sheets").exists()
    lock.unlink()
    assert issue_updates(path, today=TODAY)  # fine once it is closed


def test_failed_case_patch_removes_the_sheets_it_wrote(tmp_path):
    path = make_case(tmp_path)
    # something typed just below the Audit table: the table cannot grow, so the patch fails
    # after every sheet has been written
    wb = openpyxl.load_workbook(path)
    ref = wb[L.AUDIT].tables[L.AUDIT_TABLE.name].ref
    below = int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 2
    p = Patch(path)
    p.set_cells(L.AUDIT, {f"A{below}": "a note"})
    p.save()
    raw = path.read_bytes()
    out = tmp_path / "out"
    with pytest.raises(ScrError) as e:
        issue_updates(path, out, today=TODAY)
    assert "cannot grow" in str(e.value)
    assert path.read_bytes() == raw
    assert not out.exists()  # the folder this run made is gone too
    assert not list(tmp_path.rglob("*.scr-tmp"))


def test_duplicate_action_ids_are_refused_before_anything_is_written(tmp_path):
    case = demo_case(TODAY, fixed_today=True)
    case.actions[2]["action_id"] = "1.2"  # 2.1 (Health ICB) now clashes with Police's 1.2
    path = tmp_path / "Dup.xlsx"
    write_new(path, case)
    raw = path.read_bytes()
    with pytest.raises(ScrError) as e:
        issue_updates(path, today=TODAY)
    assert "used twice" in str(e.value) and "Action Plan" in str(e.value)
    assert path.read_bytes() == raw and sheet_files(path) == []
    # an agency whose actions are all distinct can still be issued on its own
    assert [s.agency for s in issue_updates(path, today=TODAY, agency="Education")] == ["Education"]


def test_unreadable_status_is_refused_before_anything_is_written(tmp_path):
    path = make_case(tmp_path)
    row = next(a for a in read_case(path).actions if a["action_id"] == "3.1")["_row"]
    p = Patch(path)
    p.set_cells(L.ACTIONS, {f"{get_column_letter(L.ACTIONS_TABLE.col('status'))}{row}": "see notes"})
    p.save()
    raw = path.read_bytes()
    with pytest.raises(ScrError) as e:
        issue_updates(path, today=TODAY)
    assert "see notes" in str(e.value)
    assert path.read_bytes() == raw and not (path.parent / "update-sheets").exists()


def test_no_open_actions_anywhere_issues_nothing(tmp_path):
    case = demo_case(TODAY, fixed_today=True)
    for a in case.actions:
        a["status"] = "complete - signed off"
    path = tmp_path / "Done.xlsx"
    write_new(path, case)
    raw = path.read_bytes()
    assert issue_updates(path, today=TODAY) == []
    assert path.read_bytes() == raw and sheet_files(path) == []


# --------------------------------------------------------------------------- encryption


def decrypt(path: Path, password: str) -> io.BytesIO:
    with open(path, "rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    out.seek(0)
    return out


def test_encrypted_sheets(tmp_path):
    path = make_case(tmp_path)
    password = "Case pass 2026!"
    sheets = issue_updates(path, today=TODAY, password=password)
    case = read_case(path)
    for s in sheets:
        assert s.encrypted
        data = s.path.read_bytes()
        assert data[:4] == bytes.fromhex("D0CF11E0")
        wb = openpyxl.load_workbook(decrypt(s.path, password))
        assert wb.sheetnames == [A.INSTRUCTIONS, A.UPDATES, A.RECORD]
        rec = read_record(wb)
        assert rec["agency"] == s.agency and record.signature_ok(rec, case.case_key)
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            decrypt(s.path, "wrong password")
    audit = [r for r in audit_rows(path) if r["Command"] == "issue-updates"]
    assert all("password-protected" in r["Detail"] for r in audit)
    assert [r["File SHA-256"] for r in audit] == [hashlib.sha256(s.path.read_bytes()).hexdigest() for s in sheets]


def test_empty_password_is_refused(tmp_path):
    path = make_case(tmp_path)
    raw = path.read_bytes()
    for bad in ("", "   "):
        with pytest.raises(ScrError):
            issue_updates(path, today=TODAY, password=bad)
    assert path.read_bytes() == raw and sheet_files(path) == []
    sheet = tmp_path / "one.xlsx"
    case = read_case(path)
    build_update_sheet(sheet, case, "Police", open_actions(case, "Police"), issued=TODAY,
                       return_by=TODAY + dt.timedelta(days=28), issue_id="abc123abc123")
    plain = sheet.read_bytes()
    with pytest.raises(ScrError):
        encrypt(sheet, "")
    assert sheet.read_bytes() == plain
    encrypt(sheet, "x")
    with pytest.raises(ScrError):  # already encrypted: refused, file unchanged
        encrypt(sheet, "x")
    assert not list(tmp_path.glob(".*.scr-tmp"))


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_renders_the_updates_sheet(issued, tmp_path):
    require_soffice()
    _path, before, sheets = issued
    police = next(s for s in sheets if s.agency == "Police")
    src = tmp_path / "police.xlsx"
    shutil.copy(police.path, src)
    pdf = convert(src, "pdf", tmp_path)
    pages = pdf_pages(pdf)
    assert 2 <= pages <= 4  # Instructions (one or two pages) and the Updates sheet on one page wide
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for needed in ("Status now", "Progress since last update", "Brief all staff on the revised pathway",
                   "Issued on", "The status words", (TODAY + dt.timedelta(days=60)).strftime("%d/%m/%Y")):
        # a long text wraps inside its cell, so its words may sit on two lines of the page
        assert needed in " ".join(text.split()) or set(needed.split()) <= set(text.split()), needed
    rec = read_record(openpyxl.load_workbook(police.path))
    assert rec["signature"] not in text and A.FORMAT not in text  # the record is not printed
    pngs = pdf_to_pngs(pdf, tmp_path / "png", dpi=60)
    assert len(pngs) == pages and all(p.stat().st_size > 1000 for p in pngs)


def test_a_return_by_date_on_a_closure_day_moves_to_the_next_working_day(tmp_path):
    """Issued 01/12/2026 with 28 days: 29/12/2026 is a board closure day (29-31/12), 01/01 a bank
    holiday, 02-03/01 a weekend, so the sheet is due back on Monday 04/01/2027 -- on the sheet, in
    the Audit, and in the case's own Due cell, whose native formula (WORKDAY) LibreOffice recomputes."""
    import datetime as dt
    import openpyxl
    from libreoffice import recalc
    from tracker.case import compute
    from workbook.case import layout as L
    from workbook.case.read import locate, read_case
    from workbook.commands.issue_updates import issue_updates
    from workbook.commands.new import new_case
    case = tmp_path / "case.xlsx"
    new_case(case, name="Child R", profile=None, day0=dt.date(2026, 3, 2))
    from workbook.xlsx.patch import Patch
    wb = openpyxl.load_workbook(case)
    loc = locate(wb, L.ACTIONS_TABLE, case)
    p = Patch(case)
    p.set_cells(loc.sheet, {f"{loc.cols['action_id']}{loc.header_row + 1}": "A1",
                            f"{loc.cols['agency']}{loc.header_row + 1}": "Police",
                            f"{loc.cols['action']}{loc.header_row + 1}": "Brief staff on escalation"})
    p.save(keep=0)
    sheets = issue_updates(case, tmp_path / "out", today=dt.date(2026, 12, 1))
    assert [s.return_by for s in sheets] == [dt.date(2027, 1, 4)]
    r = compute(read_case(case))
    row = next(a for a in r.agencies if any(x.agency == "Police" for x in a.receipts.values()))
    assert row.receipts["update_1"].due == dt.date(2027, 1, 4)
    from oracles.test_native_twins import markers_left, poison
    assert poison(case) > 100  # only LibreOffice's own recalculation can bring the dates back
    out = recalc(case, tmp_path / "lo")
    assert not markers_left(out)
    ag = locate(openpyxl.load_workbook(case), L.AGENCIES_TABLE, case)
    police = next(rr for rr in ag.rows if openpyxl.load_workbook(case)[ag.sheet][f"{ag.cols['agency']}{rr}"].value == "Police")
    got = openpyxl.load_workbook(out, data_only=True)[ag.sheet][f"{ag.cols['update_1_due']}{police}"].value
    assert got.date() == dt.date(2027, 1, 4)
