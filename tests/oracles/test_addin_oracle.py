"""The add-in oracle (tests/oracles/addin.py) on real case workbooks: every formula cell that calls
one of our worksheet functions, evaluated from the file's own saved values through xlwings'
Office.js dispatcher (blanks as None and as "") and through classic xlwings' COM-server code
path, must give the value saved in the cell.

Corpus: the demo (`scr demo`), a new case of every built-in profile (`scr new`, two Day 0s
each), seeded random cases over every profile (actuals, overrides, n/a, nil returns, promised
dates, every action status, every involvement word, text typed into date cells), and the file
after every command that writes: refresh, issue-updates, import of a returned update sheet,
log, and the buttons' live writes. At least 5,000 computed cells, zero differences.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil

import openpyxl
import pytest

from oracles import classic
from oracles.addin import OURS, Book, FellBack, Report, check_book, check_file, our_functions
from oracles.test_native_twins import NA_SPELLINGS, random_case
from tracker import udfs
from tracker.profiles import all_profiles
from workbook.case import layout as L
from workbook.case.build import build_workbook
from workbook.xlsx.patch import Formula, Patch

TODAY = dt.date(2026, 6, 15)
SEED = int(os.environ.get("SCR_ORACLE_SEED", "20261201"))
PER_PROFILE = int(os.environ.get("SCR_ORACLE_PER_PROFILE", "3"))
MIN_CELLS = 5_000

TEXT_IN_DATES = ("tbc", "next week", "31/02/2026", "Friday", "?", "2026-13-01")
TYPED_INVOLVEMENT = (" Nil Return ", "NIL RETURN", "nil", "no involvement", "Involved ", "", "not sure")
TYPED_STATUS = ("", " In Progress ", "COMPLETE - SIGNED OFF", "Closed", "done")  # build writes the drop-down word


def _choices(table: L.Table, key: str) -> tuple[str, ...]:
    return table.columns[table.col(key) - table.first_col].choices


def varied_case(rng: random.Random, profile_id: str, n: int):
    """test_native_twins' random case, with every involvement word and action status (the
    drop-downs' and typed variants) and now and then text typed into a date cell."""
    case = random_case(rng, profile_id, n)
    # more agencies and actions than test_native_twins' (2-7, 3-9): the per-file costs (the
    # Holidays sheet) are paid once for more computed cells
    for extra in range(rng.randint(14, 20)):
        row = dict(rng.choice(case.agencies), agency=f"Agency {n}-x{extra}")
        case.agencies.append(row)
    for extra in range(rng.randint(20, 30)):
        case.actions.append(dict(rng.choice(case.actions), action_id=f"{n}.x{extra}"))
    words = _choices(L.AGENCIES_TABLE, "involvement") + TYPED_INVOLVEMENT
    for i, row in enumerate(case.agencies):
        row["involvement"] = words[(n + i) % len(words)] if rng.random() < 0.6 else rng.choice(words)
        for key in [k for k, v in row.items() if isinstance(v, dt.date)]:
            if rng.random() < 0.04:
                row[key] = rng.choice(TEXT_IN_DATES)
    statuses = _choices(L.ACTIONS_TABLE, "status") + TYPED_STATUS
    for i, action in enumerate(case.actions):
        action["status"] = statuses[(n + i) % len(statuses)] or None
        for key in ("target", "last_update", "agreed", "revised_target"):
            if action.get(key) and rng.random() < 0.05:
                action[key] = rng.choice(TEXT_IN_DATES)
    for mid in list(case.actuals):
        if rng.random() < 0.05:
            case.actuals[mid] = rng.choice(TEXT_IN_DATES)
    for key in list(case.front_actuals):
        if rng.random() < 0.05:
            case.front_actuals[key] = rng.choice(TEXT_IN_DATES)
    return case


