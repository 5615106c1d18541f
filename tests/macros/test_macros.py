"""The VBA buttons (macros/*.bas) and the Python they call (workbook/buttons.py).

The .bas files are checked as text: each module is named, each Sub declared once, each
RunPython target importable and callable with no arguments, no hard-coded paths, and the
buttons are the ones macros/README.md documents. Then each target is RUN, as RunPython runs
it (no arguments, ``xw.Book.caller()``), against a real case workbook built by
``workbook.commands.new.run_demo``: what it writes must be what ``computed_cells`` and
``summary.chase_list`` give, and the chase e-mails must be on disk.

Excel cannot run on this Linux machine, so the open workbook is the test double from
test_buttons.py (``FakeBook``), loaded from the real saved file -- the one stand-in in these
tests; see that module's docstring for what it does and does not do.
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import logging
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw
from openpyxl.utils.cell import coordinate_to_tuple

import workbook.buttons as buttons
from fakebook import FakeBook, table_rows
from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.commands.demo import run_demo
from tracker.case import compute
from workbook.xlsx.live import as_excel_value
from workbook.case.read import Reader, locate
from workbook.case.cells import computed_cells
from tracker.summary import chase_list
from workbook.xlsx.patch import Formula, Patch
from shared import sha

ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"
BAS = sorted(MACROS.glob("*.bas"))

VB_NAME = re.compile(r'^Attribute VB_Name = "(\w+)"\r?$', re.M)
SUB = re.compile(r"^[ \t]*(?:(?:Public|Private)[ \t]+)?Sub[ \t]+(\w+)[ \t]*\((.*?)\)(.*?)^[ \t]*End Sub", re.M | re.S | re.I)
RUNPYTHON = re.compile(r'\bRunPython\b[ \t]*\(?[ \t]*"([^"]*)"', re.I)
TARGET = re.compile(r"^import ([\w.]+) as (\w+); (\w+)\.(\w+)\(\)$")
DAY = dt.date(2026, 11, 27)



def modules():
    return {p: p.read_bytes().decode("ascii") for p in BAS}


def subs():
    """[(file, sub name, [RunPython command, ...])] over every .bas file."""
    out = []
    for path, text in modules().items():
        for m in SUB.finditer(text):
            out.append((path.name, m.group(1), RUNPYTHON.findall(m.group(3))))
    return out


def button_subs():
    return {name: cmds[0] for _f, name, cmds in subs() if cmds}


# ------------------------------------------------------------------------------ the VBA text

def test_there_are_modules():
    assert {p.name for p in BAS} >= {"ScrButtons.bas", "ScrFunctionsNote.bas"}


@pytest.mark.parametrize("path", BAS, ids=lambda p: p.name)
def test_each_module_is_named_ascii_with_windows_line_ends(path):
    raw = path.read_bytes()
    text = raw.decode("ascii")  # the VBA editor reads the ANSI code page: keep to ASCII
    assert raw.count(b"\n") == raw.count(b"\r\n"), "the VBA editor expects CRLF line ends"
    names = VB_NAME.findall(text)
    assert len(names) == 1 and text.startswith("Attribute VB_Name"), "Attribute VB_Name must be the first line"
    assert names[0] == path.stem, "name the file after its module"
    assert names[0] != "xlwings_udfs", "Import Functions deletes and rewrites a module of that name"
    assert "Option Explicit" in text


def test_module_names_are_unique():
    names = [VB_NAME.findall(t)[0] for t in modules().values()]
    assert len(names) == len(set(names))


def test_every_sub_is_declared_once():
    names = [name.casefold() for _f, name, _c in subs()]
    assert names and len(names) == len(set(names))
    # and nothing that looks like a Sub escaped the parser (e.g. a missing End Sub)
    declared = sum(len(re.findall(r"^[ \t]*(?:(?:Public|Private)[ \t]+)?Sub[ \t]+\w+", t, re.M | re.I))
                   for t in modules().values())
    assert declared == len(names)


def test_each_button_sub_calls_runpython_exactly_once_with_no_arguments():
    for fname, name, cmds in subs():
        assert len(cmds) == 1, f"{fname}: {name} should call RunPython once"
        m = re.search(rf"Sub[ \t]+{name}[ \t]*\(([^)]*)\)", modules()[MACROS / fname])
        assert m.group(1).strip() == "", f"{name}: a button's macro takes no arguments"


@pytest.mark.parametrize("sub,command", sorted(button_subs().items()))
def test_runpython_target_is_importable_and_callable_with_no_arguments(sub, command):
    m = TARGET.match(command)
    assert m, f"{sub}: {command!r} is not 'import MODULE as X; X.FUNCTION()'"
    module_name, alias, used, function = m.groups()
    assert alias == used
    module = importlib.import_module(module_name)
    fn = getattr(module, function, None)
    assert callable(fn), f"{module_name}.{function} does not exist"
    required = [p for p in inspect.signature(fn).parameters.values()
                if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    assert not required, f"{module_name}.{function} needs arguments RunPython cannot give"
    assert function in buttons.BUTTONS


def test_no_hard_coded_paths():
    bad = re.compile(r"[A-Za-z]:[\\/]|\\\\\w|/(?:Users|home|Volumes|mnt)/|ChDir|\.py\b|PYTHONPATH\s*=|sys\.path", re.I)
    for path, text in modules().items():
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("'"))
        assert not bad.search(code), f"{path.name}: {bad.search(code).group(0)!r}"
        for cmd in RUNPYTHON.findall(text):
            assert TARGET.match(cmd), cmd  # an import and a call, nothing else


def test_the_buttons_are_the_ones_documented():
    readme = (MACROS / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|[^|\n]*\|\s*`(\w+)`\s*\|", readme, re.M))
    assert documented == set(button_subs())
    targets = {TARGET.match(c).group(4) for c in button_subs().values()}
    assert targets == set(buttons.BUTTONS) == set(buttons.CORES)
    for name in targets:
        assert callable(getattr(buttons, name))


# ------------------------------------------------------------------------------ running them

@pytest.fixture
def demo(tmp_path):
    return run_demo(tmp_path / "case", DAY).path


@pytest.fixture
def demo_today(tmp_path):
    """A demo as at the real today: the no-argument buttons compute as at today."""
    return run_demo(tmp_path / "case", dt.date.today()).path


@pytest.fixture
def called_from(monkeypatch):
    """Make ``xw.Book.caller()`` return the given double, as RunPython's Book.caller would."""
    def use(book):
        monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
        return book
    return use


