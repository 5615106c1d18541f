"""`scr report`: the collated action-plan progress report for the Board or sub-committee (the
figures are tracker.progress's, the workbook workbook.board_report's), recorded in the case's Audit."""
from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from tracker import rag as ragmod
from tracker.excel_dates import fmt
from tracker.progress import action_rows, changes_since, history
from tracker.errors import ScrError
from tracker.text import safe_name
from workbook.board_report.write import is_report, to_pdf, write_report
from workbook.case.audit import sha256
from workbook.case.logs import last_report, updates_log
from workbook.case.session import CaseSession
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx.safe import atomic_write, check_output


@dataclass
class Report:
    path: Path
    pdf: Path | None
    counts: dict
    since: dt.date | None
    changes: int


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

    def write(tmp: Path):
        if s.password is None:
            write_report(tmp, case, rows, changes, since, dates, hist, counts)
            return
        buf = io.BytesIO()  # a protected case's report is protected too, encrypted in memory
        write_report(buf, case, rows, changes, since, dates, hist, counts)
        tmp.write_bytes(encrypt_bytes(buf.getvalue(), s.password, file=out))
    if pdf and s.password is not None:
        raise ScrError("the case workbook is password-protected, and a PDF cannot carry the password, so no "
                       "report was made.", file=case_path,
                       fix="Run `scr report` without --pdf: the .xlsx report is protected with the case password; "
                       "print it to PDF from Excel when it is to be tabled.")
    old = atomic_write(out, write, keep=3)
    pdf_path = None
    try:
        if pdf:
            pdf_path = to_pdf(out)
        s.audit("progress report for the Board", f"{out.name}: {len(rows)} actions, {len(changes)} updates since "
                + (fmt(since) if since else "the start") + f"; report SHA-256 {sha256(out)}")
        s.save()
    except BaseException:
        # the case does not record it (a full disk at the save, the case opened meanwhile): no
        # report is left that the Audit does not list; the one it replaced is put back
        _unmake(out, old, pdf_path)
        raise
    return Report(out, pdf_path, counts, since, len(changes))


def _unmake(out: Path, old: Path | None, pdf_path: Path | None) -> None:
    try:
        if old is not None:
            os.replace(old, out)
        else:
            out.unlink(missing_ok=True)
        if pdf_path is not None:
            pdf_path.unlink(missing_ok=True)
    except OSError:
        pass
