"""`scr status`: next milestones, overdue items, returns outstanding by agency, BRAG counts
(tracker.summary says it; this reads the case and computes it). A bad cell does not hide the
rest: it is named under "Cells to fix", and the figures are computed as if it were blank."""
from __future__ import annotations

import datetime as dt

from tracker.summary import status_data
from workbook.case.session import read_what_it_can


def status(path, today: dt.date | None = None) -> dict:
    case, results, reader = read_what_it_can(path, today)
    data = status_data(case, results)
    data["problems"] = [str(e) for e in reader.errors + reader.warnings]
    data["text_dates"] = [str(t) for t in reader.text_dates]
    return data
