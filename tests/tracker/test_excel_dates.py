"""Excel serial numbers <-> dates, and the dates people type (tracker.excel_dates)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tracker.errors import ScrError
from tracker.excel_dates import fmt, from_serial, parse_date, to_serial

D = dt.date


# ---- serials ----------------------------------------------------------------------------

# Worked out by hand: Excel's serial 1 is 01/01/1900, 59 is 28/02/1900, 60 is the phantom
# 29/02/1900, 61 is 01/03/1900; 2958465 is 31/12/9999. 45292 is 01/01/2024 (from 61 on the
# serial is the number of days since 30/12/1899: 2024-01-01 - 1899-12-30 = 45292 days).
ROUND_TRIP = [
    (1, D(1900, 1, 1)),
    (2, D(1900, 1, 2)),
    (59, D(1900, 2, 28)),
    (61, D(1900, 3, 1)),
    (62, D(1900, 3, 2)),
    (36526, D(2000, 1, 1)),
    (45292, D(2024, 1, 1)),
    (45351, D(2024, 2, 29)),
    (2958465, D(9999, 12, 31)),
]


@pytest.mark.parametrize("serial,date", ROUND_TRIP)
def test_serial_round_trip(serial, date):
    assert from_serial(serial) == date
    assert to_serial(date) == serial
    assert from_serial(to_serial(date)) == date


def test_to_serial_drops_time_of_day():
    assert to_serial(dt.datetime(2024, 1, 1, 23, 59)) == 45292


@pytest.mark.parametrize("serial", [45292.0, 45292.25, 45292.5, 45292.999999])
def test_fractional_serial_is_truncated_to_the_day(serial):
    assert from_serial(serial) == D(2024, 1, 1)


def test_serial_60_is_refused_with_a_clear_message():
    with pytest.raises(ScrError) as e:
        from_serial(60)
    assert "29/02/1900" in str(e.value) and "never existed" in str(e.value)
    assert "01/03/1900" in str(e.value)  # says what to do instead
    with pytest.raises(ScrError, match="29/02/1900"):
        from_serial(60.75)  # a time on the phantom day is refused too


@pytest.mark.parametrize("serial", [0, -1, 0.5])
def test_serial_before_1_is_refused(serial):
    with pytest.raises(ScrError, match="serial numbers from 1"):
        from_serial(serial)


def test_serial_after_9999_is_refused():
    with pytest.raises(ScrError, match="31/12/9999"):
        from_serial(2958466)


def test_date_before_1900_is_refused():
    with pytest.raises(ScrError, match="01/01/1900"):
        to_serial(D(1899, 12, 31))


# ---- fmt --------------------------------------------------------------------------------

@pytest.mark.parametrize("date,text", [
    (D(2024, 1, 5), "05/01/2024"),
    (D(2024, 12, 31), "31/12/2024"),
    (D(1900, 3, 1), "01/03/1900"),
    (D(999, 1, 1), "01/01/0999"),
    (None, ""),
])
def test_fmt_is_dd_mm_yyyy(date, text):
    assert fmt(date) == text


# ---- parse_date -------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("05/01/2024", D(2024, 1, 5)),          # dd/mm/yyyy
    ("5/1/2024", D(2024, 1, 5)),
    ("5/1/24", D(2024, 1, 5)),              # d/m/yy
    ("05.01.24", D(2024, 1, 5)),            # dd.mm.yy
    ("05-01-2024", D(2024, 1, 5)),
    ("  05/01/2024 ", D(2024, 1, 5)),
    ("1/1/29", D(2029, 1, 1)),              # Excel's two-digit-year pivot: 00-29 -> 2000s
    ("1/1/30", D(1930, 1, 1)),              #                                30-99 -> 1900s
    ("29/02/2024", D(2024, 2, 29)),
    ("2024-01-05", D(2024, 1, 5)),          # ISO
    ("2024-1-5", D(2024, 1, 5)),
    ("2024-01-05T13:45:00", D(2024, 1, 5)),
    (D(2024, 1, 5), D(2024, 1, 5)),
    (dt.datetime(2024, 1, 5, 13, 45), D(2024, 1, 5)),  # datetime: time dropped
    (45296, D(2024, 1, 5)),                 # serial
    (45296.75, D(2024, 1, 5)),              # fractional serial truncated
    (np.float64(45296.0), D(2024, 1, 5)),
    (None, None),                           # blanks
    ("", None),
    ("   ", None),
    (float("nan"), None),
])
def test_parse_date_forms(value, expected):
    assert parse_date(value) == expected


def test_parse_date_pandas_timestamp():
    pd = pytest.importorskip("pandas")
    assert parse_date(pd.Timestamp("2024-01-05 10:00")) == D(2024, 1, 5)


def test_parse_date_pandas_nat_is_blank():
    pd = pytest.importorskip("pandas")
    assert parse_date(pd.NaT) is None


def test_parse_date_numpy_integer_serial():
    assert parse_date(np.int64(45296)) == D(2024, 1, 5)


@pytest.mark.parametrize("value,message", [
    ("31/02/2024", "'31/02/2024' is not a real date."),
    ("29/02/2023", "'29/02/2023' is not a real date."),
    ("2024-13-01", "'2024-13-01' is not a real date."),
    ("hello", "'hello' is not a date."),
    ("TRUE", "'TRUE' is not a date."),
    ("5 Jan 2024", "'5 Jan 2024' is not a date."),
])
def test_parse_date_bad_text(value, message):
    with pytest.raises(ScrError) as e:
        parse_date(value, what="Day 0")
    assert e.value.message == f"Day 0 {message}"
    assert "dd/mm/yyyy" in str(e.value)  # says what form to use
    assert "US-style" not in str(e.value)


def test_parse_date_us_style_gets_the_hint():
    with pytest.raises(ScrError) as e:
        parse_date("12/31/2024", what="Day 0")
    assert e.value.message == "Day 0 '12/31/2024' is not a real date. It looks like a US-style month/day date."
    assert e.value.fix == "Enter the date as dd/mm/yyyy, day first."


@pytest.mark.parametrize("value", [True, False])
def test_parse_date_boolean_is_not_a_date(value):
    with pytest.raises(ScrError) as e:
        parse_date(value, what="due date")
    assert e.value.message == "due date holds TRUE/FALSE, not a date."
    assert "dd/mm/yyyy" in e.value.fix


def test_parse_date_bad_serial_names_what():
    with pytest.raises(ScrError) as e:
        parse_date(60, what="Day 0")
    assert e.value.message.startswith("Day 0: Serial 60 is Excel's 29/02/1900")
    with pytest.raises(ScrError, match="Day 0: 2958466 is after 31/12/9999"):
        parse_date(2958466, what="Day 0")


def test_parse_date_error_names_where():
    with pytest.raises(ScrError) as e:
        parse_date("31/02/2024", what="Day 0", file="case.xlsx", sheet="Timescale", row=7, column="C")
    text = str(e.value)
    assert text.startswith("case.xlsx, sheet 'Timescale', row 7, column C: Day 0 '31/02/2024'")
    assert "Fix: Enter the date as dd/mm/yyyy, day first." in text


def test_long_text_is_cut_in_the_message():
    with pytest.raises(ScrError) as e:
        parse_date("x" * 100)
    assert "x" * 40 in e.value.message and "x" * 41 not in e.value.message
