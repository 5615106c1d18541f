"""What the buttons in the case workbook do: the Python targets of the VBA macros.

Each button is one VBA Sub (``macros/ScrButtons.bas``) that calls, through xlwings' RunPython,

    RunPython "import workbook.buttons as b; b.refresh()"

and the same for ``chase``, ``issue_updates`` and ``import_returns``. These functions take no
arguments. Each:

1. finds the workbook that called it (``xw.Book.caller()``) and saves it, so the file on disk
   is exactly what the board manager sees;
2. copies that saved file into ``backups/`` beside it (as ``scr refresh`` does);
3. runs the same command as ``scr`` does (``workbook.commands``), reading the saved file once,
   in the same case session (``workbook.case.session``) with ``book=`` the open workbook;
4. so the results are written LIVE into the open workbook (``workbook.xlsx.live.LiveWriter``):
   the file cannot be patched on disk while Excel has it open, and Excel would overwrite it at
   the next save anyway;
5. adds a row to the Audit sheet, saves the workbook again, and says what it did in a message
   box. A problem is shown as a plain message (never a traceback); nothing about the case
   is logged, only the button's name and counts.

The work of each button is a function taking ``(book, path)`` -- ``refresh_book``,
``chase_book``, ``issue_updates_book``, ``import_returns_book`` -- so it can be run against
any object with the small part of the xlwings API that ``LiveWriter`` uses.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ScrError
from tracker.excel_dates import DATE_FORMAT, fmt
from tracker.summary import chase_list
from tracker.text import plural
from workbook.case import layout as L
from workbook.case.audit import audit_row, sha256
from workbook.case.session import CaseSession
from workbook.commands.import_returns import import_returns as import_update_sheets, outcome_text
from workbook.commands.issue_updates import issue_updates as issue_update_sheets
from workbook.commands.refresh import refresh as refresh_case
from workbook.eml.chase import write_chase_emails
from workbook.xlsx.live import LiveWriter
from workbook.xlsx.safe import KEEP_BACKUPS, make_backup, prune_backups

log = logging.getLogger("scr.buttons")

TITLE = "Case review tracker"
CHASE_SHEET = "Chase list"
CHASE_HEADERS = ("Agency", "Item", "Due", "Days late", "Contact", "Email")
CHASE_HEADER_ROW = 4
CHASE_FOLDER = "chase"
ISSUED_FOLDER = "update-sheets"  # as `scr issue-updates`: update-sheets/<date> beside the workbook
INBOX_FOLDER = "returns-inbox"  # where the board manager saves returns; `scr import` archives to "returns"

# Button -> what it does. macros/ScrButtons.bas has one Sub for each, macros/README.md lists them.
BUTTONS = {
    "refresh": "Recompute every date, status and BRAG in the workbook",
    "chase": "List what to chase today and write the chase e-mails",
    "issue_updates": "Write an update sheet for each agency with open actions",
    "import_returns": "Apply the update sheets the agencies sent back",
}


@dataclass
class Done:
    """What a button did: the message shown, and counts for the Audit row and for tests."""
    message: str
    cells: int = 0
    rows: int = 0
    files: list[Path] = field(default_factory=list)
    changed: bool = True  # False: nothing was written, so no Audit row and no second save
    critical: bool = False  # shown as a warning (e.g. some returns were rejected)


# ---------------------------------------------------------------------------- the buttons

def refresh() -> None:
    """Button: recompute every date, status and BRAG in the open workbook."""
    run("refresh")


def chase() -> None:
    """Button: the Chase list sheet and the chase e-mails (in 'chase' beside the workbook)."""
    run("chase")


def issue_updates() -> None:
    """Button: update sheets for the agencies (in 'updates' beside the workbook)."""
    run("issue_updates")


def import_returns() -> None:
    """Button: read the returned update sheets (from 'returns' beside the workbook)."""
    run("import_returns")


# ---------------------------------------------------------------------------- the frame

def run(name: str, book=None) -> Done | None:
    """Run one button against ``book`` (default: the workbook that called RunPython)."""
    core = CORES[name]
    if book is None:
        import xlwings as xw
        try:
            book = xw.Book.caller()
        except Exception as e:  # not called from a workbook: nowhere to write, say so plainly
            try:
                xw.apps.active.alert(f"The tracker could not find the workbook that called it ({type(e).__name__}). "
                                     "Click the button in the case workbook itself.", title=TITLE, mode="critical")
            except Exception:
                pass
            return None
    writing = False  # once the core runs, part of its work may be in the open book
    try:
        path = saved_path(book)
        _backup(path)
        writing = True
        done = core(book, path)
        if done.changed:
            book.save()
        log.info("button %s: %d cells, %d rows, %d files", name, done.cells, done.rows, len(done.files))
        tell(book, done.message, critical=done.critical)
        return done
    except ScrError as e:
        log.info("button %s: refused (%s)", name, type(e).__name__)
        tell(book, f"{e}\n\n{_AFTER if writing else _NOTHING}", critical=True)
    except Exception as e:  # the last guard: a message, never a traceback dialog
        if os.environ.get("SCR_DEBUG"):
            raise
        log.warning("button %s: unexpected %s", name, type(e).__name__)
        tell(book, f"Unexpected problem ({type(e).__name__}: {e}).\n\n{_AFTER if writing else _NOTHING}",
             critical=True)
    return None


_NOTHING = "Nothing in the workbook was changed."
_AFTER = ("If anything was written before this, close the workbook without saving to undo it; "
          "a copy of the workbook as it was is in the backups folder beside it.")


def saved_path(book) -> Path:
    """Save the open workbook and return where it is on disk."""
    book.save()
    full = str(book.fullname)
    if "://" in full:
        raise ScrError("the workbook is open from OneDrive or SharePoint by its web address, so the tracker "
                       "cannot read the saved copy.",
                       fix="Open it from the synced folder on this computer (File > Open > Browse), or type "
                           "that folder into ONEDRIVE_COMMERCIAL_WIN (or SHAREPOINT_WIN) on the xlwings.conf sheet.")
    path = Path(full)
    if not path.is_file():
        raise ScrError("the workbook has not been saved to a folder yet.", file=path,
                       fix="Save it (File > Save As, Excel Macro-Enabled Workbook) and click the button again.")
    return path


def _backup(path: Path) -> None:
    make_backup(path)
    prune_backups(path, KEEP_BACKUPS)


def tell(book, message: str, *, critical: bool = False) -> None:
    """A message box in the calling Excel; the status bar if there is no message box."""
    try:
        book.app.alert(message, title=TITLE, mode="critical" if critical else "info")
    except Exception:
        try:
            book.app.status_bar = message.replace("\n", " ")[:250]
        except Exception:
            pass


def _audit(writer, command: str, what: str, detail: str, digest: str) -> None:
    """One Audit row: counts and dates only, and the SHA-256 of the saved file the button read."""
    writer.append_table_rows(L.AUDIT, L.AUDIT_TABLE.name, [audit_row(command, what, detail, digest)])


# ---------------------------------------------------------------------------- the work

def refresh_book(book, path: Path, *, today: dt.date | None = None) -> Done:
    """Recompute from the saved file and write every computed cell into the open book."""
    r = refresh_case(path, command="button: refresh", today=today, book=book)
    lines = [f"Refreshed {r.cells} cells as at {fmt(r.case.as_at)}."]
    if r.converted:
        lines.append(f"{plural(len(r.converted), 'date')} typed as text {'is' if len(r.converted) == 1 else 'are'} now real dates: "
                     + "; ".join(str(t) for t in r.converted[:5]) + ("; ..." if len(r.converted) > 5 else ""))
    lines += [f"Warning: {w}" for w in r.warnings]
    return Done("\n".join(lines), cells=r.cells, rows=1, critical=bool(r.warnings))


def chase_rows(items: list[dict]) -> list[list]:
    """The Chase list sheet's rows, one per item, in CHASE_HEADERS order."""
    return [[x["agency"], x["label"], x["due"], x["days_late"], x["contact"], x["email"]] for x in items]


