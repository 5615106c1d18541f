"""BRAG status of actions (tracker.rag): every rule, its boundaries, roll-ups and history.

Dates are worked by hand; months count as Excel's EDATE (31/08 + 3 months = 30/11).
"""
from datetime import date, timedelta

import pytest

from tracker.errors import ScrError
from tracker.rag import (
    ACTION_STATUSES,
    AMBER,
    AWAITING_SIGN_OFF,
    BLUE,
    GREEN,
    IN_PROGRESS,
    NOT_STARTED,
    RAG_WORDS,
    RED,
    SIGNED_OFF,
    Action,
    RagSettings,
    Update,
    assess,
    edate,
    history,
    history_rollup,
    parse_status,
    rag,
    rag_reason,
    rollup,
    worst,
)

TODAY = date(2026, 3, 1)
S = RagSettings()  # 28 days, 3-month cycle, red after 2 cycles


# ---- vocabulary ----------------------------------------------------------------------------

def test_action_statuses_are_the_drop_down_words():
    assert ACTION_STATUSES == ("not started", "in progress", "complete - awaiting sign-off", "complete - signed off")
    assert RAG_WORDS == ("Blue", "Green", "Amber", "Red")


@pytest.mark.parametrize("typed, expected", [
    ("not started", NOT_STARTED), ("Not Started", NOT_STARTED), ("NOT YET STARTED", NOT_STARTED),
    ("to do", NOT_STARTED), ("  open ", NOT_STARTED),
    ("in progress", IN_PROGRESS), ("In-Progress", IN_PROGRESS), ("ongoing", IN_PROGRESS),
    ("on track", IN_PROGRESS), ("underway", IN_PROGRESS), ("started", IN_PROGRESS),
    ("partially complete", IN_PROGRESS),
    ("complete - awaiting sign-off", AWAITING_SIGN_OFF), ("COMPLETE – AWAITING SIGN-OFF", AWAITING_SIGN_OFF),
    ("complete", AWAITING_SIGN_OFF), ("Completed", AWAITING_SIGN_OFF), ("done", AWAITING_SIGN_OFF),
    ("completed, pending sign off", AWAITING_SIGN_OFF), ("awaiting signoff", AWAITING_SIGN_OFF),
    ("complete (not signed off)", AWAITING_SIGN_OFF), ("complete awaiting evidence", AWAITING_SIGN_OFF),
    ("complete - signed off", SIGNED_OFF), ("Complete - Signed-Off", SIGNED_OFF), ("signed off", SIGNED_OFF),
    ("Signed-off", SIGNED_OFF), ("signedoff", SIGNED_OFF), ("completed and signed off", SIGNED_OFF),
    ("Complete & signed off", SIGNED_OFF), ("closed", SIGNED_OFF), ("evidence accepted", SIGNED_OFF),
    ("complete: evidence accepted", SIGNED_OFF),
])
def test_parse_status_is_tolerant(typed, expected):
    assert parse_status(typed) == expected


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_parse_status_blank_is_none(blank):
    assert parse_status(blank) is None


@pytest.mark.parametrize("bad", ["maybe", "sign off", "Blue", "red", 3, True])
def test_parse_status_unknown_names_the_allowed_words(bad):
    with pytest.raises(ScrError) as e:
        parse_status(bad)
    msg = str(e.value)
    assert f"'{bad}'" in msg
    assert "not started, in progress, complete - awaiting sign-off, complete - signed off" in msg


def test_parse_status_names_what_in_the_error():
    with pytest.raises(ScrError, match=r"^Status of update 3 'x'"):
        parse_status("x", what="Status of update 3")


# ---- settings ------------------------------------------------------------------------------

def test_settings_defaults():
    assert (S.amber_days, S.cycle_months, S.red_cycles, S.red_months) == (28, 3, 2, 6)


@pytest.mark.parametrize("kwargs, name", [
    ({"amber_days": -1}, "amber_days"), ({"cycle_months": 0}, "cycle_months"),
    ({"red_cycles": 0}, "red_cycles"), ({"red_cycles": 1.5}, "red_cycles"), ({"amber_days": True}, "amber_days"),
])
def test_settings_are_checked(kwargs, name):
    with pytest.raises(ScrError, match=name) as e:
        RagSettings(**kwargs)
    assert "Settings" in str(e.value)


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        S.amber_days = 5


# ---- EDATE ---------------------------------------------------------------------------------

@pytest.mark.parametrize("start, months, expected", [
    (date(2025, 8, 31), 3, date(2025, 11, 30)),
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2025, 5, 31), 3, date(2025, 8, 31)),
])
def test_edate_is_excels(start, months, expected):
    assert edate(start, months) == expected


