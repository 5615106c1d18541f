"""What each agency is asked to return (seed 001, "SCR Overview", p.58), and when it is late.

The status words themselves live in tracker.status; this module names the returns and decides,
from one agency's row, what to chase.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker import status as st
from tracker import words
from tracker.errors import ScrError
from tracker.text import did_you_mean, same_name

# key, label; the order is the SCR Overview's columns
RETURN_ITEMS = (
    ("chronology", "Chronology"),
    ("management_report", "Management report"),
    ("action_plan", "Action plan"),
    ("update_1", "Updated action plan 1"),
    ("update_2", "Updated action plan 2"),
)
RETURN_KEYS = tuple(k for k, _ in RETURN_ITEMS)
RETURN_LABELS = dict(RETURN_ITEMS)

INVOLVED, NIL_RETURN = words.INVOLVED, words.NIL_RETURN
INVOLVEMENT_WORDS = words.INVOLVEMENT_CHOICES

# What a Status cell on the Agencies sheet reads, in the order it is checked (natively too):
# a date cell holding text, or an Involvement word the workbook does not know, is that cell's message.
RECEIPT_INPUTS = (("requested", "requested date"), ("due", "due date"), ("promised", "promised date"),
                  ("received", "received date"), ("nil_return", "Involvement"),
                  ("signed_copy_received", "signed copy received date"))


def read_inputs(**cells) -> tuple[dict, str | None]:
    """A receipt's inputs from what its cells hold: dates (None for blank), nil_return as TRUE/FALSE,
    and the first problem's message (its value then counts as blank), or None."""
    values, problem = {}, None
    for key, what in RECEIPT_INPUTS:
        try:
            if key == "nil_return":
                values[key] = words.involvement_is_nil(cells.get(key))
            else:
                values[key] = words.date_cell(cells.get(key), what)
        except words.InputError as e:
            values[key] = False if key == "nil_return" else None
            problem = problem or e.cell_text
    return values, problem


@dataclass
class Receipt:
    """One thing asked of one agency."""
    agency: str
    item: str
    requested: dt.date | None = None
    due: dt.date | None = None
    promised: dt.date | None = None
    received: dt.date | None = None
    nil_return: bool = False
    signed_copy_due: bool = False
    signed_copy_received: dt.date | None = None
    problem: str | None = None  # a cell's input is wrong: the Status cell shows this message

    @property
    def label(self) -> str:
        return RETURN_LABELS[self.item]

    @classmethod
    def from_cells(cls, agency: str, item: str, *, signed_copy_due: bool = False, **cells) -> "Receipt":
        """The receipt one row's cells describe, exactly as SCR_RECEIPT reads them."""
        values, problem = read_inputs(**cells)
        return cls(agency, item, signed_copy_due=signed_copy_due, problem=problem, **values)

    def status(self, today: dt.date, due_soon_days: int = st.DUE_SOON_DAYS) -> str:
        if self.problem:
            return self.problem
        return st.receipt_status(self.requested, self.due, self.promised, self.received, today,
                                 nil_return=self.nil_return, signed_copy_due=self.signed_copy_due,
                                 signed_copy_received=self.signed_copy_received, due_soon_days=due_soon_days)

    @property
    def deadline(self) -> dt.date | None:
        """The date it is judged against: the due date, or a later date the agency promised."""
        return st.receipt_deadline(self.due, self.promised)

    def days_late(self, today: dt.date) -> int:
        deadline = self.deadline
        if deadline is None or self.nil_return:
            return 0
        end = self.received or today
        return max(0, (end - deadline).days)

    def needs_chase(self, today: dt.date, due_soon_days: int = st.DUE_SOON_DAYS) -> bool:
        return st.needs_chase(self.status(today, due_soon_days))


def agency_row(case, agency: str) -> dict:
    """The Agencies row of ``agency`` (however its case and spaces are typed), else a message naming the list."""
    for row in case.agencies:
        if same_name(row.get("agency")) == same_name(agency):
            return row
    names = [str(r.get("agency")) for r in case.agencies if r.get("agency")]
    raise ScrError(f"there is no agency '{agency}' on the Agencies sheet, so nothing was made."
                   f"{did_you_mean(agency, names)}", sheet="Agencies",
                   fix=("Give the agency as on the Agencies sheet: " + ", ".join(names) + ".") if names
                   else "Add the agency to the Agencies sheet first.")
