"""Issue 13, finding 19: one safe-file-name rule (tracker.text.safe_name) for every file the
product names after typed text: bounded in bytes, no invisible or control characters, never a
reserved Windows device name, no trailing dots or spaces."""
from __future__ import annotations

import datetime as dt

import pytest

from tracker.text import safe_name
from workbook.case import layout as L
from workbook.commands.demo import run_demo
from workbook.commands.issue_updates import issue_updates
from workbook.commands.report import build_report
from workbook.xlsx.patch import Patch

TODAY = dt.date(2026, 11, 27)  # the date the demo case is built on in the import tests

LONG = "\U0001d400" * 200  # a letter that takes 4 bytes in UTF-8: 60 of them were 240 bytes


def test_bounded_in_bytes_and_characters():
    assert len(safe_name(LONG).encode("utf-8")) <= 100
    assert len(safe_name("Review " * 100)) <= 60
    assert safe_name("é" * 80, limit=200, max_bytes=100) == "é" * 50  # never half a character


@pytest.mark.parametrize("text, expected", [
    ("Child R \u202egpj.exe", "Child R gpj.exe"),    # right-to-left override: the name would show 'exe.jpg'
    ("Jo\u200bhn\u00adny\u2066X\u2069", "JohnnyX"),    # zero-width space, soft hyphen, isolates
    ("tab\there\nand\x07bell", "tab here and bell"),  # control characters
    ("Zoe\u0308", "Zo\u00eb"),                        # a decomposed accent (as a Mac types it) kept, composed
])
def test_invisible_and_control_characters(text, expected):
    assert safe_name(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("CON", "CON_"), ("con", "con_"), ("Nul .xlsx", "Nul_.xlsx"), ("prn.txt", "prn_.txt"), ("AUX", "AUX_"),
    ("COM1", "COM1_"), ("lpt9.a.b", "lpt9_.a.b"), ("COM\u00b9", "COM\u00b9_"),
    ("COM0", "COM0"), ("CONSOLE", "CONSOLE"), ("Conference", "Conference"),
])
def test_reserved_windows_names(text, expected):
    assert safe_name(text) == expected


@pytest.mark.parametrize("text, expected", [("Child R. ", "Child R"), ("Child R...", "Child R"),
                                            ("  . Case .  ", "Case"), ("...", "x")])
def test_no_leading_or_trailing_dots_or_spaces(text, expected):
    assert safe_name(text) == expected


def test_a_long_case_name_still_gets_its_report_and_update_sheets(tmp_path):
    case = run_demo(tmp_path / "case", TODAY).path
    p = Patch(case)
    p.set_cells(L.SETTINGS, {L.settings_cell("CaseName").split("!")[1].replace("$", ""): LONG + "\u202e.exe"})
    p.save(keep=0)
    report = build_report(case, today=TODAY).path  # named after the case: was "File name too long"
    assert report.exists() and "\u202e" not in report.name and len(report.name.encode("utf-8")) < 255
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    assert sheets and all(s.path.exists() and len(s.path.name.encode("utf-8")) < 255 for s in sheets)


@pytest.mark.filterwarnings("error::UserWarning")  # XlsxWriter warns, and drops the header, past 255
def test_a_long_case_name_shortens_in_the_printed_header_and_keeps_the_marking(tmp_path):
    import openpyxl
    from workbook.xlsx.pages import HEADER_LIMIT, MARKING
    case = run_demo(tmp_path / "case", TODAY).path
    p = Patch(case)
    p.set_cells(L.SETTINGS, {L.settings_cell("CaseName").split("!")[1].replace("$", ""): "Review & " + "A" * 300})
    p.save(keep=0)
    report = build_report(case, today=TODAY).path
    sheets = issue_updates(case, tmp_path / "out", today=TODAY)
    for path in [report] + [s.path for s in sheets]:
        for ws in openpyxl.load_workbook(path).worksheets:
            if ws.sheet_state != "visible":
                continue
            head, foot = ws.oddHeader, ws.oddFooter
            assert MARKING in (head.right.text or ""), (path.name, ws.title)
            assert "Review && AAA" in (head.center.text or "") and head.center.text.endswith("…")
            assert "Page &P of &N" in (foot.right.text or "") and MARKING in (foot.center.text or "")
            whole = "".join(f"&{k}{getattr(head, n).text}" for k, n in (("L", "left"), ("C", "center"), ("R", "right"))
                            if getattr(head, n).text)
            assert len(whole) <= HEADER_LIMIT + 30, (path.name, ws.title)  # the font codes openpyxl splits off


@pytest.mark.filterwarnings("error::UserWarning")
def test_letters_outside_the_bmp_count_twice_as_excel_counts_them(tmp_path):
    test_a_long_case_name_still_gets_its_report_and_update_sheets(tmp_path)
