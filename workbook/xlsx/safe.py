"""Replacing a workbook on disk without ever leaving it half-written or stepping on Excel.

These promises, because a case workbook is the only record a board manager has:

* We refuse while the workbook is open (Excel's or LibreOffice's lock file is beside it):
  writing under an open Excel would either fail half-way on Windows or be silently
  overwritten by the user's next Ctrl+S.
* The new file appears all at once (temp file in the same folder, fsync, ``os.replace``), so a
  crash, a kill or a full disk leaves the complete old file or the complete new one.
* The old file is kept in ``backups/`` beside the workbook (newest ``keep`` only).

Temporary files are named ``.<name>.<random>.scr-tmp`` (hidden, recognisable); they are removed
when a write fails, and ``remove_stale_temps`` removes those a killed earlier run left.

Who holds the case, and whether Excel has it open, is in ``workbook.xlsx.locks``.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Union

from tracker.errors import ScrError
from workbook.xlsx.locks import ensure_not_open

KEEP_BACKUPS = 20
BACKUP_DIR = "backups"
_STAMP = "%Y-%m-%dT%H%M%S"

Data = Union[bytes, bytearray, memoryview, Callable[[Path], object]]
TEMP_SUFFIX = ".scr-tmp"


def temp_file(folder: Path, name: str) -> tuple[int, Path]:
    """A new hidden temp file in ``folder`` for writing ``name``: (fd, path), named recognisably."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TEMP_SUFFIX)
    return fd, Path(tmp)


