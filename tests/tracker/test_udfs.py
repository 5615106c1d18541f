"""Every worksheet function, called the way Excel calls it through xlwings' Office.js dispatcher.

Excel sends dates as serial numbers, a single cell as [[v]], a range as a 2-D list and an empty
cell as "" (or null); results come back as Office.js values (dates as FormattedNumber). Classic
xlwings on Windows instead passes datetimes and None; those calls are made directly on the
decorated functions. Expected dates are worked out by hand in the comments.

Errors: an input error (text in a date cell, an unknown word) is the cell's message, "Error: ...";
anything else raises (Office.js shows #VALUE! with the message), so a case workbook's IFERROR
hands the cell to its native twin.
"""
from datetime import date, datetime

import pytest

from dispatch import call, cell, meta, value, xl
from tracker import udfs
from tracker.errors import ScrError

D = date
ROTHERHAM = "rotherham-2009"

# The printed example of Rotherham's Timescale Guide (seed 001 §3.1) with Day 0 = 01/01/2008:
# each row is Day 0 + 7 x weeks calendar days.
ROTHERHAM_2008 = {
    "refer-standing-panel": D(2008, 1, 8),      # 1 week
    "panel-recommends": D(2008, 1, 29),         # end week 4
    "agencies-informed": D(2008, 2, 5),         # end week 5
    "panel-meetings-arranged": D(2008, 2, 12),  # end week 6
    "chronologies-in": D(2008, 3, 4),           # end week 9 (the printed 07-Mar was a hand edit)
    "management-reports-in": D(2008, 3, 18),    # end week 11
    "draft-overview-report": D(2008, 4, 8),     # end week 14
    "report-to-board": D(2008, 5, 20),          # end week 20
    "executive-summary": D(2008, 6, 3),         # end week 22
    "action-plans-qa": D(2008, 7, 15),          # end week 28
    "progress-check": D(2008, 10, 7),           # end week 40
}


def v(name, *args):
    """Call through the dispatcher with Python values and unwrap the Office.js result."""
    return value(xl(name, *args))


def col(*items):
    """A one-column range as Excel sends it."""
    return [[cell(x)[0][0]] for x in items]


def assert_error(result, *fragments):
    assert isinstance(result, str), result
    assert result.startswith("Error: "), result
    assert "Traceback" not in result and "\n" not in result, result
    for f in fragments:
        assert f in result, (f, result)


def assert_raises(name, *args, fragments=()):
    """The function raises (so IFERROR falls back), with a sentence and no traceback."""
    with pytest.raises(ScrError) as e:
        v(name, *args)
    text = str(e.value)
    assert "Traceback" not in text and "\n" not in text, text
    for f in fragments:
        assert f in text, (f, text)


def test_dispatch_sends_dates_as_serials():
    assert cell(D(2008, 1, 1)) == [[39448]]
    assert cell(None) == [[""]]
    assert xl("SCR_DEADLINE", D(2008, 1, 1), "panel-recommends", ROTHERHAM) == \
        [[{"type": "FormattedNumber", "basicValue": 39476.0, "numberFormat": "dd/mm/yyyy"}]]


# ---- SCR_DEADLINE --------------------------------------------------------------------------

@pytest.mark.parametrize("milestone, due", ROTHERHAM_2008.items())
def test_deadline_rotherham_printed_example(milestone, due):
    assert v("SCR_DEADLINE", D(2008, 1, 1), milestone, ROTHERHAM) == due


def test_deadline_milestone_ids_ignore_case_and_spaces():
    assert v("SCR_DEADLINE", D(2008, 1, 1), "  Panel-Recommends ", ROTHERHAM) == D(2008, 1, 29)


def test_deadline_override_reproduces_the_hand_edited_row():
    assert v("SCR_DEADLINE", D(2008, 1, 1), "chronologies-in", ROTHERHAM, None,
             [["chronologies-in", D(2008, 3, 7)]]) == D(2008, 3, 7)


def test_deadline_replans_from_an_actual_date():
    # the panel meets within two weeks of the Chair's actual referral (10/01/2008 + 14 days)
    assert v("SCR_DEADLINE", D(2008, 1, 1), "text-panel-meets", ROTHERHAM) == D(2008, 1, 22)
    assert v("SCR_DEADLINE", D(2008, 1, 1), "text-panel-meets", ROTHERHAM,
             [["text-chair-refers", D(2008, 1, 10)]]) == D(2008, 1, 24)


def test_deadline_months_are_edate():
    # decision within one month of Day 0: 31/01/2008 + 1 month = 29/02/2008 (leap year)
    assert v("SCR_DEADLINE", D(2008, 1, 31), "text-decision", ROTHERHAM) == D(2008, 2, 29)


