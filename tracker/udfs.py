"""Worksheet functions: the names a board manager types in Excel.

Written once with ``from xlwings import func, arg, ret`` so one module serves classic xlwings
on Windows (UDF modules + Import Functions) and xlwings Lite/Server (Excel on the web and Mac).
Each function is a thin adapter: it shapes Excel's arguments (tracker.udf_args) and calls the
same domain function `scr` uses for the value it saves (tracker.status, .plan, .receipts, .rag),
so the add-in and the file cannot disagree. Each also takes a whole column (or row) as its
first argument and returns a column (or row).

Errors, one rule (README, "Without the add-in"):
- the *input* is wrong (text in a date cell, a word the workbook does not know): the cell shows
  the message (``Error: ...``), the same words the saved value and the native twin show;
- anything else (a profile the add-in cannot see, a date outside the calendar's years, a
  failure inside): the function *raises*. Office.js shows #VALUE! with the message (hover the
  cell), so in a case workbook IFERROR hands the cell to its native twin.
"""
from __future__ import annotations

import datetime as dt
import functools

import numpy as np
from xlwings import arg, func, ret

from tracker import rag as _rag
from tracker import status, words
from tracker import udf_args as A
from tracker.calendar import WorkCalendar, outside_error
from tracker.errors import ScrError
from tracker.excel_dates import from_serial
from tracker.plan import Plan, due_serials, make_plan
from tracker.profiles import Profile, all_profiles, get_profile
from tracker.receipts import Receipt

ERROR_PREFIX = words.ERROR_PREFIX
OUTSIDE = ERROR_PREFIX + str(outside_error())  # the calendar's own sentence, as make_plan raises it
RAG_MONTHS = 1_200  # the longest update clock SCR_RAG counts (100 years): past it dates leave Excel's calendar


