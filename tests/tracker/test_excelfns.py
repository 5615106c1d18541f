"""tracker.excelfns against Microsoft's worked examples, the documented edge cases, and tests/reference.py.

Expected numbers come from the examples on Microsoft's support pages for each function (the
"Example" tables of WORKDAY, NETWORKDAYS, WORKDAY.INTL, NETWORKDAYS.INTL, EDATE, EOMONTH),
or are worked out by hand in the comment beside them. Every case is also put to the plain
reference (tests/reference.py), so the reference is checked against the documentation too.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

import reference as ref
from tracker import excelfns as xf
from tracker.errors import ExcelError

NAN = float("nan")
MAX = 2958465  # 31/12/9999


def S(y, m, d) -> int:
    """Serial of a date from 01/03/1900 on, worked out independently of tracker."""
    return (dt.date(y, m, d) - dt.date(1899, 12, 30)).days


def run(f, *args):
    """The tracker's answer, or the Excel error code it raised."""
    try:
        return f(*args)
    except ExcelError as e:
        return e.code


TRACKER = {
    "WORKDAY": xf.WORKDAY, "WORKDAY.INTL": xf.WORKDAY_INTL, "NETWORKDAYS": xf.NETWORKDAYS,
    "NETWORKDAYS.INTL": xf.NETWORKDAYS_INTL, "EDATE": xf.EDATE, "EOMONTH": xf.EOMONTH,
}
REFERENCE = {
    "WORKDAY": ref.workday, "WORKDAY.INTL": ref.workday_intl, "NETWORKDAYS": ref.networkdays,
    "NETWORKDAYS.INTL": ref.networkdays_intl, "EDATE": ref.edate, "EOMONTH": ref.eomonth,
}


def check(name, args, expected):
    got = run(TRACKER[name], *args)
    assert got == expected, f"tracker {name}{args} = {got!r}, expected {expected!r}"
    r = REFERENCE[name](*args)
    assert r == expected, f"reference {name}{args} = {r!r}, expected {expected!r}"


# ---- Microsoft's worked examples ----------------------------------------------------------

WD_HOLS = [S(2008, 11, 26), S(2008, 12, 4), S(2009, 1, 21)]
NWD_HOLS = [S(2012, 11, 22), S(2012, 12, 4), S(2013, 1, 21)]

MICROSOFT = [
    # WORKDAY: start 01/10/2008, 151 days -> 30/04/2009; with the three holidays -> 05/05/2009.
    ("WORKDAY", (S(2008, 10, 1), 151), S(2009, 4, 30)),
    ("WORKDAY", (S(2008, 10, 1), 151, WD_HOLS), S(2009, 5, 5)),
    # NETWORKDAYS: 01/10/2012 to 01/03/2013 -> 110; less 22/11/2012 -> 109; less all three -> 107.
    ("NETWORKDAYS", (S(2012, 10, 1), S(2013, 3, 1)), 110),
    ("NETWORKDAYS", (S(2012, 10, 1), S(2013, 3, 1), [S(2012, 11, 22)]), 109),
    ("NETWORKDAYS", (S(2012, 10, 1), S(2013, 3, 1), NWD_HOLS), 107),
    # WORKDAY.INTL: weekend 0 -> #NUM!; 90 days, Sunday-only weekend -> 41013 (14/04/2012);
    # 30 days, Saturday-only weekend -> 40944 (05/02/2012, shown as 2/05/2012 by TEXT()).
    ("WORKDAY.INTL", (S(2012, 1, 1), 30, 0), "#NUM!"),
    ("WORKDAY.INTL", (S(2012, 1, 1), 90, 11), 41013),
    ("WORKDAY.INTL", (S(2012, 1, 1), 30, 17), 40944),
    # NETWORKDAYS.INTL: January 2006 -> 22; 28/02/2006 back to 31/01/2006 -> -21;
    # 01/01-01/02/2006 with a Friday-Saturday weekend (7) and holidays 02/01 and 16/01 -> 22;
    # the same with "0010001" (Wednesday and Sunday off) -> 20.
    ("NETWORKDAYS.INTL", (S(2006, 1, 1), S(2006, 1, 31)), 22),
    ("NETWORKDAYS.INTL", (S(2006, 2, 28), S(2006, 1, 31)), -21),
    ("NETWORKDAYS.INTL", (S(2006, 1, 1), S(2006, 2, 1), 7, [S(2006, 1, 2), S(2006, 1, 16)]), 22),
    ("NETWORKDAYS.INTL", (S(2006, 1, 1), S(2006, 2, 1), "0010001", [S(2006, 1, 2), S(2006, 1, 16)]), 20),
    # EDATE from 15/01/2011: +1 -> 15/02/2011, -1 -> 15/12/2010, +2 -> 15/03/2011.
    ("EDATE", (S(2011, 1, 15), 1), S(2011, 2, 15)),
    ("EDATE", (S(2011, 1, 15), -1), S(2010, 12, 15)),
    ("EDATE", (S(2011, 1, 15), 2), S(2011, 3, 15)),
    # EOMONTH from 01/01/2011: +1 -> 28/02/2011, -3 -> 31/10/2010.
    ("EOMONTH", (S(2011, 1, 1), 1), S(2011, 2, 28)),
    ("EOMONTH", (S(2011, 1, 1), -3), S(2010, 10, 31)),
]


