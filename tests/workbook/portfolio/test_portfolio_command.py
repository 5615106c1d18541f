"""`scr portfolio` on a folder as a board manager keeps it: cases of three profiles (one in a
subfolder, one open in Excel, one protected), the cases' backups, a damaged file, a spreadsheet
that is not a case and an earlier portfolio. Every case file is left byte for byte; every file
not read is named with its reason; the figures are the hand counts of tests/portfolio_cases.py;
the Board paper prints one page per sheet, marked and numbered, at a readable size."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.demo import demo_case
from workbook.case.build import build_workbook
from workbook.portfolio.write import SHEETS
from workbook.xlsx.crypto import OLE_MAGIC
from workbook.xlsx.locks import lock_file_for

from portfolio_cases import icpc, rapid_review

TODAY = dt.date(2026, 6, 1)
PASSWORD = "Portfolio-test-pw-1"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    f = tmp_path_factory.mktemp("reviews")
    (f / "2026").mkdir()
    build_workbook(f / "Demo.xlsx", demo_case(TODAY, fixed_today=True))
    build_workbook(f / "2026" / "ICPC.xlsx", icpc())
    rr = rapid_review()
    rr.case_name = "=1+2"  # a case name typed as a formula stays text in the portfolio
    build_workbook(f / "RR.xlsx", rr)
    lock_file_for(f / "RR.xlsx").write_bytes(b"\x0bSomeone else")  # open in Excel
    (f / "backups").mkdir()
    shutil.copy(f / "RR.xlsx", f / "backups" / "RR 2026-05-30.xlsx")  # a copy, not another review
    (f / "Broken.xlsx").write_bytes(b"PK\x03\x04 cut off in the post")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Training budget"
    wb.save(f / "Budget.xlsx")
    r = CliRunner().invoke(main, ["new", str(f / "Protected.xlsx"), "--name", "LOCKED-3", "--profile", "bolton",
                                  "--day0", "01/02/2026", "--encrypt"], env={"SCR_CASE_PASSWORD": PASSWORD})
    assert r.exit_code == 0, r.output
    return f


def files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args, password: str = ""):
    return CliRunner().invoke(main, ["portfolio", *map(str, args)], env={"SCR_CASE_PASSWORD": password},
                              catch_exceptions=False)


def table(ws, header_row: int) -> list[dict]:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v not in (None, "") for v in r)]


@pytest.fixture(scope="module")
def made(folder, tmp_path_factory):
    before = files(folder)
    out = tmp_path_factory.mktemp("out") / "Portfolio.xlsx"
    r = run(folder, "--out", out, "--today", "01/06/2026", "--year", "2025-26")
    return before, files(folder), out, r


def test_no_case_file_changes_and_nothing_is_written_beside_them(made):
    before, after, _, r = made
    assert r.exit_code == 0, r.output
    assert after == before  # not a byte, no lock, no backup, no temporary file


def test_one_row_per_review_with_the_hand_counted_figures(made):
    *_, out, r = made
    assert "3 reviews read; 9 actions; 2 reviews with overdue milestones." in r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    rows = {x["Code name"]: x for x in table(wb["Reviews"], 3)}
    assert set(rows) == {"DEMO-01 (fictional)", "ICPC-07", "=1+2"}  # backups/ left out
    icpc_row, rr = rows["ICPC-07"], rows["=1+2"]
    assert (icpc_row["Status"], icpc_row["Overdue milestones"], icpc_row["Day 0"]) == ("complete", 0, dt.datetime(2026, 3, 2))
    assert icpc_row["File"] == str(Path("2026") / "ICPC.xlsx")
    assert (rr["Status"], rr["Overdue milestones"], rr["Next due"], rr["Red"]) == ("overdue", 3, dt.datetime(2026, 11, 17), 1)
    assert "open in Excel when read" in rr["File"]  # read from its last saved state, and said so


def test_a_case_name_typed_as_a_formula_is_only_ever_text(made):
    *_, out, _ = made
    with zipfile.ZipFile(out) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_every_file_not_read_is_named_with_its_reason(made):
    *_, out, r = made
    why = {x["File"]: x["Why it was not read"] for x in table(openpyxl.load_workbook(out)["Not read"], 3)}
    assert set(why) == {"Broken.xlsx", "Budget.xlsx", "Protected.xlsx"}
    assert why["Broken.xlsx"].startswith("The file is not a readable")
    assert "not a case workbook" in why["Budget.xlsx"]
    assert "password" in why["Protected.xlsx"] and "--password" in why["Protected.xlsx"]
    assert "3 files not read" in r.output


def test_all_actions_of_all_reviews_in_one_filterable_table(made):
    *_, out, _ = made
    ws = openpyxl.load_workbook(out)["Actions"]
    [t] = ws.tables.values()
    rows = table(ws, 1)
    assert t.ref == f"A1:M{len(rows) + 1}" and len(rows) == 9
    assert sorted({x["Review"] for x in rows}) == ["=1+2", "DEMO-01 (fictional)"]
    [rr] = [x for x in rows if x["Review"] == "=1+2"]
    assert (rr["Action ID"], rr["BRAG"], rr["Overdue"]) == ("1.1", "Red", "yes")
    assert sum(1 for x in rows if x["Ready for sign-off"] == "yes") == 1  # the demo's 2.1


def test_the_annual_report_and_its_native_chart(made):
    *_, out, _ = made
    ws = openpyxl.load_workbook(out)["Annual report"]
    cells = {r[0]: r[1:3] for r in ws.iter_rows(values_only=True) if r[0]}
    assert cells["All reviews"] == (2, 1)  # started and completed in 2025-26: the demo, ICPC-07
    assert cells["Initial Child Protection Conference (compliance)"] == (1, 1)
    [outstanding] = [v for k, v in cells.items() if str(k).startswith("Outstanding")]
    assert outstanding[0] == 8
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


def test_the_portfolio_of_protected_cases_is_protected_and_names_none_not_read(folder, tmp_path):
    out = tmp_path / "Portfolio.xlsx"
    r = run(folder, "--out", out, "--today", "01/06/2026", password=PASSWORD)
    assert r.exit_code == 0, r.output
    assert "4 reviews read" in r.output and "Protected.xlsx" not in r.output
    assert out.read_bytes()[:8] == OLE_MAGIC  # encrypted with the case password, as the case is
    refused = run(folder, "--out", tmp_path / "P2.xlsx", "--pdf", "--today", "01/06/2026", password=PASSWORD)
    assert refused.exit_code != 0 and "PDF cannot carry the password" in refused.output
    assert not (tmp_path / "P2.xlsx").exists()


def test_an_earlier_portfolio_in_the_folder_is_not_a_review_nor_a_file_not_read(folder, tmp_path):
    copy = tmp_path / "cases"
    shutil.copytree(folder, copy)
    first = run(copy, "--today", "01/06/2026")
    assert first.exit_code == 0, first.output
    again = run(copy, "--today", "02/06/2026")
    assert again.exit_code == 0, again.output
    assert "Portfolio 2026-06-01" not in again.output and "3 reviews read" in again.output


def test_a_wrong_year_or_folder_is_refused_before_anything_is_read(folder, tmp_path):
    r = run(folder, "--year", "2026", "--out", tmp_path / "P.xlsx")
    assert r.exit_code != 0 and "2026-27" in r.output and not (tmp_path / "P.xlsx").exists()
    r = run(tmp_path / "nowhere")
    assert r.exit_code != 0 and "nowhere" in r.output and "Traceback" not in r.output


def test_the_board_paper_prints_every_sheet_marked_numbered_and_readable(made, folder, tmp_path, libreoffice_required):
    from print_pages import measure
    out = tmp_path / "Portfolio.xlsx"
    r = run(folder, "--out", out, "--pdf", "--today", "01/06/2026", "--year", "2025-26")
    assert r.exit_code == 0, r.output
    printed = measure(out.with_suffix(".pdf"))
    assert printed.pages == len(SHEETS)  # each sheet on one page: no column runs onto a second
    assert printed.smallest_pt >= 8, printed.small_words
    for k, words in enumerate(printed.text, 1):
        text = " ".join(words) if isinstance(words, list) else words
        assert "OFFICIAL-SENSITIVE" in text and f"Page {k} of {len(SHEETS)}" in text


def test_many_files_are_read_in_parallel_to_the_same_portfolio_in_the_same_order(folder, tmp_path, monkeypatch):
    import workbook.commands.portfolio as P
    copy = tmp_path / "cases"
    shutil.copytree(folder, copy)
    for k in range(6):  # 12 files in all: read by a pool of processes
        shutil.copy(copy / "2026" / "ICPC.xlsx", copy / f"ICPC copy {k}.xlsx")
    assert len(P.find_workbooks([copy])) >= P.PARALLEL_FROM
    pooled = P.read_cases([copy], TODAY)
    monkeypatch.setattr(P, "PARALLEL_FROM", 10**6)
    one_by_one = P.read_cases([copy], TODAY)
    assert [r.file for r in pooled[0]] == [r.file for r in one_by_one[0]] and len(pooled[0]) == 9
    assert [(r.code, r.status, r.overdue, r.note) for r in pooled[0]] == [
        (r.code, r.status, r.overdue, r.note) for r in one_by_one[0]]
    assert pooled[1] == one_by_one[1] and {f for f, _ in pooled[1]} == {"Broken.xlsx", "Budget.xlsx", "Protected.xlsx"}
