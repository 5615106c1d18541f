"""The LibreOffice oracle (tests/libreoffice.py) does what the other tests rely on.

These tests fail, never skip, when LibreOffice is missing: CI installs it (.ci/run).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from libreoffice import (
    LibreOfficeError,
    cached_values,
    convert,
    csv_sheets,
    pdf_pages,
    pdf_to_pngs,
    read_csv,
    recalc,
    soffice_version,
)


pytestmark = pytest.mark.usefixtures("libreoffice_required")


def serial(d: date) -> int:
    """Excel 1900-system serial of a date after 28/02/1900, worked out independently."""
    return (d - date(1899, 12, 30)).days


# Expected answers, worked out by hand from a calendar (no holidays unless listed):
#   24/12/2024 is a Tuesday. WORKDAY(24/12/2024, 3) skips weekends only: Wed 25, Thu 26, Fri 27.
#   WORKDAY(27/12/2024, 1): the weekend is skipped -> Mon 30/12/2024.
#   With holidays 25/12 and 26/12: Fri 27, Mon 30, Tue 31 -> 31/12/2024.
#   NETWORKDAYS(23/12/2024, 03/01/2025): 23-27 Dec (5) + 30-31 Dec (2) + 1-3 Jan (3) = 10;
#   less 25/12, 26/12 and 01/01 as holidays = 7.
#   EDATE(31/01/2024, 1) = 29/02/2024 (leap year); EDATE(31/01/2023, 1) = 28/02/2023.
FORMULAS = {
    "A1": ("=1+1", 2),
    "A2": ("=WORKDAY(DATE(2024,12,24),3)", serial(date(2024, 12, 27))),
    "A3": ("=WORKDAY(DATE(2024,12,27),1)", serial(date(2024, 12, 30))),
    "A4": ("=WORKDAY(DATE(2024,12,24),3,Hols!A1:A3)", serial(date(2024, 12, 31))),
    "A5": ("=NETWORKDAYS(DATE(2024,12,23),DATE(2025,1,3))", 10),
    "A6": ("=NETWORKDAYS(DATE(2024,12,23),DATE(2025,1,3),Hols!A1:A3)", 7),
    "A7": ("=EDATE(DATE(2024,1,31),1)", serial(date(2024, 2, 29))),
    "A8": ("=EDATE(DATE(2023,1,31),1)", serial(date(2023, 2, 28))),
}


def build_workbook(path: Path) -> Path:
    """Formulas with no cached values (openpyxl never writes any), plus a dated sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calc"
    for ref, (formula, _) in FORMULAS.items():
        ws[ref] = formula
    ws["B1"] = 5
    ws["B2"] = "=B1*2"  # gets a wrong cached value in with_cached_values()
    hols = wb.create_sheet("Hols")
    for i, d in enumerate([date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)], start=1):
        hols.cell(row=i, column=1, value=d).number_format = "dd/mm/yyyy"
    shown = wb.create_sheet("Shown")
    shown["A1"] = "Due"
    shown["B1"] = "=WORKDAY(DATE(2024,12,24),3)"
    shown["B1"].number_format = "dd/mm/yyyy"
    shown["C1"] = "Smith, J"
    wb.save(path)
    return path


