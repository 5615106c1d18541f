"""`scr new`: the case workbook it builds, read back with openpyxl and LibreOffice.

Sheets in order, tables with the layout's headers, defined names on the right cells, drop-downs
and date validation, status colours, freeze panes, print titles, protection (formulas locked,
inputs open), dd/mm/yyyy dates, a cached value for every formula, due dates equal to the plan,
the Front Sheet printing as one whole page; refusals that leave files alone; every profile.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter, range_boundaries

from libreoffice import LibreOfficeMissing, convert, pdf_pages, pdf_to_pngs, require_soffice
from tracker.board import load_board
from tracker.calendar import WorkCalendar
from tracker.cli import main
from tracker.frontsheet import events_for
from tracker.plan import make_plan
from tracker.profiles import INPUT, all_profiles, get_profile
from tracker.rag import ACTION_STATUSES
from workbook.case import layout as L
from workbook.case.build import build_workbook
from workbook.case.sheets.holidays import HOLIDAY_YEARS
from tracker.demo import demo_case
from workbook.xlsx.safe import backups_of
from shared import sha

DAY0 = dt.date(2025, 12, 15)  # a Monday, ten days before Christmas
TODAY = dt.date(2026, 6, 15)
PROTECTED = (L.FRONT, L.TIMESCALE, L.AGENCIES, L.ACTIONS, L.SETTINGS)


def srow(key: str) -> int:
    """The Settings row of a setting (its value is in column B)."""
    return L.SETTINGS_FIRST_ROW + [k for k, *_ in L.SETTINGS_ROWS].index(key)



def scr_new(path: Path, *args: str):
    return CliRunner().invoke(main, ["new", str(path), *args], catch_exceptions=False)


def expected_plan(profile_id: str, day0: dt.date):
    """The plan `scr new` must show: the profile from Day 0, with the board's nation and closure days."""
    board = load_board()
    return make_plan(get_profile(profile_id), day0, calendar=WorkCalendar(board.nation, board.closure_days))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("new") / "AB-2025-01.xlsx"
    r = scr_new(path, "--name", "AB-2025-01", "--day0", "15/12/2025", "--profile", "rotherham-2009")
    assert r.exit_code == 0, r.output
    assert "17 milestones, 8 agencies" in r.output
    return path


@pytest.fixture(scope="module")
def wb(built):
    return openpyxl.load_workbook(built)


@pytest.fixture(scope="module")
def wb_values(built):
    return openpyxl.load_workbook(built, data_only=True)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """A case with every kind of input filled in (actuals, n/a, agency dates, actions)."""
    path = tmp_path_factory.mktemp("demo") / "DEMO.xlsx"
    build_workbook(path, demo_case(TODAY, fixed_today=True))
    return path


# --------------------------------------------------------------------------- structure


def test_sheets_in_layout_order_and_xlwings_conf_hidden(wb):
    assert wb.sheetnames == list(L.SHEETS)
    conf = wb[L.XLWINGS]
    assert conf.sheet_state == "hidden"
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "tracker.udfs")
    assert all(wb[s].sheet_state == "visible" for s in L.SHEETS if s != L.XLWINGS)


@pytest.mark.parametrize("table", L.TABLES, ids=lambda t: t.name)
def test_each_table_has_the_layout_headers_where_the_layout_says(wb, table):
    ws = wb[table.sheet]
    assert table.name in ws.tables, f"{table.sheet} tables: {list(ws.tables)}"
    c1, r1, c2, r2 = range_boundaries(ws.tables[table.name].ref)
    assert (c1, r1) == (table.first_col, table.header_row)
    assert c2 - c1 + 1 == len(table.columns)
    headers = [ws.cell(table.header_row, c).value for c in range(c1, c2 + 1)]
    assert headers == [c.header for c in table.columns]
    names = [tc.name for tc in ws.tables[table.name].tableColumns]
    assert names == [c.header for c in table.columns]


