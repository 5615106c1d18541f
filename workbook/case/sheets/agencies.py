"""The SCR Overview sheet: one row per agency and what it has returned."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from tracker.excel_dates import DATE_FORMAT
from workbook.case import layout as L
from workbook.case.row_formulas import agency_formulas, requested_formula
from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height

if TYPE_CHECKING:
    from workbook.case.build import Builder


def write(b: Builder):
    ws, t, c = b.ws[L.AGENCIES], L.AGENCIES_TABLE, b.case
    # Column A prints again on every page (the agency), so what is above the table in A must make
    # sense alone: a short title, the labels wrapped within A, the rest from column B on.
    b.plain_above_table(ws)
    big = b.f(bold=True, font_size=14, locked=True)
    ws.write("A1", "SCR Overview", big)
    ws.merge_range(0, 1, 0, 11, f"agency returns — {c.case_name}", big)
    ws.merge_range(1, 1, 1, 11, "One row per agency. Status words come from SCR_RECEIPT; chase anything "
                   "'overdue'.", b.f(italic=True, font_color="#595959"))
    for name, label, row, lcol, vcol in L.AGENCY_HEADER_DATES:
        # Wrapped within its column, not cut off by the date beside it (nor where column A repeats).
        lab = b.f(bold=True, text_wrap=True)
        if lcol == "A":
            ws.write(f"{lcol}{row}", label, lab)
        else:
            ws.merge_range(f"{lcol}{row}:{chr(ord(vcol) - 1)}{row}", label, lab)
        span = lambda lc, vc: (t.columns[0].width if lc == "A" else  # noqa: E731
                               sum(t.columns[i].width for i in range(ord(lc) - 65, ord(vc) - 65)))
        ws.set_row(row - 1, row_height(max(lines_needed(lb, span(lc, vc), 1.0) for _n, lb, r, lc, vc in
                                           L.AGENCY_HEADER_DATES if r == row)))
        v = c.header_dates.get(name)
        fmt = b.f(num_format=DATE_FORMAT, bg_color="#FFFFF0", border=1, locked=False, align="left")
        if v:
            ws.write_datetime(f"{vcol}{row}", dt.datetime.combine(v, dt.time()), fmt)
        else:
            ws.write_blank(f"{vcol}{row}", None, fmt)
        b.wb.define_name(name, f"='{L.AGENCIES}'!${vcol}${row}")
        b.date_rule(ws, row - 1, ord(vcol) - 65)
    b.table(t, len(c.agencies))
    col = {cc.key: xl_col_to_name(t.col(cc.key) - 1) for cc in t.columns}
    for i, (row_data, res) in enumerate(zip(c.agencies, b.r.agencies)):
        _row(b, ws, t, col, t.first_row + i, row_data, res)
    b.table_setup(ws, t, "SCR Overview", landscape=True)
    # Too wide to read on one page: the agency (repeated) and its returns, a group of columns a page.
    ws.set_v_pagebreaks(_page_breaks(b, t))
    b.protect(ws)


def _page_breaks(b: Builder, t: L.Table) -> list[int]:
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


def _row(b: Builder, ws, t, col, row, data, res):
    r0 = row - 1
    for cc in t.columns:
        if cc.kind != L.INPUT:
            continue
        v = data.get(cc.key)
        fmt = b.f.cell(cc)
        if cc.key.endswith("_requested") and cc.key[:-len("_requested")] in ("chronology", "management_report", "action_plan"):
            if v == "default" or v is None and cc.key not in data:
                item = cc.key[:-len("_requested")]
                b.formula(ws, r0, t.col(cc.key) - 1, requested_formula(item), res.receipts[item].requested, fmt)
                continue
        if isinstance(v, dt.date):
            ws.write_datetime(r0, t.col(cc.key) - 1, dt.datetime.combine(v, dt.time()), fmt)
        elif v not in (None, "", "default"):
            ws.write(r0, t.col(cc.key) - 1, v, fmt)
    computed = agency_formulas(b.r, b.ts, col, row, res)
    for key, text, cached in computed:
        cc = t.columns[t.col(key) - 1]
        b.formula(ws, r0, t.col(key) - 1, text, cached, b.f.cell(cc))
    b.fit(ws, t, r0, {**{k: v for k, v in data.items() if k in col}, **{k: v for k, _, v in computed}})
