"""Agency chronologies merged into the integrated chronology (seed 001 §3.7; `scr merge-chronologies`).

Real files written with openpyxl in the seeds' own layouts -- Rotherham's §3.7 columns under
"Chronology for:"/"Agency:", Bolton's Appendix 1 (DATE dd.mm.yy | Agency | Name of Worker |
EVENT/ACTION under "AGENCY ......"), Durham's (Date & Time | Event | Source | Participation |
Outcome | Issues, with agency codes) and Essex's comments column with its summary of themes -- read
back, merged, written, opened again with openpyxl and rendered by LibreOffice. Every name in
these files is fictional.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bad_returns import encrypt, rezip
from chronology_forms import (BOLTON_ROWS, DURHAM_ROWS, KEY, PASSWORD, POLICE_ROWS, ROTHERHAM_HEADERS,
                              bolton, durham, essex, rotherham)
from libreoffice import convert, pdf_pages, pdf_to_pngs, require_soffice
from tracker import chronology as C
from tracker.chronology import Entry, code_names, merge, names_left, parse_time, parse_when
from tracker.errors import ScrError
from workbook.update_sheet import layout as AL
from workbook.chronology.key import read_name_key
from workbook.chronology.read import ChronologyRejected, read_chronologies, read_chronology
from workbook.chronology.write import AGENCY_SHEET, COLUMNS, PALETTE, SHEET, TIMELINE_SHEET, write_integrated
from workbook.commands.merge_chronologies import merge_files
from shared import scr_process, sha

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    return {
        "police": rotherham(d / "Police chronology.xlsx", POLICE_ROWS),
        "bolton": bolton(d / "CSC chronology.xlsx", BOLTON_ROWS),
        "durham": durham(d / "Health chronology.xlsx", DURHAM_ROWS),
    }


def entry(date, agency="Police", *, time="", approximate=False, text=None, event="e", row=1, **kw):
    return Entry(date=date, date_text=text or C.fmt(date) if date else "", approximate=approximate, time=time,
                 family=kw.get("family", ""), event=event, agency=agency, action=kw.get("action", ""),
                 child_seen=kw.get("child_seen", ""), note=kw.get("note", ""), source_file=kw.get("source_file", "f"),
                 source_row=row, detail=kw.get("detail", ""))



# --------------------------------------------------------------------------- dates and times


@pytest.mark.parametrize("written, date, approximate, shown", [
    ("12/11/04", dt.date(2004, 11, 12), False, "12/11/2004"),            # seed 001: dd/mm/yy
    ("12/11/2004", dt.date(2004, 11, 12), False, "12/11/2004"),
    ("01.01.02", dt.date(2002, 1, 1), False, "01/01/2002"),              # seed 002: dd.mm.yy
    ("15/03/87", dt.date(1987, 3, 15), False, "15/03/1987"),             # a parent's history: the past, not 2087
    ("2004-11-12", dt.date(2004, 11, 12), False, "12/11/2004"),
    ("12 November 2004", dt.date(2004, 11, 12), False, "12/11/2004"),
    ("June 04 approx", dt.date(2004, 6, 1), True, "June 04 approx"),     # seed 001's own example
    ("Jun 2004", dt.date(2004, 6, 1), True, "Jun 2004"),
    ("approx. June 2004", dt.date(2004, 6, 1), True, "approx. June 2004"),
    ("2004", dt.date(2004, 1, 1), True, "2004"),
    ("c. 2003", dt.date(2003, 1, 1), True, "c. 2003"),
    ("mid-2004", dt.date(2004, 1, 1), True, "mid-2004"),
    ("06/2004", dt.date(2004, 6, 1), True, "06/2004"),
    ("xx/06/04", dt.date(2004, 6, 1), True, "xx/06/04"),
    ("12/11/04 approx", dt.date(2004, 11, 12), True, "12/11/04 approx"),
    ("?/03/2004", dt.date(2004, 3, 1), True, "?/03/2004"),               # issue 11's uncertain dates
    ("spring 2004", dt.date(2004, 3, 1), True, "spring 2004"),
    ("Summer 04", dt.date(2004, 6, 1), True, "Summer 04"),
    ("winter 2003", dt.date(2003, 12, 1), True, "winter 2003"),
    (2004, dt.date(2004, 1, 1), True, "2004"),                          # a year typed as a number
    (dt.datetime(2004, 11, 12), dt.date(2004, 11, 12), False, "12/11/2004"),
    (38303, dt.date(2004, 11, 12), False, "12/11/2004"),                # an Excel serial
])
def test_dates_in_the_seeds_forms(written, date, approximate, shown):
    w = parse_when(written, today=TODAY)
    assert (w.date, w.approximate, w.text) == (date, approximate, shown)


def test_date_and_time_in_one_cell_as_durham_writes_them():
    assert parse_when("12/03/07 14:30", today=TODAY)[:4] == (dt.date(2007, 3, 12), "12/03/2007", False, "14:30")
    assert parse_when("12/03/07 2.30pm", today=TODAY).time == "14:30"
    assert parse_when(dt.datetime(2007, 3, 12, 9, 5), today=TODAY).time == "09:05"
    assert parse_when("12/03/07", today=TODAY).time == ""


@pytest.mark.parametrize("written, message", [
    ("31/02/04", "'31/02/04' is not a real date"),
    ("02/13/2004", "US-style"),
    ("next week", "'next week' is not a date"),
    ("12/11/2027", "after today"),
    (True, "TRUE/FALSE"),
])
def test_bad_dates_name_where_and_what(written, message):
    with pytest.raises(ScrError) as e:
        parse_when(written, today=TODAY, file="police.xlsx", sheet="Chronology", row=7, column="A", header="Date")
    assert message in e.value.message
    assert str(e.value).startswith("police.xlsx, sheet 'Chronology', row 7, column A (Date): ")
    assert "dd/mm/yy" in e.value.fix


@pytest.mark.parametrize("written, time", [
    ("14:20", "14:20"), ("14.20", "14:20"), ("1420", "14:20"), ("2.20pm", "14:20"), ("2 pm", "14:00"),
    ("9am", "09:00"), ("12pm", "12:00"), ("12am", "00:00"), ("am", "am"), ("PM", "pm"), ("noon", "12:00"),
    (dt.time(9, 5), "09:05"), (0.75, "18:00"), (1420, "14:20"), ("14:20:00", "14:20"), (None, ""), ("  ", ""),
])
def test_times(written, time):
    assert parse_time(written) == time


@pytest.mark.parametrize("written", ["13pm", "25:00", "14:75", "soon", 14, "about 3"])
def test_bad_times(written):
    with pytest.raises(ScrError, match="not a time"):
        parse_time(written, file="f.xlsx", row=3, column="B")


# --------------------------------------------------------------------------- merging


def test_merge_orders_by_date_then_approximate_first_then_time_then_agency_and_is_stable():
    d = dt.date
    given = [
        entry(d(2004, 6, 3), "Police", time="14:30", event="p-afternoon"),
        entry(d(2004, 6, 3), "Health", time="09:15", event="h-morning"),
        entry(d(2004, 6, 1), "Health", approximate=True, text="June 04 approx", event="h-june-approx"),
        entry(d(2004, 6, 3), "Police", event="p-no-time"),
        entry(d(2004, 5, 31), "Police", event="p-may"),
        entry(d(2004, 6, 1), "Education", event="e-1-june"),
        entry(d(2004, 1, 1), "Police", approximate=True, text="2004", event="p-2004"),
        entry(d(2004, 6, 3), "Police", time="09:15", event="p-morning"),
        entry(d(2004, 6, 3), "Health", time="am", event="h-am"),
        entry(d(2004, 6, 3), "Health", time="09:15", event="h-morning-2"),
        entry(None, "Police", event="undated"),
    ]
    got = [e.event for e in merge(given)]
    assert got == ["p-2004", "p-may", "h-june-approx", "e-1-june", "p-no-time", "h-am", "h-morning",
                   "h-morning-2", "p-morning", "p-afternoon", "undated"]
    assert [e.event for e in merge(list(reversed(given)))][6:8] == ["h-morning-2", "h-morning"]  # ties keep order


def test_agencies_differing_only_in_case_and_spaces_are_one():
    es = [entry(dt.date(2004, 1, 1), "Northshire  Police"), entry(dt.date(2004, 1, 2), "northshire police")]
    assert list(C.agencies(es)) == ["Northshire Police"]


# --------------------------------------------------------------------------- name coding


def test_code_names_replaces_whole_names_in_every_text_field_and_keeps_no_key():
    e = entry(dt.date(2005, 1, 3), "Police", event="JILL BROWN's partner Andrew  Brown was present; Jill Browning not",
              family="Jill Brown", action="Priya Okafor (social worker) informed", child_seen="Kayleigh Brown seen",
              note="jill brown", detail="Priya Okafor", source_file="Chronology Jill Brown.xlsx")
    [c] = code_names([e], KEY)
    assert c.event == "JB's partner AB was present; Jill Browning not"  # whole words only
    assert (c.family, c.action, c.child_seen, c.note, c.detail) == ("JB", "SW1 (social worker) informed", "KB seen",
                                                                   "JB", "SW1")
    assert c.source_file == "Chronology JB.xlsx"  # a file name can carry a name too
    assert e.family == "Jill Brown"  # new entries: the originals are untouched
    flat = " ".join(str(v) for v in vars(c).values())
    for name in KEY:
        assert not re.search(rf"\b{name}\b", flat, re.I)


def test_code_names_longest_first_and_a_code_is_never_replaced_again():
    key = {"Jill": "J1", "Jill Brown": "JB", "JB": "XX"}  # a perverse key: "JB" is also a name
    [c] = code_names([entry(dt.date(2004, 1, 1), event="Jill Brown met Jill")], key)
    assert c.event == "JB met J1"  # one pass: the "JB" put in is not coded again


def test_a_name_alone_is_coded_when_one_person_has_it_and_the_rest_is_reported():
    [c, d] = code_names([entry(dt.date(2004, 1, 1), event="Jill Brown said Jill was scared", note="Andrew at home"),
                         entry(dt.date(2004, 1, 2), event="Mrs Brown said", note="Jill Browning rang")], KEY)
    assert (c.event, c.note) == ("JB said JB was scared", "AB at home")
    assert (d.event, d.note) == ("Mrs Brown said", "Jill Browning rang")  # three Browns; another Jill
    assert names_left([c, d], KEY) == [C.Leftover(1, "event", 1), C.Leftover(1, "note", 1)]


@pytest.mark.parametrize("key, message", [
    ({"": "JB"}, "no name"), ({"Jill Brown": " "}, "no code"), ({"J": "J1"}, "one-letter"),
    ({"Jill Brown": "JB", "jill  brown": "JX"}, "two codes"),
])
def test_bad_keys(key, message):
    with pytest.raises(ScrError, match=message):
        code_names([], key)


# --------------------------------------------------------------------------- reading the seeds' layouts


def test_rotherham_layout(files):
    es = read_chronology(files["police"], today=TODAY)
    assert [e.source_row for e in es] == [5, 6, 7]
    a, b, c = es
    assert (a.date, a.date_text, a.approximate, a.time) == (dt.date(2004, 11, 12), "12/11/2004", False, "14:20")
    assert (a.family, a.action, a.child_seen) == ("JB", "Officers attended", "KB seen, N/K")
    assert a.agency == "Northshire Police" and a.detail == ""  # the "Agency:" line fills the blank column
    assert (b.date, b.date_text, b.approximate) == (dt.date(2004, 6, 1), "June 04 approx", True)
    assert c.time == "am" and c.note == "DASH risk: medium"
    assert c.agency == "Northshire Police" and c.detail == "Public Protection Unit"  # seed: detail in the column
    assert a.source_file == "Police chronology.xlsx" and a.source_sheet == "Chronology"


def test_rotherham_title_line_alone_names_the_agency_and_an_extra_column_is_kept_in_the_note(tmp_path):
    p = rotherham(tmp_path / "x.xlsx", [["01/02/05", None, "KB", "School nurse saw KB", None, None, None, None,
                                         "REF-17"]],
                  agency=None, title="Chronology for: Northshire School Nursing", extra_col=True)
    [e] = read_chronology(p, today=TODAY)
    assert e.agency == "Northshire School Nursing" and e.event == "School nurse saw KB"
    assert e.note == "Ref (internal): REF-17"  # a column the tracker does not know, kept (issue 11)


def test_a_who_column_of_family_initials_is_kept_and_its_names_are_coded(tmp_path):
    """Issue 11: a "Who" column vanished from the integrated chronology. It is kept in the Note,
    as "Who: ...", and the names in it are coded with the rest."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "Agency:", "Northshire Police"
    for j, h in enumerate(["Date", "Event", "Who", "Note"], 1):
        ws.cell(3, j, h)
    for j, v in enumerate(["12/11/04", "Visit to the home", "Jill Brown and KB", "Door answered late"], 1):
        ws.cell(4, j, v)
    wb.save(tmp_path / "who.xlsx")
    [e] = read_chronology(tmp_path / "who.xlsx", today=TODAY)
    assert e.note == "Door answered late\nWho: Jill Brown and KB"
    [coded] = C.code_names([e], KEY)
    assert coded.note == "Door answered late\nWho: JB and KB" and "Jill" not in coded.note
    ws.cell(4, 3, "=HYPERLINK(\"http://x\")")
    wb.save(tmp_path / "who.xlsx")
    with pytest.raises(ChronologyRejected) as r:
        read_chronology(tmp_path / "who.xlsx", today=TODAY)
    assert "Who" in str(r.value.problems[0])


