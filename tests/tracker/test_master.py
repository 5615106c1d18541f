"""The master action record's rules (tracker.master): the Board's sign-off read back from the
Updates entry `scr sign-off` writes, and what each action's record still lacks."""
from __future__ import annotations

import datetime as dt

from tracker.case import compute
from tracker.demo import demo_case
from tracker.master import board_sign_offs, master_actions, ready_to_sign, sign_off_text, signed_off_by

TODAY = dt.date(2026, 12, 2)


def test_who_signed_off_is_read_back_from_the_entry_sign_off_writes():
    assert signed_off_by(sign_off_text("Chair", "evidence seen: at the Board")) == "Chair"
    assert signed_off_by(sign_off_text("Board")) == "Board"
    assert signed_off_by("Briefings held for two of three teams.") == ""


def test_the_latest_board_sign_off_counts_and_an_agency_entry_does_not():
    log = [{"date": dt.date(2026, 10, 1), "action_id": "1.1", "status": "complete - signed off",
            "progress": sign_off_text("Board")},
           {"date": dt.date(2026, 11, 5), "action_id": " 1.1", "status": "complete - signed off",
            "progress": sign_off_text("Chair")},
           {"date": dt.date(2026, 11, 6), "action_id": "2.1", "status": "complete - awaiting sign-off",
            "progress": "Signed off by our director"}]
    assert board_sign_offs(log) == {"1.1": ("Chair", dt.date(2026, 11, 5))}


def test_each_action_says_what_its_record_still_lacks():
    case = demo_case(TODAY)
    log = [{"date": dt.date(2026, 11, 8), "action_id": "1.1", "status": "complete - signed off",
            "progress": sign_off_text("Board")}]
    actions = master_actions(case, compute(case), log)
    assert [m.row["action_id"] for m in actions] == [a["action_id"] for a in case.actions]
    first, last = actions[0], actions[-1]
    assert (first.board_by, first.board_on, first.missing) == ("Board", dt.date(2026, 11, 8), [])
    assert last.missing[0] == "the Board's sign-off" and "intended outcome" in last.missing
    assert not ready_to_sign(actions)
    assert ready_to_sign([first])
    assert not ready_to_sign([])
