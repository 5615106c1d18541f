"""The formulas the case workbook carries.

Every computed cell is ``=IFERROR(<Python worksheet function>, <the same rule in native Excel
functions>)``: with the add-in, Python answers; on a laptop without it, in Excel on the web or in
LibreOffice, the unknown function is an error and the native rule answers instead — so the file
is self-calculating everywhere, and never shows #NAME?. Tests recalculate the native half in
LibreOffice and compare it with the Python half.

The native twins take their words from tracker.words, check bad input in the same order as the
domain functions do (tracker.status.MILESTONE_INPUTS, tracker.receipts.RECEIPT_INPUTS,
tracker.rag.RAG_INPUTS) and print the same message, built by Python once (words.message_parts).
"""
from __future__ import annotations

from tracker import words
from tracker.profiles import DAY0, INPUT, Milestone
from tracker.rag import RAG_INPUTS
from tracker.receipts import RECEIPT_INPUTS
from tracker.status import MILESTONE_INPUTS

_MARK = "\x00"  # where the offending text goes in a message


def q(text: str) -> str:
    """A string literal in a formula."""
    return '"' + text.replace('"', '""') + '"'


def counted(phrase: str, expr: str) -> str:
    """Native twin of words.counted: the phrase with ``expr`` days in it."""
    before, after = phrase.split(words.N_DAYS)
    days = f'({expr})&IF(({expr})=1," day"," days")'
    return "&".join(x for x in (q(before) if before else "", days, q(after) if after else "") if x)


def one_of(x: str, wordlist) -> str:
    """TRUE when the cell's text is one of the words (TRIM and case-blind "=", as words.norm)."""
    return "OR(" + ",".join(f"TRIM({x})={q(w)}" for w in sorted(set(wordlist))) + ")"


def is_na(x: str) -> str:
    return one_of(x, words.NA_WORDS)


def _shown(x: str) -> str:
    """The offending value as words.shown quotes it (TRUE/FALSE spelled out in every spreadsheet)."""
    return f'IF(ISLOGICAL({x}),IF({x},"TRUE","FALSE"),LEFT(TRIM({x}),{words.SHOWN}))'


def _message(error: words.InputError, x: str) -> str:
    before, after = words.message_parts(error, _MARK)
    return f"{q(before)}&{_shown(x)}&{q(after)}"


def bad_date(x: str, na_ok: bool = False) -> str:
    """TRUE when a date cell holds what words.date_cell refuses: TRUE/FALSE, or non-blank text (not n/a)."""
    na = f",NOT({is_na(x)})" if na_ok else ""
    return f'OR(ISLOGICAL({x}),AND(ISTEXT({x}),TRIM({x})<>""{na}))'


def date_guard(x: str, what: str, na_ok: bool = False) -> tuple[str, str]:
    """The check and message of words.date_cell; a message already in the cell is passed on (words.PassedOn)."""
    passed_on = f"LEFT({x},{len(words.ERROR_PREFIX)})={q(words.ERROR_PREFIX)}"
    return bad_date(x, na_ok), f"IF({passed_on},{x},{_message(words.not_a_date(what, _MARK, na_ok), x)})"


def guarded(checks: list[tuple[str, str]], formula: str) -> str:
    """The first failing check's message, else the formula: the domain's order of checks."""
    for cond, message in reversed(checks):
        formula = f"IF({cond},{message},{formula})"
    return formula


def milestone_status(due: str, done: str, today: str = "Today", window: str = "DueSoon") -> str:
    """Native twin of tracker.status.milestone_cell."""
    (_, due_what), (_, done_what) = MILESTONE_INPUTS
    rule = (
        f'IF({is_na(done)},{q(words.NOT_APPLICABLE)},'
        f'IF(ISNUMBER({done}),IF(NOT(ISNUMBER({due})),{q(words.DONE_ON_TIME)},IF({done}<={due},{q(words.DONE_ON_TIME)},'
        f'{counted(words.DONE_LATE, f"{done}-{due}")})),'
        f'IF(NOT(ISNUMBER({due})),{q(words.NO_DATE)},'
        f'IF({due}<{today},{counted(words.OVERDUE_BY, f"{today}-{due}")},'
        f'IF({due}={today},{q(words.DUE_TODAY)},'
        f'IF({due}-{today}<={window},{counted(words.DUE_IN, f"{due}-{today}")},{q(words.NOT_YET_DUE)}))))))'
    )
    return guarded([date_guard(due, due_what), date_guard(done, done_what, na_ok=True)], rule)


def involvement_is_nil(x: str) -> str:
    """Native twin of words.involvement_is_nil (its unknown-word check is in receipt_status)."""
    return one_of(x, (*words.NIL_WORDS, *words.TRUE_WORDS))


def involvement_known(x: str) -> str:
    return f'OR(TRIM({x})="",{one_of(x, (*words.NIL_WORDS, *words.TRUE_WORDS, words.INVOLVED, *words.FALSE_WORDS))})'


