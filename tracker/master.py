"""The final master record of a review's actions (seed 001 §2.9 "Action Plans": "draw together a
final master document as a permanent record of all actions taken ... formally 'signed off' by the
Chair on behalf of the Board"): each action with its whole record, the Board's sign-off found in
the Updates log, and what the record still lacks, so the Chair signs knowing what is missing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tracker.case import CaseData, Results, status_cell
from tracker.rag import SIGNED_OFF

SIGNED_OFF_BY = "Signed off by "  # how `scr sign-off` words its Updates entry, read back here


def sign_off_text(by: str, note: str = "") -> str:
    """The Updates entry's progress text for the Board's sign-off (`scr sign-off` writes it)."""
    return f"{SIGNED_OFF_BY}{by}" + (f": {note}" if note else "")


def signed_off_by(text) -> str:
    """Who signed off, from an entry :func:`sign_off_text` wrote ("" if it is not one)."""
    text = str(text or "")
    if not text.startswith(SIGNED_OFF_BY):
        return ""
    return text[len(SIGNED_OFF_BY):].split(":", 1)[0].strip()


# What a complete record has (the Action Plan's keys), in the words the master record uses for a gap.
NEEDED = (("intended_outcome", "intended outcome"), ("evaluation", "how evaluated"),
          ("senior_sign_off", "senior manager's sign-off"), ("signed_copy", "signed copy"),
          ("evidence_by", "who accepted the evidence"), ("evidence_on", "when the evidence was accepted"),
          ("outcomes", "outcomes for children and families"))


@dataclass
class MasterAction:
    row: dict  # the Action Plan's cells, as read
    word: str  # BRAG
    reason: str
    board_by: str = ""  # the Board's sign-off: who (a role) and when, from the Updates log
    board_on: dt.date | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def signed_off(self) -> bool:
        return status_cell(self.row.get("status")) == SIGNED_OFF


def _key(v) -> str:
    return " ".join(str(v or "").split()).casefold()


def board_sign_offs(log: list[dict]) -> dict[str, tuple[str, dt.date]]:
    """Action ID (folded) -> (who, when) of its latest sign-off in the Updates log."""
    out: dict[str, tuple[str, dt.date]] = {}
    for u in sorted(log, key=lambda u: u["date"]):
        by = signed_off_by(u.get("progress"))
        if by and status_cell(u.get("status")) == SIGNED_OFF:
            out[_key(u.get("action_id"))] = (by, u["date"])
    return out


def master_actions(case: CaseData, results: Results, log: list[dict]) -> list[MasterAction]:
    """Every action of the plan, in its order, with its sign-off and its record's gaps."""
    signed = board_sign_offs(log)
    out = []
    for a, res in zip(case.actions, results.actions):
        m = MasterAction(a, res.word, res.reason)
        m.board_by, m.board_on = signed.get(_key(a.get("action_id")), ("", None))
        m.missing = [what for key, what in NEEDED if a.get(key) in (None, "")]
        if not m.signed_off:
            m.missing.insert(0, "the Board's sign-off")
        out.append(m)
    return out


def ready_to_sign(actions: list[MasterAction]) -> bool:
    """The Chair signs the master record as the permanent record once every action is complete."""
    return bool(actions) and not any(m.missing for m in actions)