@pytest.mark.parametrize("name,args,expected", MICROSOFT, ids=[f"{n}{a}" for n, a, _ in MICROSOFT])
def test_microsoft_worked_examples(name, args, expected):
    check(name, args, expected)


def test_microsoft_serial_numbers_quoted_in_the_docs():
    # "January 1, 2008 is serial number 39448"; the WORKDAY.INTL example answers as serials.
    assert S(2008, 1, 1) == 39448
    assert S(2012, 4, 14) == 41013 and S(2012, 2, 5) == 40944


# ---- WORKDAY edge cases (2024-12: Fri 20, Sat 21, Sun 22, Mon 23 ... Fri 27, Sat 28) --------

FRI, SAT, SUN, MON = S(2024, 12, 20), S(2024, 12, 21), S(2024, 12, 22), S(2024, 12, 23)
XMAS = [S(2024, 12, 25), S(2024, 12, 26), S(2025, 1, 1)]

WORKDAY_CASES = [
    # days = 0 gives the start back, even on a weekend or a holiday.
    ((SAT, 0), SAT),
    ((SUN, 0), SUN),
    ((S(2024, 12, 25), 0, XMAS), S(2024, 12, 25)),
    # The start is never counted: from a weekend, +1 is Monday and -1 is Friday.
    ((SAT, 1), MON),
    ((SUN, 1), MON),
    ((SAT, -1), FRI),
    ((SUN, -1), FRI),
    ((FRI, 1), MON),
    ((MON, -1), FRI),
    ((FRI, 5), S(2024, 12, 27)),
    ((FRI, -5), S(2024, 12, 13)),
    # From a holiday: the holiday itself isn't counted either.
    ((S(2024, 12, 25), 1, XMAS), S(2024, 12, 27)),
    ((S(2024, 12, 25), -1, XMAS), S(2024, 12, 24)),
    ((S(2024, 12, 24), 3, XMAS), S(2024, 12, 31)),  # Fri 27, Mon 30, Tue 31
    ((S(2024, 12, 24), 4, XMAS), S(2025, 1, 2)),    # 01/01 skipped
    ((S(2025, 1, 2), -4, XMAS), S(2024, 12, 24)),
    # Truncation: start to the day, days toward zero.
    ((FRI + 0.99, 1.9), MON),
    ((MON + 0.5, -1.9), FRI),
    ((MON, 0.9), MON),
    ((MON, -0.9), MON),
    ((SAT + 0.3, 0.5), SAT),
    # Holidays in any order, repeated, on a weekend, or with a time of day: same answer.
    ((S(2024, 12, 24), 4, list(reversed(XMAS))), S(2025, 1, 2)),
    ((S(2024, 12, 24), 4, XMAS + XMAS + [SAT, S(2024, 12, 28)]), S(2025, 1, 2)),
    ((S(2024, 12, 24), 4, [h + 0.75 for h in XMAS]), S(2025, 1, 2)),
    ((S(2024, 12, 24), 4, [S(2024, 12, 25), NAN, S(2024, 12, 26), None, S(2025, 1, 1)]), S(2025, 1, 2)),
    ((S(2024, 12, 24), 4, np.array([[S(2024, 12, 25), S(2024, 12, 26)], [S(2025, 1, 1), S(2025, 1, 1)]])), S(2025, 1, 2)),
    # Leap days and month ends.
    ((S(2024, 2, 28), 1), S(2024, 2, 29)),
    ((S(2024, 3, 1), -1), S(2024, 2, 29)),
    ((S(2100, 2, 26), 1), S(2100, 3, 1)),   # 2100 is not a leap year (26/02/2100 is a Friday)
    ((S(2000, 2, 28), 1), S(2000, 2, 29)),  # 2000 is
    # Around 01/03/1900: Excel's serials are uniform, so serial 60 (its 29/02/1900) is a
    # Wednesday and a working day: WORKDAY(59, 1) = 60 and WORKDAY(61, -1) = 60.
    ((59, 1), 60),
    ((61, -1), 60),
    ((61, 0), 61),
    # The ends of the date system.
    ((MAX - 1, 1), MAX),   # 31/12/9999 is a Friday
    ((MAX, 1), "#NUM!"),
    ((MAX, 0), MAX),
    ((MAX, -1), MAX - 1),
    ((5, -10), "#NUM!"),   # before serial 0
    ((0, 10), 13),         # serial 0 is a valid start (a Saturday on Excel's uniform axis)
    ((-1, 1), "#NUM!"),
    ((MAX + 1, 0), "#NUM!"),
    ((S(2024, 1, 1), 1e18), "#NUM!"),
    ((S(2024, 1, 1), -1e18), "#NUM!"),
    ((S(2024, 1, 1), 1, [-5]), "#NUM!"),       # a holiday outside the date system
    ((S(2024, 1, 1), 1, [MAX + 1]), "#NUM!"),
    # Blanks pass through.
    ((None, 1), None),
    ((NAN, 1), None),
    ((S(2024, 1, 1), None), None),
]


