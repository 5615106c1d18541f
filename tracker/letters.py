"""The letters a review runs on (seed 001 Part 3, §2.9 "Once a Serious Case Review has been
confirmed"): what each kind is, who it goes to, and the facts it is filled with.

A letter's placeholders are named here once: the board's own Word templates use these names, the
built-in templates (workbook.letters.builtin) use them, and a template naming anything else is
refused with this list. Facts come from the case and the board's settings; the only personal
facts (the child's name and date of birth, the addressee's name) come from the case's name key,
kept apart from the case workbook, and are filled only for the kinds that need them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.case import CaseData, Results
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.receipts import INVOLVED, agency_row
from tracker.text import did_you_mean, same_name

AGENCY, FAMILY, CORONER, OFSTED, NOBODY = "agency", "family", "coroner", "ofsted", ""


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    to: str  # AGENCY, FAMILY, CORONER, OFSTED or NOBODY (the Terms of Reference)
    seed: str  # where the seeds give it
    request: bool = False  # an agency letter that asks for the chronology and report (Agencies sheet)


KINDS = {k.id: k for k in (
    Kind("terms-of-reference", "Terms of Reference", NOBODY, "seed 001 Part 3, 3.2"),
    Kind("family", "Letter to the family: notification of the review", FAMILY, "seed 001 Part 3, 3.3"),
    Kind("agency-notification", "Letter to the agency: notification and request for information", AGENCY,
         "seed 001 Part 3, 3.4", request=True),
    Kind("coroner", "Letter to the Coroner: notification of the review", CORONER, "seed 001 Part 3, 3.5"),
    Kind("ofsted", "Letter to Ofsted with the overview report", OFSTED, "seed 001 §2.9, week 22"),
    Kind("action-plan-request", "Letter to the agency: request for its action plan", AGENCY, "seed 001 §2.9, week 22"),
    Kind("chase", "Letter to the agency: what is still awaited", AGENCY, "seed 001 §2.9"),
)}

# Every placeholder a template may use, and what it holds.
PLACEHOLDERS = {
    "board": "the board's name (its settings file)",
    "case": "the case's code name (never a child's name)",
    "review_type": "the kind of review, from the case's timescale profile",
    "day0": "Day 0 of the review (dd/mm/yyyy)",
    "date": "the date of the letter (dd/mm/yyyy)",
    "agency": "the agency written to",
    "senior_manager": "the agency's designated senior manager (a role)",
    "contact": "the agency's contact",
    "reply_by": "the date the agency is asked to reply by (dd/mm/yyyy)",
    "chronology_due": "the date the agency's chronology is due",
    "report_due": "the date the agency's management report is due",
    "action_plan_due": "the date the agency's action plan is due",
    "awaited": "what is still awaited from the agency, each with its due date (a list)",
    "agencies": "the agencies asked to contribute (a list)",
    "timetable": "the review's milestones: each has label, due and done (a list)",
    "child_name": "the child's name (from the name key only)",
    "child_dob": "the child's date of birth (from the name key only)",
    "addressee": "the name of the person written to (from the name key only)",
}
PERSONAL = ("child_name", "child_dob", "addressee")


def kind(name: str) -> Kind:
    key = " ".join(str(name or "").split()).lower()
    if key not in KINDS:
        raise ScrError(f"there is no letter '{name}'.{did_you_mean(key, KINDS)}",
                       fix="Use one of: " + ", ".join(KINDS) + ".")
    return KINDS[key]


def facts(case: CaseData, results: Results, k: Kind, *, board: str, on: dt.date, agency: str | None = None) -> dict:
    """Every non-personal placeholder's value for a letter of kind ``k`` (dates as dd/mm/yyyy)."""
    out = {"board": board, "case": case.case_name or "", "review_type": results.profile.review_type,
           "day0": fmt(case.day0), "date": fmt(on),
           "agencies": [str(a["agency"]) for a in case.agencies
                        if a.get("agency") and str(a.get("involvement") or INVOLVED) == INVOLVED],
           "timetable": [{"label": p.label, "due": fmt(p.due) if p.due else "",
                          "done": fmt(p.actual) if isinstance(p.actual, dt.date) else ""}
                         for p in results.plan.milestones if not p.not_applicable]}
    out.update({k2: "" for k2 in ("agency", "senior_manager", "contact", "reply_by", "chronology_due", "report_due",
                                  "action_plan_due")})
    out["awaited"] = []
    if k.to == AGENCY:
        if not agency:
            raise ScrError(f"the {k.title.lower()} goes to one agency: say which with --to AGENCY.")
        row = agency_row(case, agency)
        receipts = results.agencies[case.agencies.index(row)].receipts
        due = {item: r.deadline for item, r in receipts.items()}
        show = lambda d: fmt(d) if d else ""  # noqa: E731
        out.update(agency=str(row["agency"]).strip(), senior_manager=str(row.get("senior_manager") or ""),
                   contact=str(row.get("contact") or ""), chronology_due=show(due.get("chronology")),
                   report_due=show(due.get("management_report")), action_plan_due=show(due.get("action_plan")))
        out["reply_by"] = {"agency-notification": out["chronology_due"],
                           "action-plan-request": out["action_plan_due"]}.get(k.id, "")
        out["awaited"] = [f"{r.label}, due {fmt(r.deadline)}" for r in receipts.values()
                          if r.deadline and r.received is None and not r.nil_return]
    return out


def personal(key: dict[str, str], *, child: str | None, dear: str | None, dob: str | None = None) -> dict:
    """The personal placeholders, from the name key only: (name -> code) read the other way."""
    by_code = {same_name(code): name for name, code in key.items()}
    out = {p: "" for p in PERSONAL}
    for placeholder, code, option in (("child_name", child, "--child"), ("addressee", dear, "--dear")):
        if code is None:
            continue
        name = by_code.get(same_name(code))
        if name is None:
            raise ScrError(f"the code '{code}' ({option}) is not in the name key, so the letter was not made.",
                           fix="Give the code as the key has it, or add it to the key.")
        out[placeholder] = name
    out["child_dob"] = dob or ""
    return out
