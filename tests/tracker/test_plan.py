"""The plan for a case: due dates, re-planning from actual dates, overrides, inputs, rolls,
months, provisional years and the status words. Expected dates are worked out by hand in the
comments (the England and Wales bank holidays from the bundled GOV.UK data)."""
import calendar as pycal
import datetime as dt

import numpy as np
import pytest

from tracker.calendar import WorkCalendar
from tracker.errors import ScrError
from tracker.excel_dates import from_serial, to_serial
from tracker.plan import OVERRIDDEN, PROVISIONAL, REPLANNED, due_serials, make_plan
from tracker.profiles import all_profiles, parse_profile
from tracker.status import DUE_SOON_DAYS

D = dt.date
EW = WorkCalendar("england-and-wales")


def profile(*milestones, **top):
    """A profile built in the test from milestone dicts (the same keys as a TOML file)."""
    return parse_profile({"id": "test", "name": "Test", **top, "milestone": list(milestones)})


def ms(mid, start="day0", offset=0, unit="days", **kw):
    return {"id": mid, "label": mid.upper(), "from": start, "offset": offset, "unit": unit, **kw}


# a -> b (basis actual), a -> c (basis due), b -> d
CHAIN = profile(
    ms("a", offset=7),
    ms("b", "a", 7, basis="actual"),
    ms("c", "a", 7),
    ms("d", "b", 1, "weeks"),
)
DAY0 = D(2025, 3, 3)  # Monday


def test_the_guide_dates():
    # a = 03/03 + 7 = 10/03; b = c = 10/03 + 7 = 17/03; d = 17/03 + 7 = 24/03
    plan = make_plan(CHAIN, DAY0)
    assert plan.due_dates() == {"a": D(2025, 3, 10), "b": D(2025, 3, 17), "c": D(2025, 3, 17), "d": D(2025, 3, 24)}
    assert all(p.flags == [] for p in plan.milestones)
    assert all(p.computed == p.due for p in plan.milestones)


# ---- actual dates -------------------------------------------------------------------------------

def test_actual_date_replans_only_basis_actual_dependants():
    # a done late on 12/03: b counts from the actual (12/03 + 7 = 19/03) and says so; c keeps
    # counting from a's due date (17/03); d follows b's new due date (19/03 + 7 = 26/03) but was
    # not itself re-planned from an actual.
    plan = make_plan(CHAIN, DAY0, actuals={"a": D(2025, 3, 12)})
    assert plan["a"].due == D(2025, 3, 10) and plan["a"].actual == D(2025, 3, 12)
    assert plan["b"].due == D(2025, 3, 19)
    assert plan["b"].flags == [f"{REPLANNED} from actual a"]
    assert plan["c"].due == D(2025, 3, 17) and plan["c"].flags == []
    assert plan["d"].due == D(2025, 3, 26) and plan["d"].flags == []


def test_early_actual_brings_basis_actual_dependants_forward():
    # a done early on Friday 07/03: b = 14/03
    plan = make_plan(CHAIN, DAY0, actuals={"a": D(2025, 3, 7)})
    assert plan["b"].due == D(2025, 3, 14) and plan["c"].due == D(2025, 3, 17)


def test_actual_on_a_milestone_does_not_move_its_own_due_date():
    plan = make_plan(CHAIN, DAY0, actuals={"b": D(2025, 4, 1)})
    assert plan["b"].due == D(2025, 3, 17)
    assert plan["d"].due == D(2025, 3, 24)  # d's basis is due: b's actual does not move it


def test_actual_and_override_keys_are_case_insensitive_and_blanks_ignored():
    plan = make_plan(CHAIN, DAY0, actuals={" A ": D(2025, 3, 12), "c": "", "d": None})
    assert plan["b"].due == D(2025, 3, 19)
    assert plan["c"].actual is None and plan["d"].actual is None


def test_unknown_milestone_in_actuals_lists_the_real_ones():
    with pytest.raises(ScrError) as err:
        make_plan(CHAIN, DAY0, actuals={"zz": D(2025, 3, 12)})
    assert "'zz' is not in profile 'test'" in str(err.value) and "a, b, c, d" in str(err.value)


