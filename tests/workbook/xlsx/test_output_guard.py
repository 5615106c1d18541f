"""Issue 13, finding 3: no command writes over a case workbook, or any file it did not make for
that purpose. `scr merge-chronologies OUT FILES...` takes its output first, so typing the case
first used to replace the case with a chronology and prune its backups; the same guard
(workbook.xlsx.safe.check_output) stands before `scr report --out` and `scr new --force`."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest

from chronology_forms import PASSWORD, POLICE_ROWS, rotherham
from tracker.errors import ScrError
from workbook.commands.demo import run_demo
from workbook.commands.merge_chronologies import merge_files
from workbook.commands.new import new_case
from workbook.commands.report import build_report
from workbook.xlsx.safe import backups_of, check_output
from shared import scr_process

TODAY = dt.date(2026, 11, 27)  # the date the demo case is built on in the import tests

ROOT = Path(__file__).resolve().parents[3]


scr = scr_process


def snapshot(path: Path) -> dict:
    """The file's bytes and every backup's bytes: what 'changing nothing' means."""
    return {"file": path.read_bytes(), "backups": {b.name: b.read_bytes() for b in backups_of(path)}}


@pytest.fixture
def case(tmp_path):
    return run_demo(tmp_path / "case", TODAY).path


@pytest.fixture
def chronology(tmp_path):
    return rotherham(tmp_path / "Police chronology.xlsx", POLICE_ROWS)


def own_spreadsheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "the board manager's own list"
    wb.save(path)
    return path


def test_merge_with_the_case_first_refuses_and_changes_nothing(case, chronology):
    before = snapshot(case)
    assert before["backups"], "the demo case has backups to lose"
    run = scr("merge-chronologies", case, chronology)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert str(case.name) in run.stderr and "is not an integrated chronology made by scr" in run.stderr
    assert "scr merge-chronologies OUT.xlsx FILES" in run.stderr, "the fix is named"
    assert snapshot(case) == before


def test_merge_refuses_any_existing_file_it_did_not_make(tmp_path, chronology):
    other = own_spreadsheet(tmp_path / "list.xlsx")
    before = other.read_bytes()
    with pytest.raises(ScrError, match="not an integrated chronology"):
        merge_files(other, [chronology])
    assert other.read_bytes() == before and not backups_of(other)


def test_merge_replaces_its_own_output_also_encrypted(tmp_path, chronology):
    out = tmp_path / "integrated.xlsx"
    merge_files(out, [chronology])
    merge_files(out, [chronology])  # again: its own file, replaced with a backup
    assert len(backups_of(out)) == 1
    env = {**os.environ, "SCR_CASE_PASSWORD": PASSWORD}
    enc = tmp_path / "integrated-enc.xlsx"
    for _ in range(2):
        run = scr("merge-chronologies", enc, chronology, "--encrypt", env=env)
        assert run.returncode == 0, run.stderr


def test_report_out_refuses_the_case_a_chronology_and_other_files(case, tmp_path, chronology):
    chron = tmp_path / "integrated.xlsx"
    merge_files(chron, [chronology])
    for target in (case, chron, own_spreadsheet(tmp_path / "list.xlsx")):
        before = snapshot(target)
        run = scr("report", case, "--out", target)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        assert target.name in run.stderr and ("so it was not replaced" in run.stderr or "files to read" in run.stderr)
        assert snapshot(target) == before
    out = tmp_path / "report.xlsx"
    build_report(case, out, today=TODAY)
    build_report(case, out, today=TODAY)  # its own report is replaced


def test_new_force_replaces_a_case_but_not_a_report(case, tmp_path):
    report = build_report(case, tmp_path / "report.xlsx", today=TODAY).path
    before = snapshot(report)
    with pytest.raises(ScrError, match="not a case workbook"):
        new_case(report, name="Child Q", profile=None, day0=TODAY, force=True)
    assert snapshot(report) == before
    new_case(case, name="Child Q", profile=None, day0=TODAY, force=True)  # a case workbook: --force may replace it


def test_check_output_refusals(tmp_path):
    ours = lambda p: True  # noqa: E731
    with pytest.raises(ScrError, match="must be an .xlsx file"):
        check_output(tmp_path / "x.pdf", what="a report", ours=ours)
    with pytest.raises(ScrError, match="folder does not exist"):
        check_output(tmp_path / "no" / "x.xlsx", what="a report", ours=ours)
    (tmp_path / "d.xlsx").mkdir()
    with pytest.raises(ScrError, match="is a folder"):
        check_output(tmp_path / "d.xlsx", what="a report", ours=ours)
    f = own_spreadsheet(tmp_path / "in.xlsx")
    with pytest.raises(ScrError, match="one of the files to read"):
        check_output(f, what="a report", ours=ours, inputs=[f])
    assert check_output(tmp_path / "new.xlsx", what="a report", ours=lambda p: False) == tmp_path / "new.xlsx"