def expected_writes(path, today=None):
    """What the open book should hold after a refresh, as the double stores it."""
    reader = Reader(path)
    case = reader.read()
    if today is not None and case.today is None:
        case.today = today
    cells = computed_cells(reader, case, compute(case))
    out = {}
    for sheet, values in cells.items():
        for ref, v in values.items():
            if isinstance(v, Formula):
                out[(sheet, ref)] = v.text
            else:
                v = as_excel_value(v)
                out[(sheet, ref)] = v[1:] if isinstance(v, str) and v.startswith("'") else v
    return cells, out


def written(book, sheets=None):
    """{(sheet, ref): last text/value written}, for cells outside the Audit sheet."""
    out = {}
    for sheet, ref, kind, value, _calc in book.log:
        if kind in ("value", "formula") and sheet != L.AUDIT and (sheets is None or sheet in sheets):
            out[(sheet, ref)] = value
    return out


def audit_rows(book):
    s = book.sheets[L.AUDIT]
    return [r for r in table_rows(s, s.tables[L.AUDIT_TABLE.name]) if any(v not in (None, "") for v in r.values())]


def test_refresh_core_writes_exactly_the_computed_cells(demo):
    book = FakeBook.from_file(demo)
    audits = len(audit_rows(book))
    done = buttons.refresh_book(book, demo, today=DAY)
    cells, want = expected_writes(demo, DAY)
    assert written(book) == want
    assert done.cells == sum(len(v) for v in cells.values()) == len(want)
    # formulas went in as formulas (Excel recalculates them), plain values as values
    for (sheet, ref), v in want.items():
        s, rc = book.sheets[sheet], coordinate_to_tuple(ref)
        if isinstance(cells[sheet][ref], Formula):
            assert s.formulas[rc] == v and rc not in s.values
        else:
            assert rc not in s.formulas and s.values.get(rc) == v
    # the BRAG column: SCR_RAG with its native twin in every action row; the reason as text
    ac = locate(Reader(demo).wb, L.ACTIONS_TABLE, demo)
    brag = {ref: v for (sheet, ref), v in want.items() if sheet == L.ACTIONS and ref.startswith(ac.cols["rag"])}
    assert brag and all(v.startswith("=IFERROR(SCR_RAG(") for v in brag.values())
    words = {cells[L.ACTIONS][ref].cached for ref in brag}
    assert words <= set(L.RAG_WORDS) and len(words) > 1
    reasons = {ref: v for (sheet, ref), v in want.items() if sheet == L.ACTIONS and ref.startswith(ac.cols["rag_reason"])}
    assert reasons and all(isinstance(v, str) and v for v in reasons.values())
    # the due dates: SCR_DEADLINE with its native twin on every Timescale row
    ts = locate(Reader(demo).wb, L.TIMESCALE_TABLE, demo)
    due = [v for (sheet, ref), v in want.items() if sheet == L.TIMESCALE and re.fullmatch(ts.cols["due"] + r"\d+", ref)]
    assert len(due) == len(list(ts.rows)) and all("SCR_DEADLINE(" in v for v in due)
    # the protected sheets were lifted and put back
    for name in (L.TIMESCALE, L.AGENCIES, L.ACTIONS, L.FRONT):
        assert book.sheets[name].api.ProtectContents is True
    rows = audit_rows(book)
    assert len(rows) == audits + 1
    assert rows[-1]["Command"] == "button: refresh" and rows[-1]["Detail"] == f"{len(want)} cells; as at 27/11/2026"
    assert re.fullmatch(r"[0-9a-f]{64}", rows[-1]["File SHA-256"])


