"""`scr report`: the collated action-plan progress report for the Board or sub-committee (the
figures are tracker.progress's, the workbook workbook.board_report's), and with --master the final
master record of every action for the Chair to sign (tracker.master); each recorded in the case's Audit."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from tracker import rag as ragmod
from tracker.excel_dates import fmt
from tracker.progress import action_rows, changes_since, history
from tracker.errors import ScrError
from tracker.text import safe_name
from tracker.master import master_actions, ready_to_sign
from workbook.board_report.master import is_master, write_master
from workbook.board_report.write import is_report, to_pdf, write_report
from workbook.case.audit import sha256
from workbook.case.logs import last_report, updates_log
from workbook.case.session import CaseSession
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx import moves
from workbook.xlsx.locks import ensure_not_open
from workbook.xlsx.moves import Move
from workbook.xlsx.safe import check_output, written_temp


@dataclass
class Report:
    path: Path
    pdf: Path | None
    counts: dict
    since: dt.date | None
    changes: int


@dataclass
class Master:
    path: Path
    pdf: Path | None
    actions: int
    signed_off: int
    ready: bool  # every action signed off and its record complete


def build_report(case_path, out: Path | None = None, *, pdf: bool = False, today: dt.date | None = None) -> Report:
    case_path = Path(case_path)
    # the Audit row is written last: refused while open before anything; the case locked throughout
    with CaseSession(case_path, "report") as s:
        return _report(s, case_path, out, pdf, today)


def _report(s: CaseSession, case_path: Path, out, pdf: bool, today) -> Report:
    case = s.case
    if today:
        case.today = today  # even over a date fixed in the file (as `scr status` takes it)
    results = s.compute()
    log = updates_log(s.reader)
    since = last_report(s.reader)
    out = Path(out or case_path.parent / f"{safe_name(case.case_name or 'case', blank='case')} progress report {case.as_at:%Y-%m-%d}.xlsx")
    check_output(out, what="a progress report", ours=is_report, inputs=[case_path])
    rows = action_rows(case, results)
    changes = changes_since(log, since)
    dates, hist = history(case, log)
    counts = ragmod.rollup(r["word"] for r in rows)

    _refuse_pdf(s, case_path, pdf)
    buf = io.BytesIO()
    write_report(buf, case, rows, changes, since, dates, hist, counts)
    _put_in_place(s, case_path, out, buf.getvalue(), "progress report for the Board",
                  f"{out.name}: {len(rows)} actions, {len(changes)} updates since "
                  + (fmt(since) if since else "the start"))
    # made from the report in place, after it is recorded: a PDF that fails leaves the recorded .xlsx
    pdf_path = to_pdf(out) if pdf else None
    return Report(out, pdf_path, counts, since, len(changes))


def build_master(case_path, out: Path | None = None, *, pdf: bool = False, today: dt.date | None = None) -> Master:
    """The final master record of every action for the Chair to sign (seed 001 §2.9), recorded in the Audit."""
    case_path = Path(case_path)
    # its own command word: the progress report's "changes since the last report" counts only "report" rows
    with CaseSession(case_path, "report --master") as s:
        case = s.case
        if today:
            case.today = today
        actions = master_actions(case, s.compute(), updates_log(s.reader))
        out = Path(out or case_path.parent / f"{safe_name(case.case_name or 'case', blank='case')} master action "
                   f"record {case.as_at:%Y-%m-%d}.xlsx")
        check_output(out, what="a master action record", ours=is_master, inputs=[case_path])
        _refuse_pdf(s, case_path, pdf)
        buf = io.BytesIO()
        write_master(buf, case, actions)
        signed = sum(m.signed_off for m in actions)
        _put_in_place(s, case_path, out, buf.getvalue(), "master action record for the Chair's sign-off",
                      f"{out.name}: {len(actions)} actions, {signed} signed off by the Board")
    pdf_path = to_pdf(out) if pdf else None
    return Master(out, pdf_path, len(actions), signed, ready_to_sign(actions))


def _refuse_pdf(s: CaseSession, case_path: Path, pdf: bool) -> None:
    if pdf and s.password is not None:
        raise ScrError("the case workbook is password-protected, and a PDF cannot carry the password, so no "
                       "report was made.", file=case_path,
                       fix="Run `scr report` without --pdf: the .xlsx report is protected with the case password; "
                       "print it to PDF from Excel when it is to be tabled.")


def _put_in_place(s: CaseSession, case_path: Path, out: Path, plain: bytes, what: str, detail: str) -> None:
    """Encrypted as the case is; put in place only once the Audit records it, so none is ever on disk
    that the Audit does not list; a run killed in between is finished by the next (workbook.xlsx.moves)."""
    data = plain if s.password is None else encrypt_bytes(plain, s.password, file=out)
    ensure_not_open(out)
    tmp = written_temp(out, data, case_path.name)
    planned = [Move(tmp, out, keep=3)]
    try:
        s.audit(what, f"{detail}; report SHA-256 {sha256(tmp)}")
        moves.write_journal(case_path, planned)
        s.save()
    except BaseException:
        moves.forget(case_path, planned)
        raise
    moves.carry_out(case_path, planned)
