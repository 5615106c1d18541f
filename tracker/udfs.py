"""Worksheet functions: the names a board manager types in Excel.

Written once with ``from xlwings import func, arg, ret`` so one module serves classic xlwings
on Windows (UDF modules + Import Functions) and xlwings Lite/Server (Excel on the web and Mac).
Arguments arrive as Excel gives them: dates as serial numbers (or datetimes from classic
xlwings), blanks as None or "", ranges as 2-D lists. A mistake comes back as a short
sentence in the cell, never a traceback. Each function also takes a whole column (or row) as its
first argument and returns a column (or row), computed in one vectorised pass.
"""
from __future__ import annotations

import datetime as dt
import functools
from functools import lru_cache

import numpy as np
from xlwings import arg, func, ret

from tracker import excelfns, status
from tracker.calendar import WorkCalendar, outside_error
from tracker.errors import ScrError
from tracker.excel_dates import MAX_SERIAL, from_serial, parse_date, to_serial
from tracker.plan import due_serials, make_plan
from tracker.profiles import all_profiles, get_profile

ERROR_PREFIX = "Error: "
OUTSIDE = ERROR_PREFIX + str(outside_error())  # the calendar's own sentence, as make_plan raises it


def _friendly(f):
    """Turn any mistake into one readable sentence in the cell."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except ScrError as e:
            return ERROR_PREFIX + str(e)
        except Exception as e:  # a worksheet must never show a traceback
            return f"{ERROR_PREFIX}{type(e).__name__}: {e}"
    return wrapper


# ---- argument helpers -------------------------------------------------------------------

def _is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def _grid(v) -> list[list]:
    """Any argument as a 2-D list (Excel ranges already are)."""
    if isinstance(v, (list, tuple)):
        if v and isinstance(v[0], (list, tuple)):
            return [list(r) for r in v]
        return [[x] for x in v]
    return [[v]]


def _flat(v) -> list:
    return [x for row in _grid(v) for x in row]


def _scalar(v):
    g = _grid(v)
    return g[0][0] if len(g) == 1 and len(g[0]) == 1 else None if not g else v


def _text(v, default: str | None = None) -> str | None:
    v = _scalar(v)
    return default if _is_blank(v) else str(v).strip()


def _serial_column(values, what: str) -> tuple[np.ndarray, dict[int, str]]:
    """Floats (NaN for blanks) and per-row error messages, fast when the column is all numbers."""
    cells = _flat(values)
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
        if _is_blank(v):
            continue
        try:
            out[i] = to_serial(parse_date(v, what=what))
        except ScrError as e:
            errors[i] = ERROR_PREFIX + str(e)
    return out, errors


def _number_column(values, what: str) -> tuple[np.ndarray, dict[int, str]]:
    cells = _flat(values)
    if not any(isinstance(v, (bool, str)) for v in cells):
        try:
            return np.array(cells, dtype="float64"), {}  # None becomes NaN: a blank passes through
        except (TypeError, ValueError):
            pass
    out = np.full(len(cells), np.nan)
    errors = {}
    for i, v in enumerate(cells):
        if _is_blank(v):
            continue
        try:
            if isinstance(v, bool):
                raise TypeError(v)  # Excel gives #VALUE! for TRUE as a number of days
            out[i] = float(v)
        except (TypeError, ValueError):
            errors[i] = f"{ERROR_PREFIX}{what} '{v}' is not a number."
    return out, errors


def _date_list(values, what: str) -> tuple[dt.date, ...]:
    return tuple(parse_date(v, what=what) for v in _flat(values) if not _is_blank(v))


@lru_cache(maxsize=64)
def _calendar(nation: str | None, closures: tuple[dt.date, ...]) -> WorkCalendar:
    return WorkCalendar(nation or "england-and-wales", closures)


@lru_cache(maxsize=64)
def _closures(cells: tuple) -> tuple[dt.date, ...]:
    return tuple(sorted(set(_date_list(list(cells), "extra holiday"))))


def _cal(nation, extra_holidays) -> WorkCalendar:
    # Cached on the cells as Excel sent them: a Holidays range of ~700 dates is parsed once, not per cell.
    closures = _closures(tuple(_flat(extra_holidays))) if extra_holidays is not None else ()
    return _calendar(_text(nation), closures)


def _pairs(values, what: str, ids: tuple[str, ...] = ()) -> dict[str, object]:
    """Dates per milestone (a date or n/a), blank rows skipped, from either a two-column range
    (milestone id, date) or one column in the profile's milestone order (a Timescale sheet's column)."""
    grid = _grid(values) if values is not None else []
    if all(_is_blank(v) for row in grid for v in row):
        return {}
    if all(len(r) == 1 for r in grid):
        if len(grid) != len(ids):
            raise ScrError(f"The {what} range has {len(grid)} rows but the profile has {len(ids)} milestones.",
                           fix="Give one row per milestone, or two columns: milestone id and date.")
        grid = [[mid, r[0]] for mid, r in zip(ids, grid)]
    out = {}
    for row in grid:
        if len(row) < 2 or _is_blank(row[0]) or _is_blank(row[1]):
            continue
        key = str(row[0]).strip().lower()
        out[key] = row[1] if status.is_not_applicable(row[1]) else parse_date(row[1], what=f"{what} of {key}")
    return out


def _to_date(serial: float):
    return None if serial != serial else from_serial(serial)


def _column(values: np.ndarray, errors: dict[int, str], as_dates: bool = True):
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


def _single(result):
    return result[0][0] if len(result) == 1 and len(result[0]) == 1 else result


def _shaped(column: list[list], *inputs) -> list[list]:
    """A one-per-row result laid out like the input range it came from: over a row (A1:C1) it
    spills along the row, as Excel's own WORKDAY does, not down over the cells below."""
    for v in inputs:
        rows, cols = ((len(v), len(v[0]) if isinstance(v[0], (list, tuple)) else 1)
                      if isinstance(v, (list, tuple)) and v else (1, 1))  # no copy of a big column
        if len(column) > 1 and rows * cols == len(column):
            if cols == 1:
                return column
            cells = [row[0] for row in column]
            return [cells[i:i + cols] for i in range(0, len(cells), cols)]
    return column


