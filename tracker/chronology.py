"""Agency chronologies and the integrated chronology (seed 001 §3.7), as pure domain.

Each agency sends its chronology; the board manager merges them into ONE integrated chronology,
in date order, colour coded per agency (the colours are the workbook's business, not this
module's), and codes family and staff names with a key kept apart before it goes to Ofsted.

Dates are written the way the seeds ask for them, and sometimes not:

* exact: ``12/11/04``, ``12/11/2004`` (Rotherham dd/mm/yy), ``01.01.02`` (Bolton dd.mm.yy),
  ``12-11-2004``, ISO ``2004-11-12``, ``12 November 2004``, a real date cell, an Excel serial;
* approximate (seed 001: "even if it is something like 'June 04 approx'"): ``June 04 approx``,
  ``Jun 2004``, ``approx. June 2004``, ``mid 2004``, ``c. 2004``, ``2004``, ``06/2004``,
  ``xx/06/04``, ``?/03/2004``, a season (``spring 2004``: its first month; winter is December);
  also an exact day marked ``approx``.

An approximate date becomes the first day of its period (``June 04 approx`` -> 01/06/2004) with
``approximate=True`` and the text kept as written, so it sorts at the start of its period and is
shown as the agency wrote it. Two-digit years are read as the latest such year not after today
(a chronology records the past: ``04`` is 2004, ``87`` is 1987). A date after today is refused (a
wrong year), as is anything that is not a date; every error is a ScrError naming where it is.

Times (seed 001: "24 hr format, e.g. 14:20. If you know the time of day, please indicate am or
pm"): ``14:30``, ``14.30``, ``1430``, ``2.30pm``, ``2 pm``, ``noon``, ``midnight``, a time cell
-> ``"14:30"``; ``am`` / ``pm`` alone stay ``"am"`` / ``"pm"`` (time of day only).
"""
from __future__ import annotations

import datetime as dt
import difflib
import numbers
import re
from dataclasses import dataclass, fields, replace
from typing import Iterable, NamedTuple

from dateutil.relativedelta import relativedelta

from tracker.errors import ScrError
from tracker.excel_dates import fmt, parse_date
from tracker.names import Coder, check_key  # noqa: F401  (check_key: re-exported)
from tracker.text import words_of

DATE_FIX = "Enter the date as dd/mm/yy (e.g. 12/11/04), or as e.g. 'June 04 approx' when only roughly known."
TIME_FIX = "Enter the time in 24 hour form (e.g. 14:20), or just am or pm, or leave it blank."


@dataclass(frozen=True)
class Entry:
    """One line of a chronology.

    ``date`` is the sortable date (the first day of the period for an approximate date);
    ``date_text`` is the date as the agency wrote it; ``time`` is "HH:MM" (24 hour), "am", "pm"
    or "". ``detail`` is what an agency adds about itself on the line -- the part of its service,
    the worker (Bolton's "Name of Worker"), or the source named in its Agency column when the
    agency is named at the top of the sheet (seed 001: "You may wish to add further detail within
    this column, such as a particular part of your service or the names of staff").
    """
    date: dt.date | None
    date_text: str
    approximate: bool
    time: str
    family: str
    event: str
    agency: str
    action: str
    child_seen: str
    note: str
    source_file: str
    source_row: int
    detail: str = ""
    source_sheet: str = ""
    summary: str = ""  # the agency's summary of themes after its table (Essex, seed 004), on each of its lines


TEXT_FIELDS = tuple(f.name for f in fields(Entry) if f.type in ("str", str))


class When(NamedTuple):
    date: dt.date
    text: str
    approximate: bool
    time: str  # from a "Date & Time" cell (Durham); "" otherwise


# ---- dates -----------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(\d{4}|\d{2})"

# Words that make a date approximate; they may come before or after it, in brackets or not.
_QUALIFIER = re.compile(
    r"\b(?:approx(?:imately|imate)?|appr?ox|circa|about|around|roughly|est(?:imated)?|early|mid|late)\b\.?"
    r"|(?<![\w])c\.|(?<![\w])ca\.|\?+|~", re.I)
_UNKNOWN_DAY = re.compile(r"^(?:x{1,2}|\?{1,2}|-{1,2})[/.\-](\d{1,2})[/.\-]" + _YEAR + r"$", re.I)
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+" + _YEAR + "$", re.I)
_MONTH_YEAR = re.compile(r"^" + _MONTH + r"[\s,/\-']*'?" + _YEAR + "$", re.I)
_NUM_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR_ONLY = re.compile(r"^(\d{4})$")
# A season and a year ("spring 2004", "Summer 04"): winter is the December of that year.
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_YEAR = re.compile(r"^(spring|summer|autumn|fall|winter)[\s,/\-']*'?" + _YEAR + "$", re.I)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})$")
_TRAILING_TIME = re.compile(
    r"^(.*?\S)\s*(?:,|\bat\b)?\s+(\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?|[ap]\.?m\.?"
    r"|noon|midday|midnight|\d{4}\s*(?:hrs|hours|h))$", re.I)


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _century(yy: int, today: dt.date) -> int:
    """A two-digit year as the latest such year not after today (a chronology is the past)."""
    year = today.year - today.year % 100 + yy
    return year - 100 if year > today.year else year


