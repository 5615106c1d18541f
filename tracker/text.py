"""Small text rules every part of the tracker shares, so a name matches, a cell counts as blank
and a file is named the same way wherever it is asked.

* ``same_name``: agencies, action ids and headers typed by people are compared ignoring case and
  runs of spaces ("Health  ICB" is "health icb").
* ``is_blank``: a cell is blank when it holds nothing or only spaces.
* ``words_of``: text reduced to its words, for matching headers and typed text loosely.
* ``safe_name``: text usable in a file name on Windows, macOS and Linux (issued sheets, reports,
  archived returns); ``slug`` is the stricter ASCII-and-dashes form used in e-mail file names.
* ``is_invisible``: a character that shows nothing (soft hyphen, zero-width space, bidi controls).
* ``did_you_mean``: the nearest allowed word to a misspelt one, for the fix of a message.
* ``plural``, ``days``: a count with its noun ("1 entry", "3 entries").
"""
from __future__ import annotations

import difflib
import re
import unicodedata


def same_name(text) -> str:
    """Text as compared between what different people typed: case and extra spaces ignored."""
    return " ".join(str(text or "").split()).casefold()


def is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def words_of(v) -> str:
    """Lower case, punctuation to spaces: for matching typed text and headers."""
    return " ".join(re.sub(r"[^\w]+", " ", str(v).casefold()).split())


def did_you_mean(typed, choices) -> str:
    """" Did you mean 'x'?" for the allowed word nearest to ``typed`` (compared as words_of), or ""
    when none is near enough: a fix that names the likely word is read, a list of eight is not."""
    by_key = {words_of(c): c for c in choices}
    near = difflib.get_close_matches(words_of(typed), list(by_key), n=1, cutoff=0.75)
    return f" Did you mean '{by_key[near[0]]}'?" if near else ""


def is_invisible(ch: str) -> bool:
    """A character that shows nothing but can split or disguise a word: Unicode "format"
    characters (soft hyphen, zero-width space and joiners, right-to-left overrides, BOM)."""
    return unicodedata.category(ch) == "Cf"


_KEPT = set(" -().,'&+_")
# Windows refuses these as a file name, with any extension ("CON.xlsx", "nul .txt"), in any case.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3")}


def safe_name(text: str, *, limit: int = 60, max_bytes: int = 100, blank: str = "x") -> str:
    """Text usable in a file name on Windows, macOS and Linux.

    Invisible characters (right-to-left overrides, zero-width spaces, soft hyphens: Unicode
    "format" characters) are removed, so a name cannot show a different extension than it has;
    control characters and anything a file system refuses become spaces; the result is at most
    ``limit`` characters and ``max_bytes`` bytes of UTF-8 (a file name is at most 255 bytes, and
    callers add words and a date to it), has no leading or trailing dots, spaces or dashes, and is
    never a reserved Windows device name (CON, NUL, COM1...), which gets a "_"."""
    s = "".join("" if is_invisible(ch) else
                ch if ch.isalnum() or ch in _KEPT or unicodedata.category(ch).startswith("M") else " "
                for ch in unicodedata.normalize("NFC", str(text or "")))
    s = re.sub(r"\s+", " ", s).strip(" .-")[:limit]
    while len(s.encode("utf-8")) > max_bytes:
        s = s[:-1]
    s = s.strip(" .-")
    stem, dot, rest = s.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:
        s = stem.rstrip(" ") + "_" + dot + rest
    return s or blank


def slug(text: str, *, limit: int = 40, blank: str = "x") -> str:
    """Letters and digits joined by dashes: a file name no mail program or shell mangles."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text or "")).strip("-")[:limit] or blank


def plural(n: int, one: str, many: str = "") -> str:
    """'1 entry', '3 entries', '0 files': a count and its noun, agreeing (``many`` defaults to
    ``one`` + "s"). Every message that counts something says it through this."""
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def days(n: int) -> str:
    """'1 day', '3 days': how every message counts days."""
    return plural(n, "day")
