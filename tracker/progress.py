"""The figures of the Board's progress report: each action's BRAG with whether it is overdue or
ready for sign-off, the updates since the last report, and the month-end history of the BRAG counts."""
from __future__ import annotations

import datetime as dt

from tracker import rag as ragmod
from tracker.case import CaseData, Results, rag_settings, status_cell
from tracker.excelfns import eomonth


def action_rows(case: CaseData, results: Results) -> list[dict]:
    """One row per action: its cells, BRAG word and why, the target in force, and two flags:
    overdue (target passed and not Blue or Green) and ready (Green and awaiting sign-off)."""
    rows = []
    for a, res in zip(case.actions, results.actions):
        target = a.get("revised_target") or a.get("target")
        rows.append({**a, "word": res.word, "reason": res.reason, "target_eff": target,
                     "overdue": bool(target and target < case.as_at and res.word not in ("Blue", "Green")),
                     "ready": res.word == "Green" and (status_cell(a.get("status")) == ragmod.AWAITING_SIGN_OFF)})
    return rows


def changes_since(log: list[dict], since: dt.date | None) -> list[dict]:
    """The Updates entries recorded after the last report (all of them if there was none)."""
    return [u for u in log if since is None or (u.get("recorded") or u["date"]) > since]


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    out, me = [], eomonth(start, 0)
    while me < end:
        out.append(me)
        me = eomonth(me, 1)
    return out + [end]


def history(case: CaseData, log: list[dict]):
    actions, updates = [], []
    ids = set()
    logged = {str(u["action_id"]).strip().casefold() for u in log}
    for a in case.actions:
        aid = str(a.get("action_id") or "").strip()
        if not aid or aid.casefold() in ids:
            continue
        ids.add(aid.casefold())
        changes = ()
        if a.get("status") and aid.casefold() not in logged:
            changes = ((a.get("last_update") or a.get("agreed") or case.as_at, a["status"]),)
        actions.append(ragmod.Action(aid, a.get("revised_target") or a.get("target"), a.get("agreed"), changes))
    for u in log:
        if str(u["action_id"]).strip().casefold() in ids:
            updates.append(ragmod.Update(u["date"], str(u["action_id"]).strip(), u.get("status") or None))
    starts = [a.started for a in actions if a.started] + [u.date for u in updates]
    if not starts:
        return [], {}
    dates = month_ends(min(starts), case.as_at)[-12:]
    table = ragmod.history(actions, updates, dates, rag_settings(case))
    return dates, ragmod.history_rollup(table, dates)
