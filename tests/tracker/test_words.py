"""One vocabulary and one rule for what a cell holds (tracker/words.py), in every face.

The words are read as Excel's TRIM and case-blind "=" read them; a date cell holds a real date;
an input error is one message, which the domain (the value `scr` saves), the worksheet functions
and the native twins (after LibreOffice recalculates) all show.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from xlsxwriter.utility import xl_col_to_name

from dispatch import value, xl
from libreoffice import recalc
from tracker import words
from tracker.frontsheet import P57_KEYS
from tracker.plan import make_plan
from tracker.rag import assess_cells
from tracker.receipts import Receipt
from tracker.status import milestone_cell
from workbook.case import formulas as fx
from workbook.case import layout as L
from workbook.case.build import build_workbook
from tracker.case import CaseData, compute
from workbook.xlsx.patch import Patch

D = dt.date
TODAY = D(2026, 6, 15)
ROTHERHAM = "rotherham-2009"


# ---- the rule for a date cell ----------------------------------------------------------------

@pytest.mark.parametrize("cell, want", [
    (None, None), ("", None), ("   ", None), (float("nan"), None),
    (D(2026, 6, 15), D(2026, 6, 15)), (dt.datetime(2026, 6, 15, 9, 30), D(2026, 6, 15)),
    (46188, D(2026, 6, 15)), (46188.75, D(2026, 6, 15)),
])
def test_a_date_cell_holds_a_date_or_nothing(cell, want):
    assert words.date_cell(cell, "due date") == want


@pytest.mark.parametrize("cell, shown", [("15/06/2026", "15/06/2026"), ("  next   week ", "next week"),
                                         (True, "TRUE"), ("n/a", "n/a")])
def test_text_in_a_date_cell_is_an_input_error_even_when_it_looks_like_a_date(cell, shown):
    with pytest.raises(words.InputError) as e:
        words.date_cell(cell, "due date")
    assert e.value.cell_text == (f"Error: due date '{shown}' is not a date. "
                                 "Fix: Enter a date (dd/mm/yyyy) so the cell holds a date, not text.")


def test_n_a_only_where_a_cell_may_be_not_applicable():
    for spelling in ("n/a", " N/A ", "Not Applicable", "none needed"):
        assert words.date_cell(spelling, "done date", na_ok=True) == "n/a"


# ---- words, as Excel compares them --------------------------------------------------------------

@pytest.mark.parametrize("cell, nil", [
    ("involved", False), (" Involved ", False), ("", False), (None, False), (False, False), ("no", False),
    ("nil return", True), ("NIL  RETURN", True), ("no involvement", True), ("nil", True), (True, True),
    ("yes", True), (1, True), (1.0, True), (0, False),
])
def test_involvement_words(cell, nil):
    assert words.involvement_is_nil(cell) is nil


def test_an_unknown_involvement_word_names_the_drop_down():
    with pytest.raises(words.InputError) as e:
        words.involvement_is_nil("not sure")
    assert e.value.cell_text == ("Error: Involvement 'not sure' is not one of the words the workbook knows. "
                                 "Fix: Use one of: involved, nil return.")


def test_action_status_is_a_drop_down_word():
    assert words.action_status("  COMPLETE -  signed off ") == words.SIGNED_OFF  # TRIM and case, as Excel
    assert words.action_status("") is None
    with pytest.raises(words.InputError):
        words.action_status("closed")  # `scr import` reads this spelling; the sheet's cell does not


def test_the_drop_downs_are_the_vocabulary():
    assert L.AGENCIES_TABLE.columns[L.AGENCIES_TABLE.col("involvement") - 1].choices is words.INVOLVEMENT_CHOICES
    assert L.ACTIONS_TABLE.columns[L.ACTIONS_TABLE.col("status") - 1].choices is words.ACTION_STATUSES
    assert L.HOLIDAYS_TABLE.columns[L.HOLIDAYS_TABLE.col("kind") - 1].choices is words.HOLIDAY_KINDS
    native = fx.receipt_status("A1", "B1", "C1", "D1", "E1")
    for w in (*words.NIL_WORDS, words.INVOLVED):
        assert f'TRIM(E1)="{w}"' in native, w
    for w in words.NA_WORDS:
        assert f'TRIM(B1)="{w}"' in fx.milestone_status("A1", "B1"), w


# ---- the domain reads cells by the rule, and the add-in gives the same ----------------------------

def test_receipt_from_cells_reads_the_involvement_cell_and_reports_the_first_bad_input():
    ok = Receipt.from_cells("A", "chronology", requested=D(2026, 6, 1), due=D(2026, 6, 10), nil_return="involved")
    assert ok.status(TODAY) == "overdue 5 days — chase"
    assert Receipt.from_cells("A", "chronology", nil_return=" Nil Return ").status(TODAY) == "nil return"
    bad = Receipt.from_cells("A", "chronology", requested="last week", received="tbc", nil_return="maybe")
    assert bad.status(TODAY).startswith("Error: requested date 'last week' is not a date.")
    args = ("last week", None, None, "tbc", TODAY, "maybe", False, None, 7)
    assert value(xl("SCR_RECEIPT", *args)) == bad.status(TODAY)


def test_text_in_an_actual_or_override_counts_as_no_date_and_its_own_cell_says_so():
    plan = make_plan(ROTHERHAM, D(2008, 1, 1), actuals={"text-chair-refers": "10/01/2008"},
                     overrides={"chronologies-in": "soon"})
    clean = make_plan(ROTHERHAM, D(2008, 1, 1))
    assert plan.due_dates() == clean.due_dates()  # as the native Due formulas (ISNUMBER) count them
    assert plan["text-chair-refers"].status(TODAY) == milestone_cell(clean["text-chair-refers"].due, "10/01/2008", TODAY)
    assert plan["text-chair-refers"].status(TODAY).startswith("Error: done date '10/01/2008' is not a date.")
    assert plan["chronologies-in"].flag_text().startswith("Error: override date 'soon' is not a date.")
    assert plan["text-panel-meets"].flag_text() == ""  # not re-planned from text


def test_brag_of_an_unknown_status_or_a_text_date_is_the_message():
    assert assess_cells("in progress", D(2026, 6, 1), None, TODAY).word == "Red"
    assert assess_cells("closed", None, None, TODAY).word.startswith("Error: Action status 'closed'")
    assert assess_cells("in progress", "end of June", None, TODAY).word.startswith("Error: target date 'end of June'")
    assert value(xl("SCR_RAG", "in progress", "end of June", None, TODAY)) == \
        assess_cells("in progress", "end of June", None, TODAY).word


# ---- the native twins print the same messages -------------------------------------------------------

BAD = "tbc"


def _bad_case() -> CaseData:
    agencies = [{"agency": "Agency A", "involvement": "involved", "chronology_promised": D(2026, 6, 20)},
                {"agency": "Agency B", "involvement": "not sure"},
                {"agency": "Agency C", "involvement": " Nil Return "}]
    actions = [{"action_id": "1.1", "status": "in progress", "target": D(2026, 7, 1), "last_update": D(2026, 6, 1)},
               {"action_id": "1.2", "status": "in progress", "target": D(2026, 7, 1), "agreed": D(2026, 1, 5)}]
    return CaseData("WORDS-01", ROTHERHAM, D(2026, 3, 2), today=TODAY, agencies=agencies, actions=actions,
                    actuals={"refer-standing-panel": D(2026, 3, 6)}, front_actuals={"critical_incident": D(2026, 2, 27)})


@pytest.mark.usefixtures("libreoffice_required")
def test_text_pasted_into_date_cells_gives_the_same_message_natively_as_scr_and_the_add_in(tmp_path):
    """The file is written clean; then text is pasted into date cells of every sheet, the saved
    values left as they were (as a paste leaves them where nothing recalculates). LibreOffice,
    recalculating with only the native twins, must show exactly what compute() gives for the
    pasted inputs: the messages, and the dates that ignore the text."""
    case = _bad_case()
    path = tmp_path / "words.xlsx"
    build_workbook(path, case)
    ts, ag, ac, fr = L.TIMESCALE_TABLE, L.AGENCIES_TABLE, L.ACTIONS_TABLE, L.FRONT_TABLE
    ref = lambda t, key, row: f"{xl_col_to_name(t.col(key) - 1)}{row}"  # noqa: E731
    pasted = {L.TIMESCALE: {ref(ts, "actual", ts.first_row): BAD, ref(ts, "override", ts.first_row + 4): BAD},
              L.AGENCIES: {ref(ag, "chronology_received", ag.first_row): BAD},
              L.ACTIONS: {ref(ac, "last_update", ac.first_row): BAD, ref(ac, "revised_target", ac.first_row + 1): BAD},
              L.FRONT: {ref(fr, "actual", fr.first_row): BAD}}
    p = Patch(path)
    for sheet, cells in pasted.items():
        p.set_cells(sheet, cells)
    p.save(keep=0)
    ids = [m.id for m in compute(case).profile.milestones]
    case.actuals[ids[0]] = BAD
    case.overrides[ids[4]] = BAD
    case.agencies[0]["chronology_received"] = BAD
    case.actions[0]["last_update"] = BAD
    case.actions[1]["revised_target"] = BAD
    case.front_actuals[P57_KEYS[0]] = BAD
    r = compute(case)
    want = {(L.TIMESCALE, ref(ts, key, ts.first_row + i)): v for i, p_ in enumerate(r.plan.milestones)
            for key, v in (("due", p_.due), ("status", r.timescale_status[p_.id]), ("flags", p_.flag_text() or None))}
    for i, res in enumerate(r.agencies):
        want.update({(L.AGENCIES, ref(ag, f"{k}_status", ag.first_row + i)): s for k, s in res.statuses.items()})
    want.update({(L.ACTIONS, ref(ac, "rag", ac.first_row + i)): a.word for i, a in enumerate(r.actions)})
    want.update({(L.FRONT, ref(fr, "status", fr.first_row + i)): s for i, (_, _, s) in enumerate(r.front)})
    messages = [v for v in want.values() if isinstance(v, str) and v.startswith("Error: ")]
    assert len(messages) == 6 + 5, messages  # one per pasted cell; the unknown involvement spoils its 5 returns
    out = openpyxl.load_workbook(recalc(path, tmp_path / "out"), data_only=True)
    got = {k: out[k[0]][k[1]].value for k in want}
    got = {k: v.date() if isinstance(v, dt.datetime) else (None if v == "" else v) for k, v in got.items()}
    assert {k: v for k, v in got.items() if v != want[k]} == {}


@pytest.mark.usefixtures("libreoffice_required")
def test_text_in_day0_is_one_message_passed_on_natively_and_with_the_add_in(tmp_path):
    """Text pasted into the Day 0 cell: natively (LibreOffice recalculating) every Due cell says
    Day 0 is not a date and every Status cell passes that message on; the add-in says the same."""
    path = tmp_path / "day0.xlsx"
    build_workbook(path, _bad_case())
    p = Patch(path)
    p.set_cells(L.TIMESCALE, {L.TS_DAY0_CELL.replace("$", ""): "next Monday"})
    p.save(keep=0)
    out = recalc(path, tmp_path / "out")
    ts = L.TIMESCALE_TABLE
    ws = openpyxl.load_workbook(out, data_only=True)[L.TIMESCALE]
    message = ("Error: Day 0 'next Monday' is not a date. "
               "Fix: Enter a date (dd/mm/yyyy) so the cell holds a date, not text.")
    n = len(compute(_bad_case()).plan.milestones)
    for key in ("due", "status", "flags"):
        column = [ws.cell(ts.first_row + i, ts.col(key)).value for i in range(n)]
        assert column == [message] * n, (key, column)
    mid = compute(_bad_case()).plan.milestones[1].id
    assert value(xl("SCR_DEADLINE", "next Monday", mid, ROTHERHAM)) == message
    assert value(xl("SCR_FLAGS", "next Monday", mid, ROTHERHAM)) == message
    assert value(xl("SCR_STATUS", message, None, TODAY)) == message  # passed on, not wrapped


def test_a_misspelt_status_names_the_word_meant_and_a_stranger_none():
    import pytest
    from tracker.errors import ScrError
    from tracker.rag import parse_status
    with pytest.raises(ScrError) as near:
        parse_status("in progres")
    assert "Did you mean 'in progress'?" in str(near.value)
    with pytest.raises(ScrError) as far:
        parse_status("banana")
    assert "Did you mean" not in str(far.value) and "Use one of: not started" in str(far.value)
