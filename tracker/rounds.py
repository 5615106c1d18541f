"""Update rounds: every request to an agency for an updated action plan, kept.

The Agencies sheet has two slots for updated action plans (the SCR Overview's columns, seed 001
p.58), but a review asks every few months for as long as actions are open. So the case keeps a
log of rounds, one per agency per request, and the two slots show the latest two: round 1 in
slot 1, round 2 in slot 2, and from round 3 on the round before in slot 1 and the newest in slot 2.
The slots stay where a board manager types a promised or received date (the receipt formulas read
them); the log takes those dates up whenever a round is added or received, so a round that leaves
the slots leaves with its dates.

A case file made before the log existed has no log sheet: its rounds are what its slots show,
and a round that leaves the slots is kept in the Audit row that says so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from tracker.excel_dates import fmt
from tracker.text import same_name

SLOTS = ("update_1", "update_2")
FIELDS = ("requested", "promised", "received")
LOG = "Update rounds"  # the sheet the log is kept on, as the Audit notes name it
TYPED = "dates typed on the Agencies sheet"  # a round the log first met in a slot


@dataclass
class Round:
    agency: str
    number: int
    requested: dt.date | None = None
    due: dt.date | None = None
    promised: dt.date | None = None
    received: dt.date | None = None
    issue_id: str = ""
    note: str = ""
    row: int | None = None  # its row in the log; None until it is written
    changed: bool = False  # to be written: new, or a date taken up from a slot

    def dates(self) -> str:
        said = [f"{f} {fmt(getattr(self, f))}" for f in FIELDS if isinstance(getattr(self, f), dt.date)]
        return ", ".join(said) or "no dates"


def _date(v) -> dt.date | None:
    return v if isinstance(v, dt.date) else None


def shown(rounds: list[Round]) -> dict[str, Round]:
    """The slot each of an agency's latest two rounds is in (its rounds oldest first)."""
    if not rounds:
        return {}
    if len(rounds) == 1:
        return {"update_1": rounds[0]}
    return {"update_1": rounds[-2], "update_2": rounds[-1]}


def slot_cells(rounds: list[Round]) -> dict:
    """The Agencies cells that show an agency's latest two rounds (its rounds oldest first)."""
    return {f"{slot}_{f}": getattr(r, f) for slot, r in shown(rounds).items() for f in FIELDS}


class RoundLog:
    """The case's rounds, kept up to date as a command issues or receives them. ``kept``: the case
    file has the log sheet (else its rounds are only what the slots show)."""

    def __init__(self, rounds: list[Round] | None, due_of: Callable[[dt.date], dt.date | None] = lambda d: None):
        self.kept = rounds is not None
        self.rounds = list(rounds or [])
        self.due_of = due_of
        self.received: dict[tuple, int] = {}  # (agency as same_name, issue id) -> the round that return received

    @property
    def changed(self) -> list[Round]:
        return [r for r in self.rounds if r.changed]

    def of(self, row: dict) -> list[Round]:
        """An agency's rounds, oldest first: the log's, then any its slots show that the log does not
        have (dates typed by hand), with the dates typed in its slots taken up."""
        agency = str(row.get("agency") or "").strip()
        mine = sorted((r for r in self.rounds if same_name(r.agency) == same_name(agency)), key=lambda r: r.number)
        used = [s for s in SLOTS if _date(row.get(f"{s}_requested"))]
        for slot in used[len(mine):]:
            requested = _date(row.get(f"{slot}_requested"))
            r = Round(agency, (mine[-1].number if mine else 0) + 1, requested, self.due_of(requested),
                      note=TYPED, changed=True)
            mine.append(r)
            self.rounds.append(r)
        for slot, r in shown(mine).items():
            for f in FIELDS:
                v = _date(row.get(f"{slot}_{f}"))
                if v is not None and v != getattr(r, f):
                    setattr(r, f, v)
                    r.changed = True
        return mine

    def issue(self, row: dict, issued: dt.date, due: dt.date | None, issue_id: str) -> tuple[dict, str]:
        """A new round for the agency of ``row``: the Agencies cells to set, and a note for the Audit
        (what moved between the slots, and where a round that left them is kept)."""
        mine = self.of(row)
        new = Round(str(row.get("agency") or "").strip(), (mine[-1].number if mine else 0) + 1, issued, due,
                    issue_id=issue_id, changed=True)
        self.rounds.append(new)
        if len(mine) < 2:
            return {f"{SLOTS[len(mine)]}_requested": issued}, ""
        before, gone = mine[-1], mine[-2]
        cells = {f"update_1_{f}": getattr(before, f) for f in FIELDS}
        cells.update({"update_2_requested": issued, "update_2_promised": None, "update_2_received": None})
        if self.kept:
            note = (f"update round {new.number}: round {before.number} ({before.dates()}) moved to updated action "
                    f"plan 1, this round is updated action plan 2; round {gone.number} ({gone.dates()}) is kept "
                    f"in {LOG}")
        else:
            note = (f"updated action plan 2 ({before.dates()}) moved to updated action plan 1 and this request is "
                    f"updated action plan 2; the earlier updated action plan 1 ({gone.dates()}) is kept in this "
                    f"Audit row only, as this case file has no {LOG} sheet")
        return cells, note

    def receive(self, row: dict, issue_id: str | None, on: dt.date) -> dict:
        """A returned update sheet: its round (the one ``issue_id`` was issued in, else the oldest
        still open) received ``on``; the Agencies cells to set (none when its round is no longer
        in a slot, or nothing is open)."""
        mine = self.of(row)
        r = next((r for r in mine if issue_id and r.issue_id == issue_id), None)
        if r is None:
            r = next((r for r in mine if r.requested and not r.received), None)
        if r is None or r.received:
            return {}
        r.received, r.changed = on, True
        self.received[(same_name(r.agency), issue_id)] = r.number
        slot = next((s for s, x in shown(mine).items() if x is r), None)
        if slot is None or _date(row.get(f"{slot}_received")):
            return {}
        return {f"{slot}_received": on}
