"""Excel serial numbers and the dates people type.

Excel's 1900 date system counts 1 = 01/01/1900 and keeps Lotus 1-2-3's phantom 29/02/1900
as serial 60, so real dates from 01/03/1900 are ``1899-12-30 + serial``. Inside the
calculations we keep that uniform epoch for every serial, because Excel's weekday arithmetic
is uniform in serials too (WEEKDAY(1) is a Sunday in Excel).
"""
from __future__ import annotations

import datetime as dt
import numbers
import re

from tracker.errors import ScrError

EPOCH = dt.date(1899, 12, 30)
FIRST_REAL = 61  # 01/03/1900: the first serial where Excel and the calendar agree
MAX_SERIAL = 2958465  # 31/12/9999
DATE_FORMAT = "dd/mm/yyyy"  # the number format of every date a person reads; fmt() writes the same as text


def to_serial(d: dt.date | dt.datetime) -> int:
    """Excel serial of a date (time of day dropped)."""
    if isinstance(d, dt.datetime):
        d = d.date()
    if d >= dt.date(1900, 3, 1):
        return (d - EPOCH).days
    if d >= dt.date(1900, 1, 1):
        return (d - EPOCH).days - 1
    raise ScrError(f"{fmt(d)} is before 01/01/1900, the first date Excel can hold.")


def from_serial(serial: float) -> dt.date:
    """Date for an Excel serial; fractions (times of day) are dropped as Excel's INT does."""
    s = int(serial // 1)
    if s >= FIRST_REAL:
        if s > MAX_SERIAL:
            raise ScrError(f"{serial} is after 31/12/9999, the last date Excel can hold.")
        return EPOCH + dt.timedelta(days=s)
    if s == 60:
        raise ScrError("Serial 60 is Excel's 29/02/1900, a day that never existed.",
                       fix="Use a date from 01/03/1900 onwards.")
    if s >= 1:
        return dt.date(1899, 12, 31) + dt.timedelta(days=s)
    raise ScrError(f"{serial} is not a date: Excel dates are serial numbers from 1.")


def fmt(d: dt.date | None) -> str:
    """dd/mm/yyyy, the way every date is shown to a person."""
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\s*$")


def _two_digit_year(y: int) -> int:
    # Excel's own pivot: 00-29 are 2000s, 30-99 are 1900s.
    return 2000 + y if y < 30 else 1900 + y


def parse_date(value, *, what: str = "date", **where) -> dt.date | None:
    """A date from whatever a cell or a command line holds; None for a blank.

    Accepts date/datetime objects, Excel serial numbers, dd/mm/yyyy (also dd.mm.yy, dd-mm-yyyy)
    and ISO yyyy-mm-dd. Anything else raises ScrError saying what was found and the form expected;
    ``where`` (file, sheet, row, column) is passed on to the error.
    """
    if value is None or (hasattr(value, "to_pydatetime") and value != value):  # blank, or pandas NaT
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp, without importing pandas here
        if value != value:  # NaT
            return None
        return value.to_pydatetime().date()
    if isinstance(value, bool):
        raise ScrError(f"{what} holds TRUE/FALSE, not a date.", fix="Enter a date as dd/mm/yyyy.", **where)
    if isinstance(value, numbers.Real):  # also numpy numbers, as pandas hands them out
        if value != value:  # NaN: a blank cell through pandas
            return None
        try:
            return from_serial(value)
        except ScrError as e:
            raise ScrError(f"{what}: {e.message}", fix=e.fix or "Enter a date as dd/mm/yyyy.", **where) from None
    text = str(value).strip()
    if not text:
        return None
    m = _DMY.match(text)
    if m:
        d, mth, y = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            y = _two_digit_year(y)
        try:
            return dt.date(y, mth, d)
        except ValueError:
            hint = ""
            if mth > 12 and d <= 12:
                hint = " It looks like a US-style month/day date."
            raise ScrError(f"{what} '{text}' is not a real date.{hint}",
                           fix="Enter the date as dd/mm/yyyy, day first.", **where) from None
    m = _ISO.match(text)
    if m:
        y, mth, d = (int(g) for g in m.groups())
        try:
            return dt.date(y, mth, d)
        except ValueError:
            raise ScrError(f"{what} '{text}' is not a real date.", fix="Enter the date as dd/mm/yyyy.", **where) from None
    raise ScrError(f"{what} '{text[:40]}' is not a date.", fix="Enter the date as dd/mm/yyyy.", **where)
