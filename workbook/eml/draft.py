"""What every e-mail the tracker writes shares: a draft .eml (never sent) whose headers cannot be
split by what people typed.

A mail program opens a file with ``X-Unsent: 1`` as a draft, ready to check and send. Header
values come from cells (agency and case names, addresses), so a line break in one is never let
start a header of its own: ``one_line`` refuses it where the user can fix the cell before anything
is written (a chase), and ``draft`` flattens whatever reaches it anyway.
"""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import default as _default_policy

from tracker.errors import ScrError

# Headers kept on one line (RFC 5322 allows 998 characters): easier to read and to search.
ONE_LINE_HEADERS = _default_policy.clone(max_line_length=998)
_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]")


def addresses(cell: str) -> str:
    """E-mail addresses typed in one cell (on several lines, or with ; or ,) as one To: header."""
    return ", ".join(a for a in re.split(r"[\s,;]+", cell or "") if a)


def header_text(text) -> str:
    """``text`` as one header line: every line break and run of spaces becomes one space."""
    return " ".join(_BREAKS.sub(" ", str(text or "")).split())


def draft(to: str, sender: str, subject: str, body: str) -> bytes:
    """One unsent e-mail (.eml bytes) for a mail program to open as a draft."""
    msg = EmailMessage(policy=ONE_LINE_HEADERS)
    if to:
        msg["To"] = header_text(to)
    if sender:
        msg["From"] = header_text(sender)
    msg["Subject"] = header_text(subject)
    msg["X-Unsent"] = "1"  # Outlook and others open the file as a draft, ready to check and send
    msg.set_content(body)
    return bytes(msg)


def one_line(text, what: str, *, fix: str, sheet: str | None = None, row: int | None = None,
             nothing: str = "no e-mail was written") -> None:
    """A header value must be one line (a line break in one would start another header)."""
    if text and _BREAKS.search(str(text)):
        raise ScrError(f"{what} has a line break in it, so it cannot go in an e-mail header; {nothing}.",
                       sheet=sheet, row=row, fix=fix)
