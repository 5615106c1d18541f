"""The case's own integrated chronology, beside the case workbook, kept up to date by `scr import`:
every chronology form of this case that came back (the new ones, and those kept in returns/),
merged in date order with the agency codes of the board's settings.

Names are not coded here: it is the panel's working copy, kept with the case (and encrypted with
the case password when the case is). The coded version for Ofsted is `scr merge-chronologies
--key`'s."""
from __future__ import annotations

import hashlib
from pathlib import Path

from tracker import chronology as C
from tracker.board import load_board
from tracker.text import safe_name
from workbook.chronology.form import issued_form, verify
from workbook.chronology.read import read_chronologies
from workbook.chronology.write import is_integrated, write_integrated


def integrated_path(case_path: Path, case_name: str) -> Path:
    return case_path.parent / f"{safe_name(case_name or 'case', blank='case')} integrated chronology.xlsx"


def case_forms(case, folder: Path, password: str | None) -> list[Path]:
    """This case's chronology forms kept in ``folder`` (returns/), verified by their record."""
    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.glob("*.xlsx")):
        record = issued_form(p, password)
        if record is not None and not verify(record, case.case_id, case.case_key):
            out.append(p)
    return out


def merged_forms(case, files: list[Path], password: str | None, today) -> list:
    """The entries of ``files`` (the same file only once, by its contents), merged."""
    seen, unique = set(), []
    for f in files:
        digest = hashlib.sha256(Path(f).read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(f)
    entries = read_chronologies(unique, password=password, today=today)
    return C.merge(C.expand_codes(entries, load_board().agency_codes))


def write_case_integrated(target: Path, case_name: str, entries: list, password: str | None, today) -> bool:
    """Write it, unless ``target`` is a file that is not an integrated chronology (then False)."""
    if target.exists() and not is_integrated(target, password):
        return False
    write_integrated(target, entries, case_name=case_name, coded=None, password=password, made=today)
    return True
