"""Every update round kept (the open issue "A review as it really runs", item 5): `scr issue-updates`
adds a round to the Update rounds sheet, the Agencies sheet's two slots show the latest two, and
`scr import` receives the round whose sheet came back. A case file without the sheet still works."""
from __future__ import annotations

import datetime as dt

import openpyxl

from tracker.demo import demo_case
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.read import read_case
from workbook.commands.demo import run_demo
from workbook.commands.import_returns import import_returns
from workbook.commands.issue_updates import issue_updates

from agency_return import fill

TODAY = dt.date(2026, 11, 27)
SECOND, THIRD = TODAY + dt.timedelta(days=91), TODAY + dt.timedelta(days=182)


def rounds_rows(path) -> list[dict]:
    ws = openpyxl.load_workbook(path)[L.ROUNDS]
    rows = list(ws[ws.tables[L.ROUNDS_TABLE.name].ref])
    head = [c.value for c in rows[0]]
    out = [dict(zip(head, [c.value for c in r])) for r in rows[1:] if any(c.value for c in r)]
    for row in out:
        for k, v in row.items():
            row[k] = v.date() if isinstance(v, dt.datetime) else v
    return out


def police(path) -> dict:
    return next(a for a in read_case(path).agencies if a["agency"] == "Police")


def audit_details(path, command: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[L.AUDIT]
    return [str(r[3]) for r in ws.iter_rows(min_row=L.AUDIT_TABLE.first_row, values_only=True) if r[1] == command]


def three_rounds(tmp_path, *, old_file: bool = False):
    path = tmp_path / "Case file.xlsx"
    write_new(path, demo_case(TODAY, fixed_today=True))
    if old_file:  # a case file made before the Update rounds sheet
        wb = openpyxl.load_workbook(path)
        del wb[L.ROUNDS]
        wb.save(path)
    sheets = [issue_updates(path, tmp_path / f"out{n}", today=day, agency="Police")[0]
              for n, day in enumerate((TODAY, SECOND, THIRD), 1)]
    return path, sheets


def returned(sheet, out, day: dt.date):
    aid = sheet.actions[0]
    return fill(sheet.path, out, {aid: {"status": "in progress", "progress": f"Update of {day:%d/%m/%Y}.",
                                        "date": dt.datetime.combine(day, dt.time())}})


def test_a_third_round_keeps_every_round_and_the_slots_show_the_latest_two(tmp_path):
    path, sheets = three_rounds(tmp_path)
    log = rounds_rows(path)
    assert [(r["Agency"], r["Round"], r["Requested"], r["Issue"]) for r in log] == [
        ("Police", n, day, s.issue_id) for n, day, s in zip((1, 2, 3), (TODAY, SECOND, THIRD), sheets)]
    assert [r["Due"] for r in log] == [s.return_by for s in sheets]  # the date each sheet asked for it back
    p = police(path)
    assert (p["update_1_requested"], p["update_2_requested"]) == (SECOND, THIRD)
    note = audit_details(path, "issue-updates")[-1]
    assert f"round 1 (requested {TODAY:%d/%m/%Y}) is kept in Update rounds" in note and "round 2" in note
    # the due date the Agencies sheet shows for slot 1 is round 2's, recomputed in the same save
    ws = openpyxl.load_workbook(path, data_only=True)[L.AGENCIES]
    cols = {c.key: openpyxl.utils.get_column_letter(L.AGENCIES_TABLE.col(c.key)) for c in L.AGENCIES_TABLE.columns}
    assert ws[f"{cols['update_1_due']}{p['_row']}"].value.date() == sheets[1].return_by


def test_import_receives_the_round_whose_sheet_came_back(tmp_path):
    path, sheets = three_rounds(tmp_path)
    day = THIRD + dt.timedelta(days=5)
    # round 1's sheet comes back late: its round is received, in the log only (it left the slots)
    first = import_returns(path, [returned(sheets[0], tmp_path / "r1.xlsx", day)], today=day)
    assert [f.state for f in first.files] == ["applied"]
    assert [r["Received"] for r in rounds_rows(path)] == [day, None, None]
    assert "; update round 1 received;" in audit_details(path, "import")[-1]  # the Audit names it too
    p = police(path)
    assert p["update_1_received"] is None and p["update_2_received"] is None
    # round 3's comes back: its round and slot 2
    later = day + dt.timedelta(days=2)
    import_returns(path, [returned(sheets[2], tmp_path / "r3.xlsx", later)], today=later)
    assert [r["Received"] for r in rounds_rows(path)] == [day, None, later]
    assert "; update round 3 received;" in audit_details(path, "import")[-1]
    p = police(path)
    assert p["update_1_received"] is None and p["update_2_received"] == later


def test_a_case_file_without_the_rounds_sheet_still_issues_and_imports(tmp_path):
    path, sheets = three_rounds(tmp_path, old_file=True)
    assert L.ROUNDS not in openpyxl.load_workbook(path).sheetnames  # not added, never a crash
    p = police(path)
    assert (p["update_1_requested"], p["update_2_requested"]) == (SECOND, THIRD)
    note = audit_details(path, "issue-updates")[-1]
    assert f"requested {TODAY:%d/%m/%Y}" in note and "kept in this Audit row only" in note
    day = THIRD + dt.timedelta(days=5)
    result = import_returns(path, [returned(sheets[2], tmp_path / "r3.xlsx", day)], today=day)
    assert [f.state for f in result.files] == ["applied"]
    assert police(path)["update_1_received"] == day  # no issue ids here: the oldest open slot


def test_the_demo_shows_a_round_log(tmp_path):
    path = run_demo(tmp_path / "d", TODAY).path
    log = rounds_rows(path)
    assert [r["Round"] for r in log] == [1, 2, 3] and {r["Agency"] for r in log} == {"Health: Hospital Trust"}
    assert log[0]["Received"] and log[1]["Received"] and log[2]["Received"] is None
    trust = next(a for a in read_case(path).agencies if a["agency"] == "Health: Hospital Trust")
    assert (trust["update_1_requested"], trust["update_1_received"]) == (log[1]["Requested"], log[1]["Received"])
    assert trust["update_2_requested"] == log[2]["Requested"] and trust["update_2_received"] is None


def test_text_in_a_round_date_is_named_with_its_cell_and_nothing_changes(tmp_path):
    from tracker.errors import ScrError
    from workbook.xlsx.patch import Patch
    from shared import sha
    path = tmp_path / "Case file.xlsx"
    write_new(path, demo_case(TODAY, fixed_today=True))
    issue_updates(path, tmp_path / "out", today=TODAY, agency="Police")
    row = L.ROUNDS_TABLE.first_row
    col = openpyxl.utils.get_column_letter(L.ROUNDS_TABLE.col("received"))
    p = Patch(path)
    p.set_cells(L.ROUNDS, {f"{col}{row}": "tbc"})
    p.save()
    before = sha(path)
    try:
        issue_updates(path, tmp_path / "out2", today=SECOND, agency="Police")
    except ScrError as e:
        said = str(e)
    else:
        raise AssertionError("a round date typed as text was not refused")
    assert L.ROUNDS in said and f"row {row}" in said and "tbc" in said and "Traceback" not in said
    assert sha(path) == before
