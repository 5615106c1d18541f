"""The case workbook is right WITHOUT the Python add-in.

Every computed cell is ``=IFERROR(<SCR_ worksheet function>, <native Excel formula>)`` with a
cached value written by Python. Two independent checks, both in LibreOffice (which knows no
SCR_ function, so there the native twin is what answers):

(a) Default settings (no recalculation): a CSV export of the Timescale, Agencies, Action Plan
    and Front Sheet shows exactly the dates (dd/mm/yyyy) and status words Python computed;
    no ``#NAME?`` and no ``Err:`` anywhere.
(b) Forced recalculation: first EVERY formula cell's saved value is replaced by a marker
    ("POISON", counted and asserted), so only LibreOffice's own recalculation can answer; then
    every computed cell - Timescale guide/due/status/flags, the Agencies' requested/due/status
    columns, Action Plan BRAG, Front Sheet planned/status - equals the Python value, and no cell
    still shows the marker, for the demo case and for seeded random cases over every built-in
    profile (Day 0 near Christmas and Easter, actuals/overrides/n/a, agency dates, actions in
    every state), plus a board's own profile that rolls dates off non-working days. Zero
    differences. A test with recalculation left off sees the marker everywhere and every
    comparison fail, which proves the others compare LibreOffice's answers, not Python's.

Many workbooks go through one LibreOffice run (``soffice --convert-to`` takes several files),
so the whole module costs a handful of runs.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import random
import re
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from dateutil.easter import easter

from libreoffice import require_soffice, write_profile
from tracker.excel_dates import fmt
from tracker.frontsheet import events_for
from tracker.profiles import INPUT, all_profiles, get_profile
from tracker.rag import ACTION_STATUSES
from tracker.receipts import RETURN_KEYS
from workbook.case import layout as L
from workbook.case.build import build_workbook
from tracker.case import CaseData, compute
from tracker.demo import demo_case

SEED = int(os.environ.get("SCR_TWINS_SEED", "20260615"))
TODAY = dt.date(2026, 6, 15)
# random cases per profile (twice that for the working-day profiles); SCR_TWINS_PER_PROFILE=40
# makes a deep run (~5 minutes) of the same test
PER_PROFILE = int(os.environ.get("SCR_TWINS_PER_PROFILE", "3"))
WORKING_DAY_PROFILES = ("england-wt2023", "essex-2016-referral", "llr", "durham-icpc")
XLSX_FILTER = "xlsx:Calc MS Excel 2007 XML"
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


pytestmark = pytest.mark.usefixtures("libreoffice_required")


# --------------------------------------------------------------------------- LibreOffice, batched


CHUNK = 60  # LibreOffice 7.4 silently stopped after 242 files in one run (exit 0, no message)


def lo_convert_many(files: list[Path], target: str, out_dir: Path, *, recalc: bool, timeout: float = 600) -> None:
    """Convert every file in ``files``, up to CHUNK per soffice run (``--convert-to`` takes many).

    Same profile set-up as tests/libreoffice.py: a private user profile, en-GB, and with
    ``recalc`` every formula recalculated on load (OOXMLRecalcMode 0); without it, LibreOffice's
    defaults (cached values shown as they are).
    """
    for i in range(0, len(files), CHUNK):
        _lo_run(files[i:i + CHUNK], target, out_dir, recalc=recalc, timeout=timeout)


def _lo_run(files: list[Path], target: str, out_dir: Path, *, recalc: bool, timeout: float) -> None:
    exe = require_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scr-lo-many-") as tmp:
        profile = write_profile(Path(tmp) / "profile", recalc=recalc)
        cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
               "--norestore", "--nolockcheck", "--nodefault", "--nologo", "--convert-to", target,
               "--outdir", str(out_dir), *map(str, files)]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        assert run.returncode == 0, run.stderr
        assert not re.search(r"^Error", run.stderr, re.M), run.stderr


# --------------------------------------------------------------------------- random cases


def _near_holidays(rng: random.Random) -> dt.date:
    """A Day 0 in 2001-2058, a third of them in the run-up to Christmas, a third around Easter."""
    year = rng.randint(2001, 2058)
    pick = rng.random()
    if pick < 1 / 3:
        return dt.date(year, 12, 1) + dt.timedelta(days=rng.randint(0, 30))
    if pick < 2 / 3:
        return easter(year) + dt.timedelta(days=rng.randint(-25, 10))
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))


def _maybe(rng, p, value):
    return value if rng.random() < p else None


NA_SPELLINGS = ("n/a", "N/A", " n/a ", "not applicable", "na", "Not Applicable")


def random_case(rng: random.Random, profile_id: str, n: int) -> CaseData:
    profile = get_profile(profile_id)
    day0 = _near_holidays(rng)
    nation = rng.choice(("england-and-wales", "england-and-wales", "scotland", "northern-ireland"))
    plan_guess = compute(CaseData("x", profile_id, day0, nation=nation, today=day0)).plan
    span = max([(p.due - day0).days for p in plan_guess.milestones if p.due] + [30])
    # "today" anywhere from just after Day 0 to a little after the last milestone
    today = day0 + dt.timedelta(days=rng.randint(-3, span + 60))
    around = lambda d, k=20: d + dt.timedelta(days=rng.randint(-k, k))  # noqa: E731
    closures = tuple(sorted({around(day0, 40) for _ in range(rng.randint(0, 3))}))
    actuals, overrides = {}, {}
    for p in plan_guess.milestones:
        m = p.milestone
        base = p.due or around(day0 + dt.timedelta(days=rng.randint(0, span)), 5)
        if m.start == INPUT and rng.random() < 0.8:
            overrides[m.id] = base
        elif rng.random() < 0.2:
            overrides[m.id] = around(base, 15)
        r = rng.random()
        if r < 0.35:
            actuals[m.id] = around(base, 12)
        elif r < 0.45:
            actuals[m.id] = rng.choice(NA_SPELLINGS)
    header = {}
    for name, *_ in L.AGENCY_HEADER_DATES:
        if rng.random() < 0.5:
            header[name] = around(day0 + dt.timedelta(days=rng.randint(0, span)), 10)
    agencies = []
    for i in range(rng.randint(2, 7)):
        row = {"agency": f"Agency {n}-{i}", "involvement": rng.choice(("involved",) * 5 + ("nil return", " Nil Return ")),
               "contact": f"Contact {i}", "email": f"a{i}@example.org"}
        for item in RETURN_KEYS:
            r = rng.random()
            if r < 0.3 and item in ("chronology", "management_report", "action_plan"):
                pass  # key absent: the 'requested' cell gets the header-letter formula
            elif r < 0.45:
                row[f"{item}_requested"] = None
            else:
                row[f"{item}_requested"] = around(today, 60)
            if rng.random() < 0.35:
                row[f"{item}_promised"] = around(today, 25)
            if rng.random() < 0.4:
                row[f"{item}_received"] = around(today, 40)
        if rng.random() < 0.5:
            row["report_signed_copy"] = around(today, 30)
        if rng.random() < 0.4:
            row["chronology_merged"] = around(today, 30)
        agencies.append(row)
    actions = []
    for i in range(rng.randint(3, 9)):
        status = rng.choice(ACTION_STATUSES + ("", " In Progress ", "COMPLETE - SIGNED OFF"))
        target = _maybe(rng, 0.85, around(today, 60))
        agreed = _maybe(rng, 0.7, today - dt.timedelta(days=rng.randint(0, 400)))
        last = _maybe(rng, 0.6, today - dt.timedelta(days=rng.randint(0, 250)))
        revised = _maybe(rng, 0.25, around(today, 60))
        actions.append({"action_id": f"{n}.{i}", "rec_no": str(i), "agency": f"Agency {n}-0",
                        "action": "Do the thing", "target": target, "agreed": agreed, "status": status or None,
                        "last_update": last, "revised_target": revised,
                        "revision_reason": "slipped" if revised else None})
    front_actuals, front_planned = {}, {}
    for ev in events_for(profile):
        key = ev.key
        if rng.random() < 0.4:
            front_actuals[key] = around(today, 40) if rng.random() < 0.85 else rng.choice(NA_SPELLINGS)
        if not ev.milestone and rng.random() < 0.5:
            front_planned[key] = around(today, 40)
    settings = {"DueSoon": rng.choice((0, 3, 7, 14)), "AmberDays": rng.choice((0, 14, 28, 45)),
                "CycleMonths": rng.choice((1, 2, 3, 6)), "RedCycles": rng.choice((1, 2, 3)),
                "UpdateDueDays": rng.choice((14, 28, 42))}
    return CaseData(case_name=f"RANDOM-{n:03d}", profile_id=profile_id, day0=day0, nation=nation, today=today,
                    settings=settings, closures=closures, overrides=overrides, actuals=actuals,
                    header_dates=header, agencies=agencies, actions=actions,
                    front_actuals=front_actuals, front_planned=front_planned)


ROLL_PROFILE = '''
id = "test-rolls"
name = "A board's own profile that rolls dates off non-working days (test only)"
board = "Test board"
review_type = "Test"
source = "tests/oracles/test_native_twins.py"
day0_label = "Referral"

[[milestone]]
id = "ack"
label = "Acknowledge within 10 calendar days, rolled to the next working day"
from = "day0"
offset = 10
unit = "days"
roll = "next"

[[milestone]]
id = "panel"
label = "Panel within 3 weeks of acknowledgement, rolled back to the previous working day"
from = "ack"
offset = 3
unit = "weeks"
basis = "actual"
roll = "previous"

[[milestone]]
id = "decision"
label = "Decision a month after the panel, rolled forward"
from = "panel"
offset = 1
unit = "months"
basis = "actual"
roll = "next"

[[milestone]]
id = "papers"
label = "Papers 5 working days before the decision"
from = "decision"
offset = 5
unit = "working_days"
direction = "before"

[[milestone]]
id = "meeting"
label = "A meeting date the board manager enters"
from = "input"

[[milestone]]
id = "minutes"
label = "Minutes 2 days after the meeting, rolled back"
from = "meeting"
offset = 2
unit = "days"
basis = "actual"
roll = "previous"

[returns]
chronology = "panel"
management_report = "decision"
action_plan = "minutes"

[front_sheet]
draft_considered_by_panel = "panel"
report_to_board = "decision"
'''


# --------------------------------------------------------------------------- what Python says


def python_values(case: CaseData) -> dict[tuple[str, int, str], object]:
    """{(sheet, row, column key): value} for every computed cell the comparison covers."""
    r = compute(case)
    out = {}
    ts = L.TIMESCALE_TABLE
    for i, p in enumerate(r.plan.milestones):
        row = ts.first_row + i
        out[(L.TIMESCALE, row, "guide")] = p.computed
        out[(L.TIMESCALE, row, "due")] = p.due
        out[(L.TIMESCALE, row, "status")] = r.timescale_status[p.id]
        out[(L.TIMESCALE, row, "flags")] = p.flag_text() or None
    ag = L.AGENCIES_TABLE
    for i, (data, res) in enumerate(zip(case.agencies, r.agencies)):
        row = ag.first_row + i
        for item in RETURN_KEYS:
            out[(L.AGENCIES, row, f"{item}_due")] = res.receipts[item].due
            out[(L.AGENCIES, row, f"{item}_status")] = res.statuses[item]
            if item in ("chronology", "management_report", "action_plan") and f"{item}_requested" not in data:
                out[(L.AGENCIES, row, f"{item}_requested")] = res.receipts[item].requested
    ac = L.ACTIONS_TABLE
    for i, res in enumerate(r.actions):
        out[(L.ACTIONS, ac.first_row + i, "rag")] = res.word
    fr = L.FRONT_TABLE
    for i, (ev, (key, planned, status)) in enumerate(zip(r.front_events, r.front)):
        out[(L.FRONT, fr.first_row + i, "planned")] = planned
        out[(L.FRONT, fr.first_row + i, "status")] = status
        if ev.follows:  # the Timescale's Actual, shown on the Front Sheet by a formula
            out[(L.FRONT, fr.first_row + i, "actual")] = r.front_done[key]
    return out


def _table(sheet: str) -> L.Table:
    return {t.sheet: t for t in L.TABLES}[sheet]


def _norm_xlsx(v):
    """A cell value read back from LibreOffice's .xlsx, in Python's terms."""
    if isinstance(v, dt.datetime):
        return v.date()
    if v == "":
        return None
    return v


def differences(case: CaseData, recalculated: Path) -> list[str]:
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    diffs = []
    for (sheet, row, key), want in python_values(case).items():
        col = _table(sheet).col(key)
        cell = wb[sheet].cell(row, col)
        got = _norm_xlsx(cell.value)
        if got != want:
            diffs.append(f"{case.case_name} ({case.profile_id}, Day 0 {fmt(case.day0)}, today {fmt(case.as_at)}, "
                         f"{case.nation}): {sheet}!{cell.coordinate} [{key}] native={got!r} python={want!r}")
    wb.close()
    return diffs


# --------------------------------------------------------------------------- (b) forced recalculation


def _build_all(cases: list[CaseData], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in cases:
        path = folder / f"{case.case_name}.xlsx"
        build_workbook(path, case)
        paths.append(path)
    return paths


MARKER = "POISON"


def poison(path: Path) -> int:
    """Replace the saved value of EVERY formula cell of the workbook with MARKER (the formula is
    kept), so only a real recalculation can bring any answer back. Returns how many."""
    from workbook.xlsx.patch import Formula, Patch
    wb = openpyxl.load_workbook(path, read_only=True)
    cells = {ws.title: {c.coordinate: Formula(c.value, MARKER) for row in ws.iter_rows() for c in row
                        if getattr(c, "data_type", None) == "f" and isinstance(c.value, str)}
             for ws in wb.worksheets}
    wb.close()
    p = Patch(path)
    for sheet, values in cells.items():
        if values:
            p.set_cells(sheet, values)
    p.save(keep=0)
    return sum(map(len, cells.values()))


def markers_left(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    left = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if getattr(c, "value", None) == MARKER]
    wb.close()
    return left


def formula_count(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    n = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if getattr(c, "data_type", None) == "f")
    wb.close()
    return n


def _recalc_and_compare(cases: list[CaseData], tmp: Path, *, recalc: bool = True) -> tuple[list[str], int]:
    """Build each case, poison every formula cell's saved value (asserted: all of them, and at
    least every computed cell compared), recalculate in LibreOffice, compare every computed cell
    (flags included) with Python's value. Nothing may still show the marker."""
    paths = _build_all(cases, tmp / "in")
    for case, path in zip(cases, paths):
        formulas = formula_count(path)
        poisoned = poison(path)
        assert poisoned == formulas, (path.name, poisoned, formulas)
        computed = sum(1 for (sheet, _, key) in python_values(case) if (sheet, key) != (L.FRONT, "planned"))
        assert poisoned >= computed, (path.name, poisoned, computed)
        assert len(markers_left(path)) == poisoned  # the file really holds the marker now
    lo_convert_many(paths, XLSX_FILTER, tmp / "out", recalc=recalc)
    diffs, compared = [], 0
    for case, path in zip(cases, paths):
        out = tmp / "out" / path.name
        assert out.exists(), f"LibreOffice did not convert {path.name}"
        diffs += differences(case, out)
        diffs += [f"{case.case_name}: {where} still shows {MARKER}" for where in markers_left(out)]
        compared += len(python_values(case))
    return diffs, compared