def test_bolton_layout(files):
    es = read_chronology(files["bolton"], today=TODAY)
    assert [(e.date, e.agency, e.detail, e.event) for e in es] == [
        (dt.date(2004, 6, 1), "Bolton Children’s Services", "Priya Okafor", "Initial assessment of Kayleigh Brown"),
        (dt.date(2004, 11, 12), "Bolton Children’s Services", "Priya Okafor", "Strategy discussion with police"),
        (dt.date(2005, 1, 3), "Bolton Children’s Services", "Priya Okafor", "Section 47 enquiry opened"),
    ]


def test_bolton_agency_column_without_the_line_at_the_top(tmp_path):
    p = bolton(tmp_path / "b.xlsx", [["01.06.04", "Bolton Police", "", "Visit"], ["02.06.04", "", "", "Call"]],
               agency_line="AGENCY …………………………………………………")
    with pytest.raises(ChronologyRejected) as e:
        read_chronology(p, today=TODAY)
    [problem] = e.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.header) == (
        "b.xlsx", "Chronology", 9, "B", "Agency")
    assert "does not say which agency" in problem.message


def test_bolton_example_line_left_in_is_a_problem_and_the_example_marker_is_skipped(tmp_path):
    p = bolton(tmp_path / "b.xlsx", [[None, None, None, "(Example)"],
                                     ["01.01.02", "Children’s Services", None,
                                      "This text can be removed so that you can enter your own text.  This box will "
                                      "expand as more text is entered."],
                                     ["01.06.04", None, "Priya Okafor", "Initial assessment"]])
    with pytest.raises(ChronologyRejected) as e:
        read_chronology(p, today=TODAY)
    assert [(x.row, x.column) for x in e.value.problems] == [(9, "D")]
    assert "example line" in e.value.problems[0].message


