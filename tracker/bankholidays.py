"""Bank holidays per UK nation, and a board's own closure days.

GOV.UK is the source of truth, read from the copy bundled inside the `govuk-bank-holidays`
package: the tracker must give the same answer offline, on any machine, every time, so nothing
here ever downloads. Years outside that copy come from the `holidays` package's rules:

* later years are *provisional* — the rules cannot know about one-off holidays (jubilees,
  funerals, coronations) that a government has not yet announced, so a deadline in such a year
  may move;
* earlier years are history: the rules include the past one-offs (1999 Millennium, 2002 and
  2012 jubilees, 2011 royal wedding), so they are *not* provisional, only marked
  ``source="holidays-rules"``.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
import re
from dataclasses import dataclass
from typing import Literal

import holidays as holidays_pkg

from tracker.errors import ScrError
from tracker.text import did_you_mean

NATIONS = ("england-and-wales", "scotland", "northern-ireland")
DEFAULT_NATION = NATIONS[0]

# Before 1900 Excel has no dates; after its end year `holidays` silently returns nothing,
# which would make every day a working day.
FIRST_YEAR = 1900
LAST_YEAR = holidays_pkg.UK.end_year

_SUBDIV = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}

# Keys are the name lower-cased with everything but letters and "&" removed, so
# "England & Wales", "england_and_wales", "N. Ireland" and "GB-SCT" all land here.
_ALIASES = {
    **dict.fromkeys(["englandandwales", "englandwales", "england&wales", "e&w", "ew", "england",
                     "wales", "eng", "wls", "gbeng", "gbwls"], "england-and-wales"),
    **dict.fromkeys(["scotland", "scot", "sco", "sct", "gbsct"], "scotland"),
    **dict.fromkeys(["northernireland", "nireland", "ni", "nir", "gbnir"], "northern-ireland"),
}


@dataclass(frozen=True, order=True)
class BankHoliday:
    date: dt.date
    title: str
    nation: str
    provisional: bool
    source: Literal["gov.uk", "holidays-rules"]


def canonical_nation(name: str | None) -> str:
    """One of NATIONS. An empty value means the default, so a blank settings cell just works."""
    if name is None or not str(name).strip():
        return DEFAULT_NATION
    key = re.sub(r"[^a-z&]", "", str(name).lower())
    try:
        return _ALIASES[key]
    except KeyError:
        raise ScrError(f"'{name}' is not a UK nation this tracker knows.{did_you_mean(name, NATIONS)}",
                       fix="Use england-and-wales, scotland or northern-ireland.") from None


@functools.lru_cache(maxsize=1)
def _govuk_data() -> dict:
    # Read the JSON file directly rather than via BankHolidays(): that module imports `requests`
    # and downloads unless told otherwise; a file read cannot reach the network.
    path = importlib.resources.files("govuk_bank_holidays") / "bank-holidays.json"
    return json.loads(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _govuk(nation: str) -> tuple[tuple[dt.date, str], ...]:
    events = _govuk_data()[nation]["events"]
    return tuple(sorted((dt.date.fromisoformat(e["date"]), e["title"]) for e in events))


def govuk_last_date(nation: str = DEFAULT_NATION) -> dt.date:
    """The last bank holiday in the bundled GOV.UK data for this nation."""
    return _govuk(canonical_nation(nation))[-1][0]


@functools.lru_cache(maxsize=None)
def govuk_years(nation: str = DEFAULT_NATION) -> tuple[int, int]:
    """First and last *whole* calendar years the bundled GOV.UK data covers.

    Every year starts with New Year's Day or its substitute (by 3 Jan) and ends with Boxing Day
    or its substitute (26-28 Dec), so data that starts later or stops earlier only has part of
    that year, and the year must not count as covered.
    """
    events = _govuk(canonical_nation(nation))
    return _whole_years(events[0][0], events[-1][0])


def _whole_years(first: dt.date, last: dt.date) -> tuple[int, int]:
    first_year = first.year if first <= dt.date(first.year, 1, 3) else first.year + 1
    last_year = last.year if last >= dt.date(last.year, 12, 26) else last.year - 1
    return first_year, last_year


def is_provisional(nation: str, d: dt.date) -> bool:
    """True if d's year is later than GOV.UK has published, so its holidays may still change."""
    return d.year > govuk_years(canonical_nation(nation))[1]


