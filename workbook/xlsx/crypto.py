"""Password-protecting a finished .xlsx as Excel does (File > Info > Protect Workbook > Encrypt
with Password); opening a protected one is workbook.xlsx.untrusted's.

Encryption is done in memory: the plaintext workbook is bytes in this process and only the
encrypted bytes are ever written (``write_file_atomic``), so no plaintext copy of a protected
document touches the disk, not even for a moment, nor is left behind by a crash."""
from __future__ import annotations

import io
import os

from tracker.errors import ScrError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx is an OLE file, not a zip
PASSWORD_ENV = "SCR_CASE_PASSWORD"
ASK_HOW = ("add --password to be asked for it (it is not shown as you type), or set SCR_CASE_PASSWORD; "
           "never type the password itself on the command line, where other users of the PC can see it")

# Set by the command line (tracker.cli) to ask for the password when none is in the environment.
ask_password = None


def is_encrypted(data: bytes) -> bool:
    return bytes(data[:8]) == OLE_MAGIC


def password_for(file=None) -> str:
    """The case password: SCR_CASE_PASSWORD, or asked for (the command line's prompt); never argv."""
    pw = os.environ.get(PASSWORD_ENV)
    if not pw and ask_password is not None:
        pw = ask_password()
        if pw:
            os.environ[PASSWORD_ENV] = pw  # asked once per run, for every document it opens
    if not pw:
        raise ScrError("this workbook is password-protected, and no password was given.", file=file,
                       fix=f"Give the case password: {ASK_HOW}.")
    return pw


def readable(path) -> io.BytesIO | None:
    """The plain workbook at ``path`` to look into (decrypted in memory with SCR_CASE_PASSWORD if
    it is protected), or None when it cannot be read: for "is this file one of ours?" checks."""
    from pathlib import Path
    try:
        data = Path(path).read_bytes()
        if is_encrypted(data):
            pw = os.environ.get(PASSWORD_ENV)
            data = decrypt_bytes(data, pw, file=path) if pw else None
    except (OSError, ScrError):
        return None
    return io.BytesIO(data) if data else None


def decrypt_bytes(data: bytes, password: str, *, file=None) -> bytes:
    """The plain .xlsx inside the password-protected ``data``, in memory (never on disk)."""
    import msoffcrypto
    from msoffcrypto import exceptions as mexc

    out = io.BytesIO()
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(bytes(data)))
        office.load_key(password=str(password), verify_password=True)
        office.decrypt(out)
    except mexc.InvalidKeyError:
        raise ScrError("the case password given does not open this workbook (wrong password).", file=file,
                       fix="Check the password (capitals matter) and try again.") from None
    except Exception as e:
        raise ScrError(f"this password-protected workbook could not be opened ({type(e).__name__}); it may be "
                       "damaged.", file=file, fix="Open it in Excel with the password and save it again, or "
                       "restore it from backups/.") from None
    plain = out.getvalue()
    if plain[:4] != b"PK\x03\x04":
        raise ScrError("the password-protected file does not hold an Excel workbook.", file=file,
                       fix="Give the path of the case workbook (.xlsx).")
    return plain


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