def _due_column(prof, milestone: str, starts: np.ndarray, cal: WorkCalendar, errors: dict) -> np.ndarray:
    """One milestone's due dates for a column of Day 0s, by make_plan's rule: a Day 0, or a date
    counted from it, outside the calendar's years is that row's error, in the same words."""
    due, outside = due_serials(prof, milestone, starts, cal, errors="report")
    day0_out = cal.outside(starts)
    for i in np.flatnonzero(outside):
        errors.setdefault(int(i), ERROR_PREFIX + str(outside_error(from_serial(starts[i]) if day0_out[i] else None)))
    return due


# ---- the worksheet functions ------------------------------------------------------------

@func
@arg("day0", ndim=2, doc="Day 0 of the review (a date), or a column of them")
@arg("milestone", ndim=2, doc="Milestone id, e.g. chronologies-in (see SCR_PROFILES)")
@arg("profile", doc="Timescale profile id, e.g. rotherham-2009")
@arg("actuals", ndim=2, doc="Two columns: milestone id, actual date (or n/a)")
@arg("overrides", ndim=2, doc="Two columns: milestone id, date that replaces the guide's")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="The board's own closure days")
@_friendly
def SCR_DEADLINE(day0, milestone, profile=None, actuals=None, overrides=None, nation=None, extra_holidays=None):
    """The due date of a milestone of a review, from its Day 0 and the board's timescale profile."""
    prof = get_profile(_text(profile))
    cal = _cal(nation if _text(nation) else prof.nation, extra_holidays)
    ids = [_text(m) for m in _flat(milestone)]
    starts, errors = _serial_column(day0, "Day 0")
    blank = ScrError("The milestone is blank.", fix=f"Use one of: {', '.join(prof.ids)}.")
    if len(starts) == 1:  # one case: one milestone, or a column of them (a Timescale sheet)
        d0 = _to_date(starts[0])
        if errors or d0 is None:
            return _single(_shaped([[errors[0] if errors else ""] for _ in ids], milestone))
        if ids == [None]:
            raise blank
        acts, overs = _pairs(actuals, "actual", prof.ids), _pairs(overrides, "override", prof.ids)
        out = []
        for mid in ids:
            try:  # only this milestone's plan, so a later one past the calendar's years spoils no other cell
                out.append([(make_plan(prof, d0, actuals=acts, overrides=overs, calendar=cal, only=mid)[mid].due or "")
                            if mid else ""])
            except ScrError as e:
                out.append([ERROR_PREFIX + str(e)])
        return _single(_shaped(out, milestone))
    if len(ids) == 1:  # a column of Day 0s, one milestone: fully vectorised
        if not ids[0]:
            return _shaped([[ERROR_PREFIX + str(blank)] for _ in starts], day0)
        return _shaped(_column(_due_column(prof, ids[0], starts, cal, errors), errors), day0)
    if len(ids) != len(starts):
        raise ScrError(f"Day 0 has {len(starts)} rows but milestone has {len(ids)}.", fix="Give ranges of the same height.")
    out = []
    for i, (s, mid) in enumerate(zip(starts, ids)):
        if i in errors:
            out.append([errors[i]])
        elif s != s or not mid:
            out.append([""])
        else:
            try:
                row: dict[int, str] = {}
                due = _due_column(prof, mid, np.array([s]), cal, row)[0]
                out.append([row.get(0) or _to_date(due) or ""])
            except ScrError as e:
                out.append([ERROR_PREFIX + str(e)])
    return _shaped(out, day0, milestone)


