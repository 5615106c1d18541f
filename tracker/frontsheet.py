"""The File Front Sheet (seed 001, p.57): the key dates of a case, planned against actual.

"Key tracking documents ... kept up to date at all times ... printed off prior to meetings
with Ofsted." Each profile names its own front-sheet events in its file ([[front_event]]): a
label, a section, and the milestone that plans it; an event no milestone plans is typed
in by the board manager. Every front sheet ends with the family and any parallel proceedings,
which hold up publication (seed 001 §6, §9.4, §14), whatever the profile.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FrontEvent:
    section: str
    key: str
    label: str
    milestone: str | None = None  # the id of the milestone that plans it, or None: the plan is typed in
    # its Actual is that milestone's, from the Timescale (one place to type it); p.57's rows, several
    # of which one milestone plans, keep their own typed Actual
    follows: bool = False

# Rotherham's own p.57 sheet, row for row: a profile with the older [front_sheet] table (event key
# -> milestone) gets these rows, planned by that table.
P57 = (
    ("Case", "critical_incident", "Critical incident"),
    ("Case", "incident_form_to_ofsted", "Critical incident form to Ofsted"),
    ("Chronologies & management reports", "integrated_chronology_completed", "Integrated chronology completed"),
    ("Chronologies & management reports", "integrated_chronology_to_ofsted", "Integrated chronology to Ofsted"),
    ("Chronologies & management reports", "management_reports_to_ofsted", "Management reports to Ofsted"),
    ("Report", "draft_considered_by_panel", "Draft considered by Overview Panel"),
    ("Report", "report_to_board", "Report to Board (LSCB) meeting"),
    ("Report", "final_report_circulated", "Final report circulated to Board members"),
    ("Report", "executive_summary_approved", "Executive summary approved by Board"),
    ("Report", "report_to_ofsted", "Report & executive summary to Ofsted"),
    ("Report", "report_to_csu", "Report & executive summary to CSU"),
    ("Action plans", "board_action_plan_drawn_up", "Board action plan drawn up by Management Group"),
    ("Action plans", "action_plan_to_panel", "Action plans to Overview Panel meeting"),
    ("Action plans", "action_plans_signed_off", "Action plans signed off as fully complete by Chair"),
    ("Action plans", "action_plans_circulated", "Action plans circulated to Board"),
    ("Action plans", "action_plans_to_ofsted", "Action plans to Ofsted"),
)
P57_KEYS = tuple(k for _, k, _ in P57)

# Seed 001 §6 (the family informed, with the leaflet, and offered an interview; the report shared
# before publication) and §9.4/§14 (criminal proceedings and the coroner hold up publication).
FAMILY = "Family and parallel proceedings"
FAMILY_EVENTS = (
    FrontEvent(FAMILY, "family_informed", "Family informed of the review (by whom: Notes; leaflet given)"),
    FrontEvent(FAMILY, "family_interview_offered", "Family offered an interview / to contribute"),
    FrontEvent(FAMILY, "family_report_shared", "Report / executive summary shared with the family before publication"),
    FrontEvent(FAMILY, "criminal_proceedings_concluded", "Criminal proceedings concluded (n/a if none)"),
    FrontEvent(FAMILY, "inquest_concluded", "Coroner's inquest concluded (n/a if none)"),
)

PEOPLE = (
    ("panel_members", "Overview Panel members"),
    ("panel_chair", "Chair of Overview Panel"),
    ("overview_author", "Author of Overview Report"),
)
# the same three for a review that is not an SCR (today's LCSPR has a reviewer, not an overview author)
REVIEW_PEOPLE = (
    ("panel_members", "Review panel members"),
    ("panel_chair", "Chair of the review panel"),
    ("overview_author", "Lead reviewer (author of the report)"),
)


def people_for(profile) -> tuple[tuple[str, str], ...]:
    return PEOPLE if profile.review_type == "Serious Case Review" else REVIEW_PEOPLE


def event_key(label: str) -> str:
    """A key for an event a profile names without one: its label, lower case, words joined by _."""
    return re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:60] or "event"


def p57_events(links: dict[str, str]) -> tuple[FrontEvent, ...]:
    return tuple(FrontEvent(s, k, label, links.get(k)) for s, k, label in P57)


def from_milestones(milestones) -> tuple[FrontEvent, ...]:
    """A profile that names no events: one per milestone, so the sheet is never all typed-in rows."""
    return tuple(FrontEvent(m.group or "Timescale", m.id.replace("-", "_"), m.label, m.id, True) for m in milestones)


def events_for(profile) -> tuple[FrontEvent, ...]:
    """The rows of a new case's front sheet: the profile's events, then the family's. A file keeps
    its own rows (workbook.case.read), so a row added by hand, or an older file's, is never lost."""
    own = tuple(profile.front_events)
    if not profile.front_family:
        return own
    keys = {e.key for e in own}
    return own + tuple(e for e in FAMILY_EVENTS if e.key not in keys)
