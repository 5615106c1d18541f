"""`scr sign-off`: the Board accepts an action's evidence and the board manager records it.

Only the Board signs an action off (an agency's own "signed off" is read as awaiting sign-off), so
this is the one way an action turns Blue with a record of who and when: its Status in the Action
Plan becomes "complete - signed off", the BRAG is recomputed, and the sign-off is written twice,
as an entry in Updates (dated the sign-off day, the role that signed it off, the board manager's
note) and as an Audit row. Who is a role ("Chair", "Board"), never a person's name: the case is
kept in every backup. One case session: atomic, backed up, refused while the workbook is open.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.master import sign_off_text
from tracker.rag import AWAITING_SIGN_OFF, SIGNED_OFF, parse_status
from tracker.text import did_you_mean
from tracker.updates import BOARD_SIGN_OFF
from workbook.case import layout as L
from workbook.case.audit import table_row
from workbook.case.session import CaseSession

SOURCE = BOARD_SIGN_OFF


@dataclass
class SignedOff:
    action_id: str
    agency: str
    was: str  # the status before
    by: str
    on: dt.date
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def _find(case, ref: str, path: Path) -> dict:
    wanted = _one_line(ref).casefold()
    for a in case.actions:
        if _one_line(a.get("action_id")).casefold() == wanted:
            return a
    ids = [_one_line(a.get("action_id")) for a in case.actions if _one_line(a.get("action_id"))]
    raise ScrError(f"there is no action '{_one_line(ref)[:40]}' in the Action Plan, so nothing was signed off."
                   + did_you_mean(ref, ids), file=path, sheet=L.ACTIONS,
                   fix="Give the Action ID as the Action Plan shows it (first column)"
                       + (f", one of: {', '.join(ids[:12])}" + (" ..." if len(ids) > 12 else "") if ids else "") + ".")


def sign_off(case_path, action_ref: str, by: str, on: dt.date | None = None, note: str = "", *,
             today: dt.date | None = None) -> SignedOff:
    """``by``: the role that signed the action off; ``on``: the day it did (default: today)."""
    case_path = Path(case_path)
    by, note = _one_line(by), _one_line(note)
    if not by:
        raise ScrError("say who signed the action off, as a role, e.g. --by \"Chair\" or --by \"Board\".")
    on = on or today or dt.date.today()
    with CaseSession(case_path, "sign-off", today=today) as s:
        action = _find(s.case, action_ref, case_path)
        aid, row = _one_line(action.get("action_id")), action["_row"]
        try:
            was = parse_status(action.get("status")) or ""
        except ScrError:
            was = _one_line(action.get("status"))
        if was == SIGNED_OFF:
            raise ScrError(f"action {aid} is already signed off, so nothing was changed.", file=case_path,
                           sheet=L.ACTIONS, row=row,
                           fix="See its sign-off in the Updates and Audit sheets. To reopen it, change its Status "
                               "in the Action Plan first.")
        done = SignedOff(aid, _one_line(action.get("agency")), was or "blank", by, on)
        if was != AWAITING_SIGN_OFF:
            done.warnings.append(f"action {aid} was '{done.was}', not reported complete by {done.agency or 'its agency'}; "
                                 "it is signed off as you asked.")
        action["status"] = SIGNED_OFF
        s.recompute()
        s.stage_inputs(L.ACTIONS_TABLE, {row: {"status": SIGNED_OFF}})
        s.append(L.UPDATES_TABLE, [table_row(L.UPDATES_TABLE, date=on, agency=done.agency, action_id=aid,
                                             status=SIGNED_OFF, progress=sign_off_text(by, note),
                                             revised_target=None, revision_reason="", source=SOURCE,
                                             recorded=today or dt.date.today(), sha256="")])
        s.audit(f"action {aid} signed off by {by}",
                f"signed off on {fmt(on)} by {by}; was '{done.was}'" + (f"; {note}" if note else ""))
        done.backup = s.save()
    return done
