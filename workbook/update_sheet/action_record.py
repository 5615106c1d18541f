"""A return typed on the seeds' own "Serious Case Review Action Record" layout (seed 001 §3.6
section 6 and p.56) by an agency that did not use the issued sheet: found by its header words,
each row matched to ONE action of that agency by its text. Nothing in such a file can be verified
(no record, no signature), so what it gives is labelled unverified."""
from __future__ import annotations

import re

from tracker.text import is_blank, same_name, words_of
from tracker.updates import KIND_ACTION_RECORD, Returned, ReturnedRow, check_row
from workbook.update_sheet import layout as AL
from workbook.update_sheet.common import read_inputs
from workbook.xlsx.untrusted import BOARD, shown

HEADER_SCAN_ROWS = 15      # the action record's header row is looked for in these rows ...
HEADER_SCAN_COLS = 30      # ... and columns


# Header words (after words_of and dropping a trailing number, "Evidence/Progress 1." -> "evidence progress")
_RECORD_HEADERS = {
    "action_id": ("action id", "action no", "action number", "action ref", "ref", "ref no", "reference"),
    "rec_no": ("rec no", "recommendation no", "recommendation number", "rec"),
    "recommendation": ("recommendation", "recommendations"),
    "agency": ("agency",),
    "action": ("action", "actions", "action smart", "agreed action"),
    "responsible": ("responsible individual", "responsible officer", "responsible person", "responsible",
                    "lead officer"),
    "target": ("target date", "target", "timescale", "target date for completion"),
    "status": ("status", "status now", "current status"),
    "progress": ("evidence progress", "progress evidence", "evidence of progress", "progress",
                 "progress since last update", "progress update"),
    "evidence": ("evidence", "evidence what shows it is done"),
    "date": ("date of update", "update date", "date updated", "date of last update"),
    "revised_target": ("revised target date", "revised target", "new target date"),
    "revision_reason": ("reason for new target date", "reason for revision", "reason for revised target date"),
}
_HEADER_KEY = {w: k for k, words in _RECORD_HEADERS.items() for w in words}


def _header_key(v) -> str | None:
    if not isinstance(v, str):
        return None
    w = re.sub(r"(\s\d+)+$", "", words_of(v))
    return _HEADER_KEY.get(w)


