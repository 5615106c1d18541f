"""Read ONE update sheet an agency sent back: its validated updates, or every problem with it.

Reading never writes anything (not the returned file, not the case, no temporary files: an
encrypted file is decrypted in memory) and never runs or evaluates anything: macros are dropped
on load (``keep_vba=False``), formulas are read as formulas and refused, external links are not
followed. Whatever is wrong is reported at once, as a list of :class:`Problem`, each naming the
file, sheet, row, column (letter and header), what is wrong and what the *agency* should do.
Reading stops early only where reading further is impossible or meaningless (a file that is not
a workbook, a hidden record that does not verify, rows added or moved).

Two kinds of return are read:

``"issued sheet"``
    The update sheet the tracker issued (workbook.update_sheet.write, format in workbook.update_sheet.layout).
    Its very hidden record sheet "_scr" says which case, agency and actions it was issued for and
    carries an HMAC signature made with the case's private key, so the return is *verified*: it
    was issued by this Board for this case, and every locked cell is still as issued.

``"action record"``
    A return typed on the seeds' own "Serious Case Review Action Record" layout (seed 001 §3.6
    section 6 and p.56) by an agency that did not use the issued sheet: a table whose header row
    (within the first 15 rows) has Recommendation, Action, Responsible Individual, Target date,
    Evidence/Progress and Date of Update, with an "Agency:" label above it. Each row is matched to
    ONE action of that agency by its text (see :func:`_match_action`). **Nothing in such a file
    can be verified** -- there is no record and no signature -- so the importer must label what it
    takes from it as unverified. A returned issued sheet whose "_scr" sheet was deleted is read
    this way too (its headers are recognised), and is equally unverified.

Decisions (documented here because the importer and the Board rely on them):

* Date of update: must be a real date, not after ``today`` and not earlier than one update cycle
  (the case's CycleMonths setting, default 3 months, counted as EDATE) before the sheet's issue
  date. An update written before the previous round was even due belongs to that round; an older
  date is nearly always a typing slip (wrong year). Action records have no issue date, so only
  the "not in the future" rule applies to them.
* Revised target date: needs a reason and a reason needs a revised date; it may not be before the
  row's date of update (a new deadline already passed is not a plan) and not more than 5 years
  after ``today`` (a wrong year).
* A row with a status, progress, evidence or a revised target but no date of update is refused
  ("give the date of this update"); a row with only a date and nothing else is refused too; a row
  left completely blank is fine (no update for that action). A file with nothing filled in at all
  is refused.
* Status words are read by tracker.rag.parse_status ("Completed" -> complete - awaiting sign-off).
* A cell that holds a formula, or text that a spreadsheet could run as one (it begins with =, +,
  - or @ and contains "|", or begins with "@name(" -- CSV/DDE injection), is refused.
* Signature: the record values are taken as read from the cells (a date cell as its ISO date, a
  whole float as an int). Because a cell cannot tell "" from None and the JSON fields may be
  signed as their text or as their parsed lists, each of those renderings is tried; every one of
  them still needs the case key, so this widens nothing an outsider can forge.
* The record sheet need not still be *very* hidden (unhiding it changes nothing that is signed).
* Cells typed outside the table (to the right of it, or below the issued rows) are refused: they
  would otherwise be silently lost.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import warnings
import zipfile

from openpyxl.utils import range_boundaries
from pathlib import Path

from tracker.errors import ScrError
from tracker.excel_dates import fmt, parse_date
from tracker.rag import edate, parse_status
from tracker.updates import KIND_ACTION_RECORD, KIND_ISSUED, Returned, ReturnedRow, check_row
from workbook.update_sheet import layout as AL


# Zip-bomb defence, besides agency_layout's MAX_* limits: a member that expands more than
# MAX_RATIO times AND to more than RATIO_MIN_BYTES is refused before anything parses it.
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024
_CHUNK = 64 * 1024

HEADER_SCAN_ROWS = 15      # the action record's header row is looked for in these rows ...
HEADER_SCAN_COLS = 30      # ... and columns
MAX_LISTED = 100           # str(ReturnRejected) lists this many problems, then counts the rest

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_COLS = {c.key: c for c in AL.COLUMNS}
_COL_NO = {c.key: i for i, c in enumerate(AL.COLUMNS, 1)}

ASK_FOR_NEW = "Please ask the Board for a new update sheet, copy your updates into it and return that."


# ---- results ------------------------------------------------------------------------------

class Problem(ScrError):
    """One thing wrong with a returned file; ``fix`` says what the agency should do."""

    def __init__(self, file, sheet, row, column, message, fix=None, header=None):
        super().__init__(message, file=file, sheet=sheet, row=row, column=column, fix=fix, header=header)


class Rejected(ScrError):
    """A refusal listing every problem found (the first MAX_LISTED of them)."""

    problems: list

    def __str__(self) -> str:
        lines = [ScrError.__str__(self)] + ["  - " + str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  ... and {len(self.problems) - MAX_LISTED} more problems.")
        return "\n".join(lines)


class ReturnRejected(Rejected):
    """A returned file that cannot be imported; ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        file = next((p.file for p in self.problems if p.file), None)
        super().__init__(
            f"this returned update sheet was not imported: {n} problem{'s' if n != 1 else ''} found, "
            "nothing was taken from it.",
            file=file,
            fix="Send the list below to the agency: they should correct each point in the update sheet "
                "they were sent and return it.")


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]+)"')
MAX_MERGED_CELLS = 100_000


class StopReading(Exception):
    """Reading further is impossible; the problems so far are the answer."""


# ---- small helpers ------------------------------------------------------------------------

def is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _squash(v) -> str:
    return " ".join(str(v).split()).casefold()


def words_of(v) -> str:
    """Lower case, punctuation to spaces: for matching typed text and headers."""
    return " ".join(re.sub(r"[^\w]+", " ", str(v).casefold()).split())


