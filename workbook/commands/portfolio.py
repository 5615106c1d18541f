"""`scr portfolio`: every case workbook under the folders, read (never written), and the board's
portfolio workbook (workbook.portfolio) made from them; with --pdf a Board paper too.

Reading is the same as `scr status` (workbook.case.session.read_what_it_can): a bad cell does not
stop a case, it is counted as blank and the row says so. A file that is not a case, is damaged, or
is protected without the password given is named on the "Not read" sheet with the reason, and the
rest go on. A case open in Excel is read from its last saved state: only its bytes on disk are
read, and nothing is written beside it (no lock, no backup), so no case file changes.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import ScrError
from tracker.portfolio import Review, annual_report, review, year_of, year_span
from workbook.board_report.write import to_pdf
from workbook.case.logs import extensions_log
from workbook.case.session import read_what_it_can
from workbook.portfolio.write import is_portfolio, write_portfolio
from workbook.xlsx.crypto import PASSWORD_ENV, encrypt_bytes
from workbook.xlsx.locks import find_lock
from workbook.xlsx.safe import atomic_write, check_output

SUFFIXES = (".xlsx", ".xlsm")
SKIP_FOLDERS = {"backups"}  # the case's own timestamped copies (workbook.xlsx.safe): not more reviews


@dataclass
class Portfolio:
    path: Path
    pdf: Path | None
    reviews: list[Review]
    not_read: list[tuple[str, str]]
    year: str
    annual: dict


def find_workbooks(folders) -> list[tuple[Path, str]]:
    """Every .xlsx/.xlsm under the folders, with the name it is shown by (relative to its folder);
    Excel's and LibreOffice's lock files and the backups folders left out."""
    found, seen = [], set()
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise ScrError("the folder does not exist.", file=folder, fix="Give the folder that holds the case workbooks.")
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d.casefold() not in SKIP_FOLDERS and not d.startswith("."))
            for name in sorted(files):
                p = Path(root) / name
                if p.suffix.lower() not in SUFFIXES or name.startswith(("~$", ".~lock.", ".")):
                    continue
                key = p.resolve()
                if key not in seen:
                    seen.add(key)
                    found.append((p, str(p.relative_to(folder))))
    return found


def reason(e: BaseException) -> str:
    if isinstance(e, ScrError):
        msg = ("The file " + e.message) if e.message.startswith(("is ", "has ")) else e.message[:1].upper() + e.message[1:]
        return msg + (f" Fix: {e.fix}" if e.fix else "")
    return (f"It could not be read ({type(e).__name__}); it may be damaged. Fix: Open it in Excel and save it "
            "again, or restore it from its backups folder.")


def read_one(path: Path, shown: str, today: dt.date) -> Review:
    case, results, reader = read_what_it_can(path, today)
    notes = []
    if find_lock(path) is not None:
        notes.append("open in Excel when read: its last saved state")
    problems = len(reader.errors)
    if problems:
        notes.append(f"{problems} cell{'s' if problems != 1 else ''} to fix, counted as blank (see `scr status`)")
    return review(case, results, shown, "; ".join(notes), extensions_log(reader))


def _read(job) -> tuple[str, Review | str | None]:
    """One file: its Review, or why it was not read, or None (an earlier portfolio: ours, not a case)."""
    path, shown, today = job
    try:
        return shown, read_one(path, shown, today)
    except Exception as e:  # every file is its own: one that cannot be read is named, the rest go on
        return shown, None if is_portfolio(path) else reason(e)


PARALLEL_FROM = 8  # files; fewer are read faster here than a pool of processes starts


def read_cases(folders, today: dt.date, progress: Callable[[int], None] | None = None, skip=()):
    skip = {Path(s).resolve() for s in skip}
    jobs = [(p, shown, today) for p, shown in find_workbooks(folders) if p.resolve() not in skip]
    workers = min(os.cpu_count() or 1, 8)
    reviews, not_read = [], []
    # Reading a case is openpyxl's parsing, all CPU: one process a core reads 200 cases in half the time.
    # The order is the files' order, whichever finishes first.
    parallel = workers > 1 and len(jobs) >= PARALLEL_FROM
    with ProcessPoolExecutor(workers) if parallel else nullcontext() as pool:
        for shown, got in pool.map(_read, jobs, chunksize=4) if parallel else map(_read, jobs):
            if isinstance(got, Review):
                reviews.append(got)
            elif got is not None:
                not_read.append((shown, got))
            if progress:
                progress(1)
    return reviews, not_read


def build_portfolio(folders, out: Path | None = None, *, pdf: bool = False, year: str | None = None,
                    today: dt.date | None = None, progress=None, on_count=None, board_themes=()) -> Portfolio:
    folders = [Path(f) for f in folders]
    if not folders:
        raise ScrError("no folder was given.", fix="Give the folder (or folders) that hold the case workbooks.")
    today = today or dt.date.today()
    year = year or year_of(today)
    year_span(year)  # a wrong year is refused before anything is read
    out = Path(out or folders[0] / f"Portfolio {today:%Y-%m-%d}.xlsx")
    check_output(out, what="a portfolio", ours=is_portfolio)
    if on_count:
        on_count(sum(1 for p, _ in find_workbooks(folders) if p.resolve() != out.resolve()))
    reviews, not_read = read_cases(folders, today, progress, skip=[out])
    if not reviews and not not_read:
        raise ScrError("no case workbooks (.xlsx or .xlsm) were found in the folder.", file=folders[0],
                       fix="Give the folder that holds the case workbooks.")
    password = os.environ.get(PASSWORD_ENV) or None
    protected = password is not None and any(_encrypted(f, r.file) for f in folders for r in reviews)
    if pdf and protected:
        raise ScrError("some case workbooks are password-protected, and a PDF cannot carry the password, so no "
                       "portfolio was made.", file=out, fix="Run `scr portfolio` without --pdf: the .xlsx is "
                       "protected with the case password; print it to PDF from Excel when it is to be tabled.")

    def write(tmp: Path):
        if not protected:
            write_portfolio(tmp, reviews, not_read, as_at=today, year=year, board_themes=board_themes)
            return
        buf = io.BytesIO()  # a portfolio of protected cases is protected too, encrypted in memory
        write_portfolio(buf, reviews, not_read, as_at=today, year=year, board_themes=board_themes)
        tmp.write_bytes(encrypt_bytes(buf.getvalue(), password, file=out))
    atomic_write(out, write, keep=3)
    pdf_path = to_pdf(out) if pdf else None
    return Portfolio(out, pdf_path, reviews, not_read, year, annual_report(reviews, year))


def _encrypted(folder: Path, shown: str) -> bool:
    from workbook.xlsx.crypto import OLE_MAGIC
    p = folder / shown
    try:
        with open(p, "rb") as fh:
            return fh.read(8) == OLE_MAGIC
    except OSError:
        return False
