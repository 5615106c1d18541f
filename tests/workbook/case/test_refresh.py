"""`scr refresh`: recompute a case workbook the board manager has been working in, and keep
everything of theirs.

The file is prepared the way a year of use leaves it - an extra column in the Agencies table,
an extra sheet, a widened column, notes beside a table, rows added to the Agencies and Actions
tables - by surgical zip/XML edits (workbook.xlsx.patch and plain zipfile), never by an openpyxl
round trip (which would drop things and prove nothing). Then Day 0 and an actual date change,
refresh runs, and we check what moved, what must not have moved (byte for byte), the Audit row
and the backup; the refusals (open in Excel, bad dates) leave the file byte-identical; a
refresh killed while saving leaves the old file or the new one, never a broken one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from libreoffice import LibreOfficeMissing, convert, read_csv, recalc, require_soffice
from tracker import __version__
from tracker.calendar import WorkCalendar
from tracker.errors import ScrError
from tracker.plan import make_plan
from tracker.profiles import get_profile
from workbook.case import layout as L
from workbook.case.build import build_workbook
from tracker.case import compute
from tracker.demo import demo_case
from workbook.case.read import ScrErrors, read_case
from workbook.commands.refresh import refresh
from workbook.xlsx.safe import backups_of
from workbook.xlsx.patch import Patch
from shared import sha

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 6, 15)
NEW_DAY0 = dt.date(2025, 12, 1)  # the demo's Day 0 is 17/11/2025
NEW_DECISION = dt.date(2026, 1, 9)  # actual date of 'text-decision'; 'text-review-complete' counts from it
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def srow(key: str) -> int:
    """The Settings row of a setting (its value is in column B)."""
    return L.SETTINGS_FIRST_ROW + [k for k, *_ in L.SETTINGS_ROWS].index(key)



def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def sheet_parts(path) -> dict[str, str]:
    """{sheet name: zip member} from workbook.xml and its relationships."""
    m = members(path)
    rels = etree.fromstring(m["xl/_rels/workbook.xml.rels"])
    target = {r.get("Id"): "xl/" + r.get("Target").lstrip("/").removeprefix("xl/") for r in rels}
    wb = etree.fromstring(m["xl/workbook.xml"])
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {s.get("name"): target[s.get(rid)] for s in wb.iter(f"{{{MAIN_NS}}}sheet")}


def table_part(path, sheet: str) -> str:
    part = sheet_parts(path)[sheet]
    folder, base = part.rsplit("/", 1)
    rels = etree.fromstring(members(path)[f"{folder}/_rels/{base}.rels"])
    (t,) = [r.get("Target") for r in rels if r.get("Type").endswith("/table")]
    return "xl/" + t.replace("../", "")


def rewrite_zip(path: Path, edit: dict, add: dict | None = None) -> None:
    """Rewrite some members of the zip (edit: name -> function(bytes) -> bytes), add new ones;
    every other member is copied as it is, in the same order."""
    src = Path(path).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edit:
                data = edit[info.filename](data)
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    Path(path).write_bytes(out.getvalue())


def sub(pattern: str, repl: str, count: int = 1):
    def f(data: bytes) -> bytes:
        text, n = re.subn(pattern, repl, data.decode("utf-8"), count=count)
        assert n == count, f"pattern {pattern!r} matched {n} times"
        return text.encode("utf-8")
    return f


EXTRA_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Manager\'s own notes</t></is></c><c r="B1"><v>42</v></c></row>'
    "</sheetData></worksheet>"
)


def prepare_users_file(path: Path) -> dict:
    """Make the changes a board manager makes in Excel; return what to look for afterwards."""
    ag = L.AGENCIES_TABLE
    n_agencies = 8
    last_col = ag.first_col + len(ag.columns) - 1
    extra_col = openpyxl.utils.get_column_letter(last_col + 1)
    p = Patch(path)
    # an extra column of their own at the right of the Agencies table (header + values)
    p.set_cells(L.AGENCIES, {f"{extra_col}{ag.header_row}": "Manager's RAG",
                             **{f"{extra_col}{ag.first_row + i}": f"note {i}" for i in range(n_agencies)},
                             f"{extra_col}{ag.first_row + 1}": dt.date(2026, 2, 3)})
    # a note beside the Timescale table, and text in its Notes column
    p.set_cells(L.TIMESCALE, {"N7": "Ask the police about the delay", "L8": "Chair away in January"})
    # added rows: just the key column, as someone types a new agency or action at the table's end
    p.append_table_rows(L.AGENCIES, "Agencies", [{"Agency": "Youth Offending Service"}])
    p.append_table_rows(L.ACTIONS, "Actions", [{"Action ID": "5.1"}])
    p.save(keep=0)
    tpart = table_part(path, L.AGENCIES)
    last = openpyxl.utils.get_column_letter(last_col)
    ts_part = sheet_parts(path)[L.TIMESCALE]
    rewrite_zip(path, {
        tpart: lambda b: sub(r'tableColumns count="(\d+)"', f'tableColumns count="{len(ag.columns) + 1}"')(
            sub(r"</tableColumns>", f'<tableColumn id="{len(ag.columns) + 1}" name="Manager\'s RAG"/></tableColumns>')(
                sub(rf'ref="A{ag.header_row}:{last}(\d+)"', rf'ref="A{ag.header_row}:{extra_col}\1"', count=2)(b))),
        # a widened Notes column on the Timescale sheet (a format in a sheet refresh edits)
        ts_part: sub(r'<col min="12" max="12" width="[0-9.]+"', '<col min="12" max="12" width="33.5"'),
        "[Content_Types].xml": sub(r"</Types>", '<Override PartName="/xl/worksheets/sheet99.xml" ContentType='
                                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": sub(r"</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxml'
                                          'formats.org/officeDocument/2006/relationships/worksheet" '
                                          'Target="worksheets/sheet99.xml"/></Relationships>'),
        "xl/workbook.xml": sub(r"</sheets>", '<sheet name="My notes" sheetId="99" r:id="rId99"/></sheets>'),
    }, add={"xl/worksheets/sheet99.xml": EXTRA_SHEET})
    return {"extra_col": extra_col, "added_agency_row": ag.first_row + n_agencies,
            "added_action_row": L.ACTIONS_TABLE.first_row + 8}


@pytest.fixture
def case_file(tmp_path) -> Path:
    path = tmp_path / "Case.xlsx"
    build_workbook(path, demo_case(TODAY, fixed_today=True))
    return path


def _col(t: L.Table, key: str) -> str:
    return openpyxl.utils.get_column_letter(t.col(key))


def audit_rows(path) -> list[dict]:
    ws = openpyxl.load_workbook(path)[L.AUDIT]
    t = L.AUDIT_TABLE
    ref = ws.tables["Audit"].ref
    last = openpyxl.utils.range_boundaries(ref)[3]
    rows = []
    for r in range(t.first_row, last + 1):
        values = {c.header: ws.cell(r, t.col(c.key)).value for c in t.columns}
        if values["When"] is not None:
            rows.append(values)
    return rows


def leftovers(folder: Path) -> list[Path]:
    return list(folder.rglob("*.scr-tmp"))


# --------------------------------------------------------------------------- the round trip


@pytest.fixture
def refreshed(case_file):
    """The prepared file, then Day 0 and an actual changed, then refreshed."""
    found = prepare_users_file(case_file)
    p = Patch(case_file)
    row = L.TIMESCALE_TABLE.first_row + get_profile("rotherham-2009").ids.index("text-decision")
    p.set_cells(L.TIMESCALE, {L.TS_DAY0_CELL.replace("$", ""): NEW_DAY0,
                              f"{_col(L.TIMESCALE_TABLE, 'actual')}{row}": NEW_DECISION})
    p.save(keep=0)
    before = case_file.read_bytes()
    result = refresh(case_file)
    return case_file, before, result, found


def expected_plan():
    case = demo_case(TODAY, fixed_today=True)
    actuals = {**case.actuals, "text-decision": NEW_DECISION}
    return make_plan(get_profile("rotherham-2009"), NEW_DAY0, actuals=actuals, overrides=case.overrides,
                     calendar=WorkCalendar(case.nation, case.closures))


def test_refresh_moves_everything_downstream_of_day0_and_the_actual(refreshed):
    path, before, result, _ = refreshed
    plan = expected_plan()
    old = demo_case(TODAY, fixed_today=True)
    assert old.day0 != NEW_DAY0
    wb = openpyxl.load_workbook(path, data_only=True)
    ts, t = wb[L.TIMESCALE], L.TIMESCALE_TABLE
    for i, p in enumerate(plan.milestones):
        got = ts.cell(t.first_row + i, t.col("due")).value
        assert (got.date() if got else None) == p.due, p.id
        assert ts.cell(t.first_row + i, t.col("status")).value == p.status(TODAY, 7)
    assert plan["text-review-complete"].due == dt.date(2026, 5, 9)  # EDATE(09/01/2026, 4): re-planned from the actual
    assert "re-planned from actual text-decision" in ts.cell(
        t.first_row + plan.profile.ids.index("text-review-complete"), t.col("flags")).value
    assert ts["C4"].value == dt.datetime(2026, 6, 15)
    # the Agencies' due dates and the Front Sheet's plan follow the Timescale
    ag, a = wb[L.AGENCIES], L.AGENCIES_TABLE
    chron_due = plan["chronologies-in"].due
    assert chron_due == NEW_DAY0 + dt.timedelta(weeks=9)
    for r in range(a.first_row, a.first_row + 8):
        assert ag[f"{_col(a, 'chronology_due')}{r}"].value.date() == chron_due
    fr, f = wb[L.FRONT], L.FRONT_TABLE
    row = f.first_row + [k for _s, k, _l in __import__("tracker.frontsheet", fromlist=["P57"]).P57].index(
        "integrated_chronology_completed")
    assert fr[f"{_col(f, 'planned')}{row}"].value.date() == chron_due
    assert fr["B4"].value == dt.datetime.combine(NEW_DAY0, dt.time())  # =Day0 shows the new Day 0
    # what the tracker read back is what the file now says
    assert result.case.day0 == NEW_DAY0 and result.case.actuals["text-decision"] == NEW_DECISION


def test_refresh_keeps_the_users_columns_sheet_notes_comments_and_formats(refreshed):
    path, before, _result, found = refreshed
    wb = openpyxl.load_workbook(path)
    ag = wb[L.AGENCIES]
    col = found["extra_col"]
    a = L.AGENCIES_TABLE
    assert ag[f"{col}{a.header_row}"].value == "Manager's RAG"
    assert ag[f"{col}{a.first_row}"].value == "note 0"
    assert ag[f"{col}{a.first_row + 1}"].value == dt.datetime(2026, 2, 3)
    assert ag[f"{col}{a.first_row + 1}"].number_format == "dd/mm/yyyy"
    assert ag.tables["Agencies"].ref.endswith(f"{col}{found['added_agency_row']}")
    assert [c.name for c in ag.tables["Agencies"].tableColumns][-1] == "Manager's RAG"
    assert wb.sheetnames == [*L.SHEETS, "My notes"]
    assert (wb["My notes"]["A1"].value, wb["My notes"]["B1"].value) == ("Manager's own notes", 42)
    ts = wb[L.TIMESCALE]
    assert ts["N7"].value == "Ask the police about the delay" and ts["L8"].value == "Chair away in January"
    assert ts.column_dimensions["L"].width == 33.5
    # the header notes (comments) are there, unchanged byte for byte
    old, new = members(io.BytesIO(before)), members(path)
    comments = [n for n in new if re.match(r"xl/comments\d*\.xml|xl/drawings/vmlDrawing\d+\.vml", n)]
    assert len(comments) == 2  # the Timescale header notes: comments + their VML shapes
    assert all(old[n] == new[n] for n in comments)
    assert ts["E6"].comment.text == "The profile's date, in native Excel formulas."


def test_refresh_changes_only_the_sheets_it_computes_and_the_audit(refreshed):
    path, before, _result, _found = refreshed
    old, new = members(io.BytesIO(before)), members(path)
    assert list(old) == list(new)  # same members, same order
    parts = sheet_parts(path)
    # the first Audit row fills the empty table's blank row, so the Audit table's part stays as it was
    expected = {parts[s] for s in (L.FRONT, L.TIMESCALE, L.AGENCIES, L.ACTIONS, L.AUDIT)}
    changed = {n for n in old if old[n] != new[n]}
    assert changed == expected
    for n in set(old) - changed:
        assert old[n] == new[n]


def test_refresh_appends_an_audit_row_with_the_previous_files_hash_and_keeps_a_backup(refreshed):
    path, before, result, _found = refreshed
    (row,) = audit_rows(path)
    assert row["Command"] == "refresh"
    assert row["File SHA-256"] == hashlib.sha256(before).hexdigest()
    assert row["Tracker version"] == __version__
    assert row["Detail"] == f"{result.cells} cells; as at 15/06/2026"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", row["When"])
    (backup,) = backups_of(path)
    assert re.fullmatch(r"Case\.\d{4}-\d\d-\d\dT\d{6}\.xlsx", backup.name)
    assert backup.read_bytes() == before
    assert result.backup == backup
    assert leftovers(path.parent) == []
    # a second refresh adds a second row, naming the first refresh's result
    after_first = sha(path)
    refresh(path)
    rows = audit_rows(path)
    assert len(rows) == 2 and rows[1]["File SHA-256"] == after_first


def test_a_second_refresh_with_nothing_changed_changes_only_the_audit(refreshed):
    path, _before, _result, _found = refreshed
    first = members(path)
    refresh(path)
    second = members(path)
    changed = {n for n in first if first[n] != second[n]}
    # the computed sheets are rewritten with the same cells, byte for byte; the Audit table grows by a row
    assert changed == {sheet_parts(path)[L.AUDIT], table_part(path, L.AUDIT)}


def test_rows_the_user_added_get_formulas_and_cached_values(refreshed, tmp_path):
    path, _before, result, found = refreshed
    wb = openpyxl.load_workbook(path)
    wv = openpyxl.load_workbook(path, data_only=True)
    a, r = L.AGENCIES_TABLE, found["added_agency_row"]
    plan = expected_plan()
    added = result.results.agencies[-1]
    for item in ("chronology", "management_report", "action_plan", "update_1", "update_2"):
        assert str(wb[L.AGENCIES][f"{_col(a, item + '_due')}{r}"].value).startswith("=IF("), item
        assert str(wb[L.AGENCIES][f"{_col(a, item + '_status')}{r}"].value).startswith("=IFERROR(SCR_RECEIPT("), item
        assert wv[L.AGENCIES][f"{_col(a, item + '_status')}{r}"].value == added.statuses[item]
    # like the rows `scr new` wrote, an added row is requested on the date of the request letter
    for item in ("chronology", "management_report", "action_plan"):
        assert str(wb[L.AGENCIES][f"{_col(a, item + '_requested')}{r}"].value).startswith("=IF(ISNUMBER(Letter"), item
    assert added.statuses["chronology"].startswith("overdue") and added.statuses["update_1"] == "not requested"
    assert wv[L.AGENCIES][f"{_col(a, 'chronology_due')}{r}"].value.date() == plan["chronologies-in"].due
    t, r = L.ACTIONS_TABLE, found["added_action_row"]
    assert str(wb[L.ACTIONS][f"{_col(t, 'rag')}{r}"].value).startswith("=IFERROR(SCR_RAG(")
    assert wv[L.ACTIONS][f"{_col(t, 'rag')}{r}"].value == "Green"
    assert wv[L.ACTIONS][f"{_col(t, 'rag_reason')}{r}"].value == "on track (no update yet)"
    assert [x.get("agency") for x in result.case.agencies][-1] == "Youth Offending Service"
    assert [x.get("action_id") for x in result.case.actions][-1] == "5.1"


def test_refreshed_file_reads_right_in_libreoffice_with_and_without_recalculation(refreshed, tmp_path):
    """The patched file opens in LibreOffice; shown as saved, it says what Python computed, and
    recalculated there (native twins, no add-in) it says the same."""
    try:
        require_soffice()
    except LibreOfficeMissing as e:
        pytest.fail(str(e), pytrace=False)
    path, _before, result, found = refreshed
    r = compute(read_case(path))
    # as saved: the CSV of the Action Plan shows the new row's word
    rows = read_csv(convert(path, "csv", tmp_path / "csv", sheet=L.ACTIONS))
    t = L.ACTIONS_TABLE
    assert rows[found["added_action_row"] - 1][t.col("action_id") - 1] == "5.1"
    assert [rows[t.first_row - 1 + i][t.col("rag") - 1] for i in range(len(r.actions))] == [x.word for x in r.actions]
    # recalculated
    out = recalc(path, tmp_path / "lo")
    wb = openpyxl.load_workbook(out, data_only=True)
    ts, t = wb[L.TIMESCALE], L.TIMESCALE_TABLE
    for i, p in enumerate(r.plan.milestones):
        due = ts.cell(t.first_row + i, t.col("due")).value
        assert (due.date() if isinstance(due, dt.datetime) else due or None) == p.due, p.id
        assert ts.cell(t.first_row + i, t.col("status")).value == r.timescale_status[p.id]
    ag, a = wb[L.AGENCIES], L.AGENCIES_TABLE
    for i, res in enumerate(r.agencies):
        for item, word in res.statuses.items():
            assert ag.cell(a.first_row + i, a.col(f"{item}_status")).value == word, (i, item)
    ac = wb[L.ACTIONS]
    assert [ac.cell(L.ACTIONS_TABLE.first_row + i, L.ACTIONS_TABLE.col("rag")).value
            for i in range(len(r.actions))] == [x.word for x in r.actions]
    assert wb["My notes"]["A1"].value == "Manager's own notes"


def test_refresh_with_today_keeps_the_today_formula(tmp_path):
    path = tmp_path / "Case.xlsx"
    build_workbook(path, demo_case(TODAY))  # Settings 'As at' = =TODAY()
    r = refresh(path, today=dt.date(2026, 7, 1))
    assert r.case.as_at == dt.date(2026, 7, 1)
    cell = f"B{srow('Today')}"
    assert openpyxl.load_workbook(path)[L.SETTINGS][cell].value == "=TODAY()"
    assert openpyxl.load_workbook(path, data_only=True)[L.SETTINGS][cell].value == dt.datetime(2026, 7, 1)
    assert audit_rows(path)[0]["Detail"].endswith("as at 01/07/2026")


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("lock", ["~$Case.xlsx", ".~lock.Case.xlsx#"])
def test_refresh_refuses_while_the_workbook_is_open(case_file, lock):
    (case_file.parent / lock).write_text("someone")
    before = sha(case_file)
    with pytest.raises(ScrError) as e:
        refresh(case_file)
    text = str(e.value)
    assert "Case.xlsx is open in" in text and lock in text and "close it" in text
    assert sha(case_file) == before
    assert not (case_file.parent / "backups").exists()
    assert leftovers(case_file.parent) == []


def test_cli_refresh_refuses_while_open_in_excel(case_file):
    (case_file.parent / "~$Case.xlsx").write_text("someone")
    before = sha(case_file)
    run = subprocess.run([sys.executable, "-m", "tracker.cli", "refresh", str(case_file)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "is open in Excel" in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert sha(case_file) == before


def test_bad_dates_are_all_reported_with_file_sheet_row_column_and_nothing_changes(case_file):
    ts, ag, ac = L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE
    p = Patch(case_file)
    p.set_cells(L.TIMESCALE, {f"{_col(ts, 'actual')}8": "31/02/2026", f"{_col(ts, 'override')}9": "soon"})
    p.set_cells(L.AGENCIES, {f"{_col(ag, 'chronology_received')}9": "tomorrow"})
    p.set_cells(L.ACTIONS, {f"{_col(ac, 'target')}6": "next week"})
    p.save(keep=0)
    before = sha(case_file)
    with pytest.raises(ScrErrors) as e:
        refresh(case_file)
    errors = e.value.errors
    where = {(x.sheet, x.row, x.column) for x in errors}
    assert where == {(L.TIMESCALE, 8, _col(ts, "actual")), (L.TIMESCALE, 9, _col(ts, "override")),
                     (L.AGENCIES, 9, _col(ag, "chronology_received")), (L.ACTIONS, 6, _col(ac, "target"))}
    assert all(x.file == str(case_file) for x in errors)
    text = str(e.value)
    assert text.startswith("4 problems found; nothing was changed.")
    assert "'31/02/2026' is not a real date" in text and "'soon' is not a date" in text
    assert f"sheet 'Timescale', row 8, column {_col(ts, 'actual')}" in text
    assert sha(case_file) == before
    assert not (case_file.parent / "backups").exists()
    assert leftovers(case_file.parent) == []


def test_cli_refresh_with_a_bad_date_exits_1_and_names_the_cell(case_file):
    p = Patch(case_file)
    p.set_cells(L.TIMESCALE, {"C3": "31/02/2026"})
    p.save(keep=0)
    before = sha(case_file)
    run = subprocess.run([sys.executable, "-m", "tracker.cli", "refresh", str(case_file)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "sheet 'Timescale'" in run.stderr and "row 3, column C" in run.stderr and "'31/02/2026' is not a real date" in run.stderr
    assert "Traceback" not in run.stderr
    assert sha(case_file) == before


def test_bad_day0_error_names_row_and_column_separately(case_file):
    p = Patch(case_file)
    p.set_cells(L.TIMESCALE, {"C3": "31/02/2026"})
    p.save(keep=0)
    with pytest.raises(ScrErrors) as e:
        refresh(case_file)
    (err,) = e.value.errors
    assert (err.sheet, err.row, err.column) == (L.TIMESCALE, 3, "C")


def test_bad_action_status_is_reported_with_its_cell_among_the_other_problems(case_file):
    ac = L.ACTIONS_TABLE
    p = Patch(case_file)
    p.set_cells(L.ACTIONS, {f"{_col(ac, 'status')}5": "blah", f"{_col(ac, 'target')}6": "next week"})
    p.save(keep=0)
    before = sha(case_file)
    with pytest.raises(ScrErrors) as e:
        refresh(case_file)
    assert sha(case_file) == before
    where = {(x.sheet, x.row, x.column) for x in e.value.errors}
    assert where == {(L.ACTIONS, 5, _col(ac, "status")), (L.ACTIONS, 6, _col(ac, "target"))}
    assert "'blah' is not one of the allowed words" in str(e.value)


@pytest.mark.parametrize("key,value", [("CycleMonths", 0), ("Profile", "no-such-profile")])
def test_bad_settings_are_reported_with_file_and_cell(case_file, key, value):
    row = srow(key)
    p = Patch(case_file)
    p.set_cells(L.SETTINGS, {f"B{row}": value})
    p.save(keep=0)
    before = sha(case_file)
    with pytest.raises(ScrError) as e:
        refresh(case_file)
    assert sha(case_file) == before
    errors = getattr(e.value, "errors", [e.value])
    assert any(x.file == str(case_file) and x.sheet == L.SETTINGS and x.row == row and x.column == "B" for x in errors)


# --------------------------------------------------------------------------- killed while saving

# A pre-imported "zygote": for each line on stdin it forks a refresh and reports the pid, so
# each kill costs a fork rather than a fresh interpreter and its imports.
ZYGOTE = """
import os, sys
from workbook.commands.refresh import refresh
print("ready", flush=True)
for _line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            refresh(sys.argv[1])
        except BaseException:
            os._exit(1)
        os._exit(0)
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print("exit", status, flush=True)
"""


def _big_case_file(path: Path):
    case = demo_case(TODAY, fixed_today=True)
    base = case.agencies[0]
    case.agencies = [{**base, "agency": f"Agency {i}"} for i in range(30)]
    first = case.actions[0]
    case.actions = [{**first, "action_id": f"{i // 10}.{i % 10}"} for i in range(200)]
    build_workbook(path, case)


def _complete_refresh(path: Path, audit_before: int) -> bool:
    with zipfile.ZipFile(path) as z:
        if z.testzip() is not None:
            return False
    read_case(path)  # opens and reads every table
    return len(audit_rows(path)) == audit_before + 1


@pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(os, "fork"), reason="needs SIGKILL and fork")
def test_refresh_killed_while_saving_leaves_old_or_new_never_partial(tmp_path):
    import select

    wb = tmp_path / "Case.xlsx"
    _big_case_file(wb)
    old = wb.read_bytes()
    old_hash = hashlib.sha256(old).hexdigest()
    audit_before = len(audit_rows(wb))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE, str(wb)], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def tmp_there() -> bool:
        return any(n.endswith(".scr-tmp") for n in os.listdir(tmp_path))

    def finished() -> bool:
        return bool(select.select([zygote.stdout], [], [], 0)[0])

    def run_once(kill_after: float | None):
        """Start one refresh; once its temp file appears, kill it after ``kill_after`` seconds
        (None: let it finish). Returns (seconds the temp file existed or None, exit line)."""
        zygote.stdin.write("go\n")
        zygote.stdin.flush()
        pid = int(zygote.stdout.readline())
        began = ended = None
        while not finished():
            there = tmp_there()
            now = time.monotonic()
            if began is None and there:
                began = now
            if began is not None and not there and ended is None:
                ended = now
            if kill_after is not None and began is not None and now >= began + kill_after:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass  # it had just finished
                break
        status = zygote.stdout.readline().split()
        return (ended - began if began and ended else None), status

    def reset():
        wb.write_bytes(old)
        for p in leftovers(tmp_path):
            p.unlink()
        for b in backups_of(wb):
            b.unlink()

    try:
        assert zygote.stdout.readline().strip() == "ready", zygote.stderr.read()
        # One undisturbed refresh: how long is the save (temp file written, then renamed into place)?
        window, status = run_once(None)
        assert status == ["exit", "0"], status
        assert window is not None, "the save's temp file was never seen"
        assert _complete_refresh(wb, audit_before)
        outcomes = []
        for i in range(8):
            reset()
            _, status = run_once(window * 1.3 * i / 7)
            h = sha(wb)
            if h == old_hash:
                outcomes.append("old" + ("+tmp" if leftovers(tmp_path) else ""))
            else:
                assert _complete_refresh(wb, audit_before), f"broken workbook after a kill at {i}/7 of the save"
                outcomes.append("new")
            for b in backups_of(wb):
                assert sha(b) == old_hash, "a backup that is not the old file"
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=60)
        zygote.stdout.close()
        zygote.stderr.close()
    print(f"save window {window * 1000:.1f} ms; outcomes: {outcomes}")
    # Otherwise every kill missed the save and this test proved nothing.
    assert "old+tmp" in outcomes
    # after the storm, a refresh still works and leaves a readable file
    reset()
    refresh(wb)
    assert _complete_refresh(wb, audit_before)


def test_a_file_from_before_case_id_and_key_still_refreshes(case_file):
    rewrite_zip(case_file, {"xl/workbook.xml": sub(r'<definedName name="Case(Id|Key)">[^<]*</definedName>', "", count=2)})
    assert "CaseId" not in openpyxl.load_workbook(case_file).defined_names
    r = refresh(case_file)
    assert r.cells > 100


def test_a_1904_date_system_case_is_refused_explicitly(case_file):
    """Switching a workbook to Excel's 1904 date system moves every date by four years; the
    tracker refuses it with the fix rather than reading dates four years out."""
    data = case_file.read_bytes()
    rewrite_zip(case_file, {"xl/workbook.xml": lambda xml: xml.replace(b"<workbookPr", b'<workbookPr date1904="1"', 1)})
    before = sha(case_file)
    with pytest.raises(ScrError, match="1904 date system") as e:
        refresh(case_file)
    assert "untick" in str(e.value) and sha(case_file) == before
    case_file.write_bytes(data)


def test_the_boards_own_big_sheet_is_not_parsed_but_kept(tmp_path):
    """A board manager's own sheet (here 50,000 rows, with print titles of its own) is left out of what
    the tracker parses, so reading stays fast, and the refreshed file still holds it whole."""
    from workbook.commands.demo import run_demo
    from workbook.case.load import our_sheets_only
    case = run_demo(tmp_path, TODAY).path
    wb = openpyxl.load_workbook(case)
    ws = wb.create_sheet("My notes", 0)
    for i in range(50_000):
        ws.append([i, f"note {i}"])
    ws.print_title_rows = "1:1"
    wb.save(case)
    parsed = openpyxl.load_workbook(io.BytesIO(our_sheets_only(case.read_bytes())))
    assert "My notes" not in parsed.sheetnames and parsed.sheetnames == list(L.SHEETS)
    before = read_case(case)
    r = refresh(case, today=TODAY)
    assert r.cells > 100 and len(before.agencies) == len(r.case.agencies)
    after = openpyxl.load_workbook(case, read_only=True)
    assert after.sheetnames[0] == "My notes" and after["My notes"].max_row == 50_000


def test_a_misspelt_action_status_gets_the_nearest_word(case_file):
    ac = L.ACTIONS_TABLE
    p = Patch(case_file)
    p.set_cells(L.ACTIONS, {f"{_col(ac, 'status')}5": "in progres"})
    p.save(keep=0)
    with pytest.raises(ScrErrors) as e:
        refresh(case_file)
    assert "'in progres' is not one of the allowed words. Did you mean 'in progress'?" in str(e.value)
