"""The Record sheet's entries (issue 9): the decision to hold a review, extensions agreed, the
family told and involved, parallel proceedings, publication, the debrief and the evaluation.

Seed 001 §2-3 and seed 004 Appendix 1 make the decision (who, when, outcome, type, rationale) the
first thing the Chair, the Panel and Ofsted ask for; §6 the family; §9.4 and §14 criminal and
coroner's proceedings that hold up publication; §12 and §17 the debrief and Ofsted's evaluation.
An entry names people by role, never by name (the case's name key holds names).
"""
from __future__ import annotations

import datetime as dt

from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.extensions import one_line
from tracker.text import did_you_mean, same_name
from tracker.words import DECISION, EXTENSION, RECORD_KINDS


def kind_word(typed) -> str:
    """The drop-down word a typed kind means (any case and spacing), else a message naming them."""
    for k in RECORD_KINDS:
        if same_name(k) == same_name(typed):
            return k
    raise ScrError(f"'{one_line(typed)}' is not a kind of record entry.{did_you_mean(str(typed), RECORD_KINDS)}",
                   fix=f"Use one of: {', '.join(RECORD_KINDS)}.")


def entry(kind, on: dt.date, what, who, why="", *, milestone: str = "") -> dict:
    """A Record row, checked: a kind of the drop-down, what happened and who (a role) said."""
    what, who = one_line(what), one_line(who)
    if not what:
        raise ScrError("say what was decided or done, e.g. --what \"Rapid review: an LCSPR will be held\".")
    if not who:
        raise ScrError("say who decided or did it, as a role or body, e.g. --by \"the safeguarding partners\".")
    return {"date": on, "kind": kind_word(kind), "what": what, "who": who, "milestone": one_line(milestone) or None,
            "why": one_line(why) or None}


def decisions(rows: list[dict]) -> list[dict]:
    """The Record's decisions, oldest first (the Front Sheet and the portfolio show the latest)."""
    out = [r for r in rows if same_name(r.get("kind")) == same_name(DECISION)]
    return sorted(out, key=lambda r: r.get("date") or dt.date.min)


DECISION_PREFIX, EXTENSIONS_PREFIX = "Decision: ", "Extensions agreed: "


def front_lines(rows: list[dict]) -> tuple[str, str]:
    """The Front Sheet's two lines under its events: the latest decision, every extension agreed
    with the date it replaced, so the sheet printed for a meeting shows both (issue 9)."""
    dec = decisions(rows)
    if dec:
        d = dec[-1]
        first = (DECISION_PREFIX + f"{_day(d.get('date'))} {one_line(d.get('what'))} ({one_line(d.get('who'))})"
                 + (f"; why: {one_line(d['why'])}" if d.get("why") else ""))
    else:
        first = DECISION_PREFIX + "none on the Record sheet yet"
    ext = [r for r in rows if same_name(r.get("kind")) == same_name(EXTENSION)]
    parts = [f"{one_line(r.get('milestone') or r.get('what'))} to {_day(r.get('now_due'))}"
             + (f" (was {_day(r['was_due'])})" if r.get("was_due") else "")
             + f", agreed by {one_line(r.get('who'))} on {_day(r.get('date'))}" for r in ext]
    return first, EXTENSIONS_PREFIX + ("; ".join(parts) if parts else "none")


def _day(d) -> str:
    return fmt(d) if isinstance(d, dt.date) else "no date"