# ---- Blue and Green (complete) --------------------------------------------------------------

def test_blue_signed_off_beats_everything():
    # target long passed, no update for a year: signed off is still Blue
    assert rag("complete - signed off", date(2025, 1, 1), date(2025, 1, 1), TODAY, S) == BLUE
    assert rag_reason("signed off", None, None, TODAY, S) == "complete and signed off (evidence accepted)"


def test_green_awaiting_sign_off_beats_red_rules():
    assert rag("complete - awaiting sign-off", date(2025, 1, 1), date(2025, 1, 1), TODAY, S) == GREEN
    assert rag("completed", TODAY, None, TODAY, S, started=date(2020, 1, 1)) == GREEN
    assert rag_reason("complete", date(2025, 1, 1), None, TODAY, S) == "complete, awaiting sign-off"


# ---- target date ---------------------------------------------------------------------------

@pytest.mark.parametrize("offset, word", [
    (-365, RED), (-1, RED),            # passed
    (0, AMBER), (1, AMBER), (28, AMBER),  # within amber_days, today counted
    (29, GREEN), (200, GREEN),
])
def test_target_date_boundaries(offset, word):
    target = TODAY + timedelta(days=offset)
    assert rag("in progress", target, TODAY, TODAY, S) == word
    assert rag("not started", target, None, TODAY, S) == word


def test_target_reasons():
    assert rag_reason("in progress", date(2026, 2, 28), None, TODAY, S) == \
        "target date 28/02/2026 passed without completion"
    assert rag_reason("in progress", TODAY, None, TODAY, S) == "target date 01/03/2026 is today"
    assert rag_reason("in progress", date(2026, 3, 2), None, TODAY, S) == "target date 02/03/2026 is in 1 day"
    assert rag_reason("in progress", date(2026, 3, 29), None, TODAY, S) == "target date 29/03/2026 is in 28 days"
    assert rag_reason("in progress", date(2026, 3, 30), date(2026, 2, 1), TODAY, S) == \
        "on track (target date 30/03/2026, last update 01/02/2026)"


def test_amber_days_setting():
    s = RagSettings(amber_days=0)
    assert rag("in progress", TODAY, None, TODAY, s) == AMBER
    assert rag("in progress", TODAY + timedelta(days=1), None, TODAY, s) == GREEN
    s = RagSettings(amber_days=60)
    assert rag("in progress", TODAY + timedelta(days=60), None, TODAY, s) == AMBER
    assert rag("in progress", TODAY + timedelta(days=61), None, TODAY, s) == GREEN


# ---- update age (EDATE months) ---------------------------------------------------------------

@pytest.mark.parametrize("last, today, word", [
    # last update 31/08/2025: one cycle = EDATE 30/11/2025, two cycles = EDATE 28/02/2026
    (date(2025, 8, 31), date(2025, 11, 30), GREEN),   # exactly one cycle: not older
    (date(2025, 8, 31), date(2025, 12, 1), AMBER),
    (date(2025, 8, 31), date(2026, 2, 28), AMBER),    # exactly two cycles: not yet Red
    (date(2025, 8, 31), date(2026, 3, 1), RED),
    # 31/05 + 3 months = 31/08 (92 days, not 90)
    (date(2025, 5, 31), date(2025, 8, 31), GREEN),
    (date(2025, 5, 31), date(2025, 9, 1), AMBER),
    # leap year: 30/11/2023 + 3 months = 29/02/2024
    (date(2023, 11, 30), date(2024, 2, 29), GREEN),
    (date(2023, 11, 30), date(2024, 3, 1), AMBER),
    # 31/12/2025 + 6 months = 30/06/2026
    (date(2025, 12, 31), date(2026, 6, 30), AMBER),
    (date(2025, 12, 31), date(2026, 7, 1), RED),
    (date(2026, 3, 1), date(2026, 3, 1), GREEN),      # updated today
])
def test_update_age_boundaries(last, today, word):
    assert rag("in progress", None, last, today, S) == word


def test_update_reasons():
    assert rag_reason("in progress", None, date(2025, 8, 31), date(2025, 12, 1), S) == \
        "last update 31/08/2025 is older than one update cycle (3 months)"
    assert rag_reason("in progress", None, date(2025, 8, 31), date(2026, 3, 1), S) == \
        "last update 31/08/2025: no update for more than 6 months (2 update cycles)"
    assert rag_reason("in progress", None, None, date(2026, 3, 1), S, started=date(2025, 8, 31)) == \
        "no update since the action started on 31/08/2025: no update for more than 6 months (2 update cycles)"
    s = RagSettings(cycle_months=1, red_cycles=1)
    assert rag_reason("in progress", None, date(2026, 1, 1), date(2026, 2, 2), s) == \
        "last update 01/01/2026: no update for more than 1 month (1 update cycle)"