def col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(col)


def _show(v, limit: int = 60) -> str:
    """A cell value the way a person would recognise it in a message."""
    if is_blank(v):
        return "(blank)"
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return fmt(v)
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
        try:
            return fmt(dt.date.fromisoformat(v.strip()))
        except ValueError:
            pass
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = " ".join(str(v).split())
    return f"'{s[:limit]}…'" if len(s) > limit else f"'{s}'"


def as_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return fmt(v)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


_INJECTION = (
    re.compile(r"^[=+\-@].*\|", re.S),          # =cmd|' /C calc'!A0, +cmd|..., -cmd|..., @SUM(...)*cmd|...
    re.compile(r"^@\s*[A-Za-z_][\w.]*\s*\("),   # @SUM( ... : an implicit-intersection function call
    re.compile(r"^="),                          # anything else Excel would take as a formula
)


def formula_text(cell) -> str | None:
    """The formula a cell holds (openpyxl formula objects included), or None."""
    v = cell.value
    if cell.data_type == "f":
        text = getattr(v, "text", v)  # ArrayFormula keeps its text in .text
        return str(text if text is not None else "=")
    if not isinstance(v, (str, int, float, bool, dt.date, dt.datetime, dt.time, type(None))):
        return str(v)  # DataTableFormula and friends
    return None


def looks_like_injection(v) -> bool:
    if not isinstance(v, str):
        return False
    t = v.lstrip(" \t\r\n\u00a0\u200b\ufeff\"'")
    return any(p.search(t) for p in _INJECTION)


def _lock_norm(v, kind: str) -> str:
    """A locked value as text, so a date cell, its ISO text and its dd/mm/yyyy all compare equal,
    and 1, 1.0 and "1" do too."""
    if is_blank(v):
        return ""
    if kind == "date":
        try:
            d = parse_date(v)
            return d.isoformat() if d else ""
        except ScrError:
            pass
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


def _plain(v):
    """A record cell's value as the issuer signed it: dates ISO, whole floats as ints."""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _record_renderings(raw: dict) -> list[dict]:
    base = {k: _plain(raw.get(k)) for k in AL.RECORD_KEYS}
    out = []
    for blanks in (None, ""):
        rec = {k: (blanks if v is None else v) for k, v in base.items()}
        out.append(rec)
        parsed = dict(rec)
        for k in ("action_ids", "locked_cells"):
            if isinstance(parsed[k], str):
                try:
                    parsed[k] = json.loads(parsed[k])
                except ValueError:
                    pass
        out.append(parsed)
    return out


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" is UTF-16
        return True
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(sample) - 4:  # not just a character cut at the sample's end
            text = sample.decode("cp1252", errors="replace")
        else:
            text = sample[:e.start].decode("utf-8")
    if not text:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable / len(text) > 0.95


# ---- the reader ---------------------------------------------------------------------------

