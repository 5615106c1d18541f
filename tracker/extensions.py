"""A timescale extension: a milestone's date moved later by agreement (seed 001 §3.6, §8.5, §9.4:
extensions agreed with Government Office or Ofsted; seed 002: "unless an alternative timescale is
agreed"; today the Panel), with who agreed it, when and why.

The new date is the milestone's Override; its guide date (the profile's) stays beside it, so the
original timescale is kept. The record of the agreement is an Audit row whose wording is made and
read back here only, so `scr extend` writes it and the portfolio reads it in one vocabulary.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.errors import ScrError
from tracker.excel_dates import fmt, parse_date
from tracker.plan import Plan, PlannedMilestone
from tracker.text import did_you_mean
from tracker.words import EXTENSION

EXTENDED = "timescale extended: "  # the Audit row's What, then the milestone id


@dataclass(frozen=True)
class Extension:
    milestone: str
    was: dt.date | None  # the due date before (the guide's, or an earlier extension's)
    to: dt.date
    agreed_by: str
    agreed_on: dt.date
    why: str = ""

    @property
    def days(self) -> int | None:
        return (self.to - self.was).days if self.was else None

    def note(self) -> str:
        """The line added to the milestone's Notes on the Timescale."""
        return (f"Extended to {fmt(self.to)}" + (f" (was {fmt(self.was)})" if self.was else "")
                + f": agreed by {self.agreed_by} on {fmt(self.agreed_on)}" + (f"; {self.why}" if self.why else ""))

    def record(self) -> dict:
        """Its row on the Record sheet (the who, when and why beside the original date)."""
        return {"date": self.agreed_on, "kind": EXTENSION, "what": f"Timescale extended: {self.milestone}",
                "who": self.agreed_by, "milestone": self.milestone, "was_due": self.was, "now_due": self.to,
                "why": self.why}

    def audit(self) -> tuple[str, str]:
        """(What, Detail) of its Audit row."""
        detail = (f"due {fmt(self.was) if self.was else 'no date'} -> {fmt(self.to)}"
                  + (f" ({self.days} days later)" if self.days is not None else "")
                  + f"; agreed by {self.agreed_by} on {fmt(self.agreed_on)}" + (f"; why: {self.why}" if self.why else ""))
        return EXTENDED + self.milestone, detail


_DETAIL = re.compile(r"-> (?P<to>\d\d/\d\d/\d{4}).*?; agreed by (?P<by>.*?) on (?P<on>\d\d/\d\d/\d{4})(?:; why: (?P<why>.*))?\Z",
                     re.S)


def extension_in(what, detail) -> Extension | None:
    """The Extension an Audit row records, or None (another row, or one edited past reading)."""
    what, detail = str(what or ""), str(detail or "")
    if not what.startswith(EXTENDED) or not (m := _DETAIL.search(detail)):
        return None
    try:
        to, on = parse_date(m["to"]), parse_date(m["on"])
    except ScrError:
        return None
    return Extension(what[len(EXTENDED):].strip(), None, to, m["by"].strip(), on, (m["why"] or "").strip())


def one_line(text) -> str:
    return " ".join(str(text or "").split())


def extension(plan: Plan, milestone: str, to: dt.date, agreed_by: str, agreed_on: dt.date, why: str = "",
              *, file=None) -> tuple[Extension, PlannedMilestone]:
    """The extension of ``milestone`` to ``to``, checked against the plan: a milestone of the
    profile, not yet done, not n/a, and moved later than it is due now."""
    agreed_by, why = one_line(agreed_by), one_line(why)
    if not agreed_by:
        raise ScrError("say who agreed the extension, as a role or body, e.g. --agreed-by \"the Panel\".")
    key = one_line(milestone).lower()
    hit = next((p for p in plan.milestones if p.id == key), None)
    if hit is None:
        ids = [p.id for p in plan.milestones]
        raise ScrError(f"there is no milestone '{one_line(milestone)}' in this case's timescale, so nothing was "
                       f"changed.{did_you_mean(key, ids)}", file=file, sheet="Timescale",
                       fix="Give the milestone's id as in the Timescale's Milestone column.")
    if hit.not_applicable:
        raise ScrError(f"milestone '{hit.id}' is marked n/a, so it cannot be extended; nothing was changed.",
                       file=file, sheet="Timescale", fix="Clear n/a from its Actual first if it does apply.")
    if isinstance(hit.actual, dt.date):
        raise ScrError(f"milestone '{hit.id}' was done on {fmt(hit.actual)}, so there is nothing to extend; nothing "
                       "was changed.", file=file, sheet="Timescale")
    if hit.due and to <= hit.due:
        raise ScrError(f"{fmt(to)} is not later than the date milestone '{hit.id}' is due ({fmt(hit.due)}), so it "
                       "is not an extension; nothing was changed.", file=file, sheet="Timescale",
                       fix="Give the new, later date; to bring a date forward, type it in the milestone's Override.")
    return Extension(hit.id, hit.due, to, agreed_by, agreed_on, why), hit
