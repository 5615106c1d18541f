"""Small text rules every part of the tracker shares, so a name matches, a cell counts as blank
and a file is named the same way wherever it is asked.

* ``same_name``: agencies, action ids and headers typed by people are compared ignoring case and
  runs of spaces ("Health  ICB" is "health icb").
* ``is_blank``: a cell is blank when it holds nothing or only spaces.
* ``words_of``: text reduced to its words, for matching headers and typed text loosely.
* ``safe_name``: text usable in a file name on Windows, macOS and Linux (issued sheets, reports,
  archived returns); ``slug`` is the stricter ASCII-and-dashes form used in e-mail file names.
* ``DATE_FORMAT``: how every date a person reads is shown (dd/mm/yyyy), as a number format.
"""
from __future__ import annotations

import re

from tracker.excel_dates import DISPLAY_FORMAT as DATE_FORMAT  # noqa: F401  (re-exported: one place)


def same_name(text) -> str:
    """Text as compared between what different people typed: case and extra spaces ignored."""
    return " ".join(str(text or "").split()).casefold()


def is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def words_of(v) -> str:
    """Lower case, punctuation to spaces: for matching typed text and headers."""
    return " ".join(re.sub(r"[^\w]+", " ", str(v).casefold()).split())


_UNSAFE = re.compile(r"[^\w \-().,'&+]", re.UNICODE)


def safe_name(text: str, *, limit: int = 60, blank: str = "x") -> str:
    """Text usable in a file name on Windows, macOS and Linux."""
    s = _UNSAFE.sub(" ", str(text or ""))
    s = re.sub(r"\s+", " ", s)
    s = s.strip(" .-")[:limit].strip(" .-")
    return s or blank


def slug(text: str, *, limit: int = 40, blank: str = "x") -> str:
    """Letters and digits joined by dashes: a file name no mail program or shell mangles."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text or "")).strip("-")[:limit] or blank
