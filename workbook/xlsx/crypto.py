"""Password-protecting a finished .xlsx as Excel does (File > Info > Protect Workbook > Encrypt
with Password); opening a protected one is workbook.xlsx.untrusted's.

Encryption is done in memory: the plaintext workbook is bytes in this process and only the
encrypted bytes are ever written (``write_file_atomic``), so no plaintext copy of a protected
document touches the disk, not even for a moment, nor is left behind by a crash."""
from __future__ import annotations

import io

from tracker.errors import ScrError


def encrypt_bytes(data: bytes, password: str, *, file=None) -> bytes:
    """The .xlsx ``data`` encrypted with ``password`` (ECMA-376 Agile encryption, what Excel's
    Encrypt with Password does), in memory. ``file`` names the document in messages."""
    from msoffcrypto import exceptions as mexc
    from msoffcrypto.format.ooxml import OOXMLFile

    if password is None or not str(password).strip():
        raise ScrError("the password is empty, so the document was not encrypted.", file=file,
                       fix="Give the case password (or leave it out for an unencrypted document).")
    out = io.BytesIO()
    try:
        OOXMLFile(io.BytesIO(bytes(data))).encrypt(str(password), out)
    except (mexc.EncryptionError, mexc.FileFormatError) as e:
        raise ScrError(f"could not be encrypted ({e}).", file=file,
                       fix="Check it is an unencrypted .xlsx workbook.") from None
    return out.getvalue()


def encrypt(path, password: str) -> None:
    """Encrypt the .xlsx already at ``path`` in place (atomically). The product's own protected
    outputs never use this (they are encrypted before they are written): it is for a workbook
    that exists in plaintext anyway."""
    from pathlib import Path

    from workbook.xlsx.safe import write_file_atomic

    path = Path(path)
    write_file_atomic(path, encrypt_bytes(path.read_bytes(), password, file=path))
