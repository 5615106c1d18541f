"""A complete fictional case at a realistic stage, for `scr demo` and the tests.

Every name is invented. Day 0 is set 30 weeks before the as-at date, so the review is where
reviews often are: chronologies and reports in (one late, one signed copy outstanding, one
still overdue), agency action plans coming back, and actions in every BRAG state.
"""
from __future__ import annotations

import datetime as dt

from tracker import words
from tracker.board import load_board
from tracker.case import CaseData, calendar_for, update_due
from tracker.rounds import Round

CASE_NAME = "DEMO-01 (fictional)"


def demo_case(today: dt.date, *, fixed_today: bool = False) -> CaseData:
    board = load_board()
    d0 = today - dt.timedelta(weeks=30)
    w = lambda n, days=0: d0 + dt.timedelta(weeks=n, days=days)  # noqa: E731
    agencies = []
    for a in board.agencies:
        agencies.append({"agency": a["name"], "involvement": "involved", "senior_manager": a.get("senior_manager"),
                         "contact": a.get("contact"), "email": a.get("email"),
                         "author": "Named reviewer", "method": "file reading and interviews"})
    received = {  # agency index -> chronology received, report received, signed copy
        0: (w(8, 3), w(11), w(12)), 1: (w(9), w(11, 6), w(13)), 2: (w(9, 4), w(12, 2), None),
        3: (w(8), w(10, 5), w(11)), 4: (None, None, None), 5: (w(9), w(11), w(11, 3)),
    }
    for i, a in enumerate(agencies):
        chron, report, signed = received.get(i, (None, None, None))
        a["chronology_received"], a["management_report_received"], a["report_signed_copy"] = chron, report, signed
        if report:
            a["report_signed_off_by"] = "Designated senior manager"
        if chron:
            a["chronology_merged"] = chron + dt.timedelta(days=3)
    agencies[4]["chronology_promised"] = w(10)  # promised, still not here: to chase
    agencies[6]["involvement"] = "nil return"  # no involvement with the family
    agencies[7]["management_report_promised"] = w(13)
    agencies[7]["chronology_received"] = w(9, 1)
    for i in (0, 1, 3):
        agencies[i]["action_plan_received"] = w(27, 2)
    agencies[5]["action_plan_promised"] = w(31)
    actions = [
        ("1.1", "1", "Improve information sharing at the front door", 0, "Review the multi-agency referral pathway", w(16, 0), "complete - signed off", w(26), "Pathway revised and audited."),
        ("1.2", "1", "Improve information sharing at the front door", 1, "Brief all staff on the revised pathway", w(32), "in progress", w(29), "Briefings held for two of three teams."),
        ("2.1", "2", "Hear the voice of the child", 2, "Add the child's views to the health assessment template", w(34), "complete - awaiting sign-off", w(29, 2), "Template changed; evidence sent."),
        ("2.2", "2", "Hear the voice of the child", 3, "Audit 20 records for the child's recorded views", w(33), "in progress", w(28), "Audit planned."),
        ("3.1", "3", "Escalate unresolved concerns", 5, "Publish the escalation policy to schools", w(48), "in progress", w(16), "Draft policy circulated."),
        ("3.2", "3", "Escalate unresolved concerns", 4, "Train GP practices on escalation", w(26), "in progress", w(22), "Sessions being booked."),
        ("4.1", "4", "Supervision of complex cases", 0, "Monthly reflective supervision for complex cases", w(60), "not started", None, ""),
        ("4.2", "4", "Supervision of complex cases", 1, "Quarterly dip sample of supervision records", w(56), "in progress", w(27), "First sample done."),
    ]
    rows = []
    for aid, rec, recommendation, ag, action, target, status, last, progress in actions:
        rows.append({"action_id": aid, "rec_no": rec, "recommendation": recommendation, "agency": agencies[ag]["agency"],
                     "action": action, "responsible": "Service manager", "target": target, "agreed": w(6),
                     "status": status, "last_update": last, "progress": progress,
                     **_DEMO_RECORD.get(aid, {})})
    # 1.1 is signed off: its record is complete, with the senior manager's signed copy and the evidence accepted
    rows[0].update(senior_sign_off="Designated senior manager", signed_copy=w(26, 2),
                   evidence_by="Chair of the Board", evidence_on=w(26, 3))
    case = CaseData(
        case_name=CASE_NAME, profile_id="rotherham-2009", day0=d0, nation=board.nation,
        today=today if fixed_today else None, settings=board.settings(), closures=board.closure_days,
        actuals={"refer-standing-panel": w(1), "panel-recommends": w(3, 4), "agencies-informed": w(5),
                 "panel-meetings-arranged": w(6), "chronologies-in": w(10), "management-reports-in": w(13),
                 "draft-overview-report": w(15), "report-to-board": w(20), "executive-summary": w(23),
                 "text-chair-refers": w(0, 5), "text-panel-meets": w(2), "text-recommendation": w(2, 6),
                 "text-decision": w(3, 5)},
        header_dates={"LetterReports": w(5), "LetterPlans": w(22, 2)},
        agencies=agencies, actions=rows,
        front_actuals={"critical_incident": d0 - dt.timedelta(days=9), "incident_form_to_ofsted": w(3, 5),
                       "integrated_chronology_completed": w(11), "draft_considered_by_panel": w(15),
                       "report_to_board": w(20), "executive_summary_approved": w(23),
                       "report_to_ofsted": w(23, 2), "report_to_csu": w(23, 2),
                       "family_informed": w(5, 2), "family_interview_offered": w(6),
                       "criminal_proceedings_concluded": "n/a"},
        people={"panel_members": "Police; Children's Social Care; ICB Designated Nurse; Education",
                "panel_chair": "Independent chair (fictional)", "overview_author": "Independent lead reviewer (fictional)"},
    )
    case.meetings = demo_meetings(case)
    case.record = demo_record_sheet(w)
    return case


