"""`scr new`: start a case workbook for a review, with the board's agencies and thresholds."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from tracker.bankholidays import canonical_nation
from tracker.board import load_board
from tracker.case import CaseData, Results
from tracker.errors import ScrError
from tracker.profiles import get_profile
from workbook.case.create import write_new


def new_case(path: Path, *, name: str, profile: str | None, day0: dt.date, nation: str | None = None,
             agencies: list[str] | None = None, settings_file=None, force: bool = False,
             today: dt.date | None = None, password: str | None = None) -> Results:
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
    settings = board.settings()
    if prof.update_cycle_months:  # the profile's procedure sets its own cycle (Bolton: six months)
        settings["CycleMonths"] = prof.update_cycle_months
    case = CaseData(case_name=name.strip(), profile_id=prof.id, day0=day0, nation=canonical_nation(nation or board.nation or prof.nation),
                    today=today, settings=settings, closures=board.closure_days, agencies=rows)
    return write_new(path, case, force=force, password=password)
