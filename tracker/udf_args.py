"""Argument shapes for the worksheet functions: what Excel sends, as the domain takes it.

Excel sends ranges as 2-D lists, a single cell as a scalar or [[v]], dates as serial numbers
(Office.js, xlwings Lite) or datetimes (classic xlwings), blanks as None or "". These helpers
turn that into columns, dates and calendars, and lay results out again as the input was laid
out. No rule of the tracker lives here: the rules are the domain's (tracker.status, .plan,
.receipts, .rag), which `scr` uses too.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from tracker import excelfns, words
from tracker.calendar import WorkCalendar
from tracker.errors import ScrError
from tracker.excel_dates import MAX_SERIAL, from_serial, parse_date, to_serial

is_blank = words.is_blank


def grid(v) -> list[list]:
    """Any argument as a 2-D list (Excel ranges already are)."""
    if isinstance(v, (list, tuple)):
        if v and isinstance(v[0], (list, tuple)):
            return [list(r) for r in v]
        return [[x] for x in v]
    return [[v]]


def flat(v) -> list:
    return [x for row in grid(v) for x in row]


def scalar(v):
    g = grid(v)
    return g[0][0] if len(g) == 1 and len(g[0]) == 1 else None if not g else v


def text(v, default: str | None = None) -> str | None:
    v = scalar(v)
    return default if is_blank(v) else str(v).strip()


def serial_column(values, what: str) -> tuple[np.ndarray, dict[int, str]]:
    """Floats (NaN for blanks) and per-row messages for cells that are not dates, fast when the
    column is all numbers. Text is not a date (tracker.words.date_cell), in every face."""
    cells = flat(values)
    try:
        if any(isinstance(v, bool) for v in cells):
            raise TypeError("TRUE/FALSE is not a date")
        arr = np.array(cells, dtype="float64")
        whole = np.floor(arr)
        # Excel's own limits: serial 1 (01/01/1900) to 31/12/9999, and 60 never existed
        bad = ~np.isnan(arr) & ((arr < 1) | (arr >= MAX_SERIAL + 1) | (whole == 60))
        if not bad.any():
            return arr, {}
    except (TypeError, ValueError):
        pass
    out = np.full(len(cells), np.nan)
    errors = {}
    for i, v in enumerate(cells):
        try:
            d = words.date_cell(v, what)
        except words.InputError as e:
            errors[i] = e.cell_text
            continue
        if d is not None:
            out[i] = to_serial(d)
    return out, errors


def number_column(values, what: str) -> tuple[np.ndarray, dict[int, str]]:
    cells = flat(values)
    if not any(isinstance(v, (bool, str)) for v in cells):
        try:
            return np.array(cells, dtype="float64"), {}  # None becomes NaN: a blank passes through
        except (TypeError, ValueError):
            pass
    out = np.full(len(cells), np.nan)
    errors = {}
    for i, v in enumerate(cells):
        if is_blank(v):
            continue
        try:
            if isinstance(v, bool):
                raise TypeError(v)  # Excel gives #VALUE! for TRUE as a number of days
            out[i] = float(v)
        except (TypeError, ValueError):
            errors[i] = f"{words.ERROR_PREFIX}{what} '{words.shown(v)}' is not a number."
    return out, errors


@lru_cache(maxsize=64)
def _calendar(nation: str | None, closures: tuple[dt.date, ...]) -> WorkCalendar:
    return WorkCalendar(nation or "england-and-wales", closures)


@lru_cache(maxsize=64)
def _closures(cells: tuple) -> tuple[dt.date, ...]:
    return tuple(sorted({parse_date(v, what="extra holiday") for v in cells if not is_blank(v)}))


def calendar(nation, extra_holidays) -> WorkCalendar:
    # Cached on the cells as Excel sent them: a Holidays range of ~1,500 cells is parsed once, not per cell.
    closures = _closures(tuple(flat(extra_holidays))) if extra_holidays is not None else ()
    return _calendar(text(nation), closures)


def pairs(values, what: str, ids: tuple[str, ...] = ()) -> tuple[tuple[str, object], ...]:
    """(milestone id, cell value) per non-blank row, from either a two-column range (milestone id,
    date) or one column in the profile's milestone order (a Timescale sheet's column). The values
    are left as the cells hold them: make_plan reads them by the one rule (tracker.words.date_cell).
    A tuple, sorted, so a plan can be cached on it."""
    g = grid(values) if values is not None else []
    if all(is_blank(v) for row in g for v in row):
        return ()
    if all(len(r) == 1 for r in g):
        if len(g) != len(ids):
            raise ScrError(f"The {what} range has {len(g)} rows but the profile has {len(ids)} milestones.",
                           fix="Give one row per milestone, or two columns: milestone id and date.")
        g = [[mid, r[0]] for mid, r in zip(ids, g)]
    out = {}
    for row in g:
        if len(row) < 2 or is_blank(row[0]) or is_blank(row[1]):
            continue
        v = row[1]
        out[str(row[0]).strip().lower()] = v.date() if isinstance(v, dt.datetime) else v
    return tuple(sorted(out.items(), key=lambda kv: kv[0]))


def to_date(serial: float):
    return None if serial != serial else from_serial(serial)


def column(values: np.ndarray, errors: dict[int, str], as_dates: bool = True):
    """A column result: dates (or numbers), "" for blanks, the message for a bad row."""
    values = np.asarray(values, dtype="float64")
    filled = ~np.isnan(values)
    cells = np.full(len(values), "", dtype=object)
    if as_dates:
        real = filled & (values >= 61)  # one vectorised step to dates; Excel's early 1900 serials one by one
        cells[real] = (excelfns.EPOCH64 + values[real].astype("int64")).astype(object)
        for i in np.flatnonzero(filled & ~real):
            cells[i] = from_serial(values[i])
    else:
        cells[filled] = values[filled].astype("int64").astype(object)
    for i, message in errors.items():
        cells[i] = message
    return [[c] for c in cells.tolist()]


def single(result):
    return result[0][0] if len(result) == 1 and len(result[0]) == 1 else result


def shaped(col: list[list], *inputs) -> list[list]:
    """A one-per-row result laid out like the input range it came from: over a row (A1:C1) it
    spills along the row, as Excel's own WORKDAY does, not down over the cells below."""
    for v in inputs:
        rows, cols = ((len(v), len(v[0]) if isinstance(v[0], (list, tuple)) else 1)
                      if isinstance(v, (list, tuple)) and v else (1, 1))  # no copy of a big column
        if len(col) > 1 and rows * cols == len(col):
            if cols == 1:
                return col
            cells = [row[0] for row in col]
            return [cells[i:i + cols] for i in range(0, len(cells), cols)]
    return col