def test_durham_layout_with_agency_codes(files):
    es = read_chronology(files["durham"], today=TODAY)
    assert [(e.date, e.time, e.agency, e.family, e.action, e.note) for e in es] == [
        (dt.date(2004, 11, 12), "09:30", "CDDFT", "JB, KB", "Growth checked", "Communication"),
        (dt.date(2004, 11, 12), "16:05", "CDPCT", "KB", "Letter to mother", "Liaison"),
        (dt.date(2004, 11, 12), "11:00", "NUR", "KB", "Referral made", "Decision"),
    ]


def test_essex_comments_are_the_note_and_the_summary_of_themes_ends_the_table_and_is_kept(tmp_path):
    p = essex(tmp_path / "e.xlsx", [["03/03/05", "Health visiting", "KB not brought to clinic", "No follow-up"],
                                    ["10/03/05", "", "Second missed appointment", "Should have escalated"]])
    es = read_chronology(p, today=TODAY)
    assert [(e.agency, e.detail, e.note) for e in es] == [
        ("Essexshire Health", "Health visiting", "No follow-up"), ("Essexshire Health", "", "Should have escalated")]
    # issue 11: the summary of themes was dropped; it is kept with the agency, on its Agencies row
    summary = ("Summary of themes: missed appointments were not followed up.\n"
               "Potential learning: escalate when a child is not brought.")  # every line below the table
    assert {e.summary for e in es} == {summary}
    write_integrated(tmp_path / "I.xlsx", merge(es), case_name="KB", coded=False)
    wa = openpyxl.load_workbook(tmp_path / "I.xlsx")[AGENCY_SHEET]
    assert wa.cell(1, 7).value == "Summary of themes (as sent)"
    assert wa.cell(2, 7).value == summary


def test_blank_rows_pre_numbered_rows_and_a_repeated_header_are_skipped(tmp_path):
    p = rotherham(tmp_path / "x.xlsx", [POLICE_ROWS[0], [None] * 8, ROTHERHAM_HEADERS, [None] * 8 + ["17"],
                                        POLICE_ROWS[1]], extra_col=True)
    assert [e.source_row for e in read_chronology(p, today=TODAY)] == [5, 9]


def test_a_vertically_merged_date_counts_for_each_line_it_covers(tmp_path):
    p = rotherham(tmp_path / "x.xlsx", [["12/11/04", "09:00", "KB", "Visit", None, None, None, None],
                                        [None, "10:00", "KB", "Call", None, None, None, None]])
    wb = openpyxl.load_workbook(p)
    wb.active.merge_cells("A5:A6")
    wb.save(p)
    assert [(e.date, e.time) for e in read_chronology(p, today=TODAY)] == [(dt.date(2004, 11, 12), "09:00"),
                                                                            (dt.date(2004, 11, 12), "10:00")]


# --------------------------------------------------------------------------- problems


