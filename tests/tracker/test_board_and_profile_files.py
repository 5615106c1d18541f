"""The board's settings file and its own profile files: every mistake names the file, a byte order mark
or a capitalised file name still loads, and `scr timescale` counts as the case workbook does."""
from __future__ import annotations

from pathlib import Path

import pytest

from tracker.board import load_board
from workbook.case.read import read_case
from case_edits import D, ROTHERHAM, no_crash, scr


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