class ReceivedFile:
    def __init__(self, path: Path, case, password, today: dt.date):
        self.path = path
        self.name = path.name
        self.case = case
        self.password = password
        self.today = today
        self.problems: list[Problem] = []

    # problems
    def add(self, message, fix=None, *, sheet=None, row=None, col: int | str | None = None, header=None):
        letter = col_letter(col) if isinstance(col, int) else col
        self.problems.append(Problem(self.name, sheet, row, letter, message, fix, header))

    def stop(self, message, fix=None, **where):
        self.add(message, fix, **where)
        raise StopReading

    # a. the file
    def read_bytes(self) -> bytes:
        p = self.path
        if not p.exists():
            self.stop("the file does not exist.", "Check the folder and the file name.")
        if not p.is_file():
            self.stop("this is a folder, not a file.", "Give the returned update sheet itself.")
        size = p.stat().st_size
        if size == 0:
            self.stop("the file is empty (0 bytes): it was not saved properly or was lost in sending.",
                      "Please open the update sheet in Excel, save it, and send the saved file again.")
        if size > AL.MAX_FILE_BYTES:
            self.stop(f"the file is {size / 1048576:.1f} MB, over the {AL.MAX_FILE_BYTES / 1048576:g} MB limit for a "
                      "returned update sheet (which is normally well under 1 MB), so it was not opened.",
                      "Please return only the update sheet you were sent, with no pictures or documents pasted "
                      "into it (send evidence documents separately).")
        with open(p, "rb") as f:
            data = f.read(AL.MAX_FILE_BYTES + 1)
        if len(data) > AL.MAX_FILE_BYTES:
            self.stop("the file grew beyond the size limit while it was being read.", "Import it again.")
        if not data:
            self.stop("the file is empty (0 bytes).", "Please save the update sheet again and re-send it.")
        return data

    def unwrap(self, data: bytes) -> bytes:
        """The .xlsx bytes inside what was received (decrypted if it was password-protected)."""
        if data.startswith(OLE_MAGIC):
            return self.ole(data)
        if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
            return data
        if _looks_like_text(data):
            head = data[:512].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").replace(b"\x00", b"").lower()
            if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"mime-version")):
                self.stop("this is a web page or XML file (perhaps saved as 'Web Page' or 'XML Spreadsheet'), "
                          "not the Excel update sheet.",
                          "Please return the Excel update sheet you were sent, saved as an Excel Workbook (.xlsx).")
            self.stop("this is a CSV/text file; please return the Excel update sheet you were sent.",
                      "Open the update sheet you were sent (an .xlsx file), fill it in and save it as an "
                      "Excel Workbook (.xlsx); do not save it as CSV or text.")
        self.stop("this is not an Excel workbook (the file's contents are not a spreadsheet).",
                  "Please return the Excel update sheet (.xlsx) you were sent.")

    def ole(self, data: bytes) -> bytes:
        import msoffcrypto
        import olefile
        from msoffcrypto import exceptions as mexc
        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                streams = {"/".join(s).casefold() for s in ole.listdir(streams=True, storages=False)}
        except Exception:
            self.stop("the file is damaged: it starts like an Office file but cannot be read.",
                      "Please save the update sheet again in Excel and re-send it.")
        if {"encryptioninfo", "encryptedpackage"} <= streams:
            if self.password is None:
                self.stop("the file is password-protected; run with --password.",
                          "Run the import again with --password and the password the file was protected with "
                          "(the case password, or the one the agency tells you by a separate message).")
            try:
                office = msoffcrypto.OfficeFile(io.BytesIO(data))
                office.load_key(password=self.password, verify_password=True)
                out = io.BytesIO()
                office.decrypt(out)
            except mexc.InvalidKeyError:
                self.stop("the password given does not open this file (wrong password).",
                          "Check the password (capitals matter) and run the import again; if it still fails, ask "
                          "the agency which password they used.")
            except Exception as e:
                self.stop(f"the password-protected file could not be decrypted ({type(e).__name__}); it may be "
                          "damaged or use an encryption Excel does not use.",
                          "Please save the update sheet again in Excel (File > Save As > Excel Workbook) and "
                          "re-send it.")
            plain = out.getvalue()
            if len(plain) > AL.MAX_UNZIPPED_BYTES:
                self.stop("the decrypted workbook is too large to be an update sheet.",
                          "Please return only the update sheet you were sent.")
            if plain[:4] != b"PK\x03\x04":
                self.stop("the password-protected file does not contain an Excel workbook.",
                          "Please return the Excel update sheet (.xlsx) you were sent.")
            return plain
        if "workbook" in streams or "book" in streams:
            self.stop("this is an old-style Excel 97-2003 workbook (.xls), which the tracker does not read.",
                      "Please fill in the .xlsx update sheet you were sent; if you copied it, use File > Save As > "
                      "'Excel Workbook (.xlsx)'.")
        if "worddocument" in streams:
            self.stop("this is a Word document, not the Excel update sheet.",
                      "Please return the Excel update sheet (.xlsx) you were sent.")
        self.stop("this is an Office file but not an Excel workbook.",
                  "Please return the Excel update sheet (.xlsx) you were sent.")

    def check_zip(self, data: bytes) -> None:
        """Everything about the zip container, before any XML in it is parsed."""
        damaged = ("Please save the update sheet again in Excel and re-send it as an attachment "
                   "(the copy received may have been cut short).")
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
        except Exception:
            self.stop("the file is damaged: it starts like an Excel workbook but is incomplete or corrupt.", damaged)
        bomb = "Please return only the update sheet you were sent."
        if len(infos) > AL.MAX_ZIP_MEMBERS:
            self.stop(f"the workbook is made of {len(infos)} parts (an update sheet has far fewer than "
                      f"{AL.MAX_ZIP_MEMBERS}); it was not opened.", bomb)
        total = sum(i.file_size for i in infos)
        if total > AL.MAX_UNZIPPED_BYTES:
            self.stop(f"the workbook would expand to {total / 1048576:.0f} MB (the limit is "
                      f"{AL.MAX_UNZIPPED_BYTES // 1048576} MB); it was not opened.", bomb)
        for i in infos:
            if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                self.stop(f"the workbook part '{i.filename[:60]}' expands {i.file_size // max(i.compress_size, 1)} "
                          "times its stored size (a 'zip bomb'); it was not opened.", bomb)
        names = {i.filename.casefold() for i in infos}
        if "xl/workbook.xml" not in names and not any(n.startswith("xl/workbook") for n in names):
            if "word/document.xml" in names:
                self.stop("this is a Word document, not the Excel update sheet.",
                          "Please return the Excel update sheet (.xlsx) you were sent.")
            if "ppt/presentation.xml" in names:
                self.stop("this is a PowerPoint file, not the Excel update sheet.",
                          "Please return the Excel update sheet (.xlsx) you were sent.")
            self.stop("this is a zip file, not an Excel workbook.",
                      "Please return the Excel update sheet (.xlsx) you were sent.")
        # Read every member through a bounded read: sizes in a zip's directory can lie, and this
        # also checks every member's CRC, so a damaged file is refused here rather than half-read.
        seen = 0
        try:
            for i in infos:
                if i.flag_bits & 0x1:
                    self.stop("part of the workbook is encrypted inside the zip; Excel never does this.", damaged)
                n = 0
                with zf.open(i) as f:
                    while chunk := f.read(_CHUNK):
                        n += len(chunk)
                        seen += len(chunk)
                        if n > i.file_size or seen > AL.MAX_UNZIPPED_BYTES:
                            self.stop("the workbook expands to more than its parts declare (a 'zip bomb'); "
                                      "it was not opened.", bomb)
        except StopReading:
            raise
        except Exception:
            self.stop("the file is damaged: part of the workbook cannot be read (it may have been cut short).",
                      damaged)
        # openpyxl makes an object for every cell a merged range covers: one "A1:XFD1048576" in a
        # tiny file would exhaust memory, so merged areas are counted before it parses anything.
        merged = 0
        for i in infos:
            if i.filename.casefold().startswith("xl/worksheets/") and i.filename.casefold().endswith(".xml"):
                for ref in _MERGE_REF.findall(zf.read(i)):
                    try:
                        c1, r1, c2, r2 = range_boundaries(ref.decode("ascii", "replace"))
                    except (ValueError, TypeError):
                        continue
                    merged += (c2 - c1 + 1) * (r2 - r1 + 1)
        if merged > MAX_MERGED_CELLS:
            self.stop(f"the workbook merges {merged:,} cells (an update sheet merges a few dozen); it was not opened.",
                      bomb)
        links = sorted(i.filename for i in infos if i.filename.casefold().startswith("xl/externallinks/")
                       and not i.filename.casefold().startswith("xl/externallinks/_rels/"))
        if links:
            self.add(f"the workbook links to {len(links)} other file(s) or program(s) (external links or DDE); "
                     "links are never followed, and a returned sheet must not contain them.",
                     "In Excel use Data > Edit Links > Break Link (or remove the formulas that point at other "
                     "files), save, and send the sheet again.")

    def load(self, data: bytes):
        import openpyxl
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return openpyxl.load_workbook(io.BytesIO(data), read_only=False, keep_vba=False,
                                              data_only=False, keep_links=False, rich_text=False)
        except Exception as e:
            self.stop(f"the file is damaged or not a normal Excel workbook ({type(e).__name__}).",
                      "Please save the update sheet again in Excel (File > Save As > Excel Workbook (.xlsx)) "
                      "and re-send it.")

    # everything
    def read(self) -> Returned:
        data = self.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        xlsx = self.unwrap(data)
        self.check_zip(xlsx)
        wb = self.load(xlsx)
        sheets = {n.casefold(): n for n in wb.sheetnames}
        if AL.RECORD.casefold() in sheets:
            result = self.issued_sheet(wb, wb[sheets[AL.RECORD.casefold()]], digest)
        else:
            result = _ActionRecord(self, wb, digest).read()
            if result is None:
                self.stop("this is not an update sheet issued by the tracker (its hidden record is missing) and "
                          "no action record table was found in it.",
                          "Please return the update sheet the Board sent you, filled in; or, on your own form, "
                          "give an 'Agency:' line and a table headed Recommendation, Action, Responsible "
                          "Individual, Target date, Evidence/Progress, Date of Update.")
        if self.problems:
            raise StopReading
        return result

    # c. the record
    def issued_sheet(self, wb, rs, digest: str) -> Returned:
        case = self.case
        rsheet = rs.title
        raw: dict = {}
        for r in range(1, len(AL.RECORD_KEYS) + 40):
            k = rs.cell(r, 1).value
            if isinstance(k, str) and k.strip() in AL.RECORD_KEYS and k.strip() not in raw:
                v, c = rs.cell(r, 2).value, 3
                while isinstance(v, str) and isinstance(rs.cell(r, c).value, str):  # long text continues
                    v, c = v + rs.cell(r, c).value, c + 1
                raw[k.strip()] = v
        changed = ("the sheet's hidden record was changed or it was not issued by this Board.", ASK_FOR_NEW)
        missing = [k for k in AL.RECORD_KEYS if k not in raw]
        if str(raw.get("format") or "").strip() != AL.FORMAT:
            self.stop("this is not an update sheet issued by the tracker (its hidden record is not the tracker's).",
                      "Please return the update sheet the Board sent you.", sheet=rsheet)
        if missing:
            self.stop(f"{changed[0]} (missing: {', '.join(missing)})", changed[1], sheet=rsheet)
        try:
            version = int(_plain(raw["template_version"]))
        except (TypeError, ValueError):
            self.stop(*changed, sheet=rsheet)
        if version < AL.TEMPLATE_VERSION:
            self.stop(f"this sheet was issued with an older template (version {version}); please ask the Board "
                      "for a new update sheet.", "Copy your updates into the new sheet and return that.", sheet=rsheet)
        if version > AL.TEMPLATE_VERSION:
            self.stop(f"this sheet was made by a newer version of the tracker (template version {version}; this "
                      f"tracker reads version {AL.TEMPLATE_VERSION}).",
                      "The Board should update the tracker before importing it (the agency need do nothing).",
                      sheet=rsheet)
        case_id = str(_plain(raw["case_id"]) or "").strip()
        if case_id != str(case.case_id).strip():
            self.stop(f"this sheet was issued for a different case (case id '{case_id[:40]}', this case is "
                      f"'{case.case_id}').",
                      "Check it was sent back for the right review; if so, ask the Board for the update sheet "
                      "issued for this case.", sheet=rsheet)
        if not str(case.case_key or ""):
            self.stop("this case workbook has no signing key (Settings > Case signing key), so no returned sheet "
                      "can be verified.", "The Board should restore the key from a backup of the case workbook.")
        record = next((rec for rec in _record_renderings(raw) if AL.signature_ok(rec, case.case_key)), None)
        if record is None:
            self.stop(*changed, sheet=rsheet)
        # A validly signed record: parse it.
        try:
            ids = raw["action_ids"]
            ids = json.loads(ids) if isinstance(ids, str) else ids
            locked = raw["locked_cells"]
            locked = json.loads(locked) if isinstance(locked, str) else locked
            if not (isinstance(ids, list) and isinstance(locked, list) and len(ids) == len(locked)
                    and all(isinstance(row, list) and len(row) == len(AL.LOCKED_KEYS) for row in locked)):
                raise ValueError
            ids = [str(a).strip() for a in ids]
            issued = parse_date(_plain(raw["issued"]))
        except (ValueError, TypeError, ScrError):
            self.stop("the sheet's hidden record cannot be read (it was issued damaged).", ASK_FOR_NEW, sheet=rsheet)
        if len(ids) > AL.MAX_ROWS:
            self.stop(f"the sheet lists {len(ids)} actions (at most {AL.MAX_ROWS}).", ASK_FOR_NEW, sheet=rsheet)
        issue_id = str(_plain(raw["issue_id"]) or "")
        agency_named = str(raw["agency"] or "").strip()
        agencies = {_squash(a.get("agency")): str(a.get("agency")).strip()
                    for a in case.agencies if not is_blank(a.get("agency"))}
        agency = agencies.get(_squash(agency_named))
        if agency is None:
            self.add(f"this sheet was issued to '{agency_named[:60]}', which is not an agency of this case "
                     "(not on the Agencies sheet).",
                     "The Board should check the agency's name on the Agencies sheet (it may have been renamed "
                     "since the sheet was issued); the agency need do nothing.", sheet=rsheet)
            agency = agency_named
        known = {_squash(a.get("action_id")): str(a.get("action_id")).strip()
                 for a in case.actions if not is_blank(a.get("action_id"))}
        seen_ids = set()
        for aid in ids:
            if _squash(aid) in seen_ids:
                self.add(f"action {aid} is listed twice in the sheet's record.", ASK_FOR_NEW, sheet=rsheet)
            seen_ids.add(_squash(aid))
            if _squash(aid) not in known:
                self.add(f"action {aid[:40]} is not in this case's action plan (it may have been removed or "
                         "renumbered since the sheet was issued).",
                         "The Board should check the Action Plan sheet; ask the agency for a new update sheet if "
                         "the actions changed.", sheet=rsheet)
        canon_ids = [known.get(_squash(a), a) for a in ids]
        rows = _IssuedTable(self, wb, canon_ids, ids, locked, issued).read()
        return Returned(self.path, digest, agency, issue_id or None, version, issued, rows, KIND_ISSUED)


