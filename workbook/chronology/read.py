"""Reading agency chronologies (seed 001 §3.7), for `scr merge-chronologies` (workbook.commands.merge_chronologies).

Reading (:func:`read_chronology`) opens each agency's file (a Word document's tables are read as
sheets: workbook.chronology.word) exactly as a returned update sheet is opened (workbook.update_sheet.read: size and zip-bomb checks, decryption in memory, macros dropped,
formulas read as formulas and refused, external links not followed, nothing written) and finds
the chronology table by its header words, so the seeds' layouts are all read:

* Rotherham (seed 001 §3.7): Date | Family Member (s) | Event/ Information (include those
  present) | Agency (Source of Information) | Action Taken/other agency response | Child seen
  (any views and wishes noted) | Note -- with Time where given, and "Chronology for: <agency>" or
  "Agency: <agency>" above the table;
* Bolton (seed 002 Appendix 1): DATE (dd.mm.yy) | Agency | Name of Worker | EVENT/ACTION, under
  "AGENCY ......";
* Durham (seed 000 §6): Date & Time | Event | Source (an agency code: POL, CYPS, ...) |
  Participation | Outcome | Issues;
* Essex (seed 004): a Comments column, and a "Summary of themes" after the table.

Decisions (the board manager relies on them):

* The header row is the first row, within the first 20 of a visible sheet, that names a date
  column and an event column; other recognised headers are optional, and a column with a header
  the tracker does not know (a "Who" column of initials, a reference) is kept: its text goes into
  the line's Note as "Header: text", so nothing an agency sent is dropped. Every visible sheet with
  such a row is read (a chronology split over sheets).
* Durham's Participation (who took part) is read as Family member(s); its Outcome as Action
  taken; Source as Agency; Issues, Essex's Comments and any Notes column as Note. Bolton's EVENT/
  ACTION is the event; its Name of Worker is kept as the entry's ``detail``.
* The agency: when an "Agency:" (or "Chronology for:", Bolton's "AGENCY ....") line above the
  table names it, every line of that sheet belongs to that agency, and an Agency column that says
  something else on a line (a part of the service, a worker, the source of the information) is
  kept as ``detail``. Without such a line, the Agency column names each line's agency. A line with
  neither is a problem.
* Lines are read until the end of the sheet; blank lines are skipped (so are lines with text
  only in unrecognised columns, e.g. pre-numbered rows, a repeated header row and the template's
  "(Example)" marker). A line whose first cell starts "Summary" (Essex's summary of themes) ends
  the table. Every other line needs a date (seed 001: "Please put an entry in this column, even if
  it is something like 'June 04 approx'") and an event or action. The Bolton template's example
  text left in is a problem.
* A vertically merged date (or any merged cell) counts for every line it covers, as it shows.
* Every problem in a file is reported at once, each with its file, sheet, row and column; a set
  of files is all or nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from pathlib import Path

from tracker import chronology as C
from tracker.chronology import Entry
from tracker.errors import ScrError
# The safe opening of a received workbook lives in workbook.update_sheet.read; reused here, not copied (see _open).
from tracker.text import is_blank, words_of
from workbook.chronology.word import is_word, word_workbook
from workbook.xlsx.refs import col_letters
from workbook.xlsx.untrusted import (MAX_FILE_BYTES, Problem, Rejected, StopReading, UntrustedFile, as_text,
                                     formula_text, looks_like_injection)

HEADER_SCAN_ROWS = 20
HEADER_SCAN_COLS = 30


# Header words, after _header_words (lower case, bracketed text and punctuation dropped).
_HEADERS = {
    "date": ("date", "dates", "date of event", "event date", "date of contact", "date dd mm yy", "date dd mm yyyy",
             "date of entry", "when"),
    "datetime": ("date time", "date and time", "date time of event", "date and time of event"),
    "time": ("time", "time 24hr", "time 24 hr", "time 24 hour", "time of event", "time of day"),
    "family": ("family member", "family members", "family member s", "family", "initials", "subject", "subjects",
               "subject of entry", "subject s of entry", "family members subject s of entry", "family member initials",
               "participation", "participants", "person", "persons", "individual"),
    "event": ("event", "events", "event information", "information", "event action", "event details", "details",
              "details of event", "description", "event description", "summary of event", "event summary",
              "information event", "what happened", "nature of contact", "contact"),
    "agency": ("agency", "agency source", "agency source of information", "source", "source of information",
               "agency service", "organisation", "organization", "service", "agency code", "agency name"),
    "detail": ("name of worker", "worker", "worker name", "name of worker s", "professional", "professionals",
               "professional involved", "professionals involved", "staff", "staff member", "practitioner",
               "worker role", "role"),
    "action": ("action taken", "action", "actions", "action taken other agency response", "other agency response",
               "response", "outcome", "outcomes", "action taken response", "action response", "outcome action",
               "decision", "action outcome", "actions taken"),
    "child_seen": ("child seen", "child seen views and wishes", "child seen any views and wishes noted",
                   "views and wishes", "child s views", "child s views and wishes", "was the child seen",
                   "child seen y n", "seen", "voice of the child", "child seen views"),
    "note": ("note", "notes", "comment", "comments", "issues", "issue", "analysis", "comments analysis",
             "comments and analysis", "analysis comments", "observations", "practice comments", "reviewer comments",
             "iar comments", "comments observations"),
}
_HEADER_KEY = {w: k for k, words in _HEADERS.items() for w in words}
_BY_LENGTH = sorted(_HEADER_KEY, key=len, reverse=True)
_TEXT_KEYS = ("family", "event", "agency", "detail", "action", "child_seen", "note")

# An "Agency:" line above the table; Rotherham's "Chronology for: Agency"; Bolton's "AGENCY ......".
_AGENCY_LABEL = re.compile(r"^\s*(?:agency(?:\s*/\s*service)?(?:\s+name)?|name\s+of\s+agency|chronology\s+for)"
                           r"\s*(?:[:\-\u2013\u2014.\u2026_]+\s*(.*)|$)", re.I | re.S)
_FILLER = " \t.\u2026:;-\u2013\u2014_"
_BOLTON_EXAMPLE = "this text can be removed so that you can enter your own text"


def _header_words(v) -> str:
    return re.sub(r"(\s\d+)+$", "", words_of(re.sub(r"\([^)]*\)", " ", str(v))))


def _header_key(v) -> str | None:
    if not isinstance(v, str) or not v.strip():
        return None
    for w in (_header_words(v), re.sub(r"(\s\d+)+$", "", words_of(v))):
        if w in _HEADER_KEY:
            return _HEADER_KEY[w]
    w = _header_words(v)
    for syn in _BY_LENGTH:  # "Date of referral to us" -> date; longest synonym first
        if w.startswith(syn + " "):
            return _HEADER_KEY[syn]
    return None


# ---- problems ------------------------------------------------------------------------------

class ChronologyRejected(Rejected):
    """Agency chronologies that cannot be merged; ``problems`` lists everything found in them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        files = sorted({p.file for p in self.problems if p.file})
        super().__init__(
            f"the chronologies were not merged: {n} problem{'s' if n != 1 else ''} found in "
            f"{len(files)} file{'s' if len(files) != 1 else ''}; nothing was written.",
            fix="Correct each point below (or ask the agency to, and to send the chronology again), then merge again.")


