"""The portfolio's figures (tracker.portfolio), counted by hand from the calendar: one row per
review, timeliness by profile, and the annual report's financial year (April to March)."""
import datetime as dt

import pytest

from tracker.case import compute
from tracker.demo import demo_case
from tracker.errors import ScrError
from tracker.portfolio import annual_report, review, timeliness, year_of, year_span
from tracker.summary import overdue_milestones, status_data

from portfolio_cases import TODAY, icpc, rapid_review

D = dt.date


def row(case):
    return review(case, compute(case), f"{case.case_name}.xlsx")


def test_a_complete_review_counts_its_milestones_on_time_and_late():
    r = row(icpc())
    assert (r.status, r.overdue, r.next_label, r.next_due) == ("complete", 0, "", None)
    assert (r.on_time, r.late, r.days_late, r.completed) == (1, 1, 3, D(2026, 3, 26))
    assert r.stage.startswith("Date of conference")  # the last done, by its due date
    assert r.code == "ICPC-07" and r.file == "ICPC-07.xlsx"


def test_an_open_review_gives_its_overdue_milestones_and_the_next_one_due():
    r = row(rapid_review())
    assert (r.status, r.overdue, r.next_due) == ("overdue", 3, D(2026, 11, 17))
    assert r.next_label.startswith("Final report sent to the Panel")
    assert (r.on_time, r.late, r.completed, r.stage) == (0, 0, None, "")
    assert r.brag == {"Blue": 0, "Green": 0, "Amber": 0, "Red": 1}  # its target 20/05 passed
    [a] = r.actions
    assert (a["review"], a["action_id"], a["word"], a["overdue"]) == ("RR-12", "1.1", "Red", True)


def test_a_row_says_what_scr_status_says_of_the_case():
    case = demo_case(TODAY, fixed_today=True)
    results = compute(case)
    data = status_data(case, results)
    r = review(case, results, "Demo.xlsx")
    assert r.overdue == len(overdue_milestones(data)) > 0
    assert r.brag == data["actions"]["counts"] and sum(r.brag.values()) == len(r.actions) == 8


def test_timeliness_adds_up_each_profile():
    rows = {t["profile"]: t for t in timeliness([row(icpc()), row(rapid_review()), row(icpc())])}
    d = rows["durham-icpc"]
    assert (d["reviews"], d["on_time"], d["late"], d["days_late"], d["overdue"], d["on_time_pct"]) == (2, 2, 2, 6, 0, 50)
    e = rows["england-wt2023"]
    assert (e["reviews"], e["on_time"], e["late"], e["overdue"], e["on_time_pct"]) == (1, 0, 0, 3, None)
    assert list(rows) == ["durham-icpc", "england-wt2023"]


def test_the_annual_report_counts_the_financial_year():
    reviews = [row(icpc()), row(rapid_review()), row(demo_case(TODAY, fixed_today=True))]
    before = annual_report(reviews, "2025-26")  # 01/04/2025 to 31/03/2026
    by_type = {t["review_type"]: (t["started"], t["completed"]) for t in before["by_type"]}
    assert by_type["Initial Child Protection Conference (compliance)"] == (1, 1)
    assert by_type["Serious Case Review"] == (1, 0)  # the demo's Day 0 is 03/11/2025
    assert (before["started"], before["completed"]) == (2, 1)
    # The demo's one signed-off action had its last update on 04/05/2026: the next year's.
    assert (before["actions_completed"], before["actions_outstanding"]) == (0, 8)
    after = annual_report(reviews, "2026-27")
    assert (after["started"], after["completed"], after["actions_completed"]) == (1, 0, 1)
    assert len(after["outstanding"]) == after["actions_outstanding"] == 8  # 7 of the demo's, 1 of RR-12's


@pytest.mark.parametrize("text, span", [("2026-27", (D(2026, 4, 1), D(2027, 3, 31))),
                                        ("2026/2027", (D(2026, 4, 1), D(2027, 3, 31))),
                                        ("1999-00", (D(1999, 4, 1), D(2000, 3, 31)))])
def test_a_financial_year_runs_april_to_march(text, span):
    assert year_span(text) == span


@pytest.mark.parametrize("text", ["2026", "2026-28", "2026-2028", "26-27", "", None])
def test_a_year_that_is_not_a_financial_year_is_refused_with_the_form_to_use(text):
    with pytest.raises(ScrError, match="not a financial year") as e:
        year_span(text)
    assert "2026-27" in e.value.fix


def test_the_year_of_a_day_turns_on_1_april():
    assert (year_of(D(2026, 3, 31)), year_of(D(2026, 4, 1)), year_of(D(2099, 12, 1))) == ("2025-26", "2026-27", "2099-00")
