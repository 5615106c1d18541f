"""Call worksheet functions the way Excel does: through xlwings' Office.js dispatcher.

Excel sends every argument as a 2-D list (a single cell is [[value]]), dates as serial numbers
and empty cells as "" (or null); the result comes back converted for Office.js, dates as
FormattedNumber entities. These helpers build exactly that request.
"""
from __future__ import annotations

import asyncio
import datetime as dt

import xlwings
from xlwings.server import custom_functions_call, custom_functions_meta

from tracker import udfs
from tracker.excel_dates import to_serial


def cell(v):
    """A value as Excel sends it: dates as serials, a single cell as [[v]]."""
    if isinstance(v, list):
        return [[cell_value(x) for x in (row if isinstance(row, list) else [row])] for row in v]
    return [[cell_value(v)]]


def cell_value(v):
    if isinstance(v, dt.date):
        return to_serial(v)
    return "" if v is None else v


def call(name: str, *args, module=udfs):
    """Run one worksheet function with args already shaped as Excel sends them."""
    data = {
        "func_name": name, "args": list(args), "version": xlwings.__version__, "client": "Office.js",
        "runtime": "1.4", "culture_info_name": "en-GB", "date_format": "dd/mm/yyyy",
        "caller_address": "Sheet1!A1",
    }
    return asyncio.run(custom_functions_call(data, module))


def xl(name: str, *values):
    """Convenience: call with Python values, each turned into a cell or range as Excel would."""
    return call(name, *[cell(v) for v in values])


def value(result):
    """Unwrap Office.js results: FormattedNumber dates back to date; 1x1 to scalar."""
    def one(v):
        if isinstance(v, dict) and v.get("type") == "FormattedNumber":
            from tracker.excel_dates import from_serial
            return from_serial(v["basicValue"]) if "yy" in v.get("numberFormat", "") else v["basicValue"]
        return v
    grid = [[one(v) for v in row] for row in result]
    return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid


def meta():
    return custom_functions_meta(udfs)
