"""The Board report's roll-ups, counted by hand: BRAG per agency and per recommendation, the worst
word, overdue and ready-for-sign-off counts; the updates since the last report; the month ends."""
import datetime as dt

from tracker.progress import changes_since, month_ends
from workbook.board_report.write import rollups

D = dt.date
ROWS = [  # agency, recommendation, BRAG word, overdue, ready
    {"agency": "Police", "rec_no": "1", "recommendation": "Share information", "word": "Green", "overdue": False, "ready": True},
    {"agency": "Police", "rec_no": "2", "recommendation": "Hear the child", "word": "Red", "overdue": True, "ready": False},
    {"agency": "Police", "rec_no": "10", "recommendation": "Escalate", "word": "Amber", "overdue": False, "ready": False},
    {"agency": "Health", "rec_no": "1", "recommendation": "Share information", "word": "Blue", "overdue": False, "ready": False},
    {"agency": "Health", "rec_no": "2", "recommendation": "Hear the child", "word": "Red", "overdue": True, "ready": False},
    {"agency": "Schools", "rec_no": "2", "recommendation": "Hear the child", "word": "Green", "overdue": False, "ready": False},
]


def test_by_agency_counts_each_word_the_worst_overdue_and_ready():
    by_agency, _ = rollups(ROWS)
    assert list(by_agency.index) == ["Health", "Police", "Schools"]  # sorted by name
    police = by_agency.loc["Police"]
    assert (police["Actions"], police["Blue"], police["Green"], police["Amber"], police["Red"]) == (3, 0, 1, 1, 1)
    assert (police["Worst"], police["Overdue"], police["Ready for sign-off"]) == ("Red", 1, 1)
    health = by_agency.loc["Health"]
    assert (health["Actions"], health["Blue"], health["Red"], health["Worst"], health["Overdue"]) == (2, 1, 1, "Red", 1)
    schools = by_agency.loc["Schools"]
    assert (schools["Actions"], schools["Green"], schools["Worst"], schools["Overdue"]) == (1, 1, "Green", 0)
    assert by_agency["Actions"].sum() == len(ROWS)


def test_by_recommendation_in_number_order_with_its_agencies():
    _, by_rec = rollups(ROWS)
    assert list(by_rec.index) == ["1", "2", "10"]  # 10 after 2, not after 1
    two = by_rec.loc["2"]
    assert (two["Actions"], two["Green"], two["Red"], two["Worst"], two["Overdue"]) == (3, 1, 2, "Red", 2)
    assert two["Agencies"] == "Health, Police, Schools" and two["Recommendation"] == "Hear the child"
    one = by_rec.loc["1"]
    assert (one["Actions"], one["Blue"], one["Green"], one["Worst"], one["Ready for sign-off"]) == (2, 1, 1, "Green", 1)


def test_changes_since_the_last_report_go_by_the_date_recorded():
    log = [{"date": D(2026, 5, 1), "recorded": D(2026, 5, 3)}, {"date": D(2026, 5, 10), "recorded": None},
           {"date": D(2026, 4, 1), "recorded": D(2026, 5, 20)}, {"date": D(2026, 4, 30), "recorded": D(2026, 5, 2)}]
    assert len(changes_since(log, None)) == 4
    assert changes_since(log, D(2026, 5, 2)) == [log[0], log[1], log[2]]  # recorded after; no record: its date


def test_month_ends_up_to_the_as_at_date():
    assert month_ends(D(2026, 1, 15), D(2026, 4, 10)) == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 10)]
    assert month_ends(D(2024, 2, 1), D(2024, 2, 29)) == [D(2024, 2, 29)]  # the as-at date is the last point
