"""`scr chase`: who to chase today, for what, how late, with the contact; one ready-to-send .eml
per agency in a folder beside the case (nothing is sent)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.case import CaseData
from tracker.errors import ScrError
from tracker.summary import chase_list, chase_text
from workbook.case.session import read_computed
from workbook.eml.chase import write_chase_emails

FOLDER = "chase"  # beside the case workbook


@dataclass
class Chased:
    case: CaseData
    items: list[dict]
    folder: Path
    files: list[Path]

    @property
    def text(self) -> str:
        return chase_text(self.case, self.items)


def chase(path, out: Path | None = None, *, today: dt.date | None = None, sender: str = "") -> Chased:
    case, results = read_computed(path, today)
    items = chase_list(case, results)
    folder = Path(out) if out else Path(path).parent / FOLDER
    try:
        files = write_chase_emails(case, items, folder, sender) if items else []
    except ScrError as e:
        if e.sheet and not e.file:  # a cell of the case (an agency's name) to mend
            e.file = str(path)
        raise

    return Chased(case, items, folder, files)