def test_every_problem_in_a_file_is_reported_at_once_with_file_sheet_row_and_column(tmp_path):
    p = rotherham(tmp_path / "Police chronology.xlsx", [
        ["31/02/04", None, "KB", "Visit", None, None, None, None],
        ["01/03/04", "25:00", "KB", "Call", None, None, None, None],
        [None, None, "KB", "No date on this line", None, None, None, None],
        ["02/03/04", None, "KB", None, None, None, None, None],
        ["03/03/04", None, "KB", "=HYPERLINK(\"http://example.invalid\")", None, None, None, None],
        ["04/03/04", None, "KB", "Fine", None, None, None, None],
    ])
    with pytest.raises(ChronologyRejected) as e:
        read_chronology(p, today=TODAY)
    got = [(x.file, x.sheet, x.row, x.column) for x in e.value.problems]
    assert got == [("Police chronology.xlsx", "Chronology", 5, "A"), ("Police chronology.xlsx", "Chronology", 6, "B"),
                   ("Police chronology.xlsx", "Chronology", 7, "A"), ("Police chronology.xlsx", "Chronology", 8, "D"),
                   ("Police chronology.xlsx", "Chronology", 9, "D")]
    text = str(e.value)
    assert "5 problems found in 1 file; nothing was written" in text
    assert ("Police chronology.xlsx, sheet 'Chronology', row 5, column A (Date): the date '31/02/04' is not a real "
            "date.") in text
    assert "row 6, column B (Time): the time '25:00' is not a time" in text
    assert "row 7, column A (Date): this line has no date" in text
    assert "row 8, column D (Event/ Information (include those present)): this line has no event or action" in text
    assert "row 9, column D" in text and "formula" in text


def test_no_agency_anywhere_and_no_table(tmp_path):
    p = rotherham(tmp_path / "x.xlsx", [POLICE_ROWS[0]], agency=None)
    with pytest.raises(ChronologyRejected, match="row 5, column E .*does not say which agency"):
        read_chronology(p, today=TODAY)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Notes for the panel"
    wb.save(tmp_path / "notes.xlsx")
    with pytest.raises(ChronologyRejected, match="no chronology table was found"):
        read_chronology(tmp_path / "notes.xlsx", today=TODAY)


def test_a_csv_is_refused(tmp_path):
    p = tmp_path / "police.csv"
    p.write_text("Date,Event,Agency\n12/11/04,Visit,Police\n", encoding="utf-8")
    with pytest.raises(ChronologyRejected) as e:
        read_chronology(p)
    [problem] = e.value.problems
    assert problem.file == "police.csv" and "CSV/text file" in problem.message
    assert "update sheet" not in str(e.value) and "chronology" in problem.message  # reworded for a chronology


@pytest.mark.parametrize("size", [20 * 1024 * 1024, AL.MAX_UNZIPPED_BYTES + 1024 * 1024])
def test_a_zip_bomb_is_refused_before_it_is_parsed(files, tmp_path, size):
    bomb = rezip(files["police"], tmp_path / "bomb.xlsx", {"xl/media/image1.png": b"\0" * size})
    with pytest.raises(ChronologyRejected, match="times its size|expand to"):
        read_chronology(bomb)


def test_encrypted_chronology_needs_the_password(files, tmp_path):
    enc = encrypt(files["police"], tmp_path / "enc.xlsx", PASSWORD)
    with pytest.raises(ChronologyRejected, match="password-protected and no password was given.*--password"):
        read_chronology(enc)
    with pytest.raises(ChronologyRejected, match="wrong password"):
        read_chronology(enc, password="nope")
    assert len(read_chronology(enc, password=PASSWORD, today=TODAY)) == 3


def test_several_files_are_all_or_nothing_and_the_same_file_twice_is_a_problem(files, tmp_path):
    bad = rotherham(tmp_path / "bad.xlsx", [["next week", None, "KB", "Visit", None, None, None, None]])
    copy = tmp_path / "copy.xlsx"
    shutil.copy(files["police"], copy)
    with pytest.raises(ChronologyRejected) as e:
        read_chronologies([files["police"], bad, files["bolton"], copy], today=TODAY)
    assert [(x.file, x.row) for x in e.value.problems] == [("bad.xlsx", 5), ("copy.xlsx", None)]
    assert "same as Police chronology.xlsx" in e.value.problems[1].message
    assert len(read_chronologies(list(files.values()), today=TODAY)) == 9


def test_name_key_from_csv_and_xlsx(tmp_path):
    csv = tmp_path / "key.csv"
    csv.write_text("Full name,Code\nJill Brown,JB\n\nPriya Okafor,SW1\n", encoding="utf-8-sig")
    assert read_name_key(csv) == {"Jill Brown": "JB", "Priya Okafor": "SW1"}
    wb = openpyxl.Workbook()
    for row in [("Name", "Initials"), ("Jill Brown", "JB"), ("Andrew Brown", None), (None, "XX")]:
        wb.active.append(row)
    wb.save(tmp_path / "key.xlsx")
    with pytest.raises(ChronologyRejected) as e:
        read_name_key(tmp_path / "key.xlsx")
    assert [(x.row, x.column) for x in e.value.problems] == [(3, "B"), (4, "A")]


# --------------------------------------------------------------------------- the integrated chronology


@pytest.fixture
def integrated(files, tmp_path):
    es = merge(read_chronologies(list(files.values()), today=TODAY))
    out = tmp_path / "out" / "Integrated chronology.xlsx"
    out.parent.mkdir()
    write_integrated(out, es, case_name="KB 2026-01", coded=False)
    return out, es


def _header_row(ws) -> int:
    return next(r for r in range(1, 40) if ws.cell(r, 1).value == "Date" and ws.cell(r, 4).value)


