"""A board's working-day calendar: weekends, the nation's bank holidays and its own closure days.

Counting is delegated to ``excelfns`` so that every answer is the one Excel's WORKDAY and
NETWORKDAYS give with the same holiday list.
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property

import numpy as np

from tracker import bankholidays, excelfns
from tracker.excel_dates import from_serial, to_serial

# Holidays are generated for a fixed window; reviews are planned within a few years of today
# and historical examples go back to 2008.
FIRST_YEAR, LAST_YEAR = 1995, 2075

ROLLS = ("none", "next", "previous")


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
    def _holiday_set(self) -> frozenset:
        return frozenset(self.holidays)

    @cached_property
    def holiday_serials(self) -> np.ndarray:
        return np.array([to_serial(d) for d in self.holidays], dtype="float64")

    @cached_property
    def busdaycal(self):
        return excelfns.busdaycalendar(self.weekend, self.holiday_serials)

    def _check_year(self, *dates: dt.date) -> None:
        for d in dates:
            if not FIRST_YEAR <= d.year <= LAST_YEAR:
                from tracker.errors import ScrError
                raise ScrError(f"{d:%d/%m/%Y} is outside the years this calendar knows ({FIRST_YEAR}-{LAST_YEAR}).")

    def is_working_day(self, d: dt.date) -> bool:
        return self.mask[d.weekday()] == "0" and d not in self._holiday_set

    def workday(self, start: dt.date, days: int) -> dt.date:
        """Excel's WORKDAY(start, days, holidays) for this calendar."""
        self._check_year(start)
        result = from_serial(excelfns.WORKDAY_INTL(to_serial(start), days, self.mask, self.holiday_serials))
        self._check_year(result)
        return result

    def networkdays(self, start: dt.date, end: dt.date) -> int:
        """Excel's NETWORKDAYS(start, end, holidays): both ends counted, negative when start > end."""
        self._check_year(start, end)
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
        if d in self.closures:
            return "closure day"
        if d in self._holiday_set:
            return "bank holiday"
        return None

    def is_provisional(self, *dates: dt.date) -> bool:
        """True when a bank holiday of any of these dates' years is not yet confirmed by GOV.UK."""
        return any(bankholidays.is_provisional(self.nation, d) for d in dates if d is not None)

    def workday_many(self, starts, days) -> np.ndarray:
        """WORKDAY over whole columns of serials (NaN for blanks) in one pass."""
        return excelfns.WORKDAY_INTL(np.asarray(starts, dtype="float64"), np.asarray(days, dtype="float64"),
                                     self.mask, self.holiday_serials)

    def networkdays_many(self, starts, ends) -> np.ndarray:
        return excelfns.NETWORKDAYS_INTL(np.asarray(starts, dtype="float64"), np.asarray(ends, dtype="float64"),
                                         self.mask, self.holiday_serials)

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
