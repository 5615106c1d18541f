"""Trust in returns (issue 13, findings 5-9): only a signed sheet that was issued for this case is
verified; anything else is applied only when the board manager accepts it, and then marked
UNVERIFIED; an agency cannot sign off; a stale return cannot undo a later state; a resend that
adds something is applied; the signing key is not in the case file."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tracker.errors import ScrError
from workbook.case import layout as L
from workbook.case.keys import key_path
from workbook.case.read import read_case
from workbook.commands.demo import run_demo
from workbook.commands.import_returns import import_returns
from workbook.commands.issue_updates import issue_updates
from workbook.commands.refresh import refresh

from agency_return import fill, sheet_for

TODAY = dt.date(2026, 11, 27)
LATER = TODAY + dt.timedelta(days=10)


def sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def every_part(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


@pytest.fixture
def case(tmp_path):
    return run_demo(tmp_path / "case", TODAY).path


def settings_key_cell(path: Path):
    wb = openpyxl.load_workbook(path)
    sheet, ref = next(iter(wb.defined_names["CaseKey"].destinations))
    return wb[sheet][ref.replace("$", "")].value


# ---- finding 9: the key is not in the case file ------------------------------------------------

def test_a_new_case_keeps_its_key_in_a_private_key_file_not_in_the_workbook(tmp_path):
    from workbook.case.create import write_new
    from tracker.case import CaseData
    path = tmp_path / "New.xlsx"
    made = CaseData("NEW-01", "rotherham-2009", dt.date(2026, 9, 1), agencies=[{"agency": "Police"}])
    write_new(path, made)
    kf = key_path(made.case_id)
    assert kf.parent == Path(os.environ["SCR_KEYS_DIR"])
    assert kf.read_text().strip() == made.case_key and len(made.case_key) >= 32
    assert stat.S_IMODE(kf.stat().st_mode) == 0o600
    assert made.case_key.encode() not in every_part(path)
    assert settings_key_cell(path) in (None, "")
    assert read_case(path).case_key == made.case_key


def old_style(case: Path) -> str:
    """The case as an older tracker left it: the key typed on the Settings sheet as a shared string
    (as XlsxWriter and Excel store text), and no key file."""
    c = read_case(case)
    wb = openpyxl.load_workbook(case)
    sheet, ref = next(iter(wb.defined_names["CaseKey"].destinations))
    ref = ref.replace("$", "")
    index = wb.sheetnames.index(sheet) + 1
    with zipfile.ZipFile(case) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert f"xl/worksheets/sheet{index}.xml" in parts and "xl/sharedStrings.xml" in parts
    sst = parts["xl/sharedStrings.xml"].decode()
    n = sst.count("<si>")
    parts["xl/sharedStrings.xml"] = sst.replace("</sst>", f"<si><t>{c.case_key}</t></si></sst>").encode()
    ws = parts[f"xl/worksheets/sheet{index}.xml"].decode()
    cell = re.search(rf'<c r="{ref}"( [^>]*?)?(/>|>.*?</c>)', ws)
    style = re.search(r's="\d+"', cell.group(0))
    parts[f"xl/worksheets/sheet{index}.xml"] = ws.replace(
        cell.group(0), f'<c r="{ref}" {style.group(0) if style else ""} t="s"><v>{n}</v></c>').encode()
    with zipfile.ZipFile(case, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    key_path(c.case_id).unlink()
    assert read_case(case).case_key == c.case_key  # still readable as it was
    assert settings_key_cell(case) == c.case_key
    return c.case_key


def test_an_old_case_key_moves_off_settings_on_the_next_change(case):
    key = old_style(case)
    refresh(case, today=TODAY)
    c = read_case(case)
    assert key_path(c.case_id).read_text().strip() == key and c.case_key == key
    assert stat.S_IMODE(key_path(c.case_id).stat().st_mode) == 0o600
    assert settings_key_cell(case) in (None, "")
    assert key.encode() not in every_part(case)  # not even as an unused shared string
    audit = [r[2].value for r in openpyxl.load_workbook(case)[L.AUDIT].iter_rows(min_row=4)]
    assert "signing key moved off the Settings sheet" in audit


def test_a_case_copied_without_its_key_says_how_to_copy_it(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SCR_KEYS_DIR", str(tmp_path / "other-machine"))
    frozen = sha(case)
    name = key_path(read_case(case).case_id).name
    with pytest.raises(ScrError) as e:
        issue_updates(case, tmp_path / "out", today=TODAY)
    assert name in str(e.value) and "Copy the key file" in str(e.value)
    with pytest.raises(ScrError) as e:
        import_returns(case, [case], today=LATER)
    assert name in str(e.value) and "Copy the key file" in str(e.value)
    assert sha(case) == frozen and not (tmp_path / "out").exists()
