"""Checking the table of a returned issued sheet against its signed record: the header as issued,
the rows as issued (none added, deleted, sorted or moved), every locked cell unchanged; then the
agency's typed cells, row by row."""
from __future__ import annotations

import datetime as dt

from tracker.errors import ScrError
from tracker.excel_dates import parse_date
from tracker.rag import edate
from tracker.text import is_blank, same_name
from tracker.updates import ReturnedRow, check_row
from workbook.update_sheet import layout as AL
from workbook.update_sheet.common import read_inputs
from workbook.xlsx.refs import col_letters
from workbook.xlsx.untrusted import StopReading, shown


def lock_norm(v, kind: str) -> str:
    """A locked value as text, so a date cell, its ISO text and its dd/mm/yyyy all compare equal,
    and 1, 1.0 and "1" do too."""
    if is_blank(v):
        return ""
    if kind == "date":
        try:
            d = parse_date(v)
            return d.isoformat() if d else ""
        except ScrError:
            pass
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()



class IssuedTable:
    """The Updates sheet of an issued sheet: header, rows as issued, locked cells, the inputs."""

    def __init__(self, reader, wb, canon_ids, ids, locked, issued):
        self.r = reader
        self.wb = wb
        self.ids = ids
        self.canon = canon_ids
        self.locked = locked
        self.issued = issued

    def read(self) -> list[ReturnedRow]:
        r, wb = self.r, self.wb
        sheets = {n.casefold(): n for n in wb.sheetnames}
        if AL.UPDATES.casefold() not in sheets:
            r.stop(f"the sheet '{AL.UPDATES}' is missing (renamed or deleted).",
                   f"Please name the sheet '{AL.UPDATES}' again, or copy your updates into a new update sheet "
                   "from the Board.")
        ws = self.ws = wb[sheets[AL.UPDATES.casefold()]]
        self.sheet = ws.title
        self.cells = self.populated(ws)
        self.check_header()
        self.check_rows()
        self.check_locked()
        return self.inputs()

    @staticmethod
    def populated(ws) -> dict[tuple[int, int], object]:
        # openpyxl keeps only the cells present in the file; iterating them (rather than
        # iter_rows up to max_row) stays cheap even when a cell far down has a style.
        return {k: c for k, c in ws._cells.items() if not is_blank(c.value)}

    def problem(self, message, fix=None, row=None, key=None, col=None):
        header = AL.BY_KEY[key].header if key else None
        self.r.add(message, fix, sheet=self.sheet, row=row, col=AL.COL_NO[key] if key else col, header=header)

    # d. the table
    def check_header(self):
        hr = AL.HEADER_ROW
        width = len(AL.COLUMNS)
        last = max([c for (row, c) in self.cells if row == hr] + [width])
        got = [self.ws.cell(hr, c).value for c in range(1, last + 1)]
        want = [col.header for col in AL.COLUMNS]
        gn, wn = [same_name(g) if not is_blank(g) else "" for g in got], [same_name(w) for w in want]
        if gn == wn:
            return
        self.check_moved_table(wn)
        fix = ("Columns must not be renamed, moved, added or removed: please put the headers back as issued, "
               "or copy your updates into a new update sheet from the Board.")
        missing = [i for i, w in enumerate(wn) if w not in gn]
        extra = [i for i, g in enumerate(gn) if g and g not in wn]
        if len(gn) == len(wn) and len(missing) == len(extra):
            for i, (g, w) in enumerate(zip(gn, wn)):
                if g != w:
                    what = "blank" if not g else f"'{' '.join(str(got[i]).split())[:60]}'"
                    self.problem(f"the header is {what} but should be '{want[i]}' (the column was renamed or moved).",
                                 fix, row=hr, col=i + 1)
        else:
            for i in missing:
                self.problem(f"the column '{want[i]}' (issued as column {col_letters(i + 1)}) was removed.", fix, row=hr,
                             col=col_letters(i + 1))
            for i in extra:
                self.problem(f"a column '{' '.join(str(got[i]).split())[:60]}' was added.", fix, row=hr, col=i + 1)
            if not missing and not extra:
                self.problem("the columns were moved or a blank column was inserted.", fix, row=hr)
        raise StopReading

    def check_moved_table(self, wn: list[str]) -> None:
        """The whole header found in another row: rows were inserted (or deleted) above the table,
        which is one slip to undo, not every column "removed"."""
        hr, width = AL.HEADER_ROW, len(wn)
        found = next((r for r in sorted({row for (row, _c) in self.cells})
                      if r != hr and [same_name(self.ws.cell(r, c).value) if not is_blank(self.ws.cell(r, c).value)
                                      else "" for c in range(1, width + 1)] == wn), None)
        if found is None:
            return
        shift = found - hr
        n = abs(shift)
        rows = f"{n} row{'s' if n != 1 else ''}"
        if shift < 0:
            self.problem(f"{rows} above the table {'were' if n != 1 else 'was'} deleted: its header is in row {found}, "
                         f"not row {hr} as issued.",
                         "Please use the update sheet as it was sent: undo the deletion (or copy your updates into "
                         "a new update sheet from the Board).", row=found)
            raise StopReading
        # the first label above the table found lower down says where the insertion began
        prev = 1
        for _key, label, row in AL.HEAD:
            if same_name(self.ws.cell(row, 1).value) != same_name(label):
                break
            prev = row
        else:
            row = hr
        first, last = prev + 1, row + shift - 1
        where = (f"row {first}" if first == last else f"rows {first} to {last}") if last - first + 1 == n \
            else f"between rows {first - 1} and {last + 1}"
        self.problem(f"{rows} {'were' if n != 1 else 'was'} inserted above the table ({where}): its header is in "
                     f"row {found}, not row {hr} as issued, so the sheet cannot be matched to what was issued.",
                     f"Please delete the inserted {rows} (right-click the row number > Delete) so the header is "
                     f"back in row {hr}, save, and send it again.", row=first if first == last else None)
        raise StopReading

    def check_rows(self):
        hr, n, width = AL.HEADER_ROW, len(self.ids), len(AL.COLUMNS)
        table_rows = sorted({row for (row, c) in self.cells if row > hr and c <= width})
        outside = sorted({(row, c) for (row, c) in self.cells if row > hr and c > width})
        keys = [same_name(a) for a in self.ids]
        end = max(table_rows + [hr + n])
        if end - hr > AL.MAX_ROWS + n:
            self.r.stop(f"the sheet has rows down to row {end}, far more than the {n} issued.",
                        "Please return the update sheet with only its issued rows.", sheet=self.sheet)
        seen: dict[str, int] = {}
        bad = False
        moved, retyped = [], []
        for row in range(hr + 1, end + 1):
            i = row - hr - 1
            v = self.ws.cell(row, 1).value
            k = same_name(v) if not is_blank(v) else None
            has_any = row in table_rows
            if k is not None and k in seen:
                self.problem(f"this row repeats action {self.id_shown(v)} (already in row {seen[k]}); rows must "
                             "not be copied or added.", "Delete this row; put all of the action's update in its "
                             "own row.", row=row, key="action_id")
                bad = True
                continue
            if k is not None and k in keys:
                seen[k] = row
                if i >= n or keys[i] != k:
                    moved.append((row, v, i))
                continue
            if has_any and i < n:
                retyped.append((row, i))  # the issued row with its Action ID changed, unless that id is elsewhere
                continue
            if has_any:
                what = (f"action '{' '.join(str(v).split())[:30]}' was not issued on this sheet" if k is not None
                        else "it is not one of the issued rows")
                self.problem(f"this row was added ({what}); rows must not be added.",
                             "Delete the added row; every issued action already has its own row.", row=row,
                             key="action_id" if k is not None else None)
                bad = True
        for row, i in retyped:
            if keys[i] in seen:
                v = self.ws.cell(row, 1).value
                what = (f"action '{' '.join(str(v).split())[:30]}' was not issued on this sheet" if not is_blank(v)
                        else "it is not one of the issued rows")
                self.problem(f"this row was added ({what}); rows must not be added.",
                             "Delete the added row; every issued action already has its own row.", row=row,
                             key="action_id")
                bad = True
            else:
                seen[keys[i]] = row  # its changed Action ID is reported with the locked cells
        for i, k in enumerate(keys):
            if k not in seen:
                self.problem(f"the row for action {self.ids[i]} (issued as row {hr + 1 + i}) was deleted; rows must "
                             "not be deleted.", "Put the row back (leave it blank if there is no update), or copy "
                             "your updates into a new update sheet from the Board.", row=hr + 1 + i)
                bad = True
        if moved and not bad:
            for row, v, i in moved:
                issued = f"action {self.ids[i]} was issued in this row" if i < n else "no action was issued here"
                self.problem(f"this row holds action {self.id_shown(v)}, but {issued}; rows must not be sorted "
                             "or moved.", "Undo the sort (put the rows back in the issued order), or copy your "
                             "updates into a new update sheet from the Board.", row=row, key="action_id")
            bad = True
        for row, c in outside[:20]:
            self.problem(f"something was typed outside the table ({shown(self.cells[(row, c)].value)}); it would "
                         "not be imported.", "Move it into the row's Progress or Evidence cell.", row=row, col=c)
        if len(outside) > 20:
            self.problem(f"{len(outside) - 20} more cells outside the table are filled in.",
                         "Move them into the Progress or Evidence cells.")
        if bad:
            raise StopReading

    @staticmethod
    def id_shown(v) -> str:
        return " ".join(str(v).split())[:30]

    def check_locked(self):
        hr = AL.HEADER_ROW
        fix = ("Locked cells must not change: please put back the issued value, and type updates only in the "
               "columns '" + "', '".join(AL.BY_KEY[k].header for k in AL.INPUT_KEYS) + "'.")
        for i, expected in enumerate(self.locked):
            row = hr + 1 + i
            for j, key in enumerate(AL.LOCKED_KEYS):
                kind = AL.BY_KEY[key].kind
                cell = self.ws.cell(row, AL.COL_NO[key])
                if lock_norm(cell.value, kind) != lock_norm(expected[j], kind):
                    self.problem(f"row {row}, column '{AL.BY_KEY[key].header}' was changed from {shown(expected[j])} to "
                                 f"{shown(cell.value)}; locked cells must not change.", fix, row=row, key=key)

    # e. what the agency typed
    def inputs(self) -> list[ReturnedRow]:
        hr = AL.HEADER_ROW
        r = self.r
        cycle = r.case.setting("CycleMonths") if hasattr(r.case, "setting") else 3
        earliest = edate(self.issued, -cycle) if self.issued else None
        out, filled = [], False
        for i, aid in enumerate(self.canon):
            row = hr + 1 + i
            cells = {k: self.ws.cell(row, AL.COL_NO[k]) for k in AL.INPUT_KEYS}
            if all(is_blank(c.value) for c in cells.values()):
                continue
            filled = True
            got = read_inputs(cells, lambda msg, fix, key, row=row: self.problem(msg, fix, row=row, key=key))
            if got is None:
                continue
            rr = check_row(got, aid, row, r.today, earliest,
                             lambda msg, fix, key, row=row: self.problem(msg, fix, row=row, key=key),
                             issued=self.issued, cycle=cycle)
            if rr is not None:
                out.append(rr)
        if not filled:
            r.add("nothing was filled in: every update cell is blank.",
                  "Please give an update (status, progress and the date of update) for each action, then return "
                  "the sheet.", sheet=self.sheet)
        return out
