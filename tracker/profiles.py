"""Timescale profiles: a board's milestones as a TOML data file, loaded and checked.

A board adds its own profile by copying a file from tracker/profiles/ (or into the folder named
by the SCR_PROFILES_DIR setting) and editing it; no code. See docs/PROFILES.md.
"""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tracker.errors import ScrError
from tracker.stages import chain, known_keys
from tracker.text import did_you_mean

BUILTIN_DIR = Path(__file__).with_name("profiles")
UNITS = ("days", "weeks", "working_days", "months")
ROLLS = ("none", "next", "previous")
BASES = ("due", "actual")
DIRECTIONS = ("after", "before")
DAY0 = "day0"
# The largest offsets a profile may give: far beyond any review, yet small enough that a date
# counted from Day 0 stays a real date (an absurd number is a typing slip, not a timescale).
MAX_OFFSET = {"days": 10_000, "weeks": 10_000, "working_days": 10_000, "months": 1_200}
INPUT = "input"  # a date the board manager enters (e.g. a meeting date), not computed


@dataclass(frozen=True)
class Milestone:
    id: str
    label: str
    start: str  # "day0", "input" or another milestone's id  (TOML key: from)
    offset: int = 0
    unit: str = "days"
    direction: str = "after"
    basis: str = "due"  # count from the anchor's due date, or its actual date once recorded
    roll: str = "none"
    responsible: str = ""
    group: str = ""
    source: str = ""
    note: str = ""

    @property
    def signed_offset(self) -> int:
        return -self.offset if self.direction == "before" else self.offset

    def rule_text(self) -> str:
        """The rule in words, e.g. '5 working days before overview-meeting'."""
        if self.start == INPUT:
            return "date entered by the board manager"
        unit = self.unit.replace("_", " ")
        if self.offset == 1:
            unit = unit[:-1]
        anchor = "Day 0" if self.start == DAY0 else self.start
        basis = " (actual date once recorded)" if self.basis == "actual" and self.start != DAY0 else ""
        return f"{self.offset} {unit} {self.direction} {anchor}{basis}"


@dataclass(frozen=True)
class Example:
    """A worked example printed in the source, which the profile must reproduce."""
    day0: dt.date
    expected: dict[str, dt.date]
    overrides: dict[str, dt.date] = field(default_factory=dict)
    actuals: dict[str, dt.date] = field(default_factory=dict)
    nation: str = "england-and-wales"
    note: str = ""


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    board: str
    review_type: str
    source: str
    day0_label: str
    milestones: tuple[Milestone, ...]
    nation: str = "england-and-wales"
    update_cycle_months: int | None = None
    note: str = ""
    examples: tuple[Example, ...] = ()
    returns: dict[str, str] = field(default_factory=dict)  # return item -> milestone it is due by
    front_sheet: dict[str, str] = field(default_factory=dict)  # the older table: a p.57 event -> its milestone
    front_events: tuple = ()  # tracker.frontsheet.FrontEvent rows, in the order the sheet prints them
    front_family: bool = True  # the family and parallel proceedings rows follow (not for a conference)
    stages: tuple[str, ...] = ()  # the profiles chained after this one's own milestones (tracker.stages)
    path: Path | None = None

    def milestone(self, milestone_id: str) -> Milestone:
        key = str(milestone_id).strip().lower()
        for m in self.milestones:
            if m.id == key:
                return m
        raise ScrError(f"Milestone '{milestone_id}' is not in profile '{self.id}'.",
                       fix=f"Use one of: {', '.join(m.id for m in self.milestones)}.")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.milestones)


_MILESTONE_KEYS = {"id", "label", "from", "offset", "unit", "direction", "basis", "roll",
                   "responsible", "group", "source", "note"}
_PROFILE_KEYS = {"id", "name", "board", "review_type", "source", "day0_label", "nation",
                 "update_cycle_months", "note", "milestone", "example", "returns", "front_sheet",
                 "front_event", "front_family", "stage"}


def _fail(path, message, fix=None, row=None):
    raise ScrError(message, file=path, row=row, fix=fix)


