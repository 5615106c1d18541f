"""`scr refresh`: recompute every computed cell of a case workbook and write it back safely.

Only our computed cells (and one Audit row) change; the file is patched in place, so the
board manager's extra columns, notes, formats, other sheets, buttons and VBA survive. The save
is atomic, keeps a backup and refuses while the workbook is open. The Refresh button runs the
same with ``book=`` the open workbook (written live).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.case import CaseData, Results
from workbook.case.session import CaseSession


@dataclass
class Refreshed:
    path: Path
    case: CaseData
    results: Results
    backup: Path | None
    cells: int
    converted: list  # dates typed as text, now real dates (workbook.case.typed.TextDate)
    warnings: list   # ScrError: what the board manager should fix that did not stop the refresh


def refresh(path, *, command: str = "refresh", today: dt.date | None = None, book=None) -> Refreshed:
    with CaseSession(path, command, today=today, book=book) as s:
        n = s.refresh()
        backup = s.save()
    return Refreshed(s.path, s.case, s.results, backup, n, list(s.reader.text_dates), list(s.warnings))