def remove_stale_temps(folder: str | os.PathLike, name: str | None = None) -> list[Path]:
    """Remove the temp files a killed earlier run left in ``folder`` (only ours, for ``name`` if
    given, else every one); the caller holds the lock under which they are written."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    pat = re.compile(r"\." + (re.escape(name) if name else r".+") + r"\.[^.]+" + re.escape(TEMP_SUFFIX) + r"\Z")
    return _remove_matching(folder, pat)


def remove_stale_backup_temps(path: str | os.PathLike) -> list[Path]:
    """The temp files of half-made backups of ``path`` a killed earlier run left in ``backups/``."""
    p = Path(path)
    folder = p.parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    pat = re.compile(r"\." + re.escape(p.stem) + r"\.\d{4}-\d\d-\d\dT\d{6}(?:-\d+)?" + re.escape(p.suffix)
                     + r"\.[^.]+" + re.escape(TEMP_SUFFIX) + r"\Z")
    return _remove_matching(folder, pat)


def _remove_matching(folder: Path, pat, also=lambda p: True) -> list[Path]:
    gone = []
    for p in folder.iterdir():
        try:
            if pat.match(p.name) and p.is_file() and also(p):
                p.unlink()
                gone.append(p)
        except OSError:
            pass
    return gone


def write_file_atomic(path: str | os.PathLike, data: bytes, *, temp_for: str | None = None) -> Path:
    """``data`` written to ``path`` all at once (``write_files_atomic`` with one file): never a
    partial file, no temp left if it fails. No backup, no lock check: for files the product makes
    and owns. ``temp_for``: the name the temp is named after (default ``path``'s), e.g. the case
    file whose session writes it, so that session's successor can find it if this run is killed."""
    target = Path(path)
    return write_files_atomic({target: data}, temp_for=temp_for or target.name)[0]


def write_files_atomic(files: dict[Path, Data], *, replaces=(), temp_for: str) -> list[Path]:
    """A set of files written as one: every new file written to a hidden temp and fsynced first
    (a full disk fails here, with the old set untouched and the temps removed), and only then the
    old files in ``replaces`` that are not rewritten removed and the new ones renamed into place.
    ``temp_for`` names the temps (``remove_stale_temps(folder, temp_for)`` removes a killed run's)."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            temps.append((written_temp(Path(target), data, temp_for), Path(target)))
    except BaseException:
        for tmp, _target in temps:
            tmp.unlink(missing_ok=True)
        raise
    for old in replaces:
        if old not in files:
            old.unlink(missing_ok=True)
    for tmp, target in temps:
        os.replace(tmp, target)
    for folder in {t.parent for _tmp, t in temps}:
        _fsync_dir(folder)
    return [t for _tmp, t in temps]


def written_temp(target: Path, data: Data, temp_for: str) -> Path:
    """The one way a new file is made: ``data`` (bytes, or a function given the temp path to write
    into) in a hidden temp beside ``target``, fsynced, with ``target``'s permissions; the temp is
    removed if anything fails (a full disk, a writer that raises, nothing written)."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = temp_file(folder, temp_for)
    try:
        if callable(data):
            os.close(fd)
            fd = -1
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as fh:
                fd = -1
                fh.write(data)
        if tmp.stat().st_size == 0:
            # A zero-byte file replacing a real one is the worst outcome; never do it.
            raise ScrError("nothing was produced to save, so the file was not changed", file=target)
        _fsync(tmp)
        _copy_mode(target, tmp)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def atomic_write(path: str | os.PathLike, data: Data, *, keep: int = KEEP_BACKUPS) -> Path | None:
    """Replace ``path`` with ``data`` all-or-nothing; return the backup of the old file (or None).

    ``data`` is the new content, or a function given a temp file path to write it into.
    Refuses (ScrError) before writing anything if the workbook is open. On any exception the
    original is untouched and the temp file removed. ``keep`` backups are kept (0 = none).
    """
    target = Path(path)
    if target.is_symlink():  # replace the workbook itself, not the link to it
        target = target.resolve()
    ensure_not_open(target)
    if target.exists() and not target.stat().st_mode & 0o222:
        # os.replace would ignore the read-only flag (and root ignores permissions); Excel respects it.
        raise ScrError("the workbook is read-only, so it was not changed.", file=target,
                       fix="Clear the read-only setting (file Properties) if it should be changed, and try again.")
    folder = target.parent if str(target.parent) else Path(".")
    tmp = written_temp(target, data, target.name)
    backup = None
    try:
        if target.exists():
            backup = make_backup(target) if keep > 0 else None
        ensure_not_open(target)  # it may have been opened while we were writing
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # Windows: Excel holds the file open
            raise ScrError(
                f"{target.name} could not be replaced ({exc.strerror})", file=target,
                fix="close it in Excel (and any other program using it) and try again.",
            ) from exc
        _fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if keep > 0:
        prune_backups(target, keep)
    return backup


def backups_of(path: str | os.PathLike) -> list[Path]:
    """Our backups of ``path``, oldest first (names sort by their timestamp)."""
    p = Path(path)
    folder = p.parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    pat = re.compile(
        re.escape(p.stem) + r"\.\d{4}-\d\d-\d\dT\d{6}(?:-\d+)?" + re.escape(p.suffix) + r"\Z"
    )
    return sorted((b for b in folder.iterdir() if pat.match(b.name)), key=_backup_key)


def prune_backups(path: str | os.PathLike, keep: int = KEEP_BACKUPS) -> None:
    """Delete all but the newest ``keep`` backups of ``path`` (only files we named)."""
    old = backups_of(path)
    for b in old[: max(0, len(old) - keep)]:
        b.unlink(missing_ok=True)


def _backup_key(b: Path):
    # "Case.2026-11-27T101500-2.xlsx" must sort after "Case.2026-11-27T101500.xlsx".
    m = re.search(r"(\d{4}-\d\d-\d\dT\d{6})(?:-(\d+))?", b.name)
    return (m.group(1), int(m.group(2) or 1)) if m else ("", 0)


def make_backup(target: Path) -> Path:
    folder = target.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime(_STAMP)
    # Several saves in one second: number past the highest (a name freed by pruning must not
    # be reused, or the newest backup would sort as the oldest).
    same = [_backup_key(b)[1] for b in backups_of(target) if _backup_key(b)[0] == stamp]
    n = max(same, default=0) + 1
    name = f"{target.stem}.{stamp}{'' if n == 1 else f'-{n}'}{target.suffix}"
    dest = folder / name
    # Copy under a temp name and rename, so a backup is never a partial file either.
    fd, part = temp_file(folder, name)
    os.close(fd)
    try:
        shutil.copy2(target, part)
        _fsync(Path(part))
        os.replace(part, dest)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    return dest


def _copy_mode(src: Path, dst: Path) -> None:
    # mkstemp makes 0600 files; the replaced workbook must keep the permissions it had
    # (shared folders), or get the usual ones if it is new.
    if src.exists():
        shutil.copymode(src, dst)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(dst, 0o666 & ~umask)


def _fsync(p: Path) -> None:
    with open(p, "rb+") as fh:  # Windows needs a writable handle to flush
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; directories cannot be opened on Windows.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_output(out: str | os.PathLike, *, what: str, ours: Callable[[Path], bool], inputs=(),
                 option: str = "--out", suffix: str = ".xlsx", fix: str | None = None) -> Path:
    """Refuse (ScrError), before anything is written, an output path a command must not write to:
    a wrong kind of file name, one of the files the command reads, a folder, a folder that does
    not exist, or an existing file that is not ``what`` this command made (``ours(path)`` says if
    it is) -- a case workbook typed in the wrong place, someone's own spreadsheet. Only a file this
    command made for this purpose is ever replaced (and then with a backup, by ``atomic_write``).
    ``what`` names the output ("the integrated chronology"), ``option`` where it was given."""
    out = Path(out)
    fix = fix or f"Give {option} a new file name ending {suffix}."
    if out.suffix.lower() != suffix:
        raise ScrError(f"{what} must be an {suffix} file.", file=out, fix=f"Give {option} a name ending {suffix}.")
    if out.exists() or out.is_symlink():
        real = out.resolve()
        if any(Path(f).exists() and Path(f).resolve() == real for f in inputs):
            raise ScrError(f"{option} is also one of the files to read, so it would be overwritten; nothing was "
                           "written.", file=out, fix=fix)
        if not real.is_file():
            raise ScrError(f"{option} is a folder, not a file; nothing was written.", file=out, fix=fix)
        if not ours(real):
            raise ScrError(f"the file exists and is not {what} made by scr, so it was not replaced (nothing was "
                           "written, its backups are untouched).", file=out, fix=fix)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ScrError("the folder does not exist.", file=parent, fix="Create the folder first, or choose another folder.")
    return out
