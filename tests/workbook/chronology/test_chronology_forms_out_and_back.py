"""Chronology forms out and back (issue 11 item 3): `scr issue-chronologies` writes one form per
agency in seed 001 §3.7's layout, recorded in the case; an agency fills it; `scr merge-chronologies
--record-in CASE` reads it back and records the chronology as received and added."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shared import sha
from tracker.case import CaseData
from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.read import read_case
from workbook.chronology.form import COLUMNS, GUIDANCE, HEADER_ROW, SHEET
from workbook.chronology.read import read_chronology
from workbook.commands.issue_chronologies import issue_chronologies
from workbook.commands.merge_chronologies import merge_files

ON = dt.date(2026, 12, 1)


@pytest.fixture
def case(tmp_path) -> Path:
    path = tmp_path / "CHR-01.xlsx"
    write_new(path, CaseData("CHR-01", "rotherham-2009", dt.date(2026, 11, 2), today=ON, agencies=[
        {"agency": "Police", "involvement": "involved"},
        {"agency": "Children's Social Care", "involvement": "involved"},
        {"agency": "Education", "involvement": "nil return"},
        {"agency": "GP Service", "involvement": "involved", "chronology_received": dt.date(2026, 11, 20)}]))
    return path


def fill(form: Path, out: Path, rows, *, extra_header: str | None = None) -> Path:
    """Type lines into the form as the agency would (``extra_header``: a column of its own added), and save it."""
    wb = openpyxl.load_workbook(form)
    ws = wb[SHEET]
    if extra_header:
        ws.cell(HEADER_ROW, ws.max_column + 1, extra_header)
    for i, row in enumerate(rows, HEADER_ROW + 1):
        for j, v in enumerate(row, 1):
            if v is not None:
                ws.cell(i, j, v)
    wb.save(out)
    return out


def integrated_events(path: Path) -> list[str]:
    """An integrated chronology's Event column, top to bottom."""
    from workbook.chronology.write import COLUMNS, SHEET as INTEGRATED
    ws = openpyxl.load_workbook(path)[INTEGRATED]
    col = [k for k, _h, _w in COLUMNS].index("event") + 1
    head = next(r for r in range(1, 40) if ws.cell(r, col).value == "Event / information")
    return [ws.cell(r, col).value for r in range(head + 1, ws.max_row + 1) if ws.cell(r, col).value]


def agencies(case: Path) -> dict:
    return {a["agency"]: a for a in read_case(case).agencies}


def test_forms_go_to_each_involved_agency_still_to_send_and_the_case_records_them(case):
    forms = issue_chronologies(case, period="01/01/2025 to 31/10/2026", initials="KB (child), JB (mother)", today=ON)
    assert [f.agency for f in forms] == ["Police", "Children's Social Care"]  # not the nil return, not GP (in)
    ag = agencies(case)
    assert ag["Police"]["chronology_requested"] == ON and ag["Education"]["chronology_requested"] == "default"  # untouched
    audit = [[c.value for c in r] for r in openpyxl.load_workbook(case)[L.AUDIT].iter_rows()]
    for f in forms:
        row = next(r for r in audit if r[2] == f"chronology form issued to {f.agency}")
        assert f.path.name in row[3] and sha(f.path) in row[3]
    ws = openpyxl.load_workbook(forms[0].path)[SHEET]
    assert [ws.cell(r, 4).value for r in (2, 3, 5)] == ["Police", "01/01/2025 to 31/10/2026", "KB (child), JB (mother)"]
    assert ws.cell(4, 4).value == forms[0].return_by.strftime("%d/%m/%Y")
    assert [ws.cell(HEADER_ROW, j).value for j in range(1, len(COLUMNS) + 1)] == [h for h, _w in COLUMNS]
    assert ws.protection.sheet and ws.cell(2, 4).protection.locked  # the case's lines: not to be typed over
    assert not next(d for d in ws.column_dimensions.values() if d.min <= 4 <= d.max).protection.locked  # the lines are
    assert GUIDANCE in openpyxl.load_workbook(forms[0].path).sheetnames


