"""`scr import`: apply the update sheets agencies send back, all or nothing.

Each returned file is read and checked on its own (workbook.update_sheet.read); every file that passes is
then applied to the case in ONE atomic save: its progress entries appended to Updates, the
actions' status and dates brought up to date, the receipt logged in the agency tracker, an Audit
line with the file's SHA-256, and the original archived beside the case. A file that fails gets
a report for the agency and changes nothing. Importing the same file twice changes nothing; a
later return from the same agency supersedes an earlier one, and both stay in Updates.
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ScrError
from workbook.case import layout as L
from tracker.case import CaseData, compute
from workbook.case.read import Reader, locate
from workbook.case.audit import audit_row
from workbook.commands.refresh import computed_cells
from workbook.xlsx.safe import ensure_not_open
from workbook.xlsx.patch import Patch


def issue_updates(case_path, out_dir=None, agency=None, password=None, *, today=None):
    """`scr issue-updates` (see workbook.update_sheet.write)."""
    from workbook.update_sheet.write import issue_updates as issue
    return issue(case_path, out_dir, agency, password, today=today)


@dataclass
class FileOutcome:
    path: Path
    state: str  # "applied", "already imported", "rejected"
    agency: str = ""
    entries: int = 0
    problems: list = field(default_factory=list)
    note: str = ""


@dataclass
class ImportResult:
    case_path: Path
    files: list[FileOutcome]
    backup: Path | None = None

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.state == "rejected"]

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0


def _entry_key(action_id, date, status, progress) -> tuple:
    return (str(action_id or "").strip().casefold(), date, str(status or "").strip().casefold(),
            " ".join(str(progress or "").split()))


def _existing_updates(reader: Reader):
    loc = locate(reader.wb, L.UPDATES_TABLE, reader.path)
    ws = reader.wb[loc.sheet]
    hashes, keys = set(), set()
    for r in loc.rows:
        get = lambda k: ws[f"{loc.cols[k]}{r}"].value  # noqa: E731
        if get("sha256"):
            hashes.add(str(get("sha256")))
        d = get("date")
        d = d.date() if isinstance(d, dt.datetime) else d
        keys.add(_entry_key(get("action_id"), d, get("status"), get("progress")))
    return hashes, keys


def _text(row) -> str:
    parts = [row.progress or ""]
    if row.evidence:
        parts.append(f"Evidence: {row.evidence}")
    return "\n".join(p for p in parts if p)


def _apply(case: CaseData, returned, received_on: dt.date) -> tuple[list[dict], set[int], set[int]]:
    """Apply one return to the in-memory case; give the Updates rows and the changed table rows."""
    actions = {str(a.get("action_id") or "").strip().casefold(): a for a in case.actions}
    source = f"{Path(returned.path).name}" + (f" (issue {returned.issue_id})" if returned.issue_id else
                                                " (typed action record: not a tracker sheet, matched by text)")
    log, changed_actions, changed_agencies = [], set(), set()
    for row in returned.rows:
        text = _text(row)
        log.append({"Date of update": row.date, "Agency": returned.agency, "Action ID": row.action_id,
                    "Status": row.status or "", "Evidence / progress": text,
                    "Revised target date": row.revised_target, "Reason for revision": row.revision_reason or "",
                    "Source": source, "Recorded on": received_on, "File SHA-256": returned.sha256})
        action = actions[str(row.action_id).strip().casefold()]
        last = action.get("last_update")
        if last is None or row.date >= last:  # a later update supersedes; an older one is history only
            if row.status:
                action["status"] = row.status
            action["last_update"] = row.date
            if text:
                action["progress"] = text
            if row.revised_target:
                action["revised_target"] = row.revised_target
                action["revision_reason"] = row.revision_reason
            changed_actions.add(action["_row"])
    for a in case.agencies:
        if str(a.get("agency") or "").strip().casefold() == returned.agency.strip().casefold():
            for slot in ("update_2", "update_1"):
                if a.get(f"{slot}_requested") and not a.get(f"{slot}_received"):
                    a[f"{slot}_received"] = received_on
                    changed_agencies.add(a["_row"])
                    break
    return log, changed_actions, changed_agencies


ACTION_INPUTS = ("status", "last_update", "progress", "revised_target", "revision_reason")
AGENCY_INPUTS = ("update_1_received", "update_2_received")


def import_returns(case_path, files, password=None, *, today: dt.date | None = None,
                   archive: bool = True) -> ImportResult:
    from workbook.update_sheet.read import ReturnRejected, read_return
    case_path = Path(case_path)
    ensure_not_open(case_path)
    reader = Reader(case_path)
    case = reader.read()
    today = today or case.today or dt.date.today()
    hashes, keys = _existing_updates(reader)
    outcomes, accepted, log = [], [], []
    changed_actions, changed_agencies = set(), set()
    seen_agencies = set()
    for f in files:
        f = Path(f)
        try:
            ret = read_return(f, case, password=password, today=today)
        except ReturnRejected as e:
            outcomes.append(FileOutcome(f, "rejected", problems=list(e.problems)))
            continue
        except ScrError as e:
            outcomes.append(FileOutcome(f, "rejected", problems=[e]))
            continue
        new_rows = [r for r in ret.rows if _entry_key(r.action_id, r.date, r.status, _text(r)) not in keys]
        if ret.sha256 in hashes or not new_rows:
            outcomes.append(FileOutcome(f, "already imported", ret.agency, note="nothing new in this file"))
            continue
        ret.rows = new_rows
        for r in new_rows:
            keys.add(_entry_key(r.action_id, r.date, r.status, _text(r)))
        hashes.add(ret.sha256)
        rows, acts, ags = _apply(case, ret, today)
        log += rows
        changed_actions |= acts
        changed_agencies |= ags
        accepted.append(ret)
        seen_agencies.add(ret.agency)
        outcomes.append(FileOutcome(f, "applied", ret.agency, len(new_rows)))
    result = ImportResult(case_path, outcomes)
    if not accepted:
        return result
    digest = reader.digest
    results = compute(case)
    cells = computed_cells(reader, case, results)
    ac = locate(reader.wb, L.ACTIONS_TABLE, case_path)
    for a in case.actions:
        if a["_row"] in changed_actions:
            for key in ACTION_INPUTS:
                cells.setdefault(L.ACTIONS, {})[f"{ac.cols[key]}{a['_row']}"] = a.get(key)
    ag = locate(reader.wb, L.AGENCIES_TABLE, case_path)
    for a in case.agencies:
        if a["_row"] in changed_agencies:
            for key in AGENCY_INPUTS:
                if a.get(key):
                    cells.setdefault(L.AGENCIES, {})[f"{ag.cols[key]}{a['_row']}"] = a[key]
    patch = Patch(case_path, raw=reader.raw)
    for sheet, values in cells.items():
        patch.set_cells(sheet, values)
    patch.append_table_rows(L.UPDATES, L.UPDATES_TABLE.name, log)
    audit = [audit_row("import", f"update sheet received from {ret.agency}",
                       f"{Path(ret.path).name}: {len(ret.rows)} entries; {ret.kind}; file SHA-256 {ret.sha256}", digest)
             for ret in accepted]
    patch.append_table_rows(L.AUDIT, L.AUDIT_TABLE.name, audit)
    copies = _archive(case_path, accepted, today) if archive else []
    try:
        result.backup = patch.save()
    except BaseException:
        for c in copies:
            c.unlink(missing_ok=True)
        raise
    return result


def _archive(case_path: Path, accepted, today: dt.date) -> list[Path]:
    """Keep every applied original beside the case, named so it sorts by date and never clashes."""
    folder = case_path.parent / "returns"
    folder.mkdir(exist_ok=True)
    out = []
    for ret in accepted:
        safe = "".join(c if c.isalnum() else "-" for c in ret.agency).strip("-")[:30] or "agency"
        target = folder / f"{today:%Y-%m-%d}-{safe}-{ret.sha256[:10]}{Path(ret.path).suffix.lower()}"
        if not target.exists():
            shutil.copy2(ret.path, target)
            out.append(target)
    return out


def outcome_text(result: ImportResult) -> str:
    lines = []
    for f in result.files:
        if f.state == "applied":
            lines.append(f"applied   {f.path.name}: {f.entries} update(s) from {f.agency}")
        elif f.state == "already imported":
            lines.append(f"unchanged {f.path.name}: already imported ({f.note})")
        else:
            lines.append(f"REJECTED  {f.path.name}: nothing from it was applied. Send this back to the agency:")
            lines += [f"    - {p}" for p in f.problems]
    applied = sum(1 for f in result.files if f.state == "applied")
    lines.append(f"{applied} file(s) applied, {len(result.rejected)} rejected."
                 + (f" Backup of the case: {result.backup}" if result.backup else ""))
    return "\n".join(lines)
