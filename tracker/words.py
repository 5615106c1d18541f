"""Every word the tracker reads from a cell or writes into one, said once.

The drop-downs (workbook.case.layout), the worksheet functions (tracker.udfs), the values `scr`
caches and prints (tracker.case, tracker.status, tracker.rag) and the native twins' word
lists (workbook.case.formulas) all import these, so the three faces of a computed cell — the saved
value, the add-in's answer and the native formula after recalculation — read the same words.

Words are compared as Excel compares text: TRIM (outer spaces off, inner runs of spaces made
one) and case ignored, so a native ``TRIM(A1)="nil return"`` and :func:`norm` agree.

A cell whose *input* is wrong (text in a date cell, an unknown word) shows one message, built
here from a template; the formula builder embeds the same template, so the native twin prints
the same sentence (see :func:`not_a_date` and :func:`unknown_word`).
"""
from __future__ import annotations

import datetime as dt
import re

from tracker.errors import ScrError

# ---- not applicable (a milestone or front-sheet event that will not happen) -----------------
NA_WORDS = ("n/a", "na", "not applicable", "n.a.", "none needed")

# ---- Agencies: involvement (the drop-down) and what else means a nil return ------------------
INVOLVED = "involved"
NIL_RETURN = "nil return"
INVOLVEMENT_CHOICES = (INVOLVED, NIL_RETURN)  # the Involvement drop-down
NIL_WORDS = (NIL_RETURN, "nil", "nil return confirmed", "nil-return", "no involvement")

# ---- TRUE/FALSE typed as words (SCR_RECEIPT's flags; also accepted for a nil return) ----------
TRUE_WORDS = ("true", "yes", "y", "1", "x", "\u2713", "\u2714")
FALSE_WORDS = ("false", "no", "n", "0", "-")
SIGNED_COPY_WORDS = ("signed copy due", "signed copy required", "required", "due")
NOT_NEEDED_WORDS = ("not required", "not needed", "n/a", "na", "not applicable")

# ---- milestone status words (tracker.status.milestone_status) --------------------------------
NOT_APPLICABLE = "not applicable"
NOT_YET_DUE = "not yet due"
DUE_TODAY = "due today"
DONE_ON_TIME = "done on time"
NO_DATE = "no date yet"
# words that count days: "N days" becomes "1 day", "2 days" ... (counted; natively formulas.counted)
DUE_IN, OVERDUE_BY, DONE_LATE = "due in N days", "overdue by N days", "done N days late"
MILESTONE_WORDS = (NOT_YET_DUE, DUE_IN, DUE_TODAY, OVERDUE_BY, DONE_ON_TIME, DONE_LATE, NOT_APPLICABLE, NO_DATE)

# ---- receipt status words (tracker.status.receipt_status; seed 001, SCR Overview) -------------
NOT_REQUESTED = "not requested"
REQUESTED = "requested"
PROMISED = "promised"
DUE_SOON = "due soon"
RECEIVED_ON_TIME = "received on time"
SIGNED_COPY_OUTSTANDING = "signed copy outstanding"
OVERDUE_CHASE, RECEIVED_LATE = "overdue N days — chase", "received N days late"
RECEIPT_WORDS = (NOT_REQUESTED, REQUESTED, PROMISED, DUE_SOON, OVERDUE_CHASE, RECEIVED_ON_TIME, RECEIVED_LATE,
                 SIGNED_COPY_OUTSTANDING, NIL_RETURN)
N_DAYS = "N days"


def counted(words: str, n: int) -> str:
    """A counting status word with its number: counted(OVERDUE_BY, 1) is "overdue by 1 day"."""
    before, after = words.split(N_DAYS)
    return before + (f"{n} day" if n == 1 else f"{n} days") + after

# ---- action statuses (the Action Plan drop-down) and BRAG words -------------------------------
NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
AWAITING_SIGN_OFF = "complete - awaiting sign-off"
SIGNED_OFF = "complete - signed off"
ACTION_STATUSES = (NOT_STARTED, IN_PROGRESS, AWAITING_SIGN_OFF, SIGNED_OFF)
# The Meetings sheet's drop-down (seed 001 §2.9: scoping, panel meetings, the debrief, the Board; a
# family meeting; today's learning events); "Other" and anything typed are kept as typed.
MEETING_KINDS = ("Scoping meeting", "Panel meeting", "Practitioner learning event", "Family meeting",
                 "Multi-agency debrief", "Board meeting", "Other")
# The Record sheet's drop-down (issue 9): the decision to hold a review and its type; an extension
# agreed; the family told, offered an interview, shown the report; criminal or coroner's proceedings;
# publication; the multi-agency debrief; Ofsted's or the Panel's evaluation; a rapid review
# becoming an LCSPR. Anything typed is kept as typed.
DECISION, EXTENSION, CONVERTED = "Decision", "Extension agreed", "Review converted"
RECORD_KINDS = (DECISION, EXTENSION, "Family", "Parallel proceedings", "Publication", "Multi-agency debrief",
                "Evaluation of the review", CONVERTED, "Other")
BLUE, GREEN, AMBER, RED = "Blue", "Green", "Amber", "Red"
RAG_WORDS = (BLUE, GREEN, AMBER, RED)