@pytest.mark.parametrize("args,expected", WORKDAY_CASES, ids=[repr(a)[:60] for a, _ in WORKDAY_CASES])
def test_workday_edge_cases(args, expected):
    check("WORKDAY", args, expected)


# ---- NETWORKDAYS edge cases ------------------------------------------------------------

NETWORKDAYS_CASES = [
    ((MON, MON), 1),
    ((SAT, SAT), 0),
    ((SAT, SUN), 0),
    ((S(2024, 12, 25), S(2024, 12, 25), XMAS), 0),
    ((FRI, MON), 2),
    ((MON, FRI), -2),                                        # start later than end: negative
    ((S(2024, 12, 23), S(2025, 1, 3)), 10),
    ((S(2024, 12, 23), S(2025, 1, 3), XMAS), 7),
    ((S(2025, 1, 3), S(2024, 12, 23), XMAS), -7),
    ((S(2024, 12, 23), S(2025, 1, 3), XMAS + XMAS + [SAT]), 7),   # repeats, weekend holiday
    ((S(2024, 12, 23) + 0.9, S(2025, 1, 3) + 0.1, XMAS), 7),      # times of day dropped
    ((S(2024, 1, 1), S(2024, 12, 31)), 262),                      # 2024: 366 days, 104 weekend days
    ((S(2100, 1, 1), S(2100, 12, 31)), 261),                      # 2100: 365 days, Fri 01/01, Fri 31/12
    ((MAX - 6, MAX), 5),
    ((-1, MON), "#NUM!"),
    ((MON, MAX + 1), "#NUM!"),
    ((MON, MON, [-1]), "#NUM!"),
    ((None, MON), None),
    ((MON, NAN), None),
]


@pytest.mark.parametrize("args,expected", NETWORKDAYS_CASES, ids=[repr(a)[:60] for a, _ in NETWORKDAYS_CASES])
def test_networkdays_edge_cases(args, expected):
    check("NETWORKDAYS", args, expected)


# ---- weekend codes and masks --------------------------------------------------------------

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Microsoft's table, as day names.
WEEKEND_TABLE = {
    1: {"Saturday", "Sunday"}, 2: {"Sunday", "Monday"}, 3: {"Monday", "Tuesday"},
    4: {"Tuesday", "Wednesday"}, 5: {"Wednesday", "Thursday"}, 6: {"Thursday", "Friday"},
    7: {"Friday", "Saturday"}, 11: {"Sunday"}, 12: {"Monday"}, 13: {"Tuesday"},
    14: {"Wednesday"}, 15: {"Thursday"}, 16: {"Friday"}, 17: {"Saturday"},
}


