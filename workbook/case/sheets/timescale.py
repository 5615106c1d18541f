"""The Timescale sheet: Day 0 and one row per milestone of the profile, planned against actual."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from tracker.excel_dates import DATE_FORMAT, to_serial
from workbook.case import layout as L
from workbook.case.row_formulas import timescale_formulas
from workbook.xlsx.rows import lines_needed, row_height

if TYPE_CHECKING:
    from workbook.case.build import Builder


def write(b: Builder):
    ws, t, r, c = b.ws[L.TIMESCALE], L.TIMESCALE_TABLE, b.r, b.case
    b.title(ws, f"timescale — {c.case_name}", r.profile.name, 10, short="SCR")
    bold = b.f(bold=True)
    ws.write("A3", "Day 0", bold)
    ws.write_datetime("C3", dt.datetime.combine(c.day0, dt.time()),
                      b.f(num_format=DATE_FORMAT, bold=True, bg_color="#FFFFF0", border=2, locked=False, align="left"))
    ws.write("D3", r.profile.day0_label, b.f(italic=True))
    ws.write("A4", "As at", bold)
    ws.write_formula("C4", "=Today", b.f(num_format=DATE_FORMAT, align="left"), to_serial(c.as_at))
    source = "Profile: " + r.profile.id + "   (source: " + r.profile.source + ")"
    # Wrapped within the first printed page's columns (D to I), not cut off at its edge.
    ws.merge_range("D4:I4", source, b.f(italic=True, font_color="#595959", text_wrap=True))
    ws.set_row(3, row_height(lines_needed(source, sum(cc.width for cc in t.columns[3:9]))))
    b.wb.define_name("Day0", f"='{L.TIMESCALE}'!{L.TS_DAY0_CELL}")
    b.date_rule(ws, 2, 2)
    n = len(r.profile.milestones)
    b.table(t, n)
    col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
    first, last = t.first_row, t.first_row + n - 1
    b.wb.define_name("Actuals", f"='{L.TIMESCALE}'!${col['actual']}${first}:${col['actual']}${last}")
    b.wb.define_name("Overrides", f"='{L.TIMESCALE}'!${col['override']}${first}:${col['override']}${last}")
    for p in r.plan.milestones:
        row = b.ts_rows[p.id]
        _row(b, ws, t, col, row, p)
    b.table_setup(ws, t, "Timescale")
    b.protect(ws)


def _row(b: Builder, ws, t, col, row, p):
    m = p.milestone
    r0 = row - 1
    f = lambda key: b.f.cell(t.columns[t.col(key) - 1])
    ws.write(r0, t.col("milestone") - 1, m.id, f("milestone"))
    ws.write(r0, t.col("label") - 1, m.label, f("label"))
    ws.write(r0, t.col("rule") - 1, m.rule_text(), f("rule"))
    ws.write(r0, t.col("responsible") - 1, m.responsible, f("responsible"))
    ws.write(r0, t.col("source") - 1, m.source, f("source"))
    for key, v in (("override", b.case.overrides.get(m.id)), ("actual", b.case.actuals.get(m.id))):
        if isinstance(v, dt.date):
            ws.write_datetime(r0, t.col(key) - 1, dt.datetime.combine(v, dt.time()), f(key))
        elif v:
            ws.write(r0, t.col(key) - 1, v, f(key))
    computed = timescale_formulas(b.r, b.ts, row, p)
    for key, text, cached in computed:
        b.formula(ws, r0, t.col(key) - 1, text, cached, f(key))
    b.fit(ws, t, r0, {"label": m.label, "rule": m.rule_text(), "responsible": m.responsible,
                      "source": m.source, **{k: v for k, _, v in computed}})