class _IssuedTable:
    """The Updates sheet of an issued sheet: header, rows as issued, locked cells, the inputs."""

    def __init__(self, reader: ReceivedFile, wb, canon_ids, ids, locked, issued):
        self.r = reader
        self.wb = wb
        self.ids = ids
        self.canon = canon_ids
        self.locked = locked
        self.issued = issued

    def read(self) -> list[ReturnedRow]:
        r, wb = self.r, self.wb
        sheets = {n.casefold(): n for n in wb.sheetnames}
        if AL.UPDATES.casefold() not in sheets:
            r.stop(f"the sheet '{AL.UPDATES}' is missing (renamed or deleted).",
                   f"Please name the sheet '{AL.UPDATES}' again, or copy your updates into a new update sheet "
                   "from the Board.")
        ws = self.ws = wb[sheets[AL.UPDATES.casefold()]]
        self.sheet = ws.title
        self.cells = self._populated(ws)
        self.check_header()
        self.check_rows()
        self.check_locked()
        return self.inputs()

    @staticmethod
    def _populated(ws) -> dict[tuple[int, int], object]:
        # openpyxl keeps only the cells present in the file; iterating them (rather than
        # iter_rows up to max_row) stays cheap even when a cell far down has a style.
        return {k: c for k, c in ws._cells.items() if not is_blank(c.value)}

    def problem(self, message, fix=None, row=None, key=None, col=None):
        header = _COLS[key].header if key else None
        self.r.add(message, fix, sheet=self.sheet, row=row, col=_COL_NO[key] if key else col, header=header)

    # d. the table
    def check_header(self):
        hr = AL.HEADER_ROW
        width = len(AL.COLUMNS)
        last = max([c for (row, c) in self.cells if row == hr] + [width])
        got = [self.ws.cell(hr, c).value for c in range(1, last + 1)]
        want = [col.header for col in AL.COLUMNS]
        gn, wn = [_squash(g) if not is_blank(g) else "" for g in got], [_squash(w) for w in want]
        if gn == wn:
            return
        fix = ("Columns must not be renamed, moved, added or removed: please put the headers back as issued, "
               "or copy your updates into a new update sheet from the Board.")
        missing = [i for i, w in enumerate(wn) if w not in gn]
        extra = [i for i, g in enumerate(gn) if g and g not in wn]
        if len(gn) == len(wn) and len(missing) == len(extra):
            for i, (g, w) in enumerate(zip(gn, wn)):
                if g != w:
                    what = "blank" if not g else f"'{' '.join(str(got[i]).split())[:60]}'"
                    self.problem(f"the header is {what} but should be '{want[i]}' (the column was renamed or moved).",
                                 fix, row=hr, col=i + 1)
        else:
            for i in missing:
                self.problem(f"the column '{want[i]}' (issued as column {col_letter(i + 1)}) was removed.", fix, row=hr,
                             col=col_letter(i + 1))
            for i in extra:
                self.problem(f"a column '{' '.join(str(got[i]).split())[:60]}' was added.", fix, row=hr, col=i + 1)
            if not missing and not extra:
                self.problem("the columns were moved or a blank column was inserted.", fix, row=hr)
        raise StopReading

    def check_rows(self):
        hr, n, width = AL.HEADER_ROW, len(self.ids), len(AL.COLUMNS)
        table_rows = sorted({row for (row, c) in self.cells if row > hr and c <= width})
        outside = sorted({(row, c) for (row, c) in self.cells if row > hr and c > width})
        keys = [_squash(a) for a in self.ids]
        end = max(table_rows + [hr + n])
        if end - hr > AL.MAX_ROWS + n:
            self.r.stop(f"the sheet has rows down to row {end}, far more than the {n} issued.",
                        "Please return the update sheet with only its issued rows.", sheet=self.sheet)
        seen: dict[str, int] = {}
        bad = False
        moved, retyped = [], []
        for row in range(hr + 1, end + 1):
            i = row - hr - 1
            v = self.ws.cell(row, 1).value
            k = _squash(v) if not is_blank(v) else None
            has_any = row in table_rows
            if k is not None and k in seen:
                self.problem(f"this row repeats action {self._id_shown(v)} (already in row {seen[k]}); rows must "
                             "not be copied or added.", "Delete this row; put all of the action's update in its "
                             "own row.", row=row, key="action_id")
                bad = True
                continue
            if k is not None and k in keys:
                seen[k] = row
                if i >= n or keys[i] != k:
                    moved.append((row, v, i))
                continue
            if has_any and i < n:
                retyped.append((row, i))  # the issued row with its Action ID changed, unless that id is elsewhere
                continue
            if has_any:
                what = (f"action '{' '.join(str(v).split())[:30]}' was not issued on this sheet" if k is not None
                        else "it is not one of the issued rows")
                self.problem(f"this row was added ({what}); rows must not be added.",
                             "Delete the added row; every issued action already has its own row.", row=row,
                             key="action_id" if k is not None else None)
                bad = True
        for row, i in retyped:
            if keys[i] in seen:
                v = self.ws.cell(row, 1).value
                what = (f"action '{' '.join(str(v).split())[:30]}' was not issued on this sheet" if not is_blank(v)
                        else "it is not one of the issued rows")
                self.problem(f"this row was added ({what}); rows must not be added.",
                             "Delete the added row; every issued action already has its own row.", row=row,
                             key="action_id")
                bad = True
            else:
                seen[keys[i]] = row  # its changed Action ID is reported with the locked cells
        for i, k in enumerate(keys):
            if k not in seen:
                self.problem(f"the row for action {self.ids[i]} (issued as row {hr + 1 + i}) was deleted; rows must "
                             "not be deleted.", "Put the row back (leave it blank if there is no update), or copy "
                             "your updates into a new update sheet from the Board.", row=hr + 1 + i)
                bad = True
        if moved and not bad:
            for row, v, i in moved:
                issued = f"action {self.ids[i]} was issued in this row" if i < n else "no action was issued here"
                self.problem(f"this row holds action {self._id_shown(v)}, but {issued}; rows must not be sorted "
                             "or moved.", "Undo the sort (put the rows back in the issued order), or copy your "
                             "updates into a new update sheet from the Board.", row=row, key="action_id")
            bad = True
        for row, c in outside[:20]:
            self.problem(f"something was typed outside the table ({_show(self.cells[(row, c)].value)}); it would "
                         "not be imported.", "Move it into the row's Progress or Evidence cell.", row=row, col=c)
        if len(outside) > 20:
            self.problem(f"{len(outside) - 20} more cells outside the table are filled in.",
                         "Move them into the Progress or Evidence cells.")
        if bad:
            raise StopReading

    @staticmethod
    def _id_shown(v) -> str:
        return " ".join(str(v).split())[:30]

    def check_locked(self):
        hr = AL.HEADER_ROW
        fix = ("Locked cells must not change: please put back the issued value, and type updates only in the "
               "columns '" + "', '".join(_COLS[k].header for k in AL.INPUT_KEYS) + "'.")
        for i, expected in enumerate(self.locked):
            row = hr + 1 + i
            for j, key in enumerate(AL.LOCKED_KEYS):
                kind = _COLS[key].kind
                cell = self.ws.cell(row, _COL_NO[key])
                if _lock_norm(cell.value, kind) != _lock_norm(expected[j], kind):
                    self.problem(f"row {row}, column '{_COLS[key].header}' was changed from {_show(expected[j])} to "
                                 f"{_show(cell.value)}; locked cells must not change.", fix, row=row, key=key)

    # e. what the agency typed
    def inputs(self) -> list[ReturnedRow]:
        hr = AL.HEADER_ROW
        r = self.r
        cycle = r.case.setting("CycleMonths") if hasattr(r.case, "setting") else 3
        earliest = edate(self.issued, -cycle) if self.issued else None
        out, filled = [], False
        for i, aid in enumerate(self.canon):
            row = hr + 1 + i
            cells = {k: self.ws.cell(row, _COL_NO[k]) for k in AL.INPUT_KEYS}
            if all(is_blank(c.value) for c in cells.values()):
                continue
            filled = True
            got = _read_inputs(cells, lambda msg, fix, key, row=row: self.problem(msg, fix, row=row, key=key))
            if got is None:
                continue
            rr = check_row(got, aid, row, r.today, earliest,
                             lambda msg, fix, key, row=row: self.problem(msg, fix, row=row, key=key),
                             issued=self.issued, cycle=cycle)
            if rr is not None:
                out.append(rr)
        if not filled:
            r.add("nothing was filled in: every update cell is blank.",
                  "Please give an update (status, progress and the date of update) for each action, then return "
                  "the sheet.", sheet=self.sheet)
        return out