def test_cycle_settings():
    s = RagSettings(cycle_months=1, red_cycles=3)
    last = date(2025, 1, 31)  # +1 month = 28/02/2025; +3 months = 30/04/2025
    assert rag("in progress", None, last, date(2025, 2, 28), s) == GREEN
    assert rag("in progress", None, last, date(2025, 3, 1), s) == AMBER
    assert rag("in progress", None, last, date(2025, 4, 30), s) == AMBER
    assert rag("in progress", None, last, date(2025, 5, 1), s) == RED


def test_started_runs_the_clock_until_the_first_update():
    started = date(2025, 8, 31)
    assert rag("not started", None, None, date(2025, 11, 30), S, started=started) == GREEN
    assert rag("not started", None, None, date(2025, 12, 1), S, started=started) == AMBER
    assert rag("not started", None, None, date(2026, 3, 1), S, started=started) == RED
    assert rag_reason("not started", None, None, date(2025, 12, 1), S, started=started) == \
        "no update since the action started on 31/08/2025 is older than one update cycle (3 months)"
    # once there is an update, the update counts, not the start
    assert rag("in progress", None, date(2026, 2, 1), date(2026, 3, 1), S, started=date(2020, 1, 1)) == GREEN


def test_no_update_and_no_started_date_is_green_unless_the_target_says_otherwise():
    assert rag("not started", None, None, TODAY, S) == GREEN
    assert rag_reason("not started", None, None, TODAY, S) == "on track (no update yet)"
    assert rag("not started", TODAY + timedelta(days=10), None, TODAY, S) == AMBER
    assert rag("not started", TODAY - timedelta(days=1), None, TODAY, S) == RED


def test_blank_status_counts_as_not_started():
    assert rag(None, TODAY - timedelta(days=1), None, TODAY, S) == RED
    assert rag("", None, None, TODAY, S) == GREEN


# ---- precedence between the rules -------------------------------------------------------------

def test_red_target_is_reported_before_red_update():
    r = assess("in progress", date(2026, 2, 1), date(2025, 1, 1), TODAY, S)
    assert (r.word, r.reason) == (RED, "target date 01/02/2026 passed without completion")


def test_red_update_beats_amber_target():
    r = assess("in progress", TODAY + timedelta(days=10), date(2025, 8, 1), TODAY, S)
    assert r.word == RED and r.reason.startswith("last update 01/08/2025")


def test_amber_target_is_reported_before_amber_update():
    r = assess("in progress", TODAY + timedelta(days=10), date(2025, 11, 1), TODAY, S)
    assert (r.word, r.reason) == (AMBER, "target date 11/03/2026 is in 10 days")


def test_defaults_for_settings_and_today():
    far = date.today() + timedelta(days=400)
    assert rag("in progress", far, date.today()) == GREEN


# ---- roll-ups ------------------------------------------------------------------------------

def test_rollup_counts_in_brag_order():
    counts = rollup(["Red", "green", "", None, "BLUE", " Amber ", "Red"])
    assert counts == {"Blue": 1, "Green": 1, "Amber": 1, "Red": 2}
    assert list(counts) == ["Blue", "Green", "Amber", "Red"]
    assert rollup([]) == {"Blue": 0, "Green": 0, "Amber": 0, "Red": 0}


def test_rollup_rejects_unknown_words():
    with pytest.raises(ScrError, match="'Purple' is not a BRAG word.*Blue, Green, Amber, Red"):
        rollup(["Green", "Purple"])


@pytest.mark.parametrize("words, expected", [
    (["Blue", "Green", "Amber", "Red"], "Red"),
    (["Blue", "Amber", "Green"], "Amber"),
    (["Blue", "Green", "Blue"], "Green"),
    (["Blue", "blue"], "Blue"),
    (["", None], ""),
    ([], ""),
])
def test_worst(words, expected):
    assert worst(words) == expected


def test_worst_per_agency():
    actions = {"Police": ["Blue", "Green"], "Health": ["Green", "Red", "Amber"], "Education": ["Blue"]}
    assert {a: worst(w) for a, w in actions.items()} == {"Police": "Green", "Health": "Red", "Education": "Blue"}


# ---- history -------------------------------------------------------------------------------

MONTH_ENDS = [date(2025, 1, 31), date(2025, 2, 28), date(2025, 4, 30), date(2025, 5, 31),
              date(2025, 6, 30), date(2025, 7, 31), date(2025, 8, 31), date(2025, 10, 31)]