@pytest.mark.parametrize("code", sorted(WEEKEND_TABLE))
def test_weekend_codes_follow_microsofts_table(code):
    mask = xf.weekend_mask(code)
    assert {DAY_NAMES[i] for i, c in enumerate(mask) if c == "1"} == WEEKEND_TABLE[code]
    assert {DAY_NAMES[i] for i in ref.weekend_days(code)} == WEEKEND_TABLE[code]
    # Functionally: one whole week Mon 23/12/2024 .. Sun 29/12/2024 has 7 - |weekend| workdays,
    # and each weekend day of that week is skipped by WORKDAY.INTL.
    week = range(S(2024, 12, 23), S(2024, 12, 29) + 1)
    check("NETWORKDAYS.INTL", (week[0], week[-1], code), 7 - len(WEEKEND_TABLE[code]))
    working = [d for i, d in enumerate(week) if DAY_NAMES[i] not in WEEKEND_TABLE[code]]
    check("WORKDAY.INTL", (week[0] - 1, len(working), code), working[-1])
    assert xf.WORKDAY_INTL(week[0] - 1, len(working), mask) == working[-1]  # same as its mask


@pytest.mark.parametrize("mask,working", [
    ("0000011", 5), ("1000001", 5), ("0000000", 7), ("1111110", 1), ("0111111", 1), ("0101010", 4),
])
def test_weekend_masks(mask, working):
    week = (S(2024, 12, 23), S(2024, 12, 29))
    check("NETWORKDAYS.INTL", (*week, mask), working)
    check("NETWORKDAYS.INTL", (week[0], week[1] + 70, mask), working * 11)


def test_sunday_only_working_week():
    # "1111110": only Sundays work. From Mon 23/12/2024, 1 working day is Sun 29/12, 2 is 05/01.
    check("WORKDAY.INTL", (S(2024, 12, 23), 1, "1111110"), S(2024, 12, 29))
    check("WORKDAY.INTL", (S(2024, 12, 23), 2, "1111110"), S(2025, 1, 5))
    check("WORKDAY.INTL", (S(2024, 12, 23), -1, "1111110"), S(2024, 12, 22))
    check("WORKDAY.INTL", (S(2024, 12, 23), 2, "1111110", [S(2024, 12, 29)]), S(2025, 1, 12))


def test_all_weekend_mask():
    # WORKDAY.INTL: "1111111 is an invalid string" -> #VALUE!, even for days = 0.
    check("WORKDAY.INTL", (S(2024, 1, 1), 1, "1111111"), "#VALUE!")
    check("WORKDAY.INTL", (S(2024, 1, 1), 0, "1111111"), "#VALUE!")
    # NETWORKDAYS.INTL: "Using 1111111 will always return 0".
    check("NETWORKDAYS.INTL", (S(2024, 1, 1), S(2024, 12, 31), "1111111"), 0)
    check("NETWORKDAYS.INTL", (S(2024, 12, 31), S(2024, 1, 1), "1111111"), 0)


@pytest.mark.parametrize("weekend", [0, 8, 10, 18, -1, 99])
def test_invalid_weekend_number_is_num(weekend):
    check("WORKDAY.INTL", (S(2024, 1, 1), 1, weekend), "#NUM!")
    check("NETWORKDAYS.INTL", (S(2024, 1, 1), S(2024, 1, 31), weekend), "#NUM!")


@pytest.mark.parametrize("weekend", ["", "1", "000001", "00000011", "0000021", "000001a", "abcdefg", " 000011"])
def test_invalid_weekend_string_is_value(weekend):
    check("WORKDAY.INTL", (S(2024, 1, 1), 1, weekend), "#VALUE!")
    check("NETWORKDAYS.INTL", (S(2024, 1, 1), S(2024, 1, 31), weekend), "#VALUE!")


def test_weekend_omitted_is_saturday_sunday():
    for blank in (None, NAN):
        assert xf.weekend_mask(blank) == "0000011"
        assert xf.WORKDAY_INTL(FRI, 1, blank) == MON


def test_fractional_weekend_number_is_truncated_like_excel():
    # Excel truncates a fractional weekend number: WORKDAY.INTL(DATE(2025,1,10),10,1.01) is
    # 24/01/2025 in Excel (the Excel-made test file of IronCalc issue #629).
    assert xf.WORKDAY_INTL(S(2025, 1, 10), 10, 1.01) == S(2025, 1, 24)
    assert xf.NETWORKDAYS_INTL(S(2025, 1, 1), S(2025, 1, 31), 11.9) == xf.NETWORKDAYS_INTL(
        S(2025, 1, 1), S(2025, 1, 31), 11)
    check("WORKDAY.INTL", (S(2025, 1, 10), 10, 1.9999), S(2025, 1, 24))
    check("WORKDAY.INTL", (S(2025, 1, 10), 10, 17.5), S(2025, 1, 22))   # Saturday only: 12 days, 2 Saturdays
    check("NETWORKDAYS.INTL", (S(2025, 1, 1), S(2025, 1, 31), 11.9), 27)  # 31 days less 4 Sundays
    check("WORKDAY.INTL", (S(2025, 1, 10), 10, 0.5), "#NUM!")           # truncates to 0
    check("WORKDAY.INTL", (S(2025, 1, 10), 10, 18.2), "#NUM!")


