"""The Update rounds sheet (tracker.rounds) read back, and a command's changes to it staged.

A case file made before the sheet existed has none: its rounds are then only what the Agencies
sheet's slots show (RoundLog with kept=False), and nothing is written here.
"""
from __future__ import annotations

import datetime as dt

from tracker.case import update_due
from tracker.rounds import Round, RoundLog
from workbook.case import layout as L
from workbook.case.audit import table_row
from workbook.case.read import ScrErrors, locate

DATES = ("requested", "due", "promised", "received")


def round_log(s) -> RoundLog:
    """The case's rounds as the session ``s`` read them (each bad cell named, with its fix)."""
    case, reader = s.case, s.reader
    due_of = lambda d: update_due(case, d) if isinstance(d, dt.date) else None  # noqa: E731
    if L.ROUNDS not in reader.wb.sheetnames:
        return RoundLog(None, due_of)
    loc = locate(reader.wb, L.ROUNDS_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    out, before = [], len(reader.errors)
    for r in loc.rows:
        row = {k: ws[f"{c}{r}"].value for k, c in loc.cols.items()}
        if all(v in (None, "") for v in row.values()):
            continue
        for k in DATES:
            row[k] = reader.date(row[k], loc.sheet, r, loc.cols[k])
        try:
            number = int(row["round"])
        except (TypeError, ValueError):
            number = 0  # a round nobody numbered counts as the oldest: it still keeps its dates
        out.append(Round(str(row["agency"] or "").strip(), number, *(row[k] for k in DATES),
                         issue_id=str(row["issue_id"] or "").strip(), note=str(row["note"] or ""), row=r))
    if reader.errors[before:]:
        raise ScrErrors(reader.errors[before:], file=reader.path)
    return RoundLog(out, due_of)


def stage_rounds(s, log: RoundLog) -> int:
    """The rounds ``log`` changed, staged in the session ``s``: rows it has updated in place, new ones
    appended (oldest first). The number of rounds staged."""
    if not log.kept:
        return 0
    changed = log.changed
    s.stage_inputs(L.ROUNDS_TABLE, {r.row: {k: getattr(r, k) for k in DATES} for r in changed if r.row is not None})
    s.append(L.ROUNDS_TABLE, [table_row(L.ROUNDS_TABLE, agency=r.agency, round=r.number, issue_id=r.issue_id or None,
                                        note=r.note or None, **{k: getattr(r, k) for k in DATES})
                              for r in changed if r.row is None])
    return len(changed)