def _year(text: str, today: dt.date) -> int:
    return _century(int(text), today) if len(text) == 2 else int(text)


def _real(y: int, m: int, d: int, original: str, what: str, where: dict) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        hint = " It looks like a US-style month/day date." if m > 12 and d <= 12 else ""
        raise ScrError(f"{what} '{original}' is not a real date.{hint}", fix=DATE_FIX, **where) from None


def _check_range(d: dt.date, original: str, what: str, today: dt.date, where: dict) -> dt.date:
    if d.year < 1900:
        raise ScrError(f"{what} '{original}' is before 1900.", fix="Check the year. " + DATE_FIX, **where)
    if d > today:
        raise ScrError(f"{what} '{original}' ({fmt(d)}) is after today ({fmt(today)}); a chronology records what "
                       "has happened.", fix="Check the year. " + DATE_FIX, **where)
    return d


def parse_when(value, *, today: dt.date | None = None, what: str = "date", **where) -> When | None:
    """The date of a chronology line from a cell's value; None for a blank cell.

    ``where`` (file, sheet, row, column, header) goes into the ScrError for a bad date.
    """
    today = _today(today)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        d = _check_range(value.date(), fmt(value.date()), what, today, where)
        t = value.time()
        return When(d, fmt(d), False, "" if t == dt.time(0) else f"{t.hour:02d}:{t.minute:02d}")
    if isinstance(value, dt.date):
        return When(_check_range(value, fmt(value), what, today, where), fmt(value), False, "")
    if isinstance(value, bool):
        raise ScrError(f"{what} holds TRUE/FALSE, not a date.", fix=DATE_FIX, **where)
    if isinstance(value, numbers.Real):
        if float(value).is_integer() and 1900 <= value <= 2100:  # a year typed as a number, not serial 1900
            y = int(value)
            return When(_check_range(dt.date(y, 1, 1), str(y), what, today, where), str(y), True, "")
        try:
            d = parse_date(value, what=what, **where)
        except ScrError as e:
            raise ScrError(e.message, fix=DATE_FIX, **where) from None
        frac = float(value) % 1
        minutes = round(frac * 1440)
        time = f"{minutes // 60:02d}:{minutes % 60:02d}" if 0 < minutes < 1440 else ""
        return When(_check_range(d, fmt(d), what, today, where), fmt(d), False, time)

    original = " ".join(str(value).split())
    text = original
    time = ""
    m = _TRAILING_TIME.match(text)
    if m:
        try:
            time = parse_time(m.group(2), what=f"the time in {what}", **where)
            text = m.group(1).rstrip(" ,")
        except ScrError:
            time = ""
    date_text = text  # as written, without a time that came with it

    m = _UNKNOWN_DAY.match(text)
    if m:  # xx/06/04: the month is known, the day not
        mth, y = int(m.group(1)), _year(m.group(2), today)
        d = _real(y, mth, 1, original, what, where)
        return When(_check_range(d, original, what, today, where), date_text, True, time)

    approx = bool(_QUALIFIER.search(text))
    core = _QUALIFIER.sub(" ", text)
    core = re.sub(r"[()\[\]]", " ", core)
    core = " ".join(core.split()).strip(" ,;:-")

    m = _DMY.match(core)
    if m:  # dd/mm/yy, dd.mm.yy (Bolton), dd-mm-yy: our pivot, not Excel's
        d_, mth, yy = (int(g) for g in m.groups())
        d = _real(_century(yy, today), mth, d_, original, what, where)
        return When(_check_range(d, original, what, today, where), date_text if approx else fmt(d), approx, time)
    m = _DAY_MONTH_YEAR.match(core)
    if m:
        d = _real(_year(m.group(3), today), _MONTHS[m.group(2).lower()], int(m.group(1)), original, what, where)
        return When(_check_range(d, original, what, today, where), date_text if approx else fmt(d), approx, time)
    m = _MONTH_YEAR.match(core)
    if m:
        d = dt.date(_year(m.group(2), today), _MONTHS[m.group(1).lower()], 1)
        return When(_check_range(d, original, what, today, where), date_text, True, time)
    m = _NUM_MONTH_YEAR.match(core)
    if m:
        d = _real(int(m.group(2)), int(m.group(1)), 1, original, what, where)
        return When(_check_range(d, original, what, today, where), date_text, True, time)
    m = _SEASON_YEAR.match(core)
    if m:  # "spring 2004": approximate, at the first day of the season's first month
        d = dt.date(_year(m.group(2), today), _SEASONS[m.group(1).lower()], 1)
        return When(_check_range(d, original, what, today, where), date_text, True, time)
    m = _YEAR_ONLY.match(core)
    if m:
        d = dt.date(int(m.group(1)), 1, 1)
        return When(_check_range(d, original, what, today, where), date_text, True, time)
    try:  # dd/mm/yyyy, ISO
        d = parse_date(core, what=what, **where)
    except ScrError as e:
        if "not a real date" in e.message:
            raise ScrError(e.message.replace(f"'{core}'", f"'{original}'"), fix=DATE_FIX, **where) from None
        shown = original if len(original) <= 40 else original[:40] + "…"
        raise ScrError(f"{what} '{shown}' is not a date.", fix=DATE_FIX, **where) from None
    return When(_check_range(d, original, what, today, where), date_text if approx else fmt(d), approx, time)