@func
@arg("day0", doc="Day 0 of the review")
@arg("milestone", doc="Milestone id")
@arg("profile", doc="Timescale profile id")
@arg("actuals", ndim=2, doc="Two columns: milestone id, actual date (or n/a); or one column in profile order")
@arg("overrides", ndim=2, doc="Two columns: milestone id, date that replaces the guide's; or one column")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="The board's own closure days")
@_friendly
def SCR_FLAGS(day0, milestone, profile=None, actuals=None, overrides=None, nation=None, extra_holidays=None):
    """Why a milestone's date is what it is: provisional, overridden, re-planned, non-working day."""
    prof = get_profile(_text(profile))
    cal = _cal(nation if _text(nation) else prof.nation, extra_holidays)
    d0 = parse_date(_scalar(day0), what="Day 0")
    if d0 is None:
        return ""
    mid = _text(milestone, "")
    plan = make_plan(prof, d0, actuals=_pairs(actuals, "actual", prof.ids),
                     overrides=_pairs(overrides, "override", prof.ids), calendar=cal, only=mid)
    return plan[mid].flag_text()


@func
@arg("day0", doc="Day 0 of the review")
@arg("profile", doc="Timescale profile id")
@arg("actuals", ndim=2, doc="Two columns: milestone id, actual date (or n/a)")
@arg("overrides", ndim=2, doc="Two columns: milestone id, date that replaces the guide's")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="The board's own closure days")
@arg("today", doc="Today's date (default: today)")
@ret(index=False, header=False)  # a dynamic array spills by itself; expand= would force legacy array formulas
@_friendly
def SCR_TIMESCALE(day0, profile=None, actuals=None, overrides=None, nation=None, extra_holidays=None, today=None):
    """The whole timescale of a review as a table: milestone, label, due date, responsible, flags, status."""
    prof = get_profile(_text(profile))
    cal = _cal(nation if _text(nation) else prof.nation, extra_holidays)
    d0 = parse_date(_scalar(day0), what="Day 0")
    if d0 is None:
        raise ScrError("Day 0 is blank.", fix="Enter the Day 0 date.")
    when = parse_date(_scalar(today), what="today") or dt.date.today()
    plan = make_plan(prof, d0, actuals=_pairs(actuals, "actual", prof.ids), overrides=_pairs(overrides, "override", prof.ids),
                     calendar=cal)
    rows = [["Milestone", "Label", "Due", "Responsible", "Flags", "Status"]]
    for p in plan.milestones:
        rows.append([p.id, p.label, p.due or "", p.milestone.responsible, p.flag_text(), p.status(when)])
    return rows


