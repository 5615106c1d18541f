"""Agency chronologies in the seeds' own layouts, written as an agency would type them (fictional names).

Used by the chronology tests and by the output-guard tests that need a real chronology to merge.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

PASSWORD = "Case-Pass-2026!"

# Fictional family and staff (seed 001's own example: "JB for Jill Brown, AB for Andrew Brown").
KEY = {"Jill Brown": "JB", "Andrew Brown": "AB", "Kayleigh Brown": "KB", "Priya Okafor": "SW1",
       "Tom Ashdown": "HV1"}

ROTHERHAM_HEADERS = ["Date", "Time", "Family Member (s)", "Event/ Information (include those present)",
                     "Agency (Source of Information)", "Action Taken/other agency response",
                     "Child seen (any views and wishes noted)", "Note"]


def _fill(wb, ws, rows, first_row: int, path: Path) -> Path:
    """Type the rows below the headers as an agency would (blank cells left empty), and save."""
    for i, row in enumerate(rows, first_row):
        for j, v in enumerate(row, 1):
            if v is not None:
                ws.cell(i, j, v)
    wb.save(path)
    return path

def rotherham(path: Path, rows, *, agency="Northshire Police", title="Chronology for: Agency", extra_col=False):
    """Seed 001 §3.7's template: a title, the agency at the top, the table at row 4."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = title
    if agency is not None:
        ws["A2"], ws["B2"] = "Agency:", agency
    heads = ROTHERHAM_HEADERS + (["Ref (internal)"] if extra_col else [])
    for j, h in enumerate(heads, 1):
        ws.cell(4, j, h)
    return _fill(wb, ws, rows, 5, path)


def bolton(path: Path, rows, *, agency_line="AGENCY ……………………………… Bolton Children’s Services"):
    """Seed 002 Appendix 1: DATE (dd.mm.yy) | Agency | Name of Worker | EVENT/ACTION."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "This format has been standardised.  Use one line per date and enter the date as dd.mm.yy."
    ws["A3"] = agency_line
    ws["A5"] = "CHRONOLOGY IN RESPECT OF: KB"
    for j, h in enumerate(["DATE", "Agency", "Name of Worker", "EVENT/ACTION"], 1):
        ws.cell(7, j, h)
    return _fill(wb, ws, rows, 8, path)


def durham(path: Path, rows):
    """Seed 000 §6: Date & Time | Event | Source | Participation | Outcome | Issues, agency codes,
    and (rule 6) the full names against their initials in the space at the top."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Record"
    ws["A1"] = "The * Family: Multi-Agency Practice Review Recording System"
    ws["A2"] = "KB = Kayleigh Brown; JB = Jill Brown"
    for j, h in enumerate(["Date & Time", "Event", "Source", "Participation", "Outcome", "Issues"], 1):
        ws.cell(4, j, h)
    return _fill(wb, ws, rows, 5, path)


def essex(path: Path, rows, summary="Summary of themes: missed appointments were not followed up."):
    """Seed 004: the chronology with a comments column, and a summary of the comments at the end."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "Agency: Essexshire Health"
    for j, h in enumerate(["Date", "Source", "Event", "Comments"], 1):
        ws.cell(3, j, h)
    r = 4
    for r, row in enumerate(rows, 4):
        for j, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, j, v)
    ws.cell(r + 2, 1, summary)
    ws.cell(r + 3, 1, "Potential learning: escalate when a child is not brought.")
    wb.save(path)
    return path


POLICE_ROWS = [
    ["12/11/04", "14:20", "JB", "Call from Jill Brown's neighbour reporting shouting", None, "Officers attended",
     "KB seen, N/K", None],
    ["June 04 approx", None, "AB", "Andrew Brown known to police (previous address)", None, "None", None, None],
    [dt.datetime(2005, 1, 3), "am", "JB, AB", "Domestic incident at the home", "Public Protection Unit",
     "Referral to Children's Social Care by PC Dale Ferris", "N/I", "DASH risk: medium"],
]
BOLTON_ROWS = [
    ["01.06.04", "Bolton Children’s Services", "Priya Okafor", "Initial assessment of Kayleigh Brown"],
    ["12.11.04", "", "Priya Okafor", "Strategy discussion with police"],
    ["03.01.05", None, "Priya Okafor", "Section 47 enquiry opened"],
]
DURHAM_ROWS = [
    ["12/11/04 09:30", "Health visitor home visit; mother and KB present", "CDDFT", "JB, KB", "Growth checked",
     "Communication"],
    ["12/11/04 16:05", "GP appointment missed", "CDPCT", "KB", "Letter to mother", "Liaison"],
    [dt.datetime(2004, 11, 12, 11, 0), "Nursery raised concern about bruising", "NUR", "KB", "Referral made",
     "Decision"],
]
