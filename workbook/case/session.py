"""One command's change to a case workbook, written once for every command that changes a case.

    with CaseSession(path, "refresh", today=today) as s:   # refused while the file is open
        n = s.recompute()                                  # read once, compute, stage every computed cell
        s.audit("recomputed ...", f"{n} cells")            # an Audit row with the file's SHA-256 as read
        s.save()                                           # atomic, with a backup

What is staged goes to one of two places:

* the FILE (default): patched in place (``workbook.xlsx.patch``), so everything else in it survives;
  the save refuses if the file changed on disk since it was read, and keeps a backup;
* the OPEN BOOK (``book=`` an xlwings Book, for the buttons): written live through
  ``workbook.xlsx.live.LiveWriter``; the button saves the book and made the backup itself.

Nothing is written before ``save()``; leaving the ``with`` block without saving (an error, or
nothing to do) changes nothing.

One session at a time per case file: a session on the FILE holds the case's writer lock
(``workbook.xlsx.locks.WriterLock``) from before the file is read until the ``with`` block ends,
so a second command (another import, a refresh, in another process) waits for it and then reads
what the first one saved; it never works on the same old bytes and replaces the first one's
work. The hash check in the save stays, for writers that take no lock (Excel, a copy over the
file). Under the lock, a killed earlier run is finished or tidied: the files it recorded in the
Audit but had not yet put in place are put there (workbook.xlsx.moves), its other temps removed.
The OPEN BOOK path takes no lock: Excel's own lock file beside it already refuses every command
that would write the file while it is open.
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries

from tracker.excel_dates import DATE_FORMAT, fmt
from tracker.case import CaseData, Results, compute
from workbook.case import layout as L
from workbook.case.audit import audit_row, sha256
from workbook.case.cells import computed_cells
from workbook.case.keys import save_key
from tracker.errors import ScrError
from workbook.case.logs import recorded_digests
from workbook.case.read import Reader, ScrErrors, locate, read_case
from workbook.xlsx import moves
from workbook.xlsx.patch import Patch
from workbook.xlsx.rows import row_height
from workbook.xlsx.locks import WriterLock, ensure_not_open
from workbook.xlsx.safe import remove_stale_backup_temps, remove_stale_temps

RECOMPUTED = "recomputed dates, statuses and BRAG"
ARCHIVE_FOLDER = "returns"  # beside the case: every applied original (`scr import`)
ISSUED_FOLDER = "update-sheets"  # beside the case: update-sheets/<date>/ (`scr issue-updates`)
LETTERS_FOLDER = "letters"  # beside the case: letters/<date>/ (`scr letter`)
FORMS_FOLDER = "chronology-forms"  # beside the case: chronology-forms/<date>/ (`scr issue-chronologies`)


class CaseSession:
    def __init__(self, path, command: str, *, today: dt.date | None = None, book=None):
        self.path = Path(path)
        self.command = command
        self.today = today
        self.book = book
        self.results: Results | None = None
        self._cells: dict[str, dict[str, object]] = {}
        self._rows: list[tuple[L.Table, list[dict]]] = []
        self._widen: list[tuple[L.Table, list[L.Column]]] = []  # columns an older file lacks (add_new_columns)
        self._forget: list[str] = []  # secret text no copy of the saved file may still hold
        self.lock: WriterLock | None = None
        if book is None:
            ensure_not_open(self.path)
            if self.path.is_file():
                self.lock = WriterLock(self.path).acquire()
        try:
            self.reader = Reader(self.path)
            if self.lock is not None:
                self.finish_killed_run()
                self.remove_leftovers()
        except BaseException:
            self.close()
            raise
        self.digest = self.reader.digest  # of the bytes read, which are the bytes patched
        # a case kept encrypted at rest is saved encrypted again (`scr protect` changes this)
        self.password = self.reader.password

    def __enter__(self) -> "CaseSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def finish_killed_run(self) -> list[Path]:
        """A run killed after it saved the case but before it put its files in place (update
        sheets, a report: workbook.xlsx.moves): each file the Audit records is put in place now,
        so the Audit never lists a sheet that is nowhere to be sent."""
        digests = None

        def recorded(tmp: Path) -> bool:
            nonlocal digests
            if digests is None:
                digests = recorded_digests(self.reader)
            return sha256(tmp) in digests
        placed, _removed = moves.finish(self.path, recorded)
        return placed

    def remove_leftovers(self) -> list[Path]:
        """The hidden temp files a killed earlier run on this case left (only this case's: they
        are named after the case file, and written only under its lock): beside the case, in
        backups/, returns/, and the dated folders of update sheets, letters and chronology forms."""
        folder = self.path.parent
        gone = remove_stale_backup_temps(self.path)
        for f in [folder, folder / ARCHIVE_FOLDER, *sorted(folder.glob(f"{ISSUED_FOLDER}/*/")),
                  *sorted(folder.glob(f"{LETTERS_FOLDER}/*/")), *sorted(folder.glob(f"{FORMS_FOLDER}/*/"))]:
            gone += remove_stale_temps(f, self.path.name)
        return gone

    def close(self) -> None:
        """End the session: the lock released (the ``with`` block does it)."""
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.release()

    def __del__(self):  # a session used without ``with`` must not keep the case locked
        try:
            self.close()
        except Exception:
            pass

    @cached_property
    def case(self) -> CaseData:
        """The case as typed, read on first use (`scr log` never needs it)."""
        case = self.reader.read()
        if self.today is not None and case.today is None:
            case.today = self.today  # an as-at date for this run only; the file keeps =TODAY()
        return case

    def compute(self) -> Results:
        self.results = compute(self.case)
        return self.results

    def recompute(self) -> int:
        """Compute the case and stage every computed cell; the number of cells staged."""
        cells = computed_cells(self.reader, self.case, self.compute())
        for sheet, values in cells.items():
            self.stage(sheet, values)
        for typed in self.reader.text_dates:
            # the date computed from is written as a real date, so the formulas read what scr read
            self.stage(typed.sheet, {typed.ref: typed.date})
        return sum(len(v) for v in cells.values())

    def refresh(self) -> int:
        """`scr refresh`'s work (also the demo's and the Refresh button's): every computed cell
        staged, the columns a later layout added brought into an older file, and the Audit rows."""
        n = self.recompute()
        self.add_new_columns()
        converted = len(self.reader.text_dates)
        self.audit(RECOMPUTED, f"{n} cells; as at {fmt(self.case.as_at)}"
                   + (f"; {converted} date{'s' if converted != 1 else ''} typed as text made real dates"
                      if converted else ""))
        return n

    def add_new_columns(self) -> None:
        """An older case file lacks the columns later layouts added (``optional``, read as blank):
        they are added at the right of their table, so the board manager can type into them. Only
        in the file: the open book (the button) is told to refresh once with the file closed."""
        for t in L.TABLES:
            if t.sheet not in self.reader.wb.sheetnames or not any(c.optional for c in t.columns):
                continue
            missing = [c for c in t.columns if c.optional and c.key not in self.located(t).cols]
            if not missing:
                continue
            names = ", ".join(c.header for c in missing)
            if self.book is not None:
                self.warnings.append(ScrError(f"this case file was made before the columns {names} were added.",
                                              file=self.path, sheet=t.sheet, fix="Close the workbook and run "
                                              "`scr refresh` on it once to add them."))
                continue
            taken = _beside(self.reader.wb[t.sheet], t.name, len(missing))
            if taken:
                self.warnings.append(ScrError(f"the columns {names} could not be added: cell {taken} to the right "
                                              f"of the table '{t.name}' holds something.", file=self.path,
                                              sheet=t.sheet, fix="Move what is to the right of the table further "
                                              "right (or into the table), then run `scr refresh` again."))
                continue
            self._widen.append((t, missing))
            self.audit(f"columns added to the {t.sheet} table", f"{names}: at the right of the table, blank")

    @property
    def warnings(self) -> list:
        return self.reader.warnings

    def located(self, table: L.Table):
        return locate(self.reader.wb, table, self.path)

    def stage(self, sheet: str, cells: dict[str, object]) -> None:
        self._cells.setdefault(sheet, {}).update(cells)

    def stage_inputs(self, table: L.Table, rows: dict[int, dict[str, object]]) -> None:
        """Input cells by column key: {sheet row: {key: value}}, at the columns this file has."""
        cols = self.located(table).cols
        self.stage(table.sheet, {f"{cols[k]}{r}": v for r, values in rows.items() for k, v in values.items()})

    def append(self, table: L.Table, rows: list[dict]) -> None:
        if rows:
            self._rows.append((table, list(rows)))

    def audit(self, what: str, detail: str, digest: str | None = None) -> dict:
        """One Audit row; ``digest`` is the case file's SHA-256 unless another file is meant."""
        row = audit_row(self.command, what, detail, digest or self.digest)
        self.append(L.AUDIT_TABLE, [row])
        return row

    @property
    def staged(self) -> int:
        return sum(len(v) for v in self._cells.values())

    def move_key(self) -> None:
        """An older case keeps its signing key on the Settings sheet, so every backup and copy of it
        carries the key: it is moved to the key file (written first: a save that then fails leaves
        the key in both places, never in neither), the cell blanked and the move audited."""
        if "case" not in self.__dict__:
            return  # the case was not read (`scr log`): the next command that reads it moves the key
        key, sheet, ref = self.reader.settings_key
        if not key or not ref:
            return
        where = save_key(self.case.case_id, key)
        self.stage(sheet, {ref.replace("$", ""): None})
        self._forget.append(key)
        self.audit("signing key moved off the Settings sheet",
                   f"now kept in the key file {where.name} of the board manager's key folder; the Settings cell "
                   "was blanked (older backups of the case still hold it)")
        self.reader.settings_key = ("", None, None)

    def save(self) -> Path | None:
        """Write what was staged; the backup made, or None (none made, or written live)."""
        self.move_key()
        if self.book is not None:
            from workbook.xlsx.live import LiveWriter
            writer = LiveWriter(self.book)
            writer.apply(self._cells)
            for table, rows in self._rows:
                writer.append_table_rows(table.sheet, table.name, rows)
            return None
        patch = Patch(self.path, raw=self.reader.raw, disk=self.reader.disk, password=self.password)
        for table, columns in self._widen:
            patch.add_table_columns(table.sheet, table.name, [(c.header, c.width, DATE_FORMAT if c.fmt == "date" else None)
                                                               for c in columns])
        for sheet, values in self._cells.items():
            patch.set_cells(sheet, values)
        self._append_rows(patch)
        for text in self._forget:
            patch.forget_text(text)
        return patch.save()

    def _append_rows(self, patch: Patch) -> None:
        for table, rows in self._rows:
            patch.append_table_rows(table.sheet, table.name, rows, heights=[_height(table, row) for row in rows])

    def save_rebuilt(self, raw: bytes) -> Path | None:
        """Replace the case with ``raw``, a workbook built anew (`scr convert`), and the table rows
        staged appended to it: atomically, with a backup, encrypted again if the case was, and
        refused if the file changed on disk since it was read. The backup is the file as it was."""
        if self.book is not None:
            raise ScrError("a case cannot be rebuilt while it is open in Excel.", file=self.path,
                           fix="Close the workbook and run the command again.")
        patch = Patch(self.path, raw=raw, disk=self.reader.disk, password=self.password)
        self._append_rows(patch)
        return patch.save()


