"""Chase e-mails: one ready-to-send .eml per agency, listing everything overdue from it. Nothing is sent."""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import default as _default_policy
from pathlib import Path

from tracker.board import Board, load_board
from tracker.case import CaseData
from tracker.chase import chase_message
from tracker.text import slug

# Headers kept on one line (RFC 5322 allows 998 characters): easier to read and to search.
_ONE_LINE_HEADERS = _default_policy.clone(max_line_length=998)


def addresses(cell: str) -> str:
    """E-mail addresses typed in one cell (on several lines, or with ; or ,) as one To: header."""
    return ", ".join(a for a in re.split(r"[\s,;]+", cell or "") if a)


def write_chase_emails(case: CaseData, items: list[dict], out_dir: Path, sender: str = "",
                       board: Board | None = None) -> list[Path]:
    """One .eml per agency, listing everything overdue from it; nothing is sent.

    The folder holds the latest chase only: our own earlier chase-*.eml files are removed first,
    so nobody sends a chase that is no longer due. ``board`` (default: the board's settings file)
    gives the From: address when ``sender`` is blank and the business unit the e-mail is signed by."""
    board = board or load_board()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("chase-*.eml"):
        old.unlink()
    by_agency: dict[str, list[dict]] = {}
    for x in items:
        by_agency.setdefault(x["agency"], []).append(x)
    paths = []
    for agency, xs in by_agency.items():
        subject, body = chase_message(case.case_name, agency, xs, board=board.board)
        msg = EmailMessage(policy=_ONE_LINE_HEADERS)
        msg["To"] = addresses(xs[0]["email"])
        if sender or board.sender:
            msg["From"] = sender or board.sender
        msg["Subject"] = subject
        msg["X-Unsent"] = "1"  # Outlook and others open the file as a draft, ready to check and send
        msg.set_content(body)
        path, n = out_dir / f"chase-{slug(agency, blank='agency')}.eml", 1
        while path in paths:  # names alike but for punctuation must not overwrite each other
            n += 1
            path = out_dir / f"chase-{slug(agency, blank='agency')}-{n}.eml"
        path.write_bytes(bytes(msg))
        paths.append(path)
    return paths
