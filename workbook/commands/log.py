"""`scr log`: one row of the board manager's own in the Audit sheet (e.g. "Overview report sent",
shared with Ofsted), atomic, backed up, refused while the workbook is open.

Free text is the board manager's own words: keep names out of it (use initials or roles)."""
from __future__ import annotations

from tracker.excel_dates import fmt
from tracker.errors import ScrError
from workbook.case.session import CaseSession

CHAIR_PERMISSION = "Chair's permission given"


def log_entry(case_path, what: str, shared_with: str = "", detail: str = "", permission=None) -> dict:
    """``permission``: the date the Chair gave permission to share (seed 001 §1.2: documents are not
    passed on "without express permission of the Chair"), recorded with what was shared."""
    what = " ".join(str(what or "").split())
    if not what:
        raise ScrError("say what was done, e.g. --what \"Overview report sent\".")
    # a readable case workbook is needed (a 1904-system or damaged file is refused), not its contents
    with CaseSession(case_path, "log") as s:
        shared = [f"shared with {shared_with.strip()}"] if shared_with and shared_with.strip() else []
        if permission is not None:
            shared.append(f"{CHAIR_PERMISSION} {fmt(permission)}")
        text = what + (f" ({'; '.join(shared)})" if shared else "")
        row = s.audit(text, detail.strip())
        s.save()
    return row
