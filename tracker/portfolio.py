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
from tracker.excel_dates import fmt
from tracker.plan import make_plan
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
    kind: str = ""  # the review as the national tracker counts it: "Rapid review", "LCSPR (converted)", ...
    extensions: int = 0  # milestones whose date was moved later (an Override after the guide's date)
    extension_days: int = 0  # the days they were moved by, added up
    agreed: list[str] = field(default_factory=list)  # who agreed each extension recorded, and when
    notified: dt.date | None = None  # the notification's Actual (NOTIFIED_IDS), where the profile has one
    original_end: dt.date | None = None  # the last milestone's date by the profile, before any override
    days_taken: int | None = None  # Day 0 to completion
    slippage: int | None = None  # completion (or today, if not complete and past it) against original_end
    rapid_review: dt.date | None = None  # the rapid review's Actual, where the profile has one
    rapid_on_time: bool | None = None  # within the profile's 15 working days (its guide date, not an override)
    published: dt.date | None = None
    link: str = ""
    briefing: str = ""
    themes: list[str] = field(default_factory=list)


# Rapid reviews and the practice reviews they become (Working Together 2018/2023): which milestones say so.
RAPID, DECISION, PUBLISHED_IDS = "rapid-review", "lcspr-decision", ("lcspr-published", "publication")
# the milestone whose Actual is the date the incident was notified (England: to the national Panel;
# Rotherham 2009: referred to the Standing SCR Panel); other profiles have no such step
NOTIFIED_IDS = ("notify-panel", "refer-standing-panel")
RAPID_ONLY, CONVERTED = "Rapid review", "LCSPR (converted from a rapid review)"
MAX_THEMES = 3


def split_themes(text) -> list[str]:
    """'Neglect; Domestic abuse' -> ['Neglect', 'Domestic abuse'] (spaces tidied, repeats once)."""
    out: dict[str, str] = {}
    for t in str(text or "").split(";"):
        t = " ".join(t.split())
        if t:
            out.setdefault(t.casefold(), t)  # "Neglect; neglect" is one theme, as first written
    return list(out.values())


def _kind(results: Results) -> str:
    """A review under a profile with a rapid review is a rapid review until the partners decide to hold
    a practice review (the decision's Actual recorded and publication not n/a): then it is converted."""
    by_id = {p.id: p for p in results.plan.milestones}
    if RAPID not in by_id:
        return results.profile.review_type
    decision, published = by_id.get(DECISION), by_id.get(PUBLISHED_IDS[0])
    if decision and isinstance(decision.actual, dt.date) and published and not published.not_applicable:
        return CONVERTED
    return RAPID_ONLY


def review(case: CaseData, results: Results, file: str, note: str = "", extensions=()) -> Review:
    """One review's row; ``extensions``: the tracker.extensions.Extension records its Audit holds."""
    data = status_data(case, results)
    nxt = next_milestones(data)
    done = [p for p in results.plan.milestones if isinstance(p.actual, dt.date) and not p.not_applicable]
    late = [(p.actual - p.due).days for p in done if p.due is not None and p.actual > p.due]
    finished = all(p.not_applicable or isinstance(p.actual, dt.date) for p in results.plan.milestones)
    overdue = len(overdue_milestones(data))
    staged = sorted(done, key=lambda p: (p.due or p.actual, p.actual))
    completed = max((p.actual for p in done), default=None) if finished else None
    actions = [{**row, "review": case.case_name} for row in action_rows(case, results)]
    return Review(
        file=file, code=case.case_name, profile_id=results.profile.id, review_type=results.profile.review_type,
        day0=case.day0, stage=staged[-1].label if staged else "",
        next_label=nxt[0]["label"] if nxt else "", next_due=dt.date.fromisoformat(nxt[0]["due"]) if nxt else None,
        overdue=overdue, returns_outstanding=len(outstanding_returns(data)), brag=data["actions"]["counts"],
        status=COMPLETE if finished else OVERDUE if overdue else IN_PROGRESS,
        completed=completed, on_time=len(done) - len(late), late=len(late), days_late=sum(late), note=note,
        actions=actions, agreed=[f"{e.agreed_by}, {fmt(e.agreed_on)}" for e in extensions],
        notified=next((p.actual for p in results.plan.milestones
                       if p.id in NOTIFIED_IDS and isinstance(p.actual, dt.date)), None),
        **_timescale(case, results, completed), **_learning(case, results))


def _timescale(case: CaseData, results: Results, completed: dt.date | None) -> dict:
    ms = [p for p in results.plan.milestones if not p.not_applicable]
    moved = [(p.due - p.computed).days for p in ms
             if p.id in case.overrides and p.due and p.computed and p.due > p.computed]
    # The original dates: the profile's, from what actually happened, with no Override moving them (a
    # milestone counted from an overridden one would otherwise move with it).
    original = make_plan(results.profile, case.day0, actuals=case.actuals, calendar=results.calendar)
    original_end = max((p.due for p in original.milestones if p.due and not p.not_applicable), default=None)
    end = completed if completed else (case.as_at if original_end and case.as_at > original_end else None)
    rapid = next((p for p in ms if p.id == RAPID), None)
    rapid_actual = rapid.actual if rapid and isinstance(rapid.actual, dt.date) else None
    return {"kind": _kind(results), "extensions": len(moved), "extension_days": sum(moved), "original_end": original_end,
            "days_taken": (completed - case.day0).days if completed else None,
            "slippage": (end - original_end).days if end and original_end else None,
            "rapid_review": rapid_actual,
            "rapid_on_time": (rapid_actual <= rapid.computed) if rapid_actual and rapid.computed else None}


