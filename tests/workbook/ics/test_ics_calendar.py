"""`scr calendar` (issue 11 item 2): the Meetings sheet and every deadline as an .ics file, read
back by the icalendar library and by an independent parser (vobject), across a change of British
Summer Time, with ids that stay the same from one export to the next."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest
import vobject

from shared import scr_process, sha
from tracker.case import CaseData, compute
from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.read import locate, read_case
from workbook.commands.calendar import write_calendar
from workbook.commands.demo import run_demo
from workbook.xlsx.patch import Patch

D = dt.date
TODAY = D(2026, 11, 27)
UTC = dt.timezone.utc
# British Summer Time begins at 01:00 GMT on Sunday 28/03/2027: a 10:00 meeting on Friday 26/03 is
# 10:00 UTC, one on Monday 29/03 is 09:00 UTC.
WINTER, SUMMER = D(2027, 3, 26), D(2027, 3, 29)


def events(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def case(tmp_path):
    path = tmp_path / "CAL-01.xlsx"
    write_new(path, CaseData("CAL-01", "england-wt2023", D(2026, 11, 2), today=TODAY,
                             agencies=[{"agency": "Police", "involvement": "involved"}],
                             meetings=[{"date": WINTER, "start": "10:00", "end": "12:00", "what": "Panel meeting",
                                        "place": "Room 2", "who": "Panel members", "purpose": "Scope"},
                                       {"date": SUMMER, "start": "10.00", "end": "11:30",
                                        "what": "Practitioner learning event", "place": "Online"},
                                       {"date": D(2027, 4, 6), "what": "Board meeting"}]))
    return path


def test_deadlines_are_all_day_on_their_due_dates_and_meetings_at_their_uk_times(case):
    c = write_calendar(case, today=TODAY)
    assert c.path == case.parent / "CAL-01 calendar.ics" and (c.deadlines, c.meetings) == (5, 3)
    ev = events(c.path)
    results = compute(read_case(case))
    cid = read_case(case).case_id
    for p in results.plan.milestones:
        e = ev[f"{cid}-milestone-{p.id}@scr-tracker"]
        assert e.decoded("dtstart") == p.due and e.decoded("dtend") == p.due + dt.timedelta(days=1), p.id
    panel, learning, board = (ev[f"{cid}-meeting-M{i}@scr-tracker"] for i in (1, 2, 3))
    assert panel.decoded("dtstart") == dt.datetime(2027, 3, 26, 10, tzinfo=ZoneInfo("Europe/London"))
    assert panel.decoded("dtstart").astimezone(UTC).hour == 10  # GMT
    assert learning.decoded("dtstart").astimezone(UTC).hour == 9  # BST
    assert learning.decoded("dtend").astimezone(UTC) == dt.datetime(2027, 3, 29, 10, 30, tzinfo=UTC)
    assert str(panel["location"]) == "Room 2" and "Who: Panel members" in str(panel["description"])
    assert board.decoded("dtstart") == D(2027, 4, 6)  # no time typed: all day


def test_an_independent_parser_reads_the_same_times(case):
    path = write_calendar(case, today=TODAY).path
    cal = vobject.readOne(path.read_text(encoding="utf-8"))
    starts = {str(e.uid.value).split("-meeting-")[-1]: e.dtstart.value for e in cal.vevent_list if "-meeting-" in e.uid.value}
    assert starts["M1@scr-tracker"].astimezone(UTC) == dt.datetime(2027, 3, 26, 10, tzinfo=UTC)
    assert starts["M2@scr-tracker"].astimezone(UTC) == dt.datetime(2027, 3, 29, 9, tzinfo=UTC)
    assert len(cal.vtimezone_list) == 1 and cal.vtimezone.tzid.value == "Europe/London"


def test_a_later_export_keeps_every_id_so_a_calendar_updates_rather_than_duplicates(case):
    first = set(events(write_calendar(case, today=TODAY).path))
    wb = openpyxl.load_workbook(case)
    loc = locate(wb, L.MEETINGS_TABLE, case)
    p = Patch(case)
    p.set_cells(L.MEETINGS, {f"{loc.cols['date']}{loc.header_row + 1}": D(2027, 3, 25)})  # the panel meeting moved
    p.save(keep=0)
    second = events(write_calendar(case, today=TODAY).path)
    assert set(second) == first
    cid = read_case(case).case_id
    assert second[f"{cid}-meeting-M1@scr-tracker"].decoded("dtstart").date() == D(2027, 3, 25)


@pytest.mark.parametrize("cells, said", [
    ({"start": "25:00"}, "the time '25:00' is not a time"),
    ({"start": "14:00", "end": "13:00"}, "ends (13:00) before it starts (14:00)"),
    ({"date": "next Tuesday"}, "is not a date"),
])
def test_a_bad_meeting_row_is_named_and_nothing_is_written(case, cells, said):
    wb = openpyxl.load_workbook(case)
    loc = locate(wb, L.MEETINGS_TABLE, case)
    p = Patch(case)
    p.set_cells(L.MEETINGS, {f"{loc.cols[k]}{loc.header_row + 1}": v for k, v in cells.items()})
    p.save(keep=0)
    before = sha(case)
    with pytest.raises(ScrError) as e:
        write_calendar(case, today=TODAY)
    assert said in str(e.value) and "Meetings" in str(e.value) and f"row {loc.header_row + 1}" in str(e.value)
    assert sha(case) == before and not (case.parent / "CAL-01 calendar.ics").exists()


def test_a_case_made_before_the_meetings_sheet_gives_its_deadlines(tmp_path):
    path = tmp_path / "OLD.xlsx"
    write_new(path, CaseData("OLD-01", "england-wt2023", D(2026, 11, 2), today=TODAY))
    wb = openpyxl.load_workbook(path)
    del wb[L.MEETINGS]
    wb.save(path)
    c = write_calendar(path, today=TODAY)
    assert c.no_meetings_sheet and c.meetings == 0 and c.deadlines == 5


def test_the_demo_has_its_meetings_and_scr_calendar_says_what_it_wrote(tmp_path):
    demo = run_demo(tmp_path / "d", TODAY).path
    r = scr_process("calendar", str(demo), "--today", "27/11/2026")
    assert r.returncode == 0, r.stderr
    assert "5 meetings" in r.stdout and "deadlines" in r.stdout
    out = demo.parent / "DEMO-01 (fictional) calendar.ics"
    bad = scr_process("calendar", str(demo), "--out", str(demo))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and out.exists()
