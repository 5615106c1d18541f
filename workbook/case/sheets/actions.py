"""The Action plan sheet: one row per action with its BRAG rating."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from tracker.case import status_cell
from tracker.excel_dates import DATE_FORMAT, to_serial
from workbook.case import layout as L
from workbook.case.row_formulas import action_formulas

if TYPE_CHECKING:
    from workbook.case.build import Builder


def write(b: Builder):
    ws, t, c = b.ws[L.ACTIONS], L.ACTIONS_TABLE, b.case
    b.title(ws, f"action plan — {c.case_name}", "BRAG: Blue signed off, Green complete or on track, "
            "Amber target close or update late, Red target passed or no update for two cycles.", 10, short="SCR")
    ws.write("A3", "As at", b.f(bold=True))
    # Over two columns: "Rec no" alone is too narrow for a date (it would print ###).
    ws.merge_range("B3:C3", "", b.f(num_format=DATE_FORMAT, align="left"))
    ws.write_formula("B3", "=Today", b.f(num_format=DATE_FORMAT, align="left"), to_serial(c.as_at))
    b.table(t, len(c.actions))
    col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
    for i, (data, res) in enumerate(zip(c.actions, b.r.actions)):
        row = t.first_row + i
        for cc in t.columns:
            if cc.kind != L.INPUT:
                continue
            v = data.get(cc.key)
            if cc.key == "status":
                v = status_cell(v)  # the sheet holds only the drop-down words its formulas know
            if isinstance(v, dt.date):
                ws.write_datetime(row - 1, t.col(cc.key) - 1, dt.datetime.combine(v, dt.time()), b.f.cell(cc))
            elif v not in (None, ""):
                ws.write(row - 1, t.col(cc.key) - 1, v, b.f.cell(cc))
        b.fit(ws, t, row - 1, {**{k: v for k, v in data.items() if k in col}, "rag_reason": res.reason})
        for key, text, cached in action_formulas(col, row, res):
            cc = t.columns[t.col(key) - 1]
            if text is None:
                ws.write(row - 1, t.col(key) - 1, cached, b.f.cell(cc))
            else:
                b.formula(ws, row - 1, t.col(key) - 1, text, cached, b.f.cell(cc))
    b.table_setup(ws, t, "Action plan")
    b.protect(ws)
