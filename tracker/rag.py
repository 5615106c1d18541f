"""BRAG status of the actions in a review's action plan, and their roll-ups.

An action (seed 001 §3.6 section 6 and the p.56 "Serious Case Review Action Record") has an
agency, a recommendation, the action, a responsible individual and a target date, then repeated
*evidence/progress* entries, each with a *date of update*. The Board reads each action as one
word (DOMAIN.md, "Status words"), never as a colour alone:

=======  ===============================================================================
Blue     complete and evidence accepted (signed off)
Green    complete, awaiting sign-off; or on track
Amber    target date close (within ``amber_days``), or last update older than one cycle
Red      target date passed without completion, or no update for ``red_cycles`` cycles
=======  ===============================================================================

The thresholds are the workbook's Settings (:class:`RagSettings`). Months are counted as
Excel's ``EDATE`` counts them (31/08 + 3 months = 30/11), and "older than N months" means
``today > EDATE(last_update, N)``, so an update exactly N months ago is not yet too old.
Pure domain: no Excel here; the worksheet function ``SCR_RAG`` calls :func:`rag`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from tracker import words
from tracker.errors import ScrError
from tracker.excel_dates import fmt
from tracker.excelfns import edate  # also imported from here by the update checks
from tracker.text import days, did_you_mean

# ---- the words ----------------------------------------------------------------------------

BLUE, GREEN, AMBER, RED = words.BLUE, words.GREEN, words.AMBER, words.RED
RAG_WORDS = words.RAG_WORDS  # the roll-up order
_SEVERITY = {BLUE: 0, GREEN: 1, AMBER: 2, RED: 3}  # worst() picks the highest

NOT_STARTED, IN_PROGRESS = words.NOT_STARTED, words.IN_PROGRESS
AWAITING_SIGN_OFF, SIGNED_OFF = words.AWAITING_SIGN_OFF, words.SIGNED_OFF
ACTION_STATUSES = words.ACTION_STATUSES  # the drop-down; _ALIASES below are what `scr import` also reads

# What people actually type in a status cell, after normalisation (see _norm).
_ALIASES = {
    NOT_STARTED: ("not started", "not yet started", "not begun", "not commenced", "to do", "todo",
                  "open", "new"),
    IN_PROGRESS: ("in progress", "progress", "progressing", "ongoing", "on going", "underway", "under way",
                  "started", "in hand", "on track", "wip", "work in progress", "partially complete",
                  "partly complete", "part complete", "part completed", "partially completed", "active",
                  "commenced", "in train"),
    AWAITING_SIGN_OFF: ("awaiting sign off", "pending sign off", "waiting for sign off", "for sign off",
                        "ready for sign off", "not signed off", "not yet signed off", "to be signed off",
                        "awaiting evidence", "awaiting approval", "evidence submitted", "complete unsigned"),
    SIGNED_OFF: ("signed off", "closed", "evidence accepted", "approved", "signed off complete",
                 "complete closed", "closed complete", "verified", "fully complete"),
}
_DONE_WORDS = ("complete", "completed", "done", "finished", "achieved", "implemented")
_LOOKUP: dict[str, str] = {}
for _status, _words in _ALIASES.items():
    for _w in (_status, *_words):
        _LOOKUP[_w] = _status
for _d in _DONE_WORDS:
    _LOOKUP[_d] = AWAITING_SIGN_OFF  # complete, but nobody has accepted the evidence yet
    for _w in _ALIASES[AWAITING_SIGN_OFF]:
        _LOOKUP[f"{_d} {_w}"] = AWAITING_SIGN_OFF
    for _w in ("signed off", "evidence accepted", "approved", "closed", "verified"):
        _LOOKUP[f"{_d} {_w}"] = SIGNED_OFF
_LOOKUP["complete awaiting sign off"] = AWAITING_SIGN_OFF
_LOOKUP["complete signed off"] = SIGNED_OFF


def _norm(text: str) -> str:
    """Lower case, "sign-off"/"signoff" -> "sign off", punctuation and dashes -> spaces, no and/but."""
    t = text.strip().lower().replace("&", " and ")
    t = re.sub(r"sign(ed)?[\s\-_]*off", lambda m: "signed off" if m.group(1) else "sign off", t)
    t = re.sub(r"[\s\-\u2010-\u2015_/,.;:()!'\"]+", " ", t)
    return " ".join(w for w in t.split() if w not in ("and", "but"))


def parse_status(value, *, what: str = "Action status") -> str | None:
    """One of ACTION_STATUSES from what a person typed; None for a blank cell.

    Case, dashes, "sign-off"/"signed off"/"signoff" and the words "and"/"but" do not matter.
    "complete"/"completed"/"done" on their own mean complete *awaiting* sign-off: only an
    explicit "signed off" (or "closed", "evidence accepted", "approved") means Blue.
    Anything else raises ScrError naming the allowed words.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        key = _norm(value)
        if key in _LOOKUP:
            return _LOOKUP[key]
        shown = value.strip()[:40]
    else:
        shown = str(value)[:40]
    raise ScrError(f"{what} '{shown}' is not one of the allowed words.{did_you_mean(shown, ACTION_STATUSES)}",
                   fix=f"Use one of: {', '.join(ACTION_STATUSES)}.")


