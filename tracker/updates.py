"""The rules for an agency's update to its actions, whatever file it came in.

A returned update sheet (or a typed action record) is read by workbook.update_sheet; what it
holds, once every cell passed, is a :class:`Returned` of :class:`ReturnedRow`. Here are the rules
that do not depend on the file:

* :func:`check_row`: the checks across one row's cells (a date of update, not in the future, not
  before the previous round; a revised target needs a reason, and is neither already past nor a
  wrong year);
* :func:`entry_key` / :func:`entry_text`: when two updates are the same one (importing a file twice
  changes nothing; a resend that adds a revised target date is a new one);
* :func:`apply_return`: a later update supersedes an earlier one, and the agency's update request
  is marked received. What an agency cannot change (see its docstring): it cannot sign off, a
  stale return (an older issue than one applied, or anything after the Board signed the action
  off) is recorded but changes nothing, and an unverified return never counts as received;
* :func:`open_actions`: what an agency is asked about (every action not signed off).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracker.case import CaseData
from tracker.excel_dates import fmt
from tracker.errors import ScrError
from tracker.rag import AWAITING_SIGN_OFF, SIGNED_OFF, edate, parse_status
from tracker.rounds import RoundLog
from tracker.text import same_name

KIND_ISSUED = "issued sheet"
KIND_ACTION_RECORD = "action record"
MAX_TARGET_YEARS = 5       # a revised target further ahead than this is a wrong year
BOARD_SIGN_OFF = "Board sign-off (scr sign-off)"  # the Updates Source of a sign-off: not a return
UNVERIFIED = "UNVERIFIED"  # how an entry the Board could not verify is marked, in Updates and the Action Plan

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
    claimed_sign_off: bool = False  # the agency wrote "complete - signed off": only the Board signs off


@dataclass
class Returned:
    """A returned file that passed every check. ``kind`` is "issued sheet" (signed) or "action
    record" (typed on the seeds' layout; issue_id, template_version and issued are None). Only a
    signed sheet whose issue the case records is verified; ``unverified`` says why any other is not."""
    path: Path
    sha256: str  # of the file exactly as received (before any decryption)
    agency: str  # spelt as in the case workbook
    issue_id: str | None
    template_version: int | None
    issued: dt.date | None
    rows: list[ReturnedRow] = field(default_factory=list)
    kind: str = KIND_ISSUED
    unverified: str = ""  # why it is not verified ("" for a signed sheet issued for this case)


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
    status = got.get("status")
    claimed = status == SIGNED_OFF  # the Board signs off, on the evidence; an agency can only say it is done
    return ReturnedRow(action_id=action_id, status=AWAITING_SIGN_OFF if claimed else status,
                       progress=got.get("progress") or "", evidence=got.get("evidence") or "", date=date,
                       revised_target=revised, revision_reason=reason or "", sheet_row=row, claimed_sign_off=claimed)


def entry_key(action_id, date, status, progress, revised_target=None, revision_reason="", *,
              unverified: bool = False) -> tuple:
    """What makes two updates the same one: importing a file twice changes nothing, but a resend
    that adds a revised target date (or its reason) is a new entry, and so is a verified copy of
    what was taken unverified before."""
    if isinstance(revised_target, dt.datetime):
        revised_target = revised_target.date()
    return (str(action_id or "").strip().casefold(), date, str(status or "").strip().casefold(),
            " ".join(str(progress or "").split()), revised_target or None,
            " ".join(str(revision_reason or "").split()), bool(unverified))


def row_key(row: ReturnedRow, unverified: bool) -> tuple:
    return entry_key(row.action_id, row.date, row.status, entry_text(row), row.revised_target, row.revision_reason,
                     unverified=unverified)


def entry_text(row) -> str:
    parts = [row.progress or ""]
    if row.evidence:
        parts.append(f"Evidence: {row.evidence}")
    return "\n".join(p for p in parts if p)


_ISSUE = re.compile(r"\(issue ([0-9A-Za-z._-]+)\)")


def source_text(returned: Returned) -> str:
    """The Updates row's Source: the file, its issue, and UNVERIFIED with why when it is."""
    name = Path(returned.path).name
    where = (f"{name} (issue {returned.issue_id})" if returned.issue_id
             else f"{name} (typed action record: not a tracker sheet, matched by text)")
    return f"{UNVERIFIED} ({returned.unverified}): {where}" if returned.unverified else where


