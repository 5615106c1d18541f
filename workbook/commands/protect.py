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
                if _plain_backups(case_path):  # a run the disk stopped half-way: finish it
                    return _protect_backups(case_path, s.reader.password)
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
            _protect_backups(case_path, password)
        return backup


def _plain_backups(case_path) -> list[Path]:
    return [b for b in backups_of(case_path) if not is_encrypted(b.read_bytes()[:8])]


def _protect_backups(case_path, password: str) -> None:
    """The backups made before protection are plain copies of the case: protected as well. A
    full disk here leaves the case protected and says which backups are not; `scr protect` again
    finishes the work."""
    plain = _plain_backups(case_path)
    for i, b in enumerate(plain):
        try:
            write_file_atomic(b, encrypt_bytes(b.read_bytes(), password, file=b), temp_for=Path(case_path).name)
        except OSError as e:
            left = [p.name for p in plain[i:]]
            raise ScrError(f"the case workbook is password-protected now, but {len(left)} of its backups in backups/ "
                           f"could not be encrypted ({e.strerror or e}) and are still plain copies: "
                           f"{', '.join(left[:5])}{' ...' if len(left) > 5 else ''}.", file=case_path,
                           fix="Free some disk space, then run `scr protect` again: it encrypts the backups left "
                               "(or delete those backups).") from None