def test_demo_case_native_formulas_equal_python_after_forced_recalculation(tmp_path):
    case = demo_case(TODAY, fixed_today=True)
    diffs, compared = _recalc_and_compare([case], tmp_path)
    assert compared > 150
    assert diffs == []


def test_without_recalculation_the_marker_stays_and_the_comparison_fails(tmp_path):
    """The proof that the forced-recalculation tests see LibreOffice's own answers: with
    LibreOffice's default (never recalculate on load) the poisoned values stay, although the
    file says fullCalcOnLoad="1", and every computed cell compared is reported."""
    import zipfile
    case = demo_case(TODAY, fixed_today=True)
    path = _build_all([case], tmp_path / "probe")[0]
    assert 'fullCalcOnLoad="1"' in zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    diffs, compared = _recalc_and_compare([case], tmp_path, recalc=False)
    wb = openpyxl.load_workbook(path)
    computed = sum(1 for (sheet, row, key) in python_values(case)
                   if wb[sheet].cell(row, _table(sheet).col(key)).data_type == "f")
    reported = [d for d in diffs if f"native={MARKER!r}" in d]
    assert computed > 150 and len(reported) == computed, (len(reported), computed)
    assert len([d for d in diffs if d.endswith(f"still shows {MARKER}")]) == formula_count(path)