ACTIONS = [
    Action("1.1", target=date(2025, 6, 15), started=date(2025, 1, 15),
           status_changes=((date(2025, 7, 10), "complete - signed off"),)),
    Action("1.2", target=None, started=date(2025, 2, 1)),
    Action("2.1", target=date(2025, 7, 31), started=date(2025, 5, 1)),
    Action("2.2", target=None, started=date(2025, 1, 1)),
]
UPDATES = [
    Update(date(2025, 3, 20), "1.1", "in progress"),
    Update(date(2025, 6, 25), "1.1", "Completed"),
    Update(date(2025, 7, 15), "2.1", "in progress"),
    Update(date(2025, 3, 31), "2.2", None),  # an update with no status change still resets the clock
]


def test_history_by_hand():
    table = history(ACTIONS, UPDATES, MONTH_ENDS, S)
    assert list(table) == ["1.1", "1.2", "2.1", "2.2"]
    assert table["1.1"] == [
        "Green",  # 31/01: started 15/01, target 135 days away
        "Green",  # 28/02
        "Green",  # 30/04: updated 20/03
        "Amber",  # 31/05: target 15/06 is 15 days away
        "Green",  # 30/06: complete (25/06), awaiting sign-off, though the target passed
        "Blue",   # 31/07: signed off 10/07
        "Blue", "Blue",
    ]
    assert table["1.2"] == [
        "",       # 31/01: not yet in the plan (started 01/02)
        "Green",  # 28/02
        "Green",  # 30/04: 01/02 + 3 months = 01/05, not yet passed
        "Amber",  # 31/05
        "Amber",  # 30/06
        "Amber",  # 31/07: 01/02 + 6 months = 01/08, not yet passed
        "Red",    # 31/08
        "Red",
    ]
    assert table["2.1"] == [
        "", "", "",  # started 01/05
        "Green",  # 31/05: target 61 days away
        "Green",  # 30/06: 31 days away
        "Amber",  # 31/07: target today
        "Red",    # 31/08: target passed
        "Red",
    ]
    assert table["2.2"] == [
        "Green", "Green", "Green", "Green",
        "Green",  # 30/06: last update 31/03 + 3 months = 30/06, exactly one cycle
        "Amber",  # 31/07
        "Amber",  # 31/08
        "Red",    # 31/10: 31/03 + 6 months = 30/09 passed
    ]


def test_history_rollup_per_report_date():
    table = history(ACTIONS, UPDATES, MONTH_ENDS, S)
    per_date = history_rollup(table, MONTH_ENDS)
    assert per_date[date(2025, 1, 31)] == {"Blue": 0, "Green": 2, "Amber": 0, "Red": 0}
    assert per_date[date(2025, 7, 31)] == {"Blue": 1, "Green": 0, "Amber": 3, "Red": 0}
    assert per_date[date(2025, 10, 31)] == {"Blue": 1, "Green": 0, "Amber": 0, "Red": 3}


def test_history_counts_an_update_dated_on_the_report_date_and_ignores_later_ones():
    actions = [Action("A", target=None, started=date(2025, 1, 1))]
    updates = [Update(date(2025, 4, 30), "a", "in progress"), Update(date(2025, 5, 1), "A", "complete")]
    assert history(actions, updates, [date(2025, 4, 30), date(2025, 5, 1)], S) == {"A": ["Green", "Green"]}
    # as at 30/04 the status is in progress (update that day counts), as at 01/05 complete
    only_later = [Update(date(2025, 5, 1), "A", "complete")]
    assert history(actions, only_later, [date(2025, 4, 30)], S) == {"A": ["Amber"]}  # 01/01 + 3 months passed


def test_history_without_started_dates_is_green_until_the_target():
    actions = [Action("A", target=date(2025, 3, 31))]
    assert history(actions, [], [date(2025, 1, 31), date(2025, 3, 31), date(2025, 4, 1)], S) == \
        {"A": ["Green", "Amber", "Red"]}


def test_history_unknown_action_in_updates_names_the_known_ones():
    with pytest.raises(ScrError) as e:
        history(ACTIONS, [Update(date(2025, 3, 1), "9.9", "in progress")], MONTH_ENDS, S)
    msg = str(e.value)
    assert "'9.9'" in msg and "1.1, 1.2, 2.1, 2.2" in msg and "sheet 'Updates'" in msg


def test_history_bad_status_in_updates_says_which_update():
    with pytest.raises(ScrError, match="Status of update 1 'nearly'"):
        history(ACTIONS, [Update(date(2025, 3, 1), "1.1", "nearly")], MONTH_ENDS, S)


def test_history_duplicate_action_ids_are_refused():
    with pytest.raises(ScrError, match="appears twice"):
        history([Action("A"), Action("a")], [], MONTH_ENDS, S)