def test_table_rows_hold_profile_agencies_and_events(wb):
    prof = get_profile("rotherham-2009")
    ts = wb[L.TIMESCALE]
    ids = [ts.cell(L.TIMESCALE_TABLE.first_row + i, L.TIMESCALE_TABLE.col("milestone")).value
           for i in range(len(prof.milestones))]
    assert ids == list(prof.ids)
    assert range_boundaries(ts.tables["Timescale"].ref)[3] == L.TIMESCALE_TABLE.header_row + len(prof.milestones)
    ag = wb[L.AGENCIES]
    names = [ag.cell(L.AGENCIES_TABLE.first_row + i, 1).value for i in range(8)]
    assert names == [a["name"] for a in load_board().agencies]
    fr = wb[L.FRONT]
    events = events_for(prof)
    labels = [fr.cell(L.FRONT_TABLE.first_row + i, 2).value for i in range(len(events))]
    assert labels == [e.label for e in events]


def col_dim(ws, col: int):
    """The <col> element covering column ``col`` (XlsxWriter writes runs of equal columns as one)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= col <= dim.max:
            return dim
    raise AssertionError(f"{ws.title}: no column format for column {col}")


def _dest(wb, name):
    dn = wb.defined_names[name]
    (sheet, ref), = list(dn.destinations)
    return sheet, ref.replace("$", "")


def test_defined_names_resolve_to_the_right_cells(wb):
    settings = {key: (L.SETTINGS, f"B{L.SETTINGS_FIRST_ROW + i}") for i, (key, *_r) in enumerate(L.SETTINGS_ROWS)}
    for key, where in settings.items():
        assert _dest(wb, key) == where, key
    s = wb[L.SETTINGS]
    label_of = {key: label for key, label, *_r in L.SETTINGS_ROWS}
    for key, (sheet, ref) in settings.items():
        assert s[f"A{ref[1:]}"].value == label_of[key]  # the label beside the named cell
    value = lambda name: wb[_dest(wb, name)[0]][_dest(wb, name)[1]].value  # noqa: E731
    assert value("Profile") == "rotherham-2009"
    assert value("Nation") == "england-and-wales"
    assert value("CaseName") == "AB-2025-01"
    assert value("Today") == "=TODAY()"
    assert (value("DueSoon"), value("AmberDays"), value("CycleMonths"), value("RedCycles"), value("UpdateDueDays")) == (7, 28, 3, 2, 28)
    assert value("LayoutVersion") == L.LAYOUT_VERSION
    assert _dest(wb, "Day0") == (L.TIMESCALE, "C3")
    assert value("Day0") == dt.datetime(2025, 12, 15)
    assert wb[L.TIMESCALE]["A3"].value == "Day 0"
    n = len(get_profile("rotherham-2009").milestones)
    first, last = L.TIMESCALE_TABLE.first_row, L.TIMESCALE_TABLE.first_row + n - 1
    assert _dest(wb, "Actuals") == (L.TIMESCALE, f"H{first}:H{last}")
    assert _dest(wb, "Overrides") == (L.TIMESCALE, f"F{first}:F{last}")
    assert wb[L.TIMESCALE][f"H{L.TIMESCALE_TABLE.header_row}"].value == "Actual"
    assert wb[L.TIMESCALE][f"F{L.TIMESCALE_TABLE.header_row}"].value == "Override"
    hol = L.HOLIDAYS_TABLE.first_row
    assert _dest(wb, "Holidays") == (L.HOLIDAYS, f"A{hol}:A{hol + L.HOLIDAY_ROWS}")
    assert wb[L.HOLIDAYS][f"A{hol}"].value == dt.datetime(HOLIDAY_YEARS[0], 1, 2)  # New Year 1995 was a Sunday
    for name, label, row, lcol, vcol in L.AGENCY_HEADER_DATES:
        assert _dest(wb, name) == (L.AGENCIES, f"{vcol}{row}"), name
        assert wb[L.AGENCIES][f"{lcol}{row}"].value == label
    for i, (key, label) in enumerate((("panel_members", "Overview Panel members"),
                                      ("panel_chair", "Chair of Overview Panel"),
                                      ("overview_author", "Author of Overview Report"))):
        assert _dest(wb, "Front_" + key) == (L.FRONT, f"B{5 + i}")
        assert wb[L.FRONT][f"A{5 + i}"].value == label


def test_holidays_sheet_lists_bank_holidays_and_board_closure_days(wb):
    ws = wb[L.HOLIDAYS]
    t = L.HOLIDAYS_TABLE
    rows = [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(t.first_row, t.first_row + L.HOLIDAY_ROWS)
            if ws.cell(r, 1).value is not None]
    dates = {d.date() for d, _ in rows}
    assert dt.date(2025, 12, 25) in dates and dt.date(2026, 4, 3) in dates  # Christmas, Good Friday 2026
    closures = {d.date() for d, kind in rows if kind == "closure day"}
    assert closures == set(load_board().closure_days)
    assert len(rows) < L.HOLIDAY_ROWS  # room left inside the named range for added closure days


# --------------------------------------------------------------------------- validation and colours


def _validations(ws):
    out = []
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out.append((dv, range_boundaries(rng)))
    return out


def _validation_at(ws, col: int, row: int):
    hits = [dv for dv, (c1, r1, c2, r2) in _validations(ws) if c1 <= col <= c2 and r1 <= row <= r2]
    return hits[0] if hits else None


@pytest.mark.parametrize("table", [L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE, L.FRONT_TABLE, L.HOLIDAYS_TABLE],
                         ids=lambda t: t.name)
def test_date_inputs_and_drop_downs_are_validated_far_below_the_table(wb, table):
    ws = wb[table.sheet]
    for c in table.columns:
        if c.kind != L.INPUT:
            continue
        col = table.col(c.key)
        for row in (table.first_row, table.first_row + 300):  # rows typed later behave the same
            dv = _validation_at(ws, col, row)
            if c.choices:
                assert dv is not None and dv.type == "list", (table.name, c.header)
                assert dv.formula1 == '"' + ",".join(c.choices) + '"'
                assert dv.showErrorMessage
            elif c.fmt == "date":
                assert dv is not None, (table.name, c.header)
                if c.key == "actual":  # a date or n/a
                    assert dv.type == "custom" and "ISNUMBER" in dv.formula1 and '"n/a"' in dv.formula1
                else:
                    # between 01/01/1990 and 31/12/2099 ("between" is the default operator)
                    assert dv.type == "date" and dv.operator in (None, "between")
                    assert (dv.formula1, dv.formula2) == ("32874", "73050")
                assert dv.showErrorMessage and "dd/mm/yyyy" in dv.error


def test_drop_down_words_are_the_domain_words(wb):
    ag, ac = wb[L.AGENCIES], wb[L.ACTIONS]
    inv = _validation_at(ag, L.AGENCIES_TABLE.col("involvement"), L.AGENCIES_TABLE.first_row)
    assert inv.formula1 == '"involved,nil return"'
    st = _validation_at(ac, L.ACTIONS_TABLE.col("status"), L.ACTIONS_TABLE.first_row)
    assert st.formula1 == '"' + ",".join(ACTION_STATUSES) + '"'
    nation = _validation_at(wb[L.SETTINGS], 2, srow('Nation'))
    assert nation.type == "list" and "scotland" in nation.formula1


def test_single_cell_date_inputs_are_validated_too(wb):
    cells = [(L.TIMESCALE, "C3")] + [(L.AGENCIES, f"{v}{r}") for _n, _l, r, _lc, v in L.AGENCY_HEADER_DATES]
    cells.append((L.SETTINGS, f"B{srow('Today')}"))
    missing = []
    for sheet, ref in cells:
        ws = wb[sheet]
        col, row = openpyxl.utils.cell.coordinate_to_tuple(ref)[::-1]
        dv = _validation_at(ws, col, row)
        if dv is None or dv.type not in ("date", "custom"):
            missing.append(f"{sheet}!{ref}")
    assert missing == []


def test_status_columns_and_brag_have_conditional_formats(wb):
    for t in (L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.FRONT_TABLE, L.ACTIONS_TABLE):
        ws = wb[t.sheet]
        rules = {}
        for cf in ws.conditional_formatting:
            for rng in str(cf.sqref).split():
                rules.setdefault(rng, []).extend(cf.rules)
        for c in t.columns:
            if c.fmt != "word":
                continue
            letter = get_column_letter(t.col(c.key))
            rng = f"{letter}{t.first_row}:{letter}{t.first_row + 500}"
            assert rng in rules, (t.name, c.header, list(rules))
            if c.key == "rag":
                assert [r.type for r in rules[rng]] == ["cellIs"] * 4
                assert sorted(r.formula[0] for r in rules[rng]) == sorted(f'"{w}"' for w in L.RAG_WORDS)
                assert all(r.dxf is not None and r.dxf.fill is not None for r in rules[rng])
            else:
                words = {r.text for r in rules[rng]}
                assert {"overdue", "due soon", "done", "received", "nil return", "signed copy"} <= words
                # a late completion ("done 14 days late") is amber, its rule before "done"'s green
                assert rules[rng][0].type == "endsWith" and rules[rng][0].text == " late"
                assert all(r.type == "beginsWith" and r.dxf.fill is not None for r in rules[rng][1:])


# --------------------------------------------------------------------------- view, print, protection


def test_freeze_panes_and_print_titles(wb):
    for t in (L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE, L.UPDATES_TABLE, L.HOLIDAYS_TABLE, L.AUDIT_TABLE):
        ws = wb[t.sheet]
        assert ws.freeze_panes == f"B{t.header_row + 1}", t.sheet
        assert ws.print_title_rows == f"${t.header_row}:${t.header_row}", t.sheet
    assert wb[L.AGENCIES].print_title_cols == "$A:$A"  # the agency repeated on every page
    front = wb[L.FRONT]
    assert front.freeze_panes in (None, "A1")
    assert front.page_setup.orientation == "portrait"
    assert front.sheet_properties.pageSetUpPr.fitToPage
    assert (front.page_setup.fitToWidth or 1, front.page_setup.fitToHeight or 1) == (1, 1)  # 1 is the default
    assert front.print_area is not None
    for s in (L.TIMESCALE, L.ACTIONS):
        assert wb[s].page_setup.orientation == "landscape"
        assert wb[s].page_setup.paperSize == 9  # A4
        assert "OFFICIAL-SENSITIVE" in wb[s].oddHeader.right.text


def test_front_sheet_print_area_ends_with_the_decision_and_extensions_lines(wb):
    ref = wb[L.FRONT].print_area.split("!")[1]
    last_row = range_boundaries(ref.replace("$", ""))[3]
    last_event = L.FRONT_TABLE.first_row + len(events_for(get_profile("rotherham-2009"))) - 1
    assert last_row == last_event + 3
    assert wb[L.FRONT][f"A{last_event + 2}"].value == "Decision: none on the Record sheet yet"
    assert wb[L.FRONT][f"A{last_event + 3}"].value == "Extensions agreed: none"


def test_sheets_protected_formulas_locked_inputs_unlocked(demo_file):
    wb = openpyxl.load_workbook(demo_file)
    for s in PROTECTED:
        assert wb[s].protection.sheet, s
    r = L.TIMESCALE_TABLE.first_row
    ts = wb[L.TIMESCALE]
    col = lambda t, k: get_column_letter(t.col(k))  # noqa: E731
    for key in ("guide", "due", "status", "flags"):
        cell = ts[f"{col(L.TIMESCALE_TABLE, key)}{r}"]
        assert str(cell.value).startswith("=") and cell.protection.locked, key
    actual = ts[f"{col(L.TIMESCALE_TABLE, 'actual')}{r}"]  # the demo records an actual here
    assert isinstance(actual.value, dt.datetime) and actual.protection.locked is False
    assert ts["C3"].protection.locked is False  # Day 0
    assert ts[f"{col(L.TIMESCALE_TABLE, 'label')}{r}"].protection.locked  # the profile's words
    # empty input cells take their column's format in Excel: unlocked, dd/mm/yyyy
    for t in (L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE, L.FRONT_TABLE):
        ws = wb[t.sheet]
        for c in t.columns:
            dim = col_dim(ws, t.col(c.key))
            assert dim.protection.locked is (c.kind != L.INPUT), (t.name, c.header)
    ac = wb[L.ACTIONS]
    rag = ac[f"{col(L.ACTIONS_TABLE, 'rag')}{L.ACTIONS_TABLE.first_row}"]
    status = ac[f"{col(L.ACTIONS_TABLE, 'status')}{L.ACTIONS_TABLE.first_row}"]
    assert rag.protection.locked and status.protection.locked is False
    ag = wb[L.AGENCIES]
    due = ag[f"{col(L.AGENCIES_TABLE, 'chronology_due')}{L.AGENCIES_TABLE.first_row}"]
    received = ag[f"{col(L.AGENCIES_TABLE, 'chronology_received')}{L.AGENCIES_TABLE.first_row}"]
    assert str(due.value).startswith("=") and due.protection.locked
    assert isinstance(received.value, dt.datetime) and received.protection.locked is False
    settings = wb[L.SETTINGS]
    assert settings[f"B{srow('CaseName')}"].protection.locked is False  # case name: typed
    assert settings[f"B{srow('LayoutVersion')}"].protection.locked  # LayoutVersion
    assert settings[f"A{L.SETTINGS_FIRST_ROW}"].protection.locked


def test_dates_show_as_dd_mm_yyyy(demo_file):
    wb = openpyxl.load_workbook(demo_file)
    for t in (L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE, L.FRONT_TABLE, L.HOLIDAYS_TABLE):
        ws = wb[t.sheet]
        for c in t.columns:
            if c.fmt != "date":
                continue
            letter = get_column_letter(t.col(c.key))
            assert col_dim(ws, t.col(c.key)).number_format == "dd/mm/yyyy", (t.name, c.header)
            cell = ws[f"{letter}{t.first_row}"]
            if cell.value is not None:
                assert cell.number_format == "dd/mm/yyyy", (t.name, c.header)
    assert wb[L.TIMESCALE]["C3"].number_format == "dd/mm/yyyy"
    for _n, _l, row, _lc, vcol in L.AGENCY_HEADER_DATES:
        assert wb[L.AGENCIES][f"{vcol}{row}"].number_format == "dd/mm/yyyy"
    for ref in ("B4", "F3"):
        assert wb[L.FRONT][ref].number_format == "dd/mm/yyyy"


# --------------------------------------------------------------------------- cached values


def test_every_formula_has_a_cached_value_in_the_xml(built, demo_file):
    """A formula without <v> would show blank (or be recalculated into #NAME?) where nothing
    runs our add-in; every formula cell must carry its answer."""
    for path in (built, demo_file):
        with zipfile.ZipFile(path) as z:
            n = 0
            for name in z.namelist():
                if not re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                    continue
                xml = z.read(name).decode("utf-8")
                for cell in re.findall(r"<c [^>]*>.*?</c>", xml):
                    if "<f>" in cell or "<f " in cell:
                        n += 1
                        assert "<v>" in cell or "<v></v>" in cell, f"{path.name} {name}: {cell[:120]}"
            assert n > 60


def test_cached_due_dates_equal_the_plan(wb_values):
    plan = expected_plan("rotherham-2009", DAY0)
    ts = wb_values[L.TIMESCALE]
    t = L.TIMESCALE_TABLE
    for i, p in enumerate(plan.milestones):
        r = t.first_row + i
        due = ts.cell(r, t.col("due")).value
        guide = ts.cell(r, t.col("guide")).value
        if p.due is None:  # a date entered by the board manager, not computed
            assert p.milestone.start == INPUT and due in (None, "") and guide in (None, ""), p.id
            continue
        assert due is not None and due.date() == p.due, p.id
        assert guide.date() == p.computed
        assert ts.cell(r, t.col("status")).value  # a word, whatever today is
    assert ts["C4"].value is not None  # "As at"


def test_cached_values_of_a_filled_case_are_the_python_results(demo_file):
    from tracker.case import compute
    case = demo_case(TODAY, fixed_today=True)
    r = compute(case)
    wb = openpyxl.load_workbook(demo_file, data_only=True)
    ts, t = wb[L.TIMESCALE], L.TIMESCALE_TABLE
    for i, p in enumerate(r.plan.milestones):
        assert ts.cell(t.first_row + i, t.col("status")).value == r.timescale_status[p.id]
        assert ts.cell(t.first_row + i, t.col("flags")).value in (p.flag_text(), None if not p.flag_text() else "")
    ag, t = wb[L.AGENCIES], L.AGENCIES_TABLE
    for i, res in enumerate(r.agencies):
        for item, word in res.statuses.items():
            assert ag.cell(t.first_row + i, t.col(f"{item}_status")).value == word
    ac, t = wb[L.ACTIONS], L.ACTIONS_TABLE
    assert [ac.cell(t.first_row + i, t.col("rag")).value for i in range(len(r.actions))] == [a.word for a in r.actions]
    assert [ac.cell(t.first_row + i, t.col("rag_reason")).value for i in range(len(r.actions))] == [a.reason for a in r.actions]
    fr, t = wb[L.FRONT], L.FRONT_TABLE
    assert [fr.cell(t.first_row + i, t.col("status")).value for i in range(len(r.front))] == [s for _k, _p, s in r.front]
    assert wb[L.SETTINGS][f"B{srow('Today')}"].value == dt.datetime(2026, 6, 15)  # a fixed as-at date


# --------------------------------------------------------------------------- the printed Front Sheet


def _pdftotext(pdf: Path, page: int) -> str:
    run = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                         capture_output=True, text=True, check=True)
    return " ".join(run.stdout.split())


def test_front_sheet_prints_whole_on_page_one(demo_file, tmp_path):
    try:
        require_soffice()
    except LibreOfficeMissing as e:
        pytest.fail(str(e), pytrace=False)
    pdf = convert(demo_file, "pdf", tmp_path)
    assert pdf_pages(pdf) > 2
    page1, page2 = _pdftotext(pdf, 1), _pdftotext(pdf, 2)
    assert "SERIOUS CASE REVIEW FILE FRONT SHEET" in page1
    events = events_for(get_profile("rotherham-2009"))
    for e in events:  # a label may wrap onto two lines of its cell
        assert set(e.label.split()) <= set(page1.split()), e.label
    assert "Action plans to Ofsted" in page1  # the last of p.57's events
    assert "Coroner's inquest concluded" in " ".join(page1.split())  # the last row: the family's section
    assert "DEMO-01 (fictional)" in page1 and "17/11/2025" in page1  # case name and Day 0
    for e in events:
        assert e.label not in page2, f"front-sheet event {e.label!r} spilled onto page 2"
    assert "FILE FRONT SHEET" not in page2
    # Looked at once by eye (tmp_path/png/*-01.png): the whole front sheet on one portrait A4 page.
    pngs = pdf_to_pngs(pdf, tmp_path / "png", dpi=40)
    assert pngs[0].stat().st_size > 1000


# --------------------------------------------------------------------------- refusals


def test_new_refuses_an_existing_file_without_force_and_leaves_it_alone(built, tmp_path):
    path = tmp_path / "Case.xlsx"
    path.write_bytes(built.read_bytes())
    before = sha(path)
    r = CliRunner().invoke(main, ["new", str(path), "--name", "X", "--day0", "01/02/2026"])
    assert r.exit_code == 1
    assert "already exists" in r.output and "--force" in r.output and "Traceback" not in r.output
    assert sha(path) == before
    assert not (tmp_path / "backups").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Case.xlsx"]  # no temp files either


def test_new_with_force_replaces_and_keeps_a_backup(built, tmp_path):
    path = tmp_path / "Case.xlsx"
    path.write_bytes(built.read_bytes())
    before = sha(path)
    r = scr_new(path, "--name", "XY-2", "--day0", "02/03/2026", "--profile", "llr", "--force")
    assert r.exit_code == 0, r.output
    (backup,) = backups_of(path)
    assert sha(backup) == before
    wb = openpyxl.load_workbook(path)
    assert wb[L.SETTINGS][f"B{srow('Profile')}"].value == "llr"


@pytest.mark.parametrize("name", ["Case.xls", "Case.xlsm", "Case.csv", "Case"])
def test_new_refuses_a_name_that_is_not_xlsx(tmp_path, name):
    path = tmp_path / name
    r = CliRunner().invoke(main, ["new", str(path), "--name", "X", "--day0", "01/02/2026"])
    assert r.exit_code == 1
    assert ".xlsx" in r.output and "Traceback" not in r.output
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- every profile


@pytest.mark.parametrize("profile_id", sorted(all_profiles()))
def test_new_builds_for_every_profile(tmp_path, profile_id):
    path = tmp_path / f"{profile_id}.xlsx"
    r = scr_new(path, "--name", "P-1", "--day0", "15/12/2025", "--profile", profile_id,
                "--agencies", "Police,Children's Social Care")
    assert r.exit_code == 0, r.output
    plan = expected_plan(profile_id, DAY0)
    wb = openpyxl.load_workbook(path, data_only=True)
    ts, t = wb[L.TIMESCALE], L.TIMESCALE_TABLE
    assert range_boundaries(ts.tables["Timescale"].ref)[3] == t.header_row + len(plan.milestones)
    for i, p in enumerate(plan.milestones):
        r_ = t.first_row + i
        assert ts.cell(r_, t.col("milestone")).value == p.id
        due = ts.cell(r_, t.col("due")).value
        if p.due is None:  # entered by the board manager, or counted from such a date
            assert due in (None, ""), p.id
        else:
            assert due is not None and due.date() == p.due, p.id
    assert wb[L.SETTINGS][f"B{srow('Profile')}"].value == profile_id
    names = [wb[L.AGENCIES].cell(L.AGENCIES_TABLE.first_row + i, 1).value for i in range(2)]
    assert names == ["Police", "Children's Social Care"]


@pytest.mark.parametrize("profile_id, months", [("bolton", 6), ("essex-2016-scr", 3), ("rotherham-2009", 3),
                                                ("england-wt2023", 3)])
def test_new_takes_the_update_cycle_of_the_profile_else_the_boards(tmp_path, profile_id, months):
    # Bolton, seed 002: the Board "will monitor the progress of implementing the recommendations six
    # months following agreement of the Overview Report". Rotherham's agencies "submit update forms as
    # required" (seed 001 §13.4): no cycle of its own, so the board's (3 in its settings file) applies.
    path = tmp_path / f"{profile_id}.xlsx"
    r = scr_new(path, "--name", "P-1", "--day0", "15/12/2025", "--profile", profile_id, "--agencies", "Police")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb[L.SETTINGS][f"B{srow('CycleMonths')}"].value == months


def test_the_front_sheet_names_the_board_from_its_settings_and_calls_only_an_scr_an_scr(tmp_path, monkeypatch):
    """Issue 9: the Front Sheet named Rotherham's LSCB for every profile and called every review an SCR."""
    from tracker.case import CaseData
    settings = tmp_path / "board.toml"
    settings.write_text('board = "Northshire Safeguarding Children Partnership"\n', encoding="utf-8")
    monkeypatch.setenv("SCR_SETTINGS", str(settings))
    england = tmp_path / "E.xlsx"
    build_workbook(england, CaseData("E-01", "england-wt2023", dt.date(2026, 11, 2)))
    ws = openpyxl.load_workbook(england)[L.FRONT]
    assert (ws["A1"].value, ws["A2"].value) == ("CASE REVIEW FILE FRONT SHEET", "Northshire Safeguarding Children Partnership")
    rotherham = tmp_path / "R.xlsx"
    build_workbook(rotherham, CaseData("R-01", "rotherham-2009", dt.date(2026, 11, 2)))
    assert openpyxl.load_workbook(rotherham)[L.FRONT]["A1"].value == "SERIOUS CASE REVIEW FILE FRONT SHEET"
