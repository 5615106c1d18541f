"""Row heights for wrapped text, so printed rows are neither cut off nor padded (Arial 10)."""
from __future__ import annotations

import datetime as dt

LINE_PT = 12.75  # one line of Arial 10
MAX_ROW_PT = 409  # Excel's tallest row


def lines_needed(text, width: float, chars_per_width: float = 1.05) -> int:
    """Lines a wrapped text takes in a column ``width`` wide (a little generous, as Excel and
    LibreOffice wrap differently and a cut-off line is worse than a spare one)."""
    if text in (None, "") or isinstance(text, (dt.date, int, float)):
        return 1
    per_line = max(int(width * chars_per_width), 4)
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def row_height(lines: int) -> float:
    return min(LINE_PT * lines + 4, MAX_ROW_PT)
