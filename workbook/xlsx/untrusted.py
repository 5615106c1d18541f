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

import hashlib
import io
import re
import warnings
import zipfile
from pathlib import Path

from openpyxl.utils import range_boundaries

from tracker.errors import ScrError
from tracker.text import plural
from workbook.xlsx.cell_text import as_text, formula_text, looks_like_injection, looks_like_text, shown  # noqa: F401
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
# What the board manager is told when what she gave is not the returned spreadsheet at all: most
# often another attachment of the same e-mail, so she checks before the agency is asked again.
WRONG_FILE = ("Check this is the update sheet the agency sent back, not another attachment or file; if it is what "
              "they sent, ask them to return the Excel update sheet (.xlsx) they were sent, filled in.")


# Who must put a problem right: the agency that sent the file (the default), or the board manager
# herself (a wrong password, the wrong file or case): her own problems are never sent to the agency.
SENDER, BOARD = "sender", "board"


class Problem(ScrError):
    """One thing wrong with a returned file; ``fix`` says what ``who`` (SENDER or BOARD) should do."""

    def __init__(self, file, sheet, row, column, message, fix=None, header=None, who=SENDER):
        super().__init__(message, file=file, sheet=sheet, row=row, column=column, fix=fix, header=header)
        self.who = who


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


# Cells read from a received file: workbook.xlsx.cell_text (kept importable from here).


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
    def add(self, message, fix=None, *, sheet=None, row=None, col: int | str | None = None, header=None, who=SENDER):
        letter = col_letters(col) if isinstance(col, int) else col
        self.problems.append(Problem(self.name, sheet, row, letter, self.reword(message), self.reword(fix), header,
                                     who))

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
            self.stop("the file does not exist.", "Check the folder and the file name.", who=BOARD)
        if not p.is_file():
            self.stop("this is a folder, not a file.", "Give the returned update sheet itself.", who=BOARD)
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
                self.stop("this is a web page or a text file in a web format (perhaps saved as 'Web Page' or "
                          "another 'Save as type' than Excel Workbook), not the Excel update sheet.",
                          "Please return the Excel update sheet you were sent, saved as an Excel Workbook (.xlsx).")
            self.stop("this is a CSV/text file; please return the Excel update sheet you were sent.",
                      "Open the update sheet you were sent (an .xlsx file), fill it in and save it as an "
                      "Excel Workbook (.xlsx); do not save it as CSV or text.")
        self.stop("this is not an Excel workbook (the file's contents are not a spreadsheet).", WRONG_FILE, who=BOARD)

    def ole(self, data: bytes) -> bytes:
        import msoffcrypto
        import olefile
        from msoffcrypto import exceptions as mexc
        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                streams = {"/".join(s).casefold() for s in ole.listdir(streams=True, storages=False)}
        except Exception:
            self.stop("the file is damaged: it looks like an Office file but cannot be read.",
                      "Please save the update sheet again in Excel and re-send it.")
        if {"encryptioninfo", "encryptedpackage"} <= streams:
            if self.password is None:
                self.stop("the file is password-protected and no password was given.",
                          "Run the import again with --password and the password the file was protected with "
                          "(the case password, or the one the agency tells you by a separate message).", who=BOARD)
            try:
                office = msoffcrypto.OfficeFile(io.BytesIO(data))
                office.load_key(password=self.password, verify_password=True)
                out = io.BytesIO()
                office.decrypt(out)
            except mexc.InvalidKeyError:
                self.stop("the password given does not open this file (wrong password).",
                          "Check the password (capitals matter) and run the import again; if it still fails, ask "
                          "the agency which password they used.", who=BOARD)
            except Exception as e:
                self.stop("the password-protected file could not be opened, although the password is right; it may be "
                          "damaged or protected in a way Excel does not use.",
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
            self.stop("this is a Word document, not the Excel update sheet.", WRONG_FILE, who=BOARD)
        self.stop("this is an Office file but not an Excel workbook.", WRONG_FILE, who=BOARD)

    def check_zip(self, data: bytes) -> None:
        """Everything about the zip container, before any XML in it is parsed. The messages speak
        of the workbook and its parts: an agency's staff know no zip files."""
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
                self.stop("part of the workbook would grow to "
                          f"{i.file_size // max(i.compress_size, 1)} times its size when opened, which no update "
                          "sheet does (a file made to exhaust the computer); it was not opened.", bomb)
        names = {i.filename.casefold() for i in infos}
        if len(names) < len(infos):
            # zip readers differ on which copy they take: what is checked need not be what Excel opens
            self.stop("the workbook holds one of its parts twice (a file edited outside Excel, or made to "
                      "mislead); it was not opened.",
                      "Please open the update sheet in Excel, save it as an Excel Workbook (.xlsx), and send the "
                      "saved file again.")
        if "xl/workbook.xml" not in names and not any(n.startswith("xl/workbook") for n in names):
            if "word/document.xml" in names:
                self.stop("this is a Word document, not the Excel update sheet.", WRONG_FILE, who=BOARD)
            if "ppt/presentation.xml" in names:
                self.stop("this is a PowerPoint file, not the Excel update sheet.", WRONG_FILE, who=BOARD)
            self.stop("this is a compressed folder of files (or an OpenDocument file such as .ods), not an Excel "
                      "workbook.", WRONG_FILE, who=BOARD)
        # Read every member through a bounded read: sizes in a zip's directory can lie, and this
        # also checks every member's CRC, so a damaged file is refused here rather than half-read.
        seen = 0
        try:
            for i in infos:
                if i.flag_bits & 0x1:
                    self.stop("part of the workbook is locked with a password in a way Excel never uses.", damaged)
                n = 0
                with zf.open(i) as f:
                    while chunk := f.read(_CHUNK):
                        n += len(chunk)
                        seen += len(chunk)
                        if n > i.file_size or seen > MAX_UNZIPPED_BYTES:
                            self.stop("the workbook grows to more than it says when opened (a file made to "
                                      "exhaust the computer); it was not opened.", bomb)
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
            found.append((plural(len(xlm), "Excel 4.0 macro or dialog sheet"),
                          "delete the macro sheets (right-click the sheet tab > Delete)"))
        if links := under("xl/externallinks/"):
            found.append((f"links to {plural(len(links), 'other file or program', 'other files or programs')} (external links or DDE); links are "
                          "never followed", "use Data > Edit Links > Break Link (or remove the formulas that point "
                          "at other files)"))
        if conn := under("xl/connections.xml", "xl/querytables/"):
            found.append((plural(len(conn), "data connection or web query", "data connections or web queries")
                          + " that refresh from elsewhere",
                          "use Data > Queries & Connections and delete the query/connection"))
        if ole := under("xl/embeddings/", "xl/activex/"):
            found.append((plural(len(ole), "embedded object or ActiveX control", "embedded objects or ActiveX controls"),
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
