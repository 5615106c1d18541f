"""Opening a file someone sent (a returned update sheet, an agency chronology) without trusting it.

Nothing is written (not the file, no temporary files: an encrypted file is decrypted in memory) and
nothing is run or evaluated: size and zip-bomb limits first, every zip member read through a bounded
read (its CRC checked), merged areas counted before openpyxl parses anything, macros dropped on
load, external links not followed. Every problem is kept as a :class:`Problem` naming the file
(and sheet, row, column where there is one), what is wrong and what the sender should do.

The messages speak of "the update sheet" and "the import"; a reader of another kind of file
gives its own words in ``REWORD`` (workbook.chronology.read does).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import warnings
import zipfile
from pathlib import Path

from openpyxl.utils import range_boundaries

from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.text import is_blank
from workbook.xlsx.crypto import is_encrypted
from workbook.xlsx.refs import col_letters

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
# Zip-bomb defence, besides the MAX_* limits above: a member that expands more than
# MAX_RATIO times AND to more than RATIO_MIN_BYTES is refused before anything parses it.
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024
_CHUNK = 64 * 1024
MAX_LISTED = 100           # str(Rejected) lists this many problems, then counts the rest


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


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]+)"')
MAX_MERGED_CELLS = 100_000


class StopReading(Exception):
    """Reading further is impossible; the problems so far are the answer."""


# ---- cells read from a received file ------------------------------------------------------

def shown(v, limit: int = 60) -> str:
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


# The one list of typed text refused as active wherever a return or chronology is read: text a
# spreadsheet (Excel, LibreOffice, Sheets) would take as a formula, array formula or DDE command
# when it is written or pasted into a cell. Plain text such as "- chased twice" or "+ 2 more" passes.
_INJECTION = (
    re.compile(r"^[=+\-@].*\|", re.S),          # =cmd|' /C calc'!A0, +cmd|..., -cmd|..., @SUM(...)*cmd|...
    re.compile(r"^@\s*[A-Za-z_][\w.]*\s*\("),   # @SUM( ... : an implicit-intersection function call
    re.compile(r"^[+\-][A-Za-z_][\w.]*\("),      # +HYPERLINK(..., -SUM(...: a formula without its '='
    re.compile(r"^\{\s*[=+\-@]"),              # {=HYPERLINK(...)}: an array formula as Excel shows it
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


def looks_like_text(data: bytes) -> bool:
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


# ---- the file ---------------------------------------------------------------------------------

class UntrustedFile:
    """One received file, opened without trusting anything in it; every problem found is kept
    (``problems``) and :class:`StopReading` ends reading where going on is impossible."""

    REWORD: tuple[tuple[str, str], ...] = ()  # (words in the messages below, the words for this kind of file)

    def __init__(self, path: Path, password: str | None):
        self.path = Path(path)
        self.name = self.path.name
        self.password = password
        self.problems: list[Problem] = []

    # problems
    def add(self, message, fix=None, *, sheet=None, row=None, col: int | str | None = None, header=None):
        letter = col_letters(col) if isinstance(col, int) else col
        self.problems.append(Problem(self.name, sheet, row, letter, self.reword(message), self.reword(fix), header))

    def reword(self, text: str | None) -> str | None:
        if text:
            for old, new in self.REWORD:
                text = text.replace(old, new)
        return text

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
        if size > MAX_FILE_BYTES:
            self.stop(f"the file is {size / 1048576:.1f} MB, over the {MAX_FILE_BYTES / 1048576:g} MB limit for a "
                      "returned update sheet (which is normally well under 1 MB), so it was not opened.",
                      "Please return only the update sheet you were sent, with no pictures or documents pasted "
                      "into it (send evidence documents separately).")
        with open(p, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            self.stop("the file grew beyond the size limit while it was being read.", "Import it again.")
        if not data:
            self.stop("the file is empty (0 bytes).", "Please save the update sheet again and re-send it.")
        return data

    def unwrap(self, data: bytes) -> bytes:
        """The .xlsx bytes inside what was received (decrypted if it was password-protected)."""
        if is_encrypted(data):
            return self.ole(data)
        if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
            return data
        if looks_like_text(data):
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
            if len(plain) > MAX_UNZIPPED_BYTES:
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
        if len(infos) > MAX_ZIP_MEMBERS:
            self.stop(f"the workbook is made of {len(infos)} parts (an update sheet has far fewer than "
                      f"{MAX_ZIP_MEMBERS}); it was not opened.", bomb)
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            self.stop(f"the workbook would expand to {total / 1048576:.0f} MB (the limit is "
                      f"{MAX_UNZIPPED_BYTES // 1048576} MB); it was not opened.", bomb)
        for i in infos:
            if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                self.stop(f"the workbook part '{i.filename[:60]}' expands {i.file_size // max(i.compress_size, 1)} "
                          "times its stored size (a 'zip bomb'); it was not opened.", bomb)
        names = {i.filename.casefold() for i in infos}
        if len(names) < len(infos):
            twice = sorted({i.filename for i in infos if sum(j.filename.casefold() == i.filename.casefold()
                                                             for j in infos) > 1})
            # zip readers differ on which copy they take: what is checked need not be what Excel opens
            self.stop(f"the workbook has two parts named '{twice[0][:60]}' (a file edited outside Excel, or made to "
                      "mislead); it was not opened.",
                      "Please open the update sheet in Excel, save it as an Excel Workbook (.xlsx), and send the "
                      "saved file again.")
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
                        if n > i.file_size or seen > MAX_UNZIPPED_BYTES:
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
        self.check_active(zf, infos)

    def check_active(self, zf: zipfile.ZipFile, infos) -> None:
        """Parts that run or fetch something when the file is opened in Excel: refused, each kind
        named, because an archived return is opened again later by the board (and nothing such a
        part does is a progress update). Never kept: the archive copy is the file as received."""
        names = [i.filename.casefold() for i in infos]
        under = lambda *prefixes: sorted(n for n in names if n.startswith(prefixes) and "/_rels/" not in n)  # noqa: E731
        types = b""
        if "[content_types].xml" in names:
            types = zf.read(next(i for i in infos if i.filename.casefold() == "[content_types].xml"))
        found = []
        vba = [n for n in names if n.rsplit("/", 1)[-1].startswith("vbaproject")]
        if vba or b"macroenabled" in types.lower():
            found.append(("a VBA macro project (the workbook is macro-enabled, .xlsm)",
                          "File > Save As > 'Excel Workbook (*.xlsx)' (answer Yes to saving without macros)"))
        if xlm := under("xl/macrosheets/", "xl/dialogsheets/"):
            found.append((f"{len(xlm)} Excel 4.0 macro or dialog sheet(s)",
                          "delete the macro sheets (right-click the sheet tab > Delete)"))
        if links := under("xl/externallinks/"):
            found.append((f"links to {len(links)} other file(s) or program(s) (external links or DDE); links are "
                          "never followed", "use Data > Edit Links > Break Link (or remove the formulas that point "
                          "at other files)"))
        if conn := under("xl/connections.xml", "xl/querytables/"):
            found.append(("a data connection or web query that refreshes from elsewhere (" + ", ".join(conn[:3]) + ")",
                          "use Data > Queries & Connections and delete the query/connection"))
        if ole := under("xl/embeddings/", "xl/activex/"):
            found.append((f"{len(ole)} embedded object(s) or ActiveX control(s) ({', '.join(ole[:3])})",
                          "delete the embedded object, icon or control from the sheet (send any document "
                          "separately)"))
        for what, how in found:
            self.add(f"the workbook contains {what}; a returned update sheet must not, so it was not imported.",
                     f"In Excel, {how}, then save it as an Excel Workbook (.xlsx) without macros, links or embedded "
                     "objects, and send it again.")

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

    def open(self):
        """(the workbook, the SHA-256 of the file exactly as received): read, unwrapped (decrypted
        in memory), its zip checked, and loaded with macros dropped and links not followed."""
        data = self.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        xlsx = self.unwrap(data)
        self.check_zip(xlsx)
        return self.load(xlsx), digest
