"""Opening a case workbook for openpyxl: the tracker's own sheets only, and a readable error when
the file is no workbook. Reading what is in it is workbook.case.read."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.xlsx.crypto import readable

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def foreign_sheets(data: bytes) -> list[str]:
    """The names of the sheets in the workbook that the tracker did not make."""
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = etree.fromstring(z.read("xl/workbook.xml")).find(f"{{{_MAIN_NS}}}sheets")
    return [s.get("name") for s in sheets if s.get("name") not in L.SHEETS]


def our_sheets_only(data: bytes) -> bytes:
    """The workbook as openpyxl should see it: only the tracker's own sheets.

    openpyxl builds every cell of every sheet in memory; a board manager's own 200,000-row notes
    sheet made reading a case take half a minute and a gigabyte. The tracker never reads those
    sheets, so they are left out of the copy it parses (the file itself is never changed here)."""
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("xl/workbook.xml"))
        sheets = root.find(f"{{{_MAIN_NS}}}sheets")
        foreign = [s for s in sheets if s.get("name") not in L.SHEETS]
        if not foreign or len(foreign) == len(sheets):
            return data
        for s in foreign:
            sheets.remove(s)
        names = root.find(f"{{{_MAIN_NS}}}definedNames")
        for dn in list(names if names is not None else []):
            if dn.get("localSheetId") is not None:  # sheet positions moved; we read only global names
                names.remove(dn)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for info in z.infolist():
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                    if info.filename == "xl/workbook.xml" else z.read(info)
                w.writestr(info, body)
        return out.getvalue()


def load(path: Path, *, data_only: bool = False, data: bytes | None = None):
    data = Path(path).read_bytes() if data is None else data
    try:
        data = our_sheets_only(data)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        pass  # not a normal workbook: let openpyxl say so
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False)


def is_case_workbook(path: Path) -> bool:
    """Does ``path`` hold a case workbook (its sheets)? Only such a file may be replaced by a new one."""
    try:
        names = openpyxl.load_workbook(readable(path), read_only=True).sheetnames
    except Exception:  # anything unreadable is not a case workbook
        return False
    return {L.SETTINGS, L.ACTIONS, L.AUDIT} <= set(names)


def open_workbook(path: Path, data: bytes | None = None):
    path = Path(path)
    if data is None and not path.exists():
        raise ScrError("the workbook does not exist.", file=path, fix="Check the path, or create it with `scr new`.")
    try:
        return load(path, data=data)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise ScrError(f"is not a readable .xlsx workbook ({type(e).__name__}).", file=path,
                       fix="Open it in Excel and save it as an Excel Workbook (.xlsx).") from None
