"""Bank holidays against the real bundled GOV.UK data and the real `holidays` rules (no mocks)."""
import subprocess
import sys
from datetime import date, datetime

import holidays
import pytest

from tracker.bankholidays import (
    NATIONS,
    BankHoliday,
    _whole_years,
    bank_holidays,
    canonical_nation,
    closure_days,
    govuk_last_date,
    govuk_years,
    holiday_dates,
    is_provisional,
)
from tracker.errors import ScrError

EW, SCOT, NI = NATIONS


def by_date(nation, year):
    return {h.date: h for h in bank_holidays(nation, year, year)}


# ---- nations -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("england-and-wales", EW), ("England", EW), ("WALES", EW), ("E&W", EW),
    ("England & Wales", EW), ("england_and_wales", EW), ("GB-ENG", EW), (None, EW), ("", EW),
    ("Scotland", SCOT), ("scot", SCOT), ("SCT", SCOT),
    ("Northern Ireland", NI), ("NI", NI), ("n. ireland", NI), ("nir", NI),
])
def test_canonical_nation_accepts_aliases(name, expected):
    assert canonical_nation(name) == expected


@pytest.mark.parametrize("name", ["Ireland", "UK", "France", "eng land x"])
def test_unknown_nation_is_an_scr_error(name):
    with pytest.raises(ScrError) as err:
        bank_holidays(name, 2024, 2024)
    assert name in str(err.value) and "scotland" in str(err.value)


# ---- GOV.UK coverage ---------------------------------------------------------------------------

@pytest.mark.parametrize("nation", NATIONS)
def test_govuk_coverage_is_whole_years(nation):
    first, last = govuk_years(nation)
    assert first <= 2018 and last >= 2026
    assert govuk_last_date(nation).year == last
    assert govuk_last_date(nation) >= date(last, 12, 26)


def test_partial_years_are_not_counted_as_covered():
    assert _whole_years(date(2012, 1, 2), date(2028, 12, 26)) == (2012, 2028)
    assert _whole_years(date(2012, 1, 3), date(2028, 12, 28)) == (2012, 2028)
    # data starting at Easter or stopping at the summer bank holiday misses part of the year
    assert _whole_years(date(2018, 3, 30), date(2027, 8, 30)) == (2019, 2026)
    assert _whole_years(date(2018, 1, 1), date(2027, 12, 25)) == (2018, 2026)


def test_defaults_are_the_govuk_years_sorted_and_typed():
    first, last = govuk_years(EW)
    all_ = bank_holidays()
    assert all_ == tuple(sorted(all_))
    assert all_[0].date.year == first and all_[-1].date.year == last
    assert all(isinstance(h, BankHoliday) and h.source == "gov.uk" and not h.provisional
               for h in all_)
    assert holiday_dates(EW, first, last) == tuple(h.date for h in all_)


def test_every_bank_holiday_is_a_weekday():
    for nation in NATIONS:
        assert all(d.weekday() < 5 for d in holiday_dates(nation, 2000, 2040))


@pytest.mark.parametrize("years", [(1899, 1900), (2030, 2029), (2100, 2101)])
def test_years_out_of_range_are_an_scr_error(years):
    with pytest.raises(ScrError):
        bank_holidays(EW, *years)


def test_loading_never_touches_the_network_library():
    # BankHolidays() downloads unless told not to; reading the JSON ourselves keeps `requests`
    # (and so any download) out of the process entirely.
    code = ("import sys, tracker.bankholidays as b; b.bank_holidays(); b.bank_holidays('ni', 2030);"
            "assert 'requests' not in sys.modules and 'govuk_bank_holidays.bank_holidays' "
            "not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- named one-off and moved days (GOV.UK data) -------------------------------------------------

def test_2012_diamond_jubilee():
    days = by_date(EW, 2012)
    assert date(2012, 6, 4) in days and date(2012, 6, 5) in days
    assert date(2012, 5, 28) not in days  # the usual last-Monday-of-May moved
    assert days[date(2012, 6, 5)].source == "gov.uk"


def test_2020_early_may_bank_holiday_moved_to_ve_day():
    days = by_date(EW, 2020)
    assert date(2020, 5, 8) in days
    assert date(2020, 5, 4) not in days
    assert days[date(2020, 5, 8)].source == "gov.uk"


def test_2022_platinum_jubilee_and_state_funeral():
    days = by_date(EW, 2022)
    assert {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)} <= set(days)
    assert date(2022, 5, 30) not in days


def test_2023_coronation():
    assert date(2023, 5, 8) in by_date(EW, 2023)


def test_substitute_days():
    days_2021, days_2022 = by_date(EW, 2021), by_date(EW, 2022)
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= set(days_2021)
    assert date(2021, 12, 25) not in days_2021  # GOV.UK lists the day off, not the Saturday
    assert date(2022, 1, 3) in days_2022


# ---- differences between nations ---------------------------------------------------------------

def test_second_of_january_is_scottish_only():
    assert date(2024, 1, 2) in by_date(SCOT, 2024)
    assert date(2024, 1, 2) not in by_date(EW, 2024)
    assert date(2024, 1, 2) not in by_date(NI, 2024)


def test_st_andrews_day_and_its_substitute_in_scotland():
    assert date(2023, 11, 30) in by_date(SCOT, 2023)
    assert date(2020, 11, 30) in by_date(SCOT, 2020)  # a Monday: the Sunday 29th is no holiday
    assert date(2025, 12, 1) in by_date(SCOT, 2025)  # 30 Nov 2025 is a Sunday
    assert date(2020, 11, 30) not in by_date(EW, 2020)


