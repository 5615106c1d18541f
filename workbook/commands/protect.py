"""`scr protect`: keep a case workbook encrypted at rest with the case password (Excel's own
File > Info > Protect Workbook > Encrypt with Password), or take that protection off.

Seed 001 §1.2: "All e-documents will be password protected and that password should only be
shared with those involved." Once protected, every command opens the case with the password
(SCR_CASE_PASSWORD, or asked for) and saves it encrypted again; the plain workbook is only ever
in memory. Backups are copies of the file as it was, so they stay encrypted too."""
from __future__ import annotations

from pathlib import Path

from tracker.errors import ScrError
from workbook.case.session import CaseSession
from workbook.xlsx.crypto import encrypt_bytes, is_encrypted
from workbook.xlsx.safe import backups_of, write_file_atomic


def protect(case_path, password: str | None, *, off: bool = False) -> Path | None:
    """Encrypt the case with ``password`` (``off``: decrypt it); the backup made."""
    with CaseSession(case_path, "protect") as s:
        protected = s.reader.password is not None
        if off:
            if not protected:
                raise ScrError("this case workbook is not password-protected, so nothing was changed.",
                               file=case_path)
            s.password = None
            s.audit("password protection removed", "the case workbook is no longer encrypted")
        else:
            if protected:
                raise ScrError("this case workbook is already password-protected, so nothing was changed.",
                               file=case_path, fix="To change the password, run `scr protect --off`, then "
                               "`scr protect` with the new one.")
            if not password:
                raise ScrError("no case password was given, so the workbook was not protected.", file=case_path,
                               fix="Run `scr protect --password CASE` and type the password when asked, "
                               "or set SCR_CASE_PASSWORD.")
            s.password = password
            s.audit("case workbook password-protected", "encrypted at rest with the case password")
        backup = s.save()
        if not off:
            # the backups made before today are plain copies of the case: protect them as well
            for b in backups_of(case_path):
                data = b.read_bytes()
                if not is_encrypted(data):
                    write_file_atomic(b, encrypt_bytes(data, password, file=b), temp_for=Path(case_path).name)
        return backup
