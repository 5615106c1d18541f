"""A chronology sent as a Word document (issue 11: the seeds' own chronology templates are Word
tables, and "return the Excel chronology you were sent" is not an answer an agency can use).

Each table becomes a worksheet of an in-memory workbook, with the paragraphs just above it as the
lines above it, so workbook.chronology.read reads it exactly as an Excel chronology: its header
words, its "Agency:" line, every check on every line. Opened as carefully as a workbook: the size
of the file and of what it expands to are checked before any XML is parsed, and python-docx's
parser resolves no entities.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from workbook.xlsx.untrusted import MAX_FILE_BYTES, MAX_RATIO, MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS, RATIO_MIN_BYTES, Problem

LINES_ABOVE = 6  # paragraphs above a table kept as its lines above (the agency, the period, the child)
RESEND = "Save it again from Word as a .docx and send it again, or use the Excel chronology form."


def is_word(data: bytes) -> bool:
    """A Word document (.docx): a zip holding word/document.xml."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def word_workbook(path: Path, data: bytes):
    """(openpyxl workbook, problems) of the Word chronology's tables, or (None, problems)."""
    def refuse(message, fix=RESEND):
        return None, [Problem(path.name, None, None, None, message, fix)]
    if len(data) > MAX_FILE_BYTES:
        return refuse(f"the Word document is over {MAX_FILE_BYTES // 1048576} MB, larger than any chronology.")
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES or any(
            i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
        return refuse("the Word document would expand far beyond any chronology's size; it was not opened.")
    import docx
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a damaged file
        return refuse("the Word document is damaged and could not be read.")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    above: list[str] = []
    n = 0
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")).strip()
            if text:
                above = (above + [text])[-LINES_ABOVE:]
        elif tag == "tbl":
            n += 1
            table = docx.table.Table(block, doc)
            ws = wb.create_sheet(f"Table {n}")
            for r, line in enumerate(above, 1):
                ws.cell(r, 1, line)
            first = len(above) + 2
            for r, row in enumerate(table.rows, first):
                for c, cell in enumerate(row.cells, 1):
                    text = cell.text.strip()
                    if text:
                        ws.cell(r, c, text)
            above = []
    if not n:
        return refuse("the Word document holds no table, so no chronology was found in it.",
                      "Send the chronology as a table (Date, Event, ...), as in the chronology form.")
    return wb, []
