"""A review converted to another kind (issue 9): a rapid review becoming an LCSPR under the board's
own profile, an SCR referral becoming the SCR, a case moved onto a profile that chains its stages.

What was typed goes across whole: agencies and their returns, actions, people, settings, meetings,
the Record; each milestone the new profile also has keeps its Actual and Override, and each
front-sheet row it also has keeps what was typed. The earlier stage's milestones the new profile
does not have are kept on the Record sheet, each with its due and actual dates, under one entry
that says who converted it, when and why; front-sheet rows with something typed become rows of
their own. Nothing typed is dropped.
"""
from __future__ import annotations

import copy
import datetime as dt

from tracker.case import CaseData, Results
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.extensions import one_line
from tracker.frontsheet import FrontEvent, events_for
from tracker.profiles import Profile
from tracker.text import same_name
from tracker.words import CONVERTED


def converted(case: CaseData, before: Results, to: Profile, *, day0: dt.date | None, by: str, on: dt.date,
              why: str = "") -> tuple[CaseData, list[dict]]:
    """The case under profile ``to``, and the Record rows its conversion adds (oldest first)."""
    by, why = one_line(by), one_line(why)
    if not by:
        raise ScrError("say who decided the conversion, as a role or body, e.g. --by \"the safeguarding partners\".")
    old = before.profile
    if to.id == old.id:
        raise ScrError(f"the case already follows profile '{to.id}', so there is nothing to convert; nothing was "
                       "changed.", fix="Give the id of the profile the review now follows (scr profiles lists them).")
    new = copy.deepcopy(case)
    new.profile_id, new.day0 = to.id, day0 or case.day0
    keep = set(to.ids)
    new.actuals = {k: v for k, v in case.actuals.items() if k in keep}
    new.overrides = {k: v for k, v in case.overrides.items() if k in keep}
    rows = [{"date": on, "kind": CONVERTED, "who": by, "why": why or None,
             "what": f"Converted from {old.id} ({old.review_type or old.name}) to {to.id} "
                     f"({to.review_type or to.name}); Day 0 {fmt(case.day0)}"
                     + (f" -> {fmt(new.day0)}" if new.day0 != case.day0 else " kept")}]
    for p in before.plan.milestones:
        if p.id in keep:
            continue
        shown = (fmt(p.actual) if isinstance(p.actual, dt.date)
                 else "n/a" if p.not_applicable else "not recorded")
        rows.append({"date": on, "kind": CONVERTED, "who": by, "milestone": p.id, "was_due": p.due,
                     "what": f"Earlier stage: {p.milestone.label} (done: {shown})"})
    new.front_rows, new.front_actuals, new.front_planned = _front(case, before, to)
    new.record = list(case.record) + rows
    return new, rows


def _front(case: CaseData, before: Results, to: Profile):
    """The new profile's rows, then each old row with something typed that the new one lacks."""
    rows = list(events_for(to))
    labels = {same_name(e.label) for e in rows}
    keys = {e.key for e in rows}
    actuals = {k: v for k, v in case.front_actuals.items() if k in keys}
    planned = {k: v for k, v in case.front_planned.items() if k in keys}
    for ev in before.front_events:
        if ev.key in keys or same_name(ev.label) in labels:
            continue
        typed_actual = None if ev.follows else case.front_actuals.get(ev.key)
        typed_plan = None if ev.milestone else case.front_planned.get(ev.key)
        if typed_actual is None and typed_plan is None:
            continue  # nothing typed: the old profile's row, planned by a milestone now on the Record
        rows.append(FrontEvent(ev.section or "Earlier stage", ev.key, ev.label))
        if typed_actual is not None:
            actuals[ev.key] = typed_actual
        if typed_plan is not None:
            planned[ev.key] = typed_plan
    return tuple(rows), actuals, planned
