"""`scr record`: an entry on the case's Record sheet (tracker.record): the decision to hold a
review, the family told, proceedings, publication, the debrief, the evaluation; with who (a role),
when, what and why, and an Audit row. With --done, the milestone it completes gets that Actual date
too (the decision's date is what an LCSPR's six months run from), so both say the same day.
One case session: atomic, backed up, refused while the workbook is open."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.record import entry
from tracker.text import did_you_mean
from workbook.case import layout as L
from workbook.case.audit import table_row
from workbook.case.cells import milestone_rows
from workbook.case.session import CaseSession


@dataclass
class Recorded:
    row: dict
    done: str = ""  # the milestone given an Actual
    backup: Path | None = None


def record(case_path, kind: str, on: dt.date, what: str, by: str, why: str = "", *, done: str = "",
           today: dt.date | None = None) -> Recorded:
    case_path = Path(case_path)
    try:
        row = entry(kind, on, what, by, why, milestone=done)
    except ScrError as e:
        raise ScrError(e.message, file=case_path, sheet=L.RECORD, fix=e.fix) from None
    with CaseSession(case_path, "record", today=today) as s:
        if L.RECORD not in s.reader.wb.sheetnames:
            raise ScrError("this case file was made before the Record sheet, so there is nowhere to record this; "
                           "nothing was changed.", file=case_path,
                           fix="Make a new case file with `scr new` and copy the case across, or record it in the Notes.")
        s.case.record.append(row)  # the Front Sheet's decision line says it too
        if done:
            _complete(s, done, on, case_path)
        else:
            s.recompute()
        s.append(L.RECORD_TABLE, [table_row(L.RECORD_TABLE, **row)])
        s.audit(f"recorded: {row['kind']}", f"{fmt(on)}: {row['what']}; by {row['who']}"
                + (f"; why: {row['why']}" if row['why'] else "") + (f"; {done} done {fmt(on)}" if done else ""))
        backup = s.save()
    return Recorded(row, done, backup)


def _complete(s: CaseSession, milestone: str, on: dt.date, path: Path) -> None:
    plan = s.compute().plan
    key = " ".join(milestone.split()).lower()
    hit = next((p for p in plan.milestones if p.id == key), None)
    if hit is None:
        raise ScrError(f"there is no milestone '{milestone}' in this case's timescale, so nothing was recorded."
                       + did_you_mean(key, [p.id for p in plan.milestones]), file=path, sheet=L.TIMESCALE,
                       fix="Give the milestone's id as in the Timescale's Milestone column, or leave out --done.")
    if hit.actual not in (None, "") and hit.actual != on:
        shown = fmt(hit.actual) if isinstance(hit.actual, dt.date) else str(hit.actual)
        raise ScrError(f"milestone '{hit.id}' already has the Actual {shown}, so nothing was recorded.", file=path,
                       sheet=L.TIMESCALE, fix="Clear or correct its Actual on the Timescale first, or leave out --done.")
    row = milestone_rows(s.reader.wb, path)[hit.id]
    s.case.actuals[hit.id] = on
    s.recompute()
    s.stage_inputs(L.TIMESCALE_TABLE, {row: {"actual": on}})