def test_a_filled_form_comes_back_into_the_integrated_chronology_and_the_case(case, tmp_path):
    police = issue_chronologies(case, "police", today=ON)[0]
    back = fill(police.path, tmp_path / "police-back.xlsx", [
        (dt.datetime(2025, 3, 4), "14:20", "KB", "Domestic incident reported; officers attended.", "Response team",
         "Referral to CSC", "Not seen", None),
        ("June 25 approx", None, "JB", "Neighbour called about shouting.", None, None, None, None)])
    entries = read_chronology(back, today=ON)
    assert [(e.agency, e.date_text, e.approximate) for e in entries] == [
        ("Police", "04/03/2025", False), ("Police", "June 25 approx", True)]
    assert entries[0].detail == "Response team"  # the form's Agency column is the source, kept as detail
    merged = merge_files(tmp_path / "Integrated.xlsx", [back], encrypt=False, today=ON, record_in=case)
    assert merged.recorded == ["Police"] and merged.not_on_case == []
    ag = agencies(case)["Police"]
    assert (ag["chronology_received"], ag["chronology_merged"]) == (ON, ON)
    last = [c.value for c in list(openpyxl.load_workbook(case)[L.AUDIT].iter_rows())[-1]]
    assert last[1:3] == ["merge-chronologies", "integrated chronology made"]
    assert sha(tmp_path / "Integrated.xlsx") in last[3]
    assert "Recorded in the case" in merged.summary()


def test_an_agency_not_on_the_case_is_named_and_a_received_date_typed_is_kept(case, tmp_path):
    from chronology_forms import POLICE_ROWS, rotherham
    other = rotherham(tmp_path / "other.xlsx", POLICE_ROWS, agency="Northshire Police")
    gp = issue_chronologies(case, "GP Service", today=ON)[0]
    gp_back = fill(gp.path, tmp_path / "gp.xlsx", [(dt.datetime(2025, 5, 1), None, "KB", "Seen for a cough.", None,
                                                   None, "Yes", None)])
    merged = merge_files(tmp_path / "I.xlsx", [other, gp_back], encrypt=False, today=ON, record_in=case)
    assert merged.not_on_case == ["Northshire Police"] and "Northshire Police" in merged.summary()
    ag = agencies(case)["GP Service"]
    assert (ag["chronology_received"], ag["chronology_merged"]) == (dt.date(2026, 11, 20), ON)  # typed date kept


def test_recording_in_a_case_open_in_excel_is_refused_before_anything_is_written(case, tmp_path):
    police = issue_chronologies(case, "Police", today=ON)[0]
    back = fill(police.path, tmp_path / "b.xlsx", [(dt.datetime(2025, 3, 4), None, "KB", "Event.", None, None, None, None)])
    (case.parent / f"~${case.name}").write_bytes(b"lock")
    before = sha(case)
    with pytest.raises(ScrError, match="open"):
        merge_files(tmp_path / "I.xlsx", [back], encrypt=False, today=ON, record_in=case)
    assert sha(case) == before and not (tmp_path / "I.xlsx").exists()
    with pytest.raises(ScrError, match="is the case workbook"):
        merge_files(case, [back], encrypt=False, today=ON, record_in=case)


def test_a_protected_cases_forms_are_protected_and_read_back_with_the_password(case, tmp_path, monkeypatch):
    from workbook.commands.protect import protect
    monkeypatch.setenv("SCR_CASE_PASSWORD", "Case-pw 7!")
    protect(case, "Case-pw 7!")
    forms = issue_chronologies(case, today=ON)
    assert forms and all(f.encrypted and not f.path.read_bytes().startswith(b"PK") for f in forms)