# ---- flags: why a milestone's date is what it is ---------------------------------------------
PROVISIONAL = "provisional"
OVERRIDDEN = "overridden"
REPLANNED = "re-planned"
MOVED_FROM = "moved from"
FALLS_ON = "falls on a non-working day"
FLAG_SEPARATOR = "; "
BANK_HOLIDAY = "bank holiday"
CLOSURE_DAY = "closure day"
HOLIDAY_KINDS = (BANK_HOLIDAY, CLOSURE_DAY)  # the Holidays sheet's Kind drop-down
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def trim(value) -> str:
    """What Excel's TRIM gives: outer spaces off, inner runs of spaces made one."""
    return re.sub(" +", " ", str(value).strip(" "))


def norm(value) -> str:
    """Text as Excel's TRIM and case-blind "=" see it."""
    return trim(value).casefold()


def excel_text(value) -> str:
    """What TRIM() of a cell gives, normalised: TRUE/FALSE for booleans, 1 (not 1.0) for whole numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return norm(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(" ")) or (
        isinstance(value, float) and value != value)


def is_not_applicable(value) -> bool:
    return isinstance(value, str) and norm(value) in NA_WORDS


# ---- input errors: one message, the same in every face ---------------------------------------

ERROR_PREFIX = "Error: "
DAY0_WHAT = "Day 0"  # what the messages call the Day 0 cell (SCR_DEADLINE, SCR_FLAGS and their twins)
SHOWN = 40  # characters of the offending text quoted back (LEFT(TRIM(x),40) natively)


class InputError(ScrError):
    """What a cell holds is wrong (not the environment): the cell shows this message, in every face."""

    @property
    def cell_text(self) -> str:
        return ERROR_PREFIX + str(self)


class PassedOn(InputError):
    """A cell this one reads already shows a message (a Due cell saying Day 0 is not a date): the
    message is passed on unchanged, not wrapped in another."""

    def __init__(self, text: str):
        super().__init__(text[len(ERROR_PREFIX):])
        self.text = text

    @property
    def cell_text(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text[len(ERROR_PREFIX):]


NOT_A_DATE = ("{what} '", "' is not a date.", "Enter a date (dd/mm/yyyy) so the cell holds a date, not text")
UNKNOWN_WORD = ("{what} '", "' is not one of the words the workbook knows.", "Use one of: {words}.")


def shown(value) -> str:
    return re.sub(" +", " ", str(value).strip(" "))[:SHOWN]


def not_a_date(what: str, value, na_ok: bool = False) -> InputError:
    before, after, fix = NOT_A_DATE
    return InputError(before.format(what=what) + shown(value) + after,
                      fix=fix + (", or n/a." if na_ok else "."))


def unknown_word(what: str, value, words) -> InputError:
    before, after, fix = UNKNOWN_WORD
    return InputError(before.format(what=what) + shown(value) + after, fix=fix.format(words=", ".join(words)))


def message_parts(error: InputError, value: str) -> tuple[str, str]:
    """The cell text before and after the quoted ``value`` of a message, so the formula builder can
    rebuild exactly the same sentence natively around LEFT(TRIM(cell),40)."""
    before, _, after = error.cell_text.partition(value)
    return before, after


def date_cell(value, what: str, *, na_ok: bool = False):
    """What a date cell holds: a date, None (blank), "n/a" (when allowed) — or an InputError.

    The one rule for every face: a date cell holds a real date. A number is Excel's serial;
    text other than an n/a word is refused even when it looks like a date, because the native
    formulas (ISNUMBER) cannot read it, and the three faces must agree."""
    from tracker.excel_dates import from_serial

    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if na_ok and is_not_applicable(value):
        return "n/a"
    if isinstance(value, str) and value.startswith(ERROR_PREFIX):
        raise PassedOn(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, bool):
            raise not_a_date(what, "TRUE" if value else "FALSE", na_ok)
        raise not_a_date(what, value, na_ok)
    try:
        return from_serial(value)
    except ScrError:
        raise not_a_date(what, f"{value:g}", na_ok) from None


def involvement_is_nil(value) -> bool:
    """The Involvement cell (or SCR_RECEIPT's nil_return argument): True for a nil return.

    Blank, ``involved`` and the FALSE words mean involved; the nil-return words and the TRUE
    words (TRUE, yes) mean a nil return; anything else is an input error."""
    if is_blank(value):
        return False
    t = excel_text(value)
    if t in NIL_WORDS or t in TRUE_WORDS:
        return True
    if t == INVOLVED or t in FALSE_WORDS:
        return False
    raise unknown_word("Involvement", value, INVOLVEMENT_CHOICES)


def action_status(value) -> str | None:
    """The Action Plan's Status cell: one of the drop-down words, None for blank; else an input error.

    Only the drop-down words: the native twin knows no others (``scr import`` reads the spellings
    agencies type, via tracker.rag.parse_status, before anything reaches the sheet)."""
    if is_blank(value):
        return None
    t = excel_text(value)
    for s in ACTION_STATUSES:
        if t == s:
            return s
    raise unknown_word("Action status", value, ACTION_STATUSES)


def flag(value, what: str, yes_words=(), no_words=()) -> bool:
    """TRUE/FALSE from a cell: a boolean, a number (non-zero is TRUE, as Excel's IF), a date
    (a date entered means it happened), or a word; a blank is FALSE."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, dt.date):
        return True
    t = norm(value)
    if t in TRUE_WORDS or t in yes_words:
        return True
    if t in FALSE_WORDS or t in no_words:
        return False
    raise unknown_word(what, value, ["TRUE", "FALSE", "yes", "no", *sorted(w for w in yes_words if " " in w)])
