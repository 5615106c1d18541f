"""The e-mail back to an agency whose returned update sheet could not be imported: one draft
.eml per rejected file, listing the points the agency must put right (never the board manager's
own, such as a wrong password or the wrong file given). Nothing is sent.

The drafts go in a folder beside the case; each is named by the agency and the file, so a second
rejection of the same file replaces its draft and others are kept. Every draft is made in memory
first and the set written as one (workbook.xlsx.safe.write_files_atomic).
"""
from __future__ import annotations

from pathlib import Path

from tracker.board import Board, load_board
from tracker.chase import rejection_message
from tracker.case import CaseData
from tracker.text import same_name, slug
from workbook.eml.draft import addresses, draft
from workbook.xlsx.safe import remove_stale_temps, write_files_atomic
from workbook.xlsx.untrusted import BOARD

FOLDER = "rejected"  # beside the case workbook
TEMP_NAME = "rejected.eml"


def theirs(problems: list) -> list:
    """The problems the agency must put right; an error that is not a Problem of the file (it
    has no ``who``) is the board manager's, like a wrong password."""
    return [p for p in problems if getattr(p, "who", BOARD) != BOARD]


def ours(problems: list) -> list:
    return [p for p in problems if getattr(p, "who", BOARD) == BOARD]


def draft_path(out_dir: Path, agency: str, returned) -> Path:
    """Where the draft for the returned file goes: named by the agency and the file."""
    return Path(out_dir) / f"rejected-{slug(agency, blank='agency')}-{slug(Path(returned).stem, blank='file')}.eml"


def rejection_drafts(case: CaseData, rejected: list[tuple[Path, str, list]], out_dir: Path, sender: str = "",
                     board: Board | None = None) -> dict[Path, bytes]:
    """``rejected``: (file, agency or "", problems) of each rejected file; a draft for each with
    points for the agency to fix."""
    board = board or load_board()
    known = {same_name(a.get("agency")): a for a in case.agencies}
    out: dict[Path, bytes] = {}
    for path, agency, problems in rejected:
        points = theirs(problems)
        if not points:
            continue
        row = known.get(same_name(agency)) or {}
        subject, body = rejection_message(case.case_name, agency, Path(path).name, points,
                                          contact=str(row.get("contact") or "").strip(), board=board.board)
        out[draft_path(out_dir, agency, path)] = draft(addresses(str(row.get("email") or "")), sender or board.sender, subject, body)
    return out


def write_rejection_emails(case: CaseData, rejected, out_dir: Path, sender: str = "",
                           board: Board | None = None) -> list[Path]:
    messages = rejection_drafts(case, rejected, out_dir, sender, board)
    if not messages:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir, TEMP_NAME)
    return write_files_atomic(messages, temp_for=TEMP_NAME)
