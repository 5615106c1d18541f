"""`scr issue-chronologies`: a chronology form (workbook.chronology.form) for every involved agency
whose chronology is not yet in (or one agency), recorded in ONE case session: the Agencies sheet's
"Chronology requested" (when blank), an Audit row per form with its SHA-256. Each form is made in
memory (encrypted there for a protected case), and put in place only once the case records it
(workbook.xlsx.moves), so no form is ever out that the Audit does not list."""
from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from tracker.board import load_board
from tracker.case import requested_default
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.receipts import NIL_RETURN, agency_row
from tracker.text import plural, safe_name
from workbook.case import layout as L
from workbook.case.audit import sha256
from workbook.case.keys import key_path, missing_key_fix
from workbook.case.session import FORMS_FOLDER, CaseSession
from workbook.chronology.form import build_form, make_record
from workbook.xlsx import moves
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx.moves import Move, free_path
from workbook.xlsx.safe import written_temp

FOLDER = FORMS_FOLDER
REQUESTED = "chronology form issued to "


@dataclass
class Form:
    agency: str
    path: Path
    return_by: dt.date | None
    encrypted: bool


def issue_chronologies(case_path, agency: str | None = None, *, period: str = "", initials: str = "",
                       today: dt.date | None = None, layout: str | None = None) -> list[Form]:
    """``layout``: the form's layout (workbook.chronology.form.LAYOUTS; default: the board's
    settings' chronology_format)."""
    case_path = Path(case_path)
    issued = today or dt.date.today()
    layout = layout or load_board().chronology_format
    with CaseSession(case_path, "issue-chronologies", today=today) as s:
        case = s.case
        if not str(case.case_key or "").strip():
            raise ScrError(f"this computer has no signing key for the case (no key file {key_path(case.case_id)}), "
                           "so chronology forms cannot be signed; no form was written.", file=case_path,
                           fix=missing_key_fix(case.case_id))
        rows = [agency_row(case, agency)] if agency else [
            r for r in case.agencies if r.get("agency") and str(r.get("involvement") or "") != NIL_RETURN
            and not isinstance(r.get("chronology_received"), dt.date)]
        if not rows:
            raise ScrError("every agency's chronology is in (or the agency made a nil return), so no form was "
                           "written.", file=case_path, sheet=L.AGENCIES)
        # a request already dated stays; "default" follows the Agencies sheet's letter date, if there is one
        inputs = {r["_row"]: {"chronology_requested": issued} for r in rows
                  if r.get("chronology_requested") in (None, "")
                  or (r.get("chronology_requested") == "default" and requested_default(case, "chronology") is None)}
        for r in rows:
            r.update(inputs.get(r["_row"], {}))
        s.recompute()  # the due dates count from the request
        s.stage_inputs(L.AGENCIES_TABLE, inputs)
        results = s.results
        folder = case_path.parent / FOLDER / issued.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        planned, forms = [], []
        try:
            for r in rows:
                name = str(r["agency"]).strip()
                receipt = results.agencies[case.agencies.index(r)].receipts["chronology"]
                issue_id = secrets.token_hex(6)
                record = make_record(case_id=case.case_id, case_name=case.case_name or "", agency=name,
                                     issue_id=issue_id, issued=issued, return_by=receipt.deadline, case_key=case.case_key)
                buf = io.BytesIO()
                build_form(buf, case_name=case.case_name or "", agency=name, period=period or "as in the Terms of "
                           "Reference", return_by=receipt.deadline, initials=initials or "as in the Terms of Reference",
                           issued=issued, record=record, layout=layout)
                data = buf.getvalue() if s.password is None else encrypt_bytes(buf.getvalue(), s.password, file=case_path)
                target = free_path(folder / f"{safe_name(case.case_name or 'case', blank='case')}-"
                                            f"{safe_name(name, limit=50, blank='agency')}-chronology-{issued.isoformat()}.xlsx",
                                   taken={m.target for m in planned})
                tmp = written_temp(target, data, case_path.name)
                planned.append(Move(tmp, target))
                s.audit(REQUESTED + name, f"{target.name}; issue {issue_id}; return by "
                        f"{fmt(receipt.deadline) if receipt.deadline else '-'}"
                        + ("; password-protected" if s.password else "") + f"; form SHA-256 {sha256(tmp)}")
                forms.append(Form(name, target, receipt.deadline, s.password is not None))
            moves.write_journal(case_path, planned)
            s.save()
        except BaseException:
            moves.forget(case_path, planned)
            raise
        for form, path in zip(forms, moves.carry_out(case_path, planned)):
            form.path = path
    return forms


def summary(forms: list[Form]) -> str:
    lines = [f"{f.agency}: return by {fmt(f.return_by) if f.return_by else '-'} -> {f.path}" for f in forms]
    lines.append(f"{plural(len(forms), 'chronology form')} written"
                 + (", password-protected." if forms and forms[0].encrypted else
                    "; NOT encrypted: send them password protected, or protect the case (`scr protect`)."))
    return "\n".join(lines)