def test_scottish_summer_holiday_is_first_monday_of_august():
    assert date(2024, 8, 5) in by_date(SCOT, 2024)
    assert date(2024, 8, 26) not in by_date(SCOT, 2024)
    assert date(2024, 8, 26) in by_date(EW, 2024)
    assert date(2024, 8, 5) not in by_date(EW, 2024)
    assert date(2024, 8, 26) in by_date(NI, 2024)  # Northern Ireland follows England here


def test_northern_ireland_st_patrick_and_boyne():
    days_2023, days_2025 = by_date(NI, 2023), by_date(NI, 2025)
    assert {date(2023, 3, 17), date(2023, 7, 12)} <= set(days_2023)
    assert date(2025, 7, 14) in days_2025 and date(2025, 7, 12) not in days_2025  # Sat -> Mon
    assert date(2024, 3, 18) in by_date(NI, 2024)  # 17 Mar 2024 is a Sunday
    assert date(2023, 3, 17) not in by_date(EW, 2023)


# ---- years outside GOV.UK ----------------------------------------------------------------------

def test_2008_england_and_wales_from_the_rules():
    assert holiday_dates(EW, 2008, 2008) == (
        date(2008, 1, 1), date(2008, 3, 21), date(2008, 3, 24), date(2008, 5, 5),
        date(2008, 5, 26), date(2008, 8, 25), date(2008, 12, 25), date(2008, 12, 26))
    assert all(h.source == "holidays-rules" and not h.provisional
               for h in bank_holidays(EW, 2008, 2008))
    assert not is_provisional(EW, date(2008, 5, 5))


def test_2011_royal_wedding_from_the_rules():
    assert date(2011, 4, 29) in by_date(EW, 2011)


def test_year_beyond_govuk_is_provisional_and_sensible():
    year = govuk_years(EW)[1] + 1
    found = bank_holidays(EW, year, year)
    assert len(found) == 8
    assert date(year, 12, 25) in {h.date for h in found} or date(year, 12, 25).weekday() >= 5
    assert any("Christmas" in h.title for h in found)
    assert all(h.provisional and h.source == "holidays-rules" for h in found)
    assert is_provisional(EW, date(year, 6, 1))
    assert is_provisional("scotland", datetime(year, 6, 1, 9, 30))
    assert len(bank_holidays(SCOT, year, year)) == 9
    assert len(bank_holidays(NI, year, year)) == 10


def test_covered_years_are_not_provisional():
    first, last = govuk_years(EW)
    assert not is_provisional(EW, date(last, 12, 31))
    assert not is_provisional(EW, date(first, 1, 1))
    assert not any(h.provisional for h in bank_holidays(EW, first, last))


def test_a_range_spanning_the_edge_mixes_sources_in_order():
    last = govuk_years(NI)[1]
    found = bank_holidays(NI, last, last + 1)
    assert found == tuple(sorted(found))
    assert {h.source for h in found if h.date.year == last} == {"gov.uk"}
    assert {h.source for h in found if h.date.year == last + 1} == {"holidays-rules"}


def test_rules_agree_with_govuk_on_every_covered_year():
    """Tripwire: the fallback is only trustworthy because it matches GOV.UK where both exist.

    The one known difference: `holidays` has a Scottish bank holiday on 15 June 2026 (FIFA
    World Cup, proclaimed Feb 2026) that the bundled GOV.UK copy predates. If this fails after
    a package upgrade, look at what changed before editing the expected set.
    """
    subdiv = {EW: "ENG", SCOT: "SCT", NI: "NIR"}
    differences = set()
    for nation in NATIONS:
        first, last = govuk_years(nation)
        govuk = set(holiday_dates(nation, first, last))
        rules = {d for d in holidays.country_holidays("GB", subdiv=subdiv[nation],
                                                      years=range(first, last + 1))
                 if d.weekday() < 5}
        differences |= {(nation, d) for d in govuk ^ rules}
    assert differences <= {(SCOT, date(2026, 6, 15))}


# ---- closure days ------------------------------------------------------------------------------

def test_closure_days_good_entries():
    assert closure_days(None) == ()
    assert closure_days([]) == ()
    assert closure_days(date(2025, 12, 29)) == (date(2025, 12, 29),)
    assert closure_days([datetime(2025, 12, 29, 0, 0), "2025-12-30", "31/12/2025", None, "  "]) == (
        date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31))
    assert closure_days("27/12/2025-31/12/2025") == tuple(date(2025, 12, d) for d in range(27, 32))
    assert closure_days("2025-12-27..2025-12-31") == tuple(date(2025, 12, d) for d in range(27, 32))
    assert closure_days("2025-12-30 - 2026-01-02") == (
        date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2))
    # one settings cell with several entries, repeats and overlaps collapsed, single-digit d/m
    assert closure_days("2/1/2026; 24/12/2025-26/12/2025, 25/12/2025") == (
        date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 2))


@pytest.mark.parametrize("entry", [
    "31/02/2025",           # not a real day
    "2025-13-01",           # not a real month
    "27/12/25",             # two-digit year is ambiguous
    "12/27/2025",           # American order
    "next Friday",
    "31/12/2025-27/12/2025",  # backwards
    "01/01/2025-01/01/2027",  # over a year: a typo, not a closure
    "27/12/2025..",
    45000,                  # an Excel serial number is not accepted here
])
def test_closure_days_bad_entries_name_the_entry_and_the_form(entry):
    with pytest.raises(ScrError) as err:
        closure_days(["2025-12-29", entry])
    text = str(err.value)
    assert str(entry) in text
    assert "dd/mm/yyyy" in text and "27/12/2025-31/12/2025" in text
