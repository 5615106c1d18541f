"""The case workbook's layout as code: its sheets, tables, columns and names.

One place says where everything is, so that building (`scr new`), reading, refreshing and
printing agree. Columns are found again by their header text when a file is read back, so a
board manager may add columns of their own anywhere without breaking the tracker.
"""
from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

from tracker import words
from tracker.receipts import RETURN_ITEMS
from tracker.rounds import LOG as ROUND_LOG
from tracker.words import ACTION_STATUSES, MEETING_KINDS, RECORD_KINDS

FRONT, TIMESCALE, AGENCIES, ACTIONS, UPDATES, ROUNDS, MEETINGS, RECORD, HOLIDAYS, SETTINGS, AUDIT, XLWINGS = (
    "Front Sheet", "Timescale", "Agencies", "Action Plan", "Updates", ROUND_LOG, "Meetings", "Record", "Holidays",
    "Settings", "Audit", "xlwings.conf")
SHEETS = (FRONT, TIMESCALE, AGENCIES, ACTIONS, UPDATES, ROUNDS, MEETINGS, RECORD, HOLIDAYS, SETTINGS, AUDIT, XLWINGS)
# added after the first case files were made: a file without them still reads
OPTIONAL_SHEETS = (MEETINGS, ROUNDS, RECORD)

LAYOUT_VERSION = 1

# kinds of column
INPUT, FORMULA, VALUE = "input", "formula", "value"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = INPUT
    fmt: str = "text"  # text | date | wrap | int | word
    width: float = 14
    choices: tuple[str, ...] = ()  # drop-down list
    note: str = ""
    optional: bool = False  # a column later layouts added: an older file without it is still read