def with_cached_values(src: Path, dest: Path, sheet_xml: str, values: dict[str, str]) -> Path:
    """Copy of ``src`` whose formula cells in ``sheet_xml`` carry the given cached ``<v>``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == sheet_xml:
                xml = data.decode("utf-8")
                for ref, v in values.items():
                    pat = re.compile(
                        rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>[^<]*</v>)?'
                    )
                    xml, n = pat.subn(lambda m: f"{m.group(1)}<v>{v}</v>", xml)
                    assert n == 1, f"formula cell {ref} not found in {sheet_xml}"
                data = xml.encode("utf-8")
            zout.writestr(info, data)
    return dest


@pytest.fixture
def stale_workbook(tmp_path: Path) -> Path:
    """A1 (=1+1) cached as 99 and B2 (=B1*2) cached as 77: both wrong."""
    plain = build_workbook(tmp_path / "plain.xlsx")
    return with_cached_values(
        plain, tmp_path / "stale.xlsx", "xl/worksheets/sheet1.xml", {"A1": "99", "B2": "77"}
    )


def test_version_is_72_or_later():
    # The CSV sheet token (-1 / N) needs LibreOffice 7.2+.
    m = re.search(r"LibreOffice (\d+)\.(\d+)", soffice_version())
    assert m, soffice_version()
    assert (int(m.group(1)), int(m.group(2))) >= (7, 2)


def test_recalc_writes_correct_values(stale_workbook: Path, tmp_path: Path):
    out = recalc(stale_workbook, tmp_path / "out")
    assert out == tmp_path / "out" / "stale.xlsx"
    values = cached_values(out, "Calc")
    for ref, (formula, expected) in FORMULAS.items():
        assert values[ref] == expected, f"{ref} {formula}"
    assert values["B2"] == 10  # the wrong cached 77 was recalculated
    # The source is untouched.
    assert cached_values(stale_workbook, "Calc")["A1"] == 99


def test_default_settings_keep_cached_values(stale_workbook: Path, tmp_path: Path):
    """With LibreOffice's defaults a cached value is shown as it is, right or wrong.

    Later tests rely on this: a workbook we write must carry correct cached values, because
    that is what a user with default settings sees.
    """
    rows = read_csv(convert(stale_workbook, "csv", tmp_path / "default", sheet="Calc"))
    assert rows[0][0] == "99"  # =1+1, cached 99, not recalculated
    assert rows[1][1] == "77"  # =B1*2, cached 77, not recalculated
    # Cells with no cached value at all are still computed on load.
    assert rows[1][0] == "45653"  # WORKDAY(24/12/2024,3) = 27/12/2024, unformatted
    # The same file, recalculated on load, shows the right answers.
    rows = read_csv(convert(stale_workbook, "csv", tmp_path / "forced", recalc=True, sheet="Calc"))
    assert rows[0][0] == "2"
    assert rows[1][1] == "10"


def test_default_settings_xlsx_round_trip_keeps_cached_values(stale_workbook: Path, tmp_path: Path):
    out = recalc(stale_workbook, tmp_path / "out", recalc=False)
    assert cached_values(out, "Calc")["A1"] == 99


def test_csv_sheet_by_number_name_and_all(tmp_path: Path):
    book = build_workbook(tmp_path / "book.xlsx")
    first = convert(book, "csv", tmp_path / "first")
    assert first.name == "book.csv"
    assert read_csv(first)[0] == ["2", "5"]

    third = convert(book, "csv", tmp_path / "n", sheet=3)
    assert third.name == "book-Shown.csv"
    # As shown: the dd/mm/yyyy format applies, and text with a comma is quoted.
    assert read_csv(third) == [["Due", "27/12/2024", "Smith, J"]]
    assert '"Smith, J"' in third.read_text(encoding="utf-8")

    raw = convert(book, "csv", tmp_path / "raw", sheet="Shown", as_shown=False)
    assert read_csv(raw) == [["Due", "27/12/2024", "Smith, J"]]  # en-GB profile locale

    hols = read_csv(convert(book, "csv", tmp_path / "name", sheet="Hols"))
    assert hols == [["25/12/2024"], ["26/12/2024"], ["01/01/2025"]]

    every = csv_sheets(book, tmp_path / "all")
    assert sorted(every) == ["Calc", "Hols", "Shown"]


def test_missing_sheet_raises_with_libreoffice_output(tmp_path: Path):
    book = build_workbook(tmp_path / "book.xlsx")
    with pytest.raises(LibreOfficeError, match="No sheet number 9"):
        convert(book, "csv", tmp_path / "out", sheet=9)
    with pytest.raises(LibreOfficeError, match="no sheet 'Nope'"):
        convert(book, "csv", tmp_path / "out", sheet="Nope")


def test_missing_source_raises(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        convert(tmp_path / "absent.xlsx", "pdf", tmp_path)


def test_pdf_pages_and_pngs(tmp_path: Path):
    book = build_workbook(tmp_path / "book.xlsx")
    pdf = convert(book, "pdf", tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "book.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert pages >= 1
    pngs = pdf_to_pngs(pdf, tmp_path / "png")
    assert len(pngs) == pages
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG")