def demo_record_sheet(w) -> list[dict]:
    """The Record sheet's story: the decision, the family told, an inquest that holds up publication."""
    return [
        {"date": w(3, 5), "kind": words.DECISION, "what": "A Serious Case Review will be held (criteria met)",
         "who": "RSCB Chair", "milestone": "text-decision",
         "why": "serious harm; concerns about how agencies worked together (Standing Panel recommendation)"},
        {"date": w(5, 2), "kind": "Family", "what": "Parents told of the review and given the leaflet",
         "who": "Overview Panel chair"},
        {"date": w(6), "kind": "Parallel proceedings", "what": "Coroner's inquest opened and adjourned",
         "who": "Board manager", "why": "publication waits for the inquest"},
    ]


# The seeds' complete action record (seed 001 §3.6 section 5, §2.9) for a few actions, in fictional words.
_DEMO_RECORD = {
    "1.1": {"intended_outcome": "Every referral reaches the right team the same working day.",
            "evaluation": "Audit of 30 referrals three months after the change.",
            "resources": "Within existing budgets; two days of a practice lead's time.",
            "outcomes": "Referrals now reach the right team the same day; two families had help a week sooner."},
    "1.2": {"intended_outcome": "All front-door staff know the revised pathway.",
            "evaluation": "Attendance records; a short quiz after each briefing.",
            "resources": "Three one-hour briefings."},
    "2.1": {"intended_outcome": "The child's own views are recorded at every health assessment.",
            "evaluation": "Dip sample of 20 assessments.", "resources": "Template change only."},
}

DEMO_SOURCE = "example update (the demo's own; no file was returned)"
DEMO_SIGN_OFF = "example sign-off (the demo's own, as `scr sign-off` records one)"


def is_demo_entry(source) -> bool:
    """An Updates entry the demo wrote itself (not from a return or a real sign-off)."""
    return str(source or "") in (DEMO_SOURCE, DEMO_SIGN_OFF)


