"""`scr new`: write a new case workbook with XlsxWriter.

XlsxWriter is used for new files because it writes each formula together with its cached value,
so the workbook shows correct dates and statuses even where nothing recalculates it. Existing
files are never rewritten by it: `scr refresh` and `scr import` patch them (workbook.xlsx.patch).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from tracker import bankholidays
from tracker.calendar import FIRST_YEAR, LAST_YEAR
from tracker.frontsheet import EVENTS, PEOPLE
from tracker.excel_dates import to_serial
from tracker.words import BANK_HOLIDAY, CLOSURE_DAY
from workbook.case import layout as L
from workbook.case.keys import save_key
from tracker.case import CaseData, Results, compute, status_cell
from workbook.case.row_formulas import (  # noqa: F401  (re-exported: callers import them from here)
    UDF_TAIL, action_formulas, agency_formulas, front_formulas, requested_formula, timescale_formulas,
    ts_due_ref,
)

HOLIDAY_YEARS = (FIRST_YEAR, LAST_YEAR)  # the same years the Python calendar knows
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
            kw["num_format"] = "dd/mm/yyyy"
            kw["align"] = "left"
        elif column.fmt in ("wrap", "word"):
            kw["text_wrap"] = True
        elif column.fmt == "int":
            kw["num_format"] = "0"
        kw.update(extra)
        return self(**kw)


def provisional_from(nation: str) -> int:
    """The first year whose bank holidays GOV.UK has not yet published (bankholidays.is_provisional)."""
    return bankholidays.govuk_years(bankholidays.canonical_nation(nation))[1] + 1


def _serial(v):
    return to_serial(v) if isinstance(v, dt.date) else ("" if v is None else v)


class Builder:
    def __init__(self, path: Path, case: CaseData, results: Results):
        self.path, self.case, self.r = path, case, results
        self.wb = new_workbook(path)
        self.f = _Formats(self.wb)
        self.ws = {name: self.wb.add_worksheet(name) for name in L.SHEETS}
        self.ts_rows = {m.id: L.TIMESCALE_TABLE.first_row + i for i, m in enumerate(results.profile.milestones)}
        self.ts_cols = {c.key: xl_col_to_name(L.TIMESCALE_TABLE.col(c.key) - 1) for c in L.TIMESCALE_TABLE.columns}
        self.ts = (self.ts_rows, self.ts_cols)

    # ---- helpers ----
    def title(self, ws, text: str, sub: str = "", width_cols: int = 8):
        self.plain_above_table(ws)
        ws.merge_range(0, 0, 0, width_cols - 1, text, self.f(bold=True, font_size=14, locked=True))
        if sub:
            ws.write(1, 0, sub, self.f(italic=True, font_color="#595959"))

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
                           made=f"Case file made {self.case.as_at:%d/%m/%Y}", **kw)

    def table_setup(self, ws, t: L.Table, header_text: str, **kw):
        return self.print_setup(ws, [c.width for c in t.columns], header_text, repeat_rows=t.header_row - 1, **kw)

    def protect(self, ws):
        ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "sort": True,
                        "autofilter": True, "insert_hyperlinks": True})

    def fit(self, ws, t: L.Table, r0: int, values: dict):
        """Set a row's height from its longest wrapped text, since neither XlsxWriter nor every
        spreadsheet grows rows to fit text on opening (LibreOffice's PDF export does not)."""
        lines = 1
        for key, text in values.items():
            c = t.columns[t.col(key) - 1]
            if c.fmt in ("wrap", "word") and text not in (None, "") and not isinstance(text, dt.date):
                # A character a width unit: words wrap whole, so a line holds fewer than the width.
                lines = max(lines, lines_needed(text, c.width, 1.0))
        if lines > 1:
            ws.set_row(r0, row_height(lines))

    def formula(self, ws, row: int, col: int, text: str, cached, fmt):
        ws.write_formula(row, col, text, fmt, _serial(cached))

    # ---- sheets ----
    def settings(self):
        ws, c = self.ws[L.SETTINGS], self.case
        self.title(ws, "Settings", "The case's settings; the formulas use these names.", 3)
        hdr = self.f(bold=True, bg_color="#D9E1F2", border=1)
        for i, h in enumerate(("Setting", "Value", "Notes")):
            ws.write(L.SETTINGS_HEADER_ROW - 1, i, h, hdr)
        values = {"CaseName": c.case_name, "Profile": c.profile_id, "Nation": c.nation, "LayoutVersion": L.LAYOUT_VERSION,
                  "CaseId": c.case_id, "CaseKey": "",  # the key is in the key file (workbook.case.keys)
                  **{k: c.setting(k) for k in c.settings}}
        for i, (key, label, default, note) in enumerate(L.SETTINGS_ROWS):
            row = L.SETTINGS_FIRST_ROW - 1 + i
            ws.write(row, 0, label, self.f(bold=True, border=1, locked=True))
            ws.write(row, 2, note, self.f(italic=True, font_color="#595959", text_wrap=True, locked=True))
            inp = self.f(bg_color="#FFFFF0", border=1, locked=key in ("LayoutVersion", "CaseId", "CaseKey"), align="left")
            if key == "Today":
                fmt = self.f(bg_color="#FFFFF0", border=1, locked=False, num_format="dd/mm/yyyy", align="left")
                if c.today:
                    ws.write_datetime(row, 1, dt.datetime.combine(c.today, dt.time()), fmt)
                else:
                    ws.write_formula(row, 1, "=TODAY()", fmt, to_serial(c.as_at))
                self.date_rule(ws, row, 1)
            else:
                v = values.get(key, default)
                ws.write(row, 1, v, inp)
            self.wb.define_name(key, f"={L.settings_cell(key)}")
        nation_row = L.SETTINGS_FIRST_ROW - 1 + [k for k, *_ in L.SETTINGS_ROWS].index("Nation")
        ws.data_validation(nation_row, 1, nation_row, 1, {"validate": "list", "source": list(bankholidays.NATIONS)})
        widths = (44, 22, 60)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        keys = [k for k, *_ in L.SETTINGS_ROWS]
        for i, (key, label, _d, note) in enumerate(L.SETTINGS_ROWS):
            ws.set_row(L.SETTINGS_FIRST_ROW - 1 + i, row_height(max(lines_needed(note, widths[2]),
                                                                     lines_needed(label, widths[0]))))
        # The signing key is the last row, and printing stops above it: on paper it would be no secret.
        ws.print_area(0, 0, L.SETTINGS_FIRST_ROW - 2 + keys.index("CaseKey"), len(widths) - 1)
        self.print_setup(ws, widths, "Settings", one_page=True)
        self.protect(ws)

    def holidays(self):
        ws, t = self.ws[L.HOLIDAYS], L.HOLIDAYS_TABLE
        self.title(ws, "Non-working days", "Bank holidays (GOV.UK) and the board's own closure days. "
                   "Add closure days as new rows; the working-day formulas skip every date in column A.", 4)
        rows = [(h.date, h.title, BANK_HOLIDAY, "provisional: not yet confirmed by GOV.UK" if h.provisional else "")
                for h in bankholidays.bank_holidays(self.case.nation, *HOLIDAY_YEARS)]
        rows += [(d, "Board closure day", CLOSURE_DAY, "") for d in self.case.closures]
        # In date order, so the case's own years are one run of rows: the print area below.
        rows.sort(key=lambda row: row[0])
        self.table(t, len(rows))
        for i, row in enumerate(rows):
            r = t.first_row - 1 + i
            for j, v in enumerate(row):
                col = t.columns[j]
                if isinstance(v, dt.date):
                    self.ws[L.HOLIDAYS].write_datetime(r, j, dt.datetime.combine(v, dt.time()), self.f.cell(col))
                else:
                    self.ws[L.HOLIDAYS].write(r, j, v, self.f.cell(col))
        first = t.first_row
        self.wb.define_name("Holidays", f"='{L.HOLIDAYS}'!$A${first}:$A${first + L.HOLIDAY_ROWS}")
        kind = xl_col_to_name(t.col("kind") - 1)
        self.wb.define_name("HolidayKinds", f"='{L.HOLIDAYS}'!${kind}${first}:${kind}${first + L.HOLIDAY_ROWS}")
        # Bank holidays of this year and later are not yet confirmed by GOV.UK: the Flags' native twin
        # says "provisional" by this year, as the Python calendar does (bankholidays.is_provisional).
        self.wb.define_name("ProvisionalFrom", f"={provisional_from(self.case.nation)}")
        # Printing all 80 years would bury the case's own; print the years around Day 0.
        years = range(self.case.day0.year - 1, self.case.day0.year + 4)
        near = [i for i, row in enumerate(rows) if row[0].year in years]
        ws = self.ws[L.HOLIDAYS]
        if near:
            ws.print_area(first - 1 + near[0], 0, first - 1 + near[-1], len(t.columns) - 1)
        self.table_setup(ws, t, "Non-working days")

    def timescale(self):
        ws, t, r, c = self.ws[L.TIMESCALE], L.TIMESCALE_TABLE, self.r, self.case
        self.title(ws, f"Serious Case Review timescale — {c.case_name}", r.profile.name, 10)
        bold = self.f(bold=True)
        ws.write("A3", "Day 0", bold)
        ws.write_datetime("C3", dt.datetime.combine(c.day0, dt.time()),
                          self.f(num_format="dd/mm/yyyy", bold=True, bg_color="#FFFFF0", border=2, locked=False, align="left"))
        ws.write("D3", r.profile.day0_label, self.f(italic=True))
        ws.write("A4", "As at", bold)
        ws.write_formula("C4", "=Today", self.f(num_format="dd/mm/yyyy", align="left"), to_serial(c.as_at))
        source = "Profile: " + r.profile.id + "   (source: " + r.profile.source + ")"
        # Wrapped within the first printed page's columns (D to I), not cut off at its edge.
        ws.merge_range("D4:I4", source, self.f(italic=True, font_color="#595959", text_wrap=True))
        ws.set_row(3, row_height(lines_needed(source, sum(cc.width for cc in t.columns[3:9]))))
        self.wb.define_name("Day0", f"='{L.TIMESCALE}'!{L.TS_DAY0_CELL}")
        self.date_rule(ws, 2, 2)
        n = len(r.profile.milestones)
        self.table(t, n)
        col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
        first, last = t.first_row, t.first_row + n - 1
        self.wb.define_name("Actuals", f"='{L.TIMESCALE}'!${col['actual']}${first}:${col['actual']}${last}")
        self.wb.define_name("Overrides", f"='{L.TIMESCALE}'!${col['override']}${first}:${col['override']}${last}")
        for p in r.plan.milestones:
            row = self.ts_rows[p.id]
            self.timescale_row(ws, t, col, row, p)
        self.table_setup(ws, t, "Timescale")
        self.protect(ws)

    def timescale_row(self, ws, t, col, row, p):
        m = p.milestone
        r0 = row - 1
        f = lambda key: self.f.cell(t.columns[t.col(key) - 1])
        ws.write(r0, t.col("milestone") - 1, m.id, f("milestone"))
        ws.write(r0, t.col("label") - 1, m.label, f("label"))
        ws.write(r0, t.col("rule") - 1, m.rule_text(), f("rule"))
        ws.write(r0, t.col("responsible") - 1, m.responsible, f("responsible"))
        ws.write(r0, t.col("source") - 1, m.source, f("source"))
        for key, v in (("override", self.case.overrides.get(m.id)), ("actual", self.case.actuals.get(m.id))):
            if isinstance(v, dt.date):
                ws.write_datetime(r0, t.col(key) - 1, dt.datetime.combine(v, dt.time()), f(key))
            elif v:
                ws.write(r0, t.col(key) - 1, v, f(key))
        computed = timescale_formulas(self.r, self.ts, row, p)
        for key, text, cached in computed:
            self.formula(ws, r0, t.col(key) - 1, text, cached, f(key))
        self.fit(ws, t, r0, {"label": m.label, "rule": m.rule_text(), "responsible": m.responsible,
                             "source": m.source, **{k: v for k, _, v in computed}})

    def agencies(self):
        ws, t, c = self.ws[L.AGENCIES], L.AGENCIES_TABLE, self.case
        # Column A prints again on every page (the agency), so what is above the table in A must make
        # sense alone: a short title, the labels wrapped within A, the rest from column B on.
        self.plain_above_table(ws)
        big = self.f(bold=True, font_size=14, locked=True)
        ws.write("A1", "SCR Overview", big)
        ws.merge_range(0, 1, 0, 11, f"agency returns — {c.case_name}", big)
        ws.merge_range(1, 1, 1, 11, "One row per agency. Status words come from SCR_RECEIPT; chase anything "
                       "'overdue'.", self.f(italic=True, font_color="#595959"))
        for name, label, row, lcol, vcol in L.AGENCY_HEADER_DATES:
            # Wrapped within its column, not cut off by the date beside it (nor where column A repeats).
            lab = self.f(bold=True, text_wrap=True)
            if lcol == "A":
                ws.write(f"{lcol}{row}", label, lab)
            else:
                ws.merge_range(f"{lcol}{row}:{chr(ord(vcol) - 1)}{row}", label, lab)
            span = lambda lc, vc: (t.columns[0].width if lc == "A" else  # noqa: E731
                                   sum(t.columns[i].width for i in range(ord(lc) - 65, ord(vc) - 65)))
            ws.set_row(row - 1, row_height(max(lines_needed(lb, span(lc, vc), 1.0) for _n, lb, r, lc, vc in
                                               L.AGENCY_HEADER_DATES if r == row)))
            v = c.header_dates.get(name)
            fmt = self.f(num_format="dd/mm/yyyy", bg_color="#FFFFF0", border=1, locked=False, align="left")
            if v:
                ws.write_datetime(f"{vcol}{row}", dt.datetime.combine(v, dt.time()), fmt)
            else:
                ws.write_blank(f"{vcol}{row}", None, fmt)
            self.wb.define_name(name, f"='{L.AGENCIES}'!${vcol}${row}")
            self.date_rule(ws, row - 1, ord(vcol) - 65)
        self.table(t, len(c.agencies))
        col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
        for i, (row_data, res) in enumerate(zip(c.agencies, self.r.agencies)):
            self.agency_row(ws, t, col, t.first_row + i, row_data, res)
        self.table_setup(ws, t, "SCR Overview", landscape=True)
        # Too wide to read on one page: the agency (repeated) and its returns, a group of columns a page.
        ws.set_v_pagebreaks(self.agency_breaks(t))
        self.protect(ws)

    def agency_breaks(self, t: L.Table) -> list[int]:
        """Page breaks before a return's group of columns wherever the next group would not fit."""
        room = pages.printable_width(True) / (pages.FALLBACK_SCALE / 100) - pages.column_points(t.columns[0].width)
        starts = [i for i, c in enumerate(t.columns) if c.key.endswith("_requested")] + [len(t.columns)]
        groups = [(0, starts[0])] + list(zip(starts, starts[1:]))
        breaks, used = [], 0.0
        for a, b in groups:
            need = sum(pages.column_points(c.width) for c in t.columns[a:b]) - (pages.column_points(t.columns[0].width) if a == 0 else 0)
            if used and used + need > room:
                breaks.append(t.first_col - 1 + a)
                used = 0.0
            used += need
        return breaks

    def agency_row(self, ws, t, col, row, data, res):
        r0 = row - 1
        for cc in t.columns:
            if cc.kind != L.INPUT:
                continue
            v = data.get(cc.key)
            fmt = self.f.cell(cc)
            if cc.key.endswith("_requested") and cc.key[:-len("_requested")] in ("chronology", "management_report", "action_plan"):
                if v == "default" or v is None and cc.key not in data:
                    item = cc.key[:-len("_requested")]
                    self.formula(ws, r0, t.col(cc.key) - 1, requested_formula(item), res.receipts[item].requested, fmt)
                    continue
            if isinstance(v, dt.date):
                ws.write_datetime(r0, t.col(cc.key) - 1, dt.datetime.combine(v, dt.time()), fmt)
            elif v not in (None, "", "default"):
                ws.write(r0, t.col(cc.key) - 1, v, fmt)
        computed = agency_formulas(self.r, self.ts, col, row, res)
        for key, text, cached in computed:
            cc = t.columns[t.col(key) - 1]
            self.formula(ws, r0, t.col(key) - 1, text, cached, self.f.cell(cc))
        self.fit(ws, t, r0, {**{k: v for k, v in data.items() if k in col}, **{k: v for k, _, v in computed}})

    def actions(self):
        ws, t, c = self.ws[L.ACTIONS], L.ACTIONS_TABLE, self.case
        self.title(ws, f"Action plan — {c.case_name}", "BRAG: Blue signed off, Green complete or on track, "
                   "Amber target close or update late, Red target passed or no update for two cycles.", 10)
        ws.write("A3", "As at", self.f(bold=True))
        # Over two columns: "Rec no" alone is too narrow for a date (it would print ###).
        ws.merge_range("B3:C3", "", self.f(num_format="dd/mm/yyyy", align="left"))
        ws.write_formula("B3", "=Today", self.f(num_format="dd/mm/yyyy", align="left"), to_serial(c.as_at))
        self.table(t, len(c.actions))
        col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
        for i, (data, res) in enumerate(zip(c.actions, self.r.actions)):
            row = t.first_row + i
            for cc in t.columns:
                if cc.kind != L.INPUT:
                    continue
                v = data.get(cc.key)
                if cc.key == "status":
                    v = status_cell(v)  # the sheet holds only the drop-down words its formulas know
                if isinstance(v, dt.date):
                    ws.write_datetime(row - 1, t.col(cc.key) - 1, dt.datetime.combine(v, dt.time()), self.f.cell(cc))
                elif v not in (None, ""):
                    ws.write(row - 1, t.col(cc.key) - 1, v, self.f.cell(cc))
            self.fit(ws, t, row - 1, {**{k: v for k, v in data.items() if k in col}, "rag_reason": res.reason})
            for key, text, cached in action_formulas(col, row, res):
                cc = t.columns[t.col(key) - 1]
                if text is None:
                    ws.write(row - 1, t.col(key) - 1, cached, self.f.cell(cc))
                else:
                    self.formula(ws, row - 1, t.col(key) - 1, text, cached, self.f.cell(cc))
        self.table_setup(ws, t, "Action plan")
        self.protect(ws)

    def log_sheet(self, sheet, t, title, sub):
        ws = self.ws[sheet]
        self.title(ws, title, sub, 6)
        self.table(t, 0)
        self.table_setup(ws, t, title)
        self.protect(ws)  # a record, not a form: the tracker appends, people read

    def front(self):
        ws, t, c, r = self.ws[L.FRONT], L.FRONT_TABLE, self.case, self.r
        self.plain_above_table(ws)
        ws.merge_range("A1:F1", "SERIOUS CASE REVIEW FILE FRONT SHEET", self.f(bold=True, font_size=14, align="center"))
        ws.merge_range("A2:F2", r.profile.board or r.profile.name, self.f(align="center", italic=True))
        bold = self.f(bold=True, border=1, locked=True)
        ws.write("A3", "Name of case", bold)
        ws.merge_range("B3:D3", "", self.f(border=1))
        ws.write_formula("B3", "=CaseName", self.f(border=1, bold=True), c.case_name)
        ws.write("E3", "As at", bold)
        ws.write_formula("F3", "=Today", self.f(num_format="dd/mm/yyyy", border=1, align="left"), to_serial(c.as_at))
        ws.write("A4", "Day 0", bold)
        ws.merge_range("B4:D4", "", self.f(border=1))
        ws.write_formula("B4", "=Day0", self.f(num_format="dd/mm/yyyy", border=1, align="left"), to_serial(c.day0))
        ws.write("E4", "Profile", bold)
        ws.write("F4", r.profile.id, self.f(border=1, text_wrap=True))
        for i, (key, label) in enumerate(PEOPLE):
            row = 5 + i
            ws.write(row - 1, 0, label, self.f(bold=True, border=1, locked=True, text_wrap=True))
            ws.merge_range(row - 1, 1, row - 1, 5, c.people.get(key, ""),
                           self.f(border=1, bg_color="#FFFFF0", locked=False, text_wrap=True))
            self.wb.define_name("Front_" + key, f"='{L.FRONT}'!$B${row}")
        self.table(t, len(EVENTS))
        col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
        for i, ((section, key, label), (_, planned, status)) in enumerate(zip(EVENTS, r.front)):
            row = t.first_row + i
            ws.write(row - 1, 0, section, self.f.cell(t.columns[0]))
            ws.write(row - 1, 1, label, self.f.cell(t.columns[1]))
            self.fit(ws, t, row - 1, {"section": section, "event": label, "status": status})
            actual = c.front_actuals.get(key)
            acc = t.columns[t.col("actual") - 1]
            if isinstance(actual, dt.date):
                ws.write_datetime(row - 1, t.col("actual") - 1, dt.datetime.combine(actual, dt.time()), self.f.cell(acc))
            elif actual:
                ws.write(row - 1, t.col("actual") - 1, actual, self.f.cell(acc))
            for k, text, cached in front_formulas(r, self.ts, col, row, key, planned, status):
                cc = t.columns[t.col(k) - 1]
                if text is None:
                    fmt = self.f.cell(L.Column(cc.key, cc.header, L.INPUT, cc.fmt))
                    if isinstance(cached, dt.date):
                        ws.write_datetime(row - 1, t.col(k) - 1, dt.datetime.combine(cached, dt.time()), fmt)
                    else:
                        ws.write_blank(row - 1, t.col(k) - 1, None, fmt)
                else:
                    self.formula(ws, row - 1, t.col(k) - 1, text, cached, self.f.cell(cc))
        ws.freeze_panes(0, 0)
        ws.set_row(L.FRONT_EVENTS_HEADER_ROW - 1, 28)
        ws.set_row(3, row_height(lines_needed(r.profile.id, t.columns[5].width, 1.0)))
        for i, (key, label) in enumerate(PEOPLE):
            span = sum(c.width for c in t.columns[1:6])
            ws.set_row(4 + i, row_height(max(lines_needed(c.people.get(key, ""), span), lines_needed(label, t.columns[0].width))))
        self.print_setup(ws, [c.width for c in t.columns], "File front sheet", landscape=False,
                         repeat_rows=t.header_row - 1)
        ws.print_area(0, 0, t.first_row - 1 + len(EVENTS) - 1, 5)
        self.protect(ws)

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
        self.settings()
        self.holidays()
        self.timescale()
        self.agencies()
        self.actions()
        self.log_sheet(L.UPDATES, L.UPDATES_TABLE, "Updates", "Every progress entry ever recorded, oldest first. Append-only.")
        self.log_sheet(L.AUDIT, L.AUDIT_TABLE, "Audit trail", "What was issued, received or shared, when, and by which command.")
        self.front()
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