def _read_inputs(cells: dict, problem) -> dict | None:
    """The typed cells of one row, checked one by one. ``cells`` maps input key -> openpyxl cell
    (missing keys count as blank); problems go to ``problem(message, fix, key)``. None if any
    cell was refused."""
    got: dict = {}
    ok = True
    for key, cell in cells.items():
        col = _COLS[key]
        v = cell.value
        if is_blank(v):
            got[key] = None
            continue
        formula = formula_text(cell)
        if formula is not None or (isinstance(v, str) and v.lstrip().startswith("=")):
            text = formula if formula is not None else v
            danger = " It looks like a command that could run a program (DDE)." if "|" in str(text) else ""
            plain = ("type the date as dd/mm/yyyy" if col.kind == "date"
                     else "choose a word from the list" if col.kind == "status" else "type plain text")
            problem(f"a formula was entered ({_show(text, 40)}); type plain text.{danger}",
                    f"Replace the formula with its value: {plain}, not starting with '='.", key)
            ok = False
            continue
        if cell.data_type == "e":
            problem(f"the cell shows an Excel error ({v}).", "Type the value itself.", key)
            ok = False
            continue
        if looks_like_injection(v):
            problem(f"the text {_show(v, 40)} looks like a spreadsheet command (it begins with '{v.lstrip()[0]}' "
                    "and could run a program when opened, e.g. DDE); it is not accepted.",
                    "Type plain text that does not begin with =, +, - or @ (or remove the '|').", key)
            ok = False
            continue
        if col.kind == "date" and isinstance(v, dt.time):
            problem(f"{_show(v.isoformat())} is a time, not a date.", "Enter the date as dd/mm/yyyy.", key)
            ok = False
            continue
        if col.kind in ("status", "date"):
            try:
                got[key] = (parse_status(v, what="the status") if col.kind == "status"
                            else parse_date(v, what="the date"))
            except ScrError as e:
                problem(e.message, e.fix, key)
                ok = False
            continue
        text = as_text(v)
        if len(text) > col.max_len:
            problem(f"the text is {len(text):,} characters long; this cell takes at most {col.max_len:,}.",
                    "Shorten it to a summary, and send any longer evidence as a separate document.", key)
            ok = False
            continue
        got[key] = text
    return got if ok else None