# ---------------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """{part: Report} for the demo, new cases of every profile and the random cases."""
    from workbook.commands.demo import run_demo
    from workbook.commands.new import new_case
    tmp = tmp_path_factory.mktemp("oracle")
    parts = {"demo": check_file(run_demo(tmp / "demo", TODAY).path, "demo")}
    profiles = Report()
    for pid in sorted(all_profiles()):
        for day0 in (dt.date(2025, 12, 19),):
            path = tmp / f"new-{pid}-{day0:%Y%m%d}.xlsx"
            new_case(path, name="AB", profile=pid, day0=day0, today=TODAY)
            profiles.add(check_file(path, path.name))
    parts["profiles"] = profiles
    rng = random.Random(SEED)
    randoms = Report()
    cases = []
    for pid in sorted(all_profiles()):
        for _ in range(PER_PROFILE):
            case = varied_case(rng, pid, len(cases))
            cases.append(case)
            path = tmp / f"{case.case_name}.xlsx"
            build_workbook(path, case)
            randoms.add(check_file(path, f"{path.name} ({pid})"))
    parts["random"] = randoms
    parts["random-cases"] = cases
    return parts


def _clean(report: Report, what: str):
    assert not report.differences, f"{what}: " + report.text()


def test_demo_workbook_with_the_addin_shows_what_the_file_saved(corpus):
    r = corpus["demo"]
    assert r.compared >= 100, r.text(0)
    assert not r.fell_back, [c.where for c in r.fell_back]  # a good case never needs the native twin
    assert {c.formula.split("(")[1] for c in r.checks if c.formula.startswith("=IFERROR(")} >= {
        "SCR_DEADLINE", "SCR_FLAGS", "SCR_STATUS", "SCR_RECEIPT", "SCR_RAG"}
    _clean(r, "demo")


def test_a_new_case_of_every_profile_with_the_addin_shows_what_the_file_saved(corpus):
    r = corpus["profiles"]
    assert {c.book.split("-")[1] for c in r.checks} and len({c.book for c in r.checks}) == len(all_profiles())
    assert not r.fell_back, [f"{c.book} {c.where}" for c in r.fell_back[:10]]
    _clean(r, "new cases")


def test_seeded_random_cases_with_the_addin_show_what_the_files_saved(corpus):
    r = corpus["random"]
    args = [str(a) for _, a in r.calls]
    # the inputs reached what they are meant to (else zero differences would prove little)
    for text in TEXT_IN_DATES[:3] + ("Nil Return", "no involvement", "not sure") + NA_SPELLINGS[:2]:
        assert any(f"'{text.strip().lower()}" in a.lower() for a in args), f"no call got {text!r}"
    saved = {re.sub(r"\d+", "N", str(c.saved)) for c in r.checks}
    assert {"nil return", "promised", "Blue", "Green", "Amber", "Red"} <= saved, saved
    assert any("overridden" in s for s in saved) and any("re-planned" in s for s in saved)
    assert any("is not a date" in s for s in saved), "no cell shows the message for text in a date cell"
    _clean(r, "random cases")


def test_at_least_5000_computed_cells_across_all_profiles_agree(corpus):
    total = Report()
    for part in ("demo", "profiles", "random"):
        total.add(corpus[part])
    print(total.text(0))
    assert total.compared >= MIN_CELLS, total.text(0)
    assert not total.differences, total.text()
    # every worksheet function the workbook uses was called, each in every profile
    assert {n for n, _ in total.calls} >= {"SCR_DEADLINE", "SCR_FLAGS", "SCR_STATUS", "SCR_RECEIPT", "SCR_RAG"}


# ---------------------------------------------------------------------------------- after each command


@pytest.fixture
def demo(tmp_path):
    from workbook.commands.demo import run_demo
    return run_demo(tmp_path / "case", TODAY).path