def test_refresh_button_runs_as_runpython_calls_it(demo_today, called_from):
    book = called_from(FakeBook.from_file(demo_today))
    buttons.refresh()  # exactly what the VBA runs: no arguments
    _cells, want = expected_writes(demo_today)
    assert written(book) == want
    assert book.saves == 2  # saved before reading, and after writing
    (message, title, mode), = book.app.alerts
    assert message.startswith(f"Refreshed {len(want)} cells as at ") and mode == "info" and title == buttons.TITLE
    assert audit_rows(book)[-1]["Command"] == "button: refresh"
    backups = list((demo_today.parent / "backups").iterdir())
    assert any(b.suffix == ".xlsx" and b.stem.startswith(demo_today.stem) for b in backups)


class SavingBook(FakeBook):
    """A double whose first save changes the file on disk, as Excel's save writes what the
    board manager typed: the button must compute from the file as saved, not as it was."""

    change = None

    def save(self, path=None, password=None):
        super().save(path, password)
        if self.saves == 1 and self.change:
            self.change()


def test_the_workbook_is_saved_before_it_is_read(demo_today, called_from):
    reader = Reader(demo_today)
    ac = locate(reader.wb, L.ACTIONS_TABLE, demo_today)
    row = ac.header_row + 1
    status_ref = f"{ac.cols['status']}{row}"
    before = reader.wb[L.ACTIONS][status_ref].value

    def type_and_save():  # what the board manager typed, now on disk
        p = Patch(demo_today)
        p.set_cells(L.ACTIONS, {status_ref: "not started"})
        p.save(keep=0)

    book = called_from(SavingBook.from_file(demo_today))
    book.change = type_and_save
    buttons.refresh()
    assert before != "not started"
    _cells, want = expected_writes(demo_today)
    assert written(book) == want
    reason = f"{ac.cols['rag_reason']}{row}"
    assert book.sheets[L.ACTIONS].text(reason) == want[(L.ACTIONS, reason)]


