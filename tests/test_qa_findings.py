"""QA findings: what a new board manager, then a hostile tester, made `scr` get wrong.

Each test asserts the behaviour the README promises (a clear message naming the file, sheet, row
and what to fix; never a traceback or "unexpected problem"; never half-applied; atomic writes that
respect a file that cannot be written; the same answer wherever it is computed). They were strict
xfails until the product was fixed; all are fixed now. Fictional names only. Ordered roughly most
severe first.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from dispatch import value, xl
from tracker.board import load_board
from workbook.case import layout as L
from workbook.commands.demo import run_demo
from workbook.case.read import defined_cell, read_case

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 27)
D = dt.date
ROTHERHAM = "rotherham-2009"


def sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def scr(*args: str, cwd: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """The real `scr` in its own process, as a board manager runs it."""
    e = {k: v for k, v in os.environ.items() if k not in ("SCR_SETTINGS", "SCR_PROFILES_DIR", "SCR_DEBUG")}
    e["PYTHONPATH"] = str(ROOT)
    e.update(env or {})
    kw.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "tracker.cli", *map(str, args)], cwd=cwd, env=e, text=True,
                          timeout=300, **kw)


@pytest.fixture
def demo(tmp_path) -> Path:
    """The fictional demo case as at 27/11/2026: 8 actions; GP, Ambulance and ICB overdue returns."""
    return run_demo(tmp_path / "case", TODAY).path


def edit(path: Path, change) -> Path:
    """Change a case workbook the way a board manager would in Excel, and save it in place."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def named_cell(wb, name: str):
    sheet, ref = defined_cell(wb, name)
    return wb[sheet][ref]


def agency_row(ws, name: str) -> int:
    for r in range(L.AGENCIES_TABLE.first_row, ws.max_row + 1):
        if ws.cell(r, 1).value == name:
            return r
    raise AssertionError(name)


def agency_col(ws, header: str) -> int:
    for c in range(1, ws.max_column + 1):
        if ws.cell(L.AGENCIES_TABLE.header_row, c).value == header:
            return c
    raise AssertionError(header)


def no_crash(text: str) -> bool:
    return "unexpected problem" not in text and "Traceback" not in text and "Error:" in text


# ============================================================ high: data loss, wrong answers