def _learning(case: CaseData, results: Results) -> dict:
    info = case.review or {}
    published = info.get("Published")
    if not isinstance(published, dt.date):  # blank: the publication milestone's Actual
        published = next((p.actual for p in results.plan.milestones
                          if p.id in PUBLISHED_IDS and isinstance(p.actual, dt.date)), None)
    return {"published": published, "link": str(info.get("PublicationLink") or ""),
            "briefing": str(info.get("Briefing") or ""), "themes": split_themes(info.get("Themes"))}


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


MONTH_DAYS = 365.25 / 12


def months(days) -> float | None:
    return None if days is None else round(days / MONTH_DAYS, 1)


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def by_year(reviews: list[Review]) -> list[dict]:
    """By the financial year of Day 0: reviews, rapid reviews done and within 15 working days,
    reviews completed and their average duration (months), published and the average time to
    publication (months), extensions (days), and the average slippage against the original dates."""
    out = []
    for year in sorted({year_of(r.day0) for r in reviews}):
        rs = [r for r in reviews if year_of(r.day0) == year]
        rapid = [r for r in rs if r.rapid_on_time is not None]
        within = sum(1 for r in rapid if r.rapid_on_time)
        done = [r for r in rs if r.days_taken is not None]
        published = [r for r in rs if r.published]
        out.append({"year": year, "reviews": len(rs), "rapid_done": len(rapid), "rapid_within": within,
                    "rapid_pct": round(100 * within / len(rapid)) if rapid else None,
                    "completed": len(done), "months": _mean(months(r.days_taken) for r in done),
                    "published": len(published),
                    "to_publication": _mean(months((r.published - r.day0).days) for r in published),
                    "extension_days": sum(r.extension_days for r in rs),
                    "slippage": _mean(r.slippage for r in rs)})
    return out


def durations(reviews: list[Review]) -> list[dict]:
    """By kind of review: how many completed, and their shortest, average and longest duration in
    months; how many published, and the average time from Day 0 to publication in months."""
    out = []
    for kind in sorted({r.kind for r in reviews}):
        rs = [r for r in reviews if r.kind == kind]
        taken = [months(r.days_taken) for r in rs if r.days_taken is not None]
        published = [months((r.published - r.day0).days) for r in rs if r.published]
        out.append({"kind": kind, "reviews": len(rs), "completed": len(taken),
                    "shortest": min(taken, default=None), "average": _mean(taken), "longest": max(taken, default=None),
                    "published": len(published), "to_publication": _mean(published)})
    return out


def themes(reviews: list[Review], board_themes=()) -> list[dict]:
    """Every theme on the board's list and every other typed: how many reviews and recommendations
    carry it, and which reviews. A theme not on the list is shown as such (a typing slip, or one to add)."""
    listed = {t.casefold(): t for t in board_themes}
    seen: dict[str, dict] = {}

    def entry(theme: str, on_list: bool = False) -> dict:
        return seen.setdefault(theme.casefold(), {"theme": theme, "listed": on_list, "reviews": [],
                                                  "recommendations": set()})
    for t in listed.values():
        entry(t, True)
    for r in reviews:
        tagged = [(t, None) for t in r.themes] + [
            (t, str(a.get("rec_no") or a.get("recommendation") or "")) for a in r.actions
            for t in split_themes(a.get("themes"))]
        for t, rec in tagged:
            e = entry(t)
            if rec is not None:
                e["recommendations"].add((r.code, rec))
            if r.code not in e["reviews"]:
                e["reviews"].append(r.code)
    rows = [{**e, "recommendations": len(e["recommendations"])} for e in seen.values()]
    return sorted(rows, key=lambda e: (-len(e["reviews"]), -e["recommendations"], e["theme"].casefold()))


def too_many_themes(reviews: list[Review]) -> list[str]:
    return [r.code for r in reviews if len(r.themes) > MAX_THEMES]


def signed_off(action: dict) -> bool:
    return action.get("word") == ragmod.BLUE


def annual_report(reviews: list[Review], year: str) -> dict:
    """The year's reviews started, completed and published by kind of review, and the actions: signed off in the
    year (their last update in it), and outstanding at the as-at date (not signed off), for the
    Business Plan."""
    span = year_span(year)
    types = sorted({r.kind for r in reviews})
    by_type = [{"review_type": t,
                "started": sum(1 for r in reviews if r.kind == t and in_year(r.day0, span)),
                "completed": sum(1 for r in reviews if r.kind == t and in_year(r.completed, span)),
                "published": sum(1 for r in reviews if r.kind == t and in_year(r.published, span))}
               for t in types]
    actions = [a for r in reviews for a in r.actions]
    return {"year": year, "from": span[0], "to": span[1], "by_type": by_type,
            "started": sum(t["started"] for t in by_type), "completed": sum(t["completed"] for t in by_type),
            "published": sum(t["published"] for t in by_type),
            "actions_completed": sum(1 for a in actions if signed_off(a) and in_year(a.get("last_update"), span)),
            "actions_outstanding": sum(1 for a in actions if not signed_off(a)),
            "outstanding": [a for a in actions if not signed_off(a)]}