def _cell(f):
    """An input error is the cell's message; anything else raises, with a sentence and no traceback,
    so the cell's IFERROR hands over to the native twin."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except words.InputError as e:
            return e.cell_text
        except ScrError:
            raise
        except Exception as e:  # never a traceback: the message says what failed
            raise ScrError(f"the tracker failed inside {f.__name__} ({type(e).__name__}: {e}).",
                           fix="Check the tracker is installed; the cell's own formula answers meanwhile.") from None
    return wrapper


# ---- plans, once per distinct input -------------------------------------------------------

class _Plans:
    """The plan of one case's inputs, planned once for every cell that asks (Due and Flags of each
    milestone). If the whole plan cannot be made (a late milestone past the calendar's years), each
    milestone is planned alone, so one bad milestone spoils no other cell."""

    def __init__(self, prof: Profile, day0: dt.date, acts: tuple, overs: tuple, cal: WorkCalendar):
        self.args = (prof, day0, dict(acts), dict(overs), cal)
        try:
            self.plan: Plan | None = self._make()
        except ScrError:
            self.plan = None
        self.alone: dict[str, Plan] = {}

    def _make(self, only: str | None = None) -> Plan:
        prof, day0, acts, overs, cal = self.args
        return make_plan(prof, day0, actuals=acts, overrides=overs, calendar=cal, only=only)

    def __getitem__(self, mid: str):
        if self.plan is not None:
            return self.plan[mid]
        if mid not in self.alone:
            self.alone[mid] = self._make(mid)  # raises this milestone's own error
        return self.alone[mid][mid]


_PLANS: dict[tuple, _Plans] = {}
PLANS_KEPT = 256  # distinct cases' inputs remembered; a recalculation of one workbook needs one


def _plans(prof: Profile, day0: dt.date, acts: tuple, overs: tuple, cal: WorkCalendar) -> _Plans:
    """The plans for one distinct input (profile, Day 0, actuals, overrides, calendar): every Due and
    Flags cell of a case asks the same, so the profile is planned once per recalculation, not per cell.
    A profile holds dicts (unhashable), so the key is its identity; the entry keeps it alive."""
    key = (id(prof), day0, acts, overs, id(cal))
    hit = _PLANS.get(key)
    if hit is None or hit.args[0] is not prof or hit.args[4] is not cal:
        if len(_PLANS) >= PLANS_KEPT:
            _PLANS.clear()
        hit = _PLANS[key] = _Plans(prof, day0, acts, overs, cal)
    return hit


def _case(day0, profile, actuals, overrides, nation, extra_holidays):
    prof = get_profile(A.text(profile))
    cal = A.calendar(nation if A.text(nation) else prof.nation, extra_holidays)
    return prof, cal, A.pairs(actuals, "actual", prof.ids), A.pairs(overrides, "override", prof.ids)


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
@_cell
def SCR_DEADLINE(day0, milestone, profile=None, actuals=None, overrides=None, nation=None, extra_holidays=None):
    """The due date of a milestone of a review, from its Day 0 and the board's timescale profile."""
    prof, cal, acts, overs = _case(day0, profile, actuals, overrides, nation, extra_holidays)
    ids = [A.text(m) for m in A.flat(milestone)]
    starts, errors = A.serial_column(day0, words.DAY0_WHAT)
    blank = ScrError("The milestone is blank.", fix=f"Use one of: {', '.join(prof.ids)}.")
    if len(starts) == 1:  # one case: one milestone, or a column of them (a Timescale sheet)
        if errors:
            return A.single(A.shaped([[errors[0]] for _ in ids], milestone))
        d0 = A.to_date(starts[0])
        if d0 is None:
            return A.single(A.shaped([[""] for _ in ids], milestone))
        if ids == [None]:
            raise blank
        plans = _plans(prof, d0, acts, overs, cal)
        if len(ids) == 1:
            return plans[ids[0]].due or ""  # a single cell: its own error raises
        out = []
        for mid in ids:
            try:
                out.append([(plans[mid].due or "") if mid else ""])
            except ScrError as e:
                out.append([ERROR_PREFIX + str(e)])
        return A.shaped(out, milestone)
    if len(ids) == 1:  # a column of Day 0s, one milestone: fully vectorised
        if not ids[0]:
            return A.shaped([[ERROR_PREFIX + str(blank)] for _ in starts], day0)
        return A.shaped(A.column(_due_column(prof, ids[0], starts, cal, errors), errors), day0)
    if len(ids) != len(starts):
        raise ScrError(f"Day 0 has {len(starts)} rows but milestone has {len(ids)}.", fix="Give ranges of the same height.")
    due = np.full(len(starts), np.nan)
    for mid in set(ids) - {None}:  # rows grouped by milestone: one vectorised pass each
        rows = np.array([i for i, m in enumerate(ids) if m == mid and i not in errors])
        if rows.size:
            try:
                due[rows] = _due_column(prof, mid, starts[rows], cal, found := {})
            except ScrError as e:
                found = {j: ERROR_PREFIX + str(e) for j in range(rows.size)}
            errors.update({int(rows[j]): message for j, message in found.items()})
    return A.shaped(A.column(due, errors), day0, milestone)


@func
@arg("day0", doc="Day 0 of the review")
@arg("milestone", doc="Milestone id")
@arg("profile", doc="Timescale profile id")
@arg("actuals", ndim=2, doc="Two columns: milestone id, actual date (or n/a); or one column in profile order")
@arg("overrides", ndim=2, doc="Two columns: milestone id, date that replaces the guide's; or one column")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="The board's own closure days")
@_cell
def SCR_FLAGS(day0, milestone, profile=None, actuals=None, overrides=None, nation=None, extra_holidays=None):
    """Why a milestone's date is what it is: provisional, overridden, re-planned, non-working day."""
    prof, cal, acts, overs = _case(day0, profile, actuals, overrides, nation, extra_holidays)
    d0 = words.date_cell(A.scalar(day0), words.DAY0_WHAT)
    if d0 is None:
        return ""
    return _plans(prof, d0, acts, overs, cal)[A.text(milestone, "")].flag_text()


