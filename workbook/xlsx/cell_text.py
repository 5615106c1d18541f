"""Cells and bytes of a received file, read for what a person would recognise and for what a
spreadsheet would run: ``shown`` and ``as_text`` put a value in a message or a record,
``looks_like_injection`` is the one list of typed text refused as active (a formula, DDE),
``looks_like_text`` tells a CSV or text file from a workbook. Used by workbook.xlsx.untrusted and
the readers of returns and chronologies.
"""
from __future__ import annotations

import datetime as dt
import re

from tracker.excel_dates import fmt
from tracker.text import is_blank

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