def test_each_form_carries_a_signed_record_and_a_form_from_another_case_is_not_recorded(case, tmp_path):
    """Issue 11: a signed hidden record like the update sheets'. A form filled and sent back is
    this case's; one issued for another case (or changed) is merged but not recorded in this case."""
    from workbook.chronology.form import RECORD, verify
    from workbook.chronology.form import issued_form
    police = issue_chronologies(case, "Police", today=ON)[0]
    wb = openpyxl.load_workbook(police.path)
    assert wb[RECORD].sheet_state == "veryHidden"
    this = read_case(case)
    back = fill(police.path, tmp_path / "police-back.xlsx", [(dt.datetime(2025, 3, 4), None, "KB", "Visit.", None,
                                                             None, None, None)])
    record = issued_form(back)
    assert record["agency"] == "Police" and verify(record, this.case_id, this.case_key) == ""
    assert verify({**record, "agency": "CSC"}, this.case_id, this.case_key).startswith("its signed record")
    other = tmp_path / "OTHER.xlsx"
    write_new(other, CaseData("OTH-02", "rotherham-2009", dt.date(2026, 11, 2), today=ON,
                              agencies=[{"agency": "Children's Social Care", "involvement": "involved"}]))
    theirs = issue_chronologies(other, "Children's Social Care", today=ON)[0]
    theirs_back = fill(theirs.path, tmp_path / "csc-back.xlsx", [(dt.datetime(2025, 4, 1), None, "KB", "Seen.", None,
                                                                  None, None, None)])
    merged = merge_files(tmp_path / "I.xlsx", [back, theirs_back], encrypt=False, today=ON, record_in=case)
    assert merged.recorded == ["Police"] and "Children's Social Care" in merged.refused
    assert "issued for another case (OTH-02)" in merged.summary()
    ag = agencies(case)
    assert ag["Police"]["chronology_merged"] == ON and ag["Children's Social Care"].get("chronology_merged") is None


def test_a_chronology_on_the_agencys_own_layout_is_recorded_and_said_to_be_its_own(case, tmp_path):
    from chronology_forms import POLICE_ROWS, rotherham
    own = rotherham(tmp_path / "own.xlsx", POLICE_ROWS, agency="Police")
    merged = merge_files(tmp_path / "I.xlsx", [own], encrypt=False, today=ON, record_in=case)
    assert merged.recorded == ["Police"] and merged.own_forms == ["Police"]
    assert "Sent on their own layout, not the form issued: Police." in merged.summary()


def test_scr_import_recognises_a_returned_form_and_records_it_as_received(case, tmp_path):
    """Issue 11: `scr import` recognises a returned chronology as it recognises an update sheet:
    this case's signed form, every chronology check, all or nothing; 'Chronology received' and an
    Audit row; the same file again changes nothing; another case's form is refused, for the board
    manager; a bad line goes back to the agency."""
    from workbook.commands.import_returns import CHRONOLOGY, import_returns, outcome_text
    police = issue_chronologies(case, "Police", today=ON)[0]
    back = fill(police.path, tmp_path / "police-back.xlsx", [(dt.datetime(2025, 3, 4), None, "KB", "Visit.", None,
                                                             None, None, None)])
    result = import_returns(case, [back], today=ON)
    [f] = result.files
    assert (f.state, f.agency, f.entries) == (CHRONOLOGY, "Police", 1) and result.exit_code == 0
    assert (agencies(case)["Police"]["chronology_received"], agencies(case)["Police"]["chronology_merged"]) == (ON, ON)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(case)[L.AUDIT].iter_rows()]
    assert rows[-2][2] == "chronology received from Police" and sha(back) in rows[-2][3] and "verified" in rows[-2][3]
    assert rows[-1][2] == "integrated chronology updated" and "1 entry from 1 agency" in rows[-1][3]
    assert "added to the case's integrated chronology" in outcome_text(result)
    integrated = case.parent / "CHR-01 integrated chronology.xlsx"
    assert integrated_events(integrated) == ["Visit."]
    # a second agency's form later: the case's integrated chronology holds both, in date order
    csc = issue_chronologies(case, "Children's Social Care", today=ON)[0]
    csc_back = fill(csc.path, tmp_path / "csc-back.xlsx", [(dt.datetime(2025, 1, 2), None, "KB", "Referral.", None,
                                                           None, None, None)])
    import_returns(case, [csc_back], today=ON)
    assert integrated_events(integrated) == ["Referral.", "Visit."]
    assert (case.parent / "returns").is_dir() and any((case.parent / "returns").iterdir())  # archived
    before = sha(case)
    again = import_returns(case, [back], today=ON)
    assert again.files[0].state == "already imported" and sha(case) == before
    bad = fill(police.path, tmp_path / "bad.xlsx", [("31/02/2025", None, "KB", "Visit.", None, None, None, None)])
    refused = import_returns(case, [bad], today=ON)
    assert refused.files[0].state == "rejected" and "31/02/2025" in outcome_text(refused) and sha(case) == before


