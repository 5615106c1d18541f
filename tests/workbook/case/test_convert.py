"""`scr convert` (issue 9 item 1): a review continues as another kind in the same case file, and
nothing typed is lost: the agencies, actions, people and meetings as they were, the Updates and
Audit logs row for row, each milestone both profiles have with its Actual, the earlier stage's
milestones on the Record sheet with their dates, the typed front-sheet rows; the old file is the
backup; and the three faces agree on the rebuilt file. What cannot be carried is refused first."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from oracles.faces import faces_differ
from tracker.case import CaseData, compute
from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.logs import meetings
from workbook.case.read import Reader, locate, read_case
from workbook.commands.convert import convert
from workbook.commands.demo import run_demo
from workbook.commands.record import record

D = dt.date
TODAY = D(2026, 12, 4)


def _table(path, t):
    wb = openpyxl.load_workbook(path)
    loc = locate(wb, t, path)
    ws = wb[loc.sheet]
    return [tuple(ws[f"{loc.cols[c.key]}{r}"].value for c in t.columns if c.key in loc.cols) for r in loc.rows]


@pytest.fixture
def demo(tmp_path):
    return run_demo(tmp_path / "demo", TODAY).path  # Rotherham's p.57 SCR, with updates and meetings


def test_an_scr_continued_under_todays_guidance_keeps_everything_typed(demo):
    before_bytes, before = demo.read_bytes(), read_case(demo)
    old = compute(before)
    updates, rounds, audit = (_table(demo, t) for t in (L.UPDATES_TABLE, L.ROUNDS_TABLE, L.AUDIT_TABLE))
    assert len(rounds) >= 3  # the demo's agency asked three times
    done = convert(demo, "england-wt2023", by="the safeguarding partners", on=D(2026, 12, 1),
                   why="reviewed under Working Together 2023", today=TODAY)
    assert (done.was, done.now, done.kept) == ("rotherham-2009", "england-wt2023", len(old.plan.milestones))
    assert done.backup.read_bytes() == before_bytes  # the file as it was
    after = read_case(demo)
    assert after.profile_id == "england-wt2023" and after.day0 == before.day0
    strip = lambda rows: [{k: v for k, v in r.items() if k != "_row"} for r in rows]  # noqa: E731
    assert strip(after.agencies) == strip(before.agencies) and strip(after.actions) == strip(before.actions)
    assert after.people == before.people and after.settings == before.settings
    assert _table(demo, L.UPDATES_TABLE) == updates and _table(demo, L.ROUNDS_TABLE) == rounds  # row for row
    got = _table(demo, L.AUDIT_TABLE)
    assert got[:-1] == audit and got[-1][1:3] == ("convert", "review converted to england-wt2023")
    assert len(meetings(Reader(demo))) == len(meetings(Reader(done.backup)))
    assert after.record[:len(before.record)] == before.record  # the demo's own entries, then the conversion's
    rec = after.record[len(before.record):]
    assert rec[0]["kind"] == "Review converted" and rec[0]["who"] == "the safeguarding partners"
    assert rec[0]["what"].startswith("Converted from rotherham-2009 (Serious Case Review) to england-wt2023")
    kept = {r["milestone"]: r for r in rec[1:]}
    assert set(kept) == {p.id for p in old.plan.milestones}
    refer = next(p for p in old.plan.milestones if p.id == "refer-standing-panel")
    assert kept["refer-standing-panel"]["was_due"] == refer.due
    assert f"(done: {refer.actual.strftime('%d/%m/%Y')})" in kept["refer-standing-panel"]["what"]
    # the p.57 rows with a typed Actual are rows of their own, their dates as typed
    front = {e.label: e for e in compute(after).front_events}
    assert after.front_actuals[front["Critical incident"].key] == before.front_actuals["critical_incident"]
    assert "Serious incident notified to the Child Safeguarding Practice Review Panel" in front


def test_the_three_faces_agree_on_the_converted_file(demo, tmp_path):
    convert(demo, "england-wt2023", by="the safeguarding partners", today=TODAY)
    assert faces_differ(demo, tmp_path / "lo", "converted",
                        {L.FRONT_TABLE: ("planned", "status"), L.TIMESCALE_TABLE: ("due", "status")},
                        compared=50, formulas=50) == []


def test_a_referral_becomes_the_scr_that_follows_it_and_the_decision_plans_the_review(tmp_path):
    path = tmp_path / "ESX-01 case file.xlsx"
    write_new(path, CaseData("ESX-01", "essex-2016-referral", D(2026, 3, 2), today=TODAY))
    record(path, "decision", D(2026, 5, 20), "An SCR will be held", "the Independent Chair", done="chair-considers",
           today=TODAY)
    convert(path, "essex-2016-referral-then-scr", by="the Independent Chair", on=D(2026, 5, 20), today=TODAY)
    case = read_case(path)
    assert case.actuals == {"chair-considers": D(2026, 5, 20)}  # kept: the new profile has the milestone
    plan = compute(case).plan
    # seed 004 stage 1 "Week 3", from the Chair's decision: 20/05/2026 + 21 days; 6 months: EDATE
    assert (plan["scoping"].due, plan["review-complete"].due) == (D(2026, 6, 10), D(2026, 11, 20))
    assert [r["kind"] for r in case.record] == ["Decision", "Review converted"]  # nothing of the referral dropped


@pytest.mark.parametrize("spoil, said", [
    ("sheet", "has sheet(s) the tracker did not make (My notes)"),
    ("column", "the table 'Agencies' has a column the tracker did not make"),
    ("same", "already follows profile 'rotherham-2009'"),
    ("nobody", "say who decided the conversion"),
    ("unknown", "'nowhere' is not known"),
])
def test_what_a_conversion_cannot_carry_is_refused_and_nothing_changes(demo, spoil, said):
    to, by = "england-wt2023", "the partners"
    if spoil == "sheet":
        wb = openpyxl.load_workbook(demo)
        wb.create_sheet("My notes")
        wb.save(demo)
    elif spoil == "column":
        wb = openpyxl.load_workbook(demo)
        ws, t = wb[L.AGENCIES], wb[L.AGENCIES].tables["Agencies"]
        c1, r1, c2, r2 = openpyxl.utils.range_boundaries(t.ref)
        ws.cell(r1, c2 + 1, "My column")
        t.ref = f"{openpyxl.utils.get_column_letter(c1)}{r1}:{openpyxl.utils.get_column_letter(c2 + 1)}{r2}"
        wb.save(demo)
    to = {"same": "rotherham-2009", "unknown": "nowhere"}.get(spoil, to)
    by = "" if spoil == "nobody" else by
    before = demo.read_bytes()
    with pytest.raises(ScrError) as e:
        convert(demo, to, by=by, today=TODAY)
    assert said in str(e.value), str(e.value)
    assert demo.read_bytes() == before


def test_a_case_with_buttons_is_not_converted(tmp_path):
    path = tmp_path / "BTN-01.xlsm"
    path.write_bytes(b"not read")
    with pytest.raises(ScrError) as e:
        convert(path, "england-wt2023", by="the partners", today=TODAY)
    assert "a case with buttons (.xlsm) is rebuilt without them" in str(e.value)
    assert path.read_bytes() == b"not read"