def chase_book(book, path: Path, *, today: dt.date | None = None, out_dir: Path | None = None,
               sender: str = "") -> Done:
    """Write the Chase list sheet (made, or cleared and rewritten) and one .eml per agency."""
    path = Path(path)
    s = CaseSession(path, "button: chase", today=today, book=book)
    case = s.case
    items = chase_list(case, s.compute())
    folder = Path(out_dir) if out_dir else path.parent / CHASE_FOLDER
    files = write_chase_emails(case, items, folder, sender) if items else []
    w = LiveWriter(book)
    with w.quietly():
        sheet = _fresh_sheet(book, CHASE_SHEET)
        w.write_block(sheet, "A1", [[f"Chase list as at {fmt(case.as_at)}"]])
        w.write_block(sheet, "A2", [[
            f"{plural(len(files), 'e-mail')} ready in {folder} (open, check and send them yourself)." if items else
            "Nothing to chase today."]])
        w.write_block(sheet, f"A{CHASE_HEADER_ROW}", [list(CHASE_HEADERS)] + chase_rows(items))
        if items:
            first, last = CHASE_HEADER_ROW + 1, CHASE_HEADER_ROW + len(items)
            due = CHASE_HEADERS.index("Due") + 1
            sheet.range((first, due), (last, due)).number_format = DATE_FORMAT
    s.audit("chase list and e-mails", f"{plural(len(items), 'item')}; {plural(len(files), 'e-mail')}")
    s.save()
    msg = (f"{plural(len(items), 'item')} to chase, most overdue first, on the '{CHASE_SHEET}' sheet.\n"
           f"{plural(len(files), 'e-mail')} ready in {folder}: open, check and send them yourself."
           if items else f"Nothing to chase today ({fmt(case.as_at)}).")
    return Done(msg, cells=len(items) * len(CHASE_HEADERS), rows=len(items), files=files)


