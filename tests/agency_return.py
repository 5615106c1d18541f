"""An issued update sheet filled in as an agency would (openpyxl; also through the encrypted path)."""
from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
import openpyxl

from workbook.update_sheet import layout as AL


def fill(path: Path, out: Path, rows: dict[str, dict], password: str | None = None) -> Path:
    """Fill in an issued sheet as an agency would: type into the input cells, save, send back."""
    src = Path(path)
    if password:
        buf = io.BytesIO()
        with open(src, "rb") as fh:
            f = msoffcrypto.OfficeFile(fh)
            f.load_key(password=password)
            f.decrypt(buf)
        buf.seek(0)
        wb = openpyxl.load_workbook(buf)
    else:
        wb = openpyxl.load_workbook(src)
    ws = wb[AL.UPDATES]
    col = {c.key: i + 1 for i, c in enumerate(AL.COLUMNS)}
    for r in range(AL.HEADER_ROW + 1, ws.max_row + 1):
        aid = ws.cell(r, col["action_id"]).value
        if aid is None or str(aid) not in rows:
            continue
        for key, value in rows[str(aid)].items():
            ws.cell(r, col[key]).value = value
    wb.save(out)
    if password:
        plain = out.read_bytes()
        with open(out, "wb") as fh:
            f = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(plain))
            f.encrypt(password, fh)
    return out


def sheet_for(sheets, agency):
    return next(s for s in sheets if s.agency == agency)
