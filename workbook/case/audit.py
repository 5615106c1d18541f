"""The case's audit trail: what was issued, received or shared, when, with whom, by which command.

Every command that changes a case adds its row here; `scr log` adds the board manager's own
(e.g. "Overview report sent to Ofsted"). Rows carry the case file's SHA-256 before the change,
so a copy can be matched to the moment it was made. Free text is the board manager's own words:
keep names out of it (use initials or roles).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from tracker import __version__
from workbook.case import layout as L


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


STAMP_DAY = "%d/%m/%Y"  # the Audit's When: the day as every date is shown, then the time
STAMP = STAMP_DAY + " %H:%M:%S"


def now_text() -> str:
    return dt.datetime.now().strftime(STAMP)


def stamp_day(text: str) -> dt.date | None:
    """The day of an Audit When stamp; None if a person changed it into something else."""
    try:
        return dt.datetime.strptime(text[:10], STAMP_DAY).date()
    except ValueError:
        return None


def table_row(table: L.Table, **values) -> dict:
    """A row to append to one of the case's tables, {header: value}, from its column keys."""
    headers = {c.key: c.header for c in table.columns}
    return {headers[key]: value for key, value in values.items()}


def audit_row(command: str, what: str, detail: str, digest: str) -> dict:
    return table_row(L.AUDIT_TABLE, when=now_text(), command=command, what=what, detail=detail, sha256=digest,
                     version=__version__)


# An issued update sheet's Audit row: What is ISSUED + the agency, Detail names "issue <id>". A
# return is verified only when its issue id is one of these, issued to the same agency.
ISSUED = "update sheet issued to "
_ISSUE_ID = re.compile(r"(?:^|;\s*)issue ([0-9A-Za-z._-]+)\s*(?=;|$)")


def issued_what(agency: str) -> str:
    return ISSUED + agency


def issue_in(what, detail) -> tuple[str, str] | None:
    """(issue id, agency) of an Audit row that records an issued sheet, else None."""
    what = str(what or "")
    m = _ISSUE_ID.search(str(detail or ""))
    if not what.startswith(ISSUED) or not m:
        return None
    return m.group(1), what[len(ISSUED):].strip()