@functools.lru_cache(maxsize=4096)
def _year(nation: str, year: int) -> tuple[BankHoliday, ...]:
    first_year, last_year = govuk_years(nation)
    provisional = year > last_year
    govuk = [(d, t) for d, t in _govuk(nation) if d.year == year]
    if first_year <= year <= last_year:
        return tuple(BankHoliday(d, t, nation, False, "gov.uk") for d, t in govuk)
    # Outside the whole years: GOV.UK still wins for any dates it has (a partial year), the
    # rules fill the rest of the year.
    first, last = _govuk(nation)[0][0], _govuk(nation)[-1][0]
    rules = holidays_pkg.country_holidays("GB", subdiv=_SUBDIV[nation], years=year)
    found = [BankHoliday(d, t, nation, provisional, "gov.uk") for d, t in govuk]
    found += [
        BankHoliday(d, t, nation, provisional, "holidays-rules")
        for d, t in rules.items()
        # `holidays` lists a Saturday Christmas as well as its Monday "(observed)" substitute;
        # GOV.UK lists only the day off, and a board with a 6-day week must not lose Saturday.
        if d.weekday() < 5 and not first <= d <= last
    ]
    return tuple(sorted(found))


def _year_range(nation: str, start_year: int | None, end_year: int | None) -> range:
    first_year, last_year = govuk_years(nation)
    start = start_year if start_year is not None else min(first_year, end_year or first_year)
    end = end_year if end_year is not None else max(last_year, start)
    if not FIRST_YEAR <= start <= end <= LAST_YEAR:
        raise ScrError(f"Bank holidays were asked for the years {start} to {end}.",
                       fix=f"Use years from {FIRST_YEAR} to {LAST_YEAR}, the first no later "
                           "than the last.")
    return range(start, end + 1)


def bank_holidays(nation: str = DEFAULT_NATION, start_year: int | None = None,
                  end_year: int | None = None) -> tuple[BankHoliday, ...]:
    """Sorted bank holidays for the years given (both ends included).

    Without years: the whole years GOV.UK covers; with only a start year later than that,
    just that year.
    """
    nation = canonical_nation(nation)
    return tuple(h for y in _year_range(nation, start_year, end_year) for h in _year(nation, y))


def holiday_dates(nation: str = DEFAULT_NATION, start_year: int | None = None,
                  end_year: int | None = None) -> tuple[dt.date, ...]:
    """Just the dates of bank_holidays(), cached, for the working-day calendar."""
    return _holiday_dates(canonical_nation(nation), start_year, end_year)


@functools.lru_cache(maxsize=256)
def _holiday_dates(nation: str, start_year: int | None, end_year: int | None):
    return tuple(h.date for h in bank_holidays(nation, start_year, end_year))


# ---- a board's own closure days -------------------------------------------------------------

_EXPECTED = ("Write dates as dd/mm/yyyy (27/12/2025) or yyyy-mm-dd (2025-12-27), and ranges as "
             "27/12/2025-31/12/2025 or 2025-12-27..2025-12-31; separate entries with commas.")
_DATE = r"(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})"
_RANGE = re.compile(rf"{_DATE}\s*(?:\.\.|-|–|to)\s*{_DATE}", re.IGNORECASE)
# A range longer than this is almost certainly a mistyped year, not a closure.
_MAX_RANGE_DAYS = 366


def _parse_date(text: str, entry) -> dt.date:
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScrError(f"Closure day '{entry}' is not a real date.", fix=_EXPECTED) from None


def _parse_entry(entry) -> list[dt.date]:
    # datetime first: it is a subclass of date and a worksheet hands dates over as datetimes.
    if isinstance(entry, dt.datetime):
        return [entry.date()]
    if isinstance(entry, dt.date):
        return [entry]
    if not isinstance(entry, str):
        raise ScrError(f"Closure day '{entry}' is not a date or a date range.", fix=_EXPECTED)
    text = entry.strip()
    if re.fullmatch(_DATE, text):
        return [_parse_date(text, entry)]
    match = _RANGE.fullmatch(text)
    if not match:
        raise ScrError(f"Closure day '{entry}' is not a date or a date range.", fix=_EXPECTED)
    start, end = (_parse_date(g, entry) for g in match.groups())
    days = (end - start).days
    if days < 0 or days >= _MAX_RANGE_DAYS:
        raise ScrError(f"Closure range '{entry}' must run forwards and last at most a year.",
                       fix=_EXPECTED)
    return [start + dt.timedelta(n) for n in range(days + 1)]


def closure_days(spec) -> tuple[dt.date, ...]:
    """A board's own closure days, sorted and without repeats.

    spec is a date, a string of comma/semicolon/line separated entries, or an iterable of
    either (blank cells skipped); each entry is a date or an inclusive range.
    """
    if spec is None:
        return ()
    items = [spec] if isinstance(spec, (str, dt.date)) else list(spec)
    days: set[dt.date] = set()
    for item in items:
        parts = re.split(r"[,;\n]", item) if isinstance(item, str) else [item]
        for part in parts:
            if part is None or (isinstance(part, str) and not part.strip()):
                continue
            days.update(_parse_entry(part))
    return tuple(sorted(days))