def test_scr_import_refuses_another_cases_chronology_form_for_the_board_manager(case, tmp_path):
    from workbook.commands.import_returns import import_returns, outcome_text
    other = tmp_path / "OTHER.xlsx"
    write_new(other, CaseData("OTH-02", "rotherham-2009", dt.date(2026, 11, 2), today=ON,
                              agencies=[{"agency": "Police", "involvement": "involved"}]))
    theirs = issue_chronologies(other, "Police", today=ON)[0]
    back = fill(theirs.path, tmp_path / "b.xlsx", [(dt.datetime(2025, 3, 4), None, "KB", "Visit.", None, None, None, None)])
    before = sha(case)
    result = import_returns(case, [back], today=ON)
    assert result.files[0].state == "rejected" and "issued for another case (OTH-02)" in outcome_text(result)
    assert sha(case) == before and agencies(case)["Police"].get("chronology_received") is None


def test_a_round_trip_of_four_agencies_in_every_layout_named_and_anonymised(tmp_path):
    """The issue's check: forms issued to four agencies (seed 001's layout and Bolton's, Durham's,
    Essex's), filled as agencies would (one with an extra column, one with approximate dates),
    imported; the Agencies sheet, the Audit and the case's integrated chronology right; then the
    coded version from the key holds no name of the key, the named one keeps them."""
    from workbook.commands.import_returns import import_returns
    case = tmp_path / "RT-01.xlsx"
    names = ["Police", "Children's Social Care", "Health Trust", "Education"]
    write_new(case, CaseData("RT-01", "rotherham-2009", dt.date(2026, 11, 2), today=ON,
                             agencies=[{"agency": a, "involvement": "involved"} for a in names]))
    forms = {}
    for agency, layout in zip(names, ("rotherham", "bolton", "durham", "essex")):
        forms[agency] = issue_chronologies(case, agency, today=ON, layout=layout)[0].path
    backs = [
        fill(forms["Police"], tmp_path / "p.xlsx", [("12/11/04", "14:20", "KB", "Jill Brown reported a fall",
                                                           "Response", "Referral", "Seen", None, "PC-17")],
                   extra_header="Ref (internal)"),
        fill(forms["Children's Social Care"], tmp_path / "c.xlsx",
                   [("June 04 approx", None, "Priya Okafor", "Initial assessment of Kayleigh Brown")]),
        fill(forms["Health Trust"], tmp_path / "h.xlsx", [("spring 2004", "Health visit", "HV", "JB, KB",
                                                                 "Growth checked", "Communication")]),
        fill(forms["Education"], tmp_path / "e.xlsx", [("03/03/05", "Head teacher", "KB not in school", "Followed up")]),
    ]
    result = import_returns(case, backs, today=ON)
    assert [f.state for f in result.files] == ["chronology received"] * 4, [f.problems for f in result.files]
    ag = agencies(case)
    assert all((ag[a]["chronology_received"], ag[a]["chronology_merged"]) == (ON, ON) for a in names)
    events = integrated_events(case.parent / "RT-01 integrated chronology.xlsx")
    assert events == ["Health visit", "Initial assessment of Kayleigh Brown",  # spring 2004, June 04 approx, ...
                      "Jill Brown reported a fall", "KB not in school"]
    # the coded version for Ofsted and the named one for the panel, from one key
    key = tmp_path / "key.csv"
    key.write_text("Name,Code\nJill Brown,JB\nKayleigh Brown,KB\nPriya Okafor,SW1\n", encoding="utf-8")
    coded, named = tmp_path / "Ofsted.xlsx", tmp_path / "Panel.xlsx"
    merge_files(coded, backs, key_path=key, encrypt=False, today=ON, named=named, record_in=case)

    def text(p):
        return " ".join(str(c.value) for ws in openpyxl.load_workbook(p) for r in ws.iter_rows() for c in r if c.value)
    assert not [n for n in ("Jill Brown", "Kayleigh Brown", "Priya Okafor", "Jill", "Kayleigh", "Okafor")
                if n in text(coded)]
    assert "Jill Brown" in text(named) and "Ref (internal): PC-17" in text(named)