def test_deadline_working_days_skip_christmas():
    # Working Together: notify within 5 working days of 20/12/2024 (Fri): 23, 24, 27, 30, 31 Dec
    assert v("SCR_DEADLINE", D(2024, 12, 20), "notify-panel", "england-wt2023") == D(2024, 12, 31)
    # rapid review within 15: ... 31/12 (5), 2, 3 Jan (7), 6-10 (12), 13, 14, 15 (15)
    assert v("SCR_DEADLINE", D(2024, 12, 20), "rapid-review", "england-wt2023") == D(2025, 1, 15)
    # in Scotland 2 January is a bank holiday too
    assert v("SCR_DEADLINE", D(2024, 12, 20), "rapid-review", "england-wt2023", None, None, "scotland") == \
        D(2025, 1, 16)


def test_deadline_column_of_day0s():
    got = v("SCR_DEADLINE", col(D(2008, 1, 1), "", None, "31/02/2008", D(2008, 2, 1), "15/03/2008"),
            "panel-recommends", ROTHERHAM)
    assert len(got) == 6
    assert got[0] == [D(2008, 1, 29)]
    assert got[1] == [""] and got[2] == [""]
    assert_error(got[3][0], "Day 0 '31/02/2008' is not a date")
    assert got[4] == [D(2008, 2, 29)]
    # text that looks like a date is still text: the native twin (ISNUMBER) could not read it either
    assert got[5] == ["Error: Day 0 '15/03/2008' is not a date. Fix: Enter a date (dd/mm/yyyy) so the cell "
                      "holds a date, not text."]


def test_deadline_column_of_milestones_is_a_timescale_sheet():
    ids = list(ROTHERHAM_2008)
    got = v("SCR_DEADLINE", D(2008, 1, 1), col(*ids, "", "chair-signs-off", "no-such-step"), ROTHERHAM)
    assert [r[0] for r in got[:len(ids)]] == list(ROTHERHAM_2008.values())
    assert got[len(ids)] == [""]        # blank milestone row
    assert got[len(ids) + 1] == [""]    # the Chair's sign-off has no computed date
    assert_error(got[-1][0], "'no-such-step'", "panel-recommends")


def test_deadline_blank_day0_gives_blank():
    assert v("SCR_DEADLINE", None, "panel-recommends", ROTHERHAM) == ""
    assert value(call("SCR_DEADLINE", [[""]], [["panel-recommends"]], [[ROTHERHAM]])) == ""
    assert value(call("SCR_DEADLINE", [[None]], [["panel-recommends"]], [[ROTHERHAM]])) == ""


def test_deadline_unknown_milestone_lists_the_known_ones():
    assert_raises("SCR_DEADLINE", D(2008, 1, 1), "nope", ROTHERHAM, fragments=(
        "Milestone 'nope' is not in profile 'rotherham-2009'", "refer-standing-panel", "chronologies-in"))


def test_deadline_unknown_profile_lists_the_profiles():
    # a board profile the add-in cannot see: raise, so the workbook's native twin answers
    assert_raises("SCR_DEADLINE", D(2008, 1, 1), "panel-recommends", "nowhere-2020", fragments=(
        "Profile 'nowhere-2020' is not known", "rotherham-2009", "england-wt2023"))


def test_deadline_bad_day0_and_blank_milestone():
    assert_error(v("SCR_DEADLINE", "yesterday", "panel-recommends", ROTHERHAM), "Day 0 'yesterday' is not a date")
    assert_raises("SCR_DEADLINE", D(2008, 1, 1), "", ROTHERHAM, fragments=("milestone is blank", "panel-recommends"))
    assert_raises("SCR_DEADLINE", D(2008, 1, 1), "panel-recommends", ROTHERHAM, None, None, "mars", fragments=("'mars'",))


def test_deadline_text_in_an_actual_or_override_is_ignored_and_its_own_cells_say_so():
    # the Due cells count as the native twin does (ISNUMBER): text in an Actual or Override is no date
    assert v("SCR_DEADLINE", D(2008, 1, 1), "text-panel-meets", ROTHERHAM,
             [["text-chair-refers", "10/01/2008"]]) == D(2008, 1, 22)
    assert v("SCR_DEADLINE", D(2008, 1, 1), "chronologies-in", ROTHERHAM, None,
             [["chronologies-in", "soon"]]) == D(2008, 3, 4)
    # ... and the override's Flags cell, like the actual's Status cell (SCR_STATUS), gives the message
    assert_error(v("SCR_FLAGS", D(2008, 1, 1), "chronologies-in", ROTHERHAM, None, [["chronologies-in", "soon"]]),
                 "override date 'soon' is not a date")


def test_deadline_plans_once_per_distinct_input():
    udfs._PLANS.clear()
    for mid in ROTHERHAM_2008:
        v("SCR_DEADLINE", D(2008, 1, 1), mid, ROTHERHAM, [["refer-standing-panel", D(2008, 1, 7)]])
        v("SCR_FLAGS", D(2008, 1, 1), mid, ROTHERHAM, [["refer-standing-panel", D(2008, 1, 7)]])
    assert len(udfs._PLANS) == 1
    v("SCR_DEADLINE", D(2008, 1, 2), "panel-recommends", ROTHERHAM, [["refer-standing-panel", D(2008, 1, 7)]])
    assert len(udfs._PLANS) == 2