@func
@arg("day0", doc="Day 0 of the review")
@arg("profile", doc="Timescale profile id")
@arg("actuals", ndim=2, doc="Two columns: milestone id, actual date (or n/a)")
@arg("overrides", ndim=2, doc="Two columns: milestone id, date that replaces the guide's")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="The board's own closure days")
@arg("today", doc="Today's date (default: today)")
@arg("due_soon_days", doc="How many days ahead counts as due soon (default 7)")
@ret(index=False, header=False)  # a dynamic array spills by itself; expand= would force legacy array formulas
@_cell
def SCR_TIMESCALE(day0, profile=None, actuals=None, overrides=None, nation=None, extra_holidays=None, today=None,
                  due_soon_days=None):
    """The whole timescale of a review as a table: milestone, label, due date, responsible, flags, status."""
    prof, cal, acts, overs = _case(day0, profile, actuals, overrides, nation, extra_holidays)
    d0 = words.date_cell(A.scalar(day0), words.DAY0_WHAT)
    if d0 is None:
        raise ScrError("Day 0 is blank.", fix="Enter the Day 0 date.")
    when = A.today(today)
    window = A.whole(due_soon_days, "due soon days", status.DUE_SOON_DAYS)
    plan = make_plan(prof, d0, actuals=dict(acts), overrides=dict(overs), calendar=cal)
    rows = [["Milestone", "Label", "Due", "Responsible", "Flags", "Status"]]
    for p in plan.milestones:
        rows.append([p.id, p.label, p.due or "", p.milestone.responsible, p.flag_text(), p.status(when, window)])
    return rows


@func
@arg("due", ndim=2, doc="Due date, or a column of them")
@arg("done", ndim=2, doc="Date done, or n/a")
@arg("today", doc="Today's date (default: today)")
@arg("due_soon_days", doc="How many days ahead counts as due soon (default 7)")
@_cell
def SCR_STATUS(due, done=None, today=None, due_soon_days=None):
    """not yet due, due in N days, due today, overdue by N days, done on time, done N days late, not applicable, no date yet."""
    when = A.today(today)
    window = A.whole(due_soon_days, "due soon days", status.DUE_SOON_DAYS)
    n, c = A.row_columns(due=due, done=done)
    out = [["" if A.blank_row(n, c, i) else status.milestone_cell(c["due"][i], c["done"][i], when, window)]
           for i in range(n)]
    return A.single(A.shaped(out, due, done))


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


def _one(result, errors, value):
    """A single cell's answer: an input error is its message; a date outside the calendar raises."""
    if errors:
        if errors[0] == OUTSIDE:
            raise outside_error()
        return errors[0]
    return value(result[0])


@func
@arg("start", ndim=2, doc="Start date, or a column of them")
@arg("days", ndim=2, doc="Working days to add (negative counts back)")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="Extra non-working days, e.g. the board's closure days")
@_cell
def WORKDAY_UK(start, days, nation=None, extra_holidays=None):
    """Excel's WORKDAY with the nation's GOV.UK bank holidays built in."""
    cal = A.calendar(nation, extra_holidays)
    result, errors = _paired(A.serial_column(start, "start date"), A.number_column(days, "days"), ("start", "days"),
                             lambda s, n: cal.workday_many(s, n, errors="coerce"))
    if len(result) == 1:
        return _one(result, errors, lambda v: A.to_date(v) or "")
    return A.shaped(A.column(result, errors), start, days)


@func
@arg("start", ndim=2, doc="Start date, or a column of them")
@arg("end_date", ndim=2, doc="End date, or a column of them")
@arg("nation", doc="england-and-wales (default), scotland or northern-ireland")
@arg("extra_holidays", ndim=2, doc="Extra non-working days, e.g. the board's closure days")
@_cell
def NETWORKDAYS_UK(start, end_date, nation=None, extra_holidays=None):  # not `end`: a VBA reserved word
    """Excel's NETWORKDAYS with the nation's GOV.UK bank holidays built in (both ends counted)."""
    cal = A.calendar(nation, extra_holidays)
    result, errors = _paired(A.serial_column(start, "start date"), A.serial_column(end_date, "end date"),
                             ("start", "end date"), lambda s, e: cal.networkdays_many(s, e, errors="coerce"))
    if len(result) == 1:
        return _one(result, errors, lambda v: "" if v != v else int(v))
    return A.shaped(A.column(result, errors, as_dates=False), start, end_date)


@func
@ret(index=False, header=False)  # a dynamic array spills by itself; expand= would force legacy array formulas
@_cell
def SCR_PROFILES():
    """Every timescale profile and its milestones, to feed drop-down lists."""
    rows = [["Profile", "Profile name", "Milestone", "Label", "Rule", "Source"]]
    for p in sorted(all_profiles().values(), key=lambda p: p.id):
        for m in p.milestones:
            rows.append([p.id, p.name, m.id, m.label, m.rule_text(), m.source])
    return rows


