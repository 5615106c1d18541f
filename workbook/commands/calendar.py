"""`scr calendar`: the review's calendar file (.ics): every milestone still to be done and every
return still awaited, as all-day events on their due dates, and the Meetings sheet's meetings at
their times. Reads the case only (nothing in it changes); the file is written atomically."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.meetings import deadline_events, meeting_events
from tracker.text import safe_name
from workbook.case.logs import meetings
from workbook.case.read import ScrErrors
from workbook.case.session import read_what_it_can
from workbook.ics.write import PRODID, calendar_bytes
from workbook.xlsx.safe import check_output, write_file_atomic


def _ours(p: Path) -> bool:
    with open(p, "rb") as fh:
        return PRODID.encode() in fh.read(200)


@dataclass
class CalendarFile:
    path: Path
    deadlines: int
    meetings: int
    no_meetings_sheet: bool


def write_calendar(case_path, out=None, *, today: dt.date | None = None) -> CalendarFile:
    case_path = Path(case_path)
    case, results, reader = read_what_it_can(case_path, today)
    if reader.errors:  # a wrong date would put an event on the wrong day: named, nothing written
        raise ScrErrors(list(reader.errors), file=case_path)
    rows = meetings(reader)
    events = deadline_events(case, results)
    met = meeting_events(case, rows or [])
    out = Path(out) if out else case_path.parent / f"{safe_name(case.case_name or 'case', blank='case')} calendar.ics"
    check_output(out, what="a calendar", ours=_ours, inputs=[case_path], suffix=".ics")
    write_file_atomic(out, calendar_bytes(f"Case {case.case_name}", events + met))
    return CalendarFile(out, len(events), len(met), rows is None)