def test_report_out_onto_the_case_itself_is_refused_and_the_case_kept(demo):
    before = sha(demo)
    run = scr("report", demo.name, "--out", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert sha(demo) == before, "the case workbook was overwritten by the report"
    assert openpyxl.load_workbook(demo).sheetnames[:2] == [L.FRONT, L.TIMESCALE]


def test_chase_writes_one_email_per_agency_even_when_names_look_alike(demo):
    def rename(wb):
        ws = wb[L.AGENCIES]
        ws.cell(agency_row(ws, "GP Service"), 1).value = "Ambulance Service (GP)"
        ws.cell(agency_row(ws, "Ambulance Service"), 1).value = "Ambulance Service: GP"
    edit(demo, rename)
    out = demo.parent / "emails"
    run = scr("chase", demo.name, "--today", "27/11/2026", "--out", out, cwd=demo.parent)
    assert run.returncode == 0, run.stderr
    assert "3 e-mails" in run.stdout
    emails = sorted(out.glob("*.eml"))
    assert len(emails) == 3, [e.name for e in emails]
    subjects = {re.search(r"^Subject: (.*)$", e.read_text(), re.M).group(1) for e in emails}
    assert any(s.endswith("Ambulance Service (GP)") for s in subjects)
    assert any(s.endswith("Ambulance Service: GP") for s in subjects)


def test_timescale_counts_the_boards_closure_days_like_the_case_workbook(tmp_path):
    case = tmp_path / "xmas.xlsx"
    assert scr("new", case, "--name", "QA1", "--day0", "22/12/2026", "--profile", "england-wt2023",
               cwd=tmp_path).returncode == 0
    from tracker.case import compute
    due = next(m.due for m in compute(read_case(case)).plan.milestones if m.id == "notify-panel")
    assert due == D(2027, 1, 6)  # 5 working days after 22/12/2026, skipping the closure 29-31/12
    run = scr("timescale", "--profile", "england-wt2023", "--day0", "22/12/2026", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    line = next(x for x in run.stdout.splitlines() if "notify-panel" in x)
    assert line.split()[0] == "06/01/2027", line


def test_timescale_default_profile_is_the_boards(tmp_path):
    board = load_board()
    run = scr("timescale", "--day0", "01/09/2026", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    from tracker.profiles import get_profile
    assert run.stdout.splitlines()[0].startswith(get_profile(board.profile).name)


def test_actual_date_typed_as_a_formula_is_not_silently_ignored(demo):
    # The first Timescale row (refer-standing-panel, due 08/05/2026) has no actual in the demo and
    # is overdue; an actual typed as a formula must count as done or be reported.
    def done_by_formula(wb):
        ws = wb[L.TIMESCALE]
        loc_col = L.TIMESCALE_TABLE.col("actual")
        ws.cell(L.TIMESCALE_TABLE.first_row, loc_col).value = "=DATE(2026,5,8)"
    edit(demo, done_by_formula)
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    first = openpyxl.load_workbook(demo)[L.TIMESCALE].cell(L.TIMESCALE_TABLE.first_row, 1).value
    if run.returncode == 0:
        overdue = run.stdout.split("Next milestones")[0]
        assert first not in overdue, f"{first} has an actual date (a formula) but is shown overdue"
    else:
        assert "formula" in run.stderr.lower() and f"row {L.TIMESCALE_TABLE.first_row}" in run.stderr


# ============================================================ medium: half-applied, unsafe writes

def test_report_refused_while_case_is_open_writes_nothing(demo):
    (demo.parent / f"~${demo.name}").write_bytes(b"")
    before = sorted(p.name for p in demo.parent.iterdir())
    run = scr("report", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1 and "open in Excel" in run.stderr
    assert sorted(p.name for p in demo.parent.iterdir()) == before


def test_refresh_respects_a_read_only_case(demo):
    before = sha(demo)
    demo.chmod(0o444)
    try:
        run = scr("refresh", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    finally:
        demo.chmod(0o644)
    assert run.returncode == 1
    assert "read-only" in run.stderr.lower()
    assert sha(demo) == before


def _lock_folder(folder: Path):
    """Make a folder unwritable, also for root (chattr +i); give a function that undoes it."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
        pytest.skip("cannot make a folder read-only for root here")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("command", [
    ("refresh", "{case}", "--today", "27/11/2026"), ("report", "{case}", "--today", "27/11/2026"),
    ("issue-updates", "{case}", "--today", "27/11/2026"),
    ("new", "new.xlsx", "--name", "QA2", "--day0", "01/09/2026"),
], ids=["refresh", "report", "issue-updates", "new"])
def test_read_only_folder_gives_a_clear_message(demo, command):
    undo = _lock_folder(demo.parent)
    try:
        run = scr(*[c.format(case=demo.name) for c in command], cwd=demo.parent)
    finally:
        undo()
    assert run.returncode == 1
    assert no_crash(run.stderr), run.stderr
    assert "folder" in run.stderr.lower() or "permission" in run.stderr.lower()


@pytest.mark.parametrize("sheet,how", [(L.TIMESCALE, "delete"), (L.AGENCIES, "rename")])
def test_missing_sheet_is_named_with_a_fix(demo, sheet, how):
    def change(wb):
        if how == "delete":
            del wb[sheet]
        else:
            wb[sheet].title = sheet + " (old)"
    edit(demo, change)
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert no_crash(run.stderr), run.stderr
    assert f"'{sheet}'" in run.stderr and "Fix:" in run.stderr


def test_day0_formula_is_not_called_blank(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", "=DATE(2026,5,1)"))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    if run.returncode == 0:
        assert "Day 0 01/05/2026" in run.stdout
    else:
        assert "blank" not in run.stderr and "formula" in run.stderr.lower(), run.stderr


def test_day0_before_1900_is_refused_with_its_cell(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", -5))
    for command in ("status", "refresh"):
        run = scr(command, demo.name, "--today", "27/11/2026", cwd=demo.parent)
        assert run.returncode == 1, command
        assert f"sheet '{L.TIMESCALE}'" in run.stderr and "row 3" in run.stderr, (command, run.stderr)


def test_day0_at_the_end_of_excels_calendar_is_located(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", dt.datetime(9999, 12, 31)))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert no_crash(run.stderr), run.stderr
    assert f"sheet '{L.TIMESCALE}'" in run.stderr


def test_extra_timescale_row_error_names_sheet_and_row(demo):
    def add_row(wb):
        ws = wb[L.TIMESCALE]
        t = ws.tables[L.TIMESCALE_TABLE.name]
        last = int(re.search(r"(\d+)$", t.ref).group(1))
        ws.cell(last + 1, 1).value = "strategy-meeting"
        ws.cell(last + 1, L.TIMESCALE_TABLE.col("actual")).value = dt.datetime(2026, 11, 1)
        t.ref = re.sub(r"\d+$", str(last + 1), t.ref)
        add_row.row = last + 1
    edit(demo, add_row)
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert f"sheet '{L.TIMESCALE}'" in run.stderr and f"row {add_row.row}" in run.stderr, run.stderr


def test_profile_changed_in_settings_error_is_located(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Profile"), "value", "england-wt2023"))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert "sheet '" in run.stderr, run.stderr


def test_layout_version_from_the_future_is_refused(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "LayoutVersion"), "value", 99))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1 and "version" in run.stderr.lower()


def test_no_python_warning_reaches_the_board_manager(demo):
    edit(demo, lambda wb: setattr(named_cell(wb, "Day0"), "value", 99999999))
    run = scr("status", demo.name, "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode == 1
    assert "Warning" not in run.stderr and "site-packages" not in run.stderr, run.stderr


def test_status_on_a_non_case_workbook_says_so(demo):
    run = scr("issue-updates", demo.name, "--agency", "Police", "--today", "27/11/2026", "--out", "sheets",
              cwd=demo.parent)
    assert run.returncode == 0, run.stderr
    sheet = next((demo.parent / "sheets").glob("*.xlsx"))
    run = scr("status", sheet, cwd=demo.parent)
    assert run.returncode == 1
    lines = [x for x in run.stderr.splitlines() if x.strip()]
    assert len(lines) <= 2 and "case workbook" in run.stderr, run.stderr


# ============================================================ medium: board settings file

def _settings(tmp_path: Path, text: str | bytes, name="board.toml") -> Path:
    p = tmp_path / name
    (p.write_bytes if isinstance(text, bytes) else p.write_text)(text)
    return p


def test_settings_zero_cycles_refused_by_new(tmp_path):
    s = _settings(tmp_path, "update_cycle_months = 0\nred_after_cycles = 0\n")
    run = scr("new", "c.xlsx", "--name", "QA3", "--day0", "01/09/2026", "--settings", s, cwd=tmp_path)
    assert run.returncode == 1 and "board.toml" in run.stderr
    assert not (tmp_path / "c.xlsx").exists()


@pytest.mark.parametrize("text", [
    pytest.param('agency = "Police"\n', id="agency-not-a-table"),
    pytest.param(b'board = "Caf\xe9 Partnership"\n', id="not-utf8"),
])
def test_settings_file_mistakes_name_the_file(tmp_path, text):
    s = _settings(tmp_path, text)
    run = scr("new", "c.xlsx", "--name", "QA4", "--day0", "01/09/2026", "--settings", s, cwd=tmp_path)
    assert run.returncode == 1
    assert no_crash(run.stderr) and "board.toml" in run.stderr, run.stderr


def test_settings_bad_closure_day_names_the_file(tmp_path):
    s = _settings(tmp_path, 'closure_days = ["32/12/2026"]\n')
    run = scr("new", "c.xlsx", "--name", "QA5", "--day0", "01/09/2026", "--settings", s, cwd=tmp_path)
    assert run.returncode == 1
    assert "board.toml" in run.stderr and "32/12/2026" in run.stderr, run.stderr


# ============================================================ medium: scr new --agencies

def _agency_names(path: Path) -> list[str]:
    return [str(a["agency"]) for a in read_case(path).agencies]


def test_new_refuses_or_merges_duplicate_agencies(tmp_path):
    run = scr("new", "c.xlsx", "--name", "QA6", "--day0", "01/09/2026", "--agencies", "Police, police", cwd=tmp_path)
    if run.returncode == 0:
        names = [n.casefold() for n in _agency_names(tmp_path / "c.xlsx")]
        assert len(names) == len(set(names)), names
    else:
        assert run.returncode in (1, 2) and "Police" in run.stderr and not (tmp_path / "c.xlsx").exists()


def test_new_agencies_separated_by_semicolons_are_not_one_agency(tmp_path):
    run = scr("new", "c.xlsx", "--name", "QA7", "--day0", "01/09/2026", "--agencies", "Police; GP Service; Education",
              cwd=tmp_path)
    if run.returncode == 0:
        assert not any(";" in n for n in _agency_names(tmp_path / "c.xlsx"))
    else:
        assert "comma" in run.stderr.lower()


def test_new_with_an_explicitly_empty_agency_list_is_refused(tmp_path):
    run = scr("new", "c.xlsx", "--name", "QA8", "--day0", "01/09/2026", "--agencies", "", cwd=tmp_path)
    assert run.returncode != 0 and "agenc" in run.stderr.lower()


# ============================================================ medium: chase

def test_chase_with_a_line_break_in_an_email_cell(demo):
    def two_lines(wb):
        ws = wb[L.AGENCIES]
        ws.cell(agency_row(ws, "GP Service"), agency_col(ws, "Contact email")).value = \
            "practice@gp.example.org\nmanager@gp.example.org"
    edit(demo, two_lines)
    run = scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent)
    if run.returncode == 0:
        assert len(list((demo.parent / "emails").glob("*.eml"))) == 3
    else:
        assert no_crash(run.stderr) and f"sheet '{L.AGENCIES}'" in run.stderr, run.stderr


def test_chase_with_closed_stdout_still_writes_the_emails_or_fails(demo):
    r, w = os.pipe()
    os.close(r)
    try:
        run = scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent, stdout=w,
                  stderr=subprocess.PIPE, capture_output=False)
    finally:
        os.close(w)
    written = len(list((demo.parent / "emails").glob("*.eml"))) if (demo.parent / "emails").exists() else 0
    assert run.returncode != 0 or written == 3


def test_chase_folder_holds_no_stale_emails(demo):
    assert scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent).returncode == 0

    def ambulance_returns(wb):
        ws = wb[L.AGENCIES]
        r = agency_row(ws, "Ambulance Service")
        for header in ("Management report received", "Signed copy received", "Action plan received"):
            ws.cell(r, agency_col(ws, header)).value = dt.datetime(2026, 11, 26)
    edit(demo, ambulance_returns)
    run = scr("chase", demo.name, "--today", "27/11/2026", "--out", "emails", cwd=demo.parent)
    assert run.returncode == 0 and "2 e-mails" in run.stdout, run.stdout
    emails = [e.read_text() for e in (demo.parent / "emails").glob("*.eml")]
    assert not any("Ambulance" in e for e in emails)


# ============================================================ medium: report, import

def test_report_with_a_slash_in_the_case_name(tmp_path):
    assert scr("new", "c.xlsx", "--name", "AB/2026", "--day0", "01/09/2026", cwd=tmp_path).returncode == 0
    run = scr("report", "c.xlsx", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert list(tmp_path.glob("*progress report*.xlsx"))


def test_report_into_a_missing_folder_is_a_clear_message(demo):
    run = scr("report", demo.name, "--out", "nodir/r.xlsx", "--today", "27/11/2026", cwd=demo.parent)
    assert run.returncode in (1, 2)
    assert no_crash(run.stderr) and "nodir" in run.stderr, run.stderr


def test_import_of_a_missing_file_is_a_usage_error(demo):
    before = sha(demo)
    run = scr("import", demo.name, "no-such-return.xlsx", "--today", "28/11/2026", cwd=demo.parent)
    assert run.returncode == 2
    assert "agency" not in (run.stdout + run.stderr).lower()
    assert sha(demo) == before


# ============================================================ medium: timescale profiles (SCR_PROFILES_DIR)

PROFILE = """id = "{id}"
name = "Southshire SCR timescales"
{extra}
[[milestone]]
id = "panel-meets"
label = "Panel meets"
from = "day0"
offset = {offset}
unit = "{unit}"
"""


def _profile_dir(tmp_path: Path, body: bytes | str, file="southshire.toml") -> dict:
    d = tmp_path / "profiles"
    d.mkdir(exist_ok=True)
    p = d / file
    (p.write_bytes if isinstance(body, bytes) else p.write_text)(body)
    return {"SCR_PROFILES_DIR": str(d)}


def test_profile_with_a_byte_order_mark_loads(tmp_path):
    body = PROFILE.format(id="southshire", extra="", offset=4, unit="weeks")
    env = _profile_dir(tmp_path, b"\xef\xbb\xbf" + body.encode())
    run = scr("timescale", "--profile", "southshire", "--day0", "01/09/2026", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("body", [
    pytest.param(PROFILE.format(id="southshire", extra='note = "Caf\xe9"', offset=4, unit="weeks").encode("latin-1"),
                 id="ansi-not-utf8"),
    pytest.param(PROFILE.format(id="southshire", extra='returns = "panel-meets"', offset=4, unit="weeks"),
                 id="returns-not-a-table"),
    pytest.param(PROFILE.format(id="southshire", extra="", offset=99999999999, unit="months"), id="huge-offset"),
])
def test_profile_mistakes_name_the_file(tmp_path, body):
    env = _profile_dir(tmp_path, body)
    run = scr("timescale", "--profile", "southshire", "--day0", "01/09/2026", cwd=tmp_path, env=env)
    assert run.returncode == 1
    assert no_crash(run.stderr) and "southshire.toml" in run.stderr, run.stderr


def test_profile_id_matching_its_capitalised_file_name_loads(tmp_path):
    env = _profile_dir(tmp_path, PROFILE.format(id="Southshire-SCR", extra="", offset=4, unit="weeks"),
                       file="Southshire-SCR.toml")
    run = scr("timescale", "--profile", "southshire-scr", "--day0", "01/09/2026", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("profile", [ROTHERHAM, "bolton"])
def test_timescale_at_the_end_of_the_calendar_is_a_clear_message(tmp_path, profile):
    run = scr("timescale", "--profile", profile, "--day0", "31/12/9999", cwd=tmp_path)
    assert run.returncode in (1, 2)
    assert no_crash(run.stderr), run.stderr


# ============================================================ worksheet functions (via the dispatcher)

def _answer_or_raised(call) -> str:
    """A worksheet function's text: its message, or (for a limit of the tracker, not bad input) the
    sentence it raises, so a case workbook's IFERROR hands over to the native twin."""
    from tracker.errors import ScrError
    try:
        out = value(xl(*call))
    except ScrError as e:
        return "raised: " + str(e)
    return out if isinstance(out, str) else out[0][0]


@pytest.mark.parametrize("call", [
    ("SCR_DEADLINE", D(9999, 12, 31), "chronologies-in", ROTHERHAM),
    ("SCR_DEADLINE", D(9999, 12, 31), [["chronologies-in"], ["text-decision"]], ROTHERHAM),
    ("SCR_FLAGS", D(9999, 12, 31), "chronologies-in", ROTHERHAM),
    ("SCR_TIMESCALE", D(9999, 12, 31), ROTHERHAM),
], ids=["deadline", "deadline-column", "flags", "timescale"])
def test_udf_day0_at_the_end_of_the_calendar(call):
    out = _answer_or_raised(call)
    assert out.startswith(("Error: ", "raised: ")) and "outside" in out and "Overflow" not in out, out


def test_udf_actual_at_the_end_of_the_calendar():
    out = _answer_or_raised(("SCR_DEADLINE", D(2026, 9, 1), "text-review-complete", ROTHERHAM,
                             [["text-decision", D(9999, 12, 31)]]))
    assert out.startswith("raised: ") and "outside" in out and "ValueError" not in out, out


@pytest.mark.parametrize("extra", [(None, 1e308), (None, None, 1e308)], ids=["cycle_months", "red_cycles"])
def test_udf_rag_huge_settings(extra):
    out = _answer_or_raised(("SCR_RAG", "in progress", D(2027, 1, 1), D(2026, 11, 1), D(2026, 11, 27), *extra))
    assert out.startswith("raised: ") and "more than" in out and "Overflow" not in out, out


@pytest.mark.parametrize("day0", [D(2080, 1, 1), D(1900, 3, 1)])
def test_udf_deadline_single_cell_and_column_agree(day0):
    single = _answer_or_raised(("SCR_DEADLINE", day0, "chronologies-in", ROTHERHAM))
    column = value(xl("SCR_DEADLINE", [[day0], [D(2026, 1, 5)]], "chronologies-in", ROTHERHAM))
    assert single == "raised: " + column[0][0].removeprefix("Error: ")


def test_udf_workday_keeps_the_shape_of_a_row_range():
    out = xl("WORKDAY_UK", [[D(2026, 9, 1), D(2026, 9, 2)]], 5)
    assert len(out) == 1 and len(out[0]) == 2, out


# ============================================================ low

def test_new_with_a_very_long_case_name(tmp_path):
    run = scr("new", "c.xlsx", "--name", "A" * 300, "--day0", "01/09/2026", cwd=tmp_path)
    assert "Warning" not in run.stderr, run.stderr
    if run.returncode != 0:
        assert "name" in run.stderr.lower()


def test_help_into_a_closed_pipe_exits_0(tmp_path):
    r, w = os.pipe()
    os.close(r)
    try:
        run = scr("--help", cwd=tmp_path, stdout=w, stderr=subprocess.PIPE, capture_output=False)
    finally:
        os.close(w)
    assert run.returncode == 0 and not run.stderr
