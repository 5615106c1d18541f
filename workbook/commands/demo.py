"""`scr demo`: a complete fictional case at a realistic stage (tracker.demo), written with the
Updates log behind its Action Plan and its meetings, refreshed, and its status and chase list; the chase e-mails are
written beside it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.demo import DEMO_ROUNDS_AGENCY, demo_case, demo_rounds, demo_updates
from tracker.rounds import RoundLog, slot_cells
from tracker.summary import chase_list, chase_text, status_data
from workbook.case import layout as L
from workbook.case.audit import table_row
from workbook.case.create import write_new
from workbook.case.rounds import stage_rounds
from workbook.case.session import CaseSession
from workbook.eml.chase import write_chase_emails


@dataclass
class DemoResult:
    path: Path
    status: dict
    chase_text: str
    emails: list[Path]


def run_demo(directory: Path, today: dt.date) -> DemoResult:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "DEMO-01 case file.xlsx"
    case = demo_case(today)
    write_new(path, case, force=True)
    with CaseSession(path, "refresh", today=today) as s:  # as `scr refresh` leaves it
        s.append(L.UPDATES_TABLE, [table_row(L.UPDATES_TABLE, **u) for u in demo_updates(s.case)])
        rounds = demo_rounds(s.case)
        row = s.case.agencies[DEMO_ROUNDS_AGENCY]
        row.update(slot_cells(rounds))  # the Agencies slots show the latest two, as issue-updates leaves them
        s.stage_inputs(L.AGENCIES_TABLE, {row["_row"]: slot_cells(rounds)})
        stage_rounds(s, RoundLog(rounds))
        s.refresh()
        s.save()
    data = status_data(s.case, s.results)
    items = chase_list(s.case, s.results)
    emails = write_chase_emails(s.case, items, directory / "chase")
    return DemoResult(path, data, chase_text(s.case, items), emails)