def test_after_refresh_issue_updates_import_and_log(demo, tmp_path):
    from agency_return import fill, sheet_for
    from workbook.commands.log import log_entry
    from workbook.commands.refresh import refresh
    from workbook.commands.import_returns import import_returns
    from workbook.commands.issue_updates import issue_updates
    later = TODAY + dt.timedelta(days=10)
    seen = Report()
    # inputs typed as a board manager would, then `scr refresh`
    g = openpyxl.utils.get_column_letter
    ts, ag = L.TIMESCALE_TABLE, L.AGENCIES_TABLE
    p = Patch(demo)
    p.set_cells(L.TIMESCALE, {f"{g(ts.col('actual'))}{ts.first_row + 2}": dt.date(2026, 1, 9),
                              f"{g(ts.col('actual'))}{ts.first_row + 3}": "n/a",
                              f"{g(ts.col('override'))}{ts.first_row + 5}": dt.date(2026, 7, 4)})
    p.set_cells(L.AGENCIES, {f"{g(ag.col('involvement'))}{ag.first_row + 1}": "nil return",
                             f"{g(ag.col('management_report_promised'))}{ag.first_row + 2}": dt.date(2026, 6, 30)})
    p.save(keep=0)
    refresh(demo, today=later)
    seen.add(check_file(demo, "after refresh"))
    sheets = issue_updates(demo, tmp_path / "out", today=later)
    seen.add(check_file(demo, "after issue-updates"))
    police = sheet_for(sheets, "Police")
    back = fill(police.path, tmp_path / "police-return.xlsx", {police.actions[0]: {
        "status": "complete - awaiting sign-off", "progress": "Briefed.", "date": dt.datetime(2026, 6, 20)}})
    assert import_returns(demo, [back], today=later + dt.timedelta(days=1)).exit_code == 0
    seen.add(check_file(demo, "after import"))
    log_entry(demo, "Overview report sent", "Ofsted")
    seen.add(check_file(demo, "after log"))
    assert seen.compared >= 4 * 100
    assert not seen.fell_back
    _clean(seen, "after the commands")


def test_after_the_buttons_live_writes(demo, tmp_path, monkeypatch):
    """The buttons write formulas into the open book (a stand-in here, see test_buttons.py),
    which Excel then recalculates with the add-in. The oracle evaluates those formulas on the
    live book's cells, against the value the button computed for each one."""
    from fakebook import FakeBook
    from agency_return import fill
    from workbook import buttons
    from workbook.xlsx import live
    written: dict[str, dict] = {}
    real_apply = live.LiveWriter.apply

    def recording_apply(self, cells):
        for sheet, values in cells.items():
            written.setdefault(sheet, {}).update(values)
        return real_apply(self, cells)
    monkeypatch.setattr(live.LiveWriter, "apply", recording_apply)
    book = FakeBook.from_file(demo)
    later = TODAY + dt.timedelta(days=3)
    buttons.refresh_book(book, demo, today=later)
    formulas = {(s, ref): f for s, cells in written.items() for ref, f in cells.items() if isinstance(f, Formula)}
    assert len(formulas) > 100
    r = check_book(live_book(book, formulas, Book.from_xlsx(demo)))
    assert r.compared > 100, r.text(0)
    _clean(r, "refresh button")

    # the issue and import buttons run their commands with the open book as the case session's
    # sink, so their computed cells go through the same LiveWriter.apply: checked the same way
    def check_button(press, what):
        written.clear()
        book = FakeBook.from_file(demo)  # the book as saved (the stand-in's save() does not write the file)
        press(book)
        formulas = {(s, ref): f for s, cells in written.items() for ref, f in cells.items() if isinstance(f, Formula)}
        assert len(formulas) > 100, what
        r = check_book(live_book(book, formulas, Book.from_xlsx(demo)))
        assert r.compared > 100, r.text(0)
        _clean(r, what)
    check_button(lambda b: buttons.issue_updates_book(b, demo, out_dir=tmp_path / "issued", today=later),
                 "issue button")
    # the issue as saved on disk, so that a return of it can be imported by the import button
    from workbook.commands.issue_updates import issue_updates
    police = next(s for s in issue_updates(demo, tmp_path / "out", today=later) if s.agency == "Police").path
    from workbook.update_sheet import layout as AL
    ws = openpyxl.load_workbook(police)[AL.UPDATES]
    col = [c.key for c in AL.COLUMNS].index("action_id") + 1
    aid = str(ws.cell(AL.HEADER_ROW + 1, col).value)
    back = fill(police, tmp_path / "police-return.xlsx", {aid: {
        "status": "complete - awaiting sign-off", "progress": "Briefed.", "date": dt.datetime(2026, 6, 17)}})
    check_button(lambda b: buttons.import_returns_book(b, demo, files=[back], today=later + dt.timedelta(days=1)),
                 "import button")