def whole(v, what: str, default: int, low: int = 0, high: float = float("inf")) -> int:
    """A whole-number setting from one cell; blank gives the default."""
    v = scalar(v)
    if is_blank(v):
        return default
    try:
        if isinstance(v, bool) or isinstance(v, (list, tuple, dt.date)):
            raise ValueError
        f = float(v)
    except (TypeError, ValueError):
        raise ScrError(f"{what} '{str(v)[:40]}' is not a number.", fix=f"Enter a whole number, {low} or more.") from None
    if f != f or f in (float("inf"), float("-inf")) or f != int(f) or f < low:
        raise ScrError(f"{what} {f:g} must be a whole number, {low} or more.", fix=f"Enter a whole number, {low} or more.")
    if f > high:
        raise ScrError(f"{what} {f:g} is more than {high:,}.", fix=f"Enter a whole number from {low} to {high:,}.")
    return int(f)


def today(v) -> dt.date:
    v = scalar(v)
    if isinstance(v, (list, tuple)):
        raise ScrError("today is a range of several cells.", fix="Give one cell, e.g. TODAY().")
    return parse_date(v, what="today") or dt.date.today()


def row_columns(**columns) -> tuple[int, dict[str, list]]:
    """Per-row arguments as lists of equal length: a single cell is repeated down the column;
    ranges must all have the same height."""
    out = {k: ([None] if v is None else flat(v)) for k, v in columns.items()}
    n = max(len(c) for c in out.values())
    for k, c in out.items():
        if len(c) == 1:
            out[k] = c * n
        elif len(c) != n:
            first = next(name for name, cc in out.items() if len(cc) == n)
            raise ScrError(f"{k.replace('_', ' ')} has {len(c)} rows but {first.replace('_', ' ')} has {n}.",
                           fix="Give ranges of the same height.")
    return n, out


def blank_row(n: int, cells: dict[str, list], i: int) -> bool:
    """True for a row of a range (n > 1) whose every argument is blank — the rows past a table that a
    whole-column reference brings — which then shows "". A single cell always gets the domain's
    answer (SCR_STATUS of two blanks is "no date yet", as the file saves it)."""
    return n > 1 and all(is_blank(c[i]) for c in cells.values())
