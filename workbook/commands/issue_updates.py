"""`scr issue-updates`: an update sheet for every agency with open actions (or one), and the issue
recorded in the case.

Issuing checks everything first, makes every sheet next (in memory, encrypted there with the case
password if one is given, so no plaintext copy of a protected sheet ever touches the disk;
workbook.update_sheet.write is the format) and writes each to a hidden temp file, then records the
issue in ONE case session: an Audit row per sheet (with the sheet's SHA-256), the agency's
update-request date (a new update round: tracker.rounds), and every computed cell recomputed from it (so due dates and statuses are
right at once). Only then are the sheets renamed into place, so no signed sheet is ever sendable
that the Audit does not record. If the case cannot be saved, the temp files are deleted; if the run
is killed, the next command on the case finishes it (workbook.xlsx.moves): the sheets the Audit
records are put in place, any others deleted (they are named after the case file).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from tracker.case import CaseData, update_due
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.text import safe_name, same_name
from tracker.updates import is_open
from workbook.case import layout as L
from workbook.case.audit import issued_what, sha256
from workbook.case.keys import key_path, missing_key_fix
from workbook.case.read import ScrErrors
from workbook.case.rounds import round_log, stage_rounds
from workbook.case.session import ISSUED_FOLDER, CaseSession
from workbook.update_sheet.write import build_update_sheet
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx import moves
from workbook.xlsx.moves import Move, free_path
from workbook.xlsx.safe import temp_file
from workbook.xlsx.refs import col_letters

FOLDER = ISSUED_FOLDER  # beside the case: update-sheets/<date>/


@dataclass
class IssuedSheet:
    agency: str
    path: Path
    actions: list  # action ids, in the order they are on the sheet
    return_by: dt.date
    issue_id: str
    encrypted: bool


def _agency_index(case: CaseData) -> dict[str, dict]:
    out = {}
    for row in case.agencies:
        key = same_name(row.get("agency"))
        if key and key not in out:
            out[key] = row
    return out


def _choose(case: CaseData, case_path: Path, agency: str | None) -> list[tuple[str, dict, list[dict]]]:
    """[(agency name, Agencies row, open actions)] to issue, checked before anything is written."""
    agencies = _agency_index(case)
    open_by: dict[str, list[dict]] = {}
    any_by: dict[str, str] = {}
    for a in case.actions:
        key = same_name(a.get("agency"))
        if not key:
            continue
        any_by.setdefault(key, str(a.get("agency")).strip())
        if is_open(a):
            open_by.setdefault(key, []).append(dict(a))
    shown = lambda k: str(agencies[k]["agency"]).strip() if k in agencies else any_by[k]  # noqa: E731
    if agency is not None:
        key = same_name(agency)
        if key not in open_by:
            listed = ", ".join(shown(k) for k in open_by) or "none"
            if key in any_by:
                raise ScrError(f"every action of '{any_by[key]}' is signed off, so there is nothing to ask it "
                               f"about; no sheet was written. Agencies with open actions: {listed}.",
                               file=case_path, sheet=L.ACTIONS)
            raise ScrError(f"no actions in the Action Plan are for agency '{str(agency).strip()}', so no sheet was "
                           f"written. Agencies with open actions: {listed}.", file=case_path, sheet=L.ACTIONS,
                           fix="Give the agency's name as it is in the Action Plan's Agency column.")
        keys = [key]
    else:
        order = [k for k in agencies if k in open_by] + [k for k in open_by if k not in agencies]
        keys = order
    errors = []
    ac_col = L.ACTIONS_TABLE.col
    for key in keys:
        if key not in agencies:
            for a in open_by[key]:
                errors.append(ScrError(f"the agency '{any_by[key]}' of action {a.get('action_id')} is not on the "
                                       f"Agencies sheet, so its update request cannot be recorded.",
                                       file=case_path, sheet=L.ACTIONS, row=a.get("_row"),
                                       column=col_letters(ac_col("agency")),
                                       fix="Type the agency exactly as on the Agencies sheet, or add it there."))
    issued_ids = {same_name(a.get("action_id")) for k in keys for a in open_by[k]}
    seen: dict[str, int] = {}
    for a in case.actions:
        aid = same_name(a.get("action_id"))
        if aid in issued_ids and aid:
            if aid in seen:
                errors.append(ScrError(f"action ID '{a.get('action_id')}' is used twice (rows {seen[aid]} and "
                                       f"{a.get('_row')}), so a returned update could not be matched to one action.",
                                       file=case_path, sheet=L.ACTIONS, row=a.get("_row"),
                                       column=col_letters(ac_col("action_id")), fix="Give each action its own ID."))
            seen.setdefault(aid, a.get("_row"))
    for k in keys:
        for a in open_by[k]:
            if not same_name(a.get("action_id")):
                errors.append(ScrError("this action has no Action ID, so a returned update could not be matched to it.",
                                       file=case_path, sheet=L.ACTIONS, row=a.get("_row"),
                                       column=col_letters(ac_col("action_id")), fix="Give it an ID, e.g. 3.2."))
    if errors:
        raise ScrErrors(errors, file=case_path)
    return [(shown(k), agencies[k], open_by[k]) for k in keys]


def _remove(paths: list[Path], dirs: list[Path]) -> None:
    for p in paths:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
    for d in reversed(dirs):  # deepest first; only folders this run made, and only if empty
        try:
            d.rmdir()
        except OSError:
            pass


def issue_updates(case_path, out_dir=None, agency=None, password=None, *, today: dt.date | None = None,
                  book=None, plain: bool = False) -> list[IssuedSheet]:
    """`scr issue-updates`: write an update sheet for every agency with open actions (or just
    ``agency``), encrypt them with ``password`` if given, and record the issue in the case.

    A protected case's sheets are encrypted with its password unless ``plain`` says otherwise
    (seed 001 §1.2: every e-document password protected), so protecting the case is enough.

    Nothing is written unless everything can be: the checks run first, the sheets are written
    next, and if the case then cannot be patched (open in Excel, changed meanwhile, ...) the
    sheets written in this run are deleted and the case is left as it was.
    """
    case_path = Path(case_path)
    if password is not None and not str(password).strip():
        raise ScrError("the password is empty.", fix="Give the case password, or none for unencrypted sheets.")
    with CaseSession(case_path, "issue-updates", today=today, book=book) as s:
        if password is None and not plain:
            password = s.password
        return _issue(s, case_path, out_dir, agency, None if plain else password, today)


def _issue(s: CaseSession, case_path: Path, out_dir, agency, password, today) -> list[IssuedSheet]:
    case = s.case
    issued = today or dt.date.today()
    chosen = _choose(case, case_path, agency)
    if not chosen:
        return []
    if not str(case.case_id or "").strip():
        raise ScrError("the case has no case id, so update sheets cannot be signed; no sheet was written.",
                       file=case_path, sheet=L.SETTINGS, fix="Restore the Settings sheet's Case id from a backup.")
    if not str(case.case_key or "").strip():
        raise ScrError(f"this computer has no signing key for the case (no key file {key_path(case.case_id)}), "
                       "so update sheets cannot be signed; no sheet was written.", file=case_path,
                       fix=missing_key_fix(case.case_id))
    return_by = update_due(case, issued)
    # the case's new input cells and every computed cell, worked out before any sheet is written
    # (a case that cannot be recomputed is refused with nothing written)
    # Each request is a new update round (tracker.rounds): kept in the Update rounds log, and the
    # Agencies sheet's two slots show the latest two.
    inputs: dict[int, dict] = {}
    notes = []
    rounds = round_log(s)
    issue_ids = [secrets.token_hex(6) for _ in chosen]
    for (_name, row, _actions), issue_id in zip(chosen, issue_ids):
        set_cells, note = rounds.issue(row, issued, return_by, issue_id)
        row.update(set_cells)
        inputs[row["_row"]] = set_cells
        notes.append(note)
    s.recompute()
    s.stage_inputs(L.AGENCIES_TABLE, inputs)
    stage_rounds(s, rounds)

    folder = Path(out_dir) if out_dir is not None else case_path.parent / FOLDER / issued.isoformat()
    made_dirs = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    temps: list[Path] = []
    staged: list[tuple[Path, IssuedSheet]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for (name, _row, actions), note, issue_id in zip(chosen, notes, issue_ids):
            target = free_path(folder / (f"{safe_name(case.case_name, blank='case')}-"
                                         f"{safe_name(name, limit=50, blank='agency')}-update-{issued.isoformat()}.xlsx"),
                               taken={sh.path for _t, sh in staged})
            buf = io.BytesIO()
            build_update_sheet(buf, case, name, actions, issued=issued, return_by=return_by, issue_id=issue_id)
            data = buf.getvalue()
            if password is not None:
                data = encrypt_bytes(data, password, file=target)
            fd, tmp = temp_file(folder, case_path.name)  # named after the case: its next session finds it
            temps.append(tmp)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            ids = [a.get("action_id") for a in actions]
            n = len(ids)
            detail = f"{n} action{'s' if n != 1 else ''}; return by {fmt(return_by)}; issue {issue_id}"
            if password is not None:
                detail += "; password-protected"
            if note:
                detail += "; " + note
            s.audit(issued_what(name), detail, sha256(tmp))
            staged.append((tmp, IssuedSheet(name, target, ids, return_by, issue_id, password is not None)))
        planned = [Move(tmp, sheet.path) for tmp, sheet in staged]
        moves.write_journal(case_path, planned)  # a run killed after the save is finished by the next
        s.save()  # the case, at once: request dates, every computed cell, the Audit rows
    except BaseException:
        _remove(temps, made_dirs)
        moves.forget(case_path, [])
        raise
    # recorded: now they may be sent (a name taken meanwhile, by another case in the folder, is never replaced)
    for sheet, path in zip([sh for _t, sh in staged], moves.carry_out(case_path, planned)):
        sheet.path = path
    return [sheet for _tmp, sheet in staged]
