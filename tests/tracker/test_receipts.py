"""Return (receipt) status words of tracker.status: every word and its boundaries.

The SCR Overview (seed 001, p.58) logs, per agency, the date each document was requested,
promised and received; the deadline is the board's due date or a later date the agency promised.
"""
from datetime import date, timedelta

import pytest

from tracker import status
from tracker.status import (
    DUE_SOON_DAYS,
    NIL_RETURN,
    NOT_REQUESTED,
    PROMISED,
    RECEIPT_WORDS,
    RECEIVED_ON_TIME,
    REQUESTED,
    SIGNED_COPY_OUTSTANDING,
    needs_chase,
    receipt_deadline,
    receipt_status,
)

REQ = date(2025, 1, 6)
DUE = date(2025, 2, 3)


def on(days_before_deadline: int, deadline: date = DUE) -> date:
    """'today' so many days before the deadline (negative: after)."""
    return deadline - timedelta(days=days_before_deadline)


def test_the_words():
    assert RECEIPT_WORDS == ("not requested", "requested", "promised", "due soon", "overdue N days — chase",
                             "received on time", "received N days late", "signed copy outstanding", "nil return")
    assert DUE_SOON_DAYS == 7


# ---- deadline ------------------------------------------------------------------------------

@pytest.mark.parametrize("due, promised, expected", [
    (DUE, None, DUE),
    (None, DUE, DUE),
    (DUE, date(2025, 2, 10), date(2025, 2, 10)),   # a later promise moves the deadline
    (DUE, date(2025, 1, 20), DUE),                  # an earlier promise does not bring it forward
    (None, None, None),
])
def test_deadline_is_the_later_of_due_and_promised(due, promised, expected):
    assert receipt_deadline(due, promised) == expected


# ---- before anything is received --------------------------------------------------------------

def test_not_requested():
    assert receipt_status(None, None, today=DUE) == NOT_REQUESTED
    # a due date alone (the header's requested-by date) is not a request
    assert receipt_status(None, DUE, today=DUE + timedelta(days=30)) == NOT_REQUESTED


def test_requested_without_a_due_date_is_never_overdue():
    assert receipt_status(REQ, None, today=REQ + timedelta(days=400)) == REQUESTED


@pytest.mark.parametrize("days_left, word", [
    (30, REQUESTED),
    (8, REQUESTED),                     # one day outside the window
    (7, "due soon"),                    # window edge
    (1, "due soon"),
    (0, "due soon"),                    # due today is still due soon, not overdue
    (-1, "overdue 1 day — chase"),
    (-2, "overdue 2 days — chase"),
    (-45, "overdue 45 days — chase"),
])
def test_requested_due_soon_overdue_boundaries(days_left, word):
    assert receipt_status(REQ, DUE, today=on(days_left)) == word


def test_due_soon_window_setting():
    assert receipt_status(REQ, DUE, today=on(0), due_soon_days=0) == "due soon"
    assert receipt_status(REQ, DUE, today=on(1), due_soon_days=0) == REQUESTED
    assert receipt_status(REQ, DUE, today=on(14), due_soon_days=14) == "due soon"
    assert receipt_status(REQ, DUE, today=on(15), due_soon_days=14) == REQUESTED


def test_promised():
    later = date(2025, 2, 24)
    assert receipt_status(REQ, DUE, later, today=on(30, later)) == PROMISED
    assert receipt_status(REQ, DUE, later, today=on(8, later)) == PROMISED
    assert receipt_status(REQ, DUE, later, today=on(7, later)) == "due soon"
    # the board's due date has passed but the promise has not: not overdue
    assert receipt_status(REQ, DUE, later, today=DUE + timedelta(days=1)) == PROMISED
    assert receipt_status(REQ, DUE, later, today=later + timedelta(days=1)) == "overdue 1 day — chase"


def test_promised_without_a_request_counts_as_asked_for():
    assert receipt_status(None, None, DUE, today=on(20)) == PROMISED
    assert receipt_status(None, None, DUE, today=on(-3)) == "overdue 3 days — chase"


