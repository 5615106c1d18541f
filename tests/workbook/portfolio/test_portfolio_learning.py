"""Themes, the seven-minute briefing and publication: typed in the case workbook (Settings, and the
Action Plan's Themes column), read back as typed, and carried to the portfolio's Timescales,
Learning and Themes sheets with the hand counts of tests/portfolio_cases.py. A case made before
these existed still reads; a link or briefing typed as a formula stays text."""
from __future__ import annotations

import datetime as dt
import shutil
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.portfolio import CONVERTED, RAPID_ONLY
from workbook.case import layout as L
from workbook.case.build import build_workbook
from workbook.case.read import ScrErrors, read_case
from workbook.portfolio.write import SHEETS

from portfolio_cases import converted, published_icpc, rapid_only

SETTINGS_TOML = 'themes = ["Neglect", "Information sharing", "Online harm"]\n'


def table(ws, header_row: int) -> list[dict]:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if r and r[0] not in (None, "")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    f = tmp_path_factory.mktemp("learning")
    build_workbook(f / "CV.xlsx", converted())
    build_workbook(f / "RO.xlsx", rapid_only())
    build_workbook(f / "ICPC.xlsx", published_icpc())
    (f / "board.toml").write_text(SETTINGS_TOML, encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def made(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "Portfolio.xlsx"
    r = CliRunner().invoke(main, ["portfolio", str(folder), "--out", str(out), "--today", "01/06/2026",
                                  "--settings", str(folder / "board.toml")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return openpyxl.load_workbook(out), out


def test_the_case_workbook_keeps_what_was_typed_about_the_review(folder):
    case = read_case(folder / "ICPC.xlsx")
    assert case.review == {"Themes": "Neglect", "Briefing": "Key learning: see the child.",
                           "PublicationLink": '=HYPERLINK("http://x.example")', "Published": dt.date(2026, 4, 15)}
    cv = read_case(folder / "CV.xlsx")
    assert [a.get("themes") for a in cv.actions] == ["Information sharing; Made-up theme", "information sharing"]
    ws = openpyxl.load_workbook(folder / "ICPC.xlsx")[L.SETTINGS]
    link = ws[L.settings_cell("PublicationLink").split("!")[1].replace("$", "")]
    assert link.data_type == "s" and not ws._hyperlinks  # typed text, not a formula nor a link


def test_a_case_from_before_themes_and_publication_still_reads(folder, tmp_path):
    wb = openpyxl.load_workbook(folder / "CV.xlsx")
    for name in ("Themes", "Briefing", "Published", "PublicationLink"):
        del wb.defined_names[name]
    ws, t = wb[L.ACTIONS], L.ACTIONS_TABLE
    ws.cell(t.header_row, t.col("themes")).value = "My own column"  # the Themes header gone
    wb.save(tmp_path / "Old.xlsx")
    case = read_case(tmp_path / "Old.xlsx")
    assert case.review == {} and all(a["themes"] is None for a in case.actions)  # read as blank
    assert [a["action_id"] for a in case.actions] == ["1.1", "2.1"]


def test_a_publication_date_that_is_not_a_date_is_named_on_the_settings_sheet(folder, tmp_path):
    wb = openpyxl.load_workbook(folder / "RO.xlsx")
    ref = L.settings_cell("Published").split("!")[1].replace("$", "")
    wb[L.SETTINGS][ref] = "next spring"
    wb.save(tmp_path / "Bad.xlsx")
    with pytest.raises(ScrErrors) as e:
        read_case(tmp_path / "Bad.xlsx")
    [err] = e.value.errors
    assert (err.sheet, f"{err.column}{err.row}") == (L.SETTINGS, ref) and "next spring" in err.message


def test_the_portfolio_has_every_sheet(made):
    wb, _ = made
    assert wb.sheetnames == SHEETS
    kinds = {x["Code name"]: x["Kind of review"] for x in table(wb["Reviews"], 3)}
    assert kinds == {"CV-03": CONVERTED, "RO-05": RAPID_ONLY, "ICPC-07": "Initial Child Protection Conference (compliance)"}


def test_timescales_show_the_rapid_review_extensions_and_slippage(made):
    wb, _ = made
    rows = {x["Code name"]: x for x in table(wb["Timescales"], 3)}
    cv, ro, ic = rows["CV-03"], rows["RO-05"], rows["ICPC-07"]
    assert (cv["Within 15 working days"], cv["Extensions"], cv["Extension days"], cv["Completed"]) == ("yes", 1, 61, None)
    assert cv["Original end date"] == dt.datetime(2026, 9, 20)
    assert (ro["Within 15 working days"], ro["Days taken"], ro["Slippage (days)"]) == ("no", 25, 3)
    assert (ic["Within 15 working days"], ic["Days taken"], ic["Months taken"]) == (None, 24, 0.8)


def test_learning_carries_publication_themes_and_the_briefing_as_text(made):
    wb, out = made
    rows = {x["Code name"]: x for x in table(wb["Learning"], 3)}
    ic = rows["ICPC-07"]
    assert (ic["Published"], ic["Publication link"], ic["Themes"], ic["Seven-minute briefing"]) == (
        dt.datetime(2026, 4, 15), '=HYPERLINK("http://x.example")', "Neglect", "Key learning: see the child.")
    assert rows["CV-03"]["Themes"] == "Neglect; Information sharing"
    with zipfile.ZipFile(out) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert not any("hyperlink" in z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))


def test_themes_from_the_boards_list_counted_with_one_not_on_it_named(made):
    wb, _ = made
    rows = {x["Theme"]: x for x in table(wb["Themes"], 3)}
    assert (rows["Neglect"]["Reviews"], rows["Neglect"]["The reviews"]) == (2, "CV-03, ICPC-07")
    assert (rows["Information sharing"]["Reviews"], rows["Information sharing"]["Recommendations"]) == (1, 2)
    assert rows["Made-up theme"]["On the board's list"] == "NOT ON THE LIST"
    assert rows["Online harm"]["Reviews"] == 0  # on the list, in no review yet


def test_timeliness_by_year_and_durations(made):
    wb, _ = made
    ws = wb["Timeliness"]
    cells = [r for r in ws.iter_rows(values_only=True)]
    years = {r[0]: r for r in cells if r[0] in ("2025-26", "2026-27")}
    # year, reviews, rapid done, within, %, completed, months, published, to publication, extension days, slippage
    assert years["2025-26"][:11] == ("2025-26", 2, 1, 1, 100, 1, 0.8, 1, 1.4, 61, 3)
    assert years["2026-27"][:11] == ("2026-27", 1, 1, 0, 0, 1, 0.8, 0, "-", 0, 3)
    kinds = {r[0]: r[1:6] for r in cells if r[0] == RAPID_ONLY}
    assert kinds[RAPID_ONLY] == (1, 1, 0.8, 0.8, 0.8)
    assert {r[0]: r[6:8] for r in cells if r[0] == RAPID_ONLY}[RAPID_ONLY] == (0, "-")  # none published


def test_a_bad_list_of_themes_in_the_settings_file_is_named_before_any_case_is_read(folder, tmp_path):
    bad = tmp_path / "board.toml"
    bad.write_text('themes = "Neglect"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["portfolio", str(folder), "--out", str(tmp_path / "P.xlsx"), "--settings", str(bad)])
    assert r.exit_code != 0 and "themes must be a list" in r.output and "board.toml" in r.output
    assert not (tmp_path / "P.xlsx").exists() and "Traceback" not in r.output


def test_the_business_plan_lists_every_action_not_signed_off_overdue_first(made):
    wb, _ = made
    rows = table(wb["Business Plan"], 3)
    # CV-03's two actions (RO-05 and ICPC-07 have none), neither overdue at 01/06/2026 (targets 01/09/2026)
    assert [(x["Review"], x["Action ID"], x["Overdue"]) for x in rows] == [("CV-03", "1.1", None), ("CV-03", "2.1", None)]
    assert wb["Business Plan"]["A1"].value == "Outstanding actions at 01/06/2026 for the Business Plan: 2"


def test_timescales_name_who_agreed_each_extension_scr_extend_recorded(folder, tmp_path):
    """Issue 10: extensions with who agreed them. An Override typed with no record has no one named."""
    from tracker.case import CaseData
    from workbook.commands.extend import extend
    from workbook.case.create import write_new
    shutil.copy(folder / "CV.xlsx", tmp_path / "CV.xlsx")
    write_new(tmp_path / "EXT.xlsx", CaseData("EXT-01", "england-wt2023", dt.date(2026, 11, 2)))
    extend(tmp_path / "EXT.xlsx", "lcspr-published", dt.date(2027, 9, 30), "the Panel", dt.date(2026, 12, 1),
           today=dt.date(2026, 12, 4))
    out = tmp_path / "P.xlsx"
    r = CliRunner().invoke(main, ["portfolio", str(tmp_path), "--out", str(out), "--today", "04/12/2026"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    rows = {x["Code name"]: x for x in table(openpyxl.load_workbook(out)["Timescales"], 3)}
    ext = rows["EXT-01"]
    assert (ext["Extensions"], ext["Extension days"], ext["Agreed by, on"]) == (1, 130, "the Panel, 01/12/2026")
    assert (rows["CV-03"]["Extensions"], rows["CV-03"]["Agreed by, on"]) == (1, None)


def test_the_reviews_sheet_gives_the_notification_date(made):
    wb, _ = made
    rows = {x["Code name"]: x for x in table(wb["Reviews"], 3)}
    assert rows["CV-03"]["Notified"] == dt.datetime(2026, 3, 6) and rows["ICPC-07"]["Notified"] is None
