"""`scr convert`: a review continues as another kind, in the same case file (tracker.conversion).

The workbook is built anew for the new profile (its Timescale rows are the new profile's), from
everything the tracker reads in the old one; the Updates, Update rounds and Audit logs are carried row for row,
and the Record says what the earlier stage held. One case session: refused while the file is
open, locked, atomic, the old file kept as the backup. What the tracker cannot carry is refused
before anything changes: a sheet someone added, or a column added to one of our tables."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import range_boundaries

from tracker.case import compute
from tracker.conversion import converted
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.profiles import get_profile
from workbook.case import layout as L
from workbook.case.audit import table_row
from workbook.case.build import Builder
from workbook.case.load import foreign_sheets
from workbook.case.logs import meetings
from workbook.case.read import locate
from workbook.case.session import CaseSession


@dataclass
class Converted:
    was: str
    now: str
    day0: dt.date
    kept: int  # milestones of the earlier stage kept on the Record sheet
    backup: Path | None = None


def convert(case_path, to: str, *, by: str, on: dt.date | None = None, why: str = "", day0: dt.date | None = None,
            today: dt.date | None = None) -> Converted:
    case_path = Path(case_path)
    on = on or today or dt.date.today()
    if case_path.suffix.lower() == ".xlsm":
        raise ScrError("a case with buttons (.xlsm) is rebuilt without them, so it is not converted; nothing was "
                       "changed.", file=case_path,
                       fix="Save a copy as .xlsx in Excel, convert that, then add the buttons again as docs/EXCEL.md says.")
    profile = get_profile(to)
    with CaseSession(case_path, "convert", today=today) as s:
        _refuse_what_would_be_lost(s, case_path)
        before = s.compute()
        case, rows = converted(s.case, before, profile, day0=day0, by=by, on=on, why=why)
        case.meetings = [_meeting(m) for m in (meetings(s.reader) or [])]
        logs = {t: _rows(s, t) for t in (L.UPDATES_TABLE, L.ROUNDS_TABLE, L.AUDIT_TABLE) if t.sheet in s.reader.wb.sheetnames}
        after = compute(case)
        buf = io.BytesIO()
        Builder(buf, case, after).build()
        for t, rows_of in logs.items():  # row for row, the Audit's last, so its new row follows them
            s.append(t, rows_of)
        s.audit(f"review converted to {profile.id}", f"from {before.profile.id}; Day 0 {fmt(case.day0)}; "
                f"by {rows[0]['who']} on {fmt(on)}" + (f"; why: {rows[0]['why']}" if rows[0]["why"] else "")
                + f"; {len(rows) - 1} earlier milestone(s) kept on the Record sheet")
        backup = s.save_rebuilt(buf.getvalue())
    return Converted(before.profile.id, profile.id, case.day0, len(rows) - 1, backup)


def _refuse_what_would_be_lost(s: CaseSession, path: Path) -> None:
    wb = s.reader.wb
    extra = foreign_sheets(s.reader.raw)
    if extra:
        raise ScrError(f"the workbook has sheet(s) the tracker did not make ({', '.join(extra)}), which a conversion "
                       "would not carry; nothing was changed.", file=path,
                       fix="Move them to another workbook first (right-click the tab > Move or Copy).")
    for t in L.TABLES:
        if t.sheet not in wb.sheetnames:
            continue
        loc = locate(wb, t, path)
        table = next(x for x in wb[loc.sheet].tables.values() if x.name.casefold() == t.name.casefold())
        c1, _r1, c2, _r2 = range_boundaries(table.ref)
        if c2 - c1 + 1 > len(loc.cols):
            raise ScrError(f"the table '{t.name}' has a column the tracker did not make, which a conversion would not "
                           "carry; nothing was changed.", file=path, sheet=loc.sheet,
                           fix="Copy that column to another workbook and delete it from the table first.")


def _rows(s: CaseSession, t: L.Table) -> list[dict]:
    """A log table's rows as they are, {header: value}, for the rebuilt file."""
    loc = locate(s.reader.wb, t, s.path)
    ws = s.reader.wb[loc.sheet]
    out = []
    for r in loc.rows:
        values = {k: ws[f"{c}{r}"].value for k, c in loc.cols.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        out.append(table_row(t, **{k: v.date() if isinstance(v, dt.datetime) and v.time() == dt.time() else v
                                   for k, v in values.items()}))
    return out


def _meeting(m: dict) -> dict:
    out = {k: v for k, v in m.items() if k != "_row" and v not in (None, "")}
    for k in ("start", "end"):
        if isinstance(out.get(k), dt.time):
            out[k] = out[k].strftime("%H:%M")
    return out
