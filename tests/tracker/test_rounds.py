"""Update rounds (tracker.rounds): every round kept, the slots showing the latest two."""
from __future__ import annotations

import datetime as dt

from tracker.rounds import TYPED, Round, RoundLog, shown, slot_cells

D = dt.date
DUE = lambda d: d + dt.timedelta(days=28)  # noqa: E731


def test_the_slots_show_round_1_then_rounds_1_and_2_then_the_latest_two():
    rs = [Round("Police", n, D(2026, n, 1)) for n in (1, 2, 3)]
    assert shown([]) == {}
    assert shown(rs[:1]) == {"update_1": rs[0]}
    assert shown(rs[:2]) == {"update_1": rs[0], "update_2": rs[1]}
    assert shown(rs) == {"update_1": rs[1], "update_2": rs[2]}
    assert slot_cells(rs)["update_1_requested"] == D(2026, 2, 1) and slot_cells(rs)["update_2_requested"] == D(2026, 3, 1)


def test_a_third_round_moves_the_second_into_slot_1_and_keeps_the_first_in_the_log():
    log = RoundLog([], DUE)
    row = {"agency": "Police"}
    for n, day in enumerate((D(2026, 1, 5), D(2026, 4, 6)), 1):
        cells, note = log.issue(row, day, DUE(day), f"id{n}")
        assert cells == {f"update_{n}_requested": day} and note == ""
        row.update(cells)
    row["update_2_promised"] = D(2026, 5, 1)  # typed on the Agencies sheet
    cells, note = log.issue(row, D(2026, 7, 6), DUE(D(2026, 7, 6)), "id3")
    assert cells == {"update_1_requested": D(2026, 4, 6), "update_1_promised": D(2026, 5, 1), "update_1_received": None,
                     "update_2_requested": D(2026, 7, 6), "update_2_promised": None, "update_2_received": None}
    assert [(r.number, r.requested, r.issue_id) for r in log.rounds] == [
        (1, D(2026, 1, 5), "id1"), (2, D(2026, 4, 6), "id2"), (3, D(2026, 7, 6), "id3")]
    assert log.rounds[1].promised == D(2026, 5, 1)  # the typed promise went with its round into the log
    assert "round 1 (requested 05/01/2026) is kept in Update rounds" in note and "round 2" in note


def test_a_return_fills_its_own_round_else_the_oldest_open_one():
    rounds = [Round("Police", 1, D(2026, 1, 5), issue_id="a", row=4), Round("Police", 2, D(2026, 4, 6), issue_id="b",
                                                                            row=5),
              Round("Police", 3, D(2026, 7, 6), issue_id="c", row=6)]
    log = RoundLog(rounds)
    row = {"agency": "police", **slot_cells(rounds)}
    assert log.receive(row, "c", D(2026, 7, 20)) == {"update_2_received": D(2026, 7, 20)}
    assert rounds[2].received == D(2026, 7, 20) and rounds[2].changed and not rounds[0].changed
    # round 1 left the slots: only the log takes its receipt
    assert log.receive(row, "a", D(2026, 7, 21)) == {} and rounds[0].received == D(2026, 7, 21)
    # no issue id (a typed action record accepted): the oldest still open
    assert log.receive(row, None, D(2026, 7, 22)) == {"update_1_received": D(2026, 7, 22)}
    assert rounds[1].received == D(2026, 7, 22)
    assert log.receive(row, None, D(2026, 7, 23)) == {}  # nothing open: nothing changes


def test_rounds_typed_on_the_agencies_sheet_join_the_log():
    log = RoundLog([], DUE)
    row = {"agency": "Police", "update_1_requested": D(2026, 1, 5), "update_1_received": D(2026, 1, 30)}
    mine = log.of(row)
    assert [(r.number, r.requested, r.due, r.received, r.note) for r in mine] == [
        (1, D(2026, 1, 5), DUE(D(2026, 1, 5)), D(2026, 1, 30), TYPED)]
    assert log.of(row) == mine and len(log.rounds) == 1  # met once, not again


def test_without_the_log_sheet_the_audit_note_keeps_the_round_that_leaves_the_slots():
    log = RoundLog(None)
    row = {"agency": "Police", "update_1_requested": D(2026, 1, 5), "update_1_received": D(2026, 2, 1),
           "update_2_requested": D(2026, 4, 6)}
    cells, note = log.issue(row, D(2026, 7, 6), None, "id3")
    assert cells["update_1_requested"] == D(2026, 4, 6) and cells["update_2_requested"] == D(2026, 7, 6)
    assert "requested 05/01/2026, received 01/02/2026" in note and "kept in this Audit row only" in note