def test_deadline_two_columns_group_rows_by_milestone():
    ids = ["panel-recommends", "chronologies-in", "panel-recommends", "", "no-such-step"]
    got = v("SCR_DEADLINE", col(D(2008, 1, 1), D(2008, 1, 1), D(2008, 2, 1), D(2008, 2, 1), D(2008, 2, 1)),
            col(*ids), ROTHERHAM)
    assert got[:4] == [[D(2008, 1, 29)], [D(2008, 3, 4)], [D(2008, 2, 29)], [""]]
    assert_error(got[4][0], "'no-such-step'")


def test_deadline_classic_xlwings_datetimes():
    assert udfs.SCR_DEADLINE([[datetime(2008, 1, 1)]], [["panel-recommends"]], ROTHERHAM) == D(2008, 1, 29)
    # a date-time (e.g. from NOW()) counts as its day
    assert udfs.SCR_DEADLINE([[datetime(2008, 1, 1, 15, 30)]], [["panel-recommends"]], ROTHERHAM) == D(2008, 1, 29)
    got = udfs.SCR_DEADLINE([[datetime(2008, 1, 1)], [None], [datetime(2008, 2, 1)]], [["panel-recommends"]], ROTHERHAM)
    assert got == [[D(2008, 1, 29)], [""], [D(2008, 2, 29)]]


def test_deadline_column_with_blank_milestone_says_blank():
    got = v("SCR_DEADLINE", col(D(2008, 1, 1), D(2008, 2, 1)), "", ROTHERHAM)
    assert "None" not in str(got)


def test_deadline_column_rejects_a_number_that_is_not_a_date():
    got = v("SCR_DEADLINE", col(D(2008, 1, 1), -3), "panel-recommends", ROTHERHAM)
    assert got[0] == [D(2008, 1, 29)]
    assert_error(got[1][0])


# ---- SCR_FLAGS -----------------------------------------------------------------------------

def test_flags():
    assert v("SCR_FLAGS", D(2008, 1, 1), "chronologies-in", ROTHERHAM, None,
             [["chronologies-in", D(2008, 3, 7)]]) == "overridden (guide: 04/03/2008)"
    assert v("SCR_FLAGS", D(2008, 1, 1), "text-panel-meets", ROTHERHAM,
             [["text-chair-refers", D(2008, 1, 10)]]) == "re-planned from actual text-chair-refers"
    # 01/02/2008 + 4 months = 01/06/2008, a Sunday
    assert v("SCR_FLAGS", D(2008, 1, 1), "text-review-complete", ROTHERHAM) == "falls on a non-working day (Sunday)"
    assert v("SCR_FLAGS", D(2008, 1, 1), "panel-recommends", ROTHERHAM) == ""
    assert v("SCR_FLAGS", None, "panel-recommends", ROTHERHAM) == ""
    assert_raises("SCR_FLAGS", D(2008, 1, 1), "bogus", ROTHERHAM, fragments=("'bogus'", "panel-recommends"))


# ---- SCR_TIMESCALE -------------------------------------------------------------------------

def test_timescale_table():
    rows = v("SCR_TIMESCALE", D(2008, 1, 1), ROTHERHAM, None, None, None, None, D(2008, 1, 20))
    assert rows[0] == ["Milestone", "Label", "Due", "Responsible", "Flags", "Status"]
    by_id = {r[0]: r for r in rows[1:]}
    profile_rows = [r for r in v("SCR_PROFILES")[1:] if r[0] == ROTHERHAM]
    assert list(by_id) == [r[2] for r in profile_rows]  # every milestone, in profile order
    for mid, due in ROTHERHAM_2008.items():
        assert by_id[mid][2] == due
    assert by_id["refer-standing-panel"][5] == "overdue by 12 days"   # 08/01 vs 20/01
    assert by_id["text-panel-meets"][5] == "due in 2 days"            # 22/01
    assert by_id["panel-recommends"][5] == "not yet due"              # 29/01: 9 days
    assert by_id["chair-signs-off"][2:] == ["", "RSCB Chair", "", "no date yet"]
    assert by_id["text-review-complete"][4] == "falls on a non-working day (Sunday)"


def test_timescale_with_actuals_and_overrides():
    rows = v("SCR_TIMESCALE", D(2008, 1, 1), ROTHERHAM, [["refer-standing-panel", D(2008, 1, 7)]],
             [["chronologies-in", D(2008, 3, 7)]], None, None, D(2008, 1, 20))
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["refer-standing-panel"][5] == "done on time"
    assert by_id["chronologies-in"][2] == D(2008, 3, 7)
    assert by_id["chronologies-in"][4] == "overridden (guide: 04/03/2008)"


def test_timescale_errors():
    assert_raises("SCR_TIMESCALE", None, ROTHERHAM, fragments=("Day 0 is blank",))
    assert_raises("SCR_TIMESCALE", D(2008, 1, 1), "nope", fragments=("Profile 'nope' is not known", "rotherham-2009"))
    assert_raises("SCR_TIMESCALE", D(2008, 1, 1), ROTHERHAM, [["nope", D(2008, 1, 7)]],
                  fragments=("'nope'", "refer-standing-panel"))