def test_chase_core_writes_the_chase_list_and_the_emails(demo):
    chase_dir = demo.parent / "chase"
    for f in chase_dir.glob("*.eml"):
        f.unlink()  # run_demo wrote some; the button must write its own
    book = FakeBook.from_file(demo)
    done = buttons.chase_book(book, demo, today=DAY)
    reader = Reader(demo)
    case = reader.read()
    case.today = DAY
    items = chase_list(case, compute(case))
    assert items
    s = book.sheets[buttons.CHASE_SHEET]
    assert book.active is s
    assert [x.name for x in book.sheets][:2] == [L.FRONT, buttons.CHASE_SHEET]  # after the Front Sheet
    h = buttons.CHASE_HEADER_ROW
    assert [s.values.get((h, c)) for c in range(1, 7)] == list(buttons.CHASE_HEADERS)
    got = [[s.values.get((r, c)) for c in range(1, 7)] for r in range(h + 1, h + 1 + len(items))]
    assert got == [[x["agency"], x["label"], dt.datetime.combine(x["due"], dt.time()), x["days_late"],
                    x["contact"] or None, x["email"] or None] for x in items]
    assert s.values.get((h + 1 + len(items), 1)) is None
    assert s.formats[(h + 1, 3)] == "dd/mm/yyyy"
    assert s.values[(1, 1)] == "Chase list as at 27/11/2026"
    agencies = {x["agency"] for x in items}
    assert len(done.files) == len(agencies) and all(f.exists() and f.parent == chase_dir for f in done.files)
    assert sorted(f.name for f in chase_dir.glob("*.eml")) == sorted(f.name for f in done.files)
    assert len(items) > 1 and len(agencies) > 1  # so the words below are plural
    assert audit_rows(book)[-1]["Detail"] == f"{len(items)} items; {len(agencies)} e-mails"


def test_chase_button_runs_and_a_second_click_rewrites_the_sheet(demo_today, called_from):
    book = called_from(FakeBook.from_file(demo_today))
    buttons.chase()
    s = book.sheets[buttons.CHASE_SHEET]
    s.values[(200, 8)] = "left over"
    buttons.chase()
    assert [x.name for x in book.sheets].count(buttons.CHASE_SHEET) == 1
    assert (200, 8) not in s.values
    case = Reader(demo_today).read()
    items = chase_list(case, compute(case))
    h = buttons.CHASE_HEADER_ROW
    assert [s.values.get((r, 1)) for r in range(h + 1, h + 1 + len(items))] == [x["agency"] for x in items]
    assert len(book.app.alerts) == 2 and all(m == "info" for _p, _t, m in book.app.alerts)
    assert "to chase" in book.app.alerts[-1][0]
    assert sorted(p.name for p in (demo_today.parent / "chase").glob("*.eml"))
    assert [r["Command"] for r in audit_rows(book)][-2:] == ["button: chase", "button: chase"]


def excel_lock(path: Path) -> Path:
    """Excel's owner file beside the workbook, as while Excel has it open."""
    lock = path.with_name("~$" + path.name)
    lock.write_bytes(b"board manager")
    return lock


def file_content(path):
    """{sheet: {(row, col): formula text or value}} and {sheet: {table: ref}} of a saved file,
    read as FakeBook.from_file reads it."""
    wb = openpyxl.load_workbook(path)
    cells, tables = {}, {}
    for ws in wb.worksheets:
        cells[ws.title] = {(c.row, c.column): c.value if isinstance(c.value, (str, bool, int, float, dt.datetime))
                           else str(c.value) for row in ws.iter_rows() for c in row
                           if c.value not in (None, "")}  # Excel stores "" written to a cell as empty
        tables[ws.title] = {t.name: t.ref for t in ws.tables.values()}
    return cells, tables


def book_content(book):
    cells = {s.name: {**s.values, **s.formulas} for s in book.sheets}
    tables = {s.name: {t.name: t.ref for t in s.tables} for s in book.sheets}
    return cells, tables