@func
@arg("due", ndim=2, doc="Due date, or a column of them")
@arg("done", ndim=2, doc="Date done, or n/a")
@arg("today", doc="Today's date (default: today)")
@arg("due_soon_days", doc="How many days ahead counts as due soon (default 7)")
@_friendly
def SCR_STATUS(due, done=None, today=None, due_soon_days=None):
    """not yet due, due in N days, due today, overdue by N days, done on time, done N days late, not applicable."""
    when = parse_date(_scalar(today), what="today") or dt.date.today()
    window = _whole(due_soon_days, "due_soon_days", status.DUE_SOON_DAYS)
    dues = _flat(due)
    dones = _flat(done) if done is not None else [None]
    if len(dones) == 1 and len(dues) > 1:
        dones = dones * len(dues)
    if len(dues) != len(dones):
        raise ScrError(f"due has {len(dues)} rows but done has {len(dones)}.", fix="Give ranges of the same height.")
    out = []
    for i, (d, x) in enumerate(zip(dues, dones), 1):
        try:
            na = status.is_not_applicable(x)
            due_d = parse_date(d, what="due date")
            done_d = None if na else parse_date(x, what="done date")
            out.append([status.milestone_status(due_d, done_d, when, window, na) if (due_d or done_d or na) else ""])
        except ScrError as e:
            out.append([ERROR_PREFIX + str(e) + (f" (row {i})" if len(dues) > 1 else "")])
    return _single(_shaped(out, due, done))


def _paired(a: tuple[np.ndarray, dict], b: tuple[np.ndarray, dict], names: tuple[str, str], compute):
    """Run a two-column calculation row by row in one pass: a single cell is repeated down the
    other column, a bad input spoils only its own row, and blanks and bad rows stay NaN."""
    (x, xerr), (y, yerr) = a, b
    if len(x) == 1 and len(y) > 1:
        x, xerr = np.full(len(y), x[0]), ({i: xerr[0] for i in range(len(y))} if xerr else {})
    elif len(y) == 1 and len(x) > 1:
        y, yerr = np.full(len(x), y[0]), ({i: yerr[0] for i in range(len(x))} if yerr else {})
    if len(x) != len(y):
        raise ScrError(f"{names[0]} has {len(x)} rows but {names[1]} has {len(y)}.", fix="Give ranges of the same height.")
    errors = {**yerr, **xerr}
    bad = np.zeros(len(x), bool)
    bad[list(errors)] = True
    result, outside = compute(np.where(bad, np.nan, x), np.where(bad, np.nan, y))
    errors.update({i: OUTSIDE for i in np.flatnonzero(outside) if i not in errors})
    return result, errors


@func
@arg("start", ndim=2, doc="Start date, or a column of them")
@arg("days", ndim=2, doc="Working days to add (negative counts back)")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="Extra non-working days, e.g. the board's closure days")
@_friendly
def WORKDAY_UK(start, days, nation=None, extra_holidays=None):
    """Excel's WORKDAY with the nation's GOV.UK bank holidays built in."""
    cal = _cal(nation, extra_holidays)
    result, errors = _paired(_serial_column(start, "start date"), _number_column(days, "days"), ("start", "days"),
                             lambda s, n: cal.workday_many(s, n, errors="coerce"))
    if len(result) == 1:
        return errors[0] if errors else _to_date(result[0]) or ""
    return _shaped(_column(result, errors), start, days)


@func
@arg("start", ndim=2, doc="Start date, or a column of them")
@arg("end_date", ndim=2, doc="End date, or a column of them")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="Extra non-working days, e.g. the board's closure days")
@_friendly
def NETWORKDAYS_UK(start, end_date, nation=None, extra_holidays=None):  # not `end`: a VBA reserved word
    """Excel's NETWORKDAYS with the nation's GOV.UK bank holidays built in (both ends counted)."""
    cal = _cal(nation, extra_holidays)
    result, errors = _paired(_serial_column(start, "start date"), _serial_column(end_date, "end date"), ("start", "end date"),
                             lambda s, e: cal.networkdays_many(s, e, errors="coerce"))
    if len(result) == 1:
        return errors[0] if errors else ("" if result[0] != result[0] else int(result[0]))
    return _shaped(_column(result, errors, as_dates=False), start, end_date)