class ReceivedChronology(UntrustedFile):
    """An agency's chronology, opened exactly as a returned update sheet is: size limits, zip-bomb
    and damage checks, decryption in memory, macros dropped, links not followed; the messages in
    a chronology's words."""
    REWORD = (("the returned update sheet", "the chronology"), ("returned update sheet", "chronology"),
              ("an update sheet", "a chronology"), ("the Excel update sheet", "the Excel chronology"),
              ("the update sheet", "the chronology"), ("update sheet", "chronology"),
              ("Run the import again", "Run the command again"), ("run the import again", "run the command again"),
              ("Import it again.", "Run the command again."))


def open_received(path: Path, password: str | None):
    """(openpyxl workbook or None, problems): a received chronology or key opened safely."""
    r = ReceivedChronology(path, password)
    try:
        wb, _digest = r.open()
    except StopReading:
        wb = None
    return wb, r.problems


# ---- reading one chronology --------------------------------------------------------------

class _Sheet:
    def __init__(self, ws, name: str, problems: list, today: dt.date):
        self.ws, self.file, self.problems, self.today = ws, name, problems, today
        self.sheet = ws.title
        self._merged = list(ws.merged_cells.ranges)
        self.others: dict[int, str] = {}  # column -> header of the columns the tracker does not know

    def add(self, message, fix=None, *, row=None, col=None, header=None):
        self.problems.append(Problem(self.file, self.sheet, row, col_letters(col) if isinstance(col, int) else col,
                                     message, fix, header))

    def cell(self, row: int, col: int):
        c = self.ws.cell(row, col)
        if type(c).__name__ == "MergedCell":
            for rng in self._merged:
                if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
                    return self.ws.cell(rng.min_row, rng.min_col)
        return c

    def find_header(self):
        for row in range(1, HEADER_SCAN_ROWS + 1):
            cols: dict[str, int] = {}
            for c in range(1, HEADER_SCAN_COLS + 1):
                k = _header_key(self.ws.cell(row, c).value)
                if k and k not in cols:
                    cols[k] = c
            if ("date" in cols or "datetime" in cols) and "event" in cols:
                return row, cols
        return None

    def agency_label(self, header_row: int) -> tuple[str | None, int | None]:
        """(the agency named above the table, its row): None when there is no such line, "" when
        the line is there but left blank (or still reads 'Agency', the template's placeholder)."""
        blank_at = None
        for row in range(1, header_row):
            for c in range(1, HEADER_SCAN_COLS + 1):
                v = self.ws.cell(row, c).value
                if not isinstance(v, str):
                    continue
                m = _AGENCY_LABEL.match(v)
                if not m:
                    continue
                rest = (m.group(1) or "").strip(_FILLER)
                if not rest or rest.casefold() == "agency":
                    for c2 in range(c + 1, HEADER_SCAN_COLS + 1):
                        v2 = self.ws.cell(row, c2).value
                        if not is_blank(v2) and str(v2).strip(_FILLER):
                            rest = str(v2).strip(_FILLER)
                            break
                if rest.casefold() == "agency":
                    rest = ""
                if rest:
                    return " ".join(rest.split()), row
                blank_at = blank_at or row
        return ("", blank_at) if blank_at else (None, None)

    def read(self, header_row: int, cols: dict[str, int]) -> list[Entry]:
        ws = self.ws
        label, label_row = self.agency_label(header_row)
        if "agency" not in cols and not label:
            if label == "":
                self.add("the 'Agency' line above the table is blank and there is no Agency column, so it is not "
                         "known which agency this chronology is from.", "Type the agency's name beside 'Agency:'.",
                         row=label_row)
            else:
                self.add("this chronology does not say which agency it is from (no 'Agency:' line above the table "
                         "and no Agency column).", "Add a line 'Agency: <name>' above the table (seed: 'note your "
                         "agency at the top of the front sheet ... and in the Agency column for every line').")
            return []
        heads = {k: ws.cell(header_row, c).value for k, c in cols.items()}
        # columns the tracker does not know (a "Who" column, an internal reference): kept, never dropped
        self.others = {c: " ".join(str(ws.cell(header_row, c).value).split()) for c in range(1, HEADER_SCAN_COLS + 1)
                       if c not in cols.values() and not is_blank(ws.cell(header_row, c).value)}
        first_col = min(cols.values())
        # Rows holding anything (openpyxl's own cell store, as workbook.update_sheet.read reads it: fast,
        # and blind to the formatting-only rows a sheet may have to the bottom).
        rows = sorted({r for (r, _c), cell in ws._cells.items() if r > header_row and not is_blank(cell.value)})
        out: list[Entry] = []
        for row in rows:
            cells = {k: self.cell(row, c) for k, c in cols.items()}
            values = {k: cell.value for k, cell in cells.items()}
            if all(is_blank(v) for v in values.values()):
                continue  # text only in columns that are not the chronology's
            texts = [str(v).strip() for k, v in sorted(values.items(), key=lambda kv: cols[kv[0]]) if not is_blank(v)]
            if all(_header_key(v) == k for k, v in values.items() if not is_blank(v)):
                continue  # the header repeated (a table copied page by page)
            if [t.casefold().strip("()") for t in texts] == ["example"]:
                continue  # Bolton's "(Example)" marker
            first = self.cell(row, first_col).value
            date_cell = values.get("date", values.get("datetime"))
            if (isinstance(first, str) and first.strip().casefold().startswith("summary")
                    and (date_cell == first or is_blank(date_cell))):
                # Essex: the summary of themes follows the table; kept with the agency's lines
                summary = "\n".join(as_text(ws.cell(r, c).value) for r in rows if r >= row
                                     for c in range(1, HEADER_SCAN_COLS + 1)
                                     if isinstance(ws.cell(r, c).value, str) and ws.cell(r, c).value.strip()
                                     and not looks_like_injection(ws.cell(r, c).value))
                return [replace(e, summary=summary) for e in out]
            entry = self.line(row, cols, cells, heads, label)
            if entry is not None:
                out.append(entry)
        return out

    def line(self, row, cols, cells, heads, label) -> Entry | None:
        where = lambda k: dict(row=row, col=cols[k], header=heads[k])  # noqa: E731
        ok = True
        text: dict[str, str] = {}
        for k in _TEXT_KEYS + ("date", "datetime", "time"):
            if k not in cells:
                continue
            formula = formula_text(cells[k])
            if formula is not None:
                self.add(f"the cell holds a formula ({formula[:40]}); a chronology is read as typed text only.",
                         "Replace the formula by the text or date it shows (copy, Paste Special > Values).", **where(k))
                ok = False
            elif looks_like_injection(cells[k].value):
                self.add("the text begins like a spreadsheet formula (=, +, - or @ with a command), which is refused.",
                         "Remove the leading =, {=, +, - or @ from the text.", **where(k))
                ok = False
        kept = []
        for c, head in self.others.items():
            cell = self.cell(row, c)
            if is_blank(cell.value):
                continue
            if formula_text(cell) is not None or looks_like_injection(cell.value):
                self.add("the cell holds a formula, or text that begins like one; a chronology is read as typed "
                         "text only.", "Replace it by the text it shows, without a leading =, +, - or @.",
                         row=row, col=c, header=head)
                ok = False
            else:
                kept.append(f"{head}: {as_text(cell.value)}")
        if not ok:
            return None
        for k in _TEXT_KEYS:
            text[k] = as_text(cells[k].value) if k in cells else ""
        if kept:  # shown in the Note column, where the names in them are coded with the rest
            text["note"] = "\n".join(x for x in (text["note"], *kept) if x)

        when, time = None, ""
        dk = "date" if "date" in cells else "datetime"
        try:
            when = C.parse_when(cells[dk].value, today=self.today, what="the date", file=self.file, sheet=self.sheet,
                                row=row, column=col_letters(cols[dk]), header=heads[dk])
        except ScrError as e:
            self.problems.append(Problem(e.file, e.sheet, e.row, e.column, e.message, e.fix, e.header))
            ok = False
        if when is None and ok:
            self.add("this line has no date.", "Give the date as dd/mm/yy, or e.g. 'June 04 approx' when only "
                     "roughly known (seed: 'Please put an entry in this column').", **where(dk))
            ok = False
        if "time" in cells and not is_blank(cells["time"].value):
            try:
                time = C.parse_time(cells["time"].value, what="the time", file=self.file, sheet=self.sheet, row=row,
                                    column=col_letters(cols["time"]), header=heads["time"])
            except ScrError as e:
                self.problems.append(Problem(e.file, e.sheet, e.row, e.column, e.message, e.fix, e.header))
                ok = False
        elif when is not None:
            time = when.time
        if not text["event"] and not text["action"]:
            self.add("this line has no event or action.",
                     "Say what happened (Event / information), or delete the line.", **where("event"))
            ok = False
        if text["event"].casefold().startswith(_BOLTON_EXAMPLE):
            self.add("this is the template's example line, still in the chronology.", "Delete the example line.",
                     **where("event"))
            ok = False
        agency, detail = text["agency"], text["detail"]
        if label:
            if agency and C.agency_key(agency) != C.agency_key(label):
                detail = "; ".join(x for x in (agency, detail) if x)
            agency = label
        elif not agency:
            self.add("this line does not say which agency it is from.",
                     "Give the agency in the Agency column on every line, or an 'Agency:' line above the table.",
                     **where("agency"))
            ok = False
        if not ok:
            return None
        return Entry(date=when.date, date_text=when.text, approximate=when.approximate, time=time,
                     family=text["family"], event=text["event"], agency=" ".join(agency.split()),
                     action=text["action"], child_seen=text["child_seen"], note=text["note"],
                     source_file=self.file, source_row=row, detail=detail, source_sheet=self.sheet)


