"""The plan for a case: every milestone's due date from Day 0, a profile and what has happened.

Recorded actual dates re-plan the milestones that count from them (where the profile says
basis = "actual"), and a manual override replaces one milestone's computed date; both are
flagged so the sheet shows why a date differs from the guide.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from tracker import excelfns
from tracker import status as st
from tracker import words
from tracker.calendar import WorkCalendar, outside_error
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.profiles import DAY0, INPUT, Milestone, Profile, get_profile

PROVISIONAL, OVERRIDDEN, REPLANNED = words.PROVISIONAL, words.OVERRIDDEN, words.REPLANNED
OVERRIDE_WHAT = "override date"  # an Override cell holding text: its Flags cell says so


@dataclass
class PlannedMilestone:
    milestone: Milestone
    due: dt.date | None
    computed: dt.date | None = None  # the guide's date before any override
    actual: dt.date | None = None
    not_applicable: bool = False
    flags: list[str] = field(default_factory=list)
    actual_problem: str | None = None  # the Actual cell holds text: the Status cell's message
    override_problem: str | None = None  # the Override cell holds text: the Flags cell's message

    @property
    def id(self) -> str:
        return self.milestone.id

    @property
    def label(self) -> str:
        return self.milestone.label

    def status(self, today: dt.date | None = None, due_soon_days: int = st.DUE_SOON_DAYS) -> str:
        if self.actual_problem:
            return self.actual_problem
        return st.milestone_status(self.due, self.actual, today, due_soon_days, self.not_applicable)

    def flag_text(self) -> str:
        return self.override_problem or words.FLAG_SEPARATOR.join(self.flags)


@dataclass
class Plan:
    profile: Profile
    day0: dt.date
    calendar: WorkCalendar
    milestones: list[PlannedMilestone]

    def __getitem__(self, milestone_id: str) -> PlannedMilestone:
        m = self.profile.milestone(milestone_id)
        return next(p for p in self.milestones if p.id == m.id)

    def due_dates(self) -> dict[str, dt.date | None]:
        return {p.id: p.due for p in self.milestones}


def shift(calendar: WorkCalendar, anchor: dt.date, m: Milestone) -> dt.date:
    """anchor moved by the milestone's offset in its unit (weeks = 7 calendar days, months as EDATE).

    Every date counted from or to stays within the calendar's years, whatever the unit: the
    column form (due_serials) follows the same rule, and an actual or override of 31/12/9999
    gives the calendar's sentence rather than Python's OverflowError."""
    calendar.check_years(anchor)
    n = m.signed_offset
    if m.unit == "days":
        out = anchor + dt.timedelta(days=n)
    elif m.unit == "weeks":
        out = anchor + dt.timedelta(weeks=n)
    elif m.unit == "months":
        out = excelfns.edate(anchor, n)
    else:
        return calendar.workday(anchor, n)  # checks its result itself
    calendar.check_years(out)
    return out


def _clean(values, what: str, na_ok: bool) -> tuple[dict[str, object], dict[str, str]]:
    """Milestone id -> date (or "n/a") from what the cells hold, and id -> message for a cell holding
    text: such a value counts as blank, as the native formulas (ISNUMBER) count it."""
    good, bad = {}, {}
    for k, v in (values or {}).items():
        key = str(k).strip().lower()
        try:
            v = words.date_cell(v, what, na_ok=na_ok)
        except words.InputError as e:
            bad[key] = e.cell_text
            continue
        if v is not None:
            good[key] = v
    return good, bad


def make_plan(profile: Profile | str | None, day0: dt.date, *, actuals=None, overrides=None,
              calendar: WorkCalendar | None = None, only: str | None = None) -> Plan:
    """Every milestone's due date. ``actuals`` values may be dates or "n/a" (not applicable).

    ``only`` plans just that milestone and those it counts from, as one worksheet cell needs:
    a later milestone running past the calendar's years must not spoil an earlier one's date."""
    if not isinstance(profile, Profile):
        profile = get_profile(profile)
    if day0 is None:
        raise ScrError("Day 0 is blank.", fix="Enter the Day 0 date (dd/mm/yyyy).")
    calendar = calendar or WorkCalendar(profile.nation)
    try:
        calendar.check_years(day0)
    except ScrError:
        raise outside_error(day0) from None
    actuals, bad_actuals = _clean(actuals, st.MILESTONE_INPUTS[1][1], True)
    overrides, bad_overrides = _clean(overrides, OVERRIDE_WHAT, False)
    for given in (actuals, overrides, bad_actuals, bad_overrides):
        for mid in given:
            profile.milestone(mid)  # raises, naming the milestones that exist
    by_id = {m.id: m for m in profile.milestones}
    done: dict[str, PlannedMilestone] = {}

    def visit(mid: str) -> PlannedMilestone:
        if mid in done:
            return done[mid]
        m = by_id[mid]
        flags: list[str] = []
        provisional = False
        if m.start == DAY0:
            anchor = day0
        elif m.start == INPUT:
            anchor = None
        else:
            parent = visit(m.start)
            anchor = parent.due
            if m.basis == "actual" and parent.actual is not None:
                anchor = parent.actual  # a recorded fact: nothing provisional carries over
                flags.append(f"{REPLANNED} from actual {m.start}")
            else:
                provisional = PROVISIONAL in parent.flags
        computed = None
        if anchor is not None:
            computed = shift(calendar, anchor, m)
            rolled = calendar.roll(computed, m.roll)
            if rolled != computed:
                flags.append(f"{words.MOVED_FROM} {fmt(computed)} ({calendar.non_working_reason(computed)})")
            elif not calendar.is_working_day(computed):
                flags.append(f"{words.FALLS_ON} ({calendar.non_working_reason(computed)})")
            computed = rolled
            if (m.unit == "working_days" or m.roll != "none") and calendar.is_provisional(anchor, computed):
                provisional = True
        due = computed
        if mid in overrides:
            due = overrides[mid]
            if m.start != INPUT and due != computed:  # entering an input date is not overriding
                flags.append(OVERRIDDEN + (f" (guide: {fmt(computed)})" if computed else ""))
        actual = actuals.get(mid)
        not_applicable = st.is_not_applicable(actual)
        if provisional:
            flags.insert(0, PROVISIONAL)
        pm = PlannedMilestone(m, due, computed, None if not_applicable else actual, not_applicable, flags,
                              bad_actuals.get(mid), bad_overrides.get(mid))
        done[mid] = pm
        return pm

    for mid in [profile.milestone(only).id] if only else by_id:
        visit(mid)
    return Plan(profile, day0, calendar, [done[mid] for mid in by_id if mid in done])


def due_serials(profile: Profile, milestone_id: str, day0: np.ndarray, calendar: WorkCalendar, *,
                errors: str = "coerce"):
    """One milestone's due date for a whole column of Day 0 serials in one vectorised pass.

    The column form has no actual dates or overrides (those belong to one case), so each
    milestone is its anchor's due date moved by its rule. Blanks and input milestones give NaN.
    As in shift, a row whose Day 0 or any date counted from it falls outside the calendar's
    years is NaN too; errors="report" returns (values, those rows) so the caller can say so.
    """
    target = profile.milestone(milestone_id)
    by_id = {m.id: m for m in profile.milestones}
    chain = []
    m = target
    while True:
        chain.append(m)
        if m.start in (DAY0, INPUT):
            break
        m = by_id[m.start]
    out = np.floor(np.asarray(day0, dtype="float64"))
    bad = calendar.outside(out)
    if chain[-1].start == INPUT:
        out, chain = np.full(out.shape, np.nan), []
    for m in reversed(chain):
        out = np.where(bad, np.nan, out)
        n = m.signed_offset
        if m.unit == "days":
            out = out + n
        elif m.unit == "weeks":
            out = out + 7 * n
        elif m.unit == "months":
            out = excelfns.EDATE(out, n)
        else:
            out, outside = calendar.workday_many(out, np.full(out.shape, n), errors="coerce")
            bad |= outside
        if m.roll != "none":
            out = calendar.roll_many(out, m.roll)
        bad |= calendar.outside(out)
    out = np.where(bad, np.nan, out)
    return (out, bad) if errors == "report" else out
