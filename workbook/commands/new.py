"""Starting a case file (`scr new`) and the demo (`scr demo`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.board import load_board
from tracker.errors import ScrError
from tracker.profiles import get_profile
from workbook.case.build import Builder
from tracker.case import CaseData, Results, compute
from workbook.xlsx.safe import atomic_write


def write_new(path: Path, case: CaseData, *, force: bool = False) -> Results:
    """Build the workbook into a temp file and put it in place atomically (backup if replacing)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ScrError("a new case workbook must be an .xlsx file.", file=path,
                       fix="Use a name ending .xlsx (save it as .xlsm in Excel once you add the buttons).")
    if path.exists() and not force:
        raise ScrError("the file already exists, so it was not replaced.", file=path,
                       fix="Choose another name, or add --force to replace it (a backup is kept).")
    if not path.parent.exists():
        raise ScrError("the folder does not exist.", file=path.parent, fix="Create the folder first.")
    results = compute(case)
    atomic_write(path, lambda tmp: Builder(tmp, case, results).build())
    return results


def new_case(path: Path, *, name: str, profile: str | None, day0: dt.date, nation: str | None = None,
             agencies: list[str] | None = None, settings_file=None, force: bool = False,
             today: dt.date | None = None) -> Results:
    if not name or not name.strip():
        raise ScrError("the case name is blank.", fix="Give initials or a case code with --name.")
    if len(name.strip()) > 100:
        raise ScrError(f"the case name is {len(name.strip())} characters long; it is printed on every page.",
                       fix="Give initials or a short case code (100 characters at most) with --name.")
    board = load_board(settings_file)
    prof = get_profile(profile or board.profile)
    known = {a["name"].casefold(): a for a in board.agencies}
    names = agencies if agencies is not None else [a["name"] for a in board.agencies]
    rows = []
    for n in names:
        a = known.get(n.casefold(), {"name": n})
        rows.append({"agency": a["name"], "involvement": "involved", "senior_manager": a.get("senior_manager"),
                     "contact": a.get("contact"), "email": a.get("email")})
    case = CaseData(case_name=name.strip(), profile_id=prof.id, day0=day0, nation=nation or board.nation or prof.nation,
                    today=today, settings=board.settings(), closures=board.closure_days, agencies=rows)
    return write_new(path, case, force=force)


@dataclass
class DemoResult:
    path: Path
    status: dict
    chase_text: str
    emails: list[Path]


def run_demo(directory: Path, today: dt.date) -> DemoResult:
    from tracker.demo import demo_case
    from workbook.commands.refresh import refresh
    from tracker.summary import chase_list, chase_text, status_data, write_chase_emails
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "DEMO-01 case file.xlsx"
    case = demo_case(today)
    write_new(path, case, force=True)
    r = refresh(path, today=today)
    data = status_data(r.case, r.results)
    items = chase_list(r.case, r.results)
    emails = write_chase_emails(r.case, items, directory / "chase")
    return DemoResult(path, data, chase_text(r.case, items), emails)
