"""The chronology form an agency is sent (seed 001 §3.7, "Chronology Format and Guidelines"): the
seed's own columns under "Agency: <name>", so what comes back is read by workbook.chronology.read
as any Rotherham-layout chronology, with the case, the period under review and the return-by date
filled in and locked, the family's initials to use, and the seed's guidance on an Instructions sheet.

The Date column takes text as well as dates (the seed: "even if it is something like 'June 04
approx'"), so it has a prompt, not a date rule. Free text is written as text (workbook.xlsx.writer).
"""
from __future__ import annotations

import datetime as dt

from tracker.excel_dates import fmt
from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook

SHEET, GUIDANCE = "Chronology", "Instructions"
HEADER_ROW = 6  # 1-based; the lines above it say whose chronology it is
ROWS = 300  # unlocked rows ready to type into
COLUMNS = (  # seed 001 §3.7's columns, as the reader knows them (workbook.chronology.read)
    ("Date", 12), ("Time", 7), ("Family Member (s)", 14), ("Event/ Information (include those present)", 40),
    ("Agency (Source of Information)", 18), ("Action Taken/other agency response", 30),
    ("Child seen (any views and wishes noted)", 18), ("Note", 20),
)
GUIDANCE_LINES = (  # after seed 001 §3.7
    "Please fill in the Chronology sheet, one line for each event, in date order, and return it by the date shown.",
    "Date: put an entry on every line, even if it is something like 'June 04 approx' when only roughly known; "
    "otherwise dd/mm/yyyy.",
    "Family member(s): use the initials given at the top of the Chronology sheet, never full names.",
    "Event / information: what happened, who was present, and what was known at the time.",
    "Agency (source of information): the part of your agency, or the other agency, the information came from.",
    "Action taken / other agency response: what was done, and by whom (as a role).",
    "Child seen: whether the child was seen, and any views and wishes noted.",
    "Keep to the period under review; something important from outside it may be summarised in a Note.",
    "Do not change the lines at the top, the column headings or the sheet names: they let the tracker read "
    "your chronology back into the case's integrated chronology.",
    "Return it password-protected if the case password was given to you; do not e-mail it unprotected.",
)


def build_form(target, *, case_name: str, agency: str, period: str, return_by: dt.date | None,
               initials: str, issued: dt.date) -> None:
    """Write the form to ``target`` (a path or a BytesIO)."""
    wb = new_workbook(target)
    locked = wb.add_format({"locked": True, "font_name": "Arial", "font_size": 10})
    bold = wb.add_format({"bold": True, "locked": True, "font_name": "Arial", "font_size": 10})
    title = wb.add_format({"bold": True, "font_size": 14, "locked": True, "font_name": "Arial"})
    head = wb.add_format({"bold": True, "text_wrap": True, "bg_color": "#D9E1F2", "border": 1, "locked": True,
                          "valign": "top", "font_name": "Arial", "font_size": 10})
    entry = wb.add_format({"locked": False, "text_wrap": True, "bg_color": "#FFFFF0", "border": 1,
                           "border_color": "#BFBFBF", "valign": "top", "font_name": "Arial", "font_size": 10})
    ws = wb.add_worksheet(SHEET)
    last = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, f"Chronology for case {case_name}", title)
    for r, (label, value) in enumerate((("Agency:", agency), ("Period under review:", period),
                                        ("Please return by:", fmt(return_by) if return_by else ""),
                                        ("Family initials to use:", initials)), 1):
        # the label across the first three columns, the value beside it: the reader takes the next
        # cell with text after "Agency:" as the agency
        ws.merge_range(r, 0, r, 2, label, bold)
        ws.merge_range(r, 3, r, 5, value, locked)
        for j in range(6, last + 1):
            ws.write_blank(r, j, None, locked)
    for j, (h, w) in enumerate(COLUMNS):
        ws.write(HEADER_ROW - 1, j, h, head)
        ws.set_column(j, j, w, entry)
    ws.set_row(HEADER_ROW - 1, 42)
    ws.data_validation(HEADER_ROW, 0, HEADER_ROW + ROWS, 0, {
        "validate": "any", "input_title": "Date", "input_message": "dd/mm/yyyy, or e.g. 'June 04 approx'."})
    ws.freeze_panes(HEADER_ROW, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "sort": True,
                    "autofilter": True})
    widths = [w for _h, w in COLUMNS]
    pages.setup(ws, title="Chronology", case_name=f"Case {case_name} - {agency}", widths=widths,
                made=f"Issued {fmt(issued)}", landscape=True, repeat_rows=HEADER_ROW - 1)
    g = wb.add_worksheet(GUIDANCE)
    g.write(0, 0, "How to fill in the chronology", title)
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "font_name": "Arial", "font_size": 10})
    g.set_column(0, 0, 110, wrap)
    for i, line in enumerate(GUIDANCE_LINES, 2):
        g.write(i, 0, line, wrap)
        g.set_row(i, row_height(lines_needed(line, 110)))  # a spreadsheet does not grow a row to its text
    pages.setup(g, title="Instructions", case_name=f"Case {case_name} - {agency}", widths=[110],
                made=f"Issued {fmt(issued)}", landscape=True)
    ws.activate()
    wb.close()
