"""The Settings sheet: the case's own values, each a defined name the formulas use."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tracker import bankholidays
from tracker.excel_dates import DATE_FORMAT, to_serial
from workbook.case import layout as L
from workbook.xlsx.rows import lines_needed, row_height

if TYPE_CHECKING:
    from workbook.case.build import Builder

REVIEW_TEXT = ("Themes", "Briefing", "PublicationLink")


def write(b: Builder):
    ws, c = b.ws[L.SETTINGS], b.case
    b.title(ws, "Settings", "The case's settings; the formulas use these names.", 3)
    hdr = b.f(bold=True, bg_color="#D9E1F2", border=1)
    for i, h in enumerate(("Setting", "Value", "Notes")):
        ws.write(L.SETTINGS_HEADER_ROW - 1, i, h, hdr)
    values = {"CaseName": c.case_name, "Profile": c.profile_id, "Nation": c.nation, "LayoutVersion": L.LAYOUT_VERSION,
              "CaseId": c.case_id, "CaseKey": "",  # the key is in the key file (workbook.case.keys)
              **{k: c.setting(k) for k in c.settings}}
    for i, (key, label, default, note) in enumerate(L.SETTINGS_ROWS):
        row = L.SETTINGS_FIRST_ROW - 1 + i
        ws.write(row, 0, label, b.f(bold=True, border=1, locked=True))
        ws.write(row, 2, note, b.f(italic=True, font_color="#595959", text_wrap=True, locked=True))
        inp = b.f(bg_color="#FFFFF0", border=1, locked=key in ("LayoutVersion", "CaseId", "CaseKey"), align="left")
        if key == "Today":
            fmt = b.f(bg_color="#FFFFF0", border=1, locked=False, num_format=DATE_FORMAT, align="left")
            if c.today:
                ws.write_datetime(row, 1, dt.datetime.combine(c.today, dt.time()), fmt)
            else:
                ws.write_formula(row, 1, "=TODAY()", fmt, to_serial(c.as_at))
            b.date_rule(ws, row, 1)
        elif key == "Published":
            fmt = b.f(bg_color="#FFFFF0", border=1, locked=False, num_format=DATE_FORMAT, align="left")
            published = c.review.get("Published")
            if published:
                ws.write_datetime(row, 1, dt.datetime.combine(published, dt.time()), fmt)
            else:
                ws.write_blank(row, 1, None, fmt)
            b.date_rule(ws, row, 1)
        elif key in REVIEW_TEXT:  # typed by the board manager, wrapped to show whole
            ws.write(row, 1, str(c.review.get(key, "")), b.f(bg_color="#FFFFF0", border=1, locked=False,
                                                            text_wrap=True, align="left"))
        else:
            v = values.get(key, default)
            ws.write(row, 1, v, inp)
        b.wb.define_name(key, f"={L.settings_cell(key)}")
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
    b.print_setup(ws, widths, "Settings", one_page=True)
    b.protect(ws)