def demo_updates(case: CaseData) -> list[dict]:
    """The Updates log behind the demo's Action Plan: an earlier round of agency updates, then the
    latest (each action's status, date and progress as the Action Plan shows them), and the Board's
    sign-off of 1.1, oldest first, so the log and the plan tell one story."""
    first = case.day0 + dt.timedelta(weeks=22)
    earlier = {"1.1": ("complete - awaiting sign-off", "Pathway revised; audit report sent."),
               "1.2": ("not started", "Briefing plan agreed with team managers."),
               "2.2": ("not started", "Audit tool drafted."),
               "4.2": ("not started", "Sample frame agreed.")}
    out = []
    for a in case.actions:
        if a["action_id"] in earlier and a.get("last_update") and a["last_update"] > first:
            status, progress = earlier[a["action_id"]]
            out.append(_entry(a, first, status, progress))
    for a in case.actions:
        if not a.get("last_update"):
            continue
        if a["status"] == "complete - signed off":
            out.append(_entry(a, a["last_update"], a["status"], "Signed off by Board: evidence accepted.",
                              source=DEMO_SIGN_OFF))
        else:
            out.append(_entry(a, a["last_update"], a["status"], a.get("progress") or ""))
    return sorted(out, key=lambda u: (u["date"], u["action_id"]))


def _entry(a: dict, on: dt.date, status: str, progress: str, source: str = DEMO_SOURCE) -> dict:
    return {"date": on, "agency": a["agency"], "action_id": a["action_id"], "status": status, "progress": progress,
            "revised_target": None, "revision_reason": None, "source": source,
            "recorded": on + dt.timedelta(days=1), "sha256": None}


DEMO_ROUNDS_AGENCY = 3  # Health: Hospital Trust, asked three times (the first round left the Agencies slots)


def demo_rounds(case: CaseData) -> list[Round]:
    """The demo's Update rounds: one agency asked three times, the first two returned when the
    Updates log says and the third not yet due, so the Agencies slots show rounds 2 and 3 and round
    1 is kept only in the log."""
    w = lambda n, days=0: case.day0 + dt.timedelta(weeks=n, days=days)  # noqa: E731
    agency = case.agencies[DEMO_ROUNDS_AGENCY]["agency"]
    asked = ((1, w(19), w(22, 1)), (2, w(24), w(28, 1)), (3, w(29), None))
    return [Round(agency, n, on, update_due(case, on), received=back, note="the demo's own (no sheet was issued)",
                  changed=True)
            for n, on, back in asked]


def demo_meetings(case: CaseData) -> list[dict]:
    """The demo's Meetings sheet: the panel's meetings, a learning event and the Board (times typed
    as hh:mm, UK time)."""
    cal, d0 = calendar_for(case), case.day0
    w = lambda n: cal.roll(d0 + dt.timedelta(weeks=n), "next")  # noqa: E731  (never on a bank holiday)
    return [
        {"date": w(6), "start": "10:00", "end": "12:00", "what": "Panel meeting", "place": "Room 2, Civic Centre (fictional)",
         "who": "Panel members; lead reviewer", "purpose": "Agree the terms of reference and the timetable."},
        {"date": w(12), "start": "10:00", "end": "12:30", "what": "Panel meeting", "place": "Room 2, Civic Centre (fictional)",
         "who": "Panel members; agency authors", "purpose": "Consider the merged chronology and the management reports."},
        {"date": w(18), "start": "13:30", "end": "16:00", "what": "Practitioner learning event", "place": "Online",
         "who": "Practitioners of the agencies involved", "purpose": "Hear from the practitioners."},
        {"date": w(20), "start": "14:00", "end": "16:00", "what": "Board meeting", "place": "Council Chamber (fictional)",
         "who": "Board members", "purpose": "The draft overview report and action plan."},
        {"date": w(34), "start": "10:00", "end": "11:30", "what": "Multi-agency debrief", "place": "Online",
         "who": "Panel chair; agency leads", "purpose": "Debrief the agencies' staff on the findings."},
    ]
