"""The portfolio's figures (tracker.portfolio), counted by hand from the calendar: one row per
review, timeliness by profile, and the annual report's financial year (April to March)."""
import datetime as dt

import pytest

from tracker.case import compute
from tracker.demo import demo_case
from tracker.errors import ScrError
from tracker.portfolio import (CONVERTED, RAPID_ONLY, annual_report, by_year, durations, review, split_themes, themes,
                               timeliness, year_of, year_span)
from tracker.summary import overdue_milestones, status_data

from portfolio_cases import TODAY, converted, icpc, published_icpc, rapid_only, rapid_review

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


# ---- kinds, extensions, slippage, publication and themes (hand counts in tests/portfolio_cases.py) ----

def test_a_rapid_review_is_converted_once_the_partners_decide_to_hold_a_practice_review():
    assert row(converted()).kind == CONVERTED
    assert row(rapid_only()).kind == RAPID_ONLY  # the practice review n/a
    assert row(rapid_review()).kind == RAPID_ONLY  # no decision yet
    assert row(icpc()).kind == "Initial Child Protection Conference (compliance)"  # no rapid review: the profile's


def test_an_override_later_than_the_profile_date_is_an_extension_and_the_original_dates_ignore_it():
    r = row(converted())
    assert (r.extensions, r.extension_days) == (1, 61)
    # the original end is the profile's publication date; the Panel's 7 working days before the
    # overridden one (11/11/2026) does not count as original
    assert r.original_end == D(2026, 9, 20)
    assert (r.completed, r.days_taken, r.slippage) == (None, None, None)  # open, not yet past the end
    assert (r.rapid_review, r.rapid_on_time) == (D(2026, 3, 20), True)


def test_a_late_rapid_review_is_not_within_15_working_days_and_its_slippage_is_counted():
    r = row(rapid_only())
    assert (r.rapid_review, r.rapid_on_time) == (D(2026, 5, 29), False)
    assert (r.status, r.completed, r.days_taken, r.original_end, r.slippage) == (
        "complete", D(2026, 5, 29), 25, D(2026, 5, 26), 3)
    assert row(rapid_review()).rapid_on_time is None  # not done yet: neither within nor late


def test_publication_comes_from_settings_or_else_the_publication_milestone():
    r = row(published_icpc())
    assert (r.published, r.link, r.briefing, r.themes) == (
        D(2026, 4, 15), '=HYPERLINK("http://x.example")', "Key learning: see the child.", ["Neglect"])
    case = converted()
    case.actuals = {**case.actuals, "lcspr-published": D(2026, 11, 19)}
    assert row(case).published == D(2026, 11, 19)
    assert row(converted()).published is None


def test_themes_are_split_on_semicolons_tidied_and_once_each():
    assert split_themes(" Neglect;  information  sharing ;neglect;;") == ["Neglect", "information sharing"]
    assert split_themes(None) == [] and split_themes("") == []


def test_themes_count_the_reviews_and_recommendations_behind_each_and_name_one_not_on_the_list():
    rows = {t["theme"]: t for t in themes([row(converted()), row(published_icpc()), row(rapid_only())],
                                          ["Neglect", "Information sharing", "Online harm"])}
    assert (rows["Neglect"]["reviews"], rows["Neglect"]["recommendations"]) == (["CV-03", "ICPC-07"], 0)
    # the review's own tag, and recommendations 1 and 2 ("information sharing" is the same theme)
    assert (rows["Information sharing"]["reviews"], rows["Information sharing"]["recommendations"]) == (["CV-03"], 2)
    assert (rows["Made-up theme"]["listed"], rows["Made-up theme"]["recommendations"]) == (False, 1)
    assert rows["Online harm"]["reviews"] == [] and rows["Online harm"]["listed"]
    assert list(rows)[0] == "Neglect"  # most reviews first


def test_by_year_counts_rapid_reviews_within_15_working_days_duration_publication_and_slippage():
    years = {y["year"]: y for y in by_year([row(published_icpc()), row(converted()), row(rapid_only()),
                                            row(rapid_review())])}
    a = years["2025-26"]  # ICPC-07 and CV-03 (Day 0 02/03/2026)
    assert (a["reviews"], a["rapid_done"], a["rapid_within"], a["rapid_pct"]) == (2, 1, 1, 100)
    assert (a["completed"], a["months"], a["published"], a["to_publication"]) == (1, 0.8, 1, 1.4)  # 24 d; 44 d
    assert (a["extension_days"], a["slippage"]) == (61, 3.0)
    b = years["2026-27"]  # RO-05 and RR-12 (Day 0 04/05/2026)
    assert (b["reviews"], b["rapid_done"], b["rapid_within"], b["rapid_pct"]) == (2, 1, 0, 0)
    assert (b["completed"], b["months"], b["published"], b["to_publication"], b["slippage"]) == (1, 0.8, 0, None, 3.0)


def test_durations_by_kind_of_review():
    d = {x["kind"]: x for x in durations([row(rapid_only()), row(rapid_review()), row(converted())])}
    assert (d[RAPID_ONLY]["reviews"], d[RAPID_ONLY]["completed"], d[RAPID_ONLY]["average"]) == (2, 1, 0.8)
    assert (d[CONVERTED]["completed"], d[CONVERTED]["average"], d[CONVERTED]["longest"]) == (0, None, None)
    assert (d[RAPID_ONLY]["published"], d[RAPID_ONLY]["to_publication"]) == (0, None)


def test_time_to_publication_by_kind_of_review():
    # published_icpc: Day 0 02/03/2026, published 15/04/2026: 44 days, 1.4 months
    d = {x["kind"]: x for x in durations([row(published_icpc()), row(icpc()), row(rapid_only())])}
    icpc_kind = row(icpc()).kind
    assert (d[icpc_kind]["reviews"], d[icpc_kind]["published"], d[icpc_kind]["to_publication"]) == (2, 1, 1.4)


def test_the_annual_report_counts_publications_by_kind():
    a = annual_report([row(published_icpc()), row(converted()), row(rapid_only())], "2026-27")
    kinds = {t["review_type"]: (t["started"], t["completed"], t["published"]) for t in a["by_type"]}
    assert kinds == {"Initial Child Protection Conference (compliance)": (0, 0, 1), CONVERTED: (0, 0, 0),
                     RAPID_ONLY: (1, 1, 0)}  # published 15/04/2026; RO-05 started and completed in May 2026
    assert a["published"] == 1


def test_the_notification_date_is_the_notify_milestones_actual_where_the_profile_has_one():
    assert row(converted()).notified == dt.date(2026, 3, 6)  # England: notified to the Panel on 06/03
    assert row(rapid_only()).notified == dt.date(2026, 5, 8)  # RO-05: notified on 08/05
    assert row(icpc()).notified is None  # an ICPC has no such step
