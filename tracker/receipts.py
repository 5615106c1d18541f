"""What each agency is asked to return (seed 001, "SCR Overview", p.58), and when it is late.

The status words themselves live in tracker.status; this module names the returns and decides,
from one agency's row, what to chase.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker import status as st

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

INVOLVED = "involved"
NIL_RETURN = "nil return"
INVOLVEMENT_WORDS = (INVOLVED, NIL_RETURN)


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

    @property
    def label(self) -> str:
        return RETURN_LABELS[self.item]

    def status(self, today: dt.date, due_soon_days: int = st.DUE_SOON_DAYS) -> str:
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