@func
@ret(index=False, header=False)  # a dynamic array spills by itself; expand= would force legacy array formulas
@_friendly
def SCR_PROFILES():
    """Every timescale profile and its milestones, to feed drop-down lists."""
    rows = [["Profile", "Profile name", "Milestone", "Label", "Rule", "Source"]]
    for p in sorted(all_profiles().values(), key=lambda p: p.id):
        for m in p.milestones:
            rows.append([p.id, p.name, m.id, m.label, m.rule_text(), m.source])
    return rows


# ---- returns from agencies and action plans (SCR_RECEIPT, SCR_RAG) ----------------------------

from tracker import rag as _rag  # noqa: E402  (kept with the functions that use it)

_TRUE_WORDS = {"true", "yes", "y", "1", "x", "\u2713", "\u2714"}
_FALSE_WORDS = {"false", "no", "n", "0", "-"}
_NIL_WORDS = {"nil return", "nil", "nil return confirmed", "nil-return", "no involvement"}
_SIGNED_COPY_WORDS = {"signed copy due", "signed copy required", "required", "due"}
_NOT_NEEDED_WORDS = {"not required", "not needed", "n/a", "na", "not applicable"}
RAG_MONTHS = 1_200  # the longest update clock SCR_RAG counts (100 years): past it dates leave Excel's calendar


def _flag(v, what: str, yes_words=frozenset(), no_words=frozenset()) -> bool:
    """TRUE/FALSE from a cell: a boolean, a number (non-zero is TRUE, as Excel's IF), a date
    (a date entered means it happened), or a word; a blank is FALSE."""
    if _is_blank(v):
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, dt.date):
        return True
    t = str(v).strip().lower()
    if t in _TRUE_WORDS or t in yes_words:
        return True
    if t in _FALSE_WORDS or t in no_words:
        return False
    words = ", ".join(["TRUE", "FALSE", "yes", "no", *sorted(w for w in yes_words if " " in w)])
    raise ScrError(f"{what} '{str(v).strip()[:40]}' is not understood.", fix=f"Use one of: {words}.")


def _whole(v, what: str, default: int, low: int = 0, high: float = float("inf")) -> int:
    """A whole-number setting from one cell; blank gives the default."""
    v = _scalar(v)
    if _is_blank(v):
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


def _today(v) -> dt.date:
    v = _scalar(v)
    if isinstance(v, (list, tuple)):
        raise ScrError("today is a range of several cells.", fix="Give one cell, e.g. TODAY().")
    return parse_date(v, what="today") or dt.date.today()


def _row_columns(**columns) -> tuple[int, dict[str, list]]:
    """Per-row arguments as lists of equal length: a single cell is repeated down the column;
    ranges must all have the same height."""
    flat = {k: ([None] if v is None else _flat(v)) for k, v in columns.items()}
    n = max(len(c) for c in flat.values())
    for k, c in flat.items():
        if len(c) == 1:
            flat[k] = c * n
        elif len(c) != n:
            first = next(name for name, cc in flat.items() if len(cc) == n)
            raise ScrError(f"{k.replace('_', ' ')} has {len(c)} rows but {first.replace('_', ' ')} has {n}.",
                           fix="Give ranges of the same height.")
    return n, flat


def _row_error(e: ScrError, i: int, n: int) -> str:
    return ERROR_PREFIX + str(e) + (f" (row {i + 1})" if n > 1 else "")