# ---- SCR_STATUS ----------------------------------------------------------------------------

TODAY = D(2024, 12, 20)


@pytest.mark.parametrize("due, done, word", [
    (D(2025, 1, 31), None, "not yet due"),
    (D(2024, 12, 28), None, "not yet due"),       # 8 days: outside the 7-day window
    (D(2024, 12, 27), None, "due in 7 days"),
    (D(2024, 12, 21), None, "due in 1 day"),
    (D(2024, 12, 20), None, "due today"),
    (D(2024, 12, 19), None, "overdue by 1 day"),
    (D(2024, 12, 18), None, "overdue by 2 days"),
    (D(2024, 12, 18), D(2024, 12, 18), "done on time"),
    (D(2024, 12, 18), D(2024, 12, 19), "done 1 day late"),
    (D(2024, 12, 18), D(2024, 12, 20), "done 2 days late"),
    (D(2024, 12, 18), "n/a", "not applicable"),
    (D(2024, 12, 18), "N/A", "not applicable"),
    (None, None, "no date yet"),   # what the file saves for a milestone with no date
    (None, "", "no date yet"),
])
def test_status_words(due, done, word):
    assert v("SCR_STATUS", due, done, TODAY) == word


def test_status_due_soon_days():
    assert v("SCR_STATUS", D(2024, 12, 30), None, TODAY, 10) == "due in 10 days"
    assert v("SCR_STATUS", D(2024, 12, 31), None, TODAY, 10) == "not yet due"


def test_status_column():
    got = v("SCR_STATUS", col(D(2024, 12, 24), D(2024, 12, 24), "", None, "soon", D(2024, 12, 1)),
            col(None, D(2024, 12, 23), "", None, None, "n/a"), TODAY)
    assert got[:4] == [["due in 4 days"], ["done on time"], [""], [""]]  # blank rows of a range stay blank
    assert_error(got[4][0], "due date 'soon' is not a date")
    assert got[5] == ["not applicable"]


def test_status_text_in_a_date_cell_is_the_message_the_file_and_native_twin_show():
    from tracker.status import milestone_cell
    got = v("SCR_STATUS", D(2024, 12, 24), "yesterday", TODAY)
    assert got == ("Error: done date 'yesterday' is not a date. Fix: Enter a date (dd/mm/yyyy) so the cell "
                   "holds a date, not text, or n/a.")
    assert got == milestone_cell(D(2024, 12, 24), "yesterday", TODAY)  # the value `scr` saves


def test_status_classic_datetimes():
    assert udfs.SCR_STATUS([[datetime(2024, 12, 24)]], [[None]], datetime(2024, 12, 20)) == "due in 4 days"


def test_status_bad_window_is_a_friendly_sentence():
    assert_raises("SCR_STATUS", D(2024, 12, 24), None, TODAY, "a week", fragments=("a week",))


# ---- WORKDAY_UK and NETWORKDAYS_UK ---------------------------------------------------------

def test_workday_over_christmas():
    # 24/12/2024 (Tue) + 3 working days: 25 and 26 Dec are bank holidays -> 27, 30, 31
    assert v("WORKDAY_UK", D(2024, 12, 24), 3) == D(2024, 12, 31)
    # back 2 from 02/01/2025: 1 Jan is a holiday -> 31/12, 30/12
    assert v("WORKDAY_UK", D(2025, 1, 2), -2) == D(2024, 12, 30)
    # Excel truncates a fractional day count: 2.7 -> 2 -> 27, 30
    assert v("WORKDAY_UK", D(2024, 12, 24), 2.7) == D(2024, 12, 30)
    assert v("WORKDAY_UK", D(2024, 12, 24), 0) == D(2024, 12, 24)


def test_workday_nation_and_closures():
    assert v("WORKDAY_UK", D(2024, 12, 31), 1) == D(2025, 1, 2)
    assert v("WORKDAY_UK", D(2024, 12, 31), 1, "scotland") == D(2025, 1, 3)   # 2 Jan is a Scottish holiday
    # board closed 27 and 30 Dec: 31/12 (1), 02/01 (2), 03/01 (3)
    assert v("WORKDAY_UK", D(2024, 12, 24), 3, None, col(D(2024, 12, 27), D(2024, 12, 30))) == D(2025, 1, 3)


def test_workday_column():
    got = v("WORKDAY_UK", col(D(2024, 12, 24), "", None, "Christmas", D(2025, 1, 2)), 3)
    assert got[0] == [D(2024, 12, 31)]
    assert got[1] == [""] and got[2] == [""]
    assert_error(got[3][0], "start date 'Christmas' is not a date")
    assert got[4] == [D(2025, 1, 7)]
    # days as a column too; a bad day count is its own row's error
    got = v("WORKDAY_UK", col(D(2024, 12, 24), D(2024, 12, 24), D(2024, 12, 24)), col(1, "three", 3))
    assert got[0] == [D(2024, 12, 27)] and got[2] == [D(2024, 12, 31)]
    assert_error(got[1][0], "days 'three' is not a number")


