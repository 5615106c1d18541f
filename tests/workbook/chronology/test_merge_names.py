"""`scr merge-chronologies --key` end to end against the name-form corpus (issue 13 finding 4):
an agency chronology holding every form (tests/name_forms.py), the key as a board manager saves
it (UTF-8 CSV, the key's own spellings: Weiß, İbrahim Yılmaz, O'Brien...), merged, written and
read back. Every name is fictional."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from chronology_forms import rotherham
from name_forms import CORPUS, KEY, NEGATIVES, holds_a_name
from workbook.chronology.key import read_name_key
from workbook.chronology.read import ChronologyRejected
from workbook.chronology.write import SHEET, first_entry_row
from workbook.commands.merge_chronologies import merge_files

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 5, 1)
COLS = range(1, 9)  # Date .. Note: what an agency typed


def key_file(path: Path, key: dict[str, str]) -> Path:
    path.write_text("Name,Code\n" + "".join(f"{n},{c}\n" for n, c in key.items()), encoding="utf-8")
    return path


def agency_file(path: Path, texts: list[str]) -> Path:
    start = dt.date(2004, 1, 1)
    rows = [[(start + dt.timedelta(days=i)).strftime("%d/%m/%Y"), None, "KB", t, None, "Visit", None, t]
            for i, t in enumerate(texts)]
    return rotherham(path, rows, agency="Northshire Family Support")


def test_every_form_merged_is_coded_or_its_row_named(tmp_path):
    texts = [t for t, _ in CORPUS] + NEGATIVES
    src = agency_file(tmp_path / "Family support chronology.xlsx", texts)
    out = tmp_path / "Integrated chronology.xlsx"
    m = merge_files(out, [src], key_path=key_file(tmp_path / "key.csv", KEY), case_name="Jill Brown review",
                    today=TODAY)
    ws = openpyxl.load_workbook(out)[SHEET]
    first = first_entry_row(m.entries)
    flagged = {first + x.entry for x in m.names_left}
    holding = {r for r in range(first, first + len(CORPUS))  # the negatives hold "brown coat", "the van"
               if any(holds_a_name(str(ws.cell(r, c).value or "")) for c in COLS)}
    assert holding <= flagged  # zero names left uncoded without a warning, by row of the sheet written
    expected = [c if c is not None else t for t, c in CORPUS] + NEGATIVES
    assert [ws.cell(r, 4).value for r in range(first, first + len(texts))] == expected
    uncoded = [i for i, (_, c) in enumerate(CORPUS) if c is None]
    assert flagged == {first + i for i in uncoded}
    summary = m.summary()
    assert not holds_a_name(summary) and "Names coded" not in summary
    assert f"are still in {len(uncoded)} places of sheet 'Integrated chronology': row {first + uncoded[0]}" in summary
    assert "Names are coded" not in ws["A2"].value and "CHECK them" in ws["A2"].value
    assert ws["A1"].value == "Integrated chronology — JB review"


def test_names_are_coded_is_said_only_when_nothing_is_left(tmp_path):
    src = agency_file(tmp_path / "in.xlsx", [t for t, c in CORPUS if c is not None])
    out = tmp_path / "out.xlsx"
    m = merge_files(out, [src], key_path=key_file(tmp_path / "key.csv", KEY), today=TODAY)
    assert m.names_left == []
    assert "Names coded with the key (20 names); the key is not in the file." in m.summary()
    assert "Names are coded; the key is kept separately" in openpyxl.load_workbook(out)[SHEET]["A2"].value


def test_cli_never_prints_a_name_and_does_not_crash_on_a_dotted_capital_i(tmp_path):
    src = agency_file(tmp_path / "in.xlsx", ["JİLL BROWN attended", "Mrs Brown said", "ΝΙΚΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ rang"])
    out = tmp_path / "out.xlsx"
    run = subprocess.run([sys.executable, "-m", "tracker.cli", "merge-chronologies", str(out), str(src),
                          "--key", str(key_file(tmp_path / "key.csv", KEY))],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and not holds_a_name(run.stdout + run.stderr)
    assert "Names NOT fully coded: words that are part of a name in the key are still in 1 place" in run.stdout
    ws = openpyxl.load_workbook(out)[SHEET]
    first = 8  # title, subtitle, blank, legend head, one agency, blank, header
    assert [ws.cell(first + i, 4).value for i in range(3)] == ["JB attended", "Mrs Brown said", "NP rang"]


@pytest.mark.parametrize("lines", [
    {"Jill Brown": "JB", "JİLL BROWN": "JX"}, {"Anna Weiß": "AW", "Anna Weiss": "A2"},
    {"Zoë Kowalczyk": "ZK", "Zoe\u0308 Kowalczyk": "Z2"},
])
def test_one_name_typed_two_ways_with_two_codes_is_refused_without_the_name(tmp_path, lines):
    with pytest.raises(ChronologyRejected) as e:
        read_name_key(key_file(tmp_path / "key.csv", lines))
    text = str(e.value) + " ".join(p.message for p in e.value.problems)
    assert "already has the code" in text and not holds_a_name(text)


def test_a_name_left_in_the_title_is_warned_of_too(tmp_path):
    src = agency_file(tmp_path / "in.xlsx", ["JB attended"])
    m = merge_files(tmp_path / "out.xlsx", [src], key_path=key_file(tmp_path / "key.csv", KEY),
                    case_name="Mrs Brown review", today=TODAY)
    assert m.names_left == [] and m.title_left
    summary = m.summary()
    assert "Names NOT fully coded: words that are part of a name in the key are still in 1 place" in summary
    assert "the title (--case)" in summary
    assert "Names are coded" not in openpyxl.load_workbook(tmp_path / "out.xlsx")[SHEET]["A2"].value