def live_book(fake, formulas: dict, saved: Book) -> Book:
    """An oracle Book of the open workbook after a button wrote into it: its values and
    formulas; a formula cell holds the value the button computed for it (Excel shows the
    add-in's answer, which the oracle must find equal); formats are the saved file's."""
    from oracles.addin import Cell, _excel_value
    cells = {}
    for s in fake.sheets:
        sheet = cells[s.name] = {}
        for (r, c), v in s.values.items():
            was = saved.cell(s.name, r, c)
            sheet[(r, c)] = Cell(_excel_value(v), isinstance(v, dt.datetime) or bool(was and was.is_date))
        for (r, c), text in s.formulas.items():
            was = saved.cell(s.name, r, c)
            f = formulas.get((s.name, f"{openpyxl.utils.get_column_letter(c)}{r}"))
            value = _excel_value(f.cached) if f is not None else (was.value if was else None)
            sheet[(r, c)] = Cell(value, bool(was and was.is_date), text)
    return Book(cells, saved.names, {}, "live book")


# ---------------------------------------------------------------------------------- the oracle can fail


def _formula_cells(path, sheet):
    wb = openpyxl.load_workbook(path)
    return {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=IFERROR(SCR_")}


def test_the_oracle_reports_exactly_a_corrupted_saved_value(demo, tmp_path):
    bad = tmp_path / "bad.xlsx"
    shutil.copy2(demo, bad)
    ref, text = sorted(_formula_cells(bad, L.AGENCIES).items())[3]
    p = Patch(bad)
    p.set_cells(L.AGENCIES, {ref: Formula(text, "received on time, honestly")})
    p.save(keep=0)
    r = check_file(bad)
    assert [d.where for d in r.differences] == [f"{L.AGENCIES}!{ref}"], r.text()
    d = r.differences[0]
    assert d.saved == "received on time, honestly" and d.results["officejs"] != d.saved
    assert "SCR_RECEIPT(" in d.describe() and "saved: 'received on time, honestly'" in d.describe()


def test_the_oracle_reports_exactly_the_cell_whose_argument_changed(demo, tmp_path):
    """An input typed without recomputing: the one BRAG cell that reads it no longer shows what
    the add-in would answer."""
    bad = tmp_path / "bad.xlsx"
    shutil.copy2(demo, bad)
    t = L.ACTIONS_TABLE
    status = openpyxl.utils.get_column_letter(t.col("status"))
    rag = openpyxl.utils.get_column_letter(t.col("rag"))
    wb = openpyxl.load_workbook(bad, data_only=True)
    row = next(r for r in range(t.first_row, t.first_row + 8)
               if wb[L.ACTIONS][f"{rag}{r}"].value not in ("Blue",))
    p = Patch(bad)
    p.set_cells(L.ACTIONS, {f"{status}{row}": "complete - signed off"})
    p.save(keep=0)
    r = check_file(bad)
    assert [d.where for d in r.differences] == [f"{L.ACTIONS}!{rag}{row}"], r.text()
    assert {r.differences[0].results[f] for f in ("officejs", "officejs-empty", "classic")} == {"Blue"}


def test_a_call_that_errors_is_counted_as_fell_back_not_compared(demo, tmp_path):
    """IFERROR semantics: a profile the add-in cannot see makes our call raise (Office.js shows
    #VALUE!), so the native twin answers; the oracle notes the cell as fell back, and does not
    compare it. Classic Excel falls back too: macros/ScrFunctions.bas returns #VALUE! for it."""
    bad = tmp_path / "bad.xlsx"
    shutil.copy2(demo, bad)
    ref, text = sorted(_formula_cells(bad, L.TIMESCALE).items())[0]
    broken = text.replace("Profile,", '"no-such-profile-anywhere",', 1)
    assert broken != text
    kept = openpyxl.load_workbook(bad, data_only=True)[L.TIMESCALE][ref].value  # what the twin shows
    p = Patch(bad)
    p.set_cells(L.TIMESCALE, {ref: Formula(broken, kept.date() if isinstance(kept, dt.datetime) else kept)})
    p.save(keep=0)
    r = check_file(bad)
    assert [c.where for c in r.fell_back] == [f"{L.TIMESCALE}!{ref}"] and not r.differences, r.text()
    cell = r.fell_back[0]
    assert all(isinstance(cell.results[f], FellBack) for f in ("officejs", "officejs-empty", "classic"))
    assert "no-such-profile-anywhere" in str(cell.results["classic"].error)


# ---------------------------------------------------------------------------------- the two call paths


def test_the_functions_are_discovered_from_tracker_udfs():
    assert OURS == our_functions(udfs) == set(classic.functions())
    assert {"SCR_DEADLINE", "SCR_RECEIPT", "WORKDAY_UK", "NETWORKDAYS_UK"} <= OURS


def test_classic_calls_go_through_xlwings_own_com_server_and_conversion():
    """The classic copy of tracker.udfs is decorated by xlwings.udfs.xlfunc (what xlwings.func
    is on Windows) and called through XLPython.CallUDF -> call_udf -> conversion.read with the
    Windows engine: a COM date arrives as a datetime, a result date goes back as a COM time."""
    import xlwings.udfs as classic_udfs
    info = classic.functions()["WORKDAY_UK"]
    assert info["args"][0]["options"].get("ndim") == 2 and "vba" in info["args"][0]
    assert classic_udfs.call_udf.__module__ == "xlwings.udfs"
    got = classic.call("WORKDAY_UK", [classic.com_date(46000.0), 5.0, "england-and-wales", None])
    assert isinstance(got, dt.datetime) and got.date() == dt.date(2025, 12, 16)
    for name in ("pythoncom", "pywintypes", "win32api", "win32com"):
        assert name not in __import__("sys").modules, f"{name} leaked into the test process"


def test_the_classic_face_is_the_wrapper_the_project_ships():
    """The classic face calls XLPython.CallUDF("tracker.udfs", NAME, Array(every parameter in
    order)) and turns a raised error into #VALUE!: exactly what each function of
    macros/ScrFunctions.bas does (so a change there must be mirrored in tests/oracles/addin.py)."""
    import inspect
    from pathlib import Path
    bas = (Path(__file__).resolve().parents[2] / "macros" / "ScrFunctions.bas").read_text(encoding="utf-8")
    for name in sorted(OURS):
        params = list(inspect.signature(getattr(udfs, name)).parameters)
        body = re.search(rf"^Function {name}\((.*?)^End Function", bas, re.M | re.S)
        assert body, f"macros/ScrFunctions.bas has no Function {name}"
        calls = re.findall(rf'XLPy\.CallUDF\("tracker\.udfs", "{name}", Array\(([^)]*)\)', body.group(1))
        assert calls and all([a.strip() for a in c.split(",") if a.strip()] == params for c in calls), (name, calls)
        assert re.search(rf"{name} = ScrFailed\(Err\.Description", body.group(1)), name
    assert re.search(r"ScrFailed = CVErr\(xlErrValue\)", bas)
