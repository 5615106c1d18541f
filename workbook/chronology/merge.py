"""Agency chronologies in, one integrated chronology out (seed 001 §3.7; `scr merge-chronologies`).

Reading (:func:`read_chronology`) opens each agency's file exactly as a returned update sheet is
opened (workbook.update_sheet.read: size and zip-bomb checks, decryption in memory, macros dropped,
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
  column and an event column; other recognised headers are optional and unrecognised columns are
  ignored. Every visible sheet with such a row is read (a chronology split over sheets).
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

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracker import chronology as C
from tracker.chronology import Entry
from tracker.errors import ScrError
from tracker.excel_dates import fmt
# The safe opening of a received workbook lives in workbook.update_sheet.read; reused here, not copied (see _open).
from workbook.update_sheet.read import (Problem, ReceivedFile, Rejected, StopReading, as_text, col_letter, formula_text,
                              is_blank, looks_like_injection, words_of)
from workbook.xlsx.safe import atomic_write

HEADER_SCAN_ROWS = 20
HEADER_SCAN_COLS = 30

SHEET = "Integrated chronology"
AGENCY_SHEET = "Agencies"

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


_REWORD = (("the returned update sheet", "the chronology"), ("returned update sheet", "chronology"),
           ("an update sheet", "a chronology"), ("the Excel update sheet", "the Excel chronology"),
           ("the update sheet", "the chronology"), ("update sheet", "chronology"),
           ("Run the import again", "Run the command again"), ("run the import again", "run the command again"),
           ("Import it again.", "Run the command again."))


def _reword(text: str | None) -> str | None:
    """workbook.update_sheet.read speaks of an update sheet and the import; here it is a chronology."""
    if text:
        for old, new in _REWORD:
            text = text.replace(old, new)
    return text


def _open(path: Path, password: str | None):
    """(openpyxl workbook or None, problems): the received file opened exactly as
    workbook.update_sheet.read opens a returned update sheet -- size limits, zip-bomb and damage checks,
    decryption in memory, macros dropped, links not followed -- with its messages reworded."""
    r = ReceivedFile(path, None, password, dt.date.today())
    wb = None
    try:
        data = r.read_bytes()
        xlsx = r.unwrap(data)
        r.check_zip(xlsx)
        wb = r.load(xlsx)
    except StopReading:
        wb = None
    problems = [Problem(p.file, p.sheet, p.row, p.column, _reword(p.message), _reword(p.fix), p.header)
                for p in r.problems]
    return wb, problems


# ---- reading one chronology --------------------------------------------------------------

class _Sheet:
    def __init__(self, ws, name: str, problems: list, today: dt.date):
        self.ws, self.file, self.problems, self.today = ws, name, problems, today
        self.sheet = ws.title
        self._merged = list(ws.merged_cells.ranges)

    def add(self, message, fix=None, *, row=None, col=None, header=None):
        self.problems.append(Problem(self.file, self.sheet, row, col_letter(col) if isinstance(col, int) else col,
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
                break  # Essex: the summary of themes follows the table
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
                         "Remove the leading =, +, - or @ from the text.", **where(k))
                ok = False
        if not ok:
            return None
        for k in _TEXT_KEYS:
            text[k] = as_text(cells[k].value) if k in cells else ""

        when, time = None, ""
        dk = "date" if "date" in cells else "datetime"
        try:
            when = C.parse_when(cells[dk].value, today=self.today, what="the date", file=self.file, sheet=self.sheet,
                                row=row, column=col_letter(cols[dk]), header=heads[dk])
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
                                    column=col_letter(cols["time"]), header=heads["time"])
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
    wb, problems = _open(path, password)
    if wb is None:
        return [], problems, None
    with open(path, "rb") as f:  # within the size limit: _open checked it
        digest = hashlib.sha256(f.read()).hexdigest()
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


# ---- the name key --------------------------------------------------------------------------

_KEY_HEADS = {"name", "full name", "names", "code", "codes", "initials", "key", "coded as", "anonymised as", "pseudonym"}


def read_name_key(path, *, password: str | None = None) -> dict[str, str]:
    """The key kept apart from the integrated chronology: full name -> code, from the first two
    columns of a .csv/.txt file or of the first sheet of a workbook (an optional header row such
    as Name, Code is skipped). Every problem is reported at once (ChronologyRejected)."""
    path = Path(path)
    problems: list[Problem] = []
    rows: list[tuple[int, object, object]] = []
    sheet = None
    if path.suffix.lower() in (".csv", ".txt"):
        if not path.is_file():
            raise ChronologyRejected([Problem(path.name, None, None, None, "the name key file does not exist.",
                                              "Check the folder and the file name.")])
        raw = path.read_bytes()
        if len(raw) > 1024 * 1024:
            raise ChronologyRejected([Problem(path.name, None, None, None, "the name key file is over 1 MB.",
                                              "Give a two-column file: full name, code.")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        dialect = csv.excel_tab if "\t" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0] else csv.excel
        rows = [(i, *(list(r) + [None, None])[:2]) for i, r in enumerate(csv.reader(io.StringIO(text), dialect), 1)]
    else:
        wb, problems = _open(path, password)
        if wb is None:
            raise ChronologyRejected(problems)
        ws = next((w for w in wb.worksheets if w.sheet_state == "visible"), wb.worksheets[0])
        sheet = ws.title
        for r in sorted({r for (r, c), cell in ws._cells.items() if c <= 2 and not is_blank(cell.value)}):
            a, b = ws.cell(r, 1), ws.cell(r, 2)
            if formula_text(a) is not None or formula_text(b) is not None:
                problems.append(Problem(path.name, sheet, r, None, "the key holds a formula.",
                                        "Type the names and codes as text."))
                continue
            rows.append((r, a.value, b.value))
    key: dict[str, str] = {}
    first = True
    for r, name, code in sorted(rows, key=lambda x: x[0]):
        if is_blank(name) and is_blank(code):
            continue
        if first and words_of(name or "") in _KEY_HEADS and words_of(code or "") in _KEY_HEADS:
            first = False
            continue
        first = False
        n, c = " ".join(as_text(name).split()), " ".join(as_text(code).split())
        if not n or not c:
            problems.append(Problem(path.name, sheet, r, "A" if not n else "B",
                                    "the name key line has a code but no name." if not n else
                                    "the name key line has a name but no code.",
                                    "Give the full name in the first column and its code in the second."))
            continue
        if len(n) < 2:
            problems.append(Problem(path.name, sheet, r, "A", "a one-letter name would replace that letter everywhere.",
                                    "Give full names in the key."))
            continue
        other = next((v for kk, v in key.items() if C.agency_key(kk) == C.agency_key(n)), None)
        if other is not None and other != c:
            problems.append(Problem(path.name, sheet, r, "B", f"this name already has the code '{other}'.",
                                    "Give each name one code."))
            continue
        key[n] = c
    if not key and not problems:
        problems.append(Problem(path.name, sheet, None, None, "the name key has no names in it.",
                                "Give one line per person: full name, code."))
    if problems:
        raise ChronologyRejected(problems)
    return key


# ---- writing the integrated chronology ---------------------------------------------------

# Light fills that keep black text readable and print in greyscale as different greys.
PALETTE = (
    ("light blue", "#DDEBF7"), ("peach", "#FCE4D6"), ("light green", "#E2EFDA"), ("light yellow", "#FFF2CC"),
    ("lavender", "#E4DFEC"), ("aqua", "#DAF2F2"), ("pink", "#F9DADF"), ("light grey", "#E7E6E6"),
    ("sand", "#F2E6D0"), ("mint", "#D5F5E3"), ("sky", "#C9E4F5"), ("apricot", "#FBD5B5"),
)

# (key, header, width in characters)
COLUMNS = (
    ("date", "Date", 12), ("time", "Time", 7), ("family", "Family member(s)", 12),
    ("event", "Event / information", 44), ("agency", "Agency", 17), ("action", "Action taken / response", 32),
    ("child_seen", "Child seen (views and wishes)", 16), ("note", "Note", 26), ("source", "Source", 24),
)
LINE_PT = 12.75  # one line of Arial 10
MAX_ROW_PT = 409  # Excel's tallest row


def colours_for(names: list[str]) -> dict[str, tuple[str, str]]:
    """(colour name, hex fill) per agency, in the order given; past the palette, further light
    tints spread round the colour wheel."""
    import colorsys
    out = {}
    for i, n in enumerate(names):
        if i < len(PALETTE):
            out[n] = PALETTE[i]
        else:
            h = ((i - len(PALETTE)) * 0.618034) % 1.0
            r, g, b = colorsys.hls_to_rgb(h, 0.88, 0.55)
            out[n] = (f"tint {i + 1}", "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255)))
    return out


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` wide: Arial 10 fits about 1.2 characters
    per unit of width (seen in LibreOffice's PDF; a spare line is better than a cut-off one)."""
    per_line = max(int(width * 1.2), 4)
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n")) if text else 1