def _choice(path, where, value, allowed, key):
    if value not in allowed:
        _fail(path, f"{where}: {key} '{value}' is not allowed.", fix=f"Use one of: {', '.join(allowed)}.")
    return value


def _table(path, where, value, *, many=False):
    """A TOML table (or, with many, an array of tables [[...]]), else a message naming the file."""
    ok = (isinstance(value, list) and all(isinstance(v, dict) for v in value)) if many else isinstance(value, dict)
    if not ok:
        form = f"[[{where}]] blocks" if many else f"a [{where}] table with one line per entry"
        _fail(path, f"'{where}' must be written as {form}, not {where} = {str(value)[:40]!r}.",
              fix="Copy the form used in the built-in profiles (docs/PROFILES.md).")
    return value


def _parse_milestone(path, n, raw) -> Milestone:
    where = f"milestone {n}" + (f" ('{raw.get('id')}')" if raw.get("id") else "")
    unknown = set(raw) - _MILESTONE_KEYS
    if unknown:
        _fail(path, f"{where}: unknown setting(s) {', '.join(sorted(unknown))}.",
              fix=f"Use only: {', '.join(sorted(_MILESTONE_KEYS))}.")
    for key in ("id", "label", "from"):
        if not str(raw.get(key, "")).strip():
            _fail(path, f"{where}: '{key}' is missing.", fix="Every milestone needs id, label and from.")
    mid = str(raw["id"]).strip().lower()
    if mid in (DAY0, INPUT) or not all(c.isalnum() or c in "-_" for c in mid):
        _fail(path, f"{where}: id '{raw['id']}' must be letters, digits, - or _ and not 'day0' or 'input'.")
    start = str(raw["from"]).strip().lower()
    offset = raw.get("offset", 0)
    unit = _choice(path, where, raw.get("unit", "days"), UNITS, "unit")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        _fail(path, f"{where}: offset '{offset}' must be a whole number of 0 or more.",
              fix="Write the direction as direction = \"before\" rather than a minus sign.")
    if offset > MAX_OFFSET[unit]:
        _fail(path, f"{where}: offset {offset} {unit.replace('_', ' ')} is more than the {MAX_OFFSET[unit]:,} allowed.",
              fix="Check the number: at most 10,000 days, weeks or working days, or 1,200 months.")
    return Milestone(
        id=mid, label=str(raw["label"]).strip(), start=start, offset=offset, unit=unit,
        direction=_choice(path, where, raw.get("direction", "after"), DIRECTIONS, "direction"),
        basis=_choice(path, where, raw.get("basis", "due"), BASES, "basis"),
        roll=_choice(path, where, raw.get("roll", "none"), ROLLS, "roll"),
        responsible=str(raw.get("responsible", "")), group=str(raw.get("group", "")),
        source=str(raw.get("source", "")), note=str(raw.get("note", "")),
    )


def _date(path, where, value) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    _fail(path, f"{where}: '{value}' is not a date.", fix="Write dates in TOML as 2008-01-01 (no quotes).")


_EXAMPLE_KEYS = {"day0", "nation", "note", "expected", "overrides", "actuals"}


def _parse_example(path, n, raw, ids, nation) -> Example:
    where = f"example {n}"
    unknown = set(raw) - _EXAMPLE_KEYS
    if unknown:
        _fail(path, f"{where}: unknown setting(s) {', '.join(sorted(unknown))}.",
              fix=f"Use only: {', '.join(sorted(_EXAMPLE_KEYS))}.")
    maps = {}
    for key in ("expected", "overrides", "actuals"):
        table = _table(path, f"example.{key}", raw.get(key, {}))
        for mid, value in table.items():
            if mid not in ids:
                _fail(path, f"{where}: {key} names milestone '{mid}', which the profile does not have.")
        maps[key] = {mid: _date(path, f"{where} {key}.{mid}", v) for mid, v in table.items()}
    return Example(day0=_date(path, f"{where} day0", raw.get("day0")), nation=_nation(path, raw.get("nation", nation)),
                   note=str(raw.get("note", "")), **maps)


