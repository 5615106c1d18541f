"""Read a case workbook back into CaseData, finding tables by name and columns by header.

A board manager may move, add or hide columns, add rows and notes; we only need our own tables'
headers to still be there. Every problem found is reported at once with its sheet, row and
column, and nothing is written: reading never half-applies anything.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from tracker.errors import ScrError
from tracker.excel_dates import fmt, parse_date
from tracker.frontsheet import FrontEvent, PEOPLE, event_key, events_for
from tracker.bankholidays import canonical_nation
from tracker.calendar import FIRST_YEAR, LAST_YEAR
from tracker.profiles import get_profile
from tracker.rag import ACTION_STATUSES
from tracker.status import is_not_applicable
from tracker.text import did_you_mean, is_blank, same_name
from workbook.case import layout as L
from workbook.case.keys import load_key
from workbook.case.load import load, open_workbook
from workbook.xlsx.crypto import decrypt_bytes, is_encrypted, password_for
from workbook.case.typed import TextDate, below_warning, rows_below, text_date
from tracker.case import DEFAULT_SETTINGS, CaseData


DEFAULT_REQUESTED = ("chronology_requested", "management_report_requested", "action_plan_requested")
# added after layout version 1 files were first made
OPTIONAL_NAMES = ("CaseId", "CaseKey", "Themes", "Briefing", "Published", "PublicationLink")


class ScrErrors(ScrError):
    """Several problems found in one pass; str() lists them all."""

    def __init__(self, errors: list[ScrError], file=None):
        self.errors = errors
        head = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found; nothing was changed."
        super().__init__(head, file=file)

    def __str__(self) -> str:
        return "\n".join([self.message] + ["  - " + str(e) for e in self.errors])


@dataclass
class Located:
    """Where one of our tables is in a file: header row, data rows, and each column's letter."""
    table: L.Table
    sheet: str
    header_row: int
    last_row: int
    cols: dict[str, str]  # column key -> letter

    @property
    def rows(self) -> range:
        return range(self.header_row + 1, self.last_row + 1)


def locate(wb, t: L.Table, path) -> Located:
    if t.sheet not in wb.sheetnames:
        raise ScrError(f"the sheet '{t.sheet}' is missing.", file=path,
                       fix="Restore it from the backups folder, or rename the sheet back.")
    ws = wb[t.sheet]
    table = next((x for x in ws.tables.values() if x.name.casefold() == t.name.casefold()), None)
    if table is None:
        raise ScrError(f"the table '{t.name}' is missing.", file=path, sheet=t.sheet,
                       fix="Undo the change that removed it (Table Design > Table Name), or restore a backup.")
    c1, r1, c2, r2 = range_boundaries(table.ref)
    headers = {}
    for c in range(c1, c2 + 1):
        v = ws.cell(r1, c).value
        if v is not None:
            headers[" ".join(str(v).split()).casefold()] = get_column_letter(c)
    cols = {}
    for col in t.columns:
        key = " ".join(col.header.split()).casefold()
        if key not in headers:
            if col.optional:
                continue
            raise ScrError(f"the column '{col.header}' is missing from table '{t.name}'.", file=path,
                           sheet=t.sheet, row=r1, fix=f"Put the header '{col.header}' back.")
        cols[col.key] = headers[key]
    return Located(t, t.sheet, r1, r2, cols)


def defined_cell(wb, name: str):
    """The (sheet, coordinate) a workbook-level name points at."""
    dn = wb.defined_names.get(name)
    if dn is None:
        return None
    for sheet, coord in dn.destinations:
        return sheet, coord.replace("$", "")
    return None


