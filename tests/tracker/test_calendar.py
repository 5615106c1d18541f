"""WorkCalendar: weekends, each nation's GOV.UK bank holidays and a board's closure days.

Expected dates are worked out by hand from a calendar and the published bank holidays:
  Christmas 2024: Wed 25/12 and Thu 26/12 (all nations), Wed 01/01/2025 (all), Thu 02/01/2025
  (Scotland only). Easter 2025: Good Friday 18/04 (all), Easter Monday 21/04 (England & Wales
  and Northern Ireland, not Scotland). Christmas 2025: Thu 25/12, Fri 26/12, Thu 01/01/2026.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

import reference as ref
from tracker.calendar import WorkCalendar
from tracker.errors import ScrError
from tracker.excel_dates import from_serial, to_serial

D = dt.date
NATIONS = ("england-and-wales", "scotland", "northern-ireland")


@pytest.fixture(scope="module")
def cals():
    return {n: WorkCalendar(n) for n in NATIONS}


# ---- Christmas 2024 ----------------------------------------------------------------------

@pytest.mark.parametrize("nation,start,days,expected", [
    # Tue 24/12/2024 + 1: 25 and 26 are holidays -> Fri 27/12.
    ("england-and-wales", D(2024, 12, 24), 1, D(2024, 12, 27)),
    ("scotland", D(2024, 12, 24), 1, D(2024, 12, 27)),
    ("northern-ireland", D(2024, 12, 24), 1, D(2024, 12, 27)),
    # + 3: Fri 27, Mon 30, Tue 31.
    ("england-and-wales", D(2024, 12, 24), 3, D(2024, 12, 31)),
    # + 4: 01/01 is a holiday -> Thu 02/01; in Scotland 02/01 is one too -> Fri 03/01.
    ("england-and-wales", D(2024, 12, 24), 4, D(2025, 1, 2)),
    ("northern-ireland", D(2024, 12, 24), 4, D(2025, 1, 2)),
    ("scotland", D(2024, 12, 24), 4, D(2025, 1, 3)),
    # Backwards from Fri 03/01/2025.
    ("england-and-wales", D(2025, 1, 3), -2, D(2024, 12, 31)),
    ("scotland", D(2025, 1, 3), -1, D(2024, 12, 31)),
    ("england-and-wales", D(2025, 1, 3), -6, D(2024, 12, 23)),
    # From a holiday and from a weekend; 0 gives the start back.
    ("england-and-wales", D(2024, 12, 25), 1, D(2024, 12, 27)),
    ("england-and-wales", D(2024, 12, 28), 1, D(2024, 12, 30)),
    ("england-and-wales", D(2024, 12, 25), 0, D(2024, 12, 25)),
    # Easter 2025: Thu 17/04 + 1 -> Tue 22/04 (Good Friday, Easter Monday), Scotland Mon 21/04.
    ("england-and-wales", D(2025, 4, 17), 1, D(2025, 4, 22)),
    ("northern-ireland", D(2025, 4, 17), 1, D(2025, 4, 22)),
    ("scotland", D(2025, 4, 17), 1, D(2025, 4, 21)),
    ("england-and-wales", D(2025, 4, 22), -1, D(2025, 4, 17)),
    ("scotland", D(2025, 4, 22), -2, D(2025, 4, 17)),
    # Northern Ireland's own: St Patrick's Day Mon 17/03/2025; Twelfth substitute Mon 14/07/2025.
    ("northern-ireland", D(2025, 3, 14), 1, D(2025, 3, 18)),
    ("england-and-wales", D(2025, 3, 14), 1, D(2025, 3, 17)),
    ("northern-ireland", D(2025, 7, 11), 1, D(2025, 7, 15)),
])
def test_workday_over_bank_holidays(cals, nation, start, days, expected):
    cal = cals[nation]
    assert cal.workday(start, days) == expected
    # ...and it is Excel's WORKDAY with the nation's holiday list (the plain reference).
    assert ref.workday(to_serial(start), days, [to_serial(h) for h in cal.holidays]) == to_serial(expected)


@pytest.mark.parametrize("nation,start,end,expected", [
    # 23/12/2024 .. 03/01/2025: 10 weekdays, less 25/12, 26/12, 01/01 (and 02/01 in Scotland).
    ("england-and-wales", D(2024, 12, 23), D(2025, 1, 3), 7),
    ("northern-ireland", D(2024, 12, 23), D(2025, 1, 3), 7),
    ("scotland", D(2024, 12, 23), D(2025, 1, 3), 6),
    ("england-and-wales", D(2025, 1, 3), D(2024, 12, 23), -7),   # negative when start > end
    ("scotland", D(2025, 1, 3), D(2024, 12, 23), -6),
    ("england-and-wales", D(2025, 4, 14), D(2025, 4, 25), 8),    # Easter week: 10 less 2
    ("scotland", D(2025, 4, 14), D(2025, 4, 25), 9),
    ("england-and-wales", D(2024, 12, 25), D(2024, 12, 25), 0),
    ("england-and-wales", D(2024, 12, 27), D(2024, 12, 27), 1),
    ("england-and-wales", D(2024, 12, 28), D(2024, 12, 29), 0),
])
def test_networkdays(cals, nation, start, end, expected):
    assert cals[nation].networkdays(start, end) == expected
    assert type(cals[nation].networkdays(start, end)) is int


# ---- closure days ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def closed():
    return WorkCalendar("england-and-wales", closures="29/12/2025-31/12/2025")


def test_closure_days_are_skipped(closed, cals):
    plain = cals["england-and-wales"]
    # Wed 24/12/2025 + 1: Thu 25 and Fri 26 holidays, weekend, Mon 29 - Wed 31 closed,
    # Thu 01/01/2026 holiday -> Fri 02/01/2026. Without the closures: Mon 29/12/2025.
    assert closed.workday(D(2025, 12, 24), 1) == D(2026, 1, 2)
    assert plain.workday(D(2025, 12, 24), 1) == D(2025, 12, 29)
    assert closed.workday(D(2026, 1, 2), -1) == D(2025, 12, 24)
    # 22/12/2025 .. 02/01/2026: 22, 23, 24 and 02/01 -> 4 (7 without closures).
    assert closed.networkdays(D(2025, 12, 22), D(2026, 1, 2)) == 4
    assert plain.networkdays(D(2025, 12, 22), D(2026, 1, 2)) == 7
    assert closed.closures == (D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31))
    for d in closed.closures:
        assert d in closed.holidays and not closed.is_working_day(d)
        assert closed.non_working_reason(d) == "closure day"
    assert closed.non_working_reason(D(2025, 12, 25)) == "bank holiday"
    assert closed.non_working_reason(D(2025, 12, 27)) == "Saturday"
    assert closed.non_working_reason(D(2025, 12, 24)) is None


def test_closures_as_a_list_of_dates_and_text(cals):
    a = WorkCalendar("england-and-wales", closures=[D(2025, 12, 29), "30/12/2025", "2025-12-31"])
    assert a.closures == (D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31))
    assert a.workday(D(2025, 12, 24), 1) == D(2026, 1, 2)


# ---- roll --------------------------------------------------------------------------------

@pytest.mark.parametrize("d,rule,expected", [
    (D(2025, 12, 27), "next", D(2026, 1, 2)),        # Saturday: on past the holidays and closures
    (D(2025, 12, 27), "previous", D(2025, 12, 24)),
    (D(2025, 12, 30), "next", D(2026, 1, 2)),        # a closure day
    (D(2025, 12, 30), "previous", D(2025, 12, 24)),
    (D(2026, 1, 1), "previous", D(2025, 12, 24)),    # a bank holiday
    (D(2025, 12, 27), "none", D(2025, 12, 27)),
    (D(2025, 12, 24), "next", D(2025, 12, 24)),      # a working day stays
    (D(2025, 12, 24), "previous", D(2025, 12, 24)),
])
def test_roll(closed, d, rule, expected):
    assert closed.roll(d, rule) == expected
    rolled = closed.roll_many(np.array([to_serial(d), np.nan]), rule)
    assert from_serial(rolled[0]) == expected and math.isnan(rolled[1])


def test_roll_unknown_rule(closed):
    with pytest.raises(ValueError, match="unknown roll rule 'sideways'"):
        closed.roll(D(2025, 12, 27), "sideways")


# ---- provisional years, the calendar's window -----------------------------------------------

def test_is_provisional(cals):
    for cal in cals.values():
        assert cal.is_provisional(D(2030, 6, 1))       # after GOV.UK's published years
        assert not cal.is_provisional(D(2025, 6, 1))
        assert cal.is_provisional(D(2025, 6, 1), D(2030, 6, 1))
        assert not cal.is_provisional(None)


def test_dates_outside_the_window_are_refused(cals):
    cal = cals["england-and-wales"]
    with pytest.raises(ScrError, match="outside the years this calendar knows"):
        cal.workday(D(2080, 12, 24), 1)
    with pytest.raises(ScrError, match="outside the years"):
        cal.networkdays(D(1990, 1, 1), D(2000, 1, 1))


def test_workday_many_refuses_dates_outside_the_window_like_workday(cals):
    cal = cals["england-and-wales"]
    with pytest.raises(ScrError):
        cal.workday_many([to_serial(D(2080, 12, 24))], [1])


# ---- column forms equal the scalar forms ------------------------------------------------

@pytest.mark.parametrize("nation", NATIONS)
def test_workday_many_equals_workday_per_element(cals, closed, nation):
    cal = cals[nation] if nation != "england-and-wales" else closed
    rng = np.random.default_rng(20250101)
    n = 3000
    lo, hi = to_serial(D(2000, 1, 1)), to_serial(D(2070, 12, 31))
    starts = rng.integers(lo, hi, n).astype(float)
    # Lots of starts on holidays and around Christmas.
    hols = np.array([to_serial(h) for h in cal.holidays if D(2000, 1, 1) <= h <= D(2070, 1, 1)], float)
    starts[: n // 3] = rng.choice(hols, n // 3) + rng.integers(-2, 3, n // 3)
    days = rng.choice([0, 1, -1, 2, -2, 5, -5, 10, -10, 20, 60, -60, 250, -250], n).astype(float)
    days[::7] += rng.random(len(days[::7])) * np.sign(days[::7])  # fractions, truncated
    starts[::11] = np.nan
    many = cal.workday_many(starts, days)
    assert many.shape == (n,)
    for s, k, m in zip(starts, days, many):
        if math.isnan(s):
            assert math.isnan(m)
            continue
        one = cal.workday(from_serial(s), int(k))
        assert from_serial(m) == one, (from_serial(s), k)
    ends = starts + rng.integers(-400, 400, n)
    nw = cal.networkdays_many(starts, ends)
    for s, e, m in zip(starts[:500], ends[:500], nw[:500]):
        if math.isnan(s):
            assert math.isnan(m)
        else:
            assert m == cal.networkdays(from_serial(s), from_serial(e))


def test_other_weekends():
    # A board working Sunday to Thursday (weekend 7 = Friday, Saturday).
    cal = WorkCalendar("england-and-wales", weekend=7)
    assert cal.workday(D(2025, 1, 2), 1) == D(2025, 1, 5)           # Thu -> Sun
    assert cal.networkdays(D(2024, 12, 22), D(2024, 12, 28)) == 3   # Sun 22 .. Sat 28 less 25, 26
    assert cal.is_working_day(D(2025, 1, 5)) and not cal.is_working_day(D(2025, 1, 3))
    assert cal.non_working_reason(D(2025, 1, 3)) == "Friday"
    mask = WorkCalendar("scotland", weekend="0000001")                # Sundays only
    assert mask.workday(D(2025, 1, 3), 1) == D(2025, 1, 4)           # Fri -> Sat


def test_column_forms_coerce_rows_outside_the_window(cals):
    cal = cals["england-and-wales"]
    starts = np.array([to_serial(D(2024, 12, 24)), to_serial(D(2080, 12, 24)), np.nan,
                       to_serial(D(2075, 12, 24)), to_serial(D(1990, 1, 1))])
    days = np.array([1, 1, 1, 300, 1])  # 300 working days from 24/12/2075 run into 2077
    values, bad = cal.workday_many(starts, days, errors="coerce")
    assert list(bad) == [False, True, False, True, True]
    assert from_serial(values[0]) == D(2024, 12, 27)
    assert all(math.isnan(v) for v in values[1:])
    with pytest.raises(ScrError, match="outside the years this calendar knows"):
        cal.workday_many(starts, days)
    ends = np.array([to_serial(D(2025, 1, 3)), to_serial(D(2025, 1, 3)), to_serial(D(2025, 1, 3)),
                     to_serial(D(2076, 1, 5)), to_serial(D(1995, 1, 1))])
    values, bad = cal.networkdays_many(starts, ends, errors="coerce")
    assert list(bad) == [False, True, False, True, True]
    assert values[0] == 6 and all(math.isnan(v) for v in values[1:])  # 24, 27, 30, 31/12, 2, 3/01


def test_a_bank_holiday_listed_among_closures_is_still_called_a_bank_holiday():
    """The worksheet functions pass the whole Holidays sheet (bank holidays too) as closures; the
    reason shown must match what the tracker cached: 'bank holiday', not 'closure day'."""
    from tracker.calendar import WorkCalendar
    christmas, closure = D(2025, 12, 25), D(2025, 12, 29)
    cal = WorkCalendar("england-and-wales", [christmas, closure])
    assert cal.non_working_reason(christmas) == "bank holiday"
    assert cal.non_working_reason(closure) == "closure day"
