"""Every document a board manager prints, rendered by LibreOffice: no text under 8 pt, page counts
in bounds, the marking and page numbers on every page (issue 12 item 1). Before the page rule
(workbook/xlsx/pages.py) the smallest text was 3.4 pt (case workbook), 3.7 (update sheet),
5.3 (Board report) and 4.6 (chronology), and the case file printed 17 pages."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from libreoffice import convert, soffice_available
from print_pages import documents, measure

pytestmark = pytest.mark.skipif(not soffice_available(), reason="needs LibreOffice")

# the case file: 20-21 pages since the Record and Update rounds sheets and the action record's columns
PAGES = {"case": (8, 24), "update sheet": (2, 4), "report": (4, 7), "chronology": (1, 3)}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    return {name: measure(convert(path, "pdf", out / "pdf")) for name, path in documents(out / "docs").items()}


@pytest.mark.parametrize("name", list(PAGES))
def test_text_is_at_least_8pt_and_pages_in_bounds(printed, name):
    p = printed[name]
    assert not p.small_words, f"{name}: text under 8 pt: {p.small_words[:10]}"
    lo, hi = PAGES[name]
    assert lo <= p.pages <= hi, f"{name}: {p.pages} pages"


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_marking_page_numbers_and_a_uk_date(printed, name):
    p = printed[name]
    for n, text in enumerate(p.text, 1):
        assert "OFFICIAL-SENSITIVE" in text, (name, n)
        assert f"Page {n} of {p.pages}" in text, (name, n)
        # written as text, not the locale's &D: the as-at date, or the day the file was made
        made = {d.strftime("%d/%m/%Y") for d in (dt.date(2026, 12, 2), dt.date.today())}
        assert any(re.search(rf"\b{re.escape(d)}\b", text) for d in made), (name, n)


def test_settings_page_hides_the_key_and_holidays_print_only_the_case_years(printed):
    text = printed["case"].text
    settings = [t for t in text if t.startswith("Settings")]
    assert len(settings) == 1 and "signing key" not in settings[0]
    holidays = " ".join(t for t in text if t.startswith("Non-working days"))
    assert "2075" not in holidays and "1995" not in holidays


def test_a_sheet_printed_across_pages_continues_on_the_next_page_with_nothing_cut_off(printed):
    """A wide sheet repeats column A on every page: what stands in A must fit in it (a short title,
    the rest from column B), and the rest of a row is the very next page (printed across first)."""
    text = printed["case"].text
    for sheet in ("Timescale", "Action plan"):
        pages = [t for t in text if t.startswith(sheet)]
        assert len(pages) >= 2, sheet
        for n, page in enumerate(pages):
            words = page.split()
            if n < 2:  # the title rows print on the first page across and its continuation
                assert "SCR" in words, (sheet, page[:80])  # the short title in column A, whole
            # what the long title in A left when cut at A's edge ("Serious Case Revie", "Action p")
            assert not {"Revie", "Revi", "p", "Blue:"} & set(words), (sheet, page[:80])
    first = next(i for i, t in enumerate(text) if t.startswith("Timescale"))
    assert "Flags" not in text[first] and "Flags" in text[first + 1]
