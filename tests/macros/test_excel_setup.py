"""docs/EXCEL.md's set-up steps, tried as far as a Linux machine allows.

* classic xlwings: the workbook's hidden xlwings.conf sheet uses only keys xlwings' own VBA reads;
* xlwings Lite: the tracker builds as a pure-Python wheel that carries its data; the `main.py`
  printed in EXCEL.md, run against that wheel (not this checkout), registers every worksheet
  function and they answer through xlwings' Office.js dispatcher; and every package the wheel
  needs is either built by Pyodide or has a pure-Python wheel (from uv.lock), so micropip can
  install it. Pyodide itself cannot run here (its packages come from a CDN at run time).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings

from tracker import udfs

ROOT = Path(__file__).resolve().parents[2]
EXCEL_MD = ROOT / "docs" / "EXCEL.md"
XLWINGS_VBA = Path(xlwings.__file__).parent / "addin"

# Pyodide's own builds of packages that are not pure Python (Pyodide's package list). The rest
# must come from PyPI as py3-none-any wheels.
PYODIDE_BUILT = {"numpy", "pandas", "lxml", "cryptography", "cffi", "python-dateutil", "six", "pytz", "tzdata",
                 "markupsafe"}


def xlwings_config_keys() -> set[str]:
    """Every key the xlwings add-in's VBA asks GetConfig for (it upper-cases the sheet's keys)."""
    text = "\n".join(p.read_text(encoding="latin-1") for p in XLWINGS_VBA.glob("*.bas"))
    return set(re.findall(r'GetConfig\("([^"]+)"', text))


def test_the_xlwings_conf_sheet_says_only_what_xlwings_reads(tmp_path):
    import datetime as dt

    from workbook.case.build import build_workbook
    from tracker.demo import demo_case
    from workbook.case import layout as L

    path = tmp_path / "case.xlsx"
    build_workbook(path, demo_case(dt.date(2026, 6, 15)))
    ws = openpyxl.load_workbook(path)[L.XLWINGS]
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=1, max_col=2)]
    # xlwings reads from A1 down to the first blank cell (End(xlDown)): no header, no gaps
    assert rows and all(k for k, _ in rows)
    keys = xlwings_config_keys()
    assert {k.upper() for k, _ in rows} <= keys, "a key on the sheet that xlwings never reads"
    assert dict(rows)["UDF Modules"] == "tracker.udfs"
    # EXCEL.md names the keys one may add: they must be real ones too
    documented = re.search(r"the names xlwings' own VBA asks for: (.*?)\.\)", EXCEL_MD.read_text(), re.S)[1]
    assert {k.upper() for k in re.findall(r"`([^`]+)`", documented)} <= keys


# ---- xlwings Lite ----------------------------------------------------------------------------------

def main_py() -> str:
    """The main.py EXCEL.md tells the board manager to paste into xlwings Lite."""
    blocks = re.findall(r"```python\n(.*?)```", EXCEL_MD.read_text(), re.S)
    assert len(blocks) == 1, "EXCEL.md should show exactly one main.py"
    return "\n".join(line.removeprefix("   ") for line in blocks[0].splitlines()) + "\n"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the wheel (as EXCEL.md says)"
    done = subprocess.run([uv, "build", "--wheel", "--offline", "-o", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    [whl] = out.glob("*.whl")
    return whl


def test_the_tracker_is_a_pure_python_wheel_with_its_data(wheel):
    assert wheel.name.endswith("-py3-none-any.whl")   # what micropip installs from a URL
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tracker/udfs.py" in names
    profiles = {p.name for p in (ROOT / "tracker" / "profiles").glob("*.toml")}
    assert profiles and {f"tracker/profiles/{p}" for p in profiles} <= names
    assert {f"tracker/{p.relative_to(ROOT / 'tracker').as_posix()}" for p in (ROOT / "tracker" / "data").rglob("*")
            if p.is_file()} <= names


def test_main_py_from_the_docs_registers_and_runs_every_function_from_the_wheel(wheel, tmp_path):
    site, lite = tmp_path / "site-packages", tmp_path / "lite"
    zipfile.ZipFile(wheel).extractall(site)   # as micropip installs a wheel: unpacked into site-packages
    lite.mkdir()
    (lite / "main.py").write_text(main_py())
    probe = r'''
import asyncio, json, sys
import main, tracker
from xlwings.server import custom_functions_call, custom_functions_meta
names = sorted(f["name"] for f in custom_functions_meta(main)["functions"])
def call(name, *args):
    data = {"func_name": name, "args": list(args), "version": "0", "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "en-GB", "date_format": "dd/mm/yyyy", "caller_address": "Sheet1!A1"}
    return asyncio.run(custom_functions_call(data, main))
due = call("SCR_DEADLINE", [[45000]], [["chronologies-in"]], [["rotherham-2009"]])
days = call("NETWORKDAYS_UK", [[45650]], [[45657]])
print(json.dumps({"names": names, "tracker": tracker.__file__, "due": due, "days": days}))
'''
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(lite), str(site)]), "XLWINGS_ON_SERVER": "true",
           "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=lite, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.splitlines()[-1])
    assert got["tracker"].startswith(str(site)), "the tracker came from this checkout, not the wheel"
    every = sorted(f.__xlfunc__["name"] for f in vars(udfs).values() if hasattr(f, "__xlfunc__"))
    assert got["names"] == every, "main.py in EXCEL.md does not import every worksheet function"
    assert got["due"][0][0]["type"] == "FormattedNumber"   # a date, computed from the wheel's profile
    assert got["days"] == [[4]]   # 24/12/2024 to 31/12/2024: Christmas and Boxing Day are bank holidays


def requirements(lock: dict, name: str, seen: set[str]) -> set[str]:
    """name and everything it needs on Pyodide (emscripten), from uv.lock; Windows/Mac-only needs skipped."""
    if name in seen:
        return seen
    seen.add(name)
    pkg = next(p for p in lock["package"] if p["name"] == name)
    for dep in pkg.get("dependencies", []):
        marker = dep.get("marker", "")
        if "win32" in marker or "darwin" in marker or "platform_system == 'Windows'" in marker:
            continue
        requirements(lock, dep["name"], seen)
    return seen


def test_every_package_the_tracker_needs_can_be_installed_by_pyodide():
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    needed = requirements(lock, project, set()) - {project}
    pure = {p["name"] for p in lock["package"]
            if any(w["url"].endswith("-none-any.whl") for w in p.get("wheels", []))}
    assert needed - pure - PYODIDE_BUILT == set()
    # and EXCEL.md names each of the tracker's own dependencies as available
    text = EXCEL_MD.read_text()
    direct = {re.split(r"[<>=!~ \[]", d)[0].lower() for d in tomllib.loads((ROOT / "pyproject.toml").read_text())
              ["project"]["dependencies"]}
    assert {d for d in direct - {"xlwings"} if d not in text} == set()