# ---- the seeds' action record layout ------------------------------------------------------

# Header words (after words_of and dropping a trailing number, "Evidence/Progress 1." -> "evidence progress")
_RECORD_HEADERS = {
    "action_id": ("action id", "action no", "action number", "action ref", "ref", "ref no", "reference"),
    "rec_no": ("rec no", "recommendation no", "recommendation number", "rec"),
    "recommendation": ("recommendation", "recommendations"),
    "agency": ("agency",),
    "action": ("action", "actions", "action smart", "agreed action"),
    "responsible": ("responsible individual", "responsible officer", "responsible person", "responsible",
                    "lead officer"),
    "target": ("target date", "target", "timescale", "target date for completion"),
    "status": ("status", "status now", "current status"),
    "progress": ("evidence progress", "progress evidence", "evidence of progress", "progress",
                 "progress since last update", "progress update"),
    "evidence": ("evidence", "evidence what shows it is done"),
    "date": ("date of update", "update date", "date updated", "date of last update"),
    "revised_target": ("revised target date", "revised target", "new target date"),
    "revision_reason": ("reason for new target date", "reason for revision", "reason for revised target date"),
}
_HEADER_KEY = {w: k for k, words in _RECORD_HEADERS.items() for w in words}


def _header_key(v) -> str | None:
    if not isinstance(v, str):
        return None
    w = re.sub(r"(\s\d+)+$", "", words_of(v))
    return _HEADER_KEY.get(w)


