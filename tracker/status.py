"""Status words: what a board manager reads in a Status cell.

Words, never colours alone; the thresholds (the "due soon" window) come from Settings.
"""
from __future__ import annotations

import datetime as dt

from tracker.words import (  # the words live in one place; these names are kept for callers
    DONE_LATE, DONE_ON_TIME, DUE_IN, DUE_SOON, DUE_TODAY, MILESTONE_WORDS, OVERDUE_BY, OVERDUE_CHASE, RECEIVED_LATE,
    counted, NA_WORDS, NIL_RETURN, NO_DATE, NOT_APPLICABLE,
    NOT_REQUESTED, NOT_YET_DUE, PROMISED, RECEIPT_WORDS, RECEIVED_ON_TIME, REQUESTED, SIGNED_COPY_OUTSTANDING,
    InputError, date_cell, is_not_applicable)

DUE_SOON_DAYS = 7


def milestone_status(due: dt.date | None, done: dt.date | None = None, today: dt.date | None = None,
                     due_soon_days: int = DUE_SOON_DAYS, not_applicable: bool = False) -> str:
    """not yet due, due in N days, due today, overdue by N days, done on time, done N days late, not applicable."""
    if not_applicable:
        return NOT_APPLICABLE
    today = today or dt.date.today()
    if done is not None:
        if due is None or done <= due:
            return DONE_ON_TIME
        return counted(DONE_LATE, (done - due).days)
    if due is None:
        return NO_DATE
    left = (due - today).days
    if left < 0:
        return counted(OVERDUE_BY, -left)
    if left == 0:
        return DUE_TODAY
    if left <= due_soon_days:
        return counted(DUE_IN, left)
    return NOT_YET_DUE


def milestone_cell(due, done, today: dt.date | None = None, due_soon_days: int = DUE_SOON_DAYS) -> str:
    """A Status cell (Timescale, Front Sheet) from what its Due and Actual cells hold, as they hold it:
    the status word, or the message when a cell holds text instead of a date. SCR_STATUS, the
    cached values and (in the same order of checks) the native twin all follow this."""
    try:
        due_d = date_cell(due, MILESTONE_INPUTS[0][1])
        done_v = date_cell(done, MILESTONE_INPUTS[1][1], na_ok=True)
    except InputError as e:
        return e.cell_text
    na = done_v == "n/a"
    return milestone_status(due_d, None if na else done_v, today, due_soon_days, na)


MILESTONE_INPUTS = (("due", "due date"), ("done", "done date"))  # checked in this order, natively too


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
        return counted(RECEIVED_LATE, (received - deadline).days)
    if requested is None and promised is None:
        return NOT_REQUESTED
    if deadline is not None:
        left = (deadline - today).days
        if left < 0:
            return counted(OVERDUE_CHASE, -left)
        if left <= due_soon_days:
            return DUE_SOON
    return PROMISED if promised is not None else REQUESTED


def needs_chase(status: str) -> bool:
    return status.startswith(OVERDUE_CHASE.split(" ")[0])