def test_blank_day0_is_refused():
    with pytest.raises(ScrError) as err:
        make_plan(CHAIN, None)
    assert "Day 0 is blank" in str(err.value)


# ---- overrides ----------------------------------------------------------------------------------

def test_override_replaces_the_date_and_is_flagged_with_the_guide_date():
    plan = make_plan(CHAIN, DAY0, overrides={"a": D(2025, 3, 14)})
    a = plan["a"]
    assert a.due == D(2025, 3, 14) and a.computed == D(2025, 3, 10)
    assert a.flags == [f"{OVERRIDDEN} (guide: 10/03/2025)"]
    assert a.flag_text() == "overridden (guide: 10/03/2025)"
    # dependants count from the date now in force, whatever their basis: 14/03 + 7 = 21/03
    assert plan["b"].due == D(2025, 3, 21) and plan["c"].due == D(2025, 3, 21)
    assert plan["b"].flags == [] and plan["c"].flags == []


def test_override_equal_to_the_guide_is_not_flagged():
    plan = make_plan(CHAIN, DAY0, overrides={"a": D(2025, 3, 10)})
    assert plan["a"].flags == []


def test_actual_beats_override_for_basis_actual_dependants():
    plan = make_plan(CHAIN, DAY0, overrides={"a": D(2025, 3, 14)}, actuals={"a": D(2025, 3, 11)})
    assert plan["b"].due == D(2025, 3, 18)  # from the actual 11/03
    assert plan["c"].due == D(2025, 3, 21)  # from the override 14/03


# ---- not applicable -----------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["n/a", "N/A", " na ", "not applicable", "n.a."])
def test_na_actual_gives_not_applicable(word):
    plan = make_plan(CHAIN, DAY0, actuals={"a": word})
    a = plan["a"]
    assert a.not_applicable and a.actual is None
    assert a.status(today=D(2030, 1, 1)) == "not applicable"
    # an n/a step has no actual date, so its dependants keep counting from its due date
    assert plan["b"].due == D(2025, 3, 17) and plan["b"].flags == []


# ---- input milestones ---------------------------------------------------------------------------

# m is a meeting date the board manager enters; e counts from it on basis due, f on basis actual
# e and f: 5 working days after Monday 14/04/2025: Tue 15 (1), Wed 16 (2), Thu 17 (3); Fri 18
# Good Friday, the weekend and Mon 21 Easter Monday skipped; Tue 22 (4), Wed 23 (5) -> 23/04/2025
INPUTS = profile(
    ms("m", "input"),
    ms("e", "m", 5, "working_days"),
    ms("f", "m", 5, "working_days", basis="actual"),
    ms("g", "e", 2, "days"),
)


def test_input_milestone_has_no_date_until_entered():
    plan = make_plan(INPUTS, DAY0)
    assert plan.due_dates() == {"m": None, "e": None, "f": None, "g": None}
    assert plan["m"].status(today=D(2025, 4, 1)) == "no date yet"
    assert plan["g"].status(today=D(2025, 4, 1)) == "no date yet"
    assert INPUTS.milestone("m").rule_text() == "date entered by the board manager"


def test_dependants_follow_once_the_input_date_is_entered():
    plan = make_plan(INPUTS, DAY0, overrides={"m": D(2025, 4, 14)})
    assert plan["m"].due == D(2025, 4, 14)
    assert plan["e"].due == D(2025, 4, 23) and plan["f"].due == D(2025, 4, 23)
    assert plan["g"].due == D(2025, 4, 25)


def test_input_recorded_as_actual_drives_basis_actual_dependants():
    plan = make_plan(INPUTS, DAY0, actuals={"m": D(2025, 4, 14)})
    assert plan["m"].due is None and plan["m"].actual == D(2025, 4, 14)
    assert plan["m"].status(today=D(2025, 5, 1)) == "done on time"
    assert plan["f"].due == D(2025, 4, 23) and plan["f"].flags == [f"{REPLANNED} from actual m"]
    assert plan["e"].due is None  # basis due: waits for an entered (planned) date


