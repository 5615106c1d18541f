"""Writing the update sheet each agency is sent every cycle (`scr issue-updates` issues it).

One .xlsx per agency (workbook.update_sheet.layout is the format, shared with the importer):

* "Instructions" first, in plain words for the agency's designated senior manager;
* "Updates": the agency's open actions, one row each, in Action Plan order. What the Board holds
  is grey and locked; what the agency fills in is pale yellow, unlocked and validated (status
  drop-down, dates, text length). The sheet is protected without a password: it stops slips,
  not people; the signature below is what proves a locked cell was not changed;
* "_scr", very hidden: the record of what was issued (case, agency, issue id, dates, action ids,
  every locked value) signed with the case's private key (HMAC-SHA256).

Nothing is logged (no names or free text ever reach a log).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook.xlsx import pages
from workbook.xlsx.writer import new_workbook

from tracker.errors import ScrError
from tracker.excel_dates import DATE_FORMAT, fmt
from tracker.case import CaseData
from tracker.rag import AWAITING_SIGN_OFF, IN_PROGRESS, NOT_STARTED, SIGNED_OFF, parse_status
from workbook.update_sheet import layout as A
from workbook.case import layout as L
from workbook.update_sheet.record import cell_text, make_record
from workbook.xlsx.rows import lines_needed, row_height

DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
LOCKED_FILL, INPUT_FILL = "#E7E6E6", "#FFF2CC"
LOCKED_HEAD, INPUT_HEAD = "#BFBFBF", "#FFD966"
INPUT_LINES = 4  # room to type in, even when the locked text is short

STATUS_MEANINGS = (
    (NOT_STARTED, "Work on this action has not begun yet."),
    (IN_PROGRESS, "Work has started but the action is not finished."),
    (AWAITING_SIGN_OFF, "Your agency believes the action is done and you have said what shows it (Evidence). "
                        "The Board will look at the evidence and decide whether to sign it off."),
    (SIGNED_OFF, "Only if the Board has ALREADY accepted your evidence and told you so. "
                 "If you are not sure, choose 'complete - awaiting sign-off'."),
)
assert tuple(s for s, _ in STATUS_MEANINGS) == tuple(A.STATUS_CHOICES)

INPUT_HELP = {
    "status": "Choose from the drop-down list (see 'The status words' below).",
    "progress": "What has been done since the last update, in plain words: what, by whom, when. "
                "If nothing has changed, write 'No change since last update'.",
    "evidence": "What shows the action is done or moving: for example a policy published, an audit result, "
                "training figures, minutes. Name the document and its date; do not paste it in. "
                "The Board may ask to see it.",
    "date": "The date you are giving this update (today's date), as dd/mm/yyyy.",
    "revised_target": "Only if the action cannot be finished by its target date: the new date you propose, "
                      "as dd/mm/yyyy. Otherwise leave it blank.",
    "revision_reason": "If you gave a revised target date: why the action needs more time.",
}


def _status_at_issue(value):
    try:
        return parse_status(value)
    except ScrError:
        return cell_text(value)


def locked_values(action: dict) -> list:
    """The locked cells of one row, in LOCKED_KEYS order, as Python values for the sheet.

    The target shown is the one in force: the revised target date if the case has one."""
    target = action.get("revised_target") or action.get("target")
    if isinstance(target, dt.datetime):
        target = target.date()
    source = {**action, "target": target if isinstance(target, dt.date) else None,
              "current_status": _status_at_issue(action.get("status"))}
    out = []
    for key in A.LOCKED_KEYS:
        v = source.get(key)
        if v is None or v == "":
            out.append(None)
        elif isinstance(v, dt.date):
            out.append(v)
        elif isinstance(v, bool):
            out.append("TRUE" if v else "FALSE")  # as a spreadsheet shows it
        elif isinstance(v, float) and v.is_integer():
            out.append(int(v))
        elif isinstance(v, (int, float)):
            out.append(v)
        else:
            out.append(cell_text(str(v)))
    return out


# --------------------------------------------------------------------------- the sheet


class _SheetWriter:
    def __init__(self, path: Path, case: CaseData, agency: str, actions: list[dict], record: dict,
                 rows: list[list], issued: dt.date, return_by: dt.date):
        self.case, self.agency, self.actions, self.record, self.rows = case, agency, actions, record, rows
        self.issued, self.return_by = issued, return_by
        self.wb = new_workbook(path)
        self._formats = {}

    def f(self, **kw):
        kw = {"font_name": "Arial", "font_size": 10, "valign": "top", **kw}
        key = tuple(sorted(kw.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(kw)
        return self._formats[key]

    def page(self, ws, title: str, widths, *, landscape: bool, **kw):
        return pages.setup(ws, title=title, case_name=f"Case {self.case.case_name} - {self.agency}", widths=widths,
                           landscape=landscape, made=f"Issued {fmt(self.issued)}; return by {fmt(self.return_by)}",
                           **kw)

    # ---- Instructions
    def instructions(self):
        ws = self.wb.add_worksheet(A.INSTRUCTIONS)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 82)
        ws.hide_gridlines(2)
        rb = f"{self.return_by:%A} {fmt(self.return_by)}"
        n = len(self.actions)
        title = self.f(bold=True, font_size=14, text_wrap=True)
        head = self.f(bold=True, font_size=11, font_color="#1F3864", text_wrap=True)
        para = self.f(text_wrap=True)
        term = self.f(bold=True, text_wrap=True)
        strong = self.f(bold=True, text_wrap=True, bg_color="#FFF2CC", border=1, border_color="#BF9000")
        row = 0

        def line(kind, a, b=None, *, fmt_=None):
            nonlocal row
            if kind == "gap":
                ws.set_row(row, 6)
                row += 1
                return
            if kind in ("title", "head", "para", "strong"):
                f_ = {"title": title, "head": head, "para": para, "strong": strong}[kind] if fmt_ is None else fmt_
                ws.merge_range(row, 0, row, 1, a, f_)
                lines = lines_needed(a, 112, 1.2) if kind != "title" else lines_needed(a, 112, 0.8)
                ws.set_row(row, row_height(lines) + (8 if kind == "title" else 2 if kind == "head" else 0))
            else:  # term: a bold word in A, its meaning in B
                ws.write_string(row, 0, a, term)
                ws.write_string(row, 1, b, para)
                ws.set_row(row, row_height(max(lines_needed(a, 30, 1.1), lines_needed(b, 82, 1.2))))
            row += 1

        line("title", f"Action plan update: case {self.case.case_name}")
        line("para", f"For: {self.agency}. Issued {fmt(self.issued)}. Issue reference {self.record['issue_id']}.")
        line("strong", f"Please fill in the 'Updates' sheet and send it back to the Board's business unit by {rb}.")
        line("gap", "")
        line("head", "What this is")
        line("para", f"After the review of this case, your agency agreed the actions in the Board's action plan. "
                     f"The Board checks progress on them every cycle. This workbook lists your agency's "
                     f"{n} action{'s' if n != 1 else ''} that the Board has not yet signed off. Please tell us where "
                     f"each one has got to. It should be completed, or at least checked, by your agency's designated "
                     f"senior manager.")
        line("gap", "")
        line("head", "How to fill it in")
        line("para", "Go to the 'Updates' sheet (the tab at the bottom). There is one row for each action. "
                     "The grey columns are what the Board already holds: they are locked. Fill in the pale yellow "
                     "columns on every row:")
        for c in A.COLUMNS:
            if not c.locked:
                line("term", c.header, INPUT_HELP.get(c.key, ""))
        line("para", "If nothing has changed for an action since your last update, still fill in its row: choose "
                     "its status, write 'No change since last update' under Progress, and put today's date as the "
                     "Date of update. That tells the Board you have looked at it.")
        line("gap", "")
        line("head", "The status words")
        line("para", "Choose one of these four from the drop-down list in 'Status now':")
        for word, meaning in STATUS_MEANINGS:
            line("term", word, meaning)
        line("para", "You do not need to give a colour. The Board gives every action its colour (Blue, Green, "
                     "Amber or Red) from what you tell us, its target date and how recent the update is. "
                     "Please do not colour cells or type colours.")
        line("gap", "")
        line("head", "Dates")
        line("para", "Type dates as dd/mm/yyyy, for example 14/03/2026. Dates must be between 01/01/2000 and "
                     "31/12/2099; anything else is refused with a message.")
        line("gap", "")
        line("head", "Please do not")
        for text in ("Add, delete, move or sort rows, or add columns: the Board's tracker reads the rows in the "
                     "order they were sent.",
                     "Change the grey cells. If something in them is wrong (for example the action is really "
                     "another agency's), say so under Progress and tell the business unit.",
                     "Paste formulas, links or pictures. Type, or paste as text only (Paste Special > Values).",
                     "Rename or remove the sheets, or copy the rows into a different file or an e-mail: the "
                     "tracker can only read this workbook as it was sent."):
            line("para", "\u2022  " + text)
        line("para", "You may make columns wider or rows taller if your text is hidden "
                     "(drag the line between the row numbers or column letters).")
        line("gap", "")
        line("head", "Sending it back")
        line("para", "Save it as an Excel workbook (.xlsx), keeping the file name. Before you send it, protect it "
                     "with the case password: in Excel, File > Info > Protect Workbook > Encrypt with Password. "
                     "The Board gave you the password separately; never send it in the same e-mail as the file.")
        line("strong", f"E-mail it to the Board's business unit by {rb}.")
        line("para", f"If you have a question, contact the business unit and quote the issue reference "
                     f"{self.record['issue_id']}.")
        line("gap", "")
        line("para", "OFFICIAL-SENSITIVE. This workbook is about a review of a child's case. Keep it secure and do "
                     "not forward it outside your agency.", fmt_=self.f(italic=True, font_color="#595959",
                                                                        text_wrap=True))
        ws.write_url(row, 0, f"internal:'{A.UPDATES}'!A{A.HEADER_ROW + 1}", self.f(font_color="blue", underline=1),
                     string="Go to the Updates sheet")
        self.page(ws, "Instructions", (30, 82), landscape=False)
        ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})
        ws.activate()

    # ---- Updates
    def updates(self):
        ws = self.wb.add_worksheet(A.UPDATES)
        cols = A.COLUMNS
        last_col = len(cols) - 1
        for i, c in enumerate(cols):
            ws.set_column(i, i, c.width)
        # From column B: column A (Action ID) prints again on the agency's own page, and a title begun
        # in A would print there cut off after a few letters.
        ws.merge_range(0, 1, 0, last_col, f"Action plan update - case {self.case.case_name} - {self.agency}",
                       self.f(bold=True, font_size=14))
        ws.set_row(0, 24)
        label = self.f(bold=True, text_wrap=True)
        values = {"case": self.case.case_name, "agency": self.agency, "issued": self.issued,
                  "return_by": self.return_by}
        for key, text, r in A.HEAD:
            ws.write_string(r - 1, 0, text, label)
            v = values[key]
            if isinstance(v, dt.date):
                ws.merge_range(r - 1, 1, r - 1, 3, "", self.f(bold=True, num_format=DATE_FORMAT, align="left"))
                ws.write_datetime(r - 1, 1, dt.datetime.combine(v, dt.time()),
                                  self.f(bold=True, num_format=DATE_FORMAT, align="left"))
            else:
                ws.merge_range(r - 1, 1, r - 1, 3, str(v), self.f(bold=True))
            ws.set_row(r - 1, row_height(lines_needed(text, cols[0].width)))
        note_row = A.HEADER_ROW - 2  # the row just above the header (0-based)
        if note_row >= A.HEAD[-1][2]:
            ws.merge_range(note_row, 1, note_row, last_col,
                           "Fill in the pale yellow columns, one row per action; the grey columns are locked. "
                           "Dates as dd/mm/yyyy. See the Instructions sheet.",
                           self.f(italic=True, font_color="#595959"))
        r0 = A.HEADER_ROW - 1
        n = len(self.rows)
        heads = [{"header": c.header, "header_format": self.f(
            bold=True, text_wrap=True, border=1, locked=True, bg_color=LOCKED_HEAD if c.locked else INPUT_HEAD)}
                 for c in cols]
        ws.add_table(r0, 0, r0 + n, last_col, {"name": A.TABLE_NAME, "style": "Table Style Light 1",
                                                "autofilter": False, "columns": heads})
        ws.set_row(r0, row_height(max(lines_needed(c.header, c.width) for c in cols)))
        locked_at = {k: i for i, k in enumerate(A.LOCKED_KEYS)}
        for i, values_ in enumerate(self.rows):
            r = r0 + 1 + i
            lines = INPUT_LINES
            for j, c in enumerate(cols):
                base = {"text_wrap": True, "border": 1, "border_color": "#A6A6A6", "align": "left"}
                if c.kind == "date":
                    base["num_format"] = DATE_FORMAT
                if c.locked:
                    cell = self.f(**base, bg_color=LOCKED_FILL, locked=True)
                    v = values_[locked_at[c.key]]
                    if v is None:
                        ws.write_blank(r, j, None, cell)
                    elif isinstance(v, dt.date):
                        ws.write_datetime(r, j, dt.datetime.combine(v, dt.time()), cell)
                    elif isinstance(v, (int, float)) and not isinstance(v, bool):
                        ws.write_number(r, j, v, cell)
                    else:
                        ws.write_string(r, j, str(v), cell)
                    lines = max(lines, lines_needed(v, c.width))
                else:
                    ws.write_blank(r, j, None, self.f(**base, bg_color=INPUT_FILL, locked=False))
            ws.set_row(r, row_height(lines))
        first, last = r0 + 1, r0 + n
        for j, c in enumerate(cols):
            if c.locked:
                continue
            if c.kind == "status":
                ws.data_validation(first, j, last, j, {
                    "validate": "list", "source": list(A.STATUS_CHOICES), "error_type": "stop",
                    "error_title": "Status now", "error_message":
                        "Choose one of the words in the list: " + "; ".join(A.STATUS_CHOICES) + "."})
            elif c.kind == "date":
                ws.data_validation(first, j, last, j, {
                    "validate": "date", "criteria": "between", "minimum": DATE_MIN, "maximum": DATE_MAX,
                    "error_type": "stop", "error_title": c.header[:32],
                    "input_title": c.header[:32], "input_message": "A date as dd/mm/yyyy, e.g. 14/03/2026.",
                    "error_message": "This is not a date the tracker can use. Type a date as dd/mm/yyyy, for "
                                     "example 14/03/2026, between 01/01/2000 and 31/12/2099."})
            else:
                ws.data_validation(first, j, last, j, {
                    "validate": "length", "criteria": "<=", "value": c.max_len, "error_type": "stop",
                    "error_title": "Too long", "error_message":
                        f"At most {c.max_len:,} characters fit here. Shorten it, or put the detail in a "
                        f"document and name that document here."})
        ws.freeze_panes(A.HEADER_ROW, 1)
        self.page(ws, "Action plan update", [c.width for c in cols], landscape=True, repeat_rows=r0)
        if pages.runs_wide([c.width for c in cols], True):
            # Two pages side by side: what the Board holds, then what the agency fills in (Action ID repeated).
            ws.set_v_pagebreaks([next(j for j, c in enumerate(cols) if not c.locked)])
        ws.protect("", {"format_cells": True, "format_columns": True, "format_rows": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})

    # ---- the record
    def record_sheet(self):
        ws = self.wb.add_worksheet(A.RECORD)
        text = self.f()
        for i, key in enumerate(A.RECORD_KEYS):
            ws.write_string(i, 0, key, text)
            v = self.record[key]
            if isinstance(v, str):
                for j in range(0, max(len(v), 1), A.RECORD_CHUNK):
                    ws.write_string(i, 1 + j // A.RECORD_CHUNK, v[j:j + A.RECORD_CHUNK], text)
            else:
                ws.write_number(i, 1, v, text)
        ws.protect("")
        ws.very_hidden()

    def build(self):
        self.instructions()
        self.updates()
        self.record_sheet()
        self.wb.set_properties({
            "title": f"Action plan update - case {self.case.case_name} - {self.agency}",
            "subject": f"Update requested {fmt(self.issued)}, return by {fmt(self.return_by)}",
            "category": "OFFICIAL-SENSITIVE", "comments": A.FORMAT, "keywords": f"issue {self.record['issue_id']}",
        })
        self.wb.set_custom_property("scr_template_version", A.TEMPLATE_VERSION)
        self.wb.close()


def build_update_sheet(path, case: CaseData, agency: str, actions: list[dict], *, issued: dt.date,
                       return_by: dt.date, issue_id: str) -> dict:
    """Write one agency's update sheet to ``path`` (XlsxWriter; a path, or a BytesIO to keep it in
    memory, e.g. to encrypt it before anything touches the disk); return the signed record.

    ``actions`` are Action Plan rows (dicts keyed by workbook.case.layout column keys), in the order
    they go on the sheet. Refuses (ScrError) what the format cannot carry: no actions, more than
    agency_layout.MAX_ROWS, no case signing key, or a record longer than one Excel cell holds.
    """
    path = path if hasattr(path, "write") else Path(path)
    if not actions:
        raise ScrError(f"there are no open actions for {agency}, so no update sheet was written.")
    if len(actions) > A.MAX_ROWS:
        raise ScrError(f"{agency} has {len(actions)} open actions; one update sheet holds at most {A.MAX_ROWS}.",
                       fix="Sign off or merge actions in the Action Plan first.")
    if not str(case.case_key or "").strip() or not str(case.case_id or "").strip():
        raise ScrError("the case has no case id or signing key, so update sheets cannot be signed.",
                       sheet=L.SETTINGS, fix="Restore the Settings sheet (Case id, Case signing key) from a backup.")
    rows = [locked_values(a) for a in actions]
    ids = [a.get("action_id") for a in actions]
    record = make_record(case, agency, rows, ids, issued=issued, return_by=return_by, issue_id=issue_id)
    for a, row in zip(actions, rows):
        for key, v in zip(A.LOCKED_KEYS, row):
            if isinstance(v, str) and len(v) > MAX_CELL_TEXT:
                raise ScrError(f"action {a.get('action_id')}: the {key} text is longer than one Excel cell holds.",
                               sheet=L.ACTIONS, row=a.get("_row"), fix="Shorten it.")
    _SheetWriter(path, case, agency, actions, record, rows, issued, return_by).build()
    return record