def _nation(path, value) -> str:
    from tracker.bankholidays import canonical_nation
    try:
        return canonical_nation(value)
    except ScrError as e:
        raise ScrError(e.message, file=path, fix=e.fix) from None


def _check_graph(path, milestones: tuple[Milestone, ...]) -> None:
    ids = [m.id for m in milestones]
    seen = set()
    for m in milestones:
        if m.id in seen:
            _fail(path, f"milestone id '{m.id}' is used twice.", fix="Give every milestone its own id.")
        seen.add(m.id)
    for m in milestones:
        if m.start not in (DAY0, INPUT) and m.start not in seen:
            _fail(path, f"milestone '{m.id}' counts from '{m.start}', which is not a milestone of this profile.",
                  fix=f"Use 'day0', 'input' or one of: {', '.join(ids)}.")
        if m.start == m.id:
            _fail(path, f"milestone '{m.id}' counts from itself.")
    by_id = {m.id: m for m in milestones}
    for m in milestones:
        chain, cur = [m.id], by_id[m.id].start
        while cur in by_id:
            if cur in chain:
                loop = " -> ".join(chain[chain.index(cur):] + [cur])
                _fail(path, f"milestones count from each other in a circle: {loop}.",
                      fix="One of them must count from day0, an input date or an earlier milestone.")
            chain.append(cur)
            cur = by_id[cur].start


def parse_profile(data: dict, path=None) -> Profile:
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        _fail(path, f"unknown setting(s) {', '.join(sorted(unknown))}.", fix=f"Use only: {', '.join(sorted(_PROFILE_KEYS))}.")
    for key in ("id", "name"):
        if not str(data.get(key, "")).strip():
            _fail(path, f"'{key}' is missing at the top of the profile.")
    raw_ms = _table(path, "milestone", data.get("milestone", []), many=True)
    if not raw_ms:
        _fail(path, "the profile has no [[milestone]] entries.")
    own = tuple(_parse_milestone(path, n, raw) for n, raw in enumerate(raw_ms, 1))
    raw_stages = _table(path, "stage", data.get("stage", []), many=True)
    milestones, stage_front, stage_returns, stage_cycle = chain(path, raw_stages, own, load=load_profile_file,
                                                                builtin_dir=BUILTIN_DIR)
    _check_graph(path, milestones)
    ids = {m.id for m in milestones}
    cycle = data.get("update_cycle_months", stage_cycle)
    if cycle is not None and (isinstance(cycle, bool) or not isinstance(cycle, int) or not 1 <= cycle <= 1_200):
        _fail(path, f"update_cycle_months '{cycle}' must be a whole number of months, from 1 to 1,200.")
    nation = _nation(path, data.get("nation", "england-and-wales"))
    from tracker.frontsheet import P57_KEYS
    from tracker.receipts import RETURN_KEYS
    links = {}
    for table, allowed in (("returns", RETURN_KEYS), ("front_sheet", P57_KEYS)):
        raw = _table(path, table, data.get(table, {}))
        for key, mid in raw.items():
            if key not in allowed:
                _fail(path, f"[{table}] has '{key}', which is not one of its entries.", fix=f"Use: {', '.join(allowed)}.")
            if not isinstance(mid, str) or mid not in ids:
                _fail(path, f"[{table}] {key} points at milestone '{mid}', which the profile does not have.",
                      fix=f"Use one of: {', '.join(sorted(ids))}.")
        links[table] = dict(raw)
    links["returns"] = {**stage_returns, **links["returns"]}
    front = _front_events(path, data, links["front_sheet"], own) + stage_front
    family = data.get("front_family", True)
    if not isinstance(family, bool):
        _fail(path, f"front_family '{family}' must be true or false.")
    return Profile(
        id=str(data["id"]).strip().lower(), name=str(data["name"]), board=str(data.get("board", "")),
        review_type=str(data.get("review_type", "")), source=str(data.get("source", "")),
        day0_label=str(data.get("day0_label", "Day 0")), milestones=milestones,
        nation=nation, update_cycle_months=cycle, note=str(data.get("note", "")),
        examples=tuple(_parse_example(path, n, raw, ids, nation)
                       for n, raw in enumerate(_table(path, "example", data.get("example", []), many=True), 1)),
        path=Path(path) if path else None, front_events=front, front_family=family,
        stages=tuple(str(s.get("profile", "")).strip().lower() for s in raw_stages), **links,
    )


