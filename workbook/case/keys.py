"""The case's signing key, kept in a file of the board manager's own, never in the case workbook.

The key signs every issued update sheet (workbook.update_sheet.record); whoever has it can make a
return that verifies. A case workbook is backed up, copied and sent on (to the Chair, to a
colleague), so the key is not in it: it is in ``~/.scr/keys/<case id>.key`` (the folder can be
moved with the environment variable SCR_KEYS_DIR), readable by its owner only (mode 0600, the
folder 0700). A case made before this kept the key on its Settings sheet; the next command that
changes such a case moves it here and blanks the cell (workbook.case.session).
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from tracker.errors import ScrError

KEYS_ENV = "SCR_KEYS_DIR"
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def keys_dir() -> Path:
    env = os.environ.get(KEYS_ENV, "").strip()
    return Path(env).expanduser() if env else Path.home() / ".scr" / "keys"


def key_path(case_id: str) -> Path:
    """The key file of a case. A case id the tracker made is hex; anything else typed into the
    cell is hashed, so no case id can name a file outside the folder."""
    cid = str(case_id or "").strip()
    name = cid if _PLAIN_ID.fullmatch(cid) else "id-" + hashlib.sha256(cid.encode("utf-8")).hexdigest()[:24]
    return keys_dir() / f"{name}.key"


def load_key(case_id: str) -> str:
    """The case's key from its key file, or "" when this machine has none."""
    if not str(case_id or "").strip():
        return ""
    try:
        return key_path(case_id).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def save_key(case_id: str, key: str) -> Path:
    """Keep ``key`` as the case's key file (owner-only). A key file already there is kept when it
    holds the same key; a different one is never replaced (sheets it signed would stop verifying)."""
    path = key_path(case_id)
    old = load_key(case_id)
    if old == key:
        return path
    if old:
        raise ScrError(f"this case's signing key differs from the key file {path} already kept for case id "
                       f"'{case_id}', so neither was changed.",
                       fix="If the key file belongs to another copy of this case, move it out of the folder and "
                           "run the command again; otherwise ask for help before issuing or importing.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # a umask can only take bits away; this makes sure none were left
        os.replace(tmp, path)
    except OSError as e:
        raise ScrError(f"the case's signing key could not be kept in {path} ({e.strerror or e}).",
                       fix=f"Check that the folder {path.parent} can be written (or set {KEYS_ENV} to a private "
                           "folder that can), then try again.") from None
    return path


def missing_key_fix(case_id: str) -> str:
    """What to tell a board manager whose machine has no key file for the case."""
    path = key_path(case_id)
    return (f"Copy the key file {path.name} from the computer where the case was made (its folder "
            f"~/.scr/keys, or {KEYS_ENV}) into {path.parent} on this computer; keep it private (it is what "
            "proves a returned sheet was issued by the Board).")
