"""The cells a computation writes into a case workbook: every computed cell, as
{sheet: {ref: Formula or value}}, at the places the tables are in THIS file (found by table name
and header, not assumed). The file patch and the live writer take the same mapping."""
from __future__ import annotations

from tracker.case import CaseData, Results
from tracker.errors import ScrError
from tracker.record import DECISION_PREFIX, EXTENSIONS_PREFIX, front_lines
from workbook.case import layout as L
from workbook.case.row_formulas import action_formulas, agency_formulas, front_formulas, requested_formula, timescale_formulas
from workbook.case.read import Reader, defined_cell, locate
from workbook.xlsx.patch import Formula


def front_record_rows(last_event_row: int) -> tuple[int, int]:
    """The sheet rows of the Front Sheet's decision and extensions lines: one blank row below the events."""
    return last_event_row + 2, last_event_row + 3


def milestone_rows(wb, path) -> dict[str, int]:
    """The Timescale sheet row of each milestone id the sheet lists (ids as the tracker keeps them)."""
    loc = locate(wb, L.TIMESCALE_TABLE, path)
    ws = wb[loc.sheet]
    return {mid: r for r in loc.rows if (mid := str(ws[f"{loc.cols['milestone']}{r}"].value or "").strip().lower())}


def computed_cells(reader: Reader, case: CaseData, results: Results) -> dict[str, dict[str, object]]:
    """Every computed cell of the file, as {sheet: {ref: Formula or value}}, at the places the
    tables are in this file (found by name and header, not assumed)."""
    wb, path = reader.wb, reader.path
    out: dict[str, dict[str, object]] = {s: {} for s in L.SHEETS}
    ts = locate(wb, L.TIMESCALE_TABLE, path)
    rows = milestone_rows(wb, path)
    missing = [m for m in results.profile.ids if m not in rows]
    extra = [m for m in rows if m not in results.profile.ids]
    if missing or extra:
        raise ScrError(
            f"the Timescale rows do not match profile '{results.profile.id}'"
            + (f" (missing: {', '.join(missing)})" if missing else "") + (f" (not in the profile: {', '.join(extra)})" if extra else "") + ".",
            file=path, sheet=L.TIMESCALE,
            fix="Put the Profile setting back, or start a new case file with `scr new` for the other profile.")
    tsrefs = (rows, ts.cols)
    for p in results.plan.milestones:
        for key, text, cached in timescale_formulas(results, tsrefs, rows[p.id], p):
            out[L.TIMESCALE][f"{ts.cols[key]}{rows[p.id]}"] = Formula(text, cached)
    ag = locate(wb, L.AGENCIES_TABLE, path)
    for data, res in zip(case.agencies, results.agencies):
        r = data["_row"]
        for item in ("chronology", "management_report", "action_plan"):
            if data.get(f"{item}_requested") == "default":
                out[L.AGENCIES][f"{ag.cols[item + '_requested']}{r}"] = Formula(requested_formula(item), res.receipts[item].requested or "")
        for key, text, cached in agency_formulas(results, tsrefs, ag.cols, r, res):
            out[L.AGENCIES][f"{ag.cols[key]}{r}"] = Formula(text, cached)
    ac = locate(wb, L.ACTIONS_TABLE, path)
    for data, res in zip(case.actions, results.actions):
        r = data["_row"]
        for key, text, cached in action_formulas(ac.cols, r, res):
            out[L.ACTIONS][f"{ac.cols[key]}{r}"] = cached if text is None else Formula(text, cached)
    fr = locate(wb, L.FRONT_TABLE, path)
    for i, (ev, (_key, planned, status)) in enumerate(zip(results.front_events, results.front)):
        r = fr.header_row + 1 + i
        for k, text, cached in front_formulas(results, tsrefs, fr.cols, r, ev, planned, status):
            if text is not None:
                out[L.FRONT][f"{fr.cols[k]}{r}"] = Formula(text, cached)
    # the decision and extensions lines under the events: kept current, but never over what a person typed there
    for r, text in zip(front_record_rows(fr.last_row), front_lines(case.record)):
        held = wb[L.FRONT][f"A{r}"].value
        if held in (None, "") or (isinstance(held, str) and held.startswith((DECISION_PREFIX, EXTENSIONS_PREFIX))):
            out[L.FRONT][f"A{r}"] = text
    # cells that show a named value: keep what they display current
    as_at = case.as_at
    for sheet, ref, text, cached in ((L.TIMESCALE, "C4", "=Today", as_at), (L.ACTIONS, "B3", "=Today", as_at),
                                     (L.FRONT, "F3", "=Today", as_at), (L.FRONT, "B3", "=CaseName", case.case_name),
                                     (L.FRONT, "B4", "=Day0", case.day0)):
        cell = wb[sheet][ref].value
        if isinstance(cell, str) and cell.replace(" ", "") == text:
            out[sheet][ref] = Formula(text, cached)
    where = defined_cell(wb, "Today")
    if where and isinstance(wb[where[0]][where[1]].value, str):
        out[where[0]][where[1]] = Formula("=TODAY()", as_at)
    return {s: cells for s, cells in out.items() if cells}
