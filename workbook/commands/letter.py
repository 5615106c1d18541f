"""`scr letter`: a letter or the Terms of Reference filled from the case (tracker.letters; the
Word document workbook.letters), recorded in one case session.

The letter goes into letters/<date>/ beside the case, encrypted with the case password when the
case is protected; the Audit records it with its SHA-256 (never a name: the file is named by kind
and agency); a request letter to an agency that asks for its chronology and report (or its action
plan) fills the Agencies sheet's letter date when it is blank, so the due dates count from it. Like
the update sheets, the letter is put in place only once the case records it (workbook.xlsx.moves).
Names and dates of birth come only from the name key given with --key, never from the case.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tracker.board import load_board
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.letters import AGENCY, FAMILY, PERSONAL, facts, kind, personal
from tracker.text import safe_name, same_name
from workbook.case.audit import sha256
from workbook.case.read import defined_cell
from workbook.case.session import LETTERS_FOLDER, CaseSession
from workbook.chronology.key import read_name_key
from workbook.chronology.read import ChronologyRejected
from workbook.letters.write import SUFFIX, is_letter, load_template, placeholders, render
from workbook.xlsx import moves
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx.moves import Move, free_path
from workbook.xlsx.safe import check_output, written_temp

REQUEST_DATE = {"agency-notification": "LetterReports", "action-plan-request": "LetterPlans"}


@dataclass
class Letter:
    path: Path
    kind: str
    to: str
    encrypted: bool
    request_date: str = ""  # the Agencies sheet letter date it filled, if any


def make_letter(case_path, kind_name: str, to: str | None = None, *, key=None, child=None, dear=None, dob=None,
                out=None, templates=None, settings=None, on: dt.date | None = None,
                today: dt.date | None = None) -> Letter:
    case_path = Path(case_path)
    k = kind(kind_name)
    on = on or today or dt.date.today()
    board = load_board(settings)
    tpl, where = load_template(k.id, Path(templates) if templates else None)
    used = placeholders(tpl, where)
    with CaseSession(case_path, "letter", today=today) as s:
        results = s.compute()
        context = facts(s.case, results, k, board=board.board, on=on, agency=to if k.to == AGENCY else None)
        context.update({p: "" for p in PERSONAL})
        if key is not None:
            try:
                births: dict = {}
                names = read_name_key(key, password=s.password, birth_dates=births)
            except ChronologyRejected as e:
                raise ScrError("the name key could not be read: " + "; ".join(str(p) for p in e.problems),
                               file=key) from None
            from_key = births.get(next((c for c in births if same_name(c) == same_name(child)), None)) if child else None
            context.update(personal(names, child=child, dear=dear, dob=dob or (fmt(from_key) if from_key else None)))
        elif child or dear or dob:
            raise ScrError("--child and --dear are codes looked up in the case's name key, and no key was given, "
                           "so no letter was made.", fix="Give the name key with --key FILE.")
        if k.to == FAMILY and "addressee" in used and not context["addressee"]:
            raise ScrError("the letter to the family is addressed by name, and names are kept only in the case's "
                           "name key, so no letter was made.",
                           fix="Give --key FILE (the name key) and --dear CODE (and --child CODE), codes as the key has them.")
        data = render(tpl, context)
        if s.password is not None:
            data = encrypt_bytes(data, s.password, file=case_path)
        stem = "-".join(x for x in (safe_name(s.case.case_name or "case", blank="case"), k.id,
                                    safe_name(context["agency"], limit=50, blank="") if context["agency"] else "",
                                    on.isoformat()) if x)
        if out:  # never over a case workbook, the key, or a document this command did not make
            check_output(out, what="a letter", ours=is_letter, inputs=[case_path] + ([Path(key)] if key else []),
                         option="--out", suffix=SUFFIX)
        target = Path(out) if out else free_path(case_path.parent / LETTERS_FOLDER / on.isoformat() / f"{stem}{SUFFIX}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = written_temp(target, data, case_path.name)
        planned = [Move(tmp, target, keep=3 if out else 0)]
        try:
            filled = _request_date(s, k.id, on)
            addressee = context["agency"] or {"family": "the family", "coroner": "the Coroner", "ofsted": "Ofsted"}.get(k.to, "")
            s.audit(f"letter: {k.title}" + (f" to {addressee}" if addressee else ""),
                    f"{target.name}" + ("; password-protected" if s.password else "")
                    + (f"; {filled} set to {fmt(on)}" if filled else "") + f"; letter SHA-256 {sha256(tmp)}")
            moves.write_journal(case_path, planned)
            s.save()
        except BaseException:
            moves.forget(case_path, planned)
            raise
        placed = moves.carry_out(case_path, planned)[0]
    return Letter(placed, k.id, context["agency"] or k.to, s.password is not None, filled)


def _request_date(s: CaseSession, kind_id: str, on: dt.date) -> str:
    """The Agencies sheet's letter date a request fills when it is blank (its name), else ""."""
    name = REQUEST_DATE.get(kind_id)
    if name is None or s.case.header_dates.get(name) is not None:
        return ""
    where = defined_cell(s.reader.wb, name)
    if where is None:
        return ""
    s.case.header_dates[name] = on
    s.recompute()  # the due dates count from it
    s.stage(where[0], {where[1]: on})
    return name
