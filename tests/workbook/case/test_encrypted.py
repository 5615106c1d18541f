"""A case workbook kept encrypted at rest (issue 13: "the case password on every document").

`scr protect` encrypts the case as Excel's Encrypt with Password does; from then on every command
opens it with the case password (SCR_CASE_PASSWORD or asked for, never on the command line) and
saves it encrypted again. What is checked: the file and its backups stay encrypted, what is inside
is what the same commands make of an unprotected copy, wrong or missing passwords get a plain
message, the Board report is protected too, and no plain workbook is ever written to disk (every
write of the commands is traced with strace).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbook.commands.demo import run_demo
from workbook.xlsx.crypto import OLE_MAGIC

DAY = dt.date(2026, 11, 20)
PW = "Case-pw 7!"
ROOT = Path(__file__).resolve().parents[3]


def scr(*args, password=PW, input=None):
    env = {"SCR_CASE_PASSWORD": password} if password else {"SCR_CASE_PASSWORD": ""}
    return CliRunner().invoke(main, [str(a) for a in args], env=env, input=input, catch_exceptions=False)


def plain(path: Path, password: str = PW) -> bytes:
    f = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    f.load_key(password=password, verify_password=True)
    out = io.BytesIO()
    f.decrypt(out)
    return out.getvalue()


def cells(data: bytes) -> dict:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row
            if c.value is not None}


def protected_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.xlsx") if p.read_bytes()[:8] == OLE_MAGIC]


@pytest.fixture()
def two_cases(tmp_path):
    """The demo case twice: one to protect, one left plain to compare with."""
    case = run_demo(tmp_path / "enc", DAY).path
    twin_dir = tmp_path / "plain"
    twin_dir.mkdir()
    twin = twin_dir / case.name
    shutil.copy2(case, twin)
    return case, twin


def test_protect_then_every_command_keeps_it_encrypted_and_agrees_with_a_plain_copy(two_cases):
    case, twin = two_cases
    before = cells(case.read_bytes())
    r = scr("protect", case)
    assert r.exit_code == 0, r.output
    assert case.read_bytes()[:8] == OLE_MAGIC
    # the backups made while it was plain are protected too: no plain copy of the case is left
    backups = sorted((case.parent / "backups").glob("*.xlsx"))
    assert backups and all(b.read_bytes()[:8] == OLE_MAGIC for b in backups)
    assert {k: v for k, v in cells(plain(case)).items() if k[0] != "Audit"} == \
        {k: v for k, v in before.items() if k[0] != "Audit"}

    for args in (["refresh", "{}", "--today", "25/11/2026"],
                 ["log", "{}", "--what", "Overview report sent", "--to", "Ofsted"]):
        for target, pw in ((case, PW), (twin, None)):
            r = scr(*[str(target) if a == "{}" else a for a in args], password=pw)
            assert r.exit_code == 0, r.output
    assert case.read_bytes()[:8] == OLE_MAGIC
    mine, theirs = cells(plain(case)), cells(twin.read_bytes())
    assert {k: v for k, v in mine.items() if k[0] != "Audit"} == {k: v for k, v in theirs.items() if k[0] != "Audit"}
    audit = [v for (s, _), v in mine.items() if s == "Audit" and isinstance(v, str)]
    assert "case workbook password-protected" in audit and "Overview report sent (shared with Ofsted)" in audit

    r = scr("status", case, "--today", "25/11/2026")
    assert "DEMO-01" in r.output and r.exit_code in (0, 1)


def test_wrong_or_missing_password_is_a_plain_message_and_changes_nothing(two_cases):
    case, _ = two_cases
    assert scr("protect", case).exit_code == 0
    data = case.read_bytes()
    for pw, words in (("wrong", "wrong password"), (None, "no password was given")):
        r = CliRunner().invoke(main, ["refresh", str(case)], env={"SCR_CASE_PASSWORD": pw or ""},
                               catch_exceptions=False)
        assert r.exit_code == 1 and words in r.output and "Traceback" not in r.output, r.output
        assert case.name in r.output
    assert case.read_bytes() == data
    # --password asks for it (hidden) when it is not in the environment
    r = CliRunner().invoke(main, ["refresh", str(case), "--password"], env={"SCR_CASE_PASSWORD": ""},
                           input=PW + "\n", catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert PW not in r.output  # not echoed
    assert case.read_bytes()[:8] == OLE_MAGIC and case.read_bytes() != data


def test_protect_off_and_refusals(two_cases):
    case, _ = two_cases
    r = scr("protect", case, "--off")
    assert r.exit_code == 1 and "not password-protected" in r.output
    assert scr("protect", case).exit_code == 0
    r = scr("protect", case)
    assert r.exit_code == 1 and "already password-protected" in r.output
    assert scr("protect", case, "--off").exit_code == 0
    assert case.read_bytes()[:4] == b"PK\x03\x04"
    assert "password protection removed" in cells(case.read_bytes()).values()


def test_board_report_of_a_protected_case_is_protected(two_cases):
    case, _ = two_cases
    assert scr("protect", case).exit_code == 0
    r = scr("report", case, "--pdf")
    assert r.exit_code == 1 and "PDF cannot carry the password" in r.output
    assert not list(case.parent.glob("*progress report*"))
    r = scr("report", case)
    assert r.exit_code == 0, r.output
    (rep,) = case.parent.glob("*progress report*.xlsx")
    assert rep.read_bytes()[:8] == OLE_MAGIC
    assert openpyxl.load_workbook(io.BytesIO(plain(rep))).sheetnames[:2] == ["Summary", "Actions"]
    r = scr("report", case)  # run again: our own protected report may be replaced
    assert r.exit_code == 0, r.output


def test_password_is_never_an_argument():
    """Finding 15: --password takes no value (a value typed after it is not a password option)."""
    for command in ("issue-updates", "import", "merge-chronologies", "refresh", "status", "chase",
                    "report", "log", "protect"):
        params = {p.name: p for p in main.commands[command].params}
        assert params["ask_password"].is_flag, command
        assert "--password" in params["ask_password"].opts


def test_no_plain_workbook_touches_the_disk(two_cases):
    """Every write(2) of refresh, log, report, issue-updates and merge-chronologies on a protected
    case, traced: none starts a zip
    (PK\\3\\4, how every plain .xlsx begins) in the case's folder. Run on the plain twin, the same
    trace finds them: the oracle can fail."""
    assert shutil.which("strace"), "strace is missing (.ci/run installs it)"
    case, twin = two_cases
    assert scr("protect", case).exit_code == 0

    sys.path.insert(0, str(ROOT / "tests"))
    from chronology_forms import rotherham
    row = ["03/02/2026", "10:00", "KB", "Home visit; KB seen alone", "Children's Social Care", "Plan reviewed",
           "Yes", None]

    def zip_writes(target: Path, password: str | None) -> list[str]:
        env = {**os.environ, "SCR_CASE_PASSWORD": password or ""}
        found = []
        chrono = rotherham(target.parent / "police-chronology.xlsx", [row], agency="Northshire Police")
        # finding 11: the sheets issued and the merged chronology of a protected case are encrypted
        # in memory; neither is ever written plain, not even for a moment before it is encrypted
        for args in (["refresh", target, "--today", "25/11/2026"], ["log", target, "--what", "Chronology sent"],
                     ["report", target], ["issue-updates", target, "--out", target.parent / "sheets"]
                     + ([] if password else ["--no-encrypt"]),
                     ["merge-chronologies", target.parent / "integrated.xlsx", chrono, "--case", "DEMO-01"]
                     + (["--encrypt"] if password else ["--no-encrypt"])):
            log = target.parent / "strace.log"
            subprocess.run(["strace", "-f", "-qq", "-e", "trace=write,pwrite64", "-y", "-s", "4", "-xx", "-o", str(log),
                            sys.executable, "-m", "tracker.cli", *map(str, args)],
                           cwd=ROOT, env=env, capture_output=True, timeout=300, check=True)
            for line in log.read_text().splitlines():
                m = re.search(r'write(?:64)?\(\d+<([^>]*)>, "((?:\\x[0-9a-f]{2})*)', line)
                path = m and re.sub(r"\\x([0-9a-f]{2})", lambda h: chr(int(h.group(1), 16)), m.group(1))
                if path and path.startswith(str(target.parent)) and m.group(2).startswith(r"\x50\x4b\x03\x04"):
                    found.append(path)
            log.unlink()
        return found

    assert zip_writes(case, PW) == []
    plain = zip_writes(twin, None)
    assert plain, "the trace does not see plain workbooks being written"
    # and it sees them for each command added for finding 11, so their empty list above means something
    assert any("/sheets/" in p for p in plain) and any("integrated" in p for p in plain), plain


def test_update_sheets_issued_and_imported_on_a_protected_case(two_cases, tmp_path, monkeypatch):
    """The action-plan loop on a protected case: the sheets go out protected with the case
    password, the return comes back protected, the import lands in the case, which stays encrypted."""
    import sys as _sys
    _sys.path.insert(0, str(ROOT / "tests"))
    from agency_return import fill, sheet_for
    from workbook.commands.import_returns import import_returns
    from workbook.commands.issue_updates import issue_updates

    case, _ = two_cases
    assert scr("protect", case).exit_code == 0
    monkeypatch.setenv("SCR_CASE_PASSWORD", PW)
    sheets = issue_updates(case, tmp_path / "out", None, PW, today=DAY)
    police = sheet_for(sheets, "Police")
    assert police.path.read_bytes()[:8] == OLE_MAGIC
    aid = police.actions[0]
    back = fill(police.path, tmp_path / "police-return.xlsx", {aid: {
        "status": "in progress", "progress": "Two of three teams briefed.", "date": dt.datetime(2026, 11, 21)}},
        password=PW)
    result = import_returns(case, [back], PW, today=DAY + dt.timedelta(days=3))
    assert [f.state for f in result.files] == ["applied"], result.files
    assert case.read_bytes()[:8] == OLE_MAGIC
    assert "Two of three teams briefed." in cells(plain(case)).values()


def test_a_protected_cases_update_sheets_are_encrypted_without_asking(two_cases, tmp_path):
    case, twin = two_cases
    assert scr("protect", case).exit_code == 0
    r = scr("issue-updates", case, "--out", tmp_path / "sheets", "--today", "23/11/2026")
    assert r.exit_code == 0, r.output
    sheets = sorted((tmp_path / "sheets").glob("*.xlsx"))
    assert sheets and len(protected_files(tmp_path / "sheets")) == len(sheets)
    assert "NOT encrypted" not in r.output and "encrypted with the case password" in r.output
    openpyxl.load_workbook(io.BytesIO(plain(sheets[0])))  # the case password opens it


def test_unencrypted_update_sheets_go_out_with_a_clear_word(two_cases, tmp_path):
    case, twin = two_cases
    r = CliRunner().invoke(main, ["issue-updates", str(twin), "--out", str(tmp_path / "plain-sheets"),
                                                  "--today", "23/11/2026"], env={"SCR_CASE_PASSWORD": ""})
    assert r.exit_code == 0, r.output
    assert not protected_files(tmp_path / "plain-sheets")
    assert "These sheets are NOT encrypted" in r.stderr and "--password" in r.stderr
    # and a protected case can still send plain sheets when the board manager says so
    assert scr("protect", case).exit_code == 0
    r = scr("issue-updates", case, "--out", tmp_path / "chosen", "--today", "23/11/2026", "--no-encrypt")
    assert r.exit_code == 0, r.output
    assert not protected_files(tmp_path / "chosen") and "NOT encrypted" in r.output
