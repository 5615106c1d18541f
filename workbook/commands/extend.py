"""`scr extend`: a timescale extension agreed, recorded in one case session (tracker.extensions):
the milestone's Override set to the new date (its guide date stays beside it), who agreed it, when
and why added to its Notes (what was typed there is kept), every computed cell recomputed (the
dates counted from it move too), and an Audit row."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.extensions import Extension, extension
from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.audit import table_row
from workbook.case.cells import milestone_rows
from workbook.case.session import CaseSession


@dataclass
class Extended:
    extension: Extension
    label: str
    moved: int  # other milestones whose due date moved with it
    backup: Path | None = None


def extend(case_path, milestone: str, to: dt.date, agreed_by: str, agreed_on: dt.date | None = None,
           why: str = "", *, today: dt.date | None = None) -> Extended:
    case_path = Path(case_path)
    agreed_on = agreed_on or today or dt.date.today()
    with CaseSession(case_path, "extend", today=today) as s:
        before = s.compute()
        ext, hit = extension(before.plan, milestone, to, agreed_by, agreed_on, why, file=case_path)
        loc = s.located(L.TIMESCALE_TABLE)
        ws = s.reader.wb[loc.sheet]
        row = milestone_rows(s.reader.wb, case_path).get(ext.milestone)
        if row is None:
            raise ScrError(f"milestone '{ext.milestone}' has no row on the Timescale sheet, so its date cannot be "
                           "moved; nothing was changed.", file=case_path, sheet=loc.sheet,
                           fix="Restore the Timescale from a backup in the backups folder.")
        typed = str(ws[f"{loc.cols['notes']}{row}"].value or "").strip()
        s.case.overrides[ext.milestone] = to
        s.case.record.append(ext.record())  # the Front Sheet's extensions line says it too
        s.recompute()
        s.stage_inputs(L.TIMESCALE_TABLE, {row: {"override": to, "notes": (typed + "\n" if typed else "") + ext.note()}})
        after = {p.id: p.due for p in s.results.plan.milestones}
        moved = sum(1 for p in before.plan.milestones if p.id != ext.milestone and after.get(p.id) != p.due)
        if L.RECORD in s.reader.wb.sheetnames:  # a file made before the Record sheet keeps the Audit row only
            s.append(L.RECORD_TABLE, [table_row(L.RECORD_TABLE, **ext.record())])
        s.audit(*ext.audit())
        backup = s.save()
    return Extended(ext, hit.milestone.label, moved, backup)