class _ActionRecord:
    """A return typed on the seeds' action record (unverified: see the module docstring)."""

    def __init__(self, reader: ReceivedFile, wb, digest: str):
        self.r = reader
        self.wb = wb
        self.digest = digest

    def find(self):
        for ws in self.wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in range(1, HEADER_SCAN_ROWS + 1):
                cols = {}
                for c in range(1, HEADER_SCAN_COLS + 1):
                    k = _header_key(ws.cell(row, c).value)
                    if k and k not in cols:
                        cols[k] = c
                if "action" in cols and "date" in cols and ("progress" in cols or "evidence" in cols):
                    return ws, row, cols
        return None

    def agency_label(self, ws, header_row: int) -> tuple[str | None, int | None]:
        for row in range(1, header_row):
            for c in range(1, HEADER_SCAN_COLS + 1):
                v = ws.cell(row, c).value
                if not isinstance(v, str):
                    continue
                m = re.match(r"^\s*agency(?:\s+name)?\s*(?:[:\-\u2013]|$)\s*(.*)$", v, re.I | re.S)
                if not m:
                    continue
                if m.group(1).strip():
                    return m.group(1).strip(), row
                for c2 in range(c + 1, HEADER_SCAN_COLS + 1):
                    v2 = ws.cell(row, c2).value
                    if not is_blank(v2):
                        return str(v2).strip(), row
                return "", row
        return None, None

    def read(self) -> Returned | None:
        found = self.find()
        if found is None:
            return None
        ws, hr, cols = found
        r, case = self.r, self.r.case
        sheet = ws.title

        def where_col(key):
            return dict(col=cols.get(key), header=ws.cell(hr, cols[key]).value if key in cols else None)

        agencies = {_squash(a.get("agency")): str(a.get("agency")).strip()
                    for a in case.agencies if not is_blank(a.get("agency"))}
        label, label_row = self.agency_label(ws, hr)
        sheet_agency = None
        if "agency" not in cols:
            if label is None:
                r.stop("the action record does not say which agency it is from.",
                       "Add a line 'Agency:' with your agency's name above the table, as on the action record form.",
                       sheet=sheet)
            if not label:
                r.stop("the 'Agency:' line of the action record is blank.", "Type your agency's name beside "
                       "'Agency:'.", sheet=sheet, row=label_row)
            sheet_agency = agencies.get(_squash(label))
            if sheet_agency is None:
                r.stop(f"'{label[:60]}' is not an agency of this case.",
                       "Use your agency's name as the Board has it: one of " + ", ".join(sorted(agencies.values()))
                       + ".", sheet=sheet, row=label_row)
        by_agency: dict[str, list[dict]] = {}
        for a in case.actions:
            if not is_blank(a.get("action_id")):
                by_agency.setdefault(_squash(a.get("agency") or ""), []).append(a)
        all_actions = {_squash(a.get("action_id")): a for a in case.actions if not is_blank(a.get("action_id"))}

        populated = sorted({row for (row, c), cell in ws._cells.items() if row > hr and not is_blank(cell.value)})
        if len(populated) > AL.MAX_ROWS:
            r.stop(f"the action record has {len(populated)} rows (at most {AL.MAX_ROWS}).",
                   "Return only the open actions' updates.", sheet=sheet)
        out: list[ReturnedRow] = []
        current = None  # the action of the row above, for continuation rows (repeated evidence entries)
        filled = False
        for row in populated:
            val = {k: ws.cell(row, c).value for k, c in cols.items()}

            def problem(msg, fix, key=None, row=row):
                r.add(msg, fix, sheet=sheet, row=row, **(where_col(key) if key else {}))

            updates = {k: ws.cell(row, cols[k]) for k in AL.INPUT_KEYS if k in cols}
            has_update = any(not is_blank(c.value) for c in updates.values())
            filled = filled or has_update
            names_action = any(not is_blank(val.get(k)) for k in ("action_id", "action", "recommendation"))
            agency = sheet_agency
            if "agency" in cols:
                typed = val.get("agency")
                agency = agencies.get(_squash(typed)) if not is_blank(typed) else (current or {}).get("_agency")
                if agency is None and (has_update or names_action):
                    problem(f"{_show(typed)} is not an agency of this case.",
                            "Use the agency's name as the Board has it.", "agency")
                    current = None
                    continue
            if names_action:
                action, why = _match_action(val, by_agency.get(_squash(agency or ""), []), all_actions, agency)
                if action is None:
                    if has_update:
                        problem(why, "Put the action's ID at the start of the Action cell (e.g. '1.2 ...') or copy "
                                "the action's wording exactly as the Board sent it.", "action")
                    current = None
                    continue
                current = dict(action=action, _agency=agency)
            elif has_update and current is None:
                problem("this update does not say which action it is for.",
                        "Give the action (or its ID) in the same row.", "action")
                continue
            if not has_update:
                continue
            got = _read_inputs(updates, lambda msg, fix, key, row=row: problem(msg, fix, key))
            if got is None:
                continue
            if "date" not in got:
                got["date"] = None
            rr = check_row(got, str(current["action"]["action_id"]).strip(), row, r.today, None,
                             lambda msg, fix, key, row=row: problem(msg, fix, key if key in cols else None))
            if rr is not None:
                out.append(rr)
        if not filled:
            r.add("nothing was filled in: the action record has no Evidence/Progress with a Date of Update.",
                  "Please give an update and its date for each action, then return it.", sheet=sheet)
        if sheet_agency is None:
            named = sorted({_agency_of(case, rr.action_id) for rr in out})
            if len(named) > 1:
                r.add(f"this action record has updates from more than one agency ({', '.join(named)}).",
                      "Please send one action record per agency.", sheet=sheet)
        agency_out = sheet_agency or (out and _agency_of(case, out[0].action_id)) or ""
        return Returned(r.path, self.digest, agency_out, None, None, None, out, KIND_ACTION_RECORD)