# ---- times -----------------------------------------------------------------------------

_HHMM = re.compile(r"^(\d{1,2})(?:[:.](\d{2})(?::\d{2})?)?\s*(?:(a|p)\.?\s?m\.?)?$", re.I)
_COMPACT = re.compile(r"^(\d{2})(\d{2})\s*(?:hrs|hours|h)?$", re.I)


def parse_time(value, *, what: str = "time", **where) -> str:
    """"HH:MM" (24 hour), "am", "pm" or "" for a blank cell; ScrError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, bool):
        raise ScrError(f"{what} holds TRUE/FALSE, not a time.", fix=TIME_FIX, **where)
    if isinstance(value, numbers.Real):
        if 0 <= value < 1:  # Excel's time of day: a fraction of a day
            minutes = round(float(value) * 1440) % 1440
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        if float(value).is_integer() and 100 <= value <= 2359 and int(value) % 100 < 60:  # 1430 typed as a number
            return f"{int(value) // 100:02d}:{int(value) % 100:02d}"
        raise ScrError(f"{what} {value!r} is not a time of day.", fix=TIME_FIX, **where)
    original = " ".join(str(value).split())
    t = original.lower().strip(" .")
    if t in ("am", "a.m", "morning"):
        return "am"
    if t in ("pm", "p.m", "afternoon", "evening"):
        return "pm"
    if t in ("noon", "midday"):
        return "12:00"
    if t == "midnight":
        return "00:00"
    m = _COMPACT.match(t)
    if m:
        h, mi, half = int(m.group(1)), int(m.group(2)), None
    else:
        m = _HHMM.match(t)
        if not m or (m.group(2) is None and m.group(3) is None):
            raise ScrError(f"{what} '{original[:40]}' is not a time.", fix=TIME_FIX, **where)
        h, mi, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower() or None
    if half:
        if not 1 <= h <= 12:
            raise ScrError(f"{what} '{original}' is not a time: am/pm hours run from 1 to 12.", fix=TIME_FIX, **where)
        h = h % 12 + (12 if half == "p" else 0)
    if h > 23 or mi > 59:
        raise ScrError(f"{what} '{original}' is not a time.", fix=TIME_FIX, **where)
    return f"{h:02d}:{mi:02d}"


# ---- merging ---------------------------------------------------------------------------

def agency_key(name: str) -> str:
    """Agencies are the same when they differ only in case and spacing."""
    return " ".join(str(name).split()).casefold()


def _time_key(time: str) -> tuple[int, int]:
    if not time:
        return (0, 0)  # no time: first on its day
    if time == "am":
        return (1, 0)
    if time == "pm":
        return (1, 12 * 60)
    h, m = time.split(":")
    return (1, int(h) * 60 + int(m))


def sort_key(e: Entry):
    """Date (None last), approximate before exact on the same date (an approximate date stands at
    the start of its period), then time (none, then am/pm and times of day), then agency."""
    return (e.date is None, e.date or dt.date.min, not e.approximate, _time_key(e.time), agency_key(e.agency))


def expand_codes(entries: Iterable[Entry], codes: dict[str, str]) -> list[Entry]:
    """Each agency written as a code (seed 000 §6: "POL", "CYPS") named as the board's settings
    name it (``codes``: folded code -> agency), so "POL" and "Police" are one agency; the code as
    written is kept in the line's detail."""
    out = []
    for e in entries:
        name = codes.get(agency_key(e.agency))
        if name and agency_key(name) != agency_key(e.agency):
            e = replace(e, agency=name, detail="; ".join(x for x in (e.detail, f"written as {e.agency.strip()}") if x))
        out.append(e)
    return out


