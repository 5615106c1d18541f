"""Chase e-mails: one ready-to-send .eml per agency, listing everything overdue from it. Nothing is sent."""
from __future__ import annotations

from pathlib import Path

from tracker.board import Board, load_board
from tracker.case import CaseData
from tracker.chase import chase_message, unverified_agencies
from tracker.text import same_name, slug
from workbook.case import layout as L
from workbook.eml.draft import addresses, draft, one_line
from workbook.xlsx.safe import remove_stale_temps, write_files_atomic

TEMP_NAME = "chase.eml"  # the hidden temps are .chase.eml.<random>.scr-tmp


def write_chase_emails(case: CaseData, items: list[dict], out_dir: Path, sender: str = "",
                       board: Board | None = None) -> list[Path]:
    """One .eml per agency, listing everything overdue from it; nothing is sent.

    The folder holds the latest chase only: our own earlier chase-*.eml files are replaced by the
    new set, so nobody sends a chase that is no longer due. Every e-mail is made in memory first (a
    name that cannot go in a header is refused with nothing touched), and the set is written as
    one (workbook.xlsx.safe.write_files_atomic): a full disk leaves the earlier set as it was, never
    a part of each. ``board`` (default: the board's settings file) gives the From: address when
    ``sender`` is blank and the business unit the e-mail is signed by."""
    board = board or load_board()
    messages = _messages(case, items, out_dir, sender, board)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir, TEMP_NAME)
    return write_files_atomic(messages, replaces=sorted(out_dir.glob("chase-*.eml")), temp_for=TEMP_NAME)


def _messages(case: CaseData, items: list[dict], out_dir: Path, sender: str, board: Board) -> dict[Path, bytes]:
    by_agency: dict[str, list[dict]] = {}
    for x in items:
        by_agency.setdefault(x["agency"], []).append(x)
    out: dict[Path, bytes] = {}
    frm = sender or board.sender
    unverified = unverified_agencies(case.actions)
    _one_line(frm, "the sender address", fix="Give --sender (or the board settings' sender) on one line.")
    _one_line(case.case_name, "the case name", sheet=L.SETTINGS, fix="Type the case name on one line.")
    for agency, xs in by_agency.items():
        _one_line(agency, f"the agency name '{' '.join(str(agency).split())[:60]}'", sheet=L.AGENCIES,
                  row=xs[0].get("_row"), fix="Type the agency's name on one line (no Alt+Enter line break) and "
                                             "run `scr chase` again.")
        subject, body = chase_message(case.case_name, agency, xs, board=board.board,
                                      unverified=same_name(agency) in unverified)
        path, n = out_dir / f"chase-{slug(agency, blank='agency')}.eml", 1
        while path in out:  # names alike but for punctuation must not overwrite each other
            n += 1
            path = out_dir / f"chase-{slug(agency, blank='agency')}-{n}.eml"
        out[path] = draft(addresses(xs[0]["email"]), frm, subject, body)
    return out


def _one_line(text, what: str, *, fix: str, sheet: str | None = None, row: int | None = None) -> None:
    one_line(text, what, fix=fix, sheet=sheet, row=row,
             nothing="no chase e-mail was written and the earlier ones were left as they were")
