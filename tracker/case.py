"""Everything the case workbook shows that is computed, from what the board manager typed.

`scr new`, `scr refresh` and `scr import` all come through here, so the cached values written
beside every formula are the ones the Python worksheet functions give, and the same as the native
fallback formulas give (tests recalculate those in LibreOffice to prove it).
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from tracker import rag as ragmod
from tracker import status as st
from tracker import words
from tracker.board import Board
from tracker.calendar import WorkCalendar
from tracker.errors import ScrError
from tracker.frontsheet import events_for
from tracker.plan import Plan, make_plan
from tracker.profiles import Profile, get_profile
from tracker.receipts import RETURN_KEYS, Receipt

DEFAULT_SETTINGS = Board().settings()  # the built-in defaults, from one place


@dataclass
class CaseData:
    """What the board manager has typed into a case workbook (or what `scr new` starts it with)."""
    case_name: str
    profile_id: str
    day0: dt.date
    nation: str = "england-and-wales"
    today: dt.date | None = None  # None: the real today (the Settings cell holds =TODAY())
    settings: dict = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    closures: tuple[dt.date, ...] = ()  # non-working days typed on the Holidays sheet
    overrides: dict = field(default_factory=dict)  # milestone id -> date
    actuals: dict = field(default_factory=dict)  # milestone id -> date or "n/a"
    header_dates: dict = field(default_factory=dict)  # Agencies sheet: LetterReports, ... -> date
    agencies: list[dict] = field(default_factory=list)  # one dict per row, keys = Agencies columns
    actions: list[dict] = field(default_factory=list)  # one dict per row, keys = Actions columns
    front_actuals: dict = field(default_factory=dict)  # front-sheet event -> date or "n/a"
    front_planned: dict = field(default_factory=dict)  # typed plans for events the profile does not plan
    front_rows: tuple | None = None  # the front sheet's rows (FrontEvent) as a file has them; None: the profile's
    people: dict = field(default_factory=dict)
    # Settings: Themes (text, ';'-separated), Briefing, Published (date), PublicationLink: the portfolio's
    review: dict = field(default_factory=dict)
    # the Meetings sheet's rows a new file starts with (the demo's); read back by workbook.case.logs.meetings
    meetings: list[dict] = field(default_factory=list)
    # the Record sheet's rows a new file starts with (the demo's): date, kind, what, who, milestone, was_due, now_due, why
    record: list[dict] = field(default_factory=list)
    case_id: str = field(default_factory=lambda: secrets.token_hex(6))
    case_key: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def as_at(self) -> dt.date:
        return self.today or dt.date.today()

    def setting(self, key: str) -> int:
        value = self.settings.get(key)
        return int(value) if value not in (None, "") else DEFAULT_SETTINGS[key]


@dataclass
class ReceiptRow:
    receipts: dict[str, Receipt]  # item -> Receipt (with effective requested/due)
    statuses: dict[str, str]


@dataclass
class Results:
    profile: Profile
    calendar: WorkCalendar
    plan: Plan
    timescale_status: dict[str, str]
    agencies: list[ReceiptRow]
    actions: list[ragmod.RagResult]
    front: list[tuple[str, dt.date | None, str]]  # event key, planned, status
    front_events: tuple = ()  # the rows of the front sheet (FrontEvent), in order, matching front
    front_done: dict = field(default_factory=dict)  # event key -> the Actual its row shows (date or n/a)


def calendar_for(case: CaseData) -> WorkCalendar:
    return WorkCalendar(case.nation, case.closures)


def requested_default(case: CaseData, item: str) -> dt.date | None:
    """The header letter date a row's 'requested' falls back to when nothing was typed."""
    if item in ("chronology", "management_report"):
        return case.header_dates.get("LetterReports")
    if item == "action_plan":
        return case.header_dates.get("LetterPlans")
    return None


