"""Whether a workbook is open elsewhere, and the one-writer-at-a-time lock on it.

One writer at a time: ``WriterLock`` is an OS lock (``fcntl.flock`` / ``msvcrt.locking``) on a
  hidden ``.<name>.scr-lock`` file beside the workbook, held by a command from reading the
  workbook to replacing it, so two commands at the same moment never both read the old file and
  each replace it (one of them would be lost). The lock file itself is left in place: deleting a
  locked file lets a third process lock a new file of the same name while a second still waits
  on the old one. The OS drops the lock when the process ends, however it ends.

Lock-file names (basis: LibreOffice's reverse-engineered MS Office owner files,
``svl/source/misc/msodocumentlockfile.cxx``, written against Office 2016):

* Excel (and PowerPoint): ``~$`` + the full file name, e.g. ``~$Book1.xlsx``,
  ``~$Case review 2026.xlsx``. Only Word shortens the name (it drops the first two characters
  when the name before the extension has 8 or more characters, one when it has 7).
* LibreOffice: ``.~lock.`` + the full file name + ``#``.

We also look for the Word-style shortened forms, because other Office-like programs and old
versions have been seen to use them. A shortened name can equally be the *full* name of a
sibling's lock (``~$se 2026.xlsx`` is also the Excel lock of ``se 2026.xlsx``), so such a file
only counts when that sibling workbook does not exist.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from tracker.errors import ScrError

LOCK_SUFFIX = ".scr-lock"
# How long a second writer waits for the first; SCR_LOCK_WAIT (seconds) overrides it.
LOCK_WAIT = 60.0
BUSY = "the case is being changed by another scr command; try again"


def writer_lock_for(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_name(f".{p.name}{LOCK_SUFFIX}")


class WriterLock:
    """The one-writer-at-a-time lock on ``path`` (see module notes), as a context manager.

    Waits up to ``wait`` seconds for another holder, then refuses (ScrError, nothing changed).
    Re-entrant within one process: a nested acquire of a path this process holds is a no-op."""

    _held: dict[Path, int] = {}  # this process's locks: resolved workbook path -> depth

    def __init__(self, path: str | os.PathLike, wait: float | None = None):
        self.path = Path(path)
        self.key = self.path.resolve() if self.path.parent.exists() else self.path
        self.lock_path = writer_lock_for(self.key)
        env = os.environ.get("SCR_LOCK_WAIT")
        self.wait = wait if wait is not None else float(env) if env else LOCK_WAIT
        self._fh = None

    def acquire(self) -> "WriterLock":
        if self._fh is not None:
            return self
        if self._held.get(self.key):
            self._held[self.key] += 1
            self._fh = False  # nested: the outer holder releases the OS lock
            return self
        fh = open(self.lock_path, "a+b")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                _os_lock(fh)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise ScrError(f"{BUSY} (it waited {self.wait:g} seconds), so nothing was changed.",
                                   file=self.path,
                                   fix="wait for the other command (or the other person's command) to finish, "
                                       "then run this one again.") from None
                time.sleep(0.05)
        self._fh = fh
        self._held[self.key] = 1
        return self

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        self._held[self.key] -= 1
        if fh is False:
            return
        del self._held[self.key]
        try:
            _os_unlock(fh)
        finally:
            fh.close()

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _os_lock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _os_unlock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _os_lock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _os_unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def lock_file_for(path: str | os.PathLike) -> Path:
    """Excel's owner ("lock") file for ``path``: ``~$`` + the full file name, same folder."""
    p = Path(path)
    return p.with_name("~$" + p.name)


def libreoffice_lock_for(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_name(".~lock." + p.name + "#")


def _shortened_locks(p: Path) -> list[Path]:
    """Word-style owner file names (see module notes); empty for short names."""
    drop = 2 if len(p.stem) >= 8 else 1 if len(p.stem) == 7 else 0
    if not drop:
        return []
    lock = p.with_name("~$" + p.name[drop:])
    # The same name is the Excel lock of a sibling called p.name[drop:]; then it is theirs.
    return [] if p.with_name(p.name[drop:]).exists() else [lock]


def find_lock(path: str | os.PathLike) -> Path | None:
    """The first lock file that says ``path`` is open somewhere, or None."""
    p = Path(path)
    for lock in [lock_file_for(p), libreoffice_lock_for(p), *_shortened_locks(p)]:
        if lock.exists():
            return lock
    return None


def ensure_not_open(path: str | os.PathLike) -> None:
    """Raise ScrError naming the workbook when a lock file says it is open."""
    p = Path(path)
    lock = find_lock(p)
    if lock is None:
        return
    app = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"
    raise ScrError(
        f"{p.name} is open in {app} (lock file {lock.name} is beside it), so it was not changed",
        file=p,
        fix=(
            f"close it in {app} and try again. If it is not open on any computer, "
            f"the lock file was left by a crash: delete the hidden file {lock.name} "
            "in the same folder and try again."
        ),
    )
