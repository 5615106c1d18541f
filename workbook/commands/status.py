"""`scr status`: next milestones, overdue items, returns outstanding by agency, BRAG counts
(tracker.summary says it; this reads the case and computes it)."""
from __future__ import annotations

import datetime as dt

from tracker.summary import status_data
from workbook.case.session import read_computed


def status(path, today: dt.date | None = None) -> dict:
    case, results = read_computed(path, today)
    return status_data(case, results)