class ActionRecord:
    """A return typed on the seeds' action record (unverified: see the module docstring)."""

    def __init__(self, reader, wb, digest: str):
        self.r = reader
        self.wb = wb
        self.digest = digest

    def find(self):
        for ws in self.wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in range(1, HEADER_SCAN_ROWS + 1):
                cols = {}
                for c in range(1, HEADER_SCAN_COLS + 1):
                    k = _header_key(ws.cell(row, c).value)
                    if k and k not in cols:
                        cols[k] = c
                if "action" in cols and "date" in cols and ("progress" in cols or "evidence" in cols):
                    return ws, row, cols
        return None

    def label(self, ws, header_row: int, word: str) -> tuple[str | None, int | None]:
        """What a "<word>:" line above the table says (or the cell beside a "<word>" label), and its row."""
        for row in range(1, header_row):
            for c in range(1, HEADER_SCAN_COLS + 1):
                v = ws.cell(row, c).value
                if not isinstance(v, str):
                    continue
                m = re.match(rf"^\s*{word}(?:\s+name)?\s*(?:[:\-\u2013]|$)\s*(.*)$", v, re.I | re.S)
                if not m:
                    continue
                if m.group(1).strip():
                    return m.group(1).strip(), row
                for c2 in range(c + 1, HEADER_SCAN_COLS + 1):
                    v2 = ws.cell(row, c2).value
                    if not is_blank(v2):
                        return str(v2).strip(), row
                return "", row
        return None, None

    def read(self) -> Returned | None:
        found = self.find()
        if found is None:
            return None
        ws, hr, cols = found
        r, case = self.r, self.r.case
        sheet = ws.title

        def where_col(key):
            return dict(col=cols.get(key), header=ws.cell(hr, cols[key]).value if key in cols else None)

        agencies = {same_name(a.get("agency")): str(a.get("agency")).strip()
                    for a in case.agencies if not is_blank(a.get("agency"))}
        named, named_row = self.label(ws, hr, "case")
        ours, theirs = words_of(case.case_name), words_of(named or "")
        if theirs and f" {ours} " not in f" {theirs} " and f" {theirs} " not in f" {ours} ":
            # an update sheet of another case with its hidden record removed says so above its table
            r.stop(f"this sheet is for case '{named[:40]}', not for '{case.case_name}'; import it into "
                   f"{named[:40]}'s workbook.", f"Run `scr import` with {named[:40]}'s case workbook (the agency "
                   "need do nothing).", sheet=sheet, row=named_row, who=BOARD)
        label, label_row = self.label(ws, hr, "agency")
        sheet_agency = None
        if "agency" not in cols:
            if label is None:
                r.stop("the action record does not say which agency it is from.",
                       "Add a line 'Agency:' with your agency's name above the table, as on the action record form.",
                       sheet=sheet)
            if not label:
                r.stop("the 'Agency:' line of the action record is blank.", "Type your agency's name beside "
                       "'Agency:'.", sheet=sheet, row=label_row)
            sheet_agency = agencies.get(same_name(label))
            if sheet_agency is None:
                r.stop(f"'{label[:60]}' is not an agency of this case.",
                       "Use your agency's name as the Board has it: one of " + ", ".join(sorted(agencies.values()))
                       + ".", sheet=sheet, row=label_row)
            r.agency = sheet_agency
        by_agency: dict[str, list[dict]] = {}
        for a in case.actions:
            if not is_blank(a.get("action_id")):
                by_agency.setdefault(same_name(a.get("agency") or ""), []).append(a)
        all_actions = {same_name(a.get("action_id")): a for a in case.actions if not is_blank(a.get("action_id"))}

        populated = sorted({row for (row, c), cell in ws._cells.items() if row > hr and not is_blank(cell.value)})
        if len(populated) > AL.MAX_ROWS:
            r.stop(f"the action record has {len(populated)} rows (at most {AL.MAX_ROWS}).",
                   "Return only the open actions' updates.", sheet=sheet)
        out: list[ReturnedRow] = []
        current = None  # the action of the row above, for continuation rows (repeated evidence entries)
        filled = False
        for row in populated:
            val = {k: ws.cell(row, c).value for k, c in cols.items()}

            def problem(msg, fix, key=None, row=row):
                r.add(msg, fix, sheet=sheet, row=row, **(where_col(key) if key else {}))

            updates = {k: ws.cell(row, cols[k]) for k in AL.INPUT_KEYS if k in cols}
            has_update = any(not is_blank(c.value) for c in updates.values())
            filled = filled or has_update
            names_action = any(not is_blank(val.get(k)) for k in ("action_id", "action", "recommendation"))
            agency = sheet_agency
            if "agency" in cols:
                typed = val.get("agency")
                agency = agencies.get(same_name(typed)) if not is_blank(typed) else (current or {}).get("_agency")
                if agency is None and (has_update or names_action):
                    problem(f"{shown(typed)} is not an agency of this case.",
                            "Use the agency's name as the Board has it.", "agency")
                    current = None
                    continue
            if names_action:
                action, why = _match_action(val, by_agency.get(same_name(agency or ""), []), all_actions, agency)
                if action is None:
                    if has_update:
                        problem(why, "Put the action's ID at the start of the Action cell (e.g. '1.2 ...') or copy "
                                "the action's wording exactly as the Board sent it.", "action")
                    current = None
                    continue
                current = dict(action=action, _agency=agency)
            elif has_update and current is None:
                problem("this update does not say which action it is for.",
                        "Give the action (or its ID) in the same row.", "action")
                continue
            if not has_update:
                continue
            got = read_inputs(updates, lambda msg, fix, key, row=row: problem(msg, fix, key))
            if got is None:
                continue
            if "date" not in got:
                got["date"] = None
            rr = check_row(got, str(current["action"]["action_id"]).strip(), row, r.today, None,
                             lambda msg, fix, key, row=row: problem(msg, fix, key if key in cols else None))
            if rr is not None:
                out.append(rr)
        if not filled:
            r.add("nothing was filled in: the action record has no Evidence/Progress with a Date of Update.",
                  "Please give an update and its date for each action, then return it.", sheet=sheet)
        if sheet_agency is None:
            named = sorted({_agency_of(case, rr.action_id) for rr in out})
            if len(named) > 1:
                r.add(f"this action record has updates from more than one agency ({', '.join(named)}).",
                      "Please send one action record per agency.", sheet=sheet)
        agency_out = sheet_agency or (out and _agency_of(case, out[0].action_id)) or ""
        names = {n.casefold() for n in self.wb.sheetnames}
        why = ("an issued update sheet whose hidden record was removed, so nothing in it can be checked"
               if {AL.INSTRUCTIONS.casefold(), AL.UPDATES.casefold()} <= names
               else "typed on the action record form, not a sheet the Board issued, so nothing in it can be checked")
        return Returned(r.path, self.digest, agency_out, None, None, None, out, KIND_ACTION_RECORD, unverified=why)


