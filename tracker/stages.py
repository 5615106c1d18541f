"""Profiles that chain (issue 9): a review's later stage kept in the same case file.

A profile may end with [[stage]] blocks, each naming another profile (its file beside this one, or
a built-in) and the milestone of this profile whose date starts it: what that stage counts from
its own Day 0 counts from the milestone here instead (its Actual once recorded, else its due date).
So a referral and the review it leads to are one Timescale, one Front Sheet, one file: the decision
recorded re-plans the whole review. A stage's own stages are not followed (one level, no circles).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tracker.errors import ScrError
from tracker.text import did_you_mean

DAY0 = "day0"
STAGE_KEYS = {"profile", "from", "note"}


def _fail(path, message, fix=None):
    raise ScrError(message, file=path, fix=fix)


def known_keys(path, where: str, block: dict, allowed: set, what: str) -> None:
    """A block of a profile file ([[stage]], [[front_event]]) holds only settings it may have."""
    unknown = set(block) - allowed
    if unknown:
        _fail(path, f"{where} has '{sorted(unknown)[0]}', which is not a {what} setting.",
              fix=f"Use: {', '.join(sorted(allowed))}.")


def stage_file(path, builtin_dir: Path, profile_id: str) -> Path:
    here = Path(path).parent if path else builtin_dir
    for folder in (here, builtin_dir):
        f = folder / f"{profile_id}.toml"
        if f.is_file():
            return f
    _fail(path, f"[[stage]] names profile '{profile_id}', which is neither beside this file nor built in.",
          fix="Give the id of a profile file in the same folder, or of a built-in profile (scr profiles lists them).")


def chain(path, raw: list, milestones: tuple, *, load, builtin_dir: Path):
    """(every milestone, the stages' front-sheet rows, their [returns], the first update cycle)."""
    out, front, returns, cycle = list(milestones), [], {}, None
    for n, st in enumerate(raw, 1):
        where = f"[[stage]] number {n}"
        known_keys(path, where, st, STAGE_KEYS, "stage")
        pid, anchor = (str(st.get(k, "")).strip().lower() for k in ("profile", "from"))
        ids = [m.id for m in out]
        if anchor not in ids:
            _fail(path, f"{where} starts from '{anchor}', which is not a milestone of this profile."
                  + did_you_mean(anchor, ids), fix=f"Use one of: {', '.join(ids)}.")
        f = stage_file(path, builtin_dir, pid)
        if path and f.resolve() == Path(path).resolve():
            _fail(path, f"{where} names this profile itself.", fix="Name the profile of the next stage.")
        stage = load(f)
        if stage.stages:
            _fail(path, f"{where}: profile '{pid}' has stages of its own, which are not followed.",
                  fix="Name each stage here, in order, each from a milestone before it.")
        clash = sorted({m.id for m in stage.milestones} & set(ids))
        if clash:
            _fail(path, f"{where}: profile '{pid}' has milestone '{clash[0]}', as this profile does.",
                  fix="Rename the milestone in one of the two files (and what counts from it).")
        read = f"STAGE: {stage.review_type or stage.name}, counted from {anchor} (its Actual once recorded)."
        for m in stage.milestones:
            if m.start == DAY0:
                m = replace(m, start=anchor, basis="actual", note=f"{read} {m.note}".strip())
            out.append(m)
        keys = {e.key for e in front}
        front += [e for e in stage.front_events if e.key not in keys]
        returns = {**stage.returns, **returns}
        cycle = cycle or stage.update_cycle_months
    return tuple(out), tuple(front), returns, cycle