def test_before_an_entered_meeting_in_working_days():
    # reports 5 working days before Thursday 24/04/2025: Wed 23 (1), Tue 22 (2); Easter Monday
    # 21, the weekend, Good Friday 18 skipped; Thu 17 (3), Wed 16 (4), Tue 15 (5) -> 15/04/2025
    p = profile(ms("meeting", "input"), ms("reports", "meeting", 5, "working_days", direction="before", basis="actual"))
    plan = make_plan(p, DAY0, overrides={"meeting": D(2025, 4, 24)})
    assert plan["reports"].due == D(2025, 4, 15)
    assert p.milestone("reports").rule_text() == "5 working days before meeting (actual date once recorded)"


# ---- rolls --------------------------------------------------------------------------------------

def rolled(rule, day0, offset, unit="days", nation="england-and-wales"):
    p = profile(ms("x", offset=offset, unit=unit, roll=rule))
    return make_plan(p, day0, calendar=WorkCalendar(nation))["x"]


def test_roll_over_a_weekend():
    # Thu 02/01/2025 + 2 days = Sat 04/01/2025
    assert rolled("next", D(2025, 1, 2), 2).due == D(2025, 1, 6)  # Monday
    assert rolled("previous", D(2025, 1, 2), 2).due == D(2025, 1, 3)  # Friday
    x = rolled("next", D(2025, 1, 2), 2)
    assert x.flags == ["moved from 04/01/2025 (Saturday)"] and x.computed == D(2025, 1, 6)


def test_roll_over_a_bank_holiday():
    # Fri 11/04/2025 + 7 days = Fri 18/04/2025, Good Friday. Next: Sat, Sun, Mon 21 Easter Monday
    # -> Tue 22/04; previous -> Thu 17/04.
    nxt = rolled("next", D(2025, 4, 11), 7)
    assert nxt.due == D(2025, 4, 22)
    assert nxt.flags == ["moved from 18/04/2025 (bank holiday)"]
    assert rolled("previous", D(2025, 4, 11), 7).due == D(2025, 4, 17)


def test_roll_over_christmas():
    # Thu 18/12/2025 + 1 week = Thu 25/12/2025. Next: Fri 26 Boxing Day, weekend -> Mon 29/12;
    # previous: Wed 24/12.
    assert rolled("next", D(2025, 12, 18), 1, "weeks").due == D(2025, 12, 29)
    assert rolled("previous", D(2025, 12, 18), 1, "weeks").due == D(2025, 12, 24)


def test_roll_uses_the_nations_bank_holidays():
    # Fri 26/12/2025 + 7 days = Fri 02/01/2026: a working day in England, a bank holiday in Scotland
    assert rolled("next", D(2025, 12, 26), 7).due == D(2026, 1, 2)
    assert rolled("next", D(2025, 12, 26), 7, nation="scotland").due == D(2026, 1, 5)


def test_no_roll_leaves_the_date_and_says_why():
    x = rolled("none", D(2025, 1, 2), 2)
    assert x.due == D(2025, 1, 4) and x.flags == ["falls on a non-working day (Saturday)"]
    x = rolled("none", D(2025, 4, 11), 7)
    assert x.due == D(2025, 4, 18) and x.flags == ["falls on a non-working day (bank holiday)"]


def test_a_working_day_is_not_rolled_or_flagged():
    x = rolled("next", D(2025, 1, 2), 1)  # Friday 03/01
    assert x.due == D(2025, 1, 3) and x.flags == []


# ---- units --------------------------------------------------------------------------------------

def test_weeks_are_seven_calendar_days_whatever_the_holidays():
    x = rolled("none", D(2025, 12, 18), 1, "weeks")
    assert x.due == D(2025, 12, 25) and x.flags == ["falls on a non-working day (bank holiday)"]


