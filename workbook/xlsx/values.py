"""What a cell can hold and how it is spelled in the XML: Formula, ErrorValue, escaped text, numbers.

Shared by the parts of workbook.xlsx.patch (package, sheet, cells, tables).
"""
from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

from lxml import etree

from tracker.excel_dates import DATE_FORMAT

XM_NS = "http://schemas.microsoft.com/office/excel/2006/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STD_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
DATETIME_FORMAT = DATE_FORMAT + " hh:mm"
MAX_TEXT = 32767  # Excel's limit for one cell
ERROR_CODES = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)
# Built-in number formats that show dates or times (ECMA-376 18.8.30, plus East Asian ones).
_BUILTIN_DATE_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, strip_cdata=False)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_x[0-9A-Fa-f]{4}_")


@dataclass(frozen=True)
class Formula:
    """A formula (``"=..."``) with the value to show until something recalculates it."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error as a cached result, e.g. ``ErrorValue("#N/A")``."""

    code: str

    def __post_init__(self):
        if self.code not in ERROR_CODES:
            raise ValueError(f"not an Excel error value: {self.code!r}")


def local_name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def xml_text(s: str) -> str:
    # XML 1.0 cannot hold control characters; Excel stores them as _xHHHH_, and a literal
    # "_xHHHH_" in the text must then be escaped itself so it is not decoded.
    s = _ESCAPE_LIKE.sub(lambda m: "_x005F" + m.group(0), s)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", s)


def unescape(s: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def header_key(header: str) -> str:
    return " ".join(unescape(header).split()).casefold()


def number_text(x) -> str:
    if isinstance(x, numbers.Integral):
        return str(int(x))
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"Excel cannot store {x} in a cell")
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def is_date_format(fmt_id: int, codes: dict[int, str]) -> bool:
    if fmt_id in _BUILTIN_DATE_IDS:
        return True
    code = codes.get(fmt_id, "")
    # Drop quoted text, escapes, [colours/conditions/locales], padding, then look for d m y h s.
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code)
    return code.lower() != "general" and bool(re.search(r"[dmyhs]", code, re.I))