# ---- returns from agencies and action plans (SCR_RECEIPT, SCR_RAG) ----------------------------

@func
@arg("requested", ndim=2, doc="Date the document was requested from the agency, or a column of them")
@arg("due", ndim=2, doc="Date it is due by (the requested-by date)")
@arg("promised", ndim=2, doc="Date the agency promised it (counts when later than due)")
@arg("received", ndim=2, doc="Date it was received (electronic copy)")
@arg("today", doc="Today's date (default: today)")
@arg("nil_return", ndim=2, doc="The Involvement cell: involved or nil return (TRUE/yes also mean a nil return)")
@arg("signed_copy_due", ndim=2, doc="TRUE when a signed hard copy must follow (management reports)")
@arg("signed_copy_received", ndim=2, doc="Date the signed copy was received")
@arg("due_soon_days", doc="How many days ahead counts as due soon (default 7)")
@_cell
def SCR_RECEIPT(requested, due, promised, received, today=None, nil_return=None, signed_copy_due=None,
                signed_copy_received=None, due_soon_days=None):
    """Return status of a document from an agency: not requested, requested, promised, due soon, overdue N days — chase, received on time, received N days late, signed copy outstanding, nil return."""
    when = A.today(today)
    window = A.whole(due_soon_days, "due soon days", status.DUE_SOON_DAYS)
    n, c = A.row_columns(requested=requested, due=due, promised=promised, received=received, nil_return=nil_return,
                         signed_copy_due=signed_copy_due, signed_copy_received=signed_copy_received)
    out = []
    for i in range(n):
        if A.blank_row(n, c, i):
            out.append([""])
            continue
        try:
            signed = words.flag(c["signed_copy_due"][i], "signed copy due", words.SIGNED_COPY_WORDS,
                                words.NOT_NEEDED_WORDS)
        except words.InputError as e:
            out.append([e.cell_text])
            continue
        receipt = Receipt.from_cells("", "", signed_copy_due=signed, **{
            k: c[k][i] for k in ("requested", "due", "promised", "received", "nil_return", "signed_copy_received")})
        out.append([receipt.status(when, window)])
    return A.single(A.shaped(out, requested, due, promised, received, nil_return, signed_copy_due, signed_copy_received))


@func
@arg("status", ndim=2, doc="Action status: not started, in progress, complete - awaiting sign-off or complete - signed off; or a column of them")
@arg("target", ndim=2, doc="Target date of the action")
@arg("last_update", ndim=2, doc="Date of the latest evidence/progress update (blank if none yet)")
@arg("today", doc="Today's date (default: today)")
@arg("amber_days", doc="A target date this many days away or fewer is Amber (default 28)")
@arg("cycle_months", doc="Update cycle in months: a last update older than this is Amber (default 3)")
@arg("red_cycles", doc="No update for this many cycles is Red (default 2)")
@arg("started", ndim=2, doc="Date the action was agreed: the update clock runs from here until the first update")
@_cell
def SCR_RAG(status, target, last_update, today=None, amber_days=None, cycle_months=None, red_cycles=None,
            started=None):
    """BRAG word of an action: Blue (signed off), Green (awaiting sign-off, or on track), Amber (target close, or update overdue), Red (target passed, or no update for two cycles)."""
    when = A.today(today)
    defaults = _rag.RagSettings()
    settings = _rag.RagSettings(
        amber_days=A.whole(amber_days, "amber days", defaults.amber_days, 0),
        cycle_months=A.whole(cycle_months, "cycle months", defaults.cycle_months, 1, RAG_MONTHS),
        red_cycles=A.whole(red_cycles, "red cycles", defaults.red_cycles, 1, RAG_MONTHS))
    if settings.red_months > RAG_MONTHS:  # counted on from an update date, it would pass 31/12/9999
        raise ScrError(f"red cycles x cycle months is {settings.red_months:,} months, more than {RAG_MONTHS:,}.",
                       fix="Check the update cycle and the number of cycles.")
    n, c = A.row_columns(status=status, target=target, last_update=last_update, started=started)
    out = [["" if A.blank_row(n, c, i) else _rag.assess_cells(
        c["status"][i], c["target"][i], c["last_update"][i], when, settings, started=c["started"][i]).word]
        for i in range(n)]
    return A.single(A.shaped(out, status, target, last_update, started))
