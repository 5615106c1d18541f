"""A board's working-day calendar: weekends, the nation's bank holidays and its own closure days.

Counting is delegated to ``excelfns`` so that every answer is the one Excel's WORKDAY and
NETWORKDAYS give with the same holiday list.
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property

import numpy as np

from tracker import bankholidays, excelfns
from tracker.errors import ScrError
from tracker.excel_dates import fmt, from_serial, to_serial

# Holidays are generated for a fixed window; reviews are planned within a few years of today
# and historical examples go back to 2008.
FIRST_YEAR, LAST_YEAR = 1995, 2075

ROLLS = ("none", "next", "previous")


def outside_error(day0: dt.date | None = None) -> ScrError:
    """The one sentence for a date the calendar cannot count, whether a single cell or a row of a
    column found it, so the same inputs give the same words everywhere."""
    years = f"the years this calendar knows ({FIRST_YEAR}-{LAST_YEAR})"
    if day0 is not None:
        return ScrError(f"Day 0 {fmt(day0)} falls outside {years}.", fix=f"Enter a Day 0 from {FIRST_YEAR} to {LAST_YEAR}.")
    return ScrError(f"the date or the result falls outside {years}.", fix="Check the date and the number of days.")


class WorkCalendar:
    def __init__(self, nation: str = "england-and-wales", closures=(), weekend=1):
        self.nation = bankholidays.canonical_nation(nation)
        self.closures = tuple(sorted(set(bankholidays.closure_days(closures)))) if closures else ()
        self.weekend = weekend
        self.mask = excelfns.weekend_mask(weekend)

    def __repr__(self) -> str:
        return f"WorkCalendar({self.nation!r}, closures={len(self.closures)}, weekend={self.weekend!r})"

    @cached_property
    def holidays(self) -> tuple[dt.date, ...]:
        """Bank holidays and closure days, sorted, as dates."""
        bank = bankholidays.holiday_dates(self.nation, FIRST_YEAR, LAST_YEAR)
        return tuple(sorted(set(bank) | set(self.closures)))

    @cached_property
    def _bank_set(self) -> frozenset:
        return frozenset(bankholidays.holiday_dates(self.nation, FIRST_YEAR, LAST_YEAR))

    @cached_property
    def _holiday_set(self) -> frozenset:
        return frozenset(self.holidays)

    @cached_property
    def holiday_serials(self) -> np.ndarray:
        return np.array([to_serial(d) for d in self.holidays], dtype="float64")

    @cached_property
    def busdaycal(self):
        return excelfns.busdaycalendar(self.weekend, self.holiday_serials)

    def check_years(self, *dates: dt.date) -> None:
        """Refuse a date whose bank holidays this calendar does not hold (it would count them as working days)."""
        if any(not FIRST_YEAR <= d.year <= LAST_YEAR for d in dates):
            raise outside_error()

    def is_working_day(self, d: dt.date) -> bool:
        return self.mask[d.weekday()] == "0" and d not in self._holiday_set

    def workday(self, start: dt.date, days: int) -> dt.date:
        """Excel's WORKDAY(start, days, holidays) for this calendar."""
        self.check_years(start)
        result = from_serial(excelfns.WORKDAY_INTL(to_serial(start), days, self.mask, self.holiday_serials))
        self.check_years(result)
        return result

    def networkdays(self, start: dt.date, end: dt.date) -> int:
        """Excel's NETWORKDAYS(start, end, holidays): both ends counted, negative when start > end."""
        self.check_years(start, end)
        return excelfns.NETWORKDAYS_INTL(to_serial(start), to_serial(end), self.mask, self.holiday_serials)

    def roll(self, d: dt.date, rule: str = "none") -> dt.date:
        """Move a date that is not a working day to the next or previous one (or leave it)."""
        if rule == "none" or self.is_working_day(d):
            return d
        if rule == "next":
            return self.workday(d - dt.timedelta(days=1), 1)
        if rule == "previous":
            return self.workday(d + dt.timedelta(days=1), -1)
        raise ValueError(f"unknown roll rule {rule!r}; use one of {ROLLS}")

    def non_working_reason(self, d: dt.date) -> str | None:
        """Why a day is not a working day ('Saturday', 'bank holiday', 'closure day'), or None."""
        if self.mask[d.weekday()] == "1":
            return d.strftime("%A")
        # A bank holiday says so even when a board's list of closures repeats it (the worksheet
        # functions pass the whole Holidays sheet, bank holidays included, as closures).
        if d in self._bank_set:
            return "bank holiday"
        if d in self.closures:
            return "closure day"
        return None

    def is_provisional(self, *dates: dt.date) -> bool:
        """True when a bank holiday of any of these dates' years is not yet confirmed by GOV.UK."""
        return any(bankholidays.is_provisional(self.nation, d) for d in dates if d is not None)

    @cached_property
    def _window(self) -> tuple[int, int]:
        return to_serial(dt.date(FIRST_YEAR, 1, 1)), to_serial(dt.date(LAST_YEAR, 12, 31))

    def outside(self, serials: np.ndarray) -> np.ndarray:
        """Which serials fall outside the years whose bank holidays this calendar holds."""
        lo, hi = self._window
        with np.errstate(invalid="ignore"):
            return ~np.isnan(serials) & ((serials < lo) | (serials >= hi + 1))

    def _checked(self, out, bad, errors):
        if bad.any():
            if errors == "raise":
                raise outside_error()
            out = np.where(bad, np.nan, out)
        return (out, bad) if errors == "coerce" else out

    def workday_many(self, starts, days, *, errors: str = "raise"):
        """WORKDAY over whole columns of serials (NaN for blanks) in one pass. With
        errors="coerce" a row outside the calendar's years becomes NaN and (values, bad rows) is returned."""
        s = np.asarray(starts, dtype="float64")
        n = np.asarray(days, dtype="float64")
        bad = self.outside(s)
        out = excelfns.workday_serials(np.where(bad, np.nan, s), n, self.busdaycal)
        return self._checked(out, bad | self.outside(out), errors)

    def networkdays_many(self, starts, ends, *, errors: str = "raise"):
        s = np.asarray(starts, dtype="float64")
        e = np.asarray(ends, dtype="float64")
        bad = self.outside(s) | self.outside(e)
        out = excelfns.NETWORKDAYS_INTL(np.where(bad, np.nan, s), np.where(bad, np.nan, e), self.mask,
                                        self.holiday_serials)
        return self._checked(np.atleast_1d(out), bad, errors)

    def roll_many(self, serials, rule: str) -> np.ndarray:
        """roll() over a column of serials; NaN stays NaN."""
        s = np.asarray(serials, dtype="float64")
        if rule == "none":
            return s
        blank = np.isnan(s)
        d = excelfns.EPOCH64 + np.where(blank, 61, s).astype("int64")
        rolled = np.busday_offset(d, 0, roll="forward" if rule == "next" else "backward", busdaycal=self.busdaycal)
        out = (rolled - excelfns.EPOCH64).astype("float64")
        out[blank] = np.nan
        return out