def update_due(case: CaseData, issued: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """When an update sheet issued on ``issued`` is due back: UpdateDueDays later, moved on to the
    next working day when that is a weekend, bank holiday or closure day (an agency cannot be
    asked to return on 29/12 when the office is shut). The native twin: WORKDAY(d+n-1,1,Holidays)."""
    cal = calendar or calendar_for(case)
    return cal.roll(issued + dt.timedelta(days=case.setting("UpdateDueDays")), "next")


def due_for(case: CaseData, plan: Plan, item: str, requested: dt.date | None) -> dt.date | None:
    """When a return is due: the header's 'requested by' date, else the profile's milestone;
    an update sheet is due UpdateDueDays after it was requested."""
    if item in ("update_1", "update_2"):
        if requested is not None:
            return update_due(case, requested, plan.calendar)
    else:
        by = case.header_dates.get("ReportsRequestedBy" if item != "action_plan" else "PlansRequestedBy")
        if by is not None:
            return by
    mid = plan.profile.returns.get(item)
    return plan[mid].due if mid else None


def receipts_for(case: CaseData, plan: Plan, row: dict) -> dict[str, Receipt]:
    """Each return of one Agencies row, read from its cells by the rule SCR_RECEIPT follows."""
    out = {}
    for item in RETURN_KEYS:
        requested = row.get(f"{item}_requested", "default")
        if requested == "default":
            requested = requested_default(case, item)
        signed = item == "management_report"
        due = due_for(case, plan, item, requested if isinstance(requested, dt.date) else None)
        out[item] = Receipt.from_cells(
            str(row.get("agency") or ""), item, signed_copy_due=signed, requested=requested, due=due,
            promised=row.get(f"{item}_promised"), received=row.get(f"{item}_received"),
            nil_return=row.get("involvement"), signed_copy_received=row.get("report_signed_copy") if signed else None)
    return out


def rag_settings(case: CaseData) -> ragmod.RagSettings:
    return ragmod.RagSettings(amber_days=case.setting("AmberDays"), cycle_months=case.setting("CycleMonths"),
                              red_cycles=case.setting("RedCycles"))


def action_target(row: dict):
    """The target the BRAG cell judges: the revised target when its cell is not blank, else the target."""
    revised = row.get("revised_target")
    return row.get("target") if words.is_blank(revised) else revised


def status_cell(value):
    """What the Action Plan's Status cell holds for a typed status: the drop-down word any spelling
    means (tracker.rag.parse_status), or the text itself when it means none (the cell's message)."""
    try:
        return ragmod.parse_status(value) if not words.is_blank(value) else None
    except ScrError:
        return value


def action_rag(case: CaseData, row: dict) -> ragmod.RagResult:
    return ragmod.assess_cells(status_cell(row.get("status")), action_target(row), row.get("last_update"), case.as_at,
                               rag_settings(case), started=row.get("agreed"))


def compute(case: CaseData) -> Results:
    profile = get_profile(case.profile_id)
    cal = calendar_for(case)
    plan = make_plan(profile, case.day0, actuals=case.actuals, overrides=case.overrides, calendar=cal)
    today, window = case.as_at, case.setting("DueSoon")
    ts_status = {p.id: p.status(today, window) for p in plan.milestones}
    agencies = []
    for row in case.agencies:
        receipts = receipts_for(case, plan, row)
        agencies.append(ReceiptRow(receipts, {k: r.status(today, window) for k, r in receipts.items()}))
    actions = [action_rag(case, row) for row in case.actions]
    front, done = [], {}
    events = case.front_rows if case.front_rows is not None else events_for(profile)
    for ev in events:
        planned = front_plan(ev, plan, case)
        done[ev.key] = front_actual(ev, case)
        front.append((ev.key, planned, st.milestone_cell(planned, done[ev.key], today, window)))
    return Results(profile, cal, plan, ts_status, agencies, actions, front, events, done)


def front_actual(ev, case: CaseData):
    """What a front-sheet row's Actual holds: its milestone's Actual (the Timescale's), or as typed."""
    if ev.follows:
        actual = case.actuals.get(ev.milestone)
        if isinstance(actual, str):  # as Excel's TRIM shows it
            actual = words.trim(actual) or None
        return actual
    return case.front_actuals.get(ev.key)


def front_plan(ev, plan: Plan, case: CaseData) -> dt.date | None:
    return plan[ev.milestone].due if ev.milestone else case.front_planned.get(ev.key)
