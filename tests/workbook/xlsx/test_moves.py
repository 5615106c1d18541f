"""workbook.xlsx.moves: files put in place only once recorded, and by the next run after a kill."""
from __future__ import annotations

from pathlib import Path

from workbook.xlsx import moves
from workbook.xlsx.moves import Move, free_path
from workbook.xlsx.safe import backups_of, temp_file


def _temp(folder: Path, owner: Path, data: bytes) -> Path:
    fd, tmp = temp_file(folder, owner.name)
    with open(fd, "wb") as fh:
        fh.write(data)
    return tmp


def test_a_killed_runs_recorded_files_are_put_in_place_and_the_others_removed(tmp_path):
    owner = tmp_path / "case.xlsx"
    owner.write_bytes(b"case")
    kept, dropped = _temp(tmp_path, owner, b"recorded"), _temp(tmp_path, owner, b"never recorded")
    moves.write_journal(owner, [Move(kept, tmp_path / "Police.xlsx"), Move(dropped, tmp_path / "CSC.xlsx")])
    placed, removed = moves.finish(owner, lambda tmp: tmp.read_bytes() == b"recorded")
    assert placed == [tmp_path / "Police.xlsx"] and removed == 1
    assert (tmp_path / "Police.xlsx").read_bytes() == b"recorded"
    assert not (tmp_path / "CSC.xlsx").exists() and not dropped.exists()
    assert not moves.journal_path(owner).exists()
    assert moves.finish(owner, lambda tmp: True) == ([], 0)  # nothing left to finish


def test_a_name_taken_meanwhile_is_never_replaced_unless_the_move_keeps_backups(tmp_path):
    owner = tmp_path / "case.xlsx"
    (tmp_path / "Police.xlsx").write_bytes(b"another case's sheet")
    (tmp_path / "report.xlsx").write_bytes(b"last month's report")
    sheet, report = _temp(tmp_path, owner, b"new sheet"), _temp(tmp_path, owner, b"new report")
    done = moves.carry_out(owner, [Move(sheet, tmp_path / "Police.xlsx"), Move(report, tmp_path / "report.xlsx", keep=3)])
    assert done == [tmp_path / "Police-2.xlsx", tmp_path / "report.xlsx"]
    assert (tmp_path / "Police.xlsx").read_bytes() == b"another case's sheet"
    assert (tmp_path / "report.xlsx").read_bytes() == b"new report"
    assert [b.read_bytes() for b in backups_of(tmp_path / "report.xlsx")] == [b"last month's report"]


def test_a_journal_that_cannot_be_read_is_dropped(tmp_path):
    owner = tmp_path / "case.xlsx"
    moves.journal_path(owner).write_bytes(b"\x00 not json")
    assert moves.finish(owner, lambda tmp: True) == ([], 0)
    assert not moves.journal_path(owner).exists()


def test_free_path_skips_names_on_disk_and_names_already_chosen(tmp_path):
    (tmp_path / "a.xlsx").touch()
    assert free_path(tmp_path / "a.xlsx", taken={tmp_path / "a-2.xlsx"}) == tmp_path / "a-3.xlsx"
    assert free_path(tmp_path / "b.xlsx") == tmp_path / "b.xlsx"
