"""Surgical edits of an existing .xlsx/.xlsm that keep everything else as the user left it.

openpyxl rewrites a whole workbook and drops what it does not model (form-control buttons,
slicers, images, x14 extensions, ...). Here we edit only the XML parts that must change (one
worksheet, a table, perhaps styles.xml) with lxml, which keeps namespace prefixes,
``mc:Ignorable`` and unknown elements, and copy every other zip member unchanged: same names,
same order, same bytes once unpacked (they are recompressed, with their original method).

    p = Patch("Case.xlsx")
    p.set_cells("Plan", {"C5": dt.date(2026, 11, 27), "D5": Formula("=SCR_DEADLINE(C5)", cached=d)})
    p.append_table_rows("Actions", "tblActions", [{"Action": "Review policy", "Owner": "LA"}])
    p.save()                      # atomic, refuses while the file is open, keeps a backup

Decisions (see the brief's questions):

* Strings are written as inline strings, so sharedStrings.xml never changes; a replaced shared
  string simply stays unused in the table (harmless).
* ``calcChain.xml`` lists the formula cells. When a formula cell is created or removed it is
  deleted (with its content type and relationship), which Excel accepts silently and rebuilds;
  left stale, Excel would report the file as damaged. Rewriting a formula in a cell that
  already had one keeps the chain.
* We do NOT set ``fullCalcOnLoad``: the cached values we write are the answers, and must be what
  LibreOffice, Excel without our add-in, phones and openpyxl show. A forced recalculation on
  load would turn every SCR_ function into #NAME? wherever the add-in is missing.
  A formula written without a cached value gets ``ca="1"`` (the spec's "calculate this cell at
  the next calculation") and no ``<v>``; LibreOffice computes such cells on load.
* A table with only a header and one empty row (how Excel stores an "empty" table) gets that
  row filled first, rather than keeping a blank first row forever. Columns holding a
  calculated-column formula do not make a row count as filled.
* Appending refuses (ScrError) when the rows below the table hold anything, belong to another
  table, or the table shows a Total Row; we never overwrite what a user typed.
"""
from __future__ import annotations


from workbook.xlsx.cells import CellWriter
from workbook.xlsx.package import Package
from workbook.xlsx.tables import TableWriter
from workbook.xlsx.values import ERROR_CODES, ErrorValue, Formula

__all__ = ["Patch", "Formula", "ErrorValue", "ERROR_CODES"]


class Patch(TableWriter, CellWriter, Package):
    """An .xlsx/.xlsm read into memory, edited part by part, written back with :meth:`save`.

    The work is split by concern: the zip package, its parts and saving (``package.py``), one
    worksheet (``sheet.py``), cell values and date styles (``cells.py``), growing tables
    (``tables.py``), and what a value looks like in the XML (``values.py``).
    """
