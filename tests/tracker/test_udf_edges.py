"""Worksheet functions at the edges of the calendar and of their settings, called through xlwings'
dispatcher as Excel calls them: a message, or a sentence the workbook's IFERROR hands to its native twin."""
from __future__ import annotations

import pytest

from dispatch import value, xl
from case_edits import D, ROTHERHAM


def _answer_or_raised(call) -> str:
    """A worksheet function's text: its message, or (for a limit of the tracker, not bad input) the
    sentence it raises, so a case workbook's IFERROR hands over to the native twin."""
    from tracker.errors import ScrError
    try:
        out = value(xl(*call))
    except ScrError as e:
        return "raised: " + str(e)
    return out if isinstance(out, str) else out[0][0]


@pytest.mark.parametrize("call", [
    ("SCR_DEADLINE", D(9999, 12, 31), "chronologies-in", ROTHERHAM),
    ("SCR_DEADLINE", D(9999, 12, 31), [["chronologies-in"], ["text-decision"]], ROTHERHAM),
    ("SCR_FLAGS", D(9999, 12, 31), "chronologies-in", ROTHERHAM),
    ("SCR_TIMESCALE", D(9999, 12, 31), ROTHERHAM),
], ids=["deadline", "deadline-column", "flags", "timescale"])
def test_udf_day0_at_the_end_of_the_calendar(call):
    out = _answer_or_raised(call)
    assert out.startswith(("Error: ", "raised: ")) and "outside" in out and "Overflow" not in out, out


def test_udf_actual_at_the_end_of_the_calendar():
    out = _answer_or_raised(("SCR_DEADLINE", D(2026, 9, 1), "text-review-complete", ROTHERHAM,
                             [["text-decision", D(9999, 12, 31)]]))
    assert out.startswith("raised: ") and "outside" in out and "ValueError" not in out, out


@pytest.mark.parametrize("extra", [(None, 1e308), (None, None, 1e308)], ids=["cycle_months", "red_cycles"])
def test_udf_rag_huge_settings(extra):
    out = _answer_or_raised(("SCR_RAG", "in progress", D(2027, 1, 1), D(2026, 11, 1), D(2026, 11, 27), *extra))
    assert out.startswith("raised: ") and "more than" in out and "Overflow" not in out, out


@pytest.mark.parametrize("day0", [D(2080, 1, 1), D(1900, 3, 1)])
def test_udf_deadline_single_cell_and_column_agree(day0):
    single = _answer_or_raised(("SCR_DEADLINE", day0, "chronologies-in", ROTHERHAM))
    column = value(xl("SCR_DEADLINE", [[day0], [D(2026, 1, 5)]], "chronologies-in", ROTHERHAM))
    assert single == "raised: " + column[0][0].removeprefix("Error: ")


def test_udf_workday_keeps_the_shape_of_a_row_range():
    out = xl("WORKDAY_UK", [[D(2026, 9, 1), D(2026, 9, 2)]], 5)
    assert len(out) == 1 and len(out[0]) == 2, out