# ---- EDATE / EOMONTH edge cases ----------------------------------------------------------

MONTH_CASES = [
    # The 31st becomes the month's last day; leap years 2024 and 2000, not 2023 or 2100.
    ("EDATE", (S(2024, 1, 31), 1), S(2024, 2, 29)),
    ("EDATE", (S(2023, 1, 31), 1), S(2023, 2, 28)),
    ("EDATE", (S(2000, 1, 31), 1), S(2000, 2, 29)),
    ("EDATE", (S(2100, 1, 31), 1), S(2100, 2, 28)),
    ("EDATE", (S(2024, 2, 29), 12), S(2025, 2, 28)),
    ("EDATE", (S(2024, 2, 29), 48), S(2028, 2, 29)),
    ("EDATE", (S(2024, 3, 31), -1), S(2024, 2, 29)),
    ("EDATE", (S(2024, 4, 30), 1), S(2024, 5, 30)),   # not the month end: 30 stays 30
    ("EDATE", (S(2024, 5, 31), 1), S(2024, 6, 30)),
    ("EDATE", (S(2024, 12, 15), 1), S(2025, 1, 15)),  # across the year
    ("EDATE", (S(2024, 1, 15), -1), S(2023, 12, 15)),
    ("EDATE", (S(2024, 1, 15), 0), S(2024, 1, 15)),
    ("EDATE", (S(2024, 1, 15), 1200), S(2124, 1, 15)),
    # Truncation: start to the day, months toward zero.
    ("EDATE", (S(2024, 1, 15) + 0.75, 1.9), S(2024, 2, 15)),
    ("EDATE", (S(2024, 1, 15), -1.9), S(2023, 12, 15)),
    ("EDATE", (S(2024, 1, 15), 0.5), S(2024, 1, 15)),
    ("EDATE", (S(2024, 1, 15), -0.5), S(2024, 1, 15)),
    ("EOMONTH", (S(2024, 1, 15), 0), S(2024, 1, 31)),
    ("EOMONTH", (S(2024, 1, 15), 1), S(2024, 2, 29)),
    ("EOMONTH", (S(2100, 1, 15), 1), S(2100, 2, 28)),
    ("EOMONTH", (S(2000, 3, 1), -1), S(2000, 2, 29)),
    ("EOMONTH", (S(2024, 1, 31), -1.9), S(2023, 12, 31)),
    ("EOMONTH", (S(2024, 1, 31) + 0.99, 0.9), S(2024, 1, 31)),
    # 01/03/1900 is the first date tracker does month arithmetic for (see reference.py).
    ("EDATE", (61, 0), 61),
    ("EOMONTH", (61, 0), S(1900, 3, 31)),
    ("EDATE", (61, 1), S(1900, 4, 1)),
    ("EDATE", (S(1900, 3, 31), -1), "#NUM!"),   # Excel would say 29/02/1900: refused on purpose
    ("EOMONTH", (S(1900, 3, 15), -1), "#NUM!"),
    ("EDATE", (59, 1), "#NUM!"),
    # The ends of the date system.
    ("EOMONTH", (MAX, 0), MAX),
    ("EDATE", (MAX, 0), MAX),
    ("EDATE", (S(9999, 12, 1), 1), "#NUM!"),
    ("EOMONTH", (S(9999, 12, 1), 1), "#NUM!"),
    ("EDATE", (S(9999, 1, 31), 11), MAX),
    ("EDATE", (S(2024, 1, 1), 1e15), "#NUM!"),
    ("EDATE", (S(2024, 1, 1), -1e15), "#NUM!"),
    ("EOMONTH", (S(2024, 1, 1), -100000), "#NUM!"),
    ("EDATE", (-1, 0), "#NUM!"),
    ("EDATE", (MAX + 1, 0), "#NUM!"),
    # Blanks.
    ("EDATE", (None, 1), None),
    ("EOMONTH", (S(2024, 1, 1), NAN), None),
]


