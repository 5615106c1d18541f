"""`scr status` and `scr chase` on the demo case as at a fixed day (15/06/2026).

The demo's Day 0 is 30 weeks before that day: 17/11/2025. Expected figures are worked out by
hand from the demo's inputs (workbook/demo.py) and the Rotherham profile, not read back from the
code under test:

* chronologies-in = Day 0 + 9 weeks = 19/01/2026, done 26/01/2026 -> "done 7 days late";
  action-plans-qa = Day 0 + 28 weeks = 01/06/2026, no actual -> "overdue by 14 days";
  progress-check = Day 0 + 40 weeks = 24/08/2026 -> "not yet due".
* GP Service chronology: requested by the letter, due 19/01/2026, promised 26/01/2026 (week 10),
  not received: judged against the later date, 140 days before 15/06/2026 -> "overdue 140 days — chase".
* BRAG (target, last update, agreed 29/12/2025; amber 28 days, cycle 3 months, red after 2):
  1.1 signed off -> Blue; 2.1 awaiting sign-off -> Green; 4.2 last update 25/05/2026 -> Green;
  1.2 target 29/06/2026 (14 days) -> Amber; 2.2 target 06/07/2026 (21 days) -> Amber;
  3.1 last update 09/03/2026, +3 months 09/06/2026 passed -> Amber; 4.1 no update, agreed
  29/12/2025 +3 months passed, +6 not -> Amber; 3.2 target 18/05/2026 passed -> Red.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.profiles import get_profile
from tracker.receipts import RETURN_KEYS

ROOT = Path(__file__).resolve().parents[2]
TODAY = "15/06/2026"


def scr(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    r = scr("demo", str(folder), "--today", TODAY)
    assert r.exit_code == 0, r.output
    path = folder / "DEMO-01 case file.xlsx"
    for eml in (folder / "chase").glob("*.eml"):  # the demo's own; the tests below write their own
        eml.unlink()
    return path


@pytest.fixture(scope="module")
def status(demo) -> dict:
    r = scr("status", str(demo), "--json", "--today", TODAY)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


# --------------------------------------------------------------------------- scr status --json


def test_status_json_top_level(status):
    assert set(status) >= {"case", "profile", "day0", "as_at", "milestones", "returns", "actions"}
    assert (status["case"], status["profile"], status["day0"], status["as_at"]) == (
        "DEMO-01 (fictional)", "rotherham-2009", "2025-11-17", "2026-06-15")


def test_status_json_milestones(status):
    ms = status["milestones"]
    assert [m["id"] for m in ms] == list(get_profile("rotherham-2009").ids)
    for m in ms:
        assert {"id", "label", "due", "status"} <= set(m)
        assert m["due"] is None or dt.date.fromisoformat(m["due"])  # ISO dates
    by = {m["id"]: m for m in ms}
    assert by["chronologies-in"]["due"] == "2026-01-19" and by["chronologies-in"]["status"] == "done 7 days late"
    assert by["action-plans-qa"]["due"] == "2026-06-01" and by["action-plans-qa"]["status"] == "overdue by 14 days"
    assert by["progress-check"]["due"] == "2026-08-24" and by["progress-check"]["status"] == "not yet due"
    assert by["chair-signs-off"]["due"] is None and by["chair-signs-off"]["status"] == "no date yet"
    assert by["refer-standing-panel"]["status"] == "done on time"
    assert by["refer-standing-panel"]["label"].startswith("RSCB Manager refers to SCR Standing Panel")
    # re-planned from an actual: text-review-complete = EDATE(actual decision 13/12/2025 (week 3 + 5 days), 4)
    assert by["text-review-complete"]["due"] == "2026-04-13"
    assert by["text-review-complete"]["status"] == "overdue by 63 days"


def test_status_json_returns(status):
    rs = status["returns"]
    assert len(rs) == 8 * len(RETURN_KEYS)
    for x in rs:
        assert {"agency", "item", "due", "status"} <= set(x)
        assert x["item"] in RETURN_KEYS
    by = {(x["agency"], x["item"]): x for x in rs}
    gp = by[("GP Service", "chronology")]
    assert (gp["due"], gp["status"]) == ("2026-01-26", "overdue 140 days — chase")
    assert by[("GP Service", "management_report")]["status"] == "overdue 133 days — chase"  # due 02/02/2026
    assert by[("Health: Integrated Care Board", "management_report")]["status"] == "signed copy outstanding"
    assert by[("Children's Social Care", "chronology")]["status"] == "received on time"  # 15/01/2026 (week 8 + 3 days)
    assert by[("Health: Integrated Care Board", "chronology")]["status"] == "received 4 days late"  # 23/01 vs 19/01
    assert all(by[("Probation Service", k)]["status"] == "nil return" for k in RETURN_KEYS)
    assert by[("Education", "action_plan")]["status"] == "due soon"  # promised 22/06/2026
    assert by[("Children's Social Care", "update_2")]["status"] == "not requested"


def test_status_json_actions(status):
    a = status["actions"]
    assert a["counts"] == {"Blue": 1, "Green": 2, "Amber": 4, "Red": 1}
    assert list(a["counts"]) == ["Blue", "Green", "Amber", "Red"]
    assert a["total"] == 8
    words = {x["action_id"]: x["rag"] for x in a["items"]}
    assert words == {"1.1": "Blue", "1.2": "Amber", "2.1": "Green", "2.2": "Amber", "3.1": "Amber", "3.2": "Red",
                     "4.1": "Amber", "4.2": "Green"}
    reason = {x["action_id"]: x["reason"] for x in a["items"]}
    assert reason["3.2"] == "target date 18/05/2026 passed without completion"


def test_status_as_text(demo):
    r = scr("status", str(demo), "--today", TODAY)
    assert r.exit_code == 0
    out = r.output
    assert "Overdue milestones (2):" in out
    assert "01/06/2026  overdue by 14 days" in out
    assert "Next milestones:" in out and "24/08/2026  not yet due" in out
    assert "  GP Service\n    Chronology               due 26/01/2026  overdue 140 days — chase" in out
    assert "Action plan BRAG (8 actions): Blue 1, Green 2, Amber 4, Red 1" in out


def test_status_moves_with_today(demo):
    later = json.loads(scr("status", str(demo), "--json", "--today", "01/09/2026").output)
    by = {m["id"]: m for m in later["milestones"]}
    assert by["progress-check"]["status"] == "overdue by 8 days"  # 24/08/2026
    assert later["as_at"] == "2026-09-01"


def test_status_real_process_json(demo):
    run = subprocess.run([sys.executable, "-m", "tracker.cli", "status", str(demo), "--json", "--today", TODAY],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["actions"]["counts"] == {"Blue": 1, "Green": 2, "Amber": 4, "Red": 1}


def test_status_does_not_change_the_file(demo):
    before = demo.read_bytes()
    scr("status", str(demo), "--today", TODAY)
    scr("chase", str(demo), "--today", TODAY, "--out", str(demo.parent / "chase-check"))
    assert demo.read_bytes() == before


# --------------------------------------------------------------------------- scr chase


EXPECTED_CHASE = [  # most overdue first; ties by agency
    ("GP Service", "Chronology", "26/01/2026", 140),
    ("GP Service", "Management report", "02/02/2026", 133),
    ("Ambulance Service", "Management report", "16/02/2026", 119),
    ("Ambulance Service", "Action plan", "01/06/2026", 14),
    ("GP Service", "Action plan", "01/06/2026", 14),
    ("Health: Integrated Care Board", "Action plan", "01/06/2026", 14),
]


def test_chase_lists_overdue_returns_with_contacts(demo, tmp_path):
    r = scr("chase", str(demo), "--today", TODAY, "--out", str(tmp_path / "eml"))
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == "To chase today (15/06/2026), most overdue first:"
    items = lines[1:1 + len(EXPECTED_CHASE)]
    for line, (agency, label, due, late) in zip(items, EXPECTED_CHASE):
        assert line.startswith(f"  {agency:<30} {label:<24} due {due}  {late:>3} days late  "), line
    assert "Practice manager <practice@gp.example.org>" in items[0]
    assert "Safeguarding team (Ambulance) <safeguarding@ambulance.example.org>" in items[2]
    # a return received without its signed copy is chased for the signed copy (status lists it outstanding)
    assert lines[1 + len(EXPECTED_CHASE)].startswith(
        f"  {'Health: Integrated Care Board':<30} {'Management report':<24} due 02/02/2026  signed copy    ")
    assert lines[2 + len(EXPECTED_CHASE)] == f"3 e-mails ready in {tmp_path / 'eml'} (open, check and send them yourself)."
    # nil returns, received items and items not yet due are not chased
    assert "Probation" not in r.output and "Education" not in r.output and "Police" not in r.output


def _read_eml(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_chase_writes_one_eml_per_agency_listing_its_items(demo, tmp_path):
    out = tmp_path / "eml"
    r = scr("chase", str(demo), "--today", TODAY, "--out", str(out), "--sender", "business.unit@example.org")
    assert r.exit_code == 0, r.output
    files = sorted(out.glob("*.eml"))
    assert [f.name for f in files] == ["chase-Ambulance-Service.eml", "chase-GP-Service.eml",
                                       "chase-Health-Integrated-Care-Board.eml"]
    msgs = {f.name: _read_eml(f) for f in files}
    gp = msgs["chase-GP-Service.eml"]
    assert gp["To"] == "practice@gp.example.org"
    assert gp["From"] == "business.unit@example.org"
    assert gp["Subject"] == "Case review DEMO-01 (fictional): overdue from GP Service"
    body = gp.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Dear Practice manager,")
    assert gp["X-Unsent"] == "1"  # mail programs open it as a draft to check and send
    # the GP promised its chronology for 26/01/2026: reminded of its promise, not asked to promise again
    assert "  - Chronology: you promised it for 26/01/2026; that date passed 140 days ago" in body
    for label, due, late in (("Management report", "02/02/2026", 133), ("Action plan", "01/06/2026", 14)):
        assert f"  - {label}: due {due}, now {late} days late" in body
    assert body.rstrip().endswith("With thanks,\nBusiness Unit, Example Safeguarding Children Partnership")
    assert "password-protected" in body
    amb = msgs["chase-Ambulance-Service.eml"]
    amb_body = amb.get_body(preferencelist=("plain",)).get_content()
    assert amb["To"] == "safeguarding@ambulance.example.org"
    assert "Management report: you promised it for 16/02/2026; that date passed 119 days ago" in amb_body
    assert "Chronology" not in amb_body
    icb = msgs["chase-Health-Integrated-Care-Board.eml"]
    icb_body = icb.get_body(preferencelist=("plain",)).get_content()
    assert "Action plan: due 01/06/2026, now 14 days late" in icb_body
    assert "Management report (received 11/02/2026): the signed copy is still outstanding" in icb_body
    assert "Please send the signed copy by return." in icb_body
    # drafts only: no Date/Message-ID stamped by a mail server, nothing but files written
    assert all(m["Date"] is None and m["Message-ID"] is None for m in msgs.values())


def test_a_line_break_in_an_agency_name_changes_nothing_and_names_the_row(demo, tmp_path):
    """Issue 13 finding 13: the chase stopped part-way after deleting the previous e-mails, saying
    "Nothing was changed". Now it is refused before any e-mail is touched, naming the row."""
    import shutil

    from workbook.case import layout as L
    from workbook.case.read import locate
    from workbook.xlsx.patch import Patch
    case = tmp_path / demo.name
    shutil.copy2(demo, case)
    out = tmp_path / "eml"
    assert scr("chase", str(case), "--today", TODAY, "--out", str(out)).exit_code == 0
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    assert len(before) == 3
    import openpyxl
    loc = locate(openpyxl.load_workbook(case), L.AGENCIES_TABLE, case)
    ws = openpyxl.load_workbook(case)[L.AGENCIES]
    row = next(r for r in loc.rows if ws[f"{loc.cols['agency']}{r}"].value == "GP Service")
    p = Patch(case)
    p.set_cells(L.AGENCIES, {f"{loc.cols['agency']}{row}": "GP\nService"})
    p.save()
    r = CliRunner().invoke(main, ["chase", str(case), "--today", TODAY, "--out", str(out)])
    assert r.exit_code == 1 and r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output and "unexpected" not in r.output
    assert f"sheet 'Agencies', row {row}" in r.output and "line break" in r.output
    assert "earlier ones were left as they were" in r.output
    # every earlier e-mail is there, unchanged, and nothing else
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_a_second_chase_replaces_the_set_and_leaves_no_temp(demo, tmp_path):
    out = tmp_path / "eml"
    out.mkdir()
    (out / "chase-Old-Agency.eml").write_bytes(b"To: x@example.org\n\nno longer due")
    (out / ".chase.eml.k1l2m3.scr-tmp").write_bytes(b"a killed run's temp")
    (out / "notes.txt").write_text("the board manager's own file")
    assert scr("chase", str(demo), "--today", TODAY, "--out", str(out)).exit_code == 0
    assert sorted(f.name for f in out.iterdir()) == ["chase-Ambulance-Service.eml", "chase-GP-Service.eml",
                                                     "chase-Health-Integrated-Care-Board.eml", "notes.txt"]


def test_chase_sender_comes_from_the_board_settings(demo, tmp_path, monkeypatch):
    scr("chase", str(demo), "--today", TODAY, "--out", str(tmp_path / "a"))
    assert _read_eml(tmp_path / "a" / "chase-GP-Service.eml")["From"] == \
        "Example SCP Business Unit <reviews@partnership.example.org>"
    settings = tmp_path / "board.toml"
    settings.write_text('board = "Northshire Safeguarding Partnership"\n', encoding="utf-8")
    monkeypatch.setenv("SCR_SETTINGS", str(settings))
    scr("chase", str(demo), "--today", TODAY, "--out", str(tmp_path / "b"))
    msg = _read_eml(tmp_path / "b" / "chase-GP-Service.eml")
    assert msg["From"] is None  # no sender anywhere: the mail program fills it in
    assert "Business Unit, Northshire Safeguarding Partnership" in msg.get_body(preferencelist=("plain",)).get_content()


def test_chase_default_folder_is_beside_the_workbook(demo):
    r = scr("chase", str(demo), "--today", TODAY)
    assert r.exit_code == 0
    assert len(list((demo.parent / "chase").glob("*.eml"))) == 3


def test_chase_never_loads_a_mail_sender(demo, tmp_path):
    """Nothing is sent: the command never even imports smtplib (checked in a fresh process)."""
    code = ("import sys; from tracker.cli import main\n"
            f"try:\n    main(['chase', {str(demo)!r}, '--today', '{TODAY}', '--out', {str(tmp_path)!r}])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print('smtplib' in sys.modules, 'smtplib.SMTP' in str(sys.modules.get('smtplib')))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "False False"
    assert len(list(tmp_path.glob("*.eml"))) == 3


def test_nothing_to_chase(tmp_path):
    path = tmp_path / "Case.xlsx"
    assert scr("new", str(path), "--name", "X", "--day0", "01/06/2026").exit_code == 0
    r = scr("chase", str(path), "--today", "15/06/2026")
    assert r.exit_code == 0
    assert r.output.strip() == "Nothing to chase today (15/06/2026)."
    assert not (tmp_path / "chase").exists()
