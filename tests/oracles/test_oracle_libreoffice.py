"""LibreOffice as an independent oracle for tracker.excelfns and the WORKDAY_UK worksheet function.

One workbook holds thousands of random native formulas - WORKDAY, WORKDAY.INTL (weekend
numbers and mask strings), NETWORKDAYS, NETWORKDAYS.INTL, EDATE, EOMONTH - with holidays in
ranges on a second sheet (the real England & Wales bank holidays, and a messy list with repeats,
weekend days and no order). LibreOffice recalculates it once (tests/libreoffice.py) and every
cell must equal tracker's answer: zero differences.

Where LibreOffice is known to differ from Excel, the cases are kept out of the comparison and
pinned down in their own test instead (test_known_differences_from_excel):

* Dates before 01/03/1900: LibreOffice numbers them a day off Excel (it has no 29/02/1900:
  DATE(1900,1,1) is 2, not 1), so month arithmetic there differs; every random date here is
  from 01/03/1900 on. (Weekday arithmetic on serials is the same uniform count in both.)
* The range of dates: Excel answers #NUM! for a start, holiday or result outside 1900-9999
  ("If start_date plus day-offset yields an invalid date, WORKDAY.INTL returns the #NUM! error
  value"); LibreOffice 7.4 has no such check (WORKDAY(2958465,1) = 2958468, a date in 10000)
  and ignores out-of-range holidays. Only in-range cases are compared.
* An invalid weekend *number* (0, 8, 18): Excel's documented answer is #NUM! (the WORKDAY.INTL
  page's own example: WORKDAY.INTL(DATE(2012,1,1),30,0) -> #NUM!); LibreOffice turns the number
  into text and rejects it as an illegal argument, which it saves to .xlsx as #VALUE!
  (sc/source/core/tool/interpr2.cxx, GetWeekendAndHolidayMasks_MS). tracker follows Excel.
  For the same reason a fractional number (1.5) is #VALUE! in LibreOffice, while Excel (and
  tracker) truncate it to 1.
* WORKDAY.INTL must be written without the "_xlfn." prefix for LibreOffice 7.4 to know it
  (with it, the cell is #NAME?).
* NETWORKDAYS.INTL with "1111111" is 0 in both, as Microsoft documents ("Using 1111111 will
  always return 0"); WORKDAY.INTL with "1111111" is #VALUE! in both. These are compared.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel

import reference as ref
from dispatch import value, xl
from libreoffice import recalc
from tracker import excelfns as xf
from tracker.calendar import WorkCalendar
from tracker.errors import ExcelError
from tracker.excel_dates import to_serial

SEED = 1234
N_PER_FUNCTION = 800        # x 6 functions = 4,800 random formulas
FIRST = 61                  # 01/03/1900
LO_START, LO_END = FIRST, 73415   # random dates 01/03/1900 .. 31/12/2100
CODES = sorted(ref.WEEKEND_NUMBERS)


pytestmark = pytest.mark.usefixtures("libreoffice_required")


def serial_of(v):
    """A cached value as the serial LibreOffice saved (openpyxl turns date-formatted cells into
    datetimes with Excel's 1900 convention; to_excel is its exact inverse)."""
    if isinstance(v, dt.datetime):
        return to_excel(v)
    return v


def tracker_answer(f, *args):
    try:
        v = f(*args)
    except ExcelError as e:
        return e.code
    return v


def literal(x) -> str:
    """A number as formula text: ints as ints, fractions with enough digits to round-trip."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


class Book:
    """The workbook under construction: formulas on 'Calc', what tracker says for each."""

    def __init__(self):
        self.wb = openpyxl.Workbook()
        self.calc = self.wb.active
        self.calc.title = "Calc"
        self.hols = self.wb.create_sheet("Hols")
        self.rows = []  # (row, formula, expected)

    def add(self, formula: str, expected):
        row = len(self.rows) + 1
        self.calc.cell(row=row, column=1, value=formula)
        self.calc.cell(row=row, column=2, value=formula[1:])  # the text, for a failure message
        self.rows.append((row, formula, expected))

    def holiday_column(self, col: int, serials) -> str:
        for i, s in enumerate(serials, 1):
            self.hols.cell(row=i, column=col, value=s)
        letter = openpyxl.utils.get_column_letter(col)
        return f"Hols!${letter}$1:${letter}${max(len(serials), 1)}"


def random_start(rng, hols):
    r = rng.random()
    if r < 0.2 and hols:
        return float(rng.choice(hols)) + int(rng.integers(-1, 2))
    if r < 0.3:  # the first days after the 1900 boundary
        return float(rng.integers(FIRST, FIRST + 30))
    s = float(rng.integers(LO_START, LO_END))
    return s + (round(float(rng.random()), 3) if rng.random() < 0.2 else 0.0)


def random_days(rng):
    r = rng.random()
    if r < 0.1:
        return 0.0
    mag = rng.choice([1, 2, 5, 10, 20, 60, 250, 1000, 3000]) if r < 0.85 else round(float(rng.random() * 30), 2)
    return float(mag) * (1 if rng.random() < 0.5 else -1)


def random_weekend(rng):
    if rng.random() < 0.5:
        return int(rng.choice(CODES))
    bits = rng.integers(0, 2, 7)
    if bits.all():
        bits[0] = 0
    return "".join(map(str, bits))


def weekend_text(w) -> str:
    return f'"{w}"' if isinstance(w, str) else str(w)


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    """Build the workbook, recalculate it once in LibreOffice, return (book, cached values)."""
    rng = np.random.default_rng(SEED)
    book = Book()
    ew = [float(to_serial(d)) for d in WorkCalendar("england-and-wales").holidays]
    ew_range = book.holiday_column(1, ew)
    messy = rng.integers(40_000, 48_000, 400).astype(float).tolist()
    messy += messy[:60] + [45_651.0, 45_651.0, 45_654.0, 45_655.0]  # repeats; 28-29/12/2024 is a weekend
    rng.shuffle(messy)
    messy_range = book.holiday_column(2, messy)
    small = [45_651.0, 45_652.0, 45_658.0]
    lists = [(None, None), (ew_range, ew), (messy_range, messy), ("{45651,45652,45658}", small)]

    def holidays(i):
        return lists[i % len(lists)]

    n = 0
    while n < N_PER_FUNCTION:  # WORKDAY
        text, hol = holidays(n)
        s, d = random_start(rng, hol), random_days(rng)
        want = ref.workday(s, d, hol)
        if isinstance(want, str) or want < FIRST:
            continue  # range errors and pre-1900 answers are out of the comparison
        book.add(f"=WORKDAY({literal(s)},{literal(d)}{',' + text if text else ''})",
                 tracker_answer(xf.WORKDAY, s, d, hol))
        n += 1
    n = 0
    while n < N_PER_FUNCTION:  # WORKDAY.INTL
        text, hol = holidays(n)
        s, d, w = random_start(rng, hol), random_days(rng), random_weekend(rng)
        want = ref.workday_intl(s, d, w, hol)
        if isinstance(want, str) or want < FIRST:
            continue
        book.add(f"=WORKDAY.INTL({literal(s)},{literal(d)},{weekend_text(w)}{',' + text if text else ''})",
                 tracker_answer(xf.WORKDAY_INTL, s, d, w, hol))
        n += 1
    for i in range(N_PER_FUNCTION):  # NETWORKDAYS
        text, hol = holidays(i)
        s = random_start(rng, hol)
        e = min(max(s + float(rng.choice([0, 1, 6, 30, 400, 4000]) * rng.choice([-1, 1])), FIRST), LO_END)
        book.add(f"=NETWORKDAYS({literal(s)},{literal(e)}{',' + text if text else ''})",
                 tracker_answer(xf.NETWORKDAYS, s, e, hol))
    for i in range(N_PER_FUNCTION):  # NETWORKDAYS.INTL
        text, hol = holidays(i)
        s = random_start(rng, hol)
        e = min(max(s + float(rng.choice([0, 1, 6, 30, 400, 4000]) * rng.choice([-1, 1])), FIRST), LO_END)
        w = "1111111" if i % 100 == 0 else random_weekend(rng)
        book.add(f"=NETWORKDAYS.INTL({literal(s)},{literal(e)},{weekend_text(w)}{',' + text if text else ''})",
                 tracker_answer(xf.NETWORKDAYS_INTL, s, e, w, hol))
    for name, f, r in (("EDATE", xf.EDATE, ref.edate), ("EOMONTH", xf.EOMONTH, ref.eomonth)):
        n = 0
        while n < N_PER_FUNCTION:
            if rng.random() < 0.4:  # month ends and the 29th-31st
                m = np.datetime64("1900-03", "M") + int(rng.integers(0, 2400))
                s = float(((m + 1).astype("datetime64[D]") - 1 - np.datetime64("1899-12-30")).astype(int)
                          - int(rng.integers(0, 4)))
            else:
                s = random_start(rng, [])
            months = float(rng.choice([0, 1, -1, 2, -2, 11, 12, -12, 13, 48, -48, 600, -600]))
            if rng.random() < 0.15:
                months += 0.7 if months >= 0 else -0.7
            want = r(s, months)
            if isinstance(want, str):
                continue
            book.add(f"={name}({literal(s)},{literal(months)})", tracker_answer(f, s, months))
            n += 1
    # Errors both programs give as Excel documents them.
    for formula, f, args in [
        ('=WORKDAY.INTL(45292,1,"1111111")', xf.WORKDAY_INTL, (45292, 1, "1111111")),
        ('=WORKDAY.INTL(45292,0,"1111111")', xf.WORKDAY_INTL, (45292, 0, "1111111")),
        ('=WORKDAY.INTL(45292,1,"000001")', xf.WORKDAY_INTL, (45292, 1, "000001")),
        ('=WORKDAY.INTL(45292,1,"00000a1")', xf.WORKDAY_INTL, (45292, 1, "00000a1")),
        ('=NETWORKDAYS.INTL(45292,45322,"00000011")', xf.NETWORKDAYS_INTL, (45292, 45322, "00000011")),
        ('=NETWORKDAYS.INTL(45322,45292,"1111111")', xf.NETWORKDAYS_INTL, (45322, 45292, "1111111")),
    ]:
        book.add(formula, tracker_answer(f, *args))
    main_rows = len(book.rows)

    # WORKDAY_UK through the Office.js dispatcher, against LibreOffice's WORKDAY with the same
    # GOV.UK list (WorkCalendar's holidays, 1995-2075) on sheet Hols.
    uk = book.wb.create_sheet("UK")
    starts = [dt.date(2000, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 70 * 365, 600)]
    starts[:40] = [dt.date(y, 12, d) for y in range(2020, 2030) for d in (24, 25, 26, 31)]
    days = [int(x) for x in rng.choice([0, 1, -1, 2, 3, -3, 5, 10, 20, -20, 60, 250], len(starts))]
    for i, (s, d) in enumerate(zip(starts, days), 1):
        uk.cell(row=i, column=1, value=f"=WORKDAY({to_serial(s)},{d},{ew_range})")
        uk.cell(row=i, column=2, value=f"=NETWORKDAYS({to_serial(s)},{to_serial(s) + 7 * d},{ew_range})")

    # Known differences: pinned, not compared (see the module docstring).
    diff = book.wb.create_sheet("Differences")
    known = ["=WORKDAY.INTL(45292,1,0)", "=WORKDAY.INTL(45292,1,8)", "=WORKDAY.INTL(45292,1,1.5)",
             "=NETWORKDAYS.INTL(45292,45322,18)", "=WORKDAY(2958465,1)", "=WORKDAY(70,-20)",
             "=EDATE(2958465,1)", "=WORKDAY(45292,1,-5)", "=DATE(1900,1,1)", "=EDATE(61,-1)",
             "=WORKDAY(5,10)", "=NETWORKDAYS(1,60)"]
    for i, formula in enumerate(known, 1):
        diff.cell(row=i, column=1, value=formula)

    src = tmp_path_factory.mktemp("oracle") / "oracle.xlsx"
    book.wb.save(src)
    out = recalc(src, src.parent / "out")
    got = openpyxl.load_workbook(out, data_only=True)
    try:
        calc = [serial_of(got["Calc"].cell(row=r, column=1).value) for r, _, _ in book.rows]
        ukv = [(serial_of(got["UK"].cell(row=i, column=1).value), got["UK"].cell(row=i, column=2).value)
               for i in range(1, len(starts) + 1)]
        diffs = [serial_of(got["Differences"].cell(row=i, column=1).value) for i in range(1, len(known) + 1)]
    finally:
        got.close()
    return book, calc, main_rows, (starts, days, ukv), dict(zip(known, diffs))


def test_thousands_of_native_formulas_match_libreoffice(oracle):
    book, calc, main_rows, _, _ = oracle
    assert main_rows >= 3000
    mismatches = []
    for (row, formula, expected), lo in zip(book.rows, calc):
        same = (lo == expected) if not isinstance(lo, float) else (not math.isnan(lo) and lo == expected)
        if not same:
            mismatches.append((row, formula, lo, expected))
    assert not mismatches, f"{len(mismatches)} of {len(book.rows)} differ (row, formula, LibreOffice, tracker): {mismatches[:20]}"
    # The comparison covered every function, all weekend codes and the documented errors.
    text = "\n".join(f for _, f, _ in book.rows)
    for name in ("=WORKDAY(", "=WORKDAY.INTL(", "=NETWORKDAYS(", "=NETWORKDAYS.INTL(", "=EDATE(", "=EOMONTH("):
        assert text.count(name) >= 800, name
    assert sum(1 for _, _, e in book.rows if e == "#VALUE!") == 5


def test_workday_uk_through_the_dispatcher_matches_libreoffice(oracle):
    _, _, _, (starts, days, lo), _ = oracle
    got = xl("WORKDAY_UK", starts, days)
    assert len(got) == len(starts)
    mism = [(s, d, value([row]), lo_wd) for s, d, row, (lo_wd, _) in zip(starts, days, got, lo)
            if to_serial(value([row])) != lo_wd]
    assert not mism, mism[:10]
    # NETWORKDAYS_UK too, from each start to 7 x days calendar days later.
    ends = [s + dt.timedelta(days=7 * d) for s, d in zip(starts, days)]
    got = xl("NETWORKDAYS_UK", starts, ends)
    mism = [(s, e, value([row]), lo_nwd) for s, e, row, (_, lo_nwd) in zip(starts, ends, got, lo)
            if value([row]) != lo_nwd]
    assert not mism, mism[:10]
    # Single cells too.
    for s, d, (lo_wd, _) in list(zip(starts, days, lo))[:20]:
        assert to_serial(value(xl("WORKDAY_UK", s, d))) == lo_wd


def test_known_differences_from_excel(oracle):
    *_, lo = oracle
    # Invalid weekend numbers: Excel (and tracker) #NUM!, LibreOffice #VALUE!.
    for formula, args in [("=WORKDAY.INTL(45292,1,0)", (45292, 1, 0)), ("=WORKDAY.INTL(45292,1,8)", (45292, 1, 8))]:
        assert lo[formula] == "#VALUE!"
        assert tracker_answer(xf.WORKDAY_INTL, *args) == "#NUM!"
    assert lo["=NETWORKDAYS.INTL(45292,45322,18)"] == "#VALUE!"
    assert tracker_answer(xf.NETWORKDAYS_INTL, 45292, 45322, 18) == "#NUM!"
    # A fractional weekend number: LibreOffice #VALUE!; Excel and tracker truncate it (see
    # test_excelfns.py::test_fractional_weekend_number_is_truncated_like_excel).
    assert lo["=WORKDAY.INTL(45292,1,1.5)"] == "#VALUE!"
    assert tracker_answer(xf.WORKDAY_INTL, 45292, 1, 1.5) == 45293
    # Out of the date system: Excel (and tracker) #NUM!; LibreOffice answers anyway.
    assert lo["=WORKDAY(2958465,1)"] == 2958468
    assert tracker_answer(xf.WORKDAY, 2958465, 1) == "#NUM!"
    assert lo["=EDATE(2958465,1)"] == 2958496
    assert tracker_answer(xf.EDATE, 2958465, 1) == "#NUM!"
    assert lo["=WORKDAY(45292,1,-5)"] == 45293   # the bad holiday is ignored
    assert tracker_answer(xf.WORKDAY, 45292, 1, [-5]) == "#NUM!"
    # Before 01/03/1900: on serials both count weekdays the same uniform way (serial 1 is a
    # Sunday), so WORKDAY and NETWORKDAYS agree even there...
    assert lo["=WORKDAY(70,-20)"] == tracker_answer(xf.WORKDAY, 70, -20) == ref.workday(70, -20) == 44
    assert lo["=WORKDAY(5,10)"] == tracker_answer(xf.WORKDAY, 5, 10) == 19
    assert lo["=NETWORKDAYS(1,60)"] == tracker_answer(xf.NETWORKDAYS, 1, 60) == 43
    # ...but dates are numbered differently: Excel's DATE(1900,1,1) is 1, LibreOffice's 2 (it
    # has no 29/02/1900), so month arithmetic differs: LibreOffice's EDATE(01/03/1900,-1) is its
    # 01/02/1900 = 33, Excel's would be 32. tracker refuses month arithmetic before 01/03/1900.
    assert lo["=DATE(1900,1,1)"] == 2
    assert lo["=EDATE(61,-1)"] == 33
    assert tracker_answer(xf.EDATE, 61, -1) == "#NUM!"


def test_workday_uk_column_with_one_bad_row_keeps_the_other_rows():
    got = xl("WORKDAY_UK", [dt.date(2024, 12, 24), 2958465, dt.date(2025, 4, 17)], [1, 1, 1])
    assert len(got) == 3
    assert value([got[0]]) == dt.date(2024, 12, 27)
    assert str(got[1][0]).startswith("Error: ")
    assert value([got[2]]) == dt.date(2025, 4, 22)
