"""tracker.extensions: one wording for an extension's Audit row, written and read back."""
from __future__ import annotations

import datetime as dt

import pytest

from tracker.case import CaseData, compute
from tracker.errors import ScrError
from tracker.extensions import EXTENDED, Extension, extension, extension_in

D = dt.date


def _plan():
    return compute(CaseData("EXT-01", "england-wt2023", D(2026, 11, 2), today=D(2026, 12, 4))).plan


@pytest.mark.parametrize("why", ["", "awaiting the criminal trial", "trial; then the inquest; agreed by the Panel on 01/01/2027"])
def test_an_extensions_audit_row_reads_back_as_it_was_written(why):
    e, _ = extension(_plan(), " LCSPR-Published ", D(2027, 9, 30), "  the   Panel ", D(2026, 12, 1), why)
    assert (e.milestone, e.was, e.agreed_by) == ("lcspr-published", D(2027, 5, 23), "the Panel")
    what, detail = e.audit()
    assert what == EXTENDED + "lcspr-published"
    back = extension_in(what, detail)
    assert back == Extension("lcspr-published", None, D(2027, 9, 30), "the Panel", D(2026, 12, 1), e.why)


def test_rows_that_are_not_extensions_are_not_read_as_one():
    assert extension_in("update sheet issued to Police", "due 01/01/2027 -> 02/02/2027; agreed by x on 01/01/2027") is None
    assert extension_in(EXTENDED + "rapid-review", "edited by hand") is None
    assert extension_in(EXTENDED + "rapid-review", "-> 31/02/2027; agreed by x on 01/01/2027") is None


def test_an_extension_needs_who_agreed_it():
    with pytest.raises(ScrError, match="say who agreed the extension"):
        extension(_plan(), "lcspr-published", D(2027, 9, 30), "  ", D(2026, 12, 1))
