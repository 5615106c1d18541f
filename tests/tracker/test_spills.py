"""SCR_TIMESCALE and SCR_PROFILES spill as Excel 365 spills a dynamic array: through xlwings'
Office.js dispatcher (as Excel on the web, Mac and xlwings Lite call them) each returns one plain
rectangular 2-D array of cell values, declared a matrix. Classic xlwings' side (no legacy
``expand``, no array-formula rewrite) is checked on its own metadata in test_vba_wrappers.py."""
from __future__ import annotations

import datetime as dt

import pytest

from dispatch import call, cell, meta
from tracker.profiles import all_profiles, get_profile

DAY0 = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 3, 2)


def assert_plain_matrix(result, rows: int, cols: int):
    """What Excel can spill: a list of rows, all the same width, each cell a value or a number entity."""
    assert isinstance(result, list) and len(result) == rows
    for row in result:
        assert isinstance(row, list) and len(row) == cols
        for v in row:
            assert v is None or isinstance(v, (str, int, float, bool)) or (
                isinstance(v, dict) and v.get("type") == "FormattedNumber"
                and isinstance(v.get("basicValue"), float)), v


@pytest.mark.parametrize("name", ["SCR_TIMESCALE", "SCR_PROFILES"])
def test_declared_to_excel_as_a_matrix(name):
    f = {f["name"]: f for f in meta()["functions"]}[name]
    assert f["result"]["dimensionality"] == "matrix"


@pytest.mark.parametrize("profile", sorted(all_profiles()))
def test_scr_timescale_spills_one_row_per_milestone(profile):
    prof = get_profile(profile)
    result = call("SCR_TIMESCALE", cell(DAY0), cell(profile), cell(None), cell(None), cell(None), cell(None),
                  cell(TODAY))
    assert_plain_matrix(result, 1 + len(prof.milestones), 6)
    assert result[0] == ["Milestone", "Label", "Due", "Responsible", "Flags", "Status"]
    assert [row[0] for row in result[1:]] == list(prof.ids)
    dues = [row[2] for row in result[1:]]
    assert all(d == "" or d["numberFormat"] == "dd/mm/yyyy" for d in dues)  # dates stay dates in the spill


def test_scr_profiles_spills_every_milestone_of_every_profile():
    result = call("SCR_PROFILES")
    profiles = all_profiles()
    assert_plain_matrix(result, 1 + sum(len(p.milestones) for p in profiles.values()), 6)
    assert {row[0] for row in result[1:]} == set(profiles)