def test_integrated_sheet_columns_order_dates_and_layout(integrated):
    out, es = integrated
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SHEET, AGENCY_SHEET, TIMELINE_SHEET]
    ws = wb[SHEET]
    h = _header_row(ws)
    assert [ws.cell(h, j).value for j in range(1, 10)] == [
        "Date", "Time", "Family member(s)", "Event / information", "Agency", "Action taken / response",
        "Child seen (views and wishes)", "Note", "Source"]
    assert [c[1] for c in COLUMNS] == [ws.cell(h, j).value for j in range(1, 10)]
    rows = [[ws.cell(r, j).value for j in range(1, 10)] for r in range(h + 1, h + 1 + len(es))]
    assert ws.cell(h + 1 + len(es), 1).value is None
    # June 04 approx (Police) stands at the start of June, before Bolton's 01.06.04
    assert rows[0][0] == "June 04 approx" and rows[0][4] == "Northshire Police"
    assert rows[1][0] == dt.datetime(2004, 6, 1) and ws.cell(h + 2, 1).number_format == "dd/mm/yyyy"
    assert rows[1][4] == "Bolton Children’s Services\nPriya Okafor"  # the worker under the agency
    # 12/11/2004: no time first, then 09:30, 11:00, 14:20, 16:05
    day = [(r[1], r[4].split("\n")[0]) for r in rows if r[0] == dt.datetime(2004, 11, 12)]
    assert day == [(None, "Bolton Children’s Services"), ("09:30", "CDDFT"), ("11:00", "NUR"),
                   ("14:20", "Northshire Police"), ("16:05", "CDPCT")]
    assert rows[-1][0] == dt.datetime(2005, 1, 3) and [r[1] for r in rows[-2:]] == [None, "am"]
    assert rows[0][8] == "Police chronology.xlsx, Chronology, row 6"
    # layout: frozen header, filter, print set-up
    assert ws.freeze_panes == f"A{h + 1}"
    assert ws.auto_filter.ref == f"A{h}:I{h + len(es)}"
    assert ws.print_title_rows == f"${h}:${h}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert all(ws.cell(r, 4).alignment.wrap_text for r in range(h + 1, h + 1 + len(es)))
    assert all(ws.row_dimensions[r].height >= 12 for r in range(h + 1, h + 1 + len(es)))


def test_colour_per_agency_legend_and_agencies_sheet(integrated):
    out, es = integrated
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    h = _header_row(ws)
    fill = lambda c: c.fill.fgColor.rgb[-6:].upper()  # noqa: E731
    by_agency: dict[str, set] = {}
    for r in range(h + 1, h + 1 + len(es)):
        agency = ws.cell(r, 5).value.split("\n")[0]
        by_agency.setdefault(agency, set()).update(fill(ws.cell(r, j)) for j in range(1, 10))
    assert all(len(f) == 1 for f in by_agency.values())  # one colour across each row of an agency
    colours = {a: f.pop() for a, f in by_agency.items()}
    assert len(set(colours.values())) == len(colours) == 5  # a different colour for each agency
    assert set(colours.values()) <= {hexa[1:] for _, hexa in PALETTE}
    # the legend above the table: every agency in its colour, with its count
    legend = {ws.cell(r, 1).value: (fill(ws.cell(r, 1)), ws.cell(r, 4).value) for r in range(4, h)
              if ws.cell(r, 1).value and ws.cell(r, 1).value in colours}
    assert {a: f for a, (f, _) in legend.items()} == colours
    assert legend["Northshire Police"][1].startswith("3 (June 04 approx to 03/01/2005)")
    assert "Colour key" in ws.cell(4, 1).value
    wa = wb[AGENCY_SHEET]
    table = {wa.cell(r, 1).value: (wa.cell(r, 2).value, fill(wa.cell(r, 2)), wa.cell(r, 3).value)
             for r in range(2, 2 + len(colours))}
    names = dict((hexa[1:], name) for name, hexa in PALETTE)
    assert table == {a: (names[f], f, sum(1 for e in es if e.agency.split("\n")[0] == a)) for a, f in colours.items()}
    assert wa.cell(2 + len(colours), 1).value == "Total" and wa.cell(2 + len(colours), 3).value == len(es)


def test_written_atomically_with_a_backup_and_refused_while_open(integrated):
    out, es = integrated
    before = sha(out)
    write_integrated(out, es[:2], case_name="KB 2026-01")
    assert sha(out) != before
    assert len(list((out.parent / "backups").iterdir())) == 1
    lock = out.with_name("~$" + out.name)
    lock.write_text("x")
    now = sha(out)
    with pytest.raises(ScrError, match="open in Excel"):
        write_integrated(out, es, case_name="KB 2026-01")
    assert sha(out) == now


def test_name_coding_replaces_names_and_the_key_is_not_in_the_output(files, tmp_path):
    key = tmp_path / "key kept apart.csv"
    key.write_text("Name,Code\n" + "".join(f"{n},{c}\n" for n, c in KEY.items()), encoding="utf-8")
    out = tmp_path / "Integrated chronology JB.xlsx"
    m = merge_files(out, list(files.values()), case_name="Jill Brown review", key_path=key, today=TODAY)
    assert m.coded and m.key_names == len(KEY)
    with zipfile.ZipFile(out) as z:
        xml = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for name in KEY:
        assert name not in xml and name.split()[0] + " " + name.split()[1] not in xml
    assert "Brown" not in xml and "Okafor" not in xml
    assert "JB review" in xml  # the title too
    assert "SW1" in xml and "Initial assessment of KB" in xml
    assert "key kept apart" not in xml
    assert "Names are coded; the key is kept separately" in xml
    assert m.names_left == []


def test_no_files_written_when_any_file_is_bad(files, tmp_path):
    out = tmp_path / "out.xlsx"
    bad = rotherham(tmp_path / "bad.xlsx", [["32/01/05", None, "KB", "Visit", None, None, None, None]])
    with pytest.raises(ChronologyRejected):
        merge_files(out, [files["police"], bad], today=TODAY)
    assert not out.exists() and not list(tmp_path.glob(".out.xlsx*"))


# --------------------------------------------------------------------------- scr merge-chronologies


scr = scr_process


def test_cli_end_to_end(files, tmp_path):
    key = tmp_path / "key.csv"
    key.write_text("Name,Code\n" + "".join(f"{n},{c}\n" for n, c in KEY.items()), encoding="utf-8")
    out = tmp_path / "integrated.xlsx"
    run = scr("merge-chronologies", out, *files.values(), "--case", "KB 2026-01", "--key", key)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    assert lines[0] == f"Integrated chronology: {out} (9 entries from 3 files, 5 agencies)"
    assert any(line.split() == ["Northshire", "Police", "3", "entries"] for line in lines)
    assert any(line.split() == ["Nursery", "1", "entry"] for line in lines)  # NUR, by the board's agency codes
    assert not any(line.split()[:1] == ["NUR"] for line in lines)
    assert "Dates: June 04 approx to 03/01/2005." in lines
    assert "Names coded with the key (5 names); the key is not in the file." in lines
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws["A1"].value == "Integrated chronology — KB 2026-01"


