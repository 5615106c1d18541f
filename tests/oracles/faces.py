"""The three faces of a case file's computed cells, checked on the file's own formulas: the add-in
(each SCR_* call's arguments evaluated from the cells, called through xlwings' dispatcher) against
the saved values, then LibreOffice recalculating with every saved value first replaced by a marker.
Shared by the tests that run a case through a command and prove the three still agree after it."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from libreoffice import require_soffice
from oracles.addin import check_file
from oracles.test_native_twins import XLSX_FILTER, lo_convert_many, markers_left, poison
from workbook.case.read import locate


def faces_differ(path: Path, out_dir: Path, label: str, cells: dict, *, compared: int, formulas: int) -> list:
    """The cells ({table: column keys}, every row) where LibreOffice's answer is not the saved value,
    after asserting the add-in agrees on more than ``compared`` cells and more than ``formulas``
    formulas were poisoned and none was left unrecalculated."""
    report = check_file(path, label)
    assert report.compared > compared and not report.differences, report.text()
    require_soffice()
    saved = openpyxl.load_workbook(path, data_only=True)
    assert poison(path) > formulas
    lo_convert_many([path], XLSX_FILTER, out_dir, recalc=True)
    back = out_dir / path.name
    assert not markers_left(back)
    again = openpyxl.load_workbook(back, data_only=True)
    differ = []
    for t, keys in cells.items():
        loc = locate(saved, t, path)
        for r in loc.rows:
            for k in keys:
                ref = f"{loc.cols[k]}{r}"
                want, got = saved[loc.sheet][ref].value, again[loc.sheet][ref].value
                if got != want:
                    differ.append((t.name, ref, want, got))
    return differ
