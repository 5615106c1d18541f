"""The board's portfolio: every review at once (issue 10). One row per case from its CaseData and
Results, all their actions in one list, timeliness by profile, and the annual report's counts for a
financial year. No files here: workbook.portfolio writes it, workbook.commands.portfolio reads the cases.

The figures use the same rules as `scr status` (tracker.summary), so a review's row says what
`scr status` says of that case on the same day.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tracker import rag as ragmod
from tracker.case import CaseData, Results
from tracker.errors import ScrError
from tracker.progress import action_rows
from tracker.summary import next_milestones, outstanding_returns, overdue_milestones, status_data

COMPLETE, OVERDUE, IN_PROGRESS = "complete", "overdue", "in progress"


@dataclass
class Review:
    """One case as the portfolio shows it."""
    file: str  # the file's name, relative to the folder it was found in
    code: str  # the case name: initials or a code, never a child's name (the Settings cell says so)
    profile_id: str
    review_type: str
    day0: dt.date
    stage: str  # the last milestone done, by due date ("" before the first)
    next_label: str
    next_due: dt.date | None
    overdue: int  # milestones overdue
    returns_outstanding: int
    brag: dict[str, int]
    status: str
    completed: dt.date | None  # the last actual date, once every milestone is done or n/a
    on_time: int  # milestones done by their due date
    late: int  # milestones done after it
    days_late: int  # the days by which those were late, added up
    note: str = ""  # e.g. "open in Excel: read from its last saved state"
    actions: list[dict] = field(default_factory=list)


def review(case: CaseData, results: Results, file: str, note: str = "") -> Review:
    data = status_data(case, results)
    nxt = next_milestones(data)
    done = [p for p in results.plan.milestones if isinstance(p.actual, dt.date) and not p.not_applicable]
    late = [(p.actual - p.due).days for p in done if p.due is not None and p.actual > p.due]
    finished = all(p.not_applicable or isinstance(p.actual, dt.date) for p in results.plan.milestones)
    overdue = len(overdue_milestones(data))
    staged = sorted(done, key=lambda p: (p.due or p.actual, p.actual))
    actions = [{**row, "review": case.case_name} for row in action_rows(case, results)]
    return Review(
        file=file, code=case.case_name, profile_id=results.profile.id, review_type=results.profile.review_type,
        day0=case.day0, stage=staged[-1].label if staged else "",
        next_label=nxt[0]["label"] if nxt else "", next_due=dt.date.fromisoformat(nxt[0]["due"]) if nxt else None,
        overdue=overdue, returns_outstanding=len(outstanding_returns(data)), brag=data["actions"]["counts"],
        status=COMPLETE if finished else OVERDUE if overdue else IN_PROGRESS,
        completed=max((p.actual for p in done), default=None) if finished else None,
        on_time=len(done) - len(late), late=len(late), days_late=sum(late), note=note, actions=actions)


# ---- the financial year of an annual report: 1 April to 31 March ----

def year_span(text: str) -> tuple[dt.date, dt.date]:
    """'2026-27' -> 01/04/2026 to 31/03/2027 (the Annual Report's year, April to March)."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*", str(text or ""))
    if m:
        first, second = int(m.group(1)), int(m.group(2))
        if second % 100 == (first + 1) % 100 and (second < 100 or second == first + 1):
            return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)
    raise ScrError(f"the year '{text}' is not a financial year such as 2026-27.",
                   fix="Give the year as YYYY-YY, e.g. --year 2026-27 for 01/04/2026 to 31/03/2027.")


def year_of(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def in_year(day, span: tuple[dt.date, dt.date]) -> bool:
    return isinstance(day, dt.date) and span[0] <= day <= span[1]


# ---- tables ----

def timeliness(reviews: list[Review]) -> list[dict]:
    """By profile: reviews, milestones done on time and late, the days late added up, overdue now."""
    out: dict[str, dict] = {}
    for r in reviews:
        t = out.setdefault(r.profile_id, {"profile": r.profile_id, "review_type": r.review_type, "reviews": 0,
                                          "on_time": 0, "late": 0, "days_late": 0, "overdue": 0})
        t["reviews"] += 1
        t["on_time"] += r.on_time
        t["late"] += r.late
        t["days_late"] += r.days_late
        t["overdue"] += r.overdue
    for t in out.values():
        done = t["on_time"] + t["late"]
        t["on_time_pct"] = round(100 * t["on_time"] / done) if done else None
    return [out[k] for k in sorted(out)]


def signed_off(action: dict) -> bool:
    return action.get("word") == ragmod.BLUE


def annual_report(reviews: list[Review], year: str) -> dict:
    """The year's reviews started and completed by review type, and the actions: signed off in the
    year (their last update in it), and outstanding at the as-at date (not signed off), for the
    Business Plan."""
    span = year_span(year)
    types = sorted({r.review_type for r in reviews})
    by_type = [{"review_type": t,
                "started": sum(1 for r in reviews if r.review_type == t and in_year(r.day0, span)),
                "completed": sum(1 for r in reviews if r.review_type == t and in_year(r.completed, span))}
               for t in types]
    actions = [a for r in reviews for a in r.actions]
    return {"year": year, "from": span[0], "to": span[1], "by_type": by_type,
            "started": sum(t["started"] for t in by_type), "completed": sum(t["completed"] for t in by_type),
            "actions_completed": sum(1 for a in actions if signed_off(a) and in_year(a.get("last_update"), span)),
            "actions_outstanding": sum(1 for a in actions if not signed_off(a)),
            "outstanding": [a for a in actions if not signed_off(a)]}