def test_working_days_are_excel_workday():
    assert rolled("none", D(2025, 1, 3), 1, "working_days").due == D(2025, 1, 6)  # Fri -> Mon
    assert rolled("none", D(2025, 1, 4), 1, "working_days").due == D(2025, 1, 6)  # Sat start not counted
    assert rolled("none", D(2025, 1, 4), 0, "working_days").due == D(2025, 1, 4)  # 0 keeps the start
    # Mon 22/12/2025 + 3: Tue 23 (1), Wed 24 (2); Christmas, Boxing Day, weekend; Mon 29 (3)
    assert rolled("none", D(2025, 12, 22), 3, "working_days").due == D(2025, 12, 29)


@pytest.mark.parametrize("day0, n, direction, expected", [
    (D(2024, 1, 31), 1, "after", D(2024, 2, 29)),  # leap year: 31 Jan -> 29 Feb
    (D(2023, 1, 31), 1, "after", D(2023, 2, 28)),
    (D(2024, 2, 29), 12, "after", D(2025, 2, 28)),
    (D(2024, 8, 31), 1, "after", D(2024, 9, 30)),
    (D(2024, 3, 31), 1, "before", D(2024, 2, 29)),
    (D(2024, 12, 31), 2, "after", D(2025, 2, 28)),
    (D(2025, 5, 15), 6, "after", D(2025, 11, 15)),
])
def test_months_are_excel_edate(day0, n, direction, expected):
    p = profile(ms("x", offset=n, unit="months", direction=direction))
    assert make_plan(p, day0)["x"].due == expected


def test_month_ends_clamped_on_the_way_stay_clamped():
    # 31/01/2024 + 1 month = 29/02/2024, + 1 month = 29/03/2024 (not 31/03, which EDATE(31/01, 2) gives)
    p = profile(ms("x", offset=1, unit="months"), ms("y", "x", 1, "months"), ms("z", offset=2, unit="months"))
    plan = make_plan(p, D(2024, 1, 31))
    assert (plan["x"].due, plan["y"].due, plan["z"].due) == (D(2024, 2, 29), D(2024, 3, 29), D(2024, 3, 31))


