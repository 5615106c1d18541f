"""One page rule for every sheet and report the tracker prints (XlsxWriter worksheets).

What a Board or an inspector is handed must be readable: A4, body text at least 8 pt after any
scaling, the protective marking, the case and "Page x of y" on every page, and the header rows
repeated. So a sheet is fitted to the page width only when the scale that takes stays at or above
MIN_SCALE (10 pt Arial -> 8 pt); a wider sheet prints at FALLBACK_SCALE and runs onto more pages
side by side (with its first column repeated) rather than shrinking the text.

The date goes into the footer as text, written when the file is made (dd/mm/yyyy): `&D` prints in
the reading machine's locale, which is US order on a US-set PC.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tracker.excel_dates import fmt

A4 = 9
MARKING = "OFFICIAL-SENSITIVE"
MIN_SCALE = 82  # %: body text is Arial 10, so >= 8 pt printed, with a little room for rounding
FALLBACK_SCALE = 85  # %: a sheet too wide for MIN_SCALE prints at this and runs onto more pages
MARGIN_IN = {"left": 0.45, "right": 0.45, "top": 0.75, "bottom": 0.7}
HEADER_MARGIN_IN = 0.3
HEADER_PT = 10  # header and footer; LibreOffice scales them with the sheet whatever scaleWithDoc says
PAGE_PT = (595.3, 841.9)  # A4 short and long side
SAFETY = 0.98  # room for cell padding and rounding


def column_points(width: float) -> float:
    """A column `width` (Excel character units, as set_column takes) in points, as the wider of
    Excel and LibreOffice lays it out: Excel counts 7-pixel digits of Arial 10, LibreOffice the
    digit's true 7.4 (Liberation Sans), so the same sheet is about 5 % wider there."""
    px = width * 7.4 + 5 if width >= 1 else width * 12
    return px * 0.75


def printable_width(landscape: bool) -> float:
    page = PAGE_PT[1] if landscape else PAGE_PT[0]
    return (page - 72 * (MARGIN_IN["left"] + MARGIN_IN["right"])) * SAFETY


def printable_height(landscape: bool) -> float:
    page = PAGE_PT[0] if landscape else PAGE_PT[1]
    return (page - 72 * (MARGIN_IN["top"] + MARGIN_IN["bottom"])) * SAFETY


def scale_needed(widths: Iterable[float], landscape: bool) -> float:
    """The scale (0-1] at which columns of these widths fit across one page."""
    total = sum(column_points(w) for w in widths)
    return min(1.0, printable_width(landscape) / total) if total else 1.0


def runs_wide(widths: Iterable[float], landscape: bool) -> bool:
    """True when the sheet is too wide to fit at a readable scale, so prints across several pages."""
    return scale_needed(widths, landscape) * 100 < MIN_SCALE


def choose_landscape(widths: list[float]) -> bool:
    """Portrait when the sheet fits across a portrait page at a readable scale, else landscape."""
    return scale_needed(widths, False) < 0.9


HEADER_LIMIT = 255  # characters of a header or footer in Excel; XlsxWriter drops a longer one whole


def utf16_len(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units (a letter outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def fit_header(make, a: str, b: str) -> str:
    """``make(a, b)`` shortened to Excel's limit by cutting the longer of the two texts (with "…"),
    so a long case name shortens itself rather than losing the page's marking and page numbers."""
    while utf16_len(text := make(a, b)) > HEADER_LIMIT:
        over = utf16_len(text) - HEADER_LIMIT + 1
        if len(a) >= len(b):
            a = a[:max(len(a) - over, 1)].rstrip("&") + "…"
        else:
            b = b[:max(len(b) - over, 1)].rstrip("&") + "…"
    return text


def amp(text) -> str:
    return str(text).replace("&", "&&")  # a lone & starts a header code


def setup(ws, *, title: str, case_name: str, widths: list[float], made: dt.date | str,
          landscape: bool | None = None, repeat_rows: tuple[int, int] | int | None = None,
          repeat_col: bool = True, one_page: bool = False, footer_left: str | None = None) -> int:
    """Apply the page rule to `ws` (an XlsxWriter worksheet) whose printed columns are `widths`;
    return the print scale (%) the sheet will print at (100 unless fitted or too wide).

    `made` is the date the file was written (footer "Made dd/mm/yyyy", unless `footer_left` says
    otherwise); `repeat_rows` the 0-based header row(s) printed on every page; `one_page` asks for
    the whole sheet on one page (Settings), again only at a readable scale.
    """
    if landscape is None:
        landscape = choose_landscape(widths)
    ws.set_paper(A4)
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.set_margins(**MARGIN_IN)
    scale = scale_needed(widths, landscape)
    if scale >= 1 and not one_page:
        printed = 100
    elif not runs_wide(widths, landscape):
        ws.fit_to_pages(1, 1 if one_page else 0)
        printed = int(scale * 100)
    else:
        ws.set_print_scale(FALLBACK_SCALE)
        ws.print_across()  # a row's continuation is the next page, not one after all the rows
        printed = FALLBACK_SCALE
        if repeat_col:
            ws.repeat_columns(0)
    if repeat_rows is not None:
        first, last = (repeat_rows, repeat_rows) if isinstance(repeat_rows, int) else repeat_rows
        ws.repeat_rows(first, last)
    made_text = made if isinstance(made, str) else f"Made {fmt(made)}"
    left = footer_left if footer_left is not None else made_text
    size = f"&{HEADER_PT}"
    opts = {"scale_with_doc": False, "margin": HEADER_MARGIN_IN}
    ws.set_header(fit_header(lambda a, b: f"&L{size}{amp(a)}&C{size}{amp(b)}&R{size}&B{MARKING}",
                             str(title), str(case_name)), opts)
    ws.set_footer(fit_header(lambda a, _b: f"&L{size}{amp(a)}&C{size}{MARKING}&R{size}Page &P of &N",
                             str(left), ""), opts)
    return printed
