"""The board's own settings file: default profile, nation, thresholds, closure days, agencies."""
from __future__ import annotations

import datetime as dt
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
    sender: str = ""  # the From: of chase e-mails (the business unit's shared mailbox)
    profile: str = "england-wt2023"
    nation: str = "england-and-wales"
    due_soon_days: int = 7
    amber_days: int = 28
    update_cycle_months: int = 3
    red_after_cycles: int = 2
    update_due_days: int = 28
    closure_days: tuple = ()
    agencies: list[dict] = field(default_factory=list)
    themes: tuple[str, ...] = ()  # the board's list a review's and a recommendation's themes come from
    agency_codes: dict = field(default_factory=dict)  # code as a chronology writes it (folded) -> the agency
    chronology_format: str = "rotherham"  # the chronology form sent to agencies: rotherham, bolton, durham, essex
    path: Path | None = None

    def settings(self) -> dict:
        return {"DueSoon": self.due_soon_days, "AmberDays": self.amber_days, "CycleMonths": self.update_cycle_months,
                "RedCycles": self.red_after_cycles, "UpdateDueDays": self.update_due_days}


_INTS = ("due_soon_days", "amber_days", "update_cycle_months", "red_after_cycles", "update_due_days")
# A cycle of 0 months (or 0 cycles) would be written into the case, whose reader then refuses it
# on every later command: the settings file is the place to say so.
_LEAST = {"update_cycle_months": 1, "red_after_cycles": 1}
_TEXTS = ("board", "profile", "nation", "sender", "chronology_format")
CHRONOLOGY_FORMATS = ("rotherham", "bolton", "durham", "essex")  # workbook.chronology.form.LAYOUTS
_AGENCY_KEYS = ("name", "senior_manager", "contact", "email")
_TABLES = 'Write each agency as its own [[agency]] block with name = "..." (see the built-in board.toml).'


def _read(path: Path) -> dict:
    try:
        # utf-8-sig: Notepad's "UTF-8 with BOM" is still UTF-8
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ScrError("the settings file does not exist.", file=path) from None
    except UnicodeDecodeError:
        raise ScrError("the settings file is not saved as UTF-8 text (an accented letter, a curly quote?).", file=path,
                       fix="Open it in Notepad and save it as UTF-8 (Save as > Encoding).") from None
    except OSError as e:
        raise ScrError(f"the settings file cannot be read ({e.strerror}).", file=path) from None
    except tomllib.TOMLDecodeError as e:
        raise ScrError(f"is not valid TOML: {e}.", file=path, fix="Check quotes and brackets on that line.") from None


def _agencies(path: Path, raw) -> list[dict]:
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise ScrError("agency must be a list of [[agency]] tables, not a single value.", file=path, fix=_TABLES)
    agencies = []
    for i, a in enumerate(raw, 1):
        unknown = set(a) - set(_AGENCY_KEYS)
        if unknown:
            raise ScrError(f"agency {i} has unknown setting(s) {', '.join(sorted(unknown))}.", file=path,
                           fix=f"Use only: {', '.join(_AGENCY_KEYS)}.")
        for k, v in a.items():
            if isinstance(v, (list, dict)):
                raise ScrError(f"agency {i}: {k} holds a list, not one value.", file=path,
                               fix=f'Write it as {k} = "...", one agency per [[agency]] block.')
        if not str(a.get("name", "")).strip():
            raise ScrError(f"agency {i} has no name.", file=path, fix='Give every [[agency]] a name = "...".')
        agencies.append({k: str(v) for k, v in a.items()})
    return agencies


def _themes(path: Path, raw) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(t, str) and t.strip() for t in raw):
        raise ScrError("themes must be a list of names.", file=path,
                       fix='Write it as themes = ["Neglect", "Domestic abuse"], each name in quotes.')
    themes = [" ".join(t.split()) for t in raw]
    for t in themes:
        if ";" in t:  # a case lists its themes separated by ';'
            raise ScrError(f"the theme '{t}' holds a ';'.", file=path, fix="Name the theme without a ';'.")
    return tuple(dict.fromkeys(themes))


def _codes(path: Path, raw) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise ScrError("agency_codes must be a table of code = \"agency\".", file=path,
                       fix='Write it as [agency_codes] with one line per code, e.g. POL = "Police".')
    return {" ".join(str(k).split()).casefold(): " ".join(v.split()) for k, v in raw.items()}


def load_board(path: str | os.PathLike | None = None) -> Board:
    path = Path(path or os.environ.get("SCR_SETTINGS") or BUILTIN)
    data = _read(path)
    known = {"board", "sender", "profile", "nation", "closure_days", "agency", "themes", "agency_codes",
             "chronology_format", *_INTS}
    unknown = set(data) - known
    if unknown:
        raise ScrError(f"unknown setting(s) {', '.join(sorted(unknown))}.", file=path, fix=f"Use only: {', '.join(sorted(known))}.")
    for key in _INTS:
        v, least = data.get(key), _LEAST.get(key, 0)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < least):
            raise ScrError(f"{key} = {v!r} must be a whole number, {least} or more.", file=path)
    for key in _TEXTS:
        if isinstance(data.get(key), (list, dict)):
            raise ScrError(f"{key} holds a list or table, not one value.", file=path, fix=f'Write it as {key} = "...".')
    form = str(data.get("chronology_format", "rotherham")).strip().lower()
    if form not in CHRONOLOGY_FORMATS:
        raise ScrError(f"chronology_format = {data.get('chronology_format')!r} is not a chronology form the tracker "
                       "writes.", file=path, fix="Use one of: " + ", ".join(CHRONOLOGY_FORMATS) + ".")
    closures = data.get("closure_days", [])
    if not isinstance(closures, (str, list, dt.date)):
        raise ScrError(f"closure_days = {closures!r} is not a list of dates.", file=path,
                       fix='Write it as closure_days = ["29/12/2026-31/12/2026", "02/01/2027"].')
    try:
        nation, closures = canonical_nation(data.get("nation")), closure_days(closures)
    except ScrError as e:  # name the file the mistake is in, not only the date
        raise ScrError(e.message, file=path, fix=e.fix) from None
    return Board(
        chronology_format=form, themes=_themes(path, data.get("themes", [])), agency_codes=_codes(path, data.get("agency_codes", {})), board=str(data.get("board", "")), sender=str(data.get("sender", "")).strip(), profile=str(data.get("profile", "england-wt2023")), nation=nation,
        closure_days=closures, agencies=_agencies(path, data.get("agency", [])), path=path,
        **{k: data[k] for k in _INTS if k in data},
    )