def test_cli_bad_file_exit_1_every_problem_no_traceback_nothing_written(files, tmp_path):
    out = tmp_path / "integrated.xlsx"
    merge_files(out, [files["police"]], today=TODAY)  # an earlier merge: the one file OUT may replace
    previous = out.read_bytes()
    bad = rotherham(tmp_path / "Health chronology v2.xlsx", [
        ["31/02/04", None, "KB", "Visit", None, None, None, None],
        ["01/03/04", "later", "KB", "Call", None, None, None, None]])
    csv = tmp_path / "school.csv"
    csv.write_text("Date,Event\n01/01/05,x\n")
    run = scr("merge-chronologies", out, files["police"], bad, csv)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    err = run.stderr
    assert err.startswith("Error: the chronologies were not merged: 3 problems found in 2 files; nothing was written.")
    assert "Health chronology v2.xlsx, sheet 'Chronology', row 5, column A (Date): the date '31/02/04'" in err
    assert "Health chronology v2.xlsx, sheet 'Chronology', row 6, column B (Time): the time 'later'" in err
    assert "school.csv: this is a CSV/text file" in err
    assert out.read_bytes() == previous


def test_cli_usage_and_refusals(files, tmp_path):
    run = scr("merge-chronologies", tmp_path / "out.xlsx")
    assert run.returncode == 2 and "Missing argument" in run.stderr
    run = scr("merge-chronologies", tmp_path / "out.pdf", files["police"])
    assert run.returncode == 1 and "must be an .xlsx file" in run.stderr and "Traceback" not in run.stderr
    run = scr("merge-chronologies", files["bolton"], files["police"], files["bolton"])
    assert run.returncode == 1 and "OUT is also one of the files" in run.stderr
    run = scr("merge-chronologies", tmp_path / "o.xlsx", files["police"], "--encrypt")
    assert run.returncode == 1 and "--encrypt needs the case password" in run.stderr


def test_cli_encrypted_in_and_out(files, tmp_path):
    enc = encrypt(files["police"], tmp_path / "police-enc.xlsx", PASSWORD)
    out = tmp_path / "integrated.xlsx"
    env = {**os.environ, "SCR_CASE_PASSWORD": PASSWORD}
    run = scr("merge-chronologies", out, enc, files["bolton"], "--encrypt", env=env)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # an encrypted Office file
    from workbook.chronology.read import open_received
    wb, problems = open_received(out, PASSWORD)
    assert problems == [] and wb.sheetnames == [SHEET, AGENCY_SHEET, TIMELINE_SHEET]


def test_cli_encrypted_inputs_without_encrypt_are_refused_until_said(files, tmp_path):
    """Issue 13 finding 16: protected chronologies merged without --encrypt gave a plain OUT, silently."""
    enc = encrypt(files["police"], tmp_path / "police-enc.xlsx", PASSWORD)
    out = tmp_path / "integrated.xlsx"
    env = {**os.environ, "SCR_CASE_PASSWORD": PASSWORD}
    run = scr("merge-chronologies", out, enc, files["bolton"], env=env)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "1 of the files given is password-protected (police-enc.xlsx)" in run.stderr
    assert "--encrypt" in run.stderr and "--no-encrypt" in run.stderr and "nothing was written" in run.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in", "police-enc.xlsx"]
    run = scr("merge-chronologies", out, enc, files["bolton"], "--no-encrypt", env=env)  # plain on purpose
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:4] == b"PK\x03\x04"
    # plain inputs need neither
    out2 = tmp_path / "plain.xlsx"
    assert scr("merge-chronologies", out2, files["police"], files["bolton"]).returncode == 0


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_renders_the_integrated_chronology(files, tmp_path):
    require_soffice()
    rows = [[f"{d:02d}/0{m}/05", f"{8 + d % 9:02d}:{(d * 7) % 60:02d}", "KB",
             f"Home visit {d}/{m}: mother and KB present; discussed school attendance, the state of the home and "
             f"the plan agreed at the last review. " * (1 + d % 3), None, "Letter to GP; referral to early help",
             "KB seen alone; said she liked school", "Follow up at next visit"] for m in (2, 3) for d in range(1, 15)]
    many = rotherham(tmp_path / "in" / "Visits.xlsx", rows, agency="Northshire Family Support")
    es = merge(read_chronologies([*files.values(), many], today=TODAY))
    out = tmp_path / "Integrated chronology.xlsx"
    write_integrated(out, es, case_name="KB 2026-01", coded=False)
    pdf = convert(out, "pdf", tmp_path / "pdf")
    pages = pdf_pages(pdf)
    assert pages >= 2
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for needed in ("Integrated chronology — KB 2026-01", "Colour key (agency)", "June 04 approx", "12/11/2004",
                   "Event / information", "Northshire Family Support", "NUR", "OFFICIAL-SENSITIVE",
                   "Visits.xlsx,"):
        assert needed in flat, needed
    # the header row is repeated on every page of the chronology (all but the last two, "Agencies"
    # and the "Timeline")
    per_page = [p for p in text.split("\f") if p.strip()]
    assert len(per_page) == pages >= 3
    assert all({"Family", "member(s)", "Event", "information"} <= set(p.split()) for p in per_page[:-2])
    assert "Agency" in per_page[-2] and "Colour" in per_page[-2] and "Entries" in per_page[-2]
    assert "Quarter" in per_page[-1] and "2005 Q1" in per_page[-1]
    # Looked at by eye (tmp_path/png/*-1.png): colour key, colour bands per agency, wrapped text
    # fitted, one page wide, landscape.
    pngs = pdf_to_pngs(pdf, tmp_path / "png", dpi=60)
    assert len(pngs) == pages and all(p.stat().st_size > 1000 for p in pngs)


