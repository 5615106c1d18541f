"""What both kinds of return share: reading the typed cells of one row, and the advice to ask for
a new sheet."""
from __future__ import annotations

import datetime as dt

from tracker.errors import ScrError
from tracker.excel_dates import parse_date
from tracker.rag import parse_status
from tracker.text import is_blank
from workbook.update_sheet import layout as AL
from workbook.xlsx.untrusted import as_text, formula_text, looks_like_injection, shown

ASK_FOR_NEW = "Please ask the Board for a new update sheet, copy your updates into it and return that."


def read_inputs(cells: dict, problem) -> dict | None:
    """The typed cells of one row, checked one by one. ``cells`` maps input key -> openpyxl cell
    (missing keys count as blank); problems go to ``problem(message, fix, key)``. None if any
    cell was refused."""
    got: dict = {}
    ok = True
    for key, cell in cells.items():
        col = AL.BY_KEY[key]
        v = cell.value
        if is_blank(v):
            got[key] = None
            continue
        formula = formula_text(cell)
        if formula is not None or (isinstance(v, str) and v.lstrip().startswith("=")):
            text = formula if formula is not None else v
            danger = " It looks like a command that could run a program (DDE)." if "|" in str(text) else ""
            plain = ("type the date as dd/mm/yyyy" if col.kind == "date"
                     else "choose a word from the list" if col.kind == "status" else "type plain text")
            problem(f"a formula was entered ({shown(text, 40)}); type plain text.{danger}",
                    f"Replace the formula with its value: {plain}, not starting with '='.", key)
            ok = False
            continue
        if cell.data_type == "e":
            problem(f"the cell shows an Excel error ({v}).", "Type the value itself.", key)
            ok = False
            continue
        if looks_like_injection(v):
            problem(f"the text {shown(v, 40)} looks like a spreadsheet command (it begins with '{v.lstrip()[0]}' "
                    "and could run a program when opened, e.g. DDE); it is not accepted.",
                    "Type plain text that does not begin with =, {=, +, - or @ (or remove the '|').", key)
            ok = False
            continue
        if col.kind == "date" and isinstance(v, dt.time):
            problem(f"{shown(v.isoformat())} is a time, not a date.", "Enter the date as dd/mm/yyyy.", key)
            ok = False
            continue
        if col.kind in ("status", "date"):
            try:
                got[key] = (parse_status(v, what="the status") if col.kind == "status"
                            else parse_date(v, what="the date"))
            except ScrError as e:
                problem(e.message, e.fix, key)
                ok = False
            continue
        text = as_text(v)
        if len(text) > col.max_len:
            problem(f"the text is {len(text):,} characters long; this cell takes at most {col.max_len:,}.",
                    "Shorten it to a summary, and send any longer evidence as a separate document.", key)
            ok = False
            continue
        got[key] = text
    return got if ok else None