def _fresh_sheet(book, name: str):
    """The named sheet, emptied (contents and formats), or a new one after the Front Sheet."""
    if name in book.sheets:
        sheet = book.sheets[name]
        sheet.clear()
        sheet.activate()
        return sheet
    after = book.sheets[L.FRONT] if L.FRONT in book.sheets else None
    return book.sheets.add(name, after=after)


def _password() -> str | None:
    """The case password, as the `scr` command takes it: SCR_CASE_PASSWORD (never typed into VBA)."""
    return os.environ.get("SCR_CASE_PASSWORD") or None


def issue_updates_book(book, path: Path, *, out_dir: Path | None = None, agency: str | None = None,
                       today: dt.date | None = None) -> Done:
    """Update sheets for every agency with open actions (or one), in 'update-sheets/<date>'
    beside the workbook, recorded in the open book as `scr issue-updates` records them in the file."""
    path = Path(path)
    issued_on = today or dt.date.today()
    folder = Path(out_dir) if out_dir else path.parent / ISSUED_FOLDER / issued_on.isoformat()
    sheets = list(issue_update_sheets(path, folder, agency=agency, password=_password(), today=today, book=book) or [])
    files = [x.path for x in sheets]
    _audit(LiveWriter(book), "button: issue updates", "update sheets issued", plural(len(files), "sheet"), sha256(path))
    if not files:
        return Done("No agency has open actions: no update sheets were written.", rows=1)
    lines = [f"{x.agency}: {plural(len(x.actions), 'action')}, return by {fmt(x.return_by)}" for x in sheets]
    return Done(f"{plural(len(files), 'update sheet')} ready in {folder}:\n" + "\n".join(lines), rows=1, files=files)


def returned_files(folder: Path) -> list[Path]:
    """The workbooks in ``folder``, without Excel's and LibreOffice's lock files."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".csv")
                  and not p.name.startswith(("~$", ".~lock.", ".")))


def import_returns_book(book, path: Path, *, files: list[Path] | None = None, folder: Path | None = None,
                        today: dt.date | None = None) -> Done:
    """Apply the returned update sheets saved in 'returns-inbox' beside the workbook, as
    `scr import` applies them: each file all or nothing; a rejected file changes nothing and
    its problems are listed for the agency."""
    path = Path(path)
    folder = Path(folder) if folder else path.parent / INBOX_FOLDER
    if files is None:
        files = returned_files(folder)
    if not files:
        folder.mkdir(parents=True, exist_ok=True)
        return Done(f"No returned update sheets found in {folder}. Save the files the agencies sent back "
                    "there and click the button again.", changed=False)
    result = import_update_sheets(path, list(files), password=_password(), today=today, book=book)
    applied = sum(1 for f in result.files if f.state == "applied")
    rejected = len(result.rejected)
    _audit(LiveWriter(book), "button: import returns", "returned update sheets read",
           f"{plural(len(files), 'file')}: {applied} applied, {rejected} rejected", sha256(path))
    return Done(outcome_text(result), cells=result.cells, rows=1, files=list(files), critical=rejected > 0)


CORES = {"refresh": refresh_book, "chase": chase_book, "issue_updates": issue_updates_book,
         "import_returns": import_returns_book}
