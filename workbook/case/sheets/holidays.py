"""The Non-working days sheet: bank holidays and the board's closure days the working-day formulas skip."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from tracker import bankholidays
from tracker.calendar import FIRST_YEAR, LAST_YEAR
from tracker.words import BANK_HOLIDAY, CLOSURE_DAY
from workbook.case import layout as L

if TYPE_CHECKING:
    from workbook.case.build import Builder

HOLIDAY_YEARS = (FIRST_YEAR, LAST_YEAR)  # the same years the Python calendar knows


def provisional_from(nation: str) -> int:
    """The first year whose bank holidays GOV.UK has not yet published (bankholidays.is_provisional)."""
    return bankholidays.govuk_years(bankholidays.canonical_nation(nation))[1] + 1


def write(b: Builder):
    ws, t = b.ws[L.HOLIDAYS], L.HOLIDAYS_TABLE
    b.title(ws, "Non-working days", "Bank holidays (GOV.UK) and the board's own closure days. "
            "Add closure days as new rows; the working-day formulas skip every date in column A.", 4)
    rows = [(h.date, h.title, BANK_HOLIDAY, "provisional: not yet confirmed by GOV.UK" if h.provisional else "")
            for h in bankholidays.bank_holidays(b.case.nation, *HOLIDAY_YEARS)]
    rows += [(d, "Board closure day", CLOSURE_DAY, "") for d in b.case.closures]
    # In date order, so the case's own years are one run of rows: the print area below.
    rows.sort(key=lambda row: row[0])
    b.table(t, len(rows))
    for i, row in enumerate(rows):
        r = t.first_row - 1 + i
        for j, v in enumerate(row):
            col = t.columns[j]
            if isinstance(v, dt.date):
                b.ws[L.HOLIDAYS].write_datetime(r, j, dt.datetime.combine(v, dt.time()), b.f.cell(col))
            else:
                b.ws[L.HOLIDAYS].write(r, j, v, b.f.cell(col))
    first = t.first_row
    b.wb.define_name("Holidays", f"='{L.HOLIDAYS}'!$A${first}:$A${first + L.HOLIDAY_ROWS}")
    kind = xl_col_to_name(t.col("kind") - 1)
    b.wb.define_name("HolidayKinds", f"='{L.HOLIDAYS}'!${kind}${first}:${kind}${first + L.HOLIDAY_ROWS}")
    # Bank holidays of this year and later are not yet confirmed by GOV.UK: the Flags' native twin
    # says "provisional" by this year, as the Python calendar does (bankholidays.is_provisional).
    b.wb.define_name("ProvisionalFrom", f"={provisional_from(b.case.nation)}")
    # Printing all 80 years would bury the case's own; print the years around Day 0.
    years = range(b.case.day0.year - 1, b.case.day0.year + 4)
    near = [i for i, row in enumerate(rows) if row[0].year in years]
    ws = b.ws[L.HOLIDAYS]
    if near:
        ws.print_area(first - 1 + near[0], 0, first - 1 + near[-1], len(t.columns) - 1)
    b.table_setup(ws, t, "Non-working days")