@func
@arg("requested", ndim=2, doc="Date the document was requested from the agency, or a column of them")
@arg("due", ndim=2, doc="Date it is due by (the requested-by date)")
@arg("promised", ndim=2, doc="Date the agency promised it (counts when later than due)")
@arg("received", ndim=2, doc="Date it was received (electronic copy)")
@arg("today", doc="Today's date (default: today)")
@arg("nil_return", ndim=2, doc="TRUE, yes or 'nil return' when the agency had no involvement")
@arg("signed_copy_due", ndim=2, doc="TRUE when a signed hard copy must follow (management reports)")
@arg("signed_copy_received", ndim=2, doc="Date the signed copy was received")
@arg("due_soon_days", doc="How many days ahead counts as due soon (default 7)")
@_friendly
def SCR_RECEIPT(requested, due, promised, received, today=None, nil_return=None, signed_copy_due=None,
                signed_copy_received=None, due_soon_days=None):
    """Return status of a document from an agency: not requested, requested, promised, due soon, overdue N days — chase, received on time, received N days late, signed copy outstanding, nil return."""
    when = _today(today)
    window = _whole(due_soon_days, "due soon days", status.DUE_SOON_DAYS)
    n, c = _row_columns(requested=requested, due=due, promised=promised, received=received, nil_return=nil_return,
                        signed_copy_due=signed_copy_due, signed_copy_received=signed_copy_received)
    out = []
    for i in range(n):
        try:
            dates = {k: parse_date(c[k][i], what=f"{k.replace('_', ' ')} date" if k != "signed_copy_received"
                                   else "signed copy received date")
                     for k in ("requested", "due", "promised", "received", "signed_copy_received")}
            nil = _flag(c["nil_return"][i], "nil return", _NIL_WORDS)
            signed_due = _flag(c["signed_copy_due"][i], "signed copy due", _SIGNED_COPY_WORDS, _NOT_NEEDED_WORDS)
            if not nil and all(d is None for d in dates.values()):
                out.append([""])
                continue
            out.append([status.receipt_status(
                dates["requested"], dates["due"], dates["promised"], dates["received"], when, nil_return=nil,
                signed_copy_due=signed_due, signed_copy_received=dates["signed_copy_received"],
                due_soon_days=window)])
        except ScrError as e:
            out.append([_row_error(e, i, n)])
    return _single(_shaped(out, requested, due, promised, received, nil_return, signed_copy_due, signed_copy_received))


@func
@arg("status", ndim=2, doc="Action status: not started, in progress, complete - awaiting sign-off or complete - signed off; or a column of them")
@arg("target", ndim=2, doc="Target date of the action")
@arg("last_update", ndim=2, doc="Date of the latest evidence/progress update (blank if none yet)")
@arg("today", doc="Today's date (default: today)")
@arg("amber_days", doc="A target date this many days away or fewer is Amber (default 28)")
@arg("cycle_months", doc="Update cycle in months: a last update older than this is Amber (default 3)")
@arg("red_cycles", doc="No update for this many cycles is Red (default 2)")
@arg("started", ndim=2, doc="Date the action was agreed: the update clock runs from here until the first update")
@_friendly
def SCR_RAG(status, target, last_update, today=None, amber_days=None, cycle_months=None, red_cycles=None,
            started=None):
    """BRAG word of an action: Blue (signed off), Green (awaiting sign-off, or on track), Amber (target close, or update overdue), Red (target passed, or no update for two cycles)."""
    when = _today(today)
    defaults = _rag.RagSettings()
    settings = _rag.RagSettings(
        amber_days=_whole(amber_days, "amber days", defaults.amber_days, 0),
        cycle_months=_whole(cycle_months, "cycle months", defaults.cycle_months, 1, RAG_MONTHS),
        red_cycles=_whole(red_cycles, "red cycles", defaults.red_cycles, 1, RAG_MONTHS))
    if settings.red_months > RAG_MONTHS:  # counted on from an update date, it would pass 31/12/9999
        raise ScrError(f"red cycles x cycle months is {settings.red_months:,} months, more than {RAG_MONTHS:,}.",
                       fix="Check the update cycle and the number of cycles.")
    n, c = _row_columns(status=status, target=target, last_update=last_update, started=started)
    out = []
    for i in range(n):
        try:
            word = _rag.parse_status(c["status"][i])
            target_d = parse_date(c["target"][i], what="target date")
            last_d = parse_date(c["last_update"][i], what="last update date")
            started_d = parse_date(c["started"][i], what="started date")
            if word is None and target_d is None and last_d is None and started_d is None:
                out.append([""])
                continue
            out.append([_rag.rag(word, target_d, last_d, when, settings, started=started_d)])
        except ScrError as e:
            out.append([_row_error(e, i, n)])
    return _single(_shaped(out, status, target, last_update, started))
