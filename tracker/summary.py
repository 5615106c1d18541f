"""What `scr status` and `scr chase` say about a case: next milestones, what is overdue,
returns outstanding by agency, BRAG counts; who to chase (the e-mails are workbook.eml.chase)."""
from __future__ import annotations

import datetime as dt

from tracker import rag as ragmod
from tracker import status as st
from tracker.excel_dates import fmt
from tracker.receipts import RETURN_LABELS
from tracker.case import CaseData, Results


def status_data(case: CaseData, r: Results) -> dict:
    today = case.as_at
    milestones = [{"id": p.id, "label": p.label, "due": p.due.isoformat() if p.due else None,
                   "actual": p.actual.isoformat() if isinstance(p.actual, dt.date) else None,
                   "status": r.timescale_status[p.id], "flags": p.flags} for p in r.plan.milestones]
    returns = []
    for row, res in zip(case.agencies, r.agencies):
        for item, receipt in res.receipts.items():
            returns.append({"agency": receipt.agency, "item": item, "label": RETURN_LABELS[item],
                            "due": receipt.deadline.isoformat() if receipt.deadline else None,
                            "status": res.statuses[item], "days_late": receipt.days_late(today)})
    words = [a.word for a in r.actions]
    return {
        "case": case.case_name, "profile": r.profile.id, "day0": case.day0.isoformat(), "as_at": today.isoformat(),
        "milestones": milestones, "returns": returns,
        "actions": {"counts": ragmod.rollup(words), "total": len(words),
                    "items": [{"action_id": str(a.get("action_id") or ""), "agency": str(a.get("agency") or ""),
                               "rag": res.word, "reason": res.reason} for a, res in zip(case.actions, r.actions)]},
    }


def overdue_milestones(data: dict) -> list[dict]:
    """The milestones of status_data that are overdue, earliest due first."""
    return sorted((m for m in data["milestones"] if m["status"].startswith("overdue")), key=lambda m: m["due"] or "")


def next_milestones(data: dict) -> list[dict]:
    """The milestones still to come (not done, not n/a, not yet overdue), soonest first."""
    upcoming = [m for m in data["milestones"] if m["due"] and not m["actual"] and m["status"] not in ("not applicable",)
                and not m["status"].startswith("overdue") and m["due"] >= data["as_at"]]
    return sorted(upcoming, key=lambda m: m["due"])


def outstanding_returns(data: dict) -> list[dict]:
    """The returns of status_data still awaited from an agency (asked for and not in, or a signed copy)."""
    return [x for x in data["returns"] if x["status"] in (st.REQUESTED, st.PROMISED, st.DUE_SOON, st.SIGNED_COPY_OUTSTANDING)
            or x["status"].startswith("overdue")]


def status_text(data: dict, next_n: int = 5) -> str:
    lines = [f"Case {data['case']}  —  profile {data['profile']}  —  Day 0 {_d(data['day0'])}  —  as at {_d(data['as_at'])}", ""]
    problems, typed = data.get("problems") or [], data.get("text_dates") or []
    if problems:
        # named first: the figures below count these cells as blank until they are fixed
        lines.append(f"Cells to fix ({len(problems)}; counted as blank below until fixed):")
        lines += [f"  {p}" for p in problems]
        lines.append("")
    if typed:
        lines.append(f"Dates typed as text ({len(typed)}; `scr refresh` makes them real dates, as the formulas need):")
        lines += [f"  {t}" for t in typed]
        lines.append("")
    overdue, upcoming = overdue_milestones(data), next_milestones(data)
    lines.append(f"Overdue milestones ({len(overdue)}):")
    lines += [f"  {_d(m['due'])}  {m['status']:<22} {m['id']}: {_short(m['label'])}" for m in overdue] or ["  none"]
    lines.append("")
    lines.append("Next milestones:")
    lines += [f"  {_d(m['due'])}  {m['status']:<22} {m['id']}: {_short(m['label'])}" for m in upcoming[:next_n]] or ["  none"]
    lines.append("")
    outstanding = {}
    for x in outstanding_returns(data):
        outstanding.setdefault(x["agency"], []).append(x)
    lines.append(f"Returns outstanding ({sum(len(v) for v in outstanding.values())}):")
    for agency, items in outstanding.items():
        lines.append(f"  {agency}")
        lines += [f"    {x['label']:<24} due {_d(x['due']) if x['due'] else '—':<10}  {x['status']}" for x in items]
    if not outstanding:
        lines.append("  none")
    lines.append("")
    c = data["actions"]["counts"]
    lines.append(f"Action plan BRAG ({data['actions']['total']} actions): " + ", ".join(f"{w} {c[w]}" for w in ragmod.RAG_WORDS))
    return "\n".join(lines)


def _d(iso: str | None) -> str:
    return fmt(dt.date.fromisoformat(iso)) if iso else ""


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def chase_list(case: CaseData, r: Results) -> list[dict]:
    today, window = case.as_at, case.setting("DueSoon")
    out = []
    for row, res in zip(case.agencies, r.agencies):
        for item, receipt in res.receipts.items():
            status = res.statuses[item]
            if receipt.needs_chase(today, window) or status == st.SIGNED_COPY_OUTSTANDING:
                out.append({"agency": receipt.agency, "item": item, "label": receipt.label,
                            "due": receipt.deadline, "days_late": receipt.days_late(today),
                            "promised": receipt.promised, "received": receipt.received,
                            "signed_copy": status == st.SIGNED_COPY_OUTSTANDING,
                            "status": status, "contact": str(row.get("contact") or ""),
                            "email": str(row.get("email") or ""), "_row": row.get("_row")})
    return sorted(out, key=lambda x: (-x["days_late"], x["agency"]))


def chase_text(case: CaseData, items: list[dict]) -> str:
    if not items:
        return f"Nothing to chase today ({fmt(case.as_at)})."
    lines = [f"To chase today ({fmt(case.as_at)}), most overdue first:"]
    for x in items:
        who = x["contact"] + (f" <{x['email']}>" if x["email"] else "")
        late = "signed copy" if x.get("signed_copy") else f"{x['days_late']:>3} days late"
        lines.append(f"  {x['agency']:<30} {x['label']:<24} due {fmt(x['due'])}  {late:<13}  {who or '(no contact recorded)'}")
    return "\n".join(lines)
