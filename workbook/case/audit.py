"""The case's audit trail: what was issued, received or shared, when, with whom, by which command.

Every command that changes a case adds its row here; `scr log` adds the board manager's own
(e.g. "Overview report sent to Ofsted"). Rows carry the case file's SHA-256 before the change,
so a copy can be matched to the moment it was made. Free text is the board manager's own words:
keep names out of it (use initials or roles).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from tracker import __version__
from tracker.errors import ScrError
from workbook.case import layout as L


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def now_text() -> str:
    return dt.datetime.now().strftime("%d/%m/%Y %H:%M:%S")


def audit_row(command: str, what: str, detail: str, digest: str) -> dict:
    return {"When": now_text(), "Command": command, "What": what, "Detail": detail,
            "File SHA-256": digest, "Tracker version": __version__}


def log_entry(case_path, what: str, shared_with: str = "", detail: str = "") -> dict:
    """Add one row of the board manager's own to the Audit sheet (atomic, backed up, refused while open)."""
    from workbook.case.read import Reader
    from workbook.xlsx.patch import Patch
    what = " ".join(str(what or "").split())
    if not what:
        raise ScrError("say what was done, e.g. --what \"Overview report sent\".")
    case_path = Path(case_path)
    reader = Reader(case_path)  # a readable case workbook (refuses a 1904-system or damaged file)
    text = what + (f" (shared with {shared_with.strip()})" if shared_with and shared_with.strip() else "")
    row = audit_row("log", text, detail.strip(), reader.digest)
    patch = Patch(case_path, raw=reader.raw)
    patch.append_table_rows(L.AUDIT, L.AUDIT_TABLE.name, [row])
    patch.save()
    return row
