"""The review's calendar: its meetings (the Meetings sheet) and every deadline, as events a calendar
program can hold (seed 001 §2.9: the manager "draws up a draft calendar and work plan" and
"circulates panel membership, meeting dates and schedule").

Deadlines are all-day events on their due dates; meetings are timed, in UK time. Every event has
an id that stays the same from one export to the next (the case id and the milestone, the agency
and the return, or the meeting's ID), so importing a later export updates an event rather than
adding it twice.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.case import CaseData, Results
from tracker.errors import ScrError
from tracker.text import slug

UK = "Europe/London"
_TIME = re.compile(r"\A\s*(\d{1,2})[:.](\d{2})\s*\Z")


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    day: dt.date
    start: dt.time | None = None  # None: an all-day deadline
    end: dt.time | None = None
    place: str = ""
    description: str = ""


def parse_time(value, what: str, **where) -> dt.time | None:
    """A time as typed: 10:00 or 10.00 (text), or Excel's own time (a fraction of a day)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    m = _TIME.match(str(value))
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return dt.time(int(m[1]), int(m[2]))
    raise ScrError(f"the {what} '{value}' is not a time.", fix="Type it as hh:mm, e.g. 10:00 or 14:30.", **where)


def meeting_events(case: CaseData, meetings: list[dict]) -> list[Event]:
    """The Meetings sheet's rows as events (a row with no date is not yet a meeting)."""
    out = []
    for m in meetings:
        if not isinstance(m.get("date"), dt.date):
            continue
        start, end = m.get("start"), m.get("end")
        if end is not None and start is None:
            raise ScrError("this meeting has an end time but no start.", fix="Type the start time too (hh:mm).",
                           sheet="Meetings", row=m.get("_row"))
        if start is not None and end is not None and end <= start:
            raise ScrError(f"this meeting ends ({end:%H:%M}) before it starts ({start:%H:%M}).",
                           fix="Put the times right (hh:mm, 24-hour clock).", sheet="Meetings", row=m.get("_row"))
        ident = str(m.get("meeting_id") or "").strip() or f"row{m.get('_row')}"
        what = " ".join(str(m.get("what") or "Meeting").split())
        out.append(Event(f"{case.case_id}-meeting-{slug(ident, blank='x')}@scr-tracker", f"{case.case_name}: {what}",
                         m["date"], start, end or (_plus_hour(start) if start else None),
                         " ".join(str(m.get("place") or "").split()),
                         "\n".join(x for x in (str(m.get("purpose") or "").strip(),
                                               f"Who: {m['who']}" if m.get("who") else "") if x)))
    return out


def _plus_hour(t: dt.time) -> dt.time:
    return (dt.datetime.combine(dt.date(2000, 1, 1), t) + dt.timedelta(hours=1)).time() if t.hour < 23 else dt.time(23, 59)


def deadline_events(case: CaseData, results: Results) -> list[Event]:
    """Every milestone still to be done, and every return still awaited, on its due date."""
    out = []
    for p in results.plan.milestones:
        if p.due and not p.not_applicable and not isinstance(p.actual, dt.date):
            out.append(Event(f"{case.case_id}-milestone-{p.id}@scr-tracker", f"{case.case_name}: {p.label}", p.due,
                             description=f"Milestone {p.id} of the review's timescale ({results.profile.id})."))
    for row, receipts in zip(case.agencies, results.agencies):
        agency = str(row.get("agency") or "").strip()
        for item, r in receipts.receipts.items():
            if r.deadline and r.received is None and not r.nil_return:
                out.append(Event(f"{case.case_id}-{slug(agency, blank='agency')}-{item}@scr-tracker",
                                 f"{case.case_name}: {r.label} due from {agency}", r.deadline,
                                 description=f"{r.label} from {agency}."))
    return out