_EVENT_KEYS = {"section", "label", "key", "milestone"}


def _front_events(path, data, links: dict, milestones) -> tuple:
    """[[front_event]] rows; else the p.57 rows a [front_sheet] table plans; else one per milestone."""
    from tracker.frontsheet import FrontEvent, event_key, from_milestones, p57_events
    raw = _table(path, "front_event", data.get("front_event", []), many=True)
    if raw and links:
        _fail(path, "the profile has both [[front_event]] rows and a [front_sheet] table.",
              fix="Keep one: [[front_event]] names the rows; [front_sheet] only plans the p.57 rows.")
    if not raw:
        return p57_events(links) if links else from_milestones(milestones)
    ids, out, seen = {m.id for m in milestones}, [], set()
    for n, ev in enumerate(raw, 1):
        where = f"[[front_event]] number {n}"
        known_keys(path, where, ev, _EVENT_KEYS, "front-event")
        label = str(ev.get("label", "")).strip()
        if not label:
            _fail(path, f"{where} has no label.", fix='Add label = "what happens".')
        mid = ev.get("milestone")
        if mid is not None and (not isinstance(mid, str) or mid.strip().lower() not in ids):
            _fail(path, f"{where} ('{label}') is planned by milestone '{mid}', which the profile does not have.",
                  fix=f"Use one of: {', '.join(sorted(ids))}; or leave milestone out to type the plan in.")
        key = str(ev.get("key") or event_key(label)).strip()
        if key in seen:
            _fail(path, f"{where} ('{label}') has the same key '{key}' as an earlier event.", fix="Give it its own key.")
        seen.add(key)
        out.append(FrontEvent(str(ev.get("section", "")).strip(), key, label, mid.strip().lower() if mid else None,
                              follows=bool(mid)))
    return tuple(out)


def load_profile_file(path) -> Profile:
    path = Path(path)
    try:
        # utf-8-sig: Notepad's "UTF-8 with BOM" is still UTF-8
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        _fail(path, "profile file not found.")
    except UnicodeDecodeError:
        _fail(path, "the file is not saved as UTF-8 text (an accented letter or a curly quote in another encoding).",
              fix="Open it in Notepad and save it as UTF-8 (Save as > Encoding).")
    except tomllib.TOMLDecodeError as e:
        _fail(path, f"is not valid TOML: {e}.", fix="Check quotes and brackets on that line.")
    profile = parse_profile(data, path)
    if profile.id != path.stem.lower():  # ids are kept in lower case; Southshire-SCR.toml is fine
        _fail(path, f"the profile id '{profile.id}' differs from the file name '{path.stem}'.",
              fix=f"Name the file {profile.id}.toml or change id.")
    return profile


def profile_dirs() -> list[Path]:
    dirs = [BUILTIN_DIR]
    extra = os.environ.get("SCR_PROFILES_DIR")
    if extra:
        dirs.append(Path(extra))
    return dirs


@lru_cache(maxsize=None)
def _load_all(dirs: tuple[Path, ...]) -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    for d in dirs:
        for f in sorted(Path(d).glob("*.toml")):
            p = load_profile_file(f)
            found[p.id] = p  # a board's own folder may replace a built-in profile of the same id
    return found


def all_profiles() -> dict[str, Profile]:
    return _load_all(tuple(profile_dirs()))


def get_profile(profile_id: str | None = None) -> Profile:
    raw = (profile_id or DEFAULT_PROFILE).strip()
    if raw.lower().endswith(".toml") or os.sep in raw:
        return load_profile_file(raw)
    profiles = all_profiles()
    key = raw.lower()
    if key not in profiles:
        raise ScrError(f"Profile '{profile_id}' is not known.{did_you_mean(raw, profiles)}", fix=f"Use one of: {', '.join(sorted(profiles))}.")
    return profiles[key]


DEFAULT_PROFILE = "england-wt2023"  # as the board settings file and the docs say
