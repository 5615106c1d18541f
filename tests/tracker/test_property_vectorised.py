"""The vectorised tracker.excelfns against the plain reference on over a million edge-heavy cases.

The reference (tests/reference.py) walks the calendar one day at a time in plain Python; for a
million cases that is done through reference.WorkdayTable, which lists each random calendar's
working days once (same per-day rule, plain Python lists, no numpy) and answers each case by
counting in that list. The table itself is checked against the day-by-day walk first.

Cases lean on the edges: starts on weekend days and holidays, month ends, leap days of 2000,
2024 and 2100, serials around 01/03/1900, the end of 9999, fractional starts and day counts,
offsets 0, +-1, small and large, random weekend codes and masks, and holiday lists with
repeats, weekend days, times of day and blanks. Everything is seeded, so a failure repeats.

Sizes (cases): WORKDAY.INTL 72 random calendars x 8,000 + 4 calendars x 5,000 near 9999;
NETWORKDAYS.INTL 73 calendars x 3,000; EDATE and EOMONTH 100,000 each: 1,015,000 in all,
plus 1,800 table-vs-walk checks and 900 hypothesis examples.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference as ref
from tracker import excelfns as xf
from tracker.errors import ExcelError

SEED = 20250601
MAX = ref.MAX_SERIAL
TABLE_HI = 200_000          # working-day tables cover serials 0 .. 200000 (year 2447)
START_HI = 150_000          # random starts stay below this, so every answer is in the table
N_CAL = 72
N_WORKDAY_PER_CAL = 8_000
N_END_CAL, N_END_PER_CAL = 4, 5_000
N_NET_PER_CAL = 3_000
N_MONTH = 100_000           # each of EDATE and EOMONTH

TOTAL = (N_CAL * N_WORKDAY_PER_CAL + N_END_CAL * N_END_PER_CAL
         + (N_CAL + 1) * N_NET_PER_CAL + 2 * N_MONTH)
assert TOTAL == 1_015_000, TOTAL

CODES = sorted(ref.WEEKEND_NUMBERS)

# Serials the generators lean on (from 01/03/1900 on, serial = days since 30/12/1899).
LEAP_EDGES = [0, 1, 2, 58, 59, 60, 61, 62, 91,
              36584, 36585, 36586,        # 28/02/2000, 29/02/2000, 01/03/2000
              45350, 45351, 45352,        # 28/02/2024, 29/02/2024, 01/03/2024
              73109, 73110,               # 28/02/2100, 01/03/2100 (no 29th)
              36525, 36526, 73050, 73051]  # 31/12/1999, 01/01/2000, 31/12/2099, 01/01/2100


def weekday(serials):
    """Monday=0 .. Sunday=6 for the generators (serial 0, 30/12/1899, is a Saturday)."""
    return (np.asarray(serials, dtype=np.int64) + 5) % 7


def month_edges(rng, n, lo_year=1900, hi_year=2300):
    """Serials of first and last days of random months (from March 1900 on)."""
    months = rng.integers((lo_year - 1970) * 12 + 2, (hi_year - 1970) * 12, n)
    first = (np.datetime64("1970-01", "M") + months).astype("datetime64[D]")
    last = (np.datetime64("1970-01", "M") + months + 1).astype("datetime64[D]") - 1
    pick = np.where(rng.random(n) < 0.6, last, first)
    return (pick - np.datetime64("1899-12-30", "D")).astype(np.int64)


def random_calendar(rng, i):
    """(weekend argument, holiday list) for calendar number i."""
    kind = i % 3
    if kind == 0:
        weekend = int(rng.choice(CODES))
    elif kind == 1:
        bits = rng.integers(0, 2, 7)
        if bits.all():
            bits[rng.integers(0, 7)] = 0  # "1111111" has no working day (tested separately)
        weekend = "".join(map(str, bits))
    else:
        weekend = None if i % 2 else 1
    n = int(rng.choice([0, 3, 30, 300, 1500]))
    hol = rng.integers(0, START_HI + 20_000, n).astype(float)
    if n:
        hol[: n // 4] = rng.integers(45_000, 46_500, n // 4)        # crowd the 2023-2027 range
        hol = np.concatenate([hol, hol[: n // 5]])                 # repeats
        hol[::7] += rng.random(len(hol[::7])) * 0.99                # times of day
        hol = np.concatenate([hol, [np.nan] * int(rng.integers(0, 3))])  # blank cells
        rng.shuffle(hol)                                           # any order
    return weekend, hol.tolist()


def edge_starts(rng, n, weekend_set, holidays, hi=START_HI, lo=0):
    """Starts: uniform, on weekend days, on holidays, month edges, leap edges, low serials; some fractional."""
    s = rng.integers(max(lo, 61), hi, n).astype(np.int64)
    part = rng.random(n)
    # weekend days of this calendar
    idx = np.flatnonzero(part < 0.18)
    if weekend_set and len(idx):
        cand = rng.integers(max(lo, 61), hi, 8 * len(idx))
        cand = cand[np.isin(weekday(cand), list(weekend_set))]
        s[idx[: len(cand)]] = cand[: len(idx)]
    # holidays and their neighbours
    hol = np.array([h for h in holidays if not math.isnan(h) and lo <= h < hi], dtype=float)
    idx = np.flatnonzero((part >= 0.18) & (part < 0.33))
    if len(hol) and len(idx):
        s[idx] = np.floor(rng.choice(hol, len(idx))).astype(np.int64) + rng.integers(-1, 2, len(idx))
    # month edges, leap edges, the 1900 area
    idx = np.flatnonzero((part >= 0.33) & (part < 0.48))
    s[idx] = month_edges(rng, len(idx), 1900 if lo == 0 else 9700, 2300 if lo == 0 else 9999)
    if lo == 0:
        idx = np.flatnonzero((part >= 0.48) & (part < 0.55))
        s[idx] = rng.choice(LEAP_EDGES, len(idx))
        idx = np.flatnonzero((part >= 0.55) & (part < 0.58))
        s[idx] = rng.integers(0, 400, len(idx))
    s = np.clip(s, lo, hi).astype(float)
    frac = rng.random(n) < 0.25
    s[frac] += rng.random(frac.sum()) * 0.999
    return s


def edge_days(rng, n):
    """Offsets: 0, +-1, +-2..10, +-11..300, +-301..5000, and fractional ones (truncated toward 0)."""
    sign = rng.choice([-1, 1], n)
    part = rng.random(n)
    mag = np.select(
        [part < 0.10, part < 0.30, part < 0.50, part < 0.70, part < 0.85],
        [0, 1, rng.integers(2, 11, n), rng.integers(11, 301, n), rng.integers(301, 5001, n)],
        default=rng.integers(0, 40, n) + rng.random(n),
    ).astype(float)
    return sign * mag


def as_float(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def compare_column(name, got, expected, args):
    """Arrays equal, NaN for NaN; on failure show the first few cases."""
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    if not same.all():
        bad = np.flatnonzero(~same)[:5]
        rows = [(tuple(a[i] for a in args), got[i], expected[i]) for i in bad]
        pytest.fail(f"{name}: {len(np.flatnonzero(~same))} differences, first {rows}")


def split_errors(expected):
    """Indices of good answers and of Excel errors in a reference list."""
    err = np.array([isinstance(v, str) for v in expected])
    return np.flatnonzero(~err), np.flatnonzero(err)


# ---- the reference's table against its day-by-day walk ------------------------------------

def test_table_agrees_with_the_day_by_day_reference():
    rng = np.random.default_rng(SEED - 1)
    checked = 0
    for i in range(6):
        weekend, hol = random_calendar(rng, i)
        table = ref.WorkdayTable(weekend, hol, 0, 60_000)
        starts = edge_starts(rng, 150, table.weekend, hol, hi=40_000)
        days = np.clip(edge_days(rng, 150), -1500, 1500)
        for s, n in zip(starts.tolist(), days.tolist()):
            assert table.workday(s, n) == ref.workday_intl(s, n, weekend, hol), (weekend, s, n)
            e = s + int(rng.integers(-800, 800))
            e = min(max(e, 0), 59_999)
            assert table.networkdays(s, e) == ref.networkdays_intl(s, e, weekend, hol), (weekend, s, e)
            checked += 2
    assert checked == 1800
    end = ref.WorkdayTable("0000110", [MAX - 1], MAX - 3000, MAX)
    for s, n in [(MAX, 1), (MAX - 2, 1), (MAX - 2, 2), (MAX - 10, -3), (MAX, 0)]:
        assert end.workday(s, n) == ref.workday_intl(s, n, "0000110", [MAX - 1])
    with pytest.raises(LookupError):
        end.workday(MAX - 2990, -100)


# ---- a million cases ------------------------------------------------------------------------

def test_workday_intl_vectorised_matches_reference():
    rng = np.random.default_rng(SEED)
    cases = errors = 0
    for i in range(N_CAL):
        weekend, hol = random_calendar(rng, i)
        table = ref.WorkdayTable(weekend, hol, 0, TABLE_HI)
        starts = edge_starts(rng, N_WORKDAY_PER_CAL, table.weekend, hol)
        days = edge_days(rng, N_WORKDAY_PER_CAL)
        blank = rng.random(N_WORKDAY_PER_CAL) < 0.01
        starts[blank[: len(starts) // 2].nonzero()[0]] = np.nan
        days[blank[len(days) // 2:].nonzero()[0] + len(days) // 2] = np.nan
        expected = [table.workday(s, n) for s, n in zip(starts.tolist(), days.tolist())]
        ok, bad = split_errors(expected)
        got = xf.WORKDAY_INTL(starts[ok], days[ok], weekend, hol)
        compare_column(f"WORKDAY.INTL weekend={weekend!r}", got, as_float([expected[j] for j in ok]),
                       (starts[ok], days[ok]))
        for j in bad[:25]:  # each error case alone: the same Excel error
            with pytest.raises(ExcelError) as e:
                xf.WORKDAY_INTL(starts[j], days[j], weekend, hol)
            assert e.value.code == expected[j]
        if len(bad):  # and a column holding one raises it for the column
            with pytest.raises(ExcelError):
                xf.WORKDAY_INTL(starts, days, weekend, hol)
        cases += len(expected)
        errors += len(bad)
    assert cases == N_CAL * N_WORKDAY_PER_CAL
    assert 0 < errors < cases // 50  # a few run off the start of the date system


def test_workday_intl_near_the_end_of_9999():
    rng = np.random.default_rng(SEED + 1)
    cases = errors = 0
    for i in range(N_END_CAL):
        weekend, hol = random_calendar(rng, i)
        hol = [h + MAX - START_HI - 20_000 for h in hol if not math.isnan(h)]  # move them up to 9999
        table = ref.WorkdayTable(weekend, hol, MAX - 100_000, MAX)
        starts = edge_starts(rng, N_END_PER_CAL, table.weekend, hol, hi=MAX, lo=MAX - 30_000)
        starts[: N_END_PER_CAL // 5] = MAX - rng.integers(0, 15, N_END_PER_CAL // 5)
        days = np.clip(edge_days(rng, N_END_PER_CAL), -5000, 5000)
        expected = [table.workday(s, n) for s, n in zip(starts.tolist(), days.tolist())]
        ok, bad = split_errors(expected)
        got = xf.WORKDAY_INTL(starts[ok], days[ok], weekend, hol)
        compare_column(f"WORKDAY.INTL near 9999, weekend={weekend!r}", got,
                       as_float([expected[j] for j in ok]), (starts[ok], days[ok]))
        for j in bad[:25]:
            with pytest.raises(ExcelError) as e:
                xf.WORKDAY_INTL(starts[j], days[j], weekend, hol)
            assert e.value.code == "#NUM!" == expected[j]
        cases += len(expected)
        errors += len(bad)
    assert cases == N_END_CAL * N_END_PER_CAL and errors > 0


def test_networkdays_intl_vectorised_matches_reference():
    rng = np.random.default_rng(SEED + 2)
    cases = 0
    for i in range(N_CAL + 1):
        if i == N_CAL:  # "1111111": always 0 (the reference's day-by-day answer says so too)
            weekend, hol = "1111111", [45_000.0]
            table = None
        else:
            weekend, hol = random_calendar(rng, i)
            table = ref.WorkdayTable(weekend, hol, 0, TABLE_HI)
        starts = edge_starts(rng, N_NET_PER_CAL, table.weekend if table else set(), hol)
        sign = rng.choice([-1, 1], N_NET_PER_CAL)
        part = rng.random(N_NET_PER_CAL)
        delta = np.select([part < 0.1, part < 0.4, part < 0.8],
                          [0, rng.integers(1, 8, N_NET_PER_CAL), rng.integers(8, 401, N_NET_PER_CAL)],
                          default=rng.integers(401, 40_001, N_NET_PER_CAL)) * sign
        ends = np.clip(starts + delta, 0, TABLE_HI - 1)
        ends[::9] += 0.5
        starts[::97] = np.nan
        if table is None:
            expected = [None if math.isnan(s) else 0 for s in starts.tolist()]
            assert ref.networkdays_intl(100, 20_000, weekend, hol) == 0
        else:
            expected = [table.networkdays(s, e) for s, e in zip(starts.tolist(), ends.tolist())]
        got = xf.NETWORKDAYS_INTL(starts, ends, weekend, hol)
        compare_column(f"NETWORKDAYS.INTL weekend={weekend!r}", got, as_float(expected), (starts, ends))
        cases += len(expected)
    assert cases == (N_CAL + 1) * N_NET_PER_CAL


@pytest.mark.parametrize("name", ["EDATE", "EOMONTH"])
def test_months_vectorised_matches_reference(name):
    rng = np.random.default_rng(SEED + 3 + (name == "EOMONTH"))
    f, r = (xf.EDATE, ref.edate) if name == "EDATE" else (xf.EOMONTH, ref.eomonth)
    n = N_MONTH
    part = rng.random(n)
    starts = np.where(part < 0.5, month_edges(rng, n, 1900, 9999), rng.integers(61, MAX + 1, n)).astype(float)
    idx = np.flatnonzero((part >= 0.5) & (part < 0.65))
    starts[idx] = rng.choice(LEAP_EDGES[7:] + [61, 62, 91, MAX, MAX - 1, MAX - 30], len(idx))
    idx = np.flatnonzero((part >= 0.65) & (part < 0.75))  # days 28-31 of random months
    starts[idx] = month_edges(rng, len(idx), 1900, 2400) - rng.integers(0, 4, len(idx))
    starts = np.maximum(starts, 61)
    starts[rng.random(n) < 0.25] += 0.5
    sign = rng.choice([-1, 1], n)
    mpart = rng.random(n)
    months = sign * np.select(
        [mpart < 0.1, mpart < 0.35, mpart < 0.6, mpart < 0.85, mpart < 0.9],
        [0, 1, rng.integers(2, 25, n), rng.integers(25, 1201, n), rng.integers(1201, 120_000, n)],
        default=rng.integers(0, 50, n) + rng.random(n)).astype(float)
    starts[::113] = np.nan
    expected = [r(s, m) for s, m in zip(starts.tolist(), months.tolist())]
    ok, bad = split_errors(expected)
    got = f(starts[ok], months[ok])
    compare_column(name, got, as_float([expected[j] for j in ok]), (starts[ok], months[ok]))
    for j in bad[:50]:
        with pytest.raises(ExcelError) as e:
            f(starts[j], months[j])
        assert e.value.code == expected[j] == "#NUM!"
    assert len(expected) == n and 0 < len(bad) < n // 10


# ---- hypothesis: scalar form == column form == reference -----------------------------------

weekends = st.one_of(
    st.sampled_from(CODES),
    st.text(alphabet="01", min_size=7, max_size=7).filter(lambda m: m != "1111111"),
    st.none(),
)
serials = st.one_of(st.integers(0, 80_000), st.floats(0, 80_000, allow_nan=False),
                    st.sampled_from(LEAP_EDGES), st.integers(MAX - 40, MAX))
offsets = st.one_of(st.integers(-400, 400), st.floats(-400, 400, allow_nan=False))


def same(a, b):
    """Equal answers; a blank (None) and NaN count as the same blank."""
    blank = lambda v: v is None or (isinstance(v, float) and math.isnan(v))  # noqa: E731
    return (blank(a) and blank(b)) or a == b


def scalar_or_code(f, *args):
    try:
        v = f(*args)
    except ExcelError as e:
        return e.code
    return math.nan if v is None else v


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    starts=st.lists(serials, min_size=1, max_size=12),
    days=offsets,
    weekend=weekends,
    holidays=st.lists(st.one_of(st.integers(0, 80_000), st.integers(44_000, 46_000)), max_size=30),
    blank=st.booleans(),
)
def test_hypothesis_workday_scalar_equals_column(starts, days, weekend, holidays, blank):
    holidays = holidays + holidays[:3]  # repeats
    if blank:
        starts = starts + [None]
    scalar = [scalar_or_code(xf.WORKDAY_INTL, s, days, weekend, holidays) for s in starts]
    walked = [ref.workday_intl(s, days, weekend, holidays) for s in starts]
    assert all(same(a, b) for a, b in zip(scalar, walked)), (scalar, walked)
    codes = {c for c in scalar if isinstance(c, str)}
    if codes:
        with pytest.raises(ExcelError) as e:
            xf.WORKDAY_INTL(as_float(starts), days, weekend, holidays)
        assert e.value.code in codes
    else:
        column = xf.WORKDAY_INTL(as_float(starts), days, weekend, holidays)
        assert list(column) == pytest.approx(scalar, nan_ok=True)


@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(serials, min_size=1, max_size=12),
    span=st.integers(-2000, 2000),
    weekend=st.one_of(weekends, st.just("1111111")),
    holidays=st.lists(st.integers(0, 80_000), max_size=30),
)
def test_hypothesis_networkdays_scalar_equals_column(starts, span, weekend, holidays):
    ends = [min(max(s + span, 0), MAX) for s in starts]
    scalar = [xf.NETWORKDAYS_INTL(s, e, weekend, holidays) for s, e in zip(starts, ends)]
    assert scalar == [ref.networkdays_intl(s, e, weekend, holidays) for s, e in zip(starts, ends)]
    assert list(xf.NETWORKDAYS_INTL(as_float(starts), as_float(ends), weekend, holidays)) == scalar


@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(st.one_of(st.integers(61, MAX), st.floats(61, MAX, allow_nan=False),
                              st.sampled_from(LEAP_EDGES[7:])), min_size=1, max_size=12),
    months=st.one_of(st.integers(-2000, 2000), st.floats(-2000, 2000, allow_nan=False)),
)
def test_hypothesis_months_scalar_equals_column(starts, months):
    for f, r in ((xf.EDATE, ref.edate), (xf.EOMONTH, ref.eomonth)):
        scalar = [scalar_or_code(f, s, months) for s in starts]
        assert scalar == [r(s, months) for s in starts]
        if any(isinstance(c, str) for c in scalar):
            with pytest.raises(ExcelError, match="#NUM!"):
                f(as_float(starts), months)
        else:
            assert list(f(as_float(starts), months)) == scalar
