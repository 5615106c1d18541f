"""Read ONE update sheet an agency sent back: its validated updates, or every problem with it.

Reading never writes anything (not the returned file, not the case, no temporary files: an
encrypted file is decrypted in memory) and never runs or evaluates anything: macros are dropped
on load (``keep_vba=False``), formulas are read as formulas and refused, external links are not
followed. Whatever is wrong is reported at once, as a list of :class:`Problem`, each naming the
file, sheet, row, column (letter and header), what is wrong and what the *agency* should do.
Reading stops early only where reading further is impossible or meaningless (a file that is not
a workbook, a hidden record that does not verify, rows added or moved).

Two kinds of return are read:

``"issued sheet"``
    The update sheet the tracker issued (workbook.update_sheet.write, format in workbook.update_sheet.layout).
    Its very hidden record sheet "_scr" says which case, agency and actions it was issued for and
    carries an HMAC signature made with the case's private key, so the return is *verified*: it
    was issued by this Board for this case, and every locked cell is still as issued.

``"action record"``
    A return typed on the seeds' own "Serious Case Review Action Record" layout (seed 001 §3.6
    section 6 and p.56) by an agency that did not use the issued sheet: a table whose header row
    (within the first 15 rows) has Recommendation, Action, Responsible Individual, Target date,
    Evidence/Progress and Date of Update, with an "Agency:" label above it. Each row is matched to
    ONE action of that agency by its text (see :func:`_match_action`). **Nothing in such a file
    can be verified** -- there is no record and no signature -- so the importer must label what it
    takes from it as unverified. A returned issued sheet whose "_scr" sheet was deleted is read
    this way too (its headers are recognised), and is equally unverified.

Decisions (documented here because the importer and the Board rely on them):

* Date of update: must be a real date, not after ``today`` and not earlier than one update cycle
  (the case's CycleMonths setting, default 3 months, counted as EDATE) before the sheet's issue
  date. An update written before the previous round was even due belongs to that round; an older
  date is nearly always a typing slip (wrong year). Action records have no issue date, so only
  the "not in the future" rule applies to them.
* Revised target date: needs a reason and a reason needs a revised date; it may not be before the
  row's date of update (a new deadline already passed is not a plan) and not more than 5 years
  after ``today`` (a wrong year).
* A row with a status, progress, evidence or a revised target but no date of update is refused
  ("give the date of this update"); a row with only a date and nothing else is refused too; a row
  left completely blank is fine (no update for that action). A file with nothing filled in at all
  is refused.
* Status words are read by tracker.rag.parse_status ("Completed" -> complete - awaiting sign-off).
* A cell that holds a formula, or text that a spreadsheet could run as one (it begins with =, +,
  - or @ and contains "|", or begins with "@name(" -- CSV/DDE injection), is refused.
* Signature: see workbook.update_sheet.record (signing and verifying are one module).
* The record sheet need not still be *very* hidden (unhiding it changes nothing that is signed).
* Cells typed outside the table (to the right of it, or below the issued rows) are refused: they
  would otherwise be silently lost.
Opening the file (limits, decryption, zip checks) is workbook.xlsx.untrusted's; the issued table's
checks are workbook.update_sheet.issued's; the seeds' own layout is workbook.update_sheet.action_record's;
the rules across one row (dates, revised targets) are tracker.updates'.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tracker.errors import ScrError
from tracker.excel_dates import fmt, parse_date
from tracker.text import is_blank, plural, same_name
from tracker.updates import KIND_ISSUED, Returned
from workbook.chronology.read import looks_like_chronology
from workbook.update_sheet import layout as AL
from workbook.update_sheet import record
from workbook.update_sheet.common import ASK_FOR_NEW
from workbook.update_sheet.action_record import ActionRecord
from workbook.update_sheet.issued import IssuedTable
from workbook.xlsx.untrusted import BOARD, Problem, Rejected, StopReading, UntrustedFile, shown


class ReturnRejected(Rejected):
    """A returned file that cannot be imported; ``problems`` lists everything found, ``agency``
    the agency it came from where the file says so (else "")."""

    def __init__(self, problems: list[Problem], agency: str = ""):
        self.problems = list(problems)
        self.agency = agency
        n = len(self.problems)
        file = next((p.file for p in self.problems if p.file), None)
        theirs = [p for p in self.problems if getattr(p, "who", None) != BOARD]
        super().__init__(
            f"this returned update sheet was not imported: {plural(n, 'problem')} found, "
            "nothing was taken from it.",
            file=file,
            fix=("Send the list below to the agency: they should correct each point in the update sheet "
                 "they were sent and return it." if len(theirs) == n else
                 "Put right the points below that are yours (they are not the agency's to fix)"
                 + (", and send the others to the agency." if theirs else ".")))


class ReceivedFile(UntrustedFile):
    """A returned update sheet for ``case``, read as of ``today`` (the latest date of update)."""

    def __init__(self, path: Path, case, password, today: dt.date):
        super().__init__(path, password)
        self.case = case
        self.today = today
        self.agency = ""  # the case's name for the agency that sent it, once the file says which

    # everything
    def read(self) -> Returned:
        wb, digest = self.open()
        sheets = {n.casefold(): n for n in wb.sheetnames}
        if AL.RECORD.casefold() in sheets:
            result = self.issued_sheet(wb, wb[sheets[AL.RECORD.casefold()]], digest)
        else:
            result = ActionRecord(self, wb, digest).read()
            if result is None and looks_like_chronology(wb):
                self.stop("this is an agency chronology, not an update sheet, so it was not imported.",
                          "Merge it into the integrated chronology: scr merge-chronologies OUT.xlsx FILE... "
                          "--record-in CASE.xlsx (it records the chronology as received in the case).", who=BOARD)
            if result is None:
                self.stop("this is not an update sheet issued by the tracker (its hidden record is missing) and "
                          "no action record table was found in it.",
                          "Please return the update sheet the Board sent you, filled in; or, on your own form, "
                          "give an 'Agency:' line and a table headed Recommendation, Action, Responsible "
                          "Individual, Target date, Evidence/Progress, Date of Update.")
        if self.problems:
            raise StopReading
        return result

    # c. the record
    def issued_sheet(self, wb, rs, digest: str) -> Returned:
        case = self.case
        rsheet = None  # the record's sheet is hidden: a message names what it holds, never the sheet
        raw = record.read_raw(rs)
        changed = ("the sheet's hidden record was changed or it was not issued by this Board.", ASK_FOR_NEW)
        missing = [k for k in AL.RECORD_KEYS if k not in raw]
        if str(raw.get("format") or "").strip() != AL.FORMAT:
            self.stop("this is not an update sheet issued by the tracker (its hidden record is not the tracker's).",
                      "Please return the update sheet the Board sent you.", sheet=rsheet)
        if missing:
            self.stop(f"{changed[0]} (missing: {', '.join(missing)})", changed[1], sheet=rsheet)
        try:
            version = int(record.read_value(raw["template_version"]))
        except (TypeError, ValueError):
            self.stop(*changed, sheet=rsheet)
        if version < AL.TEMPLATE_VERSION:
            self.stop(f"this sheet was issued with an older template (version {version}); please ask the Board "
                      "for a new update sheet.", "Copy your updates into the new sheet and return that.", sheet=rsheet)
        if version > AL.TEMPLATE_VERSION:
            self.stop(f"this sheet was made by a newer version of the tracker (template version {version}; this "
                      f"tracker reads version {AL.TEMPLATE_VERSION}).",
                      "Update the tracker before importing it (the agency need do nothing).",
                      sheet=rsheet, who=BOARD)
        case_id = str(record.read_value(raw["case_id"]) or "").strip()
        if case_id != str(case.case_id).strip():
            self.stop(*self.other_case(raw), sheet=rsheet, who=BOARD)
        if not str(case.case_key or ""):
            self.stop("this case workbook has no signing key (Settings > Case signing key), so no returned sheet "
                      "can be verified.", "Restore the key from a backup of the case workbook (the agency need "
                      "do nothing).", who=BOARD)
        if record.verified(raw, case.case_key) is None:
            self.stop(*changed, sheet=rsheet)
        # A validly signed record: parse it.
        try:
            ids = raw["action_ids"]
            ids = json.loads(ids) if isinstance(ids, str) else ids
            locked = raw["locked_cells"]
            locked = json.loads(locked) if isinstance(locked, str) else locked
            if not (isinstance(ids, list) and isinstance(locked, list) and len(ids) == len(locked)
                    and all(isinstance(row, list) and len(row) == len(AL.LOCKED_KEYS) for row in locked)):
                raise ValueError
            ids = [str(a).strip() for a in ids]
            issued = parse_date(record.read_value(raw["issued"]))
        except (ValueError, TypeError, ScrError):
            self.stop("the sheet's hidden record cannot be read (it was issued damaged).", ASK_FOR_NEW, sheet=rsheet)
        if len(ids) > AL.MAX_ROWS:
            self.stop(f"the sheet lists {len(ids)} actions (at most {AL.MAX_ROWS}).", ASK_FOR_NEW, sheet=rsheet)
        issue_id = str(record.read_value(raw["issue_id"]) or "")
        agency_named = str(raw["agency"] or "").strip()
        agencies = {same_name(a.get("agency")): str(a.get("agency")).strip()
                    for a in case.agencies if not is_blank(a.get("agency"))}
        agency = agencies.get(same_name(agency_named))
        if agency is None:
            self.add(f"this sheet was issued to '{agency_named[:60]}', which is not an agency of this case "
                     "(not on the Agencies sheet).",
                     "Check the agency's name on the Agencies sheet (it may have been renamed since the sheet "
                     "was issued); the agency need do nothing.", sheet=rsheet, who=BOARD)
            agency = agency_named
        self.agency = agency
        known = {same_name(a.get("action_id")): str(a.get("action_id")).strip()
                 for a in case.actions if not is_blank(a.get("action_id"))}
        seen_ids = set()
        for aid in ids:
            if same_name(aid) in seen_ids:
                self.add(f"action {aid} is listed twice in the sheet's record.", ASK_FOR_NEW, sheet=rsheet)
            seen_ids.add(same_name(aid))
            if same_name(aid) not in known:
                self.add(f"action {aid[:40]} is not in this case's action plan (it may have been removed or "
                         "renumbered since the sheet was issued).",
                         "Check the Action Plan sheet; send the agency a new update sheet if the actions "
                         "changed.", sheet=rsheet, who=BOARD)
        canon_ids = [known.get(same_name(a), a) for a in ids]
        rows = IssuedTable(self, wb, canon_ids, ids, locked, issued).read()
        return Returned(self.path, digest, agency, issue_id or None, version, issued, rows, KIND_ISSUED)

    def other_case(self, raw) -> tuple[str, str]:
        """(message, fix) for a sheet issued for another case, naming both cases as people know
        them (the record's case name is unverified here, so it is only shown, never trusted)."""
        theirs = " ".join(str(record.read_value(raw.get("case_name")) or "").split())[:80]
        ours = " ".join(str(self.case.case_name or "").split())[:80] or "this case"
        try:
            on = f" (issued {fmt(parse_date(record.read_value(raw.get('issued'))))})"
        except (ScrError, ValueError, TypeError):
            on = ""
        if not theirs:
            return (f"this update sheet was issued for another case{on}, not for '{ours}'.",
                    "Import it into the workbook of the case it was issued for (its Updates sheet names the "
                    "case); the agency need do nothing.")
        if same_name(theirs) == same_name(ours):
            return (f"this update sheet was issued from another case workbook for a case also called '{ours}'"
                    f"{on}; import it into that workbook.",
                    "Find the case workbook the sheet was issued from (its Audit sheet lists the sheet's issue) "
                    "and run `scr import` with it; the agency need do nothing.")
        return (f"this update sheet was issued for case {shown(theirs, 80)}{on}, not for '{ours}'; import it "
                f"into {theirs}'s workbook.", f"Run `scr import` with {theirs}'s case workbook (the agency need "
                "do nothing).")




# ---- the entry point ----------------------------------------------------------------------

def read_return(path, case, *, password: str | None = None, today: dt.date | None = None) -> Returned:
    """Read one returned update sheet for ``case`` (a tracker.case.CaseData).

    Returns its validated updates as :class:`Returned`, or raises :class:`ReturnRejected` listing
    every problem found (see the module docstring for the checks and the decisions behind them).
    ``password`` opens a password-protected (encrypted) workbook, in memory. ``today`` (default:
    the real today) is the latest acceptable date of update. Nothing is ever written.
    """
    reader = ReceivedFile(Path(path), case, password, today or dt.date.today())
    try:
        return reader.read()
    except StopReading:
        raise ReturnRejected(reader.problems, reader.agency) from None