def test_workday_errors():
    assert_error(v("WORKDAY_UK", D(2024, 12, 24), "abc"), "days 'abc' is not a number")
    assert_raises("WORKDAY_UK", D(2024, 12, 24), 3, "mars", fragments=("'mars'", "england-and-wales", "scotland"))
    assert_raises("WORKDAY_UK", col(D(2024, 12, 24), D(2024, 12, 25)), col(1, 2, 3), fragments=("same height",))


def test_workday_classic_datetimes():
    assert udfs.WORKDAY_UK([[datetime(2024, 12, 24)]], [[3.0]]) == D(2024, 12, 31)
    assert udfs.WORKDAY_UK([[datetime(2024, 12, 24)], [None]], [[3.0]]) == [[D(2024, 12, 31)], [""]]


def test_workday_bad_serial_only_spoils_its_own_row():
    got = v("WORKDAY_UK", col(D(2024, 12, 24), -5, D(2025, 1, 2)), 3)
    assert isinstance(got, list) and got[0] == [D(2024, 12, 31)] and got[2] == [D(2025, 1, 7)]


def test_workday_true_is_not_a_date():
    got = v("WORKDAY_UK", col(D(2024, 12, 24), True), 3)
    assert_error(got[1][0])


def test_networkdays():
    assert v("NETWORKDAYS_UK", D(2024, 12, 24), D(2024, 12, 31)) == 4      # 24, 27, 30, 31
    assert v("NETWORKDAYS_UK", D(2024, 12, 31), D(2024, 12, 24)) == -4
    assert v("NETWORKDAYS_UK", D(2024, 12, 25), D(2024, 12, 25)) == 0      # Christmas Day
    assert v("NETWORKDAYS_UK", D(2024, 12, 30), D(2025, 1, 3), "scotland") == 3   # 30, 31, 3
    assert v("NETWORKDAYS_UK", D(2024, 12, 30), D(2025, 1, 3)) == 4               # 30, 31, 2, 3
    assert v("NETWORKDAYS_UK", D(2024, 12, 30), D(2025, 1, 3), None, col(D(2024, 12, 31))) == 3


def test_networkdays_column():
    got = v("NETWORKDAYS_UK", col(D(2024, 12, 24), None, "", "x", D(2024, 12, 2)), D(2024, 12, 31))
    assert got[0] == [4] and got[1] == [""] and got[2] == [""] and got[4] == [20]
    assert_error(got[3][0], "start date 'x' is not a date")
    assert udfs.NETWORKDAYS_UK([[datetime(2024, 12, 24)]], [[datetime(2024, 12, 31)]]) == 4


# ---- SCR_PROFILES --------------------------------------------------------------------------

def test_profiles_table():
    rows = v("SCR_PROFILES")
    assert rows[0] == ["Profile", "Profile name", "Milestone", "Label", "Rule", "Source"]
    profiles = {r[0] for r in rows[1:]}
    assert {"rotherham-2009", "england-wt2023"} <= profiles
    row = next(r for r in rows if r[0] == ROTHERHAM and r[2] == "panel-recommends")
    assert row[4] == "4 weeks after Day 0"
    assert "End week 4" in row[5]
    assert next(r for r in rows if r[0] == "england-wt2023" and r[2] == "notify-panel")[4] == \
        "5 working days after Day 0"


# ---- SCR_RECEIPT ---------------------------------------------------------------------------

REQ, DUE = D(2025, 1, 6), D(2025, 2, 3)


@pytest.mark.parametrize("args, word", [
    ((None, DUE, None, None, D(2025, 1, 1)), "not requested"),
    ((REQ, DUE, None, None, D(2025, 1, 26)), "requested"),                  # 8 days to go
    ((REQ, DUE, None, None, D(2025, 1, 27)), "due soon"),                   # 7 days
    ((REQ, DUE, None, None, DUE), "due soon"),                              # due today
    ((REQ, DUE, None, None, D(2025, 2, 4)), "overdue 1 day — chase"),
    ((REQ, DUE, None, None, D(2025, 2, 5)), "overdue 2 days — chase"),
    ((REQ, DUE, D(2025, 2, 28), None, D(2025, 2, 5)), "promised"),         # promised later: not overdue
    ((REQ, DUE, D(2025, 2, 28), None, D(2025, 3, 3)), "overdue 3 days — chase"),
    ((REQ, DUE, None, DUE, D(2025, 3, 1)), "received on time"),
    ((REQ, DUE, None, D(2025, 2, 4), D(2025, 3, 1)), "received 1 day late"),
    ((REQ, DUE, D(2025, 2, 10), D(2025, 2, 12), D(2025, 3, 1)), "received 2 days late"),  # late vs the promise
    ((REQ, None, None, None, D(2026, 1, 1)), "requested"),
])
def test_receipt_words(args, word):
    assert v("SCR_RECEIPT", *args) == word


@pytest.mark.parametrize("nil", [True, "nil return", "Nil Return", "yes", "Y", "TRUE", 1])
def test_receipt_nil_return_wins(nil):
    assert v("SCR_RECEIPT", REQ, DUE, None, None, D(2025, 3, 1), nil) == "nil return"
    assert v("SCR_RECEIPT", None, None, None, None, D(2025, 3, 1), nil) == "nil return"


