"""The rules for an agency's update to its actions, whatever file it came in.

A returned update sheet (or a typed action record) is read by workbook.update_sheet; what it
holds, once every cell passed, is a :class:`Returned` of :class:`ReturnedRow`. Here are the rules
that do not depend on the file:

* :func:`check_row`: the checks across one row's cells (a date of update, not in the future, not
  before the previous round; a revised target needs a reason, and is neither already past nor a
  wrong year);
* :func:`entry_key` / :func:`entry_text`: when two updates are the same one (importing a file twice
  changes nothing);
* :func:`apply_return`: a later update supersedes an earlier one (an older one is history only),
  and the agency's update request is marked received;
* :func:`open_actions`: what an agency is asked about (every action not signed off).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tracker.case import CaseData
from tracker.excel_dates import fmt
from tracker.errors import ScrError
from tracker.rag import SIGNED_OFF, edate, parse_status
from tracker.text import same_name

KIND_ISSUED = "issued sheet"
KIND_ACTION_RECORD = "action record"
MAX_TARGET_YEARS = 5       # a revised target further ahead than this is a wrong year

@dataclass
class ReturnedRow:
    """One validated update: the case's own action id, the canonical status word (or None when
    the status was left blank), the text, the date of update, and where it was in the file."""
    action_id: str
    status: str | None
    progress: str
    evidence: str
    date: dt.date
    revised_target: dt.date | None
    revision_reason: str
    sheet_row: int


@dataclass
class Returned:
    """A returned file that passed every check. ``kind`` is "issued sheet" (verified by its
    signature) or "action record" (typed on the seeds' layout: unverified; issue_id,
    template_version and issued are None)."""
    path: Path
    sha256: str  # of the file exactly as received (before any decryption)
    agency: str  # spelt as in the case workbook
    issue_id: str | None
    template_version: int | None
    issued: dt.date | None
    rows: list[ReturnedRow] = field(default_factory=list)
    kind: str = KIND_ISSUED


def check_row(got: dict, action_id: str, row: int, today: dt.date, earliest: dt.date | None, problem,
              *, issued: dt.date | None = None, cycle: int = 3) -> ReturnedRow | None:
    """Checks across one row's cells (``got``: input key -> value read); a ReturnedRow if it passes.
    Problems go to ``problem(message, fix, key)``."""
    date, revised, reason = got.get("date"), got.get("revised_target"), got.get("revision_reason")
    content = [k for k in ("status", "progress", "evidence", "revised_target", "revision_reason") if got.get(k)]
    ok = True
    if date is None:
        problem("give the date of this update: the row has an update but no date of update.",
                "Enter the date of update as dd/mm/yyyy.", "date")
        return None
    if not content:
        problem("the row has a date of update but no status, progress or evidence.",
                "Say what progress was made (or the status), or clear the date if there is no update.", "date")
        ok = False
    if date > today:
        problem(f"the date of update {fmt(date)} is in the future (today is {fmt(today)}).",
                "Enter the date the update was written, as dd/mm/yyyy (check the year).", "date")
        ok = False
    elif earliest is not None and date < earliest:
        problem(f"the date of update {fmt(date)} is more than {cycle} months before the sheet was issued "
                f"({fmt(issued)}).",
                "Enter the date this update was written, as dd/mm/yyyy (check the year); earlier progress belongs "
                "to an earlier update.", "date")
        ok = False
    if revised is not None and not reason:
        problem("a revised target date was given without a reason.",
                "Give the reason for the new target date in 'Reason for new target date'.", "revision_reason")
        ok = False
    if reason and revised is None:
        problem("a reason for a new target date was given, but no revised target date.",
                "Enter the revised target date as dd/mm/yyyy, or clear the reason.", "revised_target")
        ok = False
    if revised is not None:
        if revised < date:
            problem(f"the revised target date {fmt(revised)} is before the date of update {fmt(date)}.",
                    "A new target date must be in the future: enter it as dd/mm/yyyy.", "revised_target")
            ok = False
        elif revised > edate(today, 12 * MAX_TARGET_YEARS):
            problem(f"the revised target date {fmt(revised)} is more than {MAX_TARGET_YEARS} years away.",
                    "Check the year and enter the date as dd/mm/yyyy.", "revised_target")
            ok = False
    if not ok:
        return None
    return ReturnedRow(action_id=action_id, status=got.get("status"), progress=got.get("progress") or "",
                       evidence=got.get("evidence") or "", date=date, revised_target=revised,
                       revision_reason=reason or "", sheet_row=row)


def entry_key(action_id, date, status, progress) -> tuple:
    """What makes two updates the same one: importing a file twice changes nothing."""
    return (str(action_id or "").strip().casefold(), date, str(status or "").strip().casefold(),
            " ".join(str(progress or "").split()))


def entry_text(row) -> str:
    parts = [row.progress or ""]
    if row.evidence:
        parts.append(f"Evidence: {row.evidence}")
    return "\n".join(p for p in parts if p)


def apply_return(case: CaseData, returned: Returned, received_on: dt.date) -> tuple[list[dict], set[int], set[int]]:
    """Apply one return to the in-memory case; give the Updates rows (by Updates column key) and
    the changed Action Plan and Agencies rows."""
    actions = {str(a.get("action_id") or "").strip().casefold(): a for a in case.actions}
    source = f"{Path(returned.path).name}" + (f" (issue {returned.issue_id})" if returned.issue_id else
                                                " (typed action record: not a tracker sheet, matched by text)")
    log, changed_actions, changed_agencies = [], set(), set()
    for row in returned.rows:
        text = entry_text(row)
        log.append({"date": row.date, "agency": returned.agency, "action_id": row.action_id,
                    "status": row.status or "", "progress": text,
                    "revised_target": row.revised_target, "revision_reason": row.revision_reason or "",
                    "source": source, "recorded": received_on, "sha256": returned.sha256})
        action = actions[str(row.action_id).strip().casefold()]
        last = action.get("last_update")
        if last is None or row.date >= last:  # a later update supersedes; an older one is history only
            if row.status:
                action["status"] = row.status
            action["last_update"] = row.date
            if text:
                action["progress"] = text
            if row.revised_target:
                action["revised_target"] = row.revised_target
                action["revision_reason"] = row.revision_reason
            changed_actions.add(action["_row"])
    for a in case.agencies:
        if str(a.get("agency") or "").strip().casefold() == returned.agency.strip().casefold():
            for slot in ("update_2", "update_1"):
                if a.get(f"{slot}_requested") and not a.get(f"{slot}_received"):
                    a[f"{slot}_received"] = received_on
                    changed_agencies.add(a["_row"])
                    break
    return log, changed_actions, changed_agencies


def is_open(action: dict) -> bool:
    try:
        return parse_status(action.get("status")) != SIGNED_OFF
    except ScrError:
        return True  # a status nobody can read is not signed off: ask the agency about it


def open_actions(case: CaseData, agency: str) -> list[dict]:
    """The agency's actions that are not 'complete - signed off', in Action Plan order.

    The agency is matched ignoring case and extra spaces. A status that cannot be read counts
    as open (the agency is asked about it rather than it being silently dropped)."""
    want = same_name(agency)
    return [dict(a) for a in case.actions if same_name(a.get("agency")) == want and is_open(a)]
