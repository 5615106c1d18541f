"""`scr import`: apply the update sheets agencies send back, all or nothing.

Each returned file is read and checked on its own (workbook.update_sheet.read); every file that
passes is then applied to the case (tracker.updates: a later update supersedes an earlier one, and
both stay in Updates) in ONE case session: its progress entries appended to Updates, the actions'
status and dates brought up to date, the receipt logged in the agency tracker, an Audit line with
the file's SHA-256, and the original archived beside the case. A file that fails gets a report for
the agency and changes nothing. Importing the same file twice changes nothing.

The whole import holds the case's writer lock (the case session), so two imports, or an import
and a refresh, at the same moment run one after the other and neither is lost. The archive copy
in returns/ is written only once the case is saved (an import that did not land leaves nothing
there), atomically, and checked against the SHA-256 the Audit records: a copy that does not match
(a truncated leftover of a full disk) is replaced, never kept as if it were the return.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tracker import chronology as C
from tracker.errors import ScrError
from tracker.receipts import agency_row
from tracker.excel_dates import fmt
from tracker.text import plural, same_name, slug
from tracker.updates import (KIND_ISSUED, UNVERIFIED, apply_return, entry_key, is_unverified, row_key,
                             source_issue)
from workbook.case import layout as L
from workbook.case.audit import issue_in, table_row
from workbook.case.keys import key_path, missing_key_fix
from workbook.case.logs import recorded_digests
from workbook.case.rounds import round_log, stage_rounds
from workbook.chronology.case_file import case_forms, integrated_path, merged_forms, write_case_integrated
from workbook.chronology.form import issued_form, verify
from workbook.chronology.read import ChronologyRejected, read_chronology
from workbook.case.session import ARCHIVE_FOLDER, CaseSession
from workbook.eml.rejected import FOLDER as REJECTED_FOLDER, draft_path, ours, theirs, write_rejection_emails
from workbook.update_sheet.read import ReturnRejected, read_return
from workbook.xlsx.safe import write_file_atomic

ACTION_INPUTS = ("status", "last_update", "progress", "revised_target", "revision_reason")
AGENCY_INPUTS = ("update_1_received", "update_2_received", "chronology_received")
ARCHIVE = ARCHIVE_FOLDER  # beside the case: every applied original
REFUSED = "unverified"  # an unverified return the board manager has not accepted (--accept-unverified)
CHRONOLOGY = "chronology received"  # a chronology form of this case: recorded as received
ACCEPT = "--accept-unverified"


def _refusal(ret) -> ScrError:
    """What the board manager is told about an unverified return: what it is, and how to take it."""
    return ScrError(f"this is an UNVERIFIED return from {ret.agency}: {ret.unverified}, so nothing in it proves it "
                    "came from the agency or that the Board issued it; nothing from it was applied.",
                    file=ret.path,
                    fix=f"Check with the agency that they sent it. To take it anyway, run `scr import` again with "
                        f"{ACCEPT}: its entries are then marked {UNVERIFIED} in Updates and the Action Plan, and "
                        f"{ret.agency} is still chased for a signed update sheet.")


@dataclass
class FileOutcome:
    path: Path
    state: str  # "applied", "already imported", "rejected", REFUSED (unverified, not accepted)
    agency: str = ""
    entries: int = 0
    problems: list = field(default_factory=list)
    note: str = ""
    warnings: list = field(default_factory=list)  # applied, but the board manager must read these
    unverified: str = ""  # applied as UNVERIFIED: why it could not be verified
    draft: Path | None = None  # rejected: the e-mail back to the agency, ready to check and send


@dataclass
class ImportResult:
    case_path: Path
    files: list[FileOutcome]
    backup: Path | None = None
    cells: int = 0  # case cells written
    note: str = ""  # something the board manager must know about the run as a whole

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.state in ("rejected", REFUSED)]

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0


def _issued(s: CaseSession) -> dict[str, tuple[int, str, str]]:
    """Every update sheet the Audit records as issued: issue id -> (its place in issue order,
    agency, when it was issued as the Audit shows it)."""
    loc = s.located(L.AUDIT_TABLE)
    ws = s.reader.wb[loc.sheet]
    out = {}
    for r in loc.rows:
        got = issue_in(ws[f"{loc.cols['what']}{r}"].value, ws[f"{loc.cols['detail']}{r}"].value)
        if got:
            out[got[0]] = (len(out), got[1], str(ws[f"{loc.cols['when']}{r}"].value or "").strip())
    return out


def _superseded(ret, issued: dict[str, tuple[int, str, str]]) -> str:
    """A warning when a newer update sheet was issued to the agency after the one returned: its
    updates are applied where they are the latest word, but the agency may have the newer one to fill in."""
    if ret.unverified or ret.issue_id not in issued:
        return ""
    place = issued[ret.issue_id][0]
    newer = [(p, when) for p, agency, when in issued.values() if same_name(agency) == same_name(ret.agency) and p > place]
    if not newer:
        return ""
    when = max(newer)[1]
    return (f"this is an older update sheet: a newer one was issued to {ret.agency}" + (f" ({when})" if when else "")
            + f". Its updates were applied where they are still the latest word; ask {ret.agency} whether they "
              "meant to fill in the newer sheet, and import that one when it comes back.")


def _existing_updates(s: CaseSession, order: dict[str, int]):
    """The SHA-256s and entries the Updates sheet already holds, and the latest issue applied to
    each action (by ``order``, the issue ids' places in issue order)."""
    loc = s.located(L.UPDATES_TABLE)
    ws = s.reader.wb[loc.sheet]
    hashes, keys, latest = set(), set(), {}
    for r in loc.rows:
        get = lambda k: ws[f"{loc.cols[k]}{r}"].value  # noqa: E731
        if get("sha256"):
            hashes.add(str(get("sha256")))
        d = get("date")
        d = d.date() if isinstance(d, dt.datetime) else d
        source = get("source")
        keys.add(entry_key(get("action_id"), d, get("status"), get("progress"), get("revised_target"),
                           get("revision_reason"), unverified=is_unverified(source)))
        place = order.get(source_issue(source)) if not is_unverified(source) else None
        aid = str(get("action_id") or "").strip().casefold()
        if place is not None and place > latest.get(aid, -1):
            latest[aid] = place
    return hashes, keys, latest


def _why_unverified(ret, issued: dict[str, tuple[int, str, str]]) -> str:
    """Why a signed sheet is still not verified: its issue is not one the Audit records for its agency."""
    if ret.unverified or ret.kind != KIND_ISSUED:
        return ret.unverified
    if ret.issue_id not in issued:
        return f"its issue id {str(ret.issue_id)[:20]} was never issued for this case"
    if same_name(issued[ret.issue_id][1]) != same_name(ret.agency):
        return f"its issue {ret.issue_id} was issued to {issued[ret.issue_id][1]}, not {ret.agency}"
    return ""


def import_returns(case_path, files, password=None, *, today: dt.date | None = None,
                   archive: bool = True, book=None, accept_unverified: bool = False) -> ImportResult:
    """``accept_unverified``: the board manager has looked at the unverified returns among
    ``files`` and takes them (marked UNVERIFIED); without it they are refused, nothing from them written."""
    case_path = Path(case_path)
    # the as-at date reaches the session, so the statuses recomputed after the import are as at it
    with CaseSession(case_path, "import", today=today, book=book) as s:
        result, accepted, again = _apply(s, case_path, files, password, today, accept_unverified)
        today = today or s.case.today or dt.date.today()
        integrated = _integrate(s, case_path, [a for a in accepted if isinstance(a, _Chronology)],
                                password or s.password, today)
        if accepted:
            result.backup = s.save()
        if integrated:  # after the save, as every file the case records; the next import rebuilds it
            target, entries = integrated
            if not write_case_integrated(target, s.case.case_name or "", entries, s.password, today):
                result.note = (f"{target.name} exists and is not an integrated chronology, so the case's integrated "
                               "chronology was not written; move that file and import again.")
        if archive:
            # after the save: only a return the case now records is kept in returns/
            _archive(case_path, accepted + again, today)
        _draft_rejections(s.case, case_path, result)
    return result


def _draft_rejections(case, case_path: Path, result: ImportResult) -> None:
    """A draft e-mail to the agency for each rejected file with points for it to fix. The import
    is already saved: a draft that cannot be written is said, never undoes it."""
    rejected = [f for f in result.files if f.state == "rejected"]
    folder = case_path.parent / REJECTED_FOLDER
    try:
        written = set(write_rejection_emails(case, [(f.path, f.agency, f.problems) for f in rejected], folder))
    except (OSError, ScrError) as e:
        result.note = (f"the e-mails back to the agencies could not be written ({getattr(e, 'strerror', None) or e}); "
                       "send them the points listed above.")
        return
    for f in rejected:
        if (p := draft_path(folder, f.agency, f.path)) in written:
            f.draft = p


def _apply(s: CaseSession, case_path: Path, files, password, today, accept_unverified=False):
    """Every file read, checked and applied to the case in ``s``: (result, applied returns,
    returns already imported before)."""
    case = s.case
    today = today or case.today or dt.date.today()
    if not str(case.case_key or "").strip():
        raise ScrError(f"this computer has no signing key for the case (no key file {key_path(case.case_id)}), "
                       "so no returned sheet can be verified; nothing was imported.", file=case_path,
                       fix=missing_key_fix(case.case_id))
    issued = _issued(s)
    order = {i: place for i, (place, _agency, _when) in issued.items()}
    hashes, keys, latest = _existing_updates(s, order)
    rounds = round_log(s)  # a verified return is its agency's update round received
    outcomes, accepted, again, log = [], [], [], []
    changed_actions, changed_agencies = set(), set()
    received = recorded_digests(s.reader)
    for f in files:
        f = Path(f)
        form = issued_form(f, password)
        if form is not None:  # a chronology form this tracker issued, not an update sheet
            outcomes.append(_chronology(case, f, form, password, today, received, accepted))
            continue
        try:
            ret = read_return(f, case, password=password, today=today)
        except ReturnRejected as e:
            outcomes.append(FileOutcome(f, "rejected", e.agency, problems=list(e.problems)))
            continue
        except ScrError as e:
            outcomes.append(FileOutcome(f, "rejected", problems=[e]))
            continue
        ret.unverified = _why_unverified(ret, issued)
        new_rows = [r for r in ret.rows if row_key(r, bool(ret.unverified)) not in keys]
        if ret.sha256 in hashes or not new_rows:
            if ret.sha256 in hashes:
                again.append(ret)  # its archive copy is checked (and made good) below
            outcomes.append(FileOutcome(f, "already imported", ret.agency, note="nothing new in this file"))
            continue
        if ret.unverified and not accept_unverified:
            outcomes.append(FileOutcome(f, REFUSED, ret.agency, len(new_rows), problems=[_refusal(ret)]))
            continue
        ret.rows = new_rows
        for r in new_rows:
            keys.add(row_key(r, bool(ret.unverified)))
        hashes.add(ret.sha256)
        done = apply_return(case, ret, today, issue_order=order, applied_issue=latest, rounds=rounds)
        log += done.log
        changed_actions |= done.actions
        changed_agencies |= done.agencies
        accepted.append(ret)
        warnings = [w for w in [_superseded(ret, issued)] if w] + done.warnings
        outcomes.append(FileOutcome(f, "applied", ret.agency, len(new_rows), warnings=warnings,
                                    unverified=ret.unverified))
    result = ImportResult(case_path, outcomes)
    if not accepted:
        return result, accepted, again
    chronologies = [a for a in accepted if isinstance(a, _Chronology)]
    for c in chronologies:
        if not isinstance(c.row.get("chronology_received"), dt.date):
            c.row["chronology_received"] = today
            changed_agencies.add(c.row["_row"])
    s.recompute()
    s.stage_inputs(L.ACTIONS_TABLE, {a["_row"]: {k: a.get(k) for k in ACTION_INPUTS}
                                     for a in case.actions if a["_row"] in changed_actions})
    s.stage_inputs(L.AGENCIES_TABLE, {a["_row"]: {k: a[k] for k in AGENCY_INPUTS if isinstance(a.get(k), dt.date)}
                                      for a in case.agencies if a["_row"] in changed_agencies})
    stage_rounds(s, rounds)
    s.append(L.UPDATES_TABLE, [table_row(L.UPDATES_TABLE, **row) for row in log])
    for c in chronologies:
        s.audit(f"chronology received from {c.agency}", f"{c.path.name}: {plural(c.entries, 'entry', 'entries')}; "
                f"verified (issue {c.issue_id}); file SHA-256 {c.sha256}")
    for ret in (a for a in accepted if not isinstance(a, _Chronology)):
        s.audit(f"update sheet received from {ret.agency}" + (f" ({UNVERIFIED}, accepted by the board manager)"
                                                                if ret.unverified else ""),
                f"{Path(ret.path).name}: {plural(len(ret.rows), 'entry', 'entries')}; {ret.kind}"
                + (f"; {UNVERIFIED}: {ret.unverified}" if ret.unverified else "; verified")
                + (f"; update round {n} received" if (n := rounds.received.get((same_name(ret.agency), ret.issue_id))) else "")
                + f"; as at {fmt(case.as_at)}; file SHA-256 {ret.sha256}")
    result.cells = s.staged
    return result, accepted, again


@dataclass
class _Chronology:
    """A chronology form of this case, returned: recorded as received, archived like a return."""
    path: Path
    agency: str
    row: dict
    entries: int
    issue_id: str
    sha256: str


def _chronology(case, f: Path, form: dict, password, today, received: set, accepted: list) -> FileOutcome:
    """A returned chronology form: this case's (its signed record), read with every chronology
    check; recorded as received (not applied to the Action Plan: it is merged by merge-chronologies)."""
    agency = str(form.get("agency") or "")
    why = verify(form, case.case_id, case.case_key)
    if why:
        return FileOutcome(f, "rejected", agency, problems=[ScrError(
            f"this chronology form is not this case's: {why}; nothing from it was recorded.", file=f,
            fix="Check where it came from; merge it with `scr merge-chronologies` only if it belongs to this case.")])
    try:
        entries = read_chronology(f, password=password, today=today)
        row = agency_row(case, agency)
    except ChronologyRejected as e:
        return FileOutcome(f, "rejected", agency, problems=list(e.problems))
    except ScrError as e:
        return FileOutcome(f, "rejected", agency, problems=[e])
    digest = hashlib.sha256(f.read_bytes()).hexdigest()
    if digest in received:
        return FileOutcome(f, "already imported", agency, note="this chronology was recorded before")
    accepted.append(_Chronology(f, agency, row, len(entries), str(form.get("issue_id") or ""), digest))
    return FileOutcome(f, CHRONOLOGY, agency, len(entries))


def _integrate(s: CaseSession, case_path: Path, chronologies: list, password, today):
    """The case's integrated chronology with the new forms in it (workbook.chronology.case_file),
    and 'Added to integrated chronology' staged for each agency in it: (target, entries) or None."""
    if not chronologies:
        return None
    files = case_forms(s.case, case_path.parent / ARCHIVE, password) + [c.path for c in chronologies]
    entries = merged_forms(s.case, files, password, today)
    rows = {}
    for agency in C.agencies(entries):
        try:
            row = agency_row(s.case, agency)
        except ScrError:
            continue
        row["chronology_merged"] = today
        rows[row["_row"]] = {"chronology_merged": today}
    s.recompute()
    s.stage_inputs(L.AGENCIES_TABLE, rows)
    target = integrated_path(case_path, s.case.case_name or "")
    s.audit("integrated chronology updated", f"{target.name}: {plural(len(entries), 'entry', 'entries')} from "
            f"{plural(len(C.agencies(entries)), 'agency', 'agencies')}")
    return target, entries


def _archive(case_path: Path, returns, today: dt.date) -> list[Path]:
    """Keep every applied original beside the case, named so it sorts by date and never clashes;
    a copy already there is kept only if its SHA-256 is the return's."""
    folder = case_path.parent / ARCHIVE
    out = []
    for ret in returns:
        data = Path(ret.path).read_bytes()
        if hashlib.sha256(data).hexdigest() != ret.sha256:
            raise ScrError("the returned file changed while it was being imported, so it was not archived.",
                           file=ret.path, fix="Run `scr import` again with the file as the agency sent it.")
        old = list(folder.glob(f"*-{ret.sha256[:10]}.*")) if folder.is_dir() else []
        if any(_sha_of(p) == ret.sha256 for p in old):
            continue
        folder.mkdir(exist_ok=True)
        name = slug(ret.agency, limit=30, blank="agency")
        # always .xlsx: what passed the checks is a plain workbook, whatever the sender named it
        target = folder / f"{today:%Y-%m-%d}-{name}-{ret.sha256[:10]}.xlsx"
        try:
            write_file_atomic(target, data, temp_for=case_path.name)
        except OSError as e:
            raise ScrError(f"the return from {ret.agency} was applied and the Audit records it, but its copy could "
                           f"not be kept in {ARCHIVE}/ ({e.strerror or e}).", file=ret.path,
                           fix="Free some disk space, then run `scr import` again with the same file: it changes "
                               "nothing in the case and keeps the copy.") from None
        for p in old:  # a copy that is not the return (a truncated leftover) must not look like it
            if p != target:
                p.unlink(missing_ok=True)
        out.append(target)
    return out


def _sha_of(p: Path) -> str:
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError:
        return ""


def outcome_text(result: ImportResult) -> str:
    lines = []
    for f in result.files:
        if f.state == "applied":
            lines.append(f"applied   {f.path.name}: {plural(f.entries, 'update')} from {f.agency}"
                         + (f", marked {UNVERIFIED} ({f.unverified}); {f.agency} is still chased for a signed "
                            "sheet" if f.unverified else ""))
            lines += [f"    ! {w}" for w in f.warnings]
        elif f.state == CHRONOLOGY:
            lines.append(f"received  {f.path.name}: the chronology of {f.agency} ({plural(f.entries, 'entry', 'entries')}), "
                         "recorded as received and added to the case's integrated chronology (names not coded: "
                         "`scr merge-chronologies --key` makes the coded one for Ofsted)")
        elif f.state == "already imported":
            lines.append(f"unchanged {f.path.name}: already imported ({f.note})")
        elif f.state == REFUSED:
            lines.append(f"REFUSED   {f.path.name}: {plural(f.entries, 'update')} from {f.agency} not applied:")
            lines += [f"    - {p}" for p in f.problems]
        else:
            lines.append(f"REJECTED  {f.path.name}: nothing from it was applied.")
            if mine := ours(f.problems):
                lines.append("  For you to put right (not the agency):")
                lines += [f"    - {p}" for p in mine]
            if agency := theirs(f.problems):
                to = f.agency or "the agency"
                lines.append(f"  For {to} to put right" + (f" (an e-mail to them is ready to check and send: "
                                                             f"{f.draft})" if f.draft else "") + ":")
                lines += [f"    - {p.where(file=False) + ': ' if p.where(file=False) else ''}{p.message}"
                          + (f" Fix: {p.fix}" if p.fix else "") for p in agency]
    applied = sum(1 for f in result.files if f.state in ("applied", CHRONOLOGY))
    lines.append(f"{plural(applied, 'file')} applied, {len(result.rejected)} rejected."
                 + (f" Backup of the case: {result.backup}" if result.backup else ""))
    if result.note:
        lines.append(f"Note: {result.note}")
    return "\n".join(lines)