def receipt_status(req: str, due: str, promised: str, received: str, nil: str, signed_due: bool = False,
                   signed: str = '""', today: str = "Today", window: str = "DueSoon") -> str:
    """Native twin of tracker.receipts.Receipt.from_cells(...).status (deadline = the later of due and promised)."""
    has_dl = f"OR(ISNUMBER({due}),ISNUMBER({promised}))"
    dl = f"MAX({due},{promised})"
    signed_test = (f'IF(NOT(ISNUMBER({signed})),{q(words.SIGNED_COPY_OUTSTANDING)},' if signed_due
                   else 'IF(FALSE,"",')
    rule = (
        f'IF({involvement_is_nil(nil)},{q(words.NIL_RETURN)},'
        f'IF(ISNUMBER({received}),'
        f'{signed_test}'
        f'IF(OR(NOT({has_dl}),{received}<={dl}),{q(words.RECEIVED_ON_TIME)},{counted(words.RECEIVED_LATE, f"{received}-{dl}")})),'
        f'IF(AND(NOT(ISNUMBER({req})),NOT(ISNUMBER({promised}))),{q(words.NOT_REQUESTED)},'
        f'IF(AND({has_dl},{dl}<{today}),{counted(words.OVERDUE_CHASE, f"{today}-{dl}")},'
        f'IF(AND({has_dl},{dl}-{today}<={window}),{q(words.DUE_SOON)},'
        f'IF(ISNUMBER({promised}),{q(words.PROMISED)},{q(words.REQUESTED)}))))))'
    )
    cells = {"requested": req, "due": due, "promised": promised, "received": received, "nil_return": nil,
             "signed_copy_received": signed}
    checks = []
    for key, what in RECEIPT_INPUTS:
        if key == "nil_return":
            unknown = words.unknown_word(what, _MARK, words.INVOLVEMENT_CHOICES)
            checks.append((f"NOT({involvement_known(nil)})", _message(unknown, nil)))
        elif cells[key] != '""':
            checks.append(date_guard(cells[key], what))
    return guarded(checks, rule)


def rag(status: str, target: str, last_update: str, started: str, today: str = "Today",
        amber: str = "AmberDays", cycle: str = "CycleMonths", red: str = "RedCycles") -> str:
    """Native twin of tracker.rag.assess_cells."""
    last = f"IF(ISNUMBER({last_update}),{last_update},IF(ISNUMBER({started}),{started},0))"
    rule = (
        f'IF(TRIM({status})={q(words.SIGNED_OFF)},{q(words.BLUE)},'
        f'IF(TRIM({status})={q(words.AWAITING_SIGN_OFF)},{q(words.GREEN)},'
        f'IF(AND(ISNUMBER({target}),{target}<{today}),{q(words.RED)},'
        f'IF(AND({last}>0,EDATE({last},{red}*{cycle})<{today}),{q(words.RED)},'
        f'IF(AND(ISNUMBER({target}),{target}-{today}<={amber}),{q(words.AMBER)},'
        f'IF(AND({last}>0,EDATE({last},{cycle})<{today}),{q(words.AMBER)},{q(words.GREEN)}))))))'
    )
    (_, status_what), *dates = RAG_INPUTS
    unknown = words.unknown_word(status_what, _MARK, words.ACTION_STATUSES)
    checks = [(f'NOT(OR(TRIM({status})="",{one_of(status, words.ACTION_STATUSES)}))', _message(unknown, status))]
    checks += [date_guard(x, what) for x, (_, what) in zip((target, last_update, started), dates)]
    return guarded(checks, rule)


# ---- the Timescale: guide dates and their flags --------------------------------------------

def _anchor(m: Milestone, rows: dict[str, int], due_col: str, actual_col: str, day0: str) -> str | None:
    if m.start == INPUT:
        return None
    if m.start == DAY0:
        return day0
    r = rows[m.start]
    due, actual = f"{due_col}{r}", f"{actual_col}{r}"
    return f"IF(ISNUMBER({actual}),{actual},{due})" if m.basis == "actual" else due


def _shifted(m: Milestone, anchor: str, holidays: str) -> str:
    """The anchor moved by the rule's offset, before any roll off a non-working day."""
    n = m.signed_offset
    if m.unit == "days":
        return f"{anchor}{n:+d}" if n else anchor
    if m.unit == "weeks":
        return f"{anchor}{7 * n:+d}" if n else anchor
    if m.unit == "months":
        return f"EDATE({anchor},{n})"
    return f"WORKDAY({anchor},{n},{holidays})"


def _rolled(m: Milestone, x: str, holidays: str) -> str:
    if m.roll == "next":
        return f"WORKDAY({x}-1,1,{holidays})"
    if m.roll == "previous":
        return f"WORKDAY({x}+1,-1,{holidays})"
    return x