def age_at(born: dt.date, day: dt.date | None, approximate: bool = False) -> str:
    """A child's age on the day of an event, as a chronology gives it: "3y 2m", "5m", "2w",
    "before birth"; "c." before it when the event's date is approximate."""
    if day is None:
        return ""
    if day < born:
        return "before birth"
    d = relativedelta(day, born)
    text = (f"{d.years}y {d.months}m" if d.years else f"{d.months}m" if d.months
            else f"{(day - born).days // 7}w")
    return ("c. " if approximate else "") + text


def with_ages(family: str, day: dt.date | None, approximate: bool, births: dict[str, dt.date]) -> str:
    """The Family member(s) text with each child's age after its code, where the key gives a date
    of birth (issue 11: the child's age at each event)."""
    out = family
    for code, born in births.items():
        age = age_at(born, day, approximate)
        if age and re.search(rf"(?<!\w){re.escape(code)}(?!\w)", out):
            out = re.sub(rf"(?<!\w){re.escape(code)}(?!\w)", f"{code} ({age})", out, count=1)
    return out


DUPLICATE_RATIO = 0.6  # how alike two events' words must be (difflib's ratio) to be flagged


def possible_duplicates(entries: list[Entry]) -> dict[int, list[int]]:
    """For each entry (its index in ``entries``, merged), the entries of OTHER agencies on the same
    exact day whose event reads much the same (issue 11: one visit recorded by the health visitor
    and by the GP): flagged for the panel to check, never removed."""
    out: dict[int, list[int]] = {}
    by_day: dict[dt.date, list[int]] = {}
    for i, e in enumerate(entries):
        if e.date is not None and not e.approximate:
            by_day.setdefault(e.date, []).append(i)
    for same in by_day.values():
        for a_pos, a in enumerate(same):
            for b in same[a_pos + 1:]:
                ea, eb = entries[a], entries[b]
                if agency_key(ea.agency) == agency_key(eb.agency):
                    continue
                ratio = difflib.SequenceMatcher(None, words_of(ea.event), words_of(eb.event)).ratio()
                if ratio >= DUPLICATE_RATIO:
                    out.setdefault(a, []).append(b)
                    out.setdefault(b, []).append(a)
    return out


def merge(entries: Iterable[Entry]) -> list[Entry]:
    """All agencies' entries in one list in chronological order (stable: entries that tie keep
    the order they were given in, i.e. each agency's own order)."""
    return sorted(entries, key=sort_key)


def agencies(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Entries per agency, agencies in order of first appearance, each named as first spelt."""
    out: dict[str, list[Entry]] = {}
    names: dict[str, str] = {}
    for e in entries:
        k = agency_key(e.agency)
        name = names.setdefault(k, " ".join(e.agency.split()))
        out.setdefault(name, []).append(e)
    return out


# ---- coding names (the matching itself: tracker/names.py) --------------------------------

class Leftover(NamedTuple):
    """Where words that may be names are still found after coding: ``entry`` is the index in the
    entries given, ``field`` the Entry field, ``words`` how many. Never the words themselves."""
    entry: int
    field: str
    words: int


def code_names(entries: Iterable[Entry], key: dict[str, str]) -> list[Entry]:
    """New entries with every name in ``key`` (full name -> code) replaced by its code in every
    text field, however typed (see tracker.names: case, accents, apostrophes, invisible
    characters, initials, a forename or surname alone when only one person has it). Longer names
    are replaced first, in one pass, so a code is never itself replaced. The key is not kept."""
    entries = list(entries)
    coder = Coder(key)
    return [replace(e, **{f: coder.code(getattr(e, f)) for f in TEXT_FIELDS}) for e in entries]


def code_text(text: str, key: dict[str, str]) -> str:
    """One text with the key's names replaced by their codes, as :func:`code_names` does."""
    return Coder(key).code(text)


def names_left(entries: Iterable[Entry], key: dict[str, str]) -> list[Leftover]:
    """Every entry and field still holding a capitalised word that is part of a name in the key:
    what coding did not (or would not guess to) code ("Mrs Brown" when the key has two Browns).
    An empty list is the only case in which the names may be called coded."""
    coder = Coder(key)
    return [Leftover(i, f, n) for i, e in enumerate(entries) for f in TEXT_FIELDS
            if (n := coder.leftovers(getattr(e, f)))]


def text_names_left(text: str, key: dict[str, str]) -> int:
    """How many capitalised words of one coded text (a title) are part of a name in the key."""
    return Coder(key).leftovers(text)
