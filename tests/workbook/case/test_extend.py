"""`scr extend` (issue 9 item 2, issue 10): an extension agreed moves the milestone's due date, keeps
the guide date beside it, records who agreed it, when and why, and the three faces agree after it."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from case_edits import fixed_case, timescale_row
from libreoffice import require_soffice
from oracles.addin import check_file
from oracles.test_native_twins import XLSX_FILTER, lo_convert_many, markers_left, poison
from shared import scr_process, sha
from tracker.case import CaseData
from tracker.errors import ScrError
from tracker.extensions import EXTENDED, Extension
from workbook.case import layout as L
from workbook.case.logs import extensions_log
from workbook.case.read import Reader, locate, read_case
from workbook.commands.extend import extend
from workbook.xlsx.patch import Patch

D = dt.date
TODAY = D(2026, 12, 4)
# England today, Day 0 Monday 02/11/2026: publication within 6 months of the decision (23/11/2026),
# 23/05/2027 (a Sunday; the profile does not roll it); the report goes to the Panel and the Secretary
# of State at least 7 working days before it.
GUIDE = D(2027, 5, 23)


_row = timescale_row


@pytest.fixture
def case(tmp_path):
    return fixed_case(tmp_path / "EXT-01 case file.xlsx", CaseData("EXT-01", "england-wt2023", D(2026, 11, 2), today=TODAY),
                      TODAY, {"lcspr-published": {"notes": "Family asked to see the draft."}})


def test_an_extension_moves_the_date_keeps_the_guide_and_records_who_agreed_when_and_why(case):
    before = {p.id: p.due for p in read_plan(case)}
    done = extend(case, "lcspr-published", D(2027, 9, 30), "the Panel", D(2026, 12, 1), "awaiting the criminal trial")
    e = done.extension
    assert (e.was, e.to, e.days, e.agreed_by, e.agreed_on) == (GUIDE, D(2027, 9, 30), 130, "the Panel", D(2026, 12, 1))
    assert read_case(case).overrides == {"lcspr-published": D(2027, 9, 30)}
    after = {p.id: p.due for p in read_plan(case)}
    assert after["lcspr-published"] == D(2027, 9, 30)
    # sent to the Panel at least 7 working days before publication: 21/09/2027, moved with it
    assert (before["send-to-panel-and-sos"], after["send-to-panel-and-sos"]) == (D(2027, 5, 13), D(2027, 9, 21))
    assert done.moved == 1
    wb = openpyxl.load_workbook(case, data_only=True)
    loc = locate(wb, L.TIMESCALE_TABLE, case)
    ws, r = wb[loc.sheet], _row(wb, "lcspr-published")
    assert ws[f"{loc.cols['guide']}{r}"].value.date() == GUIDE  # the original beside the new date
    assert ws[f"{loc.cols['notes']}{r}"].value == (
        "Family asked to see the draft.\n"  # what was typed is kept
        "Extended to 30/09/2027 (was 23/05/2027): agreed by the Panel on 01/12/2026; awaiting the criminal trial")
    audit = [[c.value for c in row] for row in wb[L.AUDIT].iter_rows()][-1]
    assert audit[1:4] == ["extend", EXTENDED + "lcspr-published",
                          "due 23/05/2027 -> 30/09/2027 (130 days later); agreed by the Panel on 01/12/2026; "
                          "why: awaiting the criminal trial"]
    assert done.backup is not None and done.backup.exists()
    # read back from the Audit in the same vocabulary (the portfolio's source)
    assert extensions_log(Reader(case)) == [Extension("lcspr-published", None, D(2027, 9, 30), "the Panel",
                                                      D(2026, 12, 1), "awaiting the criminal trial")]


def read_plan(path):
    from tracker.case import compute
    return compute(read_case(path)).plan.milestones


def test_after_an_extension_the_saved_values_the_add_in_and_the_native_formulas_agree(case, tmp_path):
    extend(case, "lcspr-published", D(2027, 9, 30), "the Panel", D(2026, 12, 1))
    report = check_file(case, "after an extension")
    assert report.compared > 20 and not report.differences, report.text()
    require_soffice()
    wb, data = openpyxl.load_workbook(case), openpyxl.load_workbook(case, data_only=True)
    loc = locate(wb, L.TIMESCALE_TABLE, case)
    due = f"{loc.cols['due']}{_row(wb, 'lcspr-published')}"
    assert data[loc.sheet][due].value.date() == D(2027, 9, 30)
    assert poison(case) > 20
    lo_convert_many([case], XLSX_FILTER, tmp_path / "lo", recalc=True)
    back = tmp_path / "lo" / case.name
    assert not markers_left(back)
    assert openpyxl.load_workbook(back, data_only=True)[loc.sheet][due].value.date() == D(2027, 9, 30)


@pytest.mark.parametrize("milestone, to, said", [
    ("lcspr-publish", D(2027, 9, 30), "Did you mean 'lcspr-published'?"),
    ("lcspr-published", D(2027, 5, 1), "is not later than the date milestone 'lcspr-published' is due (23/05/2027)"),
    ("notify-panel", D(2027, 1, 5), "was done on 06/11/2026"),
])
def test_what_is_not_an_extension_is_refused_and_nothing_changes(case, milestone, to, said):
    p = Patch(case)
    wb = openpyxl.load_workbook(case)
    loc = locate(wb, L.TIMESCALE_TABLE, case)
    p.set_cells(loc.sheet, {f"{loc.cols['actual']}{_row(wb, 'notify-panel')}": D(2026, 11, 6)})
    p.save(keep=0)
    before = sha(case)
    with pytest.raises(ScrError) as e:
        extend(case, milestone, to, "the Panel")
    assert said in str(e.value) and "nothing was changed" in str(e.value)
    assert sha(case) == before


def test_scr_extend_says_what_moved_and_warns_of_a_persons_name(case):
    r = scr_process("extend", str(case), "lcspr-published", "--to", "30/09/2027", "--agreed-by", "Kelly Smith",
                    "--on", "01/12/2026")
    assert r.returncode == 0, r.stderr
    assert "Extended lcspr-published" in r.stdout and "130 days later than 23/05/2027" in r.stdout
    assert "1 later milestone moved with it" in r.stdout
    assert "--agreed-by looks like a person's name" in r.stderr
    bad = scr_process("extend", str(case), "lcspr-published", "--to", "31/02/2027", "--agreed-by", "the Panel")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
