"""The File front sheet: the people, and each event planned against actual (seed 001 p.57)."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from tracker.board import load_board
from tracker.excel_dates import DATE_FORMAT, to_serial
from tracker.frontsheet import people_for
from tracker.record import front_lines
from workbook.case import layout as L
from workbook.case.cells import front_record_rows
from workbook.case.row_formulas import front_formulas
from workbook.xlsx.rows import lines_needed, row_height

if TYPE_CHECKING:
    from workbook.case.build import Builder


def write(b: Builder):
    ws, t, c, r = b.ws[L.FRONT], L.FRONT_TABLE, b.case, b.r
    b.plain_above_table(ws)
    # Rotherham's p.57 sheet keeps its own title; a review of any other kind is not called an SCR
    title = ("SERIOUS CASE REVIEW FILE FRONT SHEET" if r.profile.review_type == "Serious Case Review"
             else "CASE REVIEW FILE FRONT SHEET")
    ws.merge_range("A1:F1", title, b.f(bold=True, font_size=14, align="center"))
    # the board's own name (its settings file) over the profile's generic one (issue 9)
    ws.merge_range("A2:F2", load_board().board or r.profile.board or r.profile.name, b.f(align="center", italic=True))
    bold = b.f(bold=True, border=1, locked=True)
    ws.write("A3", "Name of case", bold)
    ws.merge_range("B3:D3", "", b.f(border=1))
    ws.write_formula("B3", "=CaseName", b.f(border=1, bold=True), c.case_name)
    ws.write("E3", "As at", bold)
    ws.write_formula("F3", "=Today", b.f(num_format=DATE_FORMAT, border=1, align="left"), to_serial(c.as_at))
    ws.write("A4", "Day 0", bold)
    ws.merge_range("B4:D4", "", b.f(border=1))
    ws.write_formula("B4", "=Day0", b.f(num_format=DATE_FORMAT, border=1, align="left"), to_serial(c.day0))
    ws.write("E4", "Profile", bold)
    ws.write("F4", r.profile.id, b.f(border=1, text_wrap=True))
    for i, (key, label) in enumerate(people_for(r.profile)):
        row = 5 + i
        ws.write(row - 1, 0, label, b.f(bold=True, border=1, locked=True, text_wrap=True))
        ws.merge_range(row - 1, 1, row - 1, 5, c.people.get(key, ""),
                       b.f(border=1, bg_color="#FFFFF0", locked=False, text_wrap=True))
        b.wb.define_name("Front_" + key, f"='{L.FRONT}'!$B${row}")
    events = r.front_events
    b.table(t, len(events))
    col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
    for i, (ev, (_, planned, status)) in enumerate(zip(events, r.front)):
        row, section, key, label = t.first_row + i, ev.section, ev.key, ev.label
        ws.write(row - 1, 0, section, b.f.cell(t.columns[0]))
        ws.write(row - 1, 1, label, b.f.cell(t.columns[1]))
        b.fit(ws, t, row - 1, {"section": section, "event": label, "status": status})
        actual = None if ev.follows else c.front_actuals.get(key)  # a followed Actual is a formula (below)
        acc = t.columns[t.col("actual") - 1]
        if isinstance(actual, dt.date):
            ws.write_datetime(row - 1, t.col("actual") - 1, dt.datetime.combine(actual, dt.time()), b.f.cell(acc))
        elif actual:
            ws.write(row - 1, t.col("actual") - 1, actual, b.f.cell(acc))
        for k, text, cached in front_formulas(r, b.ts, col, row, ev, planned, status):
            cc = t.columns[t.col(k) - 1]
            if text is None:
                fmt = b.f.cell(L.Column(cc.key, cc.header, L.INPUT, cc.fmt))
                if isinstance(cached, dt.date):
                    ws.write_datetime(row - 1, t.col(k) - 1, dt.datetime.combine(cached, dt.time()), fmt)
                else:
                    ws.write_blank(row - 1, t.col(k) - 1, None, fmt)
            else:  # a formula in the Actual column is shaded as computed, not as a cell to type in
                b.formula(ws, row - 1, t.col(k) - 1, text, cached, b.f.cell(L.Column(cc.key, cc.header, L.FORMULA, cc.fmt)))
    ws.freeze_panes(0, 0)
    ws.set_row(L.FRONT_EVENTS_HEADER_ROW - 1, 28)
    ws.set_row(3, row_height(lines_needed(r.profile.id, t.columns[5].width, 1.0)))
    for i, (key, label) in enumerate(people_for(r.profile)):
        span = sum(c.width for c in t.columns[1:6])
        ws.set_row(4 + i, row_height(max(lines_needed(c.people.get(key, ""), span), lines_needed(label, t.columns[0].width))))
    b.print_setup(ws, [c.width for c in t.columns], "File front sheet", landscape=False,
                  repeat_rows=t.header_row - 1)
    # the latest decision and every extension agreed (the Record sheet), under the events
    last = t.first_row - 1 + len(events)  # the last event's sheet row
    span = sum(cc.width for cc in t.columns)
    for line, text in zip(front_record_rows(last), front_lines(c.record)):
        ws.merge_range(line - 1, 0, line - 1, 5, text, b.f(text_wrap=True, valign="top"))
        ws.set_row(line - 1, row_height(max(2, lines_needed(text, span))))
    ws.print_area(0, 0, front_record_rows(last)[1] - 1, 5)
    b.protect(ws)
