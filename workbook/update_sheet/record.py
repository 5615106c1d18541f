"""The issued sheet's hidden record ("_scr"), signed and verified here, in one place.

The record says what was issued: format and template version, case id and name, agency, issue id,
issued and return-by dates, the action ids and every locked value (JSON). It is signed with the
case's private key (HMAC-SHA256 over the canonical JSON of every other value), so a return can be
verified: issued by this Board for this case, and every locked cell still as issued.

Writing renders each value with :func:`signed_value` (dates ISO, blanks None, whole floats as
ints, control characters as spaces). Reading gets the values back from cells, which cannot tell
"" from None, and gives the JSON fields as text; :func:`renderings` lists the forms a value read
back can have, and the record verifies when one of them carries a valid signature (every one of
them still needs the case key, so this widens nothing an outsider can forge).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re

from workbook.update_sheet import layout as A

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(value):
    """A string for a sheet cell as the case holds it, except: line ends as Excel stores them
    (\\n), and other control characters (a pasted Word line break is \\x0b) as spaces, since a
    spreadsheet stores them as _xHHHH_ escapes that not every reader decodes, and the record
    must equal what is read back from the cell."""
    if isinstance(value, str):
        return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


def signed_value(value):
    """A locked value as the record holds it: dates ISO, None for blanks, strings as given."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return cell_text(value)


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_record(case, agency: str, rows: list[list], ids: list, *, issued, return_by, issue_id) -> dict:
    record = {
        "format": A.FORMAT, "template_version": A.TEMPLATE_VERSION,
        "case_id": str(case.case_id), "case_name": str(case.case_name), "agency": agency,
        "issue_id": issue_id, "issued": issued.isoformat(), "return_by": return_by.isoformat(),
        "action_ids": to_json([signed_value(i) for i in ids]),
        "locked_cells": to_json([[signed_value(v) for v in row] for row in rows]),
    }
    record["signature"] = sign(record, case.case_key)
    return record


def canonical(record: dict) -> bytes:
    """The bytes the signature covers: every record value except the signature, in key order."""
    body = {k: record[k] for k in A.RECORD_KEYS if k != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(record: dict, case_key: str) -> str:
    return hmac.new(case_key.encode("utf-8"), canonical(record), hashlib.sha256).hexdigest()


def signature_ok(record: dict, case_key: str) -> bool:
    return hmac.compare_digest(str(record.get("signature", "")), sign(record, case_key))


# ---- reading it back

def read_raw(rs) -> dict:
    """The record's "key | value" rows as read from the sheet ``rs`` (long text joined back up)."""
    raw: dict = {}
    for r in range(1, len(A.RECORD_KEYS) + 40):
        k = rs.cell(r, 1).value
        if isinstance(k, str) and k.strip() in A.RECORD_KEYS and k.strip() not in raw:
            v, c = rs.cell(r, 2).value, 3
            while isinstance(v, str) and isinstance(rs.cell(r, c).value, str):  # long text continues
                v, c = v + rs.cell(r, c).value, c + 1
            raw[k.strip()] = v
    return raw


def read_value(v):
    """A record cell's value as the issuer signed it: dates ISO, whole floats as ints."""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def renderings(raw: dict) -> list[dict]:
    base = {k: read_value(raw.get(k)) for k in A.RECORD_KEYS}
    out = []
    for blanks in (None, ""):
        rec = {k: (blanks if v is None else v) for k, v in base.items()}
        out.append(rec)
        parsed = dict(rec)
        for k in ("action_ids", "locked_cells"):
            if isinstance(parsed[k], str):
                try:
                    parsed[k] = json.loads(parsed[k])
                except ValueError:
                    pass
        out.append(parsed)
    return out




def verified(raw: dict, case_key: str) -> dict | None:
    """The record as signed, if one rendering of what was read carries a valid signature."""
    return next((rec for rec in renderings(raw) if signature_ok(rec, case_key)), None)