def test_random_cases_every_profile_native_formulas_equal_python(tmp_path):
    rng = random.Random(SEED)
    cases = []
    for pid in sorted(all_profiles()):
        k = PER_PROFILE * (2 if pid in WORKING_DAY_PROFILES else 1)
        for _ in range(k):
            cases.append(random_case(rng, pid, len(cases)))
    # the random inputs reach every status word (else zero differences would prove little)
    words = {re.sub(r"\d+ days?", "N days", v) for c in cases for v in python_values(c).values() if isinstance(v, str)}
    assert words >= {"done N days late", "done on time", "due in N days", "no date yet", "not applicable",
                     "not yet due", "overdue by N days", "due soon", "nil return", "not requested",
                     "overdue N days — chase", "promised", "received N days late", "received on time", "requested",
                     "signed copy outstanding", "Blue", "Green", "Amber", "Red"}, words
    diffs, compared = _recalc_and_compare(cases, tmp_path)
    print(f"{len(cases)} random cases, {compared} computed cells compared")
    assert compared > 100 * len(cases)  # ~110 computed cells a case
    assert not diffs, f"{len(diffs)} differences:\n" + "\n".join(diffs[:60])


def test_board_profile_with_rolls_native_formulas_equal_python(tmp_path, monkeypatch):
    """No built-in profile rolls a date; a board's own may, and the native WORKDAY-based roll
    (WORKDAY(x-1,1) forward, WORKDAY(x+1,-1) back) must land where Python's roll does."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "test-rolls.toml").write_text(ROLL_PROFILE, encoding="utf-8")
    monkeypatch.setenv("SCR_PROFILES_DIR", str(folder))
    rng = random.Random(SEED + 1)
    cases = [random_case(rng, "test-rolls", n) for n in range(16)]
    # the rolls must have happened, or this test proved nothing
    rolled = sum(any("moved from" in f for p in compute(c).plan.milestones for f in p.flags) for c in cases)
    assert rolled >= 5
    diffs, compared = _recalc_and_compare(cases, tmp_path)
    assert not diffs, "\n".join(diffs[:60])


# --------------------------------------------------------------------------- (a) default settings


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _shown(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return fmt(v)
    return str(v)


def test_default_settings_csv_shows_python_dates_and_words(tmp_path):
    rng = random.Random(SEED + 2)
    cases = [demo_case(TODAY, fixed_today=True)]
    for pid in ("rotherham-2009", "england-wt2023", "llr", "essex-2016-scr"):
        cases.append(random_case(rng, pid, len(cases)))
    paths = _build_all(cases, tmp_path / "in")
    lo_convert_many(paths, CSV_ALL_SHEETS, tmp_path / "csv", recalc=False)
    checked = 0
    for case, path in zip(cases, paths):
        sheets = {}
        for sheet in (L.TIMESCALE, L.AGENCIES, L.ACTIONS, L.FRONT):
            f = tmp_path / "csv" / f"{path.stem}-{sheet}.csv"
            assert f.exists(), f"no CSV for {sheet}"
            sheets[sheet] = _read_csv(f)
            text = f.read_text(encoding="utf-8")
            assert "#NAME?" not in text and "Err:" not in text and "#VALUE!" not in text, sheet
        for (sheet, row, key), want in python_values(case).items():
            col = _table(sheet).col(key)
            line = sheets[sheet][row - 1]
            got = line[col - 1] if col - 1 < len(line) else ""
            assert got == _shown(want), f"{case.case_name} {sheet} row {row} {key}: shown {got!r}, python {want!r}"
            checked += 1
        # the headers are where the layout says (so the comparison above looked at the right cells)
        for t in (L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE, L.FRONT_TABLE):
            header = sheets[t.sheet][t.header_row - 1]
            assert header[t.first_col - 1: t.first_col - 1 + len(t.columns)] == [c.header for c in t.columns]
    assert checked > 500


# --------------------------------------------------------------------------- known differences (bugs)


def test_working_days_near_the_ends_of_the_holiday_list(tmp_path):
    cases = [CaseData("EDGE-2060", "england-wt2023", dt.date(2060, 12, 20), today=dt.date(2061, 1, 5)),
             CaseData("EDGE-1999", "durham-icpc", dt.date(1999, 12, 20), today=dt.date(2000, 1, 5))]
    diffs, _ = _recalc_and_compare(cases, tmp_path)
    assert diffs == []


def test_status_spellings_python_accepts_give_the_same_brag_natively(tmp_path):
    spellings = ["Closed", "done", "signed off", "Complete", "complete - signed-off", "evidence accepted"]
    actions = [{"action_id": str(i), "status": s, "target": dt.date(2026, 1, 1), "last_update": dt.date(2025, 1, 1)}
               for i, s in enumerate(spellings)]
    case = CaseData("ALIASES", "rotherham-2009", dt.date(2025, 6, 1), today=TODAY, actions=actions)
    assert [a.word for a in compute(case).actions] == ["Blue", "Green", "Blue", "Green", "Blue", "Blue"]
    diffs, _ = _recalc_and_compare([case], tmp_path)
    assert diffs == []


def test_status_words_in_any_case_give_the_same_brag_natively(tmp_path):
    """The drop-down words typed in another case or with spaces: Excel and LibreOffice compare
    text without case, as Python's parse_status does."""
    spellings = ["COMPLETE - SIGNED OFF", " complete - awaiting sign-off ", "Not Started", "IN PROGRESS", ""]
    actions = [{"action_id": str(i), "status": s, "target": dt.date(2026, 1, 1), "last_update": dt.date(2025, 1, 1)}
               for i, s in enumerate(spellings)]
    case = CaseData("CASES", "rotherham-2009", dt.date(2025, 6, 1), today=TODAY, actions=actions)
    assert [a.word for a in compute(case).actions] == ["Blue", "Green", "Red", "Red", "Red"]
    diffs, _ = _recalc_and_compare([case], tmp_path)
    assert diffs == []