def test_summary_warns_of_name_parts_the_key_did_not_catch(files, tmp_path):
    key = tmp_path / "key.csv"
    key.write_text("Name,Code\nDale Ferris,PC1\nAndrew Brown,AB\n", encoding="utf-8")
    rows = POLICE_ROWS + [["04/01/05", None, "AB", "Andrew rang to say Dale Ferris had called", None, None, None, None]]
    police = rotherham(tmp_path / "police2.xlsx", rows)
    m = merge_files(tmp_path / "out.xlsx", [police], key_path=key, today=TODAY)
    # "Jill Brown's neighbour": Jill Brown is not in this key, so her "Brown" is not coded as AB, but warned of
    assert [(m.entries[x.entry].source_row, x.field) for x in m.names_left] == [(5, "event")]
    assert m.entries[m.names_left[0].entry].event == "Call from Jill Brown's neighbour reporting shouting"
    summary = m.summary()
    assert ("Names NOT fully coded: words that are part of a name in the key are still in 1 place of sheet "
            "'Integrated chronology': row 9 (Event / information).") in summary
    assert "Names coded" not in summary and "Brown" not in summary and "Jill" not in summary
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")[SHEET]
    assert ws.cell(9, 4).value == "Call from Jill Brown's neighbour reporting shouting"  # the row it names
    assert "Names are coded" not in ws["A2"].value and "CHECK them" in ws["A2"].value
    assert m.entries[-1].event == "AB rang to say PC1 had called"  # Andrew alone: one Andrew in the key
    assert "Referral to Children's Social Care by PC PC1" in [e.action for e in m.entries]


def test_agency_codes_from_the_boards_settings_name_each_agency_once(tmp_path, monkeypatch):
    """Issue 11: Durham's "POL" and a Rotherham "Police" were two agencies. The board's
    [agency_codes] name a code's agency; the code as written stays in the line's detail; a code
    the board has not listed (CDDFT here) is kept as written."""
    settings = tmp_path / "board.toml"
    settings.write_text('board = "B"\n[agency_codes]\nPOL = "Northshire Police"\nNUR = "Nursery"\n', encoding="utf-8")
    monkeypatch.setenv("SCR_SETTINGS", str(settings))
    rows = [["12/11/04 10:00", "Police attended", "pol", "KB", "Referral", "Decision"]] + DURHAM_ROWS
    files = [durham(tmp_path / "d.xlsx", rows), rotherham(tmp_path / "p.xlsx", POLICE_ROWS)]
    from workbook.commands.merge_chronologies import merge_files
    m = merge_files(tmp_path / "I.xlsx", files, encrypt=False, today=TODAY)
    assert set(m.per_agency) == {"Northshire Police", "Nursery", "CDDFT", "CDPCT"}
    assert m.per_agency["Northshire Police"] == 1 + len(POLICE_ROWS)
    pol = next(e for e in m.entries if e.event == "Police attended")
    assert (pol.agency, pol.detail) == ("Northshire Police", "written as pol")
    settings.write_text('[agency_codes]\nPOL = ["Police"]\n', encoding="utf-8")
    from tracker.board import load_board
    with pytest.raises(ScrError, match="agency_codes must be a table"):
        load_board()


def test_the_same_event_recorded_by_two_agencies_is_flagged_not_removed(tmp_path):
    """Issue 11: likely duplicates across agencies flagged. The same home visit on 12/11/2004 in the
    Police and the health chronologies is flagged on both lines; another event that day is not;
    the same agency twice is not (its own two lines)."""
    police = rotherham(tmp_path / "p.xlsx", [
        ["12/11/04", "", "JB, KB", "Home visit with mother and KB present", "Police", "", "", ""],
        ["12/11/04", "", "KB", "Home visit with mother and KB present", "Police", "", "", ""],
        ["13/11/04", "", "KB", "Strategy meeting", "Police", "", "", ""]], agency="Northshire Police")
    health = durham(tmp_path / "h.xlsx", [
        ["12/11/04 09:30", "Home visit: mother and KB present", "Health Trust", "JB, KB", "", ""],
        ["12/11/04 16:05", "GP appointment missed", "Health Trust", "KB", "", ""]])
    from workbook.commands.merge_chronologies import merge_files
    m = merge_files(tmp_path / "I.xlsx", [police, health], encrypt=False, today=TODAY)
    twins = C.possible_duplicates(m.entries)
    flagged = {(m.entries[i].agency, m.entries[i].event) for i in twins}
    assert flagged == {("Northshire Police", "Home visit with mother and KB present"),
                       ("Health Trust", "Home visit: mother and KB present")}
    assert "2 possible duplicates across agencies" in m.summary()  # each Police line with the Health one
    ws = openpyxl.load_workbook(tmp_path / "I.xlsx")[SHEET]
    sources = [str(c.value) for c in ws["I"] if c.value]
    assert sum("Possible duplicate of row" in s for s in sources) == 3  # the visit: 2 Police lines + 1 Health


def _word_chronology(path, above, headers, rows):
    import docx
    d = docx.Document()
    for line in above:
        d.add_paragraph(line)
    t = d.add_table(rows=1 + len(rows), cols=len(headers))
    for j, h in enumerate(headers):
        t.rows[0].cells[j].text = h
    for i, row in enumerate(rows, 1):
        for j, v in enumerate(row):
            t.rows[i].cells[j].text = v
    d.save(path)
    return path


def test_a_word_chronology_in_the_seeds_table_layout_is_read_as_an_excel_one(tmp_path):
    """Issue 11: a Word chronology was refused ("return the Excel chronology you were sent"). Its
    table is read with the same header words and the same 'Agency:' line, with every check."""
    p = _word_chronology(tmp_path / "Police chronology.docx", ["Chronology", "Agency: Northshire Police"],
                         ROTHERHAM_HEADERS, [
                             ["12/11/04", "14:20", "KB", "Officers attended a domestic incident", "Response team",
                              "Referral to CSC", "Not seen", ""],
                             ["June 04 approx", "", "JB", "Neighbour reported shouting", "", "", "", ""]])
    es = read_chronology(p, today=TODAY)
    assert [(e.agency, e.date_text, e.approximate, e.time, e.event) for e in es] == [
        ("Northshire Police", "12/11/2004", False, "14:20", "Officers attended a domestic incident"),
        ("Northshire Police", "June 04 approx", True, "", "Neighbour reported shouting")]
    assert es[0].detail == "Response team" and es[0].source_sheet == "Table 1"
    bolton_word = _word_chronology(tmp_path / "b.docx", ["AGENCY ……… Bolton Children’s Services"],
                                   ["DATE", "Agency", "Name of Worker", "EVENT/ACTION"],
                                   [["01.06.04", "", "Priya Okafor", "Initial assessment"]])
    merged = read_chronologies([p, bolton_word], today=TODAY)
    assert {e.agency for e in merged} == {"Northshire Police", "Bolton Children’s Services"}


