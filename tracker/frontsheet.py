"""The File Front Sheet (seed 001, p.57): the key dates of a case, planned against actual.

"Key tracking documents ... kept up to date at all times ... printed off prior to meetings
with Ofsted." A profile says which of its milestones plans each event (its [front_sheet]
table); events it does not plan are typed in by the board manager.
"""
from __future__ import annotations

# section, key, label: in the order the seed's front sheet prints them
EVENTS = (
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
EVENT_KEYS = tuple(k for _, k, _ in EVENTS)

PEOPLE = (
    ("panel_members", "Overview Panel members"),
    ("panel_chair", "Chair of Overview Panel"),
    ("overview_author", "Author of Overview Report"),
)
