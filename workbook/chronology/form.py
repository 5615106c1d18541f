"""The chronology form an agency is sent (seed 001 §3.7, "Chronology Format and Guidelines"): the
seed's own columns under "Agency: <name>", so what comes back is read by workbook.chronology.read
as any Rotherham-layout chronology, with the case, the period under review and the return-by date
filled in and locked, the family's initials to use, and the seed's guidance on an Instructions sheet.

The Date column takes text as well as dates (the seed: "even if it is something like 'June 04
approx'"), so it has a prompt, not a date rule. Free text is written as text (workbook.xlsx.writer).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

from tracker.excel_dates import fmt
from workbook.chronology.read import open_received
from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook

SHEET, GUIDANCE, RECORD = "Chronology", "Instructions", "_scr_chronology"
FORMAT = "scr-chronology-form-1"  # the hidden record's format: what was issued, signed with the case key
HEADER_ROW = 6  # 1-based; the lines above it say whose chronology it is
ROWS = 300  # unlocked rows ready to type into
COLUMNS = (  # seed 001 §3.7's columns, as the reader knows them (workbook.chronology.read)
    ("Date", 12), ("Time", 7), ("Family Member (s)", 14), ("Event/ Information (include those present)", 40),
    ("Agency (Source of Information)", 18), ("Action Taken/other agency response", 30),
    ("Child seen (any views and wishes noted)", 18), ("Note", 20),
)
# The board chooses its form (settings: chronology_format): seed 001's by default, or the
# layout of Bolton (seed 002), Durham (seed 000 §6) or Essex (seed 004); the reader knows each.
LAYOUTS = {
    "rotherham": COLUMNS,
    "bolton": (("DATE", 12), ("Agency", 18), ("Name of Worker", 18), ("EVENT/ACTION", 100)),
    "durham": (("Date & Time", 14), ("Event", 46), ("Source", 14), ("Participation", 18), ("Outcome", 34),
               ("Issues", 20)),
    "essex": (("Date", 12), ("Source", 22), ("Event", 62), ("Comments", 50)),
}
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


def make_record(*, case_id: str, case_name: str, agency: str, issue_id: str, issued: dt.date,
                return_by: dt.date | None, case_key: str) -> dict:
    """What was issued (the hidden record), signed with the case's key (HMAC-SHA256), so a form that
    comes back is known to be this case's, to this agency, as the Audit records it."""
    body = {"format": FORMAT, "case_id": str(case_id), "case_name": str(case_name), "agency": agency,
            "issue_id": issue_id, "issued": issued.isoformat(), "return_by": return_by.isoformat() if return_by else ""}
    return {**body, "signature": _sign(body, case_key)}


def _sign(body: dict, case_key: str) -> str:
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hmac.new(str(case_key).encode("utf-8"), data, hashlib.sha256).hexdigest()


def verify(record: dict | None, case_id: str, case_key: str) -> str:
    """"" when ``record`` is a form this case issued, unchanged; else why not, in plain words."""
    if not record:
        return "not a chronology form this case issued (no signed record in it)"
    body = {k: v for k, v in record.items() if k != "signature"}
    if body.get("format") != FORMAT:
        return "its record is not a chronology form's"
    if str(body.get("case_id")) != str(case_id):
        return f"it was issued for another case ({body.get('case_name') or 'unknown'})"
    if not hmac.compare_digest(str(record.get("signature", "")), _sign(body, case_key)):
        return "its signed record does not match (changed, or not issued by this Board)"
    return ""


def read_record(wb) -> dict | None:
    """The hidden record of a form read back (openpyxl workbook), or None."""
    if RECORD not in wb.sheetnames:
        return None
    ws = wb[RECORD]
    try:
        record = json.loads(str(ws["B1"].value or ""))
    except ValueError:
        return None
    if isinstance(record, dict):
        record["signature"] = str(ws["B2"].value or "")
        return record
    return None


def issued_form(path, password: str | None = None) -> dict | None:
    """The signed record of a returned form, the file opened as safely as any received file; None
    for any other chronology."""
    wb, _problems = open_received(Path(path), password)
    return read_record(wb) if wb is not None else None


def build_form(target, *, case_name: str, agency: str, period: str, return_by: dt.date | None,
               initials: str, issued: dt.date, record: dict | None = None, layout: str = "rotherham") -> None:
    """Write the form to ``target`` (a path or a BytesIO); ``record`` (make_record's) goes on a
    very hidden, protected sheet the reader never takes for a chronology."""
    wb = new_workbook(target)
    locked = wb.add_format({"locked": True, "font_name": "Arial", "font_size": 10})
    bold = wb.add_format({"bold": True, "locked": True, "font_name": "Arial", "font_size": 10})
    title = wb.add_format({"bold": True, "font_size": 14, "locked": True, "font_name": "Arial"})
    head = wb.add_format({"bold": True, "text_wrap": True, "bg_color": "#D9E1F2", "border": 1, "locked": True,
                          "valign": "top", "font_name": "Arial", "font_size": 10})
    entry = wb.add_format({"locked": False, "text_wrap": True, "bg_color": "#FFFFF0", "border": 1,
                           "border_color": "#BFBFBF", "valign": "top", "font_name": "Arial", "font_size": 10})
    ws = wb.add_worksheet(SHEET)
    columns = LAYOUTS[layout]
    last = len(columns) - 1
    # the label across the first columns (three of a wide layout, two of a narrow one), the value
    # beside it: the reader takes the next cell with text after "Agency:" as the agency
    label_end = 2 if len(columns) >= 6 else 1
    value_end = min(label_end + 3, last)
    ws.merge_range(0, 0, 0, last, f"Chronology for case {case_name}", title)
    for r, (label, value) in enumerate((("Agency:", agency), ("Period under review:", period),
                                        ("Please return by:", fmt(return_by) if return_by else ""),
                                        ("Family initials to use:", initials)), 1):
        ws.merge_range(r, 0, r, label_end, label, bold)
        ws.merge_range(r, label_end + 1, r, value_end, value, locked)
        for j in range(value_end + 1, last + 1):
            ws.write_blank(r, j, None, locked)
    for j, (h, w) in enumerate(columns):
        ws.write(HEADER_ROW - 1, j, h, head)
        ws.set_column(j, j, w, entry)
    ws.set_row(HEADER_ROW - 1, 42)
    ws.data_validation(HEADER_ROW, 0, HEADER_ROW + ROWS, 0, {
        "validate": "any", "input_title": "Date", "input_message": "dd/mm/yyyy, or e.g. 'June 04 approx'."})
    ws.freeze_panes(HEADER_ROW, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "sort": True,
                    "autofilter": True})
    widths = [w for _h, w in columns]
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
    if record is not None:
        rs = wb.add_worksheet(RECORD)
        body = {k: v for k, v in record.items() if k != "signature"}
        rs.write_string(0, 0, "record")
        rs.write_string(0, 1, json.dumps(body, sort_keys=True, ensure_ascii=False))
        rs.write_string(1, 0, "signature")
        rs.write_string(1, 1, record["signature"])
        rs.protect("")
        rs.very_hidden()
    ws.activate()
    wb.close()
