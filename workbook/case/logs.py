"""The case's two logs read back: the Updates entries, and when the last progress report was made
(from the Audit sheet)."""
from __future__ import annotations

import datetime as dt
import re

from tracker.extensions import extension_in
from tracker.errors import ScrError
from tracker.meetings import parse_time
from workbook.case import layout as L
from workbook.case.audit import stamp_day
from workbook.case.read import Reader, ScrErrors, locate


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


_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


def recorded_digests(reader: Reader) -> set[str]:
    """Every SHA-256 the Audit records, in its SHA-256 column or its detail (a report's, a return's)."""
    loc = locate(reader.wb, L.AUDIT_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    out: set[str] = set()
    for r in loc.rows:
        for key in ("detail", "sha256"):
            out.update(_DIGEST.findall(str(ws[f"{loc.cols[key]}{r}"].value or "")))
    return out


def extensions_log(reader: Reader) -> list:
    """Every timescale extension the Audit records (tracker.extensions.Extension), oldest first."""
    loc = locate(reader.wb, L.AUDIT_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    rows = (extension_in(ws[f"{loc.cols['what']}{r}"].value, ws[f"{loc.cols['detail']}{r}"].value) for r in loc.rows)
    return [e for e in rows if e is not None]


def meetings(reader: Reader) -> list[dict] | None:
    """The Meetings sheet's rows, dates and times checked (each problem names its cell), or None
    for a case file made before the sheet was added."""
    if L.MEETINGS not in reader.wb.sheetnames:
        return None
    loc = locate(reader.wb, L.MEETINGS_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    out, before, problems = [], len(reader.errors), []
    for r in loc.rows:
        row = {"_row": r, **{k: ws[f"{c}{r}"].value for k, c in loc.cols.items()}}
        if all(v in (None, "") for k, v in row.items() if k not in ("_row", "meeting_id")):
            continue
        row["date"] = reader.date(row["date"], loc.sheet, r, loc.cols["date"])
        for key in ("start", "end"):
            try:
                row[key] = parse_time(row[key], "time", file=reader.path, sheet=loc.sheet, row=r, column=loc.cols[key])
            except ScrError as e:
                problems.append(e)
                row[key] = None
        out.append(row)
    problems = reader.errors[before:] + problems
    if problems:
        raise ScrErrors(problems, file=reader.path)
    return out

