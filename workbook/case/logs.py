"""The case's two logs read back: the Updates entries, and when the last progress report was made
(from the Audit sheet)."""
from __future__ import annotations

import datetime as dt

from workbook.case import layout as L
from workbook.case.audit import stamp_day
from workbook.case.read import Reader, locate


def updates_log(reader: Reader) -> list[dict]:
    loc = locate(reader.wb, L.UPDATES_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    out = []
    for r in loc.rows:
        row = {k: ws[f"{c}{r}"].value for k, c in loc.cols.items()}
        for k in ("date", "recorded", "revised_target"):
            if isinstance(row.get(k), dt.datetime):
                row[k] = row[k].date()
        if row.get("action_id") and isinstance(row.get("date"), dt.date):
            out.append(row)
    return out


def last_report(reader: Reader) -> dt.date | None:
    loc = locate(reader.wb, L.AUDIT_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    last = None
    for r in loc.rows:
        if str(ws[f"{loc.cols['command']}{r}"].value or "") == "report":
            when = str(ws[f"{loc.cols['when']}{r}"].value or "")
            last = stamp_day(when) or last
    return last