# ---- settings -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RagSettings:
    """The Settings-sheet thresholds.

    amber_days   -- a target date this many days away or fewer (and not passed) is Amber.
    cycle_months -- the update cycle: an action whose last update is older than this is Amber
                    (Essex asks quarterly, §11.1: 3; Bolton monitors at six months: 6).
    red_cycles   -- no update for this many cycles is Red.
    """
    amber_days: int = 28
    cycle_months: int = 3
    red_cycles: int = 2

    def __post_init__(self):
        for name, low in (("amber_days", 0), ("cycle_months", 1), ("red_cycles", 1)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise ScrError(f"Setting {name} '{v}' must be a whole number, {low} or more.",
                               sheet="Settings", column=name, fix=f"Enter a whole number, {low} or more.")

    @property
    def red_months(self) -> int:
        return self.cycle_months * self.red_cycles


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


# ---- one action ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RagResult:
    word: str    # Blue, Green, Amber or Red
    reason: str  # one line saying why, e.g. "target date 01/03/2026 passed without completion"


def assess(status, target: dt.date | None, last_update: dt.date | None, today: dt.date | None = None,
           settings: RagSettings | None = None, *, started: dt.date | None = None) -> RagResult:
    """The BRAG word of one action and the reason for it. Rules, first match wins:

    1. Blue  -- status complete - signed off (evidence accepted).
    2. Green -- status complete - awaiting sign-off.
    3. Red   -- target date passed (today > target) and not complete.
    4. Red   -- no update for red_cycles cycles: today > EDATE(last update, red_cycles * cycle_months);
                with no update at all the clock runs from ``started``.
    5. Amber -- target date within amber_days: 0 <= target - today <= amber_days.
    6. Amber -- last update (or ``started``) older than one cycle: today > EDATE(it, cycle_months).
    7. Green -- on track.

    A blank target leaves only the update rules (4, 6). With no update and no started date the
    update rules cannot apply, so the action is Green unless the target rules (3, 5) say otherwise.
    A blank status counts as "not started". ``status`` may be any spelling parse_status accepts.
    """
    settings = settings or RagSettings()
    today = today or dt.date.today()
    st = parse_status(status) or NOT_STARTED
    if st == SIGNED_OFF:
        return RagResult(BLUE, "complete and signed off (evidence accepted)")
    if st == AWAITING_SIGN_OFF:
        return RagResult(GREEN, "complete, awaiting sign-off")
    if target is not None and today > target:
        return RagResult(RED, f"target date {fmt(target)} passed without completion")
    clock = last_update if last_update is not None else started
    since = (f"last update {fmt(last_update)}" if last_update is not None
             else f"no update since the action started on {fmt(started)}")
    if clock is not None and today > edate(clock, settings.red_months):
        cycles = f"{settings.red_cycles} update cycle" + ("" if settings.red_cycles == 1 else "s")
        return RagResult(RED, f"{since}: no update for more than {_months(settings.red_months)} ({cycles})")
    if target is not None and 0 <= (target - today).days <= settings.amber_days:
        left = (target - today).days
        when = "is today" if left == 0 else f"is in {days(left)}"
        return RagResult(AMBER, f"target date {fmt(target)} {when}")
    if clock is not None and today > edate(clock, settings.cycle_months):
        return RagResult(AMBER, f"{since} is older than one update cycle ({_months(settings.cycle_months)})")
    detail = []
    if target is not None:
        detail.append(f"target date {fmt(target)}")
    if last_update is not None:
        detail.append(f"last update {fmt(last_update)}")
    elif started is None:
        detail.append("no update yet")
    return RagResult(GREEN, "on track" + (f" ({', '.join(detail)})" if detail else ""))


RAG_INPUTS = (("status", "Action status"), ("target", "target date"), ("last_update", "last update date"),
              ("started", "date agreed"))  # checked in this order, natively too


def assess_cells(status, target, last_update, today: dt.date | None = None, settings: RagSettings | None = None,
                 *, started=None) -> RagResult:
    """The BRAG cell of the Action Plan from what its cells hold, as SCR_RAG reads them: the status
    must be a drop-down word and the dates real dates; otherwise the word is the message."""
    try:
        word = words.action_status(status)
        dates = [words.date_cell(v, what) for v, (_, what) in zip((target, last_update, started), RAG_INPUTS[1:])]
    except words.InputError as e:
        return RagResult(e.cell_text, str(e))
    return assess(word, dates[0], dates[1], today, settings, started=dates[2])


def rag(status, target: dt.date | None, last_update: dt.date | None, today: dt.date | None = None,
        settings: RagSettings | None = None, *, started: dt.date | None = None) -> str:
    """Blue, Green, Amber or Red (see assess for the rules)."""
    return assess(status, target, last_update, today, settings, started=started).word


def rag_reason(status, target: dt.date | None, last_update: dt.date | None, today: dt.date | None = None,
               settings: RagSettings | None = None, *, started: dt.date | None = None) -> str:
    """The one-line reason for the word, so the word is never alone."""
    return assess(status, target, last_update, today, settings, started=started).reason


# ---- roll-ups -----------------------------------------------------------------------------

def _word(w) -> str | None:
    if w is None or (isinstance(w, str) and not w.strip()):
        return None
    key = str(w).strip().capitalize()
    if key not in _SEVERITY:
        raise ScrError(f"'{str(w)[:40]}' is not a BRAG word.", fix=f"Use one of: {', '.join(RAG_WORDS)}.")
    return key


def rollup(words: Iterable) -> dict[str, int]:
    """How many of each word, always in the order Blue, Green, Amber, Red (zeros included).

    Case does not matter; blanks are skipped; anything else raises ScrError.
    """
    counts = dict.fromkeys(RAG_WORDS, 0)
    for w in words:
        k = _word(w)
        if k:
            counts[k] += 1
    return counts


def worst(words: Iterable) -> str:
    """The worst word (Red > Amber > Green > Blue), for a per-agency or per-recommendation summary;
    "" when there are no words."""
    found = [k for k in (_word(w) for w in words) if k]
    return max(found, key=_SEVERITY.__getitem__) if found else ""


# ---- history ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    """One action of the plan, as the plan records it.

    id             -- the action's reference, e.g. "1.2" or "Police-3" (matched case-insensitively).
    target         -- the target date, or None.
    started        -- when the action was agreed (the update clock starts here); before this
                      date the action is not in the plan and its history shows "".
    status_changes -- (date, status) pairs recorded on the plan itself, in any order; the
                      status before the first change is "not started".
    """
    id: str
    target: dt.date | None = None
    started: dt.date | None = None
    status_changes: tuple[tuple[dt.date, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Update:
    """One row of the Updates log: an agency's evidence/progress entry with its date of update.

    status -- the status reported with the update; None or "" leaves the status as it was.
    Every update counts as an update (it resets the update clock) whatever its status.
    """
    date: dt.date
    action_id: str
    status: str | None = None


def _key(action_id) -> str:
    return str(action_id).strip().lower()


def history(actions: Sequence[Action], updates: Iterable[Update], dates: Sequence[dt.date],
            settings: RagSettings | None = None) -> dict[str, list[str]]:
    """The BRAG word of every action as at each report date (e.g. month ends).

    Returns {action id: [word at dates[0], word at dates[1], ...]} in the order of ``actions``.
    "As at" a date means at the end of that day: status changes and updates dated on it count,
    later ones do not. A report date before the action's ``started`` date gives "".
    An update naming an action that is not in ``actions`` raises ScrError naming it.
    """
    settings = settings or RagSettings()
    by_id: dict[str, Action] = {}
    for a in actions:
        k = _key(a.id)
        if k in by_id:
            raise ScrError(f"Action '{a.id}' appears twice in the plan.", fix="Give every action its own id.")
        by_id[k] = a
    events: dict[str, list[tuple[dt.date, int, str | None, bool]]] = {k: [] for k in by_id}
    for k, a in by_id.items():
        for when, st in a.status_changes:
            if when is None:
                raise ScrError(f"A status change of action '{a.id}' has no date.", fix="Enter the date of the change.")
            events[k].append((when, 0, parse_status(st) or NOT_STARTED, False))
    for n, u in enumerate(updates, 1):
        k = _key(u.action_id)
        if k not in by_id:
            known = ", ".join(a.id for a in actions) or "none"
            raise ScrError(f"Update {n} is for action '{u.action_id}', which is not in the plan.",
                           sheet="Updates", row=n, fix=f"Use one of the plan's actions: {known}.")
        if u.date is None:
            raise ScrError(f"Update {n} (action '{u.action_id}') has no date of update.",
                           sheet="Updates", row=n, fix="Enter the date of update.")
        events[k].append((u.date, 1, parse_status(u.status, what=f"Status of update {n}"), True))
    out: dict[str, list[str]] = {}
    for k, a in by_id.items():
        ordered = sorted(events[k], key=lambda e: (e[0], e[1]))
        words = []
        for day in dates:
            if a.started is not None and day < a.started:
                words.append("")
                continue
            status, last = NOT_STARTED, None
            for when, _, st, is_update in ordered:
                if when > day:
                    break
                if st is not None:
                    status = st
                if is_update:
                    last = when
            words.append(rag(status, a.target, last, day, settings, started=a.started))
        out[a.id] = words
    return out


def history_rollup(table: Mapping[str, Sequence[str]], dates: Sequence[dt.date]) -> dict[dt.date, dict[str, int]]:
    """history() counted per report date: {date: {"Blue": n, "Green": n, "Amber": n, "Red": n}}."""
    return {d: rollup(words[i] for words in table.values()) for i, d in enumerate(dates)}