@pytest.mark.parametrize("not_nil", [False, "no", "FALSE", 0, None, ""])
def test_receipt_not_nil(not_nil):
    assert v("SCR_RECEIPT", REQ, DUE, None, None, D(2025, 2, 5), not_nil) == "overdue 2 days — chase"


def test_receipt_signed_copy():
    args = (REQ, DUE, None, D(2025, 2, 1), D(2025, 2, 10))
    assert v("SCR_RECEIPT", *args, None, True) == "signed copy outstanding"
    assert v("SCR_RECEIPT", *args, None, "yes") == "signed copy outstanding"
    assert v("SCR_RECEIPT", *args, None, True, D(2025, 2, 8)) == "received on time"
    assert v("SCR_RECEIPT", *args, None, False) == "received on time"
    assert v("SCR_RECEIPT", *args, None, "not required") == "received on time"
    assert v("SCR_RECEIPT", *args, True, True) == "nil return"


def test_receipt_due_soon_days():
    assert v("SCR_RECEIPT", REQ, DUE, None, None, D(2025, 1, 20), None, None, None, 14) == "due soon"
    assert v("SCR_RECEIPT", REQ, DUE, None, None, D(2025, 1, 19), None, None, None, 14) == "requested"
    assert v("SCR_RECEIPT", REQ, DUE, None, None, D(2025, 2, 2), None, None, None, 0) == "requested"
    assert_raises("SCR_RECEIPT", REQ, DUE, None, None, DUE, None, None, None, "soon", fragments=("due soon days 'soon'",))
    assert_raises("SCR_RECEIPT", REQ, DUE, None, None, DUE, None, None, None, -1, fragments=("due soon days -1",))


def test_receipt_blank_cell_is_the_domain_word_and_blank_rows_of_a_range_are_blank():
    # one cell: what `scr` saves for an agency row with nothing typed
    assert v("SCR_RECEIPT", None, None, None, None, D(2025, 3, 1)) == "not requested"
    assert value(call("SCR_RECEIPT", [[""]], [[""]], [[""]], [[""]])) == "not requested"
    got = value(call("SCR_RECEIPT", [[""], [""]], [[""], [None]], [[""], [""]], [[""], [""]]))
    assert got == [[""], [""]]


@pytest.mark.parametrize("involvement", ["involved", " Involved ", "", None])
def test_receipt_understands_the_involvement_drop_down(involvement):
    # the Agencies formula passes the Involvement cell itself
    assert v("SCR_RECEIPT", REQ, DUE, None, None, D(2025, 2, 5), involvement) == "overdue 2 days — chase"


def test_receipt_column_of_agencies():
    # the SCR Overview: one row per agency, the header's requested-by date for every row
    got = v("SCR_RECEIPT",
            col(REQ, REQ, REQ, None, "", REQ, REQ, "6/1/25"),
            DUE,
            col(None, D(2025, 2, 20), None, None, "", None, None, None),
            col(D(2025, 2, 1), None, None, None, "", None, None, D(2025, 2, 6)),
            D(2025, 2, 10),
            col(None, None, None, None, "", "nil return", "maybe", None),
            col(True, None, None, None, "", None, None, False))
    assert got == [
        ["signed copy outstanding"],
        ["promised"],
        ["overdue 7 days — chase"],
        ["not requested"],          # due date given (the header's), nothing requested yet
        ["not requested"],
        ["nil return"],
        ["Error: Involvement 'maybe' is not one of the words the workbook knows. Fix: Use one of: involved, "
         "nil return."],
        [got[7][0]],
    ]
    assert_error(got[7][0], "requested date '6/1/25' is not a date")


def test_receipt_ranges_of_different_heights():
    assert_raises("SCR_RECEIPT", col(REQ, REQ, REQ), col(DUE, DUE), None, None, DUE, fragments=("same height",))


def test_receipt_bad_dates_name_the_argument():
    assert_error(v("SCR_RECEIPT", "last week", DUE, None, None, DUE), "requested date 'last week'")
    assert_error(v("SCR_RECEIPT", REQ, DUE, "31/02/2025", None, DUE), "promised date '31/02/2025' is not a date")
    assert_error(v("SCR_RECEIPT", REQ, DUE, None, DUE, DUE, None, True, "soon"), "signed copy received date 'soon'")
    assert_raises("SCR_RECEIPT", REQ, DUE, None, None, "tomorrow", fragments=("today 'tomorrow'",))


def test_receipt_classic_datetimes():
    got = udfs.SCR_RECEIPT([[datetime(2025, 1, 6)]], [[datetime(2025, 2, 3)]], [[None]], [[None]],
                           datetime(2025, 2, 5))
    assert got == "overdue 2 days — chase"
    got = udfs.SCR_RECEIPT([[datetime(2025, 1, 6)], [None]], [[datetime(2025, 2, 3)]], [[None]],
                           [[datetime(2025, 2, 1)], [None]], datetime(2025, 2, 5), [[None], [True]])
    assert got == [["received on time"], ["nil return"]]


