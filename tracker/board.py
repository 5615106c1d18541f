"""The board's own settings file: default profile, nation, thresholds, closure days, agencies."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tracker.bankholidays import canonical_nation, closure_days
from tracker.errors import ScrError

BUILTIN = Path(__file__).with_name("data") / "board.toml"


@dataclass
class Board:
    board: str = ""
    profile: str = "england-wt2023"
    nation: str = "england-and-wales"
    due_soon_days: int = 7
    amber_days: int = 28
    update_cycle_months: int = 3
    red_after_cycles: int = 2
    update_due_days: int = 28
    closure_days: tuple = ()
    agencies: list[dict] = field(default_factory=list)
    path: Path | None = None

    def settings(self) -> dict:
        return {"DueSoon": self.due_soon_days, "AmberDays": self.amber_days, "CycleMonths": self.update_cycle_months,
                "RedCycles": self.red_after_cycles, "UpdateDueDays": self.update_due_days}


_INTS = ("due_soon_days", "amber_days", "update_cycle_months", "red_after_cycles", "update_due_days")


def load_board(path: str | os.PathLike | None = None) -> Board:
    path = Path(path or os.environ.get("SCR_SETTINGS") or BUILTIN)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScrError("the settings file does not exist.", file=path) from None
    except tomllib.TOMLDecodeError as e:
        raise ScrError(f"is not valid TOML: {e}.", file=path, fix="Check quotes and brackets on that line.") from None
    known = {"board", "profile", "nation", "closure_days", "agency", *_INTS}
    unknown = set(data) - known
    if unknown:
        raise ScrError(f"unknown setting(s) {', '.join(sorted(unknown))}.", file=path, fix=f"Use only: {', '.join(sorted(known))}.")
    for key in _INTS:
        v = data.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ScrError(f"{key} = {v!r} must be a whole number, 0 or more.", file=path)
    agencies = []
    for i, a in enumerate(data.get("agency", []), 1):
        if not str(a.get("name", "")).strip():
            raise ScrError(f"agency {i} has no name.", file=path, fix='Give every [[agency]] a name = "...".')
        agencies.append({k: str(v) for k, v in a.items()})
    return Board(
        board=str(data.get("board", "")), profile=str(data.get("profile", "england-wt2023")),
        nation=canonical_nation(data.get("nation")), closure_days=closure_days(data.get("closure_days", [])),
        agencies=agencies, path=path, **{k: data[k] for k in _INTS if k in data},
    )
