"""workbook.xlsx.locks: Excel's and LibreOffice's lock files, in every form, refuse a write."""
from __future__ import annotations

import pytest

from tracker.errors import ScrError
from workbook.xlsx import locks


def test_lock_file_is_tilde_dollar_and_the_full_name(tmp_path):
    # Excel keeps the whole name, short or long (only Word drops leading characters).
    assert locks.lock_file_for(tmp_path / "Book1.xlsx") == tmp_path / "~$Book1.xlsx"
    assert locks.lock_file_for(tmp_path / "Case review 2026.xlsm") == tmp_path / "~$Case review 2026.xlsm"


@pytest.mark.parametrize("lock", ["~$Case review 2026.xlsx", "~$se review 2026.xlsx", ".~lock.Case review 2026.xlsx#"])
def test_each_lock_form_refuses_and_names_the_file(tmp_path, lock):
    wb = tmp_path / "Case review 2026.xlsx"
    wb.write_bytes(b"old")
    (tmp_path / lock).write_bytes(b"\x05Alice")
    with pytest.raises(ScrError) as err:
        locks.ensure_not_open(wb)
    text = str(err.value)
    assert "Case review 2026.xlsx" in text
    app = "LibreOffice" if lock.startswith(".~lock") else "Excel"
    assert f"close it in {app} and try again" in text
    assert err.value.file == str(wb)


def test_seven_character_stem_uses_the_one_dropped_form(tmp_path):
    wb = tmp_path / "Case-01.xlsx"
    (tmp_path / "~$ase-01.xlsx").write_bytes(b"x")
    with pytest.raises(ScrError):
        locks.ensure_not_open(wb)


def test_shortened_form_belonging_to_a_sibling_workbook_is_not_ours(tmp_path):
    # "~$se review 2026.xlsx" is Excel's lock of "se review 2026.xlsx" when that exists.
    (tmp_path / "se review 2026.xlsx").write_bytes(b"other")
    (tmp_path / "~$se review 2026.xlsx").write_bytes(b"x")
    locks.ensure_not_open(tmp_path / "Case review 2026.xlsx")  # no error


def test_short_names_have_no_shortened_form(tmp_path):
    (tmp_path / "~$ok1.xlsx").write_bytes(b"x")  # would be "Book1.xlsx" minus 2 if we dropped
    locks.ensure_not_open(tmp_path / "Book1.xlsx")