# ---- SCR_RAG -------------------------------------------------------------------------------

NOW = D(2026, 3, 1)


@pytest.mark.parametrize("args, word", [
    (("complete - signed off", D(2025, 1, 1), D(2025, 1, 1), NOW), "Blue"),
    (("Complete - Awaiting Sign-off", D(2025, 1, 1), D(2025, 1, 1), NOW), "Green"),
    ((None, None, None, NOW), "Green"),                                 # what the file saves for a blank row
    (("in progress", D(2026, 2, 28), NOW, NOW), "Red"),                 # target passed yesterday
    (("in progress", NOW, NOW, NOW), "Amber"),                          # target today
    (("in progress", D(2026, 3, 29), NOW, NOW), "Amber"),               # today + 28
    (("in progress", D(2026, 3, 30), NOW, NOW), "Green"),               # today + 29
    (("in progress", None, D(2025, 11, 30), D(2026, 2, 28)), "Green"),  # exactly 3 months by EDATE
    (("in progress", None, D(2025, 11, 30), NOW), "Amber"),
    (("in progress", None, D(2025, 8, 31), D(2026, 2, 28)), "Amber"),   # exactly 6 months
    (("in progress", None, D(2025, 8, 31), NOW), "Red"),
    (("not started", None, None, NOW), "Green"),
])
def test_rag_words(args, word):
    assert v("SCR_RAG", *args) == word


def test_rag_settings_arguments():
    # amber_days 0: only a target of today is Amber
    assert v("SCR_RAG", "in progress", D(2026, 3, 2), NOW, NOW, 0) == "Green"
    assert v("SCR_RAG", "in progress", NOW, NOW, NOW, 0) == "Amber"
    # monthly cycle, Red after 3: 31/01 + 1 month = 28/02, + 3 months = 30/04
    args = ("in progress", None, D(2025, 1, 31))
    assert v("SCR_RAG", *args, D(2025, 2, 28), None, 1, 3) == "Green"
    assert v("SCR_RAG", *args, D(2025, 3, 1), None, 1, 3) == "Amber"
    assert v("SCR_RAG", *args, D(2025, 4, 30), None, 1, 3) == "Amber"
    assert v("SCR_RAG", *args, D(2025, 5, 1), None, 1, 3) == "Red"


def test_rag_started_runs_the_clock():
    assert v("SCR_RAG", "not started", None, None, D(2025, 12, 1), None, None, None, D(2025, 8, 31)) == "Amber"
    assert v("SCR_RAG", "not started", None, None, NOW, None, None, None, D(2025, 8, 31)) == "Red"
    assert v("SCR_RAG", "not started", None, None, D(2025, 11, 30), None, None, None, D(2025, 8, 31)) == "Green"


def test_rag_column():
    got = v("SCR_RAG",
            col("complete - signed off", "", None, "in progress", "sort of", "", "in progress"),
            col(D(2025, 1, 1), "", None, D(2026, 2, 1), D(2026, 4, 1), D(2026, 3, 10), "next week"),
            col(None, "", None, NOW, NOW, None, NOW),
            NOW)
    assert got[:4] == [["Blue"], [""], [""], ["Red"]]
    assert_error(got[4][0], "Action status 'sort of'", "not started, in progress, complete - awaiting sign-off, "
                 "complete - signed off")
    assert got[5] == ["Amber"]  # no status yet counts as not started; target in 9 days
    assert_error(got[6][0], "target date 'next week' is not a date")


def test_rag_knows_only_the_drop_down_words_as_the_native_twin_does():
    # "Complete" alone is what an agency might type; `scr import` reads it, the sheet's cell does not
    assert_error(v("SCR_RAG", "Complete", NOW, NOW, NOW), "Action status 'Complete' is not one of the words",
                 "complete - awaiting sign-off")


def test_rag_errors():
    assert_error(v("SCR_RAG", "finished-ish", NOW, NOW, NOW), "'finished-ish' is not one of the words the workbook knows")
    assert_raises("SCR_RAG", "in progress", NOW, NOW, NOW, "four weeks", fragments=("amber days 'four weeks' is not a number",))
    assert_raises("SCR_RAG", "in progress", NOW, NOW, NOW, None, 0,
                  fragments=("cycle months 0 must be a whole number, 1 or more",))
    assert_raises("SCR_RAG", "in progress", NOW, NOW, NOW, None, None, 1.5, fragments=("red cycles 1.5",))
    assert_raises("SCR_RAG", "in progress", NOW, NOW, NOW, None, None, "2.5",
                  fragments=("red cycles 2.5 must be a whole number",))
    assert v("SCR_RAG", "in progress", None, D(2025, 8, 31), NOW, None, None, "3") == "Amber"  # typed as text
    assert_raises("SCR_RAG", col("in progress", "in progress"), col(NOW, NOW, NOW), NOW, NOW, fragments=("same height",))
    assert_raises("SCR_RAG", "in progress", NOW, NOW, col(NOW, NOW), fragments=("today is a range",))