def test_a_bad_line_in_a_word_chronology_is_named_and_a_word_file_with_no_table_is_refused(tmp_path):
    p = _word_chronology(tmp_path / "x.docx", ["Agency: Northshire Police"], ROTHERHAM_HEADERS,
                         [["31/02/04", "", "KB", "Visit", "", "", "", ""]])
    with pytest.raises(ChronologyRejected) as r:
        read_chronology(p, today=TODAY)
    assert "Table 1" in str(r.value) and "31/02/04" in str(r.value)
    import docx
    d = docx.Document()
    d.add_paragraph("Our chronology is attached as a letter.")
    d.save(tmp_path / "none.docx")
    with pytest.raises(ChronologyRejected, match="holds no table"):
        read_chronology(tmp_path / "none.docx", today=TODAY)


def test_the_childs_age_at_each_event_from_a_date_of_birth_in_the_key(tmp_path):
    """Issue 11: the child's age at each event, where the key gives a date of birth (its third
    column). KB born 15/03/2002: 12/11/2004 is 2 years 7 months; 'June 04 approx' about 2y 2m
    (from 01/06/2004); an event before the birth says so; JB (no date of birth) gets no age."""
    key = tmp_path / "key.csv"
    key.write_text("Name,Code,Date of birth\nKayleigh Brown,KB,15/03/2002\nJill Brown,JB,\n", encoding="utf-8")
    p = rotherham(tmp_path / "p.xlsx", [
        ["12/11/04", "", "JB, KB", "Home visit", "", "", "", ""],
        ["June 04 approx", "", "KB", "Seen at clinic", "", "", "", ""],
        ["01/01/02", "", "JB", "Antenatal booking missed; KB expected", "", "", "", ""]], agency="Northshire Health")
    from workbook.commands.merge_chronologies import merge_files
    merge_files(tmp_path / "I.xlsx", [p], key_path=key, encrypt=False, today=TODAY)
    ws = openpyxl.load_workbook(tmp_path / "I.xlsx")[SHEET]
    family = {str(r[3].value): r[2].value for r in ws.iter_rows() if r[3].value and r[2].value}
    assert family["Home visit"] == "JB, KB (2y 7m)"
    assert family["Seen at clinic"] == "KB (c. 2y 2m)"
    assert family["Antenatal booking missed; KB expected"] == "JB"  # KB only in the event text: no age there
    assert C.age_at(dt.date(2002, 3, 15), dt.date(2002, 1, 1)) == "before birth"
    assert C.age_at(dt.date(2002, 3, 15), dt.date(2002, 3, 29)) == "2w"
    key.write_text("Name,Code,Date of birth\nKayleigh Brown,KB,31/02/2002\n", encoding="utf-8")
    with pytest.raises(ChronologyRejected) as r:
        merge_files(tmp_path / "I2.xlsx", [p], key_path=key, encrypt=False, today=TODAY)
    assert "date of birth" in str(r.value) and "row 2" in str(r.value)


def test_the_timeline_counts_each_agencys_entries_by_quarter_with_a_native_chart(integrated):
    """Issue 11: a timeline. Per quarter and agency, the entries counted (an approximate date in
    the quarter it starts), and a stacked chart of them."""
    wb = openpyxl.load_workbook(integrated[0])
    ws = wb[TIMELINE_SHEET]  # noqa
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    head, body = rows[0], [r for r in rows[1:] if r[0]]
    total = sum(v for r in body for v in r[1:] if isinstance(v, (int, float)))
    assert head[0] == "Quarter" and total == 9  # every entry counted once
    assert [r[0] for r in body] == ["2004 Q2", "2004 Q3", "2004 Q4", "2005 Q1"]  # June 04 approx first; Q3 empty
    assert all(v == 0 for v in body[1][1:])  # kept so the chart's time is to scale
    assert ws._charts, "the timeline has a native chart"


def test_one_merge_gives_the_coded_version_for_ofsted_and_the_named_one_for_the_panel(files, tmp_path):
    """Issue 11: a panel (named) version and an anonymised one from one key; the key is in neither,
    and no name in the key survives in the coded one."""
    key = tmp_path / "key.csv"
    key.write_text("Name,Code\n" + "".join(f"{n},{c}\n" for n, c in KEY.items()), encoding="utf-8")
    from workbook.commands.merge_chronologies import merge_files
    coded, named = tmp_path / "For Ofsted.xlsx", tmp_path / "Panel.xlsx"
    merge_files(coded, list(files.values()), key_path=key, encrypt=False, today=TODAY, named=named)

    def text(p):
        wb = openpyxl.load_workbook(p)
        return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    c_text, n_text = text(coded), text(named)
    assert not [full for full in KEY if full in c_text]  # no name of the key left in the coded one
    assert [full for full in KEY if full in n_text] and "(named: panel only)" in n_text
    assert "(named: panel only)" not in c_text
    with pytest.raises(ScrError, match="needs --key"):
        merge_files(tmp_path / "x.xlsx", list(files.values()), encrypt=False, today=TODAY, named=tmp_path / "y.xlsx")


def test_a_word_chronology_with_an_external_entity_does_not_read_the_file_it_names(tmp_path):
    """The attack corpus for Word chronologies: an XXE in word/document.xml must not pull in a
    local file (python-docx's parser resolves no entities)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    p = _word_chronology(tmp_path / "x.docx", ["Agency: Northshire Police"], ROTHERHAM_HEADERS,
                         [["12/11/04", "", "KB", "XXEHERE", "", "", "", ""]])
    import zipfile as zf
    with zf.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    head, rest = xml.split("?>", 1)
    xml = head + f'?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>' + rest.replace("XXEHERE", "&x;")
    parts["word/document.xml"] = xml.encode()
    with zf.ZipFile(p, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    with pytest.raises(ChronologyRejected) as r:  # the entity is left empty: a line with no event
        read_chronology(p, today=TODAY)
    assert "TOP-SECRET-LINE" not in str(r.value) and "no event" in str(r.value)
