"""Writing a new case workbook to disk: built into a temporary file and put in place atomically."""
from __future__ import annotations

import io
from pathlib import Path

from tracker.case import CaseData, Results, compute
from tracker.errors import ScrError
from workbook.case.build import Builder
from workbook.case.keys import save_key
from workbook.case.load import is_case_workbook
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx.safe import atomic_write, check_output


def write_new(path: Path, case: CaseData, *, force: bool = False, password: str | None = None) -> Results:
    """Build the workbook into a temp file and put it in place atomically (backup if replacing).
    With ``password`` it is kept encrypted at rest: built and encrypted in memory, so no plain
    copy is ever written."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ScrError("a new case workbook must be an .xlsx file.", file=path,
                       fix="Use a name ending .xlsx (save it as .xlsm in Excel once you add the buttons).")
    if path.exists() and not force:
        raise ScrError("the file already exists, so it was not replaced.", file=path,
                       fix="Choose another name, or add --force to replace it (a backup is kept).")
    # --force replaces a case workbook, never a report, a chronology or someone's own spreadsheet
    check_output(path, what="a case workbook", ours=is_case_workbook, option="the case file name",
                 fix="Choose another name for the new case workbook.")
    results = compute(case)
    save_key(case.case_id, case.case_key)  # first: a case on disk always has its key beside it
    def write(tmp: Path) -> None:
        if password is None:
            Builder(tmp, case, results).build()
            return
        buf = io.BytesIO()
        Builder(buf, case, results).build()
        tmp.write_bytes(encrypt_bytes(buf.getvalue(), password, file=path))
    atomic_write(path, write)
    return results
