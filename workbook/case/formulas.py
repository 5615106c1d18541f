"""The formulas the case workbook carries.

Every computed cell is ``=IFERROR(<Python worksheet function>, <the same rule in native Excel
functions>)``: with the add-in, Python answers; on a laptop without it, in Excel on the web or in
LibreOffice, the unknown function is an error and the native rule answers instead — so the file
is self-calculating everywhere, and never shows #NAME?. Tests recalculate the native half in
LibreOffice and compare it with the Python half.
"""
from __future__ import annotations

from tracker.profiles import DAY0, INPUT, Milestone
from tracker.status import NA_WORDS


def _days(expr: str) -> str:
    return f'({expr})&IF(({expr})=1," day"," days")'


def is_na(x: str) -> str:
    return "OR(" + ",".join(f'TRIM({x})="{w}"' for w in sorted(NA_WORDS)) + ")"


def milestone_status(due: str, done: str, today: str = "Today", window: str = "DueSoon") -> str:
    """Native twin of tracker.status.milestone_status."""
    return (
        f'IF({is_na(done)},"not applicable",'
        f'IF(ISNUMBER({done}),IF(NOT(ISNUMBER({due})),"done on time",IF({done}<={due},"done on time",'
        f'"done "&{_days(f"{done}-{due}")}&" late")),'
        f'IF(NOT(ISNUMBER({due})),"no date yet",'
        f'IF({due}<{today},"overdue by "&{_days(f"{today}-{due}")},'
        f'IF({due}={today},"due today",'
        f'IF({due}-{today}<={window},"due in "&{_days(f"{due}-{today}")},"not yet due"))))))'
    )


def receipt_status(req: str, due: str, promised: str, received: str, nil: str, signed_due: bool = False,
                   signed: str = '""', today: str = "Today", window: str = "DueSoon") -> str:
    """Native twin of tracker.status.receipt_status (deadline = the later of due and promised)."""
    has_dl = f"OR(ISNUMBER({due}),ISNUMBER({promised}))"
    dl = f"MAX({due},{promised})"
    signed_test = f'IF(NOT(ISNUMBER({signed})),"signed copy outstanding",' if signed_due else "IF(FALSE,\"\","
    return (
        f'IF(TRIM({nil})="nil return","nil return",'
        f'IF(ISNUMBER({received}),'
        f'{signed_test}'
        f'IF(OR(NOT({has_dl}),{received}<={dl}),"received on time","received "&{_days(f"{received}-{dl}")}&" late")),'
        f'IF(AND(NOT(ISNUMBER({req})),NOT(ISNUMBER({promised}))),"not requested",'
        f'IF(AND({has_dl},{dl}<{today}),"overdue "&{_days(f"{today}-{dl}")}&" — chase",'
        f'IF(AND({has_dl},{dl}-{today}<={window}),"due soon",'
        f'IF(ISNUMBER({promised}),"promised","requested"))))))'
    )


def rag(status: str, target: str, last_update: str, started: str, today: str = "Today",
        amber: str = "AmberDays", cycle: str = "CycleMonths", red: str = "RedCycles") -> str:
    """Native twin of tracker.rag.rag."""
    last = f"IF(ISNUMBER({last_update}),{last_update},IF(ISNUMBER({started}),{started},0))"
    return (
        f'IF(TRIM({status})="complete - signed off","Blue",'
        f'IF(TRIM({status})="complete - awaiting sign-off","Green",'
        f'IF(AND(ISNUMBER({target}),{target}<{today}),"Red",'
        f'IF(AND({last}>0,EDATE({last},{red}*{cycle})<{today}),"Red",'
        f'IF(AND(ISNUMBER({target}),{target}-{today}<={amber}),"Amber",'
        f'IF(AND({last}>0,EDATE({last},{cycle})<{today}),"Amber","Green"))))))'
    )


def guide_date(m: Milestone, rows: dict[str, int], due_col: str, actual_col: str, day0: str = "Day0",
               holidays: str = "Holidays") -> str:
    """A milestone's date by its profile rule, in native functions (WORKDAY, EDATE)."""
    if m.start == INPUT:
        return '""'
    if m.start == DAY0:
        anchor = day0
    else:
        r = rows[m.start]
        due, actual = f"{due_col}{r}", f"{actual_col}{r}"
        anchor = f"IF(ISNUMBER({actual}),{actual},{due})" if m.basis == "actual" else due
    n = m.signed_offset
    if m.unit == "days":
        x = f"{anchor}{n:+d}" if n else anchor
    elif m.unit == "weeks":
        x = f"{anchor}{7 * n:+d}" if n else anchor
    elif m.unit == "months":
        x = f"EDATE({anchor},{n})"
    else:
        x = f"WORKDAY({anchor},{n},{holidays})"
    if m.roll == "next":
        x = f"WORKDAY({x}-1,1,{holidays})"
    elif m.roll == "previous":
        x = f"WORKDAY({x}+1,-1,{holidays})"
    return f'IF(ISNUMBER({anchor}),{x},"")'


def with_python(python: str, native: str) -> str:
    return f"=IFERROR({python},{native})"