def test_an_earlier_promise_does_not_make_it_overdue_before_the_due_date():
    early = date(2025, 1, 20)
    assert receipt_status(REQ, DUE, early, today=date(2025, 1, 25)) == PROMISED
    assert receipt_status(REQ, DUE, early, today=DUE) == "due soon"


# ---- received --------------------------------------------------------------------------------

@pytest.mark.parametrize("received, word", [
    (date(2025, 1, 15), RECEIVED_ON_TIME),
    (DUE, RECEIVED_ON_TIME),                      # on the deadline is on time
    (DUE + timedelta(days=1), "received 1 day late"),
    (DUE + timedelta(days=2), "received 2 days late"),
    (DUE + timedelta(days=31), "received 31 days late"),
])
def test_received_on_time_or_late(received, word):
    # today does not matter once it is in
    assert receipt_status(REQ, DUE, None, received, today=date(2030, 1, 1)) == word


def test_received_late_is_counted_from_a_later_promise():
    promised = date(2025, 2, 10)
    assert receipt_status(REQ, DUE, promised, date(2025, 2, 10), today=DUE) == RECEIVED_ON_TIME
    assert receipt_status(REQ, DUE, promised, date(2025, 2, 12), today=DUE) == "received 2 days late"


def test_received_without_a_deadline_is_on_time():
    assert receipt_status(REQ, None, None, date(2025, 6, 1), today=date(2025, 6, 1)) == RECEIVED_ON_TIME
    assert receipt_status(None, None, None, date(2025, 6, 1), today=date(2025, 6, 1)) == RECEIVED_ON_TIME


# ---- signed copy (management reports: "signed hard copy to follow") ----------------------------

def test_signed_copy_outstanding_until_it_arrives():
    got = DUE + timedelta(days=3)
    assert receipt_status(REQ, DUE, None, got, today=got, signed_copy_due=True) == SIGNED_COPY_OUTSTANDING
    assert receipt_status(REQ, DUE, None, DUE, today=DUE, signed_copy_due=True) == SIGNED_COPY_OUTSTANDING
    # once the signed copy is in, the electronic copy's timeliness is what is reported
    assert receipt_status(REQ, DUE, None, got, today=got, signed_copy_due=True,
                          signed_copy_received=got + timedelta(days=5)) == "received 3 days late"
    assert receipt_status(REQ, DUE, None, DUE, today=DUE, signed_copy_due=True,
                          signed_copy_received=DUE) == RECEIVED_ON_TIME


def test_signed_copy_not_due_is_ignored():
    assert receipt_status(REQ, DUE, None, DUE, today=DUE, signed_copy_due=False) == RECEIVED_ON_TIME


def test_signed_copy_does_not_matter_before_the_electronic_copy_arrives():
    assert receipt_status(REQ, DUE, today=on(-2), signed_copy_due=True) == "overdue 2 days — chase"
    assert receipt_status(REQ, DUE, today=on(20), signed_copy_due=True) == REQUESTED


# ---- nil return ------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(requested=None, due=None),
    dict(requested=REQ, due=DUE, today=DUE + timedelta(days=60)),            # would be overdue
    dict(requested=REQ, due=DUE, received=DUE + timedelta(days=9)),          # would be late
    dict(requested=REQ, due=DUE, received=DUE, signed_copy_due=True),        # would be outstanding
])
def test_nil_return_takes_precedence(kwargs):
    kwargs.setdefault("today", DUE)
    assert receipt_status(nil_return=True, **kwargs) == NIL_RETURN


# ---- chasing --------------------------------------------------------------------------------

def test_needs_chase():
    assert needs_chase(receipt_status(REQ, DUE, today=on(-1)))
    for w in (REQUESTED, PROMISED, "due soon", RECEIVED_ON_TIME, "received 3 days late",
              SIGNED_COPY_OUTSTANDING, NIL_RETURN, NOT_REQUESTED):
        assert not needs_chase(w)


def test_today_defaults_to_today():
    far = date.today() + timedelta(days=100)
    assert receipt_status(date.today(), far) == REQUESTED
    assert status.receipt_status(date.today(), date.today() - timedelta(days=1)) == "overdue 1 day — chase"