def guide_date(m: Milestone, rows: dict[str, int], due_col: str, actual_col: str, day0: str = "Day0",
               holidays: str = "Holidays") -> str:
    """A milestone's date by its profile rule, in native functions (WORKDAY, EDATE)."""
    anchor = _anchor(m, rows, due_col, actual_col, day0)
    if anchor is None:
        return '""'
    return f'IF(ISNUMBER({anchor}),{_rolled(m, _shifted(m, anchor, holidays), holidays)},"")'


def dmy(x: str) -> str:
    """dd/mm/yyyy in any locale (TEXT's date codes are not the same in every language)."""
    return f'TEXT(DAY({x}),"00")&"/"&TEXT(MONTH({x}),"00")&"/"&YEAR({x})'


def non_working(x: str, holidays: str = "Holidays") -> str:
    return f"OR(WEEKDAY({x},2)>5,COUNTIF({holidays},{x})>0)"


def non_working_reason(x: str, holidays: str = "Holidays", kinds: str = "HolidayKinds") -> str:
    """Native twin of WorkCalendar.non_working_reason: the weekday's name, else bank holiday (even when
    the board also lists it as a closure), else closure day."""
    return (f'IF(WEEKDAY({x},2)>5,CHOOSE(WEEKDAY({x},2)-5,{q(words.WEEKDAYS[5])},{q(words.WEEKDAYS[6])}),'
            f'IF(COUNTIFS({holidays},{x},{kinds},{q(words.BANK_HOLIDAY)})>0,{q(words.BANK_HOLIDAY)},'
            f'{q(words.CLOSURE_DAY)}))')


def flags(m: Milestone, rows: dict[str, int], cols: dict[str, str], override: str, guide: str,
          day0: str = "Day0", holidays: str = "Holidays", provisional_from: str = "ProvisionalFrom") -> str:
    """Native twin of PlannedMilestone.flag_text, flag by flag in make_plan's order:
    provisional; re-planned from actual; moved from / falls on a non-working day; overridden."""
    from tracker.plan import OVERRIDE_WHAT

    anchor = _anchor(m, rows, cols["due"], cols["actual"], day0)
    sep = q(words.FLAG_SEPARATOR)
    pieces = []
    if anchor is not None:
        parent_actual = f"{cols['actual']}{rows[m.start]}" if m.start != DAY0 else None
        replanned = f"ISNUMBER({parent_actual})" if parent_actual and m.basis == "actual" else "FALSE"
        inherited = (f'AND(NOT({replanned}),LEFT({cols["flags"]}{rows[m.start]},{len(words.PROVISIONAL)})='
                     f'{q(words.PROVISIONAL)})') if parent_actual else "FALSE"
        x = _shifted(m, anchor, holidays)
        counted = "FALSE"
        if m.unit == "working_days" or m.roll != "none":
            rolled = _rolled(m, x, holidays)
            # IF, not AND: AND evaluates every argument, and YEAR("") is an error
            counted = (f"IF(ISNUMBER({anchor}),OR(YEAR({anchor})>={provisional_from},"
                       f"YEAR({rolled})>={provisional_from}),FALSE)")
        pieces.append((f"OR({inherited},{counted})", q(words.PROVISIONAL)))
        if replanned != "FALSE":
            pieces.append((replanned, q(f"{words.REPLANNED} from actual {m.start}")))
        shifted_bad = f"IF(ISNUMBER({anchor}),{non_working(x, holidays)},FALSE)"
        what = words.MOVED_FROM + " " if m.roll != "none" else words.FALLS_ON + " "
        shown = f"{dmy(x)}&" + q(" (") if m.roll != "none" else q("(")
        pieces.append((shifted_bad, f"{q(what)}&{shown}&{non_working_reason(x, holidays)}&{q(')')}"))
        pieces.append((f"AND(ISNUMBER({override}),{override}<>{guide})",
                       f'IF(ISNUMBER({guide}),{q(words.OVERRIDDEN + " (guide: ")}&{dmy(guide)}&{q(")")},'
                       f'{q(words.OVERRIDDEN)})'))
    joined = "&".join(f'IF({cond},{sep}&{text},"")' for cond, text in pieces) or '""'
    body = f"MID({joined},{len(words.FLAG_SEPARATOR) + 1},32767)" if pieces else '""'
    return guarded([date_guard(day0, words.DAY0_WHAT), date_guard(override, OVERRIDE_WHAT)], body)


def due(override: str, guide: str, day0: str = "Day0") -> str:
    """Native twin of SCR_DEADLINE in a Timescale row: the override, else the guide date; a Day 0
    that is not a date is the message (as SCR_DEADLINE says), which the Status cell passes on."""
    return guarded([date_guard(day0, words.DAY0_WHAT)], f"IF(ISNUMBER({override}),{override},{guide})")


def with_python(python: str, native: str) -> str:
    return f"=IFERROR({python},{native})"
