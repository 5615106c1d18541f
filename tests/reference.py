"""A plain, one-date-at-a-time reference for Excel's WORKDAY.INTL, NETWORKDAYS.INTL, EDATE, EOMONTH.

Written straight from Microsoft's documentation of the functions, on purpose without numpy and
without anything from ``tracker``: it is the independent answer the tests compare the
vectorised ``tracker.excelfns`` against. Speed is not a goal; being obviously right is.

Serials are Excel 1900-system serial numbers. Excel's weekday arithmetic is uniform in serials
(serial 1 is a Sunday, which is why it believes in 29/02/1900), so the day of the week of any
serial is the weekday of ``30/12/1899 + serial days`` in the real calendar.

What the documentation says, and where it is used below:

* ``start_date`` is "truncated to integer"; "days ... is truncated to an integer"; "months ...
  if not an integer, is truncated" (toward zero: -1.9 -> -1).
* WORKDAY: "A positive value yields a future date; a negative value yields a past date; a zero
  value yields the already specified start_date" - even when that start is a weekend or a
  holiday. The start itself is never counted: ``days`` working days are counted strictly after
  (or strictly before) the start.
* "The ordering of dates or serial values in holidays can be arbitrary"; a holiday listed twice
  or falling on a weekend day just isn't a working day (no double counting).
* NETWORKDAYS counts both ends; "If start_date is later than end_date, the return value will be
  negative, and the magnitude will be the number of whole workdays."
* Weekend numbers 1-7 and 11-17 (the table below); anything else is ``#NUM!``. The pages don't
  say what a fractional number does; Excel truncates it (WORKDAY.INTL(DATE(2025,1,10),10,1.01)
  is 24/01/2025, from the Excel-made test file of IronCalc issue #629), and so does this. Weekend strings
  are seven ``0``/``1`` characters, Monday first, ``1`` = non-workday; a wrong length or
  character is ``#VALUE!``. For WORKDAY.INTL "1111111 is an invalid string" (``#VALUE!``); for
  NETWORKDAYS.INTL "Using 1111111 will always return 0".
* A start date, holiday or result outside the date system is ``#NUM!``.

EDATE/EOMONTH before 01/03/1900: Excel's phantom 29/02/1900 makes month arithmetic there
unlike any calendar, and ``tracker.excelfns`` deliberately refuses it (``#NUM!``); this
reference only claims to know month arithmetic from serial 61 (01/03/1900) on and says
``#NUM!`` below it, matching that documented restriction.

Errors are returned as the strings Excel shows (``"#NUM!"``, ``"#VALUE!"``), answers as ints;
a blank (None or NaN) argument gives None.
"""
from __future__ import annotations

import bisect
import datetime as dt
import math

from dateutil.relativedelta import relativedelta

EPOCH = dt.date(1899, 12, 30)  # serial 0 on the uniform axis
MAX_SERIAL = 2958465  # 31/12/9999
FIRST_MONTH_SERIAL = 61  # 01/03/1900: first serial this reference does month arithmetic for

NUM = "#NUM!"
VALUE = "#VALUE!"

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)  # Python's date.weekday()

# Microsoft's table of weekend numbers, day names turned into date.weekday() numbers.
WEEKEND_NUMBERS = {
    1: {SAT, SUN},
    2: {SUN, MON},
    3: {MON, TUE},
    4: {TUE, WED},
    5: {WED, THU},
    6: {THU, FRI},
    7: {FRI, SAT},
    11: {SUN},
    12: {MON},
    13: {TUE},
    14: {WED},
    15: {THU},
    16: {FRI},
    17: {SAT},
}


def is_blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def weekday(serial: int) -> int:
    """Monday=0 .. Sunday=6 of an Excel serial (uniform axis, so serial 1 is a Sunday)."""
    return (EPOCH + dt.timedelta(days=serial)).weekday()


def weekend_days(weekend=1):
    """The weekday numbers that are weekend days, or "#NUM!"/"#VALUE!"."""
    if is_blank(weekend):
        weekend = 1
    if isinstance(weekend, str):
        if len(weekend) != 7 or any(c not in "01" for c in weekend):
            return VALUE
        return {day for day, c in enumerate(weekend) if c == "1"}
    code = int(weekend)  # a fractional number is truncated, as Excel does (1.01 and 1.9999 are 1)
    if code not in WEEKEND_NUMBERS:
        return NUM
    return set(WEEKEND_NUMBERS[code])


def valid_serial(x) -> bool:
    return 0 <= x < MAX_SERIAL + 1


def _cells(values):
    """The cells of a holiday range in any shape (a list, a list of rows, an array), flattened."""
    if values is None:
        return []
    if hasattr(values, "tolist"):  # an array-like from a test; the reference itself uses lists
        values = values.tolist()
    if isinstance(values, (list, tuple, set, frozenset)):
        return [c for v in values for c in _cells(v)]
    return [values]


def holiday_set(holidays):
    """Whole-day serials of the holidays (any order, repeats allowed, blanks skipped), or "#NUM!"."""
    days = set()
    for h in _cells(holidays):
        if is_blank(h):
            continue
        if not valid_serial(h):
            return NUM
        days.add(int(h))  # truncated to a whole day
    return days


def _calendar(weekend, holidays):
    wk = weekend_days(weekend)
    if isinstance(wk, str):
        return wk
    hol = holiday_set(holidays)
    if isinstance(hol, str):
        return hol
    return wk, hol