def source_issue(source) -> str | None:
    """The issue id a Source names (source_text's), or None."""
    m = _ISSUE.search(str(source or ""))
    return m.group(1) if m else None


def is_unverified(source) -> bool:
    return str(source or "").startswith(UNVERIFIED)


@dataclass
class Applied:
    """What one return did: the Updates rows, the Action Plan and Agencies rows changed, and the
    warnings the board manager must read (each naming the action)."""
    log: list[dict] = field(default_factory=list)
    actions: set[int] = field(default_factory=set)
    agencies: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def apply_return(case: CaseData, returned: Returned, received_on: dt.date, *,
                 issue_order: dict[str, int] | None = None, applied_issue: dict[str, int] | None = None,
                 rounds: RoundLog | None = None) -> Applied:
    """Apply one return to the in-memory case.

    Every row is recorded in Updates. It changes its action only when it is the latest word on it:
    not when the Board has signed the action off (a return cannot reopen it), not when an update of
    a later issue was already applied (``issue_order``: issue id -> its place in the order issued;
    ``applied_issue``: action id -> the latest issue applied to it, kept up to date here), and not
    when it is dated before the action's last update. Each such row gets a warning naming the action.
    A "complete - signed off" from an agency was already read as awaiting sign-off (check_row); it
    says so. An unverified return's entries are marked UNVERIFIED, and it does not count as the
    agency's update received: the agency is still chased until a verified return arrives. A verified
    one is the agency's update round received (``rounds``, tracker.rounds: the round of its issue id,
    else the oldest open one), in its slot on the Agencies sheet while the slots show that round."""
    issue_order = issue_order or {}
    applied_issue = {} if applied_issue is None else applied_issue
    actions = {str(a.get("action_id") or "").strip().casefold(): a for a in case.actions}
    source = source_text(returned)
    this_issue = issue_order.get(returned.issue_id) if returned.issue_id and not returned.unverified else None
    out = Applied()
    for row in returned.rows:
        text = entry_text(row)
        note = ""
        if row.claimed_sign_off:
            note = " [the agency wrote 'complete - signed off'; only the Board signs off: recorded as awaiting sign-off]"
            out.warnings.append(f"action {row.action_id}: {returned.agency} said it is complete and signed off; only "
                                "the Board signs off, so it is recorded as 'complete - awaiting sign-off' (sign it "
                                "off in the Action Plan when the evidence is accepted).")
        out.log.append({"date": row.date, "agency": returned.agency, "action_id": row.action_id,
                        "status": row.status or "", "progress": text,
                        "revised_target": row.revised_target, "revision_reason": row.revision_reason or "",
                        "source": source + note, "recorded": received_on, "sha256": returned.sha256})
        key = str(row.action_id).strip().casefold()
        action = actions[key]
        stale = _stale(action, row, this_issue, applied_issue.get(key))
        if stale:
            out.warnings.append(f"action {row.action_id}: the update from {returned.agency} dated {fmt(row.date)} "
                                f"was recorded in Updates but not applied: {stale}.")
            continue
        if this_issue is not None:
            applied_issue[key] = this_issue
        if row.status:
            action["status"] = row.status
        action["last_update"] = row.date
        if text:
            action["progress"] = f"{UNVERIFIED} ({returned.unverified}): {text}" if returned.unverified else text
        if row.revised_target:
            action["revised_target"] = row.revised_target
            action["revision_reason"] = row.revision_reason
        out.actions.add(action["_row"])
    if returned.unverified:
        return out
    rounds = RoundLog(None) if rounds is None else rounds
    for a in case.agencies:
        if same_name(a.get("agency")) == same_name(returned.agency):
            cells = rounds.receive(a, returned.issue_id, received_on)
            if cells:
                a.update(cells)
                out.agencies.add(a["_row"])
            break
    return out


def _stale(action: dict, row: ReturnedRow, this_issue: int | None, latest_issue: int | None) -> str:
    """Why ``row`` must not change ``action`` (a later state stands), or ""."""
    try:
        signed_off = parse_status(action.get("status")) == SIGNED_OFF
    except ScrError:
        signed_off = False
    if signed_off:
        return "the Board has signed the action off, and a return cannot reopen it"
    if this_issue is not None and latest_issue is not None and this_issue < latest_issue:
        return "it is on an older update sheet than one already applied to the action"
    last = action.get("last_update")
    if isinstance(last, dt.date) and row.date < last:
        return f"the action's last update ({fmt(last)}) is later"
    return ""


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
