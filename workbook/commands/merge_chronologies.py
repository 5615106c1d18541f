"""`scr merge-chronologies`: every agency chronology read (all or nothing), merged in date order,
names coded with the key if one is given, written as one integrated chronology."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tracker import chronology as C
from tracker.chronology import Entry
from tracker.board import load_board
from tracker.errors import ScrError
from tracker.text import plural
from tracker.receipts import agency_row
from workbook.case import layout as L
from workbook.case.audit import sha256
from workbook.case.session import CaseSession
from workbook.chronology.key import read_name_key
from workbook.chronology.form import issued_form, verify
from workbook.chronology.read import ChronologyRejected, read_chronologies
from workbook.chronology.write import SHEET, is_integrated, leftover_places, shown_date, write_integrated
from workbook.xlsx.crypto import is_encrypted
from workbook.xlsx.safe import check_output
from workbook.xlsx.untrusted import Problem


@dataclass
class Merged:
    path: Path
    entries: list[Entry]
    per_agency: dict[str, int]
    coded: bool
    names_left: list[C.Leftover] = field(default_factory=list)
    key_names: int = 0
    title_left: bool = False  # the title (--case, or OUT's name) still holds part of a name in the key
    recorded: list[str] = field(default_factory=list)  # agencies whose receipt was recorded in the case (--record-in)
    not_on_case: list[str] = field(default_factory=list)  # agencies of the merge the case's Agencies sheet lacks
    refused: dict = field(default_factory=dict)  # agency -> why its chronology was not recorded in the case
    own_forms: list[str] = field(default_factory=list)  # agencies that sent their own layout, not the issued form

    def summary(self) -> str:
        files = len({e.source_file for e in self.entries})
        lines = [f"Integrated chronology: {self.path} ({len(self.entries)} entries from {files} file"
                 f"{'s' if files != 1 else ''}, {len(self.per_agency)} agenc{'y' if len(self.per_agency) == 1 else 'ies'})"]
        width = max(len(a) for a in self.per_agency)
        for a, n in self.per_agency.items():
            lines.append(f"  {a:<{width}}  {n:>4} entr{'y' if n == 1 else 'ies'}")
        dated = [e for e in self.entries if e.date is not None]
        if dated:
            lines.append(f"Dates: {shown_date(dated[0])} to {shown_date(dated[-1])}.")
        if self.coded and (self.names_left or self.title_left):
            places = leftover_places(self.entries, self.names_left)
            places += ["the title (--case)"] if self.title_left else []
            shown = ", ".join(places[:20]) + (f" and {len(places) - 20} more rows" if len(places) > 20 else "")
            lines.append(f"Names NOT fully coded: words that are part of a name in the key are still in {len(places)} "
                         f"place{'s' if len(places) != 1 else ''} of sheet '{SHEET}': {shown}. "
                         "Check them and code them by hand before it leaves the panel.")
        elif self.coded:
            lines.append(f"Names coded with the key ({self.key_names} name{'s' if self.key_names != 1 else ''}); "
                         "the key is not in the file.")
        else:
            lines.append("Names are not coded (no --key): code them before the chronology goes to Ofsted.")
        pairs = sum(len(v) for v in C.possible_duplicates(self.entries).values()) // 2
        if pairs:
            lines.append(f"{plural(pairs, 'possible duplicate')} across agencies (the same day, much the same "
                         f"event) flagged in the Source column of sheet '{SHEET}': check them.")
        if self.recorded:
            lines.append(f"Recorded in the case: chronology received and added to the integrated chronology for "
                         f"{', '.join(self.recorded)}.")
        for agency, why in self.refused.items():
            lines.append(f"NOT recorded in the case for {agency}: {why}. Check where it came from.")
        if self.own_forms and self.recorded:
            lines.append(f"Sent on their own layout, not the form issued: {', '.join(sorted(set(self.own_forms)))}.")
        if self.not_on_case:
            lines.append(f"Not on the case's Agencies sheet, so nothing recorded for: {', '.join(self.not_on_case)} "
                         "(type their dates by hand, or add them to the Agencies sheet).")
        return "\n".join(lines)


def merge_files(out, files, *, case_name: str | None = None, key_path=None, password: str | None = None,
                encrypt: bool | None = None, today: dt.date | None = None, record_in=None, named=None) -> Merged:
    """``record_in``: the case workbook, whose Agencies sheet then records each agency's chronology
    as received (when blank) and added to the integrated chronology, with an Audit row, in one
    session held from before the chronology is written (so a case open in Excel is refused first).
    ``named``: with a key, also write the panel's version with the names (``out`` is the coded one
    for Ofsted), from the same reading; the key itself is in neither."""
    if named is not None and not key_path:
        raise ScrError("--named is the panel's version beside the coded one, so it needs --key.",
                       fix="Give the name key with --key, or leave out --named.")
    if record_in is None:
        return _merge(out, files, case_name, key_path, password, encrypt, today, named)
    if Path(record_in).resolve() == Path(out).resolve():
        raise ScrError("OUT is the case workbook given to --record-in; nothing was written.", file=out,
                       fix="Give the integrated chronology its own name: scr merge-chronologies OUT.xlsx FILES... "
                           "--record-in CASE.xlsx")
    with CaseSession(Path(record_in), "merge-chronologies", today=today) as s:
        merged = _merge(out, files, case_name, key_path, password, encrypt, today, named)
        on = today or dt.date.today()
        inputs = {}
        refused = _not_this_cases(s.case, files, password, merged)
        for agency in merged.per_agency:
            if agency in refused:
                continue
            try:
                row = agency_row(s.case, agency)
            except ScrError:
                merged.not_on_case.append(agency)
                continue
            cells = {"chronology_merged": on}
            if not isinstance(row.get("chronology_received"), dt.date):
                cells["chronology_received"] = on
            row.update(cells)
            inputs[row["_row"]] = cells
            merged.recorded.append(str(row["agency"]).strip())
        if inputs:
            s.recompute()
            s.stage_inputs(L.AGENCIES_TABLE, inputs)
        s.audit("integrated chronology made", f"{Path(out).name}: {len(merged.entries)} entries from "
                f"{len(merged.per_agency)} agencies; recorded for {len(merged.recorded)}; file SHA-256 {sha256(out)}")
        s.save()
    return merged


def _not_this_cases(case, files, password, merged: Merged) -> dict[str, str]:
    """The agencies whose chronology came on a form issued for another case, or changed since it
    was signed: not recorded in this case (agency -> why). A chronology the agency made itself
    (no record) is recorded, and said to be its own."""
    refused: dict[str, str] = {}
    for f in files:
        record = issued_form(f, password)
        agencies = {e.agency for e in merged.entries if e.source_file == Path(f).name}
        why = verify(record, case.case_id, case.case_key) if record else ""
        for agency in agencies:
            if why:
                refused[agency] = why
            elif record is None:
                merged.own_forms.append(agency)
    merged.refused = refused
    return refused


def _merge(out, files, case_name, key_path, password, encrypt, today, named=None) -> Merged:
    """Read every agency chronology (all or nothing), merge them, code names with the key if
    given, and write the integrated chronology to ``out``. Nothing is written if anything is wrong.

    ``encrypt``: protect ``out`` with the password (True), write it plain on purpose (False), or
    not said (None): then password-protected inputs are refused, because merging them must not
    quietly give a plain copy of everything they protect."""
    out = Path(out)
    files = [Path(f) for f in files]
    if not files:
        raise ScrError("no agency chronologies were given.", fix="Give the agencies' chronology files after OUT.")
    # OUT comes first on the command line: a case workbook typed there must never be replaced
    inputs = files + ([Path(key_path)] if key_path else [])
    check_output(out, what="an integrated chronology", option="OUT", inputs=inputs,
                 ours=lambda p: is_integrated(p, password),
                 fix="Give the new integrated chronology's name first: scr merge-chronologies OUT.xlsx FILES...")
    if named is not None:
        named = Path(named)
        check_output(named, what="an integrated chronology", option="--named", inputs=inputs + [out],
                     ours=lambda p: is_integrated(p, password))
    if encrypt and not password:
        raise ScrError("--encrypt needs the case password.", fix="Give --password (or set SCR_CASE_PASSWORD).")
    if encrypt is None:
        locked = [f.name for f in files + ([Path(key_path)] if key_path else []) if _protected(f)]
        if locked:
            n = len(locked)
            raise ScrError(f"{n} of the files given {'is' if n == 1 else 'are'} password-protected ("
                           f"{', '.join(locked[:5])}{' ...' if n > 5 else ''}), and the integrated chronology would "
                           "hold all of it without a password; nothing was written.", file=out,
                           fix="Add --encrypt to protect it with the case password (as the agencies' files are), "
                               "or --no-encrypt if it is to be a plain file on purpose.")
    problems: list[Problem] = []
    entries: list[Entry] = []
    try:
        entries = read_chronologies(files, password=password, today=today)
    except ChronologyRejected as e:
        problems.extend(e.problems)
    key: dict[str, str] = {}
    births: dict = {}  # code -> date of birth, where the key's third column gives one
    if key_path:
        try:
            key = read_name_key(key_path, password=password, birth_dates=births)
        except ChronologyRejected as e:
            problems.extend(e.problems)
    if problems:
        raise ChronologyRejected(problems)
    merged = C.merge(C.expand_codes(entries, load_board().agency_codes))
    panel = merged  # the names as the agencies wrote them, before coding
    left: list[C.Leftover] = []
    if key:
        merged = C.code_names(merged, key)
        left = C.names_left(merged, key)
    name = case_name or out.stem
    title_left = False
    if key:
        name = C.code_text(name, key)
        title_left = C.text_names_left(name, key) > 0
    write_integrated(out, merged, case_name=name, coded=bool(key), password=password if encrypt else None,
                     names_to_check=len({x.entry for x in left}) + title_left, made=today, births=births)
    if named is not None:  # the panel's: names as written, marked as such in its title line
        write_integrated(named, panel, case_name=(case_name or out.stem) + " (named: panel only)", coded=False,
                         password=password if encrypt else None, made=today, births=births)
    per_agency = {a: len(es) for a, es in C.agencies(merged).items()}
    return Merged(out, merged, per_agency, bool(key), left, len(key), title_left)


def _protected(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return is_encrypted(fh.read(8))
    except OSError:
        return False  # reading it properly reports what is wrong with it