def assert_book_matches_file(book, path, skip=(L.AUDIT,)):
    """The open book (the double) holds exactly what the file holds, sheet by sheet."""
    want_cells, want_tables = file_content(path)
    got_cells, got_tables = book_content(book)
    assert {k: v for k, v in got_tables.items() if k not in skip} == {k: v for k, v in want_tables.items() if k not in skip}
    issue = L.ROUNDS_TABLE.col("issue_id")  # a random id each run, as in the Audit: present in both, not equal
    for name in want_cells:
        if name not in skip:
            got, want = got_cells[name], want_cells[name]
            if name == L.ROUNDS:
                assert {k for k in got if k[1] == issue} == {k for k in want if k[1] == issue}
                got, want = ({k: v for k, v in x.items() if k[1] != issue} for x in (got, want))
            assert got == want, name


def audit_commands(book):
    return [r["Command"] for r in audit_rows(book)]


def no_leftovers(folder: Path):
    assert not [p for p in folder.rglob("*") if ".scr-button-" in p.name]


def fill_return(issued: Path, out: Path, action_id: str, **values) -> Path:
    """Fill in an issued update sheet as an agency would, and save it as sent back."""
    from workbook.update_sheet import layout as AL
    wb = openpyxl.load_workbook(issued)
    ws = wb[AL.UPDATES]
    col = {c.key: i + 1 for i, c in enumerate(AL.COLUMNS)}
    for r in range(AL.HEADER_ROW + 1, ws.max_row + 1):
        if str(ws.cell(r, col["action_id"]).value) == action_id:
            for key, v in values.items():
                ws.cell(r, col[key]).value = v
    wb.save(out)
    return out


def test_issue_updates_button_writes_the_sheets_and_records_them_live(demo, tmp_path):
    """The real `scr issue-updates` command, with the workbook open (Excel's lock file beside it)."""
    from workbook.commands.issue_updates import issue_updates
    twin = tmp_path / "twin" / demo.name
    twin.parent.mkdir()
    shutil.copy2(demo, twin)
    expected = issue_updates(twin, tmp_path / "twin-sheets", today=DAY)  # what `scr issue-updates` does on disk
    lock = excel_lock(demo)
    before = sha(demo)
    book = FakeBook.from_file(demo)
    done = buttons.issue_updates_book(book, demo, today=DAY)
    folder = demo.parent / "update-sheets" / DAY.isoformat()
    assert done.files and all(f.parent == folder and f.exists() for f in done.files)
    assert sorted(x.agency for x in expected) == sorted(line.rsplit(": ", 1)[0] for line in done.message.splitlines()[1:])
    assert sha(demo) == before and lock.exists()  # the open workbook's file was not touched
    assert_book_matches_file(book, twin)  # the open book now holds what the CLI would have written
    assert audit_commands(book)[-len(expected) - 1:] == ["issue-updates"] * len(expected) + ["button: issue updates"]
    assert book.sheets[L.AGENCIES].api.ProtectContents is True
    no_leftovers(demo.parent)