def test_rag_classic_datetimes():
    assert udfs.SCR_RAG([["in progress"]], [[datetime(2026, 2, 28)]], [[datetime(2026, 3, 1)]],
                        datetime(2026, 3, 1)) == "Red"
    assert udfs.SCR_RAG([["in progress"], [None]], [[datetime(2026, 3, 10)], [None]], [[None], [None]],
                        datetime(2026, 3, 1), 28.0, 3.0, 2.0) == [["Amber"], [""]]


# ---- whole columns --------------------------------------------------------------------------

N_ROWS = 2000  # a used range with a long blank tail, as a whole-column reference gives


def _long(*head):
    return col(*head, *([""] * (N_ROWS - len(head))))


@pytest.mark.parametrize("name, args, first", [
    ("SCR_DEADLINE", lambda: (_long(D(2008, 1, 1)), [["panel-recommends"]], [[ROTHERHAM]]), D(2008, 1, 29)),
    ("SCR_STATUS", lambda: (_long(D(2024, 12, 24)), None, cell(TODAY)), "due in 4 days"),
    ("WORKDAY_UK", lambda: (_long(D(2024, 12, 24)), [[3]]), D(2024, 12, 31)),
    ("NETWORKDAYS_UK", lambda: (_long(D(2024, 12, 24)), cell(D(2024, 12, 31))), 4),
    ("SCR_RECEIPT", lambda: (_long(REQ), _long(DUE), _long(), _long(), cell(D(2025, 2, 5))), "overdue 2 days — chase"),
    ("SCR_RAG", lambda: (_long("in progress"), _long(D(2026, 2, 1)), _long(), cell(NOW)), "Red"),
])
def test_whole_column_keeps_its_height_and_blanks(name, args, first):
    got = value(call(name, *args()))
    assert len(got) == N_ROWS and all(len(r) == 1 for r in got)
    assert got[0] == [first]
    assert all(r == [""] for r in got[1:])


# ---- errors and metadata -------------------------------------------------------------------

@pytest.mark.parametrize("name, args", [
    ("SCR_DEADLINE", ([[object()]], [["x"]])),
    ("WORKDAY_UK", ([[{"a": 1}]], [[1]])),
    ("SCR_RAG", ([[1, 2], [3]], [[1]], [[1]])),
])
def test_unexpected_input_is_an_input_message_not_a_traceback(name, args):
    got = getattr(udfs, name)(*args)
    assert_error(got if isinstance(got, str) else got[0][0], "is not")


def test_a_failure_inside_raises_a_sentence_so_the_native_twin_answers(monkeypatch):
    def broken(*a, **k):
        raise KeyError("milestones")
    monkeypatch.setattr(udfs, "make_plan", broken)
    udfs._PLANS.clear()
    with pytest.raises(ScrError) as e:
        udfs.SCR_TIMESCALE([[datetime(2008, 1, 1)]], ROTHERHAM)
    assert "SCR_TIMESCALE" in str(e.value) and "KeyError" in str(e.value) and "\n" not in str(e.value)


EXPECTED_PARAMETERS = {
    "SCR_DEADLINE": ["day0", "milestone", "profile", "actuals", "overrides", "nation", "extra_holidays"],
    "SCR_TIMESCALE": ["day0", "profile", "actuals", "overrides", "nation", "extra_holidays", "today", "due_soon_days"],
    "SCR_STATUS": ["due", "done", "today", "due_soon_days"],
    "WORKDAY_UK": ["start", "days", "nation", "extra_holidays"],
    "NETWORKDAYS_UK": ["start", "end_date", "nation", "extra_holidays"],
    "SCR_PROFILES": [],
    "SCR_RECEIPT": ["requested", "due", "promised", "received", "today", "nil_return", "signed_copy_due",
                    "signed_copy_received", "due_soon_days"],
    "SCR_RAG": ["status", "target", "last_update", "today", "amber_days", "cycle_months", "red_cycles", "started"],
}
REQUIRED = {"SCR_DEADLINE": 2, "SCR_TIMESCALE": 1, "SCR_STATUS": 1, "WORKDAY_UK": 2, "NETWORKDAYS_UK": 2,
            "SCR_PROFILES": 0, "SCR_RECEIPT": 4, "SCR_RAG": 3}


def test_metadata_lists_every_function_with_documented_parameters():
    functions = {f["name"]: f for f in meta()["functions"]}
    assert set(EXPECTED_PARAMETERS) <= set(functions)
    for name, f in functions.items():
        assert f["description"] and not f["description"].startswith("Python function"), name
        for p in f["parameters"]:
            assert p["description"] and not p["description"].startswith("Positional argument"), (name, p["name"])
    for name, params in EXPECTED_PARAMETERS.items():
        got = functions[name]["parameters"]
        assert [p["name"] for p in got] == params, name
        assert [bool(p.get("optional")) for p in got] == [i >= REQUIRED[name] for i in range(len(params))], name


def test_metadata_functions_are_all_in_the_module():
    # everything Excel is told about can be called, and answers through the dispatcher
    for f in meta()["functions"]:
        assert callable(getattr(udfs, f["name"]))