def _beside(ws, table_name: str, n: int) -> str | None:
    """The first cell (A1) in the ``n`` columns right of the table, over its rows, that holds
    something or is in another table; None when they are free to become the table's."""
    refs = {t.name.casefold(): t.ref for t in ws.tables.values()}
    c1, r1, c2, r2 = range_boundaries(refs[table_name.casefold()])
    others = [range_boundaries(ref) for name, ref in refs.items() if name != table_name.casefold()]
    for r in range(r1, r2 + 1):
        for c in range(c2 + 1, c2 + n + 1):
            if ws.cell(r, c).value not in (None, "") or any(a <= c <= b and t <= r <= e for a, t, b, e in others):
                return f"{get_column_letter(c)}{r}"
    return None


def _height(table: L.Table, row: dict) -> float:
    """A new row's height from its wrapped text ({header: value}, as appended)."""
    keys = {c.header: c.key for c in table.columns}
    return row_height(table.lines({keys[h]: v for h, v in row.items() if h in keys}))


def read_computed(path, today: dt.date | None = None) -> tuple[CaseData, Results]:
    """A case read and computed, for the commands that only look (`scr status`, `scr chase`):
    ``today`` replaces the as-at date for this run, even one fixed in the file."""
    case = read_case(path)
    if today:
        case.today = today
    return case, compute(case)


def read_what_it_can(path, today: dt.date | None = None) -> tuple[CaseData, Results, Reader]:
    """Like read_computed, but a bad cell does not hide the rest (`scr status`): the case is
    computed with such cells as if blank, and the reader's ``errors`` name them. A file whose
    settings or tables cannot be read still raises."""
    reader = Reader(Path(path))
    case = reader.read(lenient=True)
    if today:
        case.today = today
    try:
        return case, compute(case), reader
    except ScrError:
        if reader.errors:
            raise ScrErrors(reader.errors, file=path) from None
        raise
