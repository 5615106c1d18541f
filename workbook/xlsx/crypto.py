"""Password-protecting a finished .xlsx as Excel does (File > Info > Protect Workbook > Encrypt
with Password); opening a protected one is workbook.xlsx.untrusted's."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tracker.errors import ScrError


def encrypt(path, password: str) -> None:
    """Encrypt the .xlsx at ``path`` in place with ``password`` (ECMA-376 Agile encryption, what
    Excel's File > Info > Protect Workbook > Encrypt with Password does)."""
    from msoffcrypto import exceptions as mexc
    from msoffcrypto.format.ooxml import OOXMLFile

    path = Path(path)
    if password is None or not str(password).strip():
        raise ScrError("the password is empty, so the sheet was not encrypted.", file=path,
                       fix="Give the case password (or leave it out to issue unencrypted sheets).")
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".scr-tmp")
    tmp = Path(tmp_name)
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as out:
            fd = -1
            try:
                OOXMLFile(src).encrypt(str(password), out)
            except (mexc.EncryptionError, mexc.FileFormatError) as e:
                raise ScrError(f"could not be encrypted ({e}).", file=path,
                               fix="Check it is an unencrypted .xlsx workbook.") from None
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