def _read(path: Path, password: str | None, today: dt.date) -> tuple[list[Entry], list[Problem], str | None]:
    """(entries, problems, sha256 of the file as received) -- never raises for a bad file."""
    try:
        with open(path, "rb") as f:
            head = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        head = b""  # opening it properly says what is wrong
    if is_word(head):  # a Word chronology: its tables read as sheets (workbook.chronology.word)
        wb, problems = word_workbook(path, head)
    else:
        wb, problems = open_received(path, password)
    if wb is None:
        return [], problems, None
    digest = hashlib.sha256(head).hexdigest()  # within the size limit: it was checked on opening
    entries: list[Entry] = []
    found = False
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        sheet = _Sheet(ws, path.name, problems, today)
        header = sheet.find_header()
        if header is None:
            continue
        found = True
        entries.extend(sheet.read(*header))
    if not found:
        problems.append(Problem(path.name, None, None, None,
                                "no chronology table was found: no sheet has a header row (within its first "
                                f"{HEADER_SCAN_ROWS} rows) with a Date and an Event column.",
                                "Use the chronology template's headings: Date, Time, Family member(s), Event / "
                                "information, Agency, Action taken, Child seen, Note."))
    elif not entries and not problems:
        problems.append(Problem(path.name, None, None, None, "the chronology has no entries.",
                                "Check this is the agency's completed chronology, not the blank template."))
    return entries, problems, digest


