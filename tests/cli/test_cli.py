"""The `scr` command as a board manager runs it: new, refresh, demo, profiles, timescale, and
its errors (one plain line, the right exit status, never a traceback).

Most tests use click's CliRunner (in-process, fast); the ones marked "real process" run
`python -m tracker.cli` so the console entry point, exit codes and stderr are the real ones.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.board import load_board
from tracker.cli import main
from tracker.profiles import all_profiles
from workbook.case import layout as L
from workbook.case.read import read_case
from shared import scr_process, sha

ROOT = Path(__file__).resolve().parents[2]


def scr(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)



def agencies_in(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path)[L.AGENCIES]
    t = L.AGENCIES_TABLE
    last = openpyxl.utils.range_boundaries(ws.tables["Agencies"].ref)[3]
    keys = ("agency", "involvement", "senior_manager", "contact", "email")
    return [{k: ws.cell(r, t.col(k)).value for k in keys} for r in range(t.first_row, last + 1)]


# --------------------------------------------------------------------------- scr new


def test_new_with_agencies_real_process(tmp_path):
    path = tmp_path / "AB 2026-01.xlsx"
    run = scr_process("new", str(path), "--name", "AB 2026-01", "--day0", "2026-01-05", "--profile", "england-wt2023",
                      "--agencies", "Police, GP Service,Youth Justice Service ,")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (f"Created {path}: profile england-wt2023, Day 0 05/01/2026, 5 milestones, 3 agencies.")
    rows = agencies_in(path)
    assert [r["agency"] for r in rows] == ["Police", "GP Service", "Youth Justice Service"]
    # agencies the board knows get its contacts; a new one is just named
    board = {a["name"]: a for a in load_board().agencies}
    assert rows[0]["contact"] == board["Police"]["contact"] and rows[0]["email"] == board["Police"]["email"]
    assert rows[1]["senior_manager"] == board["GP Service"]["senior_manager"]
    assert rows[2]["contact"] is None and rows[2]["involvement"] == "involved"
    case = read_case(path)
    assert (case.case_name, case.profile_id, case.day0) == ("AB 2026-01", "england-wt2023", dt.date(2026, 1, 5))


def test_new_with_the_boards_default_agencies_and_settings(tmp_path):
    path = tmp_path / "Case.xlsx"
    r = scr("new", str(path), "--name", "CD-7", "--day0", "15/12/2025")
    assert r.exit_code == 0, r.output
    board = load_board()
    assert "profile england-wt2023" in r.output and f"{len(board.agencies)} agencies" in r.output
    rows = agencies_in(path)
    assert [x["agency"] for x in rows] == [a["name"] for a in board.agencies]
    assert [x["email"] for x in rows] == [a["email"] for a in board.agencies]
    case = read_case(path)
    assert case.profile_id == board.profile and case.nation == board.nation
    assert set(case.closures) == set(board.closure_days)
    assert case.setting("AmberDays") == board.amber_days


def test_new_with_a_boards_own_settings_file(tmp_path):
    settings = tmp_path / "board.toml"
    settings.write_text(
        'board = "Test Partnership"\nprofile = "llr"\nnation = "scotland"\ndue_soon_days = 10\n'
        'closure_days = ["02/01/2026"]\n\n[[agency]]\nname = "Police Scotland"\ncontact = "DI Example"\n'
        'email = "di@example.org"\n', encoding="utf-8")
    path = tmp_path / "Case.xlsx"
    r = scr("new", str(path), "--name", "EF-1", "--day0", "01/12/2025", "--settings", str(settings))
    assert r.exit_code == 0, r.output
    case = read_case(path)
    assert (case.profile_id, case.nation, case.setting("DueSoon")) == ("llr", "scotland", 10)
    assert dt.date(2026, 1, 2) in case.closures
    assert [a["agency"] for a in case.agencies] == ["Police Scotland"]
    assert case.agencies[0]["email"] == "di@example.org"


def test_new_refuses_an_existing_file_real_process(tmp_path):
    path = tmp_path / "Case.xlsx"
    assert scr("new", str(path), "--name", "X", "--day0", "01/02/2026").exit_code == 0
    before = sha(path)
    run = scr_process("new", str(path), "--name", "Y", "--day0", "01/03/2026")
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "already exists" in run.stderr and "--force" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert sha(path) == before


# --------------------------------------------------------------------------- scr refresh


def test_refresh_real_process_reports_cells_and_backup(tmp_path):
    path = tmp_path / "Case.xlsx"
    assert scr("new", str(path), "--name", "X", "--day0", "01/02/2026", "--profile", "rotherham-2009").exit_code == 0
    run = scr_process("refresh", str(path), "--today", "15/06/2026")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"Refreshed {path}: ") and "as at 15/06/2026" in run.stdout
    assert "Backup: " in run.stdout
    backup = Path(run.stdout.split("Backup: ")[1].strip())
    assert backup.exists() and backup.parent == tmp_path / "backups"


# --------------------------------------------------------------------------- scr demo


def test_demo_real_process_exits_0_and_prints_a_status(tmp_path):
    run = scr_process("demo", str(tmp_path / "demo"), "--today", "15/06/2026")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert f"Demo case workbook: {tmp_path / 'demo' / 'DEMO-01 case file.xlsx'}" in out
    assert "Case DEMO-01 (fictional)  —  profile rotherham-2009  —  Day 0 17/11/2025  —  as at 15/06/2026" in out
    # 9 returns outstanding: the demo's third update round (tracker.demo.demo_rounds) is one, not yet due
    assert "Overdue milestones (2):" in out and "Returns outstanding (9):" in out
    assert "Action plan BRAG (8 actions): Blue 1, Green 2, Amber 4, Red 1" in out
    assert "To chase today (15/06/2026), most overdue first:" in out
    assert "3 chase e-mails in" in out
    assert (tmp_path / "demo" / "DEMO-01 case file.xlsx").exists()
    assert len(list((tmp_path / "demo" / "chase").glob("*.eml"))) == 3


# --------------------------------------------------------------------------- profiles and timescale


def test_profiles_lists_every_profile_and_its_milestones():
    r = scr("profiles")
    assert r.exit_code == 0
    for pid, p in all_profiles().items():
        assert f"{pid}: {p.name}" in r.output
        for m in p.milestones:
            assert m.id in r.output


def test_timescale_prints_the_hand_computed_example():
    # england-wt2023's worked example: Day 0 Friday 02/05/2025, over the two May bank holidays
    r = scr("timescale", "--profile", "england-wt2023", "--day0", "02/05/2025", "--today", "01/05/2025")
    assert r.exit_code == 0, r.output
    lines = {next(w for w in line.split() if "-" in w and "/" not in w): line.split()[0]
             for line in r.output.splitlines()[1:] if line.strip()}
    assert all("not yet due" in line for line in r.output.splitlines()[1:])  # as at the day before Day 0
    assert lines == {"notify-panel": "12/05/2025", "rapid-review": "27/05/2025", "lcspr-decision": "27/05/2025",
                     "send-to-panel-and-sos": "18/11/2025", "lcspr-published": "27/11/2025"}


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("command", [["new", "X.xlsx", "--name", "X", "--day0", "31/02/2026"],
                                     ["timescale", "--day0", "31/02/2026"],
                                     ["status", "X.xlsx", "--today", "31/02/2026"],
                                     ["refresh", "X.xlsx", "--today", "31/02/2026"]])
def test_a_bad_date_option_exits_2_naming_the_option(tmp_path, command):
    r = CliRunner().invoke(main, command)
    option = command[command.index("31/02/2026") - 1]
    assert r.exit_code == 2
    assert f"Invalid value for '{option}'" in r.output and "'31/02/2026' is not a real date" in r.output
    assert not (tmp_path / "X.xlsx").exists()


def test_a_bad_date_option_real_process():
    run = scr_process("timescale", "--day0", "31/02/2026")
    assert run.returncode == 2
    assert "Invalid value for '--day0'" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("command", ["status", "chase", "refresh"])
def test_a_missing_file_exits_1_with_one_line_real_process(tmp_path, command):
    missing = tmp_path / "No such case.xlsx"
    run = scr_process(command, str(missing))
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"Error: {missing}: the workbook does not exist. Fix: Check the path, or create it with `scr new`."]
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert not missing.exists()


def test_a_file_that_is_not_a_workbook_exits_1_with_one_line(tmp_path):
    junk = tmp_path / "Case.xlsx"
    junk.write_text("not a workbook")
    before = sha(junk)
    run = scr_process("refresh", str(junk))
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1 and "is not a readable .xlsx workbook" in run.stderr
    assert "Traceback" not in run.stderr
    assert sha(junk) == before


@pytest.mark.parametrize("command", [["new", "{dir}/X.xlsx", "--name", "X", "--day0", "01/02/2026", "--profile", "nope"],
                                     ["timescale", "--day0", "01/02/2026", "--profile", "nope"]])
def test_an_unknown_profile_lists_the_profiles(tmp_path, command):
    command = [c.format(dir=tmp_path) for c in command]
    r = CliRunner().invoke(main, command)
    assert r.exit_code == 2  # an option error, like every other
    assert "Profile 'nope' is not known." in r.output
    for pid in all_profiles():
        assert pid in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "X.xlsx").exists()


def test_missing_required_options_are_usage_errors():
    r = CliRunner().invoke(main, ["new", "X.xlsx", "--day0", "01/02/2026"])
    assert r.exit_code == 2 and "Missing option '--name'" in r.output


def test_a_blank_case_name_is_refused(tmp_path):
    r = CliRunner().invoke(main, ["new", str(tmp_path / "X.xlsx"), "--name", "  ", "--day0", "01/02/2026"])
    assert r.exit_code == 2 and "case name is blank" in r.output
    assert not (tmp_path / "X.xlsx").exists()


@pytest.mark.parametrize("option, typed, meant", [("--profile", "rotheram-2009", "rotherham-2009"),
                                                  ("--nation", "scotlnd", "scotland")])
def test_a_misspelt_option_is_a_usage_error_that_names_the_word_meant(tmp_path, option, typed, meant):
    r = CliRunner().invoke(main, ["new", str(tmp_path / "X.xlsx"), "--name", "AB", "--day0", "01/02/2026", option, typed])
    assert r.exit_code == 2, r.output
    assert f"Did you mean '{meant}'?" in r.output
    assert not (tmp_path / "X.xlsx").exists()


def test_a_nation_is_stored_as_the_tracker_names_it(tmp_path):
    from workbook.case.read import read_case
    r = CliRunner().invoke(main, ["new", str(tmp_path / "X.xlsx"), "--name", "AB", "--day0", "01/02/2026",
                                  "--nation", "Wales"])
    assert r.exit_code == 0, r.output
    assert read_case(tmp_path / "X.xlsx").nation == "england-and-wales"


def test_version():
    r = scr("--version")
    assert r.exit_code == 0 and "version" in r.output


def test_a_nation_is_stored_in_its_one_spelling(tmp_path):
    path = tmp_path / "w.xlsx"
    r = scr("new", str(path), "--name", "Child W", "--day0", "05/01/2026", "--nation", "Wales")
    assert r.exit_code == 0, r.output
    assert read_case(path).nation == "england-and-wales"  # was stored as typed, "Wales"


def test_a_case_name_or_recipient_that_looks_like_a_name_is_warned_about(tmp_path):
    path = tmp_path / "t.xlsx"
    r = scr_process("new", str(path), "--name", "Tara Smith", "--day0", "05/01/2026")
    assert r.returncode == 0 and "Warning: the case name looks like a person's name" in r.stderr
    assert "Tara" not in r.stderr  # the warning does not repeat the name
    r = scr_process("log", str(path), "--what", "Executive summary shared", "--to", "Kelly Smith (mother)")
    assert r.returncode == 0 and "Warning: --to looks like a person's name" in r.stderr
    r = scr_process("log", str(path), "--what", "Executive summary shared", "--to", "the mother",
                    "--chair-permission", "02/01/2026")
    assert r.returncode == 0 and "Warning" not in r.stderr
    quiet = scr_process("new", str(tmp_path / "q.xlsx"), "--name", "Child Q", "--day0", "05/01/2026")
    assert quiet.returncode == 0 and "Warning" not in quiet.stderr