def _agency_of(case, action_id) -> str:
    for a in case.actions:
        if _squash(a.get("action_id")) == _squash(action_id):
            return str(a.get("agency") or "").strip()
    return ""


def _ids(actions) -> str:
    ids = [str(a.get("action_id")).strip() for a in actions]
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else ids[0]


def _match_action(val: dict, mine: list[dict], all_actions: dict, agency: str | None):
    """The ONE case action of ``agency`` a typed row is about, or (None, why).

    In order: an Action ID column (exact id); the action's text exactly (case, spaces and
    punctuation aside), narrowed by the recommendation's text when several actions share it;
    the recommendation's text with an action text that contains (or is contained in) the typed
    one; an action id at the start of the Action or Recommendation cell ("1.2 Review ...").
    """
    name = agency or "this agency"
    aid = val.get("action_id")
    if not is_blank(aid):
        hit = [a for a in mine if _squash(a.get("action_id")) == _squash(aid)]
        if hit:
            return hit[0], ""
        other = all_actions.get(_squash(aid))
        if other is not None:
            return None, f"action {_show(aid)} belongs to {other.get('agency')}, not {name}."
        return None, f"no action of {name} has the ID {_show(aid)}."
    act, rec = words_of(val.get("action") or ""), words_of(val.get("recommendation") or "")
    exact = [a for a in mine if act and words_of(a.get("action") or "") == act]
    if len(exact) == 1:
        return exact[0], ""
    if len(exact) > 1:
        narrowed = [a for a in exact if rec and words_of(a.get("recommendation") or "") == rec]
        if len(narrowed) == 1:
            return narrowed[0], ""
        by_prefix = _by_prefix(val, exact)
        if by_prefix is not None:
            return by_prefix, ""
        return None, f"the row matches actions {_ids(narrowed or exact)} of {name}; it must match one."
    if rec and act:
        loose = [a for a in mine if words_of(a.get("recommendation") or "") == rec
                 and (act in words_of(a.get("action") or "") or words_of(a.get("action") or "") in act)
                 and words_of(a.get("action") or "")]
        if len(loose) == 1:
            return loose[0], ""
        if len(loose) > 1:
            by_prefix = _by_prefix(val, loose)
            if by_prefix is not None:
                return by_prefix, ""
            return None, f"the row matches actions {_ids(loose)} of {name}; it must match one."
    by_prefix = _by_prefix(val, mine)
    if by_prefix is not None:
        return by_prefix, ""
    shown = _show(val.get("action") if not is_blank(val.get("action")) else val.get("recommendation"), 50)
    return None, f"no action of {name} matches {shown}."


def _by_prefix(val: dict, actions: list[dict]):
    hits = []
    for a in actions:
        aid = str(a.get("action_id") or "").strip()
        if not aid:
            continue
        pat = re.compile(r"^\s*(?:action\s*)?" + re.escape(aid) + r"(?![\w.]\w|\w)", re.I)
        if any(isinstance(val.get(k), str) and pat.match(val[k]) for k in ("action", "recommendation")):
            hits.append(a)
    return hits[0] if len(hits) == 1 else None


# ---- the entry point ----------------------------------------------------------------------

def read_return(path, case, *, password: str | None = None, today: dt.date | None = None) -> Returned:
    """Read one returned update sheet for ``case`` (a tracker.case.CaseData).

    Returns its validated updates as :class:`Returned`, or raises :class:`ReturnRejected` listing
    every problem found (see the module docstring for the checks and the decisions behind them).
    ``password`` opens a password-protected (encrypted) workbook, in memory. ``today`` (default:
    the real today) is the latest acceptable date of update. Nothing is ever written.
    """
    reader = ReceivedFile(Path(path), case, password, today or dt.date.today())
    try:
        return reader.read()
    except StopReading:
        raise ReturnRejected(reader.problems) from None
