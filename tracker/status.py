"""Status words: what a board manager reads in a Status cell.

Words, never colours alone; the thresholds (the "due soon" window) come from Settings.
"""
from __future__ import annotations

import datetime as dt

DUE_SOON_DAYS = 7

NOT_APPLICABLE = "not applicable"
NOT_YET_DUE = "not yet due"
DUE_TODAY = "due today"
DONE_ON_TIME = "done on time"
NO_DATE = "no date yet"

NA_WORDS = {"n/a", "na", "not applicable", "n.a.", "none needed"}


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def is_not_applicable(value) -> bool:
    return isinstance(value, str) and value.strip().lower() in NA_WORDS


def milestone_status(due: dt.date | None, done: dt.date | None = None, today: dt.date | None = None,
                     due_soon_days: int = DUE_SOON_DAYS, not_applicable: bool = False) -> str:
    """not yet due, due in N days, due today, overdue by N days, done on time, done N days late, not applicable."""
    if not_applicable:
        return NOT_APPLICABLE
    today = today or dt.date.today()
    if done is not None:
        if due is None or done <= due:
            return DONE_ON_TIME
        return f"done {_days((done - due).days)} late"
    if due is None:
        return NO_DATE
    left = (due - today).days
    if left < 0:
        return f"overdue by {_days(-left)}"
    if left == 0:
        return DUE_TODAY
    if left <= due_soon_days:
        return f"due in {_days(left)}"
    return NOT_YET_DUE


# Receipt of a document an agency was asked for (seed 001, SCR Overview).
NOT_REQUESTED = "not requested"
REQUESTED = "requested"
PROMISED = "promised"
DUE_SOON = "due soon"
RECEIVED_ON_TIME = "received on time"
SIGNED_COPY_OUTSTANDING = "signed copy outstanding"
NIL_RETURN = "nil return"

RECEIPT_WORDS = (NOT_REQUESTED, REQUESTED, PROMISED, DUE_SOON, "overdue N days — chase", RECEIVED_ON_TIME,
                 "received N days late", SIGNED_COPY_OUTSTANDING, NIL_RETURN)
MILESTONE_WORDS = (NOT_YET_DUE, "due in N days", DUE_TODAY, "overdue by N days", DONE_ON_TIME,
                   "done N days late", NOT_APPLICABLE, NO_DATE)


def receipt_deadline(due: dt.date | None, promised: dt.date | None) -> dt.date | None:
    """The date a return is judged against: the board's due date, or a later date the agency promised."""
    dates = [d for d in (due, promised) if d is not None]
    return max(dates) if dates else None


def receipt_status(requested: dt.date | None, due: dt.date | None, promised: dt.date | None = None,
                   received: dt.date | None = None, today: dt.date | None = None, *,
                   nil_return: bool = False, signed_copy_due: bool = False,
                   signed_copy_received: dt.date | None = None, due_soon_days: int = DUE_SOON_DAYS) -> str:
    today = today or dt.date.today()
    if nil_return:
        return NIL_RETURN
    deadline = receipt_deadline(due, promised)
    if received is not None:
        if signed_copy_due and signed_copy_received is None:
            return SIGNED_COPY_OUTSTANDING
        if deadline is None or received <= deadline:
            return RECEIVED_ON_TIME
        return f"received {_days((received - deadline).days)} late"
    if requested is None and promised is None:
        return NOT_REQUESTED
    if deadline is not None:
        left = (deadline - today).days
        if left < 0:
            return f"overdue {_days(-left)} — chase"
        if left <= due_soon_days:
            return DUE_SOON
    return PROMISED if promised is not None else REQUESTED


def needs_chase(status: str) -> bool:
    return status.startswith("overdue")
