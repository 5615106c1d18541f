"""What was typed in a way the workbook's own formulas would read differently from `scr`.

One file must never hold two truths. A date typed as text (a Text-formatted cell, a pasted
date, LibreOffice in another locale) is text to Excel's ISNUMBER, so the add-in and the native
formulas refuse it, while a careless reader would take it as a date. A row typed under a table
(on a protected sheet Excel does not grow the table, but the cells below are unlocked) is outside
every structured reference. Both are found here, by the one reader every command uses: text dates
in the unambiguous dd/mm/yyyy (or ISO) form are turned into real dates by the next refresh; a
two-digit year is refused; rows below a table are named in a warning.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string

from tracker.excel_dates import fmt
from tracker.errors import ScrError

_TWO_DIGIT_YEAR = re.compile(r"^\s*\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2}\s*$")
BELOW_LIMIT = 500  # rows looked at under a table: far more than anyone types there by mistake


@dataclass(frozen=True)
class TextDate:
    """A date cell that holds text the tracker reads as ``date``; refresh writes the real date."""
    sheet: str
    ref: str
    text: str
    date: dt.date

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref} '{self.text}' -> {fmt(self.date)}"


def text_date(typed: str, date: dt.date, *, sheet: str, ref: str, file, row, column) -> TextDate:
    """A date typed as text: the TextDate refresh converts, or a ScrError when it is ambiguous."""
    text = typed.strip()
    if _TWO_DIGIT_YEAR.match(text):
        raise ScrError(f"the date '{text}' is typed as text with a two-digit year, so Excel's formulas cannot "
                       "read it and the century is a guess.", file=file, sheet=sheet, row=row, column=column,
                       fix="Type the date as dd/mm/yyyy with the year in full.")
    return TextDate(sheet, ref, text, date)


def rows_below(ws, first_col: str, last_col: str, last_row: int) -> list[int]:
    """Rows directly under a table (from ``last_row`` + 1) with anything typed in its columns."""
    c1, c2 = column_index_from_string(first_col), column_index_from_string(last_col)
    found, gap = [], 0
    for r in range(last_row + 1, last_row + 1 + BELOW_LIMIT):
        typed = any(ws.cell(r, c).value not in (None, "") for c in range(c1, c2 + 1))
        if typed:
            found.append(r)
            gap = 0
        else:
            gap += 1
            if gap > 3 and found:  # the typed block has ended
                break
            if gap > 20 and not found:
                break
    return found


def below_warning(sheet: str, table: str, rows: list[int], file) -> ScrError:
    span = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]}"
    return ScrError(f"{span} {'is' if len(rows) == 1 else 'are'} typed below the table '{table}', so neither the "
                    "tracker nor the workbook's formulas count "
                    f"{'it' if len(rows) == 1 else 'them'}.", file=file, sheet=sheet, row=rows[0],
                    fix="Review > Unprotect Sheet, then drag the table's bottom-right corner down over these rows "
                    "(or cut them and paste them into the table's last row); protect the sheet again and run "
                    "`scr refresh`.")