def _height(lines: int) -> float:
    return min(LINE_PT * lines + 4, MAX_ROW_PT)


def agency_cell(e: Entry) -> str:
    return e.agency + (f"\n{e.detail}" if e.detail else "")


def source_cell(e: Entry) -> str:
    sheet = f", {e.source_sheet}" if e.source_sheet else ""
    return f"{e.source_file}{sheet}, row {e.source_row}"


def shown_date(e: Entry) -> str:
    return e.date_text if e.approximate else fmt(e.date)


def write_integrated(path, entries: list[Entry], *, case_name: str, coded: bool | None = None,
                     password: str | None = None) -> Path:
    """Write the integrated chronology (entries in the order given: merge them first) to ``path``
    atomically: sheet "Integrated chronology" colour coded per agency with a legend, and sheet
    "Agencies". ``coded`` says in the subtitle whether names were coded with a key (None: say
    nothing). ``password`` encrypts the file (Excel's Encrypt with Password)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ScrError("the integrated chronology must be an .xlsx file.", file=path, fix="Give a name ending .xlsx.")
    entries = list(entries)
    if not entries:
        raise ScrError("there are no entries to write.", file=path)

    def write(tmp: Path):
        _write(tmp, entries, case_name=case_name, coded=coded)
        if password:
            from workbook.update_sheet.write import encrypt
            encrypt(tmp, password)
    atomic_write(path, write, keep=3)
    return path


def _write(path: Path, entries: list[Entry], *, case_name: str, coded: bool | None):
    import xlsxwriter

    groups = C.agencies(entries)
    colours = colours_for(list(groups))
    colour_of = {C.agency_key(n): colours[n][1] for n in groups}
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": f"Integrated chronology {case_name}", "author": "", "comments": ""})
    cache: dict = {}

    def F(**kw):
        kw = {"font_name": "Arial", "font_size": 10, "valign": "top", **kw}
        k = tuple(sorted(kw.items()))
        if k not in cache:
            cache[k] = wb.add_format(kw)
        return cache[k]

    ws = wb.add_worksheet(SHEET)
    ncol = len(COLUMNS)
    for j, (_, _, w) in enumerate(COLUMNS):
        ws.set_column(j, j, w)
    dated = [e for e in entries if e.date is not None]
    span = f", {shown_date(dated[0])} to {shown_date(dated[-1])}" if dated else ""
    ws.merge_range(0, 0, 0, ncol - 1, f"Integrated chronology — {case_name}", F(bold=True, font_size=14))
    sub = (f"{len(entries)} entries from {len(groups)} agenc{'y' if len(groups) == 1 else 'ies'}{span}. "
           "In date order: a date known only roughly (e.g. 'June 04 approx') stands at the start of its period. "
           "Facts are dated when they became known to the agency.")
    if coded is True:
        sub += " Names are coded; the key is kept separately and is not in this file."
    elif coded is False:
        sub += " Names are NOT coded: code them with a key before this leaves the panel."
    ws.merge_range(1, 0, 1, ncol - 1, sub, F(italic=True, text_wrap=True, font_color="#404040"))
    ws.set_row(1, _height(_lines(sub, sum(w for *_, w in COLUMNS))))

    # Legend: one agency per row, in its colour, with its number of entries.
    r = 3
    ws.write(r, 0, "Colour key (agency)", F(bold=True))
    ws.write(r, 3, "Entries", F(bold=True))
    for name, es in groups.items():
        r += 1
        ws.merge_range(r, 0, r, 2, name, F(bg_color=colours[name][1], border=1, border_color="#808080",
                                           text_wrap=True))
        ds = [e for e in es if e.date is not None]
        when = f" ({shown_date(ds[0])} to {shown_date(ds[-1])})" if ds else ""
        ws.write(r, 3, f"{len(es)}{when}", F())
        ws.set_row(r, _height(_lines(name, 31)))
    header = r + 2
    head = F(bold=True, bg_color="#D9D9D9", border=1, text_wrap=True)
    for j, (_, h, _) in enumerate(COLUMNS):
        ws.write(header, j, h, head)
    ws.set_row(header, _height(2))

    for i, e in enumerate(entries, header + 1):
        fill = colour_of[C.agency_key(e.agency)]
        cell = F(bg_color=fill, border=1, border_color="#A6A6A6", text_wrap=True)
        values = {"date": shown_date(e), "time": e.time, "family": e.family, "event": e.event,
                  "agency": agency_cell(e), "action": e.action, "child_seen": e.child_seen, "note": e.note,
                  "source": source_cell(e)}
        for j, (k, _, _) in enumerate(COLUMNS):
            if k == "date" and not e.approximate and e.date is not None:
                ws.write_datetime(i, j, dt.datetime.combine(e.date, dt.time()),
                                  F(bg_color=fill, border=1, border_color="#A6A6A6", num_format="dd/mm/yyyy",
                                    align="left"))
            elif values[k]:
                ws.write_string(i, j, values[k], cell)
            else:
                ws.write_blank(i, j, None, cell)
        ws.set_row(i, _height(max(_lines(values[k], w) for k, _, w in COLUMNS)))
    last_row = header + len(entries)
    ws.freeze_panes(header + 1, 0)
    ws.autofilter(header, 0, last_row, ncol - 1)
    ws.repeat_rows(header)
    ws.print_area(0, 0, last_row, ncol - 1)
    _page(ws, case_name)

    wa = wb.add_worksheet(AGENCY_SHEET)
    heads = [("Agency", 28), ("Colour", 14), ("Entries", 9), ("First date", 14), ("Last date", 14), ("From", 40)]
    for j, (h, w) in enumerate(heads):
        wa.write(0, j, h, head)
        wa.set_column(j, j, w)
    for i, (name, es) in enumerate(groups.items(), 1):
        ds = [e for e in es if e.date is not None]
        files = sorted({e.source_file for e in es})
        vals = [name, colours[name][0], len(es), shown_date(ds[0]) if ds else "", shown_date(ds[-1]) if ds else "",
                ", ".join(files)]
        for j, v in enumerate(vals):
            fmt_ = F(border=1, text_wrap=True, bg_color=colours[name][1]) if j in (0, 1) else F(border=1, text_wrap=True)
            if isinstance(v, int):
                wa.write_number(i, j, v, fmt_)
            else:
                wa.write_string(i, j, v, fmt_)
        wa.set_row(i, _height(max(_lines(str(v), w) for v, (_, w) in zip(vals, heads))))
    wa.write_string(len(groups) + 1, 0, "Total", F(bold=True, border=1))
    wa.write_number(len(groups) + 1, 2, len(entries), F(bold=True, border=1))
    wa.freeze_panes(1, 0)
    wa.repeat_rows(0)
    _page(wa, case_name)
    wb.close()


def _page(ws, case_name: str):
    amp = lambda s: str(s).replace("&", "&&")  # noqa: E731
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&8Integrated chronology&C&8{amp(case_name)}&R&8OFFICIAL-SENSITIVE")
    ws.set_footer("&L&8Printed &D&R&8Page &P of &N")


# ---- scr merge-chronologies ----------------------------------------------------------------

@dataclass
class Merged:
    path: Path
    entries: list[Entry]
    per_agency: dict[str, int]
    coded: bool
    names_left: dict[str, int] = field(default_factory=dict)
    key_names: int = 0

    def summary(self) -> str:
        files = len({e.source_file for e in self.entries})
        lines = [f"Integrated chronology: {self.path} ({len(self.entries)} entries from {files} file"
                 f"{'s' if files != 1 else ''}, {len(self.per_agency)} agenc{'y' if len(self.per_agency) == 1 else 'ies'})"]
        width = max(len(a) for a in self.per_agency)
        for a, n in self.per_agency.items():
            lines.append(f"  {a:<{width}}  {n:>4} entr{'y' if n == 1 else 'ies'}")
        dated = [e for e in self.entries if e.date is not None]
        if dated:
            lines.append(f"Dates: {shown_date(dated[0])} to {shown_date(dated[-1])}.")
        if self.coded:
            lines.append(f"Names coded with the key ({self.key_names} name{'s' if self.key_names != 1 else ''}); "
                         "the key is not in the file.")
            if self.names_left:
                lines.append("Check before it leaves the panel: parts of names in the key still appear: "
                             + ", ".join(f"{p} ({n} entr{'y' if n == 1 else 'ies'})" for p, n in self.names_left.items())
                             + ".")
        else:
            lines.append("Names are not coded (no --key): code them before the chronology goes to Ofsted.")
        return "\n".join(lines)


def merge_files(out, files, *, case_name: str | None = None, key_path=None, password: str | None = None,
                encrypt: bool = False, today: dt.date | None = None) -> Merged:
    """Read every agency chronology (all or nothing), merge them, code names with the key if
    given, and write the integrated chronology to ``out``. Nothing is written if anything is wrong."""
    out = Path(out)
    files = [Path(f) for f in files]
    if out.suffix.lower() != ".xlsx":
        raise ScrError("the integrated chronology must be an .xlsx file.", file=out, fix="Give OUT a name ending .xlsx.")
    if not files:
        raise ScrError("no agency chronologies were given.", fix="Give the agencies' chronology files after OUT.")
    for f in files + ([Path(key_path)] if key_path else []):
        if f.exists() and out.exists() and f.resolve() == out.resolve():
            raise ScrError("OUT is also one of the files to read, so it would be overwritten.", file=out,
                           fix="Give the integrated chronology a new file name.")
    if encrypt and not password:
        raise ScrError("--encrypt needs the case password.", fix="Give --password (or set SCR_CASE_PASSWORD).")
    problems: list[Problem] = []
    entries: list[Entry] = []
    try:
        entries = read_chronologies(files, password=password, today=today)
    except ChronologyRejected as e:
        problems.extend(e.problems)
    key: dict[str, str] = {}
    if key_path:
        try:
            key = read_name_key(key_path, password=password)
        except ChronologyRejected as e:
            problems.extend(e.problems)
    if problems:
        raise ChronologyRejected(problems)
    merged = C.merge(entries)
    left: dict[str, int] = {}
    if key:
        merged = C.code_names(merged, key)
        left = C.names_left(merged, key)
    name = case_name or out.stem
    if key:
        name = C.code_text(name, key)
    write_integrated(out, merged, case_name=name, coded=bool(key), password=password if encrypt else None)
    per_agency = {a: len(es) for a, es in C.agencies(merged).items()}
    return Merged(out, merged, per_agency, bool(key), left, len(key))