def looks_like_chronology(wb) -> bool:
    """Has a visible sheet a chronology's header row (a Date and an Event column)? For `scr import`,
    to tell a board manager who gave it a chronology what to do with it."""
    return any(ws.sheet_state == "visible" and _Sheet(ws, "", [], dt.date.today()).find_header() is not None
               for ws in wb.worksheets)


def read_chronology(path, *, password: str | None = None, today: dt.date | None = None) -> list[Entry]:
    """One agency's chronology as entries in its own order, or ChronologyRejected listing every
    problem in it. ``password`` opens an encrypted file (in memory); ``today`` (default: the real
    today) is the latest acceptable date. Nothing is ever written."""
    entries, problems, _ = _read(Path(path), password, today or dt.date.today())
    if problems:
        raise ChronologyRejected(problems)
    return entries


def read_chronologies(paths, *, password: str | None = None, today: dt.date | None = None) -> list[Entry]:
    """Every file's entries, or ChronologyRejected listing every problem in every file (all or
    nothing). The same file given twice (same contents) is a problem too."""
    today = today or dt.date.today()
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for p in map(Path, paths):
        got, probs, digest = _read(p, password, today)
        if digest and digest in seen:
            probs.append(Problem(p.name, None, None, None, f"this file is the same as {seen[digest]} (given twice).",
                                 "Give each agency's chronology once."))
        elif digest:
            seen[digest] = p.name
        entries.extend(got)
        problems.extend(probs)
    if problems:
        raise ChronologyRejected(problems)
    return entries
