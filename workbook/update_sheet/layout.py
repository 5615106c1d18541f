"""The update sheet issued to an agency, and what the tracker expects back in it.

Both sides use these constants: workbook.update_sheet.write writes the sheet, workbook.update_sheet.read reads
what the agency sends back. A change here is a new TEMPLATE_VERSION: returns made on an older
version are recognised and refused with a clear message (the agency is sent a fresh sheet).

The agency sees two sheets, "Instructions" and "Updates". A third, very hidden sheet "_scr"
holds the record: which case, agency and actions the sheet was issued for, and a signature
(HMAC-SHA256 with the case's private key) over that record and over every locked cell, so a
return proves it was issued for this case and that nothing locked was changed.
"""
from __future__ import annotations

from dataclasses import dataclass

from tracker.rag import ACTION_STATUSES
from workbook.xlsx.untrusted import MAX_FILE_BYTES, MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS  # noqa: F401

TEMPLATE_VERSION = 1
FORMAT = "scr-tracker agency update sheet"

INSTRUCTIONS, UPDATES, RECORD = "Instructions", "Updates", "_scr"
TABLE_NAME = "AgencyUpdates"

# Cells above the table on the Updates sheet (label in A, value in B)
HEAD = (("case", "Case", 2), ("agency", "Agency", 3), ("issued", "Issued on", 4), ("return_by", "Please return by", 5))
HEADER_ROW = 7  # the table's header row; data rows follow, one per action, in the issued order


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    locked: bool
    kind: str = "text"  # text | date | status
    width: float = 16
    max_len: int = 2000


COLUMNS = (
    SheetColumn("action_id", "Action ID", True, width=9),
    SheetColumn("rec_no", "Rec no", True, width=7),
    SheetColumn("recommendation", "Recommendation", True, width=24),
    SheetColumn("action", "Action", True, width=28),
    SheetColumn("responsible", "Responsible individual", True, width=16),
    SheetColumn("target", "Target date", True, "date", 11),
    SheetColumn("current_status", "Status at issue", True, width=16),
    SheetColumn("status", "Status now", False, "status", 18),
    SheetColumn("progress", "Progress since last update", False, width=30, max_len=5000),
    SheetColumn("evidence", "Evidence (what shows it is done)", False, width=26, max_len=5000),
    SheetColumn("date", "Date of update", False, "date", 12),
    SheetColumn("revised_target", "Revised target date", False, "date", 12),
    SheetColumn("revision_reason", "Reason for new target date", False, width=24, max_len=2000),
)
BY_KEY = {c.key: c for c in COLUMNS}
COL_NO = {c.key: i for i, c in enumerate(COLUMNS, 1)}  # 1-based column of each key
LOCKED_KEYS = tuple(c.key for c in COLUMNS if c.locked)
INPUT_KEYS = tuple(c.key for c in COLUMNS if not c.locked)
STATUS_CHOICES = ACTION_STATUSES

# The record sheet: one "key | value" pair a row, from A1 down.
RECORD_KEYS = ("format", "template_version", "case_id", "case_name", "agency", "issue_id", "issued", "return_by",
               "action_ids", "locked_cells", "signature")
# locked_cells: JSON list of the locked values row by row, [[action_id, rec_no, ...], ...] (dates ISO)
# A text value longer than one cell holds continues in columns C, D, ... of its row, RECORD_CHUNK at a time.
RECORD_CHUNK = 30000  # under Excel's 32,767 characters a cell
# signature: hex HMAC-SHA256(case_key, canonical JSON of every other record value)

# Limits for what comes back (a return is a small file; anything else is refused unread): the
# file's size, unzipped size and parts are workbook.xlsx.untrusted's (re-exported here); and
MAX_ROWS = 500
