"""Issue 9: a review as it really runs, in one case file, England today. The serious incident is
notified, the rapid review sent, the partners decide to hold an LCSPR (`scr record --done`), the
Panel agrees an extension (`scr extend`), the family is told; every date and status is right on the
Timescale and on the Front Sheet, and the three faces agree: the saved values, the add-in answering
the workbook's own formulas, and LibreOffice recalculating with every saved value replaced first.

Dates counted by hand (no bank holidays fall in November 2026):
  Day 0 Monday 02/11/2026. Notify the Panel: WORKDAY(02/11/2026, 5) = Monday 09/11/2026.
  Rapid review: WORKDAY(02/11/2026, 15) = Monday 23/11/2026; sent Friday 20/11/2026.
  Decision (same day as the rapid review actually sent): 20/11/2026; decided Monday 23/11/2026,
  3 days after. Publication: EDATE(23/11/2026, 6) = Sunday 23/05/2027; extended to 30/09/2027.
  Sent to the Panel and Secretary of State: WORKDAY(30/09/2027, -7) = Tuesday 21/09/2027.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from case_edits import fixed_case
from oracles.faces import faces_differ
from tracker.case import CaseData
from tracker.errors import ScrError
from tracker.frontsheet import events_for
from tracker.profiles import get_profile
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.read import locate, read_case
from workbook.commands.extend import extend
from workbook.commands.record import record
from workbook.commands.refresh import refresh
from workbook.xlsx.patch import Patch

D = dt.date
TODAY = D(2026, 12, 4)


def _front(path) -> dict[str, tuple]:
    """{event label: (planned, actual, status)} as saved on the Front Sheet."""
    wb = openpyxl.load_workbook(path, data_only=True)
    loc = locate(wb, L.FRONT_TABLE, path)
    ws = wb[loc.sheet]
    day = lambda v: v.date() if isinstance(v, dt.datetime) else v
    return {ws[f"{loc.cols['event']}{r}"].value: tuple(day(ws[f"{loc.cols[k]}{r}"].value) for k in ("planned", "actual", "status"))
            for r in loc.rows}


@pytest.fixture
def case(tmp_path):
    return fixed_case(tmp_path / "RR-01 case file.xlsx", CaseData("RR-01", "england-wt2023", D(2026, 11, 2), today=TODAY),
                      TODAY, {"notify-panel": {"actual": D(2026, 11, 6)}, "rapid-review": {"actual": D(2026, 11, 20)}})


def run_the_review(path):
    record(path, "decision", D(2026, 11, 23), "An LCSPR will be held", "the safeguarding partners",
           "the criteria are met and partners can learn about information sharing", done="lcspr-decision", today=TODAY)
    extend(path, "lcspr-published", D(2027, 9, 30), "the Panel", D(2026, 12, 1), "awaiting the criminal trial",
           today=TODAY)
    record(path, "family", D(2026, 11, 30), "Family told of the review and given the leaflet", "the lead reviewer",
           today=TODAY)
    wb = openpyxl.load_workbook(path)
    loc = locate(wb, L.FRONT_TABLE, path)
    ws = wb[loc.sheet]
    row = next(r for r in loc.rows if str(ws[f"{loc.cols['event']}{r}"].value).startswith("Family informed"))
    p = Patch(path)
    p.set_cells(loc.sheet, {f"{loc.cols['actual']}{row}": D(2026, 11, 30)})  # typed on the Front Sheet
    p.save(keep=0)
    refresh(path, today=TODAY)


def test_every_date_and_status_on_the_front_sheet(case):
    run_the_review(case)
    f = _front(case)
    assert f["Serious incident notified to the Child Safeguarding Practice Review Panel"] == (
        D(2026, 11, 9), D(2026, 11, 6), "done on time")
    assert f["Rapid review sent to the Panel"] == (D(2026, 11, 23), D(2026, 11, 20), "done on time")
    assert f["Partners' decision whether to hold an LCSPR, shared with the Panel"] == (
        D(2026, 11, 20), D(2026, 11, 23), "done 3 days late")
    assert f["Report published"] == (D(2027, 9, 30), None, "not yet due")
    assert f["Final report sent to the Panel and the Secretary of State"][0] == D(2027, 9, 21)
    assert f["Family informed of the review (by whom: Notes; leaflet given)"][1:] == (D(2026, 11, 30), "done on time")
    wb = openpyxl.load_workbook(case, data_only=True)
    loc = locate(wb, L.FRONT_TABLE, case)
    lines = [wb[loc.sheet][f"A{loc.last_row + k}"].value for k in (2, 3)]
    assert lines == [
        "Decision: 23/11/2026 An LCSPR will be held (the safeguarding partners); why: the criteria are met and "
        "partners can learn about information sharing",
        "Extensions agreed: lcspr-published to 30/09/2027 (was 23/05/2027), agreed by the Panel on 01/12/2026"]
    rec = read_case(case).record
    assert [(r["date"], r["kind"], r["who"]) for r in rec] == [
        (D(2026, 11, 23), "Decision", "the safeguarding partners"), (D(2026, 12, 1), "Extension agreed", "the Panel"),
        (D(2026, 11, 30), "Family", "the lead reviewer")]
    assert (rec[1]["was_due"], rec[1]["now_due"]) == (D(2027, 5, 23), D(2027, 9, 30))
    audit = [row[2] for row in wb[L.AUDIT].iter_rows(values_only=True)]
    assert {"recorded: Decision", "recorded: Family", "timescale extended: lcspr-published"} <= set(audit)


def test_the_three_faces_agree_on_the_front_sheet_after_the_review(case, tmp_path):
    run_the_review(case)
    assert faces_differ(case, tmp_path / "lo", "a rapid review become an LCSPR",
                        {L.FRONT_TABLE: ("planned", "actual", "status")}, compared=20, formulas=40) == []


def test_a_decision_typed_on_the_record_sheet_shows_on_the_front_sheet_after_a_refresh(case):
    wb = openpyxl.load_workbook(case)
    loc = locate(wb, L.RECORD_TABLE, case)
    p = Patch(case)
    r = loc.header_row + 1
    p.set_cells(L.RECORD, {f"{loc.cols['date']}{r}": D(2026, 11, 24), f"{loc.cols['kind']}{r}": "Decision",
                           f"{loc.cols['what']}{r}": "No LCSPR: learning taken through the rapid review",
                           f"{loc.cols['who']}{r}": "the safeguarding partners"})
    p.save(keep=0)
    refresh(case, today=TODAY)
    wb = openpyxl.load_workbook(case)
    fl = locate(wb, L.FRONT_TABLE, case)
    assert wb[L.FRONT][f"A{fl.last_row + 2}"].value == (
        "Decision: 24/11/2026 No LCSPR: learning taken through the rapid review (the safeguarding partners)")


def test_a_line_typed_over_the_decision_line_is_kept(case):
    wb = openpyxl.load_workbook(case)
    fl = locate(wb, L.FRONT_TABLE, case)
    p = Patch(case)
    p.set_cells(L.FRONT, {f"A{fl.last_row + 2}": "See the Chair's letter of 24/11/2026."})
    p.save(keep=0)
    record(case, "decision", D(2026, 11, 23), "An LCSPR will be held", "the safeguarding partners", today=TODAY)
    assert openpyxl.load_workbook(case)[L.FRONT][f"A{fl.last_row + 2}"].value == "See the Chair's letter of 24/11/2026."


@pytest.mark.parametrize("kind, what, by, done, said", [
    ("decison", "x", "the partners", "", "Did you mean 'Decision'?"),
    ("decision", " ", "the partners", "", "say what was decided or done"),
    ("decision", "An LCSPR", "", "", "say who decided or did it"),
    ("decision", "An LCSPR", "the partners", "lcspr-decsion", "Did you mean 'lcspr-decision'?"),
    ("decision", "An LCSPR", "the partners", "notify-panel", "already has the Actual 06/11/2026"),
])
def test_a_record_that_cannot_be_made_is_refused_and_nothing_changes(case, kind, what, by, done, said):
    before = case.read_bytes()
    with pytest.raises(ScrError) as e:
        record(case, kind, D(2026, 11, 23), what, by, done=done, today=TODAY)
    assert said in str(e.value) and case.name in str(e.value)
    assert case.read_bytes() == before


def test_the_front_sheet_of_every_profile_shows_its_own_events_with_planned_dates(tmp_path):
    from tracker.profiles import all_profiles
    for profile in all_profiles().values():
        path = tmp_path / f"{profile.id}.xlsx"
        results = write_new(path, CaseData("FS-01", profile.id, D(2026, 3, 2), today=D(2026, 3, 2)))
        f = _front(path)
        events = events_for(get_profile(profile.id))
        assert list(f) == [e.label for e in events], profile.id
        for e in (e for e in events if e.milestone):  # planned by its milestone: the Timescale's due date
            assert f[e.label][0] == (results.plan[e.milestone].due or None), (profile.id, e.label)
        dated = [e for e in events if isinstance(f[e.label][0], dt.date) and f[e.label][2] != "no date yet"]
        assert len(dated) >= 2, profile.id  # never a page of "no date yet" (LLR waits for its typed dates)


# ---- the same review on to its action plans: three update rounds, a sign-off, publication ----
ROUNDS = (D(2026, 12, 7), D(2027, 3, 8), D(2027, 6, 7))  # each sheet comes back 14 days after it went


def plans_case(tmp_path):
    from tracker.board import load_board
    agencies = [{"agency": a["name"], "involvement": "involved"} for a in load_board().agencies]
    actions = [{"action_id": aid, "rec_no": "1", "recommendation": "Share information at the front door",
                "agency": "Police", "action": action, "responsible": "Service manager", "target": D(2027, 6, 30),
                "agreed": D(2026, 12, 1), "status": "in progress"}
               for aid, action in (("1.1", "Review the referral pathway"), ("1.2", "Brief every response team"))]
    case = CaseData("RR-02", "england-wt2023", D(2026, 11, 2), today=TODAY, agencies=agencies, actions=actions)
    return fixed_case(tmp_path / "RR-02 case file.xlsx", case, TODAY,
                      {"notify-panel": {"actual": D(2026, 11, 6)}, "rapid-review": {"actual": D(2026, 11, 20)}})


def run_to_sign_off(path, tmp_path):
    from agency_return import fill
    from workbook.commands.import_returns import import_returns
    from workbook.commands.issue_updates import issue_updates
    from workbook.commands.sign_off import sign_off
    run_the_review(path)
    for n, day in enumerate(ROUNDS, 1):
        sheet = issue_updates(path, tmp_path / f"round{n}", agency="Police", today=day)[0]
        back = day + dt.timedelta(days=14)
        done = "complete - awaiting sign-off" if n == 3 else "in progress"
        rows = {aid: {"status": done if aid == "1.1" else "in progress", "progress": f"Round {n}: {aid} moving on.",
                      "date": dt.datetime.combine(back, dt.time())} for aid in sheet.actions}
        got = import_returns(path, [fill(sheet.path, tmp_path / f"back{n}.xlsx", rows)], today=back)
        assert [f.state for f in got.files] == ["applied"], got
    sign_off(path, "1.1", "the safeguarding partners", D(2027, 7, 1), "evidence seen: pathway audit", today=D(2027, 7, 1))
    record(path, "publication", D(2027, 9, 30), "Report published on the partnership's website", "the business manager",
           done="lcspr-published", today=D(2027, 9, 30))
    refresh(path, today=TODAY)


def test_the_review_runs_on_through_three_update_rounds_a_sign_off_and_publication(tmp_path):
    path = plans_case(tmp_path)
    run_to_sign_off(path, tmp_path)
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[L.ROUNDS]
    log = [r for r in ws.iter_rows(min_row=L.ROUNDS_TABLE.first_row, values_only=True) if r[0]]
    day = lambda v: v.date() if isinstance(v, dt.datetime) else v  # noqa: E731
    assert [(r[0], r[1], day(r[2])) for r in log] == [("Police", n, d) for n, d in enumerate(ROUNDS, 1)]
    assert all(day(r[5]) == d + dt.timedelta(days=14) for r, d in zip(log, ROUNDS))  # every round received
    case = read_case(path)
    police = next(a for a in case.agencies if a["agency"] == "Police")
    assert (police["update_1_requested"], police["update_2_requested"]) == ROUNDS[1:]  # the latest two
    by_id = {a["action_id"]: a for a in case.actions}
    assert by_id["1.1"]["status"] == "complete - signed off" and by_id["1.2"]["progress"] == "Round 3: 1.2 moving on."
    from tracker.case import compute
    rag = dict(zip([a["action_id"] for a in case.actions], (r.word for r in compute(case).actions)))
    assert rag["1.1"] == "Blue"
    f = _front(path)
    assert f["Report published"] == (D(2027, 9, 30), D(2027, 9, 30), "done on time")
    assert [r["kind"] for r in case.record][-1] == "Publication"


def test_the_three_faces_agree_after_the_action_plans_and_publication(tmp_path):
    path = plans_case(tmp_path)
    run_to_sign_off(path, tmp_path)
    assert faces_differ(path, tmp_path / "lo", "rapid review to LCSPR, three rounds, sign-off, publication",
                        {L.FRONT_TABLE: ("planned", "actual", "status"), L.ACTIONS_TABLE: ("rag",),
                         L.AGENCIES_TABLE: ("update_1_status", "update_2_status"),
                         L.TIMESCALE_TABLE: ("due", "status")}, compared=30, formulas=40) == []
