"""`scr new`: write a new case workbook with XlsxWriter.

XlsxWriter is used for new files because it writes each formula together with its cached value,
so the workbook shows correct dates and statuses even where nothing recalculates it. Existing
files are never rewritten by it: `scr refresh` and `scr import` patch them (workbook.xlsx.patch).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from tracker.case import CaseData, Results, compute
from tracker.excel_dates import DATE_FORMAT, fmt, to_serial
from workbook.case import layout as L
from workbook.case.sheets import actions, agencies, front, holidays, settings, timescale
from workbook.case.keys import save_key
from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook

MAX_ROWS = 500  # validation and formats reach this far so rows typed later behave the same


class _Formats:
    def __init__(self, wb):
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.wb = wb
        self.cache = {}
        self.base = base

    def __call__(self, **kw):
        key = tuple(sorted(kw.items()))
        if key not in self.cache:
            self.cache[key] = self.wb.add_format({**self.base, **kw})
        return self.cache[key]

    def cell(self, column: L.Column, **extra):
        kw = {"locked": column.kind != L.INPUT, "border": 1, "border_color": "#BFBFBF"}
        if column.kind == L.INPUT:
            kw["bg_color"] = "#FFFFF0"
        if column.fmt == "date":
            kw["num_format"] = DATE_FORMAT
            kw["align"] = "left"
        elif column.fmt in ("wrap", "word"):
            kw["text_wrap"] = True
        elif column.fmt == "int":
            kw["num_format"] = "0"
        kw.update(extra)
        return self(**kw)


def _serial(v):
    return to_serial(v) if isinstance(v, dt.date) else ("" if v is None else v)


class Builder:
    """One new case workbook being written: the formats, the sheets, and the helpers every sheet
    module (workbook.case.sheets) writes through, so a column looks and validates the same everywhere."""

    def __init__(self, path: Path, case: CaseData, results: Results):
        self.path, self.case, self.r = path, case, results
        self.wb = new_workbook(path)
        self.f = _Formats(self.wb)
        self.ws = {name: self.wb.add_worksheet(name) for name in L.SHEETS}
        self.ts_rows = {m.id: L.TIMESCALE_TABLE.first_row + i for i, m in enumerate(results.profile.milestones)}
        self.ts_cols = {c.key: xl_col_to_name(L.TIMESCALE_TABLE.col(c.key) - 1) for c in L.TIMESCALE_TABLE.columns}
        self.ts = (self.ts_rows, self.ts_cols)

    # ---- helpers ----
    def title(self, ws, text: str, sub: str = "", width_cols: int = 8, short: str | None = None):
        """The sheet's title and a line under it. A sheet that prints across pages repeats column A
        on each, where a long title would be cut off: give it a ``short`` title that fits in A, and
        the rest is written from column B on (as the Agencies sheet does)."""
        self.plain_above_table(ws)
        big = self.f(bold=True, font_size=14, locked=True)
        if short is None:
            ws.merge_range(0, 0, 0, width_cols - 1, text, big)
            if sub:
                ws.write(1, 0, sub, self.f(italic=True, font_color="#595959"))
            return
        ws.write(0, 0, short, big)
        ws.merge_range(0, 1, 0, width_cols - 1, text, big)
        if sub:
            ws.write(1, 1, sub, self.f(italic=True, font_color="#595959"))

    def plain_above_table(self, ws):
        """The title rows above a table keep no input fill or cell borders: its columns' formats (set
        for the whole column, so rows typed later are yellow and unlocked too) would run up into them."""
        for t in L.TABLES:
            if t.sheet != ws.name:
                continue
            for i in range(len(t.columns)):
                for r in range(t.header_row - 1):
                    ws.write_blank(r, t.first_col - 1 + i, None, self.f(locked=True))

    def table(self, t: L.Table, n_rows: int):
        ws = self.ws[t.sheet]
        r0, c0 = t.header_row - 1, t.first_col - 1
        last_row = r0 + max(n_rows, 1)
        ws.add_table(r0, c0, last_row, c0 + len(t.columns) - 1, {
            "name": t.name, "style": "Table Style Light 1", "autofilter": True,
            "columns": [{"header": c.header, "header_format": self.f(bold=True, text_wrap=True, bg_color="#D9E1F2",
                                                                      border=1, locked=True)} for c in t.columns],
        })
        for i, c in enumerate(t.columns):
            ws.set_column(c0 + i, c0 + i, c.width, self.f.cell(c))
            if c.note:
                ws.write_comment(r0, c0 + i, c.note, {"x_scale": 1.5})
            self.validate(ws, t, c, c0 + i)
        ws.freeze_panes(t.header_row, c0 + 1)
        ws.repeat_rows(r0)
        ws.set_row(r0, 40)
        self.status_colours(ws, t)

    def validate(self, ws, t: L.Table, c: L.Column, col: int):
        if c.kind != L.INPUT:
            return
        first, last = t.header_row, t.header_row + MAX_ROWS
        if c.choices:
            ws.data_validation(first, col, last, col, {
                "validate": "list", "source": list(c.choices), "error_title": c.header,
                "error_message": "Choose from the list: " + ", ".join(c.choices)})
        elif c.fmt == "date":
            cell = xl_rowcol_to_cell(first, col)
            na_ok = c.key == "actual"
            rule = f'OR(ISNUMBER({cell}),TRIM({cell})="n/a")' if na_ok else None
            opts = ({"validate": "custom", "value": rule} if na_ok else
                    {"validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1),
                     "maximum": dt.date(2099, 12, 31)})
            ws.data_validation(first, col, last, col, {
                **opts, "error_title": c.header,
                "error_message": "Enter a date as dd/mm/yyyy" + (", or n/a" if na_ok else "") + "."})

    def date_rule(self, ws, row: int, col: int):
        ws.data_validation(row, col, row, col, {
            "validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2099, 12, 31),
            "error_title": "Date", "error_message": "Enter a date as dd/mm/yyyy."})

    def status_colours(self, ws, t: L.Table):
        fills = L.STATUS_FILLS
        first, last = t.header_row, t.header_row + MAX_ROWS
        for i, c in enumerate(t.columns):
            col = t.first_col - 1 + i
            if c.fmt != "word":
                continue
            if c.key == "rag":
                for word, colour in L.RAG_FILLS.items():
                    ws.conditional_format(first, col, last, col, {
                        "type": "cell", "criteria": "==", "value": f'"{word}"',
                        "format": self.f(bg_color=colour, bold=True)})
                continue
            # First, so it wins over "done"/"received" (LibreOffice applies the first rule that matches).
            for ending in L.LATE_ENDINGS:
                ws.conditional_format(first, col, last, col, {
                    "type": "text", "criteria": "ends with", "value": ending, "format": self.f(bg_color=fills["late"])})
            for kind, prefixes in L.MILESTONE_STATUS_PREFIXES.items():
                for p in prefixes:
                    ws.conditional_format(first, col, last, col, {
                        "type": "text", "criteria": "begins with", "value": p, "format": self.f(bg_color=fills[kind])})

    def print_setup(self, ws, widths, header_text="", **kw):
        """The one page rule (workbook.xlsx.pages); `widths` are the printed columns'."""
        return pages.setup(ws, title=header_text, case_name=f"Case {self.case.case_name or ''}", widths=list(widths),
                           made=f"Case file made {fmt(self.case.as_at)}", **kw)

    def table_setup(self, ws, t: L.Table, header_text: str, **kw):
        return self.print_setup(ws, [c.width for c in t.columns], header_text, repeat_rows=t.header_row - 1, **kw)

    def protect(self, ws):
        ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "sort": True,
                        "autofilter": True, "insert_hyperlinks": True})

    def fit(self, ws, t: L.Table, r0: int, values: dict):
        if (lines := t.lines(values)) > 1:
            ws.set_row(r0, row_height(lines))

    def formula(self, ws, row: int, col: int, text: str, cached, fmt):
        ws.write_formula(row, col, text, fmt, _serial(cached))

    # ---- the two small sheets; the others are in workbook.case.sheets ----
    def log_sheet(self, sheet, t, title, sub):
        ws = self.ws[sheet]
        self.title(ws, title, sub, 6)
        self.table(t, 0)
        self.table_setup(ws, t, title)
        self.protect(ws)  # a record, not a form: the tracker appends, people read

    def value_row(self, ws, t: L.Table, i: int, values: dict):
        """Row ``i`` of a table a new file starts with rows in (the demo's meetings, its Record):
        dates as dates, text as text (never a formula), blanks left blank; its height fitted."""
        for key, v in values.items():
            c, col = t.columns[t.col(key) - t.first_col], t.col(key) - 1
            if isinstance(v, dt.date):
                ws.write_datetime(t.first_row - 1 + i, col, dt.datetime.combine(v, dt.time()), self.f.cell(c))
            elif v not in (None, ""):
                ws.write_string(t.first_row - 1 + i, col, str(v), self.f.cell(c))
        self.fit(ws, t, t.first_row - 1 + i, values)

    def meetings_sheet(self):
        """The review's calendar (seed 001 §2.9: "draws up a draft calendar"): rows ready to type
        into, each with its ID, which `scr calendar` exports it by (so a re-export updates it)."""
        t, ws = L.MEETINGS_TABLE, self.ws[L.MEETINGS]
        self.title(ws, "Meetings", "Panel meetings, learning events and Board dates. Times as hh:mm (UK time); "
                   "who as roles, not names. `scr calendar` makes a calendar file of these and every deadline.", 8)
        n = max(L.MEETING_ROWS, len(self.case.meetings))
        self.table(t, n)
        for i in range(n):
            self.value_row(ws, t, i, {"meeting_id": f"M{i + 1}",
                                      **(self.case.meetings[i] if i < len(self.case.meetings) else {})})
        self.table_setup(ws, t, "Meetings")
        self.protect(ws)

    def record_sheet(self):
        """Decisions, extensions, the family, proceedings (issue 9): typed by people, so not
        protected; `scr record` and `scr extend` append to it."""
        t, ws = L.RECORD_TABLE, self.ws[L.RECORD]
        self.title(ws, "Record", "Decisions, extensions agreed, the family, parallel proceedings, publication, "
                   "the debrief and the evaluation: who (roles, not names), when, what and why. Newest at the foot.", 8)
        rows = self.case.record
        self.table(t, len(rows))
        for i, values in enumerate(rows):
            self.value_row(ws, t, i, values)
        self.table_setup(ws, t, "Record")

    def xlwings_conf(self):
        ws = self.ws[L.XLWINGS]
        # No blank Interpreter rows: xlwings stops at a key even when blank, overriding the add-in's setting.
        rows = (("UDF Modules", "tracker.udfs"), ("Use UDF Server", "False"), ("Show Console", "False"),
                ("Debug UDFs", "False"))
        for i, (k, v) in enumerate(rows):
            ws.write(i, 0, k)
            ws.write(i, 1, v)
        ws.set_column(0, 1, 22)
        ws.hide()

    def build(self):
        # In sheet order: XlsxWriter numbers the formats as they are first used, so this order is the file's.
        settings.write(self)
        holidays.write(self)
        timescale.write(self)
        agencies.write(self)
        actions.write(self)
        self.log_sheet(L.UPDATES, L.UPDATES_TABLE, "Updates", "Every progress entry ever recorded, oldest first. Append-only.")
        self.log_sheet(L.ROUNDS, L.ROUNDS_TABLE, "Update rounds",
                       "Every request for an updated action plan, one row per agency per round; the Agencies "
                       "sheet's two slots show the latest two.")
        self.meetings_sheet()
        self.record_sheet()
        self.log_sheet(L.AUDIT, L.AUDIT_TABLE, "Audit trail", "What was issued, received or shared, when, and by which command.")
        front.write(self)
        self.xlwings_conf()
        self.ws[L.FRONT].activate()
        self.wb.set_properties({"title": f"Case review file {self.case.case_name}", "comments": "scr-tracker",
                                "category": "OFFICIAL-SENSITIVE"})
        self.wb.set_custom_property("scr_layout_version", L.LAYOUT_VERSION)
        self.wb.close()


def build_workbook(path: Path, case: CaseData) -> Results:
    results = compute(case)
    save_key(case.case_id, case.case_key)
    Builder(Path(path), case, results).build()
    return results