def test_import_returns_button_applies_the_inbox_live(demo, tmp_path, called_from):
    from workbook.commands.import_returns import import_returns
    from workbook.commands.issue_updates import issue_updates
    sheets = issue_updates(demo, tmp_path / "issued", today=DAY)  # issued earlier and saved
    police = next(x for x in sheets if x.agency == "Police")
    aid = police.actions[0]
    inbox = demo.parent / buttons.INBOX_FOLDER
    book = called_from(FakeBook.from_file(demo))
    buttons.import_returns()  # nothing in the inbox yet
    assert "No returned update sheets found" in book.app.alerts[-1][0] and inbox.is_dir() and book.log == []
    back = fill_return(police.path, inbox / "police-return.xlsx", aid, status="complete - awaiting sign-off",
                       progress="All three teams briefed.", date=dt.datetime(2026, 11, 30))
    (inbox / "~$police-return.xlsx").write_bytes(b"lock")
    twin = tmp_path / "twin" / demo.name
    twin.parent.mkdir()
    shutil.copy2(demo, twin)
    later = DAY + dt.timedelta(days=5)
    import_returns(twin, [back], today=later, archive=False)  # what `scr import` does on disk
    lock = excel_lock(demo)
    before = sha(demo)
    book = FakeBook.from_file(demo)
    done = buttons.import_returns_book(book, demo, today=later)
    assert done.files == [back] and not done.critical
    assert "applied" in done.message and "police-return.xlsx" in done.message and "Backup" not in done.message
    assert sha(demo) == before and lock.exists()
    assert_book_matches_file(book, twin)
    assert audit_commands(book)[-2:] == ["import", "button: import returns"]
    assert audit_rows(book)[-1]["Detail"] == "1 file: 1 applied, 0 rejected"
    s = book.sheets[L.UPDATES]
    ids = [str(r["Action ID"]) for r in table_rows(s, s.tables[L.UPDATES_TABLE.name])]
    assert ids[-1] == aid and len(ids) == 12  # the demo's 11 entries, then the return's one
    archived = list((demo.parent / "returns").iterdir())
    assert len(archived) == 1 and sha(archived[0]) == sha(back)  # archived beside the real case
    no_leftovers(demo.parent)
    # a rejected file changes nothing and is reported as a warning
    (inbox / "police-return.xlsx").unlink()
    (inbox / "garbage.xlsx").write_text("not a workbook")
    book = FakeBook.from_file(demo)
    done = buttons.import_returns_book(book, demo, today=later)
    assert done.critical and "REJECTED" in done.message and "garbage.xlsx" in done.message
    assert [w for w in book.log if w[0] != L.AUDIT] == []
    assert audit_rows(book)[-1]["Detail"] == "1 file: 0 applied, 1 rejected"


def test_an_error_from_workbook_updates_names_the_real_workbook_not_the_copy(demo, called_from):
    book = FakeBook.from_file(demo)
    with pytest.raises(ScrError) as e:
        buttons.issue_updates_book(book, demo, agency="No Such Agency", today=DAY)
    assert e.value.file == str(demo) and ".scr-button-" not in str(e.value)
    assert book.log == []
    no_leftovers(demo.parent)


def test_problems_are_messages_never_tracebacks_and_logs_hold_no_case_details(tmp_path, demo, called_from,
                                                                               monkeypatch, caplog):
    caplog.set_level(logging.DEBUG, logger="scr.buttons")
    case = Reader(demo).read()
    # a workbook the tracker cannot read
    bad = tmp_path / "not a workbook.xlsm"
    bad.write_text("hello")
    book = called_from(FakeBook.blank("Front Sheet", fullname=bad))
    assert buttons.refresh() is None
    (message, _t, mode), = book.app.alerts
    assert mode == "critical" and "not a readable .xlsx workbook" in message and "Traceback" not in message
    # a workbook never saved to a folder
    book = called_from(FakeBook.blank("Front Sheet", fullname="Book1"))
    buttons.chase()
    assert "has not been saved to a folder yet" in book.app.alerts[0][0]
    assert "Nothing in the workbook was changed" in book.app.alerts[0][0] and book.log == []
    # an unexpected error
    book = called_from(FakeBook.from_file(demo))
    monkeypatch.setitem(buttons.CORES, "refresh", lambda b, p: 1 / 0)
    monkeypatch.delenv("SCR_DEBUG", raising=False)
    buttons.refresh()
    (message, _t, mode), = book.app.alerts
    assert mode == "critical" and message.startswith("Unexpected problem (ZeroDivisionError")
    # the log: button names and counts, nothing from the case
    monkeypatch.undo()
    called_from(FakeBook.from_file(demo))
    buttons.refresh()
    buttons.chase()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "button refresh" in text and "button chase" in text
    secrets = [case.case_name, str(demo), demo.name] + [str(a.get(k) or "") for a in case.agencies
                                                         for k in ("agency", "contact", "email")]
    for s in filter(None, secrets):
        assert s not in text
