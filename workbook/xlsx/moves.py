"""Files put in place only once a record of them is saved, and by the next run if this one is killed
in between.

A command whose files must be recorded before anyone can send them (update sheets, a progress
report) writes each to a hidden temp, records it, saves the record, and only then renames the temps
into place. A kill between the save and the renames would leave files that are recorded but
nowhere to be found; so just before the save the planned renames are written to a journal, and the
next run that holds the same lock finishes them: each temp that the record holds is put in place
(``recorded`` decides, e.g. by its SHA-256 in the case's Audit), every other is removed, and the
journal goes. This module knows no case: the journal is named after the file whose lock covers it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from workbook.xlsx.safe import make_backup, prune_backups, write_file_atomic

JOURNAL_SUFFIX = ".scr-moves"


@dataclass
class Move:
    tmp: Path
    target: Path
    keep: int = 0  # >0: an older file of that name is replaced and kept in backups/ (newest ``keep``);
    #                0: it is never replaced, the new file takes the next free name beside it


def free_path(path: Path, taken=()) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3`` ... : the first that is not on disk or in ``taken``."""
    p, n = path, 2
    while p.exists() or p in taken:
        p = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return p


def journal_path(owner: Path) -> Path:
    return owner.parent / f".{owner.name}{JOURNAL_SUFFIX}"


def write_journal(owner: Path, moves: list[Move]) -> None:
    """The renames to come, kept where the next run on ``owner`` looks (written atomically)."""
    data = [{"tmp": str(m.tmp), "target": str(m.target), "keep": m.keep} for m in moves]
    write_file_atomic(journal_path(owner), json.dumps(data).encode(), temp_for=owner.name)


def carry_out(owner: Path, moves: list[Move]) -> list[Path]:
    """Every rename of ``moves``, then the journal removed: the files where they now are, in order.
    A rename that fails leaves the journal, so the next run puts the rest in place."""
    done = [_move(m) for m in moves]
    journal_path(owner).unlink(missing_ok=True)
    return done


def finish(owner: Path, recorded: Callable[[Path], bool]) -> tuple[list[Path], int]:
    """A killed run's journal on ``owner`` finished: (files put in place, temps removed)."""
    j = journal_path(owner)
    if not j.is_file():
        return [], 0
    try:
        moves = [Move(Path(m["tmp"]), Path(m["target"]), int(m.get("keep", 0))) for m in json.loads(j.read_bytes())]
    except (OSError, ValueError, TypeError, KeyError):
        moves = []  # a journal that cannot be read: its temps are removed as any leftover is
    placed, removed = [], 0
    for m in moves:
        if not m.tmp.is_file():
            continue
        if recorded(m.tmp):
            placed.append(_move(m))
        else:
            m.tmp.unlink(missing_ok=True)
            removed += 1
    j.unlink(missing_ok=True)
    return placed, removed


def forget(owner: Path, moves: list[Move]) -> None:
    """A run that will not save: its temps and journal removed."""
    for m in moves:
        m.tmp.unlink(missing_ok=True)
    journal_path(owner).unlink(missing_ok=True)


def _move(m: Move) -> Path:
    target = m.target
    if m.keep and target.exists():
        make_backup(target)
    elif not m.keep:
        target = free_path(target)  # appeared meanwhile (another case in the folder): never replace it
    os.replace(m.tmp, target)
    if m.keep:
        prune_backups(target, m.keep)
    return target
