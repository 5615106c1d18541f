"""Formula text and cached value of each computed cell of a case row (the builder and refresh share them)."""
from __future__ import annotations

from tracker.case import Results
from tracker.receipts import RETURN_ITEMS
from workbook.case import formulas as fx
from workbook.case import layout as L

UDF_TAIL = "Profile,Actuals,Overrides,Nation,Holidays"


def timescale_formulas(r: Results, ts: tuple[dict, dict], row: int, p):
    m = p.milestone
    rows, col = ts
    guide = "=" + fx.guide_date(m, rows, col["due"], col["actual"])
    a, o, g, h, d = (f"{col[k]}{row}" for k in ("milestone", "override", "guide", "actual", "due"))
    due = fx.with_python(f"SCR_DEADLINE(Day0,{a},{UDF_TAIL})", fx.due(o, g))
    status = fx.with_python(f"SCR_STATUS({d},{h},Today,DueSoon)", fx.milestone_status(d, h))
    flags = fx.with_python(f"SCR_FLAGS(Day0,{a},{UDF_TAIL})", fx.flags(m, rows, col, o, g))
    return [("guide", guide, p.computed or ""), ("due", due, p.due or ""),
            ("status", status, r.timescale_status[p.id]), ("flags", flags, p.flag_text())]


def ts_due_ref(ts: tuple[dict, dict], mid: str | None, column: str = "due") -> str:
    if not mid:
        return '""'
    rows, col = ts
    return f"'{L.TIMESCALE}'!${col[column]}${rows[mid]}"


def requested_formula(item: str) -> str:
    name = "LetterPlans" if item == "action_plan" else "LetterReports"
    return f'=IF(ISNUMBER({name}),{name},"")'


def agency_formulas(r: Results, ts: tuple[dict, dict], col: dict, row: int, res):
    out = []
    for item, _ in RETURN_ITEMS:
        c = lambda k: f"{col[k]}{row}"
        req, due, prom, rec = (c(f"{item}_{k}") for k in ("requested", "due", "promised", "received"))
        milestone_ref = ts_due_ref(ts, r.profile.returns.get(item))
        if item in ("update_1", "update_2"):
            due_f = f"=IF(ISNUMBER({req}),WORKDAY({req}+UpdateDueDays-1,1,Holidays),{milestone_ref})"  # case.update_due
        else:
            by = "PlansRequestedBy" if item == "action_plan" else "ReportsRequestedBy"
            due_f = f"=IF(ISNUMBER({by}),{by},{milestone_ref})"
        signed = item == "management_report"
        signed_ref = c("report_signed_copy") if signed else '""'
        nil = c("involvement")
        py = (f"SCR_RECEIPT({req},{due},{prom},{rec},Today,{nil},{'TRUE' if signed else 'FALSE'},{signed_ref},DueSoon)")
        status_f = fx.with_python(py, fx.receipt_status(req, due, prom, rec, nil, signed, signed_ref))
        receipt = res.receipts[item]
        out += [(f"{item}_due", due_f, receipt.due or ""), (f"{item}_status", status_f, res.statuses[item])]
    return out


def action_formulas(col: dict, row: int, res):
    c = lambda k: f"{col[k]}{row}"
    # the revised target when its cell is not blank (compute.action_target): text there is the cell's message
    target = f"IF(TRIM({c('revised_target')})=\"\",{c('target')},{c('revised_target')})"
    py = f"SCR_RAG({c('status')},{target},{c('last_update')},Today,AmberDays,CycleMonths,RedCycles,{c('agreed')})"
    native = fx.rag(c("status"), target, c("last_update"), c("agreed"))
    return [("rag", fx.with_python(py, native), res.word), ("rag_reason", None, res.reason)]


def front_formulas(r: Results, ts: tuple[dict, dict], col: dict, row: int, ev, planned, status):
    p, a = f"{col['planned']}{row}", f"{col['actual']}{row}"
    mid = ev.milestone
    out = []
    if mid:
        ref = ts_due_ref(ts, mid)
        out.append(("planned", f'=IF(ISNUMBER({ref}),{ref},"")', planned or ""))
    else:
        out.append(("planned", None, planned))  # typed in by the board manager
    if ev.follows:  # the Timescale's Actual, a date or n/a as typed there
        aref = ts_due_ref(ts, mid, "actual")
        done = r.front_done.get(ev.key)
        out.append(("actual", f'=IF(TRIM({aref})="","",IF(ISNUMBER({aref}),{aref},TRIM({aref})))',
                    "" if done is None else done))
    out.append(("status", fx.with_python(f"SCR_STATUS({p},{a},Today,DueSoon)", fx.milestone_status(p, a)), status))
    return out