def _agency_of(case, action_id) -> str:
    for a in case.actions:
        if same_name(a.get("action_id")) == same_name(action_id):
            return str(a.get("agency") or "").strip()
    return ""


def _ids(actions) -> str:
    ids = [str(a.get("action_id")).strip() for a in actions]
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else ids[0]


def _match_action(val: dict, mine: list[dict], all_actions: dict, agency: str | None):
    """The ONE case action of ``agency`` a typed row is about, or (None, why).

    In order: an Action ID column (exact id); the action's text exactly (case, spaces and
    punctuation aside), narrowed by the recommendation's text when several actions share it;
    the recommendation's text with an action text that contains (or is contained in) the typed
    one; an action id at the start of the Action or Recommendation cell ("1.2 Review ...").
    """
    name = agency or "this agency"
    aid = val.get("action_id")
    if not is_blank(aid):
        hit = [a for a in mine if same_name(a.get("action_id")) == same_name(aid)]
        if hit:
            return hit[0], ""
        other = all_actions.get(same_name(aid))
        if other is not None:
            return None, f"action {shown(aid)} belongs to {other.get('agency')}, not {name}."
        return None, f"no action of {name} has the ID {shown(aid)}."
    act, rec = words_of(val.get("action") or ""), words_of(val.get("recommendation") or "")
    exact = [a for a in mine if act and words_of(a.get("action") or "") == act]
    if len(exact) == 1:
        return exact[0], ""
    if len(exact) > 1:
        narrowed = [a for a in exact if rec and words_of(a.get("recommendation") or "") == rec]
        if len(narrowed) == 1:
            return narrowed[0], ""
        by_prefix = _by_prefix(val, exact)
        if by_prefix is not None:
            return by_prefix, ""
        return None, f"the row matches actions {_ids(narrowed or exact)} of {name}; it must match one."
    if rec and act:
        loose = [a for a in mine if words_of(a.get("recommendation") or "") == rec
                 and (act in words_of(a.get("action") or "") or words_of(a.get("action") or "") in act)
                 and words_of(a.get("action") or "")]
        if len(loose) == 1:
            return loose[0], ""
        if len(loose) > 1:
            by_prefix = _by_prefix(val, loose)
            if by_prefix is not None:
                return by_prefix, ""
            return None, f"the row matches actions {_ids(loose)} of {name}; it must match one."
    by_prefix = _by_prefix(val, mine)
    if by_prefix is not None:
        return by_prefix, ""
    what = shown(val.get("action") if not is_blank(val.get("action")) else val.get("recommendation"), 50)
    return None, f"no action of {name} matches {what}."


def _by_prefix(val: dict, actions: list[dict]):
    hits = []
    for a in actions:
        aid = str(a.get("action_id") or "").strip()
        if not aid:
            continue
        pat = re.compile(r"^\s*(?:action\s*)?" + re.escape(aid) + r"(?![\w.]\w|\w)", re.I)
        if any(isinstance(val.get(k), str) and pat.match(val[k]) for k in ("action", "recommendation")):
            hits.append(a)
    return hits[0] if len(hits) == 1 else None