def _edate_by_hand(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return D(year, month, min(d.day, pycal.monthrange(year, month)[1]))


def test_months_match_edate_for_every_day_of_a_leap_year():
    for n in (1, 4, 6, 12):
        for direction, sign in (("after", 1), ("before", -1)):
            p = profile(ms("x", offset=n, unit="months", direction=direction))
            for k in range(366):
                d = D(2024, 1, 1) + dt.timedelta(k)
                assert make_plan(p, d)["x"].due == _edate_by_hand(d, sign * n), (d, n, direction)


# ---- provisional years --------------------------------------------------------------------------

def test_working_days_beyond_govuk_data_are_provisional():
    # GOV.UK's bundled data runs to 2028; 2030's bank holidays are the rules' guess
    x = rolled("none", D(2030, 3, 4), 10, "working_days")
    assert x.flags[0] == PROVISIONAL
    assert x.due == D(2030, 3, 18)  # no holidays in the fortnight: Mon 04/03 + 10 = Mon 18/03


def test_working_days_in_a_govuk_year_are_not_provisional():
    assert PROVISIONAL not in rolled("none", D(2025, 3, 3), 10, "working_days").flags
    assert PROVISIONAL not in rolled("none", D(2028, 3, 1), 10, "working_days").flags


def test_working_days_running_into_an_unpublished_year_are_provisional():
    # Wed 20/12/2028 + 10: Thu 21 (1), Fri 22 (2); Mon 25 Christmas, Tue 26 Boxing Day; Wed 27 (3),
    # Thu 28 (4), Fri 29 (5); Mon 01/01/2029 New Year's Day (rules); Tue 2 (6), Wed 3 (7),
    # Thu 4 (8), Fri 5 (9), Mon 8 (10) -> 08/01/2029, provisional
    x = rolled("none", D(2028, 12, 20), 10, "working_days")
    assert x.due == D(2029, 1, 8) and x.flags[0] == PROVISIONAL


def test_calendar_days_in_2030_are_not_provisional():
    assert PROVISIONAL not in rolled("none", D(2030, 3, 4), 3, "weeks").flags
    assert PROVISIONAL not in rolled("none", D(2030, 3, 4), 2, "months").flags


def test_a_roll_in_2030_is_provisional():
    # Mon 04/03/2030 + 5 days = Sat 09/03 -> Mon 11/03
    x = rolled("next", D(2030, 3, 4), 5)
    assert x.due == D(2030, 3, 11) and x.flags[0] == PROVISIONAL


def test_dependants_of_a_provisional_date_are_provisional():
    p = profile(ms("x", offset=10, unit="working_days"), ms("y", "x", 7))
    plan = make_plan(p, D(2030, 3, 4))
    assert plan["y"].due == D(2030, 3, 25) and PROVISIONAL in plan["y"].flags


def test_calendar_days_from_a_recorded_actual_are_not_provisional():
    p = profile(ms("x", offset=10, unit="working_days"), ms("y", "x", 7, basis="actual"))
    plan = make_plan(p, D(2030, 3, 4), actuals={"x": D(2030, 3, 20)})
    assert plan["y"].due == D(2030, 3, 27)
    assert PROVISIONAL not in plan["y"].flags


# ---- status words -------------------------------------------------------------------------------

ONE = profile(ms("x", offset=14))  # 03/03/2025 + 14 = Monday 17/03/2025


def status(today=None, actual=None, **kw):
    plan = make_plan(ONE, DAY0, actuals={"x": actual} if actual else None)
    return plan["x"].status(today=today, **kw)


@pytest.mark.parametrize("today, word", [
    (D(2025, 3, 1), "not yet due"),
    (D(2025, 3, 9), "not yet due"),  # 8 days ahead: outside the default 7-day window
    (D(2025, 3, 10), "due in 7 days"),
    (D(2025, 3, 16), "due in 1 day"),
    (D(2025, 3, 17), "due today"),
    (D(2025, 3, 18), "overdue by 1 day"),
    (D(2025, 3, 27), "overdue by 10 days"),
])
def test_status_before_anything_is_done(today, word):
    assert DUE_SOON_DAYS == 7
    assert status(today) == word


def test_due_soon_window_is_a_setting():
    assert status(D(2025, 3, 3), due_soon_days=14) == "due in 14 days"
    assert status(D(2025, 3, 2), due_soon_days=14) == "not yet due"
    assert status(D(2025, 3, 16), due_soon_days=0) == "not yet due"
    assert status(D(2025, 3, 17), due_soon_days=0) == "due today"


@pytest.mark.parametrize("actual, word", [
    (D(2025, 3, 12), "done on time"),
    (D(2025, 3, 17), "done on time"),
    (D(2025, 3, 18), "done 1 day late"),
    (D(2025, 3, 20), "done 3 days late"),
])
def test_status_once_done(actual, word):
    # once done, today no longer matters
    assert status(D(2025, 3, 1), actual) == word
    assert status(D(2026, 1, 1), actual) == word


def test_status_is_judged_against_an_override():
    plan = make_plan(ONE, DAY0, overrides={"x": D(2025, 3, 24)}, actuals={"x": D(2025, 3, 20)})
    assert plan["x"].status(today=D(2025, 4, 1)) == "done on time"
    plan = make_plan(ONE, DAY0, overrides={"x": D(2025, 3, 24)})
    assert plan["x"].status(today=D(2025, 3, 20)) == "due in 4 days"


# ---- the column form agrees with the plan -------------------------------------------------------

def test_due_serials_agrees_with_make_plan_for_every_builtin_profile():
    """The vectorised column form (no actuals, no overrides) gives the same dates as make_plan."""
    days = [D(2024, 11, 1) + dt.timedelta(k) for k in range(0, 540, 3)]
    days += [D(2025, 12, 15) + dt.timedelta(k) for k in range(25)]  # every day over Christmas
    serials = np.array([to_serial(d) for d in days], dtype="float64")
    for p in all_profiles().values():
        plans = [make_plan(p, d, calendar=EW) for d in days]
        for m in p.milestones:
            column = due_serials(p, m.id, serials, EW)
            got = [None if np.isnan(s) else from_serial(s) for s in column]
            assert got == [pl[m.id].due for pl in plans], (p.id, m.id)