@pytest.mark.parametrize("name,args,expected", MONTH_CASES, ids=[f"{n}{a}" for n, a, _ in MONTH_CASES])
def test_month_edge_cases(name, args, expected):
    check(name, args, expected)


# ---- scalar and column forms -------------------------------------------------------------

def test_scalar_results_are_python_ints():
    for value in (xf.WORKDAY(MON, 1), xf.NETWORKDAYS(MON, FRI), xf.EDATE(MON, 1), xf.EOMONTH(MON, 1)):
        assert type(value) is int


def test_column_form_matches_scalar_form_and_blanks_pass_through():
    starts = np.array([SAT, SUN, MON, NAN, S(2024, 12, 24) + 0.5, S(2025, 1, 2), FRI])
    days = np.array([0, 1, -1, 3, 4, -4, NAN])
    out = xf.WORKDAY(starts, days, XMAS)
    assert out.shape == starts.shape and out.dtype == np.float64
    expected = [SAT, MON, FRI, None, S(2025, 1, 2), S(2024, 12, 24), None]
    for got, want, s, n in zip(out, expected, starts, days):
        if want is None:
            assert math.isnan(got)
        else:
            assert got == want == xf.WORKDAY(float(s), float(n), XMAS) == ref.workday(float(s), float(n), XMAS)


def test_column_broadcasts_a_single_value_and_keeps_shape():
    starts = np.array([[MON, FRI], [SAT, NAN]])
    out = xf.WORKDAY_INTL(starts, 1, 1, XMAS)
    assert out.shape == (2, 2)
    assert out[0, 0] == S(2024, 12, 24) and out[0, 1] == MON and out[1, 0] == MON and math.isnan(out[1, 1])
    assert list(xf.WORKDAY([MON, MON, MON], [1, -1, 0])) == [S(2024, 12, 24), FRI, MON]
    assert list(xf.EDATE([S(2024, 1, 31), None], 1)) [0] == S(2024, 2, 29)
    assert math.isnan(xf.EDATE([S(2024, 1, 31), None], 1)[1])


def test_networkdays_column_form():
    starts = [S(2024, 12, 23), S(2025, 1, 3), SAT, NAN, MON]
    ends = [S(2025, 1, 3), S(2024, 12, 23), SAT, MON, None]
    out = xf.NETWORKDAYS(starts, ends, XMAS)
    assert list(out[:3]) == [7, -7, 0]
    assert math.isnan(out[3]) and math.isnan(out[4])
    out = xf.NETWORKDAYS_INTL(starts, ends, "1111111")
    assert list(out[:3]) == [0, 0, 0] and math.isnan(out[3])


def test_month_column_forms():
    starts = np.array([S(2024, 1, 31), S(2023, 1, 31), NAN, S(2024, 2, 29)])
    assert list(xf.EDATE(starts, 1)[[0, 1, 3]]) == [S(2024, 2, 29), S(2023, 2, 28), S(2024, 3, 29)]
    assert list(xf.EOMONTH(starts, [0, 1, 2, -12])[[0, 1, 3]]) == [S(2024, 1, 31), S(2023, 2, 28), S(2023, 2, 28)]
    assert math.isnan(xf.EOMONTH(starts, 0)[2])


def test_column_with_an_error_raises_for_the_column():
    # One result outside the date system makes the whole excelfns call raise #NUM! (it has no
    # per-cell error values); the worksheet functions keep the other rows (WorkCalendar's
    # errors="coerce", tested in test_calendar.py and test_oracle_libreoffice.py).
    with pytest.raises(ExcelError) as e:
        xf.WORKDAY([MON, MAX], [1, 1])
    assert e.value.code == "#NUM!"
    with pytest.raises(ExcelError, match="#NUM!"):
        xf.EDATE([S(2024, 1, 1), S(9999, 12, 31)], 1)


def test_error_carries_code_and_message():
    with pytest.raises(ExcelError) as e:
        xf.WORKDAY_INTL(MON, 1, "abc")
    assert e.value.code == "#VALUE!"
    assert str(e.value).startswith("#VALUE! ") and "seven 0/1 characters" in str(e.value)
    with pytest.raises(ExcelError) as e:
        xf.WORKDAY_INTL(MON, 1, 9)
    assert e.value.code == "#NUM!" and "1-7, 11-17" in str(e.value)