class Reader:
    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise ScrError("the workbook does not exist.", file=self.path,
                           fix="Check the path, or create it with `scr new`.")
        # The bytes are read once: parsed here, hashed for the Audit, and patched by the command,
        # whose save refuses if the file on disk changed meanwhile.
        # A case kept encrypted at rest (Excel's Encrypt with Password) is decrypted in memory only:
        # ``raw`` is the plain workbook, ``disk`` what is on disk (hashed, and checked at save).
        self.disk = self.path.read_bytes()
        self.digest = hashlib.sha256(self.disk).hexdigest()
        self.password = password_for(self.path) if is_encrypted(self.disk) else None
        self.raw = decrypt_bytes(self.disk, self.password, file=self.path) if self.password else self.disk
        self.wb = open_workbook(self.path, self.raw)
        self.errors: list[ScrError] = []
        self.text_dates: list[TextDate] = []  # refresh turns them into real dates (workbook.case.typed)
        self.warnings: list[ScrError] = []  # what every command says but does not stop for
        self.settings_key: tuple = ("", None, None)  # a key an older case kept on Settings: value, sheet, cell
        self._values = None  # the same file read for saved formula results, only when needed
        if not any(defined_cell(self.wb, k) for k in ("Day0", "CaseName", "Profile")):
            raise ScrError("this is not a case workbook made by the tracker (it has none of the case's names "
                           "such as Day0 and Profile).", file=self.path,
                           fix="Give the path of the case workbook (the file `scr new` made).")
        if self.wb.epoch.year == 1904:
            # Excel moves every date by four years when this option is switched; the worksheet
            # functions receive bare serial numbers and could not tell. Refuse, explicitly.
            raise ScrError("the workbook uses the 1904 date system, so its dates would be read four years out.",
                           file=self.path, fix="In Excel: File > Options > Advanced > untick 'Use 1904 date system', "
                           "check the dates, save, and try again.")

    def value(self, sheet: str, ref: str):
        return self.wb[sheet][ref].value

    def named(self, name: str):
        where = defined_cell(self.wb, name)
        if where is None:
            self.errors.append(ScrError(f"the name '{name}' is missing.", file=self.path,
                                        fix="Formulas > Name Manager: restore it, or restore a backup."))
            return None
        sheet, ref = where
        if sheet not in self.wb.sheetnames:
            self.errors.append(ScrError(f"the sheet '{sheet}' is missing (the name '{name}' points at it).",
                                        file=self.path, fix="Rename the sheet back, or restore it from the backups folder."))
            return None
        return self.wb[sheet][ref].value, sheet, ref

    def cached(self, sheet: str, ref: str):
        """What a formula typed into an input cell showed when the file was last saved in Excel."""
        if self._values is None:
            self._values = load(self.path, data_only=True, data=self.raw)
        return self._values[sheet][ref].value

    def date(self, v, sheet, ref_or_row, column=None, *, allow_na=False):
        if isinstance(ref_or_row, str):  # a single named cell such as "C3"
            col, row = coordinate_from_string(ref_or_row)
        else:
            row, col = ref_or_row, column
        typed = v if isinstance(v, str) and v.strip() else None  # a date typed as text?
        if isinstance(v, str) and v.startswith("="):
            # A formula the board manager typed: use the date it showed, as Excel would.
            shown = self.cached(sheet, f"{col}{row}")
            if shown is None:
                self.errors.append(ScrError(f"this cell holds the formula {v[:40]} and no saved result.",
                                            file=self.path, sheet=sheet, row=row, column=col,
                                            fix="Type the date itself (dd/mm/yyyy), or open and save the file in Excel."))
                return None
            v, typed = shown, None
        if allow_na and is_not_applicable(v):
            return "n/a"
        try:
            d = parse_date(v, what="this cell")
            if typed is not None and d is not None:
                self.text_dates.append(text_date(typed, d, sheet=sheet, ref=f"{col}{row}", file=self.path,
                                                 row=row, column=col))
            return d
        except ScrError as e:
            self.errors.append(ScrError(e.message, file=self.path, sheet=sheet, row=row, column=col,
                                        fix=(e.fix or "") + (" Or n/a." if allow_na else "")))
            return None

    def look_below(self, loc: Located) -> None:
        """A warning when rows are typed under one of our tables (workbook.case.typed)."""
        letters = sorted(loc.cols.values(), key=lambda c: (len(c), c))
        rows = rows_below(self.wb[loc.sheet], letters[0], letters[-1], loc.last_row)
        if rows:
            self.warnings.append(below_warning(loc.sheet, loc.table.name, rows, self.path))

    def table_rows(self, loc: Located, key_col: str):
        ws = self.wb[loc.sheet]
        for r in loc.rows:
            values = {k: ws[f"{c}{r}"].value for k, c in loc.cols.items()}
            if values.get(key_col) in (None, "") and all(
                    v in (None, "") or (isinstance(v, str) and v.startswith("=")) for v in values.values()):
                continue
            yield r, values

    def read(self, *, lenient: bool = False) -> CaseData:
        """The case as typed; every problem found is raised at once, unless ``lenient`` (`scr status`):
        then a bad cell is read as blank and left in ``errors`` for the caller to name."""
        wb, path = self.wb, self.path
        got = {}
        for key, *_ in L.SETTINGS_ROWS:
            if key in OPTIONAL_NAMES and defined_cell(wb, key) is None:
                got[key] = (None, L.SETTINGS, None)  # a file from before these settings existed
                continue
            got[key] = self.named(key)
        if self.errors:
            raise ScrErrors(self.errors, file=path)
        settings = dict(DEFAULT_SETTINGS)
        for key in DEFAULT_SETTINGS:
            v, sheet, ref = got[key]
            if v in (None, ""):
                continue
            least = 1 if key in ("CycleMonths", "RedCycles") else 0
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or v < least:
                col, row = coordinate_from_string(ref)
                self.errors.append(ScrError(f"'{v}' is not a whole number of {least} or more.", file=path, sheet=sheet,
                                            row=row, column=col, fix="Enter a whole number of days or months."))
                continue
            settings[key] = int(v)
        for key, check in (("Profile", get_profile), ("Nation", canonical_nation)):
            v, sheet, ref = got[key]
            try:
                check(str(v or "").strip() or None)
            except ScrError as e:
                col, row = coordinate_from_string(ref)
                self.errors.append(ScrError(e.message, file=path, sheet=sheet, row=row, column=col, fix=e.fix))
        version, sheet, ref = got["LayoutVersion"]
        if isinstance(version, (int, float)) and version > L.LAYOUT_VERSION:
            self.errors.append(ScrError(f"the workbook was made by a newer version of the tracker (layout version "
                                        f"{version:g}; this one knows {L.LAYOUT_VERSION}).", file=path, sheet=sheet,
                                        fix="Update the tracker (uv sync), then try again."))
            raise ScrErrors(self.errors, file=path)
        today_v, sheet, ref = got["Today"]
        today = None if isinstance(today_v, str) and today_v.startswith("=") else self.date(today_v, sheet, ref)
        d0 = self.named("Day0")
        day0 = self.date(d0[0], d0[1], d0[2]) if d0 else None
        if day0 is not None and not FIRST_YEAR <= day0.year <= LAST_YEAR:
            col, row = coordinate_from_string(d0[2])
            self.errors.append(ScrError(f"Day 0 {fmt(day0)} is outside the years the tracker counts "
                                        f"({FIRST_YEAR}-{LAST_YEAR}).", file=path, sheet=d0[1], row=row, column=col,
                                        fix="Check the year of Day 0."))
            day0 = None
        if day0 is None and not self.errors and d0 is not None:
            self.errors.append(ScrError("Day 0 is blank.", file=path, sheet=L.TIMESCALE, row=3, column="C",
                                        fix="Enter the Day 0 date as dd/mm/yyyy."))
        case = CaseData(case_name=str(got["CaseName"][0] or ""), profile_id=str(got["Profile"][0] or ""),
                        day0=day0, nation=str(got["Nation"][0] or "england-and-wales"), today=today,
                        settings=settings, case_id=str(got["CaseId"][0] or ""), case_key="")
        case.review = {k: str(got[k][0]).strip() for k in ("Themes", "Briefing", "PublicationLink")
                       if got[k][0] not in (None, "")}
        published = got["Published"]
        if published[0] not in (None, ""):
            case.review["Published"] = self.date(*published)
        # the key is the key file's; one still on the Settings sheet (an older case) is moved by the session
        self.settings_key = (str(got["CaseKey"][0] or "").strip(), got["CaseKey"][1], got["CaseKey"][2])
        case.case_key = load_key(case.case_id) or self.settings_key[0]
        self.read_holidays(case)
        self.read_timescale(case)
        self.read_agencies(case)
        self.read_actions(case)
        self.read_front(case)
        self.read_record(case)
        if self.errors and not (lenient and case.day0 is not None):
            raise ScrErrors(self.errors, file=path)
        return case

    def read_holidays(self, case):
        loc = locate(self.wb, L.HOLIDAYS_TABLE, self.path)
        ws = self.wb[loc.sheet]
        closures = []
        last = min(loc.header_row + L.HOLIDAY_ROWS, ws.max_row)
        date_col, kind_col = column_index_from_string(loc.cols["date"]), column_index_from_string(loc.cols["kind"])
        # iter_rows, not ws[cell]: looking up a cell makes it, and 1,500 of them a case is a fifth of its read
        for r, row in enumerate(ws.iter_rows(min_row=loc.header_row + 1, max_row=last, values_only=True),
                                loc.header_row + 1):
            v = row[date_col - 1] if len(row) >= date_col else None
            kind = row[kind_col - 1] if len(row) >= kind_col else None
            if v in (None, ""):
                continue
            d = self.date(v, loc.sheet, r, loc.cols["date"])
            if d is not None and str(kind or "").strip().lower() != "bank holiday":
                closures.append(d)
        case.closures = tuple(sorted(set(closures)))

    def read_timescale(self, case):
        loc = locate(self.wb, L.TIMESCALE_TABLE, self.path)
        try:
            ids = set(get_profile(case.profile_id).ids)
        except ScrError:
            ids = None  # the Settings check reports an unknown profile
        rows = list(self.table_rows(loc, "milestone"))
        known = [str(v["milestone"] or "").strip().lower() for _, v in rows]
        if ids is not None and known and not ids & set(known):
            self.errors.append(ScrError(f"the Timescale rows are not the milestones of profile '{case.profile_id}' "
                                        "(was the Profile setting changed?).", file=self.path, sheet=L.SETTINGS,
                                        fix="Put the Profile setting back, or start a new case file with `scr new` "
                                        "for the other profile."))
            ids = None
        for r, v in rows:
            mid = str(v["milestone"] or "").strip().lower()
            if not mid:
                continue
            if ids is not None and mid not in ids:
                self.errors.append(ScrError(f"milestone '{mid}' is not in profile '{case.profile_id}'.", file=self.path,
                                            sheet=loc.sheet, row=r, column=loc.cols["milestone"],
                                            fix="Timescale rows come from the profile: delete this row and put the date "
                                            "in Notes, or add the milestone to the board's own profile (docs/PROFILES.md)."))
                continue
            o = self.date(v["override"], loc.sheet, r, loc.cols["override"])
            a = self.date(v["actual"], loc.sheet, r, loc.cols["actual"], allow_na=True)
            if o is not None:
                case.overrides[mid] = o
            if a is not None:
                case.actuals[mid] = a

    def read_agencies(self, case):
        for name, _label, row, _lc, vcol in L.AGENCY_HEADER_DATES:
            hit = self.named(name)
            if hit:
                d = self.date(hit[0], hit[1], hit[2])
                if d is not None:
                    case.header_dates[name] = d
        loc = locate(self.wb, L.AGENCIES_TABLE, self.path)
        dates = {c.key for c in L.AGENCIES_TABLE.columns if c.fmt == "date" and c.kind == L.INPUT}
        computed = [c.key for c in L.AGENCIES_TABLE.columns if c.kind == L.FORMULA]
        self.look_below(loc)
        for r, v in self.table_rows(loc, "agency"):
            # a row the board manager added has no formulas yet: it gets the letter dates as defaults
            new_row = all(v.get(k) in (None, "") for k in computed)
            row = {"_row": r}
            for key, value in v.items():
                if key in dates:
                    if (isinstance(value, str) and value.startswith("=")) or (
                            new_row and value in (None, "") and key in DEFAULT_REQUESTED):
                        row[key] = "default"
                    else:
                        row[key] = self.date(value, loc.sheet, r, loc.cols[key])
                elif L.AGENCIES_TABLE.columns[L.AGENCIES_TABLE.col(key) - 1].kind == L.INPUT:
                    row[key] = value
            case.agencies.append(row)

    def read_actions(self, case):
        loc = locate(self.wb, L.ACTIONS_TABLE, self.path)
        dates = {c.key for c in L.ACTIONS_TABLE.columns if c.fmt == "date"}
        # a column an older file lacks (layout.Column.optional) reads as blank, as an empty cell would
        absent = {c.key: None for c in L.ACTIONS_TABLE.columns if c.kind == L.INPUT and c.key not in loc.cols}
        self.look_below(loc)
        for r, v in self.table_rows(loc, "action_id"):
            row = {"_row": r, **absent}
            for key, value in v.items():
                if key in dates:
                    row[key] = self.date(value, loc.sheet, r, loc.cols[key])
                elif L.ACTIONS_TABLE.columns[L.ACTIONS_TABLE.col(key) - 1].kind == L.INPUT:
                    row[key] = value
            status = row.get("status")
            if status not in (None, "") and str(status).strip().casefold() not in ACTION_STATUSES:
                # the workbook's own formulas know only the drop-down words, so nothing else is accepted
                self.errors.append(ScrError(f"Action status '{status}' is not one of the allowed words."
                                            + did_you_mean(str(status), ACTION_STATUSES),
                                            file=self.path, sheet=loc.sheet, row=r, column=loc.cols["status"],
                                            fix=f"Choose from the drop-down: {', '.join(ACTION_STATUSES)}."))
                row["status"] = None  # read as blank when the caller goes on (`scr status`)
            case.actions.append(row)

    def read_front(self, case):
        """The rows as the file has them, each matched to the profile's event of that label (so a
        board manager's added row, or an older file's, keeps its place and what was typed)."""
        loc = locate(self.wb, L.FRONT_TABLE, self.path)
        ws = self.wb[loc.sheet]
        try:
            known = {same_name(e.label): e for e in events_for(get_profile(case.profile_id))}
        except ScrError:
            known = {}  # an unknown profile is reported where it is read; the rows are kept as typed
        rows = []
        for r in range(loc.header_row + 1, loc.last_row + 1):
            label, section = ws[f"{loc.cols['event']}{r}"].value, ws[f"{loc.cols['section']}{r}"].value
            if is_blank(label):
                continue
            ev = known.pop(same_name(label), None) or FrontEvent(str(section or "").strip(), "", str(label).strip())
            if not ev.key:  # a row no profile names: a key of its own, unique in this file
                base = "row_" + event_key(ev.label)
                ev = FrontEvent(ev.section, base + ("_" + str(r) if any(x.key == base for x in rows) else ""), ev.label)
            rows.append(ev)
            if ev.follows:  # its Actual is the Timescale's (a formula here), read there
                continue
            a = self.date(ws[f"{loc.cols['actual']}{r}"].value, loc.sheet, r, loc.cols["actual"], allow_na=True)
            if a is not None:
                case.front_actuals[ev.key] = a
            p = ws[f"{loc.cols['planned']}{r}"].value
            if not (isinstance(p, str) and p.startswith("=")):
                d = self.date(p, loc.sheet, r, loc.cols["planned"])
                if d is not None:
                    case.front_planned[ev.key] = d
        case.front_rows = tuple(rows)
        for key, _label in PEOPLE:
            hit = defined_cell(self.wb, "Front_" + key)
            if hit:
                case.people[key] = ws[hit[1]].value or ""


    def read_record(self, case):
        """The Record sheet's rows (decisions, extensions, the family): a file made before it has none."""
        if L.RECORD not in self.wb.sheetnames:
            return
        loc = locate(self.wb, L.RECORD_TABLE, self.path)
        dates = [c.key for c in L.RECORD_TABLE.columns if c.fmt == "date"]
        for r, row in self.table_rows(loc, "what"):
            for key in (k for k in dates if k in row):
                row[key] = self.date(row[key], loc.sheet, r, loc.cols[key])
            case.record.append(row)


def read_case(path) -> CaseData:
    return Reader(Path(path)).read()