@dataclass(frozen=True)
class Table:
    name: str  # the Excel table name
    sheet: str
    header_row: int  # 1-based
    columns: tuple[Column, ...]
    first_col: int = 1  # 1-based

    def col(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return self.first_col + i
        raise KeyError(key)

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def lines(self, values: dict) -> int:
        """Lines the tallest wrapped text of a row ({key: value}) takes: its row height, since
        neither XlsxWriter nor every spreadsheet grows rows to fit text (LibreOffice's PDF export does not)."""
        from workbook.xlsx.rows import lines_needed
        out = 1
        for key, text in values.items():
            c = self.columns[self.col(key) - self.first_col]
            if c.fmt in ("wrap", "word") and text not in (None, "") and not isinstance(text, dt.date):
                # a character a width unit: words wrap whole, so a line holds fewer than the width
                out = max(out, lines_needed(text, c.width, 1.0))
        return out


DATE_W = 10.5

# ---- Settings: one setting a row; each value cell is a workbook name the formulas use ----
SETTINGS_ROWS = (
    # key (= defined name), label, default, note
    ("CaseName", "Case name (initials or code, not the child's name)", "", "Shown on every printed sheet."),
    ("Profile", "Timescale profile", "england-wt2023", "A profile id; see SCR_PROFILES()."),
    ("Nation", "Bank holidays of", "england-and-wales", "england-and-wales, scotland or northern-ireland."),
    ("Today", "As at (today)", None, "=TODAY(); type a date here to see the file as at that day."),
    ("DueSoon", "Due soon: days ahead", 7, "A date this many days ahead or fewer is 'due soon'."),
    ("AmberDays", "Amber: days before target date", 28, "An action whose target is this close is Amber."),
    ("CycleMonths", "Update cycle (months)", 3, "Agencies update their actions every this many months."),
    ("RedCycles", "Red after missed cycles", 2, "No update for this many cycles makes an action Red."),
    ("UpdateDueDays", "Update sheets due back (days)", 28, "Days after issue that an update sheet is due."),
    # The review as the board's portfolio shows it (`scr portfolio`, issue 10); typed, never computed.
    ("Themes", "Themes of the review", "", "Up to three of the board's themes (its settings file), separated by ;"),
    ("Briefing", "Seven-minute briefing", "", "The briefing's file or link, or its key learning in a sentence."),
    ("Published", "Report published on", "", "dd/mm/yyyy; blank: the publication milestone's Actual date."),
    ("PublicationLink", "Publication link", "", "Where the published report can be read (typed as text)."),
    ("CaseId", "Case id", "", "Set by the tracker; update sheets issued to agencies carry it."),
    ("LayoutVersion", "Workbook layout version", LAYOUT_VERSION, "Set by the tracker; do not change."),
    # Last, so the printed Settings can stop above it (build.settings' print area): a key on paper is no secret.
    # Blank: the key is kept in the board manager's key file (workbook.case.keys), not in a file that is copied and
    # sent on; an older case's key found here is moved there by the next command that changes the case.
    ("CaseKey", "Case signing key", "", "Not kept here: it is in your key file ~/.scr/keys/<case id>.key."),
)
SETTINGS_HEADER_ROW = 3
SETTINGS_FIRST_ROW = SETTINGS_HEADER_ROW + 1


def settings_cell(key: str) -> str:
    row = SETTINGS_FIRST_ROW + [k for k, *_ in SETTINGS_ROWS].index(key)
    return f"'{SETTINGS}'!$B${row}"


# ---- Timescale ----
TS_DAY0_CELL = "$C$3"
TS_HEADER_ROW = 6
TIMESCALE_TABLE = Table("Timescale", TIMESCALE, TS_HEADER_ROW, (
    Column("milestone", "Milestone", VALUE, width=22),
    Column("label", "Key action", VALUE, "wrap", 40),
    Column("rule", "Rule", VALUE, "wrap", 18),
    Column("responsible", "Responsible", VALUE, "wrap", 16),
    Column("guide", "Guide date", FORMULA, "date", DATE_W, note="The profile's date, in native Excel formulas."),
    Column("override", "Override", INPUT, "date", DATE_W, note="A date that replaces the guide's for this milestone."),
    Column("due", "Due", FORMULA, "date", DATE_W),
    Column("actual", "Actual", INPUT, "date", DATE_W, note="The date it happened, or n/a."),
    Column("status", "Status", FORMULA, "word", 17),
    Column("flags", "Flags", FORMULA, "wrap", 22),
    Column("source", "Source", VALUE, "wrap", 14),
    Column("notes", "Notes", INPUT, "wrap", 18),
))

# ---- Agencies (the SCR Overview, seed 001 p.58) ----
AG_HEADER_ROW = 7
AGENCY_HEADER_DATES = (
    # defined name, label, row, label column, value column
    ("LetterReports", "Letter requesting management reports & chronologies", 3, "A", "C"),
    ("ReportsRequestedBy", "Requested by", 4, "A", "C"),
    ("ReportsCirculated", "Management reports circulated", 5, "A", "C"),
    ("ChronologyCirculated", "Integrated chronology circulated", 3, "E", "H"),
    ("LetterPlans", "Letter requesting action plans", 4, "E", "H"),
    ("PlansRequestedBy", "Action plans requested by", 5, "E", "H"),
)


ITEM_W = 12  # "Management" (bold) fits on a line of the header without breaking the word


def _item_columns(key: str, label: str) -> tuple[Column, ...]:
    DATE_W = ITEM_W  # noqa: N806  (the item columns' dates are as wide as their headers need)
    cols = [
        Column(f"{key}_requested", f"{label} requested", INPUT, "date", DATE_W),
        Column(f"{key}_due", f"{label} due", FORMULA, "date", DATE_W),
        Column(f"{key}_promised", f"{label} promised", INPUT, "date", DATE_W),
        Column(f"{key}_received", f"{label} received", INPUT, "date", DATE_W),
    ]
    if key == "chronology":
        cols.append(Column("chronology_merged", "Added to integrated chronology", INPUT, "date", DATE_W))
    if key == "management_report":
        cols.append(Column("report_signed_off_by", "Report signed off by", INPUT, "wrap", 14))
        cols.append(Column("report_signed_copy", "Signed copy received", INPUT, "date", DATE_W))
    cols.append(Column(f"{key}_status", f"{label} status", FORMULA, "word", 16))
    return tuple(cols)


INVOLVEMENT = words.INVOLVEMENT_CHOICES
METHODS = ("file reading", "interviews", "file reading and interviews", "other")
AGENCIES_TABLE = Table("Agencies", AGENCIES, AG_HEADER_ROW, (
    Column("agency", "Agency", INPUT, "wrap", 22),
    Column("involvement", "Involvement", INPUT, "text", 11, INVOLVEMENT),
    Column("senior_manager", "Designated senior manager", INPUT, "wrap", 16),
    Column("author", "Author (management report)", INPUT, "wrap", 16),
    Column("method", "How (file reading, interviews)", INPUT, "wrap", 13, METHODS),
    Column("contact", "Contact for chasing", INPUT, "wrap", 16),
    Column("email", "Contact email", INPUT, "wrap", 34),  # an address has no space to wrap at
    *[c for key, label in RETURN_ITEMS for c in _item_columns(key, label)],
    Column("notes", "Notes", INPUT, "wrap", 24),
))

# ---- Action Plan (action record, seed 001 §3.6 / p.56) ----
AP_HEADER_ROW = 4
ACTION_RECORD_COLUMNS = (
    Column("intended_outcome", "Intended outcome", INPUT, "wrap", 24, optional=True),
    Column("evaluation", "How evaluated", INPUT, "wrap", 22, optional=True),
    Column("resources", "Resources", INPUT, "wrap", 16, optional=True),
    Column("senior_sign_off", "Signed off by (senior manager)", INPUT, "wrap", 14, optional=True),
    Column("signed_copy", "Signed copy received", INPUT, "date", DATE_W, optional=True),
    Column("evidence_by", "Evidence accepted by", INPUT, "wrap", 14, optional=True),
    Column("evidence_on", "Evidence accepted on", INPUT, "date", DATE_W, optional=True),
    Column("outcomes", "Outcomes for children and families", INPUT, "wrap", 26, optional=True),
)
ACTIONS_TABLE = Table("Actions", ACTIONS, AP_HEADER_ROW, (
    Column("action_id", "Action ID", INPUT, "text", 9),
    Column("rec_no", "Rec no", INPUT, "text", 7),
    Column("recommendation", "Recommendation", INPUT, "wrap", 26),
    Column("agency", "Agency", INPUT, "wrap", 14),
    Column("action", "Action (SMART)", INPUT, "wrap", 30),
    Column("responsible", "Responsible individual", INPUT, "wrap", 14),
    Column("target", "Target date", INPUT, "date", DATE_W),
    Column("agreed", "Date agreed", INPUT, "date", DATE_W),
    Column("status", "Status", INPUT, "wrap", 14, ACTION_STATUSES),
    Column("last_update", "Date of last update", INPUT, "date", DATE_W),
    Column("progress", "Latest evidence / progress", INPUT, "wrap", 30),
    Column("revised_target", "Revised target date", INPUT, "date", DATE_W),
    Column("revision_reason", "Reason for revision", INPUT, "wrap", 18),
    Column("rag", "BRAG", FORMULA, "word", 9),
    Column("rag_reason", "Why (at last refresh)", VALUE, "wrap", 26),
    Column("notes", "Notes", INPUT, "wrap", 16),
    # Added after the first case files were made: a file without it still reads (no themes).
    # Up to three of the board's themes, separated by ';' (the Settings sheet's note says so).
    Column("themes", "Themes", INPUT, "wrap", 14, optional=True),
    # The complete action record (seed 001 §3.6 section 5 and §2.9, seed 003 17.46): what the action is for
    # and how it is judged, its sign-off by the agency's designated senior manager and the signed hard copy,
    # who accepted the evidence and when, and the good it did. Typed, never computed; added after the first
    # case files were made, so an older file without them reads them as blank (`scr refresh` adds them).
    *ACTION_RECORD_COLUMNS,
))

# ---- Updates (append-only log) ----
UPDATES_TABLE = Table("Updates", UPDATES, 3, (
    Column("date", "Date of update", VALUE, "date", DATE_W),
    Column("agency", "Agency", VALUE, "wrap", 18),
    Column("action_id", "Action ID", VALUE, "text", 9),
    Column("status", "Status", VALUE, "wrap", 16),
    Column("progress", "Evidence / progress", VALUE, "wrap", 30),
    Column("revised_target", "Revised target date", VALUE, "date", DATE_W),
    Column("revision_reason", "Reason for revision", VALUE, "wrap", 18),
    Column("source", "Source", VALUE, "wrap", 19),
    Column("recorded", "Recorded on", VALUE, "date", DATE_W),
    Column("sha256", "File SHA-256", VALUE, "wrap", 17),  # all 64 characters print, on four lines
))

# ---- Update rounds: every request for an updated action plan (tracker.rounds), values only ----
ROUNDS_TABLE = Table("UpdateRounds", ROUNDS, 3, (
    Column("agency", "Agency", VALUE, "wrap", 22),
    Column("round", "Round", VALUE, "int", 7),
    Column("requested", "Requested", VALUE, "date", DATE_W),
    Column("due", "Due", VALUE, "date", DATE_W),
    Column("promised", "Promised", VALUE, "date", DATE_W),
    Column("received", "Received", VALUE, "date", DATE_W),
    Column("issue_id", "Issue", VALUE, "text", 14),
    Column("note", "Note", VALUE, "wrap", 30),
))

# ---- Meetings: panel meetings, learning events, Board dates (seed 001 §2.9: the draft calendar) ----
MEETING_ROWS = 20  # rows with an ID ready to type into; `scr calendar` exports each by its ID
MEETINGS_TABLE = Table("Meetings", MEETINGS, 3, (
    Column("meeting_id", "ID", VALUE, "text", 6),
    Column("date", "Date", INPUT, "date", DATE_W),
    Column("start", "Start (hh:mm)", INPUT, "text", 9),
    Column("end", "End (hh:mm)", INPUT, "text", 9),
    Column("what", "Meeting", INPUT, "wrap", 20, MEETING_KINDS),
    Column("place", "Place", INPUT, "wrap", 22),
    Column("who", "Who (roles)", INPUT, "wrap", 26),
    Column("purpose", "Purpose", INPUT, "wrap", 36),
))

# ---- Record: decisions, extensions, the family, proceedings, publication, debrief, evaluation ----
# (issue 9: who, when, what, why; seed 001 §2-3, §3.6, §6, §9.4, §12, §17). Typed in Excel, or added
# by `scr record` and `scr extend`; a record, so nothing here is computed.
RECORD_TABLE = Table("Record", RECORD, 3, (
    Column("date", "Date", INPUT, "date", DATE_W),
    Column("kind", "Kind", INPUT, "wrap", 16, RECORD_KINDS),
    Column("what", "What was decided or done", INPUT, "wrap", 34),
    Column("who", "By whom (role)", INPUT, "wrap", 18),
    Column("milestone", "Milestone", INPUT, "text", 14),
    Column("was_due", "Was due", INPUT, "date", DATE_W),
    Column("now_due", "Now due", INPUT, "date", DATE_W),
    Column("why", "Why / rationale", INPUT, "wrap", 30),
))

# ---- Holidays: the non-working days the native WORKDAY formulas use ----
HOLIDAYS_TABLE = Table("NonWorkingDays", HOLIDAYS, 3, (
    Column("date", "Date", INPUT, "date", DATE_W),
    Column("name", "Holiday or closure", INPUT, "text", 36),
    Column("kind", "Kind", INPUT, "text", 14, words.HOLIDAY_KINDS),
    Column("note", "Provisional?", INPUT, "text", 30),
))
HOLIDAY_ROWS = 1500  # the named range reaches this far so added closure days count

# ---- Audit ----
AUDIT_TABLE = Table("Audit", AUDIT, 3, (
    Column("when", "When", VALUE, "text", 20),
    Column("command", "Command", VALUE, "text", 16),
    Column("what", "What", VALUE, "wrap", 40),
    Column("detail", "Detail", VALUE, "wrap", 40),
    Column("sha256", "File SHA-256", VALUE, "wrap", 17),  # all 64 characters print, on four lines
    Column("version", "Tracker version", VALUE, "text", 10),
))

# ---- Front Sheet (seed 001 p.57) ----
FRONT_EVENTS_HEADER_ROW = 9
FRONT_TABLE = Table("FrontSheet", FRONT, FRONT_EVENTS_HEADER_ROW, (
    Column("section", "Section", VALUE, "wrap", 20),
    Column("event", "Event", VALUE, "wrap", 30),
    Column("planned", "Planned", FORMULA, "date", DATE_W),
    Column("actual", "Actual", INPUT, "date", DATE_W),
    Column("status", "Status", FORMULA, "word", 17),
    Column("notes", "Notes", INPUT, "wrap", 18),
))

TABLES = (TIMESCALE_TABLE, AGENCIES_TABLE, ACTIONS_TABLE, UPDATES_TABLE, ROUNDS_TABLE, MEETINGS_TABLE, RECORD_TABLE,
          HOLIDAYS_TABLE, AUDIT_TABLE, FRONT_TABLE)

# Drop-down lists and status colours share these words.
MILESTONE_STATUS_PREFIXES = {
    "bad": ("overdue", words.ERROR_PREFIX.strip()), "warn": (words.DUE_TODAY, "due in", words.DUE_SOON, "signed copy"),
    "good": ("done", "received"), "muted": (words.NOT_APPLICABLE, words.NIL_RETURN, words.NOT_REQUESTED),
}
# "done 14 days late" and "received 4 days late" begin like on time: their own colour, checked first.
LATE_ENDINGS = tuple(sorted({w.split(words.N_DAYS)[1] for w in (words.DONE_LATE, words.RECEIVED_LATE)}))
STATUS_FILLS = {"bad": "#F8CBAD", "late": "#F4B942", "warn": "#FFE699", "good": "#C6EFCE", "muted": "#EDEDED"}
RAG_WORDS = words.RAG_WORDS
RAG_FILLS = {"Blue": "#9DC3E6", "Green": "#A9D08E", "Amber": "#FFD966", "Red": "#F4B084"}