def is_working(serial: int, weekend: set, holidays: set) -> bool:
    return weekday(serial) not in weekend and serial not in holidays


def workday_intl(start, days, weekend=1, holidays=()):
    """Excel's WORKDAY.INTL for one start date, walking one day at a time."""
    cal = _calendar(weekend, holidays)
    if isinstance(cal, str):
        return cal
    wk, hol = cal
    if len(wk) == 7:
        return VALUE  # "1111111 is an invalid string"
    if is_blank(start) or is_blank(days):
        return None
    if not valid_serial(start):
        return NUM
    day = int(start)  # truncated to integer
    remaining = abs(int(days))  # truncated toward zero
    step = 1 if days > 0 else -1
    while remaining:
        day += step
        if not valid_serial(day):
            return NUM
        if is_working(day, wk, hol):
            remaining -= 1
    return day


def workday(start, days, holidays=()):
    return workday_intl(start, days, 1, holidays)


def networkdays_intl(start, end, weekend=1, holidays=()):
    """Excel's NETWORKDAYS.INTL: working days from start to end, both counted; negative backwards."""
    cal = _calendar(weekend, holidays)
    if isinstance(cal, str):
        return cal
    wk, hol = cal
    if is_blank(start) or is_blank(end):
        return None
    if not valid_serial(start) or not valid_serial(end):
        return NUM
    if len(wk) == 7:
        return 0  # "Using 1111111 will always return 0"
    s, e = int(start), int(end)
    lo, hi = min(s, e), max(s, e)
    count = sum(1 for d in range(lo, hi + 1) if is_working(d, wk, hol))
    return count if s <= e else -count


def networkdays(start, end, holidays=()):
    return networkdays_intl(start, end, 1, holidays)


def _to_date(serial: int) -> dt.date:
    return EPOCH + dt.timedelta(days=serial)


def _to_serial(d: dt.date) -> int:
    return (d - EPOCH).days


def _month_result(start, months, end_of_month: bool):
    if is_blank(start) or is_blank(months):
        return None
    if not valid_serial(start) or int(start) < FIRST_MONTH_SERIAL:
        return NUM
    d = _to_date(int(start))
    try:
        if end_of_month:
            r = d + relativedelta(months=int(months), day=31)  # day=31 clamps to the month's last day
        else:
            r = d + relativedelta(months=int(months))  # 31/01 + 1 month = last day of February
    except (ValueError, OverflowError):  # before year 1 or after year 9999
        return NUM
    serial = _to_serial(r)
    if serial < FIRST_MONTH_SERIAL or serial > MAX_SERIAL:
        return NUM
    return serial


def edate(start, months):
    return _month_result(start, months, end_of_month=False)


def eomonth(start, months):
    return _month_result(start, months, end_of_month=True)


class WorkdayTable:
    """The same answers as workday_intl / networkdays_intl, for many dates on one calendar.

    It lists the working days of serials lo..hi once (with the same is_working as above, one day
    at a time, in plain Python lists), then answers each question by counting positions in that
    list: WORKDAY(s, n>0) is the n-th working day after s, WORKDAY(s, n<0) the |n|-th before.
    A question whose answer lies beyond the list raises LookupError, unless the list reaches
    the end of the date system on that side, where the answer is "#NUM!".
    """

    def __init__(self, weekend=1, holidays=(), lo: int = 0, hi: int = MAX_SERIAL):
        cal = _calendar(weekend, holidays)
        if isinstance(cal, str):
            raise ValueError(f"calendar is {cal}")
        wk, hol = cal
        if len(wk) == 7:
            raise ValueError("no working day")
        self.weekend, self.holidays = wk, hol
        self.lo, self.hi = max(lo, 0), min(hi, MAX_SERIAL)
        first = weekday(self.lo)
        self.days = [
            d for i, d in enumerate(range(self.lo, self.hi + 1))
            if (first + i) % 7 not in wk and d not in hol
        ]

    def _check(self, serial: int) -> None:
        if not self.lo <= serial <= self.hi:
            raise LookupError(f"serial {serial} is outside the table {self.lo}..{self.hi}")

    def workday(self, start, days):
        if is_blank(start) or is_blank(days):
            return None
        if not valid_serial(start):
            return NUM
        s, n = int(start), int(days)
        if n == 0:
            return s
        self._check(s)
        if n > 0:
            i = bisect.bisect_right(self.days, s) + n - 1  # working days <= s come first
            if i >= len(self.days):
                if self.hi == MAX_SERIAL:
                    return NUM
                raise LookupError(f"WORKDAY({s}, {n}) is beyond the table")
        else:
            i = bisect.bisect_left(self.days, s) + n  # working days < s come first
            if i < 0:
                if self.lo == 0:
                    return NUM
                raise LookupError(f"WORKDAY({s}, {n}) is before the table")
        return self.days[i]

    def networkdays(self, start, end):
        if is_blank(start) or is_blank(end):
            return None
        if not valid_serial(start) or not valid_serial(end):
            return NUM
        s, e = int(start), int(end)
        self._check(s)
        self._check(e)
        lo, hi = min(s, e), max(s, e)
        count = bisect.bisect_right(self.days, hi) - bisect.bisect_left(self.days, lo)
        return count if s <= e else -count
